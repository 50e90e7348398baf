/* test-crash-safety.c: kill -9 mid-write, then what a restart finds
 *
 * A child process (this executable, run with --child=MODE) does one kind
 * of write in a loop; the test kills it with SIGKILL at random moments
 * (ROUNDS times, seeded by g_test's random seed: --seed reproduces a run),
 * then loads what is on disk the way the app does when it starts again,
 * and checks it:
 *
 *   /crash-safety/draft    the child saves the tune draft (AtelierDraft)
 *                          over and over, each version with a different
 *                          number of photos (1 … N_PHOTOS, long paths) and
 *                          a title "Draft K" saying which version it is.
 *                          After every kill the draft loads, is one whole
 *                          version (its photos exactly those of version K),
 *                          never older than the one before, and its photos
 *                          exist; temporary files beside it are counted.
 *   /crash-safety/library  the child keeps prompts in the library (LIKED:
 *                          prompt.json and every original), saves an image
 *                          of the one before (prompt.json rewritten) and
 *                          releases the one two before (its folder
 *                          removed), against a sandbox served by this
 *                          process. After every kill each prompt.json on
 *                          disk parses and names its folder's prompt; the
 *                          library loads; every original it lists exists,
 *                          has a name INDEX.EXT and is byte for byte the
 *                          served image; no temporary file is listed.
 *                          Prompts whose originals are missing after the
 *                          restart are counted, by cause (see below).
 *   /crash-safety/upload   the child does what the tune editor does on
 *                          "Create" (src/tunes/atelier-tune-editor-upload.c,
 *                          start_upload(): the title made unique and kept
 *                          in the draft, the draft flushed, the upload run
 *                          with may_exist = the draft's "upload_uncertain",
 *                          the draft cleared on success) against a sandbox
 *                          whose POST /tunes waits DELAY_MS before it is
 *                          handled: the kill lands before, during or after
 *                          the upload. After every kill the draft is there
 *                          (unless the upload had finished) and loads with
 *                          its photos; then the retry the editor makes
 *                          after a restart runs, and the service must hold
 *                          exactly one tune of that title.
 *
 * Everything checked fails the test, with the figures and the cause.
 * What this test found, and is now fixed:
 *   - library: a file written for the first time (an original, the first
 *     prompt.json) was written in place, not through a temporary file, so
 *     a kill left a truncated original listed as kept, or an empty
 *     prompt.json and the prompt lost;
 *   - library: originals missing after a restart (a keep or a release
 *     cut short) were never fetched again (they are resumed at load, and
 *     a release renames the folder away first);
 *   - upload: a kill after the POST reached the service left
 *     "upload_uncertain" unset in the draft, so the retry after a restart
 *     sent the tune again without looking its title up first
 *     (atelier_draft_begin_upload() marks it, on disk, before sending).
 *
 * No display.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "atelier-draft.h"
#include "atelier-library.h"
#include "atelier-library-private.h"
#include "atelier-test-utils.h"
#include "atelier-tune-upload.h"

#define ROUNDS 30
#define WAIT_MS 20000
#define N_PHOTOS 200
#define UPLOAD_PHOTOS 6
#define DELAY_MS 400
#define ACCOUNT "sandbox:crash-safety"
#define N_ORIGINALS 4

/* {{{ Helpers */

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  atelier_test_store_result (source, result, user_data);
}

static char *
photo_path (const char *dir,
            guint       i)
{
  g_autofree char *name = g_strdup_printf ("training-photo-%03u-of-the-subject-in-daylight-"
                                           "taken-on-the-balcony-facing-west.jpg", i);
  return g_build_filename (dir, name, NULL);
}

static GStrv
photo_uris (const char *dir,
            guint       n)
{
  GStrv uris = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = photo_path (dir, i);

      uris[i] = g_filename_to_uri (path, NULL, NULL);
    }
  return uris;
}

static void
draft_load (AtelierDraft *draft,
            GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  atelier_draft_load_async (draft, NULL, store_cb, &result);
  atelier_draft_load_finish (draft, atelier_test_wait_result (&result), error);
}

static void
draft_wait_saved (AtelierDraft *draft)
{
  atelier_test_wait_until (atelier_draft_get_saved (draft), WAIT_MS);
}

/* Files in @dir whose name is not @keep: what a crash left behind. */
static guint
count_strays (const char         *dir,
              const char * const *keep)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (!g_strv_contains (keep, name))
      n++;
  return n;
}

static void
mark_ready (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "ready", NULL);

  g_file_set_contents (path, "", 0, NULL);
}

/* Spawns this executable with --child=@mode @args…, waits until it says it
 * is ready (a file "ready" in @work), lets it run @run_ms, then kills it
 * with SIGKILL. The main context runs all along (the sandbox is served
 * from here). TRUE when it was killed, FALSE when it had exited first. */
static gboolean
run_and_kill (const char         *work,
              const char         *mode,
              const char * const *args,
              guint               run_ms)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *ready = g_build_filename (work, "ready", NULL);
  g_autoptr(GError) error = NULL;
  gboolean exited = FALSE;
  int status = 0;
  gint64 end;
  GPid pid;

  g_assert_nonnull (self);
  g_unlink (ready);
  g_ptr_array_add (argv, g_strdup (self));
  g_ptr_array_add (argv, g_strconcat ("--child=", mode, NULL));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  g_spawn_async (NULL, (char **) argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &error);
  g_assert_no_error (error);

  end = g_get_monotonic_time () + WAIT_MS * 1000;
  while (!g_file_test (ready, G_FILE_TEST_EXISTS))
    {
      if (waitpid (pid, &status, WNOHANG) == pid)
        g_error ("The child (%s) exited before it was ready: status %d", mode, status);
      if (g_get_monotonic_time () > end)
        g_error ("The child (%s) was not ready in time", mode);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }

  end = g_get_monotonic_time () + (gint64) run_ms * 1000;
  while (g_get_monotonic_time () < end)
    {
      if (waitpid (pid, &status, WNOHANG) == pid)
        {
          exited = TRUE;
          break;
        }
      g_main_context_iteration (NULL, FALSE);
      g_usleep (200);
    }

  if (!exited)
    {
      kill (pid, SIGKILL);
      while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
        ;
      /* It may have finished between the last look and the kill. */
      exited = WIFEXITED (status);
    }
  if (WIFSIGNALED (status) && WTERMSIG (status) != SIGKILL)
    g_error ("The child (%s) died of signal %d", mode, WTERMSIG (status));
  if (exited)
    g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  else
    g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);
  g_spawn_close_pid (pid);
  return !exited;
}

static guint
random_ms (guint max)
{
  return (guint) g_test_rand_int_range (0, (gint32) max + 1);
}

/* }}} */

/* {{{ The children: each loops until killed */

/* DRAFT PHOTOS-DIR: saves versions K, K+1, … of the draft. */
static int
child_draft (const char *path,
             const char *photos,
             const char *work)
{
  g_autoptr(AtelierDraft) draft = atelier_draft_new (path);
  g_autoptr(GError) error = NULL;
  const char *title;
  guint64 k = 0;

  /* The app starts by loading the draft. */
  draft_load (draft, &error);
  g_assert_no_error (error);
  title = atelier_draft_get_string (draft, "title");
  if (title != NULL)
    g_assert_true (g_ascii_string_to_unsigned (title + strlen ("Draft "), 10, 0, G_MAXUINT64, &k, NULL));

  mark_ready (work);
  for (k++;; k++)
    {
      g_auto(GStrv) uris = photo_uris (photos, 1 + (guint) (k % N_PHOTOS));
      g_autofree char *text = g_strdup_printf ("Draft %" G_GUINT64_FORMAT, k);
      g_autofree char *prompt = g_strdup_printf ("ohwx woman, version %" G_GUINT64_FORMAT, k);
      const char *prompts[] = { prompt, NULL };

      atelier_draft_set_string (draft, "title", text);
      atelier_draft_set_strv (draft, "photos", (const char * const *) uris);
      atelier_draft_set_strv (draft, "prompts", prompts);
      atelier_draft_set_int (draft, "steps", (gint64) k);
      atelier_draft_flush (draft);
      draft_wait_saved (draft);
    }
  return 0;
}

/* LIBRARY-DIR URL TUNE PROMPT JOURNAL: keeps copies of the prompt under
 * ids 1000, 1001, …; appends "ID" to JOURNAL once a keep has finished. */
static int
child_library (const char *dir,
               const char *url,
               const char *tune_arg,
               const char *prompt_arg,
               const char *journal_path,
               const char *work)
{
  g_autofree char *cache_dir = g_build_filename (dir, "cache", NULL);
  g_autofree char *library_dir = g_build_filename (dir, "library", NULL);
  g_autoptr(AtelierImageCache) cache = atelier_image_cache_new (NULL, cache_dir);
  g_autoptr(AtelierLibrary) library = atelier_library_new (cache, library_dir);
  g_autoptr(AtelierAstriaClient) client = NULL;
  g_autoptr(AtelierPrompt) prompt = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) kept = NULL;
  g_autoptr(GError) error = NULL;
  gint64 tune_id = g_ascii_strtoll (tune_arg, NULL, 10);
  gint64 prompt_id = g_ascii_strtoll (prompt_arg, NULL, 10);
  gint64 next = 1000;
  FILE *journal;

  atelier_library_set_account (library, ACCOUNT);
  atelier_test_wait_until (atelier_library_is_loaded (library), WAIT_MS);
  kept = atelier_library_dup_prompts (library);
  for (guint i = 0; i < kept->len; i++)
    next = MAX (next, atelier_prompt_get_id (g_ptr_array_index (kept, i)) + 1);

  client = atelier_astria_client_new (url, "test-key", &error);
  g_assert_no_error (error);
  atelier_astria_client_get_prompt_async (client, tune_id, prompt_id, NULL, store_cb, &result);
  prompt = atelier_astria_client_get_prompt_finish (client, atelier_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  journal = fopen (journal_path, "a");
  g_assert_nonnull (journal);
  setvbuf (journal, NULL, _IONBF, 0);

  mark_ready (work);
  for (gint64 id = next;; id++)
    {
      /* A deep copy: json_node_copy() shares the object. */
      g_autofree char *text = json_to_string (atelier_prompt_get_json (prompt), FALSE);
      g_autoptr(JsonNode) node = json_from_string (text, NULL);
      g_autoptr(AtelierPrompt) copy = NULL;

      json_object_set_int_member (json_node_get_object (node), "id", id);
      copy = atelier_prompt_new_from_json (node, &error);
      g_assert_no_error (error);

      atelier_library_keep_async (library, copy, ATELIER_LIBRARY_LIKED, -1, NULL, store_cb, &result);
      /* The one before: an image saved too (its prompt.json rewritten). */
      if (atelier_library_contains (library, id - 1))
        atelier_library_keep_async (library, atelier_library_get_prompt (library, id - 1),
                                    ATELIER_LIBRARY_SAVED, 0, NULL, NULL, NULL);
      /* Two before: released (its folder removed). */
      atelier_library_release (library, id - 2, ATELIER_LIBRARY_LIKED);
      atelier_library_release (library, id - 2, ATELIER_LIBRARY_SAVED);

      atelier_library_keep_finish (library, atelier_test_wait_result (&result), &error);
      g_assert_no_error (error);
      g_clear_object (&result);
      fprintf (journal, "%" G_GINT64_FORMAT "\n", id);
    }
  return 0;
}

/* DRAFT URL: the editor's "Create", once (see the top of the file). */
static int
child_upload (const char *path,
              const char *url,
              const char *work)
{
  g_autoptr(AtelierDraft) draft = atelier_draft_new (path);
  g_autoptr(AtelierAstriaClient) client = NULL;
  g_autoptr(AtelierTuneParams) params = NULL;
  g_autoptr(AtelierTuneUpload) upload = NULL;
  g_autoptr(AtelierTune) tune = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) photos = NULL;

  draft_load (draft, &error);
  g_assert_no_error (error);

  /* ensure_unique_title(): a title with a UUID, kept in the draft. */
  if (atelier_draft_get_string (draft, "title_with_uuid") == NULL)
    {
      g_autofree char *title = atelier_tune_title_with_uuid (atelier_draft_get_string (draft, "title"));

      atelier_draft_set_string (draft, "title_with_uuid", title);
      atelier_draft_set_string (draft, "title_uuid_base", atelier_draft_get_string (draft, "title"));
      atelier_draft_set_boolean (draft, "upload_uncertain", FALSE);
    }
  atelier_draft_flush (draft);

  params = atelier_tune_params_new ();
  atelier_params_set_string (ATELIER_PARAMS (params), "title", atelier_draft_get_string (draft, "title_with_uuid"));
  atelier_params_set_string (ATELIER_PARAMS (params), "name", "woman");
  atelier_params_set_string (ATELIER_PARAMS (params), "branch", "fast");
  photos = atelier_draft_dup_strv (draft, "photos");
  for (guint i = 0; photos[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_uri (photos[i]);

      atelier_tune_params_add_image (params, file);
    }

  client = atelier_astria_client_new (url, "test-key", &error);
  g_assert_no_error (error);
  /* As the editor: marked "may have arrived" and on disk before sending. */
  upload = atelier_tune_upload_new (client, params, atelier_draft_begin_upload (draft));
  draft_wait_saved (draft);
  mark_ready (work);
  atelier_tune_upload_run_async (upload, NULL, store_cb, &result);
  tune = atelier_tune_upload_run_finish (upload, atelier_test_wait_result (&result), &error);

  /* upload_succeeded() clears the draft; upload_failed() keeps whether
   * it may have arrived. */
  if (tune != NULL)
    atelier_draft_clear (draft);
  else
    atelier_draft_set_boolean (draft, "upload_uncertain", atelier_tune_upload_get_may_have_arrived (upload));
  atelier_draft_flush (draft);
  draft_wait_saved (draft);
  return 0;
}

static int
run_child (int    argc,
           char **argv)
{
  const char *mode = argv[1] + strlen ("--child=");

  if (g_str_equal (mode, "draft") && argc == 5)
    return child_draft (argv[2], argv[3], argv[4]);
  if (g_str_equal (mode, "library") && argc == 8)
    return child_library (argv[2], argv[3], argv[4], argv[5], argv[6], argv[7]);
  if (g_str_equal (mode, "upload") && argc == 5)
    return child_upload (argv[2], argv[3], argv[4]);
  g_printerr ("Unknown child: %s\n", argv[1]);
  return 2;
}

/* }}} */

/* {{{ The draft */

static void
test_draft (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *work = g_dir_make_tmp ("atelier-crash-draft-XXXXXX", &error);
  g_autofree char *photos = g_build_filename (work, "photos", NULL);
  g_autofree char *drafts = g_build_filename (work, "drafts", NULL);
  g_autofree char *path = g_build_filename (drafts, "current.json", NULL);
  const char *keep[] = { "current.json", NULL };
  guint64 last = 0;
  guint versions = 0, strays = 0, unchanged = 0;

  g_assert_no_error (error);
  g_mkdir (photos, 0700);
  for (guint i = 0; i < N_PHOTOS; i++)
    {
      g_autofree char *photo = photo_path (photos, i);

      g_file_set_contents (photo, "\xff\xd8\xff", 3, &error);
      g_assert_no_error (error);
    }

  for (guint round = 0; round < ROUNDS; round++)
    {
      const char *args[] = { path, photos, work, NULL };
      g_autoptr(AtelierDraft) draft = NULL;
      g_auto(GStrv) loaded = NULL;
      g_auto(GStrv) expected = NULL;
      const char *title;
      guint64 k;

      g_assert_true (run_and_kill (work, "draft", args, 20 + random_ms (200)));

      /* The restart. */
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        {
          /* Only before the very first save. */
          g_assert_cmpuint (last, ==, 0);
          unchanged++;
          continue;
        }
      draft = atelier_draft_new (path);
      draft_load (draft, &error);
      g_assert_no_error (error);
      title = atelier_draft_get_string (draft, "title");
      g_assert_nonnull (title);
      g_assert_true (g_str_has_prefix (title, "Draft "));
      g_assert_true (g_ascii_string_to_unsigned (title + strlen ("Draft "), 10, 1, G_MAXUINT64, &k, NULL));
      /* The version before or a newer one, never older. */
      g_assert_cmpuint (k, >=, last);
      if (k == last)
        unchanged++;
      versions += (guint) (k - last);
      last = k;
      /* Whole: everything of version K and nothing else. */
      g_assert_cmpint (atelier_draft_get_int (draft, "steps", -1), ==, (gint64) k);
      loaded = atelier_draft_dup_strv (draft, "photos");
      expected = photo_uris (photos, 1 + (guint) (k % N_PHOTOS));
      g_assert_cmpstrv (loaded, expected);
      for (guint i = 0; loaded[i] != NULL; i++)
        {
          g_autofree char *file = g_filename_from_uri (loaded[i], NULL, NULL);

          g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
        }
      strays = count_strays (drafts, keep);
    }

  g_test_message ("draft: %u kills, %u versions saved in all, %u restarts found the version "
                  "of the restart before, none broken; %u temporary files left beside the draft",
                  ROUNDS, versions, unchanged, strays);
  g_print ("# crash-safety draft: %u kills, %u versions written, 0 broken, %u stale temporary files\n",
           ROUNDS, versions, strays);
  atelier_test_rm_rf (work);
}

/* }}} */

/* {{{ The library */

static gboolean
is_original_name (const char *name)
{
  g_autoptr(GRegex) regex = g_regex_new ("^[0-9]+\\.(jpg|png|webp|gif)$", 0, 0, NULL);

  return g_regex_match (regex, name, 0, NULL);
}

static GHashTable *
read_journal (const char *path)
{
  GHashTable *ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return ids;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      gint64 id;

      if (g_ascii_string_to_signed (lines[i], 10, 1, G_MAXINT64, &id, NULL))
        g_hash_table_add (ids, g_memdup2 (&id, sizeof id));
    }
  return ids;
}

typedef struct
{
  guint folders;
  guint complete;
  guint orphans;          /* a folder without prompt.json: not listed */
  guint strays;           /* temporary files */
  guint keep_cut;         /* keep cut short: kept, originals missing */
  guint release_cut;      /* release cut short: back, originals missing */
  guint broken_metadata;  /* prompt.json that does not parse */
  guint broken_originals; /* listed, but not the whole image */
} LibraryFigures;

/* Every folder on disk: prompt.json parses and names its folder. */
static void
check_disk (const char     *account_dir,
            LibraryFigures *figures)
{
  g_autoptr(GDir) dir = g_dir_open (account_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *folder = g_build_filename (account_dir, name, NULL);
      g_autofree char *metadata = g_build_filename (folder, "prompt.json", NULL);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GDir) files = NULL;
      g_autoptr(GError) error = NULL;
      const char *file;
      JsonObject *object;

      figures->folders++;
      files = g_dir_open (folder, 0, NULL);
      while (files != NULL && (file = g_dir_read_name (files)) != NULL)
        if (!g_str_equal (file, "prompt.json") && !is_original_name (file))
          figures->strays++;

      if (!g_file_test (metadata, G_FILE_TEST_EXISTS))
        {
          figures->orphans++;
          continue;
        }
      /* Cut short: the prompt is lost on restart (entry_read() skips it). */
      if (!json_parser_load_from_file (parser, metadata, &error) ||
          json_parser_get_root (parser) == NULL ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          g_test_message ("a broken prompt.json: %s (%s)", metadata, error ? error->message : "empty or not an object");
          figures->broken_metadata++;
          continue;
        }
      object = json_node_get_object (json_parser_get_root (parser));
      g_assert_true (json_object_has_member (object, "prompt"));
      g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object, "prompt"), "id"), ==,
                       g_ascii_strtoll (name, NULL, 10));
    }
}

/* Every prompt kept with all its images (liked) has them all on disk. */
static gboolean
library_resumed (AtelierLibrary *library)
{
  g_autoptr(GPtrArray) prompts = atelier_library_dup_prompts (library);

  if (_atelier_library_is_busy (library))
    return FALSE;

  for (guint i = 0; i < prompts->len; i++)
    {
      gint64 id = atelier_prompt_get_id (g_ptr_array_index (prompts, i));

      if ((atelier_library_get_reasons (library, id) & (ATELIER_LIBRARY_LIKED | ATELIER_LIBRARY_MADE)) == 0)
        continue;
      for (guint index = 0; index < N_ORIGINALS; index++)
        {
          g_autofree char *uri = atelier_library_dup_image_uri (library, id, index);

          if (uri == NULL)
            return FALSE;
        }
    }

  return TRUE;
}

static void
test_library (void)
{
  g_autoptr(AtelierSandboxServer) server = atelier_test_server_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *work = g_dir_make_tmp ("atelier-crash-library-XXXXXX", &error);
  g_autofree char *url = atelier_sandbox_server_dup_base_url (server);
  g_autofree char *journal = g_build_filename (work, "journal", NULL);
  g_autofree char *library_dir = g_build_filename (work, "library", NULL);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, ACCOUNT, -1);
  g_autofree char *account_dir = NULL;
  g_autofree char *tune_arg = NULL;
  g_autofree char *prompt_arg = NULL;
  g_autoptr(GPtrArray) served = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  LibraryFigures figures = { 0 };
  guint max_kept = 0;
  gint64 tune_id, prompt_id;

  g_assert_no_error (error);
  hash[16] = '\0';
  account_dir = g_build_filename (library_dir, hash, NULL);
  atelier_sandbox_server_set_image_size (server, 384);
  tune_id = atelier_sandbox_server_seed_tune (server, "Lib Lena", "woman", TRUE);
  prompt_id = atelier_sandbox_server_seed_prompt (server, tune_id, "ohwx woman in a library", N_ORIGINALS);
  tune_arg = g_strdup_printf ("%" G_GINT64_FORMAT, tune_id);
  prompt_arg = g_strdup_printf ("%" G_GINT64_FORMAT, prompt_id);

  /* The originals as served, to compare with. */
  {
    g_autofree char *cache_dir = g_build_filename (work, "reference-cache", NULL);
    g_autoptr(AtelierImageCache) cache = atelier_image_cache_new (NULL, cache_dir);
    g_autoptr(AtelierAstriaClient) client = atelier_astria_client_new (url, "test-key", &error);
    g_autoptr(AtelierPrompt) prompt = NULL;
    g_autoptr(GAsyncResult) result = NULL;
    const char * const *images;

    g_assert_no_error (error);
    atelier_astria_client_get_prompt_async (client, tune_id, prompt_id, NULL, store_cb, &result);
    prompt = atelier_astria_client_get_prompt_finish (client, atelier_test_wait_result (&result), &error);
    g_assert_no_error (error);
    images = atelier_prompt_get_images (prompt);
    g_assert_cmpuint (g_strv_length ((GStrv) images), ==, N_ORIGINALS);
    for (guint i = 0; images[i] != NULL; i++)
      {
        g_clear_object (&result);
        atelier_image_cache_download_async (cache, images[i], NULL, store_cb, &result);
        g_ptr_array_add (served, atelier_image_cache_download_finish (cache, atelier_test_wait_result (&result),
                                                                      &error));
        g_assert_no_error (error);
      }
  }

  for (guint round = 0; round < ROUNDS; round++)
    {
      const char *args[] = { work, url, tune_arg, prompt_arg, journal, work, NULL };
      g_autofree char *cache_dir = g_build_filename (work, "restart-cache", NULL);
      g_autoptr(AtelierImageCache) cache = NULL;
      g_autoptr(AtelierLibrary) library = NULL;
      g_autoptr(GPtrArray) prompts = NULL;
      g_autoptr(GHashTable) finished = NULL;
      LibraryFigures now = { 0 };

      g_assert_true (run_and_kill (work, "library", args, 30 + random_ms (400)));

      check_disk (account_dir, &now);

      /* The restart. */
      cache = atelier_image_cache_new (NULL, cache_dir);
      library = atelier_library_new (cache, library_dir);
      atelier_library_set_account (library, ACCOUNT);
      atelier_test_wait_until (atelier_library_is_loaded (library), WAIT_MS);
      /* A keep cut short is taken up again at load: wait for it. */
      atelier_test_wait_until (library_resumed (library), WAIT_MS);
      prompts = atelier_library_dup_prompts (library);
      finished = read_journal (journal);
      max_kept = MAX (max_kept, g_hash_table_size (finished));

      for (guint i = 0; i < prompts->len; i++)
        {
          AtelierPrompt *prompt = g_ptr_array_index (prompts, i);
          gint64 id = atelier_prompt_get_id (prompt);
          guint present = 0;

          g_assert_cmpint (id, >=, 1000);
          g_assert_true (atelier_library_get_reasons (library, id) != 0);
          for (guint index = 0; index < N_ORIGINALS; index++)
            {
              g_autofree char *uri = atelier_library_dup_image_uri (library, id, index);
              g_autofree char *path = NULL;
              g_autofree char *base = NULL;
              g_autofree char *contents = NULL;
              GBytes *expected = g_ptr_array_index (served, index);
              gsize length;

              if (uri == NULL)
                continue;
              present++;
              path = g_filename_from_uri (uri, NULL, NULL);
              base = g_path_get_basename (path);
              /* Never a temporary file, and whole. */
              g_assert_true (is_original_name (base));
              g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
              if (length != g_bytes_get_size (expected) ||
                  memcmp (contents, g_bytes_get_data (expected, NULL), length) != 0)
                {
                  g_test_message ("a broken original listed: %s, %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " bytes",
                                  path, length, g_bytes_get_size (expected));
                  now.broken_originals++;
                }
            }
          if (present == N_ORIGINALS)
            now.complete++;
          else if (g_hash_table_contains (finished, &id))
            now.release_cut++;   /* its keep had finished: a release was cut short */
          else
            now.keep_cut++;
        }

      g_test_message ("round %u: %u folders, %u kept prompts (%u whole, %u keep cut short, %u release cut "
                      "short), %u folders without prompt.json, %u temporary files",
                      round, now.folders, prompts->len, now.complete, now.keep_cut, now.release_cut,
                      now.orphans, now.strays);
      figures.folders = now.folders;
      figures.orphans = now.orphans;
      figures.strays = now.strays;
      figures.complete = now.complete;
      figures.keep_cut = MAX (figures.keep_cut, now.keep_cut);
      figures.broken_metadata += now.broken_metadata;
      figures.broken_originals += now.broken_originals;
      figures.release_cut = MAX (figures.release_cut, now.release_cut);

    }

  g_print ("# crash-safety library: %u kills, %u keeps finished; at the end %u folders, %u whole prompts, "
           "%u folders without prompt.json (ignored), %u temporary files (ignored), 0 misnamed originals; "
           "after the kills in all %u broken prompt.json (prompt lost), %u truncated originals listed as kept; "
           "most prompts with missing originals after one restart: %u (keep cut short), %u (release cut short)\n",
           ROUNDS, max_kept, figures.folders, figures.complete, figures.orphans, figures.strays,
           figures.broken_metadata, figures.broken_originals, figures.keep_cut, figures.release_cut);

  atelier_test_server_free (g_steal_pointer (&server));
  atelier_test_rm_rf (work);

  {
    g_autoptr(GString) why = g_string_new (NULL);

    if (figures.broken_metadata + figures.broken_originals > 0)
      g_string_append_printf (why,
        "%u truncated originals listed as kept, %u broken prompt.json: step_thread() in "
        "src/models/atelier-library.c writes with g_file_replace_contents(), and GLib writes a file "
        "that does not exist yet in place (O_CREAT|O_EXCL; a temporary file and a rename only when "
        "replacing an existing one), so a kill mid-write leaves a short INDEX.EXT that entry_read() "
        "lists as the original, or a short first prompt.json that entry_read() skips (the prompt lost). ",
        figures.broken_originals, figures.broken_metadata);
    if (figures.keep_cut + figures.release_cut > 0)
      g_string_append (why,
        "Originals missing after a restart are never fetched again: a keep cut short leaves prompt.json "
        "without some originals, and a release cut short (remove_folder() unlinks the folder's files in "
        "readdir order, prompt.json possibly last) brings the prompt back with some originals gone; "
        "load_cb()/entry_read() do not resume the downloads of a LIKED/MADE prompt's missing originals, "
        "nor does anything else.");
    /* Fixed: these fail the test now. */
    if (why->len > 0)
      g_error ("%s", why->str);
  }
}

/* }}} */

/* {{{ The upload */

static guint
count_titled (AtelierSandboxServer *server,
              const char           *title)
{
  g_autofree char *url = atelier_sandbox_server_dup_base_url (server);
  g_autoptr(AtelierAstriaClient) client = atelier_astria_client_new (url, "test-key", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) tunes = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  atelier_astria_client_list_tunes_async (client, 0, NULL, store_cb, &result);
  tunes = atelier_astria_client_list_tunes_finish (client, atelier_test_wait_result (&result), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < tunes->len; i++)
    if (g_strcmp0 (atelier_tune_get_title (g_ptr_array_index (tunes, i)), title) == 0)
      n++;
  return n;
}

static void
wait_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
test_upload (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *work = g_dir_make_tmp ("atelier-crash-upload-XXXXXX", &error);
  g_autofree char *photos = g_build_filename (work, "photos", NULL);
  g_autofree char *path = g_build_filename (work, "drafts", "current.json", NULL);
  g_auto(GStrv) uris = NULL;
  guint finished = 0, before_arrival = 0, after_arrival = 0, resent = 0;
  guint uncertain = 0, lost_titles = 0;

  g_assert_no_error (error);
  g_mkdir (photos, 0700);
  for (guint i = 0; i < UPLOAD_PHOTOS; i++)
    {
      g_autofree char *name = g_strdup_printf ("upload-%u.jpg", i);
      g_autoptr(GFile) file = atelier_test_write_image (photos, name, 768, 768, 7 + i, "jpeg");
    }
  uris = g_new0 (char *, UPLOAD_PHOTOS + 1);
  for (guint i = 0; i < UPLOAD_PHOTOS; i++)
    {
      g_autofree char *name = g_strdup_printf ("upload-%u.jpg", i);
      g_autofree char *file = g_build_filename (photos, name, NULL);

      uris[i] = g_filename_to_uri (file, NULL, NULL);
    }

  for (guint round = 0; round < ROUNDS; round++)
    {
      AtelierSandboxServer *server = atelier_test_server_new ();
      g_autofree char *url = atelier_sandbox_server_dup_base_url (server);
      g_autofree char *readable = g_strdup_printf ("Crash Carla %u", round);
      const char *args[] = { path, url, work, NULL };
      AtelierSandboxFault fault = {
        .method = "POST", .path = "/tunes", .kind = ATELIER_SANDBOX_FAULT_DELAY,
        .delay_ms = DELAY_MS, .times = 1,
      };
      g_autoptr(AtelierDraft) draft = atelier_draft_new (path);
      g_autoptr(AtelierDraft) restarted = NULL;
      g_autoptr(AtelierTuneUpload) retry = NULL;
      g_autoptr(AtelierTuneParams) params = NULL;
      g_autoptr(AtelierTune) tune = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_auto(GStrv) loaded = NULL;
      const char *title;
      guint n, posts;

      /* The draft the user composed. */
      atelier_draft_set_string (draft, "title", readable);
      atelier_draft_set_strv (draft, "photos", (const char * const *) uris);
      atelier_draft_flush (draft);
      draft_wait_saved (draft);
      atelier_sandbox_server_add_fault (server, &fault);

      /* From the start of the run to past the delayed answer. */
      if (!run_and_kill (work, "upload", args, random_ms (DELAY_MS + 300)))
        {
          g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
          g_assert_cmpuint (atelier_sandbox_server_count_requests (server, "POST", "/tunes"), ==, 1);
          finished++;
          atelier_test_server_free (server);
          continue;
        }
      /* The service finishes what it received, as Astria would. */
      wait_ms (DELAY_MS + 100);

      /* The restart: the draft is there and whole. */
      restarted = atelier_draft_new (path);
      draft_load (restarted, &error);
      g_assert_no_error (error);
      if (atelier_draft_is_empty (restarted))
        {
          /* Killed in the child's last step (the draft cleared): done. */
          g_assert_cmpuint (atelier_sandbox_server_count_requests (server, "POST", "/tunes"), ==, 1);
          finished++;
          atelier_test_server_free (server);
          continue;
        }
      g_assert_cmpstr (atelier_draft_get_string (restarted, "title"), ==, readable);
      loaded = atelier_draft_dup_strv (restarted, "photos");
      g_assert_cmpstrv (loaded, uris);
      title = atelier_draft_get_string (restarted, "title_with_uuid");
      if (title == NULL)
        {
          /* Killed before the title was saved. The editor flushes the
           * draft and sends at once, without waiting for the write: a
           * tune sent under a title the draft never kept is lost to the
           * retry's look-up. */
          if (atelier_sandbox_server_count_requests (server, "POST", "/tunes") > 0)
            lost_titles++;
          before_arrival++;
          atelier_test_server_free (server);
          continue;
        }

      n = count_titled (server, title);
      g_assert_cmpuint (n, <=, 1);
      if (n == 0)
        before_arrival++;
      else
        after_arrival++;
      posts = atelier_sandbox_server_count_requests (server, "POST", "/tunes");
      if (atelier_draft_get_boolean (restarted, "upload_uncertain", FALSE))
        uncertain++;

      /* The retry the editor makes (_atelier_tune_editor_start_upload()). */
      params = atelier_tune_params_new ();
      atelier_params_set_string (ATELIER_PARAMS (params), "title", title);
      atelier_params_set_string (ATELIER_PARAMS (params), "name", "woman");
      atelier_params_set_string (ATELIER_PARAMS (params), "branch", "fast");
      for (guint i = 0; loaded[i] != NULL; i++)
        {
          g_autoptr(GFile) file = g_file_new_for_uri (loaded[i]);

          atelier_tune_params_add_image (params, file);
        }
      g_clear_object (&draft);
      {
        g_autofree char *u = atelier_sandbox_server_dup_base_url (server);
        g_autoptr(AtelierAstriaClient) client = atelier_astria_client_new (u, "test-key", &error);

        g_assert_no_error (error);
        retry = atelier_tune_upload_new (client, params, atelier_draft_get_boolean (restarted, "upload_uncertain", FALSE));
        atelier_tune_upload_run_async (retry, NULL, store_cb, &result);
        tune = atelier_tune_upload_run_finish (retry, atelier_test_wait_result (&result), &error);
        g_assert_no_error (error);
        g_assert_nonnull (tune);
      }
      /* Exactly one tune of the title, whatever the kill hit. */
      g_assert_cmpuint (count_titled (server, title), ==, 1);
      /* Sent again although it was there: only the service's own
       * idempotency by title (which the sandbox has) kept it single. */
      if (n == 1 && atelier_sandbox_server_count_requests (server, "POST", "/tunes") > posts)
        resent++;
      atelier_draft_clear (restarted);
      draft_wait_saved (restarted);
      g_clear_object (&retry);
      atelier_test_server_free (server);
    }

  g_print ("# crash-safety upload: %u kills aimed, %u runs finished first, %u killed before the tune "
           "reached the service, %u after (the draft said \"may have arrived\" in %u); the draft was "
           "there and whole after every kill; after every retry exactly one tune; %u retries sent the "
           "photos again for a tune that was there; %u tunes sent before their title was in the draft\n",
           ROUNDS, finished, before_arrival, after_arrival, uncertain, resent, lost_titles);
  atelier_test_rm_rf (work);

  {
    g_autoptr(GString) why = g_string_new (NULL);

    if (resent > 0)
      g_string_append_printf (why,
        "%u retries after a restart sent the tune again although the killed upload had made it "
        "(no duplicate only because the service answers an existing title with that tune, as the "
        "sandbox does): _atelier_tune_editor_start_upload() in src/tunes/atelier-tune-editor-upload.c sets the draft's "
        "\"upload_uncertain\" only when an upload fails (upload_failed()), so a kill leaves it FALSE "
        "and the retry skips the look-up by title (may_exist = FALSE). ", resent);
    if (lost_titles > 0)
      g_string_append_printf (why,
        "%u tunes sent before the draft kept their title: _atelier_tune_editor_start_upload() calls atelier_draft_flush(), "
        "which writes in a worker thread, and starts the upload without waiting for it.", lost_titles);
    /* Fixed (atelier_draft_begin_upload()): these fail the test now. */
    if (why->len > 0)
      g_error ("%s", why->str);
  }
}

/* }}} */

int
main (int    argc,
      char **argv)
{
  if (argc >= 2 && g_str_has_prefix (argv[1], "--child="))
    return run_child (argc, argv);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/crash-safety/draft", test_draft);
  g_test_add_func ("/crash-safety/library", test_library);
  g_test_add_func ("/crash-safety/upload", test_upload);

  return g_test_run ();
}
