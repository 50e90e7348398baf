/* atelier-run-cell.h: one cell of a test run's matrix
 *
 * A fixed-size square for one pack prompt on one tune: the thumbnail of
 * the prompt's first image (from the image cache at the cell's pixel
 * size, cancelled when unbound) with a badge counting the images when
 * there are more, a spinner while it renders, a warning whose tooltip and
 * accessible description are the service's user_error when it failed, or
 * a word when there is no prompt (not made yet, the tune deleted). One
 * like button: a like is for the prompt.
 *
 * Clicked, or Enter or Space, a done cell activates "run.open-prompt"
 * with the prompt's id; its like button "run.toggle-like".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "atelier-image-cache.h"
#include "atelier-run-matrix.h"

G_BEGIN_DECLS

#define ATELIER_RUN_CELL_SIZE 160

#define ATELIER_TYPE_RUN_CELL (atelier_run_cell_get_type ())
G_DECLARE_FINAL_TYPE (AtelierRunCell, atelier_run_cell, ATELIER, RUN_CELL, GtkWidget)

GtkWidget     *atelier_run_cell_new          (void);
/* Shows @row's cell of @column and follows the row's changes. */
void           atelier_run_cell_bind         (AtelierRunCell    *self,
                                              AtelierRunMatrix  *matrix,
                                              AtelierRunRow     *row,
                                              guint              column,
                                              AtelierImageCache *cache);
void           atelier_run_cell_unbind       (AtelierRunCell    *self);
/* Shows the cell again (its tune's state changed). */
void           atelier_run_cell_update       (AtelierRunCell    *self);
AtelierRunRow *atelier_run_cell_get_row      (AtelierRunCell    *self);
guint          atelier_run_cell_get_column   (AtelierRunCell    *self);
/* The prompt shown, or NULL. */
AtelierPrompt *atelier_run_cell_get_prompt   (AtelierRunCell    *self);
/* FALSE while its thumbnail is loading. */
gboolean       atelier_run_cell_is_ready     (AtelierRunCell    *self);
/* The like button (tests). */
GtkWidget     *atelier_run_cell_get_like_button (AtelierRunCell *self);

G_END_DECLS
