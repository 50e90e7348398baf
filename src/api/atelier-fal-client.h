/* atelier-fal-client.h: fal.ai ip-adapter-face-id through the queue API
 *
 * Submit (POST {base}/fal-ai/ip-adapter-face-id) answers with the request's
 * status, response and cancel URLs; the status answers 202 while IN_QUEUE
 * or IN_PROGRESS and 200 when COMPLETED; the result is
 * {image: {url, content_type, width, height, …}, seed}. Auth is
 * "Authorization: Key …". Errors are {detail, error_type}.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "atelier-api-error.h"

G_BEGIN_DECLS

#define ATELIER_DEFAULT_FAL_URL "https://queue.fal.run"
#define ATELIER_FAL_FACE_ID_APP "fal-ai/ip-adapter-face-id"

typedef enum
{
  ATELIER_FAL_STATUS_IN_QUEUE,
  ATELIER_FAL_STATUS_IN_PROGRESS,
  ATELIER_FAL_STATUS_COMPLETED,
} AtelierFalStatus;

typedef struct
{
  char *request_id;
  char *status_url;
  char *response_url;
  char *cancel_url;
} AtelierFalRequest;

typedef struct
{
  char   *image_url;
  char   *content_type;
  char   *file_name;
  gint64  file_size;
  gint64  width;
  gint64  height;
  gint64  seed;      /* -1 when missing */
} AtelierFalResult;

#define ATELIER_TYPE_FAL_REQUEST (atelier_fal_request_get_type ())
#define ATELIER_TYPE_FAL_RESULT (atelier_fal_result_get_type ())
GType              atelier_fal_request_get_type (void) G_GNUC_CONST;
GType              atelier_fal_result_get_type  (void) G_GNUC_CONST;
AtelierFalRequest *atelier_fal_request_copy     (const AtelierFalRequest *self);
void               atelier_fal_request_free     (AtelierFalRequest       *self);
AtelierFalResult  *atelier_fal_result_copy      (const AtelierFalResult  *self);
void               atelier_fal_result_free      (AtelierFalResult        *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtelierFalRequest, atelier_fal_request_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtelierFalResult, atelier_fal_result_free)

/* Input of ip-adapter-face-id: prompt required; face_image_url and
 * face_images_data_url each either a URL fal may be given
 * (atelier_fal_face_url_is_sendable(): https, or http on loopback) or a
 * base64 data: URL (an image/ type for face_image_url, application/zip for
 * face_images_data_url) of at most ATELIER_FAL_MAX_DATA_URL characters;
 * model_type one of the six fal knows, negative_prompt text,
 * base_1_5_model_repo and base_sdxl_model_repo non-empty text, seed
 * 0–2³²−1, guidance_scale 0–16, num_inference_steps 1–200, num_samples
 * 1–4, width/height 512–1024, face_id_det_size 64–640.
 * ATELIER_API_ERROR_INVALID_PARAM, its message starting "field: ". (A
 * server's 422, {"detail": [{loc: [body, field], msg}]}, is
 * ATELIER_API_ERROR_INVALID with a "field: msg" line per entry, read with
 * atelier_api_error_get_field_errors().) */
gboolean           atelier_fal_validate_face_id_input (JsonNode    *input,
                                                      GError     **error);
/* "data:image/jpeg;base64,…" for a local face photo. */
char              *atelier_fal_data_uri              (GBytes      *bytes,
                                                      const char  *content_type);

#define ATELIER_TYPE_FAL_CLIENT (atelier_fal_client_get_type ())
G_DECLARE_FINAL_TYPE (AtelierFalClient, atelier_fal_client, ATELIER, FAL_CLIENT, GObject)

/* @base_url NULL: $ATELIER_FAL_URL, else ATELIER_DEFAULT_FAL_URL. */
AtelierFalClient  *atelier_fal_client_new            (const char        *base_url,
                                                      const char        *api_key,
                                                      GError           **error);
const char        *atelier_fal_client_get_base_url   (AtelierFalClient  *self);
/* Named and kept as AtelierAstriaClient's: write-only, never logged. */
void               atelier_fal_client_set_api_key    (AtelierFalClient  *self,
                                                      const char        *api_key);
gboolean           atelier_fal_client_has_api_key    (AtelierFalClient  *self);
/* The session the client uses (its timeouts, as the Astria client's). */
SoupSession       *atelier_fal_client_get_session    (AtelierFalClient  *self);
/* First poll delay; doubles up to 10× while the request is queued. */
void               atelier_fal_client_set_poll_interval_ms (AtelierFalClient *self,
                                                            guint             interval_ms);

/* A cheap authenticated call: TRUE when the key is accepted,
 * ATELIER_API_ERROR_UNAUTHORIZED when not. */
void               atelier_fal_client_verify_key_async  (AtelierFalClient    *self,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gboolean           atelier_fal_client_verify_key_finish (AtelierFalClient    *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

void               atelier_fal_client_submit_async   (AtelierFalClient    *self,
                                                      JsonNode            *input,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
AtelierFalRequest *atelier_fal_client_submit_finish  (AtelierFalClient    *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
/* @queue_position is -1 when unknown. */
void               atelier_fal_client_get_status_async  (AtelierFalClient        *self,
                                                         const AtelierFalRequest *request,
                                                         GCancellable            *cancellable,
                                                         GAsyncReadyCallback      callback,
                                                         gpointer                 user_data);
gboolean           atelier_fal_client_get_status_finish (AtelierFalClient        *self,
                                                         GAsyncResult            *result,
                                                         AtelierFalStatus        *status,
                                                         gint64                  *queue_position,
                                                         GError                 **error);
void               atelier_fal_client_get_result_async  (AtelierFalClient        *self,
                                                         const AtelierFalRequest *request,
                                                         GCancellable            *cancellable,
                                                         GAsyncReadyCallback      callback,
                                                         gpointer                 user_data);
AtelierFalResult  *atelier_fal_client_get_result_finish (AtelierFalClient        *self,
                                                         GAsyncResult            *result,
                                                         GError                 **error);
void               atelier_fal_client_cancel_async      (AtelierFalClient        *self,
                                                         const AtelierFalRequest *request,
                                                         GCancellable            *cancellable,
                                                         GAsyncReadyCallback      callback,
                                                         gpointer                 user_data);
gboolean           atelier_fal_client_cancel_finish     (AtelierFalClient        *self,
                                                         GAsyncResult            *result,
                                                         GError                 **error);
/* The status with fal's log lines (GET status_url?logs=1, "logs=1" added
 * to any query the URL has). A COMPLETED status with an "error" member (a
 * failed or cancelled request) comes back as info->error, not as a
 * GError: the call itself succeeded. The submit is never retried after a
 * 5xx, a dropped connection or a timeout (it may be queued already);
 * status, result and cancel calls retry 5xx but 504. */
typedef struct
{
  AtelierFalStatus  status;
  gint64            queue_position;  /* -1 when unknown */
  GStrv             logs;            /* every log message so far, never NULL */
  char             *error;           /* COMPLETED with an error (a failed or
                                      * cancelled request), else NULL */
} AtelierFalStatusInfo;

void                  atelier_fal_status_info_free      (AtelierFalStatusInfo *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtelierFalStatusInfo, atelier_fal_status_info_free)

void                  atelier_fal_client_poll_status_async  (AtelierFalClient        *self,
                                                             const AtelierFalRequest *request,
                                                             GCancellable            *cancellable,
                                                             GAsyncReadyCallback      callback,
                                                             gpointer                 user_data);
AtelierFalStatusInfo *atelier_fal_client_poll_status_finish (AtelierFalClient        *self,
                                                             GAsyncResult            *result,
                                                             GError                 **error);

/* Submit, poll with backoff (emitting ::status-changed), fetch the result.
 * Cancelling also sends the queue's cancel request. */
void               atelier_fal_client_run_async         (AtelierFalClient        *self,
                                                         JsonNode                *input,
                                                         GCancellable            *cancellable,
                                                         GAsyncReadyCallback      callback,
                                                         gpointer                 user_data);
AtelierFalResult  *atelier_fal_client_run_finish        (AtelierFalClient        *self,
                                                         GAsyncResult            *result,
                                                         GError                 **error);

/* For fuzz/fuzz-fal.c only: @body read as the 2xx answer to a submit
 * (an AtelierFalRequest), a status (free with g_free), a status with logs
 * (AtelierFalStatusInfo) or a result (AtelierFalResult), exactly as the
 * calls read it. */
typedef enum
{
  ATELIER_FAL_ANSWER_REQUEST,
  ATELIER_FAL_ANSWER_STATUS,
  ATELIER_FAL_ANSWER_STATUS_INFO,
  ATELIER_FAL_ANSWER_RESULT,
} AtelierFalAnswer;

gpointer           _atelier_fal_read_answer_for_fuzzing (AtelierFalClient        *self,
                                                         AtelierFalAnswer         which,
                                                         GBytes                  *body,
                                                         GError                 **error);

G_END_DECLS
