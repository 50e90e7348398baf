/* test-markup.c: text from outside is shown as it is, and lifetimes
 *
 * Tune titles, prompt texts, pack titles and a server's 422 detail with
 * markup in them are shown as they are, never parsed as Pango markup (and
 * GTK never warns it failed to parse them). A prompt editor closed while
 * its file chooser is open survives the chooser answering afterwards
 * (run under ASan).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atelier-gallery-page-private.h"
#include "atelier-packs-page.h"
#include "atelier-prompt-editor-private.h"
#include "atelier-test-utils.h"
#include "atelier-tunes-page.h"
#include "atelier-ui-test-utils.h"
#include "atelier-widget-utils.h"
#include "atelier-window-private.h"

#define WAIT_MS 60000

#define TUNE_TITLE "<b>bold</b> & <span foreground=\"red\">x</span>"
#define PROMPT_TEXT "a <i>portrait</i> &unknown; of sks woman <"
#define PACK_TITLE "&unknown; <span foreground=\"red\">Pack</span> <"
#define DETAIL "<b>bold</b> & <span foreground=\"red\">x</span> &unknown; <"

static AtelierWindow *window;
static AtelierSandboxServer *sandbox;
static guint markup_warnings;

static GLogWriterOutput
count_markup_warnings (GLogLevelFlags   log_level,
                       const GLogField *fields,
                       gsize            n_fields,
                       gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0 &&
          strstr (fields[i].value, "markup") != NULL)
        g_atomic_int_inc (&markup_warnings);
    }

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static GtkWidget *
page (const char *name)
{
  return _atelier_window_get_page (window, name);
}

static void
start (void)
{
  window = atelier_ui_app_start (NULL);
  sandbox = atelier_ui_get_sandbox ();
  g_assert_nonnull (sandbox);
}

static void
refresh (void)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
}

static void
test_outside_text (void)
{
  gint64 tune_id = atelier_sandbox_server_seed_tune (sandbox, TUNE_TITLE, "woman", TRUE);
  AtelierSandboxFault fault = {
    .method = "GET", .path = "/tunes", .kind = ATELIER_SANDBOX_FAULT_STATUS, .status = 422,
    .body = "{\"detail\": \"" "<b>bold</b> & <span foreground=\\\"red\\\">x</span> &unknown; <" "\"}",
    .times = 0,
  };

  atelier_sandbox_server_seed_prompt (sandbox, tune_id, PROMPT_TEXT, 1);
  atelier_sandbox_server_seed_pack (sandbox, PACK_TITLE, FALSE, "", 0);

  /* The tunes list: the title as it is. */
  atelier_window_show_page (window, "tunes");
  refresh ();
  atelier_test_wait_until (atelier_ui_shows_text (page ("tunes"), TUNE_TITLE), WAIT_MS);

  /* The gallery: the prompt's text. */
  atelier_window_show_page (window, "gallery");
  refresh ();
  atelier_test_wait_until (atelier_ui_shows_text (page ("gallery"), PROMPT_TEXT), WAIT_MS);

  /* The packs page: the pack's title. */
  atelier_window_show_page (window, "packs");
  refresh ();
  atelier_test_wait_until (atelier_ui_shows_text (page ("packs"), PACK_TITLE), WAIT_MS);

  /* A 422 whose detail has markup: the field-error dialog says it. */
  atelier_sandbox_server_add_fault (sandbox, &fault);
  atelier_window_show_page (window, "tunes");
  refresh ();
  atelier_test_wait_until (_atelier_window_get_error_dialog (window) != NULL, WAIT_MS);
  atelier_test_wait_until (atelier_ui_shows_text (GTK_WIDGET (_atelier_window_get_error_dialog (window)), DETAIL),
                           WAIT_MS);
  atelier_sandbox_server_clear_faults (sandbox);
  gtk_window_destroy (_atelier_window_get_error_dialog (window));

  /* A load error's text on a status page (its description is markup). */
  {
    g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, DETAIL);
    GtkWidget *status = adw_status_page_new ();

    g_object_ref_sink (status);
    atelier_widget_show_load_error (page ("tunes"), ADW_STATUS_PAGE (status), error);
    g_assert_true (atelier_ui_shows_text (status, DETAIL));
    g_object_unref (status);
  }

  g_assert_cmpuint (g_atomic_int_get (&markup_warnings), ==, 0);
}

/* The editor goes while its file chooser is open; the chooser answers
 * afterwards and nothing hears it. */
static void
test_chooser_outlives_editor (void)
{
  GtkNativeDialog *chooser;
  GtkWidget *editor = NULL;
  GtkWidget *row;

  g_assert_true (gtk_widget_activate_action (page ("gallery"), "page.new-prompt", NULL));
  atelier_test_wait_until ((editor = (GtkWidget *) atelier_ui_find_toplevel (ATELIER_TYPE_PROMPT_EDITOR)) != NULL,
                           WAIT_MS);
  /* The input image's row, by its widget name. */
  {
    GtkWidget *stack[512];
    guint n = 0;

    row = NULL;
    stack[n++] = editor;
    while (n > 0 && row == NULL)
      {
        GtkWidget *widget = stack[--n];

        if (g_strcmp0 (gtk_widget_get_name (widget), "input_image") == 0)
          row = widget;
        for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL && n < G_N_ELEMENTS (stack);
             child = gtk_widget_get_next_sibling (child))
          stack[n++] = child;
      }
  }
  g_assert_nonnull (row);

  /* Its "Choose a File" button. */
  {
    GtkWidget *button = NULL;

    for (GtkWidget *widget = atelier_ui_find_by_type (row, GTK_TYPE_BUTTON); widget != NULL;
         widget = gtk_widget_get_next_sibling (widget))
      if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), "Choose a File") == 0)
        button = widget;
    g_assert_nonnull (button);
    g_signal_emit_by_name (button, "clicked");
  }
  chooser = _atelier_prompt_editor_get_file_chooser (ATELIER_PROMPT_EDITOR (editor));
  g_assert_nonnull (chooser);
  g_object_ref (chooser);

  gtk_window_destroy (GTK_WINDOW (editor));
  atelier_ui_spin (200);
  g_signal_emit_by_name (chooser, "response", GTK_RESPONSE_ACCEPT);
  atelier_ui_spin (100);
  g_object_unref (chooser);
}

int
main (int   argc,
      char *argv[])
{
  g_log_set_writer_func (count_markup_warnings, NULL, NULL);
  atelier_ui_test_init (&argc, &argv);

  atelier_ui_test_add ("/markup/outside-text", start, test_outside_text);
  atelier_ui_test_add ("/markup/chooser-outlives-editor", start, test_chooser_outlives_editor);

  return g_test_run ();
}
