/* atelier-image-utils.c: decoding and downscaling off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "atelier-image-utils.h"
#include "atelier-task-private.h"

#define CHUNK_SIZE (64 * 1024)
#define JPEG_QUALITY "85"

const char *
atelier_image_sniff_mime_type (const guint8 *data,
                               gsize         size)
{
  static const struct
  {
    gsize       offset;
    const char *magic;
    gsize       length;
    const char *mime_type;
  } signatures[] = {
    { 0, "\xff\xd8\xff", 3, "image/jpeg" },
    { 0, "\x89PNG\r\n\x1a\n", 8, "image/png" },
    { 0, "GIF8", 4, "image/gif" },
    { 8, "WEBP", 4, "image/webp" },
    { 4, "ftypheic", 8, "image/heic" },
    { 4, "ftypavif", 8, "image/avif" },
  };

  g_return_val_if_fail (data != NULL || size == 0, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (signatures); i++)
    {
      if (size >= signatures[i].offset + signatures[i].length &&
          memcmp (data + signatures[i].offset, signatures[i].magic, signatures[i].length) == 0)
        return signatures[i].mime_type;
    }

  return NULL;
}

/* {{{ EXIF thumbnails
 *
 * Cameras and phones put a small JPEG (typically 160 × 120) in the EXIF
 * block at the start of a photo: APP1 "Exif\0\0", a TIFF header, IFD0
 * (with the orientation) whose "next IFD" is IFD1, the thumbnail's
 * directory (JPEGInterchangeFormat and its length, offsets from the TIFF
 * header). Every offset is checked against the block: the data is the
 * user's file, not to be trusted. */

#define EXIF_TAG_ORIENTATION       0x0112
#define EXIF_TAG_COMPRESSION       0x0103
#define EXIF_TAG_JPEG_OFFSET       0x0201
#define EXIF_TAG_JPEG_LENGTH       0x0202
#define EXIF_TYPE_SHORT            3
#define EXIF_TYPE_LONG             4
#define EXIF_MAX_IFD_ENTRIES       512

typedef struct
{
  const guint8 *data;   /* the TIFF block */
  gsize         size;
  gboolean      big_endian;
} Tiff;

static gboolean
tiff_u16 (const Tiff *tiff,
          gsize       offset,
          guint      *value)
{
  const guint8 *p;

  if (offset > tiff->size || tiff->size - offset < 2)
    return FALSE;

  p = tiff->data + offset;
  *value = tiff->big_endian ? (guint) (p[0] << 8 | p[1]) : (guint) (p[1] << 8 | p[0]);
  return TRUE;
}

static gboolean
tiff_u32 (const Tiff *tiff,
          gsize       offset,
          guint32    *value)
{
  const guint8 *p;

  if (offset > tiff->size || tiff->size - offset < 4)
    return FALSE;

  p = tiff->data + offset;
  if (tiff->big_endian)
    *value = (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
  else
    *value = (guint32) p[3] << 24 | (guint32) p[2] << 16 | (guint32) p[1] << 8 | p[0];
  return TRUE;
}

/* An entry's value when it is one SHORT or LONG (kept in the entry). */
static gboolean
tiff_entry_value (const Tiff *tiff,
                  gsize       entry,
                  guint32    *value)
{
  guint type;
  guint32 count;
  guint short_value;

  if (!tiff_u16 (tiff, entry + 2, &type) || !tiff_u32 (tiff, entry + 4, &count) || count != 1)
    return FALSE;

  if (type == EXIF_TYPE_LONG)
    return tiff_u32 (tiff, entry + 8, value);
  if (type == EXIF_TYPE_SHORT && tiff_u16 (tiff, entry + 8, &short_value))
    {
      *value = short_value;
      return TRUE;
    }

  return FALSE;
}

/* Walks the IFD at @offset: calls back for each entry; returns the next
 * IFD's offset (0: none) or -1 when the IFD is damaged. */
static gint64
tiff_walk_ifd (const Tiff *tiff,
               guint32     offset,
               void      (*entry_cb) (const Tiff *, guint, gsize, gpointer),
               gpointer    user_data)
{
  guint count;
  guint32 next;

  if (offset < 8 || !tiff_u16 (tiff, offset, &count) || count > EXIF_MAX_IFD_ENTRIES)
    return -1;

  for (guint i = 0; i < count; i++)
    {
      gsize entry = (gsize) offset + 2 + (gsize) i * 12;
      guint tag;

      if (!tiff_u16 (tiff, entry, &tag))
        return -1;
      entry_cb (tiff, tag, entry, user_data);
    }

  if (!tiff_u32 (tiff, (gsize) offset + 2 + (gsize) count * 12, &next))
    return -1;

  return next;
}

typedef struct
{
  guint32  orientation;
  guint32  compression;
  guint32  jpeg_offset;
  guint32  jpeg_length;
  gboolean has_offset;
  gboolean has_length;
} ExifThumbnail;

static void
ifd0_entry_cb (const Tiff *tiff,
               guint       tag,
               gsize       entry,
               gpointer    user_data)
{
  ExifThumbnail *thumb = user_data;
  guint32 value;

  if (tag == EXIF_TAG_ORIENTATION && tiff_entry_value (tiff, entry, &value) && value >= 1 && value <= 8)
    thumb->orientation = value;
}

static void
ifd1_entry_cb (const Tiff *tiff,
               guint       tag,
               gsize       entry,
               gpointer    user_data)
{
  ExifThumbnail *thumb = user_data;

  if (tag == EXIF_TAG_COMPRESSION)
    tiff_entry_value (tiff, entry, &thumb->compression);
  else if (tag == EXIF_TAG_JPEG_OFFSET)
    thumb->has_offset = tiff_entry_value (tiff, entry, &thumb->jpeg_offset);
  else if (tag == EXIF_TAG_JPEG_LENGTH)
    thumb->has_length = tiff_entry_value (tiff, entry, &thumb->jpeg_length);
}

/* The TIFF block of the EXIF APP1 segment of the JPEG @data, if any. */
static gboolean
find_exif_block (const guint8  *data,
                 gsize          size,
                 const guint8 **block,
                 gsize         *block_size)
{
  gsize pos = 2;

  if (size < 4 || data[0] != 0xff || data[1] != 0xd8)
    return FALSE;

  /* Only the segments before the image data: APPn and friends. */
  while (pos + 4 <= size)
    {
      guint marker;
      gsize length;

      if (data[pos] != 0xff)
        return FALSE;
      marker = data[pos + 1];
      if (marker == 0xff)
        {
          pos++;   /* fill byte */
          continue;
        }
      if (marker == 0xda || marker == 0xd9)   /* SOS, EOI: no EXIF before the image */
        return FALSE;

      length = (gsize) data[pos + 2] << 8 | data[pos + 3];
      if (length < 2)
        return FALSE;

      if (marker == 0xe1 && length >= 2 + 6 + 8 && pos + 2 + length <= size &&
          memcmp (data + pos + 4, "Exif\0\0", 6) == 0)
        {
          *block = data + pos + 4 + 6;
          *block_size = length - 2 - 6;
          return TRUE;
        }

      pos += 2 + length;
    }

  return FALSE;
}

GBytes *
atelier_image_find_exif_thumbnail (const guint8 *data,
                                   gsize         size,
                                   int          *orientation)
{
  ExifThumbnail thumb = { .orientation = 1 };
  const guint8 *block;
  Tiff tiff;
  guint magic;
  guint32 ifd0;
  gint64 ifd1;

  g_return_val_if_fail (data != NULL || size == 0, NULL);

  if (orientation != NULL)
    *orientation = 1;

  if (!find_exif_block (data, size, &block, &tiff.size))
    return NULL;
  tiff.data = block;

  if (memcmp (block, "MM", 2) == 0)
    tiff.big_endian = TRUE;
  else if (memcmp (block, "II", 2) == 0)
    tiff.big_endian = FALSE;
  else
    return NULL;

  if (!tiff_u16 (&tiff, 2, &magic) || magic != 42 || !tiff_u32 (&tiff, 4, &ifd0))
    return NULL;

  ifd1 = tiff_walk_ifd (&tiff, ifd0, ifd0_entry_cb, &thumb);
  if (ifd1 <= 0 || ifd1 == ifd0 || tiff_walk_ifd (&tiff, (guint32) ifd1, ifd1_entry_cb, &thumb) < 0)
    return NULL;

  /* 6: JPEG; 1 would be raw TIFF strips, which nobody uses any more. */
  if (!thumb.has_offset || !thumb.has_length || (thumb.compression != 0 && thumb.compression != 6) ||
      thumb.jpeg_length < 4 || thumb.jpeg_offset < 8 ||
      thumb.jpeg_offset > tiff.size || tiff.size - thumb.jpeg_offset < thumb.jpeg_length ||
      block[thumb.jpeg_offset] != 0xff || block[thumb.jpeg_offset + 1] != 0xd8)
    return NULL;

  if (orientation != NULL)
    *orientation = (int) thumb.orientation;

  return g_bytes_new (block + thumb.jpeg_offset, thumb.jpeg_length);
}

/* A thumbnail declaring more than ATELIER_IMAGE_MAX_PIXELS (its 64 KiB
 * may say 65535 × 65535) is stopped before its pixels are allocated. */
static void
thumbnail_size_prepared_cb (GdkPixbufLoader *loader,
                            int              width,
                            int              height,
                            gpointer         user_data)
{
  if ((gint64) width * height > ATELIER_IMAGE_MAX_PIXELS)
    gdk_pixbuf_loader_set_size (loader, 0, 0);
}

/* An APP1 segment is at most 64 KiB; some files have an APP0 before it. */
#define EXIF_READ_MAX (72 * 1024)

GdkPixbuf *
atelier_image_load_exif_thumbnail (GFile         *file,
                                   int            max_side,
                                   GCancellable  *cancellable,
                                   GError       **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GBytes) thumbnail = NULL;
  g_autofree guint8 *head = NULL;
  g_autofree char *orientation_text = NULL;
  GdkPixbuf *pixbuf;
  gsize head_len = 0;
  int orientation = 1;
  int width, height;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return NULL;

  head = g_malloc (EXIF_READ_MAX);
  if (!g_input_stream_read_all (G_INPUT_STREAM (stream), head, EXIF_READ_MAX, &head_len, cancellable, error))
    return NULL;

  thumbnail = atelier_image_find_exif_thumbnail (head, head_len, &orientation);
  if (thumbnail == NULL)
    return NULL;

  /* A damaged thumbnail is only a missed preview: no error. */
  loader = gdk_pixbuf_loader_new_with_mime_type ("image/jpeg", NULL);
  if (loader != NULL)
    g_signal_connect (loader, "size-prepared", G_CALLBACK (thumbnail_size_prepared_cb), NULL);
  if (loader == NULL ||
      !gdk_pixbuf_loader_write_bytes (loader, thumbnail, NULL) ||
      !gdk_pixbuf_loader_close (loader, NULL) ||
      (pixbuf = gdk_pixbuf_loader_get_pixbuf (loader)) == NULL)
    return NULL;   /* (a failed loader has closed itself) */

  width = gdk_pixbuf_get_width (pixbuf);
  height = gdk_pixbuf_get_height (pixbuf);
  if (max_side > 0 && MAX (width, height) > max_side)
    {
      double scale = (double) max_side / MAX (width, height);

      pixbuf = gdk_pixbuf_scale_simple (pixbuf, MAX (1, (int) lround (width * scale)),
                                        MAX (1, (int) lround (height * scale)), GDK_INTERP_BILINEAR);
    }
  else
    {
      pixbuf = g_object_ref (pixbuf);
    }

  if (orientation != 1)
    {
      g_autoptr(GdkPixbuf) stored = pixbuf;

      orientation_text = g_strdup_printf ("%d", orientation);
      gdk_pixbuf_remove_option (stored, "orientation");
      gdk_pixbuf_set_option (stored, "orientation", orientation_text);
      pixbuf = gdk_pixbuf_apply_embedded_orientation (stored);
    }

  return pixbuf;
}

/* }}} */

/* gdk-pixbuf takes a cut-off JPEG without complaint, so we follow the
 * marker structure ourselves: segments are skipped by their length (an
 * EXIF thumbnail with its own SOS and EOI included), entropy-coded data is
 * scanned for the next marker, and the image is whole once its EOI comes.
 * Whatever follows (a phone's "motion photo" video) is not looked at. */
typedef enum
{
  JPEG_MARKER,       /* expecting 0xff (other bytes are skipped, as libjpeg does) */
  JPEG_MARKER_CODE,  /* after 0xff */
  JPEG_LENGTH_HIGH,
  JPEG_LENGTH_LOW,
  JPEG_SKIP,         /* in a segment */
  JPEG_ENTROPY,      /* after a SOS header */
  JPEG_ENTROPY_FF,
  JPEG_END,          /* EOI seen, or a structure we can't follow: up to the decoder */
} JpegState;

typedef struct
{
  int        max_side;     /* <= 0: no scaling */
  int        short_side;   /* <= 0: no scaling by the shorter side */
  gint64     max_pixels;   /* <= 0: no limit */
  gboolean   too_many;     /* the header was over max_pixels */
  gboolean   prepared;
  int        width;        /* as stored, before the EXIF orientation */
  int        height;

  JpegState  jpeg;
  gboolean   in_sos;
  guint8     length_high;
  gsize      skip;

  char      *orientation;  /* the "orientation" option, as soon as known */
} Decode;

static void
decode_clear (Decode *d)
{
  g_clear_pointer (&d->orientation, g_free);
}

static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  Decode          *d)
{
  int longer = MAX (width, height);
  int shorter = MIN (width, height);

  d->prepared = TRUE;
  d->width = width;
  d->height = height;

  /* Refused before a pixel is decoded: a zero size makes every
   * incremental loader fail before allocating the image. */
  if (d->max_pixels > 0 && (gint64) width * height > d->max_pixels)
    {
      d->too_many = TRUE;
      gdk_pixbuf_loader_set_size (loader, 0, 0);
      return;
    }

  /* The longer side stays the longer side when the orientation swaps
   * the axes, so the scale is the same either way. */
  if ((d->max_side > 0 && longer > d->max_side) ||
      (d->short_side > 0 && shorter > d->short_side))
    {
      double scale = d->short_side > 0 ? (double) d->short_side / shorter
                                       : (double) d->max_side / longer;

      gdk_pixbuf_loader_set_size (loader,
                                  MAX (1, (int) lround (width * scale)),
                                  MAX (1, (int) lround (height * scale)));
    }
}

static void
area_prepared_cb (GdkPixbufLoader *loader,
                  Decode          *d)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  const char *orientation = pixbuf != NULL ? gdk_pixbuf_get_option (pixbuf, "orientation") : NULL;

  g_free (d->orientation);
  d->orientation = g_strdup (orientation);
}

static void
track_jpeg (Decode       *d,
            const guchar *data,
            gsize         length)
{
  for (gsize i = 0; i < length && d->jpeg != JPEG_END; i++)
    {
      guchar c = data[i];

      switch (d->jpeg)
        {
        case JPEG_MARKER:
          if (c == 0xff)
            d->jpeg = JPEG_MARKER_CODE;
          break;

        case JPEG_ENTROPY_FF:
          if (c == 0x00 || (c >= 0xd0 && c <= 0xd7))  /* stuffed byte, RSTn */
            {
              d->jpeg = JPEG_ENTROPY;
              break;
            }
          G_GNUC_FALLTHROUGH;

        case JPEG_MARKER_CODE:
          if (c == 0xff)                                /* fill byte */
            break;
          if (c == 0xd9)                                /* EOI */
            d->jpeg = JPEG_END;
          else if (c == 0xd8 || c == 0x01 || (c >= 0xd0 && c <= 0xd7))
            d->jpeg = JPEG_MARKER;                      /* no length */
          else
            {
              d->in_sos = c == 0xda;
              d->jpeg = JPEG_LENGTH_HIGH;
            }
          break;

        case JPEG_LENGTH_HIGH:
          d->length_high = c;
          d->jpeg = JPEG_LENGTH_LOW;
          break;

        case JPEG_LENGTH_LOW:
          {
            guint segment_length = ((guint) d->length_high << 8) | c;

            if (segment_length < 2)
              d->jpeg = JPEG_END;
            else if (segment_length > 2)
              {
                d->skip = segment_length - 2;
                d->jpeg = JPEG_SKIP;
              }
            else
              d->jpeg = d->in_sos ? JPEG_ENTROPY : JPEG_MARKER;
          }
          break;

        case JPEG_SKIP:
          {
            gsize n = MIN (d->skip, length - i);

            i += n - 1;
            d->skip -= n;
            if (d->skip == 0)
              d->jpeg = d->in_sos ? JPEG_ENTROPY : JPEG_MARKER;
          }
          break;

        case JPEG_ENTROPY:
          {
            /* Most of the file: skip to the next marker at memchr's pace. */
            const guchar *ff = memchr (data + i, 0xff, length - i);

            if (ff == NULL)
              i = length - 1;
            else
              {
                i = (gsize) (ff - data);
                d->jpeg = JPEG_ENTROPY_FF;
              }
          }
          break;

        case JPEG_END:
        default:
          g_assert_not_reached ();
        }
    }
}

static gboolean
loader_is_jpeg (GdkPixbufLoader *loader)
{
  GdkPixbufFormat *format = gdk_pixbuf_loader_get_format (loader);
  g_autofree char *name = format != NULL ? gdk_pixbuf_format_get_name (format) : NULL;

  return g_strcmp0 (name, "jpeg") == 0;
}

static gboolean
orientation_swaps_axes (const char *orientation)
{
  int value = orientation != NULL ? atoi (orientation) : 1;

  return value >= 5 && value <= 8;
}

/* Adds the file's name to an error, leaving cancellation alone. */
static void
propagate_with_name (GError     **error,
                     GError      *local_error,
                     const char  *name)
{
  if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_prefix_error (&local_error, _("Could not load “%s”: "), name);

  g_propagate_error (error, local_error);
}

static gboolean
read_rest (GInputStream  *stream,
           GByteArray    *keep,
           guchar        *buffer,
           GCancellable  *cancellable,
           GError       **error)
{
  gssize n;

  while ((n = g_input_stream_read (stream, buffer, CHUNK_SIZE, cancellable, error)) > 0)
    g_byte_array_append (keep, buffer, (guint) n);

  return n == 0;
}

/* A loader for the format @data starts with: gdk-pixbuf's own guess goes
 * through the shared MIME database, which may be missing. */
static GdkPixbufLoader *
loader_for_data (const guint8 *data,
                 gsize         size,
                 Decode       *d)
{
  const char *mime_type = atelier_image_sniff_mime_type (data, size);
  GdkPixbufLoader *loader = NULL;

  if (mime_type != NULL)
    loader = gdk_pixbuf_loader_new_with_mime_type (mime_type, NULL);
  if (loader == NULL)
    loader = gdk_pixbuf_loader_new ();

  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), d);
  g_signal_connect (loader, "area-prepared", G_CALLBACK (area_prepared_cb), d);

  return loader;
}

/* Feeds @stream to a loader in chunks, scaling while decoding. When
 * @small_jpeg is not NULL and the image turns out to be a JPEG no larger
 * than d->max_side, decoding stops, the rest of the stream goes to @keep,
 * *@small_jpeg is set and NULL is returned without error. Every byte read
 * is appended to @keep when it is not NULL. */
static GdkPixbuf *
decode_stream (GInputStream  *stream,
               const char    *name,
               Decode        *d,
               GByteArray    *keep,
               gboolean      *small_jpeg,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autofree guchar *buffer = g_malloc (CHUNK_SIZE);
  g_autoptr(GError) local_error = NULL;
  GdkPixbuf *pixbuf;
  gssize n;

  while ((n = g_input_stream_read (stream, buffer, CHUNK_SIZE, cancellable, &local_error)) > 0)
    {
      if (loader == NULL)
        loader = loader_for_data (buffer, (gsize) n, d);

      if (keep != NULL)
        g_byte_array_append (keep, buffer, (guint) n);
      track_jpeg (d, buffer, (gsize) n);

      /* On failure the loader closes itself. */
      if (!gdk_pixbuf_loader_write (loader, buffer, (gsize) n, &local_error) || d->too_many)
        {
          if (d->too_many)
            {
              g_clear_error (&local_error);
              gdk_pixbuf_loader_close (loader, NULL);
              g_set_error (&local_error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_INSUFFICIENT_MEMORY,
                           _("the image is %d × %d pixels; images over %d megapixels are not opened"),
                           d->width, d->height, (int) (d->max_pixels / 1000000));
            }
          propagate_with_name (error, g_steal_pointer (&local_error), name);
          return NULL;
        }

      if (small_jpeg != NULL && d->prepared && loader_is_jpeg (loader) &&
          MAX (d->width, d->height) <= d->max_side)
        {
          gdk_pixbuf_loader_close (loader, NULL);
          if (!read_rest (stream, keep, buffer, cancellable, &local_error))
            {
              propagate_with_name (error, g_steal_pointer (&local_error), name);
              return NULL;
            }
          *small_jpeg = TRUE;
          return NULL;
        }
    }

  if (loader == NULL)
    loader = loader_for_data (NULL, 0, d);

  if (n < 0)
    {
      gdk_pixbuf_loader_close (loader, NULL);
      propagate_with_name (error, g_steal_pointer (&local_error), name);
      return NULL;
    }

  if (!gdk_pixbuf_loader_close (loader, &local_error))
    {
      propagate_with_name (error, g_steal_pointer (&local_error), name);
      return NULL;
    }

  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL || (loader_is_jpeg (loader) && d->jpeg != JPEG_END))
    {
      g_set_error (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_CORRUPT_IMAGE,
                   "Could not load “%s”: the image data is %s", name,
                   pixbuf == NULL ? "not an image" : "incomplete");
      return NULL;
    }

  return g_object_ref (pixbuf);
}

/* Decodes @stream scaled, oriented. @keep, @small_jpeg as above. */
static GdkPixbuf *
load_stream (GInputStream  *stream,
             const char    *name,
             Decode        *d,
             int           *orig_width,
             int           *orig_height,
             GByteArray    *keep,
             gboolean      *small_jpeg,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  const char *orientation;

  pixbuf = decode_stream (stream, name, d, keep, small_jpeg, cancellable, error);
  if (pixbuf == NULL)
    return NULL;

  /* The loader may have scaled after decoding, dropping the options. */
  orientation = gdk_pixbuf_get_option (pixbuf, "orientation");
  if (orientation == NULL && d->orientation != NULL)
    gdk_pixbuf_set_option (pixbuf, "orientation", d->orientation);
  orientation = gdk_pixbuf_get_option (pixbuf, "orientation");

  if (orig_width != NULL)
    *orig_width = orientation_swaps_axes (orientation) ? d->height : d->width;
  if (orig_height != NULL)
    *orig_height = orientation_swaps_axes (orientation) ? d->width : d->height;

  return gdk_pixbuf_apply_embedded_orientation (pixbuf);
}

/* Decodes @file scaled, oriented. @keep, @small_jpeg as above. */
static GdkPixbuf *
load_file (GFile         *file,
           int            max_side,
           int           *orig_width,
           int           *orig_height,
           GByteArray    *keep,
           gboolean      *small_jpeg,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *name = g_filename_display_name (basename != NULL ? basename : "?");
  GdkPixbuf *oriented;
  Decode d = { .max_side = max_side, .max_pixels = ATELIER_IMAGE_MAX_PIXELS };

  stream = g_file_read (file, cancellable, &local_error);
  if (stream == NULL)
    {
      propagate_with_name (error, g_steal_pointer (&local_error), name);
      return NULL;
    }

  oriented = load_stream (G_INPUT_STREAM (stream), name, &d, orig_width, orig_height,
                          keep, small_jpeg, cancellable, error);
  decode_clear (&d);

  return oriented;
}

/* Decodes @bytes as @d says; the header's size in @width and @height. */
static GdkPixbuf *
decode_bytes (GBytes        *bytes,
              Decode        *d,
              int           *width,
              int           *height,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
  GdkPixbuf *pixbuf;

  pixbuf = load_stream (stream, "image", d, NULL, NULL, NULL, NULL, cancellable, error);
  if (width != NULL)
    *width = d->prepared ? d->width : 0;
  if (height != NULL)
    *height = d->prepared ? d->height : 0;
  decode_clear (d);

  return pixbuf;
}

/**
 * atelier_image_decode_bytes:
 * @bytes: the bytes of an image file
 * @short_side: the shorter side wanted; 0 or less keeps the size
 * @max_pixels: the most pixels the header may declare; 0 or less: no limit
 * @width: (out) (optional): the width of the image as stored in its header
 *   (before the EXIF orientation), set as soon as the header is read, also
 *   on error; 0 when it never was
 * @height: (out) (optional): its height
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a %GDK_PIXBUF_ERROR
 *
 * Blocking. Like atelier_image_load_scaled() for bytes in memory, scaled
 * (never enlarged) by the shorter side. The header's size is checked
 * before a single pixel is decoded: over @max_pixels the decoder is
 * stopped and %GDK_PIXBUF_ERROR_INSUFFICIENT_MEMORY returned, so a
 * decompression bomb never allocates its image. Data that is no known
 * image gives %GDK_PIXBUF_ERROR_UNKNOWN_TYPE; a cut-off or damaged image
 * %GDK_PIXBUF_ERROR_CORRUPT_IMAGE (or another loader error).
 *
 * Returns: (transfer full) (nullable): the image, upright
 */
GdkPixbuf *
atelier_image_decode_bytes (GBytes        *bytes,
                            int            short_side,
                            gint64         max_pixels,
                            int           *width,
                            int           *height,
                            GCancellable  *cancellable,
                            GError       **error)
{
  Decode d = { .short_side = short_side, .max_pixels = max_pixels };

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return decode_bytes (bytes, &d, width, height, cancellable, error);
}

/**
 * atelier_image_decode_bytes_fit:
 * @bytes: the bytes of an image file
 * @max_side: the longer side wanted; 0 or less keeps the size
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a %GDK_PIXBUF_ERROR
 *
 * Blocking. atelier_image_decode_bytes() scaled by the longer side, with
 * %ATELIER_IMAGE_MAX_PIXELS as the limit.
 *
 * Returns: (transfer full) (nullable): the image, upright
 */
GdkPixbuf *
atelier_image_decode_bytes_fit (GBytes        *bytes,
                                int            max_side,
                                GCancellable  *cancellable,
                                GError       **error)
{
  Decode d = { .max_side = max_side, .max_pixels = ATELIER_IMAGE_MAX_PIXELS };

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return decode_bytes (bytes, &d, NULL, NULL, cancellable, error);
}

/**
 * atelier_image_load_scaled:
 * @file: an image file
 * @max_side: the longest side wanted; 0 or less keeps the size
 * @orig_width: (out) (optional): the width of the image as shown, that is
 *   after the EXIF orientation
 * @orig_height: (out) (optional): its height
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error (%G_IO_ERROR or %GDK_PIXBUF_ERROR,
 *   the message naming the file)
 *
 * Blocking. The file is fed to the decoder in chunks and the decoder is
 * asked for the final size as soon as the header is read, so a JPEG is
 * decoded at reduced scale. A cut-off JPEG is an error.
 *
 * Returns: (transfer full) (nullable): the image, upright
 */
GdkPixbuf *
atelier_image_load_scaled (GFile         *file,
                           int            max_side,
                           int           *orig_width,
                           int           *orig_height,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return load_file (file, max_side, orig_width, orig_height, NULL, NULL, cancellable, error);
}

/* JPEG has no alpha: put the image on white. */
static GdkPixbuf *
flatten (GdkPixbuf *pixbuf)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  GdkPixbuf *flat;

  if (!gdk_pixbuf_get_has_alpha (pixbuf))
    return g_object_ref (pixbuf);

  flat = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  gdk_pixbuf_fill (flat, 0xffffffff);
  gdk_pixbuf_composite (pixbuf, flat, 0, 0, width, height, 0, 0, 1, 1,
                        GDK_INTERP_NEAREST, 255);

  return flat;
}

/**
 * atelier_image_downscale_to_jpeg:
 * @file: an image file
 * @max_side: the longest side wanted, > 0
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * Blocking. A JPEG whose longer side is at most @max_side comes back as it
 * is (its EXIF orientation included); anything else is decoded scaled,
 * turned upright and encoded as a JPEG of quality 85.
 *
 * Returns: (transfer full) (nullable): the JPEG data
 */
GBytes *
atelier_image_downscale_to_jpeg (GFile         *file,
                                 int            max_side,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  g_autoptr(GByteArray) original = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) flat = NULL;
  g_autofree char *buffer = NULL;
  gboolean small_jpeg = FALSE;
  gsize size = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (max_side > 0, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  original = g_byte_array_new ();
  pixbuf = load_file (file, max_side, NULL, NULL, original, &small_jpeg, cancellable, error);

  if (small_jpeg)
    return g_byte_array_free_to_bytes (g_steal_pointer (&original));

  if (pixbuf == NULL)
    return NULL;

  flat = flatten (pixbuf);
  if (!gdk_pixbuf_save_to_buffer (flat, &buffer, &size, "jpeg", error,
                                  "quality", JPEG_QUALITY, NULL))
    return NULL;

  return g_bytes_new_take (g_steal_pointer (&buffer), size);
}

/* {{{ Asynchronous wrappers */

typedef struct
{
  GFile *file;  /* (owned) */
  int    max_side;
  int    orig_width;
  int    orig_height;
} ImageTaskData;

static void
image_task_data_free (ImageTaskData *data)
{
  g_clear_object (&data->file);
  g_free (data);
}

/* Runs @thread_func on @file in a worker thread, for the _async
 * functions below; @source_tag is the _async function. */
static void
image_task_run (GFile               *file,
                int                  max_side,
                gpointer             source_tag,
                GTaskThreadFunc      thread_func,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  ImageTaskData *data = g_new0 (ImageTaskData, 1);

  data->file = g_object_ref (file);
  data->max_side = max_side;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, (GDestroyNotify) image_task_data_free);
  g_task_run_in_thread (task, thread_func);
}

static void
load_scaled_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  ImageTaskData *data = task_data;
  GError *error = NULL;
  GdkPixbuf *pixbuf;

  pixbuf = atelier_image_load_scaled (data->file, data->max_side,
                                      &data->orig_width, &data->orig_height,
                                      cancellable, &error);
  _atelier_task_return_pointer_or_error (task, pixbuf, g_object_unref, error);
}

void
atelier_image_load_scaled_async (GFile               *file,
                                 int                  max_side,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  image_task_run (file, max_side, atelier_image_load_scaled_async, load_scaled_thread,
                  cancellable, callback, user_data);
}

GdkPixbuf *
atelier_image_load_scaled_finish (GAsyncResult  *result,
                                  int           *orig_width,
                                  int           *orig_height,
                                  GError       **error)
{
  ImageTaskData *data;
  GdkPixbuf *pixbuf;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        atelier_image_load_scaled_async, NULL);

  pixbuf = g_task_propagate_pointer (G_TASK (result), error);
  data = g_task_get_task_data (G_TASK (result));
  if (orig_width != NULL)
    *orig_width = pixbuf != NULL ? data->orig_width : 0;
  if (orig_height != NULL)
    *orig_height = pixbuf != NULL ? data->orig_height : 0;

  return pixbuf;
}

static void
downscale_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ImageTaskData *data = task_data;
  GError *error = NULL;
  GBytes *bytes;

  bytes = atelier_image_downscale_to_jpeg (data->file, data->max_side, cancellable, &error);
  _atelier_task_return_pointer_or_error (task, bytes, (GDestroyNotify) g_bytes_unref, error);
}

void
atelier_image_downscale_to_jpeg_async (GFile               *file,
                                       int                  max_side,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (max_side > 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  image_task_run (file, max_side, atelier_image_downscale_to_jpeg_async, downscale_thread,
                  cancellable, callback, user_data);
}

GBytes *
atelier_image_downscale_to_jpeg_finish (GAsyncResult  *result,
                                        GError       **error)
{
  return _atelier_task_propagate_pointer (result, NULL, atelier_image_downscale_to_jpeg_async,
                                          error);
}

/* }}} */
