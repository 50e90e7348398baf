/* atelier-training-photo-private.h: what AtelierPhotoList changes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atelier-training-photo.h"

G_BEGIN_DECLS

/* A picture to show until the analysis comes (the photo's EXIF
 * thumbnail); ignored once there is a thumbnail. */
void          _atelier_training_photo_set_preview       (AtelierTrainingPhoto      *self,
                                                         GdkTexture                *preview);
/* Takes the analysis' thumbnail, sizes, fingerprints and checks. */
void          _atelier_training_photo_set_analysis      (AtelierTrainingPhoto      *self,
                                                         AtelierPhotoAnalysis      *analysis);
/* The SHA-256 of the file, computed only when another photo has the same
 * size; "" when it could not be read. */
void          _atelier_training_photo_set_checksum      (AtelierTrainingPhoto      *self,
                                                         const char                *checksum);
gboolean      _atelier_training_photo_get_checksum_pending (AtelierTrainingPhoto   *self);
void          _atelier_training_photo_set_checksum_pending (AtelierTrainingPhoto   *self,
                                                            gboolean                pending);
/* The duplicate checks (DUPLICATE, NEAR_DUPLICATE) and the photo they
 * refer to (nullable; kept weakly). */
void          _atelier_training_photo_set_duplicate     (AtelierTrainingPhoto      *self,
                                                         AtelierPhotoChecks         duplicate_checks,
                                                         AtelierTrainingPhoto      *of);
void          _atelier_training_photo_set_inspection    (AtelierTrainingPhoto      *self,
                                                         AtelierInspectionState     state,
                                                         AtelierInspection         *inspection,
                                                         AtelierInspectionWarnings  warnings,
                                                         const char                *error);

/* Work in flight for this photo: cancelled when it is removed. */
GCancellable *_atelier_training_photo_get_cancellable   (AtelierTrainingPhoto      *self);
/* The inspection in flight: cancelled on removal or when the class
 * changes; a fresh one each call to _reset. */
GCancellable *_atelier_training_photo_get_inspect_cancellable   (AtelierTrainingPhoto *self);
void          _atelier_training_photo_reset_inspect_cancellable (AtelierTrainingPhoto *self);
/* The downscaled JPEG sent for inspection, kept for retries. */
GBytes       *_atelier_training_photo_get_inspect_upload (AtelierTrainingPhoto     *self);
void          _atelier_training_photo_set_inspect_upload (AtelierTrainingPhoto     *self,
                                                          GBytes                   *bytes);

G_END_DECLS
