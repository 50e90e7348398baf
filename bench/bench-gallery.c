/* bench-gallery.c: the gallery with 10,000 images of the sandbox
 *
 *   bench-gallery [--quick]
 *
 * Seeds a sandbox in a temporary folder with 2,500 prompts of 4 images
 * (1024 × 1024 JPEGs, pre-rendered so the server is not what is
 * measured), then measures, each in a process of its own and for each
 * renderer (below):
 *
 *   the gallery: the real gallery page in a 1280 × 800 window, scrolled
 *   from top to bottom, then opened again with an empty memory cache
 *   and scrolled again;
 *
 *   its floor: a bare GtkGridView of as many pictures of the gallery's
 *   cell size, whose pixels are decoded before the clock starts (each
 *   bind wraps them in a new texture, as the gallery makes one per
 *   image), in the same window, scrolled the same way and watched by the
 *   same probe. What the machine and the renderer cost anyway.
 *
 * and prints, for each renderer R:
 *
 *   gallery-first-screen-ms[R]         from making the page (in a window
 *                                      already shown, as in the app) to
 *                                      the first frame painted with every
 *                                      visible cell showing its image
 *   gallery-max-stall-ms[R]            the longest gap between two runs
 *                                      of a G_PRIORITY_HIGH 5 ms timeout
 *                                      while the view is scrolled
 *   gallery-peak-rss-mb[R]             VmHWM of the gallery's process
 *                                      (reset once its sandbox is up)
 *   gallery-second-visit-downloads[R]  image downloads while the gallery
 *                                      is opened again with an empty
 *                                      memory cache and scrolled again
 *   gallery-floor-first-screen-ms[R], gallery-floor-max-stall-ms[R]
 *   gallery-first-screen-ratio[R], gallery-stall-ratio[R]
 *                                      the gallery's over its floor's
 *
 * The renderers: "default" is what the app does with no GSK_RENDERER
 * set (atelier_renderer_setup(): GTK's choice, except cairo when GL is
 * a software rasteriser); "gl" forces GTK's GL renderer (skipped when
 * the default already is GL); "cairo" forces cairo. The renderer each
 * run really drew with is printed (gallery-renderer[R]).
 *
 * Scrolling moves the adjustment by half a page and waits, each step,
 * for a frame and for the visible cells to show their images, as a user
 * skimming the gallery would. With --quick (the correctness flavour run
 * as a test) the sandbox is 60 prompts of 4 small images, the renderer
 * is the environment's, and the run fails unless every image was shown,
 * no texture is larger than its cell's pixels and the second visit
 * downloaded nothing.
 *
 * ATELIER_BENCH_PROMPTS=N, ATELIER_BENCH_SANDBOX=DIR (keep the seeded
 * sandbox between runs), ATELIER_BENCH_RENDERERS=default,cairo,
 * ATELIER_BENCH_VERBOSE=1 are for trying things out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "atelier-gallery-page-private.h"
#include "atelier-image-cache-private.h"
#include "atelier-renderer.h"
#include "atelier-sandbox-server.h"
#include "atelier-session.h"
#include "atelier-test-utils.h"
#include "bench-utils.h"

#define PROBE_INTERVAL_MS 5
#define STEP_TIMEOUT_MS 20000
#define WINDOW_WIDTH 1280
#define WINDOW_HEIGHT 800
/* Distinct pictures the floor cycles through. */
#define FLOOR_PICTURES 64

static gboolean quick;
static gboolean verbose;

/* {{{ Probe and waits */

static gboolean probing;
static gint64 last_probe;
static gint64 max_gap;
static guint n_over_33;
static guint n_over_50;
static gint64 last_cpu;
static const char * (*describe_stall) (void);

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gboolean
probe_cb (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_us ();
  gint64 busy = cpu - last_cpu;

  last_cpu = cpu;

  if (probing && last_probe != 0)
    {
      gint64 gap = now - last_probe;

      max_gap = MAX (max_gap, gap);
      n_over_33 += gap > 33000;
      n_over_50 += gap > 50000;
      if (gap > 50000 && verbose)
        g_printerr ("# stall of %" G_GINT64_FORMAT " ms (main thread busy %" G_GINT64_FORMAT " ms)%s\n",
                    gap / 1000, busy / 1000, describe_stall != NULL ? describe_stall () : "");
    }
  last_probe = now;

  return G_SOURCE_CONTINUE;
}

static void
start_probing (void)
{
  probing = TRUE;
  last_probe = 0;
  max_gap = 0;
  n_over_33 = n_over_50 = 0;
}

static void
wait_until (gboolean   (*condition) (gpointer),
            gpointer     data,
            guint        timeout_ms,
            const char  *what)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > end)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
after_paint_cb (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* Waits for the next frame to be painted. */
static void
wait_frame (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  gboolean painted = FALSE;
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &painted);

  gtk_widget_queue_draw (window);
  wait_until (is_true, &painted, STEP_TIMEOUT_MS, "a frame");
  g_signal_handler_disconnect (clock, id);
}

/* A 1280 × 800 window, up and drawn, as the app's is when the user
 * switches to the gallery. */
static GtkWidget *
new_window (void)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), WINDOW_WIDTH, WINDOW_HEIGHT);
  gtk_window_set_child (GTK_WINDOW (window), gtk_label_new ("Atelier"));
  gtk_window_present (GTK_WINDOW (window));
  wait_frame (window);

  return window;
}

typedef gboolean (*ReadyFunc) (gpointer data);

/* Scrolls @adjustment to the end by half pages, waiting each step for a
 * frame and for @ready; @more says whether the list is still growing (the
 * gallery pages), @idle when the next page has come. Returns the steps. */
static guint
scroll_to_end (GtkWidget     *window,
               GtkAdjustment *adjustment,
               ReadyFunc      ready,
               ReadyFunc      more,
               ReadyFunc      idle,
               gpointer       data)
{
  guint steps = 0;

  while (TRUE)
    {
      double value = gtk_adjustment_get_value (adjustment);
      double page_size = gtk_adjustment_get_page_size (adjustment);
      double upper = gtk_adjustment_get_upper (adjustment);

      if (value + page_size >= upper - 1)
        {
          if (more == NULL || !more (data))
            break;
          /* The next page is on its way: wait for the list to grow. */
          wait_until (idle, data, STEP_TIMEOUT_MS, "the next page");
          wait_frame (window);
          if (gtk_adjustment_get_upper (adjustment) <= upper && !more (data))
            break;
          continue;
        }

      gtk_adjustment_set_value (adjustment, MIN (value + page_size / 2, upper - page_size));
      wait_frame (window);
      if (ready != NULL)
        wait_until (ready, data, STEP_TIMEOUT_MS, "the visible thumbnails");
      steps++;
    }

  return steps;
}

/* }}} */

/* {{{ Memory */

static guint64
read_status_kb (const char *key)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;

  line = strstr (status, key);
  if (line == NULL)
    return 0;

  return g_ascii_strtoull (line + strlen (key) + 1, NULL, 10);
}

/* Resets VmHWM to the current RSS (Linux ≥ 4.0). */
static gboolean
reset_peak_rss (void)
{
  FILE *file = fopen ("/proc/self/clear_refs", "w");
  gboolean ok;

  if (file == NULL)
    return FALSE;
  ok = fputs ("5", file) >= 0;
  return fclose (file) == 0 && ok;
}

static void
note (const char *what)
{
  if (verbose)
    g_printerr ("# %s: RSS %" G_GUINT64_FORMAT " MB, peak %" G_GUINT64_FORMAT " MB\n", what,
                read_status_kb ("VmRSS:") / 1024, read_status_kb ("VmHWM:") / 1024);
}

/* }}} */

/* {{{ The gallery (a child process) */

typedef struct
{
  GtkWidget          *window;
  AtelierGalleryPage *page;
} Visit;

static AtelierGalleryPage *stall_page;   /* (unowned) for describe_gallery_stall */

static const char *
describe_gallery_stall (void)
{
  static char text[64];
  AtelierPromptsModel *model = stall_page != NULL ? _atelier_gallery_page_get_model (stall_page) : NULL;

  if (model == NULL)
    return "";
  g_snprintf (text, sizeof text, " at %u items%s", g_list_model_get_n_items (G_LIST_MODEL (model)),
              atelier_prompts_model_is_loading (model) ? ", loading" : "");
  return text;
}

static gboolean
visible_cells_ready (gpointer data)
{
  guint waiting = 0;
  guint visible = _atelier_gallery_page_count_visible_cells (data, &waiting);

  return visible > 0 && waiting == 0;
}

static gboolean
model_idle (gpointer data)
{
  AtelierPromptsModel *model = _atelier_gallery_page_get_model (data);

  return model != NULL && !atelier_prompts_model_is_loading (model);
}

static gboolean
model_has_more (gpointer data)
{
  AtelierPromptsModel *model = _atelier_gallery_page_get_model (data);

  return model != NULL && atelier_prompts_model_has_more (model);
}

static gboolean
model_has_items (gpointer data)
{
  AtelierPromptsModel *model = _atelier_gallery_page_get_model (data);

  return model != NULL && g_list_model_get_n_items (G_LIST_MODEL (model)) > 0;
}

static Visit
open_gallery (AtelierSession      *session,
              AtelierAstriaClient *client,
              gint64              *start)
{
  Visit visit;

  visit.window = new_window ();
  *start = g_get_monotonic_time ();
  visit.page = g_object_new (ATELIER_TYPE_GALLERY_PAGE, "session", session, "client", client, NULL);
  gtk_window_set_child (GTK_WINDOW (visit.window), GTK_WIDGET (visit.page));

  return visit;
}

/* Open to the first frame with every visible cell's image; in µs. */
static gint64
measure_first_screen (Visit *visit,
                      gint64 start)
{
  wait_until (model_has_items, visit->page, STEP_TIMEOUT_MS, "the first page");
  if (verbose)
    g_printerr ("# first page listed after %" G_GINT64_FORMAT " ms\n", (g_get_monotonic_time () - start) / 1000);
  wait_until (visible_cells_ready, visit->page, STEP_TIMEOUT_MS, "the first screen of thumbnails");
  if (verbose)
    g_printerr ("# visible cells ready after %" G_GINT64_FORMAT " ms\n", (g_get_monotonic_time () - start) / 1000);
  wait_frame (visit->window);

  return g_get_monotonic_time () - start;
}

static void
close_visit (Visit *visit)
{
  gtk_window_destroy (GTK_WINDOW (visit->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

typedef struct
{
  GType cell_type;
  int   cell_width;        /* device pixels, the first cell's */
  int   cell_height;
  int   texture_width;     /* the largest texture's */
  int   texture_height;
  guint n_textures;
  guint n_over;            /* textures larger than their cell's pixels */
} Cells;

static GtkPicture *
find_picture (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkPicture *picture = GTK_IS_PICTURE (child) ? GTK_PICTURE (child) : find_picture (child);

      if (picture != NULL)
        return picture;
    }

  return NULL;
}

/* Every gallery cell under @widget (found by type name, so that the
 * benchmark needs none of the gallery's headers beyond its private API):
 * its size in device pixels, and its picture's texture. */
static void
survey_cells (GtkWidget *widget,
              Cells     *cells)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (child, cells->cell_type))
        {
          int scale = gtk_widget_get_scale_factor (child);
          int width = gtk_widget_get_width (child) * scale;
          int height = gtk_widget_get_height (child) * scale;
          GtkPicture *picture = find_picture (child);
          GdkPaintable *paintable = picture != NULL ? gtk_picture_get_paintable (picture) : NULL;

          if (width <= 0 || height <= 0)
            continue;
          if (cells->cell_width == 0)
            {
              cells->cell_width = width;
              cells->cell_height = height;
            }
          if (GDK_IS_TEXTURE (paintable))
            {
              int tw = gdk_texture_get_width (GDK_TEXTURE (paintable));
              int th = gdk_texture_get_height (GDK_TEXTURE (paintable));

              cells->n_textures++;
              if ((gint64) tw * th > (gint64) cells->texture_width * cells->texture_height)
                {
                  cells->texture_width = tw;
                  cells->texture_height = th;
                }
              if (tw > width || th > height)
                {
                  if (cells->n_over++ < 5)
                    g_printerr ("# a texture of %d × %d in a cell of %d × %d pixels\n", tw, th, width, height);
                }
            }
          continue;
        }

      survey_cells (child, cells);
    }
}

static int
run_gallery (const char *sandbox_dir)
{
  g_autofree char *tmp = NULL;
  g_autofree char *state = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *choice = NULL;
  g_autoptr(AtelierSandboxServer) server = NULL;
  g_autoptr(AtelierAstriaClient) client = NULL;
  g_autoptr(AtelierSession) session = NULL;
  g_autoptr(GError) error = NULL;
  AtelierImageCache *cache;
  GtkAdjustment *adjustment;
  Cells cells = { 0 };
  gint64 start, first_screen, second_first_screen, scroll_start;
  guint steps, n_items, downloads_before, second_downloads;
  gboolean peak_reset;
  Visit visit;

  /* A fresh cache and data folder: the first visit downloads. */
  tmp = g_dir_make_tmp ("atelier-bench-gallery-XXXXXX", &error);
  g_assert_no_error (error);
  {
    g_autofree char *data_dir = g_build_filename (tmp, "data", NULL);
    g_autofree char *cache_dir = g_build_filename (tmp, "cache", NULL);

    g_setenv ("XDG_DATA_HOME", data_dir, TRUE);
    g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);
    g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  }

  /* What the app's main() does, before the first window. */
  choice = atelier_renderer_setup ();
  if (!gtk_init_check ())
    {
      g_printerr ("No display: run under xvfb-run\n");
      return 77;
    }
  adw_init ();
  g_print ("renderer-choice: %s\n", choice);

  state = g_build_filename (sandbox_dir, "state.json", NULL);
  if (!g_file_test (state, G_FILE_TEST_EXISTS))
    g_error ("No seeded sandbox in %s", sandbox_dir);
  server = atelier_sandbox_server_new (sandbox_dir);
  atelier_sandbox_server_set_prompt_delay_ms (server, 0);
  if (!atelier_sandbox_server_start (server, 0, &error))
    g_error ("Cannot start the sandbox: %s", error->message);

  base_url = atelier_sandbox_server_dup_base_url (server);
  client = atelier_astria_client_new (base_url, "bench", &error);
  g_assert_no_error (error);
  session = atelier_session_new ();
  {
    g_autofree char *account = g_strconcat ("sandbox:", sandbox_dir, NULL);

    atelier_session_connect (session, ATELIER_SESSION_MODE_SANDBOX, base_url, "bench",
                             base_url, "bench", FALSE, account, &error);
    g_assert_no_error (error);
  }
  cache = atelier_session_get_image_cache (session);
  if (g_getenv ("ATELIER_BENCH_CACHE_MB") != NULL)
    atelier_image_cache_set_memory_limit (cache, g_ascii_strtoull (g_getenv ("ATELIER_BENCH_CACHE_MB"), NULL, 10) << 20);

  g_timeout_add_full (G_PRIORITY_HIGH, PROBE_INTERVAL_MS, probe_cb, NULL, NULL);
  note ("sandbox up");
  peak_reset = reset_peak_rss ();

  /* First visit */
  visit = open_gallery (session, client, &start);
  first_screen = measure_first_screen (&visit, start);
  note ("first screen");
  g_print ("renderer: %s\n", G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (visit.window))));

  cells.cell_type = g_type_from_name ("AtelierGalleryCell");
  g_assert (cells.cell_type != 0);
  survey_cells (GTK_WIDGET (visit.page), &cells);

  adjustment = gtk_scrolled_window_get_vadjustment (_atelier_gallery_page_get_scrolled_window (visit.page));
  stall_page = visit.page;
  describe_stall = describe_gallery_stall;
  start_probing ();
  scroll_start = g_get_monotonic_time ();
  steps = scroll_to_end (visit.window, adjustment, visible_cells_ready, model_has_more, model_idle, visit.page);
  probing = FALSE;
  describe_stall = NULL;
  stall_page = NULL;
  survey_cells (GTK_WIDGET (visit.page), &cells);
  note ("scrolled");

  n_items = g_list_model_get_n_items (G_LIST_MODEL (_atelier_gallery_page_get_model (visit.page)));
  g_print ("first-screen-ms: %" G_GINT64_FORMAT "\n", first_screen / 1000);
  g_print ("max-stall-ms: %" G_GINT64_FORMAT "\n", max_gap / 1000);
  g_print ("stalls-over-33: %u\nstalls-over-50: %u\n", n_over_33, n_over_50);
  g_print ("steps: %u\nms-per-step: %.1f\n", steps,
           steps > 0 ? (g_get_monotonic_time () - scroll_start) / 1000.0 / steps : 0.0);
  g_print ("items: %u\n", n_items);
  g_print ("first-visit-downloads: %u\n", atelier_image_cache_get_download_count (cache));
  close_visit (&visit);

  /* Second visit: a fresh memory cache, the same disk cache. */
  atelier_image_cache_clear_memory (cache);
  downloads_before = atelier_sandbox_server_count_image_downloads (server);
  visit = open_gallery (session, client, &start);
  second_first_screen = measure_first_screen (&visit, start);
  survey_cells (GTK_WIDGET (visit.page), &cells);
  scroll_to_end (visit.window, gtk_scrolled_window_get_vadjustment (_atelier_gallery_page_get_scrolled_window (visit.page)),
                 visible_cells_ready, model_has_more, model_idle, visit.page);
  survey_cells (GTK_WIDGET (visit.page), &cells);
  close_visit (&visit);
  second_downloads = atelier_sandbox_server_count_image_downloads (server) - downloads_before;

  g_print ("second-visit-first-screen-ms: %" G_GINT64_FORMAT "\n", second_first_screen / 1000);
  g_print ("second-visit-downloads: %u\n", second_downloads);
  g_print ("peak-rss-mb: %" G_GUINT64_FORMAT "\n", read_status_kb ("VmHWM:") / 1024);
  if (!peak_reset)
    g_printerr ("# VmHWM could not be reset: the peak includes the start-up\n");
  g_print ("cell-px: %dx%d\n", cells.cell_width, cells.cell_height);
  g_print ("largest-texture-px: %dx%d\n", cells.texture_width, cells.texture_height);
  g_print ("textures-seen: %u\ntextures-over-cell: %u\n", cells.n_textures, cells.n_over);

  atelier_sandbox_server_stop (server);
  g_clear_object (&session);
  g_clear_object (&client);
  g_clear_object (&server);
  /* The parent removes @tmp (it is in the parent's): helpers this process
   * started with it as their cache, such as an accessibility bus on an
   * auto-launched session bus, outlive this process. */

  /* What must hold whatever the machine: every image shown (each step
   * waited for it), none larger than its cell, the disk cache enough. */
  if (cells.n_textures == 0 || cells.n_over > 0 || second_downloads > 0)
    return 1;
  return 0;
}

/* }}} */

/* {{{ The floor (a child process) */

typedef struct
{
  int     width;
  int     height;
  GBytes *pixels[FLOOR_PICTURES];   /* decoded before the clock starts */
} Floor;

static Floor floor_pictures;

/* Photo-like pixels: a gradient and grain, opaque, in GTK's native
 * format (what cairo draws from without converting). */
static GBytes *
make_pixels (int   width,
             int   height,
             guint seed)
{
  guint8 *data = g_malloc ((gsize) width * height * 4);
  guint32 state = 2166136261u ^ (seed * 16777619u);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = data + ((gsize) y * width + x) * 4;
        int grain;

        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        grain = (int) (state % 17) - 8;
        p[0] = CLAMP ((int) ((y * 160 / height + seed * 41) % 256) + grain, 0, 255);   /* B */
        p[1] = CLAMP ((int) ((x * 180 / width + seed * 23) % 256) + grain, 0, 255);    /* G */
        p[2] = CLAMP ((int) ((x + y) * 120 / (width + height) + seed * 7) % 256 + grain, 0, 255);
        p[3] = 255;
      }

  return g_bytes_new_take (data, (gsize) width * height * 4);
}

static void
floor_setup_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item)
{
  GtkWidget *picture = gtk_picture_new ();

  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
  gtk_widget_set_size_request (picture, floor_pictures.width, floor_pictures.height);
  gtk_list_item_set_child (item, picture);
}

static void
floor_bind_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item)
{
  guint position = gtk_list_item_get_position (item);
  g_autoptr(GdkTexture) texture = NULL;

  texture = gdk_memory_texture_new (floor_pictures.width, floor_pictures.height, GDK_MEMORY_DEFAULT,
                                    floor_pictures.pixels[position % FLOOR_PICTURES],
                                    (gsize) floor_pictures.width * 4);
  gtk_picture_set_paintable (GTK_PICTURE (gtk_list_item_get_child (item)), GDK_PAINTABLE (texture));
}

static void
floor_unbind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item)
{
  gtk_picture_set_paintable (GTK_PICTURE (gtk_list_item_get_child (item)), NULL);
}

static int
run_floor (int   cell_width,
           int   cell_height,
           guint n_items)
{
  g_autofree char *choice = NULL;
  g_autoptr(GtkStringList) strings = NULL;
  g_autoptr(GtkListItemFactory) factory = NULL;
  GtkWidget *window, *scrolled, *grid;
  GtkAdjustment *adjustment;
  gint64 start, first_screen, scroll_start;
  guint steps;

  choice = atelier_renderer_setup ();
  if (!gtk_init_check ())
    {
      g_printerr ("No display: run under xvfb-run\n");
      return 77;
    }
  adw_init ();

  /* Everything decoded and listed before the clock starts. */
  floor_pictures.width = cell_width;
  floor_pictures.height = cell_height;
  for (guint i = 0; i < FLOOR_PICTURES; i++)
    floor_pictures.pixels[i] = make_pixels (cell_width, cell_height, i + 1);
  strings = gtk_string_list_new (NULL);
  for (guint i = 0; i < n_items; i++)
    {
      char name[16];

      g_snprintf (name, sizeof name, "%u", i);
      gtk_string_list_append (strings, name);
    }

  g_timeout_add_full (G_PRIORITY_HIGH, PROBE_INTERVAL_MS, probe_cb, NULL, NULL);
  window = new_window ();
  reset_peak_rss ();

  start = g_get_monotonic_time ();
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (floor_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (floor_bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (floor_unbind_cb), NULL);
  grid = gtk_grid_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (g_object_ref (strings)))),
                            g_object_ref (factory));
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), grid);
  gtk_window_set_child (GTK_WINDOW (window), scrolled);
  wait_frame (window);
  first_screen = g_get_monotonic_time () - start;
  g_print ("renderer-choice: %s\n", choice);
  g_print ("renderer: %s\n", G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))));

  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  start_probing ();
  scroll_start = g_get_monotonic_time ();
  steps = scroll_to_end (window, adjustment, NULL, NULL, NULL, NULL);
  probing = FALSE;

  g_print ("first-screen-ms: %" G_GINT64_FORMAT "\n", first_screen / 1000);
  g_print ("max-stall-ms: %" G_GINT64_FORMAT "\n", max_gap / 1000);
  g_print ("stalls-over-33: %u\nstalls-over-50: %u\n", n_over_33, n_over_50);
  g_print ("steps: %u\nms-per-step: %.1f\n", steps,
           steps > 0 ? (g_get_monotonic_time () - scroll_start) / 1000.0 / steps : 0.0);
  g_print ("peak-rss-mb: %" G_GUINT64_FORMAT "\n", read_status_kb ("VmHWM:") / 1024);

  gtk_window_destroy (GTK_WINDOW (window));
  for (guint i = 0; i < FLOOR_PICTURES; i++)
    g_bytes_unref (floor_pictures.pixels[i]);

  return 0;
}

/* }}} */

/* {{{ The parent: seeding, the runs, the figures */

static const char *parent_tmp;   /* the children make their folders in it */

/* One measurement in a child: bench_run_child(), named after its kind
 * (args[1]: "gallery" or "floor"). */
static GHashTable *
run_child (const char * const *args,
           const char         *renderer,
           int                *status)
{
  return bench_run_child (args, renderer, parent_tmp, args[1], status);
}

static double
figure (GHashTable *figures,
        const char *name)
{
  return g_ascii_strtod (bench_text_figure (figures, name, "gallery"), NULL);
}

static const char *
text_figure (GHashTable *figures,
             const char *name)
{
  const char *value = g_hash_table_lookup (figures, name);

  return value != NULL ? value : "?";
}

static double
ratio (double value,
       double floor_value)
{
  /* A floor under a millisecond is timer noise: count it as one. */
  return value / MAX (floor_value, 1.0);
}

/* The gallery and its floor under @renderer (NULL: the environment's);
 * prints the figures. Returns the exit status: 0, or a failed run's. */
static int
measure (const char *sandbox_dir,
         const char *renderer,
         const char *label,
         guint       n_expected,
         char      **drew_with)
{
  g_autoptr(GHashTable) gallery = NULL;
  g_autoptr(GHashTable) floor = NULL;
  g_autofree char *cell = NULL;
  g_autofree char *items = NULL;
  g_auto(GStrv) size = NULL;
  int status;

  {
    const char *args[] = { "--child", "gallery", sandbox_dir, quick ? "--quick" : NULL, NULL };

    gallery = run_child (args, renderer, &status);
    if (gallery == NULL || status != 0)
      return status != 0 ? status : 1;
  }

  if ((guint) figure (gallery, "items") != n_expected)
    {
      g_printerr ("# the gallery showed %.0f items, not %u\n", figure (gallery, "items"), n_expected);
      return 1;
    }

  cell = g_strdup (text_figure (gallery, "cell-px"));
  items = g_strdup (text_figure (gallery, "items"));
  size = g_strsplit (cell, "x", 2);
  if (g_strv_length (size) != 2)
    g_error ("The gallery run saw no cells");

  {
    const char *args[] = { "--child", "floor", size[0], size[1], items, NULL };

    floor = run_child (args, renderer, &status);
    if (floor == NULL || status != 0)
      return status != 0 ? status : 1;
  }

  if (!g_str_equal (text_figure (gallery, "renderer"), text_figure (floor, "renderer")))
    g_error ("The gallery drew with %s, its floor with %s",
             text_figure (gallery, "renderer"), text_figure (floor, "renderer"));

  g_print ("# %s: drawn with %s (%s); cells of %s px, the largest texture %s px\n",
           label, text_figure (gallery, "renderer"), text_figure (gallery, "renderer-choice"),
           cell, text_figure (gallery, "largest-texture-px"));
  g_print ("# %s: %s items in %s steps, %s ms a step (floor: %s steps, %s ms a step); stalls over 50 ms: %s (floor: %s); "
           "second visit's first screen %s ms\n",
           label, items, text_figure (gallery, "steps"), text_figure (gallery, "ms-per-step"),
           text_figure (floor, "steps"), text_figure (floor, "ms-per-step"),
           text_figure (gallery, "stalls-over-50"), text_figure (floor, "stalls-over-50"),
           text_figure (gallery, "second-visit-first-screen-ms"));
  g_print ("gallery-renderer[%s]: %s\n", label, text_figure (gallery, "renderer"));
  g_print ("gallery-first-screen-ms[%s]: %.0f\n", label, figure (gallery, "first-screen-ms"));
  g_print ("gallery-max-stall-ms[%s]: %.0f\n", label, figure (gallery, "max-stall-ms"));
  g_print ("gallery-peak-rss-mb[%s]: %.0f\n", label, figure (gallery, "peak-rss-mb"));
  g_print ("gallery-second-visit-downloads[%s]: %.0f\n", label, figure (gallery, "second-visit-downloads"));
  g_print ("gallery-floor-first-screen-ms[%s]: %.0f\n", label, figure (floor, "first-screen-ms"));
  g_print ("gallery-floor-max-stall-ms[%s]: %.0f\n", label, figure (floor, "max-stall-ms"));
  g_print ("gallery-first-screen-ratio[%s]: %.2f\n", label,
           ratio (figure (gallery, "first-screen-ms"), figure (floor, "first-screen-ms")));
  g_print ("gallery-stall-ratio[%s]: %.2f\n", label,
           ratio (figure (gallery, "max-stall-ms"), figure (floor, "max-stall-ms")));

  if (drew_with != NULL)
    *drew_with = g_strdup (text_figure (gallery, "renderer"));

  return 0;
}

static void
seed (const char *sandbox_dir,
      guint       n_prompts,
      guint       n_images)
{
  g_autoptr(AtelierSandboxServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *state = g_build_filename (sandbox_dir, "state.json", NULL);
  gint64 start = g_get_monotonic_time ();

  if (g_file_test (state, G_FILE_TEST_EXISTS))
    return;

  server = atelier_sandbox_server_new (sandbox_dir);
  atelier_sandbox_server_set_image_size (server, quick ? 256 : 1024);
  atelier_sandbox_server_set_prompt_delay_ms (server, 0);
  if (!atelier_sandbox_server_start (server, 0, &error))
    g_error ("Cannot start the sandbox: %s", error->message);
  atelier_sandbox_server_seed_prompts (server,
                                       atelier_sandbox_server_seed_tune (server, "Bench - 0000", "woman", TRUE),
                                       n_prompts, n_images);
  atelier_sandbox_server_render_all (server);
  atelier_sandbox_server_stop (server);
  g_printerr ("# seeded %u prompts × %u images in %.1f s\n", n_prompts, n_images,
              (g_get_monotonic_time () - start) / 1e6);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *tmp = NULL;
  g_autofree char *sandbox_dir = NULL;
  g_autofree char *default_renderer = NULL;
  g_auto(GStrv) renderers = NULL;
  g_autoptr(GError) error = NULL;
  guint n_prompts;
  int status = 0;

  setlocale (LC_ALL, "");
  verbose = g_getenv ("ATELIER_BENCH_VERBOSE") != NULL;

  if (argc >= 4 && g_str_equal (argv[1], "--child") && g_str_equal (argv[2], "gallery"))
    {
      quick = argc > 4 && g_str_equal (argv[4], "--quick");
      return run_gallery (argv[3]);
    }
  if (argc >= 6 && g_str_equal (argv[1], "--child") && g_str_equal (argv[2], "floor"))
    return run_floor (atoi (argv[3]), atoi (argv[4]), (guint) atoi (argv[5]));

  quick = argc > 1 && g_str_equal (argv[1], "--quick");
  n_prompts = quick ? 60 : 2500;
  if (g_getenv ("ATELIER_BENCH_PROMPTS") != NULL)
    n_prompts = (guint) g_ascii_strtoull (g_getenv ("ATELIER_BENCH_PROMPTS"), NULL, 10);

  tmp = g_dir_make_tmp ("atelier-bench-gallery-XXXXXX", &error);
  g_assert_no_error (error);
  parent_tmp = tmp;
  if (g_getenv ("ATELIER_BENCH_SANDBOX") != NULL)
    sandbox_dir = g_strdup (g_getenv ("ATELIER_BENCH_SANDBOX"));
  else
    sandbox_dir = g_build_filename (tmp, "sandbox", NULL);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  seed (sandbox_dir, n_prompts, 4);

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
      g_autofree char *drew_with = NULL;

      /* "env": whatever the environment says (the test's flavour). */
      if (g_str_equal (label, "env"))
        {
          renderer = NULL;
          label = g_getenv ("GSK_RENDERER") != NULL ? g_getenv ("GSK_RENDERER") : "default";
        }

      /* The default already drew with GL: forcing it measures the same. */
      if (g_str_equal (label, "gl") && g_strcmp0 (default_renderer, "GskGLRenderer") == 0)
        {
          g_print ("# gl: the default is GL already\n");
          continue;
        }

      status = measure (sandbox_dir, renderer, label, n_prompts * 4, &drew_with);
      if (g_str_equal (label, "default"))
        default_renderer = g_steal_pointer (&drew_with);
    }

  atelier_test_rm_rf (tmp);

  return status;
}

/* }}} */
