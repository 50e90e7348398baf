/* atelier-tune-editor.c: composing a new tune
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "atelier-error-presenter.h"
#include "atelier-training-photo.h"
#include "atelier-tune-editor.h"
#include "atelier-tune-ui.h"
#include "atelier-shell.h"

/* After the last keystroke in the custom class entry, inspect for it. */
#define CLASS_TYPING_DELAY_MS 600

/* The choices of the combo rows, in the order of the .ui. */
static const char * const class_ids[] = { "man", "woman", "boy", "girl", "baby", "cat", "dog", "style" };
#define CLASS_OTHER G_N_ELEMENTS (class_ids)

enum { MODEL_LORA, MODEL_FACEID, MODEL_CHECKPOINT, MODEL_PTI };
static const char * const model_ids[] = { "lora", "faceid", "checkpoint", "pti" };

enum { BRANCH_FLUX, BRANCH_SDXL, BRANCH_SD15, BRANCH_FAST };
static const char * const branch_ids[] = { "flux1", "sdxl1", "sd15", "fast" };

enum { BASE_FLUX, BASE_RV51, BASE_SDXL, BASE_OTHER };
static const gint64 base_ids[] = { 1504944, 690204, 666678 };

static const char * const preset_ids[] = { NULL, "flux-lora-focus", "flux-lora-portrait", "flux-lora-fast" };

enum { FACE_CROP_DEFAULT, FACE_CROP_ON, FACE_CROP_OFF };

struct _AtelierTuneEditor
{
  AdwBin               parent_instance;

  /* template */
  GtkWidget           *scrolled_window;
  AtelierPicker       *picker;
  GtkWidget           *photos_group;
  AdwEntryRow         *title_row;
  AdwComboRow         *class_row;
  AdwEntryRow         *custom_class_row;
  AdwPreferencesGroup *model_group;
  AdwComboRow         *model_row;
  AdwComboRow         *branch_row;
  AdwComboRow         *base_row;
  AdwEntryRow         *base_id_row;
  AdwComboRow         *preset_row;
  AdwEntryRow         *token_row;
  GtkWidget           *steps_row;
  GtkSpinButton       *steps_spin;
  AdwComboRow         *face_crop_row;
  GtkWidget           *face_correct_row;
  GtkSwitch           *face_correct_switch;
  GtkSwitch           *auto_extend_switch;
  AdwPreferencesGroup *characteristics_group;
  GtkWidget           *characteristics_placeholder;
  AdwPreferencesGroup *prompts_group;
  GtkRevealer         *error_revealer;
  GtkLabel            *error_label;
  GtkStack            *bottom_stack;
  GtkLabel            *status_label;
  GtkLabel            *progress_label;
  GtkProgressBar      *progress_bar;
  GtkWidget           *cancel_button;

  AtelierAstriaClient *client;
  AtelierDraft        *draft;
  gboolean             filling;            /* widgets being set from the draft */
  guint                class_timeout_id;

  GHashTable          *characteristic_rows; /* key → AdwEntryRow */
  GHashTable          *edited;              /* keys the user changed (set) */
  GPtrArray           *prompt_rows;         /* AdwEntryRow */
  GPtrArray           *error_widgets;       /* widgets marked with a field error */

  /* the upload */
  GCancellable        *cancellable;
  gboolean             busy;
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
 * title up first. Kept in the draft, so a restart does not forget it. */
static gboolean
get_uncertain (AtelierTuneEditor *self)
{
  return self->draft != NULL && atelier_draft_get_boolean (self->draft, "upload_uncertain", FALSE);
}

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

  if (index < CLASS_OTHER)
    return g_strdup (class_ids[index]);

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

  if (index < BASE_OTHER)
    return base_ids[index];

  text = dup_entry_text (self->base_id_row);
  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &id, NULL))
    return 0;
  return (gint64) id;
}

static gboolean
preset_applies (AtelierTuneEditor *self)
{
  guint branch = selected (self->branch_row);

  return selected (self->model_row) == MODEL_LORA &&
         (branch == BRANCH_FLUX || (branch == BRANCH_FAST && selected (self->base_row) == BASE_FLUX));
}

static GHashTable *
dup_characteristics (AtelierTuneEditor *self)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, row;

  g_hash_table_iter_init (&iter, self->characteristic_rows);
  while (g_hash_table_iter_next (&iter, &key, &row))
    {
      g_autofree char *value = dup_entry_text (row);

      g_hash_table_replace (table, g_strdup (key), g_steal_pointer (&value));
    }

  return table;
}

static GStrv
dup_prompts (AtelierTuneEditor *self,
             gboolean           skip_empty)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < self->prompt_rows->len; i++)
    {
      g_autofree char *text = dup_entry_text (g_ptr_array_index (self->prompt_rows, i));

      if (!skip_empty || *text != '\0')
        g_strv_builder_add (builder, text);
    }

  return g_strv_builder_end (builder);
}

AtelierTuneParams *
atelier_tune_editor_build_params (AtelierTuneEditor *self)
{
  AtelierTuneParams *params;
  AtelierParams *p;
  g_autofree char *class_name = NULL;
  g_autoptr(GHashTable) characteristics = NULL;
  g_auto(GStrv) prompts = NULL;
  g_autofree char *token = NULL;
  const char *title;
  guint model = selected (self->model_row);
  gint64 base;
  int steps;

  g_return_val_if_fail (ATELIER_IS_TUNE_EDITOR (self), NULL);

  params = atelier_tune_params_new ();
  p = ATELIER_PARAMS (params);

  title = atelier_draft_get_string (self->draft, "title_with_uuid");
  if (title != NULL)
    atelier_params_set_string (p, "title", title);
  class_name = dup_class_name (self);
  if (class_name != NULL)
    atelier_params_set_string (p, "name", class_name);
  atelier_params_set_string (p, "branch", branch_ids[selected (self->branch_row)]);
  base = base_tune_id (self);
  if (base > 0)
    atelier_params_set_int (p, "base_tune_id", base);

  /* SDXL trains PTI whatever is asked; a checkpoint is no model_type. */
  if (selected (self->branch_row) == BRANCH_SDXL)
    atelier_params_set_string (p, "model_type", "pti");
  else if (model != MODEL_CHECKPOINT)
    atelier_params_set_string (p, "model_type", model_ids[model]);

  if (preset_applies (self) && preset_ids[selected (self->preset_row)] != NULL)
    atelier_params_set_string (p, "preset", preset_ids[selected (self->preset_row)]);

  token = dup_entry_text (self->token_row);
  if (*token != '\0')
    atelier_params_set_string (p, "token", token);

  /* FaceID is not trained: no steps, no training face correct. */
  steps = gtk_spin_button_get_value_as_int (self->steps_spin);
  if (model != MODEL_FACEID && steps > 0)
    atelier_params_set_int (p, "steps", steps);
  if (model != MODEL_FACEID)
    atelier_params_set_boolean (p, "training_face_correct", gtk_switch_get_active (self->face_correct_switch));

  switch (selected (self->face_crop_row))
    {
    case FACE_CROP_ON:
      atelier_params_set_boolean (p, "face_crop", TRUE);
      break;
    case FACE_CROP_OFF:
      atelier_params_set_boolean (p, "face_crop", FALSE);
      break;
    default:
      break;
    }

  atelier_params_set_boolean (p, "auto_extend", gtk_switch_get_active (self->auto_extend_switch));

  characteristics = dup_characteristics (self);
  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, characteristics);
    while (g_hash_table_iter_next (&iter, &key, &value))
      if (*(const char *) value != '\0')
        atelier_tune_params_set_characteristic (params, key, value);
  }

  prompts = dup_prompts (self, TRUE);
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

static void
update_model_fields (AtelierTuneEditor *self)
{
  guint model = selected (self->model_row);
  guint branch = selected (self->branch_row);
  g_autoptr(GString) note = g_string_new (NULL);
  gboolean faceid = model == MODEL_FACEID;

  gtk_widget_set_visible (self->steps_row, !faceid);
  gtk_widget_set_visible (self->face_correct_row, !faceid);
  gtk_widget_set_visible (GTK_WIDGET (self->preset_row), preset_applies (self));
  gtk_widget_set_visible (GTK_WIDGET (self->base_id_row), selected (self->base_row) == BASE_OTHER);
  gtk_widget_set_visible (GTK_WIDGET (self->custom_class_row), selected (self->class_row) == CLASS_OTHER);

  /* SDXL always trains PTI. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->model_row), branch != BRANCH_SDXL);
  if (branch == BRANCH_SDXL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->model_row), _("SDXL always trains PTI"));
  else
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->model_row), "");

  if (faceid)
    g_string_append (note, _("FaceID needs no training: the tune is ready at once, even from one photo. "
                             "Steps and training face correct do not apply, and the base model is only "
                             "the default for prompts."));
  else if (branch == BRANCH_SDXL)
    g_string_append (note, _("SDXL ignores the model type and trains PTI."));
  else if (model == MODEL_CHECKPOINT)
    g_string_append (note, _("A checkpoint trains a whole SD 1.5 model."));
  else if (model == MODEL_LORA && branch == BRANCH_FLUX)
    g_string_append (note, _("A Flux LoRA: its prompts run on Flux1.dev with the tune added to it."));

  if (branch == BRANCH_FAST)
    {
      if (note->len > 0)
        g_string_append_c (note, ' ');
      g_string_append (note, _("Fast is a free test run: nothing is trained and prompts return mock images."));
    }

  adw_preferences_group_set_description (self->model_group, note->len > 0 ? note->str : NULL);
}

/* Keeps the combination possible: choosing one value may change another. */
static void
couple_choices (AtelierTuneEditor *self,
                AdwComboRow       *changed_row)
{
  guint model = selected (self->model_row);
  guint branch = selected (self->branch_row);
  guint base = selected (self->base_row);

  if (changed_row == self->base_row && branch != BRANCH_FAST)
    {
      if (base == BASE_FLUX)
        adw_combo_row_set_selected (self->branch_row, BRANCH_FLUX);
      else if (base == BASE_RV51)
        adw_combo_row_set_selected (self->branch_row, BRANCH_SD15);
      else if (base == BASE_SDXL)
        adw_combo_row_set_selected (self->branch_row, BRANCH_SDXL);
      if (selected (self->branch_row) != branch)
        couple_choices (self, self->branch_row);
    }
  else if (changed_row == self->branch_row)
    {
      if (branch == BRANCH_FLUX && base != BASE_OTHER)
        adw_combo_row_set_selected (self->base_row, BASE_FLUX);
      else if (branch == BRANCH_SDXL && base != BASE_OTHER)
        adw_combo_row_set_selected (self->base_row, BASE_SDXL);
      else if (branch == BRANCH_SD15 && base != BASE_OTHER)
        adw_combo_row_set_selected (self->base_row, BASE_RV51);

      if (branch == BRANCH_SDXL)
        adw_combo_row_set_selected (self->model_row, MODEL_PTI);
      else if (branch == BRANCH_FLUX && (model == MODEL_CHECKPOINT || model == MODEL_PTI))
        adw_combo_row_set_selected (self->model_row, MODEL_LORA);
      else if (branch == BRANCH_SD15 && model == MODEL_PTI)
        adw_combo_row_set_selected (self->model_row, MODEL_CHECKPOINT);
    }
  else if (changed_row == self->model_row)
    {
      if (model == MODEL_PTI && branch != BRANCH_FAST)
        adw_combo_row_set_selected (self->branch_row, BRANCH_SDXL);
      else if ((model == MODEL_FACEID || model == MODEL_CHECKPOINT) &&
               (branch == BRANCH_FLUX || branch == BRANCH_SDXL))
        adw_combo_row_set_selected (self->branch_row, BRANCH_SD15);
      if (selected (self->branch_row) != branch)
        couple_choices (self, self->branch_row);
    }
}

/* }}} */

/* {{{ Saving to the draft */

static void
save_settings (AtelierTuneEditor *self)
{
  g_autofree char *title = NULL;
  g_autofree char *custom = NULL;
  g_autofree char *base_id = NULL;
  g_autofree char *token = NULL;
  g_auto(GStrv) prompts = NULL;
  guint class_index;
  AtelierDraft *d = self->draft;

  if (self->filling || d == NULL)
    return;

  title = dup_entry_text (self->title_row);
  atelier_draft_set_string (d, "title", title);
  class_index = selected (self->class_row);
  custom = dup_entry_text (self->custom_class_row);
  atelier_draft_set_string (d, "class_name", class_index < CLASS_OTHER ? class_ids[class_index] : custom);
  atelier_draft_set_boolean (d, "custom_class", class_index == CLASS_OTHER);
  atelier_draft_set_string (d, "model_type", model_ids[selected (self->model_row)]);
  atelier_draft_set_string (d, "branch", branch_ids[selected (self->branch_row)]);
  atelier_draft_set_int (d, "base_tune_id", base_tune_id (self));
  atelier_draft_set_boolean (d, "base_other", selected (self->base_row) == BASE_OTHER);
  atelier_draft_set_string (d, "preset", preset_ids[selected (self->preset_row)]);
  token = dup_entry_text (self->token_row);
  atelier_draft_set_string (d, "token", token);
  atelier_draft_set_int (d, "steps", gtk_spin_button_get_value_as_int (self->steps_spin));
  switch (selected (self->face_crop_row))
    {
    case FACE_CROP_ON:
      atelier_draft_set_int (d, "face_crop", 1);
      break;
    case FACE_CROP_OFF:
      atelier_draft_set_int (d, "face_crop", 0);
      break;
    default:
      atelier_draft_set_int (d, "face_crop", -1);
      break;
    }
  atelier_draft_set_boolean (d, "training_face_correct", gtk_switch_get_active (self->face_correct_switch));
  atelier_draft_set_boolean (d, "auto_extend", gtk_switch_get_active (self->auto_extend_switch));
  prompts = dup_prompts (self, FALSE);
  atelier_draft_set_strv (d, "prompts", (const char * const *) prompts);
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
save_characteristics (AtelierTuneEditor *self)
{
  g_autoptr(GHashTable) values = NULL;
  g_autofree const char **edited = NULL;

  if (self->filling || self->draft == NULL)
    return;

  values = dup_characteristics (self);
  atelier_draft_set_characteristics (self->draft, values);
  edited = (const char **) g_hash_table_get_keys_as_array (self->edited, NULL);
  qsort (edited, g_hash_table_size (self->edited), sizeof (char *), compare_strings);
  atelier_draft_set_strv (self->draft, "edited_characteristics", edited);
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
    return selected (self->class_row) == CLASS_OTHER ? GTK_WIDGET (self->custom_class_row) : GTK_WIDGET (self->class_row);
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
    return selected (self->base_row) == BASE_OTHER ? GTK_WIDGET (self->base_id_row) : GTK_WIDGET (self->base_row);
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

static const struct { const char *key; const char *title; } characteristic_titles[] = {
  { "eye_color", N_("Eye Colour") },
  { "hair_color", N_("Hair Colour") },
  { "hair_length", N_("Hair Length") },
  { "hair_style", N_("Hair Style") },
  { "age", N_("Age") },
  { "ethnicity", N_("Ethnicity") },
  { "glasses", N_("Glasses") },
  { "facial_hair", N_("Facial Hair") },
  { "is_bald", N_("Bald") },
};

static const char *
characteristic_title (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (characteristic_titles); i++)
    if (g_str_equal (characteristic_titles[i].key, key))
      return _(characteristic_titles[i].title);

  return key;
}

/* Known characteristics in the order above, then the others by name. */
static int
characteristic_rank (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (characteristic_titles); i++)
    if (g_str_equal (characteristic_titles[i].key, key))
      return (int) i;

  return G_N_ELEMENTS (characteristic_titles);
}

static int
compare_characteristics (const void *a,
                         const void *b)
{
  const char *ka = *(const char * const *) a;
  const char *kb = *(const char * const *) b;
  int ra = characteristic_rank (ka);
  int rb = characteristic_rank (kb);

  return ra != rb ? ra - rb : strcmp (ka, kb);
}

/* AdwPreferencesGroup only appends: put the rows back in order. */
static void
sort_characteristic_rows (AtelierTuneEditor *self)
{
  guint n = 0;
  g_autofree const char **keys = (const char **) g_hash_table_get_keys_as_array (self->characteristic_rows, &n);

  qsort (keys, n, sizeof (char *), compare_characteristics);
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *row = g_object_ref (g_hash_table_lookup (self->characteristic_rows, keys[i]));

      adw_preferences_group_remove (self->characteristics_group, row);
      adw_preferences_group_add (self->characteristics_group, row);
      g_object_unref (row);
    }
}

static void
characteristic_changed_cb (AtelierTuneEditor *self,
                           GParamSpec        *pspec,
                           AdwEntryRow       *row)
{
  if (self->filling)
    return;

  g_hash_table_add (self->edited, g_strdup (g_object_get_data (G_OBJECT (row), "atelier-key")));
  save_characteristics (self);
}

static void
characteristic_clear_cb (AdwEntryRow *row)
{
  gtk_editable_set_text (GTK_EDITABLE (row), "");
}

static AdwEntryRow *
ensure_characteristic_row (AtelierTuneEditor *self,
                           const char        *key)
{
  AdwEntryRow *row = g_hash_table_lookup (self->characteristic_rows, key);
  GtkWidget *clear;
  g_autofree char *tooltip = NULL;
  g_autofree char *clear_label = NULL;

  if (row != NULL)
    return row;

  row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), characteristic_title (key));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), FALSE);
  /* Translators: %s is a template name, e.g. "{{eye_color}}" */
  tooltip = g_strdup_printf (_("Written as {{%s}} in prompts"), key);
  gtk_widget_set_tooltip_text (GTK_WIDGET (row), tooltip);
  g_object_set_data_full (G_OBJECT (row), "atelier-key", g_strdup (key), g_free);

  clear = gtk_button_new_from_icon_name ("edit-clear-symbolic");
  gtk_widget_set_valign (clear, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (clear, "flat");
  gtk_widget_set_tooltip_text (clear, _("Clear"));
  /* Translators: %s is a characteristic such as "Eye Colour" */
  clear_label = g_strdup_printf (_("Clear %s"), characteristic_title (key));
  gtk_accessible_update_property (GTK_ACCESSIBLE (clear), GTK_ACCESSIBLE_PROPERTY_LABEL, clear_label, -1);
  g_signal_connect_swapped (clear, "clicked", G_CALLBACK (characteristic_clear_cb), row);
  adw_entry_row_add_suffix (row, clear);

  g_signal_connect_object (row, "notify::text", G_CALLBACK (characteristic_changed_cb), self, G_CONNECT_SWAPPED);

  g_hash_table_insert (self->characteristic_rows, g_strdup (key), row);
  adw_preferences_group_add (self->characteristics_group, GTK_WIDGET (row));
  gtk_widget_set_visible (self->characteristics_placeholder, FALSE);

  return row;
}

static void
set_row_text (AtelierTuneEditor *self,
              AdwEntryRow       *row,
              const char        *text)
{
  gboolean filling = self->filling;

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (row)), text) == 0)
    return;

  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  self->filling = filling;
}

/* Inspections finished: the most common values fill the rows the user did
 * not change; rows nobody supports any more go. */
static void
inspections_changed_cb (AtelierTuneEditor *self)
{
  g_autoptr(GHashTable) aggregated = NULL;
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key, value;
  gboolean added = FALSE;

  aggregated = atelier_photo_list_aggregate_characteristics (atelier_picker_get_photo_list (self->picker));

  g_hash_table_iter_init (&iter, self->characteristic_rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (aggregated, key) && !g_hash_table_contains (self->edited, key))
      g_ptr_array_add (gone, g_strdup (key));

  for (guint i = 0; i < gone->len; i++)
    {
      GtkWidget *row = g_hash_table_lookup (self->characteristic_rows, gone->pdata[i]);

      adw_preferences_group_remove (self->characteristics_group, row);
      g_hash_table_remove (self->characteristic_rows, gone->pdata[i]);
    }

  g_hash_table_iter_init (&iter, aggregated);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      AdwEntryRow *row;

      if (g_hash_table_contains (self->edited, key))
        continue;

      if (!g_hash_table_contains (self->characteristic_rows, key))
        added = TRUE;
      row = ensure_characteristic_row (self, key);
      set_row_text (self, row, value);
    }
  if (added)
    sort_characteristic_rows (self);

  gtk_widget_set_visible (self->characteristics_placeholder,
                          g_hash_table_size (self->characteristic_rows) == 0);
  save_characteristics (self);
}

static void
remove_characteristic_rows (AtelierTuneEditor *self)
{
  GHashTableIter iter;
  gpointer row;

  g_hash_table_iter_init (&iter, self->characteristic_rows);
  while (g_hash_table_iter_next (&iter, NULL, &row))
    adw_preferences_group_remove (self->characteristics_group, row);
  g_hash_table_remove_all (self->characteristic_rows);
  g_hash_table_remove_all (self->edited);
  gtk_widget_set_visible (self->characteristics_placeholder, TRUE);
}

/* }}} */

/* {{{ Prompts */

static void
prompt_changed_cb (AtelierTuneEditor *self)
{
  save_settings (self);
}

static void
remove_prompt_row (AtelierTuneEditor *self,
                   GtkWidget         *row)
{
  g_ptr_array_remove (self->prompt_rows, row);
  adw_preferences_group_remove (self->prompts_group, row);
  save_settings (self);
}

static void
prompt_remove_clicked_cb (GtkWidget *button,
                          GtkWidget *row)
{
  AtelierTuneEditor *self = g_object_get_data (G_OBJECT (row), "atelier-editor");

  remove_prompt_row (self, row);
}

static AdwEntryRow *
add_prompt_row (AtelierTuneEditor *self,
                const char        *text)
{
  AdwEntryRow *row = ADW_ENTRY_ROW (adw_entry_row_new ());
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Prompt"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (row),
                               _("For example “ohwx woman, portrait in a sunlit studio”: the token stands for the subject"));
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  g_object_set_data (G_OBJECT (row), "atelier-editor", self);

  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove Prompt"));
  g_signal_connect (remove, "clicked", G_CALLBACK (prompt_remove_clicked_cb), row);
  adw_entry_row_add_suffix (row, remove);

  g_signal_connect_object (row, "notify::text", G_CALLBACK (prompt_changed_cb), self, G_CONNECT_SWAPPED);

  g_ptr_array_add (self->prompt_rows, row);
  adw_preferences_group_add (self->prompts_group, GTK_WIDGET (row));

  return row;
}

static void
add_prompt_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  AtelierTuneEditor *self = ATELIER_TUNE_EDITOR (widget);
  AdwEntryRow *row = add_prompt_row (self, NULL);

  save_settings (self);
  gtk_widget_grab_focus (GTK_WIDGET (row));
}

static void
remove_prompt_rows (AtelierTuneEditor *self)
{
  while (self->prompt_rows->len > 0)
    {
      GtkWidget *row = g_ptr_array_steal_index (self->prompt_rows, self->prompt_rows->len - 1);
      adw_preferences_group_remove (self->prompts_group, row);
    }
}

/* }}} */

/* {{{ Filling the form from the draft */

static guint
index_of (const char * const *ids,
          guint               n,
          const char         *id,
          guint               fallback)
{
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (ids[i], id) == 0)
      return i;

  return fallback;
}

static void
apply_class_name (AtelierTuneEditor *self)
{
  g_autofree char *class_name = dup_class_name (self);

  g_clear_handle_id (&self->class_timeout_id, g_source_remove);
  atelier_photo_list_set_class_name (atelier_picker_get_photo_list (self->picker), class_name);
}

static void
fill_from_draft (AtelierTuneEditor *self)
{
  AtelierDraft *d = self->draft;
  const char *class_name = atelier_draft_get_string (d, "class_name");
  gint64 base = atelier_draft_get_int (d, "base_tune_id", base_ids[BASE_FLUX]);
  gint64 face_crop = atelier_draft_get_int (d, "face_crop", -1);
  g_auto(GStrv) prompts = atelier_draft_dup_strv (d, "prompts");
  g_auto(GStrv) edited = atelier_draft_dup_strv (d, "edited_characteristics");
  g_auto(GStrv) photos = atelier_draft_dup_strv (d, "photos");
  g_autoptr(GHashTable) characteristics = atelier_draft_dup_characteristics (d);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  AtelierPhotoList *list = atelier_picker_get_photo_list (self->picker);
  guint base_index = BASE_OTHER;
  const char *token = atelier_draft_get_string (d, "token");
  GHashTableIter iter;
  gpointer key, value;

  self->filling = TRUE;

  gtk_editable_set_text (GTK_EDITABLE (self->title_row), atelier_draft_get_string (d, "title") ?: "");

  if (class_name == NULL)
    class_name = "woman";
  if (atelier_draft_get_boolean (d, "custom_class", FALSE))
    {
      adw_combo_row_set_selected (self->class_row, CLASS_OTHER);
      gtk_editable_set_text (GTK_EDITABLE (self->custom_class_row), class_name);
    }
  else
    {
      adw_combo_row_set_selected (self->class_row, index_of (class_ids, G_N_ELEMENTS (class_ids), class_name, 1));
      gtk_editable_set_text (GTK_EDITABLE (self->custom_class_row), "");
    }

  adw_combo_row_set_selected (self->model_row,
                              index_of (model_ids, G_N_ELEMENTS (model_ids),
                                        atelier_draft_get_string (d, "model_type"), MODEL_LORA));
  adw_combo_row_set_selected (self->branch_row,
                              index_of (branch_ids, G_N_ELEMENTS (branch_ids),
                                        atelier_draft_get_string (d, "branch"), BRANCH_FLUX));
  for (guint i = 0; i < G_N_ELEMENTS (base_ids); i++)
    if (base_ids[i] == base && !atelier_draft_get_boolean (d, "base_other", FALSE))
      base_index = i;
  adw_combo_row_set_selected (self->base_row, base_index);
  if (base_index == BASE_OTHER && base > 0)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, base);
      gtk_editable_set_text (GTK_EDITABLE (self->base_id_row), text);
    }
  else
    {
      gtk_editable_set_text (GTK_EDITABLE (self->base_id_row), "");
    }
  /* A new draft: the portrait preset. */
  if (atelier_draft_get_string (d, "branch") == NULL)
    adw_combo_row_set_selected (self->preset_row, 2);
  else
    adw_combo_row_set_selected (self->preset_row,
                                index_of (preset_ids, G_N_ELEMENTS (preset_ids),
                                          atelier_draft_get_string (d, "preset"), 0));

  gtk_editable_set_text (GTK_EDITABLE (self->token_row), token != NULL ? token : "ohwx");
  gtk_spin_button_set_value (self->steps_spin, (double) atelier_draft_get_int (d, "steps", 0));
  adw_combo_row_set_selected (self->face_crop_row,
                              face_crop == 1 ? FACE_CROP_ON : face_crop == 0 ? FACE_CROP_OFF : FACE_CROP_DEFAULT);
  gtk_switch_set_active (self->face_correct_switch, atelier_draft_get_boolean (d, "training_face_correct", FALSE));
  gtk_switch_set_active (self->auto_extend_switch, atelier_draft_get_boolean (d, "auto_extend", FALSE));

  remove_prompt_rows (self);
  for (guint i = 0; prompts[i] != NULL; i++)
    add_prompt_row (self, prompts[i]);

  /* Before the rows: clearing the photos drops what they found. */
  atelier_photo_list_clear (list);

  remove_characteristic_rows (self);
  for (guint i = 0; edited[i] != NULL; i++)
    g_hash_table_add (self->edited, g_strdup (edited[i]));
  g_hash_table_iter_init (&iter, characteristics);
  while (g_hash_table_iter_next (&iter, &key, &value))
    set_row_text (self, ensure_characteristic_row (self, key), value);
  sort_characteristic_rows (self);

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

typedef struct
{
  GWeakRef   editor;
  GPtrArray *photos;       /* (element-type AtelierTrainingPhoto) to upload */
  GPtrArray *files;        /* (element-type GFile) what is sent, copies for huge ones */
  GPtrArray *copies;       /* (element-type GFile) the copies, removed at the end */
  char      *title;
  guint      n_huge;
} Submit;

static void
delete_copies_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  GPtrArray *copies = task_data;

  for (guint i = 0; i < copies->len; i++)
    g_file_delete (g_ptr_array_index (copies, i), NULL, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
submit_free (Submit *submit)
{
  if (submit->copies != NULL && submit->copies->len > 0)
    {
      g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

      g_task_set_task_data (task, g_ptr_array_ref (submit->copies), (GDestroyNotify) g_ptr_array_unref);
      g_task_run_in_thread (task, delete_copies_thread);
    }

  g_weak_ref_clear (&submit->editor);
  g_clear_pointer (&submit->photos, g_ptr_array_unref);
  g_clear_pointer (&submit->files, g_ptr_array_unref);
  g_clear_pointer (&submit->copies, g_ptr_array_unref);
  g_free (submit->title);
  g_free (submit);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Submit, submit_free)

/* The editor, or NULL when it is gone (the upload was cancelled then). */
static AtelierTuneEditor *
submit_get_editor (Submit *submit)
{
  AtelierTuneEditor *self = g_weak_ref_get (&submit->editor);

  if (self != NULL)
    g_object_unref (self);   /* it lives on: it owns the cancellable we were called for */
  return self;
}

static void
submit_succeeded (AtelierTuneEditor *self,
                  AtelierTune       *tune)
{
  g_autoptr(AtelierDraft) draft = g_object_ref (self->draft);

  set_busy (self, FALSE);
  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
  g_clear_object (&self->cancellable);

  /* Done: a fresh form. */
  atelier_draft_clear (draft);
  atelier_tune_editor_set_draft (self, draft);

  g_signal_emit (self, signals[SIGNAL_CREATED], 0, tune);
}

static void
submit_failed (AtelierTuneEditor *self,
               const GError      *error)
{
  set_busy (self, FALSE);
  g_clear_object (&self->cancellable);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* The service may have had all of it already. */
      set_uncertain (self, TRUE);
      show_upload_error (self, _("The upload was cancelled."));
      return;
    }

  /* It may have got there: the next try looks for it first. */
  if (error->domain == ATELIER_API_ERROR &&
      (error->code == ATELIER_API_ERROR_NETWORK || error->code == ATELIER_API_ERROR_TIMEOUT ||
       error->code == ATELIER_API_ERROR_SERVER || error->code == ATELIER_API_ERROR_GATEWAY_TIMEOUT ||
       error->code == ATELIER_API_ERROR_PARSE))
    set_uncertain (self, TRUE);

  show_field_errors (self, error);
  {
    /* The client's own words say more for these two: which file, and
     * that the title will be looked up. */
    g_autofree char *text = error->domain == ATELIER_API_ERROR &&
                            (error->code == ATELIER_API_ERROR_FILE || error->code == ATELIER_API_ERROR_GATEWAY_TIMEOUT)
                            ? g_strdup (error->message) : atelier_error_describe (error);
    g_autofree char *sentence = g_str_has_suffix (text, ".") ? g_strdup (text) : g_strconcat (text, ".", NULL);

    show_upload_error (self, sentence);
  }
  atelier_widget_show_error (GTK_WIDGET (self), error);
}

static void
progress_cb (goffset  sent,
             goffset  total,
             gpointer user_data)
{
  Submit *submit = user_data;
  AtelierTuneEditor *self = submit_get_editor (submit);
  g_autofree char *sent_text = NULL;
  g_autofree char *total_text = NULL;
  g_autofree char *text = NULL;

  if (self == NULL || total <= 0)
    return;

  sent_text = g_format_size (sent);
  total_text = g_format_size (total);
  /* Translators: "Uploading 12.1 MB of 40.3 MB…" */
  text = g_strdup_printf (_("Uploading %s of %s…"), sent_text, total_text);
  gtk_label_set_label (self->progress_label, text);
  gtk_progress_bar_set_fraction (self->progress_bar, CLAMP ((double) sent / total, 0.0, 1.0));
}

static void
create_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Submit) submit = user_data;
  AtelierTuneEditor *self = submit_get_editor (submit);
  g_autoptr(AtelierTune) tune = NULL;
  g_autoptr(GError) error = NULL;

  tune = atelier_astria_client_create_tune_finish (ATELIER_ASTRIA_CLIENT (source), result, &error);
  if (self == NULL)
    return;

  if (tune == NULL)
    submit_failed (self, error);
  else
    submit_succeeded (self, tune);
}

static void
send_create (AtelierTuneEditor *self,
             Submit            *submit)
{
  g_autoptr(AtelierTuneParams) params = atelier_tune_editor_build_params (self);

  for (guint i = 0; i < submit->files->len; i++)
    atelier_tune_params_add_image (params, g_ptr_array_index (submit->files, i));

  gtk_label_set_label (self->progress_label, _("Uploading…"));
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  atelier_astria_client_create_tune_async (self->client, params, progress_cb, submit,
                                           self->cancellable, create_cb, submit);
}

/* Huge photos go as smaller copies. */
static void
prepare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Submit *submit = task_data;
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "atelier", "uploads", NULL);

  for (guint i = 0; i < submit->photos->len; i++)
    {
      AtelierTrainingPhoto *photo = g_ptr_array_index (submit->photos, i);
      GFile *file = atelier_training_photo_get_file (photo);

      if (atelier_training_photo_get_checks (photo) & ATELIER_PHOTO_CHECK_HUGE)
        {
          GError *error = NULL;
          g_autoptr(GFile) copy = atelier_photo_write_upload_copy (file, dir, cancellable, &error);

          if (copy == NULL)
            {
              g_task_return_error (task, error);
              return;
            }
          g_ptr_array_add (submit->copies, g_object_ref (copy));
          g_ptr_array_add (submit->files, g_steal_pointer (&copy));
        }
      else
        {
          g_ptr_array_add (submit->files, g_object_ref (file));
        }
    }

  g_task_return_boolean (task, TRUE);
}

static void
prepared_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Submit *submit = g_task_get_task_data (G_TASK (result));
  AtelierTuneEditor *self = submit_get_editor (submit);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (self != NULL)
        submit_failed (self, error);
      submit_free (submit);
      return;
    }

  if (self == NULL)
    {
      submit_free (submit);
      return;
    }

  send_create (self, submit);
}

static void
prepare (AtelierTuneEditor *self,
         Submit            *submit)
{
  g_autoptr(GTask) task = NULL;

  if (submit->n_huge == 0)
    {
      for (guint i = 0; i < submit->photos->len; i++)
        g_ptr_array_add (submit->files,
                         g_object_ref (atelier_training_photo_get_file (g_ptr_array_index (submit->photos, i))));
      send_create (self, submit);
      return;
    }

  gtk_label_set_label (self->progress_label,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "Making a smaller copy of a large photo…",
                                    "Making smaller copies of large photos…", submit->n_huge));
  gtk_progress_bar_pulse (self->progress_bar);

  task = g_task_new (NULL, self->cancellable, prepared_cb, NULL);
  g_task_set_source_tag (task, prepare);
  g_task_set_task_data (task, submit, NULL);
  g_task_run_in_thread (task, prepare_thread);
}

static void
find_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Submit *submit = user_data;
  AtelierTuneEditor *self = submit_get_editor (submit);
  g_autoptr(AtelierTune) tune = NULL;
  g_autoptr(GError) error = NULL;

  tune = atelier_astria_client_find_tune_by_title_finish (ATELIER_ASTRIA_CLIENT (source), result, &error);
  if (self == NULL)
    {
      submit_free (submit);
      return;
    }

  if (tune != NULL)
    {
      /* The last try did get there. */
      submit_succeeded (self, tune);
      submit_free (submit);
      return;
    }

  if (error != NULL)
    {
      submit_failed (self, error);
      submit_free (submit);
      return;
    }

  prepare (self, submit);
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AtelierTuneEditor *self = ATELIER_TUNE_EDITOR (widget);
  AtelierPhotoList *list = atelier_picker_get_photo_list (self->picker);
  g_autofree char *readable = dup_entry_text (self->title_row);
  Submit *submit;

  if (self->busy || self->client == NULL)
    return;

  clear_field_errors (self);
  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);

  /* The same readable title keeps the same UUID: a retry is the same
   * tune to the service. */
  if (g_strcmp0 (atelier_draft_get_string (self->draft, "title_uuid_base"), readable) != 0 ||
      atelier_draft_get_string (self->draft, "title_with_uuid") == NULL)
    {
      g_autofree char *title = atelier_tune_title_with_uuid (readable);

      atelier_draft_set_string (self->draft, "title_with_uuid", title);
      atelier_draft_set_string (self->draft, "title_uuid_base", readable);
      set_uncertain (self, FALSE);
    }
  atelier_draft_flush (self->draft);

  submit = g_new0 (Submit, 1);
  g_weak_ref_init (&submit->editor, self);
  submit->title = g_strdup (atelier_draft_get_string (self->draft, "title_with_uuid"));
  submit->photos = g_ptr_array_new_with_free_func (g_object_unref);
  submit->files = g_ptr_array_new_with_free_func (g_object_unref);
  submit->copies = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < atelier_photo_list_get_n_photos (list); i++)
    {
      AtelierTrainingPhoto *photo = atelier_photo_list_get_photo (list, i);

      if (atelier_training_photo_is_unusable (photo))
        continue;
      if (atelier_training_photo_get_checks (photo) & ATELIER_PHOTO_CHECK_HUGE)
        submit->n_huge++;
      g_ptr_array_add (submit->photos, g_object_ref (photo));
    }

  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);

  if (get_uncertain (self))
    {
      gtk_label_set_label (self->progress_label, _("Checking whether the last upload arrived…"));
      atelier_astria_client_find_tune_by_title_async (self->client, submit->title, self->cancellable,
                                                      find_cb, submit);
      return;
    }

  prepare (self, submit);
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
  couple_choices (self, row);
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
  g_clear_handle_id (&self->class_timeout_id, g_source_remove);

  if (self->draft != NULL)
    {
      save_settings (self);
      atelier_draft_flush (self->draft);
    }

  if (self->picker != NULL)
    g_signal_handlers_disconnect_by_data (atelier_picker_get_photo_list (self->picker), self);

  g_clear_pointer (&self->characteristic_rows, g_hash_table_unref);
  g_clear_pointer (&self->prompt_rows, g_ptr_array_unref);
  g_clear_pointer (&self->error_widgets, g_ptr_array_unref);

  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), ATELIER_TYPE_TUNE_EDITOR);

  g_clear_object (&self->draft);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (atelier_tune_editor_parent_class)->dispose (object);
}

static void
atelier_tune_editor_finalize (GObject *object)
{
  AtelierTuneEditor *self = ATELIER_TUNE_EDITOR (object);

  g_clear_pointer (&self->edited, g_hash_table_unref);

  G_OBJECT_CLASS (atelier_tune_editor_parent_class)->finalize (object);
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
  object_class->finalize = atelier_tune_editor_finalize;
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

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/atelier/Atelier/tunes/atelier-tune-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, scrolled_window);
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
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, characteristics_placeholder);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, prompts_group);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, bottom_stack);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, status_label);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, progress_label);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, AtelierTuneEditor, cancel_button);

  gtk_widget_class_install_action (widget_class, "editor.submit", NULL, submit_action);
  gtk_widget_class_install_action (widget_class, "editor.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "editor.discard", NULL, discard_action);
  gtk_widget_class_install_action (widget_class, "editor.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "editor.add-prompt", NULL, add_prompt_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "editor.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "editor.submit", NULL);
}

static void
atelier_tune_editor_init (AtelierTuneEditor *self)
{
  AtelierPhotoList *list;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->characteristic_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->edited = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->prompt_rows = g_ptr_array_new ();
  self->error_widgets = g_ptr_array_new ();

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
