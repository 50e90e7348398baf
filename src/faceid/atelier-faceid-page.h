/* atelier-faceid-page.h: fal.ai FaceID, a likeness from one photo
 * (grows in a later issue)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atelier-fal-client.h"

G_BEGIN_DECLS

#define ATELIER_TYPE_FACEID_PAGE (atelier_faceid_page_get_type ())
G_DECLARE_FINAL_TYPE (AtelierFaceidPage, atelier_faceid_page, ATELIER, FACEID_PAGE, AdwBin)

void atelier_faceid_page_set_client (AtelierFaceidPage *self,
                                     AtelierFalClient  *client);

G_END_DECLS
