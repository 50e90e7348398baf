/* atelier-faceid-run.c: one FaceID job's way through fal.ai
 *
 * A run drives one listed job: one call or one timer at a time, all
 * cancelled together with its GCancellable; its face JPEGs while they are
 * in memory; and its folder (atelier-faceid-job-folder.c). A job goes:
 *   SUBMITTING: job.json and face-N.jpg written first (so that a crash
 *     while sending leaves a job that says so, UNSURE), then POST;
 *   IN_QUEUE / IN_PROGRESS: polled (GET status?logs=1) by one timer, the
 *     delay doubling from the poll interval up to ten times that while
 *     nothing changes (status, queue position, logs), back to the first
 *     when something does; after a 429 (the client already waited out
 *     fal's Retry-After before giving up) the job says it is rate-limited
 *     and waits at least 30 poll intervals (30 s by default); connection
 *     trouble and 5xx just back off: a job is never failed for the
 *     network;
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
 * A run is reference-counted: each call on its way holds it, and an
 * answer is used only while the run's cancellable is the one the call
 * was made with and is not cancelled (the run was not stopped since).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "atelier-api-error.h"
#include "atelier-faceid-run-private.h"
#include "atelier-json-private.h"

#define MAX_POLL_FACTOR         10
#define RATE_LIMIT_POLL_FACTOR  30
#define MAX_FETCH_TRIES         5

/* {{{ The run and its calls */

typedef enum
{
  NEXT_POLL,
  NEXT_FETCH,
} Next;

struct _AtelierFaceidRun
{
  const AtelierFaceidRunHost *host;          /* (unowned) outlives the run's calls */
  AtelierFaceidJob           *job;           /* (owned) */
  GCancellable               *cancellable;   /* (owned) of the calls now */
  AtelierFaceidJobFolder     *folder;        /* (owned) (nullable) without an account */
  GPtrArray                  *faces;         /* (owned) (nullable) GBytes in memory */
  JsonNode                   *payload;       /* (owned) (nullable) what the next POST sends */
  guint                       timeout_id;
  Next                        next;
  guint                       delay_ms;
  guint                       fetch_tries;
  gboolean                    busy;          /* a call or a timer is on its way */
  gboolean                    cancelling;    /* a PUT cancel is on its way */
};

static void
run_clear (AtelierFaceidRun *run)
{
  g_clear_object (&run->cancellable);
  g_clear_pointer (&run->folder, _atelier_faceid_job_folder_unref);
  g_clear_pointer (&run->faces, g_ptr_array_unref);
  g_clear_pointer (&run->payload, json_node_unref);
  g_object_unref (run->job);
}

static void
run_release (AtelierFaceidRun *run)
{
  g_rc_box_release_full (run, (GDestroyNotify) run_clear);
}

AtelierFaceidRun *
_atelier_faceid_run_new (const AtelierFaceidRunHost *host,
                         AtelierFaceidJob           *job,
                         AtelierFaceidJobFolder     *folder)
{
  AtelierFaceidRun *run = g_rc_box_new0 (AtelierFaceidRun);

  run->host = host;
  run->job = g_object_ref (job);
  run->cancellable = g_cancellable_new ();
  run->folder = folder;
  run->delay_ms = host->poll_interval_ms;
  return run;
}

void
_atelier_faceid_run_free (AtelierFaceidRun *run)
{
  g_cancellable_cancel (run->cancellable);
  g_clear_handle_id (&run->timeout_id, g_source_remove);
  run->busy = FALSE;
  run_release (run);
}

gboolean
_atelier_faceid_run_is_busy (AtelierFaceidRun *run)
{
  return run->busy;
}

static void
run_stop (AtelierFaceidRun *run)
{
  g_cancellable_cancel (run->cancellable);
  g_clear_object (&run->cancellable);
  run->cancellable = g_cancellable_new ();
  g_clear_handle_id (&run->timeout_id, g_source_remove);
  run->busy = FALSE;
  run->cancelling = FALSE;
  _atelier_faceid_job_set_rate_limited (run->job, FALSE);
}

/* An async call's closure: the run and its cancellable of the time, so
 * that an answer to a call of an earlier step is dropped. */
typedef struct
{
  AtelierFaceidRun *run;
  GCancellable     *cancellable;
} Call;

static Call *
call_new (AtelierFaceidRun *run)
{
  Call *call = g_new0 (Call, 1);

  call->run = g_rc_box_acquire (run);
  call->cancellable = g_object_ref (run->cancellable);
  return call;
}

/* Frees @call; returns its run when the answer is still wanted. The run
 * stays alive until the caller's return: the host frees runs only from
 * the main loop's other callbacks. */
static AtelierFaceidRun *
call_finish (Call *call)
{
  AtelierFaceidRun *run = call->run;
  gboolean wanted = !g_cancellable_is_cancelled (call->cancellable) && run->cancellable == call->cancellable;

  g_object_unref (call->cancellable);
  g_free (call);

  if (!wanted)
    {
      run_release (run);
      return NULL;
    }

  /* The host still holds it: its reference is the one that counts. */
  run_release (run);
  return run;
}

/* Writes the job's state; @faces (nullable) with it; @then (nullable) is
 * called once it landed or failed (at once without an account). */
static void
persist (AtelierFaceidRun               *run,
         GPtrArray                      *faces,
         AtelierFaceidFolderWrittenFunc  then)
{
  if (run->folder == NULL)
    {
      if (then != NULL)
        then (FALSE, call_new (run));
      return;
    }

  _atelier_faceid_job_folder_write (run->folder, run->job, faces, then, then != NULL ? call_new (run) : NULL);
}

static void
stop_with (AtelierFaceidRun       *run,
           AtelierFaceidJobState   state,
           AtelierFaceidJobResume  resume,
           const GError           *error)
{
  run_stop (run);
  _atelier_faceid_job_set_resume (run->job, resume);
  _atelier_faceid_job_set_error (run->job, error);
  _atelier_faceid_job_set_state (run->job, state);
  persist (run, NULL, NULL);

  if (state == ATELIER_FACEID_JOB_FAILED)
    run->host->finished (run->host->owner, run->job);
}

static void
schedule (AtelierFaceidRun *run,
          Next              next,
          guint             delay_ms);

/* }}} */
/* {{{ Sending */

static void submitted_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
send_now (gboolean written,
          gpointer user_data)
{
  AtelierFaceidRun *run = call_finish (user_data);
  g_autoptr(JsonNode) payload = NULL;

  /* Cancelled, or the account changed, while the folder was written. */
  if (run == NULL || atelier_faceid_job_get_state (run->job) != ATELIER_FACEID_JOB_SUBMITTING ||
      run->payload == NULL)
    return;

  payload = g_steal_pointer (&run->payload);
  if (run->host->client == NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (ATELIER_API_ERROR, ATELIER_API_ERROR_UNAUTHORIZED,
                                                     _("No fal.ai key is set."));

      stop_with (run, ATELIER_FACEID_JOB_REFUSED, ATELIER_FACEID_JOB_RESUME_SEND, error);
      return;
    }

  run->busy = TRUE;
  atelier_fal_client_submit_async (run->host->client, payload, run->cancellable, submitted_cb, call_new (run));
}

static void
submitted_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AtelierFalRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  AtelierFaceidRun *run;

  request = atelier_fal_client_submit_finish (ATELIER_FAL_CLIENT (source), result, &error);
  run = call_finish (user_data);
  if (run == NULL)
    return;

  if (request == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        stop_with (run, ATELIER_FACEID_JOB_CANCELLED, ATELIER_FACEID_JOB_RESUME_SEND, NULL);
      else if (atelier_api_error_may_have_arrived (error))
        stop_with (run, ATELIER_FACEID_JOB_UNSURE, ATELIER_FACEID_JOB_RESUME_SEND, error);
      else
        stop_with (run, ATELIER_FACEID_JOB_REFUSED, ATELIER_FACEID_JOB_RESUME_SEND, error);
      return;
    }

  _atelier_faceid_job_set_request (run->job, request);
  _atelier_faceid_job_set_error (run->job, NULL);
  _atelier_faceid_job_set_resume (run->job, ATELIER_FACEID_JOB_RESUME_POLL);
  _atelier_faceid_job_set_state (run->job, ATELIER_FACEID_JOB_IN_QUEUE);
  persist (run, NULL, NULL);

  run->delay_ms = run->host->poll_interval_ms;
  schedule (run, NEXT_POLL, run->delay_ms);
}

void
_atelier_faceid_run_submit (AtelierFaceidRun *run,
                            GPtrArray        *faces,
                            JsonNode         *payload)
{
  if (faces != NULL && faces->len > 0)
    {
      run->faces = g_ptr_array_new_full (faces->len, (GDestroyNotify) g_bytes_unref);
      for (guint i = 0; i < faces->len; i++)
        g_ptr_array_add (run->faces, g_bytes_ref (g_ptr_array_index (faces, i)));
    }
  g_clear_pointer (&run->payload, json_node_unref);
  run->payload = json_node_ref (payload);
  run->busy = TRUE;

  /* On disk before it is sent: a crash while sending leaves an UNSURE
   * job, never a paid request nobody knows of. */
  persist (run, run->faces, send_now);
}

/* }}} */
/* {{{ Polling */

static void polled_cb (GObject *source, GAsyncResult *result, gpointer user_data);
static void fetch (AtelierFaceidRun *run);

static gboolean
timeout_cb (gpointer user_data)
{
  AtelierFaceidRun *run = user_data;
  const AtelierFalRequest *request = _atelier_faceid_job_get_request (run->job);

  run->timeout_id = 0;
  if (run->host->client == NULL || request == NULL)
    {
      /* Picked up again by _atelier_faceid_run_resume() once there is a
       * client. */
      run->busy = FALSE;
      return G_SOURCE_REMOVE;
    }

  if (run->next == NEXT_FETCH)
    fetch (run);
  else
    atelier_fal_client_poll_status_async (run->host->client, request, run->cancellable, polled_cb,
                                          call_new (run));

  return G_SOURCE_REMOVE;
}

static void
schedule (AtelierFaceidRun *run,
          Next              next,
          guint             delay_ms)
{
  g_clear_handle_id (&run->timeout_id, g_source_remove);
  run->busy = TRUE;
  run->next = next;
  run->timeout_id = g_timeout_add (delay_ms, timeout_cb, run);
  g_source_set_name_by_id (run->timeout_id, "[atelier] faceid job");
}

static guint
max_delay (AtelierFaceidRun *run)
{
  return run->host->poll_interval_ms * MAX_POLL_FACTOR;
}

/* How long to wait after fal said 429 (and the client gave up waiting). */
static guint
rate_limit_delay (AtelierFaceidRun *run)
{
  return MAX (run->host->poll_interval_ms * RATE_LIMIT_POLL_FACTOR, run->delay_ms);
}

static void
poll_failed (AtelierFaceidRun *run,
             const GError     *error)
{
  if (g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_NOT_FOUND))
    {
      g_autoptr(GError) lost = g_error_new (ATELIER_API_ERROR, ATELIER_API_ERROR_NOT_FOUND,
                                            _("fal.ai no longer knows this request: %s"), error->message);

      stop_with (run, ATELIER_FACEID_JOB_LOST, ATELIER_FACEID_JOB_RESUME_SEND, lost);
    }
  else if (g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_UNAUTHORIZED))
    {
      g_autoptr(GError) refused = g_error_new_literal (ATELIER_API_ERROR, ATELIER_API_ERROR_UNAUTHORIZED,
                                                       _("fal.ai refused the key while this request was "
                                                         "checked. Check the key in Preferences, then "
                                                         "retry: the request is kept."));

      stop_with (run, ATELIER_FACEID_JOB_FAILED, ATELIER_FACEID_JOB_RESUME_POLL, refused);
    }
  else if (g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_RATE_LIMITED))
    {
      guint delay = rate_limit_delay (run);

      _atelier_faceid_job_set_rate_limited (run->job, TRUE);
      run->delay_ms = MIN (run->delay_ms * 2, max_delay (run));
      schedule (run, NEXT_POLL, delay);
    }
  else
    {
      /* The network, fal's servers, an answer we could not read: try
       * again later, never fail the job for it. */
      run->delay_ms = MIN (run->delay_ms * 2, max_delay (run));
      schedule (run, NEXT_POLL, run->delay_ms);
    }
}

static void
polled_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(AtelierFalStatusInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  AtelierFaceidJob *job;
  gboolean changed;
  gint64 position;
  AtelierFaceidRun *run;

  info = atelier_fal_client_poll_status_finish (ATELIER_FAL_CLIENT (source), result, &error);
  run = call_finish (user_data);
  if (run == NULL)
    return;
  job = run->job;

  if (info == NULL)
    {
      poll_failed (run, error);
      return;
    }

  _atelier_faceid_job_set_rate_limited (job, FALSE);
  if (info->status == ATELIER_FAL_STATUS_COMPLETED)
    {
      if (info->error != NULL)
        {
          g_autoptr(GError) failed = g_error_new_literal (ATELIER_API_ERROR, ATELIER_API_ERROR_FAILED,
                                                          info->error);

          _atelier_faceid_job_set_logs (job, (const char * const *) info->logs);
          /* Our own cancel, answered before its PUT came back. */
          if (run->cancelling)
            stop_with (run, ATELIER_FACEID_JOB_CANCELLED, ATELIER_FACEID_JOB_RESUME_SEND, NULL);
          else
            stop_with (run, ATELIER_FACEID_JOB_FAILED, ATELIER_FACEID_JOB_RESUME_SEND, failed);
          return;
        }

      _atelier_faceid_job_set_resume (job, ATELIER_FACEID_JOB_RESUME_FETCH);
      _atelier_faceid_job_set_state (job, ATELIER_FACEID_JOB_SAVING);
      _atelier_faceid_job_set_queue_position (job, -1);
      _atelier_faceid_job_set_logs (job, (const char * const *) info->logs);
      persist (run, NULL, NULL);
      run->fetch_tries = 0;
      fetch (run);
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
      persist (run, NULL, NULL);
    }
  else if (info->status == ATELIER_FAL_STATUS_IN_QUEUE &&
           atelier_faceid_job_get_state (job) != ATELIER_FACEID_JOB_IN_QUEUE)
    {
      changed = TRUE;
      _atelier_faceid_job_set_state (job, ATELIER_FACEID_JOB_IN_QUEUE);
      persist (run, NULL, NULL);
    }

  position = info->status == ATELIER_FAL_STATUS_IN_QUEUE ? info->queue_position : -1;
  if (atelier_faceid_job_get_queue_position (job) != position ||
      !g_strv_equal (atelier_faceid_job_get_logs (job), (const char * const *) info->logs))
    changed = TRUE;
  _atelier_faceid_job_set_queue_position (job, position);
  _atelier_faceid_job_set_logs (job, (const char * const *) info->logs);

  if (changed)
    run->delay_ms = run->host->poll_interval_ms;
  else
    run->delay_ms = MIN (run->delay_ms * 2, max_delay (run));
  schedule (run, NEXT_POLL, run->delay_ms);
}

void
_atelier_faceid_run_resume (AtelierFaceidRun *run)
{
  if (run->busy)
    return;

  run->delay_ms = run->host->poll_interval_ms;
  run->fetch_tries = 0;
  schedule (run, atelier_faceid_job_get_state (run->job) == ATELIER_FACEID_JOB_SAVING ? NEXT_FETCH : NEXT_POLL, 0);
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
fetch (AtelierFaceidRun *run)
{
  const AtelierFalRequest *request = _atelier_faceid_job_get_request (run->job);

  if (run->host->client == NULL || run->host->library == NULL || request == NULL)
    {
      run->busy = FALSE;
      return;
    }

  if (_atelier_faceid_job_get_library_id (run->job) == 0)
    {
      _atelier_faceid_job_set_library_id (run->job, new_library_id ());
      persist (run, NULL, NULL);
    }

  run->busy = TRUE;
  atelier_fal_client_get_result_async (run->host->client, request, run->cancellable, result_cb, call_new (run));
}

static void
fail_keeping (AtelierFaceidRun *run,
              const GError     *error)
{
  g_autoptr(GError) failed = g_error_new (ATELIER_API_ERROR,
                                          error->domain == ATELIER_API_ERROR ? error->code : ATELIER_API_ERROR_FAILED,
                                          _("The image could not be kept: %s"), error->message);

  stop_with (run, ATELIER_FACEID_JOB_FAILED, ATELIER_FACEID_JOB_RESUME_FETCH, failed);
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(AtelierFalResult) fal_result = NULL;
  g_autoptr(AtelierPrompt) prompt = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  AtelierFaceidRun *run;

  fal_result = atelier_fal_client_get_result_finish (ATELIER_FAL_CLIENT (source), result, &error);
  run = call_finish (user_data);
  if (run == NULL)
    return;

  if (fal_result == NULL)
    {
      if (g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_NOT_FOUND))
        {
          g_autoptr(GError) lost = g_error_new (ATELIER_API_ERROR, ATELIER_API_ERROR_NOT_FOUND,
                                                _("fal.ai no longer has this result: %s"), error->message);

          stop_with (run, ATELIER_FACEID_JOB_LOST, ATELIER_FACEID_JOB_RESUME_SEND, lost);
        }
      else if (atelier_api_error_is_retryable (error) && ++run->fetch_tries < MAX_FETCH_TRIES)
        {
          run->delay_ms = MIN (MAX (run->delay_ms, run->host->poll_interval_ms) * 2, max_delay (run));
          schedule (run, NEXT_FETCH,
                    g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_RATE_LIMITED)
                    ? rate_limit_delay (run) : run->delay_ms);
        }
      else
        {
          fail_keeping (run, error);
        }
      return;
    }

  node = _atelier_faceid_job_build_prompt (run->job, fal_result);
  prompt = atelier_prompt_new_from_json (node, &error);
  if (prompt == NULL)
    {
      fail_keeping (run, error);
      return;
    }

  if (run->host->library == NULL)
    {
      run->busy = FALSE;
      return;
    }

  atelier_library_keep_async (run->host->library, prompt, ATELIER_LIBRARY_MADE, -1, run->cancellable,
                              kept_cb, call_new (run));
}

static void
kept_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean kept;
  AtelierFaceidRun *run;

  kept = atelier_library_keep_finish (ATELIER_LIBRARY (source), result, &error);
  run = call_finish (user_data);
  if (run == NULL)
    return;

  if (!kept)
    {
      fail_keeping (run, error);
      return;
    }

  run_stop (run);
  g_clear_pointer (&run->faces, g_ptr_array_unref);
  _atelier_faceid_job_set_prompt_id (run->job, _atelier_faceid_job_get_library_id (run->job));
  _atelier_faceid_job_set_error (run->job, NULL);
  _atelier_faceid_job_set_state (run->job, ATELIER_FACEID_JOB_DONE);
  persist (run, NULL, NULL);
  run->host->finished (run->host->owner, run->job);
}

/* }}} */
/* {{{ Cancel, retry, remove */

static void
cancelled_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean cancelled;
  AtelierFaceidRun *run;

  cancelled = atelier_fal_client_cancel_finish (ATELIER_FAL_CLIENT (source), result, &error);
  run = call_finish (user_data);
  if (run == NULL)
    return;
  run->cancelling = FALSE;

  if (cancelled)
    {
      AtelierFaceidJobState state = atelier_faceid_job_get_state (run->job);

      if (state == ATELIER_FACEID_JOB_IN_QUEUE || state == ATELIER_FACEID_JOB_IN_PROGRESS)
        stop_with (run, ATELIER_FACEID_JOB_CANCELLED, ATELIER_FACEID_JOB_RESUME_SEND, NULL);
      return;
    }

  /* Too late: it is being processed. Polling goes on and shows it. */
  if (error->domain == ATELIER_API_ERROR && error->code == ATELIER_API_ERROR_HTTP &&
      strstr (error->message, "ALREADY_COMPLETED") != NULL)
    return;

  run->host->error (run->host->owner, error);
}

void
_atelier_faceid_run_cancel (AtelierFaceidRun *run)
{
  AtelierFaceidJob *job = run->job;

  if (!atelier_faceid_job_can_cancel (job))
    return;

  if (atelier_faceid_job_get_state (job) == ATELIER_FACEID_JOB_SUBMITTING)
    {
      g_clear_pointer (&run->payload, json_node_unref);
      stop_with (run, ATELIER_FACEID_JOB_CANCELLED, ATELIER_FACEID_JOB_RESUME_SEND, NULL);
      return;
    }

  if (run->cancelling || run->host->client == NULL || _atelier_faceid_job_get_request (job) == NULL)
    return;

  run->cancelling = TRUE;
  atelier_fal_client_cancel_async (run->host->client, _atelier_faceid_job_get_request (job), run->cancellable,
                                   cancelled_cb, call_new (run));
}

/* A SUBMITTING job with its faces in memory (or none needed): POST. */
static void
send_again (AtelierFaceidRun *run)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&run->payload, json_node_unref);
  run->payload = _atelier_faceid_input_build_payload (atelier_faceid_job_get_input (run->job), run->faces, &error);
  if (run->payload == NULL)
    {
      stop_with (run, ATELIER_FACEID_JOB_REFUSED, ATELIER_FACEID_JOB_RESUME_SEND, error);
      return;
    }

  run->busy = TRUE;
  persist (run, NULL, send_now);
}

static void
faces_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GPtrArray) faces = NULL;
  g_autoptr(GError) error = NULL;
  AtelierFaceidRun *run;

  faces = _atelier_faceid_job_folder_read_faces_finish (result, &error);
  run = call_finish (user_data);
  if (run == NULL)
    return;

  if (faces == NULL)
    {
      stop_with (run, ATELIER_FACEID_JOB_REFUSED, ATELIER_FACEID_JOB_RESUME_SEND, error);
      return;
    }

  g_clear_pointer (&run->faces, g_ptr_array_unref);
  run->faces = g_steal_pointer (&faces);
  send_again (run);
}

void
_atelier_faceid_run_retry (AtelierFaceidRun *run)
{
  AtelierFaceidJob *job = run->job;
  guint n_faces;

  if (!atelier_faceid_job_can_retry (job))
    return;

  run_stop (run);
  _atelier_faceid_job_set_error (job, NULL);

  switch (_atelier_faceid_job_get_resume (job))
    {
    case ATELIER_FACEID_JOB_RESUME_POLL:
      if (_atelier_faceid_job_get_request (job) != NULL)
        {
          _atelier_faceid_job_set_state (job, ATELIER_FACEID_JOB_IN_QUEUE);
          persist (run, NULL, NULL);
          run->delay_ms = run->host->poll_interval_ms;
          schedule (run, NEXT_POLL, 0);
          return;
        }
      break;

    case ATELIER_FACEID_JOB_RESUME_FETCH:
      if (_atelier_faceid_job_get_request (job) != NULL)
        {
          _atelier_faceid_job_set_state (job, ATELIER_FACEID_JOB_SAVING);
          persist (run, NULL, NULL);
          run->fetch_tries = 0;
          run->delay_ms = run->host->poll_interval_ms;
          schedule (run, NEXT_FETCH, 0);
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
      send_again (run);
    }
  else if (run->folder == NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (ATELIER_API_ERROR, ATELIER_API_ERROR_FILE,
                                                     _("The face photos of this job are gone."));

      stop_with (run, ATELIER_FACEID_JOB_REFUSED, ATELIER_FACEID_JOB_RESUME_SEND, error);
    }
  else
    {
      _atelier_faceid_job_folder_read_faces_async (run->folder, n_faces, run->cancellable, faces_read_cb,
                                                   call_new (run));
    }
}

void
_atelier_faceid_run_remove (AtelierFaceidRun *run)
{
  if (run->folder != NULL)
    _atelier_faceid_job_folder_remove (run->folder);
}

/* }}} */
