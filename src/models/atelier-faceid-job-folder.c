/* atelier-faceid-job-folder.c: FaceID jobs on disk
 *
 * Three things, each in a worker thread: a job folder's writes, in order
 * (AtelierFaceidJobFolder, a reference-counted box that the writes in
 * flight keep alive); reading a job's faces back to send it again; and
 * reading every job of an account. AtelierFaceidJobs decides what is
 * written when; nothing here knows about fal.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "atelier-api-error.h"
#include "atelier-fal-face.h"
#include "atelier-faceid-job-folder-private.h"
#include "atelier-json-private.h"
#include "atelier-models-private.h"

#define JOB_FILE "job.json"

/* {{{ Writing, in order */

struct _AtelierFaceidJobFolder
{
  char                        *dir;
  GWeakRef                     owner;
  AtelierFaceidFolderBusyFunc  busy_func;
  gboolean                     busy;
  /* The next write: the newest job.json replaces an older one waiting. */
  GBytes                      *json;      /* (nullable) */
  GPtrArray                   *faces;     /* (nullable) GBytes, face-1.jpg … */
  gboolean                     remove;    /* delete the folder instead */
  GPtrArray                   *waiting;   /* Waiter, told once the next write landed */
};

typedef struct
{
  AtelierFaceidFolderWrittenFunc  func;
  gpointer                        data;
} Waiter;

typedef struct
{
  char      *dir;
  GBytes    *json;
  GPtrArray *faces;
  gboolean   remove;
  GPtrArray *waiting;
} WriteOp;

static GPtrArray *
new_waiting (void)
{
  return g_ptr_array_new_with_free_func (g_free);
}

static void
folder_clear (AtelierFaceidJobFolder *folder)
{
  g_free (folder->dir);
  g_weak_ref_clear (&folder->owner);
  g_clear_pointer (&folder->json, g_bytes_unref);
  g_clear_pointer (&folder->faces, g_ptr_array_unref);
  g_clear_pointer (&folder->waiting, g_ptr_array_unref);
}

AtelierFaceidJobFolder *
_atelier_faceid_job_folder_new (const char                  *account_dir,
                                AtelierFaceidJob            *job,
                                GObject                     *owner,
                                AtelierFaceidFolderBusyFunc  busy)
{
  AtelierFaceidJobFolder *folder = g_rc_box_new0 (AtelierFaceidJobFolder);

  folder->dir = g_build_filename (account_dir, atelier_faceid_job_get_id (job), NULL);
  g_weak_ref_init (&folder->owner, owner);
  folder->busy_func = busy;
  folder->waiting = new_waiting ();
  return folder;
}

void
_atelier_faceid_job_folder_unref (AtelierFaceidJobFolder *folder)
{
  g_rc_box_release_full (folder, (GDestroyNotify) folder_clear);
}

static void
write_op_free (WriteOp *op)
{
  g_free (op->dir);
  g_clear_pointer (&op->json, g_bytes_unref);
  g_clear_pointer (&op->faces, g_ptr_array_unref);
  g_clear_pointer (&op->waiting, g_ptr_array_unref);
  g_free (op);
}

static gboolean
write_file (const char  *dir,
            const char  *name,
            GBytes      *bytes,
            GError     **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  return g_file_set_contents_full (path, data, size, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

static gboolean
remove_dir (const char  *dir,
            GError     **error)
{
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  const char *name;

  /* Only the files a job folder holds: no recursion. */
  while (folder != NULL && (name = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }

  if (g_rmdir (dir) != 0 && errno != ENOENT)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not delete the FaceID job folder: %s"), g_strerror (saved));
      return FALSE;
    }

  return TRUE;
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteOp *op = task_data;
  g_autoptr(GError) error = NULL;

  if (op->remove)
    {
      if (!remove_dir (op->dir, &error))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_boolean (task, TRUE);
      return;
    }

  if (g_mkdir_with_parents (op->dir, 0700) != 0)
    {
      int saved = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               _("Could not make the FaceID job folder: %s"), g_strerror (saved));
      return;
    }

  /* The faces first: a job.json on disk always has its faces. */
  for (guint i = 0; op->faces != NULL && i < op->faces->len; i++)
    {
      g_autofree char *name = g_strdup_printf ("face-%u.jpg", i + 1);

      if (!write_file (op->dir, name, g_ptr_array_index (op->faces, i), &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  if (op->json != NULL && !write_file (op->dir, JOB_FILE, op->json, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void folder_start (AtelierFaceidJobFolder *folder);

static void
written_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  AtelierFaceidJobFolder *folder = user_data;
  WriteOp *op = g_task_get_task_data (G_TASK (result));
  g_autoptr(GObject) owner = g_weak_ref_get (&folder->owner);
  g_autoptr(GError) error = NULL;
  gboolean written = g_task_propagate_boolean (G_TASK (result), &error);

  folder->busy = FALSE;
  if (owner != NULL)
    folder->busy_func (owner, FALSE, error);

  for (guint i = 0; i < op->waiting->len; i++)
    {
      Waiter *waiter = g_ptr_array_index (op->waiting, i);

      waiter->func (written, waiter->data);
    }

  folder_start (folder);
  _atelier_faceid_job_folder_unref (folder);
}

/* Starts the next write unless one is running or none is waiting. */
static void
folder_start (AtelierFaceidJobFolder *folder)
{
  g_autoptr(GObject) owner = NULL;
  g_autoptr(GTask) task = NULL;
  WriteOp *op;

  if (folder->busy || (folder->json == NULL && folder->faces == NULL && !folder->remove))
    return;

  op = g_new0 (WriteOp, 1);
  op->dir = g_strdup (folder->dir);
  op->json = g_steal_pointer (&folder->json);
  op->faces = g_steal_pointer (&folder->faces);
  op->remove = folder->remove;
  op->waiting = g_steal_pointer (&folder->waiting);
  folder->waiting = new_waiting ();
  folder->remove = FALSE;
  folder->busy = TRUE;

  owner = g_weak_ref_get (&folder->owner);
  if (owner != NULL)
    folder->busy_func (owner, TRUE, NULL);

  /* No source object: a worker never holds the owner's last reference. */
  task = g_task_new (NULL, NULL, written_cb, g_rc_box_acquire (folder));
  g_task_set_source_tag (task, folder_start);
  g_task_set_task_data (task, op, (GDestroyNotify) write_op_free);
  g_task_run_in_thread (task, write_thread);
}

void
_atelier_faceid_job_folder_write (AtelierFaceidJobFolder         *folder,
                                  AtelierFaceidJob               *job,
                                  GPtrArray                      *faces,
                                  AtelierFaceidFolderWrittenFunc  then,
                                  gpointer                        user_data)
{
  g_autoptr(JsonNode) node = _atelier_faceid_job_to_json (job);

  g_clear_pointer (&folder->json, g_bytes_unref);
  folder->json = _atelier_json_to_bytes (node);
  if (faces != NULL && faces->len > 0)
    {
      g_clear_pointer (&folder->faces, g_ptr_array_unref);
      folder->faces = g_ptr_array_ref (faces);
    }
  if (then != NULL)
    {
      Waiter *waiter = g_new0 (Waiter, 1);

      waiter->func = then;
      waiter->data = user_data;
      g_ptr_array_add (folder->waiting, waiter);
    }
  folder_start (folder);
}

void
_atelier_faceid_job_folder_remove (AtelierFaceidJobFolder *folder)
{
  g_clear_pointer (&folder->json, g_bytes_unref);
  g_clear_pointer (&folder->faces, g_ptr_array_unref);
  folder->remove = TRUE;
  folder_start (folder);
}

/* }}} */
/* {{{ Reading the faces back */

typedef struct
{
  char  *dir;
  guint  n_faces;
} ReadFaces;

static void
read_faces_free (ReadFaces *data)
{
  g_free (data->dir);
  g_free (data);
}

static void
read_faces_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  ReadFaces *data = task_data;
  g_autoptr(GPtrArray) faces = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  for (guint i = 0; i < data->n_faces; i++)
    {
      g_autofree char *name = g_strdup_printf ("face-%u.jpg", i + 1);
      g_autofree char *path = g_build_filename (data->dir, name, NULL);
      g_autoptr(GMappedFile) file = NULL;
      g_autoptr(GError) error = NULL;

      file = g_mapped_file_new (path, FALSE, &error);
      if (file == NULL || g_mapped_file_get_length (file) > ATELIER_FAL_FACE_MAX_FILE_BYTES)
        {
          g_task_return_new_error (task, ATELIER_API_ERROR, ATELIER_API_ERROR_FILE,
                                   _("The face photos of this job could not be read: %s"),
                                   error != NULL ? error->message : name);
          return;
        }
      g_ptr_array_add (faces, g_mapped_file_get_bytes (file));
    }

  g_task_return_pointer (task, g_steal_pointer (&faces), (GDestroyNotify) g_ptr_array_unref);
}

void
_atelier_faceid_job_folder_read_faces_async (AtelierFaceidJobFolder *folder,
                                             guint                   n_faces,
                                             GCancellable           *cancellable,
                                             GAsyncReadyCallback     callback,
                                             gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  ReadFaces *data = g_new0 (ReadFaces, 1);

  data->dir = g_strdup (folder->dir);
  data->n_faces = n_faces;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, _atelier_faceid_job_folder_read_faces_async);
  g_task_set_task_data (task, data, (GDestroyNotify) read_faces_free);
  g_task_run_in_thread (task, read_faces_thread);
}

GPtrArray *
_atelier_faceid_job_folder_read_faces_finish (GAsyncResult  *result,
                                              GError       **error)
{
  GTask *task = _atelier_task_check (result, NULL, _atelier_faceid_job_folder_read_faces_async);

  return task != NULL ? g_task_propagate_pointer (task, error) : NULL;
}

/* }}} */
/* {{{ Reading an account's jobs */

typedef struct
{
  GPtrArray *jobs;      /* AtelierFaceidJob */
  GPtrArray *problems;  /* char *: "path: message" */
} Loaded;

static void
loaded_free (Loaded *loaded)
{
  g_clear_pointer (&loaded->jobs, g_ptr_array_unref);
  g_clear_pointer (&loaded->problems, g_ptr_array_unref);
  g_free (loaded);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Loaded, loaded_free)

static AtelierFaceidJob *
read_job (const char  *path,
          GError     **error)
{
  g_autoptr(JsonNode) root = NULL;

  root = _atelier_read_json_file (path, ATELIER_FACEID_JOB_MAX_FILE_SIZE,
                                  _("The file is too large to be a FaceID job"), error);
  if (root == NULL)
    return NULL;

  return _atelier_faceid_job_new_from_json (root, error);
}

static int
newest_first (gconstpointer a,
              gconstpointer b)
{
  AtelierFaceidJob *job_a = *(AtelierFaceidJob **) a;
  AtelierFaceidJob *job_b = *(AtelierFaceidJob **) b;

  return g_date_time_compare (atelier_faceid_job_get_created_at (job_b),
                              atelier_faceid_job_get_created_at (job_a));
}

static void
read_jobs_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  const char *account_dir = task_data;
  g_autoptr(GDir) dir = g_dir_open (account_dir, 0, NULL);
  Loaded *loaded = g_new0 (Loaded, 1);
  const char *name;

  loaded->jobs = g_ptr_array_new_with_free_func (g_object_unref);
  loaded->problems = g_ptr_array_new_with_free_func (g_free);

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL && !g_cancellable_is_cancelled (cancellable))
    {
      g_autofree char *path = g_build_filename (account_dir, name, JOB_FILE, NULL);
      g_autoptr(GError) error = NULL;
      AtelierFaceidJob *job;

      if (!g_file_test (path, G_FILE_TEST_EXISTS) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;

      job = read_job (path, &error);
      if (job != NULL && g_strcmp0 (atelier_faceid_job_get_id (job), name) != 0)
        {
          g_clear_object (&job);
          g_set_error (&error, ATELIER_API_ERROR, ATELIER_API_ERROR_PARSE,
                       _("The FaceID job file is not as expected (%s)"), "id");
        }

      if (job != NULL)
        g_ptr_array_add (loaded->jobs, job);
      else
        g_ptr_array_add (loaded->problems, g_strdup_printf ("%s: %s", path, error->message));
    }

  g_ptr_array_sort (loaded->jobs, newest_first);
  g_task_return_pointer (task, loaded, (GDestroyNotify) loaded_free);
}

void
_atelier_faceid_jobs_read_async (const char          *account_dir,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, _atelier_faceid_jobs_read_async);
  g_task_set_task_data (task, g_strdup (account_dir), g_free);
  g_task_run_in_thread (task, read_jobs_thread);
}

GPtrArray *
_atelier_faceid_jobs_read_finish (GAsyncResult *result)
{
  GTask *task = _atelier_task_check (result, NULL, _atelier_faceid_jobs_read_async);
  g_autoptr(Loaded) loaded = NULL;

  if (task == NULL || (loaded = g_task_propagate_pointer (task, NULL)) == NULL)
    return NULL;

  /* Told here, on the main thread, where the log is watched. */
  for (guint i = 0; i < loaded->problems->len; i++)
    g_warning ("Skipping a FaceID job that cannot be read: %s", (char *) g_ptr_array_index (loaded->problems, i));

  return g_steal_pointer (&loaded->jobs);
}

/* }}} */
