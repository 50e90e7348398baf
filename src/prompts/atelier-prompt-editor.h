/* atelier-prompt-editor.h: write a prompt for a tune and generate it
 *
 * A window with every documented prompt parameter, grouped; values are
 * checked by the service layer's AtelierPromptParams as they are typed and
 * the errors are shown next to their fields. The prompt text highlights
 * <lora:ID:weight>, <faceid:ID:1> and {{characteristic}} tags and offers
 * to insert them. "Generate" sends the prompt (with progress, cancellable)
 * and emits ::prompt-created with the new AtelierPrompt.
 *
 * For a LoRA tune (Flux, SDXL) or a FaceID tune the prompt goes to the
 * gallery base model with the tune's tag in the text (NOTES.md); the
 * editor chooses that for the user.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atelier-prompt-params.h"
#include "atelier-session.h"
#include "atelier-tune.h"

G_BEGIN_DECLS

#define ATELIER_TYPE_PROMPT_EDITOR (atelier_prompt_editor_get_type ())
G_DECLARE_FINAL_TYPE (AtelierPromptEditor, atelier_prompt_editor, ATELIER, PROMPT_EDITOR, AdwWindow)

/* @tune_or_null NULL: the user picks a tune (or a gallery base model). */
AtelierPromptEditor *atelier_prompt_editor_new        (AtelierSession      *session,
                                                       AtelierTune         *tune_or_null);
/* Fills every field from @params ("reuse these settings"). */
void                 atelier_prompt_editor_set_params (AtelierPromptEditor *self,
                                                       AtelierPromptParams *params);
/* The parameters as the fields show them now. (transfer full) */
AtelierPromptParams *atelier_prompt_editor_dup_params (AtelierPromptEditor *self);
/* The tune the prompt will be sent to (a base model for LoRA/FaceID). */
gint64               atelier_prompt_editor_get_target_tune_id (AtelierPromptEditor *self);
/* Sends to @tune_id as it is ("reuse these settings" of a prompt, whose
 * text already carries its tags). */
void                 atelier_prompt_editor_set_target_tune_id (AtelierPromptEditor *self,
                                                               gint64               tune_id);

G_END_DECLS
