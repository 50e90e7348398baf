/* atelier-pack-view.c: one pack's page in the packs screen
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-pack-run.h"
#include "atelier-pack-ui.h"
#include "atelier-pack-view.h"
#include "atelier-prompt.h"
#include "atelier-tune-ui.h"
#include "atelier-widget-utils.h"

struct _AtelierPackView
{
  AdwBin       parent_instance;

  /* template */
  GtkScrolledWindow   *scrolled_window;
  GtkLabel            *bar_title;
  GtkLabel            *title_label;
  GtkLabel            *base_label;
  GtkLabel            *model_type_label;
  GtkLabel            *likes_label;
  AdwPreferencesGroup *prompts_group;
  GtkListBox          *prices_list;
  GtkListBox          *prompts_list;
  GtkListBox          *runs_list;

  AtelierPack         *pack;
};

G_DEFINE_FINAL_TYPE (AtelierPackView, atelier_pack_view, ADW_TYPE_BIN)

static void
clear_list (GtkListBox *list)
{
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (list, 0)) != NULL)
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

static void
show_prices (AtelierPackView *self)
{
  g_auto(GStrv) classes = atelier_pack_dup_cost_classes (self->pack);

  clear_list (self->prices_list);
  for (guint i = 0; classes[i] != NULL; i++)
    {
      g_autofree char *cost = atelier_format_cost_mc (atelier_pack_get_cost_mc (self->pack, classes[i]));
      GtkWidget *row = atelier_text_row_new (classes[i], NULL);
      GtkWidget *label = gtk_label_new (cost);

      gtk_widget_add_css_class (label, "heading");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      gtk_list_box_append (self->prices_list, row);
    }
}

void
atelier_pack_view_set_pack (AtelierPackView *self,
                            AtelierPack     *pack)
{
  g_autofree char *title = NULL;
  g_autofree char *base = NULL;

  g_return_if_fail (ATELIER_IS_PACK_VIEW (self));
  g_return_if_fail (ATELIER_IS_PACK (pack));

  g_set_object (&self->pack, pack);

  title = atelier_pack_dup_display_title (pack);
  base = atelier_pack_dup_base_name (pack);
  gtk_label_set_label (self->bar_title, title);
  gtk_label_set_label (self->title_label, title);
  gtk_label_set_label (self->base_label, base != NULL ? base : _("Not named"));
  gtk_label_set_label (self->model_type_label, atelier_tune_model_type_label (atelier_pack_get_model_type (pack)));
  show_prices (self);
  atelier_pack_view_set_prompts (self, NULL, _("Loading the prompts…"));
  atelier_pack_view_set_runs (self, NULL);
  atelier_pack_view_set_likes (self, 0);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);
}

AtelierPack *
atelier_pack_view_get_pack (AtelierPackView *self)
{
  g_return_val_if_fail (ATELIER_IS_PACK_VIEW (self), NULL);
  return self->pack;
}

void
atelier_pack_view_set_prompts (AtelierPackView *self,
                               GPtrArray       *prompts,
                               const char      *note)
{
  g_return_if_fail (ATELIER_IS_PACK_VIEW (self));

  clear_list (self->prompts_list);
  {
    /* A group's description is markup; @note may hold a tune's title. */
    g_autofree char *escaped = note != NULL ? g_markup_escape_text (note, -1) : NULL;

    adw_preferences_group_set_description (self->prompts_group, escaped);
  }

  if (prompts == NULL)
    {
      gtk_list_box_set_placeholder (self->prompts_list, NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->prompts_list), FALSE);
      return;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->prompts_list), TRUE);
  gtk_list_box_set_placeholder (self->prompts_list,
                                atelier_pack_placeholder_new (_("This pack has no prompts: a tune made from it "
                                                                "or a run of it creates no images.")));
  for (guint i = 0; i < prompts->len; i++)
    {
      AtelierPrompt *prompt = g_ptr_array_index (prompts, i);
      gint64 n_images = atelier_prompt_get_num_images (prompt);
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      if (n_images > 0)
        subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u image", "%u images", (gulong) n_images),
                                    (guint) n_images);
      row = atelier_text_row_new (atelier_prompt_get_text (prompt) != NULL ? atelier_prompt_get_text (prompt) : "",
                                       subtitle);
      adw_preferences_row_set_title_selectable (ADW_PREFERENCES_ROW (row), TRUE);
      gtk_list_box_append (self->prompts_list, row);
    }
}

void
atelier_pack_view_set_runs (AtelierPackView *self,
                            GPtrArray       *runs)
{
  g_return_if_fail (ATELIER_IS_PACK_VIEW (self));

  clear_list (self->runs_list);
  for (guint i = 0; runs != NULL && i < runs->len; i++)
    {
      AtelierPackRun *run = g_ptr_array_index (runs, i);
      g_autofree char *when = atelier_pack_run_dup_when (run);
      g_autofree char *tunes = atelier_pack_run_dup_tunes_text (run);
      GtkWidget *row = atelier_text_row_new (when, tunes);

      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "packs.open-run");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", atelier_pack_run_get_id (run));
      gtk_widget_set_tooltip_text (row, _("Open the run's prompts and tunes side by side"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_append (self->runs_list, row);
    }
}

void
atelier_pack_view_set_likes (AtelierPackView *self,
                             guint            likes)
{
  g_autofree char *text = g_strdup_printf ("%u", likes);

  g_return_if_fail (ATELIER_IS_PACK_VIEW (self));
  gtk_label_set_label (self->likes_label, text);
}

static void
atelier_pack_view_dispose (GObject *object)
{
  AtelierPackView *self = ATELIER_PACK_VIEW (object);

  atelier_bin_dispose_template (ADW_BIN (self), ATELIER_TYPE_PACK_VIEW);
  g_clear_object (&self->pack);

  G_OBJECT_CLASS (atelier_pack_view_parent_class)->dispose (object);
}

static void
atelier_pack_view_class_init (AtelierPackViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atelier_pack_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/atelier/Atelier/packs/atelier-pack-view.ui");
  gtk_widget_class_bind_template_child (widget_class, AtelierPackView, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, AtelierPackView, bar_title);
  gtk_widget_class_bind_template_child (widget_class, AtelierPackView, title_label);
  gtk_widget_class_bind_template_child (widget_class, AtelierPackView, base_label);
  gtk_widget_class_bind_template_child (widget_class, AtelierPackView, model_type_label);
  gtk_widget_class_bind_template_child (widget_class, AtelierPackView, likes_label);
  gtk_widget_class_bind_template_child (widget_class, AtelierPackView, prompts_group);
  gtk_widget_class_bind_template_child (widget_class, AtelierPackView, prices_list);
  gtk_widget_class_bind_template_child (widget_class, AtelierPackView, prompts_list);
  gtk_widget_class_bind_template_child (widget_class, AtelierPackView, runs_list);
}

static void
atelier_pack_view_init (AtelierPackView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_list_box_set_placeholder (self->prices_list,
                                atelier_pack_placeholder_new (_("The pack lists no prices: what a tune of it "
                                                                "costs is not known.")));
  gtk_list_box_set_placeholder (self->runs_list,
                                atelier_pack_placeholder_new (_("No test runs yet. “Run on Test Tunes…” shows "
                                                                "the pack's prompts on several tunes side by side.")));
}
