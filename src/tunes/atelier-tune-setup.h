/* atelier-tune-setup.h: the choices of a new tune and the rules between them
 *
 * The tune editor's combo rows as positions (in the order of
 * atelier-tune-editor.ui), the API values they stand for, and the rules
 * that keep a model, a branch and a base model that go together. Pure
 * functions, no widgets:
 *
 *   - SDXL always trains PTI, and PTI is SDXL's (except on "fast");
 *   - FaceID and checkpoints are SD 1.5 models;
 *   - a gallery base model sets its branch and a branch its base model,
 *     unless the base is another tune given by its id;
 *   - presets are for Flux LoRAs (on "fast": with the Flux base);
 *   - FaceID is not trained: no steps, no training face correct.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  ATELIER_TUNE_CHOICE_CLASS,
  ATELIER_TUNE_CHOICE_MODEL,
  ATELIER_TUNE_CHOICE_BRANCH,
  ATELIER_TUNE_CHOICE_BASE,
  ATELIER_TUNE_CHOICE_PRESET,
} AtelierTuneChoice;

/* The class row's last item: a class typed in. */
#define ATELIER_TUNE_CLASS_OTHER 8

enum { ATELIER_TUNE_MODEL_LORA, ATELIER_TUNE_MODEL_FACEID, ATELIER_TUNE_MODEL_CHECKPOINT, ATELIER_TUNE_MODEL_PTI };
enum { ATELIER_TUNE_BRANCH_FLUX, ATELIER_TUNE_BRANCH_SDXL, ATELIER_TUNE_BRANCH_SD15, ATELIER_TUNE_BRANCH_FAST };
/* The last: another tune, by its id. */
enum { ATELIER_TUNE_BASE_FLUX, ATELIER_TUNE_BASE_RV51, ATELIER_TUNE_BASE_SDXL, ATELIER_TUNE_BASE_OTHER };
/* The preset a new tune starts with. */
#define ATELIER_TUNE_PRESET_DEFAULT 2

typedef struct
{
  guint model;
  guint branch;
  guint base;
} AtelierTuneSetup;

/* The API's word for position @index of @choice ("man", "lora", "flux1",
 * "flux-lora-portrait"); NULL for ATELIER_TUNE_CLASS_OTHER and the first
 * preset (none). Not for BASE: base models go by their tune id. */
const char *atelier_tune_choice_get_id    (AtelierTuneChoice       choice,
                                           guint                   index);
/* The position of @id, or @fallback. */
guint       atelier_tune_choice_find      (AtelierTuneChoice       choice,
                                           const char             *id,
                                           guint                   fallback);
/* The tune id of a gallery base model; 0 for ATELIER_TUNE_BASE_OTHER. */
gint64      atelier_tune_base_get_tune_id (guint                   base);
/* The gallery base model with that tune id, or ATELIER_TUNE_BASE_OTHER. */
guint       atelier_tune_base_find        (gint64                  tune_id);

/* After the user chose @changed (MODEL, BRANCH or BASE), changes the
 * other two so that they go together. */
void        atelier_tune_setup_couple     (AtelierTuneSetup       *setup,
                                           AtelierTuneChoice       changed);
gboolean    atelier_tune_setup_has_preset (const AtelierTuneSetup *setup);
/* FALSE for FaceID. */
gboolean    atelier_tune_setup_is_trained (const AtelierTuneSetup *setup);
/* model_type as sent: "pti" on SDXL whatever was chosen, NULL for a
 * checkpoint. */
const char *atelier_tune_setup_get_model_type (const AtelierTuneSetup *setup);

G_END_DECLS
