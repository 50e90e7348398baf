/* atelier-characteristics-group.h: the tune's characteristics, one row each
 *
 * An AdwPreferencesGroup of entry rows, key → value ("eye_color" → "blue
 * eyes"), known keys first in a fixed order, then the others by name,
 * with a placeholder row while there are none. Each row can be cleared.
 * The rows the user changed are "edited": inspections no longer touch
 * them.
 *
 * ::changed is emitted when the user edits a row or
 * atelier_characteristics_group_update() changed the rows, never for
 * atelier_characteristics_group_set().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define ATELIER_TYPE_CHARACTERISTICS_GROUP (atelier_characteristics_group_get_type ())
G_DECLARE_FINAL_TYPE (AtelierCharacteristicsGroup, atelier_characteristics_group,
                      ATELIER, CHARACTERISTICS_GROUP, AdwPreferencesGroup)

/* Replaces everything: a row per value of @values, @edited among them
 * (both may be empty). */
void        atelier_characteristics_group_set        (AtelierCharacteristicsGroup *self,
                                                      GHashTable                  *values,
                                                      const char * const          *edited);
/* The most common values found in the photos: they fill the rows not
 * edited; rows neither found nor edited go. */
void        atelier_characteristics_group_update     (AtelierCharacteristicsGroup *self,
                                                      GHashTable                  *found);
/* key → value (trimmed, may be empty). (transfer full) */
GHashTable *atelier_characteristics_group_dup_values (AtelierCharacteristicsGroup *self);
/* The edited keys, sorted. (transfer full) */
GStrv       atelier_characteristics_group_dup_edited (AtelierCharacteristicsGroup *self);

G_END_DECLS
