/* atelier-sandbox-controls.c: test controls, over HTTP and in C
 *
 * What tests and the standalone tool use to steer and observe the server
 * besides its API: /__sandbox/faults (the HTTP form of the fault
 * functions: only with the test-controls property, behind the key like
 * the API, not logged, at most ATELIER_SANDBOX_MAX_FAULTS faults of at
 * most MAX_FAULT_BODY bytes each), seeding tunes and prompts,
 * expiring prompts, the log of API requests, and rendering every image
 * ahead of time. The C helpers take the lock and may be called from any
 * thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atelier-sandbox-server-private.h"

#define MAX_LOGGED_REQUESTS   1000
#define FAULTS_PATH           "/__sandbox/faults"
#define MAX_FAULT_BODY        (1024 * 1024)

/* POST /__sandbox/faults {…}, DELETE /__sandbox/faults */

static gboolean
parse_fault_kind (const char              *text,
                  AtelierSandboxFaultKind *kind)
{
  static const char * const names[] = {
    "status", "delay", "truncated_json", "invalid_json", "deep_json", "drop", "hang", "create_then_504",
    "create_then_drop", "huge_body", "endless_body", "wrong_content_type", "empty_body", "html_error",
    "redirect", "reset_mid_body", "quoted_deep_json", "commented_deep_json",
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (names) == ATELIER_SANDBOX_FAULT_COMMENTED_DEEP_JSON + 1);

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
  return (guint) CLAMP (_atelier_sandbox_params_get_int (params, name, 0), 0, G_MAXUINT);
}

void
_atelier_sandbox_call_control (AtelierSandboxCall *call)
{
  const char *method = atelier_sandbox_request_get_method (call->request);
  JsonObject *params = _atelier_sandbox_request_get_params (call->request);
  AtelierSandboxFault fault = { 0, };
  gboolean full;

  if (!g_str_equal (atelier_sandbox_request_get_path (call->request), FAULTS_PATH))
    {
      _atelier_sandbox_call_reply_not_found (call);
      return;
    }

  if (g_str_equal (method, "DELETE"))
    {
      atelier_sandbox_server_clear_faults (call->self);
      _atelier_sandbox_call_reply_empty (call, SOUP_STATUS_NO_CONTENT);
      return;
    }

  if (!g_str_equal (method, "POST"))
    {
      _atelier_sandbox_call_reply_not_allowed (call, NULL);
      return;
    }

  if (!_atelier_sandbox_call_check_body (call))
    return;

  if (!parse_fault_kind (_atelier_sandbox_params_get_string (params, "kind"), &fault.kind))
    {
      _atelier_sandbox_call_reply_field_error (call, "kind", "is not included in the list");
      return;
    }

  fault.method = _atelier_sandbox_params_get_string (params, "method");
  fault.path = _atelier_sandbox_params_get_string (params, "path");
  fault.body = _atelier_sandbox_params_get_string (params, "body");
  if (fault.body != NULL && strlen (fault.body) > MAX_FAULT_BODY)
    {
      _atelier_sandbox_call_reply_field_error (call, "body", "is too long (at most 1 MiB)");
      return;
    }
  fault.status = params_get_uint (params, "status");
  fault.retry_after_s = params_get_uint (params, "retry_after");
  fault.delay_ms = params_get_uint (params, "delay_ms");
  fault.times = params_get_uint (params, "times");
  /* Faults come only from this thread over HTTP: the count cannot grow
   * between the check and the add but through the C helpers. */
  g_mutex_lock (&call->self->lock);
  full = call->self->faults->len >= ATELIER_SANDBOX_MAX_FAULTS;
  g_mutex_unlock (&call->self->lock);
  if (full)
    {
      g_autofree char *message = g_strdup_printf ("Too many faults (at most %u): DELETE %s first",
                                                  ATELIER_SANDBOX_MAX_FAULTS, FAULTS_PATH);

      _atelier_sandbox_call_reply_error (call, SOUP_STATUS_UNPROCESSABLE_ENTITY, message);
      return;
    }

  atelier_sandbox_server_add_fault (call->self, &fault);

  _atelier_sandbox_call_reply_empty (call, SOUP_STATUS_CREATED);
}

/* The request log */

void
_atelier_sandbox_server_log_request (AtelierSandboxServer  *self,
                                     AtelierSandboxRequest *request)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  g_ptr_array_add (self->requests, atelier_sandbox_request_ref (request));
  self->logged_bytes += _atelier_sandbox_request_get_kept_bytes (request);
  while (self->requests->len > MAX_LOGGED_REQUESTS)
    {
      self->logged_bytes -= _atelier_sandbox_request_get_kept_bytes (g_ptr_array_index (self->requests, 0));
      g_ptr_array_remove_index (self->requests, 0);
    }

  /* Over the budget, the oldest bodies go; the newest stays whole. */
  for (guint i = 0; self->logged_bytes > self->log_budget && i + 1 < self->requests->len; i++)
    {
      AtelierSandboxRequest *old = g_ptr_array_index (self->requests, i);
      gsize kept = _atelier_sandbox_request_get_kept_bytes (old);

      if (kept == 0)
        continue;
      self->logged_bytes -= kept;
      g_ptr_array_index (self->requests, i) = _atelier_sandbox_request_dup_head (old);
      atelier_sandbox_request_unref (old);
    }
}

void
atelier_sandbox_server_set_request_log_budget (AtelierSandboxServer *self,
                                               gsize                 bytes)
{
  g_return_if_fail (ATELIER_IS_SANDBOX_SERVER (self));

  g_mutex_lock (&self->lock);
  self->log_budget = bytes;
  g_mutex_unlock (&self->lock);
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
  guint count;

  g_return_val_if_fail (ATELIER_IS_SANDBOX_SERVER (self), 0);

  g_mutex_lock (&self->lock);
  count = self->image_downloads;
  g_mutex_unlock (&self->lock);

  return count;
}

void
atelier_sandbox_server_clear_requests (AtelierSandboxServer *self)
{
  g_return_if_fail (ATELIER_IS_SANDBOX_SERVER (self));

  g_mutex_lock (&self->lock);
  g_ptr_array_set_size (self->requests, 0);
  self->logged_bytes = 0;
  self->image_downloads = 0;
  g_mutex_unlock (&self->lock);
}

/* Seeding */

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
  _atelier_sandbox_server_finish_mutation (self, locker);

  return id;
}

gint64
atelier_sandbox_server_seed_pack (AtelierSandboxServer *self,
                                  const char           *title,
                                  gboolean              gallery,
                                  const char           *costs,
                                  guint                 n_prompts)
{
  GMutexLocker *locker;
  gint64 id;

  g_return_val_if_fail (ATELIER_IS_SANDBOX_SERVER (self), 0);
  g_return_val_if_fail (title != NULL, 0);
  g_return_val_if_fail (costs != NULL, 0);

  locker = g_mutex_locker_new (&self->lock);
  id = _atelier_sandbox_store_seed_pack (self->store, title, gallery, costs, n_prompts)->id;
  _atelier_sandbox_server_finish_mutation (self, locker);

  return id;
}

/* Seeds @n_prompts prompts on a tune, with @text or made-up texts; returns
 * the id of the last one. Takes the lock and saves. */
static gint64
seed_prompts (AtelierSandboxServer *self,
              gint64                tune_id,
              const char           *text,
              guint                 n_prompts,
              guint                 n_images)
{
  static const char * const subjects[] = {
    "in a sunflower field", "as an astronaut", "in a rainy Paris street", "on a sailboat at dawn",
    "as a Renaissance painting", "in a neon arcade", "hiking in the Dolomites", "reading in a library",
  };
  GMutexLocker *locker = g_mutex_locker_new (&self->lock);
  AtelierSandboxTune *tune = _atelier_sandbox_store_lookup_tune (self->store, tune_id);
  gint64 id = 0;

  if (tune == NULL)
    g_critical ("Sandbox: no tune %" G_GINT64_FORMAT " to seed prompts on", tune_id);

  for (guint i = 0; tune != NULL && i < n_prompts; i++)
    {
      g_autofree char *generated = NULL;

      if (text == NULL)
        generated = g_strdup_printf ("ohwx %s %s, seeded prompt %u",
                                     tune->name ? tune->name : "person",
                                     subjects[i % G_N_ELEMENTS (subjects)], i + 1);

      id = _atelier_sandbox_store_seed_prompt (self->store, tune, text ? text : generated, n_images)->id;
    }

  _atelier_sandbox_server_finish_mutation (self, locker);

  return id;
}

char *
atelier_sandbox_server_dup_image_path (AtelierSandboxServer *self,
                                       gint64                prompt_id,
                                       guint                 index)
{
  char *path;

  g_return_val_if_fail (ATELIER_IS_SANDBOX_SERVER (self), NULL);

  g_mutex_lock (&self->lock);
  path = g_strdup_printf ("/sandbox/images/%s/%" G_GINT64_FORMAT "/%u.jpg",
                          _atelier_sandbox_store_get_image_token (self->store), prompt_id, index);
  g_mutex_unlock (&self->lock);

  return path;
}

gint64
atelier_sandbox_server_seed_prompt (AtelierSandboxServer *self,
                                    gint64                tune_id,
                                    const char           *text,
                                    guint                 n_images)
{
  g_return_val_if_fail (ATELIER_IS_SANDBOX_SERVER (self), 0);
  g_return_val_if_fail (text != NULL, 0);

  return seed_prompts (self, tune_id, text, 1, n_images);
}

void
atelier_sandbox_server_seed_prompts (AtelierSandboxServer *self,
                                     gint64                tune_id,
                                     guint                 n_prompts,
                                     guint                 n_images)
{
  g_return_if_fail (ATELIER_IS_SANDBOX_SERVER (self));

  seed_prompts (self, tune_id, NULL, n_prompts, n_images);
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
  _atelier_sandbox_server_finish_mutation (self, locker);
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

/* Rendering ahead */

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
