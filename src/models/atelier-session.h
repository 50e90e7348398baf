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
 * And whether the app is offline (:offline, which the window's offline bar
 * shows), by one rule:
 *   - NO_NETWORK while GNetworkMonitor says there is no network, in ACCOUNT
 *     mode (the in-app sandbox needs none);
 *   - NO_ANSWER after ATELIER_SESSION_OFFLINE_FAILURES requests of the
 *     Astria client in a row failed at the connection (could not connect,
 *     the connection dropped, no answer in time:
 *     atelier_error_is_connection_failure()) with no answer from the
 *     server between them. Any answer, a success or an HTTP error, starts
 *     the count again; so do connecting and the network coming back. One
 *     dropped connection is never "offline": a reset after the server did
 *     the work says nothing about the network, and the next request
 *     (often the look-up that checks whether a create arrived) says more.
 * ::network-restored is emitted when :offline ends because the network
 * came back (the window reloads the page then).
 *
 * News between screens: ::prompt-created (@prompt) when a prompt was just
 * sent, ::tune-trained (@tune_id) when a tune seen training is trained
 * (the service may then make prompts no one here asked for: a pack's, the
 * tune's first prompts).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "atelier-astria-client.h"
#include "atelier-fal-client.h"
#include "atelier-faceid-jobs.h"
#include "atelier-image-cache.h"
#include "atelier-library.h"
#include "atelier-likes.h"
#include "atelier-pack-runs.h"
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

typedef enum
{
  ATELIER_SESSION_ONLINE,
  ATELIER_SESSION_OFFLINE_NO_NETWORK,  /* GNetworkMonitor: no network */
  ATELIER_SESSION_OFFLINE_NO_ANSWER,   /* connection failures in a row */
} AtelierSessionOffline;

#define ATELIER_TYPE_SESSION_OFFLINE (atelier_session_offline_get_type ())
GType atelier_session_offline_get_type (void) G_GNUC_CONST;

/* Connection failures in a row, with no answer between, that make the
 * session offline (see above). */
#define ATELIER_SESSION_OFFLINE_FAILURES 3

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
/* The account's pack and theme test runs, kept on this computer. */
AtelierPackRuns      *atelier_session_get_pack_runs    (AtelierSession  *self);

/* The account's fal.ai FaceID jobs, polled with the fal client and kept
 * in the library; switched to the current account on every call. */
AtelierFaceidJobs    *atelier_session_get_faceid_jobs  (AtelierSession  *self);
/* :offline, and whether it is ONLINE. */
AtelierSessionOffline atelier_session_get_offline      (AtelierSession  *self);
gboolean              atelier_session_is_offline       (AtelierSession  *self);
/* Connection failures in a row so far (reset by any answer). */
guint                 atelier_session_get_connection_failures (AtelierSession *self);

/* Emits ::prompt-created (@prompt): a prompt was just sent. */
void                  atelier_session_announce_prompt  (AtelierSession  *self,
                                                        AtelierPrompt   *prompt);
/* Emits ::tune-trained (@tune_id): a tune seen training is trained. */
void                  atelier_session_announce_tune_trained (AtelierSession *self,
                                                             gint64          tune_id);

G_END_DECLS
