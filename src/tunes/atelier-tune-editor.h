/* atelier-tune-editor.h: composing a new tune
 *
 * The training photos (AtelierPicker), the subject (name, class), the
 * model (type, branch, base model, preset), training settings (token,
 * steps, face crop, training face correct, auto extend), the
 * characteristics found by inspecting the photos (editable) and optional
 * first prompts. Fields that do not apply to the chosen model are hidden
 * and the model group says why.
 *
 * Everything is kept in an AtelierDraft as the user works. "Create Tune"
 * runs an AtelierTuneUpload with a progress bar and Cancel; a failed or
 * cancelled upload keeps everything and "Retry" sends it again with the
 * same title, so the service never gets the tune twice (when the last
 * upload may have arrived, the draft says so and the next one looks the
 * title up first). Errors go to the window, and a 422's field errors are
 * also shown on their rows.
 *
 * In pack mode (atelier_tune_editor_set_pack()) the tune is made from a
 * pack: POST /p/:id/tunes with the photos, a class the pack prices (the
 * class row offers only those, with their price), title and
 * characteristics; the pack decides the rest, so the model, training and
 * first-prompt groups hide. Before anything is sent the price of the
 * chosen class (or that it is not known) is confirmed in a dialog.
 *
 * Actions: editor.submit, editor.cancel, editor.discard, editor.back,
 * editor.add-prompt, editor.leave-pack.
 * Signals: ::created (AtelierTune *tune), ::back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atelier-astria-client.h"
#include "atelier-draft.h"
#include "atelier-picker.h"

G_BEGIN_DECLS

#define ATELIER_TYPE_TUNE_EDITOR (atelier_tune_editor_get_type ())
G_DECLARE_FINAL_TYPE (AtelierTuneEditor, atelier_tune_editor, ATELIER, TUNE_EDITOR, AdwBin)

GtkWidget     *atelier_tune_editor_new         (void);
void           atelier_tune_editor_set_client  (AtelierTuneEditor   *self,
                                                AtelierAstriaClient *client);
/* Fills the form from @draft (the photos are added again) and keeps it
 * up to date from then on. */
void           atelier_tune_editor_set_draft   (AtelierTuneEditor   *self,
                                                AtelierDraft        *draft);
AtelierDraft  *atelier_tune_editor_get_draft   (AtelierTuneEditor   *self);
/* Pack mode for @pack, kept in the draft; NULL: a tune of its own
 * settings. Call after set_draft(). */
void           atelier_tune_editor_set_pack    (AtelierTuneEditor   *self,
                                                AtelierPack         *pack);
AtelierPack   *atelier_tune_editor_get_pack    (AtelierTuneEditor   *self);
/* FaceID mode: leaves pack mode, chooses the FaceID model type (the
 * branch and base model follow its rules) and adds @files (element-type
 * GFile) to the photos. Call after set_draft(). */
void           atelier_tune_editor_set_faceid  (AtelierTuneEditor   *self,
                                                GPtrArray           *files);
AtelierPicker *atelier_tune_editor_get_picker  (AtelierTuneEditor   *self);
/* An upload is running ("busy" property). */
gboolean       atelier_tune_editor_get_busy    (AtelierTuneEditor   *self);
/* What the editor would send now (for tests and the summary), without
 * the photos. */
AtelierTuneParams *atelier_tune_editor_build_params (AtelierTuneEditor *self);

G_END_DECLS
