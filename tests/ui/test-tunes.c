/* test-tunes.c: the tunes list and a tune's detail
 *
 * The real application in-process, in its Sandbox: more than one page of
 * tunes loaded as the user scrolls, without duplicates even when a tune
 * is added between two pages; search through every tune; status polled
 * with backoff while a tune trains and a desktop notification when it is
 * ready; the detail page, its links, and delete with confirmation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atelier-application.h"
#include "atelier-prompt-editor.h"
#include "atelier-test-utils.h"
#include "atelier-tunes-page.h"
#include "atelier-ui-test-utils.h"
#include "atelier-window-private.h"

#define WAIT_MS 60000   /* generous: a loaded machine, software rendering */
#define N_SEEDED 45

static AtelierApplication *app;
static AtelierWindow *window;
static AtelierSession *session;
static AtelierSandboxServer *sandbox;
static GPtrArray *notifications;

/* {{{ Helpers */

static AtelierTunesPage *
page (void)
{
  return ATELIER_TUNES_PAGE (_atelier_window_get_page (window, "tunes"));
}

static GListModel *
tunes (void)
{
  return atelier_tunes_page_get_model (page ());
}

static GtkWidget *
find_id (const char *id)
{
  GtkWidget *widget = atelier_ui_find_by_id (GTK_WIDGET (page ()), id);

  g_assert_nonnull (widget);
  return widget;
}

static void
reload (void)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
  g_assert_true (atelier_tunes_page_get_loading (page ()));
  atelier_test_wait_until (!atelier_tunes_page_get_loading (page ()), WAIT_MS);
}

static guint
count_rows (void)
{
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (find_id ("list_box")); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row))
      n++;

  return n;
}

static gboolean
all_distinct (void)
{
  g_autoptr(GHashTable) ids = g_hash_table_new (g_int64_hash, g_int64_equal);
  guint n = g_list_model_get_n_items (tunes ());
  g_autofree gint64 *values = g_new (gint64, n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AtelierTune) tune = g_list_model_get_item (tunes (), i);

      values[i] = atelier_tune_get_id (tune);
      if (!g_hash_table_add (ids, &values[i]))
        return FALSE;
    }

  return TRUE;
}

/* What a user does to see more: scroll to the end, wait for the page. */
static void
scroll_to_end (void)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (find_id ("list_scroller")));
  AtelierTuneList *list = atelier_tunes_page_get_tune_list (page ());
  guint before = g_list_model_get_n_items (tunes ());
  double upper;

  /* Laid out: the list is taller than the view. */
  atelier_test_wait_until (gtk_adjustment_get_upper (adjustment) > gtk_adjustment_get_page_size (adjustment), WAIT_MS);
  upper = gtk_adjustment_get_upper (adjustment);
  gtk_adjustment_set_value (adjustment, upper - gtk_adjustment_get_page_size (adjustment));
  /* The next page arrives (or there was none), and is laid out. */
  atelier_test_wait_until ((g_list_model_get_n_items (tunes ()) > before || !atelier_tune_list_get_has_more (list)) &&
                           !atelier_tunes_page_get_loading (page ()), WAIT_MS);
  if (g_list_model_get_n_items (tunes ()) > before)
    atelier_test_wait_until (gtk_adjustment_get_upper (adjustment) > upper, WAIT_MS);
}

static GtkWidget *
find_row (const char *title)
{
  return atelier_ui_find_labelled (find_id ("list_box"), ADW_TYPE_ACTION_ROW, title);
}

static AtelierTune *
find_tune (const char *title)
{
  for (guint i = 0; i < g_list_model_get_n_items (tunes ()); i++)
    {
      g_autoptr(AtelierTune) tune = g_list_model_get_item (tunes (), i);

      if (g_strcmp0 (atelier_tune_get_title (tune), title) == 0)
        return tune;   /* the list keeps it */
    }

  return NULL;
}

static void
back_to_list (void)
{
  if (g_strcmp0 (atelier_tunes_page_get_view (page ()), "list") != 0)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (atelier_tunes_page_get_detail (page ())), "detail.back", NULL));
  atelier_window_show_page (window, "tunes");
  g_assert_cmpstr (atelier_tunes_page_get_view (page ()), ==, "list");
}

static void
seed_tunes (void)
{
  for (guint i = 1; i <= N_SEEDED; i++)
    {
      g_autofree char *title = g_strdup_printf ("Seeded %02u", i);
      atelier_sandbox_server_seed_tune (sandbox, title, i % 2 ? "man" : "woman", TRUE);
    }
}

/* A fresh application in its Sandbox, the tunes page loaded. */
static void
start (void)
{
  window = atelier_ui_app_start (NULL);
  app = atelier_ui_get_app ();
  session = atelier_window_get_session (window);
  g_assert_cmpint (atelier_session_get_mode (session), ==, ATELIER_SESSION_MODE_SANDBOX);
  sandbox = atelier_ui_get_sandbox ();
  atelier_test_wait_until (!atelier_tunes_page_get_loading (page ()), WAIT_MS);
}

/* The same with 45 tunes in the Sandbox. */
static void
start_seeded (void)
{
  start ();
  seed_tunes ();
  reload ();
}

/* }}} */

/* More than 20 tunes: page by page as the list scrolls, none twice. */
static void
test_paging (void)
{
  AtelierTuneList *list = atelier_tunes_page_get_tune_list (page ());

  seed_tunes ();
  reload ();
  g_assert_cmpuint (g_list_model_get_n_items (tunes ()), ==, ATELIER_PAGE_SIZE);
  g_assert_true (atelier_tune_list_get_has_more (list));
  g_assert_cmpuint (count_rows (), ==, ATELIER_PAGE_SIZE);
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (page ()), "20 Tunes and More"));
  atelier_ui_save_screenshot (GTK_WINDOW (window), "tunes-list");

  /* A tune added meanwhile moves every later one down by one. */
  atelier_sandbox_server_seed_tune (sandbox, "Latecomer", "man", TRUE);

  while (atelier_tune_list_get_has_more (list))
    scroll_to_end ();

  g_assert_cmpuint (g_list_model_get_n_items (tunes ()), ==, N_SEEDED);
  g_assert_cmpuint (count_rows (), ==, N_SEEDED);
  g_assert_true (all_distinct ());
  g_assert_nonnull (find_tune ("Seeded 01"));
  g_assert_nonnull (find_tune ("Seeded 45"));
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (page ()), "45 Tunes"));

  /* F5 starts again from the first page, with the newcomer. */
  reload ();
  g_assert_nonnull (find_row ("Latecomer"));
  g_assert_cmpuint (g_list_model_get_n_items (tunes ()), ==, ATELIER_PAGE_SIZE);
}

/* A search looks through every tune, not only the pages loaded. */
static void
test_search (void)
{
  GtkWidget *entry = find_id ("search_entry");
  guint rows;

  reload ();
  g_assert_cmpuint (g_list_model_get_n_items (tunes ()), ==, ATELIER_PAGE_SIZE);
  g_assert_null (find_tune ("Seeded 03"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
  gtk_editable_set_text (GTK_EDITABLE (entry), "seeded 0");
  atelier_test_wait_until (!atelier_tune_list_get_has_more (atelier_tunes_page_get_tune_list (page ())) &&
                           !atelier_tunes_page_get_loading (page ()), WAIT_MS);
  /* The list box follows the filter a little later under load. */
  atelier_test_wait_until (count_rows () == 9, WAIT_MS);

  rows = count_rows ();
  g_assert_cmpuint (rows, ==, 9);
  for (guint i = 1; i <= 9; i++)
    {
      g_autofree char *title = g_strdup_printf ("Seeded %02u", i);
      g_assert_nonnull (find_row (title));
    }
  g_assert_null (find_row ("Seeded 10"));
  atelier_ui_save_screenshot (GTK_WINDOW (window), "tunes-search");

  g_signal_emit_by_name (entry, "stop-search");
  atelier_test_wait_until (count_rows () == g_list_model_get_n_items (tunes ()), WAIT_MS);
}

/* Training → ready: polled with backoff, then a notification. */
static void
test_training_notification (void)
{
  AtelierTuneList *list = atelier_tunes_page_get_tune_list (page ());
  guint first_notifications = notifications->len;
  guint max_delay = 0;
  AtelierTune *tune;

  atelier_tune_list_set_poll_base_ms (list, 200);
  atelier_sandbox_server_set_training_delay_ms (sandbox, 4000);
  atelier_sandbox_server_seed_tune (sandbox, "Training Tara", "woman", FALSE);
  reload ();

  tune = find_tune ("Training Tara");
  g_assert_nonnull (tune);
  g_assert_cmpint (atelier_tune_get_state (tune, NULL), ==, ATELIER_TUNE_STATE_TRAINING);
  g_assert_true (atelier_ui_shows_text (find_row ("Training Tara"), "Training"));
  g_assert_cmpuint (atelier_tune_list_get_poll_delay_ms (list), ==, 200);

  /* Each round waits longer while it trains. */
  while (notifications->len == first_notifications)
    {
      max_delay = MAX (max_delay, atelier_tune_list_get_poll_delay_ms (list));
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpuint (max_delay, >=, 200 * 3 / 2);

  g_assert_cmpstr (notifications->pdata[notifications->len - 1], ==,
                   "Training Finished\n“Training Tara” is ready: you can generate images now.");
  atelier_test_wait_until (atelier_ui_shows_text (find_row ("Training Tara"), "Ready"), WAIT_MS);
  /* Nothing trains: no more polling, so no second notification. */
  g_assert_cmpuint (atelier_tune_list_get_poll_delay_ms (list), ==, 0);
  g_assert_cmpuint (notifications->len, ==, first_notifications + 1);
}

/* The detail: parameters, a link to the prompts, New Prompt, delete. */
static void
test_detail (void)
{
  AtelierTuneDetail *detail = atelier_tunes_page_get_detail (page ());
  AtelierTune *tune;
  GtkWindow *dialog;
  GtkWindow *editor;
  gint64 id;

  atelier_sandbox_server_seed_tune (sandbox, "Training Tara", "woman", TRUE);
  back_to_list ();
  reload ();
  tune = find_tune ("Seeded 45");
  g_assert_nonnull (tune);
  id = atelier_tune_get_id (tune);

  /* A click on the row. */
  g_signal_emit_by_name (find_id ("list_box"), "row-activated", gtk_widget_get_ancestor (find_row ("Seeded 45"), GTK_TYPE_LIST_BOX_ROW));
  g_assert_cmpstr (atelier_tunes_page_get_view (page ()), ==, "detail");
  g_assert_cmpint (atelier_tune_get_id (atelier_tune_detail_get_tune (detail)), ==, id);
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (detail), "Parameters"));
  g_assert_nonnull (atelier_ui_find_labelled (GTK_WIDGET (detail), ADW_TYPE_ACTION_ROW, "Base Model"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (atelier_ui_find_labelled (GTK_WIDGET (detail), ADW_TYPE_ACTION_ROW, "Base Model"))),
                   ==, "Realistic Vision v5.1 (690204)");
  atelier_ui_save_screenshot (GTK_WINDOW (window), "tunes-detail");

  /* Ready: New Prompt opens the prompt editor for it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (detail), "detail.new-prompt", NULL));
  editor = atelier_ui_find_toplevel (ATELIER_TYPE_PROMPT_EDITOR);
  g_assert_nonnull (editor);
  g_assert_true (gtk_window_get_transient_for (editor) == GTK_WINDOW (window));
  gtk_window_destroy (editor);

  /* Prompts: the gallery, for this tune. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (detail), "detail.show-prompts", NULL));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (atelier_ui_find_by_id (GTK_WIDGET (window), "view_stack"))),
                   ==, "gallery");
  atelier_window_show_page (window, "tunes");

  /* The notification's action shows a tune, loaded when not in the list. */
  back_to_list ();
  g_action_group_activate_action (G_ACTION_GROUP (app), "show-tune", g_variant_new_int64 (atelier_tune_get_id (find_tune ("Training Tara"))));
  atelier_test_wait_until (g_strcmp0 (atelier_tunes_page_get_view (page ()), "detail") == 0, WAIT_MS);
  g_assert_cmpstr (atelier_tune_get_title (atelier_tune_detail_get_tune (detail)), ==, "Training Tara");
  back_to_list ();
  g_action_group_activate_action (G_ACTION_GROUP (app), "show-tune", g_variant_new_int64 (id));
  g_assert_cmpstr (atelier_tunes_page_get_view (page ()), ==, "detail");

  /* Delete: asked first; Cancel keeps it. */
  atelier_sandbox_server_clear_requests (sandbox);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (detail), "detail.delete", NULL));
  dialog = atelier_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Delete “Seeded 45”?");
  atelier_ui_save_screenshot (dialog, "tunes-delete-dialog");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  /* "delete" would start at once (busy, below); "cancel" starts nothing. */
  g_assert_false (atelier_tune_detail_get_busy (detail));
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "DELETE", "/tunes"), ==, 0);
  g_assert_nonnull (find_tune ("Seeded 45"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (detail), "detail.delete", NULL));
  dialog = atelier_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "delete");
  g_assert_true (atelier_tune_detail_get_busy (detail));
  atelier_test_wait_until (g_strcmp0 (atelier_tunes_page_get_view (page ()), "list") == 0, WAIT_MS);
  g_assert_null (find_tune ("Seeded 45"));
  g_assert_null (find_row ("Seeded 45"));
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "DELETE", "/tunes"), ==, 1);
  g_assert_cmpstr (_atelier_window_get_last_toast (window), ==, "Tune deleted");

  /* Gone from the service too. */
  reload ();
  g_assert_null (find_tune ("Seeded 45"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  atelier_ui_test_init (&argc, &argv);
  notifications = atelier_ui_start_notification_server ();

  atelier_ui_test_add ("/tunes/paging", start, test_paging);
  atelier_ui_test_add ("/tunes/search", start_seeded, test_search);
  atelier_ui_test_add ("/tunes/training-notification", start, test_training_notification);
  atelier_ui_test_add ("/tunes/detail", start_seeded, test_detail);

  status = g_test_run ();

  return status;
}
