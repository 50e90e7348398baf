/* atelier-sandbox-faults.c: faults, the misbehaviours tests ask for
 *
 * Faults are added with atelier_sandbox_server_add_fault() (or POST
 * /__sandbox/faults) and hit the API calls whose method and path prefix
 * match, in the order added, each as many times as asked. A fault may delay
 * a call, answer in its place (a status, a body that is not JSON, JSON
 * nested too deeply), drop the connection, never answer, or change the
 * normal answer (cut it in half, or 504 after doing the work, or drop the
 * connection after doing the work: the server made the tune and the
 * client never hears of it).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atelier-sandbox-server-private.h"

#define DEEP_JSON_DEPTH   100000
#define NOT_JSON_BODY     "<html>Bad gateway</html>"

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

static void
reply_status_fault (AtelierSandboxCall             *call,
                    const AtelierSandboxFaultEntry *entry)
{
  g_autofree char *message = g_strdup_printf ("Sandbox fault %u", entry->fault.status);
  GBytes *body;

  if (entry->fault.retry_after_s > 0)
    {
      g_autofree char *seconds = g_strdup_printf ("%u", entry->fault.retry_after_s);
      soup_message_headers_replace (soup_server_message_get_response_headers (call->msg), "Retry-After", seconds);
    }

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
