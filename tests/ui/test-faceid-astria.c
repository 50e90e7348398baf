/* test-faceid-astria.c: the Astria FaceID way, end to end, in the Sandbox
 *
 * The real application in-process: a photo chosen on the FaceID page,
 * "Create FaceID Tune…" opens the New Tune editor in FaceID mode with it;
 * submitted, the sandbox receives exactly one POST /tunes with
 * tune[model_type]=faceid, the class as tune[name] and the photo; the
 * page's "Astria FaceID Tunes" then lists the tune (FaceID tunes are
 * trained at creation); "Write a Prompt…" opens the prompt editor, whose
 * prompt goes to the gallery base model (690204) with <faceid:ID:1>, and
 * shows the FaceID tips of the docs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atelier-application.h"
#include "atelier-faceid-page.h"
#include "atelier-prompt-editor.h"
#include "atelier-shell.h"
#include "atelier-test-utils.h"
#include "atelier-tune-setup.h"
#include "atelier-tunes-page.h"
#include "atelier-ui-test-utils.h"
#include "atelier-window-private.h"

#define WAIT_MS 60000   /* generous: a loaded machine, software rendering */

static AtelierWindow *window;
static AtelierSandboxServer *sandbox;
static char *dir;

/* {{{ Helpers */

static AtelierFaceidPage *
page (void)
{
  return ATELIER_FACEID_PAGE (_atelier_window_get_page (window, "faceid"));
}

static void
start (void)
{
  window = atelier_ui_app_start (NULL);
  sandbox = atelier_ui_get_sandbox ();
  atelier_window_show_page (window, "faceid");
  atelier_test_wait_until (!atelier_faceid_page_get_loading_tunes (page ()), WAIT_MS);
  atelier_sandbox_server_clear_requests (sandbox);
}

/* The one request @method @path received (asserted to be one). */
static AtelierSandboxRequest *
the_request (const char *method,
             const char *path)
{
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, method, path), ==, 1);
  return atelier_sandbox_server_dup_last_request (sandbox, method, path);
}

/* The FaceID tune row titled @title on the page, or NULL. */
static GtkWidget *
tune_row (const char *title)
{
  return atelier_ui_find_labelled (atelier_ui_get_by_id (GTK_WIDGET (page ()), "tunes_list"), ADW_TYPE_ACTION_ROW, title);
}

/* Creates a FaceID tune titled @title from one photo, through the page and
 * the editor; returns its id. */
static gint64
create_faceid_tune (const char  *title,
                    char       **out_title)
{
  g_autoptr(GFile) photo = atelier_test_write_image (dir, "face.jpg", 800, 900, 5, "jpeg");
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(AtelierSandboxRequest) request = NULL;
  AtelierTunesPage *tunes;
  AtelierTuneEditor *editor;
  AtelierPhotoList *photos;

  g_ptr_array_add (files, g_object_ref (photo));
  atelier_faceid_page_add_files (page (), files);
  atelier_test_wait_until (atelier_faceid_faces_get_n_busy (atelier_faceid_page_get_faces (page ())) == 0, WAIT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "faceid.create-tune", NULL));

  tunes = ATELIER_TUNES_PAGE (_atelier_window_get_page (window, "tunes"));
  atelier_test_wait_until (atelier_tunes_page_get_editor (tunes) != NULL &&
                           g_strcmp0 (atelier_tunes_page_get_view (tunes), "editor") == 0, WAIT_MS);
  editor = atelier_tunes_page_get_editor (tunes);
  photos = atelier_picker_get_photo_list (atelier_tune_editor_get_picker (editor));
  atelier_test_wait_until (atelier_photo_list_get_n_photos (photos) == 1 &&
                           atelier_photo_list_get_n_analyzing (photos) == 0 &&
                           atelier_photo_list_get_n_inspecting (photos) == 0, WAIT_MS);

  gtk_editable_set_text (GTK_EDITABLE (atelier_ui_get_by_id (GTK_WIDGET (editor), "title_row")), title);
  adw_combo_row_set_selected (ADW_COMBO_ROW (atelier_ui_get_by_id (GTK_WIDGET (editor), "class_row")), 1);   /* woman */
  atelier_test_wait_until (gtk_widget_is_sensitive (atelier_ui_get_by_id (GTK_WIDGET (editor), "submit_button")), WAIT_MS);
  atelier_sandbox_server_clear_requests (sandbox);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.submit", NULL));
  {
    /* Fewer than 4 photos: the editor asks; FaceID needs only one. */
    GtkWindow *dialog = atelier_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);

    if (dialog != NULL)
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "all");
  }
  atelier_test_wait_until (!atelier_tune_editor_get_busy (editor), WAIT_MS);

  /* Exactly one POST /tunes, as the FaceID page documents it: a
   * multipart form with the fields tune[…] and the photo as
   * tune[images][] */
  request = the_request ("POST", "/tunes");
  {
    g_auto(GStrv) names = atelier_sandbox_request_dup_field_names (request);
    g_autofree char *joined = g_strjoinv (", ", names);

    g_test_message ("POST /tunes fields: %s; files: %u", joined,
                    atelier_sandbox_request_count_files (request, "tune[images][]"));
  }
  g_assert_cmpstr (atelier_sandbox_request_get_field (request, "tune[model_type]"), ==, "faceid");
  g_assert_cmpstr (atelier_sandbox_request_get_field (request, "tune[name]"), ==, "woman");
  /* The title with a UUID after it, as the docs' example does */
  g_assert_true (g_str_has_prefix (atelier_sandbox_request_get_field (request, "tune[title]"), title));
  g_assert_cmpuint (atelier_sandbox_request_count_files (request, "tune[images][]"), ==, 1);

  g_assert_cmpstr (atelier_tunes_page_get_view (tunes), ==, "detail");
  *out_title = g_strdup (atelier_tune_get_title (atelier_tune_detail_get_tune (atelier_tunes_page_get_detail (tunes))));
  return atelier_tune_get_id (atelier_tune_detail_get_tune (atelier_tunes_page_get_detail (tunes)));
}

static AtelierPromptEditor *
write_prompt (const char *title)
{
  GtkWidget *row = NULL;
  GtkWidget *button;
  AtelierPromptEditor *editor = NULL;

  /* Back on the page, the new tune is listed */
  atelier_window_show_page (window, "faceid");
  atelier_test_wait_until (!atelier_faceid_page_get_loading_tunes (page ()) && (row = tune_row (title)) != NULL,
                           WAIT_MS);
  button = atelier_ui_find_labelled (row, GTK_TYPE_BUTTON, "_Write a Prompt…");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  atelier_test_wait_until ((editor = (AtelierPromptEditor *) atelier_ui_find_toplevel (ATELIER_TYPE_PROMPT_EDITOR)) != NULL,
                           WAIT_MS);
  return editor;
}

/* }}} */
/* {{{ Tests */

static void
test_tune_and_prompt (void)
{
  g_autoptr(AtelierSandboxRequest) request = NULL;
  g_autofree char *tag = NULL;
  g_autofree char *title = NULL;
  g_autofree char *prompts_path = g_strdup_printf ("/tunes/%d/prompts", ATELIER_SANDBOX_RV51_TUNE_ID);
  AtelierPromptEditor *editor;
  GtkTextView *view;
  const char *text;
  gint64 id;

  id = create_faceid_tune ("Face of John", &title);
  tag = g_strdup_printf ("<faceid:%" G_GINT64_FORMAT ":1>", id);

  editor = write_prompt (title);
  g_assert_cmpint (atelier_prompt_editor_get_target_tune_id (editor), ==, ATELIER_SANDBOX_RV51_TUNE_ID);
  view = GTK_TEXT_VIEW (atelier_ui_get_by_id (GTK_WIDGET (editor), "text_view"));
  {
    /* The tag is there, with a space after it for what is typed next. */
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
    g_autofree char *spaced = g_strconcat (tag, " ", NULL);
    g_autofree char *initial = NULL;
    GtkTextIter start, end;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    initial = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_cmpstr (initial, ==, spaced);
    /* The cursor after it: typing goes after the tag. */
    gtk_text_buffer_get_iter_at_mark (buffer, &start, gtk_text_buffer_get_insert (buffer));
    g_assert_cmpint (gtk_text_iter_get_offset (&start), ==, g_utf8_strlen (spaced, -1));
  }
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), "woman trekking in the alps", -1);
  atelier_sandbox_server_clear_requests (sandbox);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.generate", NULL));
  atelier_test_wait_until (atelier_sandbox_server_count_requests (sandbox, "POST", "/tunes/") >= 1, WAIT_MS);
  atelier_ui_spin (200);

  /* One prompt, on the gallery base model, with the tune's tag */
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "POST", "/tunes/"), ==, 1);
  request = the_request ("POST", prompts_path);
  {
    text = atelier_sandbox_request_get_field (request, "prompt[text]");
    g_assert_nonnull (text);
    g_test_message ("prompt[text]: %s", text);
    g_assert_nonnull (strstr (text, tag));
    g_assert_nonnull (strstr (text, "woman trekking in the alps"));
  }
}

static void
test_tips (void)
{
  g_autofree char *title = NULL;
  AtelierPromptEditor *editor;

  create_faceid_tune ("Face of Tips", &title);
  editor = write_prompt (title);

  /* The FaceID page's advice */
  atelier_test_wait_until (atelier_ui_shows_text (GTK_WIDGET (editor), "FaceID works best with a CFG scale of 3."),
                           WAIT_MS);
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (editor), "Face swap works nicely with FaceID"));
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (editor), "face correct improves the facial features"));
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (editor), "LCM scheduler"));
  gtk_window_destroy (GTK_WINDOW (editor));
}

/* An unfinished tune with someone else's photo is open: "Create FaceID
 * Tune…" asks before the face joins it. @response is the answer. */
static void
unfinished_tune (const char *response)
{
  g_autoptr(GFile) other = atelier_test_write_image (dir, "someone-else.jpg", 800, 900, 7, "jpeg");
  g_autoptr(GFile) face = atelier_test_write_image (dir, "face.jpg", 800, 900, 5, "jpeg");
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  AtelierTunesPage *tunes = ATELIER_TUNES_PAGE (_atelier_window_get_page (window, "tunes"));
  AtelierTuneEditor *editor;
  AtelierPhotoList *photos;
  GtkWindow *dialog = NULL;
  GtkWidget *title_row;

  /* The unfinished tune */
  atelier_window_show_page (window, "tunes");
  atelier_tunes_page_new_tune (tunes);
  atelier_test_wait_until ((editor = atelier_tunes_page_get_editor (tunes)) != NULL, WAIT_MS);
  photos = atelier_picker_get_photo_list (atelier_tune_editor_get_picker (editor));
  g_ptr_array_add (files, g_object_ref (other));
  atelier_picker_add_files (atelier_tune_editor_get_picker (editor), files);
  atelier_test_wait_until (atelier_photo_list_get_n_photos (photos) == 1, WAIT_MS);
  title_row = atelier_ui_get_by_id (GTK_WIDGET (editor), "title_row");
  gtk_editable_set_text (GTK_EDITABLE (title_row), "Someone Else");
  atelier_test_wait_until (!atelier_draft_is_empty (atelier_tune_editor_get_draft (editor)), WAIT_MS);

  /* A face chosen on the FaceID page */
  atelier_window_show_page (window, "faceid");
  g_ptr_array_set_size (files, 0);
  g_ptr_array_add (files, g_object_ref (face));
  atelier_faceid_page_add_files (page (), files);
  atelier_test_wait_until (atelier_faceid_faces_get_n_busy (atelier_faceid_page_get_faces (page ())) == 0, WAIT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page ()), "faceid.create-tune", NULL));

  atelier_test_wait_until ((dialog = atelier_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL, WAIT_MS);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Start a New Tune?");
  /* Nothing has joined the unfinished tune before the answer. */
  g_assert_cmpuint (atelier_photo_list_get_n_photos (photos), ==, 1);
  atelier_ui_save_screenshot (dialog, "faceid-unfinished-tune");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);

  if (g_str_equal (response, "cancel"))
    {
      atelier_ui_spin (200);
      g_assert_cmpuint (atelier_photo_list_get_n_photos (photos), ==, 1);
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (title_row)), ==, "Someone Else");
      return;
    }

  atelier_test_wait_until (g_strcmp0 (atelier_tunes_page_get_view (tunes), "editor") == 0 &&
                           atelier_photo_list_get_n_photos (photos) == (g_str_equal (response, "new") ? 1 : 2) &&
                           atelier_photo_list_get_n_analyzing (photos) == 0, WAIT_MS);
  if (g_str_equal (response, "new"))
    {
      g_autofree char *name = g_file_get_basename (atelier_training_photo_get_file (atelier_photo_list_get_photo (photos, 0)));

      g_assert_cmpstr (name, ==, "face.jpg");
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (title_row)), ==, "");
    }
  else
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (title_row)), ==, "Someone Else");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (atelier_ui_get_by_id (GTK_WIDGET (editor), "model_row"))),
                    ==, ATELIER_TUNE_MODEL_FACEID);
}

static void
test_unfinished_new (void)
{
  unfinished_tune ("new");
}

static void
test_unfinished_add (void)
{
  unfinished_tune ("add");
}

static void
test_unfinished_cancel (void)
{
  unfinished_tune ("cancel");
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  atelier_ui_test_init (&argc, &argv);
  dir = g_dir_make_tmp ("atelier-faceid-astria-XXXXXX", &error);
  g_assert_no_error (error);

  atelier_ui_test_add ("/faceid-astria/tune-and-prompt", start, test_tune_and_prompt);
  atelier_ui_test_add ("/faceid-astria/tips", start, test_tips);
  atelier_ui_test_add ("/faceid-astria/unfinished-tune/new", start, test_unfinished_new);
  atelier_ui_test_add ("/faceid-astria/unfinished-tune/add", start, test_unfinished_add);
  atelier_ui_test_add ("/faceid-astria/unfinished-tune/cancel", start, test_unfinished_cancel);

  status = g_test_run ();
  atelier_test_rm_rf (dir);
  g_free (dir);
  return status;
}
