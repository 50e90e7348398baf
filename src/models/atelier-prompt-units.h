/* atelier-prompt-units.h: the gallery's list, one item per prompt
 *
 * A like is for a prompt, not for one of its images, so the gallery shows
 * each prompt as one unit. This GListModel follows an AtelierPromptsModel
 * (whose items are images) with one item per prompt: the prompt's first
 * AtelierGalleryItem (image 0, or its placeholder). The prompts model
 * adds, replaces and removes whole prompts only, so each of its
 * ::items-changed becomes one ::items-changed here. Asking for a prompt
 * near the end fetches the next page, as asking the prompts model for an
 * image does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _AtelierPromptsModel AtelierPromptsModel;

#define ATELIER_TYPE_PROMPT_UNITS (atelier_prompt_units_get_type ())
G_DECLARE_FINAL_TYPE (AtelierPromptUnits, atelier_prompt_units, ATELIER, PROMPT_UNITS, GObject)

/* Made by the prompts model (atelier_prompts_model_get_units()), which
 * it does not keep alive. */
AtelierPromptUnits *atelier_prompt_units_new            (AtelierPromptsModel *model);
/* The position of @prompt_id's unit, or -1. */
int                 atelier_prompt_units_find           (AtelierPromptUnits  *self,
                                                         gint64               prompt_id);
/* The position in the prompts model of unit @position's first image. */
guint               atelier_prompt_units_get_item_position (AtelierPromptUnits *self,
                                                            guint               position);

G_END_DECLS
