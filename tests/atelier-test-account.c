/* atelier-test-account.c: an account's models against a sandbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-test-account.h"

#define WAIT_MS 20000

void
atelier_test_account_set_up (AtelierTestAccount *account,
                             int                 image_size,
                             const char         *dir_template)
{
  g_autofree char *url = NULL;
  g_autofree char *cache_dir = NULL;
  g_autofree char *library_dir = NULL;
  g_autofree char *likes_path = NULL;
  g_autoptr(GError) error = NULL;

  account->server = atelier_test_server_new ();
  atelier_sandbox_server_set_image_size (account->server, image_size);
  url = atelier_sandbox_server_dup_base_url (account->server);
  account->client = atelier_astria_client_new (url, "test-key", &error);
  g_assert_no_error (error);
  /* Retries after a 5xx or 429 in milliseconds, not seconds. */
  atelier_astria_client_set_retry_base_delay_ms (account->client, 60);

  account->dir = g_dir_make_tmp (dir_template, &error);
  g_assert_no_error (error);
  cache_dir = g_build_filename (account->dir, "cache", NULL);
  library_dir = g_build_filename (account->dir, "library", NULL);
  likes_path = g_build_filename (account->dir, "likes.ini", NULL);
  account->cache = atelier_image_cache_new (NULL, cache_dir);
  account->library = atelier_library_new (account->cache, library_dir);
  account->likes = atelier_likes_new (likes_path, account->library);
  atelier_likes_set_account (account->likes, account->client, "sandbox:test");
  atelier_test_wait_until (atelier_likes_is_loaded (account->likes) && atelier_library_is_loaded (account->library),
                           WAIT_MS);
}

void
atelier_test_account_tear_down (AtelierTestAccount *account)
{
  /* Writes still in flight hold their object: wait for them to land (and
   * for everything to be freed) before the folder goes. */
  g_object_add_weak_pointer (G_OBJECT (account->likes), (gpointer *) &account->likes);
  g_object_add_weak_pointer (G_OBJECT (account->library), (gpointer *) &account->library);
  g_object_add_weak_pointer (G_OBJECT (account->cache), (gpointer *) &account->cache);
  g_object_unref (account->likes);
  g_object_unref (account->library);
  g_object_unref (account->cache);
  atelier_test_wait_until (account->likes == NULL && account->library == NULL && account->cache == NULL, WAIT_MS);
  g_clear_object (&account->client);
  atelier_test_server_free (account->server);
  atelier_test_rm_rf (account->dir);
  g_clear_pointer (&account->dir, g_free);
}

AtelierPrompt *
atelier_test_account_fetch_prompt (AtelierTestAccount *account,
                                   gint64              tune_id,
                                   gint64              id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  AtelierPrompt *prompt;

  atelier_astria_client_get_prompt_async (account->client, tune_id, id, NULL, atelier_test_store_result, &result);
  prompt = atelier_astria_client_get_prompt_finish (account->client, atelier_test_wait_result (&result), &error);
  g_assert_no_error (error);
  return prompt;
}
