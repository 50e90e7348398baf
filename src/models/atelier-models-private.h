/* atelier-models-private.h: small helpers shared by the models
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Makes @path and its parents (mode 0700) in a worker thread. The task
 * has no source object, so a worker never holds the caller's last
 * reference: pass what the callback needs in @user_data. */
void     _atelier_make_dir_async  (const char          *path,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
gboolean _atelier_make_dir_finish (GAsyncResult        *result,
                                   GError             **error);

G_END_DECLS
