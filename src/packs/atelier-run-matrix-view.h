/* atelier-run-matrix-view.h: a test run's matrix on screen
 *
 * An AtelierRunGrid of the matrix's rows in a scrolled window: the
 * first column the pack's prompt (its text and its likes), then one
 * column per tune of the run, each cell an AtelierRunCell. Only the rows
 * and columns in sight have widgets; the headers stay while the rows
 * scroll and carry the counts: the run's likes over the prompts, each
 * tune's likes (or that it was deleted) over its column.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "atelier-image-cache.h"
#include "atelier-run-cell.h"
#include "atelier-run-matrix.h"

G_BEGIN_DECLS

#define ATELIER_TYPE_RUN_MATRIX_VIEW (atelier_run_matrix_view_get_type ())
G_DECLARE_FINAL_TYPE (AtelierRunMatrixView, atelier_run_matrix_view, ATELIER, RUN_MATRIX_VIEW, GtkWidget)

GtkWidget         *atelier_run_matrix_view_new                 (AtelierRunMatrix     *matrix,
                                                                AtelierImageCache    *cache);
AtelierRunMatrix  *atelier_run_matrix_view_get_matrix          (AtelierRunMatrixView *self);
GtkScrolledWindow *atelier_run_matrix_view_get_scrolled_window (AtelierRunMatrixView *self);
/* The header of the prompts (0) or of tune @column - 1. */
const char        *atelier_run_matrix_view_get_header          (AtelierRunMatrixView *self,
                                                                guint                 index);
/* Cells in sight, and how many of them still load (*@waiting). */
guint              atelier_run_matrix_view_count_visible_cells (AtelierRunMatrixView *self,
                                                                guint                *waiting);
/* The cell in sight showing @prompt_id, or NULL. */
AtelierRunCell    *atelier_run_matrix_view_find_cell           (AtelierRunMatrixView *self,
                                                                gint64                prompt_id);

G_END_DECLS
