/* atelier-sandbox-fal.c: fal's queue API for ip-adapter-face-id
 *
 * A submitted request waits in the queue (its position counting down), is
 * in progress (log lines appearing: loading, detecting the face, steps),
 * then completed (the store computes which from the clock); its result is
 * a placeholder image under /sandbox/images/fal/, whose URL expires like
 * fal's (404 after the store's TTL). Log lines are only sent when the
 * status URL asks with ?logs=1, as fal does. A request cancelled while
 * queued is reported completed with an error, as fal reports requests
 * that produced no result. Answers and errors take fal's shapes
 * ({"detail": …}), not Astria's.
 *
 * Faces: a data: URL must decode (face_image_url an image, and
 * face_images_data_url a zip holding at least one image), else 422 naming
 * the member; https/http URLs are taken as given (never fetched). Failures
 * for tests, decided at submit and reported at COMPLETED (status "error",
 * the result 422 {"detail": …}):
 *   - a face that is one flat colour: "No face was found in the image."
 *   - a prompt containing "sandbox:fail": "The model failed while generating."
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <string.h>

#include "atelier-image-utils.h"
#include "atelier-sandbox-server-private.h"

#define FAL_PATH  "/fal-ai/ip-adapter-face-id"
#define FAIL_TRIGGER     "sandbox:fail"
#define NO_FACE_MESSAGE  "No face was found in the image."
#define MODEL_FAILED     "The model failed while generating."
/* The most a zip entry may hold to be looked at */
#define MAX_ZIP_ENTRY    (32 * 1024 * 1024)
/* Decoded this small, a face photo is still a face photo */
#define CHECK_SIDE       64

static void
set_fal_url (JsonObject         *object,
             const char         *member,
             AtelierSandboxCall *call,
             const char         *id,
             const char         *suffix)
{
  g_autofree char *url = g_strdup_printf ("%s" FAL_PATH "/requests/%s%s", call->base_url, id, suffix);

  json_object_set_string_member (object, member, url);
}

/* FastAPI's answer to a bad member: {"detail": [{loc, msg, type}]} */
static JsonObject *
detail_answer (const char *member,
               const char *msg,
               const char *type)
{
  JsonObject *answer = json_object_new ();
  g_autoptr(JsonObject) detail = json_object_new ();
  JsonArray *loc = json_array_new ();
  JsonArray *details = json_array_new ();

  json_array_add_string_element (loc, "body");
  json_array_add_string_element (loc, member);
  json_object_set_array_member (detail, "loc", loc);
  json_object_set_string_member (detail, "msg", msg);
  json_object_set_string_member (detail, "type", type);
  json_array_add_object_element (details, g_steal_pointer (&detail));
  json_object_set_array_member (answer, "detail", details);

  return answer;
}

/* The bytes of "data:@media_prefix…;base64,…", or NULL. */
static GBytes *
decode_data_url (const char *url,
                 const char *media_prefix)
{
  const char *comma;
  g_autofree char *header = NULL;
  guchar *data;
  gsize length = 0;

  if (!g_str_has_prefix (url, "data:") || (comma = strchr (url, ',')) == NULL)
    return NULL;

  header = g_strndup (url + strlen ("data:"), (gsize) (comma - url) - strlen ("data:"));
  if (!g_str_has_prefix (header, media_prefix) || !g_str_has_suffix (header, ";base64"))
    return NULL;

  data = g_base64_decode (comma + 1, &length);
  if (length == 0)
    {
      g_free (data);
      return NULL;
    }

  return g_bytes_new_take (data, length);
}

/* Decodes @bytes small. *@flat tells whether every pixel is about the
 * same colour (no face can be found in it). FALSE when not an image. */
static gboolean
look_at_image (GBytes   *bytes,
               gboolean *flat)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  const guint8 *pixels;
  int width, height, stride, channels;

  pixbuf = atelier_image_decode_bytes (bytes, CHECK_SIDE, 100 * 1000 * 1000, NULL, NULL, NULL, NULL);
  if (pixbuf == NULL)
    return FALSE;

  width = gdk_pixbuf_get_width (pixbuf);
  height = gdk_pixbuf_get_height (pixbuf);
  stride = gdk_pixbuf_get_rowstride (pixbuf);
  channels = gdk_pixbuf_get_n_channels (pixbuf);
  pixels = gdk_pixbuf_read_pixels (pixbuf);

  *flat = TRUE;
  for (int y = 0; y < height && *flat; y++)
    {
      for (int x = 0; x < width && *flat; x++)
        {
          const guint8 *p = pixels + y * stride + x * channels;

          for (int c = 0; c < 3; c++)
            {
              if (ABS ((int) p[c] - (int) pixels[c]) > 8)
                *flat = FALSE;
            }
        }
    }

  return TRUE;
}

/* Reads the zip in @bytes (libarchive): the number of images in it that
 * decode, and in *@flat whether all of them are flat. */
static guint
look_at_zip (GBytes   *bytes,
             gboolean *flat)
{
  struct archive *archive = archive_read_new ();
  struct archive_entry *entry;
  guint images = 0;

  *flat = TRUE;
  archive_read_support_format_zip (archive);
  if (archive_read_open_memory (archive, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)) != ARCHIVE_OK)
    {
      archive_read_free (archive);
      return 0;
    }

  while (archive_read_next_header (archive, &entry) == ARCHIVE_OK)
    {
      g_autoptr(GByteArray) data = g_byte_array_new ();
      g_autoptr(GBytes) image = NULL;
      char buffer[16 * 1024];
      la_ssize_t n;
      gboolean image_flat = FALSE;

      if (archive_entry_filetype (entry) != AE_IFREG)
        continue;

      while ((n = archive_read_data (archive, buffer, sizeof buffer)) > 0 && data->len <= MAX_ZIP_ENTRY)
        g_byte_array_append (data, (const guint8 *) buffer, (guint) n);
      if (n < 0 || data->len > MAX_ZIP_ENTRY)
        break;

      image = g_byte_array_free_to_bytes (g_steal_pointer (&data));
      if (look_at_image (image, &image_flat))
        {
          images++;
          *flat = *flat && image_flat;
        }
    }

  archive_read_free (archive);

  return images;
}

/* Checks the faces of @input. NULL when they are fine (and sets
 * *@failure_field when no face will be found in them), else fal's 422
 * answer. */
static JsonObject *
check_faces (JsonObject  *input,
             const char **failure_field)
{
  const char *face = _atelier_sandbox_params_get_string (input, "face_image_url");
  const char *zip = _atelier_sandbox_params_get_string (input, "face_images_data_url");
  gboolean flat = FALSE;

  *failure_field = NULL;

  if (face != NULL && g_str_has_prefix (face, "data:"))
    {
      g_autoptr(GBytes) bytes = decode_data_url (face, "image/");

      if (bytes == NULL || !look_at_image (bytes, &flat))
        return detail_answer ("face_image_url", "Could not read an image from the data URL.",
                              "value_error.image");
      if (flat)
        *failure_field = "face_image_url";
    }

  if (zip != NULL && g_str_has_prefix (zip, "data:"))
    {
      g_autoptr(GBytes) bytes = decode_data_url (zip, "application/zip");

      if (bytes == NULL || look_at_zip (bytes, &flat) == 0)
        return detail_answer ("face_images_data_url",
                              "Could not read a zip archive of images from the data URL.",
                              "value_error.zip");
      if (flat && *failure_field == NULL)
        *failure_field = "face_images_data_url";
    }

  return NULL;
}

JsonObject *
_atelier_sandbox_fal_check_faces_for_fuzzing (JsonObject  *input,
                                              const char **failure_field)
{
  return check_faces (input, failure_field);
}

/* @input as stored: data: URLs are big, and only their type and length
 * matter once checked (the request log keeps them whole). */
static JsonObject *
input_to_store (JsonObject *input)
{
  JsonObject *copy = _atelier_sandbox_object_deep_copy (input);
  static const char * const members[] = { "face_image_url", "face_images_data_url" };

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      const char *url = _atelier_sandbox_params_get_string (copy, members[i]);
      const char *comma = url != NULL && g_str_has_prefix (url, "data:") ? strchr (url, ',') : NULL;

      if (comma != NULL)
        {
          g_autofree char *header = g_strndup (url, (gsize) (comma - url) + 1);
          g_autofree char *shown = g_strdup_printf ("%s[%zu characters]", header, strlen (comma + 1));

          json_object_set_string_member (copy, members[i], shown);
        }
    }

  return copy;
}

static void
handle_fal_submit (AtelierSandboxCall *call,
                   gpointer            target,
                   gboolean            flag)
{
  AtelierSandboxStore *store = call->self->store;
  JsonNode *json = atelier_sandbox_request_get_json (call->request);
  JsonObject *input = json != NULL && JSON_NODE_HOLDS_OBJECT (json) ? json_node_get_object (json) : NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) stored = NULL;
  AtelierSandboxFalRequest *request;
  const char *failure_field = NULL;
  const char *prompt;
  guint position = 0;

  if (input == NULL || _atelier_sandbox_node_is_blank (json_object_get_member (input, "prompt")))
    {
      answer = detail_answer ("prompt", "field required", "value_error.missing");
      _atelier_sandbox_call_reply_object (call, SOUP_STATUS_UNPROCESSABLE_ENTITY, answer);
      return;
    }

  answer = check_faces (input, &failure_field);
  if (answer != NULL)
    {
      _atelier_sandbox_call_reply_object (call, SOUP_STATUS_UNPROCESSABLE_ENTITY, answer);
      return;
    }

  stored = input_to_store (input);
  request = _atelier_sandbox_store_create_fal (store, stored);
  prompt = _atelier_sandbox_params_get_string (input, "prompt");
  if (failure_field != NULL)
    {
      request->failure = g_strdup (NO_FACE_MESSAGE);
      request->failure_field = g_strdup (failure_field);
    }
  else if (prompt != NULL && strstr (prompt, FAIL_TRIGGER) != NULL)
    request->failure = g_strdup (MODEL_FAILED);

  _atelier_sandbox_store_get_fal_state (store, request, &position);
  _atelier_sandbox_server_mark_dirty_locked (call->self);

  answer = json_object_new ();
  json_object_set_string_member (answer, "request_id", request->id);
  set_fal_url (answer, "response_url", call, request->id, "");
  set_fal_url (answer, "status_url", call, request->id, "/status");
  set_fal_url (answer, "cancel_url", call, request->id, "/cancel");
  json_object_set_int_member (answer, "queue_position", position);
  _atelier_sandbox_call_reply_object (call, SOUP_STATUS_OK, answer);
}

static gpointer
lookup_fal (AtelierSandboxCall  *call,
            char               **args)
{
  AtelierSandboxFalRequest *request = _atelier_sandbox_store_lookup_fal (call->self->store, args[0]);

  if (request == NULL)
    _atelier_sandbox_call_reply_message (call, "detail", "Request not found", SOUP_STATUS_NOT_FOUND);

  return request;
}

/* TRUE when the status URL asks for the logs (?logs=1), as fal needs. */
static gboolean
wants_logs (AtelierSandboxCall *call)
{
  const char *query = atelier_sandbox_request_get_query (call->request);
  g_autoptr(GHashTable) params = NULL;
  const char *logs;

  if (query == NULL)
    return FALSE;

  params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  logs = params != NULL ? g_hash_table_lookup (params, "logs") : NULL;

  return g_strcmp0 (logs, "1") == 0 || g_strcmp0 (logs, "true") == 0;
}

static void
add_log (JsonArray  *logs,
         const char *message,
         const char *level,
         gint64      at_usec)
{
  g_autoptr(JsonObject) line = json_object_new ();
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (at_usec / G_USEC_PER_SEC);
  g_autofree char *timestamp = g_date_time_format_iso8601 (at);

  json_object_set_string_member (line, "message", message);
  json_object_set_string_member (line, "level", level);
  json_object_set_string_member (line, "source", "USER");
  json_object_set_string_member (line, "timestamp", timestamp);
  json_array_add_object_element (logs, g_steal_pointer (&line));
}

/* The log lines so far: those of the whole run spread over the time in
 * progress, all of them once completed (a failure's message last). */
static JsonArray *
fal_logs (AtelierSandboxStore      *store,
          AtelierSandboxFalRequest *request,
          AtelierSandboxFalState    state)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  JsonArray *logs = json_array_new ();
  gint64 steps = 50;
  gint64 start = request->created_at + request->delay_usec / 3;
  gint64 span = request->delay_usec - request->delay_usec / 3;
  guint shown;

  if (state == ATELIER_SANDBOX_FAL_IN_QUEUE || state == ATELIER_SANDBOX_FAL_CANCELLED)
    return logs;

  _atelier_sandbox_node_get_int (json_object_get_member (request->input, "num_inference_steps"), &steps);
  steps = CLAMP (steps, 1, 200);

  g_ptr_array_add (lines, g_strdup ("Loading the face model"));
  g_ptr_array_add (lines, g_strdup ("Detecting the face"));
  if (request->failure_field == NULL)
    {
      gint64 last = 0;

      /* Five step lines, without repeats when there are fewer steps */
      for (int i = 1; i <= 5; i++)
        {
          gint64 step = (steps * i + 4) / 5;

          if (step != last)
            g_ptr_array_add (lines, g_strdup_printf ("Step %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT, step, steps));
          last = step;
        }
      if (request->failure == NULL)
        g_ptr_array_add (lines, g_strdup ("Saving the image"));
    }

  if (state == ATELIER_SANDBOX_FAL_COMPLETED)
    shown = lines->len;
  else
    shown = CLAMP ((guint) (_atelier_sandbox_store_get_fal_progress (store, request) * lines->len) + 1,
                   1, lines->len);

  for (guint i = 0; i < shown; i++)
    add_log (logs, g_ptr_array_index (lines, i), "INFO", start + span * i / MAX (lines->len, 1));

  if (state == ATELIER_SANDBOX_FAL_COMPLETED && request->failure != NULL)
    add_log (logs, request->failure, "ERROR", start + span);

  return logs;
}

static void
handle_fal_status (AtelierSandboxCall *call,
                   gpointer            target,
                   gboolean            flag)
{
  AtelierSandboxFalRequest *request = target;
  AtelierSandboxStore *store = call->self->store;
  g_autoptr(JsonObject) answer = json_object_new ();
  guint position = 0;
  guint status = SOUP_STATUS_ACCEPTED;
  AtelierSandboxFalState state = _atelier_sandbox_store_get_fal_state (store, request, &position);

  switch (state)
    {
    case ATELIER_SANDBOX_FAL_IN_QUEUE:
      json_object_set_string_member (answer, "status", "IN_QUEUE");
      json_object_set_int_member (answer, "queue_position", position);
      break;

    case ATELIER_SANDBOX_FAL_IN_PROGRESS:
      json_object_set_string_member (answer, "status", "IN_PROGRESS");
      break;

    case ATELIER_SANDBOX_FAL_COMPLETED:
      json_object_set_string_member (answer, "status", "COMPLETED");
      if (request->failure != NULL)
        {
          json_object_set_string_member (answer, "error", request->failure);
          json_object_set_string_member (answer, "error_type",
                                         request->failure_field != NULL ? "face_not_found" : "internal_error");
        }
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

  /* fal sends null without ?logs=1 */
  if (wants_logs (call))
    json_object_set_array_member (answer, "logs", fal_logs (store, request, state));
  else
    json_object_set_null_member (answer, "logs");

  set_fal_url (answer, "response_url", call, request->id, "");
  _atelier_sandbox_call_reply_object (call, status, answer);
}

/* The result's image is rendered first: its answer has the file's size. */
static void
handle_fal_result (AtelierSandboxCall *call,
                   gpointer            target,
                   gboolean            flag)
{
  AtelierSandboxFalRequest *request = target;
  g_autoptr(AtelierSandboxWork) work = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *url = NULL;
  JsonObject *image;
  AtelierSandboxFalState state;

  state = _atelier_sandbox_store_get_fal_state (call->self->store, request, NULL);
  if (state == ATELIER_SANDBOX_FAL_CANCELLED)
    {
      g_autoptr(JsonObject) answer = json_object_new ();

      json_object_set_string_member (answer, "detail", "Request was cancelled");
      json_object_set_string_member (answer, "error_type", "request_cancelled");
      _atelier_sandbox_call_reply_object (call, SOUP_STATUS_BAD_REQUEST, answer);
      return;
    }

  if (state != ATELIER_SANDBOX_FAL_COMPLETED)
    {
      _atelier_sandbox_call_reply_message (call, "detail", "Request is still in progress", SOUP_STATUS_BAD_REQUEST);
      return;
    }

  if (request->failure != NULL)
    {
      g_autoptr(JsonObject) answer = NULL;

      if (request->failure_field != NULL)
        answer = detail_answer (request->failure_field, request->failure, "face_not_found");
      else
        {
          answer = json_object_new ();
          json_object_set_string_member (answer, "detail", request->failure);
        }
      json_object_set_string_member (answer, "error_type",
                                     request->failure_field != NULL ? "face_not_found" : "internal_error");
      _atelier_sandbox_call_reply_object (call, SOUP_STATUS_UNPROCESSABLE_ENTITY, answer);
      return;
    }

  work = g_new0 (AtelierSandboxWork, 1);
  work->kind = ATELIER_SANDBOX_WORK_FAL_RESULT;
  work->job = _atelier_sandbox_store_fal_render_job (call->self->store, request);
  file_name = g_strdup_printf ("%s.jpg", request->id);
  url = g_strdup_printf ("%s/sandbox/images/fal/%s/%s", call->base_url,
                         _atelier_sandbox_store_get_image_token (call->self->store), file_name);

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

  _atelier_sandbox_call_run_work (call, g_steal_pointer (&work));
}

static void
handle_fal_cancel (AtelierSandboxCall *call,
                   gpointer            target,
                   gboolean            flag)
{
  AtelierSandboxFalRequest *request = target;

  switch (_atelier_sandbox_store_get_fal_state (call->self->store, request, NULL))
    {
    case ATELIER_SANDBOX_FAL_IN_QUEUE:
      request->cancelled_at = g_get_real_time ();
      _atelier_sandbox_server_mark_dirty_locked (call->self);
      G_GNUC_FALLTHROUGH;

    case ATELIER_SANDBOX_FAL_CANCELLED:
      _atelier_sandbox_call_reply_message (call, "status", "CANCELLATION_REQUESTED", SOUP_STATUS_ACCEPTED);
      break;

    case ATELIER_SANDBOX_FAL_IN_PROGRESS:
    case ATELIER_SANDBOX_FAL_COMPLETED:
    default:
      _atelier_sandbox_call_reply_message (call, "status", "ALREADY_COMPLETED", SOUP_STATUS_BAD_REQUEST);
      break;
    }
}

static const AtelierSandboxRoute routes[] = {
  { "POST", FAL_PATH,                        ATELIER_SANDBOX_AUTH_KEY, NULL,       handle_fal_submit, FALSE },
  { "GET",  FAL_PATH "/requests/:id/status", ATELIER_SANDBOX_AUTH_KEY, lookup_fal, handle_fal_status, FALSE },
  { "GET",  FAL_PATH "/requests/:id",        ATELIER_SANDBOX_AUTH_KEY, lookup_fal, handle_fal_result, FALSE },
  { "PUT",  FAL_PATH "/requests/:id/cancel", ATELIER_SANDBOX_AUTH_KEY, lookup_fal, handle_fal_cancel, FALSE },
};

const AtelierSandboxRoute *
_atelier_sandbox_get_fal_routes (guint *n_routes)
{
  *n_routes = G_N_ELEMENTS (routes);

  return routes;
}
