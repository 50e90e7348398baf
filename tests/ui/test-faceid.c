/* test-faceid.c: the FaceID page, both ways, against the in-app Sandbox
 *
 * The real application in-process, in its Sandbox: a chosen photo shows
 * its thumbnail and what is uploaded where; Generate sends exactly one
 * POST /fal-ai/ip-adapter-face-id whose JSON has the face as a data: URL
 * of a JPEG and the parameters set in the form, and the job's row shows
 * the queue, the generating state and then the result picture; a queued
 * job is cancelled (PUT cancel); an empty prompt is marked on its field
 * and nothing is sent; a corrupt file shows its problem and Generate
 * stays off; settings reused fill the form; "Create FaceID Tune" opens
 * the New Tune editor in FaceID mode with the photo; a new window on the
 * same session lists the jobs again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <archive.h>
#include <archive_entry.h>

#include "atelier-application.h"
#include "atelier-faceid-page.h"
#include "atelier-gallery-page-private.h"
#include "atelier-prompt.h"
#include "atelier-shell.h"
#include "atelier-test-utils.h"
#include "atelier-tunes-page.h"
#include "atelier-ui-test-utils.h"
#include "atelier-window-private.h"

#define WAIT_MS 60000   /* generous: a loaded machine, software rendering */
#define FAL_SUBMIT "/fal-ai/ip-adapter-face-id"

static AtelierWindow *window;
static AtelierSession *session;
static AtelierSandboxServer *sandbox;
static char *dir;

/* {{{ Helpers */

static AtelierFaceidPage *
page (void)
{
  return ATELIER_FACEID_PAGE (_atelier_window_get_page (window, "faceid"));
}

static AtelierFaceidFaces *
faces (void)
{
  return atelier_faceid_page_get_faces (page ());
}

static AtelierFaceidForm *
form (void)
{
  return atelier_faceid_page_get_form (page ());
}

/* The text @job's row on @faceid shows, or NULL. */
static const char *
job_text (AtelierFaceidPage *faceid,
          AtelierFaceidJob  *job)
{
  AtelierFaceidJobRow *row = atelier_faceid_page_get_job_row (faceid, job);

  return row != NULL ? atelier_faceid_job_row_get_text (row) : NULL;
}

static void
start (void)
{
  window = atelier_ui_app_start (NULL);
  session = atelier_window_get_session (window);
  g_assert_cmpint (atelier_session_get_mode (session), ==, ATELIER_SESSION_MODE_SANDBOX);
  sandbox = atelier_ui_get_sandbox ();
  atelier_window_show_page (window, "faceid");
  atelier_test_wait_until (atelier_faceid_page_get_jobs (page ()) != NULL &&
                           atelier_faceid_jobs_is_loaded (atelier_faceid_page_get_jobs (page ())), WAIT_MS);
  atelier_faceid_jobs_set_poll_interval_ms (atelier_faceid_page_get_jobs (page ()), 100);
  atelier_sandbox_server_clear_requests (sandbox);
}

static GFile *
write_photo (const char *name,
             guint       seed)
{
  return atelier_test_write_image (dir, name, 800, 900, seed, "jpeg");
}

static void
choose (GFile *file)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (files, g_object_ref (file));
  atelier_faceid_page_add_files (page (), files);
}

static void
choose_photo (guint seed)
{
  g_autofree char *name = g_strdup_printf ("face-%u.jpg", seed);
  g_autoptr(GFile) file = write_photo (name, seed);
  guint n = atelier_faceid_faces_get_n_faces (faces ());

  choose (file);
  g_assert_cmpuint (atelier_faceid_faces_get_n_faces (faces ()), ==, n + 1);
  atelier_test_wait_until (atelier_faceid_faces_get_n_busy (faces ()) == 0 &&
                           atelier_faceid_faces_has_thumbnail (faces (), n), WAIT_MS);
}

static void
set_prompt (const char *text)
{
  GtkTextView *view = GTK_TEXT_VIEW (atelier_ui_get_by_id (GTK_WIDGET (page ()), "prompt_view"));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text, -1);
}

static GtkWidget *
field_input (const char *name)
{
  GtkWidget *row = atelier_faceid_form_get_field_widget (form (), name);

  g_assert_nonnull (row);
  if (GTK_IS_EDITABLE (row) || ADW_IS_COMBO_ROW (row))
    return row;
  return atelier_ui_find_by_type (row, GTK_TYPE_SPIN_BUTTON);
}

static gboolean
generate_enabled (void)
{
  GtkWidget *button = atelier_ui_get_by_id (GTK_WIDGET (page ()), "generate_button");

  return gtk_widget_is_sensitive (button);
}

static AtelierFaceidJob *
newest_job (void)
{
  GListModel *jobs = G_LIST_MODEL (atelier_faceid_page_get_jobs (page ()));
  g_autoptr(AtelierFaceidJob) job = NULL;

  if (g_list_model_get_n_items (jobs) == 0)
    return NULL;
  job = g_list_model_get_item (jobs, 0);
  return job;   /* the model keeps it */
}

static GtkWidget *
find_by_tooltip (GtkWidget  *root,
                 const char *tooltip)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_widget_get_tooltip_text (root), tooltip) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_tooltip (child, tooltip);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Scrolls the page so that @widget is at the top, for the screenshots. */
static void
scroll_to (GtkWidget *widget)
{
  GtkScrolledWindow *scroller = GTK_SCROLLED_WINDOW (atelier_ui_get_by_id (GTK_WIDGET (page ()), "scroller"));
  GtkWidget *content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scroller);
  graphene_point_t point;

  atelier_ui_spin (100);
  if (gtk_widget_compute_point (widget, content, &GRAPHENE_POINT_INIT (0, 0), &point))
    gtk_adjustment_set_value (adjustment, MAX (point.y - 12, 0));
  atelier_ui_spin (50);
}

static GPtrArray *texts_seen;

static void
record_text (AtelierFaceidJob *job)
{
  const char *text;

  atelier_ui_spin (0);
  text = job_text (page (), job);
  if (text != NULL && (texts_seen->len == 0 ||
                       g_strcmp0 (g_ptr_array_index (texts_seen, texts_seen->len - 1), text) != 0))
    g_ptr_array_add (texts_seen, g_strdup (text));
}

static gboolean
seen_text_starting (const char *prefix)
{
  for (guint i = 0; i < texts_seen->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (texts_seen, i), prefix))
      return TRUE;
  return FALSE;
}

/* Sends what the page holds with @prompt: the new job. */
static AtelierFaceidJob *
generate (const char *prompt)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (atelier_faceid_page_get_jobs (page ())));

  set_prompt (prompt);
  g_assert_true (generate_enabled ());
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "faceid.generate", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (atelier_faceid_page_get_jobs (page ()))), ==, n + 1);
  return newest_job ();
}

static JsonObject *
last_submit (void)
{
  g_autoptr(AtelierSandboxRequest) request = atelier_sandbox_server_dup_last_request (sandbox, "POST", FAL_SUBMIT);

  g_assert_nonnull (request);
  g_assert_nonnull (atelier_sandbox_request_get_json (request));
  return json_object_ref (json_node_get_object (atelier_sandbox_request_get_json (request)));
}

static void
fault_on_submit (guint       status,
                 const char *body,
                 guint       times)
{
  AtelierSandboxFault fault = {
    .method = "POST", .path = FAL_SUBMIT, .kind = ATELIER_SANDBOX_FAULT_STATUS,
    .status = status, .body = body, .times = times,
  };

  atelier_sandbox_server_add_fault (sandbox, &fault);
}

static GtkWidget *
job_button (AtelierFaceidJob *job,
            const char       *label)
{
  return atelier_ui_find_labelled (GTK_WIDGET (atelier_faceid_page_get_job_row (page (), job)),
                                   GTK_TYPE_BUTTON, label);
}

static void
shot_jobs (const char *name)
{
  atelier_ui_spin (200);
  scroll_to (atelier_ui_get_by_id (GTK_WIDGET (page ()), "jobs_group"));
  atelier_ui_save_screenshot (GTK_WINDOW (window), name);
}

/* }}} */
/* {{{ Cases */

static void
test_empty (void)
{
  g_assert_cmpuint (atelier_faceid_faces_get_n_faces (faces ()), ==, 0);
  g_assert_false (generate_enabled ());
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (page ()), "Instant — fal.ai"));
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (page ()), "Astria FaceID tune"));
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (page ()), "Choose a photo of the face first."));
  /* In the Sandbox there is no key to add. */
  g_assert_false (atelier_ui_is_shown (atelier_ui_get_by_id (GTK_WIDGET (page ()), "add_key_button")));
  /* The documented default negative prompt */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (field_input ("negative_prompt"))), ==,
                   "blurry, low resolution, bad, ugly, low quality, pixelated, interpolated, compression artifacts, noisey, grainy");
  atelier_ui_save_screenshot (GTK_WINDOW (window), "faceid-empty");
}

static void
test_generate (void)
{
  g_autoptr(AtelierSandboxRequest) request = NULL;
  g_autoptr(AtelierFaceidJob) job = NULL;
  JsonObject *body;
  const char *face;
  GtkWindow *second;

  atelier_sandbox_server_set_fal_delay_ms (sandbox, 6000);
  choose_photo (1);
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (page ()), "640 × 640 JPEG"));
  atelier_test_wait_until (atelier_faceid_faces_get_warnings (faces (), 0) != NULL ||
                           atelier_faceid_faces_get_n_busy (faces ()) == 0, WAIT_MS);
  g_assert_null (atelier_faceid_faces_get_problem (faces (), 0));
  g_assert_true (generate_enabled ());
  atelier_ui_save_screenshot (GTK_WINDOW (window), "faceid-chosen");

  set_prompt ("a woman hiking in the alps, golden hour");
  gtk_editable_set_text (GTK_EDITABLE (field_input ("seed")), "42");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (field_input ("guidance_scale")), 5.5);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (field_input ("num_inference_steps")), 30);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (field_input ("num_samples")), 2);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (field_input ("width")), 768);
  adw_combo_row_set_selected (ADW_COMBO_ROW (field_input ("model_type")), 3);   /* SDXL-v1 */

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "faceid.generate", NULL));
  atelier_test_wait_until (atelier_sandbox_server_count_requests (sandbox, "POST", FAL_SUBMIT) == 1, WAIT_MS);

  request = atelier_sandbox_server_dup_last_request (sandbox, "POST", FAL_SUBMIT);
  g_assert_nonnull (atelier_sandbox_request_get_json (request));
  body = json_node_get_object (atelier_sandbox_request_get_json (request));
  face = json_object_get_string_member (body, "face_image_url");
  g_assert_true (g_str_has_prefix (face, "data:image/jpeg;base64,"));
  g_assert_false (json_object_has_member (body, "face_images_data_url"));
  g_assert_cmpstr (json_object_get_string_member (body, "prompt"), ==, "a woman hiking in the alps, golden hour");
  g_assert_cmpint (json_object_get_int_member (body, "seed"), ==, 42);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (body, "guidance_scale"), 5.5, 1e-9);
  g_assert_cmpint (json_object_get_int_member (body, "num_inference_steps"), ==, 30);
  g_assert_cmpint (json_object_get_int_member (body, "num_samples"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (body, "width"), ==, 768);
  g_assert_cmpint (json_object_get_int_member (body, "height"), ==, 512);
  g_assert_cmpint (json_object_get_int_member (body, "face_id_det_size"), ==, 640);
  g_assert_cmpstr (json_object_get_string_member (body, "model_type"), ==, "SDXL-v1");
  g_assert_cmpstr (json_object_get_string_member (body, "base_1_5_model_repo"), ==, "SG161222/Realistic_Vision_V4.0_noVAE");
  g_assert_cmpstr (json_object_get_string_member (body, "base_sdxl_model_repo"), ==, "SG161222/RealVisXL_V3.0");

  job = g_object_ref (newest_job ());
  g_assert_nonnull (job);
  g_assert_nonnull (atelier_faceid_page_get_job_row (page (), job));

  /* Every text the row shows on its way */
  texts_seen = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (job, "notify", G_CALLBACK (record_text), NULL);
  record_text (job);
  atelier_test_wait_until ((record_text (job), seen_text_starting ("Waiting in line")), WAIT_MS);
  atelier_test_wait_until ((record_text (job), seen_text_starting ("Generating")), WAIT_MS);
  scroll_to (atelier_ui_get_by_id (GTK_WIDGET (page ()), "generate_button"));
  atelier_ui_save_screenshot (GTK_WINDOW (window), "faceid-running");
  atelier_test_wait_until (atelier_faceid_job_get_state (job) == ATELIER_FACEID_JOB_DONE, WAIT_MS);
  atelier_test_wait_until (atelier_faceid_job_row_has_picture (atelier_faceid_page_get_job_row (page (), job)), WAIT_MS);
  g_signal_handlers_disconnect_by_func (job, record_text, NULL);
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (page ()), "Done: kept in the Gallery"));
  atelier_ui_spin (300);
  scroll_to (atelier_ui_get_by_id (GTK_WIDGET (page ()), "jobs_group"));
  scroll_to (atelier_ui_get_by_id (GTK_WIDGET (page ()), "jobs_group"));
  atelier_ui_save_screenshot (GTK_WINDOW (window), "faceid-done");
  for (guint i = 0; i < texts_seen->len; i++)
    g_test_message ("row said: %s", (char *) g_ptr_array_index (texts_seen, i));
  g_clear_pointer (&texts_seen, g_ptr_array_unref);

  /* Still exactly one submit */
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "POST", FAL_SUBMIT), ==, 1);

  /* A second window on the same session lists the job again. */
  second = GTK_WINDOW (atelier_window_new (GTK_APPLICATION (atelier_ui_get_app ()), session));
  gtk_window_present (second);
  {
    AtelierFaceidPage *other = ATELIER_FACEID_PAGE (_atelier_window_get_page (ATELIER_WINDOW (second), "faceid"));

    atelier_test_wait_until (atelier_faceid_page_get_jobs (other) != NULL &&
                             g_list_model_get_n_items (G_LIST_MODEL (atelier_faceid_page_get_jobs (other))) >= 1 &&
                             atelier_faceid_page_get_job_row (other, job) != NULL, WAIT_MS);
    g_assert_cmpstr (job_text (other, job), ==, "Done: kept in the Gallery");
  }
  gtk_window_destroy (second);
}

static void
test_cancel (void)
{
  AtelierFaceidJob *job;

  atelier_sandbox_server_set_fal_delay_ms (sandbox, 120000);
  choose_photo (2);
  set_prompt ("portrait in a studio");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "faceid.generate", NULL));
  job = newest_job ();
  g_assert_nonnull (job);
  atelier_test_wait_until (atelier_faceid_job_get_state (job) == ATELIER_FACEID_JOB_IN_QUEUE, WAIT_MS);
  atelier_test_wait_until (g_str_has_prefix (job_text (page (), job), "Waiting in line"), WAIT_MS);

  {
    GtkWidget *row = GTK_WIDGET (atelier_faceid_page_get_job_row (page (), job));
    GtkWidget *cancel = atelier_ui_find_labelled (row, GTK_TYPE_BUTTON, "_Cancel");

    g_assert_nonnull (cancel);
    g_assert_true (atelier_ui_is_shown (cancel));
    g_signal_emit_by_name (cancel, "clicked");
  }

  atelier_test_wait_until (atelier_sandbox_server_count_requests (sandbox, "PUT", FAL_SUBMIT "/requests/") == 1, WAIT_MS);
  atelier_test_wait_until (atelier_faceid_job_get_state (job) == ATELIER_FACEID_JOB_CANCELLED, WAIT_MS);
  atelier_ui_spin (10);
  g_assert_cmpstr (job_text (page (), job), ==, "Cancelled");
  {
    GtkWidget *row = GTK_WIDGET (atelier_faceid_page_get_job_row (page (), job));

    g_assert_true (atelier_ui_is_shown (atelier_ui_find_labelled (row, GTK_TYPE_BUTTON, "_Remove")));
    g_assert_false (atelier_ui_is_shown (atelier_ui_find_labelled (row, GTK_TYPE_BUTTON, "_Cancel")));
  }
}

static void
test_empty_prompt (void)
{
  choose_photo (3);
  set_prompt ("   ");
  g_assert_true (generate_enabled ());
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "faceid.generate", NULL));
  atelier_ui_spin (50);

  g_assert_nonnull (atelier_faceid_form_get_field_error (form (), "prompt"));
  g_assert_true (gtk_widget_has_css_class (atelier_faceid_form_get_field_widget (form (), "prompt"), "error"));
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "POST", FAL_SUBMIT), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (atelier_faceid_page_get_jobs (page ()))), ==, 0);
  scroll_to (atelier_ui_get_by_id (GTK_WIDGET (page ()), "face_group"));
  atelier_ui_save_screenshot (GTK_WINDOW (window), "faceid-prompt-error");

  /* Typing clears it */
  set_prompt ("a portrait");
  g_assert_null (atelier_faceid_form_get_field_error (form (), "prompt"));
  g_assert_false (gtk_widget_has_css_class (atelier_faceid_form_get_field_widget (form (), "prompt"), "error"));
}

static void
test_corrupt (void)
{
  g_autofree char *path = g_build_filename (dir, "broken.jpg", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GBytes) good = atelier_test_make_image (800, 800, 4, "jpeg");
  g_autoptr(GError) error = NULL;

  /* A JPEG cut short: a known format that does not decode */
  g_file_set_contents (path, g_bytes_get_data (good, NULL), 300, &error);
  g_assert_no_error (error);

  set_prompt ("a portrait");
  choose (file);
  atelier_test_wait_until (atelier_faceid_faces_get_n_busy (faces ()) == 0, WAIT_MS);
  g_assert_nonnull (atelier_faceid_faces_get_problem (faces (), 0));
  g_test_message ("problem: %s", atelier_faceid_faces_get_problem (faces (), 0));
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (page ()), atelier_faceid_faces_get_problem (faces (), 0)));
  g_assert_false (generate_enabled ());
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (page ()), "Remove the photos that cannot be used."));
  scroll_to (atelier_ui_get_by_id (GTK_WIDGET (page ()), "face_group"));
  atelier_ui_save_screenshot (GTK_WINDOW (window), "faceid-corrupt");

  /* A good photo beside it does not help; removing the bad one does. */
  choose_photo (5);
  g_assert_false (generate_enabled ());
  g_assert_cmpuint (atelier_faceid_faces_get_n_faces (faces ()), ==, 2);
  {
    GtkWidget *remove = find_by_tooltip (GTK_WIDGET (page ()), "Remove broken.jpg");

    g_assert_nonnull (remove);
    g_signal_emit_by_name (remove, "clicked");
  }
  g_assert_cmpuint (atelier_faceid_faces_get_n_faces (faces ()), ==, 1);
  g_assert_true (generate_enabled ());
}

static void
test_reuse_settings (void)
{
  g_autoptr(JsonNode) settings = json_from_string ("{\"prompt\":\"a knight\",\"negative_prompt\":\"\","
                                                   "\"model_type\":\"1_5-auraface-v1\",\"seed\":7,"
                                                   "\"guidance_scale\":3,\"num_inference_steps\":80,"
                                                   "\"width\":1024,\"height\":640,\"face_id_det_size\":320}", NULL);
  g_autoptr(JsonObject) input = NULL;

  atelier_window_show_page (window, "tunes");
  atelier_shell_open_faceid (ATELIER_SHELL (window), NULL, settings);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (atelier_ui_find_by_type (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK))),
                   ==, "faceid");

  input = atelier_faceid_form_build_input (form ());
  g_assert_cmpstr (json_object_get_string_member (input, "prompt"), ==, "a knight");
  g_assert_cmpstr (json_object_get_string_member (input, "negative_prompt"), ==, "");
  g_assert_cmpstr (json_object_get_string_member (input, "model_type"), ==, "1_5-auraface-v1");
  g_assert_cmpint (json_object_get_int_member (input, "seed"), ==, 7);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (input, "guidance_scale"), 3.0, 1e-9);
  g_assert_cmpint (json_object_get_int_member (input, "num_inference_steps"), ==, 80);
  g_assert_cmpint (json_object_get_int_member (input, "width"), ==, 1024);
  g_assert_cmpint (json_object_get_int_member (input, "height"), ==, 640);
  g_assert_cmpint (json_object_get_int_member (input, "face_id_det_size"), ==, 320);

  /* The reset button brings the documented default back */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (form ()), "faceid.reset-negative", NULL));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (field_input ("negative_prompt"))), ==,
                   "blurry, low resolution, bad, ugly, low quality, pixelated, interpolated, compression artifacts, noisey, grainy");

  /* A file URI as the face, as "Open With" gives it */
  {
    g_autoptr(GFile) file = write_photo ("opened.jpg", 9);
    g_autofree char *uri = g_file_get_uri (file);

    atelier_shell_open_faceid (ATELIER_SHELL (window), uri, NULL);
    g_assert_cmpuint (atelier_faceid_faces_get_n_faces (faces ()), ==, 1);
    atelier_test_wait_until (atelier_faceid_faces_has_thumbnail (faces (), 0), WAIT_MS);
  }
}

static void
test_create_tune (void)
{
  AtelierTunesPage *tunes;
  AtelierTuneEditor *editor;
  g_autoptr(AtelierTuneParams) params = NULL;

  choose_photo (6);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "faceid.create-tune", NULL));

  tunes = ATELIER_TUNES_PAGE (_atelier_window_get_page (window, "tunes"));
  atelier_test_wait_until (atelier_tunes_page_get_editor (tunes) != NULL &&
                           g_strcmp0 (atelier_tunes_page_get_view (tunes), "editor") == 0, WAIT_MS);
  editor = atelier_tunes_page_get_editor (tunes);
  g_assert_null (atelier_tune_editor_get_pack (editor));
  atelier_test_wait_until (atelier_photo_list_get_n_photos (atelier_picker_get_photo_list (atelier_tune_editor_get_picker (editor))) == 1,
                           WAIT_MS);
  params = atelier_tune_editor_build_params (editor);
  g_assert_cmpstr (atelier_params_get_string (ATELIER_PARAMS (params), "model_type"), ==, "faceid");
  atelier_ui_save_screenshot (GTK_WINDOW (window), "faceid-tune-editor");
}

static void
test_faceid_tunes (void)
{
  gint64 id;
  g_autoptr(AtelierTuneParams) params = NULL;

  /* A seeded tune is not FaceID: the list stays empty of it. */
  id = atelier_sandbox_server_seed_tune (sandbox, "Plain Tune", "woman", TRUE);
  g_assert_cmpint (id, >, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
  atelier_test_wait_until (!atelier_faceid_page_get_loading_tunes (page ()), WAIT_MS);
  g_assert_null (atelier_ui_find_labelled (atelier_ui_get_by_id (GTK_WIDGET (page ()), "tunes_list"),
                                           ADW_TYPE_ACTION_ROW, "Plain Tune"));
  {
    GtkWidget *list = atelier_ui_get_by_id (GTK_WIDGET (page ()), "tunes_list");

    for (GtkWidget *c = gtk_widget_get_first_child (list); c; c = gtk_widget_get_next_sibling (c))
      g_test_message ("tunes child %s visible %d mapped %d", G_OBJECT_TYPE_NAME (c), gtk_widget_get_visible (c), gtk_widget_get_mapped (c));
  }
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (page ()), "No FaceID tunes yet."));
  (void) params;
}

/* An image with an address (Astria's) goes as that address. */
static void
test_url_face (void)
{
  g_autofree char *base = atelier_sandbox_server_dup_base_url (sandbox);
  g_autofree char *url = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) body = NULL;
  gint64 tune, prompt;

  tune = atelier_sandbox_server_seed_tune (sandbox, "Face Source", "woman", TRUE);
  prompt = atelier_sandbox_server_seed_prompt (sandbox, tune, "a portrait", 1);
  path = atelier_sandbox_server_dup_image_path (sandbox, prompt, 0);
  url = g_strconcat (base, path, NULL);

  atelier_shell_open_faceid (ATELIER_SHELL (window), url, NULL);
  g_assert_cmpuint (atelier_faceid_faces_get_n_faces (faces ()), ==, 1);
  atelier_test_wait_until (atelier_faceid_faces_has_thumbnail (faces (), 0), WAIT_MS);
  g_assert_null (atelier_faceid_faces_get_problem (faces (), 0));
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (page ()), "as its Astria address"));

  generate ("a portrait by the sea");
  atelier_test_wait_until (atelier_sandbox_server_count_requests (sandbox, "POST", FAL_SUBMIT) == 1, WAIT_MS);
  body = last_submit ();
  g_assert_cmpstr (json_object_get_string_member (body, "face_image_url"), ==, url);
  g_assert_false (json_object_has_member (body, "face_images_data_url"));
}

/* Several photos: one zip of them, as a data URL. */
static void
test_several_faces (void)
{
  g_autoptr(JsonObject) body = NULL;
  g_autofree guchar *zip = NULL;
  const char *data_url;
  struct archive *archive;
  struct archive_entry *entry;
  gsize length = 0;
  guint n = 0;

  choose_photo (11);
  choose_photo (12);
  choose_photo (13);
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (page ()), "one zip of 3 photos"));
  generate ("three photos, one face");
  atelier_test_wait_until (atelier_sandbox_server_count_requests (sandbox, "POST", FAL_SUBMIT) == 1, WAIT_MS);

  body = last_submit ();
  data_url = json_object_get_string_member_with_default (body, "face_images_data_url", "");
  g_assert_true (g_str_has_prefix (data_url, "data:application/zip;base64,"));
  g_assert_false (g_str_has_prefix (json_object_get_string_member_with_default (body, "face_image_url", ""), "data:"));
  zip = g_base64_decode (strchr (data_url, ',') + 1, &length);

  archive = archive_read_new ();
  archive_read_support_format_zip (archive);
  g_assert_cmpint (archive_read_open_memory (archive, zip, length), ==, ARCHIVE_OK);
  while (archive_read_next_header (archive, &entry) == ARCHIVE_OK)
    {
      g_test_message ("zip entry %s, %" G_GINT64_FORMAT " bytes",
                      archive_entry_pathname (entry), (gint64) archive_entry_size (entry));
      g_assert_cmpint (archive_entry_size (entry), >, 0);
      n++;
    }
  archive_read_free (archive);
  g_assert_cmpuint (n, ==, 3);
}

/* fal's 422 on a field: shown on that field, the row says refused. */
static void
test_refused_field (void)
{
  AtelierFaceidJob *job;
  GtkWidget *width;

  fault_on_submit (422, "{\"detail\":[{\"loc\":[\"body\",\"width\"],"
                        "\"msg\":\"Width <b>must</b> be a multiple of 64\",\"type\":\"value_error\"}]}", 1);
  choose_photo (14);
  job = generate ("a portrait");
  atelier_test_wait_until (atelier_faceid_job_get_state (job) == ATELIER_FACEID_JOB_REFUSED, WAIT_MS);
  atelier_ui_spin (10);

  g_assert_true (g_str_has_prefix (job_text (page (), job), "Refused"));
  g_assert_nonnull (atelier_faceid_form_get_field_error (form (), "width"));
  g_assert_nonnull (strstr (atelier_faceid_form_get_field_error (form (), "width"), "multiple of 64"));
  width = atelier_faceid_form_get_field_widget (form (), "width");
  g_assert_true (gtk_widget_has_css_class (width, "error"));
  /* The message as text, its markup not read */
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (page ()), "Width <b>must</b> be a multiple of 64"));
  scroll_to (width);
  atelier_ui_save_screenshot (GTK_WINDOW (window), "faceid-field-refused");
  shot_jobs ("faceid-refused-row");
  atelier_sandbox_server_clear_faults (sandbox);
}

/* A 5xx on submit: maybe queued; Retry sends it again and it finishes. */
static void
test_unsure_retry (void)
{
  AtelierFaceidJob *job;
  GtkWidget *retry;

  fault_on_submit (500, NULL, 1);
  choose_photo (15);
  job = generate ("a portrait");
  atelier_test_wait_until (atelier_faceid_job_get_state (job) == ATELIER_FACEID_JOB_UNSURE, WAIT_MS);
  atelier_ui_spin (10);
  g_assert_nonnull (strstr (job_text (page (), job), "may have reached fal.ai"));
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "POST", FAL_SUBMIT), ==, 1);
  retry = job_button (job, "_Retry");
  g_assert_nonnull (retry);
  g_assert_true (atelier_ui_is_shown (retry));
  shot_jobs ("faceid-unsure");

  g_signal_emit_by_name (retry, "clicked");
  atelier_test_wait_until (atelier_sandbox_server_count_requests (sandbox, "POST", FAL_SUBMIT) == 2, WAIT_MS);
  atelier_test_wait_until (atelier_faceid_job_get_state (job) == ATELIER_FACEID_JOB_DONE, WAIT_MS);
  atelier_test_wait_until (atelier_faceid_job_row_has_picture (atelier_faceid_page_get_job_row (page (), job)), WAIT_MS);
}

/* fal refuses the key: said plainly, and not sent again by itself. */
static void
test_key_refused (void)
{
  AtelierFaceidJob *job;
  const char *text;
  AtelierFaceidJobState state;

  fault_on_submit (401, "{\"detail\":\"Invalid key\"}", 0);
  choose_photo (16);
  job = generate ("a portrait");
  atelier_test_wait_until (!atelier_faceid_job_is_active (job), WAIT_MS);
  state = atelier_faceid_job_get_state (job);
  atelier_ui_spin (10);
  text = job_text (page (), job);
  g_test_message ("401: state %d, row says: %s", state, text);
  g_assert_true (state == ATELIER_FACEID_JOB_REFUSED || state == ATELIER_FACEID_JOB_FAILED);
  g_assert_nonnull (strstr (text, "key"));
  shot_jobs ("faceid-key-refused");
  /* Give a loop the time to show itself */
  atelier_ui_spin (1500);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "POST", FAL_SUBMIT), ==, 1);
  g_assert_cmpint (atelier_faceid_job_get_state (job), ==, state);
  atelier_sandbox_server_clear_faults (sandbox);
}

/* fal rate-limits the status calls past the client's own retries: the
 * row says it waits, then the request finishes. */
static void
test_rate_limited (void)
{
  AtelierSandboxFault fault = {
    .method = "GET", .path = FAL_SUBMIT "/requests/", .kind = ATELIER_SANDBOX_FAULT_STATUS,
    .status = 429, .retry_after_s = 1, .times = 6,
  };
  AtelierFaceidJob *job;

  choose_photo (20);
  atelier_sandbox_server_add_fault (sandbox, &fault);
  job = generate ("a portrait");
  atelier_test_wait_until (atelier_faceid_job_is_rate_limited (job), 30000);
  atelier_ui_spin (10);
  g_assert_nonnull (strstr (job_text (page (), job), "slow down"));
  g_assert_true (atelier_faceid_job_is_active (job));
  shot_jobs ("faceid-rate-limited");

  atelier_test_wait_until (atelier_faceid_job_get_state (job) == ATELIER_FACEID_JOB_DONE, 30000);
  atelier_ui_spin (10);
  g_assert_null (strstr (job_text (page (), job), "slow down"));
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "POST", FAL_SUBMIT), ==, 1);
}

static GtkDropTarget *
find_drop_target (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkDropTarget *target = find_drop_target (child);

      if (target != NULL)
        return target;
    }

  return NULL;
}

/* Photos dropped on the face area become the face. */
static void
test_drop (void)
{
  g_autoptr(GFile) one = write_photo ("dropped-1.jpg", 21);
  g_autoptr(GFile) two = write_photo ("dropped-2.jpg", 22);
  GtkDropTarget *target = find_drop_target (GTK_WIDGET (faces ()));
  GSList *list = NULL;
  GValue value = G_VALUE_INIT;
  gboolean accepted = FALSE;

  g_assert_nonnull (target);
  list = g_slist_append (g_slist_append (NULL, one), two);
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (list));
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_value_unset (&value);
  g_slist_free (list);

  g_assert_true (accepted);
  g_assert_cmpuint (atelier_faceid_faces_get_n_faces (faces ()), ==, 2);
  atelier_test_wait_until (atelier_faceid_faces_get_n_busy (faces ()) == 0 &&
                           atelier_faceid_faces_has_thumbnail (faces (), 1), WAIT_MS);
}

/* "Open With" from the file manager: the app shows the FaceID page with
 * the photo as the face. */
static void
test_open_with (void)
{
  g_autoptr(GFile) photo = write_photo ("opened.jpg", 23);
  GFile *files[] = { photo };

  atelier_window_show_page (window, "tunes");
  g_application_open (G_APPLICATION (atelier_ui_get_app ()), files, 1, "");
  atelier_test_wait_until (g_strcmp0 (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (atelier_ui_find_by_type (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK))),
                                      "faceid") == 0, WAIT_MS);
  g_assert_cmpuint (atelier_faceid_faces_get_n_faces (faces ()), ==, 1);
  atelier_test_wait_until (atelier_faceid_faces_get_n_busy (faces ()) == 0 &&
                           atelier_faceid_faces_has_thumbnail (faces (), 0), WAIT_MS);
}

/* Cancel is offered while the request waits, not once it runs. */
static void
test_cancel_offered (void)
{
  AtelierFaceidJob *job;

  atelier_sandbox_server_set_fal_delay_ms (sandbox, 8000);
  choose_photo (17);
  job = generate ("a portrait");
  atelier_ui_spin (0);
  if (atelier_faceid_job_get_state (job) == ATELIER_FACEID_JOB_SUBMITTING)
    g_assert_true (atelier_ui_is_shown (job_button (job, "_Cancel")));
  atelier_test_wait_until (atelier_faceid_job_get_state (job) == ATELIER_FACEID_JOB_IN_QUEUE ||
                           atelier_faceid_job_get_state (job) == ATELIER_FACEID_JOB_IN_PROGRESS, WAIT_MS);
  if (atelier_faceid_job_get_state (job) == ATELIER_FACEID_JOB_IN_QUEUE)
    g_assert_true (atelier_ui_is_shown (job_button (job, "_Cancel")));
  atelier_test_wait_until (atelier_faceid_job_get_state (job) == ATELIER_FACEID_JOB_IN_PROGRESS, WAIT_MS);
  atelier_ui_spin (10);
  g_assert_false (atelier_ui_is_shown (job_button (job, "_Cancel")));
  g_assert_false (atelier_ui_is_shown (job_button (job, "_Remove")));
}

/* The model fails: fal's message, as text. */
static void
test_model_fails (void)
{
  AtelierFaceidJob *job;

  choose_photo (18);
  job = generate ("a portrait <i>sandbox:fail</i>");
  atelier_test_wait_until (atelier_faceid_job_get_state (job) == ATELIER_FACEID_JOB_FAILED, WAIT_MS);
  atelier_ui_spin (10);
  g_assert_cmpstr (job_text (page (), job), ==, "Failed: The model failed while generating.");
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (page ()), "Failed: The model failed while generating."));
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (page ()), "a portrait <i>sandbox:fail</i>"));
  shot_jobs ("faceid-model-failed");
}

/* A photo of no face: fal finds none. */
static void
test_no_face (void)
{
  g_autofree char *path = g_build_filename (dir, "flat.jpg", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GdkPixbuf) flat = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 700, 700);
  g_autoptr(GError) error = NULL;
  AtelierFaceidJob *job;

  gdk_pixbuf_fill (flat, 0x6080a0ff);
  gdk_pixbuf_save (flat, path, "jpeg", &error, "quality", "95", NULL);
  g_assert_no_error (error);

  choose (file);
  atelier_test_wait_until (atelier_faceid_faces_get_n_busy (faces ()) == 0, WAIT_MS);
  g_assert_null (atelier_faceid_faces_get_problem (faces (), 0));
  job = generate ("a portrait");
  atelier_test_wait_until (atelier_faceid_job_get_state (job) == ATELIER_FACEID_JOB_FAILED, WAIT_MS);
  atelier_ui_spin (10);
  g_assert_nonnull (strstr (job_text (page (), job), "No face was found in the image."));
  shot_jobs ("faceid-no-face");
}

/* A 30000 × 30000 PNG header: refused before decoding, Generate off. */
static void
test_huge_image (void)
{
  g_autofree char *path = g_build_filename (dir, "huge.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GBytes) png = atelier_test_make_png_header (30000, 30000);
  g_autoptr(GError) error = NULL;
  const char *problem;

  g_file_set_contents (path, g_bytes_get_data (png, NULL), g_bytes_get_size (png), &error);
  g_assert_no_error (error);

  set_prompt ("a portrait");
  choose (file);
  atelier_test_wait_until (atelier_faceid_faces_get_n_busy (faces ()) == 0, WAIT_MS);
  problem = atelier_faceid_faces_get_problem (faces (), 0);
  g_assert_nonnull (problem);
  g_test_message ("problem: %s", problem);
  g_assert_nonnull (strstr (problem, "30000 × 30000"));
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (page ()), problem));
  g_assert_false (generate_enabled ());
  scroll_to (atelier_ui_get_by_id (GTK_WIDGET (page ()), "face_group"));
  atelier_ui_save_screenshot (GTK_WINDOW (window), "faceid-huge");
}

/* A finished request's picture opens the Gallery on it. */
static void
test_picture_opens_gallery (void)
{
  AtelierFaceidJob *job;
  AtelierFaceidJobRow *row;
  GtkWidget *gallery = _atelier_window_get_page (window, "gallery");
  GtkWidget *picture;
  GtkDropDown *dropdown;

  choose_photo (19);
  job = generate ("a portrait for the gallery");
  atelier_test_wait_until (atelier_faceid_job_get_state (job) == ATELIER_FACEID_JOB_DONE, WAIT_MS);
  row = atelier_faceid_page_get_job_row (page (), job);
  atelier_test_wait_until (atelier_faceid_job_row_has_picture (row), WAIT_MS);
  picture = find_by_tooltip (GTK_WIDGET (row), "Show in the Gallery");
  g_assert_nonnull (picture);
  g_signal_emit_by_name (picture, "clicked");

  g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (atelier_ui_find_by_type (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK))),
                   ==, "gallery");
  dropdown = GTK_DROP_DOWN (atelier_ui_get_by_id (gallery, "tune_dropdown"));
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, 1);
  g_assert_cmpstr (atelier_prompts_model_get_source (_atelier_gallery_page_get_model (ATELIER_GALLERY_PAGE (gallery))),
                   ==, ATELIER_PROMPT_SOURCE_FACEID_FAL);
  atelier_test_wait_until (_atelier_gallery_page_get_viewer (ATELIER_GALLERY_PAGE (gallery)) != NULL, WAIT_MS);
  atelier_ui_spin (300);
  atelier_ui_save_screenshot (_atelier_gallery_page_get_viewer (ATELIER_GALLERY_PAGE (gallery)), "faceid-viewer");
  gtk_window_destroy (_atelier_gallery_page_get_viewer (ATELIER_GALLERY_PAGE (gallery)));
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  atelier_ui_test_init (&argc, &argv);
  dir = g_dir_make_tmp ("atelier-faceid-XXXXXX", &error);
  g_assert_no_error (error);

  atelier_ui_test_add ("/faceid/empty", start, test_empty);
  atelier_ui_test_add ("/faceid/generate", start, test_generate);
  atelier_ui_test_add ("/faceid/cancel", start, test_cancel);
  atelier_ui_test_add ("/faceid/empty-prompt", start, test_empty_prompt);
  atelier_ui_test_add ("/faceid/corrupt", start, test_corrupt);
  atelier_ui_test_add ("/faceid/reuse-settings", start, test_reuse_settings);
  atelier_ui_test_add ("/faceid/create-tune", start, test_create_tune);
  atelier_ui_test_add ("/faceid/faceid-tunes", start, test_faceid_tunes);
  atelier_ui_test_add ("/faceid/url-face", start, test_url_face);
  atelier_ui_test_add ("/faceid/several-faces", start, test_several_faces);
  atelier_ui_test_add ("/faceid/refused-field", start, test_refused_field);
  atelier_ui_test_add ("/faceid/unsure-retry", start, test_unsure_retry);
  atelier_ui_test_add ("/faceid/key-refused", start, test_key_refused);
  atelier_ui_test_add ("/faceid/cancel-offered", start, test_cancel_offered);
  atelier_ui_test_add ("/faceid/model-fails", start, test_model_fails);
  atelier_ui_test_add ("/faceid/no-face", start, test_no_face);
  atelier_ui_test_add ("/faceid/huge-image", start, test_huge_image);
  atelier_ui_test_add ("/faceid/picture-opens-gallery", start, test_picture_opens_gallery);
  atelier_ui_test_add ("/faceid/rate-limited", start, test_rate_limited);
  atelier_ui_test_add ("/faceid/drop", start, test_drop);
  atelier_ui_test_add ("/faceid/open-with", start, test_open_with);

  status = g_test_run ();
  atelier_test_rm_rf (dir);
  g_free (dir);

  return status;
}
