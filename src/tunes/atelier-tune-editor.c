/* atelier-tune-editor.c: composing a new tune
 *
 * One widget class, AtelierTuneEditor: the form of a new tune, kept in
 * step with its AtelierDraft (filled from it, saved to it as the user
 * works), and the UI of creating it — the progress bar and Cancel while an
 * AtelierTuneUpload (src/models) runs, the error banner with Retry, and a
 * 422's field errors on their rows. Sections: reading the form, the
 * model-dependent fields, saving to the draft, field errors, filling the
 * form from the draft, status and the upload, the form's signal handlers.
 *
 * Pack mode (atelier_tune_editor_set_pack(), kept in the draft): the tune
 * is made from a pack (POST /p/:id/tunes). The class is one the pack
 * prices, the pack decides model, branch, training and prompts (those
 * groups hide), and the price of the chosen class is shown and confirmed
 * before anything is sent.
 *
 * Elsewhere: which settings go together is atelier-tune-setup.c; the
 * characteristics rows and the first prompts are groups of their own
 * (atelier-characteristics-group.c, atelier-first-prompts-group.c); the
 * upload workflow is AtelierTuneUpload (src/models).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "atelier-characteristics-group.h"
#include "atelier-error-presenter.h"
#include "atelier-first-prompts-group.h"
#include "atelier-training-photo.h"
#include "atelier-tune-editor.h"
#include "atelier-tune-setup.h"
#include "atelier-tune-ui.h"
#include "atelier-tune-upload.h"
#include "atelier-shell.h"
#include "atelier-widget-utils.h"

/* After the last keystroke in the custom class entry, inspect for it. */
#define CLASS_TYPING_DELAY_MS 600

enum { FACE_CROP_DEFAULT, FACE_CROP_ON, FACE_CROP_OFF };

struct _AtelierTuneEditor
{
  AdwBin                       parent_instance;

  /* template */
  GtkWidget                   *scrolled_window;
  GtkLabel                    *page_title;
  AdwPreferencesGroup         *pack_group;
  AdwActionRow                *pack_row;
  AdwActionRow                *price_row;
  GtkLabel                    *price_label;
  GtkWidget                   *training_group;
  AtelierPicker               *picker;
  GtkWidget                   *photos_group;
  AdwEntryRow                 *title_row;
  AdwComboRow                 *class_row;
  AdwEntryRow                 *custom_class_row;
  AdwPreferencesGroup         *model_group;
  AdwComboRow                 *model_row;
  AdwComboRow                 *branch_row;
  AdwComboRow                 *base_row;
  AdwEntryRow                 *base_id_row;
  AdwComboRow                 *preset_row;
  AdwEntryRow                 *token_row;
  GtkWidget                   *steps_row;
  GtkSpinButton               *steps_spin;
  AdwComboRow                 *face_crop_row;
  GtkWidget                   *face_correct_row;
  GtkSwitch                   *face_correct_switch;
  GtkSwitch                   *auto_extend_switch;
  AtelierCharacteristicsGroup *characteristics_group;
  AtelierFirstPromptsGroup    *prompts_group;
  GtkRevealer                 *error_revealer;
  GtkLabel                    *error_label;
  GtkStack                    *bottom_stack;
  GtkLabel                    *status_label;
  GtkLabel                    *progress_label;
  GtkProgressBar              *progress_bar;
  GtkWidget                   *cancel_button;

  AtelierAstriaClient         *client;
  AtelierDraft                *draft;
  AtelierPack                 *pack;          /* (nullable) pack mode */
  GStrv                        pack_classes;  /* what the class row offers in pack mode; NULL: every class */
  GListModel                  *class_model;   /* the class row's own list */
  gboolean                     filling;       /* widgets being set from the draft */
  guint                        class_timeout_id;

  GPtrArray                   *error_widgets; /* widgets marked with a field error */

  /* the upload */
  AtelierTuneUpload           *upload;        /* (nullable) the one running */
  GCancellable                *cancellable;
  gboolean                     busy;
  gboolean                     leave_out_warned;   /* the last upload's choice */
  gboolean                     confirm_leave_out;  /* the choice waiting for the price's confirmation */
};

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

static void update_status (AtelierTuneEditor *self);

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

static char *
dup_entry_text (AdwEntryRow *row)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));

  return g_strdup (g_strstrip (text));
}

/* The class as the API spells it, or NULL. */
static char *
dup_class_name (AtelierTuneEditor *self)
{
  guint index = selected (self->class_row);
  g_autofree char *custom = NULL;

  if (self->pack_classes != NULL)
    return index < g_strv_length (self->pack_classes) ? g_strdup (self->pack_classes[index]) : NULL;

  if (index < ATELIER_TUNE_CLASS_OTHER)
    return g_strdup (atelier_tune_choice_get_id (ATELIER_TUNE_CHOICE_CLASS, index));

  custom = dup_entry_text (self->custom_class_row);
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

  text = dup_entry_text (self->base_id_row);
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
  class_name = dup_class_name (self);
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

  token = dup_entry_text (self->token_row);
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

/* {{{ Pack mode */

/* The pack's price for the chosen class in milli-cents, -1 when unknown. */
static gint64
pack_price_mc (AtelierTuneEditor *self)
{
  g_autofree char *class_name = dup_class_name (self);

  if (self->pack == NULL || class_name == NULL)
    return -1;
  return atelier_pack_get_cost_mc (self->pack, class_name);
}

static char *
dup_pack_title (AtelierPack *pack)
{
  const char *title = atelier_pack_get_title (pack);
  g_autofree char *id = NULL;

  if (title != NULL && *title != '\0')
    return g_strdup (title);
  id = g_strdup_printf ("%" G_GINT64_FORMAT, atelier_pack_get_id (pack));
  /* Translators: a pack without a title; %s is its number */
  return g_strdup_printf (_("Pack %s"), id);
}

/* "Realistic Vision v5.1 · Checkpoint" */
static char *
dup_pack_summary (AtelierPack *pack)
{
  gint64 base_id = atelier_pack_get_base_tune_id (pack);
  const char *base = atelier_base_model_name (base_id);
  g_autofree char *base_text = NULL;

  if (base == NULL && base_id > 0)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, base_id);

      /* Translators: a base model that is not a known gallery model; %s is its tune id */
      base = base_text = g_strdup_printf (_("Tune %s"), id);
    }

  if (base == NULL)
    return g_strdup (atelier_tune_model_type_label (atelier_pack_get_model_type (pack)));
  /* Translators: a pack's base model and its model type, e.g. "Flux1.dev · LoRA" */
  return g_strdup_printf (_("%s · %s"), base, atelier_tune_model_type_label (atelier_pack_get_model_type (pack)));
}

static void
update_pack_fields (AtelierTuneEditor *self)
{
  gboolean pack_mode = self->pack != NULL;
  g_autofree char *class_name = NULL;
  g_autofree char *price = NULL;
  gint64 mc;

  gtk_widget_set_visible (GTK_WIDGET (self->pack_group), pack_mode);
  gtk_widget_set_visible (GTK_WIDGET (self->model_group), !pack_mode);
  gtk_widget_set_visible (self->training_group, !pack_mode);
  gtk_widget_set_visible (GTK_WIDGET (self->prompts_group), !pack_mode);
  gtk_label_set_label (self->page_title, pack_mode ? _("New Tune from a Pack") : _("New Tune"));
  if (!pack_mode)
    return;

  {
    g_autofree char *title = dup_pack_title (self->pack);
    g_autofree char *summary = dup_pack_summary (self->pack);

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->pack_row), title);
    adw_action_row_set_subtitle (self->pack_row, summary);
  }

  class_name = dup_class_name (self);
  mc = pack_price_mc (self);
  if (mc >= 0)
    price = atelier_format_cost_mc (mc);
  else if (class_name == NULL)
    price = g_strdup (_("Choose a class"));
  else
    price = g_strdup (_("Not known"));
  gtk_label_set_label (self->price_label, price);
  if (class_name != NULL)
    {
      /* Translators: %s is a class, e.g. "woman" */
      g_autofree char *subtitle = g_strdup_printf (_("For a tune of a %s"), class_name);

      adw_action_row_set_subtitle (self->price_row, subtitle);
    }
  else
    adw_action_row_set_subtitle (self->price_row, NULL);
}

/* The class row offers the pack's classes with their price, or every
 * class when there is no pack or the pack prices none. */
static void
set_class_choices (AtelierTuneEditor *self)
{
  g_auto(GStrv) classes = self->pack != NULL ? atelier_pack_dup_cost_classes (self->pack) : NULL;
  g_autoptr(GtkStringList) list = NULL;

  g_clear_pointer (&self->pack_classes, g_strfreev);
  if (classes == NULL || classes[0] == NULL)
    {
      if (adw_combo_row_get_model (self->class_row) != self->class_model)
        adw_combo_row_set_model (self->class_row, self->class_model);
      return;
    }

  list = gtk_string_list_new (NULL);
  for (guint i = 0; classes[i] != NULL; i++)
    {
      g_autofree char *cost = atelier_format_cost_mc (atelier_pack_get_cost_mc (self->pack, classes[i]));
      /* Translators: a class a pack offers and its price, e.g. "woman — $1.00" */
      g_autofree char *item = g_strdup_printf (_("%s — %s"), classes[i], cost);

      gtk_string_list_append (list, item);
    }
  self->pack_classes = g_steal_pointer (&classes);
  adw_combo_row_set_model (self->class_row, G_LIST_MODEL (list));
}

/* Selects @class_name in the class row, as it is offered now. */
static void
select_class (AtelierTuneEditor *self,
              const char        *class_name,
              gboolean           custom)
{
  guint index;

  if (self->pack_classes != NULL)
    {
      index = 0;
      for (guint i = 0; self->pack_classes[i] != NULL; i++)
        if (g_strcmp0 (self->pack_classes[i], class_name) == 0)
          index = i;
      adw_combo_row_set_selected (self->class_row, index);
      gtk_editable_set_text (GTK_EDITABLE (self->custom_class_row), "");
      return;
    }

  index = custom ? ATELIER_TUNE_CLASS_OTHER
                 : atelier_tune_choice_find (ATELIER_TUNE_CHOICE_CLASS, class_name, ATELIER_TUNE_CLASS_OTHER);
  adw_combo_row_set_selected (self->class_row, index);
  gtk_editable_set_text (GTK_EDITABLE (self->custom_class_row),
                         index == ATELIER_TUNE_CLASS_OTHER ? class_name : "");
}

/* Pack mode from the draft's "pack", the pack as the service sent it. */
static void
take_pack_from_draft (AtelierTuneEditor *self)
{
  const char *json = atelier_draft_get_string (self->draft, "pack");
  g_autoptr(JsonNode) node = NULL;

  g_clear_object (&self->pack);
  if (json != NULL && (node = json_from_string (json, NULL)) != NULL)
    self->pack = atelier_pack_new_from_json (node, NULL);
  set_class_choices (self);
}

/* }}} */

/* {{{ Model-dependent fields */

static void
update_model_fields (AtelierTuneEditor *self)
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
  update_pack_fields (self);

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
static void
couple_choices (AtelierTuneEditor *self,
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

static void
save_settings (AtelierTuneEditor *self)
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

  title = dup_entry_text (self->title_row);
  atelier_draft_set_string (d, "title", title);
  class_index = selected (self->class_row);
  custom = dup_entry_text (self->custom_class_row);
  if (self->pack_classes != NULL)
    {
      g_autofree char *class_name = dup_class_name (self);

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
  token = dup_entry_text (self->token_row);
  atelier_draft_set_string (d, "token", token);
  atelier_draft_set_int (d, "steps", gtk_spin_button_get_value_as_int (self->steps_spin));
  face_crop = selected (self->face_crop_row);
  atelier_draft_set_int (d, "face_crop", face_crop == FACE_CROP_ON ? 1 : face_crop == FACE_CROP_OFF ? 0 : -1);
  atelier_draft_set_boolean (d, "training_face_correct", gtk_switch_get_active (self->face_correct_switch));
  atelier_draft_set_boolean (d, "auto_extend", gtk_switch_get_active (self->auto_extend_switch));
  prompts = atelier_first_prompts_group_dup_texts (self->prompts_group, FALSE);
  atelier_draft_set_strv (d, "prompts", (const char * const *) prompts);
}

static void
save_characteristics (AtelierTuneEditor *self)
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

static void
save_photos (AtelierTuneEditor *self)
{
  g_auto(GStrv) uris = NULL;

  if (self->filling || self->draft == NULL)
    return;

  uris = atelier_photo_list_dup_uris (atelier_picker_get_photo_list (self->picker));
  atelier_draft_set_strv (self->draft, "photos", (const char * const *) uris);
}

/* }}} */

/* {{{ Field errors */

static void
clear_field_errors (AtelierTuneEditor *self)
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
static gboolean
show_field_errors (AtelierTuneEditor *self,
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

/* {{{ Characteristics */

/* Inspections finished: the most common values fill the rows the user did
 * not change. */
static void
inspections_changed_cb (AtelierTuneEditor *self)
{
  g_autoptr(GHashTable) found = NULL;

  found = atelier_photo_list_aggregate_characteristics (atelier_picker_get_photo_list (self->picker));
  atelier_characteristics_group_update (self->characteristics_group, found);
}

/* }}} */

/* {{{ Filling the form from the draft */

static void
apply_class_name (AtelierTuneEditor *self)
{
  g_autofree char *class_name = dup_class_name (self);

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
  select_class (self, class_name, atelier_draft_get_boolean (d, "custom_class", FALSE));

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

static void
fill_from_draft (AtelierTuneEditor *self)
{
  AtelierDraft *d = self->draft;
  g_auto(GStrv) prompts = atelier_draft_dup_strv (d, "prompts");
  g_auto(GStrv) edited = atelier_draft_dup_strv (d, "edited_characteristics");
  g_auto(GStrv) photos = atelier_draft_dup_strv (d, "photos");
  g_autoptr(GHashTable) characteristics = atelier_draft_dup_characteristics (d);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  AtelierPhotoList *list = atelier_picker_get_photo_list (self->picker);

  self->filling = TRUE;

  take_pack_from_draft (self);
  fill_settings (self);

  atelier_first_prompts_group_set (self->prompts_group, (const char * const *) prompts);

  /* Before the rows: clearing the photos drops what they found. */
  atelier_photo_list_clear (list);
  atelier_characteristics_group_set (self->characteristics_group, characteristics,
                                     (const char * const *) edited);

  for (guint i = 0; photos[i] != NULL; i++)
    g_ptr_array_add (files, g_file_new_for_uri (photos[i]));

  update_model_fields (self);
  apply_class_name (self);
  atelier_photo_list_add_files (list, files);

  self->filling = FALSE;

  /* A new draft: store the defaults shown. */
  save_settings (self);
  update_status (self);
}

/* }}} */

/* {{{ Status and the upload */

static void
set_busy (AtelierTuneEditor *self,
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
  update_status (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
update_status (AtelierTuneEditor *self)
{
  AtelierPhotoList *list = atelier_picker_get_photo_list (self->picker);
  guint n = atelier_photo_list_get_n_photos (list);
  guint unusable = atelier_photo_list_get_n_unusable (list);
  guint usable = n - unusable;
  guint analyzing = atelier_photo_list_get_n_analyzing (list);
  g_autofree char *title = dup_entry_text (self->title_row);
  g_autofree char *class_name = dup_class_name (self);
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

  set_busy (self, FALSE);
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

  g_signal_emit (self, signals[SIGNAL_CREATED], 0, tune);
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

  set_busy (self, FALSE);
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

  show_field_errors (self, error);
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
  g_autofree char *readable = dup_entry_text (self->title_row);
  g_autofree char *title = NULL;

  if (g_strcmp0 (atelier_draft_get_string (self->draft, "title_uuid_base"), readable) == 0 &&
      atelier_draft_get_string (self->draft, "title_with_uuid") != NULL)
    return;

  title = atelier_tune_title_with_uuid (readable);
  atelier_draft_set_string (self->draft, "title_with_uuid", title);
  atelier_draft_set_string (self->draft, "title_uuid_base", readable);
  set_uncertain (self, FALSE);
}

/* What a paid upload would send: readable photos, those with warnings
 * (local or from the inspection) and those showing another subject. */
typedef struct
{
  guint usable;
  guint warned;
  guint other_class;
} PhotoCounts;

static void
count_photos (AtelierPhotoList *list,
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

static gboolean
count_in_range (guint n)
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

static void
start_upload (AtelierTuneEditor *self,
              gboolean           leave_out_warned)
{
  AtelierPhotoList *list = atelier_picker_get_photo_list (self->picker);
  g_autoptr(AtelierTuneParams) params = NULL;
  g_autoptr(GPtrArray) huge = g_ptr_array_new ();
  gboolean uncertain;

  if (self->busy || self->client == NULL)
    return;

  self->leave_out_warned = leave_out_warned;
  clear_field_errors (self);
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
  set_busy (self, TRUE);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);

  if (self->draft == NULL || atelier_draft_get_saved (self->draft))
    run_upload (self);
  else
    g_signal_connect_object (self->draft, "notify::saved", G_CALLBACK (draft_saved_cb), self, G_CONNECT_SWAPPED);
}

static void
price_response_cb (AtelierTuneEditor *self,
                   const char        *response)
{
  if (g_str_equal (response, "create"))
    start_upload (self, self->confirm_leave_out);
}

/* A tune from a pack costs money: its price, or that it is not known,
 * confirmed once before anything is sent. Other tunes go at once. */
static void
confirm_then_upload (AtelierTuneEditor *self,
                     gboolean           leave_out_warned)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *class_name = NULL;
  g_autofree char *title = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autofree char *create = NULL;
  AdwMessageDialog *dialog;
  gint64 mc;

  if (self->pack == NULL)
    {
      start_upload (self, leave_out_warned);
      return;
    }

  self->confirm_leave_out = leave_out_warned;
  class_name = dup_class_name (self);
  title = dup_pack_title (self->pack);
  mc = pack_price_mc (self);
  if (mc >= 0)
    {
      g_autofree char *price = atelier_format_cost_mc (mc);

      /* Translators: %s is a price, e.g. "$2.00" */
      heading = g_strdup_printf (_("Create Tune for %s?"), price);
      /* Translators: “%s” is a pack's title, then a price ("$2.00") and a class ("woman") */
      body = g_strdup_printf (_("The pack “%s” costs %s for a %s. Astria charges your account when the tune is "
                                "created; the pack's prompts run once it is trained."),
                              title, price, class_name);
      /* Translators: a button; %s is a price, e.g. "$2.00" */
      create = g_strdup_printf (_("_Create for %s"), price);
    }
  else
    {
      heading = g_strdup (_("Create Tune from the Pack?"));
      /* Translators: “%s” is a pack's title, then a class ("cat") */
      body = g_strdup_printf (_("The price of the pack “%s” for a %s is not known. Astria charges your account "
                                "what the pack costs when the tune is created."),
                              title, class_name != NULL ? class_name : _("subject"));
      create = g_strdup (_("_Create Tune"));
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       heading, body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "create", create, NULL);
  adw_message_dialog_set_response_appearance (dialog, "create", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (price_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
upload_choice_cb (AtelierTuneEditor *self,
                  const char        *response)
{
  if (g_str_equal (response, "leave-out"))
    confirm_then_upload (self, TRUE);
  else if (g_str_equal (response, "all"))
    confirm_then_upload (self, FALSE);
}

/* Before a paid upload: photos with warnings are left out unless the
 * user says otherwise, and a count outside what the docs ask is said. */
static void
ask_upload_choice (AtelierTuneEditor *self,
                   const PhotoCounts *counts)
{
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *class_name = dup_class_name (self);
  guint clean = counts->usable - counts->warned;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
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

  if (counts->warned > 0 && !count_in_range (clean))
    g_string_append_printf (body,
                            g_dngettext (GETTEXT_PACKAGE,
                                         "\n\nWithout them %u photo is left; Astria trains on %u to %u.",
                                         "\n\nWithout them %u photos are left; Astria trains on %u to %u.", clean),
                            clean, ATELIER_TUNE_MIN_IMAGES, ATELIER_TUNE_MAX_IMAGES);
  if (!count_in_range (counts->usable))
    {
      if (body->len > 0)
        g_string_append (body, "\n\n");
      g_string_append_printf (body,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "All of them are %u photo; Astria trains on %u to %u.",
                                           "All of them are %u photos; Astria trains on %u to %u.", counts->usable),
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

      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
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
      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
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

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AtelierTuneEditor *self = ATELIER_TUNE_EDITOR (widget);
  PhotoCounts counts;

  if (self->busy || self->client == NULL)
    return;

  count_photos (atelier_picker_get_photo_list (self->picker), &counts);
  if (counts.warned > 0 || !count_in_range (counts.usable))
    ask_upload_choice (self, &counts);
  else
    confirm_then_upload (self, FALSE);
}

/* Retry: the same photos as the upload that failed, not asked again. */
static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  AtelierTuneEditor *self = ATELIER_TUNE_EDITOR (widget);

  if (!self->busy)
    confirm_then_upload (self, self->leave_out_warned);
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
  clear_field_errors (self);
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

static void
settings_changed_cb (AtelierTuneEditor *self)
{
  if (self->filling)
    return;

  update_model_fields (self);
  save_settings (self);
  update_status (self);
}

static void
combo_changed_cb (AtelierTuneEditor *self,
                  GParamSpec        *pspec,
                  AdwComboRow       *row)
{
  if (self->filling)
    return;

  self->filling = TRUE;
  couple_choices (self, row == self->model_row ? ATELIER_TUNE_CHOICE_MODEL
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
  apply_class_name (self);
}

static gboolean
class_timeout_cb (gpointer user_data)
{
  AtelierTuneEditor *self = user_data;

  self->class_timeout_id = 0;
  apply_class_name (self);
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
  save_photos (self);
  update_status (self);
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
  fill_from_draft (self);
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
  class_name = dup_class_name (self);
  if (pack != NULL)
    json = json_to_string (atelier_pack_get_json (pack), FALSE);
  atelier_draft_set_string (self->draft, "pack", json);

  self->filling = TRUE;
  take_pack_from_draft (self);
  select_class (self, class_name != NULL ? class_name : "woman", FALSE);
  self->filling = FALSE;

  clear_field_errors (self);
  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
  settings_changed_cb (self);
  apply_class_name (self);
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
      save_settings (self);
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

  g_signal_connect_object (self->characteristics_group, "changed", G_CALLBACK (save_characteristics), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->prompts_group, "changed", G_CALLBACK (save_settings), self, G_CONNECT_SWAPPED);

  list = atelier_picker_get_photo_list (self->picker);
  g_signal_connect_object (atelier_photo_list_get_model (list), "items-changed",
                           G_CALLBACK (photos_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (list, "notify::n-analyzing", G_CALLBACK (update_status), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (list, "notify::n-unusable", G_CALLBACK (update_status), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (list, "inspections-changed", G_CALLBACK (inspections_changed_cb), self, G_CONNECT_SWAPPED);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.cancel", FALSE);
  update_model_fields (self);
  update_status (self);
}

/* }}} */
