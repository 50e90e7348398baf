/* atelier-widget-utils.h: small helpers the screens' widgets share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

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

G_END_DECLS
