/* atelier-prompt-params.c: the parameters of POST /tunes/:id/prompts
 *
 * The table of the parameters, the cross-field rules, and reading the
 * parameters back from a prompt.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-json-private.h"
#include "atelier-prompt-params.h"

struct _AtelierPromptParams
{
  AtelierParams parent_instance;
};

G_DEFINE_FINAL_TYPE (AtelierPromptParams, atelier_prompt_params, ATELIER_TYPE_PARAMS)

/* {{{ The table */

static const char * const schedulers[] = {
  "euler", "euler_a", "dpm++2m_karras", "dpm++sde_karras", "dpm++2m", "dpm++sde",
  "lcm", "tcd", NULL
};
/* "enum: null, `1`": unset (the account's version) or 1; 0 is not offered. */
static const char * const backend_versions[] = { "1", NULL };
static const char * const styles[] = {
  "Cinematic", "Animated", "Digital Art", "Photographic", "Fantasy art", "Neonpunk",
  "Enhance", "Comic book", "Lowpoly", "Line art", NULL
};
static const char * const color_gradings[] = { "Film Velvia", "Film Portra", "Ektar", NULL };
static const char * const controlnets[] = {
  "composition", "reference", "segroom", "ipadapter", "lineart", "canny", "depth",
  "mlsd", "hed", "pose", "tile", "qr", NULL
};

/* .spec: name as sent, type, range (ignored when min > max), multiple of,
 * allowed values, required. */
#define STRING(name) { name, ATELIER_PARAM_STRING, 1, 0, 0, NULL, FALSE }
#define CHOICE(name, choices) { name, ATELIER_PARAM_STRING, 1, 0, 0, choices, FALSE }
#define BOOLEAN(name) { name, ATELIER_PARAM_BOOLEAN, 1, 0, 0, NULL, FALSE }
#define FILE_PART(name) { name, ATELIER_PARAM_FILE, 1, 0, 0, NULL, FALSE }
#define INT(name, min, max, multiple) { name, ATELIER_PARAM_INT, min, max, multiple, NULL, FALSE }
#define DOUBLE(name, min, max) { name, ATELIER_PARAM_DOUBLE, min, max, 0, NULL, FALSE }
/* Where and how the editor shows it, and its place in the form. */
#define FORM(section_, widget_, position_) \
  .section = ATELIER_PROMPT_SECTION_##section_, .widget = ATELIER_PROMPT_WIDGET_##widget_, .position = position_

/* The documented parameters in the order of "Create a prompt", with the
 * documentation's ranges. w and h have no documented range; 64–4096
 * catches typos. The form is ordered by position, not by this table. */
static const AtelierPromptField prompt_fields[] = {
  { .spec = { "text", ATELIER_PARAM_STRING, 1, 0, 0, NULL, TRUE },
    .label = N_("Prompt"), .help = N_("Description of the image."),
    FORM (NONE, NONE, 0) },
  { .spec = STRING ("negative_prompt"),
    .label = N_("Negative Prompt"),
    .help = N_("A comma separated list of words that should not appear in the image."),
    FORM (IMAGES, ENTRY, 1) },
  { .spec = STRING ("callback"), .http_url = TRUE,
    .label = N_("Callback URL"),
    .help = N_("Called with the prompt when it is done. Atelier checks by itself, so this is only for your own service."),
    FORM (ADVANCED, ENTRY, 27) },
  { .spec = INT ("num_images", 1, 8, 0),
    .label = N_("Number of Images"), .help = N_("From 1 to 8."),
    FORM (IMAGES, SPIN, 2), .default_value = 4 },
  { .spec = INT ("seed", 0, 4294967296.0, 0),
    .label = N_("Seed"), .help = N_("The same seed gives consistent results. From 0 to 2³²."),
    FORM (IMAGES, ENTRY, 3) },
  { .spec = BOOLEAN ("super_resolution"),
    .label = N_("Super Resolution"), .help = N_("Four times the resolution."),
    FORM (ENHANCEMENTS, SWITCH, 4) },
  { .spec = BOOLEAN ("inpaint_faces"),
    .label = N_("Inpaint Faces"), .help = N_("Repaints faces. Needs super resolution."),
    FORM (ENHANCEMENTS, SWITCH, 5) },
  { .spec = BOOLEAN ("hires_fix"),
    .label = N_("Hires Fix"), .help = N_("Adds details. Needs super resolution."),
    FORM (ENHANCEMENTS, SWITCH, 6) },
  { .spec = BOOLEAN ("face_correct"),
    .label = N_("Face Correct"), .help = N_("Runs another model on top to correct the face."),
    FORM (ENHANCEMENTS, SWITCH, 7) },
  { .spec = BOOLEAN ("face_swap"),
    .label = N_("Face Swap"), .help = N_("Uses the training images to swap the face and improve the likeness."),
    FORM (ENHANCEMENTS, SWITCH, 8) },
  { .spec = DOUBLE ("cfg_scale", 0, 15),
    .label = N_("CFG Scale"), .help = N_("How strictly the image follows the prompt. From 0 to 15."),
    FORM (SAMPLING, ENTRY, 9) },
  { .spec = INT ("steps", 0, 50, 0),
    .label = N_("Steps"), .help = N_("Number of diffusion steps. From 0 to 50."),
    FORM (SAMPLING, ENTRY, 10) },
  { .spec = BOOLEAN ("use_lpw"),
    .label = N_("Weighted Prompts"), .help = N_("Read weights like (word:1.3) in the prompt."),
    FORM (STYLE, SWITCH, 17) },
  { .spec = INT ("w", 64, 4096, 8),
    .label = N_("Width"), .help = N_("In multiples of 8."),
    FORM (SAMPLING, ENTRY, 12) },
  { .spec = INT ("h", 64, 4096, 8),
    .label = N_("Height"), .help = N_("In multiples of 8."),
    FORM (SAMPLING, ENTRY, 13) },
  { .spec = CHOICE ("scheduler", schedulers),
    .label = N_("Scheduler"), .help = N_("The account’s scheduler when not set."),
    FORM (SAMPLING, CHOICE, 11), .unset_label = N_("Account Default") },
  { .spec = CHOICE ("backend_version", backend_versions),
    .label = N_("Backend Version"), .help = N_("The account’s version when not set."),
    FORM (STYLE, CHOICE, 18), .unset_label = N_("Account Default") },
  { .spec = CHOICE ("style", styles),
    .label = N_("Style"),
    FORM (STYLE, CHOICE, 14), .unset_label = N_("None") },
  { .spec = CHOICE ("color_grading", color_gradings),
    .label = N_("Colour Grading"),
    FORM (STYLE, CHOICE, 15), .unset_label = N_("None") },
  { .spec = BOOLEAN ("film_grain"),
    .label = N_("Film Grain"), .help = N_("Adds noise to make the image look more realistic."),
    FORM (STYLE, SWITCH, 16) },
  { .spec = CHOICE ("controlnet", controlnets),
    .label = N_("ControlNet"), .help = N_("Needs an input image."),
    FORM (IMG2IMG, CHOICE, 19), .unset_label = N_("None") },
  { .spec = DOUBLE ("denoising_strength", 0, 1),
    .label = N_("Denoising Strength"), .help = N_("1 takes the prompt, 0 takes the image. From 0 to 1."),
    FORM (IMG2IMG, ENTRY, 24) },
  { .spec = DOUBLE ("controlnet_conditioning_scale", 0, 1),
    .label = N_("Conditioning Scale"), .help = N_("Strength of the ControlNet conditioning. From 0 to 1."),
    FORM (IMG2IMG, ENTRY, 25) },
  { .spec = BOOLEAN ("controlnet_txt2img"),
    .label = N_("Text to Image ControlNet"), .help = N_("On: text to image. Off: image to image."),
    FORM (IMG2IMG, SWITCH, 26) },
  { .spec = FILE_PART ("input_image"),
    .label = N_("Input Image"), .help = N_("Used with ControlNet and for img2img."),
    FORM (IMG2IMG, FILE, 20) },
  { .spec = STRING ("input_image_url"), .http_url = TRUE,
    .label = N_("Input Image URL"), .help = N_("Used with ControlNet and for img2img."),
    FORM (IMG2IMG, ENTRY, 21) },
  { .spec = FILE_PART ("mask_image"),
    .label = N_("Mask Image"), .help = N_("One channel mask for inpainting, with an input image."),
    FORM (IMG2IMG, FILE, 22) },
  { .spec = STRING ("mask_image_url"), .http_url = TRUE,
    .label = N_("Mask Image URL"), .help = N_("One channel mask for inpainting, with an input image."),
    FORM (IMG2IMG, ENTRY, 23) },
  { .spec = DOUBLE ("lora_scale", 0, 2),
    .label = N_("LoRA Scale"), .help = N_("Only for prompts sent with a new tune."),
    FORM (NONE, NONE, 0) },
};

/* The .spec column, as AtelierParams wants it; filled in class_init. */
static AtelierParamSpec prompt_specs[G_N_ELEMENTS (prompt_fields)];

const AtelierPromptField *
atelier_prompt_fields_get (guint *n_fields)
{
  *n_fields = G_N_ELEMENTS (prompt_fields);
  return prompt_fields;
}

const AtelierPromptField *
atelier_prompt_field_find (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (prompt_fields); i++)
    {
      if (g_strcmp0 (prompt_fields[i].spec.name, name) == 0)
        return &prompt_fields[i];
    }

  return NULL;
}

const char *
atelier_prompt_field_label (const char *name)
{
  const AtelierPromptField *field = atelier_prompt_field_find (name);

  return field != NULL ? _(field->label) : name;
}

const char *
atelier_prompt_field_help (const char *name)
{
  const AtelierPromptField *field = atelier_prompt_field_find (name);

  return field != NULL && field->help != NULL ? _(field->help) : NULL;
}

char *
atelier_prompt_field_describe_error (const char *name,
                                     const char *message)
{
  return g_strdup_printf ("%s %s", atelier_prompt_field_label (name), message);
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

/* }}} */
/* {{{ Validation */

static const AtelierParamSpec *
atelier_prompt_params_get_specs (AtelierParams *params,
                                 guint         *n_specs)
{
  *n_specs = G_N_ELEMENTS (prompt_specs);
  return prompt_specs;
}

/* The rules of the header: "field: message", one per broken rule. */
static void
atelier_prompt_params_validate_extra (AtelierParams *params,
                                      GPtrArray     *errors)
{
  gboolean has_input_file = atelier_params_has (params, "input_image");
  gboolean has_input_url = atelier_params_has (params, "input_image_url");
  gboolean has_mask_file = atelier_params_has (params, "mask_image");
  gboolean has_mask_url = atelier_params_has (params, "mask_image_url");
  gboolean super_resolution = atelier_params_get_boolean (params, "super_resolution");

  if (atelier_params_get_boolean (params, "inpaint_faces") && !super_resolution)
    atelier_params_add_error (errors, "inpaint_faces", "needs super_resolution");

  if (atelier_params_get_boolean (params, "hires_fix") && !super_resolution)
    atelier_params_add_error (errors, "hires_fix", "needs super_resolution");

  if (atelier_params_has (params, "controlnet") && !has_input_file && !has_input_url)
    atelier_params_add_error (errors, "controlnet", "needs an input image (input_image or input_image_url)");

  if ((has_mask_file || has_mask_url) && !has_input_file && !has_input_url)
    atelier_params_add_error (errors, has_mask_file ? "mask_image" : "mask_image_url",
                              "needs an input image (input_image or input_image_url)");

  if (has_input_file && has_input_url)
    atelier_params_add_error (errors, "input_image_url", "give the input image as a file or as a URL, not both");

  if (has_mask_file && has_mask_url)
    atelier_params_add_error (errors, "mask_image_url", "give the mask as a file or as a URL, not both");

  for (guint i = 0; i < G_N_ELEMENTS (prompt_fields); i++)
    {
      if (prompt_fields[i].http_url)
        atelier_params_check_url (params, prompt_fields[i].spec.name, errors);
    }
}

static void
atelier_prompt_params_class_init (AtelierPromptParamsClass *klass)
{
  AtelierParamsClass *params_class = ATELIER_PARAMS_CLASS (klass);

  for (guint i = 0; i < G_N_ELEMENTS (prompt_fields); i++)
    prompt_specs[i] = prompt_fields[i].spec;

  params_class->get_specs = atelier_prompt_params_get_specs;
  params_class->validate_extra = atelier_prompt_params_validate_extra;
}

static void
atelier_prompt_params_init (AtelierPromptParams *self)
{
}

AtelierPromptParams *
atelier_prompt_params_new (void)
{
  return g_object_new (ATELIER_TYPE_PROMPT_PARAMS, NULL);
}

AtelierPromptParams *
atelier_prompt_params_copy (AtelierPromptParams *params)
{
  AtelierPromptParams *copy;

  g_return_val_if_fail (ATELIER_IS_PROMPT_PARAMS (params), NULL);

  copy = atelier_prompt_params_new ();
  atelier_params_copy_values (ATELIER_PARAMS (copy), ATELIER_PARAMS (params));

  return copy;
}

/* }}} */
/* {{{ From a prompt */

/* Sets @spec from @node (number or string alike); FALSE when it does not
 * convert. */
static gboolean
set_from_node (AtelierParams          *params,
               const AtelierParamSpec *spec,
               JsonNode               *node)
{
  gint64 i;
  double d;
  gboolean b;

  switch (spec->type)
    {
    case ATELIER_PARAM_STRING:
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        {
          atelier_params_set_string (params, spec->name, json_node_get_string (node));
          return TRUE;
        }
      if (_atelier_json_node_get_int (node, &i))
        {
          g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, i);

          atelier_params_set_string (params, spec->name, text);
          return TRUE;
        }
      return FALSE;

    case ATELIER_PARAM_INT:
      if (!_atelier_json_node_get_int (node, &i))
        return FALSE;
      atelier_params_set_int (params, spec->name, i);
      return TRUE;

    case ATELIER_PARAM_DOUBLE:
      if (!_atelier_json_node_get_double (node, &d))
        return FALSE;
      atelier_params_set_double (params, spec->name, d);
      return TRUE;

    case ATELIER_PARAM_BOOLEAN:
      if (!_atelier_json_node_get_boolean (node, &b))
        return FALSE;
      atelier_params_set_boolean (params, spec->name, b);
      return TRUE;

    case ATELIER_PARAM_FILE:
    default:
      return FALSE;
    }
}

/**
 * atelier_prompt_params_new_from_prompt:
 * @prompt: a prompt
 *
 * "Reuse these settings": every documented parameter that the prompt's
 * JSON carries with a value valid on its own (numbers given as strings and
 * the other way round are taken). The files a prompt was made with come
 * back from the server as URLs: an http(s) "input_image" or "mask_image"
 * becomes input_image_url or mask_image_url. The result may still break a
 * cross-field rule; validate it before sending.
 *
 * Returns: (transfer full): new params
 */
AtelierPromptParams *
atelier_prompt_params_new_from_prompt (AtelierPrompt *prompt)
{
  g_autoptr(AtelierPromptParams) self = NULL;
  AtelierParams *params;
  JsonNode *json;
  JsonObject *object;

  g_return_val_if_fail (ATELIER_IS_PROMPT (prompt), NULL);

  self = atelier_prompt_params_new ();
  params = ATELIER_PARAMS (self);

  json = atelier_prompt_get_json (prompt);
  if (json == NULL || !JSON_NODE_HOLDS_OBJECT (json))
    return g_steal_pointer (&self);
  object = json_node_get_object (json);

  for (guint i = 0; i < G_N_ELEMENTS (prompt_fields); i++)
    {
      const AtelierParamSpec *spec = &prompt_specs[i];
      JsonNode *node = json_object_get_member (object, spec->name);

      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        continue;

      if (set_from_node (params, spec, node) &&
          !atelier_params_validate_param (params, spec->name, NULL))
        atelier_params_unset (params, spec->name);
    }

  for (guint i = 0; i < G_N_ELEMENTS (prompt_fields); i++)
    {
      const char *name = prompt_fields[i].spec.name;

      if (prompt_fields[i].http_url && !atelier_is_http_url (atelier_params_get_string (params, name)))
        atelier_params_unset (params, name);
    }

  /* Files come back as URLs. */
  for (guint i = 0; i < G_N_ELEMENTS (prompt_fields); i++)
    {
      const char *name = prompt_fields[i].spec.name;
      const char *url;
      g_autofree char *url_param = NULL;

      if (prompt_fields[i].spec.type != ATELIER_PARAM_FILE)
        continue;

      url = _atelier_json_get_string (object, name);
      url_param = g_strconcat (name, "_url", NULL);
      if (!atelier_params_has (params, url_param) && atelier_is_http_url (url))
        atelier_params_set_string (params, url_param, url);
    }

  return g_steal_pointer (&self);
}

/* }}} */
