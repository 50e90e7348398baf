/* atelier-packs-page.h: my packs, the gallery packs and the theme runs
 *
 * The pack browser: my packs and the gallery packs, searchable by title,
 * sorted by title, newest first or most liked first (liked prompts that
 * came from the pack, as far as this app has seen: AtelierPackLikes).
 * Each row says the pack's base model, model type, price per class and,
 * once the service has listed them, how many prompts it has. Activating a
 * pack opens its page (AtelierPackView) with "Create Tune from Pack…"
 * (the Tunes page's editor in pack mode, through AtelierShell), "Run on
 * Test Tunes…" (AtelierPackRunDialog) and its test runs. "Run a Theme…"
 * runs a theme; theme runs are listed under the packs, with the run files
 * that could not be read (each with its problem and Delete).
 *
 * Actions: page.reload, page.search, packs.back, packs.create-tune,
 * packs.run-pack, packs.run-theme, packs.open-run (s: run id),
 * packs.delete-run (s: run id).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atelier-astria-client.h"
#include "atelier-pack-likes.h"

G_BEGIN_DECLS

typedef enum
{
  ATELIER_PACKS_SORT_TITLE,
  ATELIER_PACKS_SORT_NEWEST,
  ATELIER_PACKS_SORT_LIKES,
} AtelierPacksSort;

#define ATELIER_TYPE_PACKS_PAGE (atelier_packs_page_get_type ())
G_DECLARE_FINAL_TYPE (AtelierPacksPage, atelier_packs_page, ATELIER, PACKS_PAGE, AdwBin)

void      atelier_packs_page_set_client  (AtelierPacksPage    *self,
                                          AtelierAstriaClient *client);
void      atelier_packs_page_reload      (AtelierPacksPage    *self);
/* TRUE while the lists load (not the packs' prompts). */
gboolean  atelier_packs_page_get_loading (AtelierPacksPage    *self);
/* TRUE while packs' prompts are still being asked for. */
gboolean  atelier_packs_page_get_loading_prompts (AtelierPacksPage *self);
/* (element-type AtelierPack): every pack loaded, unfiltered, unsorted. */
GListModel *atelier_packs_page_get_my_packs      (AtelierPacksPage *self);
GListModel *atelier_packs_page_get_gallery_packs (AtelierPacksPage *self);
/* The same as shown: searched and sorted. */
GListModel *atelier_packs_page_get_shown_my_packs      (AtelierPacksPage *self);
GListModel *atelier_packs_page_get_shown_gallery_packs (AtelierPacksPage *self);
AtelierPackLikes *atelier_packs_page_get_likes   (AtelierPacksPage *self);
/* "man $2.00 · woman $2.50", or NULL when the pack has no cost. */
char     *atelier_packs_page_format_costs (AtelierPack        *pack);

/* Opens @pack's page. */
void      atelier_packs_page_show_pack   (AtelierPacksPage    *self,
                                          AtelierPack         *pack);
/* The pack whose page is shown, or NULL when the list is. */
AtelierPack *atelier_packs_page_get_shown_pack (AtelierPacksPage *self);

G_END_DECLS
