/* atelier-prompt-text.h: the prompt text, with its tags highlighted
 *
 * A GtkTextView that highlights <lora:ID:weight>, <faceid:ID:1> and
 * {{characteristic}} tags as the user types, and says in :notes what is
 * wrong with them (a malformed tag, a characteristic the tune does not
 * have). It inserts tags at the cursor, puts a LoRA or FaceID tune's tag
 * in the text when the prompt needs it, and builds the "Insert Tag" menu.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "atelier-prompt-route.h"
#include "atelier-prompt-tags.h"
#include "atelier-tune.h"

G_BEGIN_DECLS

#define ATELIER_TYPE_PROMPT_TEXT (atelier_prompt_text_get_type ())
G_DECLARE_FINAL_TYPE (AtelierPromptText, atelier_prompt_text, ATELIER, PROMPT_TEXT, GtkTextView)

/* (transfer full) */
char       *atelier_prompt_text_dup_text    (AtelierPromptText         *self);
void        atelier_prompt_text_set_text    (AtelierPromptText         *self,
                                             const char                *text);
/* The tune whose characteristics {{name}} may name; NULL for a base model. */
void        atelier_prompt_text_set_tune    (AtelierPromptText         *self,
                                             AtelierTune               *tune);
/* What is wrong with the tags, one line each; "" when nothing is. */
const char *atelier_prompt_text_get_notes   (AtelierPromptText         *self);
/* Inserts @tag at the cursor, spaced from its neighbours, and focuses. */
void        atelier_prompt_text_insert_tag  (AtelierPromptText         *self,
                                             const char                *tag);
/* Puts the tag of @target's LoRA or FaceID tune in front of the text
 * unless the text has it already; TRUE when it did. */
gboolean    atelier_prompt_text_ensure_tag  (AtelierPromptText         *self,
                                             const AtelierPromptTarget *target);

/* The "Insert Tag" menu: the tags of the LoRA and FaceID tunes among
 * @tunes, then the characteristics of @tune (may be NULL); each item
 * activates "editor.insert-tag" with the tag. (transfer full) */
GMenuModel *atelier_prompt_text_build_tag_menu (GPtrArray              *tunes,
                                                AtelierTune            *tune);

G_END_DECLS
