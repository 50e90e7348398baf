/* atelier-screenshot.h: a PNG of a window once it has loaded
 *
 * For `atelier --screenshot=FILE.png` (the README and metainfo
 * screenshots) and for the tests: waits until the window is mapped and
 * @ready says it has loaded (checked again whenever one of the watched
 * signals fires, or after 30 s at the latest), lets transitions settle,
 * renders the window and saves the PNG in a thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct
{
  GObject    *source;
  const char *signal;   /* a signal with no arguments but pspec, e.g. "notify::mode" */
} AtelierScreenshotWatch;

typedef gboolean (*AtelierScreenshotReadyFunc) (GtkWindow *window);

/* One at a time per window. */
void        atelier_screenshot_async         (GtkWindow                    *window,
                                              GFile                        *file,
                                              const AtelierScreenshotWatch *watch,
                                              guint                         n_watch,
                                              AtelierScreenshotReadyFunc    ready,
                                              GCancellable                 *cancellable,
                                              GAsyncReadyCallback           callback,
                                              gpointer                      user_data);
gboolean    atelier_screenshot_finish        (GtkWindow                    *window,
                                              GAsyncResult                 *result,
                                              GError                      **error);
/* From the window's dispose: no more checks while its children go. */
void        atelier_screenshot_stop_watching (GtkWindow                    *window);

/* What @window shows now, rendered by its own renderer; NULL when it is
 * not realized or has no size. */
GdkTexture *atelier_render_window            (GtkWindow                    *window);

G_END_DECLS
