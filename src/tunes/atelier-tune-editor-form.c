/* atelier-tune-editor-form.c: AtelierTuneEditor's form and its draft
 *
 * The part of AtelierTuneEditor that knows the form's rows: reading them
 * (the class as the API spells it, the params a tune is created with), the
 * fields shown or hidden by the chosen model, saving the form to the draft
 * as the user works and filling it from the draft, and a 422's field
 * errors marked on their rows.
 *
 * The class itself (GObject, template, actions, signal handlers) is
 * atelier-tune-editor.c, pack mode atelier-tune-editor-pack.c, the status
 * and the upload atelier-tune-editor-upload.c; they share
 * atelier-tune-editor-private.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "atelier-tune-editor-private.h"

enum { FACE_CROP_DEFAULT, FACE_CROP_ON, FACE_CROP_OFF };

/* {{{ Reading the form */

static guint
selected (AdwComboRow *row)
{
  return adw_combo_row_get_selected (row);
}

static AtelierTuneSetup
get_setup (AtelierTuneEditor *self)
{
  return (AtelierTuneSetup) {
    .model = selected (self->model_row),
    .branch = selected (self->branch_row),
    .base = selected (self->base_row),
  };
}

char *
_atelier_tune_editor_dup_entry_text (AdwEntryRow *row)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));

  return g_strdup (g_strstrip (text));
}

/* The class as the API spells it, or NULL. */
char *
_atelier_tune_editor_dup_class_name (AtelierTuneEditor *self)
{
  guint index = selected (self->class_row);
  g_autofree char *custom = NULL;

  if (self->pack_classes != NULL)
    return index < g_strv_length (self->pack_classes) ? g_strdup (self->pack_classes[index]) : NULL;

  if (index < ATELIER_TUNE_CLASS_OTHER)
    return g_strdup (atelier_tune_choice_get_id (ATELIER_TUNE_CHOICE_CLASS, index));

  custom = _atelier_tune_editor_dup_entry_text (self->custom_class_row);
  if (*custom == '\0')
    return NULL;
  return g_utf8_strdown (custom, -1);
}

static gint64
base_tune_id (AtelierTuneEditor *self)
{
  guint index = selected (self->base_row);
  g_autofree char *text = NULL;
  guint64 id = 0;

  if (index < ATELIER_TUNE_BASE_OTHER)
    return atelier_tune_base_get_tune_id (index);

  text = _atelier_tune_editor_dup_entry_text (self->base_id_row);
  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &id, NULL))
    return 0;
  return (gint64) id;
}

static const char *
preset_id (AtelierTuneEditor *self)
{
  return atelier_tune_choice_get_id (ATELIER_TUNE_CHOICE_PRESET, selected (self->preset_row));
}

AtelierTuneParams *
atelier_tune_editor_build_params (AtelierTuneEditor *self)
{
  AtelierTuneParams *params;
  AtelierParams *p;
  AtelierTuneSetup setup;
  g_autofree char *class_name = NULL;
  g_autoptr(GHashTable) characteristics = NULL;
  g_auto(GStrv) prompts = NULL;
  g_autofree char *token = NULL;
  const char *title;
  GHashTableIter iter;
  gpointer key, value;
  gint64 base;
  int steps;

  g_return_val_if_fail (ATELIER_IS_TUNE_EDITOR (self), NULL);

  params = atelier_tune_params_new ();
  p = ATELIER_PARAMS (params);
  setup = get_setup (self);

  title = atelier_draft_get_string (self->draft, "title_with_uuid");
  if (title != NULL)
    atelier_params_set_string (p, "title", title);
  class_name = _atelier_tune_editor_dup_class_name (self);
  if (class_name != NULL)
    atelier_params_set_string (p, "name", class_name);

  characteristics = atelier_characteristics_group_dup_values (self->characteristics_group);
  g_hash_table_iter_init (&iter, characteristics);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (*(const char *) value != '\0')
      atelier_tune_params_set_characteristic (params, key, value);

  /* A pack decides the rest (atelier_tune_params_to_pack_form()). */
  if (self->pack != NULL)
    return params;

  atelier_params_set_string (p, "branch", atelier_tune_choice_get_id (ATELIER_TUNE_CHOICE_BRANCH, setup.branch));
  base = base_tune_id (self);
  if (base > 0)
    atelier_params_set_int (p, "base_tune_id", base);

  if (atelier_tune_setup_get_model_type (&setup) != NULL)
    atelier_params_set_string (p, "model_type", atelier_tune_setup_get_model_type (&setup));
  if (atelier_tune_setup_has_preset (&setup) && preset_id (self) != NULL)
    atelier_params_set_string (p, "preset", preset_id (self));

  token = _atelier_tune_editor_dup_entry_text (self->token_row);
  if (*token != '\0')
    atelier_params_set_string (p, "token", token);

  steps = gtk_spin_button_get_value_as_int (self->steps_spin);
  if (atelier_tune_setup_is_trained (&setup) && steps > 0)
    atelier_params_set_int (p, "steps", steps);
  if (atelier_tune_setup_is_trained (&setup))
    atelier_params_set_boolean (p, "training_face_correct", gtk_switch_get_active (self->face_correct_switch));

  if (selected (self->face_crop_row) != FACE_CROP_DEFAULT)
    atelier_params_set_boolean (p, "face_crop", selected (self->face_crop_row) == FACE_CROP_ON);

  atelier_params_set_boolean (p, "auto_extend", gtk_switch_get_active (self->auto_extend_switch));

  prompts = atelier_first_prompts_group_dup_texts (self->prompts_group, TRUE);
  for (guint i = 0; prompts[i] != NULL; i++)
    {
      g_autoptr(AtelierPromptParams) prompt = atelier_prompt_params_new ();

      atelier_params_set_string (ATELIER_PARAMS (prompt), "text", prompts[i]);
      atelier_tune_params_add_prompt (params, prompt);
    }

  return params;
}

/* }}} */

/* {{{ Model-dependent fields */

void
_atelier_tune_editor_update_model_fields (AtelierTuneEditor *self)
{
  AtelierTuneSetup setup = get_setup (self);
  g_autoptr(GString) note = g_string_new (NULL);
  gboolean sdxl = setup.branch == ATELIER_TUNE_BRANCH_SDXL;

  gtk_widget_set_visible (self->steps_row, atelier_tune_setup_is_trained (&setup));
  gtk_widget_set_visible (self->face_correct_row, atelier_tune_setup_is_trained (&setup));
  gtk_widget_set_visible (GTK_WIDGET (self->preset_row), atelier_tune_setup_has_preset (&setup));
  gtk_widget_set_visible (GTK_WIDGET (self->base_id_row), setup.base == ATELIER_TUNE_BASE_OTHER);
  gtk_widget_set_visible (GTK_WIDGET (self->custom_class_row),
                          self->pack_classes == NULL && selected (self->class_row) == ATELIER_TUNE_CLASS_OTHER);
  _atelier_tune_editor_update_pack_fields (self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->model_row), !sdxl);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->model_row), sdxl ? _("SDXL always trains PTI") : "");

  if (setup.model == ATELIER_TUNE_MODEL_FACEID)
    g_string_append (note, _("FaceID needs no training: the tune is ready at once, even from one photo. "
                             "Steps and training face correct do not apply, and the base model is only "
                             "the default for prompts."));
  else if (sdxl)
    g_string_append (note, _("SDXL ignores the model type and trains PTI."));
  else if (setup.model == ATELIER_TUNE_MODEL_CHECKPOINT)
    g_string_append (note, _("A checkpoint trains a whole SD 1.5 model."));
  else if (setup.model == ATELIER_TUNE_MODEL_LORA && setup.branch == ATELIER_TUNE_BRANCH_FLUX)
    g_string_append (note, _("A Flux LoRA: its prompts run on Flux1.dev with the tune added to it."));

  if (setup.branch == ATELIER_TUNE_BRANCH_FAST)
    {
      if (note->len > 0)
        g_string_append_c (note, ' ');
      g_string_append (note, _("Fast is a free test run: nothing is trained and prompts return mock images."));
    }

  adw_preferences_group_set_description (self->model_group, note->len > 0 ? note->str : NULL);
}

/* Keeps the combination possible: choosing one value may change others. */
void
_atelier_tune_editor_couple_choices (AtelierTuneEditor *self,
                                     AtelierTuneChoice  changed)
{
  AtelierTuneSetup setup = get_setup (self);

  atelier_tune_setup_couple (&setup, changed);
  adw_combo_row_set_selected (self->model_row, setup.model);
  adw_combo_row_set_selected (self->branch_row, setup.branch);
  adw_combo_row_set_selected (self->base_row, setup.base);
}

/* }}} */

/* {{{ Saving to the draft */

void
_atelier_tune_editor_save_settings (AtelierTuneEditor *self)
{
  g_autofree char *title = NULL;
  g_autofree char *custom = NULL;
  g_autofree char *token = NULL;
  g_auto(GStrv) prompts = NULL;
  guint class_index;
  guint face_crop;
  AtelierDraft *d = self->draft;

  if (self->filling || d == NULL)
    return;

  title = _atelier_tune_editor_dup_entry_text (self->title_row);
  atelier_draft_set_string (d, "title", title);
  class_index = selected (self->class_row);
  custom = _atelier_tune_editor_dup_entry_text (self->custom_class_row);
  if (self->pack_classes != NULL)
    {
      g_autofree char *class_name = _atelier_tune_editor_dup_class_name (self);

      atelier_draft_set_string (d, "class_name", class_name);
      atelier_draft_set_boolean (d, "custom_class", FALSE);
    }
  else
    {
      atelier_draft_set_string (d, "class_name",
                                class_index < ATELIER_TUNE_CLASS_OTHER
                                ? atelier_tune_choice_get_id (ATELIER_TUNE_CHOICE_CLASS, class_index) : custom);
      atelier_draft_set_boolean (d, "custom_class", class_index == ATELIER_TUNE_CLASS_OTHER);
    }
  atelier_draft_set_string (d, "model_type", atelier_tune_choice_get_id (ATELIER_TUNE_CHOICE_MODEL, selected (self->model_row)));
  atelier_draft_set_string (d, "branch", atelier_tune_choice_get_id (ATELIER_TUNE_CHOICE_BRANCH, selected (self->branch_row)));
  atelier_draft_set_int (d, "base_tune_id", base_tune_id (self));
  atelier_draft_set_boolean (d, "base_other", selected (self->base_row) == ATELIER_TUNE_BASE_OTHER);
  atelier_draft_set_string (d, "preset", preset_id (self));
  token = _atelier_tune_editor_dup_entry_text (self->token_row);
  atelier_draft_set_string (d, "token", token);
  atelier_draft_set_int (d, "steps", gtk_spin_button_get_value_as_int (self->steps_spin));
  face_crop = selected (self->face_crop_row);
  atelier_draft_set_int (d, "face_crop", face_crop == FACE_CROP_ON ? 1 : face_crop == FACE_CROP_OFF ? 0 : -1);
  atelier_draft_set_boolean (d, "training_face_correct", gtk_switch_get_active (self->face_correct_switch));
  atelier_draft_set_boolean (d, "auto_extend", gtk_switch_get_active (self->auto_extend_switch));
  prompts = atelier_first_prompts_group_dup_texts (self->prompts_group, FALSE);
  atelier_draft_set_strv (d, "prompts", (const char * const *) prompts);
}

void
_atelier_tune_editor_save_characteristics (AtelierTuneEditor *self)
{
  g_autoptr(GHashTable) values = NULL;
  g_auto(GStrv) edited = NULL;

  if (self->filling || self->draft == NULL)
    return;

  values = atelier_characteristics_group_dup_values (self->characteristics_group);
  atelier_draft_set_characteristics (self->draft, values);
  edited = atelier_characteristics_group_dup_edited (self->characteristics_group);
  atelier_draft_set_strv (self->draft, "edited_characteristics", (const char * const *) edited);
}

void
_atelier_tune_editor_save_photos (AtelierTuneEditor *self)
{
  g_auto(GStrv) uris = NULL;

  if (self->filling || self->draft == NULL)
    return;

  uris = atelier_photo_list_dup_uris (atelier_picker_get_photo_list (self->picker));
  atelier_draft_set_strv (self->draft, "photos", (const char * const *) uris);
}

/* }}} */

/* {{{ Field errors */

void
_atelier_tune_editor_clear_field_errors (AtelierTuneEditor *self)
{
  for (guint i = 0; i < self->error_widgets->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (self->error_widgets, i);

      gtk_widget_remove_css_class (widget, "error");
      gtk_widget_set_tooltip_text (widget, g_object_get_data (G_OBJECT (widget), "atelier-tooltip"));
    }
  g_ptr_array_set_size (self->error_widgets, 0);
}

static void
mark_field_error (AtelierTuneEditor *self,
                  GtkWidget         *widget,
                  const char        *message)
{
  if (!g_ptr_array_find (self->error_widgets, widget, NULL))
    {
      g_object_set_data_full (G_OBJECT (widget), "atelier-tooltip",
                              g_strdup (gtk_widget_get_tooltip_text (widget)), g_free);
      g_ptr_array_add (self->error_widgets, widget);
    }

  gtk_widget_add_css_class (widget, "error");
  gtk_widget_set_tooltip_text (widget, message);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
}

/* The row a field of the API belongs to. */
static GtkWidget *
widget_for_field (AtelierTuneEditor *self,
                  const char        *field)
{
  if (g_str_has_prefix (field, "tune."))
    field += strlen ("tune.");

  if (g_str_equal (field, "title"))
    return GTK_WIDGET (self->title_row);
  if (g_str_equal (field, "name"))
    return selected (self->class_row) == ATELIER_TUNE_CLASS_OTHER ? GTK_WIDGET (self->custom_class_row) : GTK_WIDGET (self->class_row);
  if (g_str_equal (field, "token"))
    return GTK_WIDGET (self->token_row);
  if (g_str_equal (field, "steps"))
    return self->steps_row;
  if (g_str_equal (field, "branch"))
    return GTK_WIDGET (self->branch_row);
  if (g_str_equal (field, "model_type"))
    return GTK_WIDGET (self->model_row);
  if (g_str_equal (field, "preset"))
    return GTK_WIDGET (self->preset_row);
  if (g_str_equal (field, "face_crop"))
    return GTK_WIDGET (self->face_crop_row);
  if (g_str_equal (field, "base_tune_id") || g_str_equal (field, "base_tune"))
    return selected (self->base_row) == ATELIER_TUNE_BASE_OTHER ? GTK_WIDGET (self->base_id_row) : GTK_WIDGET (self->base_row);
  if (g_str_equal (field, "images") || g_str_equal (field, "image_urls"))
    return self->photos_group;
  if (g_str_has_prefix (field, "characteristics"))
    return GTK_WIDGET (self->characteristics_group);
  if (g_str_has_prefix (field, "prompts"))
    return GTK_WIDGET (self->prompts_group);

  return NULL;
}

/* Marks the rows of a 422 (or of a local validation error). Returns
 * whether any was found. */
gboolean
_atelier_tune_editor_show_field_errors (AtelierTuneEditor *self,
                                        const GError      *error)
{
  g_autoptr(GPtrArray) errors = NULL;
  GtkWidget *first = NULL;

  if (error->domain != ATELIER_API_ERROR ||
      (error->code != ATELIER_API_ERROR_INVALID && error->code != ATELIER_API_ERROR_INVALID_PARAM))
    return FALSE;

  errors = atelier_api_error_get_field_errors (error);
  for (guint i = 0; i < errors->len; i++)
    {
      AtelierFieldError *field_error = g_ptr_array_index (errors, i);
      GtkWidget *widget = widget_for_field (self, field_error->field);

      if (widget == NULL)
        continue;

      mark_field_error (self, widget, field_error->message);
      if (first == NULL)
        first = widget;
    }

  if (first != NULL)
    gtk_widget_grab_focus (first);

  return first != NULL;
}

/* }}} */

/* {{{ Filling the form from the draft */

void
_atelier_tune_editor_apply_class_name (AtelierTuneEditor *self)
{
  g_autofree char *class_name = _atelier_tune_editor_dup_class_name (self);

  g_clear_handle_id (&self->class_timeout_id, g_source_remove);
  atelier_photo_list_set_class_name (atelier_picker_get_photo_list (self->picker), class_name);
}

static void
fill_settings (AtelierTuneEditor *self)
{
  AtelierDraft *d = self->draft;
  const char *class_name = atelier_draft_get_string (d, "class_name");
  const char *branch = atelier_draft_get_string (d, "branch");
  const char *token = atelier_draft_get_string (d, "token");
  gint64 base = atelier_draft_get_int (d, "base_tune_id", atelier_tune_base_get_tune_id (ATELIER_TUNE_BASE_FLUX));
  gint64 face_crop = atelier_draft_get_int (d, "face_crop", -1);
  guint base_index = atelier_tune_base_find (base);
  g_autofree char *base_text = NULL;

  gtk_editable_set_text (GTK_EDITABLE (self->title_row), atelier_draft_get_string (d, "title") ?: "");

  if (class_name == NULL)
    class_name = "woman";
  _atelier_tune_editor_select_class (self, class_name, atelier_draft_get_boolean (d, "custom_class", FALSE));

  adw_combo_row_set_selected (self->model_row,
                              atelier_tune_choice_find (ATELIER_TUNE_CHOICE_MODEL, atelier_draft_get_string (d, "model_type"),
                                                        ATELIER_TUNE_MODEL_LORA));
  adw_combo_row_set_selected (self->branch_row,
                              atelier_tune_choice_find (ATELIER_TUNE_CHOICE_BRANCH, branch, ATELIER_TUNE_BRANCH_FLUX));
  if (atelier_draft_get_boolean (d, "base_other", FALSE))
    base_index = ATELIER_TUNE_BASE_OTHER;
  adw_combo_row_set_selected (self->base_row, base_index);
  if (base_index == ATELIER_TUNE_BASE_OTHER && base > 0)
    base_text = g_strdup_printf ("%" G_GINT64_FORMAT, base);
  gtk_editable_set_text (GTK_EDITABLE (self->base_id_row), base_text != NULL ? base_text : "");
  /* A new draft: the portrait preset. */
  adw_combo_row_set_selected (self->preset_row,
                              branch == NULL ? ATELIER_TUNE_PRESET_DEFAULT
                              : atelier_tune_choice_find (ATELIER_TUNE_CHOICE_PRESET, atelier_draft_get_string (d, "preset"), 0));

  gtk_editable_set_text (GTK_EDITABLE (self->token_row), token != NULL ? token : "ohwx");
  gtk_spin_button_set_value (self->steps_spin, (double) atelier_draft_get_int (d, "steps", 0));
  adw_combo_row_set_selected (self->face_crop_row,
                              face_crop == 1 ? FACE_CROP_ON : face_crop == 0 ? FACE_CROP_OFF : FACE_CROP_DEFAULT);
  gtk_switch_set_active (self->face_correct_switch, atelier_draft_get_boolean (d, "training_face_correct", FALSE));
  gtk_switch_set_active (self->auto_extend_switch, atelier_draft_get_boolean (d, "auto_extend", FALSE));
}

void
_atelier_tune_editor_fill_from_draft (AtelierTuneEditor *self)
{
  AtelierDraft *d = self->draft;
  g_auto(GStrv) prompts = atelier_draft_dup_strv (d, "prompts");
  g_auto(GStrv) edited = atelier_draft_dup_strv (d, "edited_characteristics");
  g_auto(GStrv) photos = atelier_draft_dup_strv (d, "photos");
  g_autoptr(GHashTable) characteristics = atelier_draft_dup_characteristics (d);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  AtelierPhotoList *list = atelier_picker_get_photo_list (self->picker);

  self->filling = TRUE;

  _atelier_tune_editor_take_pack_from_draft (self);
  fill_settings (self);

  atelier_first_prompts_group_set (self->prompts_group, (const char * const *) prompts);

  /* Before the rows: clearing the photos drops what they found. */
  atelier_photo_list_clear (list);
  atelier_characteristics_group_set (self->characteristics_group, characteristics,
                                     (const char * const *) edited);

  for (guint i = 0; photos[i] != NULL; i++)
    g_ptr_array_add (files, g_file_new_for_uri (photos[i]));

  _atelier_tune_editor_update_model_fields (self);
  _atelier_tune_editor_apply_class_name (self);
  atelier_photo_list_add_files (list, files);

  self->filling = FALSE;

  /* A new draft: store the defaults shown. */
  _atelier_tune_editor_save_settings (self);
  _atelier_tune_editor_update_status (self);
}

/* }}} */
