/* test-drafts.c: AtelierDraft on its own, without a display
 *
 * Values round-trip through the file; a missing file is an empty draft;
 * a file that is not a draft — cut off, not JSON, of the wrong shape, or
 * nested 100,000 deep (json-glib 1.6 crashes on that) — is refused with
 * an error and leaves an empty draft; an empty draft removes its file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-draft.h"
#include "atelier-test-utils.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("atelier-draft-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "drafts", "current.json", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  atelier_test_rm_rf (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static gboolean
load (AtelierDraft  *draft,
      GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  atelier_draft_load_async (draft, NULL, atelier_test_store_result, &result);
  return atelier_draft_load_finish (draft, atelier_test_wait_result (&result), error);
}

static void
write_file (Fixture    *fixture,
            const char *contents)
{
  g_autofree char *parent = g_path_get_dirname (fixture->path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_file_set_contents (fixture->path, contents, -1, &error);
  g_assert_no_error (error);
}

/* Cut off, not JSON, an array, nested 100,000 deep. */
static void
test_hostile_files (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  const char *bodies[] = { "{\"title\": \"Jane", "not json at all", "[1, 2, 3]", NULL };

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');
  bodies[3] = deep->str;

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(AtelierDraft) draft = atelier_draft_new (fixture->path);
      g_autoptr(GError) error = NULL;

      g_test_message ("body %u", i);
      write_file (fixture, bodies[i]);
      g_assert_false (load (draft, &error));
      g_assert_nonnull (error);
      g_assert_true (atelier_draft_is_empty (draft));
      g_assert_null (atelier_draft_get_string (draft, "title"));
    }
}

/* Members of the wrong type read as missing. */
static void
test_wrong_types (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(AtelierDraft) draft = atelier_draft_new (fixture->path);
  g_autoptr(GHashTable) characteristics = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) photos = NULL;

  write_file (fixture, "{\"title\": 7, \"steps\": \"many\", \"auto_extend\": \"yes\","
                       " \"photos\": {\"a\": 1}, \"prompts\": [1, null, \"ok\"],"
                       " \"characteristics\": [\"eye_color\"]}");
  g_assert_true (load (draft, &error));
  g_assert_no_error (error);

  g_assert_null (atelier_draft_get_string (draft, "title"));
  g_assert_cmpint (atelier_draft_get_int (draft, "steps", -5), ==, -5);
  g_assert_true (atelier_draft_get_boolean (draft, "auto_extend", TRUE));
  photos = atelier_draft_dup_strv (draft, "photos");
  g_assert_cmpuint (g_strv_length (photos), ==, 0);
  characteristics = atelier_draft_dup_characteristics (draft);
  g_assert_cmpuint (g_hash_table_size (characteristics), ==, 0);
  /* Only the one string prompt. */
  g_assert_false (atelier_draft_is_empty (draft));
}

/* Written a moment later, read back whole; emptied, the file goes. */
static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(AtelierDraft) draft = atelier_draft_new (fixture->path);
  g_autoptr(AtelierDraft) again = atelier_draft_new (fixture->path);
  g_autoptr(GHashTable) characteristics = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) read = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) photos = NULL;
  const char * const uris[] = { "file:///a.jpg", "file:///b.jpg", NULL };

  /* No file: an empty draft, no error. */
  g_assert_true (load (draft, &error));
  g_assert_no_error (error);
  g_assert_true (atelier_draft_is_empty (draft));

  atelier_draft_set_string (draft, "title", "Jane");
  atelier_draft_set_int (draft, "steps", 800);
  atelier_draft_set_boolean (draft, "upload_uncertain", TRUE);
  atelier_draft_set_strv (draft, "photos", uris);
  g_hash_table_insert (characteristics, "eye_color", "green eyes");
  atelier_draft_set_characteristics (draft, characteristics);
  g_assert_false (atelier_draft_get_saved (draft));
  atelier_test_wait_until (atelier_draft_get_saved (draft), 10000);

  g_assert_true (load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (atelier_draft_get_string (again, "title"), ==, "Jane");
  g_assert_cmpint (atelier_draft_get_int (again, "steps", 0), ==, 800);
  g_assert_true (atelier_draft_get_boolean (again, "upload_uncertain", FALSE));
  photos = atelier_draft_dup_strv (again, "photos");
  g_assert_true (g_strv_equal ((const char * const *) photos, uris));
  read = atelier_draft_dup_characteristics (again);
  g_assert_cmpstr (g_hash_table_lookup (read, "eye_color"), ==, "green eyes");

  atelier_draft_clear (draft);
  atelier_test_wait_until (atelier_draft_get_saved (draft), 10000);
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/drafts/hostile-files", test_hostile_files);
  ADD ("/drafts/wrong-types", test_wrong_types);
  ADD ("/drafts/round-trip", test_round_trip);

  return g_test_run ();
}
