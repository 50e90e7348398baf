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

/* The title (atelier_pack_dup_display_title()) is an api rule: see
 * atelier-pack.h; the base model and summary, which the tune editor also
 * shows, are in atelier-tune-ui.h. */
/* TRUE when the pack prices at least one class (its cost_mc_hash). */
gboolean    atelier_pack_has_prices         (AtelierPack    *pack);

/* When a run started, as the user reads dates: "7 Dec 2026, 05:16". */
char       *atelier_pack_run_dup_when       (AtelierPackRun *run);
/* "3 tunes: Ada, Alan, Bob" */
char       *atelier_pack_run_dup_tunes_text (AtelierPackRun *run);

/* A dimmed label for a list that has no rows. */
GtkWidget  *atelier_pack_placeholder_new    (const char     *text);

G_END_DECLS
