/* atelier-faceid-job.c: one fal.ai FaceID request, as the user sees it
 *
 * The job only holds what its run (atelier-faceid-run.c) tells it, reads
 * and writes its job.json (the format is in atelier-faceid-job-private.h)
 * and builds its JSON for others: the input as fal takes it, and its
 * result as a library prompt. Sending, polling and keeping the result are
 * the run's work.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "atelier-api-error.h"
#include "atelier-fal-face.h"
#include "atelier-faceid-job-private.h"
#include "atelier-json-private.h"

/* fal's log lines kept; older ones are dropped (the file stays small). */
#define MAX_LOGS 200

struct _AtelierFaceidJob
{
  GObject                 parent_instance;

  char                   *id;
  GDateTime              *created_at;
  AtelierFaceidJobState   state;
  AtelierFaceidJobResume  resume;
  gint64                  queue_position;
  GStrv                   logs;          /* never NULL */
  GError                 *error;
  AtelierFalRequest      *request;       /* (nullable) */
  JsonObject             *input;
  char                   *face_label;
  guint                   n_faces;
  gint64                  library_id;    /* 0 until the result is being kept */
  gint64                  prompt_id;     /* 0 until DONE */
  gboolean                rate_limited;
};

G_DEFINE_FINAL_TYPE (AtelierFaceidJob, atelier_faceid_job, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (AtelierFaceidJobState, atelier_faceid_job_state,
  G_DEFINE_ENUM_VALUE (ATELIER_FACEID_JOB_SUBMITTING, "submitting"),
  G_DEFINE_ENUM_VALUE (ATELIER_FACEID_JOB_UNSURE, "unsure"),
  G_DEFINE_ENUM_VALUE (ATELIER_FACEID_JOB_REFUSED, "refused"),
  G_DEFINE_ENUM_VALUE (ATELIER_FACEID_JOB_IN_QUEUE, "in-queue"),
  G_DEFINE_ENUM_VALUE (ATELIER_FACEID_JOB_IN_PROGRESS, "in-progress"),
  G_DEFINE_ENUM_VALUE (ATELIER_FACEID_JOB_SAVING, "saving"),
  G_DEFINE_ENUM_VALUE (ATELIER_FACEID_JOB_DONE, "done"),
  G_DEFINE_ENUM_VALUE (ATELIER_FACEID_JOB_FAILED, "failed"),
  G_DEFINE_ENUM_VALUE (ATELIER_FACEID_JOB_CANCELLED, "cancelled"),
  G_DEFINE_ENUM_VALUE (ATELIER_FACEID_JOB_LOST, "lost"))

enum {
  PROP_0,
  PROP_STATE,
  PROP_QUEUE_POSITION,
  PROP_LOGS,
  PROP_ERROR,
  PROP_REQUEST_ID,
  PROP_PROMPT_ID,
  PROP_RATE_LIMITED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const resume_names[] = {
  [ATELIER_FACEID_JOB_RESUME_SEND] = "send",
  [ATELIER_FACEID_JOB_RESUME_POLL] = "poll",
  [ATELIER_FACEID_JOB_RESUME_FETCH] = "fetch",
};

static JsonNode *copy_node (JsonNode *node);

static JsonObject *
copy_object (JsonObject *object)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &member))
    json_object_set_member (copy, name, copy_node (member));

  return copy;
}

/* json_node_copy() shares objects and arrays; this does not. */
static JsonNode *
copy_node (JsonNode *node)
{
  JsonNode *copy;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      copy = json_node_alloc ();
      json_node_take_object (json_node_init (copy, JSON_NODE_OBJECT), copy_object (json_node_get_object (node)));
      return copy;
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      JsonArray *array_copy = json_array_sized_new (json_array_get_length (array));

      for (guint i = 0; i < json_array_get_length (array); i++)
        json_array_add_element (array_copy, copy_node (json_array_get_element (array, i)));
      copy = json_node_alloc ();
      json_node_take_array (json_node_init (copy, JSON_NODE_ARRAY), array_copy);
      return copy;
    }

  return json_node_copy (node);
}

JsonObject *
_atelier_faceid_json_object_copy (JsonObject *object)
{
  g_return_val_if_fail (object != NULL, NULL);
  return copy_object (object);
}

JsonNode *
_atelier_faceid_input_build_payload (JsonObject  *input,
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

  full = copy_object (input);
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

AtelierFaceidJob *
_atelier_faceid_job_new (JsonObject *input,
                         const char *face_label,
                         guint       n_faces)
{
  AtelierFaceidJob *self = g_object_new (ATELIER_TYPE_FACEID_JOB, NULL);

  self->id = g_uuid_string_random ();
  self->created_at = g_date_time_new_now_utc ();
  self->input = copy_object (input);
  self->face_label = g_strdup (face_label != NULL ? face_label : "");
  self->n_faces = n_faces;

  return self;
}

/* Reading */

static AtelierFaceidJob *
invalid (GError     **error,
         const char  *member)
{
  g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_PARSE,
               _("The FaceID job file is not as expected (%s)"), member);
  return NULL;
}

static gboolean
is_uuid_like (const char *id)
{
  /* It names the job's folder: no separators, no dots. */
  if (id == NULL || *id == '\0' || strlen (id) > 64)
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-')
        return FALSE;
    }
  return TRUE;
}

static AtelierFalRequest *
read_request (JsonObject *object)
{
  AtelierFalRequest *request;
  const char *request_id = _atelier_json_get_string (object, "request_id");

  if (request_id == NULL || *request_id == '\0')
    return NULL;

  request = g_new0 (AtelierFalRequest, 1);
  request->request_id = g_strdup (request_id);
  request->status_url = g_strdup (_atelier_json_get_string (object, "status_url"));
  request->response_url = g_strdup (_atelier_json_get_string (object, "response_url"));
  request->cancel_url = g_strdup (_atelier_json_get_string (object, "cancel_url"));
  if (request->status_url == NULL || request->response_url == NULL || request->cancel_url == NULL)
    g_clear_pointer (&request, atelier_fal_request_free);

  return request;
}

AtelierFaceidJob *
_atelier_faceid_job_new_from_json (JsonNode  *node,
                                   GError   **error)
{
  g_autoptr(AtelierFaceidJob) self = NULL;
  GEnumClass *states;
  GEnumValue *value;
  JsonObject *object;
  JsonObject *member;
  const char *name;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, "{}");
  object = json_node_get_object (node);

  if (_atelier_json_get_int (object, "version", 0) != 1)
    return invalid (error, "version");

  self = g_object_new (ATELIER_TYPE_FACEID_JOB, NULL);

  self->id = g_strdup (_atelier_json_get_string (object, "id"));
  if (!is_uuid_like (self->id))
    return invalid (error, "id");

  self->created_at = _atelier_json_get_date_time (object, "created_at");
  if (self->created_at == NULL)
    return invalid (error, "created_at");

  states = g_type_class_ref (ATELIER_TYPE_FACEID_JOB_STATE);
  name = _atelier_json_get_string (object, "state");
  value = name != NULL ? g_enum_get_value_by_nick (states, name) : NULL;
  g_type_class_unref (states);
  if (value == NULL)
    return invalid (error, "state");
  self->state = value->value;

  name = _atelier_json_get_string (object, "resume");
  self->resume = ATELIER_FACEID_JOB_RESUME_SEND;
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (resume_names); i++)
    {
      if (g_str_equal (name, resume_names[i]))
        self->resume = i;
    }

  member = _atelier_json_get_object (object, "input");
  if (member == NULL || _atelier_json_get_string (member, "prompt") == NULL)
    return invalid (error, "input");
  self->input = copy_object (member);

  self->face_label = g_strdup (_atelier_json_get_string (object, "face_label"));
  if (self->face_label == NULL)
    self->face_label = g_strdup ("");
  self->n_faces = (guint) CLAMP (_atelier_json_get_int (object, "n_faces", 0), 0, 64);
  if (self->n_faces == 0 && _atelier_json_get_string (self->input, "face_image_url") == NULL)
    return invalid (error, "n_faces");

  member = _atelier_json_get_object (object, "request");
  if (member != NULL && (self->request = read_request (member)) == NULL)
    return invalid (error, "request");

  /* Waiting on fal without a request cannot be. */
  if (self->request == NULL &&
      (self->state == ATELIER_FACEID_JOB_IN_QUEUE || self->state == ATELIER_FACEID_JOB_IN_PROGRESS ||
       self->state == ATELIER_FACEID_JOB_SAVING))
    return invalid (error, "request");

  g_strfreev (self->logs);
  self->logs = _atelier_json_get_string_array (object, "logs");

  member = _atelier_json_get_object (object, "error");
  if (member != NULL)
    {
      gint64 code = _atelier_json_get_int (member, "code", ATELIER_API_ERROR_FAILED);
      const char *message = _atelier_json_get_string (member, "message");

      if (code < 0 || code > ATELIER_API_ERROR_FAILED)
        code = ATELIER_API_ERROR_FAILED;
      self->error = g_error_new_literal (ATELIER_API_ERROR, (int) code, message != NULL ? message : "");
    }

  self->library_id = _atelier_json_get_int (object, "library_id", 0);
  if (self->library_id > 0)
    self->library_id = 0;
  if (self->state == ATELIER_FACEID_JOB_DONE)
    {
      self->prompt_id = _atelier_json_get_int (object, "prompt_id", 0);
      if (self->prompt_id == 0)
        return invalid (error, "prompt_id");
    }

  /* The app stopped while sending: fal may or may not have it. */
  if (self->state == ATELIER_FACEID_JOB_SUBMITTING)
    {
      self->state = ATELIER_FACEID_JOB_UNSURE;
      self->resume = ATELIER_FACEID_JOB_RESUME_SEND;
      g_clear_error (&self->error);
      self->error = g_error_new_literal (ATELIER_API_ERROR, ATELIER_API_ERROR_NETWORK,
                                         _("Atelier stopped while sending this request; fal.ai may or may not have received it."));
    }

  return g_steal_pointer (&self);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  _atelier_json_builder_set_member (builder, name);
  _atelier_json_builder_add_string (builder, value);
}

JsonNode *
_atelier_faceid_job_to_json (AtelierFaceidJob *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *created = NULL;
  GEnumClass *states;

  g_return_val_if_fail (ATELIER_IS_FACEID_JOB (self), NULL);

  created = g_date_time_format_iso8601 (self->created_at);
  states = g_type_class_ref (ATELIER_TYPE_FACEID_JOB_STATE);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  add_string (builder, "id", self->id);
  add_string (builder, "created_at", created);
  add_string (builder, "state", g_enum_get_value (states, self->state)->value_nick);
  add_string (builder, "resume", resume_names[self->resume]);
  json_builder_set_member_name (builder, "input");
  {
    JsonNode *input = json_node_alloc ();

    json_node_take_object (json_node_init (input, JSON_NODE_OBJECT), copy_object (self->input));
    json_builder_add_value (builder, input);
  }
  add_string (builder, "face_label", self->face_label);
  json_builder_set_member_name (builder, "n_faces");
  json_builder_add_int_value (builder, self->n_faces);

  if (self->request != NULL)
    {
      json_builder_set_member_name (builder, "request");
      json_builder_begin_object (builder);
      add_string (builder, "request_id", self->request->request_id);
      add_string (builder, "status_url", self->request->status_url);
      add_string (builder, "response_url", self->request->response_url);
      add_string (builder, "cancel_url", self->request->cancel_url);
      json_builder_end_object (builder);
    }

  json_builder_set_member_name (builder, "logs");
  json_builder_begin_array (builder);
  for (guint i = 0; self->logs[i] != NULL; i++)
    _atelier_json_builder_add_string (builder, self->logs[i]);
  json_builder_end_array (builder);

  if (self->error != NULL)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "code");
      json_builder_add_int_value (builder, self->error->domain == ATELIER_API_ERROR ? self->error->code
                                                                                     : ATELIER_API_ERROR_FAILED);
      add_string (builder, "message", self->error->message);
      json_builder_end_object (builder);
    }

  if (self->library_id != 0)
    {
      json_builder_set_member_name (builder, "library_id");
      json_builder_add_int_value (builder, self->library_id);
    }
  if (self->prompt_id != 0)
    {
      json_builder_set_member_name (builder, "prompt_id");
      json_builder_add_int_value (builder, self->prompt_id);
    }
  json_builder_end_object (builder);

  g_type_class_unref (states);
  return json_builder_get_root (builder);
}

JsonNode *
_atelier_faceid_job_build_prompt (AtelierFaceidJob       *self,
                                  const AtelierFalResult *result)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = g_date_time_format_iso8601 (now);
  const char *negative = _atelier_json_get_string (self->input, "negative_prompt");
  const char *model_type = _atelier_json_get_string (self->input, "model_type");
  gint64 width = result->width > 0 ? result->width : _atelier_json_get_int (self->input, "width", 0);
  gint64 height = result->height > 0 ? result->height : _atelier_json_get_int (self->input, "height", 0);
  JsonNode *input_node;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, self->library_id);
  _atelier_json_builder_set_member (builder, "text");
  _atelier_json_builder_add_string (builder, atelier_faceid_job_get_prompt_text (self));
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
  if (json_object_has_member (self->input, "guidance_scale"))
    {
      json_builder_set_member_name (builder, "cfg_scale");
      json_builder_add_double_value (builder, _atelier_json_get_double (self->input, "guidance_scale", 0));
    }
  if (json_object_has_member (self->input, "num_inference_steps"))
    {
      json_builder_set_member_name (builder, "steps");
      json_builder_add_int_value (builder, _atelier_json_get_int (self->input, "num_inference_steps", 0));
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
  _atelier_json_builder_add_string (builder, atelier_faceid_job_get_request_id (self));
  _atelier_json_builder_set_member (builder, "face");
  _atelier_json_builder_add_string (builder, self->face_label);
  _atelier_json_builder_set_member (builder, "model_type");
  _atelier_json_builder_add_string (builder, model_type != NULL ? model_type : "1_5-v1");
  json_builder_set_member_name (builder, "input");
  input_node = json_node_alloc ();
  json_node_take_object (json_node_init (input_node, JSON_NODE_OBJECT), copy_object (self->input));
  json_builder_add_value (builder, input_node);
  json_builder_end_object (builder);

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Setters */

void
_atelier_faceid_job_set_state (AtelierFaceidJob      *self,
                               AtelierFaceidJobState  state)
{
  g_return_if_fail (ATELIER_IS_FACEID_JOB (self));

  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
_atelier_faceid_job_set_queue_position (AtelierFaceidJob *self,
                                        gint64            position)
{
  g_return_if_fail (ATELIER_IS_FACEID_JOB (self));

  position = MAX (position, -1);
  if (self->queue_position == position)
    return;
  self->queue_position = position;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUEUE_POSITION]);
}

void
_atelier_faceid_job_set_rate_limited (AtelierFaceidJob *self,
                                      gboolean          rate_limited)
{
  g_return_if_fail (ATELIER_IS_FACEID_JOB (self));

  if (self->rate_limited == !!rate_limited)
    return;
  self->rate_limited = !!rate_limited;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE_LIMITED]);
}

void
_atelier_faceid_job_set_logs (AtelierFaceidJob   *self,
                              const char * const *logs)
{
  static const char * const none[] = { NULL };
  guint n, first;

  g_return_if_fail (ATELIER_IS_FACEID_JOB (self));

  if (logs == NULL)
    logs = none;
  n = g_strv_length ((GStrv) logs);
  first = n > MAX_LOGS ? n - MAX_LOGS : 0;
  if (g_strv_equal ((const char * const *) self->logs, logs + first))
    return;

  g_strfreev (self->logs);
  self->logs = g_strdupv ((GStrv) (logs + first));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOGS]);
}

void
_atelier_faceid_job_set_error (AtelierFaceidJob *self,
                               const GError     *error)
{
  g_return_if_fail (ATELIER_IS_FACEID_JOB (self));

  if (self->error == NULL && error == NULL)
    return;
  if (self->error != NULL && error != NULL && self->error->domain == error->domain &&
      self->error->code == error->code && g_strcmp0 (self->error->message, error->message) == 0)
    return;

  g_clear_error (&self->error);
  self->error = error != NULL ? g_error_copy (error) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

void
_atelier_faceid_job_set_request (AtelierFaceidJob        *self,
                                 const AtelierFalRequest *request)
{
  g_return_if_fail (ATELIER_IS_FACEID_JOB (self));

  if (self->request == NULL && request == NULL)
    return;

  g_clear_pointer (&self->request, atelier_fal_request_free);
  self->request = request != NULL ? atelier_fal_request_copy (request) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUEST_ID]);
}

const AtelierFalRequest *
_atelier_faceid_job_get_request (AtelierFaceidJob *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_JOB (self), NULL);
  return self->request;
}

void
_atelier_faceid_job_set_prompt_id (AtelierFaceidJob *self,
                                   gint64            prompt_id)
{
  g_return_if_fail (ATELIER_IS_FACEID_JOB (self));

  if (self->prompt_id == prompt_id)
    return;
  self->prompt_id = prompt_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROMPT_ID]);
}

AtelierFaceidJobResume
_atelier_faceid_job_get_resume (AtelierFaceidJob *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_JOB (self), ATELIER_FACEID_JOB_RESUME_SEND);
  return self->resume;
}

void
_atelier_faceid_job_set_resume (AtelierFaceidJob       *self,
                                AtelierFaceidJobResume  resume)
{
  g_return_if_fail (ATELIER_IS_FACEID_JOB (self));
  self->resume = resume;
}

guint
_atelier_faceid_job_get_n_faces (AtelierFaceidJob *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_JOB (self), 0);
  return self->n_faces;
}

gint64
_atelier_faceid_job_get_library_id (AtelierFaceidJob *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_JOB (self), 0);
  return self->library_id;
}

void
_atelier_faceid_job_set_library_id (AtelierFaceidJob *self,
                                    gint64            library_id)
{
  g_return_if_fail (ATELIER_IS_FACEID_JOB (self));
  self->library_id = library_id;
}

/* Getters */

const char *
atelier_faceid_job_get_id (AtelierFaceidJob *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_JOB (self), NULL);
  return self->id;
}

GDateTime *
atelier_faceid_job_get_created_at (AtelierFaceidJob *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_JOB (self), NULL);
  return self->created_at;
}

AtelierFaceidJobState
atelier_faceid_job_get_state (AtelierFaceidJob *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_JOB (self), ATELIER_FACEID_JOB_FAILED);
  return self->state;
}

gboolean
atelier_faceid_job_is_active (AtelierFaceidJob *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_JOB (self), FALSE);

  return self->state == ATELIER_FACEID_JOB_SUBMITTING || self->state == ATELIER_FACEID_JOB_IN_QUEUE ||
         self->state == ATELIER_FACEID_JOB_IN_PROGRESS || self->state == ATELIER_FACEID_JOB_SAVING;
}

gboolean
atelier_faceid_job_can_cancel (AtelierFaceidJob *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_JOB (self), FALSE);

  return self->state == ATELIER_FACEID_JOB_SUBMITTING || self->state == ATELIER_FACEID_JOB_IN_QUEUE;
}

gboolean
atelier_faceid_job_can_retry (AtelierFaceidJob *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_JOB (self), FALSE);

  return self->state == ATELIER_FACEID_JOB_UNSURE || self->state == ATELIER_FACEID_JOB_REFUSED ||
         self->state == ATELIER_FACEID_JOB_FAILED || self->state == ATELIER_FACEID_JOB_CANCELLED ||
         self->state == ATELIER_FACEID_JOB_LOST;
}

gint64
atelier_faceid_job_get_queue_position (AtelierFaceidJob *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_JOB (self), -1);
  return self->queue_position;
}

const char * const *
atelier_faceid_job_get_logs (AtelierFaceidJob *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_JOB (self), NULL);
  return (const char * const *) self->logs;
}

const GError *
atelier_faceid_job_get_error (AtelierFaceidJob *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_JOB (self), NULL);
  return self->error;
}

const char *
atelier_faceid_job_get_request_id (AtelierFaceidJob *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_JOB (self), NULL);
  return self->request != NULL ? self->request->request_id : NULL;
}

JsonObject *
atelier_faceid_job_get_input (AtelierFaceidJob *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_JOB (self), NULL);
  return self->input;
}

const char *
atelier_faceid_job_get_prompt_text (AtelierFaceidJob *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_JOB (self), NULL);
  return _atelier_json_get_string (self->input, "prompt");
}

const char *
atelier_faceid_job_get_face_label (AtelierFaceidJob *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_JOB (self), NULL);
  return self->face_label;
}

gint64
atelier_faceid_job_get_prompt_id (AtelierFaceidJob *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_JOB (self), 0);
  return self->state == ATELIER_FACEID_JOB_DONE ? self->prompt_id : 0;
}

gboolean
atelier_faceid_job_is_rate_limited (AtelierFaceidJob *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_JOB (self), FALSE);
  return self->rate_limited;
}

/* GObject */

static void
atelier_faceid_job_finalize (GObject *object)
{
  AtelierFaceidJob *self = ATELIER_FACEID_JOB (object);

  g_free (self->id);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_strfreev (self->logs);
  g_clear_error (&self->error);
  g_clear_pointer (&self->request, atelier_fal_request_free);
  g_clear_pointer (&self->input, json_object_unref);
  g_free (self->face_label);

  G_OBJECT_CLASS (atelier_faceid_job_parent_class)->finalize (object);
}

static void
atelier_faceid_job_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  AtelierFaceidJob *self = ATELIER_FACEID_JOB (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_QUEUE_POSITION:
      g_value_set_int64 (value, self->queue_position);
      break;
    case PROP_LOGS:
      g_value_set_boxed (value, self->logs);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_REQUEST_ID:
      g_value_set_string (value, atelier_faceid_job_get_request_id (self));
      break;
    case PROP_PROMPT_ID:
      g_value_set_int64 (value, atelier_faceid_job_get_prompt_id (self));
      break;
    case PROP_RATE_LIMITED:
      g_value_set_boolean (value, self->rate_limited);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_faceid_job_class_init (AtelierFaceidJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = atelier_faceid_job_finalize;
  object_class->get_property = atelier_faceid_job_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, ATELIER_TYPE_FACEID_JOB_STATE,
                       ATELIER_FACEID_JOB_SUBMITTING, flags);
  properties[PROP_QUEUE_POSITION] =
    g_param_spec_int64 ("queue-position", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_LOGS] = g_param_spec_boxed ("logs", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_ERROR] = g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, flags);
  properties[PROP_REQUEST_ID] = g_param_spec_string ("request-id", NULL, NULL, NULL, flags);
  properties[PROP_PROMPT_ID] =
    g_param_spec_int64 ("prompt-id", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_RATE_LIMITED] = g_param_spec_boolean ("rate-limited", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
atelier_faceid_job_init (AtelierFaceidJob *self)
{
  self->state = ATELIER_FACEID_JOB_SUBMITTING;
  self->queue_position = -1;
  self->logs = g_new0 (char *, 1);
}
