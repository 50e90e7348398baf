/* atelier-test-account.h: an account's models against a sandbox, for the
 * tests of the models (no widgets)
 *
 * A sandbox server over HTTP, an Astria client for it (retrying in
 * milliseconds), and an image cache, library and likes in a temporary
 * folder, loaded for the account "sandbox:test".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atelier-library.h"
#include "atelier-likes.h"
#include "atelier-test-utils.h"

G_BEGIN_DECLS

typedef struct
{
  AtelierSandboxServer *server;
  AtelierAstriaClient  *client;
  char                 *dir;
  AtelierImageCache    *cache;
  AtelierLibrary       *library;
  AtelierLikes         *likes;
} AtelierTestAccount;

/* @image_size: the sandbox's images' side; @dir_template for
 * g_dir_make_tmp(). */
void atelier_test_account_set_up    (AtelierTestAccount *account,
                                     int                 image_size,
                                     const char         *dir_template);
/* Waits for writes in flight to land and everything to be freed, then
 * removes the folder. */
void atelier_test_account_tear_down (AtelierTestAccount *account);
/* GET /tunes/@tune_id/prompts/@id through the account's client; fails
 * the test on an error. (transfer full) */
AtelierPrompt *atelier_test_account_fetch_prompt (AtelierTestAccount *account,
                                                  gint64              tune_id,
                                                  gint64              id);

G_END_DECLS
