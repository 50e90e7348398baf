/* atelier-run-window-private.h: the run window, for the tests and benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atelier-run-export.h"
#include "atelier-run-matrix-view.h"
#include "atelier-run-viewer.h"
#include "atelier-run-window.h"

G_BEGIN_DECLS

#define ATELIER_TYPE_RUN_WINDOW (atelier_run_window_get_type ())
G_DECLARE_FINAL_TYPE (AtelierRunWindow, atelier_run_window, ATELIER, RUN_WINDOW, AdwWindow)

/* The open window of the run with that id, or NULL. */
AtelierRunWindow     *_atelier_run_window_lookup      (const char        *run_id);
AtelierPackRun       *_atelier_run_window_get_run     (AtelierRunWindow  *self);
AtelierRunMatrix     *_atelier_run_window_get_matrix  (AtelierRunWindow  *self);
/* NULL for an unreadable run. */
AtelierRunMatrixView *_atelier_run_window_get_view    (AtelierRunWindow  *self);
/* "loading", "waiting", "none", "error", "no-likes", "unreadable" or
 * "matrix". */
const char           *_atelier_run_window_get_page    (AtelierRunWindow  *self);
/* Exports as if @file had been chosen in the save dialog. */
void                  _atelier_run_window_export      (AtelierRunWindow       *self,
                                                       AtelierRunExportFormat  format,
                                                       GFile                  *file);
gboolean              _atelier_run_window_is_exporting (AtelierRunWindow *self);
/* The save dialog while it is open, or NULL. */
GtkNativeDialog      *_atelier_run_window_get_file_chooser (AtelierRunWindow *self);
/* The viewer opened from a cell, or NULL. */
AtelierRunViewer     *_atelier_run_window_get_viewer  (AtelierRunWindow  *self);
GtkWidget            *_atelier_run_window_get_sort_button       (AtelierRunWindow *self);
GtkWidget            *_atelier_run_window_get_liked_only_button (AtelierRunWindow *self);

G_END_DECLS
