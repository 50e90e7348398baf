/* atelier-image-utils.h: decoding and downscaling off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>

G_BEGIN_DECLS

/* The most pixels an image from outside (a download, a photo, a file of
 * the library) may declare in its header: over it, it is refused before
 * decoding (a 3 MB PNG can declare 30000 × 30000, 3.6 GB of pixels). The
 * error is GDK_PIXBUF_ERROR_INSUFFICIENT_MEMORY; its message says the
 * size and the limit. */
#define ATELIER_IMAGE_MAX_PIXELS (100 * 1000 * 1000)

/* The MIME type of a common image format ("image/jpeg", "image/png",
 * "image/gif", "image/webp", "image/heic", "image/avif") from the first
 * bytes of the file, or NULL. Needs no shared MIME database (which
 * sandboxes and G_TEST_OPTION_ISOLATE_DIRS tests may lack). */
const char *atelier_image_sniff_mime_type   (const guint8  *data,
                                             gsize          size);

/* The thumbnail a camera or phone put in the EXIF block of the JPEG
 * @data (IFD1), as JPEG bytes, and the photo's EXIF orientation (1–8,
 * 1 when unknown) in @orientation. Only the first segments are looked at
 * (at most 64 KiB in); every offset is checked. NULL when there is none. */
GBytes    *atelier_image_find_exif_thumbnail (const guint8  *data,
                                              gsize          size,
                                              int           *orientation);

/* Blocking: the EXIF thumbnail of the JPEG @file, upright, scaled to at
 * most @max_side (never enlarged; <= 0: as stored). Reads only the first
 * 72 KiB of the file, so it costs about a millisecond where decoding the
 * photo costs tens. NULL without error when the file has none (or a
 * damaged one); an error only when the file cannot be read. */
GdkPixbuf *atelier_image_load_exif_thumbnail (GFile         *file,
                                              int            max_side,
                                              GCancellable  *cancellable,
                                              GError       **error);

/* Blocking (call from a worker thread): decodes @file scaled so that its
 * longer side is at most @max_side (the decoder scales while decoding,
 * so a 12-megapixel JPEG costs tens of milliseconds), applies the EXIF
 * orientation, and reports the original size. Over
 * ATELIER_IMAGE_MAX_PIXELS it is refused by its header. */
GdkPixbuf *atelier_image_load_scaled        (GFile         *file,
                                             int            max_side,
                                             int           *orig_width,
                                             int           *orig_height,
                                             GCancellable  *cancellable,
                                             GError       **error);

/* Blocking: decodes the image in @bytes scaled (while decoding, never
 * enlarged) so that its shorter side is about @short_side (<= 0: as
 * stored), upright. The header's size (as stored, in @width and @height
 * as soon as it is read, also on error) is checked before decoding: over
 * @max_pixels (<= 0: no limit) it fails with
 * GDK_PIXBUF_ERROR_INSUFFICIENT_MEMORY and nothing is allocated. No known
 * format: GDK_PIXBUF_ERROR_UNKNOWN_TYPE; cut off or damaged: another
 * GDK_PIXBUF_ERROR (a cut-off JPEG is GDK_PIXBUF_ERROR_CORRUPT_IMAGE). */
GdkPixbuf *atelier_image_decode_bytes       (GBytes        *bytes,
                                             int            short_side,
                                             gint64         max_pixels,
                                             int           *width,
                                             int           *height,
                                             GCancellable  *cancellable,
                                             GError       **error);

/* Blocking: like atelier_image_decode_bytes(), scaled so that the longer
 * side is at most @max_side (<= 0: as stored), with
 * ATELIER_IMAGE_MAX_PIXELS as the limit. */
GdkPixbuf *atelier_image_decode_bytes_fit   (GBytes        *bytes,
                                             int            max_side,
                                             GCancellable  *cancellable,
                                             GError       **error);

/* Blocking: @file as a JPEG whose longer side is at most @max_side (the
 * original bytes when it is a JPEG already that small). */
GBytes    *atelier_image_downscale_to_jpeg  (GFile         *file,
                                             int            max_side,
                                             GCancellable  *cancellable,
                                             GError       **error);

/* Asynchronous wrappers running the above in a GTask thread. */
void       atelier_image_load_scaled_async        (GFile               *file,
                                                   int                  max_side,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GdkPixbuf *atelier_image_load_scaled_finish       (GAsyncResult        *result,
                                                   int                 *orig_width,
                                                   int                 *orig_height,
                                                   GError             **error);
void       atelier_image_downscale_to_jpeg_async  (GFile               *file,
                                                   int                  max_side,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GBytes    *atelier_image_downscale_to_jpeg_finish (GAsyncResult        *result,
                                                   GError             **error);

G_END_DECLS
