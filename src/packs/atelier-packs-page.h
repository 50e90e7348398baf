/* atelier-packs-page.h: my packs and the gallery packs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atelier-astria-client.h"

G_BEGIN_DECLS

#define ATELIER_TYPE_PACKS_PAGE (atelier_packs_page_get_type ())
G_DECLARE_FINAL_TYPE (AtelierPacksPage, atelier_packs_page, ATELIER, PACKS_PAGE, AdwBin)

void      atelier_packs_page_set_client  (AtelierPacksPage    *self,
                                          AtelierAstriaClient *client);
void      atelier_packs_page_reload      (AtelierPacksPage    *self);
gboolean  atelier_packs_page_get_loading (AtelierPacksPage    *self);
/* (element-type AtelierPack) */
GListModel *atelier_packs_page_get_my_packs      (AtelierPacksPage *self);
GListModel *atelier_packs_page_get_gallery_packs (AtelierPacksPage *self);
/* "man $2.00 · woman $2.50", or NULL when the pack has no cost. */
char     *atelier_packs_page_format_costs (AtelierPack        *pack);

G_END_DECLS
