/* atelier-sandbox-store-validate.c: creating tunes, prompts and themes
 *
 * Parameters arrive as JSON values or form text; each is checked against
 * its specification (type, range, choices) and stored typed, and the
 * documentation's cross-field rules are applied. Failures fill an errors
 * object the way Rails reports them ({"field": ["message", …]}). Requests
 * are validated whole before anything is created, so that a refused
 * request leaves neither entities nor uploads behind. Pack and theme
 * prompts are expanded from their templates here too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atelier-sandbox-store-private.h"

/* Parameter specifications */

static const char * const branches[] = { "sd15", "sdxl1", "flux1", "fast", NULL };
static const char * const model_types[] = { "lora", "pti", "faceid", NULL };
static const char * const presets[] = { "flux-lora-focus", "flux-lora-portrait", "flux-lora-fast", NULL };
static const char * const schedulers[] = {
  "euler", "euler_a", "dpm++2m_karras", "dpm++sde_karras", "dpm++2m", "dpm++sde", "lcm", "tcd", NULL
};
static const char * const styles[] = {
  "Cinematic", "Animated", "Digital Art", "Photographic", "Fantasy art", "Neonpunk",
  "Enhance", "Comic book", "Lowpoly", "Line art", NULL
};
static const char * const color_gradings[] = { "Film Velvia", "Film Portra", "Ektar", NULL };
static const char * const controlnets[] = {
  "composition", "reference", "segroom", "ipadapter", "lineart", "canny", "depth",
  "mlsd", "hed", "pose", "tile", "qr", NULL
};
static const char * const backend_versions[] = { "0", "1", NULL };

static const AtelierSandboxParamSpec tune_specs[] = {
  { "title", ATELIER_SANDBOX_PARAM_STRING },
  { "name", ATELIER_SANDBOX_PARAM_STRING },
  { "token", ATELIER_SANDBOX_PARAM_STRING },
  { "branch", ATELIER_SANDBOX_PARAM_STRING, 0, 0, branches },
  { "model_type", ATELIER_SANDBOX_PARAM_STRING, 0, 0, model_types },
  { "preset", ATELIER_SANDBOX_PARAM_STRING, 0, 0, presets },
  { "callback", ATELIER_SANDBOX_PARAM_STRING },
  { "base_tune_id", ATELIER_SANDBOX_PARAM_INT, 1, 9.0e18 },
  { "steps", ATELIER_SANDBOX_PARAM_INT, 1, 100000 },
  { "face_crop", ATELIER_SANDBOX_PARAM_BOOL },
  { "training_face_correct", ATELIER_SANDBOX_PARAM_BOOL },
  { "auto_extend", ATELIER_SANDBOX_PARAM_BOOL },
};

const AtelierSandboxParamSpec _atelier_sandbox_prompt_specs[] = {
  { "callback", ATELIER_SANDBOX_PARAM_STRING },
  { "negative_prompt", ATELIER_SANDBOX_PARAM_STRING },
  { "cfg_scale", ATELIER_SANDBOX_PARAM_DOUBLE, 0, 15 },
  { "steps", ATELIER_SANDBOX_PARAM_INT, 0, 50 },
  { "seed", ATELIER_SANDBOX_PARAM_INT, 0, 4294967296.0 },
  { "num_images", ATELIER_SANDBOX_PARAM_INT, 1, 8 },
  { "w", ATELIER_SANDBOX_PARAM_INT, 8, 8192, NULL, TRUE },
  { "h", ATELIER_SANDBOX_PARAM_INT, 8, 8192, NULL, TRUE },
  { "ar", ATELIER_SANDBOX_PARAM_STRING },
  { "super_resolution", ATELIER_SANDBOX_PARAM_BOOL },
  { "inpaint_faces", ATELIER_SANDBOX_PARAM_BOOL },
  { "hires_fix", ATELIER_SANDBOX_PARAM_BOOL },
  { "face_correct", ATELIER_SANDBOX_PARAM_BOOL },
  { "face_swap", ATELIER_SANDBOX_PARAM_BOOL },
  { "use_lpw", ATELIER_SANDBOX_PARAM_BOOL },
  { "film_grain", ATELIER_SANDBOX_PARAM_BOOL },
  { "scheduler", ATELIER_SANDBOX_PARAM_STRING, 0, 0, schedulers },
  { "backend_version", ATELIER_SANDBOX_PARAM_STRING, 0, 0, backend_versions },
  { "style", ATELIER_SANDBOX_PARAM_STRING, 0, 0, styles },
  { "color_grading", ATELIER_SANDBOX_PARAM_STRING, 0, 0, color_gradings },
  { "controlnet", ATELIER_SANDBOX_PARAM_STRING, 0, 0, controlnets },
  { "controlnet_txt2img", ATELIER_SANDBOX_PARAM_BOOL },
  { "controlnet_conditioning_scale", ATELIER_SANDBOX_PARAM_DOUBLE, 0, 1 },
  { "denoising_strength", ATELIER_SANDBOX_PARAM_DOUBLE, 0, 1 },
  { "lora_scale", ATELIER_SANDBOX_PARAM_DOUBLE, 0, 2 },
  { "input_image", ATELIER_SANDBOX_PARAM_IMAGE },
  { "input_image_url", ATELIER_SANDBOX_PARAM_STRING },
  { "mask_image", ATELIER_SANDBOX_PARAM_IMAGE },
  { "mask_image_url", ATELIER_SANDBOX_PARAM_STRING },
};

const guint _atelier_sandbox_n_prompt_specs = G_N_ELEMENTS (_atelier_sandbox_prompt_specs);

/* The prompts of a theme, on each of its tunes */
static const char * const theme_variations[] = {
  "{{token}} {{class}}, {{theme}}, studio portrait, soft light",
  "{{token}} {{class}}, {{theme}}, wide cinematic shot, golden hour",
  "{{token}} {{class}}, {{theme}}, close-up, dramatic rim light",
  "{{token}} {{class}}, {{theme}}, editorial photo, 50mm lens",
  "{{token}} {{class}}, {{theme}}, oil painting, museum quality",
  "{{token}} {{class}}, {{theme}}, candid street photography",
  "{{token}} {{class}}, {{theme}}, black and white film portrait",
  "{{token}} {{class}}, {{theme}}, vibrant illustration, bold colours",
  "{{token}} {{class}}, {{theme}}, moody low-key lighting",
  "{{token}} {{class}}, {{theme}}, magazine cover, sharp focus",
};

/* Parameter normalization: JSON values and form text become typed values. */

static void
add_error (JsonObject *errors,
           const char *prefix,
           const char *field,
           const char *message)
{
  g_autofree char *name = g_strconcat (prefix, field, NULL);

  _atelier_sandbox_errors_add (errors, name, message);
}

/* FALSE, with the error added, when @value is out of @spec's range. */
static gboolean
check_range (const AtelierSandboxParamSpec *spec,
             double                         value,
             const char                    *prefix,
             JsonObject                    *errors)
{
  char number[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *message = NULL;

  if (value < spec->min)
    message = g_strdup_printf ("must be greater than or equal to %s",
                               g_ascii_formatd (number, sizeof number, "%g", spec->min));
  else if (value > spec->max)
    message = g_strdup_printf ("must be less than or equal to %s",
                               g_ascii_formatd (number, sizeof number, "%g", spec->max));
  else
    return TRUE;

  add_error (errors, prefix, spec->name, message);

  return FALSE;
}

static void
normalize_param (AtelierSandboxStore           *store,
                 AtelierSandboxRequest         *request,
                 const AtelierSandboxParamSpec *spec,
                 JsonNode                      *node,
                 JsonObject                    *out,
                 const char                    *prefix,
                 JsonObject                    *errors)
{
  gint64 int_value;
  double double_value;
  gboolean bool_value;
  g_autofree char *text = NULL;
  AtelierSandboxFile *file;

  switch (spec->type)
    {
    case ATELIER_SANDBOX_PARAM_STRING:
      text = _atelier_sandbox_node_dup_string (node);
      if (text == NULL)
        {
          add_error (errors, prefix, spec->name, "is invalid");
        }
      else if (spec->choices != NULL && text[0] != '\0')
        {
          if (g_strv_contains (spec->choices, text))
            json_object_set_string_member (out, spec->name, text);
          else
            add_error (errors, prefix, spec->name, "is not included in the list");
        }
      else if (spec->choices == NULL)
        {
          json_object_set_string_member (out, spec->name, text);
        }
      break;

    case ATELIER_SANDBOX_PARAM_INT:
      if (!_atelier_sandbox_node_get_int (node, &int_value))
        add_error (errors, prefix, spec->name, "is not a number");
      else if (!check_range (spec, (double) int_value, prefix, errors))
        break;
      else if (spec->multiple_of_8 && int_value % 8 != 0)
        add_error (errors, prefix, spec->name, "must be a multiple of 8");
      else
        json_object_set_int_member (out, spec->name, int_value);
      break;

    case ATELIER_SANDBOX_PARAM_DOUBLE:
      if (!_atelier_sandbox_node_get_double (node, &double_value))
        add_error (errors, prefix, spec->name, "is not a number");
      else if (check_range (spec, double_value, prefix, errors))
        json_object_set_double_member (out, spec->name, double_value);
      break;

    case ATELIER_SANDBOX_PARAM_BOOL:
      if (!_atelier_sandbox_node_get_bool (node, &bool_value))
        add_error (errors, prefix, spec->name, "is not a boolean");
      else
        json_object_set_boolean_member (out, spec->name, bool_value);
      break;

    case ATELIER_SANDBOX_PARAM_IMAGE:
      file = _atelier_sandbox_request_lookup_file (request, node);
      if (file == NULL)
        add_error (errors, prefix, spec->name, "must be a file upload");
      else if (store != NULL)
        {
          text = _atelier_sandbox_store_save_upload (store, file);
          json_object_set_string_member (out, spec->name, text);
        }
      break;

    default:
      g_assert_not_reached ();
    }
}

/* With @store NULL, files are checked but not saved (validation pass). */
static JsonObject *
normalize_params (AtelierSandboxStore           *store,
                  AtelierSandboxRequest         *request,
                  JsonObject                    *input,
                  const AtelierSandboxParamSpec *specs,
                  guint                          n_specs,
                  const char                    *prefix,
                  JsonObject                    *errors)
{
  JsonObject *out = json_object_new ();

  for (guint i = 0; i < n_specs; i++)
    {
      JsonNode *node = _atelier_sandbox_params_get (input, specs[i].name);

      /* Rails casts "" to nil for everything but free text. */
      if (node == NULL || JSON_NODE_HOLDS_NULL (node) ||
          (specs[i].type != ATELIER_SANDBOX_PARAM_STRING && _atelier_sandbox_node_is_blank (node)))
        continue;

      normalize_param (store, request, &specs[i], node, out, prefix, errors);
    }

  return out;
}

static JsonObject *
normalize_prompt_params (AtelierSandboxStore   *store,
                         AtelierSandboxRequest *request,
                         JsonObject            *input,
                         const char            *prefix,
                         JsonObject            *errors)
{
  return normalize_params (store, request, input, _atelier_sandbox_prompt_specs,
                           _atelier_sandbox_n_prompt_specs, prefix, errors);
}

static gboolean
params_get_flag (JsonObject *params,
                 const char *name)
{
  JsonNode *node = json_object_get_member (params, name);

  return node != NULL && json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
         json_node_get_boolean (node);
}

static gboolean
params_has (JsonObject *params,
            const char *name)
{
  JsonNode *node = json_object_get_member (params, name);

  return node != NULL && !_atelier_sandbox_node_is_blank (node);
}

/* Cross-field rules of the prompt documentation. */
static void
validate_prompt (JsonObject *input,
                 JsonObject *params,
                 const char *prefix,
                 JsonObject *errors)
{
  gboolean has_input_image = params_has (params, "input_image") ||
                             params_has (params, "input_image_url") ||
                             params_has (input, "input_image");

  if (_atelier_sandbox_node_is_blank (_atelier_sandbox_params_get (input, "text")))
    add_error (errors, prefix, "text", "can't be blank");

  if (params_get_flag (params, "inpaint_faces") && !params_get_flag (params, "super_resolution"))
    add_error (errors, prefix, "inpaint_faces", "requires super_resolution");

  if (params_get_flag (params, "hires_fix") && !params_get_flag (params, "super_resolution"))
    add_error (errors, prefix, "hires_fix", "requires super_resolution");

  if (params_has (params, "controlnet") && !has_input_image)
    add_error (errors, prefix, "controlnet", "requires input_image or input_image_url");

  if ((params_has (params, "mask_image") || params_has (params, "mask_image_url") ||
       params_has (input, "mask_image")) && !has_input_image)
    add_error (errors, prefix, "mask_image", "requires input_image or input_image_url");
}

static char *
dup_trimmed_text (JsonObject *input)
{
  g_autofree char *text = _atelier_sandbox_node_dup_string (_atelier_sandbox_params_get (input, "text"));

  return text != NULL ? g_strdup (g_strstrip (text)) : NULL;
}

AtelierSandboxPrompt *
_atelier_sandbox_store_create_prompt (AtelierSandboxStore   *store,
                                      AtelierSandboxRequest *request,
                                      AtelierSandboxTune    *tune,
                                      JsonObject            *prompt_params,
                                      JsonObject            *errors)
{
  g_autoptr(JsonObject) checked = NULL;
  g_autoptr(JsonObject) params = NULL;
  g_autofree char *text = NULL;

  checked = normalize_prompt_params (NULL, request, prompt_params, "", errors);
  validate_prompt (prompt_params, checked, "", errors);
  if (json_object_get_size (errors) > 0)
    return NULL;

  params = normalize_prompt_params (store, request, prompt_params, "", errors);
  text = dup_trimmed_text (prompt_params);

  return _atelier_sandbox_store_new_prompt (store, tune, text, params, g_get_real_time ());
}

/* Template substitution for pack and theme prompts: {{token}}, {{class}}
 * (also {{name}}), {{theme}} and the tune's characteristics; unknown
 * placeholders become empty. */
static char *
expand_template (const char         *template,
                 AtelierSandboxTune *tune,
                 const char         *theme)
{
  GString *out = g_string_new (NULL);
  const char *p = template;

  while (*p != '\0')
    {
      const char *open = strstr (p, "{{");
      const char *close;
      g_autofree char *key = NULL;
      g_autofree char *value = NULL;

      if (open == NULL || (close = strstr (open + 2, "}}")) == NULL)
        {
          g_string_append (out, p);
          break;
        }

      g_string_append_len (out, p, open - p);
      key = g_strstrip (g_strndup (open + 2, close - open - 2));

      if (g_str_equal (key, "token"))
        value = g_strdup (tune->token ? tune->token : "ohwx");
      else if (g_str_equal (key, "class") || g_str_equal (key, "name"))
        value = g_strdup (tune->name ? tune->name : "person");
      else if (g_str_equal (key, "theme"))
        value = g_strdup (theme ? theme : "");
      else if (tune->characteristics != NULL)
        value = _atelier_sandbox_node_dup_string (json_object_get_member (tune->characteristics, key));

      g_string_append (out, value ? value : "");
      p = close + 2;
    }

  return g_string_free (out, FALSE);
}

GPtrArray *
_atelier_sandbox_store_apply_pack (AtelierSandboxStore *store,
                                   AtelierSandboxPack  *pack,
                                   AtelierSandboxTune  *tune,
                                   const char          *callback)
{
  GPtrArray *prompts = g_ptr_array_new ();
  gint64 now = g_get_real_time ();

  for (guint i = 0; i < pack->prompts->len; i++)
    {
      AtelierSandboxPrompt *template = g_ptr_array_index (pack->prompts, i);
      g_autoptr(JsonObject) params = _atelier_sandbox_object_deep_copy (template->params);
      g_autofree char *expanded = expand_template (template->text, tune, NULL);
      g_autofree char *text = NULL;
      AtelierSandboxPrompt *prompt;

      /* LoRA and FaceID packs load the tune into a base model's prompt. */
      if (g_strcmp0 (pack->model_type, "lora") == 0)
        text = g_strdup_printf ("<lora:%" G_GINT64_FORMAT ":1> %s", tune->id, expanded);
      else if (g_strcmp0 (pack->model_type, "faceid") == 0)
        text = g_strdup_printf ("<faceid:%" G_GINT64_FORMAT ":1> %s", tune->id, expanded);
      else
        text = g_steal_pointer (&expanded);

      if (callback != NULL)
        json_object_set_string_member (params, "callback", callback);

      prompt = _atelier_sandbox_store_new_prompt (store, tune, text, params, now);
      prompt->orig_prompt_id = template->id;
      g_ptr_array_add (prompts, prompt);
    }

  return prompts;
}

static AtelierSandboxTune *
find_tune_by_title (AtelierSandboxStore *store,
                    const char          *title)
{
  for (guint i = 0; i < store->tunes->len; i++)
    {
      AtelierSandboxTune *tune = g_ptr_array_index (store->tunes, i);

      if (g_strcmp0 (tune->title, title) == 0)
        return tune;
    }

  return NULL;
}

static const char *
params_string_or (JsonObject *params,
                  const char *name,
                  const char *fallback)
{
  const char *value = _atelier_sandbox_params_get_string (params, name);

  return value != NULL && value[0] != '\0' ? value : fallback;
}

/* The training images: file parts and URLs; NULL entries are invalid. */
static void
validate_tune_images (AtelierSandboxRequest *request,
                      JsonObject            *input,
                      JsonObject            *errors)
{
  g_autoptr(GPtrArray) images = _atelier_sandbox_params_dup_list (input, "images");
  g_autoptr(GPtrArray) urls = _atelier_sandbox_params_dup_list (input, "image_urls");
  guint count = 0;

  for (guint i = 0; i < images->len; i++)
    {
      if (_atelier_sandbox_request_lookup_file (request, g_ptr_array_index (images, i)) == NULL)
        add_error (errors, "", "images", "must be file uploads");
      else
        count++;
    }

  for (guint i = 0; i < urls->len; i++)
    {
      if (!_atelier_sandbox_node_is_blank (g_ptr_array_index (urls, i)))
        count++;
    }

  if (count == 0)
    add_error (errors, "", "images", "can't be blank");
}

static void
store_tune_images (AtelierSandboxStore   *store,
                   AtelierSandboxRequest *request,
                   JsonObject            *input,
                   AtelierSandboxTune    *tune)
{
  g_autoptr(GPtrArray) images = _atelier_sandbox_params_dup_list (input, "images");
  g_autoptr(GPtrArray) urls = _atelier_sandbox_params_dup_list (input, "image_urls");

  for (guint i = 0; i < images->len; i++)
    {
      AtelierSandboxFile *file = _atelier_sandbox_request_lookup_file (request, g_ptr_array_index (images, i));

      if (file != NULL)
        g_ptr_array_add (tune->images, _atelier_sandbox_store_save_upload (store, file));
    }

  for (guint i = 0; i < urls->len; i++)
    {
      char *url = _atelier_sandbox_node_dup_string (g_ptr_array_index (urls, i));

      if (url != NULL && url[0] != '\0')
        g_ptr_array_add (tune->images, url);
      else
        g_free (url);
    }
}

static JsonObject *
dup_characteristics (JsonObject *input)
{
  JsonObject *characteristics = _atelier_sandbox_params_get_object (input, "characteristics");

  return characteristics != NULL ? _atelier_sandbox_object_deep_copy (characteristics) : NULL;
}

static const char *
default_token (const char *branch)
{
  return g_strcmp0 (branch, "sd15") == 0 ? "sks" : "ohwx";
}

AtelierSandboxTune *
_atelier_sandbox_store_create_tune (AtelierSandboxStore    *store,
                                    AtelierSandboxRequest  *request,
                                    JsonObject             *input,
                                    AtelierSandboxPack     *pack,
                                    JsonObject             *errors,
                                    gboolean               *existed,
                                    GPtrArray             **prompts_out)
{
  g_autoptr(JsonObject) params = NULL;
  g_autoptr(GPtrArray) prompt_inputs = NULL;
  g_autoptr(GPtrArray) prompts = g_ptr_array_new ();
  AtelierSandboxTune *base = NULL;
  AtelierSandboxTune *tune;
  const char *title;
  const char *name;
  const char *branch;
  gint64 now = g_get_real_time ();

  *existed = FALSE;
  *prompts_out = NULL;

  /* Idempotency: the same title answers the existing tune. */
  title = _atelier_sandbox_params_get_string (input, "title");
  if (title != NULL && (tune = find_tune_by_title (store, title)) != NULL)
    {
      *existed = TRUE;
      *prompts_out = g_ptr_array_new ();
      return tune;
    }

  params = normalize_params (NULL, request, input, tune_specs, G_N_ELEMENTS (tune_specs), "", errors);
  title = params_string_or (params, "title", NULL);
  name = params_string_or (params, "name", NULL);

  if (title == NULL)
    add_error (errors, "", "title", "can't be blank");
  if (name == NULL)
    add_error (errors, "", "name", "can't be blank");
  validate_tune_images (request, input, errors);

  if (json_object_has_member (params, "base_tune_id"))
    {
      base = _atelier_sandbox_store_lookup_tune (store, json_object_get_int_member (params, "base_tune_id"));
      if (base == NULL)
        add_error (errors, "", "base_tune", "must exist");
    }

  if (pack != NULL && name != NULL && !json_object_has_member (pack->cost_mc_hash, name))
    add_error (errors, "", "name", "is not supported by this pack");

  prompt_inputs = _atelier_sandbox_params_dup_list (input, "prompts_attributes");
  for (guint i = 0; i < prompt_inputs->len; i++)
    {
      JsonNode *node = g_ptr_array_index (prompt_inputs, i);
      g_autoptr(JsonObject) checked = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          add_error (errors, "", "prompts", "is invalid");
          continue;
        }

      checked = normalize_prompt_params (NULL, request, json_node_get_object (node), "prompts.", errors);
      validate_prompt (json_node_get_object (node), checked, "prompts.", errors);
    }

  if (json_object_get_size (errors) > 0)
    return NULL;

  if (pack != NULL)
    base = _atelier_sandbox_store_lookup_tune (store, pack->base_tune_id);

  tune = _atelier_sandbox_tune_new ();
  tune->id = store->next_tune_id++;
  tune->title = g_strdup (title);
  tune->name = g_strdup (name);
  branch = params_string_or (params, "branch", base ? base->branch : "sd15");
  tune->branch = g_strdup (branch);
  tune->token = g_strdup (params_string_or (params, "token", pack ? pack->token : default_token (branch)));
  tune->callback = g_strdup (params_string_or (params, "callback", NULL));
  tune->preset = g_strdup (params_string_or (params, "preset", NULL));
  if (pack != NULL)
    tune->model_type = g_strdup (pack->model_type);
  else
    tune->model_type = g_strdup (params_string_or (params, "model_type",
                                                   g_str_equal (branch, "sdxl1") ? "pti" : NULL));
  tune->base_tune_id = base ? base->id : 0;
  if (json_object_has_member (params, "steps"))
    tune->steps = json_object_get_int_member (params, "steps");
  if (json_object_has_member (params, "face_crop"))
    tune->face_crop = json_object_get_boolean_member (params, "face_crop");
  tune->training_face_correct = params_get_flag (params, "training_face_correct");
  tune->auto_extend = params_get_flag (params, "auto_extend");
  tune->characteristics = dup_characteristics (input);
  tune->created_at = now;

  /* Mock (fast) tunes and FaceID placeholders need no training. */
  if (g_str_equal (branch, "fast") || g_strcmp0 (tune->model_type, "faceid") == 0)
    tune->ready_at = now;
  else
    tune->ready_at = now + (gint64) store->training_delay_ms * 1000;

  store_tune_images (store, request, input, tune);
  _atelier_sandbox_store_add_tune (store, tune);

  for (guint i = 0; i < prompt_inputs->len; i++)
    {
      JsonObject *prompt_input = json_node_get_object (g_ptr_array_index (prompt_inputs, i));
      g_autoptr(JsonObject) prompt_params = NULL;
      g_autofree char *text = dup_trimmed_text (prompt_input);

      prompt_params = normalize_prompt_params (store, request, prompt_input, "prompts.", errors);
      g_ptr_array_add (prompts, _atelier_sandbox_store_new_prompt (store, tune, text, prompt_params, now));
    }

  if (pack != NULL)
    {
      JsonObject *attributes = _atelier_sandbox_params_get_object (input, "prompt_attributes");
      const char *callback = params_string_or (attributes, "callback", NULL);
      g_autoptr(GPtrArray) pack_prompts = _atelier_sandbox_store_apply_pack (store, pack, tune, callback);

      g_ptr_array_extend (prompts, pack_prompts, NULL, NULL);
    }

  *prompts_out = g_steal_pointer (&prompts);

  return tune;
}

gboolean
_atelier_sandbox_store_create_theme (AtelierSandboxStore *store,
                                     JsonObject          *input,
                                     JsonObject          *errors)
{
  g_autoptr(GPtrArray) ids = _atelier_sandbox_params_dup_list (input, "tune_ids");
  g_autoptr(GPtrArray) tunes = NULL;
  g_autoptr(JsonObject) params = NULL;
  g_autofree char *theme = _atelier_sandbox_node_dup_string (_atelier_sandbox_params_get (input, "theme"));
  JsonObject *attributes = _atelier_sandbox_params_get_object (input, "prompt_attributes");
  gint64 now = g_get_real_time ();

  if (theme == NULL || g_strstrip (theme)[0] == '\0')
    add_error (errors, "", "theme", "can't be blank");

  if (ids->len == 0)
    add_error (errors, "", "tune_ids", "can't be blank");

  tunes = _atelier_sandbox_store_lookup_tunes (store, ids, errors);

  params = normalize_prompt_params (NULL, NULL, attributes, "prompt_attributes.", errors);
  if (json_object_get_size (errors) > 0)
    return FALSE;

  for (guint i = 0; i < tunes->len; i++)
    {
      AtelierSandboxTune *tune = g_ptr_array_index (tunes, i);

      for (guint j = 0; j < G_N_ELEMENTS (theme_variations); j++)
        {
          g_autofree char *text = expand_template (theme_variations[j], tune, theme);
          g_autoptr(JsonObject) copy = _atelier_sandbox_object_deep_copy (params);

          _atelier_sandbox_store_new_prompt (store, tune, text, copy, now);
        }
    }

  return TRUE;
}
