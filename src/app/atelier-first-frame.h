/* atelier-first-frame.h: report the first painted frame, for benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* When $ATELIER_BENCH_FIRST_FRAME is set: once @window has painted its
 * first frame, prints "first-frame" on stdout and quits @application.
 * Does nothing otherwise. */
void atelier_first_frame_probe (GtkWindow      *window,
                                GApplication   *application);

G_END_DECLS
