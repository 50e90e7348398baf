/* atelier-photo-tile.h: one photo in the picker's grid
 *
 * The thumbnail (a spinner while it is decoded or inspected), the file
 * name, a remove button, and the photo's warnings as small labelled badges
 * with an explanation in their tooltip; a failed inspection says why and
 * offers to retry.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atelier-training-photo.h"

G_BEGIN_DECLS

#define ATELIER_PHOTO_TILE_SIZE 152

#define ATELIER_TYPE_PHOTO_TILE (atelier_photo_tile_get_type ())
G_DECLARE_FINAL_TYPE (AtelierPhotoTile, atelier_photo_tile, ATELIER, PHOTO_TILE, AdwBin)

/* @class_name: the class the photo is inspected for, for the tooltips.
 * Signals: ::remove and ::retry, asked by the buttons. */
GtkWidget            *atelier_photo_tile_new             (AtelierTrainingPhoto *photo);
AtelierTrainingPhoto *atelier_photo_tile_get_photo       (AtelierPhotoTile     *self);
void                  atelier_photo_tile_set_class_name  (AtelierPhotoTile     *self,
                                                          const char           *class_name);
/* The badge texts shown now, in order (for tests). */
GStrv                 atelier_photo_tile_dup_badges      (AtelierPhotoTile     *self);

G_END_DECLS
