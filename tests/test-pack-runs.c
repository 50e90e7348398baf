/* test-pack-runs.c: test runs kept on this computer
 *
 * Runs written by one AtelierPackRuns are read back by another; files
 * that are cut off, not JSON, nested 100,000 deep, of the wrong shape,
 * too large, or not regular files at all (a folder, a FIFO) are listed as
 * unreadable with their problem, and the others still load.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "atelier-pack-runs.h"
#include "atelier-test-utils.h"

#define WAIT_MS 20000
#define ACCOUNT "sandbox:test"

static char *
account_dir (const char *dir)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, ACCOUNT, -1);

  return g_build_filename (dir, hash, NULL);
}

static GPtrArray *
make_tunes (void)
{
  GPtrArray *tunes = g_ptr_array_new_with_free_func (g_object_unref);
  const char *json[] = {
    "{\"id\": 11, \"title\": \"Ada\", \"name\": \"woman\", \"token\": \"ohwx\"}",
    "{\"id\": 12, \"title\": \"Alan\", \"name\": \"man\", \"token\": \"sks\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (json); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (json[i], NULL);
      g_autoptr(GError) error = NULL;

      g_ptr_array_add (tunes, atelier_tune_new_from_json (node, &error));
      g_assert_no_error (error);
    }

  return tunes;
}

static AtelierPackRuns *
load (const char *dir)
{
  AtelierPackRuns *runs = atelier_pack_runs_new (dir);

  atelier_pack_runs_set_account (runs, ACCOUNT);
  atelier_test_wait_until (atelier_pack_runs_is_loaded (runs), WAIT_MS);
  return runs;
}

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("atelier-runs-XXXXXX", &error);
  g_autoptr(GPtrArray) tunes = make_tunes ();
  g_autoptr(JsonNode) pack_node = json_from_string ("{\"id\": 260, \"title\": \"Corporate\", \"slug\": \"corporate\"}", NULL);
  g_autoptr(AtelierPack) pack = atelier_pack_new_from_json (pack_node, &error);
  g_autoptr(GDateTime) earlier = g_date_time_new_utc (2026, 12, 1, 10, 0, 0);
  g_autoptr(GDateTime) later = g_date_time_new_utc (2026, 12, 2, 10, 0, 0.5);
  g_autoptr(AtelierPackRun) pack_run = atelier_pack_run_new_for_pack (pack, tunes, earlier);
  g_autoptr(AtelierPackRun) theme_run = atelier_pack_run_new_for_theme ("Film noir", tunes, later);
  g_autoptr(AtelierPackRuns) runs = NULL;
  g_autoptr(AtelierPackRuns) again = NULL;
  g_autoptr(GPtrArray) of_pack = NULL;
  g_autofree char *path = NULL;
  AtelierPackRun *read;

  g_assert_no_error (error);
  runs = load (dir);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (runs)), ==, 0);
  atelier_pack_runs_add (runs, pack_run);
  atelier_pack_runs_add (runs, theme_run);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (runs)), ==, 2);

  /* Written: another store reads them back, newest first. */
  g_assert_cmpstr (atelier_pack_run_get_id (pack_run), ==, "pack-260-1796119200000000");
  g_assert_cmpstr (atelier_pack_run_get_id (theme_run), ==, "theme-0-1796205600500000");
  {
    g_autofree char *runs_dir = account_dir (dir);
    g_autofree char *pack_path = g_build_filename (runs_dir, "pack-260-1796119200000000.json", NULL);

    path = g_build_filename (runs_dir, "theme-0-1796205600500000.json", NULL);
    atelier_test_wait_until (!atelier_pack_runs_is_writing (runs), WAIT_MS);
    g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
    g_assert_true (g_file_test (pack_path, G_FILE_TEST_EXISTS));
  }
  again = load (dir);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 2);
  read = g_list_model_get_item (G_LIST_MODEL (again), 0);
  g_object_unref (read);
  g_assert_cmpint (atelier_pack_run_get_kind (read), ==, ATELIER_PACK_RUN_THEME);
  g_assert_cmpstr (atelier_pack_run_get_title (read), ==, "Film noir");
  g_assert_cmpstr (atelier_pack_run_get_id (read), ==, atelier_pack_run_get_id (theme_run));

  of_pack = atelier_pack_runs_dup_for_pack (again, 260);
  g_assert_cmpuint (of_pack->len, ==, 1);
  read = g_ptr_array_index (of_pack, 0);
  g_assert_true (atelier_pack_run_is_readable (read));
  g_assert_cmpint (atelier_pack_run_get_pack_id (read), ==, 260);
  g_assert_cmpstr (atelier_pack_run_get_title (read), ==, "Corporate");
  g_assert_true (g_date_time_equal (atelier_pack_run_get_started_at (read), earlier));
  g_assert_cmpuint (atelier_pack_run_get_n_tunes (read), ==, 2);
  g_assert_cmpint (atelier_pack_run_get_tune_id (read, 1), ==, 12);
  g_assert_cmpstr (atelier_pack_run_get_tune_title (read, 0), ==, "Ada");
  g_assert_cmpstr (atelier_pack_run_get_tune_token (read, 1), ==, "sks");
  g_assert_cmpstr (atelier_pack_run_get_tune_class (read, 0), ==, "woman");
  g_assert_cmpint (atelier_pack_run_find_tune (read, 12), ==, 1);
  g_assert_cmpint (atelier_pack_run_find_tune (read, 99), ==, -1);
  g_assert_true (atelier_pack_runs_lookup (again, atelier_pack_run_get_id (pack_run)) == read);

  /* Removed: the file goes. */
  atelier_pack_runs_remove (again, atelier_pack_runs_lookup (again, atelier_pack_run_get_id (theme_run)));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 1);
  atelier_test_wait_until (!g_file_test (path, G_FILE_TEST_EXISTS), WAIT_MS);

  atelier_test_rm_rf (dir);
}

static void
write_file (const char *dir,
            const char *name,
            const char *contents,
            gssize      length)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

static void
test_unreadable (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("atelier-runs-XXXXXX", &error);
  g_autofree char *runs_dir = account_dir (dir);
  g_autoptr(AtelierPackRuns) runs = NULL;
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autofree char *big = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *fifo = NULL;
  const char *good = "{\"version\": 1, \"kind\": \"pack\", \"pack_id\": 5, \"title\": \"Good\","
                     " \"started_at\": \"2026-12-01T10:00:00Z\", \"tunes\": [{\"id\": 1, \"title\": \"A\"}]}";
  guint unreadable = 0;

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (runs_dir, 0700), ==, 0);

  write_file (runs_dir, "good.json", good, -1);
  write_file (runs_dir, "cut.json", good, strlen (good) / 2);
  write_file (runs_dir, "not-json.json", "this is not JSON", -1);
  g_string_append (deep, "{\"version\": 1, \"tunes\": ");
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  write_file (runs_dir, "deep.json", deep->str, deep->len);
  write_file (runs_dir, "wrong-shape.json",
              "{\"version\": 1, \"kind\": \"pack\", \"pack_id\": \"five\", \"title\": 3, \"tunes\": {}}", -1);
  write_file (runs_dir, "no-tunes.json",
              "{\"version\": 1, \"kind\": \"theme\", \"pack_id\": 0, \"title\": \"x\","
              " \"started_at\": \"2026-12-01T10:00:00Z\", \"tunes\": []}", -1);
  write_file (runs_dir, "future.json", "{\"version\": 2}", -1);
  big = g_strnfill (ATELIER_PACK_RUN_MAX_FILE_SIZE + 1, ' ');
  write_file (runs_dir, "big.json", big, -1);
  folder = g_build_filename (runs_dir, "folder.json", NULL);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  fifo = g_build_filename (runs_dir, "fifo.json", NULL);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  write_file (runs_dir, "ignored.txt", "not a run", -1);

  runs = load (dir);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (runs)), ==, 10);
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(AtelierPackRun) run = g_list_model_get_item (G_LIST_MODEL (runs), i);

      if (g_strcmp0 (atelier_pack_run_get_title (run), "Good") == 0)
        {
          g_assert_true (atelier_pack_run_is_readable (run));
          continue;
        }

      g_assert_false (atelier_pack_run_is_readable (run));
      g_assert_nonnull (atelier_pack_run_get_problem (run));
      g_assert_cmpstr (atelier_pack_run_get_problem (run), !=, "");
      unreadable++;
    }
  g_assert_cmpuint (unreadable, ==, 9);
  {
    g_autoptr(GPtrArray) good_runs = atelier_pack_runs_dup_for_pack (runs, 5);

    g_assert_cmpuint (good_runs->len, ==, 1);
  }

  atelier_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pack-runs/round-trip", test_round_trip);
  g_test_add_func ("/pack-runs/unreadable", test_unreadable);

  return g_test_run ();
}
