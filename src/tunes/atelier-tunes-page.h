/* atelier-tunes-page.h: the account's tunes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atelier-astria-client.h"

G_BEGIN_DECLS

#define ATELIER_TYPE_TUNES_PAGE (atelier_tunes_page_get_type ())
G_DECLARE_FINAL_TYPE (AtelierTunesPage, atelier_tunes_page, ATELIER, TUNES_PAGE, AdwBin)

AtelierAstriaClient *atelier_tunes_page_get_client  (AtelierTunesPage    *self);
/* Setting a client (re)loads the list. */
void                 atelier_tunes_page_set_client  (AtelierTunesPage    *self,
                                                     AtelierAstriaClient *client);
void                 atelier_tunes_page_reload      (AtelierTunesPage    *self);
gboolean             atelier_tunes_page_get_loading (AtelierTunesPage    *self);
/* (element-type AtelierTune): every tune loaded, unfiltered. */
GListModel          *atelier_tunes_page_get_model   (AtelierTunesPage    *self);

G_END_DECLS
