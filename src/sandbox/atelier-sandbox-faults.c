/* atelier-sandbox-faults.c: faults, the misbehaviours tests ask for
 *
 * Faults are added with atelier_sandbox_server_add_fault() (or POST
 * /__sandbox/faults) and hit the API calls whose method and path prefix
 * match, in the order added, each as many times as asked. A fault may delay
 * a call, answer in its place (a status, a body that is not JSON, JSON
 * nested too deeply — plainly, or behind a single-quoted quote or a
 * comment that fools a naive bracket count —, a proxy's HTML error page,
 * a redirect to another host, a 200 MB body or one that never ends, both
 * streamed chunk by chunk so that the server never holds them), drop the
 * connection, never answer, or change the normal answer (cut it in half,
 * label it text/html, send it empty, send half of it and close the
 * connection, or 504 after doing the work, or drop the connection after
 * doing the work: the server made the tune and the client never hears of
 * it).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atelier-sandbox-server-private.h"

#define DEEP_JSON_DEPTH   100000
#define NOT_JSON_BODY     "<html>Bad gateway</html>"
#define HTML_ERROR_BODY \
  "<!DOCTYPE html>\r\n<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n" \
  "<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n" \
  "</body>\r\n</html>\r\n"
/* Streamed bodies go out in chunks of this size, never held whole. */
#define STREAM_CHUNK      (64 * 1024)
#define HUGE_BODY_BYTES   ((goffset) 200 * 1000 * 1000)
/* What RESET_MID_BODY sends half of when the real answer has no body. */
#define RESET_FILLER      "{\"status\": \"ok\", \"note\": \"this answer is cut in the middle\"}"
#define REDIRECT_HOST     "127.0.0.2"

struct _AtelierSandboxFaultEntry
{
  AtelierSandboxFault fault;   /* strings owned */
  guint               remaining;
};

void
_atelier_sandbox_fault_entry_free (gpointer data)
{
  AtelierSandboxFaultEntry *entry = data;

  g_free ((char *) entry->fault.method);
  g_free ((char *) entry->fault.path);
  g_free ((char *) entry->fault.body);
  g_free (entry);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtelierSandboxFaultEntry, _atelier_sandbox_fault_entry_free)

static AtelierSandboxFaultEntry *
fault_entry_new (const AtelierSandboxFault *fault)
{
  AtelierSandboxFaultEntry *entry = g_new0 (AtelierSandboxFaultEntry, 1);

  entry->fault = *fault;
  entry->fault.method = g_strdup (fault->method);
  entry->fault.path = g_strdup (fault->path);
  entry->fault.body = g_strdup (fault->body);
  entry->remaining = fault->times;

  return entry;
}

/* Returns a copy of the first fault matching, using one of its hits. */
static AtelierSandboxFaultEntry *
match_fault (AtelierSandboxServer *self,
             const char           *method,
             const char           *path)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  for (guint i = 0; i < self->faults->len; i++)
    {
      AtelierSandboxFaultEntry *entry = g_ptr_array_index (self->faults, i);
      AtelierSandboxFaultEntry *copy;

      if (entry->fault.method != NULL && g_ascii_strcasecmp (entry->fault.method, method) != 0)
        continue;
      if (entry->fault.path != NULL && !g_str_has_prefix (path, entry->fault.path))
        continue;

      copy = fault_entry_new (&entry->fault);
      if (entry->fault.times > 0 && --entry->remaining == 0)
        g_ptr_array_remove_index (self->faults, i);

      return copy;
    }

  return NULL;
}

static gboolean drop_cb (gpointer user_data);
static void     call_attach_source (AtelierSandboxCall *call,
                                    GSource            *source,
                                    GSourceFunc         func);

/* RESET_MID_BODY: once the first half is out, the connection closes. */
static void
reset_wrote_chunk_cb (SoupServerMessage  *msg,
                      AtelierSandboxCall *call)
{
  g_signal_handlers_disconnect_by_func (msg, reset_wrote_chunk_cb, call);

  if (call->source == NULL)
    call_attach_source (call, g_idle_source_new (), drop_cb);
}

/* Runs once the handler has paused the call: lets the half body go. */
static gboolean
reset_unpause_cb (gpointer user_data)
{
  AtelierSandboxCall *call = user_data;

  g_clear_pointer (&call->source, g_source_unref);

  if (call->gone)
    {
      _atelier_sandbox_call_free (call);
      return G_SOURCE_REMOVE;
    }

  g_signal_connect (call->msg, "wrote-chunk", G_CALLBACK (reset_wrote_chunk_cb), call);
  soup_server_message_unpause (call->msg);

  return G_SOURCE_REMOVE;
}

/* Sets up the answer with @body's full length announced and only its
 * first half given: the message waits for the rest, which never comes. */
static void
reset_mid_body (AtelierSandboxCall *call,
                guint               status,
                GBytes             *body,
                const char         *content_type)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (call->msg);
  gsize size = body != NULL ? g_bytes_get_size (body) : 0;
  g_autoptr(GBytes) full = NULL;
  g_autoptr(GBytes) half = NULL;

  if (size < 2)
    {
      full = g_bytes_new_static (RESET_FILLER, strlen (RESET_FILLER));
      content_type = ATELIER_SANDBOX_JSON_TYPE;
    }
  else
    {
      full = g_bytes_ref (body);
    }
  /* A 204 has no body to cut. */
  if (status == SOUP_STATUS_NO_CONTENT || status < 200)
    status = SOUP_STATUS_OK;
  size = g_bytes_get_size (full);
  half = g_bytes_new_from_bytes (full, 0, size / 2);

  soup_server_message_set_status (call->msg, status, NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Content-Type", content_type != NULL ? content_type
                                                                                : ATELIER_SANDBOX_JSON_TYPE);
  soup_message_headers_set_content_length (headers, size);
  soup_message_body_append_bytes (soup_server_message_get_response_body (call->msg), half);

  g_assert (call->source == NULL);
  call_attach_source (call, g_idle_source_new (), reset_unpause_cb);
}

gboolean
_atelier_sandbox_call_apply_answer_fault (AtelierSandboxCall  *call,
                                          guint               *status,
                                          GBytes             **body,
                                          const char         **content_type)
{
  g_autoptr(AtelierSandboxFaultEntry) fault = g_steal_pointer (&call->fault);

  if (fault == NULL)
    return FALSE;

  if (fault->fault.kind == ATELIER_SANDBOX_FAULT_CREATE_THEN_DROP)
    {
      /* The work is done (and saved); the answer never leaves. Within the
       * handler the call is paused when it returns unanswered; the drop
       * comes after that, on the server's thread. */
      g_assert (call->source == NULL);
      call_attach_source (call, g_idle_source_new (), drop_cb);
      return TRUE;
    }

  if (fault->fault.kind == ATELIER_SANDBOX_FAULT_RESET_MID_BODY)
    {
      /* The work is done; half the answer leaves, then the connection
       * closes. Paused like a drop, see above. */
      reset_mid_body (call, *status, *body, *content_type);
      return TRUE;
    }

  if (fault->fault.kind == ATELIER_SANDBOX_FAULT_TRUNCATED_JSON && *body != NULL)
    {
      GBytes *half = g_bytes_new_from_bytes (*body, 0, g_bytes_get_size (*body) / 2);

      g_bytes_unref (*body);
      *body = half;
    }
  else if (fault->fault.kind == ATELIER_SANDBOX_FAULT_CREATE_THEN_504)
    {
      g_clear_pointer (body, g_bytes_unref);
      *body = _atelier_sandbox_error_body ("Gateway timeout");
      *status = SOUP_STATUS_GATEWAY_TIMEOUT;
      *content_type = "application/json";
    }
  else if (fault->fault.kind == ATELIER_SANDBOX_FAULT_WRONG_CONTENT_TYPE && *body != NULL)
    {
      *content_type = "text/html; charset=utf-8";
    }
  else if (fault->fault.kind == ATELIER_SANDBOX_FAULT_EMPTY_BODY)
    {
      g_clear_pointer (body, g_bytes_unref);
      *status = fault->fault.status ? fault->fault.status : SOUP_STATUS_OK;
    }

  return FALSE;
}

/* Answers in the call's place */

static gboolean
drop_cb (gpointer user_data)
{
  AtelierSandboxCall *call = user_data;
  GIOStream *stream = NULL;

  g_clear_pointer (&call->source, g_source_unref);

  if (!call->gone)
    stream = soup_server_message_steal_connection (call->msg);
  if (stream != NULL)
    {
      g_io_stream_close (stream, NULL, NULL);
      g_object_unref (stream);
    }

  _atelier_sandbox_call_free (call);

  return G_SOURCE_REMOVE;
}

/* The call waits for @func on the server thread. */
static void
call_attach_source (AtelierSandboxCall *call,
                    GSource            *source,
                    GSourceFunc         func)
{
  call->source = source;
  g_source_set_callback (call->source, func, call, NULL);
  g_source_attach (call->source, call->self->context);
}

static GBytes *
deep_json_body (void)
{
  char *text = g_malloc (2 * DEEP_JSON_DEPTH);

  memset (text, '[', DEEP_JSON_DEPTH);
  memset (text + DEEP_JSON_DEPTH, ']', DEEP_JSON_DEPTH);

  return g_bytes_new_take (text, 2 * DEEP_JSON_DEPTH);
}

/* ['"', then @depth open brackets and as many closing ones, then ]:
 * valid for json-glib, which takes single-quoted strings, while a count
 * that skips double-quoted strings sees one string running to the end. */
static GBytes *
quoted_deep_json_body (void)
{
  static const char prefix[] = "['\"', ";
  gsize prefix_len = strlen (prefix);
  gsize size = prefix_len + 2 * DEEP_JSON_DEPTH + 1;
  char *text = g_malloc (size);

  memcpy (text, prefix, prefix_len);
  memset (text + prefix_len, '[', DEEP_JSON_DEPTH);
  memset (text + prefix_len + DEEP_JSON_DEPTH, ']', DEEP_JSON_DEPTH);
  text[size - 1] = ']';

  return g_bytes_new_take (text, size);
}

/* A comment holding a quote, then the deep nesting. */
static GBytes *
commented_deep_json_body (void)
{
  static const char prefix[] = "/*\"*/";
  gsize prefix_len = strlen (prefix);
  gsize size = prefix_len + 2 * DEEP_JSON_DEPTH;
  char *text = g_malloc (size);

  memcpy (text, prefix, prefix_len);
  memset (text + prefix_len, '[', DEEP_JSON_DEPTH);
  memset (text + prefix_len + DEEP_JSON_DEPTH, ']', DEEP_JSON_DEPTH);

  return g_bytes_new_take (text, size);
}

static void
set_retry_after (AtelierSandboxCall             *call,
                 const AtelierSandboxFaultEntry *entry)
{
  g_autofree char *seconds = NULL;

  if (entry->fault.retry_after_s == 0)
    return;

  seconds = g_strdup_printf ("%u", entry->fault.retry_after_s);
  soup_message_headers_replace (soup_server_message_get_response_headers (call->msg), "Retry-After", seconds);
}

/* Streamed bodies: each chunk is added once the one before it is
 * written, and nothing is kept once written. */
typedef struct
{
  goffset remaining;   /* bytes still to add; -1: endless */
} BodyStream;

static const char *
stream_filler (gboolean endless)
{
  static char spaces[STREAM_CHUNK];
  static char items[STREAM_CHUNK];
  static gsize ready;

  if (g_once_init_enter (&ready))
    {
      static const char item[] = "{\"id\": 1}, ";
      gsize item_len = strlen (item);

      memset (spaces, ' ', sizeof spaces);
      for (gsize i = 0; i < sizeof items; i++)
        items[i] = item[i % item_len];
      /* Whole items only, the last one padded with spaces. */
      memset (items + (sizeof items / item_len) * item_len, ' ', sizeof items % item_len);
      g_once_init_leave (&ready, 1);
    }

  return endless ? items : spaces;
}

static void
stream_add_next (SoupMessageBody *body,
                 BodyStream      *stream)
{
  gsize size;

  if (stream->remaining < 0)
    {
      soup_message_body_append_bytes (body, g_bytes_new_static (stream_filler (TRUE), STREAM_CHUNK));
      return;
    }

  if (stream->remaining == 0)
    {
      soup_message_body_complete (body);
      return;
    }

  /* [ + spaces + ]: the last chunk ends the array. */
  size = (gsize) MIN (stream->remaining, STREAM_CHUNK);
  stream->remaining -= size;
  if (stream->remaining > 0)
    {
      soup_message_body_append_bytes (body, g_bytes_new_static (stream_filler (FALSE), size));
    }
  else
    {
      if (size > 1)
        soup_message_body_append_bytes (body, g_bytes_new_static (stream_filler (FALSE), size - 1));
      soup_message_body_append (body, SOUP_MEMORY_STATIC, "]", 1);
    }
}

static void
stream_wrote_chunk_cb (SoupServerMessage *msg,
                       BodyStream        *stream)
{
  stream_add_next (soup_server_message_get_response_body (msg), stream);
}

static void
reply_streamed (AtelierSandboxCall             *call,
                const AtelierSandboxFaultEntry *entry)
{
  gboolean endless = entry->fault.kind == ATELIER_SANDBOX_FAULT_ENDLESS_BODY;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (call->msg);
  SoupMessageBody *body = soup_server_message_get_response_body (call->msg);
  BodyStream *stream = g_new0 (BodyStream, 1);

  soup_message_headers_replace (headers, "Content-Type", ATELIER_SANDBOX_JSON_TYPE);
  if (endless)
    {
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      stream->remaining = -1;
    }
  else
    {
      soup_message_headers_set_content_length (headers, HUGE_BODY_BYTES);
      stream->remaining = HUGE_BODY_BYTES - 1;
    }

  soup_message_body_set_accumulate (body, FALSE);
  soup_message_body_append (body, SOUP_MEMORY_STATIC, "[", 1);
  g_signal_connect_data (call->msg, "wrote-chunk", G_CALLBACK (stream_wrote_chunk_cb),
                         stream, (GClosureNotify) G_CALLBACK (g_free), 0);

  /* No body here: the one set up above stays. */
  _atelier_sandbox_call_reply_full (call, entry->fault.status ? entry->fault.status : SOUP_STATUS_OK,
                                    NULL, NULL, NULL);
}

static void
reply_redirect (AtelierSandboxCall             *call,
                const AtelierSandboxFaultEntry *entry)
{
  g_autofree char *location = NULL;

  if (entry->fault.body != NULL)
    {
      location = g_strdup (entry->fault.body);
    }
  else
    {
      GUri *uri = soup_server_message_get_uri (call->msg);
      g_autoptr(GUri) elsewhere = g_uri_build (G_URI_FLAGS_ENCODED, "http", NULL, REDIRECT_HOST,
                                               g_uri_get_port (uri), g_uri_get_path (uri),
                                               g_uri_get_query (uri), NULL);

      location = g_uri_to_string (elsewhere);
    }

  set_retry_after (call, entry);
  soup_message_headers_replace (soup_server_message_get_response_headers (call->msg), "Location", location);
  _atelier_sandbox_call_reply_full (call, entry->fault.status ? entry->fault.status : SOUP_STATUS_FOUND,
                                    NULL, NULL, NULL);
}

static void
reply_status_fault (AtelierSandboxCall             *call,
                    const AtelierSandboxFaultEntry *entry)
{
  g_autofree char *message = g_strdup_printf ("Sandbox fault %u", entry->fault.status);
  GBytes *body;

  set_retry_after (call, entry);

  if (entry->fault.body != NULL)
    body = g_bytes_new (entry->fault.body, strlen (entry->fault.body));
  else
    body = _atelier_sandbox_error_body (message);

  _atelier_sandbox_call_reply_full (call, entry->fault.status ? entry->fault.status : SOUP_STATUS_INTERNAL_SERVER_ERROR,
                                    ATELIER_SANDBOX_JSON_TYPE, body, NULL);
}

/* After the fault's delay, if any: answers in the call's place or lets it
 * be routed. */
static void
call_dispatch_now (AtelierSandboxCall *call)
{
  g_autoptr(AtelierSandboxFaultEntry) entry = NULL;

  if (call->fault != NULL)
    {
      switch (call->fault->fault.kind)
        {
        case ATELIER_SANDBOX_FAULT_STATUS:
          entry = g_steal_pointer (&call->fault);
          reply_status_fault (call, entry);
          return;

        case ATELIER_SANDBOX_FAULT_INVALID_JSON:
          g_clear_pointer (&call->fault, _atelier_sandbox_fault_entry_free);
          _atelier_sandbox_call_reply_full (call, SOUP_STATUS_OK, "application/json",
                                            g_bytes_new_static (NOT_JSON_BODY, strlen (NOT_JSON_BODY)), NULL);
          return;

        case ATELIER_SANDBOX_FAULT_DEEP_JSON:
          g_clear_pointer (&call->fault, _atelier_sandbox_fault_entry_free);
          _atelier_sandbox_call_reply_full (call, SOUP_STATUS_OK, "application/json", deep_json_body (), NULL);
          return;

        case ATELIER_SANDBOX_FAULT_QUOTED_DEEP_JSON:
          g_clear_pointer (&call->fault, _atelier_sandbox_fault_entry_free);
          _atelier_sandbox_call_reply_full (call, SOUP_STATUS_OK, "application/json", quoted_deep_json_body (), NULL);
          return;

        case ATELIER_SANDBOX_FAULT_COMMENTED_DEEP_JSON:
          g_clear_pointer (&call->fault, _atelier_sandbox_fault_entry_free);
          _atelier_sandbox_call_reply_full (call, SOUP_STATUS_OK, "application/json", commented_deep_json_body (), NULL);
          return;

        case ATELIER_SANDBOX_FAULT_HTML_ERROR:
          entry = g_steal_pointer (&call->fault);
          set_retry_after (call, entry);
          _atelier_sandbox_call_reply_full (call, entry->fault.status ? entry->fault.status : SOUP_STATUS_BAD_GATEWAY,
                                            "text/html", g_bytes_new_static (HTML_ERROR_BODY, strlen (HTML_ERROR_BODY)),
                                            NULL);
          return;

        case ATELIER_SANDBOX_FAULT_HUGE_BODY:
        case ATELIER_SANDBOX_FAULT_ENDLESS_BODY:
          entry = g_steal_pointer (&call->fault);
          reply_streamed (call, entry);
          return;

        case ATELIER_SANDBOX_FAULT_REDIRECT:
          entry = g_steal_pointer (&call->fault);
          reply_redirect (call, entry);
          return;

        case ATELIER_SANDBOX_FAULT_DROP:
          call_attach_source (call, g_idle_source_new (), drop_cb);
          return;

        case ATELIER_SANDBOX_FAULT_HANG:
          return;

        case ATELIER_SANDBOX_FAULT_DELAY:
          g_clear_pointer (&call->fault, _atelier_sandbox_fault_entry_free);
          break;

        case ATELIER_SANDBOX_FAULT_TRUNCATED_JSON:
        case ATELIER_SANDBOX_FAULT_CREATE_THEN_504:
        case ATELIER_SANDBOX_FAULT_CREATE_THEN_DROP:
        case ATELIER_SANDBOX_FAULT_WRONG_CONTENT_TYPE:
        case ATELIER_SANDBOX_FAULT_EMPTY_BODY:
        case ATELIER_SANDBOX_FAULT_RESET_MID_BODY:
        default:
          break;
        }
    }

  _atelier_sandbox_call_route (call);
}

static gboolean
delay_done_cb (gpointer user_data)
{
  AtelierSandboxCall *call = user_data;

  g_clear_pointer (&call->source, g_source_unref);

  if (call->gone)
    {
      _atelier_sandbox_call_free (call);
      return G_SOURCE_REMOVE;
    }

  call_dispatch_now (call);

  /* Answered or handed over (to a worker or a drop); a hang stays paused. */
  return G_SOURCE_REMOVE;
}

void
_atelier_sandbox_call_dispatch (AtelierSandboxCall *call)
{
  call->fault = match_fault (call->self, atelier_sandbox_request_get_method (call->request),
                             atelier_sandbox_request_get_path (call->request));

  if (call->fault != NULL && call->fault->fault.delay_ms > 0)
    call_attach_source (call, g_timeout_source_new (call->fault->fault.delay_ms), delay_done_cb);
  else
    call_dispatch_now (call);
}

/* Public API */

void
atelier_sandbox_server_add_fault (AtelierSandboxServer      *self,
                                  const AtelierSandboxFault *fault)
{
  g_return_if_fail (ATELIER_IS_SANDBOX_SERVER (self));
  g_return_if_fail (fault != NULL);

  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->faults, fault_entry_new (fault));
  g_mutex_unlock (&self->lock);
}

void
atelier_sandbox_server_clear_faults (AtelierSandboxServer *self)
{
  g_return_if_fail (ATELIER_IS_SANDBOX_SERVER (self));

  g_mutex_lock (&self->lock);
  g_ptr_array_set_size (self->faults, 0);
  g_mutex_unlock (&self->lock);
}
