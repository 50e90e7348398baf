/* atelier-gallery-cell.h: one thumbnail of a prompt in the gallery
 *
 * A fixed-size square: the image (from the cache, loaded when bound and
 * cancelled when unbound), a mark for images kept only on this computer,
 * a spinner for prompts still rendering. No heart: a like is for the
 * whole prompt (AtelierGalleryRow has it).
 *
 * Clicked, or Enter or Space, it activates "gallery.open-image" with
 * (prompt id, image index).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "atelier-gallery-item.h"
#include "atelier-image-cache.h"
#include "atelier-library.h"
#include "atelier-likes.h"

G_BEGIN_DECLS

#define ATELIER_GALLERY_CELL_SIZE 192

#define ATELIER_TYPE_GALLERY_CELL (atelier_gallery_cell_get_type ())
G_DECLARE_FINAL_TYPE (AtelierGalleryCell, atelier_gallery_cell, ATELIER, GALLERY_CELL, GtkWidget)

GtkWidget          *atelier_gallery_cell_new         (void);
/* @library may be NULL. */
void                atelier_gallery_cell_bind        (AtelierGalleryCell *self,
                                                      AtelierGalleryItem *item,
                                                      AtelierImageCache  *cache,
                                                      AtelierLibrary     *library);
void                atelier_gallery_cell_unbind      (AtelierGalleryCell *self);
AtelierGalleryItem *atelier_gallery_cell_get_item    (AtelierGalleryCell *self);
/* TRUE once the cell shows what it should (an image, a placeholder or an
 * error), FALSE while its image is loading. */
gboolean            atelier_gallery_cell_is_ready    (AtelierGalleryCell *self);

/* The side the gallery's thumbnails are decoded at for @widget: the cell
 * size in device pixels. */
int                 atelier_gallery_thumbnail_size   (GtkWidget          *widget);

/* The URL a gallery item's image is shown from: the library's original
 * when it has one, else the server's. (transfer full) (nullable) */
char               *atelier_gallery_item_dup_display_url (AtelierGalleryItem *item,
                                                          AtelierLibrary     *library);

G_END_DECLS
