/* atelier-faceid-jobs.c: fal.ai FaceID requests, kept across restarts
 *
 * Each listed job has a Run: what it is doing now (one call or one timer
 * at a time, cancelled together with its GCancellable), its face JPEGs
 * while they are in memory, and the Writer of its folder.
 *
 * A job goes:
 *   SUBMITTING: job.json and face-N.jpg written first (so that a crash
 *     while sending leaves a job that says so, UNSURE), then POST;
 *   IN_QUEUE / IN_PROGRESS: polled (GET status?logs=1) by one timer, the
 *     delay doubling from :poll-interval-ms up to ten times that while
 *     nothing changes (status, queue position, logs), back to the first
 *     when something does; at least RATE_LIMIT_WAIT_MS after a 429 (the
 *     client already waited out fal's Retry-After before giving up);
 *     connection trouble and 5xx just back off: a job is never failed for
 *     the network;
 *   SAVING: the result fetched and kept in the library under a negative
 *     id chosen once per result (so fetching it again replaces the same
 *     entry), a few tries on connection trouble, then FAILED;
 *   DONE, FAILED, CANCELLED, LOST, UNSURE, REFUSED: stopped. What a retry
 *     does is stored with the job (AtelierFaceidJobResume): send again
 *     (a new request), ask about the same request again, or fetch its
 *     result again.
 *
 * A 401/403 while polling fails the job ("the key was refused") but keeps
 * its request: fal may still have it, so Retry, after the key is fixed,
 * polls the same request rather than paying for a new one.
 *
 * The Writer of a job's folder writes one state after the other in a
 * worker thread (g_file_set_contents_full(): a temporary file renamed
 * over the old one) and lives on after the jobs object, so the last state
 * always reaches the disk.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "atelier-api-error.h"
#include "atelier-fal-face.h"
#include "atelier-faceid-job-private.h"
#include "atelier-json-private.h"
#include "atelier-models-private.h"

#define MAX_POLL_FACTOR      10
#define RATE_LIMIT_WAIT_MS   30000
#define MAX_FETCH_TRIES      5
#define JOB_FILE             "job.json"

typedef struct _Writer Writer;
typedef struct _Run Run;

struct _AtelierFaceidJobs
{
  GObject           parent_instance;

  char             *dir;
  char             *account;
  char             *account_dir;   /* NULL without an account */
  GPtrArray        *jobs;          /* AtelierFaceidJob, newest first */
  GHashTable       *runs;          /* AtelierFaceidJob → Run (owned) */
  GCancellable     *cancellable;   /* of the account's load */
  AtelierFalClient *client;
  AtelierLibrary   *library;
  gboolean          loaded;
  guint             poll_interval_ms;
  guint             n_writing;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AtelierFaceidJobs, atelier_faceid_jobs, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  JOB_FINISHED,
  ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* {{{ GListModel */

static GType
get_item_type (GListModel *list)
{
  return ATELIER_TYPE_FACEID_JOB;
}

static guint
get_n_items (GListModel *list)
{
  return ATELIER_FACEID_JOBS (list)->jobs->len;
}

static gpointer
get_item (GListModel *list,
          guint       position)
{
  AtelierFaceidJobs *self = ATELIER_FACEID_JOBS (list);

  return position < self->jobs->len ? g_object_ref (g_ptr_array_index (self->jobs, position)) : NULL;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* }}} */
/* {{{ Writer: one job folder's files, in order, in a worker thread */

typedef void (*WrittenFunc) (AtelierFaceidJobs *self,
                             AtelierFaceidJob  *job,
                             gboolean           written);

struct _Writer
{
  char      *dir;
  GWeakRef   jobs;
  gboolean   busy;
  /* The next write: the newest job.json replaces an older one waiting. */
  GBytes    *json;      /* (nullable) */
  GPtrArray *faces;     /* (nullable) GBytes, face-1.jpg … */
  gboolean   remove;    /* delete the folder instead */
  GPtrArray *waiting;   /* Waiter, told once the next write landed */
};

typedef struct
{
  GWeakRef          jobs;
  AtelierFaceidJob *job;
  WrittenFunc       func;
} Waiter;

typedef struct
{
  char      *dir;
  GBytes    *json;
  GPtrArray *faces;
  gboolean   remove;
  GPtrArray *waiting;
} WriteOp;

static void
waiter_free (Waiter *waiter)
{
  g_weak_ref_clear (&waiter->jobs);
  g_object_unref (waiter->job);
  g_free (waiter);
}

static void
writer_clear (Writer *writer)
{
  g_free (writer->dir);
  g_weak_ref_clear (&writer->jobs);
  g_clear_pointer (&writer->json, g_bytes_unref);
  g_clear_pointer (&writer->faces, g_ptr_array_unref);
  g_clear_pointer (&writer->waiting, g_ptr_array_unref);
}

static Writer *
writer_new (AtelierFaceidJobs *self,
            const char        *dir)
{
  Writer *writer = g_rc_box_new0 (Writer);

  writer->dir = g_strdup (dir);
  g_weak_ref_init (&writer->jobs, self);
  writer->waiting = g_ptr_array_new_with_free_func ((GDestroyNotify) waiter_free);
  return writer;
}

static void
writer_unref (Writer *writer)
{
  g_rc_box_release_full (writer, (GDestroyNotify) writer_clear);
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

static void writer_start (Writer *writer);

static void
written_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Writer *writer = user_data;
  WriteOp *op = g_task_get_task_data (G_TASK (result));
  g_autoptr(AtelierFaceidJobs) self = g_weak_ref_get (&writer->jobs);
  g_autoptr(GError) error = NULL;
  gboolean written = g_task_propagate_boolean (G_TASK (result), &error);

  writer->busy = FALSE;
  if (self != NULL)
    {
      g_assert (self->n_writing > 0);
      self->n_writing--;
      if (error != NULL)
        g_signal_emit (self, signals[ERROR], 0, error);
    }

  for (guint i = 0; i < op->waiting->len; i++)
    {
      Waiter *waiter = g_ptr_array_index (op->waiting, i);
      g_autoptr(AtelierFaceidJobs) jobs = g_weak_ref_get (&waiter->jobs);

      if (jobs != NULL)
        waiter->func (jobs, waiter->job, written);
    }

  writer_start (writer);
  writer_unref (writer);
}

/* Starts the next write unless one is running or none is waiting. */
static void
writer_start (Writer *writer)
{
  g_autoptr(AtelierFaceidJobs) self = NULL;
  g_autoptr(GTask) task = NULL;
  WriteOp *op;

  if (writer->busy || (writer->json == NULL && writer->faces == NULL && !writer->remove))
    return;

  op = g_new0 (WriteOp, 1);
  op->dir = g_strdup (writer->dir);
  op->json = g_steal_pointer (&writer->json);
  op->faces = g_steal_pointer (&writer->faces);
  op->remove = writer->remove;
  op->waiting = g_steal_pointer (&writer->waiting);
  writer->waiting = g_ptr_array_new_with_free_func ((GDestroyNotify) waiter_free);
  writer->remove = FALSE;
  writer->busy = TRUE;

  self = g_weak_ref_get (&writer->jobs);
  if (self != NULL)
    self->n_writing++;

  /* No source object: a worker never holds the jobs' last reference. */
  task = g_task_new (NULL, NULL, written_cb, g_rc_box_acquire (writer));
  g_task_set_source_tag (task, writer_start);
  g_task_set_task_data (task, op, (GDestroyNotify) write_op_free);
  g_task_run_in_thread (task, write_thread);
}

static void
writer_add_waiter (Writer            *writer,
                   AtelierFaceidJobs *self,
                   AtelierFaceidJob  *job,
                   WrittenFunc        func)
{
  Waiter *waiter = g_new0 (Waiter, 1);

  g_weak_ref_init (&waiter->jobs, self);
  waiter->job = g_object_ref (job);
  waiter->func = func;
  g_ptr_array_add (writer->waiting, waiter);
}

/* }}} */
/* {{{ Runs */

typedef enum
{
  NEXT_POLL,
  NEXT_FETCH,
} Next;

struct _Run
{
  AtelierFaceidJobs *self;          /* (unowned) owns the run */
  AtelierFaceidJob  *job;           /* (owned) */
  GCancellable      *cancellable;   /* (owned) of the calls now */
  Writer            *writer;        /* (owned) (nullable) without an account */
  GPtrArray         *faces;         /* (owned) (nullable) GBytes in memory */
  JsonNode          *payload;       /* (owned) (nullable) what the next POST sends */
  guint              timeout_id;
  Next               next;
  guint              delay_ms;
  guint              fetch_tries;
  gboolean           busy;          /* a call or a timer is on its way */
  gboolean           cancelling;    /* a PUT cancel is on its way */
};

static void
run_stop (Run *run)
{
  g_cancellable_cancel (run->cancellable);
  g_clear_object (&run->cancellable);
  run->cancellable = g_cancellable_new ();
  g_clear_handle_id (&run->timeout_id, g_source_remove);
  run->busy = FALSE;
  run->cancelling = FALSE;
}

static void
run_free (Run *run)
{
  g_cancellable_cancel (run->cancellable);
  g_clear_object (&run->cancellable);
  g_clear_handle_id (&run->timeout_id, g_source_remove);
  g_clear_pointer (&run->writer, writer_unref);
  g_clear_pointer (&run->faces, g_ptr_array_unref);
  g_clear_pointer (&run->payload, json_node_unref);
  g_object_unref (run->job);
  g_free (run);
}

static char *
job_dir (AtelierFaceidJobs *self,
         AtelierFaceidJob  *job)
{
  return g_build_filename (self->account_dir, atelier_faceid_job_get_id (job), NULL);
}

static Run *
get_run (AtelierFaceidJobs *self,
         AtelierFaceidJob  *job)
{
  Run *run = g_hash_table_lookup (self->runs, job);

  if (run == NULL)
    {
      run = g_new0 (Run, 1);
      run->self = self;
      run->job = g_object_ref (job);
      run->cancellable = g_cancellable_new ();
      run->delay_ms = self->poll_interval_ms;
      if (self->account_dir != NULL)
        {
          g_autofree char *dir = job_dir (self, job);

          run->writer = writer_new (self, dir);
        }
      g_hash_table_insert (self->runs, job, run);
    }

  return run;
}

/* Writes the job's state; @faces (nullable) with it; @then (nullable) is
 * called once it landed or failed (at once without an account). */
static void
persist (AtelierFaceidJobs *self,
         Run               *run,
         GPtrArray         *faces,
         WrittenFunc        then)
{
  g_autoptr(JsonNode) node = NULL;

  if (run->writer == NULL)
    {
      if (then != NULL)
        then (self, run->job, FALSE);
      return;
    }

  node = _atelier_faceid_job_to_json (run->job);
  g_clear_pointer (&run->writer->json, g_bytes_unref);
  run->writer->json = _atelier_json_to_bytes (node);
  if (faces != NULL && faces->len > 0)
    {
      g_clear_pointer (&run->writer->faces, g_ptr_array_unref);
      run->writer->faces = g_ptr_array_ref (faces);
    }
  if (then != NULL)
    writer_add_waiter (run->writer, self, run->job, then);
  writer_start (run->writer);
}

/* An async call's closure: the jobs weakly, the job and the run's
 * cancellable of the time, so that an answer to a call of an earlier
 * step (the run was stopped since) is dropped. */
typedef struct
{
  GWeakRef          jobs;
  AtelierFaceidJob *job;
  GCancellable     *cancellable;
} Call;

static Call *
call_new (AtelierFaceidJobs *self,
          Run               *run)
{
  Call *call = g_new0 (Call, 1);

  g_weak_ref_init (&call->jobs, self);
  call->job = g_object_ref (run->job);
  call->cancellable = g_object_ref (run->cancellable);
  return call;
}

/* Frees @call; returns its run when the answer is still wanted. The jobs
 * object is returned in @out_self (transfer full). */
static Run *
call_finish (Call               *call,
             AtelierFaceidJobs **out_self)
{
  AtelierFaceidJobs *self = g_weak_ref_get (&call->jobs);
  Run *run = NULL;

  if (self != NULL && !g_cancellable_is_cancelled (call->cancellable))
    {
      run = g_hash_table_lookup (self->runs, call->job);
      if (run != NULL && run->cancellable != call->cancellable)
        run = NULL;
    }

  g_weak_ref_clear (&call->jobs);
  g_object_unref (call->job);
  g_object_unref (call->cancellable);
  g_free (call);

  *out_self = self;
  return run;
}

static void
stop_with (AtelierFaceidJobs      *self,
           Run                    *run,
           AtelierFaceidJobState   state,
           AtelierFaceidJobResume  resume,
           const GError           *error)
{
  run_stop (run);
  _atelier_faceid_job_set_resume (run->job, resume);
  _atelier_faceid_job_set_error (run->job, error);
  _atelier_faceid_job_set_state (run->job, state);
  persist (self, run, NULL, NULL);

  if (state == ATELIER_FACEID_JOB_FAILED)
    g_signal_emit (self, signals[JOB_FINISHED], 0, run->job);
}

/* }}} */
/* {{{ Sending */

static void submitted_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
send_now (AtelierFaceidJobs *self,
          AtelierFaceidJob  *job,
          gboolean           written)
{
  Run *run = g_hash_table_lookup (self->runs, job);
  g_autoptr(JsonNode) payload = NULL;

  /* Cancelled, or the account changed, while the folder was written. */
  if (run == NULL || atelier_faceid_job_get_state (job) != ATELIER_FACEID_JOB_SUBMITTING ||
      run->payload == NULL)
    return;

  payload = g_steal_pointer (&run->payload);
  if (self->client == NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (ATELIER_API_ERROR, ATELIER_API_ERROR_UNAUTHORIZED,
                                                     _("No fal.ai key is set."));

      stop_with (self, run, ATELIER_FACEID_JOB_REFUSED, ATELIER_FACEID_JOB_RESUME_SEND, error);
      return;
    }

  run->busy = TRUE;
  atelier_fal_client_submit_async (self->client, payload, run->cancellable, submitted_cb,
                                   call_new (self, run));
}

static void schedule (AtelierFaceidJobs *self, Run *run, Next next, guint delay_ms);

static void
submitted_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AtelierFaceidJobs) self = NULL;
  g_autoptr(AtelierFalRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  Run *run;

  request = atelier_fal_client_submit_finish (ATELIER_FAL_CLIENT (source), result, &error);
  run = call_finish (user_data, &self);
  if (run == NULL)
    return;

  if (request == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        stop_with (self, run, ATELIER_FACEID_JOB_CANCELLED, ATELIER_FACEID_JOB_RESUME_SEND, NULL);
      else if (atelier_api_error_may_have_arrived (error))
        stop_with (self, run, ATELIER_FACEID_JOB_UNSURE, ATELIER_FACEID_JOB_RESUME_SEND, error);
      else
        stop_with (self, run, ATELIER_FACEID_JOB_REFUSED, ATELIER_FACEID_JOB_RESUME_SEND, error);
      return;
    }

  _atelier_faceid_job_set_request (run->job, request);
  _atelier_faceid_job_set_error (run->job, NULL);
  _atelier_faceid_job_set_resume (run->job, ATELIER_FACEID_JOB_RESUME_POLL);
  _atelier_faceid_job_set_state (run->job, ATELIER_FACEID_JOB_IN_QUEUE);
  persist (self, run, NULL, NULL);

  run->delay_ms = self->poll_interval_ms;
  schedule (self, run, NEXT_POLL, run->delay_ms);
}

/* The input with the face as fal takes it, or NULL with @error (a data
 * URL too long). */
static JsonNode *
build_payload (JsonObject  *input,
               GPtrArray   *faces,
               GError     **error)
{
  g_autofree char *url = NULL;
  JsonObject *full;
  JsonNode *node;

  if (faces != NULL && faces->len == 1)
    url = atelier_fal_face_data_url (g_ptr_array_index (faces, 0), error);
  else if (faces != NULL && faces->len > 1)
    url = atelier_fal_faces_zip_data_url (faces, error);
  if (faces != NULL && faces->len > 0 && url == NULL)
    return NULL;

  full = _atelier_faceid_json_object_copy (input);
  if (url != NULL)
    {
      json_object_remove_member (full, "face_image_url");
      json_object_remove_member (full, "face_images_data_url");
      json_object_set_string_member (full, faces->len == 1 ? "face_image_url" : "face_images_data_url", url);
    }

  node = json_node_alloc ();
  json_node_take_object (json_node_init (node, JSON_NODE_OBJECT), full);
  return node;
}

static gboolean
is_data_url (JsonObject *object,
             const char *member)
{
  const char *value = _atelier_json_get_string (object, member);

  return value != NULL && g_ascii_strncasecmp (value, "data:", 5) == 0;
}

AtelierFaceidJob *
atelier_faceid_jobs_submit (AtelierFaceidJobs  *self,
                            JsonObject         *input,
                            const char         *face_url,
                            GPtrArray          *faces,
                            const char         *face_label,
                            GError            **error)
{
  g_autoptr(AtelierFaceidJob) job = NULL;
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(JsonNode) payload = NULL;
  guint n_faces = faces != NULL ? faces->len : 0;
  Run *run;

  g_return_val_if_fail (ATELIER_IS_FACEID_JOBS (self), NULL);
  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->client == NULL)
    {
      g_set_error_literal (error, ATELIER_API_ERROR, ATELIER_API_ERROR_UNAUTHORIZED,
                           _("No fal.ai key is set."));
      return NULL;
    }

  /* What is kept and shown: never a data URL. */
  stored = _atelier_faceid_json_object_copy (input);
  if (is_data_url (stored, "face_image_url"))
    json_object_remove_member (stored, "face_image_url");
  if (is_data_url (stored, "face_images_data_url"))
    json_object_remove_member (stored, "face_images_data_url");

  if (n_faces == 0)
    {
      if (face_url == NULL)
        face_url = _atelier_json_get_string (stored, "face_image_url");
      if (face_url == NULL || !atelier_fal_face_url_is_sendable (face_url))
        {
          g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM,
                       "face_image_url: %s", _("Choose a photo of the face."));
          return NULL;
        }
      json_object_remove_member (stored, "face_images_data_url");
      json_object_set_string_member (stored, "face_image_url", face_url);
    }
  else if (n_faces > ATELIER_FAL_MAX_FACES)
    {
      g_autofree char *message = g_strdup_printf (ngettext ("At most %d photo can be used.",
                                                            "At most %d photos can be used.",
                                                            ATELIER_FAL_MAX_FACES),
                                                  ATELIER_FAL_MAX_FACES);

      g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM,
                   "face_images_data_url: %s", message);
      return NULL;
    }
  else
    {
      json_object_remove_member (stored, "face_image_url");
    }

  payload = build_payload (stored, faces, error);
  if (payload == NULL || !atelier_fal_validate_face_id_input (payload, error))
    return NULL;

  job = _atelier_faceid_job_new (stored, face_label, n_faces);
  g_ptr_array_insert (self->jobs, 0, g_object_ref (job));
  run = get_run (self, job);
  if (n_faces > 0)
    {
      run->faces = g_ptr_array_new_full (n_faces, (GDestroyNotify) g_bytes_unref);
      for (guint i = 0; i < n_faces; i++)
        g_ptr_array_add (run->faces, g_bytes_ref (g_ptr_array_index (faces, i)));
    }
  run->payload = g_steal_pointer (&payload);
  run->busy = TRUE;
  g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, 1);

  /* On disk before it is sent: a crash while sending leaves an UNSURE
   * job, never a paid request nobody knows of. */
  persist (self, run, run->faces, send_now);

  return job;
}

/* }}} */
/* {{{ Polling */

static void polled_cb (GObject *source, GAsyncResult *result, gpointer user_data);
static void fetch (AtelierFaceidJobs *self, Run *run);

static gboolean
timeout_cb (gpointer user_data)
{
  Run *run = user_data;
  AtelierFaceidJobs *self = run->self;
  const AtelierFalRequest *request = _atelier_faceid_job_get_request (run->job);

  run->timeout_id = 0;
  if (self->client == NULL || request == NULL)
    {
      /* Picked up again by resume_all() once there is a client. */
      run->busy = FALSE;
      return G_SOURCE_REMOVE;
    }

  if (run->next == NEXT_FETCH)
    fetch (self, run);
  else
    atelier_fal_client_poll_status_async (self->client, request, run->cancellable, polled_cb,
                                          call_new (self, run));

  return G_SOURCE_REMOVE;
}

static void
schedule (AtelierFaceidJobs *self,
          Run               *run,
          Next               next,
          guint              delay_ms)
{
  g_clear_handle_id (&run->timeout_id, g_source_remove);
  run->busy = TRUE;
  run->next = next;
  run->timeout_id = g_timeout_add (delay_ms, timeout_cb, run);
  g_source_set_name_by_id (run->timeout_id, "[atelier] faceid job");
}

static guint
max_delay (AtelierFaceidJobs *self)
{
  return self->poll_interval_ms * MAX_POLL_FACTOR;
}

static void
polled_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(AtelierFaceidJobs) self = NULL;
  g_autoptr(AtelierFalStatusInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  AtelierFaceidJob *job;
  gboolean changed;
  gint64 position;
  Run *run;

  info = atelier_fal_client_poll_status_finish (ATELIER_FAL_CLIENT (source), result, &error);
  run = call_finish (user_data, &self);
  if (run == NULL)
    return;
  job = run->job;

  if (info == NULL)
    {
      if (g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_NOT_FOUND))
        {
          g_autoptr(GError) lost = g_error_new (ATELIER_API_ERROR, ATELIER_API_ERROR_NOT_FOUND,
                                                _("fal.ai no longer knows this request: %s"), error->message);

          stop_with (self, run, ATELIER_FACEID_JOB_LOST, ATELIER_FACEID_JOB_RESUME_SEND, lost);
        }
      else if (g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_UNAUTHORIZED))
        {
          g_autoptr(GError) refused = g_error_new_literal (ATELIER_API_ERROR, ATELIER_API_ERROR_UNAUTHORIZED,
                                                           _("fal.ai refused the key while this request was "
                                                             "checked. Check the key in Preferences, then "
                                                             "retry: the request is kept."));

          stop_with (self, run, ATELIER_FACEID_JOB_FAILED, ATELIER_FACEID_JOB_RESUME_POLL, refused);
        }
      else if (g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_RATE_LIMITED))
        {
          guint delay = MAX (RATE_LIMIT_WAIT_MS, run->delay_ms);

          run->delay_ms = MIN (run->delay_ms * 2, max_delay (self));
          schedule (self, run, NEXT_POLL, delay);
        }
      else
        {
          /* The network, fal's servers, an answer we could not read: try
           * again later, never fail the job for it. */
          run->delay_ms = MIN (run->delay_ms * 2, max_delay (self));
          schedule (self, run, NEXT_POLL, run->delay_ms);
        }
      return;
    }

  if (info->status == ATELIER_FAL_STATUS_COMPLETED)
    {
      if (info->error != NULL)
        {
          g_autoptr(GError) failed = g_error_new_literal (ATELIER_API_ERROR, ATELIER_API_ERROR_FAILED,
                                                          info->error);

          _atelier_faceid_job_set_logs (job, (const char * const *) info->logs);
          /* Our own cancel, answered before its PUT came back. */
          if (run->cancelling)
            stop_with (self, run, ATELIER_FACEID_JOB_CANCELLED, ATELIER_FACEID_JOB_RESUME_SEND, NULL);
          else
            stop_with (self, run, ATELIER_FACEID_JOB_FAILED, ATELIER_FACEID_JOB_RESUME_SEND, failed);
          return;
        }

      _atelier_faceid_job_set_resume (job, ATELIER_FACEID_JOB_RESUME_FETCH);
      _atelier_faceid_job_set_state (job, ATELIER_FACEID_JOB_SAVING);
      _atelier_faceid_job_set_queue_position (job, -1);
      _atelier_faceid_job_set_logs (job, (const char * const *) info->logs);
      persist (self, run, NULL, NULL);
      run->fetch_tries = 0;
      fetch (self, run);
      return;
    }

  /* The state first: who shows a position or log lines finds the right
   * state when they change. */
  changed = FALSE;
  if (info->status == ATELIER_FAL_STATUS_IN_PROGRESS &&
      atelier_faceid_job_get_state (job) != ATELIER_FACEID_JOB_IN_PROGRESS)
    {
      changed = TRUE;
      _atelier_faceid_job_set_state (job, ATELIER_FACEID_JOB_IN_PROGRESS);
      persist (self, run, NULL, NULL);
    }
  else if (info->status == ATELIER_FAL_STATUS_IN_QUEUE &&
           atelier_faceid_job_get_state (job) != ATELIER_FACEID_JOB_IN_QUEUE)
    {
      changed = TRUE;
      _atelier_faceid_job_set_state (job, ATELIER_FACEID_JOB_IN_QUEUE);
      persist (self, run, NULL, NULL);
    }

  position = info->status == ATELIER_FAL_STATUS_IN_QUEUE ? info->queue_position : -1;
  if (atelier_faceid_job_get_queue_position (job) != position ||
      !g_strv_equal (atelier_faceid_job_get_logs (job), (const char * const *) info->logs))
    changed = TRUE;
  _atelier_faceid_job_set_queue_position (job, position);
  _atelier_faceid_job_set_logs (job, (const char * const *) info->logs);

  if (changed)
    run->delay_ms = self->poll_interval_ms;
  else
    run->delay_ms = MIN (run->delay_ms * 2, max_delay (self));
  schedule (self, run, NEXT_POLL, run->delay_ms);
}

/* }}} */
/* {{{ Keeping the result */

static void result_cb (GObject *source, GAsyncResult *result, gpointer user_data);
static void kept_cb (GObject *source, GAsyncResult *result, gpointer user_data);

/* Negative, so never an Astria prompt's, and unique in this process and
 * (the clock going forward) across runs. */
static gint64
new_library_id (void)
{
  static gint64 last = 0;
  gint64 id = -g_get_real_time ();

  if (last != 0 && id >= last)
    id = last - 1;
  last = id;
  return id;
}

static void
fetch (AtelierFaceidJobs *self,
       Run               *run)
{
  const AtelierFalRequest *request = _atelier_faceid_job_get_request (run->job);

  if (self->client == NULL || self->library == NULL || request == NULL)
    {
      run->busy = FALSE;
      return;
    }

  if (_atelier_faceid_job_get_library_id (run->job) == 0)
    {
      _atelier_faceid_job_set_library_id (run->job, new_library_id ());
      persist (self, run, NULL, NULL);
    }

  run->busy = TRUE;
  atelier_fal_client_get_result_async (self->client, request, run->cancellable, result_cb,
                                       call_new (self, run));
}

static void
fail_keeping (AtelierFaceidJobs *self,
              Run               *run,
              const GError      *error)
{
  g_autoptr(GError) failed = g_error_new (ATELIER_API_ERROR,
                                          error->domain == ATELIER_API_ERROR ? error->code : ATELIER_API_ERROR_FAILED,
                                          _("The image could not be kept: %s"), error->message);

  stop_with (self, run, ATELIER_FACEID_JOB_FAILED, ATELIER_FACEID_JOB_RESUME_FETCH, failed);
}

static JsonNode *
build_prompt_json (AtelierFaceidJob       *job,
                   const AtelierFalResult *result)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = g_date_time_format_iso8601 (now);
  JsonObject *input = atelier_faceid_job_get_input (job);
  const char *negative = _atelier_json_get_string (input, "negative_prompt");
  const char *model_type = _atelier_json_get_string (input, "model_type");
  gint64 width = result->width > 0 ? result->width : _atelier_json_get_int (input, "width", 0);
  gint64 height = result->height > 0 ? result->height : _atelier_json_get_int (input, "height", 0);
  JsonNode *input_node;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, _atelier_faceid_job_get_library_id (job));
  _atelier_json_builder_set_member (builder, "text");
  _atelier_json_builder_add_string (builder, atelier_faceid_job_get_prompt_text (job));
  if (negative != NULL)
    {
      _atelier_json_builder_set_member (builder, "negative_prompt");
      _atelier_json_builder_add_string (builder, negative);
    }
  if (result->seed >= 0)
    {
      json_builder_set_member_name (builder, "seed");
      json_builder_add_int_value (builder, result->seed);
    }
  if (json_object_has_member (input, "guidance_scale"))
    {
      json_builder_set_member_name (builder, "cfg_scale");
      json_builder_add_double_value (builder, _atelier_json_get_double (input, "guidance_scale", 0));
    }
  if (json_object_has_member (input, "num_inference_steps"))
    {
      json_builder_set_member_name (builder, "steps");
      json_builder_add_int_value (builder, _atelier_json_get_int (input, "num_inference_steps", 0));
    }
  json_builder_set_member_name (builder, "images");
  json_builder_begin_array (builder);
  _atelier_json_builder_add_string (builder, result->image_url);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "w");
  json_builder_add_int_value (builder, width);
  json_builder_set_member_name (builder, "h");
  json_builder_add_int_value (builder, height);
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_string_value (builder, created);
  json_builder_set_member_name (builder, "atelier_source");
  json_builder_add_string_value (builder, ATELIER_PROMPT_SOURCE_FACEID_FAL);

  json_builder_set_member_name (builder, "faceid");
  json_builder_begin_object (builder);
  _atelier_json_builder_set_member (builder, "request_id");
  _atelier_json_builder_add_string (builder, atelier_faceid_job_get_request_id (job));
  _atelier_json_builder_set_member (builder, "face");
  _atelier_json_builder_add_string (builder, atelier_faceid_job_get_face_label (job));
  _atelier_json_builder_set_member (builder, "model_type");
  _atelier_json_builder_add_string (builder, model_type != NULL ? model_type : "1_5-v1");
  json_builder_set_member_name (builder, "input");
  input_node = json_node_alloc ();
  json_node_take_object (json_node_init (input_node, JSON_NODE_OBJECT), _atelier_faceid_json_object_copy (input));
  json_builder_add_value (builder, input_node);
  json_builder_end_object (builder);

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(AtelierFaceidJobs) self = NULL;
  g_autoptr(AtelierFalResult) fal_result = NULL;
  g_autoptr(AtelierPrompt) prompt = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  Run *run;

  fal_result = atelier_fal_client_get_result_finish (ATELIER_FAL_CLIENT (source), result, &error);
  run = call_finish (user_data, &self);
  if (run == NULL)
    return;

  if (fal_result == NULL)
    {
      if (g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_NOT_FOUND))
        {
          g_autoptr(GError) lost = g_error_new (ATELIER_API_ERROR, ATELIER_API_ERROR_NOT_FOUND,
                                                _("fal.ai no longer has this result: %s"), error->message);

          stop_with (self, run, ATELIER_FACEID_JOB_LOST, ATELIER_FACEID_JOB_RESUME_SEND, lost);
        }
      else if (atelier_api_error_is_retryable (error) && ++run->fetch_tries < MAX_FETCH_TRIES)
        {
          run->delay_ms = MIN (MAX (run->delay_ms, self->poll_interval_ms) * 2, max_delay (self));
          schedule (self, run, NEXT_FETCH,
                    g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_RATE_LIMITED)
                    ? MAX (RATE_LIMIT_WAIT_MS, run->delay_ms) : run->delay_ms);
        }
      else
        {
          fail_keeping (self, run, error);
        }
      return;
    }

  node = build_prompt_json (run->job, fal_result);
  prompt = atelier_prompt_new_from_json (node, &error);
  if (prompt == NULL)
    {
      fail_keeping (self, run, error);
      return;
    }

  if (self->library == NULL)
    {
      run->busy = FALSE;
      return;
    }

  atelier_library_keep_async (self->library, prompt, ATELIER_LIBRARY_MADE, -1, run->cancellable,
                              kept_cb, call_new (self, run));
}

static void
kept_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(AtelierFaceidJobs) self = NULL;
  g_autoptr(GError) error = NULL;
  gboolean kept;
  Run *run;

  kept = atelier_library_keep_finish (ATELIER_LIBRARY (source), result, &error);
  run = call_finish (user_data, &self);
  if (run == NULL)
    return;

  if (!kept)
    {
      fail_keeping (self, run, error);
      return;
    }

  run_stop (run);
  g_clear_pointer (&run->faces, g_ptr_array_unref);
  _atelier_faceid_job_set_prompt_id (run->job, _atelier_faceid_job_get_library_id (run->job));
  _atelier_faceid_job_set_error (run->job, NULL);
  _atelier_faceid_job_set_state (run->job, ATELIER_FACEID_JOB_DONE);
  persist (self, run, NULL, NULL);
  g_signal_emit (self, signals[JOB_FINISHED], 0, run->job);
}

/* }}} */
/* {{{ Cancel, retry, remove */

static void
cancelled_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AtelierFaceidJobs) self = NULL;
  g_autoptr(GError) error = NULL;
  gboolean cancelled;
  Run *run;

  cancelled = atelier_fal_client_cancel_finish (ATELIER_FAL_CLIENT (source), result, &error);
  run = call_finish (user_data, &self);
  if (run == NULL)
    return;
  run->cancelling = FALSE;

  if (cancelled)
    {
      AtelierFaceidJobState state = atelier_faceid_job_get_state (run->job);

      if (state == ATELIER_FACEID_JOB_IN_QUEUE || state == ATELIER_FACEID_JOB_IN_PROGRESS)
        stop_with (self, run, ATELIER_FACEID_JOB_CANCELLED, ATELIER_FACEID_JOB_RESUME_SEND, NULL);
      return;
    }

  /* Too late: it is being processed. Polling goes on and shows it. */
  if (error->domain == ATELIER_API_ERROR && error->code == ATELIER_API_ERROR_HTTP &&
      strstr (error->message, "ALREADY_COMPLETED") != NULL)
    return;

  g_signal_emit (self, signals[ERROR], 0, error);
}

void
atelier_faceid_jobs_cancel (AtelierFaceidJobs *self,
                            AtelierFaceidJob  *job)
{
  Run *run;

  g_return_if_fail (ATELIER_IS_FACEID_JOBS (self));
  g_return_if_fail (ATELIER_IS_FACEID_JOB (job));

  run = g_hash_table_lookup (self->runs, job);
  if (run == NULL || !atelier_faceid_job_can_cancel (job))
    return;

  if (atelier_faceid_job_get_state (job) == ATELIER_FACEID_JOB_SUBMITTING)
    {
      g_clear_pointer (&run->payload, json_node_unref);
      stop_with (self, run, ATELIER_FACEID_JOB_CANCELLED, ATELIER_FACEID_JOB_RESUME_SEND, NULL);
      return;
    }

  if (run->cancelling || self->client == NULL || _atelier_faceid_job_get_request (job) == NULL)
    return;

  run->cancelling = TRUE;
  atelier_fal_client_cancel_async (self->client, _atelier_faceid_job_get_request (job), run->cancellable,
                                   cancelled_cb, call_new (self, run));
}

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

static void send_again (AtelierFaceidJobs *self, Run *run);

static void
faces_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(AtelierFaceidJobs) self = NULL;
  g_autoptr(GPtrArray) faces = NULL;
  g_autoptr(GError) error = NULL;
  Run *run;

  faces = g_task_propagate_pointer (G_TASK (result), &error);
  run = call_finish (user_data, &self);
  if (run == NULL)
    return;

  if (faces == NULL)
    {
      stop_with (self, run, ATELIER_FACEID_JOB_REFUSED, ATELIER_FACEID_JOB_RESUME_SEND, error);
      return;
    }

  g_clear_pointer (&run->faces, g_ptr_array_unref);
  run->faces = g_steal_pointer (&faces);
  send_again (self, run);
}

/* A SUBMITTING job with its faces in memory (or none needed): POST. */
static void
send_again (AtelierFaceidJobs *self,
            Run               *run)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&run->payload, json_node_unref);
  run->payload = build_payload (atelier_faceid_job_get_input (run->job), run->faces, &error);
  if (run->payload == NULL)
    {
      stop_with (self, run, ATELIER_FACEID_JOB_REFUSED, ATELIER_FACEID_JOB_RESUME_SEND, error);
      return;
    }

  run->busy = TRUE;
  persist (self, run, NULL, send_now);
}

void
atelier_faceid_jobs_retry (AtelierFaceidJobs *self,
                           AtelierFaceidJob  *job)
{
  guint n_faces;
  Run *run;

  g_return_if_fail (ATELIER_IS_FACEID_JOBS (self));
  g_return_if_fail (ATELIER_IS_FACEID_JOB (job));

  if (!atelier_faceid_job_can_retry (job) || !g_ptr_array_find (self->jobs, job, NULL))
    return;

  run = get_run (self, job);
  run_stop (run);
  _atelier_faceid_job_set_error (job, NULL);

  switch (_atelier_faceid_job_get_resume (job))
    {
    case ATELIER_FACEID_JOB_RESUME_POLL:
      if (_atelier_faceid_job_get_request (job) != NULL)
        {
          _atelier_faceid_job_set_state (job, ATELIER_FACEID_JOB_IN_QUEUE);
          persist (self, run, NULL, NULL);
          run->delay_ms = self->poll_interval_ms;
          schedule (self, run, NEXT_POLL, 0);
          return;
        }
      break;

    case ATELIER_FACEID_JOB_RESUME_FETCH:
      if (_atelier_faceid_job_get_request (job) != NULL)
        {
          _atelier_faceid_job_set_state (job, ATELIER_FACEID_JOB_SAVING);
          persist (self, run, NULL, NULL);
          run->fetch_tries = 0;
          run->delay_ms = self->poll_interval_ms;
          schedule (self, run, NEXT_FETCH, 0);
          return;
        }
      break;

    case ATELIER_FACEID_JOB_RESUME_SEND:
    default:
      break;
    }

  /* A new request from the stored input and faces. */
  _atelier_faceid_job_set_request (job, NULL);
  _atelier_faceid_job_set_logs (job, NULL);
  _atelier_faceid_job_set_queue_position (job, -1);
  _atelier_faceid_job_set_library_id (job, 0);
  _atelier_faceid_job_set_prompt_id (job, 0);
  _atelier_faceid_job_set_resume (job, ATELIER_FACEID_JOB_RESUME_SEND);
  _atelier_faceid_job_set_state (job, ATELIER_FACEID_JOB_SUBMITTING);
  run->busy = TRUE;

  n_faces = _atelier_faceid_job_get_n_faces (job);
  if (n_faces == 0 || (run->faces != NULL && run->faces->len == n_faces))
    {
      send_again (self, run);
    }
  else if (self->account_dir == NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (ATELIER_API_ERROR, ATELIER_API_ERROR_FILE,
                                                     _("The face photos of this job are gone."));

      stop_with (self, run, ATELIER_FACEID_JOB_REFUSED, ATELIER_FACEID_JOB_RESUME_SEND, error);
    }
  else
    {
      g_autoptr(GTask) task = NULL;
      ReadFaces *data = g_new0 (ReadFaces, 1);

      data->dir = job_dir (self, job);
      data->n_faces = n_faces;
      task = g_task_new (NULL, run->cancellable, faces_read_cb, call_new (self, run));
      g_task_set_source_tag (task, atelier_faceid_jobs_retry);
      g_task_set_task_data (task, data, (GDestroyNotify) read_faces_free);
      g_task_run_in_thread (task, read_faces_thread);
    }
}

void
atelier_faceid_jobs_remove (AtelierFaceidJobs *self,
                            AtelierFaceidJob  *job)
{
  Run *run;
  guint position;

  g_return_if_fail (ATELIER_IS_FACEID_JOBS (self));
  g_return_if_fail (ATELIER_IS_FACEID_JOB (job));

  if (atelier_faceid_job_is_active (job) || !g_ptr_array_find (self->jobs, job, &position))
    return;

  run = get_run (self, job);
  if (run->writer != NULL)
    {
      g_clear_pointer (&run->writer->json, g_bytes_unref);
      g_clear_pointer (&run->writer->faces, g_ptr_array_unref);
      run->writer->remove = TRUE;
      writer_start (run->writer);
    }
  g_hash_table_remove (self->runs, job);

  g_ptr_array_remove_index (self->jobs, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

AtelierFaceidJob *
atelier_faceid_jobs_lookup (AtelierFaceidJobs *self,
                            const char        *id)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_JOBS (self), NULL);

  for (guint i = 0; id != NULL && i < self->jobs->len; i++)
    {
      if (g_strcmp0 (atelier_faceid_job_get_id (g_ptr_array_index (self->jobs, i)), id) == 0)
        return g_ptr_array_index (self->jobs, i);
    }

  return NULL;
}

/* }}} */
/* {{{ Resuming and loading */

/* Polls every waiting job that nothing drives, once everything is there. */
static void
resume_all (AtelierFaceidJobs *self)
{
  if (self->client == NULL || self->library == NULL || !self->loaded || self->account == NULL)
    return;

  for (guint i = 0; i < self->jobs->len; i++)
    {
      AtelierFaceidJob *job = g_ptr_array_index (self->jobs, i);
      AtelierFaceidJobState state = atelier_faceid_job_get_state (job);
      Run *run;

      if (state != ATELIER_FACEID_JOB_IN_QUEUE && state != ATELIER_FACEID_JOB_IN_PROGRESS &&
          state != ATELIER_FACEID_JOB_SAVING)
        continue;

      run = get_run (self, job);
      if (run->busy)
        continue;

      run->delay_ms = self->poll_interval_ms;
      run->fetch_tries = 0;
      schedule (self, run, state == ATELIER_FACEID_JOB_SAVING ? NEXT_FETCH : NEXT_POLL, 0);
    }
}

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
load_thread (GTask        *task,
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

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(AtelierFaceidJobs) self = _atelier_weak_steal (user_data);
  Loaded *loaded = g_task_propagate_pointer (G_TASK (result), NULL);
  guint old_n;

  if (self == NULL || loaded == NULL)
    {
      g_clear_pointer (&loaded, loaded_free);
      return;
    }

  for (guint i = 0; i < loaded->problems->len; i++)
    g_warning ("Skipping a FaceID job that cannot be read: %s", (char *) g_ptr_array_index (loaded->problems, i));

  old_n = self->jobs->len;
  /* Jobs submitted while reading stay at the top. */
  g_ptr_array_extend_and_steal (self->jobs, g_steal_pointer (&loaded->jobs));
  g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, self->jobs->len - old_n);
  loaded_free (loaded);

  _atelier_set_flag (self, &self->loaded, TRUE, properties[PROP_LOADED]);
  resume_all (self);
}

void
atelier_faceid_jobs_set_account (AtelierFaceidJobs *self,
                                 const char        *account)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *hash = NULL;
  guint old_n;

  g_return_if_fail (ATELIER_IS_FACEID_JOBS (self));

  if (g_strcmp0 (self->account, account) == 0)
    return;
  g_free (self->account);
  self->account = g_strdup (account);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->account_dir, g_free);

  /* What the other account's jobs were doing stops; their files say
   * where they were, for the next time. */
  g_hash_table_remove_all (self->runs);
  old_n = self->jobs->len;
  g_ptr_array_set_size (self->jobs, 0);
  if (old_n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, 0);
  _atelier_set_flag (self, &self->loaded, account == NULL, properties[PROP_LOADED]);

  if (account == NULL)
    return;

  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, account, -1);
  self->account_dir = g_build_filename (self->dir, hash, NULL);
  self->cancellable = g_cancellable_new ();

  /* No source object: a worker never holds the last reference. */
  task = g_task_new (NULL, self->cancellable, loaded_cb, _atelier_weak_new (self));
  g_task_set_source_tag (task, atelier_faceid_jobs_set_account);
  g_task_set_task_data (task, g_strdup (self->account_dir), g_free);
  g_task_run_in_thread (task, load_thread);
}

gboolean
atelier_faceid_jobs_is_loaded (AtelierFaceidJobs *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_JOBS (self), FALSE);
  return self->loaded;
}

gboolean
atelier_faceid_jobs_is_writing (AtelierFaceidJobs *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_JOBS (self), FALSE);
  return self->n_writing > 0;
}

void
atelier_faceid_jobs_set_client (AtelierFaceidJobs *self,
                                AtelierFalClient  *client)
{
  g_return_if_fail (ATELIER_IS_FACEID_JOBS (self));
  g_return_if_fail (client == NULL || ATELIER_IS_FAL_CLIENT (client));

  /* Calls on their way finish on the old client; the next ones use this. */
  if (g_set_object (&self->client, client))
    resume_all (self);
}

void
atelier_faceid_jobs_set_library (AtelierFaceidJobs *self,
                                 AtelierLibrary    *library)
{
  g_return_if_fail (ATELIER_IS_FACEID_JOBS (self));
  g_return_if_fail (library == NULL || ATELIER_IS_LIBRARY (library));

  if (g_set_object (&self->library, library))
    resume_all (self);
}

void
atelier_faceid_jobs_set_poll_interval_ms (AtelierFaceidJobs *self,
                                          guint              interval_ms)
{
  g_return_if_fail (ATELIER_IS_FACEID_JOBS (self));
  self->poll_interval_ms = MAX (interval_ms, 1);
}

/* }}} */
/* {{{ GObject */

static void
atelier_faceid_jobs_dispose (GObject *object)
{
  AtelierFaceidJobs *self = ATELIER_FACEID_JOBS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_hash_table_remove_all (self->runs);
  g_clear_object (&self->client);
  g_clear_object (&self->library);

  G_OBJECT_CLASS (atelier_faceid_jobs_parent_class)->dispose (object);
}

static void
atelier_faceid_jobs_finalize (GObject *object)
{
  AtelierFaceidJobs *self = ATELIER_FACEID_JOBS (object);

  g_free (self->dir);
  g_free (self->account);
  g_free (self->account_dir);
  g_hash_table_unref (self->runs);
  g_ptr_array_unref (self->jobs);

  G_OBJECT_CLASS (atelier_faceid_jobs_parent_class)->finalize (object);
}

static void
atelier_faceid_jobs_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  AtelierFaceidJobs *self = ATELIER_FACEID_JOBS (object);

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
atelier_faceid_jobs_class_init (AtelierFaceidJobsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = atelier_faceid_jobs_dispose;
  object_class->finalize = atelier_faceid_jobs_finalize;
  object_class->get_property = atelier_faceid_jobs_get_property;

  properties[PROP_LOADED] = _atelier_param_spec_flag ("loaded", TRUE);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[JOB_FINISHED] = g_signal_new ("job-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, ATELIER_TYPE_FACEID_JOB);
  signals[ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
atelier_faceid_jobs_init (AtelierFaceidJobs *self)
{
  self->jobs = g_ptr_array_new_with_free_func (g_object_unref);
  self->runs = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) run_free);
  self->loaded = TRUE;   /* no account: nothing to read */
  self->poll_interval_ms = 1000;
}

AtelierFaceidJobs *
atelier_faceid_jobs_new (const char *dir)
{
  AtelierFaceidJobs *self = g_object_new (ATELIER_TYPE_FACEID_JOBS, NULL);

  self->dir = dir != NULL ? g_strdup (dir) : g_build_filename (g_get_user_data_dir (), "atelier", "faceid", NULL);
  return self;
}

/* }}} */
