/* atelier-fal-face.h: the face fal.ai's ip-adapter-face-id is given
 *
 * fal needs a URL. An image that already has an https URL (an Astria
 * image) is sent as that URL; a local photo is sent as a data: URL of a
 * 640×640 JPEG (fal crops to 640×640 anyway), and several photos as a
 * data: URL of a zip archive of such JPEGs (face_images_data_url), built
 * with libarchive. Everything here is GTK-free and blocking: callers run
 * it in a worker thread (the _async variants do).
 *
 * Checks, each with its own ATELIER_FAL_FACE_ERROR code and a message for
 * the user: the file is not over ATELIER_FAL_FACE_MAX_FILE_BYTES (checked
 * before reading it), its format is one gdk-pixbuf knows, its header's
 * dimensions are read before decoding and refused over
 * ATELIER_FAL_FACE_MAX_PIXELS (a decompression bomb never reaches the
 * decoder), it is at least ATELIER_FAL_FACE_MIN_SIDE on its short side,
 * and it decodes whole. A data URL longer than ATELIER_FAL_MAX_DATA_URL
 * is refused before anything is sent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "atelier-image-utils.h"

G_BEGIN_DECLS

#define ATELIER_FAL_FACE_SIZE            640
#define ATELIER_FAL_FACE_MIN_SIDE        128
#define ATELIER_FAL_FACE_MAX_PIXELS      ATELIER_IMAGE_MAX_PIXELS
#define ATELIER_FAL_FACE_MAX_FILE_BYTES  (50 * 1024 * 1024)
/* The longest data: URL sent to fal (its request bodies are capped; ours
 * stays well under). */
#define ATELIER_FAL_MAX_DATA_URL         (8 * 1024 * 1024)
/* Photos averaged into one face at most. */
#define ATELIER_FAL_MAX_FACES            8

#define ATELIER_FAL_FACE_ERROR (atelier_fal_face_error_quark ())
GQuark atelier_fal_face_error_quark (void);

typedef enum
{
  ATELIER_FAL_FACE_ERROR_TOO_BIG_FILE,     /* over MAX_FILE_BYTES */
  ATELIER_FAL_FACE_ERROR_NOT_AN_IMAGE,     /* no known format */
  ATELIER_FAL_FACE_ERROR_TOO_MANY_PIXELS,  /* header over MAX_PIXELS */
  ATELIER_FAL_FACE_ERROR_TOO_SMALL,        /* short side under MIN_SIDE */
  ATELIER_FAL_FACE_ERROR_CORRUPT,          /* did not decode */
  ATELIER_FAL_FACE_ERROR_TOO_LONG_URL,     /* data URL over MAX_DATA_URL */
  ATELIER_FAL_FACE_ERROR_TOO_MANY_FACES,   /* over MAX_FACES */
} AtelierFalFaceError;

/* The photo in @bytes as a 640×640 JPEG: EXIF orientation applied, the
 * centre square cropped, scaled (never up past its own size: a smaller
 * square is scaled up to 640). @width and @height (nullable) get the
 * photo's own size. */
GBytes  *atelier_fal_face_prepare          (GBytes       *bytes,
                                            int          *width,
                                            int          *height,
                                            GError      **error);
/* Reads @file (refusing it over MAX_FILE_BYTES by its size first) and
 * prepares it, in a worker thread. */
void     atelier_fal_face_prepare_file_async  (GFile               *file,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GBytes  *atelier_fal_face_prepare_file_finish (GAsyncResult        *result,
                                               GError             **error);

/* "data:image/jpeg;base64,…" of one prepared face; NULL and TOO_LONG_URL
 * over ATELIER_FAL_MAX_DATA_URL. */
char    *atelier_fal_face_data_url         (GBytes       *jpeg,
                                            GError      **error);
/* A zip archive (libarchive) of @jpegs (GBytes, 1 to MAX_FACES) named
 * face-1.jpg, face-2.jpg, … */
GBytes  *atelier_fal_faces_zip             (GPtrArray    *jpegs,
                                            GError      **error);
/* "data:application/zip;base64,…" of atelier_fal_faces_zip(); NULL and
 * TOO_LONG_URL over ATELIER_FAL_MAX_DATA_URL. */
char    *atelier_fal_faces_zip_data_url    (GPtrArray    *jpegs,
                                            GError      **error);

/* TRUE when @url may be given to fal as it is: https (or http on a
 * loopback address, the sandbox). */
gboolean atelier_fal_face_url_is_sendable  (const char   *url);

G_END_DECLS
