/* atelier-run-window.h: the matrix of one pack or theme test run
 *
 * Rows are the pack's prompts, columns the run's tunes, each cell the
 * prompt that row produced on that tune (pending, failed or its images).
 * One window per run: presenting a run that is already open raises it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atelier-session.h"
#include "atelier-pack-run.h"

G_BEGIN_DECLS

/* Opens (or raises, if already open) a window showing @run's matrix,
 * transient for @from's window. */
void atelier_run_window_present (GtkWidget      *from,
                                 AtelierSession *session,
                                 AtelierPackRun *run);

G_END_DECLS
