/* atelier-tune-params.h: the parameters of POST /tunes and POST /p/:id/tunes
 *
 * Specs (API names): name (class, required), title (required), callback,
 * branch (sd15, sdxl1, flux1, fast), steps, token, face_crop,
 * training_face_correct, base_tune_id, model_type (lora, pti, faceid; unset
 * for checkpoint), auto_extend, preset (flux-lora-focus,
 * flux-lora-portrait, flux-lora-fast), prompts_callback.
 *
 * Beside them: training images (files or URLs), characteristics, first
 * prompts (prompts_attributes, an array, for POST /tunes) and the pack's
 * prompt_attributes callback (one object, for POST /p/:id/tunes).
 *
 * Rules: at least one image (file or URL; error field "images"), image
 * URLs and callbacks http(s), a token without spaces, characteristic
 * names without spaces or brackets, every first prompt valid (errors
 * named "prompts_attributes[N].field"). Running a pack on existing tunes
 * (tune_ids) takes no AtelierTuneParams: see
 * atelier_astria_client_run_pack_async().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atelier-params.h"
#include "atelier-prompt-params.h"

G_BEGIN_DECLS

/* The number of training photos the docs ask for. */
#define ATELIER_TUNE_MIN_IMAGES 4
#define ATELIER_TUNE_MAX_IMAGES 30

#define ATELIER_TYPE_TUNE_PARAMS (atelier_tune_params_get_type ())
G_DECLARE_FINAL_TYPE (AtelierTuneParams, atelier_tune_params, ATELIER, TUNE_PARAMS, AtelierParams)

AtelierTuneParams *atelier_tune_params_new                  (void);

void               atelier_tune_params_add_image            (AtelierTuneParams   *self,
                                                             GFile               *file);
void               atelier_tune_params_add_image_url        (AtelierTuneParams   *self,
                                                             const char          *url);
void               atelier_tune_params_clear_images         (AtelierTuneParams   *self);
GPtrArray         *atelier_tune_params_get_images           (AtelierTuneParams   *self); /* (element-type GFile) */
const char * const *atelier_tune_params_get_image_urls      (AtelierTuneParams   *self); /* never NULL */

void               atelier_tune_params_set_characteristic   (AtelierTuneParams   *self,
                                                             const char          *key,
                                                             const char          *value); /* NULL removes */
GHashTable        *atelier_tune_params_get_characteristics  (AtelierTuneParams   *self);

void               atelier_tune_params_add_prompt           (AtelierTuneParams   *self,
                                                             AtelierPromptParams *prompt);
GPtrArray         *atelier_tune_params_get_prompts          (AtelierTuneParams   *self);

/* tune[prompt_attributes][callback] for POST /p/:id/tunes. */
void               atelier_tune_params_set_pack_prompt_callback (AtelierTuneParams *self,
                                                             const char          *callback);

/* POST /tunes as form fields, in this order: the parameters in table
 * order (tune[title], tune[name], …; not prompts_callback, which is for
 * packs), tune[images][] files, tune[image_urls][],
 * tune[characteristics][key] by key, tune[prompts_attributes][N][field].
 * (element-type AtelierFormField) */
GPtrArray         *atelier_tune_params_to_form              (AtelierTuneParams   *self);
/* The same for POST /p/:id/tunes: of the parameters only those that call
 * documents (title, name, callback, prompts_callback), and
 * tune[prompt_attributes][callback] instead of prompts_attributes. */
GPtrArray         *atelier_tune_params_to_pack_form         (AtelierTuneParams   *self);
/* {"tune": {...}} for a JSON body: every set parameter, "image_urls",
 * "characteristics", "prompts_attributes" and "prompt_attributes" when not
 * empty (image URLs only; files are left out). */
JsonNode          *atelier_tune_params_to_json              (AtelierTuneParams   *self);

/* The one rule for unique tune titles, both ways:
 * "Jane headshots" → "Jane headshots - 3f6c…" (a fresh UUID), and back:
 * only a trailing " - " + valid UUID is cut ("Before - After - 3f6c…" →
 * "Before - After"); any other title comes back whole. */
char              *atelier_tune_title_with_uuid             (const char          *readable);
char              *atelier_tune_title_without_uuid          (const char          *title);

G_END_DECLS
