/* atelier-tunes-page.h: the account's tunes
 *
 * The list of tunes (page by page as the user scrolls, searchable by
 * title, with status refreshed while any trains), the editor of a new tune
 * (with the draft kept on disk, offered again after a restart) and each
 * tune's details, one at a time in a stack with back buttons.
 *
 * Actions: page.reload, page.search, page.new-tune, page.discard-draft.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atelier-astria-client.h"
#include "atelier-draft.h"
#include "atelier-tune-detail.h"
#include "atelier-tune-editor.h"
#include "atelier-tune-list.h"

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
AtelierTuneList     *atelier_tunes_page_get_tune_list (AtelierTunesPage  *self);

/* Opens the editor with the draft (once it is loaded). */
void                 atelier_tunes_page_new_tune    (AtelierTunesPage    *self);
/* Opens the editor in pack mode for @pack: the tune is made from the pack
 * (atelier_tune_editor_set_pack()), with the draft's photos. */
void                 atelier_tunes_page_new_tune_from_pack (AtelierTunesPage *self,
                                                            AtelierPack      *pack);
/* Opens the editor in FaceID mode (model type faceid, not a pack) with
 * @files (element-type GFile) added to the draft's photos. */
void                 atelier_tunes_page_new_tune_for_faceid (AtelierTunesPage *self,
                                                             GPtrArray        *files);
/* The editor, once opened. */
AtelierTuneEditor   *atelier_tunes_page_get_editor  (AtelierTunesPage    *self);
AtelierDraft        *atelier_tunes_page_get_draft   (AtelierTunesPage    *self);
/* TRUE once the draft has been read from disk. */
gboolean             atelier_tunes_page_get_draft_loaded (AtelierTunesPage *self);
/* Shows the details of @tune_id (asked for when it is not loaded). */
void                 atelier_tunes_page_show_tune   (AtelierTunesPage    *self,
                                                     gint64               tune_id);
AtelierTuneDetail   *atelier_tunes_page_get_detail  (AtelierTunesPage    *self);
/* "list", "editor" or "detail". */
const char          *atelier_tunes_page_get_view    (AtelierTunesPage    *self);

G_END_DECLS
