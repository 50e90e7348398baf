/* atelier-likes.h: which prompts the user liked, kept locally
 *
 * Prompt objects carry no "liked" member, so the state is kept in
 * g_get_user_data_dir()/atelier/likes.ini, one group per account so the
 * sandbox and a real account never mix. Toggling is optimistic: the state
 * changes at once, the request (POST or DELETE /prompts/:id/likes) follows,
 * and a refusal rolls the state back. A liked prompt's images are kept in
 * the local library.
 *
 * Signals:
 *   ::changed (gint64 prompt_id, gboolean liked); prompt_id 0 after the
 *     account's likes were (re)loaded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atelier-astria-client.h"
#include "atelier-library.h"

G_BEGIN_DECLS

#define ATELIER_TYPE_LIKES (atelier_likes_get_type ())
G_DECLARE_FINAL_TYPE (AtelierLikes, atelier_likes, ATELIER, LIKES, GObject)

/* @path NULL: g_get_user_data_dir()/atelier/likes.ini. @library may be
 * NULL (then nothing is kept). */
AtelierLikes *atelier_likes_new           (const char           *path,
                                           AtelierLibrary       *library);
/* The account whose likes are shown and the client that sends them.
 * Loading runs in the background; atelier_likes_is_loaded() is FALSE
 * until ::changed says it is done. */
void          atelier_likes_set_account   (AtelierLikes         *self,
                                           AtelierAstriaClient  *client,
                                           const char           *account);
gboolean      atelier_likes_is_loaded     (AtelierLikes         *self);
gboolean      atelier_likes_is_liked      (AtelierLikes         *self,
                                           gint64                prompt_id);
/* The liked prompt ids of the account, sorted. */
GArray       *atelier_likes_dup_ids       (AtelierLikes         *self);

/* Optimistic like or unlike of @prompt. The finish returns the server's
 * refusal after the state was rolled back. */
void          atelier_likes_set_liked_async  (AtelierLikes        *self,
                                              AtelierPrompt       *prompt,
                                              gboolean             liked,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean      atelier_likes_set_liked_finish (AtelierLikes        *self,
                                              GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
