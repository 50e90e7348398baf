/* atelier-first-prompts-group.h: the prompts to run once the tune is trained
 *
 * An AdwPreferencesGroup of entry rows, one prompt each, each with a
 * button that removes it. ::changed is emitted when the user edits,
 * adds or removes a row, never for atelier_first_prompts_group_set().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define ATELIER_TYPE_FIRST_PROMPTS_GROUP (atelier_first_prompts_group_get_type ())
G_DECLARE_FINAL_TYPE (AtelierFirstPromptsGroup, atelier_first_prompts_group,
                      ATELIER, FIRST_PROMPTS_GROUP, AdwPreferencesGroup)

/* Replaces the rows: one per text. */
void       atelier_first_prompts_group_set       (AtelierFirstPromptsGroup *self,
                                                  const char * const       *texts);
/* Adds an empty row and focuses it. */
void       atelier_first_prompts_group_add       (AtelierFirstPromptsGroup *self);
/* The texts, trimmed, in order; without the empty ones when @skip_empty. */
GStrv      atelier_first_prompts_group_dup_texts (AtelierFirstPromptsGroup *self,
                                                  gboolean                  skip_empty);

G_END_DECLS
