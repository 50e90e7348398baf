/* atelier-sandbox-render.c: the sandbox's placeholder images
 *
 * Each image is a gradient whose hues come from a seed (the prompt id and
 * image index), a few soft circles placed by the same seed, the prompt text
 * wrapped in the middle, a "#id · n/count" caption and a small "Atelier
 * sandbox" mark. Drawn with cairo and pango into an RGB24 surface, copied
 * into a GdkPixbuf and saved as a JPEG. Everything here is thread-safe (one
 * surface, context and layout per call; pango's default font map is per
 * thread) and runs on worker threads, never on the server thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <glib/gstdio.h>

#include "atelier-sandbox-private.h"

#define JPEG_QUALITY "85"

void
_atelier_sandbox_render_job_free (AtelierSandboxRenderJob *job)
{
  if (job == NULL)
    return;

  g_free (job->cache_path);
  g_free (job->text);
  g_free (job->caption);
  g_free (job);
}

static void
hsv_to_rgb (double  h,
            double  s,
            double  v,
            double *r,
            double *g,
            double *b)
{
  double c = v * s;
  double hp = fmod (h, 360.0) / 60.0;
  double x = c * (1 - fabs (fmod (hp, 2.0) - 1));
  double m = v - c;
  double rgb[3] = { 0, 0, 0 };

  switch ((int) hp)
    {
    case 0: rgb[0] = c; rgb[1] = x; break;
    case 1: rgb[0] = x; rgb[1] = c; break;
    case 2: rgb[1] = c; rgb[2] = x; break;
    case 3: rgb[1] = x; rgb[2] = c; break;
    case 4: rgb[0] = x; rgb[2] = c; break;
    default: rgb[0] = c; rgb[2] = x; break;
    }

  *r = rgb[0] + m;
  *g = rgb[1] + m;
  *b = rgb[2] + m;
}

static void
add_hsv_stop (cairo_pattern_t *pattern,
              double           offset,
              double           h,
              double           s,
              double           v)
{
  double r, g, b;

  hsv_to_rgb (h, s, v, &r, &g, &b);
  cairo_pattern_add_color_stop_rgb (pattern, offset, r, g, b);
}

static void
draw_background (cairo_t *cr,
                 guint    seed,
                 int      width,
                 int      height)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  double hue = seed % 360;
  double hue2 = hue + 60 + (seed >> 9) % 150;
  double angle = ((seed >> 17) % 360) * G_PI / 180;
  double cx = width / 2.0;
  double cy = height / 2.0;
  double reach = MAX (width, height) / 2.0;
  cairo_pattern_t *pattern;

  pattern = cairo_pattern_create_linear (cx - cos (angle) * reach, cy - sin (angle) * reach,
                                         cx + cos (angle) * reach, cy + sin (angle) * reach);
  add_hsv_stop (pattern, 0.0, hue, 0.65, 0.95);
  add_hsv_stop (pattern, 1.0, hue2, 0.75, 0.40);
  cairo_set_source (cr, pattern);
  cairo_paint (cr);
  cairo_pattern_destroy (pattern);

  for (int i = 0; i < 7; i++)
    {
      double r, g, b;

      hsv_to_rgb (hue + g_rand_double_range (rand, -40, 40), 0.4, 1.0, &r, &g, &b);
      cairo_set_source_rgba (cr, r, g, b, g_rand_double_range (rand, 0.08, 0.22));
      cairo_arc (cr,
                 g_rand_double_range (rand, 0, width),
                 g_rand_double_range (rand, 0, height),
                 g_rand_double_range (rand, 0.05, 0.3) * MIN (width, height),
                 0, 2 * G_PI);
      cairo_fill (cr);
    }
}

static PangoLayout *
create_layout (cairo_t    *cr,
               const char *text,
               double      font_px,
               int         wrap_width,
               gboolean    bold)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string (bold ? "Sans Bold" : "Sans");

  pango_font_description_set_absolute_size (font, MAX (font_px, 4) * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);

  pango_layout_set_text (layout, text, -1);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  if (wrap_width > 0)
    {
      pango_layout_set_width (layout, wrap_width * PANGO_SCALE);
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_height (layout, -7);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }

  return layout;
}

/* Draws @layout centred on (@cx, @cy) in white with a dark shadow. */
static void
draw_layout (cairo_t     *cr,
             PangoLayout *layout,
             double       cx,
             double       cy)
{
  PangoRectangle extents;

  pango_layout_get_pixel_extents (layout, NULL, &extents);

  cairo_move_to (cr, cx - extents.width / 2.0 - extents.x + 1, cy - extents.height / 2.0 - extents.y + 1);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.55);
  pango_cairo_show_layout (cr, layout);

  cairo_move_to (cr, cx - extents.width / 2.0 - extents.x, cy - extents.height / 2.0 - extents.y);
  cairo_set_source_rgb (cr, 1, 1, 1);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_text (cairo_t    *cr,
           const char *text,
           const char *caption,
           int         width,
           int         height)
{
  double unit = MIN (width, height);
  g_autoptr(PangoLayout) body = create_layout (cr, text ? text : "", unit / 16, width * 0.8, TRUE);
  g_autoptr(PangoLayout) footer = create_layout (cr, caption ? caption : "", unit / 28, 0, FALSE);
  g_autoptr(PangoLayout) mark = create_layout (cr, "Atelier sandbox", unit / 36, 0, FALSE);
  PangoRectangle extents;

  pango_layout_get_pixel_extents (body, NULL, &extents);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.28);
  cairo_rectangle (cr, width * 0.06, height / 2.0 - extents.height / 2.0 - unit * 0.04,
                   width * 0.88, extents.height + unit * 0.08);
  cairo_fill (cr);

  draw_layout (cr, body, width / 2.0, height / 2.0);
  draw_layout (cr, footer, width / 2.0, height - unit * 0.07);
  draw_layout (cr, mark, width / 2.0, unit * 0.05);
}

static GdkPixbuf *
pixbuf_from_surface (cairo_surface_t *surface)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  const guchar *data = cairo_image_surface_get_data (surface);
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  int rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);

  for (int y = 0; y < height; y++)
    {
      const guint32 *src = (const guint32 *) (data + y * stride);
      guchar *dst = pixels + y * rowstride;

      for (int x = 0; x < width; x++)
        {
          guint32 pixel = src[x];

          dst[3 * x + 0] = (pixel >> 16) & 0xff;
          dst[3 * x + 1] = (pixel >> 8) & 0xff;
          dst[3 * x + 2] = pixel & 0xff;
        }
    }

  return pixbuf;
}

GBytes *
_atelier_sandbox_render_placeholder (const char  *text,
                                     const char  *caption,
                                     guint        seed,
                                     guint        width,
                                     guint        height,
                                     GError     **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  char *buffer = NULL;
  gsize size = 0;

  width = CLAMP (width, 8, 8192);
  height = CLAMP (height, 8, 8192);

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cr = cairo_create (surface);
  draw_background (cr, seed, width, height);
  draw_text (cr, text, caption, width, height);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Could not render: %s",
                   cairo_status_to_string (cairo_surface_status (surface)));
      cairo_surface_destroy (surface);
      return NULL;
    }

  pixbuf = pixbuf_from_surface (surface);
  cairo_surface_destroy (surface);

  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", error, "quality", JPEG_QUALITY, NULL))
    return NULL;

  return g_bytes_new_take (buffer, size);
}

GBytes *
_atelier_sandbox_render_job_run (AtelierSandboxRenderJob  *job,
                                 GError                  **error)
{
  g_autofree char *dir = g_path_get_dirname (job->cache_path);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (g_file_get_contents (job->cache_path, &contents, &length, NULL))
    return g_bytes_new_take (contents, length);

  bytes = _atelier_sandbox_render_placeholder (job->text, job->caption, job->seed,
                                               job->width, job->height, error);
  if (bytes == NULL)
    return NULL;

  /* A failed cache write only costs a render next time. */
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents (job->cache_path, g_bytes_get_data (bytes, NULL),
                            g_bytes_get_size (bytes), &local_error))
    g_debug ("Sandbox: could not cache %s: %s", job->cache_path,
             local_error ? local_error->message : g_strerror (errno));

  return g_steal_pointer (&bytes);
}
