/* atelier-preferences-window.h: the Astria and fal.ai keys
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atelier-account.h"

G_BEGIN_DECLS

#define ATELIER_TYPE_PREFERENCES_WINDOW (atelier_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (AtelierPreferencesWindow, atelier_preferences_window, ATELIER, PREFERENCES_WINDOW, AdwPreferencesWindow)

AtelierPreferencesWindow *atelier_preferences_window_new (GtkWindow      *parent,
                                                          AtelierAccount *account);

/* For tests: the status line of a service ("astria" or "fal") and
 * whether a check is running. */
const char *atelier_preferences_window_get_status   (AtelierPreferencesWindow *self,
                                                     const char               *service);
gboolean    atelier_preferences_window_is_busy      (AtelierPreferencesWindow *self,
                                                     const char               *service);

G_END_DECLS
