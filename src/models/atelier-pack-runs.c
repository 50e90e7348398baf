/* atelier-pack-runs.c: the test runs of the account, kept on this computer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "atelier-api-error.h"
#include "atelier-json-private.h"
#include "atelier-models-private.h"
#include "atelier-pack-runs.h"

struct _AtelierPackRuns
{
  GObject       parent_instance;

  char         *dir;
  char         *account;
  char         *account_dir;   /* NULL without an account */
  GPtrArray    *runs;          /* AtelierPackRun, newest first */
  GCancellable *cancellable;   /* of the account's load */
  gboolean      loaded;
  guint         n_writing;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AtelierPackRuns, atelier_pack_runs, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* GListModel */

static GType
get_item_type (GListModel *list)
{
  return ATELIER_TYPE_PACK_RUN;
}

static guint
get_n_items (GListModel *list)
{
  return ATELIER_PACK_RUNS (list)->runs->len;
}

static gpointer
get_item (GListModel *list,
          guint       position)
{
  AtelierPackRuns *self = ATELIER_PACK_RUNS (list);

  return _atelier_items_get (self->runs, position);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* Reading, in a worker */

static int
newest_first (gconstpointer a,
              gconstpointer b)
{
  AtelierPackRun *run_a = *(AtelierPackRun **) a;
  AtelierPackRun *run_b = *(AtelierPackRun **) b;

  return g_date_time_compare (atelier_pack_run_get_started_at (run_b), atelier_pack_run_get_started_at (run_a));
}

static AtelierPackRun *
read_run (const char *path,
          const char *name)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  AtelierPackRun *run;

  root = _atelier_read_json_file (path, ATELIER_PACK_RUN_MAX_FILE_SIZE,
                                  _("The file is too large to be a test run"), &error);
  if (root != NULL && (run = atelier_pack_run_new_from_json (root, &error)) != NULL)
    return run;

  g_assert (error != NULL);
  return atelier_pack_run_new_unreadable (name, error);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *account_dir = task_data;
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDir) dir = g_dir_open (account_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;

      if (!g_str_has_suffix (name, ".json") || g_cancellable_is_cancelled (cancellable))
        continue;

      path = g_build_filename (account_dir, name, NULL);
      g_ptr_array_add (runs, read_run (path, name));
    }

  g_ptr_array_sort (runs, newest_first);
  g_task_return_pointer (task, g_steal_pointer (&runs), (GDestroyNotify) g_ptr_array_unref);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(AtelierPackRuns) self = _atelier_weak_steal (user_data);
  g_autoptr(GPtrArray) runs = g_task_propagate_pointer (G_TASK (result), NULL);
  guint old_n;

  if (self == NULL || runs == NULL)
    return;

  old_n = self->runs->len;
  g_ptr_array_set_size (self->runs, 0);
  g_ptr_array_extend_and_steal (self->runs, g_steal_pointer (&runs));
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->runs->len);
  _atelier_set_flag (self, &self->loaded, TRUE, properties[PROP_LOADED]);
}

void
atelier_pack_runs_set_account (AtelierPackRuns *self,
                               const char      *account)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ATELIER_IS_PACK_RUNS (self));

  if (g_strcmp0 (self->account, account) == 0)
    return;
  g_free (self->account);
  self->account = g_strdup (account);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->account_dir, g_free);

  _atelier_items_clear (G_LIST_MODEL (self), self->runs);
  _atelier_set_flag (self, &self->loaded, account == NULL, properties[PROP_LOADED]);

  if (account == NULL)
    return;

  self->account_dir = _atelier_account_dir (self->dir, account, 0);
  self->cancellable = g_cancellable_new ();

  /* No source object: a worker never holds the last reference. */
  task = g_task_new (NULL, self->cancellable, loaded_cb, _atelier_weak_new (self));
  g_task_set_source_tag (task, atelier_pack_runs_set_account);
  g_task_set_task_data (task, g_strdup (self->account_dir), g_free);
  g_task_run_in_thread (task, load_thread);
}

gboolean
atelier_pack_runs_is_writing (AtelierPackRuns *self)
{
  g_return_val_if_fail (ATELIER_IS_PACK_RUNS (self), FALSE);
  return self->n_writing > 0;
}

gboolean
atelier_pack_runs_is_loaded (AtelierPackRuns *self)
{
  g_return_val_if_fail (ATELIER_IS_PACK_RUNS (self), FALSE);
  return self->loaded;
}

/* Writing */

/* A new file is written under a temporary name and then renamed, so that
 * a reader (the next start, after a crash) never finds half a run. */
typedef struct
{
  GWeakRef  self;
  GFile    *file;
  GFile    *temporary;
  GBytes   *contents;
} Write;

static void
write_free (Write *write)
{
  g_autoptr(AtelierPackRuns) self = g_weak_ref_get (&write->self);

  if (self != NULL)
    self->n_writing--;
  g_weak_ref_clear (&write->self);
  g_object_unref (write->file);
  g_object_unref (write->temporary);
  g_bytes_unref (write->contents);
  g_free (write);
}

static void
report (GWeakRef     *weak,
        const GError *error)
{
  g_autoptr(AtelierPackRuns) self = g_weak_ref_get (weak);

  if (self != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_signal_emit (self, signals[ERROR], 0, error);
}

static void
moved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Write *write = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_move_finish (G_FILE (source), result, &error))
    report (&write->self, error);
  write_free (write);
}

static void
written_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Write *write = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      report (&write->self, error);
      write_free (write);
      return;
    }

  g_file_move_async (write->temporary, write->file, G_FILE_COPY_OVERWRITE, G_PRIORITY_DEFAULT,
                     NULL, NULL, NULL, moved_cb, write);
}

static void
dir_made_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Write *write = user_data;
  g_autoptr(GError) error = NULL;

  if (!_atelier_make_dir_finish (result, &error))
    {
      report (&write->self, error);
      write_free (write);
      return;
    }

  g_file_replace_contents_bytes_async (write->temporary, write->contents, NULL, FALSE,
                                       G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                       NULL, written_cb, write);
}

static char *
run_path (AtelierPackRuns *self,
          AtelierPackRun  *run)
{
  g_autofree char *name = g_strconcat (atelier_pack_run_get_id (run), ".json", NULL);

  return g_build_filename (self->account_dir, name, NULL);
}

void
atelier_pack_runs_add (AtelierPackRuns *self,
                       AtelierPackRun  *run)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *path = NULL;
  char *text;
  Write *write;

  g_return_if_fail (ATELIER_IS_PACK_RUNS (self));
  g_return_if_fail (ATELIER_IS_PACK_RUN (run));
  g_return_if_fail (atelier_pack_run_is_readable (run));

  g_ptr_array_insert (self->runs, 0, g_object_ref (run));
  g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, 1);

  if (self->account_dir == NULL)
    return;

  node = atelier_pack_run_to_json (run);
  text = json_to_string (node, TRUE);
  path = run_path (self, run);

  write = g_new0 (Write, 1);
  g_weak_ref_init (&write->self, self);
  write->file = g_file_new_for_path (path);
  {
    g_autofree char *temporary = g_strconcat (path, ".tmp", NULL);

    write->temporary = g_file_new_for_path (temporary);
  }
  write->contents = g_bytes_new_take (text, strlen (text));
  self->n_writing++;
  _atelier_make_dir_async (self->account_dir, NULL, dir_made_cb, write);
}

static void
deleted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GWeakRef *weak = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_delete_finish (G_FILE (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    report (weak, error);
  g_weak_ref_clear (weak);
  g_free (weak);
}

void
atelier_pack_runs_remove (AtelierPackRuns *self,
                          AtelierPackRun  *run)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  GWeakRef *weak;
  guint position;

  g_return_if_fail (ATELIER_IS_PACK_RUNS (self));
  g_return_if_fail (ATELIER_IS_PACK_RUN (run));

  if (!g_ptr_array_find (self->runs, run, &position))
    return;

  if (self->account_dir != NULL)
    {
      /* An unreadable run's id is its file's name. */
      path = atelier_pack_run_is_readable (run) ? run_path (self, run)
                                                : g_build_filename (self->account_dir, atelier_pack_run_get_id (run), NULL);
      file = g_file_new_for_path (path);
      weak = g_new0 (GWeakRef, 1);
      g_weak_ref_init (weak, self);
      g_file_delete_async (file, G_PRIORITY_DEFAULT, NULL, deleted_cb, weak);
    }

  g_ptr_array_remove_index (self->runs, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

GPtrArray *
atelier_pack_runs_dup_for_pack (AtelierPackRuns *self,
                                gint64           pack_id)
{
  GPtrArray *runs;

  g_return_val_if_fail (ATELIER_IS_PACK_RUNS (self), NULL);

  runs = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->runs->len; i++)
    {
      AtelierPackRun *run = g_ptr_array_index (self->runs, i);

      if (atelier_pack_run_is_readable (run) && atelier_pack_run_get_pack_id (run) == pack_id)
        g_ptr_array_add (runs, g_object_ref (run));
    }

  return runs;
}

AtelierPackRun *
atelier_pack_runs_lookup (AtelierPackRuns *self,
                          const char      *id)
{
  g_return_val_if_fail (ATELIER_IS_PACK_RUNS (self), NULL);

  for (guint i = 0; id != NULL && i < self->runs->len; i++)
    {
      if (g_strcmp0 (atelier_pack_run_get_id (g_ptr_array_index (self->runs, i)), id) == 0)
        return g_ptr_array_index (self->runs, i);
    }

  return NULL;
}

/* GObject */

static void
atelier_pack_runs_dispose (GObject *object)
{
  AtelierPackRuns *self = ATELIER_PACK_RUNS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (atelier_pack_runs_parent_class)->dispose (object);
}

static void
atelier_pack_runs_finalize (GObject *object)
{
  AtelierPackRuns *self = ATELIER_PACK_RUNS (object);

  g_free (self->dir);
  g_free (self->account);
  g_free (self->account_dir);
  g_ptr_array_unref (self->runs);

  G_OBJECT_CLASS (atelier_pack_runs_parent_class)->finalize (object);
}

static void
atelier_pack_runs_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AtelierPackRuns *self = ATELIER_PACK_RUNS (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_pack_runs_class_init (AtelierPackRunsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = atelier_pack_runs_dispose;
  object_class->finalize = atelier_pack_runs_finalize;
  object_class->get_property = atelier_pack_runs_get_property;

  properties[PROP_LOADED] = _atelier_param_spec_flag ("loaded", TRUE);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
atelier_pack_runs_init (AtelierPackRuns *self)
{
  self->runs = g_ptr_array_new_with_free_func (g_object_unref);
  self->loaded = TRUE;   /* no account: nothing to read */
}

AtelierPackRuns *
atelier_pack_runs_new (const char *dir)
{
  AtelierPackRuns *self = g_object_new (ATELIER_TYPE_PACK_RUNS, NULL);

  self->dir = dir != NULL ? g_strdup (dir) : g_build_filename (g_get_user_data_dir (), "atelier", "runs", NULL);
  return self;
}
