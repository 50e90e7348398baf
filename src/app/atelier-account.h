/* atelier-account.h: which service the session talks to, and the keys
 *
 * The app layer's half of the session: it looks the keys up in the
 * keyring, and with an Astria key points the session at the account
 * (Astria, or $ATELIER_ASTRIA_URL). Without one it starts the in-process
 * sandbox server on the port it used last and points both clients at it,
 * with a random per-run key. Storing and removing keys (Preferences) goes
 * through here too. Only the app layer and tests see the sandbox.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "atelier-sandbox-server.h"
#include "atelier-session.h"

G_BEGIN_DECLS

#define ATELIER_TYPE_ACCOUNT (atelier_account_get_type ())
G_DECLARE_FINAL_TYPE (AtelierAccount, atelier_account, ATELIER, ACCOUNT, GObject)

/* @sandbox_dir NULL: g_get_user_data_dir()/atelier/sandbox. */
AtelierAccount       *atelier_account_new              (AtelierSession  *session,
                                                        const char      *sandbox_dir);

/* Looks the keys up in the keyring, then connects the session to the
 * account or starts the sandbox. Never fails: a sandbox that cannot start
 * puts the session in FAILED mode. */
void                  atelier_account_start            (AtelierAccount  *self);

AtelierSession       *atelier_account_get_session      (AtelierAccount  *self);
/* NULL until the sandbox is first needed. */
AtelierSandboxServer *atelier_account_get_sandbox      (AtelierAccount  *self);
const char           *atelier_account_get_sandbox_dir  (AtelierAccount  *self);

/* Stores a verified key in the keyring (@service: "astria" or "fal") and
 * switches to it. The key is used for this run even when the keyring
 * failed; the finish then returns that error. */
void                  atelier_account_set_key_async    (AtelierAccount      *self,
                                                        const char          *service,
                                                        const char          *key,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean              atelier_account_set_key_finish   (AtelierAccount      *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* Removes the key from the keyring; for "astria" this signs out and
 * returns to the sandbox. */
void                  atelier_account_remove_key_async  (AtelierAccount      *self,
                                                         const char          *service,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gboolean              atelier_account_remove_key_finish (AtelierAccount      *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

G_END_DECLS
