/* atelier-test-utils.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "atelier-test-utils.h"

AtelierSandboxServer *
atelier_test_server_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  AtelierSandboxServer *server;

  dir = g_dir_make_tmp ("atelier-sandbox-XXXXXX", &error);
  g_assert_no_error (error);

  server = atelier_sandbox_server_new (dir);
  atelier_sandbox_server_set_training_delay_ms (server, 200);
  atelier_sandbox_server_set_prompt_delay_ms (server, 200);
  atelier_sandbox_server_set_fal_delay_ms (server, 200);
  atelier_sandbox_server_set_image_size (server, 256);
  /* /__sandbox/faults over HTTP, behind the key (the app's own sandbox
   * has them off). */
  atelier_sandbox_server_set_test_controls (server, TRUE);
  atelier_sandbox_server_start (server, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (atelier_sandbox_server_get_port (server), >, 0);

  return server;
}

void
atelier_test_server_free (AtelierSandboxServer *server)
{
  g_autofree char *dir = g_strdup (atelier_sandbox_server_get_data_dir (server));

  atelier_sandbox_server_stop (server);
  g_assert_finalize_object (server);
  atelier_test_rm_rf (dir);
}

void
atelier_test_store_result (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

GAsyncResult *
atelier_test_wait_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

GBytes *
atelier_test_make_image (int         width,
                         int         height,
                         guint       seed,
                         const char *format)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *buffer = NULL;
  gsize size = 0;
  guchar *pixels;
  int rowstride;

  pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  pixels = gdk_pixbuf_get_pixels (pixbuf);
  rowstride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guchar *p = pixels + y * rowstride + x * 3;
        guint cell = ((x / 16) + (y / 16) + seed) % 7;

        p[0] = (guchar) ((x * 255 / MAX (width, 1) + seed * 37) & 0xff);
        p[1] = (guchar) ((y * 255 / MAX (height, 1) + seed * 71) & 0xff);
        p[2] = (guchar) (cell * 36);
      }

  if (format == NULL || g_str_equal (format, "jpeg") || g_str_equal (format, "jpg"))
    gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &error, "quality", "90", NULL);
  else
    gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, format, &error, NULL);
  g_assert_no_error (error);

  return g_bytes_new_take (g_steal_pointer (&buffer), size);
}

GFile *
atelier_test_write_image (const char *dir,
                          const char *name,
                          int         width,
                          int         height,
                          guint       seed,
                          const char *format)
{
  g_autoptr(GBytes) bytes = atelier_test_make_image (width, height, seed, format);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);

  return g_file_new_for_path (path);
}

void
atelier_test_rm_rf (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    return;

  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          atelier_test_rm_rf (child);
        }
    }

  g_remove (path);
}

static guint32
crc32 (const guint8 *data,
       gsize         length)
{
  guint32 crc = 0xffffffff;

  for (gsize i = 0; i < length; i++)
    {
      crc ^= data[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xedb88320 & -(crc & 1));
    }

  return crc ^ 0xffffffff;
}

static void
append_be32 (GByteArray *out,
             guint32     value)
{
  guint8 be[4] = { value >> 24, value >> 16, value >> 8, value };

  g_byte_array_append (out, be, 4);
}

static void
append_chunk (GByteArray   *out,
              const char   *type,
              const guint8 *data,
              guint         length)
{
  g_autoptr(GByteArray) typed = g_byte_array_new ();

  g_byte_array_append (typed, (const guint8 *) type, 4);
  g_byte_array_append (typed, data, length);
  append_be32 (out, length);
  g_byte_array_append (out, typed->data, typed->len);
  append_be32 (out, crc32 (typed->data, typed->len));
}

GBytes *
atelier_test_make_png_header (guint32 width,
                 guint32 height)
{
  GByteArray *out = g_byte_array_new ();
  g_autoptr(GByteArray) ihdr = g_byte_array_new ();
  /* zlib: a stored block with one filter byte and a pixel */
  const guint8 idat[] = { 0x78, 0x01, 0x01, 0x04, 0x00, 0xfb, 0xff, 0, 1, 2, 3, 0x00, 0x18, 0x00, 0x07 };
  const guint8 rest[] = { 8, 2, 0, 0, 0 };  /* 8 bits, RGB, deflate, no filter, no interlace */

  g_byte_array_append (out, (const guint8 *) "\x89PNG\r\n\x1a\n", 8);
  append_be32 (ihdr, width);
  append_be32 (ihdr, height);
  g_byte_array_append (ihdr, rest, sizeof rest);
  append_chunk (out, "IHDR", ihdr->data, ihdr->len);
  append_chunk (out, "IDAT", idat, sizeof idat);
  append_chunk (out, "IEND", NULL, 0);

  return g_byte_array_free_to_bytes (out);
}
