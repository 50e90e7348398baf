/* test-sandbox.c: the sandbox server, spoken to with a plain SoupSession
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "atelier-test-utils.h"

#define API_KEY  "test-key"

typedef struct
{
  AtelierSandboxServer *server;
  SoupSession          *session;
  char                 *base_url;
} Fixture;

/* Warnings the server logs on purpose (a corrupt state.json) are expected
 * by setting this pattern; structured logging bypasses g_test_expect_message(). */
static const char *expected_warning;
static guint expected_warning_count;

/* Every message logged, at every level (debug too), while set. */
static GMutex captured_lock;
static GString *captured_log;

static GLogWriterOutput
test_log_writer (GLogLevelFlags   level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  g_mutex_lock (&captured_lock);
  for (gsize i = 0; i < n_fields && captured_log != NULL; i++)
    {
      if (g_str_equal (fields[i].key, "MESSAGE"))
        {
          if (fields[i].length < 0)
            g_string_append (captured_log, fields[i].value);
          else
            g_string_append_len (captured_log, fields[i].value, fields[i].length);
          g_string_append_c (captured_log, '\n');
        }
    }
  g_mutex_unlock (&captured_lock);

  for (gsize i = 0; i < n_fields && expected_warning != NULL; i++)
    {
      if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0 &&
          g_pattern_match_simple (expected_warning, fields[i].value))
        {
          g_atomic_int_inc (&expected_warning_count);
          return G_LOG_WRITER_HANDLED;
        }
    }

  return g_log_writer_default (level, fields, n_fields, user_data);
}

/* No proxy: the isolated test dirs have no GSettings schemas for one. */
static SoupSession *
new_session (void)
{
  return soup_session_new_with_options ("proxy-resolver", NULL, NULL);
}

static void
fixture_refresh_base_url (Fixture *f)
{
  g_free (f->base_url);
  f->base_url = atelier_sandbox_server_dup_base_url (f->server);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->server = atelier_test_server_new ();
  f->session = new_session ();
  fixture_refresh_base_url (f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->session);
  g_clear_pointer (&f->base_url, g_free);
  atelier_test_server_free (g_steal_pointer (&f->server));
}

/* HTTP helpers */

static SoupMessage *
new_message_full (Fixture    *f,
                  const char *method,
                  const char *path,
                  const char *authorization)
{
  g_autofree char *url = g_str_has_prefix (path, "http") ? g_strdup (path) : g_strconcat (f->base_url, path, NULL);
  SoupMessage *msg = soup_message_new (method, url);

  g_assert_nonnull (msg);
  if (authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);

  return msg;
}

static SoupMessage *
new_message (Fixture    *f,
             const char *method,
             const char *path)
{
  return new_message_full (f, method, path, "Bearer " API_KEY);
}

static void
set_json_body (SoupMessage *msg,
               const char  *json)
{
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));

  soup_message_set_request_body_from_bytes (msg, "application/json", body);
}

static SoupMessage *
new_form_message (Fixture       *f,
                  const char    *path,
                  SoupMultipart *multipart)
{
  g_autofree char *url = g_strconcat (f->base_url, path, NULL);
  SoupMessage *msg = soup_message_new_from_multipart (url, multipart);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", "Bearer " API_KEY);

  return msg;
}

static GBytes *
send_message (Fixture     *f,
              SoupMessage *msg,
              guint        expected_status)
{
  g_autoptr(GError) error = NULL;
  GBytes *body;

  body = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  if (soup_message_get_status (msg) != expected_status)
    g_test_message ("Unexpected answer: %.*s", (int) MIN (g_bytes_get_size (body), 2000),
                    (const char *) g_bytes_get_data (body, NULL));
  g_assert_cmpuint (soup_message_get_status (msg), ==, expected_status);

  return body;
}

static JsonNode *
parse_json (GBytes *body)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);

  return node;
}

static JsonNode *
send_json (Fixture     *f,
           SoupMessage *msg,
           guint        expected_status)
{
  g_autoptr(GBytes) body = send_message (f, msg, expected_status);

  return parse_json (body);
}

static JsonNode *
get_json (Fixture    *f,
          const char *path,
          guint       expected_status)
{
  g_autoptr(SoupMessage) msg = new_message (f, "GET", path);

  return send_json (f, msg, expected_status);
}

static JsonNode *
post_json (Fixture    *f,
           const char *path,
           const char *json,
           guint       expected_status)
{
  g_autoptr(SoupMessage) msg = new_message (f, "POST", path);

  set_json_body (msg, json);

  return send_json (f, msg, expected_status);
}

static JsonNode *
post_form (Fixture       *f,
           const char    *path,
           SoupMultipart *multipart,
           guint          expected_status)
{
  g_autoptr(SoupMessage) msg = new_form_message (f, path, multipart);

  return send_json (f, msg, expected_status);
}

static guint
request_status (Fixture    *f,
                const char *method,
                const char *path)
{
  g_autoptr(SoupMessage) msg = new_message (f, method, path);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);

  return soup_message_get_status (msg);
}

static GBytes *
download (Fixture    *f,
          const char *url,
          guint       expected_status)
{
  g_autoptr(SoupMessage) msg = new_message_full (f, "GET", url, NULL);

  return send_message (f, msg, expected_status);
}

/* With isolated XDG dirs there is no MIME database for gdk-pixbuf to pick
 * a loader with: name it. */
static GdkPixbuf *
decode_image (GBytes *bytes)
{
  const guchar *data = g_bytes_get_data (bytes, NULL);
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (g_bytes_get_size (bytes), >, 8);
  loader = gdk_pixbuf_loader_new_with_type (data[0] == 0xff ? "jpeg" : "png", &error);
  g_assert_no_error (error);
  gdk_pixbuf_loader_write_bytes (loader, bytes, &error);
  g_assert_no_error (error);
  gdk_pixbuf_loader_close (loader, &error);
  g_assert_no_error (error);

  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

/* JSON helpers */

static JsonObject *
as_object (JsonNode *node)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));

  return json_node_get_object (node);
}

static JsonArray *
as_array (JsonNode *node)
{
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));

  return json_node_get_array (node);
}

static gboolean
member_is_null (JsonObject *object,
                const char *name)
{
  g_assert_true (json_object_has_member (object, name));

  return json_object_get_null_member (object, name);
}

static void
assert_error_field (JsonNode   *node,
                    const char *field)
{
  JsonObject *object = as_object (node);

  g_assert_true (json_object_has_member (object, field));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, field)), >, 0);
}

static void
wait_ms (guint ms)
{
  g_usleep (ms * 1000);
}

/* Creates a trained (fast) tune and returns its id. */
static gint64
create_fast_tune (Fixture    *f,
                  const char *title)
{
  g_autofree char *json = g_strdup_printf ("{\"tune\":{\"title\":\"%s\",\"name\":\"man\",\"branch\":\"fast\","
                                           "\"image_urls\":[\"https://example.com/1.jpg\"]}}", title);
  g_autoptr(JsonNode) tune = post_json (f, "/tunes", json, SOUP_STATUS_CREATED);

  return json_object_get_int_member (as_object (tune), "id");
}

static JsonNode *
create_prompt (Fixture    *f,
               gint64      tune_id,
               const char *json)
{
  g_autofree char *path = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT "/prompts", tune_id);

  return post_json (f, path, json, SOUP_STATUS_CREATED);
}

static JsonNode *
get_prompt (Fixture *f,
            gint64   prompt_id)
{
  g_autofree char *path = g_strdup_printf ("/prompts/%" G_GINT64_FORMAT, prompt_id);

  return get_json (f, path, SOUP_STATUS_OK);
}

static JsonNode *
inspect_bytes (Fixture    *f,
               GBytes     *bytes,
               const char *name)
{
  g_autoptr(SoupMultipart) multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);

  soup_multipart_append_form_string (multipart, "name", name);
  soup_multipart_append_form_file (multipart, "file", "photo.jpg", "image/jpeg", bytes);

  return post_form (f, "/images/inspect", multipart, SOUP_STATUS_OK);
}

static JsonNode *
inspect_pixbuf (Fixture    *f,
                GdkPixbuf  *pixbuf,
                const char *name)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &error, "quality", "92", NULL);
  g_assert_no_error (error);
  bytes = g_bytes_new_take (buffer, size);

  return inspect_bytes (f, bytes, name);
}

static GdkPixbuf *
test_pixbuf (int   width,
             int   height,
             guint seed)
{
  g_autoptr(GBytes) bytes = atelier_test_make_image (width, height, seed, "png");

  return decode_image (bytes);
}

/* Tests */

static void
test_auth (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(SoupMessage) none = new_message_full (f, "GET", "/tunes", NULL);
  g_autoptr(SoupMessage) empty = new_message_full (f, "GET", "/tunes", "Bearer ");
  g_autoptr(SoupMessage) any = new_message_full (f, "GET", "/tunes", "Bearer whatever");
  g_autoptr(SoupMessage) wrong = new_message_full (f, "GET", "/tunes", "Bearer wrong");
  g_autoptr(SoupMessage) right = new_message_full (f, "GET", "/tunes", "Bearer secret");
  g_autoptr(SoupMessage) fal_bearer = new_message_full (f, "GET", "/fal-ai/ip-adapter-face-id/requests/x/status", "Bearer secret");
  g_autoptr(SoupMessage) fal_key = new_message_full (f, "GET", "/fal-ai/ip-adapter-face-id/requests/x/status", "Key secret");
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) ignored = NULL;

  answer = send_json (f, none, SOUP_STATUS_UNAUTHORIZED);
  g_assert_cmpstr (json_object_get_string_member (as_object (answer), "error"), ==, "Unauthorized");
  g_clear_pointer (&answer, json_node_unref);
  answer = send_json (f, empty, SOUP_STATUS_UNAUTHORIZED);
  g_clear_pointer (&answer, json_node_unref);
  answer = send_json (f, any, SOUP_STATUS_OK);
  g_clear_pointer (&answer, json_node_unref);

  atelier_sandbox_server_set_api_key (f->server, "secret");
  answer = send_json (f, wrong, SOUP_STATUS_UNAUTHORIZED);
  g_clear_pointer (&answer, json_node_unref);
  answer = send_json (f, right, SOUP_STATUS_OK);
  g_clear_pointer (&answer, json_node_unref);
  answer = send_json (f, fal_bearer, SOUP_STATUS_UNAUTHORIZED);
  g_clear_pointer (&answer, json_node_unref);
  ignored = send_json (f, fal_key, SOUP_STATUS_NOT_FOUND);
  g_assert_cmpstr (json_object_get_string_member (as_object (ignored), "detail"), ==, "Request not found");
}

static void
test_tune_multipart (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(SoupMultipart) multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autoptr(GBytes) photo1 = atelier_test_make_image (64, 64, 1, "jpeg");
  g_autoptr(GBytes) photo2 = atelier_test_make_image (64, 64, 2, "png");
  g_autoptr(AtelierSandboxRequest) request = NULL;
  g_autoptr(JsonNode) tune = NULL;
  g_autoptr(GBytes) served = NULL;
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) texts = NULL;
  JsonObject *object;
  JsonArray *prompts;
  JsonArray *orig_images;
  AtelierSandboxFile *file;

  soup_multipart_append_form_string (multipart, "tune[title]", "Jane Doe - 1234");
  soup_multipart_append_form_string (multipart, "tune[name]", "woman");
  soup_multipart_append_form_string (multipart, "tune[branch]", "sd15");
  soup_multipart_append_form_string (multipart, "tune[token]", "ohwx");
  soup_multipart_append_form_string (multipart, "tune[face_crop]", "true");
  soup_multipart_append_form_string (multipart, "tune[steps]", "500");
  soup_multipart_append_form_string (multipart, "tune[characteristics][eye_color]", "blue eyes");
  soup_multipart_append_form_string (multipart, "tune[prompts_attributes][0][text]", "ohwx woman holding flowers");
  soup_multipart_append_form_string (multipart, "tune[prompts_attributes][0][num_images]", "2");
  soup_multipart_append_form_string (multipart, "tune[prompts_attributes][1][text]", "ohwx woman in space");
  soup_multipart_append_form_file (multipart, "tune[images][]", "1.jpg", "image/jpeg", photo1);
  soup_multipart_append_form_file (multipart, "tune[images][]", "2.png", "image/png", photo2);

  tune = post_form (f, "/tunes", multipart, SOUP_STATUS_CREATED);
  object = as_object (tune);
  g_assert_cmpint (json_object_get_int_member (object, "id"), >=, 1000001);
  g_assert_cmpstr (json_object_get_string_member (object, "title"), ==, "Jane Doe - 1234");
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "woman");
  g_assert_cmpstr (json_object_get_string_member (object, "branch"), ==, "sd15");
  g_assert_cmpint (json_object_get_int_member (object, "steps"), ==, 500);
  g_assert_true (json_object_get_boolean_member (object, "face_crop"));
  g_assert_true (json_object_get_boolean_member (object, "is_api"));
  g_assert_true (member_is_null (object, "trained_at"));
  g_assert_true (member_is_null (object, "args"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "characteristics"),
                                                  "eye_color"), ==, "blue eyes");

  orig_images = json_object_get_array_member (object, "orig_images");
  g_assert_cmpuint (json_array_get_length (orig_images), ==, 2);
  served = download (f, json_array_get_string_element (orig_images, 1), SOUP_STATUS_OK);
  g_assert_true (g_bytes_equal (served, photo2));

  prompts = json_object_get_array_member (object, "prompts");
  g_assert_cmpuint (json_array_get_length (prompts), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (prompts, 0), "text"), ==,
                   "ohwx woman holding flowers");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (prompts, 0), "num_images"), ==, 2);

  request = atelier_sandbox_server_dup_last_request (f->server, "POST", "/tunes");
  g_assert_nonnull (request);
  g_assert_cmpstr (atelier_sandbox_request_get_field (request, "tune[title]"), ==, "Jane Doe - 1234");
  g_assert_cmpstr (atelier_sandbox_request_get_header (request, "Authorization"), ==, "Bearer " API_KEY);
  names = atelier_sandbox_request_dup_field_names (request);
  g_assert_cmpuint (g_strv_length (names), ==, 10);
  g_assert_cmpstr (names[0], ==, "tune[title]");
  g_assert_cmpstr (names[9], ==, "tune[prompts_attributes][1][text]");
  texts = atelier_sandbox_request_dup_field_values (request, "tune[prompts_attributes][1][text]");
  g_assert_cmpuint (g_strv_length (texts), ==, 1);
  g_assert_cmpuint (atelier_sandbox_request_count_files (request, "tune[images][]"), ==, 2);
  file = g_ptr_array_index (atelier_sandbox_request_get_files (request), 1);
  g_assert_cmpstr (file->filename, ==, "2.png");
  g_assert_cmpstr (file->content_type, ==, "image/png");
  g_assert_true (g_bytes_equal (file->data, photo2));
  g_assert_null (atelier_sandbox_request_get_json (request));
  g_assert_cmpuint (atelier_sandbox_request_get_body_length (request), >, 0);
}

/* The newest docs repeat "tune[prompts_attributes][][text]": every new
 * text starts a new prompt. */
static void
test_tune_multipart_brackets (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(SoupMultipart) multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autoptr(GBytes) photo = atelier_test_make_image (32, 32, 3, "jpeg");
  g_autoptr(JsonNode) tune = NULL;
  JsonArray *prompts;
  JsonObject *first;

  soup_multipart_append_form_string (multipart, "tune[title]", "Brackets");
  soup_multipart_append_form_string (multipart, "tune[name]", "man");
  soup_multipart_append_form_string (multipart, "tune[branch]", "fast");
  soup_multipart_append_form_string (multipart, "tune[prompts_attributes][][text]", "first");
  soup_multipart_append_form_string (multipart, "tune[prompts_attributes][][super_resolution]", "true");
  soup_multipart_append_form_string (multipart, "tune[prompts_attributes][][inpaint_faces]", "true");
  soup_multipart_append_form_string (multipart, "tune[prompts_attributes][][text]", "second");
  soup_multipart_append_form_file (multipart, "tune[images][]", "a.jpg", "image/jpeg", photo);

  tune = post_form (f, "/tunes", multipart, SOUP_STATUS_CREATED);
  prompts = json_object_get_array_member (as_object (tune), "prompts");
  g_assert_cmpuint (json_array_get_length (prompts), ==, 2);
  first = json_array_get_object_element (prompts, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "text"), ==, "first");
  g_assert_true (json_object_get_boolean_member (first, "super_resolution"));
  g_assert_true (json_object_get_boolean_member (first, "inpaint_faces"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (prompts, 1), "text"), ==, "second");
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (prompts, 1), "inpaint_faces"));
}

static void
test_tune_json (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JsonNode) tune = NULL;
  g_autoptr(AtelierSandboxRequest) request = NULL;
  JsonObject *object;
  JsonNode *json;

  tune = post_json (f, "/tunes",
                    "{\"tune\":{\"title\":\"Grumpy Cat\",\"name\":\"cat\",\"branch\":\"fast\","
                    "\"base_tune_id\":690204,\"auto_extend\":true,\"preset\":\"flux-lora-portrait\","
                    "\"image_urls\":[\"https://i.imgur.com/HLHBnl9.jpeg\",\"https://i.imgur.com/x.jpeg\"],"
                    "\"prompts_attributes\":[{\"text\":\"ohwx cat in space\",\"callback\":\"https://cb\"},"
                    "{\"text\":\"ohwx cat meme\",\"cfg_scale\":7.5,\"w\":512,\"h\":640}]}}",
                    SOUP_STATUS_CREATED);
  object = as_object (tune);
  g_assert_cmpint (json_object_get_int_member (object, "base_tune_id"), ==, 690204);
  g_assert_true (json_object_get_boolean_member (object, "auto_extend"));
  g_assert_cmpstr (json_object_get_string_member (object, "preset"), ==, "flux-lora-portrait");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (object, "orig_images"), 0), ==,
                   "https://i.imgur.com/HLHBnl9.jpeg");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "prompts")), ==, 2);
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (json_object_get_array_member (object, "prompts"), 1),
                                                    "cfg_scale"), ==, 7.5);

  request = atelier_sandbox_server_dup_last_request (f->server, "POST", "/tunes");
  json = atelier_sandbox_request_get_json (request);
  g_assert_nonnull (json);
  g_assert_true (json_object_has_member (json_object_get_object_member (as_object (json), "tune"), "prompts_attributes"));
}

static void
test_tune_idempotent (Fixture       *f,
                      gconstpointer  data)
{
  const char *json = "{\"tune\":{\"title\":\"uuid-1\",\"name\":\"man\",\"branch\":\"fast\","
                     "\"image_urls\":[\"https://example.com/a.jpg\"]}}";
  g_autoptr(JsonNode) first = post_json (f, "/tunes", json, SOUP_STATUS_CREATED);
  g_autoptr(JsonNode) second = post_json (f, "/tunes", json, SOUP_STATUS_OK);
  g_autoptr(JsonNode) list = get_json (f, "/tunes", SOUP_STATUS_OK);

  g_assert_cmpint (json_object_get_int_member (as_object (first), "id"), ==,
                   json_object_get_int_member (as_object (second), "id"));
  g_assert_cmpuint (json_array_get_length (as_array (list)), ==, 1);
}

static void
test_tune_training (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(JsonNode) fast = NULL;
  g_autoptr(JsonNode) slow = NULL;
  g_autoptr(JsonNode) faceid = NULL;
  g_autoptr(JsonNode) later = NULL;
  g_autoptr(GDateTime) trained = NULL;
  g_autoptr(GDateTime) expires = NULL;
  g_autofree char *path = NULL;
  JsonObject *object;

  fast = post_json (f, "/tunes", "{\"tune\":{\"title\":\"fast\",\"name\":\"man\",\"branch\":\"fast\","
                                 "\"image_urls\":[\"https://e/a.jpg\"]}}", SOUP_STATUS_CREATED);
  object = as_object (fast);
  g_assert_false (member_is_null (object, "trained_at"));
  g_assert_cmpstr (json_object_get_string_member (object, "eta"), ==, json_object_get_string_member (object, "trained_at"));
  g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$",
                                       json_object_get_string_member (object, "created_at"), 0, 0));
  trained = g_date_time_new_from_iso8601 (json_object_get_string_member (object, "trained_at"), NULL);
  expires = g_date_time_new_from_iso8601 (json_object_get_string_member (object, "expires_at"), NULL);
  g_assert_cmpint (g_date_time_difference (expires, trained), ==, G_GINT64_CONSTANT (30) * 86400 * G_USEC_PER_SEC);

  faceid = post_json (f, "/tunes", "{\"tune\":{\"title\":\"faceid\",\"name\":\"woman\",\"model_type\":\"faceid\","
                                   "\"base_tune_id\":690204,\"image_urls\":[\"https://e/a.jpg\"]}}", SOUP_STATUS_CREATED);
  g_assert_false (member_is_null (as_object (faceid), "trained_at"));
  g_assert_true (member_is_null (as_object (faceid), "ckpt_url"));

  slow = post_json (f, "/tunes", "{\"tune\":{\"title\":\"slow\",\"name\":\"man\",\"branch\":\"sd15\","
                                 "\"image_urls\":[\"https://e/a.jpg\"]}}", SOUP_STATUS_CREATED);
  object = as_object (slow);
  g_assert_true (member_is_null (object, "trained_at"));
  g_assert_true (member_is_null (object, "expires_at"));
  g_assert_false (member_is_null (object, "eta"));
  g_assert_cmpstr (json_object_get_string_member (object, "token"), ==, "sks");

  wait_ms (250);
  path = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT, json_object_get_int_member (object, "id"));
  later = get_json (f, path, SOUP_STATUS_OK);
  g_assert_false (member_is_null (as_object (later), "trained_at"));
  g_assert_false (member_is_null (as_object (later), "expires_at"));
}

static void
test_tune_paging (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(JsonNode) page1 = NULL;
  g_autoptr(JsonNode) page2 = NULL;
  g_autoptr(JsonNode) page3 = NULL;
  gint64 newest = 0;

  for (guint i = 0; i < 45; i++)
    {
      g_autofree char *title = g_strdup_printf ("Tune %u", i);
      newest = atelier_sandbox_server_seed_tune (f->server, title, "man", TRUE);
    }

  page1 = get_json (f, "/tunes", SOUP_STATUS_OK);
  page2 = get_json (f, "/tunes?offset=20", SOUP_STATUS_OK);
  page3 = get_json (f, "/tunes?offset=40", SOUP_STATUS_OK);
  g_assert_cmpuint (json_array_get_length (as_array (page1)), ==, 20);
  g_assert_cmpuint (json_array_get_length (as_array (page2)), ==, 20);
  g_assert_cmpuint (json_array_get_length (as_array (page3)), ==, 5);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (as_array (page1), 0), "id"), ==, newest);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (as_array (page1), 19), "id"), ==,
                   json_object_get_int_member (json_array_get_object_element (as_array (page2), 0), "id") + 1);
}

static void
test_tune_delete (Fixture       *f,
                  gconstpointer  data)
{
  gint64 tune_id = create_fast_tune (f, "to delete");
  g_autoptr(JsonNode) prompt = create_prompt (f, tune_id, "{\"prompt\":{\"text\":\"bye\"}}");
  g_autofree char *path = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT, tune_id);
  g_autofree char *prompt_path = g_strdup_printf ("/prompts/%" G_GINT64_FORMAT,
                                                  json_object_get_int_member (as_object (prompt), "id"));
  g_autoptr(SoupMessage) msg = new_message (f, "DELETE", path);
  g_autoptr(JsonNode) answer = send_json (f, msg, SOUP_STATUS_OK);

  g_assert_cmpstr (json_object_get_string_member (as_object (answer), "message"), ==, "Tune successfully deleted");
  g_assert_cmpuint (request_status (f, "GET", path), ==, SOUP_STATUS_NOT_FOUND);
  g_assert_cmpuint (request_status (f, "GET", prompt_path), ==, SOUP_STATUS_NOT_FOUND);
  g_assert_cmpuint (request_status (f, "DELETE", "/tunes/690204"), ==, SOUP_STATUS_FORBIDDEN);
}

static void
test_prompt_lifecycle (Fixture       *f,
                       gconstpointer  data)
{
  gint64 tune_id = create_fast_tune (f, "prompts");
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) done = NULL;
  g_autoptr(JsonNode) tall = NULL;
  g_autoptr(GBytes) image0 = NULL;
  g_autoptr(GBytes) image1 = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GBytes) tall_bytes = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) tall_pixbuf = NULL;
  g_autofree char *prefix = g_strconcat (f->base_url, "/sandbox/images/", NULL);
  JsonObject *object;
  JsonArray *images;
  gint64 id;
  guint downloads;

  created = create_prompt (f, tune_id, "{\"prompt\":{\"text\":\"ohwx man as a knight\",\"negative_prompt\":\"blurry\","
                                       "\"seed\":42,\"super_resolution\":true,\"face_correct\":true,"
                                       "\"scheduler\":\"euler_a\",\"callback\":\"https://cb\"}}");
  object = as_object (created);
  id = json_object_get_int_member (object, "id");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "images")), ==, 0);
  g_assert_true (member_is_null (object, "trained_at"));
  g_assert_true (member_is_null (object, "user_error"));
  g_assert_false (json_object_has_member (object, "liked"));
  g_assert_cmpint (json_object_get_int_member (object, "tune_id"), ==, tune_id);
  g_assert_cmpint (json_object_get_int_member (object, "seed"), ==, 42);
  g_assert_cmpstr (json_object_get_string_member (object, "scheduler"), ==, "euler_a");
  g_assert_cmpstr (json_object_get_string_member (object, "negative_prompt"), ==, "blurry");
  g_assert_cmpstr (json_object_get_string_member (object, "callback"), ==, "https://cb");
  g_assert_true (json_object_get_boolean_member (object, "super_resolution"));
  g_assert_true (member_is_null (object, "cfg_scale"));

  wait_ms (250);
  done = get_prompt (f, id);
  object = as_object (done);
  images = json_object_get_array_member (object, "images");
  g_assert_cmpuint (json_array_get_length (images), ==, 4);
  g_assert_false (member_is_null (object, "trained_at"));
  g_assert_true (g_str_has_prefix (json_array_get_string_element (images, 0), prefix));
  /* Served without a key, so not guessable: 128 random bits in the path;
   * the id alone, or another token, finds nothing. */
  {
    g_autofree char *path = atelier_sandbox_server_dup_image_path (f->server, id, 0);
    g_autofree char *url = g_strconcat (f->base_url, path, NULL);
    g_autofree char *bare = g_strdup_printf ("/sandbox/images/%" G_GINT64_FORMAT "/0.jpg", id);
    g_autofree char *other = g_strdup_printf ("/sandbox/images/0123456789abcdef0123456789abcdef/%" G_GINT64_FORMAT "/0.jpg", id);
    g_auto(GStrv) parts = g_strsplit (path, "/", -1);

    g_assert_cmpstr (json_array_get_string_element (images, 0), ==, url);
    g_assert_cmpuint (strlen (parts[3]), ==, 32);
    g_assert_cmpuint (strspn (parts[3], "0123456789abcdef"), ==, 32);
    g_assert_cmpuint (request_status (f, "GET", bare), ==, SOUP_STATUS_NOT_FOUND);
    g_assert_cmpuint (request_status (f, "GET", other), ==, SOUP_STATUS_NOT_FOUND);
  }

  downloads = atelier_sandbox_server_count_image_downloads (f->server);
  image0 = download (f, json_array_get_string_element (images, 0), SOUP_STATUS_OK);
  image1 = download (f, json_array_get_string_element (images, 1), SOUP_STATUS_OK);
  again = download (f, json_array_get_string_element (images, 0), SOUP_STATUS_OK);
  g_assert_cmpuint (atelier_sandbox_server_count_image_downloads (f->server), ==, downloads + 3);
  g_assert_false (g_bytes_equal (image0, image1));
  g_assert_true (g_bytes_equal (image0, again));

  pixbuf = decode_image (image0);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 256);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 256);

  /* Not requested images do not exist */
  g_clear_pointer (&again, g_bytes_unref);
  again = download (f, json_array_get_string_element (images, 3), SOUP_STATUS_OK);
  g_clear_pointer (&again, g_bytes_unref);
  {
    g_autofree char *missing = atelier_sandbox_server_dup_image_path (f->server, id, 4);
    again = download (f, missing, SOUP_STATUS_NOT_FOUND);
  }

  /* The long side is image-size */
  tall = create_prompt (f, tune_id, "{\"prompt\":{\"text\":\"tall\",\"w\":512,\"h\":768,\"num_images\":1}}");
  wait_ms (250);
  g_clear_pointer (&done, json_node_unref);
  done = get_prompt (f, json_object_get_int_member (as_object (tall), "id"));
  images = json_object_get_array_member (as_object (done), "images");
  g_assert_cmpuint (json_array_get_length (images), ==, 1);
  tall_bytes = download (f, json_array_get_string_element (images, 0), SOUP_STATUS_OK);
  tall_pixbuf = decode_image (tall_bytes);
  g_assert_cmpint (gdk_pixbuf_get_width (tall_pixbuf), ==, 171);
  g_assert_cmpint (gdk_pixbuf_get_height (tall_pixbuf), ==, 256);
}

static void
test_prompt_after_training (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(JsonNode) tune = NULL;
  g_autoptr(JsonNode) prompt = NULL;
  g_autoptr(JsonNode) pending = NULL;
  g_autoptr(JsonNode) done = NULL;
  gint64 id;

  tune = post_json (f, "/tunes", "{\"tune\":{\"title\":\"slow\",\"name\":\"man\",\"image_urls\":[\"https://e/a.jpg\"],"
                                 "\"prompts_attributes\":[{\"text\":\"later\"}]}}", SOUP_STATUS_CREATED);
  prompt = json_node_copy (json_array_get_element (json_object_get_array_member (as_object (tune), "prompts"), 0));
  id = json_object_get_int_member (as_object (prompt), "id");

  /* Training takes 200 ms, then the prompt 200 ms more */
  wait_ms (250);
  pending = get_prompt (f, id);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (as_object (pending), "images")), ==, 0);
  g_assert_false (member_is_null (as_object (pending), "started_training_at"));

  wait_ms (250);
  done = get_prompt (f, id);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (as_object (done), "images")), ==, 4);
}

static void
test_prompt_fail (Fixture       *f,
                  gconstpointer  data)
{
  gint64 tune_id = create_fast_tune (f, "fails");
  g_autoptr(JsonNode) created = create_prompt (f, tune_id, "{\"prompt\":{\"text\":\"ohwx man [fail]\"}}");
  g_autoptr(JsonNode) failed = NULL;
  JsonObject *object;

  wait_ms (250);
  failed = get_prompt (f, json_object_get_int_member (as_object (created), "id"));
  object = as_object (failed);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "images")), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (object, "user_error"), ==,
                   "Sandbox: generation failed (the prompt asked for it)");
}

static void
test_prompt_validation (Fixture       *f,
                        gconstpointer  data)
{
  static const struct { const char *json; const char *field; } cases[] = {
    { "{\"prompt\":{\"text\":\"  \"}}", "text" },
    { "{\"prompt\":{\"text\":\"a\",\"num_images\":9}}", "num_images" },
    { "{\"prompt\":{\"text\":\"a\",\"num_images\":\"many\"}}", "num_images" },
    { "{\"prompt\":{\"text\":\"a\",\"num_images\":1e300}}", "num_images" },
    { "{\"prompt\":{\"text\":\"a\",\"seed\":-1}}", "seed" },
    { "{\"prompt\":{\"text\":\"a\",\"w\":100}}", "w" },
    { "{\"prompt\":{\"text\":\"a\",\"cfg_scale\":16}}", "cfg_scale" },
    { "{\"prompt\":{\"text\":\"a\",\"steps\":51}}", "steps" },
    { "{\"prompt\":{\"text\":\"a\",\"inpaint_faces\":true}}", "inpaint_faces" },
    { "{\"prompt\":{\"text\":\"a\",\"controlnet\":\"pose\"}}", "controlnet" },
    { "{\"prompt\":{\"text\":\"a\",\"controlnet\":\"dance\",\"input_image_url\":\"https://e/a.jpg\"}}", "controlnet" },
    { "{\"prompt\":{\"text\":\"a\",\"scheduler\":\"fastest\"}}", "scheduler" },
  };
  gint64 tune_id = create_fast_tune (f, "validation");
  g_autofree char *path = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT "/prompts", tune_id);
  g_autoptr(JsonNode) tune_errors = NULL;
  g_autoptr(JsonNode) ok = NULL;
  g_autoptr(JsonNode) missing = NULL;
  g_autoptr(JsonNode) not_found = NULL;
  g_autoptr(JsonNode) malformed = NULL;
  g_autoptr(JsonNode) deep = NULL;
  g_autoptr(JsonNode) nested = NULL;
  g_autoptr(GString) deep_json = g_string_new ("{\"prompt\":");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) errors = post_json (f, path, cases[i].json, SOUP_STATUS_UNPROCESSABLE_ENTITY);
      assert_error_field (errors, cases[i].field);
    }

  ok = post_json (f, path, "{\"prompt\":{\"text\":\"a\",\"controlnet\":\"pose\",\"input_image_url\":\"https://e/a.jpg\","
                           "\"super_resolution\":true,\"inpaint_faces\":true,\"w\":512,\"h\":512}}", SOUP_STATUS_CREATED);

  tune_errors = post_json (f, "/tunes", "{\"tune\":{\"branch\":\"sd99\",\"model_type\":\"dreambooth\",\"steps\":0,"
                                        "\"preset\":\"x\",\"prompts_attributes\":[{\"text\":\"\"}]}}",
                           SOUP_STATUS_UNPROCESSABLE_ENTITY);
  assert_error_field (tune_errors, "title");
  assert_error_field (tune_errors, "name");
  assert_error_field (tune_errors, "images");
  assert_error_field (tune_errors, "branch");
  assert_error_field (tune_errors, "model_type");
  assert_error_field (tune_errors, "steps");
  assert_error_field (tune_errors, "preset");
  assert_error_field (tune_errors, "prompts.text");

  missing = post_json (f, path, "{\"text\":\"no prompt object\"}", SOUP_STATUS_BAD_REQUEST);
  not_found = post_json (f, "/tunes/42/prompts", "{\"prompt\":{\"text\":\"a\"}}", SOUP_STATUS_NOT_FOUND);
  malformed = post_json (f, path, "{\"prompt\":", SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpstr (json_object_get_string_member (as_object (malformed), "error"), ==, "Malformed JSON");

  for (guint i = 0; i < 100; i++)
    g_string_append (deep_json, "[");
  for (guint i = 0; i < 100; i++)
    g_string_append (deep_json, "]");
  g_string_append (deep_json, "}");
  deep = post_json (f, path, deep_json->str, SOUP_STATUS_BAD_REQUEST);

  /* 60 levels are fine (and are not a prompt object) */
  g_string_assign (deep_json, "{\"prompt\":{\"text\":\"x\",\"extra\":");
  for (guint i = 0; i < 60; i++)
    g_string_append (deep_json, "[");
  for (guint i = 0; i < 60; i++)
    g_string_append (deep_json, "]");
  g_string_append (deep_json, "}}");
  nested = post_json (f, path, deep_json->str, SOUP_STATUS_CREATED);
}

static void
test_prompt_gallery_tune (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(JsonNode) prompt = NULL;
  g_autoptr(JsonNode) tune = NULL;
  g_autoptr(JsonNode) tunes = NULL;
  g_autoptr(JsonNode) listed = NULL;
  g_autoptr(SoupMultipart) multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autoptr(GBytes) pose = atelier_test_make_image (64, 64, 4, "png");

  soup_multipart_append_form_string (multipart, "prompt[text]", "<lora:1000001:1> ohwx man");
  soup_multipart_append_form_string (multipart, "prompt[controlnet]", "pose");
  soup_multipart_append_form_string (multipart, "prompt[num_images]", "1");
  soup_multipart_append_form_string (multipart, "prompt[denoising_strength]", "0.6");
  soup_multipart_append_form_file (multipart, "prompt[input_image]", "pose.png", "image/png", pose);
  prompt = post_form (f, "/tunes/1504944/prompts", multipart, SOUP_STATUS_CREATED);
  g_assert_cmpint (json_object_get_int_member (as_object (prompt), "tune_id"), ==, ATELIER_SANDBOX_FLUX_TUNE_ID);
  g_assert_cmpfloat (json_object_get_double_member (as_object (prompt), "denoising_strength"), ==, 0.6);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (as_object (prompt), "input_image"), f->base_url));

  tune = get_json (f, "/tunes/1504944", SOUP_STATUS_OK);
  g_assert_false (json_object_get_boolean_member (as_object (tune), "is_api"));
  g_assert_false (member_is_null (as_object (tune), "trained_at"));
  tunes = get_json (f, "/tunes", SOUP_STATUS_OK);
  g_assert_cmpuint (json_array_get_length (as_array (tunes)), ==, 0);
  listed = get_json (f, "/tunes/1504944/prompts", SOUP_STATUS_OK);
  g_assert_cmpuint (json_array_get_length (as_array (listed)), ==, 1);
}

static void
test_prompt_paging (Fixture       *f,
                    gconstpointer  data)
{
  gint64 tune_a = atelier_sandbox_server_seed_tune (f->server, "A", "man", TRUE);
  gint64 tune_b = atelier_sandbox_server_seed_tune (f->server, "B", "woman", TRUE);
  g_autofree char *path_a = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT "/prompts?offset=20", tune_a);
  g_autoptr(JsonNode) page_a = NULL;
  g_autoptr(JsonNode) all = NULL;
  g_autoptr(JsonNode) all_last = NULL;

  atelier_sandbox_server_seed_prompts (f->server, tune_a, 25, 2);
  atelier_sandbox_server_seed_prompts (f->server, tune_b, 10, 1);

  page_a = get_json (f, path_a, SOUP_STATUS_OK);
  g_assert_cmpuint (json_array_get_length (as_array (page_a)), ==, 5);
  all = get_json (f, "/prompts", SOUP_STATUS_OK);
  g_assert_cmpuint (json_array_get_length (as_array (all)), ==, 20);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (as_array (all), 0), "tune_id"), ==, tune_b);
  all_last = get_json (f, "/prompts?offset=20", SOUP_STATUS_OK);
  g_assert_cmpuint (json_array_get_length (as_array (all_last)), ==, 15);
}

static void
test_likes (Fixture       *f,
            gconstpointer  data)
{
  gint64 tune_id = atelier_sandbox_server_seed_tune (f->server, "likes", "man", TRUE);
  gint64 prompt_id = atelier_sandbox_server_seed_prompt (f->server, tune_id, "liked", 1);
  g_autofree char *likes = g_strdup_printf ("/prompts/%" G_GINT64_FORMAT "/likes", prompt_id);
  g_autofree char *like = g_strdup_printf ("/prompts/%" G_GINT64_FORMAT "/like", prompt_id);
  g_autoptr(JsonNode) pack_tunes = NULL;
  g_autoptr(JsonNode) templates = NULL;
  JsonObject *pack_prompt;
  gint64 orig_id;

  g_assert_cmpuint (request_status (f, "POST", likes), ==, SOUP_STATUS_CREATED);
  g_assert_cmpuint (atelier_sandbox_server_get_like_count (f->server, prompt_id), ==, 1);
  g_assert_cmpuint (request_status (f, "POST", like), ==, SOUP_STATUS_CREATED);
  g_assert_cmpuint (atelier_sandbox_server_get_like_count (f->server, prompt_id), ==, 1);
  g_assert_cmpuint (request_status (f, "DELETE", likes), ==, SOUP_STATUS_NO_CONTENT);
  g_assert_cmpuint (atelier_sandbox_server_get_like_count (f->server, prompt_id), ==, 0);
  g_assert_cmpuint (request_status (f, "POST", like), ==, SOUP_STATUS_CREATED);
  g_assert_cmpuint (request_status (f, "DELETE", like), ==, SOUP_STATUS_NO_CONTENT);
  g_assert_cmpuint (atelier_sandbox_server_get_like_count (f->server, prompt_id), ==, 0);
  g_assert_cmpuint (request_status (f, "POST", "/prompts/999/likes"), ==, SOUP_STATUS_NOT_FOUND);

  /* Likes of pack prompts count for the pack's original prompt too */
  {
    g_autofree char *json = g_strdup_printf ("{\"tune\":{\"tune_ids\":[%" G_GINT64_FORMAT "]}}", tune_id);
    pack_tunes = post_json (f, "/p/260/tunes", json, SOUP_STATUS_CREATED);
  }
  pack_prompt = json_array_get_object_element (json_object_get_array_member (json_array_get_object_element (as_array (pack_tunes), 0),
                                                                             "prompts"), 0);
  orig_id = json_object_get_int_member (pack_prompt, "orig_prompt_id");
  templates = get_json (f, "/packs/260/prompts", SOUP_STATUS_OK);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (as_array (templates), 0), "id"), ==, orig_id);
  g_assert_cmpuint (atelier_sandbox_server_get_like_count (f->server, orig_id), ==, 0);
  {
    g_autofree char *path = g_strdup_printf ("/prompts/%" G_GINT64_FORMAT "/likes", json_object_get_int_member (pack_prompt, "id"));
    g_assert_cmpuint (request_status (f, "POST", path), ==, SOUP_STATUS_CREATED);
  }
  g_assert_cmpuint (atelier_sandbox_server_get_like_count (f->server, orig_id), ==, 1);
}

static void
test_prompt_delete (Fixture       *f,
                    gconstpointer  data)
{
  gint64 tune_id = atelier_sandbox_server_seed_tune (f->server, "delete", "man", TRUE);
  gint64 first = atelier_sandbox_server_seed_prompt (f->server, tune_id, "first", 1);
  gint64 second = atelier_sandbox_server_seed_prompt (f->server, tune_id, "second", 1);
  g_autofree char *nested = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT "/prompts/%" G_GINT64_FORMAT, tune_id, first);
  g_autofree char *wrong_tune = g_strdup_printf ("/tunes/690204/prompts/%" G_GINT64_FORMAT, second);
  g_autofree char *flat = g_strdup_printf ("/prompts/%" G_GINT64_FORMAT, second);
  g_autofree char *image = atelier_sandbox_server_dup_image_path (f->server, second, 0);
  g_autoptr(GBytes) before = download (f, image, SOUP_STATUS_OK);
  g_autoptr(GBytes) after = NULL;
  g_autoptr(SoupMessage) msg1 = new_message (f, "DELETE", nested);
  g_autoptr(SoupMessage) msg2 = new_message (f, "DELETE", flat);
  g_autoptr(JsonNode) answer1 = NULL;
  g_autoptr(JsonNode) answer2 = NULL;

  g_assert_cmpuint (request_status (f, "DELETE", wrong_tune), ==, SOUP_STATUS_NOT_FOUND);
  answer1 = send_json (f, msg1, SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (as_object (answer1), "message"), ==, "Prompt successfully deleted");
  answer2 = send_json (f, msg2, SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (as_object (answer2), "message"), ==, "Prompt successfully deleted");
  g_assert_cmpuint (request_status (f, "GET", nested), ==, SOUP_STATUS_NOT_FOUND);
  g_assert_cmpuint (request_status (f, "DELETE", flat), ==, SOUP_STATUS_NOT_FOUND);
  after = download (f, image, SOUP_STATUS_NOT_FOUND);
}

static void
test_packs_list (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JsonNode) mine = get_json (f, "/packs", SOUP_STATUS_OK);
  g_autoptr(JsonNode) gallery = get_json (f, "/gallery/packs", SOUP_STATUS_OK);
  g_autoptr(JsonNode) prompts = get_json (f, "/packs/corporate-headshots/prompts", SOUP_STATUS_OK);
  g_autoptr(JsonNode) missing = get_json (f, "/packs/12345/prompts", SOUP_STATUS_NOT_FOUND);
  JsonObject *pack;
  JsonObject *costs;

  g_assert_cmpuint (json_array_get_length (as_array (mine)), ==, 2);
  g_assert_cmpuint (json_array_get_length (as_array (gallery)), >=, 3);

  pack = json_array_get_object_element (as_array (mine), 0);
  costs = json_object_get_object_member (pack, "cost_mc_hash");
  g_assert_cmpint (json_object_get_int_member (costs, "man"), ==, 200000);
  g_assert_cmpint (json_object_get_int_member (costs, "woman"), ==, 100000);
  g_assert_nonnull (json_object_get_string_member (pack, "slug"));
  g_assert_true (json_object_has_member (pack, "public_at"));
  g_assert_true (json_object_has_member (pack, "multiplier"));
  g_assert_true (json_object_has_member (pack, "model_type"));
  g_assert_true (json_object_has_member (pack, "base_tune_id"));

  g_assert_cmpuint (json_array_get_length (as_array (prompts)), >=, 3);
  g_assert_cmpuint (json_array_get_length (as_array (prompts)), <=, 6);
  g_assert_nonnull (strstr (json_object_get_string_member (json_array_get_object_element (as_array (prompts), 0), "text"),
                            "{{class}}"));
}

static void
test_pack_tune_from_photos (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(SoupMultipart) multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autoptr(SoupMultipart) cat = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autoptr(GBytes) photo = atelier_test_make_image (64, 64, 5, "jpeg");
  g_autoptr(JsonNode) tune = NULL;
  g_autoptr(JsonNode) templates = get_json (f, "/packs/260/prompts", SOUP_STATUS_OK);
  g_autoptr(JsonNode) errors = NULL;
  g_autoptr(JsonNode) lora = NULL;
  JsonObject *object;
  JsonArray *prompts;

  soup_multipart_append_form_string (multipart, "tune[title]", "Pack tune");
  soup_multipart_append_form_string (multipart, "tune[name]", "man");
  soup_multipart_append_form_string (multipart, "tune[characteristics][eye_color]", "green eyes");
  soup_multipart_append_form_string (multipart, "tune[prompt_attributes][callback]", "https://cb/prompts");
  soup_multipart_append_form_string (multipart, "tune[prompts_callback]", "https://cb/all");
  soup_multipart_append_form_file (multipart, "tune[images][]", "1.jpg", "image/jpeg", photo);
  tune = post_form (f, "/p/260/tunes", multipart, SOUP_STATUS_CREATED);

  object = as_object (tune);
  g_assert_cmpint (json_object_get_int_member (object, "base_tune_id"), ==, ATELIER_SANDBOX_RV51_TUNE_ID);
  prompts = json_object_get_array_member (object, "prompts");
  g_assert_cmpuint (json_array_get_length (prompts), ==, json_array_get_length (as_array (templates)));
  for (guint i = 0; i < json_array_get_length (prompts); i++)
    {
      JsonObject *prompt = json_array_get_object_element (prompts, i);

      g_assert_false (member_is_null (prompt, "orig_prompt_id"));
      g_assert_nonnull (strstr (json_object_get_string_member (prompt, "text"), "ohwx man"));
      g_assert_null (strstr (json_object_get_string_member (prompt, "text"), "{{"));
      g_assert_cmpstr (json_object_get_string_member (prompt, "callback"), ==, "https://cb/prompts");
      g_assert_cmpint (json_object_get_int_member (prompt, "tune_id"), ==, json_object_get_int_member (object, "id"));
    }
  g_assert_nonnull (strstr (json_object_get_string_member (json_array_get_object_element (prompts, 2), "text"), "green eyes"));

  soup_multipart_append_form_string (cat, "tune[title]", "Cat pack");
  soup_multipart_append_form_string (cat, "tune[name]", "cat");
  soup_multipart_append_form_file (cat, "tune[images][]", "1.jpg", "image/jpeg", photo);
  errors = post_form (f, "/p/corporate-headshots/tunes", cat, SOUP_STATUS_UNPROCESSABLE_ENTITY);
  assert_error_field (errors, "name");

  /* A LoRA pack loads the new tune in its prompts, by slug */
  lora = post_json (f, "/p/fantasy-portraits/tunes",
                    "{\"tune\":{\"title\":\"Lora pack\",\"name\":\"woman\",\"image_urls\":[\"https://e/1.jpg\"]}}",
                    SOUP_STATUS_CREATED);
  object = as_object (lora);
  g_assert_cmpstr (json_object_get_string_member (object, "model_type"), ==, "lora");
  g_assert_cmpint (json_object_get_int_member (object, "base_tune_id"), ==, ATELIER_SANDBOX_FLUX_TUNE_ID);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (object, "prompts"), 0), "text"),
                                   "<lora:"));
}

static void
test_pack_tune_ids (Fixture       *f,
                    gconstpointer  data)
{
  gint64 tune_a = atelier_sandbox_server_seed_tune (f->server, "A", "man", TRUE);
  gint64 tune_b = atelier_sandbox_server_seed_tune (f->server, "B", "woman", TRUE);
  g_autofree char *json = g_strdup_printf ("{\"tune\":{\"tune_ids\":[%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT "]}}", tune_a, tune_b);
  g_autofree char *text_b = g_strdup_printf ("%" G_GINT64_FORMAT, tune_b);
  g_autoptr(SoupMultipart) multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autoptr(JsonNode) answer = post_json (f, "/p/5/tunes", json, SOUP_STATUS_CREATED);
  g_autoptr(JsonNode) form_answer = NULL;
  g_autoptr(JsonNode) unknown = NULL;
  g_autoptr(JsonNode) listed = NULL;
  g_autofree char *path = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT "/prompts", tune_b);
  JsonArray *tunes = as_array (answer);

  g_assert_cmpuint (json_array_get_length (tunes), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (tunes, 0), "id"), ==, tune_a);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_array_get_object_element (tunes, 1), "prompts")), ==, 6);
  g_assert_nonnull (strstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (json_array_get_object_element (tunes, 1), "prompts"), 0),
                                                           "text"), "ohwx woman"));

  soup_multipart_append_form_string (multipart, "tune[tune_ids][]", text_b);
  form_answer = post_form (f, "/p/my-studio-portraits/tunes", multipart, SOUP_STATUS_CREATED);
  g_assert_cmpuint (json_array_get_length (as_array (form_answer)), ==, 1);

  listed = get_json (f, path, SOUP_STATUS_OK);
  g_assert_cmpuint (json_array_get_length (as_array (listed)), ==, 12);

  unknown = post_json (f, "/p/5/tunes", "{\"tune\":{\"tune_ids\":[77]}}", SOUP_STATUS_UNPROCESSABLE_ENTITY);
  assert_error_field (unknown, "tune_ids");
  g_assert_cmpuint (request_status (f, "POST", "/p/nope/tunes"), ==, SOUP_STATUS_NOT_FOUND);

  /* A class the pack does not price is refused, as for a new tune, and
   * nothing is made for the other tunes of the request. */
  {
    gint64 cat = atelier_sandbox_server_seed_tune (f->server, "C", "cat", TRUE);
    g_autofree char *mixed = g_strdup_printf ("{\"tune\":{\"tune_ids\":[%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT "]}}",
                                              tune_b, cat);
    g_autoptr(JsonNode) refused = post_json (f, "/p/5/tunes", mixed, SOUP_STATUS_UNPROCESSABLE_ENTITY);
    g_autoptr(JsonNode) again = NULL;

    assert_error_field (refused, "tune_ids");
    again = get_json (f, path, SOUP_STATUS_OK);
    g_assert_cmpuint (json_array_get_length (as_array (again)), ==, 12);
  }
}

static void
assert_no_warnings (JsonObject *answer)
{
  static const char * const warnings[] = {
    "funny_face", "wearing_sunglasses", "wearing_hat", "blurry",
    "includes_multiple_people", "full_body_image_or_longshot",
  };

  for (guint i = 0; i < G_N_ELEMENTS (warnings); i++)
    {
      if (json_object_get_boolean_member (answer, warnings[i]))
        g_error ("Unexpected warning %s", warnings[i]);
    }
}

static void
fill_rows (GdkPixbuf *pixbuf,
           double     from,
           double     to,
           guchar     value)
{
  int height = gdk_pixbuf_get_height (pixbuf);
  int rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);

  for (int y = (int) (from * height); y < (int) (to * height); y++)
    for (int x = 0; x < gdk_pixbuf_get_width (pixbuf); x++)
      memset (pixels + y * rowstride + x * channels, value, 3);
}

/* A separable Gaussian blur, 3 sigma on each side. */
static GdkPixbuf *
gaussian_blur (GdkPixbuf *source,
               double     sigma)
{
  int width = gdk_pixbuf_get_width (source);
  int height = gdk_pixbuf_get_height (source);
  int channels = gdk_pixbuf_get_n_channels (source);
  int radius = (int) ceil (3 * sigma);
  g_autoptr(GdkPixbuf) pass = gdk_pixbuf_copy (source);
  GdkPixbuf *out = gdk_pixbuf_copy (source);
  g_autofree double *kernel = g_new0 (double, 2 * radius + 1);
  double total = 0;

  for (int i = -radius; i <= radius; i++)
    total += kernel[i + radius] = exp (-(i * i) / (2 * sigma * sigma));

  for (int direction = 0; direction < 2; direction++)
    {
      GdkPixbuf *from = direction == 0 ? source : pass;
      GdkPixbuf *to = direction == 0 ? pass : out;
      const guchar *src = gdk_pixbuf_read_pixels (from);
      guchar *dst = gdk_pixbuf_get_pixels (to);
      int rowstride = gdk_pixbuf_get_rowstride (from);

      for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
          for (int c = 0; c < 3; c++)
            {
              double sum = 0;

              for (int i = -radius; i <= radius; i++)
                {
                  int sx = direction == 0 ? CLAMP (x + i, 0, width - 1) : x;
                  int sy = direction == 1 ? CLAMP (y + i, 0, height - 1) : y;

                  sum += kernel[i + radius] * src[sy * rowstride + sx * channels + c];
                }
              dst[y * rowstride + x * channels + c] = (guchar) CLAMP (sum / total + 0.5, 0, 255);
            }
    }

  return out;
}

static void
test_inspect (Fixture       *f,
              gconstpointer  data)
{
  static const char * const keys[] = {
    "age", "blurry", "ethnicity", "eye_color", "facial_hair", "full_body_image_or_longshot",
    "funny_face", "glasses", "hair_color", "hair_length", "hair_style", "includes_multiple_people",
    "is_bald", "name", "selfie", "wearing_hat", "wearing_sunglasses",
  };
  g_autoptr(GdkPixbuf) normal = test_pixbuf (512, 512, 0);
  g_autoptr(GdkPixbuf) portrait = test_pixbuf (512, 640, 3);
  g_autoptr(GdkPixbuf) dark = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 256, 256);
  g_autoptr(GdkPixbuf) green = test_pixbuf (256, 256, 0);
  g_autoptr(GdkPixbuf) flat = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 512, 512);
  g_autoptr(GdkPixbuf) blurred = gaussian_blur (normal, 2.0);
  g_autoptr(GdkPixbuf) tall = test_pixbuf (300, 600, 1);
  g_autoptr(GdkPixbuf) wide = test_pixbuf (900, 300, 1);
  g_autoptr(GdkPixbuf) sunglasses = test_pixbuf (512, 640, 3);
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) again = NULL;
  JsonObject *object;

  answer = inspect_pixbuf (f, normal, "woman");
  object = as_object (answer);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_true (json_object_has_member (object, keys[i]));
  g_assert_cmpuint (json_object_get_size (object), ==, G_N_ELEMENTS (keys));
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "woman");
  assert_no_warnings (object);
  g_assert_false (json_object_get_boolean_member (object, "selfie"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (object, "age"), " yo"));

  /* Deterministic */
  again = inspect_pixbuf (f, normal, "woman");
  g_assert_true (json_node_equal (answer, again));
  g_clear_pointer (&answer, json_node_unref);

  /* The test images (JPEG, gradient and 16 px checker) never warn */
  for (guint seed = 0; seed < 6; seed++)
    {
      g_autoptr(GBytes) jpeg = atelier_test_make_image (512, 512, seed, "jpeg");
      g_autoptr(JsonNode) checked = inspect_bytes (f, jpeg, "man");

      g_assert_cmpstr (json_object_get_string_member (as_object (checked), "name"), ==, "man");
      assert_no_warnings (as_object (checked));
    }

  {
    g_autoptr(GdkPixbuf) small_square = test_pixbuf (320, 320, 0);
    g_autoptr(JsonNode) selfie = inspect_pixbuf (f, small_square, "man");

    g_assert_true (json_object_get_boolean_member (as_object (selfie), "selfie"));
  }

  answer = inspect_pixbuf (f, portrait, "man");
  g_assert_cmpstr (json_object_get_string_member (as_object (answer), "name"), ==, "man");
  assert_no_warnings (as_object (answer));
  g_assert_false (json_object_get_boolean_member (as_object (answer), "selfie"));
  g_clear_pointer (&answer, json_node_unref);

  gdk_pixbuf_fill (dark, 0x0a0a0aff);
  answer = inspect_pixbuf (f, dark, "man");
  g_assert_cmpstr (json_object_get_string_member (as_object (answer), "name"), ==, "");
  g_assert_cmpstr (json_object_get_string_member (as_object (answer), "eye_color"), ==, "");
  g_clear_pointer (&answer, json_node_unref);

  gdk_pixbuf_fill (green, 0x20d030ff);
  answer = inspect_pixbuf (f, green, "woman");
  g_assert_cmpstr (json_object_get_string_member (as_object (answer), "name"), ==, "dog");
  g_clear_pointer (&answer, json_node_unref);
  answer = inspect_pixbuf (f, green, "cat");
  g_assert_cmpstr (json_object_get_string_member (as_object (answer), "name"), ==, "man");
  g_clear_pointer (&answer, json_node_unref);

  gdk_pixbuf_fill (flat, 0x808080ff);
  answer = inspect_pixbuf (f, flat, "man");
  g_assert_true (json_object_get_boolean_member (as_object (answer), "blurry"));
  g_clear_pointer (&answer, json_node_unref);

  answer = inspect_pixbuf (f, blurred, "man");
  g_assert_true (json_object_get_boolean_member (as_object (answer), "blurry"));
  g_clear_pointer (&answer, json_node_unref);

  answer = inspect_pixbuf (f, tall, "man");
  g_assert_true (json_object_get_boolean_member (as_object (answer), "full_body_image_or_longshot"));
  g_assert_false (json_object_get_boolean_member (as_object (answer), "includes_multiple_people"));
  g_clear_pointer (&answer, json_node_unref);

  answer = inspect_pixbuf (f, wide, "man");
  g_assert_true (json_object_get_boolean_member (as_object (answer), "includes_multiple_people"));
  g_clear_pointer (&answer, json_node_unref);

  fill_rows (sunglasses, 0.35, 0.45, 0);
  fill_rows (sunglasses, 0.0, 0.12, 0);
  answer = inspect_pixbuf (f, sunglasses, "man");
  g_assert_true (json_object_get_boolean_member (as_object (answer), "wearing_sunglasses"));
  g_assert_true (json_object_get_boolean_member (as_object (answer), "wearing_hat"));
}

static void
test_inspect_errors (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(SoupMultipart) garbage = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autoptr(SoupMultipart) external = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autoptr(SoupMultipart) own = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autoptr(SoupMultipart) nothing = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autoptr(GBytes) text = g_bytes_new_static ("not an image", 12);
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) own_answer = NULL;
  g_autoptr(JsonNode) nothing_answer = NULL;
  g_autoptr(JsonNode) external_answer = NULL;
  gint64 tune_id = atelier_sandbox_server_seed_tune (f->server, "inspect", "man", TRUE);
  gint64 prompt_id = atelier_sandbox_server_seed_prompt (f->server, tune_id, "inspect me", 1);
  g_autofree char *own_path = atelier_sandbox_server_dup_image_path (f->server, prompt_id, 0);
  g_autofree char *own_url = g_strconcat (f->base_url, own_path, NULL);

  soup_multipart_append_form_string (garbage, "name", "man");
  soup_multipart_append_form_file (garbage, "file", "x.jpg", "image/jpeg", text);
  answer = post_form (f, "/images/inspect", garbage, SOUP_STATUS_UNPROCESSABLE_ENTITY);
  assert_error_field (answer, "file");

  soup_multipart_append_form_string (external, "name", "man");
  soup_multipart_append_form_string (external, "file_url", "https://i.imgur.com/HLHBnl9.jpeg");
  external_answer = post_form (f, "/images/inspect", external, SOUP_STATUS_UNPROCESSABLE_ENTITY);
  assert_error_field (external_answer, "file_url");

  soup_multipart_append_form_string (own, "name", "man");
  soup_multipart_append_form_string (own, "file_url", own_url);
  own_answer = post_form (f, "/images/inspect", own, SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (as_object (own_answer), "name"), ==, "man");

  soup_multipart_append_form_string (nothing, "other", "1");
  nothing_answer = post_form (f, "/images/inspect", nothing, SOUP_STATUS_UNPROCESSABLE_ENTITY);
  assert_error_field (nothing_answer, "name");
  assert_error_field (nothing_answer, "file");
}

static void
test_themes (Fixture       *f,
             gconstpointer  data)
{
  gint64 tune_a = atelier_sandbox_server_seed_tune (f->server, "A", "man", TRUE);
  gint64 tune_b = atelier_sandbox_server_seed_tune (f->server, "B", "woman", TRUE);
  g_autofree char *json = g_strdup_printf ("{\"theme\":\"Corporate headshots\",\"tune_ids\":[%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT "],"
                                           "\"prompt_attributes\":{\"num_images\":2,\"w\":512,\"h\":768}}", tune_a, tune_b);
  g_autofree char *path_a = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT "/prompts", tune_a);
  g_autofree char *path_b = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT "/prompts", tune_b);
  g_autofree char *id_b = g_strdup_printf ("%" G_GINT64_FORMAT, tune_b);
  g_autoptr(SoupMessage) msg = new_message (f, "POST", "/themes");
  g_autoptr(SoupMultipart) multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autoptr(SoupMessage) form = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) form_body = NULL;
  g_autoptr(JsonNode) prompts_a = NULL;
  g_autoptr(JsonNode) prompts_b = NULL;
  g_autoptr(JsonNode) blank = NULL;
  g_autoptr(JsonNode) unknown = NULL;
  g_autoptr(JsonNode) empty = NULL;
  JsonObject *first;

  set_json_body (msg, json);
  body = send_message (f, msg, SOUP_STATUS_CREATED);
  g_assert_cmpuint (g_bytes_get_size (body), ==, 0);

  prompts_a = get_json (f, path_a, SOUP_STATUS_OK);
  g_assert_cmpuint (json_array_get_length (as_array (prompts_a)), ==, 10);
  first = json_array_get_object_element (as_array (prompts_a), 0);
  g_assert_nonnull (strstr (json_object_get_string_member (first, "text"), "Corporate headshots"));
  g_assert_cmpint (json_object_get_int_member (first, "num_images"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (first, "h"), ==, 768);

  soup_multipart_append_form_string (multipart, "theme[theme]", "Pirates");
  soup_multipart_append_form_string (multipart, "theme[tune_ids][]", id_b);
  soup_multipart_append_form_string (multipart, "theme[prompt_attributes][num_images]", "1");
  form = new_form_message (f, "/themes", multipart);
  form_body = send_message (f, form, SOUP_STATUS_CREATED);
  prompts_b = get_json (f, path_b, SOUP_STATUS_OK);
  g_assert_cmpuint (json_array_get_length (as_array (prompts_b)), ==, 20);
  g_assert_nonnull (strstr (json_object_get_string_member (json_array_get_object_element (as_array (prompts_b), 0), "text"),
                            "Pirates"));

  blank = post_json (f, "/themes", "{\"theme\":\"\",\"tune_ids\":[1000001]}", SOUP_STATUS_UNPROCESSABLE_ENTITY);
  assert_error_field (blank, "theme");
  unknown = post_json (f, "/themes", "{\"theme\":\"x\",\"tune_ids\":[5]}", SOUP_STATUS_UNPROCESSABLE_ENTITY);
  assert_error_field (unknown, "tune_ids");
  empty = post_json (f, "/themes", "{\"theme\":\"x\",\"tune_ids\":[]}", SOUP_STATUS_UNPROCESSABLE_ENTITY);
  assert_error_field (empty, "tune_ids");
}

static JsonNode *
fal_request (Fixture    *f,
             const char *method,
             const char *url,
             const char *json,
             guint       expected_status)
{
  g_autoptr(SoupMessage) msg = new_message_full (f, method, url, "Key " API_KEY);

  if (json != NULL)
    set_json_body (msg, json);

  return send_json (f, msg, expected_status);
}

static void
test_fal (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(JsonNode) submitted = NULL;
  g_autoptr(JsonNode) status = NULL;
  g_autoptr(JsonNode) early = NULL;
  g_autoptr(JsonNode) completed = NULL;
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(JsonNode) late_cancel = NULL;
  g_autoptr(JsonNode) invalid = NULL;
  g_autoptr(JsonNode) unknown = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  JsonObject *object;
  JsonObject *image_object;
  const char *status_text;
  g_autofree char *status_url = NULL;
  g_autofree char *response_url = NULL;
  g_autofree char *cancel_url = NULL;

  submitted = fal_request (f, "POST", "/fal-ai/ip-adapter-face-id",
                           "{\"prompt\":\"Man cyberpunk\",\"seed\":42,\"width\":512,\"height\":768}", SOUP_STATUS_OK);
  object = as_object (submitted);
  g_assert_nonnull (json_object_get_string_member (object, "request_id"));
  g_assert_cmpint (json_object_get_int_member (object, "queue_position"), ==, 0);
  status_url = g_strdup (json_object_get_string_member (object, "status_url"));
  response_url = g_strdup (json_object_get_string_member (object, "response_url"));
  cancel_url = g_strdup (json_object_get_string_member (object, "cancel_url"));
  g_assert_true (g_str_has_prefix (status_url, f->base_url));
  g_assert_true (g_str_has_suffix (status_url, "/status"));
  g_assert_true (g_str_has_suffix (cancel_url, "/cancel"));

  status = fal_request (f, "GET", status_url, NULL, SOUP_STATUS_ACCEPTED);
  status_text = json_object_get_string_member (as_object (status), "status");
  g_assert_true (g_str_equal (status_text, "IN_QUEUE") || g_str_equal (status_text, "IN_PROGRESS"));
  early = fal_request (f, "GET", response_url, NULL, SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpstr (json_object_get_string_member (as_object (early), "detail"), ==, "Request is still in progress");

  wait_ms (250);
  completed = fal_request (f, "GET", status_url, NULL, SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (as_object (completed), "status"), ==, "COMPLETED");
  g_assert_cmpstr (json_object_get_string_member (as_object (completed), "response_url"), ==, response_url);

  result = fal_request (f, "GET", response_url, NULL, SOUP_STATUS_OK);
  g_assert_cmpint (json_object_get_int_member (as_object (result), "seed"), ==, 42);
  image_object = json_object_get_object_member (as_object (result), "image");
  g_assert_cmpstr (json_object_get_string_member (image_object, "content_type"), ==, "image/jpeg");
  image = download (f, json_object_get_string_member (image_object, "url"), SOUP_STATUS_OK);
  g_assert_cmpint (json_object_get_int_member (image_object, "file_size"), ==, g_bytes_get_size (image));
  pixbuf = decode_image (image);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, json_object_get_int_member (image_object, "width"));
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, json_object_get_int_member (image_object, "height"));
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 256);

  late_cancel = fal_request (f, "PUT", cancel_url, NULL, SOUP_STATUS_BAD_REQUEST);
  g_assert_cmpstr (json_object_get_string_member (as_object (late_cancel), "status"), ==, "ALREADY_COMPLETED");

  /* A queued request can be cancelled */
  atelier_sandbox_server_set_fal_delay_ms (f->server, 30000);
  {
    g_autoptr(JsonNode) queued = fal_request (f, "POST", "/fal-ai/ip-adapter-face-id", "{\"prompt\":\"x\"}", SOUP_STATUS_OK);
    g_autoptr(JsonNode) second = fal_request (f, "POST", "/fal-ai/ip-adapter-face-id", "{\"prompt\":\"y\"}", SOUP_STATUS_OK);
    g_autoptr(JsonNode) position = fal_request (f, "GET", json_object_get_string_member (as_object (second), "status_url"),
                                                NULL, SOUP_STATUS_ACCEPTED);
    g_autoptr(JsonNode) cancelled = fal_request (f, "PUT", json_object_get_string_member (as_object (queued), "cancel_url"),
                                                 NULL, SOUP_STATUS_ACCEPTED);
    g_autoptr(JsonNode) gone = fal_request (f, "GET", json_object_get_string_member (as_object (queued), "response_url"),
                                            NULL, SOUP_STATUS_BAD_REQUEST);

    g_assert_cmpstr (json_object_get_string_member (as_object (position), "status"), ==, "IN_QUEUE");
    g_assert_cmpint (json_object_get_int_member (as_object (position), "queue_position"), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (as_object (cancelled), "status"), ==, "CANCELLATION_REQUESTED");
  }

  invalid = fal_request (f, "POST", "/fal-ai/ip-adapter-face-id", "{\"seed\":1}", SOUP_STATUS_UNPROCESSABLE_ENTITY);
  object = json_array_get_object_element (json_object_get_array_member (as_object (invalid), "detail"), 0);
  g_assert_cmpstr (json_object_get_string_member (object, "msg"), ==, "field required");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (object, "loc"), 1), ==, "prompt");

  unknown = fal_request (f, "GET", "/fal-ai/ip-adapter-face-id/requests/nope/status", NULL, SOUP_STATUS_NOT_FOUND);
  g_assert_cmpstr (json_object_get_string_member (as_object (unknown), "detail"), ==, "Request not found");
}

/* Faults */

static void
add_fault (Fixture                 *f,
           AtelierSandboxFaultKind  kind,
           const char              *method,
           const char              *path,
           guint                    times)
{
  AtelierSandboxFault fault = { .method = method, .path = path, .kind = kind, .times = times };

  atelier_sandbox_server_add_fault (f->server, &fault);
}

static void
test_fault_status (Fixture       *f,
                   gconstpointer  data)
{
  AtelierSandboxFault limited = { .method = "GET", .path = "/tunes", .kind = ATELIER_SANDBOX_FAULT_STATUS,
                                  .status = 429, .retry_after_s = 7, .times = 1 };
  AtelierSandboxFault custom = { .path = "/packs", .kind = ATELIER_SANDBOX_FAULT_STATUS,
                                 .status = 500, .body = "{\"error\":\"boom\"}", .times = 1 };
  g_autoptr(SoupMessage) msg = new_message (f, "GET", "/tunes");
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) custom_answer = NULL;
  g_autoptr(JsonNode) after = NULL;

  atelier_sandbox_server_add_fault (f->server, &limited);
  atelier_sandbox_server_add_fault (f->server, &custom);

  g_assert_cmpuint (request_status (f, "POST", "/tunes"), ==, SOUP_STATUS_BAD_REQUEST);
  answer = send_json (f, msg, 429);
  g_assert_cmpstr (json_object_get_string_member (as_object (answer), "error"), ==, "Sandbox fault 429");
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After"), ==, "7");
  after = get_json (f, "/tunes", SOUP_STATUS_OK);

  custom_answer = get_json (f, "/packs", SOUP_STATUS_INTERNAL_SERVER_ERROR);
  g_assert_cmpstr (json_object_get_string_member (as_object (custom_answer), "error"), ==, "boom");
  g_assert_cmpuint (request_status (f, "GET", "/packs"), ==, SOUP_STATUS_OK);

  /* Unlimited until cleared; requests are still logged */
  add_fault (f, ATELIER_SANDBOX_FAULT_STATUS, NULL, "/gallery", 0);
  g_assert_cmpuint (request_status (f, "GET", "/gallery/packs"), ==, SOUP_STATUS_INTERNAL_SERVER_ERROR);
  g_assert_cmpuint (request_status (f, "GET", "/gallery/packs"), ==, SOUP_STATUS_INTERNAL_SERVER_ERROR);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (f->server, "GET", "/gallery/packs"), ==, 2);
  atelier_sandbox_server_clear_faults (f->server);
  g_assert_cmpuint (request_status (f, "GET", "/gallery/packs"), ==, SOUP_STATUS_OK);
}

static void
test_fault_delay (Fixture       *f,
                  gconstpointer  data)
{
  AtelierSandboxFault delay = { .path = "/packs", .kind = ATELIER_SANDBOX_FAULT_DELAY, .delay_ms = 300, .times = 1 };
  AtelierSandboxFault slow_error = { .path = "/packs", .kind = ATELIER_SANDBOX_FAULT_STATUS, .status = 503,
                                     .delay_ms = 200, .times = 1 };
  gint64 start = g_get_monotonic_time ();
  g_autoptr(JsonNode) packs = NULL;

  atelier_sandbox_server_add_fault (f->server, &delay);
  packs = get_json (f, "/packs", SOUP_STATUS_OK);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);
  g_assert_cmpuint (json_array_get_length (as_array (packs)), ==, 2);

  atelier_sandbox_server_add_fault (f->server, &slow_error);
  start = g_get_monotonic_time ();
  g_assert_cmpuint (request_status (f, "GET", "/packs"), ==, 503);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 200 * 1000);
}

static void
test_fault_bodies (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GBytes) full = NULL;
  g_autoptr(GBytes) truncated = NULL;
  g_autoptr(GBytes) invalid = NULL;
  g_autoptr(GBytes) deep = NULL;
  g_autoptr(SoupMessage) msg1 = new_message (f, "GET", "/packs");
  g_autoptr(SoupMessage) msg2 = new_message (f, "GET", "/packs");
  g_autoptr(SoupMessage) msg3 = new_message (f, "GET", "/packs");
  g_autoptr(SoupMessage) msg4 = new_message (f, "GET", "/packs");
  const char *data_deep;

  full = send_message (f, msg1, SOUP_STATUS_OK);

  add_fault (f, ATELIER_SANDBOX_FAULT_TRUNCATED_JSON, "GET", "/packs", 1);
  truncated = send_message (f, msg2, SOUP_STATUS_OK);
  g_assert_cmpuint (g_bytes_get_size (truncated), ==, g_bytes_get_size (full) / 2);
  g_assert_cmpmem (g_bytes_get_data (truncated, NULL), g_bytes_get_size (truncated),
                   g_bytes_get_data (full, NULL), g_bytes_get_size (full) / 2);

  add_fault (f, ATELIER_SANDBOX_FAULT_INVALID_JSON, "GET", "/packs", 1);
  invalid = send_message (f, msg3, SOUP_STATUS_OK);
  g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_response_headers (msg3), NULL), ==,
                   "application/json");
  g_assert_cmpmem (g_bytes_get_data (invalid, NULL), g_bytes_get_size (invalid), "<html>Bad gateway</html>", 24);

  add_fault (f, ATELIER_SANDBOX_FAULT_DEEP_JSON, "GET", "/packs", 1);
  deep = send_message (f, msg4, SOUP_STATUS_OK);
  g_assert_cmpuint (g_bytes_get_size (deep), ==, 200000);
  data_deep = g_bytes_get_data (deep, NULL);
  g_assert_cmpint (data_deep[0], ==, '[');
  g_assert_cmpint (data_deep[99999], ==, '[');
  g_assert_cmpint (data_deep[100000], ==, ']');
}

static void
test_fault_drop (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(SoupMessage) msg = new_message (f, "GET", "/tunes");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) after = NULL;

  add_fault (f, ATELIER_SANDBOX_FAULT_DROP, "GET", "/tunes", 0);
  body = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_nonnull (error);
  g_assert_null (body);
  g_test_message ("Dropped: %s", error->message);

  atelier_sandbox_server_clear_faults (f->server);
  after = get_json (f, "/tunes", SOUP_STATUS_OK);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);

  return G_SOURCE_REMOVE;
}

static void
test_fault_hang (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(SoupMessage) msg = new_message (f, "GET", "/tunes");
  g_autoptr(SoupMessage) second = new_message (f, "GET", "/packs");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) other = new_session ();
  gint64 start;

  add_fault (f, ATELIER_SANDBOX_FAULT_HANG, "GET", "/tunes", 0);
  add_fault (f, ATELIER_SANDBOX_FAULT_HANG, "GET", "/packs", 0);

  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    atelier_test_store_result, &result);
  g_timeout_add (100, cancel_cb, cancellable);
  atelier_test_wait_result (&result);
  body = soup_session_send_and_read_finish (f->session, result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_object (&result);

  /* One still hanging while the server stops */
  soup_session_send_and_read_async (other, second, G_PRIORITY_DEFAULT, NULL,
                                    atelier_test_store_result, &result);
  atelier_test_wait_until (atelier_sandbox_server_count_requests (f->server, "GET", "/packs") == 1, 5000);

  start = g_get_monotonic_time ();
  atelier_sandbox_server_stop (f->server);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);

  g_clear_error (&error);
  atelier_test_wait_result (&result);
  g_clear_pointer (&body, g_bytes_unref);
  body = soup_session_send_and_read_finish (other, result, &error);
  g_assert_nonnull (error);
}

static void
test_fault_create_then_504 (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) tunes = NULL;
  g_autoptr(JsonNode) retry = NULL;
  const char *json = "{\"tune\":{\"title\":\"uuid-504\",\"name\":\"man\",\"branch\":\"fast\","
                     "\"image_urls\":[\"https://e/a.jpg\"]}}";

  add_fault (f, ATELIER_SANDBOX_FAULT_CREATE_THEN_504, "POST", "/tunes", 1);
  answer = post_json (f, "/tunes", json, SOUP_STATUS_GATEWAY_TIMEOUT);
  g_assert_cmpstr (json_object_get_string_member (as_object (answer), "error"), ==, "Gateway timeout");

  tunes = get_json (f, "/tunes", SOUP_STATUS_OK);
  g_assert_cmpuint (json_array_get_length (as_array (tunes)), ==, 1);

  /* Retrying with the same title (idempotency) finds it */
  retry = post_json (f, "/tunes", json, SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (as_object (retry), "title"), ==, "uuid-504");
}

static void
test_fault_control (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(SoupMessage) add = new_message (f, "POST", "/__sandbox/faults");
  g_autoptr(SoupMessage) clear = new_message (f, "DELETE", "/__sandbox/faults");
  g_autoptr(SoupMessage) bad = new_message (f, "POST", "/__sandbox/faults");
  g_autoptr(SoupMessage) no_key = new_message_full (f, "POST", "/__sandbox/faults", NULL);
  g_autoptr(SoupMessage) no_key_clear = new_message_full (f, "DELETE", "/__sandbox/faults", NULL);
  g_autoptr(SoupMessage) fal_key = new_message_full (f, "DELETE", "/__sandbox/faults", "Key " API_KEY);
  g_autoptr(GBytes) added = NULL;
  g_autoptr(GBytes) cleared = NULL;
  g_autoptr(GBytes) rejected = NULL;
  g_autoptr(GBytes) refused = NULL;
  g_autoptr(GBytes) refused_clear = NULL;
  g_autoptr(GBytes) fal_cleared = NULL;

  /* Behind the key, like the API */
  set_json_body (no_key, "{\"kind\":\"status\",\"status\":500}");
  refused = send_message (f, no_key, SOUP_STATUS_UNAUTHORIZED);
  g_assert_cmpuint (request_status (f, "GET", "/prompts"), ==, SOUP_STATUS_OK);
  fal_cleared = send_message (f, fal_key, SOUP_STATUS_NO_CONTENT);

  /* As curl -d sends it: JSON labelled as a form */
  {
    const char *json = "{\"method\":\"GET\",\"path\":\"/prompts\",\"kind\":\"status\",\"status\":503,"
                       "\"retry_after\":2,\"times\":0}";
    g_autoptr(GBytes) body = g_bytes_new_static (json, strlen (json));

    soup_message_set_request_body_from_bytes (add, "application/x-www-form-urlencoded", body);
  }
  added = send_message (f, add, SOUP_STATUS_CREATED);
  g_assert_cmpuint (request_status (f, "GET", "/prompts"), ==, 503);
  g_assert_cmpuint (request_status (f, "GET", "/prompts"), ==, 503);
  refused_clear = send_message (f, no_key_clear, SOUP_STATUS_UNAUTHORIZED);
  g_assert_cmpuint (request_status (f, "GET", "/prompts"), ==, 503);

  cleared = send_message (f, clear, SOUP_STATUS_NO_CONTENT);
  g_assert_cmpuint (request_status (f, "GET", "/prompts"), ==, SOUP_STATUS_OK);

  set_json_body (bad, "{\"kind\":\"explode\"}");
  rejected = send_message (f, bad, SOUP_STATUS_UNPROCESSABLE_ENTITY);

  /* Neither the control API nor images are logged */
  g_assert_cmpuint (atelier_sandbox_server_count_requests (f->server, NULL, "/__sandbox"), ==, 0);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (f->server, "GET", "/prompts"), ==, 5);
}

static void
test_request_log (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(AtelierSandboxRequest) last = NULL;
  g_autoptr(SoupMessage) form = new_message (f, "POST", "/themes");
  const char *urlencoded = "theme%5Btheme%5D=A+b&theme%5Btune_ids%5D%5B%5D=1&theme%5Btune_ids%5D%5B%5D=2";
  g_autoptr(GBytes) form_body = g_bytes_new_static (urlencoded, strlen (urlencoded));
  g_autoptr(GBytes) answer = NULL;
  g_auto(GStrv) ids = NULL;
  gint64 tune_id = atelier_sandbox_server_seed_tune (f->server, "log", "man", TRUE);
  gint64 prompt_id = atelier_sandbox_server_seed_prompt (f->server, tune_id, "log", 1);
  g_autofree char *image = atelier_sandbox_server_dup_image_path (f->server, prompt_id, 0);
  g_autoptr(GBytes) image_bytes = download (f, image, SOUP_STATUS_OK);

  g_assert_cmpuint (request_status (f, "GET", "/tunes?offset=0"), ==, SOUP_STATUS_OK);
  soup_message_set_request_body_from_bytes (form, "application/x-www-form-urlencoded", form_body);
  answer = send_message (f, form, SOUP_STATUS_UNPROCESSABLE_ENTITY);

  requests = atelier_sandbox_server_dup_requests (f->server);
  g_assert_cmpuint (requests->len, ==, 2);
  g_assert_cmpstr (atelier_sandbox_request_get_query (g_ptr_array_index (requests, 0)), ==, "offset=0");

  last = atelier_sandbox_server_dup_last_request (f->server, NULL, NULL);
  g_assert_cmpstr (atelier_sandbox_request_get_method (last), ==, "POST");
  g_assert_cmpstr (atelier_sandbox_request_get_field (last, "theme[theme]"), ==, "A b");
  ids = atelier_sandbox_request_dup_field_values (last, "theme[tune_ids][]");
  g_assert_cmpuint (g_strv_length (ids), ==, 2);
  g_assert_cmpstr (ids[1], ==, "2");
  g_assert_null (atelier_sandbox_server_dup_last_request (f->server, "DELETE", NULL));
  g_assert_cmpuint (atelier_sandbox_server_count_image_downloads (f->server), ==, 1);

  for (guint i = 0; i < 1005; i++)
    g_assert_cmpuint (request_status (f, "GET", "/nothing"), ==, SOUP_STATUS_NOT_FOUND);
  g_clear_pointer (&requests, g_ptr_array_unref);
  requests = atelier_sandbox_server_dup_requests (f->server);
  g_assert_cmpuint (requests->len, ==, 1000);

  atelier_sandbox_server_clear_requests (f->server);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (f->server, NULL, NULL), ==, 0);
}

/* The log keeps every request, and the bodies of the newest ones up to
 * its budget: older uploads leave their head only. */
static void
test_request_log_budget (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) requests = NULL;
  g_autofree char *filler = g_strnfill (40 * 1000, 'x');
  g_autofree char *json = g_strdup_printf ("{\"theme\": {\"theme\": \"%s\"}}", filler);
  gsize kept = 0;

  atelier_sandbox_server_set_request_log_budget (f->server, 100 * 1000);

  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(SoupMessage) msg = new_message (f, "POST", "/themes");
      g_autoptr(GBytes) answer = NULL;

      set_json_body (msg, json);
      answer = send_message (f, msg, SOUP_STATUS_UNPROCESSABLE_ENTITY);
    }
  g_assert_cmpuint (request_status (f, "GET", "/tunes?offset=0"), ==, SOUP_STATUS_OK);

  /* Counting stays exact. */
  g_assert_cmpuint (atelier_sandbox_server_count_requests (f->server, "POST", "/themes"), ==, 4);

  requests = atelier_sandbox_server_dup_requests (f->server);
  g_assert_cmpuint (requests->len, ==, 5);
  for (guint i = 0; i < 4; i++)
    {
      AtelierSandboxRequest *request = g_ptr_array_index (requests, i);

      g_assert_cmpstr (atelier_sandbox_request_get_method (request), ==, "POST");
      g_assert_cmpstr (atelier_sandbox_request_get_path (request), ==, "/themes");
      g_assert_cmpstr (atelier_sandbox_request_get_header (request, "Content-Type"), ==, "application/json");
      g_assert_cmpuint (atelier_sandbox_request_get_body_length (request), ==, strlen (json));
      /* 4 × 40 kB over a budget of 100 kB: the two oldest bodies went. */
      if (i < 2)
        g_assert_null (atelier_sandbox_request_get_json (request));
      else
        {
          g_assert_nonnull (atelier_sandbox_request_get_json (request));
          kept += atelier_sandbox_request_get_body_length (request);
        }
    }
  g_assert_cmpuint (kept, <=, 100 * 1000);

  /* The newest stays whole, even alone over the budget. */
  atelier_sandbox_server_set_request_log_budget (f->server, 10);
  {
    g_autoptr(SoupMessage) msg = new_message (f, "POST", "/themes");
    g_autoptr(GBytes) answer = NULL;
    g_autoptr(AtelierSandboxRequest) last = NULL;
    g_autoptr(AtelierSandboxRequest) before = NULL;

    set_json_body (msg, json);
    answer = send_message (f, msg, SOUP_STATUS_UNPROCESSABLE_ENTITY);
    last = atelier_sandbox_server_dup_last_request (f->server, "POST", "/themes");
    g_assert_nonnull (atelier_sandbox_request_get_json (last));
    g_clear_pointer (&requests, g_ptr_array_unref);
    requests = atelier_sandbox_server_dup_requests (f->server);
    g_assert_cmpuint (requests->len, ==, 6);
    before = atelier_sandbox_request_ref (g_ptr_array_index (requests, 3));
    g_assert_null (atelier_sandbox_request_get_json (before));
  }
}

static void
test_bad_requests (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(SoupMessage) huge = new_message (f, "POST", "/tunes");
  g_autoptr(GBytes) huge_body = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonNode) bad_form = NULL;
  g_autoptr(JsonNode) still = NULL;
  char *data_huge = g_malloc0 (64 * 1024 * 1024 + 1);

  g_assert_cmpuint (request_status (f, "GET", "/unknown"), ==, SOUP_STATUS_NOT_FOUND);
  g_assert_cmpuint (request_status (f, "PATCH", "/tunes"), ==, SOUP_STATUS_METHOD_NOT_ALLOWED);
  g_assert_cmpuint (request_status (f, "GET", "/tunes/abc"), ==, SOUP_STATUS_NOT_FOUND);
  g_assert_cmpuint (request_status (f, "GET", "/tunes/690204.json"), ==, SOUP_STATUS_OK);
  g_assert_cmpuint (request_status (f, "GET", "/sandbox/images/../state.json"), !=, SOUP_STATUS_OK);
  g_assert_cmpuint (request_status (f, "GET", "/sandbox/images/uploads/..%2Fstate.json"), !=, SOUP_STATUS_OK);
  g_assert_cmpuint (request_status (f, "GET", "/sandbox/images/uploads/state.json"), ==, SOUP_STATUS_NOT_FOUND);
  g_assert_cmpuint (request_status (f, "POST", "/sandbox/images/1/0.jpg"), ==, SOUP_STATUS_METHOD_NOT_ALLOWED);

  huge_body = g_bytes_new_take (data_huge, 64 * 1024 * 1024 + 1);
  soup_message_set_request_body_from_bytes (huge, "application/json", huge_body);
  answer = send_message (f, huge, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);

  {
    g_autoptr(SoupMessage) msg = new_message (f, "POST", "/tunes");
    g_autoptr(GBytes) body = g_bytes_new_static ("--x\r\nbroken", 11);

    soup_message_set_request_body_from_bytes (msg, "multipart/form-data; boundary=zzz", body);
    bad_form = send_json (f, msg, SOUP_STATUS_BAD_REQUEST);
  }

  /* A part whose blank line runs into the next boundary: libsoup 3.2.3
   * makes its length 2^64 - 2 (CVE-2025-4948); the form is refused and
   * the server lives on (fuzz/corpus/request/multipart-blank-line-into-boundary). */
  {
    static const char form[] = "--B\r\nContent-Disposition: form-data; name=\"tune[title]\"\r\n\r\n--B--\r\n";
    g_autoptr(SoupMessage) msg = new_message (f, "POST", "/tunes");
    g_autoptr(GBytes) body = g_bytes_new_static (form, sizeof form - 1);
    g_autoptr(JsonNode) refused = NULL;

    soup_message_set_request_body_from_bytes (msg, "multipart/form-data; boundary=B", body);
    refused = send_json (f, msg, SOUP_STATUS_BAD_REQUEST);
  }

  /* Form names nested without bounds are ignored */
  {
    g_autoptr(SoupMultipart) multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
    g_autoptr(GString) name = g_string_new ("tune");
    g_autoptr(JsonNode) errors = NULL;

    for (guint i = 0; i < 100000; i++)
      g_string_append (name, "[a]");
    soup_multipart_append_form_string (multipart, name->str, "deep");
    soup_multipart_append_form_string (multipart, "tune[title]", "deep");
    errors = post_form (f, "/tunes", multipart, SOUP_STATUS_UNPROCESSABLE_ENTITY);
    assert_error_field (errors, "name");
  }

  still = get_json (f, "/tunes", SOUP_STATUS_OK);
}

/* json-glib 1.6 also takes 'single-quoted' strings and comments, which hide
 * brackets from a count that only knows double quotes; it then recurses
 * without a limit. Such bodies must be refused, whatever their Content-Type,
 * and the server must live on. */
static void
test_crafted_json (Fixture       *f,
                   gconstpointer  data)
{
  static const char * const prefixes[] = { "['\"',", "/*\"*/", "[/*\"*/" };
  static const char * const content_types[] = { "text/plain", NULL, "application/json" };
  static const char * const keys[] = { "Bearer " API_KEY, "Key " API_KEY, NULL };
  gint64 tune_id = create_fast_tune (f, "crafted");
  g_autofree char *prompts = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT "/prompts", tune_id);
  g_autofree char *prompt = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT "/prompts/1", tune_id);
  /* Every family of routes: controls, tunes, prompts, likes, packs,
   * inspect, themes, fal's queue, and nothing at all. */
  const char *paths[] = { "/__sandbox/faults", "/tunes", prompts, prompt, "/prompts/1/likes",
                          "/p/1/tunes", "/images/inspect", "/themes", "/fal-ai/ip-adapter-face-id",
                          "/fal-ai/ip-adapter-face-id/requests/x/cancel", "/nothing" };

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      g_autoptr(GString) json = g_string_new (prefixes[i]);
      g_autoptr(GBytes) body = NULL;

      for (guint j = 0; j < 200000; j++)
        g_string_append_c (json, '[');
      for (guint j = 0; j < 200000; j++)
        g_string_append_c (json, ']');
      body = g_bytes_new (json->str, json->len);

      for (guint j = 0; j < G_N_ELEMENTS (paths); j++)
        {
          for (guint k = 0; k < G_N_ELEMENTS (content_types) * G_N_ELEMENTS (keys); k++)
            {
              const char *key = keys[k % G_N_ELEMENTS (keys)];
              const char *method = g_str_has_suffix (paths[j], "/cancel") ? "PUT" : "POST";
              g_autoptr(SoupMessage) msg = new_message_full (f, method, paths[j], key);
              g_autoptr(GBytes) answer = NULL;
              g_autoptr(JsonNode) still = NULL;
              g_autoptr(GError) error = NULL;
              guint status;

              soup_message_set_request_body_from_bytes (msg, content_types[k / G_N_ELEMENTS (keys)], body);
              answer = soup_session_send_and_read (f->session, msg, NULL, &error);
              g_assert_no_error (error);
              status = soup_message_get_status (msg);
              if (key == NULL)
                g_assert_cmpuint (status, ==, SOUP_STATUS_UNAUTHORIZED);
              g_assert_cmpuint (status, >=, 400);
              g_assert_cmpuint (status, <, 500);

              still = get_json (f, "/tunes", SOUP_STATUS_OK);
            }
        }
    }
}

/* Access: Host, Origin, the key, the test controls */

/* Sends @request as written to the server and returns the status of the
 * answer; @answer_out gets the whole answer. */
static guint
raw_request (Fixture     *f,
             const char  *request,
             char       **answer_out)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GString) answer = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  GInputStream *input;
  guint64 status = 0;
  char buffer[4096];
  gssize n;

  g_socket_client_set_enable_proxy (client, FALSE);
  g_socket_client_set_timeout (client, 10);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1",
                                                atelier_sandbox_server_get_port (f->server), NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             request, strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);

  input = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  while ((n = g_input_stream_read (input, buffer, sizeof buffer, NULL, &error)) > 0)
    g_string_append_len (answer, buffer, n);
  g_assert_no_error (error);

  g_assert_true (g_str_has_prefix (answer->str, "HTTP/1.1 ") || g_str_has_prefix (answer->str, "HTTP/1.0 "));
  g_assert_cmpuint (answer->len, >=, 12);
  code = g_strndup (answer->str + 9, 3);
  g_assert_true (g_ascii_string_to_unsigned (code, 10, 100, 599, &status, NULL));
  if (answer_out != NULL)
    *answer_out = g_string_free (g_steal_pointer (&answer), FALSE);

  return (guint) status;
}

/* "GET @path" with @host (NULL: none) and @extra header lines. */
static guint
raw_get (Fixture    *f,
         const char *path,
         const char *host,
         const char *extra)
{
  g_autofree char *request = NULL;
  g_autofree char *host_line = host ? g_strdup_printf ("Host: %s\r\n", host) : g_strdup ("");

  request = g_strdup_printf ("GET %s HTTP/%s\r\n%s%sConnection: close\r\n\r\n",
                             path, host ? "1.1" : "1.0", host_line, extra ? extra : "");

  return raw_request (f, request, NULL);
}

/* A refused request, as the log keeps it: nothing but where it went. */
static void
assert_bare_request (AtelierSandboxRequest *request)
{
  g_auto(GStrv) names = atelier_sandbox_request_dup_field_names (request);

  g_assert_nonnull (atelier_sandbox_request_get_path (request));
  g_assert_null (atelier_sandbox_request_get_header (request, "Authorization"));
  g_assert_null (atelier_sandbox_request_get_header (request, "Host"));
  g_assert_cmpuint (g_strv_length (names), ==, 0);
  g_assert_cmpuint (atelier_sandbox_request_get_files (request)->len, ==, 0);
  g_assert_null (atelier_sandbox_request_get_json (request));
  g_assert_cmpuint (atelier_sandbox_request_get_body_length (request), ==, 0);
}

static char *
seeded_image_path (Fixture *f)
{
  gint64 tune_id = atelier_sandbox_server_seed_tune (f->server, "access", "man", TRUE);
  gint64 prompt_id = atelier_sandbox_server_seed_prompt (f->server, tune_id, "access", 1);

  return atelier_sandbox_server_dup_image_path (f->server, prompt_id, 0);
}

/* Only Hosts that name this server: a DNS rebinding gives another name. */
static void
test_access_host (Fixture       *f,
                  gconstpointer  data)
{
  guint port = atelier_sandbox_server_get_port (f->server);
  g_autofree char *own = g_strdup_printf ("127.0.0.1:%u", port);
  g_autofree char *localhost = g_strdup_printf ("LocalHost:%u", port);
  g_autofree char *rebound = g_strdup_printf ("attacker.example:%u", port);
  g_autofree char *other_port = g_strdup_printf ("127.0.0.1:%u", port == 65535 ? 1 : port + 1);
  g_autofree char *image = seeded_image_path (f);
  g_autofree char *answer = NULL;
  g_autofree char *twice = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  const char *key = "Authorization: Bearer " API_KEY "\r\n";

  g_assert_cmpuint (raw_get (f, "/tunes", own, key), ==, SOUP_STATUS_OK);
  g_assert_cmpuint (raw_get (f, "/tunes", localhost, key), ==, SOUP_STATUS_OK);
  g_assert_cmpuint (raw_get (f, "/tunes", rebound, key), ==, SOUP_STATUS_MISDIRECTED_REQUEST);
  g_assert_cmpuint (raw_get (f, "/tunes", other_port, key), ==, SOUP_STATUS_MISDIRECTED_REQUEST);
  g_assert_cmpuint (raw_get (f, "/tunes", "127.0.0.1", key), ==, SOUP_STATUS_MISDIRECTED_REQUEST);
  g_assert_cmpuint (raw_get (f, "/tunes", NULL, key), ==, SOUP_STATUS_MISDIRECTED_REQUEST);
  g_assert_cmpuint (raw_get (f, "/fal-ai/ip-adapter-face-id/requests/x/status", rebound,
                             "Authorization: Key " API_KEY "\r\n"), ==, SOUP_STATUS_MISDIRECTED_REQUEST);
  g_assert_cmpuint (raw_get (f, "/__sandbox/faults", rebound, key), ==, SOUP_STATUS_MISDIRECTED_REQUEST);

  /* Images need no key, but the right Host */
  g_assert_cmpuint (raw_get (f, image, own, NULL), ==, SOUP_STATUS_OK);
  g_assert_cmpuint (raw_get (f, image, rebound, NULL), ==, SOUP_STATUS_MISDIRECTED_REQUEST);
  g_assert_cmpuint (raw_get (f, image, NULL, NULL), ==, SOUP_STATUS_MISDIRECTED_REQUEST);

  /* A clear JSON error */
  twice = g_strdup_printf ("GET /tunes HTTP/1.1\r\nHost: %s\r\n%sConnection: close\r\n\r\n", rebound, key);
  g_assert_cmpuint (raw_request (f, twice, &answer), ==, SOUP_STATUS_MISDIRECTED_REQUEST);
  g_assert_nonnull (strstr (answer, "{\"error\":\"Misdirected request: the Host header"));
  g_clear_pointer (&twice, g_free);
  g_clear_pointer (&answer, g_free);

  /* Two Host headers never name it */
  twice = g_strdup_printf ("GET /tunes HTTP/1.1\r\nHost: %s\r\nHost: %s\r\n%sConnection: close\r\n\r\n",
                           own, rebound, key);
  g_assert_cmpuint (raw_request (f, twice, NULL), >=, 400);

  /* None of them reached the API */
  requests = atelier_sandbox_server_dup_requests (f->server);
  g_assert_cmpuint (requests->len, >=, 9);
  for (guint i = 0; i < requests->len; i++)
    {
      if (i != 0 && i != 1)
        assert_bare_request (g_ptr_array_index (requests, i));
    }
}

/* Browsers say where a cross-origin fetch or POST comes from; the app's
 * libsoup client never sends Origin (test-client and test-errors go
 * through this check with it). */
static void
test_access_origin (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(SoupMessage) plain = new_message (f, "POST", "/__sandbox/faults");
  g_autoptr(SoupMessage) with_origin = new_message (f, "POST", "/__sandbox/faults");
  g_autoptr(SoupMessage) image_origin = NULL;
  g_autoptr(SoupMessage) api_origin = new_message (f, "GET", "/tunes");
  g_autoptr(SoupMessage) null_origin = new_message (f, "GET", "/tunes");
  g_autoptr(GBytes) refused = NULL;
  g_autoptr(GBytes) refused_image = NULL;
  g_autoptr(GBytes) refused_null = NULL;
  g_autoptr(JsonNode) error = NULL;
  g_autoptr(AtelierSandboxRequest) last = NULL;
  g_autoptr(JsonNode) tunes = NULL;
  g_autofree char *image = seeded_image_path (f);
  const char *json = "{\"kind\":\"status\",\"status\":500}";
  g_autoptr(GBytes) body = g_bytes_new_static (json, strlen (json));

  /* A text/plain POST needs no CORS preflight */
  soup_message_headers_replace (soup_message_get_request_headers (with_origin), "Origin", "https://attacker.example");
  soup_message_set_request_body_from_bytes (with_origin, "text/plain", body);
  refused = send_message (f, with_origin, SOUP_STATUS_FORBIDDEN);
  g_assert_cmpuint (request_status (f, "GET", "/prompts"), ==, SOUP_STATUS_OK);

  soup_message_headers_replace (soup_message_get_request_headers (api_origin), "Origin", "https://attacker.example");
  error = send_json (f, api_origin, SOUP_STATUS_FORBIDDEN);
  g_assert_nonnull (strstr (json_object_get_string_member (as_object (error), "error"), "Origin"));
  soup_message_headers_replace (soup_message_get_request_headers (null_origin), "Origin", "null");
  refused_null = send_message (f, null_origin, SOUP_STATUS_FORBIDDEN);

  image_origin = new_message_full (f, "GET", image, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (image_origin), "Origin", "https://attacker.example");
  refused_image = send_message (f, image_origin, SOUP_STATUS_FORBIDDEN);

  /* Without Origin it works, and the session sent none */
  tunes = get_json (f, "/tunes", SOUP_STATUS_OK);
  last = atelier_sandbox_server_dup_last_request (f->server, "GET", "/tunes");
  g_assert_null (atelier_sandbox_request_get_header (last, "Origin"));
  soup_message_set_request_body_from_bytes (plain, "text/plain", body);
  g_clear_pointer (&refused, g_bytes_unref);
  refused = send_message (f, plain, SOUP_STATUS_CREATED);
  g_assert_cmpuint (request_status (f, "GET", "/prompts"), ==, SOUP_STATUS_INTERNAL_SERVER_ERROR);
}

/* A request without the key is answered 401 from its headers: its body is
 * neither decoded nor kept, nor logged, nor is the key it sent. */
static void
test_access_unauthenticated (Fixture       *f,
                             gconstpointer  data)
{
  static const char * const wrong[] = { NULL, "Bearer wrong-KEY-MARKER", "Key wrong-KEY-MARKER",
                                        "Basic d3Jvbmc6S0VZLU1BUktFUg==", "Bearer" };
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GBytes) photo = atelier_test_make_image (32, 32, 1, "jpeg");

  atelier_sandbox_server_set_api_key (f->server, "secret-KEY-MARKER");

  g_mutex_lock (&captured_lock);
  captured_log = g_string_new (NULL);
  g_mutex_unlock (&captured_lock);

  for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
    {
      g_autoptr(SoupMessage) json = new_message_full (f, "POST", "/tunes", wrong[i]);
      g_autoptr(SoupMessage) form = new_message_full (f, "POST", "/themes", wrong[i]);
      g_autoptr(SoupMessage) fal = new_message_full (f, "POST", "/fal-ai/ip-adapter-face-id", wrong[i]);
      g_autoptr(SoupMessage) control = new_message_full (f, "POST", "/__sandbox/faults", wrong[i]);
      g_autoptr(SoupMessage) multipart_msg = NULL;
      g_autoptr(SoupMultipart) multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
      const char *urlencoded = "theme%5Btheme%5D=BODY-MARKER";
      g_autoptr(GBytes) form_body = g_bytes_new_static (urlencoded, strlen (urlencoded));
      g_autoptr(JsonNode) a = NULL;
      g_autoptr(JsonNode) b = NULL;
      g_autoptr(JsonNode) c = NULL;
      g_autoptr(JsonNode) d = NULL;
      g_autoptr(JsonNode) e = NULL;

      set_json_body (json, "{\"tune\":{\"title\":\"BODY-MARKER\"}}");
      a = send_json (f, json, SOUP_STATUS_UNAUTHORIZED);
      g_assert_cmpstr (json_object_get_string_member (as_object (a), "error"), ==, "Unauthorized");
      g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (json), "WWW-Authenticate"),
                       ==, "Bearer");

      soup_message_set_request_body_from_bytes (form, "application/x-www-form-urlencoded", form_body);
      b = send_json (f, form, SOUP_STATUS_UNAUTHORIZED);

      set_json_body (fal, "{\"prompt\":\"BODY-MARKER\"}");
      c = send_json (f, fal, SOUP_STATUS_UNAUTHORIZED);
      g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (fal), "WWW-Authenticate"),
                       ==, "Key");

      set_json_body (control, "{\"kind\":\"status\",\"status\":500,\"body\":\"BODY-MARKER\"}");
      d = send_json (f, control, SOUP_STATUS_UNAUTHORIZED);

      soup_multipart_append_form_string (multipart, "tune[title]", "BODY-MARKER");
      soup_multipart_append_form_file (multipart, "tune[images][]", "BODY-MARKER.jpg", "image/jpeg", photo);
      {
        g_autofree char *url = g_strconcat (f->base_url, "/tunes", NULL);

        multipart_msg = soup_message_new_from_multipart (url, multipart);
      }
      if (wrong[i] != NULL)
        soup_message_headers_replace (soup_message_get_request_headers (multipart_msg), "Authorization", wrong[i]);
      e = send_json (f, multipart_msg, SOUP_STATUS_UNAUTHORIZED);
    }

  /* Only method and path were kept; no fault added, nothing made */
  requests = atelier_sandbox_server_dup_requests (f->server);
  g_assert_cmpuint (requests->len, ==, 4 * G_N_ELEMENTS (wrong));
  for (guint i = 0; i < requests->len; i++)
    assert_bare_request (g_ptr_array_index (requests, i));
  {
    g_autoptr(SoupMessage) msg = new_message_full (f, "GET", "/tunes", "Bearer secret-KEY-MARKER");
    g_autoptr(JsonNode) tunes = send_json (f, msg, SOUP_STATUS_OK);

    g_assert_cmpuint (json_array_get_length (as_array (tunes)), ==, 0);
  }

  g_mutex_lock (&captured_lock);
  g_assert_null (strstr (captured_log->str, "MARKER"));
  g_string_free (g_steal_pointer (&captured_log), TRUE);
  g_mutex_unlock (&captured_lock);
}

/* The key of the in-app sandbox and of the standalone tool. */
static void
test_access_generated_key (void)
{
  g_autofree char *a = atelier_sandbox_generate_key ();
  g_autofree char *b = atelier_sandbox_generate_key ();

  g_assert_true (g_str_has_prefix (a, "sandbox-"));
  g_assert_cmpuint (strlen (a), ==, strlen ("sandbox-") + 32);
  for (const char *p = a + strlen ("sandbox-"); *p != '\0'; p++)
    g_assert_true (g_ascii_isxdigit (*p) && !g_ascii_isupper (*p));
  g_assert_cmpstr (a, !=, b);
}

/* Off, /__sandbox/ does not exist, key or not. */
static void
test_controls_off (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(SoupMessage) add = new_message (f, "POST", "/__sandbox/faults");
  g_autoptr(SoupMessage) add_no_key = new_message_full (f, "POST", "/__sandbox/faults", NULL);
  g_autoptr(SoupMessage) clear = new_message (f, "DELETE", "/__sandbox/faults");
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;
  g_autoptr(JsonNode) c = NULL;
  g_autoptr(AtelierSandboxServer) plain = NULL;

  /* Off unless asked for */
  plain = atelier_sandbox_server_new (atelier_sandbox_server_get_data_dir (f->server));
  g_assert_false (atelier_sandbox_server_get_test_controls (plain));
  g_clear_object (&plain);

  atelier_sandbox_server_set_test_controls (f->server, FALSE);
  set_json_body (add, "{\"kind\":\"status\",\"status\":500}");
  a = send_json (f, add, SOUP_STATUS_NOT_FOUND);
  set_json_body (add_no_key, "{\"kind\":\"status\",\"status\":500}");
  b = send_json (f, add_no_key, SOUP_STATUS_NOT_FOUND);
  c = send_json (f, clear, SOUP_STATUS_NOT_FOUND);
  g_assert_cmpuint (request_status (f, "GET", "/prompts"), ==, SOUP_STATUS_OK);
  g_assert_cmpuint (request_status (f, "GET", "/__sandbox"), ==, SOUP_STATUS_NOT_FOUND);

  /* The C helpers work either way */
  {
    AtelierSandboxFault fault = { "GET", "/prompts", ATELIER_SANDBOX_FAULT_STATUS, 503, NULL, 0, 0, 1 };

    atelier_sandbox_server_add_fault (f->server, &fault);
    g_assert_cmpuint (request_status (f, "GET", "/prompts"), ==, 503);
  }
}

static void
test_controls_cap (Fixture       *f,
                   gconstpointer  data)
{
  const char *json = "{\"path\":\"/nothing-matches\",\"kind\":\"status\",\"status\":500}";
  g_autoptr(GString) long_body = g_string_new ("{\"kind\":\"status\",\"body\":\"");
  g_autoptr(JsonNode) full = NULL;
  g_autoptr(JsonNode) too_long = NULL;

  for (guint i = 0; i < ATELIER_SANDBOX_MAX_FAULTS; i++)
    {
      g_autoptr(SoupMessage) add = new_message (f, "POST", "/__sandbox/faults");
      g_autoptr(GBytes) answer = NULL;

      set_json_body (add, json);
      answer = send_message (f, add, SOUP_STATUS_CREATED);
    }

  {
    g_autoptr(SoupMessage) add = new_message (f, "POST", "/__sandbox/faults");
    g_autoptr(SoupMessage) clear = new_message (f, "DELETE", "/__sandbox/faults");
    g_autoptr(SoupMessage) again = new_message (f, "POST", "/__sandbox/faults");
    g_autoptr(GBytes) cleared = NULL;
    g_autoptr(GBytes) added = NULL;

    set_json_body (add, json);
    full = send_json (f, add, SOUP_STATUS_UNPROCESSABLE_ENTITY);
    g_assert_nonnull (strstr (json_object_get_string_member (as_object (full), "error"), "Too many faults"));

    cleared = send_message (f, clear, SOUP_STATUS_NO_CONTENT);
    set_json_body (again, json);
    added = send_message (f, again, SOUP_STATUS_CREATED);
  }

  /* A fault's body is capped too */
  {
    g_autoptr(SoupMessage) add = new_message (f, "POST", "/__sandbox/faults");

    for (guint i = 0; i < 1024 * 1024 + 1; i++)
      g_string_append_c (long_body, 'x');
    g_string_append (long_body, "\"}");
    set_json_body (add, long_body->str);
    too_long = send_json (f, add, SOUP_STATUS_UNPROCESSABLE_ENTITY);
    assert_error_field (too_long, "body");
  }
}

/* Training photos are served without a key: their names are 128 random
 * bits, and nothing else is served under uploads/. */
static gboolean
is_random_upload_url (const char *url)
{
  return g_regex_match_simple ("^http://127\\.0\\.0\\.1:[0-9]+/sandbox/images/uploads/[0-9a-f]{32}\\.(jpg|png)$",
                               url, 0, 0);
}

static JsonNode *
create_tune_with_photos (Fixture    *f,
                         const char *title,
                         GBytes     *photo1,
                         GBytes     *photo2)
{
  g_autoptr(SoupMultipart) multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);

  soup_multipart_append_form_string (multipart, "tune[title]", title);
  soup_multipart_append_form_string (multipart, "tune[name]", "woman");
  soup_multipart_append_form_string (multipart, "tune[branch]", "fast");
  soup_multipart_append_form_file (multipart, "tune[images][]", "1.jpg", "image/jpeg", photo1);
  if (photo2 != NULL)
    soup_multipart_append_form_file (multipart, "tune[images][]", "2.png", "image/png", photo2);

  return post_form (f, "/tunes", multipart, SOUP_STATUS_CREATED);
}

static void
test_uploads_unguessable (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GBytes) photo1 = atelier_test_make_image (32, 32, 1, "jpeg");
  g_autoptr(GBytes) photo2 = atelier_test_make_image (32, 32, 2, "png");
  g_autoptr(JsonNode) tune = create_tune_with_photos (f, "unguessable", photo1, photo2);
  JsonArray *orig_images = json_object_get_array_member (as_object (tune), "orig_images");
  const char *url1 = json_array_get_string_element (orig_images, 0);
  const char *url2 = json_array_get_string_element (orig_images, 1);
  g_autoptr(GBytes) served1 = NULL;
  g_autoptr(GBytes) served2 = NULL;

  g_assert_true (is_random_upload_url (url1));
  g_assert_true (is_random_upload_url (url2));
  g_assert_cmpstr (url1, !=, url2);

  /* Without a key, as the image cache fetches them */
  served1 = download (f, url1, SOUP_STATUS_OK);
  served2 = download (f, url2, SOUP_STATUS_OK);
  g_assert_true (g_bytes_equal (served1, photo1));
  g_assert_true (g_bytes_equal (served2, photo2));

  g_assert_cmpuint (request_status (f, "GET", "/sandbox/images/uploads/1.jpg"), ==, SOUP_STATUS_NOT_FOUND);
  g_assert_cmpuint (request_status (f, "GET", "/sandbox/images/uploads/2.png"), ==, SOUP_STATUS_NOT_FOUND);
}

/* A sandbox from before, with uploads named 1.jpg …: renamed on load. */
static void
test_uploads_migrated (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GBytes) photo = atelier_test_make_image (32, 32, 3, "jpeg");
  g_autoptr(JsonNode) tune = create_tune_with_photos (f, "old", photo, NULL);
  gint64 tune_id = json_object_get_int_member (as_object (tune), "id");
  const char *url = json_array_get_string_element (json_object_get_array_member (as_object (tune), "orig_images"), 0);
  g_autofree char *random_name = g_path_get_basename (url);
  g_autofree char *by_url_json = g_strdup_printf ("{\"tune\":{\"title\":\"by url\",\"name\":\"woman\",\"branch\":\"fast\","
                                                  "\"image_urls\":[\"%s\"]}}", url);
  g_autoptr(JsonNode) by_url = post_json (f, "/tunes", by_url_json, SOUP_STATUS_CREATED);
  gint64 by_url_id = json_object_get_int_member (as_object (by_url), "id");
  const char *data_dir = atelier_sandbox_server_get_data_dir (f->server);
  g_autofree char *state_path = g_build_filename (data_dir, "state.json", NULL);
  g_autofree char *random_path = g_build_filename (data_dir, "uploads", random_name, NULL);
  g_autofree char *old_path = g_build_filename (data_dir, "uploads", "1.jpg", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GString) state = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(JsonNode) after_by_url = NULL;
  g_autoptr(GBytes) served = NULL;
  g_autofree char *tune_path = NULL;
  g_autofree char *new_name = NULL;
  const char *new_url;
  const char *new_by_url;

  /* Make it an old sandbox: the upload is 1.jpg */
  atelier_sandbox_server_stop (f->server);
  g_file_get_contents (state_path, &contents, NULL, &error);
  g_assert_no_error (error);
  state = g_string_new (contents);
  g_assert_cmpuint (g_string_replace (state, random_name, "1.jpg", 0), ==, 2);
  g_file_set_contents (state_path, state->str, state->len, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_rename (random_path, old_path), ==, 0);

  atelier_sandbox_server_start (f->server, 0, &error);
  g_assert_no_error (error);
  fixture_refresh_base_url (f);

  tune_path = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT, tune_id);
  after = get_json (f, tune_path, SOUP_STATUS_OK);
  new_url = json_array_get_string_element (json_object_get_array_member (as_object (after), "orig_images"), 0);
  g_assert_true (is_random_upload_url (new_url));
  new_name = g_path_get_basename (new_url);
  g_assert_cmpstr (new_name, !=, random_name);
  served = download (f, new_url, SOUP_STATUS_OK);
  g_assert_true (g_bytes_equal (served, photo));

  /* The old name is gone, on disk and in the state */
  g_assert_cmpuint (request_status (f, "GET", "/sandbox/images/uploads/1.jpg"), ==, SOUP_STATUS_NOT_FOUND);
  g_assert_false (g_file_test (old_path, G_FILE_TEST_EXISTS));
  g_clear_pointer (&contents, g_free);
  g_file_get_contents (state_path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (contents, "\"upload:1.jpg\""));
  g_assert_null (strstr (contents, "/uploads/1.jpg\""));

  /* A URL of it given back follows it */
  g_free (tune_path);
  tune_path = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT, by_url_id);
  after_by_url = get_json (f, tune_path, SOUP_STATUS_OK);
  new_by_url = json_array_get_string_element (json_object_get_array_member (as_object (after_by_url), "orig_images"), 0);
  g_assert_true (g_str_has_suffix (new_by_url, new_name));
}

static void
test_state_restart (Fixture       *f,
                    gconstpointer  data)
{
  gint64 tune_id = create_fast_tune (f, "persisted");
  g_autoptr(JsonNode) prompt = create_prompt (f, tune_id, "{\"prompt\":{\"text\":\"keep me\",\"num_images\":1}}");
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(JsonNode) packs = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtelierSandboxServer) other = NULL;
  g_autofree char *state = g_build_filename (atelier_sandbox_server_get_data_dir (f->server), "state.json", NULL);
  g_autofree char *prefix = NULL;
  g_autofree char *path_before = NULL;
  gint64 prompt_id = json_object_get_int_member (as_object (prompt), "id");
  const char *url;

  wait_ms (250);
  atelier_sandbox_server_stop (f->server);
  g_assert_true (g_file_test (state, G_FILE_TEST_IS_REGULAR));
  atelier_sandbox_server_start (f->server, 0, &error);
  g_assert_no_error (error);
  fixture_refresh_base_url (f);
  prefix = g_strconcat (f->base_url, "/sandbox/images/", NULL);

  after = get_prompt (f, prompt_id);
  url = json_array_get_string_element (json_object_get_array_member (as_object (after), "images"), 0);
  g_assert_true (g_str_has_prefix (url, prefix));
  image = download (f, url, SOUP_STATUS_OK);
  path_before = atelier_sandbox_server_dup_image_path (f->server, prompt_id, 0);

  /* Another server on the same data dir sees the same state, and the
   * same image addresses (their token is kept) */
  atelier_sandbox_server_stop (f->server);
  other = atelier_sandbox_server_new (atelier_sandbox_server_get_data_dir (f->server));
  atelier_sandbox_server_start (other, 0, &error);
  g_assert_no_error (error);
  {
    Fixture g = { other, f->session, atelier_sandbox_server_dup_base_url (other) };
    g_autoptr(JsonNode) tunes = get_json (&g, "/tunes", SOUP_STATUS_OK);
    g_autoptr(JsonNode) created = create_prompt (&g, tune_id, "{\"prompt\":{\"text\":\"new\"}}");

    g_autofree char *path_other = atelier_sandbox_server_dup_image_path (other, prompt_id, 0);
    g_autoptr(GBytes) image_other = NULL;

    g_assert_cmpuint (json_array_get_length (as_array (tunes)), ==, 1);
    g_assert_cmpint (json_object_get_int_member (as_object (created), "id"), >, prompt_id);
    g_assert_cmpstr (path_other, ==, path_before);
    image_other = download (&g, path_other, SOUP_STATUS_OK);
    packs = get_json (&g, "/packs", SOUP_STATUS_OK);
    g_free (g.base_url);
  }
  atelier_sandbox_server_stop (other);
  g_assert_finalize_object (g_steal_pointer (&other));
}

static void
test_state_corrupt (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("atelier-corrupt-XXXXXX", &error);
  g_autofree char *state = g_build_filename (dir, "state.json", NULL);
  g_autofree char *aside = g_build_filename (dir, "state.json.corrupt", NULL);
  AtelierSandboxServer *server;
  Fixture f = { NULL, };
  g_autoptr(JsonNode) packs = NULL;

  g_assert_no_error (error);
  g_file_set_contents (state, "{\"version\":1,\"tunes\":[{\"id\":", -1, &error);
  g_assert_no_error (error);

  server = atelier_sandbox_server_new (dir);
  expected_warning = "*corrupt*";
  expected_warning_count = 0;
  atelier_sandbox_server_start (server, 0, &error);
  g_assert_no_error (error);
  expected_warning = NULL;
  g_assert_cmpuint (expected_warning_count, ==, 1);
  g_assert_true (g_file_test (aside, G_FILE_TEST_IS_REGULAR));

  f.server = server;
  f.session = new_session ();
  fixture_refresh_base_url (&f);
  packs = get_json (&f, "/packs", SOUP_STATUS_OK);
  g_assert_cmpuint (json_array_get_length (as_array (packs)), ==, 2);

  g_clear_object (&f.session);
  g_free (f.base_url);
  atelier_test_server_free (server);
}

static void
start_async_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (atelier_sandbox_server_start_finish (ATELIER_SANDBOX_SERVER (source), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
test_start_async (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("atelier-async-XXXXXX", &error);
  AtelierSandboxServer *server = atelier_sandbox_server_new (dir);
  gboolean done = FALSE;

  atelier_sandbox_server_start_async (server, 0, NULL, start_async_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (atelier_sandbox_server_get_port (server), >, 0);

  atelier_test_server_free (server);
}

static void
start_async_fails_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_false (atelier_sandbox_server_start_finish (ATELIER_SANDBOX_SERVER (source), result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
  *done = TRUE;
}

/* A busy port fails both forms of start; the server can start afterwards. */
static void
test_start_errors (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("atelier-busy-XXXXXX", &error);
  AtelierSandboxServer *busy = atelier_sandbox_server_new (dir);
  guint port = atelier_sandbox_server_get_port (f->server);
  gboolean done = FALSE;

  g_assert_false (atelier_sandbox_server_start (busy, port, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
  g_clear_error (&error);

  atelier_sandbox_server_start_async (busy, port, NULL, start_async_fails_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  /* Starting twice is harmless */
  g_assert_true (atelier_sandbox_server_start (busy, 0, &error));
  g_assert_no_error (error);
  g_assert_true (atelier_sandbox_server_start (busy, 0, &error));
  g_assert_cmpuint (atelier_sandbox_server_get_port (busy), !=, port);

  /* Dispose stops it */
  g_object_unref (busy);
  atelier_test_rm_rf (dir);
}

static void
test_seed_and_expire (Fixture       *f,
                      gconstpointer  data)
{
  gint64 tune_id = atelier_sandbox_server_seed_tune (f->server, "bench", "woman", TRUE);
  gint64 training = atelier_sandbox_server_seed_tune (f->server, "training", "man", FALSE);
  g_autofree char *training_path = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT, training);
  g_autoptr(JsonNode) training_tune = get_json (f, training_path, SOUP_STATUS_OK);
  g_autoptr(JsonNode) page = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GBytes) gone = NULL;
  g_autofree char *image_path = NULL;
  g_autofree char *cached = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 first;

  g_assert_true (member_is_null (as_object (training_tune), "trained_at"));

  atelier_sandbox_server_seed_prompts (f->server, tune_id, 2500, 4);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);

  page = get_json (f, "/prompts?offset=2480", SOUP_STATUS_OK);
  g_assert_cmpuint (json_array_get_length (as_array (page)), ==, 20);
  first = json_object_get_int_member (json_array_get_object_element (as_array (page), 19), "id");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_array_get_object_element (as_array (page), 19),
                                                                         "images")), ==, 4);

  image_path = atelier_sandbox_server_dup_image_path (f->server, first, 3);
  image = download (f, image_path, SOUP_STATUS_OK);
  cached = g_strdup_printf ("%s/images/%" G_GINT64_FORMAT "-3.jpg", atelier_sandbox_server_get_data_dir (f->server), first);
  g_assert_true (g_file_test (cached, G_FILE_TEST_IS_REGULAR));

  atelier_sandbox_server_expire_prompt (f->server, first);
  gone = download (f, image_path, SOUP_STATUS_NOT_FOUND);
  g_assert_false (g_file_test (cached, G_FILE_TEST_EXISTS));
  {
    g_autofree char *path = g_strdup_printf ("/prompts/%" G_GINT64_FORMAT, first);
    g_assert_cmpuint (request_status (f, "GET", path), ==, SOUP_STATUS_NOT_FOUND);
  }
}

static void
test_render_all (Fixture       *f,
                 gconstpointer  data)
{
  gint64 tune_id = atelier_sandbox_server_seed_tune (f->server, "render", "woman", TRUE);
  gint64 prompt_id;
  g_autofree char *cached = NULL;

  atelier_sandbox_server_seed_prompts (f->server, tune_id, 5, 2);
  prompt_id = atelier_sandbox_server_seed_prompt (f->server, tune_id, "last", 3);
  atelier_sandbox_server_render_all (f->server);

  cached = g_strdup_printf ("%s/images/%" G_GINT64_FORMAT "-2.jpg", atelier_sandbox_server_get_data_dir (f->server), prompt_id);
  g_assert_true (g_file_test (cached, G_FILE_TEST_IS_REGULAR));
}

int
main (int   argc,
      char *argv[])
{
  g_log_set_writer_func (test_log_writer, NULL, NULL);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add ("/sandbox/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("auth", test_auth);
  ADD ("tunes/create-multipart", test_tune_multipart);
  ADD ("tunes/create-multipart-brackets", test_tune_multipart_brackets);
  ADD ("tunes/create-json", test_tune_json);
  ADD ("tunes/idempotent", test_tune_idempotent);
  ADD ("tunes/training", test_tune_training);
  ADD ("tunes/paging", test_tune_paging);
  ADD ("tunes/delete", test_tune_delete);
  ADD ("prompts/lifecycle", test_prompt_lifecycle);
  ADD ("prompts/after-training", test_prompt_after_training);
  ADD ("prompts/fail", test_prompt_fail);
  ADD ("prompts/validation", test_prompt_validation);
  ADD ("prompts/gallery-tune", test_prompt_gallery_tune);
  ADD ("prompts/paging", test_prompt_paging);
  ADD ("prompts/delete", test_prompt_delete);
  ADD ("likes", test_likes);
  ADD ("packs/list", test_packs_list);
  ADD ("packs/tune-from-photos", test_pack_tune_from_photos);
  ADD ("packs/tune-ids", test_pack_tune_ids);
  ADD ("inspect/answers", test_inspect);
  ADD ("inspect/errors", test_inspect_errors);
  ADD ("themes", test_themes);
  ADD ("fal", test_fal);
  ADD ("faults/status", test_fault_status);
  ADD ("faults/delay", test_fault_delay);
  ADD ("faults/bodies", test_fault_bodies);
  ADD ("faults/drop", test_fault_drop);
  ADD ("faults/hang", test_fault_hang);
  ADD ("faults/create-then-504", test_fault_create_then_504);
  ADD ("faults/control", test_fault_control);
  ADD ("request-log", test_request_log);
  ADD ("request-log/budget", test_request_log_budget);
  ADD ("bad-requests", test_bad_requests);
  ADD ("crafted-json", test_crafted_json);
  ADD ("access/host", test_access_host);
  ADD ("access/origin", test_access_origin);
  ADD ("access/unauthenticated", test_access_unauthenticated);
  ADD ("controls/off", test_controls_off);
  ADD ("controls/cap", test_controls_cap);
  ADD ("uploads/unguessable", test_uploads_unguessable);
  ADD ("uploads/migrated", test_uploads_migrated);
  ADD ("state/restart", test_state_restart);
  ADD ("start-errors", test_start_errors);
  ADD ("seed-and-expire", test_seed_and_expire);
  ADD ("render-all", test_render_all);
#undef ADD
  g_test_add_func ("/sandbox/state/corrupt", test_state_corrupt);
  g_test_add_func ("/sandbox/start-async", test_start_async);
  g_test_add_func ("/sandbox/access/generated-key", test_access_generated_key);

  return g_test_run ();
}
