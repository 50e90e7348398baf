/* atelier-photo-checks.c: what can be told about a training photo locally
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "atelier-image-utils.h"
#include "atelier-photo-checks.h"

#define READ_CHUNK (256 * 1024)

void
atelier_photo_analysis_free (AtelierPhotoAnalysis *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->thumbnail);
  g_free (self->problem);
  g_free (self);
}

AtelierPhotoChecks
atelier_photo_checks_for_size (int     width,
                               int     height,
                               goffset size)
{
  AtelierPhotoChecks checks = ATELIER_PHOTO_CHECK_NONE;
  int shorter = MIN (width, height);
  int longer = MAX (width, height);

  if (shorter <= 0)
    return checks;

  if (shorter < ATELIER_PHOTO_MIN_SIDE)
    checks |= ATELIER_PHOTO_CHECK_TOO_SMALL;
  if ((double) longer / shorter >= ATELIER_PHOTO_EXTREME_ASPECT)
    checks |= ATELIER_PHOTO_CHECK_EXTREME_ASPECT;
  if (size > ATELIER_PHOTO_HUGE_BYTES || (gint64) width * height > ATELIER_PHOTO_HUGE_PIXELS)
    checks |= ATELIER_PHOTO_CHECK_HUGE;

  return checks;
}

/* {{{ Perceptual hashes */

/* The mean luminance of @pixbuf in a @cols × @rows grid, each cell the
 * average of the pixels it covers (a box filter, so small pictures and
 * big ones of the same photo agree). */
static void
luminance_grid (GdkPixbuf *pixbuf,
                int        cols,
                int        rows,
                double    *grid)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  const guint8 *pixels = gdk_pixbuf_read_pixels (pixbuf);

  for (int r = 0; r < rows; r++)
    {
      int y0 = r * height / rows;
      int y1 = MAX (y0 + 1, (r + 1) * height / rows);

      for (int c = 0; c < cols; c++)
        {
          int x0 = c * width / cols;
          int x1 = MAX (x0 + 1, (c + 1) * width / cols);
          guint64 sum = 0;
          guint64 n = 0;

          for (int y = y0; y < MIN (y1, height); y++)
            {
              const guint8 *p = pixels + (gsize) y * stride + (gsize) x0 * channels;

              for (int x = x0; x < MIN (x1, width); x++, p += channels)
                {
                  sum += 299u * p[0] + 587u * p[1] + 114u * p[2];
                  n++;
                }
            }

          grid[r * cols + c] = n > 0 ? (double) sum / (1000.0 * n) : 0.0;
        }
    }
}

void
atelier_photo_compute_hashes (GdkPixbuf *pixbuf,
                              guint64   *dhash,
                              guint64   *ahash)
{
  double diff[8 * 9];
  double avg[8 * 8];
  double mean = 0;

  g_return_if_fail (GDK_IS_PIXBUF (pixbuf));
  g_return_if_fail (gdk_pixbuf_get_n_channels (pixbuf) >= 3);

  luminance_grid (pixbuf, 9, 8, diff);
  luminance_grid (pixbuf, 8, 8, avg);

  *dhash = 0;
  for (int r = 0; r < 8; r++)
    for (int c = 0; c < 8; c++)
      if (diff[r * 9 + c] > diff[r * 9 + c + 1])
        *dhash |= G_GUINT64_CONSTANT (1) << (r * 8 + c);

  for (int i = 0; i < 64; i++)
    mean += avg[i];
  mean /= 64;

  *ahash = 0;
  for (int i = 0; i < 64; i++)
    if (avg[i] > mean)
      *ahash |= G_GUINT64_CONSTANT (1) << i;
}

guint
atelier_photo_hash_distance (guint64 a,
                             guint64 b)
{
  return (guint) __builtin_popcountll (a ^ b);
}

gboolean
atelier_photo_hashes_are_near (guint64 dhash_a,
                               guint64 ahash_a,
                               guint64 dhash_b,
                               guint64 ahash_b)
{
  return atelier_photo_hash_distance (dhash_a, dhash_b) <= ATELIER_PHOTO_NEAR_DISTANCE &&
         atelier_photo_hash_distance (ahash_a, ahash_b) <= ATELIER_PHOTO_NEAR_DISTANCE;
}

/* }}} */

/* {{{ Analysis */

static const char *
format_name (const char *mime_type)
{
  if (g_strcmp0 (mime_type, "image/webp") == 0)
    return "WebP";
  if (g_strcmp0 (mime_type, "image/heic") == 0)
    return "HEIC";
  if (g_strcmp0 (mime_type, "image/avif") == 0)
    return "AVIF";
  if (g_strcmp0 (mime_type, "image/gif") == 0)
    return "GIF";
  if (g_strcmp0 (mime_type, "image/png") == 0)
    return "PNG";
  return "JPEG";
}

char *
atelier_photo_compute_checksum (GFile         *file,
                                GCancellable  *cancellable,
                                GError       **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = NULL;
  gssize n;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return NULL;

  buffer = g_malloc (READ_CHUNK);
  while ((n = g_input_stream_read (G_INPUT_STREAM (stream), buffer, READ_CHUNK, cancellable, error)) > 0)
    g_checksum_update (sha, buffer, n);

  if (n < 0)
    return NULL;

  return g_strdup (g_checksum_get_string (sha));
}

/* The size and the first bytes of @file. */
static gboolean
read_head (GFile         *file,
           guint8        *head,
           gsize         *head_len,
           goffset       *size,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return FALSE;

  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, error);
  if (info == NULL)
    return FALSE;
  *size = g_file_info_get_size (info);

  return g_input_stream_read_all (G_INPUT_STREAM (stream), head, *head_len, head_len, cancellable, error);
}

AtelierPhotoAnalysis *
atelier_photo_analyze (GFile         *file,
                       int            thumb_size,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(AtelierPhotoAnalysis) analysis = g_new0 (AtelierPhotoAnalysis, 1);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *name = g_filename_display_name (basename != NULL ? basename : "?");
  guint8 head[32];
  gsize head_len = sizeof head;
  const char *mime_type;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (thumb_size > 0, NULL);

  if (!read_head (file, head, &head_len, &analysis->size, cancellable, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }

      analysis->checks = ATELIER_PHOTO_CHECK_UNREADABLE;
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        /* Translators: %s is a file name */
        analysis->problem = g_strdup_printf (_("“%s” is not there any more"), name);
      else
        /* Translators: the first %s is a file name, the second why it cannot be read */
        analysis->problem = g_strdup_printf (_("“%s” cannot be read: %s"), name, local_error->message);
      return g_steal_pointer (&analysis);
    }

  mime_type = atelier_image_sniff_mime_type (head, head_len);

  pixbuf = atelier_image_load_scaled (file, thumb_size, &analysis->width, &analysis->height,
                                      cancellable, &local_error);
  if (pixbuf == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }

      analysis->width = analysis->height = 0;
      if (mime_type == NULL)
        {
          analysis->checks = ATELIER_PHOTO_CHECK_NOT_IMAGE;
          /* Translators: %s is a file name */
          analysis->problem = g_strdup_printf (_("“%s” is not an image file"), name);
        }
      else if (g_error_matches (local_error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_UNKNOWN_TYPE))
        {
          analysis->checks = ATELIER_PHOTO_CHECK_UNREADABLE;
          /* Translators: the first %s is a file name, the second an image format such as "WebP" */
          analysis->problem = g_strdup_printf (_("“%s” is a %s image, a format that cannot be read here: convert it to JPEG"),
                                               name, format_name (mime_type));
        }
      else
        {
          analysis->checks = ATELIER_PHOTO_CHECK_UNREADABLE;
          /* Translators: %s is a file name */
          analysis->problem = g_strdup_printf (_("“%s” is damaged or incomplete and cannot be decoded"), name);
        }
      return g_steal_pointer (&analysis);
    }

  if (gdk_pixbuf_get_n_channels (pixbuf) >= 3)
    atelier_photo_compute_hashes (pixbuf, &analysis->dhash, &analysis->ahash);
  analysis->checks = atelier_photo_checks_for_size (analysis->width, analysis->height, analysis->size);
  analysis->thumbnail = gdk_texture_new_for_pixbuf (pixbuf);

  return g_steal_pointer (&analysis);
}

GFile *
atelier_photo_write_upload_copy (GFile         *file,
                                 const char    *dir,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *name = g_strconcat (uuid, ".jpg", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (dir != NULL, NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "%s: %s", dir, g_strerror (saved_errno));
      return NULL;
    }

  pixbuf = atelier_image_load_scaled (file, ATELIER_PHOTO_UPLOAD_MAX_SIDE, NULL, NULL, cancellable, error);
  if (pixbuf == NULL)
    return NULL;

  if (gdk_pixbuf_get_has_alpha (pixbuf))
    {
      g_autoptr(GdkPixbuf) flat = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8,
                                                  gdk_pixbuf_get_width (pixbuf),
                                                  gdk_pixbuf_get_height (pixbuf));

      gdk_pixbuf_fill (flat, 0xffffffff);
      gdk_pixbuf_composite (pixbuf, flat, 0, 0, gdk_pixbuf_get_width (pixbuf), gdk_pixbuf_get_height (pixbuf),
                            0, 0, 1, 1, GDK_INTERP_NEAREST, 255);
      g_set_object (&pixbuf, flat);
    }

  if (!gdk_pixbuf_save (pixbuf, path, "jpeg", error, "quality", "92", NULL))
    return NULL;

  return g_file_new_for_path (path);
}

/* }}} */

const char *
atelier_photo_check_describe (AtelierPhotoChecks check)
{
  switch (check)
    {
    case ATELIER_PHOTO_CHECK_NOT_IMAGE:
      return _("Not an image");
    case ATELIER_PHOTO_CHECK_UNREADABLE:
      return _("Cannot be decoded");
    case ATELIER_PHOTO_CHECK_TOO_SMALL:
      return _("Too small");
    case ATELIER_PHOTO_CHECK_DUPLICATE:
      return _("Duplicate");
    case ATELIER_PHOTO_CHECK_NEAR_DUPLICATE:
      return _("Near duplicate");
    case ATELIER_PHOTO_CHECK_EXTREME_ASPECT:
      return _("Extreme aspect ratio");
    case ATELIER_PHOTO_CHECK_HUGE:
      return _("Downscaled for upload");
    case ATELIER_PHOTO_CHECK_NONE:
    default:
      return NULL;
    }
}
