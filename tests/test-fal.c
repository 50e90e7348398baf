/* test-fal.c: fal.ai ip-adapter-face-id through the queue API, against the
 * sandbox's implementation of it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atelier-fal-client.h"
#include "atelier-fal-face.h"
#include "atelier-test-utils.h"

typedef struct
{
  AtelierSandboxServer *server;
  AtelierFalClient     *client;
  GArray               *statuses;   /* guint AtelierFalStatus per ::status-changed */
} Fixture;

static void
status_changed_cb (AtelierFalClient *client,
                   guint             status,
                   gint64            position,
                   Fixture          *fixture)
{
  g_array_append_val (fixture->statuses, status);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base_url = NULL;

  fixture->server = atelier_test_server_new ();
  atelier_sandbox_server_set_api_key (fixture->server, "fal-key-1");
  base_url = atelier_sandbox_server_dup_base_url (fixture->server);

  fixture->client = atelier_fal_client_new (base_url, "fal-key-1", &error);
  g_assert_no_error (error);
  atelier_fal_client_set_poll_interval_ms (fixture->client, 20);
  fixture->statuses = g_array_new (FALSE, FALSE, sizeof (guint));
  g_signal_connect (fixture->client, "status-changed", G_CALLBACK (status_changed_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_assert_finalize_object (fixture->client);
  atelier_test_server_free (fixture->server);
  g_array_unref (fixture->statuses);
}

static JsonNode *
face_id_input (const char *prompt)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GBytes) face = atelier_test_make_image (320, 320, 3, "jpeg");
  g_autofree char *data_uri = atelier_fal_data_uri (face, "image/jpeg");

  json_builder_begin_object (builder);
  if (prompt != NULL)
    {
      json_builder_set_member_name (builder, "prompt");
      json_builder_add_string_value (builder, prompt);
    }
  json_builder_set_member_name (builder, "face_image_url");
  json_builder_add_string_value (builder, data_uri);
  json_builder_set_member_name (builder, "guidance_scale");
  json_builder_add_double_value (builder, 3.0);
  json_builder_set_member_name (builder, "num_samples");
  json_builder_add_int_value (builder, 2);
  json_builder_set_member_name (builder, "width");
  json_builder_add_int_value (builder, 768);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
test_run (Fixture       *fixture,
          gconstpointer  user_data)
{
  g_autoptr(JsonNode) input = face_id_input ("ohwx man, cyberpunk city at night");
  g_autoptr(AtelierSandboxRequest) submit = NULL;
  g_autoptr(AtelierFalResult) result = NULL;
  g_autoptr(GAsyncResult) async_result = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *body;

  atelier_fal_client_run_async (fixture->client, input, NULL, atelier_test_store_result, &async_result);
  result = atelier_fal_client_run_finish (fixture->client,
                                          atelier_test_wait_result (&async_result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_true (g_str_has_prefix (result->image_url, "http://127.0.0.1:"));
  g_assert_cmpint (result->width, >, 0);
  g_assert_cmpint (result->seed, >=, 0);

  /* Polled while queued, then completed */
  g_assert_cmpuint (fixture->statuses->len, >=, 2);
  g_assert_cmpuint (g_array_index (fixture->statuses, guint, 0), !=, ATELIER_FAL_STATUS_COMPLETED);
  g_assert_cmpuint (g_array_index (fixture->statuses, guint, fixture->statuses->len - 1), ==,
                    ATELIER_FAL_STATUS_COMPLETED);

  /* What the queue received */
  submit = atelier_sandbox_server_dup_last_request (fixture->server, "POST", "/fal-ai/ip-adapter-face-id");
  g_assert_nonnull (submit);
  g_assert_cmpstr (atelier_sandbox_request_get_header (submit, "Authorization"), ==, "Key fal-key-1");
  body = json_node_get_object (atelier_sandbox_request_get_json (submit));
  g_assert_cmpstr (json_object_get_string_member (body, "prompt"), ==, "ohwx man, cyberpunk city at night");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (body, "face_image_url"),
                                   "data:image/jpeg;base64,"));
  g_assert_cmpint (json_object_get_int_member (body, "num_samples"), ==, 2);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (fixture->server, "GET",
                                                           "/fal-ai/ip-adapter-face-id/requests/"), >=, 2);
}

static void
test_steps (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(JsonNode) input = face_id_input ("ohwx woman in the alps");
  g_autoptr(AtelierFalRequest) request = NULL;
  g_autoptr(AtelierFalResult) early = NULL;
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autoptr(GAsyncResult) r3 = NULL;
  g_autoptr(GAsyncResult) r4 = NULL;
  g_autoptr(GError) error = NULL;
  AtelierFalStatus status = ATELIER_FAL_STATUS_COMPLETED;
  gint64 position = -2;

  /* Still queued through every step, however slow the machine. */
  atelier_sandbox_server_set_fal_delay_ms (fixture->server, 60000);
  atelier_fal_client_submit_async (fixture->client, input, NULL, atelier_test_store_result, &r1);
  request = atelier_fal_client_submit_finish (fixture->client, atelier_test_wait_result (&r1), &error);
  g_assert_no_error (error);
  g_assert_nonnull (request->request_id);
  g_assert_true (g_str_has_suffix (request->status_url, "/status"));
  g_assert_true (g_str_has_suffix (request->cancel_url, "/cancel"));

  atelier_fal_client_get_status_async (fixture->client, request, NULL, atelier_test_store_result, &r2);
  g_assert_true (atelier_fal_client_get_status_finish (fixture->client, atelier_test_wait_result (&r2),
                                                       &status, &position, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, !=, ATELIER_FAL_STATUS_COMPLETED);

  /* The result before completion is an error, not a crash */
  atelier_fal_client_get_result_async (fixture->client, request, NULL, atelier_test_store_result, &r3);
  early = atelier_fal_client_get_result_finish (fixture->client, atelier_test_wait_result (&r3), &error);
  g_assert_null (early);
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* Cancel while queued */
  atelier_fal_client_cancel_async (fixture->client, request, NULL, atelier_test_store_result, &r4);
  g_assert_true (atelier_fal_client_cancel_finish (fixture->client, atelier_test_wait_result (&r4), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (fixture->server, "PUT", "/fal-ai/"), ==, 1);
}

static void
test_cancel_run (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(JsonNode) input = face_id_input ("ohwx man");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(AtelierFalResult) result = NULL;
  g_autoptr(GAsyncResult) async_result = NULL;
  g_autoptr(GError) error = NULL;

  atelier_sandbox_server_set_fal_delay_ms (fixture->server, 60000);
  atelier_fal_client_run_async (fixture->client, input, cancellable, atelier_test_store_result, &async_result);
  /* Let it submit and poll once, then cancel. */
  atelier_test_wait_until (fixture->statuses->len > 0, 5000);
  g_cancellable_cancel (cancellable);

  result = atelier_fal_client_run_finish (fixture->client, atelier_test_wait_result (&async_result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (result);

  /* The queue was told */
  atelier_test_wait_until (atelier_sandbox_server_count_requests (fixture->server, "PUT", "/fal-ai/") == 1, 5000);
  /* …and its answer arrives, releasing the client */
  g_clear_object (&async_result);
  atelier_test_wait_until (G_OBJECT (fixture->client)->ref_count == 1, 5000);
}

static void
test_validation (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(JsonNode) no_prompt = face_id_input (NULL);
  g_autoptr(JsonNode) bad_size = face_id_input ("ohwx");
  g_autoptr(AtelierFalRequest) request = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (atelier_fal_validate_face_id_input (no_prompt, &error));
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM);
  g_assert_true (g_str_has_prefix (error->message, "prompt: "));
  g_clear_error (&error);

  json_object_set_int_member (json_node_get_object (bad_size), "width", 2048);
  g_assert_false (atelier_fal_validate_face_id_input (bad_size, &error));
  g_assert_true (g_str_has_prefix (error->message, "width: "));
  g_clear_error (&error);

  json_object_set_int_member (json_node_get_object (bad_size), "width", 512);
  json_object_set_string_member (json_node_get_object (bad_size), "model_type", "SD3");
  g_assert_false (atelier_fal_validate_face_id_input (bad_size, &error));
  g_assert_true (g_str_has_prefix (error->message, "model_type: "));
  g_clear_error (&error);

  /* Nothing is sent for an invalid input */
  atelier_fal_client_submit_async (fixture->client, no_prompt, NULL, atelier_test_store_result, &result);
  request = atelier_fal_client_submit_finish (fixture->client, atelier_test_wait_result (&result), &error);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (fixture->server, NULL, "/fal-ai/"), ==, 0);
}

static void
test_server_validation_detail (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autoptr(JsonNode) input = face_id_input ("ohwx");
  g_autoptr(AtelierFalRequest) request = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GError) error = NULL;
  AtelierSandboxFault fault = {
    .method = "POST", .path = "/fal-ai/", .kind = ATELIER_SANDBOX_FAULT_STATUS, .status = 422,
    .body = "{\"detail\": [{\"loc\": [\"body\", \"face_image_url\"], \"msg\": \"could not detect a face\", "
            "\"type\": \"value_error\"}], \"error_type\": \"validation_error\"}",
  };

  atelier_sandbox_server_add_fault (fixture->server, &fault);
  atelier_fal_client_submit_async (fixture->client, input, NULL, atelier_test_store_result, &result);
  request = atelier_fal_client_submit_finish (fixture->client, atelier_test_wait_result (&result), &error);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID);

  fields = atelier_api_error_get_field_errors (error);
  g_assert_cmpuint (fields->len, ==, 1);
  g_assert_cmpstr (((AtelierFieldError *) g_ptr_array_index (fields, 0))->field, ==, "face_image_url");
  g_assert_cmpstr (((AtelierFieldError *) g_ptr_array_index (fields, 0))->message, ==, "could not detect a face");
}

static void
test_keys (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) good = NULL;
  g_autoptr(GAsyncResult) bad = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtelierSandboxRequest) request = NULL;

  atelier_fal_client_verify_key_async (fixture->client, NULL, atelier_test_store_result, &good);
  g_assert_true (atelier_fal_client_verify_key_finish (fixture->client, atelier_test_wait_result (&good), &error));
  g_assert_no_error (error);

  atelier_fal_client_set_api_key (fixture->client, "fal-wrong");
  atelier_fal_client_verify_key_async (fixture->client, NULL, atelier_test_store_result, &bad);
  g_assert_false (atelier_fal_client_verify_key_finish (fixture->client, atelier_test_wait_result (&bad), &error));
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_UNAUTHORIZED);
  g_assert_null (strstr (error->message, "fal-wrong"));

  request = atelier_sandbox_server_dup_last_request (fixture->server, "GET", "/fal-ai/");
  g_assert_null (atelier_sandbox_request_get_header (request, "Authorization")); /* refused: its key is not kept */
}

/* Submits with the queue's answer replaced by @answer; the request as the
 * client took it, every URL on the base URL's host (the key would only
 * ever go there). */
static AtelierFalRequest *
submit_with_answer (Fixture    *fixture,
                    const char *answer)
{
  g_autoptr(JsonNode) input = face_id_input ("ohwx");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base_url = atelier_sandbox_server_dup_base_url (fixture->server);
  AtelierSandboxFault fault = {
    .method = "POST", .path = "/fal-ai/", .kind = ATELIER_SANDBOX_FAULT_STATUS, .status = 200,
    .body = answer,
  };
  AtelierFalRequest *request;

  atelier_sandbox_server_add_fault (fixture->server, &fault);
  atelier_fal_client_submit_async (fixture->client, input, NULL, atelier_test_store_result, &result);
  request = atelier_fal_client_submit_finish (fixture->client, atelier_test_wait_result (&result), &error);
  g_assert_no_error (error);

  g_assert_true (g_str_has_prefix (request->status_url, base_url));
  g_assert_true (g_str_has_prefix (request->response_url, base_url));
  g_assert_true (g_str_has_prefix (request->cancel_url, base_url));
  return request;
}

static void
test_foreign_urls_not_followed (Fixture       *fixture,
                                gconstpointer  user_data)
{
  g_autoptr(AtelierFalRequest) request =
    submit_with_answer (fixture, "{\"request_id\": \"abc-123\", \"status_url\": \"https://evil.example/steal\", "
                                 "\"response_url\": \"https://evil.example/r\", \"cancel_url\": \"https://evil.example/c\"}");

  g_assert_nonnull (strstr (request->status_url, "/requests/abc-123/status"));
}

/* A queue URL without a host ("http:x" parses) is not on our origin
 * either (fuzz/corpus/fal/submit-url-without-host). */
static void
test_hostless_urls_not_followed (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  g_autoptr(AtelierFalRequest) request =
    submit_with_answer (fixture, "{\"request_id\": \"abc-123\", \"status_url\": \"http:x\", "
                                 "\"response_url\": \"http:/r\", \"cancel_url\": \"https:evil.example/c\"}");

  g_assert_nonnull (strstr (request->status_url, "/requests/abc-123/status"));
}

static void
test_base_url (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtelierFalClient) insecure = atelier_fal_client_new ("http://queue.fal.run", "k", &error);
  g_autoptr(AtelierFalClient) fallback = NULL;
  g_autoptr(AtelierFalClient) from_env = NULL;

  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INSECURE_URL);
  g_assert_null (insecure);
  g_clear_error (&error);

  fallback = atelier_fal_client_new (NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (atelier_fal_client_get_base_url (fallback), ==, ATELIER_DEFAULT_FAL_URL);
  g_assert_false (atelier_fal_client_has_api_key (fallback));

  g_setenv ("ATELIER_FAL_URL", "http://localhost:9999//", TRUE);
  from_env = atelier_fal_client_new (NULL, "k", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (atelier_fal_client_get_base_url (from_env), ==, "http://localhost:9999");
  g_unsetenv ("ATELIER_FAL_URL");

  /* The key is kept as the Astria client keeps it: a blank one is none. */
  g_assert_true (atelier_fal_client_has_api_key (from_env));
  atelier_fal_client_set_api_key (from_env, "  \t");
  g_assert_false (atelier_fal_client_has_api_key (from_env));
  atelier_fal_client_set_api_key (from_env, " fal-key ");
  g_assert_true (atelier_fal_client_has_api_key (from_env));
  atelier_fal_client_set_api_key (from_env, NULL);
  g_assert_false (atelier_fal_client_has_api_key (from_env));
}

static void
test_data_uri (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("\xff\xd8\xff", 3);
  g_autofree char *uri = atelier_fal_data_uri (bytes, "image/jpeg");

  g_assert_cmpstr (uri, ==, "data:image/jpeg;base64,/9j/");
}


static JsonNode *
prompt_input (const char *prompt,
              const char *member,
              const char *face)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt");
  json_builder_add_string_value (builder, prompt);
  if (member != NULL)
    {
      json_builder_set_member_name (builder, member);
      json_builder_add_string_value (builder, face);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static AtelierFalRequest *
submit (Fixture   *fixture,
        JsonNode  *input,
        GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  atelier_fal_client_submit_async (fixture->client, input, NULL, atelier_test_store_result, &result);
  return atelier_fal_client_submit_finish (fixture->client, atelier_test_wait_result (&result), error);
}

static AtelierFalStatusInfo *
poll_status (Fixture           *fixture,
             AtelierFalRequest *request)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  AtelierFalStatusInfo *info;

  atelier_fal_client_poll_status_async (fixture->client, request, NULL, atelier_test_store_result, &result);
  info = atelier_fal_client_poll_status_finish (fixture->client, atelier_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);
  g_assert_nonnull (info->logs);

  return info;
}

/* Polls until COMPLETED, every 20 ms; the last status is returned. */
static AtelierFalStatusInfo *
poll_until_completed (Fixture           *fixture,
                      AtelierFalRequest *request)
{
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end)
    {
      AtelierFalStatusInfo *info = poll_status (fixture, request);

      if (info->status == ATELIER_FAL_STATUS_COMPLETED)
        return info;
      atelier_fal_status_info_free (info);
      g_usleep (20 * 1000);
    }

  g_assert_not_reached ();
}

static AtelierFalResult *
get_result (Fixture           *fixture,
            AtelierFalRequest *request,
            GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  atelier_fal_client_get_result_async (fixture->client, request, NULL, atelier_test_store_result, &result);
  return atelier_fal_client_get_result_finish (fixture->client, atelier_test_wait_result (&result), error);
}

/* A request behind another one: its position counts down as the other
 * leaves the queue, then it is in progress with log lines appearing, and
 * completed with all of them. */
static void
test_poll_status (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(JsonNode) first_input = prompt_input ("ohwx first", NULL, NULL);
  g_autoptr(JsonNode) input = prompt_input ("ohwx second", NULL, NULL);
  g_autoptr(AtelierFalRequest) first = NULL;
  g_autoptr(AtelierFalRequest) request = NULL;
  g_autoptr(AtelierFalStatusInfo) done = NULL;
  g_autoptr(AtelierSandboxRequest) polled = NULL;
  g_autoptr(GArray) positions = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) log_counts = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GError) error = NULL;
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  AtelierFalStatus last = ATELIER_FAL_STATUS_IN_QUEUE;

  /* Queued 300 ms, then the second one queued 700 ms behind it */
  atelier_sandbox_server_set_fal_delay_ms (fixture->server, 900);
  first = submit (fixture, first_input, &error);
  g_assert_no_error (error);
  atelier_sandbox_server_set_fal_delay_ms (fixture->server, 2100);
  request = submit (fixture, input, &error);
  g_assert_no_error (error);

  while (g_get_monotonic_time () < end)
    {
      g_autoptr(AtelierFalStatusInfo) info = poll_status (fixture, request);

      g_assert_cmpint (info->status, >=, last);
      last = info->status;
      g_assert_null (info->error);
      if (info->status == ATELIER_FAL_STATUS_IN_QUEUE)
        {
          g_assert_cmpuint (g_strv_length (info->logs), ==, 0);
          g_array_append_val (positions, info->queue_position);
        }
      else if (info->status == ATELIER_FAL_STATUS_IN_PROGRESS)
        {
          guint n = g_strv_length (info->logs);

          g_assert_cmpuint (n, >=, 1);
          g_assert_cmpstr (info->logs[0], ==, "Loading the face model");
          g_array_append_val (log_counts, n);
        }
      else
        {
          done = g_steal_pointer (&info);
          break;
        }
      g_usleep (20 * 1000);
    }

  g_assert_nonnull (done);
  g_assert_null (done->error);

  /* 1 while the first one waits, then 0 */
  g_assert_cmpuint (positions->len, >=, 2);
  g_assert_cmpint (g_array_index (positions, gint64, 0), ==, 1);
  g_assert_cmpint (g_array_index (positions, gint64, positions->len - 1), ==, 0);
  for (guint i = 1; i < positions->len; i++)
    g_assert_cmpint (g_array_index (positions, gint64, i), <=, g_array_index (positions, gint64, i - 1));

  /* More lines as it goes */
  g_assert_cmpuint (log_counts->len, >=, 2);
  for (guint i = 1; i < log_counts->len; i++)
    g_assert_cmpuint (g_array_index (log_counts, guint, i), >=, g_array_index (log_counts, guint, i - 1));
  g_assert_cmpuint (g_array_index (log_counts, guint, log_counts->len - 1), >, g_array_index (log_counts, guint, 0));

  /* All of them once completed, in order */
  g_assert_cmpuint (g_strv_length (done->logs), ==, 8);
  g_assert_cmpstr (done->logs[0], ==, "Loading the face model");
  g_assert_cmpstr (done->logs[1], ==, "Detecting the face");
  g_assert_cmpstr (done->logs[2], ==, "Step 10/50");
  g_assert_cmpstr (done->logs[6], ==, "Step 50/50");
  g_assert_cmpstr (done->logs[7], ==, "Saving the image");
  g_assert_cmpuint (g_strv_length (done->logs), >=, g_array_index (log_counts, guint, log_counts->len - 1));

  /* The status URL was asked for its logs */
  polled = atelier_sandbox_server_dup_last_request (fixture->server, "GET", "/fal-ai/ip-adapter-face-id/requests/");
  g_assert_cmpstr (atelier_sandbox_request_get_query (polled), ==, "logs=1");
  g_assert_true (g_str_has_suffix (atelier_sandbox_request_get_path (polled), "/status"));
}

static GBytes *
flat_jpeg (int size)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, size, size);
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize length = 0;

  gdk_pixbuf_fill (pixbuf, 0x8090a0ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, "jpeg", &error, NULL));

  return g_bytes_new_take (buffer, length);
}

/* Jobs that fail: no face in a flat photo, the model on "sandbox:fail". */
static void
test_failures (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GBytes) flat = flat_jpeg (320);
  g_autofree char *flat_url = atelier_fal_face_data_url (flat, NULL);
  g_autoptr(JsonNode) no_face = prompt_input ("ohwx man", "face_image_url", flat_url);
  g_autoptr(JsonNode) fails = prompt_input ("ohwx man sandbox:fail", NULL, NULL);
  g_autoptr(AtelierFalRequest) no_face_request = NULL;
  g_autoptr(AtelierFalRequest) fails_request = NULL;
  g_autoptr(AtelierFalStatusInfo) no_face_info = NULL;
  g_autoptr(AtelierFalStatusInfo) fails_info = NULL;
  g_autoptr(AtelierFalResult) result = NULL;
  g_autoptr(AtelierFalResult) run_result = NULL;
  g_autoptr(GAsyncResult) run = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GError) error = NULL;
  guint n;

  atelier_sandbox_server_set_fal_delay_ms (fixture->server, 150);
  no_face_request = submit (fixture, no_face, &error);
  g_assert_no_error (error);
  fails_request = submit (fixture, fails, &error);
  g_assert_no_error (error);

  no_face_info = poll_until_completed (fixture, no_face_request);
  g_assert_cmpstr (no_face_info->error, ==, "No face was found in the image.");
  n = g_strv_length (no_face_info->logs);
  g_assert_cmpuint (n, >=, 2);
  g_assert_cmpstr (no_face_info->logs[n - 1], ==, "No face was found in the image.");

  fails_info = poll_until_completed (fixture, fails_request);
  g_assert_cmpstr (fails_info->error, ==, "The model failed while generating.");

  /* The result answers 422 {"detail": …} */
  result = get_result (fixture, no_face_request, &error);
  g_assert_null (result);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID);
  fields = atelier_api_error_get_field_errors (error);
  g_assert_cmpuint (fields->len, ==, 1);
  g_assert_cmpstr (((AtelierFieldError *) g_ptr_array_index (fields, 0))->field, ==, "face_image_url");
  g_assert_cmpstr (((AtelierFieldError *) g_ptr_array_index (fields, 0))->message, ==,
                   "No face was found in the image.");
  g_clear_error (&error);

  result = get_result (fixture, fails_request, &error);
  g_assert_null (result);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "The model failed while generating."));
  g_clear_error (&error);

  /* run ends with that error too */
  atelier_fal_client_run_async (fixture->client, fails, NULL, atelier_test_store_result, &run);
  run_result = atelier_fal_client_run_finish (fixture->client, atelier_test_wait_result (&run), &error);
  g_assert_null (run_result);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID);
}

/* What the queue receives for data-URL faces: exactly the JSON sent, the
 * data URLs whole (an 8 MB one included). */
static void
test_data_url_submit (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GBytes) photo = atelier_test_make_image (900, 700, 5, "jpeg");
  g_autoptr(GBytes) face = atelier_fal_face_prepare (photo, NULL, NULL, NULL);
  g_autofree char *url = atelier_fal_face_data_url (face, NULL);
  g_autoptr(JsonNode) input = prompt_input ("ohwx woman, watercolor", "face_image_url", url);
  g_autoptr(GPtrArray) faces = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autofree char *zip_url = NULL;
  g_autoptr(JsonNode) zip_input = NULL;
  g_autoptr(AtelierFalRequest) request = NULL;
  g_autoptr(AtelierFalRequest) zip_request = NULL;
  g_autoptr(AtelierSandboxRequest) received = NULL;
  g_autoptr(AtelierSandboxRequest) zip_received = NULL;
  g_autofree guint8 *filler = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sent = NULL;
  g_autofree char *got = NULL;
  const char *got_url;
  /* With the face, just under ATELIER_FAL_MAX_DATA_URL once encoded */
  gsize filler_size = ATELIER_FAL_MAX_DATA_URL / 4 * 3 - g_bytes_get_size (face) - 4096;

  json_object_set_string_member (json_node_get_object (input), "model_type", "1_5-auraface-v1");
  json_object_set_int_member (json_node_get_object (input), "num_inference_steps", 30);
  request = submit (fixture, input, &error);
  g_assert_no_error (error);

  received = atelier_sandbox_server_dup_last_request (fixture->server, "POST", "/fal-ai/ip-adapter-face-id");
  g_assert_true (json_node_equal (atelier_sandbox_request_get_json (received), input));
  sent = json_to_string (input, FALSE);
  got = json_to_string (atelier_sandbox_request_get_json (received), FALSE);
  g_assert_cmpstr (got, ==, sent);
  got_url = json_object_get_string_member (json_node_get_object (atelier_sandbox_request_get_json (received)),
                                           "face_image_url");
  g_assert_true (g_str_has_prefix (got_url, "data:image/jpeg;base64,"));
  g_assert_cmpuint (strlen (got_url), ==, strlen (url));
  g_assert_cmpuint (strlen (got_url), ==, strlen ("data:image/jpeg;base64,") +
                                          (g_bytes_get_size (face) + 2) / 3 * 4);

  /* Several faces as a zip, one of them padded to make it 8 MB */
  filler = g_malloc (filler_size);
  for (gsize i = 0; i < filler_size; i++)
    filler[i] = (guint8) (i * 2654435761u >> 24);
  g_ptr_array_add (faces, g_bytes_ref (face));
  g_ptr_array_add (faces, g_bytes_new_take (g_steal_pointer (&filler), filler_size));
  zip_url = atelier_fal_faces_zip_data_url (faces, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (zip_url), >, 8000000);
  g_assert_cmpuint (strlen (zip_url), <=, ATELIER_FAL_MAX_DATA_URL);

  zip_input = prompt_input ("ohwx woman", "face_images_data_url", zip_url);
  zip_request = submit (fixture, zip_input, &error);
  g_assert_no_error (error);
  zip_received = atelier_sandbox_server_dup_last_request (fixture->server, "POST", "/fal-ai/ip-adapter-face-id");
  got_url = json_object_get_string_member (json_node_get_object (atelier_sandbox_request_get_json (zip_received)),
                                           "face_images_data_url");
  g_assert_true (g_str_has_prefix (got_url, "data:application/zip;base64,"));
  g_assert_cmpstr (got_url, ==, zip_url);
}

/* Data URLs that are not what they say */
static void
test_bad_data_urls (Fixture       *fixture,
                    gconstpointer  user_data)
{
  struct
  {
    const char *member;
    const char *url;
    gboolean    local;  /* refused before sending */
  } cases[] = {
    { "face_image_url", "data:image/jpeg;base64,@@not base64@@", TRUE },
    { "face_image_url", "data:text/html;base64,PGgxPg==", TRUE },
    { "face_image_url", "data:image/jpeg,rawbytes", TRUE },
    { "face_image_url", "http://example.com/face.jpg", TRUE },
    { "face_image_url", "file:///etc/passwd", TRUE },
    { "face_images_data_url", "data:image/jpeg;base64,/9j/", TRUE },
    /* well-formed, but "hello" is no image and no zip */
    { "face_image_url", "data:image/png;base64,aGVsbG8=", FALSE },
    { "face_images_data_url", "data:application/zip;base64,aGVsbG8=", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) input = prompt_input ("ohwx", cases[i].member, cases[i].url);
      g_autoptr(AtelierFalRequest) request = NULL;
      g_autoptr(GError) error = NULL;
      guint before = atelier_sandbox_server_count_requests (fixture->server, "POST", "/fal-ai/");

      g_test_message ("%s %s", cases[i].member, cases[i].url);
      request = submit (fixture, input, &error);
      g_assert_null (request);
      if (cases[i].local)
        {
          g_autofree char *prefix = g_strconcat (cases[i].member, ": ", NULL);

          g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM);
          g_assert_true (g_str_has_prefix (error->message, prefix));
          g_assert_cmpuint (atelier_sandbox_server_count_requests (fixture->server, "POST", "/fal-ai/"), ==, before);
        }
      else
        {
          g_autoptr(GPtrArray) fields = NULL;

          g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID);
          fields = atelier_api_error_get_field_errors (error);
          g_assert_cmpuint (fields->len, ==, 1);
          g_assert_cmpstr (((AtelierFieldError *) g_ptr_array_index (fields, 0))->field, ==, cases[i].member);
          g_assert_cmpuint (atelier_sandbox_server_count_requests (fixture->server, "POST", "/fal-ai/"), ==, before + 1);
        }
    }
}

/* A submit that fails on the server's side or on the way is never sent
 * again by itself: it may be queued already. Status calls may retry. */
static void
test_submit_not_retried (Fixture       *fixture,
                         gconstpointer  user_data)
{
  const AtelierSandboxFaultKind kinds[] = { ATELIER_SANDBOX_FAULT_STATUS, ATELIER_SANDBOX_FAULT_DROP,
                                            ATELIER_SANDBOX_FAULT_CREATE_THEN_DROP };
  const AtelierApiError codes[] = { ATELIER_API_ERROR_SERVER, ATELIER_API_ERROR_NETWORK,
                                    ATELIER_API_ERROR_NETWORK };
  g_autoptr(JsonNode) input = prompt_input ("ohwx", NULL, NULL);
  g_autoptr(AtelierFalRequest) request = NULL;
  g_autoptr(AtelierFalStatusInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  AtelierSandboxFault status_fault = {
    .method = "GET", .path = "/fal-ai/", .kind = ATELIER_SANDBOX_FAULT_STATUS, .status = 503, .times = 1,
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr(AtelierFalRequest) failed = NULL;
      AtelierSandboxFault fault = {
        .method = "POST", .path = "/fal-ai/", .kind = kinds[i], .status = 500,
      };

      atelier_sandbox_server_clear_requests (fixture->server);
      atelier_sandbox_server_clear_faults (fixture->server);
      atelier_sandbox_server_add_fault (fixture->server, &fault);
      failed = submit (fixture, input, &error);
      g_assert_null (failed);
      g_assert_error (error, ATELIER_API_ERROR, (int) codes[i]);
      g_clear_error (&error);

      /* Give a retry the time it would take */
      g_usleep (300 * 1000);
      while (g_main_context_iteration (NULL, FALSE));
      g_assert_cmpuint (atelier_sandbox_server_count_requests (fixture->server, "POST", "/fal-ai/"), ==, 1);
    }

  /* A status call answered 503 once is retried */
  atelier_sandbox_server_clear_faults (fixture->server);
  atelier_sandbox_server_clear_requests (fixture->server);
  request = submit (fixture, input, &error);
  g_assert_no_error (error);
  atelier_sandbox_server_add_fault (fixture->server, &status_fault);
  info = poll_status (fixture, request);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (fixture->server, "GET", "/fal-ai/"), ==, 2);
}

static guint
download_status (Fixture    *fixture,
                 const char *url)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);

  return soup_message_get_status (message);
}

/* fal's result URLs are temporary */
static void
test_result_url_expires (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(JsonNode) input = prompt_input ("ohwx man", NULL, NULL);
  g_autoptr(AtelierFalResult) result = NULL;
  g_autoptr(AtelierFalResult) again = NULL;
  g_autoptr(AtelierFalRequest) request = NULL;
  g_autoptr(AtelierFalStatusInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  gint64 end;

  atelier_sandbox_server_set_fal_delay_ms (fixture->server, 60);
  atelier_sandbox_server_set_fal_url_ttl_ms (fixture->server, 1500);
  request = submit (fixture, input, &error);
  g_assert_no_error (error);
  info = poll_until_completed (fixture, request);
  result = get_result (fixture, request, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (download_status (fixture, result->image_url), ==, SOUP_STATUS_OK);

  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (download_status (fixture, result->image_url) == SOUP_STATUS_OK)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_usleep (50 * 1000);
    }
  g_assert_cmpuint (download_status (fixture, result->image_url), ==, SOUP_STATUS_NOT_FOUND);

  /* The result itself still answers, with the dead URL */
  again = get_result (fixture, request, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->image_url, ==, result->image_url);
}

/* An answer without image.url */
static void
test_result_without_image (Fixture       *fixture,
                           gconstpointer  user_data)
{
  AtelierFalRequest request = { "abc", NULL, NULL, NULL };
  g_autofree char *base_url = atelier_sandbox_server_dup_base_url (fixture->server);
  g_autoptr(AtelierFalResult) result = NULL;
  g_autoptr(GError) error = NULL;
  AtelierSandboxFault fault = {
    .method = "GET", .path = "/fal-ai/", .kind = ATELIER_SANDBOX_FAULT_STATUS, .status = 200,
    .body = "{\"image\": {\"content_type\": \"image/png\"}, \"seed\": 1}",
  };

  request.response_url = g_strdup_printf ("%s/fal-ai/ip-adapter-face-id/requests/abc", base_url);
  atelier_sandbox_server_add_fault (fixture->server, &fault);
  result = get_result (fixture, &request, &error);
  g_assert_null (result);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, "fal.ai finished without an image.");
  g_free (request.response_url);
}

static void
test_validation_ranges (void)
{
  struct { const char *member; const char *json; gboolean valid; } cases[] = {
    { "guidance_scale", "0", TRUE }, { "guidance_scale", "16", TRUE }, { "guidance_scale", "16.5", FALSE },
    { "num_inference_steps", "1", TRUE }, { "num_inference_steps", "200", TRUE },
    { "num_inference_steps", "201", FALSE }, { "num_inference_steps", "0", FALSE },
    { "num_samples", "4", TRUE }, { "num_samples", "5", FALSE },
    { "width", "512", TRUE }, { "width", "1024", TRUE }, { "width", "511", FALSE }, { "height", "1025", FALSE },
    { "face_id_det_size", "64", TRUE }, { "face_id_det_size", "640", TRUE }, { "face_id_det_size", "63", FALSE },
    { "seed", "42", TRUE }, { "seed", "-1", FALSE }, { "seed", "1.5", FALSE },
    { "negative_prompt", "\"blurry\"", TRUE }, { "negative_prompt", "3", FALSE },
    { "base_1_5_model_repo", "\"SG161222/Realistic_Vision_V4.0_noVAE\"", TRUE },
    { "base_1_5_model_repo", "\"\"", FALSE },
    { "base_sdxl_model_repo", "\"SG161222/RealVisXL_V3.0\"", TRUE }, { "base_sdxl_model_repo", "[]", FALSE },
    { "face_image_url", "\"https://example.com/face.png\"", TRUE },
    { "face_image_url", "\"http://127.0.0.1:8080/sandbox/images/1-0.jpg\"", TRUE },
    { "face_image_url", "\"data:image/webp;base64,UklGRg==\"", TRUE },
    { "face_image_url", "\"javascript:alert(1)\"", FALSE },
    { "face_images_data_url", "\"data:application/zip;base64,UEsDBA==\"", TRUE },
    { "face_images_data_url", "\"https://example.com/faces.zip\"", TRUE },
    { "face_images_data_url", "42", FALSE },
  };
  const char * const model_types[] = {
    "1_5-v1", "1_5-v1-plus", "1_5-v2-plus", "SDXL-v1", "SDXL-v2-plus", "1_5-auraface-v1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"prompt\": \"ohwx\", \"%s\": %s}", cases[i].member, cases[i].json);
      g_autoptr(JsonNode) input = json_from_string (json, NULL);
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", json);
      g_assert_cmpint (atelier_fal_validate_face_id_input (input, &error), ==, cases[i].valid);
      if (!cases[i].valid)
        {
          g_autofree char *prefix = g_strconcat (cases[i].member, ": ", NULL);

          g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM);
          g_assert_true (g_str_has_prefix (error->message, prefix));
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (model_types); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"prompt\": \"ohwx\", \"model_type\": \"%s\"}", model_types[i]);
      g_autoptr(JsonNode) input = json_from_string (json, NULL);

      g_assert_true (atelier_fal_validate_face_id_input (input, NULL));
    }

  /* Over the data URL limit: refused before sending */
  {
    gsize length = ATELIER_FAL_MAX_DATA_URL + 4;
    g_autofree char *url = g_malloc (length + 1);
    g_autoptr(JsonNode) input = NULL;
    g_autoptr(GError) error = NULL;

    memset (url, 'A', length);
    memcpy (url, "data:image/jpeg;base64,", strlen ("data:image/jpeg;base64,"));
    url[length] = '\0';
    input = prompt_input ("ohwx", "face_image_url", url);
    g_assert_false (atelier_fal_validate_face_id_input (input, &error));
    g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM);
    g_assert_true (g_str_has_prefix (error->message, "face_image_url: "));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/fal/run", test_run);
  ADD ("/fal/steps", test_steps);
  ADD ("/fal/cancel-run", test_cancel_run);
  ADD ("/fal/validation", test_validation);
  ADD ("/fal/server-validation-detail", test_server_validation_detail);
  ADD ("/fal/keys", test_keys);
  ADD ("/fal/foreign-urls", test_foreign_urls_not_followed);
  ADD ("/fal/hostless-urls", test_hostless_urls_not_followed);
  ADD ("/fal/poll-status", test_poll_status);
  ADD ("/fal/failures", test_failures);
  ADD ("/fal/data-url-submit", test_data_url_submit);
  ADD ("/fal/bad-data-urls", test_bad_data_urls);
  ADD ("/fal/submit-not-retried", test_submit_not_retried);
  ADD ("/fal/result-url-expires", test_result_url_expires);
  ADD ("/fal/result-without-image", test_result_without_image);
  g_test_add_func ("/fal/validation-ranges", test_validation_ranges);
  g_test_add_func ("/fal/base-url", test_base_url);
  g_test_add_func ("/fal/data-uri", test_data_uri);

  return g_test_run ();
}
