/* atelier-prompt-fields.c: what the user reads for each prompt parameter
 *
 * Labels and help follow "Create a prompt" in the API documentation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-prompt-fields.h"

typedef struct
{
  const char *name;
  const char *label;
  const char *help;
} Field;

static const Field fields[] = {
  { "text", N_("Prompt"), N_("Description of the image.") },
  { "negative_prompt", N_("Negative Prompt"), N_("A comma separated list of words that should not appear in the image.") },
  { "callback", N_("Callback URL"), N_("Called with the prompt when it is done. Atelier checks by itself, so this is only for your own service.") },
  { "num_images", N_("Number of Images"), N_("From 1 to 8.") },
  { "seed", N_("Seed"), N_("The same seed gives consistent results. From 0 to 2³².") },
  { "super_resolution", N_("Super Resolution"), N_("Four times the resolution.") },
  { "inpaint_faces", N_("Inpaint Faces"), N_("Repaints faces. Needs super resolution.") },
  { "hires_fix", N_("Hires Fix"), N_("Adds details. Needs super resolution.") },
  { "face_correct", N_("Face Correct"), N_("Runs another model on top to correct the face.") },
  { "face_swap", N_("Face Swap"), N_("Uses the training images to swap the face and improve the likeness.") },
  { "cfg_scale", N_("CFG Scale"), N_("How strictly the image follows the prompt. From 0 to 15.") },
  { "steps", N_("Steps"), N_("Number of diffusion steps. From 0 to 50.") },
  { "use_lpw", N_("Weighted Prompts"), N_("Read weights like (word:1.3) in the prompt.") },
  { "w", N_("Width"), N_("In multiples of 8.") },
  { "h", N_("Height"), N_("In multiples of 8.") },
  { "scheduler", N_("Scheduler"), N_("The account’s scheduler when not set.") },
  { "backend_version", N_("Backend Version"), N_("The account’s version when not set.") },
  { "style", N_("Style"), NULL },
  { "color_grading", N_("Colour Grading"), NULL },
  { "film_grain", N_("Film Grain"), N_("Adds noise to make the image look more realistic.") },
  { "controlnet", N_("ControlNet"), N_("Needs an input image.") },
  { "denoising_strength", N_("Denoising Strength"), N_("1 takes the prompt, 0 takes the image. From 0 to 1.") },
  { "controlnet_conditioning_scale", N_("Conditioning Scale"), N_("Strength of the ControlNet conditioning. From 0 to 1.") },
  { "controlnet_txt2img", N_("Text to Image ControlNet"), N_("On: text to image. Off: image to image.") },
  { "input_image", N_("Input Image"), N_("Used with ControlNet and for img2img.") },
  { "input_image_url", N_("Input Image URL"), N_("Used with ControlNet and for img2img.") },
  { "mask_image", N_("Mask Image"), N_("One channel mask for inpainting, with an input image.") },
  { "mask_image_url", N_("Mask Image URL"), N_("One channel mask for inpainting, with an input image.") },
  { "lora_scale", N_("LoRA Scale"), N_("Only for prompts sent with a new tune.") },
};

static const Field *
find_field (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      if (g_strcmp0 (fields[i].name, name) == 0)
        return &fields[i];
    }

  return NULL;
}

const char *
atelier_prompt_field_label (const char *name)
{
  const Field *field = find_field (name);

  return field != NULL ? _(field->label) : name;
}

const char *
atelier_prompt_field_help (const char *name)
{
  const Field *field = find_field (name);

  return field != NULL && field->help != NULL ? _(field->help) : NULL;
}

char *
atelier_prompt_field_format (AtelierParams *params,
                             const char    *name)
{
  const AtelierParamSpec *spec;
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (ATELIER_IS_PARAMS (params), NULL);

  spec = atelier_params_find_spec (params, name);
  if (spec == NULL || !atelier_params_has (params, name))
    return NULL;

  switch (spec->type)
    {
    case ATELIER_PARAM_STRING:
      return g_strdup (atelier_params_get_string (params, name));
    case ATELIER_PARAM_INT:
      return g_strdup_printf ("%" G_GINT64_FORMAT, atelier_params_get_int (params, name));
    case ATELIER_PARAM_DOUBLE:
      return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%g", atelier_params_get_double (params, name)));
    case ATELIER_PARAM_BOOLEAN:
      return g_strdup (atelier_params_get_boolean (params, name) ? _("Yes") : _("No"));
    case ATELIER_PARAM_FILE:
    default:
      return NULL;
    }
}
