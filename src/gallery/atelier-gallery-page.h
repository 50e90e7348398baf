/* atelier-gallery-page.h: every image of every tune, liked, kept, reviewed
 *
 * The window sets :session (the image cache, likes and library come from
 * it) and :client. Other pages link here with
 * atelier_gallery_page_show_tune() and atelier_gallery_page_show_source().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atelier-astria-client.h"
#include "atelier-session.h"

G_BEGIN_DECLS

#define ATELIER_TYPE_GALLERY_PAGE (atelier_gallery_page_get_type ())
G_DECLARE_FINAL_TYPE (AtelierGalleryPage, atelier_gallery_page, ATELIER, GALLERY_PAGE, AdwBin)

void atelier_gallery_page_set_client  (AtelierGalleryPage  *self,
                                       AtelierAstriaClient *client);
void atelier_gallery_page_set_session (AtelierGalleryPage  *self,
                                       AtelierSession      *session);
/* A prompt just created (by the prompt editor): shown at the top at once,
 * pending, clearing the filters when they would hide it. */
void atelier_gallery_page_add_prompt  (AtelierGalleryPage  *self,
                                       AtelierPrompt       *prompt);
/* Filters the gallery to the prompts of @tune_id (0: every tune). The
 * caller shows the page (atelier_window_show_page (window, "gallery")). */
void atelier_gallery_page_show_tune   (AtelierGalleryPage  *self,
                                       gint64               tune_id);
/* Filters the gallery to the prompts of @source (an
 * ATELIER_PROMPT_SOURCE_*, atelier-prompt.h; another: every tune), and
 * opens the viewer on the first image of @prompt_id (0: none) when it is
 * listed once the gallery has loaded. The caller shows the page. */
void atelier_gallery_page_show_source (AtelierGalleryPage  *self,
                                       const char          *source,
                                       gint64               prompt_id);

G_END_DECLS
