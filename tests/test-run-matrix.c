/* test-run-matrix.c: a test run's matrix against the sandbox over HTTP
 *
 * Rows grouped by orig_prompt_id and by normalised text (and a theme's
 * ten ideas), the run's prompts told from older ones and from prompts
 * made by hand, cells updating as prompts finish and fail, a tune deleted
 * mid-run, a 429 pausing the lists, 5xx while polling, like counts, sort
 * and filter, and the CSV text. No widgets and no display.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atelier-library.h"
#include "atelier-likes.h"
#include "atelier-run-matrix-private.h"
#include "atelier-test-account.h"
#include "atelier-test-utils.h"

#define WAIT_MS 20000
#define PACK_ID 260

typedef struct
{
  AtelierTestAccount    account;
  gint64                ada;       /* woman */
  gint64                alan;      /* man */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  atelier_test_account_set_up (&f->account, 64, "atelier-run-matrix-XXXXXX");

  f->ada = atelier_sandbox_server_seed_tune (f->account.server, "Ada", "woman", TRUE);
  f->alan = atelier_sandbox_server_seed_tune (f->account.server, "Alan", "man", TRUE);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  atelier_test_account_tear_down (&f->account);
}

/* {{{ Helpers */

static AtelierTune *
get_tune (Fixture *f,
          gint64   tune_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  AtelierTune *tune;

  atelier_astria_client_get_tune_async (f->account.client, tune_id, NULL, atelier_test_store_result, &result);
  tune = atelier_astria_client_get_tune_finish (f->account.client, atelier_test_wait_result (&result), &error);
  g_assert_no_error (error);
  return tune;
}

static GPtrArray *
get_tunes (Fixture *f,
           gint64   first,
           ...)
{
  GPtrArray *tunes = g_ptr_array_new_with_free_func (g_object_unref);
  va_list args;

  va_start (args, first);
  for (gint64 id = first; id != 0; id = va_arg (args, gint64))
    g_ptr_array_add (tunes, get_tune (f, id));
  va_end (args);

  return tunes;
}

static AtelierPack *
make_pack (gint64      id,
           const char *title)
{
  g_autofree char *json = g_strdup_printf ("{\"id\": %" G_GINT64_FORMAT ", \"title\": \"%s\"}", id, title);
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GError) error = NULL;
  AtelierPack *pack = atelier_pack_new_from_json (node, &error);

  g_assert_no_error (error);
  return pack;
}

/* A pack run of @pack_id on @tunes that starts now. */
static AtelierPackRun *
pack_run_now (gint64     pack_id,
              GPtrArray *tunes)
{
  g_autoptr(AtelierPack) pack = make_pack (pack_id, "Corporate headshots");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return atelier_pack_run_new_for_pack (pack, tunes, now);
}

static void
run_pack (Fixture *f,
          gint64   pack_id,
          gint64   first,
          gint64   second)
{
  gint64 ids[] = { first, second };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) tunes = NULL;
  g_autoptr(GError) error = NULL;

  atelier_astria_client_run_pack_async (f->account.client, pack_id, ids, second != 0 ? 2 : 1, NULL,
                                        atelier_test_store_result, &result);
  tunes = atelier_astria_client_run_pack_finish (f->account.client, atelier_test_wait_result (&result), &error);
  g_assert_no_error (error);
}

static AtelierPrompt *
create_prompt (Fixture    *f,
               gint64      tune_id,
               const char *text)
{
  g_autoptr(AtelierPromptParams) params = atelier_prompt_params_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  AtelierPrompt *prompt;

  atelier_params_set_string (ATELIER_PARAMS (params), "text", text);
  atelier_params_set_int (ATELIER_PARAMS (params), "num_images", 2);
  atelier_astria_client_create_prompt_async (f->account.client, tune_id, params, NULL, NULL, NULL,
                                             atelier_test_store_result, &result);
  prompt = atelier_astria_client_create_prompt_finish (f->account.client, atelier_test_wait_result (&result), &error);
  g_assert_no_error (error);
  return prompt;
}

static AtelierRunMatrix *
new_matrix (Fixture        *f,
            AtelierPackRun *run)
{
  AtelierRunMatrix *matrix = atelier_run_matrix_new (f->account.client, f->account.likes, run);

  atelier_run_matrix_set_poll_interval_ms (matrix, 50);
  atelier_run_matrix_set_relist_interval_ms (matrix, 50);
  return matrix;
}

static void
wait_loaded (AtelierRunMatrix *matrix)
{
  atelier_test_wait_until (!atelier_run_matrix_is_loading (matrix), WAIT_MS);
}

static AtelierRunRow *
row_at (AtelierRunMatrix *matrix,
        guint             position)
{
  g_autoptr(AtelierRunRow) row = g_list_model_get_item (G_LIST_MODEL (matrix), position);

  g_assert_nonnull (row);
  return row;   /* the matrix holds it */
}

static AtelierRunRow *
find_row (AtelierRunMatrix *matrix,
          const char       *text)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (matrix)); i++)
    {
      AtelierRunRow *row = row_at (matrix, i);

      if (g_str_equal (atelier_run_row_get_text (row), text))
        return row;
    }
  return NULL;
}

static void
set_liked (Fixture       *f,
           AtelierPrompt *prompt,
           gboolean       liked)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  atelier_likes_set_liked_async (f->account.likes, prompt, liked, NULL, atelier_test_store_result, &result);
  atelier_likes_set_liked_finish (f->account.likes, atelier_test_wait_result (&result), &error);
  g_assert_no_error (error);
}

/* Runs the main context for @ms. */
static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
count_cb (gpointer  instance,
          guint    *count)
{
  (*count)++;
}

static void
count_items_changed_cb (GListModel *model,
                        guint       position,
                        guint       removed,
                        guint       added,
                        guint      *count)
{
  (*count)++;
}

static void
count_tune_changes_cb (AtelierRunMatrix *matrix,
                       guint             column,
                       guint            *count)
{
  (*count)++;
}

/* }}} */

static void
test_normalize (void)
{
  struct {
    const char *text;
    const char *token;
    const char *class_name;
    const char *expected;
  } cases[] = {
    { "ohwx woman, corporate headshot", "ohwx", "woman", "corporate headshot" },
    { "<lora:123:0.8> OHWX Man in a Sunflower field.", "ohwx", "man", "in a Sunflower field" },
    { "<faceid:9:1> portrait of ohwx woman , smiling ,  outdoors", "ohwx", "woman", "portrait of, smiling, outdoors" },
    { "in a field, ohwx woman, smiling", "ohwx", "woman", "in a field, smiling" },
    { "womanly ohwx-woman", "ohwx", "woman", "womanly" },
    { "sks dog", NULL, NULL, "sks dog" },
    { "  \t ", "ohwx", "woman", "" },
    { "", "ohwx", "woman", "" },
    { "ohwx woman", "ohwx", "woman", "" },
    { "<lora:1:1", "ohwx", "woman", "" },
    { "Ünïcode ohwx woman café", "ohwx", "woman", "Ünïcode café" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *result = atelier_run_row_normalize_text (cases[i].text, cases[i].token, cases[i].class_name);

      g_assert_cmpstr (result, ==, cases[i].expected);
    }

  /* Not UTF-8: nothing to compare. */
  {
    g_autofree char *result = atelier_run_row_normalize_text ("bad \xff text", "ohwx", "woman");

    g_assert_cmpstr (result, ==, "");
  }
}

/* A pack on two tunes: one row per pack prompt, by orig_prompt_id; older
 * prompts of a tune (paged through no further) and prompts made by hand
 * are not the run's; the cells fill in as the prompts finish. */
static void
test_pack_rows (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) tunes = get_tunes (f, f->ada, f->alan, (gint64) 0);
  g_autoptr(AtelierPackRun) run = NULL;
  g_autoptr(AtelierRunMatrix) matrix = NULL;
  g_autofree char *ada_path = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT "/prompts", f->ada);
  g_autoptr(GPtrArray) requests = NULL;
  guint n_rows;
  guint changes = 0;
  guint ada_lists = 0;

  /* 45 older prompts on Ada: three pages, none of which need be read. */
  atelier_sandbox_server_seed_prompts (f->account.server, f->ada, 45, 1);
  g_usleep (20 * 1000);

  run = pack_run_now (PACK_ID, tunes);
  atelier_sandbox_server_set_prompt_delay_ms (f->account.server, 400);
  run_pack (f, PACK_ID, f->ada, f->alan);
  /* Made by hand after the start, with no orig_prompt_id. */
  g_object_unref (create_prompt (f, f->ada, "ohwx woman by hand"));
  atelier_sandbox_server_clear_requests (f->account.server);

  matrix = new_matrix (f, run);
  _atelier_run_matrix_set_skew_ms (matrix, 10);
  g_signal_connect (matrix, "items-changed", G_CALLBACK (count_items_changed_cb), &changes);
  atelier_run_matrix_reload (matrix);
  g_assert_true (atelier_run_matrix_is_loading (matrix));
  wait_loaded (matrix);

  /* Ada's list stopped at the first page that reached older prompts. */
  requests = atelier_sandbox_server_dup_requests (f->account.server);
  for (guint i = 0; i < requests->len; i++)
    {
      AtelierSandboxRequest *request = g_ptr_array_index (requests, i);

      ada_lists += g_str_equal (atelier_sandbox_request_get_method (request), "GET") &&
                   g_str_equal (atelier_sandbox_request_get_path (request), ada_path);
    }
  g_assert_cmpuint (ada_lists, ==, 1);

  n_rows = g_list_model_get_n_items (G_LIST_MODEL (matrix));
  g_assert_cmpuint (n_rows, >=, 3);
  g_assert_cmpuint (atelier_run_matrix_get_tune_n_prompts (matrix, 0), ==, n_rows);
  g_assert_cmpuint (atelier_run_matrix_get_tune_n_prompts (matrix, 1), ==, n_rows);
  g_assert_cmpuint (atelier_run_matrix_get_n_prompts (matrix), ==, 2 * n_rows);
  g_assert_cmpuint (atelier_run_matrix_get_tune_state (matrix, 0), ==, ATELIER_RUN_TUNE_LISTED);
  g_assert_false (atelier_run_matrix_is_creating (matrix));
  g_assert_cmpuint (changes, >=, 1);

  for (guint i = 0; i < n_rows; i++)
    {
      AtelierRunRow *row = row_at (matrix, i);
      AtelierPrompt *on_ada = atelier_run_row_get_prompt (row, 0);
      AtelierPrompt *on_alan = atelier_run_row_get_prompt (row, 1);
      g_autofree char *key = g_strdup_printf ("o:%" G_GINT64_FORMAT, atelier_run_row_get_orig_prompt_id (row));

      g_assert_nonnull (on_ada);
      g_assert_nonnull (on_alan);
      g_assert_cmpint (atelier_run_row_get_orig_prompt_id (row), !=, 0);
      g_assert_cmpint (atelier_prompt_get_orig_prompt_id (on_ada), ==, atelier_run_row_get_orig_prompt_id (row));
      g_assert_cmpint (atelier_prompt_get_orig_prompt_id (on_alan), ==, atelier_run_row_get_orig_prompt_id (row));
      g_assert_cmpint (atelier_prompt_get_tune_id (on_ada), ==, f->ada);
      g_assert_cmpint (atelier_prompt_get_tune_id (on_alan), ==, f->alan);
      g_assert_cmpstr (atelier_run_row_get_key (row), ==, key);
      /* The text without the tune's token and class. */
      g_assert_null (strstr (atelier_run_row_get_text (row), "ohwx"));
      g_assert_null (strstr (atelier_run_row_get_text (row), "woman"));
      g_assert_cmpuint (atelier_run_row_get_state (row, 0), ==, ATELIER_RUN_CELL_PENDING);
      /* The pack's order. */
      if (i > 0)
        g_assert_cmpint (atelier_run_row_get_orig_prompt_id (row), >,
                         atelier_run_row_get_orig_prompt_id (row_at (matrix, i - 1)));
    }
  g_assert_cmpuint (atelier_run_matrix_get_n_pending (matrix), ==, 2 * n_rows);

  /* The prompts finish: each cell in place, no new rows. */
  {
    AtelierRunRow *first = row_at (matrix, 0);
    guint row_changes = 0;

    changes = 0;
    g_signal_connect (first, "changed", G_CALLBACK (count_cb), &row_changes);
    atelier_test_wait_until (atelier_run_matrix_get_n_pending (matrix) == 0, WAIT_MS);
    g_assert_cmpuint (row_changes, >=, 1);
    g_signal_handlers_disconnect_by_data (first, &row_changes);
    g_assert_cmpuint (changes, ==, 0);
    g_assert_true (row_at (matrix, 0) == first);
    g_assert_cmpuint (atelier_run_row_get_state (first, 0), ==, ATELIER_RUN_CELL_DONE);
    g_assert_cmpuint (atelier_run_row_get_state (first, 1), ==, ATELIER_RUN_CELL_DONE);
    g_assert_cmpuint (atelier_prompt_get_n_images (atelier_run_row_get_prompt (first, 0)), >, 0);
  }

  /* Done: nothing more is asked. */
  atelier_test_wait_until (!_atelier_run_matrix_is_busy (matrix), WAIT_MS);
}

/* Prompts without orig_prompt_id: rows by normalised text. */
static void
test_text_rows (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) tunes = get_tunes (f, f->ada, f->alan, (gint64) 0);
  g_autoptr(AtelierPackRun) run = pack_run_now (PACK_ID, tunes);
  g_autoptr(AtelierRunMatrix) matrix = NULL;
  g_autofree char *lora = g_strdup_printf ("<lora:%" G_GINT64_FORMAT ":1> OHWX Man  in a Sunflower Field.", f->alan);
  AtelierRunRow *field;
  AtelierRunRow *boat;

  atelier_sandbox_server_seed_prompt (f->account.server, f->ada, "ohwx woman, in a sunflower field", 2);
  atelier_sandbox_server_seed_prompt (f->account.server, f->alan, lora, 2);
  atelier_sandbox_server_seed_prompt (f->account.server, f->ada, "ohwx woman on a boat", 1);

  matrix = new_matrix (f, run);
  atelier_run_matrix_reload (matrix);
  wait_loaded (matrix);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (matrix)), ==, 2);
  field = find_row (matrix, "in a sunflower field");
  boat = find_row (matrix, "on a boat");
  g_assert_nonnull (field);
  g_assert_nonnull (boat);
  g_assert_cmpstr (atelier_run_row_get_key (field), ==, "t:in a sunflower field");
  g_assert_cmpint (atelier_run_row_get_orig_prompt_id (field), ==, 0);
  g_assert_cmpuint (atelier_run_row_get_state (field, 0), ==, ATELIER_RUN_CELL_DONE);
  g_assert_cmpuint (atelier_run_row_get_state (field, 1), ==, ATELIER_RUN_CELL_DONE);
  g_assert_cmpuint (atelier_run_row_get_state (boat, 0), ==, ATELIER_RUN_CELL_DONE);
  g_assert_cmpuint (atelier_run_row_get_state (boat, 1), ==, ATELIER_RUN_CELL_EMPTY);
  g_assert_null (atelier_run_row_get_prompt (boat, 1));
  /* The first row made comes first. */
  g_assert_true (row_at (matrix, 0) == field);
  /* Alan lacks a prompt Ada has: the service may still be making it. */
  g_assert_true (atelier_run_matrix_is_creating (matrix));

  /* It comes: the tunes are listed again and the row fills in. */
  atelier_sandbox_server_seed_prompt (f->account.server, f->alan, "ohwx man on a boat", 1);
  atelier_test_wait_until (atelier_run_row_get_prompt (boat, 1) != NULL, WAIT_MS);
  atelier_test_wait_until (!atelier_run_matrix_is_creating (matrix), WAIT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (matrix)), ==, 2);
  atelier_test_wait_until (!_atelier_run_matrix_is_busy (matrix), WAIT_MS);
}

/* A theme: ten ideas per tune, one row each. */
static void
test_theme_rows (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) tunes = get_tunes (f, f->ada, f->alan, (gint64) 0);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(AtelierPackRun) run = atelier_pack_run_new_for_theme ("Film noir", tunes, now);
  g_autoptr(AtelierRunMatrix) matrix = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 ids[] = { f->ada, f->alan };

  matrix = new_matrix (f, run);
  atelier_run_matrix_reload (matrix);
  wait_loaded (matrix);
  /* Nothing yet: waiting for the service. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (matrix)), ==, 0);
  g_assert_true (atelier_run_matrix_is_creating (matrix));

  atelier_astria_client_create_theme_async (f->account.client, "Film noir", ids, 2, NULL, NULL,
                                            atelier_test_store_result, &result);
  atelier_astria_client_create_theme_finish (f->account.client, atelier_test_wait_result (&result), &error);
  g_assert_no_error (error);

  atelier_test_wait_until (!atelier_run_matrix_is_creating (matrix), WAIT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (matrix)), ==, ATELIER_RUN_MATRIX_THEME_PROMPTS);
  for (guint i = 0; i < ATELIER_RUN_MATRIX_THEME_PROMPTS; i++)
    {
      AtelierRunRow *row = row_at (matrix, i);

      g_assert_nonnull (atelier_run_row_get_prompt (row, 0));
      g_assert_nonnull (atelier_run_row_get_prompt (row, 1));
      g_assert_true (g_str_has_prefix (atelier_run_row_get_text (row), "Film noir, "));
    }
  atelier_test_wait_until (atelier_run_matrix_get_n_pending (matrix) == 0, WAIT_MS);
  atelier_test_wait_until (!_atelier_run_matrix_is_busy (matrix), WAIT_MS);
}

/* A theme whose ideas differ from tune to tune (as the service's LLM
 * writes them): rows by position, the first of each tune together. */
static void
test_theme_positions (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) tunes = get_tunes (f, f->ada, f->alan, (gint64) 0);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(AtelierPackRun) run = atelier_pack_run_new_for_theme ("Film noir", tunes, now);
  g_autoptr(AtelierRunMatrix) matrix = NULL;
  gint64 ada_first = atelier_sandbox_server_seed_prompt (f->account.server, f->ada, "ohwx woman, noir alley at night", 1);
  gint64 alan_first = atelier_sandbox_server_seed_prompt (f->account.server, f->alan, "ohwx man, smoky jazz bar", 1);
  gint64 ada_second = atelier_sandbox_server_seed_prompt (f->account.server, f->ada, "ohwx woman, rain on the window", 1);
  gint64 alan_second = atelier_sandbox_server_seed_prompt (f->account.server, f->alan, "ohwx man, trench coat and fedora", 1);
  AtelierRunRow *row;

  matrix = new_matrix (f, run);
  atelier_run_matrix_reload (matrix);
  wait_loaded (matrix);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (matrix)), ==, 2);
  row = row_at (matrix, 0);
  g_assert_cmpstr (atelier_run_row_get_key (row), ==, "p:0");
  g_assert_cmpstr (atelier_run_row_get_text (row), ==, "noir alley at night");
  g_assert_cmpint (atelier_prompt_get_id (atelier_run_row_get_prompt (row, 0)), ==, ada_first);
  g_assert_cmpint (atelier_prompt_get_id (atelier_run_row_get_prompt (row, 1)), ==, alan_first);
  row = row_at (matrix, 1);
  g_assert_cmpstr (atelier_run_row_get_key (row), ==, "p:1");
  g_assert_cmpint (atelier_prompt_get_id (atelier_run_row_get_prompt (row, 0)), ==, ada_second);
  g_assert_cmpint (atelier_prompt_get_id (atelier_run_row_get_prompt (row, 1)), ==, alan_second);
}

/* Some prompts fail (their cells say why), the rest carry on; 5xx while
 * polling is retried. */
static void
test_failures (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) tunes = get_tunes (f, f->ada, f->alan, (gint64) 0);
  g_autoptr(AtelierPackRun) run = pack_run_now (PACK_ID, tunes);
  g_autoptr(AtelierRunMatrix) matrix = NULL;
  g_autofree char *poll_path = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT "/prompts/", f->alan);
  AtelierSandboxFault fault = {
    .method = "GET", .path = poll_path, .kind = ATELIER_SANDBOX_FAULT_STATUS, .status = 500, .times = 2,
  };
  AtelierRunRow *failing;
  AtelierRunRow *fine;

  atelier_sandbox_server_set_prompt_delay_ms (f->account.server, 300);
  g_object_unref (create_prompt (f, f->ada, "ohwx woman [fail] on a boat"));
  g_object_unref (create_prompt (f, f->alan, "ohwx man [fail] on a boat"));
  g_object_unref (create_prompt (f, f->ada, "ohwx woman in the rain"));
  g_object_unref (create_prompt (f, f->alan, "ohwx man in the rain"));
  atelier_sandbox_server_add_fault (f->account.server, &fault);

  matrix = new_matrix (f, run);
  atelier_run_matrix_reload (matrix);
  wait_loaded (matrix);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (matrix)), ==, 2);
  failing = find_row (matrix, "[fail] on a boat");
  fine = find_row (matrix, "in the rain");
  g_assert_nonnull (failing);
  g_assert_nonnull (fine);

  atelier_test_wait_until (atelier_run_matrix_get_n_pending (matrix) == 0, WAIT_MS);
  for (guint c = 0; c < 2; c++)
    {
      g_assert_cmpuint (atelier_run_row_get_state (failing, c), ==, ATELIER_RUN_CELL_FAILED);
      g_assert_nonnull (atelier_prompt_get_user_error (atelier_run_row_get_prompt (failing, c)));
      g_assert_cmpuint (atelier_run_row_get_state (fine, c), ==, ATELIER_RUN_CELL_DONE);
    }
  g_assert_cmpuint (atelier_run_matrix_get_n_failed (matrix), ==, 2);
  /* The 500s were answered on Alan's polls, and retried. */
  g_assert_cmpuint (atelier_sandbox_server_count_requests (f->account.server, "GET", poll_path), >=, 3);
  atelier_test_wait_until (!_atelier_run_matrix_is_busy (matrix), WAIT_MS);
}

static void
delete_tune (Fixture *f,
             gint64   tune_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  atelier_astria_client_delete_tune_async (f->account.client, tune_id, NULL, atelier_test_store_result, &result);
  atelier_astria_client_delete_tune_finish (f->account.client, atelier_test_wait_result (&result), &error);
  g_assert_no_error (error);
}

/* A tune deleted mid-run: its prompts' polls get 404, its list too; its
 * column says so and the other carries on. */
static void
test_deleted_tune (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) tunes = get_tunes (f, f->ada, f->alan, (gint64) 0);
  g_autoptr(AtelierPackRun) run = pack_run_now (PACK_ID, tunes);
  g_autoptr(AtelierRunMatrix) matrix = NULL;
  guint tune_changes = 0;
  guint n_rows;

  atelier_sandbox_server_set_prompt_delay_ms (f->account.server, 1500);
  run_pack (f, PACK_ID, f->ada, f->alan);

  matrix = new_matrix (f, run);
  g_signal_connect (matrix, "tune-changed", G_CALLBACK (count_tune_changes_cb), &tune_changes);
  atelier_run_matrix_reload (matrix);
  wait_loaded (matrix);
  n_rows = g_list_model_get_n_items (G_LIST_MODEL (matrix));
  g_assert_cmpuint (n_rows, >, 0);
  g_assert_cmpuint (atelier_run_matrix_get_n_pending (matrix), ==, 2 * n_rows);

  delete_tune (f, f->alan);
  tune_changes = 0;
  atelier_test_wait_until (atelier_run_matrix_get_tune_state (matrix, 1) == ATELIER_RUN_TUNE_GONE, WAIT_MS);
  g_assert_cmpuint (tune_changes, >=, 1);
  g_assert_cmpuint (atelier_run_matrix_get_tune_n_prompts (matrix, 1), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (matrix)), ==, n_rows);
  for (guint i = 0; i < n_rows; i++)
    {
      g_assert_nonnull (atelier_run_row_get_prompt (row_at (matrix, i), 0));
      g_assert_null (atelier_run_row_get_prompt (row_at (matrix, i), 1));
    }

  /* Ada's prompts still finish. */
  atelier_test_wait_until (atelier_run_matrix_get_n_pending (matrix) == 0, WAIT_MS);
  g_assert_cmpuint (atelier_run_row_get_state (row_at (matrix, 0), 0), ==, ATELIER_RUN_CELL_DONE);

  /* Listed again: still gone, not listed (it stays gone). */
  atelier_sandbox_server_clear_requests (f->account.server);
  atelier_run_matrix_reload (matrix);
  wait_loaded (matrix);
  g_assert_cmpuint (atelier_run_matrix_get_tune_state (matrix, 1), ==, ATELIER_RUN_TUNE_GONE);
  atelier_test_wait_until (!_atelier_run_matrix_is_busy (matrix), WAIT_MS);
}

static void
note_rate_limited_cb (AtelierRunMatrix *matrix,
                      GParamSpec       *pspec,
                      gboolean         *seen)
{
  *seen |= atelier_run_matrix_is_rate_limited (matrix);
}

/* A 429 on a list: the client waits Retry-After, and the matrix neither
 * lists nor polls before then. */
static void
test_rate_limit (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) tunes = get_tunes (f, f->ada, f->alan, (gint64) 0);
  g_autoptr(AtelierPackRun) run = pack_run_now (PACK_ID, tunes);
  g_autoptr(AtelierRunMatrix) matrix = NULL;
  g_autofree char *ada_path = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT "/prompts", f->ada);
  AtelierSandboxFault fault = {
    .method = "GET", .path = ada_path, .kind = ATELIER_SANDBOX_FAULT_STATUS, .status = 429,
    .retry_after_s = 1, .times = 1,
  };
  gboolean seen = FALSE;
  gint64 start;
  gint64 took;

  atelier_sandbox_server_set_prompt_delay_ms (f->account.server, 200);
  run_pack (f, PACK_ID, f->ada, f->alan);
  atelier_sandbox_server_add_fault (f->account.server, &fault);

  matrix = new_matrix (f, run);
  g_signal_connect (matrix, "notify::rate-limited", G_CALLBACK (note_rate_limited_cb), &seen);
  start = g_get_monotonic_time ();
  atelier_run_matrix_reload (matrix);
  atelier_test_wait_until (seen, WAIT_MS);
  g_assert_true (atelier_run_matrix_is_rate_limited (matrix));

  /* Nothing is polled during the pause. */
  {
    g_autofree char *alan_polls = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT "/prompts/", f->alan);
    guint polls = atelier_sandbox_server_count_requests (f->account.server, "GET", alan_polls);

    spin (500);
    g_assert_cmpuint (atelier_sandbox_server_count_requests (f->account.server, "GET", alan_polls), ==, polls);
  }

  /* Ada's list came after the server's second. */
  wait_loaded (matrix);
  took = g_get_monotonic_time () - start;
  g_assert_cmpint (took, >=, 900 * 1000);
  g_assert_cmpuint (atelier_run_matrix_get_tune_state (matrix, 0), ==, ATELIER_RUN_TUNE_LISTED);

  atelier_test_wait_until (atelier_run_matrix_get_n_pending (matrix) == 0, WAIT_MS);
  atelier_test_wait_until (!atelier_run_matrix_is_rate_limited (matrix), WAIT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (matrix)), >, 0);
  atelier_test_wait_until (!_atelier_run_matrix_is_busy (matrix), WAIT_MS);
}

/* Likes: per cell, counted per row, per tune and for the run; sort and
 * the liked-only filter follow. */
static void
test_likes (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) tunes = get_tunes (f, f->ada, f->alan, (gint64) 0);
  g_autoptr(AtelierPackRun) run = pack_run_now (PACK_ID, tunes);
  g_autoptr(AtelierRunMatrix) matrix = NULL;
  AtelierRunRow *first;
  AtelierRunRow *second;
  guint n_rows;
  guint changes = 0;

  atelier_sandbox_server_set_prompt_delay_ms (f->account.server, 0);
  run_pack (f, PACK_ID, f->ada, f->alan);
  matrix = new_matrix (f, run);
  atelier_run_matrix_reload (matrix);
  wait_loaded (matrix);
  n_rows = g_list_model_get_n_items (G_LIST_MODEL (matrix));
  g_assert_cmpuint (n_rows, >=, 3);
  first = row_at (matrix, 0);
  second = row_at (matrix, 1);

  atelier_sandbox_server_clear_requests (f->account.server);
  set_liked (f, atelier_run_row_get_prompt (first, 0), TRUE);
  set_liked (f, atelier_run_row_get_prompt (second, 0), TRUE);
  set_liked (f, atelier_run_row_get_prompt (second, 1), TRUE);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (f->account.server, "POST", "/prompts/"), ==, 3);

  g_assert_true (atelier_run_row_is_liked (first, 0));
  g_assert_false (atelier_run_row_is_liked (first, 1));
  g_assert_cmpuint (atelier_run_row_get_n_likes (first), ==, 1);
  g_assert_cmpuint (atelier_run_row_get_n_likes (second), ==, 2);
  g_assert_cmpuint (atelier_run_matrix_get_tune_n_likes (matrix, 0), ==, 2);
  g_assert_cmpuint (atelier_run_matrix_get_tune_n_likes (matrix, 1), ==, 1);
  g_assert_cmpuint (atelier_run_matrix_get_n_likes (matrix), ==, 3);
  /* The service counts the like on the pack's original prompt too. */
  g_assert_cmpuint (atelier_sandbox_server_get_like_count (f->account.server, atelier_run_row_get_orig_prompt_id (second)), ==, 2);

  /* Most liked first. */
  g_signal_connect (matrix, "items-changed", G_CALLBACK (count_items_changed_cb), &changes);
  atelier_run_matrix_set_sort (matrix, ATELIER_RUN_MATRIX_SORT_LIKES);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_true (row_at (matrix, 0) == second);
  g_assert_true (row_at (matrix, 1) == first);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (matrix)), ==, n_rows);

  /* Liked only. */
  atelier_run_matrix_set_liked_only (matrix, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (matrix)), ==, 2);

  /* An unlike takes the row away from the liked ones. */
  set_liked (f, atelier_run_row_get_prompt (first, 0), FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (matrix)), ==, 1);
  g_assert_true (row_at (matrix, 0) == second);
  g_assert_cmpuint (atelier_run_matrix_get_n_likes (matrix), ==, 2);
  g_assert_cmpuint (atelier_run_matrix_get_tune_n_likes (matrix, 0), ==, 1);

  atelier_run_matrix_set_liked_only (matrix, FALSE);
  atelier_run_matrix_set_sort (matrix, ATELIER_RUN_MATRIX_SORT_PACK);
  g_assert_true (row_at (matrix, 0) == first);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (matrix)), ==, n_rows);
  atelier_test_wait_until (!_atelier_run_matrix_is_busy (matrix), WAIT_MS);
}

/* The CSV of likes per pack prompt, quoted as RFC 4180 says. */
static void
test_csv (Fixture       *f,
          gconstpointer  data)
{
  gint64 quoted = atelier_sandbox_server_seed_tune (f->account.server, "Ada, \"the first\"", "woman", TRUE);
  gint64 formula = atelier_sandbox_server_seed_tune (f->account.server, "=Bob", "man", TRUE);
  g_autoptr(GPtrArray) tunes = get_tunes (f, quoted, formula, (gint64) 0);
  g_autoptr(AtelierPackRun) run = pack_run_now (PACK_ID, tunes);
  g_autoptr(AtelierRunMatrix) matrix = NULL;
  g_autofree char *csv = NULL;
  AtelierRunRow *row;

  atelier_sandbox_server_seed_prompt (f->account.server, quoted, "ohwx woman, \"quoted\", two", 1);
  atelier_sandbox_server_seed_prompt (f->account.server, formula, "ohwx man \"quoted\", two", 1);
  atelier_sandbox_server_seed_prompt (f->account.server, quoted, "ohwx woman on\na new line", 1);

  matrix = new_matrix (f, run);
  atelier_run_matrix_reload (matrix);
  wait_loaded (matrix);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (matrix)), ==, 2);
  row = find_row (matrix, "\"quoted\", two");
  g_assert_nonnull (row);
  set_liked (f, atelier_run_row_get_prompt (row, 1), TRUE);

  csv = atelier_run_matrix_dup_csv (matrix);
  g_assert_cmpstr (csv, ==,
                   "prompt,orig_prompt_id,likes,\"Ada, \"\"the first\"\"\",\"'=Bob\"\r\n"
                   "\"\"\"quoted\"\", two\",,1,0,1\r\n"
                   "on a new line,,0,0,\r\n");

  {
    g_autofree char *plain = atelier_run_matrix_csv_field ("plain text");
    g_autofree char *minus = atelier_run_matrix_csv_field ("-1");
    g_autofree char *empty = atelier_run_matrix_csv_field (NULL);
    g_autofree char *space = atelier_run_matrix_csv_field (" padded");
    g_autofree char *lines = atelier_run_matrix_csv_field ("two\nlines");

    g_assert_cmpstr (plain, ==, "plain text");
    g_assert_cmpstr (minus, ==, "\"'-1\"");
    g_assert_cmpstr (empty, ==, "");
    g_assert_cmpstr (space, ==, "\" padded\"");
    g_assert_cmpstr (lines, ==, "\"two\nlines\"");
  }
  /* The tunes have different numbers of prompts: it would keep listing. */
  g_assert_true (atelier_run_matrix_is_creating (matrix));
}

/* Nothing yet: the tunes are listed again, with backoff, while inactive
 * not at all. */
static void
test_waiting (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) tunes = get_tunes (f, f->ada, (gint64) 0);
  g_autoptr(AtelierPackRun) run = pack_run_now (PACK_ID, tunes);
  g_autoptr(AtelierRunMatrix) matrix = NULL;
  g_autofree char *path = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT "/prompts", f->ada);
  guint lists;

  matrix = new_matrix (f, run);
  atelier_run_matrix_reload (matrix);
  wait_loaded (matrix);
  g_assert_true (atelier_run_matrix_is_creating (matrix));
  g_assert_cmpuint (atelier_run_matrix_get_n_prompts (matrix), ==, 0);
  atelier_test_wait_until (atelier_sandbox_server_count_requests (f->account.server, "GET", path) >= 3, WAIT_MS);

  /* Inactive (the window hidden): nothing is asked, but for a list that
   * was on its way. */
  atelier_run_matrix_set_active (matrix, FALSE);
  lists = atelier_sandbox_server_count_requests (f->account.server, "GET", path);
  spin (300);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (f->account.server, "GET", path), <=, lists + 1);
  lists = atelier_sandbox_server_count_requests (f->account.server, "GET", path);
  spin (400);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (f->account.server, "GET", path), ==, lists);

  /* Active again: the prompts come. */
  atelier_sandbox_server_seed_prompt (f->account.server, f->ada, "ohwx woman at last", 1);
  atelier_run_matrix_set_active (matrix, TRUE);
  atelier_test_wait_until (g_list_model_get_n_items (G_LIST_MODEL (matrix)) == 1, WAIT_MS);
  atelier_test_wait_until (!atelier_run_matrix_is_creating (matrix), WAIT_MS);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/run-matrix/normalize", test_normalize);
  ADD ("/run-matrix/pack-rows", test_pack_rows);
  ADD ("/run-matrix/text-rows", test_text_rows);
  ADD ("/run-matrix/theme-rows", test_theme_rows);
  ADD ("/run-matrix/theme-positions", test_theme_positions);
  ADD ("/run-matrix/failures", test_failures);
  ADD ("/run-matrix/deleted-tune", test_deleted_tune);
  ADD ("/run-matrix/rate-limit", test_rate_limit);
  ADD ("/run-matrix/likes", test_likes);
  ADD ("/run-matrix/csv", test_csv);
  ADD ("/run-matrix/waiting", test_waiting);

  return g_test_run ();
}
