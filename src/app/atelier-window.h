/* atelier-window.h: the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atelier-session.h"

G_BEGIN_DECLS

#define ATELIER_TYPE_WINDOW (atelier_window_get_type ())
G_DECLARE_FINAL_TYPE (AtelierWindow, atelier_window, ATELIER, WINDOW, AdwApplicationWindow)

AtelierWindow  *atelier_window_new              (GtkApplication  *application,
                                                 AtelierSession  *session);
AtelierSession *atelier_window_get_session      (AtelierWindow   *self);
/* "tunes", "packs", "gallery" or "faceid". */
void            atelier_window_show_page        (AtelierWindow   *self,
                                                 const char      *name);
/* The tunes page, showing the details of @tune_id. */
void            atelier_window_show_tune        (AtelierWindow   *self,
                                                 gint64           tune_id);
/* The gallery, filtered to the prompts of @tune_id. */
void            atelier_window_show_tune_prompts (AtelierWindow  *self,
                                                  gint64          tune_id);

/* The one place that turns service errors into what a user reads: toasts,
 * a dialog with the field errors of a 422, the wrong-key toast. The
 * offline bar is the session's :offline, not any one error. Cancelled
 * errors and NULL are ignored. */
void            atelier_window_show_error       (AtelierWindow   *self,
                                                 const GError    *error);
void            atelier_window_show_toast       (AtelierWindow   *self,
                                                 const char      *title);

/* From any widget inside a window: finds its AtelierWindow (or the
 * transient parent chain's) and shows the error there. */
/* Waits until the session is ready and the visible page has loaded, then
 * for a frame, renders the window and saves it as PNG. */
void            atelier_window_screenshot_async  (AtelierWindow       *self,
                                                  GFile               *file,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean        atelier_window_screenshot_finish (AtelierWindow       *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Draws @window as it is now (after it has been drawn once). */
G_END_DECLS
