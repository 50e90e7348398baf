/* atelier-fal-client.c: the fal.ai queue client, one class
 *
 * AtelierFalClient with its two boxed types (the queued request and the
 * result): submit, status, result and cancel on fal's queue API, and run,
 * which submits and polls with backoff until the job ends or is cancelled
 * (then cancelling it on the queue too). The key only ever goes to the
 * base URL's host, whatever URLs the queue answers with.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "atelier-astria-client.h"
#include "atelier-fal-client.h"
#include "atelier-fal-face.h"
#include "atelier-http-private.h"
#include "atelier-json-private.h"
#include "atelier-task-private.h"

#define MAX_POLL_FACTOR 10

struct _AtelierFalClient
{
  GObject              parent_instance;

  AtelierHttpEndpoint  endpoint;
  guint                poll_interval_ms;
};

G_DEFINE_FINAL_TYPE (AtelierFalClient, atelier_fal_client, G_TYPE_OBJECT)

enum {
  RETRY_SCHEDULED,
  STATUS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_BOXED_TYPE (AtelierFalRequest, atelier_fal_request,
                     atelier_fal_request_copy, atelier_fal_request_free)
G_DEFINE_BOXED_TYPE (AtelierFalResult, atelier_fal_result,
                     atelier_fal_result_copy, atelier_fal_result_free)

AtelierFalRequest *
atelier_fal_request_copy (const AtelierFalRequest *self)
{
  AtelierFalRequest *copy = g_new0 (AtelierFalRequest, 1);

  copy->request_id = g_strdup (self->request_id);
  copy->status_url = g_strdup (self->status_url);
  copy->response_url = g_strdup (self->response_url);
  copy->cancel_url = g_strdup (self->cancel_url);

  return copy;
}

void
atelier_fal_request_free (AtelierFalRequest *self)
{
  if (self == NULL)
    return;

  g_free (self->request_id);
  g_free (self->status_url);
  g_free (self->response_url);
  g_free (self->cancel_url);
  g_free (self);
}

AtelierFalResult *
atelier_fal_result_copy (const AtelierFalResult *self)
{
  AtelierFalResult *copy = g_memdup2 (self, sizeof *self);

  copy->image_url = g_strdup (self->image_url);
  copy->content_type = g_strdup (self->content_type);
  copy->file_name = g_strdup (self->file_name);

  return copy;
}

void
atelier_fal_result_free (AtelierFalResult *self)
{
  if (self == NULL)
    return;

  g_free (self->image_url);
  g_free (self->content_type);
  g_free (self->file_name);
  g_free (self);
}

/* Input validation */

static gboolean
check_number (JsonObject  *input,
              const char  *member,
              double       min,
              double       max,
              gboolean     integer,
              GError     **error)
{
  JsonNode *node = json_object_get_member (input, member);
  double value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_INT64 &&
       (integer || json_node_get_value_type (node) != G_TYPE_DOUBLE)))
    {
      g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM,
                   integer ? "%s: %s" : "%s: %s", member,
                   integer ? _("Must be a whole number.") : _("Must be a number."));
      return FALSE;
    }

  value = json_node_get_value_type (node) == G_TYPE_INT64
          ? (double) json_node_get_int (node) : json_node_get_double (node);
  if (value < min || value > max)
    {
      g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM,
                   _("%s: Must be between %g and %g."), member, min, max);
      return FALSE;
    }

  return TRUE;
}

/* TRUE when @url is "data:@media_prefix…;base64,…" with well-formed
 * base64 (padding only at the end). */
static gboolean
is_base64_data_url (const char *url,
                    const char *media_prefix)
{
  const char *type;
  const char *comma;
  const char *data;
  gsize length;
  gsize padding = 0;

  if (!g_str_has_prefix (url, "data:"))
    return FALSE;

  type = url + strlen ("data:");
  comma = strchr (type, ',');
  if (comma == NULL || !g_str_has_prefix (type, media_prefix) ||
      (gsize) (comma - type) <= strlen (";base64") ||
      strncmp (comma - strlen (";base64"), ";base64", strlen (";base64")) != 0)
    return FALSE;

  /* Nothing but a subtype between the prefix and ";base64" */
  for (const char *p = type + strlen (media_prefix); p < comma - strlen (";base64"); p++)
    {
      if (!g_ascii_isalnum (*p) && strchr ("+-.", *p) == NULL)
        return FALSE;
    }

  data = comma + 1;
  length = strlen (data);
  if (length == 0 || length % 4 != 0)
    return FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (c == '=')
        {
          if (i < length - 2)
            return FALSE;
          padding++;
        }
      else if (padding > 0 || (!g_ascii_isalnum (c) && c != '+' && c != '/'))
        return FALSE;
    }

  return TRUE;
}

/* A face URL member: a URL fal may be given (https, or http on loopback),
 * or a base64 data: URL of @media_prefix no longer than
 * ATELIER_FAL_MAX_DATA_URL. */
static gboolean
check_face_url (JsonObject  *input,
                const char  *member,
                const char  *media_prefix,
                const char  *wrong_message,
                GError     **error)
{
  JsonNode *node = json_object_get_member (input, member);
  const char *url;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  url = _atelier_json_get_string (input, member);
  if (url == NULL)
    {
      g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM,
                   "%s: %s", member, _("Must be text."));
      return FALSE;
    }

  if (g_str_has_prefix (url, "data:"))
    {
      if (strlen (url) > ATELIER_FAL_MAX_DATA_URL)
        {
          g_autofree char *max = g_format_size (ATELIER_FAL_MAX_DATA_URL);

          g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM,
                       _("%s: Too large to send (at most %s)."), member, max);
          return FALSE;
        }

      if (is_base64_data_url (url, media_prefix))
        return TRUE;
    }
  else if (atelier_fal_face_url_is_sendable (url))
    return TRUE;

  g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM,
               "%s: %s", member, wrong_message);
  return FALSE;
}

static gboolean
is_blank (const char *text)
{
  for (; *text != '\0'; text++)
    {
      if (!g_ascii_isspace (*text))
        return FALSE;
    }

  return TRUE;
}

/* An optional text member: a string when present, not blank when @nonempty. */
static gboolean
check_string (JsonObject  *input,
              const char  *member,
              gboolean     nonempty,
              GError     **error)
{
  JsonNode *node = json_object_get_member (input, member);
  const char *value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  value = _atelier_json_get_string (input, member);
  if (value == NULL)
    {
      g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM,
                   "%s: %s", member, _("Must be text."));
      return FALSE;
    }

  if (nonempty && is_blank (value))
    {
      g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM,
                   "%s: %s", member, _("Must not be empty."));
      return FALSE;
    }

  return TRUE;
}

gboolean
atelier_fal_validate_face_id_input (JsonNode  *input,
                                    GError   **error)
{
  static const char * const model_types[] = {
    "1_5-v1", "1_5-v1-plus", "1_5-v2-plus", "SDXL-v1", "SDXL-v2-plus", "1_5-auraface-v1", NULL
  };
  JsonObject *object;
  const char *prompt;
  const char *model_type;

  if (input == NULL || !JSON_NODE_HOLDS_OBJECT (input))
    {
      g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM,
                   "base: %s", _("The input must be a JSON object."));
      return FALSE;
    }

  object = json_node_get_object (input);
  prompt = _atelier_json_get_string (object, "prompt");
  if (prompt == NULL || is_blank (prompt))
    {
      g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM,
                   "prompt: %s", _("Describe the image to make."));
      return FALSE;
    }

  if (!check_string (object, "model_type", TRUE, error))
    return FALSE;
  model_type = _atelier_json_get_string (object, "model_type");
  if (model_type != NULL && !g_strv_contains (model_types, model_type))
    {
      g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM,
                   _("model_type: “%s” is not a known model type."), model_type);
      return FALSE;
    }

  return check_face_url (object, "face_image_url", "image/",
                         _("Must be an https address or a photo."), error) &&
         check_face_url (object, "face_images_data_url", "application/zip",
                         _("Must be an https address or a zip archive of photos."), error) &&
         check_string (object, "negative_prompt", FALSE, error) &&
         check_string (object, "base_1_5_model_repo", TRUE, error) &&
         check_string (object, "base_sdxl_model_repo", TRUE, error) &&
         check_number (object, "seed", 0, 4294967295.0, TRUE, error) &&
         check_number (object, "guidance_scale", 0, 16, FALSE, error) &&
         check_number (object, "num_inference_steps", 1, 200, TRUE, error) &&
         check_number (object, "num_samples", 1, 4, TRUE, error) &&
         check_number (object, "width", 512, 1024, TRUE, error) &&
         check_number (object, "height", 512, 1024, TRUE, error) &&
         check_number (object, "face_id_det_size", 64, 640, TRUE, error);
}

char *
atelier_fal_data_uri (GBytes     *bytes,
                      const char *content_type)
{
  g_autofree char *encoded = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);

  encoded = g_base64_encode (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return g_strdup_printf ("data:%s;base64,%s",
                          content_type != NULL ? content_type : "image/jpeg", encoded);
}

/* The client */

static void
atelier_fal_client_finalize (GObject *object)
{
  _atelier_endpoint_clear (&ATELIER_FAL_CLIENT (object)->endpoint);

  G_OBJECT_CLASS (atelier_fal_client_parent_class)->finalize (object);
}

static void
atelier_fal_client_class_init (AtelierFalClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = atelier_fal_client_finalize;

  /* Same as AtelierAstriaClient::retry-scheduled. */
  signals[RETRY_SCHEDULED] = _atelier_retry_signal_new (G_TYPE_FROM_CLASS (klass));

  /**
   * AtelierFalClient::status-changed:
   * @status: an #AtelierFalStatus
   * @queue_position: the position in the queue, -1 when unknown
   *
   * Emitted by atelier_fal_client_run_async() at each poll.
   */
  signals[STATUS_CHANGED] =
    g_signal_new ("status-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_INT64);
}

static void
atelier_fal_client_init (AtelierFalClient *self)
{
  static const AtelierHttpPolicy policy = {
    .server_retry_base_ms = 5000, .max_server_retries = 3,
    .rate_limit_base_ms = 2000, .max_rate_limit_retries = 5,
    /* A submit answered 5xx may be queued already: the job is then
     * "unsure" and the user decides. Status, result and cancel retry. */
    .no_post_server_retries = TRUE,
  };

  _atelier_endpoint_init (&self->endpoint, "Key", G_OBJECT (self), &policy);
  self->poll_interval_ms = 1000;
}

AtelierFalClient *
atelier_fal_client_new (const char  *base_url,
                        const char  *api_key,
                        GError     **error)
{
  g_autofree char *url = _atelier_base_url_resolve (base_url, "ATELIER_FAL_URL",
                                                    ATELIER_DEFAULT_FAL_URL, error);
  AtelierFalClient *self;

  if (url == NULL)
    return NULL;

  self = g_object_new (ATELIER_TYPE_FAL_CLIENT, NULL);
  self->endpoint.base_url = g_steal_pointer (&url);
  atelier_fal_client_set_api_key (self, api_key);

  return self;
}

SoupSession *
atelier_fal_client_get_session (AtelierFalClient *self)
{
  g_return_val_if_fail (ATELIER_IS_FAL_CLIENT (self), NULL);

  return self->endpoint.session;
}

const char *
atelier_fal_client_get_base_url (AtelierFalClient *self)
{
  g_return_val_if_fail (ATELIER_IS_FAL_CLIENT (self), NULL);

  return self->endpoint.base_url;
}

void
atelier_fal_client_set_api_key (AtelierFalClient *self,
                                const char       *api_key)
{
  g_return_if_fail (ATELIER_IS_FAL_CLIENT (self));

  _atelier_endpoint_set_key (&self->endpoint, api_key);
}

gboolean
atelier_fal_client_has_api_key (AtelierFalClient *self)
{
  g_return_val_if_fail (ATELIER_IS_FAL_CLIENT (self), FALSE);

  return _atelier_endpoint_has_key (&self->endpoint);
}

void
atelier_fal_client_set_poll_interval_ms (AtelierFalClient *self,
                                         guint             interval_ms)
{
  g_return_if_fail (ATELIER_IS_FAL_CLIENT (self));

  self->poll_interval_ms = MAX (interval_ms, 1);
  /* Tests shorten the poll interval; server retries follow it. */
  self->endpoint.policy.server_retry_base_ms = MAX (interval_ms * 5, 1);
  self->endpoint.policy.rate_limit_base_ms = MAX (interval_ms * 2, 1);
}

/* Only URLs on the base URL's host get the key: the queue answers with
 * absolute URLs, and a key must never travel to another host. */
static gboolean
same_origin (const char *base,
             const char *url)
{
  g_autoptr(GUri) a = g_uri_parse (base, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GUri) b = url != NULL ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;

  /* "https:x" parses, without a host */
  return a != NULL && b != NULL &&
         g_uri_get_host (a) != NULL && g_uri_get_host (b) != NULL &&
         g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         g_uri_get_port (a) == g_uri_get_port (b);
}

/* Reads the object of a 2xx answer (NULL when it holds none, as an empty
 * body). Returns the call's result, or NULL with @error. */
typedef gpointer (*FalReadFunc) (AtelierFalClient  *self,
                                 JsonObject        *object,
                                 GError           **error);

/* One call: where it goes and how to read its answer. */
typedef struct
{
  AtelierFalClient *client;            /* (owned) */
  char             *method;
  char             *uri;
  FalReadFunc       read;
  GDestroyNotify    result_free;
  gboolean          accept_not_found;  /* a 404 answer is read as an empty one */
} FalCall;

static void
fal_call_free (FalCall *call)
{
  g_clear_object (&call->client);
  g_free (call->method);
  g_free (call->uri);
  g_free (call);
}

static FalCall *
fal_call_new (AtelierFalClient *self,
              const char       *method,
              const char       *uri,
              FalReadFunc       read,
              GDestroyNotify    result_free)
{
  FalCall *call = g_new0 (FalCall, 1);

  call->client = g_object_ref (self);
  call->method = g_strdup (method);
  call->uri = g_strdup (uri);
  call->read = read;
  call->result_free = result_free;

  return call;
}

static void
fal_sent_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FalCall *call = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  gpointer value = NULL;

  bytes = _atelier_http_send_finish (result, NULL, &error);
  if (bytes != NULL && g_bytes_get_size (bytes) > 0)
    root = _atelier_json_parse_bytes (bytes, &error);

  if (call->accept_not_found && g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_NOT_FOUND))
    g_clear_error (&error);

  if (error == NULL)
    value = call->read (call->client,
                        root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL,
                        &error);

  _atelier_task_return_pointer_or_error (task, value, call->result_free, g_steal_pointer (&error));
}

/* Sends @call (taken) with @body (nullable) as a public call's task. Only
 * URLs on the base URL's host are asked. */
static void
fal_call_start (FalCall             *call,
                JsonNode            *body,
                gpointer             source_tag,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  AtelierFalClient *self = call->client;
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GBytes) bytes = NULL;

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, (GDestroyNotify) fal_call_free);

  if (!same_origin (self->endpoint.base_url, call->uri))
    {
      g_task_return_new_error (task, ATELIER_API_ERROR, ATELIER_API_ERROR_INSECURE_URL,
                               _("The fal.ai queue pointed to another server; the request was not sent."));
      g_object_unref (task);
      return;
    }

  if (body != NULL)
    bytes = _atelier_json_to_bytes (body);

  _atelier_http_send_async (&self->endpoint, call->method, call->uri, "application/json", bytes,
                            NULL, NULL, cancellable, fal_sent_cb, task);
}

static gpointer
fal_finish (AtelierFalClient  *self,
            GAsyncResult      *result,
            gpointer           source_tag,
            GError           **error)
{
  g_return_val_if_fail (ATELIER_IS_FAL_CLIENT (self), NULL);

  return _atelier_task_propagate_pointer (result, self, source_tag, error);
}

/* For the calls that return a boolean. */
static gpointer
read_accepted (AtelierFalClient  *self,
               JsonObject        *object,
               GError           **error)
{
  return GINT_TO_POINTER (TRUE);
}

static char *
request_url (AtelierFalClient *self,
             const char       *request_id,
             const char       *suffix)
{
  g_autofree char *escaped = g_uri_escape_string (request_id, NULL, FALSE);

  return g_strdup_printf ("%s/%s/requests/%s%s", self->endpoint.base_url, ATELIER_FAL_FACE_ID_APP,
                          escaped, suffix);
}

/* The queue's own URL when it is on our host, else ours. */
static char *
pick_url (AtelierFalClient *self,
          const char       *given,
          const char       *request_id,
          const char       *suffix)
{
  if (given != NULL && same_origin (self->endpoint.base_url, given))
    return g_strdup (given);

  return request_url (self, request_id, suffix);
}

static gpointer
parse_error (GError     **error,
             const char  *what)
{
  g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_PARSE,
               _("The fal.ai answer has no %s."), what);
  return NULL;
}

/* verify key */

void
atelier_fal_client_verify_key_async (AtelierFalClient    *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autofree char *uri = NULL;
  FalCall *call;

  g_return_if_fail (ATELIER_IS_FAL_CLIENT (self));

  uri = request_url (self, "00000000-0000-0000-0000-000000000000", "/status");
  call = fal_call_new (self, "GET", uri, read_accepted, NULL);
  /* An unknown request id answers 404 to a key that is accepted. */
  call->accept_not_found = TRUE;
  fal_call_start (call, NULL, atelier_fal_client_verify_key_async, cancellable, callback, user_data);
}

gboolean
atelier_fal_client_verify_key_finish (AtelierFalClient  *self,
                                      GAsyncResult      *result,
                                      GError           **error)
{
  return fal_finish (self, result, atelier_fal_client_verify_key_async, error) != NULL;
}

/* submit */

static gpointer
read_request (AtelierFalClient  *self,
              JsonObject        *object,
              GError           **error)
{
  const char *request_id = _atelier_json_get_string (object, "request_id");
  AtelierFalRequest *request;

  if (request_id == NULL || *request_id == '\0')
    return parse_error (error, "request_id");

  request = g_new0 (AtelierFalRequest, 1);
  request->request_id = g_strdup (request_id);
  request->status_url = pick_url (self, _atelier_json_get_string (object, "status_url"),
                                  request_id, "/status");
  request->response_url = pick_url (self, _atelier_json_get_string (object, "response_url"),
                                    request_id, "");
  request->cancel_url = pick_url (self, _atelier_json_get_string (object, "cancel_url"),
                                  request_id, "/cancel");

  return request;
}

void
atelier_fal_client_submit_async (AtelierFalClient    *self,
                                 JsonNode            *input,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;

  g_return_if_fail (ATELIER_IS_FAL_CLIENT (self));

  if (!atelier_fal_validate_face_id_input (input, &error))
    {
      g_task_report_error (self, callback, user_data, atelier_fal_client_submit_async,
                           g_steal_pointer (&error));
      return;
    }

  uri = g_strdup_printf ("%s/%s", self->endpoint.base_url, ATELIER_FAL_FACE_ID_APP);
  fal_call_start (fal_call_new (self, "POST", uri, read_request,
                                (GDestroyNotify) atelier_fal_request_free),
                  input, atelier_fal_client_submit_async, cancellable, callback, user_data);
}

AtelierFalRequest *
atelier_fal_client_submit_finish (AtelierFalClient  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  return fal_finish (self, result, atelier_fal_client_submit_async, error);
}

/* status */

typedef struct
{
  AtelierFalStatus status;
  gint64           position;
} StatusData;

static gpointer
read_status (AtelierFalClient  *self,
             JsonObject        *object,
             GError           **error)
{
  static const char * const names[] = {
    [ATELIER_FAL_STATUS_IN_QUEUE] = "IN_QUEUE",
    [ATELIER_FAL_STATUS_IN_PROGRESS] = "IN_PROGRESS",
    [ATELIER_FAL_STATUS_COMPLETED] = "COMPLETED",
  };
  const char *status = _atelier_json_get_string (object, "status");

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (g_strcmp0 (status, names[i]) == 0)
        {
          StatusData *data = g_new0 (StatusData, 1);

          data->status = i;
          data->position = _atelier_json_get_int (object, "queue_position", -1);
          return data;
        }
    }

  return parse_error (error, "known status");
}

void
atelier_fal_client_get_status_async (AtelierFalClient        *self,
                                     const AtelierFalRequest *request,
                                     GCancellable            *cancellable,
                                     GAsyncReadyCallback      callback,
                                     gpointer                 user_data)
{
  g_return_if_fail (ATELIER_IS_FAL_CLIENT (self));
  g_return_if_fail (request != NULL);

  fal_call_start (fal_call_new (self, "GET", request->status_url, read_status, g_free),
                  NULL, atelier_fal_client_get_status_async, cancellable, callback, user_data);
}

gboolean
atelier_fal_client_get_status_finish (AtelierFalClient  *self,
                                      GAsyncResult      *result,
                                      AtelierFalStatus  *status,
                                      gint64            *queue_position,
                                      GError           **error)
{
  g_autofree StatusData *data = NULL;

  data = fal_finish (self, result, atelier_fal_client_get_status_async, error);
  if (data == NULL)
    return FALSE;

  if (status != NULL)
    *status = data->status;
  if (queue_position != NULL)
    *queue_position = data->position;

  return TRUE;
}

/* status with logs */

void
atelier_fal_status_info_free (AtelierFalStatusInfo *self)
{
  if (self == NULL)
    return;

  g_strfreev (self->logs);
  g_free (self->error);
  g_free (self);
}

static gpointer
read_status_info (AtelierFalClient  *self,
                  JsonObject        *object,
                  GError           **error)
{
  g_autofree StatusData *data = read_status (self, object, error);
  g_autoptr(GStrvBuilder) logs = g_strv_builder_new ();
  JsonArray *array = _atelier_json_get_array (object, "logs");
  AtelierFalStatusInfo *info;

  if (data == NULL)
    return NULL;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      const char *message = NULL;

      if (JSON_NODE_HOLDS_OBJECT (node))
        message = _atelier_json_get_string (json_node_get_object (node), "message");
      if (message != NULL)
        g_strv_builder_add (logs, message);
    }

  info = g_new0 (AtelierFalStatusInfo, 1);
  info->status = data->status;
  info->queue_position = data->position;
  info->logs = g_strv_builder_end (logs);
  if (data->status == ATELIER_FAL_STATUS_COMPLETED)
    {
      const char *message = _atelier_json_get_string (object, "error");

      if (message != NULL && *message != '\0')
        info->error = g_strdup (message);
    }

  return info;
}

/* @url with "logs=1" added to its query. */
static char *
with_logs (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  g_autoptr(GUri) logs = NULL;
  const char *query;
  g_autofree char *new_query = NULL;

  if (uri == NULL)
    return g_strdup (url);

  query = g_uri_get_query (uri);
  if (query != NULL && *query != '\0')
    new_query = g_strconcat (query, "&logs=1", NULL);
  else
    new_query = g_strdup ("logs=1");

  logs = g_uri_build (g_uri_get_flags (uri), g_uri_get_scheme (uri), g_uri_get_userinfo (uri),
                      g_uri_get_host (uri), g_uri_get_port (uri), g_uri_get_path (uri),
                      new_query, g_uri_get_fragment (uri));
  return g_uri_to_string (logs);
}

void
atelier_fal_client_poll_status_async (AtelierFalClient        *self,
                                      const AtelierFalRequest *request,
                                      GCancellable            *cancellable,
                                      GAsyncReadyCallback      callback,
                                      gpointer                 user_data)
{
  g_autofree char *uri = NULL;

  g_return_if_fail (ATELIER_IS_FAL_CLIENT (self));
  g_return_if_fail (request != NULL);

  uri = with_logs (request->status_url);
  fal_call_start (fal_call_new (self, "GET", uri, read_status_info,
                                (GDestroyNotify) atelier_fal_status_info_free),
                  NULL, atelier_fal_client_poll_status_async, cancellable, callback, user_data);
}

AtelierFalStatusInfo *
atelier_fal_client_poll_status_finish (AtelierFalClient  *self,
                                       GAsyncResult      *result,
                                       GError           **error)
{
  return fal_finish (self, result, atelier_fal_client_poll_status_async, error);
}

/* result */

static gpointer
read_result (AtelierFalClient  *self,
             JsonObject        *object,
             GError           **error)
{
  JsonObject *image = _atelier_json_get_object (object, "image");
  const char *url = _atelier_json_get_string (image, "url");
  AtelierFalResult *fal_result;

  if (url == NULL || *url == '\0')
    {
      g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_PARSE,
                   _("fal.ai finished without an image."));
      return NULL;
    }

  fal_result = g_new0 (AtelierFalResult, 1);
  fal_result->image_url = g_strdup (url);
  fal_result->content_type = g_strdup (_atelier_json_get_string (image, "content_type"));
  fal_result->file_name = g_strdup (_atelier_json_get_string (image, "file_name"));
  fal_result->file_size = _atelier_json_get_int (image, "file_size", 0);
  fal_result->width = _atelier_json_get_int (image, "width", 0);
  fal_result->height = _atelier_json_get_int (image, "height", 0);
  fal_result->seed = _atelier_json_get_int (object, "seed", -1);

  return fal_result;
}

void
atelier_fal_client_get_result_async (AtelierFalClient        *self,
                                     const AtelierFalRequest *request,
                                     GCancellable            *cancellable,
                                     GAsyncReadyCallback      callback,
                                     gpointer                 user_data)
{
  g_return_if_fail (ATELIER_IS_FAL_CLIENT (self));
  g_return_if_fail (request != NULL);

  fal_call_start (fal_call_new (self, "GET", request->response_url, read_result,
                                (GDestroyNotify) atelier_fal_result_free),
                  NULL, atelier_fal_client_get_result_async, cancellable, callback, user_data);
}

AtelierFalResult *
atelier_fal_client_get_result_finish (AtelierFalClient  *self,
                                      GAsyncResult      *result,
                                      GError           **error)
{
  return fal_finish (self, result, atelier_fal_client_get_result_async, error);
}

/* cancel */

void
atelier_fal_client_cancel_async (AtelierFalClient        *self,
                                 const AtelierFalRequest *request,
                                 GCancellable            *cancellable,
                                 GAsyncReadyCallback      callback,
                                 gpointer                 user_data)
{
  g_return_if_fail (ATELIER_IS_FAL_CLIENT (self));
  g_return_if_fail (request != NULL);

  fal_call_start (fal_call_new (self, "PUT", request->cancel_url, read_accepted, NULL),
                  NULL, atelier_fal_client_cancel_async, cancellable, callback, user_data);
}

gboolean
atelier_fal_client_cancel_finish (AtelierFalClient  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  return fal_finish (self, result, atelier_fal_client_cancel_async, error) != NULL;
}

/* run: submit, poll, fetch */

typedef struct
{
  AtelierFalRequest *request;     /* (owned) (nullable) */
  guint              interval_ms;
} RunData;

static void
run_data_free (RunData *data)
{
  g_clear_pointer (&data->request, atelier_fal_request_free);
  g_free (data);
}

static void run_poll (GTask *task);

static void
run_return_error (GTask  *task,
                  GError *error)
{
  AtelierFalClient *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);

  /* Tell the queue, so the request stops costing; only possible before it
   * is processed, and nobody waits for the answer. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && data->request != NULL)
    atelier_fal_client_cancel_async (self, data->request, NULL, NULL, NULL);

  g_task_return_error (task, error);
}

static void
run_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  AtelierFalResult *fal_result;

  fal_result = atelier_fal_client_get_result_finish (ATELIER_FAL_CLIENT (source), result, &error);
  if (fal_result == NULL)
    run_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, fal_result, (GDestroyNotify) atelier_fal_result_free);
}

static void
run_sleep_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!_atelier_sleep_finish (result, &error))
    run_return_error (task, g_steal_pointer (&error));
  else
    run_poll (g_steal_pointer (&task));
}

static void
run_status_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  AtelierFalClient *self = ATELIER_FAL_CLIENT (source);
  g_autoptr(GTask) task = user_data;
  RunData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;
  AtelierFalStatus status;
  gint64 position;

  if (!atelier_fal_client_get_status_finish (self, result, &status, &position, &error))
    {
      run_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_signal_emit (self, signals[STATUS_CHANGED], 0, (guint) status, position);

  if (status == ATELIER_FAL_STATUS_COMPLETED)
    {
      atelier_fal_client_get_result_async (self, data->request, cancellable,
                                           run_result_cb, g_steal_pointer (&task));
      return;
    }

  /* Back off while it waits: the interval doubles up to 10× the first. */
  _atelier_sleep_async (data->interval_ms, cancellable, run_sleep_cb, g_steal_pointer (&task));
  data->interval_ms = MIN (data->interval_ms * 2, self->poll_interval_ms * MAX_POLL_FACTOR);
}

static void
run_poll (GTask *task)
{
  AtelierFalClient *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);

  atelier_fal_client_get_status_async (self, data->request, g_task_get_cancellable (task),
                                       run_status_cb, task);
}

static void
run_submit_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->request = atelier_fal_client_submit_finish (ATELIER_FAL_CLIENT (source), result, &error);
  if (data->request == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  run_poll (g_steal_pointer (&task));
}

void
atelier_fal_client_run_async (AtelierFalClient    *self,
                              JsonNode            *input,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  RunData *data;

  g_return_if_fail (ATELIER_IS_FAL_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, atelier_fal_client_run_async);
  data = g_new0 (RunData, 1);
  data->interval_ms = self->poll_interval_ms;
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);

  atelier_fal_client_submit_async (self, input, cancellable, run_submit_cb, task);
}

AtelierFalResult *
atelier_fal_client_run_finish (AtelierFalClient  *self,
                               GAsyncResult      *result,
                               GError           **error)
{
  return _atelier_task_propagate_pointer (result, self, atelier_fal_client_run_async, error);
}

/* For fuzz/fuzz-fal.c only */

gpointer
_atelier_fal_read_answer_for_fuzzing (AtelierFalClient  *self,
                                      AtelierFalAnswer   which,
                                      GBytes            *body,
                                      GError           **error)
{
  static const FalReadFunc readers[] = {
    [ATELIER_FAL_ANSWER_REQUEST] = read_request,
    [ATELIER_FAL_ANSWER_STATUS] = read_status,
    [ATELIER_FAL_ANSWER_STATUS_INFO] = read_status_info,
    [ATELIER_FAL_ANSWER_RESULT] = read_result,
  };
  g_autoptr(JsonNode) root = NULL;
  gpointer value;

  g_return_val_if_fail (ATELIER_IS_FAL_CLIENT (self), NULL);
  g_return_val_if_fail (which < G_N_ELEMENTS (readers), NULL);

  /* As fal_sent_cb() reads a 2xx answer */
  if (g_bytes_get_size (body) > 0 && (root = _atelier_json_parse_bytes (body, error)) == NULL)
    return NULL;

  value = readers[which] (self, root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL,
                          error);

  /* What the poll then asks */
  if (value != NULL && which == ATELIER_FAL_ANSWER_REQUEST)
    g_free (with_logs (((AtelierFalRequest *) value)->status_url));

  return value;
}
