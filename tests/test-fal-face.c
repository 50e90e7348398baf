/* test-fal-face.c: preparing face photos for fal.ai's ip-adapter-face-id
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <string.h>

#include "atelier-fal-face.h"
#include "atelier-test-utils.h"

static void
assert_is_face_jpeg (GBytes *jpeg)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_mime_type ("image/jpeg", NULL);
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf;

  g_assert_nonnull (jpeg);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (jpeg, NULL), "\xff\xd8\xff"));
  g_assert_true (gdk_pixbuf_loader_write_bytes (loader, jpeg, &error));
  g_assert_true (gdk_pixbuf_loader_close (loader, &error));
  g_assert_no_error (error);
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, ATELIER_FAL_FACE_SIZE);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, ATELIER_FAL_FACE_SIZE);
}

static GdkPixbuf *
decode (GBytes *bytes)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_mime_type ("image/jpeg", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (gdk_pixbuf_loader_write_bytes (loader, bytes, &error));
  g_assert_true (gdk_pixbuf_loader_close (loader, &error));
  g_assert_no_error (error);

  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

static void
test_prepare_jpeg (void)
{
  struct { int width, height; const char *format; } cases[] = {
    { 1600, 1200, "jpeg" },  /* landscape, scaled down */
    { 900, 2000, "jpeg" },   /* portrait */
    { 300, 200, "jpeg" },    /* small: scaled up to 640 */
    { 640, 640, "png" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) photo = atelier_test_make_image (cases[i].width, cases[i].height, i, cases[i].format);
      g_autoptr(GBytes) jpeg = NULL;
      g_autoptr(GError) error = NULL;
      int width = 0;
      int height = 0;

      jpeg = atelier_fal_face_prepare (photo, &width, &height, &error);
      g_assert_no_error (error);
      assert_is_face_jpeg (jpeg);
      g_assert_cmpint (width, ==, cases[i].width);
      g_assert_cmpint (height, ==, cases[i].height);
    }
}

/* A JPEG of @width × @height, red on its left half and blue on its right,
 * with an EXIF block saying @orientation. */
static GBytes *
make_oriented_jpeg (int width,
                    int height,
                    int orientation)
{
  /* APP1: "Exif\0\0", a big-endian TIFF header, IFD0 with one entry
   * (Orientation, SHORT, 1) and no next IFD. */
  const guint8 app1[] = {
    0xff, 0xe1, 0x00, 0x22,
    'E', 'x', 'i', 'f', 0, 0,
    'M', 'M', 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08,
    0x00, 0x01,
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, (guint8) orientation, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
  };
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  g_autofree char *buffer = NULL;
  GByteArray *out;
  gsize size = 0;
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);

  G_STATIC_ASSERT (sizeof app1 == 2 + 0x22);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = pixels + y * stride + x * 3;

        p[0] = x < width / 2 ? 230 : 20;
        p[1] = 20;
        p[2] = x < width / 2 ? 20 : 230;
      }

  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &error, "quality", "95", NULL));
  g_assert_no_error (error);

  /* SOI, then our APP1, then the rest */
  out = g_byte_array_new ();
  g_byte_array_append (out, (const guint8 *) buffer, 2);
  g_byte_array_append (out, app1, sizeof app1);
  g_byte_array_append (out, (const guint8 *) buffer + 2, (guint) size - 2);

  return g_byte_array_free_to_bytes (out);
}

static gboolean
is_red (GdkPixbuf *pixbuf,
        int        x,
        int        y)
{
  const guint8 *p = gdk_pixbuf_read_pixels (pixbuf) + y * gdk_pixbuf_get_rowstride (pixbuf) +
                    x * gdk_pixbuf_get_n_channels (pixbuf);

  return p[0] > 150 && p[2] < 100;
}

static gboolean
is_blue (GdkPixbuf *pixbuf,
         int        x,
         int        y)
{
  const guint8 *p = gdk_pixbuf_read_pixels (pixbuf) + y * gdk_pixbuf_get_rowstride (pixbuf) +
                    x * gdk_pixbuf_get_n_channels (pixbuf);

  return p[2] > 150 && p[0] < 100;
}

static void
test_prepare_exif_rotated (void)
{
  g_autoptr(GBytes) plain = make_oriented_jpeg (800, 400, 1);
  g_autoptr(GBytes) rotated = make_oriented_jpeg (800, 400, 6);
  g_autoptr(GBytes) plain_jpeg = NULL;
  g_autoptr(GBytes) rotated_jpeg = NULL;
  g_autoptr(GdkPixbuf) plain_face = NULL;
  g_autoptr(GdkPixbuf) rotated_face = NULL;
  g_autoptr(GError) error = NULL;
  int width = 0;
  int height = 0;

  /* As stored: red left, blue right */
  plain_jpeg = atelier_fal_face_prepare (plain, &width, &height, &error);
  g_assert_no_error (error);
  assert_is_face_jpeg (plain_jpeg);
  g_assert_cmpint (width, ==, 800);
  g_assert_cmpint (height, ==, 400);
  plain_face = decode (plain_jpeg);
  g_assert_true (is_red (plain_face, 100, 320));
  g_assert_true (is_blue (plain_face, 540, 320));

  /* Orientation 6 (turn 90° clockwise to show): the left half is on top */
  rotated_jpeg = atelier_fal_face_prepare (rotated, &width, &height, &error);
  g_assert_no_error (error);
  assert_is_face_jpeg (rotated_jpeg);
  g_assert_cmpint (width, ==, 400);
  g_assert_cmpint (height, ==, 800);
  rotated_face = decode (rotated_jpeg);
  g_assert_true (is_red (rotated_face, 100, 100));
  g_assert_true (is_red (rotated_face, 540, 100));
  g_assert_true (is_blue (rotated_face, 100, 540));
  g_assert_true (is_blue (rotated_face, 540, 540));
}

static void
test_prepare_too_small (void)
{
  g_autoptr(GBytes) photo = atelier_test_make_image (100, 100, 1, "jpeg");
  g_autoptr(GBytes) thin = atelier_test_make_image (1000, 100, 1, "png");
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(GError) error = NULL;

  jpeg = atelier_fal_face_prepare (photo, NULL, NULL, &error);
  g_assert_error (error, ATELIER_FAL_FACE_ERROR, ATELIER_FAL_FACE_ERROR_TOO_SMALL);
  g_assert_nonnull (strstr (error->message, "100 × 100"));
  g_assert_null (jpeg);
  g_clear_error (&error);

  jpeg = atelier_fal_face_prepare (thin, NULL, NULL, &error);
  g_assert_error (error, ATELIER_FAL_FACE_ERROR, ATELIER_FAL_FACE_ERROR_TOO_SMALL);
  g_assert_null (jpeg);
}

static void
test_prepare_too_many_pixels (void)
{
  g_autoptr(GBytes) bomb = atelier_test_make_png_header (30000, 30000);
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(GError) error = NULL;

  jpeg = atelier_fal_face_prepare (bomb, NULL, NULL, &error);
  g_assert_error (error, ATELIER_FAL_FACE_ERROR, ATELIER_FAL_FACE_ERROR_TOO_MANY_PIXELS);
  g_assert_nonnull (strstr (error->message, "30000 × 30000"));
  g_assert_null (jpeg);
}

static void
test_prepare_not_an_image (void)
{
  g_autoptr(GBytes) noise = NULL;
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(GError) error = NULL;
  guint8 data[4096];

  for (gsize i = 0; i < sizeof data; i++)
    data[i] = (guint8) g_test_rand_int_range (0, 256);
  data[0] = 'x';  /* never a known signature by chance */
  noise = g_bytes_new (data, sizeof data);

  jpeg = atelier_fal_face_prepare (noise, NULL, NULL, &error);
  g_assert_error (error, ATELIER_FAL_FACE_ERROR, ATELIER_FAL_FACE_ERROR_NOT_AN_IMAGE);
  g_assert_null (jpeg);
  g_clear_error (&error);

  jpeg = atelier_fal_face_prepare (empty, NULL, NULL, &error);
  g_assert_error (error, ATELIER_FAL_FACE_ERROR, ATELIER_FAL_FACE_ERROR_NOT_AN_IMAGE);
  g_assert_null (jpeg);
}

/* A JPEG cut in the middle is refused as damaged, not sent half grey. */
static void
test_prepare_truncated (void)
{
  g_autoptr(GBytes) photo = atelier_test_make_image (800, 800, 4, "jpeg");
  g_autoptr(GBytes) half = g_bytes_new_from_bytes (photo, 0, g_bytes_get_size (photo) / 2);
  g_autoptr(GBytes) png = atelier_test_make_image (400, 400, 4, "png");
  g_autoptr(GBytes) png_half = g_bytes_new_from_bytes (png, 0, g_bytes_get_size (png) / 2);
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(GError) error = NULL;

  jpeg = atelier_fal_face_prepare (half, NULL, NULL, &error);
  g_assert_error (error, ATELIER_FAL_FACE_ERROR, ATELIER_FAL_FACE_ERROR_CORRUPT);
  g_assert_null (jpeg);
  g_clear_error (&error);

  jpeg = atelier_fal_face_prepare (png_half, NULL, NULL, &error);
  g_assert_error (error, ATELIER_FAL_FACE_ERROR, ATELIER_FAL_FACE_ERROR_CORRUPT);
  g_assert_null (jpeg);
}

static void
test_prepare_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("atelier-fal-face-XXXXXX", NULL);
  g_autoptr(GFile) photo = atelier_test_write_image (dir, "face.jpg", 1200, 900, 2, "jpeg");
  g_autofree char *big_path = g_build_filename (dir, "huge.jpg", NULL);
  g_autoptr(GFile) big = g_file_new_for_path (big_path);
  g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent/face.jpg");
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autoptr(GAsyncResult) r3 = NULL;
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(GError) error = NULL;

  atelier_fal_face_prepare_file_async (photo, NULL, atelier_test_store_result, &r1);
  jpeg = atelier_fal_face_prepare_file_finish (atelier_test_wait_result (&r1), &error);
  g_assert_no_error (error);
  assert_is_face_jpeg (jpeg);
  g_clear_pointer (&jpeg, g_bytes_unref);

  /* A sparse 200 MB file: refused by its size, never read */
  stream = g_file_replace (big, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (G_OUTPUT_STREAM (stream), "\xff\xd8\xff", 3, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_seekable_truncate (G_SEEKABLE (stream), 200 * 1024 * 1024, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &error));

  atelier_fal_face_prepare_file_async (big, NULL, atelier_test_store_result, &r2);
  jpeg = atelier_fal_face_prepare_file_finish (atelier_test_wait_result (&r2), &error);
  g_assert_error (error, ATELIER_FAL_FACE_ERROR, ATELIER_FAL_FACE_ERROR_TOO_BIG_FILE);
  g_assert_nonnull (strstr (error->message, "huge.jpg"));
  g_assert_null (jpeg);
  g_clear_error (&error);

  atelier_fal_face_prepare_file_async (missing, NULL, atelier_test_store_result, &r3);
  jpeg = atelier_fal_face_prepare_file_finish (atelier_test_wait_result (&r3), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (jpeg);

  atelier_test_rm_rf (dir);
}

static void
test_zip (void)
{
  g_autoptr(GPtrArray) jpegs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) too_many = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autoptr(GBytes) zip = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  struct archive *archive;
  struct archive_entry *entry;
  guint n = 0;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GBytes) photo = atelier_test_make_image (700 + i * 50, 800, i, "jpeg");

      g_ptr_array_add (jpegs, atelier_fal_face_prepare (photo, NULL, NULL, &error));
      g_assert_no_error (error);
    }

  zip = atelier_fal_faces_zip (jpegs, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (zip, NULL), "PK\x03\x04"));

  archive = archive_read_new ();
  archive_read_support_format_zip (archive);
  g_assert_cmpint (archive_read_open_memory (archive, g_bytes_get_data (zip, NULL), g_bytes_get_size (zip)),
                   ==, ARCHIVE_OK);
  while (archive_read_next_header (archive, &entry) == ARCHIVE_OK)
    {
      GBytes *expected = g_ptr_array_index (jpegs, n);
      g_autofree char *name = g_strdup_printf ("face-%u.jpg", n + 1);
      g_autofree guint8 *data = g_malloc (g_bytes_get_size (expected) + 1);
      la_ssize_t got;

      g_assert_cmpuint (n, <, 3);
      g_assert_cmpstr (archive_entry_pathname (entry), ==, name);
      got = archive_read_data (archive, data, g_bytes_get_size (expected) + 1);
      g_assert_cmpint (got, ==, (la_ssize_t) g_bytes_get_size (expected));
      g_assert_cmpmem (data, got, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
      n++;
    }
  g_assert_cmpuint (n, ==, 3);
  archive_read_free (archive);

  /* The data URL holds the same archive */
  url = atelier_fal_faces_zip_data_url (jpegs, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (url, "data:application/zip;base64,"));
  {
    gsize length = 0;
    g_autofree guint8 *decoded = g_base64_decode (url + strlen ("data:application/zip;base64,"), &length);

    g_assert_cmpmem (decoded, length, g_bytes_get_data (zip, NULL), g_bytes_get_size (zip));
  }

  /* 0 or more than MAX_FACES are refused */
  g_clear_pointer (&zip, g_bytes_unref);
  zip = atelier_fal_faces_zip (none, &error);
  g_assert_error (error, ATELIER_FAL_FACE_ERROR, ATELIER_FAL_FACE_ERROR_TOO_MANY_FACES);
  g_assert_null (zip);
  g_clear_error (&error);

  for (guint i = 0; i < ATELIER_FAL_MAX_FACES + 1; i++)
    g_ptr_array_add (too_many, g_bytes_ref (g_ptr_array_index (jpegs, 0)));
  zip = atelier_fal_faces_zip (too_many, &error);
  g_assert_error (error, ATELIER_FAL_FACE_ERROR, ATELIER_FAL_FACE_ERROR_TOO_MANY_FACES);
  g_assert_null (zip);
}

static void
test_data_url (void)
{
  g_autoptr(GBytes) photo = atelier_test_make_image (800, 800, 9, "jpeg");
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(GBytes) huge = NULL;
  g_autoptr(GPtrArray) huge_list = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *too_long = NULL;
  g_autofree guint8 *decoded = NULL;
  g_autofree guint8 *filler = NULL;
  gsize length = 0;
  /* Just over the limit once encoded */
  gsize huge_size = ATELIER_FAL_MAX_DATA_URL / 4 * 3 + 3;

  for (gsize size = 0; size < 5; size++)
    {
      /* Every padding case encodes and decodes back */
      g_autoptr(GBytes) small = g_bytes_new ("\xff\xd8\xff\x01\x02", size);
      g_autofree char *small_url = atelier_fal_face_data_url (small, &error);
      g_autofree char *expected_base64 = g_base64_encode (g_bytes_get_data (small, NULL), size);
      g_autofree char *expected = g_strconcat ("data:image/jpeg;base64,", expected_base64, NULL);

      g_assert_no_error (error);
      g_assert_cmpstr (small_url, ==, expected);
    }

  jpeg = atelier_fal_face_prepare (photo, NULL, NULL, &error);
  g_assert_no_error (error);
  url = atelier_fal_face_data_url (jpeg, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (url, "data:image/jpeg;base64,"));
  decoded = g_base64_decode (url + strlen ("data:image/jpeg;base64,"), &length);
  g_assert_cmpmem (decoded, length, g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg));

  filler = g_malloc0 (huge_size);
  huge = g_bytes_new_take (g_steal_pointer (&filler), huge_size);
  too_long = atelier_fal_face_data_url (huge, &error);
  g_assert_error (error, ATELIER_FAL_FACE_ERROR, ATELIER_FAL_FACE_ERROR_TOO_LONG_URL);
  g_assert_null (too_long);
  g_clear_error (&error);

  g_ptr_array_add (huge_list, huge);
  too_long = atelier_fal_faces_zip_data_url (huge_list, &error);
  g_assert_error (error, ATELIER_FAL_FACE_ERROR, ATELIER_FAL_FACE_ERROR_TOO_LONG_URL);
  g_assert_null (too_long);
}

static void
test_url_is_sendable (void)
{
  struct { const char *url; gboolean sendable; } cases[] = {
    { "https://sdbooth2-production.s3.amazonaws.com/face.jpg", TRUE },
    { "HTTPS://example.com/a.png", TRUE },
    { "http://127.0.0.1:8080/sandbox/images/1-0.jpg", TRUE },
    { "http://127.1.2.3/a.jpg", TRUE },
    { "http://[::1]:9000/a.jpg", TRUE },
    { "http://localhost/a.jpg", TRUE },
    { "http://example.com/a.jpg", FALSE },
    { "http://10.0.0.1/a.jpg", FALSE },
    { "file:///etc/passwd", FALSE },
    { "javascript:alert(1)", FALSE },
    { "data:image/jpeg;base64,/9j/", FALSE },
    { "https://", FALSE },
    { "not a url", FALSE },
    { "", FALSE },
    { NULL, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].url);
      g_assert_cmpint (atelier_fal_face_url_is_sendable (cases[i].url), ==, cases[i].sendable);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/fal-face/prepare/jpeg", test_prepare_jpeg);
  g_test_add_func ("/fal-face/prepare/exif-rotated", test_prepare_exif_rotated);
  g_test_add_func ("/fal-face/prepare/too-small", test_prepare_too_small);
  g_test_add_func ("/fal-face/prepare/too-many-pixels", test_prepare_too_many_pixels);
  g_test_add_func ("/fal-face/prepare/not-an-image", test_prepare_not_an_image);
  g_test_add_func ("/fal-face/prepare/truncated", test_prepare_truncated);
  g_test_add_func ("/fal-face/prepare/file", test_prepare_file);
  g_test_add_func ("/fal-face/zip", test_zip);
  g_test_add_func ("/fal-face/data-url", test_data_url);
  g_test_add_func ("/fal-face/url-is-sendable", test_url_is_sendable);

  return g_test_run ();
}
