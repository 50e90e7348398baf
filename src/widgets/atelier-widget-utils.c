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
  adw_status_page_set_description (status_page, text);
}
