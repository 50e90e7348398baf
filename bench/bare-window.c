/* bare-window.c: the yardstick for start-up — a bare libadwaita window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "atelier-first-frame.h"
#include "atelier-renderer.h"

static void
activate_cb (GtkApplication *application)
{
  GtkWidget *window = adw_application_window_new (application);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 990, 710);

  atelier_first_frame_probe (GTK_WINDOW (window), G_APPLICATION (application));
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;
  g_autofree char *renderer = NULL;

  /* The renderer Atelier's main() would choose: the yardstick draws the
   * way the app does (on a software rasteriser, GL's start-up alone is
   * several times a whole cairo start-up). */
  renderer = atelier_renderer_setup ();
  app = adw_application_new ("io.github.atelier.BareWindow", G_APPLICATION_NON_UNIQUE);

  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
