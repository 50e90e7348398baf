/* test-errors.c: the error policy of the overview page, against faults the
 * sandbox injects on real HTTP
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atelier-astria-client.h"
#include "atelier-test-utils.h"

typedef struct
{
  AtelierSandboxServer *server;
  AtelierAstriaClient  *client;
  char                 *photos;
  GArray               *retry_delays;   /* guint ms, one per ::retry-scheduled */
  GCancellable         *cancel_on_retry; /* (nullable) */
} Fixture;

static void
retry_scheduled_cb (AtelierAstriaClient *client,
                    guint                attempt,
                    guint                delay_ms,
                    GError              *reason,
                    GCancellable        *cancellable,
                    Fixture             *fixture)
{
  g_assert_cmpuint (attempt, ==, fixture->retry_delays->len + 1);
  g_assert_nonnull (reason);
  g_array_append_val (fixture->retry_delays, delay_ms);

  if (fixture->cancel_on_retry != NULL)
    {
      /* What the UI's Cancel button does during the countdown */
      g_assert_true (cancellable == fixture->cancel_on_retry);
      g_cancellable_cancel (cancellable);
    }
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base_url = NULL;

  fixture->server = atelier_test_server_new ();
  base_url = atelier_sandbox_server_dup_base_url (fixture->server);
  fixture->client = atelier_astria_client_new (base_url, "sd_test", &error);
  g_assert_no_error (error);
  atelier_astria_client_set_retry_base_delay_ms (fixture->client, 40);
  fixture->retry_delays = g_array_new (FALSE, FALSE, sizeof (guint));
  g_signal_connect (fixture->client, "retry-scheduled", G_CALLBACK (retry_scheduled_cb), fixture);

  fixture->photos = g_dir_make_tmp ("atelier-photos-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_assert_finalize_object (fixture->client);
  atelier_test_server_free (fixture->server);
  g_array_unref (fixture->retry_delays);
  g_clear_object (&fixture->cancel_on_retry);
  atelier_test_rm_rf (fixture->photos);
  g_free (fixture->photos);
}

static void
add_fault (Fixture                 *fixture,
           const char              *method,
           const char              *path,
           AtelierSandboxFaultKind  kind,
           guint                    status,
           const char              *body,
           guint                    times)
{
  AtelierSandboxFault fault = {
    .method = method,
    .path = path,
    .kind = kind,
    .status = status,
    .body = body,
    .times = times,
  };

  atelier_sandbox_server_add_fault (fixture->server, &fault);
}

/* GET /tunes/1 and its outcome. */
static AtelierTune *
get_tune (Fixture  *fixture,
          gint64    id,
          GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  atelier_astria_client_get_tune_async (fixture->client, id, fixture->cancel_on_retry,
                                        atelier_test_store_result, &result);
  return atelier_astria_client_get_tune_finish (fixture->client,
                                                atelier_test_wait_result (&result), error);
}

static GPtrArray *
list_tunes (Fixture  *fixture,
            GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  atelier_astria_client_list_tunes_async (fixture->client, 0, fixture->cancel_on_retry,
                                          atelier_test_store_result, &result);
  return atelier_astria_client_list_tunes_finish (fixture->client,
                                                  atelier_test_wait_result (&result), error);
}

static void
test_422_field_errors (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GPtrArray) tunes = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GError) error = NULL;
  AtelierFieldError *first;
  AtelierFieldError *second;

  add_fault (fixture, "GET", "/tunes", ATELIER_SANDBOX_FAULT_STATUS, 422,
             "{\"title\": [\"has already been taken\"], \"images\": [\"are too few\", \"are too small\"]}", 0);

  tunes = list_tunes (fixture, &error);
  g_assert_null (tunes);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID);
  g_assert_false (atelier_api_error_is_retryable (error));

  fields = atelier_api_error_get_field_errors (error);
  g_assert_cmpuint (fields->len, ==, 3);
  first = g_ptr_array_index (fields, 0);
  second = g_ptr_array_index (fields, 2);
  g_assert_cmpstr (first->field, ==, "title");
  g_assert_cmpstr (first->message, ==, "has already been taken");
  g_assert_cmpstr (second->field, ==, "images");
  g_assert_cmpstr (second->message, ==, "are too small");

  /* Never retried */
  g_assert_cmpuint (atelier_sandbox_server_count_requests (fixture->server, "GET", "/tunes"), ==, 1);
  g_assert_cmpuint (fixture->retry_delays->len, ==, 0);
}

/* Messages of the api layer, while a test listens. */
static GString *captured_log;

static GLogWriterOutput
capture_log_writer (GLogLevelFlags   level,
                    const GLogField *fields,
                    gsize            n_fields,
                    gpointer         user_data)
{
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
        domain = fields[i].value;
      else if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
        message = fields[i].value;
    }

  if (captured_log != NULL && g_strcmp0 (domain, "Atelier-Api") == 0 && message != NULL)
    {
      g_string_append (captured_log, message);
      g_string_append_c (captured_log, '\n');
      return G_LOG_WRITER_HANDLED;
    }

  return g_log_writer_default (level, fields, n_fields, user_data);
}

/* "Log these errors, specifically the response body": the method, the
 * path and the body, bounded, and never the key, even echoed. */
static void
test_422_logged (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GPtrArray) tunes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) long_body = g_string_new ("{\"base\": \"");

  captured_log = g_string_new (NULL);
  add_fault (fixture, "GET", "/tunes", ATELIER_SANDBOX_FAULT_STATUS, 422,
             "{\"title\": [\"has already been taken\"], \"echo\": \"Bearer sd_test\"}", 1);
  tunes = list_tunes (fixture, &error);
  g_assert_null (tunes);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID);
  g_assert_nonnull (strstr (captured_log->str, "GET /tunes"));
  g_assert_nonnull (strstr (captured_log->str, "has already been taken"));
  g_assert_nonnull (strstr (captured_log->str, "\"echo\""));
  g_assert_null (strstr (captured_log->str, "sd_test"));
  g_assert_null (strstr (captured_log->str, "offset"));

  /* A huge body is cut. */
  g_string_truncate (captured_log, 0);
  g_clear_error (&error);
  for (guint i = 0; i < 10000; i++)
    g_string_append (long_body, "refused ");
  g_string_append (long_body, "\"}");
  add_fault (fixture, "GET", "/tunes/", ATELIER_SANDBOX_FAULT_STATUS, 422, long_body->str, 1);
  g_assert_null (get_tune (fixture, 1, &error));
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID);
  g_assert_nonnull (strstr (captured_log->str, "GET /tunes/1: {\"base\": \"refused refused"));
  g_assert_cmpuint (captured_log->len, <, 4096);

  /* Other errors are not logged this way. */
  g_string_truncate (captured_log, 0);
  g_clear_error (&error);
  add_fault (fixture, "GET", "/tunes", ATELIER_SANDBOX_FAULT_STATUS, 404, NULL, 1);
  g_assert_null (get_tune (fixture, 1, &error));
  g_assert_cmpstr (captured_log->str, ==, "");

  g_string_free (g_steal_pointer (&captured_log), TRUE);
}

static void
test_422_real_validation (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(AtelierTuneParams) params = atelier_tune_params_new ();
  g_autoptr(GFile) photo = atelier_test_write_image (fixture->photos, "a.jpg", 600, 600, 1, "jpeg");
  g_autoptr(GPtrArray) packs = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GAsyncResult) packs_result = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(AtelierTune) tune = NULL;
  g_autoptr(GError) error = NULL;
  gboolean found = FALSE;

  atelier_astria_client_list_packs_async (fixture->client, FALSE, NULL,
                                          atelier_test_store_result, &packs_result);
  packs = atelier_astria_client_list_packs_finish (fixture->client,
                                                   atelier_test_wait_result (&packs_result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (packs->len, >, 0);

  /* A class the pack does not offer: only the server knows. */
  atelier_params_set_string (ATELIER_PARAMS (params), "title", "Wrong class");
  atelier_params_set_string (ATELIER_PARAMS (params), "name", "zebra");
  atelier_tune_params_add_image (params, photo);
  atelier_astria_client_create_pack_tune_async (fixture->client,
                                                atelier_pack_get_id (g_ptr_array_index (packs, 0)),
                                                params, NULL, NULL, NULL,
                                                atelier_test_store_result, &result);
  tune = atelier_astria_client_create_pack_tune_finish (fixture->client,
                                                        atelier_test_wait_result (&result), &error);
  g_assert_null (tune);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID);

  fields = atelier_api_error_get_field_errors (error);
  for (guint i = 0; i < fields->len; i++)
    if (g_strcmp0 (((AtelierFieldError *) g_ptr_array_index (fields, i))->field, "name") == 0)
      found = TRUE;
  g_assert_true (found);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (fixture->server, "POST", "/p/"), ==, 1);
}

static void
test_401_not_retried (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GPtrArray) tunes = NULL;
  g_autoptr(GError) error = NULL;

  add_fault (fixture, "GET", "/tunes", ATELIER_SANDBOX_FAULT_STATUS, 401, NULL, 0);
  tunes = list_tunes (fixture, &error);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (fixture->server, "GET", "/tunes"), ==, 1);
}

static void
test_429_backs_off (Fixture       *fixture,
                    gconstpointer  user_data)
{
  AtelierSandboxFault fault = {
    .method = "GET", .path = "/tunes", .kind = ATELIER_SANDBOX_FAULT_STATUS,
    .status = 429, .retry_after_s = 1, .times = 1,
  };
  g_autoptr(GPtrArray) tunes = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  atelier_sandbox_server_add_fault (fixture->server, &fault);
  tunes = list_tunes (fixture, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tunes);

  /* Retry-After: 1 was honoured */
  g_assert_cmpuint (fixture->retry_delays->len, ==, 1);
  g_assert_cmpuint (g_array_index (fixture->retry_delays, guint, 0), ==, 1000);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 1000 * 1000);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (fixture->server, "GET", "/tunes"), ==, 2);
}

static void
test_429_gives_up (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GPtrArray) tunes = NULL;
  g_autoptr(GError) error = NULL;

  add_fault (fixture, "GET", "/tunes", ATELIER_SANDBOX_FAULT_STATUS, 429, NULL, 0);
  tunes = list_tunes (fixture, &error);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_RATE_LIMITED);
  g_assert_cmpuint (fixture->retry_delays->len, ==, 5);
  /* Without Retry-After the waits grow */
  for (guint i = 1; i < fixture->retry_delays->len; i++)
    g_assert_cmpuint (g_array_index (fixture->retry_delays, guint, i), >,
                      g_array_index (fixture->retry_delays, guint, i - 1));
  g_assert_cmpuint (atelier_sandbox_server_count_requests (fixture->server, "GET", "/tunes"), ==, 6);
}

static void
test_500_retried_with_backoff (Fixture       *fixture,
                               gconstpointer  user_data)
{
  g_autoptr(GPtrArray) tunes = NULL;
  g_autoptr(GError) error = NULL;

  add_fault (fixture, "GET", "/tunes", ATELIER_SANDBOX_FAULT_STATUS, 500, NULL, 2);
  tunes = list_tunes (fixture, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tunes);

  /* Exponential from the base delay: 40, 80 */
  g_assert_cmpuint (fixture->retry_delays->len, ==, 2);
  g_assert_cmpuint (g_array_index (fixture->retry_delays, guint, 0), ==, 40);
  g_assert_cmpuint (g_array_index (fixture->retry_delays, guint, 1), ==, 80);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (fixture->server, "GET", "/tunes"), ==, 3);
}

static void
test_500_gives_up (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GPtrArray) tunes = NULL;
  g_autoptr(GError) error = NULL;

  add_fault (fixture, "GET", "/tunes", ATELIER_SANDBOX_FAULT_STATUS, 503, NULL, 0);
  tunes = list_tunes (fixture, &error);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_SERVER);
  g_assert_true (atelier_api_error_is_retryable (error));
  g_assert_cmpuint (fixture->retry_delays->len, ==, 4);
  g_assert_cmpuint (g_array_index (fixture->retry_delays, guint, 3), ==, 40 * 8);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (fixture->server, "GET", "/tunes"), ==, 5);
}

static void
test_500_countdown_cancel (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(GPtrArray) tunes = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  /* The real policy: the first wait is 30 s. Cancelling ends it at once. */
  atelier_astria_client_set_retry_base_delay_ms (fixture->client, 30000);
  fixture->cancel_on_retry = g_cancellable_new ();
  add_fault (fixture, "GET", "/tunes", ATELIER_SANDBOX_FAULT_STATUS, 500, NULL, 0);

  start = g_get_monotonic_time ();
  tunes = list_tunes (fixture, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (fixture->retry_delays->len, ==, 1);
  g_assert_cmpuint (g_array_index (fixture->retry_delays, guint, 0), ==, 30000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (fixture->server, "GET", "/tunes"), ==, 1);
}

static void
test_504_not_retried (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(AtelierTune) tune = NULL;
  g_autoptr(GError) error = NULL;

  add_fault (fixture, "GET", "/tunes/", ATELIER_SANDBOX_FAULT_STATUS, 504, NULL, 0);
  tune = get_tune (fixture, 1, &error);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_GATEWAY_TIMEOUT);
  g_assert_false (atelier_api_error_is_retryable (error));
  g_assert_cmpuint (fixture->retry_delays->len, ==, 0);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (fixture->server, "GET", "/tunes/"), ==, 1);
}

static AtelierTune *
create_tune (Fixture     *fixture,
             const char  *title,
             GError     **error)
{
  g_autoptr(AtelierTuneParams) params = atelier_tune_params_new ();
  g_autoptr(GFile) photo = atelier_test_write_image (fixture->photos, "f.jpg", 600, 600, 7, "jpeg");
  g_autoptr(GAsyncResult) result = NULL;

  atelier_params_set_string (ATELIER_PARAMS (params), "title", title);
  atelier_params_set_string (ATELIER_PARAMS (params), "name", "woman");
  atelier_params_set_string (ATELIER_PARAMS (params), "branch", "fast");
  atelier_tune_params_add_image (params, photo);

  atelier_astria_client_create_tune_async (fixture->client, params, NULL, NULL, NULL,
                                           atelier_test_store_result, &result);
  return atelier_astria_client_create_tune_finish (fixture->client,
                                                   atelier_test_wait_result (&result), error);
}

static guint
count_titled (Fixture    *fixture,
              const char *title)
{
  g_autoptr(GPtrArray) tunes = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  tunes = list_tunes (fixture, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < tunes->len; i++)
    if (g_strcmp0 (atelier_tune_get_title (g_ptr_array_index (tunes, i)), title) == 0)
      n++;

  return n;
}

static void
test_504_tune_found_by_title (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autofree char *title = atelier_tune_title_with_uuid ("Gateway");
  g_autoptr(AtelierTune) tune = NULL;
  g_autoptr(GError) error = NULL;

  /* The server creates the tune, then answers 504. */
  add_fault (fixture, "POST", "/tunes", ATELIER_SANDBOX_FAULT_CREATE_THEN_504, 0, NULL, 1);

  tune = create_tune (fixture, title, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tune);
  g_assert_cmpstr (atelier_tune_get_title (tune), ==, title);

  /* Found, not created twice */
  g_assert_cmpuint (atelier_sandbox_server_count_requests (fixture->server, "POST", "/tunes"), ==, 1);
  g_assert_cmpuint (count_titled (fixture, title), ==, 1);
}

static void
test_504_tune_not_created (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autofree char *title = atelier_tune_title_with_uuid ("Lost");
  g_autoptr(AtelierTune) tune = NULL;
  g_autoptr(AtelierTune) again = NULL;
  g_autoptr(GError) error = NULL;

  add_fault (fixture, "POST", "/tunes", ATELIER_SANDBOX_FAULT_STATUS, 504, NULL, 1);
  tune = create_tune (fixture, title, &error);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_GATEWAY_TIMEOUT);
  g_assert_null (tune);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (fixture->server, "POST", "/tunes"), ==, 1);
  g_clear_error (&error);

  /* The user retries with the same title: one tune in the end */
  again = create_tune (fixture, title, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_titled (fixture, title), ==, 1);
}

static void
test_bad_bodies (Fixture       *fixture,
                 gconstpointer  user_data)
{
  const struct {
    AtelierSandboxFaultKind kind;
    guint status;
    const char *body;
  } cases[] = {
    { ATELIER_SANDBOX_FAULT_TRUNCATED_JSON, 0, NULL },
    { ATELIER_SANDBOX_FAULT_INVALID_JSON, 0, NULL },
    { ATELIER_SANDBOX_FAULT_DEEP_JSON, 0, NULL },
    { ATELIER_SANDBOX_FAULT_STATUS, 200, "" },
    { ATELIER_SANDBOX_FAULT_STATUS, 200, "[1, 2, 3]" },
    { ATELIER_SANDBOX_FAULT_STATUS, 200, "{\"id\": \"not a number\", \"title\": 7}" },
  };
  gint64 id = atelier_sandbox_server_seed_tune (fixture->server, "Parsed", "man", TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(AtelierTune) tune = NULL;
      g_autoptr(GError) error = NULL;

      atelier_sandbox_server_clear_faults (fixture->server);
      add_fault (fixture, "GET", "/tunes/", cases[i].kind, cases[i].status, cases[i].body, 1);
      tune = get_tune (fixture, id, &error);
      g_test_message ("case %u: %s", i, error != NULL ? error->message : "(no error)");
      g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_PARSE);
      g_assert_null (tune);
      g_assert_cmpstr (error->message, !=, "");
    }

  /* And the next normal answer is fine */
  {
    g_autoptr(AtelierTune) tune = NULL;
    g_autoptr(GError) error = NULL;

    atelier_sandbox_server_clear_faults (fixture->server);
    tune = get_tune (fixture, id, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (atelier_tune_get_title (tune), ==, "Parsed");
  }
}

static void
test_dropped_connection (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GPtrArray) tunes = NULL;
  g_autoptr(GError) error = NULL;

  add_fault (fixture, "GET", "/tunes", ATELIER_SANDBOX_FAULT_DROP, 0, NULL, 0);
  tunes = list_tunes (fixture, &error);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_NETWORK);
  g_assert_true (atelier_api_error_is_retryable (error));
}

/* The fault that reproduces a reset after the work: the server makes the
 * tune, then closes the connection instead of answering. The client sees
 * a dropped connection that may have arrived, and libsoup does not send
 * the POST again on its own. Added over HTTP, as curl would. */
static void
test_dropped_after_create (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autofree char *title = atelier_tune_title_with_uuid ("Reset");
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) control = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(AtelierTune) tune = NULL;
  g_autoptr(GError) error = NULL;
  const char *json = "{\"method\": \"POST\", \"path\": \"/tunes\", \"kind\": \"create_then_drop\", \"times\": 1}";

  url = atelier_astria_client_build_url (fixture->client, "/__sandbox/faults");
  control = soup_message_new ("POST", url);
  soup_message_headers_replace (soup_message_get_request_headers (control), "Authorization", "Bearer sd_test");
  soup_message_set_request_body_from_bytes (control, "application/json",
                                            g_bytes_new_static (json, strlen (json)));
  body = soup_session_send_and_read (atelier_astria_client_get_session (fixture->client), control, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (control), ==, SOUP_STATUS_CREATED);

  tune = create_tune (fixture, title, &error);
  g_assert_null (tune);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_NETWORK);
  g_assert_true (atelier_api_error_may_have_arrived (error));

  /* It was made, once. */
  g_assert_cmpuint (atelier_sandbox_server_count_requests (fixture->server, "POST", "/tunes"), ==, 1);
  g_assert_cmpuint (count_titled (fixture, title), ==, 1);
}

static void
test_timeout (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GPtrArray) tunes = NULL;
  g_autoptr(GError) error = NULL;
  guint timeout = 0;

  /* The session has a real timeout; shorten it for the test. */
  g_object_get (atelier_astria_client_get_session (fixture->client), "timeout", &timeout, NULL);
  g_assert_cmpuint (timeout, >, 0);
  g_object_set (atelier_astria_client_get_session (fixture->client), "timeout", 1, NULL);

  add_fault (fixture, "GET", "/tunes", ATELIER_SANDBOX_FAULT_HANG, 0, NULL, 1);
  tunes = list_tunes (fixture, &error);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_TIMEOUT);
}

static void
test_connection_refused (void)
{
  AtelierSandboxServer *server = atelier_test_server_new ();
  g_autofree char *base_url = atelier_sandbox_server_dup_base_url (server);
  g_autoptr(AtelierAstriaClient) client = atelier_astria_client_new (base_url, "k", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) tunes = NULL;
  g_autoptr(GError) error = NULL;

  atelier_test_server_free (server);

  atelier_astria_client_list_tunes_async (client, 0, NULL, atelier_test_store_result, &result);
  tunes = atelier_astria_client_list_tunes_finish (client, atelier_test_wait_result (&result), &error);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_NETWORK);
}

typedef struct
{
  GCancellable *cancellable;
  goffset       cancelled_at;
  goffset       total;
} CancelMidway;

static void
cancel_midway_cb (goffset  sent,
                  goffset  total,
                  gpointer user_data)
{
  CancelMidway *midway = user_data;

  midway->total = total;
  if (midway->cancelled_at == 0 && sent > total / 3)
    {
      midway->cancelled_at = sent;
      g_cancellable_cancel (midway->cancellable);
    }
}

static void
test_cancel_mid_upload (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(AtelierTuneParams) params = atelier_tune_params_new ();
  g_autofree char *title = atelier_tune_title_with_uuid ("Cancelled");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(AtelierTune) tune = NULL;
  g_autoptr(GError) error = NULL;
  CancelMidway midway = { cancellable, 0, 0 };

  atelier_params_set_string (ATELIER_PARAMS (params), "title", title);
  atelier_params_set_string (ATELIER_PARAMS (params), "name", "man");
  atelier_params_set_string (ATELIER_PARAMS (params), "branch", "fast");
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *name = g_strdup_printf ("big-%u.png", i);
      g_autoptr(GFile) photo = atelier_test_write_image (fixture->photos, name, 1600, 1600, i, "png");

      atelier_tune_params_add_image (params, photo);
    }

  atelier_astria_client_create_tune_async (fixture->client, params, cancel_midway_cb, &midway,
                                           cancellable, atelier_test_store_result, &result);
  tune = atelier_astria_client_create_tune_finish (fixture->client,
                                                   atelier_test_wait_result (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (tune);
  g_assert_cmpint (midway.cancelled_at, >, 0);
  g_assert_cmpint (midway.cancelled_at, <, midway.total);

  /* Nothing was created */
  g_assert_cmpuint (count_titled (fixture, title), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_log_set_writer_func (capture_log_writer, NULL, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/errors/422/field-errors", test_422_field_errors);
  ADD ("/errors/422/server-validation", test_422_real_validation);
  ADD ("/errors/422/logged", test_422_logged);
  ADD ("/errors/401", test_401_not_retried);
  ADD ("/errors/429/backs-off", test_429_backs_off);
  ADD ("/errors/429/gives-up", test_429_gives_up);
  ADD ("/errors/500/backoff", test_500_retried_with_backoff);
  ADD ("/errors/500/gives-up", test_500_gives_up);
  ADD ("/errors/500/countdown-cancel", test_500_countdown_cancel);
  ADD ("/errors/504/not-retried", test_504_not_retried);
  ADD ("/errors/504/tune-found-by-title", test_504_tune_found_by_title);
  ADD ("/errors/504/tune-not-created", test_504_tune_not_created);
  ADD ("/errors/bad-bodies", test_bad_bodies);
  ADD ("/errors/dropped-connection", test_dropped_connection);
  ADD ("/errors/dropped-after-create", test_dropped_after_create);
  ADD ("/errors/timeout", test_timeout);
  ADD ("/errors/cancel-mid-upload", test_cancel_mid_upload);
  g_test_add_func ("/errors/connection-refused", test_connection_refused);

  return g_test_run ();
}
