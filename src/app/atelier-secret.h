/* atelier-secret.h: API keys in the desktop keyring (Secret Service)
 *
 * Keys are stored with libsecret under an own schema,
 * "io.github.atelier.Atelier.Key", with one attribute, "service"
 * ("astria" or "fal"). Nothing else ever stores a key: not GSettings,
 * not files, not logs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

#define ATELIER_SECRET_SERVICE_ASTRIA "astria"
#define ATELIER_SECRET_SERVICE_FAL    "fal"

const SecretSchema *atelier_secret_get_schema   (void) G_GNUC_CONST;

void      atelier_secret_store_async    (const char           *service,
                                         const char           *key,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean  atelier_secret_store_finish   (GAsyncResult         *result,
                                         GError              **error);

/* The finish returns NULL without error when no key is stored; free the
 * result with secret_password_free(). */
void      atelier_secret_lookup_async   (const char           *service,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
char     *atelier_secret_lookup_finish  (GAsyncResult         *result,
                                         GError              **error);

/* Succeeds when nothing was stored, too. */
void      atelier_secret_clear_async    (const char           *service,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean  atelier_secret_clear_finish   (GAsyncResult         *result,
                                         GError              **error);

G_END_DECLS
