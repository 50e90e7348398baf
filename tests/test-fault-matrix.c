/* test-fault-matrix.c: every endpoint the app calls × every failure a
 * server, a proxy or the network can give
 *
 * Each case injects one sandbox fault on one endpoint and makes the call
 * through the real client (AtelierAstriaClient, AtelierFalClient) against
 * the real sandbox on real HTTP, then asserts the documented reaction
 * (PRODUCT.md's error policy, NOTES.md, issue 12):
 *   - the error: an ATELIER_API_ERROR code, and a message that is not empty
 *     and holds no HTML, no control characters, no key;
 *   - how often the endpoint was asked (the sandbox's request log): once
 *     for 4xx, 504, timeouts, resets and bad bodies (never retried, 422
 *     above all); more than once for 429 and 500/502/503, each wait
 *     announced by ::retry-scheduled with its delay (the countdown), the
 *     5xx waits doubling from the base delay (a fal submit is the
 *     exception: it may be queued already, so a 5xx is never resent);
 *   - creates make no duplicate: the tunes and prompts in the sandbox's
 *     store afterwards number exactly what the server carried out (one
 *     when the fault came after the work, none when it answered instead);
 *   - size caps: a 200 MB body and an endless one stop at the 32 MiB JSON
 *     cap (ATELIER_API_ERROR_TOO_LARGE);
 *   - redirects: to another host the key is never carried (a recording
 *     server on 127.0.0.2 sees the request without Authorization); to
 *     plain http on a public address nothing is followed (INSECURE_URL);
 *   - no crash, whatever the body (100,000-deep JSON, its depth hidden
 *     behind a single-quoted quote or a comment, HTML, nothing).
 *
 * A mislabelled answer (JSON sent as text/html) is read by its content:
 * Astria and fal only ever answer JSON. Endpoints whose answer the app
 * does not read (deletes, likes, themes) succeed on any 2xx, as NOTES.md
 * has it for themes, unless the body is over the cap.
 *
 * Retry delays are shortened the way test-errors.c does it; the timeout
 * cases use clients whose session times out after 1 s. The fal ones run
 * at once in the background from the start, on a server of their own,
 * while the rest of the matrix runs.
 *
 * Assertions are non-fatal, so that one broken case does not hide the
 * others; the last line reads "fault-matrix: N cases, M held".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atelier-astria-client.h"
#include "atelier-fal-client.h"
#include "atelier-test-utils.h"

/* Astria: 5xx waits 8, 16, 32, 64 ms; 429 waits from 8 / 6 = 1 ms. */
#define ASTRIA_RETRY_BASE_MS   8
#define ASTRIA_SERVER_RETRIES  4
#define ASTRIA_RATE_RETRIES    5
/* fal: 5xx waits from 5 × 2 = 10 ms; 429 from 2 × 2 = 4 ms. */
#define FAL_POLL_MS            2
#define FAL_SERVER_RETRIES     3
#define FAL_RATE_RETRIES       5
#define RETRY_AFTER_S          1
#define ASTRIA_KEY             "sd_matrix_secret"
#define FAL_KEY                "fal_matrix_secret"
#define THEME_PROMPTS          10
#define PACK_PROMPTS           2
#define INSECURE_LOCATION      "http://192.0.2.10/elsewhere"
/* The clients' session's max-conns-per-host (atelier-http.c) */
#define MAX_CONNS_PER_HOST     6

/* {{{ The matrix */

typedef enum
{
  EP_TUNES_LIST,
  EP_TUNE_GET,
  EP_TUNE_CREATE,
  EP_TUNE_DELETE,
  EP_PROMPTS_LIST,
  EP_PROMPTS_LIST_ALL,
  EP_PROMPT_GET,
  EP_PROMPT_CREATE,
  EP_PROMPT_DELETE,
  EP_LIKE_CREATE,
  EP_LIKE_DELETE,
  EP_PACKS,
  EP_GALLERY_PACKS,
  EP_PACK_PROMPTS,
  EP_PACK_TUNE_CREATE,
  EP_PACK_RUN,
  EP_INSPECT,
  EP_THEMES,
  EP_FAL_SUBMIT,
  EP_FAL_STATUS,
  EP_FAL_RESULT,
  EP_FAL_CANCEL,
  N_ENDPOINTS
} EndpointId;

typedef enum
{
  CREATES_NOTHING,
  CREATES_TUNE,       /* one tune, by its unique title */
  CREATES_PROMPT,     /* one prompt, by its unique text */
  CREATES_BATCH,      /* a batch of prompts on a fresh tune */
} Creates;

static const struct
{
  const char *name;
  const char *method;
  gboolean    fal;
  gboolean    reads_body;   /* the answer is parsed */
  gboolean    empty_ok;     /* an empty 2xx answer is a success */
  Creates     creates;
} endpoints[N_ENDPOINTS] = {
  [EP_TUNES_LIST]       = { "tunes-list",        "GET",    FALSE, TRUE,  FALSE, CREATES_NOTHING },
  [EP_TUNE_GET]         = { "tune-get",          "GET",    FALSE, TRUE,  FALSE, CREATES_NOTHING },
  [EP_TUNE_CREATE]      = { "tune-create",       "POST",   FALSE, TRUE,  FALSE, CREATES_TUNE },
  [EP_TUNE_DELETE]      = { "tune-delete",       "DELETE", FALSE, FALSE, TRUE,  CREATES_NOTHING },
  [EP_PROMPTS_LIST]     = { "prompts-list",      "GET",    FALSE, TRUE,  FALSE, CREATES_NOTHING },
  [EP_PROMPTS_LIST_ALL] = { "prompts-list-all",  "GET",    FALSE, TRUE,  FALSE, CREATES_NOTHING },
  [EP_PROMPT_GET]       = { "prompt-get",        "GET",    FALSE, TRUE,  FALSE, CREATES_NOTHING },
  [EP_PROMPT_CREATE]    = { "prompt-create",     "POST",   FALSE, TRUE,  FALSE, CREATES_PROMPT },
  [EP_PROMPT_DELETE]    = { "prompt-delete",     "DELETE", FALSE, FALSE, TRUE,  CREATES_NOTHING },
  [EP_LIKE_CREATE]      = { "like-create",       "POST",   FALSE, FALSE, TRUE,  CREATES_NOTHING },
  [EP_LIKE_DELETE]      = { "like-delete",       "DELETE", FALSE, FALSE, TRUE,  CREATES_NOTHING },
  [EP_PACKS]            = { "packs-list",        "GET",    FALSE, TRUE,  FALSE, CREATES_NOTHING },
  [EP_GALLERY_PACKS]    = { "gallery-packs",     "GET",    FALSE, TRUE,  FALSE, CREATES_NOTHING },
  [EP_PACK_PROMPTS]     = { "pack-prompts",      "GET",    FALSE, TRUE,  FALSE, CREATES_NOTHING },
  [EP_PACK_TUNE_CREATE] = { "pack-tune-create",  "POST",   FALSE, TRUE,  FALSE, CREATES_TUNE },
  [EP_PACK_RUN]         = { "pack-run",          "POST",   FALSE, TRUE,  FALSE, CREATES_BATCH },
  [EP_INSPECT]          = { "images-inspect",    "POST",   FALSE, TRUE,  FALSE, CREATES_NOTHING },
  [EP_THEMES]           = { "themes",            "POST",   FALSE, FALSE, TRUE,  CREATES_BATCH },
  [EP_FAL_SUBMIT]       = { "fal-submit",        "POST",   TRUE,  TRUE,  FALSE, CREATES_NOTHING },
  [EP_FAL_STATUS]       = { "fal-status",        "GET",    TRUE,  TRUE,  FALSE, CREATES_NOTHING },
  [EP_FAL_RESULT]       = { "fal-result",        "GET",    TRUE,  TRUE,  FALSE, CREATES_NOTHING },
  [EP_FAL_CANCEL]       = { "fal-cancel",        "PUT",    TRUE,  TRUE,  TRUE,  CREATES_NOTHING },
};

typedef enum
{
  F_401,
  F_403,
  F_404,
  F_422,
  F_429,
  F_429_RETRY_AFTER,
  F_500,
  F_502,
  F_503,
  F_504,
  F_TIMEOUT,
  F_RESET_MID_BODY,
  F_TRUNCATED_JSON,
  F_INVALID_JSON,
  F_DEEP_JSON,
  F_QUOTED_DEEP_JSON,
  F_COMMENTED_DEEP_JSON,
  F_HUGE_BODY,
  F_ENDLESS_BODY,
  F_WRONG_CONTENT_TYPE,
  F_EMPTY_BODY,
  F_HTML_ERROR,
  F_REDIRECT_OTHER_HOST,
  F_REDIRECT_PLAIN_HTTP,
  F_WORK_THEN_504,
  F_WORK_THEN_DROP,
  N_FAULTS
} FaultId;

static const struct
{
  const char              *name;
  AtelierSandboxFaultKind  kind;
  guint                    status;
  guint                    retry_after_s;
  guint                    times;        /* 0: every request */
  gboolean                 after_work;   /* the server did the work */
} faults[N_FAULTS] = {
  [F_401]                 = { "401", ATELIER_SANDBOX_FAULT_STATUS, 401 },
  [F_403]                 = { "403", ATELIER_SANDBOX_FAULT_STATUS, 403 },
  [F_404]                 = { "404", ATELIER_SANDBOX_FAULT_STATUS, 404 },
  [F_422]                 = { "422", ATELIER_SANDBOX_FAULT_STATUS, 422 },
  [F_429]                 = { "429", ATELIER_SANDBOX_FAULT_STATUS, 429 },
  [F_429_RETRY_AFTER]     = { "429-retry-after", ATELIER_SANDBOX_FAULT_STATUS, 429, RETRY_AFTER_S, 1 },
  [F_500]                 = { "500", ATELIER_SANDBOX_FAULT_STATUS, 500 },
  [F_502]                 = { "502", ATELIER_SANDBOX_FAULT_STATUS, 502 },
  [F_503]                 = { "503", ATELIER_SANDBOX_FAULT_STATUS, 503 },
  [F_504]                 = { "504", ATELIER_SANDBOX_FAULT_STATUS, 504 },
  [F_TIMEOUT]             = { "timeout", ATELIER_SANDBOX_FAULT_HANG },
  [F_RESET_MID_BODY]      = { "reset-mid-body", ATELIER_SANDBOX_FAULT_RESET_MID_BODY, .after_work = TRUE },
  [F_TRUNCATED_JSON]      = { "truncated-json", ATELIER_SANDBOX_FAULT_TRUNCATED_JSON, .after_work = TRUE },
  [F_INVALID_JSON]        = { "invalid-json", ATELIER_SANDBOX_FAULT_INVALID_JSON },
  [F_DEEP_JSON]           = { "deep-json", ATELIER_SANDBOX_FAULT_DEEP_JSON },
  [F_QUOTED_DEEP_JSON]    = { "quote-hidden-depth", ATELIER_SANDBOX_FAULT_QUOTED_DEEP_JSON },
  [F_COMMENTED_DEEP_JSON] = { "comment-hidden-depth", ATELIER_SANDBOX_FAULT_COMMENTED_DEEP_JSON },
  [F_HUGE_BODY]           = { "200mb-body", ATELIER_SANDBOX_FAULT_HUGE_BODY },
  [F_ENDLESS_BODY]        = { "endless-body", ATELIER_SANDBOX_FAULT_ENDLESS_BODY },
  [F_WRONG_CONTENT_TYPE]  = { "wrong-content-type", ATELIER_SANDBOX_FAULT_WRONG_CONTENT_TYPE, .after_work = TRUE },
  [F_EMPTY_BODY]          = { "empty-body", ATELIER_SANDBOX_FAULT_EMPTY_BODY, .after_work = TRUE },
  [F_HTML_ERROR]          = { "html-error-page", ATELIER_SANDBOX_FAULT_HTML_ERROR, 502 },
  [F_REDIRECT_OTHER_HOST] = { "redirect-other-host", ATELIER_SANDBOX_FAULT_REDIRECT, 302 },
  [F_REDIRECT_PLAIN_HTTP] = { "redirect-plain-http", ATELIER_SANDBOX_FAULT_REDIRECT, 302 },
  [F_WORK_THEN_504]       = { "work-then-504", ATELIER_SANDBOX_FAULT_CREATE_THEN_504, .after_work = TRUE },
  [F_WORK_THEN_DROP]      = { "work-then-drop", ATELIER_SANDBOX_FAULT_CREATE_THEN_DROP, .after_work = TRUE },
};

/* Field errors the 422 faults carry, Rails' form and fal's. */
#define ASTRIA_422_BODY "{\"title\": [\"is invalid\"], \"base\": [\"The sandbox refuses this request\"]}"
#define FAL_422_BODY    "{\"detail\": [{\"loc\": [\"body\", \"prompt\"], \"msg\": \"field required\", " \
                        "\"type\": \"value_error.missing\"}]}"

/* }}} */

/* {{{ State shared by the cases */

typedef struct
{
  AtelierSandboxServer *server;
  AtelierAstriaClient  *astria;
  AtelierAstriaClient  *astria_quick;   /* its session times out after 1 s */
  AtelierFalClient     *fal;
  GArray               *retry_delays;   /* guint ms, one per ::retry-scheduled */
  char                 *photos;
  GFile                *photo;
  GBytes               *inspect_image;
  gint64                tune_id;        /* a trained tune, with prompt_id */
  gint64                prompt_id;
  gint64                pack_id;        /* of the user's, PACK_PROMPTS prompts, class man */
  AtelierFalRequest    *fal_done;       /* a completed fal request */
  guint                 serial;

  /* Another host: 127.0.0.2 (127.0.0.1 if that cannot be bound) */
  SoupServer           *foreign;
  char                 *foreign_url;
  guint                 foreign_requests;
  guint                 foreign_with_key;

  /* The fal timeout cases, in the background */
  AtelierSandboxServer *slow_server;
  AtelierFalClient     *slow_fal;
  AtelierFalRequest    *slow_request;
  GAsyncResult         *slow_results[N_ENDPOINTS];

  guint                 n_cases;
  guint                 n_held;
} Matrix;

static Matrix M;

static void
retry_scheduled_cb (GObject      *client,
                    guint         attempt,
                    guint         delay_ms,
                    GError       *reason,
                    GCancellable *cancellable,
                    gpointer      user_data)
{
  g_assert_cmpuint (attempt, ==, M.retry_delays->len + 1);
  g_assert_nonnull (reason);
  g_array_append_val (M.retry_delays, delay_ms);
}

static void
foreign_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  static const char body[] = "{\"error\": \"Unauthorized\"}";
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  M.foreign_requests++;
  if (soup_message_headers_get_one (headers, "Authorization") != NULL)
    M.foreign_with_key++;

  /* What a server without the key answers. */
  soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body, strlen (body));
}

static void
foreign_start (void)
{
  static const char * const hosts[] = { "127.0.0.2", "127.0.0.1" };

  M.foreign = soup_server_new (NULL, NULL);
  soup_server_add_handler (M.foreign, NULL, foreign_cb, NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (hosts) && M.foreign_url == NULL; i++)
    {
      g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string (hosts[i], 0);
      g_autoptr(GError) error = NULL;
      GSList *listeners;

      if (!soup_server_listen (M.foreign, address, 0, &error))
        {
          g_test_message ("Cannot listen on %s: %s", hosts[i], error->message);
          continue;
        }

      listeners = soup_server_get_listeners (M.foreign);
      if (listeners != NULL)
        {
          g_autoptr(GSocketAddress) local = g_socket_get_local_address (listeners->data, NULL);

          M.foreign_url = g_strdup_printf ("http://%s:%u", hosts[i],
                                           g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)));
        }
      g_slist_free (listeners);
    }

  g_assert_nonnull (M.foreign_url);
}

static JsonNode *
face_id_input (const char *prompt)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GBytes) face = atelier_test_make_image (320, 320, 3, "jpeg");
  g_autofree char *data_uri = atelier_fal_data_uri (face, "image/jpeg");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt");
  json_builder_add_string_value (builder, prompt);
  json_builder_set_member_name (builder, "face_image_url");
  json_builder_add_string_value (builder, data_uri);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static AtelierFalRequest *
fal_submit (AtelierFalClient *client)
{
  g_autoptr(JsonNode) input = face_id_input ("ohwx man, fault matrix");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  AtelierFalRequest *request;

  atelier_fal_client_submit_async (client, input, NULL, atelier_test_store_result, &result);
  request = atelier_fal_client_submit_finish (client, atelier_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (request);

  return request;
}

static AtelierFalStatus
fal_status (AtelierFalClient        *client,
            const AtelierFalRequest *request)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  AtelierFalStatus status = ATELIER_FAL_STATUS_IN_QUEUE;

  atelier_fal_client_get_status_async (client, request, NULL, atelier_test_store_result, &result);
  atelier_fal_client_get_status_finish (client, atelier_test_wait_result (&result), &status, NULL, &error);
  g_assert_no_error (error);

  return status;
}

static void start_call (EndpointId           ep,
                        gpointer             target,
                        AtelierAstriaClient *astria,
                        AtelierFalClient    *fal,
                        GAsyncResult       **result);

/* The four fal calls, hanging on a server of their own until the fal
 * client's own timeout. */
static void
slow_start (void)
{
  g_autofree char *base_url = NULL;
  g_autoptr(GError) error = NULL;
  AtelierSandboxFault hang = { .kind = ATELIER_SANDBOX_FAULT_HANG, .path = "/fal-ai/" };

  M.slow_server = atelier_test_server_new ();
  base_url = atelier_sandbox_server_dup_base_url (M.slow_server);
  M.slow_fal = atelier_fal_client_new (base_url, FAL_KEY, &error);
  g_assert_no_error (error);
  g_object_set (atelier_fal_client_get_session (M.slow_fal), "timeout", 1, NULL);
  atelier_fal_client_set_poll_interval_ms (M.slow_fal, FAL_POLL_MS);
  M.slow_request = fal_submit (M.slow_fal);

  atelier_sandbox_server_add_fault (M.slow_server, &hang);
  atelier_sandbox_server_clear_requests (M.slow_server);

  for (EndpointId ep = EP_FAL_SUBMIT; ep <= EP_FAL_CANCEL; ep++)
    start_call (ep, M.slow_request, NULL, M.slow_fal, &M.slow_results[ep]);
}

static void
matrix_set_up (void)
{
  g_autofree char *base_url = NULL;
  g_autoptr(GError) error = NULL;

  M.server = atelier_test_server_new ();
  base_url = atelier_sandbox_server_dup_base_url (M.server);

  M.astria = atelier_astria_client_new (base_url, ASTRIA_KEY, &error);
  g_assert_no_error (error);
  atelier_astria_client_set_retry_base_delay_ms (M.astria, ASTRIA_RETRY_BASE_MS);
  M.astria_quick = atelier_astria_client_new (base_url, ASTRIA_KEY, &error);
  g_assert_no_error (error);
  atelier_astria_client_set_retry_base_delay_ms (M.astria_quick, ASTRIA_RETRY_BASE_MS);
  g_object_set (atelier_astria_client_get_session (M.astria_quick), "timeout", 1, NULL);
  M.fal = atelier_fal_client_new (base_url, FAL_KEY, &error);
  g_assert_no_error (error);
  atelier_fal_client_set_poll_interval_ms (M.fal, FAL_POLL_MS);

  M.retry_delays = g_array_new (FALSE, FALSE, sizeof (guint));
  g_signal_connect (M.astria, "retry-scheduled", G_CALLBACK (retry_scheduled_cb), NULL);
  g_signal_connect (M.astria_quick, "retry-scheduled", G_CALLBACK (retry_scheduled_cb), NULL);
  g_signal_connect (M.fal, "retry-scheduled", G_CALLBACK (retry_scheduled_cb), NULL);

  M.photos = g_dir_make_tmp ("atelier-matrix-XXXXXX", &error);
  g_assert_no_error (error);
  M.photo = atelier_test_write_image (M.photos, "subject.jpg", 600, 600, 1, "jpeg");
  M.inspect_image = atelier_test_make_image (512, 512, 2, "jpeg");

  M.tune_id = atelier_sandbox_server_seed_tune (M.server, "Matrix subject", "man", TRUE);
  M.prompt_id = atelier_sandbox_server_seed_prompt (M.server, M.tune_id, "ohwx man, matrix seed", 1);
  M.pack_id = atelier_sandbox_server_seed_pack (M.server, "Matrix pack", FALSE, "man:100000", PACK_PROMPTS);

  /* A completed fal request for status and result; later ones stay
   * queued, so that they can be cancelled. */
  atelier_sandbox_server_set_fal_delay_ms (M.server, 1);
  M.fal_done = fal_submit (M.fal);
  atelier_test_wait_until (fal_status (M.fal, M.fal_done) == ATELIER_FAL_STATUS_COMPLETED, 5000);
  atelier_sandbox_server_set_fal_delay_ms (M.server, 10 * 60 * 1000);

  foreign_start ();
  slow_start ();
}

static void
matrix_tear_down (void)
{
  atelier_sandbox_server_stop (M.slow_server);
  for (EndpointId ep = EP_FAL_SUBMIT; ep <= EP_FAL_CANCEL; ep++)
    {
      atelier_test_wait_result (&M.slow_results[ep]);
      g_clear_object (&M.slow_results[ep]);
    }
  g_clear_pointer (&M.slow_request, atelier_fal_request_free);
  g_assert_finalize_object (M.slow_fal);
  atelier_test_server_free (M.slow_server);

  g_clear_object (&M.foreign);
  g_free (M.foreign_url);
  g_clear_pointer (&M.fal_done, atelier_fal_request_free);
  g_assert_finalize_object (M.astria);
  g_assert_finalize_object (M.astria_quick);
  g_assert_finalize_object (M.fal);
  atelier_test_server_free (M.server);
  g_array_unref (M.retry_delays);
  g_clear_object (&M.photo);
  g_clear_pointer (&M.inspect_image, g_bytes_unref);
  atelier_test_rm_rf (M.photos);
  g_free (M.photos);
}

/* }}} */

/* {{{ One call of each endpoint */

typedef struct
{
  EndpointId         ep;
  gint64             tune_id;
  gint64             prompt_id;
  char              *unique;     /* the title or text of a create */
  AtelierFalRequest *request;    /* (nullable) */
  char              *path;       /* of the call, as the server logs it */
} Target;

static void
target_clear (Target *t)
{
  g_free (t->unique);
  g_clear_pointer (&t->request, atelier_fal_request_free);
  g_free (t->path);
}

static char *
fal_path (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  g_assert_nonnull (uri);
  return g_strdup (g_uri_get_path (uri));
}

/* Fresh objects where the call changes or counts them. */
static void
target_init (Target     *t,
             EndpointId  ep)
{
  g_autofree char *uuid = NULL;

  memset (t, 0, sizeof *t);
  t->ep = ep;
  t->tune_id = M.tune_id;
  t->prompt_id = M.prompt_id;
  uuid = g_uuid_string_random ();
  t->unique = g_strdup_printf ("Matrix %u %s", ++M.serial, uuid);

  switch (ep)
    {
    case EP_TUNE_DELETE:
    case EP_PACK_RUN:
    case EP_THEMES:
      t->tune_id = atelier_sandbox_server_seed_tune (M.server, t->unique, "man", TRUE);
      break;

    case EP_PROMPT_DELETE:
      t->prompt_id = atelier_sandbox_server_seed_prompt (M.server, t->tune_id, t->unique, 1);
      break;

    case EP_FAL_CANCEL:
      t->request = fal_submit (M.fal);
      break;

    case EP_FAL_STATUS:
    case EP_FAL_RESULT:
      t->request = atelier_fal_request_copy (M.fal_done);
      break;

    default:
      break;
    }

  switch (ep)
    {
    case EP_TUNES_LIST:
    case EP_TUNE_CREATE:
      t->path = g_strdup ("/tunes");
      break;
    case EP_TUNE_GET:
    case EP_TUNE_DELETE:
      t->path = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT, t->tune_id);
      break;
    case EP_PROMPTS_LIST:
    case EP_PROMPT_CREATE:
      t->path = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT "/prompts", t->tune_id);
      break;
    case EP_PROMPTS_LIST_ALL:
      t->path = g_strdup ("/prompts");
      break;
    case EP_PROMPT_GET:
    case EP_PROMPT_DELETE:
      t->path = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT "/prompts/%" G_GINT64_FORMAT,
                                 t->tune_id, t->prompt_id);
      break;
    case EP_LIKE_CREATE:
    case EP_LIKE_DELETE:
      t->path = g_strdup_printf ("/prompts/%" G_GINT64_FORMAT "/likes", t->prompt_id);
      break;
    case EP_PACKS:
      t->path = g_strdup ("/packs");
      break;
    case EP_GALLERY_PACKS:
      t->path = g_strdup ("/gallery/packs");
      break;
    case EP_PACK_PROMPTS:
      t->path = g_strdup_printf ("/packs/%" G_GINT64_FORMAT "/prompts", M.pack_id);
      break;
    case EP_PACK_TUNE_CREATE:
    case EP_PACK_RUN:
      t->path = g_strdup_printf ("/p/%" G_GINT64_FORMAT "/tunes", M.pack_id);
      break;
    case EP_INSPECT:
      t->path = g_strdup ("/images/inspect");
      break;
    case EP_THEMES:
      t->path = g_strdup ("/themes");
      break;
    case EP_FAL_SUBMIT:
      t->path = g_strdup ("/" ATELIER_FAL_FACE_ID_APP);
      break;
    case EP_FAL_STATUS:
      t->path = fal_path (t->request->status_url);
      break;
    case EP_FAL_RESULT:
      t->path = fal_path (t->request->response_url);
      break;
    case EP_FAL_CANCEL:
      t->path = fal_path (t->request->cancel_url);
      break;
    case N_ENDPOINTS:
    default:
      g_assert_not_reached ();
    }
}

static AtelierTuneParams *
tune_params (const char *title)
{
  AtelierTuneParams *params = atelier_tune_params_new ();

  atelier_params_set_string (ATELIER_PARAMS (params), "title", title);
  atelier_params_set_string (ATELIER_PARAMS (params), "name", "man");
  atelier_params_set_string (ATELIER_PARAMS (params), "branch", "fast");
  atelier_tune_params_add_image (params, M.photo);

  return params;
}

/* @target is a Target, or the fal request for the background calls. */
static void
start_call (EndpointId           ep,
            gpointer             target,
            AtelierAstriaClient *astria,
            AtelierFalClient    *fal,
            GAsyncResult       **result)
{
  Target *t = target;

  switch (ep)
    {
    case EP_TUNES_LIST:
      atelier_astria_client_list_tunes_async (astria, 0, NULL, atelier_test_store_result, result);
      break;
    case EP_TUNE_GET:
      atelier_astria_client_get_tune_async (astria, t->tune_id, NULL, atelier_test_store_result, result);
      break;
    case EP_TUNE_CREATE:
      {
        g_autoptr(AtelierTuneParams) params = tune_params (t->unique);

        atelier_astria_client_create_tune_async (astria, params, NULL, NULL, NULL,
                                                 atelier_test_store_result, result);
      }
      break;
    case EP_TUNE_DELETE:
      atelier_astria_client_delete_tune_async (astria, t->tune_id, NULL, atelier_test_store_result, result);
      break;
    case EP_PROMPTS_LIST:
      atelier_astria_client_list_prompts_async (astria, t->tune_id, 0, NULL, atelier_test_store_result, result);
      break;
    case EP_PROMPTS_LIST_ALL:
      atelier_astria_client_list_prompts_async (astria, 0, 0, NULL, atelier_test_store_result, result);
      break;
    case EP_PROMPT_GET:
      atelier_astria_client_get_prompt_async (astria, t->tune_id, t->prompt_id, NULL,
                                              atelier_test_store_result, result);
      break;
    case EP_PROMPT_CREATE:
      {
        g_autoptr(AtelierPromptParams) params = atelier_prompt_params_new ();

        atelier_params_set_string (ATELIER_PARAMS (params), "text", t->unique);
        atelier_astria_client_create_prompt_async (astria, t->tune_id, params, NULL, NULL, NULL,
                                                   atelier_test_store_result, result);
      }
      break;
    case EP_PROMPT_DELETE:
      atelier_astria_client_delete_prompt_async (astria, t->tune_id, t->prompt_id, NULL,
                                                 atelier_test_store_result, result);
      break;
    case EP_LIKE_CREATE:
    case EP_LIKE_DELETE:
      atelier_astria_client_like_prompt_async (astria, t->prompt_id, ep == EP_LIKE_CREATE, NULL,
                                               atelier_test_store_result, result);
      break;
    case EP_PACKS:
    case EP_GALLERY_PACKS:
      atelier_astria_client_list_packs_async (astria, ep == EP_GALLERY_PACKS, NULL,
                                              atelier_test_store_result, result);
      break;
    case EP_PACK_PROMPTS:
      atelier_astria_client_list_pack_prompts_async (astria, M.pack_id, NULL, atelier_test_store_result, result);
      break;
    case EP_PACK_TUNE_CREATE:
      {
        g_autoptr(AtelierTuneParams) params = tune_params (t->unique);

        atelier_astria_client_create_pack_tune_async (astria, M.pack_id, params, NULL, NULL, NULL,
                                                      atelier_test_store_result, result);
      }
      break;
    case EP_PACK_RUN:
      atelier_astria_client_run_pack_async (astria, M.pack_id, &t->tune_id, 1, NULL,
                                            atelier_test_store_result, result);
      break;
    case EP_INSPECT:
      atelier_astria_client_inspect_image_async (astria, "man", M.inspect_image, "face.jpg", NULL,
                                                 NULL, NULL, NULL, atelier_test_store_result, result);
      break;
    case EP_THEMES:
      atelier_astria_client_create_theme_async (astria, "Corporate headshots", &t->tune_id, 1, NULL,
                                                NULL, atelier_test_store_result, result);
      break;
    case EP_FAL_SUBMIT:
      {
        g_autoptr(JsonNode) input = face_id_input ("ohwx man, fault matrix");

        atelier_fal_client_submit_async (fal, input, NULL, atelier_test_store_result, result);
      }
      break;
    case EP_FAL_STATUS:
    case EP_FAL_RESULT:
    case EP_FAL_CANCEL:
      {
        AtelierFalRequest *request = astria == NULL ? target : t->request;

        if (ep == EP_FAL_STATUS)
          atelier_fal_client_poll_status_async (fal, request, NULL, atelier_test_store_result, result);
        else if (ep == EP_FAL_RESULT)
          atelier_fal_client_get_result_async (fal, request, NULL, atelier_test_store_result, result);
        else
          atelier_fal_client_cancel_async (fal, request, NULL, atelier_test_store_result, result);
      }
      break;
    case N_ENDPOINTS:
    default:
      g_assert_not_reached ();
    }
}

/* TRUE on success, with what came back checked against @t (NULL: the
 * background calls, which never succeed). */
static gboolean
finish_call (EndpointId            ep,
             Target               *t,
             AtelierAstriaClient  *astria,
             AtelierFalClient     *fal,
             GAsyncResult         *result,
             GError              **error)
{
  switch (ep)
    {
    case EP_TUNES_LIST:
      {
        g_autoptr(GPtrArray) tunes = atelier_astria_client_list_tunes_finish (astria, result, error);

        if (tunes != NULL)
          g_assert_cmpuint (tunes->len, >, 0);
        return tunes != NULL;
      }
    case EP_TUNE_GET:
    case EP_TUNE_CREATE:
    case EP_PACK_TUNE_CREATE:
      {
        g_autoptr(AtelierTune) tune = NULL;

        if (ep == EP_TUNE_GET)
          tune = atelier_astria_client_get_tune_finish (astria, result, error);
        else if (ep == EP_TUNE_CREATE)
          tune = atelier_astria_client_create_tune_finish (astria, result, error);
        else
          tune = atelier_astria_client_create_pack_tune_finish (astria, result, error);

        if (tune != NULL && ep == EP_TUNE_GET)
          g_assert_cmpint (atelier_tune_get_id (tune), ==, t->tune_id);
        else if (tune != NULL)
          g_assert_cmpstr (atelier_tune_get_title (tune), ==, t->unique);
        return tune != NULL;
      }
    case EP_TUNE_DELETE:
      return atelier_astria_client_delete_tune_finish (astria, result, error);
    case EP_PROMPTS_LIST:
    case EP_PROMPTS_LIST_ALL:
    case EP_PACK_PROMPTS:
      {
        g_autoptr(GPtrArray) prompts = NULL;

        if (ep == EP_PACK_PROMPTS)
          prompts = atelier_astria_client_list_pack_prompts_finish (astria, result, error);
        else
          prompts = atelier_astria_client_list_prompts_finish (astria, result, error);
        if (prompts != NULL)
          g_assert_cmpuint (prompts->len, >, 0);
        return prompts != NULL;
      }
    case EP_PROMPT_GET:
    case EP_PROMPT_CREATE:
      {
        g_autoptr(AtelierPrompt) prompt = NULL;

        if (ep == EP_PROMPT_GET)
          prompt = atelier_astria_client_get_prompt_finish (astria, result, error);
        else
          prompt = atelier_astria_client_create_prompt_finish (astria, result, error);

        if (prompt != NULL && ep == EP_PROMPT_GET)
          g_assert_cmpint (atelier_prompt_get_id (prompt), ==, t->prompt_id);
        else if (prompt != NULL)
          g_assert_cmpstr (atelier_prompt_get_text (prompt), ==, t->unique);
        return prompt != NULL;
      }
    case EP_PROMPT_DELETE:
      return atelier_astria_client_delete_prompt_finish (astria, result, error);
    case EP_LIKE_CREATE:
    case EP_LIKE_DELETE:
      return atelier_astria_client_like_prompt_finish (astria, result, error);
    case EP_PACKS:
    case EP_GALLERY_PACKS:
      {
        g_autoptr(GPtrArray) packs = atelier_astria_client_list_packs_finish (astria, result, error);

        if (packs != NULL)
          g_assert_cmpuint (packs->len, >, 0);
        return packs != NULL;
      }
    case EP_PACK_RUN:
      {
        g_autoptr(GPtrArray) tunes = atelier_astria_client_run_pack_finish (astria, result, error);

        return tunes != NULL;
      }
    case EP_INSPECT:
      {
        g_autoptr(AtelierInspection) inspection = atelier_astria_client_inspect_image_finish (astria, result, error);

        return inspection != NULL;
      }
    case EP_THEMES:
      return atelier_astria_client_create_theme_finish (astria, result, error);
    case EP_FAL_SUBMIT:
      {
        g_autoptr(AtelierFalRequest) request = atelier_fal_client_submit_finish (fal, result, error);

        if (request != NULL)
          g_assert_nonnull (request->request_id);
        return request != NULL;
      }
    case EP_FAL_STATUS:
      {
        g_autoptr(AtelierFalStatusInfo) info = atelier_fal_client_poll_status_finish (fal, result, error);

        if (info != NULL)
          g_assert_cmpint (info->status, ==, ATELIER_FAL_STATUS_COMPLETED);
        return info != NULL;
      }
    case EP_FAL_RESULT:
      {
        g_autoptr(AtelierFalResult) fal_result = atelier_fal_client_get_result_finish (fal, result, error);

        if (fal_result != NULL)
          g_assert_nonnull (fal_result->image_url);
        return fal_result != NULL;
      }
    case EP_FAL_CANCEL:
      return atelier_fal_client_cancel_finish (fal, result, error);
    case N_ENDPOINTS:
    default:
      g_assert_not_reached ();
    }

  return FALSE;
}

/* }}} */

/* {{{ The documented reaction */

typedef struct
{
  gboolean        success;
  gint            code;           /* an AtelierApiError */
  guint           requests;       /* to the endpoint, at least */
  guint           requests_max;   /* and at most (0: exactly requests) */
  guint           retries;        /* ::retry-scheduled emissions, exactly */
  guint           first_delay_ms; /* of the first retry; 0: not checked */
  gboolean        doubling;       /* each wait twice the one before */
  gboolean        growing;        /* each wait at least the one before */
  gboolean        work_done;      /* the server carried the call out */
} Expect;

static Expect
expect_for (FaultId    fault,
            EndpointId ep)
{
  gboolean fal = endpoints[ep].fal;
  gboolean post = g_str_equal (endpoints[ep].method, "POST");
  guint server_retries = fal ? (post ? 0 : FAL_SERVER_RETRIES) : ASTRIA_SERVER_RETRIES;
  guint server_base_ms = fal ? FAL_POLL_MS * 5 : ASTRIA_RETRY_BASE_MS;
  guint rate_retries = fal ? FAL_RATE_RETRIES : ASTRIA_RATE_RETRIES;
  gboolean bad_body = endpoints[ep].reads_body;
  Expect e = { .requests = 1, .work_done = faults[fault].after_work };

  switch (fault)
    {
    case F_401:
    case F_403:
      e.code = ATELIER_API_ERROR_UNAUTHORIZED;
      break;

    case F_REDIRECT_OTHER_HOST:   /* the other host answers 401: no key reached it, and
                                   * the message does not blame our key */
      e.code = ATELIER_API_ERROR_HTTP;
      break;

    case F_404:
      e.code = ATELIER_API_ERROR_NOT_FOUND;
      break;

    case F_422:
      e.code = ATELIER_API_ERROR_INVALID;
      break;

    case F_429:
      e.code = ATELIER_API_ERROR_RATE_LIMITED;
      e.requests = 1 + rate_retries;
      e.retries = rate_retries;
      e.growing = TRUE;
      break;

    case F_429_RETRY_AFTER:
      e.success = TRUE;
      e.requests = 2;
      e.retries = 1;
      e.first_delay_ms = RETRY_AFTER_S * 1000;
      e.work_done = TRUE;
      break;

    case F_500:
    case F_502:
    case F_503:
    case F_HTML_ERROR:
      e.code = ATELIER_API_ERROR_SERVER;
      e.requests = 1 + server_retries;
      e.retries = server_retries;
      e.first_delay_ms = server_retries > 0 ? server_base_ms : 0;
      e.doubling = TRUE;
      break;

    case F_504:
      e.code = ATELIER_API_ERROR_GATEWAY_TIMEOUT;
      break;

    case F_TIMEOUT:
      e.code = ATELIER_API_ERROR_TIMEOUT;
      break;

    case F_RESET_MID_BODY:
      e.code = ATELIER_API_ERROR_NETWORK;
      break;

    case F_WORK_THEN_DROP:
      e.code = ATELIER_API_ERROR_NETWORK;
      /* libsoup sends an idempotent request (GET, PUT, DELETE) again when
       * a reused keep-alive connection closes before any answer, once per
       * such connection (RFC 9112 §9.3.1); never a POST, and never with
       * a wait announced. */
      if (!post)
        e.requests_max = 1 + MAX_CONNS_PER_HOST;
      break;

    case F_TRUNCATED_JSON:
    case F_INVALID_JSON:
    case F_DEEP_JSON:
    case F_QUOTED_DEEP_JSON:
    case F_COMMENTED_DEEP_JSON:
      e.success = !bad_body;
      e.code = ATELIER_API_ERROR_PARSE;
      break;

    case F_HUGE_BODY:
    case F_ENDLESS_BODY:
      e.code = ATELIER_API_ERROR_TOO_LARGE;
      break;

    case F_WRONG_CONTENT_TYPE:
      e.success = TRUE;
      break;

    case F_EMPTY_BODY:
      e.success = endpoints[ep].empty_ok;
      e.code = ATELIER_API_ERROR_PARSE;
      break;

    case F_REDIRECT_PLAIN_HTTP:
      e.code = ATELIER_API_ERROR_INSECURE_URL;
      break;

    case F_WORK_THEN_504:
      /* A tune create looks the tune up by its unique title and finds it. */
      e.success = endpoints[ep].creates == CREATES_TUNE;
      e.code = ATELIER_API_ERROR_GATEWAY_TIMEOUT;
      break;

    case N_FAULTS:
    default:
      g_assert_not_reached ();
    }

  return e;
}

/* The key, HTML or binary never reach the user. */
static void
assert_clear_message (const GError *error)
{
  const char *message = error->message;
  g_autofree char *lower = NULL;

  g_assert_nonnull (message);
  if (message == NULL)
    return;

  g_test_message ("  message: %s", message);
  g_assert_cmpuint (strlen (message), >, 0);
  g_assert_true (g_utf8_validate (message, -1, NULL));
  for (const char *c = message; *c != '\0'; c++)
    {
      if ((guchar) *c < 0x20 && *c != '\n')
        g_test_fail_printf ("Control character %#x in the message", (guchar) *c);
    }

  lower = g_ascii_strdown (message, -1);
  g_assert_null (strchr (lower, '<'));
  g_assert_null (strstr (lower, "html"));
  g_assert_null (strstr (message, ASTRIA_KEY));
  g_assert_null (strstr (message, FAL_KEY));
}

static guint
count_requests (AtelierSandboxServer *server,
                const char           *method,
                const char           *path)
{
  g_autoptr(GPtrArray) requests = atelier_sandbox_server_dup_requests (server);
  guint count = 0;

  for (guint i = 0; i < requests->len; i++)
    {
      AtelierSandboxRequest *request = g_ptr_array_index (requests, i);

      if (g_str_equal (atelier_sandbox_request_get_method (request), method) &&
          g_str_equal (atelier_sandbox_request_get_path (request), path))
        count++;
    }

  return count;
}

/* Tunes titled @title, over every page. */
static guint
count_tunes (const char *title)
{
  guint count = 0;

  for (guint offset = 0;; offset += ATELIER_PAGE_SIZE)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) tunes = NULL;
      g_autoptr(GError) error = NULL;

      atelier_astria_client_list_tunes_async (M.astria, offset, NULL, atelier_test_store_result, &result);
      tunes = atelier_astria_client_list_tunes_finish (M.astria, atelier_test_wait_result (&result), &error);
      g_assert_no_error (error);
      if (tunes == NULL)
        return G_MAXUINT;

      for (guint i = 0; i < tunes->len; i++)
        count += g_strcmp0 (atelier_tune_get_title (g_ptr_array_index (tunes, i)), title) == 0;
      if (tunes->len < ATELIER_PAGE_SIZE)
        return count;
    }
}

/* Prompts of @tune_id (with @text, or all), over every page. */
static guint
count_prompts (gint64      tune_id,
               const char *text)
{
  guint count = 0;

  for (guint offset = 0;; offset += ATELIER_PAGE_SIZE)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) prompts = NULL;
      g_autoptr(GError) error = NULL;

      atelier_astria_client_list_prompts_async (M.astria, tune_id, offset, NULL, atelier_test_store_result, &result);
      prompts = atelier_astria_client_list_prompts_finish (M.astria, atelier_test_wait_result (&result), &error);
      g_assert_no_error (error);
      if (prompts == NULL)
        return G_MAXUINT;

      for (guint i = 0; i < prompts->len; i++)
        count += text == NULL || g_strcmp0 (atelier_prompt_get_text (g_ptr_array_index (prompts, i)), text) == 0;
      if (prompts->len < ATELIER_PAGE_SIZE)
        return count;
    }
}

/* No duplicate: exactly what the server carried out, once. */
static void
assert_created (EndpointId    ep,
                const Target *t,
                const Expect *e)
{
  guint batch = ep == EP_THEMES ? THEME_PROMPTS : PACK_PROMPTS;

  switch (endpoints[ep].creates)
    {
    case CREATES_TUNE:
      g_assert_cmpuint (count_tunes (t->unique), ==, e->work_done ? 1 : 0);
      break;

    case CREATES_PROMPT:
      g_assert_cmpuint (count_prompts (t->tune_id, t->unique), ==, e->work_done ? 1 : 0);
      break;

    case CREATES_BATCH:
      g_assert_cmpuint (count_prompts (t->tune_id, NULL), ==, e->work_done ? batch : 0);
      break;

    case CREATES_NOTHING:
    default:
      break;
    }
}

static void
assert_retries (const Expect *e)
{
  guint *delays = (guint *) (gpointer) M.retry_delays->data;

  g_assert_cmpuint (M.retry_delays->len, ==, e->retries);
  if (M.retry_delays->len == 0)
    return;

  /* The countdown: each wait announced with its length. */
  g_test_message ("  waits announced: %u, the first %u ms", M.retry_delays->len, delays[0]);
  if (e->first_delay_ms > 0)
    g_assert_cmpuint (delays[0], ==, e->first_delay_ms);
  for (guint i = 0; i < M.retry_delays->len; i++)
    {
      g_assert_cmpuint (delays[i], >, 0);
      if (i > 0 && e->doubling)
        g_assert_cmpuint (delays[i], ==, 2 * delays[i - 1]);
      if (i > 0 && e->growing)
        g_assert_cmpuint (delays[i], >=, delays[i - 1]);
    }
}

/* }}} */

/* {{{ A case */

typedef struct
{
  EndpointId ep;
  FaultId    fault;
} Case;

static void
add_fault (FaultId       fault,
           const Target *t)
{
  g_autofree char *location = NULL;
  AtelierSandboxFault f = {
    .method = endpoints[t->ep].method,
    .path = t->path,
    .kind = faults[fault].kind,
    .status = faults[fault].status,
    .retry_after_s = faults[fault].retry_after_s,
    .times = faults[fault].times,
  };

  if (fault == F_422)
    f.body = endpoints[t->ep].fal ? FAL_422_BODY : ASTRIA_422_BODY;
  else if (fault == F_REDIRECT_OTHER_HOST)
    f.body = location = g_strconcat (M.foreign_url, t->path, NULL);
  else if (fault == F_REDIRECT_PLAIN_HTTP)
    f.body = INSECURE_LOCATION;

  atelier_sandbox_server_add_fault (M.server, &f);
}

static void
check_reaction (const Case   *c,
                const Target *t,
                gboolean      ok,
                const GError *error,
                guint         requests)
{
  Expect e = expect_for (c->fault, c->ep);

  if (e.success)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  else
    {
      g_assert_false (ok);
      g_assert_error (error, ATELIER_API_ERROR, e.code);
      if (error != NULL)
        assert_clear_message (error);
    }

  if (e.requests_max > 0)
    {
      g_assert_cmpuint (requests, >=, e.requests);
      g_assert_cmpuint (requests, <=, e.requests_max);
    }
  else
    {
      g_assert_cmpuint (requests, ==, e.requests);
    }
  assert_retries (&e);

  if (c->fault == F_422 && error != NULL)
    {
      g_autoptr(GPtrArray) fields = atelier_api_error_get_field_errors (error);
      const char *field = endpoints[c->ep].fal ? "prompt" : "title";
      gboolean found = FALSE;

      g_assert_false (atelier_api_error_is_retryable (error));
      for (guint i = 0; fields != NULL && i < fields->len; i++)
        found |= g_str_equal (((AtelierFieldError *) g_ptr_array_index (fields, i))->field, field);
      g_assert_true (found);
    }

  if (c->fault == F_REDIRECT_OTHER_HOST)
    {
      /* Followed, without the key; the message names the other address,
       * not our key. */
      g_assert_cmpuint (M.foreign_requests, ==, 1);
      g_assert_cmpuint (M.foreign_with_key, ==, 0);
      if (error != NULL)
        {
          g_assert_nonnull (strstr (error->message, "127.0.0.2"));
          g_assert_null (strstr (error->message, "key"));
        }
    }
  else
    {
      g_assert_cmpuint (M.foreign_requests, ==, 0);
    }

  atelier_sandbox_server_clear_faults (M.server);
  assert_created (c->ep, t, &e);
}

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  AtelierAstriaClient *astria = c->fault == F_TIMEOUT ? M.astria_quick : M.astria;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Target t;
  gboolean ok;

  M.n_cases++;

  target_init (&t, c->ep);
  atelier_sandbox_server_clear_faults (M.server);
  atelier_sandbox_server_clear_requests (M.server);
  g_array_set_size (M.retry_delays, 0);
  M.foreign_requests = M.foreign_with_key = 0;

  add_fault (c->fault, &t);
  start_call (c->ep, &t, astria, M.fal, &result);
  ok = finish_call (c->ep, &t, astria, M.fal, atelier_test_wait_result (&result), &error);

  check_reaction (c, &t, ok, error, count_requests (M.server, endpoints[c->ep].method, t.path));

  target_clear (&t);

  if (!g_test_failed ())
    M.n_held++;
}

/* The fal calls that waited on the slow server since the start. */
static void
test_fal_timeout (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  gboolean ok;
  Expect e = expect_for (F_TIMEOUT, c->ep);

  M.n_cases++;

  ok = finish_call (c->ep, NULL, NULL, M.slow_fal, atelier_test_wait_result (&M.slow_results[c->ep]), &error);
  g_assert_false (ok);
  g_assert_error (error, ATELIER_API_ERROR, e.code);
  if (error != NULL)
    assert_clear_message (error);

  switch (c->ep)
    {
    case EP_FAL_SUBMIT:
      path = g_strdup ("/" ATELIER_FAL_FACE_ID_APP);
      break;
    case EP_FAL_STATUS:
      path = fal_path (M.slow_request->status_url);
      break;
    case EP_FAL_RESULT:
      path = fal_path (M.slow_request->response_url);
      break;
    case EP_FAL_CANCEL:
    default:
      path = fal_path (M.slow_request->cancel_url);
      break;
    }
  g_assert_cmpuint (count_requests (M.slow_server, endpoints[c->ep].method, path), ==, e.requests);

  if (!g_test_failed ())
    M.n_held++;
}

/* The new kinds by their names in POST /__sandbox/faults. */
static void
test_fault_names (void)
{
  static const char * const names[] = {
    "huge_body", "endless_body", "wrong_content_type", "empty_body", "html_error", "redirect",
    "reset_mid_body", "quoted_deep_json", "commented_deep_json",
  };
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *base_url = atelier_sandbox_server_dup_base_url (M.server);
  g_autofree char *url = g_strconcat (base_url, "/__sandbox/faults", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names) + 1; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"kind\": \"%s\", \"path\": \"/nowhere\", \"times\": 1}",
                                               i < G_N_ELEMENTS (names) ? names[i] : "no_such_kind");
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
      g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));
      g_autoptr(GBytes) answer = NULL;
      g_autoptr(GError) error = NULL;

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", "Bearer " ASTRIA_KEY);
      soup_message_set_request_body_from_bytes (msg, "application/json", body);
      answer = soup_session_send_and_read (session, msg, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (soup_message_get_status (msg), ==, i < G_N_ELEMENTS (names) ? 201 : 422);
    }

  atelier_sandbox_server_clear_faults (M.server);
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  g_autofree Case *cases = g_new0 (Case, N_ENDPOINTS * N_FAULTS);
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_set_nonfatal_assertions ();

  for (EndpointId ep = 0; ep < N_ENDPOINTS; ep++)
    {
      for (FaultId fault = 0; fault < N_FAULTS; fault++)
        {
          Case *c = &cases[ep * N_FAULTS + fault];
          g_autofree char *path = g_strdup_printf ("/fault-matrix/%s/%s", endpoints[ep].name, faults[fault].name);

          c->ep = ep;
          c->fault = fault;
          if (fault == F_TIMEOUT && endpoints[ep].fal)
            g_test_add_data_func (path, c, test_fal_timeout);
          else
            g_test_add_data_func (path, c, test_case);
        }
    }

  g_test_add_func ("/sandbox-faults/json-names", test_fault_names);

  matrix_set_up ();
  status = g_test_run ();
  matrix_tear_down ();

  printf ("# fault-matrix: %u cases, %u held\n", M.n_cases, M.n_held);

  return status;
}
