/* test-a11y.c: every control has a name
 *
 * Walks the widget tree of the main window (every page) and of the
 * preferences, and fails for a button, toggle, entry, switch, … that has
 * neither an accessible label (or labelled-by relation) nor a visible
 * label. A tooltip is not a name: GTK 4.8 does not give it to assistive
 * technology. test-atspi-names.py checks the same from outside, as a
 * screen reader reads the app over AT-SPI.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atelier-application.h"
#include "atelier-preferences-window.h"
#include "atelier-test-utils.h"
#include "atelier-ui-test-utils.h"
#include "atelier-window-private.h"

static gboolean
is_control (GtkWidget *widget)
{
  return GTK_IS_BUTTON (widget) ||         /* toggle, link buttons too */
         GTK_IS_MENU_BUTTON (widget) ||
         GTK_IS_CHECK_BUTTON (widget) ||
         GTK_IS_SWITCH (widget) ||
         GTK_IS_ENTRY (widget) ||
         GTK_IS_SEARCH_ENTRY (widget) ||
         GTK_IS_PASSWORD_ENTRY (widget) ||
         GTK_IS_SPIN_BUTTON (widget) ||
         GTK_IS_SCALE (widget) ||
         GTK_IS_DROP_DOWN (widget) ||
         ADW_IS_ENTRY_ROW (widget) ||
         ADW_IS_COMBO_ROW (widget);
}

static gboolean
has_visible_text (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    {
      const char *text = gtk_label_get_text (GTK_LABEL (widget));

      if (text != NULL && *text != '\0')
        return TRUE;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_visible_text (child))
      return TRUE;

  return FALSE;
}

static gboolean
has_name (GtkWidget *widget)
{
  gboolean labelled = gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL);

  /* GTK 4.8 has an icon-only button labelled by its image, which has no
   * name either ("GtkImage" is what a screen reader hears): only an
   * accessible label names it. */
  if ((GTK_IS_BUTTON (widget) && gtk_button_get_icon_name (GTK_BUTTON (widget)) != NULL) ||
      (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget)) != NULL))
    return labelled;

  if (labelled ||
      gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return TRUE;

  if (ADW_IS_PREFERENCES_ROW (widget))
    {
      const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));
      return title != NULL && *title != '\0';
    }

  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL &&
      *gtk_button_get_label (GTK_BUTTON (widget)) != '\0')
    return TRUE;

  if (GTK_IS_CHECK_BUTTON (widget) && gtk_check_button_get_label (GTK_CHECK_BUTTON (widget)) != NULL)
    return TRUE;

  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_label (GTK_MENU_BUTTON (widget)) != NULL)
    return TRUE;

  /* A button whose child shows text (AdwButtonContent, a GtkLabel). */
  if (GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget))
    return has_visible_text (widget);

  return FALSE;
}

static char *
describe (GtkWidget *widget)
{
  g_autoptr(GString) path = g_string_new (NULL);

  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    {
      const char *id = gtk_buildable_get_buildable_id (GTK_BUILDABLE (w));

      if (path->len > 0)
        g_string_prepend (path, " > ");
      if (id != NULL)
        g_string_prepend (path, id);
      g_string_prepend (path, G_OBJECT_TYPE_NAME (w));
      if (id != NULL)
        g_string_insert_c (path, strlen (G_OBJECT_TYPE_NAME (w)), '#');
    }

  return g_string_free (g_steal_pointer (&path), FALSE);
}

static void
check_tree (GtkWidget *widget,
            GPtrArray *missing,
            guint     *n_checked)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);

  if (!gtk_widget_get_visible (widget))
    return;
  /* What a user can reach now: the shown page of a stack. The test shows
   * each page and state of ours in turn. */
  if (GTK_IS_STACK (parent) && gtk_stack_get_visible_child (GTK_STACK (parent)) != widget)
    return;

  if (is_control (widget))
    {
      (*n_checked)++;
      if (!has_name (widget))
        g_ptr_array_add (missing, describe (widget));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_tree (child, missing, n_checked);
}

static void
assert_all_named (GtkWidget *root,
                  guint      min_controls)
{
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
  guint n_checked = 0;

  check_tree (root, missing, &n_checked);

  for (guint i = 0; i < missing->len; i++)
    g_printerr ("No accessible name or label: %s\n", (char *) missing->pdata[i]);
  g_test_message ("%u controls checked in %s", n_checked, G_OBJECT_TYPE_NAME (root));

  g_assert_cmpuint (missing->len, ==, 0);
  g_assert_cmpuint (n_checked, >=, min_controls);
}

static AtelierWindow *window;

/* A fresh application in the Sandbox. */
static void
start (void)
{
  window = atelier_ui_app_start (NULL);
}

static void
test_main_window (void)
{
  AtelierSession *session = atelier_window_get_session (window);
  static const char *pages[] = { "tunes", "packs", "gallery", "faceid" };

  atelier_test_wait_until (atelier_session_is_ready (session), 20000);

  /* Seed one tune, so the list and its rows are there too. */
  if (atelier_ui_get_sandbox () != NULL)
    atelier_sandbox_server_seed_tune (atelier_ui_get_sandbox (), "Ada", "woman", TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      GtkWidget *page = _atelier_window_get_page (window, pages[i]);
      gboolean loading = FALSE;

      atelier_window_show_page (window, pages[i]);
      gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL);
      if (g_object_class_find_property (G_OBJECT_GET_CLASS (page), "loading"))
        atelier_test_wait_until ((g_object_get (page, "loading", &loading, NULL), !loading), 20000);
    }

  /* Ctrl+F: the search entry, too. */
  atelier_window_show_page (window, "tunes");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);
  atelier_test_wait_until (gtk_widget_get_mapped (atelier_ui_find_by_id (_atelier_window_get_page (window, "tunes"),
                                                                         "search_entry")), 20000);

  assert_all_named (GTK_WIDGET (window), 6);
}

static void
test_preferences (void)
{
  GtkWindow *prefs;

  gtk_widget_activate_action (GTK_WIDGET (window), "app.preferences", NULL);
  prefs = atelier_ui_find_toplevel (ATELIER_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (prefs);
  atelier_test_wait_until (gtk_widget_get_mapped (GTK_WIDGET (prefs)), 20000);

  assert_all_named (GTK_WIDGET (prefs), 2);
  gtk_window_destroy (prefs);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  atelier_ui_test_init (&argc, &argv);

  /* Only a display is needed: with no keyring the app uses the Sandbox. */
  atelier_ui_test_add ("/a11y/main-window", start, test_main_window);
  atelier_ui_test_add ("/a11y/preferences", start, test_preferences);

  status = g_test_run ();

  return status;
}
