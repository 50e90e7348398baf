/* atelier-run-viewer.h: a test run's prompt, its images full size
 *
 * Opened from a cell of the run's matrix: the prompt's images one at a
 * time (previous and next, the arrow keys), the prompt's text and the
 * tune, and the prompt's like. Its own small window, so that the packs
 * screen needs nothing of the gallery's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atelier-image-cache.h"
#include "atelier-likes.h"

G_BEGIN_DECLS

#define ATELIER_TYPE_RUN_VIEWER (atelier_run_viewer_get_type ())
G_DECLARE_FINAL_TYPE (AtelierRunViewer, atelier_run_viewer, ATELIER, RUN_VIEWER, AdwWindow)

/* @likes may be NULL. */
AtelierRunViewer *atelier_run_viewer_new        (AtelierImageCache *cache,
                                                 AtelierLikes      *likes,
                                                 AtelierPrompt     *prompt,
                                                 const char        *tune_title);
AtelierPrompt    *atelier_run_viewer_get_prompt (AtelierRunViewer  *self);
guint             atelier_run_viewer_get_index  (AtelierRunViewer  *self);
void              atelier_run_viewer_set_index  (AtelierRunViewer  *self,
                                                 guint              index);
/* TRUE once the image is shown. */
gboolean          atelier_run_viewer_is_loaded  (AtelierRunViewer  *self);

G_END_DECLS
