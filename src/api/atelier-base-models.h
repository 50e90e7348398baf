/* atelier-base-models.h: the gallery base models Atelier knows
 *
 * Astria's gallery tunes that the documents name as bases: tunes are
 * trained on top of them (base_tune_id) and LoRA, PTI and FaceID prompts
 * run on them (NOTES.md; atelier-prompt-route.h decides which). The one
 * table of their ids, names and families.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Flux API page: "the tune_id of Flux1.dev from the gallery". */
#define ATELIER_FLUX_TUNE_ID  1504944
/* Create a tune (base_tune_id) and FaceID pages: Realistic Vision v5.1. */
#define ATELIER_RV51_TUNE_ID  690204
/* SDXL API page: "the tune_id of SDXL 1.0 from the gallery". */
#define ATELIER_SDXL_TUNE_ID  666678

/* How many atelier_base_models_get_all() gives, for static checks of
 * choices that list them in its order. */
#define ATELIER_N_BASE_MODELS 3

typedef struct
{
  gint64      tune_id;
  const char *name;     /* "Flux1.dev": a product name, not translated */
  const char *branch;   /* the family: "flux1", "sd15" or "sdxl1" */
} AtelierBaseModel;

/* Every base model, in the order the tune editor offers them (Flux1.dev,
 * Realistic Vision v5.1, SDXL 1.0); a tune can be trained on each, and
 * each takes prompts. (array length=n_models) */
const AtelierBaseModel *atelier_base_models_get_all   (guint       *n_models);
/* The base model with @tune_id, or NULL when it is not one. */
const AtelierBaseModel *atelier_base_model_lookup     (gint64       tune_id);
/* The base model a family's adapters run on when their tune names none:
 * Flux1.dev for "flux1", SDXL 1.0 for "sdxl1", Realistic Vision v5.1 for
 * "sd15"; NULL for "fast" and unknown branches. */
const AtelierBaseModel *atelier_base_model_for_branch (const char  *branch);
/* The name of a base model ("Flux1.dev"), or NULL. */
const char             *atelier_base_model_name       (gint64       tune_id);

G_END_DECLS
