/* atelier-session.h: the service the app talks to now, and what goes with it
 *
 * One per application, shared by every screen: the Astria and fal.ai
 * clients, the image cache, the local library and the liked state. The app
 * layer (src/app/atelier-account.c) decides where the clients point — an
 * Astria account or the in-app sandbox — and tells the session with
 * atelier_session_connect(); the session itself knows nothing of keyrings
 * or of the sandbox. Screens observe :mode, :astria-client and :fal-client.
 *
 * It also carries the news screens give each other without knowing each
 * other: ::prompt-created when a prompt was sent (the gallery shows it at
 * once).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "atelier-astria-client.h"
#include "atelier-fal-client.h"
#include "atelier-image-cache.h"
#include "atelier-library.h"
#include "atelier-likes.h"
#include "atelier-prompt.h"

G_BEGIN_DECLS

typedef enum
{
  ATELIER_SESSION_MODE_STARTING,
  ATELIER_SESSION_MODE_SANDBOX,
  ATELIER_SESSION_MODE_ACCOUNT,
  ATELIER_SESSION_MODE_FAILED,   /* no service could be reached */
} AtelierSessionMode;

#define ATELIER_TYPE_SESSION_MODE (atelier_session_mode_get_type ())
GType atelier_session_mode_get_type (void) G_GNUC_CONST;

#define ATELIER_TYPE_SESSION (atelier_session_get_type ())
G_DECLARE_FINAL_TYPE (AtelierSession, atelier_session, ATELIER, SESSION, GObject)

AtelierSession       *atelier_session_new              (void);

/* Points both clients at a service: @mode SANDBOX or ACCOUNT; @astria_url
 * and @fal_url NULL for the services' own addresses (or the $ATELIER_*_URL
 * overrides). @own_fal_key says whether @fal_key is the user's. @account
 * names whose likes and library are shown; NULL: the Astria URL. Returns
 * FALSE, and enters FAILED mode with that error, when the Astria client
 * cannot be made; a bad fal address only leaves fal.ai unusable. */
gboolean              atelier_session_connect          (AtelierSession      *self,
                                                        AtelierSessionMode   mode,
                                                        const char          *astria_url,
                                                        const char          *astria_key,
                                                        const char          *fal_url,
                                                        const char          *fal_key,
                                                        gboolean             own_fal_key,
                                                        const char          *account,
                                                        GError             **error);
/* STARTING while the app finds a service again (after signing out). */
void                  atelier_session_set_starting     (AtelierSession      *self);
/* FAILED mode with @error (taken). */
void                  atelier_session_fail             (AtelierSession      *self,
                                                        GError              *error);

AtelierSessionMode    atelier_session_get_mode         (AtelierSession  *self);
gboolean              atelier_session_is_ready         (AtelierSession  *self);
const GError         *atelier_session_get_error        (AtelierSession  *self);
AtelierAstriaClient  *atelier_session_get_astria_client (AtelierSession *self);
AtelierFalClient     *atelier_session_get_fal_client   (AtelierSession  *self);
/* TRUE when a fal key of the user's own is in use (not the sandbox's). */
gboolean              atelier_session_has_fal_key      (AtelierSession  *self);
/* One per session, shared by every page: thumbnails and image downloads
 * with a memory and a disk cache. */
AtelierImageCache    *atelier_session_get_image_cache  (AtelierSession  *self);
/* The local library and the liked state, switched to the current account
 * on every call. */
AtelierLibrary       *atelier_session_get_library      (AtelierSession  *self);
AtelierLikes         *atelier_session_get_likes        (AtelierSession  *self);

/* Emits ::prompt-created (@prompt): a prompt was just sent. */
void                  atelier_session_announce_prompt  (AtelierSession  *self,
                                                        AtelierPrompt   *prompt);

G_END_DECLS
