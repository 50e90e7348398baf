/* atelier-tune-editor.c: composing a new tune
 *
 * One widget class, AtelierTuneEditor: the form of a new tune, kept in
 * step with its AtelierDraft (filled from it, saved to it as the user
 * works), and the UI of creating it — the progress bar and Cancel while an
 * AtelierTuneUpload (src/models) runs, the error banner with Retry, and a
 * 422's field errors on their rows.
 *
 * Pack mode (atelier_tune_editor_set_pack(), kept in the draft): the tune
 * is made from a pack (POST /p/:id/tunes). The class is one the pack
 * prices, the pack decides model, branch, training and prompts (those
 * groups hide), and the price of the chosen class is shown and confirmed
 * before anything is sent.
 *
 * The class is written in four files that share its instance struct and
 * what they call on each other (atelier-tune-editor-private.h):
 *
 * atelier-tune-editor.c         this file, the class itself: the GObject,
 *                               class_init and the template, the public
 *                               API, the actions, the form's signal handlers
 * atelier-tune-editor-form.c    the form: reading it (into params), the
 *                               model-dependent fields, saving it to the
 *                               draft, filling it from the draft, field errors
 * atelier-tune-editor-pack.c    pack mode: the pack and price rows, the
 *                               classes a pack offers, the price confirmed
 * atelier-tune-editor-upload.c  the status line and the upload: the photos
 *                               asked about, progress, success and failure
 *
 * Elsewhere: which settings go together is atelier-tune-setup.c; the
 * characteristics rows and the first prompts are groups of their own
 * (atelier-characteristics-group.c, atelier-first-prompts-group.c); the
 * upload workflow is AtelierTuneUpload (src/models).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-tune-editor-private.h"
#include "atelier-tune-ui.h"
#include "atelier-widget-utils.h"

/* After the last keystroke in the custom class entry, inspect for it. */
#define CLASS_TYPING_DELAY_MS 600

G_DEFINE_FINAL_TYPE (AtelierTuneEditor, atelier_tune_editor, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_CREATED,
  SIGNAL_BACK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* {{{ Actions */

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AtelierTuneEditor *self = ATELIER_TUNE_EDITOR (widget);
  PhotoCounts counts;

  if (self->busy || self->client == NULL)
    return;

  _atelier_tune_editor_count_photos (atelier_picker_get_photo_list (self->picker), &counts);
  if (counts.warned > 0 || !_atelier_tune_editor_count_in_range (counts.usable))
    _atelier_tune_editor_ask_upload_choice (self, &counts);
  else
    _atelier_tune_editor_confirm_then_upload (self, FALSE);
}

/* Retry: the same photos as the upload that failed, not asked again. */
static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  AtelierTuneEditor *self = ATELIER_TUNE_EDITOR (widget);

  if (!self->busy)
    _atelier_tune_editor_confirm_then_upload (self, self->leave_out_warned);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AtelierTuneEditor *self = ATELIER_TUNE_EDITOR (widget);

  g_cancellable_cancel (self->cancellable);
}

static void
add_prompt_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  atelier_first_prompts_group_add (ATELIER_TUNE_EDITOR (widget)->prompts_group);
}

static void
leave_pack_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  atelier_tune_editor_set_pack (ATELIER_TUNE_EDITOR (widget), NULL);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  g_signal_emit (widget, signals[SIGNAL_BACK], 0);
}

static void
discard_response_cb (AtelierTuneEditor *self,
                     const char        *response)
{
  g_autoptr(AtelierDraft) draft = NULL;

  if (g_strcmp0 (response, "discard") != 0 || self->draft == NULL)
    return;

  draft = g_object_ref (self->draft);
  atelier_draft_clear (draft);
  _atelier_tune_editor_clear_field_errors (self);
  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
  atelier_tune_editor_set_draft (self, draft);
}

static void
discard_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  AtelierTuneEditor *self = ATELIER_TUNE_EDITOR (widget);
  GtkWidget *dialog;

  if (atelier_draft_is_empty (self->draft))
    {
      discard_response_cb (self, "discard");
      return;
    }

  dialog = atelier_discard_draft_dialog_new (widget);
  g_signal_connect_object (dialog, "response", G_CALLBACK (discard_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* }}} */

/* {{{ Signal handlers of the form */

/* Inspections finished: the most common values fill the rows the user did
 * not change. */
static void
inspections_changed_cb (AtelierTuneEditor *self)
{
  g_autoptr(GHashTable) found = NULL;

  found = atelier_photo_list_aggregate_characteristics (atelier_picker_get_photo_list (self->picker));
  atelier_characteristics_group_update (self->characteristics_group, found);
}

static void
settings_changed_cb (AtelierTuneEditor *self)
{
  if (self->filling)
    return;

  _atelier_tune_editor_update_model_fields (self);
  _atelier_tune_editor_save_settings (self);
  _atelier_tune_editor_update_status (self);
}

static void
combo_changed_cb (AtelierTuneEditor *self,
                  GParamSpec        *pspec,
                  AdwComboRow       *row)
{
  if (self->filling)
    return;

  self->filling = TRUE;
  _atelier_tune_editor_couple_choices (self, row == self->model_row ? ATELIER_TUNE_CHOICE_MODEL
                                             : row == self->branch_row ? ATELIER_TUNE_CHOICE_BRANCH
                                             : ATELIER_TUNE_CHOICE_BASE);
  self->filling = FALSE;

  settings_changed_cb (self);
}

static void
class_changed_cb (AtelierTuneEditor *self)
{
  if (self->filling)
    return;

  settings_changed_cb (self);
  _atelier_tune_editor_apply_class_name (self);
}

static gboolean
class_timeout_cb (gpointer user_data)
{
  AtelierTuneEditor *self = user_data;

  self->class_timeout_id = 0;
  _atelier_tune_editor_apply_class_name (self);
  return G_SOURCE_REMOVE;
}

static void
custom_class_changed_cb (AtelierTuneEditor *self)
{
  if (self->filling)
    return;

  settings_changed_cb (self);
  g_clear_handle_id (&self->class_timeout_id, g_source_remove);
  self->class_timeout_id = g_timeout_add (CLASS_TYPING_DELAY_MS, class_timeout_cb, self);
}

static void
photos_changed_cb (AtelierTuneEditor *self)
{
  _atelier_tune_editor_save_photos (self);
  _atelier_tune_editor_update_status (self);
}

/* }}} */

/* {{{ GObject */

void
atelier_tune_editor_set_client (AtelierTuneEditor   *self,
                                AtelierAstriaClient *client)
{
  g_return_if_fail (ATELIER_IS_TUNE_EDITOR (self));

  if (self->client != client && self->busy)
    g_cancellable_cancel (self->cancellable);

  g_set_object (&self->client, client);
  atelier_photo_list_set_client (atelier_picker_get_photo_list (self->picker), client);
}

void
atelier_tune_editor_set_draft (AtelierTuneEditor *self,
                               AtelierDraft      *draft)
{
  g_return_if_fail (ATELIER_IS_TUNE_EDITOR (self));
  g_return_if_fail (ATELIER_IS_DRAFT (draft));

  g_set_object (&self->draft, draft);
  _atelier_tune_editor_fill_from_draft (self);
}

void
atelier_tune_editor_set_pack (AtelierTuneEditor *self,
                              AtelierPack       *pack)
{
  g_autofree char *class_name = NULL;
  g_autofree char *json = NULL;

  g_return_if_fail (ATELIER_IS_TUNE_EDITOR (self));
  g_return_if_fail (pack == NULL || ATELIER_IS_PACK (pack));
  g_return_if_fail (self->draft != NULL);

  if (self->busy)
    return;

  /* The class chosen so far stays when the new choices have it. */
  class_name = _atelier_tune_editor_dup_class_name (self);
  if (pack != NULL)
    json = json_to_string (atelier_pack_get_json (pack), FALSE);
  atelier_draft_set_string (self->draft, "pack", json);

  self->filling = TRUE;
  _atelier_tune_editor_take_pack_from_draft (self);
  _atelier_tune_editor_select_class (self, class_name != NULL ? class_name : "woman", FALSE);
  self->filling = FALSE;

  _atelier_tune_editor_clear_field_errors (self);
  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
  settings_changed_cb (self);
  _atelier_tune_editor_apply_class_name (self);
}

void
atelier_tune_editor_set_faceid (AtelierTuneEditor *self,
                                GPtrArray         *files)
{
  g_return_if_fail (ATELIER_IS_TUNE_EDITOR (self));
  g_return_if_fail (files != NULL);
  g_return_if_fail (self->draft != NULL);

  if (self->busy)
    return;

  if (self->pack != NULL)
    atelier_tune_editor_set_pack (self, NULL);

  /* As if the user chose it: the branch and base model follow. */
  adw_combo_row_set_selected (self->model_row, ATELIER_TUNE_MODEL_FACEID);

  if (files->len > 0)
    atelier_picker_add_files (self->picker, files);
}

AtelierPack *
atelier_tune_editor_get_pack (AtelierTuneEditor *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE_EDITOR (self), NULL);
  return self->pack;
}

AtelierDraft *
atelier_tune_editor_get_draft (AtelierTuneEditor *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE_EDITOR (self), NULL);
  return self->draft;
}

AtelierPicker *
atelier_tune_editor_get_picker (AtelierTuneEditor *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE_EDITOR (self), NULL);
  return self->picker;
}

gboolean
atelier_tune_editor_get_busy (AtelierTuneEditor *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE_EDITOR (self), FALSE);
  return self->busy;
}

void
_atelier_tune_editor_set_busy (AtelierTuneEditor *self,
                               gboolean           busy)
{
  if (self->busy == busy)
    return;

  self->busy = busy;
  gtk_widget_set_visible (self->cancel_button, busy);
  gtk_stack_set_visible_child_name (self->bottom_stack, busy ? "progress" : "status");
  gtk_widget_set_sensitive (self->scrolled_window, !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.cancel", busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.discard", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.leave-pack", !busy);
  _atelier_tune_editor_update_status (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* ::created, for the upload's success (atelier-tune-editor-upload.c). */
void
_atelier_tune_editor_emit_created (AtelierTuneEditor *self,
                                   AtelierTune       *tune)
{
  g_signal_emit (self, signals[SIGNAL_CREATED], 0, tune);
}

GtkWidget *
atelier_tune_editor_new (void)
{
  return g_object_new (ATELIER_TYPE_TUNE_EDITOR, NULL);
}

static void
atelier_tune_editor_dispose (GObject *object)
{
  AtelierTuneEditor *self = ATELIER_TUNE_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->upload != NULL)
    g_signal_handlers_disconnect_by_data (self->upload, self);
  g_clear_object (&self->upload);
  g_clear_handle_id (&self->class_timeout_id, g_source_remove);

  if (self->draft != NULL)
    {
      _atelier_tune_editor_save_settings (self);
      atelier_draft_flush (self->draft);
    }

  if (self->picker != NULL)
    g_signal_handlers_disconnect_by_data (atelier_picker_get_photo_list (self->picker), self);

  g_clear_pointer (&self->error_widgets, g_ptr_array_unref);

  atelier_bin_dispose_template (ADW_BIN (self), ATELIER_TYPE_TUNE_EDITOR);

  g_clear_object (&self->draft);
  g_clear_object (&self->client);
  g_clear_object (&self->pack);
  g_clear_pointer (&self->pack_classes, g_strfreev);
  g_clear_object (&self->class_model);

  G_OBJECT_CLASS (atelier_tune_editor_parent_class)->dispose (object);
}

static void
atelier_tune_editor_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  AtelierTuneEditor *self = ATELIER_TUNE_EDITOR (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_tune_editor_class_init (AtelierTuneEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atelier_tune_editor_dispose;
  object_class->get_property = atelier_tune_editor_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CREATED] =
    g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, ATELIER_TYPE_TUNE);
  signals[SIGNAL_BACK] =
    g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (ATELIER_TYPE_PICKER);
  g_type_ensure (ATELIER_TYPE_CHARACTERISTICS_GROUP);
  g_type_ensure (ATELIER_TYPE_FIRST_PROMPTS_GROUP);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/atelier/Atelier/tunes/atelier-tune-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, page_title);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, pack_group);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, pack_row);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, price_row);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, price_label);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, training_group);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, picker);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, photos_group);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, title_row);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, class_row);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, custom_class_row);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, model_group);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, model_row);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, branch_row);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, base_row);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, base_id_row);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, preset_row);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, token_row);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, steps_row);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, steps_spin);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, face_crop_row);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, face_correct_row);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, face_correct_switch);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, auto_extend_switch);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, characteristics_group);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, prompts_group);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, bottom_stack);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, status_label);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, progress_label);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, cancel_button);

  gtk_widget_class_install_action (widget_class, "editor.submit", NULL, submit_action);
  gtk_widget_class_install_action (widget_class, "editor.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "editor.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "editor.discard", NULL, discard_action);
  gtk_widget_class_install_action (widget_class, "editor.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "editor.add-prompt", NULL, add_prompt_action);
  gtk_widget_class_install_action (widget_class, "editor.leave-pack", NULL, leave_pack_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "editor.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "editor.submit", NULL);
}

static void
atelier_tune_editor_init (AtelierTuneEditor *self)
{
  AtelierPhotoList *list;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->error_widgets = g_ptr_array_new ();
  self->class_model = g_object_ref (adw_combo_row_get_model (self->class_row));

  g_signal_connect_object (self->title_row, "notify::text", G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->class_row, "notify::selected", G_CALLBACK (class_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->custom_class_row, "notify::text", G_CALLBACK (custom_class_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model_row, "notify::selected", G_CALLBACK (combo_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->branch_row, "notify::selected", G_CALLBACK (combo_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->base_row, "notify::selected", G_CALLBACK (combo_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->base_id_row, "notify::text", G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->preset_row, "notify::selected", G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->token_row, "notify::text", G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->steps_spin, "value-changed", G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->face_crop_row, "notify::selected", G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->face_correct_switch, "notify::active", G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->auto_extend_switch, "notify::active", G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->characteristics_group, "changed",
                           G_CALLBACK (_atelier_tune_editor_save_characteristics), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->prompts_group, "changed",
                           G_CALLBACK (_atelier_tune_editor_save_settings), self, G_CONNECT_SWAPPED);

  list = atelier_picker_get_photo_list (self->picker);
  g_signal_connect_object (atelier_photo_list_get_model (list), "items-changed",
                           G_CALLBACK (photos_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (list, "notify::n-analyzing",
                           G_CALLBACK (_atelier_tune_editor_update_status), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (list, "notify::n-unusable",
                           G_CALLBACK (_atelier_tune_editor_update_status), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (list, "inspections-changed", G_CALLBACK (inspections_changed_cb), self, G_CONNECT_SWAPPED);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.cancel", FALSE);
  _atelier_tune_editor_update_model_fields (self);
  _atelier_tune_editor_update_status (self);
}

/* }}} */
