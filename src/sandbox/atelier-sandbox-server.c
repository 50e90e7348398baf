/* atelier-sandbox-server.c: the sandbox server's lifecycle and dispatch
 *
 * The GObject, its settings, its thread and the saving of its state. The
 * server runs on its own thread with its own GMainContext; each message it
 * receives is first let through or refused from its headers alone (the
 * early handler: Host, Origin, test controls, key), a refused one having
 * its body discarded unread; then it becomes a call, handed to the images,
 * the test controls or the API (decoded, logged, faults applied, routed). A call that cannot answer at once
 * (rendering, inspecting, a delay or hang fault) pauses its message; work
 * runs on GTask worker threads and the answer is set back on the server
 * thread. Paused calls are tracked so that stop() can drop them safely.
 *
 * One lock (self->lock) protects the store, the faults, the request log and
 * the settings; the public helpers take it from any thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/random.h>
#include <glib/gstdio.h>

#include "atelier-sandbox-server-private.h"

#define RECEIVED_KEY "atelier-sandbox-received"
#define VERDICT_KEY  "atelier-sandbox-verdict"
/* The bytes of request bodies the request log keeps (see
 * atelier_sandbox_server_set_request_log_budget()). */
#define DEFAULT_LOG_BUDGET (64 * 1024 * 1024)

G_DEFINE_FINAL_TYPE (AtelierSandboxServer, atelier_sandbox_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DATA_DIR,
  PROP_API_KEY,
  PROP_TEST_CONTROLS,
  PROP_TRAINING_DELAY_MS,
  PROP_PROMPT_DELAY_MS,
  PROP_FAL_DELAY_MS,
  PROP_IMAGE_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The settings that are numbers, from PROP_TRAINING_DELAY_MS on. */
#define FIRST_UINT_PROP PROP_TRAINING_DELAY_MS

static const struct
{
  const char *name;
  gsize       offset;
  guint       minimum;
  guint       maximum;
  guint       default_value;
} uint_settings[] = {
  { "training-delay-ms", G_STRUCT_OFFSET (AtelierSandboxServer, training_delay_ms), 0, G_MAXUINT, 60000 },
  { "prompt-delay-ms", G_STRUCT_OFFSET (AtelierSandboxServer, prompt_delay_ms), 0, G_MAXUINT, 2000 },
  { "fal-delay-ms", G_STRUCT_OFFSET (AtelierSandboxServer, fal_delay_ms), 0, G_MAXUINT, 2000 },
  { "image-size", G_STRUCT_OFFSET (AtelierSandboxServer, image_size), 16, 8192, 1024 },
};

G_STATIC_ASSERT (G_N_ELEMENTS (uint_settings) == N_PROPS - FIRST_UINT_PROP);

static guint *
uint_setting (AtelierSandboxServer *self,
              guint                 prop_id)
{
  return &G_STRUCT_MEMBER (guint, self, uint_settings[prop_id - FIRST_UINT_PROP].offset);
}

static void
sync_store_settings_locked (AtelierSandboxServer *self)
{
  _atelier_sandbox_store_set_delays (self->store, self->training_delay_ms, self->prompt_delay_ms,
                                     self->fal_delay_ms, self->image_size);
}

/* Randomness */

static gboolean
read_urandom (guchar *buffer,
              gsize   length)
{
  int fd = open ("/dev/urandom", O_RDONLY | O_CLOEXEC);
  gsize done = 0;

  if (fd < 0)
    return FALSE;

  while (done < length)
    {
      ssize_t n = read (fd, buffer + done, length - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      done += n;
    }
  close (fd);

  return done == length;
}

char *
_atelier_sandbox_random_hex (gsize n_bytes)
{
  g_autofree guchar *buffer = g_malloc (n_bytes);
  GString *hex = g_string_sized_new (2 * n_bytes + 1);
  gsize done = 0;

  /* Not GRand nor g_uuid_string_random(): their output can be predicted
   * from earlier output. */
  while (done < n_bytes)
    {
      ssize_t n = getrandom (buffer + done, n_bytes - done, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      done += n;
    }

  if (done < n_bytes && !read_urandom (buffer, n_bytes))
    g_error ("Sandbox: no cryptographic random source (getrandom(2), /dev/urandom)");

  for (gsize i = 0; i < n_bytes; i++)
    g_string_append_printf (hex, "%02x", buffer[i]);
  explicit_bzero (buffer, n_bytes);

  return g_string_free (hex, FALSE);
}

char *
atelier_sandbox_generate_key (void)
{
  g_autofree char *hex = _atelier_sandbox_random_hex (16);

  return g_strconcat ("sandbox-", hex, NULL);
}

/* Saving */

static void
save_now (AtelierSandboxServer *self,
          gboolean              force)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  g_mutex_lock (&self->save_lock);

  g_mutex_lock (&self->lock);
  if (self->dirty || force)
    contents = _atelier_sandbox_store_serialize (self->store);
  self->dirty = FALSE;
  g_mutex_unlock (&self->lock);

  if (contents != NULL && !_atelier_sandbox_store_write (self->data_dir, contents, &error))
    g_warning ("Sandbox: could not save the state: %s", error->message);

  g_mutex_unlock (&self->save_lock);
}

static gboolean
save_idle_cb (gpointer user_data)
{
  AtelierSandboxServer *self = user_data;

  g_mutex_lock (&self->lock);
  self->save_scheduled = FALSE;
  g_mutex_unlock (&self->lock);

  save_now (self, FALSE);

  return G_SOURCE_REMOVE;
}

/* Several mutations in a row share one write. */
gboolean
_atelier_sandbox_server_mark_dirty_locked (AtelierSandboxServer *self)
{
  self->dirty = TRUE;

  if (self->state != ATELIER_SANDBOX_SERVER_RUNNING)
    return TRUE;

  if (!self->save_scheduled)
    {
      g_autoptr(GSource) source = g_idle_source_new ();

      self->save_scheduled = TRUE;
      g_source_set_priority (source, G_PRIORITY_LOW);
      g_source_set_callback (source, save_idle_cb, self, NULL);
      g_source_set_static_name (source, "[atelier-sandbox] save");
      g_source_attach (source, self->context);
    }

  return FALSE;
}

void
_atelier_sandbox_server_finish_mutation (AtelierSandboxServer *self,
                                         GMutexLocker         *locker)
{
  gboolean save = _atelier_sandbox_server_mark_dirty_locked (self);

  g_mutex_locker_free (locker);

  if (save)
    save_now (self, FALSE);
}

/* Dispatch */

static void
server_handler_cb (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  AtelierSandboxServer *self = user_data;
  AtelierSandboxCall *call = _atelier_sandbox_call_new (self, msg);
  AtelierSandboxVerdict *verdict = g_object_get_data (G_OBJECT (msg), VERDICT_KEY);
  const AtelierSandboxVerdict unchecked = { SOUP_STATUS_BAD_REQUEST, "Bad request", NULL };

  call->in_handler = TRUE;

  if (verdict == NULL || verdict->status != 0)
    {
      /* Nothing of the request is decoded or logged; an API request is
       * kept in the request log by its method and path alone (tests count
       * that a 401 is not retried), never its headers or body. */
      if (!g_str_has_prefix (path, "/sandbox/images/") && !g_str_has_prefix (path, "/__sandbox"))
        {
          g_autoptr(AtelierSandboxRequest) refused = _atelier_sandbox_request_new_refused (msg);

          _atelier_sandbox_server_log_request (self, refused);
        }
      _atelier_sandbox_call_refuse (call, verdict != NULL ? verdict : &unchecked);
    }
  else if (g_str_has_prefix (path, "/sandbox/images/"))
    {
      _atelier_sandbox_call_serve_image (call);
    }
  else if (g_str_has_prefix (path, "/__sandbox/"))
    {
      call->request = _atelier_sandbox_request_new_from_message (msg, TRUE, &call->body_status);
      _atelier_sandbox_call_control (call);
    }
  else
    {
      call->request = _atelier_sandbox_request_new_from_message (msg, FALSE, &call->body_status);
      _atelier_sandbox_server_log_request (self, call->request);
      _atelier_sandbox_call_dispatch (call);
    }

  call->in_handler = FALSE;

  if (call->replied)
    _atelier_sandbox_call_free (call);
  else
    _atelier_sandbox_call_pause (call);
}

static void
reject_too_large (SoupServerMessage *msg)
{
  g_autoptr(GBytes) body = _atelier_sandbox_error_body ("Request body too large");

  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  soup_message_body_truncate (soup_server_message_get_request_body (msg));
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
  soup_server_message_set_status (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL);
  soup_server_message_set_response (msg, ATELIER_SANDBOX_JSON_TYPE, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  guint64 *received = g_object_get_data (G_OBJECT (msg), RECEIVED_KEY);

  *received += g_bytes_get_size (chunk);
  if (*received > ATELIER_SANDBOX_MAX_BODY && soup_server_message_get_status (msg) == 0)
    reject_too_large (msg);
}

/* Runs once the headers are in, before the body: access is decided here
 * (the handler answers a refusal once the body has gone by, so that the
 * client reads the answer rather than a reset), and the body of a refused
 * request is discarded as it arrives, never stored nor decoded. Bodies
 * over 64 MiB are refused before they are stored. */
static void
early_handler_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  AtelierSandboxServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  AtelierSandboxVerdict *verdict = g_new0 (AtelierSandboxVerdict, 1);

  _atelier_sandbox_check_access (self, msg, verdict);
  if (verdict->status != 0)
    soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_object_set_data_full (G_OBJECT (msg), VERDICT_KEY, verdict, g_free);

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > ATELIER_SANDBOX_MAX_BODY)
    {
      reject_too_large (msg);
      return;
    }

  g_object_set_data_full (G_OBJECT (msg), RECEIVED_KEY, g_new0 (guint64, 1), g_free);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), NULL);
}

/* The server thread */

static void
server_join (AtelierSandboxServer *self)
{
  g_clear_pointer (&self->thread, g_thread_join);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
}

/* Answers a start_async() in its caller's context. */
static void
finish_start_task (AtelierSandboxServer *self)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_mutex_lock (&self->lock);
  task = g_steal_pointer (&self->start_task);
  if (task != NULL && self->state == ATELIER_SANDBOX_SERVER_FAILED)
    {
      error = g_steal_pointer (&self->start_error);
      self->state = ATELIER_SANDBOX_SERVER_STOPPED;
    }
  g_mutex_unlock (&self->lock);

  if (task == NULL)
    return;

  if (error != NULL)
    {
      server_join (self);
      g_task_return_error (task, error);
    }
  else
    {
      g_task_return_boolean (task, TRUE);
    }
}

static gboolean
start_task_ready_cb (gpointer user_data)
{
  finish_start_task (g_task_get_source_object (user_data));

  return G_SOURCE_REMOVE;
}

static guint
listening_port (SoupServer *soup)
{
  GSList *listeners = soup_server_get_listeners (soup);
  guint port = 0;

  for (GSList *l = listeners; l != NULL && port == 0; l = l->next)
    {
      g_autoptr(GSocketAddress) address = g_socket_get_local_address (l->data, NULL);

      if (G_IS_INET_SOCKET_ADDRESS (address))
        port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
    }

  g_slist_free (listeners);

  return port;
}

static void
shutdown_in_thread (AtelierSandboxServer *self)
{
  GList *calls;

  g_mutex_lock (&self->lock);
  self->state = ATELIER_SANDBOX_SERVER_STOPPED;
  g_mutex_unlock (&self->lock);

  /* Closing the connections marks paused calls gone; those waiting for a
   * worker are freed when it returns, the others (delays, hangs, drops)
   * right away. */
  soup_server_disconnect (self->soup);

  calls = g_list_copy (self->paused_calls);
  for (GList *l = calls; l != NULL; l = l->next)
    {
      AtelierSandboxCall *call = l->data;

      call->gone = TRUE;
      if (!call->working)
        _atelier_sandbox_call_free (call);
    }
  g_list_free (calls);

  while (self->n_async > 0)
    g_main_context_iteration (self->context, TRUE);

  g_clear_object (&self->soup);

  while (g_main_context_iteration (self->context, FALSE))
    ;

  save_now (self, TRUE);
}

static gpointer
server_thread (gpointer data)
{
  AtelierSandboxServer *self = data;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) error = NULL;
  GSource *source;
  gboolean listening;

  g_main_context_push_thread_default (self->context);

  self->soup = soup_server_new ("server-header", "AtelierSandbox ", NULL);
  soup_server_add_early_handler (self->soup, NULL, early_handler_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, server_handler_cb, self, NULL);

  address = g_inet_socket_address_new_from_string ("127.0.0.1", self->requested_port);
  listening = soup_server_listen (self->soup, address, 0, &error);

  g_mutex_lock (&self->lock);
  if (listening)
    {
      self->port = listening_port (self->soup);
      self->state = ATELIER_SANDBOX_SERVER_RUNNING;
      if (self->dirty)
        _atelier_sandbox_server_mark_dirty_locked (self);
    }
  else
    {
      self->state = ATELIER_SANDBOX_SERVER_FAILED;
      self->start_error = g_steal_pointer (&error);
    }
  g_cond_broadcast (&self->cond);

  if (self->start_task != NULL)
    {
      source = g_idle_source_new ();
      /* An idle at idle priority never runs while the caller's window keeps
       * redrawing: the answer must not wait for a quiet moment. */
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, start_task_ready_cb, g_object_ref (self->start_task), g_object_unref);
      g_source_attach (source, g_task_get_context (self->start_task));
      g_source_unref (source);
    }
  g_mutex_unlock (&self->lock);

  if (listening)
    {
      g_main_loop_run (self->loop);
      shutdown_in_thread (self);
    }
  else
    {
      g_clear_object (&self->soup);
    }

  g_main_context_pop_thread_default (self->context);

  return NULL;
}

static gboolean
server_launch (AtelierSandboxServer  *self,
               guint                  port,
               GError               **error)
{
  if (g_mkdir_with_parents (self->data_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not create %s: %s", self->data_dir, g_strerror (saved_errno));
      return FALSE;
    }

  g_mutex_lock (&self->lock);
  sync_store_settings_locked (self);
  _atelier_sandbox_store_load (self->store);
  self->dirty = TRUE;
  self->state = ATELIER_SANDBOX_SERVER_STARTING;
  self->port = 0;
  g_mutex_unlock (&self->lock);

  self->requested_port = port;
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->thread = g_thread_new ("atelier-sandbox", server_thread, self);

  return TRUE;
}

gboolean
atelier_sandbox_server_start (AtelierSandboxServer  *self,
                              guint                  port,
                              GError               **error)
{
  GError *start_error = NULL;

  g_return_val_if_fail (ATELIER_IS_SANDBOX_SERVER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->thread != NULL)
    return TRUE;

  if (!server_launch (self, port, error))
    return FALSE;

  g_mutex_lock (&self->lock);
  while (self->state == ATELIER_SANDBOX_SERVER_STARTING)
    g_cond_wait (&self->cond, &self->lock);
  if (self->state == ATELIER_SANDBOX_SERVER_FAILED)
    {
      start_error = g_steal_pointer (&self->start_error);
      self->state = ATELIER_SANDBOX_SERVER_STOPPED;
    }
  g_mutex_unlock (&self->lock);

  if (start_error != NULL)
    {
      server_join (self);
      g_propagate_error (error, start_error);
      return FALSE;
    }

  return TRUE;
}

void
atelier_sandbox_server_start_async (AtelierSandboxServer *self,
                                    guint                 port,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (ATELIER_IS_SANDBOX_SERVER (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, atelier_sandbox_server_start_async);

  if (self->thread != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  g_mutex_lock (&self->lock);
  self->start_task = g_object_ref (task);
  g_mutex_unlock (&self->lock);

  if (!server_launch (self, port, &error))
    {
      g_mutex_lock (&self->lock);
      g_clear_object (&self->start_task);
      g_mutex_unlock (&self->lock);
      g_task_return_error (task, error);
    }
}

gboolean
atelier_sandbox_server_start_finish (AtelierSandboxServer  *self,
                                     GAsyncResult          *result,
                                     GError               **error)
{
  g_return_val_if_fail (ATELIER_IS_SANDBOX_SERVER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == atelier_sandbox_server_start_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
quit_loop_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);

  return G_SOURCE_REMOVE;
}

void
atelier_sandbox_server_stop (AtelierSandboxServer *self)
{
  g_autoptr(GSource) source = NULL;
  gboolean running;

  g_return_if_fail (ATELIER_IS_SANDBOX_SERVER (self));

  if (self->thread == NULL)
    return;

  g_return_if_fail (g_thread_self () != self->thread);

  g_mutex_lock (&self->lock);
  while (self->state == ATELIER_SANDBOX_SERVER_STARTING)
    g_cond_wait (&self->cond, &self->lock);
  running = self->state == ATELIER_SANDBOX_SERVER_RUNNING;
  g_mutex_unlock (&self->lock);

  if (running)
    {
      source = g_idle_source_new ();
      g_source_set_priority (source, G_PRIORITY_HIGH);
      g_source_set_callback (source, quit_loop_cb, self->loop, NULL);
      g_source_attach (source, self->context);
    }

  server_join (self);

  /* A start_async() still waiting is answered now, with its failure if any. */
  finish_start_task (self);

  g_mutex_lock (&self->lock);
  self->state = ATELIER_SANDBOX_SERVER_STOPPED;
  self->save_scheduled = FALSE;
  g_clear_error (&self->start_error);
  g_mutex_unlock (&self->lock);
}

guint
atelier_sandbox_server_get_port (AtelierSandboxServer *self)
{
  guint port;

  g_return_val_if_fail (ATELIER_IS_SANDBOX_SERVER (self), 0);

  g_mutex_lock (&self->lock);
  port = self->port;
  g_mutex_unlock (&self->lock);

  return port;
}

char *
atelier_sandbox_server_dup_base_url (AtelierSandboxServer *self)
{
  g_return_val_if_fail (ATELIER_IS_SANDBOX_SERVER (self), NULL);

  return g_strdup_printf ("http://127.0.0.1:%u", atelier_sandbox_server_get_port (self));
}

const char *
atelier_sandbox_server_get_data_dir (AtelierSandboxServer *self)
{
  g_return_val_if_fail (ATELIER_IS_SANDBOX_SERVER (self), NULL);

  return self->data_dir;
}
/* Settings */

static void
set_uint_setting (AtelierSandboxServer *self,
                  guint                 prop_id,
                  guint                 value)
{
  guint *field = uint_setting (self, prop_id);
  gboolean changed;

  g_mutex_lock (&self->lock);
  changed = *field != value;
  *field = value;
  if (self->store != NULL)
    sync_store_settings_locked (self);
  g_mutex_unlock (&self->lock);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

void
atelier_sandbox_server_set_api_key (AtelierSandboxServer *self,
                                    const char           *api_key)
{
  gboolean changed;

  g_return_if_fail (ATELIER_IS_SANDBOX_SERVER (self));

  g_mutex_lock (&self->lock);
  changed = g_strcmp0 (self->api_key, api_key) != 0;
  if (changed)
    {
      g_free (self->api_key);
      self->api_key = g_strdup (api_key);
    }
  g_mutex_unlock (&self->lock);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_API_KEY]);
}

void
atelier_sandbox_server_set_test_controls (AtelierSandboxServer *self,
                                          gboolean              enabled)
{
  gboolean changed;

  g_return_if_fail (ATELIER_IS_SANDBOX_SERVER (self));

  enabled = !!enabled;

  g_mutex_lock (&self->lock);
  changed = self->test_controls != enabled;
  self->test_controls = enabled;
  g_mutex_unlock (&self->lock);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEST_CONTROLS]);
}

gboolean
atelier_sandbox_server_get_test_controls (AtelierSandboxServer *self)
{
  gboolean enabled;

  g_return_val_if_fail (ATELIER_IS_SANDBOX_SERVER (self), FALSE);

  g_mutex_lock (&self->lock);
  enabled = self->test_controls;
  g_mutex_unlock (&self->lock);

  return enabled;
}

void
atelier_sandbox_server_set_training_delay_ms (AtelierSandboxServer *self,
                                              guint                 delay_ms)
{
  g_return_if_fail (ATELIER_IS_SANDBOX_SERVER (self));

  set_uint_setting (self, PROP_TRAINING_DELAY_MS, delay_ms);
}

void
atelier_sandbox_server_set_prompt_delay_ms (AtelierSandboxServer *self,
                                            guint                 delay_ms)
{
  g_return_if_fail (ATELIER_IS_SANDBOX_SERVER (self));

  set_uint_setting (self, PROP_PROMPT_DELAY_MS, delay_ms);
}

void
atelier_sandbox_server_set_fal_delay_ms (AtelierSandboxServer *self,
                                         guint                 delay_ms)
{
  g_return_if_fail (ATELIER_IS_SANDBOX_SERVER (self));

  set_uint_setting (self, PROP_FAL_DELAY_MS, delay_ms);
}

void
atelier_sandbox_server_set_image_size (AtelierSandboxServer *self,
                                       guint                 size)
{
  g_return_if_fail (ATELIER_IS_SANDBOX_SERVER (self));
  g_return_if_fail (size >= 16);

  set_uint_setting (self, PROP_IMAGE_SIZE, size);
}

void
atelier_sandbox_server_set_fal_url_ttl_ms (AtelierSandboxServer *self,
                                           guint                 ttl_ms)
{
  g_return_if_fail (ATELIER_IS_SANDBOX_SERVER (self));

  g_mutex_lock (&self->lock);
  _atelier_sandbox_store_set_fal_url_ttl_ms (self->store, ttl_ms);
  g_mutex_unlock (&self->lock);
}

/* GObject */

AtelierSandboxServer *
atelier_sandbox_server_new (const char *data_dir)
{
  g_return_val_if_fail (data_dir != NULL, NULL);

  return g_object_new (ATELIER_TYPE_SANDBOX_SERVER, "data-dir", data_dir, NULL);
}

static void
atelier_sandbox_server_constructed (GObject *object)
{
  AtelierSandboxServer *self = ATELIER_SANDBOX_SERVER (object);

  G_OBJECT_CLASS (atelier_sandbox_server_parent_class)->constructed (object);

  if (self->data_dir == NULL)
    self->data_dir = g_build_filename (g_get_user_data_dir (), "atelier", "sandbox", NULL);

  if (g_mkdir_with_parents (self->data_dir, 0700) != 0)
    g_warning ("Sandbox: could not create %s: %s", self->data_dir, g_strerror (errno));

  /* No other thread knows the object yet: no need for the lock. */
  self->store = _atelier_sandbox_store_new (self->data_dir);
  sync_store_settings_locked (self);
}

static void
atelier_sandbox_server_dispose (GObject *object)
{
  AtelierSandboxServer *self = ATELIER_SANDBOX_SERVER (object);

  atelier_sandbox_server_stop (self);

  G_OBJECT_CLASS (atelier_sandbox_server_parent_class)->dispose (object);
}

static void
atelier_sandbox_server_finalize (GObject *object)
{
  AtelierSandboxServer *self = ATELIER_SANDBOX_SERVER (object);

  g_clear_pointer (&self->store, _atelier_sandbox_store_free);
  g_clear_pointer (&self->faults, g_ptr_array_unref);
  g_clear_pointer (&self->requests, g_ptr_array_unref);
  g_clear_error (&self->start_error);
  g_free (self->api_key);
  g_free (self->data_dir);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->save_lock);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (atelier_sandbox_server_parent_class)->finalize (object);
}

static void
atelier_sandbox_server_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  AtelierSandboxServer *self = ATELIER_SANDBOX_SERVER (object);
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  switch (prop_id)
    {
    case PROP_DATA_DIR:
      g_value_set_string (value, self->data_dir);
      break;

    case PROP_API_KEY:
      g_value_set_string (value, self->api_key);
      break;

    case PROP_TEST_CONTROLS:
      g_value_set_boolean (value, self->test_controls);
      break;

    case PROP_TRAINING_DELAY_MS:
    case PROP_PROMPT_DELAY_MS:
    case PROP_FAL_DELAY_MS:
    case PROP_IMAGE_SIZE:
      g_value_set_uint (value, *uint_setting (self, prop_id));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_sandbox_server_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  AtelierSandboxServer *self = ATELIER_SANDBOX_SERVER (object);

  switch (prop_id)
    {
    case PROP_DATA_DIR:
      self->data_dir = g_value_dup_string (value);
      break;

    case PROP_API_KEY:
      atelier_sandbox_server_set_api_key (self, g_value_get_string (value));
      break;

    case PROP_TEST_CONTROLS:
      atelier_sandbox_server_set_test_controls (self, g_value_get_boolean (value));
      break;

    case PROP_TRAINING_DELAY_MS:
    case PROP_PROMPT_DELAY_MS:
    case PROP_FAL_DELAY_MS:
    case PROP_IMAGE_SIZE:
      set_uint_setting (self, prop_id, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_sandbox_server_class_init (AtelierSandboxServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = atelier_sandbox_server_constructed;
  object_class->dispose = atelier_sandbox_server_dispose;
  object_class->finalize = atelier_sandbox_server_finalize;
  object_class->get_property = atelier_sandbox_server_get_property;
  object_class->set_property = atelier_sandbox_server_set_property;

  properties[PROP_DATA_DIR] =
    g_param_spec_string ("data-dir", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_API_KEY] =
    g_param_spec_string ("api-key", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_TEST_CONTROLS] =
    g_param_spec_boolean ("test-controls", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  for (guint i = 0; i < G_N_ELEMENTS (uint_settings); i++)
    properties[FIRST_UINT_PROP + i] =
      g_param_spec_uint (uint_settings[i].name, NULL, NULL,
                         uint_settings[i].minimum, uint_settings[i].maximum, uint_settings[i].default_value,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
atelier_sandbox_server_init (AtelierSandboxServer *self)
{
  g_mutex_init (&self->lock);
  g_mutex_init (&self->save_lock);
  g_cond_init (&self->cond);

  for (guint i = 0; i < G_N_ELEMENTS (uint_settings); i++)
    *uint_setting (self, FIRST_UINT_PROP + i) = uint_settings[i].default_value;
  self->faults = g_ptr_array_new_with_free_func (_atelier_sandbox_fault_entry_free);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) atelier_sandbox_request_unref);
  self->log_budget = DEFAULT_LOG_BUDGET;
}
