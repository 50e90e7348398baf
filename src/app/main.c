/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "atelier-application.h"
#include "atelier-renderer.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AtelierApplication) app = NULL;
  g_autofree char *renderer = NULL;
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Atelier"));

  /* Cairo rather than GL on a software rasteriser, unless GSK_RENDERER
   * says otherwise (atelier-renderer.h): now, while this is the only
   * thread and before any window has a renderer. */
  renderer = atelier_renderer_setup ();
  g_debug ("Renderer: %s", renderer);

  /* Without a display GTK 4.8 only warns and the first window would
   * crash: say so and stop. (GTK is initialised by now: the renderer
   * set-up needs the display.) */
  if (!gtk_init_check () || gdk_display_get_default () == NULL)
    {
      const char *display = g_getenv ("WAYLAND_DISPLAY");

      if (display == NULL)
        display = g_getenv ("DISPLAY");
      g_printerr (_("Atelier could not open the display “%s”.\n"), display != NULL ? display : "");
      return 1;
    }

  app = atelier_application_new ();
  status = g_application_run (G_APPLICATION (app), argc, argv);

  return status != 0 ? status : atelier_application_get_exit_status (app);
}
