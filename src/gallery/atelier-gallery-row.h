/* atelier-gallery-row.h: one prompt in the gallery
 *
 * A like is for a prompt (POST /prompts/:id/likes), so the gallery shows
 * each prompt as one unit: its images side by side (AtelierGalleryCell;
 * a placeholder while it renders or when it failed), its text, tune, age
 * and state, one like button, and a menu to reuse its settings, copy its
 * text or delete it. The images sit beside the text when they fit in
 * one line with room for it, else above it, wrapping.
 *
 * The row's buttons activate the page's actions with the prompt id:
 * "gallery.toggle-like", "gallery.reuse", "gallery.copy-prompt",
 * "gallery.delete" (x); its images "gallery.open-image" (xu).
 *
 * Signals:
 *   ::load-failed (GError *error): an image could not be shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "atelier-gallery-item.h"
#include "atelier-image-cache.h"
#include "atelier-library.h"
#include "atelier-likes.h"

G_BEGIN_DECLS

#define ATELIER_TYPE_GALLERY_ROW (atelier_gallery_row_get_type ())
G_DECLARE_FINAL_TYPE (AtelierGalleryRow, atelier_gallery_row, ATELIER, GALLERY_ROW, GtkWidget)

GtkWidget          *atelier_gallery_row_new        (void);
/* @unit: the prompt's first item (atelier_prompts_model_get_units()).
 * @tune_title: what to call the prompt's tune, NULL when unknown.
 * @likes and @library may be NULL. */
void                atelier_gallery_row_bind       (AtelierGalleryRow  *self,
                                                    AtelierGalleryItem *unit,
                                                    const char         *tune_title,
                                                    AtelierImageCache  *cache,
                                                    AtelierLikes       *likes,
                                                    AtelierLibrary     *library);
void                atelier_gallery_row_unbind     (AtelierGalleryRow  *self);
void                atelier_gallery_row_set_tune_title (AtelierGalleryRow *self,
                                                        const char        *tune_title);
AtelierPrompt      *atelier_gallery_row_get_prompt (AtelierGalleryRow  *self);
/* The like button. */
GtkWidget          *atelier_gallery_row_get_like_button (AtelierGalleryRow *self);

/* "Just now", "5 minutes ago", "Yesterday", a date… (transfer full) */
char               *atelier_format_age             (GDateTime          *time,
                                                    GDateTime          *now);

G_END_DECLS
