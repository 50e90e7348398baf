/* atelier-run-grid.h: a test run's matrix, only what is in sight
 *
 * A scrollable grid (GtkScrollable, in a GtkScrolledWindow) of the
 * matrix's rows: the pack prompt on the left, one AtelierRunCell per tune
 * across. Rows are all one height and columns one width, so the grid
 * knows where everything is without making it: it keeps widgets only for
 * the rows in sight and, in them, cells only for the columns in sight,
 * and reuses them as the view scrolls (GtkListView in GTK 4.8 makes up
 * to 200 rows whatever is in sight, all 270 cells of a 30 × 8 run, and
 * loads all their thumbnails). The headers stay on top while the rows
 * scroll, and the prompts stay on the left while the tunes scroll
 * across. The arrow keys move between cells, scrolling as they go.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "atelier-image-cache.h"
#include "atelier-run-cell.h"
#include "atelier-run-matrix.h"

G_BEGIN_DECLS

#define ATELIER_TYPE_RUN_GRID (atelier_run_grid_get_type ())
G_DECLARE_FINAL_TYPE (AtelierRunGrid, atelier_run_grid, ATELIER, RUN_GRID, GtkWidget)

GtkWidget  *atelier_run_grid_new        (AtelierRunMatrix  *matrix,
                                         AtelierImageCache *cache);
/* The header over the prompts (0) or over tune @index - 1. */
const char *atelier_run_grid_get_header (AtelierRunGrid    *self,
                                         guint              index);
/* Scrolls so that row @position (and column @column, when not
 * G_MAXUINT) is in sight. */
void        atelier_run_grid_scroll_to  (AtelierRunGrid    *self,
                                         guint              position,
                                         guint              column);

G_END_DECLS
