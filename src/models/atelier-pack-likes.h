/* atelier-pack-likes.h: which liked prompts came from which pack
 *
 * Astria's pack page suggests sorting packs "by aggregated likes", but the
 * service gives no count, so Atelier counts what this app has seen: the
 * prompts the user liked (AtelierLikes; the library keeps their JSON) that
 * came from a pack. A liked prompt came from pack P when
 *
 *   1. its orig_prompt_id is one of P's prompts, P's prompts being known
 *      (atelier_pack_likes_set_pack_prompts()); or else
 *   2. its tune is one of the tunes of a test run (AtelierPackRun) and it
 *      was created at or after that run started. Of several such runs on
 *      the same tune the latest is the one (a later pack or theme run took
 *      over); when that is a theme, or a pack whose prompts are known (and
 *      the prompt is none of them, or rule 1 would have said so), the
 *      prompt came from no pack.
 *
 * Each liked prompt counts once, for one pack at most. Pure computation:
 * no I/O, no main loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "atelier-pack-run.h"
#include "atelier-prompt.h"

G_BEGIN_DECLS

#define ATELIER_TYPE_PACK_LIKES (atelier_pack_likes_get_type ())
G_DECLARE_FINAL_TYPE (AtelierPackLikes, atelier_pack_likes, ATELIER, PACK_LIKES, GObject)

AtelierPackLikes *atelier_pack_likes_new              (void);

/* The prompts of pack @pack_id as the service lists them
 * (GET /packs/:id/prompts). (element-type AtelierPrompt) */
void              atelier_pack_likes_set_pack_prompts (AtelierPackLikes *self,
                                                       gint64            pack_id,
                                                       GPtrArray        *prompts);
gboolean          atelier_pack_likes_knows_prompts    (AtelierPackLikes *self,
                                                       gint64            pack_id);

/* The pack @prompt came from by the rules above, 0 when none. @runs: a
 * GListModel of AtelierPackRun (unreadable runs are skipped), may be NULL. */
gint64            atelier_pack_likes_find_pack        (AtelierPackLikes *self,
                                                       AtelierPrompt    *prompt,
                                                       GListModel       *runs);

/* Counts @liked (element-type AtelierPrompt; each once, duplicates by id
 * ignored) against @runs, replacing the last counts. */
void              atelier_pack_likes_update           (AtelierPackLikes *self,
                                                       GPtrArray        *liked,
                                                       GListModel       *runs);
/* Liked prompts of @pack_id at the last update. */
guint             atelier_pack_likes_get_count        (AtelierPackLikes *self,
                                                       gint64            pack_id);

G_END_DECLS
