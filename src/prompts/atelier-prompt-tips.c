/* atelier-prompt-tips.c: the FaceID and Flux tips of the prompt editor
 *
 * Which tips apply (first what the api says Astria cannot run, such as
 * several LoRAs on SDXL; FaceID pages: a gallery checkpoint, CFG scale 3,
 * face swap unless animated, face correct for realistic images, LCM for
 * speed; Flux page: tunes are LoRAs loaded by their tag) and their fixes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-prompt-tips.h"
#include "atelier-widget-utils.h"

struct _AtelierPromptTips
{
  AdwPreferencesGroup  parent_instance;

  GPtrArray           *rows;
};

G_DEFINE_FINAL_TYPE (AtelierPromptTips, atelier_prompt_tips, ADW_TYPE_PREFERENCES_GROUP)

static void
add_tip (AtelierPromptTips *self,
         const char        *icon,
         const char        *text,
         const char        *button_label,
         const char        *fix)
{
  GtkWidget *row = atelier_text_row_new (text, NULL);
  GtkWidget *image = gtk_image_new_from_icon_name (icon);

  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), image);

  if (button_label != NULL)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (button_label);

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "editor.apply-tip");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_string (fix));
      gtk_widget_set_tooltip_text (button, text);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
  g_ptr_array_add (self->rows, row);
}

/* The FaceID page's advice. */
static void
add_faceid_tips (AtelierPromptTips         *self,
                 AtelierParams             *params,
                 const AtelierPromptTarget *target)
{
  const char *style = atelier_params_get_string (params, "style");
  gboolean animated = g_strcmp0 (style, "Animated") == 0 || g_strcmp0 (style, "Comic book") == 0 ||
                      g_strcmp0 (style, "Line art") == 0;

  /* FaceID is an adapter for a gallery checkpoint (the docs use
   * Realistic Vision 5.1), not for Flux or SDXL. */
  if (target->tune_id == ATELIER_FLUX_TUNE_ID || target->tune_id == ATELIER_SDXL_TUNE_ID)
    add_tip (self, "dialog-warning-symbolic",
             _("FaceID runs on a checkpoint from the gallery, such as Realistic Vision 5.1."),
             _("Use _Realistic Vision"), "rv51");
  if (!atelier_params_has (params, "cfg_scale") || atelier_params_get_double (params, "cfg_scale") != 3)
    add_tip (self, "dialog-information-symbolic", _("FaceID works best with a CFG scale of 3."), _("Use _3"), "cfg3");
  if (animated && atelier_params_get_boolean (params, "face_swap"))
    add_tip (self, "dialog-warning-symbolic",
             _("Turn face swap off for an animated style, and pick an animated model from the gallery."),
             _("Turn _Off"), "face-swap-off");
  else if (!animated && !atelier_params_get_boolean (params, "face_swap"))
    add_tip (self, "dialog-information-symbolic", _("Face swap works nicely with FaceID to improve the likeness."),
             _("Turn _On"), "face-swap-on");
  if (!animated && !atelier_params_get_boolean (params, "face_correct"))
    add_tip (self, "dialog-information-symbolic",
             _("For realistic images, face correct improves the facial features."), _("Turn O_n"), "face-correct");
  if (g_strcmp0 (atelier_params_get_string (params, "scheduler"), "lcm") != 0)
    add_tip (self, "dialog-information-symbolic", _("For fast generation use the LCM scheduler."),
             _("Use _LCM"), "lcm");
}

guint
atelier_prompt_tips_update (AtelierPromptTips         *self,
                            AtelierParams             *params,
                            const char                *text,
                            const AtelierPromptTarget *target)
{
  g_auto(GStrv) problems = NULL;

  g_return_val_if_fail (ATELIER_IS_PROMPT_TIPS (self), 0);
  g_return_val_if_fail (ATELIER_IS_PARAMS (params), 0);

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);

  /* What Astria cannot run comes first: the user must change the text. */
  problems = atelier_prompt_target_text_problems (target, text);
  for (guint i = 0; problems[i] != NULL; i++)
    add_tip (self, "dialog-error-symbolic", problems[i], NULL, NULL);

  if (atelier_prompt_tags_has_kind (text, ATELIER_PROMPT_TAG_FACEID) ||
      (target->tag_tune_id != 0 && target->tag_kind == ATELIER_PROMPT_TAG_FACEID))
    add_faceid_tips (self, params, target);

  if (target->flux)
    add_tip (self, "dialog-information-symbolic",
             _("Flux tunes are LoRAs: the prompt runs on Flux1.dev and loads the tune with its <lora:ID:1> tag."),
             NULL, NULL);
  else if (target->tag_tune_id != 0 && target->tag_kind == ATELIER_PROMPT_TAG_LORA)
    add_tip (self, "dialog-information-symbolic",
             _("LoRA tunes run on their base model and are loaded with their <lora:ID:WEIGHT> tag."), NULL, NULL);

  gtk_widget_set_visible (GTK_WIDGET (self), self->rows->len > 0);

  return g_strv_length (problems);
}

gboolean
atelier_prompt_tips_apply (AtelierParams *params,
                           const char    *fix)
{
  g_return_val_if_fail (ATELIER_IS_PARAMS (params), FALSE);
  g_return_val_if_fail (fix != NULL, FALSE);

  if (g_str_equal (fix, "cfg3"))
    atelier_params_set_double (params, "cfg_scale", 3);
  else if (g_str_equal (fix, "face-swap-on"))
    atelier_params_set_boolean (params, "face_swap", TRUE);
  else if (g_str_equal (fix, "face-swap-off"))
    atelier_params_unset (params, "face_swap");
  else if (g_str_equal (fix, "face-correct"))
    atelier_params_set_boolean (params, "face_correct", TRUE);
  else if (g_str_equal (fix, "lcm"))
    atelier_params_set_string (params, "scheduler", "lcm");
  else
    return FALSE;

  return TRUE;
}

static void
atelier_prompt_tips_finalize (GObject *object)
{
  AtelierPromptTips *self = ATELIER_PROMPT_TIPS (object);

  g_ptr_array_unref (self->rows);

  G_OBJECT_CLASS (atelier_prompt_tips_parent_class)->finalize (object);
}

static void
atelier_prompt_tips_class_init (AtelierPromptTipsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = atelier_prompt_tips_finalize;
}

static void
atelier_prompt_tips_init (AtelierPromptTips *self)
{
  self->rows = g_ptr_array_new ();
}
