/* atelier-sandbox-images.c: images, and the work done off the server thread
 *
 * Images are served under /sandbox/images/, without a key (image caches
 * send none) but only to a request that passed the Host and Origin
 * checks: <token>/<prompt_id>/<n>.jpg for the prompts' placeholders,
 * uploads/<name> for files sent to the sandbox (training photos: <name>
 * carries 128 random bits, and no other name is served) and
 * fal/<token>/<request_id>.jpg for fal results, where <token> is the
 * store's 128 random bits (kept in state.json): no address is guessable. Uploads and images already rendered
 * are read at once; the others are rendered (and cached) on a GTask worker
 * thread while their call waits. The same workers inspect images for
 * /images/inspect and render fal results to learn their size.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atelier-sandbox-server-private.h"

#define IMAGE_CACHE_CONTROL   "public, max-age=31536000, immutable"
#define IMAGES_PATH           "/sandbox/images/"

/* Work */

void
_atelier_sandbox_work_free (AtelierSandboxWork *work)
{
  g_free (work->file_path);
  g_clear_pointer (&work->job, _atelier_sandbox_render_job_free);
  g_clear_pointer (&work->bytes, g_bytes_unref);
  g_free (work->class_name);
  g_clear_pointer (&work->fal_result, json_object_unref);
  g_free (work);
}

static GBytes *
work_load_bytes (AtelierSandboxWork  *work,
                 GError             **error)
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
  AtelierSandboxWork *work = task_data;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  JsonNode *result;

  bytes = work_load_bytes (work, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (work->kind != ATELIER_SANDBOX_WORK_INSPECT)
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

/* Takes @bytes. */
static void
reply_image (AtelierSandboxCall *call,
             GBytes             *bytes,
             const char         *content_type)
{
  g_mutex_lock (&call->self->lock);
  call->self->image_downloads++;
  g_mutex_unlock (&call->self->lock);

  _atelier_sandbox_call_reply_full (call, SOUP_STATUS_OK, content_type, bytes, IMAGE_CACHE_CONTROL);
}

static void
work_done_cb (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AtelierSandboxWork) work = user_data;
  g_autoptr(GError) error = NULL;
  AtelierSandboxCall *call = work->call;
  gpointer value;

  call->self->n_async--;
  call->working = FALSE;

  value = g_task_propagate_pointer (G_TASK (result), &error);

  if (work->kind == ATELIER_SANDBOX_WORK_INSPECT)
    {
      if (value == NULL)
        _atelier_sandbox_call_reply_field_error (call, "file", "is not a valid image");
      else
        _atelier_sandbox_call_reply_json (call, SOUP_STATUS_OK, value);
      return;
    }

  if (value == NULL)
    {
      g_warning ("Sandbox: could not render an image: %s", error->message);
      _atelier_sandbox_call_reply_error (call, SOUP_STATUS_INTERNAL_SERVER_ERROR, "Could not render the image");
      return;
    }

  if (work->kind == ATELIER_SANDBOX_WORK_SERVE_IMAGE)
    {
      reply_image (call, value, work->content_type);
    }
  else
    {
      JsonObject *image = json_object_get_object_member (work->fal_result, "image");

      json_object_set_int_member (image, "file_size", g_bytes_get_size (value));
      g_bytes_unref (value);
      _atelier_sandbox_call_reply_object (call, SOUP_STATUS_OK, work->fal_result);
    }
}

void
_atelier_sandbox_call_run_work (AtelierSandboxCall *call,
                                AtelierSandboxWork *work)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, work_done_cb, work);

  work->call = call;
  call->working = TRUE;
  g_task_set_source_tag (task, _atelier_sandbox_call_run_work);
  g_task_set_task_data (task, work, NULL);
  call->self->n_async++;
  g_task_run_in_thread (task, work_thread);
}

/* Images */

static const char *
upload_content_type (const char *name)
{
  static const struct { const char *ext; const char *type; } types[] = {
    { ".png", "image/png" }, { ".webp", "image/webp" }, { ".gif", "image/gif" }, { ".jpg", "image/jpeg" },
  };
  const char *dot = strrchr (name, '.');

  for (guint i = 0; dot != NULL && i < G_N_ELEMENTS (types); i++)
    {
      if (g_ascii_strcasecmp (dot, types[i].ext) == 0)
        return types[i].type;
    }

  return "application/octet-stream";
}

/* Fills @work (without a call) for an image path, or returns FALSE. With
 * the lock held. */
static gboolean
lookup_image_locked (AtelierSandboxServer *self,
                     const char           *path,
                     AtelierSandboxWork   *work)
{
  g_auto(GStrv) parts = NULL;
  gint64 prompt_id;
  guint64 index;

  if (!g_str_has_prefix (path, IMAGES_PATH))
    return FALSE;

  parts = g_strsplit (path + strlen (IMAGES_PATH), "/", -1);

  if (g_strv_length (parts) == 2 && g_str_equal (parts[0], "uploads"))
    {
      work->file_path = _atelier_sandbox_store_dup_upload_path (self->store, parts[1]);
      work->content_type = upload_content_type (parts[1]);

      return work->file_path != NULL && g_file_test (work->file_path, G_FILE_TEST_IS_REGULAR);
    }

  /* fal/TOKEN/ID.jpg and TOKEN/PROMPT/N.jpg */
  if (g_strv_length (parts) != 3 || !g_str_has_suffix (parts[2], ".jpg"))
    return FALSE;
  parts[2][strlen (parts[2]) - strlen (".jpg")] = '\0';
  work->content_type = "image/jpeg";

  if (g_str_equal (parts[0], "fal"))
    {
      AtelierSandboxFalRequest *request;

      if (!_atelier_sandbox_secret_equal (parts[1], _atelier_sandbox_store_get_image_token (self->store)))
        return FALSE;
      request = _atelier_sandbox_store_lookup_fal (self->store, parts[2]);
      if (request != NULL)
        work->job = _atelier_sandbox_store_fal_image_job (self->store, request);
      return work->job != NULL;
    }

  if (!_atelier_sandbox_secret_equal (parts[0], _atelier_sandbox_store_get_image_token (self->store)) ||
      !_atelier_sandbox_parse_id (parts[1], &prompt_id) ||
      !g_ascii_string_to_unsigned (parts[2], 10, 0, 7, &index, NULL))
    return FALSE;

  work->job = _atelier_sandbox_store_prompt_image_job (self->store, prompt_id, (guint) index);

  return work->job != NULL;
}

void
_atelier_sandbox_call_serve_image (AtelierSandboxCall *call)
{
  AtelierSandboxServer *self = call->self;
  const char *method = soup_server_message_get_method (call->msg);
  const char *path = g_uri_get_path (soup_server_message_get_uri (call->msg));
  g_autoptr(AtelierSandboxWork) work = g_new0 (AtelierSandboxWork, 1);
  char *contents = NULL;
  gsize length = 0;
  gboolean found;

  if (!g_str_equal (method, "GET") && !g_str_equal (method, "HEAD"))
    {
      _atelier_sandbox_call_reply_not_allowed (call, "GET, HEAD");
      return;
    }

  g_mutex_lock (&self->lock);
  found = lookup_image_locked (self, path, work);
  g_mutex_unlock (&self->lock);

  if (!found)
    {
      _atelier_sandbox_call_reply_not_found (call);
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
      _atelier_sandbox_call_reply_not_found (call);
      return;
    }

  work->kind = ATELIER_SANDBOX_WORK_SERVE_IMAGE;
  _atelier_sandbox_call_run_work (call, g_steal_pointer (&work));
}

/* file_url may only point at this server's own images. */
gboolean
_atelier_sandbox_lookup_own_image_url (AtelierSandboxCall *call,
                                       const char         *url,
                                       AtelierSandboxWork *work)
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

  return lookup_image_locked (call->self, g_uri_get_path (uri), work);
}
