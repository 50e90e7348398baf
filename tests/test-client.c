/* test-client.c: every Astria endpoint through the real client and the
 * real sandbox server, over HTTP on 127.0.0.1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "atelier-astria-client.h"
#include "atelier-test-utils.h"

typedef struct
{
  AtelierSandboxServer *server;
  AtelierAstriaClient  *client;
  char                 *photos;   /* a temporary folder of photos */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base_url = NULL;

  fixture->server = atelier_test_server_new ();
  atelier_sandbox_server_set_api_key (fixture->server, "sd_test_key");
  base_url = atelier_sandbox_server_dup_base_url (fixture->server);

  fixture->client = atelier_astria_client_new (base_url, "sd_test_key", &error);
  g_assert_no_error (error);
  atelier_astria_client_set_retry_base_delay_ms (fixture->client, 20);

  fixture->photos = g_dir_make_tmp ("atelier-photos-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_assert_finalize_object (fixture->client);
  atelier_test_server_free (fixture->server);
  atelier_test_rm_rf (fixture->photos);
  g_free (fixture->photos);
}

static AtelierTuneParams *
new_tune_params (const char *readable,
                 const char *branch)
{
  AtelierTuneParams *params = atelier_tune_params_new ();
  g_autofree char *title = atelier_tune_title_with_uuid (readable);

  atelier_params_set_string (ATELIER_PARAMS (params), "title", title);
  atelier_params_set_string (ATELIER_PARAMS (params), "name", "man");
  atelier_params_set_string (ATELIER_PARAMS (params), "branch", branch);

  return params;
}

static AtelierTune *
create_tune (Fixture           *fixture,
             AtelierTuneParams *params)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  AtelierTune *tune;

  atelier_astria_client_create_tune_async (fixture->client, params, NULL, NULL, NULL,
                                           atelier_test_store_result, &result);
  tune = atelier_astria_client_create_tune_finish (fixture->client,
                                                   atelier_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (tune);

  return tune;
}

static AtelierTune *
create_fast_tune (Fixture    *fixture,
                  const char *readable)
{
  g_autoptr(AtelierTuneParams) params = new_tune_params (readable, "fast");
  g_autoptr(GFile) photo = atelier_test_write_image (fixture->photos, "face.jpg", 640, 640, 1, "jpeg");

  atelier_tune_params_add_image (params, photo);
  return create_tune (fixture, params);
}

typedef struct
{
  GArray *sent;
  goffset total;
} Progress;

static void
progress_cb (goffset  sent,
             goffset  total,
             gpointer user_data)
{
  Progress *progress = user_data;

  g_array_append_val (progress->sent, sent);
  progress->total = total;
}

static void
assert_progress_complete (Progress *progress)
{
  g_assert_cmpuint (progress->sent->len, >, 0);
  g_assert_cmpint (progress->total, >, 0);
  for (guint i = 1; i < progress->sent->len; i++)
    g_assert_cmpint (g_array_index (progress->sent, goffset, i), >=,
                     g_array_index (progress->sent, goffset, i - 1));
  g_assert_cmpint (g_array_index (progress->sent, goffset, progress->sent->len - 1), ==,
                   progress->total);
}

static void
assert_field (AtelierSandboxRequest *request,
              const char            *name,
              const char            *expected)
{
  g_assert_cmpstr (atelier_sandbox_request_get_field (request, name), ==, expected);
}

static void
test_create_tune_multipart (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(AtelierTuneParams) params = new_tune_params ("Jane headshots", "fast");
  g_autoptr(AtelierPromptParams) prompt = atelier_prompt_params_new ();
  g_autoptr(GFile) photo1 = atelier_test_write_image (fixture->photos, "a.jpg", 800, 600, 1, "jpeg");
  g_autoptr(GFile) photo2 = atelier_test_write_image (fixture->photos, "b.png", 600, 800, 2, "png");
  g_autoptr(AtelierSandboxRequest) request = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(AtelierTune) tune = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) sent = g_array_new (FALSE, FALSE, sizeof (goffset));
  g_auto(GStrv) urls = NULL;
  Progress progress = { sent, 0 };
  GPtrArray *files;
  const char *title;

  atelier_params_set_int (ATELIER_PARAMS (params), "base_tune_id", 690204);
  atelier_params_set_string (ATELIER_PARAMS (params), "token", "ohwx");
  atelier_params_set_boolean (ATELIER_PARAMS (params), "face_crop", TRUE);
  atelier_params_set_boolean (ATELIER_PARAMS (params), "auto_extend", FALSE);
  atelier_tune_params_add_image (params, photo1);
  atelier_tune_params_add_image (params, photo2);
  atelier_tune_params_set_characteristic (params, "eye_color", "blue eyes");
  atelier_params_set_string (ATELIER_PARAMS (prompt), "text", "ohwx man on the cover of time magazine");
  atelier_params_set_boolean (ATELIER_PARAMS (prompt), "super_resolution", TRUE);
  atelier_tune_params_add_prompt (params, prompt);
  title = atelier_params_get_string (ATELIER_PARAMS (params), "title");

  atelier_astria_client_create_tune_async (fixture->client, params, progress_cb, &progress, NULL,
                                           atelier_test_store_result, &result);
  tune = atelier_astria_client_create_tune_finish (fixture->client,
                                                   atelier_test_wait_result (&result), &error);
  g_assert_no_error (error);

  /* What came back */
  g_assert_cmpint (atelier_tune_get_id (tune), >, 0);
  g_assert_cmpstr (atelier_tune_get_title (tune), ==, title);
  g_assert_cmpstr (atelier_tune_get_name (tune), ==, "man");
  g_assert_cmpstr (atelier_tune_get_branch (tune), ==, "fast");
  g_assert_true (atelier_tune_is_trained (tune));
  g_assert_cmpuint (g_strv_length ((GStrv) atelier_tune_get_orig_images (tune)), ==, 2);

  /* What the server received, field by field */
  request = atelier_sandbox_server_dup_last_request (fixture->server, "POST", "/tunes");
  g_assert_nonnull (request);
  g_assert_true (g_str_has_prefix (atelier_sandbox_request_get_header (request, "Content-Type"),
                                   "multipart/form-data"));
  g_assert_cmpstr (atelier_sandbox_request_get_header (request, "Authorization"), ==, "Bearer sd_test_key");
  assert_field (request, "tune[title]", title);
  assert_field (request, "tune[name]", "man");
  assert_field (request, "tune[branch]", "fast");
  assert_field (request, "tune[base_tune_id]", "690204");
  assert_field (request, "tune[token]", "ohwx");
  assert_field (request, "tune[face_crop]", "true");
  assert_field (request, "tune[auto_extend]", "false");
  assert_field (request, "tune[characteristics][eye_color]", "blue eyes");
  assert_field (request, "tune[prompts_attributes][0][text]", "ohwx man on the cover of time magazine");
  assert_field (request, "tune[prompts_attributes][0][super_resolution]", "true");
  g_assert_cmpuint (atelier_sandbox_request_count_files (request, "tune[images][]"), ==, 2);

  files = atelier_sandbox_request_get_files (request);
  g_assert_cmpuint (files->len, ==, 2);
  {
    AtelierSandboxFile *first = g_ptr_array_index (files, 0);
    AtelierSandboxFile *second = g_ptr_array_index (files, 1);
    g_autoptr(GBytes) expected = g_file_load_bytes (photo1, NULL, NULL, NULL);

    g_assert_cmpstr (first->filename, ==, "a.jpg");
    g_assert_cmpstr (first->content_type, ==, "image/jpeg");
    g_assert_true (g_bytes_equal (first->data, expected));
    g_assert_cmpstr (second->filename, ==, "b.png");
    g_assert_cmpstr (second->content_type, ==, "image/png");
  }

  urls = atelier_sandbox_request_dup_field_values (request, "tune[image_urls][]");
  g_assert_cmpuint (g_strv_length (urls), ==, 0);

  /* Progress went up to the whole body */
  assert_progress_complete (&progress);
  g_assert_cmpint (progress.total, ==, (goffset) atelier_sandbox_request_get_body_length (request));
}

static void
test_create_tune_image_urls (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(AtelierTune) source = create_fast_tune (fixture, "Source");
  g_autoptr(AtelierTuneParams) params = new_tune_params ("From URLs", "fast");
  g_autoptr(AtelierSandboxRequest) request = NULL;
  g_autoptr(AtelierTune) tune = NULL;
  g_auto(GStrv) urls = NULL;
  const char *url = atelier_tune_get_orig_images (source)[0];

  atelier_tune_params_add_image_url (params, url);
  atelier_tune_params_add_image_url (params, url);
  tune = create_tune (fixture, params);

  request = atelier_sandbox_server_dup_last_request (fixture->server, "POST", "/tunes");
  urls = atelier_sandbox_request_dup_field_values (request, "tune[image_urls][]");
  g_assert_cmpuint (g_strv_length (urls), ==, 2);
  g_assert_cmpstr (urls[0], ==, url);
  g_assert_cmpuint (atelier_sandbox_request_count_files (request, "tune[images][]"), ==, 0);
  g_assert_cmpint (atelier_tune_get_id (tune), !=, atelier_tune_get_id (source));
}

static void
test_tune_training_state (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(AtelierTuneParams) params = new_tune_params ("Slow", "sd15");
  g_autoptr(GFile) photo = atelier_test_write_image (fixture->photos, "p.jpg", 640, 640, 3, "jpeg");
  g_autoptr(AtelierTune) tune = NULL;
  g_autoptr(AtelierTune) later = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  atelier_tune_params_add_image (params, photo);
  tune = create_tune (fixture, params);
  g_assert_false (atelier_tune_is_trained (tune));
  g_assert_cmpint (atelier_tune_get_state (tune, NULL), ==, ATELIER_TUNE_STATE_TRAINING);
  g_assert_nonnull (atelier_tune_get_eta (tune));

  g_usleep (300 * 1000);

  atelier_astria_client_get_tune_async (fixture->client, atelier_tune_get_id (tune), NULL,
                                        atelier_test_store_result, &result);
  later = atelier_astria_client_get_tune_finish (fixture->client,
                                                 atelier_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_true (atelier_tune_is_trained (later));
  g_assert_cmpint (atelier_tune_get_state (later, NULL), ==, ATELIER_TUNE_STATE_READY);
  g_assert_nonnull (atelier_tune_get_expires_at (later));
}

static GPtrArray *
list_tunes (Fixture *fixture,
            guint    offset)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *tunes;

  atelier_astria_client_list_tunes_async (fixture->client, offset, NULL,
                                          atelier_test_store_result, &result);
  tunes = atelier_astria_client_list_tunes_finish (fixture->client,
                                                   atelier_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (tunes);

  return tunes;
}

static void
test_list_tunes_paging (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GPtrArray) page0 = NULL;
  g_autoptr(GPtrArray) page1 = NULL;
  g_autoptr(GPtrArray) page2 = NULL;
  g_autoptr(GPtrArray) page3 = NULL;
  GPtrArray *pages[3];

  for (guint i = 0; i < 45; i++)
    {
      g_autofree char *title = g_strdup_printf ("Seeded %u", i);
      atelier_sandbox_server_seed_tune (fixture->server, title, "woman", TRUE);
    }

  page0 = list_tunes (fixture, 0);
  page1 = list_tunes (fixture, 20);
  page2 = list_tunes (fixture, 40);
  page3 = list_tunes (fixture, 60);
  g_assert_cmpuint (page0->len, ==, 20);
  g_assert_cmpuint (page1->len, ==, 20);
  g_assert_cmpuint (page2->len, ==, 5);
  g_assert_cmpuint (page3->len, ==, 0);

  /* Newest first, and no tune twice */
  g_assert_cmpstr (atelier_tune_get_title (g_ptr_array_index (page0, 0)), ==, "Seeded 44");
  pages[0] = page0; pages[1] = page1; pages[2] = page2;
  for (guint p = 0; p < 3; p++)
    for (guint i = 0; i < pages[p]->len; i++)
      {
        AtelierTune *tune = g_ptr_array_index (pages[p], i);
        gint64 *id = g_new (gint64, 1);

        *id = atelier_tune_get_id (tune);
        g_assert_false (g_hash_table_contains (seen, id));
        g_hash_table_add (seen, id);
      }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 45);

  /* Each page was asked for with offset= */
  {
    g_autoptr(AtelierSandboxRequest) request =
      atelier_sandbox_server_dup_last_request (fixture->server, "GET", "/tunes");
    g_assert_cmpstr (atelier_sandbox_request_get_query (request), ==, "offset=60");
  }
}

static void
test_find_tune_by_title (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(AtelierTune) found = NULL;
  g_autoptr(AtelierTune) missing = NULL;
  g_autoptr(GError) error = NULL;

  atelier_sandbox_server_seed_tune (fixture->server, "Needle", "man", TRUE);
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *title = g_strdup_printf ("Hay %u", i);
      atelier_sandbox_server_seed_tune (fixture->server, title, "man", TRUE);
    }

  /* The needle is on the second page */
  atelier_astria_client_find_tune_by_title_async (fixture->client, "Needle", NULL,
                                                  atelier_test_store_result, &result);
  found = atelier_astria_client_find_tune_by_title_finish (fixture->client,
                                                           atelier_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpstr (atelier_tune_get_title (found), ==, "Needle");

  atelier_astria_client_find_tune_by_title_async (fixture->client, "Nowhere", NULL,
                                                  atelier_test_store_result, &result2);
  missing = atelier_astria_client_find_tune_by_title_finish (fixture->client,
                                                             atelier_test_wait_result (&result2), &error);
  g_assert_no_error (error);
  g_assert_null (missing);
}

static void
test_delete_tune (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(AtelierTune) tune = create_fast_tune (fixture, "Doomed");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(AtelierTune) gone = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtelierSandboxRequest) request = NULL;
  g_autofree char *path = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT, atelier_tune_get_id (tune));

  atelier_astria_client_delete_tune_async (fixture->client, atelier_tune_get_id (tune), NULL,
                                           atelier_test_store_result, &result);
  g_assert_true (atelier_astria_client_delete_tune_finish (fixture->client,
                                                           atelier_test_wait_result (&result), &error));
  g_assert_no_error (error);

  request = atelier_sandbox_server_dup_last_request (fixture->server, "DELETE", "/tunes/");
  g_assert_cmpstr (atelier_sandbox_request_get_path (request), ==, path);

  atelier_astria_client_get_tune_async (fixture->client, atelier_tune_get_id (tune), NULL,
                                        atelier_test_store_result, &result2);
  gone = atelier_astria_client_get_tune_finish (fixture->client,
                                                atelier_test_wait_result (&result2), &error);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_NOT_FOUND);
  g_assert_null (gone);
}

static AtelierPrompt *
get_prompt (Fixture *fixture,
            gint64   tune_id,
            gint64   prompt_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  AtelierPrompt *prompt;

  atelier_astria_client_get_prompt_async (fixture->client, tune_id, prompt_id, NULL,
                                          atelier_test_store_result, &result);
  prompt = atelier_astria_client_get_prompt_finish (fixture->client,
                                                    atelier_test_wait_result (&result), &error);
  g_assert_no_error (error);

  return prompt;
}

static AtelierPrompt *
create_prompt (Fixture             *fixture,
               gint64               tune_id,
               AtelierPromptParams *params)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  AtelierPrompt *prompt;

  atelier_astria_client_create_prompt_async (fixture->client, tune_id, params, NULL, NULL, NULL,
                                             atelier_test_store_result, &result);
  prompt = atelier_astria_client_create_prompt_finish (fixture->client,
                                                       atelier_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (prompt);

  return prompt;
}

static void
test_prompt_round_trip (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(AtelierTune) tune = create_fast_tune (fixture, "Prompted");
  g_autoptr(AtelierPromptParams) params = atelier_prompt_params_new ();
  g_autoptr(GFile) input = atelier_test_write_image (fixture->photos, "pose.jpg", 512, 640, 9, "jpeg");
  g_autoptr(AtelierSandboxRequest) request = NULL;
  g_autoptr(AtelierPrompt) prompt = NULL;
  g_autoptr(AtelierPrompt) done = NULL;
  gint64 tune_id = atelier_tune_get_id (tune);
  gint64 deadline;

  atelier_params_set_string (ATELIER_PARAMS (params), "text", "a painting of ohwx man in the style of Van Gogh");
  atelier_params_set_string (ATELIER_PARAMS (params), "negative_prompt", "old, blemish");
  atelier_params_set_int (ATELIER_PARAMS (params), "num_images", 2);
  atelier_params_set_int (ATELIER_PARAMS (params), "seed", 42);
  atelier_params_set_boolean (ATELIER_PARAMS (params), "super_resolution", TRUE);
  atelier_params_set_boolean (ATELIER_PARAMS (params), "inpaint_faces", TRUE);
  atelier_params_set_boolean (ATELIER_PARAMS (params), "face_correct", FALSE);
  atelier_params_set_double (ATELIER_PARAMS (params), "cfg_scale", 7.5);
  atelier_params_set_int (ATELIER_PARAMS (params), "steps", 30);
  atelier_params_set_int (ATELIER_PARAMS (params), "w", 512);
  atelier_params_set_int (ATELIER_PARAMS (params), "h", 640);
  atelier_params_set_string (ATELIER_PARAMS (params), "scheduler", "dpm++2m_karras");
  atelier_params_set_string (ATELIER_PARAMS (params), "controlnet", "pose");
  atelier_params_set_double (ATELIER_PARAMS (params), "denoising_strength", 0.8);
  atelier_params_set_file (ATELIER_PARAMS (params), "input_image", input);

  prompt = create_prompt (fixture, tune_id, params);
  g_assert_cmpint (atelier_prompt_get_tune_id (prompt), ==, tune_id);
  g_assert_cmpint (atelier_prompt_get_state (prompt), ==, ATELIER_PROMPT_STATE_PENDING);
  g_assert_cmpuint (atelier_prompt_get_n_images (prompt), ==, 0);

  request = atelier_sandbox_server_dup_last_request (fixture->server, "POST", "/tunes/");
  assert_field (request, "prompt[text]", "a painting of ohwx man in the style of Van Gogh");
  assert_field (request, "prompt[negative_prompt]", "old, blemish");
  assert_field (request, "prompt[num_images]", "2");
  assert_field (request, "prompt[seed]", "42");
  assert_field (request, "prompt[super_resolution]", "true");
  assert_field (request, "prompt[inpaint_faces]", "true");
  assert_field (request, "prompt[face_correct]", "false");
  assert_field (request, "prompt[cfg_scale]", "7.5");
  assert_field (request, "prompt[steps]", "30");
  assert_field (request, "prompt[w]", "512");
  assert_field (request, "prompt[h]", "640");
  assert_field (request, "prompt[scheduler]", "dpm++2m_karras");
  assert_field (request, "prompt[controlnet]", "pose");
  assert_field (request, "prompt[denoising_strength]", "0.8");
  g_assert_cmpuint (atelier_sandbox_request_count_files (request, "prompt[input_image]"), ==, 1);
  g_assert_cmpuint (atelier_sandbox_request_count_files (request, "prompt[mask_image]"), ==, 0);

  /* Poll until done, as the gallery does */
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  do
    {
      g_clear_object (&done);
      g_usleep (50 * 1000);
      done = get_prompt (fixture, tune_id, atelier_prompt_get_id (prompt));
    }
  while (atelier_prompt_get_state (done) == ATELIER_PROMPT_STATE_PENDING &&
         g_get_monotonic_time () < deadline);

  g_assert_cmpint (atelier_prompt_get_state (done), ==, ATELIER_PROMPT_STATE_DONE);
  g_assert_cmpuint (atelier_prompt_get_n_images (done), ==, 2);
  g_assert_true (g_str_has_prefix (atelier_prompt_get_images (done)[0], "http://127.0.0.1:"));
  g_assert_cmpint (atelier_prompt_get_seed (done), ==, 42);
  g_assert_cmpfloat_with_epsilon (atelier_prompt_get_cfg_scale (done), 7.5, 0.001);

  /* Reuse these settings: the parameters survive the round trip */
  {
    g_autoptr(AtelierPromptParams) reused = atelier_prompt_params_new_from_prompt (done);

    g_assert_cmpstr (atelier_params_get_string (ATELIER_PARAMS (reused), "scheduler"), ==, "dpm++2m_karras");
    g_assert_cmpint (atelier_params_get_int (ATELIER_PARAMS (reused), "num_images"), ==, 2);
    g_assert_true (atelier_params_get_boolean (ATELIER_PARAMS (reused), "super_resolution"));
  }
}

static void
test_prompt_failed (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(AtelierTune) tune = create_fast_tune (fixture, "Failing");
  g_autoptr(AtelierPromptParams) params = atelier_prompt_params_new ();
  g_autoptr(AtelierPrompt) prompt = NULL;
  g_autoptr(AtelierPrompt) later = NULL;

  atelier_params_set_string (ATELIER_PARAMS (params), "text", "ohwx man [fail]");
  prompt = create_prompt (fixture, atelier_tune_get_id (tune), params);
  g_usleep (400 * 1000);
  later = get_prompt (fixture, atelier_tune_get_id (tune), atelier_prompt_get_id (prompt));

  g_assert_cmpint (atelier_prompt_get_state (later), ==, ATELIER_PROMPT_STATE_FAILED);
  g_assert_nonnull (atelier_prompt_get_user_error (later));
  g_assert_cmpuint (atelier_prompt_get_n_images (later), ==, 0);
}

static GPtrArray *
list_prompts (Fixture *fixture,
              gint64   tune_id,
              guint    offset)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *prompts;

  atelier_astria_client_list_prompts_async (fixture->client, tune_id, offset, NULL,
                                            atelier_test_store_result, &result);
  prompts = atelier_astria_client_list_prompts_finish (fixture->client,
                                                       atelier_test_wait_result (&result), &error);
  g_assert_no_error (error);

  return prompts;
}

static void
test_list_and_delete_prompts (Fixture       *fixture,
                              gconstpointer  user_data)
{
  gint64 a = atelier_sandbox_server_seed_tune (fixture->server, "A", "man", TRUE);
  gint64 b = atelier_sandbox_server_seed_tune (fixture->server, "B", "woman", TRUE);
  g_autoptr(GPtrArray) of_a = NULL;
  g_autoptr(GPtrArray) of_a_2 = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtelierSandboxRequest) request = NULL;
  g_autofree char *path = NULL;
  AtelierPrompt *first;

  atelier_sandbox_server_seed_prompts (fixture->server, a, 25, 4);
  atelier_sandbox_server_seed_prompts (fixture->server, b, 3, 1);

  of_a = list_prompts (fixture, a, 0);
  of_a_2 = list_prompts (fixture, a, 20);
  all = list_prompts (fixture, 0, 0);
  g_assert_cmpuint (of_a->len, ==, 20);
  g_assert_cmpuint (of_a_2->len, ==, 5);
  g_assert_cmpuint (all->len, ==, 20);
  first = g_ptr_array_index (of_a, 0);
  g_assert_cmpint (atelier_prompt_get_tune_id (first), ==, a);
  g_assert_cmpint (atelier_prompt_get_state (first), ==, ATELIER_PROMPT_STATE_DONE);
  g_assert_cmpuint (atelier_prompt_get_n_images (first), ==, 4);
  /* All tunes: the newest prompts are b's */
  g_assert_cmpint (atelier_prompt_get_tune_id (g_ptr_array_index (all, 0)), ==, b);

  atelier_astria_client_delete_prompt_async (fixture->client, a, atelier_prompt_get_id (first), NULL,
                                             atelier_test_store_result, &result);
  g_assert_true (atelier_astria_client_delete_prompt_finish (fixture->client,
                                                             atelier_test_wait_result (&result), &error));
  g_assert_no_error (error);

  path = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT "/prompts/%" G_GINT64_FORMAT,
                          a, atelier_prompt_get_id (first));
  request = atelier_sandbox_server_dup_last_request (fixture->server, "DELETE", NULL);
  g_assert_cmpstr (atelier_sandbox_request_get_path (request), ==, path);

  after = list_prompts (fixture, a, 20);
  g_assert_cmpuint (after->len, ==, 4);
}

static GPtrArray *
list_packs (Fixture  *fixture,
            gboolean  gallery)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *packs;

  atelier_astria_client_list_packs_async (fixture->client, gallery, NULL,
                                          atelier_test_store_result, &result);
  packs = atelier_astria_client_list_packs_finish (fixture->client,
                                                   atelier_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (packs);

  return packs;
}

static void
test_packs (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(GPtrArray) mine = list_packs (fixture, FALSE);
  g_autoptr(GPtrArray) gallery = list_packs (fixture, TRUE);
  g_autoptr(AtelierSandboxRequest) request = NULL;
  AtelierPack *pack;
  g_auto(GStrv) classes = NULL;

  g_assert_cmpuint (mine->len, >, 0);
  g_assert_cmpuint (gallery->len, >, 0);
  pack = g_ptr_array_index (mine, 0);
  g_assert_cmpint (atelier_pack_get_id (pack), >, 0);
  g_assert_nonnull (atelier_pack_get_title (pack));
  classes = atelier_pack_dup_cost_classes (pack);
  g_assert_cmpuint (g_strv_length (classes), >, 0);
  g_assert_cmpint (atelier_pack_get_cost_mc (pack, classes[0]), >, 0);

  request = atelier_sandbox_server_dup_last_request (fixture->server, "GET", "/gallery/packs");
  g_assert_nonnull (request);
}

static void
test_pack_tune_and_run (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GPtrArray) packs = list_packs (fixture, FALSE);
  AtelierPack *pack = g_ptr_array_index (packs, 0);
  g_autoptr(AtelierTuneParams) params = new_tune_params ("Pack subject", "fast");
  g_autoptr(GFile) photo = atelier_test_write_image (fixture->photos, "s.jpg", 640, 640, 5, "jpeg");
  g_autoptr(AtelierSandboxRequest) request = NULL;
  g_autoptr(AtelierSandboxRequest) run_request = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) run_result = NULL;
  g_autoptr(AtelierTune) tune = NULL;
  g_autoptr(GPtrArray) ran = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("/p/%" G_GINT64_FORMAT "/tunes", atelier_pack_get_id (pack));
  g_auto(GStrv) classes = atelier_pack_dup_cost_classes (pack);
  gint64 ids[2];
  JsonNode *json;
  JsonArray *tune_ids;

  atelier_params_set_string (ATELIER_PARAMS (params), "name", classes[0]);
  atelier_tune_params_add_image (params, photo);
  atelier_tune_params_set_pack_prompt_callback (params, "https://example.com/hook?user=1");

  atelier_astria_client_create_pack_tune_async (fixture->client, atelier_pack_get_id (pack), params,
                                                NULL, NULL, NULL, atelier_test_store_result, &result);
  tune = atelier_astria_client_create_pack_tune_finish (fixture->client,
                                                        atelier_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (tune);

  request = atelier_sandbox_server_dup_last_request (fixture->server, "POST", "/p/");
  g_assert_cmpstr (atelier_sandbox_request_get_path (request), ==, path);
  assert_field (request, "tune[name]", classes[0]);
  assert_field (request, "tune[prompt_attributes][callback]", "https://example.com/hook?user=1");
  g_assert_null (atelier_sandbox_request_get_field (request, "tune[prompts_attributes][0][text]"));
  g_assert_cmpuint (atelier_sandbox_request_count_files (request, "tune[images][]"), ==, 1);

  /* The pack on existing tunes */
  ids[0] = atelier_tune_get_id (tune);
  ids[1] = atelier_sandbox_server_seed_tune (fixture->server, "Existing", classes[0], TRUE);
  atelier_astria_client_run_pack_async (fixture->client, atelier_pack_get_id (pack), ids, 2, NULL,
                                        atelier_test_store_result, &run_result);
  ran = atelier_astria_client_run_pack_finish (fixture->client,
                                               atelier_test_wait_result (&run_result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ran->len, ==, 2);

  run_request = atelier_sandbox_server_dup_last_request (fixture->server, "POST", "/p/");
  json = atelier_sandbox_request_get_json (run_request);
  g_assert_nonnull (json);
  tune_ids = json_object_get_array_member (json_object_get_object_member (json_node_get_object (json), "tune"),
                                           "tune_ids");
  g_assert_cmpuint (json_array_get_length (tune_ids), ==, 2);
  g_assert_cmpint (json_array_get_int_element (tune_ids, 1), ==, ids[1]);
}

static void
test_likes (Fixture       *fixture,
            gconstpointer  user_data)
{
  gint64 tune_id = atelier_sandbox_server_seed_tune (fixture->server, "Liked", "man", TRUE);
  gint64 prompt_id = atelier_sandbox_server_seed_prompt (fixture->server, tune_id, "ohwx man smiling", 4);
  g_autoptr(GAsyncResult) like = NULL;
  g_autoptr(GAsyncResult) unlike = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtelierSandboxRequest) request = NULL;
  g_autofree char *path = g_strdup_printf ("/prompts/%" G_GINT64_FORMAT "/likes", prompt_id);

  atelier_astria_client_like_prompt_async (fixture->client, prompt_id, TRUE, NULL,
                                           atelier_test_store_result, &like);
  g_assert_true (atelier_astria_client_like_prompt_finish (fixture->client,
                                                           atelier_test_wait_result (&like), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (atelier_sandbox_server_get_like_count (fixture->server, prompt_id), ==, 1);
  request = atelier_sandbox_server_dup_last_request (fixture->server, "POST", "/prompts/");
  g_assert_cmpstr (atelier_sandbox_request_get_path (request), ==, path);
  g_clear_pointer (&request, atelier_sandbox_request_unref);

  atelier_astria_client_like_prompt_async (fixture->client, prompt_id, FALSE, NULL,
                                           atelier_test_store_result, &unlike);
  g_assert_true (atelier_astria_client_like_prompt_finish (fixture->client,
                                                           atelier_test_wait_result (&unlike), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (atelier_sandbox_server_get_like_count (fixture->server, prompt_id), ==, 0);
  request = atelier_sandbox_server_dup_last_request (fixture->server, "DELETE", "/prompts/");
  g_assert_cmpstr (atelier_sandbox_request_get_path (request), ==, path);
}

static void
test_inspect (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GBytes) image = atelier_test_make_image (512, 512, 4, "jpeg");
  g_autoptr(AtelierSandboxRequest) request = NULL;
  g_autoptr(AtelierInspection) inspection = NULL;
  g_autoptr(AtelierInspection) by_url = NULL;
  g_autoptr(AtelierTune) tune = create_fast_tune (fixture, "Inspect source");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *files;

  atelier_astria_client_inspect_image_async (fixture->client, "woman", image, "face.jpg", NULL,
                                             NULL, NULL, NULL, atelier_test_store_result, &result);
  inspection = atelier_astria_client_inspect_image_finish (fixture->client,
                                                           atelier_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (atelier_inspection_get_name (inspection), ==, "woman");
  g_assert_cmpint (atelier_inspection_get_warnings (inspection, "woman"), ==,
                   ATELIER_INSPECTION_WARNING_NONE);

  request = atelier_sandbox_server_dup_last_request (fixture->server, "POST", "/images/inspect");
  assert_field (request, "name", "woman");
  files = atelier_sandbox_request_get_files (request);
  g_assert_cmpuint (files->len, ==, 1);
  g_assert_cmpstr (((AtelierSandboxFile *) g_ptr_array_index (files, 0))->name, ==, "file");
  g_assert_true (g_bytes_equal (((AtelierSandboxFile *) g_ptr_array_index (files, 0))->data, image));

  /* By URL: one of the sandbox's own images */
  atelier_astria_client_inspect_image_async (fixture->client, "man", NULL, NULL,
                                             atelier_tune_get_orig_images (tune)[0],
                                             NULL, NULL, NULL, atelier_test_store_result, &result2);
  by_url = atelier_astria_client_inspect_image_finish (fixture->client,
                                                       atelier_test_wait_result (&result2), &error);
  g_assert_no_error (error);
  g_assert_nonnull (by_url);
}

static void
test_themes (Fixture       *fixture,
             gconstpointer  user_data)
{
  gint64 tune_id = atelier_sandbox_server_seed_tune (fixture->server, "Themed", "woman", TRUE);
  g_autoptr(AtelierPromptParams) attributes = atelier_prompt_params_new ();
  g_autoptr(AtelierSandboxRequest) request = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) prompts = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *body;

  atelier_params_set_int (ATELIER_PARAMS (attributes), "num_images", 2);
  atelier_params_set_int (ATELIER_PARAMS (attributes), "w", 512);
  atelier_astria_client_create_theme_async (fixture->client, "Corporate headshots", &tune_id, 1,
                                            attributes, NULL, atelier_test_store_result, &result);
  g_assert_true (atelier_astria_client_create_theme_finish (fixture->client,
                                                            atelier_test_wait_result (&result), &error));
  g_assert_no_error (error);

  request = atelier_sandbox_server_dup_last_request (fixture->server, "POST", "/themes");
  body = json_node_get_object (atelier_sandbox_request_get_json (request));
  g_assert_cmpstr (json_object_get_string_member (body, "theme"), ==, "Corporate headshots");
  g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (body, "tune_ids"), 0), ==, tune_id);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (body, "prompt_attributes"),
                                               "num_images"), ==, 2);
  g_assert_false (json_object_has_member (json_object_get_object_member (body, "prompt_attributes"), "h"));

  prompts = list_prompts (fixture, tune_id, 0);
  g_assert_cmpuint (prompts->len, ==, 10);
}

static void
test_local_validation (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(AtelierPromptParams) params = atelier_prompt_params_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(AtelierPrompt) prompt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;
  guint before = atelier_sandbox_server_count_requests (fixture->server, NULL, NULL);

  atelier_params_set_string (ATELIER_PARAMS (params), "text", "ohwx man");
  atelier_params_set_boolean (ATELIER_PARAMS (params), "inpaint_faces", TRUE);

  atelier_astria_client_create_prompt_async (fixture->client, ATELIER_SANDBOX_RV51_TUNE_ID, params,
                                             NULL, NULL, NULL, atelier_test_store_result, &result);
  prompt = atelier_astria_client_create_prompt_finish (fixture->client,
                                                       atelier_test_wait_result (&result), &error);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM);
  g_assert_true (g_str_has_prefix (error->message, "inpaint_faces: "));
  g_assert_null (prompt);

  atelier_astria_client_run_pack_async (fixture->client, 1, NULL, 0, NULL,
                                        atelier_test_store_result, &result2);
  g_assert_null (atelier_astria_client_run_pack_finish (fixture->client,
                                                        atelier_test_wait_result (&result2), &error2));
  g_assert_error (error2, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM);

  /* Nothing was sent */
  g_assert_cmpuint (atelier_sandbox_server_count_requests (fixture->server, NULL, NULL), ==, before);
}

static void
test_gallery_base_prompt (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(AtelierTune) tune = create_fast_tune (fixture, "LoRA subject");
  g_autoptr(AtelierPromptParams) params = atelier_prompt_params_new ();
  g_autoptr(AtelierPrompt) prompt = NULL;
  g_autofree char *text = g_strdup_printf ("<lora:%" G_GINT64_FORMAT ":1> ohwx man in the alps",
                                           atelier_tune_get_id (tune));

  atelier_params_set_string (ATELIER_PARAMS (params), "text", text);
  prompt = create_prompt (fixture, ATELIER_SANDBOX_FLUX_TUNE_ID, params);
  g_assert_cmpint (atelier_prompt_get_tune_id (prompt), ==, ATELIER_SANDBOX_FLUX_TUNE_ID);
  g_assert_cmpstr (atelier_prompt_get_text (prompt), ==, text);
}

static void
test_base_url_policy (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtelierAstriaClient) client = NULL;
  g_autoptr(AtelierAstriaClient) from_env = NULL;
  g_autoptr(AtelierAstriaClient) fallback = NULL;

  g_assert_true (atelier_check_base_url ("https://api.astria.ai", NULL));
  g_assert_true (atelier_check_base_url ("http://127.0.0.1:8080", NULL));
  g_assert_true (atelier_check_base_url ("http://127.1.2.3", NULL));
  g_assert_true (atelier_check_base_url ("http://localhost:3000/", NULL));
  g_assert_true (atelier_check_base_url ("http://[::1]:8000", NULL));
  g_assert_false (atelier_check_base_url ("http://192.168.1.10", &error));
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INSECURE_URL);
  g_clear_error (&error);
  g_assert_false (atelier_check_base_url ("http://api.astria.ai", NULL));
  g_assert_false (atelier_check_base_url ("ftp://127.0.0.1", NULL));
  g_assert_false (atelier_check_base_url ("not a url", NULL));
  g_assert_false (atelier_check_base_url ("", NULL));

  client = atelier_astria_client_new ("http://example.com", "k", &error);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INSECURE_URL);
  g_assert_null (client);
  g_clear_error (&error);

  g_setenv ("ATELIER_ASTRIA_URL", "http://127.0.0.1:4567/", TRUE);
  from_env = atelier_astria_client_new (NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (atelier_astria_client_get_base_url (from_env), ==, "http://127.0.0.1:4567");
  g_assert_false (atelier_astria_client_has_api_key (from_env));
  g_unsetenv ("ATELIER_ASTRIA_URL");

  /* A blank key is none; the fal client keeps its key the same way. */
  atelier_astria_client_set_api_key (from_env, " sd_key ");
  g_assert_true (atelier_astria_client_has_api_key (from_env));
  atelier_astria_client_set_api_key (from_env, " \n");
  g_assert_false (atelier_astria_client_has_api_key (from_env));

  fallback = atelier_astria_client_new (NULL, "sd_x", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (atelier_astria_client_get_base_url (fallback), ==, ATELIER_DEFAULT_ASTRIA_URL);
  g_assert_cmpuint (atelier_astria_client_get_retry_base_delay_ms (fallback), ==, 30000);
}

static void
test_wrong_key (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) tunes = NULL;
  g_autoptr(GError) error = NULL;

  atelier_astria_client_set_api_key (fixture->client, "sd_wrong");
  atelier_astria_client_list_tunes_async (fixture->client, 0, NULL, atelier_test_store_result, &result);
  tunes = atelier_astria_client_list_tunes_finish (fixture->client,
                                                   atelier_test_wait_result (&result), &error);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_UNAUTHORIZED);
  g_assert_null (tunes);
  /* The message never repeats the key */
  g_assert_null (strstr (error->message, "sd_wrong"));
  g_assert_cmpuint (atelier_sandbox_server_count_requests (fixture->server, "GET", "/tunes"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/client/tunes/create-multipart", test_create_tune_multipart);
  ADD ("/client/tunes/create-image-urls", test_create_tune_image_urls);
  ADD ("/client/tunes/training-state", test_tune_training_state);
  ADD ("/client/tunes/list-paging", test_list_tunes_paging);
  ADD ("/client/tunes/find-by-title", test_find_tune_by_title);
  ADD ("/client/tunes/delete", test_delete_tune);
  ADD ("/client/prompts/round-trip", test_prompt_round_trip);
  ADD ("/client/prompts/failed", test_prompt_failed);
  ADD ("/client/prompts/list-and-delete", test_list_and_delete_prompts);
  ADD ("/client/prompts/gallery-base", test_gallery_base_prompt);
  ADD ("/client/prompts/local-validation", test_local_validation);
  ADD ("/client/packs/list", test_packs);
  ADD ("/client/packs/tune-and-run", test_pack_tune_and_run);
  ADD ("/client/likes", test_likes);
  ADD ("/client/inspect", test_inspect);
  ADD ("/client/themes", test_themes);
  ADD ("/client/auth/wrong-key", test_wrong_key);
  g_test_add_func ("/client/base-url-policy", test_base_url_policy);

  return g_test_run ();
}
