/* test-pager-poller.c: paging and polling against the sandbox over HTTP
 *
 * AtelierPager: pages from an offset, items listed twice (added between
 * two pages) handed over once, local additions and removals shifting the
 * offset, a failed page asked for again. AtelierPoller: delays that double
 * up to the cap, a 429 that pauses every poll until Retry-After has
 * passed and is then retried once, polling that stops when nothing is
 * unfinished or the owner is out of sight, a 404.
 *
 * Timing is never measured: delays are read back, and what must not
 * happen is checked once nothing is scheduled any more.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-pager.h"
#include "atelier-poller.h"
#include "atelier-test-utils.h"

#define WAIT_MS 20000
#define N_SEEDED 45

typedef struct
{
  AtelierSandboxServer *server;
  AtelierAstriaClient  *client;

  /* what the pager handed over */
  GPtrArray            *items;     /* AtelierTune, fresh ones in order */
  GArray               *repeats;   /* gint64 ids listed again */
  guint                 n_pages;
  guint                 n_first;
  guint                 n_failed;

  /* what the poller answered */
  GArray               *delays;    /* guint: the delay waited before each answer */
  GArray               *answered;  /* gint64: the ids answered, in order */
  guint                 n_answered;
  guint                 n_finished;
  GArray               *gone;      /* gint64 */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;

  f->server = atelier_test_server_new ();
  url = atelier_sandbox_server_dup_base_url (f->server);
  f->client = atelier_astria_client_new (url, "test-key", &error);
  g_assert_no_error (error);
  /* Retries after a 5xx or 429 in milliseconds, not seconds. */
  atelier_astria_client_set_retry_base_delay_ms (f->client, 60);

  f->items = g_ptr_array_new_with_free_func (g_object_unref);
  f->repeats = g_array_new (FALSE, FALSE, sizeof (gint64));
  f->delays = g_array_new (FALSE, FALSE, sizeof (guint));
  f->answered = g_array_new (FALSE, FALSE, sizeof (gint64));
  f->gone = g_array_new (FALSE, FALSE, sizeof (gint64));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_ptr_array_unref (f->items);
  g_array_unref (f->repeats);
  g_array_unref (f->delays);
  g_array_unref (f->answered);
  g_array_unref (f->gone);
  /* Cancelled calls hold the client until their callbacks have run. */
  atelier_test_wait_until (G_OBJECT (f->client)->ref_count == 1, WAIT_MS);
  g_assert_finalize_object (f->client);
  atelier_test_server_free (f->server);
}

/* Runs what is ready now: idles, answers already in. */
static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* {{{ Pager */

static void
fetch_tunes (AtelierAstriaClient *client,
             guint                offset,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             callback_data,
             gpointer             user_data)
{
  atelier_astria_client_list_tunes_async (client, offset, cancellable, callback, callback_data);
}

static void
page_cb (AtelierPager *pager,
         GPtrArray    *page,
         GPtrArray    *fresh,
         gboolean      first,
         Fixture      *f)
{
  f->n_pages++;
  f->n_first += first;

  for (guint i = 0, j = 0; i < page->len; i++)
    {
      AtelierTune *tune = g_ptr_array_index (page, i);

      if (j < fresh->len && g_ptr_array_index (fresh, j) == tune)
        {
          g_ptr_array_add (f->items, g_object_ref (tune));
          j++;
        }
      else
        {
          gint64 id = atelier_tune_get_id (tune);
          g_array_append_val (f->repeats, id);
        }
    }
}

static void
failed_cb (AtelierPager *pager,
           GError       *error,
           Fixture      *f)
{
  g_assert_nonnull (error);
  f->n_failed++;
}

static AtelierPager *
new_pager (Fixture *f)
{
  AtelierPager *pager = atelier_pager_new (fetch_tunes, atelier_astria_client_list_tunes_finish,
                                           (AtelierPagerIdFunc) atelier_tune_get_id, f);

  atelier_pager_set_client (pager, f->client);
  g_signal_connect (pager, "page", G_CALLBACK (page_cb), f);
  g_signal_connect (pager, "failed", G_CALLBACK (failed_cb), f);

  return pager;
}

static void
forget_pages (Fixture *f)
{
  g_ptr_array_set_size (f->items, 0);
  g_array_set_size (f->repeats, 0);
  f->n_pages = f->n_first = f->n_failed = 0;
}

static void
wait_page (AtelierPager *pager)
{
  atelier_test_wait_until (!atelier_pager_get_loading (pager), WAIT_MS);
}

static void
load_all (AtelierPager *pager)
{
  while (atelier_pager_get_has_more (pager))
    {
      atelier_pager_load_more (pager);
      g_assert_true (atelier_pager_get_loading (pager));
      wait_page (pager);
    }
}

static gboolean
all_distinct (GPtrArray *tunes)
{
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  for (guint i = 0; i < tunes->len; i++)
    {
      gint64 id = atelier_tune_get_id (g_ptr_array_index (tunes, i));

      if (!g_hash_table_add (ids, g_memdup2 (&id, sizeof id)))
        return FALSE;
    }

  return TRUE;
}

static void
seed_tunes (Fixture *f)
{
  for (guint i = 1; i <= N_SEEDED; i++)
    {
      g_autofree char *title = g_strdup_printf ("Seeded %02u", i);
      atelier_sandbox_server_seed_tune (f->server, title, "man", TRUE);
    }
}

/* Every tune the service lists, once. */
static guint
count_tunes (Fixture *f)
{
  g_autoptr(AtelierPager) pager = new_pager (f);
  guint n;

  forget_pages (f);
  atelier_pager_reload (pager);
  wait_page (pager);
  load_all (pager);
  g_assert_cmpuint (f->repeats->len, ==, 0);
  g_assert_true (all_distinct (f->items));
  n = f->items->len;
  forget_pages (f);

  return n;
}

/* A tune created between two pages moves every later one down: the next
 * page starts with one already handed over, which comes as a repeat. */
static void
test_pager_added_between_pages (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(AtelierPager) pager = NULL;
  AtelierTune *last_of_first;
  guint n;

  seed_tunes (f);
  n = count_tunes (f);
  g_assert_cmpuint (n, >=, N_SEEDED);
  pager = new_pager (f);

  /* Nothing before the first reload. */
  g_assert_false (atelier_pager_get_has_more (pager));
  atelier_pager_load_more (pager);
  g_assert_false (atelier_pager_get_loading (pager));

  atelier_pager_reload (pager);
  g_assert_true (atelier_pager_get_loading (pager));
  wait_page (pager);
  g_assert_true (atelier_pager_get_loaded (pager));
  g_assert_true (atelier_pager_get_has_more (pager));
  g_assert_cmpuint (f->items->len, ==, ATELIER_PAGE_SIZE);
  g_assert_cmpuint (atelier_pager_get_offset (pager), ==, ATELIER_PAGE_SIZE);
  last_of_first = g_ptr_array_index (f->items, ATELIER_PAGE_SIZE - 1);

  atelier_sandbox_server_seed_tune (f->server, "Latecomer", "woman", TRUE);

  load_all (pager);
  g_assert_cmpuint (f->repeats->len, ==, 1);
  g_assert_cmpint (g_array_index (f->repeats, gint64, 0), ==, atelier_tune_get_id (last_of_first));
  g_assert_cmpuint (f->items->len, ==, n);
  g_assert_true (all_distinct (f->items));
  g_assert_cmpuint (f->n_first, ==, 1);
  /* The last page is the first one shorter than a page. */
  g_assert_cmpuint (f->n_pages, ==, (n + 1) / ATELIER_PAGE_SIZE + 1);

  /* A reload starts over and sees the newcomer. */
  forget_pages (f);
  atelier_pager_reload (pager);
  wait_page (pager);
  g_assert_cmpuint (f->n_first, ==, 1);
  g_assert_cmpuint (f->repeats->len, ==, 0);
  g_assert_cmpstr (atelier_tune_get_title (g_ptr_array_index (f->items, 0)), ==, "Latecomer");
}

/* A tune created here and noted moves the offset: no repeat, no gap. */
static void
test_pager_note_added (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(AtelierPager) pager = NULL;
  gint64 id;
  guint n;

  seed_tunes (f);
  n = count_tunes (f);
  pager = new_pager (f);

  atelier_pager_reload (pager);
  wait_page (pager);

  id = atelier_sandbox_server_seed_tune (f->server, "Made here", "woman", TRUE);
  atelier_pager_note_added (pager, id);
  g_assert_true (atelier_pager_has_seen (pager, id));
  g_assert_cmpuint (atelier_pager_get_offset (pager), ==, ATELIER_PAGE_SIZE + 1);

  load_all (pager);
  g_assert_cmpuint (f->repeats->len, ==, 0);
  g_assert_cmpuint (f->items->len, ==, n);
  g_assert_true (all_distinct (f->items));
}

/* A tune deleted here and noted moves the offset back: no gap. */
static void
test_pager_note_removed (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(AtelierPager) pager = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) listed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  gint64 id;
  guint n;

  seed_tunes (f);
  n = count_tunes (f);
  pager = new_pager (f);

  atelier_pager_reload (pager);
  wait_page (pager);
  id = atelier_tune_get_id (g_ptr_array_index (f->items, 3));

  atelier_astria_client_delete_tune_async (f->client, id, NULL, atelier_test_store_result, &result);
  g_assert_true (atelier_astria_client_delete_tune_finish (f->client, atelier_test_wait_result (&result), &error));
  g_assert_no_error (error);
  atelier_pager_note_removed (pager, id);
  g_assert_false (atelier_pager_has_seen (pager, id));
  g_assert_cmpuint (atelier_pager_get_offset (pager), ==, ATELIER_PAGE_SIZE - 1);

  load_all (pager);
  g_assert_cmpuint (f->repeats->len, ==, 0);
  g_assert_cmpuint (f->items->len, ==, n);
  for (guint i = 0; i < f->items->len; i++)
    {
      gint64 other = atelier_tune_get_id (g_ptr_array_index (f->items, i));
      g_hash_table_add (listed, g_memdup2 (&other, sizeof other));
    }

  /* Every tune still there was handed over. */
  forget_pages (f);
  g_clear_object (&pager);
  pager = new_pager (f);
  atelier_pager_reload (pager);
  wait_page (pager);
  load_all (pager);
  g_assert_cmpuint (f->items->len, ==, n - 1);
  for (guint i = 0; i < f->items->len; i++)
    {
      gint64 other = atelier_tune_get_id (g_ptr_array_index (f->items, i));
      g_assert_true (g_hash_table_contains (listed, &other));
    }
}

/* A page that fails is asked for again from the same offset. */
static void
test_pager_failure (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(AtelierPager) pager = NULL;
  AtelierSandboxFault fault = { 0 };

  seed_tunes (f);
  pager = new_pager (f);
  atelier_pager_reload (pager);
  wait_page (pager);

  fault.method = "GET";
  fault.path = "/tunes";
  fault.kind = ATELIER_SANDBOX_FAULT_STATUS;
  fault.status = 422;
  fault.times = 1;
  atelier_sandbox_server_add_fault (f->server, &fault);

  atelier_pager_load_more (pager);
  wait_page (pager);
  g_assert_cmpuint (f->n_failed, ==, 1);
  g_assert_error (atelier_pager_get_error (pager), ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID);
  g_assert_true (atelier_pager_get_has_more (pager));
  g_assert_cmpuint (atelier_pager_get_offset (pager), ==, ATELIER_PAGE_SIZE);
  g_assert_cmpuint (f->items->len, ==, ATELIER_PAGE_SIZE);

  atelier_pager_load_more (pager);
  g_assert_null (atelier_pager_get_error (pager));
  wait_page (pager);
  g_assert_cmpuint (f->n_failed, ==, 1);
  g_assert_cmpuint (f->items->len, ==, 2 * ATELIER_PAGE_SIZE);
  g_assert_cmpuint (f->repeats->len, ==, 0);
}

/* A first page of ATELIER_PAGE_SIZE forged tunes, the one at @hole
 * without an id: the parser skips it. */
static void
add_page_with_hole (Fixture *f,
                    guint    hole)
{
  g_autoptr(GString) body = g_string_new ("[");
  AtelierSandboxFault fault = { 0 };

  for (guint i = 0; i < ATELIER_PAGE_SIZE; i++)
    {
      if (i > 0)
        g_string_append_c (body, ',');
      if (i == hole)
        g_string_append (body, "{\"title\": \"No id\", \"name\": \"man\"}");
      else
        g_string_append_printf (body, "{\"id\": %u, \"title\": \"Forged %02u\", \"name\": \"man\"}",
                                900000 + i, i);
    }
  g_string_append_c (body, ']');

  fault.method = "GET";
  fault.path = "/tunes";
  fault.kind = ATELIER_SANDBOX_FAULT_STATUS;
  fault.status = 200;
  fault.body = body->str;
  fault.times = 1;
  atelier_sandbox_server_add_fault (f->server, &fault);
}

/* An element the app skips (no id) still takes its place in the
 * service's page: the next page starts after it, and the page is not
 * taken for the last one. */
static void
test_pager_skipped_element (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(AtelierPager) pager = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(AtelierTune) found = NULL;
  g_autoptr(GError) error = NULL;
  guint n;

  seed_tunes (f);
  n = count_tunes (f);
  g_assert_cmpuint (n, >, 2 * ATELIER_PAGE_SIZE);
  pager = new_pager (f);

  add_page_with_hole (f, 5);
  atelier_pager_reload (pager);
  wait_page (pager);
  g_assert_cmpuint (f->n_pages, ==, 1);
  g_assert_cmpuint (f->items->len, ==, ATELIER_PAGE_SIZE - 1);
  g_assert_cmpuint (atelier_pager_get_offset (pager), ==, ATELIER_PAGE_SIZE);
  g_assert_true (atelier_pager_get_has_more (pager));

  /* The rest comes from the service from offset 20: nothing repeated,
   * nothing lost. */
  load_all (pager);
  g_assert_cmpuint (f->repeats->len, ==, 0);
  g_assert_cmpuint (f->items->len, ==, (ATELIER_PAGE_SIZE - 1) + (n - ATELIER_PAGE_SIZE));
  g_assert_true (all_distinct (f->items));

  /* Looking a tune up by title pages on past such a page too: the
   * oldest tune is on the last page. */
  add_page_with_hole (f, 0);
  atelier_astria_client_find_tune_by_title_async (f->client, "Seeded 01", NULL,
                                                  atelier_test_store_result, &result);
  found = atelier_astria_client_find_tune_by_title_finish (f->client, atelier_test_wait_result (&result),
                                                           &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpstr (atelier_tune_get_title (found), ==, "Seeded 01");
}

/* A reload drops the page on its way; a reset forgets everything. */
static void
test_pager_reload_reset (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(AtelierPager) pager = NULL;

  seed_tunes (f);
  pager = new_pager (f);

  atelier_pager_reload (pager);
  atelier_pager_reload (pager);
  wait_page (pager);
  drain ();
  g_assert_cmpuint (f->n_pages, ==, 1);
  g_assert_cmpuint (f->items->len, ==, ATELIER_PAGE_SIZE);

  atelier_pager_load_more (pager);
  atelier_pager_reset (pager, FALSE);
  g_assert_false (atelier_pager_get_loading (pager));
  g_assert_false (atelier_pager_get_loaded (pager));
  g_assert_cmpuint (atelier_pager_get_offset (pager), ==, 0);
  g_assert_false (atelier_pager_has_seen (pager, atelier_tune_get_id (g_ptr_array_index (f->items, 0))));
  drain ();
  g_assert_cmpuint (f->n_pages, ==, 1);

  /* Without a client nothing is asked. */
  atelier_pager_set_client (pager, NULL);
  atelier_pager_reload (pager);
  g_assert_false (atelier_pager_get_loading (pager));
}

/* }}} */

/* {{{ Poller */

static void
fetch_tune (AtelierAstriaClient *client,
            GObject             *item,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             callback_data)
{
  atelier_astria_client_get_tune_async (client, atelier_tune_get_id (ATELIER_TUNE (item)),
                                        cancellable, callback, callback_data);
}

static gboolean
is_training (AtelierTune *tune)
{
  return atelier_tune_get_state (tune, NULL) == ATELIER_TUNE_STATE_TRAINING;
}

/* What an owner does with an answer: track it with its state. */
static void
answered_cb (AtelierPoller *poller,
             AtelierTune   *tune,
             Fixture       *f)
{
  gint64 id = atelier_tune_get_id (tune);
  guint delay = atelier_poller_get_delay_ms (poller, id);

  g_array_append_val (f->delays, delay);
  g_array_append_val (f->answered, id);
  f->n_answered++;
  if (atelier_poller_track (poller, id, G_OBJECT (tune), is_training (tune)))
    f->n_finished++;
}

static void
gone_cb (AtelierPoller *poller,
         gint64         id,
         Fixture       *f)
{
  g_array_append_val (f->gone, id);
}

static AtelierPoller *
new_poller (Fixture *f,
            guint    base_ms)
{
  AtelierPoller *poller = atelier_poller_new (fetch_tune, (AtelierPollerFinishFunc) atelier_astria_client_get_tune_finish);

  atelier_poller_set_client (poller, f->client);
  atelier_poller_set_base_ms (poller, base_ms);
  g_signal_connect (poller, "answered", G_CALLBACK (answered_cb), f);
  g_signal_connect (poller, "gone", G_CALLBACK (gone_cb), f);

  return poller;
}

static AtelierTune *
get_tune (Fixture *f,
          gint64   id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  AtelierTune *tune;

  atelier_astria_client_get_tune_async (f->client, id, NULL, atelier_test_store_result, &result);
  tune = atelier_astria_client_get_tune_finish (f->client, atelier_test_wait_result (&result), &error);
  g_assert_no_error (error);

  return tune;
}

/* A tune that trains until the test ends. */
static AtelierTune *
training_tune (Fixture    *f,
               const char *title)
{
  AtelierTune *tune;

  atelier_sandbox_server_set_training_delay_ms (f->server, 600000);
  tune = get_tune (f, atelier_sandbox_server_seed_tune (f->server, title, "man", FALSE));
  g_assert_true (is_training (tune));

  return tune;
}

static guint
count_polls (Fixture     *f,
             AtelierTune *tune)
{
  g_autofree char *path = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT, atelier_tune_get_id (tune));

  return atelier_sandbox_server_count_requests (f->server, "GET", path);
}

static guint
count_answers (Fixture     *f,
               AtelierTune *tune)
{
  guint n = 0;

  for (guint i = 0; i < f->answered->len; i++)
    n += g_array_index (f->answered, gint64, i) == atelier_tune_get_id (tune);

  return n;
}

static void
track (AtelierPoller *poller,
       AtelierTune   *tune)
{
  g_assert_false (atelier_poller_track (poller, atelier_tune_get_id (tune), G_OBJECT (tune), TRUE));
}

/* Each unfinished answer doubles the delay, up to the cap. */
static void
test_poller_backoff (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(AtelierPoller) poller = new_poller (f, 10);
  g_autoptr(AtelierTune) tune = training_tune (f, "Slow Sam");
  gint64 id = atelier_tune_get_id (tune);
  const guint expected[] = { 10, 20, 40, 80, 80, 80 };
  guint before = count_polls (f, tune);

  atelier_poller_set_max_ms (poller, 80);
  g_assert_cmpuint (atelier_poller_get_next_delay_ms (poller), ==, 0);
  track (poller, tune);
  g_assert_cmpuint (atelier_poller_get_n_watched (poller), ==, 1);
  g_assert_cmpuint (atelier_poller_get_delay_ms (poller, id), ==, 10);
  g_assert_cmpuint (atelier_poller_get_next_delay_ms (poller), ==, 10);
  g_assert_true (atelier_poller_get_busy (poller));

  atelier_test_wait_until (f->n_answered == G_N_ELEMENTS (expected), WAIT_MS);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpuint (g_array_index (f->delays, guint, i), ==, expected[i]);
  g_assert_cmpuint (atelier_poller_get_delay_ms (poller, id), ==, 80);
  g_assert_cmpuint (count_polls (f, tune), ==, before + G_N_ELEMENTS (expected));
  g_assert_cmpuint (f->n_finished, ==, 0);

  /* The default cap is a minute. */
  {
    g_autoptr(AtelierPoller) other = atelier_poller_new (fetch_tune, (AtelierPollerFinishFunc) atelier_astria_client_get_tune_finish);

    atelier_poller_set_client (other, f->client);
    atelier_poller_set_active (other, FALSE);
    g_assert_false (atelier_poller_track (other, id, G_OBJECT (tune), TRUE));
    g_assert_cmpuint (atelier_poller_get_delay_ms (other, id), ==, ATELIER_POLLER_BASE_MS);
  }
}

static void
count_limited_cb (AtelierPoller *poller,
                  GParamSpec    *pspec,
                  guint         *n)
{
  if (atelier_poller_get_rate_limited (poller))
    (*n)++;
}

/* A 429: every poll waits for Retry-After, then the one request is sent
 * again once. */
static void
test_poller_rate_limit (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(AtelierPoller) poller = new_poller (f, 20);
  g_autoptr(AtelierTune) limited = training_tune (f, "Limited Lea");
  g_autoptr(AtelierTune) other = training_tune (f, "Other Otto");
  g_autofree char *path = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT, atelier_tune_get_id (limited));
  AtelierSandboxFault fault = { 0 };
  guint n_limited = 0;
  guint limited_before = count_polls (f, limited);
  guint other_before = count_polls (f, other);

  fault.method = "GET";
  fault.path = path;
  fault.kind = ATELIER_SANDBOX_FAULT_STATUS;
  fault.status = 429;
  fault.retry_after_s = 1;
  fault.times = 1;
  atelier_sandbox_server_add_fault (f->server, &fault);
  g_signal_connect (poller, "notify::rate-limited", G_CALLBACK (count_limited_cb), &n_limited);

  track (poller, limited);
  atelier_test_wait_until (atelier_poller_get_rate_limited (poller), WAIT_MS);
  g_assert_cmpuint (count_polls (f, limited), ==, limited_before + 1);
  g_assert_cmpuint (f->n_answered, ==, 0);

  /* Another item waits for the pause too: its first poll comes at the
   * end of it (and ends it), not after its 20 ms. */
  track (poller, other);
  atelier_test_wait_until (!atelier_poller_get_rate_limited (poller), WAIT_MS);
  g_assert_cmpuint (count_polls (f, other), <=, other_before + 1);

  /* The client sent the request again once; the poller nothing more. */
  atelier_test_wait_until (count_answers (f, limited) == 1, WAIT_MS);
  g_assert_cmpuint (count_polls (f, limited), ==, limited_before + 2);
  g_assert_cmpuint (n_limited, ==, 1);
  g_assert_cmpuint (atelier_poller_get_delay_ms (poller, atelier_tune_get_id (limited)), ==, 40);
  g_assert_cmpuint (atelier_poller_get_n_watched (poller), ==, 2);
}

/* Once nothing is unfinished nothing is asked; nor while inactive. */
static void
test_poller_stops (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(AtelierPoller) poller = new_poller (f, 20);
  g_autoptr(AtelierTune) tune = NULL;
  guint polls;

  atelier_sandbox_server_set_training_delay_ms (f->server, 300);
  tune = get_tune (f, atelier_sandbox_server_seed_tune (f->server, "Quick Quinn", "woman", FALSE));
  g_assert_true (is_training (tune));

  /* Out of sight: watched, never asked. */
  atelier_poller_set_active (poller, FALSE);
  track (poller, tune);
  drain ();
  g_assert_false (atelier_poller_get_busy (poller));
  g_assert_cmpuint (atelier_poller_get_next_delay_ms (poller), ==, 0);
  g_assert_cmpuint (count_polls (f, tune), ==, 1);   /* get_tune() above */

  atelier_poller_set_active (poller, TRUE);
  atelier_test_wait_until (f->n_finished == 1, WAIT_MS);
  g_assert_cmpuint (f->n_answered, >=, 1);
  g_assert_cmpuint (atelier_poller_get_n_watched (poller), ==, 0);
  g_assert_cmpuint (atelier_poller_get_delay_ms (poller, atelier_tune_get_id (tune)), ==, 0);

  atelier_test_wait_until (!atelier_poller_get_busy (poller), WAIT_MS);
  polls = count_polls (f, tune);
  g_assert_cmpuint (polls, ==, f->n_answered + 1);
  drain ();
  g_assert_false (atelier_poller_get_busy (poller));
  g_assert_cmpuint (atelier_poller_get_next_delay_ms (poller), ==, 0);
  g_assert_cmpuint (count_polls (f, tune), ==, polls);
}

/* A 404: the item is gone and not asked for again. */
static void
test_poller_gone (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(AtelierPoller) poller = new_poller (f, 20);
  g_autoptr(AtelierTune) tune = training_tune (f, "Deleted Dan");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = atelier_tune_get_id (tune);

  atelier_astria_client_delete_tune_async (f->client, id, NULL, atelier_test_store_result, &result);
  g_assert_true (atelier_astria_client_delete_tune_finish (f->client, atelier_test_wait_result (&result), &error));
  g_assert_no_error (error);

  track (poller, tune);
  atelier_test_wait_until (f->gone->len == 1, WAIT_MS);
  g_assert_cmpint (g_array_index (f->gone, gint64, 0), ==, id);
  g_assert_cmpuint (f->n_answered, ==, 0);
  g_assert_cmpuint (atelier_poller_get_n_watched (poller), ==, 0);
  atelier_test_wait_until (!atelier_poller_get_busy (poller), WAIT_MS);
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/pager/added-between-pages", test_pager_added_between_pages);
  ADD ("/pager/note-added", test_pager_note_added);
  ADD ("/pager/note-removed", test_pager_note_removed);
  ADD ("/pager/failure", test_pager_failure);
  ADD ("/pager/reload-reset", test_pager_reload_reset);
  ADD ("/pager/skipped-element", test_pager_skipped_element);
  ADD ("/poller/backoff", test_poller_backoff);
  ADD ("/poller/rate-limit", test_poller_rate_limit);
  ADD ("/poller/stops", test_poller_stops);
  ADD ("/poller/gone", test_poller_gone);

  return g_test_run ();
}
