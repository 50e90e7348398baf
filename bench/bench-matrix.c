/* bench-matrix.c: a pack test run's matrix of 960 images
 *
 *   bench-matrix [--quick]
 *
 * Seeds a sandbox in a temporary folder with 8 tunes of 30 prompts of 4
 * images each (1024 × 1024 JPEGs, pre-rendered so the server is not what
 * is measured), the same 30 prompts on every tune as a pack makes them,
 * and a pack run of those tunes started before them. Then, for each
 * renderer and in a process of its own, opens the run's window (the real
 * one: atelier_run_window_present()) and measures:
 *
 *   matrix-first-screen-ms[R]         from presenting the window (over a
 *                                     main window already shown, as in
 *                                     the app) to the first frame
 *                                     painted with every cell
 *                                     in sight showing its thumbnail
 *                                     (the tunes listed, the rows made,
 *                                     the thumbnails downloaded and
 *                                     decoded)
 *   matrix-max-stall-ms[R]            the longest gap between two runs of
 *                                     a G_PRIORITY_HIGH 5 ms timeout while
 *                                     the matrix is scrolled down its
 *                                     rows, across to the last tune and
 *                                     up again (every cell seen)
 *   matrix-second-visit-downloads[R]  image downloads while the window is
 *                                     opened again with an empty memory
 *                                     cache and scrolled the same way
 *   matrix-second-visit-first-screen-ms[R], matrix-rows[R],
 *   matrix-cells-seen[R], matrix-renderer[R]
 *
 * Scrolling moves an adjustment by half a page and waits, each step, for
 * a frame and for the cells in sight to show their thumbnails. The
 * renderers: "default" is what the app does with no GSK_RENDERER set
 * (atelier_renderer_setup(): cairo when GL is a software rasteriser),
 * "cairo" forces cairo.
 *
 * With --quick (the correctness flavour run as a UI test) the sandbox is
 * 3 tunes of 6 prompts of 4 small images, the renderer the
 * environment's, and the run fails unless every row was made, every
 * cell showed its thumbnail, none is larger than its cell's pixels and
 * the second visit downloaded nothing.
 *
 * ATELIER_BENCH_SANDBOX=DIR (keep the seeded sandbox between runs),
 * ATELIER_BENCH_RENDERERS=default,cairo and ATELIER_BENCH_VERBOSE=1 are
 * for trying things out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "atelier-image-cache.h"
#include "atelier-renderer.h"
#include "atelier-run-window-private.h"
#include "atelier-sandbox-server.h"
#include "atelier-session.h"
#include "atelier-test-utils.h"
#include "bench-utils.h"

#define PROBE_INTERVAL_MS 5
#define STEP_TIMEOUT_MS 20000

static gboolean quick;
static gboolean verbose;

/* {{{ Probe and waits (as bench-gallery.c) */

static gboolean probing;
static gint64 last_probe;
static gint64 max_gap;
static guint n_over_50;

static gboolean
probe_cb (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();

  if (probing && last_probe != 0)
    {
      gint64 gap = now - last_probe;

      max_gap = MAX (max_gap, gap);
      n_over_50 += gap > 50000;
      if (gap > 50000 && verbose)
        g_printerr ("# stall of %" G_GINT64_FORMAT " ms\n", gap / 1000);
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
  n_over_50 = 0;
}

static void
wait_until (gboolean   (*condition) (gpointer),
            gpointer     data,
            const char  *what)
{
  gint64 end = g_get_monotonic_time () + (gint64) STEP_TIMEOUT_MS * 1000;

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

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static void
wait_frame (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  gboolean painted = FALSE;
  gulong id;

  if (clock == NULL)
    {
      wait_until (is_mapped, window, "the window");
      clock = gtk_widget_get_frame_clock (window);
    }
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &painted);
  gtk_widget_queue_draw (window);
  wait_until (is_true, &painted, "a frame");
  g_signal_handler_disconnect (clock, id);
}

/* }}} */

/* {{{ The matrix (a child process) */

typedef struct
{
  AtelierRunWindow *window;
  guint             cells_seen;
  guint             textures;
  guint             over;        /* textures larger than their cell */
} Visit;

static gboolean
cells_ready (gpointer data)
{
  Visit *visit = data;
  AtelierRunMatrixView *view = _atelier_run_window_get_view (visit->window);
  guint waiting = 0;
  guint visible;

  if (view == NULL || !g_str_equal (_atelier_run_window_get_page (visit->window), "matrix"))
    return FALSE;
  visible = atelier_run_matrix_view_count_visible_cells (view, &waiting);
  return visible > 0 && waiting == 0;
}

static gboolean
is_listed (gpointer data)
{
  Visit *visit = data;

  return !atelier_run_matrix_is_loading (_atelier_run_window_get_matrix (visit->window));
}

static GtkPicture *
find_picture (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_PICTURE (child))
        return GTK_PICTURE (child);
    }
  return NULL;
}

/* The cells' textures: none larger than its cell's pixels. */
static void
survey (GtkWidget *widget,
        Visit     *visit)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (ATELIER_IS_RUN_CELL (child))
        {
          int scale = gtk_widget_get_scale_factor (child);
          GtkPicture *picture = find_picture (child);
          GdkPaintable *paintable = picture != NULL ? gtk_picture_get_paintable (picture) : NULL;

          if (gtk_widget_get_width (child) <= 0 || gtk_widget_get_height (child) <= 0 ||
              !gtk_widget_get_child_visible (child))
            continue;
          if (GDK_IS_TEXTURE (paintable))
            {
              visit->textures++;
              if (verbose && (gdk_texture_get_width (GDK_TEXTURE (paintable)) > gtk_widget_get_width (child) * scale ||
                              gdk_texture_get_height (GDK_TEXTURE (paintable)) > gtk_widget_get_height (child) * scale))
                g_printerr ("# a texture of %d × %d in a cell of %d × %d\n",
                            gdk_texture_get_width (GDK_TEXTURE (paintable)), gdk_texture_get_height (GDK_TEXTURE (paintable)),
                            gtk_widget_get_width (child), gtk_widget_get_height (child));
              if (gdk_texture_get_width (GDK_TEXTURE (paintable)) > gtk_widget_get_width (child) * scale ||
                  gdk_texture_get_height (GDK_TEXTURE (paintable)) > gtk_widget_get_height (child) * scale)
                visit->over++;
            }
          continue;
        }
      survey (child, visit);
    }
}

/* Moves @adjustment to @target by half pages, waiting each step for a
 * frame and the thumbnails in sight. */
static guint
scroll (Visit         *visit,
        GtkAdjustment *adjustment,
        gboolean       to_end)
{
  GtkWidget *window = GTK_WIDGET (visit->window);
  guint steps = 0;

  while (TRUE)
    {
      double value = gtk_adjustment_get_value (adjustment);
      double page = gtk_adjustment_get_page_size (adjustment);
      double upper = gtk_adjustment_get_upper (adjustment);
      double lower = gtk_adjustment_get_lower (adjustment);
      double next;

      if (to_end ? value + page >= upper - 1 : value <= lower + 1)
        break;
      next = to_end ? MIN (value + page / 2, upper - page) : MAX (value - page / 2, lower);
      gtk_adjustment_set_value (adjustment, next);
      wait_frame (window);
      wait_until (cells_ready, visit, "the thumbnails in sight");
      visit->cells_seen += atelier_run_matrix_view_count_visible_cells (_atelier_run_window_get_view (visit->window),
                                                                        NULL);
      survey (GTK_WIDGET (visit->window), visit);
      steps++;
    }

  return steps;
}

static GtkWidget *main_window;   /* as the app's, shown before the clock starts */

static gint64
open_run (AtelierSession *session,
          AtelierPackRun *run,
          Visit          *visit)
{
  gint64 start = g_get_monotonic_time ();

  atelier_run_window_present (gtk_window_get_child (GTK_WINDOW (main_window)), session, run);
  visit->window = _atelier_run_window_lookup (atelier_pack_run_get_id (run));
  g_assert_nonnull (visit->window);
  if (verbose)
    {
      g_printerr ("# presented after %" G_GINT64_FORMAT " ms\n", (g_get_monotonic_time () - start) / 1000);
      wait_until (is_listed, visit, "the tunes' prompts");
      g_printerr ("# listed after %" G_GINT64_FORMAT " ms\n", (g_get_monotonic_time () - start) / 1000);
    }
  wait_until (cells_ready, visit, "the first screen of thumbnails");
  if (verbose)
    g_printerr ("# thumbnails after %" G_GINT64_FORMAT " ms\n", (g_get_monotonic_time () - start) / 1000);
  wait_frame (GTK_WIDGET (visit->window));
  survey (GTK_WIDGET (visit->window), visit);

  return g_get_monotonic_time () - start;
}

/* Down the rows, across to the last tune, up again. */
static guint
scroll_everywhere (Visit *visit)
{
  GtkScrolledWindow *scrolled = atelier_run_matrix_view_get_scrolled_window (_atelier_run_window_get_view (visit->window));
  guint steps = 0;

  steps += scroll (visit, gtk_scrolled_window_get_vadjustment (scrolled), TRUE);
  steps += scroll (visit, gtk_scrolled_window_get_hadjustment (scrolled), TRUE);
  steps += scroll (visit, gtk_scrolled_window_get_vadjustment (scrolled), FALSE);
  return steps;
}

static void
close_run (Visit *visit)
{
  gtk_window_destroy (GTK_WINDOW (visit->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static AtelierPackRun *
load_run (const char *sandbox_dir)
{
  g_autofree char *path = g_build_filename (sandbox_dir, "run.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  AtelierPackRun *run;

  if (!json_parser_load_from_file (parser, path, &error))
    g_error ("No run in %s: %s", sandbox_dir, error->message);
  run = atelier_pack_run_new_from_json (json_parser_get_root (parser), &error);
  g_assert_no_error (error);
  return run;
}

static int
run_matrix (const char *sandbox_dir)
{
  g_autofree char *tmp = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *choice = NULL;
  g_autofree char *account = NULL;
  g_autoptr(AtelierSandboxServer) server = NULL;
  g_autoptr(AtelierSession) session = NULL;
  g_autoptr(AtelierPackRun) run = NULL;
  g_autoptr(GError) error = NULL;
  AtelierImageCache *cache;
  Visit first = { 0 };
  Visit second = { 0 };
  gint64 first_screen, second_screen;
  guint steps, rows, downloads_before, second_downloads, first_downloads;

  /* A fresh cache and data folder: the first visit downloads. */
  tmp = g_dir_make_tmp ("atelier-bench-matrix-XXXXXX", &error);
  g_assert_no_error (error);
  {
    g_autofree char *data_dir = g_build_filename (tmp, "data", NULL);
    g_autofree char *cache_dir = g_build_filename (tmp, "cache", NULL);

    g_setenv ("XDG_DATA_HOME", data_dir, TRUE);
    g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);
    g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  }

  choice = atelier_renderer_setup ();
  if (!gtk_init_check ())
    {
      g_printerr ("No display: run under xvfb-run\n");
      return 77;
    }
  adw_init ();
  g_print ("renderer-choice: %s\n", choice);

  server = atelier_sandbox_server_new (sandbox_dir);
  atelier_sandbox_server_set_prompt_delay_ms (server, 0);
  if (!atelier_sandbox_server_start (server, 0, &error))
    g_error ("Cannot start the sandbox: %s", error->message);
  base_url = atelier_sandbox_server_dup_base_url (server);

  session = atelier_session_new ();
  account = g_strconcat ("sandbox:", sandbox_dir, NULL);
  atelier_session_connect (session, ATELIER_SESSION_MODE_SANDBOX, base_url, "bench",
                           base_url, "bench", FALSE, account, &error);
  g_assert_no_error (error);
  cache = atelier_session_get_image_cache (session);
  run = load_run (sandbox_dir);

  g_timeout_add_full (G_PRIORITY_HIGH, PROBE_INTERVAL_MS, probe_cb, NULL, NULL);

  /* The app's main window is up when a run is opened: the renderer and
   * the theme are ready before the clock starts. */
  main_window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (main_window), 1280, 800);
  gtk_window_set_child (GTK_WINDOW (main_window), gtk_label_new ("Atelier"));
  gtk_window_present (GTK_WINDOW (main_window));
  wait_frame (main_window);

  /* First visit */
  first_screen = open_run (session, run, &first);
  g_print ("renderer: %s\n", G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (first.window))));
  rows = g_list_model_get_n_items (G_LIST_MODEL (_atelier_run_window_get_matrix (first.window)));
  start_probing ();
  steps = scroll_everywhere (&first);
  probing = FALSE;
  first_downloads = atelier_sandbox_server_count_image_downloads (server);
  close_run (&first);

  /* Second visit: an empty memory cache, the same disk cache. */
  atelier_image_cache_clear_memory (cache);
  downloads_before = atelier_sandbox_server_count_image_downloads (server);
  second_screen = open_run (session, run, &second);
  scroll_everywhere (&second);
  second_downloads = atelier_sandbox_server_count_image_downloads (server) - downloads_before;
  close_run (&second);

  g_print ("first-screen-ms: %" G_GINT64_FORMAT "\n", first_screen / 1000);
  g_print ("max-stall-ms: %" G_GINT64_FORMAT "\n", max_gap / 1000);
  g_print ("stalls-over-50: %u\n", n_over_50);
  g_print ("steps: %u\n", steps);
  g_print ("rows: %u\n", rows);
  g_print ("cells-seen: %u\n", first.cells_seen);
  g_print ("first-visit-downloads: %u\n", first_downloads);
  g_print ("second-visit-first-screen-ms: %" G_GINT64_FORMAT "\n", second_screen / 1000);
  g_print ("second-visit-downloads: %u\n", second_downloads);
  g_print ("textures-seen: %u\ntextures-over-cell: %u\n", first.textures + second.textures, first.over + second.over);

  gtk_window_destroy (GTK_WINDOW (main_window));
  atelier_sandbox_server_stop (server);
  g_clear_object (&session);
  g_clear_object (&server);

  if (first.textures == 0 || first.over + second.over > 0 || second_downloads > 0)
    return 1;
  return 0;
}

/* }}} */

/* {{{ The parent: seeding, the runs, the figures */

static const char *parent_tmp;

static GHashTable *
run_child (const char * const *args,
           const char         *renderer,
           int                *status)
{
  return bench_run_child (args, renderer, parent_tmp, "matrix", status);
}

static const char *
text_figure (GHashTable *figures,
             const char *name)
{
  return bench_text_figure (figures, name, "matrix");
}

static int
measure (const char *sandbox_dir,
         const char *renderer,
         const char *label,
         guint       n_rows)
{
  const char *args[] = { "--child", sandbox_dir, NULL };
  g_autoptr(GHashTable) figures = NULL;
  int status;

  figures = run_child (args, renderer, &status);
  if (figures == NULL)
    return status;

  g_print ("# %s: drawn with %s (%s); %s rows, %s scroll steps, %s cells seen; first visit %s downloads, "
           "%s stalls over 50 ms\n",
           label, text_figure (figures, "renderer"), text_figure (figures, "renderer-choice"),
           text_figure (figures, "rows"), text_figure (figures, "steps"), text_figure (figures, "cells-seen"),
           text_figure (figures, "first-visit-downloads"), text_figure (figures, "stalls-over-50"));
  g_print ("matrix-renderer[%s]: %s\n", label, text_figure (figures, "renderer"));
  g_print ("matrix-first-screen-ms[%s]: %s\n", label, text_figure (figures, "first-screen-ms"));
  g_print ("matrix-max-stall-ms[%s]: %s\n", label, text_figure (figures, "max-stall-ms"));
  g_print ("matrix-second-visit-downloads[%s]: %s\n", label, text_figure (figures, "second-visit-downloads"));
  g_print ("matrix-second-visit-first-screen-ms[%s]: %s\n", label,
           text_figure (figures, "second-visit-first-screen-ms"));

  if ((guint) atoi (text_figure (figures, "rows")) != n_rows)
    {
      g_printerr ("# the matrix showed %s rows, not %u\n", text_figure (figures, "rows"), n_rows);
      return 1;
    }
  return status;
}

static void
seed (const char *sandbox_dir,
      guint       n_tunes,
      guint       n_prompts,
      guint       n_images)
{
  static const char * const subjects[] = {
    "in a sunflower field", "as an astronaut", "in a rainy Paris street", "on a sailboat at dawn",
    "as a Renaissance painting", "in a neon arcade", "hiking in the Dolomites", "reading in a library",
    "corporate headshot", "on a magazine cover",
  };
  g_autoptr(AtelierSandboxServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *state = g_build_filename (sandbox_dir, "state.json", NULL);
  g_autofree char *run_path = g_build_filename (sandbox_dir, "run.json", NULL);
  g_autoptr(GPtrArray) tunes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) started = NULL;
  g_autoptr(AtelierPack) pack = NULL;
  g_autoptr(AtelierPackRun) run = NULL;
  g_autoptr(JsonNode) pack_node = json_from_string ("{\"id\": 900, \"title\": \"Benchmark pack\"}", NULL);
  g_autoptr(JsonNode) run_node = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gint64 start = g_get_monotonic_time ();

  if (g_file_test (state, G_FILE_TEST_EXISTS) && g_file_test (run_path, G_FILE_TEST_EXISTS))
    return;

  server = atelier_sandbox_server_new (sandbox_dir);
  atelier_sandbox_server_set_image_size (server, quick ? 256 : 1024);
  atelier_sandbox_server_set_prompt_delay_ms (server, 0);
  if (!atelier_sandbox_server_start (server, 0, &error))
    g_error ("Cannot start the sandbox: %s", error->message);

  /* The run starts before its prompts are made, as a real one. */
  started = g_date_time_new_now_utc ();
  g_usleep (10 * 1000);

  for (guint t = 0; t < n_tunes; t++)
    {
      const char *class_name = t % 2 == 0 ? "woman" : "man";
      g_autofree char *title = g_strdup_printf ("Tester %u", t + 1);
      g_autofree char *json = NULL;
      g_autoptr(JsonNode) node = NULL;
      gint64 id = atelier_sandbox_server_seed_tune (server, title, class_name, TRUE);

      for (guint p = 0; p < n_prompts; p++)
        {
          g_autofree char *text = g_strdup_printf ("ohwx %s %s, take %u", class_name,
                                                   subjects[p % G_N_ELEMENTS (subjects)], p + 1);

          atelier_sandbox_server_seed_prompt (server, id, text, n_images);
        }

      json = g_strdup_printf ("{\"id\": %" G_GINT64_FORMAT ", \"title\": \"%s\", \"name\": \"%s\", \"token\": \"ohwx\"}",
                              id, title, class_name);
      node = json_from_string (json, NULL);
      g_ptr_array_add (tunes, atelier_tune_new_from_json (node, &error));
      g_assert_no_error (error);
    }

  atelier_sandbox_server_render_all (server);
  atelier_sandbox_server_stop (server);

  pack = atelier_pack_new_from_json (pack_node, &error);
  g_assert_no_error (error);
  run = atelier_pack_run_new_for_pack (pack, tunes, started);
  run_node = atelier_pack_run_to_json (run);
  json_generator_set_root (generator, run_node);
  if (!json_generator_to_file (generator, run_path, &error))
    g_error ("Cannot write the run: %s", error->message);

  g_printerr ("# seeded %u tunes × %u prompts × %u images in %.1f s\n", n_tunes, n_prompts, n_images,
              (g_get_monotonic_time () - start) / 1e6);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *tmp = NULL;
  g_autofree char *sandbox_dir = NULL;
  g_auto(GStrv) renderers = NULL;
  g_autoptr(GError) error = NULL;
  guint n_tunes, n_prompts;
  int status = 0;

  setlocale (LC_ALL, "");
  verbose = g_getenv ("ATELIER_BENCH_VERBOSE") != NULL;

  if (argc >= 3 && g_str_equal (argv[1], "--child"))
    return run_matrix (argv[2]);

  quick = argc > 1 && g_str_equal (argv[1], "--quick");
  n_tunes = quick ? 3 : 8;
  n_prompts = quick ? 6 : 30;

  tmp = g_dir_make_tmp ("atelier-bench-matrix-XXXXXX", &error);
  g_assert_no_error (error);
  parent_tmp = tmp;
  if (g_getenv ("ATELIER_BENCH_SANDBOX") != NULL)
    sandbox_dir = g_strdup (g_getenv ("ATELIER_BENCH_SANDBOX"));
  else
    sandbox_dir = g_build_filename (tmp, "sandbox", NULL);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  seed (sandbox_dir, n_tunes, n_prompts, 4);

  if (g_getenv ("ATELIER_BENCH_RENDERERS") != NULL)
    renderers = g_strsplit (g_getenv ("ATELIER_BENCH_RENDERERS"), ",", -1);
  else if (quick)
    renderers = g_strsplit ("env", ",", -1);
  else
    renderers = g_strsplit ("default,cairo", ",", -1);

  for (guint i = 0; renderers[i] != NULL && status == 0; i++)
    {
      const char *label = renderers[i];
      const char *renderer = label;

      if (g_str_equal (label, "env"))
        {
          renderer = NULL;
          label = g_getenv ("GSK_RENDERER") != NULL ? g_getenv ("GSK_RENDERER") : "default";
        }
      status = measure (sandbox_dir, renderer, label, n_prompts);
    }

  atelier_test_rm_rf (tmp);

  return status;
}

/* }}} */
