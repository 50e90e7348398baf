/* atelier-pack-view.h: one pack's page in the packs screen
 *
 * What a pack is (base model, model type, price per class, liked prompts),
 * its prompts, its test runs, and the buttons of what can be done with
 * it. It only shows: the buttons and rows name actions of the packs page
 * (packs.back, packs.create-tune, packs.run-pack, packs.open-run), which
 * does the work.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atelier-pack.h"

G_BEGIN_DECLS

#define ATELIER_TYPE_PACK_VIEW (atelier_pack_view_get_type ())
G_DECLARE_FINAL_TYPE (AtelierPackView, atelier_pack_view, ATELIER, PACK_VIEW, AdwBin)

/* Shows @pack, its prompts not known yet and no runs. */
void         atelier_pack_view_set_pack    (AtelierPackView *self,
                                            AtelierPack     *pack);
AtelierPack *atelier_pack_view_get_pack    (AtelierPackView *self);
/* The pack's prompts (element-type AtelierPrompt), or NULL while they are
 * not known; @note says why or where they came from (nullable). */
void         atelier_pack_view_set_prompts (AtelierPackView *self,
                                            GPtrArray       *prompts,
                                            const char      *note);
/* The pack's test runs (element-type AtelierPackRun), newest first. */
void         atelier_pack_view_set_runs    (AtelierPackView *self,
                                            GPtrArray       *runs);
void         atelier_pack_view_set_likes   (AtelierPackView *self,
                                            guint            likes);

G_END_DECLS
