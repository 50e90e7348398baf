/* atelier-tune-detail.c: one tune: its parameters, photos and prompts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-fal-face.h"
#include "atelier-tune-detail.h"
#include "atelier-tune-ui.h"
#include "atelier-shell.h"
#include "atelier-widget-utils.h"

#define PHOTO_SIZE 112

struct _AtelierTuneDetail
{
  AdwBin               parent_instance;

  /* template */
  GtkLabel            *bar_title;
  GtkLabel            *title_label;
  GtkLabel            *summary_label;
  AdwBin              *status_bin;
  AdwPreferencesGroup *params_group;
  AdwPreferencesGroup *characteristics_group;
  GtkStack            *photos_stack;
  GtkFlowBox          *photos_box;

  AtelierSession      *session;
  AtelierTune         *tune;
  GPtrArray           *rows;             /* rows added to the two groups */
  GCancellable        *cancellable;      /* the delete */
  gboolean             busy;
};

G_DEFINE_FINAL_TYPE (AtelierTuneDetail, atelier_tune_detail, ADW_TYPE_BIN)

enum {
  SIGNAL_BACK,
  SIGNAL_DELETED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* {{{ Showing the tune */

static void
add_row (AtelierTuneDetail   *self,
         AdwPreferencesGroup *group,
         const char          *title,
         const char          *value)
{
  GtkWidget *row = atelier_property_row_new (title, value);

  adw_preferences_group_add (group, row);
  g_object_set_data (G_OBJECT (row), "atelier-group", group);
  g_ptr_array_add (self->rows, row);
}

static char *
format_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return NULL;

  local = g_date_time_to_local (time);
  /* Translators: a date and time, see g_date_time_format() */
  return g_date_time_format (local, _("%e %B %Y, %H:%M"));
}

static const char *
tristate (int value)
{
  if (value < 0)
    return _("Account default");
  return value ? _("On") : _("Off");
}

static void
clear_rows (AtelierTuneDetail *self)
{
  GtkWidget *child;

  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);

      adw_preferences_group_remove (g_object_get_data (G_OBJECT (row), "atelier-group"), row);
    }
  g_ptr_array_set_size (self->rows, 0);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->photos_box))) != NULL)
    gtk_flow_box_remove (self->photos_box, child);
}

static AtelierImageCache *
get_image_cache (AtelierTuneDetail *self)
{
  return self->session != NULL ? atelier_session_get_image_cache (self->session) : NULL;
}

static void
use_as_faceid_clicked_cb (GtkButton *button,
                          gpointer   user_data)
{
  const char *url = g_object_get_data (G_OBJECT (button), "atelier-url");
  AtelierShell *shell = atelier_shell_find (GTK_WIDGET (button));

  if (shell != NULL && url != NULL)
    atelier_shell_open_faceid (shell, url, NULL);
}

/* @photo with a "Use as FaceID Face" button over it, when its address
 * can be given to fal.ai as it is (https). */
static GtkWidget *
add_faceid_button (GtkWidget  *photo,
                   const char *url,
                   guint       index)
{
  GtkWidget *overlay;
  GtkWidget *button;
  g_autofree char *name = NULL;

  if (!atelier_fal_face_url_is_sendable (url))
    return photo;

  overlay = gtk_overlay_new ();
  gtk_widget_set_halign (overlay, GTK_ALIGN_START);
  gtk_overlay_set_child (GTK_OVERLAY (overlay), photo);

  button = gtk_button_new_from_icon_name ("camera-photo-symbolic");
  /* Translators: %u counts the training photos from 1 */
  name = g_strdup_printf (_("Use training photo %u as FaceID face"), index + 1);
  gtk_widget_set_tooltip_text (button, _("Use as FaceID Face"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_widget_set_valign (button, GTK_ALIGN_END);
  gtk_widget_set_margin_end (button, 4);
  gtk_widget_set_margin_bottom (button, 4);
  gtk_widget_add_css_class (button, "osd");
  gtk_widget_add_css_class (button, "circular");
  g_object_set_data_full (G_OBJECT (button), "atelier-url", g_strdup (url), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (use_as_faceid_clicked_cb), NULL);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), button);

  return overlay;
}

static void
show_photos (AtelierTuneDetail *self)
{
  const char * const *images = atelier_tune_get_orig_images (self->tune);
  AtelierImageCache *cache = get_image_cache (self);

  for (guint i = 0; images[i] != NULL; i++)
    {
      g_autofree char *label = NULL;
      GtkWidget *child = gtk_flow_box_child_new ();

      /* Translators: the accessible name of a training photo; %u counts from 1 */
      label = g_strdup_printf (_("Training photo %u"), i + 1);
      gtk_flow_box_child_set_child (GTK_FLOW_BOX_CHILD (child),
                                    add_faceid_button (atelier_tune_photo_new (cache, images[i], PHOTO_SIZE, label),
                                                       images[i], i));
      /* The cell takes the focus: a screen reader says its name. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      gtk_flow_box_append (self->photos_box, child);
    }

  gtk_stack_set_visible_child_name (self->photos_stack, images[0] != NULL ? "photos" : "none");
}

static void
update (AtelierTuneDetail *self)
{
  AtelierTune *tune = self->tune;
  g_autofree char *short_title = NULL;
  g_autofree char *full_title = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *id = NULL;
  g_autofree char *created = NULL;
  g_autofree char *trained = NULL;
  g_autofree char *eta = NULL;
  g_autofree char *expires = NULL;
  g_autofree char *base = NULL;
  g_autofree char *steps = NULL;
  g_auto(GStrv) keys = NULL;
  AtelierTuneState state;

  clear_rows (self);
  if (tune == NULL)
    return;

  state = atelier_tune_get_state (tune, NULL);
  short_title = atelier_tune_dup_short_title (tune);
  full_title = atelier_tune_dup_display_title (tune);
  summary = atelier_tune_dup_summary (tune);
  gtk_label_set_label (self->bar_title, short_title);
  gtk_label_set_label (self->title_label, short_title);
  gtk_label_set_label (self->summary_label, summary);
  adw_bin_set_child (self->status_bin, atelier_tune_status_label_new (tune));

  id = g_strdup_printf ("%" G_GINT64_FORMAT, atelier_tune_get_id (tune));
  add_row (self, self->params_group, _("Title"), full_title);
  add_row (self, self->params_group, _("ID"), id);
  add_row (self, self->params_group, _("Class"), atelier_tune_get_name (tune) ?: "—");
  add_row (self, self->params_group, _("Model Type"),
           atelier_tune_model_type_label (atelier_tune_get_model_type (tune)));
  add_row (self, self->params_group, _("Branch"), atelier_tune_get_branch (tune) ?: "—");

  if (atelier_tune_get_base_tune_id (tune) > 0)
    {
      const char *name = atelier_base_model_name (atelier_tune_get_base_tune_id (tune));

      if (name != NULL)
        /* Translators: a base model and its number, e.g. "Flux1.dev (1504944)" */
        base = g_strdup_printf (_("%s (%" G_GINT64_FORMAT ")"), name, atelier_tune_get_base_tune_id (tune));
      else
        base = g_strdup_printf ("%" G_GINT64_FORMAT, atelier_tune_get_base_tune_id (tune));
    }
  add_row (self, self->params_group, _("Base Model"), base != NULL ? base : "—");
  add_row (self, self->params_group, _("Token"), atelier_tune_get_token (tune) ?: "—");
  if (atelier_tune_get_steps (tune) >= 0)
    steps = g_strdup_printf ("%" G_GINT64_FORMAT, atelier_tune_get_steps (tune));
  add_row (self, self->params_group, _("Steps"), steps != NULL ? steps : _("Automatic"));
  add_row (self, self->params_group, _("Face Crop"), tristate (atelier_tune_get_face_crop (tune)));
  add_row (self, self->params_group, _("Training Face Correct"),
           tristate (atelier_tune_get_training_face_correct (tune)));

  created = format_time (atelier_tune_get_created_at (tune));
  if (created != NULL)
    add_row (self, self->params_group, _("Created"), created);
  trained = format_time (atelier_tune_get_trained_at (tune));
  eta = format_time (atelier_tune_get_eta (tune));
  if (trained != NULL)
    add_row (self, self->params_group, _("Trained"), trained);
  else if (eta != NULL)
    add_row (self, self->params_group, _("Expected Ready"), eta);
  expires = format_time (atelier_tune_get_expires_at (tune));
  if (expires != NULL)
    add_row (self, self->params_group,
             state == ATELIER_TUNE_STATE_EXPIRED ? _("Expired") : _("Expires"), expires);

  keys = atelier_tune_dup_characteristic_keys (tune);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autofree char *title = g_strdup_printf ("{{%s}}", keys[i]);

      add_row (self, self->characteristics_group, title, atelier_tune_get_characteristic (tune, keys[i]));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->characteristics_group), keys[0] != NULL);

  show_photos (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.new-prompt",
                                 state == ATELIER_TUNE_STATE_READY || state == ATELIER_TUNE_STATE_EXPIRING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.delete", !self->busy);
}

/* }}} */

/* {{{ Actions */

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  g_signal_emit (widget, signals[SIGNAL_BACK], 0);
}

static void
new_prompt_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  AtelierTuneDetail *self = ATELIER_TUNE_DETAIL (widget);
  AtelierShell *shell = atelier_shell_find (widget);

  if (self->session == NULL || self->tune == NULL || shell == NULL)
    return;

  atelier_shell_open_prompt_editor (shell, NULL, self->tune, 0, NULL);
}

static void
show_prompts_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  AtelierTuneDetail *self = ATELIER_TUNE_DETAIL (widget);
  AtelierShell *shell = atelier_shell_find (widget);

  if (self->tune != NULL && shell != NULL)
    atelier_shell_show_tune_prompts (shell, atelier_tune_get_id (self->tune));
}

static void
set_busy (AtelierTuneDetail *self,
          gboolean           busy)
{
  self->busy = busy;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.delete", !busy);
}

static void
delete_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(AtelierTuneDetail) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (self), "atelier-deleting"));

  if (!atelier_astria_client_delete_tune_finish (ATELIER_ASTRIA_CLIENT (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          set_busy (self, FALSE);
          atelier_widget_show_error (GTK_WIDGET (self), error);
        }
      return;
    }

  set_busy (self, FALSE);
  g_clear_object (&self->cancellable);
  g_signal_emit (self, signals[SIGNAL_DELETED], 0, (gint64) id);
}

static void
delete_response_cb (AtelierTuneDetail *self,
                    const char        *response)
{
  AtelierAstriaClient *client;
  gint64 id;

  if (g_strcmp0 (response, "delete") != 0 || self->tune == NULL || self->session == NULL)
    return;

  client = atelier_session_get_astria_client (self->session);
  if (client == NULL)
    return;

  id = atelier_tune_get_id (self->tune);
  g_object_set_data (G_OBJECT (self), "atelier-deleting", GSIZE_TO_POINTER ((gsize) id));
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  atelier_astria_client_delete_tune_async (client, id, self->cancellable, delete_cb, g_object_ref (self));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AtelierTuneDetail *self = ATELIER_TUNE_DETAIL (widget);
  g_autofree char *title = NULL;
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (self->tune == NULL || self->busy)
    return;

  title = atelier_tune_dup_short_title (self->tune);
  /* Translators: %s is the title of a tune */
  heading = g_strdup_printf (_("Delete “%s”?"), title);
  dialog = atelier_message_dialog_new (widget, heading,
                                       _("The tune, its prompts and their images will be deleted from the service. "
                                         "Images kept in your library stay. This cannot be undone."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* }}} */

/* {{{ GObject */

GtkWidget *
atelier_tune_detail_new (void)
{
  return g_object_new (ATELIER_TYPE_TUNE_DETAIL, NULL);
}

void
atelier_tune_detail_set_session (AtelierTuneDetail *self,
                                 AtelierSession    *session)
{
  g_return_if_fail (ATELIER_IS_TUNE_DETAIL (self));

  g_set_object (&self->session, session);
}

void
atelier_tune_detail_set_tune (AtelierTuneDetail *self,
                              AtelierTune       *tune)
{
  gboolean same;

  g_return_if_fail (ATELIER_IS_TUNE_DETAIL (self));
  g_return_if_fail (tune == NULL || ATELIER_IS_TUNE (tune));

  same = tune != NULL && self->tune != NULL && atelier_tune_get_id (tune) == atelier_tune_get_id (self->tune);
  if (!same)
    {
      /* Another tune: a delete of the last one goes on, unseen. */
      g_clear_object (&self->cancellable);
      set_busy (self, FALSE);
    }

  g_set_object (&self->tune, tune);
  update (self);
}

AtelierTune *
atelier_tune_detail_get_tune (AtelierTuneDetail *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE_DETAIL (self), NULL);
  return self->tune;
}

gboolean
atelier_tune_detail_get_busy (AtelierTuneDetail *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE_DETAIL (self), FALSE);
  return self->busy;
}

static void
atelier_tune_detail_dispose (GObject *object)
{
  AtelierTuneDetail *self = ATELIER_TUNE_DETAIL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  atelier_bin_dispose_template (ADW_BIN (self), ATELIER_TYPE_TUNE_DETAIL);

  g_clear_object (&self->tune);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (atelier_tune_detail_parent_class)->dispose (object);
}

static void
atelier_tune_detail_class_init (AtelierTuneDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atelier_tune_detail_dispose;

  signals[SIGNAL_BACK] =
    g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_DELETED] =
    g_signal_new ("deleted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/atelier/Atelier/tunes/atelier-tune-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneDetail, bar_title);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneDetail, title_label);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneDetail, summary_label);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneDetail, status_bin);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneDetail, params_group);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneDetail, characteristics_group);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneDetail, photos_stack);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneDetail, photos_box);

  gtk_widget_class_install_action (widget_class, "detail.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "detail.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "detail.new-prompt", NULL, new_prompt_action);
  gtk_widget_class_install_action (widget_class, "detail.show-prompts", NULL, show_prompts_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "detail.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "detail.back", NULL);
}

static void
atelier_tune_detail_init (AtelierTuneDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_ptr_array_new ();
}

/* }}} */
