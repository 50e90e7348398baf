/* fuzz-json.c: the guarded parser and the four models
 *
 * Any input goes through _atelier_json_parse(); whatever it accepts is
 * read as a tune, a prompt, a pack and an inspection, as a list of each,
 * and element by element, with every getter called.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-common.h"

#include <stdint.h>

#include "atelier-inspection.h"
#include "atelier-json-private.h"
#include "atelier-pack.h"
#include "atelier-prompt.h"
#include "atelier-prompt-params.h"
#include "atelier-tune.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static GDateTime *now;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  /* A critical is a bug too. */
  fuzz_init (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  now = g_date_time_new_utc (2024, 5, 10, 12, 0, 0);

  return 0;
}

static void
exercise_tune (JsonNode *node)
{
  g_autoptr(AtelierTune) tune = atelier_tune_new_from_json (node, NULL);
  g_auto(GStrv) keys = NULL;
  g_autofree char *title = NULL;

  if (tune == NULL)
    return;

  keys = atelier_tune_dup_characteristic_keys (tune);
  for (guint i = 0; keys[i] != NULL; i++)
    g_assert_nonnull (atelier_tune_get_characteristic (tune, keys[i]));
  g_assert_nonnull (atelier_tune_get_orig_images (tune));
  atelier_tune_get_state (tune, now);
  atelier_tune_get_state (tune, NULL);
  g_object_get (tune, "title", &title, NULL);
}

static void
exercise_prompt (JsonNode *node)
{
  g_autoptr(AtelierPrompt) prompt = atelier_prompt_new_from_json (node, NULL);
  g_autoptr(AtelierPromptParams) params = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GPtrArray) form = NULL;

  if (prompt == NULL)
    return;

  g_assert_cmpuint (atelier_prompt_get_n_images (prompt), ==,
                    g_strv_length ((GStrv) atelier_prompt_get_images (prompt)));
  if (atelier_prompt_get_state (prompt) == ATELIER_PROMPT_STATE_FAILED)
    g_assert_nonnull (atelier_prompt_get_user_error (prompt));

  params = atelier_prompt_params_new_from_prompt (prompt);
  errors = atelier_params_validate_all (ATELIER_PARAMS (params));
  form = atelier_params_to_form (ATELIER_PARAMS (params), "prompt");
}

static void
exercise_pack (JsonNode *node)
{
  g_autoptr(AtelierPack) pack = atelier_pack_new_from_json (node, NULL);
  g_auto(GStrv) classes = NULL;

  if (pack == NULL)
    return;

  classes = atelier_pack_dup_cost_classes (pack);
  for (guint i = 0; classes[i] != NULL; i++)
    {
      g_autofree char *cost = atelier_format_cost_mc (atelier_pack_get_cost_mc (pack, classes[i]));

      g_assert_nonnull (cost);
    }
}

static AtelierInspection *
exercise_inspection (JsonNode *node)
{
  g_autoptr(AtelierInspection) inspection = atelier_inspection_new_from_json (node, NULL);
  g_auto(GStrv) keys = NULL;
  AtelierInspectionWarnings warnings;

  if (inspection == NULL)
    return NULL;

  keys = atelier_inspection_dup_attribute_keys (inspection);
  for (guint i = 0; keys[i] != NULL; i++)
    g_assert_nonnull (atelier_inspection_get_attribute (inspection, keys[i]));

  warnings = atelier_inspection_get_warnings (inspection, "man");
  for (guint bit = 1; bit <= ATELIER_INSPECTION_WARNING_LAST; bit <<= 1)
    {
      if (warnings & bit)
        g_assert_nonnull (atelier_inspection_warning_describe (bit));
    }

  return g_steal_pointer (&inspection);
}

static void
exercise (JsonNode *node)
{
  g_autoptr(AtelierInspection) inspection = NULL;

  exercise_tune (node);
  exercise_prompt (node);
  exercise_pack (node);
  inspection = exercise_inspection (node);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  JsonArray *array;

  _atelier_json_nesting_depth ((const char *) data, size, ATELIER_JSON_MAX_DEPTH);

  node = _atelier_json_parse ((const char *) data, size, NULL);
  if (node == NULL)
    return 0;

  text = _atelier_json_to_string (node, FALSE);
  exercise (node);

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      g_autoptr(GPtrArray) tunes = atelier_tune_list_from_json (node, NULL);
      g_autoptr(GPtrArray) prompts = atelier_prompt_list_from_json (node, NULL);
      g_autoptr(GPtrArray) packs = atelier_pack_list_from_json (node, NULL);
      g_autoptr(GPtrArray) inspections = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GHashTable) aggregated = NULL;

      g_assert_nonnull (tunes);
      g_assert_nonnull (prompts);
      g_assert_nonnull (packs);

      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          AtelierInspection *inspection;

          exercise (element);
          inspection = atelier_inspection_new_from_json (element, NULL);
          if (inspection != NULL)
            g_ptr_array_add (inspections, inspection);
        }

      aggregated = atelier_inspection_aggregate (inspections);
    }

  return 0;
}
