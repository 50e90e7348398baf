/* atelier-http.c: sending with the error and retry policy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "atelier-http-private.h"
#include "atelier-json-private.h"

#define USER_AGENT "Atelier/" PACKAGE_VERSION " "

/* libsoup 3.2 sets no timeout by default: a request that never gets an
 * answer would hang forever. */
#define IO_TIMEOUT_S   60
#define IDLE_TIMEOUT_S 60
#define MAX_CONNS      16
#define MAX_CONNS_HOST 6
/* Never wait longer than this between two tries. */
#define MAX_DELAY_MS   (10 * 60 * 1000)
/* Not named by libsoup 3.2. */
#define STATUS_TOO_MANY_REQUESTS 429
/* How much of a 422 body the log keeps. */
#define LOG_BODY_MAX   2048

typedef struct
{
  AtelierHttpEndpoint  *endpoint;      /* (unowned) its key at each attempt */
  SoupSession          *session;       /* (owned) */
  AtelierHttpPolicy     policy;
  char                 *method;
  char                 *uri;
  char                 *content_type;  /* (nullable) */
  GBytes               *body;          /* (owned) (nullable) */
  AtelierProgressFunc   progress;
  gpointer              progress_data;
  goffset               sent;
  goffset               reported;
  guint                 server_retries;
  guint                 rate_limit_retries;
  guint                 status;
} SendData;

static void send_attempt (GTask *task);

static void
send_data_free (SendData *data)
{
  g_clear_object (&data->session);
  g_free (data->method);
  g_free (data->uri);
  g_free (data->content_type);
  g_clear_pointer (&data->body, g_bytes_unref);
  g_free (data);
}

static SoupSession *
session_new (void)
{
  return soup_session_new_with_options ("timeout", IO_TIMEOUT_S,
                                        "idle-timeout", IDLE_TIMEOUT_S,
                                        "max-conns", MAX_CONNS,
                                        "max-conns-per-host", MAX_CONNS_HOST,
                                        "user-agent", USER_AGENT,
                                        NULL);
}

guint
_atelier_retry_signal_new (GType type)
{
  return g_signal_new ("retry-scheduled",
                       type,
                       G_SIGNAL_RUN_LAST,
                       0, NULL, NULL, NULL,
                       G_TYPE_NONE, 4,
                       G_TYPE_UINT, G_TYPE_UINT, G_TYPE_ERROR, G_TYPE_CANCELLABLE);
}

char *
_atelier_base_url_normalize (const char *url)
{
  gsize len = strlen (url);

  while (len > 0 && url[len - 1] == '/')
    len--;

  return g_strndup (url, len);
}

char *
_atelier_base_url_resolve (const char  *base_url,
                           const char  *env_var,
                           const char  *fallback,
                           GError     **error)
{
  if (base_url == NULL)
    base_url = g_getenv (env_var);
  if (base_url == NULL || *base_url == '\0')
    base_url = fallback;

  if (!atelier_check_base_url (base_url, error))
    return NULL;

  return _atelier_base_url_normalize (base_url);
}

void
_atelier_endpoint_init (AtelierHttpEndpoint     *self,
                        const char              *scheme,
                        GObject                 *emitter,
                        const AtelierHttpPolicy *policy)
{
  self->session = session_new ();
  self->scheme = scheme;
  self->policy = *policy;
  self->policy.emitter = emitter;
}

void
_atelier_endpoint_set_key (AtelierHttpEndpoint *self,
                           const char          *key)
{
  if (self->key != NULL)
    memset (self->key, 0, strlen (self->key));
  g_clear_pointer (&self->key, g_free);

  if (key != NULL)
    {
      self->key = g_strstrip (g_strdup (key));
      if (*self->key == '\0')
        g_clear_pointer (&self->key, g_free);
    }
}

gboolean
_atelier_endpoint_has_key (AtelierHttpEndpoint *self)
{
  return self->key != NULL;
}

void
_atelier_endpoint_clear (AtelierHttpEndpoint *self)
{
  g_clear_object (&self->session);
  g_clear_pointer (&self->base_url, g_free);
  _atelier_endpoint_set_key (self, NULL);
}

GError *
_atelier_http_error_for_transport (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (ATELIER_API_ERROR, ATELIER_API_ERROR_TIMEOUT,
                        _("The server did not answer in time."));

  if (error->domain == G_TLS_ERROR)
    return g_error_new (ATELIER_API_ERROR, ATELIER_API_ERROR_NETWORK,
                        _("The secure connection to the server failed: %s"),
                        error->message);

  return g_error_new (ATELIER_API_ERROR, ATELIER_API_ERROR_NETWORK,
                      _("Could not reach the server: %s"), error->message);
}

/* {{{ One request: redirects and size caps
 *
 * A body that never ends fast hits the cap; one that never ends slowly
 * meets the session's I/O timeout (IO_TIMEOUT_S for each read). */


gboolean
_atelier_http_url_is_fetchable (const char *url)
{
  return url != NULL && atelier_check_base_url (url, NULL);
}

GError *
_atelier_http_error_for_refused_image (void)
{
  return g_error_new_literal (ATELIER_API_ERROR, ATELIER_API_ERROR_INSECURE_URL,
                              _("This image's address is not https; it was not downloaded."));
}

static GError *
error_too_large (gsize max_body)
{
  return g_error_new (ATELIER_API_ERROR, ATELIER_API_ERROR_TOO_LARGE,
                      _("The server's answer was too large (over %u MiB); it was not read."),
                      (guint) (max_body / (1024 * 1024)));
}

static int
uri_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port > 0)
    return port;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

static gboolean
same_origin (GUri *a,
             GUri *b)
{
  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_uri_get_host (a) != NULL && g_uri_get_host (b) != NULL &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         uri_port (a) == uri_port (b);
}

typedef struct
{
  SoupSession   *session;         /* (owned) */
  char          *method;
  GUri          *first;           /* (owned) whose origin gets the key */
  GUri          *uri;             /* (owned) of this hop */
  char          *accept;          /* (nullable) */
  char          *authorization;   /* (nullable) wiped when freed */
  char          *content_type;    /* (nullable) */
  GBytes        *body;            /* (owned) (nullable) */
  gsize          max_body;
  GCallback      wrote_body_data;
  gpointer       wrote_data;
  guint          redirects;
  SoupMessage   *message;         /* (owned) (nullable) this hop's */
  GInputStream  *stream;          /* (owned) (nullable) */
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  if (fetch->message != NULL && fetch->wrote_body_data != NULL)
    g_signal_handlers_disconnect_by_func (fetch->message, fetch->wrote_body_data, fetch->wrote_data);
  g_clear_object (&fetch->message);
  g_clear_object (&fetch->stream);
  g_clear_object (&fetch->session);
  g_free (fetch->method);
  g_clear_pointer (&fetch->first, g_uri_unref);
  g_clear_pointer (&fetch->uri, g_uri_unref);
  g_free (fetch->accept);
  if (fetch->authorization != NULL)
    memset (fetch->authorization, 0, strlen (fetch->authorization));
  g_free (fetch->authorization);
  g_free (fetch->content_type);
  g_clear_pointer (&fetch->body, g_bytes_unref);
  g_free (fetch);
}

static void fetch_sent_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data);

static void
fetch_hop (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);
  SoupMessageHeaders *headers;

  if (fetch->message != NULL && fetch->wrote_body_data != NULL)
    g_signal_handlers_disconnect_by_func (fetch->message, fetch->wrote_body_data, fetch->wrote_data);
  g_clear_object (&fetch->message);

  fetch->message = soup_message_new_from_uri (fetch->method, fetch->uri);
  soup_message_add_flags (fetch->message, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (fetch->message);
  if (fetch->accept != NULL)
    soup_message_headers_replace (headers, "Accept", fetch->accept);
  /* The key goes to its own origin only. */
  if (fetch->authorization != NULL && same_origin (fetch->first, fetch->uri))
    soup_message_headers_replace (headers, "Authorization", fetch->authorization);
  if (fetch->body != NULL)
    soup_message_set_request_body_from_bytes (fetch->message, fetch->content_type, fetch->body);
  if (fetch->wrote_body_data != NULL)
    g_signal_connect (fetch->message, "wrote-body-data", fetch->wrote_body_data, fetch->wrote_data);

  soup_session_send_async (fetch->session, fetch->message, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), fetch_sent_cb, task);
}

gboolean
_atelier_http_redirect_allowed (GUri       *from,
                                const char *to)
{
  g_autoptr(GUri) target = NULL;

  if (!_atelier_http_url_is_fetchable (to))
    return FALSE;

  target = g_uri_parse (to, SOUP_HTTP_URI_FLAGS, NULL);
  return target != NULL &&
         !(g_ascii_strcasecmp (g_uri_get_scheme (from), "https") == 0 &&
           g_ascii_strcasecmp (g_uri_get_scheme (target), "https") != 0);
}

/* Follows this hop's redirect, or returns FALSE with @error. */
static gboolean
fetch_redirect (Fetch       *fetch,
                const char  *location,
                GError     **error)
{
  g_autoptr(GUri) target = NULL;
  g_autofree char *text = NULL;
  guint status = soup_message_get_status (fetch->message);

  if (fetch->redirects >= ATELIER_HTTP_MAX_REDIRECTS)
    {
      g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_HTTP,
                   _("The server redirected the request too many times."));
      return FALSE;
    }

  target = g_uri_parse_relative (fetch->uri, location, SOUP_HTTP_URI_FLAGS, NULL);
  text = target != NULL ? g_uri_to_string (target) : NULL;
  if (text == NULL || !_atelier_http_redirect_allowed (fetch->uri, text))
    {
      g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INSECURE_URL,
                   _("The server redirected the request to an address that is not secure; it was not followed."));
      return FALSE;
    }

  if (status == SOUP_STATUS_SEE_OTHER ||
      ((status == SOUP_STATUS_MOVED_PERMANENTLY || status == SOUP_STATUS_FOUND) &&
       g_str_equal (fetch->method, "POST")))
    {
      if (!g_str_equal (fetch->method, "HEAD"))
        {
          g_free (fetch->method);
          fetch->method = g_strdup ("GET");
        }
      g_clear_pointer (&fetch->body, g_bytes_unref);
    }

  fetch->redirects++;
  g_uri_unref (fetch->uri);
  fetch->uri = g_steal_pointer (&target);

  return TRUE;
}

/* The answer is read into a memory stream whose buffer may not grow past
 * the cap: a write past it fails (G_IO_ERROR_NO_SPACE), which stops the
 * reading, as soon as the count goes over, however the body is sent. The
 * realloc functions know their cap: one per cap. */
static gpointer
realloc_json (gpointer data,
              gsize    size)
{
  return size <= ATELIER_HTTP_MAX_JSON_BYTES ? g_realloc (data, size) : NULL;
}

static gpointer
realloc_image (gpointer data,
               gsize    size)
{
  return size <= ATELIER_HTTP_MAX_IMAGE_BYTES ? g_realloc (data, size) : NULL;
}

static void
fetch_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  GError *error = NULL;

  if (g_output_stream_splice_finish (G_OUTPUT_STREAM (source), result, &error) < 0)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
        {
          g_clear_error (&error);
          error = error_too_large (fetch->max_body);
        }
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (source)),
                         (GDestroyNotify) g_bytes_unref);
}

/* Reads the body, as soup_session_send_and_read() does, but capped. Takes
 * @task. */
static void
fetch_read (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GOutputStream) out = NULL;

  g_assert (fetch->max_body == ATELIER_HTTP_MAX_JSON_BYTES ||
            fetch->max_body == ATELIER_HTTP_MAX_IMAGE_BYTES);
  out = g_memory_output_stream_new (NULL, 0,
                                    fetch->max_body == ATELIER_HTTP_MAX_JSON_BYTES ? realloc_json
                                                                                    : realloc_image,
                                    g_free);
  g_output_stream_splice_async (out, fetch->stream,
                                G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                G_PRIORITY_DEFAULT, cancellable, fetch_read_cb, task);
}

static void
fetch_sent_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  SoupMessageHeaders *headers;
  GError *error = NULL;
  guint status;

  g_clear_object (&fetch->stream);
  fetch->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (fetch->stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  status = soup_message_get_status (fetch->message);
  headers = soup_message_get_response_headers (fetch->message);

  if (SOUP_STATUS_IS_REDIRECTION (status) && status != SOUP_STATUS_NOT_MODIFIED &&
      soup_message_headers_get_one (headers, "Location") != NULL)
    {
      /* The redirect's own body is never read. */
      g_input_stream_close_async (fetch->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      if (!fetch_redirect (fetch, soup_message_headers_get_one (headers, "Location"), &error))
        {
          g_task_return_error (task, error);
          return;
        }
      fetch_hop (g_steal_pointer (&task));
      return;
    }

  /* Refused by its announced size, before reading a byte. */
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > (goffset) fetch->max_body)
    {
      g_input_stream_close_async (fetch->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      g_task_return_error (task, error_too_large (fetch->max_body));
      return;
    }

  fetch_read (g_steal_pointer (&task));
}

void
_atelier_http_fetch_async (SoupSession         *session,
                           const char          *method,
                           const char          *uri,
                           const char          *accept,
                           const char          *authorization,
                           const char          *content_type,
                           GBytes              *body,
                           gsize                max_body,
                           GCallback            wrote_body_data,
                           gpointer             wrote_data,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;
  Fetch *fetch;
  GUri *parsed;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (method != NULL && uri != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, _atelier_http_fetch_async);

  parsed = g_uri_parse (uri, SOUP_HTTP_URI_FLAGS, NULL);
  if (parsed == NULL || !_atelier_http_url_is_fetchable (uri))
    {
      g_clear_pointer (&parsed, g_uri_unref);
      g_task_return_new_error (task, ATELIER_API_ERROR, ATELIER_API_ERROR_INSECURE_URL,
                               _("The address is not https; nothing was sent."));
      g_object_unref (task);
      return;
    }

  fetch = g_new0 (Fetch, 1);
  fetch->session = g_object_ref (session);
  fetch->method = g_strdup (method);
  fetch->first = g_uri_ref (parsed);
  fetch->uri = parsed;
  fetch->accept = g_strdup (accept);
  fetch->authorization = g_strdup (authorization);
  fetch->content_type = g_strdup (content_type);
  fetch->body = body != NULL ? g_bytes_ref (body) : NULL;
  fetch->max_body = max_body;
  fetch->wrote_body_data = wrote_body_data;
  fetch->wrote_data = wrote_data;
  g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);

  fetch_hop (task);
}

GBytes *
_atelier_http_fetch_finish (GAsyncResult  *result,
                            SoupMessage  **message,
                            GError       **error)
{
  Fetch *fetch;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == _atelier_http_fetch_async, NULL);

  fetch = g_task_get_task_data (G_TASK (result));
  if (message != NULL)
    *message = fetch != NULL && fetch->message != NULL ? g_object_ref (fetch->message) : NULL;

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* }}} */

/* Appends "field: message" lines for one member of a Rails-style error
 * object: {"title": ["has already been taken"], "base": "…"}. */
static void
append_field_messages (GString    *out,
                       const char *field,
                       JsonNode   *node)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_string_append_printf (out, "%s%s: %s", out->len > 0 ? "\n" : "", field,
                              json_node_get_string (node));
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        append_field_messages (out, field, json_array_get_element (array, i));
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = NULL;

      /* fal validation errors: {"loc": ["body", "prompt"], "msg": "…"} */
      if (json_object_has_member (object, "msg"))
        {
          JsonArray *loc = _atelier_json_get_array (object, "loc");
          const char *name = field;

          if (loc != NULL && json_array_get_length (loc) > 0)
            {
              JsonNode *last = json_array_get_element (loc, json_array_get_length (loc) - 1);
              if (JSON_NODE_HOLDS_VALUE (last) && json_node_get_value_type (last) == G_TYPE_STRING)
                name = json_node_get_string (last);
            }
          append_field_messages (out, name, json_object_get_member (object, "msg"));
          return;
        }

      /* In the server's order */
      members = json_object_get_members (object);
      for (const GList *l = members; l != NULL; l = l->next)
        append_field_messages (out, l->data, json_object_get_member (object, l->data));
    }
}

/* The server's own words for an error, field by field where it gives
 * fields. NULL when the body says nothing usable. */
static char *
describe_error_body (GBytes *body)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  JsonObject *object;
  JsonNode *member;

  if (body == NULL || g_bytes_get_size (body) == 0)
    return NULL;

  root = _atelier_json_parse_bytes (body, NULL);
  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      append_field_messages (out, "base", root);
      return out->len > 0 ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
    }

  object = json_node_get_object (root);
  if ((member = json_object_get_member (object, "errors")) != NULL)
    append_field_messages (out, "base", member);
  else if ((member = json_object_get_member (object, "detail")) != NULL)
    append_field_messages (out, "base", member);
  else if ((member = json_object_get_member (object, "error")) != NULL &&
           json_object_get_size (object) == 1)
    append_field_messages (out, "base", member);
  else if ((member = json_object_get_member (object, "message")) != NULL &&
           json_object_get_size (object) == 1)
    append_field_messages (out, "base", member);
  else
    append_field_messages (out, "base", root);

  return out->len > 0 ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

/* Statuses with a fixed error; 422 and the rest are handled below. */
static const struct
{
  guint            status;
  AtelierApiError  code;
  const char      *message;
} status_errors[] = {
  { SOUP_STATUS_UNAUTHORIZED, ATELIER_API_ERROR_UNAUTHORIZED,
    N_("The API key was not accepted. Check it in Preferences.") },
  { SOUP_STATUS_FORBIDDEN, ATELIER_API_ERROR_UNAUTHORIZED,
    N_("The API key was not accepted. Check it in Preferences.") },
  { SOUP_STATUS_NOT_FOUND, ATELIER_API_ERROR_NOT_FOUND,
    N_("Not found on the server. It may have been deleted.") },
  { STATUS_TOO_MANY_REQUESTS, ATELIER_API_ERROR_RATE_LIMITED,
    N_("Too many requests. Try again in a little while.") },
  { SOUP_STATUS_GATEWAY_TIMEOUT, ATELIER_API_ERROR_GATEWAY_TIMEOUT,
    N_("The server took too long to answer. The request may still have been carried out.") },
};

GError *
_atelier_http_error_for_status (guint       status,
                                const char *reason,
                                GBytes     *body)
{
  g_autofree char *detail = describe_error_body (body);

  /* A 403 with the server's reason (a gallery pack the account may not
   * use, …): that reason, in its own words, is the message. */
  if (status == SOUP_STATUS_FORBIDDEN && detail != NULL)
    {
      g_autoptr(GString) words = g_string_new (detail);

      if (g_str_has_prefix (words->str, "base: "))
        g_string_erase (words, 0, strlen ("base: "));
      g_string_replace (words, "\nbase: ", "\n", 0);
      return g_error_new_literal (ATELIER_API_ERROR, ATELIER_API_ERROR_UNAUTHORIZED, words->str);
    }

  for (guint i = 0; i < G_N_ELEMENTS (status_errors); i++)
    {
      if (status_errors[i].status == status)
        return g_error_new_literal (ATELIER_API_ERROR, status_errors[i].code,
                                    _(status_errors[i].message));
    }

  /* One "field: message" line per field error; see
   * atelier_api_error_get_field_errors(). */
  if (status == SOUP_STATUS_UNPROCESSABLE_ENTITY)
    return g_error_new_literal (ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID,
                                detail != NULL ? detail
                                               : _("base: The server refused the request."));

  if (status >= 500)
    return g_error_new (ATELIER_API_ERROR, ATELIER_API_ERROR_SERVER,
                        _("The server had a problem (%u %s)."),
                        status, reason != NULL ? reason : "");

  return g_error_new (ATELIER_API_ERROR, ATELIER_API_ERROR_HTTP,
                      _("Unexpected answer from the server (%u %s)%s%s"),
                      status, reason != NULL ? reason : "",
                      detail != NULL ? ": " : ".", detail != NULL ? detail : "");
}

/* The documentation asks to log 422 answers with their body. Logged:
 * the method, the path (no query) and at most LOG_BODY_MAX bytes of the
 * body on one line. Never the request's headers, and should the body
 * echo the key (@key, nullable), it is blanked out. */
static void
log_invalid (SoupMessage *message,
             const char  *key,
             GBytes      *body)
{
  g_autofree char *text = NULL;
  g_autoptr(GString) line = NULL;
  gsize size = 0;
  const char *data = NULL;
  gboolean cut;

  if (body != NULL)
    data = g_bytes_get_data (body, &size);
  cut = size > LOG_BODY_MAX;
  text = g_utf8_make_valid (data != NULL ? data : "", MIN (size, LOG_BODY_MAX));
  line = g_string_new (text);

  if (key != NULL && *key != '\0')
    g_string_replace (line, key, "[key]", 0);

  for (gsize i = 0; i < line->len; i++)
    {
      if ((guchar) line->str[i] < 0x20)
        line->str[i] = ' ';
    }

  g_message ("422 from %s %s: %s%s",
             soup_message_get_method (message),
             g_uri_get_path (soup_message_get_uri (message)),
             line->str, cut ? "…" : "");
}

static guint
backoff_ms (guint base_ms,
            guint attempt)
{
  guint64 delay = base_ms;

  for (guint i = 1; i < attempt && delay < MAX_DELAY_MS; i++)
    delay *= 2;

  return (guint) MIN (delay, MAX_DELAY_MS);
}

/* Retry-After is seconds or an HTTP date. */
static guint
retry_after_ms (SoupMessage *message,
                guint        fallback_ms)
{
  const char *value;
  g_autoptr(GDateTime) date = NULL;
  guint64 seconds;
  char *end = NULL;

  value = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                        "Retry-After");
  if (value == NULL)
    return fallback_ms;

  seconds = g_ascii_strtoull (value, &end, 10);
  if (end != value && *end == '\0')
    return (guint) MIN (seconds * 1000, (guint64) MAX_DELAY_MS);

  date = soup_date_time_new_from_http_string (value);
  if (date != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      GTimeSpan span = g_date_time_difference (date, now);

      return (guint) CLAMP (span / 1000, 0, MAX_DELAY_MS);
    }

  return fallback_ms;
}

/* @message: the one whose request body is being written */
static void
report_progress (SendData    *data,
                 SoupMessage *message)
{
  goffset total;

  if (data->progress == NULL)
    return;

  total = soup_message_headers_get_content_length (soup_message_get_request_headers (message));
  /* Monotonic across retries: only report what goes further. */
  if (data->sent > data->reported || (data->sent == total && data->reported == 0))
    {
      data->reported = data->sent;
      data->progress (data->sent, total, data->progress_data);
    }
}

static void
wrote_body_data_cb (SoupMessage *message,
                    guint        chunk_size,
                    SendData    *data)
{
  data->sent += chunk_size;
  report_progress (data, message);
}

typedef struct
{
  GSource *timeout;  /* (owned) */
  GSource *cancel;   /* (owned) (nullable) */
} SleepData;

static void
sleep_data_free (SleepData *data)
{
  g_source_destroy (data->timeout);
  g_source_unref (data->timeout);
  if (data->cancel != NULL)
    {
      g_source_destroy (data->cancel);
      g_source_unref (data->cancel);
    }
  g_free (data);
}

/* Whichever source fires first ends the sleep and destroys both, which
 * drops the references they hold on the task. */
static void
sleep_end (GTask *task)
{
  SleepData *data = g_task_get_task_data (task);

  g_object_ref (task);
  if (!g_task_get_completed (task) && !g_task_return_error_if_cancelled (task))
    g_task_return_boolean (task, TRUE);
  g_source_destroy (data->timeout);
  if (data->cancel != NULL)
    g_source_destroy (data->cancel);
  g_object_unref (task);
}

static gboolean
sleep_done_cb (gpointer user_data)
{
  sleep_end (user_data);

  return G_SOURCE_REMOVE;
}

static gboolean
sleep_cancelled_cb (GCancellable *cancellable,
                    gpointer      user_data)
{
  sleep_end (user_data);

  return G_SOURCE_REMOVE;
}

void
_atelier_sleep_async (guint                delay_ms,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SleepData *data;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, _atelier_sleep_async);
  /* The result is handed over when the task is returned; the sources die
   * with the task data, whichever fired first. */
  g_task_set_check_cancellable (task, FALSE);

  data = g_new0 (SleepData, 1);
  data->timeout = g_timeout_source_new (delay_ms);
  g_source_set_name (data->timeout, "[atelier] sleep");
  g_source_set_callback (data->timeout, sleep_done_cb, g_object_ref (task), g_object_unref);
  g_source_attach (data->timeout, g_task_get_context (task));

  if (cancellable != NULL)
    {
      data->cancel = g_cancellable_source_new (cancellable);
      g_source_set_callback (data->cancel, G_SOURCE_FUNC (sleep_cancelled_cb),
                             g_object_ref (task), g_object_unref);
      g_source_attach (data->cancel, g_task_get_context (task));
    }

  g_task_set_task_data (task, data, (GDestroyNotify) sleep_data_free);
}

gboolean
_atelier_sleep_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
retry_wait_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!_atelier_sleep_finish (result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  send_attempt (g_steal_pointer (&task));
}

/* Waits @delay_ms, cancellably, then sends again. Takes @task. */
static void
schedule_retry (GTask        *task,
                guint         attempt,
                guint         delay_ms,
                const GError *reason)
{
  SendData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (data->policy.emitter != NULL)
    g_signal_emit_by_name (data->policy.emitter, "retry-scheduled",
                           attempt, delay_ms, reason, cancellable);

  _atelier_sleep_async (delay_ms, cancellable, retry_wait_cb, task);
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) api_error = NULL;
  g_autoptr(SoupMessage) message = NULL;
  guint status;

  body = _atelier_http_fetch_finish (result, &message, &error);
  if (body == NULL)
    {
      if (error->domain == ATELIER_API_ERROR)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_error (task, _atelier_http_error_for_transport (error));
      return;
    }

  status = soup_message_get_status (message);
  data->status = status;

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      /* Small bodies may be written in one go without a signal. */
      data->sent = MAX (data->sent,
                        soup_message_headers_get_content_length (soup_message_get_request_headers (message)));
      report_progress (data, message);
      g_task_return_pointer (task, g_steal_pointer (&body), (GDestroyNotify) g_bytes_unref);
      return;
    }

  api_error = _atelier_http_error_for_status (status, soup_message_get_reason_phrase (message), body);

  /* A redirect led to another server, which refused: our key (never sent
   * there) is not what was refused. */
  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    {
      g_autoptr(GUri) first = g_uri_parse (data->uri, G_URI_FLAGS_NONE, NULL);
      GUri *last = soup_message_get_uri (message);

      if (first != NULL && last != NULL && !same_origin (first, last))
        {
          g_autofree char *where = g_uri_to_string_partial (last, G_URI_HIDE_USERINFO | G_URI_HIDE_QUERY |
                                                                  G_URI_HIDE_FRAGMENT);

          g_clear_error (&api_error);
          api_error = g_error_new (ATELIER_API_ERROR, ATELIER_API_ERROR_HTTP,
                                   _("The server sent the request on to another address (%s), which refused it (%u)."),
                                   where, status);
        }
    }

  if (status == SOUP_STATUS_UNPROCESSABLE_ENTITY)
    log_invalid (message, data->endpoint->key, body);

  if (status == STATUS_TOO_MANY_REQUESTS &&
      data->rate_limit_retries < data->policy.max_rate_limit_retries)
    {
      guint delay;

      data->rate_limit_retries++;
      delay = retry_after_ms (message, backoff_ms (data->policy.rate_limit_base_ms,
                                                   data->rate_limit_retries));
      schedule_retry (g_steal_pointer (&task), data->rate_limit_retries, delay, api_error);
      return;
    }

  /* 500, 502, 503: retried with exponential backoff. 504 never: the
   * request may have been carried out; nor a POST when the policy says
   * so, for the same reason. */
  if (status >= 500 && status != SOUP_STATUS_GATEWAY_TIMEOUT &&
      !(data->policy.no_post_server_retries && g_str_equal (data->method, "POST")) &&
      data->server_retries < data->policy.max_server_retries)
    {
      data->server_retries++;
      schedule_retry (g_steal_pointer (&task), data->server_retries,
                      backoff_ms (data->policy.server_retry_base_ms, data->server_retries),
                      api_error);
      return;
    }

  g_task_return_error (task, g_steal_pointer (&api_error));
}

static void
send_attempt (GTask *task)
{
  SendData *data = g_task_get_task_data (task);
  const char *key = data->endpoint->key;
  g_autofree char *authorization = NULL;

  data->sent = 0;

  if (key != NULL)
    authorization = g_strconcat (data->endpoint->scheme, " ", key, NULL);

  _atelier_http_fetch_async (data->session, data->method, data->uri, "application/json",
                             authorization, data->content_type, data->body,
                             ATELIER_HTTP_MAX_JSON_BYTES,
                             data->progress != NULL ? G_CALLBACK (wrote_body_data_cb) : NULL, data,
                             g_task_get_cancellable (task), send_cb, task);

  if (authorization != NULL)
    memset (authorization, 0, strlen (authorization));
}

void
_atelier_http_send_async (AtelierHttpEndpoint     *endpoint,
                          const char              *method,
                          const char              *uri,
                          const char              *content_type,
                          GBytes                  *body,
                          AtelierProgressFunc      progress,
                          gpointer                 progress_data,
                          GCancellable            *cancellable,
                          GAsyncReadyCallback      callback,
                          gpointer                 user_data)
{
  GTask *task;
  SendData *data;

  g_return_if_fail (endpoint != NULL && SOUP_IS_SESSION (endpoint->session));
  g_return_if_fail (method != NULL && uri != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, _atelier_http_send_async);

  data = g_new0 (SendData, 1);
  data->endpoint = endpoint;
  data->session = g_object_ref (endpoint->session);
  data->policy = endpoint->policy;
  data->method = g_strdup (method);
  data->uri = g_strdup (uri);
  data->content_type = g_strdup (content_type);
  data->body = body != NULL ? g_bytes_ref (body) : NULL;
  data->progress = progress;
  data->progress_data = progress_data;
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  send_attempt (task);
}

GBytes *
_atelier_http_send_finish (GAsyncResult  *result,
                           guint         *status,
                           GError       **error)
{
  SendData *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == _atelier_http_send_async, NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (status != NULL)
    *status = data->status;

  return g_task_propagate_pointer (G_TASK (result), error);
}
