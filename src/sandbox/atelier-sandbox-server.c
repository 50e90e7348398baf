/* atelier-sandbox-server.c: the sandbox's SoupServer, its thread and routes
 *
 * The server runs on its own thread with its own GMainContext. Each
 * request becomes a Call: decoded, logged, matched against the faults,
 * routed and answered. A call that cannot answer at once (rendering,
 * inspecting, a delay or hang fault) pauses its message; work runs on GTask
 * worker threads and the answer is set back on the server thread. Paused
 * calls are tracked so that stop() can drop them safely.
 *
 * One lock (self->lock) protects the store, the faults, the request log and
 * the settings; the public helpers take it from any thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "atelier-sandbox-private.h"

#define MAX_LOGGED_REQUESTS   1000
#define DEEP_JSON_DEPTH       100000
#define IMAGE_CACHE_CONTROL   "public, max-age=31536000, immutable"
#define FAL_PATH              "/fal-ai/ip-adapter-face-id"

typedef enum
{
  STATE_STOPPED,
  STATE_STARTING,
  STATE_RUNNING,
  STATE_FAILED,
} ServerState;

typedef struct
{
  AtelierSandboxFault fault;   /* strings owned */
  guint               remaining;
} FaultEntry;

struct _AtelierSandboxServer
{
  GObject               parent_instance;

  char                 *data_dir;

  GMutex                lock;
  GCond                 cond;
  /* Protected by lock */
  char                 *api_key;
  guint                 training_delay_ms;
  guint                 prompt_delay_ms;
  guint                 fal_delay_ms;
  guint                 image_size;
  AtelierSandboxStore  *store;
  GPtrArray            *faults;          /* (element-type FaultEntry) */
  GPtrArray            *requests;        /* (element-type AtelierSandboxRequest) */
  guint                 image_downloads;
  guint                 port;
  ServerState           state;
  GError               *start_error;
  gboolean              dirty;
  gboolean              save_scheduled;

  /* Serializes state writes so that the newest state lands last. */
  GMutex                save_lock;

  /* Owned by the thread calling start() and stop() */
  GThread              *thread;
  GMainContext         *context;
  GMainLoop            *loop;
  guint                 requested_port;
  GTask                *start_task;      /* (lock) */

  /* Server thread only */
  SoupServer           *soup;
  GList                *paused_calls;
  guint                 n_async;
};

G_DEFINE_FINAL_TYPE (AtelierSandboxServer, atelier_sandbox_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DATA_DIR,
  PROP_API_KEY,
  PROP_TRAINING_DELAY_MS,
  PROP_PROMPT_DELAY_MS,
  PROP_FAL_DELAY_MS,
  PROP_IMAGE_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Faults */

static void
fault_entry_free (gpointer data)
{
  FaultEntry *entry = data;

  g_free ((char *) entry->fault.method);
  g_free ((char *) entry->fault.path);
  g_free ((char *) entry->fault.body);
  g_free (entry);
}

static FaultEntry *
fault_entry_new (const AtelierSandboxFault *fault)
{
  FaultEntry *entry = g_new0 (FaultEntry, 1);

  entry->fault = *fault;
  entry->fault.method = g_strdup (fault->method);
  entry->fault.path = g_strdup (fault->path);
  entry->fault.body = g_strdup (fault->body);
  entry->remaining = fault->times;

  return entry;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FaultEntry, fault_entry_free)

/* Returns a copy of the first fault matching, using one of its hits. */
static FaultEntry *
match_fault (AtelierSandboxServer *self,
             const char           *method,
             const char           *path)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  for (guint i = 0; i < self->faults->len; i++)
    {
      FaultEntry *entry = g_ptr_array_index (self->faults, i);
      FaultEntry *copy;

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

/* Called with the lock held after every mutation: the server thread writes
 * the state soon (several mutations in a row share one write). Returns
 * TRUE when nobody will, because the server is not running. */
static gboolean
mark_dirty_locked (AtelierSandboxServer *self)
{
  self->dirty = TRUE;

  if (self->state != STATE_RUNNING)
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

/* Calls */

typedef enum
{
  AUTH_NONE,
  AUTH_BEARER,
  AUTH_KEY,
} AuthKind;

typedef struct
{
  AtelierSandboxServer     *self;
  SoupServerMessage        *msg;
  AtelierSandboxRequest    *request;
  AtelierSandboxBodyStatus  body_status;
  char                     *base_url;
  FaultEntry               *fault;
  GSource                  *source;
  gulong                    disconnected_id;
  gboolean                  in_handler;
  gboolean                  replied;
  gboolean                  paused;
  gboolean                  gone;
  gboolean                  working;    /* a worker thread holds it */
} Call;

static Call *
call_new (AtelierSandboxServer *self,
          SoupServerMessage    *msg)
{
  Call *call = g_new0 (Call, 1);

  call->self = self;
  call->msg = g_object_ref (msg);

  g_mutex_lock (&self->lock);
  call->base_url = g_strdup_printf ("http://127.0.0.1:%u", self->port);
  g_mutex_unlock (&self->lock);

  return call;
}

static void
call_free (Call *call)
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
  g_clear_pointer (&call->fault, fault_entry_free);
  g_free (call->base_url);
  g_free (call);
}

static void
call_disconnected_cb (SoupServerMessage *msg,
                      Call              *call)
{
  call->gone = TRUE;
}

static void
call_pause (Call *call)
{
  soup_server_message_pause (call->msg);
  call->paused = TRUE;
  call->disconnected_id = g_signal_connect (call->msg, "disconnected",
                                            G_CALLBACK (call_disconnected_cb), call);
  call->self->paused_calls = g_list_prepend (call->self->paused_calls, call);
}

static GBytes *
error_body (const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  return _atelier_sandbox_json_to_bytes (node);
}

/* Post-processing faults change a normal answer. */
static void
apply_answer_fault (Call        *call,
                    guint       *status,
                    GBytes     **body,
                    const char **content_type)
{
  g_autoptr(FaultEntry) fault = g_steal_pointer (&call->fault);

  if (fault == NULL)
    return;

  if (fault->fault.kind == ATELIER_SANDBOX_FAULT_TRUNCATED_JSON && *body != NULL)
    {
      GBytes *half = g_bytes_new_from_bytes (*body, 0, g_bytes_get_size (*body) / 2);

      g_bytes_unref (*body);
      *body = half;
    }
  else if (fault->fault.kind == ATELIER_SANDBOX_FAULT_CREATE_THEN_504)
    {
      g_clear_pointer (body, g_bytes_unref);
      *body = error_body ("Gateway timeout");
      *status = SOUP_STATUS_GATEWAY_TIMEOUT;
      *content_type = "application/json";
    }
}

/* Sets the answer; a paused call is resumed and freed. Takes @body. */
static void
call_reply_full (Call       *call,
                 guint       status,
                 const char *content_type,
                 GBytes     *body,
                 const char *cache_control)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (call->msg);

  apply_answer_fault (call, &status, &body, &content_type);

  soup_server_message_set_status (call->msg, status, NULL);
  if (cache_control != NULL)
    soup_message_headers_replace (headers, "Cache-Control", cache_control);
  else
    soup_message_headers_replace (headers, "Cache-Control", "no-store");

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
      call_free (call);
    }
}

static void
call_reply_json (Call     *call,
                 guint     status,
                 JsonNode *node)
{
  g_autoptr(JsonNode) owned = node;

  call_reply_full (call, status, "application/json; charset=utf-8",
                   _atelier_sandbox_json_to_bytes (owned), NULL);
}

static void
call_reply_object (Call       *call,
                   guint       status,
                   JsonObject *object)
{
  call_reply_json (call, status, json_node_init_object (json_node_alloc (), object));
}

static void
call_reply_error (Call       *call,
                  guint       status,
                  const char *message)
{
  call_reply_full (call, status, "application/json; charset=utf-8", error_body (message), NULL);
}

static void
call_reply_empty (Call  *call,
                  guint  status)
{
  call_reply_full (call, status, NULL, NULL, NULL);
}

/* Rails-style field errors: 422 {"field": ["message", …]} */
static void
call_reply_errors (Call       *call,
                   JsonObject *errors)
{
  call_reply_object (call, SOUP_STATUS_UNPROCESSABLE_ENTITY, errors);
}

static void
call_reply_field_error (Call       *call,
                        const char *field,
                        const char *message)
{
  g_autoptr(JsonObject) errors = json_object_new ();

  _atelier_sandbox_errors_add (errors, field, message);
  call_reply_errors (call, errors);
}

static void
call_reply_message (Call       *call,
                    const char *key,
                    const char *message,
                    guint       status)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, key, message);
  call_reply_object (call, status, object);
}

static void
call_reply_not_found (Call *call)
{
  call_reply_error (call, SOUP_STATUS_NOT_FOUND, "Not found");
}

static guint
call_get_offset (Call *call)
{
  const char *text = _atelier_sandbox_request_get_query_value (call->request, "offset");
  guint64 offset = 0;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, &offset, NULL))
    return 0;

  return (guint) offset;
}

static gboolean
parse_id (const char *text,
          gint64     *id)
{
  return g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, id, NULL);
}

/* Background work: rendering, inspection and fal results */

typedef enum
{
  WORK_SERVE_IMAGE,
  WORK_INSPECT,
  WORK_FAL_RESULT,
} WorkKind;

typedef struct
{
  Call                    *call;
  WorkKind                 kind;
  char                    *file_path;     /* an upload to read, or NULL */
  AtelierSandboxRenderJob *job;           /* an image to render (or read cached) */
  GBytes                  *bytes;         /* given bytes (inspect uploads) */
  char                    *class_name;    /* WORK_INSPECT */
  JsonObject              *fal_result;    /* WORK_FAL_RESULT, completed with the size */
  const char              *content_type;
} Work;

static void
work_free (Work *work)
{
  g_free (work->file_path);
  g_clear_pointer (&work->job, _atelier_sandbox_render_job_free);
  g_clear_pointer (&work->bytes, g_bytes_unref);
  g_free (work->class_name);
  g_clear_pointer (&work->fal_result, json_object_unref);
  g_free (work);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Work, work_free)

static GBytes *
work_load_bytes (Work    *work,
                 GError **error)
{
  char *contents = NULL;
  gsize length = 0;

  if (work->bytes != NULL)
    return g_bytes_ref (work->bytes);

  if (work->file_path != NULL)
    {
      if (!g_file_get_contents (work->file_path, &contents, &length, error))
        return NULL;
      return g_bytes_new_take (contents, length);
    }

  return _atelier_sandbox_render_job_run (work->job, error);
}

static void
work_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Work *work = task_data;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  JsonNode *result;

  bytes = work_load_bytes (work, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (work->kind != WORK_INSPECT)
    {
      g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
      return;
    }

  result = _atelier_sandbox_inspect_bytes (bytes, work->class_name, &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) json_node_unref);
}

static void
reply_image (Call       *call,
             GBytes     *bytes,
             const char *content_type)
{
  g_mutex_lock (&call->self->lock);
  call->self->image_downloads++;
  g_mutex_unlock (&call->self->lock);

  call_reply_full (call, SOUP_STATUS_OK, content_type, bytes, IMAGE_CACHE_CONTROL);
}

static void
work_done_cb (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Work) work = user_data;
  g_autoptr(GError) error = NULL;
  Call *call = work->call;
  gpointer value;

  call->self->n_async--;
  call->working = FALSE;

  value = g_task_propagate_pointer (G_TASK (result), &error);

  if (work->kind == WORK_INSPECT)
    {
      if (value == NULL)
        call_reply_field_error (call, "file", "is not a valid image");
      else
        call_reply_json (call, SOUP_STATUS_OK, value);
      return;
    }

  if (value == NULL)
    {
      g_warning ("Sandbox: could not render an image: %s", error->message);
      call_reply_error (call, SOUP_STATUS_INTERNAL_SERVER_ERROR, "Could not render the image");
      return;
    }

  if (work->kind == WORK_SERVE_IMAGE)
    {
      reply_image (call, value, work->content_type);
    }
  else
    {
      JsonObject *image = json_object_get_object_member (work->fal_result, "image");

      json_object_set_int_member (image, "file_size", g_bytes_get_size (value));
      g_bytes_unref (value);
      call_reply_object (call, SOUP_STATUS_OK, work->fal_result);
    }
}

/* Takes @work; the call is answered from work_done_cb(). */
static void
call_run_work (Call *call,
               Work *work)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, work_done_cb, work);

  work->call = call;
  call->working = TRUE;
  g_task_set_source_tag (task, call_run_work);
  g_task_set_task_data (task, work, NULL);
  call->self->n_async++;
  g_task_run_in_thread (task, work_thread);
}

/* Images under /sandbox/images/: <prompt_id>/<n>.jpg, uploads/<name> and
 * fal/<request_id>.jpg. Fills @work (without a call) or returns FALSE. */
static gboolean
lookup_image (AtelierSandboxServer *self,
              const char           *path,
              Work                 *work)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_auto(GStrv) parts = NULL;
  gint64 prompt_id;
  guint64 index;

  if (!g_str_has_prefix (path, "/sandbox/images/"))
    return FALSE;

  parts = g_strsplit (path + strlen ("/sandbox/images/"), "/", -1);
  if (g_strv_length (parts) != 2)
    return FALSE;

  if (g_str_equal (parts[0], "uploads"))
    {
      const char *dot = strrchr (parts[1], '.');

      work->file_path = _atelier_sandbox_store_dup_upload_path (self->store, parts[1]);
      if (dot != NULL && g_ascii_strcasecmp (dot, ".png") == 0)
        work->content_type = "image/png";
      else if (dot != NULL && g_ascii_strcasecmp (dot, ".webp") == 0)
        work->content_type = "image/webp";
      else if (dot != NULL && g_ascii_strcasecmp (dot, ".gif") == 0)
        work->content_type = "image/gif";
      else if (dot != NULL && g_ascii_strcasecmp (dot, ".jpg") == 0)
        work->content_type = "image/jpeg";
      else
        work->content_type = "application/octet-stream";

      return work->file_path != NULL && g_file_test (work->file_path, G_FILE_TEST_IS_REGULAR);
    }

  if (!g_str_has_suffix (parts[1], ".jpg"))
    return FALSE;
  parts[1][strlen (parts[1]) - strlen (".jpg")] = '\0';
  work->content_type = "image/jpeg";

  if (g_str_equal (parts[0], "fal"))
    {
      AtelierSandboxFalRequest *request = _atelier_sandbox_store_lookup_fal (self->store, parts[1]);

      if (request != NULL)
        work->job = _atelier_sandbox_store_fal_image_job (self->store, request);
      return work->job != NULL;
    }

  if (!parse_id (parts[0], &prompt_id) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 0, 7, &index, NULL))
    return FALSE;

  work->job = _atelier_sandbox_store_prompt_image_job (self->store, prompt_id, (guint) index);

  return work->job != NULL;
}

static void
handle_image (Call *call)
{
  const char *method = soup_server_message_get_method (call->msg);
  const char *path = g_uri_get_path (soup_server_message_get_uri (call->msg));
  g_autoptr(Work) work = g_new0 (Work, 1);
  char *contents = NULL;
  gsize length = 0;

  if (!g_str_equal (method, "GET") && !g_str_equal (method, "HEAD"))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (call->msg), "Allow", "GET, HEAD");
      call_reply_error (call, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method not allowed");
      return;
    }

  if (!lookup_image (call->self, path, work))
    {
      call_reply_not_found (call);
      return;
    }

  /* Uploads and rendered images already cached are served directly. */
  if (g_file_get_contents (work->file_path ? work->file_path : work->job->cache_path,
                           &contents, &length, NULL))
    {
      reply_image (call, g_bytes_new_take (contents, length), work->content_type);
      return;
    }

  if (work->file_path != NULL)
    {
      call_reply_not_found (call);
      return;
    }

  work->kind = WORK_SERVE_IMAGE;
  call_run_work (call, g_steal_pointer (&work));
}

/* Routes */

typedef void (*RouteFunc) (Call  *call,
                           char **args);

typedef struct
{
  const char *method;
  const char *pattern;
  AuthKind    auth;
  RouteFunc   func;
} Route;

static JsonObject *
call_require_object (Call       *call,
                     const char *name)
{
  JsonObject *object = _atelier_sandbox_params_get_object (_atelier_sandbox_request_get_params (call->request), name);
  g_autofree char *message = NULL;

  if (object != NULL)
    return object;

  message = g_strdup_printf ("param is missing or the value is empty: %s", name);
  call_reply_error (call, SOUP_STATUS_BAD_REQUEST, message);

  return NULL;
}

static void
handle_list_tunes (Call  *call,
                   char **args)
{
  AtelierSandboxServer *self = call->self;
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  call_reply_json (call, SOUP_STATUS_OK,
                   _atelier_sandbox_store_list_tunes (self->store, call->base_url, call_get_offset (call)));
}

static void
reply_created_tune (Call               *call,
                    AtelierSandboxTune *tune,
                    GPtrArray          *prompts,
                    gboolean            existed)
{
  AtelierSandboxServer *self = call->self;

  call_reply_json (call, existed ? SOUP_STATUS_OK : SOUP_STATUS_CREATED,
                   _atelier_sandbox_store_tune_to_json (self->store, tune, call->base_url, prompts));
}

static void
create_tune (Call               *call,
             AtelierSandboxPack *pack,
             JsonObject         *input)
{
  AtelierSandboxServer *self = call->self;
  g_autoptr(JsonObject) errors = json_object_new ();
  g_autoptr(GPtrArray) prompts = NULL;
  AtelierSandboxTune *tune;
  gboolean existed = FALSE;

  tune = _atelier_sandbox_store_create_tune (self->store, call->request, input, pack,
                                             errors, &existed, &prompts);
  if (tune == NULL)
    {
      call_reply_errors (call, errors);
      return;
    }

  if (!existed)
    mark_dirty_locked (self);

  reply_created_tune (call, tune, prompts, existed);
}

static void
handle_create_tune (Call  *call,
                    char **args)
{
  AtelierSandboxServer *self = call->self;
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  JsonObject *input = call_require_object (call, "tune");

  if (input != NULL)
    create_tune (call, NULL, input);
}

static AtelierSandboxTune *
call_lookup_tune (Call       *call,
                  const char *id_text)
{
  AtelierSandboxTune *tune = NULL;
  gint64 id;

  if (parse_id (id_text, &id))
    tune = _atelier_sandbox_store_lookup_tune (call->self->store, id);

  if (tune == NULL)
    call_reply_not_found (call);

  return tune;
}

/* A prompt by id, optionally checking that it belongs to a tune. */
static AtelierSandboxPrompt *
call_lookup_prompt (Call       *call,
                    const char *tune_id_text,
                    const char *id_text)
{
  AtelierSandboxPrompt *prompt = NULL;
  gint64 tune_id = 0;
  gint64 id;

  if (parse_id (id_text, &id) &&
      (tune_id_text == NULL || parse_id (tune_id_text, &tune_id)))
    prompt = _atelier_sandbox_store_lookup_prompt (call->self->store, id);

  if (prompt != NULL && tune_id_text != NULL && prompt->tune_id != tune_id)
    prompt = NULL;

  if (prompt == NULL)
    call_reply_not_found (call);

  return prompt;
}

static void
handle_get_tune (Call  *call,
                 char **args)
{
  AtelierSandboxServer *self = call->self;
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  AtelierSandboxTune *tune = call_lookup_tune (call, args[0]);

  if (tune != NULL)
    call_reply_json (call, SOUP_STATUS_OK,
                     _atelier_sandbox_store_tune_to_json (self->store, tune, call->base_url, NULL));
}

static void
handle_delete_tune (Call  *call,
                    char **args)
{
  AtelierSandboxServer *self = call->self;
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  AtelierSandboxTune *tune = call_lookup_tune (call, args[0]);

  if (tune == NULL)
    return;

  if (tune->gallery)
    {
      call_reply_error (call, SOUP_STATUS_FORBIDDEN, "Gallery tunes cannot be deleted");
      return;
    }

  _atelier_sandbox_store_delete_tune (self->store, tune);
  mark_dirty_locked (self);
  call_reply_message (call, "message", "Tune successfully deleted", SOUP_STATUS_OK);
}

static void
handle_list_tune_prompts (Call  *call,
                          char **args)
{
  AtelierSandboxServer *self = call->self;
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  AtelierSandboxTune *tune = call_lookup_tune (call, args[0]);

  if (tune != NULL)
    call_reply_json (call, SOUP_STATUS_OK,
                     _atelier_sandbox_store_list_prompts (self->store, call->base_url, tune->id,
                                                          call_get_offset (call)));
}

static void
handle_create_prompt (Call  *call,
                      char **args)
{
  AtelierSandboxServer *self = call->self;
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(JsonObject) errors = json_object_new ();
  AtelierSandboxTune *tune = call_lookup_tune (call, args[0]);
  AtelierSandboxPrompt *prompt;
  JsonObject *input;

  if (tune == NULL || (input = call_require_object (call, "prompt")) == NULL)
    return;

  prompt = _atelier_sandbox_store_create_prompt (self->store, call->request, tune, input, errors);
  if (prompt == NULL)
    {
      call_reply_errors (call, errors);
      return;
    }

  mark_dirty_locked (self);
  call_reply_json (call, SOUP_STATUS_CREATED,
                   _atelier_sandbox_store_prompt_to_json (self->store, prompt, call->base_url));
}

static void
reply_prompt (Call       *call,
              const char *tune_id,
              const char *prompt_id)
{
  AtelierSandboxServer *self = call->self;
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  AtelierSandboxPrompt *prompt = call_lookup_prompt (call, tune_id, prompt_id);

  if (prompt != NULL)
    call_reply_json (call, SOUP_STATUS_OK,
                     _atelier_sandbox_store_prompt_to_json (self->store, prompt, call->base_url));
}

static void
delete_prompt (Call       *call,
               const char *tune_id,
               const char *prompt_id)
{
  AtelierSandboxServer *self = call->self;
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  AtelierSandboxPrompt *prompt = call_lookup_prompt (call, tune_id, prompt_id);

  if (prompt == NULL)
    return;

  _atelier_sandbox_store_delete_prompt (self->store, prompt);
  mark_dirty_locked (self);
  call_reply_message (call, "message", "Prompt successfully deleted", SOUP_STATUS_OK);
}

static void
handle_get_tune_prompt (Call  *call,
                        char **args)
{
  reply_prompt (call, args[0], args[1]);
}

static void
handle_delete_tune_prompt (Call  *call,
                           char **args)
{
  delete_prompt (call, args[0], args[1]);
}

static void
handle_get_prompt (Call  *call,
                   char **args)
{
  reply_prompt (call, NULL, args[0]);
}

static void
handle_delete_prompt (Call  *call,
                      char **args)
{
  delete_prompt (call, NULL, args[0]);
}

static void
handle_list_prompts (Call  *call,
                     char **args)
{
  AtelierSandboxServer *self = call->self;
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  call_reply_json (call, SOUP_STATUS_OK,
                   _atelier_sandbox_store_list_prompts (self->store, call->base_url, 0, call_get_offset (call)));
}

static void
set_liked (Call       *call,
           const char *prompt_id,
           gboolean    liked)
{
  AtelierSandboxServer *self = call->self;
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  AtelierSandboxPrompt *prompt = call_lookup_prompt (call, NULL, prompt_id);

  if (prompt == NULL)
    return;

  _atelier_sandbox_store_set_liked (self->store, prompt, liked);
  mark_dirty_locked (self);
  call_reply_empty (call, liked ? SOUP_STATUS_CREATED : SOUP_STATUS_NO_CONTENT);
}

static void
handle_like (Call  *call,
             char **args)
{
  set_liked (call, args[0], TRUE);
}

static void
handle_unlike (Call  *call,
               char **args)
{
  set_liked (call, args[0], FALSE);
}

static void
list_packs (Call     *call,
            gboolean  gallery)
{
  AtelierSandboxServer *self = call->self;
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  call_reply_json (call, SOUP_STATUS_OK, _atelier_sandbox_store_list_packs (self->store, gallery));
}

static void
handle_list_packs (Call  *call,
                   char **args)
{
  list_packs (call, FALSE);
}

static void
handle_list_gallery_packs (Call  *call,
                           char **args)
{
  list_packs (call, TRUE);
}

static AtelierSandboxPack *
call_lookup_pack (Call       *call,
                  const char *id_or_slug)
{
  AtelierSandboxPack *pack = _atelier_sandbox_store_lookup_pack (call->self->store, id_or_slug);

  if (pack == NULL)
    call_reply_not_found (call);

  return pack;
}

static void
handle_list_pack_prompts (Call  *call,
                          char **args)
{
  AtelierSandboxServer *self = call->self;
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  AtelierSandboxPack *pack = call_lookup_pack (call, args[0]);

  if (pack != NULL)
    call_reply_json (call, SOUP_STATUS_OK,
                     _atelier_sandbox_store_list_pack_prompts (self->store, pack, call->base_url));
}

/* POST /p/:id/tunes with tune_ids: the pack's prompts on existing tunes,
 * answered as an array of those tunes with their new prompts. */
static void
apply_pack_to_tunes (Call               *call,
                     AtelierSandboxPack *pack,
                     JsonObject         *input,
                     GPtrArray          *ids)
{
  AtelierSandboxServer *self = call->self;
  g_autoptr(GPtrArray) tunes = g_ptr_array_new ();
  JsonObject *attributes = _atelier_sandbox_params_get_object (input, "prompt_attributes");
  const char *callback = _atelier_sandbox_params_get_string (attributes, "callback");
  JsonArray *answer;

  for (guint i = 0; i < ids->len; i++)
    {
      AtelierSandboxTune *tune = NULL;
      gint64 id;

      if (_atelier_sandbox_node_get_int (g_ptr_array_index (ids, i), &id))
        tune = _atelier_sandbox_store_lookup_tune (self->store, id);

      if (tune == NULL)
        {
          call_reply_field_error (call, "tune_ids", "contains an unknown tune");
          return;
        }
      g_ptr_array_add (tunes, tune);
    }

  answer = json_array_new ();
  for (guint i = 0; i < tunes->len; i++)
    {
      AtelierSandboxTune *tune = g_ptr_array_index (tunes, i);
      g_autoptr(GPtrArray) prompts = _atelier_sandbox_store_apply_pack (self->store, pack, tune, callback);

      json_array_add_element (answer, _atelier_sandbox_store_tune_to_json (self->store, tune, call->base_url, prompts));
    }

  mark_dirty_locked (self);
  call_reply_json (call, SOUP_STATUS_CREATED, json_node_init_array (json_node_alloc (), answer));
  json_array_unref (answer);
}

static void
handle_create_pack_tune (Call  *call,
                         char **args)
{
  AtelierSandboxServer *self = call->self;
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  AtelierSandboxPack *pack = call_lookup_pack (call, args[0]);
  g_autoptr(GPtrArray) ids = NULL;
  JsonObject *input;

  if (pack == NULL || (input = call_require_object (call, "tune")) == NULL)
    return;

  ids = _atelier_sandbox_params_dup_list (input, "tune_ids");
  if (ids->len > 0)
    apply_pack_to_tunes (call, pack, input, ids);
  else
    create_tune (call, pack, input);
}

/* file_url may only point at this server's own images. */
static gboolean
lookup_own_image_url (Call       *call,
                      const char *url,
                      Work       *work)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GUri) base = g_uri_parse (call->base_url, G_URI_FLAGS_NONE, NULL);
  const char *host;

  if (uri == NULL || base == NULL || g_strcmp0 (g_uri_get_scheme (uri), "http") != 0)
    return FALSE;

  host = g_uri_get_host (uri);
  if ((g_strcmp0 (host, "127.0.0.1") != 0 && g_strcmp0 (host, "localhost") != 0) ||
      g_uri_get_port (uri) != g_uri_get_port (base))
    return FALSE;

  return lookup_image (call->self, g_uri_get_path (uri), work);
}

static void
handle_inspect (Call  *call,
                char **args)
{
  JsonObject *params = _atelier_sandbox_request_get_params (call->request);
  g_autoptr(JsonObject) errors = json_object_new ();
  g_autoptr(Work) work = g_new0 (Work, 1);
  g_autofree char *name = _atelier_sandbox_node_dup_string (_atelier_sandbox_params_get (params, "name"));
  AtelierSandboxFile *file = _atelier_sandbox_request_lookup_file (call->request,
                                                                   _atelier_sandbox_params_get (params, "file"));
  const char *file_url = _atelier_sandbox_params_get_string (params, "file_url");

  if (name == NULL || g_strstrip (name)[0] == '\0')
    _atelier_sandbox_errors_add (errors, "name", "can't be blank");

  if (file != NULL)
    work->bytes = g_bytes_ref (file->data);
  else if (file_url == NULL || file_url[0] == '\0')
    _atelier_sandbox_errors_add (errors, "file", "can't be blank");
  else if (!lookup_own_image_url (call, file_url, work))
    _atelier_sandbox_errors_add (errors, "file_url", "could not be fetched");

  if (json_object_get_size (errors) > 0)
    {
      call_reply_errors (call, errors);
      return;
    }

  work->kind = WORK_INSPECT;
  work->class_name = g_steal_pointer (&name);
  call_run_work (call, g_steal_pointer (&work));
}

static void
handle_create_theme (Call  *call,
                     char **args)
{
  AtelierSandboxServer *self = call->self;
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(JsonObject) errors = json_object_new ();
  JsonObject *params = _atelier_sandbox_request_get_params (call->request);
  JsonObject *nested = _atelier_sandbox_params_get_object (params, "theme");

  /* JSON sends {"theme": "…", "tune_ids": […]}; forms send theme[theme]. */
  if (!_atelier_sandbox_store_create_theme (self->store, nested ? nested : params, errors))
    {
      call_reply_errors (call, errors);
      return;
    }

  mark_dirty_locked (self);
  call_reply_empty (call, SOUP_STATUS_CREATED);
}

/* fal's queue API */

static void
set_fal_url (JsonObject *object,
             const char *member,
             Call       *call,
             const char *id,
             const char *suffix)
{
  g_autofree char *url = g_strdup_printf ("%s" FAL_PATH "/requests/%s%s", call->base_url, id, suffix);

  json_object_set_string_member (object, member, url);
}

static void
handle_fal_submit (Call  *call,
                   char **args)
{
  AtelierSandboxServer *self = call->self;
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  JsonNode *json = atelier_sandbox_request_get_json (call->request);
  JsonObject *input = json != NULL && JSON_NODE_HOLDS_OBJECT (json) ? json_node_get_object (json) : NULL;
  g_autoptr(JsonObject) answer = json_object_new ();
  AtelierSandboxFalRequest *request;
  guint position = 0;

  if (input == NULL || _atelier_sandbox_node_is_blank (json_object_get_member (input, "prompt")))
    {
      g_autoptr(JsonObject) detail = json_object_new ();
      JsonArray *loc = json_array_new ();
      JsonArray *details = json_array_new ();

      json_array_add_string_element (loc, "body");
      json_array_add_string_element (loc, "prompt");
      json_object_set_array_member (detail, "loc", loc);
      json_object_set_string_member (detail, "msg", "field required");
      json_object_set_string_member (detail, "type", "value_error.missing");
      json_array_add_object_element (details, g_steal_pointer (&detail));
      json_object_set_array_member (answer, "detail", details);
      call_reply_object (call, SOUP_STATUS_UNPROCESSABLE_ENTITY, answer);
      return;
    }

  request = _atelier_sandbox_store_create_fal (self->store, input);
  _atelier_sandbox_store_get_fal_state (self->store, request, &position);
  mark_dirty_locked (self);

  json_object_set_string_member (answer, "request_id", request->id);
  set_fal_url (answer, "response_url", call, request->id, "");
  set_fal_url (answer, "status_url", call, request->id, "/status");
  set_fal_url (answer, "cancel_url", call, request->id, "/cancel");
  json_object_set_int_member (answer, "queue_position", position);
  call_reply_object (call, SOUP_STATUS_OK, answer);
}

static AtelierSandboxFalRequest *
call_lookup_fal (Call       *call,
                 const char *id)
{
  AtelierSandboxFalRequest *request = _atelier_sandbox_store_lookup_fal (call->self->store, id);

  if (request == NULL)
    call_reply_message (call, "detail", "Request not found", SOUP_STATUS_NOT_FOUND);

  return request;
}

/* A cancelled request is reported completed with an error, as fal reports
 * requests that did not produce a result. */
static void
handle_fal_status (Call  *call,
                   char **args)
{
  AtelierSandboxServer *self = call->self;
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  AtelierSandboxFalRequest *request = call_lookup_fal (call, args[0]);
  g_autoptr(JsonObject) answer = json_object_new ();
  guint position = 0;
  guint status = SOUP_STATUS_ACCEPTED;

  if (request == NULL)
    return;

  switch (_atelier_sandbox_store_get_fal_state (self->store, request, &position))
    {
    case ATELIER_SANDBOX_FAL_IN_QUEUE:
      json_object_set_string_member (answer, "status", "IN_QUEUE");
      json_object_set_int_member (answer, "queue_position", position);
      break;

    case ATELIER_SANDBOX_FAL_IN_PROGRESS:
      json_object_set_string_member (answer, "status", "IN_PROGRESS");
      json_object_set_array_member (answer, "logs", json_array_new ());
      break;

    case ATELIER_SANDBOX_FAL_COMPLETED:
      json_object_set_string_member (answer, "status", "COMPLETED");
      json_object_set_array_member (answer, "logs", json_array_new ());
      status = SOUP_STATUS_OK;
      break;

    case ATELIER_SANDBOX_FAL_CANCELLED:
    default:
      json_object_set_string_member (answer, "status", "COMPLETED");
      json_object_set_string_member (answer, "error", "Request was cancelled");
      json_object_set_string_member (answer, "error_type", "request_cancelled");
      status = SOUP_STATUS_OK;
      break;
    }

  set_fal_url (answer, "response_url", call, request->id, "");
  call_reply_object (call, status, answer);
}

static void
handle_fal_result (Call  *call,
                   char **args)
{
  AtelierSandboxServer *self = call->self;
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  AtelierSandboxFalRequest *request = call_lookup_fal (call, args[0]);
  g_autoptr(Work) work = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *url = NULL;
  JsonObject *image;
  AtelierSandboxFalState state;

  if (request == NULL)
    return;

  state = _atelier_sandbox_store_get_fal_state (self->store, request, NULL);
  if (state == ATELIER_SANDBOX_FAL_CANCELLED)
    {
      g_autoptr(JsonObject) answer = json_object_new ();

      json_object_set_string_member (answer, "detail", "Request was cancelled");
      json_object_set_string_member (answer, "error_type", "request_cancelled");
      call_reply_object (call, SOUP_STATUS_BAD_REQUEST, answer);
      return;
    }

  if (state != ATELIER_SANDBOX_FAL_COMPLETED)
    {
      call_reply_message (call, "detail", "Request is still in progress", SOUP_STATUS_BAD_REQUEST);
      return;
    }

  work = g_new0 (Work, 1);
  work->kind = WORK_FAL_RESULT;
  work->job = _atelier_sandbox_store_fal_image_job (self->store, request);
  file_name = g_strdup_printf ("%s.jpg", request->id);
  url = g_strdup_printf ("%s/sandbox/images/fal/%s", call->base_url, file_name);

  image = json_object_new ();
  json_object_set_string_member (image, "url", url);
  json_object_set_string_member (image, "content_type", "image/jpeg");
  json_object_set_string_member (image, "file_name", file_name);
  json_object_set_int_member (image, "file_size", 0);
  json_object_set_int_member (image, "width", work->job->width);
  json_object_set_int_member (image, "height", work->job->height);
  work->fal_result = json_object_new ();
  json_object_set_object_member (work->fal_result, "image", image);
  json_object_set_int_member (work->fal_result, "seed", request->seed);

  call_run_work (call, g_steal_pointer (&work));
}

static void
handle_fal_cancel (Call  *call,
                   char **args)
{
  AtelierSandboxServer *self = call->self;
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  AtelierSandboxFalRequest *request = call_lookup_fal (call, args[0]);

  if (request == NULL)
    return;

  switch (_atelier_sandbox_store_get_fal_state (self->store, request, NULL))
    {
    case ATELIER_SANDBOX_FAL_IN_QUEUE:
      request->cancelled_at = g_get_real_time ();
      mark_dirty_locked (self);
      G_GNUC_FALLTHROUGH;

    case ATELIER_SANDBOX_FAL_CANCELLED:
      call_reply_message (call, "status", "CANCELLATION_REQUESTED", SOUP_STATUS_ACCEPTED);
      break;

    case ATELIER_SANDBOX_FAL_IN_PROGRESS:
    case ATELIER_SANDBOX_FAL_COMPLETED:
    default:
      call_reply_message (call, "status", "ALREADY_COMPLETED", SOUP_STATUS_BAD_REQUEST);
      break;
    }
}

static const Route routes[] = {
  { "GET",    "/tunes",                          AUTH_BEARER, handle_list_tunes },
  { "POST",   "/tunes",                          AUTH_BEARER, handle_create_tune },
  { "GET",    "/tunes/:id",                      AUTH_BEARER, handle_get_tune },
  { "DELETE", "/tunes/:id",                      AUTH_BEARER, handle_delete_tune },
  { "GET",    "/tunes/:id/prompts",              AUTH_BEARER, handle_list_tune_prompts },
  { "POST",   "/tunes/:id/prompts",              AUTH_BEARER, handle_create_prompt },
  { "GET",    "/tunes/:id/prompts/:id",          AUTH_BEARER, handle_get_tune_prompt },
  { "DELETE", "/tunes/:id/prompts/:id",          AUTH_BEARER, handle_delete_tune_prompt },
  { "GET",    "/prompts",                        AUTH_BEARER, handle_list_prompts },
  { "GET",    "/prompts/:id",                    AUTH_BEARER, handle_get_prompt },
  { "DELETE", "/prompts/:id",                    AUTH_BEARER, handle_delete_prompt },
  { "POST",   "/prompts/:id/likes",              AUTH_BEARER, handle_like },
  { "DELETE", "/prompts/:id/likes",              AUTH_BEARER, handle_unlike },
  { "POST",   "/prompts/:id/like",               AUTH_BEARER, handle_like },
  { "DELETE", "/prompts/:id/like",               AUTH_BEARER, handle_unlike },
  { "GET",    "/packs",                          AUTH_BEARER, handle_list_packs },
  { "GET",    "/gallery/packs",                  AUTH_BEARER, handle_list_gallery_packs },
  { "GET",    "/packs/:id/prompts",              AUTH_BEARER, handle_list_pack_prompts },
  { "POST",   "/p/:id/tunes",                    AUTH_BEARER, handle_create_pack_tune },
  { "POST",   "/images/inspect",                 AUTH_BEARER, handle_inspect },
  { "POST",   "/themes",                         AUTH_BEARER, handle_create_theme },
  { "POST",   FAL_PATH,                          AUTH_KEY,    handle_fal_submit },
  { "GET",    FAL_PATH "/requests/:id/status",   AUTH_KEY,    handle_fal_status },
  { "GET",    FAL_PATH "/requests/:id",          AUTH_KEY,    handle_fal_result },
  { "PUT",    FAL_PATH "/requests/:id/cancel",   AUTH_KEY,    handle_fal_cancel },
};

#define MAX_ROUTE_ARGS 2

/* Matches @segments against @pattern, filling @args with the ":id" parts. */
static gboolean
route_matches (const Route  *route,
               char        **segments,
               char        **args)
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

static gboolean
call_check_auth (Call     *call,
                 AuthKind  kind)
{
  AtelierSandboxServer *self = call->self;
  const char *header = atelier_sandbox_request_get_header (call->request, "Authorization");
  const char *scheme = kind == AUTH_KEY ? "Key " : "Bearer ";
  g_autofree char *key = NULL;
  gboolean accepted;

  if (kind == AUTH_NONE)
    return TRUE;

  if (header != NULL && g_ascii_strncasecmp (header, scheme, strlen (scheme)) == 0)
    key = g_strstrip (g_strdup (header + strlen (scheme)));

  g_mutex_lock (&self->lock);
  accepted = key != NULL && key[0] != '\0' &&
             (self->api_key == NULL || g_str_equal (self->api_key, key));
  g_mutex_unlock (&self->lock);

  if (!accepted)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (call->msg),
                                    "WWW-Authenticate", kind == AUTH_KEY ? "Key" : "Bearer");
      call_reply_error (call, SOUP_STATUS_UNAUTHORIZED, "Unauthorized");
    }

  return accepted;
}

static gboolean
call_check_body (Call *call)
{
  switch (call->body_status)
    {
    case ATELIER_SANDBOX_BODY_OK:
      return TRUE;

    case ATELIER_SANDBOX_BODY_MALFORMED_JSON:
      call_reply_error (call, SOUP_STATUS_BAD_REQUEST, "Malformed JSON");
      return FALSE;

    case ATELIER_SANDBOX_BODY_TOO_DEEP:
      call_reply_error (call, SOUP_STATUS_BAD_REQUEST, "JSON nested too deeply");
      return FALSE;

    case ATELIER_SANDBOX_BODY_MALFORMED_FORM:
    default:
      call_reply_error (call, SOUP_STATUS_BAD_REQUEST, "Malformed form data");
      return FALSE;
    }
}

static void
call_route (Call *call)
{
  const char *method = atelier_sandbox_request_get_method (call->request);
  g_auto(GStrv) segments = split_path (atelier_sandbox_request_get_path (call->request));
  g_autoptr(GString) allowed = g_string_new (NULL);

  if (g_str_equal (method, "HEAD"))
    method = "GET";

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      char *args[MAX_ROUTE_ARGS + 1] = { NULL, };

      if (!route_matches (&routes[i], segments, args))
        continue;

      if (!g_str_equal (routes[i].method, method))
        {
          g_string_append_printf (allowed, "%s%s", allowed->len ? ", " : "", routes[i].method);
          continue;
        }

      if (call_check_auth (call, routes[i].auth) && call_check_body (call))
        routes[i].func (call, args);
      return;
    }

  if (allowed->len > 0)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (call->msg), "Allow", allowed->str);
      call_reply_error (call, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method not allowed");
      return;
    }

  call_reply_not_found (call);
}

/* Faults */

static gboolean
drop_cb (gpointer user_data)
{
  Call *call = user_data;
  GIOStream *stream = NULL;

  g_clear_pointer (&call->source, g_source_unref);

  if (!call->gone)
    stream = soup_server_message_steal_connection (call->msg);
  if (stream != NULL)
    {
      g_io_stream_close (stream, NULL, NULL);
      g_object_unref (stream);
    }

  call_free (call);

  return G_SOURCE_REMOVE;
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
call_reply_status_fault (Call             *call,
                         const FaultEntry *entry)
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
    body = error_body (message);

  call_reply_full (call, entry->fault.status ? entry->fault.status : SOUP_STATUS_INTERNAL_SERVER_ERROR,
                   "application/json; charset=utf-8", body, NULL);
}

/* Applies the call's fault (after its delay), then handles it normally
 * unless the fault answers in its place. */
static void
call_dispatch (Call *call)
{
  g_autoptr(FaultEntry) entry = NULL;

  if (call->fault != NULL)
    {
      switch (call->fault->fault.kind)
        {
        case ATELIER_SANDBOX_FAULT_STATUS:
          entry = g_steal_pointer (&call->fault);
          call_reply_status_fault (call, entry);
          return;

        case ATELIER_SANDBOX_FAULT_INVALID_JSON:
          g_clear_pointer (&call->fault, fault_entry_free);
          call_reply_full (call, SOUP_STATUS_OK, "application/json",
                           g_bytes_new_static ("<html>Bad gateway</html>", strlen ("<html>Bad gateway</html>")),
                           NULL);
          return;

        case ATELIER_SANDBOX_FAULT_DEEP_JSON:
          g_clear_pointer (&call->fault, fault_entry_free);
          call_reply_full (call, SOUP_STATUS_OK, "application/json", deep_json_body (), NULL);
          return;

        case ATELIER_SANDBOX_FAULT_DROP:
          call->source = g_idle_source_new ();
          g_source_set_callback (call->source, drop_cb, call, NULL);
          g_source_attach (call->source, call->self->context);
          return;

        case ATELIER_SANDBOX_FAULT_HANG:
          return;

        case ATELIER_SANDBOX_FAULT_DELAY:
          g_clear_pointer (&call->fault, fault_entry_free);
          break;

        case ATELIER_SANDBOX_FAULT_TRUNCATED_JSON:
        case ATELIER_SANDBOX_FAULT_CREATE_THEN_504:
        default:
          break;
        }
    }

  call_route (call);
}

static gboolean
delay_done_cb (gpointer user_data)
{
  Call *call = user_data;

  g_clear_pointer (&call->source, g_source_unref);

  if (call->gone)
    {
      call_free (call);
      return G_SOURCE_REMOVE;
    }

  call_dispatch (call);

  /* Answered or handed over (to a worker or a drop); a hang stays paused. */
  return G_SOURCE_REMOVE;
}

/* Request log */

static void
log_request (AtelierSandboxServer  *self,
             AtelierSandboxRequest *request)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  g_ptr_array_add (self->requests, atelier_sandbox_request_ref (request));
  if (self->requests->len > MAX_LOGGED_REQUESTS)
    g_ptr_array_remove_range (self->requests, 0, self->requests->len - MAX_LOGGED_REQUESTS);
}

/* The control API: POST /__sandbox/faults {…}, DELETE /__sandbox/faults */

static gboolean
parse_fault_kind (const char              *text,
                  AtelierSandboxFaultKind *kind)
{
  static const char * const names[] = {
    "status", "delay", "truncated_json", "invalid_json", "deep_json", "drop", "hang", "create_then_504",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (g_strcmp0 (text, names[i]) == 0)
        {
          *kind = (AtelierSandboxFaultKind) i;
          return TRUE;
        }
    }

  return FALSE;
}

static guint
params_get_uint (JsonObject *params,
                 const char *name)
{
  gint64 value = 0;

  if (!_atelier_sandbox_node_get_int (_atelier_sandbox_params_get (params, name), &value))
    return 0;

  return (guint) CLAMP (value, 0, G_MAXUINT);
}

static void
handle_control (Call *call)
{
  AtelierSandboxServer *self = call->self;
  const char *method = atelier_sandbox_request_get_method (call->request);
  JsonObject *params = _atelier_sandbox_request_get_params (call->request);
  AtelierSandboxFault fault = { 0, };

  if (!g_str_equal (atelier_sandbox_request_get_path (call->request), "/__sandbox/faults"))
    {
      call_reply_not_found (call);
      return;
    }

  if (g_str_equal (method, "DELETE"))
    {
      atelier_sandbox_server_clear_faults (self);
      call_reply_empty (call, SOUP_STATUS_NO_CONTENT);
      return;
    }

  if (!g_str_equal (method, "POST"))
    {
      call_reply_error (call, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method not allowed");
      return;
    }

  if (!call_check_body (call))
    return;

  if (!parse_fault_kind (_atelier_sandbox_params_get_string (params, "kind"), &fault.kind))
    {
      call_reply_field_error (call, "kind", "is not included in the list");
      return;
    }

  fault.method = _atelier_sandbox_params_get_string (params, "method");
  fault.path = _atelier_sandbox_params_get_string (params, "path");
  fault.body = _atelier_sandbox_params_get_string (params, "body");
  fault.status = params_get_uint (params, "status");
  fault.retry_after_s = params_get_uint (params, "retry_after");
  fault.delay_ms = params_get_uint (params, "delay_ms");
  fault.times = params_get_uint (params, "times");
  atelier_sandbox_server_add_fault (self, &fault);

  call_reply_empty (call, SOUP_STATUS_CREATED);
}

/* Handlers */

static void
handle_api (Call *call)
{
  AtelierSandboxServer *self = call->self;

  log_request (self, call->request);

  call->fault = match_fault (self, atelier_sandbox_request_get_method (call->request),
                             atelier_sandbox_request_get_path (call->request));

  if (call->fault != NULL && call->fault->fault.delay_ms > 0)
    {
      call->source = g_timeout_source_new (call->fault->fault.delay_ms);
      g_source_set_callback (call->source, delay_done_cb, call, NULL);
      g_source_attach (call->source, self->context);
      return;
    }

  call_dispatch (call);
}

static void
server_handler_cb (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  AtelierSandboxServer *self = user_data;
  Call *call = call_new (self, msg);

  call->in_handler = TRUE;

  if (g_str_has_prefix (path, "/sandbox/images/"))
    {
      handle_image (call);
    }
  else
    {
      gboolean control = g_str_has_prefix (path, "/__sandbox/");

      call->request = _atelier_sandbox_request_new_from_message (msg, control, &call->body_status);
      if (control)
        handle_control (call);
      else
        handle_api (call);
    }

  call->in_handler = FALSE;

  if (call->replied)
    call_free (call);
  else
    call_pause (call);
}

static void
reject_too_large (SoupServerMessage *msg)
{
  g_autoptr(GBytes) body = error_body ("Request body too large");

  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  soup_message_body_truncate (soup_server_message_get_request_body (msg));
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
  soup_server_message_set_status (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  guint64 *received = g_object_get_data (G_OBJECT (msg), "atelier-sandbox-received");

  *received += g_bytes_get_size (chunk);
  if (*received > ATELIER_SANDBOX_MAX_BODY && soup_server_message_get_status (msg) == 0)
    reject_too_large (msg);
}

/* Bodies over 64 MiB are refused before they are stored. */
static void
early_handler_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > ATELIER_SANDBOX_MAX_BODY)
    {
      reject_too_large (msg);
      return;
    }

  g_object_set_data_full (G_OBJECT (msg), "atelier-sandbox-received", g_new0 (guint64, 1), g_free);
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
  if (task != NULL && self->state == STATE_FAILED)
    {
      error = g_steal_pointer (&self->start_error);
      self->state = STATE_STOPPED;
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
  self->state = STATE_STOPPED;
  g_mutex_unlock (&self->lock);

  /* Closing the connections marks paused calls gone; those waiting for a
   * worker are freed when it returns, the others (delays, hangs, drops)
   * right away. */
  soup_server_disconnect (self->soup);

  calls = g_list_copy (self->paused_calls);
  for (GList *l = calls; l != NULL; l = l->next)
    {
      Call *call = l->data;

      call->gone = TRUE;
      if (!call->working)
        call_free (call);
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
      self->state = STATE_RUNNING;
      if (self->dirty)
        mark_dirty_locked (self);
    }
  else
    {
      self->state = STATE_FAILED;
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
  _atelier_sandbox_store_set_delays (self->store, self->training_delay_ms, self->prompt_delay_ms,
                                     self->fal_delay_ms, self->image_size);
  _atelier_sandbox_store_load (self->store);
  self->dirty = TRUE;
  self->state = STATE_STARTING;
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
  while (self->state == STATE_STARTING)
    g_cond_wait (&self->cond, &self->lock);
  if (self->state == STATE_FAILED)
    {
      start_error = g_steal_pointer (&self->start_error);
      self->state = STATE_STOPPED;
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
  while (self->state == STATE_STARTING)
    g_cond_wait (&self->cond, &self->lock);
  running = self->state == STATE_RUNNING;
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
  self->state = STATE_STOPPED;
  self->save_scheduled = FALSE;
  g_clear_error (&self->start_error);
  g_mutex_unlock (&self->lock);
}

guint
atelier_sandbox_server_get_port (AtelierSandboxServer *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (ATELIER_IS_SANDBOX_SERVER (self), 0);

  locker = g_mutex_locker_new (&self->lock);

  return self->port;
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
                  guint                *field,
                  guint                 value,
                  GParamSpec           *pspec)
{
  gboolean changed;

  g_mutex_lock (&self->lock);
  changed = *field != value;
  *field = value;
  if (self->store != NULL)
    _atelier_sandbox_store_set_delays (self->store, self->training_delay_ms, self->prompt_delay_ms,
                                       self->fal_delay_ms, self->image_size);
  g_mutex_unlock (&self->lock);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), pspec);
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
atelier_sandbox_server_set_training_delay_ms (AtelierSandboxServer *self,
                                              guint                 delay_ms)
{
  g_return_if_fail (ATELIER_IS_SANDBOX_SERVER (self));

  set_uint_setting (self, &self->training_delay_ms, delay_ms, properties[PROP_TRAINING_DELAY_MS]);
}

void
atelier_sandbox_server_set_prompt_delay_ms (AtelierSandboxServer *self,
                                            guint                 delay_ms)
{
  g_return_if_fail (ATELIER_IS_SANDBOX_SERVER (self));

  set_uint_setting (self, &self->prompt_delay_ms, delay_ms, properties[PROP_PROMPT_DELAY_MS]);
}

void
atelier_sandbox_server_set_fal_delay_ms (AtelierSandboxServer *self,
                                         guint                 delay_ms)
{
  g_return_if_fail (ATELIER_IS_SANDBOX_SERVER (self));

  set_uint_setting (self, &self->fal_delay_ms, delay_ms, properties[PROP_FAL_DELAY_MS]);
}

void
atelier_sandbox_server_set_image_size (AtelierSandboxServer *self,
                                       guint                 size)
{
  g_return_if_fail (ATELIER_IS_SANDBOX_SERVER (self));
  g_return_if_fail (size >= 16);

  set_uint_setting (self, &self->image_size, size, properties[PROP_IMAGE_SIZE]);
}

/* Faults and the request log */

void
atelier_sandbox_server_add_fault (AtelierSandboxServer      *self,
                                  const AtelierSandboxFault *fault)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (ATELIER_IS_SANDBOX_SERVER (self));
  g_return_if_fail (fault != NULL);

  locker = g_mutex_locker_new (&self->lock);
  g_ptr_array_add (self->faults, fault_entry_new (fault));
}

void
atelier_sandbox_server_clear_faults (AtelierSandboxServer *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (ATELIER_IS_SANDBOX_SERVER (self));

  locker = g_mutex_locker_new (&self->lock);
  g_ptr_array_set_size (self->faults, 0);
}

static gboolean
request_matches (AtelierSandboxRequest *request,
                 const char            *method,
                 const char            *path)
{
  return (method == NULL || g_ascii_strcasecmp (atelier_sandbox_request_get_method (request), method) == 0) &&
         (path == NULL || g_str_has_prefix (atelier_sandbox_request_get_path (request), path));
}

GPtrArray *
atelier_sandbox_server_dup_requests (AtelierSandboxServer *self)
{
  g_autoptr(GMutexLocker) locker = NULL;
  GPtrArray *requests;

  g_return_val_if_fail (ATELIER_IS_SANDBOX_SERVER (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  requests = g_ptr_array_new_full (self->requests->len, (GDestroyNotify) atelier_sandbox_request_unref);
  for (guint i = 0; i < self->requests->len; i++)
    g_ptr_array_add (requests, atelier_sandbox_request_ref (g_ptr_array_index (self->requests, i)));

  return requests;
}

AtelierSandboxRequest *
atelier_sandbox_server_dup_last_request (AtelierSandboxServer *self,
                                         const char           *method,
                                         const char           *path)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (ATELIER_IS_SANDBOX_SERVER (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  for (guint i = self->requests->len; i > 0; i--)
    {
      AtelierSandboxRequest *request = g_ptr_array_index (self->requests, i - 1);

      if (request_matches (request, method, path))
        return atelier_sandbox_request_ref (request);
    }

  return NULL;
}

guint
atelier_sandbox_server_count_requests (AtelierSandboxServer *self,
                                       const char           *method,
                                       const char           *path)
{
  g_autoptr(GMutexLocker) locker = NULL;
  guint count = 0;

  g_return_val_if_fail (ATELIER_IS_SANDBOX_SERVER (self), 0);

  locker = g_mutex_locker_new (&self->lock);
  for (guint i = 0; i < self->requests->len; i++)
    {
      if (request_matches (g_ptr_array_index (self->requests, i), method, path))
        count++;
    }

  return count;
}

guint
atelier_sandbox_server_count_image_downloads (AtelierSandboxServer *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (ATELIER_IS_SANDBOX_SERVER (self), 0);

  locker = g_mutex_locker_new (&self->lock);

  return self->image_downloads;
}

void
atelier_sandbox_server_clear_requests (AtelierSandboxServer *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (ATELIER_IS_SANDBOX_SERVER (self));

  locker = g_mutex_locker_new (&self->lock);
  g_ptr_array_set_size (self->requests, 0);
  self->image_downloads = 0;
}

/* Seeding */

/* Ends a mutation from a public helper: saves at once when the server
 * thread will not. Takes the locker. */
static void
finish_mutation (AtelierSandboxServer *self,
                 GMutexLocker         *locker)
{
  gboolean save = mark_dirty_locked (self);

  g_mutex_locker_free (locker);

  if (save)
    save_now (self, FALSE);
}

gint64
atelier_sandbox_server_seed_tune (AtelierSandboxServer *self,
                                  const char           *title,
                                  const char           *class_name,
                                  gboolean              trained)
{
  GMutexLocker *locker;
  gint64 id;

  g_return_val_if_fail (ATELIER_IS_SANDBOX_SERVER (self), 0);
  g_return_val_if_fail (title != NULL, 0);
  g_return_val_if_fail (class_name != NULL, 0);

  locker = g_mutex_locker_new (&self->lock);
  id = _atelier_sandbox_store_seed_tune (self->store, title, class_name, trained)->id;
  finish_mutation (self, locker);

  return id;
}

static gint64
seed_prompts_locked (AtelierSandboxServer *self,
                     gint64                tune_id,
                     const char           *text,
                     guint                 n_prompts,
                     guint                 n_images)
{
  static const char * const subjects[] = {
    "in a sunflower field", "as an astronaut", "in a rainy Paris street", "on a sailboat at dawn",
    "as a Renaissance painting", "in a neon arcade", "hiking in the Dolomites", "reading in a library",
  };
  AtelierSandboxTune *tune = _atelier_sandbox_store_lookup_tune (self->store, tune_id);
  gint64 id = 0;

  if (tune == NULL)
    {
      g_critical ("Sandbox: no tune %" G_GINT64_FORMAT " to seed prompts on", tune_id);
      return 0;
    }

  for (guint i = 0; i < n_prompts; i++)
    {
      g_autofree char *generated = NULL;

      if (text == NULL)
        generated = g_strdup_printf ("ohwx %s %s, seeded prompt %u",
                                     tune->name ? tune->name : "person",
                                     subjects[i % G_N_ELEMENTS (subjects)], i + 1);

      id = _atelier_sandbox_store_seed_prompt (self->store, tune, text ? text : generated, n_images)->id;
    }

  return id;
}

gint64
atelier_sandbox_server_seed_prompt (AtelierSandboxServer *self,
                                    gint64                tune_id,
                                    const char           *text,
                                    guint                 n_images)
{
  GMutexLocker *locker;
  gint64 id;

  g_return_val_if_fail (ATELIER_IS_SANDBOX_SERVER (self), 0);
  g_return_val_if_fail (text != NULL, 0);

  locker = g_mutex_locker_new (&self->lock);
  id = seed_prompts_locked (self, tune_id, text, 1, n_images);
  finish_mutation (self, locker);

  return id;
}

void
atelier_sandbox_server_seed_prompts (AtelierSandboxServer *self,
                                     gint64                tune_id,
                                     guint                 n_prompts,
                                     guint                 n_images)
{
  GMutexLocker *locker;

  g_return_if_fail (ATELIER_IS_SANDBOX_SERVER (self));

  locker = g_mutex_locker_new (&self->lock);
  seed_prompts_locked (self, tune_id, NULL, n_prompts, n_images);
  finish_mutation (self, locker);
}

void
atelier_sandbox_server_expire_prompt (AtelierSandboxServer *self,
                                      gint64                prompt_id)
{
  GMutexLocker *locker;
  AtelierSandboxPrompt *prompt;

  g_return_if_fail (ATELIER_IS_SANDBOX_SERVER (self));

  locker = g_mutex_locker_new (&self->lock);
  prompt = _atelier_sandbox_store_lookup_prompt (self->store, prompt_id);
  if (prompt != NULL)
    _atelier_sandbox_store_delete_prompt (self->store, prompt);
  finish_mutation (self, locker);
}

guint
atelier_sandbox_server_get_like_count (AtelierSandboxServer *self,
                                       gint64                prompt_id)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (ATELIER_IS_SANDBOX_SERVER (self), 0);

  locker = g_mutex_locker_new (&self->lock);

  return _atelier_sandbox_store_get_like_count (self->store, prompt_id);
}

static void
render_job_cb (gpointer data,
               gpointer user_data)
{
  g_autoptr(AtelierSandboxRenderJob) job = data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = _atelier_sandbox_render_job_run (job, &error);
  if (bytes == NULL)
    g_warning ("Sandbox: could not render %s: %s", job->cache_path, error->message);
}

void
atelier_sandbox_server_render_all (AtelierSandboxServer *self)
{
  g_autoptr(GPtrArray) jobs = NULL;
  GThreadPool *pool;

  g_return_if_fail (ATELIER_IS_SANDBOX_SERVER (self));

  g_mutex_lock (&self->lock);
  jobs = _atelier_sandbox_store_dup_all_image_jobs (self->store);
  g_mutex_unlock (&self->lock);

  pool = g_thread_pool_new (render_job_cb, NULL, g_get_num_processors (), FALSE, NULL);
  for (guint i = 0; i < jobs->len; i++)
    {
      AtelierSandboxRenderJob *job = g_ptr_array_index (jobs, i);

      if (g_file_test (job->cache_path, G_FILE_TEST_EXISTS))
        continue;

      g_ptr_array_index (jobs, i) = NULL;
      g_thread_pool_push (pool, job, NULL);
    }
  g_thread_pool_free (pool, FALSE, TRUE);
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

  self->store = _atelier_sandbox_store_new (self->data_dir);
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

    case PROP_TRAINING_DELAY_MS:
      g_value_set_uint (value, self->training_delay_ms);
      break;

    case PROP_PROMPT_DELAY_MS:
      g_value_set_uint (value, self->prompt_delay_ms);
      break;

    case PROP_FAL_DELAY_MS:
      g_value_set_uint (value, self->fal_delay_ms);
      break;

    case PROP_IMAGE_SIZE:
      g_value_set_uint (value, self->image_size);
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

    case PROP_TRAINING_DELAY_MS:
      atelier_sandbox_server_set_training_delay_ms (self, g_value_get_uint (value));
      break;

    case PROP_PROMPT_DELAY_MS:
      atelier_sandbox_server_set_prompt_delay_ms (self, g_value_get_uint (value));
      break;

    case PROP_FAL_DELAY_MS:
      atelier_sandbox_server_set_fal_delay_ms (self, g_value_get_uint (value));
      break;

    case PROP_IMAGE_SIZE:
      atelier_sandbox_server_set_image_size (self, g_value_get_uint (value));
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

  properties[PROP_TRAINING_DELAY_MS] =
    g_param_spec_uint ("training-delay-ms", NULL, NULL,
                       0, G_MAXUINT, 60000,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_PROMPT_DELAY_MS] =
    g_param_spec_uint ("prompt-delay-ms", NULL, NULL,
                       0, G_MAXUINT, 2000,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_FAL_DELAY_MS] =
    g_param_spec_uint ("fal-delay-ms", NULL, NULL,
                       0, G_MAXUINT, 2000,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_IMAGE_SIZE] =
    g_param_spec_uint ("image-size", NULL, NULL,
                       16, 8192, 1024,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
atelier_sandbox_server_init (AtelierSandboxServer *self)
{
  g_mutex_init (&self->lock);
  g_mutex_init (&self->save_lock);
  g_cond_init (&self->cond);

  self->training_delay_ms = 60000;
  self->prompt_delay_ms = 2000;
  self->fal_delay_ms = 2000;
  self->image_size = 1024;
  self->faults = g_ptr_array_new_with_free_func (fault_entry_free);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) atelier_sandbox_request_unref);
}
