/* atelier-run-row.h: one row of a test run's matrix, one pack prompt
 *
 * A row gathers what one prompt of a pack (or one idea of a theme)
 * produced on each tune of the run: a cell per tune, in the run's tune
 * order, holding that tune's prompt (NULL while the service has not made
 * it yet) and whether the user liked it. AtelierRunMatrix makes and
 * updates the rows; ::changed says a cell or a like changed.
 *
 * Texts are compared without what differs from tune to tune:
 * atelier_run_row_normalize_text() drops the tune's token and class name
 * ("ohwx", "woman") as words and the <lora:…> and <faceid:…> tags, tidies
 * the spaces and the punctuation left at the ends. Rows are keyed by that
 * text case-folded when the service gives no orig_prompt_id.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atelier-prompt.h"

G_BEGIN_DECLS

typedef enum
{
  ATELIER_RUN_CELL_EMPTY,     /* no prompt on that tune (yet) */
  ATELIER_RUN_CELL_PENDING,
  ATELIER_RUN_CELL_FAILED,    /* the prompt's user_error says why */
  ATELIER_RUN_CELL_DONE,
} AtelierRunCellState;

#define ATELIER_TYPE_RUN_ROW (atelier_run_row_get_type ())
G_DECLARE_FINAL_TYPE (AtelierRunRow, atelier_run_row, ATELIER, RUN_ROW, GObject)

/* A row of @n_cells empty cells. */
AtelierRunRow       *atelier_run_row_new               (const char    *key,
                                                        guint          n_cells);
/* "o:123" for orig_prompt_id 123, "t:TEXT" for a normalised text, "p:N"
 * for the Nth idea of a theme whose texts differ from tune to tune. */
const char          *atelier_run_row_get_key           (AtelierRunRow *self);
/* The prompt as a pack prompt: normalised, as shown and exported. */
const char          *atelier_run_row_get_text          (AtelierRunRow *self);
/* The pack's original prompt (0: the service gave none). */
gint64               atelier_run_row_get_orig_prompt_id (AtelierRunRow *self);
guint                atelier_run_row_get_n_cells       (AtelierRunRow *self);
/* (transfer none) (nullable) */
AtelierPrompt       *atelier_run_row_get_prompt        (AtelierRunRow *self,
                                                        guint          column);
AtelierRunCellState  atelier_run_row_get_state         (AtelierRunRow *self,
                                                        guint          column);
gboolean             atelier_run_row_is_liked          (AtelierRunRow *self,
                                                        guint          column);
/* Liked cells of the row. */
guint                atelier_run_row_get_n_likes       (AtelierRunRow *self);
/* Prompts the row has, done, pending and failed. */
guint                atelier_run_row_get_n_prompts     (AtelierRunRow *self);
/* The smallest prompt id of the row: the pack's order. */
gint64               atelier_run_row_get_order         (AtelierRunRow *self);

/* For AtelierRunMatrix. Each returns whether something changed; none
 * emits ::changed (atelier_run_row_emit_changed() does). */
gboolean             atelier_run_row_set_text          (AtelierRunRow *self,
                                                        const char    *text,
                                                        gint64         orig_prompt_id);
gboolean             atelier_run_row_set_prompt        (AtelierRunRow *self,
                                                        guint          column,
                                                        AtelierPrompt *prompt);
gboolean             atelier_run_row_set_liked         (AtelierRunRow *self,
                                                        guint          column,
                                                        gboolean       liked);
void                 atelier_run_row_set_order         (AtelierRunRow *self,
                                                        gint64         order);
void                 atelier_run_row_emit_changed      (AtelierRunRow *self);

/* @text without the tune's @token and @class_name words (either may be
 * NULL), without LoRA and FaceID tags, spaces collapsed, spaces before
 * , ; : . ! ? dropped and the ends trimmed of spaces and , ; : . -
 * (transfer full) */
char                *atelier_run_row_normalize_text    (const char    *text,
                                                        const char    *token,
                                                        const char    *class_name);

G_END_DECLS
