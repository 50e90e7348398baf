/* atelier-gallery-cell.c: one thumbnail of a prompt in the gallery
 *
 * Built in code, not from a template: the gallery keeps about 130 of
 * these and rebinds them while scrolling, so they stay small (a picture
 * and two icons) and never change size.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-gallery-cell.h"
#include "atelier-shell.h"

struct _AtelierGalleryCell
{
  GtkWidget           parent_instance;

  GtkWidget          *picture;
  GtkWidget          *status;       /* spinner or icon, centred */
  GtkWidget          *local_icon;

  AtelierGalleryItem *item;
  GCancellable       *cancellable;
  gboolean            ready;
};

G_DEFINE_FINAL_TYPE (AtelierGalleryCell, atelier_gallery_cell, GTK_TYPE_WIDGET)

enum {
  LOAD_FAILED,
  ACTIVATE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

char *
atelier_gallery_item_dup_display_url (AtelierGalleryItem *item,
                                      AtelierLibrary     *library)
{
  char *uri = NULL;

  if (library != NULL)
    uri = atelier_library_dup_image_uri (library, atelier_gallery_item_get_prompt_id (item),
                                         atelier_gallery_item_get_index (item));
  if (uri == NULL && atelier_gallery_item_get_url (item) != NULL)
    uri = g_strdup (atelier_gallery_item_get_url (item));

  return uri;
}

int
atelier_gallery_thumbnail_size (GtkWidget *widget)
{
  return ATELIER_GALLERY_CELL_SIZE * MAX (gtk_widget_get_scale_factor (widget), 1);
}

static void
set_status (AtelierGalleryCell *self,
            GtkWidget          *status)
{
  if (self->status != NULL)
    gtk_widget_unparent (self->status);
  self->status = status;
  if (status != NULL)
    {
      gtk_widget_set_halign (status, GTK_ALIGN_CENTER);
      gtk_widget_set_valign (status, GTK_ALIGN_CENTER);
      gtk_widget_insert_after (status, GTK_WIDGET (self), self->picture);
    }
}

static void
set_status_icon (AtelierGalleryCell *self,
                 const char         *icon_name,
                 const char         *tooltip)
{
  GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);

  gtk_image_set_pixel_size (GTK_IMAGE (icon), 48);
  gtk_widget_add_css_class (icon, "dim-label");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip);
  set_status (self, icon);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  AtelierGalleryCell *self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = atelier_image_cache_load_finish (ATELIER_IMAGE_CACHE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }

  self->ready = TRUE;
  if (texture != NULL)
    {
      gtk_picture_set_paintable (GTK_PICTURE (self->picture), GDK_PAINTABLE (texture));
    }
  else
    {
      set_status_icon (self, "image-missing-symbolic", error->message);
      g_signal_emit (self, signals[LOAD_FAILED], 0, error);
    }

  g_object_unref (self);
}

static char *
describe (AtelierGalleryItem *item)
{
  AtelierPrompt *prompt = atelier_gallery_item_get_prompt (item);
  const char *text = atelier_prompt_get_text (prompt);

  switch (atelier_gallery_item_get_kind (item))
    {
    case ATELIER_GALLERY_ITEM_PENDING:
      return g_strdup_printf (_("Rendering: %s"), text != NULL ? text : "");
    case ATELIER_GALLERY_ITEM_FAILED:
      return g_strdup_printf (_("Failed: %s"), text != NULL ? text : "");
    case ATELIER_GALLERY_ITEM_IMAGE:
    default:
      return g_strdup_printf (_("Image %u of %u: %s"), atelier_gallery_item_get_index (item) + 1,
                              atelier_prompt_get_n_images (prompt), text != NULL ? text : "");
    }
}

void
atelier_gallery_cell_bind (AtelierGalleryCell *self,
                           AtelierGalleryItem *item,
                           AtelierImageCache  *cache,
                           AtelierLibrary     *library)
{
  g_autofree char *label = NULL;

  g_return_if_fail (ATELIER_IS_GALLERY_CELL (self));
  g_return_if_fail (ATELIER_IS_GALLERY_ITEM (item));

  atelier_gallery_cell_unbind (self);

  self->item = g_object_ref (item);

  label = describe (item);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_set_focusable (GTK_WIDGET (self),
                            atelier_gallery_item_get_kind (item) == ATELIER_GALLERY_ITEM_IMAGE);

  gtk_widget_set_visible (self->local_icon, atelier_gallery_item_is_local_only (item));
  if (atelier_gallery_item_is_local_only (item))
    {
      /* Only when it changes: setting a tooltip asks the display where
       * the pointer is, too slow for every rebind while scrolling. */
      const char *tooltip = atelier_prompt_get_source (atelier_gallery_item_get_prompt (item)) != NULL
                              ? _("Made on this computer and kept here")
                              : _("Kept on this computer: the service no longer has this image");

      if (g_strcmp0 (gtk_widget_get_tooltip_text (self->local_icon), tooltip) != 0)
        gtk_widget_set_tooltip_text (self->local_icon, tooltip);
    }

  switch (atelier_gallery_item_get_kind (item))
    {
    case ATELIER_GALLERY_ITEM_PENDING:
      {
        GtkWidget *spinner = gtk_spinner_new ();

        gtk_widget_set_size_request (spinner, 32, 32);
        gtk_spinner_start (GTK_SPINNER (spinner));
        set_status (self, spinner);
        self->ready = TRUE;
      }
      break;

    case ATELIER_GALLERY_ITEM_FAILED:
      set_status_icon (self, "dialog-warning-symbolic",
                       atelier_prompt_get_user_error (atelier_gallery_item_get_prompt (item)));
      self->ready = TRUE;
      break;

    case ATELIER_GALLERY_ITEM_IMAGE:
    default:
      {
        g_autofree char *url = atelier_gallery_item_dup_display_url (item, library);
        int size = atelier_gallery_thumbnail_size (GTK_WIDGET (self));
        g_autoptr(GdkTexture) texture = atelier_image_cache_lookup (cache, url, size);

        if (texture != NULL)
          {
            gtk_picture_set_paintable (GTK_PICTURE (self->picture), GDK_PAINTABLE (texture));
            self->ready = TRUE;
          }
        else
          {
            self->cancellable = g_cancellable_new ();
            atelier_image_cache_load_async (cache, url, size, self->cancellable,
                                            loaded_cb, g_object_ref (self));
          }
      }
      break;
    }
}

void
atelier_gallery_cell_unbind (AtelierGalleryCell *self)
{
  g_return_if_fail (ATELIER_IS_GALLERY_CELL (self));

  /* The cell is about to show another item: stop this one's download. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->item);

  gtk_picture_set_paintable (GTK_PICTURE (self->picture), NULL);
  set_status (self, NULL);
  /* Setting a tooltip asks the display where the pointer is: only when
   * there was one (a failure's), not on every rebind while scrolling. */
  if (gtk_widget_get_has_tooltip (GTK_WIDGET (self)))
    gtk_widget_set_tooltip_text (GTK_WIDGET (self), NULL);
  self->ready = FALSE;
}

AtelierGalleryItem *
atelier_gallery_cell_get_item (AtelierGalleryCell *self)
{
  g_return_val_if_fail (ATELIER_IS_GALLERY_CELL (self), NULL);
  return self->item;
}

gboolean
atelier_gallery_cell_is_ready (AtelierGalleryCell *self)
{
  g_return_val_if_fail (ATELIER_IS_GALLERY_CELL (self), FALSE);
  return self->item == NULL || self->ready;
}

/* Click, Enter or Space: the image in the viewer. */
static void
activate_cb (AtelierGalleryCell *self)
{
  if (self->item == NULL || atelier_gallery_item_get_kind (self->item) != ATELIER_GALLERY_ITEM_IMAGE)
    return;

  gtk_widget_activate_action (GTK_WIDGET (self), "gallery.open-image", "(xu)",
                              atelier_gallery_item_get_prompt_id (self->item),
                              atelier_gallery_item_get_index (self->item));
}

static void
released_cb (GtkGestureClick    *gesture,
             int                 n_press,
             double              x,
             double              y,
             AtelierGalleryCell *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  g_signal_emit (self, signals[ACTIVATE], 0);
}

static void
atelier_gallery_cell_dispose (GObject *object)
{
  AtelierGalleryCell *self = ATELIER_GALLERY_CELL (object);
  GtkWidget *child;

  atelier_gallery_cell_unbind (self);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  self->status = NULL;

  G_OBJECT_CLASS (atelier_gallery_cell_parent_class)->dispose (object);
}

static void
atelier_gallery_cell_class_init (AtelierGalleryCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atelier_gallery_cell_dispose;

  /* An image could not be shown (its error is in the cell's tooltip). */
  signals[LOAD_FAILED] = g_signal_new ("load-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  /* Opens the image in the viewer ("gallery.open-image"). */
  signals[ACTIVATE] = g_signal_new_class_handler ("activate", G_TYPE_FROM_CLASS (klass),
                                                  G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
                                                  G_CALLBACK (activate_cb), NULL, NULL, NULL,
                                                  G_TYPE_NONE, 0);
  gtk_widget_class_set_activate_signal (widget_class, signals[ACTIVATE]);
  gtk_widget_class_add_binding_signal (widget_class, GDK_KEY_Return, 0, "activate", NULL);
  gtk_widget_class_add_binding_signal (widget_class, GDK_KEY_KP_Enter, 0, "activate", NULL);
  gtk_widget_class_add_binding_signal (widget_class, GDK_KEY_space, 0, "activate", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "atelier-gallery-cell");
  /* Pressed, it opens the image: a button to a screen reader. */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_BUTTON);
}

static void
atelier_gallery_cell_init (AtelierGalleryCell *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_widget_set_size_request (widget, ATELIER_GALLERY_CELL_SIZE, ATELIER_GALLERY_CELL_SIZE);
  gtk_widget_set_overflow (widget, GTK_OVERFLOW_HIDDEN);

  self->picture = gtk_picture_new ();
  gtk_picture_set_can_shrink (GTK_PICTURE (self->picture), TRUE);
  gtk_picture_set_content_fit (GTK_PICTURE (self->picture), GTK_CONTENT_FIT_COVER);
  gtk_widget_set_parent (self->picture, widget);

  self->local_icon = gtk_image_new_from_icon_name ("computer-symbolic");
  gtk_widget_set_halign (self->local_icon, GTK_ALIGN_START);
  gtk_widget_set_valign (self->local_icon, GTK_ALIGN_END);
  gtk_widget_set_margin_start (self->local_icon, 8);
  gtk_widget_set_margin_bottom (self->local_icon, 8);
  gtk_widget_add_css_class (self->local_icon, "local-badge");
  gtk_widget_set_tooltip_text (self->local_icon, _("Kept on this computer: the service no longer has this image"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->local_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Only on this computer"), -1);
  gtk_widget_set_visible (self->local_icon, FALSE);
  gtk_widget_set_parent (self->local_icon, widget);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "released", G_CALLBACK (released_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (click));
}

GtkWidget *
atelier_gallery_cell_new (void)
{
  return g_object_new (ATELIER_TYPE_GALLERY_CELL, NULL);
}

