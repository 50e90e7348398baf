/* atelier-tune.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "atelier-json-private.h"
#include "atelier-model-property-private.h"
#include "atelier-tune.h"
#include "atelier-tune-params.h"

#define EXPIRING_SPAN (3 * G_TIME_SPAN_DAY)

struct _AtelierTune
{
  GObject     parent_instance;

  JsonNode   *json;
  gint64      id;
  char       *title;
  char       *name;
  char       *token;
  char       *branch;
  char       *model_type;
  char       *url;
  gint64      base_tune_id;
  gint64      steps;
  int         face_crop;
  int         training_face_correct;
  GDateTime  *created_at;
  GDateTime  *updated_at;
  GDateTime  *started_training_at;
  GDateTime  *trained_at;
  GDateTime  *eta;
  GDateTime  *expires_at;
  GStrv       orig_images;
  GHashTable *characteristics;  /* (owned) string → string */
};

G_DEFINE_FINAL_TYPE (AtelierTune, atelier_tune, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_NAME,
  PROP_TOKEN,
  PROP_BRANCH,
  PROP_MODEL_TYPE,
  PROP_URL,
  PROP_BASE_TUNE_ID,
  PROP_TRAINED,
  PROP_CREATED_AT,
  PROP_TRAINED_AT,
  PROP_ETA,
  PROP_EXPIRES_AT,
  N_PROPS
};

#define OFFSET(field) G_STRUCT_OFFSET (AtelierTune, field)

static const AtelierModelField tune_fields[] = {
  { NULL, ATELIER_MODEL_JSON, OFFSET (json) },
  { "id", ATELIER_MODEL_INT64, OFFSET (id) },
  { "title", ATELIER_MODEL_STRING, OFFSET (title) },
  { "name", ATELIER_MODEL_STRING, OFFSET (name) },
  { "token", ATELIER_MODEL_STRING, OFFSET (token) },
  { "branch", ATELIER_MODEL_STRING, OFFSET (branch) },
  { "model_type", ATELIER_MODEL_STRING, OFFSET (model_type) },
  { "url", ATELIER_MODEL_STRING, OFFSET (url) },
  { "base_tune_id", ATELIER_MODEL_INT64, OFFSET (base_tune_id), 0 },
  { "steps", ATELIER_MODEL_INT64, OFFSET (steps), -1 },
  { "face_crop", ATELIER_MODEL_TRISTATE, OFFSET (face_crop) },
  { "training_face_correct", ATELIER_MODEL_TRISTATE, OFFSET (training_face_correct) },
  { "created_at", ATELIER_MODEL_DATE_TIME, OFFSET (created_at) },
  { "updated_at", ATELIER_MODEL_DATE_TIME, OFFSET (updated_at) },
  { "started_training_at", ATELIER_MODEL_DATE_TIME, OFFSET (started_training_at) },
  { "trained_at", ATELIER_MODEL_DATE_TIME, OFFSET (trained_at) },
  { "eta", ATELIER_MODEL_DATE_TIME, OFFSET (eta) },
  { "expires_at", ATELIER_MODEL_DATE_TIME, OFFSET (expires_at) },
  { "orig_images", ATELIER_MODEL_STRV, OFFSET (orig_images) },
};

static void
atelier_tune_finalize (GObject *object)
{
  AtelierTune *self = (AtelierTune *) object;

  _atelier_model_clear_fields (self, tune_fields, G_N_ELEMENTS (tune_fields));
  g_clear_pointer (&self->characteristics, g_hash_table_unref);

  G_OBJECT_CLASS (atelier_tune_parent_class)->finalize (object);
}

static void
get_trained (GObject    *object,
             GParamSpec *pspec,
             GValue     *value)
{
  g_value_set_boolean (value, atelier_tune_is_trained (ATELIER_TUNE (object)));
}

static const AtelierModelProperty tune_properties[N_PROPS] = {
  [PROP_ID] = { "id", ATELIER_MODEL_INT64, OFFSET (id), 0 },
  [PROP_TITLE] = { "title", ATELIER_MODEL_STRING, OFFSET (title) },
  [PROP_NAME] = { "name", ATELIER_MODEL_STRING, OFFSET (name) },
  [PROP_TOKEN] = { "token", ATELIER_MODEL_STRING, OFFSET (token) },
  [PROP_BRANCH] = { "branch", ATELIER_MODEL_STRING, OFFSET (branch) },
  [PROP_MODEL_TYPE] = { "model-type", ATELIER_MODEL_STRING, OFFSET (model_type) },
  [PROP_URL] = { "url", ATELIER_MODEL_STRING, OFFSET (url) },
  [PROP_BASE_TUNE_ID] = { "base-tune-id", ATELIER_MODEL_INT64, OFFSET (base_tune_id), G_MININT64 },
  [PROP_TRAINED] = { "trained", ATELIER_MODEL_BOOLEAN, .get = get_trained },
  [PROP_CREATED_AT] = { "created-at", ATELIER_MODEL_DATE_TIME, OFFSET (created_at) },
  [PROP_TRAINED_AT] = { "trained-at", ATELIER_MODEL_DATE_TIME, OFFSET (trained_at) },
  [PROP_ETA] = { "eta", ATELIER_MODEL_DATE_TIME, OFFSET (eta) },
  [PROP_EXPIRES_AT] = { "expires-at", ATELIER_MODEL_DATE_TIME, OFFSET (expires_at) },
};

static void
atelier_tune_class_init (AtelierTuneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = atelier_tune_finalize;
  _atelier_model_class_install_properties (object_class, tune_properties, N_PROPS, NULL);
}

static void
atelier_tune_init (AtelierTune *self)
{
}

/* Members of "characteristics" that are strings. */
static GHashTable *
read_characteristics (JsonObject *object)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JsonObject *characteristics = _atelier_json_get_object (object, "characteristics");
  g_autoptr(GList) members = NULL;

  if (characteristics != NULL)
    members = json_object_get_members (characteristics);

  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *value = _atelier_json_get_string (characteristics, l->data);

      if (value != NULL)
        g_hash_table_replace (table, g_strdup (l->data), g_strdup (value));
    }

  return table;
}

/**
 * atelier_tune_new_from_json:
 * @node: a tune object as the API returns it
 * @error: return location for an %ATELIER_API_ERROR_PARSE error
 *
 * Returns: (transfer full) (nullable): the tune
 */
AtelierTune *
atelier_tune_new_from_json (JsonNode  *node,
                            GError   **error)
{
  AtelierTune *self = _atelier_model_new_from_json (ATELIER_TYPE_TUNE, "tune", node, tune_fields,
                                                    G_N_ELEMENTS (tune_fields), error);

  if (self != NULL)
    self->characteristics = read_characteristics (json_node_get_object (self->json));

  return self;
}

/**
 * atelier_tune_list_from_json:
 * @node: an array of tunes
 * @error: return location for an %ATELIER_API_ERROR_PARSE error
 *
 * Returns: (transfer full) (element-type AtelierTune): the tunes
 */
GPtrArray *
atelier_tune_list_from_json (JsonNode  *node,
                             GError   **error)
{
  return _atelier_json_list_from_array (node, (AtelierJsonParseFunc) atelier_tune_new_from_json, error);
}

gint64
atelier_tune_get_id (AtelierTune *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE (self), 0);
  return self->id;
}

const char *
atelier_tune_get_title (AtelierTune *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE (self), NULL);
  return self->title;
}

const char *
atelier_tune_get_name (AtelierTune *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE (self), NULL);
  return self->name;
}

const char *
atelier_tune_get_token (AtelierTune *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE (self), NULL);
  return self->token;
}

const char *
atelier_tune_get_branch (AtelierTune *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE (self), NULL);
  return self->branch;
}

const char *
atelier_tune_get_model_type (AtelierTune *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE (self), NULL);
  return self->model_type;
}

const char *
atelier_tune_get_url (AtelierTune *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE (self), NULL);
  return self->url;
}

gint64
atelier_tune_get_base_tune_id (AtelierTune *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE (self), 0);
  return self->base_tune_id;
}

gint64
atelier_tune_get_steps (AtelierTune *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE (self), -1);
  return self->steps;
}

int
atelier_tune_get_face_crop (AtelierTune *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE (self), -1);
  return self->face_crop;
}

int
atelier_tune_get_training_face_correct (AtelierTune *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE (self), -1);
  return self->training_face_correct;
}

GDateTime *
atelier_tune_get_created_at (AtelierTune *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE (self), NULL);
  return self->created_at;
}

GDateTime *
atelier_tune_get_updated_at (AtelierTune *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE (self), NULL);
  return self->updated_at;
}

GDateTime *
atelier_tune_get_started_training_at (AtelierTune *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE (self), NULL);
  return self->started_training_at;
}

GDateTime *
atelier_tune_get_trained_at (AtelierTune *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE (self), NULL);
  return self->trained_at;
}

GDateTime *
atelier_tune_get_eta (AtelierTune *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE (self), NULL);
  return self->eta;
}

GDateTime *
atelier_tune_get_expires_at (AtelierTune *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE (self), NULL);
  return self->expires_at;
}

const char * const *
atelier_tune_get_orig_images (AtelierTune *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE (self), NULL);
  return (const char * const *) self->orig_images;
}

GStrv
atelier_tune_dup_characteristic_keys (AtelierTune *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE (self), NULL);

  return _atelier_dup_sorted_keys (self->characteristics);
}

const char *
atelier_tune_get_characteristic (AtelierTune *self,
                                 const char  *key)
{
  g_return_val_if_fail (ATELIER_IS_TUNE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return g_hash_table_lookup (self->characteristics, key);
}

/**
 * atelier_tune_dup_display_title:
 * @self: a tune
 *
 * Returns: (transfer full): the title as it is, or "Tune 123" when the
 *   tune has none
 */
char *
atelier_tune_dup_display_title (AtelierTune *self)
{
  g_autofree char *id = NULL;

  g_return_val_if_fail (ATELIER_IS_TUNE (self), NULL);

  if (self->title != NULL && *self->title != '\0')
    return g_strdup (self->title);

  id = g_strdup_printf ("%" G_GINT64_FORMAT, self->id);
  /* Translators: a tune without a title; %s is its number */
  return g_strdup_printf (_("Tune %s"), id);
}

/**
 * atelier_tune_dup_short_title:
 * @self: a tune
 *
 * The name to show in lists and pickers: the display title without the
 * UUID that makes it unique (atelier_tune_title_without_uuid()).
 *
 * Returns: (transfer full): "Jane" for "Jane - 3f6c…", else the display title
 */
char *
atelier_tune_dup_short_title (AtelierTune *self)
{
  g_autofree char *title = atelier_tune_dup_display_title (self);

  return atelier_tune_title_without_uuid (title);
}

gboolean
atelier_tune_is_trained (AtelierTune *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE (self), FALSE);
  return self->trained_at != NULL;
}

/**
 * atelier_tune_get_state:
 * @self: a tune
 * @now: (nullable): the time to compare with, %NULL for now
 *
 * %ATELIER_TUNE_STATE_EXPIRED once expires_at has passed (its storage is
 * gone, trained or not); otherwise %ATELIER_TUNE_STATE_TRAINING until
 * trained_at is set; then %ATELIER_TUNE_STATE_EXPIRING when it expires
 * within three days, else %ATELIER_TUNE_STATE_READY.
 */
AtelierTuneState
atelier_tune_get_state (AtelierTune *self,
                        GDateTime   *now)
{
  g_autoptr(GDateTime) current = NULL;

  g_return_val_if_fail (ATELIER_IS_TUNE (self), ATELIER_TUNE_STATE_TRAINING);

  current = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_utc ();

  if (self->expires_at != NULL && g_date_time_compare (self->expires_at, current) <= 0)
    return ATELIER_TUNE_STATE_EXPIRED;

  if (self->trained_at == NULL)
    return ATELIER_TUNE_STATE_TRAINING;

  if (self->expires_at != NULL &&
      g_date_time_difference (self->expires_at, current) <= EXPIRING_SPAN)
    return ATELIER_TUNE_STATE_EXPIRING;

  return ATELIER_TUNE_STATE_READY;
}

/**
 * atelier_tune_get_json:
 * @self: a tune
 *
 * Returns: (transfer none): the object as received; do not modify it
 */
JsonNode *
atelier_tune_get_json (AtelierTune *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE (self), NULL);
  return self->json;
}
