/* atelier-photo-tile.c: one photo in the picker's grid
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-photo-tile.h"
#include "atelier-square.h"

struct _AtelierPhotoTile
{
  AdwBin                parent_instance;

  AtelierTrainingPhoto *photo;
  char                 *class_name;

  GtkWidget            *frame;
  GtkWidget            *picture;
  GtkWidget            *placeholder;
  GtkWidget            *spinner;
  GtkWidget            *remove_button;
  GtkWidget            *name_label;
  GtkWidget            *badges;
};

G_DEFINE_FINAL_TYPE (AtelierPhotoTile, atelier_photo_tile, ADW_TYPE_BIN)

enum {
  SIGNAL_REMOVE,
  SIGNAL_RETRY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef enum
{
  BADGE_WARNING,
  BADGE_ERROR,
  BADGE_INFO,
} BadgeKind;

static void
add_badge (AtelierPhotoTile *self,
           BadgeKind         kind,
           const char       *text,
           const char       *tooltip,
           GtkWidget        *button)
{
  static const char * const css[] = { "warning", "error", "info" };
  static const char * const icons[] = {
    "dialog-warning-symbolic", "dialog-error-symbolic", "dialog-information-symbolic"
  };
  GtkWidget *badge = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *icon = gtk_image_new_from_icon_name (icons[kind]);
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (badge, "atelier-badge");
  gtk_widget_add_css_class (badge, css[kind]);
  gtk_widget_set_halign (badge, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (badge, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (badge),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tooltip,
                                  -1);
  gtk_image_set_pixel_size (GTK_IMAGE (icon), 12);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (badge), icon);
  gtk_box_append (GTK_BOX (badge), label);

  if (button != NULL)
    {
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);

      gtk_widget_set_hexpand (badge, TRUE);
      gtk_box_append (GTK_BOX (row), badge);
      gtk_box_append (GTK_BOX (row), button);
      gtk_box_append (GTK_BOX (self->badges), row);
    }
  else
    {
      gtk_box_append (GTK_BOX (self->badges), badge);
    }
}

static void
retry_clicked_cb (AtelierPhotoTile *self)
{
  g_signal_emit (self, signals[SIGNAL_RETRY], 0);
}

static void
remove_clicked_cb (AtelierPhotoTile *self)
{
  g_signal_emit (self, signals[SIGNAL_REMOVE], 0);
}

static void
update (AtelierPhotoTile *self)
{
  AtelierTrainingPhoto *photo = self->photo;
  GdkTexture *thumbnail = atelier_training_photo_get_thumbnail (photo);
  AtelierPhotoChecks checks = atelier_training_photo_get_checks (photo);
  AtelierInspectionWarnings warnings = atelier_training_photo_get_inspection_warnings (photo);
  AtelierInspectionState state = atelier_training_photo_get_inspection_state (photo);
  gboolean analyzed = atelier_training_photo_get_analyzed (photo);
  /* Decoding takes a blink: a quiet placeholder. Inspecting takes a
   * round trip: a spinner. */
  gboolean inspecting = state == ATELIER_INSPECTION_STATE_RUNNING;
  GtkWidget *child;

  gtk_picture_set_paintable (GTK_PICTURE (self->picture), GDK_PAINTABLE (thumbnail));
  gtk_widget_set_visible (self->placeholder, thumbnail == NULL);
  gtk_image_set_from_icon_name (GTK_IMAGE (self->placeholder),
                                analyzed ? "image-missing-symbolic" : "image-x-generic-symbolic");
  gtk_widget_set_tooltip_text (self->placeholder, analyzed ? NULL : _("Checking the photo"));
  gtk_widget_set_visible (self->spinner, inspecting);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), inspecting);

  while ((child = gtk_widget_get_first_child (self->badges)) != NULL)
    gtk_box_remove (GTK_BOX (self->badges), child);

  for (AtelierPhotoChecks bit = 1; bit <= ATELIER_PHOTO_CHECK_LAST; bit <<= 1)
    {
      g_autofree char *explanation = NULL;
      BadgeKind kind;

      if (!(checks & bit))
        continue;

      explanation = atelier_training_photo_explain_check (photo, bit);
      if (bit & ATELIER_PHOTO_CHECKS_UNUSABLE)
        kind = BADGE_ERROR;
      else if (bit == ATELIER_PHOTO_CHECK_HUGE)
        kind = BADGE_INFO;
      else
        kind = BADGE_WARNING;
      add_badge (self, kind, atelier_photo_check_describe (bit), explanation, NULL);
    }

  for (AtelierInspectionWarnings bit = 1; bit <= ATELIER_INSPECTION_WARNING_LAST; bit <<= 1)
    {
      g_autofree char *explanation = NULL;

      if (!(warnings & bit))
        continue;

      explanation = atelier_training_photo_explain_warning (photo, bit, self->class_name);
      add_badge (self, BADGE_WARNING, atelier_inspection_warning_describe (bit), explanation, NULL);
    }

  if (state == ATELIER_INSPECTION_STATE_FAILED)
    {
      const char *reason = atelier_training_photo_get_inspection_error (photo);
      g_autofree char *tooltip = NULL;
      GtkWidget *retry = gtk_button_new_from_icon_name ("view-refresh-symbolic");

      /* Translators: %s says why an inspection failed */
      tooltip = g_strdup_printf (_("The photo could not be inspected: %s"),
                                 reason != NULL ? reason : _("unknown error"));
      gtk_widget_set_tooltip_text (retry, _("Inspect Again"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (retry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Inspect Again"), -1);
      gtk_widget_add_css_class (retry, "flat");
      gtk_widget_add_css_class (retry, "circular");
      gtk_widget_set_valign (retry, GTK_ALIGN_CENTER);
      g_signal_connect_object (retry, "clicked", G_CALLBACK (retry_clicked_cb), self, G_CONNECT_SWAPPED);
      add_badge (self, BADGE_ERROR, _("Inspection failed"), tooltip, retry);
    }

  if (atelier_training_photo_has_warnings (photo) || atelier_training_photo_is_unusable (photo))
    gtk_widget_add_css_class (self->frame, "flagged");
  else
    gtk_widget_remove_css_class (self->frame, "flagged");
}

static void
photo_notify_cb (AtelierPhotoTile *self)
{
  update (self);
}

AtelierTrainingPhoto *
atelier_photo_tile_get_photo (AtelierPhotoTile *self)
{
  g_return_val_if_fail (ATELIER_IS_PHOTO_TILE (self), NULL);
  return self->photo;
}

void
atelier_photo_tile_set_class_name (AtelierPhotoTile *self,
                                   const char       *class_name)
{
  g_return_if_fail (ATELIER_IS_PHOTO_TILE (self));

  if (g_strcmp0 (self->class_name, class_name) == 0)
    return;

  g_free (self->class_name);
  self->class_name = g_strdup (class_name);
  update (self);
}

static const char *
badge_text (GtkWidget *badge)
{
  /* A badge, or a row of a badge and its button. */
  if (!gtk_widget_has_css_class (badge, "atelier-badge"))
    badge = gtk_widget_get_first_child (badge);

  return gtk_label_get_text (GTK_LABEL (gtk_widget_get_last_child (badge)));
}

GStrv
atelier_photo_tile_dup_badges (AtelierPhotoTile *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (ATELIER_IS_PHOTO_TILE (self), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (self->badges);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    g_strv_builder_add (builder, badge_text (child));

  return g_strv_builder_end (builder);
}

static void
atelier_photo_tile_dispose (GObject *object)
{
  AtelierPhotoTile *self = ATELIER_PHOTO_TILE (object);

  if (self->photo != NULL)
    g_signal_handlers_disconnect_by_data (self->photo, self);
  g_clear_object (&self->photo);

  G_OBJECT_CLASS (atelier_photo_tile_parent_class)->dispose (object);
}

static void
atelier_photo_tile_finalize (GObject *object)
{
  AtelierPhotoTile *self = ATELIER_PHOTO_TILE (object);

  g_free (self->class_name);

  G_OBJECT_CLASS (atelier_photo_tile_parent_class)->finalize (object);
}

static void
atelier_photo_tile_class_init (AtelierPhotoTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = atelier_photo_tile_dispose;
  object_class->finalize = atelier_photo_tile_finalize;

  signals[SIGNAL_REMOVE] =
    g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_RETRY] =
    g_signal_new ("retry", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
atelier_photo_tile_init (AtelierPhotoTile *self)
{
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *overlay = gtk_overlay_new ();

  gtk_widget_set_halign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_START);
  gtk_widget_add_css_class (GTK_WIDGET (self), "atelier-photo-tile");

  self->picture = gtk_picture_new ();
  gtk_picture_set_content_fit (GTK_PICTURE (self->picture), GTK_CONTENT_FIT_COVER);
  gtk_picture_set_can_shrink (GTK_PICTURE (self->picture), TRUE);

  self->frame = gtk_overlay_new ();
  gtk_overlay_set_child (GTK_OVERLAY (self->frame), atelier_square_new (self->picture, ATELIER_PHOTO_TILE_SIZE));
  gtk_widget_set_overflow (self->frame, GTK_OVERFLOW_HIDDEN);
  gtk_widget_add_css_class (self->frame, "atelier-photo");

  self->placeholder = gtk_image_new_from_icon_name ("image-missing-symbolic");
  gtk_image_set_pixel_size (GTK_IMAGE (self->placeholder), 48);
  gtk_widget_add_css_class (self->placeholder, "dim-label");
  gtk_widget_set_visible (self->placeholder, FALSE);
  gtk_overlay_add_overlay (GTK_OVERLAY (self->frame), self->placeholder);

  self->spinner = gtk_spinner_new ();
  gtk_widget_set_tooltip_text (self->spinner, _("Inspecting the photo"));
  gtk_widget_set_size_request (self->spinner, 32, 32);
  gtk_widget_set_halign (self->spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (self->spinner, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->spinner, "atelier-photo-spinner");
  gtk_overlay_add_overlay (GTK_OVERLAY (self->frame), self->spinner);

  gtk_overlay_set_child (GTK_OVERLAY (overlay), self->frame);

  self->remove_button = gtk_button_new_from_icon_name ("window-close-symbolic");
  gtk_widget_set_tooltip_text (self->remove_button, _("Remove Photo"));
  gtk_widget_set_halign (self->remove_button, GTK_ALIGN_END);
  gtk_widget_set_valign (self->remove_button, GTK_ALIGN_START);
  gtk_widget_set_margin_top (self->remove_button, 6);
  gtk_widget_set_margin_end (self->remove_button, 6);
  gtk_widget_add_css_class (self->remove_button, "osd");
  gtk_widget_add_css_class (self->remove_button, "circular");
  g_signal_connect_object (self->remove_button, "clicked", G_CALLBACK (remove_clicked_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), self->remove_button);

  self->name_label = gtk_label_new (NULL);
  gtk_label_set_ellipsize (GTK_LABEL (self->name_label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->name_label), 1);
  gtk_label_set_xalign (GTK_LABEL (self->name_label), 0);
  gtk_widget_add_css_class (self->name_label, "caption");

  self->badges = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);

  gtk_box_append (GTK_BOX (box), overlay);
  gtk_box_append (GTK_BOX (box), self->name_label);
  gtk_box_append (GTK_BOX (box), self->badges);

  /* Every tile as wide as its picture; the texts wrap. */
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), ATELIER_PHOTO_TILE_SIZE);
  adw_clamp_set_tightening_threshold (ADW_CLAMP (clamp), ATELIER_PHOTO_TILE_SIZE);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  adw_bin_set_child (ADW_BIN (self), clamp);
}

GtkWidget *
atelier_photo_tile_new (AtelierTrainingPhoto *photo)
{
  AtelierPhotoTile *self;
  const char *name;
  g_autofree char *remove_label = NULL;

  g_return_val_if_fail (ATELIER_IS_TRAINING_PHOTO (photo), NULL);

  self = g_object_new (ATELIER_TYPE_PHOTO_TILE, NULL);
  self->photo = g_object_ref (photo);

  name = atelier_training_photo_get_display_name (photo);
  gtk_label_set_label (GTK_LABEL (self->name_label), name);
  gtk_widget_set_tooltip_text (self->name_label, name);
  /* Translators: the accessible name of a photo's remove button; %s is its file name */
  remove_label = g_strdup_printf (_("Remove %s"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->picture),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);

  g_signal_connect_swapped (photo, "notify", G_CALLBACK (photo_notify_cb), self);
  update (self);

  return GTK_WIDGET (self);
}
