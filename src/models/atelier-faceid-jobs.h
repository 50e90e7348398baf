/* atelier-faceid-jobs.h: fal.ai FaceID requests, kept across restarts
 *
 * A GListModel of AtelierFaceidJob, newest first. Each job is a folder
 * DIR/ACCOUNT-HASH/JOB-ID/ with job.json (the input as sent without the
 * face's data URL, the face's label, the request id and the queue's URLs,
 * the state) and the prepared face JPEGs (face-1.jpg, …), so a job can be
 * sent again without picking the photo again. Files are written in a
 * worker thread, to a temporary name then renamed.
 *
 * A submitted job is polled (GET status?logs=1) with backoff: from
 * :poll-interval-ms doubling up to ten times that while it waits, and
 * at least 30 times it while fal rate-limits (429), when the job says so
 * (:rate-limited). On COMPLETED its result is fetched
 * and its image kept in the library at once (fal's result URLs are
 * temporary) as a prompt of source ATELIER_PROMPT_SOURCE_FACEID_FAL
 * (ATELIER_LIBRARY_MADE); the job is DONE when the image is on disk.
 *
 * Loading an account's jobs resumes polling every job that was waiting.
 * A job fal no longer knows (404) is LOST, never sent again on its own. A
 * submit that failed after it may have reached fal (5xx, a dropped
 * connection, a timeout) is UNSURE: it is not sent again on its own, and
 * atelier_faceid_jobs_retry() sends it again when the user asks.
 *
 * Signals:
 *   ::job-finished (AtelierFaceidJob *job): a job became DONE or FAILED.
 *   ::error (GError *error): a job's file could not be written or deleted,
 *     or fal refused a cancel for another reason than the job having
 *     started already.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "atelier-fal-client.h"
#include "atelier-library.h"

G_BEGIN_DECLS

typedef enum
{
  ATELIER_FACEID_JOB_SUBMITTING,   /* being sent */
  ATELIER_FACEID_JOB_UNSURE,       /* the send failed after it may have arrived */
  ATELIER_FACEID_JOB_REFUSED,      /* fal refused it (4xx): see the error */
  ATELIER_FACEID_JOB_IN_QUEUE,     /* with its queue position */
  ATELIER_FACEID_JOB_IN_PROGRESS,  /* with fal's log lines */
  ATELIER_FACEID_JOB_SAVING,       /* completed; the image is being kept */
  ATELIER_FACEID_JOB_DONE,         /* the image is in the library */
  ATELIER_FACEID_JOB_FAILED,       /* fal's error, no image, or not kept */
  ATELIER_FACEID_JOB_CANCELLED,
  ATELIER_FACEID_JOB_LOST,         /* fal no longer knows the request */
} AtelierFaceidJobState;

#define ATELIER_TYPE_FACEID_JOB_STATE (atelier_faceid_job_state_get_type ())
GType atelier_faceid_job_state_get_type (void) G_GNUC_CONST;

/* Larger job files are not read. */
#define ATELIER_FACEID_JOB_MAX_FILE_SIZE (1024 * 1024)

#define ATELIER_TYPE_FACEID_JOB (atelier_faceid_job_get_type ())
G_DECLARE_FINAL_TYPE (AtelierFaceidJob, atelier_faceid_job, ATELIER, FACEID_JOB, GObject)

/* Properties :state, :queue-position, :logs, :error, :rate-limited
 * notify on change. */
const char           *atelier_faceid_job_get_id             (AtelierFaceidJob *self);
GDateTime            *atelier_faceid_job_get_created_at     (AtelierFaceidJob *self);
AtelierFaceidJobState atelier_faceid_job_get_state          (AtelierFaceidJob *self);
/* TRUE while fal may still answer: SUBMITTING, IN_QUEUE, IN_PROGRESS,
 * SAVING. */
gboolean              atelier_faceid_job_is_active          (AtelierFaceidJob *self);
/* TRUE in SUBMITTING and IN_QUEUE (fal cancels only before processing). */
gboolean              atelier_faceid_job_can_cancel         (AtelierFaceidJob *self);
/* TRUE in UNSURE, REFUSED, FAILED, CANCELLED and LOST. */
gboolean              atelier_faceid_job_can_retry          (AtelierFaceidJob *self);
gint64                atelier_faceid_job_get_queue_position (AtelierFaceidJob *self); /* -1 unknown */
/* fal's log lines so far. (never NULL) */
const char * const   *atelier_faceid_job_get_logs           (AtelierFaceidJob *self);
/* Why it is UNSURE, REFUSED, FAILED or LOST (a 422's field errors as
 * ATELIER_API_ERROR_INVALID_PARAM naming the field), else NULL. */
const GError         *atelier_faceid_job_get_error          (AtelierFaceidJob *self);
const char           *atelier_faceid_job_get_request_id     (AtelierFaceidJob *self); /* NULL before */
/* The input as sent, without the face members. (transfer none) */
JsonObject           *atelier_faceid_job_get_input          (AtelierFaceidJob *self);
const char           *atelier_faceid_job_get_prompt_text    (AtelierFaceidJob *self);
/* What the face was, for people: "portrait.jpg", "3 photos", "An Astria
 * image". */
const char           *atelier_faceid_job_get_face_label     (AtelierFaceidJob *self);
/* TRUE while polling waits because fal answered 429 (Too Many Requests);
 * FALSE again once fal answers. */
gboolean              atelier_faceid_job_is_rate_limited    (AtelierFaceidJob *self);
/* The library prompt of the result once DONE, else 0. */
gint64                atelier_faceid_job_get_prompt_id      (AtelierFaceidJob *self);

#define ATELIER_TYPE_FACEID_JOBS (atelier_faceid_jobs_get_type ())
G_DECLARE_FINAL_TYPE (AtelierFaceidJobs, atelier_faceid_jobs, ATELIER, FACEID_JOBS, GObject)

/* @dir NULL: g_get_user_data_dir()/atelier/faceid. */
AtelierFaceidJobs *atelier_faceid_jobs_new             (const char        *dir);
/* Where requests go and where results are kept; polling starts once
 * both and the account are set. */
void               atelier_faceid_jobs_set_client      (AtelierFaceidJobs *self,
                                                        AtelierFalClient  *client);
void               atelier_faceid_jobs_set_library     (AtelierFaceidJobs *self,
                                                        AtelierLibrary    *library);
/* The account whose jobs are listed (NULL: none); reading starts now and
 * waiting jobs are polled again once read. */
void               atelier_faceid_jobs_set_account     (AtelierFaceidJobs *self,
                                                        const char        *account);
gboolean           atelier_faceid_jobs_is_loaded       (AtelierFaceidJobs *self);
/* TRUE while a job's files are being written. */
gboolean           atelier_faceid_jobs_is_writing      (AtelierFaceidJobs *self);
/* First poll delay (default 1000 ms). */
void               atelier_faceid_jobs_set_poll_interval_ms (AtelierFaceidJobs *self,
                                                             guint              interval_ms);

/* A new job at the top, sent at once (its folder is written first). @input
 * is the fal input without a face; the face is @face_url (an https URL,
 * sent as it is) or @faces (prepared JPEGs, GBytes: one becomes
 * face_image_url, more a zip in face_images_data_url). Returns NULL with
 * @error when the input is invalid (atelier_fal_validate_face_id_input()),
 * the face's data URL is too long, or no fal client is set: nothing is
 * sent then. (transfer none) */
AtelierFaceidJob  *atelier_faceid_jobs_submit          (AtelierFaceidJobs *self,
                                                        JsonObject        *input,
                                                        const char        *face_url,
                                                        GPtrArray         *faces,
                                                        const char        *face_label,
                                                        GError           **error);
/* PUT cancel while it can be cancelled; a job not sent yet stops. */
void               atelier_faceid_jobs_cancel          (AtelierFaceidJobs *self,
                                                        AtelierFaceidJob  *job);
/* Sends a job that can be retried again (a new request id). */
void               atelier_faceid_jobs_retry           (AtelierFaceidJobs *self,
                                                        AtelierFaceidJob  *job);
/* Forgets a job that is not active, and deletes its folder (its result
 * stays in the library). */
void               atelier_faceid_jobs_remove          (AtelierFaceidJobs *self,
                                                        AtelierFaceidJob  *job);
/* (transfer none) */
AtelierFaceidJob  *atelier_faceid_jobs_lookup          (AtelierFaceidJobs *self,
                                                        const char        *id);

G_END_DECLS
