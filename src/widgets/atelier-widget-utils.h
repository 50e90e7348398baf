/* atelier-widget-utils.h: small helpers the screens' widgets share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atelier-likes.h"
#include "atelier-prompt.h"

G_BEGIN_DECLS

/* For the dispose of an AdwBin built from a template: the bin's child is
 * the template's top widget, so the bin drops it before the template's
 * children of @template_type are disposed, not after. */
void       atelier_bin_dispose_template               (AdwBin       *bin,
                                                       GType         template_type);

/* atelier_tune_choices_fetch_finish() for the GtkWidget @widget (the
 * callback's user data): the tunes, or NULL when the fetch was cancelled
 * or failed, the error then shown through the shell (see
 * atelier_widget_show_error()). A cancelled fetch does not touch @widget,
 * which may be gone by then. */
GPtrArray *atelier_widget_fetch_tune_choices_finish  (gpointer      widget,
                                                       GAsyncResult *result);

/* A load of @widget failed: @error through the shell (see
 * atelier_widget_show_error()) and described on @status_page, the page
 * shown when there is nothing else to show. */
void       atelier_widget_show_load_error            (GtkWidget     *widget,
                                                       AdwStatusPage *status_page,
                                                       const GError  *error);

/* Names the inner toggle button of every GtkMenuButton under @root (and
 * of @root) for assistive technology. The toggle button is what takes the
 * focus and what AT-SPI presents; GTK 4.8 labels it by the menu button,
 * the GtkMenuButton of later GTK (4.12's) no longer does, and a screen
 * reader then hears no name, whatever label the menu button has. This
 * labels it by the menu button with API every GTK 4 has, so no version
 * check: the menu button's accessible label (set in the .ui file) reaches
 * it in each version. Menu buttons made later need a call of their own. */
void       atelier_widget_label_menu_buttons         (GtkWidget     *root);

/* The first widget of @type under @root (depth first), or NULL. */
GtkWidget *atelier_widget_find_descendant            (GtkWidget     *root,
                                                       GType          type);

/* Gives every icon-only GtkButton under @root that has a tooltip the
 * tooltip as accessible label, and keeps the two in step. For the buttons
 * a library builds into its widgets with no name but a tooltip (the
 * reveal and apply buttons of an AdwPasswordEntryRow, the back buttons of
 * AdwAboutWindow): GTK 4.8 does not give a tooltip to assistive
 * technology. */
void       atelier_widget_name_buttons_by_tooltip    (GtkWidget     *root);

/* Text from outside (servers, files, prompts, tunes, packs) shown where
 * libadwaita 1.2 reads Pango markup and has no switch to turn it off:
 * @text is escaped, so it shows as it is ("<b>" stays "<b>", a bare "&"
 * is no broken markup). Rows have one (adw_preferences_row_set_use_markup
 * (row, FALSE)); toasts, status page descriptions and preferences group
 * titles and descriptions do not. */
AdwToast  *atelier_toast_new_plain                   (const char    *text);
void       atelier_status_page_set_plain_description (AdwStatusPage *page,
                                                      const char    *text);

/* An AdwMessageDialog with @heading and @body over @widget's window (none
 * when @widget is in none yet). */
GtkWidget *atelier_message_dialog_new                (GtkWidget     *widget,
                                                      const char    *heading,
                                                      const char    *body);

/* Adds the style sheet at @resource to the default display, once per
 * resource: a screen's own CSS, loaded when its first widget is made. */
void       atelier_widget_load_css                   (const char    *resource);

/* An AdwExpanderRow with @title and @subtitle that a screen reader names:
 * libadwaita 1.2 shows the title on an inner row, and the expander row
 * itself, a list item that takes the focus, has no name of its own. */
GtkWidget *atelier_expander_row_new                  (const char    *title,
                                                      const char    *subtitle);

/* An AdwActionRow showing @title and @subtitle (nullable) as plain text,
 * never markup. */
GtkWidget *atelier_text_row_new                      (const char    *title,
                                                      const char    *subtitle);

/* A parameter's row: atelier_text_row_new() with the "property" style
 * (newer libadwaita shows the value more prominently). */
GtkWidget *atelier_property_row_new                  (const char    *title,
                                                      const char    *value);

/* Likes @prompt at once, or unlikes it when @likes has it liked; a
 * refusal rolls back and is shown from @widget (atelier_widget_show_error()),
 * which is kept until the answer. Nothing happens without @likes. */
void       atelier_widget_toggle_like                (GtkWidget     *widget,
                                                      AtelierLikes  *likes,
                                                      AtelierPrompt *prompt);

G_END_DECLS
