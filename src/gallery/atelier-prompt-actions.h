/* atelier-prompt-actions.h: what the gallery row and the viewer do with a
 * prompt
 *
 * Copy its text, open the editor with its settings, delete it (after
 * asking) from the service, the local library and the gallery's model.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "atelier-prompt-params.h"
#include "atelier-prompts-model.h"

G_BEGIN_DECLS

/* The text to the clipboard, and a toast. */
void atelier_prompt_action_copy   (GtkWidget           *widget,
                                   AtelierPrompt       *prompt);
/* The prompt editor with @params (the prompt's own settings when NULL),
 * for the prompt's tune, over @parent. */
void atelier_prompt_action_reuse  (GtkWidget           *widget,
                                   GtkWindow           *parent,
                                   AtelierPrompt       *prompt,
                                   AtelierPromptParams *params);
/* Asks over @parent, then deletes: from the service unless @local_only
 * (a prompt the service no longer has), from @library, from @model. A
 * refusal is shown from @widget. */
void atelier_prompt_action_delete (GtkWidget           *widget,
                                   GtkWindow           *parent,
                                   AtelierPromptsModel *model,
                                   AtelierLibrary      *library,
                                   AtelierPrompt       *prompt,
                                   gboolean             local_only);

G_END_DECLS
