/* atelier-sandbox-call.c: one request, from routing to its answer
 *
 * Each message the server handles becomes an AtelierSandboxCall. A call is
 * answered exactly once, through the reply functions here: within the
 * handler, or later (after a worker or a delay) when it was paused. API
 * calls are routed here too: the path is matched against the Astria and fal
 * route tables, the body is checked, the route's ":id"s are looked up and
 * its handler runs, all under the server's lock.
 *
 * Access is decided here as well, before any of that and before the body
 * is read: see _atelier_sandbox_check_access() and the header.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atelier-sandbox-server-private.h"

#define MAX_ROUTE_ARGS 2

/* Life of a call */

AtelierSandboxCall *
_atelier_sandbox_call_new (AtelierSandboxServer *self,
                           SoupServerMessage    *msg)
{
  AtelierSandboxCall *call = g_new0 (AtelierSandboxCall, 1);

  call->self = self;
  call->msg = g_object_ref (msg);

  g_mutex_lock (&self->lock);
  call->base_url = g_strdup_printf ("http://127.0.0.1:%u", self->port);
  g_mutex_unlock (&self->lock);

  return call;
}

void
_atelier_sandbox_call_free (AtelierSandboxCall *call)
{
  AtelierSandboxServer *self = call->self;

  self->paused_calls = g_list_remove (self->paused_calls, call);
  g_clear_signal_handler (&call->disconnected_id, call->msg);
  if (call->source != NULL)
    {
      g_source_destroy (call->source);
      g_clear_pointer (&call->source, g_source_unref);
    }
  g_clear_object (&call->msg);
  g_clear_pointer (&call->request, atelier_sandbox_request_unref);
  g_clear_pointer (&call->fault, _atelier_sandbox_fault_entry_free);
  g_free (call->base_url);
  g_free (call);
}

static void
call_disconnected_cb (SoupServerMessage  *msg,
                      AtelierSandboxCall *call)
{
  call->gone = TRUE;
}

void
_atelier_sandbox_call_pause (AtelierSandboxCall *call)
{
  soup_server_message_pause (call->msg);
  call->paused = TRUE;
  call->disconnected_id = g_signal_connect (call->msg, "disconnected",
                                            G_CALLBACK (call_disconnected_cb), call);
  call->self->paused_calls = g_list_prepend (call->self->paused_calls, call);
}

/* Answers */

GBytes *
_atelier_sandbox_error_body (const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  return _atelier_json_to_bytes (node);
}

void
_atelier_sandbox_call_reply_full (AtelierSandboxCall *call,
                                  guint               status,
                                  const char         *content_type,
                                  GBytes             *body,
                                  const char         *cache_control)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (call->msg);

  if (_atelier_sandbox_call_apply_answer_fault (call, &status, &body, &content_type))
    {
      /* Done, but the connection drops instead of the answer. */
      g_clear_pointer (&body, g_bytes_unref);
      return;
    }

  soup_server_message_set_status (call->msg, status, NULL);
  soup_message_headers_replace (headers, "Cache-Control", cache_control ? cache_control : "no-store");

  if (body != NULL)
    {
      gsize size = 0;
      gconstpointer data = g_bytes_get_data (body, &size);

      soup_server_message_set_response (call->msg, content_type, SOUP_MEMORY_COPY, data, size);
      g_bytes_unref (body);
    }

  call->replied = TRUE;

  if (!call->in_handler)
    {
      if (call->paused && !call->gone)
        soup_server_message_unpause (call->msg);
      _atelier_sandbox_call_free (call);
    }
}

void
_atelier_sandbox_call_reply_json (AtelierSandboxCall *call,
                                  guint               status,
                                  JsonNode           *node)
{
  g_autoptr(JsonNode) owned = node;

  _atelier_sandbox_call_reply_full (call, status, ATELIER_SANDBOX_JSON_TYPE,
                                    _atelier_json_to_bytes (owned), NULL);
}

void
_atelier_sandbox_call_reply_object (AtelierSandboxCall *call,
                                    guint               status,
                                    JsonObject         *object)
{
  _atelier_sandbox_call_reply_json (call, status, json_node_init_object (json_node_alloc (), object));
}

void
_atelier_sandbox_call_reply_error (AtelierSandboxCall *call,
                                   guint               status,
                                   const char         *message)
{
  _atelier_sandbox_call_reply_full (call, status, ATELIER_SANDBOX_JSON_TYPE,
                                    _atelier_sandbox_error_body (message), NULL);
}

void
_atelier_sandbox_call_reply_empty (AtelierSandboxCall *call,
                                   guint               status)
{
  _atelier_sandbox_call_reply_full (call, status, NULL, NULL, NULL);
}

void
_atelier_sandbox_call_reply_message (AtelierSandboxCall *call,
                                     const char         *key,
                                     const char         *message,
                                     guint               status)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, key, message);
  _atelier_sandbox_call_reply_object (call, status, object);
}

void
_atelier_sandbox_call_reply_not_found (AtelierSandboxCall *call)
{
  _atelier_sandbox_call_reply_error (call, SOUP_STATUS_NOT_FOUND, "Not found");
}

/* With @allowed, the methods the path takes, as an Allow header. */
void
_atelier_sandbox_call_reply_not_allowed (AtelierSandboxCall *call,
                                         const char         *allowed)
{
  if (allowed != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (call->msg), "Allow", allowed);

  _atelier_sandbox_call_reply_error (call, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method not allowed");
}

void
_atelier_sandbox_call_reply_errors (AtelierSandboxCall *call,
                                    JsonObject         *errors)
{
  _atelier_sandbox_call_reply_object (call, SOUP_STATUS_UNPROCESSABLE_ENTITY, errors);
}

void
_atelier_sandbox_call_reply_field_error (AtelierSandboxCall *call,
                                         const char         *field,
                                         const char         *message)
{
  g_autoptr(JsonObject) errors = json_object_new ();

  _atelier_sandbox_errors_add (errors, field, message);
  _atelier_sandbox_call_reply_errors (call, errors);
}

/* Reading the request */

guint
_atelier_sandbox_call_get_offset (AtelierSandboxCall *call)
{
  const char *text = _atelier_sandbox_request_get_query_value (call->request, "offset");
  guint64 offset = 0;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, &offset, NULL))
    return 0;

  return (guint) offset;
}

JsonObject *
_atelier_sandbox_call_require_object (AtelierSandboxCall *call,
                                      const char         *name)
{
  JsonObject *object = _atelier_sandbox_params_get_object (_atelier_sandbox_request_get_params (call->request), name);
  g_autofree char *message = NULL;

  if (object != NULL)
    return object;

  message = g_strdup_printf ("param is missing or the value is empty: %s", name);
  _atelier_sandbox_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, message);

  return NULL;
}

gboolean
_atelier_sandbox_call_check_body (AtelierSandboxCall *call)
{
  switch (call->body_status)
    {
    case ATELIER_SANDBOX_BODY_OK:
      return TRUE;

    case ATELIER_SANDBOX_BODY_MALFORMED_JSON:
      _atelier_sandbox_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, "Malformed JSON");
      return FALSE;

    case ATELIER_SANDBOX_BODY_TOO_DEEP:
      _atelier_sandbox_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, "JSON nested too deeply");
      return FALSE;

    case ATELIER_SANDBOX_BODY_MALFORMED_FORM:
    default:
      _atelier_sandbox_call_reply_error (call, SOUP_STATUS_BAD_REQUEST, "Malformed form data");
      return FALSE;
    }
}

gboolean
_atelier_sandbox_parse_id (const char *text,
                           gint64     *id)
{
  return g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, id, NULL);
}

/* Routing */

/* Matches @segments against @route's pattern, filling @args with the ":id"
 * parts. */
static gboolean
route_matches (const AtelierSandboxRoute  *route,
               char                      **segments,
               char                      **args)
{
  g_auto(GStrv) pattern = g_strsplit (route->pattern + 1, "/", -1);
  guint n_args = 0;
  guint i;

  for (i = 0; pattern[i] != NULL && segments[i] != NULL; i++)
    {
      if (pattern[i][0] == ':')
        {
          if (n_args == MAX_ROUTE_ARGS)
            return FALSE;
          args[n_args++] = segments[i];
        }
      else if (!g_str_equal (pattern[i], segments[i]))
        {
          return FALSE;
        }
    }

  return pattern[i] == NULL && segments[i] == NULL;
}

/* "/tunes/12.json/" → {"tunes", "12"} */
static GStrv
split_path (const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GStrv segments;
  guint n;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] != '\0')
        g_strv_builder_add (builder, parts[i]);
    }

  segments = g_strv_builder_end (builder);
  n = g_strv_length (segments);
  if (n > 0 && g_str_has_suffix (segments[n - 1], ".json"))
    segments[n - 1][strlen (segments[n - 1]) - strlen (".json")] = '\0';

  return segments;
}

/* The first route for @segments and @method, or NULL; @allowed collects
 * the methods of the routes with the path but another method. */
static const AtelierSandboxRoute *
find_route (char       **segments,
            const char  *method,
            char       **args,
            GString     *allowed)
{
  typedef const AtelierSandboxRoute *(*RoutesFunc) (guint *n_routes);
  static const RoutesFunc tables[] = { _atelier_sandbox_get_astria_routes, _atelier_sandbox_get_fal_routes };

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      guint n_routes = 0;
      const AtelierSandboxRoute *routes = tables[t] (&n_routes);

      for (guint i = 0; i < n_routes; i++)
        {
          memset (args, 0, sizeof (char *) * MAX_ROUTE_ARGS);
          if (!route_matches (&routes[i], segments, args))
            continue;

          if (g_str_equal (routes[i].method, method))
            return &routes[i];

          g_string_append_printf (allowed, "%s%s", allowed->len ? ", " : "", routes[i].method);
        }
    }

  return NULL;
}

/* Access */

#define IMAGES_PREFIX    "/sandbox/images/"
#define CONTROLS_PREFIX  "/__sandbox/"

/* The scheme the route of @path takes whatever the method: fal's "Key"
 * under /fal-ai/, Astria's "Bearer" elsewhere. */
static AtelierSandboxAuth
auth_for_path (const char *path)
{
  g_auto(GStrv) segments = split_path (path);
  g_autoptr(GString) allowed = g_string_new (NULL);
  char *args[MAX_ROUTE_ARGS + 1] = { NULL, };
  const AtelierSandboxRoute *route;
  static const char * const methods[] = { "GET", "POST", "PUT", "DELETE" };

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      route = find_route (segments, methods[i], args, allowed);
      if (route != NULL)
        return route->auth;
    }

  return g_str_has_prefix (path, "/fal-ai/") ? ATELIER_SANDBOX_AUTH_KEY : ATELIER_SANDBOX_AUTH_BEARER;
}

/* Compares in a time that does not depend on where they differ. */
gboolean
_atelier_sandbox_secret_equal (const char *a,
                               const char *b)
{
  gsize a_len = strlen (a);
  gsize b_len = strlen (b);
  guchar diff = a_len != b_len;

  for (gsize i = 0; i < a_len; i++)
    diff |= (guchar) a[i] ^ (guchar) (b_len > 0 ? b[i % b_len] : 0);

  return diff == 0;
}

/* Whether @header is "@scheme KEY" with the server's key (or any
 * non-empty key when the server has none). With the lock held. */
static gboolean
key_matches_locked (AtelierSandboxServer *self,
                    const char           *header,
                    const char           *scheme)
{
  gsize scheme_len = strlen (scheme);
  const char *key;
  const char *end;
  g_autofree char *copy = NULL;
  gboolean matches;

  if (header == NULL || g_ascii_strncasecmp (header, scheme, scheme_len) != 0 || header[scheme_len] != ' ')
    return FALSE;

  key = header + scheme_len;
  while (*key == ' ' || *key == '\t')
    key++;
  end = key + strlen (key);
  while (end > key && (end[-1] == ' ' || end[-1] == '\t'))
    end--;
  if (end == key)
    return FALSE;

  if (self->api_key == NULL)
    return TRUE;

  copy = g_strndup (key, end - key);
  matches = _atelier_sandbox_secret_equal (copy, self->api_key);
  memset (copy, 0, end - key);

  return matches;
}

/* "127.0.0.1:PORT" or "localhost:PORT" (the port may be left out only
 * when it is 80): names a DNS rebinding cannot give. */
static gboolean
host_is_own (const char *host,
             guint       port)
{
  g_autofree char *with_port = NULL;
  const char *names[] = { "127.0.0.1", "localhost" };

  if (host == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_free (with_port);
      with_port = g_strdup_printf ("%s:%u", names[i], port);
      if (g_ascii_strcasecmp (host, with_port) == 0 ||
          (port == 80 && g_ascii_strcasecmp (host, names[i]) == 0))
        return TRUE;
    }

  return FALSE;
}

void
_atelier_sandbox_check_access (AtelierSandboxServer  *self,
                               SoupServerMessage     *msg,
                               AtelierSandboxVerdict *verdict)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  /* All Host headers joined: two of them never name this server. */
  const char *host = soup_message_headers_get_list (headers, "Host");
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = NULL;
  AtelierSandboxAuth auth;

  memset (verdict, 0, sizeof *verdict);

  locker = g_mutex_locker_new (&self->lock);

  if (!host_is_own (host, self->port))
    {
      verdict->status = SOUP_STATUS_MISDIRECTED_REQUEST;
      verdict->message = "Misdirected request: the Host header must name this server (127.0.0.1:PORT)";
      return;
    }

  if (soup_message_headers_get_one (headers, "Origin") != NULL)
    {
      verdict->status = SOUP_STATUS_FORBIDDEN;
      verdict->message = "Forbidden: requests from web pages (with an Origin header) are refused";
      return;
    }

  if (g_str_has_prefix (path, IMAGES_PREFIX))
    return;

  if (g_str_has_prefix (path, CONTROLS_PREFIX) || g_str_equal (path, "/__sandbox"))
    {
      if (!self->test_controls)
        {
          verdict->status = SOUP_STATUS_NOT_FOUND;
          verdict->message = "Not found";
          return;
        }

      /* Either scheme: curl users copy whichever they have. */
      if (key_matches_locked (self, authorization, "Bearer") || key_matches_locked (self, authorization, "Key"))
        return;

      verdict->status = SOUP_STATUS_UNAUTHORIZED;
      verdict->message = "Unauthorized";
      verdict->challenge = "Bearer";
      return;
    }

  auth = auth_for_path (path);
  if (key_matches_locked (self, authorization, auth == ATELIER_SANDBOX_AUTH_KEY ? "Key" : "Bearer"))
    return;

  verdict->status = SOUP_STATUS_UNAUTHORIZED;
  verdict->message = "Unauthorized";
  verdict->challenge = auth == ATELIER_SANDBOX_AUTH_KEY ? "Key" : "Bearer";
}

void
_atelier_sandbox_call_refuse (AtelierSandboxCall          *call,
                              const AtelierSandboxVerdict *verdict)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (call->msg);

  if (verdict->challenge != NULL)
    soup_message_headers_replace (headers, "WWW-Authenticate", verdict->challenge);

  _atelier_sandbox_call_reply_error (call, verdict->status, verdict->message);
}

void
_atelier_sandbox_call_route (AtelierSandboxCall *call)
{
  AtelierSandboxServer *self = call->self;
  const char *method = atelier_sandbox_request_get_method (call->request);
  g_auto(GStrv) segments = split_path (atelier_sandbox_request_get_path (call->request));
  g_autoptr(GString) allowed = g_string_new (NULL);
  g_autoptr(GMutexLocker) locker = NULL;
  char *args[MAX_ROUTE_ARGS + 1] = { NULL, };
  const AtelierSandboxRoute *route;
  gpointer target = NULL;

  if (g_str_equal (method, "HEAD"))
    method = "GET";

  route = find_route (segments, method, args, allowed);
  if (route == NULL)
    {
      if (allowed->len > 0)
        _atelier_sandbox_call_reply_not_allowed (call, allowed->str);
      else
        _atelier_sandbox_call_reply_not_found (call);
      return;
    }

  /* The call may be freed by its answer: only self is used from here. */
  locker = g_mutex_locker_new (&self->lock);

  if (!_atelier_sandbox_call_check_body (call))
    return;

  if (route->lookup != NULL && (target = route->lookup (call, args)) == NULL)
    return;

  route->func (call, target, route->flag);
}
