/* atelier-base-models.c: the gallery base models Atelier knows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-base-models.h"

/* The names are the documents' own spelling. */
static const AtelierBaseModel base_models[] = {
  /* 05-flux-api.md: "Hard coded tune id of Flux1.dev from the gallery" */
  { ATELIER_FLUX_TUNE_ID, "Flux1.dev", "flux1" },
  /* 0-tune/1-create.md, base_tune_id: "e.g: 690204 - Realistic Vision
   * v5.1"; its tunes answer with "branch": "sd15" (FaceID page). */
  { ATELIER_RV51_TUNE_ID, "Realistic Vision v5.1", "sd15" },
  /* 20-sdxl-api.md: "666678 as a hard-coded tune_id of SDXL 1.0 from the
   * gallery" */
  { ATELIER_SDXL_TUNE_ID, "SDXL 1.0", "sdxl1" },
};

G_STATIC_ASSERT (G_N_ELEMENTS (base_models) == ATELIER_N_BASE_MODELS);

const AtelierBaseModel *
atelier_base_models_get_all (guint *n_models)
{
  g_return_val_if_fail (n_models != NULL, NULL);

  *n_models = G_N_ELEMENTS (base_models);
  return base_models;
}

const AtelierBaseModel *
atelier_base_model_lookup (gint64 tune_id)
{
  for (guint i = 0; i < G_N_ELEMENTS (base_models); i++)
    if (base_models[i].tune_id == tune_id)
      return &base_models[i];

  return NULL;
}

const AtelierBaseModel *
atelier_base_model_for_branch (const char *branch)
{
  /* One base model per family: the first of the table is the default. */
  for (guint i = 0; branch != NULL && i < G_N_ELEMENTS (base_models); i++)
    if (g_str_equal (base_models[i].branch, branch))
      return &base_models[i];

  return NULL;
}

const char *
atelier_base_model_name (gint64 tune_id)
{
  const AtelierBaseModel *model = atelier_base_model_lookup (tune_id);

  return model != NULL ? model->name : NULL;
}
