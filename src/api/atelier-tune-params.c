/* atelier-tune-params.c: the parameters of POST /tunes and POST /p/:id/tunes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atelier-form.h"
#include "atelier-json-private.h"
#include "atelier-tune-params.h"

struct _AtelierTuneParams
{
  AtelierParams  parent_instance;

  GPtrArray     *images;           /* (owned) (element-type GFile) */
  GPtrArray     *image_urls;       /* (owned) (element-type utf8), NULL-terminated */
  GHashTable    *characteristics;  /* (owned) key → value */
  GPtrArray     *prompts;          /* (owned) (element-type AtelierPromptParams) */
  char          *pack_prompt_callback;
};

G_DEFINE_FINAL_TYPE (AtelierTuneParams, atelier_tune_params, ATELIER_TYPE_PARAMS)

static const char * const branches[] = { "sd15", "sdxl1", "flux1", "fast", NULL };
static const char * const model_types[] = { "lora", "pti", "faceid", NULL };
static const char * const presets[] = {
  "flux-lora-focus", "flux-lora-portrait", "flux-lora-fast", NULL
};

/* In the order of the docs' examples: tune[title], tune[name], … */
static const AtelierParamSpec tune_specs[] = {
  { "title", ATELIER_PARAM_STRING, 1, 0, 0, NULL, TRUE },
  { "name", ATELIER_PARAM_STRING, 1, 0, 0, NULL, TRUE },
  { "callback", ATELIER_PARAM_STRING, 1, 0, 0, NULL, FALSE },
  { "branch", ATELIER_PARAM_STRING, 1, 0, 0, branches, FALSE },
  { "steps", ATELIER_PARAM_INT, 1, ATELIER_PARAM_NO_MAX, 0, NULL, FALSE },
  { "token", ATELIER_PARAM_STRING, 1, 0, 0, NULL, FALSE },
  { "face_crop", ATELIER_PARAM_BOOLEAN, 1, 0, 0, NULL, FALSE },
  { "training_face_correct", ATELIER_PARAM_BOOLEAN, 1, 0, 0, NULL, FALSE },
  { "base_tune_id", ATELIER_PARAM_INT, 1, ATELIER_PARAM_NO_MAX, 0, NULL, FALSE },
  { "model_type", ATELIER_PARAM_STRING, 1, 0, 0, model_types, FALSE },
  { "auto_extend", ATELIER_PARAM_BOOLEAN, 1, 0, 0, NULL, FALSE },
  { "preset", ATELIER_PARAM_STRING, 1, 0, 0, presets, FALSE },
  { "prompts_callback", ATELIER_PARAM_STRING, 1, 0, 0, NULL, FALSE },
};

/* What "Create a tune from a pack" documents; the pack decides the rest. */
static const char * const pack_params[] = { "title", "name", "callback", "prompts_callback", NULL };
/* Documented for packs only. */
static const char * const pack_only_params[] = { "prompts_callback", NULL };

static void
emit_changed (AtelierTuneParams *self,
              const char        *what)
{
  g_autofree char *signal = g_strconcat ("changed::", what, NULL);

  g_signal_emit_by_name (self, signal, what);
}

static const AtelierParamSpec *
atelier_tune_params_get_specs (AtelierParams *params,
                               guint         *n_specs)
{
  *n_specs = G_N_ELEMENTS (tune_specs);
  return tune_specs;
}

/* Keys end up in form names ("tune[characteristics][KEY]") and prompt
 * templates ("{{KEY}}"). */
static gboolean
is_valid_characteristic_key (const char *key)
{
  if (*key == '\0' || !g_utf8_validate (key, -1, NULL))
    return FALSE;

  for (const char *p = key; *p != '\0'; p++)
    {
      if (*p == '[' || *p == ']' || g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
        return FALSE;
    }

  return TRUE;
}

static void
validate_characteristics (AtelierTuneParams *self,
                          GPtrArray         *errors)
{
  g_auto(GStrv) keys = _atelier_dup_sorted_keys (self->characteristics);

  for (guint i = 0; keys[i] != NULL; i++)
    {
      const char *value = g_hash_table_lookup (self->characteristics, keys[i]);
      g_autofree char *message = NULL;

      if (!is_valid_characteristic_key (keys[i]))
        message = g_strdup ("names must not be empty or contain spaces or brackets");
      else if (!g_utf8_validate (value, -1, NULL))
        message = g_strdup_printf ("the value of “%s” is not valid UTF-8 text", keys[i]);

      if (message != NULL)
        atelier_params_add_error (errors, "characteristics", message);
    }
}

/* One word: not empty, no white space (Unicode included). */
static gboolean
is_valid_token (const char *token)
{
  if (*token == '\0' || !g_utf8_validate (token, -1, NULL))
    return FALSE;

  for (const char *p = token; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_unichar_isspace (g_utf8_get_char (p)))
        return FALSE;
    }

  return TRUE;
}

static void
validate_prompts (AtelierTuneParams *self,
                  GPtrArray         *errors)
{
  for (guint i = 0; i < self->prompts->len; i++)
    {
      g_autoptr(GPtrArray) prompt_errors = NULL;

      prompt_errors = atelier_params_validate_all (g_ptr_array_index (self->prompts, i));
      for (guint e = 0; e < prompt_errors->len; e++)
        {
          const AtelierFieldError *prompt_error = g_ptr_array_index (prompt_errors, e);
          g_autofree char *field = NULL;

          field = g_strdup_printf ("prompts_attributes[%u].%s", i, prompt_error->field);
          atelier_params_add_error (errors, field, prompt_error->message);
        }
    }
}

static void
atelier_tune_params_validate_extra (AtelierParams *params,
                                    GPtrArray     *errors)
{
  AtelierTuneParams *self = ATELIER_TUNE_PARAMS (params);
  const char *token = atelier_params_get_string (params, "token");

  if (self->images->len == 0 && self->image_urls->len == 0)
    atelier_params_add_error (errors, "images", "add at least one training image (a file or a URL)");

  for (guint i = 0; i < self->image_urls->len; i++)
    {
      const char *url = g_ptr_array_index (self->image_urls, i);

      if (!atelier_is_http_url (url))
        {
          g_autofree char *shown = g_utf8_make_valid (url, -1);
          g_autofree char *message = g_strdup_printf ("“%s” is not an http or https URL", shown);

          atelier_params_add_error (errors, "image_urls", message);
        }
    }

  if (token != NULL && !is_valid_token (token))
    atelier_params_add_error (errors, "token", "must be one word, without spaces");

  atelier_params_check_url (params, "callback", errors);
  atelier_params_check_url (params, "prompts_callback", errors);
  if (self->pack_prompt_callback != NULL && !atelier_is_http_url (self->pack_prompt_callback))
    atelier_params_add_error (errors, "prompt_attributes.callback", "must be an http or https URL");

  validate_characteristics (self, errors);
  validate_prompts (self, errors);
}

static void
atelier_tune_params_finalize (GObject *object)
{
  AtelierTuneParams *self = (AtelierTuneParams *) object;

  g_clear_pointer (&self->images, g_ptr_array_unref);
  g_clear_pointer (&self->image_urls, g_ptr_array_unref);
  g_clear_pointer (&self->characteristics, g_hash_table_unref);
  g_clear_pointer (&self->prompts, g_ptr_array_unref);
  g_free (self->pack_prompt_callback);

  G_OBJECT_CLASS (atelier_tune_params_parent_class)->finalize (object);
}

static void
atelier_tune_params_class_init (AtelierTuneParamsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  AtelierParamsClass *params_class = ATELIER_PARAMS_CLASS (klass);

  object_class->finalize = atelier_tune_params_finalize;

  params_class->get_specs = atelier_tune_params_get_specs;
  params_class->validate_extra = atelier_tune_params_validate_extra;
}

static void
atelier_tune_params_init (AtelierTuneParams *self)
{
  self->images = g_ptr_array_new_with_free_func (g_object_unref);
  self->image_urls = g_ptr_array_new_null_terminated (4, g_free, TRUE);
  self->characteristics = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->prompts = g_ptr_array_new_with_free_func (g_object_unref);
}

AtelierTuneParams *
atelier_tune_params_new (void)
{
  return g_object_new (ATELIER_TYPE_TUNE_PARAMS, NULL);
}

void
atelier_tune_params_add_image (AtelierTuneParams *self,
                               GFile             *file)
{
  g_return_if_fail (ATELIER_IS_TUNE_PARAMS (self));
  g_return_if_fail (G_IS_FILE (file));

  g_ptr_array_add (self->images, g_object_ref (file));
  emit_changed (self, "images");
}

void
atelier_tune_params_add_image_url (AtelierTuneParams *self,
                                   const char        *url)
{
  g_return_if_fail (ATELIER_IS_TUNE_PARAMS (self));
  g_return_if_fail (url != NULL);

  g_ptr_array_add (self->image_urls, g_strdup (url));
  emit_changed (self, "image_urls");
}

/* Removes the files and the URLs. */
void
atelier_tune_params_clear_images (AtelierTuneParams *self)
{
  g_return_if_fail (ATELIER_IS_TUNE_PARAMS (self));

  if (self->images->len > 0)
    {
      g_ptr_array_set_size (self->images, 0);
      emit_changed (self, "images");
    }

  if (self->image_urls->len > 0)
    {
      g_ptr_array_set_size (self->image_urls, 0);
      emit_changed (self, "image_urls");
    }
}

/**
 * atelier_tune_params_get_images:
 * @self: the params
 *
 * Returns: (transfer none) (element-type GFile): the training image files
 */
GPtrArray *
atelier_tune_params_get_images (AtelierTuneParams *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE_PARAMS (self), NULL);
  return self->images;
}

const char * const *
atelier_tune_params_get_image_urls (AtelierTuneParams *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE_PARAMS (self), NULL);
  return (const char * const *) self->image_urls->pdata;
}

void
atelier_tune_params_set_characteristic (AtelierTuneParams *self,
                                        const char        *key,
                                        const char        *value)
{
  const char *old;

  g_return_if_fail (ATELIER_IS_TUNE_PARAMS (self));
  g_return_if_fail (key != NULL);

  old = g_hash_table_lookup (self->characteristics, key);
  if (g_strcmp0 (old, value) == 0)
    return;

  if (value == NULL)
    g_hash_table_remove (self->characteristics, key);
  else
    g_hash_table_replace (self->characteristics, g_strdup (key), g_strdup (value));

  emit_changed (self, "characteristics");
}

/**
 * atelier_tune_params_get_characteristics:
 * @self: the params
 *
 * Returns: (transfer none) (element-type utf8 utf8): key → value
 */
GHashTable *
atelier_tune_params_get_characteristics (AtelierTuneParams *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE_PARAMS (self), NULL);
  return self->characteristics;
}

static void
prompt_changed_cb (AtelierTuneParams *self)
{
  emit_changed (self, "prompts_attributes");
}

/* The prompt is kept (a reference), not copied: changing it later changes
 * what is sent. */
void
atelier_tune_params_add_prompt (AtelierTuneParams   *self,
                                AtelierPromptParams *prompt)
{
  g_return_if_fail (ATELIER_IS_TUNE_PARAMS (self));
  g_return_if_fail (ATELIER_IS_PROMPT_PARAMS (prompt));

  g_ptr_array_add (self->prompts, g_object_ref (prompt));
  g_signal_connect_object (prompt, "changed", G_CALLBACK (prompt_changed_cb),
                           self, G_CONNECT_SWAPPED);
  emit_changed (self, "prompts_attributes");
}

/**
 * atelier_tune_params_get_prompts:
 * @self: the params
 *
 * Returns: (transfer none) (element-type AtelierPromptParams): the first
 *   prompts
 */
GPtrArray *
atelier_tune_params_get_prompts (AtelierTuneParams *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE_PARAMS (self), NULL);
  return self->prompts;
}

void
atelier_tune_params_set_pack_prompt_callback (AtelierTuneParams *self,
                                              const char        *callback)
{
  g_return_if_fail (ATELIER_IS_TUNE_PARAMS (self));

  if (g_strcmp0 (self->pack_prompt_callback, callback) == 0)
    return;

  g_free (self->pack_prompt_callback);
  self->pack_prompt_callback = g_strdup (callback);
  emit_changed (self, "prompt_attributes");
}

/* {{{ Output */

static char *
dup_characteristic_field_name (const char *key)
{
  return g_strdup_printf ("tune[characteristics][%s]", key);
}

static gboolean
form_field_is_for (const AtelierFormField *field,
                   const char * const     *params)
{
  for (guint i = 0; params[i] != NULL; i++)
    {
      g_autofree char *name = g_strdup_printf ("tune[%s]", params[i]);

      if (g_str_equal (field->name, name))
        return TRUE;
    }

  return FALSE;
}

static GPtrArray *
build_form (AtelierTuneParams *self,
            gboolean           for_pack)
{
  g_autoptr(GPtrArray) all = atelier_params_to_form (ATELIER_PARAMS (self), "tune");
  g_auto(GStrv) keys = _atelier_dup_sorted_keys (self->characteristics);
  GPtrArray *fields;

  fields = g_ptr_array_new_with_free_func ((GDestroyNotify) atelier_form_field_free);

  for (guint i = 0; i < all->len; i++)
    {
      AtelierFormField *field = g_ptr_array_index (all, i);

      if (for_pack ? form_field_is_for (field, pack_params)
                   : !form_field_is_for (field, pack_only_params))
        g_ptr_array_add (fields, g_ptr_array_steal_index (all, i--));
    }

  for (guint i = 0; i < self->images->len; i++)
    g_ptr_array_add (fields, atelier_form_field_new_file ("tune[images][]",
                                                          g_ptr_array_index (self->images, i)));

  for (guint i = 0; i < self->image_urls->len; i++)
    g_ptr_array_add (fields, atelier_form_field_new_text ("tune[image_urls][]",
                                                          g_ptr_array_index (self->image_urls, i)));

  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autofree char *name = dup_characteristic_field_name (keys[i]);

      g_ptr_array_add (fields, atelier_form_field_new_text (name,
                                                            g_hash_table_lookup (self->characteristics,
                                                                                 keys[i])));
    }

  if (for_pack)
    {
      if (self->pack_prompt_callback != NULL)
        g_ptr_array_add (fields, atelier_form_field_new_text ("tune[prompt_attributes][callback]",
                                                              self->pack_prompt_callback));
      return fields;
    }

  for (guint i = 0; i < self->prompts->len; i++)
    {
      g_autofree char *prefix = g_strdup_printf ("tune[prompts_attributes][%u]", i);

      g_ptr_array_extend_and_steal (fields,
                                    atelier_params_to_form (g_ptr_array_index (self->prompts, i),
                                                            prefix));
    }

  return fields;
}

/**
 * atelier_tune_params_to_form:
 * @self: the params
 *
 * POST /tunes as form fields, in this order: the parameters in table
 * order (tune[title], tune[name], …; prompts_callback is for packs only),
 * one tune[images][] file part per image, one tune[image_urls][] per URL,
 * tune[characteristics][KEY] by key, then
 * tune[prompts_attributes][N][FIELD] per first prompt.
 *
 * Returns: (transfer full) (element-type AtelierFormField): the fields
 */
GPtrArray *
atelier_tune_params_to_form (AtelierTuneParams *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE_PARAMS (self), NULL);

  return build_form (self, FALSE);
}

/**
 * atelier_tune_params_to_pack_form:
 * @self: the params
 *
 * POST /p/:id/tunes: what that call documents (tune[title], tune[name],
 * tune[callback], tune[prompts_callback]), the images, URLs and
 * characteristics as above, and tune[prompt_attributes][callback]; no
 * prompts_attributes.
 *
 * Returns: (transfer full) (element-type AtelierFormField): the fields
 */
GPtrArray *
atelier_tune_params_to_pack_form (AtelierTuneParams *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE_PARAMS (self), NULL);

  return build_form (self, TRUE);
}

/**
 * atelier_tune_params_to_json:
 * @self: the params
 *
 * {"tune": {PARAMS…, "image_urls": […], "characteristics": {…},
 * "prompts_attributes": [{…}], "prompt_attributes": {"callback": …}}},
 * each of the last four only when not empty. Files are left out.
 *
 * Returns: (transfer full): the body
 */
JsonNode *
atelier_tune_params_to_json (AtelierTuneParams *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_auto(GStrv) keys = NULL;

  g_return_val_if_fail (ATELIER_IS_TUNE_PARAMS (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "tune");
  json_builder_begin_object (builder);

  atelier_params_to_json (ATELIER_PARAMS (self), builder);

  if (self->image_urls->len > 0)
    {
      json_builder_set_member_name (builder, "image_urls");
      json_builder_begin_array (builder);
      for (guint i = 0; i < self->image_urls->len; i++)
        _atelier_json_builder_add_string (builder, g_ptr_array_index (self->image_urls, i));
      json_builder_end_array (builder);
    }

  keys = _atelier_dup_sorted_keys (self->characteristics);
  if (keys[0] != NULL)
    {
      json_builder_set_member_name (builder, "characteristics");
      json_builder_begin_object (builder);
      for (guint i = 0; keys[i] != NULL; i++)
        {
          _atelier_json_builder_set_member (builder, keys[i]);
          _atelier_json_builder_add_string (builder, g_hash_table_lookup (self->characteristics, keys[i]));
        }
      json_builder_end_object (builder);
    }

  if (self->prompts->len > 0)
    {
      json_builder_set_member_name (builder, "prompts_attributes");
      json_builder_begin_array (builder);
      for (guint i = 0; i < self->prompts->len; i++)
        {
          json_builder_begin_object (builder);
          atelier_params_to_json (g_ptr_array_index (self->prompts, i), builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  if (self->pack_prompt_callback != NULL)
    {
      json_builder_set_member_name (builder, "prompt_attributes");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "callback");
      _atelier_json_builder_add_string (builder, self->pack_prompt_callback);
      json_builder_end_object (builder);
    }

  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* }}} */

/**
 * atelier_tune_title_with_uuid:
 * @readable: (nullable): a title for people ("Jane headshots")
 *
 * A unique title, so that a retried POST /tunes finds the tune the first
 * attempt may have created (see idempotency in the API overview).
 *
 * Returns: (transfer full): "Jane headshots - 3f6c…", or only the UUID
 *   when @readable is empty
 */
char *
atelier_tune_title_with_uuid (const char *readable)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *stripped = g_strstrip (g_strdup (readable != NULL ? readable : ""));

  if (*stripped == '\0')
    return g_steal_pointer (&uuid);

  return g_strdup_printf ("%s - %s", stripped, uuid);
}

/* " - " and a UUID in its 36-character text form */
#define UUID_SUFFIX_LENGTH (3 + 36)

/**
 * atelier_tune_title_without_uuid:
 * @title: (nullable): a tune's title
 *
 * The readable part of a title made by atelier_tune_title_with_uuid():
 * only a trailing " - " followed by a valid UUID is cut, so
 * "Before - After - 3f6c…" gives "Before - After". A title without that
 * ending, or with nothing readable before it, comes back whole.
 *
 * Returns: (transfer full) (nullable): the readable title, %NULL for %NULL
 */
char *
atelier_tune_title_without_uuid (const char *title)
{
  gsize length;
  gsize readable;

  if (title == NULL)
    return NULL;

  length = strlen (title);
  if (length <= UUID_SUFFIX_LENGTH ||
      strncmp (title + length - UUID_SUFFIX_LENGTH, " - ", 3) != 0 ||
      !g_uuid_string_is_valid (title + length - UUID_SUFFIX_LENGTH + 3))
    return g_strdup (title);

  readable = length - UUID_SUFFIX_LENGTH;
  for (gsize i = 0; i < readable; i++)
    if (!g_ascii_isspace (title[i]))
      return g_strndup (title, readable);

  return g_strdup (title);
}
