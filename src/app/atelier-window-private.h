/* atelier-window-private.h: for the UI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atelier-window.h"

G_BEGIN_DECLS

/* The title of the newest toast shown, or NULL. */
const char      *_atelier_window_get_last_toast   (AtelierWindow *self);
/* The field-error dialog currently shown, or NULL. */
GtkWindow       *_atelier_window_get_error_dialog (AtelierWindow *self);
GtkWidget       *_atelier_window_get_page         (AtelierWindow *self,
                                                   const char    *name);

G_END_DECLS
