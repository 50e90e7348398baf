/* test-gallery.c: the gallery, the viewer and the prompt editor, driven
 *
 * Runs the real application in its Sandbox and works on the sandbox the
 * app started. Set ATELIER_TEST_SCREENSHOTS to a folder to also keep
 * screenshots of what the tests look at (wide and narrow).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atelier-application.h"
#include "atelier-gallery-cell.h"
#include "atelier-gallery-row.h"
#include "atelier-gallery-page-private.h"
#include "atelier-prompt-editor.h"
#include "atelier-shell.h"
#include "atelier-test-utils.h"
#include "atelier-tune-list.h"
#include "atelier-tunes-page.h"
#include "atelier-ui-test-utils.h"
#include "atelier-viewer.h"
#include "atelier-window-private.h"
#include "atelier-zoom-view.h"

#define WAIT_MS 20000

static AtelierApplication *app;
static AtelierWindow *window;
static AtelierSession *session;
static AtelierSandboxServer *sandbox;
static gint64 tune_id;
static GPtrArray *notifications;

static AtelierGalleryPage *
gallery (void)
{
  return ATELIER_GALLERY_PAGE (_atelier_window_get_page (window, "gallery"));
}

static AtelierPromptsModel *
model (void)
{
  return _atelier_gallery_page_get_model (gallery ());
}

static void
wait_loaded (void)
{
  gboolean loading = TRUE;

  atelier_test_wait_until ((g_object_get (gallery (), "loading", &loading, NULL), !loading) &&
                           !atelier_prompts_model_is_loading (model ()), WAIT_MS);
}

static gboolean
thumbnails_shown (void)
{
  guint waiting = 0;
  guint visible = _atelier_gallery_page_count_visible_cells (gallery (), &waiting);

  return visible > 0 && waiting == 0;
}

/* The visible rows (one per prompt), top to bottom. */
static GPtrArray *
visible_rows (void)
{
  GtkWidget *grid = atelier_ui_find_by_id (GTK_WIDGET (gallery ()), "grid_view");
  GPtrArray *rows = g_ptr_array_new ();

  for (GtkWidget *child = gtk_widget_get_first_child (grid);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);

      if (ATELIER_IS_GALLERY_ROW (row) && atelier_gallery_row_get_prompt (ATELIER_GALLERY_ROW (row)) != NULL &&
          gtk_widget_get_child_visible (child) && gtk_widget_get_mapped (row))
        g_ptr_array_add (rows, row);
    }

  return rows;
}

static AtelierGalleryRow *
find_row (gint64 prompt_id)
{
  g_autoptr(GPtrArray) rows = visible_rows ();

  for (guint i = 0; i < rows->len; i++)
    {
      if (atelier_prompt_get_id (atelier_gallery_row_get_prompt (g_ptr_array_index (rows, i))) == prompt_id)
        return g_ptr_array_index (rows, i);
    }

  return NULL;
}

/* The shown cells of @row, in order. (transfer container) */
static GPtrArray *
row_cells (AtelierGalleryRow *row)
{
  GPtrArray *cells = g_ptr_array_new ();

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (row));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (ATELIER_IS_GALLERY_CELL (child) && gtk_widget_get_visible (child))
        g_ptr_array_add (cells, child);
    }

  return cells;
}

static guint
count_descendants (GtkWidget *root,
                   GType      type)
{
  guint n = G_TYPE_CHECK_INSTANCE_TYPE (root, type);

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_descendants (child, type);

  return n;
}

static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* A button whose content is a label (a drop-down's). */
static gboolean
has_label_child (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if ((GTK_IS_LABEL (child) && *gtk_label_get_text (GTK_LABEL (child)) != '\0') || has_label_child (child))
        return TRUE;
    }

  return FALSE;
}

/* Every button, entry, switch… under @root can be named by a screen
 * reader: a label, an accessible name or a tooltip. */
static void
assert_controls_named (GtkWidget *root)
{
  g_autoptr(GQueue) queue = g_queue_new ();
  guint unnamed = 0;
  guint controls = 0;

  g_queue_push_tail (queue, root);
  while (!g_queue_is_empty (queue))
    {
      GtkWidget *widget = g_queue_pop_head (queue);
      gboolean control = GTK_IS_BUTTON (widget) || GTK_IS_SWITCH (widget) || GTK_IS_SPIN_BUTTON (widget) ||
                         GTK_IS_MENU_BUTTON (widget) || ADW_IS_ENTRY_ROW (widget) || ADW_IS_COMBO_ROW (widget) ||
                         GTK_IS_TEXT_VIEW (widget) || GTK_IS_DROP_DOWN (widget);

      if (!gtk_widget_get_visible (widget))
        continue;
      /* A menu button's inner toggle and a spin button's +/- are their own
       * business: the outer widget is what is named (checked above). */
      if (GTK_IS_MENU_BUTTON (gtk_widget_get_parent (widget)) ||
          GTK_IS_SPIN_BUTTON (gtk_widget_get_parent (widget)))
        continue;

      if (control)
        {
          const char *tooltip = gtk_widget_get_tooltip_text (widget);
          gboolean named = gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL) ||
                           (tooltip != NULL && *tooltip != '\0') ||
                           (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL) ||
                           (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_label (GTK_MENU_BUTTON (widget)) != NULL) ||
                           (GTK_IS_BUTTON (widget) && has_label_child (widget)) ||
                           (ADW_IS_PREFERENCES_ROW (widget) &&
                            *adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)) != '\0');

          controls++;
          if (!named)
            {
              g_printerr ("Unnamed %s (%s) in %s\n", G_OBJECT_TYPE_NAME (widget), gtk_widget_get_name (widget),
                          G_OBJECT_TYPE_NAME (gtk_widget_get_parent (widget)));
              unnamed++;
            }
        }

      for (GtkWidget *child = gtk_widget_get_first_child (widget);
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        g_queue_push_tail (queue, child);
    }

  g_assert_cmpuint (controls, >, 3);
  g_assert_cmpuint (unnamed, ==, 0);
}

/* The grid */

/* Every case: a fresh application in its Sandbox, with one tune and 12
 * prompts of 4 images, the gallery shown and loaded. */
static void
start (void)
{
  window = atelier_ui_app_start (NULL);
  app = atelier_ui_get_app ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);
  session = atelier_window_get_session (window);
  g_assert_cmpint (atelier_session_get_mode (session), ==, ATELIER_SESSION_MODE_SANDBOX);
  sandbox = atelier_ui_get_sandbox ();
  atelier_sandbox_server_set_prompt_delay_ms (sandbox, 300);
  atelier_sandbox_server_set_image_size (sandbox, 512);
  tune_id = atelier_sandbox_server_seed_tune (sandbox, "Ada Lovelace - 0f3c", "woman", TRUE);
  atelier_sandbox_server_seed_prompts (sandbox, tune_id, 12, 4);

  atelier_window_show_page (window, "gallery");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL);
  wait_loaded ();
}

static void
test_age (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 12, 7, 12, 0, 0);
  struct { GTimeSpan ago; const char *expected; } cases[] = {
    { 20 * G_TIME_SPAN_SECOND, "Just now" },
    { 1 * G_TIME_SPAN_MINUTE, "1 minute ago" },
    { 59 * G_TIME_SPAN_MINUTE, "59 minutes ago" },
    { 3 * G_TIME_SPAN_HOUR, "3 hours ago" },
    { 30 * G_TIME_SPAN_HOUR, "Yesterday" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) then = g_date_time_add (now, -cases[i].ago);
      g_autofree char *age = atelier_format_age (then, now);

      g_assert_cmpstr (age, ==, cases[i].expected);
    }

  {
    g_autoptr(GDateTime) then = g_date_time_new_utc (2026, 3, 14, 12, 0, 0);
    g_autofree char *age = atelier_format_age (then, now);

    g_assert_nonnull (strstr (age, "2026"));
    g_assert_nonnull (strstr (age, "14"));
  }
}

/* Likes @id from the grid and waits until the service has it. */
static void
like (gint64 id)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (gallery ()), "gallery.toggle-like", "x", id));
  atelier_test_wait_until (atelier_sandbox_server_get_like_count (sandbox, id) == 1, WAIT_MS);
}

static void
test_grid (void)
{
  g_autoptr(GPtrArray) rows = NULL;
  GListModel *units = atelier_prompts_model_get_units (model ());

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model ())), >=, 40);
  atelier_test_wait_until (thumbnails_shown (), WAIT_MS);
  g_assert_false (atelier_ui_shows_text (GTK_WIDGET (gallery ()), "No Images Yet"));
  atelier_ui_save_screenshot (GTK_WINDOW (window), "gallery");

  /* One unit per prompt: its four images together, its text, its tune,
   * one like button; no heart on the images. */
  g_assert_cmpuint (g_list_model_get_n_items (units), ==, atelier_prompts_model_get_n_prompts (model ()));
  rows = visible_rows ();
  g_assert_cmpuint (rows->len, >=, 2);
  for (guint i = 0; i < rows->len; i++)
    {
      AtelierGalleryRow *row = g_ptr_array_index (rows, i);
      AtelierPrompt *prompt = atelier_gallery_row_get_prompt (row);
      g_autoptr(GPtrArray) cells = row_cells (row);
      g_autoptr(AtelierGalleryItem) unit = g_list_model_get_item (units, i);

      g_assert_cmpint (atelier_prompt_get_id (prompt), ==, atelier_gallery_item_get_prompt_id (unit));
      g_assert_cmpuint (cells->len, ==, 4);
      for (guint j = 0; j < cells->len; j++)
        {
          AtelierGalleryItem *item = atelier_gallery_cell_get_item (g_ptr_array_index (cells, j));

          g_assert_cmpint (atelier_gallery_item_get_prompt_id (item), ==, atelier_prompt_get_id (prompt));
          g_assert_cmpuint (atelier_gallery_item_get_index (item), ==, j);
          g_assert_cmpuint (count_descendants (g_ptr_array_index (cells, j), GTK_TYPE_BUTTON), ==, 0);
        }
      g_assert_true (atelier_ui_shows_text (GTK_WIDGET (row), atelier_prompt_get_text (prompt)));
      /* The tune's name, once the tunes came. */
      atelier_test_wait_until (atelier_ui_shows_text (GTK_WIDGET (row), "Ada Lovelace"), WAIT_MS);
      g_assert_true (atelier_ui_shows_text (GTK_WIDGET (row), "4 images"));
      g_assert_true (gtk_widget_get_visible (atelier_gallery_row_get_like_button (row)));
    }

  /* The grid is keyboard-reachable and every control is named. */
  assert_controls_named (GTK_WIDGET (gallery ()));
}

static gint64
first_prompt_id (void)
{
  g_autoptr(AtelierGalleryItem) item = g_list_model_get_item (G_LIST_MODEL (model ()), 0);

  return atelier_gallery_item_get_prompt_id (item);
}

static guint
count_liked_rows (void)
{
  g_autoptr(GPtrArray) rows = visible_rows ();
  guint n = 0;

  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *button = atelier_gallery_row_get_like_button (g_ptr_array_index (rows, i));

      n += gtk_widget_has_css_class (button, "liked");
    }

  return n;
}

/* A like is for a prompt: the one Like button of its row likes it at
 * once, with one request, and one row shows it liked. A refusal comes
 * back with its fields. */
static void
test_like_from_row (void)
{
  gint64 id = first_prompt_id ();
  AtelierLikes *likes = atelier_session_get_likes (session);
  g_autofree char *path = g_strdup_printf ("/prompts/%" G_GINT64_FORMAT "/likes", id);
  AtelierSandboxFault fault = { 0 };
  AtelierGalleryRow *row;
  GtkWidget *button;

  atelier_test_wait_until (thumbnails_shown (), WAIT_MS);
  row = find_row (id);
  g_assert_nonnull (row);
  button = atelier_gallery_row_get_like_button (row);
  g_assert_cmpuint (count_liked_rows (), ==, 0);
  g_assert_true (atelier_ui_shows_text (button, "Like"));

  g_signal_emit_by_name (button, "clicked");
  g_assert_true (atelier_likes_is_liked (likes, id));
  atelier_test_wait_until (atelier_sandbox_server_get_like_count (sandbox, id) == 1, WAIT_MS);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "POST", path), ==, 1);
  g_assert_cmpuint (count_liked_rows (), ==, 1);
  g_assert_true (gtk_widget_has_css_class (button, "liked"));
  g_assert_true (atelier_ui_shows_text (button, "Liked"));
  atelier_ui_save_screenshot (GTK_WINDOW (window), "gallery-liked");

  fault.path = path;
  fault.kind = ATELIER_SANDBOX_FAULT_STATUS;
  fault.status = 422;
  fault.body = "{\"base\": [\"likes are closed\"]}";
  fault.times = 1;
  atelier_sandbox_server_add_fault (sandbox, &fault);

  g_signal_emit_by_name (button, "clicked");
  g_assert_false (atelier_likes_is_liked (likes, id));
  g_assert_cmpuint (count_liked_rows (), ==, 0);
  atelier_test_wait_until (atelier_likes_is_liked (likes, id), WAIT_MS);
  g_assert_cmpuint (atelier_sandbox_server_get_like_count (sandbox, id), ==, 1);
  g_assert_cmpuint (count_liked_rows (), ==, 1);
  /* The refusal's fields are shown (a 422 opens the field-error dialog). */
  atelier_test_wait_until (_atelier_window_get_error_dialog (window) != NULL, WAIT_MS);
  gtk_window_destroy (_atelier_window_get_error_dialog (window));
}

/* The row of @prompt_id is the first one in view. */
static gboolean
row_at_top (gint64 prompt_id)
{
  AtelierGalleryRow *row = find_row (prompt_id);
  GtkWidget *scrolled = GTK_WIDGET (_atelier_gallery_page_get_scrolled_window (gallery ()));
  graphene_rect_t bounds;

  return row != NULL &&
         gtk_widget_compute_bounds (GTK_WIDGET (row), scrolled, &bounds) &&
         bounds.origin.y >= 0 && bounds.origin.y < 60;
}

/* A tune finishes training while the gallery is shown, and the service
 * has made prompts for it (a pack's): they come in at the top without a
 * Refresh, with no reload of the list. */
static void
test_trained_tune_prompts (void)
{
  AtelierTunesPage *tunes = ATELIER_TUNES_PAGE (_atelier_window_get_page (window, "tunes"));
  AtelierTuneList *list = atelier_tunes_page_get_tune_list (tunes);
  guint lists = atelier_sandbox_server_count_requests (sandbox, "GET", "/prompts");
  guint n_before = atelier_prompts_model_get_n_prompts (model ());
  gint64 training;
  gint64 made[2];
  AtelierTune *tune;

  atelier_tune_list_set_poll_base_ms (list, 200);
  atelier_sandbox_server_set_training_delay_ms (sandbox, 4000);
  training = atelier_sandbox_server_seed_tune (sandbox, "Training Tara", "woman", FALSE);
  atelier_tunes_page_reload (tunes);
  atelier_test_wait_until ((tune = atelier_tune_list_find (list, training)) != NULL, WAIT_MS);
  g_assert_cmpint (atelier_tune_get_state (tune, NULL), ==, ATELIER_TUNE_STATE_TRAINING);

  made[0] = atelier_sandbox_server_seed_prompt (sandbox, training, "ohwx woman pack prompt one", 2);
  made[1] = atelier_sandbox_server_seed_prompt (sandbox, training, "ohwx woman pack prompt two", 2);
  g_assert_null (atelier_prompts_model_lookup_prompt (model (), made[0]));

  atelier_test_wait_until (atelier_prompts_model_lookup_prompt (model (), made[0]) != NULL &&
                           atelier_prompts_model_lookup_prompt (model (), made[1]) != NULL, WAIT_MS);
  g_assert_cmpint (first_prompt_id (), ==, made[1]);
  g_assert_cmpuint (atelier_prompts_model_get_n_prompts (model ()), ==, n_before + 2);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "GET", "/prompts"), ==, lists);
  /* The top was shown: it still is, with the new prompts. */
  atelier_test_wait_until (row_at_top (made[1]), WAIT_MS);
  atelier_ui_save_screenshot (GTK_WINDOW (window), "gallery-trained-tune-prompts");
}

/* A prompt sent for a tune made after the gallery fetched its tunes (a
 * FaceID tune is trained at once, so nothing else tells the gallery):
 * its row names the tune, not only the base model it runs on. */
static void
test_new_tune_named (void)
{
  AtelierAstriaClient *client = atelier_session_get_astria_client (session);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(AtelierPrompt) prompt = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gint64 grace;
  gint64 id;

  grace = atelier_sandbox_server_seed_tune (sandbox, "Grace", "woman", TRUE);
  text = g_strdup_printf ("<faceid:%" G_GINT64_FORMAT ":1> woman reading in a library", grace);
  id = atelier_sandbox_server_seed_prompt (sandbox, ATELIER_SANDBOX_RV51_TUNE_ID, text, 1);
  atelier_astria_client_get_prompt_async (client, ATELIER_SANDBOX_RV51_TUNE_ID, id, NULL,
                                          atelier_test_store_result, &result);
  prompt = atelier_astria_client_get_prompt_finish (client, atelier_test_wait_result (&result), &error);
  g_assert_no_error (error);

  atelier_session_announce_prompt (session, prompt);
  atelier_test_wait_until (find_row (id) != NULL &&
                           atelier_ui_shows_text (GTK_WIDGET (find_row (id)), "Grace on Realistic Vision v5.1"),
                           WAIT_MS);
}

/* Filters from the toolbar. */
static void
test_filters (void)
{
  GtkWidget *tunes = atelier_ui_find_by_id (GTK_WIDGET (gallery ()), "tune_dropdown");
  /* Not by id: the drop-down's own popover has a "search_entry" too. */
  GtkWidget *search = gtk_widget_get_next_sibling (tunes);
  GtkWidget *liked = atelier_ui_find_by_id (GTK_WIDGET (gallery ()), "liked_button");
  gint64 liked_id = first_prompt_id ();

  like (liked_id);
  g_assert_true (GTK_IS_SEARCH_ENTRY (search));
  gtk_editable_set_text (GTK_EDITABLE (search), "unicorn");
  atelier_test_wait_until (!atelier_prompts_model_is_loading (model ()) &&
                           g_list_model_get_n_items (G_LIST_MODEL (model ())) == 0 &&
                           !atelier_prompts_model_has_more (model ()), WAIT_MS);
  atelier_test_wait_until (atelier_ui_shows_text (GTK_WIDGET (gallery ()), "No Matching Images"), WAIT_MS);
  gtk_editable_set_text (GTK_EDITABLE (search), "");

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (liked), TRUE);
  g_assert_cmpuint (atelier_prompts_model_get_n_prompts (model ()), ==, 1);
  g_assert_nonnull (atelier_prompts_model_lookup_prompt (model (), liked_id));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (liked), FALSE);
  wait_loaded ();

  /* The tune list came (after All Tunes and the FaceID results):
   * choosing the tune filters to it. */
  atelier_test_wait_until (g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (tunes))) >= 3, WAIT_MS);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (tunes), 2);
  g_assert_cmpint (atelier_prompts_model_get_tune_id (model ()), ==, tune_id);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (tunes), 0);
  g_assert_cmpint (atelier_prompts_model_get_tune_id (model ()), ==, 0);
  wait_loaded ();
}

/* The viewer */

/* Activates the image at @position (of the prompts model) in its row, as
 * a click or Enter does. */
static AtelierViewer *
open_viewer (guint position)
{
  g_autoptr(AtelierGalleryItem) item = g_list_model_get_item (G_LIST_MODEL (model ()), position);
  AtelierGalleryRow *row;
  g_autoptr(GPtrArray) cells = NULL;
  AtelierViewer *viewer;

  atelier_test_wait_until (thumbnails_shown (), WAIT_MS);
  row = find_row (atelier_gallery_item_get_prompt_id (item));
  g_assert_nonnull (row);
  cells = row_cells (row);
  g_assert_cmpuint (cells->len, >, atelier_gallery_item_get_index (item));
  g_signal_emit_by_name (g_ptr_array_index (cells, atelier_gallery_item_get_index (item)), "activate");
  viewer = ATELIER_VIEWER (_atelier_gallery_page_get_viewer (gallery ()));
  g_assert_nonnull (viewer);
  atelier_test_wait_until (atelier_viewer_is_loaded (viewer), WAIT_MS);

  return viewer;
}

static AtelierPromptEditor *
find_editor (void)
{
  AtelierPromptEditor *editor = NULL;

  atelier_test_wait_until ((editor = (AtelierPromptEditor *) atelier_ui_find_toplevel (ATELIER_TYPE_PROMPT_EDITOR)) != NULL,
                           WAIT_MS);
  return editor;
}

static void
clipboard_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
}

static void
test_viewer (void)
{
  AtelierViewer *viewer = open_viewer (0);
  AtelierGalleryItem *item = atelier_viewer_get_item (viewer);
  AtelierPrompt *prompt = atelier_gallery_item_get_prompt (item);
  AtelierZoomView *zoom = ATELIER_ZOOM_VIEW (atelier_ui_find_by_type (GTK_WIDGET (viewer), ATELIER_TYPE_ZOOM_VIEW));
  g_autofree char *copied = NULL;
  AtelierPromptEditor *editor;
  double fitted;

  g_assert_cmpuint (atelier_gallery_item_get_index (item), ==, 0);
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (viewer), atelier_prompt_get_text (prompt)));
  g_assert_true (atelier_zoom_view_get_fit (zoom));
  atelier_ui_save_screenshot (GTK_WINDOW (viewer), "viewer");
  assert_controls_named (GTK_WIDGET (viewer));

  /* Zoom in and back to fit. */
  fitted = atelier_zoom_view_get_zoom (zoom);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "zoom.in", NULL));
  g_assert_false (atelier_zoom_view_get_fit (zoom));
  g_assert_cmpfloat (atelier_zoom_view_get_zoom (zoom), >, fitted);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "zoom.fit", NULL));
  g_assert_true (atelier_zoom_view_get_fit (zoom));

  /* Next and previous. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.next", NULL));
  g_assert_cmpuint (atelier_gallery_item_get_index (atelier_viewer_get_item (viewer)), ==, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.previous", NULL));
  g_assert_cmpuint (atelier_gallery_item_get_index (atelier_viewer_get_item (viewer)), ==, 0);

  /* Like from the viewer, and unlike: the grid's state too. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.like", NULL));
  atelier_test_wait_until (atelier_sandbox_server_get_like_count (sandbox, atelier_prompt_get_id (prompt)) == 1, WAIT_MS);
  g_assert_true (atelier_likes_is_liked (atelier_session_get_likes (session), atelier_prompt_get_id (prompt)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.like", NULL));
  atelier_test_wait_until (atelier_sandbox_server_get_like_count (sandbox, atelier_prompt_get_id (prompt)) == 0, WAIT_MS);
  g_assert_false (atelier_likes_is_liked (atelier_session_get_likes (session), atelier_prompt_get_id (prompt)));

  /* Copy the prompt. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.copy-prompt", NULL));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (viewer)), NULL, clipboard_cb, &copied);
  atelier_test_wait_until (copied != NULL, WAIT_MS);
  g_assert_cmpstr (copied, ==, atelier_prompt_get_text (prompt));

  /* Reuse these settings: the editor, filled in. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.reuse", NULL));
  editor = find_editor ();
  {
    g_autoptr(AtelierPromptParams) params = atelier_prompt_editor_dup_params (editor);

    g_assert_cmpstr (atelier_params_get_string (ATELIER_PARAMS (params), "text"), ==, atelier_prompt_get_text (prompt));
    g_assert_cmpint (atelier_prompt_editor_get_target_tune_id (editor), ==, atelier_prompt_get_tune_id (prompt));
  }
  gtk_window_destroy (GTK_WINDOW (editor));

  /* Use as img2img input: the image's URL as input. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.use-as-input", NULL));
  editor = find_editor ();
  {
    g_autoptr(AtelierPromptParams) params = atelier_prompt_editor_dup_params (editor);

    g_assert_cmpstr (atelier_params_get_string (ATELIER_PARAMS (params), "input_image_url"), ==,
                     atelier_gallery_item_get_url (atelier_viewer_get_item (viewer)));
    g_assert_true (atelier_ui_shows_text (GTK_WIDGET (editor), "Img2img and ControlNet"));
  }
  gtk_window_destroy (GTK_WINDOW (editor));

  gtk_window_destroy (GTK_WINDOW (viewer));
}

/* Deleting asks first, then the prompt goes from the service and the
 * grid, and the viewer closes. */
static void
test_delete (void)
{
  AtelierViewer *viewer = open_viewer (0);
  gint64 id = atelier_gallery_item_get_prompt_id (atelier_viewer_get_item (viewer));
  g_autofree char *path = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT "/prompts/%" G_GINT64_FORMAT, tune_id, id);
  AdwMessageDialog *dialog;

  g_object_add_weak_pointer (G_OBJECT (viewer), (gpointer *) &viewer);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.delete", NULL));
  atelier_test_wait_until ((dialog = (AdwMessageDialog *) atelier_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL,
                           WAIT_MS);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "DELETE", path), ==, 0);
  adw_message_dialog_response (dialog, "delete");

  atelier_test_wait_until (viewer == NULL, WAIT_MS);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "DELETE", path), ==, 1);
  g_assert_null (atelier_prompts_model_lookup_prompt (model (), id));
  g_assert_cmpint (first_prompt_id (), !=, id);
}

/* The keyboard reaches a prompt's images, its Like and its menu with
 * Tab, and Enter on an image opens it. */
static void
test_keyboard (void)
{
  GtkWidget *search = atelier_ui_find_by_id (GTK_WIDGET (gallery ()), "search_entry");
  gboolean cell = FALSE, like_button = FALSE, menu = FALSE;
  GtkWidget *focus = NULL;
  GtkWidget *first_cell = NULL;

  atelier_test_wait_until (thumbnails_shown (), WAIT_MS);
  gtk_widget_grab_focus (search);

  for (guint i = 0; i < 40 && !(cell && like_button && menu); i++)
    {
      g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD));
      focus = gtk_root_get_focus (GTK_ROOT (window));
      g_assert_nonnull (focus);
      for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
        {
          if (ATELIER_IS_GALLERY_CELL (w))
            {
              cell = TRUE;
              if (first_cell == NULL)
                first_cell = w;
            }
          else if (ATELIER_IS_GALLERY_ROW (w))
            {
              like_button |= gtk_widget_is_ancestor (focus, atelier_gallery_row_get_like_button (ATELIER_GALLERY_ROW (w))) ||
                             focus == atelier_gallery_row_get_like_button (ATELIER_GALLERY_ROW (w));
              menu |= GTK_IS_MENU_BUTTON (gtk_widget_get_parent (focus)) || GTK_IS_MENU_BUTTON (focus);
            }
        }
    }

  g_assert_true (cell);
  g_assert_true (like_button);
  g_assert_true (menu);

  g_assert_true (gtk_widget_activate (first_cell));
  g_assert_nonnull (_atelier_gallery_page_get_viewer (gallery ()));
  gtk_window_destroy (_atelier_gallery_page_get_viewer (gallery ()));
}

/* The row's menu: copy the text, reuse the settings, delete. */
static void
test_row_menu (void)
{
  gint64 id = first_prompt_id ();
  AtelierPrompt *prompt = atelier_prompts_model_lookup_prompt (model (), id);
  g_autofree char *path = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT "/prompts/%" G_GINT64_FORMAT, tune_id, id);
  g_autofree char *copied = NULL;
  AtelierPromptEditor *editor;
  AdwMessageDialog *dialog;
  AtelierGalleryRow *row;

  atelier_test_wait_until (thumbnails_shown (), WAIT_MS);
  row = find_row (id);
  g_assert_nonnull (row);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "row.copy-prompt", NULL));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (row)), NULL, clipboard_cb, &copied);
  atelier_test_wait_until (copied != NULL, WAIT_MS);
  g_assert_cmpstr (copied, ==, atelier_prompt_get_text (prompt));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "row.reuse", NULL));
  editor = find_editor ();
  {
    g_autoptr(AtelierPromptParams) params = atelier_prompt_editor_dup_params (editor);

    g_assert_cmpstr (atelier_params_get_string (ATELIER_PARAMS (params), "text"), ==, atelier_prompt_get_text (prompt));
  }
  gtk_window_destroy (GTK_WINDOW (editor));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "row.delete", NULL));
  atelier_test_wait_until ((dialog = (AdwMessageDialog *) atelier_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL,
                           WAIT_MS);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "DELETE", path), ==, 0);
  adw_message_dialog_response (dialog, "delete");
  atelier_test_wait_until (atelier_prompts_model_lookup_prompt (model (), id) == NULL, WAIT_MS);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "DELETE", path), ==, 1);
  g_assert_cmpint (atelier_prompt_units_find (ATELIER_PROMPT_UNITS (atelier_prompts_model_get_units (model ())), id), ==, -1);
}

/* The editor */

static AtelierPromptEditor *
open_editor (void)
{
  AtelierPromptEditor *editor;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (gallery ()), "page.new-prompt", NULL));
  editor = find_editor ();
  /* The tunes came in. */
  atelier_test_wait_until (g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (
                             atelier_ui_find_by_id (GTK_WIDGET (editor), "tune_row")))) >= 4, WAIT_MS);
  return editor;
}

static void
type_text (AtelierPromptEditor *editor,
           const char          *text)
{
  GtkWidget *view = atelier_ui_find_by_id (GTK_WIDGET (editor), "text_view");

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
}

static GtkWidget *
field_row (AtelierPromptEditor *editor,
           const char          *name)
{
  GtkWidget *row = find_named (GTK_WIDGET (editor), name);

  if (row == NULL)
    g_error ("No field %s in the editor", name);
  return row;
}

static void
set_entry (AtelierPromptEditor *editor,
           const char          *name,
           const char          *text)
{
  gtk_editable_set_text (GTK_EDITABLE (field_row (editor, name)), text);
}

static void
set_switch (AtelierPromptEditor *editor,
            const char          *name,
            gboolean             active)
{
  GtkWidget *control = atelier_ui_find_by_type (field_row (editor, name), GTK_TYPE_SWITCH);

  gtk_switch_set_active (GTK_SWITCH (control), active);
}

/* The error row right after the field's row shows @expected. */
static void
assert_field_error (AtelierPromptEditor *editor,
                    const char          *name,
                    const char          *expected)
{
  GtkWidget *row = field_row (editor, name);
  GtkWidget *error = gtk_widget_get_next_sibling (row);

  g_test_message ("field %s", name);
  g_assert_true (ADW_IS_PREFERENCES_ROW (error));
  g_assert_true (gtk_widget_has_css_class (error, "error"));
  g_assert_true (gtk_widget_get_visible (error));
  g_assert_true (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (error)), expected) != NULL);
  g_assert_true (gtk_widget_has_css_class (row, "error"));
}

static void
assert_field_fine (AtelierPromptEditor *editor,
                   const char          *name)
{
  GtkWidget *error = gtk_widget_get_next_sibling (field_row (editor, name));

  g_assert_false (gtk_widget_get_visible (error));
}

/* Each rule of the service layer, shown next to its field; nothing is
 * sent while one is broken. */
static void
test_editor_validation (void)
{
  AtelierPromptEditor *editor = open_editor ();
  guint posts = atelier_sandbox_server_count_requests (sandbox, "POST", "/tunes/");
  GtkWidget *text_error = atelier_ui_find_by_id (GTK_WIDGET (editor), "text_error");
  static const struct
  {
    const char *field;
    const char *value;
    const char *expected;
  } entries[] = {
    { "seed", "-1", "Seed must be between 0 and" },
    { "seed", "lucky", "Seed must be a whole number" },
    { "cfg_scale", "15.5", "CFG Scale must be between 0 and 15" },
    { "cfg_scale", "high", "CFG Scale must be a number" },
    { "steps", "51", "Steps must be between 0 and 50" },
    { "w", "1001", "Width must be a multiple of 8" },
    { "h", "8", "Height must be between 64 and 4096" },
    { "denoising_strength", "1.5", "Denoising Strength must be between 0 and 1" },
    { "controlnet_conditioning_scale", "-0.1", "Conditioning Scale must be between 0 and 1" },
    { "callback", "ftp://example.com/done", "Callback URL must be an http or https URL" },
    { "input_image_url", "not a url", "Input Image URL must be an http or https URL" },
  };

  /* An empty text is only pointed out once the user tries. */
  g_assert_false (gtk_widget_get_visible (text_error));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.generate", NULL));
  g_assert_true (gtk_widget_get_visible (text_error));
  g_test_message ("text error: %s", gtk_label_get_label (GTK_LABEL (text_error)));
  g_assert_true (strstr (gtk_label_get_label (GTK_LABEL (text_error)), "Prompt is required") != NULL);
  type_text (editor, "ohwx woman in a field of tulips");
  g_assert_false (gtk_widget_get_visible (text_error));

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      set_entry (editor, entries[i].field, entries[i].value);
      assert_field_error (editor, entries[i].field, entries[i].expected);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.generate", NULL));
      set_entry (editor, entries[i].field, "");
      assert_field_fine (editor, entries[i].field);
    }

  /* Dependencies: inpaint faces and hires fix need super resolution. */
  set_switch (editor, "inpaint_faces", TRUE);
  set_switch (editor, "hires_fix", TRUE);
  assert_field_error (editor, "inpaint_faces", "needs super_resolution");
  assert_field_error (editor, "hires_fix", "needs super_resolution");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.generate", NULL));
  set_switch (editor, "super_resolution", TRUE);
  assert_field_fine (editor, "inpaint_faces");
  assert_field_fine (editor, "hires_fix");

  /* ControlNet and a mask need an input image; one input, one way. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (field_row (editor, "controlnet")), 1);
  assert_field_error (editor, "controlnet", "needs an input image");
  set_entry (editor, "mask_image_url", "https://example.com/mask.png");
  assert_field_error (editor, "mask_image_url", "needs an input image");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.generate", NULL));
  set_entry (editor, "input_image_url", "https://example.com/pose.png");
  assert_field_fine (editor, "controlnet");
  assert_field_fine (editor, "mask_image_url");
  {
    g_autoptr(AtelierPromptParams) params = atelier_prompt_editor_dup_params (editor);
    g_autoptr(GFile) file = g_file_new_for_path ("/tmp/pose.png");

    /* A file and a URL for the same image are refused. */
    atelier_params_set_file (ATELIER_PARAMS (params), "input_image", file);
    atelier_params_set_int (ATELIER_PARAMS (params), "num_images", 9);
    atelier_prompt_editor_set_params (editor, params);
    assert_field_error (editor, "input_image_url", "not both");
    assert_field_error (editor, "num_images", "Number of Images must be between 1 and 8");
  }
  atelier_ui_save_screenshot (GTK_WINDOW (editor), "editor-errors");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.generate", NULL));

  /* Refused before anything starts: a request would make it busy at once. */
  g_assert_true (gtk_widget_get_sensitive (atelier_ui_find_by_id (GTK_WIDGET (editor), "scrolled_window")));
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "POST", "/tunes/"), ==, posts);
  gtk_window_destroy (GTK_WINDOW (editor));
}

/* Every parameter set in the form reaches the sandbox with the documented
 * name, the images as files; the new prompt shows at once, pending. */
static void
test_editor_round_trip (void)
{
  guint n_notifications = notifications->len;
  AtelierPromptEditor *editor = open_editor ();
  g_autofree char *dir = g_dir_make_tmp ("atelier-editor-XXXXXX", NULL);
  g_autoptr(GFile) input = atelier_test_write_image (dir, "pose.png", 256, 256, 3, "png");
  g_autoptr(GFile) mask = atelier_test_write_image (dir, "mask.png", 256, 256, 4, "png");
  g_autoptr(AtelierPromptParams) params = atelier_prompt_params_new ();
  g_autoptr(AtelierSandboxRequest) request = NULL;
  g_autofree char *prompts_path = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT "/prompts", tune_id);
  guint n_before = g_list_model_get_n_items (G_LIST_MODEL (model ()));
  GPtrArray *files;
  static const struct
  {
    const char *field;
    const char *value;
  } expected[] = {
    { "prompt[text]", "ohwx woman, {{eye_color}}, portrait" },
    { "prompt[negative_prompt]", "blurry, hat" },
    { "prompt[callback]", "https://example.com/done?id=1" },
    { "prompt[num_images]", "3" },
    { "prompt[seed]", "42" },
    { "prompt[super_resolution]", "true" },
    { "prompt[inpaint_faces]", "true" },
    { "prompt[hires_fix]", "true" },
    { "prompt[face_correct]", "true" },
    { "prompt[face_swap]", "true" },
    { "prompt[cfg_scale]", "7.5" },
    { "prompt[steps]", "30" },
    { "prompt[use_lpw]", "true" },
    { "prompt[w]", "512" },        /* the sandbox tune is SD 1.5: 512-px sizes */
    { "prompt[h]", "640" },
    { "prompt[scheduler]", "dpm++2m_karras" },
    { "prompt[backend_version]", "1" },
    { "prompt[style]", "Photographic" },
    { "prompt[color_grading]", "Film Portra" },
    { "prompt[film_grain]", "true" },
    { "prompt[controlnet]", "pose" },
    { "prompt[denoising_strength]", "0.6" },
    { "prompt[controlnet_conditioning_scale]", "0.8" },
    { "prompt[controlnet_txt2img]", "true" },
  };

  /* The tune, its tag-free text, through the widgets. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (atelier_ui_find_by_id (GTK_WIDGET (gallery ()), "tune_dropdown")), 0);
  type_text (editor, "ohwx woman, {{eye_color}}, portrait");
  set_entry (editor, "negative_prompt", "blurry, hat");
  set_entry (editor, "callback", "https://example.com/done?id=1");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (atelier_ui_find_by_type (field_row (editor, "num_images"), GTK_TYPE_SPIN_BUTTON)), 3);
  set_entry (editor, "seed", "42");
  set_switch (editor, "super_resolution", TRUE);
  set_switch (editor, "inpaint_faces", TRUE);
  set_switch (editor, "hires_fix", TRUE);
  set_switch (editor, "face_correct", TRUE);
  set_switch (editor, "face_swap", TRUE);
  set_entry (editor, "cfg_scale", "7,5");     /* a decimal comma is fine */
  set_entry (editor, "steps", "30");
  set_switch (editor, "use_lpw", TRUE);
  /* Portrait 4:5 fills in width and height. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (atelier_ui_find_labelled (GTK_WIDGET (editor), ADW_TYPE_COMBO_ROW, "Aspect")), 2);
  adw_combo_row_set_selected (ADW_COMBO_ROW (field_row (editor, "scheduler")), 3);
  /* Account Default, then 1: the only documented version. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (field_row (editor, "backend_version")), 1);
  adw_combo_row_set_selected (ADW_COMBO_ROW (field_row (editor, "style")), 4);
  adw_combo_row_set_selected (ADW_COMBO_ROW (field_row (editor, "color_grading")), 2);
  set_switch (editor, "film_grain", TRUE);
  adw_combo_row_set_selected (ADW_COMBO_ROW (field_row (editor, "controlnet")), 10);
  set_entry (editor, "denoising_strength", "0.6");
  set_entry (editor, "controlnet_conditioning_scale", "0.8");
  set_switch (editor, "controlnet_txt2img", TRUE);

  /* Files come from the file chooser; set them as "reuse" would. */
  {
    g_autoptr(AtelierPromptParams) current = atelier_prompt_editor_dup_params (editor);

    atelier_params_set_file (ATELIER_PARAMS (current), "input_image", input);
    atelier_params_set_file (ATELIER_PARAMS (current), "mask_image", mask);
    atelier_prompt_editor_set_params (editor, current);
  }
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (editor), "pose.png"));
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (editor), "mask.png"));
  atelier_ui_save_screenshot (GTK_WINDOW (editor), "editor");
  if (g_getenv ("ATELIER_TEST_SCREENSHOTS") != NULL)
    {
      GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (
        GTK_SCROLLED_WINDOW (atelier_ui_find_by_id (GTK_WIDGET (editor), "scrolled_window")));

      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) * 0.45);
      atelier_ui_save_screenshot (GTK_WINDOW (editor), "editor-middle");
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
      atelier_ui_save_screenshot (GTK_WINDOW (editor), "editor-bottom");
    }

  atelier_sandbox_server_clear_requests (sandbox);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.generate", NULL));

  /* The editor closes, the gallery shows the prompt at once, pending. */
  atelier_test_wait_until (atelier_ui_find_toplevel (ATELIER_TYPE_PROMPT_EDITOR) == NULL, WAIT_MS);
  atelier_ui_save_screenshot (GTK_WINDOW (window), "gallery-pending");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (atelier_ui_find_by_id (GTK_WIDGET (window), "view_stack"))),
                   ==, "gallery");
  {
    g_autoptr(AtelierGalleryItem) top = g_list_model_get_item (G_LIST_MODEL (model ()), 0);

    g_assert_cmpstr (atelier_prompt_get_text (atelier_gallery_item_get_prompt (top)), ==, "ohwx woman, {{eye_color}}, portrait");
    g_assert_cmpint (atelier_gallery_item_get_kind (top), ==, ATELIER_GALLERY_ITEM_PENDING);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model ())), ==, n_before + 1);
  }

  request = atelier_sandbox_server_dup_last_request (sandbox, "POST", prompts_path);
  if (request == NULL)
    {
      g_autoptr(GPtrArray) all = atelier_sandbox_server_dup_requests (sandbox);
      for (guint i = 0; i < all->len; i++)
        g_printerr ("%s %s\n", atelier_sandbox_request_get_method (all->pdata[i]), atelier_sandbox_request_get_path (all->pdata[i]));
    }
  g_assert_nonnull (request);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_test_message ("%s", expected[i].field);
      g_assert_cmpstr (atelier_sandbox_request_get_field (request, expected[i].field), ==, expected[i].value);
    }
  /* Nothing undocumented, nothing twice. */
  {
    g_auto(GStrv) names = atelier_sandbox_request_dup_field_names (request);

    g_assert_cmpuint (g_strv_length (names), ==, G_N_ELEMENTS (expected));
  }
  files = atelier_sandbox_request_get_files (request);
  g_assert_cmpuint (files->len, ==, 2);
  g_assert_cmpuint (atelier_sandbox_request_count_files (request, "prompt[input_image]"), ==, 1);
  g_assert_cmpuint (atelier_sandbox_request_count_files (request, "prompt[mask_image]"), ==, 1);
  for (guint i = 0; i < files->len; i++)
    {
      AtelierSandboxFile *file = g_ptr_array_index (files, i);
      GFile *local = g_str_equal (file->name, "prompt[input_image]") ? input : mask;
      g_autoptr(GBytes) bytes = g_file_load_bytes (local, NULL, NULL, NULL);

      g_assert_true (g_bytes_equal (bytes, file->data));
    }

  /* Pending, then done by polling (the gallery is shown). */
  atelier_test_wait_until (g_list_model_get_n_items (G_LIST_MODEL (model ())) == n_before + 3, WAIT_MS);
  {
    g_autoptr(AtelierGalleryItem) top = g_list_model_get_item (G_LIST_MODEL (model ()), 0);

    g_assert_cmpint (atelier_gallery_item_get_kind (top), ==, ATELIER_GALLERY_ITEM_IMAGE);
  }
  g_assert_cmpuint (atelier_prompts_model_get_n_pending (model ()), ==, 0);

  /* The desktop hears of it only when the user looks elsewhere (Xvfb has
   * no window manager, so the window is not active there). */
  if (gtk_window_is_active (GTK_WINDOW (window)))
    {
      g_assert_cmpuint (notifications->len, ==, n_notifications);
    }
  else
    {
      atelier_test_wait_until (notifications->len == n_notifications + 1, WAIT_MS);
      g_assert_true (g_str_has_prefix (notifications->pdata[n_notifications], "3 Images Ready\n"));
    }

  atelier_test_rm_rf (dir);
}

/* A LoRA tune: the prompt goes to its base model with its tag, and the
 * FaceID tips show for a FaceID tag. */
static void
test_editor_tags_and_tips (void)
{
  AtelierPromptEditor *editor = open_editor ();
  GtkWidget *tips = atelier_ui_find_by_id (GTK_WIDGET (editor), "tips_group");
  AdwComboRow *tune_row = ADW_COMBO_ROW (atelier_ui_find_by_id (GTK_WIDGET (editor), "tune_row"));
  g_autofree char *faceid_text = NULL;

  /* The Flux base model: a tip about LoRA tags. */
  for (guint i = 0; i < g_list_model_get_n_items (adw_combo_row_get_model (tune_row)); i++)
    {
      g_autoptr(GtkStringObject) name = g_list_model_get_item (adw_combo_row_get_model (tune_row), i);

      if (g_str_has_prefix (gtk_string_object_get_string (name), "Flux1.dev"))
        adw_combo_row_set_selected (tune_row, i);
    }
  g_assert_cmpint (atelier_prompt_editor_get_target_tune_id (editor), ==, ATELIER_SANDBOX_FLUX_TUNE_ID);
  g_assert_true (gtk_widget_get_visible (tips));
  g_assert_true (atelier_ui_shows_text (tips, "Flux tunes are LoRAs"));

  /* A FaceID tag: its tips, and their buttons do what they say. */
  faceid_text = g_strdup_printf ("<faceid:%" G_GINT64_FORMAT ":1> woman trekking in the alps", tune_id);
  type_text (editor, faceid_text);
  g_assert_true (atelier_ui_shows_text (tips, "CFG scale of 3"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.apply-tip", "s", "cfg3"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (field_row (editor, "cfg_scale"))), ==, "3");
  g_assert_false (atelier_ui_shows_text (tips, "CFG scale of 3"));

  set_switch (editor, "face_swap", TRUE);
  adw_combo_row_set_selected (ADW_COMBO_ROW (field_row (editor, "style")), 2);   /* Animated */
  g_assert_true (atelier_ui_shows_text (tips, "Turn face swap off for an animated style"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.apply-tip", "s", "face-swap-off"));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (atelier_ui_find_by_type (field_row (editor, "face_swap"), GTK_TYPE_SWITCH))));

  /* Inserting a characteristic at the cursor. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.insert-tag", "s", "{{eye_color}}"));
  {
    g_autoptr(AtelierPromptParams) params = atelier_prompt_editor_dup_params (editor);

    g_assert_nonnull (strstr (atelier_params_get_string (ATELIER_PARAMS (params), "text"), "{{eye_color}}"));
  }
  atelier_ui_save_screenshot (GTK_WINDOW (editor), "editor-faceid");
  assert_controls_named (GTK_WIDGET (editor));
  gtk_window_destroy (GTK_WINDOW (editor));
}

/* A pasted prompt that lost the LoRA tune's tag gets it back at Generate
 * (else the base model would draw nobody), and the user is told. */
static void
test_editor_tag_added_back (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *trained = g_date_time_format_iso8601 (now);
  g_autofree char *json = g_strdup_printf ("{\"id\": 777001, \"title\": \"Lora Lee\", \"name\": \"woman\","
                                           " \"model_type\": \"lora\", \"branch\": \"flux1\", \"token\": \"ohwx\","
                                           " \"trained_at\": \"%s\"}", trained);
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(AtelierTune) tune = atelier_tune_new_from_json (node, NULL);
  g_autofree char *path = g_strdup_printf ("/tunes/%d/prompts", ATELIER_SANDBOX_FLUX_TUNE_ID);
  g_autoptr(AtelierSandboxRequest) request = NULL;
  AtelierPromptEditor *editor;

  g_assert_nonnull (tune);
  atelier_shell_open_prompt_editor (ATELIER_SHELL (window), NULL, tune, 0, NULL);
  editor = find_editor ();
  g_assert_cmpint (atelier_prompt_editor_get_target_tune_id (editor), ==, ATELIER_SANDBOX_FLUX_TUNE_ID);

  /* Select all, paste: the tag the editor put in is gone. */
  type_text (editor, "portrait of a woman in the rain");
  atelier_sandbox_server_clear_requests (sandbox);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.generate", NULL));
  atelier_test_wait_until (atelier_ui_find_toplevel (ATELIER_TYPE_PROMPT_EDITOR) == NULL, WAIT_MS);

  request = atelier_sandbox_server_dup_last_request (sandbox, "POST", path);
  g_assert_nonnull (request);
  g_assert_cmpstr (atelier_sandbox_request_get_field (request, "prompt[text]"), ==,
                   "<lora:777001:1> portrait of a woman in the rain");
  g_assert_cmpstr (_atelier_window_get_last_toast (window), ==,
                   "Generating 4 images, with the tune’s tag <lora:777001:1> added back to the prompt");
}

/* A liked image the service deleted stays, marked as kept locally. */
static void
test_local_only (void)
{
  gint64 id = first_prompt_id ();
  AtelierLibrary *library = atelier_session_get_library (session);
  g_autofree char *uri = NULL;
  int position;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (gallery ()), "gallery.toggle-like", "x", id));
  atelier_test_wait_until ((g_free (uri), uri = atelier_library_dup_image_uri (library, id, 0)) != NULL, WAIT_MS);
  atelier_test_wait_until (atelier_sandbox_server_get_like_count (sandbox, id) == 1, WAIT_MS);

  atelier_sandbox_server_expire_prompt (sandbox, id);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
  wait_loaded ();

  position = atelier_prompts_model_find_prompt (model (), id);
  g_assert_cmpint (position, >=, 0);
  {
    g_autoptr(AtelierGalleryItem) item = g_list_model_get_item (G_LIST_MODEL (model ()), position);

    g_assert_true (atelier_gallery_item_is_local_only (item));
  }
  atelier_test_wait_until (thumbnails_shown (), WAIT_MS);
  atelier_ui_save_screenshot (GTK_WINDOW (window), "gallery-local");
}

/* A fal.ai FaceID result kept in the library: its own row and source,
 * reused into the FaceID page, deleted from this computer only. */
static AtelierPrompt *
new_faceid_prompt (gint64      id,
                   const char *image_url)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = g_date_time_format_iso8601 (now);
  g_autofree char *json = g_strdup_printf (
    "{\"id\": %" G_GINT64_FORMAT ", \"tune_id\": null, \"atelier_source\": \"faceid-fal\","
    " \"text\": \"a FaceID portrait\", \"seed\": 77, \"w\": 640, \"h\": 640,"
    " \"created_at\": \"%s\", \"images\": [\"%s\"],"
    " \"faceid\": {\"request_id\": \"req-ui\", \"face\": \"face.jpg\", \"model_type\": \"1_5-v1\","
    "              \"input\": {\"prompt\": \"a FaceID portrait\", \"num_inference_steps\": 30}}}",
    id, created, image_url);
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GError) error = NULL;
  AtelierPrompt *prompt = atelier_prompt_new_from_json (node, &error);

  g_assert_no_error (error);
  return prompt;
}

static gboolean
faceid_page_shown (void)
{
  GtkWidget *page = _atelier_window_get_page (window, "faceid");

  /* AdwViewStack maps its visible page only. */
  return page != NULL && gtk_widget_get_mapped (page);
}

static guint
count_local_requests (gint64 id)
{
  g_autoptr(GPtrArray) requests = atelier_sandbox_server_dup_requests (sandbox);
  g_autofree char *needle = g_strdup_printf ("/%" G_GINT64_FORMAT, id);
  guint n = 0;

  for (guint i = 0; i < requests->len; i++)
    {
      const char *path = atelier_sandbox_request_get_path (g_ptr_array_index (requests, i));

      if (strstr (path, needle) != NULL || g_str_has_suffix (path, "/likes"))
        n++;
    }

  return n;
}

static void
test_faceid_prompt (void)
{
  const gint64 id = -5;
  AtelierLibrary *library = atelier_session_get_library (session);
  AtelierLikes *likes = atelier_session_get_likes (session);
  g_autoptr(AtelierGalleryItem) first = g_list_model_get_item (G_LIST_MODEL (model ()), 0);
  g_autoptr(AtelierPrompt) made = new_faceid_prompt (id, atelier_gallery_item_get_url (first));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GtkDropDown *dropdown = GTK_DROP_DOWN (atelier_ui_find_by_type (GTK_WIDGET (gallery ()), GTK_TYPE_DROP_DOWN));
  AtelierViewer *viewer;
  AdwMessageDialog *dialog;
  AtelierGalleryRow *row;
  guint list_requests;

  /* Kept as the FaceID jobs keep it: the gallery shows it at once, on top. */
  atelier_library_keep_async (library, made, ATELIER_LIBRARY_MADE, -1, NULL, atelier_test_store_result, &result);
  g_assert_true (atelier_library_keep_finish (library, atelier_test_wait_result (&result), &error));
  g_assert_no_error (error);
  atelier_test_wait_until (atelier_prompts_model_find_prompt (model (), id) == 0, WAIT_MS);
  atelier_test_wait_until (thumbnails_shown (), WAIT_MS);
  row = find_row (id);
  g_assert_nonnull (row);
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (row), "FaceID · fal.ai"));
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (row), "Kept on this computer"));
  g_assert_true (gtk_widget_get_sensitive (atelier_gallery_row_get_like_button (row)));

  /* Liked here only. */
  atelier_sandbox_server_clear_requests (sandbox);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "row.toggle-like", NULL));
  g_assert_true (atelier_likes_is_liked (likes, id));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "row.toggle-like", NULL));
  g_assert_false (atelier_likes_is_liked (likes, id));
  g_assert_cmpint (atelier_library_get_reasons (library, id), ==, ATELIER_LIBRARY_MADE);

  /* Its source in the drop-down, right after All Tunes: only it, no list
   * asked of the service. */
  list_requests = atelier_sandbox_server_count_requests (sandbox, "GET", "/prompts");
  g_assert_cmpstr (gtk_string_object_get_string (g_list_model_get_item (gtk_drop_down_get_model (dropdown), 1)) , ==,
                   "FaceID · fal.ai");
  gtk_drop_down_set_selected (dropdown, 1);
  wait_loaded ();
  g_assert_cmpstr (atelier_prompts_model_get_source (model ()), ==, ATELIER_PROMPT_SOURCE_FACEID_FAL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model ())), ==, 1);
  g_assert_cmpint (atelier_prompts_model_find_prompt (model (), id), ==, 0);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "GET", "/prompts"), ==, list_requests);
  /* The tunes list reloaded keeps the choice. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (gallery ()), "page.reload", NULL));
  wait_loaded ();
  atelier_ui_spin (200);
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model ())), ==, 1);
  gtk_drop_down_set_selected (dropdown, 0);
  wait_loaded ();
  g_assert_null (atelier_prompts_model_get_source (model ()));
  g_assert_cmpint (atelier_prompts_model_find_prompt (model (), id), ==, 0);

  /* The viewer: its image as a FaceID face, its settings again. */
  viewer = open_viewer (0);
  g_assert_cmpint (atelier_gallery_item_get_prompt_id (atelier_viewer_get_item (viewer)), ==, id);
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (viewer), "1_5-v1"));
  assert_controls_named (GTK_WIDGET (viewer));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.use-as-face", NULL));
  atelier_test_wait_until (faceid_page_shown (), WAIT_MS);
  atelier_window_show_page (window, "gallery");
  atelier_test_wait_until (!faceid_page_shown (), WAIT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (viewer), "viewer.reuse", NULL));
  atelier_test_wait_until (faceid_page_shown (), WAIT_MS);
  gtk_window_destroy (GTK_WINDOW (viewer));
  atelier_window_show_page (window, "gallery");

  /* The row's Reuse Settings: the FaceID page too, not the editor. */
  atelier_test_wait_until (thumbnails_shown (), WAIT_MS);
  row = find_row (id);
  g_assert_nonnull (row);
  g_assert_false (faceid_page_shown ());
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "row.reuse", NULL));
  atelier_test_wait_until (faceid_page_shown (), WAIT_MS);
  g_assert_null (atelier_ui_find_toplevel (ATELIER_TYPE_PROMPT_EDITOR));
  atelier_window_show_page (window, "gallery");

  /* Deleted from this computer: no request, the row goes. */
  atelier_test_wait_until (thumbnails_shown (), WAIT_MS);
  row = find_row (id);
  g_assert_nonnull (row);
  atelier_sandbox_server_clear_requests (sandbox);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "row.delete", NULL));
  atelier_test_wait_until ((dialog = (AdwMessageDialog *) atelier_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL,
                           WAIT_MS);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "deleted from this computer"));
  adw_message_dialog_response (dialog, "delete");
  atelier_test_wait_until (atelier_prompts_model_lookup_prompt (model (), id) == NULL, WAIT_MS);
  g_assert_cmpint (atelier_prompt_units_find (ATELIER_PROMPT_UNITS (atelier_prompts_model_get_units (model ())), id), ==, -1);
  g_assert_false (atelier_library_contains (library, id));
  atelier_ui_spin (100);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "DELETE", "/"), ==, 0);
  g_assert_cmpuint (count_local_requests (id), ==, 0);
}

/* Narrow: the toolbar and the grid fit a phone-sized window. */
static void
test_narrow (void)
{
  AtelierViewer *viewer;

  /* A mapped window keeps its size under a bare X server: map it anew. */
  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 720);
  gtk_window_present (GTK_WINDOW (window));
  atelier_test_wait_until (gtk_widget_get_mapped (GTK_WIDGET (window)) &&
                           gtk_widget_get_width (GTK_WIDGET (window)) <= 480, WAIT_MS);
  atelier_test_wait_until (thumbnails_shown (), WAIT_MS);
  /* The page itself fits 360 px (the rest of the window is not ours). */
  {
    int min = 0;

    gtk_widget_measure (GTK_WIDGET (gallery ()), GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
    g_assert_cmpint (min, <=, 360);
  }

  atelier_ui_save_screenshot (GTK_WINDOW (window), "gallery-narrow");

  /* A narrow viewer hides its side panel. */
  viewer = atelier_viewer_new (session, model (), 0);
  gtk_window_set_default_size (GTK_WINDOW (viewer), 360, 640);
  gtk_window_present (GTK_WINDOW (viewer));
  atelier_test_wait_until (atelier_viewer_is_loaded (viewer), WAIT_MS);
  atelier_test_wait_until (!gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (atelier_ui_find_by_id (GTK_WIDGET (viewer), "info_button"))),
                           WAIT_MS);
  atelier_ui_save_screenshot (GTK_WINDOW (viewer), "viewer-narrow");
  gtk_window_destroy (GTK_WINDOW (viewer));
}

/* SDXL takes one LoRA per prompt: a second LoRA tag in a prompt for an
 * SDXL tune is flagged before sending. */
static void
test_editor_sdxl_one_lora (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *trained = g_date_time_format_iso8601 (now);
  g_autofree char *json = g_strdup_printf ("{\"id\": 777002, \"title\": \"Sam Xl\", \"name\": \"man\","
                                           " \"model_type\": \"pti\", \"branch\": \"sdxl1\", \"token\": \"ohwx\","
                                           " \"trained_at\": \"%s\"}", trained);
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(AtelierTune) tune = atelier_tune_new_from_json (node, NULL);
  AtelierPromptEditor *editor;
  GtkWidget *tips;

  g_assert_nonnull (tune);
  atelier_shell_open_prompt_editor (ATELIER_SHELL (window), NULL, tune, 0, NULL);
  editor = find_editor ();
  tips = atelier_ui_find_by_id (GTK_WIDGET (editor), "tips_group");
  g_assert_cmpint (atelier_prompt_editor_get_target_tune_id (editor), ==, 666678);

  type_text (editor, "<lora:777002:1> ohwx man in a suit");
  g_assert_false (atelier_ui_shows_text (tips, "SDXL loads one LoRA per prompt"));

  /* Another LoRA, or the tune's tag lost and another one written (the
   * editor puts the tune's back at Generate): two LoRAs. */
  type_text (editor, "<lora:777002:1> ohwx man in a suit <lora:42:0.7>");
  g_assert_true (gtk_widget_get_visible (tips));
  g_assert_true (atelier_ui_shows_text (tips, "SDXL loads one LoRA per prompt, and this prompt loads 2 (tunes 777002, 42)"));
  type_text (editor, "ohwx man in a suit <lora:42:0.7>");
  g_assert_true (atelier_ui_shows_text (tips, "SDXL loads one LoRA per prompt"));

  type_text (editor, "<lora:777002:0.8> ohwx man in a suit");
  g_assert_false (atelier_ui_shows_text (tips, "SDXL loads one LoRA per prompt"));
  gtk_window_destroy (GTK_WINDOW (editor));
}

/* Generate and wait for the answer: a 504 shows the retry countdown. */
static void
generate_into_504 (AtelierPromptEditor *editor,
                   const char          *prompts_path)
{
  AtelierSandboxFault fault = { 0 };
  GtkRevealer *revealer = GTK_REVEALER (atelier_ui_find_by_id (GTK_WIDGET (editor), "retry_revealer"));

  fault.method = "POST";
  fault.path = prompts_path;
  fault.kind = ATELIER_SANDBOX_FAULT_STATUS;
  fault.status = 504;
  fault.times = 1;
  atelier_sandbox_server_add_fault (sandbox, &fault);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.generate", NULL));
  atelier_test_wait_until (gtk_revealer_get_reveal_child (revealer), WAIT_MS);
}

/* "When retrying a 504 error […] wait 60 seconds": Retry comes only after
 * the countdown (shortened here), which can be cancelled. */
static void
test_editor_504_retry (void)
{
  AtelierPromptEditor *editor = open_editor ();
  g_autofree char *prompts_path = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT "/prompts", tune_id);
  GtkWidget *retry_button = atelier_ui_find_by_id (GTK_WIDGET (editor), "retry_button");
  GtkWidget *generate_button = atelier_ui_find_by_id (GTK_WIDGET (editor), "generate_button");
  GtkWidget *retry_label = atelier_ui_find_by_id (GTK_WIDGET (editor), "retry_label");
  GtkRevealer *revealer = GTK_REVEALER (atelier_ui_find_by_id (GTK_WIDGET (editor), "retry_revealer"));
  guint wait_ms = 0;
  gint64 started;

  g_object_get (editor, "retry-wait-ms", &wait_ms, NULL);
  g_assert_cmpuint (wait_ms, ==, 60000);
  atelier_prompt_editor_set_target_tune_id (editor, tune_id);
  type_text (editor, "ohwx woman, portrait");
  atelier_sandbox_server_clear_requests (sandbox);

  /* The documented minute: counting down, nothing can be sent. */
  generate_into_504 (editor, prompts_path);
  g_assert_true (strstr (gtk_label_get_label (GTK_LABEL (retry_label)), "in 60 seconds") != NULL);
  g_assert_false (gtk_widget_is_sensitive (retry_button));
  g_assert_false (gtk_widget_is_sensitive (generate_button));
  g_assert_false (gtk_widget_get_sensitive (atelier_ui_find_by_id (GTK_WIDGET (editor), "scrolled_window")));
  g_assert_null (_atelier_window_get_last_toast (window));

  /* Cancel ends the wait; the editor stays. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.cancel", NULL));
  g_assert_false (gtk_revealer_get_reveal_child (revealer));
  g_assert_true (gtk_widget_is_sensitive (generate_button));
  g_assert_nonnull (atelier_ui_find_toplevel (ATELIER_TYPE_PROMPT_EDITOR));
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "POST", prompts_path), ==, 1);

  /* A short wait: Retry only once it ran out, and it sends again. */
  g_object_set (editor, "retry-wait-ms", 1500, NULL);
  generate_into_504 (editor, prompts_path);
  started = g_get_monotonic_time ();
  g_assert_true (strstr (gtk_label_get_label (GTK_LABEL (retry_label)), "in 2 seconds") != NULL ||
                 strstr (gtk_label_get_label (GTK_LABEL (retry_label)), "in 1 second") != NULL);
  g_assert_false (gtk_widget_is_sensitive (retry_button));
  atelier_ui_save_screenshot (GTK_WINDOW (editor), "editor-504");
  atelier_test_wait_until (gtk_widget_is_sensitive (retry_button), WAIT_MS);
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 1000 * 1000);
  g_assert_true (strstr (gtk_label_get_label (GTK_LABEL (retry_label)), "check the gallery") != NULL);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "POST", prompts_path), ==, 2);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.retry", NULL));
  atelier_test_wait_until (atelier_ui_find_toplevel (ATELIER_TYPE_PROMPT_EDITOR) == NULL, WAIT_MS);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "POST", prompts_path), ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  atelier_ui_test_init (&argc, &argv);
  notifications = atelier_ui_start_notification_server ();

  atelier_ui_test_add ("/gallery/grid", start, test_grid);
  atelier_ui_test_add ("/gallery/like-from-row", start, test_like_from_row);
  atelier_ui_test_add ("/gallery/trained-tune-prompts", start, test_trained_tune_prompts);
  atelier_ui_test_add ("/gallery/new-tune-named", start, test_new_tune_named);
  atelier_ui_test_add ("/gallery/row-menu", start, test_row_menu);
  atelier_ui_test_add ("/gallery/keyboard", start, test_keyboard);
  g_test_add_func ("/gallery/age", test_age);
  atelier_ui_test_add ("/gallery/filters", start, test_filters);
  atelier_ui_test_add ("/gallery/viewer", start, test_viewer);
  atelier_ui_test_add ("/gallery/delete", start, test_delete);
  atelier_ui_test_add ("/gallery/editor-validation", start, test_editor_validation);
  atelier_ui_test_add ("/gallery/editor-round-trip", start, test_editor_round_trip);
  atelier_ui_test_add ("/gallery/editor-tags-and-tips", start, test_editor_tags_and_tips);
  atelier_ui_test_add ("/gallery/editor-tag-added-back", start, test_editor_tag_added_back);
  atelier_ui_test_add ("/gallery/local-only", start, test_local_only);
  atelier_ui_test_add ("/gallery/faceid-prompt", start, test_faceid_prompt);
  atelier_ui_test_add ("/gallery/narrow", start, test_narrow);
  atelier_ui_test_add ("/gallery/editor-sdxl-one-lora", start, test_editor_sdxl_one_lora);
  atelier_ui_test_add ("/gallery/editor-504-retry", start, test_editor_504_retry);

  status = g_test_run ();

  return status;
}
