/* test-prompt-route.c: where prompts go, and the base models
 *
 * One case per row of the table in atelier-prompt-route.c (model type ×
 * branch × base), written out here again so that a changed row shows.
 * Pure functions of the api library: no display, no GTK.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atelier-base-models.h"
#include "atelier-prompt-route.h"

#define TUNE  7001
#define BASE  555     /* a tune of the account, not a gallery model */

enum { NONE, LORA, FACEID };

typedef struct
{
  const char *model_type;
  const char *branch;
  gint64      base;
  gint64      expect_tune;
  int         expect_tag;
  const char *expect_branch;
} Case;

static void
check_case (const Case *c)
{
  AtelierPromptTarget target;

  g_test_message ("%s × %s × base %" G_GINT64_FORMAT,
                  c->model_type != NULL ? c->model_type : "checkpoint", c->branch, c->base);

  atelier_prompt_route (c->model_type, c->branch, TUNE, c->base, &target);

  g_assert_cmpint (target.tune_id, ==, c->expect_tune);
  if (c->expect_tag == NONE)
    {
      g_assert_cmpint (target.tag_tune_id, ==, 0);
    }
  else
    {
      g_assert_cmpint (target.tag_tune_id, ==, TUNE);
      g_assert_cmpint (target.tag_kind, ==, c->expect_tag == FACEID ? ATELIER_PROMPT_TAG_FACEID
                                                                    : ATELIER_PROMPT_TAG_LORA);
    }
  g_assert_cmpstr (target.branch, ==, c->expect_branch);
  g_assert_true (target.flux == (g_strcmp0 (c->expect_branch, "flux1") == 0));
}

static void
check_cases (const Case *cases,
             guint       n_cases)
{
  for (guint i = 0; i < n_cases; i++)
    check_case (&cases[i]);
}

static void
test_checkpoint (void)
{
  static const Case cases[] = {
    { NULL, "sd15", 0, TUNE, NONE, "sd15" },
    { NULL, "sd15", BASE, TUNE, NONE, "sd15" },
    /* SDXL1 ignores model_type: pti, on SDXL 1.0 or the base. */
    { NULL, "sdxl1", 0, ATELIER_SDXL_TUNE_ID, LORA, "sdxl1" },
    { NULL, "sdxl1", BASE, BASE, LORA, "sdxl1" },
    /* Flux is trained as a LoRA. */
    { NULL, "flux1", 0, ATELIER_FLUX_TUNE_ID, LORA, "flux1" },
    { NULL, "flux1", BASE, BASE, LORA, "flux1" },
    /* The mock answers its own prompts. */
    { NULL, "fast", 0, TUNE, NONE, NULL },
    { NULL, "fast", BASE, TUNE, NONE, NULL },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_lora (void)
{
  static const Case cases[] = {
    /* Not Flux: sd15's gallery base. */
    { "lora", "sd15", 0, ATELIER_RV51_TUNE_ID, LORA, "sd15" },
    { "lora", "sd15", BASE, BASE, LORA, "sd15" },
    { "lora", "sdxl1", 0, ATELIER_SDXL_TUNE_ID, LORA, "sdxl1" },
    { "lora", "sdxl1", BASE, BASE, LORA, "sdxl1" },
    { "lora", "flux1", 0, ATELIER_FLUX_TUNE_ID, LORA, "flux1" },
    { "lora", "flux1", BASE, BASE, LORA, "flux1" },
    { "lora", "fast", 0, ATELIER_RV51_TUNE_ID, LORA, "sd15" },
    { "lora", "fast", BASE, BASE, LORA, NULL },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_pti (void)
{
  static const Case cases[] = {
    { "pti", "sd15", 0, ATELIER_RV51_TUNE_ID, LORA, "sd15" },
    { "pti", "sd15", BASE, BASE, LORA, "sd15" },
    /* The SDXL page's 422: "change the request URL to /tunes/666678/prompts". */
    { "pti", "sdxl1", 0, ATELIER_SDXL_TUNE_ID, LORA, "sdxl1" },
    { "pti", "sdxl1", BASE, BASE, LORA, "sdxl1" },
    { "pti", "flux1", 0, ATELIER_FLUX_TUNE_ID, LORA, "flux1" },
    { "pti", "flux1", BASE, BASE, LORA, "flux1" },
    { "pti", "fast", 0, ATELIER_RV51_TUNE_ID, LORA, "sd15" },
    { "pti", "fast", BASE, BASE, LORA, NULL },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_faceid (void)
{
  static const Case cases[] = {
    { "faceid", "sd15", 0, ATELIER_RV51_TUNE_ID, FACEID, "sd15" },
    { "faceid", "sd15", BASE, BASE, FACEID, "sd15" },
    { "faceid", "sdxl1", 0, ATELIER_RV51_TUNE_ID, FACEID, "sd15" },
    { "faceid", "sdxl1", BASE, BASE, FACEID, "sdxl1" },
    { "faceid", "flux1", 0, ATELIER_RV51_TUNE_ID, FACEID, "sd15" },
    { "faceid", "flux1", BASE, BASE, FACEID, "flux1" },
    { "faceid", "fast", 0, ATELIER_RV51_TUNE_ID, FACEID, "sd15" },
    { "faceid", "fast", BASE, BASE, FACEID, NULL },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

/* What is not in the table: other spellings, missing branches, gallery
 * bases. */
static void
test_defaults (void)
{
  static const Case cases[] = {
    /* "checkpoint" and unknown types are checkpoints. */
    { "checkpoint", "sd15", 0, TUNE, NONE, "sd15" },
    { "", "sd15", 0, TUNE, NONE, "sd15" },
    { "dora", "sd15", 0, TUNE, NONE, "sd15" },
    /* No or an unknown branch: the base's, else sd15 (create page). */
    { "lora", NULL, 0, ATELIER_RV51_TUNE_ID, LORA, "sd15" },
    { "lora", "", BASE, BASE, LORA, "sd15" },
    { "lora", "sd21", ATELIER_FLUX_TUNE_ID, ATELIER_FLUX_TUNE_ID, LORA, "flux1" },
    { NULL, NULL, 0, TUNE, NONE, "sd15" },
    { NULL, NULL, ATELIER_SDXL_TUNE_ID, ATELIER_SDXL_TUNE_ID, LORA, "sdxl1" },
    /* A fast tune on a gallery base runs in its family: the editor's
     * default fast LoRA on Flux1.dev, the FaceID page's example. */
    { "lora", "fast", ATELIER_FLUX_TUNE_ID, ATELIER_FLUX_TUNE_ID, LORA, "flux1" },
    { "faceid", "fast", ATELIER_RV51_TUNE_ID, ATELIER_RV51_TUNE_ID, FACEID, "sd15" },
    { NULL, "fast", ATELIER_FLUX_TUNE_ID, TUNE, NONE, "flux1" },
    /* A FaceID on Flux1.dev runs there: the base is its default. */
    { "faceid", "flux1", ATELIER_FLUX_TUNE_ID, ATELIER_FLUX_TUNE_ID, FACEID, "flux1" },
  };
  AtelierPromptTarget target;

  check_cases (cases, G_N_ELEMENTS (cases));

  /* A gallery base model takes its own prompts, whatever it says. */
  atelier_prompt_route (NULL, "flux1", ATELIER_FLUX_TUNE_ID, 0, &target);
  g_assert_cmpint (target.tune_id, ==, ATELIER_FLUX_TUNE_ID);
  g_assert_cmpint (target.tag_tune_id, ==, 0);
  g_assert_true (target.flux);
  atelier_prompt_route ("lora", NULL, ATELIER_SDXL_TUNE_ID, 0, &target);
  g_assert_cmpint (target.tune_id, ==, ATELIER_SDXL_TUNE_ID);
  g_assert_cmpint (target.tag_tune_id, ==, 0);
  g_assert_cmpstr (target.branch, ==, "sdxl1");

  /* Known only by id. */
  atelier_prompt_target_for_tune_id (ATELIER_RV51_TUNE_ID, &target);
  g_assert_cmpint (target.tune_id, ==, ATELIER_RV51_TUNE_ID);
  g_assert_cmpint (target.tag_tune_id, ==, 0);
  g_assert_cmpstr (target.branch, ==, "sd15");
  g_assert_false (target.flux);
  atelier_prompt_target_for_tune_id (12345, &target);
  g_assert_cmpint (target.tune_id, ==, 12345);
  g_assert_null (target.branch);
  g_assert_false (target.flux);
}

static AtelierTune *
make_tune (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GError) error = NULL;
  AtelierTune *tune = atelier_tune_new_from_json (node, &error);

  g_assert_no_error (error);
  return tune;
}

/* The tune object's members feed the table. */
static void
test_tunes (void)
{
  g_autoptr(AtelierTune) checkpoint = make_tune ("{\"id\": 10, \"branch\": \"sd15\"}");
  g_autoptr(AtelierTune) flux = make_tune ("{\"id\": 11, \"model_type\": \"lora\", \"branch\": \"flux1\"}");
  g_autoptr(AtelierTune) sdxl = make_tune ("{\"id\": 12, \"model_type\": \"pti\", \"branch\": \"sdxl1\"}");
  g_autoptr(AtelierTune) based = make_tune ("{\"id\": 13, \"model_type\": \"lora\", \"base_tune_id\": 555}");
  g_autoptr(AtelierTune) faceid = make_tune ("{\"id\": 14, \"model_type\": \"faceid\", \"branch\": null}");
  AtelierPromptTarget target;

  atelier_prompt_target_for_tune (checkpoint, &target);
  g_assert_cmpint (target.tune_id, ==, 10);
  g_assert_cmpint (target.tag_tune_id, ==, 0);
  g_assert_false (target.flux);

  atelier_prompt_target_for_tune (flux, &target);
  g_assert_cmpint (target.tune_id, ==, ATELIER_FLUX_TUNE_ID);
  g_assert_cmpint (target.tag_tune_id, ==, 11);
  g_assert_cmpint (target.tag_kind, ==, ATELIER_PROMPT_TAG_LORA);
  g_assert_true (target.flux);

  atelier_prompt_target_for_tune (sdxl, &target);
  g_assert_cmpint (target.tune_id, ==, ATELIER_SDXL_TUNE_ID);
  g_assert_cmpint (target.tag_tune_id, ==, 12);
  g_assert_false (target.flux);

  atelier_prompt_target_for_tune (based, &target);
  g_assert_cmpint (target.tune_id, ==, 555);
  g_assert_cmpint (target.tag_tune_id, ==, 13);

  atelier_prompt_target_for_tune (faceid, &target);
  g_assert_cmpint (target.tune_id, ==, ATELIER_RV51_TUNE_ID);
  g_assert_cmpint (target.tag_tune_id, ==, 14);
  g_assert_cmpint (target.tag_kind, ==, ATELIER_PROMPT_TAG_FACEID);
}

static guint
n_problems (const AtelierPromptTarget *target,
            const char                *text)
{
  g_auto(GStrv) problems = atelier_prompt_target_text_problems (target, text);

  return g_strv_length (problems);
}

/* 20-sdxl-api.md: "With SDXL you cannot combine multiple LoRAs." */
static void
test_sdxl_one_lora (void)
{
  AtelierPromptTarget sdxl_tune, sdxl_base, flux_tune, faceid_on_sdxl;
  g_auto(GStrv) problems = NULL;

  atelier_prompt_route ("lora", "sdxl1", TUNE, 0, &sdxl_tune);
  atelier_prompt_target_for_tune_id (ATELIER_SDXL_TUNE_ID, &sdxl_base);
  atelier_prompt_route ("lora", "flux1", TUNE, 0, &flux_tune);
  atelier_prompt_route ("faceid", "sd15", TUNE, ATELIER_SDXL_TUNE_ID, &faceid_on_sdxl);
  g_assert_cmpstr (faceid_on_sdxl.branch, ==, "sdxl1");

  /* The tune's own tag, written or added at Generate: one LoRA. */
  g_assert_cmpuint (n_problems (&sdxl_tune, "<lora:7001:1> ohwx man"), ==, 0);
  g_assert_cmpuint (n_problems (&sdxl_tune, "ohwx man"), ==, 0);
  g_assert_cmpuint (n_problems (&sdxl_tune, "<lora:7001:0.5> ohwx man <lora:7001:1>"), ==, 0);
  g_assert_cmpuint (n_problems (&sdxl_tune, NULL), ==, 0);

  /* Another LoRA besides the tune's, even when the editor adds the tune's. */
  problems = atelier_prompt_target_text_problems (&sdxl_tune, "<lora:7001:1> ohwx man <lora:42:0.8>");
  g_assert_cmpuint (g_strv_length (problems), ==, 1);
  g_assert_nonnull (strstr (problems[0], "SDXL loads one LoRA per prompt"));
  g_assert_nonnull (strstr (problems[0], "loads 2 (tunes 7001, 42)"));
  g_assert_cmpuint (n_problems (&sdxl_tune, "ohwx man <lora:42:0.8>"), ==, 1);

  /* On SDXL 1.0 itself, no tag is added: two written LoRAs are too many. */
  g_assert_cmpuint (n_problems (&sdxl_base, "<lora:1:1> a man"), ==, 0);
  g_assert_cmpuint (n_problems (&sdxl_base, "<lora:1:1> <lora:2:1> a man"), ==, 1);
  /* Invalid tags are the notes' business; a FaceID tag is no LoRA. */
  g_assert_cmpuint (n_problems (&sdxl_base, "<lora:1:1> <lora:x:1> a man"), ==, 0);
  g_assert_cmpuint (n_problems (&faceid_on_sdxl, "<faceid:7001:1> <lora:1:1> a man"), ==, 0);
  g_assert_cmpuint (n_problems (&faceid_on_sdxl, "<lora:1:1> <lora:2:1> a man"), ==, 1);

  /* Flux combines LoRAs. */
  g_assert_cmpuint (n_problems (&flux_tune, "<lora:7001:1> <lora:42:1> <lora:43:1>"), ==, 0);
}

static void
test_base_models (void)
{
  const AtelierBaseModel *models;
  guint n_models = 0;

  /* The tune editor's order. */
  models = atelier_base_models_get_all (&n_models);
  g_assert_cmpuint (n_models, ==, 3);
  g_assert_cmpint (models[0].tune_id, ==, 1504944);
  g_assert_cmpstr (models[0].name, ==, "Flux1.dev");
  g_assert_cmpstr (models[0].branch, ==, "flux1");
  g_assert_cmpint (models[1].tune_id, ==, 690204);
  g_assert_cmpstr (models[1].name, ==, "Realistic Vision v5.1");
  g_assert_cmpstr (models[1].branch, ==, "sd15");
  g_assert_cmpint (models[2].tune_id, ==, 666678);
  g_assert_cmpstr (models[2].name, ==, "SDXL 1.0");
  g_assert_cmpstr (models[2].branch, ==, "sdxl1");

  g_assert_true (atelier_base_model_lookup (666678) == &models[2]);
  g_assert_null (atelier_base_model_lookup (555));
  g_assert_null (atelier_base_model_lookup (0));

  g_assert_true (atelier_base_model_for_branch ("flux1") == &models[0]);
  g_assert_true (atelier_base_model_for_branch ("sd15") == &models[1]);
  g_assert_true (atelier_base_model_for_branch ("sdxl1") == &models[2]);
  g_assert_null (atelier_base_model_for_branch ("fast"));
  g_assert_null (atelier_base_model_for_branch (NULL));

  g_assert_cmpstr (atelier_base_model_name (1504944), ==, "Flux1.dev");
  g_assert_null (atelier_base_model_name (555));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/prompt-route/checkpoint", test_checkpoint);
  g_test_add_func ("/prompt-route/lora", test_lora);
  g_test_add_func ("/prompt-route/pti", test_pti);
  g_test_add_func ("/prompt-route/faceid", test_faceid);
  g_test_add_func ("/prompt-route/defaults", test_defaults);
  g_test_add_func ("/prompt-route/tunes", test_tunes);
  g_test_add_func ("/prompt-route/sdxl-one-lora", test_sdxl_one_lora);
  g_test_add_func ("/base-models/table", test_base_models);

  return g_test_run ();
}
