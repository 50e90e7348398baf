/* bench-startup.c: start to first frame, Atelier against a bare
 * libadwaita window on the same machine
 *
 *   bench-startup ATELIER BARE_WINDOW
 *
 * Each program is started RUNS times, alternately, with the same fresh
 * data, config and cache dirs for Atelier each time (so it starts in the
 * Sandbox as a new user does); the time from spawn to the "first-frame"
 * line it prints after its first painted frame is recorded. Prints the
 * medians and their ratio (the product's bar: at most 1.5).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#define RUNS 7

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, values->len / 2);
}

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autoptr(GFile) child = g_file_get_child (file, g_file_info_get_name (info));

      remove_tree (child);
      g_object_unref (info);
    }
  g_file_delete (file, NULL, NULL);
}

/* Milliseconds from spawn to the first-frame line. */
static double
time_first_frame (const char *program)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *home = g_dir_make_tmp ("atelier-bench-home-XXXXXX", &error);
  g_autofree char *line = NULL;
  g_autoptr(GFile) home_file = NULL;
  gint64 start;
  double elapsed;

  g_assert_no_error (error);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_setenv (launcher, "ATELIER_BENCH_FIRST_FRAME", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "memory", TRUE);

  start = g_get_monotonic_time ();
  process = g_subprocess_launcher_spawn (launcher, &error, program, NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  while ((line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error)) != NULL)
    {
      if (g_str_equal (line, "first-frame"))
        break;
      g_clear_pointer (&line, g_free);
    }
  elapsed = (g_get_monotonic_time () - start) / 1000.0;
  if (line == NULL)
    g_error ("%s exited without painting a frame: %s", program,
             error != NULL ? error->message : "no output");

  g_subprocess_wait (process, NULL, NULL);
  home_file = g_file_new_for_path (home);
  remove_tree (home_file);

  return elapsed;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GArray) atelier = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) bare = g_array_new (FALSE, FALSE, sizeof (double));
  double atelier_ms;
  double bare_ms;

  if (argc != 3)
    {
      g_printerr ("Usage: %s ATELIER BARE_WINDOW\n", argv[0]);
      return 2;
    }

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("bench-startup needs a display (run it under xvfb-run -a)\n");
      return 77;
    }

  /* Warm the file cache once for both, then measure alternately. */
  time_first_frame (argv[2]);
  time_first_frame (argv[1]);

  for (guint i = 0; i < RUNS; i++)
    {
      double a = time_first_frame (argv[1]);
      double b = time_first_frame (argv[2]);

      g_array_append_val (atelier, a);
      g_array_append_val (bare, b);
    }

  atelier_ms = median (atelier);
  bare_ms = median (bare);
  g_print ("startup-bare-window-ms: %.0f\n", bare_ms);
  g_print ("startup-atelier-ms: %.0f\n", atelier_ms);
  g_print ("startup-ratio: %.2f\n", atelier_ms / bare_ms);

  return 0;
}
