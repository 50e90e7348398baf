/* atelier-prompt.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-json-private.h"
#include "atelier-model-property-private.h"
#include "atelier-prompt.h"

struct _AtelierPrompt
{
  GObject     parent_instance;

  JsonNode   *json;
  gint64      id;
  gint64      tune_id;
  gint64      orig_prompt_id;
  char       *text;
  char       *negative_prompt;
  char       *callback;
  char       *url;
  char       *user_error;
  gint64      seed;
  double      cfg_scale;
  gint64      steps;
  gint64      num_images;
  gint64      width;
  gint64      height;
  GDateTime  *created_at;
  GDateTime  *updated_at;
  GStrv       images;
};

G_DEFINE_FINAL_TYPE (AtelierPrompt, atelier_prompt, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TUNE_ID,
  PROP_TEXT,
  PROP_NEGATIVE_PROMPT,
  PROP_USER_ERROR,
  PROP_N_IMAGES,
  PROP_CREATED_AT,
  N_PROPS
};

#define OFFSET(field) G_STRUCT_OFFSET (AtelierPrompt, field)

static const AtelierModelField prompt_fields[] = {
  { NULL, ATELIER_MODEL_JSON, OFFSET (json) },
  { "id", ATELIER_MODEL_INT64, OFFSET (id) },
  { "tune_id", ATELIER_MODEL_INT64, OFFSET (tune_id), 0 },
  { "orig_prompt_id", ATELIER_MODEL_INT64, OFFSET (orig_prompt_id), 0 },
  { "text", ATELIER_MODEL_STRING, OFFSET (text) },
  { "negative_prompt", ATELIER_MODEL_STRING, OFFSET (negative_prompt) },
  { "callback", ATELIER_MODEL_STRING, OFFSET (callback) },
  { "url", ATELIER_MODEL_STRING, OFFSET (url) },
  { "user_error", ATELIER_MODEL_STRING, OFFSET (user_error) },
  { "seed", ATELIER_MODEL_INT64, OFFSET (seed), -1 },
  { "cfg_scale", ATELIER_MODEL_DOUBLE, OFFSET (cfg_scale), -1 },
  { "steps", ATELIER_MODEL_INT64, OFFSET (steps), -1 },
  { "num_images", ATELIER_MODEL_INT64, OFFSET (num_images), -1 },
  { "w", ATELIER_MODEL_INT64, OFFSET (width), 0 },
  { "h", ATELIER_MODEL_INT64, OFFSET (height), 0 },
  { "created_at", ATELIER_MODEL_DATE_TIME, OFFSET (created_at) },
  { "updated_at", ATELIER_MODEL_DATE_TIME, OFFSET (updated_at) },
  { "images", ATELIER_MODEL_STRV, OFFSET (images) },
};

static void
atelier_prompt_finalize (GObject *object)
{
  _atelier_model_clear_fields (object, prompt_fields, G_N_ELEMENTS (prompt_fields));

  G_OBJECT_CLASS (atelier_prompt_parent_class)->finalize (object);
}

static void
get_user_error (GObject    *object,
                GParamSpec *pspec,
                GValue     *value)
{
  g_value_set_string (value, atelier_prompt_get_user_error (ATELIER_PROMPT (object)));
}

static void
get_n_images (GObject    *object,
              GParamSpec *pspec,
              GValue     *value)
{
  g_value_set_uint (value, atelier_prompt_get_n_images (ATELIER_PROMPT (object)));
}

static const AtelierModelProperty prompt_properties[N_PROPS] = {
  /* Negative for prompts made on this computer. */
  [PROP_ID] = { "id", ATELIER_MODEL_INT64, OFFSET (id), G_MININT64 },
  [PROP_TUNE_ID] = { "tune-id", ATELIER_MODEL_INT64, OFFSET (tune_id), G_MININT64 },
  [PROP_TEXT] = { "text", ATELIER_MODEL_STRING, OFFSET (text) },
  [PROP_NEGATIVE_PROMPT] = { "negative-prompt", ATELIER_MODEL_STRING, OFFSET (negative_prompt) },
  [PROP_USER_ERROR] = { "user-error", ATELIER_MODEL_STRING, .get = get_user_error },
  [PROP_N_IMAGES] = { "n-images", ATELIER_MODEL_UINT, .get = get_n_images },
  [PROP_CREATED_AT] = { "created-at", ATELIER_MODEL_DATE_TIME, OFFSET (created_at) },
};

static void
atelier_prompt_class_init (AtelierPromptClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = atelier_prompt_finalize;
  _atelier_model_class_install_properties (object_class, prompt_properties, N_PROPS, NULL);
}

static void
atelier_prompt_init (AtelierPrompt *self)
{
}

/**
 * atelier_prompt_new_from_json:
 * @node: a prompt object as the API returns it
 * @error: return location for an %ATELIER_API_ERROR_PARSE error
 *
 * Returns: (transfer full) (nullable): the prompt, or %NULL when @node is
 *   not an object with a usable "id"
 */
/* A prompt made on this computer: a string "atelier_source" and a
 * negative id (the service's ids are positive, so neither can pass for
 * the other). */
static gboolean
is_local_object (JsonNode *node,
                 gint64   *id)
{
  JsonObject *object;
  JsonNode *source;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;

  object = json_node_get_object (node);
  source = json_object_get_member (object, "atelier_source");
  if (source == NULL || !JSON_NODE_HOLDS_VALUE (source) || json_node_get_value_type (source) != G_TYPE_STRING ||
      *json_node_get_string (source) == '\0')
    return FALSE;

  *id = _atelier_json_get_int (object, "id", 0);
  return *id < 0;
}

AtelierPrompt *
atelier_prompt_new_from_json (JsonNode  *node,
                              GError   **error)
{
  AtelierPrompt *self;
  gint64 local_id = 0;

  if (is_local_object (node, &local_id))
    {
      /* The table's reader wants a positive id: read a copy that has one,
       * then put the real id and object back. */
      g_autoptr(JsonNode) copy = json_node_new (JSON_NODE_OBJECT);
      JsonObject *members = json_object_new ();
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      /* A new object (json_node_copy() would share @node's). */
      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        json_object_set_member (members, name, json_node_copy (member));
      json_object_set_int_member (members, "id", 1);
      json_node_take_object (copy, members);
      self = _atelier_model_new_from_json (ATELIER_TYPE_PROMPT, "prompt", copy, prompt_fields,
                                           G_N_ELEMENTS (prompt_fields), error);
      if (self != NULL)
        {
          self->id = local_id;
          g_clear_pointer (&self->json, json_node_unref);
          self->json = json_node_copy (node);
        }
    }
  else
    self = _atelier_model_new_from_json (ATELIER_TYPE_PROMPT, "prompt", node, prompt_fields,
                                         G_N_ELEMENTS (prompt_fields), error);

  /* An empty message is no error. */
  if (self != NULL && self->user_error != NULL && *self->user_error == '\0')
    g_clear_pointer (&self->user_error, g_free);

  return self;
}

/**
 * atelier_prompt_list_from_json:
 * @node: an array of prompts
 * @error: return location for an %ATELIER_API_ERROR_PARSE error
 *
 * Returns: (transfer full) (element-type AtelierPrompt): the prompts
 */
GPtrArray *
atelier_prompt_list_from_json (JsonNode  *node,
                               GError   **error)
{
  return _atelier_json_list_from_array (node, (AtelierJsonParseFunc) atelier_prompt_new_from_json, error);
}

gint64
atelier_prompt_get_id (AtelierPrompt *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPT (self), 0);
  return self->id;
}

gint64
atelier_prompt_get_tune_id (AtelierPrompt *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPT (self), 0);
  return self->tune_id;
}

gint64
atelier_prompt_get_orig_prompt_id (AtelierPrompt *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPT (self), 0);
  return self->orig_prompt_id;
}

const char *
atelier_prompt_get_text (AtelierPrompt *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPT (self), NULL);
  return self->text;
}

const char *
atelier_prompt_get_negative_prompt (AtelierPrompt *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPT (self), NULL);
  return self->negative_prompt;
}

const char *
atelier_prompt_get_callback (AtelierPrompt *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPT (self), NULL);
  return self->callback;
}

const char *
atelier_prompt_get_url (AtelierPrompt *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPT (self), NULL);
  return self->url;
}

/* The server's message; NULL unless the state is FAILED (a prompt that
 * has images is done, whatever else it carries). */
const char *
atelier_prompt_get_user_error (AtelierPrompt *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPT (self), NULL);

  if (atelier_prompt_get_state (self) != ATELIER_PROMPT_STATE_FAILED)
    return NULL;

  return self->user_error;
}

gint64
atelier_prompt_get_seed (AtelierPrompt *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPT (self), -1);
  return self->seed;
}

double
atelier_prompt_get_cfg_scale (AtelierPrompt *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPT (self), -1);
  return self->cfg_scale;
}

gint64
atelier_prompt_get_steps (AtelierPrompt *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPT (self), -1);
  return self->steps;
}

gint64
atelier_prompt_get_num_images (AtelierPrompt *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPT (self), -1);
  return self->num_images;
}

gint64
atelier_prompt_get_width (AtelierPrompt *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPT (self), 0);
  return self->width;
}

gint64
atelier_prompt_get_height (AtelierPrompt *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPT (self), 0);
  return self->height;
}

GDateTime *
atelier_prompt_get_created_at (AtelierPrompt *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPT (self), NULL);
  return self->created_at;
}

GDateTime *
atelier_prompt_get_updated_at (AtelierPrompt *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPT (self), NULL);
  return self->updated_at;
}

const char * const *
atelier_prompt_get_images (AtelierPrompt *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPT (self), NULL);
  return (const char * const *) self->images;
}

guint
atelier_prompt_get_n_images (AtelierPrompt *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPT (self), 0);
  return g_strv_length (self->images);
}

AtelierPromptState
atelier_prompt_get_state (AtelierPrompt *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPT (self), ATELIER_PROMPT_STATE_PENDING);

  if (self->images[0] != NULL)
    return ATELIER_PROMPT_STATE_DONE;
  if (self->user_error != NULL)
    return ATELIER_PROMPT_STATE_FAILED;

  return ATELIER_PROMPT_STATE_PENDING;
}

/**
 * atelier_prompt_get_json:
 * @self: a prompt
 *
 * Returns: (transfer none): the object as received; do not modify it
 */
JsonNode *
atelier_prompt_get_json (AtelierPrompt *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPT (self), NULL);
  return self->json;
}

/**
 * atelier_prompt_get_source:
 * @self: a prompt
 *
 * Returns: (nullable): the "atelier_source" of a prompt made on this
 *   computer (e.g. %ATELIER_PROMPT_SOURCE_FACEID_FAL), %NULL for the
 *   service's prompts
 */
const char *
atelier_prompt_get_source (AtelierPrompt *self)
{
  const char *source;

  g_return_val_if_fail (ATELIER_IS_PROMPT (self), NULL);

  /* Only a negative id is ours (see is_local_object()). */
  if (self->id >= 0 || self->json == NULL)
    return NULL;

  source = _atelier_json_get_string (json_node_get_object (self->json), "atelier_source");
  return source != NULL && *source != '\0' ? source : NULL;
}

/**
 * atelier_prompt_get_faceid:
 * @self: a prompt
 *
 * Returns: (transfer none) (nullable): the "faceid" object of a FaceID
 *   result, %NULL for other prompts or when it is not an object
 */
JsonObject *
atelier_prompt_get_faceid (AtelierPrompt *self)
{
  JsonNode *faceid;

  g_return_val_if_fail (ATELIER_IS_PROMPT (self), NULL);

  if (atelier_prompt_get_source (self) == NULL)
    return NULL;

  faceid = json_object_get_member (json_node_get_object (self->json), "faceid");
  if (faceid == NULL || !JSON_NODE_HOLDS_OBJECT (faceid))
    return NULL;

  return json_node_get_object (faceid);
}
