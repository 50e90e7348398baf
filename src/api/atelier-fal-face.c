/* atelier-fal-face.c: the face fal.ai's ip-adapter-face-id is given
 *
 * Preparing a photo, in stages, each refusing with its own error code
 * before the next costs anything:
 *  1. the file's size, from its metadata, before reading it
 *     (prepare_file_async only);
 *  2. the format, sniffed from the first bytes;
 *  3. the header's dimensions, read by the decoder before any pixel
 *     (atelier_image_decode_bytes() stops it over MAX_PIXELS);
 *  4. decoding, scaled while decoding so the short side is about 640,
 *     upright by the EXIF orientation; a cut-off image is CORRUPT (a JPEG
 *     without its end marker, a PNG without its IEND chunk);
 *  5. the short side against MIN_SIDE, the centre square cropped, put on
 *     white and scaled to exactly 640×640 in one composite, JPEG at 90.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n-lib.h>

#include "atelier-astria-client.h"
#include "atelier-fal-face.h"
#include "atelier-image-utils.h"

#define JPEG_QUALITY "90"

G_DEFINE_QUARK (atelier-fal-face-error-quark, atelier_fal_face_error)

/* “name”, or “The photo” for bytes without a file. */
static char *
subject (const char *name)
{
  if (name == NULL)
    return g_strdup (_("The photo"));

  /* TRANSLATORS: a file name in quotes, the subject of the messages below */
  return g_strdup_printf (_("“%s”"), name);
}

/* TRUE when the PNG in @bytes has its IEND chunk (looked for near the end:
 * a few tools append data after it). */
static gboolean
png_has_end (GBytes *bytes)
{
  static const guint8 iend[] = { 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82 };
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  gsize from = size > 4096 ? size - 4096 : 0;

  for (gsize i = size >= sizeof iend ? size - sizeof iend + 1 : 0; i-- > from;)
    {
      if (memcmp (data + i, iend, sizeof iend) == 0)
        return TRUE;
    }

  return FALSE;
}

static GBytes *
prepare_named (GBytes        *bytes,
               const char    *name,
               int           *width,
               int           *height,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autofree char *who = subject (name);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) square = NULL;
  g_autofree char *buffer = NULL;
  gsize size = 0;
  int stored_width = 0;
  int stored_height = 0;
  const char *mime_type;
  int w, h, side, x, y;
  double scale;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (width != NULL)
    *width = 0;
  if (height != NULL)
    *height = 0;

  mime_type = atelier_image_sniff_mime_type (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (mime_type == NULL)
    {
      g_set_error (error, ATELIER_FAL_FACE_ERROR, ATELIER_FAL_FACE_ERROR_NOT_AN_IMAGE,
                   _("%s is not a photo: only JPEG, PNG, WebP and GIF images can be used."), who);
      return NULL;
    }

  /* gdk-pixbuf shows a cut-off PNG with its missing rows grey; the
   * decoder already refuses a cut-off JPEG. */
  if (g_str_equal (mime_type, "image/png") && !png_has_end (bytes))
    {
      g_set_error (error, ATELIER_FAL_FACE_ERROR, ATELIER_FAL_FACE_ERROR_CORRUPT,
                   _("%s is damaged or cut off and could not be read."), who);
      return NULL;
    }

  pixbuf = atelier_image_decode_bytes (bytes, ATELIER_FAL_FACE_SIZE, ATELIER_FAL_FACE_MAX_PIXELS,
                                       &stored_width, &stored_height, cancellable, &local_error);
  if (pixbuf == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else if (g_error_matches (local_error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_INSUFFICIENT_MEMORY) &&
               (gint64) stored_width * stored_height > ATELIER_FAL_FACE_MAX_PIXELS)
        g_set_error (error, ATELIER_FAL_FACE_ERROR, ATELIER_FAL_FACE_ERROR_TOO_MANY_PIXELS,
                     _("%s is %d × %d pixels; photos over %d megapixels are not opened."),
                     who, stored_width, stored_height, ATELIER_FAL_FACE_MAX_PIXELS / 1000000);
      else if (g_error_matches (local_error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_UNKNOWN_TYPE))
        g_set_error (error, ATELIER_FAL_FACE_ERROR, ATELIER_FAL_FACE_ERROR_NOT_AN_IMAGE,
                     _("%s is in an image format Atelier cannot read."), who);
      else
        {
          g_debug ("Face photo did not decode: %s", local_error->message);
          g_set_error (error, ATELIER_FAL_FACE_ERROR, ATELIER_FAL_FACE_ERROR_CORRUPT,
                       _("%s is damaged or cut off and could not be read."), who);
        }
      return NULL;
    }

  /* The size as shown: the EXIF orientation may have swapped the axes. */
  if (stored_width != stored_height &&
      (stored_width > stored_height) != (gdk_pixbuf_get_width (pixbuf) > gdk_pixbuf_get_height (pixbuf)))
    {
      int swap = stored_width;

      stored_width = stored_height;
      stored_height = swap;
    }

  if (width != NULL)
    *width = stored_width;
  if (height != NULL)
    *height = stored_height;

  if (MIN (stored_width, stored_height) < ATELIER_FAL_FACE_MIN_SIDE)
    {
      g_set_error (error, ATELIER_FAL_FACE_ERROR, ATELIER_FAL_FACE_ERROR_TOO_SMALL,
                   _("%s is only %d × %d pixels; a face photo needs at least %d pixels on each side."),
                   who, stored_width, stored_height, ATELIER_FAL_FACE_MIN_SIDE);
      return NULL;
    }

  /* The centre square, scaled to 640×640 and put on white (JPEG has no
   * alpha) in one composite. */
  w = gdk_pixbuf_get_width (pixbuf);
  h = gdk_pixbuf_get_height (pixbuf);
  side = MIN (w, h);
  x = (w - side) / 2;
  y = (h - side) / 2;
  scale = (double) ATELIER_FAL_FACE_SIZE / side;

  square = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, ATELIER_FAL_FACE_SIZE, ATELIER_FAL_FACE_SIZE);
  if (square == NULL)
    {
      g_set_error (error, ATELIER_FAL_FACE_ERROR, ATELIER_FAL_FACE_ERROR_CORRUPT,
                   _("%s could not be read: not enough memory."), who);
      return NULL;
    }
  gdk_pixbuf_fill (square, 0xffffffff);
  gdk_pixbuf_composite (pixbuf, square, 0, 0, ATELIER_FAL_FACE_SIZE, ATELIER_FAL_FACE_SIZE,
                        -x * scale, -y * scale, scale, scale,
                        scale < 1 ? GDK_INTERP_HYPER : GDK_INTERP_BILINEAR, 255);

  if (!gdk_pixbuf_save_to_buffer (square, &buffer, &size, "jpeg", &local_error,
                                  "quality", JPEG_QUALITY, NULL))
    {
      g_warning ("Could not encode a face photo: %s", local_error->message);
      g_set_error (error, ATELIER_FAL_FACE_ERROR, ATELIER_FAL_FACE_ERROR_CORRUPT,
                   _("%s could not be converted to JPEG."), who);
      return NULL;
    }

  return g_bytes_new_take (g_steal_pointer (&buffer), size);
}

/**
 * atelier_fal_face_prepare:
 * @bytes: the bytes of a photo file
 * @width: (out) (optional): the photo's width as stored
 * @height: (out) (optional): its height
 * @error: an %ATELIER_FAL_FACE_ERROR
 *
 * Blocking. See the file's comment for the stages.
 *
 * Returns: (transfer full) (nullable): a 640×640 JPEG
 */
GBytes *
atelier_fal_face_prepare (GBytes  *bytes,
                          int     *width,
                          int     *height,
                          GError **error)
{
  return prepare_named (bytes, NULL, width, height, NULL, error);
}

static void
prepare_file_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *name = NULL;
  g_autofree char *who = NULL;
  GBytes *jpeg;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                            G_FILE_QUERY_INFO_NONE, cancellable, &error);
  if (info == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  name = g_strdup (g_file_info_get_display_name (info));
  if (name == NULL)
    name = g_filename_display_name (basename != NULL ? basename : "?");
  who = subject (name);

  if (g_file_info_get_size (info) > ATELIER_FAL_FACE_MAX_FILE_BYTES)
    {
      g_autofree char *size = g_format_size (g_file_info_get_size (info));
      g_autofree char *max = g_format_size (ATELIER_FAL_FACE_MAX_FILE_BYTES);

      g_task_return_new_error (task, ATELIER_FAL_FACE_ERROR, ATELIER_FAL_FACE_ERROR_TOO_BIG_FILE,
                               _("%s is %s; photos over %s are not opened."), who, size, max);
      return;
    }

  {
    char *contents = NULL;
    gsize length = 0;

    if (!g_file_load_contents (file, cancellable, &contents, &length, NULL, &error))
      {
        g_task_return_error (task, g_steal_pointer (&error));
        return;
      }
    bytes = g_bytes_new_take (contents, length);
  }

  /* It may have grown since. */
  if (g_bytes_get_size (bytes) > ATELIER_FAL_FACE_MAX_FILE_BYTES)
    {
      g_autofree char *max = g_format_size (ATELIER_FAL_FACE_MAX_FILE_BYTES);
      g_autofree char *size = g_format_size (g_bytes_get_size (bytes));

      g_task_return_new_error (task, ATELIER_FAL_FACE_ERROR, ATELIER_FAL_FACE_ERROR_TOO_BIG_FILE,
                               _("%s is %s; photos over %s are not opened."), who, size, max);
      return;
    }

  jpeg = prepare_named (bytes, name, NULL, NULL, cancellable, &error);
  if (jpeg == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, jpeg, (GDestroyNotify) g_bytes_unref);
}

void
atelier_fal_face_prepare_file_async (GFile               *file,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, atelier_fal_face_prepare_file_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, prepare_file_thread);
}

GBytes *
atelier_fal_face_prepare_file_finish (GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        atelier_fal_face_prepare_file_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* data: URLs */

/* "data:@media_type;base64,…" of @bytes, its length checked before
 * anything is encoded. */
static char *
data_url (GBytes      *bytes,
          const char  *media_type,
          gboolean     several,
          GError     **error)
{
  gsize size = g_bytes_get_size (bytes);
  g_autofree char *prefix = g_strdup_printf ("data:%s;base64,", media_type);
  gsize prefix_length = strlen (prefix);
  gsize encoded_length = (size / 3 + (size % 3 != 0)) * 4;
  gsize written;
  int state = 0;
  int save = 0;
  char *url;

  if (size > G_MAXSIZE / 2 || prefix_length + encoded_length > ATELIER_FAL_MAX_DATA_URL)
    {
      g_autofree char *max = g_format_size (ATELIER_FAL_MAX_DATA_URL / 4 * 3);

      if (several)
        g_set_error (error, ATELIER_FAL_FACE_ERROR, ATELIER_FAL_FACE_ERROR_TOO_LONG_URL,
                     _("The face photos are too large to send to fal.ai together (at most %s). Choose fewer photos."),
                     max);
      else
        g_set_error (error, ATELIER_FAL_FACE_ERROR, ATELIER_FAL_FACE_ERROR_TOO_LONG_URL,
                     _("The face photo is too large to send to fal.ai (at most %s)."), max);
      return NULL;
    }

  /* Encoded in place after the prefix (the base64 encoder with line
   * breaks off needs at most 4 bytes per 3 plus 4 more when closing). */
  url = g_malloc (prefix_length + encoded_length + 8);
  memcpy (url, prefix, prefix_length);
  written = g_base64_encode_step (g_bytes_get_data (bytes, NULL), size, FALSE,
                                  url + prefix_length, &state, &save);
  written += g_base64_encode_close (FALSE, url + prefix_length + written, &state, &save);
  url[prefix_length + written] = '\0';

  return url;
}

char *
atelier_fal_face_data_url (GBytes  *jpeg,
                           GError **error)
{
  g_return_val_if_fail (jpeg != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return data_url (jpeg, "image/jpeg", FALSE, error);
}

/* The zip archive, written to memory through libarchive's callbacks. */

static la_ssize_t
zip_write_cb (struct archive *archive,
              void           *user_data,
              const void     *buffer,
              size_t          length)
{
  GByteArray *out = user_data;

  if (length > G_MAXUINT - out->len)
    {
      archive_set_error (archive, ENOMEM, "archive too large");
      return -1;
    }

  g_byte_array_append (out, buffer, (guint) length);
  return (la_ssize_t) length;
}

static void
zip_failed (GError         **error,
            struct archive  *archive)
{
  g_warning ("Could not write the faces' zip archive: %s", archive_error_string (archive));
  g_set_error (error, ATELIER_FAL_FACE_ERROR, ATELIER_FAL_FACE_ERROR_CORRUPT,
               _("The face photos could not be packed together."));
}

GBytes *
atelier_fal_faces_zip (GPtrArray  *jpegs,
                       GError    **error)
{
  g_autoptr(GByteArray) out = NULL;
  struct archive *archive;

  g_return_val_if_fail (jpegs != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (jpegs->len == 0 || jpegs->len > ATELIER_FAL_MAX_FACES)
    {
      if (jpegs->len == 0)
        g_set_error (error, ATELIER_FAL_FACE_ERROR, ATELIER_FAL_FACE_ERROR_TOO_MANY_FACES,
                     _("Choose at least one face photo."));
      else
        g_set_error (error, ATELIER_FAL_FACE_ERROR, ATELIER_FAL_FACE_ERROR_TOO_MANY_FACES,
                     ngettext ("At most %d face photo can be used at once; %u were chosen.",
                               "At most %d face photos can be used at once; %u were chosen.",
                               ATELIER_FAL_MAX_FACES),
                     ATELIER_FAL_MAX_FACES, jpegs->len);
      return NULL;
    }

  out = g_byte_array_new ();
  archive = archive_write_new ();
  if (archive == NULL)
    g_error ("archive_write_new() failed: out of memory");

  /* Stored, not deflated: JPEGs don't shrink. One byte in the last block
   * means no padding after the central directory. */
  if (archive_write_set_format_zip (archive) != ARCHIVE_OK ||
      archive_write_set_options (archive, "zip:compression=store") != ARCHIVE_OK ||
      archive_write_set_bytes_in_last_block (archive, 1) != ARCHIVE_OK ||
      archive_write_open (archive, out, NULL, zip_write_cb, NULL) != ARCHIVE_OK)
    {
      zip_failed (error, archive);
      archive_write_free (archive);
      return NULL;
    }

  for (guint i = 0; i < jpegs->len; i++)
    {
      GBytes *jpeg = g_ptr_array_index (jpegs, i);
      g_autofree char *path = g_strdup_printf ("face-%u.jpg", i + 1);
      struct archive_entry *entry = archive_entry_new ();
      gsize size = g_bytes_get_size (jpeg);
      gboolean ok;

      archive_entry_set_pathname (entry, path);
      archive_entry_set_filetype (entry, AE_IFREG);
      archive_entry_set_perm (entry, 0644);
      archive_entry_set_size (entry, (la_int64_t) size);
      archive_entry_set_mtime (entry, 0, 0);

      ok = archive_write_header (archive, entry) == ARCHIVE_OK &&
           archive_write_data (archive, g_bytes_get_data (jpeg, NULL), size) == (la_ssize_t) size;
      archive_entry_free (entry);
      if (!ok)
        {
          zip_failed (error, archive);
          archive_write_free (archive);
          return NULL;
        }
    }

  if (archive_write_close (archive) != ARCHIVE_OK)
    {
      zip_failed (error, archive);
      archive_write_free (archive);
      return NULL;
    }
  archive_write_free (archive);

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

char *
atelier_fal_faces_zip_data_url (GPtrArray  *jpegs,
                                GError    **error)
{
  g_autoptr(GBytes) zip = NULL;

  g_return_val_if_fail (jpegs != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  zip = atelier_fal_faces_zip (jpegs, error);
  if (zip == NULL)
    return NULL;

  return data_url (zip, "application/zip", TRUE, error);
}

gboolean
atelier_fal_face_url_is_sendable (const char *url)
{
  return url != NULL && atelier_check_base_url (url, NULL);
}
