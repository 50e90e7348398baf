/* atelier-session.h: which account the app talks to, and its clients
 *
 * With an Astria key in the keyring the session is in ACCOUNT mode and its
 * clients talk to Astria (or $ATELIER_ASTRIA_URL). Without one it starts the
 * in-process sandbox server and points both clients at it, with a random
 * per-run key. The window and the preferences observe :mode,
 * :astria-client and :fal-client.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "atelier-astria-client.h"
#include "atelier-fal-client.h"
#include "atelier-image-cache.h"
#include "atelier-likes.h"
#include "atelier-sandbox-server.h"

G_BEGIN_DECLS

typedef enum
{
  ATELIER_SESSION_MODE_STARTING,
  ATELIER_SESSION_MODE_SANDBOX,
  ATELIER_SESSION_MODE_ACCOUNT,
  ATELIER_SESSION_MODE_FAILED,   /* the sandbox could not start */
} AtelierSessionMode;

#define ATELIER_TYPE_SESSION_MODE (atelier_session_mode_get_type ())
GType atelier_session_mode_get_type (void) G_GNUC_CONST;

#define ATELIER_TYPE_SESSION (atelier_session_get_type ())
G_DECLARE_FINAL_TYPE (AtelierSession, atelier_session, ATELIER, SESSION, GObject)

/* @sandbox_dir NULL: g_get_user_data_dir()/atelier/sandbox. */
AtelierSession       *atelier_session_new              (const char      *sandbox_dir);

/* Looks the keys up in the keyring, then enters ACCOUNT mode or starts the
 * sandbox. Never fails: a sandbox that cannot start gives FAILED mode, with
 * the reason in atelier_session_get_error(). */
void                  atelier_session_start            (AtelierSession  *self);

AtelierSessionMode    atelier_session_get_mode         (AtelierSession  *self);
gboolean              atelier_session_is_ready         (AtelierSession  *self);
const GError         *atelier_session_get_error        (AtelierSession  *self);
AtelierAstriaClient  *atelier_session_get_astria_client (AtelierSession *self);
AtelierFalClient     *atelier_session_get_fal_client   (AtelierSession  *self);
/* TRUE when a fal key of the user's own is in use (not the sandbox's). */
gboolean              atelier_session_has_fal_key      (AtelierSession  *self);
AtelierSandboxServer *atelier_session_get_sandbox      (AtelierSession  *self);
const char           *atelier_session_get_sandbox_dir  (AtelierSession  *self);
/* One per session, shared by every page: thumbnails and image downloads
 * with a memory and a disk cache (src/models/atelier-image-cache.h). */
AtelierImageCache    *atelier_session_get_image_cache  (AtelierSession  *self);
/* The local library and the liked state, switched to the current account
 * (the sandbox and each Astria URL have their own) on every call. */
AtelierLibrary       *atelier_session_get_library      (AtelierSession  *self);
AtelierLikes         *atelier_session_get_likes        (AtelierSession  *self);

/* Stores a verified key in the keyring (@service: "astria" or "fal") and
 * switches to it. The key is used for this run even when the keyring
 * failed; the finish then returns that error. */
void                  atelier_session_set_key_async    (AtelierSession      *self,
                                                        const char          *service,
                                                        const char          *key,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean              atelier_session_set_key_finish   (AtelierSession      *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* Removes the key from the keyring; for "astria" this signs out and
 * returns to the sandbox. */
void                  atelier_session_remove_key_async  (AtelierSession      *self,
                                                         const char          *service,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gboolean              atelier_session_remove_key_finish (AtelierSession      *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

G_END_DECLS
