/* atelier-photo-checks.h: what can be told about a training photo locally
 *
 * The checks that need no network, run before the photo is inspected:
 * whether the file is an image that can be decoded (and why not), its size
 * against the 512 px minimum, extreme aspect ratios, files so big that a
 * smaller copy is uploaded, and the fingerprints that find exact (SHA-256)
 * and near duplicates (64-bit difference and average hashes of the
 * picture, compared by Hamming distance).
 *
 * atelier_photo_analyze() is blocking and meant for a worker thread; the
 * rest is pure.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The short side Astria needs. */
#define ATELIER_PHOTO_MIN_SIDE          512
/* Longer / shorter side from which a photo is called extreme. */
#define ATELIER_PHOTO_EXTREME_ASPECT    2.5
/* Over either limit a photo is uploaded as a smaller copy. */
#define ATELIER_PHOTO_HUGE_BYTES        (15 * 1000 * 1000)
#define ATELIER_PHOTO_HUGE_PIXELS       (20 * 1000 * 1000)
/* The longer side of that copy. */
#define ATELIER_PHOTO_UPLOAD_MAX_SIDE   4096
/* Hashes that differ in at most this many of their 64 bits are near. */
#define ATELIER_PHOTO_NEAR_DISTANCE     6

typedef enum /*< flags >*/
{
  ATELIER_PHOTO_CHECK_NONE           = 0,
  ATELIER_PHOTO_CHECK_NOT_IMAGE      = 1 << 0, /* not an image file at all */
  ATELIER_PHOTO_CHECK_UNREADABLE     = 1 << 1, /* an image that cannot be decoded */
  ATELIER_PHOTO_CHECK_TOO_SMALL      = 1 << 2, /* short side < 512 px */
  ATELIER_PHOTO_CHECK_DUPLICATE      = 1 << 3, /* same bytes as an earlier photo */
  ATELIER_PHOTO_CHECK_NEAR_DUPLICATE = 1 << 4, /* same picture as an earlier photo */
  ATELIER_PHOTO_CHECK_EXTREME_ASPECT = 1 << 5,
  ATELIER_PHOTO_CHECK_HUGE           = 1 << 6, /* a note, not a warning: a smaller copy is uploaded */
} AtelierPhotoChecks;

#define ATELIER_PHOTO_CHECK_LAST ATELIER_PHOTO_CHECK_HUGE
/* The checks after which the photo cannot be used at all. */
#define ATELIER_PHOTO_CHECKS_UNUSABLE (ATELIER_PHOTO_CHECK_NOT_IMAGE | ATELIER_PHOTO_CHECK_UNREADABLE)
/* The checks that count as warnings (all but the note). */
#define ATELIER_PHOTO_CHECKS_WARNINGS (~ATELIER_PHOTO_CHECK_HUGE & ((ATELIER_PHOTO_CHECK_LAST << 1) - 1))

typedef struct
{
  GdkTexture         *thumbnail;  /* (nullable) upright, longer side at most the size asked */
  int                 width;      /* upright size of the original, 0 when not decoded */
  int                 height;
  goffset             size;       /* bytes on disk */
  guint64             dhash;      /* difference hash of the picture */
  guint64             ahash;      /* average hash */
  AtelierPhotoChecks  checks;     /* all but the duplicate checks */
  char               *problem;    /* (nullable) translated: why it cannot be used */
} AtelierPhotoAnalysis;

void                  atelier_photo_analysis_free       (AtelierPhotoAnalysis *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtelierPhotoAnalysis, atelier_photo_analysis_free)

/* Blocking. Decodes @file scaled so that its longer side is at most
 * @thumb_size. A file that is not an image or cannot be decoded is not an
 * error: its checks and problem say so. Fails only when cancelled.
 * The checksum is not computed here: only files of the same size can be
 * the same, and reading every file whole costs more than decoding it at
 * a small scale (see atelier_photo_compute_checksum()). */
AtelierPhotoAnalysis *atelier_photo_analyze             (GFile          *file,
                                                         int             thumb_size,
                                                         GCancellable   *cancellable,
                                                         GError        **error);

/* Blocking: the SHA-256 of @file, in hex. */
char                 *atelier_photo_compute_checksum    (GFile          *file,
                                                         GCancellable   *cancellable,
                                                         GError        **error);

/* The local checks of one picture's size alone: TOO_SMALL,
 * EXTREME_ASPECT, HUGE. */
AtelierPhotoChecks    atelier_photo_checks_for_size     (int             width,
                                                         int             height,
                                                         goffset         size);

/* 64-bit fingerprints of @pixbuf: a difference hash (each cell brighter
 * than its right neighbour on a 9 × 8 grid) and an average hash (each
 * cell of an 8 × 8 grid brighter than the mean). */
void                  atelier_photo_compute_hashes      (GdkPixbuf      *pixbuf,
                                                         guint64        *dhash,
                                                         guint64        *ahash);
guint                 atelier_photo_hash_distance       (guint64         a,
                                                         guint64         b);
/* Near when both hashes are within ATELIER_PHOTO_NEAR_DISTANCE. */
gboolean              atelier_photo_hashes_are_near     (guint64         dhash_a,
                                                         guint64         ahash_a,
                                                         guint64         dhash_b,
                                                         guint64         ahash_b);

/* Blocking: a JPEG copy of @file whose longer side is at most
 * ATELIER_PHOTO_UPLOAD_MAX_SIDE, written into @dir (created when
 * missing), for a HUGE photo. The caller removes it after the upload. */
GFile                *atelier_photo_write_upload_copy   (GFile          *file,
                                                         const char     *dir,
                                                         GCancellable   *cancellable,
                                                         GError        **error);

/* A translated label for one check bit, e.g. "Too small". */
const char           *atelier_photo_check_describe      (AtelierPhotoChecks check);

G_END_DECLS
