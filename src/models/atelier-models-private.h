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

/* What an asynchronous call keeps of the object that made it: a weak
 * reference, so that dropping the object (whose dispose cancels the call)
 * is never put off by the call. */
static inline gpointer
_atelier_weak_new (gpointer object)
{
  GWeakRef *weak = g_new0 (GWeakRef, 1);

  g_weak_ref_init (weak, object);
  return weak;
}

/* Frees @weak; returns the object, or NULL when it is gone.
 * (transfer full) */
static inline gpointer
_atelier_weak_steal (gpointer weak)
{
  gpointer object = g_weak_ref_get (weak);

  g_weak_ref_clear (weak);
  g_free (weak);
  return object;
}

G_END_DECLS
