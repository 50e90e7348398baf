/* atelier-viewer.h: one image full size, and what can be done with it
 *
 * Zoom and pan, previous and next through the gallery's model, the prompt
 * and its parameters, like, copy the prompt, reuse the settings, use the
 * image as img2img input, save the original, delete the prompt.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atelier-prompts-model.h"
#include "atelier-session.h"

G_BEGIN_DECLS

#define ATELIER_TYPE_VIEWER (atelier_viewer_get_type ())
G_DECLARE_FINAL_TYPE (AtelierViewer, atelier_viewer, ATELIER, VIEWER, AdwWindow)

/* Shows the item at @position of @model. */
AtelierViewer      *atelier_viewer_new          (AtelierSession      *session,
                                                 AtelierPromptsModel *model,
                                                 guint                position);
AtelierGalleryItem *atelier_viewer_get_item     (AtelierViewer       *self);
/* TRUE once the full-size image is shown. */
gboolean            atelier_viewer_is_loaded    (AtelierViewer       *self);

G_END_DECLS
