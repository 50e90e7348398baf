/* atelier-training-photo.h: one photo chosen for training
 *
 * What the picker knows about a photo: its file, its thumbnail, the local
 * checks (atelier-photo-checks.h) once they have run, and the answer of
 * POST /images/inspect for the tune's class. AtelierPhotoList fills it in;
 * widgets observe its properties.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "atelier-inspection.h"
#include "atelier-photo-checks.h"

G_BEGIN_DECLS

typedef enum
{
  ATELIER_INSPECTION_STATE_NONE,     /* not asked (yet, or unusable, or no class to ask for) */
  ATELIER_INSPECTION_STATE_PENDING,  /* queued */
  ATELIER_INSPECTION_STATE_RUNNING,
  ATELIER_INSPECTION_STATE_DONE,
  ATELIER_INSPECTION_STATE_FAILED,   /* see :inspection-error; can be retried */
} AtelierInspectionState;

#define ATELIER_TYPE_TRAINING_PHOTO (atelier_training_photo_get_type ())
G_DECLARE_FINAL_TYPE (AtelierTrainingPhoto, atelier_training_photo, ATELIER, TRAINING_PHOTO, GObject)

AtelierTrainingPhoto      *atelier_training_photo_new                    (GFile                *file);

GFile                     *atelier_training_photo_get_file               (AtelierTrainingPhoto *self);
/* The file name as shown to the user. */
const char                *atelier_training_photo_get_display_name       (AtelierTrainingPhoto *self);
/* TRUE once the local checks have run. */
gboolean                   atelier_training_photo_get_analyzed           (AtelierTrainingPhoto *self);
GdkTexture                *atelier_training_photo_get_thumbnail          (AtelierTrainingPhoto *self);
int                        atelier_training_photo_get_width              (AtelierTrainingPhoto *self);
int                        atelier_training_photo_get_height             (AtelierTrainingPhoto *self);
goffset                    atelier_training_photo_get_size               (AtelierTrainingPhoto *self);
/* NULL until another photo has the same size (see AtelierPhotoList). */
const char                *atelier_training_photo_get_checksum           (AtelierTrainingPhoto *self);
void                       atelier_training_photo_get_hashes             (AtelierTrainingPhoto *self,
                                                                          guint64              *dhash,
                                                                          guint64              *ahash);
/* Local checks, the duplicate checks included. */
AtelierPhotoChecks         atelier_training_photo_get_checks             (AtelierTrainingPhoto *self);
/* Why the photo cannot be used (not an image, cannot be decoded), or NULL. */
const char                *atelier_training_photo_get_problem            (AtelierTrainingPhoto *self);
/* The earlier photo this one duplicates (exactly or nearly), or NULL. */
AtelierTrainingPhoto      *atelier_training_photo_get_duplicate_of       (AtelierTrainingPhoto *self);
/* Not an image, or cannot be decoded. */
gboolean                   atelier_training_photo_is_unusable            (AtelierTrainingPhoto *self);

AtelierInspectionState     atelier_training_photo_get_inspection_state   (AtelierTrainingPhoto *self);
AtelierInspection         *atelier_training_photo_get_inspection         (AtelierTrainingPhoto *self);
AtelierInspectionWarnings  atelier_training_photo_get_inspection_warnings (AtelierTrainingPhoto *self);
const char                *atelier_training_photo_get_inspection_error   (AtelierTrainingPhoto *self);

/* Local warnings (not the HUGE note) or inspection warnings. */
gboolean                   atelier_training_photo_has_warnings           (AtelierTrainingPhoto *self);
/* One translated sentence explaining @check for this photo (a tooltip). */
char                      *atelier_training_photo_explain_check          (AtelierTrainingPhoto *self,
                                                                          AtelierPhotoChecks    check);
/* Likewise for an inspection warning bit, knowing the class asked for. */
char                      *atelier_training_photo_explain_warning        (AtelierTrainingPhoto *self,
                                                                          AtelierInspectionWarnings warning,
                                                                          const char           *class_name);

G_END_DECLS
