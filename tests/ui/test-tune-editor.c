/* test-tune-editor.c: composing and creating a tune, the way a user does
 *
 * The real application in-process, in its Sandbox: the tune editor of the
 * Tunes page, its model-dependent fields, the multipart the sandbox
 * receives, huge photos sent as smaller copies, the draft surviving the
 * window, 504s and cancelled uploads that never create a tune twice, a
 * 422's field errors on their rows, and a connection dropped after (or
 * before) the service made the tune: said so at once, never "offline".
 * The offline bar comes only after connection failures in a row; a
 * prompt whose connection dropped says it may have been made. The upload
 * workflow and the offline rule are tested without a display in
 * tests/test-tune-upload.c, the draft file in tests/test-drafts.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atelier-application.h"
#include "atelier-draft.h"
#include "atelier-prompt-editor.h"
#include "atelier-shell.h"
#include "atelier-test-utils.h"
#include "atelier-tunes-page.h"
#include "atelier-ui-test-utils.h"
#include "atelier-window-private.h"

#define WAIT_MS 60000   /* generous: a loaded machine, software rendering */

static AtelierApplication *app;
static AtelierWindow *window;
static AtelierSession *session;
static AtelierSandboxServer *sandbox;
static char *dir;

/* {{{ Helpers */

/* A fresh application in its Sandbox. */
static void
start (void)
{
  window = atelier_ui_app_start (NULL);
  app = atelier_ui_get_app ();
  session = atelier_window_get_session (window);
  g_assert_cmpint (atelier_session_get_mode (session), ==, ATELIER_SESSION_MODE_SANDBOX);
  sandbox = atelier_ui_get_sandbox ();
}

static AtelierTunesPage *
page (void)
{
  return ATELIER_TUNES_PAGE (_atelier_window_get_page (window, "tunes"));
}

static AtelierTuneEditor *
open_editor (void)
{
  AtelierTunesPage *tunes = page ();

  atelier_window_show_page (window, "tunes");
  atelier_test_wait_until (atelier_tunes_page_get_draft_loaded (tunes), WAIT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (tunes), "page.new-tune", NULL));
  g_assert_cmpstr (atelier_tunes_page_get_view (tunes), ==, "editor");
  g_assert_nonnull (atelier_tunes_page_get_editor (tunes));

  return atelier_tunes_page_get_editor (tunes);
}

static GtkWidget *
child (AtelierTuneEditor *editor,
       const char        *id)
{
  GtkWidget *widget = atelier_ui_find_by_id (GTK_WIDGET (editor), id);

  if (widget == NULL)
    g_error ("No “%s” in the editor", id);
  return widget;
}

static void
set_text (AtelierTuneEditor *editor,
          const char        *id,
          const char        *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (editor, id)), text);
}

static void
select_row (AtelierTuneEditor *editor,
            const char        *id,
            guint              position)
{
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (editor, id)), position);
}

static guint
selected (AtelierTuneEditor *editor,
          const char        *id)
{
  return adw_combo_row_get_selected (ADW_COMBO_ROW (child (editor, id)));
}

static gboolean
shown (AtelierTuneEditor *editor,
       const char        *id)
{
  return atelier_ui_is_shown (child (editor, id));
}

static AtelierPhotoList *
photos (AtelierTuneEditor *editor)
{
  return atelier_picker_get_photo_list (atelier_tune_editor_get_picker (editor));
}

static void
add_photos (AtelierTuneEditor *editor,
            ...)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  va_list args;
  GFile *file;

  va_start (args, editor);
  while ((file = va_arg (args, GFile *)) != NULL)
    g_ptr_array_add (files, file);
  va_end (args);

  atelier_picker_add_files (atelier_tune_editor_get_picker (editor), files);
  atelier_test_wait_until (atelier_photo_list_get_n_analyzing (photos (editor)) == 0 &&
                           atelier_photo_list_get_n_inspecting (photos (editor)) == 0, WAIT_MS);
}

static void
discard (AtelierTuneEditor *editor)
{
  AtelierDraft *draft = atelier_tune_editor_get_draft (editor);

  atelier_draft_clear (draft);
  atelier_tune_editor_set_draft (editor, draft);
  atelier_test_wait_until (atelier_draft_get_saved (draft), WAIT_MS);
}

static gboolean
submit_enabled (AtelierTuneEditor *editor)
{
  return gtk_widget_is_sensitive (child (editor, "submit_button"));
}

/* Before a paid upload the editor asks about photos with warnings and
 * about fewer than 4 photos: @response answers, when it asks. */
static void
answer_upload_choice (const char *response)
{
  GtkWindow *dialog = atelier_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);

  if (dialog != NULL)
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
}

static void
submit (AtelierTuneEditor *editor)
{
  atelier_test_wait_until (submit_enabled (editor), WAIT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.submit", NULL));
  answer_upload_choice ("all");
  g_assert_true (atelier_tune_editor_get_busy (editor));
  atelier_test_wait_until (!atelier_tune_editor_get_busy (editor), WAIT_MS);
}

static guint
count_widgets (GtkWidget *root,
               GType      type)
{
  guint n = g_type_is_a (G_OBJECT_TYPE (root), type) ? 1 : 0;

  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    n += count_widgets (c, type);

  return n;
}

/* Pictures under @root showing something. */
static guint
count_loaded_pictures (GtkWidget *root)
{
  guint n = GTK_IS_PICTURE (root) && gtk_picture_get_paintable (GTK_PICTURE (root)) != NULL ? 1 : 0;

  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    n += count_loaded_pictures (c);

  return n;
}

/* Tunes in the sandbox whose title starts with @readable and " - ". */
static guint
count_tunes (const char *readable)
{
  AtelierAstriaClient *client = atelier_session_get_astria_client (session);
  g_autofree char *prefix = g_strconcat (readable, " - ", NULL);
  guint count = 0;

  for (guint offset = 0;; offset += ATELIER_PAGE_SIZE)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) tunes = NULL;
      g_autoptr(GError) error = NULL;

      atelier_astria_client_list_tunes_async (client, offset, NULL, atelier_test_store_result, &result);
      tunes = atelier_astria_client_list_tunes_finish (client, atelier_test_wait_result (&result), &error);
      g_assert_no_error (error);

      for (guint i = 0; i < tunes->len; i++)
        if (g_str_has_prefix (atelier_tune_get_title (g_ptr_array_index (tunes, i)), prefix))
          count++;

      if (tunes->len < ATELIER_PAGE_SIZE)
        return count;
    }
}

static GFile *
write_text (const char *name,
            const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

/* A simple tune that is ready at once. */
static void
fill_fast_tune (AtelierTuneEditor *editor,
                const char        *title,
                guint              seed)
{
  g_autofree char *name = g_strdup_printf ("fast-%u.jpg", seed);

  set_text (editor, "title_row", title);
  select_row (editor, "branch_row", 3);
  add_photos (editor, atelier_test_write_image (dir, name, 800, 600, seed, "jpeg"), NULL);
}

static gboolean
uploads_dir_empty (const char *path)
{
  g_autoptr(GDir) d = g_dir_open (path, 0, NULL);

  return d == NULL || g_dir_read_name (d) == NULL;
}

/* }}} */

/* Fields that do not apply are hidden, and the model group says why. */
static void
test_model_fields (void)
{
  AtelierTuneEditor *editor = open_editor ();
  GtkWidget *model_group = child (editor, "model_group");
  g_autoptr(AtelierTuneParams) params = NULL;

  discard (editor);
  /* A new tune: Flux LoRA on Flux1.dev, portrait preset, token ohwx. */
  g_assert_cmpuint (selected (editor, "model_row"), ==, 0);
  g_assert_cmpuint (selected (editor, "branch_row"), ==, 0);
  g_assert_cmpuint (selected (editor, "base_row"), ==, 0);
  g_assert_cmpuint (selected (editor, "preset_row"), ==, 2);
  g_assert_true (shown (editor, "preset_row"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (editor, "token_row"))), ==, "ohwx");
  g_assert_false (submit_enabled (editor));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (child (editor, "status_label"))), ==, "Add photos to train with");
  atelier_ui_save_screenshot (GTK_WINDOW (window), "editor-empty");

  /* FaceID: no steps, no training face correct. */
  select_row (editor, "model_row", 1);
  g_assert_false (shown (editor, "steps_row"));
  g_assert_false (shown (editor, "face_correct_row"));
  g_assert_false (shown (editor, "preset_row"));
  g_assert_cmpuint (selected (editor, "branch_row"), ==, 2);   /* SD 1.5 */
  g_assert_nonnull (strstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (model_group)),
                            "FaceID needs no training"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (editor, "steps_spin")), 500);
  params = atelier_tune_editor_build_params (editor);
  g_assert_cmpstr (atelier_params_get_string (ATELIER_PARAMS (params), "model_type"), ==, "faceid");
  g_assert_false (atelier_params_has (ATELIER_PARAMS (params), "steps"));
  g_assert_false (atelier_params_has (ATELIER_PARAMS (params), "training_face_correct"));
  g_clear_object (&params);
  atelier_ui_save_screenshot (GTK_WINDOW (window), "editor-faceid");

  /* SDXL forces PTI. */
  select_row (editor, "branch_row", 1);
  g_assert_cmpuint (selected (editor, "model_row"), ==, 3);
  g_assert_false (gtk_widget_get_sensitive (child (editor, "model_row")));
  g_assert_cmpuint (selected (editor, "base_row"), ==, 2);
  g_assert_true (shown (editor, "steps_row"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (editor, "model_row"))), ==,
                   "SDXL always trains PTI");
  params = atelier_tune_editor_build_params (editor);
  g_assert_cmpstr (atelier_params_get_string (ATELIER_PARAMS (params), "model_type"), ==, "pti");
  g_assert_cmpint (atelier_params_get_int (ATELIER_PARAMS (params), "base_tune_id"), ==, 666678);
  g_assert_cmpint (atelier_params_get_int (ATELIER_PARAMS (params), "steps"), ==, 500);
  g_clear_object (&params);
  atelier_ui_save_screenshot (GTK_WINDOW (window), "editor-sdxl");

  /* Back to Flux: LoRA with a preset. */
  select_row (editor, "branch_row", 0);
  g_assert_cmpuint (selected (editor, "model_row"), ==, 0);
  g_assert_true (gtk_widget_get_sensitive (child (editor, "model_row")));
  g_assert_cmpuint (selected (editor, "base_row"), ==, 0);
  g_assert_true (shown (editor, "preset_row"));
  atelier_ui_save_screenshot (GTK_WINDOW (window), "editor-flux");

  /* A checkpoint is SD 1.5 and no model_type. */
  select_row (editor, "model_row", 2);
  g_assert_cmpuint (selected (editor, "branch_row"), ==, 2);
  g_assert_false (shown (editor, "preset_row"));
  params = atelier_tune_editor_build_params (editor);
  g_assert_false (atelier_params_has (ATELIER_PARAMS (params), "model_type"));
  g_assert_false (atelier_params_has (ATELIER_PARAMS (params), "preset"));
  g_assert_cmpint (atelier_params_get_int (ATELIER_PARAMS (params), "base_tune_id"), ==, 690204);
  g_clear_object (&params);
  atelier_ui_save_screenshot (GTK_WINDOW (window), "editor-checkpoint");

  /* Fast: a free test run, said so. Another base model by its id. */
  select_row (editor, "branch_row", 3);
  g_assert_nonnull (strstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (model_group)),
                            "free test run"));
  select_row (editor, "base_row", 3);
  g_assert_true (shown (editor, "base_id_row"));
  set_text (editor, "base_id_row", "123456");
  params = atelier_tune_editor_build_params (editor);
  g_assert_cmpint (atelier_params_get_int (ATELIER_PARAMS (params), "base_tune_id"), ==, 123456);
  g_assert_cmpstr (atelier_params_get_string (ATELIER_PARAMS (params), "branch"), ==, "fast");
  g_clear_object (&params);

  /* A custom class. */
  select_row (editor, "class_row", 8);
  g_assert_true (shown (editor, "custom_class_row"));
  set_text (editor, "custom_class_row", "Horse");
  params = atelier_tune_editor_build_params (editor);
  g_assert_cmpstr (atelier_params_get_string (ATELIER_PARAMS (params), "name"), ==, "horse");

  /* Narrow. */
  {
    int width, height;

    gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
    gtk_window_set_default_size (GTK_WINDOW (window), 360, height);
    atelier_ui_save_screenshot (GTK_WINDOW (window), "editor-narrow");
    gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  }

  discard (editor);
}

/* What the sandbox receives: every chosen field and every usable photo. */
static void
test_create (void)
{
  AtelierTuneEditor *editor = open_editor ();
  AtelierDraft *draft = atelier_tune_editor_get_draft (editor);
  g_autoptr(AtelierSandboxRequest) request = NULL;
  g_autoptr(GHashTable) aggregated = NULL;
  GtkWidget *eyes;
  const char *title;
  GHashTableIter iter;
  gpointer key, value;
  AtelierTuneDetail *detail;

  discard (editor);
  atelier_sandbox_server_clear_requests (sandbox);

  set_text (editor, "title_row", "Jane");
  select_row (editor, "class_row", 1);               /* woman */
  select_row (editor, "branch_row", 0);              /* flux1, LoRA, Flux1.dev */
  select_row (editor, "preset_row", 2);              /* portrait */
  set_text (editor, "token_row", "ohwx");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (editor, "steps_spin")), 1200);
  select_row (editor, "face_crop_row", 1);           /* on */
  gtk_switch_set_active (GTK_SWITCH (child (editor, "face_correct_switch")), TRUE);
  gtk_switch_set_active (GTK_SWITCH (child (editor, "auto_extend_switch")), TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.add-prompt", NULL));
  gtk_editable_set_text (GTK_EDITABLE (atelier_ui_find_labelled (GTK_WIDGET (editor), ADW_TYPE_ENTRY_ROW, "Prompt")),
                         "ohwx woman, portrait in a sunlit studio, {{eye_color}}");

  add_photos (editor,
              atelier_test_write_image (dir, "jane-1.jpg", 900, 700, 41, "jpeg"),
              atelier_test_write_image (dir, "jane-2.png", 700, 900, 42, "png"),
              atelier_test_write_image (dir, "jane-3.jpg", 1000, 750, 43, "jpeg"),
              write_text ("jane-notes.jpg", "not a photo"),
              NULL);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (child (editor, "status_label"))), ==,
                   "3 photos will be uploaded; 1 that cannot be read will be left out");
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (child (editor, "scrolled_window"))), 0);
  atelier_ui_save_screenshot (GTK_WINDOW (window), "editor-photos");

  /* The characteristics found, a row each; one corrected by hand. */
  aggregated = atelier_photo_list_aggregate_characteristics (photos (editor));
  g_assert_cmpuint (g_hash_table_size (aggregated), >, 3);
  g_assert_cmpuint (count_widgets (child (editor, "characteristics_group"), ADW_TYPE_ENTRY_ROW), ==,
                    g_hash_table_size (aggregated));
  eyes = atelier_ui_find_labelled (child (editor, "characteristics_group"), ADW_TYPE_ENTRY_ROW, "Eye Colour");
  g_assert_nonnull (eyes);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (eyes)), ==, g_hash_table_lookup (aggregated, "eye_color"));
  gtk_editable_set_text (GTK_EDITABLE (eyes), "green eyes");
  atelier_ui_save_screenshot (GTK_WINDOW (window), "editor-filled");

  submit (editor);

  /* Created: the detail of the new tune, a fresh editor, no draft. */
  g_assert_cmpstr (atelier_tunes_page_get_view (page ()), ==, "detail");
  detail = atelier_tunes_page_get_detail (page ());
  g_assert_cmpstr (atelier_tune_get_name (atelier_tune_detail_get_tune (detail)), ==, "woman");
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (detail), "Jane"));
  atelier_ui_save_screenshot (GTK_WINDOW (window), "detail-created");
  /* Its training photos, the three sent, through the image cache. */
  {
    GtkWidget *photos_box = atelier_ui_find_by_id (GTK_WIDGET (detail), "photos_box");
    GtkWidget *scrolled = gtk_widget_get_ancestor (photos_box, GTK_TYPE_SCROLLED_WINDOW);
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

    g_assert_cmpuint (count_widgets (photos_box, GTK_TYPE_FLOW_BOX_CHILD), ==, 3);
    atelier_test_wait_until (count_loaded_pictures (photos_box) == 3, WAIT_MS);
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    atelier_ui_save_screenshot (GTK_WINDOW (window), "detail-photos");
  }
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (editor, "title_row"))), ==, "");
  g_assert_cmpuint (atelier_photo_list_get_n_photos (photos (editor)), ==, 0);
  atelier_test_wait_until (atelier_draft_get_saved (draft), WAIT_MS);
  g_assert_false (g_file_test (atelier_draft_get_path (draft), G_FILE_TEST_EXISTS));

  /* The multipart, field by field. */
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "POST", "/tunes"), ==, 1);
  request = atelier_sandbox_server_dup_last_request (sandbox, "POST", "/tunes");
  title = atelier_sandbox_request_get_field (request, "tune[title]");
  g_assert_true (g_str_has_prefix (title, "Jane - "));
  g_assert_true (g_uuid_string_is_valid (title + strlen ("Jane - ")));
  g_assert_cmpstr (atelier_sandbox_request_get_field (request, "tune[name]"), ==, "woman");
  g_assert_cmpstr (atelier_sandbox_request_get_field (request, "tune[branch]"), ==, "flux1");
  g_assert_cmpstr (atelier_sandbox_request_get_field (request, "tune[base_tune_id]"), ==, "1504944");
  g_assert_cmpstr (atelier_sandbox_request_get_field (request, "tune[model_type]"), ==, "lora");
  g_assert_cmpstr (atelier_sandbox_request_get_field (request, "tune[preset]"), ==, "flux-lora-portrait");
  g_assert_cmpstr (atelier_sandbox_request_get_field (request, "tune[token]"), ==, "ohwx");
  g_assert_cmpstr (atelier_sandbox_request_get_field (request, "tune[steps]"), ==, "1200");
  g_assert_cmpstr (atelier_sandbox_request_get_field (request, "tune[face_crop]"), ==, "true");
  g_assert_cmpstr (atelier_sandbox_request_get_field (request, "tune[training_face_correct]"), ==, "true");
  g_assert_cmpstr (atelier_sandbox_request_get_field (request, "tune[auto_extend]"), ==, "true");
  g_assert_cmpstr (atelier_sandbox_request_get_field (request, "tune[prompts_attributes][0][text]"), ==,
                   "ohwx woman, portrait in a sunlit studio, {{eye_color}}");
  g_hash_table_iter_init (&iter, aggregated);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *field = g_strdup_printf ("tune[characteristics][%s]", (char *) key);

      g_assert_cmpstr (atelier_sandbox_request_get_field (request, field), ==,
                       g_str_equal (key, "eye_color") ? "green eyes" : value);
    }
  g_assert_cmpuint (atelier_sandbox_request_count_files (request, "tune[images][]"), ==, 3);
  g_assert_cmpuint (count_tunes ("Jane"), ==, 1);
}

/* A photo over 20 megapixels goes as a copy of at most 4096 px. */
/* The form's column keeps its width when the first photo comes in: the
 * picker asks for no more width than the column's clamp starts to
 * tighten at (640 px), with or without photos. It asked for 931 px once
 * the grid was shown, and the whole form jumped sideways. */
static void
test_steady_width (void)
{
  AtelierTuneEditor *editor = open_editor ();
  GtkWidget *picker = GTK_WIDGET (atelier_tune_editor_get_picker (editor));
  int empty_min = 0;
  int photo_min = 0;

  gtk_widget_measure (picker, GTK_ORIENTATION_HORIZONTAL, -1, &empty_min, NULL, NULL, NULL);
  add_photos (editor, atelier_test_write_image (dir, "steady.jpg", 800, 600, 3, "jpeg"), NULL);
  atelier_test_wait_until (atelier_photo_list_get_n_photos (photos (editor)) == 1, WAIT_MS);
  gtk_widget_measure (picker, GTK_ORIENTATION_HORIZONTAL, -1, &photo_min, NULL, NULL, NULL);

  g_test_message ("picker minimum width: %d px empty, %d px with a photo", empty_min, photo_min);
  g_assert_cmpint (empty_min, <, 640);
  g_assert_cmpint (photo_min, <, 640);
}

static void
test_huge_photo (void)
{
  AtelierTuneEditor *editor = open_editor ();
  g_autoptr(AtelierSandboxRequest) request = NULL;
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autofree char *uploads = g_build_filename (g_get_user_cache_dir (), "atelier", "uploads", NULL);
  AtelierSandboxFile *part;
  AtelierTrainingPhoto *photo;
  GdkPixbuf *sent;
  GtkWidget *tile;

  discard (editor);
  set_text (editor, "title_row", "Huge Hugo");
  select_row (editor, "branch_row", 3);
  add_photos (editor, atelier_test_write_image (dir, "huge.jpg", 5200, 4000, 51, "jpeg"), NULL);

  photo = atelier_photo_list_get_photo (photos (editor), 0);
  g_assert_true (atelier_training_photo_get_checks (photo) & ATELIER_PHOTO_CHECK_HUGE);
  tile = atelier_picker_get_tile (atelier_tune_editor_get_picker (editor), photo);
  g_assert_true (atelier_ui_shows_text (tile, "Downscaled for upload"));
  /* A note, not a warning. */
  g_assert_cmpuint (atelier_photo_list_get_n_with_warnings (photos (editor)), ==, 0);

  submit (editor);
  g_assert_cmpstr (atelier_tunes_page_get_view (page ()), ==, "detail");

  request = atelier_sandbox_server_dup_last_request (sandbox, "POST", "/tunes");
  g_assert_cmpuint (atelier_sandbox_request_count_files (request, "tune[images][]"), ==, 1);
  part = g_ptr_array_index (atelier_sandbox_request_get_files (request), 0);
  loader = gdk_pixbuf_loader_new_with_mime_type ("image/jpeg", NULL);
  g_assert_true (gdk_pixbuf_loader_write_bytes (loader, part->data, NULL));
  g_assert_true (gdk_pixbuf_loader_close (loader, NULL));
  sent = gdk_pixbuf_loader_get_pixbuf (loader);
  g_assert_cmpint (gdk_pixbuf_get_width (sent), ==, 4096);
  g_assert_cmpint (gdk_pixbuf_get_height (sent), ==, 3151);

  /* The copy is removed afterwards. */
  atelier_test_wait_until (uploads_dir_empty (uploads), WAIT_MS);
}

/* A photo of one flat colour @rgb: green-dominant shows "another class"
 * to the sandbox's inspection, any flat one is "blurry". */
static GFile *
write_flat (const char *name,
            guint32     rgb)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 800, 600);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_fill (pixbuf, rgb << 8 | 0xff);
  gdk_pixbuf_save (pixbuf, path, "jpeg", &error, NULL);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

/* Photos with warnings are a choice: the editor says how many, leaving
 * them out is the default, and a count outside 4 to 30 is said. */
static void
test_warnings_choice (void)
{
  AtelierTuneEditor *editor = open_editor ();
  g_autoptr(AtelierSandboxRequest) request = NULL;
  AdwMessageDialog *dialog;

  discard (editor);
  set_text (editor, "title_row", "Warned Wendy");
  select_row (editor, "class_row", 1);               /* woman */
  select_row (editor, "branch_row", 3);              /* fast: free */
  add_photos (editor,
              atelier_test_write_image (dir, "wendy-1.jpg", 800, 600, 81, "jpeg"),
              atelier_test_write_image (dir, "wendy-2.jpg", 800, 600, 82, "jpeg"),
              atelier_test_write_image (dir, "wendy-3.jpg", 800, 600, 83, "jpeg"),
              atelier_test_write_image (dir, "wendy-4.jpg", 800, 600, 84, "jpeg"),
              write_flat ("wendy-cat.jpg", 0x20c030),
              write_flat ("wendy-grey.jpg", 0x909090),
              NULL);
  g_assert_cmpuint (atelier_photo_list_get_n_with_warnings (photos (editor)), ==, 2);

  atelier_sandbox_server_clear_requests (sandbox);
  atelier_test_wait_until (submit_enabled (editor), WAIT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.submit", NULL));
  /* Asked first: nothing is sent yet. */
  g_assert_false (atelier_tune_editor_get_busy (editor));
  dialog = ADW_MESSAGE_DIALOG (atelier_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "2 Photos Have Warnings");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "1 photo shows someone or something other than a woman."));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "leave-out");
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "leave-out"), ==, "_Leave Out 2 Photos");
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "all"), ==, "_Upload All");
  atelier_ui_save_screenshot (GTK_WINDOW (dialog), "editor-warnings-choice");

  adw_message_dialog_response (dialog, "leave-out");
  g_assert_true (atelier_tune_editor_get_busy (editor));
  atelier_test_wait_until (!atelier_tune_editor_get_busy (editor), WAIT_MS);
  request = atelier_sandbox_server_dup_last_request (sandbox, "POST", "/tunes");
  g_assert_nonnull (request);
  g_assert_cmpuint (atelier_sandbox_request_count_files (request, "tune[images][]"), ==, 4);

  /* Two photos: fewer than the docs ask; Cancel sends nothing. */
  editor = open_editor ();
  discard (editor);
  set_text (editor, "title_row", "Few Fiona");
  select_row (editor, "branch_row", 3);
  add_photos (editor,
              atelier_test_write_image (dir, "fiona-1.jpg", 800, 600, 91, "jpeg"),
              atelier_test_write_image (dir, "fiona-2.jpg", 800, 600, 92, "jpeg"),
              NULL);
  atelier_sandbox_server_clear_requests (sandbox);
  atelier_test_wait_until (submit_enabled (editor), WAIT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.submit", NULL));
  dialog = ADW_MESSAGE_DIALOG (atelier_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Unusual Number of Photos");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "2 photos can be sent; Astria trains on 4 to 30."));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  adw_message_dialog_response (dialog, "cancel");
  g_assert_false (atelier_tune_editor_get_busy (editor));
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "POST", "/tunes"), ==, 0);
}

/* The tune being composed survives the window. */
static void
test_draft_restored (void)
{
  AtelierTuneEditor *editor = open_editor ();
  AtelierDraft *draft = atelier_tune_editor_get_draft (editor);
  g_auto(GStrv) uris = NULL;
  g_auto(GStrv) restored_uris = NULL;
  AtelierTunesPage *tunes;
  GtkWidget *prompt;
  GtkWidget *button;

  discard (editor);
  set_text (editor, "title_row", "Draft Dora");
  select_row (editor, "class_row", 6);               /* dog */
  select_row (editor, "model_row", 2);               /* checkpoint: SD 1.5 */
  set_text (editor, "token_row", "zwx");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (editor, "steps_spin")), 800);
  select_row (editor, "face_crop_row", 2);           /* off */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.add-prompt", NULL));
  gtk_editable_set_text (GTK_EDITABLE (atelier_ui_find_labelled (GTK_WIDGET (editor), ADW_TYPE_ENTRY_ROW, "Prompt")),
                         "zwx dog on a beach");
  add_photos (editor,
              atelier_test_write_image (dir, "dora-1.jpg", 800, 600, 61, "jpeg"),
              atelier_test_write_image (dir, "dora-2.jpg", 800, 600, 62, "jpeg"),
              NULL);
  uris = atelier_photo_list_dup_uris (photos (editor));

  /* Saved as the user works, a moment later. */
  atelier_test_wait_until (atelier_draft_get_saved (draft), WAIT_MS);
  g_assert_true (g_file_test (atelier_draft_get_path (draft), G_FILE_TEST_EXISTS));

  /* As after a crash: the window goes, a new one comes. */
  {
    gpointer old = window;

    g_object_add_weak_pointer (old, &old);
    gtk_window_destroy (GTK_WINDOW (window));
    atelier_test_wait_until (old == NULL, WAIT_MS);
  }
  window = atelier_window_new (GTK_APPLICATION (app), session);
  gtk_window_present (GTK_WINDOW (window));
  tunes = page ();
  atelier_test_wait_until (atelier_tunes_page_get_draft_loaded (tunes), WAIT_MS);

  /* The list offers to continue it. */
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (atelier_ui_find_by_id (GTK_WIDGET (tunes), "draft_revealer"))));
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (tunes), "Your unfinished tune “Draft Dora” is waiting, with 2 photos."));
  atelier_ui_save_screenshot (GTK_WINDOW (window), "tunes-draft-banner");
  button = atelier_ui_find_labelled (GTK_WIDGET (tunes), GTK_TYPE_BUTTON, "Continue");
  /* A button clicks only once it is on screen. */
  atelier_test_wait_until (gtk_widget_get_mapped (button), WAIT_MS);
  gtk_widget_activate (button);
  atelier_test_wait_until (g_strcmp0 (atelier_tunes_page_get_view (tunes), "editor") == 0, WAIT_MS);

  editor = atelier_tunes_page_get_editor (tunes);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (editor, "title_row"))), ==, "Draft Dora");
  g_assert_cmpuint (selected (editor, "class_row"), ==, 6);
  g_assert_cmpuint (selected (editor, "model_row"), ==, 2);
  g_assert_cmpuint (selected (editor, "branch_row"), ==, 2);
  g_assert_cmpuint (selected (editor, "base_row"), ==, 1);
  g_assert_cmpuint (selected (editor, "face_crop_row"), ==, 2);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (editor, "token_row"))), ==, "zwx");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (child (editor, "steps_spin"))), ==, 800);
  prompt = atelier_ui_find_labelled (GTK_WIDGET (editor), ADW_TYPE_ENTRY_ROW, "Prompt");
  g_assert_nonnull (prompt);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (prompt)), ==, "zwx dog on a beach");
  restored_uris = atelier_photo_list_dup_uris (photos (editor));
  g_assert_true (g_strv_equal ((const char * const *) uris, (const char * const *) restored_uris));
  g_assert_cmpstr (atelier_photo_list_get_class_name (photos (editor)), ==, "dog");
  atelier_test_wait_until (atelier_photo_list_get_n_inspecting (photos (editor)) == 0 &&
                           atelier_photo_list_get_n_analyzing (photos (editor)) == 0, WAIT_MS);
  atelier_ui_save_screenshot (GTK_WINDOW (window), "editor-restored");

  discard (editor);
  g_assert_false (g_file_test (atelier_draft_get_path (atelier_tune_editor_get_draft (editor)), G_FILE_TEST_EXISTS));
}

/* A 504 after the service created the tune: found by its title, once. A
 * 504 before: retried in one click, still once. A cancelled upload: kept,
 * retried, once. */
static void
test_504_and_retry (void)
{
  AtelierTuneEditor *editor = open_editor ();
  AtelierSandboxFault created_504 = {
    .method = "POST",
    .path = "/tunes",
    .kind = ATELIER_SANDBOX_FAULT_CREATE_THEN_504,
    .times = 1,
  };
  AtelierSandboxFault plain_504 = {
    .method = "POST",
    .path = "/tunes",
    .kind = ATELIER_SANDBOX_FAULT_STATUS,
    .status = 504,
    .times = 1,
  };
  AtelierSandboxFault slow = {
    .method = "POST",
    .path = "/tunes",
    .kind = ATELIER_SANDBOX_FAULT_DELAY,
    .delay_ms = 5000,
    .times = 1,
  };
  GtkWidget *banner;
  GtkWidget *button;

  /* Created, then 504: the client finds it by title. */
  discard (editor);
  atelier_sandbox_server_clear_requests (sandbox);
  fill_fast_tune (editor, "Gateway Gil", 71);
  atelier_sandbox_server_add_fault (sandbox, &created_504);
  submit (editor);
  g_assert_cmpstr (atelier_tunes_page_get_view (page ()), ==, "detail");
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "POST", "/tunes"), ==, 1);
  g_assert_cmpuint (count_tunes ("Gateway Gil"), ==, 1);

  /* 504 and nothing created: the error, everything kept, Retry. */
  open_editor ();
  atelier_sandbox_server_clear_requests (sandbox);
  fill_fast_tune (editor, "Retry Rosa", 72);
  atelier_sandbox_server_add_fault (sandbox, &plain_504);
  submit (editor);
  banner = child (editor, "error_revealer");
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (banner)));
  g_assert_true (atelier_ui_shows_text (banner, "Nothing was lost"));
  g_assert_cmpstr (atelier_tunes_page_get_view (page ()), ==, "editor");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (editor, "title_row"))), ==, "Retry Rosa");
  g_assert_cmpuint (atelier_photo_list_get_n_photos (photos (editor)), ==, 1);
  g_assert_cmpuint (count_tunes ("Retry Rosa"), ==, 0);
  atelier_ui_save_screenshot (GTK_WINDOW (window), "editor-upload-failed");

  button = atelier_ui_find_labelled (banner, GTK_TYPE_BUTTON, "Retry");
  atelier_test_wait_until (gtk_widget_get_mapped (button), WAIT_MS);
  gtk_widget_activate (button);
  atelier_test_wait_until (!atelier_tune_editor_get_busy (editor) &&
                           g_strcmp0 (atelier_tunes_page_get_view (page ()), "detail") == 0, WAIT_MS);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "POST", "/tunes"), ==, 2);
  g_assert_cmpuint (count_tunes ("Retry Rosa"), ==, 1);

  /* Cancelled while uploading: kept; the retry makes one tune. */
  open_editor ();
  atelier_sandbox_server_clear_requests (sandbox);
  fill_fast_tune (editor, "Cancel Cleo", 73);
  atelier_sandbox_server_add_fault (sandbox, &slow);
  atelier_test_wait_until (submit_enabled (editor), WAIT_MS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.submit", NULL));
  answer_upload_choice ("all");
  g_assert_true (atelier_ui_is_shown (child (editor, "progress_bar")));
  g_assert_true (atelier_ui_is_shown (child (editor, "cancel_button")));
  atelier_ui_save_screenshot (GTK_WINDOW (window), "editor-uploading");
  atelier_test_wait_until (gtk_widget_get_mapped (child (editor, "cancel_button")), WAIT_MS);
  gtk_widget_activate (child (editor, "cancel_button"));
  atelier_test_wait_until (!atelier_tune_editor_get_busy (editor), WAIT_MS);
  g_assert_true (atelier_ui_shows_text (child (editor, "error_revealer"), "The upload was cancelled."));
  g_assert_cmpuint (atelier_photo_list_get_n_photos (photos (editor)), ==, 1);

  submit (editor);
  g_assert_cmpstr (atelier_tunes_page_get_view (page ()), ==, "detail");
  g_assert_cmpuint (count_tunes ("Cancel Cleo"), ==, 1);
}

static gboolean
offline_shown (void)
{
  return gtk_revealer_get_reveal_child (GTK_REVEALER (atelier_ui_find_by_id (GTK_WIDGET (window), "offline_revealer")));
}

/* The service made the tune and the connection dropped before its
 * answer: looked up at once, found, said so, shown; one tune, no offline
 * bar. Dropped before it was made: "it did not arrive", Retry makes one. */
static void
test_dropped_connection (void)
{
  AtelierTuneEditor *editor = open_editor ();
  AtelierSandboxFault made_then_dropped = {
    .method = "POST",
    .path = "/tunes",
    .kind = ATELIER_SANDBOX_FAULT_CREATE_THEN_DROP,
    .times = 1,
  };
  AtelierSandboxFault dropped = {
    .method = "POST",
    .path = "/tunes",
    .kind = ATELIER_SANDBOX_FAULT_DROP,
    .times = 1,
  };
  AtelierTuneDetail *detail;
  g_autofree char *toast = NULL;
  GtkWidget *banner;
  GtkWidget *button;

  discard (editor);
  atelier_sandbox_server_clear_requests (sandbox);
  fill_fast_tune (editor, "Reset Rhea", 74);
  atelier_sandbox_server_add_fault (sandbox, &made_then_dropped);
  submit (editor);

  /* As after a normal create: the new tune's detail, a fresh editor. */
  g_assert_cmpstr (atelier_tunes_page_get_view (page ()), ==, "detail");
  detail = atelier_tunes_page_get_detail (page ());
  g_assert_true (g_str_has_prefix (atelier_tune_get_title (atelier_tune_detail_get_tune (detail)), "Reset Rhea - "));
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (detail), "Reset Rhea"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (editor, "title_row"))), ==, "");
  /* Said what happened (the first toast; "The tune is ready" may queue
   * behind it), and not "offline". */
  atelier_test_wait_until (atelier_ui_shows_text (atelier_ui_find_by_id (GTK_WIDGET (window), "toast_overlay"),
                                                  "Astria received the tune, though the connection dropped before its answer"),
                           WAIT_MS);
  g_assert_false (offline_shown ());
  g_assert_false (atelier_session_is_offline (session));
  atelier_ui_save_screenshot (GTK_WINDOW (window), "editor-dropped-received");
  /* Sent once, made once. */
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "POST", "/tunes"), ==, 1);
  g_assert_cmpuint (count_tunes ("Reset Rhea"), ==, 1);

  /* Dropped before it was made: it did not arrive; everything kept. */
  open_editor ();
  atelier_sandbox_server_clear_requests (sandbox);
  fill_fast_tune (editor, "Unsent Ulla", 75);
  atelier_sandbox_server_add_fault (sandbox, &dropped);
  toast = g_strdup (_atelier_window_get_last_toast (window));
  submit (editor);
  banner = child (editor, "error_revealer");
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (banner)));
  g_assert_true (atelier_ui_shows_text (banner, "The connection failed before Astria answered. "
                                                "Astria does not have the tune: it did not arrive."));
  g_assert_cmpstr (atelier_tunes_page_get_view (page ()), ==, "editor");
  g_assert_false (offline_shown ());
  /* The banner says it all: no toast. */
  g_assert_cmpstr (_atelier_window_get_last_toast (window), ==, toast);
  g_assert_cmpuint (count_tunes ("Unsent Ulla"), ==, 0);
  atelier_ui_save_screenshot (GTK_WINDOW (window), "editor-dropped-not-arrived");

  button = atelier_ui_find_labelled (banner, GTK_TYPE_BUTTON, "Retry");
  atelier_test_wait_until (gtk_widget_get_mapped (button), WAIT_MS);
  gtk_widget_activate (button);
  atelier_test_wait_until (!atelier_tune_editor_get_busy (editor) &&
                           g_strcmp0 (atelier_tunes_page_get_view (page ()), "detail") == 0, WAIT_MS);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "POST", "/tunes"), ==, 2);
  g_assert_cmpuint (count_tunes ("Unsent Ulla"), ==, 1);
  g_assert_false (offline_shown ());
}

/* What the app's Astria client reported, in the session's terms. */
typedef struct
{
  guint n_finished;
  guint in_a_row;    /* connection failures since the last answer */
} Requests;

static void
request_finished_cb (AtelierAstriaClient *client,
                     GError              *error,
                     Requests            *requests)
{
  requests->n_finished++;
  if (error != NULL && g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_NETWORK))
    requests->in_a_row++;
  else
    requests->in_a_row = 0;
}

static gboolean
tunes_loading (void)
{
  gboolean loading = TRUE;

  g_object_get (page (), "loading", &loading, NULL);
  return loading;
}

/* Connection failures in a row: no bar (a toast) below
 * ATELIER_SESSION_OFFLINE_FAILURES, then the offline bar; its Retry, once
 * the server answers, ends it. A refresh sends more than one request,
 * and what else the app sends may get an answer in between (which starts
 * the count again, here as in the session): so the bar is checked
 * against the failures in a row seen so far, after every refresh. */
static void
test_offline_after_failures (void)
{
  AtelierAstriaClient *client = atelier_session_get_astria_client (session);
  GtkWidget *offline = atelier_ui_find_by_id (GTK_WIDGET (window), "offline_revealer");
  AtelierSandboxFault drop_all = { .kind = ATELIER_SANDBOX_FAULT_DROP };
  Requests requests = { 0 };
  gboolean seen_below = FALSE;
  GtkWidget *retry;
  gulong id;

  atelier_window_show_page (window, "tunes");
  atelier_test_wait_until (!tunes_loading (), WAIT_MS);
  g_assert_false (offline_shown ());

  id = g_signal_connect (client, "request-finished", G_CALLBACK (request_finished_cb), &requests);
  atelier_sandbox_server_add_fault (sandbox, &drop_all);

  for (guint tries = 0; requests.in_a_row < ATELIER_SESSION_OFFLINE_FAILURES; tries++)
    {
      guint before = requests.n_finished;

      g_assert_cmpuint (tries, <, 10);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
      atelier_test_wait_until (requests.n_finished > before && !tunes_loading (), WAIT_MS);

      g_assert_cmpuint (atelier_session_get_connection_failures (session), ==, requests.in_a_row);
      g_assert_cmpint (offline_shown (), ==, requests.in_a_row >= ATELIER_SESSION_OFFLINE_FAILURES);
      if (requests.in_a_row > 0 && requests.in_a_row < ATELIER_SESSION_OFFLINE_FAILURES)
        {
          /* The page said it failed, in a toast, not the bar. */
          g_assert_cmpstr (_atelier_window_get_last_toast (window), ==, "The connection to the server failed");
          seen_below = TRUE;
        }
    }
  g_assert_true (seen_below);

  g_assert_true (offline_shown ());
  g_assert_true (atelier_session_is_offline (session));
  g_assert_true (atelier_ui_shows_text (offline, "You seem to be offline"));
  atelier_ui_save_screenshot (GTK_WINDOW (window), "window-offline-repeated");

  /* The server answers again: the bar's Retry ends it. The bar is on
   * screen before the server answers again: once it does, any request of
   * a page (a poll) may end the offline state before Retry is pressed. */
  retry = atelier_ui_find_labelled (offline, GTK_TYPE_BUTTON, "Retry");
  g_assert_nonnull (retry);
  atelier_test_wait_until (gtk_widget_get_mapped (retry), WAIT_MS);
  atelier_sandbox_server_clear_faults (sandbox);
  gtk_widget_activate (retry);
  atelier_test_wait_until (!offline_shown (), WAIT_MS);
  g_assert_false (atelier_session_is_offline (session));

  g_signal_handler_disconnect (client, id);
}

/* A prompt whose connection dropped after the service made it: the
 * editor says it may have been made and waits before Retry, as after a
 * 504; no offline bar, no "offline" toast. */
static void
test_prompt_dropped (void)
{
  gint64 tune_id = atelier_sandbox_server_seed_tune (sandbox, "Prompt Pia - 5e1d", "woman", TRUE);
  g_autofree char *prompts_path = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT "/prompts", tune_id);
  AtelierAstriaClient *client = atelier_session_get_astria_client (session);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(AtelierTune) tune = NULL;
  g_autoptr(GError) error = NULL;
  AtelierPromptEditor *editor = NULL;
  GtkWidget *retry_label;
  AtelierSandboxFault made_then_dropped = {
    .method = "POST",
    .path = prompts_path,
    .kind = ATELIER_SANDBOX_FAULT_CREATE_THEN_DROP,
    .times = 1,
  };

  atelier_astria_client_get_tune_async (client, tune_id, NULL, atelier_test_store_result, &result);
  tune = atelier_astria_client_get_tune_finish (client, atelier_test_wait_result (&result), &error);
  g_assert_no_error (error);

  atelier_shell_open_prompt_editor (ATELIER_SHELL (window), NULL, tune, 0, NULL);
  atelier_test_wait_until ((editor = (AtelierPromptEditor *) atelier_ui_find_toplevel (ATELIER_TYPE_PROMPT_EDITOR)) != NULL,
                           WAIT_MS);
  g_assert_cmpint (atelier_prompt_editor_get_target_tune_id (editor), ==, tune_id);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (atelier_ui_find_by_id (GTK_WIDGET (editor), "text_view"))),
                            "ohwx woman, portrait", -1);
  retry_label = atelier_ui_find_by_id (GTK_WIDGET (editor), "retry_label");

  atelier_sandbox_server_clear_requests (sandbox);
  atelier_sandbox_server_add_fault (sandbox, &made_then_dropped);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.generate", NULL));
  atelier_test_wait_until (gtk_revealer_get_reveal_child (GTK_REVEALER (atelier_ui_find_by_id (GTK_WIDGET (editor), "retry_revealer"))),
                           WAIT_MS);
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (retry_label)),
                            "The connection failed before Astria answered, and the prompt may still be created."));
  g_assert_false (gtk_widget_is_sensitive (atelier_ui_find_by_id (GTK_WIDGET (editor), "retry_button")));
  g_assert_false (offline_shown ());
  g_assert_null (_atelier_window_get_last_toast (window));
  atelier_ui_save_screenshot (GTK_WINDOW (editor), "prompt-editor-dropped");
  /* Sent once; nothing more is sent while waiting. */
  g_assert_cmpuint (atelier_sandbox_server_count_requests (sandbox, "POST", prompts_path), ==, 1);

  /* Don't retry: the editor stays, unlocked. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.cancel", NULL));
  g_assert_true (gtk_widget_is_sensitive (atelier_ui_find_by_id (GTK_WIDGET (editor), "generate_button")));
  gtk_window_destroy (GTK_WINDOW (editor));
}

/* A 422 names the fields: shown on their rows too. */
static void
test_field_errors (void)
{
  AtelierTuneEditor *editor = open_editor ();
  AtelierSandboxFault invalid = {
    .method = "POST",
    .path = "/tunes",
    .kind = ATELIER_SANDBOX_FAULT_STATUS,
    .status = 422,
    .body = "{\"token\": [\"is reserved\"]}",
    .times = 1,
  };
  GtkWidget *token;
  GtkWindow *dialog;

  discard (editor);
  fill_fast_tune (editor, "Invalid Ivo", 81);
  atelier_sandbox_server_add_fault (sandbox, &invalid);
  submit (editor);

  token = child (editor, "token_row");
  g_assert_true (gtk_widget_has_css_class (token, "error"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (token), ==, "is reserved");
  dialog = _atelier_window_get_error_dialog (window);
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "token: is reserved"));
  atelier_ui_save_screenshot (GTK_WINDOW (window), "editor-422");
  gtk_window_destroy (dialog);

  /* The next try clears the marks. */
  submit (editor);
  g_assert_false (gtk_widget_has_css_class (token, "error"));
  g_assert_cmpstr (atelier_tunes_page_get_view (page ()), ==, "detail");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  atelier_ui_test_init (&argc, &argv);

  dir = g_dir_make_tmp ("atelier-editor-XXXXXX", &error);
  g_assert_no_error (error);

  atelier_ui_test_add ("/tune-editor/model-fields", start, test_model_fields);
  atelier_ui_test_add ("/tune-editor/create", start, test_create);
  atelier_ui_test_add ("/tune-editor/huge-photo", start, test_huge_photo);
  atelier_ui_test_add ("/tune-editor/steady-width", start, test_steady_width);
  atelier_ui_test_add ("/tune-editor/warnings-choice", start, test_warnings_choice);
  atelier_ui_test_add ("/tune-editor/draft-restored", start, test_draft_restored);
  atelier_ui_test_add ("/tune-editor/504-and-retry", start, test_504_and_retry);
  atelier_ui_test_add ("/tune-editor/field-errors", start, test_field_errors);
  atelier_ui_test_add ("/tune-editor/dropped-connection", start, test_dropped_connection);
  atelier_ui_test_add ("/tune-editor/offline-after-failures", start, test_offline_after_failures);
  atelier_ui_test_add ("/tune-editor/prompt-dropped", start, test_prompt_dropped);

  status = g_test_run ();

  atelier_test_rm_rf (dir);
  g_free (dir);

  return status;
}
