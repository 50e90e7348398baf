/* atelier-prompts-model-private.h: for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atelier-poller.h"
#include "atelier-prompts-model.h"

G_BEGIN_DECLS

/* The poller of the pending prompts. (transfer none) */
AtelierPoller *_atelier_prompts_model_get_poller (AtelierPromptsModel *self);

G_END_DECLS
