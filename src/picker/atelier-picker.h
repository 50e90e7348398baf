/* atelier-picker.h: choosing training photos
 *
 * A grid of AtelierPhotoTile over an AtelierPhotoList, photos added with
 * the file chooser (GtkFileChooserNative, multi-select, so the portal is
 * used in a sandbox) or by dropping files; a summary line above the grid
 * ("14 photos · 3 with warnings") with what is still being checked.
 *
 * Actions: picker.add (the file chooser), picker.retry-failed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atelier-photo-list.h"

G_BEGIN_DECLS

#define ATELIER_TYPE_PICKER (atelier_picker_get_type ())
G_DECLARE_FINAL_TYPE (AtelierPicker, atelier_picker, ATELIER, PICKER, AdwBin)

GtkWidget        *atelier_picker_new             (void);
AtelierPhotoList *atelier_picker_get_photo_list  (AtelierPicker *self);
/* What the file chooser and a drop do: adds @files (element-type GFile)
 * and tells the user about files that were there already. */
void              atelier_picker_add_files       (AtelierPicker *self,
                                                  GPtrArray     *files);
/* The tile showing @photo, or NULL. */
GtkWidget        *atelier_picker_get_tile        (AtelierPicker *self,
                                                  AtelierTrainingPhoto *photo);

G_END_DECLS
