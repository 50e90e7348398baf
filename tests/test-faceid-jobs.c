/* test-faceid-jobs.c: fal.ai FaceID jobs against the sandbox over HTTP
 *
 * The whole way (queued with a position, in progress with log lines, the
 * result kept in the library), what fal received, restart and resume,
 * cancel, a request fal forgot, a submit that may have arrived, fal's
 * failure, the result URL expiring after it was kept, input refused
 * before sending, a broken job file; and while polling: 429 (backing off,
 * then going on), 401 (failed, the request kept for Retry), a dropped
 * connection, a result without an image, and cancel once in progress.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "atelier-faceid-jobs.h"
#include "atelier-fal-face.h"
#include "atelier-test-utils.h"

#define WAIT_MS   30000
#define ACCOUNT   "sandbox:test"
#define FAL_KEY   "fal-key-1"
#define FAL_PATH  "/fal-ai/ip-adapter-face-id"

typedef struct
{
  AtelierSandboxServer *server;
  AtelierFalClient     *client;
  char                 *dir;
  char                 *jobs_dir;
  AtelierImageCache    *cache;
  AtelierLibrary       *library;
  AtelierFaceidJobs    *jobs;
  GArray               *states;     /* AtelierFaceidJobState, as notified */
  gint64                max_position;
  guint                 max_logs;
  guint                 n_finished;
} Fixture;

static void
state_cb (AtelierFaceidJob *job,
          GParamSpec       *pspec,
          Fixture          *fixture)
{
  AtelierFaceidJobState state = atelier_faceid_job_get_state (job);

  g_array_append_val (fixture->states, state);
}

static void
position_cb (AtelierFaceidJob *job,
             GParamSpec       *pspec,
             Fixture          *fixture)
{
  if (atelier_faceid_job_get_queue_position (job) >= 0)
    g_assert_cmpint (atelier_faceid_job_get_state (job), ==, ATELIER_FACEID_JOB_IN_QUEUE);
  fixture->max_position = MAX (fixture->max_position, atelier_faceid_job_get_queue_position (job));
}

static void
logs_cb (AtelierFaceidJob *job,
         GParamSpec       *pspec,
         Fixture          *fixture)
{
  guint n = g_strv_length ((GStrv) atelier_faceid_job_get_logs (job));

  if (n > 0)
    g_assert_cmpint (atelier_faceid_job_get_state (job), !=, ATELIER_FACEID_JOB_IN_QUEUE);
  fixture->max_logs = MAX (fixture->max_logs, n);
}

static void
finished_cb (AtelierFaceidJobs *jobs,
             AtelierFaceidJob  *job,
             Fixture           *fixture)
{
  fixture->n_finished++;
}

static AtelierFaceidJobs *
new_jobs (Fixture *fixture)
{
  AtelierFaceidJobs *jobs = atelier_faceid_jobs_new (fixture->jobs_dir);

  atelier_faceid_jobs_set_poll_interval_ms (jobs, 20);
  atelier_faceid_jobs_set_client (jobs, fixture->client);
  atelier_faceid_jobs_set_library (jobs, fixture->library);
  atelier_faceid_jobs_set_account (jobs, ACCOUNT);
  g_signal_connect (jobs, "job-finished", G_CALLBACK (finished_cb), fixture);
  atelier_test_wait_until (atelier_faceid_jobs_is_loaded (jobs), WAIT_MS);

  return jobs;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  const char *url_ttl_ms = user_data;
  g_autofree char *base_url = NULL;
  g_autofree char *cache_dir = NULL;
  g_autofree char *library_dir = NULL;
  g_autoptr(GError) error = NULL;

  /* Read when the server is made. */
  if (url_ttl_ms != NULL)
    g_setenv ("ATELIER_SANDBOX_FAL_URL_TTL_MS", url_ttl_ms, TRUE);
  else
    g_unsetenv ("ATELIER_SANDBOX_FAL_URL_TTL_MS");

  fixture->server = atelier_test_server_new ();
  atelier_sandbox_server_set_api_key (fixture->server, FAL_KEY);
  atelier_sandbox_server_set_fal_delay_ms (fixture->server, 3000);
  base_url = atelier_sandbox_server_dup_base_url (fixture->server);
  fixture->client = atelier_fal_client_new (base_url, FAL_KEY, &error);
  g_assert_no_error (error);
  atelier_fal_client_set_poll_interval_ms (fixture->client, 20);

  fixture->dir = g_dir_make_tmp ("atelier-faceid-jobs-XXXXXX", &error);
  g_assert_no_error (error);
  cache_dir = g_build_filename (fixture->dir, "cache", NULL);
  library_dir = g_build_filename (fixture->dir, "library", NULL);
  fixture->jobs_dir = g_build_filename (fixture->dir, "faceid", NULL);
  fixture->cache = atelier_image_cache_new (NULL, cache_dir);
  fixture->library = atelier_library_new (fixture->cache, library_dir);
  atelier_library_set_account (fixture->library, ACCOUNT);
  atelier_test_wait_until (atelier_library_is_loaded (fixture->library), WAIT_MS);

  fixture->states = g_array_new (FALSE, FALSE, sizeof (AtelierFaceidJobState));
  fixture->max_position = -1;
  fixture->jobs = new_jobs (fixture);
}

/* Waits for the files to land, then drops @jobs and asserts it is gone. */
static void
drop_jobs (AtelierFaceidJobs **jobs)
{
  atelier_test_wait_until (!atelier_faceid_jobs_is_writing (*jobs), WAIT_MS);
  g_assert_finalize_object (g_steal_pointer (jobs));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  if (fixture->jobs != NULL)
    drop_jobs (&fixture->jobs);

  /* The library's writes in flight hold it: wait for them to land. */
  g_object_add_weak_pointer (G_OBJECT (fixture->library), (gpointer *) &fixture->library);
  g_object_add_weak_pointer (G_OBJECT (fixture->cache), (gpointer *) &fixture->cache);
  g_object_unref (fixture->library);
  g_object_unref (fixture->cache);
  atelier_test_wait_until (fixture->library == NULL && fixture->cache == NULL, WAIT_MS);
  /* Calls cancelled with the jobs hold the client until they return. */
  atelier_test_wait_until (G_OBJECT (fixture->client)->ref_count == 1, WAIT_MS);
  g_assert_finalize_object (fixture->client);
  atelier_test_server_free (fixture->server);
  atelier_test_rm_rf (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->jobs_dir);
  g_array_unref (fixture->states);
  g_unsetenv ("ATELIER_SANDBOX_FAL_URL_TTL_MS");
}

static JsonObject *
make_input (const char *prompt)
{
  JsonObject *input = json_object_new ();

  if (prompt != NULL)
    json_object_set_string_member (input, "prompt", prompt);
  json_object_set_string_member (input, "negative_prompt", "blurry");
  json_object_set_string_member (input, "model_type", "1_5-v1-plus");
  json_object_set_double_member (input, "guidance_scale", 4.5);
  json_object_set_int_member (input, "num_inference_steps", 30);
  json_object_set_int_member (input, "width", 512);
  json_object_set_int_member (input, "height", 640);
  return input;
}

/* Prepared faces, as the page gives them. */
static GPtrArray *
make_faces (guint n)
{
  GPtrArray *faces = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GBytes) photo = atelier_test_make_image (800, 700, 7 + i, "jpeg");
      g_autoptr(GError) error = NULL;
      GBytes *face = atelier_fal_face_prepare (photo, NULL, NULL, &error);

      g_assert_no_error (error);
      g_ptr_array_add (faces, face);
    }

  return faces;
}

static AtelierFaceidJob *
submit (Fixture    *fixture,
        const char *prompt,
        guint       n_faces)
{
  g_autoptr(JsonObject) input = make_input (prompt);
  g_autoptr(GPtrArray) faces = make_faces (n_faces);
  g_autoptr(GError) error = NULL;
  AtelierFaceidJob *job;

  job = atelier_faceid_jobs_submit (fixture->jobs, input, NULL, faces, "portrait.jpg", &error);
  g_assert_no_error (error);
  g_assert_nonnull (job);
  g_signal_connect (job, "notify::state", G_CALLBACK (state_cb), fixture);
  g_signal_connect (job, "notify::queue-position", G_CALLBACK (position_cb), fixture);
  g_signal_connect (job, "notify::logs", G_CALLBACK (logs_cb), fixture);

  return job;
}

static char *
job_path (Fixture          *fixture,
          AtelierFaceidJob *job,
          const char       *name)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, ACCOUNT, -1);

  return g_build_filename (fixture->jobs_dir, hash, atelier_faceid_job_get_id (job), name, NULL);
}

static gboolean
file_says (const char *path,
           const char *text)
{
  g_autofree char *contents = NULL;

  return g_file_get_contents (path, &contents, NULL, NULL) && strstr (contents, text) != NULL;
}

static gboolean
saw_state (Fixture               *fixture,
           AtelierFaceidJobState  state)
{
  for (guint i = 0; i < fixture->states->len; i++)
    {
      if (g_array_index (fixture->states, AtelierFaceidJobState, i) == state)
        return TRUE;
    }
  return FALSE;
}

#define wait_state(job, state) \
  atelier_test_wait_until (atelier_faceid_job_get_state (job) == (state), WAIT_MS)

static guint
count_submits (Fixture *fixture)
{
  return atelier_sandbox_server_count_requests (fixture->server, "POST", FAL_PATH);
}

/* The kept image file of @prompt_id, decoded. */
static void
assert_kept (AtelierLibrary *library,
             gint64          prompt_id)
{
  g_autofree char *uri = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  AtelierPrompt *prompt;

  prompt = atelier_library_get_prompt (library, prompt_id);
  g_assert_nonnull (prompt);
  g_assert_cmpstr (atelier_prompt_get_source (prompt), ==, ATELIER_PROMPT_SOURCE_FACEID_FAL);
  g_assert_nonnull (atelier_prompt_get_faceid (prompt));
  atelier_test_wait_until ((uri = atelier_library_dup_image_uri (library, prompt_id, 0)) != NULL, WAIT_MS);
  path = g_filename_from_uri (uri, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  /* By type: the isolated XDG dirs have no MIME database to sniff with. */
  loader = gdk_pixbuf_loader_new_with_type ("jpeg", &error);
  g_assert_no_error (error);
  gdk_pixbuf_loader_write (loader, (const guchar *) contents, length, &error);
  g_assert_no_error (error);
  gdk_pixbuf_loader_close (loader, &error);
  g_assert_no_error (error);
  pixbuf = g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), >, 0);
}

static void
test_done (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(AtelierSandboxRequest) request = NULL;
  g_autoptr(GPtrArray) faces = make_faces (1);
  g_autofree char *json_path = NULL;
  g_autofree char *face_path = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *encoded = NULL;
  AtelierFaceidJob *job;
  AtelierPrompt *prompt;
  JsonObject *body;
  JsonObject *faceid;
  const char *url;
  gint64 prompt_id;

  job = submit (fixture, "ohwx man as an astronaut", 1);

  /* Listed at once, and on disk before it was sent */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->jobs)), ==, 1);
  g_assert_cmpint (atelier_faceid_job_get_state (job), ==, ATELIER_FACEID_JOB_SUBMITTING);
  g_assert_true (atelier_faceid_job_can_cancel (job));
  g_assert_cmpstr (atelier_faceid_job_get_face_label (job), ==, "portrait.jpg");
  g_assert_cmpstr (atelier_faceid_job_get_prompt_text (job), ==, "ohwx man as an astronaut");
  g_assert_false (json_object_has_member (atelier_faceid_job_get_input (job), "face_image_url"));

  wait_state (job, ATELIER_FACEID_JOB_DONE);
  g_assert_true (saw_state (fixture, ATELIER_FACEID_JOB_IN_QUEUE));
  g_assert_true (saw_state (fixture, ATELIER_FACEID_JOB_IN_PROGRESS));
  g_assert_true (saw_state (fixture, ATELIER_FACEID_JOB_SAVING));
  g_assert_cmpint (fixture->max_position, >=, 0);
  g_assert_cmpuint (fixture->max_logs, >, 0);
  g_assert_cmpuint (fixture->n_finished, ==, 1);
  g_assert_null (atelier_faceid_job_get_error (job));
  g_assert_nonnull (atelier_faceid_job_get_request_id (job));

  /* The exact JSON fal received: the face as a JPEG data URL */
  g_assert_cmpuint (count_submits (fixture), ==, 1);
  request = atelier_sandbox_server_dup_last_request (fixture->server, "POST", FAL_PATH);
  body = json_node_get_object (atelier_sandbox_request_get_json (request));
  g_assert_cmpstr (json_object_get_string_member (body, "prompt"), ==, "ohwx man as an astronaut");
  g_assert_cmpstr (json_object_get_string_member (body, "model_type"), ==, "1_5-v1-plus");
  g_assert_cmpint (json_object_get_int_member (body, "height"), ==, 640);
  g_assert_false (json_object_has_member (body, "face_images_data_url"));
  url = json_object_get_string_member (body, "face_image_url");
  encoded = g_base64_encode (g_bytes_get_data (g_ptr_array_index (faces, 0), NULL),
                             g_bytes_get_size (g_ptr_array_index (faces, 0)));
  expected = g_strconcat ("data:image/jpeg;base64,", encoded, NULL);
  g_assert_cmpstr (url, ==, expected);
  g_assert_cmpstr (atelier_sandbox_request_get_header (request, "Authorization"), ==, "Key " FAL_KEY);

  /* Kept in the library as a FaceID result */
  prompt_id = atelier_faceid_job_get_prompt_id (job);
  g_assert_cmpint (prompt_id, <, 0);
  assert_kept (fixture->library, prompt_id);
  prompt = atelier_library_get_prompt (fixture->library, prompt_id);
  g_assert_cmpstr (atelier_prompt_get_text (prompt), ==, "ohwx man as an astronaut");
  g_assert_cmpstr (atelier_prompt_get_negative_prompt (prompt), ==, "blurry");
  g_assert_cmpint (atelier_prompt_get_seed (prompt), >=, 0);
  faceid = atelier_prompt_get_faceid (prompt);
  g_assert_cmpstr (json_object_get_string_member (faceid, "request_id"), ==,
                   atelier_faceid_job_get_request_id (job));
  g_assert_cmpstr (json_object_get_string_member (faceid, "face"), ==, "portrait.jpg");
  g_assert_cmpstr (json_object_get_string_member (faceid, "model_type"), ==, "1_5-v1-plus");
  g_assert_false (json_object_has_member (json_object_get_object_member (faceid, "input"), "face_image_url"));

  /* The folder: the state without the data URL, and the face */
  atelier_test_wait_until (!atelier_faceid_jobs_is_writing (fixture->jobs), WAIT_MS);
  json_path = job_path (fixture, job, "job.json");
  face_path = job_path (fixture, job, "face-1.jpg");
  g_assert_true (file_says (json_path, "\"done\""));
  g_assert_false (file_says (json_path, "data:"));
  g_assert_true (g_file_test (face_path, G_FILE_TEST_IS_REGULAR));

  /* Removing forgets the job and its folder, not the image */
  atelier_faceid_jobs_remove (fixture->jobs, job);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->jobs)), ==, 0);
  atelier_test_wait_until (!atelier_faceid_jobs_is_writing (fixture->jobs), WAIT_MS);
  g_assert_false (g_file_test (json_path, G_FILE_TEST_EXISTS));
  g_assert_true (atelier_library_contains (fixture->library, prompt_id));
}

static void
test_several_faces (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(AtelierSandboxRequest) request = NULL;
  AtelierFaceidJob *job;
  JsonObject *body;

  job = submit (fixture, "ohwx woman, oil painting", 3);
  g_assert_cmpstr (atelier_faceid_job_get_face_label (job), ==, "portrait.jpg");
  wait_state (job, ATELIER_FACEID_JOB_DONE);

  request = atelier_sandbox_server_dup_last_request (fixture->server, "POST", FAL_PATH);
  body = json_node_get_object (atelier_sandbox_request_get_json (request));
  g_assert_false (json_object_has_member (body, "face_image_url"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (body, "face_images_data_url"),
                                   "data:application/zip;base64,"));
  g_assert_false (json_object_has_member (atelier_faceid_job_get_input (job), "face_images_data_url"));
}

static void
test_restart (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autofree char *id = NULL;
  AtelierFaceidJob *job;

  job = submit (fixture, "ohwx man in a garden", 1);
  id = g_strdup (atelier_faceid_job_get_id (job));
  wait_state (job, ATELIER_FACEID_JOB_IN_QUEUE);

  /* The app stops while fal works on it… */
  drop_jobs (&fixture->jobs);

  /* …and the next start lists the job and polls it to the end */
  fixture->jobs = new_jobs (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->jobs)), ==, 1);
  job = atelier_faceid_jobs_lookup (fixture->jobs, id);
  g_assert_nonnull (job);
  g_assert_true (atelier_faceid_job_is_active (job));
  g_assert_nonnull (atelier_faceid_job_get_request_id (job));
  g_assert_cmpstr (atelier_faceid_job_get_face_label (job), ==, "portrait.jpg");
  wait_state (job, ATELIER_FACEID_JOB_DONE);
  assert_kept (fixture->library, atelier_faceid_job_get_prompt_id (job));
  g_assert_cmpuint (count_submits (fixture), ==, 1);

  /* Done stays done */
  drop_jobs (&fixture->jobs);
  fixture->jobs = new_jobs (fixture);
  job = atelier_faceid_jobs_lookup (fixture->jobs, id);
  g_assert_cmpint (atelier_faceid_job_get_state (job), ==, ATELIER_FACEID_JOB_DONE);
  g_assert_cmpint (atelier_faceid_job_get_prompt_id (job), <, 0);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  user_data)
{
  AtelierFaceidJob *job;

  atelier_sandbox_server_set_fal_delay_ms (fixture->server, 60000);
  job = submit (fixture, "ohwx man", 1);
  wait_state (job, ATELIER_FACEID_JOB_IN_QUEUE);

  atelier_faceid_jobs_cancel (fixture->jobs, job);
  wait_state (job, ATELIER_FACEID_JOB_CANCELLED);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (fixture->server, "PUT", FAL_PATH), ==, 1);
  g_assert_false (atelier_faceid_job_is_active (job));
  g_assert_true (atelier_faceid_job_can_retry (job));
  g_assert_cmpuint (fixture->n_finished, ==, 0);
}

static void
test_cancel_while_sending (Fixture       *fixture,
                           gconstpointer  user_data)
{
  AtelierFaceidJob *job;

  job = submit (fixture, "ohwx man", 1);
  atelier_faceid_jobs_cancel (fixture->jobs, job);
  g_assert_cmpint (atelier_faceid_job_get_state (job), ==, ATELIER_FACEID_JOB_CANCELLED);
  atelier_test_wait_until (!atelier_faceid_jobs_is_writing (fixture->jobs), WAIT_MS);
  g_assert_cmpuint (count_submits (fixture), ==, 0);
  g_assert_cmpint (atelier_faceid_job_get_state (job), ==, ATELIER_FACEID_JOB_CANCELLED);
}

static void
add_fault (Fixture    *fixture,
           const char *method,
           const char *path,
           guint       status,
           guint       times)
{
  AtelierSandboxFault fault = {
    .method = method, .path = path, .kind = ATELIER_SANDBOX_FAULT_STATUS,
    .status = status, .times = times,
  };

  atelier_sandbox_server_add_fault (fixture->server, &fault);
}

static void
test_lost (Fixture       *fixture,
           gconstpointer  user_data)
{
  AtelierFaceidJob *job;

  atelier_sandbox_server_set_fal_delay_ms (fixture->server, 60000);
  job = submit (fixture, "ohwx man", 1);
  wait_state (job, ATELIER_FACEID_JOB_IN_QUEUE);

  /* fal forgot it */
  add_fault (fixture, "GET", FAL_PATH "/requests/", 404, 0);
  wait_state (job, ATELIER_FACEID_JOB_LOST);
  g_assert_error (atelier_faceid_job_get_error (job), ATELIER_API_ERROR, ATELIER_API_ERROR_NOT_FOUND);
  g_assert_true (atelier_faceid_job_can_retry (job));
  /* Never sent again on its own */
  g_assert_cmpuint (count_submits (fixture), ==, 1);
}

static void
test_unsure_then_retry (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autofree char *json_path = NULL;
  AtelierFaceidJob *job;

  atelier_sandbox_server_set_fal_delay_ms (fixture->server, 600);
  add_fault (fixture, "POST", FAL_PATH, 500, 1);
  job = submit (fixture, "ohwx man by the sea", 1);
  wait_state (job, ATELIER_FACEID_JOB_UNSURE);
  g_assert_nonnull (atelier_faceid_job_get_error (job));
  g_assert_null (atelier_faceid_job_get_request_id (job));
  g_assert_cmpuint (count_submits (fixture), ==, 1);
  atelier_test_wait_until (!atelier_faceid_jobs_is_writing (fixture->jobs), WAIT_MS);
  json_path = job_path (fixture, job, "job.json");
  g_assert_true (file_says (json_path, "\"unsure\""));

  /* Sent again from the stored input and face, read back from the folder */
  drop_jobs (&fixture->jobs);
  fixture->jobs = new_jobs (fixture);
  job = g_list_model_get_item (G_LIST_MODEL (fixture->jobs), 0);
  g_object_unref (job);
  g_assert_cmpint (atelier_faceid_job_get_state (job), ==, ATELIER_FACEID_JOB_UNSURE);
  atelier_faceid_jobs_retry (fixture->jobs, job);
  g_assert_cmpint (atelier_faceid_job_get_state (job), ==, ATELIER_FACEID_JOB_SUBMITTING);
  g_assert_null (atelier_faceid_job_get_error (job));
  wait_state (job, ATELIER_FACEID_JOB_DONE);
  g_assert_cmpuint (count_submits (fixture), ==, 2);
  assert_kept (fixture->library, atelier_faceid_job_get_prompt_id (job));

  {
    g_autoptr(AtelierSandboxRequest) request = atelier_sandbox_server_dup_last_request (fixture->server, "POST",
                                                                                        FAL_PATH);
    JsonObject *body = json_node_get_object (atelier_sandbox_request_get_json (request));

    g_assert_true (g_str_has_prefix (json_object_get_string_member (body, "face_image_url"),
                                     "data:image/jpeg;base64,"));
  }
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  user_data)
{
  AtelierFaceidJob *job;

  add_fault (fixture, "POST", FAL_PATH, 401, 1);
  job = submit (fixture, "ohwx man", 1);
  wait_state (job, ATELIER_FACEID_JOB_REFUSED);
  g_assert_error (atelier_faceid_job_get_error (job), ATELIER_API_ERROR, ATELIER_API_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (count_submits (fixture), ==, 1);
}

static void
test_fal_failure (Fixture       *fixture,
                  gconstpointer  user_data)
{
  AtelierFaceidJob *job;

  atelier_sandbox_server_set_fal_delay_ms (fixture->server, 300);
  job = submit (fixture, "ohwx man sandbox:fail", 1);
  wait_state (job, ATELIER_FACEID_JOB_FAILED);
  g_assert_error (atelier_faceid_job_get_error (job), ATELIER_API_ERROR, ATELIER_API_ERROR_FAILED);
  g_assert_nonnull (strstr (atelier_faceid_job_get_error (job)->message, "The model failed while generating."));
  g_assert_cmpuint (fixture->n_finished, ==, 1);
  g_assert_cmpint (atelier_faceid_job_get_prompt_id (job), ==, 0);
  g_assert_true (atelier_faceid_job_can_retry (job));
}

static void
add_fault_full (Fixture                 *fixture,
                AtelierSandboxFaultKind  kind,
                const char              *path,
                guint                    status,
                const char              *body,
                guint                    retry_after_s,
                guint                    times)
{
  AtelierSandboxFault fault = {
    .method = "GET", .path = path, .kind = kind, .status = status, .body = body,
    .retry_after_s = retry_after_s, .times = times,
  };

  atelier_sandbox_server_add_fault (fixture->server, &fault);
}

static void
rate_limited_cb (AtelierFaceidJob *job,
                 GParamSpec       *pspec,
                 guint            *n_rate_limited)
{
  if (atelier_faceid_job_is_rate_limited (job))
    (*n_rate_limited)++;
}

static void
test_rate_limited (Fixture       *fixture,
                   gconstpointer  user_data)
{
  guint n_status_before;
  guint n_rate_limited = 0;
  gint64 waited_from;
  AtelierFaceidJob *job;

  atelier_sandbox_server_set_fal_delay_ms (fixture->server, 600);
  job = submit (fixture, "ohwx man in the snow", 1);
  g_signal_connect (job, "notify::rate-limited", G_CALLBACK (rate_limited_cb), &n_rate_limited);
  wait_state (job, ATELIER_FACEID_JOB_IN_QUEUE);

  /* fal says 429 to the first call and the client's five retries (one
   * second each, as Retry-After says): the client gives up, the job waits */
  add_fault_full (fixture, ATELIER_SANDBOX_FAULT_STATUS, FAL_PATH "/requests/", 429, NULL, 1, 6);
  atelier_test_wait_until (atelier_faceid_job_is_rate_limited (job), WAIT_MS);
  g_assert_cmpuint (n_rate_limited, ==, 1);
  g_assert_true (atelier_faceid_job_is_active (job));
  g_assert_null (atelier_faceid_job_get_error (job));

  /* It backs off (at least 30 poll intervals of 20 ms) without asking… */
  waited_from = g_get_monotonic_time ();
  n_status_before = atelier_sandbox_server_count_requests (fixture->server, "GET", FAL_PATH "/requests/");
  atelier_test_wait_until (!atelier_faceid_job_is_rate_limited (job), WAIT_MS);
  g_assert_cmpint (g_get_monotonic_time () - waited_from, >=, 30 * 20 * 1000 - 50 * 1000);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (fixture->server, "GET", FAL_PATH "/requests/"), ==,
                    n_status_before + 1);

  /* …then polls again to the end */
  wait_state (job, ATELIER_FACEID_JOB_DONE);
  g_assert_false (atelier_faceid_job_is_rate_limited (job));
  g_assert_cmpuint (count_submits (fixture), ==, 1);
  assert_kept (fixture->library, atelier_faceid_job_get_prompt_id (job));
}

static void
test_unauthorized_while_polling (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  g_autofree char *request_id = NULL;
  g_autofree char *json_path = NULL;
  const GError *error;
  AtelierFaceidJob *job;

  atelier_sandbox_server_set_fal_delay_ms (fixture->server, 600);
  job = submit (fixture, "ohwx man on a bike", 1);
  wait_state (job, ATELIER_FACEID_JOB_IN_QUEUE);
  request_id = g_strdup (atelier_faceid_job_get_request_id (job));
  g_assert_nonnull (request_id);

  /* The key is refused while the request is checked */
  add_fault (fixture, "GET", FAL_PATH "/requests/", 401, 1);
  wait_state (job, ATELIER_FACEID_JOB_FAILED);
  error = atelier_faceid_job_get_error (job);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "Check the key in Preferences"));
  g_assert_nonnull (strstr (error->message, "the request is kept"));
  g_assert_cmpstr (atelier_faceid_job_get_request_id (job), ==, request_id);
  g_assert_true (atelier_faceid_job_can_retry (job));
  g_assert_cmpuint (fixture->n_finished, ==, 1);
  atelier_test_wait_until (!atelier_faceid_jobs_is_writing (fixture->jobs), WAIT_MS);
  json_path = job_path (fixture, job, "job.json");
  g_assert_true (file_says (json_path, request_id));
  g_assert_true (file_says (json_path, "\"poll\""));

  /* Retry asks about the same request: nothing is sent again */
  atelier_faceid_jobs_retry (fixture->jobs, job);
  g_assert_cmpint (atelier_faceid_job_get_state (job), ==, ATELIER_FACEID_JOB_IN_QUEUE);
  g_assert_null (atelier_faceid_job_get_error (job));
  wait_state (job, ATELIER_FACEID_JOB_DONE);
  g_assert_cmpstr (atelier_faceid_job_get_request_id (job), ==, request_id);
  g_assert_cmpuint (count_submits (fixture), ==, 1);
  assert_kept (fixture->library, atelier_faceid_job_get_prompt_id (job));
}

static void
test_dropped_while_polling (Fixture       *fixture,
                            gconstpointer  user_data)
{
  AtelierFaceidJob *job;

  atelier_sandbox_server_set_fal_delay_ms (fixture->server, 600);
  job = submit (fixture, "ohwx woman reading", 1);
  wait_state (job, ATELIER_FACEID_JOB_IN_QUEUE);

  /* The connection drops on three polls in a row */
  add_fault_full (fixture, ATELIER_SANDBOX_FAULT_DROP, FAL_PATH "/requests/", 0, NULL, 0, 3);
  wait_state (job, ATELIER_FACEID_JOB_DONE);
  g_assert_false (saw_state (fixture, ATELIER_FACEID_JOB_FAILED));
  g_assert_false (saw_state (fixture, ATELIER_FACEID_JOB_LOST));
  g_assert_null (atelier_faceid_job_get_error (job));
  g_assert_cmpuint (count_submits (fixture), ==, 1);
  assert_kept (fixture->library, atelier_faceid_job_get_prompt_id (job));
}

static void
test_result_without_image (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autofree char *status_path = NULL;
  g_autofree char *result_path = NULL;
  AtelierFaceidJob *job;

  atelier_sandbox_server_set_fal_delay_ms (fixture->server, 600);
  job = submit (fixture, "ohwx man, charcoal", 1);
  wait_state (job, ATELIER_FACEID_JOB_IN_QUEUE);

  /* The status path answers as ever (the first fault that matches wins);
   * the result, a prefix of it, answers without an image */
  status_path = g_strdup_printf (FAL_PATH "/requests/%s/status", atelier_faceid_job_get_request_id (job));
  result_path = g_strdup_printf (FAL_PATH "/requests/%s", atelier_faceid_job_get_request_id (job));
  add_fault_full (fixture, ATELIER_SANDBOX_FAULT_DELAY, status_path, 0, NULL, 0, 0);
  add_fault_full (fixture, ATELIER_SANDBOX_FAULT_STATUS, result_path, 200, "{\"seed\": 1}", 0, 0);

  wait_state (job, ATELIER_FACEID_JOB_FAILED);
  g_assert_true (saw_state (fixture, ATELIER_FACEID_JOB_SAVING));
  g_assert_nonnull (atelier_faceid_job_get_error (job));
  g_assert_nonnull (strstr (atelier_faceid_job_get_error (job)->message, "fal.ai finished without an image."));
  g_assert_cmpint (atelier_faceid_job_get_prompt_id (job), ==, 0);
  g_assert_cmpuint (fixture->n_finished, ==, 1);
  g_assert_true (atelier_faceid_job_can_retry (job));
}

static void
test_cancel_in_progress (Fixture       *fixture,
                         gconstpointer  user_data)
{
  AtelierFaceidJob *job;

  job = submit (fixture, "ohwx man at dusk", 1);
  wait_state (job, ATELIER_FACEID_JOB_IN_PROGRESS);

  /* fal cancels only before processing: refused here, nothing sent */
  g_assert_false (atelier_faceid_job_can_cancel (job));
  atelier_faceid_jobs_cancel (fixture->jobs, job);
  g_assert_cmpint (atelier_faceid_job_get_state (job), ==, ATELIER_FACEID_JOB_IN_PROGRESS);
  g_assert_true (atelier_faceid_job_is_active (job));
  g_assert_cmpuint (atelier_sandbox_server_count_requests (fixture->server, "PUT", FAL_PATH), ==, 0);

  wait_state (job, ATELIER_FACEID_JOB_DONE);
  g_assert_false (saw_state (fixture, ATELIER_FACEID_JOB_CANCELLED));
  g_assert_cmpuint (atelier_sandbox_server_count_requests (fixture->server, "PUT", FAL_PATH), ==, 0);
}

/* GET @url until it answers 404. */
static gboolean
is_gone (SoupSession *session,
         const char  *url)
{
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = soup_session_send_and_read (session, message, NULL, NULL);

  return soup_message_get_status (message) == SOUP_STATUS_NOT_FOUND;
}

static void
test_url_expired (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(AtelierLibrary) library = NULL;
  g_autoptr(AtelierImageCache) cache = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *library_dir = g_build_filename (fixture->dir, "library", NULL);
  g_autofree char *cache_dir = g_build_filename (fixture->dir, "cache-2", NULL);
  AtelierFaceidJob *job;
  AtelierPrompt *prompt;
  gint64 prompt_id;

  atelier_sandbox_server_set_fal_delay_ms (fixture->server, 300);
  job = submit (fixture, "ohwx woman in the rain", 1);
  wait_state (job, ATELIER_FACEID_JOB_DONE);
  prompt_id = atelier_faceid_job_get_prompt_id (job);
  prompt = atelier_library_get_prompt (fixture->library, prompt_id);

  /* fal's URL is gone… */
  atelier_test_wait_until (is_gone (session, atelier_prompt_get_images (prompt)[0]), WAIT_MS);

  /* …and the library still has the image, read afresh from disk */
  cache = atelier_image_cache_new (NULL, cache_dir);
  library = atelier_library_new (cache, library_dir);
  atelier_library_set_account (library, ACCOUNT);
  atelier_test_wait_until (atelier_library_is_loaded (library), WAIT_MS);
  assert_kept (library, prompt_id);
}

static void
test_invalid (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(JsonObject) no_prompt = make_input (NULL);
  g_autoptr(JsonObject) too_wide = make_input ("ohwx man");
  g_autoptr(JsonObject) no_face = make_input ("ohwx man");
  g_autoptr(GPtrArray) faces = make_faces (1);
  g_autoptr(GError) error = NULL;

  g_assert_null (atelier_faceid_jobs_submit (fixture->jobs, no_prompt, NULL, faces, "a.jpg", &error));
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM);
  g_assert_true (g_str_has_prefix (error->message, "prompt: "));
  g_clear_error (&error);

  json_object_set_int_member (too_wide, "width", 2000);
  g_assert_null (atelier_faceid_jobs_submit (fixture->jobs, too_wide, NULL, faces, "a.jpg", &error));
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM);
  g_assert_true (g_str_has_prefix (error->message, "width: "));
  g_clear_error (&error);

  g_assert_null (atelier_faceid_jobs_submit (fixture->jobs, no_face, NULL, NULL, "a.jpg", &error));
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM);
  g_clear_error (&error);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->jobs)), ==, 0);
  g_assert_cmpuint (count_submits (fixture), ==, 0);
}

static void
test_face_url (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(JsonObject) input = make_input ("ohwx man on a boat");
  g_autoptr(AtelierSandboxRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  const char *url = "https://sdbooth2-production.s3.amazonaws.com/face.jpg";
  AtelierFaceidJob *job;
  JsonObject *body;

  job = atelier_faceid_jobs_submit (fixture->jobs, input, url, NULL, "An Astria image", &error);
  g_assert_no_error (error);
  wait_state (job, ATELIER_FACEID_JOB_IN_QUEUE);
  request = atelier_sandbox_server_dup_last_request (fixture->server, "POST", FAL_PATH);
  body = json_node_get_object (atelier_sandbox_request_get_json (request));
  g_assert_cmpstr (json_object_get_string_member (body, "face_image_url"), ==, url);
  /* An https face is part of the input */
  g_assert_cmpstr (json_object_get_string_member (atelier_faceid_job_get_input (job), "face_image_url"), ==, url);
}

/* The models' warnings, while a test listens. */
static GString *captured_log;

static GLogWriterOutput
capture_log_writer (GLogLevelFlags   level,
                    const GLogField *fields,
                    gsize            n_fields,
                    gpointer         user_data)
{
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
        domain = fields[i].value;
      else if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
        message = fields[i].value;
    }

  if (captured_log != NULL && (level & G_LOG_LEVEL_WARNING) != 0 &&
      g_strcmp0 (domain, "Atelier") == 0 && message != NULL)
    {
      g_string_append (captured_log, message);
      g_string_append_c (captured_log, '\n');
      return G_LOG_WRITER_HANDLED;
    }

  return g_log_writer_default (level, fields, n_fields, user_data);
}

static void
test_corrupt_file (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, ACCOUNT, -1);
  g_autofree char *bad_dir = g_build_filename (fixture->jobs_dir, hash, "broken", NULL);
  g_autofree char *bad = g_build_filename (bad_dir, "job.json", NULL);
  g_autofree char *deep_dir = g_build_filename (fixture->jobs_dir, hash, "deep", NULL);
  g_autofree char *deep = g_build_filename (deep_dir, "job.json", NULL);
  g_autoptr(GString) nested = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  AtelierFaceidJob *job;

  /* A good one next to them */
  atelier_sandbox_server_set_fal_delay_ms (fixture->server, 300);
  job = submit (fixture, "ohwx man", 1);
  wait_state (job, ATELIER_FACEID_JOB_DONE);
  drop_jobs (&fixture->jobs);

  g_assert_cmpint (g_mkdir_with_parents (bad_dir, 0700), ==, 0);
  g_file_set_contents (bad, "{\"version\": 1, \"id\": \"broken\", \"state\": \"in-q", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (deep_dir, 0700), ==, 0);
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (nested, '[');
  g_file_set_contents (deep, nested->str, nested->len, &error);
  g_assert_no_error (error);

  captured_log = g_string_new (NULL);
  fixture->jobs = new_jobs (fixture);
  g_assert_true (g_regex_match_simple ("^Skipping a FaceID job .*/broken/job\\.json: ", captured_log->str,
                                       G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^Skipping a FaceID job .*/deep/job\\.json: ", captured_log->str,
                                       G_REGEX_MULTILINE, 0));
  g_string_free (g_steal_pointer (&captured_log), TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->jobs)), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_log_set_writer_func (capture_log_writer, NULL, NULL);

#define ADD(path, func, data) \
  g_test_add ("/faceid-jobs/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("done", test_done, NULL);
  ADD ("several-faces", test_several_faces, NULL);
  ADD ("face-url", test_face_url, NULL);
  ADD ("restart", test_restart, NULL);
  ADD ("cancel", test_cancel, NULL);
  ADD ("cancel-while-sending", test_cancel_while_sending, NULL);
  ADD ("lost", test_lost, NULL);
  ADD ("unsure-then-retry", test_unsure_then_retry, NULL);
  ADD ("refused", test_refused, NULL);
  ADD ("fal-failure", test_fal_failure, NULL);
  ADD ("url-expired", test_url_expired, "400");
  ADD ("invalid", test_invalid, NULL);
  ADD ("corrupt-file", test_corrupt_file, NULL);
  ADD ("rate-limited", test_rate_limited, NULL);
  ADD ("unauthorized-while-polling", test_unauthorized_while_polling, NULL);
  ADD ("dropped-while-polling", test_dropped_while_polling, NULL);
  ADD ("result-without-image", test_result_without_image, NULL);
  ADD ("cancel-in-progress", test_cancel_in_progress, NULL);

  return g_test_run ();
}
