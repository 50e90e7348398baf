/* atelier-prompt-tune-row.h: which tune the prompt editor writes for
 *
 * A combo row of the account's tunes (fetched), the tune the editor was
 * opened for and the gallery base models. It keeps what the user or the
 * caller chose while the list comes in, and tells where a prompt for the
 * chosen tune goes (AtelierPromptTarget: a LoRA's or FaceID's prompts go
 * to a base model with the tune's tag).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atelier-astria-client.h"
#include "atelier-base-models.h"
#include "atelier-prompt-route.h"
#include "atelier-prompt-tags.h"
#include "atelier-tune.h"

G_BEGIN_DECLS

#define ATELIER_TYPE_PROMPT_TUNE_ROW (atelier_prompt_tune_row_get_type ())
G_DECLARE_FINAL_TYPE (AtelierPromptTuneRow, atelier_prompt_tune_row, ATELIER, PROMPT_TUNE_ROW, AdwComboRow)

/* Offers and chooses @tune even before (or without) the account's list. */
void         atelier_prompt_tune_row_set_tune          (AtelierPromptTuneRow *self,
                                                        AtelierTune          *tune);
/* Fetches the account's tunes; errors go to the window's shell. */
void         atelier_prompt_tune_row_load              (AtelierPromptTuneRow *self,
                                                        AtelierAstriaClient  *client);
/* Chooses @tune_id as the caller's choice: kept when the list comes in,
 * offered as "Tune ID" when the list does not have it. */
void         atelier_prompt_tune_row_set_target_id     (AtelierPromptTuneRow *self,
                                                        gint64                tune_id);
/* Chooses @tune_id as if the user had. */
void         atelier_prompt_tune_row_pick              (AtelierPromptTuneRow *self,
                                                        gint64                tune_id);

/* The chosen tune, NULL for a base model or a typed id. (transfer none) */
AtelierTune *atelier_prompt_tune_row_get_tune          (AtelierPromptTuneRow *self);
/* Where a prompt goes; all 0 when nothing is chosen. */
void         atelier_prompt_tune_row_get_target        (AtelierPromptTuneRow *self,
                                                        AtelierPromptTarget  *target);
/* The tunes offered, base models left out. (transfer container) */
GPtrArray   *atelier_prompt_tune_row_dup_tunes         (AtelierPromptTuneRow *self);
/* "Runs on Flux1.dev with the tune’s tag", …; NULL when nothing is
 * chosen. (transfer full) */
char        *atelier_prompt_tune_row_dup_description   (AtelierPromptTuneRow *self);
/* TRUE when the prompt runs on a 512-px model (SD 1.5, Realistic Vision). */
gboolean     atelier_prompt_tune_row_runs_on_small_model (AtelierPromptTuneRow *self);

G_END_DECLS
