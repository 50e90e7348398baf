/* atelier-gallery-item.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-gallery-item.h"

struct _AtelierGalleryItem
{
  GObject        parent_instance;

  AtelierPrompt *prompt;
  guint          index;
  gboolean       local_only;
};

G_DEFINE_FINAL_TYPE (AtelierGalleryItem, atelier_gallery_item, G_TYPE_OBJECT)

static void
atelier_gallery_item_finalize (GObject *object)
{
  AtelierGalleryItem *self = ATELIER_GALLERY_ITEM (object);

  g_clear_object (&self->prompt);

  G_OBJECT_CLASS (atelier_gallery_item_parent_class)->finalize (object);
}

static void
atelier_gallery_item_class_init (AtelierGalleryItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = atelier_gallery_item_finalize;
}

static void
atelier_gallery_item_init (AtelierGalleryItem *self)
{
}

AtelierGalleryItem *
atelier_gallery_item_new (AtelierPrompt *prompt,
                          guint          index,
                          gboolean       local_only)
{
  AtelierGalleryItem *self;

  g_return_val_if_fail (ATELIER_IS_PROMPT (prompt), NULL);

  self = g_object_new (ATELIER_TYPE_GALLERY_ITEM, NULL);
  self->prompt = g_object_ref (prompt);
  self->index = index;
  self->local_only = local_only;

  return self;
}

AtelierPrompt *
atelier_gallery_item_get_prompt (AtelierGalleryItem *self)
{
  g_return_val_if_fail (ATELIER_IS_GALLERY_ITEM (self), NULL);
  return self->prompt;
}

gint64
atelier_gallery_item_get_prompt_id (AtelierGalleryItem *self)
{
  g_return_val_if_fail (ATELIER_IS_GALLERY_ITEM (self), 0);
  return atelier_prompt_get_id (self->prompt);
}

guint
atelier_gallery_item_get_index (AtelierGalleryItem *self)
{
  g_return_val_if_fail (ATELIER_IS_GALLERY_ITEM (self), 0);
  return self->index;
}

AtelierGalleryItemKind
atelier_gallery_item_get_kind (AtelierGalleryItem *self)
{
  g_return_val_if_fail (ATELIER_IS_GALLERY_ITEM (self), ATELIER_GALLERY_ITEM_PENDING);

  if (self->index < atelier_prompt_get_n_images (self->prompt))
    return ATELIER_GALLERY_ITEM_IMAGE;
  if (atelier_prompt_get_state (self->prompt) == ATELIER_PROMPT_STATE_FAILED)
    return ATELIER_GALLERY_ITEM_FAILED;
  return ATELIER_GALLERY_ITEM_PENDING;
}

const char *
atelier_gallery_item_get_url (AtelierGalleryItem *self)
{
  g_return_val_if_fail (ATELIER_IS_GALLERY_ITEM (self), NULL);

  if (self->index < atelier_prompt_get_n_images (self->prompt))
    return atelier_prompt_get_images (self->prompt)[self->index];
  return NULL;
}

gboolean
atelier_gallery_item_is_local_only (AtelierGalleryItem *self)
{
  g_return_val_if_fail (ATELIER_IS_GALLERY_ITEM (self), FALSE);
  return self->local_only;
}
