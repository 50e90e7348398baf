/* atelier-widget-utils.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-error-presenter.h"
#include "atelier-shell.h"
#include "atelier-tune-choices.h"
#include "atelier-widget-utils.h"

void
atelier_bin_dispose_template (AdwBin *bin,
                              GType   template_type)
{
  g_return_if_fail (ADW_IS_BIN (bin));

  adw_bin_set_child (bin, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (bin), template_type);
}

GPtrArray *
atelier_widget_fetch_tune_choices_finish (gpointer      widget,
                                          GAsyncResult *result)
{
  g_autoptr(GPtrArray) tunes = NULL;
  g_autoptr(GError) error = NULL;

  tunes = atelier_tune_choices_fetch_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return NULL;
  if (tunes == NULL)
    atelier_widget_show_error (GTK_WIDGET (widget), error);

  return g_steal_pointer (&tunes);
}

void
atelier_widget_show_load_error (GtkWidget     *widget,
                                AdwStatusPage *status_page,
                                const GError  *error)
{
  g_autofree char *text = NULL;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (ADW_IS_STATUS_PAGE (status_page));
  g_return_if_fail (error != NULL);

  text = atelier_error_describe (error);
  atelier_widget_show_error (widget, error);
  atelier_status_page_set_plain_description (status_page, text);
}

AdwToast *
atelier_toast_new_plain (const char *text)
{
  g_autofree char *escaped = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  escaped = g_markup_escape_text (text, -1);
  return adw_toast_new (escaped);
}

void
atelier_status_page_set_plain_description (AdwStatusPage *page,
                                           const char    *text)
{
  g_autofree char *escaped = NULL;

  g_return_if_fail (ADW_IS_STATUS_PAGE (page));

  escaped = text != NULL ? g_markup_escape_text (text, -1) : NULL;
  adw_status_page_set_description (page, escaped);
}

void
atelier_widget_label_menu_buttons (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_MENU_BUTTON (root))
    {
      GtkWidget *inner = gtk_widget_get_first_child (root);

      if (GTK_IS_BUTTON (inner))
        gtk_accessible_update_relation (GTK_ACCESSIBLE (inner),
                                        GTK_ACCESSIBLE_RELATION_LABELLED_BY, root, NULL,
                                        -1);
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    atelier_widget_label_menu_buttons (child);
}

static void
tooltip_to_label (GtkWidget *button)
{
  const char *tooltip = gtk_widget_get_tooltip_text (button);

  if (tooltip != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                    -1);
}

void
atelier_widget_name_buttons_by_tooltip (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child) && gtk_button_get_label (GTK_BUTTON (child)) == NULL &&
          gtk_widget_get_tooltip_text (child) != NULL)
        {
          tooltip_to_label (child);
          g_signal_connect (child, "notify::tooltip-text", G_CALLBACK (tooltip_to_label), NULL);
        }
      else
        {
          atelier_widget_name_buttons_by_tooltip (child);
        }
    }
}

GtkWidget *
atelier_widget_find_descendant (GtkWidget *root,
                                GType      type)
{
  g_return_val_if_fail (GTK_IS_WIDGET (root), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (g_type_is_a (G_OBJECT_TYPE (child), type))
        return child;
      found = atelier_widget_find_descendant (child, type);
      if (found != NULL)
        return found;
    }

  return NULL;
}

GtkWidget *
atelier_expander_row_new (const char *title,
                          const char *subtitle)
{
  GtkWidget *expander = adw_expander_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), subtitle);
  gtk_accessible_update_property (GTK_ACCESSIBLE (expander),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);

  return expander;
}

void
atelier_widget_load_css (const char *resource)
{
  static GHashTable *loaded;
  g_autoptr(GtkCssProvider) provider = NULL;

  g_return_if_fail (resource != NULL);

  if (loaded == NULL)
    loaded = g_hash_table_new (g_str_hash, g_str_equal);
  if (g_hash_table_contains (loaded, resource))
    return;
  g_hash_table_add (loaded, (gpointer) g_intern_string (resource));

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, resource);
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

GtkWidget *
atelier_text_row_new (const char *title,
                      const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  return row;
}

GtkWidget *
atelier_property_row_new (const char *title,
                          const char *value)
{
  GtkWidget *row = atelier_text_row_new (title, value);

  gtk_widget_add_css_class (row, "property");

  return row;
}

static void
toggle_like_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GtkWidget) widget = user_data;
  g_autoptr(GError) error = NULL;

  if (!atelier_likes_set_liked_finish (ATELIER_LIKES (source), result, &error))
    atelier_widget_show_error (widget, error);
}

void
atelier_widget_toggle_like (GtkWidget     *widget,
                            AtelierLikes  *likes,
                            AtelierPrompt *prompt)
{
  gboolean liked;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (ATELIER_IS_PROMPT (prompt));

  if (likes == NULL)
    return;

  liked = !atelier_likes_is_liked (likes, atelier_prompt_get_id (prompt));
  atelier_likes_set_liked_async (likes, prompt, liked, NULL, toggle_like_cb, g_object_ref (widget));
}

GtkWidget *
atelier_message_dialog_new (GtkWidget  *widget,
                            const char *heading,
                            const char *body)
{
  GtkRoot *root;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  root = gtk_widget_get_root (widget);
  return adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
}
