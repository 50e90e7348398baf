/* atelier-prompt-tips.h: the FaceID and Flux tips of the prompt editor
 *
 * A group of rows with what Astria cannot run in the prompt as written
 * (several LoRAs on SDXL) and the advice of Astria's FaceID and Flux pages that
 * applies to the prompt being written (its parameters, its text and where
 * it goes), each with a one-click fix where there is one. A fix's button
 * activates "editor.apply-tip" with the fix's name; the editor applies it
 * with atelier_prompt_tips_apply(), except "rv51", which chooses the
 * Realistic Vision 5.1 base model.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atelier-prompt-params.h"
#include "atelier-prompt-route.h"
#include "atelier-prompt-tags.h"

G_BEGIN_DECLS

#define ATELIER_TYPE_PROMPT_TIPS (atelier_prompt_tips_get_type ())
G_DECLARE_FINAL_TYPE (AtelierPromptTips, atelier_prompt_tips, ATELIER, PROMPT_TIPS, AdwPreferencesGroup)

/* Shows the tips that apply; the group hides when none does. First come
 * the problems atelier_prompt_target_text_problems() finds (one LoRA per
 * SDXL prompt): Astria cannot run the prompt as it is. Returns how many
 * of those there are, for the editor to refuse Generate. */
guint    atelier_prompt_tips_update (AtelierPromptTips         *self,
                                     AtelierParams             *params,
                                     const char                *text,
                                     const AtelierPromptTarget *target);

/* Applies the fix named @fix to @params; FALSE when @fix does not change a
 * parameter. */
gboolean atelier_prompt_tips_apply  (AtelierParams             *params,
                                     const char                *fix);

G_END_DECLS
