/* test-window.c: the main window driven the way a user drives it
 *
 * Runs the real application in-process, in its Sandbox, against a second
 * sandbox server playing "Astria" (ATELIER_ASTRIA_URL) that only accepts
 * the key "right-key". Each case starts a fresh application (empty data,
 * settings and keyring, unless the case stores keys first). Needs a
 * display and an unlocked keyring (run-with-keyring.sh).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atelier-application.h"
#include "atelier-preferences-window.h"
#include "atelier-secret.h"
#include "atelier-test-utils.h"
#include "atelier-tunes-page.h"
#include "atelier-packs-page.h"
#include "atelier-ui-test-utils.h"
#include "atelier-window-private.h"

#define WAIT_MS 20000

static AtelierSandboxServer *remote;   /* "Astria", key "right-key" */
static AtelierApplication *app;
static AtelierWindow *window;
static AtelierSession *session;

/* A fresh application in the Sandbox (no key). */
static void
start_in_sandbox (void)
{
  window = atelier_ui_app_start (NULL);
  app = atelier_ui_get_app ();
  session = atelier_window_get_session (window);
}

/* A fresh application whose keyring holds the right Astria key. */
static void
start_connected (void)
{
  window = atelier_ui_app_start ("astria", "right-key", NULL);
  app = atelier_ui_get_app ();
  session = atelier_window_get_session (window);
  g_assert_cmpint (atelier_session_get_mode (session), ==, ATELIER_SESSION_MODE_ACCOUNT);
}

/* Both keys, Astria and fal.ai, in the keyring. */
static void
start_with_both_keys (void)
{
  window = atelier_ui_app_start ("astria", "right-key", "fal", "right-key", NULL);
  app = atelier_ui_get_app ();
  session = atelier_window_get_session (window);
  g_assert_true (atelier_session_has_fal_key (session));
}

static GtkWidget *
find_id (const char *id)
{
  GtkWidget *widget = atelier_ui_find_by_id (GTK_WIDGET (window), id);

  if (widget == NULL)
    g_error ("No widget with id “%s” in the window", id);
  return widget;
}

/* The account as the header shows it: the button's label when wide, the
 * title's subtitle when narrow (the subtitle always has it). */
static const char *
account_label (void)
{
  const char *subtitle = adw_view_switcher_title_get_subtitle (ADW_VIEW_SWITCHER_TITLE (find_id ("switcher_title")));
  const char *button = adw_button_content_get_label (ADW_BUTTON_CONTENT (find_id ("account_content")));

  g_assert_true (g_str_equal (button, subtitle) || g_str_equal (button, ""));
  return subtitle;
}

static char *
keyring_lookup (const char *service)
{
  g_autoptr(GError) error = NULL;
  char *key;

  key = secret_password_lookup_sync (atelier_secret_get_schema (), NULL, &error,
                                     "service", service,
                                     NULL);
  g_assert_no_error (error);
  return key;
}

static void
wait_page_loaded (GtkWidget *page)
{
  gboolean loading = TRUE;

  atelier_test_wait_until ((g_object_get (page, "loading", &loading, NULL), !loading), WAIT_MS);
}

static gboolean
read_nonempty (const char  *path,
               char       **contents)
{
  g_clear_pointer (contents, g_free);
  return g_file_get_contents (path, contents, NULL, NULL) && **contents != '\0';
}

/* Starts in the Sandbox and says so. */
static void
test_starts_in_sandbox (void)
{
  GtkWidget *revealer;
  GtkWidget *connect;

  atelier_test_wait_until (atelier_session_get_mode (session) != ATELIER_SESSION_MODE_STARTING, WAIT_MS);
  g_assert_cmpint (atelier_session_get_mode (session), ==, ATELIER_SESSION_MODE_SANDBOX);
  g_assert_nonnull (atelier_ui_get_sandbox ());

  g_assert_cmpstr (account_label (), ==, "Sandbox");

  revealer = find_id ("sandbox_revealer");
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  g_assert_true (atelier_ui_shows_text (revealer, "You are in the Sandbox"));
  connect = atelier_ui_find_labelled (revealer, GTK_TYPE_BUTTON, "Connect Account…");
  g_assert_nonnull (connect);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (connect)), ==, "app.preferences");

  /* The sandbox's port is kept for the next run. */
  {
    g_autofree char *path = g_build_filename (atelier_account_get_sandbox_dir (atelier_ui_get_account ()), "port", NULL);
    g_autofree char *contents = NULL;
    g_autofree char *expected = g_strdup_printf ("%u", atelier_sandbox_server_get_port (atelier_ui_get_sandbox ()));

    atelier_test_wait_until (read_nonempty (path, &contents), WAIT_MS);
    g_assert_cmpstr (g_strstrip (contents), ==, expected);
  }
}

/* The tunes page lists the sandbox's tunes; F5 reloads it. */
static void
test_tunes_page (void)
{
  GtkWidget *page = _atelier_window_get_page (window, "tunes");
  AtelierSandboxServer *sandbox = atelier_ui_get_sandbox ();
  GtkWidget *list;

  wait_page_loaded (page);
  atelier_sandbox_server_seed_tune (sandbox, "Sandbox Sam", "man", TRUE);
  atelier_sandbox_server_seed_tune (sandbox, "Training Tess", "woman", FALSE);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
  g_assert_true (atelier_tunes_page_get_loading (ATELIER_TUNES_PAGE (page)));
  wait_page_loaded (page);

  list = atelier_ui_find_by_id (page, "list_box");
  g_assert_nonnull (atelier_ui_find_labelled (list, ADW_TYPE_ACTION_ROW, "Sandbox Sam"));
  g_assert_nonnull (atelier_ui_find_labelled (list, ADW_TYPE_ACTION_ROW, "Training Tess"));
  g_assert_true (atelier_ui_shows_text (page, "Ready"));
  g_assert_true (atelier_ui_shows_text (page, "Training"));

  /* Ctrl+F: the search bar filters the list. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
  g_assert_true (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (atelier_ui_find_by_id (page, "search_bar"))));
  gtk_editable_set_text (GTK_EDITABLE (atelier_ui_find_by_id (page, "search_entry")), "tess");
  atelier_test_wait_until (atelier_ui_find_labelled (list, ADW_TYPE_ACTION_ROW, "Sandbox Sam") == NULL, WAIT_MS);
  g_assert_nonnull (atelier_ui_find_labelled (list, ADW_TYPE_ACTION_ROW, "Training Tess"));
  gtk_editable_set_text (GTK_EDITABLE (atelier_ui_find_by_id (page, "search_entry")), "nobody");
  atelier_test_wait_until (atelier_ui_shows_text (page, "No Results Found"), WAIT_MS);
  g_signal_emit_by_name (atelier_ui_find_by_id (page, "search_entry"), "stop-search");
  g_assert_false (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (atelier_ui_find_by_id (page, "search_bar"))));
  atelier_test_wait_until (atelier_ui_find_labelled (list, ADW_TYPE_ACTION_ROW, "Sandbox Sam") != NULL, WAIT_MS);
}

/* Switching areas with the view switcher, remembered in GSettings. */
static void
test_switch_pages (void)
{
  GtkWidget *header = find_id ("header_bar");
  GtkWidget *stack = find_id ("view_stack");
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *packs_button;
  GtkWidget *packs;
  GListModel *gallery_packs;

  packs_button = atelier_ui_find_labelled (header, GTK_TYPE_TOGGLE_BUTTON, "Packs");
  g_assert_nonnull (packs_button);
  /* A button "clicks" a moment after it is activated, as with Space. */
  gtk_widget_activate (packs_button);
  atelier_test_wait_until (g_strcmp0 (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (stack)), "packs") == 0,
                           WAIT_MS);
  g_assert_cmpstr (g_settings_get_string (settings, "last-page"), ==, "packs");

  packs = _atelier_window_get_page (window, "packs");
  wait_page_loaded (packs);
  gallery_packs = atelier_packs_page_get_gallery_packs (ATELIER_PACKS_PAGE (packs));
  for (guint i = 0; i < g_list_model_get_n_items (gallery_packs); i++)
    {
      g_autoptr(AtelierPack) pack = g_list_model_get_item (gallery_packs, i);
      GtkWidget *row = atelier_ui_find_labelled (packs, ADW_TYPE_ACTION_ROW, atelier_pack_get_title (pack));
      g_autofree char *costs = atelier_packs_page_format_costs (pack);

      g_assert_nonnull (row);
      if (costs != NULL)
        {
          g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), costs));
          g_assert_nonnull (strchr (costs, '$'));
        }
    }

  /* Alt+3 and Alt+4 */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "gallery"));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (stack)), ==, "gallery");
  g_assert_true (atelier_ui_shows_text (_atelier_window_get_page (window, "gallery"), "New Prompt"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "faceid"));
  g_assert_true (atelier_ui_shows_text (_atelier_window_get_page (window, "faceid"), "In the Sandbox"));
  g_assert_cmpstr (g_settings_get_string (settings, "last-page"), ==, "faceid");

  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), "tunes");
}

static gboolean
has_accel (const char *action,
           const char *accel)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);

  return accels != NULL && g_strv_contains ((const char * const *) accels, accel);
}

/* What the notification server was asked to show. */
static GPtrArray *notifications;

static void
test_about_and_notifications (void)
{
  GtkWindow *about;
  guint before = notifications->len;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "app.about", NULL));
  about = atelier_ui_find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==, "Atelier");
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  gtk_window_destroy (about);

  atelier_application_notify_training_finished (app, "Sandbox Sam", 42);
  atelier_test_wait_until (notifications->len == before + 1, WAIT_MS);
  g_assert_cmpstr (notifications->pdata[before], ==,
                   "Training Finished\n“Sandbox Sam” is ready: you can generate images now.");
  atelier_application_notify_images_ready (app, "a portrait of ohwx woman\nin the rain", 4);
  atelier_test_wait_until (notifications->len == before + 2, WAIT_MS);
  g_assert_cmpstr (notifications->pdata[before + 1], ==, "4 Images Ready\na portrait of ohwx woman");

  /* The notification's action shows the tunes. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "show-tune", g_variant_new_int64 (42));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (find_id ("view_stack"))), ==, "tunes");
}

static void
test_shortcuts (void)
{
  g_assert_true (has_accel ("app.preferences", "<Control>comma"));
  g_assert_true (has_accel ("app.quit", "<Control>q"));
  g_assert_true (has_accel ("window.close", "<Control>w"));
  g_assert_true (has_accel ("win.refresh", "F5"));
  g_assert_true (has_accel ("win.search", "<Control>f"));
  g_assert_true (has_accel ("win.show-help-overlay", "<Control>question"));
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  /* Ctrl+? shows it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  atelier_test_wait_until (gtk_widget_get_mapped (GTK_WIDGET (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)))), WAIT_MS);
  atelier_ui_save_screenshot (GTK_WINDOW (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window))), "help-overlay");
  gtk_widget_set_visible (GTK_WIDGET (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window))), FALSE);
}

static AtelierPreferencesWindow *
open_preferences (void)
{
  AtelierPreferencesWindow *prefs;

  /* What Ctrl+, does. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "app.preferences", NULL));
  prefs = ATELIER_PREFERENCES_WINDOW (atelier_ui_find_toplevel (ATELIER_TYPE_PREFERENCES_WINDOW));
  g_assert_nonnull (prefs);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (prefs)) == GTK_WINDOW (window));

  return prefs;
}

static void
enter_key (AtelierPreferencesWindow *prefs,
           const char               *entry_id,
           const char               *service,
           const char               *key)
{
  GtkWidget *entry = atelier_ui_find_by_id (GTK_WIDGET (prefs), entry_id);

  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), key);
  g_signal_emit_by_name (entry, "apply");
  g_assert_true (atelier_preferences_window_is_busy (prefs, service));
  atelier_test_wait_until (!atelier_preferences_window_is_busy (prefs, service), WAIT_MS);
}

/* A wrong key is refused and nothing is stored; the right one is verified,
 * stored in the keyring, and the window switches to the account. */
static void
test_connect_account (void)
{
  AtelierPreferencesWindow *prefs = open_preferences ();
  GtkWidget *tunes = _atelier_window_get_page (window, "tunes");
  g_autofree char *stored = NULL;

  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (prefs), "you are in the Sandbox"));

  enter_key (prefs, "astria_entry", "astria", "wrong-key");
  g_assert_cmpstr (atelier_preferences_window_get_status (prefs, "astria"), ==,
                   "Wrong key: Astria did not accept it");
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (prefs), "Wrong key: Astria did not accept it"));
  atelier_ui_save_screenshot (GTK_WINDOW (prefs), "prefs-wrong-key");
  stored = keyring_lookup ("astria");
  g_assert_null (stored);
  g_assert_cmpint (atelier_session_get_mode (session), ==, ATELIER_SESSION_MODE_SANDBOX);

  enter_key (prefs, "astria_entry", "astria", "right-key");
  g_assert_cmpstr (atelier_preferences_window_get_status (prefs, "astria"), ==,
                   "Key verified and saved in your keyring");
  stored = keyring_lookup ("astria");
  g_assert_cmpstr (stored, ==, "right-key");
  g_clear_pointer (&stored, secret_password_free);
  /* The entry does not keep the key around. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (atelier_ui_find_by_id (GTK_WIDGET (prefs), "astria_entry"))), ==, "");

  g_assert_cmpint (atelier_session_get_mode (session), ==, ATELIER_SESSION_MODE_ACCOUNT);
  g_assert_cmpstr (account_label (), ==, "Astria");
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (find_id ("sandbox_revealer"))));

  /* The tunes of the account, not the sandbox's. */
  wait_page_loaded (tunes);
  g_assert_nonnull (atelier_ui_find_labelled (tunes, ADW_TYPE_ACTION_ROW, "Remote Rita"));
  g_assert_null (atelier_ui_find_labelled (tunes, ADW_TYPE_ACTION_ROW, "Sandbox Sam"));

  /* fal.ai: wrong, then right. */
  enter_key (prefs, "fal_entry", "fal", "wrong-fal-key");
  g_assert_cmpstr (atelier_preferences_window_get_status (prefs, "fal"), ==,
                   "Wrong key: fal.ai did not accept it");
  enter_key (prefs, "fal_entry", "fal", "right-key");
  g_assert_cmpstr (atelier_preferences_window_get_status (prefs, "fal"), ==,
                   "Key verified and saved in your keyring");
  stored = keyring_lookup ("fal");
  g_assert_cmpstr (stored, ==, "right-key");
  g_clear_pointer (&stored, secret_password_free);
  g_assert_true (atelier_session_has_fal_key (session));
  atelier_ui_save_screenshot (GTK_WINDOW (prefs), "prefs-verified");

  gtk_window_destroy (GTK_WINDOW (prefs));
  atelier_ui_save_screenshot (GTK_WINDOW (window), "window-account");
}

/* An offline server gives the "offline" message, not "wrong key". */
static void
test_verify_offline (void)
{
  AtelierPreferencesWindow *prefs = open_preferences ();
  g_autofree char *saved = g_strdup (g_getenv ("ATELIER_ASTRIA_URL"));

  /* Nothing listens on port 9 (discard) of loopback here. */
  g_setenv ("ATELIER_ASTRIA_URL", "http://127.0.0.1:9", TRUE);
  enter_key (prefs, "astria_entry", "astria", "any-key");
  g_assert_nonnull (strstr (atelier_preferences_window_get_status (prefs, "astria"), "Offline"));
  g_setenv ("ATELIER_ASTRIA_URL", saved, TRUE);

  /* A server error says so at once, instead of retrying for minutes. */
  {
    AtelierSandboxFault fault = {
      .method = "GET",
      .path = "/tunes",
      .kind = ATELIER_SANDBOX_FAULT_STATUS,
      .status = 500,
      .times = 1,
    };

    atelier_sandbox_server_add_fault (remote, &fault);
    enter_key (prefs, "astria_entry", "astria", "right-key");
    g_assert_nonnull (strstr (atelier_preferences_window_get_status (prefs, "astria"), "Server error"));
    atelier_sandbox_server_clear_faults (remote);
  }

  /* Still connected with the stored key. */
  g_assert_cmpint (atelier_session_get_mode (session), ==, ATELIER_SESSION_MODE_ACCOUNT);
  gtk_window_destroy (GTK_WINDOW (prefs));
}

/* Sign out: the key leaves the keyring and the Sandbox comes back. */
static void
test_sign_out (void)
{
  AtelierPreferencesWindow *prefs = open_preferences ();
  GtkWidget *sign_out = atelier_ui_find_labelled (GTK_WIDGET (prefs), GTK_TYPE_BUTTON, "Sign Out");
  g_autofree char *stored = NULL;

  g_assert_nonnull (sign_out);
  g_assert_true (atelier_ui_is_shown (sign_out));
  gtk_widget_activate (sign_out);
  atelier_test_wait_until (atelier_session_get_mode (session) != ATELIER_SESSION_MODE_ACCOUNT, WAIT_MS);
  atelier_test_wait_until (atelier_session_get_mode (session) == ATELIER_SESSION_MODE_SANDBOX, WAIT_MS);

  stored = keyring_lookup ("astria");
  g_assert_null (stored);
  g_assert_cmpstr (account_label (), ==, "Sandbox");
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (find_id ("sandbox_revealer"))));
  g_assert_false (gtk_widget_get_visible (sign_out));

  /* The fal.ai key stays until removed. */
  g_assert_true (atelier_session_has_fal_key (session));
  gtk_widget_activate (atelier_ui_find_labelled (GTK_WIDGET (prefs), GTK_TYPE_BUTTON, "Remove Key"));
  atelier_test_wait_until (!atelier_session_has_fal_key (session), WAIT_MS);
  stored = keyring_lookup ("fal");
  g_assert_null (stored);

  gtk_window_destroy (GTK_WINDOW (prefs));
}

/* The error presenter: 422 dialog, 401 toast, connection failure, cancelled. */
static void
test_errors (void)
{
  g_autoptr(GError) invalid = NULL;
  g_autoptr(GError) unauthorized = NULL;
  g_autoptr(GError) network = NULL;
  g_autoptr(GError) cancelled = NULL;
  g_autoptr(GError) server = NULL;
  GtkWindow *dialog;
  const char *body;

  invalid = g_error_new_literal (ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID,
                                 "num_images: must be less than or equal to 8\ntext: can't be blank");
  atelier_window_show_error (window, invalid);
  dialog = _atelier_window_get_error_dialog (window);
  g_assert_true (ADW_IS_MESSAGE_DIALOG (dialog));
  body = adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog));
  g_assert_nonnull (strstr (body, "• num_images: must be less than or equal to 8"));
  g_assert_nonnull (strstr (body, "• text: can't be blank"));
  atelier_ui_save_screenshot (dialog, "dialog-422");
  gtk_widget_activate (atelier_ui_find_labelled (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, "Close"));
  atelier_test_wait_until (_atelier_window_get_error_dialog (window) == NULL, WAIT_MS);

  unauthorized = g_error_new_literal (ATELIER_API_ERROR, ATELIER_API_ERROR_UNAUTHORIZED, "401");
  atelier_window_show_error (window, unauthorized);
  g_assert_cmpstr (_atelier_window_get_last_toast (window), ==, "Your Astria key was not accepted");
  atelier_test_wait_until (atelier_ui_shows_text (find_id ("toast_overlay"), "Your Astria key was not accepted"), WAIT_MS);
  g_assert_nonnull (atelier_ui_find_labelled (find_id ("toast_overlay"), GTK_TYPE_BUTTON, "Preferences"));
  atelier_ui_save_screenshot (GTK_WINDOW (window), "window-401-toast");

  server = g_error_new_literal (ATELIER_API_ERROR, ATELIER_API_ERROR_SERVER, "500");
  atelier_window_show_error (window, server);
  g_assert_cmpstr (_atelier_window_get_last_toast (window), ==, "The server had a problem: try again later");

  cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
  atelier_window_show_error (window, cancelled);
  g_assert_cmpstr (_atelier_window_get_last_toast (window), ==, "The server had a problem: try again later");
  g_assert_null (_atelier_window_get_error_dialog (window));

  /* One connection failure is not "offline": a toast. The offline bar
   * follows the session's rule (tests/ui/test-tune-editor.c). */
  network = g_error_new_literal (ATELIER_API_ERROR, ATELIER_API_ERROR_NETWORK, "unreachable");
  atelier_window_show_error (window, network);
  g_assert_cmpstr (_atelier_window_get_last_toast (window), ==, "The connection to the server failed");
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (find_id ("offline_revealer"))));
}

/* A 500 from the server: a countdown that can be cancelled. */
static void
test_retry_countdown (void)
{
  AtelierAstriaClient *client = atelier_session_get_astria_client (session);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) reason = g_error_new_literal (ATELIER_API_ERROR, ATELIER_API_ERROR_SERVER, "500");
  GtkWidget *revealer = find_id ("retry_revealer");
  GtkWidget *label = find_id ("retry_label");
  AtelierSandboxServer *sandbox = atelier_ui_get_sandbox ();
  GtkWidget *tunes = _atelier_window_get_page (window, "tunes");
  AtelierSandboxFault fault = {
    .method = "GET",
    .path = "/tunes",
    .kind = ATELIER_SANDBOX_FAULT_STATUS,
    .status = 500,
    .times = 1,
  };

  atelier_sandbox_server_seed_tune (sandbox, "Sandbox Sam", "man", TRUE);
  g_signal_emit_by_name (client, "retry-scheduled", 1u, 27000u, reason, cancellable);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==,
                   "The server had a problem. Retrying in 27 s…");
  atelier_test_wait_until (g_str_equal (gtk_label_get_label (GTK_LABEL (label)),
                                        "The server had a problem. Retrying in 26 s…"), 3000);
  atelier_ui_save_screenshot (GTK_WINDOW (window), "window-retry");
  gtk_widget_activate (atelier_ui_find_labelled (revealer, GTK_TYPE_BUTTON, "Cancel"));
  atelier_test_wait_until (g_cancellable_is_cancelled (cancellable), WAIT_MS);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));

  /* For real: the sandbox fails once, the client retries after 1 s. */
  atelier_astria_client_set_retry_base_delay_ms (client, 1000);
  atelier_sandbox_server_add_fault (sandbox, &fault);
  wait_page_loaded (tunes);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL);
  atelier_test_wait_until (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)), WAIT_MS);
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (label)), "The server had a problem"));
  wait_page_loaded (tunes);
  atelier_test_wait_until (!gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)), WAIT_MS);
  g_assert_nonnull (atelier_ui_find_labelled (tunes, ADW_TYPE_ACTION_ROW, "Sandbox Sam"));
}

/* Closing saves the size. */
static void
test_close_saves_size (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  /* What the window manager does when the user resizes it. */
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 540);
  gtk_window_close (GTK_WINDOW (window));

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 720);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 540);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
  g_assert_cmpstr (g_settings_get_string (settings, "last-page"), ==, "tunes");
  window = NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  int status;

  atelier_ui_test_init (&argc, &argv);
  notifications = atelier_ui_start_notification_server ();

  remote = atelier_test_server_new ();
  atelier_sandbox_server_set_api_key (remote, "right-key");
  atelier_sandbox_server_seed_tune (remote, "Remote Rita", "woman", TRUE);
  url = atelier_sandbox_server_dup_base_url (remote);
  g_setenv ("ATELIER_ASTRIA_URL", url, TRUE);
  g_setenv ("ATELIER_FAL_URL", url, TRUE);

  atelier_ui_test_add ("/window/starts-in-sandbox", start_in_sandbox, test_starts_in_sandbox);
  atelier_ui_test_add ("/window/tunes-page", start_in_sandbox, test_tunes_page);
  atelier_ui_test_add ("/window/switch-pages", start_in_sandbox, test_switch_pages);
  atelier_ui_test_add ("/window/shortcuts", start_in_sandbox, test_shortcuts);
  atelier_ui_test_add ("/window/about-and-notifications", start_in_sandbox, test_about_and_notifications);
  atelier_ui_test_add ("/window/connect-account", start_in_sandbox, test_connect_account);
  atelier_ui_test_add ("/window/verify-offline", start_connected, test_verify_offline);
  atelier_ui_test_add ("/window/sign-out", start_with_both_keys, test_sign_out);
  atelier_ui_test_add ("/window/errors", start_in_sandbox, test_errors);
  atelier_ui_test_add ("/window/retry-countdown", start_in_sandbox, test_retry_countdown);
  atelier_ui_test_add ("/window/close-saves-size", start_in_sandbox, test_close_saves_size);

  status = g_test_run ();

  atelier_test_server_free (remote);

  return status;
}
