/* atelier-prompt-route.h: which tune a prompt for a tune goes to
 *
 * A checkpoint takes its own prompts. LoRA, PTI (SDXL) and FaceID tunes are
 * adapters: their prompts go to a base model's tune with the adapter's tag
 * in the text, <lora:ID:1> or <faceid:ID:1> (NOTES.md). One table in
 * atelier-prompt-route.c decides it for every model type × branch × base,
 * each row citing the document it follows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "atelier-base-models.h"
#include "atelier-prompt-tags.h"
#include "atelier-tune.h"

G_BEGIN_DECLS

typedef struct
{
  gint64                tune_id;      /* where to POST the prompt */
  gint64                tag_tune_id;  /* 0: no tag needed */
  AtelierPromptTagKind  tag_kind;     /* LORA or FACEID when tag_tune_id != 0 */
  gboolean              flux;         /* the prompt runs on Flux */
  const char           *branch;       /* the family it runs on ("sd15", "sdxl1",
                                       * "flux1"), NULL when unknown (static) */
} AtelierPromptTarget;

/* Where a prompt for the tune @tune_id goes. @model_type NULL, "" or
 * "checkpoint" is a checkpoint (an unknown type is taken as one too: it
 * gets its own prompts and no tag); @branch NULL or unknown is the base's
 * branch when the base is a gallery model, else "sd15" (the create page's
 * default); @base_tune_id 0 is none. A gallery base model itself takes its
 * own prompts. */
void      atelier_prompt_route                (const char           *model_type,
                                               const char           *branch,
                                               gint64                tune_id,
                                               gint64                base_tune_id,
                                               AtelierPromptTarget  *target);
/* The same for @tune's model type, branch, id and base. */
void      atelier_prompt_target_for_tune      (AtelierTune          *tune,
                                               AtelierPromptTarget  *target);
/* A tune known only by its id (a gallery base model, a typed id): prompts
 * go to it as they are. */
void      atelier_prompt_target_for_tune_id   (gint64                tune_id,
                                               AtelierPromptTarget  *target);

/* What in @text Astria cannot run on @target, one translated sentence
 * each; empty when nothing. Today: SDXL takes one LoRA per prompt
 * (20-sdxl-api.md: "With SDXL you cannot combine multiple LoRAs"), so a
 * prompt on an SDXL model that loads two or more different LoRAs is one
 * problem. The tag the editor puts in at Generate (@target's LoRA when
 * @text lacks it) counts as loaded. Invalid tags are not counted: the
 * text's notes report them. (transfer full) */
GStrv     atelier_prompt_target_text_problems (const AtelierPromptTarget *target,
                                               const char                *text);

G_END_DECLS
