/* atelier-prompt-text.c: the prompt text, with its tags highlighted
 *
 * After every change the tags atelier_prompt_tags_parse() finds are
 * styled (LoRA, FaceID, characteristic, malformed) and :notes is set.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-prompt-text.h"
#include "atelier-tune-choices.h"

struct _AtelierPromptText
{
  GtkTextView  parent_instance;

  AtelierTune *tune;
  char        *notes;
};

G_DEFINE_FINAL_TYPE (AtelierPromptText, atelier_prompt_text, GTK_TYPE_TEXT_VIEW)

enum {
  PROP_0,
  PROP_NOTES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_notes (AtelierPromptText *self,
           const char        *notes)
{
  if (g_strcmp0 (self->notes, notes) == 0)
    return;

  g_free (self->notes);
  self->notes = g_strdup (notes);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTES]);
}

/* Appends @note as a line of its own. */
static void
add_note (GString    *notes,
          const char *note)
{
  if (notes->len > 0)
    g_string_append_c (notes, '\n');
  g_string_append (notes, note);
}

static void
highlight (AtelierPromptText *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  g_autofree char *text = atelier_prompt_text_dup_text (self);
  g_autoptr(GArray) tags = atelier_prompt_tags_parse (text);
  g_autoptr(GString) notes = g_string_new (NULL);
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
          g_autofree char *note = g_strdup_printf (_("“%s”: %s"), source, _(tag->problem));

          style = "bad";
          add_note (notes, note);
        }
      else if (tag->kind == ATELIER_PROMPT_TAG_LORA)
        style = "lora";
      else if (tag->kind == ATELIER_PROMPT_TAG_FACEID)
        style = "faceid";
      else
        {
          style = "characteristic";
          if (self->tune != NULL && atelier_tune_get_characteristic (self->tune, tag->name) == NULL)
            {
              g_autofree char *note = g_strdup_printf (_("{{%s}} is not a characteristic of this tune: it is sent as written."),
                                                       tag->name);
              add_note (notes, note);
            }
        }

      gtk_text_buffer_apply_tag_by_name (buffer, style, &start, &end);
    }

  set_notes (self, notes->str);
}

char *
atelier_prompt_text_dup_text (AtelierPromptText *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (ATELIER_IS_PROMPT_TEXT (self), NULL);

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

void
atelier_prompt_text_set_text (AtelierPromptText *self,
                              const char        *text)
{
  g_return_if_fail (ATELIER_IS_PROMPT_TEXT (self));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self)), text != NULL ? text : "", -1);
}

void
atelier_prompt_text_set_tune (AtelierPromptText *self,
                              AtelierTune       *tune)
{
  g_return_if_fail (ATELIER_IS_PROMPT_TEXT (self));
  g_return_if_fail (tune == NULL || ATELIER_IS_TUNE (tune));

  g_set_object (&self->tune, tune);
  highlight (self);
}

const char *
atelier_prompt_text_get_notes (AtelierPromptText *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPT_TEXT (self), NULL);

  return self->notes;
}

void
atelier_prompt_text_insert_tag (AtelierPromptText *self,
                                const char        *tag)
{
  GtkTextBuffer *buffer;
  GtkTextIter iter;
  g_autofree char *spaced = NULL;
  gboolean space_before = FALSE;

  g_return_if_fail (ATELIER_IS_PROMPT_TEXT (self));
  g_return_if_fail (tag != NULL);

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  if (!gtk_text_iter_is_start (&iter))
    {
      GtkTextIter before = iter;

      gtk_text_iter_backward_char (&before);
      space_before = !g_unichar_isspace (gtk_text_iter_get_char (&before));
    }

  spaced = g_strconcat (space_before ? " " : "", tag, " ", NULL);
  gtk_text_buffer_insert_at_cursor (buffer, spaced, -1);
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

gboolean
atelier_prompt_text_ensure_tag (AtelierPromptText         *self,
                                const AtelierPromptTarget *target)
{
  g_autofree char *text = NULL;
  g_autofree char *tag = NULL;
  g_autofree char *new_text = NULL;

  g_return_val_if_fail (ATELIER_IS_PROMPT_TEXT (self), FALSE);

  if (target->tag_tune_id == 0)
    return FALSE;

  text = atelier_prompt_text_dup_text (self);
  if (atelier_prompt_tags_has_tune (text, target->tag_tune_id))
    return FALSE;

  tag = target->tag_kind == ATELIER_PROMPT_TAG_FACEID
        ? atelier_prompt_tag_format_faceid (target->tag_tune_id)
        : atelier_prompt_tag_format_lora (target->tag_tune_id, 1.0);
  /* A space after it either way: what is typed next is not glued to it. */
  new_text = g_strconcat (tag, " ", text, NULL);
  atelier_prompt_text_set_text (self, new_text);

  return TRUE;
}

static void
append_tag_item (GMenu      *menu,
                 const char *label,
                 const char *tag)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (item, "editor.insert-tag", g_variant_new_string (tag));
  g_menu_append_item (menu, item);
}

GMenuModel *
atelier_prompt_text_build_tag_menu (GPtrArray   *tunes,
                                    AtelierTune *tune)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) adapters = g_menu_new ();
  g_autoptr(GMenu) characteristics = g_menu_new ();

  for (guint i = 0; tunes != NULL && i < tunes->len; i++)
    {
      AtelierTune *adapter = g_ptr_array_index (tunes, i);
      const char *model_type = atelier_tune_get_model_type (adapter);
      gint64 id = atelier_tune_get_id (adapter);
      g_autofree char *name = NULL;
      g_autofree char *tag = NULL;
      g_autofree char *label = NULL;

      if (g_strcmp0 (model_type, "lora") != 0 && g_strcmp0 (model_type, "faceid") != 0)
        continue;

      name = atelier_tune_dup_short_title (adapter);
      if (g_strcmp0 (model_type, "lora") == 0)
        {
          tag = atelier_prompt_tag_format_lora (id, 1.0);
          label = g_strdup_printf (_("LoRA of %s"), name);
        }
      else
        {
          tag = atelier_prompt_tag_format_faceid (id);
          label = g_strdup_printf (_("FaceID of %s"), name);
        }
      append_tag_item (adapters, label, tag);
    }

  if (tune != NULL)
    {
      g_auto(GStrv) keys = atelier_tune_dup_characteristic_keys (tune);

      for (guint i = 0; keys[i] != NULL; i++)
        {
          g_autofree char *tag = atelier_prompt_tag_format_characteristic (keys[i]);
          g_autofree char *label = g_strdup_printf ("%s — %s", tag, atelier_tune_get_characteristic (tune, keys[i]));

          append_tag_item (characteristics, label, tag);
        }
    }

  if (g_menu_model_get_n_items (G_MENU_MODEL (adapters)) > 0)
    g_menu_append_section (menu, _("Your LoRA and FaceID Tunes"), G_MENU_MODEL (adapters));
  if (g_menu_model_get_n_items (G_MENU_MODEL (characteristics)) > 0)
    g_menu_append_section (menu, _("Characteristics of This Tune"), G_MENU_MODEL (characteristics));

  return G_MENU_MODEL (menu);
}

/* GObject */

static void
atelier_prompt_text_finalize (GObject *object)
{
  AtelierPromptText *self = ATELIER_PROMPT_TEXT (object);

  g_clear_object (&self->tune);
  g_free (self->notes);

  G_OBJECT_CLASS (atelier_prompt_text_parent_class)->finalize (object);
}

static void
atelier_prompt_text_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  AtelierPromptText *self = ATELIER_PROMPT_TEXT (object);

  switch (prop_id)
    {
    case PROP_NOTES:
      g_value_set_string (value, self->notes);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_prompt_text_class_init (AtelierPromptTextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = atelier_prompt_text_finalize;
  object_class->get_property = atelier_prompt_text_get_property;

  properties[PROP_NOTES] =
    g_param_spec_string ("notes", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
atelier_prompt_text_init (AtelierPromptText *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));

  self->notes = g_strdup ("");

  gtk_text_buffer_create_tag (buffer, "lora", "foreground", "#1c71d8", "weight", PANGO_WEIGHT_BOLD, NULL);
  gtk_text_buffer_create_tag (buffer, "faceid", "foreground", "#9141ac", "weight", PANGO_WEIGHT_BOLD, NULL);
  gtk_text_buffer_create_tag (buffer, "characteristic", "foreground", "#26a269", "weight", PANGO_WEIGHT_BOLD, NULL);
  gtk_text_buffer_create_tag (buffer, "bad", "underline", PANGO_UNDERLINE_ERROR, NULL);
  g_signal_connect_swapped (buffer, "changed", G_CALLBACK (highlight), self);
}
