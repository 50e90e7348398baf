/* atelier-prompt-route.c: which tune a prompt for a tune goes to
 *
 * Documents cited in the table (/work/shared/reference, NOTES.md):
 *   [create]   docs/api/0-tune/1-create.md and astria-tune-create-latest.txt:
 *              branch "will default to the base_tune branch if not
 *              specified, or to sd15"; model_type "For SDXL1 - API will
 *              default to pti and will ignore model_type"; base_tune_id
 *              "e.g: 690204 - Realistic Vision v5.1" (an sd15 checkpoint).
 *   [prompt]   docs/api/1-prompt/1-create.md: a checkpoint is prompted at
 *              POST /tunes/:id/prompts with its token ("ohwx man").
 *   [flux]     docs/api/05-flux-api.md: "Unlike SD15 checkpoint training,
 *              Flux is trained as a LoRA model type. As such, inference is
 *              taking place on a base model such as Flux1.dev" (1504944)
 *              with <lora:ID:1>.
 *   [sdxl]     docs/api/20-sdxl-api.md: SDXL is trained as a LoRA+text
 *              embedding (pti), inference on SDXL 1.0 (666678) "or any
 *              SDXL model from the gallery" with <lora:ID:weight>; prompting
 *              the tune answers 422 "model_type=pti is not supported. Use a
 *              checkpoint instead".
 *   [faceid]   astria-faceid.mdx, astria-faceid-page.txt: an adapter "loaded
 *              on top of a base model", prompts on Realistic Vision v5.1
 *              (690204) with <faceid:ID:1> (NOTES.md: the :1 is fixed);
 *              "Base-model is only used as a default for UI generation";
 *              422 "model_type=faceid is not supported" → 690204. Its
 *              examples create the tune with branch=fast and still prompt
 *              690204.
 *              "With SDXL you cannot combine multiple LoRAs"
 *              (atelier_prompt_target_text_problems()).
 *   [overview] docs/api/0-overview.md, Mock testing: a fast tune is free
 *              "and subsequent prompt calls will return mock images":
 *              fast stands in for a real tune, so it is prompted the way
 *              that tune would be.
 *
 * A LoRA or PTI is an adapter like FaceID: it is never prompted itself
 * ([sdxl] 422) but loaded into a checkpoint of its family. A fast tune has
 * no family of its own: with a base it follows the base; without one it
 * is what the create page defaults to, an sd15 tune.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-prompt-route.h"

typedef enum
{
  TO_SELF,     /* the tune itself */
  TO_BASE,     /* the tune's base_tune_id */
  TO_GALLERY,  /* a gallery base model, .gallery_id */
} Destination;

typedef enum
{
  NO_TAG,
  LORA_TAG,
  FACEID_TAG,
} Tag;

typedef struct
{
  const char  *model_type;  /* NULL: checkpoint */
  const char  *branch;
  gboolean     has_base;
  Destination  to;
  gint64       gallery_id;
  Tag          tag;
} Route;

#define SELF          TO_SELF, 0
#define BASE          TO_BASE, 0
#define GALLERY(id)   TO_GALLERY, id

#define FLUX1_DEV     ATELIER_FLUX_TUNE_ID
#define RV51          ATELIER_RV51_TUNE_ID
#define SDXL1         ATELIER_SDXL_TUNE_ID

static const Route routes[] = {
  /* model type, branch, has a base: where the prompt goes, which tag */

  /* Checkpoints */
  /* [prompt] a checkpoint is prompted as it is */
  { NULL,     "sd15",  FALSE, SELF,                NO_TAG },
  /* [create] base_tune_id: trained on top of it, still a checkpoint */
  { NULL,     "sd15",  TRUE,  SELF,                NO_TAG },
  /* [create] SDXL1 ignores model_type and trains pti; [sdxl] 666678 */
  { NULL,     "sdxl1", FALSE, GALLERY (SDXL1),     LORA_TAG },
  /* [create] pti; [sdxl] "any SDXL model from the gallery" */
  { NULL,     "sdxl1", TRUE,  BASE,                LORA_TAG },
  /* [flux] "Flux is trained as a LoRA model type"; 1504944 */
  { NULL,     "flux1", FALSE, GALLERY (FLUX1_DEV), LORA_TAG },
  /* [flux] inference on "a base model such as Flux1.dev" */
  { NULL,     "flux1", TRUE,  BASE,                LORA_TAG },
  /* [overview] prompts on the mock return mock images */
  { NULL,     "fast",  FALSE, SELF,                NO_TAG },
  /* [overview]; [create] a checkpoint on top of its base */
  { NULL,     "fast",  TRUE,  SELF,                NO_TAG },

  /* LoRA */
  /* [create] sd15's base is 690204; [flux] a LoRA runs on a base of its family */
  { "lora",   "sd15",  FALSE, GALLERY (RV51),      LORA_TAG },
  /* [create], [flux] inference on the base model */
  { "lora",   "sd15",  TRUE,  BASE,                LORA_TAG },
  /* [create] trained as pti; [sdxl] 666678 */
  { "lora",   "sdxl1", FALSE, GALLERY (SDXL1),     LORA_TAG },
  /* [sdxl] "any SDXL model from the gallery" */
  { "lora",   "sdxl1", TRUE,  BASE,                LORA_TAG },
  /* [flux] 1504944 with <lora:ID:1> */
  { "lora",   "flux1", FALSE, GALLERY (FLUX1_DEV), LORA_TAG },
  /* [flux] inference on "a base model such as Flux1.dev" */
  { "lora",   "flux1", TRUE,  BASE,                LORA_TAG },
  /* [overview] as the sd15 LoRA it stands in for ([create] default branch) */
  { "lora",   "fast",  FALSE, GALLERY (RV51),      LORA_TAG },
  /* [overview]; [faceid] its fast example prompts the base */
  { "lora",   "fast",  TRUE,  BASE,                LORA_TAG },

  /* PTI (LoRA + text embedding) */
  /* [sdxl] pti is no checkpoint; [create] sd15's base is 690204 */
  { "pti",    "sd15",  FALSE, GALLERY (RV51),      LORA_TAG },
  /* [sdxl] 422 "Use a checkpoint instead" */
  { "pti",    "sd15",  TRUE,  BASE,                LORA_TAG },
  /* [sdxl] 422: "change the request URL to /tunes/666678/prompts" */
  { "pti",    "sdxl1", FALSE, GALLERY (SDXL1),     LORA_TAG },
  /* [sdxl] "any SDXL model from the gallery" */
  { "pti",    "sdxl1", TRUE,  BASE,                LORA_TAG },
  /* [flux] Flux adapters run on Flux1.dev */
  { "pti",    "flux1", FALSE, GALLERY (FLUX1_DEV), LORA_TAG },
  /* [flux] inference on "a base model such as Flux1.dev" */
  { "pti",    "flux1", TRUE,  BASE,                LORA_TAG },
  /* [overview] as the sd15 pti it stands in for ([create] default branch) */
  { "pti",    "fast",  FALSE, GALLERY (RV51),      LORA_TAG },
  /* [overview]; [faceid] its fast example prompts the base */
  { "pti",    "fast",  TRUE,  BASE,                LORA_TAG },

  /* FaceID: any branch; the base, when given, is its model */
  /* [faceid] 690204 with <faceid:ID:1> */
  { "faceid", "sd15",  FALSE, GALLERY (RV51),      FACEID_TAG },
  /* [faceid] "Base-model is only used as a default for UI generation" */
  { "faceid", "sd15",  TRUE,  BASE,                FACEID_TAG },
  /* [faceid] 422 "model_type=faceid is not supported" → 690204 */
  { "faceid", "sdxl1", FALSE, GALLERY (RV51),      FACEID_TAG },
  /* [faceid] the base is the default for generation */
  { "faceid", "sdxl1", TRUE,  BASE,                FACEID_TAG },
  /* [faceid] 422 "model_type=faceid is not supported" → 690204 */
  { "faceid", "flux1", FALSE, GALLERY (RV51),      FACEID_TAG },
  /* [faceid] the base is the default for generation */
  { "faceid", "flux1", TRUE,  BASE,                FACEID_TAG },
  /* [faceid] its example: branch=fast, prompts on 690204 */
  { "faceid", "fast",  FALSE, GALLERY (RV51),      FACEID_TAG },
  /* [faceid] its example: branch=fast, base_tune_id=690204 */
  { "faceid", "fast",  TRUE,  BASE,                FACEID_TAG },
};

static const char * const model_types[] = { "lora", "pti", "faceid", NULL };
static const char * const branches[] = { "sd15", "sdxl1", "flux1", "fast", NULL };

/* @value as the list's own (static) string, or NULL when not in it. */
static const char *
find_known (const char * const *list,
            const char         *value)
{
  for (guint i = 0; value != NULL && list[i] != NULL; i++)
    if (g_str_equal (list[i], value))
      return list[i];

  return NULL;
}

static const Route *
find_route (const char *model_type,
            const char *branch,
            gboolean    has_base)
{
  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    if (g_strcmp0 (routes[i].model_type, model_type) == 0 &&
        g_str_equal (routes[i].branch, branch) &&
        routes[i].has_base == has_base)
      return &routes[i];

  g_return_val_if_reached (&routes[0]);
}

/* The family a prompt on @tune_id runs on: the gallery model's, else the
 * tune's branch, else (fast) its base's. */
static const char *
family_of (gint64      tune_id,
           const char *branch,
           gint64      base_tune_id)
{
  const AtelierBaseModel *model = atelier_base_model_lookup (tune_id);

  if (model == NULL && !g_str_equal (branch, "fast"))
    return branch;
  if (model == NULL)
    model = atelier_base_model_lookup (base_tune_id);

  return model != NULL ? model->branch : NULL;
}

void
atelier_prompt_route (const char          *model_type,
                      const char          *branch,
                      gint64               tune_id,
                      gint64               base_tune_id,
                      AtelierPromptTarget *target)
{
  const AtelierBaseModel *base = atelier_base_model_lookup (base_tune_id);
  const Route *route;

  g_return_if_fail (target != NULL);

  /* A gallery base model is a checkpoint of its own family. */
  if (atelier_base_model_lookup (tune_id) != NULL)
    {
      atelier_prompt_target_for_tune_id (tune_id, target);
      return;
    }

  /* [create]: no or another model type is a checkpoint; no branch is the
   * base's, else sd15. */
  model_type = find_known (model_types, model_type);
  branch = find_known (branches, branch);
  if (branch == NULL)
    branch = base != NULL ? base->branch : "sd15";

  route = find_route (model_type, branch, base_tune_id > 0);

  *target = (AtelierPromptTarget) { .tune_id = tune_id };
  if (route->to == TO_BASE)
    target->tune_id = base_tune_id;
  else if (route->to == TO_GALLERY)
    target->tune_id = route->gallery_id;

  if (route->tag != NO_TAG)
    {
      target->tag_tune_id = tune_id;
      target->tag_kind = route->tag == FACEID_TAG ? ATELIER_PROMPT_TAG_FACEID : ATELIER_PROMPT_TAG_LORA;
    }

  target->branch = family_of (target->tune_id, branch, base_tune_id);
  target->flux = g_strcmp0 (target->branch, "flux1") == 0;
}

void
atelier_prompt_target_for_tune (AtelierTune         *tune,
                                AtelierPromptTarget *target)
{
  g_return_if_fail (ATELIER_IS_TUNE (tune));

  atelier_prompt_route (atelier_tune_get_model_type (tune),
                        atelier_tune_get_branch (tune),
                        atelier_tune_get_id (tune),
                        atelier_tune_get_base_tune_id (tune),
                        target);
}

void
atelier_prompt_target_for_tune_id (gint64               tune_id,
                                   AtelierPromptTarget *target)
{
  const AtelierBaseModel *model = atelier_base_model_lookup (tune_id);

  g_return_if_fail (target != NULL);

  *target = (AtelierPromptTarget) {
    .tune_id = tune_id,
    .branch = model != NULL ? model->branch : NULL,
  };
  target->flux = g_strcmp0 (target->branch, "flux1") == 0;
}

GStrv
atelier_prompt_target_text_problems (const AtelierPromptTarget *target,
                                     const char                *text)
{
  g_return_val_if_fail (target != NULL, NULL);

  /* [sdxl] "With SDXL you cannot combine multiple LoRAs": the family's
   * rule, with the tag the editor puts in at Generate. */
  return atelier_prompt_tags_problems (text, target->branch,
                                       target->tag_kind == ATELIER_PROMPT_TAG_LORA ? target->tag_tune_id : 0);
}
