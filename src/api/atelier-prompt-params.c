/* atelier-prompt-params.c: the parameters of POST /tunes/:id/prompts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-json-private.h"
#include "atelier-prompt-params.h"

struct _AtelierPromptParams
{
  AtelierParams parent_instance;
};

G_DEFINE_FINAL_TYPE (AtelierPromptParams, atelier_prompt_params, ATELIER_TYPE_PARAMS)

static const char * const schedulers[] = {
  "euler", "euler_a", "dpm++2m_karras", "dpm++sde_karras", "dpm++2m", "dpm++sde",
  "lcm", "tcd", NULL
};
static const char * const backend_versions[] = { "0", "1", NULL };
static const char * const styles[] = {
  "Cinematic", "Animated", "Digital Art", "Photographic", "Fantasy art", "Neonpunk",
  "Enhance", "Comic book", "Lowpoly", "Line art", NULL
};
static const char * const color_gradings[] = { "Film Velvia", "Film Portra", "Ektar", NULL };
static const char * const controlnets[] = {
  "composition", "reference", "segroom", "ipadapter", "lineart", "canny", "depth",
  "mlsd", "hed", "pose", "tile", "qr", NULL
};

#define STRING(name) { name, ATELIER_PARAM_STRING, 1, 0, 0, NULL, FALSE }
#define CHOICE(name, choices) { name, ATELIER_PARAM_STRING, 1, 0, 0, choices, FALSE }
#define BOOLEAN(name) { name, ATELIER_PARAM_BOOLEAN, 1, 0, 0, NULL, FALSE }
#define FILE_PART(name) { name, ATELIER_PARAM_FILE, 1, 0, 0, NULL, FALSE }
#define INT(name, min, max, multiple) { name, ATELIER_PARAM_INT, min, max, multiple, NULL, FALSE }
#define DOUBLE(name, min, max) { name, ATELIER_PARAM_DOUBLE, min, max, 0, NULL, FALSE }

/* The documented parameters, ranges from "Create a prompt". w and h have
 * no documented range; 64–4096 catches typos. */
static const AtelierParamSpec prompt_specs[] = {
  { "text", ATELIER_PARAM_STRING, 1, 0, 0, NULL, TRUE },
  STRING ("negative_prompt"),
  STRING ("callback"),
  INT ("num_images", 1, 8, 0),
  INT ("seed", 0, 4294967296.0, 0),
  BOOLEAN ("super_resolution"),
  BOOLEAN ("inpaint_faces"),
  BOOLEAN ("hires_fix"),
  BOOLEAN ("face_correct"),
  BOOLEAN ("face_swap"),
  DOUBLE ("cfg_scale", 0, 15),
  INT ("steps", 0, 50, 0),
  BOOLEAN ("use_lpw"),
  INT ("w", 64, 4096, 8),
  INT ("h", 64, 4096, 8),
  CHOICE ("scheduler", schedulers),
  CHOICE ("backend_version", backend_versions),
  CHOICE ("style", styles),
  CHOICE ("color_grading", color_gradings),
  BOOLEAN ("film_grain"),
  CHOICE ("controlnet", controlnets),
  DOUBLE ("denoising_strength", 0, 1),
  DOUBLE ("controlnet_conditioning_scale", 0, 1),
  BOOLEAN ("controlnet_txt2img"),
  FILE_PART ("input_image"),
  STRING ("input_image_url"),
  FILE_PART ("mask_image"),
  STRING ("mask_image_url"),
  DOUBLE ("lora_scale", 0, 2),
};

/* String parameters that must be http(s) URLs. */
static const char * const url_params[] = { "callback", "input_image_url", "mask_image_url" };

static const AtelierParamSpec *
atelier_prompt_params_get_specs (AtelierParams *params,
                                 guint         *n_specs)
{
  *n_specs = G_N_ELEMENTS (prompt_specs);
  return prompt_specs;
}

static void
add_error (GPtrArray  *errors,
           const char *field,
           const char *message)
{
  g_ptr_array_add (errors, atelier_field_error_new (field, message));
}

static gboolean
is_true (AtelierParams *params,
         const char    *name)
{
  return atelier_params_has (params, name) && atelier_params_get_boolean (params, name);
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
  gboolean super_resolution = is_true (params, "super_resolution");

  if (is_true (params, "inpaint_faces") && !super_resolution)
    add_error (errors, "inpaint_faces", "needs super_resolution");

  if (is_true (params, "hires_fix") && !super_resolution)
    add_error (errors, "hires_fix", "needs super_resolution");

  if (atelier_params_has (params, "controlnet") && !has_input_file && !has_input_url)
    add_error (errors, "controlnet", "needs an input image (input_image or input_image_url)");

  if ((has_mask_file || has_mask_url) && !has_input_file && !has_input_url)
    add_error (errors, has_mask_file ? "mask_image" : "mask_image_url",
               "needs an input image (input_image or input_image_url)");

  if (has_input_file && has_input_url)
    add_error (errors, "input_image_url", "give the input image as a file or as a URL, not both");

  if (has_mask_file && has_mask_url)
    add_error (errors, "mask_image_url", "give the mask as a file or as a URL, not both");

  for (guint i = 0; i < G_N_ELEMENTS (url_params); i++)
    atelier_params_check_url (params, url_params[i], errors);
}

static void
atelier_prompt_params_class_init (AtelierPromptParamsClass *klass)
{
  AtelierParamsClass *params_class = ATELIER_PARAMS_CLASS (klass);

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
  static const char * const file_params[] = { "input_image", "mask_image" };
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

  for (guint i = 0; i < G_N_ELEMENTS (prompt_specs); i++)
    {
      const AtelierParamSpec *spec = &prompt_specs[i];
      JsonNode *node = json_object_get_member (object, spec->name);

      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        continue;

      if (set_from_node (params, spec, node) &&
          !atelier_params_validate_param (params, spec->name, NULL))
        atelier_params_unset (params, spec->name);
    }

  for (guint i = 0; i < G_N_ELEMENTS (url_params); i++)
    {
      if (!atelier_is_http_url (atelier_params_get_string (params, url_params[i])))
        atelier_params_unset (params, url_params[i]);
    }

  for (guint i = 0; i < G_N_ELEMENTS (file_params); i++)
    {
      const char *url = _atelier_json_get_string (object, file_params[i]);
      g_autofree char *url_param = g_strconcat (file_params[i], "_url", NULL);

      if (!atelier_params_has (params, url_param) && atelier_is_http_url (url))
        atelier_params_set_string (params, url_param, url);
    }

  return g_steal_pointer (&self);
}
