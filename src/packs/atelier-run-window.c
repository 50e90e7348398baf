/* atelier-run-window.c: the matrix of one pack or theme test run
 *
 * Built in code (the packs screen's resources are not the run window's):
 * a header bar (reload; sort by likes, liked only, export), a notice
 * while the service rate-limits us, and a stack of pages: the matrix, or
 * why there is none yet (loading, waiting for the service, nothing came,
 * the tunes could not be listed, no likes yet, an unreadable run).
 *
 * One window per run (the open ones are kept by run id). The matrix
 * polls and lists only while the window is mapped; the window closes
 * when the session changes account, whose runs these are not.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-run-window-private.h"
#include "atelier-shell.h"
#include "atelier-widget-utils.h"

struct _AtelierRunWindow
{
  AdwWindow             parent_instance;

  GtkWidget            *title;
  GtkWidget            *reload_button;
  GtkWidget            *sort_button;
  GtkWidget            *liked_only_button;
  GtkWidget            *export_button;
  GtkWidget            *limit_revealer;
  GtkWidget            *toast_overlay;
  GtkWidget            *stack;
  GtkWidget            *waiting_page;
  GtkWidget            *none_page;
  GtkWidget            *error_page;
  GtkWidget            *view;

  AtelierSession       *session;
  AtelierPackRun       *run;
  AtelierRunMatrix     *matrix;

  GCancellable         *cancellable;   /* exports */
  guint                 exporting;
  GtkFileChooserNative *chooser;
  AtelierRunExportFormat chooser_format;
  GtkWindow            *viewer;        /* (weak) */
};

G_DEFINE_FINAL_TYPE (AtelierRunWindow, atelier_run_window, ADW_TYPE_WINDOW)

static GHashTable *open_windows;   /* run id → AtelierRunWindow (unowned) */

/* {{{ Pages */

static char *
describe_sent (AtelierRunWindow *self)
{
  g_autoptr(GString) tunes = g_string_new (NULL);
  g_autoptr(GDateTime) local = g_date_time_to_local (atelier_pack_run_get_started_at (self->run));
  g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M");
  g_autofree char *text = NULL;

  for (guint i = 0; i < atelier_pack_run_get_n_tunes (self->run); i++)
    {
      if (i > 0)
        g_string_append (tunes, ", ");
      g_string_append (tunes, atelier_pack_run_get_tune_title (self->run, i));
    }

  if (atelier_pack_run_get_kind (self->run) == ATELIER_PACK_RUN_THEME)
    /* Translators: theme, tunes, date and time */
    text = g_strdup_printf (_("The theme “%s” was sent for %s on %s."),
                            atelier_pack_run_get_title (self->run), tunes->str, when);
  else
    /* Translators: pack, tunes, date and time */
    text = g_strdup_printf (_("The pack “%s” was sent for %s on %s."),
                            atelier_pack_run_get_title (self->run), tunes->str, when);

  /* A status page's description is markup. */
  return g_markup_escape_text (text, -1);
}

static void
set_description (GtkWidget  *page,
                 const char *escaped_first,
                 const char *second)
{
  g_autofree char *text = g_strconcat (escaped_first, second != NULL ? "\n" : NULL, second, NULL);

  if (g_strcmp0 (adw_status_page_get_description (ADW_STATUS_PAGE (page)), text) != 0)
    adw_status_page_set_description (ADW_STATUS_PAGE (page), text);
}

static const GError *
listing_error (AtelierRunWindow *self,
               gboolean         *all_gone)
{
  const GError *error = NULL;
  gboolean gone = TRUE;

  for (guint c = 0; c < atelier_run_matrix_get_n_tunes (self->matrix); c++)
    {
      AtelierRunTuneState state = atelier_run_matrix_get_tune_state (self->matrix, c);

      gone &= state == ATELIER_RUN_TUNE_GONE;
      if (state == ATELIER_RUN_TUNE_FAILED && error == NULL)
        error = atelier_run_matrix_get_tune_error (self->matrix, c);
      else if (state != ATELIER_RUN_TUNE_GONE && state != ATELIER_RUN_TUNE_FAILED)
        return NULL;
    }

  *all_gone = gone;
  return error;
}

static void
update_summary (AtelierRunWindow *self)
{
  guint n_prompts = atelier_run_matrix_get_n_prompts (self->matrix);
  guint n_pending = atelier_run_matrix_get_n_pending (self->matrix);
  guint n_failed = atelier_run_matrix_get_n_failed (self->matrix);
  guint n_likes = atelier_run_matrix_get_n_likes (self->matrix);
  g_autoptr(GString) summary = g_string_new (NULL);

  g_string_append_printf (summary, ngettext ("%u prompt", "%u prompts", n_prompts), n_prompts);
  if (n_pending > 0)
    {
      g_string_append (summary, " · ");
      g_string_append_printf (summary, ngettext ("%u rendering", "%u rendering", n_pending), n_pending);
    }
  if (n_failed > 0)
    {
      g_string_append (summary, " · ");
      g_string_append_printf (summary, ngettext ("%u failed", "%u failed", n_failed), n_failed);
    }
  g_string_append (summary, " · ");
  g_string_append_printf (summary, ngettext ("%u like", "%u likes", n_likes), n_likes);

  adw_window_title_set_subtitle (ADW_WINDOW_TITLE (self->title), summary->str);
}

static void
update_page (AtelierRunWindow *self)
{
  const char *page = "matrix";
  g_autofree char *sent = NULL;

  if (self->matrix == NULL)
    return;

  update_summary (self);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->limit_revealer),
                                 atelier_run_matrix_is_rate_limited (self->matrix));

  if (atelier_run_matrix_get_n_prompts (self->matrix) == 0)
    {
      const GError *error = NULL;
      gboolean all_gone = FALSE;

      sent = describe_sent (self);
      if (atelier_run_matrix_is_loading (self->matrix))
        {
          page = "loading";
        }
      else if ((error = listing_error (self, &all_gone)) != NULL)
        {
          g_autofree char *message = g_markup_escape_text (error->message, -1);

          page = "error";
          set_description (self->error_page, sent, message);
        }
      else if (atelier_run_matrix_is_creating (self->matrix))
        {
          page = "waiting";
          set_description (self->waiting_page, sent,
                           _("The service makes the prompts in the background; they appear here as it does."));
        }
      else
        {
          page = "none";
          set_description (self->none_page, sent,
                           all_gone ? _("The run’s tunes were deleted.")
                                    : _("The service made no prompts for this run on its tunes."));
        }
    }
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->matrix)) == 0)
    {
      page = "no-likes";
    }

  if (g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (self->stack)), page) != 0)
    gtk_stack_set_visible_child_name (GTK_STACK (self->stack), page);
}

/* }}} */

/* {{{ Actions */

static void
toggle_like_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  AtelierRunWindow *self = ATELIER_RUN_WINDOW (widget);
  AtelierLikes *likes = atelier_run_matrix_get_likes (self->matrix);
  gint64 prompt_id = g_variant_get_int64 (param);
  AtelierRunRow *row;
  guint column = 0;

  if ((row = atelier_run_matrix_find_prompt (self->matrix, prompt_id, &column)) == NULL)
    return;

  atelier_widget_toggle_like (widget, likes, atelier_run_row_get_prompt (row, column));
}

static void
open_prompt_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  AtelierRunWindow *self = ATELIER_RUN_WINDOW (widget);
  gint64 prompt_id = g_variant_get_int64 (param);
  AtelierRunViewer *viewer;
  AtelierRunRow *row;
  guint column = 0;

  if ((row = atelier_run_matrix_find_prompt (self->matrix, prompt_id, &column)) == NULL)
    return;

  if (self->viewer != NULL)
    gtk_window_destroy (self->viewer);

  viewer = atelier_run_viewer_new (atelier_session_get_image_cache (self->session),
                                   atelier_run_matrix_get_likes (self->matrix),
                                   atelier_run_row_get_prompt (row, column),
                                   atelier_run_matrix_get_tune_title (self->matrix, column));
  gtk_window_set_transient_for (GTK_WINDOW (viewer), GTK_WINDOW (self));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (viewer), TRUE);
  g_set_weak_pointer (&self->viewer, GTK_WINDOW (viewer));
  gtk_window_present (GTK_WINDOW (viewer));
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AtelierRunWindow *self = ATELIER_RUN_WINDOW (widget);

  if (self->matrix != NULL)
    atelier_run_matrix_reload (self->matrix);
}

typedef struct
{
  AtelierRunWindow *self;   /* (owned) */
  char             *name;
} Export;

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Export *export = user_data;
  g_autoptr(AtelierRunWindow) self = export->self;
  g_autofree char *name = export->name;
  g_autofree char *title = NULL;
  g_autoptr(GError) error = NULL;

  g_free (export);
  self->exporting--;
  if (!atelier_run_export_finish (result, &error))
    {
      atelier_widget_show_error (GTK_WIDGET (self), error);
      return;
    }

  /* Translators: a file name */
  title = g_strdup_printf (_("Saved “%s”"), name != NULL ? name : "");
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (self->toast_overlay), atelier_toast_new_plain (title));
}

void
_atelier_run_window_export (AtelierRunWindow       *self,
                            AtelierRunExportFormat  format,
                            GFile                  *file)
{
  Export *export;

  g_return_if_fail (ATELIER_IS_RUN_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->matrix == NULL)
    return;

  export = g_new0 (Export, 1);
  export->self = g_object_ref (self);
  export->name = g_file_get_basename (file);
  self->exporting++;
  atelier_run_export_async (self->matrix, atelier_session_get_image_cache (self->session), format, file,
                            self->cancellable, export_done_cb, export);
}

static void
chooser_response_cb (GtkNativeDialog  *dialog,
                     int               response,
                     AtelierRunWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        _atelier_run_window_export (self, self->chooser_format, file);
    }

  g_clear_object (&self->chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AtelierRunWindow *self = ATELIER_RUN_WINDOW (widget);
  const char *what = g_variant_get_string (param, NULL);
  g_autofree char *name = NULL;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  const char *title;

  if (self->matrix == NULL || self->chooser != NULL)
    return;

  if (g_str_equal (what, "pdf"))
    {
      self->chooser_format = ATELIER_RUN_EXPORT_PDF;
      title = _("Export Contact Sheet");
      gtk_file_filter_set_name (filter, _("PDF documents"));
      gtk_file_filter_add_mime_type (filter, "application/pdf");
    }
  else if (g_str_equal (what, "csv"))
    {
      self->chooser_format = ATELIER_RUN_EXPORT_CSV;
      title = _("Export Likes");
      gtk_file_filter_set_name (filter, _("CSV tables"));
      gtk_file_filter_add_mime_type (filter, "text/csv");
    }
  else
    {
      self->chooser_format = ATELIER_RUN_EXPORT_PNG;
      title = _("Export Contact Sheet");
      gtk_file_filter_set_name (filter, _("PNG images"));
      gtk_file_filter_add_mime_type (filter, "image/png");
    }

  name = atelier_run_export_suggest_name (self->matrix, self->chooser_format);
  self->chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
sort_toggled_cb (AtelierRunWindow *self)
{
  atelier_run_matrix_set_sort (self->matrix,
                               gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->sort_button))
                               ? ATELIER_RUN_MATRIX_SORT_LIKES : ATELIER_RUN_MATRIX_SORT_PACK);
}

static void
liked_only_toggled_cb (AtelierRunWindow *self)
{
  atelier_run_matrix_set_liked_only (self->matrix,
                                     gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->liked_only_button)));
}

/* }}} */

/* {{{ GObject */

static void
atelier_run_window_map (GtkWidget *widget)
{
  AtelierRunWindow *self = ATELIER_RUN_WINDOW (widget);

  GTK_WIDGET_CLASS (atelier_run_window_parent_class)->map (widget);
  if (self->matrix != NULL)
    atelier_run_matrix_set_active (self->matrix, TRUE);
}

static void
atelier_run_window_unmap (GtkWidget *widget)
{
  AtelierRunWindow *self = ATELIER_RUN_WINDOW (widget);

  /* Out of sight: nothing is asked for until it is shown again. */
  if (self->matrix != NULL)
    atelier_run_matrix_set_active (self->matrix, FALSE);
  GTK_WIDGET_CLASS (atelier_run_window_parent_class)->unmap (widget);
}

static void
atelier_run_window_dispose (GObject *object)
{
  AtelierRunWindow *self = ATELIER_RUN_WINDOW (object);

  if (open_windows != NULL && self->run != NULL &&
      g_hash_table_lookup (open_windows, atelier_pack_run_get_id (self->run)) == self)
    g_hash_table_remove (open_windows, atelier_pack_run_get_id (self->run));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  g_clear_weak_pointer (&self->viewer);
  if (self->matrix != NULL)
    g_signal_handlers_disconnect_by_data (self->matrix, self);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->matrix);
  g_clear_object (&self->run);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (atelier_run_window_parent_class)->dispose (object);
}

static void
atelier_run_window_class_init (AtelierRunWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atelier_run_window_dispose;
  widget_class->map = atelier_run_window_map;
  widget_class->unmap = atelier_run_window_unmap;

  gtk_widget_class_install_action (widget_class, "run.open-prompt", "x", open_prompt_action);
  gtk_widget_class_install_action (widget_class, "run.toggle-like", "x", toggle_like_action);
  gtk_widget_class_install_action (widget_class, "run.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "run.export", "s", export_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "run.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "run.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

/* A button with an icon: its name for assistive technology, and the
 * same as its tooltip (GTK 4.8 does not read tooltips as names). */
static void
name_button (GtkWidget  *button,
             const char *name)
{
  gtk_widget_set_tooltip_text (button, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static GtkWidget *
status_page (const char *icon_name,
             const char *title)
{
  GtkWidget *page = adw_status_page_new ();

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), icon_name);
  adw_status_page_set_title (ADW_STATUS_PAGE (page), title);
  return page;
}

static GtkWidget *
reload_pill (void)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Look Again"));

  gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "pill");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "run.reload");
  gtk_widget_set_tooltip_text (button, _("List the tunes’ prompts again"));
  return button;
}

static void
atelier_run_window_init (AtelierRunWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *limit_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *limit_label;
  GtkWidget *spinner;
  g_autoptr(GMenu) menu = g_menu_new ();

  self->cancellable = g_cancellable_new ();
  gtk_window_set_default_size (GTK_WINDOW (self), 1100, 760);

  self->title = adw_window_title_new ("", "");
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), self->title);

  self->reload_button = gtk_button_new_from_icon_name ("view-refresh-symbolic");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->reload_button), "run.reload");
  name_button (self->reload_button, _("Look for New Prompts"));
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), self->reload_button);

  g_menu_append (menu, _("Contact Sheet as _PNG…"), "run.export::png");
  g_menu_append (menu, _("Contact Sheet as P_DF…"), "run.export::pdf");
  g_menu_append (menu, _("Likes as _CSV…"), "run.export::csv");
  self->export_button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (self->export_button), "document-save-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->export_button), G_MENU_MODEL (menu));
  name_button (self->export_button, _("Export"));
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->export_button);

  self->liked_only_button = gtk_toggle_button_new ();
  gtk_button_set_icon_name (GTK_BUTTON (self->liked_only_button), "emblem-favorite-symbolic");
  name_button (self->liked_only_button, _("Show Liked Prompts Only"));
  g_signal_connect_swapped (self->liked_only_button, "toggled", G_CALLBACK (liked_only_toggled_cb), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->liked_only_button);

  self->sort_button = gtk_toggle_button_new ();
  gtk_button_set_icon_name (GTK_BUTTON (self->sort_button), "view-sort-descending-symbolic");
  name_button (self->sort_button, _("Most Liked Prompts First"));
  g_signal_connect_swapped (self->sort_button, "toggled", G_CALLBACK (sort_toggled_cb), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->sort_button);
  gtk_box_append (GTK_BOX (box), header);

  /* libadwaita 1.2 has no AdwBanner. */
  limit_label = gtk_label_new (_("The service asked to slow down: updates wait a moment."));
  gtk_label_set_wrap (GTK_LABEL (limit_label), TRUE);
  gtk_box_append (GTK_BOX (limit_box), gtk_image_new_from_icon_name ("dialog-information-symbolic"));
  gtk_box_append (GTK_BOX (limit_box), limit_label);
  gtk_widget_set_halign (limit_box, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (limit_box, 6);
  gtk_widget_set_margin_bottom (limit_box, 6);
  self->limit_revealer = gtk_revealer_new ();
  gtk_revealer_set_child (GTK_REVEALER (self->limit_revealer), limit_box);
  gtk_box_append (GTK_BOX (box), self->limit_revealer);

  self->stack = gtk_stack_new ();
  gtk_widget_set_vexpand (self->stack, TRUE);

  spinner = gtk_spinner_new ();
  gtk_spinner_set_spinning (GTK_SPINNER (spinner), TRUE);
  gtk_widget_set_size_request (spinner, 32, 32);
  gtk_widget_set_halign (spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (spinner, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Listing the tunes’ prompts"), -1);
  gtk_stack_add_named (GTK_STACK (self->stack), spinner, "loading");

  self->waiting_page = status_page (NULL, _("Waiting for the Service to Create the Prompts"));
  spinner = gtk_spinner_new ();
  gtk_spinner_set_spinning (GTK_SPINNER (spinner), TRUE);
  gtk_widget_set_size_request (spinner, 32, 32);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Waiting for the service"), -1);
  adw_status_page_set_child (ADW_STATUS_PAGE (self->waiting_page), spinner);
  gtk_stack_add_named (GTK_STACK (self->stack), self->waiting_page, "waiting");

  self->none_page = status_page ("edit-find-symbolic", _("No Prompts Found"));
  adw_status_page_set_child (ADW_STATUS_PAGE (self->none_page), reload_pill ());
  gtk_stack_add_named (GTK_STACK (self->stack), self->none_page, "none");

  self->error_page = status_page ("network-error-symbolic", _("Could Not List the Prompts"));
  adw_status_page_set_child (ADW_STATUS_PAGE (self->error_page), reload_pill ());
  gtk_stack_add_named (GTK_STACK (self->stack), self->error_page, "error");

  {
    GtkWidget *page = status_page ("emblem-favorite-symbolic", _("No Likes Yet"));

    adw_status_page_set_description (ADW_STATUS_PAGE (page),
                                     _("Like the prompts that work, then see them here."));
    gtk_stack_add_named (GTK_STACK (self->stack), page, "no-likes");
  }

  self->toast_overlay = adw_toast_overlay_new ();
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (self->toast_overlay), self->stack);
  gtk_box_append (GTK_BOX (box), self->toast_overlay);

  adw_window_set_content (ADW_WINDOW (self), box);
}

/* }}} */

/* {{{ Public API */

static void
client_changed_cb (AtelierRunWindow *self)
{
  /* Another account: its runs are not this one. */
  gtk_window_destroy (GTK_WINDOW (self));
}

static AtelierRunWindow *
run_window_new (AtelierSession *session,
                AtelierPackRun *run)
{
  AtelierRunWindow *self = g_object_new (ATELIER_TYPE_RUN_WINDOW, NULL);

  self->session = g_object_ref (session);
  self->run = g_object_ref (run);
  gtk_window_set_title (GTK_WINDOW (self), atelier_pack_run_get_title (run));
  adw_window_title_set_title (ADW_WINDOW_TITLE (self->title), atelier_pack_run_get_title (run));
  g_signal_connect_object (session, "notify::astria-client", G_CALLBACK (client_changed_cb), self,
                           G_CONNECT_SWAPPED);

  if (!atelier_pack_run_is_readable (run))
    {
      GtkWidget *page = status_page ("dialog-warning-symbolic", _("This Test Run Cannot Be Opened"));
      atelier_status_page_set_plain_description (ADW_STATUS_PAGE (page), atelier_pack_run_get_problem (run));
      gtk_stack_add_named (GTK_STACK (self->stack), page, "unreadable");
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "unreadable");
      adw_window_title_set_subtitle (ADW_WINDOW_TITLE (self->title), _("Unreadable"));
      gtk_widget_set_sensitive (self->reload_button, FALSE);
      gtk_widget_set_sensitive (self->sort_button, FALSE);
      gtk_widget_set_sensitive (self->liked_only_button, FALSE);
      gtk_widget_set_sensitive (self->export_button, FALSE);
      return self;
    }

  self->matrix = atelier_run_matrix_new (atelier_session_get_astria_client (session),
                                         atelier_session_get_likes (session), run);
  /* Shown when mapped. */
  atelier_run_matrix_set_active (self->matrix, FALSE);
  self->view = atelier_run_matrix_view_new (self->matrix, atelier_session_get_image_cache (session));
  gtk_stack_add_named (GTK_STACK (self->stack), self->view, "matrix");

  g_signal_connect_object (self->matrix, "notify", G_CALLBACK (update_page), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->matrix, "items-changed", G_CALLBACK (update_page), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->matrix, "tune-changed", G_CALLBACK (update_page), self, G_CONNECT_SWAPPED);

  atelier_run_matrix_reload (self->matrix);
  update_page (self);

  return self;
}

void
atelier_run_window_present (GtkWidget      *from,
                            AtelierSession *session,
                            AtelierPackRun *run)
{
  AtelierRunWindow *self;
  GtkRoot *root = NULL;

  g_return_if_fail (from == NULL || GTK_IS_WIDGET (from));
  g_return_if_fail (ATELIER_IS_SESSION (session));
  g_return_if_fail (ATELIER_IS_PACK_RUN (run));

  if (open_windows == NULL)
    open_windows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  self = g_hash_table_lookup (open_windows, atelier_pack_run_get_id (run));
  if (self != NULL)
    {
      gtk_window_present (GTK_WINDOW (self));
      return;
    }

  self = run_window_new (session, run);
  g_hash_table_insert (open_windows, g_strdup (atelier_pack_run_get_id (run)), self);

  if (from != NULL)
    root = gtk_widget_get_root (from);
  if (GTK_IS_WINDOW (root))
    {
      gtk_window_set_transient_for (GTK_WINDOW (self), GTK_WINDOW (root));
      gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);
      if (gtk_window_get_application (GTK_WINDOW (root)) != NULL)
        gtk_window_set_application (GTK_WINDOW (self), gtk_window_get_application (GTK_WINDOW (root)));
    }

  gtk_window_present (GTK_WINDOW (self));
}

AtelierRunWindow *
_atelier_run_window_lookup (const char *run_id)
{
  return open_windows != NULL ? g_hash_table_lookup (open_windows, run_id) : NULL;
}

AtelierPackRun *
_atelier_run_window_get_run (AtelierRunWindow *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_WINDOW (self), NULL);
  return self->run;
}

AtelierRunMatrix *
_atelier_run_window_get_matrix (AtelierRunWindow *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_WINDOW (self), NULL);
  return self->matrix;
}

AtelierRunMatrixView *
_atelier_run_window_get_view (AtelierRunWindow *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_WINDOW (self), NULL);
  return self->view != NULL ? ATELIER_RUN_MATRIX_VIEW (self->view) : NULL;
}

const char *
_atelier_run_window_get_page (AtelierRunWindow *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (GTK_STACK (self->stack));
}

gboolean
_atelier_run_window_is_exporting (AtelierRunWindow *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_WINDOW (self), FALSE);
  return self->exporting > 0;
}

GtkNativeDialog *
_atelier_run_window_get_file_chooser (AtelierRunWindow *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_WINDOW (self), NULL);
  return self->chooser != NULL ? GTK_NATIVE_DIALOG (self->chooser) : NULL;
}

AtelierRunViewer *
_atelier_run_window_get_viewer (AtelierRunWindow *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_WINDOW (self), NULL);
  return self->viewer != NULL ? ATELIER_RUN_VIEWER (self->viewer) : NULL;
}

GtkWidget *
_atelier_run_window_get_sort_button (AtelierRunWindow *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_WINDOW (self), NULL);
  return self->sort_button;
}

GtkWidget *
_atelier_run_window_get_liked_only_button (AtelierRunWindow *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_WINDOW (self), NULL);
  return self->liked_only_button;
}

/* }}} */
