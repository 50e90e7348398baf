/* atelier-first-frame.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "atelier-first-frame.h"

static void
after_paint_cb (GdkFrameClock *clock,
                GApplication  *application)
{
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, application);
  fputs ("first-frame\n", stdout);
  fflush (stdout);
  g_application_quit (application);
}

static void
realize_cb (GtkWidget    *window,
            GApplication *application)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  g_signal_connect_object (clock, "after-paint", G_CALLBACK (after_paint_cb), application, 0);
}

void
atelier_first_frame_probe (GtkWindow    *window,
                           GApplication *application)
{
  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (G_IS_APPLICATION (application));

  if (g_getenv ("ATELIER_BENCH_FIRST_FRAME") == NULL)
    return;

  if (gtk_widget_get_realized (GTK_WIDGET (window)))
    realize_cb (GTK_WIDGET (window), application);
  else
    g_signal_connect_object (window, "realize", G_CALLBACK (realize_cb), application, 0);
}
