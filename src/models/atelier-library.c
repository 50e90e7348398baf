/* atelier-library.c: originals the user liked or saved, kept on this computer
 *
 * Prompts made on this computer (ATELIER_LIBRARY_MADE, e.g. fal.ai FaceID
 * results) live here only: their ids are negative, so their folders are
 * named "-ID", and they stay until the user deletes them.
 *
 * Layout: DIR/ACCOUNT-HASH/PROMPT-ID/prompt.json, with the reasons, the
 * saved indices and the prompt as the server sent it, and the originals
 * beside it as INDEX.EXT. The whole account is read in a worker thread when
 * the account is set; afterwards the index lives in memory.
 *
 * Steps on disk: every write into a prompt's folder (prompt.json, an
 * original) and the folder's removal run in a worker thread, and the steps
 * of one folder run one after the other in the order they were asked for
 * (a queue per folder, self->queues; the head is the step running). So a
 * release's removal never overlaps the writes of a keep that follows it,
 * and the prompt.json on disk is the last one asked for. An original that
 * arrives after its prompt was released is not written (checked when its
 * turn comes, not when it was queued).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <string.h>

#include "atelier-api-error.h"
#include "atelier-image-utils.h"
#include "atelier-library-private.h"
#include "atelier-json-private.h"
#include "atelier-model-property-private.h"
#include "atelier-models-private.h"

#define MAX_IMAGES 8
#define METADATA_NAME "prompt.json"

struct _AtelierLibrary
{
  GObject            parent_instance;

  AtelierImageCache *cache;
  char              *dir;
  char              *account;
  char              *account_dir;
  GHashTable        *entries;       /* prompt id (gint64 *) → Entry */
  GCancellable      *cancellable;   /* of the account's load */
  gboolean           loaded;
  guint              generation;    /* bumped on every account switch */
  GHashTable        *queues;        /* folder path → GQueue of Step, head running */
};

G_DEFINE_FINAL_TYPE (AtelierLibrary, atelier_library, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  gint64                id;
  AtelierPrompt        *prompt;
  AtelierLibraryReason  reasons;
  guint                 saved;               /* bit per image index */
  guint                 gone;                /* bit per image the service no longer has (404) */
  char                 *files[MAX_IMAGES];   /* basenames of originals on disk */
} Entry;

static void
entry_free (Entry *entry)
{
  g_clear_object (&entry->prompt);
  for (guint i = 0; i < MAX_IMAGES; i++)
    g_free (entry->files[i]);
  g_free (entry);
}

static char *
entry_dir (AtelierLibrary *self,
           gint64          id)
{
  char name[32];

  g_snprintf (name, sizeof name, "%" G_GINT64_FORMAT, id);
  return g_build_filename (self->account_dir, name, NULL);
}

/* Metadata */

static GBytes *
entry_to_json (Entry *entry)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  char *data;
  gsize length;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "reasons");
  json_builder_add_int_value (builder, entry->reasons);
  json_builder_set_member_name (builder, "saved");
  json_builder_add_int_value (builder, entry->saved);
  json_builder_set_member_name (builder, "gone");
  json_builder_add_int_value (builder, entry->gone);
  json_builder_set_member_name (builder, "prompt");
  json_builder_add_value (builder, json_node_copy (atelier_prompt_get_json (entry->prompt)));
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);

  return g_bytes_new_take (data, length);
}

/* Reads one prompt folder; NULL when it is not one. Worker thread. */
static Entry *
entry_read (const char *path,
            gint64      id)
{
  g_autofree char *metadata = g_build_filename (path, METADATA_NAME, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDir) dir = NULL;
  gsize length = 0;
  JsonObject *object;
  JsonNode *prompt;
  const char *name;
  Entry *entry;

  /* Guarded: json-glib 1.6 crashes on deeply nested input. */
  if (!g_file_get_contents (metadata, &contents, &length, NULL) ||
      (root = _atelier_json_parse (contents, length, NULL)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);
  prompt = json_object_get_member (object, "prompt");
  if (prompt == NULL)
    return NULL;

  entry = g_new0 (Entry, 1);
  entry->prompt = atelier_prompt_new_from_json (prompt, NULL);
  if (entry->prompt == NULL || atelier_prompt_get_id (entry->prompt) != id)
    {
      entry_free (entry);
      return NULL;
    }
  entry->id = id;
  entry->reasons = (AtelierLibraryReason) json_object_get_int_member_with_default (object, "reasons", 0);
  entry->saved = (guint) json_object_get_int_member_with_default (object, "saved", 0);
  entry->gone = (guint) json_object_get_int_member_with_default (object, "gone", 0);

  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      static const char * const extensions[] = { "jpg", "png", "webp", "gif", NULL };
      guint64 index;
      g_autofree char *stem = g_strdup (name);
      char *dot = strchr (stem, '.');

      /* Only INDEX.EXT: a temporary file left by a killed write
       * ("0.jpg.XXXXXX") is never an original. */
      if (dot == NULL || !g_strv_contains (extensions, dot + 1))
        continue;
      *dot = '\0';
      if (g_ascii_string_to_unsigned (stem, 10, 0, MAX_IMAGES - 1, &index, NULL))
        {
          g_free (entry->files[index]);
          entry->files[index] = g_strdup (name);
        }
    }

  return entry;
}

static void remove_folder (const char *path);
static void resume_entry  (AtelierLibrary *self,
                           Entry          *entry);
static void remove_files   (const char *path);

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *account_dir = task_data;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  g_autoptr(GDir) dir = g_dir_open (account_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (account_dir, name, NULL);
      gint64 id;
      Entry *entry;

      if (g_cancellable_is_cancelled (cancellable))
        break;
      /* What a removal killed half-way left */
      if (g_str_has_suffix (name, ".removing"))
        {
          remove_files (path);
          continue;
        }
      /* Negative ids are prompts made on this computer. */
      if (!g_ascii_string_to_signed (name, 10, G_MININT64, G_MAXINT64, &id, NULL) || id == 0)
        continue;
      entry = entry_read (path, id);
      if (entry != NULL)
        g_ptr_array_add (entries, entry);
    }

  if (!g_task_return_error_if_cancelled (task))
    g_task_return_pointer (task, g_steal_pointer (&entries), (GDestroyNotify) g_ptr_array_unref);
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(AtelierLibrary) self = user_data;
  g_autoptr(GPtrArray) entries = NULL;

  entries = g_task_propagate_pointer (G_TASK (result), NULL);
  if (entries == NULL)
    return;   /* cancelled: another account */

  /* Anything kept while loading stays; the disk fills in the rest. */
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (entries, i);

      if (!g_hash_table_contains (self->entries, &entry->id))
        g_hash_table_insert (self->entries, &entry->id, g_ptr_array_steal_index_fast (entries, i--));
    }

  self->loaded = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
  g_signal_emit (self, signals[CHANGED], 0, (gint64) 0);

  {
    g_autoptr(GList) values = g_hash_table_get_values (self->entries);

    for (GList *l = values; l != NULL; l = l->next)
      resume_entry (self, l->data);
  }
}

void
atelier_library_set_account (AtelierLibrary *self,
                             const char     *account)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ATELIER_IS_LIBRARY (self));
  g_return_if_fail (account != NULL);

  if (g_strcmp0 (self->account, account) == 0)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->generation++;

  g_free (self->account);
  self->account = g_strdup (account);
  g_free (self->account_dir);
  /* 16 characters: the folders of earlier versions. */
  self->account_dir = _atelier_account_dir (self->dir, account, 16);

  g_hash_table_remove_all (self->entries);
  if (self->loaded)
    {
      self->loaded = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
  g_signal_emit (self, signals[CHANGED], 0, (gint64) 0);

  /* No source object: the worker must not hold the library's last
   * reference (it would be finalized off the main thread). */
  task = g_task_new (NULL, self->cancellable, load_cb, g_object_ref (self));
  g_task_set_source_tag (task, atelier_library_set_account);
  g_task_set_task_data (task, g_strdup (self->account_dir), g_free);
  g_task_run_in_thread (task, load_thread);
}

gboolean
atelier_library_is_loaded (AtelierLibrary *self)
{
  g_return_val_if_fail (ATELIER_IS_LIBRARY (self), FALSE);
  return self->loaded;
}

/* Writing */

typedef struct
{
  AtelierLibrary *self;      /* (owned) */
  gint64          id;
  guint           generation;
  guint           index;     /* for an original */
  char           *name;      /* its basename */
  GTask          *task;      /* (owned) (nullable) the keep waiting for it */
} Write;

static void
write_free (Write *write)
{
  g_object_unref (write->self);
  g_free (write->name);
  g_clear_object (&write->task);
  g_free (write);
}

static void
report_error (AtelierLibrary *self,
              const GError   *error)
{
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_signal_emit (self, signals[ERROR], 0, error);
}

/* Steps on disk (see the top of the file) */

static AtelierLibraryDelayFunc delay_func;   /* test hook */
static gpointer                delay_data;

typedef struct
{
  AtelierLibrary     *self;        /* (owned) */
  AtelierLibraryStep  kind;
  gint64              id;
  guint               generation;
  char               *dir;         /* the prompt's folder, the queue's key */
  char               *name;        /* WRITE: the file's basename */
  GBytes             *bytes;       /* WRITE */
  gboolean            original;    /* WRITE: dropped if the prompt went */
  gboolean            skip;        /* set when its turn comes */
  GTask              *task;        /* (owned) (nullable) gets the result:
                                    * TRUE written, FALSE dropped; without
                                    * it errors are reported */
} Step;

static void
step_free (Step *step)
{
  g_object_unref (step->self);
  g_free (step->dir);
  g_free (step->name);
  g_clear_pointer (&step->bytes, g_bytes_unref);
  g_clear_object (&step->task);
  g_free (step);
}

/* The folder is renamed first to a name no load reads (not an id), so a
 * kill in the middle never leaves a prompt with some originals gone. */
static void
remove_folder (const char *path)
{
  g_autofree char *doomed = g_strconcat (path, ".removing", NULL);

  if (g_rename (path, doomed) == 0)
    remove_files (doomed);
}

/* Empties the folder @path and removes it. */
static void
remove_files (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);
      g_unlink (file);
    }
  g_rmdir (path);
}

/* Reads only what no one changes while the step runs. */
static void
step_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Step *step = task_data;
  AtelierLibraryDelayFunc func = g_atomic_pointer_get (&delay_func);
  g_autofree char *path = NULL;
  GError *error = NULL;
  gsize length;
  const char *data;

  if (step->skip)
    {
      g_task_return_boolean (task, FALSE);
      return;
    }
  if (func != NULL)
    g_usleep ((gulong) func (step->kind, step->id, delay_data) * 1000);

  if (step->kind == ATELIER_LIBRARY_STEP_REMOVE)
    {
      remove_folder (step->dir);
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (g_mkdir_with_parents (step->dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Cannot create the folder “%s”: %s"), step->dir, g_strerror (saved_errno));
      return;
    }
  path = g_build_filename (step->dir, step->name, NULL);
  data = g_bytes_get_data (step->bytes, &length);
  /* A temporary file renamed into place, also for a new file (GFile's
   * replace writes a new file in place): a kill leaves the old file or
   * none, never half of one. */
  if (!g_file_set_contents_full (path, data, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void step_done_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data);

static void
step_run (Step *step)
{
  AtelierLibrary *self = step->self;
  g_autoptr(GTask) task = NULL;

  if (step->original)
    step->skip = step->generation != self->generation ||
                 !g_hash_table_contains (self->entries, &step->id);

  task = g_task_new (NULL, NULL, step_done_cb, step);
  g_task_set_source_tag (task, step_run);
  g_task_set_task_data (task, step, NULL);
  g_task_run_in_thread (task, step_thread);
}

static void
step_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Step *step = user_data;
  AtelierLibrary *self = step->self;
  GQueue *queue = g_hash_table_lookup (self->queues, step->dir);
  g_autoptr(GError) error = NULL;
  gboolean written;

  written = g_task_propagate_boolean (G_TASK (result), &error);

  /* The next step of the folder starts before anyone hears of this one:
   * a callback may queue more. */
  g_assert (queue != NULL && g_queue_peek_head (queue) == step);
  g_queue_pop_head (queue);
  if (g_queue_is_empty (queue))
    g_hash_table_remove (self->queues, step->dir);
  else
    step_run (g_queue_peek_head (queue));

  if (step->task != NULL)
    {
      if (error != NULL)
        g_task_return_error (step->task, g_steal_pointer (&error));
      else
        g_task_return_boolean (step->task, written);
    }
  else if (error != NULL)
    {
      report_error (self, error);
    }

  step_free (step);
}

static void
step_queue (AtelierLibrary     *self,
            AtelierLibraryStep  kind,
            gint64              id,
            const char         *name,
            GBytes             *bytes,
            gboolean            original,
            GTask              *task)
{
  Step *step = g_new0 (Step, 1);
  GQueue *queue;

  step->self = g_object_ref (self);
  step->kind = kind;
  step->id = id;
  step->generation = self->generation;
  step->dir = entry_dir (self, id);
  step->name = g_strdup (name);
  step->bytes = bytes != NULL ? g_bytes_ref (bytes) : NULL;
  step->original = original;
  step->task = task != NULL ? g_object_ref (task) : NULL;

  queue = g_hash_table_lookup (self->queues, step->dir);
  if (queue != NULL)
    {
      g_queue_push_tail (queue, step);
      return;
    }

  queue = g_queue_new ();
  g_queue_push_tail (queue, step);
  g_hash_table_insert (self->queues, g_strdup (step->dir), queue);
  step_run (step);
}

static void
save_metadata (AtelierLibrary *self,
               Entry          *entry)
{
  g_autoptr(GBytes) bytes = entry_to_json (entry);

  step_queue (self, ATELIER_LIBRARY_STEP_WRITE, entry->id, METADATA_NAME, bytes, FALSE, NULL);
}

void
_atelier_library_set_delay_func (AtelierLibraryDelayFunc func,
                                 gpointer                user_data)
{
  delay_data = user_data;
  g_atomic_pointer_set (&delay_func, func);
}

gboolean
_atelier_library_is_busy (AtelierLibrary *self)
{
  g_return_val_if_fail (ATELIER_IS_LIBRARY (self), FALSE);
  return g_hash_table_size (self->queues) > 0;
}

/* Keeping */

typedef struct
{
  guint    outstanding;
  GError  *error;       /* the first */
  gboolean quiet;       /* resumed at load: no ::error */
} Keep;

static void
keep_free (Keep *keep)
{
  g_clear_error (&keep->error);
  g_free (keep);
}

static void
keep_step_done (GTask  *task,
                GError *error)
{
  Keep *keep = g_task_get_task_data (task);

  if (error != NULL && keep->error == NULL)
    keep->error = g_error_copy (error);

  if (--keep->outstanding > 0)
    return;

  if (keep->error != NULL)
    {
      if (!keep->quiet)
        report_error (g_task_get_source_object (task), keep->error);
      g_task_return_error (task, g_steal_pointer (&keep->error));
    }
  else
    g_task_return_boolean (task, TRUE);
}

static void
original_written_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Write *write = user_data;
  AtelierLibrary *self = write->self;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error: dropped, the prompt was released. */
  if (g_task_propagate_boolean (G_TASK (result), &error) &&
      write->generation == self->generation)
    {
      Entry *entry = g_hash_table_lookup (self->entries, &write->id);

      if (entry != NULL)
        {
          g_free (entry->files[write->index]);
          entry->files[write->index] = g_strdup (write->name);
          g_signal_emit (self, signals[CHANGED], 0, write->id);
        }
    }

  keep_step_done (write->task, error);
  write_free (write);
}

static const char *
extension_for (GBytes *bytes)
{
  static const struct { const char *type; const char *ext; } types[] = {
    { "image/png", "png" }, { "image/webp", "webp" }, { "image/gif", "gif" }, { "image/jpeg", "jpg" },
  };
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  const char *mime_type = atelier_image_sniff_mime_type (data, length);

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      if (g_strcmp0 (mime_type, types[i].type) == 0)
        return types[i].ext;
    }

  return NULL;
}

/* The service answered 404 for the original: it will not come back, and
 * no later load asks for it again. */
static void
mark_gone (Write *write)
{
  AtelierLibrary *self = write->self;
  Entry *entry;

  if (write->generation != self->generation ||
      (entry = g_hash_table_lookup (self->entries, &write->id)) == NULL ||
      (entry->gone & (1u << write->index)) != 0)
    return;

  entry->gone |= 1u << write->index;
  save_metadata (self, entry);
}

static void
downloaded_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Write *write = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  const char *extension;

  bytes = atelier_image_cache_download_finish (ATELIER_IMAGE_CACHE (source), result, &error);
  if (bytes == NULL)
    {
      if (g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_NOT_FOUND))
        mark_gone (write);
      keep_step_done (write->task, error);
      write_free (write);
      return;
    }

  extension = extension_for (bytes);
  if (extension == NULL)
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("The server sent something that is not an image"));
      keep_step_done (write->task, error);
      write_free (write);
      return;
    }

  write->name = g_strdup_printf ("%u.%s", write->index, extension);
  task = g_task_new (write->self, NULL, original_written_cb, write);
  step_queue (write->self, ATELIER_LIBRARY_STEP_WRITE, write->id, write->name, bytes, TRUE, task);
}

static void keep_start (AtelierLibrary       *self,
                        AtelierPrompt        *prompt,
                        AtelierLibraryReason  reason,
                        int                   index,
                        gboolean              quiet,
                        GCancellable         *cancellable,
                        GAsyncReadyCallback   callback,
                        gpointer              user_data);

void
atelier_library_keep_async (AtelierLibrary       *self,
                            AtelierPrompt        *prompt,
                            AtelierLibraryReason  reason,
                            int                   index,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data)
{
  keep_start (self, prompt, reason, index, FALSE, cancellable, callback, user_data);
}

/* A keep cut short (the app was killed before every original arrived):
 * the missing originals are fetched again, quietly (the service may have
 * forgotten them). */
static void
resume_entry (AtelierLibrary *self,
              Entry          *entry)
{
  guint n_images = MIN (atelier_prompt_get_n_images (entry->prompt), MAX_IMAGES);
  AtelierLibraryReason every = entry->reasons & (ATELIER_LIBRARY_LIKED | ATELIER_LIBRARY_MADE);

  for (guint i = 0; i < n_images; i++)
    {
      if (entry->files[i] != NULL || (entry->gone & (1u << i)) != 0)
        continue;
      if (every != 0)
        {
          keep_start (self, entry->prompt, (every & ATELIER_LIBRARY_MADE) ? ATELIER_LIBRARY_MADE
                                                                          : ATELIER_LIBRARY_LIKED,
                      -1, TRUE, NULL, NULL, NULL);
          return;
        }
      if ((entry->saved & (1u << i)) != 0)
        keep_start (self, entry->prompt, ATELIER_LIBRARY_SAVED, (int) i, TRUE, NULL, NULL, NULL);
    }
}

static void
keep_start (AtelierLibrary       *self,
            AtelierPrompt        *prompt,
            AtelierLibraryReason  reason,
            int                   index,
            gboolean              quiet,
            GCancellable         *cancellable,
            GAsyncReadyCallback   callback,
            gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  const char * const *images;
  guint n_images;
  Entry *entry;
  Keep *keep;
  gint64 id;

  g_return_if_fail (ATELIER_IS_LIBRARY (self));
  g_return_if_fail (ATELIER_IS_PROMPT (prompt));
  g_return_if_fail (reason == ATELIER_LIBRARY_LIKED || reason == ATELIER_LIBRARY_SAVED ||
                    reason == ATELIER_LIBRARY_MADE);
  g_return_if_fail (self->account != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, atelier_library_keep_async);

  /* Only the service's prompts have positive ids; a negative one is made
   * here and says where from (atelier_prompt_get_source()). */
  if (atelier_prompt_get_id (prompt) == 0 ||
      (atelier_prompt_get_id (prompt) < 0) != (atelier_prompt_get_source (prompt) != NULL))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "A prompt with id %" G_GINT64_FORMAT " cannot be kept",
                               atelier_prompt_get_id (prompt));
      return;
    }

  keep = g_new0 (Keep, 1);
  keep->outstanding = 1;   /* this function's own step */
  keep->quiet = quiet;
  g_task_set_task_data (task, keep, (GDestroyNotify) keep_free);

  id = atelier_prompt_get_id (prompt);
  images = atelier_prompt_get_images (prompt);
  n_images = MIN (atelier_prompt_get_n_images (prompt), MAX_IMAGES);

  entry = g_hash_table_lookup (self->entries, &id);
  if (entry == NULL)
    {
      entry = g_new0 (Entry, 1);
      entry->id = id;
      g_hash_table_insert (self->entries, &entry->id, entry);
    }
  /* The newest metadata wins, unless the prompt came from the library. */
  if (entry->prompt != prompt && n_images > 0)
    g_set_object (&entry->prompt, prompt);
  else if (entry->prompt == NULL)
    entry->prompt = g_object_ref (prompt);

  entry->reasons |= reason;
  if (reason == ATELIER_LIBRARY_SAVED && index >= 0 && index < MAX_IMAGES)
    entry->saved |= 1u << index;

  save_metadata (self, entry);
  g_signal_emit (self, signals[CHANGED], 0, id);

  for (guint i = 0; i < n_images; i++)
    {
      Write *write;

      if (entry->files[i] != NULL)
        continue;
      /* Resumed at load: not what the service said it no longer has. */
      if (quiet && (entry->gone & (1u << i)) != 0)
        continue;
      /* LIKED and MADE keep every image, SAVED the one. */
      if (reason == ATELIER_LIBRARY_SAVED && (int) i != index)
        continue;

      write = g_new0 (Write, 1);
      write->self = g_object_ref (self);
      write->id = id;
      write->generation = self->generation;
      write->index = i;
      write->task = g_object_ref (task);
      keep->outstanding++;
      atelier_image_cache_download_async (self->cache, images[i], cancellable, downloaded_cb, write);
    }

  keep_step_done (task, NULL);
}

gboolean
atelier_library_keep_finish (AtelierLibrary  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  return g_task_propagate_boolean (_atelier_task_check (result, self, atelier_library_keep_async), error);
}

void
atelier_library_release (AtelierLibrary       *self,
                         gint64                prompt_id,
                         AtelierLibraryReason  reason)
{
  Entry *entry;

  g_return_if_fail (ATELIER_IS_LIBRARY (self));

  entry = g_hash_table_lookup (self->entries, &prompt_id);
  if (entry == NULL || (entry->reasons & reason) == 0)
    return;

  entry->reasons &= ~reason;
  if (reason == ATELIER_LIBRARY_SAVED)
    entry->saved = 0;

  if (entry->reasons == 0)
    {
      g_hash_table_remove (self->entries, &prompt_id);
      step_queue (self, ATELIER_LIBRARY_STEP_REMOVE, prompt_id, NULL, NULL, FALSE, NULL);
    }
  else
    {
      save_metadata (self, entry);
    }

  g_signal_emit (self, signals[CHANGED], 0, prompt_id);
}

/* Queries */

gboolean
atelier_library_contains (AtelierLibrary *self,
                          gint64          prompt_id)
{
  g_return_val_if_fail (ATELIER_IS_LIBRARY (self), FALSE);
  return g_hash_table_contains (self->entries, &prompt_id);
}

AtelierLibraryReason
atelier_library_get_reasons (AtelierLibrary *self,
                             gint64          prompt_id)
{
  Entry *entry;

  g_return_val_if_fail (ATELIER_IS_LIBRARY (self), 0);

  entry = g_hash_table_lookup (self->entries, &prompt_id);
  return entry != NULL ? entry->reasons : 0;
}

AtelierPrompt *
atelier_library_get_prompt (AtelierLibrary *self,
                            gint64          prompt_id)
{
  Entry *entry;

  g_return_val_if_fail (ATELIER_IS_LIBRARY (self), NULL);

  entry = g_hash_table_lookup (self->entries, &prompt_id);
  return entry != NULL ? entry->prompt : NULL;
}

char *
atelier_library_dup_image_uri (AtelierLibrary *self,
                               gint64          prompt_id,
                               guint           index)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  Entry *entry;

  g_return_val_if_fail (ATELIER_IS_LIBRARY (self), NULL);

  entry = g_hash_table_lookup (self->entries, &prompt_id);
  if (entry == NULL || index >= MAX_IMAGES || entry->files[index] == NULL)
    return NULL;

  dir = entry_dir (self, prompt_id);
  path = g_build_filename (dir, entry->files[index], NULL);

  return g_filename_to_uri (path, NULL, NULL);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  AtelierPrompt *pa = *(AtelierPrompt **) a;
  AtelierPrompt *pb = *(AtelierPrompt **) b;
  GDateTime *da = atelier_prompt_get_created_at (pa);
  GDateTime *db = atelier_prompt_get_created_at (pb);
  int by_date = (da != NULL && db != NULL) ? g_date_time_compare (db, da) : 0;
  gint64 ia = atelier_prompt_get_id (pa);
  gint64 ib = atelier_prompt_get_id (pb);

  if (by_date != 0)
    return by_date;
  return ib < ia ? -1 : ib > ia;
}

GPtrArray *
atelier_library_dup_prompts (AtelierLibrary *self)
{
  GPtrArray *prompts = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  Entry *entry;

  g_return_val_if_fail (ATELIER_IS_LIBRARY (self), NULL);

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    g_ptr_array_add (prompts, g_object_ref (entry->prompt));

  g_ptr_array_sort (prompts, compare_newest_first);

  return prompts;
}

const char *
atelier_library_get_dir (AtelierLibrary *self)
{
  g_return_val_if_fail (ATELIER_IS_LIBRARY (self), NULL);
  return self->dir;
}

/* GObject */

static void
atelier_library_dispose (GObject *object)
{
  AtelierLibrary *self = ATELIER_LIBRARY (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->cache);

  G_OBJECT_CLASS (atelier_library_parent_class)->dispose (object);
}

static void
atelier_library_finalize (GObject *object)
{
  AtelierLibrary *self = ATELIER_LIBRARY (object);

  g_hash_table_unref (self->entries);
  g_hash_table_unref (self->queues);
  g_free (self->dir);
  g_free (self->account);
  g_free (self->account_dir);

  G_OBJECT_CLASS (atelier_library_parent_class)->finalize (object);
}

static const AtelierModelProperty library_properties[N_PROPS] = {
  [PROP_LOADED] = { "loaded", ATELIER_MODEL_BOOLEAN, G_STRUCT_OFFSET (AtelierLibrary, loaded) },
};

static void
atelier_library_class_init (AtelierLibraryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = atelier_library_dispose;
  object_class->finalize = atelier_library_finalize;
  _atelier_model_class_install_properties (object_class, library_properties, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  /* A background keep failed (an original could not be fetched or
   * written); the gallery shows it. */
  signals[ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
atelier_library_init (AtelierLibrary *self)
{
  self->entries = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, (GDestroyNotify) entry_free);
  self->queues = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_queue_free);
}

AtelierLibrary *
atelier_library_new (AtelierImageCache *cache,
                     const char        *dir)
{
  AtelierLibrary *self;

  g_return_val_if_fail (ATELIER_IS_IMAGE_CACHE (cache), NULL);

  self = g_object_new (ATELIER_TYPE_LIBRARY, NULL);
  self->cache = g_object_ref (cache);
  self->dir = dir != NULL ? g_strdup (dir)
                          : g_build_filename (g_get_user_data_dir (), "atelier", "library", NULL);
  /* The cache opens file URLs in here only (a server's are refused). */
  atelier_image_cache_add_local_dir (cache, self->dir);

  return self;
}

/* Shared helpers (atelier-models-private.h) */

static void
make_dir_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  const char *path = task_data;

  if (g_mkdir_with_parents (path, 0700) != 0)
    {
      int saved_errno = errno;
      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Cannot create the folder “%s”: %s"), path, g_strerror (saved_errno));
    }
  else
    g_task_return_boolean (task, TRUE);
}

JsonNode *
_atelier_read_json_file (const char  *path,
                         goffset      max_size,
                         const char  *too_large,
                         GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, error);
  if (info == NULL)
    return NULL;
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE, _("Not a regular file"));
      return NULL;
    }
  if (g_file_info_get_size (info) > max_size)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, too_large);
      return NULL;
    }

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  return _atelier_json_parse (contents, length, error);
}

void
_atelier_make_dir_async (const char          *path,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, _atelier_make_dir_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, make_dir_thread);
}

char *
_atelier_account_dir (const char *dir,
                      const char *account,
                      gsize       n_chars)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, account, -1);

  if (n_chars > 0 && n_chars < strlen (hash))
    hash[n_chars] = '\0';

  return g_build_filename (dir, hash, NULL);
}

gboolean
_atelier_make_dir_finish (GAsyncResult  *result,
                          GError       **error)
{
  return g_task_propagate_boolean (_atelier_task_check (result, NULL, _atelier_make_dir_async), error);
}
