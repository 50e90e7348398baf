/* atelier-ui-test-utils.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "atelier-ui-test-utils.h"

void
atelier_ui_test_init (int    *argc,
                      char ***argv)
{
  g_test_init (argc, argv, NULL);

  if (!gtk_init_check ())
    {
      g_printerr ("No display: skipping the UI tests\n");
      exit (77);
    }
  adw_init ();
}

static GtkWidget *
find (GtkWidget *root,
      gboolean (*match) (GtkWidget *, gconstpointer, gconstpointer),
      gconstpointer a,
      gconstpointer b)
{
  if (match (root, a, b))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find (child, match, a, b);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
match_id (GtkWidget     *widget,
          gconstpointer  id,
          gconstpointer  unused)
{
  return g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)), id) == 0;
}

GtkWidget *
atelier_ui_find_by_id (GtkWidget  *root,
                       const char *buildable_id)
{
  return find (root, match_id, buildable_id, NULL);
}

static gboolean
match_type (GtkWidget     *widget,
            gconstpointer  type,
            gconstpointer  unused)
{
  return g_type_is_a (G_OBJECT_TYPE (widget), *(const GType *) type);
}

GtkWidget *
atelier_ui_find_by_type (GtkWidget *root,
                         GType      type)
{
  return find (root, match_type, &type, NULL);
}

static const char *
widget_label (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    return gtk_button_get_label (GTK_BUTTON (widget));
  if (GTK_IS_LABEL (widget))
    return gtk_label_get_label (GTK_LABEL (widget));
  if (ADW_IS_PREFERENCES_ROW (widget))
    return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));
  if (ADW_IS_BUTTON_CONTENT (widget))
    return adw_button_content_get_label (ADW_BUTTON_CONTENT (widget));
  if (ADW_IS_STATUS_PAGE (widget))
    return adw_status_page_get_title (ADW_STATUS_PAGE (widget));
  return NULL;
}

/* A label as the user sees it: mnemonics underscores removed. */
static gboolean
label_equal (const char *shown,
             const char *wanted)
{
  g_autoptr(GString) plain = NULL;

  if (shown == NULL)
    return FALSE;

  plain = g_string_new (shown);
  g_string_replace (plain, "_", "", 0);
  return g_str_equal (plain->str, wanted) || g_str_equal (shown, wanted);
}

static GtkWidget *find (GtkWidget *root,
                        gboolean (*match) (GtkWidget *, gconstpointer, gconstpointer),
                        gconstpointer a,
                        gconstpointer b);

static gboolean
match_labelled (GtkWidget     *widget,
                gconstpointer  type,
                gconstpointer  label)
{
  if (!g_type_is_a (G_OBJECT_TYPE (widget), *(const GType *) type))
    return FALSE;

  if (label_equal (widget_label (widget), label))
    return TRUE;

  /* Buttons whose content is a label, an AdwButtonContent, or the
   * labels of a view switcher button. */
  if (GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget))
    {
      GType label_types[] = { GTK_TYPE_LABEL, ADW_TYPE_BUTTON_CONTENT };

      for (guint i = 0; i < G_N_ELEMENTS (label_types); i++)
        for (GtkWidget *child = gtk_widget_get_first_child (widget);
             child != NULL;
             child = gtk_widget_get_next_sibling (child))
          if (find (child, match_labelled, &label_types[i], label) != NULL)
            return TRUE;
    }

  return FALSE;
}

GtkWidget *
atelier_ui_find_labelled (GtkWidget  *root,
                          GType       type,
                          const char *label)
{
  return find (root, match_labelled, &type, label);
}

gboolean
atelier_ui_is_shown (GtkWidget *widget)
{
  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    {
      if (!gtk_widget_get_visible (w))
        return FALSE;
      if (GTK_IS_REVEALER (w) && !gtk_revealer_get_reveal_child (GTK_REVEALER (w)))
        return FALSE;
      /* Only the visible page of a stack is seen. */
      if (GTK_IS_STACK (gtk_widget_get_parent (w)) &&
          gtk_stack_get_visible_child (GTK_STACK (gtk_widget_get_parent (w))) != w)
        return FALSE;
    }

  return TRUE;
}

static gboolean
match_text (GtkWidget     *widget,
            gconstpointer  text,
            gconstpointer  unused)
{
  const char *shown = NULL;

  if (GTK_IS_LABEL (widget))
    shown = gtk_label_get_text (GTK_LABEL (widget));

  return shown != NULL && strstr (shown, text) != NULL && atelier_ui_is_shown (widget);
}

gboolean
atelier_ui_shows_text (GtkWidget  *root,
                       const char *text)
{
  return find (root, match_text, text, NULL) != NULL;
}

GtkWindow *
atelier_ui_find_toplevel (GType type)
{
  GList *toplevels = gtk_window_list_toplevels ();
  GtkWindow *found = NULL;

  for (GList *l = toplevels; l != NULL && found == NULL; l = l->next)
    if (g_type_is_a (G_OBJECT_TYPE (l->data), type))
      found = l->data;
  g_list_free (toplevels);

  return found;
}

void
atelier_ui_spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}
