/* atelier-tune-setup.c: the choices of a new tune and the rules between them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-base-models.h"
#include "atelier-tune-setup.h"

/* In the order of the combo rows of atelier-tune-editor.ui. */
static const char * const class_ids[] = { "man", "woman", "boy", "girl", "baby", "cat", "dog", "style", NULL };
static const char * const model_ids[] = { "lora", "faceid", "checkpoint", "pti" };
static const char * const branch_ids[] = { "flux1", "sdxl1", "sd15", "fast" };
static const char * const preset_ids[] = { NULL, "flux-lora-focus", "flux-lora-portrait", "flux-lora-fast" };
G_STATIC_ASSERT (G_N_ELEMENTS (class_ids) == ATELIER_TUNE_CLASS_OTHER + 1);
/* The editor offers the gallery base models, in the api table's order. */
G_STATIC_ASSERT (ATELIER_N_BASE_MODELS == ATELIER_TUNE_BASE_OTHER);

static const char * const *
choice_ids (AtelierTuneChoice  choice,
            guint             *n)
{
  switch (choice)
    {
    case ATELIER_TUNE_CHOICE_CLASS:
      *n = G_N_ELEMENTS (class_ids);
      return class_ids;
    case ATELIER_TUNE_CHOICE_MODEL:
      *n = G_N_ELEMENTS (model_ids);
      return model_ids;
    case ATELIER_TUNE_CHOICE_BRANCH:
      *n = G_N_ELEMENTS (branch_ids);
      return branch_ids;
    case ATELIER_TUNE_CHOICE_PRESET:
      *n = G_N_ELEMENTS (preset_ids);
      return preset_ids;
    case ATELIER_TUNE_CHOICE_BASE:   /* by tune id: atelier_tune_base_*() */
    default:
      *n = 0;
      g_return_val_if_reached (NULL);
    }
}

const char *
atelier_tune_choice_get_id (AtelierTuneChoice choice,
                            guint             index)
{
  guint n = 0;
  const char * const *ids = choice_ids (choice, &n);

  g_return_val_if_fail (index < n, NULL);
  return ids[index];
}

guint
atelier_tune_choice_find (AtelierTuneChoice  choice,
                          const char        *id,
                          guint              fallback)
{
  guint n = 0;
  const char * const *ids = choice_ids (choice, &n);

  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (ids[i], id) == 0)
      return i;

  return fallback;
}

gint64
atelier_tune_base_get_tune_id (guint base)
{
  guint n;
  const AtelierBaseModel *models = atelier_base_models_get_all (&n);

  return base < n ? models[base].tune_id : 0;
}

guint
atelier_tune_base_find (gint64 tune_id)
{
  guint n;
  const AtelierBaseModel *models = atelier_base_models_get_all (&n);
  const AtelierBaseModel *model = atelier_base_model_lookup (tune_id);

  return model != NULL ? (guint) (model - models) : ATELIER_TUNE_BASE_OTHER;
}

void
atelier_tune_setup_couple (AtelierTuneSetup  *setup,
                           AtelierTuneChoice  changed)
{
  guint model = setup->model;
  guint branch = setup->branch;
  guint base = setup->base;

  if (changed == ATELIER_TUNE_CHOICE_BASE && branch != ATELIER_TUNE_BRANCH_FAST)
    {
      if (base == ATELIER_TUNE_BASE_FLUX)
        setup->branch = ATELIER_TUNE_BRANCH_FLUX;
      else if (base == ATELIER_TUNE_BASE_RV51)
        setup->branch = ATELIER_TUNE_BRANCH_SD15;
      else if (base == ATELIER_TUNE_BASE_SDXL)
        setup->branch = ATELIER_TUNE_BRANCH_SDXL;
      if (setup->branch != branch)
        atelier_tune_setup_couple (setup, ATELIER_TUNE_CHOICE_BRANCH);
    }
  else if (changed == ATELIER_TUNE_CHOICE_BRANCH)
    {
      if (base != ATELIER_TUNE_BASE_OTHER)
        {
          if (branch == ATELIER_TUNE_BRANCH_FLUX)
            setup->base = ATELIER_TUNE_BASE_FLUX;
          else if (branch == ATELIER_TUNE_BRANCH_SDXL)
            setup->base = ATELIER_TUNE_BASE_SDXL;
          else if (branch == ATELIER_TUNE_BRANCH_SD15)
            setup->base = ATELIER_TUNE_BASE_RV51;
        }

      if (branch == ATELIER_TUNE_BRANCH_SDXL)
        setup->model = ATELIER_TUNE_MODEL_PTI;
      else if (branch == ATELIER_TUNE_BRANCH_FLUX &&
               (model == ATELIER_TUNE_MODEL_CHECKPOINT || model == ATELIER_TUNE_MODEL_PTI))
        setup->model = ATELIER_TUNE_MODEL_LORA;
      else if (branch == ATELIER_TUNE_BRANCH_SD15 && model == ATELIER_TUNE_MODEL_PTI)
        setup->model = ATELIER_TUNE_MODEL_CHECKPOINT;
    }
  else if (changed == ATELIER_TUNE_CHOICE_MODEL)
    {
      if (model == ATELIER_TUNE_MODEL_PTI && branch != ATELIER_TUNE_BRANCH_FAST)
        setup->branch = ATELIER_TUNE_BRANCH_SDXL;
      else if ((model == ATELIER_TUNE_MODEL_FACEID || model == ATELIER_TUNE_MODEL_CHECKPOINT) &&
               (branch == ATELIER_TUNE_BRANCH_FLUX || branch == ATELIER_TUNE_BRANCH_SDXL))
        setup->branch = ATELIER_TUNE_BRANCH_SD15;
      if (setup->branch != branch)
        atelier_tune_setup_couple (setup, ATELIER_TUNE_CHOICE_BRANCH);
    }
}

gboolean
atelier_tune_setup_has_preset (const AtelierTuneSetup *setup)
{
  return setup->model == ATELIER_TUNE_MODEL_LORA &&
         (setup->branch == ATELIER_TUNE_BRANCH_FLUX ||
          (setup->branch == ATELIER_TUNE_BRANCH_FAST && setup->base == ATELIER_TUNE_BASE_FLUX));
}

gboolean
atelier_tune_setup_is_trained (const AtelierTuneSetup *setup)
{
  return setup->model != ATELIER_TUNE_MODEL_FACEID;
}

const char *
atelier_tune_setup_get_model_type (const AtelierTuneSetup *setup)
{
  if (setup->branch == ATELIER_TUNE_BRANCH_SDXL)
    return "pti";
  if (setup->model == ATELIER_TUNE_MODEL_CHECKPOINT)
    return NULL;
  return atelier_tune_choice_get_id (ATELIER_TUNE_CHOICE_MODEL, setup->model);
}
