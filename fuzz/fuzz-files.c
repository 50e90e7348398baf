/* fuzz-files.c: files the app reads back from its data folder
 *
 * The input is a file's contents, read as each file the app keeps: a
 * pack or theme test run (AtelierPackRuns, one JSON file each; the run
 * matrix reads nothing else from disk) and a FaceID job.json
 * (AtelierFaceidJobs). Each is parsed as the app parses it (the strict
 * JSON parser, then the object's reader). A file that reads is then
 * written back and read again: what the app writes it must read, and the
 * run's tunes, the job's state and request must survive the round trip.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-common.h"

#include <stdint.h>
#include <string.h>

#include "atelier-faceid-job-private.h"
#include "atelier-json-private.h"
#include "atelier-pack-run.h"
#include "atelier-pack-runs.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

static void
check_pack_run (JsonNode *root)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtelierPackRun) run = atelier_pack_run_new_from_json (root, &error);
  g_autoptr(AtelierPackRun) again = NULL;
  g_autoptr(JsonNode) written = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) reread = NULL;
  guint n_tunes;

  g_assert_true ((run == NULL) == (error != NULL));
  if (run == NULL)
    {
      g_autoptr(AtelierPackRun) unreadable = atelier_pack_run_new_unreadable ("run.json", error);

      g_assert_false (atelier_pack_run_is_readable (unreadable));
      g_assert_nonnull (atelier_pack_run_get_problem (unreadable));
      return;
    }

  g_assert_true (atelier_pack_run_is_readable (run));
  g_assert_nonnull (atelier_pack_run_get_id (run));
  g_assert_nonnull (atelier_pack_run_get_title (run));
  g_assert_nonnull (atelier_pack_run_get_started_at (run));
  n_tunes = atelier_pack_run_get_n_tunes (run);
  for (guint i = 0; i < n_tunes; i++)
    {
      gint64 id = atelier_pack_run_get_tune_id (run, i);

      (void) atelier_pack_run_get_tune_title (run, i);
      (void) atelier_pack_run_get_tune_token (run, i);
      (void) atelier_pack_run_get_tune_class (run, i);
      g_assert_cmpint (atelier_pack_run_find_tune (run, id), >=, 0);
    }

  /* What the app writes, it reads */
  written = atelier_pack_run_to_json (run);
  text = json_to_string (written, FALSE);
  reread = _atelier_json_parse (text, strlen (text), &error);
  g_assert_no_error (error);
  again = atelier_pack_run_new_from_json (reread, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (atelier_pack_run_get_n_tunes (again), ==, n_tunes);
  g_assert_cmpint (atelier_pack_run_get_kind (again), ==, atelier_pack_run_get_kind (run));
  g_assert_cmpint (atelier_pack_run_get_pack_id (again), ==, atelier_pack_run_get_pack_id (run));
  g_assert_cmpstr (atelier_pack_run_get_title (again), ==, atelier_pack_run_get_title (run));
  for (guint i = 0; i < n_tunes; i++)
    g_assert_cmpint (atelier_pack_run_get_tune_id (again, i), ==, atelier_pack_run_get_tune_id (run, i));
}

static void
check_faceid_job (JsonNode *root)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtelierFaceidJob) job = _atelier_faceid_job_new_from_json (root, &error);
  g_autoptr(AtelierFaceidJob) again = NULL;
  g_autoptr(JsonNode) written = NULL;
  g_autoptr(JsonNode) reread = NULL;
  g_autofree char *text = NULL;
  const char * const *logs;
  AtelierFalResult result = {
    .image_url = (char *) "https://fal.media/files/x.jpg",
    .content_type = (char *) "image/jpeg",
    .width = 1024,
    .height = 1024,
    .seed = 42,
  };

  g_assert_true ((job == NULL) == (error != NULL));
  if (job == NULL)
    return;

  g_assert_nonnull (atelier_faceid_job_get_id (job));
  g_assert_nonnull (atelier_faceid_job_get_created_at (job));
  g_assert_nonnull (atelier_faceid_job_get_input (job));
  g_assert_nonnull (atelier_faceid_job_get_face_label (job));
  (void) atelier_faceid_job_get_prompt_text (job);
  (void) atelier_faceid_job_get_request_id (job);
  (void) atelier_faceid_job_get_error (job);
  (void) atelier_faceid_job_is_active (job);
  (void) atelier_faceid_job_can_cancel (job);
  (void) atelier_faceid_job_can_retry (job);
  (void) atelier_faceid_job_get_queue_position (job);
  (void) _atelier_faceid_job_get_resume (job);
  (void) _atelier_faceid_job_get_n_faces (job);
  g_assert_cmpint (_atelier_faceid_job_get_library_id (job), <=, 0);
  logs = atelier_faceid_job_get_logs (job);
  for (guint i = 0; logs != NULL && logs[i] != NULL; i++)
    g_assert_true (g_utf8_validate (logs[i], -1, NULL));

  /* The library prompt a result would be kept as */
  {
    g_autoptr(JsonNode) prompt = _atelier_faceid_job_build_prompt (job, &result);

    g_assert_nonnull (prompt);
  }

  /* What the app writes, it reads */
  written = _atelier_faceid_job_to_json (job);
  text = json_to_string (written, FALSE);
  reread = _atelier_json_parse (text, strlen (text), &error);
  g_assert_no_error (error);
  again = _atelier_faceid_job_new_from_json (reread, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (atelier_faceid_job_get_id (again), ==, atelier_faceid_job_get_id (job));
  g_assert_cmpint (atelier_faceid_job_get_state (again), ==, atelier_faceid_job_get_state (job));
  g_assert_cmpstr (atelier_faceid_job_get_request_id (again), ==, atelier_faceid_job_get_request_id (job));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) root = NULL;

  /* As _atelier_read_json_file() refuses larger files before reading */
  if (size > ATELIER_PACK_RUN_MAX_FILE_SIZE)
    return 0;

  root = _atelier_json_parse ((const char *) data, size, NULL);
  if (root == NULL)
    return 0;

  check_pack_run (root);
  check_faceid_job (root);

  return 0;
}
