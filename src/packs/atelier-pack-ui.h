/* atelier-pack-ui.h: how packs, their prices and test runs are written
 *
 * The words the packs screen's pages and dialogs share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atelier-pack-run.h"
#include "atelier-pack.h"
#include "atelier-tune.h"

G_BEGIN_DECLS

/* The title, or "Pack 260" when it has none. */
char       *atelier_pack_dup_display_title  (AtelierPack    *pack);
/* "Realistic Vision v5.1" (a gallery base model by name), "Tune 123"
 * (another base tune), or NULL when the pack names none. */
char       *atelier_pack_dup_base_name      (AtelierPack    *pack);
/* "Realistic Vision v5.1 · Checkpoint" */
char       *atelier_pack_dup_summary        (AtelierPack    *pack);
/* TRUE when the pack prices at least one class (its cost_mc_hash). */
gboolean    atelier_pack_has_prices         (AtelierPack    *pack);

/* When a run started, as the user reads dates: "7 Dec 2026, 05:16". */
char       *atelier_pack_run_dup_when       (AtelierPackRun *run);
/* "3 tunes: Ada, Alan, Bob" */
char       *atelier_pack_run_dup_tunes_text (AtelierPackRun *run);

/* A row of a boxed list that shows @title (plain text, never markup) and
 * @subtitle (nullable). */
GtkWidget  *atelier_pack_text_row_new       (const char     *title,
                                             const char     *subtitle);

/* A dimmed label for a list that has no rows. */
GtkWidget  *atelier_pack_placeholder_new    (const char     *text);

G_END_DECLS
