/* atelier-pack-run-dialog.h: run a pack or a theme on test tunes
 *
 * A dialog that lists the account's tunes to choose from: thumbnail (or
 * initial), title, class, model type and, for a pack, the price of its
 * class. Tunes that are not ready (training, expired) or whose class the
 * pack does not price are shown but cannot be chosen, and say why. With
 * no tune to choose, the dialog says why and how to make one.
 *
 * "Run…" first says what it costs and asks once: "N tunes × $X = $Y" for
 * a pack (a sum per tune when classes differ in price), and for a theme
 * that the API documents no price. Then one request: for a pack
 * POST /p/:id/tunes with tune_ids, for a theme POST /themes with the
 * theme, the tunes and, when given, num_images, w and h. A refusal (401,
 * 403, 422, …) is shown on the dialog with the server's words and the
 * choice is kept. On success the run (AtelierPackRun) is kept with the
 * session's runs, its matrix window opens and the dialog closes.
 *
 * Actions: run.send, run.cancel, run.reload, run.go-to-tunes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atelier-pack.h"
#include "atelier-session.h"

G_BEGIN_DECLS

#define ATELIER_TYPE_PACK_RUN_DIALOG (atelier_pack_run_dialog_get_type ())
G_DECLARE_FINAL_TYPE (AtelierPackRunDialog, atelier_pack_run_dialog, ATELIER, PACK_RUN_DIALOG, AdwWindow)

/* For @pack, or for a theme when @pack is NULL; transient for @parent. */
AtelierPackRunDialog *atelier_pack_run_dialog_new         (GtkWindow            *parent,
                                                           AtelierSession       *session,
                                                           AtelierPack          *pack);
AtelierPack          *atelier_pack_run_dialog_get_pack    (AtelierPackRunDialog *self);
/* While the tunes load ("loading"), and while the run is sent ("busy"). */
gboolean              atelier_pack_run_dialog_get_loading (AtelierPackRunDialog *self);
gboolean              atelier_pack_run_dialog_get_busy    (AtelierPackRunDialog *self);

G_END_DECLS
