/* test-library-races.c: the library's steps on disk for one prompt, in order
 *
 * Keeping, releasing and rewriting prompt.json of one prompt in quick
 * succession, without waiting in between, against the real library in a
 * temporary folder and originals served by the sandbox. A test hook
 * (atelier-library-private.h) makes the worker threads wait before each
 * step, so that the steps would overlap in the worst order unless the
 * library runs them one after the other. No display.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "atelier-library-private.h"
#include "atelier-test-account.h"
#include "atelier-test-utils.h"

#define WAIT_MS 20000
#define ROUNDS 50

typedef struct
{
  AtelierTestAccount account;
  gint64             tune_id;
} Fixture;

/* What the delay hook answers: set from the main thread, read by workers. */
static struct
{
  gint write_ms;
  gint remove_ms;
  gint first_write_ms;   /* for the next write only */
} delays;

static guint
delay_cb (AtelierLibraryStep step,
          gint64             prompt_id,
          gpointer           user_data)
{
  if (step == ATELIER_LIBRARY_STEP_REMOVE)
    return (guint) g_atomic_int_get (&delays.remove_ms);

  {
    int first = g_atomic_int_and (&delays.first_write_ms, 0);

    return (guint) (first > 0 ? first : g_atomic_int_get (&delays.write_ms));
  }
}

static void
set_delays (int write_ms,
            int remove_ms,
            int first_write_ms)
{
  g_atomic_int_set (&delays.write_ms, write_ms);
  g_atomic_int_set (&delays.remove_ms, remove_ms);
  g_atomic_int_set (&delays.first_write_ms, first_write_ms);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  atelier_test_account_set_up (&f->account, 64, "atelier-library-races-XXXXXX");
  f->tune_id = atelier_sandbox_server_seed_tune (f->account.server, "Ada - 1", "woman", TRUE);
  set_delays (0, 0, 0);
  _atelier_library_set_delay_func (delay_cb, NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  set_delays (0, 0, 0);
  atelier_test_wait_until (!_atelier_library_is_busy (f->account.library), WAIT_MS);
  _atelier_library_set_delay_func (NULL, NULL);
  atelier_test_account_tear_down (&f->account);
}

static AtelierPrompt *
fetch_prompt (Fixture *f,
              gint64   id)
{
  return atelier_test_account_fetch_prompt (&f->account, f->tune_id, id);
}

static void
keep (Fixture              *f,
      AtelierPrompt        *prompt,
      AtelierLibraryReason  reason,
      int                   index,
      GAsyncResult        **result)
{
  atelier_library_keep_async (f->account.library, prompt, reason, index, NULL, atelier_test_store_result, result);
}

/* Waits for a keep; it may have failed only because a release came
 * between (its originals were no longer wanted). */
static void
wait_keep (GAsyncResult **result)
{
  atelier_test_wait_result (result);
  g_clear_object (result);
}

static void
wait_idle (Fixture *f)
{
  atelier_test_wait_until (!_atelier_library_is_busy (f->account.library), WAIT_MS);
}

/* The prompt's folder, from a kept original. */
static char *
dup_folder (Fixture *f,
            gint64   id)
{
  g_autofree char *uri = atelier_library_dup_image_uri (f->account.library, id, 0);
  g_autofree char *path = NULL;

  g_assert_nonnull (uri);
  path = g_filename_from_uri (uri, NULL, NULL);
  return g_path_get_dirname (path);
}

static void
assert_file (const char *folder,
             const char *name)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    g_error ("%s is missing", path);
}

/* What a restart finds on disk. */
static AtelierLibraryReason
reasons_on_disk (Fixture *f,
                 gint64   id)
{
  g_autoptr(AtelierLibrary) reopened = atelier_library_new (f->account.cache,
                                                            atelier_library_get_dir (f->account.library));

  atelier_library_set_account (reopened, "sandbox:test");
  atelier_test_wait_until (atelier_library_is_loaded (reopened), WAIT_MS);
  return atelier_library_get_reasons (reopened, id);
}

/* Keep, release, keep: the prompt ends kept, every original on disk. */
static void
test_keep_release_keep (Fixture       *f,
                        gconstpointer  data)
{
  gint64 id = atelier_sandbox_server_seed_prompt (f->account.server, f->tune_id, "kept", 2);
  g_autoptr(AtelierPrompt) prompt = fetch_prompt (f, id);
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;

  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *folder = NULL;

      /* Every few rounds another order: the removal slower or faster than
       * the writes, the first keep's originals arrived or not. */
      set_delays ((round % 3) * 10, ((round + 1) % 4) * 15, 0);

      keep (f, prompt, ATELIER_LIBRARY_LIKED, -1, &first);
      if (round % 3 == 1)
        for (guint i = 0; i < round % 7; i++)
          g_main_context_iteration (NULL, FALSE);
      else if (round % 3 == 2)
        atelier_test_wait_result (&first);
      atelier_library_release (f->account.library, id, ATELIER_LIBRARY_LIKED);
      g_assert_false (atelier_library_contains (f->account.library, id));
      keep (f, prompt, ATELIER_LIBRARY_LIKED, -1, &second);

      g_assert_true (atelier_library_keep_finish (f->account.library, atelier_test_wait_result (&second), &error));
      g_assert_no_error (error);
      g_clear_object (&second);
      wait_keep (&first);
      wait_idle (f);

      g_assert_cmpint (atelier_library_get_reasons (f->account.library, id), ==, ATELIER_LIBRARY_LIKED);
      folder = dup_folder (f, id);
      assert_file (folder, "prompt.json");
      for (guint i = 0; i < 2; i++)
        {
          g_autofree char *uri = atelier_library_dup_image_uri (f->account.library, id, i);
          g_autofree char *path = NULL;

          g_assert_nonnull (uri);
          path = g_filename_from_uri (uri, NULL, NULL);
          if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
            g_error ("round %u: %s is missing", round, path);
        }
      g_assert_cmpint (reasons_on_disk (f, id), ==, ATELIER_LIBRARY_LIKED);

      /* Released for the next round: the folder goes. */
      set_delays (0, 0, 0);
      atelier_library_release (f->account.library, id, ATELIER_LIBRARY_LIKED);
      wait_idle (f);
      if (g_file_test (folder, G_FILE_TEST_EXISTS))
        g_error ("round %u: %s is still there", round, folder);
    }
}

/* Release, keep, release: the prompt ends removed, its folder gone, even
 * when the originals of the keep between arrive after the last release. */
static void
test_release_keep_release (Fixture       *f,
                           gconstpointer  data)
{
  gint64 id = atelier_sandbox_server_seed_prompt (f->account.server, f->tune_id, "let go", 2);
  g_autoptr(AtelierPrompt) prompt = fetch_prompt (f, id);
  g_autoptr(GAsyncResult) result = NULL;

  for (guint round = 0; round < ROUNDS / 2; round++)
    {
      g_autofree char *folder = NULL;

      set_delays (0, 0, 0);
      keep (f, prompt, ATELIER_LIBRARY_LIKED, -1, &result);
      wait_keep (&result);
      wait_idle (f);
      folder = dup_folder (f, id);

      set_delays ((round % 4) * 15, ((round + 2) % 3) * 10, 0);
      atelier_library_release (f->account.library, id, ATELIER_LIBRARY_LIKED);
      keep (f, prompt, ATELIER_LIBRARY_LIKED, -1, &result);
      if (round % 2 == 1)
        for (guint i = 0; i < round % 5; i++)
          g_main_context_iteration (NULL, FALSE);
      atelier_library_release (f->account.library, id, ATELIER_LIBRARY_LIKED);
      wait_keep (&result);
      wait_idle (f);

      g_assert_false (atelier_library_contains (f->account.library, id));
      if (g_file_test (folder, G_FILE_TEST_EXISTS))
        g_error ("round %u: %s is still there", round, folder);
      g_assert_cmpint (reasons_on_disk (f, id), ==, 0);
    }
}

/* prompt.json written twice in a row: the second write lands last, even
 * when the first one's worker is slower. */
static void
test_metadata_order (Fixture       *f,
                     gconstpointer  data)
{
  gint64 id = atelier_sandbox_server_seed_prompt (f->account.server, f->tune_id, "rewritten", 2);
  g_autoptr(AtelierPrompt) prompt = fetch_prompt (f, id);
  g_autoptr(GAsyncResult) result = NULL;

  keep (f, prompt, ATELIER_LIBRARY_LIKED, -1, &result);
  wait_keep (&result);
  wait_idle (f);

  for (guint round = 0; round < 5; round++)
    {
      /* LIKED|SAVED, then SAVED: the first write is held back. */
      set_delays (0, 0, 150);
      keep (f, prompt, ATELIER_LIBRARY_SAVED, 0, &result);
      atelier_library_release (f->account.library, id, ATELIER_LIBRARY_LIKED);
      wait_keep (&result);
      wait_idle (f);
      g_assert_cmpint (atelier_library_get_reasons (f->account.library, id), ==, ATELIER_LIBRARY_SAVED);
      g_assert_cmpint (reasons_on_disk (f, id), ==, ATELIER_LIBRARY_SAVED);

      /* SAVED|LIKED, then LIKED alone. */
      set_delays (0, 0, 150);
      keep (f, prompt, ATELIER_LIBRARY_LIKED, -1, &result);
      atelier_library_release (f->account.library, id, ATELIER_LIBRARY_SAVED);
      wait_keep (&result);
      wait_idle (f);
      g_assert_cmpint (atelier_library_get_reasons (f->account.library, id), ==, ATELIER_LIBRARY_LIKED);
      g_assert_cmpint (reasons_on_disk (f, id), ==, ATELIER_LIBRARY_LIKED);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/library-races/keep-release-keep", test_keep_release_keep);
  ADD ("/library-races/release-keep-release", test_release_keep_release);
  ADD ("/library-races/metadata-order", test_metadata_order);

  return g_test_run ();
}
