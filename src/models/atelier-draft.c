/* atelier-draft.c: the tune being composed, kept on disk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "atelier-draft.h"
#include "atelier-json-private.h"
#include "atelier-model-property-private.h"
#include "atelier-models-private.h"

struct _AtelierDraft
{
  GObject     parent_instance;

  char       *path;
  JsonObject *root;

  guint       save_id;      /* the delayed save */
  gboolean    dirty;        /* changed since the last write started */
  gboolean    writing;
};

G_DEFINE_FINAL_TYPE (AtelierDraft, atelier_draft, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SAVED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];


/* {{{ Writing */

static void write_now (AtelierDraft *self);

static void
notify_saved (AtelierDraft *self,
              gboolean      was_saved)
{
  if (was_saved != atelier_draft_get_saved (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAVED]);
}

typedef struct
{
  char   *path;
  GBytes *contents;   /* NULL: remove the file */
} WriteData;

static void
write_data_free (WriteData *data)
{
  g_free (data->path);
  g_clear_pointer (&data->contents, g_bytes_unref);
  g_free (data);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteData *data = task_data;
  g_autofree char *dir = g_path_get_dirname (data->path);
  GError *error = NULL;

  if (data->contents == NULL)
    {
      if (g_unlink (data->path) != 0 && errno != ENOENT)
        {
          int saved_errno = errno;

          g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                                   "%s: %s", data->path, g_strerror (saved_errno));
          return;
        }
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               "%s: %s", dir, g_strerror (saved_errno));
      return;
    }

  /* A temporary file renamed over the old one: a crash leaves one or the
   * other, never half of one. */
  if (!g_file_set_contents_full (data->path,
                                 g_bytes_get_data (data->contents, NULL),
                                 (gssize) g_bytes_get_size (data->contents),
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
write_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  AtelierDraft *self = ATELIER_DRAFT (source);
  g_autoptr(GError) error = NULL;
  gboolean was_saved = atelier_draft_get_saved (self);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_warning ("Could not save the tune draft: %s", error->message);

  self->writing = FALSE;
  if (self->dirty && self->save_id == 0)
    write_now (self);

  notify_saved (self, was_saved);
}

static GBytes *
serialize (AtelierDraft *self)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  gsize length = 0;
  char *text;

  json_node_set_object (node, self->root);
  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &length);

  return g_bytes_new_take (text, length);
}

static void
write_now (AtelierDraft *self)
{
  g_autoptr(GTask) task = NULL;
  WriteData *data;

  g_clear_handle_id (&self->save_id, g_source_remove);
  if (self->writing)
    return;   /* write_cb writes again */

  data = g_new0 (WriteData, 1);
  data->path = g_strdup (self->path);
  if (!atelier_draft_is_empty (self))
    data->contents = serialize (self);

  self->dirty = FALSE;
  self->writing = TRUE;

  /* The task holds the draft until the write is done. */
  task = g_task_new (self, NULL, write_cb, NULL);
  g_task_set_source_tag (task, write_now);
  g_task_set_task_data (task, data, (GDestroyNotify) write_data_free);
  g_task_run_in_thread (task, write_thread);
}

static gboolean
save_timeout_cb (gpointer user_data)
{
  AtelierDraft *self = user_data;

  self->save_id = 0;
  write_now (self);
  return G_SOURCE_REMOVE;
}

static void
changed (AtelierDraft *self,
         const char   *key)
{
  gboolean was_saved = atelier_draft_get_saved (self);

  self->dirty = TRUE;
  if (self->save_id == 0)
    self->save_id = g_timeout_add (ATELIER_DRAFT_SAVE_DELAY_MS, save_timeout_cb, self);

  notify_saved (self, was_saved);
  g_signal_emit (self, signals[CHANGED], g_quark_from_string (key), key);
}

void
atelier_draft_flush (AtelierDraft *self)
{
  g_return_if_fail (ATELIER_IS_DRAFT (self));

  if (self->dirty)
    write_now (self);
}

gboolean
atelier_draft_begin_upload (AtelierDraft *self)
{
  gboolean uncertain;

  g_return_val_if_fail (ATELIER_IS_DRAFT (self), FALSE);

  uncertain = atelier_draft_get_boolean (self, "upload_uncertain", FALSE);
  atelier_draft_set_boolean (self, "upload_uncertain", TRUE);
  atelier_draft_flush (self);

  return uncertain;
}

gboolean
atelier_draft_get_saved (AtelierDraft *self)
{
  g_return_val_if_fail (ATELIER_IS_DRAFT (self), FALSE);
  return !self->dirty && !self->writing;
}

void
atelier_draft_clear (AtelierDraft *self)
{
  g_return_if_fail (ATELIER_IS_DRAFT (self));

  g_clear_pointer (&self->root, json_object_unref);
  self->root = json_object_new ();
  changed (self, "all");
  /* An empty draft removes the file: at once. */
  write_now (self);
}

/* }}} */

/* {{{ Loading */

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  GError *error = NULL;

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_clear_error (&error);
          g_task_return_pointer (task, json_object_new (), (GDestroyNotify) json_object_unref);
          return;
        }
      g_task_return_error (task, error);
      return;
    }

  /* Guarded: json-glib 1.6 crashes on deeply nested input. */
  root = _atelier_json_parse (contents, length, &error);
  if (root == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               "%s: not a tune draft", path);
      return;
    }

  g_task_return_pointer (task, json_object_ref (json_node_get_object (root)),
                         (GDestroyNotify) json_object_unref);
}

void
atelier_draft_load_async (AtelierDraft        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ATELIER_IS_DRAFT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, atelier_draft_load_async);
  g_task_set_task_data (task, g_strdup (self->path), g_free);
  g_task_run_in_thread (task, load_thread);
}

gboolean
atelier_draft_load_finish (AtelierDraft  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  JsonObject *root = g_task_propagate_pointer (_atelier_task_check (result, self, atelier_draft_load_async), error);

  if (root == NULL)
    return FALSE;

  g_clear_pointer (&self->root, json_object_unref);
  self->root = root;
  return TRUE;
}

/* }}} */

/* {{{ Values */

gboolean
atelier_draft_is_empty (AtelierDraft *self)
{
  const char *title;

  g_return_val_if_fail (ATELIER_IS_DRAFT (self), TRUE);

  g_auto(GStrv) photos = NULL;
  g_auto(GStrv) prompts = NULL;

  photos = atelier_draft_dup_strv (self, "photos");
  if (photos[0] != NULL)
    return FALSE;

  /* An empty prompt row is nothing worth keeping. */
  prompts = atelier_draft_dup_strv (self, "prompts");
  for (guint i = 0; prompts[i] != NULL; i++)
    if (*g_strstrip (prompts[i]) != '\0')
      return FALSE;

  title = atelier_draft_get_string (self, "title");
  return title == NULL || *title == '\0';
}

/* A value of @type, not an object, array or null, nor another type. */
static gboolean
holds_value (JsonNode *node,
             GType     type)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

const char *
atelier_draft_get_string (AtelierDraft *self,
                          const char   *key)
{
  JsonNode *node;

  g_return_val_if_fail (ATELIER_IS_DRAFT (self), NULL);

  node = json_object_get_member (self->root, key);
  return holds_value (node, G_TYPE_STRING) ? json_node_get_string (node) : NULL;
}

void
atelier_draft_set_string (AtelierDraft *self,
                          const char   *key,
                          const char   *value)
{
  g_return_if_fail (ATELIER_IS_DRAFT (self));
  g_return_if_fail (key != NULL);

  if (g_strcmp0 (atelier_draft_get_string (self, key), value) == 0 &&
      (value != NULL || !json_object_has_member (self->root, key)))
    return;

  if (value == NULL)
    json_object_remove_member (self->root, key);
  else
    json_object_set_string_member (self->root, key, value);
  changed (self, key);
}

gint64
atelier_draft_get_int (AtelierDraft *self,
                       const char   *key,
                       gint64        fallback)
{
  JsonNode *node;

  g_return_val_if_fail (ATELIER_IS_DRAFT (self), fallback);

  node = json_object_get_member (self->root, key);
  return holds_value (node, G_TYPE_INT64) ? json_node_get_int (node) : fallback;
}

void
atelier_draft_set_int (AtelierDraft *self,
                       const char   *key,
                       gint64        value)
{
  g_return_if_fail (ATELIER_IS_DRAFT (self));

  if (json_object_has_member (self->root, key) &&
      atelier_draft_get_int (self, key, value - 1) == value)
    return;

  json_object_set_int_member (self->root, key, value);
  changed (self, key);
}

gboolean
atelier_draft_get_boolean (AtelierDraft *self,
                           const char   *key,
                           gboolean      fallback)
{
  JsonNode *node;

  g_return_val_if_fail (ATELIER_IS_DRAFT (self), fallback);

  node = json_object_get_member (self->root, key);
  return holds_value (node, G_TYPE_BOOLEAN) ? json_node_get_boolean (node) : fallback;
}

void
atelier_draft_set_boolean (AtelierDraft *self,
                           const char   *key,
                           gboolean      value)
{
  g_return_if_fail (ATELIER_IS_DRAFT (self));

  value = !!value;
  if (json_object_has_member (self->root, key) &&
      atelier_draft_get_boolean (self, key, !value) == value)
    return;

  json_object_set_boolean_member (self->root, key, value);
  changed (self, key);
}

GStrv
atelier_draft_dup_strv (AtelierDraft *self,
                        const char   *key)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *node;

  g_return_val_if_fail (ATELIER_IS_DRAFT (self), NULL);

  node = json_object_get_member (self->root, key);
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (holds_value (element, G_TYPE_STRING))
            g_strv_builder_add (builder, json_node_get_string (element));
        }
    }

  return g_strv_builder_end (builder);
}

void
atelier_draft_set_strv (AtelierDraft       *self,
                        const char         *key,
                        const char * const *values)
{
  g_auto(GStrv) old = NULL;
  JsonArray *array;

  g_return_if_fail (ATELIER_IS_DRAFT (self));

  old = atelier_draft_dup_strv (self, key);
  if (json_object_has_member (self->root, key) &&
      g_strv_equal ((const char * const *) old, values != NULL ? values : (const char * const[]) { NULL }))
    return;

  array = json_array_new ();
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_array_add_string_element (array, values[i]);
  json_object_set_array_member (self->root, key, array);
  changed (self, key);
}

GHashTable *
atelier_draft_dup_characteristics (AtelierDraft *self)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JsonNode *node;

  g_return_val_if_fail (ATELIER_IS_DRAFT (self), table);

  node = json_object_get_member (self->root, "characteristics");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *value = json_object_get_member (object, l->data);

          if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
            g_hash_table_replace (table, g_strdup (l->data), g_strdup (json_node_get_string (value)));
        }
    }

  return table;
}

static gboolean
tables_equal (GHashTable *a,
              GHashTable *b)
{
  GHashTableIter iter;
  gpointer key, value;

  if (g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;

  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_strcmp0 (value, g_hash_table_lookup (b, key)) != 0)
      return FALSE;

  return TRUE;
}

void
atelier_draft_set_characteristics (AtelierDraft *self,
                                   GHashTable   *characteristics)
{
  g_autoptr(GHashTable) old = NULL;
  JsonObject *object;
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (ATELIER_IS_DRAFT (self));
  g_return_if_fail (characteristics != NULL);

  old = atelier_draft_dup_characteristics (self);
  if (tables_equal (old, characteristics))
    return;

  object = json_object_new ();
  g_hash_table_iter_init (&iter, characteristics);
  while (g_hash_table_iter_next (&iter, &key, &value))
    json_object_set_string_member (object, key, value);
  json_object_set_object_member (self->root, "characteristics", object);
  changed (self, "characteristics");
}

/* }}} */

/* {{{ GObject */

char *
atelier_draft_dup_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "atelier", "drafts", "current.json", NULL);
}

AtelierDraft *
atelier_draft_new (const char *path)
{
  AtelierDraft *self = g_object_new (ATELIER_TYPE_DRAFT, NULL);

  self->path = path != NULL ? g_strdup (path) : atelier_draft_dup_default_path ();
  return self;
}

const char *
atelier_draft_get_path (AtelierDraft *self)
{
  g_return_val_if_fail (ATELIER_IS_DRAFT (self), NULL);
  return self->path;
}

static void
atelier_draft_finalize (GObject *object)
{
  AtelierDraft *self = ATELIER_DRAFT (object);

  /* Pending changes are written by whoever calls atelier_draft_flush();
   * a write in flight holds a reference. */
  g_clear_handle_id (&self->save_id, g_source_remove);
  g_clear_pointer (&self->root, json_object_unref);
  g_free (self->path);

  G_OBJECT_CLASS (atelier_draft_parent_class)->finalize (object);
}

static void
get_saved (GObject    *object,
           GParamSpec *pspec,
           GValue     *value)
{
  g_value_set_boolean (value, atelier_draft_get_saved (ATELIER_DRAFT (object)));
}

static const AtelierModelProperty draft_properties[N_PROPS] = {
  [PROP_SAVED] = { "saved", ATELIER_MODEL_BOOLEAN, .get = get_saved, .default_value = TRUE },
};

static void
atelier_draft_class_init (AtelierDraftClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = atelier_draft_finalize;
  _atelier_model_class_install_properties (object_class, draft_properties, N_PROPS, properties);

  /**
   * AtelierDraft::changed:
   * @key: the key that changed, or "all"
   *
   * Detailed with the key.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
atelier_draft_init (AtelierDraft *self)
{
  self->root = json_object_new ();
}

/* }}} */
