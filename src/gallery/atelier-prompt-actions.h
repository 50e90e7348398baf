/* atelier-prompt-actions.h: what the gallery row and the viewer do with a
 * prompt
 *
 * Copy its text, open the editor (or the FaceID page) with its settings,
 * use an image as a FaceID face, delete it (after asking) from the
 * service, the local library and the gallery's model.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "atelier-prompt-params.h"
#include "atelier-prompts-model.h"

G_BEGIN_DECLS

/* What the gallery calls where a prompt comes from (its tune line and
 * the source filter): "FaceID · fal.ai" for
 * ATELIER_PROMPT_SOURCE_FACEID_FAL, NULL for the service's prompts. */
const char *atelier_prompt_source_get_title (const char *source);

/* The FaceID form's settings for @prompt, a FaceID result: its fal input
 * with its seed. (transfer full) (nullable) */
JsonNode *atelier_prompt_dup_faceid_settings (AtelierPrompt *prompt);

/* The text to the clipboard, and a toast. */
void atelier_prompt_action_copy   (GtkWidget           *widget,
                                   AtelierPrompt       *prompt);
/* The prompt editor with @params (the prompt's own settings when NULL),
 * for the prompt's tune, over @parent; for a FaceID result, the FaceID
 * page with its settings (@params is not used). */
void atelier_prompt_action_reuse  (GtkWidget           *widget,
                                   GtkWindow           *parent,
                                   AtelierPrompt       *prompt,
                                   AtelierPromptParams *params);
/* Image @index of @prompt as the face of a new FaceID request: its https
 * URL when it has one, else the library's kept original. */
void atelier_prompt_action_use_as_face (GtkWidget      *widget,
                                        AtelierLibrary *library,
                                        AtelierPrompt  *prompt,
                                        guint           index);
/* Asks over @parent, then deletes: from the service unless @local_only
 * (a prompt the service no longer has) or the prompt was made on this
 * computer (never sent to the service), from @library, from @model. A
 * refusal is shown from @widget. */
void atelier_prompt_action_delete (GtkWidget           *widget,
                                   GtkWindow           *parent,
                                   AtelierPromptsModel *model,
                                   AtelierLibrary      *library,
                                   AtelierPrompt       *prompt,
                                   gboolean             local_only);

G_END_DECLS
