/* atelier-prompt-form.c: the parameter rows of the prompt editor
 *
 * Each kind of widget of the table (AtelierPromptWidget) has three
 * functions: make its row, read the row into the params, write the params'
 * value into the row. Reading happens as the user edits; writing when the
 * params are set and when one of their values changes from elsewhere
 * (::changed of AtelierParams). While either runs, the other direction is
 * ignored. Values that do not even parse ("abc" for a number) are errors
 * of their own, kept in the row until its next edit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-prompt-form.h"
#include "atelier-widget-utils.h"

typedef struct _Field Field;

typedef struct
{
  void (*make)  (Field         *field);   /* sets field->row */
  void (*read)  (Field         *field,
                 AtelierParams *params);
  void (*write) (Field         *field,
                 AtelierParams *params);
} RowKind;

struct _Field
{
  const AtelierPromptField *desc;
  const RowKind            *kind;
  AtelierPromptForm        *form;
  GtkWidget                *row;
  GtkWidget                *control;    /* switch, spin button, file row's remove button */
  GtkWidget                *choose;     /* file row's choose button */
  GtkWidget                *error_row;
  GtkNativeDialog          *chooser;    /* (owned) (nullable) open for this field */
  GFile                    *file;
  char                     *parse_error;
};

/* Sizes (multiples of 8) per aspect: for 1024-px models (Flux, SDXL),
 * then for 512-px ones (SD 1.5). */
typedef struct
{
  const char *label;
  int         w, h;
  int         small_w, small_h;
} Aspect;

static const Aspect aspects[] = {
  { N_("Custom"), 0, 0, 0, 0 },
  { N_("Square 1:1"), 1024, 1024, 512, 512 },
  { N_("Portrait 4:5"), 896, 1120, 512, 640 },
  { N_("Portrait 2:3"), 832, 1248, 512, 768 },
  { N_("Portrait 9:16"), 768, 1344, 432, 768 },
  { N_("Landscape 3:2"), 1248, 832, 768, 512 },
  { N_("Landscape 16:9"), 1344, 768, 768, 432 },
};

/* The sections that are expanders of "More Settings". */
static const struct
{
  AtelierPromptSection  section;
  const char           *title;
  const char           *subtitle;
} expanders[] = {
  { ATELIER_PROMPT_SECTION_SAMPLING, N_("Sampling"), N_("CFG scale, steps, scheduler and size") },
  { ATELIER_PROMPT_SECTION_STYLE, N_("Style"), N_("Style, colour grading, film grain, weighted prompts, backend") },
  { ATELIER_PROMPT_SECTION_IMG2IMG, N_("Img2img and ControlNet"), N_("Start from an image, with a mask or a ControlNet") },
  { ATELIER_PROMPT_SECTION_ADVANCED, N_("Advanced"), N_("Callback URL") },
};

struct _AtelierPromptForm
{
  GObject        parent_instance;

  GtkWidget     *sections[ATELIER_PROMPT_N_SECTIONS];  /* a group or an expander row */
  AdwComboRow   *aspect_row;
  GPtrArray     *fields;       /* Field, in form order */
  AtelierParams *params;
  gulong         params_changed_id;
  gboolean       small_model;
  gboolean       updating;     /* moving values between rows and params */
};

G_DEFINE_FINAL_TYPE (AtelierPromptForm, atelier_prompt_form, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The chooser's ::response holds the field: it is disconnected and the
 * chooser closed before the field goes (the form's dispose), however long
 * anyone else keeps the chooser. */
static void
field_close_chooser (Field *field)
{
  if (field->chooser == NULL)
    return;

  g_signal_handlers_disconnect_by_data (field->chooser, field);
  gtk_native_dialog_destroy (field->chooser);
  g_clear_object (&field->chooser);
}

static void
field_free (Field *field)
{
  field_close_chooser (field);
  g_clear_object (&field->file);
  g_free (field->parse_error);
  g_free (field);
}

static Field *
find_field (AtelierPromptForm *self,
            const char        *name)
{
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);

      if (g_str_equal (field->desc->spec.name, name))
        return field;
    }

  return NULL;
}

static const char *
field_name (Field *field)
{
  return field->desc->spec.name;
}

/* {{{ Params -> rows */

static void
sync_aspect (AtelierPromptForm *self)
{
  gint64 w = atelier_params_get_int (self->params, "w");
  gint64 h = atelier_params_get_int (self->params, "h");
  guint selected = 0;

  for (guint i = 1; i < G_N_ELEMENTS (aspects); i++)
    {
      if ((aspects[i].w == w && aspects[i].h == h) || (aspects[i].small_w == w && aspects[i].small_h == h))
        selected = i;
    }

  self->updating = TRUE;
  adw_combo_row_set_selected (self->aspect_row, selected);
  self->updating = FALSE;
}

static void
write_field (AtelierPromptForm *self,
             Field             *field)
{
  GtkWidget *section = self->sections[field->desc->section];
  gboolean updating = self->updating;

  self->updating = TRUE;
  g_clear_pointer (&field->parse_error, g_free);
  field->kind->write (field, self->params);
  self->updating = updating;

  /* A set value shows its section. */
  if (field->desc->widget != ATELIER_PROMPT_WIDGET_SPIN && ADW_IS_EXPANDER_ROW (section) &&
      atelier_params_has (self->params, field_name (field)))
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (section), TRUE);
}

static void
params_changed_cb (AtelierPromptForm *self,
                   const char        *name)
{
  Field *field;

  if (self->updating || (field = find_field (self, name)) == NULL)
    return;

  write_field (self, field);
}

void
atelier_prompt_form_set_params (AtelierPromptForm *self,
                                AtelierParams     *params)
{
  g_return_if_fail (ATELIER_IS_PROMPT_FORM (self));
  g_return_if_fail (ATELIER_IS_PARAMS (params));

  if (self->params != NULL)
    g_clear_signal_handler (&self->params_changed_id, self->params);
  g_set_object (&self->params, params);
  self->params_changed_id = g_signal_connect_swapped (params, "changed", G_CALLBACK (params_changed_cb), self);

  for (guint i = 0; i < self->fields->len; i++)
    write_field (self, g_ptr_array_index (self->fields, i));
  sync_aspect (self);
}

/* }}} */
/* {{{ Rows -> params */

static void
field_changed_cb (Field *field)
{
  AtelierPromptForm *self = field->form;

  if (self->updating)
    return;

  self->updating = TRUE;
  g_clear_pointer (&field->parse_error, g_free);
  field->kind->read (field, self->params);
  self->updating = FALSE;

  if (g_str_equal (field_name (field), "w") || g_str_equal (field_name (field), "h"))
    sync_aspect (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
aspect_selected_cb (AtelierPromptForm *self)
{
  guint selected = adw_combo_row_get_selected (self->aspect_row);
  const Aspect *aspect;

  if (self->updating || selected == 0 || selected >= G_N_ELEMENTS (aspects))
    return;

  /* The rows follow through ::changed. */
  aspect = &aspects[selected];
  atelier_params_set_int (self->params, "w", self->small_model ? aspect->small_w : aspect->w);
  atelier_params_set_int (self->params, "h", self->small_model ? aspect->small_h : aspect->h);
  g_signal_emit (self, signals[CHANGED], 0);
}

void
atelier_prompt_form_set_small_model (AtelierPromptForm *self,
                                     gboolean           small)
{
  g_return_if_fail (ATELIER_IS_PROMPT_FORM (self));

  self->small_model = !!small;
}

/* }}} */
/* {{{ The kinds of row */

/* Adds @control at the end of @row, named @label for assistive tools. */
static GtkWidget *
add_control (GtkWidget  *row,
             GtkWidget  *control,
             const char *label)
{
  gtk_widget_set_valign (control, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (control), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), control);

  return control;
}

static GtkWidget *
add_icon_button (Field      *field,
                 const char *icon,
                 const char *tooltip,
                 const char *label,
                 GCallback   clicked)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip);
  g_signal_connect (button, "clicked", clicked, field);

  return add_control (field->row, button, label);
}

/* Entry: text, or a number; empty sends nothing. */

static gboolean
parse_number (const char *text,
              gboolean    integer,
              double     *value)
{
  g_autofree char *copy = g_strstrip (g_strdelimit (g_strdup (text), ",", '.'));
  char *end = NULL;

  if (integer)
    {
      gint64 number;

      if (!g_ascii_string_to_signed (copy, 10, G_MININT64, G_MAXINT64, &number, NULL))
        return FALSE;
      *value = (double) number;
      return TRUE;
    }

  *value = g_ascii_strtod (copy, &end);
  return end != copy && *end == '\0';
}

static void
make_entry (Field *field)
{
  field->row = adw_entry_row_new ();
  g_signal_connect_swapped (field->row, "changed", G_CALLBACK (field_changed_cb), field);
}

static void
read_entry (Field         *field,
            AtelierParams *params)
{
  const char *name = field_name (field);
  AtelierParamType type = field->desc->spec.type;
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (field->row))));
  double value;

  if (*text == '\0')
    atelier_params_unset (params, name);
  else if (type == ATELIER_PARAM_STRING)
    atelier_params_set_string (params, name, text);
  else if (!parse_number (text, type == ATELIER_PARAM_INT, &value))
    {
      atelier_params_unset (params, name);
      field->parse_error = atelier_prompt_field_describe_error (name, type == ATELIER_PARAM_INT ? _("must be a whole number")
                                                                                                : _("must be a number"));
    }
  else if (type == ATELIER_PARAM_INT)
    atelier_params_set_int (params, name, (gint64) value);
  else
    atelier_params_set_double (params, name, value);
}

static void
write_entry (Field         *field,
             AtelierParams *params)
{
  g_autofree char *text = atelier_prompt_field_format (params, field_name (field));

  gtk_editable_set_text (GTK_EDITABLE (field->row), text != NULL ? text : "");
}

/* Switch: on sends true; off sends nothing. */

static void
make_switch (Field *field)
{
  field->row = adw_action_row_new ();
  field->control = add_control (field->row, gtk_switch_new (), atelier_prompt_field_label (field_name (field)));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (field->row), field->control);
  g_signal_connect_swapped (field->control, "notify::active", G_CALLBACK (field_changed_cb), field);
}

static void
read_switch (Field         *field,
             AtelierParams *params)
{
  if (gtk_switch_get_active (GTK_SWITCH (field->control)))
    atelier_params_set_boolean (params, field_name (field), TRUE);
  else
    atelier_params_unset (params, field_name (field));
}

static void
write_switch (Field         *field,
              AtelierParams *params)
{
  const char *name = field_name (field);

  if (atelier_params_has (params, name) && !atelier_params_get_boolean (params, name))
    atelier_params_unset (params, name);
  gtk_switch_set_active (GTK_SWITCH (field->control), atelier_params_has (params, name));
}

/* Choice: the unset entry, then the allowed values. */

static void
make_choice (Field *field)
{
  const AtelierParamSpec *spec = &field->desc->spec;
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, _(field->desc->unset_label));
  for (guint i = 0; spec->choices[i] != NULL; i++)
    gtk_string_list_append (list, spec->choices[i]);

  field->row = adw_combo_row_new ();
  adw_combo_row_set_model (ADW_COMBO_ROW (field->row), G_LIST_MODEL (list));
  g_signal_connect_swapped (field->row, "notify::selected", G_CALLBACK (field_changed_cb), field);
}

static void
read_choice (Field         *field,
             AtelierParams *params)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (field->row));

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    atelier_params_unset (params, field_name (field));
  else
    atelier_params_set_string (params, field_name (field), field->desc->spec.choices[selected - 1]);
}

static void
write_choice (Field         *field,
              AtelierParams *params)
{
  const char * const *choices = field->desc->spec.choices;
  const char *value = atelier_params_get_string (params, field_name (field));
  guint selected = 0;

  for (guint i = 0; value != NULL && choices[i] != NULL; i++)
    {
      if (g_str_equal (choices[i], value))
        selected = i + 1;
    }
  adw_combo_row_set_selected (ADW_COMBO_ROW (field->row), selected);
}

/* Spin button: always sent, from the default on. */

static void
make_spin (Field *field)
{
  const AtelierParamSpec *spec = &field->desc->spec;

  field->row = adw_action_row_new ();
  field->control = add_control (field->row, gtk_spin_button_new_with_range (spec->min, spec->max, 1),
                                atelier_prompt_field_label (spec->name));
  g_signal_connect_swapped (field->control, "value-changed", G_CALLBACK (field_changed_cb), field);
}

static void
read_spin (Field         *field,
           AtelierParams *params)
{
  atelier_params_set_int (params, field_name (field),
                          gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (field->control)));
}

static void
write_spin (Field         *field,
            AtelierParams *params)
{
  const char *name = field_name (field);

  if (!atelier_params_has (params, name))
    atelier_params_set_int (params, name, (gint64) field->desc->default_value);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (field->control), (double) atelier_params_get_int (params, name));
}

/* File: chosen from disk, removable. */

static void
update_file_row (Field *field)
{
  g_autofree char *name = field->file != NULL ? g_file_get_basename (field->file) : NULL;

  adw_action_row_set_subtitle (ADW_ACTION_ROW (field->row), name != NULL ? name : _("None"));
  gtk_widget_set_visible (field->control, field->file != NULL);
}

static void
file_chosen_cb (GtkNativeDialog *dialog,
                int              response,
                gpointer         user_data)
{
  Field *field = user_data;

  g_assert (dialog == field->chooser);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_set_object (&field->file, NULL);
      field->file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      update_file_row (field);
      field_changed_cb (field);
    }

  field_close_chooser (field);
}

static void
choose_file_cb (GtkButton *button,
                Field     *field)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  field_close_chooser (field);
  chooser = gtk_file_chooser_native_new (atelier_prompt_field_label (field_name (field)),
                                         GTK_WINDOW (gtk_widget_get_root (field->row)), GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("Images"));
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_mime_type (filter, "image/webp");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  field->chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect (chooser, "response", G_CALLBACK (file_chosen_cb), field);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
clear_file_cb (GtkButton *button,
               Field     *field)
{
  g_clear_object (&field->file);
  update_file_row (field);
  field_changed_cb (field);
}

static void
make_file (Field *field)
{
  field->row = adw_action_row_new ();
  field->control = add_icon_button (field, "edit-clear-symbolic", _("Remove"), _("Remove the file"),
                                    G_CALLBACK (clear_file_cb));
  field->choose = add_icon_button (field, "document-open-symbolic", _("Choose a File"), _("Choose a file"),
                                   G_CALLBACK (choose_file_cb));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (field->row), field->choose);
  update_file_row (field);
}

static void
read_file (Field         *field,
           AtelierParams *params)
{
  atelier_params_set_file (params, field_name (field), field->file);
}

static void
write_file (Field         *field,
            AtelierParams *params)
{
  g_set_object (&field->file, atelier_params_get_file (params, field_name (field)));
  update_file_row (field);
}

static const RowKind row_kinds[] = {
  [ATELIER_PROMPT_WIDGET_ENTRY] = { make_entry, read_entry, write_entry },
  [ATELIER_PROMPT_WIDGET_SWITCH] = { make_switch, read_switch, write_switch },
  [ATELIER_PROMPT_WIDGET_CHOICE] = { make_choice, read_choice, write_choice },
  [ATELIER_PROMPT_WIDGET_SPIN] = { make_spin, read_spin, write_spin },
  [ATELIER_PROMPT_WIDGET_FILE] = { make_file, read_file, write_file },
};

/* }}} */
/* {{{ Errors */

static void
show_field_error (Field      *field,
                  const char *message)
{
  if (message == NULL)
    {
      gtk_widget_set_visible (field->error_row, FALSE);
      gtk_widget_remove_css_class (field->row, "error");
      return;
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (field->error_row), message);
  gtk_widget_set_visible (field->error_row, TRUE);
  gtk_widget_add_css_class (field->row, "error");
}

guint
atelier_prompt_form_show_errors (AtelierPromptForm  *self,
                                 GPtrArray          *errors,
                                 const char        **first)
{
  guint n = 0;

  g_return_val_if_fail (ATELIER_IS_PROMPT_FORM (self), 0);
  g_return_val_if_fail (errors != NULL, 0);

  *first = NULL;

  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);
      g_autofree char *message = g_strdup (field->parse_error);

      for (guint j = 0; message == NULL && j < errors->len; j++)
        {
          AtelierFieldError *error = g_ptr_array_index (errors, j);

          if (g_str_equal (error->field, field_name (field)))
            message = atelier_prompt_field_describe_error (error->field, error->message);
        }

      show_field_error (field, message);
      if (message != NULL)
        {
          n++;
          if (*first == NULL)
            *first = field_name (field);
        }
    }

  return n;
}

GtkNativeDialog *
_atelier_prompt_form_get_file_chooser (AtelierPromptForm *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPT_FORM (self), NULL);

  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);

      if (field->chooser != NULL)
        return field->chooser;
    }

  return NULL;
}

gboolean
atelier_prompt_form_has_row (AtelierPromptForm *self,
                             const char        *name)
{
  g_return_val_if_fail (ATELIER_IS_PROMPT_FORM (self), FALSE);

  return find_field (self, name) != NULL;
}

void
atelier_prompt_form_focus (AtelierPromptForm *self,
                           const char        *name)
{
  Field *field;
  GtkWidget *section;

  g_return_if_fail (ATELIER_IS_PROMPT_FORM (self));

  if ((field = find_field (self, name)) == NULL)
    return;

  section = self->sections[field->desc->section];
  if (ADW_IS_EXPANDER_ROW (section))
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (section), TRUE);
  gtk_widget_grab_focus (field->row);
}

/* }}} */
/* {{{ Building */

static GtkWidget *
make_row (Field *field)
{
  const char *name = field_name (field);
  const char *label = atelier_prompt_field_label (name);
  const char *help = atelier_prompt_field_help (name);

  field->kind->make (field);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (field->row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (field->row), label);
  if (help != NULL)
    {
      if (ADW_IS_ACTION_ROW (field->row) && field->desc->widget != ATELIER_PROMPT_WIDGET_FILE)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (field->row), help);
      gtk_widget_set_tooltip_text (field->row, help);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (field->row), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_set_name (field->row, name);

  return field->row;
}

static GtkWidget *
make_error_row (void)
{
  GtkWidget *row = adw_action_row_new ();

  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (row, "error");
  gtk_widget_set_visible (row, FALSE);

  return row;
}

static void
add_to_section (AtelierPromptForm    *self,
                AtelierPromptSection  section,
                GtkWidget            *row)
{
  if (ADW_IS_EXPANDER_ROW (self->sections[section]))
    adw_expander_row_add_row (ADW_EXPANDER_ROW (self->sections[section]), row);
  else
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->sections[section]), row);
}

static GtkWidget *
make_aspect_row (AtelierPromptForm *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (aspects); i++)
    gtk_string_list_append (list, _(aspects[i].label));
  self->aspect_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->aspect_row), _("Aspect"));
  adw_combo_row_set_model (self->aspect_row, G_LIST_MODEL (list));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->aspect_row),
                               _("Fills in width and height for the chosen tune’s model"));
  g_signal_connect_swapped (self->aspect_row, "notify::selected", G_CALLBACK (aspect_selected_cb), self);

  return GTK_WIDGET (self->aspect_row);
}

static int
compare_position (gconstpointer a,
                  gconstpointer b)
{
  const AtelierPromptField *field_a = *(const AtelierPromptField * const *) a;
  const AtelierPromptField *field_b = *(const AtelierPromptField * const *) b;

  return (int) field_a->position - (int) field_b->position;
}

AtelierPromptForm *
atelier_prompt_form_new (AdwPreferencesGroup *images_group,
                         AdwPreferencesGroup *enhancements_group,
                         AdwPreferencesGroup *more_group)
{
  AtelierPromptForm *self;
  g_autoptr(GPtrArray) descs = g_ptr_array_new ();
  const AtelierPromptField *table;
  guint n_fields;

  g_return_val_if_fail (ADW_IS_PREFERENCES_GROUP (images_group), NULL);
  g_return_val_if_fail (ADW_IS_PREFERENCES_GROUP (enhancements_group), NULL);
  g_return_val_if_fail (ADW_IS_PREFERENCES_GROUP (more_group), NULL);

  self = g_object_new (ATELIER_TYPE_PROMPT_FORM, NULL);
  self->sections[ATELIER_PROMPT_SECTION_IMAGES] = GTK_WIDGET (images_group);
  self->sections[ATELIER_PROMPT_SECTION_ENHANCEMENTS] = GTK_WIDGET (enhancements_group);
  for (guint i = 0; i < G_N_ELEMENTS (expanders); i++)
    {
      GtkWidget *expander = atelier_expander_row_new (_(expanders[i].title), _(expanders[i].subtitle));

      adw_preferences_group_add (more_group, expander);
      self->sections[expanders[i].section] = expander;
    }

  table = atelier_prompt_fields_get (&n_fields);
  for (guint i = 0; i < n_fields; i++)
    {
      if (table[i].widget != ATELIER_PROMPT_WIDGET_NONE)
        g_ptr_array_add (descs, (gpointer) &table[i]);
    }
  g_ptr_array_sort (descs, compare_position);

  for (guint i = 0; i < descs->len; i++)
    {
      Field *field = g_new0 (Field, 1);

      field->desc = g_ptr_array_index (descs, i);
      field->kind = &row_kinds[field->desc->widget];
      field->form = self;
      make_row (field);
      field->error_row = make_error_row ();
      g_ptr_array_add (self->fields, field);

      /* The aspect presets come before width and height. */
      if (g_str_equal (field_name (field), "w"))
        add_to_section (self, field->desc->section, make_aspect_row (self));

      add_to_section (self, field->desc->section, field->row);
      add_to_section (self, field->desc->section, field->error_row);
    }

  return self;
}

/* }}} */
/* {{{ GObject */

static void
atelier_prompt_form_dispose (GObject *object)
{
  AtelierPromptForm *self = ATELIER_PROMPT_FORM (object);

  /* Its owner disposes the form before the rows (see
   * atelier_prompt_form_new()): from then on nothing of theirs calls into
   * a field, and no chooser answers into one. */
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);

      field_close_chooser (field);
      if (field->row != NULL)
        g_signal_handlers_disconnect_by_data (field->row, field);
      if (field->control != NULL)
        g_signal_handlers_disconnect_by_data (field->control, field);
      if (field->choose != NULL)
        g_signal_handlers_disconnect_by_data (field->choose, field);
      /* Not ours: gone after the editor's dispose (a second dispose). */
      field->row = field->control = field->choose = field->error_row = NULL;
    }
  if (self->aspect_row != NULL)
    g_signal_handlers_disconnect_by_data (self->aspect_row, self);
  self->aspect_row = NULL;

  if (self->params != NULL)
    g_clear_signal_handler (&self->params_changed_id, self->params);
  g_clear_object (&self->params);

  G_OBJECT_CLASS (atelier_prompt_form_parent_class)->dispose (object);
}

static void
atelier_prompt_form_finalize (GObject *object)
{
  AtelierPromptForm *self = ATELIER_PROMPT_FORM (object);

  g_ptr_array_unref (self->fields);

  G_OBJECT_CLASS (atelier_prompt_form_parent_class)->finalize (object);
}

static void
atelier_prompt_form_class_init (AtelierPromptFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = atelier_prompt_form_dispose;
  object_class->finalize = atelier_prompt_form_finalize;

  /**
   * AtelierPromptForm::changed:
   * @self: the form
   *
   * The user changed a value; the params have it (or lost it, for a value
   * that does not parse).
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
atelier_prompt_form_init (AtelierPromptForm *self)
{
  self->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_free);
}

/* }}} */
