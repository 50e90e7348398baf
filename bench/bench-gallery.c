/* bench-gallery.c: the gallery with 10,000 images of the sandbox
 *
 * Seeds a sandbox in a temporary folder with 2,500 prompts of 4 images
 * (1024 × 1024 JPEGs, pre-rendered so the server is not what is
 * measured), opens the real gallery page in a window, and prints:
 *
 *   gallery-first-screen-ms         from making the gallery page (in a
 *                                   window already shown, as in the app)
 *                                   to the first frame painted with every
 *                                   visible cell showing its image
 *   gallery-max-stall-ms            the longest gap between two runs of a
 *                                   G_PRIORITY_HIGH 5 ms timeout while the
 *                                   view is scrolled from top to bottom
 *   gallery-peak-rss-mb             VmHWM of the process (reset after
 *                                   seeding, so the sandbox's rendering is
 *                                   not counted; its serving is)
 *   gallery-second-visit-downloads  image downloads while the gallery is
 *                                   opened again with an empty memory cache
 *                                   and scrolled to the end again
 *
 * Scrolling moves the adjustment by half a page and waits, each step, for
 * a frame and for the visible cells to show their images, as a user
 * skimming the gallery would. With --quick (the correctness flavour run
 * as a test) the sandbox is 60 prompts of 4 small images.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <time.h>
#include <string.h>

#include "atelier-gallery-cell.h"
#include "atelier-gallery-page-private.h"
#include "atelier-image-cache-private.h"
#include "atelier-sandbox-server.h"
#include "atelier-session.h"
#include "atelier-test-utils.h"

#define PROBE_INTERVAL_MS 5
#define STEP_TIMEOUT_MS 20000

static gboolean quick;
static gpointer probe_page;   /* (unowned) the page being scrolled */
static gboolean probing;
static gint64 last_probe;
static gint64 max_gap;
static guint n_over_33;
static guint n_over_50;

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gint64 last_cpu;

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
      if (gap > 50000 && g_getenv ("ATELIER_BENCH_VERBOSE") != NULL && probe_page != NULL)
        {
          AtelierPromptsModel *model = _atelier_gallery_page_get_model (probe_page);
          g_print ("# stall of %" G_GINT64_FORMAT " ms (main thread busy %" G_GINT64_FORMAT " ms) at %u items%s\n",
                   gap / 1000, busy / 1000,
                   g_list_model_get_n_items (G_LIST_MODEL (model)),
                   atelier_prompts_model_is_loading (model) ? ", loading" : "");
        }
    }
  last_probe = now;

  return G_SOURCE_CONTINUE;
}

static void
wait_until (gboolean (*condition) (gpointer),
            gpointer   data,
            guint      timeout_ms,
            const char *what)
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

static gboolean
visible_cells_ready (gpointer data)
{
  AtelierGalleryPage *page = data;
  guint waiting = 0;
  guint visible = _atelier_gallery_page_count_visible_cells (page, &waiting);

  return visible > 0 && waiting == 0;
}

static gboolean
model_idle (gpointer data)
{
  AtelierPromptsModel *model = _atelier_gallery_page_get_model (data);

  return model != NULL && !atelier_prompts_model_is_loading (model);
}

static gboolean
model_has_items (gpointer data)
{
  AtelierPromptsModel *model = _atelier_gallery_page_get_model (data);

  return model != NULL && g_list_model_get_n_items (G_LIST_MODEL (model)) > 0;
}

typedef struct
{
  GtkWidget          *window;
  AtelierGalleryPage *page;
} Visit;

/* The window is up and drawn first, as the app's window is when the
 * user switches to the gallery: the clock starts when the page is made. */
static Visit
open_gallery (AtelierSession      *session,
              AtelierAstriaClient *client,
              gint64              *start)
{
  Visit visit;

  visit.window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (visit.window), 1280, 800);
  gtk_window_set_child (GTK_WINDOW (visit.window), gtk_label_new ("Atelier"));
  gtk_window_present (GTK_WINDOW (visit.window));
  wait_frame (visit.window);

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
  if (g_getenv ("ATELIER_BENCH_VERBOSE") != NULL)
    g_print ("# first page listed after %" G_GINT64_FORMAT " ms\n", (g_get_monotonic_time () - start) / 1000);
  wait_until (visible_cells_ready, visit->page, STEP_TIMEOUT_MS, "the first screen of thumbnails");
  if (g_getenv ("ATELIER_BENCH_VERBOSE") != NULL)
    g_print ("# visible cells ready after %" G_GINT64_FORMAT " ms\n", (g_get_monotonic_time () - start) / 1000);
  wait_frame (visit->window);

  return g_get_monotonic_time () - start;
}

/* Scrolls to the end by half pages; returns the number of steps. */
static guint
scroll_to_end (Visit *visit)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (_atelier_gallery_page_get_scrolled_window (visit->page));
  AtelierPromptsModel *model = _atelier_gallery_page_get_model (visit->page);
  guint steps = 0;

  while (TRUE)
    {
      double value = gtk_adjustment_get_value (adjustment);
      double page_size = gtk_adjustment_get_page_size (adjustment);
      double upper = gtk_adjustment_get_upper (adjustment);

      if (value + page_size >= upper - 1)
        {
          if (!atelier_prompts_model_has_more (model))
            break;
          /* The next page is on its way: wait for the list to grow. */
          wait_until (model_idle, visit->page, STEP_TIMEOUT_MS, "the next page");
          wait_frame (visit->window);
          if (gtk_adjustment_get_upper (adjustment) <= upper && !atelier_prompts_model_has_more (model))
            break;
          continue;
        }

      gtk_adjustment_set_value (adjustment, MIN (value + page_size / 2, upper - page_size));
      wait_frame (visit->window);
      wait_until (visible_cells_ready, visit->page, STEP_TIMEOUT_MS, "the visible thumbnails");
      steps++;
    }

  return steps;
}

/* Which items have no thumbnail on disk after a visit. */
static void
report_missing_thumbnails (Visit          *visit,
                           AtelierSession *session)
{
  GListModel *model = G_LIST_MODEL (_atelier_gallery_page_get_model (visit->page));
  AtelierImageCache *cache = atelier_session_get_image_cache (session);
  int size = atelier_gallery_thumbnail_size (GTK_WIDGET (visit->page));
  guint missing = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(AtelierGalleryItem) item = g_list_model_get_item (model, i);
      g_autofree char *path = NULL;

      if (atelier_gallery_item_get_url (item) == NULL)
        continue;
      path = _atelier_image_cache_dup_disk_path (cache, atelier_gallery_item_get_url (item), size);
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        {
          if (missing++ < 20)
            g_print ("# no thumbnail on disk for item %u: %s\n", i, atelier_gallery_item_get_url (item));
        }
    }
  g_print ("# items without a thumbnail on disk: %u\n", missing);
}

static void
close_gallery (Visit *visit)
{
  gtk_window_destroy (GTK_WINDOW (visit->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

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

/* ATELIER_BENCH_VERBOSE=1: where the memory goes. */
static void
note (const char *what)
{
  if (g_getenv ("ATELIER_BENCH_VERBOSE") != NULL)
    g_print ("# %s: RSS %" G_GUINT64_FORMAT " MB, peak %" G_GUINT64_FORMAT " MB\n", what,
             read_status_kb ("VmRSS:") / 1024, read_status_kb ("VmHWM:") / 1024);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *tmp = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *cache_dir = NULL;
  g_autofree char *sandbox_dir = NULL;
  g_autofree char *base_url = NULL;
  g_autoptr(AtelierSandboxServer) server = NULL;
  g_autoptr(AtelierAstriaClient) client = NULL;
  g_autoptr(AtelierSession) session = NULL;
  g_autoptr(GError) error = NULL;
  guint n_prompts, n_images = 4;
  gint64 scroll_start;
  gint64 tune_id = 0, start, first_screen, seed_start;
  guint downloads_before, steps, second_downloads;
  gboolean peak_reset;
  gboolean reused;
  g_autofree char *state = NULL;
  Visit visit;

  quick = argc > 1 && g_str_equal (argv[1], "--quick");
  n_prompts = quick ? 60 : 2500;
  /* For trying things out: ATELIER_BENCH_PROMPTS=300. */
  if (g_getenv ("ATELIER_BENCH_PROMPTS") != NULL)
    n_prompts = (guint) g_ascii_strtoull (g_getenv ("ATELIER_BENCH_PROMPTS"), NULL, 10);

  /* A fresh cache and data folder: the first visit downloads. */
  tmp = g_dir_make_tmp ("atelier-bench-gallery-XXXXXX", &error);
  g_assert_no_error (error);
  data_dir = g_build_filename (tmp, "data", NULL);
  cache_dir = g_build_filename (tmp, "cache", NULL);
  /* ATELIER_BENCH_SANDBOX=DIR keeps the seeded sandbox between runs. */
  if (g_getenv ("ATELIER_BENCH_SANDBOX") != NULL)
    sandbox_dir = g_strdup (g_getenv ("ATELIER_BENCH_SANDBOX"));
  else
    sandbox_dir = g_build_filename (tmp, "sandbox", NULL);
  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  if (!gtk_init_check ())
    {
      g_printerr ("No display: run under xvfb-run\n");
      return 77;
    }
  adw_init ();

  seed_start = g_get_monotonic_time ();
  state = g_build_filename (sandbox_dir, "state.json", NULL);
  reused = g_file_test (state, G_FILE_TEST_EXISTS);
  server = atelier_sandbox_server_new (sandbox_dir);
  atelier_sandbox_server_set_image_size (server, quick ? 256 : 1024);
  atelier_sandbox_server_set_prompt_delay_ms (server, 0);
  if (!atelier_sandbox_server_start (server, 0, &error))
    g_error ("Cannot start the sandbox: %s", error->message);
  if (!reused)
    {
      tune_id = atelier_sandbox_server_seed_tune (server, "Bench - 0000", "woman", TRUE);
      atelier_sandbox_server_seed_prompts (server, tune_id, n_prompts, n_images);
    }
  atelier_sandbox_server_render_all (server);
  g_print ("# seeded %u prompts × %u images in %.1f s\n", n_prompts, n_images,
           (g_get_monotonic_time () - seed_start) / 1e6);

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
  if (g_getenv ("ATELIER_BENCH_CACHE_MB") != NULL)
    atelier_image_cache_set_memory_limit (atelier_session_get_image_cache (session),
                                          g_ascii_strtoull (g_getenv ("ATELIER_BENCH_CACHE_MB"), NULL, 10) << 20);

  g_timeout_add_full (G_PRIORITY_HIGH, PROBE_INTERVAL_MS, probe_cb, NULL, NULL);
  note ("seeded");
  peak_reset = reset_peak_rss ();
  note ("after reset");

  /* First visit */
  visit = open_gallery (session, client, &start);
  first_screen = measure_first_screen (&visit, start);
  note ("first screen");
  /* Under Xvfb GTK draws with GL on Mesa's llvmpipe (software) unless
   * GSK_RENDERER says otherwise: say which, the numbers depend on it. */
  g_print ("# renderer: %s\n", G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (visit.window))));

  probing = TRUE;
  last_probe = 0;
  probe_page = visit.page;
  scroll_start = g_get_monotonic_time ();
  steps = scroll_to_end (&visit);
  probing = FALSE;
  probe_page = NULL;

  g_print ("# stalls over 33 ms: %u, over 50 ms: %u; %.1f ms a step\n", n_over_33, n_over_50,
           steps > 0 ? (g_get_monotonic_time () - scroll_start) / 1000.0 / steps : 0.0);
  g_print ("# first visit: %u items, %u scroll steps, %u downloads\n",
           g_list_model_get_n_items (G_LIST_MODEL (_atelier_gallery_page_get_model (visit.page))), steps,
           atelier_image_cache_get_download_count (atelier_session_get_image_cache (session)));
  if (g_list_model_get_n_items (G_LIST_MODEL (_atelier_gallery_page_get_model (visit.page))) != n_prompts * n_images)
    g_error ("The gallery shows %u items, not %u",
             g_list_model_get_n_items (G_LIST_MODEL (_atelier_gallery_page_get_model (visit.page))),
             n_prompts * n_images);
  note ("scrolled");
  if (g_getenv ("ATELIER_BENCH_VERBOSE") != NULL)
    report_missing_thumbnails (&visit, session);
  close_gallery (&visit);

  /* Second visit: a fresh memory cache, the same disk cache. */
  atelier_image_cache_clear_memory (atelier_session_get_image_cache (session));
  downloads_before = atelier_sandbox_server_count_image_downloads (server);
  visit = open_gallery (session, client, &start);
  g_print ("# second visit first screen: %" G_GINT64_FORMAT " ms\n",
           measure_first_screen (&visit, start) / 1000);
  scroll_to_end (&visit);
  close_gallery (&visit);

  g_print ("gallery-first-screen-ms: %" G_GINT64_FORMAT "\n", first_screen / 1000);
  g_print ("gallery-max-stall-ms: %" G_GINT64_FORMAT "\n", max_gap / 1000);
  g_print ("gallery-peak-rss-mb: %" G_GUINT64_FORMAT "\n", read_status_kb ("VmHWM:") / 1024);
  second_downloads = atelier_sandbox_server_count_image_downloads (server) - downloads_before;
  g_print ("gallery-second-visit-downloads: %u\n", second_downloads);
  if (!peak_reset)
    g_print ("# VmHWM could not be reset after seeding: it includes the sandbox's rendering\n");

  atelier_sandbox_server_stop (server);
  g_clear_object (&session);
  g_clear_object (&client);
  g_clear_object (&server);

  if (g_getenv ("ATELIER_BENCH_KEEP") == NULL)
    atelier_test_rm_rf (tmp);

  /* As a test (--quick), what must hold whatever the machine: every item
   * was shown (checked above) and the disk cache served the second visit. */
  return quick && second_downloads != 0 ? 1 : 0;
}
