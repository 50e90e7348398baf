/* atelier-faceid-job-private.h: what AtelierFaceidJobs does to its jobs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atelier-faceid-jobs.h"

G_BEGIN_DECLS

/* What atelier_faceid_jobs_retry() does with a job that stopped. */
typedef enum
{
  ATELIER_FACEID_JOB_RESUME_SEND,   /* send the stored input again: a new request */
  ATELIER_FACEID_JOB_RESUME_POLL,   /* ask fal about the same request again */
  ATELIER_FACEID_JOB_RESUME_FETCH,  /* fal completed it: fetch and keep the result again */
} AtelierFaceidJobResume;

/* A new SUBMITTING job. @input (without the face's data URL) is copied. */
AtelierFaceidJob        *_atelier_faceid_job_new            (JsonObject             *input,
                                                             const char             *face_label,
                                                             guint                   n_faces);
/* job.json, version 1:
 *   { "version": 1, "id": "…uuid…", "created_at": ISO 8601, "state": "in-queue",
 *     "resume": "send" | "poll" | "fetch", "input": {…}, "face_label": "…",
 *     "n_faces": 1, "request": { "request_id", "status_url", "response_url",
 *     "cancel_url" }, "logs": […], "error": { "code": 4, "message": "…" },
 *     "library_id": -1234, "prompt_id": -1234 }
 * A job read as SUBMITTING becomes UNSURE: the app stopped while sending. */
AtelierFaceidJob        *_atelier_faceid_job_new_from_json  (JsonNode               *node,
                                                             GError                **error);
JsonNode                *_atelier_faceid_job_to_json        (AtelierFaceidJob       *self);

/* Each notifies its property when it changes something. */
void                     _atelier_faceid_job_set_state      (AtelierFaceidJob       *self,
                                                             AtelierFaceidJobState   state);
void                     _atelier_faceid_job_set_queue_position (AtelierFaceidJob   *self,
                                                                 gint64              position);
void                     _atelier_faceid_job_set_logs       (AtelierFaceidJob       *self,
                                                             const char * const     *logs);
/* (nullable) copied */
void                     _atelier_faceid_job_set_error      (AtelierFaceidJob       *self,
                                                             const GError           *error);
/* (nullable) copied; also sets the request id */
void                     _atelier_faceid_job_set_request    (AtelierFaceidJob       *self,
                                                             const AtelierFalRequest *request);
const AtelierFalRequest *_atelier_faceid_job_get_request    (AtelierFaceidJob       *self);
void                     _atelier_faceid_job_set_prompt_id  (AtelierFaceidJob       *self,
                                                             gint64                  prompt_id);
AtelierFaceidJobResume   _atelier_faceid_job_get_resume     (AtelierFaceidJob       *self);
void                     _atelier_faceid_job_set_resume     (AtelierFaceidJob       *self,
                                                             AtelierFaceidJobResume  resume);
/* How many face-N.jpg files the job folder holds (0: the input has an
 * https face_image_url). */
guint                    _atelier_faceid_job_get_n_faces    (AtelierFaceidJob       *self);
/* The library id of the result, chosen once (negative, unique) so that
 * fetching it again replaces the same library entry. */
gint64                   _atelier_faceid_job_get_library_id (AtelierFaceidJob       *self);
void                     _atelier_faceid_job_set_library_id (AtelierFaceidJob       *self,
                                                             gint64                  library_id);

void                     _atelier_faceid_job_set_rate_limited (AtelierFaceidJob     *self,
                                                               gboolean              rate_limited);

/* The library prompt (source ATELIER_PROMPT_SOURCE_FACEID_FAL, under the
 * job's library id) that keeps @result: the input, the face's label and
 * the request id in its "faceid" member. */
JsonNode                *_atelier_faceid_job_build_prompt   (AtelierFaceidJob       *self,
                                                             const AtelierFalResult *result);

/* @input (without the face's data URL) with the face as fal takes it:
 * one of @faces (nullable, prepared JPEGs) as face_image_url, several as
 * a zip in face_images_data_url; NULL with @error when that data URL is
 * too long. */
JsonNode                *_atelier_faceid_input_build_payload (JsonObject            *input,
                                                              GPtrArray             *faces,
                                                              GError               **error);

/* A deep copy (json_node_copy() shares nested objects). */
JsonObject              *_atelier_faceid_json_object_copy   (JsonObject             *object);

G_END_DECLS
