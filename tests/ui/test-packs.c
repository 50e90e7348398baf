/* test-packs.c: the pack browser, running packs and themes, tunes from packs
 *
 * The real application in-process, in its Sandbox: the Packs page lists
 * my packs and the gallery's with base model, model type, price per class
 * in dollars and prompt count, searched and sorted by title, newest and
 * liked prompts; a pack's page; running a pack on chosen tunes (tunes
 * that are not ready or not priced cannot be chosen and say why, the
 * confirmation gives the exact total, the sandbox receives exactly the
 * documented JSON, the run is kept and its matrix opens); a tune made
 * from a pack in the New Tune editor's pack mode (classes limited to the
 * pack's, the price confirmed before the one POST /p/:id/tunes, the tune
 * listed); a theme with its options (the exact body); a pack the account
 * may not use (403 with the server's words on the dialog) and no ready
 * tunes (the dialog says why and how to get one). The liked-prompt count
 * itself is tested without a display in tests/test-pack-likes.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atelier-application.h"
#include "atelier-draft.h"
#include "atelier-pack-run-dialog.h"
#include "atelier-packs-page.h"
#include "atelier-test-utils.h"
#include "atelier-tunes-page.h"
#include "atelier-ui-test-utils.h"
#include "atelier-window-private.h"

#define WAIT_MS 60000   /* generous: a loaded machine, software rendering */

/* The sandbox's seeded packs (atelier-sandbox-store-seeds.c). */
#define CORPORATE_ID 260   /* gallery, Realistic Vision, checkpoint: man $2.00, woman $1.00; 5 prompts */
#define FANTASY_ID   261   /* gallery, Flux1.dev, LoRA */

static AtelierWindow *window;
static AtelierSession *session;
static AtelierSandboxServer *sandbox;
static char *dir;

/* {{{ Helpers */

static AtelierPacksPage *
page (void)
{
  return ATELIER_PACKS_PAGE (_atelier_window_get_page (window, "packs"));
}

/* Reloads the packs and waits for them and their prompts. */
static void
reload (void)
{
  atelier_window_show_page (window, "packs");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
  atelier_test_wait_until (!atelier_packs_page_get_loading (page ()) &&
                           !atelier_packs_page_get_loading_prompts (page ()), WAIT_MS);
  atelier_ui_spin (50);   /* the counts are refreshed when idle */
}

static void
start (void)
{
  window = atelier_ui_app_start (NULL);
  session = atelier_window_get_session (window);
  g_assert_cmpint (atelier_session_get_mode (session), ==, ATELIER_SESSION_MODE_SANDBOX);
  sandbox = atelier_ui_get_sandbox ();
  reload ();
}

static GtkWidget *
find_row (const char *list_id,
          const char *title)
{
  return atelier_ui_find_labelled (atelier_ui_get_by_id (GTK_WIDGET (page ()), list_id), ADW_TYPE_ACTION_ROW, title);
}

static const char *
row_subtitle (GtkWidget *row)
{
  g_assert_nonnull (row);
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

/* The titles of the packs shown in a list, in order, joined by "|". */
static char *
shown_titles (GListModel *model)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(AtelierPack) pack = g_list_model_get_item (model, i);

      if (i > 0)
        g_string_append_c (text, '|');
      g_string_append (text, atelier_pack_get_title (pack));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The titles of the rows a list box shows, in order. */
static char *
row_titles (const char *list_id)
{
  GtkListBox *list = GTK_LIST_BOX (atelier_ui_get_by_id (GTK_WIDGET (page ()), list_id));
  g_autoptr(GString) text = g_string_new (NULL);
  GtkListBoxRow *row;

  for (guint i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (text, '|');
      g_string_append (text, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Opens a pack's page the way a user does: its row. */
static void
open_pack (const char *list_id,
           const char *title)
{
  GtkWidget *row = find_row (list_id, title);

  g_assert_nonnull (row);
  gtk_widget_activate (row);
  atelier_test_wait_until (atelier_packs_page_get_shown_pack (page ()) != NULL, WAIT_MS);
  g_assert_cmpstr (atelier_pack_get_title (atelier_packs_page_get_shown_pack (page ())), ==, title);
}

static AtelierPackRunDialog *
open_run_dialog (const char *action)
{
  AtelierPackRunDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), action, NULL));
  dialog = ATELIER_PACK_RUN_DIALOG (atelier_ui_find_toplevel (ATELIER_TYPE_PACK_RUN_DIALOG));
  g_assert_nonnull (dialog);
  atelier_test_wait_until (!atelier_pack_run_dialog_get_loading (dialog), WAIT_MS);
  return dialog;
}

static GtkWidget *
dialog_row (AtelierPackRunDialog *dialog,
            const char           *title)
{
  GtkWidget *row = atelier_ui_find_labelled (atelier_ui_get_by_id (GTK_WIDGET (dialog), "tunes_list"), ADW_TYPE_ACTION_ROW, title);

  if (row == NULL)
    g_error ("No tune “%s” in the dialog", title);
  return row;
}

static void
choose (AtelierPackRunDialog *dialog,
        const char           *title)
{
  GtkWidget *row = dialog_row (dialog, title);
  GtkWidget *check = atelier_ui_find_by_type (row, GTK_TYPE_CHECK_BUTTON);

  g_assert_true (gtk_widget_is_sensitive (row));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
}

static const char *
summary (AtelierPackRunDialog *dialog)
{
  return gtk_label_get_label (GTK_LABEL (atelier_ui_get_by_id (GTK_WIDGET (dialog), "summary_label")));
}

/* The confirmation shown over the dialog or the window. */
static AdwMessageDialog *
wait_message (const char *heading)
{
  AdwMessageDialog *message = NULL;

  atelier_test_wait_until ((message = ADW_MESSAGE_DIALOG (atelier_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG))) != NULL,
                           WAIT_MS);
  if (heading != NULL)
    g_assert_cmpstr (adw_message_dialog_get_heading (message), ==, heading);
  return message;
}

static void
respond (AdwMessageDialog *message,
         const char       *response)
{
  /* What a click on its button does: the response, then the close. */
  g_object_ref (message);
  adw_message_dialog_response (message, response);
  gtk_window_close (GTK_WINDOW (message));
  g_object_unref (message);
  atelier_test_wait_until (atelier_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) == NULL, WAIT_MS);
}

/* Windows other than the main one, the run dialog and message dialogs:
 * run matrices. */
static guint
count_other_windows (void)
{
  GList *toplevels = gtk_window_list_toplevels ();
  guint n = 0;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (l->data != (gpointer) window && !ATELIER_IS_PACK_RUN_DIALOG (l->data) &&
        !ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data) &&
        gtk_window_get_transient_for (l->data) == GTK_WINDOW (window))
      n++;
  g_list_free (toplevels);

  return n;
}

static char *
request_json (const char *method,
              const char *path)
{
  g_autoptr(AtelierSandboxRequest) request = atelier_sandbox_server_dup_last_request (sandbox, method, path);
  JsonNode *json;

  g_assert_nonnull (request);
  json = atelier_sandbox_request_get_json (request);
  g_assert_nonnull (json);
  return json_to_string (json, FALSE);
}

static GPtrArray *
list_prompts (gint64 tune_id)
{
  AtelierAstriaClient *client = atelier_session_get_astria_client (session);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *prompts;

  atelier_astria_client_list_prompts_async (client, tune_id, 0, NULL, atelier_test_store_result, &result);
  prompts = atelier_astria_client_list_prompts_finish (client, atelier_test_wait_result (&result), &error);
  g_assert_no_error (error);
  return prompts;
}

/* Every control under @root that a user can reach now has a name: an
 * accessible label, a labelled-by relation, or text of its own
 * (tests/ui/test-a11y.c checks the main window the same way). */
static gboolean
is_control (GtkWidget *widget)
{
  return GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget) || GTK_IS_CHECK_BUTTON (widget) ||
         GTK_IS_SWITCH (widget) || GTK_IS_ENTRY (widget) || GTK_IS_SEARCH_ENTRY (widget) ||
         GTK_IS_SPIN_BUTTON (widget) || GTK_IS_DROP_DOWN (widget) || ADW_IS_ENTRY_ROW (widget) ||
         ADW_IS_COMBO_ROW (widget);
}

static gboolean
has_text (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) && *gtk_label_get_text (GTK_LABEL (widget)) != '\0')
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (has_text (c))
      return TRUE;
  return FALSE;
}

static gboolean
has_name (GtkWidget *widget)
{
  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    return TRUE;
  if (GTK_IS_BUTTON (widget) && gtk_button_get_icon_name (GTK_BUTTON (widget)) != NULL)
    return FALSE;
  if (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return TRUE;
  if (ADW_IS_PREFERENCES_ROW (widget))
    return *adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)) != '\0';
  return (GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget)) && has_text (widget);
}

static void
collect_unnamed (GtkWidget *widget,
                 GString   *out)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);

  if (!gtk_widget_get_visible (widget) ||
      (GTK_IS_STACK (parent) && gtk_stack_get_visible_child (GTK_STACK (parent)) != widget))
    return;
  if (is_control (widget) && !has_name (widget))
    g_string_append_printf (out, " %s#%s", G_OBJECT_TYPE_NAME (widget),
                            gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)));
  /* A spin button's − and + take no focus: the spin button is the control. */
  if (GTK_IS_SPIN_BUTTON (widget))
    return;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_unnamed (c, out);
}

static void
assert_all_named (GtkWidget *root)
{
  g_autoptr(GString) unnamed = g_string_new (NULL);

  collect_unnamed (root, unnamed);
  g_assert_cmpstr (unnamed->str, ==, "");
}

/* }}} */

/* The lists, what each row says, search and the three sorts. */
static void
test_browser (void)
{
  g_autofree char *titles = NULL;
  AtelierAstriaClient *client = atelier_session_get_astria_client (session);
  GtkWidget *sort = atelier_ui_get_by_id (GTK_WIDGET (page ()), "sort_dropdown");
  GtkWidget *search = atelier_ui_get_by_id (GTK_WIDGET (page ()), "search_entry");
  GtkWidget *row;
  gint64 tune_id;

  /* A pack with markup in its title, no prices and no prompts. */
  atelier_sandbox_server_seed_pack (sandbox, "Salt & <b>Pepper</b>", FALSE, "", 0);
  reload ();

  /* Base model by name, model type, each class's price in dollars, the
   * prompts the service lists. */
  row = find_row ("gallery_list", "Corporate headshots");
  g_assert_cmpstr (row_subtitle (row), ==,
                   "Realistic Vision v5.1 · Checkpoint\nman $2.00 · woman $1.00\n5 prompts");
  g_assert_cmpstr (row_subtitle (find_row ("gallery_list", "Fantasy portraits")), ==,
                   "Flux1.dev · LoRA\nboy $2.00 · girl $2.00 · man $2.50 · woman $2.50\n4 prompts");
  g_assert_cmpstr (row_subtitle (find_row ("gallery_list", "Vintage film")), ==,
                   "Realistic Vision v5.1 · FaceID\nman $1.00 · woman $1.00\n3 prompts");
  g_assert_cmpstr (row_subtitle (find_row ("my_list", "My Flux illustrations")), ==,
                   "Flux1.dev · LoRA\ncat $1.00 · dog $1.00 · man $1.50 · woman $1.50\n3 prompts");
  /* Shown as text, not markup. */
  row = find_row ("my_list", "Salt & <b>Pepper</b>");
  g_assert_false (adw_preferences_row_get_use_markup (ADW_PREFERENCES_ROW (row)));
  g_assert_cmpstr (row_subtitle (row), ==, "Realistic Vision v5.1 · Checkpoint\nNo prices listed\nNo prompts");
  assert_all_named (GTK_WIDGET (page ()));
  atelier_ui_save_screenshot (GTK_WINDOW (window), "packs-browser");

  /* Search: by title, in both lists. */
  gtk_editable_set_text (GTK_EDITABLE (search), "FANT");
  atelier_test_wait_until (g_list_model_get_n_items (atelier_packs_page_get_shown_gallery_packs (page ())) == 1, WAIT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (atelier_packs_page_get_shown_my_packs (page ())), ==, 0);
  titles = row_titles ("gallery_list");
  g_assert_cmpstr (titles, ==, "Fantasy portraits");
  g_clear_pointer (&titles, g_free);
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (page ()), "No packs of your own to show"));
  atelier_ui_save_screenshot (GTK_WINDOW (window), "packs-search");
  gtk_editable_set_text (GTK_EDITABLE (search), "");
  atelier_test_wait_until (g_list_model_get_n_items (atelier_packs_page_get_shown_gallery_packs (page ())) == 3, WAIT_MS);

  /* By title … */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (sort), ATELIER_PACKS_SORT_TITLE);
  titles = row_titles ("gallery_list");
  g_assert_cmpstr (titles, ==, "Corporate headshots|Fantasy portraits|Vintage film");
  g_clear_pointer (&titles, g_free);
  titles = shown_titles (atelier_packs_page_get_shown_my_packs (page ()));
  g_assert_cmpstr (titles, ==, "My Flux illustrations|My studio portraits|Salt & <b>Pepper</b>");
  g_clear_pointer (&titles, g_free);

  /* … newest first (the sandbox made them in the order 260, 261, 262) … */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (sort), ATELIER_PACKS_SORT_NEWEST);
  titles = row_titles ("gallery_list");
  g_assert_cmpstr (titles, ==, "Vintage film|Fantasy portraits|Corporate headshots");
  g_clear_pointer (&titles, g_free);
  titles = shown_titles (atelier_packs_page_get_shown_my_packs (page ()));
  g_assert_cmpstr (titles, ==, "Salt & <b>Pepper</b>|My Flux illustrations|My studio portraits");
  g_clear_pointer (&titles, g_free);

  /* … and by liked prompts: a prompt of the fantasy pack, run on a
   * tune and liked, puts it first. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (sort), ATELIER_PACKS_SORT_LIKES);
  titles = row_titles ("gallery_list");
  g_assert_cmpstr (titles, ==, "Corporate headshots|Fantasy portraits|Vintage film");
  g_clear_pointer (&titles, g_free);

  tune_id = atelier_sandbox_server_seed_tune (sandbox, "Liker", "woman", TRUE);
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GPtrArray) tunes = NULL;
    g_autoptr(GPtrArray) prompts = NULL;
    g_autoptr(GError) error = NULL;
    AtelierLikes *likes = atelier_session_get_likes (session);

    atelier_astria_client_run_pack_async (client, FANTASY_ID, &tune_id, 1, NULL, atelier_test_store_result, &result);
    tunes = atelier_astria_client_run_pack_finish (client, atelier_test_wait_result (&result), &error);
    g_assert_no_error (error);
    g_clear_object (&result);

    prompts = list_prompts (tune_id);
    g_assert_cmpuint (prompts->len, ==, 4);
    g_assert_cmpint (atelier_prompt_get_orig_prompt_id (g_ptr_array_index (prompts, 0)), !=, 0);
    atelier_likes_set_liked_async (likes, g_ptr_array_index (prompts, 0), TRUE, NULL, atelier_test_store_result, &result);
    g_assert_true (atelier_likes_set_liked_finish (likes, atelier_test_wait_result (&result), &error));
    g_assert_no_error (error);
  }
  atelier_test_wait_until (atelier_pack_likes_get_count (atelier_packs_page_get_likes (page ()), FANTASY_ID) == 1,
                           WAIT_MS);
  atelier_ui_spin (50);
  titles = row_titles ("gallery_list");
  g_assert_cmpstr (titles, ==, "Fantasy portraits|Corporate headshots|Vintage film");
  g_assert_true (g_str_has_suffix (row_subtitle (find_row ("gallery_list", "Fantasy portraits")), "\n4 prompts · 1 liked"));
  atelier_ui_save_screenshot (GTK_WINDOW (window), "packs-by-likes");

  /* A pack's page: the same facts, its prompts, its liked count. */
  open_pack ("gallery_list", "Fantasy portraits");
  {
    GtkWidget *view = atelier_ui_get_by_id (GTK_WIDGET (page ()), "pack_view");

    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (atelier_ui_get_by_id (view, "base_label"))), ==, "Flux1.dev");
    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (atelier_ui_get_by_id (view, "model_type_label"))), ==, "LoRA");
    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (atelier_ui_get_by_id (view, "likes_label"))), ==, "1");
    g_assert_nonnull (atelier_ui_find_labelled (atelier_ui_get_by_id (view, "prices_list"), ADW_TYPE_ACTION_ROW, "man"));
    g_assert_nonnull (atelier_ui_find_labelled (atelier_ui_get_by_id (view, "prompts_list"), ADW_TYPE_ACTION_ROW,
                                                "{{token}} {{class}} as a space explorer on Mars, cinematic, 35mm"));
    assert_all_named (view);
    atelier_ui_save_screenshot (GTK_WINDOW (window), "pack-page");
  }

  /* A pack with no prompts says so. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "packs.back", NULL));
  open_pack ("my_list", "Salt & <b>Pepper</b>");
  g_assert_true (atelier_ui_shows_text (atelier_ui_get_by_id (GTK_WIDGET (page ()), "pack_view"), "This pack has no prompts"));
  g_assert_true (atelier_ui_shows_text (atelier_ui_get_by_id (GTK_WIDGET (page ()), "pack_view"), "The pack lists no prices"));
  atelier_ui_save_screenshot (GTK_WINDOW (window), "pack-page-empty");
}

/* Chosen tunes, disabled ones with their reason, the exact total, the
 * exact request, the run kept and its matrix open. */
static void
test_run_on_tunes (void)
{
  gint64 ada = atelier_sandbox_server_seed_tune (sandbox, "Ada", "woman", TRUE);
  gint64 alan = atelier_sandbox_server_seed_tune (sandbox, "Alan", "man", TRUE);
  gint64 eve;
  AtelierPackRunDialog *dialog;
  AdwMessageDialog *message;
  AtelierPackRuns *runs = atelier_session_get_pack_runs (session);
  g_autoptr(GPtrArray) of_pack = NULL;
  g_autofree char *json = NULL;
  g_autofree char *expected = NULL;
  AtelierPackRun *run;
  guint windows_before;
  GtkWidget *row;

  atelier_sandbox_server_seed_tune (sandbox, "Cleo", "cat", TRUE);
  atelier_sandbox_server_seed_tune (sandbox, "Bea", "woman", FALSE);
  eve = atelier_sandbox_server_seed_tune (sandbox, "Eve", "woman", TRUE);
  atelier_sandbox_server_clear_requests (sandbox);

  open_pack ("gallery_list", "Corporate headshots");
  dialog = open_run_dialog ("packs.run-pack");

  /* Not ready, or not priced: shown, not choosable, saying why. */
  row = dialog_row (dialog, "Cleo");
  g_assert_false (gtk_widget_is_sensitive (row));
  g_assert_true (g_str_has_suffix (row_subtitle (row), " — The pack has no price for a cat"));
  row = dialog_row (dialog, "Bea");
  g_assert_false (gtk_widget_is_sensitive (row));
  g_assert_true (g_str_has_suffix (row_subtitle (row), " — Not trained yet"));
  g_assert_true (g_str_has_suffix (row_subtitle (dialog_row (dialog, "Ada")), " · $1.00"));
  g_assert_true (g_str_has_suffix (row_subtitle (dialog_row (dialog, "Alan")), " · $2.00"));
  g_assert_cmpstr (summary (dialog), ==, "Choose the tunes to run the pack on");
  g_assert_false (gtk_widget_is_sensitive (atelier_ui_get_by_id (GTK_WIDGET (dialog), "send_button")));

  /* One price: N × $X = $Y; two prices: the sum per price. */
  choose (dialog, "Ada");
  g_assert_cmpstr (summary (dialog), ==, "1 tune × $1.00 = $1.00");
  choose (dialog, "Eve");
  g_assert_cmpstr (summary (dialog), ==, "2 tunes × $1.00 = $2.00");
  choose (dialog, "Alan");
  g_assert_cmpstr (summary (dialog), ==, "3 tunes: 2 × $1.00 + 1 × $2.00 = $4.00");
  assert_all_named (GTK_WIDGET (dialog));
  atelier_ui_save_screenshot (GTK_WINDOW (dialog), "run-dialog");

  /* Asked once, with the total; Cancel sends nothing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "run.send", NULL));
  message = wait_message ("Run the Pack for $4.00?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (message),
                            "“Corporate headshots” on 3 tunes: 2 × $1.00 + 1 × $2.00 = $4.00."));
  atelier_ui_save_screenshot (GTK_WINDOW (message), "run-confirm");
  respond (message, "cancel");
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "POST", "/p/"), ==, 0);

  windows_before = count_other_windows ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "run.send", NULL));
  respond (wait_message ("Run the Pack for $4.00?"), "run");
  atelier_test_wait_until (atelier_ui_find_toplevel (ATELIER_TYPE_PACK_RUN_DIALOG) == NULL, WAIT_MS);

  /* One request, the documented JSON, the tunes in the order shown. */
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "POST", "/p/"), ==, 1);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "POST", "/p/260/tunes"), ==, 1);
  json = request_json ("POST", "/p/260/tunes");
  expected = g_strdup_printf ("{\"tune\":{\"tune_ids\":[%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT "]}}",
                              eve, alan, ada);
  g_assert_cmpstr (json, ==, expected);

  /* Kept, listed under the pack, its matrix open. */
  of_pack = atelier_pack_runs_dup_for_pack (runs, CORPORATE_ID);
  g_assert_cmpuint (of_pack->len, ==, 1);
  run = g_ptr_array_index (of_pack, 0);
  g_assert_cmpuint (atelier_pack_run_get_n_tunes (run), ==, 3);
  g_assert_cmpint (atelier_pack_run_find_tune (run, ada), >=, 0);
  g_assert_cmpint (atelier_pack_run_find_tune (run, eve), >=, 0);
  g_assert_cmpint (atelier_pack_run_find_tune (run, alan), >=, 0);
  g_assert_cmpuint (count_other_windows (), ==, windows_before + 1);
  atelier_test_wait_until (gtk_list_box_get_row_at_index (GTK_LIST_BOX (atelier_ui_get_by_id (GTK_WIDGET (page ()), "runs_list")), 0) != NULL,
                           WAIT_MS);
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (atelier_ui_get_by_id (GTK_WIDGET (page ()), "runs_list")), 0));
  g_assert_cmpstr (row_subtitle (row), ==, "3 tunes: Eve, Alan, Ada");
  /* The prompts were made, each a copy of a pack prompt. */
  {
    g_autoptr(GPtrArray) prompts = list_prompts (ada);

    g_assert_cmpuint (prompts->len, ==, 5);
    g_assert_cmpint (atelier_prompt_get_orig_prompt_id (g_ptr_array_index (prompts, 0)), !=, 0);
  }
  {
    GtkScrolledWindow *scrolled = GTK_SCROLLED_WINDOW (atelier_ui_get_by_id (atelier_ui_get_by_id (GTK_WIDGET (page ()), "pack_view"), "scrolled_window"));
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scrolled);

    atelier_ui_spin (100);
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    atelier_ui_save_screenshot (GTK_WINDOW (window), "pack-page-run");
  }
}

/* The New Tune editor in pack mode: only the pack's classes, the price
 * confirmed, one POST /p/:id/tunes, the tune listed with its prompts. */
static void
test_create_tune (void)
{
  AtelierTunesPage *tunes = ATELIER_TUNES_PAGE (_atelier_window_get_page (window, "tunes"));
  AtelierTuneEditor *editor;
  AdwComboRow *class_row;
  GListModel *classes;
  g_autoptr(AtelierSandboxRequest) request = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  AtelierPhotoList *photos;
  AdwMessageDialog *message;
  AtelierTune *tune;
  const char *title;

  atelier_sandbox_server_clear_requests (sandbox);
  open_pack ("gallery_list", "Corporate headshots");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "packs.create-tune", NULL));

  /* The Tunes page, its editor in pack mode. */
  atelier_test_wait_until (atelier_tunes_page_get_editor (tunes) != NULL &&
                           g_strcmp0 (atelier_tunes_page_get_view (tunes), "editor") == 0, WAIT_MS);
  editor = atelier_tunes_page_get_editor (tunes);
  g_assert_nonnull (atelier_tune_editor_get_pack (editor));
  g_assert_cmpint (atelier_pack_get_id (atelier_tune_editor_get_pack (editor)), ==, CORPORATE_ID);
  g_assert_cmpstr (atelier_draft_get_string (atelier_tune_editor_get_draft (editor), "pack") != NULL ? "kept" : NULL,
                   ==, "kept");
  g_assert_true (atelier_ui_is_shown (atelier_ui_get_by_id (GTK_WIDGET (editor), "pack_group")));
  g_assert_false (atelier_ui_is_shown (atelier_ui_get_by_id (GTK_WIDGET (editor), "model_group")));
  g_assert_false (atelier_ui_is_shown (atelier_ui_get_by_id (GTK_WIDGET (editor), "training_group")));

  /* Only the classes the pack prices, with their price. */
  class_row = ADW_COMBO_ROW (atelier_ui_get_by_id (GTK_WIDGET (editor), "class_row"));
  classes = adw_combo_row_get_model (class_row);
  g_assert_cmpuint (g_list_model_get_n_items (classes), ==, 2);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (classes), 0), ==, "man — $2.00");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (classes), 1), ==, "woman — $1.00");
  adw_combo_row_set_selected (class_row, 1);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (atelier_ui_get_by_id (GTK_WIDGET (editor), "price_label"))), ==, "$1.00");
  adw_combo_row_set_selected (class_row, 0);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (atelier_ui_get_by_id (GTK_WIDGET (editor), "price_label"))), ==, "$2.00");
  adw_combo_row_set_selected (class_row, 1);

  gtk_editable_set_text (GTK_EDITABLE (atelier_ui_get_by_id (GTK_WIDGET (editor), "title_row")), "Packy");
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *name = g_strdup_printf ("packy-%u.jpg", i);

      g_ptr_array_add (files, atelier_test_write_image (dir, name, 900, 700, 60 + i, "jpeg"));
    }
  photos = atelier_picker_get_photo_list (atelier_tune_editor_get_picker (editor));
  atelier_picker_add_files (atelier_tune_editor_get_picker (editor), files);
  atelier_test_wait_until (atelier_photo_list_get_n_analyzing (photos) == 0 &&
                           atelier_photo_list_get_n_inspecting (photos) == 0, WAIT_MS);
  atelier_test_wait_until (gtk_widget_is_sensitive (atelier_ui_get_by_id (GTK_WIDGET (editor), "submit_button")), WAIT_MS);
  assert_all_named (atelier_ui_get_by_id (GTK_WIDGET (editor), "pack_group"));
  atelier_ui_save_screenshot (GTK_WINDOW (window), "editor-pack-mode");

  /* The price asked before anything is sent; Cancel sends nothing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.submit", NULL));
  message = wait_message (NULL);
  if (g_strcmp0 (adw_message_dialog_get_heading (message), "Create Tune for $1.00?") != 0)
    {
      respond (message, "all");   /* photos with warnings: all of them */
      message = wait_message (NULL);
    }
  g_assert_cmpstr (adw_message_dialog_get_heading (message), ==, "Create Tune for $1.00?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (message), "The pack “Corporate headshots” costs $1.00 for a woman."));
  atelier_ui_save_screenshot (GTK_WINDOW (message), "editor-pack-price");
  respond (message, "cancel");
  g_assert_false (atelier_tune_editor_get_busy (editor));
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "POST", "/p/"), ==, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.submit", NULL));
  message = wait_message (NULL);
  if (g_strcmp0 (adw_message_dialog_get_heading (message), "Create Tune for $1.00?") != 0)
    {
      respond (message, "all");
      message = wait_message (NULL);
    }
  respond (message, "create");
  atelier_test_wait_until (!atelier_tune_editor_get_busy (editor), WAIT_MS);

  /* One POST /p/260/tunes: the pack's fields only, the photos. */
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "POST", "/p/260/tunes"), ==, 1);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "POST", "/tunes"), ==, 0);
  request = atelier_sandbox_server_dup_last_request (sandbox, "POST", "/p/260/tunes");
  title = atelier_sandbox_request_get_field (request, "tune[title]");
  g_assert_true (g_str_has_prefix (title, "Packy - "));
  g_assert_true (g_uuid_string_is_valid (title + strlen ("Packy - ")));
  g_assert_cmpstr (atelier_sandbox_request_get_field (request, "tune[name]"), ==, "woman");
  g_assert_null (atelier_sandbox_request_get_field (request, "tune[branch]"));
  g_assert_null (atelier_sandbox_request_get_field (request, "tune[model_type]"));
  g_assert_cmpuint (atelier_sandbox_request_count_files (request, "tune[images][]"), ==, 4);

  /* Listed, shown, with the pack's prompts on it; the editor back to a
   * plain tune. */
  g_assert_cmpstr (atelier_tunes_page_get_view (tunes), ==, "detail");
  tune = g_list_model_get_item (atelier_tunes_page_get_model (tunes), 0);
  g_object_unref (tune);
  g_assert_true (g_str_has_prefix (atelier_tune_get_title (tune), "Packy - "));
  {
    g_autoptr(GPtrArray) prompts = list_prompts (atelier_tune_get_id (tune));

    g_assert_cmpuint (prompts->len, ==, 5);
  }
  g_assert_null (atelier_tune_editor_get_pack (editor));
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (class_row)), ==, 9);
  atelier_ui_save_screenshot (GTK_WINDOW (window), "editor-pack-created");
}

/* Submits the editor in pack mode: photos with warnings all go, the
 * price is confirmed. */
static void
submit_pack_tune (AtelierTuneEditor *editor)
{
  AdwMessageDialog *message;

  atelier_test_wait_until (gtk_widget_is_sensitive (atelier_ui_get_by_id (GTK_WIDGET (editor), "submit_button")), WAIT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.submit", NULL));
  message = wait_message (NULL);
  if (!g_str_has_prefix (adw_message_dialog_get_heading (message), "Create Tune for "))
    {
      respond (message, "all");
      message = wait_message (NULL);
    }
  respond (message, "create");
  atelier_test_wait_until (!atelier_tune_editor_get_busy (editor), WAIT_MS);
}

/* 504 after the service made the tune: found by its title, made once;
 * 504 before: nothing lost, and Retry asks the price again. */
static void
test_create_tune_504 (void)
{
  AtelierTunesPage *tunes = ATELIER_TUNES_PAGE (_atelier_window_get_page (window, "tunes"));
  AtelierSandboxFault created_504 = {
    .method = "POST", .path = "/p/260/tunes", .kind = ATELIER_SANDBOX_FAULT_CREATE_THEN_504, .times = 1,
  };
  AtelierSandboxFault plain_504 = {
    .method = "POST", .path = "/p/260/tunes", .kind = ATELIER_SANDBOX_FAULT_STATUS, .status = 504, .times = 1,
  };
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  AtelierTuneEditor *editor;
  AtelierPhotoList *photos;
  AtelierTune *tune;

  atelier_sandbox_server_clear_requests (sandbox);
  atelier_sandbox_server_add_fault (sandbox, &created_504);
  open_pack ("gallery_list", "Corporate headshots");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "packs.create-tune", NULL));
  atelier_test_wait_until (atelier_tunes_page_get_editor (tunes) != NULL, WAIT_MS);
  editor = atelier_tunes_page_get_editor (tunes);
  gtk_editable_set_text (GTK_EDITABLE (atelier_ui_get_by_id (GTK_WIDGET (editor), "title_row")), "Gatepack");
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *name = g_strdup_printf ("gate-%u.jpg", i);

      g_ptr_array_add (files, atelier_test_write_image (dir, name, 900, 700, 80 + i, "jpeg"));
    }
  photos = atelier_picker_get_photo_list (atelier_tune_editor_get_picker (editor));
  atelier_picker_add_files (atelier_tune_editor_get_picker (editor), files);
  atelier_test_wait_until (atelier_photo_list_get_n_analyzing (photos) == 0 &&
                           atelier_photo_list_get_n_inspecting (photos) == 0, WAIT_MS);

  submit_pack_tune (editor);
  g_assert_cmpstr (atelier_tunes_page_get_view (tunes), ==, "detail");
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "POST", "/p/260/tunes"), ==, 1);
  tune = g_list_model_get_item (atelier_tunes_page_get_model (tunes), 0);
  g_object_unref (tune);
  g_assert_true (g_str_has_prefix (atelier_tune_get_title (tune), "Gatepack - "));

  /* Nothing made: the banner, everything kept; Retry asks again. */
  atelier_sandbox_server_clear_requests (sandbox);
  atelier_sandbox_server_add_fault (sandbox, &plain_504);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "packs.create-tune", NULL));
  atelier_test_wait_until (g_strcmp0 (atelier_tunes_page_get_view (tunes), "editor") == 0, WAIT_MS);
  gtk_editable_set_text (GTK_EDITABLE (atelier_ui_get_by_id (GTK_WIDGET (editor), "title_row")), "Gatepack again");
  atelier_picker_add_files (atelier_tune_editor_get_picker (editor), files);
  atelier_test_wait_until (atelier_photo_list_get_n_analyzing (photos) == 0 &&
                           atelier_photo_list_get_n_inspecting (photos) == 0, WAIT_MS);
  submit_pack_tune (editor);
  g_assert_cmpstr (atelier_tunes_page_get_view (tunes), ==, "editor");
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (atelier_ui_get_by_id (GTK_WIDGET (editor), "error_revealer"))));
  g_assert_nonnull (atelier_tune_editor_get_pack (editor));
  g_assert_cmpuint (atelier_photo_list_get_n_photos (photos), ==, 4);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.retry", NULL));
  respond (wait_message ("Create Tune for $1.00?"), "create");
  atelier_test_wait_until (!atelier_tune_editor_get_busy (editor) &&
                           g_strcmp0 (atelier_tunes_page_get_view (tunes), "detail") == 0, WAIT_MS);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "POST", "/p/260/tunes"), ==, 2);
}

/* Pack mode can be left, and the class stays. */
static void
test_leave_pack (void)
{
  AtelierTunesPage *tunes = ATELIER_TUNES_PAGE (_atelier_window_get_page (window, "tunes"));
  AtelierTuneEditor *editor;
  AdwComboRow *class_row;

  open_pack ("gallery_list", "Corporate headshots");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "packs.create-tune", NULL));
  atelier_test_wait_until (atelier_tunes_page_get_editor (tunes) != NULL, WAIT_MS);
  editor = atelier_tunes_page_get_editor (tunes);
  class_row = ADW_COMBO_ROW (atelier_ui_get_by_id (GTK_WIDGET (editor), "class_row"));
  adw_combo_row_set_selected (class_row, 0);   /* man */

  /* Kept in the draft: filled again from it (as after a restart), the
   * editor is in pack mode with the class chosen. */
  atelier_tune_editor_set_draft (editor, atelier_tune_editor_get_draft (editor));
  g_assert_nonnull (atelier_tune_editor_get_pack (editor));
  g_assert_cmpint (atelier_pack_get_id (atelier_tune_editor_get_pack (editor)), ==, CORPORATE_ID);
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (class_row)), ==, 2);
  g_assert_cmpuint (adw_combo_row_get_selected (class_row), ==, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.leave-pack", NULL));
  g_assert_null (atelier_tune_editor_get_pack (editor));
  g_assert_null (atelier_draft_get_string (atelier_tune_editor_get_draft (editor), "pack"));
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (class_row)), ==, 9);
  g_assert_cmpuint (adw_combo_row_get_selected (class_row), ==, 0);   /* "Man" */
  g_assert_true (atelier_ui_is_shown (atelier_ui_get_by_id (GTK_WIDGET (editor), "model_group")));
  g_assert_false (atelier_ui_is_shown (atelier_ui_get_by_id (GTK_WIDGET (editor), "pack_group")));
}

/* A theme: the text, the options, the exact body, the run listed. */
static void
test_theme (void)
{
  gint64 ada = atelier_sandbox_server_seed_tune (sandbox, "Ada", "woman", TRUE);
  gint64 alan = atelier_sandbox_server_seed_tune (sandbox, "Alan", "man", TRUE);
  AtelierPackRunDialog *dialog;
  AdwMessageDialog *message;
  g_autofree char *json = NULL;
  g_autofree char *expected = NULL;
  guint windows_before = count_other_windows ();

  atelier_sandbox_server_clear_requests (sandbox);
  dialog = open_run_dialog ("packs.run-theme");
  g_assert_true (atelier_ui_is_shown (atelier_ui_get_by_id (GTK_WIDGET (dialog), "theme_row")));

  choose (dialog, "Ada");
  choose (dialog, "Alan");
  /* No theme, no run. */
  g_assert_false (gtk_widget_is_sensitive (atelier_ui_get_by_id (GTK_WIDGET (dialog), "send_button")));
  gtk_editable_set_text (GTK_EDITABLE (atelier_ui_get_by_id (GTK_WIDGET (dialog), "theme_row")), "  Film noir ");
  g_assert_true (gtk_widget_is_sensitive (atelier_ui_get_by_id (GTK_WIDGET (dialog), "send_button")));
  g_assert_cmpstr (summary (dialog), ==, "2 tunes × 10 prompts = 20 prompts. The API documents no price for themes.");

  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (atelier_ui_get_by_id (GTK_WIDGET (dialog), "options_row")), TRUE);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (atelier_ui_get_by_id (GTK_WIDGET (dialog), "options_row")), TRUE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (atelier_ui_get_by_id (GTK_WIDGET (dialog), "num_images_spin")), 2);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (atelier_ui_get_by_id (GTK_WIDGET (dialog), "width_spin")), 512);
  /* Typed, not a multiple of 8: snapped. */
  gtk_editable_set_text (GTK_EDITABLE (atelier_ui_get_by_id (GTK_WIDGET (dialog), "height_spin")), "770");
  gtk_spin_button_update (GTK_SPIN_BUTTON (atelier_ui_get_by_id (GTK_WIDGET (dialog), "height_spin")));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (atelier_ui_get_by_id (GTK_WIDGET (dialog), "height_spin"))), ==, 768);
  assert_all_named (GTK_WIDGET (dialog));
  atelier_ui_save_screenshot (GTK_WINDOW (dialog), "theme-dialog");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "run.send", NULL));
  message = wait_message ("Run the Theme?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (message), "The API documents no price for themes"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (message), "2 tunes × 10 prompts = 20 prompts"));
  atelier_ui_save_screenshot (GTK_WINDOW (message), "theme-confirm");
  respond (message, "run");
  atelier_test_wait_until (atelier_ui_find_toplevel (ATELIER_TYPE_PACK_RUN_DIALOG) == NULL, WAIT_MS);

  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "POST", "/themes"), ==, 1);
  json = request_json ("POST", "/themes");
  expected = g_strdup_printf ("{\"theme\":\"Film noir\",\"tune_ids\":[%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT "],"
                              "\"prompt_attributes\":{\"num_images\":2,\"w\":512,\"h\":768}}",
                              alan, ada);
  g_assert_cmpstr (json, ==, expected);
  {
    g_autoptr(GPtrArray) prompts = list_prompts (ada);

    g_assert_cmpuint (prompts->len, ==, 10);
  }

  /* Kept as a theme run, listed under the packs, its matrix open. */
  g_assert_cmpuint (count_other_windows (), ==, windows_before + 1);
  atelier_test_wait_until (find_row ("themes_list", "Film noir") != NULL, WAIT_MS);
  g_assert_true (g_str_has_suffix (row_subtitle (find_row ("themes_list", "Film noir")), " · 2 tunes: Alan, Ada"));
  {
    g_autoptr(GPtrArray) themes = atelier_pack_runs_dup_for_pack (atelier_session_get_pack_runs (session), 0);

    g_assert_cmpuint (themes->len, ==, 1);
    g_assert_cmpint (atelier_pack_run_get_kind (g_ptr_array_index (themes, 0)), ==, ATELIER_PACK_RUN_THEME);
  }
  {
    GtkWidget *scrolled = atelier_ui_find_by_type (atelier_ui_get_by_id (GTK_WIDGET (page ()), "list_scroller"), GTK_TYPE_SCROLLED_WINDOW);
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

    atelier_ui_spin (100);
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    atelier_ui_save_screenshot (GTK_WINDOW (window), "packs-theme-runs");
  }
}

/* A gallery pack the account may not use: the server's words on the
 * dialog, the choice kept, no run. */
static void
test_forbidden (void)
{
  AtelierSandboxFault fault = {
    .method = "POST", .path = "/p/261/tunes", .kind = ATELIER_SANDBOX_FAULT_STATUS, .status = 403,
    .body = "{\"error\": \"This pack is not available to your account\"}", .times = 1,
  };
  AtelierPackRunDialog *dialog;
  GtkWidget *error_label;

  atelier_sandbox_server_seed_tune (sandbox, "Ada", "woman", TRUE);
  atelier_sandbox_server_add_fault (sandbox, &fault);

  open_pack ("gallery_list", "Fantasy portraits");
  dialog = open_run_dialog ("packs.run-pack");
  choose (dialog, "Ada");
  g_assert_cmpstr (summary (dialog), ==, "1 tune × $2.50 = $2.50");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "run.send", NULL));
  respond (wait_message ("Run the Pack for $2.50?"), "run");
  atelier_test_wait_until (!atelier_pack_run_dialog_get_busy (dialog), WAIT_MS);

  error_label = atelier_ui_get_by_id (GTK_WIDGET (dialog), "error_label");
  atelier_test_wait_until (atelier_ui_is_shown (error_label), WAIT_MS);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (error_label)), ==,
                   "Astria refused it: This pack is not available to your account");
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (atelier_ui_find_by_type (dialog_row (dialog, "Ada"),
                                                                                         GTK_TYPE_CHECK_BUTTON))));
  {
    g_autoptr(GPtrArray) of_pack = atelier_pack_runs_dup_for_pack (atelier_session_get_pack_runs (session), FANTASY_ID);

    g_assert_cmpuint (of_pack->len, ==, 0);
  }
  assert_all_named (GTK_WIDGET (dialog));
  atelier_ui_save_screenshot (GTK_WINDOW (dialog), "run-forbidden");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "run.cancel", NULL));
  atelier_test_wait_until (atelier_ui_find_toplevel (ATELIER_TYPE_PACK_RUN_DIALOG) == NULL, WAIT_MS);
}

/* No ready tune: the dialog says why and how to get one. */
static void
test_no_ready_tunes (void)
{
  AtelierPackRunDialog *dialog;

  atelier_sandbox_server_seed_tune (sandbox, "Still training", "woman", FALSE);
  atelier_sandbox_server_seed_tune (sandbox, "A cat", "cat", TRUE);

  open_pack ("gallery_list", "Corporate headshots");
  dialog = open_run_dialog ("packs.run-pack");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (atelier_ui_get_by_id (GTK_WIDGET (dialog), "stack"))), ==, "empty");
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (dialog), "No Ready Tunes"));
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (dialog), "the branch “fast” makes a free test tune"));
  g_assert_false (gtk_widget_is_sensitive (atelier_ui_get_by_id (GTK_WIDGET (dialog), "send_button")));
  assert_all_named (GTK_WIDGET (dialog));
  atelier_ui_save_screenshot (GTK_WINDOW (dialog), "run-no-tunes");

  /* "Go to the Tunes" does so. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "run.go-to-tunes", NULL));
  atelier_test_wait_until (atelier_ui_find_toplevel (ATELIER_TYPE_PACK_RUN_DIALOG) == NULL, WAIT_MS);
  g_assert_true (_atelier_window_get_page (window, "tunes") ==
                 adw_view_stack_get_visible_child (ADW_VIEW_STACK (atelier_ui_get_by_id (GTK_WIDGET (window), "view_stack"))));
}

/* A pack that lists no prices: any trained tune can be chosen, and the
 * confirmations say the price is not known. */
static void
test_unknown_price (void)
{
  AtelierTunesPage *tunes = ATELIER_TUNES_PAGE (_atelier_window_get_page (window, "tunes"));
  AtelierPackRunDialog *dialog;
  AdwMessageDialog *message;
  AtelierTuneEditor *editor;

  atelier_sandbox_server_seed_pack (sandbox, "Unpriced", FALSE, "", 2);
  atelier_sandbox_server_seed_tune (sandbox, "Cleo", "cat", TRUE);
  reload ();
  atelier_sandbox_server_clear_requests (sandbox);

  open_pack ("my_list", "Unpriced");
  dialog = open_run_dialog ("packs.run-pack");
  choose (dialog, "Cleo");
  g_assert_cmpstr (summary (dialog), ==, "1 tune; the pack lists no prices, so what it costs is not known");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "run.send", NULL));
  message = wait_message ("Run the Pack?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (message), "lists no prices, so what running it on 1 tune costs is not known"));
  respond (message, "cancel");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "run.cancel", NULL));
  atelier_test_wait_until (atelier_ui_find_toplevel (ATELIER_TYPE_PACK_RUN_DIALOG) == NULL, WAIT_MS);

  /* A tune from it: every class, the price not known, asked. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "packs.create-tune", NULL));
  atelier_test_wait_until (atelier_tunes_page_get_editor (tunes) != NULL, WAIT_MS);
  editor = atelier_tunes_page_get_editor (tunes);
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (atelier_ui_get_by_id (GTK_WIDGET (editor), "class_row")))),
                    ==, 9);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (atelier_ui_get_by_id (GTK_WIDGET (editor), "price_label"))), ==, "Not known");
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "POST", "/p/"), ==, 0);
}

/* A service that does not list packs' prompts: asked twice, then no
 * more; a pack's page says so, and shows the prompts a run made. */
static void
test_prompts_from_run (void)
{
  AtelierSandboxFault fault = {
    .method = "GET", .path = "/packs/", .kind = ATELIER_SANDBOX_FAULT_STATUS, .status = 404,
  };
  AtelierPackRunDialog *dialog;
  GtkWidget *view = atelier_ui_get_by_id (GTK_WIDGET (page ()), "pack_view");
  GtkListBox *prompts_list = GTK_LIST_BOX (atelier_ui_get_by_id (view, "prompts_list"));

  atelier_sandbox_server_seed_tune (sandbox, "Ada", "woman", TRUE);
  atelier_sandbox_server_add_fault (sandbox, &fault);
  atelier_sandbox_server_clear_requests (sandbox);
  reload ();

  /* Two at a time: the first "not found" sends a third, the second stops. */
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "GET", "/packs/"), ==, 3);
  g_assert_cmpstr (row_subtitle (find_row ("gallery_list", "Corporate headshots")), ==,
                   "Realistic Vision v5.1 · Checkpoint\nman $2.00 · woman $1.00");

  open_pack ("gallery_list", "Corporate headshots");
  g_assert_true (atelier_ui_shows_text (view, "They appear here once a run of the pack has made them."));
  g_assert_null (gtk_list_box_get_row_at_index (prompts_list, 0));

  dialog = open_run_dialog ("packs.run-pack");
  choose (dialog, "Ada");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "run.send", NULL));
  respond (wait_message ("Run the Pack for $1.00?"), "run");
  atelier_test_wait_until (atelier_ui_find_toplevel (ATELIER_TYPE_PACK_RUN_DIALOG) == NULL, WAIT_MS);

  /* The run's prompts, one per pack prompt. */
  atelier_test_wait_until (gtk_list_box_get_row_at_index (prompts_list, 4) != NULL, WAIT_MS);
  g_assert_null (gtk_list_box_get_row_at_index (prompts_list, 5));
  g_assert_true (atelier_ui_shows_text (view, "these are those its last run made on Ada"));
  g_assert_nonnull (atelier_ui_find_labelled (GTK_WIDGET (prompts_list), ADW_TYPE_ACTION_ROW,
                                              "ohwx woman corporate headshot, navy suit, soft studio light, grey backdrop"));
}

/* A run file that cannot be read is listed with its problem and can be
 * deleted; the readable ones load beside it. */
static void
test_unreadable_run (void)
{
  AtelierPackRuns *runs = atelier_session_get_pack_runs (session);
  g_autoptr(GPtrArray) tunes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(AtelierPackRun) theme = NULL;
  g_autofree char *runs_dir = g_build_filename (g_get_user_data_dir (), "atelier", "runs", NULL);
  g_autofree char *broken = NULL;
  g_autoptr(GDir) d = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  GtkWidget *row;
  GtkWidget *button;

  {
    g_autoptr(JsonNode) node = json_from_string ("{\"id\": 7, \"title\": \"Ada\", \"name\": \"woman\"}", NULL);

    g_ptr_array_add (tunes, atelier_tune_new_from_json (node, NULL));
  }
  theme = atelier_pack_run_new_for_theme ("Film noir", tunes, now);
  atelier_pack_runs_add (runs, theme);
  atelier_test_wait_until (!atelier_pack_runs_is_writing (runs), WAIT_MS);

  /* Beside it, a file cut off. */
  d = g_dir_open (runs_dir, 0, &error);
  g_assert_no_error (error);
  name = g_dir_read_name (d);
  g_assert_nonnull (name);
  broken = g_build_filename (runs_dir, name, "broken.json", NULL);
  g_file_set_contents (broken, "{\"version\": 1, \"kind\": \"pa", -1, &error);
  g_assert_no_error (error);

  /* Read again, as after a restart. */
  atelier_pack_runs_set_account (runs, "elsewhere:");
  runs = atelier_session_get_pack_runs (session);
  atelier_test_wait_until (atelier_pack_runs_is_loaded (runs), WAIT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (runs)), ==, 2);

  atelier_test_wait_until (find_row ("themes_list", "broken.json") != NULL, WAIT_MS);
  g_assert_nonnull (find_row ("themes_list", "Film noir"));
  row = find_row ("themes_list", "broken.json");
  g_assert_true (strlen (row_subtitle (row)) > 0);
  button = atelier_ui_find_by_type (row, GTK_TYPE_BUTTON);
  g_assert_nonnull (button);
  assert_all_named (atelier_ui_get_by_id (GTK_WIDGET (page ()), "themes_list"));
  {
    GtkWidget *scrolled = atelier_ui_find_by_type (atelier_ui_get_by_id (GTK_WIDGET (page ()), "list_scroller"), GTK_TYPE_SCROLLED_WINDOW);
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

    atelier_ui_spin (100);
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    atelier_ui_save_screenshot (GTK_WINDOW (window), "packs-unreadable-run");
  }

  /* Delete: the row and the file go. */
  gtk_widget_activate (button);
  atelier_test_wait_until (find_row ("themes_list", "broken.json") == NULL, WAIT_MS);
  atelier_test_wait_until (!g_file_test (broken, G_FILE_TEST_EXISTS), WAIT_MS);
  g_assert_nonnull (find_row ("themes_list", "Film noir"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  atelier_ui_test_init (&argc, &argv);
  dir = g_dir_make_tmp ("atelier-packs-XXXXXX", &error);
  g_assert_no_error (error);

  atelier_ui_test_add ("/packs/browser", start, test_browser);
  atelier_ui_test_add ("/packs/run-on-tunes", start, test_run_on_tunes);
  atelier_ui_test_add ("/packs/create-tune", start, test_create_tune);
  atelier_ui_test_add ("/packs/create-tune-504", start, test_create_tune_504);
  atelier_ui_test_add ("/packs/leave-pack", start, test_leave_pack);
  atelier_ui_test_add ("/packs/theme", start, test_theme);
  atelier_ui_test_add ("/packs/forbidden", start, test_forbidden);
  atelier_ui_test_add ("/packs/no-ready-tunes", start, test_no_ready_tunes);
  atelier_ui_test_add ("/packs/unreadable-run", start, test_unreadable_run);
  atelier_ui_test_add ("/packs/prompts-from-run", start, test_prompts_from_run);
  atelier_ui_test_add ("/packs/unknown-price", start, test_unknown_price);

  status = g_test_run ();
  atelier_test_rm_rf (dir);
  g_free (dir);

  return status;
}
