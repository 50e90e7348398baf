/* atelier-tunes-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "atelier-tune-ui.h"
#include "atelier-tunes-page.h"
#include "atelier-shell.h"
#include "atelier-widget-utils.h"

/* Load the next page when the end of the list is this close (px). */
#define LOAD_MORE_DISTANCE 600
#define THUMB_SIZE 40

struct _AtelierTunesPage
{
  AdwBin               parent_instance;

  /* template */
  GtkStack            *nav_stack;
  GtkRevealer         *draft_revealer;
  GtkLabel            *draft_label;
  GtkSearchBar        *search_bar;
  GtkSearchEntry      *search_entry;
  GtkStack            *stack;
  GtkSpinner          *spinner;
  AdwStatusPage       *error_page;
  GtkLabel            *count_label;
  GtkListBox          *list_box;
  GtkScrolledWindow   *list_scroller;
  GtkSpinner          *more_spinner;
  AdwBin              *editor_bin;
  AtelierTuneDetail   *detail;

  AtelierAstriaClient *client;
  AtelierTuneList     *tunes;
  GtkFilterListModel  *filtered;
  GtkCustomFilter     *filter;
  gboolean             loading;
  gboolean             failed;

  AtelierDraft        *draft;
  GCancellable        *draft_cancellable;
  gboolean             draft_loaded;
  gboolean             open_editor_when_loaded;
  AtelierPack         *editor_pack;   /* (nullable) pack mode, once the draft is loaded */
  GPtrArray           *editor_faceid; /* (nullable) FaceID mode with these GFiles, once loaded */
  AtelierTuneEditor   *editor;

  GCancellable        *show_cancellable;
  guint                more_idle_id;
};

G_DEFINE_FINAL_TYPE (AtelierTunesPage, atelier_tunes_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static AtelierSession *
get_session (AtelierTunesPage *self)
{
  AtelierShell *shell = atelier_shell_find (GTK_WIDGET (self));

  return shell != NULL ? atelier_shell_get_session (shell) : NULL;
}

static const char *
search_text (AtelierTunesPage *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
}

static gboolean
searching (AtelierTunesPage *self)
{
  const char *text = search_text (self);

  return text != NULL && *text != '\0';
}

/* {{{ The list */

static GtkWidget *
create_thumbnail (AtelierTunesPage *self,
                  AtelierTune      *tune,
                  const char       *title)
{
  const char * const *images = atelier_tune_get_orig_images (tune);
  AtelierSession *session = get_session (self);

  if (images[0] == NULL || session == NULL)
    return adw_avatar_new (THUMB_SIZE, title, TRUE);

  return atelier_tune_photo_new (atelier_session_get_image_cache (session), images[0],
                                 THUMB_SIZE, _("First training photo"));
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  AtelierTunesPage *self = user_data;
  AtelierTune *tune = item;
  g_autofree char *title = atelier_tune_dup_short_title (tune);
  g_autofree char *full_title = atelier_tune_dup_display_title (tune);
  g_autofree char *summary = atelier_tune_dup_summary (tune);
  GtkWidget *row;
  GtkWidget *arrow;

  row = atelier_text_row_new (title, summary);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  if (!g_str_equal (title, full_title))
    gtk_widget_set_tooltip_text (row, full_title);

  adw_action_row_add_prefix (ADW_ACTION_ROW (row), create_thumbnail (self, tune, title));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), atelier_tune_status_label_new (tune));
  arrow = gtk_image_new_from_icon_name ("go-next-symbolic");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);

  return row;
}

static void
update_view (AtelierTunesPage *self)
{
  guint n_tunes = g_list_model_get_n_items (G_LIST_MODEL (self->tunes));
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  gboolean has_more = atelier_tune_list_get_has_more (self->tunes);
  g_autofree char *count = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->more_spinner), self->loading && n_tunes > 0);
  gtk_spinner_set_spinning (self->more_spinner, self->loading && n_tunes > 0);
  /* A spinning spinner keeps the window redrawing even out of sight. */
  gtk_spinner_set_spinning (self->spinner, n_tunes == 0 && self->loading);

  if (n_tunes == 0)
    {
      if (self->loading || !atelier_tune_list_get_loaded (self->tunes))
        gtk_stack_set_visible_child_name (self->stack, self->client != NULL ? "loading" : "empty");
      else if (self->failed)
        gtk_stack_set_visible_child_name (self->stack, "error");
      else
        gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  if (n_shown == 0 && !(self->loading && searching (self)))
    {
      gtk_stack_set_visible_child_name (self->stack, "no-results");
      return;
    }

  if (has_more && !searching (self))
    /* Translators: the number of tunes loaded so far, when there are more */
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Tune and More", "%u Tunes and More", n_shown), n_shown);
  else
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Tune", "%u Tunes", n_shown), n_shown);
  gtk_label_set_label (self->count_label, count);
  gtk_stack_set_visible_child_name (self->stack, "list");
}

static void
maybe_load_more (AtelierTunesPage *self)
{
  GtkAdjustment *adjustment;
  double left;

  if (!atelier_tune_list_get_has_more (self->tunes) || atelier_tune_list_get_loading (self->tunes))
    return;

  /* A search looks through every tune. */
  if (searching (self))
    {
      atelier_tune_list_load_more (self->tunes);
      return;
    }

  adjustment = gtk_scrolled_window_get_vadjustment (self->list_scroller);
  left = gtk_adjustment_get_upper (adjustment) -
         (gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment));
  if (left < LOAD_MORE_DISTANCE)
    atelier_tune_list_load_more (self->tunes);
}

static gboolean
more_idle_cb (gpointer user_data)
{
  AtelierTunesPage *self = user_data;

  self->more_idle_id = 0;
  maybe_load_more (self);
  return G_SOURCE_REMOVE;
}

/* The adjustment changes while the list is being allocated: look after
 * that, not in the middle of it. */
static void
adjustment_changed_cb (AtelierTunesPage *self)
{
  if (self->more_idle_id == 0)
    self->more_idle_id = g_idle_add (more_idle_cb, self);
}

static void
loading_changed_cb (AtelierTunesPage *self)
{
  gboolean loading = atelier_tune_list_get_loading (self->tunes);

  if (!loading && atelier_tune_list_get_loaded (self->tunes))
    {
      /* Still room, or a search to serve: the next page, after this one
       * is laid out (a scroll to the end while a page was on its way
       * asked for nothing). */
      if (searching (self))
        maybe_load_more (self);
      else
        adjustment_changed_cb (self);
    }

  if (self->loading != loading)
    {
      self->loading = loading;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }
  update_view (self);
}

static void
load_failed_cb (AtelierTunesPage *self,
                GError           *error)
{
  self->failed = TRUE;
  atelier_widget_show_load_error (GTK_WIDGET (self), self->error_page, error);
  update_view (self);
}

static void
items_changed_cb (AtelierTunesPage *self)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->tunes)) > 0)
    self->failed = FALSE;
  update_view (self);
}

static void
tune_ready_cb (AtelierTunesPage *self,
               AtelierTune      *tune)
{
  AtelierShell *shell = atelier_shell_find (GTK_WIDGET (self));
  g_autofree char *title = atelier_tune_dup_short_title (tune);
  AtelierSession *session;

  if (shell == NULL)
    return;

  atelier_shell_notify_training_finished (shell, title, atelier_tune_get_id (tune));
  /* The gallery shows the prompts the service makes for it now. */
  session = atelier_shell_get_session (shell);
  if (session != NULL)
    atelier_session_announce_tune_trained (session, atelier_tune_get_id (tune));
}

/* A fresher copy of the tune shown in the detail. */
static void
list_changed_for_detail_cb (AtelierTunesPage *self,
                            guint             position,
                            guint             removed,
                            guint             added)
{
  AtelierTune *shown = atelier_tune_detail_get_tune (self->detail);

  for (guint i = position; shown != NULL && i < position + added; i++)
    {
      g_autoptr(AtelierTune) tune = g_list_model_get_item (G_LIST_MODEL (self->tunes), i);

      if (tune != shown && atelier_tune_get_id (tune) == atelier_tune_get_id (shown))
        {
          atelier_tune_detail_set_tune (self->detail, tune);
          break;
        }
    }
}

void
atelier_tunes_page_reload (AtelierTunesPage *self)
{
  g_return_if_fail (ATELIER_IS_TUNES_PAGE (self));

  self->failed = FALSE;
  atelier_tune_list_reload (self->tunes);
  update_view (self);
}

static void
row_activated_cb (AtelierTunesPage *self,
                  GtkListBoxRow    *row)
{
  g_autoptr(AtelierTune) tune = g_list_model_get_item (G_LIST_MODEL (self->filtered),
                                                       gtk_list_box_row_get_index (row));

  if (tune != NULL)
    atelier_tunes_page_show_tune (self, atelier_tune_get_id (tune));
}

/* }}} */

/* {{{ Search */

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  AtelierTunesPage *self = user_data;
  const char *text = search_text (self);
  g_autofree char *needle = NULL;
  const char *fields[2];

  if (text == NULL || *text == '\0')
    return TRUE;

  needle = g_utf8_casefold (text, -1);
  fields[0] = atelier_tune_get_title (item);
  fields[1] = atelier_tune_get_name (item);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *hay = NULL;

      if (fields[i] == NULL)
        continue;
      hay = g_utf8_casefold (fields[i], -1);
      if (strstr (hay, needle) != NULL)
        return TRUE;
    }

  return FALSE;
}

static void
search_changed_cb (AtelierTunesPage *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  maybe_load_more (self);
  update_view (self);
}

static void
stop_search_cb (AtelierTunesPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

/* }}} */

/* {{{ Navigation, the editor, the detail */

static void
update_draft_banner (AtelierTunesPage *self)
{
  gboolean show = self->draft_loaded && !atelier_draft_is_empty (self->draft) &&
                  g_strcmp0 (gtk_stack_get_visible_child_name (self->nav_stack), "list") == 0;

  if (show)
    {
      const char *title = atelier_draft_get_string (self->draft, "title");
      g_auto(GStrv) photos = atelier_draft_dup_strv (self->draft, "photos");
      guint n = g_strv_length (photos);
      g_autofree char *photos_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u photo", "%u photos", n), n);
      g_autofree char *text = NULL;

      if (title != NULL && *title != '\0')
        /* Translators: the first %s is a tune's name, the second a number of photos ("12 photos") */
        text = g_strdup_printf (_("Your unfinished tune “%s” is waiting, with %s."), title, photos_text);
      else
        /* Translators: %s is a number of photos ("12 photos") */
        text = g_strdup_printf (_("Your unfinished tune is waiting, with %s."), photos_text);
      gtk_label_set_label (self->draft_label, text);
    }

  gtk_revealer_set_reveal_child (self->draft_revealer, show);
}

static void
show_view (AtelierTunesPage *self,
           const char       *name)
{
  gtk_stack_set_visible_child_name (self->nav_stack, name);
  update_draft_banner (self);
}

static void
editor_back_cb (AtelierTunesPage *self)
{
  show_view (self, "list");
}

static void
editor_created_cb (AtelierTunesPage *self,
                   AtelierTune      *tune)
{
  atelier_tune_list_prepend (self->tunes, tune);
  atelier_tune_detail_set_session (self->detail, get_session (self));
  atelier_tune_detail_set_tune (self->detail, tune);
  show_view (self, "detail");

  if (atelier_tune_is_trained (tune))
    atelier_widget_show_toast (GTK_WIDGET (self), _("The tune is ready"));
  else
    atelier_widget_show_toast (GTK_WIDGET (self), _("Training started: you will be told when the tune is ready"));
}

static void
open_editor (AtelierTunesPage *self)
{
  if (self->editor == NULL)
    {
      self->editor = ATELIER_TUNE_EDITOR (atelier_tune_editor_new ());
      atelier_tune_editor_set_client (self->editor, self->client);
      atelier_tune_editor_set_draft (self->editor, self->draft);
      g_signal_connect_object (self->editor, "back", G_CALLBACK (editor_back_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->editor, "created", G_CALLBACK (editor_created_cb), self, G_CONNECT_SWAPPED);
      adw_bin_set_child (self->editor_bin, GTK_WIDGET (self->editor));
    }

  if (self->editor_pack != NULL)
    {
      g_autoptr(AtelierPack) pack = g_steal_pointer (&self->editor_pack);

      atelier_tune_editor_set_pack (self->editor, pack);
    }

  if (self->editor_faceid != NULL)
    {
      g_autoptr(GPtrArray) files = g_steal_pointer (&self->editor_faceid);

      atelier_tune_editor_set_faceid (self->editor, files);
    }

  show_view (self, "editor");
}

static void
clear_draft (AtelierTunesPage *self)
{
  atelier_draft_clear (self->draft);
  if (self->editor != NULL)
    atelier_tune_editor_set_draft (self->editor, self->draft);
  update_draft_banner (self);
}

static void
faceid_photos_response_cb (AtelierTunesPage *self,
                           const char       *response)
{
  if (g_strcmp0 (response, "new") == 0)
    clear_draft (self);
  else if (g_strcmp0 (response, "add") != 0)
    {
      g_clear_pointer (&self->editor_faceid, g_ptr_array_unref);
      return;
    }

  open_editor (self);
}

/* The photos chosen for a FaceID tune are of one face: added to an
 * unfinished tune, they could mix two people. The user says which. */
static void
open_editor_asking (AtelierTunesPage *self)
{
  GtkWidget *dialog;

  if (self->editor_faceid == NULL || atelier_draft_is_empty (self->draft) ||
      (self->editor != NULL && atelier_tune_editor_get_busy (self->editor)))
    {
      open_editor (self);
      return;
    }

  dialog = atelier_message_dialog_new (GTK_WIDGET (self),
                                       _("Start a New Tune?"),
                                       _("A tune you have not finished is open, and its photos may be of someone "
                                         "else. A new FaceID tune has only the photos you chose: the unfinished "
                                         "tune is discarded (its photo files stay where they are)."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "add", _("_Add to Unfinished Tune"),
                                    "new", _("_Discard and Start New"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "new", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (faceid_photos_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
atelier_tunes_page_new_tune (AtelierTunesPage *self)
{
  g_return_if_fail (ATELIER_IS_TUNES_PAGE (self));

  if (!self->draft_loaded)
    {
      self->open_editor_when_loaded = TRUE;
      return;
    }

  open_editor_asking (self);
}

void
atelier_tunes_page_new_tune_from_pack (AtelierTunesPage *self,
                                       AtelierPack      *pack)
{
  g_return_if_fail (ATELIER_IS_TUNES_PAGE (self));
  g_return_if_fail (ATELIER_IS_PACK (pack));

  g_set_object (&self->editor_pack, pack);
  atelier_tunes_page_new_tune (self);
}

void
atelier_tunes_page_new_tune_for_faceid (AtelierTunesPage *self,
                                        GPtrArray        *files)
{
  g_return_if_fail (ATELIER_IS_TUNES_PAGE (self));
  g_return_if_fail (files != NULL);

  g_clear_object (&self->editor_pack);
  g_clear_pointer (&self->editor_faceid, g_ptr_array_unref);
  self->editor_faceid = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < files->len; i++)
    g_ptr_array_add (self->editor_faceid, g_object_ref (g_ptr_array_index (files, i)));
  atelier_tunes_page_new_tune (self);
}

static void
draft_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AtelierTunesPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!atelier_draft_load_finish (ATELIER_DRAFT (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* A draft that cannot be read is not worth stopping for. */
      g_warning ("Could not read the tune draft: %s", error->message);
    }

  self->draft_loaded = TRUE;
  g_signal_connect_object (self->draft, "changed", G_CALLBACK (update_draft_banner), self, G_CONNECT_SWAPPED);
  update_draft_banner (self);

  if (self->open_editor_when_loaded)
    open_editor_asking (self);
}

static void
detail_back_cb (AtelierTunesPage *self)
{
  show_view (self, "list");
}

static void
detail_deleted_cb (AtelierTunesPage *self,
                   gint64            tune_id)
{
  atelier_tune_list_remove_id (self->tunes, tune_id);
  show_view (self, "list");
  atelier_widget_show_toast (GTK_WIDGET (self), _("Tune deleted"));
}

static void
show_detail (AtelierTunesPage *self,
             AtelierTune      *tune)
{
  atelier_tune_detail_set_session (self->detail, get_session (self));
  atelier_tune_detail_set_tune (self->detail, tune);
  show_view (self, "detail");
}

static void
get_tune_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(AtelierTunesPage) self = user_data;
  g_autoptr(AtelierTune) tune = NULL;
  g_autoptr(GError) error = NULL;

  tune = atelier_astria_client_get_tune_finish (ATELIER_ASTRIA_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->show_cancellable);
  if (tune == NULL)
    {
      atelier_widget_show_error (GTK_WIDGET (self), error);
      return;
    }

  show_detail (self, tune);
}

void
atelier_tunes_page_show_tune (AtelierTunesPage *self,
                              gint64            tune_id)
{
  AtelierTune *tune;

  g_return_if_fail (ATELIER_IS_TUNES_PAGE (self));

  g_cancellable_cancel (self->show_cancellable);
  g_clear_object (&self->show_cancellable);

  tune = atelier_tune_list_find (self->tunes, tune_id);
  if (tune != NULL)
    {
      show_detail (self, tune);
      return;
    }

  if (self->client == NULL)
    return;

  self->show_cancellable = g_cancellable_new ();
  atelier_astria_client_get_tune_async (self->client, tune_id, self->show_cancellable,
                                        get_tune_cb, g_object_ref (self));
}

/* }}} */

/* {{{ Actions */

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  atelier_tunes_page_reload (ATELIER_TUNES_PAGE (widget));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AtelierTunesPage *self = ATELIER_TUNES_PAGE (widget);
  gboolean active = gtk_search_bar_get_search_mode (self->search_bar);

  show_view (self, "list");
  gtk_search_bar_set_search_mode (self->search_bar, !active);
  if (!active)
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
new_tune_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  atelier_tunes_page_new_tune (ATELIER_TUNES_PAGE (widget));
}

static void
discard_response_cb (AtelierTunesPage *self,
                     const char       *response)
{
  if (g_strcmp0 (response, "discard") == 0)
    clear_draft (self);
}

static void
discard_draft_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  GtkWidget *dialog = atelier_discard_draft_dialog_new (widget);

  g_signal_connect_object (dialog, "response", G_CALLBACK (discard_response_cb), widget, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* }}} */

/* {{{ GObject */

AtelierAstriaClient *
atelier_tunes_page_get_client (AtelierTunesPage *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNES_PAGE (self), NULL);
  return self->client;
}

void
atelier_tunes_page_set_client (AtelierTunesPage    *self,
                               AtelierAstriaClient *client)
{
  g_return_if_fail (ATELIER_IS_TUNES_PAGE (self));
  g_return_if_fail (client == NULL || ATELIER_IS_ASTRIA_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;

  atelier_tune_list_set_client (self->tunes, client);
  if (self->editor != NULL)
    atelier_tune_editor_set_client (self->editor, client);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->nav_stack), "detail") == 0)
    show_view (self, "list");

  atelier_tunes_page_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

gboolean
atelier_tunes_page_get_loading (AtelierTunesPage *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNES_PAGE (self), FALSE);
  return self->loading;
}

GListModel *
atelier_tunes_page_get_model (AtelierTunesPage *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNES_PAGE (self), NULL);
  return G_LIST_MODEL (self->tunes);
}

AtelierTuneList *
atelier_tunes_page_get_tune_list (AtelierTunesPage *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNES_PAGE (self), NULL);
  return self->tunes;
}

AtelierTuneEditor *
atelier_tunes_page_get_editor (AtelierTunesPage *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNES_PAGE (self), NULL);
  return self->editor;
}

AtelierDraft *
atelier_tunes_page_get_draft (AtelierTunesPage *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNES_PAGE (self), NULL);
  return self->draft;
}

gboolean
atelier_tunes_page_get_draft_loaded (AtelierTunesPage *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNES_PAGE (self), FALSE);
  return self->draft_loaded;
}

AtelierTuneDetail *
atelier_tunes_page_get_detail (AtelierTunesPage *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNES_PAGE (self), NULL);
  return self->detail;
}

const char *
atelier_tunes_page_get_view (AtelierTunesPage *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNES_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->nav_stack);
}

static void
atelier_tunes_page_dispose (GObject *object)
{
  AtelierTunesPage *self = ATELIER_TUNES_PAGE (object);

  g_cancellable_cancel (self->draft_cancellable);
  g_clear_object (&self->draft_cancellable);
  g_cancellable_cancel (self->show_cancellable);
  g_clear_object (&self->show_cancellable);
  g_clear_handle_id (&self->more_idle_id, g_source_remove);

  if (self->tunes != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->tunes, self);
      atelier_tune_list_set_client (self->tunes, NULL);
    }
  if (self->draft != NULL)
    g_signal_handlers_disconnect_by_data (self->draft, self);

  /* The editor saves the draft as it goes. */
  self->editor = NULL;
  atelier_bin_dispose_template (ADW_BIN (self), ATELIER_TYPE_TUNES_PAGE);

  g_clear_object (&self->client);
  g_clear_object (&self->filtered);
  g_clear_object (&self->tunes);
  g_clear_object (&self->draft);
  g_clear_object (&self->editor_pack);

  G_OBJECT_CLASS (atelier_tunes_page_parent_class)->dispose (object);
}

static void
atelier_tunes_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  AtelierTunesPage *self = ATELIER_TUNES_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_tunes_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  AtelierTunesPage *self = ATELIER_TUNES_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      atelier_tunes_page_set_client (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_tunes_page_class_init (AtelierTunesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atelier_tunes_page_dispose;
  object_class->get_property = atelier_tunes_page_get_property;
  object_class->set_property = atelier_tunes_page_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         ATELIER_TYPE_ASTRIA_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ATELIER_TYPE_TUNE_DETAIL);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/atelier/Atelier/tunes/atelier-tunes-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AtelierTunesPage, nav_stack);
  gtk_widget_class_bind_template_child (widget_class, AtelierTunesPage, draft_revealer);
  gtk_widget_class_bind_template_child (widget_class, AtelierTunesPage, draft_label);
  gtk_widget_class_bind_template_child (widget_class, AtelierTunesPage, search_bar);
  gtk_widget_class_bind_template_child (widget_class, AtelierTunesPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, AtelierTunesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, AtelierTunesPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, AtelierTunesPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, AtelierTunesPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, AtelierTunesPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, AtelierTunesPage, list_scroller);
  gtk_widget_class_bind_template_child (widget_class, AtelierTunesPage, more_spinner);
  gtk_widget_class_bind_template_child (widget_class, AtelierTunesPage, editor_bin);
  gtk_widget_class_bind_template_child (widget_class, AtelierTunesPage, detail);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);

  gtk_widget_class_install_action (widget_class, "page.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "page.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "page.new-tune", NULL, new_tune_action);
  gtk_widget_class_install_action (widget_class, "page.discard-draft", NULL, discard_draft_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "page.new-tune", NULL);
}

static void
atelier_tunes_page_init (AtelierTunesPage *self)
{
  GtkAdjustment *adjustment;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->tunes = atelier_tune_list_new ();
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->tunes)),
                                              GTK_FILTER (self->filter));
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->filtered),
                           create_row, self, NULL);
  g_signal_connect_object (self->list_box, "row-activated", G_CALLBACK (row_activated_cb),
                           self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->tunes, "notify::loading", G_CALLBACK (loading_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tunes, "notify::has-more", G_CALLBACK (update_view), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tunes, "items-changed", G_CALLBACK (items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tunes, "items-changed", G_CALLBACK (list_changed_for_detail_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tunes, "load-failed", G_CALLBACK (load_failed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tunes, "tune-ready", G_CALLBACK (tune_ready_cb), self, G_CONNECT_SWAPPED);

  /* Page by page as the user scrolls, and until the list fills the view. */
  adjustment = gtk_scrolled_window_get_vadjustment (self->list_scroller);
  g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (adjustment_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (adjustment, "changed", G_CALLBACK (adjustment_changed_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->detail, "back", G_CALLBACK (detail_back_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->detail, "deleted", G_CALLBACK (detail_deleted_cb), self, G_CONNECT_SWAPPED);

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));

  /* The tune being composed when Atelier last ran. */
  self->draft = atelier_draft_new (NULL);
  self->draft_cancellable = g_cancellable_new ();
  atelier_draft_load_async (self->draft, self->draft_cancellable, draft_loaded_cb, g_object_ref (self));
}

/* }}} */
