/* test-image-utils.c: EXIF thumbnails, and the picker showing them first
 *
 * The photos in tests/data were written by ExifTool 12.57, not by
 * Atelier, so that the reader is checked against another program's
 * idea of the format. Each is a 320 × 240 JPEG (left half red, right
 * half blue) with a 160 × 120 EXIF thumbnail (top half green, bottom
 * half black), made with ImageMagick and:
 *
 *   exiftool "-ThumbnailImage<=thumb.jpg" -Orientation#=6 mm.jpg
 *       (big-endian, after a JFIF APP0 segment, rotated 90° clockwise)
 *   exiftool -JFIF:all= ii.jpg
 *   exiftool -ExifByteOrder=Little-endian "-ThumbnailImage<=thumb.jpg" \
 *            -Orientation#=1 ii.jpg
 *       (little-endian, the EXIF segment first, upright)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atelier-image-utils.h"
#include "atelier-photo-list.h"
#include "atelier-test-utils.h"

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

static GBytes *
read_data (const char *name)
{
  g_autofree char *path = data_path (name);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

/* The colour at (@x, @y), each channel rounded to 0 or 255. */
static guint32
rgb_at (GdkPixbuf *pixbuf,
        int        x,
        int        y)
{
  const guint8 *p = gdk_pixbuf_get_pixels (pixbuf) + y * gdk_pixbuf_get_rowstride (pixbuf) +
                    x * gdk_pixbuf_get_n_channels (pixbuf);

  return (p[0] > 127 ? 0xff0000 : 0) | (p[1] > 127 ? 0x00ff00 : 0) | (p[2] > 127 ? 0x0000ff : 0);
}

#define GREEN 0x00ff00
#define BLACK 0x000000
#define RED   0xff0000
#define BLUE  0x0000ff

static GdkPixbuf *
decode (GBytes *jpeg)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_mime_type ("image/jpeg", NULL);
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_loader_write_bytes (loader, jpeg, &error);
  g_assert_no_error (error);
  gdk_pixbuf_loader_close (loader, &error);
  g_assert_no_error (error);

  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

/* The thumbnail's bytes and the orientation, from both byte orders. */
static void
test_find (void)
{
  struct { const char *name; int orientation; } cases[] = {
    { "exif-thumbnail-mm.jpg", 6 },
    { "exif-thumbnail-ii.jpg", 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) file = read_data (cases[i].name);
      g_autoptr(GBytes) thumbnail = NULL;
      g_autoptr(GdkPixbuf) pixbuf = NULL;
      const guint8 *data;
      gsize size;
      int orientation = 0;

      thumbnail = atelier_image_find_exif_thumbnail (g_bytes_get_data (file, NULL), g_bytes_get_size (file),
                                                     &orientation);
      g_assert_nonnull (thumbnail);
      g_assert_cmpint (orientation, ==, cases[i].orientation);
      data = g_bytes_get_data (thumbnail, &size);
      g_assert_cmpuint (size, ==, 640);   /* ExifTool's ThumbnailLength */
      g_assert_cmphex (data[0], ==, 0xff);
      g_assert_cmphex (data[1], ==, 0xd8);

      /* The thumbnail, not the photo: 160 × 120, green over black. */
      pixbuf = decode (thumbnail);
      g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 160);
      g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 120);
      g_assert_cmphex (rgb_at (pixbuf, 80, 20), ==, GREEN);
      g_assert_cmphex (rgb_at (pixbuf, 80, 100), ==, BLACK);
    }
}

/* Upright and scaled, read from the file. */
static void
test_load (void)
{
  g_autofree char *mm_path = data_path ("exif-thumbnail-mm.jpg");
  g_autofree char *ii_path = data_path ("exif-thumbnail-ii.jpg");
  g_autoptr(GFile) mm = g_file_new_for_path (mm_path);
  g_autoptr(GFile) ii = g_file_new_for_path (ii_path);
  g_autoptr(GdkPixbuf) rotated = NULL;
  g_autoptr(GdkPixbuf) small = NULL;
  g_autoptr(GdkPixbuf) upright = NULL;
  g_autoptr(GdkPixbuf) photo = NULL;
  g_autoptr(GError) error = NULL;

  /* Orientation 6: turned 90° clockwise, the green top is on the right. */
  rotated = atelier_image_load_exif_thumbnail (mm, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (rotated);
  g_assert_cmpint (gdk_pixbuf_get_width (rotated), ==, 120);
  g_assert_cmpint (gdk_pixbuf_get_height (rotated), ==, 160);
  g_assert_cmphex (rgb_at (rotated, 100, 80), ==, GREEN);
  g_assert_cmphex (rgb_at (rotated, 20, 80), ==, BLACK);

  small = atelier_image_load_exif_thumbnail (mm, 80, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (small), ==, 60);
  g_assert_cmpint (gdk_pixbuf_get_height (small), ==, 80);

  /* Never enlarged. */
  upright = atelier_image_load_exif_thumbnail (ii, 400, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (upright), ==, 160);
  g_assert_cmpint (gdk_pixbuf_get_height (upright), ==, 120);
  g_assert_cmphex (rgb_at (upright, 80, 20), ==, GREEN);

  /* The photo itself is untouched by its EXIF block: red and blue,
   * turned the same way as its thumbnail. */
  photo = atelier_image_load_scaled (mm, 0, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (photo), ==, 240);
  g_assert_cmpint (gdk_pixbuf_get_height (photo), ==, 320);
  g_assert_cmphex (rgb_at (photo, 120, 40), ==, RED);
  g_assert_cmphex (rgb_at (photo, 120, 280), ==, BLUE);
}

/* No thumbnail is no error; an unreadable file is one. */
static void
test_none (void)
{
  g_autofree char *dir = g_dir_make_tmp ("atelier-image-utils-XXXXXX", NULL);
  g_autoptr(GFile) plain = atelier_test_write_image (dir, "plain.jpg", 200, 150, 1, "jpeg");
  g_autoptr(GFile) png = atelier_test_write_image (dir, "plain.png", 200, 150, 2, "png");
  g_autofree char *missing_path = g_build_filename (dir, "missing.jpg", NULL);
  g_autoptr(GFile) missing = g_file_new_for_path (missing_path);
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf;

  pixbuf = atelier_image_load_exif_thumbnail (plain, 100, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (pixbuf);
  pixbuf = atelier_image_load_exif_thumbnail (png, 100, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (pixbuf);
  pixbuf = atelier_image_load_exif_thumbnail (missing, 100, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (pixbuf);

  atelier_test_rm_rf (dir);
}

/* The file is the user's: cut anywhere or with bytes changed, the reader
 * answers with the thumbnail or with nothing, and never reads outside
 * the data (this runs under AddressSanitizer too). */
static void
test_damaged (void)
{
  g_autoptr(GBytes) file = read_data ("exif-thumbnail-mm.jpg");
  gsize size = g_bytes_get_size (file);
  g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (file, NULL), size);
  guint32 state = 12345;
  guint found = 0;

  /* Cut short: the thumbnail ends at 20 + 4 + 6 + 252 + 640. */
  for (gsize length = 0; length <= 1200; length++)
    {
      g_autofree guint8 *cut = g_memdup2 (copy, length);   /* exactly @length bytes, for ASan */
      g_autoptr(GBytes) thumbnail = atelier_image_find_exif_thumbnail (cut, length, NULL);

      if (thumbnail != NULL)
        found++;
    }
  /* Only a cut after the whole APP1 segment still has it. */
  g_assert_cmpuint (found, ==, 1200 - (2 + 18 + 2 + 0x366) + 1);

  /* Bytes of the EXIF block changed, one to three at a time. */
  for (guint round = 0; round < 20000; round++)
    {
      g_autofree guint8 *damaged = g_memdup2 (copy, size);
      g_autoptr(GBytes) thumbnail = NULL;
      int orientation = 0;

      for (guint n = 0; n < 1 + round % 3; n++)
        {
          state = state * 1103515245u + 12345u;
          damaged[20 + (state >> 8) % 280] = (guint8) (state >> 20);
        }
      thumbnail = atelier_image_find_exif_thumbnail (damaged, size, &orientation);
      g_assert_cmpint (orientation, >=, 1);
      g_assert_cmpint (orientation, <=, 8);
      if (thumbnail != NULL)
        {
          const guint8 *data = g_bytes_get_data (thumbnail, NULL);

          g_assert_cmpuint (g_bytes_get_size (thumbnail), >=, 4);
          g_assert_cmphex (data[0], ==, 0xff);
          g_assert_cmphex (data[1], ==, 0xd8);
        }
    }
}

/* {{{ The picker's photo list shows the EXIF thumbnail first */

typedef struct
{
  guint n_previews;       /* thumbnails notified before the analysis */
  int   preview_width;
  int   preview_height;
} Seen;

static void
thumbnail_notify_cb (AtelierTrainingPhoto *photo,
                     GParamSpec           *pspec,
                     Seen                 *seen)
{
  GdkTexture *thumbnail = atelier_training_photo_get_thumbnail (photo);

  if (!atelier_training_photo_get_analyzed (photo) && thumbnail != NULL)
    {
      seen->n_previews++;
      seen->preview_width = gdk_texture_get_width (thumbnail);
      seen->preview_height = gdk_texture_get_height (thumbnail);
    }
}

/* A 12-megapixel photo with the test photo's EXIF block (ExifTool's
 * APP1 segment, whose offsets are its own) in front of its image data. */
static GFile *
write_big_photo (const char *dir)
{
  g_autoptr(GBytes) small = read_data ("exif-thumbnail-ii.jpg");
  g_autoptr(GBytes) big = atelier_test_make_image (4000, 3000, 3, "jpeg");
  const guint8 *exif = g_bytes_get_data (small, NULL);
  gsize exif_length = 2 + ((gsize) exif[4] << 8 | exif[5]);   /* the APP1 segment, after SOI */
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autofree char *path = g_build_filename (dir, "IMG_0001.jpg", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmphex (exif[3], ==, 0xe1);
  g_byte_array_append (out, (const guint8 *) "\xff\xd8", 2);
  g_byte_array_append (out, exif + 2, (guint) exif_length);
  g_byte_array_append (out, (const guint8 *) g_bytes_get_data (big, NULL) + 2, (guint) g_bytes_get_size (big) - 2);
  g_file_set_contents (path, (const char *) out->data, out->len, &error);
  g_assert_no_error (error);

  return g_file_new_for_path (path);
}

static void
test_photo_list_preview (void)
{
  g_autofree char *dir = g_dir_make_tmp ("atelier-image-utils-XXXXXX", NULL);
  g_autoptr(AtelierPhotoList) list = atelier_photo_list_new ();
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  AtelierTrainingPhoto *photo;
  GdkTexture *thumbnail;
  Seen seen = { 0 };

  g_ptr_array_add (files, write_big_photo (dir));
  atelier_photo_list_set_thumbnail_size (list, 200);
  g_assert_cmpuint (atelier_photo_list_add_files (list, files), ==, 1);
  photo = atelier_photo_list_get_photo (list, 0);
  g_signal_connect (photo, "notify::thumbnail", G_CALLBACK (thumbnail_notify_cb), &seen);

  atelier_test_wait_until (atelier_training_photo_get_analyzed (photo), 60000);

  /* First the EXIF thumbnail (160 × 120, read from the first 72 KiB),
   * before the analysis decoded the 12 megapixels; then the photo's own. */
  g_assert_cmpuint (seen.n_previews, ==, 1);
  g_assert_cmpint (seen.preview_width, ==, 160);
  g_assert_cmpint (seen.preview_height, ==, 120);
  thumbnail = atelier_training_photo_get_thumbnail (photo);
  g_assert_nonnull (thumbnail);
  g_assert_cmpint (gdk_texture_get_width (thumbnail), ==, 200);
  g_assert_cmpint (gdk_texture_get_height (thumbnail), ==, 150);
  g_assert_cmpint (atelier_training_photo_get_width (photo), ==, 4000);

  g_signal_handlers_disconnect_by_data (photo, &seen);
  g_clear_object (&list);
  atelier_test_rm_rf (dir);
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/image-utils/exif-thumbnail/find", test_find);
  g_test_add_func ("/image-utils/exif-thumbnail/load", test_load);
  g_test_add_func ("/image-utils/exif-thumbnail/none", test_none);
  g_test_add_func ("/image-utils/exif-thumbnail/damaged", test_damaged);
  g_test_add_func ("/image-utils/photo-list/exif-first", test_photo_list_preview);

  return g_test_run ();
}
