/* atelier-photo-list.h: the training photos of a tune being composed
 *
 * Holds the AtelierTrainingPhoto items (a GListModel for the picker's
 * grid) and does the work on them:
 *
 *  - first, each JPEG's EXIF thumbnail (read from the file's first
 *    72 KiB, about a millisecond) as the photo's thumbnail, so that a drop
 *    of 40 photos shows them all at once;
 *  - local checks (atelier_photo_analyze()) in a pool of worker threads
 *    sized to the cores, the thumbnail decoded at the size asked (it
 *    replaces the EXIF one); each photo is updated as soon as its own
 *    work is done;
 *  - duplicates across the list, the later photo marked;
 *  - inspection (POST /images/inspect) for the class name, at most
 *    ATELIER_PHOTO_LIST_MAX_INSPECTIONS at a time, each photo downscaled
 *    to at most 512 px first (in the pool, after every pending thumbnail).
 *    Changing the class cancels and inspects again; removing a photo
 *    cancels its work; a failed inspection waits for a retry and never
 *    blocks anything else. Classes the service cannot inspect ("style")
 *    are not sent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atelier-astria-client.h"
#include "atelier-training-photo.h"

G_BEGIN_DECLS

#define ATELIER_PHOTO_LIST_MAX_INSPECTIONS 3
/* The longer side of images sent for inspection. */
#define ATELIER_PHOTO_INSPECT_MAX_SIDE     512

#define ATELIER_TYPE_PHOTO_LIST (atelier_photo_list_get_type ())
G_DECLARE_FINAL_TYPE (AtelierPhotoList, atelier_photo_list, ATELIER, PHOTO_LIST, GObject)

AtelierPhotoList     *atelier_photo_list_new               (void);

/* (element-type AtelierTrainingPhoto) */
GListModel           *atelier_photo_list_get_model         (AtelierPhotoList     *self);
guint                 atelier_photo_list_get_n_photos      (AtelierPhotoList     *self);
AtelierTrainingPhoto *atelier_photo_list_get_photo         (AtelierPhotoList     *self,
                                                            guint                 position);

/* NULL: inspections wait until a client is set. */
void                  atelier_photo_list_set_client        (AtelierPhotoList     *self,
                                                            AtelierAstriaClient  *client);
AtelierAstriaClient  *atelier_photo_list_get_client        (AtelierPhotoList     *self);
/* The tune's class ("man", "dog", …): inspections are for it. */
void                  atelier_photo_list_set_class_name    (AtelierPhotoList     *self,
                                                            const char           *class_name);
const char           *atelier_photo_list_get_class_name    (AtelierPhotoList     *self);
/* Longer side of the thumbnails of photos added from now on. */
void                  atelier_photo_list_set_thumbnail_size (AtelierPhotoList    *self,
                                                             int                  size);

/* Appends the files not in the list yet (@files: element-type GFile) and
 * starts their checks. Returns how many were added. */
guint                 atelier_photo_list_add_files         (AtelierPhotoList     *self,
                                                            GPtrArray            *files);
void                  atelier_photo_list_remove            (AtelierPhotoList     *self,
                                                            AtelierTrainingPhoto *photo);
void                  atelier_photo_list_clear             (AtelierPhotoList     *self);
void                  atelier_photo_list_retry_inspection  (AtelierPhotoList     *self,
                                                            AtelierTrainingPhoto *photo);
void                  atelier_photo_list_retry_failed      (AtelierPhotoList     *self);

/* Counts, each a property with notify ("n-photos", …). */
guint                 atelier_photo_list_get_n_with_warnings (AtelierPhotoList   *self);
/* Photos whose local checks have not finished. */
guint                 atelier_photo_list_get_n_analyzing   (AtelierPhotoList     *self);
/* Photos waiting for or in inspection. */
guint                 atelier_photo_list_get_n_inspecting  (AtelierPhotoList     *self);
guint                 atelier_photo_list_get_n_failed      (AtelierPhotoList     *self);
guint                 atelier_photo_list_get_n_unusable    (AtelierPhotoList     *self);
/* "14 photos · 3 with warnings" ("summary" property). */
const char           *atelier_photo_list_get_summary       (AtelierPhotoList     *self);

/* The files to train with: usable photos, in order. (element-type GFile) */
GPtrArray            *atelier_photo_list_dup_usable_files  (AtelierPhotoList     *self);
/* Every file, in order, as paths or URIs (for drafts). */
GStrv                 atelier_photo_list_dup_uris          (AtelierPhotoList     *self);
/* The most common value of each characteristic over the finished
 * inspections (key → value). (transfer full) */
GHashTable           *atelier_photo_list_aggregate_characteristics (AtelierPhotoList *self);

G_END_DECLS
