/* atelier-pack-run.c: one test run of a pack or a theme on test tunes
 *
 * The file, version 1:
 *   { "version": 1, "kind": "pack" | "theme", "pack_id": 260,
 *     "title": "Corporate headshots", "started_at": "2026-12-07T05:16:00Z",
 *     "tunes": [ { "id": 1, "title": "Ada", "token": "ohwx", "name": "woman" } ] }
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-api-error.h"
#include "atelier-pack-run.h"

/* More would be no test run: the service takes a few tunes at a time. */
#define MAX_TUNES 200

typedef struct
{
  gint64  id;
  char   *title;
  char   *token;
  char   *name;
} RunTune;

struct _AtelierPackRun
{
  GObject             parent_instance;

  char               *id;
  char               *problem;
  AtelierPackRunKind  kind;
  gint64              pack_id;
  char               *title;
  GDateTime          *started_at;
  GArray             *tunes;      /* RunTune */
};

G_DEFINE_FINAL_TYPE (AtelierPackRun, atelier_pack_run, G_TYPE_OBJECT)

static void
run_tune_clear (RunTune *tune)
{
  g_free (tune->title);
  g_free (tune->token);
  g_free (tune->name);
}

static void
add_tune (AtelierPackRun *self,
          gint64          id,
          const char     *title,
          const char     *token,
          const char     *name)
{
  RunTune tune = { id, g_strdup (title), g_strdup (token), g_strdup (name) };

  g_array_append_val (self->tunes, tune);
}

static AtelierPackRun *
new_run (AtelierPackRunKind  kind,
         gint64              pack_id,
         const char         *title,
         GPtrArray          *tunes,
         GDateTime          *started_at)
{
  AtelierPackRun *self = g_object_new (ATELIER_TYPE_PACK_RUN, NULL);

  self->kind = kind;
  self->pack_id = pack_id;
  self->title = g_strdup (title);
  self->started_at = g_date_time_ref (started_at);
  self->id = g_strdup_printf ("%s-%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT,
                              kind == ATELIER_PACK_RUN_PACK ? "pack" : "theme", pack_id,
                              g_date_time_to_unix (started_at) * G_USEC_PER_SEC +
                              g_date_time_get_microsecond (started_at));

  for (guint i = 0; tunes != NULL && i < tunes->len; i++)
    {
      AtelierTune *tune = g_ptr_array_index (tunes, i);
      g_autofree char *short_title = atelier_tune_dup_short_title (tune);

      add_tune (self, atelier_tune_get_id (tune), short_title, atelier_tune_get_token (tune),
                atelier_tune_get_name (tune));
    }

  return self;
}

AtelierPackRun *
atelier_pack_run_new_for_pack (AtelierPack *pack,
                               GPtrArray   *tunes,
                               GDateTime   *started_at)
{
  g_return_val_if_fail (ATELIER_IS_PACK (pack), NULL);
  g_return_val_if_fail (started_at != NULL, NULL);

  return new_run (ATELIER_PACK_RUN_PACK, atelier_pack_get_id (pack), atelier_pack_get_title (pack),
                  tunes, started_at);
}

AtelierPackRun *
atelier_pack_run_new_for_theme (const char *theme,
                                GPtrArray  *tunes,
                                GDateTime  *started_at)
{
  g_return_val_if_fail (theme != NULL, NULL);
  g_return_val_if_fail (started_at != NULL, NULL);

  return new_run (ATELIER_PACK_RUN_THEME, 0, theme, tunes, started_at);
}

AtelierPackRun *
atelier_pack_run_new_unreadable (const char   *id,
                                 const GError *error)
{
  AtelierPackRun *self;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error != NULL, NULL);

  self = g_object_new (ATELIER_TYPE_PACK_RUN, NULL);
  self->id = g_strdup (id);
  self->problem = g_strdup (error->message);
  self->title = g_strdup (id);
  self->started_at = g_date_time_new_from_unix_utc (0);

  return self;
}

/* Reading */

static gboolean
fail (GError     **error,
      const char  *member)
{
  g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_PARSE,
               _("The test run file is not as expected (%s)"), member);
  return FALSE;
}

static AtelierPackRun *
invalid (GError     **error,
         const char  *member)
{
  fail (error, member);
  return NULL;
}

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
get_int (JsonObject *object,
         const char *member,
         gint64     *value)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return TRUE;
}

static gboolean
read_tunes (AtelierPackRun  *self,
            JsonNode        *node,
            GError         **error)
{
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, "tunes");
  array = json_node_get_array (node);
  if (json_array_get_length (array) == 0 || json_array_get_length (array) > MAX_TUNES)
    return fail (error, "tunes");

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object;
      gint64 id;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return fail (error, "tunes");
      object = json_node_get_object (element);
      if (!get_int (object, "id", &id) || id <= 0 || get_string (object, "title") == NULL)
        return fail (error, "tunes");

      add_tune (self, id, get_string (object, "title"), get_string (object, "token"), get_string (object, "name"));
    }

  return TRUE;
}

AtelierPackRun *
atelier_pack_run_new_from_json (JsonNode  *node,
                                GError   **error)
{
  g_autoptr(AtelierPackRun) self = NULL;
  JsonObject *object;
  const char *kind;
  const char *started;
  gint64 version;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, "{}");
  object = json_node_get_object (node);

  if (!get_int (object, "version", &version) || version != 1)
    return invalid (error, "version");

  self = g_object_new (ATELIER_TYPE_PACK_RUN, NULL);
  kind = get_string (object, "kind");
  if (g_strcmp0 (kind, "pack") == 0)
    self->kind = ATELIER_PACK_RUN_PACK;
  else if (g_strcmp0 (kind, "theme") == 0)
    self->kind = ATELIER_PACK_RUN_THEME;
  else
    return invalid (error, "kind");

  if (!get_int (object, "pack_id", &self->pack_id) || self->pack_id < 0 ||
      (self->kind == ATELIER_PACK_RUN_PACK && self->pack_id == 0))
    return invalid (error, "pack_id");

  self->title = g_strdup (get_string (object, "title"));
  if (self->title == NULL)
    return invalid (error, "title");

  started = get_string (object, "started_at");
  if (started == NULL || (self->started_at = g_date_time_new_from_iso8601 (started, NULL)) == NULL)
    return invalid (error, "started_at");

  if (!read_tunes (self, json_object_get_member (object, "tunes"), error))
    return NULL;

  self->id = g_strdup_printf ("%s-%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT, kind, self->pack_id,
                              g_date_time_to_unix (self->started_at) * G_USEC_PER_SEC +
                              g_date_time_get_microsecond (self->started_at));

  return g_steal_pointer (&self);
}

JsonNode *
atelier_pack_run_to_json (AtelierPackRun *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *started = NULL;

  g_return_val_if_fail (ATELIER_IS_PACK_RUN (self), NULL);
  g_return_val_if_fail (self->problem == NULL, NULL);

  started = g_date_time_format_iso8601 (self->started_at);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, self->kind == ATELIER_PACK_RUN_PACK ? "pack" : "theme");
  json_builder_set_member_name (builder, "pack_id");
  json_builder_add_int_value (builder, self->pack_id);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, self->title);
  json_builder_set_member_name (builder, "started_at");
  json_builder_add_string_value (builder, started);
  json_builder_set_member_name (builder, "tunes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->tunes->len; i++)
    {
      RunTune *tune = &g_array_index (self->tunes, RunTune, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, tune->id);
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, tune->title != NULL ? tune->title : "");
      if (tune->token != NULL)
        {
          json_builder_set_member_name (builder, "token");
          json_builder_add_string_value (builder, tune->token);
        }
      if (tune->name != NULL)
        {
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, tune->name);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Getters */

const char *
atelier_pack_run_get_id (AtelierPackRun *self)
{
  g_return_val_if_fail (ATELIER_IS_PACK_RUN (self), NULL);
  return self->id;
}

gboolean
atelier_pack_run_is_readable (AtelierPackRun *self)
{
  g_return_val_if_fail (ATELIER_IS_PACK_RUN (self), FALSE);
  return self->problem == NULL;
}

const char *
atelier_pack_run_get_problem (AtelierPackRun *self)
{
  g_return_val_if_fail (ATELIER_IS_PACK_RUN (self), NULL);
  return self->problem;
}

AtelierPackRunKind
atelier_pack_run_get_kind (AtelierPackRun *self)
{
  g_return_val_if_fail (ATELIER_IS_PACK_RUN (self), ATELIER_PACK_RUN_PACK);
  return self->kind;
}

gint64
atelier_pack_run_get_pack_id (AtelierPackRun *self)
{
  g_return_val_if_fail (ATELIER_IS_PACK_RUN (self), 0);
  return self->pack_id;
}

const char *
atelier_pack_run_get_title (AtelierPackRun *self)
{
  g_return_val_if_fail (ATELIER_IS_PACK_RUN (self), NULL);
  return self->title;
}

GDateTime *
atelier_pack_run_get_started_at (AtelierPackRun *self)
{
  g_return_val_if_fail (ATELIER_IS_PACK_RUN (self), NULL);
  return self->started_at;
}

guint
atelier_pack_run_get_n_tunes (AtelierPackRun *self)
{
  g_return_val_if_fail (ATELIER_IS_PACK_RUN (self), 0);
  return self->tunes->len;
}

static RunTune *
tune_at (AtelierPackRun *self,
         guint           index)
{
  g_return_val_if_fail (ATELIER_IS_PACK_RUN (self), NULL);
  g_return_val_if_fail (index < self->tunes->len, NULL);

  return &g_array_index (self->tunes, RunTune, index);
}

gint64
atelier_pack_run_get_tune_id (AtelierPackRun *self,
                              guint           index)
{
  RunTune *tune = tune_at (self, index);

  return tune != NULL ? tune->id : 0;
}

const char *
atelier_pack_run_get_tune_title (AtelierPackRun *self,
                                 guint           index)
{
  RunTune *tune = tune_at (self, index);

  return tune != NULL ? tune->title : NULL;
}

const char *
atelier_pack_run_get_tune_token (AtelierPackRun *self,
                                 guint           index)
{
  RunTune *tune = tune_at (self, index);

  return tune != NULL ? tune->token : NULL;
}

const char *
atelier_pack_run_get_tune_class (AtelierPackRun *self,
                                 guint           index)
{
  RunTune *tune = tune_at (self, index);

  return tune != NULL ? tune->name : NULL;
}

int
atelier_pack_run_find_tune (AtelierPackRun *self,
                            gint64          tune_id)
{
  g_return_val_if_fail (ATELIER_IS_PACK_RUN (self), -1);

  for (guint i = 0; i < self->tunes->len; i++)
    {
      if (g_array_index (self->tunes, RunTune, i).id == tune_id)
        return (int) i;
    }

  return -1;
}

/* GObject */

static void
atelier_pack_run_finalize (GObject *object)
{
  AtelierPackRun *self = ATELIER_PACK_RUN (object);

  g_free (self->id);
  g_free (self->problem);
  g_free (self->title);
  g_clear_pointer (&self->started_at, g_date_time_unref);
  g_array_unref (self->tunes);

  G_OBJECT_CLASS (atelier_pack_run_parent_class)->finalize (object);
}

static void
atelier_pack_run_class_init (AtelierPackRunClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = atelier_pack_run_finalize;
}

static void
atelier_pack_run_init (AtelierPackRun *self)
{
  self->tunes = g_array_new (FALSE, TRUE, sizeof (RunTune));
  g_array_set_clear_func (self->tunes, (GDestroyNotify) run_tune_clear);
}
