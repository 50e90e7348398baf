/* test-keyring.c: keys in the real desktop keyring
 *
 * Runs under run-with-keyring.sh (a private D-Bus session with an
 * unlocked gnome-keyring). Stores, finds and removes keys with the
 * app's schema, and starts a session that finds the stored key.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-secret.h"
#include "atelier-account.h"
#include "atelier-test-utils.h"

static char *
lookup (const char *service)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *key;

  atelier_secret_lookup_async (service, NULL, atelier_test_store_result, &result);
  key = atelier_secret_lookup_finish (atelier_test_wait_result (&result), &error);
  g_assert_no_error (error);

  return key;
}

static void
test_store_lookup_clear (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autolist(SecretItem) items = NULL;
  char *key;

  key = lookup (ATELIER_SECRET_SERVICE_ASTRIA);
  g_assert_null (key);

  atelier_secret_store_async (ATELIER_SECRET_SERVICE_ASTRIA, "astria-secret", NULL,
                              atelier_test_store_result, &result);
  g_assert_true (atelier_secret_store_finish (atelier_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  atelier_secret_store_async (ATELIER_SECRET_SERVICE_FAL, "fal-secret", NULL,
                              atelier_test_store_result, &result);
  g_assert_true (atelier_secret_store_finish (atelier_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  key = lookup (ATELIER_SECRET_SERVICE_ASTRIA);
  g_assert_cmpstr (key, ==, "astria-secret");
  secret_password_free (key);
  key = lookup (ATELIER_SECRET_SERVICE_FAL);
  g_assert_cmpstr (key, ==, "fal-secret");
  secret_password_free (key);

  /* In the real keyring's default collection, under our schema. */
  attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (attributes, (char *) "service", (char *) "astria");
  items = secret_password_searchv_sync (atelier_secret_get_schema (), attributes,
                                       SECRET_SEARCH_ALL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  g_assert_cmpstr (secret_item_get_schema_name (items->data), ==, "io.github.atelier.Atelier.Key");
  g_assert_cmpstr (secret_item_get_label (items->data), ==, "Astria API key for Atelier");

  /* Storing again replaces, it does not add. */
  atelier_secret_store_async (ATELIER_SECRET_SERVICE_ASTRIA, "astria-secret-2", NULL,
                              atelier_test_store_result, &result);
  g_assert_true (atelier_secret_store_finish (atelier_test_wait_result (&result), &error));
  g_clear_object (&result);
  key = lookup (ATELIER_SECRET_SERVICE_ASTRIA);
  g_assert_cmpstr (key, ==, "astria-secret-2");
  secret_password_free (key);

  atelier_secret_clear_async (ATELIER_SECRET_SERVICE_ASTRIA, NULL, atelier_test_store_result, &result);
  g_assert_true (atelier_secret_clear_finish (atelier_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  key = lookup (ATELIER_SECRET_SERVICE_ASTRIA);
  g_assert_null (key);

  /* Clearing what is not there is fine. */
  atelier_secret_clear_async (ATELIER_SECRET_SERVICE_ASTRIA, NULL, atelier_test_store_result, &result);
  g_assert_true (atelier_secret_clear_finish (atelier_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  atelier_secret_clear_async (ATELIER_SECRET_SERVICE_FAL, NULL, atelier_test_store_result, &result);
  g_assert_true (atelier_secret_clear_finish (atelier_test_wait_result (&result), &error));
  g_clear_object (&result);
}

/* A session finds the stored key and talks to the account; without one it
 * starts the sandbox. */
static void
test_session_uses_keyring (void)
{
  AtelierSandboxServer *remote = atelier_test_server_new ();
  g_autofree char *url = atelier_sandbox_server_dup_base_url (remote);
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "atelier-test-sandbox", NULL);
  g_autoptr(AtelierSession) session = atelier_session_new ();
  g_autoptr(AtelierAccount) account = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  atelier_sandbox_server_set_api_key (remote, "stored-key");
  g_setenv ("ATELIER_ASTRIA_URL", url, TRUE);

  atelier_secret_store_async (ATELIER_SECRET_SERVICE_ASTRIA, "stored-key", NULL,
                              atelier_test_store_result, &result);
  g_assert_true (atelier_secret_store_finish (atelier_test_wait_result (&result), &error));
  g_clear_object (&result);

  account = atelier_account_new (session, dir);
  atelier_account_start (account);
  atelier_test_wait_until (atelier_session_is_ready (session), 20000);
  g_assert_cmpint (atelier_session_get_mode (session), ==, ATELIER_SESSION_MODE_ACCOUNT);
  g_assert_null (atelier_account_get_sandbox (account));
  g_assert_cmpstr (atelier_astria_client_get_base_url (atelier_session_get_astria_client (session)), ==, url);
  g_assert_true (atelier_astria_client_has_api_key (atelier_session_get_astria_client (session)));

  /* The client really uses the stored key: the remote accepts it. */
  atelier_astria_client_list_tunes_async (atelier_session_get_astria_client (session), 0, NULL,
                                          atelier_test_store_result, &result);
  {
    g_autoptr(GPtrArray) tunes = atelier_astria_client_list_tunes_finish (atelier_session_get_astria_client (session),
                                                                          atelier_test_wait_result (&result), &error);
    g_assert_no_error (error);
    g_assert_nonnull (tunes);
  }
  g_clear_object (&result);

  /* Signing out removes it and starts the sandbox. */
  atelier_account_remove_key_async (account, ATELIER_SECRET_SERVICE_ASTRIA, NULL,
                                    atelier_test_store_result, &result);
  g_assert_true (atelier_account_remove_key_finish (account, atelier_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpint (atelier_session_get_mode (session), ==, ATELIER_SESSION_MODE_SANDBOX);
  g_assert_nonnull (atelier_account_get_sandbox (account));
  g_assert_null (lookup (ATELIER_SECRET_SERVICE_ASTRIA));

  g_clear_object (&account);
  g_clear_object (&session);
  g_unsetenv ("ATELIER_ASTRIA_URL");
  atelier_test_server_free (remote);
  atelier_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/keyring/store-lookup-clear", test_store_lookup_clear);
  g_test_add_func ("/keyring/session-uses-keyring", test_session_uses_keyring);

  return g_test_run ();
}
