/* atelier-prompt-editor.c: write a prompt for a tune and generate it
 *
 * The form is built from a table of the documented parameters: each field
 * writes its value into an AtelierPromptParams as the user types, and after
 * every change the params are validated (atelier_params_validate_all) and
 * each error is shown in a row right under its field. Values that do not
 * even parse ("abc" for a number) are errors of their own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "atelier-prompt-editor.h"
#include "atelier-prompt-fields.h"
#include "atelier-prompt-tags.h"
#include "atelier-session.h"
#include "atelier-shell.h"
#include "atelier-tune-choices.h"

#define MAX_TUNE_PAGES 10
#define DEFAULT_NUM_IMAGES 4

typedef enum
{
  FIELD_ENTRY,    /* text, or a number left empty for the default */
  FIELD_SWITCH,   /* on sends true; off sends nothing */
  FIELD_COMBO,    /* "Default", then the spec's choices */
  FIELD_SPIN,
  FIELD_FILE,
} FieldKind;

typedef enum
{
  SECTION_IMAGES,
  SECTION_ENHANCEMENTS,
  SECTION_SAMPLING,
  SECTION_STYLE,
  SECTION_IMG2IMG,
  SECTION_ADVANCED,
  N_SECTIONS
} Section;

typedef struct
{
  const char *name;
  FieldKind   kind;
  Section     section;
} FieldDesc;

/* Every documented parameter of "Create a prompt" but text (the text
 * view) and lora_scale (only for prompts sent with a new tune). */
static const FieldDesc field_descs[] = {
  { "negative_prompt", FIELD_ENTRY, SECTION_IMAGES },
  { "num_images", FIELD_SPIN, SECTION_IMAGES },
  { "seed", FIELD_ENTRY, SECTION_IMAGES },
  { "super_resolution", FIELD_SWITCH, SECTION_ENHANCEMENTS },
  { "inpaint_faces", FIELD_SWITCH, SECTION_ENHANCEMENTS },
  { "hires_fix", FIELD_SWITCH, SECTION_ENHANCEMENTS },
  { "face_correct", FIELD_SWITCH, SECTION_ENHANCEMENTS },
  { "face_swap", FIELD_SWITCH, SECTION_ENHANCEMENTS },
  { "cfg_scale", FIELD_ENTRY, SECTION_SAMPLING },
  { "steps", FIELD_ENTRY, SECTION_SAMPLING },
  { "scheduler", FIELD_COMBO, SECTION_SAMPLING },
  { "w", FIELD_ENTRY, SECTION_SAMPLING },
  { "h", FIELD_ENTRY, SECTION_SAMPLING },
  { "style", FIELD_COMBO, SECTION_STYLE },
  { "color_grading", FIELD_COMBO, SECTION_STYLE },
  { "film_grain", FIELD_SWITCH, SECTION_STYLE },
  { "use_lpw", FIELD_SWITCH, SECTION_STYLE },
  { "backend_version", FIELD_COMBO, SECTION_STYLE },
  { "controlnet", FIELD_COMBO, SECTION_IMG2IMG },
  { "input_image", FIELD_FILE, SECTION_IMG2IMG },
  { "input_image_url", FIELD_ENTRY, SECTION_IMG2IMG },
  { "mask_image", FIELD_FILE, SECTION_IMG2IMG },
  { "mask_image_url", FIELD_ENTRY, SECTION_IMG2IMG },
  { "denoising_strength", FIELD_ENTRY, SECTION_IMG2IMG },
  { "controlnet_conditioning_scale", FIELD_ENTRY, SECTION_IMG2IMG },
  { "controlnet_txt2img", FIELD_SWITCH, SECTION_IMG2IMG },
  { "callback", FIELD_ENTRY, SECTION_ADVANCED },
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

typedef struct _AtelierPromptEditor AtelierPromptEditor;

typedef struct
{
  const FieldDesc     *desc;
  AtelierPromptEditor *editor;
  GtkWidget           *row;
  GtkWidget           *control;    /* switch, spin button, file row's remove button */
  GtkWidget           *error_row;
  GFile               *file;
  char                *parse_error;
} Field;

/* A choice of the tune combo: one of the user's tunes or a base model. */
typedef struct
{
  gint64       id;
  AtelierTune *tune;   /* NULL for a base model */
} Choice;

struct _AtelierPromptEditor
{
  AdwWindow            parent_instance;

  /* template */
  AdwWindowTitle      *window_title;
  GtkWidget           *generate_button;
  GtkRevealer         *progress_revealer;
  GtkProgressBar      *progress_bar;
  GtkScrolledWindow   *scrolled_window;
  AdwComboRow         *tune_row;
  GtkMenuButton       *insert_button;
  GtkTextView         *text_view;
  GtkLabel            *text_error;
  GtkLabel            *text_note;
  AdwPreferencesGroup *tips_group;
  AdwPreferencesGroup *images_group;
  AdwPreferencesGroup *enhancements_group;
  AdwPreferencesGroup *more_group;

  AtelierSession      *session;
  AtelierPromptParams *params;
  GPtrArray           *fields;       /* Field */
  GtkWidget           *expanders[N_SECTIONS];
  AdwComboRow         *aspect_row;
  GPtrArray           *tip_rows;
  GtkStringList       *choice_names;
  GArray              *choices;      /* Choice */
  GPtrArray           *tunes;        /* the account's, once fetched */
  AtelierTune         *tune;         /* the one the editor was opened for */
  gint64               wanted_id;    /* select when the tunes come */
  gboolean             picked;       /* the user chose a tune */
  gboolean             updating;     /* filling fields from params */
  gboolean             show_required;
  GCancellable        *cancellable;  /* tunes, then the create */
  GCancellable        *create_cancellable;
};

G_DEFINE_FINAL_TYPE (AtelierPromptEditor, atelier_prompt_editor, ADW_TYPE_WINDOW)

enum {
  PROMPT_CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void revalidate (AtelierPromptEditor *self);
static void select_choice (AtelierPromptEditor *self,
                           gint64               id);

static void
field_free (Field *field)
{
  g_clear_object (&field->file);
  g_free (field->parse_error);
  g_free (field);
}

static void
choice_clear (Choice *choice)
{
  g_clear_object (&choice->tune);
}

static Field *
find_field (AtelierPromptEditor *self,
            const char          *name)
{
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);

      if (g_str_equal (field->desc->name, name))
        return field;
    }

  return NULL;
}

static AtelierParams *
params (AtelierPromptEditor *self)
{
  return ATELIER_PARAMS (self->params);
}

/* The target */

static const Choice *
selected_choice (AtelierPromptEditor *self)
{
  guint selected = adw_combo_row_get_selected (self->tune_row);

  if (selected == GTK_INVALID_LIST_POSITION || selected >= self->choices->len)
    return NULL;

  return &g_array_index (self->choices, Choice, selected);
}

static void
get_target (AtelierPromptEditor *self,
            AtelierPromptTarget *target)
{
  const Choice *choice = selected_choice (self);

  *target = (AtelierPromptTarget) { 0 };
  if (choice == NULL)
    return;

  if (choice->tune != NULL)
    atelier_prompt_target_for_tune (choice->tune, target);
  else
    {
      target->tune_id = choice->id;
      target->flux = choice->id == ATELIER_FLUX_TUNE_ID;
    }
}

gint64
atelier_prompt_editor_get_target_tune_id (AtelierPromptEditor *self)
{
  AtelierPromptTarget target;

  g_return_val_if_fail (ATELIER_IS_PROMPT_EDITOR (self), 0);

  get_target (self, &target);
  return target.tune_id;
}

static char *
dup_text (AtelierPromptEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
update_subtitle (AtelierPromptEditor *self)
{
  AtelierPromptTarget target;
  g_autofree char *subtitle = NULL;
  const char *base = NULL;

  get_target (self, &target);
  if (target.tune_id == 0)
    {
      adw_window_title_set_subtitle (self->window_title, NULL);
      return;
    }

  if (target.tune_id == ATELIER_FLUX_TUNE_ID)
    base = "Flux1.dev";
  else if (target.tune_id == ATELIER_SDXL_TUNE_ID)
    base = "SDXL 1.0";
  else if (target.tune_id == ATELIER_RV51_TUNE_ID)
    base = "Realistic Vision 5.1";

  if (target.tag_tune_id != 0 && base != NULL)
    subtitle = g_strdup_printf (_("Runs on %s with the tune’s tag"), base);
  else if (base != NULL)
    subtitle = g_strdup_printf (_("Runs on %s"), base);
  else
    {
      guint selected = adw_combo_row_get_selected (self->tune_row);
      g_autoptr(GtkStringObject) name = g_list_model_get_item (G_LIST_MODEL (self->choice_names), selected);

      subtitle = name != NULL ? g_strdup_printf (_("Runs on %s"), gtk_string_object_get_string (name))
                              : g_strdup_printf (_("Runs on tune %" G_GINT64_FORMAT), target.tune_id);
    }

  adw_window_title_set_subtitle (self->window_title, subtitle);
}

/* The text: tags highlighted, problems under it */

static void
highlight_tags (AtelierPromptEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  g_autofree char *text = dup_text (self);
  g_autoptr(GArray) tags = atelier_prompt_tags_parse (text);
  g_autoptr(GString) notes = g_string_new (NULL);
  const Choice *choice = selected_choice (self);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_all_tags (buffer, &start, &end);

  for (guint i = 0; i < tags->len; i++)
    {
      const AtelierPromptTag *tag = &g_array_index (tags, AtelierPromptTag, i);
      const char *style;

      gtk_text_buffer_get_iter_at_offset (buffer, &start, (int) g_utf8_pointer_to_offset (text, text + tag->start));
      gtk_text_buffer_get_iter_at_offset (buffer, &end, (int) g_utf8_pointer_to_offset (text, text + tag->end));

      if (!tag->valid)
        {
          g_autofree char *source = g_strndup (text + tag->start, tag->end - tag->start);

          style = "bad";
          g_string_append_printf (notes, notes->len > 0 ? "\n%s" : "%s", "");
          g_string_append_printf (notes, _("“%s”: %s"), source, _(tag->problem));
        }
      else if (tag->kind == ATELIER_PROMPT_TAG_LORA)
        style = "lora";
      else if (tag->kind == ATELIER_PROMPT_TAG_FACEID)
        style = "faceid";
      else
        {
          style = "characteristic";
          if (choice != NULL && choice->tune != NULL &&
              atelier_tune_get_characteristic (choice->tune, tag->name) == NULL)
            {
              g_string_append_printf (notes, notes->len > 0 ? "\n%s" : "%s", "");
              g_string_append_printf (notes, _("{{%s}} is not a characteristic of this tune: it is sent as written."),
                                      tag->name);
            }
        }

      gtk_text_buffer_apply_tag_by_name (buffer, style, &start, &end);
    }

  gtk_label_set_label (self->text_note, notes->str);
  gtk_widget_set_visible (GTK_WIDGET (self->text_note), notes->len > 0);
}

static void
text_changed_cb (AtelierPromptEditor *self)
{
  g_autofree char *text = dup_text (self);

  highlight_tags (self);
  if (self->updating)
    return;

  atelier_params_set_string (params (self), "text", *text != '\0' ? text : NULL);
  revalidate (self);
}

static void
set_text (AtelierPromptEditor *self,
          const char          *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text != NULL ? text : "", -1);
}

static void
insert_text (AtelierPromptEditor *self,
             const char          *insertion)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter iter;
  g_autofree char *spaced = NULL;
  gboolean space_before = FALSE;

  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  if (!gtk_text_iter_is_start (&iter))
    {
      GtkTextIter before = iter;

      gtk_text_iter_backward_char (&before);
      space_before = !g_unichar_isspace (gtk_text_iter_get_char (&before));
    }

  spaced = g_strconcat (space_before ? " " : "", insertion, " ", NULL);
  gtk_text_buffer_insert_at_cursor (buffer, spaced, -1);
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

/* Makes sure a LoRA or FaceID tune's tag is in the text. */
static void
ensure_tag (AtelierPromptEditor *self)
{
  AtelierPromptTarget target;
  g_autofree char *text = NULL;
  g_autofree char *tag = NULL;
  g_autofree char *new_text = NULL;

  get_target (self, &target);
  if (target.tag_tune_id == 0)
    return;

  text = dup_text (self);
  if (atelier_prompt_tags_has_tune (text, target.tag_tune_id))
    return;

  tag = target.tag_kind == ATELIER_PROMPT_TAG_FACEID
        ? atelier_prompt_tag_format_faceid (target.tag_tune_id)
        : atelier_prompt_tag_format_lora (target.tag_tune_id, 1.0);
  new_text = g_strconcat (tag, *text != '\0' ? " " : "", text, NULL);
  set_text (self, new_text);
}

/* The insert-tag menu */

static void
rebuild_insert_menu (AtelierPromptEditor *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) tunes = g_menu_new ();
  g_autoptr(GMenu) characteristics = g_menu_new ();
  const Choice *choice = selected_choice (self);

  for (guint i = 0; i < self->choices->len; i++)
    {
      const Choice *c = &g_array_index (self->choices, Choice, i);
      const char *model_type = c->tune != NULL ? atelier_tune_get_model_type (c->tune) : NULL;
      g_autofree char *name = NULL;
      g_autofree char *tag = NULL;
      g_autofree char *label = NULL;
      g_autoptr(GMenuItem) item = NULL;

      if (g_strcmp0 (model_type, "lora") == 0)
        {
          tag = atelier_prompt_tag_format_lora (c->id, 1.0);
          name = atelier_tune_dup_display_name (c->tune);
          label = g_strdup_printf (_("LoRA of %s"), name);
        }
      else if (g_strcmp0 (model_type, "faceid") == 0)
        {
          tag = atelier_prompt_tag_format_faceid (c->id);
          name = atelier_tune_dup_display_name (c->tune);
          label = g_strdup_printf (_("FaceID of %s"), name);
        }
      else
        continue;

      item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target_value (item, "editor.insert-tag", g_variant_new_string (tag));
      g_menu_append_item (tunes, item);
    }

  if (choice != NULL && choice->tune != NULL)
    {
      g_auto(GStrv) keys = atelier_tune_dup_characteristic_keys (choice->tune);

      for (guint i = 0; keys[i] != NULL; i++)
        {
          g_autofree char *tag = atelier_prompt_tag_format_characteristic (keys[i]);
          g_autofree char *label = g_strdup_printf ("%s — %s", tag,
                                                    atelier_tune_get_characteristic (choice->tune, keys[i]));
          g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

          g_menu_item_set_action_and_target_value (item, "editor.insert-tag", g_variant_new_string (tag));
          g_menu_append_item (characteristics, item);
        }
    }

  if (g_menu_model_get_n_items (G_MENU_MODEL (tunes)) > 0)
    g_menu_append_section (menu, _("Your LoRA and FaceID Tunes"), G_MENU_MODEL (tunes));
  if (g_menu_model_get_n_items (G_MENU_MODEL (characteristics)) > 0)
    g_menu_append_section (menu, _("Characteristics of This Tune"), G_MENU_MODEL (characteristics));

  gtk_menu_button_set_menu_model (self->insert_button, G_MENU_MODEL (menu));
  gtk_widget_set_sensitive (GTK_WIDGET (self->insert_button), g_menu_model_get_n_items (G_MENU_MODEL (menu)) > 0);
}

static void
insert_tag_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  insert_text (ATELIER_PROMPT_EDITOR (widget), g_variant_get_string (param, NULL));
}

/* Tips from the FaceID and Flux pages */

static void
add_tip (AtelierPromptEditor *self,
         const char          *icon,
         const char          *text,
         const char          *button_label,
         const char          *apply)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *image = gtk_image_new_from_icon_name (icon);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), image);

  if (button_label != NULL)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (button_label);

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "editor.apply-tip");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_string (apply));
      gtk_widget_set_tooltip_text (button, text);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }

  adw_preferences_group_add (self->tips_group, row);
  g_ptr_array_add (self->tip_rows, row);
}

static gboolean
param_is_true (AtelierPromptEditor *self,
               const char          *name)
{
  return atelier_params_has (params (self), name) && atelier_params_get_boolean (params (self), name);
}

static void
update_tips (AtelierPromptEditor *self)
{
  AtelierPromptTarget target;
  g_autofree char *text = dup_text (self);
  const char *style = atelier_params_get_string (params (self), "style");
  const char *scheduler = atelier_params_get_string (params (self), "scheduler");
  gboolean faceid;
  gboolean animated = g_strcmp0 (style, "Animated") == 0 || g_strcmp0 (style, "Comic book") == 0 ||
                      g_strcmp0 (style, "Line art") == 0;

  for (guint i = 0; i < self->tip_rows->len; i++)
    adw_preferences_group_remove (self->tips_group, g_ptr_array_index (self->tip_rows, i));
  g_ptr_array_set_size (self->tip_rows, 0);

  get_target (self, &target);
  faceid = atelier_prompt_tags_has_kind (text, ATELIER_PROMPT_TAG_FACEID) ||
           (target.tag_tune_id != 0 && target.tag_kind == ATELIER_PROMPT_TAG_FACEID);

  if (faceid)
    {
      /* FaceID is an adapter for a gallery checkpoint (the docs use
       * Realistic Vision 5.1), not for Flux or SDXL. */
      if (target.tune_id == ATELIER_FLUX_TUNE_ID || target.tune_id == ATELIER_SDXL_TUNE_ID)
        add_tip (self, "dialog-warning-symbolic",
                 _("FaceID runs on a checkpoint from the gallery, such as Realistic Vision 5.1."),
                 _("Use _Realistic Vision"), "rv51");
      if (!atelier_params_has (params (self), "cfg_scale") || atelier_params_get_double (params (self), "cfg_scale") != 3)
        add_tip (self, "dialog-information-symbolic", _("FaceID works best with a CFG scale of 3."), _("Use _3"), "cfg3");
      if (animated && param_is_true (self, "face_swap"))
        add_tip (self, "dialog-warning-symbolic",
                 _("Turn face swap off for an animated style, and pick an animated model from the gallery."),
                 _("Turn _Off"), "face-swap-off");
      else if (!animated && !param_is_true (self, "face_swap"))
        add_tip (self, "dialog-information-symbolic", _("Face swap works nicely with FaceID to improve the likeness."),
                 _("Turn _On"), "face-swap-on");
      if (!animated && !param_is_true (self, "face_correct"))
        add_tip (self, "dialog-information-symbolic",
                 _("For realistic images, face correct improves the facial features."), _("Turn O_n"), "face-correct");
      if (g_strcmp0 (scheduler, "lcm") != 0)
        add_tip (self, "dialog-information-symbolic", _("For fast generation use the LCM scheduler."),
                 _("Use _LCM"), "lcm");
    }

  if (target.flux)
    add_tip (self, "dialog-information-symbolic",
             _("Flux tunes are LoRAs: the prompt runs on Flux1.dev and loads the tune with its <lora:ID:1> tag."),
             NULL, NULL);
  else if (target.tag_tune_id != 0 && target.tag_kind == ATELIER_PROMPT_TAG_LORA)
    add_tip (self, "dialog-information-symbolic",
             _("LoRA tunes run on their base model and are loaded with their <lora:ID:WEIGHT> tag."), NULL, NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->tips_group), self->tip_rows->len > 0);
}

static void set_field_from_params (AtelierPromptEditor *self,
                                   Field               *field);

static void
set_param_and_field (AtelierPromptEditor *self,
                     const char          *name,
                     const char          *string,
                     double               number,
                     int                  boolean)
{
  if (string != NULL)
    atelier_params_set_string (params (self), name, string);
  else if (boolean >= 0)
    atelier_params_set_boolean (params (self), name, boolean);
  else
    atelier_params_set_double (params (self), name, number);

  self->updating = TRUE;
  set_field_from_params (self, find_field (self, name));
  self->updating = FALSE;
  revalidate (self);
}

static void
apply_tip_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  AtelierPromptEditor *self = ATELIER_PROMPT_EDITOR (widget);
  const char *tip = g_variant_get_string (param, NULL);

  if (g_str_equal (tip, "cfg3"))
    set_param_and_field (self, "cfg_scale", NULL, 3, -1);
  else if (g_str_equal (tip, "face-swap-on"))
    set_param_and_field (self, "face_swap", NULL, 0, TRUE);
  else if (g_str_equal (tip, "face-swap-off"))
    {
      atelier_params_unset (params (self), "face_swap");
      self->updating = TRUE;
      set_field_from_params (self, find_field (self, "face_swap"));
      self->updating = FALSE;
      revalidate (self);
    }
  else if (g_str_equal (tip, "face-correct"))
    set_param_and_field (self, "face_correct", NULL, 0, TRUE);
  else if (g_str_equal (tip, "lcm"))
    set_param_and_field (self, "scheduler", "lcm", 0, -1);
  else if (g_str_equal (tip, "rv51"))
    {
      self->picked = TRUE;
      select_choice (self, ATELIER_RV51_TUNE_ID);
    }
}

/* Validation */

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

/* "Label: message" for the field @name. */
static char *
describe_error (const char *name,
                const char *message)
{
  return g_strdup_printf ("%s %s", atelier_prompt_field_label (name), message);
}

/* Shows @errors (AtelierFieldError) and the parse errors next to their
 * fields; returns how many there are. */
static guint
show_errors (AtelierPromptEditor *self,
             GPtrArray           *errors,
             Field              **first)
{
  g_autoptr(GString) text_errors = g_string_new (NULL);
  guint n = 0;

  *first = NULL;

  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);
      g_autofree char *message = NULL;

      if (field->parse_error != NULL)
        message = g_strdup (field->parse_error);

      for (guint j = 0; message == NULL && j < errors->len; j++)
        {
          AtelierFieldError *error = g_ptr_array_index (errors, j);

          if (g_str_equal (error->field, field->desc->name))
            message = describe_error (error->field, error->message);
        }

      show_field_error (field, message);
      if (message != NULL)
        {
          n++;
          if (*first == NULL)
            *first = field;
        }
    }

  for (guint j = 0; j < errors->len; j++)
    {
      AtelierFieldError *error = g_ptr_array_index (errors, j);
      g_autofree char *message = NULL;

      if (find_field (self, error->field) != NULL)
        continue;
      if (g_str_equal (error->field, "text") && !self->show_required &&
          !atelier_params_has (params (self), "text"))
        continue;

      message = g_str_equal (error->field, "text") ? describe_error ("text", error->message)
                                                   : g_strdup_printf ("%s: %s", error->field, error->message);
      g_string_append_printf (text_errors, text_errors->len > 0 ? "\n%s" : "%s", message);
      n++;
    }

  gtk_label_set_label (self->text_error, text_errors->str);
  gtk_widget_set_visible (GTK_WIDGET (self->text_error), text_errors->len > 0);
  if (text_errors->len > 0)
    gtk_widget_add_css_class (gtk_widget_get_parent (GTK_WIDGET (self->text_view)), "error");
  else
    gtk_widget_remove_css_class (gtk_widget_get_parent (GTK_WIDGET (self->text_view)), "error");

  return n;
}

static guint
revalidate_full (AtelierPromptEditor *self,
                 Field              **first)
{
  g_autoptr(GPtrArray) errors = atelier_params_validate_all (params (self));
  guint n = show_errors (self, errors, first);

  update_tips (self);
  return n;
}

static void
revalidate (AtelierPromptEditor *self)
{
  Field *first;

  if (!self->updating)
    revalidate_full (self, &first);
}

/* Fields -> params */

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
update_param_from_field (AtelierPromptEditor *self,
                         Field               *field)
{
  const char *name = field->desc->name;
  const AtelierParamSpec *spec = atelier_params_find_spec (params (self), name);

  g_clear_pointer (&field->parse_error, g_free);

  switch (field->desc->kind)
    {
    case FIELD_ENTRY:
      {
        g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (field->row))));
        double value;

        if (*text == '\0')
          atelier_params_unset (params (self), name);
        else if (spec->type == ATELIER_PARAM_STRING)
          atelier_params_set_string (params (self), name, text);
        else if (!parse_number (text, spec->type == ATELIER_PARAM_INT, &value))
          {
            atelier_params_unset (params (self), name);
            field->parse_error = describe_error (name, spec->type == ATELIER_PARAM_INT ? _("must be a whole number")
                                                                                       : _("must be a number"));
          }
        else if (spec->type == ATELIER_PARAM_INT)
          atelier_params_set_int (params (self), name, (gint64) value);
        else
          atelier_params_set_double (params (self), name, value);
      }
      break;

    case FIELD_SWITCH:
      if (gtk_switch_get_active (GTK_SWITCH (field->control)))
        atelier_params_set_boolean (params (self), name, TRUE);
      else
        atelier_params_unset (params (self), name);
      break;

    case FIELD_COMBO:
      {
        guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (field->row));

        if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
          atelier_params_unset (params (self), name);
        else
          atelier_params_set_string (params (self), name, spec->choices[selected - 1]);
      }
      break;

    case FIELD_SPIN:
      atelier_params_set_int (params (self), name,
                              gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (field->control)));
      break;

    case FIELD_FILE:
      atelier_params_set_file (params (self), name, field->file);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
sync_aspect (AtelierPromptEditor *self)
{
  gint64 w = atelier_params_get_int (params (self), "w");
  gint64 h = atelier_params_get_int (params (self), "h");
  guint selected = 0;

  if (self->aspect_row == NULL)
    return;

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
field_changed_cb (Field *field)
{
  AtelierPromptEditor *self = field->editor;

  if (self->updating)
    return;

  update_param_from_field (self, field);
  if (g_str_equal (field->desc->name, "w") || g_str_equal (field->desc->name, "h"))
    sync_aspect (self);
  revalidate (self);
}

/* Params -> fields */

static void
update_file_row (Field *field)
{
  g_autofree char *name = field->file != NULL ? g_file_get_basename (field->file) : NULL;

  adw_action_row_set_subtitle (ADW_ACTION_ROW (field->row), name != NULL ? name : _("None"));
  gtk_widget_set_visible (field->control, field->file != NULL);
}

static void
set_field_from_params (AtelierPromptEditor *self,
                       Field               *field)
{
  const char *name = field->desc->name;
  const AtelierParamSpec *spec = atelier_params_find_spec (params (self), name);
  gboolean has = atelier_params_has (params (self), name);

  g_clear_pointer (&field->parse_error, g_free);

  switch (field->desc->kind)
    {
    case FIELD_ENTRY:
      {
        g_autofree char *text = has ? atelier_prompt_field_format (params (self), name) : NULL;

        gtk_editable_set_text (GTK_EDITABLE (field->row), text != NULL ? text : "");
      }
      break;

    case FIELD_SWITCH:
      gtk_switch_set_active (GTK_SWITCH (field->control), has && atelier_params_get_boolean (params (self), name));
      break;

    case FIELD_COMBO:
      {
        const char *value = has ? atelier_params_get_string (params (self), name) : NULL;
        guint selected = 0;

        for (guint i = 0; value != NULL && spec->choices[i] != NULL; i++)
          {
            if (g_str_equal (spec->choices[i], value))
              selected = i + 1;
          }
        adw_combo_row_set_selected (ADW_COMBO_ROW (field->row), selected);
      }
      break;

    case FIELD_SPIN:
      if (!has)
        atelier_params_set_int (params (self), name, DEFAULT_NUM_IMAGES);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (field->control), (double) atelier_params_get_int (params (self), name));
      break;

    case FIELD_FILE:
      g_set_object (&field->file, atelier_params_get_file (params (self), name));
      update_file_row (field);
      break;

    default:
      g_assert_not_reached ();
    }

  /* A set value shows its section. */
  if (has && self->expanders[field->desc->section] != NULL &&
      field->desc->kind != FIELD_SPIN)
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self->expanders[field->desc->section]), TRUE);
}

void
atelier_prompt_editor_set_params (AtelierPromptEditor *self,
                                  AtelierPromptParams *new_params)
{
  g_return_if_fail (ATELIER_IS_PROMPT_EDITOR (self));
  g_return_if_fail (ATELIER_IS_PROMPT_PARAMS (new_params));

  /* A copy: the editor changes its params as the user types. */
  g_clear_object (&self->params);
  self->params = atelier_prompt_params_new ();
  {
    const AtelierParamSpec *specs;
    guint n_specs;

    specs = atelier_params_get_specs (ATELIER_PARAMS (new_params), &n_specs);
    for (guint i = 0; i < n_specs; i++)
      {
        const char *name = specs[i].name;

        if (!atelier_params_has (ATELIER_PARAMS (new_params), name))
          continue;
        switch (specs[i].type)
          {
          case ATELIER_PARAM_STRING:
            atelier_params_set_string (params (self), name, atelier_params_get_string (ATELIER_PARAMS (new_params), name));
            break;
          case ATELIER_PARAM_INT:
            atelier_params_set_int (params (self), name, atelier_params_get_int (ATELIER_PARAMS (new_params), name));
            break;
          case ATELIER_PARAM_DOUBLE:
            atelier_params_set_double (params (self), name, atelier_params_get_double (ATELIER_PARAMS (new_params), name));
            break;
          case ATELIER_PARAM_BOOLEAN:
            /* Off is what a switch sends as nothing. */
            if (atelier_params_get_boolean (ATELIER_PARAMS (new_params), name))
              atelier_params_set_boolean (params (self), name, TRUE);
            break;
          case ATELIER_PARAM_FILE:
            atelier_params_set_file (params (self), name, atelier_params_get_file (ATELIER_PARAMS (new_params), name));
            break;
          default:
            break;
          }
      }
  }

  self->updating = TRUE;
  set_text (self, atelier_params_get_string (params (self), "text"));
  for (guint i = 0; i < self->fields->len; i++)
    set_field_from_params (self, g_ptr_array_index (self->fields, i));
  self->updating = FALSE;

  sync_aspect (self);
  revalidate (self);
}

AtelierPromptParams *
atelier_prompt_editor_dup_params (AtelierPromptEditor *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPT_EDITOR (self), NULL);
  return g_object_ref (self->params);
}

/* Building the form */

static GtkStringList *
choice_list (const AtelierParamSpec *spec)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, g_str_equal (spec->name, "controlnet") ||
                                g_str_equal (spec->name, "style") ||
                                g_str_equal (spec->name, "color_grading")
                                ? _("None") : _("Account Default"));
  for (guint i = 0; spec->choices[i] != NULL; i++)
    gtk_string_list_append (list, spec->choices[i]);

  return list;
}

static void
file_chosen_cb (GtkNativeDialog *dialog,
                int              response,
                gpointer         user_data)
{
  Field *field = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_set_object (&field->file, NULL);
      field->file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      update_file_row (field);
      field_changed_cb (field);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
choose_file_cb (GtkButton *button,
                Field     *field)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (atelier_prompt_field_label (field->desc->name),
                                         GTK_WINDOW (field->editor), GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("Images"));
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_mime_type (filter, "image/webp");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
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

static GtkWidget *
make_row (AtelierPromptEditor *self,
          Field               *field)
{
  const char *name = field->desc->name;
  const char *label = atelier_prompt_field_label (name);
  const char *help = atelier_prompt_field_help (name);
  const AtelierParamSpec *spec = atelier_params_find_spec (params (self), name);
  GtkWidget *row = NULL;

  switch (field->desc->kind)
    {
    case FIELD_ENTRY:
      row = adw_entry_row_new ();
      g_signal_connect_swapped (row, "changed", G_CALLBACK (field_changed_cb), field);
      break;

    case FIELD_SWITCH:
      row = adw_action_row_new ();
      field->control = gtk_switch_new ();
      gtk_widget_set_valign (field->control, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (field->control), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), field->control);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), field->control);
      g_signal_connect_swapped (field->control, "notify::active", G_CALLBACK (field_changed_cb), field);
      break;

    case FIELD_COMBO:
      {
        g_autoptr(GtkStringList) list = choice_list (spec);

        row = adw_combo_row_new ();
        adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (list));
        g_signal_connect_swapped (row, "notify::selected", G_CALLBACK (field_changed_cb), field);
      }
      break;

    case FIELD_SPIN:
      row = adw_action_row_new ();
      field->control = gtk_spin_button_new_with_range (spec->min, spec->max, 1);
      gtk_widget_set_valign (field->control, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (field->control), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), field->control);
      g_signal_connect_swapped (field->control, "value-changed", G_CALLBACK (field_changed_cb), field);
      break;

    case FIELD_FILE:
      {
        GtkWidget *choose = gtk_button_new_from_icon_name ("document-open-symbolic");

        row = adw_action_row_new ();
        gtk_widget_set_valign (choose, GTK_ALIGN_CENTER);
        gtk_widget_add_css_class (choose, "flat");
        gtk_widget_set_tooltip_text (choose, _("Choose a File"));
        gtk_accessible_update_property (GTK_ACCESSIBLE (choose), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Choose a file"), -1);
        g_signal_connect (choose, "clicked", G_CALLBACK (choose_file_cb), field);

        field->control = gtk_button_new_from_icon_name ("edit-clear-symbolic");
        gtk_widget_set_valign (field->control, GTK_ALIGN_CENTER);
        gtk_widget_add_css_class (field->control, "flat");
        gtk_widget_set_tooltip_text (field->control, _("Remove"));
        gtk_accessible_update_property (GTK_ACCESSIBLE (field->control), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove the file"), -1);
        g_signal_connect (field->control, "clicked", G_CALLBACK (clear_file_cb), field);

        adw_action_row_add_suffix (ADW_ACTION_ROW (row), field->control);
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), choose);
        adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), choose);
        field->row = row;
        update_file_row (field);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
  if (help != NULL)
    {
      if (ADW_IS_ACTION_ROW (row) && field->desc->kind != FIELD_FILE)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), help);
      gtk_widget_set_tooltip_text (row, help);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_set_name (row, name);

  return row;
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
add_to_section (AtelierPromptEditor *self,
                Section              section,
                GtkWidget           *row)
{
  if (self->expanders[section] != NULL)
    adw_expander_row_add_row (ADW_EXPANDER_ROW (self->expanders[section]), row);
  else if (section == SECTION_IMAGES)
    adw_preferences_group_add (self->images_group, row);
  else
    adw_preferences_group_add (self->enhancements_group, row);
}

static void
aspect_selected_cb (AtelierPromptEditor *self)
{
  guint selected = adw_combo_row_get_selected (self->aspect_row);
  AtelierPromptTarget target;
  gboolean small;
  Field *w, *h;

  if (self->updating || selected == 0 || selected >= G_N_ELEMENTS (aspects))
    return;

  get_target (self, &target);
  small = target.tune_id == ATELIER_RV51_TUNE_ID ||
          (selected_choice (self) != NULL && selected_choice (self)->tune != NULL &&
           g_strcmp0 (atelier_tune_get_branch (selected_choice (self)->tune), "sd15") == 0);

  atelier_params_set_int (params (self), "w", small ? aspects[selected].small_w : aspects[selected].w);
  atelier_params_set_int (params (self), "h", small ? aspects[selected].small_h : aspects[selected].h);

  w = find_field (self, "w");
  h = find_field (self, "h");
  self->updating = TRUE;
  set_field_from_params (self, w);
  set_field_from_params (self, h);
  self->updating = FALSE;
  revalidate (self);
}

static void
build_form (AtelierPromptEditor *self)
{
  static const struct
  {
    Section     section;
    const char *title;
    const char *subtitle;
  } expanders[] = {
    { SECTION_SAMPLING, N_("Sampling"), N_("CFG scale, steps, scheduler and size") },
    { SECTION_STYLE, N_("Style"), N_("Style, colour grading, film grain, weighted prompts, backend") },
    { SECTION_IMG2IMG, N_("Img2img and ControlNet"), N_("Start from an image, with a mask or a ControlNet") },
    { SECTION_ADVANCED, N_("Advanced"), N_("Callback URL") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expanders); i++)
    {
      GtkWidget *expander = adw_expander_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), _(expanders[i].title));
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), _(expanders[i].subtitle));
      adw_preferences_group_add (self->more_group, expander);
      self->expanders[expanders[i].section] = expander;
    }

  for (guint i = 0; i < G_N_ELEMENTS (field_descs); i++)
    {
      Field *field = g_new0 (Field, 1);

      field->desc = &field_descs[i];
      field->editor = self;
      field->row = make_row (self, field);
      field->error_row = make_error_row ();
      g_ptr_array_add (self->fields, field);

      /* The aspect presets come before width and height. */
      if (g_str_equal (field->desc->name, "w"))
        {
          g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

          for (guint j = 0; j < G_N_ELEMENTS (aspects); j++)
            gtk_string_list_append (list, _(aspects[j].label));
          self->aspect_row = ADW_COMBO_ROW (adw_combo_row_new ());
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->aspect_row), _("Aspect"));
          adw_combo_row_set_model (self->aspect_row, G_LIST_MODEL (list));
          gtk_widget_set_tooltip_text (GTK_WIDGET (self->aspect_row),
                                       _("Fills in width and height for the chosen tune’s model"));
          g_signal_connect_swapped (self->aspect_row, "notify::selected", G_CALLBACK (aspect_selected_cb), self);
          add_to_section (self, SECTION_SAMPLING, GTK_WIDGET (self->aspect_row));
        }

      add_to_section (self, field->desc->section, field->row);
      add_to_section (self, field->desc->section, field->error_row);
    }

  self->updating = TRUE;
  for (guint i = 0; i < self->fields->len; i++)
    set_field_from_params (self, g_ptr_array_index (self->fields, i));
  self->updating = FALSE;
}

/* Tunes */

static void
append_choice (AtelierPromptEditor *self,
               gint64               id,
               AtelierTune         *tune,
               const char          *name)
{
  Choice choice = { id, tune != NULL ? g_object_ref (tune) : NULL };

  g_array_append_val (self->choices, choice);
  gtk_string_list_append (self->choice_names, name);
}

static void
select_choice (AtelierPromptEditor *self,
               gint64               id)
{
  for (guint i = 0; i < self->choices->len; i++)
    {
      if (g_array_index (self->choices, Choice, i).id == id)
        {
          adw_combo_row_set_selected (self->tune_row, i);
          return;
        }
    }
}

static void
set_choices (AtelierPromptEditor *self,
             GPtrArray           *tunes,
             AtelierTune         *extra)
{
  const Choice *current = selected_choice (self);
  gint64 selected_id = 0;
  gboolean has_extra = FALSE;

  /* Keep what the user or the caller chose; otherwise the newest tune. */
  if (self->wanted_id != 0)
    selected_id = self->wanted_id;
  else if (self->picked && current != NULL)
    selected_id = current->id;
  self->updating = TRUE;
  gtk_string_list_splice (self->choice_names, 0, g_list_model_get_n_items (G_LIST_MODEL (self->choice_names)), NULL);
  g_array_set_size (self->choices, 0);

  for (guint i = 0; tunes != NULL && i < tunes->len; i++)
    {
      AtelierTune *tune = g_ptr_array_index (tunes, i);
      g_autofree char *name = atelier_tune_dup_display_name (tune);

      has_extra |= extra != NULL && atelier_tune_get_id (tune) == atelier_tune_get_id (extra);
      append_choice (self, atelier_tune_get_id (tune), tune, name);
    }
  if (extra != NULL && !has_extra)
    {
      g_autofree char *name = atelier_tune_dup_display_name (extra);
      append_choice (self, atelier_tune_get_id (extra), extra, name);
    }

  append_choice (self, ATELIER_FLUX_TUNE_ID, NULL, _("Flux1.dev (base model)"));
  append_choice (self, ATELIER_SDXL_TUNE_ID, NULL, _("SDXL 1.0 (base model)"));
  append_choice (self, ATELIER_RV51_TUNE_ID, NULL, _("Realistic Vision 5.1 (base model)"));

  if (selected_id != 0)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < self->choices->len; i++)
        found |= g_array_index (self->choices, Choice, i).id == selected_id;
      if (!found)
        {
          g_autofree char *name = g_strdup_printf (_("Tune %" G_GINT64_FORMAT), selected_id);
          append_choice (self, selected_id, NULL, name);
        }
      select_choice (self, selected_id);
    }
  self->updating = FALSE;

  rebuild_insert_menu (self);
  update_subtitle (self);
  highlight_tags (self);
  revalidate (self);
}

static void
tunes_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  AtelierPromptEditor *self = user_data;
  g_autoptr(GPtrArray) tunes = NULL;
  g_autoptr(GError) error = NULL;

  tunes = atelier_tune_choices_fetch_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (tunes == NULL)
    {
      atelier_widget_show_error (GTK_WIDGET (self), error);
      return;
    }

  g_clear_pointer (&self->tunes, g_ptr_array_unref);
  self->tunes = g_ptr_array_ref (tunes);
  set_choices (self, tunes, self->tune);
  self->wanted_id = 0;
}

static void
tune_selected_cb (AtelierPromptEditor *self)
{
  if (self->updating)
    return;

  self->wanted_id = 0;
  self->picked = TRUE;
  ensure_tag (self);
  rebuild_insert_menu (self);
  update_subtitle (self);
  highlight_tags (self);
  revalidate (self);
}

void
atelier_prompt_editor_set_target_tune_id (AtelierPromptEditor *self,
                                          gint64               tune_id)
{
  g_return_if_fail (ATELIER_IS_PROMPT_EDITOR (self));

  self->wanted_id = tune_id;
  set_choices (self, self->tunes, self->tune);
  select_choice (self, tune_id);
}

/* Generating */

static void
set_busy (AtelierPromptEditor *self,
          gboolean             busy)
{
  gtk_revealer_set_reveal_child (self->progress_revealer, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.generate", !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->scrolled_window), !busy);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  if (busy)
    gtk_progress_bar_pulse (self->progress_bar);
}

static void
progress_cb (goffset  sent,
             goffset  total,
             gpointer user_data)
{
  AtelierPromptEditor *self = user_data;

  if (total > 0)
    gtk_progress_bar_set_fraction (self->progress_bar, (double) sent / total);
  else
    gtk_progress_bar_pulse (self->progress_bar);
}

static void
created_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(AtelierPromptEditor) self = user_data;
  g_autoptr(AtelierPrompt) prompt = NULL;
  g_autoptr(GError) error = NULL;
  AtelierShell *shell;

  prompt = atelier_astria_client_create_prompt_finish (ATELIER_ASTRIA_CLIENT (source), result, &error);
  g_clear_object (&self->create_cancellable);
  set_busy (self, FALSE);

  if (prompt == NULL)
    {
      g_autoptr(GPtrArray) fields = atelier_api_error_get_field_errors (error);
      Field *first;

      /* The server's own field errors go next to the fields too. */
      if (fields != NULL && fields->len > 0)
        show_errors (self, fields, &first);
      atelier_widget_show_error (GTK_WIDGET (self), error);
      return;
    }

  g_signal_emit (self, signals[PROMPT_CREATED], 0, prompt);

  /* The gallery shows it at once, pending. */
  atelier_session_announce_prompt (self->session, prompt);

  shell = atelier_shell_find (GTK_WIDGET (self));
  if (shell != NULL)
    {
      g_autofree char *toast = NULL;
      guint n = (guint) MAX (atelier_prompt_get_num_images (prompt), 1);

      atelier_shell_show_page (shell, "gallery");
      toast = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Generating %u image", "Generating %u images", n), n);
      atelier_widget_show_toast (GTK_WIDGET (self), toast);
    }

  gtk_window_destroy (GTK_WINDOW (self));
}

static void
generate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  AtelierPromptEditor *self = ATELIER_PROMPT_EDITOR (widget);
  AtelierAstriaClient *client = atelier_session_get_astria_client (self->session);
  gint64 tune_id = atelier_prompt_editor_get_target_tune_id (self);
  Field *first = NULL;

  self->show_required = TRUE;
  if (revalidate_full (self, &first) > 0)
    {
      if (first != NULL)
        {
          if (self->expanders[first->desc->section] != NULL)
            adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self->expanders[first->desc->section]), TRUE);
          gtk_widget_grab_focus (first->row);
        }
      else
        gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
      gtk_widget_error_bell (widget);
      return;
    }

  if (client == NULL || tune_id == 0)
    {
      gtk_widget_error_bell (widget);
      return;
    }

  self->create_cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  atelier_astria_client_create_prompt_async (client, tune_id, self->params, progress_cb, self,
                                             self->create_cancellable, created_cb, g_object_ref (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AtelierPromptEditor *self = ATELIER_PROMPT_EDITOR (widget);

  /* Sending: stop it and stay. Otherwise close. */
  if (self->create_cancellable != NULL)
    {
      g_cancellable_cancel (self->create_cancellable);
      return;
    }

  gtk_window_destroy (GTK_WINDOW (self));
}

/* GObject */

static void
atelier_prompt_editor_dispose (GObject *object)
{
  AtelierPromptEditor *self = ATELIER_PROMPT_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->create_cancellable);
  g_clear_object (&self->create_cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), ATELIER_TYPE_PROMPT_EDITOR);

  g_clear_object (&self->session);

  G_OBJECT_CLASS (atelier_prompt_editor_parent_class)->dispose (object);
}

static void
atelier_prompt_editor_finalize (GObject *object)
{
  AtelierPromptEditor *self = ATELIER_PROMPT_EDITOR (object);

  g_clear_object (&self->params);
  g_clear_object (&self->tune);
  g_clear_pointer (&self->tunes, g_ptr_array_unref);
  g_ptr_array_unref (self->fields);
  g_ptr_array_unref (self->tip_rows);
  g_array_unref (self->choices);
  g_clear_object (&self->choice_names);

  G_OBJECT_CLASS (atelier_prompt_editor_parent_class)->finalize (object);
}

static void
atelier_prompt_editor_class_init (AtelierPromptEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atelier_prompt_editor_dispose;
  object_class->finalize = atelier_prompt_editor_finalize;

  /* The prompt the service created (pending). */
  signals[PROMPT_CREATED] = g_signal_new ("prompt-created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, ATELIER_TYPE_PROMPT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/atelier/Atelier/prompts/atelier-prompt-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, AtelierPromptEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, AtelierPromptEditor, generate_button);
  gtk_widget_class_bind_template_child (widget_class, AtelierPromptEditor, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, AtelierPromptEditor, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, AtelierPromptEditor, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, AtelierPromptEditor, tune_row);
  gtk_widget_class_bind_template_child (widget_class, AtelierPromptEditor, insert_button);
  gtk_widget_class_bind_template_child (widget_class, AtelierPromptEditor, text_view);
  gtk_widget_class_bind_template_child (widget_class, AtelierPromptEditor, text_error);
  gtk_widget_class_bind_template_child (widget_class, AtelierPromptEditor, text_note);
  gtk_widget_class_bind_template_child (widget_class, AtelierPromptEditor, tips_group);
  gtk_widget_class_bind_template_child (widget_class, AtelierPromptEditor, images_group);
  gtk_widget_class_bind_template_child (widget_class, AtelierPromptEditor, enhancements_group);
  gtk_widget_class_bind_template_child (widget_class, AtelierPromptEditor, more_group);

  gtk_widget_class_install_action (widget_class, "editor.generate", NULL, generate_action);
  gtk_widget_class_install_action (widget_class, "editor.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "editor.insert-tag", "s", insert_tag_action);
  gtk_widget_class_install_action (widget_class, "editor.apply-tip", "s", apply_tip_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "editor.generate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "editor.cancel", NULL);
}

static void
atelier_prompt_editor_init (AtelierPromptEditor *self)
{
  GtkTextBuffer *buffer;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->params = atelier_prompt_params_new ();
  self->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_free);
  self->tip_rows = g_ptr_array_new ();
  self->choices = g_array_new (FALSE, TRUE, sizeof (Choice));
  g_array_set_clear_func (self->choices, (GDestroyNotify) choice_clear);
  self->choice_names = gtk_string_list_new (NULL);
  adw_combo_row_set_model (self->tune_row, G_LIST_MODEL (self->choice_names));
  g_signal_connect_swapped (self->tune_row, "notify::selected", G_CALLBACK (tune_selected_cb), self);

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_create_tag (buffer, "lora", "foreground", "#1c71d8", "weight", PANGO_WEIGHT_BOLD, NULL);
  gtk_text_buffer_create_tag (buffer, "faceid", "foreground", "#9141ac", "weight", PANGO_WEIGHT_BOLD, NULL);
  gtk_text_buffer_create_tag (buffer, "characteristic", "foreground", "#26a269", "weight", PANGO_WEIGHT_BOLD, NULL);
  gtk_text_buffer_create_tag (buffer, "bad", "underline", PANGO_UNDERLINE_ERROR, NULL);
  g_signal_connect_swapped (buffer, "changed", G_CALLBACK (text_changed_cb), self);

  build_form (self);
  set_choices (self, NULL, NULL);
}

AtelierPromptEditor *
atelier_prompt_editor_new (AtelierSession *session,
                           AtelierTune    *tune_or_null)
{
  AtelierPromptEditor *self;
  AtelierAstriaClient *client;

  g_return_val_if_fail (ATELIER_IS_SESSION (session), NULL);
  g_return_val_if_fail (tune_or_null == NULL || ATELIER_IS_TUNE (tune_or_null), NULL);

  self = g_object_new (ATELIER_TYPE_PROMPT_EDITOR, NULL);
  self->session = g_object_ref (session);

  if (tune_or_null != NULL)
    {
      self->tune = g_object_ref (tune_or_null);
      self->wanted_id = atelier_tune_get_id (tune_or_null);
      set_choices (self, NULL, tune_or_null);
      select_choice (self, self->wanted_id);
      ensure_tag (self);
    }

  client = atelier_session_get_astria_client (session);
  if (client != NULL)
    {
      self->cancellable = g_cancellable_new ();
      atelier_tune_choices_fetch_async (client, MAX_TUNE_PAGES, self->cancellable, tunes_cb, self);
    }

  return self;
}
