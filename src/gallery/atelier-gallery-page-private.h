/* atelier-gallery-page-private.h: for the tests and the benchmark
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atelier-gallery-page.h"
#include "atelier-prompts-model.h"

G_BEGIN_DECLS

AtelierPromptsModel *_atelier_gallery_page_get_model           (AtelierGalleryPage *self);
GtkScrolledWindow   *_atelier_gallery_page_get_scrolled_window (AtelierGalleryPage *self);
/* Cells at least partly inside the visible part of the grid; how many of
 * them still wait for their image goes to @n_waiting. */
guint                _atelier_gallery_page_count_visible_cells (AtelierGalleryPage *self,
                                                                guint              *n_waiting);
/* The viewer open now, or NULL. */
GtkWindow           *_atelier_gallery_page_get_viewer          (AtelierGalleryPage *self);

G_END_DECLS
