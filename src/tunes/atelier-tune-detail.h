/* atelier-tune-detail.h: one tune: its parameters, photos and prompts
 *
 * Shows every parameter, the characteristics and the training photos
 * (through the session's image cache), links to the tune's prompts in the
 * gallery, opens the prompt editor for a ready tune and deletes the tune
 * after a confirmation.
 *
 * Actions: detail.back, detail.delete, detail.new-prompt,
 * detail.show-prompts.
 * Signals: ::back, ::deleted (gint64 tune_id).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atelier-session.h"
#include "atelier-tune.h"

G_BEGIN_DECLS

#define ATELIER_TYPE_TUNE_DETAIL (atelier_tune_detail_get_type ())
G_DECLARE_FINAL_TYPE (AtelierTuneDetail, atelier_tune_detail, ATELIER, TUNE_DETAIL, AdwBin)

GtkWidget   *atelier_tune_detail_new          (void);
void         atelier_tune_detail_set_session  (AtelierTuneDetail *self,
                                               AtelierSession    *session);
void         atelier_tune_detail_set_tune     (AtelierTuneDetail *self,
                                               AtelierTune       *tune);
AtelierTune *atelier_tune_detail_get_tune     (AtelierTuneDetail *self);
/* A delete is running. */
gboolean     atelier_tune_detail_get_busy     (AtelierTuneDetail *self);

G_END_DECLS
