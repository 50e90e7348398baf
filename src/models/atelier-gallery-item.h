/* atelier-gallery-item.h: one cell of the gallery
 *
 * An image of a prompt (prompt + index), or the placeholder of a prompt
 * that is still rendering or that failed. Immutable: when a prompt
 * changes, the model replaces its items.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atelier-prompt.h"

G_BEGIN_DECLS

typedef enum
{
  ATELIER_GALLERY_ITEM_IMAGE,
  ATELIER_GALLERY_ITEM_PENDING,
  ATELIER_GALLERY_ITEM_FAILED,
} AtelierGalleryItemKind;

#define ATELIER_TYPE_GALLERY_ITEM (atelier_gallery_item_get_type ())
G_DECLARE_FINAL_TYPE (AtelierGalleryItem, atelier_gallery_item, ATELIER, GALLERY_ITEM, GObject)

AtelierGalleryItem     *atelier_gallery_item_new          (AtelierPrompt      *prompt,
                                                           guint               index,
                                                           gboolean            local_only);
AtelierPrompt          *atelier_gallery_item_get_prompt   (AtelierGalleryItem *self);
gint64                  atelier_gallery_item_get_prompt_id (AtelierGalleryItem *self);
guint                   atelier_gallery_item_get_index    (AtelierGalleryItem *self);
AtelierGalleryItemKind  atelier_gallery_item_get_kind     (AtelierGalleryItem *self);
/* The image's URL on the server; NULL for placeholders. */
const char             *atelier_gallery_item_get_url      (AtelierGalleryItem *self);
/* TRUE when the server no longer has the prompt and only the local
 * library does. */
gboolean                atelier_gallery_item_is_local_only (AtelierGalleryItem *self);

G_END_DECLS
