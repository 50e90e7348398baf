/* test-fal.c: fal.ai ip-adapter-face-id through the queue API, against the
 * sandbox's implementation of it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atelier-fal-client.h"
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
  g_assert_cmpstr (atelier_sandbox_request_get_header (request, "Authorization"), ==, "Key fal-wrong");
}

static void
test_foreign_urls_not_followed (Fixture       *fixture,
                                gconstpointer  user_data)
{
  g_autoptr(JsonNode) input = face_id_input ("ohwx");
  g_autoptr(AtelierFalRequest) request = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base_url = atelier_sandbox_server_dup_base_url (fixture->server);
  AtelierSandboxFault fault = {
    .method = "POST", .path = "/fal-ai/", .kind = ATELIER_SANDBOX_FAULT_STATUS, .status = 200,
    .body = "{\"request_id\": \"abc-123\", \"status_url\": \"https://evil.example/steal\", "
            "\"response_url\": \"https://evil.example/r\", \"cancel_url\": \"https://evil.example/c\"}",
  };

  atelier_sandbox_server_add_fault (fixture->server, &fault);
  atelier_fal_client_submit_async (fixture->client, input, NULL, atelier_test_store_result, &result);
  request = atelier_fal_client_submit_finish (fixture->client, atelier_test_wait_result (&result), &error);
  g_assert_no_error (error);

  /* The key would only ever go to the base URL's host */
  g_assert_true (g_str_has_prefix (request->status_url, base_url));
  g_assert_true (g_str_has_prefix (request->response_url, base_url));
  g_assert_true (g_str_has_prefix (request->cancel_url, base_url));
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
  g_test_add_func ("/fal/base-url", test_base_url);
  g_test_add_func ("/fal/data-uri", test_data_uri);

  return g_test_run ();
}
