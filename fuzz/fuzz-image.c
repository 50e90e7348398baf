/* fuzz-image.c: reading image headers and files from outside
 *
 * The input is an image file (a download, a training photo, a FaceID
 * face, a library file, a sandbox /images/inspect upload). It is sniffed,
 * its EXIF thumbnail looked for (and decoded when found), and it is
 * decoded as atelier_image_decode_bytes() decodes, with a small pixel
 * limit so that a header declaring more is refused before the decoder
 * allocates (the limit the app applies is ATELIER_IMAGE_MAX_PIXELS). What
 * decodes within that limit is then prepared as a FaceID face
 * (atelier_fal_face_prepare(): PNG end check, orientation, crop, JPEG).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-common.h"

#include <stdint.h>
#include <string.h>

#include "atelier-fal-face.h"
#include "atelier-image-utils.h"

/* 2048 × 2048: small enough to keep each run fast */
#define FUZZ_MAX_PIXELS (G_GINT64_CONSTANT (2048) * 2048)

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  /* gdk-pixbuf's loaders complain about broken files: not ours */
  fuzz_init_except (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING, "GdkPixbuf");
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GBytes) thumbnail = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  int orientation = 0;
  int width = 0;
  int height = 0;

  (void) atelier_image_sniff_mime_type (data, size);

  thumbnail = atelier_image_find_exif_thumbnail (data, size, &orientation);
  g_assert_cmpint (orientation, >=, 0);
  if (thumbnail != NULL)
    {
      g_autoptr(GdkPixbuf) small = NULL;

      g_assert_cmpuint (g_bytes_get_size (thumbnail), <=, size);
      small = atelier_image_decode_bytes (thumbnail, 32, FUZZ_MAX_PIXELS, NULL, NULL, NULL, NULL);
    }

  pixbuf = atelier_image_decode_bytes (bytes, 64, FUZZ_MAX_PIXELS, &width, &height, NULL, &error);
  g_assert_true ((pixbuf == NULL) == (error != NULL));
  if (pixbuf != NULL)
    {
      g_autoptr(GBytes) face = NULL;
      g_autoptr(GError) face_error = NULL;

      g_assert_cmpint (width, >, 0);
      g_assert_cmpint (height, >, 0);
      g_assert_cmpint ((gint64) width * height, <=, FUZZ_MAX_PIXELS);
      /* Never enlarged */
      g_assert_cmpint ((gint64) gdk_pixbuf_get_width (pixbuf) * gdk_pixbuf_get_height (pixbuf), <=,
                       (gint64) width * height);

      face = atelier_fal_face_prepare (bytes, NULL, NULL, &face_error);
      g_assert_true ((face == NULL) == (face_error != NULL));
    }

  return 0;
}
