/* atelier-sandbox-store-json.c: the store's answers, in Astria's shapes
 *
 * Tunes, prompts and packs as the Astria documentation shows them: every
 * documented member, null where unset, times in ISO 8601 with
 * milliseconds, and states (trained, done, failed) computed from the clock
 * now. URLs are built from the base URL of the request being answered, so
 * that state survives a restart on another port. Lists page by
 * ATELIER_SANDBOX_PAGE_SIZE, newest first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atelier-sandbox-store-private.h"

#define MOCK_CKPT_URL      "https://sdbooth2-production.s3.amazonaws.com/mock"

/* Members */

/* Sets @name to @node, or to null when @node is NULL; takes @node. */
static void
set_member (JsonObject *object,
            const char *name,
            JsonNode   *node)
{
  json_object_set_member (object, name, node != NULL ? node : json_node_new (JSON_NODE_NULL));
}

void
_atelier_sandbox_json_set_string (JsonObject *object,
                                  const char *name,
                                  const char *value)
{
  set_member (object, name, value != NULL ? json_node_init_string (json_node_alloc (), value) : NULL);
}

void
_atelier_sandbox_json_set_object (JsonObject *object,
                                  const char *name,
                                  JsonObject *value)
{
  set_member (object, name, value != NULL ? json_node_init_object (json_node_alloc (), value) : NULL);
}

/* 0 is null. */
static void
set_nullable_int (JsonObject *object,
                  const char *name,
                  gint64      value)
{
  set_member (object, name, value != 0 ? json_node_init_int (json_node_alloc (), value) : NULL);
}

/* 0 is null. */
static void
set_time (JsonObject *object,
          const char *name,
          gint64      usec)
{
  g_autofree char *text = usec != 0 ? _atelier_sandbox_format_time (usec) : NULL;

  _atelier_sandbox_json_set_string (object, name, text);
}

static JsonNode *
object_node (JsonObject *object)
{
  return json_node_init_object (json_node_alloc (), object);
}

/* Uploads are named "upload:NAME" in the store. */
static char *
upload_url (const char *reference,
            const char *base_url)
{
  if (g_str_has_prefix (reference, "upload:"))
    return g_strconcat (base_url, "/sandbox/images/uploads/", reference + strlen ("upload:"), NULL);

  return g_strdup (reference);
}

/* Answers */

static gboolean
tune_is_trained (AtelierSandboxTune *tune,
                 gint64              now)
{
  return now >= tune->ready_at;
}

JsonNode *
_atelier_sandbox_store_tune_to_json (AtelierSandboxStore *store,
                                     AtelierSandboxTune  *tune,
                                     const char          *base_url,
                                     GPtrArray           *prompts)
{
  g_autoptr(JsonObject) object = json_object_new ();
  JsonArray *ckpt_urls = json_array_new ();
  JsonArray *orig_images = json_array_new ();
  g_autofree char *url = g_strdup_printf ("%s/tunes/%" G_GINT64_FORMAT ".json", base_url, tune->id);
  gint64 now = g_get_real_time ();
  gboolean trained = tune_is_trained (tune, now);
  gboolean has_ckpt = trained && g_strcmp0 (tune->model_type, "faceid") != 0;

  json_object_set_int_member (object, "id", tune->id);
  _atelier_sandbox_json_set_string (object, "title", tune->title);
  _atelier_sandbox_json_set_string (object, "name", tune->name);
  json_object_set_boolean_member (object, "is_api", !tune->gallery);
  _atelier_sandbox_json_set_string (object, "token", tune->token);
  set_nullable_int (object, "base_tune_id", tune->base_tune_id);
  json_object_set_null_member (object, "args");
  set_nullable_int (object, "steps", tune->steps);
  if (tune->face_crop >= 0)
    json_object_set_boolean_member (object, "face_crop", tune->face_crop);
  else
    json_object_set_null_member (object, "face_crop");
  json_object_set_boolean_member (object, "training_face_correct", tune->training_face_correct);
  _atelier_sandbox_json_set_string (object, "ckpt_url", has_ckpt ? MOCK_CKPT_URL : NULL);
  if (has_ckpt)
    json_array_add_string_element (ckpt_urls, MOCK_CKPT_URL);
  json_object_set_array_member (object, "ckpt_urls", ckpt_urls);
  set_time (object, "eta", tune->ready_at);
  set_time (object, "trained_at", trained ? tune->ready_at : 0);
  set_time (object, "started_training_at", tune->created_at);
  set_time (object, "expires_at", trained && !tune->gallery ? tune->ready_at + ATELIER_SANDBOX_EXPIRY_USEC : 0);
  set_time (object, "created_at", tune->created_at);
  _atelier_sandbox_json_set_string (object, "branch", tune->branch);
  _atelier_sandbox_json_set_string (object, "model_type", tune->model_type);
  set_time (object, "updated_at", trained ? tune->ready_at : tune->created_at);
  json_object_set_string_member (object, "url", url);
  for (guint i = 0; i < tune->images->len; i++)
    {
      g_autofree char *image = upload_url (g_ptr_array_index (tune->images, i), base_url);
      json_array_add_string_element (orig_images, image);
    }
  json_object_set_array_member (object, "orig_images", orig_images);
  _atelier_sandbox_json_set_object (object, "characteristics", tune->characteristics);
  _atelier_sandbox_json_set_string (object, "preset", tune->preset);
  json_object_set_boolean_member (object, "auto_extend", tune->auto_extend);

  if (prompts != NULL)
    {
      JsonArray *array = json_array_sized_new (prompts->len);

      for (guint i = 0; i < prompts->len; i++)
        json_array_add_element (array, _atelier_sandbox_store_prompt_to_json (store, g_ptr_array_index (prompts, i), base_url));
      json_object_set_array_member (object, "prompts", array);
    }

  return object_node (object);
}

/* A prompt parameter, false or null when unset. */
static void
set_param (JsonObject                    *object,
           JsonObject                    *params,
           const AtelierSandboxParamSpec *spec,
           const char                    *base_url)
{
  JsonNode *value = json_object_get_member (params, spec->name);

  if (value == NULL)
    {
      if (spec->type == ATELIER_SANDBOX_PARAM_BOOL)
        json_object_set_boolean_member (object, spec->name, FALSE);
      else
        json_object_set_null_member (object, spec->name);
    }
  else if (spec->type == ATELIER_SANDBOX_PARAM_IMAGE && json_node_get_value_type (value) == G_TYPE_STRING)
    {
      g_autofree char *image = upload_url (json_node_get_string (value), base_url);
      json_object_set_string_member (object, spec->name, image);
    }
  else
    {
      json_object_set_member (object, spec->name, json_node_copy (value));
    }
}

JsonNode *
_atelier_sandbox_store_prompt_to_json (AtelierSandboxStore  *store,
                                       AtelierSandboxPrompt *prompt,
                                       const char           *base_url)
{
  static const char * const documented[] = {
    "callback", "negative_prompt", "cfg_scale", "steps", "seed", NULL
  };
  g_autoptr(JsonObject) object = json_object_new ();
  JsonArray *images = json_array_new ();
  g_autofree char *url = NULL;
  gint64 now = g_get_real_time ();
  gboolean done = _atelier_sandbox_prompt_is_done (prompt, now);
  gboolean failed = done && _atelier_sandbox_prompt_is_failed (prompt);

  if (prompt->pack_id != 0)
    url = g_strdup_printf ("%s/packs/%" G_GINT64_FORMAT "/prompts/%" G_GINT64_FORMAT ".json",
                           base_url, prompt->pack_id, prompt->id);
  else
    url = g_strdup_printf ("%s/tunes/%" G_GINT64_FORMAT "/prompts/%" G_GINT64_FORMAT ".json",
                           base_url, prompt->tune_id, prompt->id);

  /* The documented members first, in the documentation's order. */
  json_object_set_int_member (object, "id", prompt->id);
  set_param (object, prompt->params, &_atelier_sandbox_prompt_specs[0], base_url);
  _atelier_sandbox_json_set_string (object, "text", prompt->text);
  for (guint i = 1; i < _atelier_sandbox_n_prompt_specs; i++)
    {
      if (g_strv_contains (documented, _atelier_sandbox_prompt_specs[i].name))
        set_param (object, prompt->params, &_atelier_sandbox_prompt_specs[i], base_url);
    }
  set_time (object, "trained_at", done ? prompt->ready_at : 0);
  set_time (object, "started_training_at", prompt->pack_id == 0 && now >= prompt->started_at ? prompt->started_at : 0);
  set_time (object, "created_at", prompt->created_at);
  set_time (object, "updated_at", done ? prompt->ready_at : prompt->created_at);
  json_object_set_int_member (object, "tune_id", prompt->tune_id);
  json_object_set_string_member (object, "url", url);

  if (done && !failed)
    {
      for (guint i = 0; i < prompt->num_images; i++)
        {
          g_autofree char *image = g_strdup_printf ("%s/sandbox/images/%s/%" G_GINT64_FORMAT "/%u.jpg",
                                                    base_url, store->image_token, prompt->id, i);
          json_array_add_string_element (images, image);
        }
    }
  json_object_set_array_member (object, "images", images);
  _atelier_sandbox_json_set_string (object, "user_error", failed ? ATELIER_SANDBOX_FAIL_MESSAGE : NULL);
  set_nullable_int (object, "orig_prompt_id", prompt->orig_prompt_id);

  /* Then every other creation parameter, so that settings can be reused. */
  for (guint i = 1; i < _atelier_sandbox_n_prompt_specs; i++)
    {
      if (!g_strv_contains (documented, _atelier_sandbox_prompt_specs[i].name))
        set_param (object, prompt->params, &_atelier_sandbox_prompt_specs[i], base_url);
    }
  json_object_set_int_member (object, "num_images", prompt->num_images);

  return object_node (object);
}

static JsonNode *
array_node (JsonArray *array)
{
  JsonNode *node = json_node_init_array (json_node_alloc (), array);

  json_array_unref (array);

  return node;
}

JsonNode *
_atelier_sandbox_store_list_tunes (AtelierSandboxStore *store,
                                   const char          *base_url,
                                   guint                offset)
{
  JsonArray *array = json_array_new ();
  guint skipped = 0;

  for (guint i = store->tunes->len; i > 0 && json_array_get_length (array) < ATELIER_SANDBOX_PAGE_SIZE; i--)
    {
      if (skipped++ < offset)
        continue;
      json_array_add_element (array, _atelier_sandbox_store_tune_to_json (store, g_ptr_array_index (store->tunes, i - 1),
                                                                          base_url, NULL));
    }

  return array_node (array);
}

JsonNode *
_atelier_sandbox_store_list_prompts (AtelierSandboxStore *store,
                                     const char          *base_url,
                                     gint64               tune_id,
                                     guint                offset)
{
  JsonArray *array = json_array_new ();
  guint skipped = 0;

  for (guint i = store->prompts->len; i > 0 && json_array_get_length (array) < ATELIER_SANDBOX_PAGE_SIZE; i--)
    {
      AtelierSandboxPrompt *prompt = g_ptr_array_index (store->prompts, i - 1);

      if (tune_id != 0 && prompt->tune_id != tune_id)
        continue;
      if (skipped++ < offset)
        continue;
      json_array_add_element (array, _atelier_sandbox_store_prompt_to_json (store, prompt, base_url));
    }

  return array_node (array);
}

JsonNode *
_atelier_sandbox_store_list_packs (AtelierSandboxStore *store,
                                   gboolean             gallery)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < store->packs->len; i++)
    {
      AtelierSandboxPack *pack = g_ptr_array_index (store->packs, i);
      JsonObject *object;

      if (pack->gallery != gallery)
        continue;

      object = json_object_new ();
      json_object_set_int_member (object, "id", pack->id);
      json_object_set_int_member (object, "base_tune_id", pack->base_tune_id);
      json_object_set_int_member (object, "user_id", pack->gallery ? 1 : 2);
      _atelier_sandbox_json_set_string (object, "slug", pack->slug);
      _atelier_sandbox_json_set_string (object, "title", pack->title);
      _atelier_sandbox_json_set_string (object, "token", pack->token);
      set_time (object, "created_at", pack->created_at);
      set_time (object, "updated_at", pack->updated_at);
      json_object_set_int_member (object, "multiplier", pack->multiplier);
      _atelier_sandbox_json_set_string (object, "model_type", pack->model_type);
      set_time (object, "public_at", pack->public_at);
      _atelier_sandbox_json_set_object (object, "cost_mc_hash", pack->cost_mc_hash);
      json_array_add_object_element (array, object);
    }

  return array_node (array);
}

JsonNode *
_atelier_sandbox_store_list_pack_prompts (AtelierSandboxStore *store,
                                          AtelierSandboxPack  *pack,
                                          const char          *base_url)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < pack->prompts->len; i++)
    json_array_add_element (array, _atelier_sandbox_store_prompt_to_json (store, g_ptr_array_index (pack->prompts, i),
                                                                          base_url));

  return array_node (array);
}
