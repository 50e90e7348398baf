/* test-models.c: tunes, prompts, packs and inspections from JSON
 *
 * The first examples are the response examples of the Astria API docs,
 * copied as they are (the pack list example has "//" comments, which are
 * not JSON: the copy without them is parsed, the original is refused).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atelier-api-error.h"
#include "atelier-inspection.h"
#include "atelier-json-private.h"
#include "atelier-pack.h"
#include "atelier-prompt.h"
#include "atelier-tune.h"

/* {{{ Docs examples */

#define MOCK "\"https://sdbooth2-production.s3.amazonaws.com/mock\""

/* POST /tunes, "Response" */
static const char *docs_tune_create =
  "{\n"
  "  \"id\": 1,\n"
  "  \"title\": \"John Doe - UUID - 1234-6789-1234-56789\",\n"
  "  \"name\": \"woman\",\n"
  "  \"token\": \"ohwx\",\n"
  "  \"base_tune_id\": null,\n"
  "  \"args\": null,\n"
  "  \"steps\": null,\n"
  "  \"face_crop\": null,\n"
  "  \"training_face_correct\": false,\n"
  "  \"ckpt_url\": " MOCK ",\n"
  "  \"ckpt_urls\": [\n"
  "    " MOCK "\n"
  "  ],\n"
  "  \"eta\": \"2023-10-02T14:32:40.363Z\",\n"
  "  \"trained_at\": \"2023-10-02T14:32:40.363Z\",\n"
  "  \"started_training_at\": \"2023-10-02T14:32:05.229Z\",\n"
  "  \"expires_at\": \"2023-11-01T14:32:40.363Z\",\n"
  "  \"created_at\": \"2023-10-02T14:32:05.067Z\",\n"
  "  \"branch\": \"sdxl1\",\n"
  "  \"model_type\": \"lora\",\n"
  "  \"updated_at\": \"2023-10-02T14:32:40.363Z\",\n"
  "  \"url\": \"https://www.astria.ai/tunes/788416.json\",\n"
  "  \"orig_images\": [\n"
  "    " MOCK ",\n    " MOCK ",\n    " MOCK ",\n    " MOCK ",\n    " MOCK ",\n"
  "    " MOCK ",\n    " MOCK ",\n    " MOCK ",\n    " MOCK ",\n    " MOCK "\n"
  "  ]\n"
  "}\n";

/* GET /tunes, "Response" */
static const char *docs_tune_list =
  "\n"
  "[\n"
  "  {\n"
  "    \"id\": 1,\n"
  "    \"title\": \"John Doe\",\n"
  "    \"name\": \"woman\",\n"
  "    \"token\": \"ohwx\",\n"
  "    \"base_tune_id\": null,\n"
  "    \"args\": null,\n"
  "    \"steps\": null,\n"
  "    \"face_crop\": null,\n"
  "    \"ckpt_url\": " MOCK ",\n"
  "    \"ckpt_urls\": [\n"
  "      " MOCK "\n"
  "    ],\n"
  "    \"trained_at\": \"2023-10-02T14:32:40.363Z\",\n"
  "    \"started_training_at\": \"2023-10-02T14:32:05.229Z\",\n"
  "    \"expires_at\": \"2023-11-01T14:32:40.363Z\",\n"
  "    \"created_at\": \"2023-10-02T14:32:05.067Z\",\n"
  "    \"branch\": \"sdxl1\",\n"
  "    \"model_type\": \"lora\",\n"
  "    \"updated_at\": \"2023-10-02T14:32:40.363Z\",\n"
  "    \"url\": \"https://www.astria.ai/tunes/788416.json\",\n"
  "    \"orig_images\": [\n"
  "      " MOCK ",\n      " MOCK ",\n      " MOCK ",\n      " MOCK ",\n      " MOCK ",\n"
  "      " MOCK ",\n      " MOCK ",\n      " MOCK ",\n      " MOCK ",\n      " MOCK "\n"
  "    ]\n"
  "  },\n"
  "  {\n"
  "    \"id\": 775459,\n"
  "    \"title\": \"Marry Jane\",\n"
  "    \"name\": null,\n"
  "    \"is_api\": false,\n"
  "    \"token\": \"ohwx\",\n"
  "    \"base_tune_id\": null,\n"
  "    \"args\": null,\n"
  "    \"steps\": null,\n"
  "    \"face_crop\": null,\n"
  "    \"ckpt_url\": " MOCK ",\n"
  "    \"ckpt_urls\": [\n"
  "      " MOCK "\n"
  "    ],\n"
  "    \"trained_at\": \"2023-09-23T16:07:49.137Z\",\n"
  "    \"started_training_at\": \"2023-09-23T16:07:37.334Z\",\n"
  "    \"expires_at\": \"2023-10-23T16:07:49.137Z\",\n"
  "    \"created_at\": \"2023-09-23T16:07:36.606Z\",\n"
  "    \"branch\": \"sdxl1\",\n"
  "    \"model_type\": \"lora\",\n"
  "    \"updated_at\": \"2023-09-23T16:07:49.138Z\",\n"
  "    \"url\": \"https://www.astria.ai/tunes/775459.json\",\n"
  "    \"orig_images\": [\n"
  "      " MOCK ",\n      " MOCK ",\n      " MOCK ",\n      " MOCK ",\n      " MOCK ",\n"
  "      " MOCK ",\n      " MOCK ",\n      " MOCK ",\n      " MOCK "\n"
  "    ]\n"
  "  }\n"
  " ]\n";

/* POST /tunes/:id/prompts, "Response" */
static const char *docs_prompt_create =
  "{\n"
  "  \"id\": 1,\n"
  "  \"callback\": \"https://optional-callback-url.com/to-your-service-when-ready?prompt_id=1\",\n"
  "  \"text\": \"a painting of ohwx man in the style of Van Gogh\",\n"
  "  \"negative_prompt\": \"old, blemish, wrinkles, mole\",\n"
  "  \"cfg_scale\": null,\n"
  "  \"steps\": null,\n"
  "  \"seed\": null,\n"
  "  \"trained_at\": null,\n"
  "  \"started_training_at\": null,\n"
  "  \"created_at\": \"2022-10-06T16:12:54.505Z\",\n"
  "  \"updated_at\": \"2022-10-06T16:12:54.505Z\",\n"
  "  \"tune_id\": 1,\n"
  "  \"url\": \"http://api.astria.ai/tunes/1/prompts/1.json\"\n"
  "}\n";

/* GET /tunes/:id/prompts, "Response" */
static const char *docs_prompt_list =
  "\n"
  "[\n"
  "  {\n"
  "    \"id\": 1,\n"
  "    \"callback\": \"https://optional-callback-url.com/to-your-service-when-ready?user_id=your_internal_user_id&transaction_id=internal_transaction_id\",\n"
  "    \"text\": \"a painting of ohwx man in the style of Van Gogh\",\n"
  "    \"negative_prompt\": \"old, blemish, wrinkles, mole\",\n"
  "    \"cfg_scale\": null,\n"
  "    \"steps\": null,\n"
  "    \"seed\": null,\n"
  "    \"trained_at\": null,\n"
  "    \"started_training_at\": null,\n"
  "    \"created_at\": \"2022-10-06T16:12:54.505Z\",\n"
  "    \"updated_at\": \"2022-10-06T16:12:54.505Z\",\n"
  "    \"tune_id\": 1,\n"
  "    \"url\": \"http://api.astria.ai/tunes/1/prompts/1.json\"\n"
  "  }\n"
  " ]\n";

/* GET /packs, "Response", as printed (with comments) */
static const char *docs_pack_list_commented =
  "\n"
  "[\n"
  "  {\n"
  "    \"id\": 5,\n"
  "    \"base_tune_id\": 1,\n"
  "    \"user_id\": 1,\n"
  "    \"slug\": \"test-rv5-1-pack\",\n"
  "    \"title\": \"test rv5.1 pack\",\n"
  "    \"token\": \"ohwx\",\n"
  "    \"created_at\": \"2024-01-17T12:35:13.379Z\",\n"
  "    \"updated_at\": \"2024-04-04T12:14:52.094Z\",\n"
  "    \"multiplier\": 10,\n"
  "    \"model_type\": null,\n"
  "    \"public_at\": null,\n"
  "    \"cost_mc_hash\": {\n"
  "      \"man\": 200000, // cost in milli-cents - $20 USD\n"
  "      \"woman\": 100000 // cost in milli-cents - $10 USD\n"
  "    }\n"
  "  }\n"
  "]\n";

/* The same without the comments. */
static const char *docs_pack_list =
  "\n"
  "[\n"
  "  {\n"
  "    \"id\": 5,\n"
  "    \"base_tune_id\": 1,\n"
  "    \"user_id\": 1,\n"
  "    \"slug\": \"test-rv5-1-pack\",\n"
  "    \"title\": \"test rv5.1 pack\",\n"
  "    \"token\": \"ohwx\",\n"
  "    \"created_at\": \"2024-01-17T12:35:13.379Z\",\n"
  "    \"updated_at\": \"2024-04-04T12:14:52.094Z\",\n"
  "    \"multiplier\": 10,\n"
  "    \"model_type\": null,\n"
  "    \"public_at\": null,\n"
  "    \"cost_mc_hash\": {\n"
  "      \"man\": 200000,\n"
  "      \"woman\": 100000\n"
  "    }\n"
  "  }\n"
  "]\n";

/* POST /images/inspect, "Response" */
static const char *docs_inspect =
  "{\n"
  "  \"age\": \"20 yo\",\n"
  "  \"blurry\": false,\n"
  "  \"ethnicity\": \"caucasian\",\n"
  "  \"eye_color\": \"brown eyes\",\n"
  "  \"facial_hair\": \"\",\n"
  "  \"full_body_image_or_longshot\": false,\n"
  "  \"funny_face\": false,\n"
  "  \"glasses\": \"\",\n"
  "  \"hair_color\": \"brunette\",\n"
  "  \"hair_length\": \"medium hair\",\n"
  "  \"hair_style\": \"wavy hair\",\n"
  "  \"includes_multiple_people\": false,\n"
  "  \"is_bald\": \"\",\n"
  "  \"name\": \"woman\",\n"
  "  \"selfie\": true,\n"
  "  \"wearing_hat\": false,\n"
  "  \"wearing_sunglasses\": false\n"
  "}\n";

/* }}} */
/* {{{ Helpers */

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = _atelier_json_parse (json, strlen (json), &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);

  return node;
}

static GDateTime *
utc (const char *iso8601)
{
  GDateTime *dt = g_date_time_new_from_iso8601 (iso8601, NULL);

  g_assert_nonnull (dt);
  return dt;
}

static void
assert_date (GDateTime  *dt,
             const char *iso8601)
{
  g_autoptr(GDateTime) expected = utc (iso8601);

  g_assert_nonnull (dt);
  g_assert_true (g_date_time_equal (dt, expected));
}

typedef gpointer (*NewFromJson) (JsonNode *node, GError **error);

/* The model @new_from_json makes of @json, which it must accept. */
static gpointer
model_from (NewFromJson  new_from_json,
            const char  *json)
{
  g_autoptr(JsonNode) node = parse (json);
  g_autoptr(GError) error = NULL;
  gpointer model = new_from_json (node, &error);

  g_assert_no_error (error);
  g_assert_true (G_IS_OBJECT (model));

  return model;
}

#define tune_from(json) ((AtelierTune *) model_from ((NewFromJson) atelier_tune_new_from_json, json))
#define prompt_from(json) ((AtelierPrompt *) model_from ((NewFromJson) atelier_prompt_new_from_json, json))
#define pack_from(json) ((AtelierPack *) model_from ((NewFromJson) atelier_pack_new_from_json, json))
#define inspection_from(json) \
  ((AtelierInspection *) model_from ((NewFromJson) atelier_inspection_new_from_json, json))

/* Every model refuses @json with PARSE. */
static void
assert_refused (NewFromJson  new_from_json,
                const char  *json)
{
  g_autoptr(JsonNode) node = parse (json);
  g_autoptr(GError) error = NULL;
  gpointer object;

  g_test_message ("refusing %s", json);
  object = new_from_json (node, &error);
  g_assert_null (object);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_PARSE);
}

/* }}} */
/* {{{ Docs examples */

static void
test_docs_tune_create (void)
{
  g_autoptr(AtelierTune) tune = tune_from (docs_tune_create);
  g_autoptr(GDateTime) before = utc ("2023-10-15T00:00:00Z");
  g_autoptr(GDateTime) soon = utc ("2023-10-30T00:00:00Z");
  g_autoptr(GDateTime) after = utc ("2023-11-02T00:00:00Z");
  g_auto(GStrv) keys = atelier_tune_dup_characteristic_keys (tune);
  g_autoptr(JsonNode) original = parse (docs_tune_create);
  const char * const *images;

  g_assert_cmpint (atelier_tune_get_id (tune), ==, 1);
  g_assert_cmpstr (atelier_tune_get_title (tune), ==, "John Doe - UUID - 1234-6789-1234-56789");
  g_assert_cmpstr (atelier_tune_get_name (tune), ==, "woman");
  g_assert_cmpstr (atelier_tune_get_token (tune), ==, "ohwx");
  g_assert_cmpstr (atelier_tune_get_branch (tune), ==, "sdxl1");
  g_assert_cmpstr (atelier_tune_get_model_type (tune), ==, "lora");
  g_assert_cmpstr (atelier_tune_get_url (tune), ==, "https://www.astria.ai/tunes/788416.json");
  g_assert_cmpint (atelier_tune_get_base_tune_id (tune), ==, 0);
  g_assert_cmpint (atelier_tune_get_steps (tune), ==, -1);
  g_assert_cmpint (atelier_tune_get_face_crop (tune), ==, -1);
  g_assert_cmpint (atelier_tune_get_training_face_correct (tune), ==, 0);
  assert_date (atelier_tune_get_eta (tune), "2023-10-02T14:32:40.363Z");
  assert_date (atelier_tune_get_trained_at (tune), "2023-10-02T14:32:40.363Z");
  assert_date (atelier_tune_get_started_training_at (tune), "2023-10-02T14:32:05.229Z");
  assert_date (atelier_tune_get_expires_at (tune), "2023-11-01T14:32:40.363Z");
  assert_date (atelier_tune_get_created_at (tune), "2023-10-02T14:32:05.067Z");
  assert_date (atelier_tune_get_updated_at (tune), "2023-10-02T14:32:40.363Z");

  images = atelier_tune_get_orig_images (tune);
  g_assert_cmpuint (g_strv_length ((GStrv) images), ==, 10);
  g_assert_cmpstr (images[0], ==, "https://sdbooth2-production.s3.amazonaws.com/mock");
  g_assert_cmpuint (g_strv_length (keys), ==, 0);

  g_assert_true (atelier_tune_is_trained (tune));
  g_assert_cmpint (atelier_tune_get_state (tune, before), ==, ATELIER_TUNE_STATE_READY);
  g_assert_cmpint (atelier_tune_get_state (tune, soon), ==, ATELIER_TUNE_STATE_EXPIRING);
  g_assert_cmpint (atelier_tune_get_state (tune, after), ==, ATELIER_TUNE_STATE_EXPIRED);
  /* The example expired long ago. */
  g_assert_cmpint (atelier_tune_get_state (tune, NULL), ==, ATELIER_TUNE_STATE_EXPIRED);

  g_assert_true (json_node_equal (atelier_tune_get_json (tune), original));

  g_assert_finalize_object (g_steal_pointer (&tune));
}

static void
test_docs_tune_list (void)
{
  g_autoptr(JsonNode) node = parse (docs_tune_list);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tunes = atelier_tune_list_from_json (node, &error);
  AtelierTune *second;

  g_assert_no_error (error);
  g_assert_cmpuint (tunes->len, ==, 2);
  g_assert_cmpint (atelier_tune_get_id (g_ptr_array_index (tunes, 0)), ==, 1);
  g_assert_cmpstr (atelier_tune_get_title (g_ptr_array_index (tunes, 0)), ==, "John Doe");
  g_assert_cmpstr (atelier_tune_get_name (g_ptr_array_index (tunes, 0)), ==, "woman");
  /* No eta in the list. */
  g_assert_null (atelier_tune_get_eta (g_ptr_array_index (tunes, 0)));

  second = g_ptr_array_index (tunes, 1);
  g_assert_cmpint (atelier_tune_get_id (second), ==, 775459);
  g_assert_cmpstr (atelier_tune_get_title (second), ==, "Marry Jane");
  g_assert_null (atelier_tune_get_name (second));
  g_assert_cmpint (atelier_tune_get_training_face_correct (second), ==, -1);
  g_assert_cmpuint (g_strv_length ((GStrv) atelier_tune_get_orig_images (second)), ==, 9);
  assert_date (atelier_tune_get_expires_at (second), "2023-10-23T16:07:49.137Z");
}

static void
test_docs_prompt_create (void)
{
  g_autoptr(AtelierPrompt) prompt = prompt_from (docs_prompt_create);

  g_assert_cmpint (atelier_prompt_get_id (prompt), ==, 1);
  g_assert_cmpint (atelier_prompt_get_tune_id (prompt), ==, 1);
  g_assert_cmpint (atelier_prompt_get_orig_prompt_id (prompt), ==, 0);
  g_assert_cmpstr (atelier_prompt_get_text (prompt), ==, "a painting of ohwx man in the style of Van Gogh");
  g_assert_cmpstr (atelier_prompt_get_negative_prompt (prompt), ==, "old, blemish, wrinkles, mole");
  g_assert_cmpstr (atelier_prompt_get_callback (prompt), ==,
                   "https://optional-callback-url.com/to-your-service-when-ready?prompt_id=1");
  g_assert_cmpstr (atelier_prompt_get_url (prompt), ==, "http://api.astria.ai/tunes/1/prompts/1.json");
  g_assert_cmpint (atelier_prompt_get_seed (prompt), ==, -1);
  g_assert_cmpfloat (atelier_prompt_get_cfg_scale (prompt), ==, -1);
  g_assert_cmpint (atelier_prompt_get_steps (prompt), ==, -1);
  g_assert_cmpint (atelier_prompt_get_num_images (prompt), ==, -1);
  g_assert_cmpint (atelier_prompt_get_width (prompt), ==, 0);
  g_assert_cmpint (atelier_prompt_get_height (prompt), ==, 0);
  assert_date (atelier_prompt_get_created_at (prompt), "2022-10-06T16:12:54.505Z");
  assert_date (atelier_prompt_get_updated_at (prompt), "2022-10-06T16:12:54.505Z");
  g_assert_nonnull (atelier_prompt_get_images (prompt));
  g_assert_cmpuint (atelier_prompt_get_n_images (prompt), ==, 0);
  g_assert_null (atelier_prompt_get_user_error (prompt));
  g_assert_cmpint (atelier_prompt_get_state (prompt), ==, ATELIER_PROMPT_STATE_PENDING);

  g_assert_finalize_object (g_steal_pointer (&prompt));
}

static void
test_docs_prompt_list (void)
{
  g_autoptr(JsonNode) node = parse (docs_prompt_list);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) prompts = atelier_prompt_list_from_json (node, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (prompts->len, ==, 1);
  g_assert_cmpint (atelier_prompt_get_id (g_ptr_array_index (prompts, 0)), ==, 1);
  g_assert_cmpstr (atelier_prompt_get_callback (g_ptr_array_index (prompts, 0)), ==,
                   "https://optional-callback-url.com/to-your-service-when-ready"
                   "?user_id=your_internal_user_id&transaction_id=internal_transaction_id");
}

static void
test_docs_pack_list (void)
{
  g_autoptr(JsonNode) node = parse (docs_pack_list);
  g_autoptr(JsonNode) commented = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) packs = atelier_pack_list_from_json (node, &error);
  g_auto(GStrv) classes = NULL;
  g_autofree char *man = NULL;
  g_autofree char *woman = NULL;
  const char *expected_classes[] = { "man", "woman", NULL };
  AtelierPack *pack;

  g_assert_no_error (error);
  g_assert_cmpuint (packs->len, ==, 1);
  pack = g_ptr_array_index (packs, 0);

  g_assert_cmpint (atelier_pack_get_id (pack), ==, 5);
  g_assert_cmpint (atelier_pack_get_base_tune_id (pack), ==, 1);
  g_assert_cmpint (atelier_pack_get_user_id (pack), ==, 1);
  g_assert_cmpstr (atelier_pack_get_slug (pack), ==, "test-rv5-1-pack");
  g_assert_cmpstr (atelier_pack_get_title (pack), ==, "test rv5.1 pack");
  g_assert_cmpstr (atelier_pack_get_token (pack), ==, "ohwx");
  g_assert_null (atelier_pack_get_model_type (pack));
  g_assert_cmpfloat (atelier_pack_get_multiplier (pack), ==, 10);
  assert_date (atelier_pack_get_created_at (pack), "2024-01-17T12:35:13.379Z");
  assert_date (atelier_pack_get_updated_at (pack), "2024-04-04T12:14:52.094Z");
  g_assert_null (atelier_pack_get_public_at (pack));

  classes = atelier_pack_dup_cost_classes (pack);
  g_assert_cmpstrv (classes, expected_classes);
  g_assert_cmpint (atelier_pack_get_cost_mc (pack, "man"), ==, 200000);
  g_assert_cmpint (atelier_pack_get_cost_mc (pack, "woman"), ==, 100000);
  g_assert_cmpint (atelier_pack_get_cost_mc (pack, "dog"), ==, -1);

  /* Not "$20" as the docs' comment says (NOTES.md). */
  man = atelier_format_cost_mc (atelier_pack_get_cost_mc (pack, "man"));
  woman = atelier_format_cost_mc (atelier_pack_get_cost_mc (pack, "woman"));
  g_assert_cmpstr (man, ==, "$2.00");
  g_assert_cmpstr (woman, ==, "$1.00");

  /* The printed example is not JSON. */
  commented = _atelier_json_parse (docs_pack_list_commented, strlen (docs_pack_list_commented), &error);
  g_assert_null (commented);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_PARSE);
}

static void
test_docs_inspect (void)
{
  g_autoptr(AtelierInspection) inspection = inspection_from (docs_inspect);
  g_auto(GStrv) keys = atelier_inspection_dup_attribute_keys (inspection);
  const char *expected_keys[] = {
    "age", "ethnicity", "eye_color", "hair_color", "hair_length", "hair_style", NULL
  };

  g_assert_cmpstr (atelier_inspection_get_name (inspection), ==, "woman");
  g_assert_cmpstr (atelier_inspection_get_attribute (inspection, "age"), ==, "20 yo");
  g_assert_cmpstr (atelier_inspection_get_attribute (inspection, "eye_color"), ==, "brown eyes");
  g_assert_cmpstr (atelier_inspection_get_attribute (inspection, "name"), ==, "woman");
  /* "" is absent */
  g_assert_null (atelier_inspection_get_attribute (inspection, "facial_hair"));
  g_assert_null (atelier_inspection_get_attribute (inspection, "glasses"));
  g_assert_null (atelier_inspection_get_attribute (inspection, "is_bald"));
  g_assert_null (atelier_inspection_get_attribute (inspection, "missing"));
  /* Flags are not attributes */
  g_assert_null (atelier_inspection_get_attribute (inspection, "selfie"));
  g_assert_cmpstrv (keys, expected_keys);

  g_assert_true (atelier_inspection_get_flag (inspection, "selfie"));
  g_assert_false (atelier_inspection_get_flag (inspection, "blurry"));
  g_assert_false (atelier_inspection_get_flag (inspection, "age"));
  g_assert_false (atelier_inspection_get_flag (inspection, "missing"));

  g_assert_cmpint (atelier_inspection_get_warnings (inspection, "woman"), ==,
                   ATELIER_INSPECTION_WARNING_SELFIE);
  g_assert_cmpint (atelier_inspection_get_warnings (inspection, "WOMAN"), ==,
                   ATELIER_INSPECTION_WARNING_SELFIE);
  g_assert_cmpint (atelier_inspection_get_warnings (inspection, "man"), ==,
                   ATELIER_INSPECTION_WARNING_OTHER_CLASS | ATELIER_INSPECTION_WARNING_SELFIE);
  g_assert_cmpint (atelier_inspection_get_warnings (inspection, NULL), ==,
                   ATELIER_INSPECTION_WARNING_SELFIE);

  g_assert_finalize_object (g_steal_pointer (&inspection));
}

/* }}} */
/* {{{ Edge cases */

static void
test_tune_nulls (void)
{
  g_autoptr(AtelierTune) tune = tune_from (
    "{\"id\": 3, \"title\": null, \"name\": null, \"token\": null, \"branch\": null,"
    " \"model_type\": null, \"url\": null, \"base_tune_id\": null, \"steps\": null,"
    " \"face_crop\": null, \"training_face_correct\": null, \"created_at\": null,"
    " \"updated_at\": null, \"started_training_at\": null, \"trained_at\": null,"
    " \"eta\": null, \"expires_at\": null, \"orig_images\": null,"
    " \"characteristics\": null}");
  g_auto(GStrv) keys = atelier_tune_dup_characteristic_keys (tune);

  g_assert_cmpint (atelier_tune_get_id (tune), ==, 3);
  g_assert_null (atelier_tune_get_title (tune));
  g_assert_null (atelier_tune_get_name (tune));
  g_assert_null (atelier_tune_get_token (tune));
  g_assert_null (atelier_tune_get_branch (tune));
  g_assert_null (atelier_tune_get_model_type (tune));
  g_assert_null (atelier_tune_get_url (tune));
  g_assert_cmpint (atelier_tune_get_base_tune_id (tune), ==, 0);
  g_assert_cmpint (atelier_tune_get_steps (tune), ==, -1);
  g_assert_cmpint (atelier_tune_get_face_crop (tune), ==, -1);
  g_assert_cmpint (atelier_tune_get_training_face_correct (tune), ==, -1);
  g_assert_null (atelier_tune_get_created_at (tune));
  g_assert_null (atelier_tune_get_updated_at (tune));
  g_assert_null (atelier_tune_get_started_training_at (tune));
  g_assert_null (atelier_tune_get_trained_at (tune));
  g_assert_null (atelier_tune_get_eta (tune));
  g_assert_null (atelier_tune_get_expires_at (tune));
  g_assert_nonnull (atelier_tune_get_orig_images (tune));
  g_assert_null (atelier_tune_get_orig_images (tune)[0]);
  g_assert_nonnull (keys);
  g_assert_null (keys[0]);
  g_assert_null (atelier_tune_get_characteristic (tune, "eye_color"));
  g_assert_false (atelier_tune_is_trained (tune));
  g_assert_cmpint (atelier_tune_get_state (tune, NULL), ==, ATELIER_TUNE_STATE_TRAINING);
}

static void
test_tune_wrong_types (void)
{
  g_autoptr(AtelierTune) tune = tune_from (
    "{\"id\": \"12\", \"title\": 5, \"name\": [\"man\"], \"token\": {\"a\": 1},"
    " \"base_tune_id\": \"690204\", \"steps\": \"100\", \"face_crop\": \"true\","
    " \"training_face_correct\": 1, \"orig_images\": {\"a\": \"b\"},"
    " \"trained_at\": 12345, \"expires_at\": \"soon\", \"eta\": true,"
    " \"characteristics\": {\"eye_color\": \"blue eyes\", \"age\": 30, \"hair\": null},"
    " \"unknown\": {\"deep\": [1, 2, {\"x\": null}]}, \"is_api\": false}");
  g_auto(GStrv) keys = atelier_tune_dup_characteristic_keys (tune);
  const char *expected_keys[] = { "eye_color", NULL };

  g_assert_cmpint (atelier_tune_get_id (tune), ==, 12);
  g_assert_null (atelier_tune_get_title (tune));
  g_assert_null (atelier_tune_get_name (tune));
  g_assert_null (atelier_tune_get_token (tune));
  g_assert_cmpint (atelier_tune_get_base_tune_id (tune), ==, 690204);
  g_assert_cmpint (atelier_tune_get_steps (tune), ==, 100);
  g_assert_cmpint (atelier_tune_get_face_crop (tune), ==, 1);
  g_assert_cmpint (atelier_tune_get_training_face_correct (tune), ==, 1);
  g_assert_null (atelier_tune_get_orig_images (tune)[0]);
  g_assert_null (atelier_tune_get_trained_at (tune));
  g_assert_null (atelier_tune_get_expires_at (tune));
  g_assert_null (atelier_tune_get_eta (tune));
  g_assert_cmpstrv (keys, expected_keys);
  g_assert_cmpstr (atelier_tune_get_characteristic (tune, "eye_color"), ==, "blue eyes");
  g_assert_null (atelier_tune_get_characteristic (tune, "age"));
}

static void
test_tune_characteristics (void)
{
  g_autoptr(AtelierTune) tune = tune_from (
    "{\"id\": 4, \"characteristics\": {\"hair_color\": \"blonde\", \"eye_color\": \"blue eyes\"}}");
  g_auto(GStrv) keys = atelier_tune_dup_characteristic_keys (tune);
  const char *expected_keys[] = { "eye_color", "hair_color", NULL };

  g_assert_cmpstrv (keys, expected_keys);
  g_assert_cmpstr (atelier_tune_get_characteristic (tune, "hair_color"), ==, "blonde");
}

static void
test_tune_states (void)
{
  g_autoptr(GDateTime) now = utc ("2024-05-10T12:00:00Z");
  g_autoptr(AtelierTune) training = tune_from (
    "{\"id\": 1, \"trained_at\": null, \"eta\": \"2024-05-10T12:30:00Z\"}");
  g_autoptr(AtelierTune) ready = tune_from (
    "{\"id\": 2, \"trained_at\": \"2024-05-01T00:00:00Z\", \"expires_at\": \"2024-05-31T00:00:00Z\"}");
  g_autoptr(AtelierTune) no_expiry = tune_from (
    "{\"id\": 3, \"trained_at\": \"2024-05-01T00:00:00Z\"}");
  g_autoptr(AtelierTune) expiring = tune_from (
    "{\"id\": 4, \"trained_at\": \"2024-04-12T00:00:00Z\", \"expires_at\": \"2024-05-13T11:00:00Z\"}");
  g_autoptr(AtelierTune) expiring_edge = tune_from (
    "{\"id\": 5, \"trained_at\": \"2024-04-12T00:00:00Z\", \"expires_at\": \"2024-05-13T12:00:00Z\"}");
  g_autoptr(AtelierTune) almost_expiring = tune_from (
    "{\"id\": 6, \"trained_at\": \"2024-04-12T00:00:00Z\", \"expires_at\": \"2024-05-13T12:00:01Z\"}");
  g_autoptr(AtelierTune) expired = tune_from (
    "{\"id\": 7, \"trained_at\": \"2024-04-01T00:00:00Z\", \"expires_at\": \"2024-05-01T00:00:00+02:00\"}");
  g_autoptr(AtelierTune) expired_untrained = tune_from (
    "{\"id\": 8, \"trained_at\": null, \"expires_at\": \"2024-05-01T00:00:00Z\"}");
  g_autoptr(AtelierTune) faceid = tune_from (
    "{\"id\": 9, \"model_type\": \"faceid\", \"trained_at\": \"2024-05-10T11:59:00Z\","
    " \"expires_at\": \"2024-06-09T11:59:00Z\"}");
  gboolean trained = TRUE;
  g_autofree char *title = NULL;

  g_assert_cmpint (atelier_tune_get_state (training, now), ==, ATELIER_TUNE_STATE_TRAINING);
  g_assert_cmpint (atelier_tune_get_state (ready, now), ==, ATELIER_TUNE_STATE_READY);
  g_assert_cmpint (atelier_tune_get_state (no_expiry, now), ==, ATELIER_TUNE_STATE_READY);
  g_assert_cmpint (atelier_tune_get_state (expiring, now), ==, ATELIER_TUNE_STATE_EXPIRING);
  g_assert_cmpint (atelier_tune_get_state (expiring_edge, now), ==, ATELIER_TUNE_STATE_EXPIRING);
  g_assert_cmpint (atelier_tune_get_state (almost_expiring, now), ==, ATELIER_TUNE_STATE_READY);
  g_assert_cmpint (atelier_tune_get_state (expired, now), ==, ATELIER_TUNE_STATE_EXPIRED);
  g_assert_cmpint (atelier_tune_get_state (expired_untrained, now), ==, ATELIER_TUNE_STATE_EXPIRED);
  g_assert_cmpint (atelier_tune_get_state (faceid, now), ==, ATELIER_TUNE_STATE_READY);

  g_object_get (training, "trained", &trained, "title", &title, NULL);
  g_assert_false (trained);
  g_assert_null (title);
}

static void
test_tune_properties (void)
{
  g_autoptr(AtelierTune) tune = tune_from (docs_tune_create);
  g_autoptr(GDateTime) expires_at = NULL;
  g_autofree char *title = NULL;
  g_autofree char *model_type = NULL;
  gint64 id = 0;
  gboolean trained = FALSE;

  g_object_get (tune,
                "id", &id,
                "title", &title,
                "model-type", &model_type,
                "trained", &trained,
                "expires-at", &expires_at,
                NULL);
  g_assert_cmpint (id, ==, 1);
  g_assert_cmpstr (title, ==, "John Doe - UUID - 1234-6789-1234-56789");
  g_assert_cmpstr (model_type, ==, "lora");
  g_assert_true (trained);
  assert_date (expires_at, "2023-11-01T14:32:40.363Z");
}

/* The property @name of @object, as g_strdup_value_contents() shows it;
 * a date as ISO 8601. */
static char *
dup_property (gpointer    object,
              const char *name)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), name);
  g_auto(GValue) value = G_VALUE_INIT;

  g_assert_nonnull (pspec);
  g_assert_true (pspec->flags & G_PARAM_READABLE);
  g_assert_false (pspec->flags & G_PARAM_WRITABLE);
  g_assert_true (pspec->flags & G_PARAM_EXPLICIT_NOTIFY);

  g_value_init (&value, pspec->value_type);
  g_object_get_property (object, name, &value);
  if (G_VALUE_HOLDS (&value, G_TYPE_DATE_TIME))
    return g_value_get_boxed (&value) != NULL
           ? g_date_time_format_iso8601 (g_value_get_boxed (&value)) : g_strdup ("NULL");

  return g_strdup_value_contents (&value);
}

static void
assert_properties (gpointer            object,
                   const char * const *names_and_values)
{
  guint n = 0;

  for (guint i = 0; names_and_values[i] != NULL; i += 2, n++)
    {
      g_autofree char *value = dup_property (object, names_and_values[i]);

      g_test_message ("%s", names_and_values[i]);
      g_assert_cmpstr (value, ==, names_and_values[i + 1]);
    }

  /* Every property is checked. */
  {
    guint n_pspecs = 0;
    g_autofree GParamSpec **pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object),
                                                                     &n_pspecs);

    g_assert_cmpuint (n_pspecs, ==, n);
  }
}

static GParamSpecInt64 *
int64_pspec (gpointer    object,
             const char *name)
{
  return G_PARAM_SPEC_INT64 (g_object_class_find_property (G_OBJECT_GET_CLASS (object), name));
}

static void
test_model_properties (void)
{
  g_autoptr(AtelierTune) tune = tune_from (
    "{\"id\": 7, \"title\": \"Jane\", \"name\": \"woman\", \"token\": \"ohwx\","
    " \"branch\": \"sd15\", \"model_type\": \"lora\", \"url\": \"https://t/7\","
    " \"base_tune_id\": -3, \"created_at\": \"2024-05-01T00:00:00Z\","
    " \"trained_at\": \"2024-05-02T00:00:00Z\", \"eta\": \"2024-05-03T00:00:00Z\"}");
  g_autoptr(AtelierPrompt) prompt = prompt_from (
    "{\"id\": 8, \"tune_id\": 7, \"text\": \"ohwx woman\", \"negative_prompt\": \"hat\","
    " \"images\": [\"https://i/1\"], \"user_error\": \"x\", \"created_at\": \"2024-05-04T00:00:00Z\"}");
  g_autoptr(AtelierPack) pack = pack_from (
    "{\"id\": 9, \"slug\": \"corporate\", \"title\": \"Corporate\", \"model_type\": \"faceid\"}");
  const char * const tune_values[] = {
    "id", "7", "title", "\"Jane\"", "name", "\"woman\"", "token", "\"ohwx\"",
    "branch", "\"sd15\"", "model-type", "\"lora\"", "url", "\"https://t/7\"",
    "base-tune-id", "-3", "trained", "TRUE",
    "created-at", "2024-05-01T00:00:00Z", "trained-at", "2024-05-02T00:00:00Z",
    "eta", "2024-05-03T00:00:00Z", "expires-at", "NULL",
    NULL
  };
  const char * const prompt_values[] = {
    "id", "8", "tune-id", "7", "text", "\"ohwx woman\"", "negative-prompt", "\"hat\"",
    "user-error", "NULL", "n-images", "1", "created-at", "2024-05-04T00:00:00Z",
    NULL
  };
  const char * const pack_values[] = {
    "id", "9", "slug", "\"corporate\"", "title", "\"Corporate\"", "model-type", "\"faceid\"",
    NULL
  };

  assert_properties (tune, tune_values);
  assert_properties (prompt, prompt_values);
  assert_properties (pack, pack_values);

  g_assert_cmpint (int64_pspec (tune, "id")->minimum, ==, 0);
  g_assert_cmpint (int64_pspec (tune, "base-tune-id")->minimum, ==, G_MININT64);
  /* Prompts made on this computer have negative ids. */
  g_assert_cmpint (int64_pspec (prompt, "id")->minimum, ==, G_MININT64);
  g_assert_cmpint (int64_pspec (prompt, "tune-id")->minimum, ==, G_MININT64);
  g_assert_cmpint (int64_pspec (pack, "id")->minimum, ==, 0);
}

static void
test_missing_id (void)
{
  static const char *no_id[] = {
    "{}",
    "{\"title\": \"x\"}",
    "{\"id\": null}",
    "{\"id\": 0}",
    "{\"id\": -4}",
    "{\"id\": \"abc\"}",
    "{\"id\": 1.5}",
    "{\"id\": true}",
    "{\"id\": [1]}",
  };
  static const char *not_object[] = { "[{\"id\": 1}]", "\"tune\"", "1", "null", "true" };
  NewFromJson with_id[] = {
    (NewFromJson) atelier_tune_new_from_json,
    (NewFromJson) atelier_prompt_new_from_json,
    (NewFromJson) atelier_pack_new_from_json,
  };

  for (guint m = 0; m < G_N_ELEMENTS (with_id); m++)
    {
      g_autoptr(GError) error = NULL;

      for (guint i = 0; i < G_N_ELEMENTS (no_id); i++)
        assert_refused (with_id[m], no_id[i]);
      for (guint i = 0; i < G_N_ELEMENTS (not_object); i++)
        assert_refused (with_id[m], not_object[i]);

      g_assert_null (with_id[m] (NULL, &error));
      g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_PARSE);
    }

  /* An inspection has no id, but must be an object. */
  for (guint i = 0; i < G_N_ELEMENTS (not_object); i++)
    assert_refused ((NewFromJson) atelier_inspection_new_from_json, not_object[i]);
}

static void
test_list_garbage (void)
{
  const char *json =
    "[{\"id\": 1}, 5, null, \"x\", {\"title\": \"no id\"}, [], {\"id\": \"2\"}, {\"id\": -1}]";
  g_autoptr(JsonNode) node = parse (json);
  g_autoptr(JsonNode) object = parse ("{\"id\": 1}");
  g_autoptr(GPtrArray) tunes = NULL;
  g_autoptr(GPtrArray) prompts = NULL;
  g_autoptr(GPtrArray) packs = NULL;
  g_autoptr(GPtrArray) refused = NULL;
  g_autoptr(GError) error = NULL;

  tunes = atelier_tune_list_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tunes->len, ==, 2);
  g_assert_cmpint (atelier_tune_get_id (g_ptr_array_index (tunes, 0)), ==, 1);
  g_assert_cmpint (atelier_tune_get_id (g_ptr_array_index (tunes, 1)), ==, 2);

  prompts = atelier_prompt_list_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (prompts->len, ==, 2);

  packs = atelier_pack_list_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (packs->len, ==, 2);

  refused = atelier_tune_list_from_json (object, &error);
  g_assert_null (refused);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_PARSE);
}

static void
test_prompt_wrong_types (void)
{
  g_autoptr(AtelierPrompt) prompt = prompt_from (
    "{\"id\": \"7\", \"tune_id\": \"1504944\", \"orig_prompt_id\": 99, \"text\": 42,"
    " \"seed\": \"1234\", \"cfg_scale\": \"7.5\", \"steps\": 30.0, \"num_images\": \"4\","
    " \"w\": \"512\", \"h\": 768, \"images\": {\"0\": \"https://x/1.jpg\"},"
    " \"user_error\": 17, \"created_at\": []}");

  g_assert_cmpint (atelier_prompt_get_id (prompt), ==, 7);
  g_assert_cmpint (atelier_prompt_get_tune_id (prompt), ==, 1504944);
  g_assert_cmpint (atelier_prompt_get_orig_prompt_id (prompt), ==, 99);
  g_assert_null (atelier_prompt_get_text (prompt));
  g_assert_cmpint (atelier_prompt_get_seed (prompt), ==, 1234);
  g_assert_cmpfloat (atelier_prompt_get_cfg_scale (prompt), ==, 7.5);
  g_assert_cmpint (atelier_prompt_get_steps (prompt), ==, 30);
  g_assert_cmpint (atelier_prompt_get_num_images (prompt), ==, 4);
  g_assert_cmpint (atelier_prompt_get_width (prompt), ==, 512);
  g_assert_cmpint (atelier_prompt_get_height (prompt), ==, 768);
  g_assert_cmpuint (atelier_prompt_get_n_images (prompt), ==, 0);
  g_assert_null (atelier_prompt_get_created_at (prompt));
  g_assert_cmpint (atelier_prompt_get_state (prompt), ==, ATELIER_PROMPT_STATE_PENDING);
}

/* Prompts made on this computer: a negative id and a string
 * "atelier_source"; anything else is the service's (or refused). */
static void
test_prompt_source (void)
{
  g_autoptr(AtelierPrompt) faceid = prompt_from (
    "{\"id\": -3, \"tune_id\": null, \"atelier_source\": \"faceid-fal\", \"text\": \"a portrait\","
    " \"seed\": 42, \"w\": 640, \"h\": 640, \"images\": [\"https://fal.media/files/x.jpg\"],"
    " \"created_at\": \"2024-05-01T10:00:00Z\","
    " \"faceid\": {\"request_id\": \"req-1\", \"face\": \"me.jpg\", \"model_type\": \"1_5-v1\","
    "              \"input\": {\"prompt\": \"a portrait\", \"num_inference_steps\": 30}}}");
  g_autoptr(AtelierPrompt) astria = prompt_from ("{\"id\": 5, \"atelier_source\": \"faceid-fal\", \"faceid\": {}}");
  g_autoptr(AtelierPrompt) plain = prompt_from ("{\"id\": 6}");
  g_autoptr(AtelierPrompt) faceid_not_object = prompt_from (
    "{\"id\": \"-4\", \"atelier_source\": \"faceid-fal\", \"faceid\": [1, 2]}");
  g_autoptr(AtelierPrompt) no_faceid = prompt_from ("{\"id\": -5, \"atelier_source\": \"other\"}");
  JsonObject *object;
  JsonNode *json;
  static const char *refused[] = {
    "{\"id\": -1}",
    "{\"id\": -1, \"atelier_source\": 7}",
    "{\"id\": -1, \"atelier_source\": null}",
    "{\"id\": -1, \"atelier_source\": \"\"}",
    "{\"id\": -1, \"atelier_source\": [\"faceid-fal\"]}",
    "{\"id\": -1, \"atelier_source\": {\"x\": 1}}",
    "{\"id\": 0, \"atelier_source\": \"faceid-fal\"}",
    "{\"atelier_source\": \"faceid-fal\"}",
  };

  g_assert_cmpint (atelier_prompt_get_id (faceid), ==, -3);
  g_assert_cmpint (atelier_prompt_get_tune_id (faceid), ==, 0);
  g_assert_cmpstr (atelier_prompt_get_source (faceid), ==, ATELIER_PROMPT_SOURCE_FACEID_FAL);
  g_assert_cmpstr (atelier_prompt_get_text (faceid), ==, "a portrait");
  g_assert_cmpint (atelier_prompt_get_seed (faceid), ==, 42);
  g_assert_cmpint (atelier_prompt_get_state (faceid), ==, ATELIER_PROMPT_STATE_DONE);
  assert_date (atelier_prompt_get_created_at (faceid), "2024-05-01T10:00:00Z");
  object = atelier_prompt_get_faceid (faceid);
  g_assert_nonnull (object);
  g_assert_cmpstr (json_object_get_string_member (object, "request_id"), ==, "req-1");
  g_assert_cmpstr (json_object_get_string_member (object, "face"), ==, "me.jpg");
  g_assert_true (json_object_has_member (object, "input"));
  /* The object as given, with its real id. */
  json = atelier_prompt_get_json (faceid);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (json), "id"), ==, -3);
  {
    gint64 id = 0;

    g_object_get (faceid, "id", &id, NULL);
    g_assert_cmpint (id, ==, -3);
  }

  /* The service's ids are positive: such a prompt is never local. */
  g_assert_null (atelier_prompt_get_source (astria));
  g_assert_null (atelier_prompt_get_faceid (astria));
  g_assert_null (atelier_prompt_get_source (plain));
  g_assert_null (atelier_prompt_get_faceid (plain));

  /* Wrong types inside are ignored. */
  g_assert_cmpint (atelier_prompt_get_id (faceid_not_object), ==, -4);
  g_assert_cmpstr (atelier_prompt_get_source (faceid_not_object), ==, "faceid-fal");
  g_assert_null (atelier_prompt_get_faceid (faceid_not_object));
  g_assert_cmpstr (atelier_prompt_get_source (no_faceid), ==, "other");
  g_assert_null (atelier_prompt_get_faceid (no_faceid));

  /* A negative id without a usable source is no prompt. */
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    assert_refused ((NewFromJson) atelier_prompt_new_from_json, refused[i]);
}

static void
test_prompt_states (void)
{
  g_autoptr(AtelierPrompt) pending = prompt_from ("{\"id\": 1, \"images\": []}");
  g_autoptr(AtelierPrompt) pending_empty_error = prompt_from (
    "{\"id\": 2, \"images\": [], \"user_error\": \"\"}");
  g_autoptr(AtelierPrompt) pending_null = prompt_from (
    "{\"id\": 3, \"images\": null, \"user_error\": null}");
  g_autoptr(AtelierPrompt) done = prompt_from (
    "{\"id\": 4, \"images\": [\"https://x/1.jpg\", 5, null, {\"url\": \"y\"}, \"https://x/2.jpg\"]}");
  g_autoptr(AtelierPrompt) failed = prompt_from (
    "{\"id\": 5, \"images\": [], \"user_error\": \"NSFW content detected\"}");
  g_autoptr(AtelierPrompt) done_with_error = prompt_from (
    "{\"id\": 6, \"images\": [\"https://x/1.jpg\"], \"user_error\": \"late\"}");
  g_autoptr(AtelierPrompt) garbage_only = prompt_from ("{\"id\": 7, \"images\": [1, false]}");
  const char *expected[] = { "https://x/1.jpg", "https://x/2.jpg", NULL };
  g_autofree char *user_error = NULL;
  guint n_images = 0;

  g_assert_cmpint (atelier_prompt_get_state (pending), ==, ATELIER_PROMPT_STATE_PENDING);
  g_assert_cmpint (atelier_prompt_get_state (pending_empty_error), ==, ATELIER_PROMPT_STATE_PENDING);
  g_assert_null (atelier_prompt_get_user_error (pending_empty_error));
  g_assert_cmpint (atelier_prompt_get_state (pending_null), ==, ATELIER_PROMPT_STATE_PENDING);

  g_assert_cmpint (atelier_prompt_get_state (done), ==, ATELIER_PROMPT_STATE_DONE);
  g_assert_cmpuint (atelier_prompt_get_n_images (done), ==, 2);
  g_assert_cmpstrv ((GStrv) atelier_prompt_get_images (done), expected);

  g_assert_cmpint (atelier_prompt_get_state (failed), ==, ATELIER_PROMPT_STATE_FAILED);
  g_assert_cmpstr (atelier_prompt_get_user_error (failed), ==, "NSFW content detected");
  g_object_get (failed, "user-error", &user_error, "n-images", &n_images, NULL);
  g_assert_cmpstr (user_error, ==, "NSFW content detected");
  g_assert_cmpuint (n_images, ==, 0);

  g_assert_cmpint (atelier_prompt_get_state (done_with_error), ==, ATELIER_PROMPT_STATE_DONE);
  g_assert_null (atelier_prompt_get_user_error (done_with_error));

  g_assert_cmpint (atelier_prompt_get_state (garbage_only), ==, ATELIER_PROMPT_STATE_PENDING);
}

static void
test_pack_wrong_types (void)
{
  g_autoptr(AtelierPack) pack = pack_from (
    "{\"id\": 9, \"title\": null, \"multiplier\": \"2.5\", \"user_id\": \"x\","
    " \"cost_mc_hash\": {\"man\": \"200000\", \"woman\": \"abc\", \"dog\": null,"
    " \"cat\": 1.5, \"boy\": -5, \"girl\": 0, \"baby\": {}}}");
  g_autoptr(AtelierPack) no_costs = pack_from ("{\"id\": 10, \"cost_mc_hash\": [200000]}");
  g_auto(GStrv) classes = atelier_pack_dup_cost_classes (pack);
  g_auto(GStrv) none = atelier_pack_dup_cost_classes (no_costs);
  const char *expected[] = { "girl", "man", NULL };

  g_assert_null (atelier_pack_get_title (pack));
  g_assert_cmpfloat (atelier_pack_get_multiplier (pack), ==, 2.5);
  g_assert_cmpint (atelier_pack_get_user_id (pack), ==, 0);
  g_assert_cmpstrv (classes, expected);
  g_assert_cmpint (atelier_pack_get_cost_mc (pack, "man"), ==, 200000);
  g_assert_cmpint (atelier_pack_get_cost_mc (pack, "girl"), ==, 0);
  g_assert_cmpint (atelier_pack_get_cost_mc (pack, "woman"), ==, -1);
  g_assert_cmpint (atelier_pack_get_cost_mc (pack, "dog"), ==, -1);
  g_assert_cmpint (atelier_pack_get_cost_mc (pack, "cat"), ==, -1);
  g_assert_cmpint (atelier_pack_get_cost_mc (pack, "boy"), ==, -1);
  g_assert_cmpint (atelier_pack_get_cost_mc (pack, "baby"), ==, -1);
  g_assert_nonnull (none);
  g_assert_null (none[0]);
  g_assert_cmpfloat (atelier_pack_get_multiplier (no_costs), ==, -1);
}

static void
test_format_cost (void)
{
  static const struct { gint64 mc; const char *text; } cases[] = {
    { 200000, "$2.00" },
    { 100000, "$1.00" },
    { 12345, "$0.12" },
    { 0, "$0.00" },
    { 499, "$0.00" },
    { 500, "$0.01" },
    { 999, "$0.01" },
    { 1000, "$0.01" },
    { 99999, "$1.00" },
    { 123456789, "$1234.57" },
    { G_MAXINT64, "$92233720368547.76" },
    { -1, "—" },
    { G_MININT64, "—" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = atelier_format_cost_mc (cases[i].mc);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* }}} */
/* {{{ Inspections */

static void
test_inspection_flags (void)
{
  static const struct { const char *key; AtelierInspectionWarnings warning; const char *text; } flags[] = {
    { "funny_face", ATELIER_INSPECTION_WARNING_FUNNY_FACE, "Funny face" },
    { "wearing_sunglasses", ATELIER_INSPECTION_WARNING_SUNGLASSES, "Sunglasses" },
    { "wearing_hat", ATELIER_INSPECTION_WARNING_HAT, "Hat" },
    { "blurry", ATELIER_INSPECTION_WARNING_BLURRY, "Blurry" },
    { "includes_multiple_people", ATELIER_INSPECTION_WARNING_MULTIPLE_PEOPLE, "Several people" },
    { "full_body_image_or_longshot", ATELIER_INSPECTION_WARNING_FULL_BODY, "Full body or long shot" },
    { "selfie", ATELIER_INSPECTION_WARNING_SELFIE, "Selfie" },
  };
  AtelierInspectionWarnings all = ATELIER_INSPECTION_WARNING_NONE;
  g_autoptr(GString) every_flag = g_string_new ("{\"name\": \"man\"");
  g_autoptr(AtelierInspection) everything = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"name\": \"man\", \"%s\": true}", flags[i].key);
      g_autofree char *json_string = g_strdup_printf ("{\"name\": \"man\", \"%s\": \"true\"}", flags[i].key);
      g_autofree char *json_false = g_strdup_printf ("{\"name\": \"man\", \"%s\": false}", flags[i].key);
      g_autoptr(AtelierInspection) inspection = inspection_from (json);
      g_autoptr(AtelierInspection) inspection_string = inspection_from (json_string);
      g_autoptr(AtelierInspection) inspection_false = inspection_from (json_false);

      g_assert_cmpint (atelier_inspection_get_warnings (inspection, "man"), ==, flags[i].warning);
      g_assert_cmpint (atelier_inspection_get_warnings (inspection_string, "man"), ==, flags[i].warning);
      g_assert_cmpint (atelier_inspection_get_warnings (inspection_false, "man"), ==,
                       ATELIER_INSPECTION_WARNING_NONE);
      g_assert_cmpstr (atelier_inspection_warning_describe (flags[i].warning), ==, flags[i].text);

      g_string_append_printf (every_flag, ", \"%s\": true", flags[i].key);
      all |= flags[i].warning;
    }

  g_string_append (every_flag, "}");
  everything = inspection_from (every_flag->str);
  g_assert_cmpint (atelier_inspection_get_warnings (everything, "man"), ==, all);
  g_assert_cmpint (atelier_inspection_get_warnings (everything, "woman"), ==,
                   all | ATELIER_INSPECTION_WARNING_OTHER_CLASS);
  g_assert_cmpint (ATELIER_INSPECTION_WARNING_LAST, ==, ATELIER_INSPECTION_WARNING_SELFIE);
}

static void
test_inspection_class (void)
{
  g_autoptr(AtelierInspection) none = inspection_from ("{\"name\": \"NONE\", \"eye_color\": \"NONE\"}");
  g_autoptr(AtelierInspection) empty = inspection_from ("{\"name\": \"\"}");
  g_autoptr(AtelierInspection) missing = inspection_from ("{\"eye_color\": \"blue eyes\"}");
  g_autoptr(AtelierInspection) null_name = inspection_from ("{\"name\": null}");
  g_autoptr(AtelierInspection) number = inspection_from ("{\"name\": 3}");
  g_autoptr(AtelierInspection) upper = inspection_from ("{\"name\": \"Man\"}");
  g_auto(GStrv) none_keys = atelier_inspection_dup_attribute_keys (none);

  g_assert_null (atelier_inspection_get_name (none));
  g_assert_null (atelier_inspection_get_attribute (none, "eye_color"));
  g_assert_null (none_keys[0]);
  g_assert_null (atelier_inspection_get_name (empty));
  g_assert_null (atelier_inspection_get_name (missing));
  g_assert_null (atelier_inspection_get_name (null_name));
  g_assert_null (atelier_inspection_get_name (number));

  g_assert_cmpint (atelier_inspection_get_warnings (none, "man"), ==, ATELIER_INSPECTION_WARNING_NO_CLASS);
  g_assert_cmpint (atelier_inspection_get_warnings (empty, "man"), ==, ATELIER_INSPECTION_WARNING_NO_CLASS);
  g_assert_cmpint (atelier_inspection_get_warnings (missing, "man"), ==, ATELIER_INSPECTION_WARNING_NO_CLASS);
  g_assert_cmpint (atelier_inspection_get_warnings (null_name, NULL), ==, ATELIER_INSPECTION_WARNING_NO_CLASS);
  g_assert_cmpint (atelier_inspection_get_warnings (upper, "man"), ==, ATELIER_INSPECTION_WARNING_NONE);
  g_assert_cmpint (atelier_inspection_get_warnings (upper, "MAN"), ==, ATELIER_INSPECTION_WARNING_NONE);
  g_assert_cmpint (atelier_inspection_get_warnings (upper, "woman"), ==, ATELIER_INSPECTION_WARNING_OTHER_CLASS);
  g_assert_cmpint (atelier_inspection_get_warnings (upper, ""), ==, ATELIER_INSPECTION_WARNING_NONE);

  g_assert_cmpstr (atelier_inspection_warning_describe (ATELIER_INSPECTION_WARNING_NO_CLASS), ==,
                   "Could not detect the class");
  g_assert_cmpstr (atelier_inspection_warning_describe (ATELIER_INSPECTION_WARNING_OTHER_CLASS), ==,
                   "Another class was detected");
  g_assert_null (atelier_inspection_warning_describe (ATELIER_INSPECTION_WARNING_NONE));
  g_assert_null (atelier_inspection_warning_describe (ATELIER_INSPECTION_WARNING_HAT |
                                                      ATELIER_INSPECTION_WARNING_BLURRY));
}

static GPtrArray *
inspections_from (const char * const *jsons)
{
  GPtrArray *inspections = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; jsons[i] != NULL; i++)
    g_ptr_array_add (inspections, inspection_from (jsons[i]));

  return inspections;
}

static void
test_inspection_aggregate (void)
{
  static const char * const jsons[] = {
    "{\"name\": \"woman\", \"eye_color\": \"blue eyes\", \"hair_color\": \"blonde\","
    " \"age\": \"\", \"glasses\": \"NONE\", \"selfie\": true}",
    "{\"name\": \"man\", \"eye_color\": \"brown eyes\", \"hair_color\": \"brunette\","
    " \"age\": \"NONE\", \"glasses\": \"NONE\"}",
    "{\"name\": \"man\", \"eye_color\": \"brown eyes\", \"age\": \"30 yo\","
    " \"ethnicity\": 5, \"glasses\": \"\"}",
    NULL
  };
  g_autoptr(GPtrArray) inspections = inspections_from (jsons);
  g_autoptr(GPtrArray) empty = g_ptr_array_new ();
  g_autoptr(GHashTable) aggregated = atelier_inspection_aggregate (inspections);
  g_autoptr(GHashTable) nothing = atelier_inspection_aggregate (empty);

  g_assert_cmpuint (g_hash_table_size (aggregated), ==, 3);
  /* The most common */
  g_assert_cmpstr (g_hash_table_lookup (aggregated, "eye_color"), ==, "brown eyes");
  /* A tie: the first seen */
  g_assert_cmpstr (g_hash_table_lookup (aggregated, "hair_color"), ==, "blonde");
  /* Absent values don't count */
  g_assert_cmpstr (g_hash_table_lookup (aggregated, "age"), ==, "30 yo");
  g_assert_false (g_hash_table_contains (aggregated, "glasses"));
  g_assert_false (g_hash_table_contains (aggregated, "ethnicity"));
  g_assert_false (g_hash_table_contains (aggregated, "name"));
  g_assert_false (g_hash_table_contains (aggregated, "selfie"));

  g_assert_cmpuint (g_hash_table_size (nothing), ==, 0);
}

static void
test_inspection_aggregate_ties (void)
{
  static const char * const jsons[] = {
    "{\"hair_style\": \"wavy hair\"}",
    "{\"hair_style\": \"curly hair\"}",
    "{\"hair_style\": \"bald\"}",
    "{\"hair_style\": \"curly hair\"}",
    "{\"hair_style\": \"wavy hair\"}",
    NULL
  };
  g_autoptr(GPtrArray) inspections = inspections_from (jsons);
  g_autoptr(GHashTable) aggregated = atelier_inspection_aggregate (inspections);

  /* wavy and curly both twice: wavy was seen first. */
  g_assert_cmpstr (g_hash_table_lookup (aggregated, "hair_style"), ==, "wavy hair");

  /* Once curly leads, it wins. */
  g_ptr_array_add (inspections, inspection_from ("{\"hair_style\": \"curly hair\"}"));
  g_clear_pointer (&aggregated, g_hash_table_unref);
  aggregated = atelier_inspection_aggregate (inspections);
  g_assert_cmpstr (g_hash_table_lookup (aggregated, "hair_style"), ==, "curly hair");
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/models/docs/tune-create", test_docs_tune_create);
  g_test_add_func ("/models/docs/tune-list", test_docs_tune_list);
  g_test_add_func ("/models/docs/prompt-create", test_docs_prompt_create);
  g_test_add_func ("/models/docs/prompt-list", test_docs_prompt_list);
  g_test_add_func ("/models/docs/pack-list", test_docs_pack_list);
  g_test_add_func ("/models/docs/inspect", test_docs_inspect);
  g_test_add_func ("/models/tune/nulls", test_tune_nulls);
  g_test_add_func ("/models/tune/wrong-types", test_tune_wrong_types);
  g_test_add_func ("/models/tune/characteristics", test_tune_characteristics);
  g_test_add_func ("/models/tune/states", test_tune_states);
  g_test_add_func ("/models/tune/properties", test_tune_properties);
  g_test_add_func ("/models/properties", test_model_properties);
  g_test_add_func ("/models/missing-id", test_missing_id);
  g_test_add_func ("/models/list-garbage", test_list_garbage);
  g_test_add_func ("/models/prompt/wrong-types", test_prompt_wrong_types);
  g_test_add_func ("/models/prompt/states", test_prompt_states);
  g_test_add_func ("/models/prompt/source", test_prompt_source);
  g_test_add_func ("/models/pack/wrong-types", test_pack_wrong_types);
  g_test_add_func ("/models/pack/format-cost", test_format_cost);
  g_test_add_func ("/models/inspection/flags", test_inspection_flags);
  g_test_add_func ("/models/inspection/class", test_inspection_class);
  g_test_add_func ("/models/inspection/aggregate", test_inspection_aggregate);
  g_test_add_func ("/models/inspection/aggregate-ties", test_inspection_aggregate_ties);

  return g_test_run ();
}
