/* atelier-faceid-form.c: AtelierFaceidForm, the prompt and the
 * parameters of a fal FaceID request — one class: its fields, their
 * input, filling them, and their errors
 *
 * The fields are built from field_specs, one table with fal's documented
 * names, ranges and defaults; the input is built from the same table and
 * checked by atelier_fal_validate_face_id_input() before sending.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-api-error.h"
#include "atelier-faceid-form.h"
#include "atelier-widget-utils.h"

static const char * const default_negative_prompt =
  "blurry, low resolution, bad, ugly, low quality, pixelated, interpolated, compression artifacts, noisey, grainy";
static const char * const default_base_1_5 = "SG161222/Realistic_Vision_V4.0_noVAE";
static const char * const default_base_sdxl = "SG161222/RealVisXL_V3.0";

static const struct {
  const char *id;
  const char *label;
} model_types[] = {
  { "1_5-v1",          N_("SD 1.5 (recommended)") },
  { "1_5-v1-plus",     N_("SD 1.5 Plus") },
  { "1_5-v2-plus",     N_("SD 1.5 v2 Plus") },
  { "SDXL-v1",         N_("SDXL") },
  { "SDXL-v2-plus",    N_("SDXL v2 Plus") },
  { "1_5-auraface-v1", N_("SD 1.5 AuraFace") },
};

typedef enum {
  KIND_TEXT,
  KIND_CHOICE,
  KIND_SEED,
  KIND_INT,
  KIND_DOUBLE,
} FieldKind;

typedef struct {
  const char *name;
  FieldKind   kind;
  const char *title;
  const char *subtitle;
  double      min, max, step, def;
  guint       digits;
  gboolean    advanced;
} FieldSpec;

static const FieldSpec field_specs[] = {
  { "negative_prompt", KIND_TEXT, N_("Negative Prompt"), NULL, 0, 0, 0, 0, 0, FALSE },
  { "model_type", KIND_CHOICE, N_("Model Type"),
    N_("SD 1.5 suits most pictures; SDXL makes larger, more detailed ones"), 0, 0, 0, 0, 0, FALSE },
  { "seed", KIND_SEED, N_("Seed (empty: random)"), NULL, 0, 0, 0, 0, 0, FALSE },
  { "guidance_scale", KIND_DOUBLE, N_("Guidance Scale"),
    N_("How closely the picture follows the prompt: 0 to 16"), 0, 16, 0.5, 7.5, 1, FALSE },
  { "num_inference_steps", KIND_INT, N_("Inference Steps"),
    N_("More steps are better but slower: 1 to 200"), 1, 200, 1, 50, 0, FALSE },
  { "num_samples", KIND_INT, N_("Face Samples"),
    N_("More samples match the face better but take longer: 1 to 4"), 1, 4, 1, 4, 0, FALSE },
  { "width", KIND_INT, N_("Width"), N_("512 to 1024 pixels"), 512, 1024, 8, 512, 0, FALSE },
  { "height", KIND_INT, N_("Height"), N_("512 to 1024 pixels"), 512, 1024, 8, 512, 0, FALSE },
  { "face_id_det_size", KIND_INT, N_("Face Detection Size"),
    N_("Lower it when no face is found: 64 to 640"), 64, 640, 32, 640, 0, TRUE },
  { "base_1_5_model_repo", KIND_TEXT, N_("Base SD 1.5 Model"), NULL, 0, 0, 0, 0, 0, TRUE },
  { "base_sdxl_model_repo", KIND_TEXT, N_("Base SDXL Model"), NULL, 0, 0, 0, 0, 0, TRUE },
};

typedef struct {
  const FieldSpec *spec;
  GtkWidget       *row;
  GtkWidget       *input;      /* the editable, spin button or combo row */
  GtkWidget       *error_row;
  char            *error;
} Field;

/* {{{ The form */

struct _AtelierFaceidForm
{
  AdwBin               parent_instance;

  /* template */
  GtkWidget           *prompt_frame;
  GtkTextView         *prompt_view;
  GtkLabel            *prompt_error_label;
  AdwPreferencesGroup *settings_group;

  GPtrArray           *fields;     /* (element-type Field) */
  char                *prompt_error;
};

G_DEFINE_FINAL_TYPE (AtelierFaceidForm, atelier_faceid_form, ADW_TYPE_BIN)

static Field *
find_field (AtelierFaceidForm *self,
            const char        *name)
{
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);

      if (g_str_equal (field->spec->name, name))
        return field;
    }
  return NULL;
}

static void
field_free (Field *field)
{
  g_free (field->error);
  g_free (field);
}

static void
set_field_error (AtelierFaceidForm *self,
                 const char        *name,
                 const char        *message)
{
  if (g_strcmp0 (name, "prompt") == 0)
    {
      g_free (self->prompt_error);
      self->prompt_error = g_strdup (message);
      gtk_label_set_label (self->prompt_error_label, message != NULL ? message : "");
      gtk_widget_set_visible (GTK_WIDGET (self->prompt_error_label), message != NULL);
      if (message != NULL)
        gtk_widget_add_css_class (self->prompt_frame, "error");
      else
        gtk_widget_remove_css_class (self->prompt_frame, "error");
      return;
    }

  {
    Field *field = find_field (self, name);

    if (field == NULL)
      return;

    g_free (field->error);
    field->error = g_strdup (message);
    if (message != NULL)
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (field->error_row), message);
    gtk_widget_set_visible (field->error_row, message != NULL);
    if (message != NULL)
      gtk_widget_add_css_class (field->row, "error");
    else
      gtk_widget_remove_css_class (field->row, "error");

    if (message != NULL && field->spec->advanced)
      {
        GtkWidget *expander = gtk_widget_get_ancestor (field->row, ADW_TYPE_EXPANDER_ROW);

        if (expander != NULL)
          adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);
      }
  }
}

void
atelier_faceid_form_clear_errors (AtelierFaceidForm *self)
{
  g_return_if_fail (ATELIER_IS_FACEID_FORM (self));

  set_field_error (self, "prompt", NULL);
  for (guint i = 0; i < self->fields->len; i++)
    set_field_error (self, ((Field *) g_ptr_array_index (self->fields, i))->spec->name, NULL);
}

guint
atelier_faceid_form_show_errors (AtelierFaceidForm *self,
                                 const GError      *error,
                                 gboolean           focus)
{
  g_autoptr(GPtrArray) errors = NULL;
  GtkWidget *first = NULL;
  guint n = 0;

  g_return_val_if_fail (ATELIER_IS_FACEID_FORM (self), 0);
  g_return_val_if_fail (error != NULL, 0);

  errors = atelier_api_error_get_field_errors (error);

  for (guint i = 0; i < errors->len; i++)
    {
      AtelierFieldError *field_error = g_ptr_array_index (errors, i);
      GtkWidget *widget = atelier_faceid_form_get_field_widget (self, field_error->field);

      if (widget == NULL)
        continue;

      set_field_error (self, field_error->field, field_error->message);
      if (first == NULL)
        first = widget;
      n++;
    }

  if (focus && first != NULL)
    gtk_widget_grab_focus (first);
  return n;
}

static void
field_changed_cb (GtkWidget *widget,
                  gpointer   user_data)
{
  Field *field = g_object_get_data (G_OBJECT (widget), "atelier-field");
  AtelierFaceidForm *self = user_data;

  if (field != NULL && field->error != NULL)
    set_field_error (self, field->spec->name, NULL);
}

static void
reset_negative_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  AtelierFaceidForm *self = ATELIER_FACEID_FORM (widget);
  Field *field = find_field (self, "negative_prompt");

  gtk_editable_set_text (GTK_EDITABLE (field->input), default_negative_prompt);
}

/* The − and + buttons of a spin button have no name GTK 4.8 gives to
 * assistive technology: "Decrease Width", "Increase Width". */
static void
name_spin_buttons (GtkWidget  *spin,
                   const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (spin); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *icon;
      g_autofree char *name = NULL;

      if (!GTK_IS_BUTTON (child))
        continue;
      icon = gtk_button_get_icon_name (GTK_BUTTON (child));
      if (g_strcmp0 (icon, "value-increase-symbolic") == 0)
        /* Translators: %s is a setting, e.g. "Width" */
        name = g_strdup_printf (_("Increase %s"), title);
      else
        /* Translators: %s is a setting, e.g. "Width" */
        name = g_strdup_printf (_("Decrease %s"), title);
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      gtk_widget_set_tooltip_text (child, name);
    }
}

static void
build_form (AtelierFaceidForm *self)
{
  GtkWidget *expander = atelier_expander_row_new (_("Advanced"),
                                                  _("Face detection and the base models fal.ai draws with"));

  for (guint i = 0; i < G_N_ELEMENTS (field_specs); i++)
    {
      const FieldSpec *spec = &field_specs[i];
      Field *field = g_new0 (Field, 1);
      const char *title = _(spec->title);

      field->spec = spec;

      switch (spec->kind)
        {
        case KIND_TEXT:
        case KIND_SEED:
          field->row = field->input = adw_entry_row_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (field->row), title);
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (field->row), FALSE);
          if (spec->kind == KIND_SEED)
            adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (field->row), GTK_INPUT_PURPOSE_DIGITS);
          g_signal_connect (field->input, "changed", G_CALLBACK (field_changed_cb), self);
          if (g_str_equal (spec->name, "negative_prompt"))
            {
              GtkWidget *reset = gtk_button_new_from_icon_name ("edit-undo-symbolic");

              gtk_widget_set_valign (reset, GTK_ALIGN_CENTER);
              gtk_widget_add_css_class (reset, "flat");
              gtk_widget_set_tooltip_text (reset, _("Reset to fal.ai’s default"));
              gtk_accessible_update_property (GTK_ACCESSIBLE (reset), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                              _("Reset to fal.ai’s default"), -1);
              gtk_actionable_set_action_name (GTK_ACTIONABLE (reset), "faceid.reset-negative");
              adw_entry_row_add_suffix (ADW_ENTRY_ROW (field->row), reset);
              gtk_editable_set_text (GTK_EDITABLE (field->input), default_negative_prompt);
            }
          else if (g_str_equal (spec->name, "base_1_5_model_repo"))
            gtk_editable_set_text (GTK_EDITABLE (field->input), default_base_1_5);
          else if (g_str_equal (spec->name, "base_sdxl_model_repo"))
            gtk_editable_set_text (GTK_EDITABLE (field->input), default_base_sdxl);
          break;

        case KIND_CHOICE:
          {
            g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

            for (guint j = 0; j < G_N_ELEMENTS (model_types); j++)
              gtk_string_list_append (list, _(model_types[j].label));
            field->row = field->input = adw_combo_row_new ();
            adw_combo_row_set_model (ADW_COMBO_ROW (field->row), G_LIST_MODEL (list));
            adw_preferences_row_set_title (ADW_PREFERENCES_ROW (field->row), title);
            adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (field->row), FALSE);
            adw_action_row_set_subtitle (ADW_ACTION_ROW (field->row), _(spec->subtitle));
            g_signal_connect (field->input, "notify::selected", G_CALLBACK (field_changed_cb), self);
          }
          break;

        case KIND_INT:
        case KIND_DOUBLE:
          field->row = adw_action_row_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (field->row), title);
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (field->row), FALSE);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (field->row), _(spec->subtitle));
          field->input = gtk_spin_button_new_with_range (spec->min, spec->max, spec->step);
          gtk_spin_button_set_digits (GTK_SPIN_BUTTON (field->input), spec->digits);
          gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (field->input), TRUE);
          gtk_spin_button_set_increments (GTK_SPIN_BUTTON (field->input), spec->step, spec->step * 4);
          gtk_spin_button_set_value (GTK_SPIN_BUTTON (field->input), spec->def);
          gtk_widget_set_valign (field->input, GTK_ALIGN_CENTER);
          gtk_accessible_update_property (GTK_ACCESSIBLE (field->input), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
          name_spin_buttons (field->input, title);
          adw_action_row_add_suffix (ADW_ACTION_ROW (field->row), field->input);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (field->row), field->input);
          g_signal_connect (field->input, "value-changed", G_CALLBACK (field_changed_cb), self);
          break;

        default:
          g_assert_not_reached ();
        }

      g_object_set_data (G_OBJECT (field->input), "atelier-field", field);
      gtk_widget_set_name (field->row, spec->name);

      field->error_row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (field->error_row), FALSE);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (field->error_row), 0);
      gtk_widget_add_css_class (field->error_row, "error");
      gtk_widget_add_css_class (field->error_row, "faceid-field-error");
      gtk_widget_set_visible (field->error_row, FALSE);

      if (spec->advanced)
        {
          adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), field->row);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), field->error_row);
        }
      else
        {
          adw_preferences_group_add (self->settings_group, field->row);
          adw_preferences_group_add (self->settings_group, field->error_row);
        }

      g_ptr_array_add (self->fields, field);
    }

  adw_preferences_group_add (self->settings_group, expander);
}

static char *
dup_prompt_text (AtelierFaceidForm *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->prompt_view);
  GtkTextIter start, end;
  char *text;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  return g_strstrip (text);
}

JsonObject *
atelier_faceid_form_build_input (AtelierFaceidForm *self)
{
  JsonObject *input = json_object_new ();
  g_autofree char *prompt = NULL;

  g_return_val_if_fail (ATELIER_IS_FACEID_FORM (self), input);

  prompt = dup_prompt_text (self);
  json_object_set_string_member (input, "prompt", prompt);

  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);
      const char *name = field->spec->name;

      switch (field->spec->kind)
        {
        case KIND_TEXT:
          {
            g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (field->input)));

            g_strstrip (text);
            /* An empty repository means fal's default; an empty negative
             * prompt is sent as it is (no negative prompt). */
            if (*text != '\0' || g_str_equal (name, "negative_prompt"))
              json_object_set_string_member (input, name, text);
          }
          break;

        case KIND_SEED:
          {
            g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (field->input)));
            gint64 seed;

            g_strstrip (text);
            if (*text == '\0')
              break;
            if (g_ascii_string_to_signed (text, 10, 0, G_MAXINT32, &seed, NULL))
              json_object_set_int_member (input, name, seed);
            else
              /* Left as text: the check before sending names it. */
              json_object_set_string_member (input, name, text);
          }
          break;

        case KIND_CHOICE:
          {
            guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (field->input));

            json_object_set_string_member (input, name,
                                           model_types[MIN (selected, G_N_ELEMENTS (model_types) - 1)].id);
          }
          break;

        case KIND_INT:
          json_object_set_int_member (input, name,
                                      gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (field->input)));
          break;

        case KIND_DOUBLE:
          json_object_set_double_member (input, name,
                                         gtk_spin_button_get_value (GTK_SPIN_BUTTON (field->input)));
          break;

        default:
          g_assert_not_reached ();
        }
    }

  return input;
}

/* Fills the form from the members of @settings it knows. */
void
atelier_faceid_form_fill (AtelierFaceidForm *self,
                          JsonObject        *settings)
{
  g_return_if_fail (ATELIER_IS_FACEID_FORM (self));
  g_return_if_fail (settings != NULL);

  if (json_object_has_member (settings, "prompt"))
    {
      JsonNode *node = json_object_get_member (settings, "prompt");

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->prompt_view),
                                  json_node_get_string (node), -1);
    }

  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);
      const char *name = field->spec->name;
      JsonNode *node = json_object_get_member (settings, name);
      GType type;

      if (node == NULL)
        {
          /* A seed not given is random: clear an earlier one. */
          if (field->spec->kind == KIND_SEED)
            gtk_editable_set_text (GTK_EDITABLE (field->input), "");
          continue;
        }
      if (!JSON_NODE_HOLDS_VALUE (node))
        continue;
      type = json_node_get_value_type (node);

      switch (field->spec->kind)
        {
        case KIND_TEXT:
          if (type == G_TYPE_STRING)
            gtk_editable_set_text (GTK_EDITABLE (field->input), json_node_get_string (node));
          break;

        case KIND_SEED:
          if (type == G_TYPE_INT64)
            {
              g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

              gtk_editable_set_text (GTK_EDITABLE (field->input), text);
            }
          break;

        case KIND_CHOICE:
          if (type == G_TYPE_STRING)
            for (guint j = 0; j < G_N_ELEMENTS (model_types); j++)
              if (g_str_equal (model_types[j].id, json_node_get_string (node)))
                adw_combo_row_set_selected (ADW_COMBO_ROW (field->input), j);
          break;

        case KIND_INT:
        case KIND_DOUBLE:
          if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
            gtk_spin_button_set_value (GTK_SPIN_BUTTON (field->input),
                                       type == G_TYPE_INT64 ? (double) json_node_get_int (node)
                                                            : json_node_get_double (node));
          break;

        default:
          g_assert_not_reached ();
        }
    }

  atelier_faceid_form_clear_errors (self);
}

static void
prompt_changed_cb (AtelierFaceidForm *self)
{
  if (self->prompt_error != NULL)
    set_field_error (self, "prompt", NULL);
}

/* }}} */
/* {{{ Public */

GtkWidget *
atelier_faceid_form_get_field_widget (AtelierFaceidForm *self,
                                      const char        *name)
{
  Field *field;

  g_return_val_if_fail (ATELIER_IS_FACEID_FORM (self), NULL);

  if (g_strcmp0 (name, "prompt") == 0)
    return self->prompt_frame;
  field = find_field (self, name);
  return field != NULL ? field->row : NULL;
}

const char *
atelier_faceid_form_get_field_error (AtelierFaceidForm *self,
                                     const char        *name)
{
  Field *field;

  g_return_val_if_fail (ATELIER_IS_FACEID_FORM (self), NULL);

  if (g_strcmp0 (name, "prompt") == 0)
    return self->prompt_error;
  field = find_field (self, name);
  return field != NULL ? field->error : NULL;
}

/* }}} */
/* {{{ GObject */

static void
atelier_faceid_form_dispose (GObject *object)
{
  AtelierFaceidForm *self = ATELIER_FACEID_FORM (object);

  atelier_bin_dispose_template (ADW_BIN (self), ATELIER_TYPE_FACEID_FORM);
  g_clear_pointer (&self->fields, g_ptr_array_unref);

  G_OBJECT_CLASS (atelier_faceid_form_parent_class)->dispose (object);
}

static void
atelier_faceid_form_finalize (GObject *object)
{
  AtelierFaceidForm *self = ATELIER_FACEID_FORM (object);

  g_free (self->prompt_error);

  G_OBJECT_CLASS (atelier_faceid_form_parent_class)->finalize (object);
}

static void
atelier_faceid_form_class_init (AtelierFaceidFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atelier_faceid_form_dispose;
  object_class->finalize = atelier_faceid_form_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/atelier/Atelier/faceid/atelier-faceid-form.ui");
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidForm, prompt_frame);
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidForm, prompt_view);
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidForm, prompt_error_label);
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidForm, settings_group);

  gtk_widget_class_install_action (widget_class, "faceid.reset-negative", NULL, reset_negative_action);
}

static void
atelier_faceid_form_init (AtelierFaceidForm *self)
{
  atelier_widget_load_css ("/io/github/atelier/Atelier/faceid/atelier-faceid.css");
  gtk_widget_init_template (GTK_WIDGET (self));

  self->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_free);
  build_form (self);

  g_signal_connect_swapped (gtk_text_view_get_buffer (self->prompt_view), "changed",
                            G_CALLBACK (prompt_changed_cb), self);
}

/* }}} */
