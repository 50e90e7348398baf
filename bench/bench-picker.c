/* bench-picker.c: 40 photos of 12 megapixels in the training-photo picker
 *
 *   bench-picker [--quick]
 *
 * Generates 40 different 4000 × 3000 JPEGs before anything is timed:
 * photo-like (gradients, shapes and grain, about 4 MB each) and, as a
 * camera's or a phone's, with a 160 × 120 thumbnail in their EXIF block.
 * Then, for each renderer (as bench-gallery: "default" is what the app
 * does with no GSK_RENDERER, "gl" forces GL unless the default is GL,
 * "cairo" forces cairo), a process of its own starts a sandbox server,
 * puts the real picker in a window and, RUNS times, measures the floor
 * and then adds all 40 files at once, as a drop does. Prints, medians of
 * the runs:
 *
 *   picker-all-thumbnails-ms[R]   from adding to the first frame painted
 *                                 after every photo has the thumbnail
 *                                 decoded from the photo itself
 *   picker-previews-ms[R]         ... after every photo shows a picture
 *                                 (its EXIF thumbnail, or its own)
 *   picker-floor-ms[R]            decoding the same 40 files at 1/8 scale
 *                                 with libjpeg (its fastest settings), on
 *                                 every core, nothing else (no widgets,
 *                                 no picker), just before each run: what
 *                                 the machine needs anyway, now
 *   picker-floor-ratio[R]         all-thumbnails over the floor (the
 *                                 median of each run's ratio)
 *   picker-inspect-upload-ratio[R]  bytes of the POST /images/inspect
 *                                 bodies the sandbox received, over the
 *                                 bytes of the original files
 *   picker-renderer[R]            the renderer the window drew with
 *
 * Each run's figures go to stderr. --quick: 4 photos of 1.2 megapixels,
 * one run, the environment's renderer (a correctness check, run as a
 * test: every photo shows its EXIF thumbnail, then its own).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <jpeglib.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include "atelier-picker.h"
#include "atelier-renderer.h"
#include "atelier-test-utils.h"
#include "bench-utils.h"

#define RUNS 3
#define TIMEOUT_S 300
#define EXIF_THUMBNAIL_WIDTH 160
#define EXIF_THUMBNAIL_HEIGHT 120

static gboolean quick;
static guint n_photos = 40;
static int photo_width = 4000;
static int photo_height = 3000;

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return values[n / 2];
}

/* {{{ Photos */

typedef struct
{
  char  *path;
  guint  seed;
} Photo;

static void
put_u16 (GByteArray *out,
         guint       value)
{
  guint8 b[2] = { value & 0xff, (value >> 8) & 0xff };   /* little-endian ("II") */

  g_byte_array_append (out, b, 2);
}

static void
put_u32 (GByteArray *out,
         guint32     value)
{
  guint8 b[4] = { value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, value >> 24 };

  g_byte_array_append (out, b, 4);
}

static void
put_entry (GByteArray *out,
           guint       tag,
           guint       type,
           guint32     value)
{
  put_u16 (out, tag);
  put_u16 (out, type);
  put_u32 (out, 1);
  if (type == 3)   /* SHORT: in the first two bytes */
    {
      put_u16 (out, value);
      put_u16 (out, 0);
    }
  else
    put_u32 (out, value);
}

/* @jpeg with an EXIF block (APP1) holding @thumbnail, as a camera writes
 * it: TIFF little-endian, IFD0 with the orientation, IFD1 with the
 * thumbnail's offset and length. */
static GBytes *
add_exif_thumbnail (const char *jpeg,
                    gsize       jpeg_len,
                    const char *thumbnail,
                    gsize       thumbnail_len)
{
  g_autoptr(GByteArray) tiff = g_byte_array_new ();
  GByteArray *out = g_byte_array_new ();
  guint32 ifd1 = 8 + 2 + 12 + 4;
  guint32 data = ifd1 + 2 + 3 * 12 + 4;
  guint8 app1[4];

  g_byte_array_append (tiff, (const guint8 *) "II\x2a\x00\x08\x00\x00\x00", 8);
  put_u16 (tiff, 1);
  put_entry (tiff, 0x0112, 3, 1);          /* Orientation: upright */
  put_u32 (tiff, ifd1);
  put_u16 (tiff, 3);
  put_entry (tiff, 0x0103, 3, 6);          /* Compression: JPEG */
  put_entry (tiff, 0x0201, 4, data);       /* JPEGInterchangeFormat */
  put_entry (tiff, 0x0202, 4, (guint32) thumbnail_len);
  put_u32 (tiff, 0);
  g_assert_cmpuint (tiff->len, ==, data);
  g_byte_array_append (tiff, (const guint8 *) thumbnail, (guint) thumbnail_len);
  g_assert_cmpuint (2 + 6 + tiff->len, <=, 0xffff);

  g_byte_array_append (out, (const guint8 *) "\xff\xd8", 2);
  app1[0] = 0xff;
  app1[1] = 0xe1;
  app1[2] = (2 + 6 + tiff->len) >> 8;
  app1[3] = (2 + 6 + tiff->len) & 0xff;
  g_byte_array_append (out, app1, 4);
  g_byte_array_append (out, (const guint8 *) "Exif\0\0", 6);
  g_byte_array_append (out, tiff->data, tiff->len);
  g_byte_array_append (out, (const guint8 *) jpeg + 2, (guint) jpeg_len - 2);

  return g_byte_array_free_to_bytes (out);
}

/* A photo-like picture: a lit background, an oval "face", shapes, and
 * grain, so that it compresses like a photo (not like a flat test card). */
static void
render_photo (Photo *photo)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, photo_width, photo_height);
  g_autoptr(GdkPixbuf) small = NULL;
  g_autoptr(GBytes) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *jpeg = NULL;
  g_autofree char *thumbnail = NULL;
  gsize jpeg_len, thumbnail_len;
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guint32 state = 2166136261u ^ (photo->seed * 16777619u);
  double cx = photo_width * (0.4 + 0.02 * (photo->seed % 10));
  double cy = photo_height * 0.45;
  double rx = photo_width * 0.16;
  double ry = photo_height * 0.3;

  for (int y = 0; y < photo_height; y++)
    {
      guint8 *p = pixels + (gsize) y * stride;

      for (int x = 0; x < photo_width; x++, p += 3)
        {
          double dx = (x - cx) / rx;
          double dy = (y - cy) / ry;
          int r, g, b, grain;

          state ^= state << 13;
          state ^= state >> 17;
          state ^= state << 5;
          grain = (int) (state % 25) - 12;

          if (dx * dx + dy * dy < 1.0)
            {
              r = 200 - (int) (40 * dy);
              g = 150 - (int) (30 * dy);
              b = 120;
            }
          else
            {
              r = (x * 180 / photo_width + photo->seed * 23) % 256;
              g = (y * 160 / photo_height + photo->seed * 41) % 256;
              b = ((x / 97 + y / 83 + (int) photo->seed) % 5) * 40;
            }

          p[0] = CLAMP (r + grain, 0, 255);
          p[1] = CLAMP (g + grain, 0, 255);
          p[2] = CLAMP (b + grain, 0, 255);
        }
    }

  gdk_pixbuf_save_to_buffer (pixbuf, &jpeg, &jpeg_len, "jpeg", &error, "quality", "92", NULL);
  g_assert_no_error (error);
  small = gdk_pixbuf_scale_simple (pixbuf, EXIF_THUMBNAIL_WIDTH, EXIF_THUMBNAIL_HEIGHT, GDK_INTERP_BILINEAR);
  gdk_pixbuf_save_to_buffer (small, &thumbnail, &thumbnail_len, "jpeg", &error, "quality", "80", NULL);
  g_assert_no_error (error);

  file = add_exif_thumbnail (jpeg, jpeg_len, thumbnail, thumbnail_len);
  g_file_set_contents (photo->path, g_bytes_get_data (file, NULL), (gssize) g_bytes_get_size (file), &error);
  g_assert_no_error (error);
}

static void
render_in_thread (gpointer data,
                  gpointer user_data)
{
  render_photo (data);
}

/* Every photo, on every core. */
static void
make_photos (const char *dir)
{
  g_autoptr(GError) error = NULL;
  GThreadPool *pool;
  Photo *photos = g_new0 (Photo, n_photos);

  pool = g_thread_pool_new (render_in_thread, NULL, (int) g_get_num_processors (), TRUE, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < n_photos; i++)
    {
      g_autofree char *name = g_strdup_printf ("IMG_%04u.jpg", 1000 + i);

      photos[i].path = g_build_filename (dir, name, NULL);
      photos[i].seed = i + 1;
      g_thread_pool_push (pool, &photos[i], NULL);
    }
  g_thread_pool_free (pool, FALSE, TRUE);

  for (guint i = 0; i < n_photos; i++)
    g_free (photos[i].path);
  g_free (photos);
}

/* The photos in @dir, in order; their total size in *@total. */
static GPtrArray *
list_photos (const char *dir,
             goffset    *total)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_object_unref);

  *total = 0;
  for (guint i = 0; i < n_photos; i++)
    {
      g_autofree char *name = g_strdup_printf ("IMG_%04u.jpg", 1000 + i);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      GStatBuf st;

      g_assert_cmpint (g_stat (path, &st), ==, 0);
      *total += st.st_size;
      g_ptr_array_add (files, g_file_new_for_path (path));
    }

  return files;
}

/* }}} */

/* {{{ The floor: libjpeg at 1/8 scale on every core */

typedef struct
{
  struct jpeg_error_mgr manager;
  jmp_buf               jump;
} JpegError;

static void
jpeg_error_exit (j_common_ptr info)
{
  longjmp (((JpegError *) info->err)->jump, 1);
}

static void
decode_eighth (gpointer data,
               gpointer user_data)
{
  GFile *file = data;
  g_autofree char *contents = NULL;
  g_autofree guchar *row = NULL;
  struct jpeg_decompress_struct info;
  JpegError error;
  gsize length;

  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, NULL))
    g_error ("Cannot read a photo");

  info.err = jpeg_std_error (&error.manager);
  error.manager.error_exit = jpeg_error_exit;
  if (setjmp (error.jump))
    g_error ("Cannot decode a photo");

  jpeg_create_decompress (&info);
  jpeg_mem_src (&info, (const unsigned char *) contents, length);
  jpeg_read_header (&info, TRUE);
  /* The least work that gives the picture at 1/8 scale. */
  info.scale_num = 1;
  info.scale_denom = 8;
  info.dct_method = JDCT_IFAST;
  info.do_fancy_upsampling = FALSE;
  info.do_block_smoothing = FALSE;
  jpeg_start_decompress (&info);
  row = g_malloc ((gsize) info.output_width * info.output_components);
  while (info.output_scanline < info.output_height)
    {
      JSAMPROW rows[1] = { row };

      jpeg_read_scanlines (&info, rows, 1);
    }
  jpeg_finish_decompress (&info);
  jpeg_destroy_decompress (&info);
}

/* Wall time to decode every file at 1/8 scale on every core, in ms. */
static double
measure_floor (GPtrArray *files)
{
  g_autoptr(GError) error = NULL;
  GThreadPool *pool;
  gint64 start = g_get_monotonic_time ();

  pool = g_thread_pool_new (decode_eighth, NULL, (int) g_get_num_processors (), TRUE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < files->len; i++)
    g_thread_pool_push (pool, g_ptr_array_index (files, i), NULL);
  g_thread_pool_free (pool, FALSE, TRUE);

  return (g_get_monotonic_time () - start) / 1000.0;
}

/* }}} */

/* {{{ One run (in the child) */

typedef struct
{
  AtelierPhotoList *list;
  gint64            start;
  gint64            previews;     /* first frame painted with a picture in every tile */
  gint64            end;          /* ... with every photo's own thumbnail */
  guint             n_previews;   /* photos that showed a picture before their own */
} Run;

static gboolean
all_pictures (AtelierPhotoList *list)
{
  for (guint i = 0; i < atelier_photo_list_get_n_photos (list); i++)
    if (atelier_training_photo_get_thumbnail (atelier_photo_list_get_photo (list, i)) == NULL)
      return FALSE;

  return atelier_photo_list_get_n_photos (list) > 0;
}

static gboolean
all_thumbnails (AtelierPhotoList *list)
{
  for (guint i = 0; i < atelier_photo_list_get_n_photos (list); i++)
    {
      AtelierTrainingPhoto *photo = atelier_photo_list_get_photo (list, i);

      if (!atelier_training_photo_get_analyzed (photo) || atelier_training_photo_get_thumbnail (photo) == NULL)
        return FALSE;
    }

  return atelier_photo_list_get_n_photos (list) > 0;
}

static void
after_paint_cb (GdkFrameClock *clock,
                Run           *run)
{
  if (run->previews == 0 && all_pictures (run->list))
    run->previews = g_get_monotonic_time ();
  if (run->end == 0 && all_thumbnails (run->list))
    run->end = g_get_monotonic_time ();
}

static void
thumbnail_notify_cb (AtelierTrainingPhoto *photo,
                     GParamSpec           *pspec,
                     Run                  *run)
{
  /* A picture before the photo's own: its EXIF thumbnail. */
  if (!atelier_training_photo_get_analyzed (photo) && atelier_training_photo_get_thumbnail (photo) != NULL)
    run->n_previews++;
}

static void
wait_until_deadline (gboolean (*done) (gpointer),
                     gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_S * G_USEC_PER_SEC;

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("The picker did not finish in %d s", TIMEOUT_S);
      g_main_context_iteration (NULL, TRUE);
    }
}

static gboolean
run_painted (gpointer data)
{
  return ((Run *) data)->end != 0;
}

static gboolean
list_idle (gpointer data)
{
  AtelierPhotoList *list = data;

  return atelier_photo_list_get_n_analyzing (list) == 0 &&
         atelier_photo_list_get_n_inspecting (list) == 0;
}

static gboolean
window_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static void
photos_added_cb (GListModel *model,
                 guint       position,
                 guint       removed,
                 guint       added,
                 Run        *run)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(AtelierTrainingPhoto) photo = g_list_model_get_item (model, i);

      g_signal_connect (photo, "notify::thumbnail", G_CALLBACK (thumbnail_notify_cb), run);
    }
}

static void
one_run (AtelierSandboxServer *server,
         AtelierAstriaClient  *client,
         GPtrArray            *files,
         goffset               original_bytes,
         double               *thumbnails_ms,
         double               *previews_ms,
         double               *upload_ratio,
         char                **renderer)
{
  g_autoptr(GPtrArray) requests = NULL;
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  AtelierPicker *picker = ATELIER_PICKER (atelier_picker_new ());
  GdkFrameClock *clock;
  gulong handler;
  goffset uploaded = 0;
  Run run = { 0 };

  gtk_window_set_default_size (window, 1200, 900);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (picker));
  gtk_window_set_child (window, scrolled);
  run.list = atelier_picker_get_photo_list (picker);
  atelier_photo_list_set_client (run.list, client);
  atelier_photo_list_set_class_name (run.list, "woman");
  g_signal_connect (atelier_photo_list_get_model (run.list), "items-changed", G_CALLBACK (photos_added_cb), &run);
  gtk_window_present (window);
  wait_until_deadline (window_mapped, window);
  g_usleep (200 * 1000);
  while (g_main_context_iteration (NULL, FALSE));

  atelier_sandbox_server_clear_requests (server);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &run);

  /* What a drop of 40 files does. */
  run.start = g_get_monotonic_time ();
  atelier_picker_add_files (picker, files);
  wait_until_deadline (run_painted, &run);
  g_signal_handler_disconnect (clock, handler);
  *thumbnails_ms = (run.end - run.start) / 1000.0;
  *previews_ms = (run.previews - run.start) / 1000.0;
  *renderer = g_strdup (G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))));

  wait_until_deadline (list_idle, run.list);
  g_assert_cmpuint (atelier_photo_list_get_n_failed (run.list), ==, 0);
  g_assert_cmpuint (atelier_photo_list_get_n_unusable (run.list), ==, 0);

  requests = atelier_sandbox_server_dup_requests (server);
  for (guint i = 0; i < requests->len; i++)
    {
      AtelierSandboxRequest *request = g_ptr_array_index (requests, i);

      if (g_str_equal (atelier_sandbox_request_get_method (request), "POST") &&
          g_str_equal (atelier_sandbox_request_get_path (request), "/images/inspect"))
        uploaded += atelier_sandbox_request_get_body_length (request);
    }
  g_assert_cmpuint (atelier_sandbox_server_count_requests (server, "POST", "/images/inspect"), ==, files->len);
  *upload_ratio = (double) uploaded / original_bytes;

  g_printerr ("# run: %u photos, a picture in every tile after %.0f ms (%u EXIF thumbnails shown first), "
              "every photo's own thumbnail after %.0f ms, %" G_GOFFSET_FORMAT " of %" G_GOFFSET_FORMAT
              " bytes uploaded for inspection\n",
              files->len, *previews_ms, run.n_previews, *thumbnails_ms, uploaded, original_bytes);

  /* Every photo has an EXIF thumbnail: each one was shown first, unless
   * its own thumbnail beat it. */
  if (quick && run.n_previews == 0)
    g_error ("No EXIF thumbnail was shown");

  for (guint i = 0; i < atelier_photo_list_get_n_photos (run.list); i++)
    g_signal_handlers_disconnect_by_data (atelier_photo_list_get_photo (run.list, i), &run);
  g_signal_handlers_disconnect_by_data (atelier_photo_list_get_model (run.list), &run);
  gtk_window_destroy (window);
  while (g_main_context_iteration (NULL, FALSE));
}

static int
run_picker (const char *dir)
{
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(AtelierAstriaClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *choice = NULL;
  g_autofree char *renderer = NULL;
  AtelierSandboxServer *server;
  double thumbnails[RUNS];
  double previews[RUNS];
  double ratios[RUNS];
  double floors[RUNS];
  double floor_ratios[RUNS];
  guint runs = quick ? 1 : RUNS;
  goffset total;

  choice = atelier_renderer_setup ();
  if (!gtk_init_check ())
    {
      g_printerr ("No display: run it under xvfb-run\n");
      return 77;
    }
  adw_init ();

  files = list_photos (dir, &total);
  server = atelier_test_server_new ();
  url = atelier_sandbox_server_dup_base_url (server);
  client = atelier_astria_client_new (url, "bench-key", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < runs; i++)
    {
      /* The floor next to each run: the machine's load changes. */
      floors[i] = measure_floor (files);
      g_clear_pointer (&renderer, g_free);
      one_run (server, client, files, total, &thumbnails[i], &previews[i], &ratios[i], &renderer);
      floor_ratios[i] = thumbnails[i] / MAX (floors[i], 1.0);
      g_printerr ("# floor before it: %.0f ms, ratio %.2f\n", floors[i], floor_ratios[i]);
    }

  g_print ("renderer-choice: %s\n", choice);
  g_print ("renderer: %s\n", renderer);
  g_print ("all-thumbnails-ms: %.0f\n", median (thumbnails, runs));
  g_print ("previews-ms: %.0f\n", median (previews, runs));
  g_print ("inspect-upload-ratio: %.4f\n", median (ratios, runs));
  g_print ("floor-ms: %.0f\n", median (floors, runs));
  g_print ("floor-ratio: %.2f\n", median (floor_ratios, runs));

  g_clear_object (&client);
  atelier_test_server_free (server);

  return 0;
}

/* }}} */

/* {{{ The parent */

static GHashTable *
run_child (const char *dir,
           const char *renderer,
           int        *status)
{
  const char *args[] = { "--child", dir, quick ? "--quick" : NULL, NULL };

  return bench_run_child (args, renderer, NULL, "picker", status);
}

static const char *
text_figure (GHashTable *figures,
             const char *name)
{
  return bench_text_figure (figures, name, "picker");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *default_renderer = NULL;
  g_auto(GStrv) renderers = NULL;
  goffset total;
  gint64 start;
  int status = 0;

  setlocale (LC_ALL, "");
  if (argc > 1 && g_str_equal (argv[1], "--child"))
    {
      if (argc < 3)
        return 2;
      quick = argc > 3 && g_str_equal (argv[3], "--quick");
    }
  else
    quick = argc > 1 && g_str_equal (argv[1], "--quick");

  if (quick)
    {
      n_photos = 4;
      photo_width = 1280;
      photo_height = 960;
    }

  if (argc > 2 && g_str_equal (argv[1], "--child"))
    return run_picker (argv[2]);

  dir = g_dir_make_tmp ("atelier-bench-picker-XXXXXX", &error);
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  make_photos (dir);
  files = list_photos (dir, &total);
  g_printerr ("# %u photos of %d × %d with EXIF thumbnails, %.1f MB, made in %.1f s\n", n_photos,
              photo_width, photo_height, total / 1e6, (g_get_monotonic_time () - start) / 1e6);

  if (g_getenv ("ATELIER_BENCH_RENDERERS") != NULL)
    renderers = g_strsplit (g_getenv ("ATELIER_BENCH_RENDERERS"), ",", -1);
  else if (quick)
    renderers = g_strsplit ("env", ",", -1);
  else
    renderers = g_strsplit ("default,gl,cairo", ",", -1);

  for (guint i = 0; renderers[i] != NULL && status == 0; i++)
    {
      const char *label = renderers[i];
      const char *renderer = label;
      g_autoptr(GHashTable) figures = NULL;

      if (g_str_equal (label, "env"))
        {
          renderer = NULL;
          label = g_getenv ("GSK_RENDERER") != NULL ? g_getenv ("GSK_RENDERER") : "default";
        }
      if (g_str_equal (label, "gl") && g_strcmp0 (default_renderer, "GskGLRenderer") == 0)
        {
          g_print ("# gl: the default is GL already\n");
          continue;
        }

      figures = run_child (dir, renderer, &status);
      if (figures == NULL)
        break;

      g_print ("# %s: drawn with %s (%s)\n", label, text_figure (figures, "renderer"),
               text_figure (figures, "renderer-choice"));
      g_print ("picker-renderer[%s]: %s\n", label, text_figure (figures, "renderer"));
      g_print ("picker-all-thumbnails-ms[%s]: %s\n", label, text_figure (figures, "all-thumbnails-ms"));
      g_print ("picker-previews-ms[%s]: %s\n", label, text_figure (figures, "previews-ms"));
      g_print ("picker-floor-ms[%s]: %s\n", label, text_figure (figures, "floor-ms"));
      g_print ("picker-floor-ratio[%s]: %s\n", label, text_figure (figures, "floor-ratio"));
      g_print ("picker-inspect-upload-ratio[%s]: %s\n", label, text_figure (figures, "inspect-upload-ratio"));
      if (g_str_equal (label, "default"))
        default_renderer = g_strdup (text_figure (figures, "renderer"));
    }

  atelier_test_rm_rf (dir);

  return status;
}

/* }}} */
