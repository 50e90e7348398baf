/* atelier-gallery-page.h: every image of every tune (grows in a later issue)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atelier-astria-client.h"

G_BEGIN_DECLS

#define ATELIER_TYPE_GALLERY_PAGE (atelier_gallery_page_get_type ())
G_DECLARE_FINAL_TYPE (AtelierGalleryPage, atelier_gallery_page, ATELIER, GALLERY_PAGE, AdwBin)

void atelier_gallery_page_set_client (AtelierGalleryPage  *self,
                                      AtelierAstriaClient *client);

G_END_DECLS
