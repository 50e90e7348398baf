/* atelier-first-prompts-group.c: the prompts to run once the tune is trained
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-first-prompts-group.h"

struct _AtelierFirstPromptsGroup
{
  AdwPreferencesGroup  parent_instance;

  GPtrArray           *rows;   /* AdwEntryRow (unowned: children), in order */
};

G_DEFINE_FINAL_TYPE (AtelierFirstPromptsGroup, atelier_first_prompts_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
changed (AtelierFirstPromptsGroup *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
remove_row (AtelierFirstPromptsGroup *self,
            GtkWidget                *row)
{
  g_ptr_array_remove (self->rows, row);
  adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), row);
}

static void
remove_clicked_cb (GtkWidget *button,
                   GtkWidget *row)
{
  AtelierFirstPromptsGroup *self = ATELIER_FIRST_PROMPTS_GROUP (gtk_widget_get_ancestor (row, ATELIER_TYPE_FIRST_PROMPTS_GROUP));

  remove_row (self, row);
  changed (self);
}

static AdwEntryRow *
add_row (AtelierFirstPromptsGroup *self,
         const char               *text)
{
  AdwEntryRow *row = ADW_ENTRY_ROW (adw_entry_row_new ());
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Prompt"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (row),
                               _("For example “ohwx woman, portrait in a sunlit studio”: the token stands for the subject"));
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");

  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove Prompt"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove Prompt"), -1);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_clicked_cb), row);
  adw_entry_row_add_suffix (row, remove);

  g_signal_connect_object (row, "notify::text", G_CALLBACK (changed), self, G_CONNECT_SWAPPED);

  g_ptr_array_add (self->rows, row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (row));

  return row;
}

void
atelier_first_prompts_group_set (AtelierFirstPromptsGroup *self,
                                 const char * const       *texts)
{
  g_return_if_fail (ATELIER_IS_FIRST_PROMPTS_GROUP (self));

  while (self->rows->len > 0)
    remove_row (self, g_ptr_array_index (self->rows, self->rows->len - 1));

  for (guint i = 0; texts != NULL && texts[i] != NULL; i++)
    add_row (self, texts[i]);
}

void
atelier_first_prompts_group_add (AtelierFirstPromptsGroup *self)
{
  AdwEntryRow *row;

  g_return_if_fail (ATELIER_IS_FIRST_PROMPTS_GROUP (self));

  row = add_row (self, NULL);
  changed (self);
  gtk_widget_grab_focus (GTK_WIDGET (row));
}

GStrv
atelier_first_prompts_group_dup_texts (AtelierFirstPromptsGroup *self,
                                       gboolean                  skip_empty)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (ATELIER_IS_FIRST_PROMPTS_GROUP (self), NULL);

  for (guint i = 0; i < self->rows->len; i++)
    {
      g_autofree char *text = g_strdup (gtk_editable_get_text (g_ptr_array_index (self->rows, i)));

      g_strstrip (text);
      if (!skip_empty || *text != '\0')
        g_strv_builder_add (builder, text);
    }

  return g_strv_builder_end (builder);
}

static void
atelier_first_prompts_group_finalize (GObject *object)
{
  AtelierFirstPromptsGroup *self = ATELIER_FIRST_PROMPTS_GROUP (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (atelier_first_prompts_group_parent_class)->finalize (object);
}

static void
atelier_first_prompts_group_class_init (AtelierFirstPromptsGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = atelier_first_prompts_group_finalize;

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
atelier_first_prompts_group_init (AtelierFirstPromptsGroup *self)
{
  self->rows = g_ptr_array_new ();
}
