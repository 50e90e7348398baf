/* atelier-prompts-model-private.h: for the tests and AtelierPromptUnits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atelier-poller.h"
#include "atelier-prompts-model.h"

G_BEGIN_DECLS

/* The poller of the pending prompts. (transfer none) */
AtelierPoller *_atelier_prompts_model_get_poller (AtelierPromptsModel *self);

/* Item @position without the side effect of get_item(). (transfer none) */
AtelierGalleryItem *_atelier_prompts_model_peek_item   (AtelierPromptsModel *self,
                                                        guint                position);
/* Item @position was asked for: fetches the next page when it is near
 * the end, as get_item() does. */
void                _atelier_prompts_model_note_wanted (AtelierPromptsModel *self,
                                                        guint                position);

/* The wait before a trained tune's prompts are listed again
 * (atelier_prompts_model_add_tune_prompts()); for the tests. */
void                _atelier_prompts_model_set_recheck_ms (AtelierPromptsModel *self,
                                                           guint                ms);

G_END_DECLS
