/* atelier-tune-editor-upload.c: AtelierTuneEditor's status and upload
 *
 * The part of AtelierTuneEditor that creates the tune: the status line
 * (what is missing, how many photos go), the question before a paid
 * upload about photos with warnings or an unusual count, the upload
 * itself (an AtelierTuneUpload with its progress), and its outcome — a
 * fresh form and ::created, or the error banner with Retry.
 *
 * The class itself (GObject, template, actions, signal handlers) is
 * atelier-tune-editor.c, the form atelier-tune-editor-form.c, pack mode
 * atelier-tune-editor-pack.c; they share atelier-tune-editor-private.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-error-presenter.h"
#include "atelier-shell.h"
#include "atelier-training-photo.h"
#include "atelier-tune-editor-private.h"
#include "atelier-widget-utils.h"

/* The last upload may have reached the service: the next one looks its
 * title up first. Kept in the draft, so a restart does not forget it
 * (atelier_draft_begin_upload()). */
static void
set_uncertain (AtelierTuneEditor *self,
               gboolean           uncertain)
{
  if (self->draft != NULL)
    atelier_draft_set_boolean (self->draft, "upload_uncertain", uncertain);
}

/* {{{ Status and the upload */

void
_atelier_tune_editor_update_status (AtelierTuneEditor *self)
{
  AtelierPhotoList *list = atelier_picker_get_photo_list (self->picker);
  guint n = atelier_photo_list_get_n_photos (list);
  guint unusable = atelier_photo_list_get_n_unusable (list);
  guint usable = n - unusable;
  guint analyzing = atelier_photo_list_get_n_analyzing (list);
  g_autofree char *title = _atelier_tune_editor_dup_entry_text (self->title_row);
  g_autofree char *class_name = _atelier_tune_editor_dup_class_name (self);
  g_autofree char *text = NULL;
  gboolean ready = FALSE;

  if (n == 0)
    text = g_strdup (_("Add photos to train with"));
  else if (analyzing > 0)
    text = g_strdup (_("Checking the photos…"));
  else if (usable == 0)
    text = g_strdup (_("None of the photos can be used"));
  else if (*title == '\0')
    text = g_strdup (_("Give the tune a name"));
  else if (class_name == NULL)
    text = g_strdup (_("Say what the photos show"));
  else
    {
      ready = TRUE;
      if (unusable > 0)
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%u photo will be uploaded; %u that cannot be read will be left out",
                                             "%u photos will be uploaded; %u that cannot be read will be left out",
                                             usable),
                                usable, unusable);
      else
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%u photo will be uploaded",
                                             "%u photos will be uploaded", usable),
                                usable);
    }

  gtk_label_set_label (self->status_label, text);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.submit", ready && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.retry", ready && !self->busy);
}

static void
show_upload_error (AtelierTuneEditor *self,
                   const char        *text)
{
  g_autofree char *full = NULL;

  /* Translators: %s says what went wrong with an upload */
  full = g_strdup_printf (_("%s Nothing was lost: retry when you are ready."), text);
  gtk_label_set_label (self->error_label, full);
  gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
}

static void
upload_succeeded (AtelierTuneEditor      *self,
                  AtelierTune            *tune,
                  AtelierTuneUploadCheck  check)
{
  g_autoptr(AtelierDraft) draft = g_object_ref (self->draft);

  _atelier_tune_editor_set_busy (self, FALSE);
  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);

  /* Found by its title: say so, it was not a plain success. */
  if (check == ATELIER_TUNE_UPLOAD_CHECK_FOUND)
    atelier_widget_show_toast (GTK_WIDGET (self),
                               _("Astria received the tune, though the connection dropped before its answer"));
  else if (check == ATELIER_TUNE_UPLOAD_CHECK_FOUND_EARLIER)
    atelier_widget_show_toast (GTK_WIDGET (self),
                               _("Astria had received the tune from the last try: it was not sent again"));

  /* Done: a fresh form. */
  atelier_draft_clear (draft);
  atelier_tune_editor_set_draft (self, draft);

  _atelier_tune_editor_emit_created (self, tune);
}

/* The POST failed and the title was looked up at once (CHECKING): what
 * happened, and whether it arrived, in one sentence. */
static char *
describe_checked_failure (const GError           *error,
                          AtelierTuneUploadCheck  check)
{
  g_autofree char *what = NULL;

  if (g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_NETWORK))
    what = g_strdup (_("The connection failed before Astria answered."));
  else if (g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_TIMEOUT))
    what = g_strdup (_("Astria did not answer in time."));
  else
    {
      g_autofree char *text = atelier_error_describe (error);

      what = g_str_has_suffix (text, ".") ? g_strdup (text) : g_strconcat (text, ".", NULL);
    }

  if (check == ATELIER_TUNE_UPLOAD_CHECK_ABSENT)
    /* Translators: %s says what went wrong, e.g. "The connection failed before Astria answered." */
    return g_strdup_printf (_("%s Astria does not have the tune: it did not arrive."), what);

  /* Translators: %s says what went wrong, e.g. "The connection failed before Astria answered." */
  return g_strdup_printf (_("%s Atelier could not check whether Astria received the tune; "
                            "Retry looks for it first, so it is not created twice."), what);
}

static void
upload_failed (AtelierTuneEditor      *self,
               const GError           *error,
               gboolean                may_have_arrived,
               AtelierTuneUploadCheck  check)
{
  g_autofree char *text = NULL;
  g_autofree char *sentence = NULL;

  _atelier_tune_editor_set_busy (self, FALSE);
  /* Then the next try looks for it first. */
  set_uncertain (self, may_have_arrived);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      show_upload_error (self, _("The upload was cancelled."));
      return;
    }

  /* Looked up after a dropped connection or no answer: the banner says
   * whether it arrived. One such failure is not "offline" (the session
   * decides that), so nothing goes to the window. */
  if ((check == ATELIER_TUNE_UPLOAD_CHECK_ABSENT || check == ATELIER_TUNE_UPLOAD_CHECK_FAILED) &&
      !g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_GATEWAY_TIMEOUT))
    {
      sentence = describe_checked_failure (error, check);
      show_upload_error (self, sentence);
      return;
    }

  _atelier_tune_editor_show_field_errors (self, error);
  /* The client's own words say more for these two: which file, and that
   * the title will be looked up. */
  if (g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_FILE) ||
      g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_GATEWAY_TIMEOUT))
    text = g_strdup (error->message);
  else
    text = atelier_error_describe (error);
  sentence = g_str_has_suffix (text, ".") ? g_strdup (text) : g_strconcat (text, ".", NULL);
  show_upload_error (self, sentence);
  atelier_widget_show_error (GTK_WIDGET (self), error);
}

static void
upload_phase_cb (AtelierTuneEditor *self,
                 GParamSpec        *pspec,
                 AtelierTuneUpload *upload)
{
  switch (atelier_tune_upload_get_phase (upload))
    {
    case ATELIER_TUNE_UPLOAD_PHASE_LOOKING_UP:
      gtk_label_set_label (self->progress_label, _("Checking whether the last upload arrived…"));
      break;
    case ATELIER_TUNE_UPLOAD_PHASE_PREPARING:
      gtk_label_set_label (self->progress_label,
                           g_dngettext (GETTEXT_PACKAGE,
                                        "Making a smaller copy of a large photo…",
                                        "Making smaller copies of large photos…",
                                        atelier_tune_upload_get_n_downscaled (upload)));
      gtk_progress_bar_pulse (self->progress_bar);
      break;
    case ATELIER_TUNE_UPLOAD_PHASE_UPLOADING:
      gtk_label_set_label (self->progress_label, _("Uploading…"));
      gtk_progress_bar_set_fraction (self->progress_bar, 0);
      break;
    case ATELIER_TUNE_UPLOAD_PHASE_CHECKING:
      gtk_label_set_label (self->progress_label, _("Checking whether Astria received the tune…"));
      gtk_progress_bar_pulse (self->progress_bar);
      break;
    case ATELIER_TUNE_UPLOAD_PHASE_NONE:
    case ATELIER_TUNE_UPLOAD_PHASE_DONE:
    default:
      break;
    }
}

static void
upload_progress_cb (AtelierTuneEditor *self,
                    gint64             sent,
                    gint64             total,
                    AtelierTuneUpload *upload)
{
  g_autofree char *sent_text = NULL;
  g_autofree char *total_text = NULL;
  g_autofree char *text = NULL;

  if (total <= 0)
    return;

  sent_text = g_format_size (sent);
  total_text = g_format_size (total);
  /* Translators: "Uploading 12.1 MB of 40.3 MB…" */
  text = g_strdup_printf (_("Uploading %s of %s…"), sent_text, total_text);
  gtk_label_set_label (self->progress_label, text);
  gtk_progress_bar_set_fraction (self->progress_bar, CLAMP ((double) sent / total, 0.0, 1.0));
}

/* @user_data: a GWeakRef to the editor, which cancels the upload when it
 * goes away. */
static void
upload_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GWeakRef *editor_ref = user_data;
  g_autoptr(AtelierTuneEditor) self = g_weak_ref_get (editor_ref);
  g_autoptr(AtelierTuneUpload) upload = NULL;
  g_autoptr(AtelierTune) tune = NULL;
  g_autoptr(GError) error = NULL;

  g_weak_ref_clear (editor_ref);
  g_free (editor_ref);

  tune = atelier_tune_upload_run_finish (ATELIER_TUNE_UPLOAD (source), result, &error);
  if (self == NULL || source != G_OBJECT (self->upload))
    return;

  upload = g_steal_pointer (&self->upload);
  g_signal_handlers_disconnect_by_data (upload, self);
  g_clear_object (&self->cancellable);

  if (tune != NULL)
    upload_succeeded (self, tune, atelier_tune_upload_get_check (upload));
  else
    upload_failed (self, error, atelier_tune_upload_get_may_have_arrived (upload),
                   atelier_tune_upload_get_check (upload));
}

/* The same readable title keeps the same UUID: a retry is the same tune
 * to the service. */
static void
ensure_unique_title (AtelierTuneEditor *self)
{
  g_autofree char *readable = _atelier_tune_editor_dup_entry_text (self->title_row);
  g_autofree char *title = NULL;

  if (g_strcmp0 (atelier_draft_get_string (self->draft, "title_uuid_base"), readable) == 0 &&
      atelier_draft_get_string (self->draft, "title_with_uuid") != NULL)
    return;

  title = atelier_tune_title_with_uuid (readable);
  atelier_draft_set_string (self->draft, "title_with_uuid", title);
  atelier_draft_set_string (self->draft, "title_uuid_base", readable);
  set_uncertain (self, FALSE);
}

void
_atelier_tune_editor_count_photos (AtelierPhotoList *list,
                                   PhotoCounts      *counts)
{
  *counts = (PhotoCounts) { 0 };
  for (guint i = 0; i < atelier_photo_list_get_n_photos (list); i++)
    {
      AtelierTrainingPhoto *photo = atelier_photo_list_get_photo (list, i);

      if (atelier_training_photo_is_unusable (photo))
        continue;
      counts->usable++;
      if (atelier_training_photo_has_warnings (photo))
        counts->warned++;
      if (atelier_training_photo_get_inspection_warnings (photo) & ATELIER_INSPECTION_WARNING_OTHER_CLASS)
        counts->other_class++;
    }
}

gboolean
_atelier_tune_editor_count_in_range (guint n)
{
  return n >= ATELIER_TUNE_MIN_IMAGES && n <= ATELIER_TUNE_MAX_IMAGES;
}

/* Uploads the readable photos, without those with warnings when
 * @leave_out_warned. */
static void
run_upload (AtelierTuneEditor *self)
{
  GWeakRef *editor_ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (editor_ref, self);
  atelier_tune_upload_run_async (self->upload, self->cancellable, upload_done_cb, editor_ref);
}

static void
draft_saved_cb (AtelierTuneEditor *self)
{
  if (!atelier_draft_get_saved (self->draft))
    return;
  g_signal_handlers_disconnect_by_func (self->draft, draft_saved_cb, self);
  run_upload (self);
}

void
_atelier_tune_editor_start_upload (AtelierTuneEditor *self,
                                   gboolean           leave_out_warned)
{
  AtelierPhotoList *list = atelier_picker_get_photo_list (self->picker);
  g_autoptr(AtelierTuneParams) params = NULL;
  g_autoptr(GPtrArray) huge = g_ptr_array_new ();
  gboolean uncertain;

  if (self->busy || self->client == NULL)
    return;

  self->leave_out_warned = leave_out_warned;
  _atelier_tune_editor_clear_field_errors (self);
  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
  ensure_unique_title (self);
  /* From here the tune may reach the service: should the app be killed
   * before the answer, the draft says so and the next try looks its
   * title up first. The upload starts once the draft is on disk. */
  uncertain = self->draft != NULL && atelier_draft_begin_upload (self->draft);

  params = atelier_tune_editor_build_params (self);
  for (guint i = 0; i < atelier_photo_list_get_n_photos (list); i++)
    {
      AtelierTrainingPhoto *photo = atelier_photo_list_get_photo (list, i);

      if (atelier_training_photo_is_unusable (photo) ||
          (leave_out_warned && atelier_training_photo_has_warnings (photo)))
        continue;
      atelier_tune_params_add_image (params, atelier_training_photo_get_file (photo));
      if (atelier_training_photo_get_checks (photo) & ATELIER_PHOTO_CHECK_HUGE)
        g_ptr_array_add (huge, atelier_training_photo_get_file (photo));
    }

  self->upload = atelier_tune_upload_new (self->client, params, uncertain);
  if (self->pack != NULL)
    atelier_tune_upload_set_pack_id (self->upload, atelier_pack_get_id (self->pack));
  for (guint i = 0; i < huge->len; i++)
    atelier_tune_upload_downscale (self->upload, g_ptr_array_index (huge, i));
  g_signal_connect_object (self->upload, "notify::phase", G_CALLBACK (upload_phase_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->upload, "progress", G_CALLBACK (upload_progress_cb), self, G_CONNECT_SWAPPED);

  self->cancellable = g_cancellable_new ();
  _atelier_tune_editor_set_busy (self, TRUE);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);

  if (self->draft == NULL || atelier_draft_get_saved (self->draft))
    run_upload (self);
  else
    g_signal_connect_object (self->draft, "notify::saved", G_CALLBACK (draft_saved_cb), self, G_CONNECT_SWAPPED);
}

static void
upload_choice_cb (AtelierTuneEditor *self,
                  const char        *response)
{
  if (g_str_equal (response, "leave-out"))
    _atelier_tune_editor_confirm_then_upload (self, TRUE);
  else if (g_str_equal (response, "all"))
    _atelier_tune_editor_confirm_then_upload (self, FALSE);
}

/* Before a paid upload: photos with warnings are left out unless the
 * user says otherwise, and a count outside what the docs ask is said. */
void
_atelier_tune_editor_ask_upload_choice (AtelierTuneEditor *self,
                                        const PhotoCounts *counts)
{
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *class_name = _atelier_tune_editor_dup_class_name (self);
  guint clean = counts->usable - counts->warned;
  AdwMessageDialog *dialog;

  if (counts->other_class > 0)
    {
      /* Translators: the second %s is the class, e.g. "woman" */
      g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE,
                                                 "%u photo shows someone or something other than a %s. ",
                                                 "%u photos show someone or something other than a %s. ",
                                                 counts->other_class),
                              counts->other_class, class_name != NULL ? class_name : _("subject"));
    }
  if (counts->warned > 0)
    g_string_append (body, _("Photos with warnings, marked in the list, make a tune less like its subject."));

  if (counts->warned > 0 && !_atelier_tune_editor_count_in_range (clean))
    g_string_append_printf (body,
                            g_dngettext (GETTEXT_PACKAGE,
                                         "\n\nWithout them %u photo is left; Astria trains on %u to %u.",
                                         "\n\nWithout them %u photos are left; Astria trains on %u to %u.", clean),
                            clean, ATELIER_TUNE_MIN_IMAGES, ATELIER_TUNE_MAX_IMAGES);
  if (!_atelier_tune_editor_count_in_range (counts->usable))
    {
      if (body->len > 0)
        g_string_append (body, "\n\n");
      if (counts->warned > 0)
        g_string_append_printf (body,
                                g_dngettext (GETTEXT_PACKAGE,
                                             "With them, %u photo can be sent; Astria trains on %u to %u.",
                                             "With them, %u photos can be sent; Astria trains on %u to %u.",
                                             counts->usable),
                                counts->usable, ATELIER_TUNE_MIN_IMAGES, ATELIER_TUNE_MAX_IMAGES);
      else
        g_string_append_printf (body,
                                g_dngettext (GETTEXT_PACKAGE,
                                             "%u photo can be sent; Astria trains on %u to %u.",
                                             "%u photos can be sent; Astria trains on %u to %u.",
                                             counts->usable),
                                counts->usable, ATELIER_TUNE_MIN_IMAGES, ATELIER_TUNE_MAX_IMAGES);
    }

  if (counts->warned > 0)
    {
      g_autofree char *heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "%u Photo Has Warnings",
                                                               "%u Photos Have Warnings", counts->warned),
                                                  counts->warned);
      g_autofree char *leave_out = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                 "_Leave Out %u Photo",
                                                                 "_Leave Out %u Photos", counts->warned),
                                                    counts->warned);

      dialog = ADW_MESSAGE_DIALOG (atelier_message_dialog_new (GTK_WIDGET (self),
                                                               heading, body->str));
      adw_message_dialog_add_responses (dialog,
                                        "cancel", _("_Cancel"),
                                        "all", _("_Upload All"),
                                        "leave-out", leave_out,
                                        NULL);
      adw_message_dialog_set_response_appearance (dialog, "leave-out", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_response_enabled (dialog, "leave-out", clean > 0);
      adw_message_dialog_set_default_response (dialog, clean > 0 ? "leave-out" : "cancel");
    }
  else
    {
      dialog = ADW_MESSAGE_DIALOG (atelier_message_dialog_new (GTK_WIDGET (self),
                                                               _("Unusual Number of Photos"), body->str));
      adw_message_dialog_add_responses (dialog,
                                        "cancel", _("_Cancel"),
                                        "all", _("_Upload Anyway"),
                                        NULL);
      adw_message_dialog_set_default_response (dialog, "cancel");
    }
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (upload_choice_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* }}} */
