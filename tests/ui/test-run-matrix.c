/* test-run-matrix.c: a test run's matrix window, driven
 *
 * Runs the real application in its Sandbox: a pack is run on two tunes of
 * the app's sandbox, the run kept in the session's AtelierPackRuns and
 * its window opened as the packs screen opens it. The matrix fills as
 * the prompts finish; a like is one POST; counts, sort and liked-only
 * follow; a cell opens the viewer; the contact sheet (PNG, PDF) and the
 * CSV are written; a run with nothing yet waits for the service; and
 * after the application restarts, the run opens again from disk.
 * ATELIER_TEST_SCREENSHOTS=DIR keeps screenshots of each state.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "atelier-application.h"
#include "atelier-run-window-private.h"
#include "atelier-test-utils.h"
#include "atelier-ui-test-utils.h"
#include "atelier-window-private.h"

#define WAIT_MS 20000
#define PACK_ID 260

static AtelierApplication *app;
static AtelierWindow *window;
static AtelierSession *session;
static AtelierSandboxServer *sandbox;

static void
start (void)
{
  window = atelier_ui_app_start (NULL);
  app = atelier_ui_get_app ();
  session = atelier_window_get_session (window);
  sandbox = atelier_ui_get_sandbox ();
  g_assert_nonnull (sandbox);
}

/* {{{ Helpers */

static AtelierAstriaClient *
client (void)
{
  return atelier_session_get_astria_client (session);
}

static AtelierTune *
get_tune (gint64 tune_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  AtelierTune *tune;

  atelier_astria_client_get_tune_async (client (), tune_id, NULL, atelier_test_store_result, &result);
  tune = atelier_astria_client_get_tune_finish (client (), atelier_test_wait_result (&result), &error);
  g_assert_no_error (error);
  return tune;
}

static AtelierPack *
get_pack (gint64 pack_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) packs = NULL;
  g_autoptr(GError) error = NULL;

  atelier_astria_client_list_packs_async (client (), TRUE, NULL, atelier_test_store_result, &result);
  packs = atelier_astria_client_list_packs_finish (client (), atelier_test_wait_result (&result), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < packs->len; i++)
    {
      if (atelier_pack_get_id (g_ptr_array_index (packs, i)) == pack_id)
        return g_object_ref (g_ptr_array_index (packs, i));
    }
  g_assert_not_reached ();
}

/* Runs the pack on two new tunes (unless @send is FALSE: the run is kept
 * but the service was not asked yet), keeps the run and opens its
 * window. */
static AtelierRunWindow *
run_pack_on_two_tunes (gboolean         send,
                       AtelierPackRun **run_out)
{
  gint64 ids[2];
  g_autoptr(GPtrArray) tunes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(AtelierPack) pack = get_pack (PACK_ID);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(AtelierPackRun) run = NULL;
  AtelierRunWindow *run_window;

  ids[0] = atelier_sandbox_server_seed_tune (sandbox, "Ada", "woman", TRUE);
  ids[1] = atelier_sandbox_server_seed_tune (sandbox, "Alan", "man", TRUE);
  g_ptr_array_add (tunes, get_tune (ids[0]));
  g_ptr_array_add (tunes, get_tune (ids[1]));

  run = atelier_pack_run_new_for_pack (pack, tunes, now);
  if (send)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) answer = NULL;
      g_autoptr(GError) error = NULL;

      atelier_astria_client_run_pack_async (client (), PACK_ID, ids, 2, NULL, atelier_test_store_result, &result);
      answer = atelier_astria_client_run_pack_finish (client (), atelier_test_wait_result (&result), &error);
      g_assert_no_error (error);
    }
  atelier_pack_runs_add (atelier_session_get_pack_runs (session), run);

  atelier_run_window_present (GTK_WIDGET (window), session, run);
  run_window = _atelier_run_window_lookup (atelier_pack_run_get_id (run));
  g_assert_nonnull (run_window);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (run_window)) == GTK_WINDOW (window));

  if (run_out != NULL)
    *run_out = g_object_ref (run);
  return run_window;
}

static AtelierRunMatrix *
matrix_of (AtelierRunWindow *run_window)
{
  return _atelier_run_window_get_matrix (run_window);
}

static AtelierRunMatrixView *
view_of (AtelierRunWindow *run_window)
{
  return _atelier_run_window_get_view (run_window);
}

static gboolean
cells_shown (AtelierRunWindow *run_window)
{
  guint waiting = 0;
  guint visible = atelier_run_matrix_view_count_visible_cells (view_of (run_window), &waiting);

  return visible > 0 && waiting == 0;
}

static AtelierRunRow *
row_at (AtelierRunWindow *run_window,
        guint             position)
{
  g_autoptr(AtelierRunRow) row = g_list_model_get_item (G_LIST_MODEL (matrix_of (run_window)), position);

  g_assert_nonnull (row);
  return row;
}

static gint64
prompt_id_at (AtelierRunWindow *run_window,
              guint             position,
              guint             column)
{
  AtelierPrompt *prompt = atelier_run_row_get_prompt (row_at (run_window, position), column);

  g_assert_nonnull (prompt);
  return atelier_prompt_get_id (prompt);
}

static AtelierRunCell *
cell_for (AtelierRunWindow *run_window,
          gint64            prompt_id)
{
  AtelierRunCell *cell = NULL;

  atelier_test_wait_until ((cell = atelier_run_matrix_view_find_cell (view_of (run_window), prompt_id)) != NULL,
                           WAIT_MS);
  return cell;
}

static guint
count_like_posts (gint64 prompt_id)
{
  g_autofree char *path = g_strdup_printf ("/prompts/%" G_GINT64_FORMAT "/like", prompt_id);

  /* "/like" is a prefix of "/likes": either spelling. */
  return atelier_sandbox_server_count_requests (sandbox, "POST", path);
}

static void
click_like (AtelierRunWindow *run_window,
            gint64            prompt_id)
{
  AtelierLikes *likes = atelier_session_get_likes (session);
  gboolean was = atelier_likes_is_liked (likes, prompt_id);
  GtkWidget *button = atelier_run_cell_get_like_button (cell_for (run_window, prompt_id));

  g_assert_true (atelier_ui_is_shown (button));
  g_assert_nonnull (gtk_widget_get_tooltip_text (button));
  g_autofree char *path = g_strdup_printf ("/prompts/%" G_GINT64_FORMAT "/like", prompt_id);
  guint before = atelier_sandbox_server_count_requests (sandbox, NULL, path);

  gtk_widget_activate (button);
  /* Shown at once, then sent. */
  atelier_test_wait_until (atelier_likes_is_liked (likes, prompt_id) != was, WAIT_MS);
  atelier_test_wait_until (atelier_sandbox_server_count_requests (sandbox, NULL, path) > before, WAIT_MS);
  atelier_ui_spin (100);
}

static gboolean
file_nonempty (const char *path)
{
  GStatBuf buf;

  return g_stat (path, &buf) == 0 && buf.st_size > 0;
}

/* }}} */

/* The matrix fills as the prompts finish; likes, counts, sort, liked
 * only, the viewer; exports. */
static void
test_window (void)
{
  g_autoptr(AtelierPackRun) run = NULL;
  AtelierRunWindow *run_window;
  AtelierRunMatrix *matrix;
  g_autofree char *header = NULL;
  guint n_rows;
  gint64 first_on_ada;
  gint64 second_on_ada;
  gint64 second_on_alan;

  /* Slow prompts: the matrix shows them rendering first. */
  atelier_sandbox_server_set_prompt_delay_ms (sandbox, 2500);
  run_window = run_pack_on_two_tunes (TRUE, &run);
  matrix = matrix_of (run_window);
  atelier_test_wait_until (g_str_equal (_atelier_run_window_get_page (run_window), "matrix"), WAIT_MS);
  n_rows = g_list_model_get_n_items (G_LIST_MODEL (matrix));
  g_assert_cmpuint (n_rows, >=, 3);
  g_assert_cmpuint (atelier_run_matrix_get_n_pending (matrix), >, 0);
  /* Headers: the tunes with their likes, the run's total over the prompts. */
  g_assert_cmpstr (atelier_run_matrix_view_get_header (view_of (run_window), 1), ==, "Ada · 0 likes");
  g_assert_cmpstr (atelier_run_matrix_view_get_header (view_of (run_window), 2), ==, "Alan · 0 likes");
  g_assert_cmpstr (atelier_run_matrix_view_get_header (view_of (run_window), 0), ==, "Prompt · 0 likes in all");
  /* Rendering: no like yet, nothing to open. */
  {
    AtelierRunCell *cell = cell_for (run_window, prompt_id_at (run_window, 0, 0));

    g_assert_false (atelier_ui_is_shown (atelier_run_cell_get_like_button (cell)));
    g_signal_emit_by_name (cell, "activate");
    g_assert_null (_atelier_run_window_get_viewer (run_window));
  }
  atelier_ui_save_screenshot (GTK_WINDOW (run_window), "matrix-rendering");

  /* The prompts finish: every cell in sight shows its thumbnail. */
  atelier_test_wait_until (atelier_run_matrix_get_n_pending (matrix) == 0, WAIT_MS);
  atelier_test_wait_until (cells_shown (run_window), WAIT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (matrix)), ==, n_rows);
  atelier_ui_save_screenshot (GTK_WINDOW (run_window), "matrix-done");

  /* A like is one POST, and the counts follow. */
  first_on_ada = prompt_id_at (run_window, 0, 0);
  second_on_ada = prompt_id_at (run_window, 1, 0);
  second_on_alan = prompt_id_at (run_window, 1, 1);
  atelier_sandbox_server_clear_requests (sandbox);
  click_like (run_window, first_on_ada);
  g_assert_cmpuint (count_like_posts (first_on_ada), ==, 1);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "POST", "/prompts/"), ==, 1);
  g_assert_cmpstr (atelier_run_matrix_view_get_header (view_of (run_window), 1), ==, "Ada · 1 like");
  g_assert_cmpstr (atelier_run_matrix_view_get_header (view_of (run_window), 0), ==, "Prompt · 1 like in all");
  g_assert_true (gtk_widget_has_css_class (atelier_run_cell_get_like_button (cell_for (run_window, first_on_ada)),
                                           "liked"));
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (run_window), "1 like"));

  click_like (run_window, second_on_ada);
  click_like (run_window, second_on_alan);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "POST", "/prompts/"), ==, 3);
  g_assert_cmpuint (atelier_run_matrix_get_n_likes (matrix), ==, 3);
  g_assert_cmpstr (atelier_run_matrix_view_get_header (view_of (run_window), 2), ==, "Alan · 1 like");
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (run_window), "2 likes"));

  /* Most liked first: the second row (two likes) comes up. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (_atelier_run_window_get_sort_button (run_window)), TRUE);
  g_assert_cmpint (prompt_id_at (run_window, 0, 0), ==, second_on_ada);
  g_assert_cmpint (prompt_id_at (run_window, 1, 0), ==, first_on_ada);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (matrix)), ==, n_rows);

  /* Liked only. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (_atelier_run_window_get_liked_only_button (run_window)), TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (matrix)), ==, 2);
  atelier_test_wait_until (cells_shown (run_window), WAIT_MS);
  atelier_ui_save_screenshot (GTK_WINDOW (run_window), "matrix-liked-only");

  /* Unliking the first empties its row from the liked ones. */
  click_like (run_window, first_on_ada);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (matrix)), ==, 1);
  g_assert_cmpstr (atelier_run_matrix_view_get_header (view_of (run_window), 1), ==, "Ada · 1 like");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (_atelier_run_window_get_liked_only_button (run_window)), FALSE);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (_atelier_run_window_get_sort_button (run_window)), FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (matrix)), ==, n_rows);
  g_assert_cmpint (prompt_id_at (run_window, 0, 0), ==, first_on_ada);

  /* A cell opens the viewer. */
  {
    AtelierRunCell *cell = cell_for (run_window, second_on_alan);
    AtelierRunViewer *viewer;

    g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (cell)));
    g_signal_emit_by_name (cell, "activate");
    viewer = _atelier_run_window_get_viewer (run_window);
    g_assert_nonnull (viewer);
    g_assert_cmpint (atelier_prompt_get_id (atelier_run_viewer_get_prompt (viewer)), ==, second_on_alan);
    atelier_test_wait_until (atelier_run_viewer_is_loaded (viewer), WAIT_MS);
    atelier_ui_save_screenshot (GTK_WINDOW (viewer), "matrix-viewer");
    atelier_run_viewer_set_index (viewer, 1);
    g_assert_cmpuint (atelier_run_viewer_get_index (viewer), ==, 1);
    atelier_test_wait_until (atelier_run_viewer_is_loaded (viewer), WAIT_MS);
    gtk_window_destroy (GTK_WINDOW (viewer));
    g_assert_null (_atelier_run_window_get_viewer (run_window));
  }

  /* The export menu's save dialog opens (and is left). */
  gtk_widget_activate_action (GTK_WIDGET (run_window), "run.export", "s", "png");
  g_assert_nonnull (_atelier_run_window_get_file_chooser (run_window));
  gtk_native_dialog_hide (_atelier_run_window_get_file_chooser (run_window));

  /* Exports, written off the main thread. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *dir = g_dir_make_tmp ("atelier-run-export-XXXXXX", &error);
    g_autofree char *png = g_build_filename (dir, "sheet.png", NULL);
    g_autofree char *pdf = g_build_filename (dir, "sheet.pdf", NULL);
    g_autofree char *csv = g_build_filename (dir, "likes.csv", NULL);
    g_autoptr(GFile) png_file = g_file_new_for_path (png);
    g_autoptr(GFile) pdf_file = g_file_new_for_path (pdf);
    g_autoptr(GFile) csv_file = g_file_new_for_path (csv);
    g_autoptr(GdkPixbuf) pixbuf = NULL;
    g_autofree char *pdf_text = NULL;
    g_autofree char *csv_text = NULL;
    gsize length = 0;

    g_assert_no_error (error);
    _atelier_run_window_export (run_window, ATELIER_RUN_EXPORT_PNG, png_file);
    _atelier_run_window_export (run_window, ATELIER_RUN_EXPORT_PDF, pdf_file);
    _atelier_run_window_export (run_window, ATELIER_RUN_EXPORT_CSV, csv_file);
    g_assert_true (_atelier_run_window_is_exporting (run_window));
    atelier_test_wait_until (!_atelier_run_window_is_exporting (run_window), WAIT_MS);

    g_assert_true (file_nonempty (png));
    g_assert_true (file_nonempty (pdf));
    g_assert_true (file_nonempty (csv));
    pixbuf = gdk_pixbuf_new_from_file (png, &error);
    g_assert_no_error (error);
    g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), >, 600);
    g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), >, 3 * ATELIER_RUN_CELL_SIZE);
    g_assert_true (g_file_get_contents (pdf, &pdf_text, &length, NULL));
    g_assert_true (length > 4 && memcmp (pdf_text, "%PDF", 4) == 0);
    g_assert_true (g_file_get_contents (csv, &csv_text, NULL, NULL));
    g_assert_true (g_str_has_prefix (csv_text, "prompt,orig_prompt_id,likes,Ada,Alan\r\n"));
    g_assert_nonnull (strstr (csv_text, ",2,1,1\r\n"));

    if (g_getenv ("ATELIER_TEST_SCREENSHOTS") != NULL)
      {
        g_autofree char *keep = g_build_filename (g_getenv ("ATELIER_TEST_SCREENSHOTS"), "matrix-contact-sheet.png", NULL);
        g_autofree char *keep_pdf = g_build_filename (g_getenv ("ATELIER_TEST_SCREENSHOTS"), "matrix-contact-sheet.pdf", NULL);
        g_autoptr(GFile) to = g_file_new_for_path (keep);
        g_autoptr(GFile) to_pdf = g_file_new_for_path (keep_pdf);

        g_file_copy (png_file, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, NULL);
        g_file_copy (pdf_file, to_pdf, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, NULL);
      }
    atelier_test_rm_rf (dir);
  }

  /* Presenting the run again raises the same window. */
  atelier_run_window_present (GTK_WIDGET (window), session, run);
  g_assert_true (_atelier_run_window_lookup (atelier_pack_run_get_id (run)) == run_window);
}

/* Some prompts fail (their cells say why); a tune deleted mid-run. */
static void
test_bad_input (void)
{
  AtelierRunWindow *run_window;
  AtelierRunMatrix *matrix;
  g_autoptr(AtelierPackRun) run = NULL;
  g_autoptr(GPtrArray) tunes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gint64 ada = atelier_sandbox_server_seed_tune (sandbox, "Ada", "woman", TRUE);
  gint64 alan = atelier_sandbox_server_seed_tune (sandbox, "Alan", "man", TRUE);
  gint64 failing;
  AtelierRunCell *cell;
  const char *tooltip;

  g_ptr_array_add (tunes, get_tune (ada));
  g_ptr_array_add (tunes, get_tune (alan));
  run = atelier_pack_run_new_for_theme ("Film noir", tunes, now);
  atelier_sandbox_server_seed_prompt (sandbox, ada, "ohwx woman in the rain", 2);
  atelier_sandbox_server_seed_prompt (sandbox, alan, "ohwx man in the rain", 2);
  {
    g_autoptr(AtelierPromptParams) params = atelier_prompt_params_new ();
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(AtelierPrompt) prompt = NULL;
    g_autoptr(GError) error = NULL;

    atelier_sandbox_server_set_prompt_delay_ms (sandbox, 300);
    atelier_params_set_string (ATELIER_PARAMS (params), "text", "ohwx woman [fail] <b>bold</b> & co");
    atelier_astria_client_create_prompt_async (client (), ada, params, NULL, NULL, NULL,
                                               atelier_test_store_result, &result);
    prompt = atelier_astria_client_create_prompt_finish (client (), atelier_test_wait_result (&result), &error);
    g_assert_no_error (error);
    failing = atelier_prompt_get_id (prompt);
  }

  atelier_run_window_present (GTK_WIDGET (window), session, run);
  run_window = _atelier_run_window_lookup (atelier_pack_run_get_id (run));
  matrix = matrix_of (run_window);
  atelier_test_wait_until (g_str_equal (_atelier_run_window_get_page (run_window), "matrix"), WAIT_MS);
  atelier_test_wait_until (atelier_run_matrix_get_n_failed (matrix) == 1, WAIT_MS);

  /* The failed cell: a warning whose tooltip and description are why. */
  cell = cell_for (run_window, failing);
  atelier_test_wait_until ((tooltip = gtk_widget_get_tooltip_text (GTK_WIDGET (cell))) != NULL, WAIT_MS);
  g_assert_nonnull (strstr (tooltip, "fail"));
  /* Server text as plain text, never markup. */
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (run_window), "[fail] <b>bold</b> & co"));

  /* Alan is deleted: his column says so, Ada's carries on. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;

    atelier_astria_client_delete_tune_async (client (), alan, NULL, atelier_test_store_result, &result);
    atelier_astria_client_delete_tune_finish (client (), atelier_test_wait_result (&result), &error);
    g_assert_no_error (error);
  }
  gtk_widget_activate_action (GTK_WIDGET (run_window), "run.reload", NULL);
  atelier_test_wait_until (atelier_run_matrix_get_tune_state (matrix, 1) == ATELIER_RUN_TUNE_GONE, WAIT_MS);
  atelier_test_wait_until (g_str_equal (atelier_run_matrix_view_get_header (view_of (run_window), 2), "Alan · deleted"),
                           WAIT_MS);
  atelier_test_wait_until (atelier_ui_shows_text (GTK_WIDGET (run_window), "Tune deleted"), WAIT_MS);
  atelier_test_wait_until (cells_shown (run_window), WAIT_MS);
  atelier_ui_save_screenshot (GTK_WINDOW (run_window), "matrix-bad-input");
}

/* Nothing made yet: the window waits for the service and says what was
 * sent; the prompts then come in. */
static void
test_waiting (void)
{
  AtelierRunWindow *run_window;
  g_autoptr(AtelierPackRun) run = NULL;

  run_window = run_pack_on_two_tunes (FALSE, &run);
  atelier_test_wait_until (g_str_equal (_atelier_run_window_get_page (run_window), "waiting"), WAIT_MS);
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (run_window), "Corporate headshots"));
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (run_window), "Ada, Alan"));
  atelier_ui_save_screenshot (GTK_WINDOW (run_window), "matrix-waiting");

  {
    gint64 ids[] = { atelier_pack_run_get_tune_id (run, 0), atelier_pack_run_get_tune_id (run, 1) };
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GPtrArray) answer = NULL;
    g_autoptr(GError) error = NULL;

    atelier_astria_client_run_pack_async (client (), PACK_ID, ids, 2, NULL, atelier_test_store_result, &result);
    answer = atelier_astria_client_run_pack_finish (client (), atelier_test_wait_result (&result), &error);
    g_assert_no_error (error);
  }
  /* The next look (2 s, then 4 s) finds them. */
  atelier_test_wait_until (g_str_equal (_atelier_run_window_get_page (run_window), "matrix"), WAIT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (_atelier_run_window_get_matrix (run_window))), >=, 3);
}

/* {{{ Restart */

static void
quit_instead_cb (GApplication *application)
{
  g_signal_stop_emission_by_name (application, "activate");
  g_application_quit (application);
}

/* A new application on the same data: what a restart is. (The test
 * utilities' start wipes the data first.) */
static AtelierApplication *
start_again (void)
{
  g_autoptr(GError) error = NULL;
  AtelierApplication *again = g_object_new (ATELIER_TYPE_APPLICATION,
                                            "application-id", APP_ID,
                                            "flags", G_APPLICATION_NON_UNIQUE,
                                            NULL);
  GList *windows;

  g_application_register (G_APPLICATION (again), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (again));
  windows = gtk_application_get_windows (GTK_APPLICATION (again));
  g_assert_nonnull (windows);
  window = ATELIER_WINDOW (windows->data);
  session = atelier_application_get_session (again);
  atelier_test_wait_until (atelier_session_is_ready (session), 30000);
  sandbox = atelier_account_get_sandbox (atelier_application_get_account (again));

  return again;
}

static void
stop_again (AtelierApplication *again)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, 0);

      gtk_window_destroy (toplevel);
    }

  g_object_add_weak_pointer (G_OBJECT (again), (gpointer *) &again);
  g_signal_connect (again, "activate", G_CALLBACK (quit_instead_cb), NULL);
  g_application_run (G_APPLICATION (again), 0, NULL);
  g_object_unref (again);
  atelier_test_wait_until (again == NULL, 30000);
}

/* The run survives a restart: listed again, its window shows the same
 * matrix with the same likes. */
static void
test_restart (void)
{
  g_autoptr(AtelierPackRun) run = NULL;
  g_autofree char *run_id = NULL;
  AtelierRunWindow *run_window;
  AtelierPackRuns *runs;
  AtelierPackRun *kept;
  AtelierApplication *again;
  guint n_rows;
  gint64 liked;

  atelier_sandbox_server_set_prompt_delay_ms (sandbox, 0);
  run_window = run_pack_on_two_tunes (TRUE, &run);
  run_id = g_strdup (atelier_pack_run_get_id (run));
  atelier_test_wait_until (g_str_equal (_atelier_run_window_get_page (run_window), "matrix") &&
                           atelier_run_matrix_get_n_pending (matrix_of (run_window)) == 0, WAIT_MS);
  n_rows = g_list_model_get_n_items (G_LIST_MODEL (matrix_of (run_window)));
  liked = prompt_id_at (run_window, 0, 1);
  click_like (run_window, liked);
  atelier_test_wait_until (!atelier_pack_runs_is_writing (atelier_session_get_pack_runs (session)), WAIT_MS);
  g_clear_object (&run);

  atelier_ui_app_stop ();
  g_assert_null (_atelier_run_window_lookup (run_id));

  again = start_again ();
  runs = atelier_session_get_pack_runs (session);
  atelier_test_wait_until (atelier_pack_runs_is_loaded (runs), WAIT_MS);
  kept = atelier_pack_runs_lookup (runs, run_id);
  g_assert_nonnull (kept);
  g_assert_true (atelier_pack_run_is_readable (kept));

  atelier_run_window_present (GTK_WIDGET (window), session, kept);
  run_window = _atelier_run_window_lookup (run_id);
  g_assert_nonnull (run_window);
  atelier_test_wait_until (g_str_equal (_atelier_run_window_get_page (run_window), "matrix") &&
                           !atelier_run_matrix_is_loading (matrix_of (run_window)), WAIT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (matrix_of (run_window))), ==, n_rows);
  g_assert_cmpint (prompt_id_at (run_window, 0, 1), ==, liked);
  atelier_test_wait_until (atelier_run_matrix_get_n_likes (matrix_of (run_window)) == 1, WAIT_MS);
  g_assert_true (atelier_run_row_is_liked (row_at (run_window, 0), 1));
  atelier_test_wait_until (cells_shown (run_window), WAIT_MS);
  atelier_ui_save_screenshot (GTK_WINDOW (run_window), "matrix-after-restart");

  stop_again (again);
}

/* }}} */

int
main (int    argc,
      char **argv)
{
  atelier_ui_test_init (&argc, &argv);

  atelier_ui_test_add ("/run-matrix/window", start, test_window);
  atelier_ui_test_add ("/run-matrix/bad-input", start, test_bad_input);
  atelier_ui_test_add ("/run-matrix/waiting", start, test_waiting);
  atelier_ui_test_add ("/run-matrix/restart", start, test_restart);

  return g_test_run ();
}
