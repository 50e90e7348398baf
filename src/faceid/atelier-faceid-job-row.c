/* atelier-faceid-job-row.c: AtelierFaceidJobRow, one FaceID request in
 * the page's list — one class: the row's widgets, kept in step with its
 * AtelierFaceidJob
 *
 * The result picture is decoded from the library's copy in a worker
 * thread; the row's cancellable, cancelled when it goes, stops that load.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-error-presenter.h"
#include "atelier-faceid-job-row.h"
#include "atelier-photo-input.h"
#include "atelier-prompt.h"
#include "atelier-shell.h"

#define RESULT_SIZE 96

struct _AtelierFaceidJobRow
{
  GtkListBoxRow      parent_instance;

  AtelierFaceidJob  *job;
  AtelierFaceidJobs *jobs;
  AtelierSession    *session;
  GCancellable      *cancellable;
  gint64             picture_prompt_id;
  char              *text;

  GtkWidget         *title;
  GtkWidget         *subtitle;
  GtkWidget         *state;
  GtkWidget         *logs_expander;
  GtkWidget         *logs_label;
  GtkWidget         *picture_button;
  GtkWidget         *picture;
  GtkWidget         *spinner;
  GtkWidget         *cancel_button;
  GtkWidget         *retry_button;
  GtkWidget         *remove_button;
};

G_DEFINE_FINAL_TYPE (AtelierFaceidJobRow, atelier_faceid_job_row, GTK_TYPE_LIST_BOX_ROW)

/* {{{ State */

static void library_changed_cb (AtelierFaceidJobRow *row);

static char *
describe_job (AtelierFaceidJob *job)
{
  const GError *error = atelier_faceid_job_get_error (job);
  g_autofree char *reason = error != NULL ? atelier_error_describe (error) : NULL;
  gint64 position = atelier_faceid_job_get_queue_position (job);

  /* 429: polling waits (at least 30 s) before it asks again. */
  if (atelier_faceid_job_is_rate_limited (job))
    return g_strdup (_("fal.ai asks us to slow down: checking again in a moment…"));

  switch (atelier_faceid_job_get_state (job))
    {
    case ATELIER_FACEID_JOB_SUBMITTING:
      return g_strdup (_("Sending to fal.ai…"));
    case ATELIER_FACEID_JOB_UNSURE:
      if (reason != NULL)
        /* Translators: %s says what went wrong */
        return g_strdup_printf (_("The request may have reached fal.ai; sending it again may run it twice. (%s)"), reason);
      return g_strdup (_("The request may have reached fal.ai; sending it again may run it twice."));
    case ATELIER_FACEID_JOB_REFUSED:
      /* Translators: %s is fal.ai's reason */
      return g_strdup_printf (_("Refused: %s"), reason != NULL ? reason : _("fal.ai gave no reason"));
    case ATELIER_FACEID_JOB_IN_QUEUE:
      if (position > 0)
        /* Translators: %s is a number of requests waiting before this one */
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Waiting in line: %" G_GINT64_FORMAT " ahead",
                                             "Waiting in line: %" G_GINT64_FORMAT " ahead", position),
                                position);
      if (position == 0)
        return g_strdup (_("Waiting in line: next"));
      return g_strdup (_("Waiting in line…"));
    case ATELIER_FACEID_JOB_IN_PROGRESS:
      {
        const char * const *logs = atelier_faceid_job_get_logs (job);
        guint n = g_strv_length ((GStrv) logs);

        if (n > 0)
          /* Translators: %s is fal.ai's newest log line */
          return g_strdup_printf (_("Generating… %s"), logs[n - 1]);
        return g_strdup (_("Generating…"));
      }
    case ATELIER_FACEID_JOB_SAVING:
      return g_strdup (_("Saving the image…"));
    case ATELIER_FACEID_JOB_DONE:
      return g_strdup (_("Done: kept in the Gallery"));
    case ATELIER_FACEID_JOB_FAILED:
      /* Translators: %s says why */
      return g_strdup_printf (_("Failed: %s"), reason != NULL ? reason : _("fal.ai gave no reason"));
    case ATELIER_FACEID_JOB_CANCELLED:
      return g_strdup (_("Cancelled"));
    case ATELIER_FACEID_JOB_LOST:
      return g_strdup (_("fal.ai no longer knows this request"));
    default:
      return g_strdup ("");
    }
}

static void
job_picture_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  AtelierFaceidJobRow *row = user_data;   /* alive: the cancellable is cancelled when it goes */
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = atelier_texture_load_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_set_spinning (GTK_SPINNER (row->spinner), FALSE);
  gtk_widget_set_visible (row->spinner, FALSE);
  if (texture != NULL)
    {
      gtk_picture_set_paintable (GTK_PICTURE (row->picture), GDK_PAINTABLE (texture));
      gtk_widget_set_visible (row->picture_button, TRUE);
    }
  else
    g_debug ("No result thumbnail: %s", error->message);
}

static void
job_row_load_picture (AtelierFaceidJobRow *row)
{
  gint64 prompt_id = atelier_faceid_job_get_prompt_id (row->job);
  AtelierLibrary *library;
  g_autofree char *uri = NULL;
  g_autoptr(GFile) file = NULL;

  if (prompt_id == 0 || prompt_id == row->picture_prompt_id || row->session == NULL)
    return;
  library = atelier_session_get_library (row->session);
  if (library == NULL)
    return;
  uri = atelier_library_dup_image_uri (library, prompt_id, 0);
  if (uri == NULL)
    return;

  row->picture_prompt_id = prompt_id;
  file = g_file_new_for_uri (uri);
  gtk_widget_set_visible (row->spinner, TRUE);
  gtk_spinner_set_spinning (GTK_SPINNER (row->spinner), TRUE);
  atelier_texture_load_async (file, NULL, RESULT_SIZE * 2, row->cancellable, job_picture_cb, row);
}

static void
job_row_update (AtelierFaceidJobRow *row)
{
  AtelierFaceidJob *job = row->job;
  AtelierFaceidJobState state = atelier_faceid_job_get_state (job);
  const char * const *logs = atelier_faceid_job_get_logs (job);
  g_autofree char *logs_text = g_strjoinv ("\n", (GStrv) logs);
  const char *face_label = atelier_faceid_job_get_face_label (job);

  g_free (row->text);
  row->text = describe_job (job);
  gtk_label_set_label (GTK_LABEL (row->state), row->text);

  gtk_widget_remove_css_class (row->state, "error");
  gtk_widget_remove_css_class (row->state, "warning");
  gtk_widget_remove_css_class (row->state, "success");
  if (state == ATELIER_FACEID_JOB_FAILED || state == ATELIER_FACEID_JOB_REFUSED || state == ATELIER_FACEID_JOB_LOST)
    gtk_widget_add_css_class (row->state, "error");
  else if (state == ATELIER_FACEID_JOB_UNSURE)
    gtk_widget_add_css_class (row->state, "warning");
  else if (state == ATELIER_FACEID_JOB_DONE)
    gtk_widget_add_css_class (row->state, "success");

  gtk_label_set_label (GTK_LABEL (row->subtitle), face_label != NULL ? face_label : "");
  gtk_label_set_label (GTK_LABEL (row->logs_label), logs_text);
  gtk_widget_set_visible (row->logs_expander, logs[0] != NULL);

  gtk_widget_set_visible (row->cancel_button, atelier_faceid_job_can_cancel (job));
  gtk_widget_set_visible (row->retry_button, atelier_faceid_job_can_retry (job));
  gtk_widget_set_visible (row->remove_button, !atelier_faceid_job_is_active (job));

  if (state == ATELIER_FACEID_JOB_DONE)
    job_row_load_picture (row);
}

static void
job_cancel_clicked_cb (GtkButton *button,
                       AtelierFaceidJobRow *row)
{
  if (row->jobs != NULL)
    atelier_faceid_jobs_cancel (row->jobs, row->job);
}

static void
job_retry_clicked_cb (GtkButton *button,
                      AtelierFaceidJobRow *row)
{
  if (row->jobs != NULL)
    atelier_faceid_jobs_retry (row->jobs, row->job);
}

static void
job_remove_clicked_cb (GtkButton *button,
                       AtelierFaceidJobRow *row)
{
  if (row->jobs != NULL)
    atelier_faceid_jobs_remove (row->jobs, row->job);
}

static void
job_picture_clicked_cb (GtkButton *button,
                        AtelierFaceidJobRow *row)
{
  AtelierShell *shell = atelier_shell_find (GTK_WIDGET (button));

  if (shell != NULL)
    atelier_shell_show_gallery_source (shell, ATELIER_PROMPT_SOURCE_FACEID_FAL,
                                       atelier_faceid_job_get_prompt_id (row->job));
}

static GtkWidget *
make_job_button (const char *label,
                 const char *tooltip,
                 GCallback   callback,
                 AtelierFaceidJobRow *row)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  g_signal_connect (button, "clicked", callback, row);
  return button;
}

/* A result kept after its job said DONE gets its picture now. */
static void
library_changed_cb (AtelierFaceidJobRow *row)
{
  if (atelier_faceid_job_get_state (row->job) == ATELIER_FACEID_JOB_DONE)
    job_row_load_picture (row);
}

/* }}} */
/* {{{ Public */

GtkWidget *
atelier_faceid_job_row_new (AtelierFaceidJob  *job,
                            AtelierFaceidJobs *jobs,
                            AtelierSession    *session)
{
  AtelierFaceidJobRow *row = g_object_new (ATELIER_TYPE_FACEID_JOB_ROW, NULL);
  GtkWidget *list_row = GTK_WIDGET (row);
  GtkWidget *outer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *hbox = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *picture_overlay = gtk_overlay_new ();
  const char *prompt = atelier_faceid_job_get_prompt_text (job);

  row->job = g_object_ref (job);
  row->jobs = jobs != NULL ? g_object_ref (jobs) : NULL;
  row->session = session != NULL ? g_object_ref (session) : NULL;

  gtk_widget_set_margin_top (outer, 10);
  gtk_widget_set_margin_bottom (outer, 10);
  gtk_widget_set_margin_start (outer, 12);
  gtk_widget_set_margin_end (outer, 12);

  row->picture = gtk_picture_new ();
  gtk_picture_set_can_shrink (GTK_PICTURE (row->picture), TRUE);
  gtk_picture_set_content_fit (GTK_PICTURE (row->picture), GTK_CONTENT_FIT_COVER);
  gtk_widget_set_size_request (row->picture, RESULT_SIZE, RESULT_SIZE);
  row->picture_button = gtk_button_new ();
  gtk_button_set_child (GTK_BUTTON (row->picture_button), row->picture);
  gtk_widget_add_css_class (row->picture_button, "flat");
  gtk_widget_add_css_class (row->picture_button, "faceid-result");
  gtk_widget_set_overflow (row->picture_button, GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_valign (row->picture_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (row->picture_button, _("Show in the Gallery"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->picture_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Result picture: show in the Gallery"), -1);
  gtk_widget_set_visible (row->picture_button, FALSE);
  g_signal_connect (row->picture_button, "clicked", G_CALLBACK (job_picture_clicked_cb), row);
  row->spinner = gtk_spinner_new ();
  gtk_widget_set_visible (row->spinner, FALSE);
  gtk_widget_set_valign (row->spinner, GTK_ALIGN_CENTER);
  gtk_overlay_set_child (GTK_OVERLAY (picture_overlay), row->picture_button);
  gtk_overlay_add_overlay (GTK_OVERLAY (picture_overlay), row->spinner);

  row->title = gtk_label_new (prompt != NULL && *prompt != '\0' ? prompt : _("(no prompt)"));
  gtk_label_set_xalign (GTK_LABEL (row->title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (row->title), PANGO_ELLIPSIZE_END);
  gtk_label_set_lines (GTK_LABEL (row->title), 2);
  gtk_label_set_wrap (GTK_LABEL (row->title), TRUE);
  gtk_widget_add_css_class (row->title, "heading");
  gtk_widget_set_tooltip_text (row->title, prompt);

  row->subtitle = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (row->subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (row->subtitle), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_add_css_class (row->subtitle, "dim-label");
  gtk_widget_add_css_class (row->subtitle, "caption");

  row->state = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (row->state), 0);
  gtk_label_set_wrap (GTK_LABEL (row->state), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (row->state), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (row->state), FALSE);

  gtk_box_append (GTK_BOX (texts), row->title);
  gtk_box_append (GTK_BOX (texts), row->subtitle);
  gtk_box_append (GTK_BOX (texts), row->state);
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_widget_set_valign (texts, GTK_ALIGN_CENTER);

  row->cancel_button = make_job_button (_("_Cancel"), _("Ask fal.ai to drop this request"),
                                        G_CALLBACK (job_cancel_clicked_cb), row);
  row->retry_button = make_job_button (_("_Retry"), _("Send this request again"),
                                       G_CALLBACK (job_retry_clicked_cb), row);
  row->remove_button = make_job_button (_("_Remove"), _("Remove from this list; a kept picture stays in the Gallery"),
                                        G_CALLBACK (job_remove_clicked_cb), row);
  gtk_widget_add_css_class (row->remove_button, "flat");
  gtk_box_append (GTK_BOX (buttons), row->cancel_button);
  gtk_box_append (GTK_BOX (buttons), row->retry_button);
  gtk_box_append (GTK_BOX (buttons), row->remove_button);
  gtk_widget_set_valign (buttons, GTK_ALIGN_CENTER);

  gtk_box_append (GTK_BOX (hbox), picture_overlay);
  gtk_box_append (GTK_BOX (hbox), texts);
  gtk_box_append (GTK_BOX (hbox), buttons);

  row->logs_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (row->logs_label), 0);
  gtk_label_set_wrap (GTK_LABEL (row->logs_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (row->logs_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (row->logs_label), TRUE);
  gtk_widget_add_css_class (row->logs_label, "monospace");
  gtk_widget_add_css_class (row->logs_label, "caption");
  row->logs_expander = gtk_expander_new_with_mnemonic (_("fal.ai’s _Log"));
  gtk_expander_set_child (GTK_EXPANDER (row->logs_expander), row->logs_label);

  gtk_box_append (GTK_BOX (outer), hbox);
  gtk_box_append (GTK_BOX (outer), row->logs_expander);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (list_row), outer);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (list_row), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (list_row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  prompt != NULL ? prompt : "", -1);

  g_signal_connect_object (job, "notify", G_CALLBACK (job_row_update), row, G_CONNECT_SWAPPED);
  if (session != NULL && atelier_session_get_library (session) != NULL)
    g_signal_connect_object (atelier_session_get_library (session), "changed",
                             G_CALLBACK (library_changed_cb), row, G_CONNECT_SWAPPED);
  job_row_update (row);

  return list_row;
}


AtelierFaceidJob *
atelier_faceid_job_row_get_job (AtelierFaceidJobRow *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_JOB_ROW (self), NULL);
  return self->job;
}

const char *
atelier_faceid_job_row_get_text (AtelierFaceidJobRow *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_JOB_ROW (self), NULL);
  return self->text;
}

gboolean
atelier_faceid_job_row_has_picture (AtelierFaceidJobRow *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_JOB_ROW (self), FALSE);
  return gtk_widget_get_visible (self->picture_button) &&
         gtk_picture_get_paintable (GTK_PICTURE (self->picture)) != NULL;
}

/* }}} */
/* {{{ GObject */

static void
atelier_faceid_job_row_dispose (GObject *object)
{
  AtelierFaceidJobRow *self = ATELIER_FACEID_JOB_ROW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->jobs);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (atelier_faceid_job_row_parent_class)->dispose (object);
}

static void
atelier_faceid_job_row_finalize (GObject *object)
{
  AtelierFaceidJobRow *self = ATELIER_FACEID_JOB_ROW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->job);
  g_free (self->text);

  G_OBJECT_CLASS (atelier_faceid_job_row_parent_class)->finalize (object);
}

static void
atelier_faceid_job_row_class_init (AtelierFaceidJobRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = atelier_faceid_job_row_dispose;
  object_class->finalize = atelier_faceid_job_row_finalize;
}

static void
atelier_faceid_job_row_init (AtelierFaceidJobRow *self)
{
  self->cancellable = g_cancellable_new ();
}

/* }}} */
