/* atelier-photo-input.h: photos coming in — the file chooser, a drop,
 * and a texture decoded off the main thread
 *
 * What the training photo picker and the FaceID page share: the same
 * chooser (images first, several at once), the same reading of a dropped
 * file list, and a thumbnail decoded in a worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Called with the files chosen or dropped (element-type GFile, never
 * empty). */
typedef void (*AtelierPhotosFunc) (GtkWidget *widget,
                                   GPtrArray *files);

/* Shows a modal chooser of several images, transient for @widget's
 * window, titled @title with @accept_label on its button; on accept,
 * calls @func with @widget. One chooser per widget: asked again while it
 * is open, it is shown again. It goes when @widget is disposed. */
void        atelier_photo_chooser_show      (GtkWidget         *widget,
                                             const char        *title,
                                             const char        *accept_label,
                                             AtelierPhotosFunc  func);

/* Makes @target_widget take dropped files, given to @func with @widget. */
void        atelier_photo_drop_attach       (GtkWidget         *target_widget,
                                             GtkWidget         *widget,
                                             AtelierPhotosFunc  func);

/* A texture of @file or @bytes (one of them), its longer side at most
 * @size, orientation applied, decoded in a worker thread. */
void        atelier_texture_load_async      (GFile               *file,
                                             GBytes              *bytes,
                                             int                  size,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GdkTexture *atelier_texture_load_finish     (GAsyncResult        *result,
                                             GError             **error);

G_END_DECLS
