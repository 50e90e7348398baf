/* atelier-picker.c: choosing training photos
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-photo-input.h"
#include "atelier-photo-tile.h"
#include "atelier-picker.h"
#include "atelier-shell.h"
#include "atelier-widget-utils.h"

struct _AtelierPicker
{
  AdwBin                parent_instance;

  /* template */
  GtkWidget            *header_box;
  GtkLabel             *summary_label;
  GtkSpinner           *busy_spinner;
  GtkLabel             *busy_label;
  GtkWidget            *retry_button;
  GtkStack             *stack;
  GtkFlowBox           *flow_box;

  AtelierPhotoList     *list;
};

G_DEFINE_FINAL_TYPE (AtelierPicker, atelier_picker, ADW_TYPE_BIN)

/* The thumbnails are decoded to fill a square tile: a 4:3 photo needs its
 * longer side a third longer than the tile. */
static void
update_thumbnail_size (AtelierPicker *self)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  atelier_photo_list_set_thumbnail_size (self->list, ATELIER_PHOTO_TILE_SIZE * 4 / 3 * MAX (scale, 1));
}

static void
update_header (AtelierPicker *self)
{
  guint n = atelier_photo_list_get_n_photos (self->list);
  guint analyzing = atelier_photo_list_get_n_analyzing (self->list);
  guint inspecting = atelier_photo_list_get_n_inspecting (self->list);
  guint failed = atelier_photo_list_get_n_failed (self->list);
  g_autofree char *busy = NULL;

  if (n == 0)
    gtk_label_set_label (self->summary_label, _("No photos yet"));
  else
    gtk_label_set_label (self->summary_label, atelier_photo_list_get_summary (self->list));

  if (analyzing > 0)
    busy = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Checking %u photo…", "Checking %u photos…", analyzing),
                            analyzing);
  else if (inspecting > 0)
    busy = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Inspecting %u photo…", "Inspecting %u photos…", inspecting),
                            inspecting);

  gtk_label_set_label (self->busy_label, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->busy_label), busy != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->busy_spinner), busy != NULL);
  gtk_spinner_set_spinning (self->busy_spinner, busy != NULL);
  gtk_widget_set_visible (self->retry_button, failed > 0);

  /* Empty, the drop area says it all. */
  gtk_widget_set_visible (self->header_box, n > 0);
  gtk_stack_set_visible_child_name (self->stack, n == 0 ? "empty" : "grid");
}

static void
tile_remove_cb (AtelierPicker    *self,
                AtelierPhotoTile *tile)
{
  atelier_photo_list_remove (self->list, atelier_photo_tile_get_photo (tile));
}

static void
tile_retry_cb (AtelierPicker    *self,
               AtelierPhotoTile *tile)
{
  atelier_photo_list_retry_inspection (self->list, atelier_photo_tile_get_photo (tile));
}

static GtkWidget *
create_tile (gpointer item,
             gpointer user_data)
{
  AtelierPicker *self = user_data;
  GtkWidget *tile = atelier_photo_tile_new (item);
  GtkWidget *child = gtk_flow_box_child_new ();
  const char *name = atelier_training_photo_get_display_name (item);

  atelier_photo_tile_set_class_name (ATELIER_PHOTO_TILE (tile), atelier_photo_list_get_class_name (self->list));
  g_signal_connect_object (tile, "remove", G_CALLBACK (tile_remove_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (tile, "retry", G_CALLBACK (tile_retry_cb), self, G_CONNECT_SWAPPED);

  /* The cell takes the focus: a screen reader says the photo's name. */
  gtk_flow_box_child_set_child (GTK_FLOW_BOX_CHILD (child), tile);
  if (name != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);

  return child;
}

static void
class_name_changed_cb (AtelierPicker *self)
{
  const char *class_name = atelier_photo_list_get_class_name (self->list);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->flow_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *tile = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));

      if (ATELIER_IS_PHOTO_TILE (tile))
        atelier_photo_tile_set_class_name (ATELIER_PHOTO_TILE (tile), class_name);
    }
}

GtkWidget *
atelier_picker_get_tile (AtelierPicker        *self,
                         AtelierTrainingPhoto *photo)
{
  g_return_val_if_fail (ATELIER_IS_PICKER (self), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->flow_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *tile = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));

      if (ATELIER_IS_PHOTO_TILE (tile) && atelier_photo_tile_get_photo (ATELIER_PHOTO_TILE (tile)) == photo)
        return tile;
    }

  return NULL;
}

void
atelier_picker_add_files (AtelierPicker *self,
                          GPtrArray     *files)
{
  guint added;
  guint again;

  g_return_if_fail (ATELIER_IS_PICKER (self));
  g_return_if_fail (files != NULL);

  added = atelier_photo_list_add_files (self->list, files);
  again = files->len - added;
  if (again > 0)
    {
      g_autofree char *text = NULL;

      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u photo was chosen already",
                                           "%u photos were chosen already", again),
                              again);
      atelier_widget_show_toast (GTK_WIDGET (self), text);
    }
}

/* {{{ File chooser and drop */

static void
add_photos (GtkWidget *widget,
            GPtrArray *files)
{
  atelier_picker_add_files (ATELIER_PICKER (widget), files);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  atelier_photo_chooser_show (widget, _("Add Training Photos"), _("_Add"), add_photos);
}

static void
retry_failed_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  atelier_photo_list_retry_failed (ATELIER_PICKER (widget)->list);
}

/* }}} */

/* {{{ GObject */

AtelierPhotoList *
atelier_picker_get_photo_list (AtelierPicker *self)
{
  g_return_val_if_fail (ATELIER_IS_PICKER (self), NULL);
  return self->list;
}

GtkWidget *
atelier_picker_new (void)
{
  return g_object_new (ATELIER_TYPE_PICKER, NULL);
}

static void
atelier_picker_dispose (GObject *object)
{
  AtelierPicker *self = ATELIER_PICKER (object);

  if (self->flow_box != NULL)
    gtk_flow_box_bind_model (self->flow_box, NULL, NULL, NULL, NULL);
  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);

  atelier_bin_dispose_template (ADW_BIN (self), ATELIER_TYPE_PICKER);

  /* Stops the photos' work. */
  g_clear_object (&self->list);

  G_OBJECT_CLASS (atelier_picker_parent_class)->dispose (object);
}

static void
atelier_picker_class_init (AtelierPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atelier_picker_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/atelier/Atelier/picker/atelier-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, AtelierPicker, header_box);
  gtk_widget_class_bind_template_child (widget_class, AtelierPicker, summary_label);
  gtk_widget_class_bind_template_child (widget_class, AtelierPicker, busy_spinner);
  gtk_widget_class_bind_template_child (widget_class, AtelierPicker, busy_label);
  gtk_widget_class_bind_template_child (widget_class, AtelierPicker, retry_button);
  gtk_widget_class_bind_template_child (widget_class, AtelierPicker, stack);
  gtk_widget_class_bind_template_child (widget_class, AtelierPicker, flow_box);

  gtk_widget_class_install_action (widget_class, "picker.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "picker.retry-failed", NULL, retry_failed_action);
}

static void
atelier_picker_init (AtelierPicker *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->list = atelier_photo_list_new ();
  update_thumbnail_size (self);
  g_signal_connect_swapped (self, "notify::scale-factor", G_CALLBACK (update_thumbnail_size), self);

  gtk_flow_box_bind_model (self->flow_box, atelier_photo_list_get_model (self->list),
                           create_tile, self, NULL);

  g_signal_connect_swapped (self->list, "notify::summary", G_CALLBACK (update_header), self);
  g_signal_connect_swapped (self->list, "notify::n-photos", G_CALLBACK (update_header), self);
  g_signal_connect_swapped (self->list, "notify::n-analyzing", G_CALLBACK (update_header), self);
  g_signal_connect_swapped (self->list, "notify::n-inspecting", G_CALLBACK (update_header), self);
  g_signal_connect_swapped (self->list, "notify::n-failed", G_CALLBACK (update_header), self);
  g_signal_connect_swapped (self->list, "notify::class-name", G_CALLBACK (class_name_changed_cb), self);
  update_header (self);

  atelier_photo_drop_attach (GTK_WIDGET (self), GTK_WIDGET (self), add_photos);
}

/* }}} */
