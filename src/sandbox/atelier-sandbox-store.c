/* atelier-sandbox-store.c: the sandbox's data and its JSON shapes
 *
 * Tunes, prompts, packs (with their prompt templates), likes and fal
 * requests live here, are saved as <data_dir>/state.json and are answered
 * in the shapes of the Astria documentation. Nothing runs on a timer: a
 * tune stores when it will be trained (ready_at) and a prompt when it will
 * be done, and every answer is computed from the clock at read time. URLs
 * are built from the base URL of the request being answered, so state
 * survives a restart on another port.
 *
 * Callers hold the server's lock around every function here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "atelier-sandbox-private.h"

#define STATE_VERSION      1
#define FIRST_TUNE_ID      G_GINT64_CONSTANT (1000001)
#define FIRST_PROMPT_ID    G_GINT64_CONSTANT (20000001)
#define FIRST_UPLOAD_ID    G_GINT64_CONSTANT (1)
#define MOCK_CKPT_URL      "https://sdbooth2-production.s3.amazonaws.com/mock"
#define FAIL_MARKER        "[fail]"
#define FAIL_MESSAGE       "Sandbox: generation failed (the prompt asked for it)"

struct _AtelierSandboxStore
{
  char       *data_dir;
  guint       training_delay_ms;
  guint       prompt_delay_ms;
  guint       fal_delay_ms;
  guint       image_size;

  gint64      next_tune_id;
  gint64      next_prompt_id;
  gint64      next_upload_id;

  GPtrArray  *gallery_tunes;   /* (element-type AtelierSandboxTune) built in */
  GPtrArray  *tunes;           /* user tunes, oldest first */
  GHashTable *tunes_by_id;     /* gint64* → tune, user and gallery */
  GPtrArray  *prompts;         /* oldest first */
  GHashTable *prompts_by_id;
  GPtrArray  *packs;
  GHashTable *templates_by_id; /* pack prompt templates */
  GPtrArray  *fal_requests;
  GHashTable *fal_by_id;
};

/* Parameter specifications */

typedef enum
{
  PARAM_STRING,
  PARAM_INT,
  PARAM_DOUBLE,
  PARAM_BOOL,
  PARAM_IMAGE,
} ParamType;

typedef struct
{
  const char         *name;
  ParamType           type;
  double              min;
  double              max;
  const char * const *choices;
  gboolean            multiple_of_8;
} ParamSpec;

static const char * const branches[] = { "sd15", "sdxl1", "flux1", "fast", NULL };
static const char * const model_types[] = { "lora", "pti", "faceid", NULL };
static const char * const presets[] = { "flux-lora-focus", "flux-lora-portrait", "flux-lora-fast", NULL };
static const char * const schedulers[] = {
  "euler", "euler_a", "dpm++2m_karras", "dpm++sde_karras", "dpm++2m", "dpm++sde", "lcm", "tcd", NULL
};
static const char * const styles[] = {
  "Cinematic", "Animated", "Digital Art", "Photographic", "Fantasy art", "Neonpunk",
  "Enhance", "Comic book", "Lowpoly", "Line art", NULL
};
static const char * const color_gradings[] = { "Film Velvia", "Film Portra", "Ektar", NULL };
static const char * const controlnets[] = {
  "composition", "reference", "segroom", "ipadapter", "lineart", "canny", "depth",
  "mlsd", "hed", "pose", "tile", "qr", NULL
};
static const char * const backend_versions[] = { "0", "1", NULL };

static const ParamSpec tune_specs[] = {
  { "title", PARAM_STRING },
  { "name", PARAM_STRING },
  { "token", PARAM_STRING },
  { "branch", PARAM_STRING, 0, 0, branches },
  { "model_type", PARAM_STRING, 0, 0, model_types },
  { "preset", PARAM_STRING, 0, 0, presets },
  { "callback", PARAM_STRING },
  { "base_tune_id", PARAM_INT, 1, 9.0e18 },
  { "steps", PARAM_INT, 1, 100000 },
  { "face_crop", PARAM_BOOL },
  { "training_face_correct", PARAM_BOOL },
  { "auto_extend", PARAM_BOOL },
};

/* Every prompt parameter of the documentation, in the order answered. */
static const ParamSpec prompt_specs[] = {
  { "callback", PARAM_STRING },
  { "negative_prompt", PARAM_STRING },
  { "cfg_scale", PARAM_DOUBLE, 0, 15 },
  { "steps", PARAM_INT, 0, 50 },
  { "seed", PARAM_INT, 0, 4294967296.0 },
  { "num_images", PARAM_INT, 1, 8 },
  { "w", PARAM_INT, 8, 8192, NULL, TRUE },
  { "h", PARAM_INT, 8, 8192, NULL, TRUE },
  { "ar", PARAM_STRING },
  { "super_resolution", PARAM_BOOL },
  { "inpaint_faces", PARAM_BOOL },
  { "hires_fix", PARAM_BOOL },
  { "face_correct", PARAM_BOOL },
  { "face_swap", PARAM_BOOL },
  { "use_lpw", PARAM_BOOL },
  { "film_grain", PARAM_BOOL },
  { "scheduler", PARAM_STRING, 0, 0, schedulers },
  { "backend_version", PARAM_STRING, 0, 0, backend_versions },
  { "style", PARAM_STRING, 0, 0, styles },
  { "color_grading", PARAM_STRING, 0, 0, color_gradings },
  { "controlnet", PARAM_STRING, 0, 0, controlnets },
  { "controlnet_txt2img", PARAM_BOOL },
  { "controlnet_conditioning_scale", PARAM_DOUBLE, 0, 1 },
  { "denoising_strength", PARAM_DOUBLE, 0, 1 },
  { "lora_scale", PARAM_DOUBLE, 0, 2 },
  { "input_image", PARAM_IMAGE },
  { "input_image_url", PARAM_STRING },
  { "mask_image", PARAM_IMAGE },
  { "mask_image_url", PARAM_STRING },
};

/* Built-in data: gallery base models and the packs seeded on first start */

typedef struct
{
  gint64      id;
  const char *title;
  const char *branch;
  const char *created_at;
} GallerySeed;

static const GallerySeed gallery_seeds[] = {
  { ATELIER_SANDBOX_FLUX_TUNE_ID, "Flux1.dev", "flux1", "2024-08-01T10:00:00" },
  { ATELIER_SANDBOX_RV51_TUNE_ID, "Realistic Vision V5.1", "sd15", "2023-07-16T10:00:00" },
  { ATELIER_SANDBOX_SDXL_TUNE_ID, "SDXL 1.0", "sdxl1", "2023-07-27T10:00:00" },
};

typedef struct
{
  const char *text;
  const char *negative_prompt;
  guint       num_images;
  guint       w;
  guint       h;
  double      cfg_scale;
  gboolean    super_resolution;
  gboolean    face_correct;
} PackPromptSeed;

typedef struct
{
  gint64                id;
  const char           *slug;
  const char           *title;
  gint64                base_tune_id;
  const char           *model_type;
  int                   multiplier;
  gboolean              gallery;
  const char           *costs;   /* "class:milli-cents,…" */
  const PackPromptSeed *prompts;
  guint                 n_prompts;
} PackSeed;

static const PackPromptSeed headshot_prompts[] = {
  { "{{token}} {{class}} corporate headshot, navy suit, soft studio light, grey backdrop", "cartoon, blurry", 4, 768, 1024, 5, TRUE, TRUE },
  { "{{token}} {{class}} business portrait in a glass office, shallow depth of field", "cartoon, blurry", 4, 768, 1024, 5, TRUE, TRUE },
  { "{{token}} {{class}} LinkedIn profile photo, {{eye_color}}, friendly smile", "cartoon", 4, 1024, 1024, 5, TRUE, TRUE },
  { "{{token}} {{class}} black and white executive portrait, rim light", "color", 2, 768, 1024, 6, FALSE, TRUE },
  { "{{token}} {{class}} outdoor headshot in a city park, golden hour", "cartoon, blurry", 4, 768, 1024, 5, TRUE, FALSE },
};

static const PackPromptSeed fantasy_prompts[] = {
  { "{{token}} {{class}} as an elven ranger in a misty forest, epic fantasy art", "photo", 4, 768, 1152, 7, FALSE, TRUE },
  { "{{token}} {{class}} as a space explorer on Mars, cinematic, 35mm", "cartoon", 4, 1152, 768, 6, FALSE, TRUE },
  { "{{token}} {{class}} as a medieval knight in shining armour, oil painting", "photo", 4, 768, 1024, 7, FALSE, FALSE },
  { "{{token}} {{class}} as a steampunk inventor in a brass workshop", NULL, 4, 768, 1024, 7, FALSE, TRUE },
};

static const PackPromptSeed vintage_prompts[] = {
  { "{{token}} {{class}} 1970s film photo, Kodak Portra, warm tones", "digital", 4, 768, 1024, 5, FALSE, TRUE },
  { "{{token}} {{class}} 1950s Hollywood glamour portrait, black and white", "color", 4, 768, 1024, 5, FALSE, TRUE },
  { "{{token}} {{class}} polaroid snapshot at a beach party, 1985", NULL, 4, 1024, 1024, 5, FALSE, FALSE },
};

static const PackPromptSeed studio_prompts[] = {
  { "{{token}} {{class}} studio portrait, Rembrandt lighting, {{hair_color}}", "blurry", 4, 768, 1024, 5, TRUE, TRUE },
  { "{{token}} {{class}} fashion editorial, magazine cover", "blurry", 4, 768, 1024, 6, TRUE, TRUE },
  { "{{token}} {{class}} candid portrait in a coffee shop, natural light", NULL, 4, 1024, 768, 5, FALSE, TRUE },
  { "{{token}} {{class}} holding flowers, pastel background", NULL, 4, 768, 1024, 5, FALSE, TRUE },
  { "{{token}} {{class}} hiking in the alps, wide shot", NULL, 4, 1152, 768, 5, FALSE, FALSE },
  { "{{token}} {{class}} astronaut helmet portrait, reflective visor", "cartoon", 4, 1024, 1024, 6, FALSE, TRUE },
};

static const PackPromptSeed lora_prompts[] = {
  { "{{token}} {{class}} as a watercolor illustration, soft paper texture", NULL, 4, 896, 1152, 3.5, FALSE, FALSE },
  { "{{token}} {{class}} in a neon-lit Tokyo street at night, cinematic", NULL, 4, 896, 1152, 3.5, FALSE, FALSE },
  { "{{token}} {{class}} on the cover of a 1979 time magazine", NULL, 4, 896, 1152, 3.5, FALSE, FALSE },
};

static const PackSeed pack_seeds[] = {
  { 5, "my-studio-portraits", "My studio portraits", ATELIER_SANDBOX_RV51_TUNE_ID, NULL, 10, FALSE,
    "man:200000,woman:100000", studio_prompts, G_N_ELEMENTS (studio_prompts) },
  { 6, "my-flux-illustrations", "My Flux illustrations", ATELIER_SANDBOX_FLUX_TUNE_ID, "lora", 4, FALSE,
    "man:150000,woman:150000,cat:100000,dog:100000", lora_prompts, G_N_ELEMENTS (lora_prompts) },
  { 260, "corporate-headshots", "Corporate headshots", ATELIER_SANDBOX_RV51_TUNE_ID, NULL, 10, TRUE,
    "man:200000,woman:100000", headshot_prompts, G_N_ELEMENTS (headshot_prompts) },
  { 261, "fantasy-portraits", "Fantasy portraits", ATELIER_SANDBOX_FLUX_TUNE_ID, "lora", 8, TRUE,
    "man:250000,woman:250000,boy:200000,girl:200000", fantasy_prompts, G_N_ELEMENTS (fantasy_prompts) },
  { 262, "vintage-film", "Vintage film", ATELIER_SANDBOX_RV51_TUNE_ID, "faceid", 6, TRUE,
    "man:100000,woman:100000", vintage_prompts, G_N_ELEMENTS (vintage_prompts) },
};

#define FIRST_TEMPLATE_ID G_GINT64_CONSTANT (9000001)

static const char * const theme_variations[] = {
  "{{token}} {{class}}, {{theme}}, studio portrait, soft light",
  "{{token}} {{class}}, {{theme}}, wide cinematic shot, golden hour",
  "{{token}} {{class}}, {{theme}}, close-up, dramatic rim light",
  "{{token}} {{class}}, {{theme}}, editorial photo, 50mm lens",
  "{{token}} {{class}}, {{theme}}, oil painting, museum quality",
  "{{token}} {{class}}, {{theme}}, candid street photography",
  "{{token}} {{class}}, {{theme}}, black and white film portrait",
  "{{token}} {{class}}, {{theme}}, vibrant illustration, bold colours",
  "{{token}} {{class}}, {{theme}}, moody low-key lighting",
  "{{token}} {{class}}, {{theme}}, magazine cover, sharp focus",
};

/* Entities */

static void
tune_free (gpointer data)
{
  AtelierSandboxTune *tune = data;

  g_free (tune->title);
  g_free (tune->name);
  g_free (tune->token);
  g_free (tune->branch);
  g_free (tune->model_type);
  g_free (tune->preset);
  g_free (tune->callback);
  g_clear_pointer (&tune->characteristics, json_object_unref);
  g_clear_pointer (&tune->images, g_ptr_array_unref);
  g_free (tune);
}

static AtelierSandboxTune *
tune_new (void)
{
  AtelierSandboxTune *tune = g_new0 (AtelierSandboxTune, 1);

  tune->face_crop = -1;
  tune->images = g_ptr_array_new_with_free_func (g_free);

  return tune;
}

static void
prompt_free (gpointer data)
{
  AtelierSandboxPrompt *prompt = data;

  g_free (prompt->text);
  g_clear_pointer (&prompt->params, json_object_unref);
  g_free (prompt);
}

static void
pack_free (gpointer data)
{
  AtelierSandboxPack *pack = data;

  g_free (pack->slug);
  g_free (pack->title);
  g_free (pack->token);
  g_free (pack->model_type);
  g_clear_pointer (&pack->cost_mc_hash, json_object_unref);
  g_clear_pointer (&pack->prompts, g_ptr_array_unref);
  g_free (pack);
}

static void
fal_request_free (gpointer data)
{
  AtelierSandboxFalRequest *request = data;

  g_free (request->id);
  g_clear_pointer (&request->input, json_object_unref);
  g_free (request);
}

static gboolean
prompt_is_done (AtelierSandboxPrompt *prompt,
                gint64                now)
{
  return prompt->pack_id == 0 && now >= prompt->ready_at;
}

static gboolean
prompt_is_failed (AtelierSandboxPrompt *prompt)
{
  return prompt->text != NULL && strstr (prompt->text, FAIL_MARKER) != NULL;
}

static gint64
parse_local_seed_time (const char *text)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) date = g_date_time_new_from_iso8601 (text, utc);

  return date != NULL ? g_date_time_to_unix (date) * G_USEC_PER_SEC : 0;
}

static void
store_clear (AtelierSandboxStore *store)
{
  g_ptr_array_set_size (store->tunes, 0);
  g_ptr_array_set_size (store->prompts, 0);
  g_ptr_array_set_size (store->packs, 0);
  g_ptr_array_set_size (store->fal_requests, 0);
  g_hash_table_remove_all (store->tunes_by_id);
  g_hash_table_remove_all (store->prompts_by_id);
  g_hash_table_remove_all (store->templates_by_id);
  g_hash_table_remove_all (store->fal_by_id);

  for (guint i = 0; i < store->gallery_tunes->len; i++)
    {
      AtelierSandboxTune *tune = g_ptr_array_index (store->gallery_tunes, i);
      g_hash_table_insert (store->tunes_by_id, &tune->id, tune);
    }

  store->next_tune_id = FIRST_TUNE_ID;
  store->next_prompt_id = FIRST_PROMPT_ID;
  store->next_upload_id = FIRST_UPLOAD_ID;
}

AtelierSandboxStore *
_atelier_sandbox_store_new (const char *data_dir)
{
  AtelierSandboxStore *store = g_new0 (AtelierSandboxStore, 1);

  store->data_dir = g_strdup (data_dir);
  store->training_delay_ms = 60000;
  store->prompt_delay_ms = 2000;
  store->fal_delay_ms = 2000;
  store->image_size = 1024;

  store->gallery_tunes = g_ptr_array_new_with_free_func (tune_free);
  store->tunes = g_ptr_array_new_with_free_func (tune_free);
  store->tunes_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  store->prompts = g_ptr_array_new_with_free_func (prompt_free);
  store->prompts_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  store->packs = g_ptr_array_new_with_free_func (pack_free);
  store->templates_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  store->fal_requests = g_ptr_array_new_with_free_func (fal_request_free);
  store->fal_by_id = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < G_N_ELEMENTS (gallery_seeds); i++)
    {
      AtelierSandboxTune *tune = tune_new ();

      tune->id = gallery_seeds[i].id;
      tune->title = g_strdup (gallery_seeds[i].title);
      tune->token = g_strdup ("ohwx");
      tune->branch = g_strdup (gallery_seeds[i].branch);
      tune->created_at = parse_local_seed_time (gallery_seeds[i].created_at);
      tune->ready_at = tune->created_at + G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC;
      tune->gallery = TRUE;
      g_ptr_array_add (store->gallery_tunes, tune);
    }

  store_clear (store);

  return store;
}

void
_atelier_sandbox_store_free (AtelierSandboxStore *store)
{
  if (store == NULL)
    return;

  /* The arrays own the entities; the tables only point at them. */
  g_clear_pointer (&store->tunes_by_id, g_hash_table_unref);
  g_clear_pointer (&store->prompts_by_id, g_hash_table_unref);
  g_clear_pointer (&store->templates_by_id, g_hash_table_unref);
  g_clear_pointer (&store->fal_by_id, g_hash_table_unref);
  g_clear_pointer (&store->tunes, g_ptr_array_unref);
  g_clear_pointer (&store->gallery_tunes, g_ptr_array_unref);
  g_clear_pointer (&store->prompts, g_ptr_array_unref);
  g_clear_pointer (&store->packs, g_ptr_array_unref);
  g_clear_pointer (&store->fal_requests, g_ptr_array_unref);
  g_free (store->data_dir);
  g_free (store);
}

const char *
_atelier_sandbox_store_get_data_dir (AtelierSandboxStore *store)
{
  return store->data_dir;
}

void
_atelier_sandbox_store_set_delays (AtelierSandboxStore *store,
                                   guint                training_delay_ms,
                                   guint                prompt_delay_ms,
                                   guint                fal_delay_ms,
                                   guint                image_size)
{
  store->training_delay_ms = training_delay_ms;
  store->prompt_delay_ms = prompt_delay_ms;
  store->fal_delay_ms = fal_delay_ms;
  store->image_size = MAX (image_size, 16);
}

/* Lookups */

AtelierSandboxTune *
_atelier_sandbox_store_lookup_tune (AtelierSandboxStore *store,
                                    gint64               id)
{
  return g_hash_table_lookup (store->tunes_by_id, &id);
}

AtelierSandboxPrompt *
_atelier_sandbox_store_lookup_prompt (AtelierSandboxStore *store,
                                      gint64               id)
{
  return g_hash_table_lookup (store->prompts_by_id, &id);
}

AtelierSandboxPack *
_atelier_sandbox_store_lookup_pack (AtelierSandboxStore *store,
                                    const char          *id_or_slug)
{
  gint64 id = 0;

  if (!g_ascii_string_to_signed (id_or_slug, 10, 1, G_MAXINT64, &id, NULL))
    id = 0;

  for (guint i = 0; i < store->packs->len; i++)
    {
      AtelierSandboxPack *pack = g_ptr_array_index (store->packs, i);

      if (pack->id == id || g_strcmp0 (pack->slug, id_or_slug) == 0)
        return pack;
    }

  return NULL;
}

AtelierSandboxFalRequest *
_atelier_sandbox_store_lookup_fal (AtelierSandboxStore *store,
                                   const char          *id)
{
  return g_hash_table_lookup (store->fal_by_id, id);
}

static void
store_add_tune (AtelierSandboxStore *store,
                AtelierSandboxTune  *tune)
{
  g_ptr_array_add (store->tunes, tune);
  g_hash_table_insert (store->tunes_by_id, &tune->id, tune);
  store->next_tune_id = MAX (store->next_tune_id, tune->id + 1);
}

static void
store_add_prompt (AtelierSandboxStore  *store,
                  AtelierSandboxPrompt *prompt)
{
  g_ptr_array_add (store->prompts, prompt);
  g_hash_table_insert (store->prompts_by_id, &prompt->id, prompt);
  store->next_prompt_id = MAX (store->next_prompt_id, prompt->id + 1);
}

static void
store_add_fal (AtelierSandboxStore      *store,
               AtelierSandboxFalRequest *request)
{
  g_ptr_array_add (store->fal_requests, request);
  g_hash_table_insert (store->fal_by_id, request->id, request);
}

static void
store_add_pack (AtelierSandboxStore *store,
                AtelierSandboxPack  *pack)
{
  g_ptr_array_add (store->packs, pack);
  for (guint i = 0; i < pack->prompts->len; i++)
    {
      AtelierSandboxPrompt *template = g_ptr_array_index (pack->prompts, i);
      g_hash_table_insert (store->templates_by_id, &template->id, template);
    }
}

/* Seeded packs */

static JsonObject *
parse_costs (const char *costs)
{
  JsonObject *object = json_object_new ();
  g_auto(GStrv) pairs = g_strsplit (costs, ",", -1);

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (pairs[i], ":", 2);

      if (pair[0] != NULL && pair[1] != NULL)
        json_object_set_int_member (object, pair[0], g_ascii_strtoll (pair[1], NULL, 10));
    }

  return object;
}

static void
store_seed_packs (AtelierSandboxStore *store)
{
  gint64 now = g_get_real_time ();
  gint64 template_id = FIRST_TEMPLATE_ID;

  for (guint i = 0; i < G_N_ELEMENTS (pack_seeds); i++)
    {
      const PackSeed *seed = &pack_seeds[i];
      AtelierSandboxPack *pack = g_new0 (AtelierSandboxPack, 1);

      pack->id = seed->id;
      pack->base_tune_id = seed->base_tune_id;
      pack->slug = g_strdup (seed->slug);
      pack->title = g_strdup (seed->title);
      pack->token = g_strdup ("ohwx");
      pack->model_type = g_strdup (seed->model_type);
      pack->multiplier = seed->multiplier;
      pack->gallery = seed->gallery;
      pack->created_at = now - (gint64) (G_N_ELEMENTS (pack_seeds) - i) * 86400 * G_USEC_PER_SEC;
      pack->updated_at = pack->created_at;
      pack->public_at = seed->gallery ? pack->created_at : 0;
      pack->cost_mc_hash = parse_costs (seed->costs);
      pack->prompts = g_ptr_array_new_with_free_func (prompt_free);

      for (guint j = 0; j < seed->n_prompts; j++)
        {
          const PackPromptSeed *prompt_seed = &seed->prompts[j];
          AtelierSandboxPrompt *template = g_new0 (AtelierSandboxPrompt, 1);

          template->id = template_id++;
          template->pack_id = pack->id;
          template->tune_id = pack->base_tune_id;
          template->text = g_strdup (prompt_seed->text);
          template->num_images = prompt_seed->num_images;
          template->created_at = pack->created_at;
          template->params = json_object_new ();
          if (prompt_seed->negative_prompt != NULL)
            json_object_set_string_member (template->params, "negative_prompt", prompt_seed->negative_prompt);
          json_object_set_int_member (template->params, "num_images", prompt_seed->num_images);
          json_object_set_int_member (template->params, "w", prompt_seed->w);
          json_object_set_int_member (template->params, "h", prompt_seed->h);
          json_object_set_double_member (template->params, "cfg_scale", prompt_seed->cfg_scale);
          json_object_set_boolean_member (template->params, "super_resolution", prompt_seed->super_resolution);
          json_object_set_boolean_member (template->params, "face_correct", prompt_seed->face_correct);
          g_ptr_array_add (pack->prompts, template);
        }

      store_add_pack (store, pack);
    }
}

/* Persistence */

static gint64
state_get_int (JsonObject *object,
               const char *name)
{
  gint64 value = 0;

  if (!_atelier_sandbox_node_get_int (json_object_get_member (object, name), &value))
    return 0;

  return value;
}

static char *
state_dup_string (JsonObject *object,
                  const char *name)
{
  return g_strdup (_atelier_sandbox_params_get_string (object, name));
}

static gboolean
state_get_bool (JsonObject *object,
                const char *name)
{
  gboolean value = FALSE;

  _atelier_sandbox_node_get_bool (json_object_get_member (object, name), &value);

  return value;
}

static JsonObject *
state_dup_object (JsonObject *object,
                  const char *name)
{
  JsonObject *child = _atelier_sandbox_params_get_object (object, name);

  return child != NULL ? json_object_ref (child) : NULL;
}

static void
set_nullable_string (JsonObject *object,
                     const char *name,
                     const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, name, value);
  else
    json_object_set_null_member (object, name);
}

static void
set_nullable_int (JsonObject *object,
                  const char *name,
                  gint64      value)
{
  if (value != 0)
    json_object_set_int_member (object, name, value);
  else
    json_object_set_null_member (object, name);
}

static void
set_nullable_object (JsonObject *object,
                     const char *name,
                     JsonObject *value)
{
  if (value != NULL)
    json_object_set_object_member (object, name, json_object_ref (value));
  else
    json_object_set_null_member (object, name);
}

static void
set_time (JsonObject *object,
          const char *name,
          gint64      usec)
{
  g_autofree char *text = NULL;

  if (usec == 0)
    {
      json_object_set_null_member (object, name);
      return;
    }

  text = _atelier_sandbox_format_time (usec);
  json_object_set_string_member (object, name, text);
}

static JsonNode *
object_node (JsonObject *object)
{
  return json_node_init_object (json_node_alloc (), object);
}

/* json_node_copy() shares objects and arrays; this copies them. */
static JsonNode *
node_deep_copy (JsonNode *node)
{
  JsonNode *copy;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(JsonObject) out = json_object_new ();
      g_autoptr(GList) members = json_object_get_members (object);

      for (const GList *l = members; l != NULL; l = l->next)
        json_object_set_member (out, l->data, node_deep_copy (json_object_get_member (object, l->data)));

      copy = json_node_init_object (json_node_alloc (), out);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(JsonArray) out = json_array_sized_new (json_array_get_length (array));

      for (guint i = 0; i < json_array_get_length (array); i++)
        json_array_add_element (out, node_deep_copy (json_array_get_element (array, i)));

      copy = json_node_init_array (json_node_alloc (), out);
    }
  else
    {
      copy = json_node_copy (node);
    }

  return copy;
}

static JsonObject *
object_deep_copy (JsonObject *object)
{
  g_autoptr(JsonNode) node = object_node (object);
  g_autoptr(JsonNode) copy = node_deep_copy (node);

  return json_object_ref (json_node_get_object (copy));
}

static JsonObject *
tune_to_state (gpointer item)
{
  AtelierSandboxTune *tune = item;
  JsonObject *object = json_object_new ();
  JsonArray *images = json_array_new ();

  json_object_set_int_member (object, "id", tune->id);
  set_nullable_string (object, "title", tune->title);
  set_nullable_string (object, "name", tune->name);
  set_nullable_string (object, "token", tune->token);
  set_nullable_string (object, "branch", tune->branch);
  set_nullable_string (object, "model_type", tune->model_type);
  set_nullable_string (object, "preset", tune->preset);
  set_nullable_string (object, "callback", tune->callback);
  json_object_set_int_member (object, "base_tune_id", tune->base_tune_id);
  json_object_set_int_member (object, "steps", tune->steps);
  json_object_set_int_member (object, "face_crop", tune->face_crop);
  json_object_set_boolean_member (object, "training_face_correct", tune->training_face_correct);
  json_object_set_boolean_member (object, "auto_extend", tune->auto_extend);
  set_nullable_object (object, "characteristics", tune->characteristics);
  for (guint i = 0; i < tune->images->len; i++)
    json_array_add_string_element (images, g_ptr_array_index (tune->images, i));
  json_object_set_array_member (object, "images", images);
  json_object_set_int_member (object, "created_at", tune->created_at);
  json_object_set_int_member (object, "ready_at", tune->ready_at);

  return object;
}

static gpointer
tune_from_state (JsonObject *object)
{
  AtelierSandboxTune *tune = tune_new ();
  JsonNode *images = json_object_get_member (object, "images");

  tune->id = state_get_int (object, "id");
  tune->title = state_dup_string (object, "title");
  tune->name = state_dup_string (object, "name");
  tune->token = state_dup_string (object, "token");
  tune->branch = state_dup_string (object, "branch");
  tune->model_type = state_dup_string (object, "model_type");
  tune->preset = state_dup_string (object, "preset");
  tune->callback = state_dup_string (object, "callback");
  tune->base_tune_id = state_get_int (object, "base_tune_id");
  tune->steps = state_get_int (object, "steps");
  tune->face_crop = (int) state_get_int (object, "face_crop");
  tune->training_face_correct = state_get_bool (object, "training_face_correct");
  tune->auto_extend = state_get_bool (object, "auto_extend");
  tune->characteristics = state_dup_object (object, "characteristics");
  tune->created_at = state_get_int (object, "created_at");
  tune->ready_at = state_get_int (object, "ready_at");

  if (images != NULL && JSON_NODE_HOLDS_ARRAY (images))
    {
      JsonArray *array = json_node_get_array (images);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          char *image = _atelier_sandbox_node_dup_string (json_array_get_element (array, i));
          if (image != NULL)
            g_ptr_array_add (tune->images, image);
        }
    }

  if (tune->id <= 0 || tune->title == NULL || tune->branch == NULL)
    {
      tune_free (tune);
      return NULL;
    }

  return tune;
}

static JsonObject *
prompt_to_state (gpointer item)
{
  AtelierSandboxPrompt *prompt = item;
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "id", prompt->id);
  json_object_set_int_member (object, "tune_id", prompt->tune_id);
  json_object_set_int_member (object, "orig_prompt_id", prompt->orig_prompt_id);
  json_object_set_int_member (object, "pack_id", prompt->pack_id);
  set_nullable_string (object, "text", prompt->text);
  set_nullable_object (object, "params", prompt->params);
  json_object_set_int_member (object, "num_images", prompt->num_images);
  json_object_set_int_member (object, "created_at", prompt->created_at);
  json_object_set_int_member (object, "started_at", prompt->started_at);
  json_object_set_int_member (object, "ready_at", prompt->ready_at);
  json_object_set_boolean_member (object, "liked", prompt->liked);
  json_object_set_int_member (object, "likes", prompt->likes);

  return object;
}

static gpointer
prompt_from_state (JsonObject *object)
{
  AtelierSandboxPrompt *prompt = g_new0 (AtelierSandboxPrompt, 1);

  prompt->id = state_get_int (object, "id");
  prompt->tune_id = state_get_int (object, "tune_id");
  prompt->orig_prompt_id = state_get_int (object, "orig_prompt_id");
  prompt->pack_id = state_get_int (object, "pack_id");
  prompt->text = state_dup_string (object, "text");
  prompt->params = state_dup_object (object, "params");
  prompt->num_images = (guint) CLAMP (state_get_int (object, "num_images"), 1, 8);
  prompt->created_at = state_get_int (object, "created_at");
  prompt->started_at = state_get_int (object, "started_at");
  prompt->ready_at = state_get_int (object, "ready_at");
  prompt->liked = state_get_bool (object, "liked");
  prompt->likes = (guint) MAX (state_get_int (object, "likes"), 0);

  if (prompt->params == NULL)
    prompt->params = json_object_new ();

  if (prompt->id <= 0 || prompt->text == NULL)
    {
      prompt_free (prompt);
      return NULL;
    }

  return prompt;
}

static JsonObject *
pack_to_state (gpointer item)
{
  AtelierSandboxPack *pack = item;
  JsonObject *object = json_object_new ();
  JsonArray *prompts = json_array_new ();

  json_object_set_int_member (object, "id", pack->id);
  json_object_set_int_member (object, "base_tune_id", pack->base_tune_id);
  set_nullable_string (object, "slug", pack->slug);
  set_nullable_string (object, "title", pack->title);
  set_nullable_string (object, "token", pack->token);
  set_nullable_string (object, "model_type", pack->model_type);
  json_object_set_int_member (object, "multiplier", pack->multiplier);
  json_object_set_boolean_member (object, "gallery", pack->gallery);
  json_object_set_int_member (object, "created_at", pack->created_at);
  json_object_set_int_member (object, "updated_at", pack->updated_at);
  json_object_set_int_member (object, "public_at", pack->public_at);
  set_nullable_object (object, "cost_mc_hash", pack->cost_mc_hash);
  for (guint i = 0; i < pack->prompts->len; i++)
    json_array_add_object_element (prompts, prompt_to_state (g_ptr_array_index (pack->prompts, i)));
  json_object_set_array_member (object, "prompts", prompts);

  return object;
}

static gpointer
pack_from_state (JsonObject *object)
{
  AtelierSandboxPack *pack = g_new0 (AtelierSandboxPack, 1);
  JsonNode *prompts = json_object_get_member (object, "prompts");

  pack->id = state_get_int (object, "id");
  pack->base_tune_id = state_get_int (object, "base_tune_id");
  pack->slug = state_dup_string (object, "slug");
  pack->title = state_dup_string (object, "title");
  pack->token = state_dup_string (object, "token");
  pack->model_type = state_dup_string (object, "model_type");
  pack->multiplier = (int) state_get_int (object, "multiplier");
  pack->gallery = state_get_bool (object, "gallery");
  pack->created_at = state_get_int (object, "created_at");
  pack->updated_at = state_get_int (object, "updated_at");
  pack->public_at = state_get_int (object, "public_at");
  pack->cost_mc_hash = state_dup_object (object, "cost_mc_hash");
  pack->prompts = g_ptr_array_new_with_free_func (prompt_free);

  if (pack->cost_mc_hash == NULL)
    pack->cost_mc_hash = json_object_new ();

  if (prompts != NULL && JSON_NODE_HOLDS_ARRAY (prompts))
    {
      JsonArray *array = json_node_get_array (prompts);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          AtelierSandboxPrompt *template;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            continue;

          template = prompt_from_state (json_node_get_object (element));
          if (template == NULL)
            continue;
          template->pack_id = pack->id;
          g_ptr_array_add (pack->prompts, template);
        }
    }

  if (pack->id <= 0 || pack->slug == NULL)
    {
      pack_free (pack);
      return NULL;
    }

  return pack;
}

static JsonObject *
fal_to_state (gpointer item)
{
  AtelierSandboxFalRequest *request = item;
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "id", request->id);
  set_nullable_object (object, "input", request->input);
  json_object_set_int_member (object, "created_at", request->created_at);
  json_object_set_int_member (object, "cancelled_at", request->cancelled_at);
  json_object_set_int_member (object, "delay_usec", request->delay_usec);
  json_object_set_int_member (object, "seed", request->seed);

  return object;
}

static gpointer
fal_from_state (JsonObject *object)
{
  AtelierSandboxFalRequest *request = g_new0 (AtelierSandboxFalRequest, 1);

  request->id = state_dup_string (object, "id");
  request->input = state_dup_object (object, "input");
  request->created_at = state_get_int (object, "created_at");
  request->cancelled_at = state_get_int (object, "cancelled_at");
  request->delay_usec = state_get_int (object, "delay_usec");
  request->seed = state_get_int (object, "seed");

  if (request->id == NULL || request->input == NULL)
    {
      fal_request_free (request);
      return NULL;
    }

  return request;
}

typedef gpointer   (*FromStateFunc) (JsonObject *object);
typedef JsonObject *(*ToStateFunc)  (gpointer    item);

static void
load_array (JsonObject    *root,
            const char    *name,
            FromStateFunc  from_state,
            GFunc          add,
            gpointer       store)
{
  JsonNode *node = json_object_get_member (root, name);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      gpointer item;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;

      item = from_state (json_node_get_object (element));
      if (item != NULL)
        add (item, store);
    }
}

static void
add_loaded_tune (gpointer item,
                 gpointer store)
{
  store_add_tune (store, item);
}

static void
add_loaded_prompt (gpointer item,
                   gpointer store)
{
  store_add_prompt (store, item);
}

static void
add_loaded_pack (gpointer item,
                 gpointer store)
{
  store_add_pack (store, item);
}

static void
add_loaded_fal (gpointer item,
                gpointer store)
{
  store_add_fal (store, item);
}

static gboolean
store_load_root (AtelierSandboxStore *store,
                 JsonNode            *root)
{
  JsonObject *object;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;

  object = json_node_get_object (root);
  if (state_get_int (object, "version") != STATE_VERSION)
    return FALSE;

  load_array (object, "tunes", tune_from_state, add_loaded_tune, store);
  load_array (object, "prompts", prompt_from_state, add_loaded_prompt, store);
  load_array (object, "packs", pack_from_state, add_loaded_pack, store);
  load_array (object, "fal_requests", fal_from_state, add_loaded_fal, store);

  store->next_tune_id = MAX (store->next_tune_id, state_get_int (object, "next_tune_id"));
  store->next_prompt_id = MAX (store->next_prompt_id, state_get_int (object, "next_prompt_id"));
  store->next_upload_id = MAX (store->next_upload_id, state_get_int (object, "next_upload_id"));

  return TRUE;
}

void
_atelier_sandbox_store_load (AtelierSandboxStore *store)
{
  g_autofree char *path = g_build_filename (store->data_dir, "state.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  AtelierSandboxBodyStatus status;
  gsize length = 0;

  store_clear (store);

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_warning ("Sandbox: could not read %s: %s", path, error->message);
      store_seed_packs (store);
      return;
    }

  root = _atelier_sandbox_parse_json (contents, length, &status);
  if (!store_load_root (store, root))
    {
      g_autofree char *aside = g_strconcat (path, ".corrupt", NULL);

      g_warning ("Sandbox: %s is corrupt; moved it to %s and starting empty", path, aside);
      if (g_rename (path, aside) != 0)
        g_warning ("Sandbox: could not move %s aside: %s", path, g_strerror (errno));

      store_clear (store);
      store_seed_packs (store);
    }
}

static JsonArray *
array_to_state (GPtrArray   *items,
                ToStateFunc  to_state)
{
  JsonArray *array = json_array_sized_new (items->len);

  for (guint i = 0; i < items->len; i++)
    json_array_add_object_element (array, to_state (g_ptr_array_index (items, i)));

  return array;
}

char *
_atelier_sandbox_store_serialize (AtelierSandboxStore *store)
{
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonNode) node = NULL;

  json_object_set_int_member (root, "version", STATE_VERSION);
  json_object_set_int_member (root, "next_tune_id", store->next_tune_id);
  json_object_set_int_member (root, "next_prompt_id", store->next_prompt_id);
  json_object_set_int_member (root, "next_upload_id", store->next_upload_id);
  json_object_set_array_member (root, "tunes", array_to_state (store->tunes, tune_to_state));
  json_object_set_array_member (root, "prompts", array_to_state (store->prompts, prompt_to_state));
  json_object_set_array_member (root, "packs", array_to_state (store->packs, pack_to_state));
  json_object_set_array_member (root, "fal_requests", array_to_state (store->fal_requests, fal_to_state));

  node = object_node (root);

  return _atelier_sandbox_json_to_string (node);
}

gboolean
_atelier_sandbox_store_write (const char  *data_dir,
                              const char  *contents,
                              GError     **error)
{
  g_autofree char *path = g_build_filename (data_dir, "state.json", NULL);

  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Could not create %s: %s", data_dir, g_strerror (saved_errno));
      return FALSE;
    }

  return g_file_set_contents (path, contents, -1, error);
}

/* Uploads: files sent to the sandbox, served under /sandbox/images/uploads/ */

static const char *
upload_extension (AtelierSandboxFile *file)
{
  static const struct { const char *type; const char *ext; } types[] = {
    { "image/jpeg", "jpg" }, { "image/png", "png" }, { "image/webp", "webp" },
    { "image/gif", "gif" }, { "image/heic", "heic" },
  };
  const char *dot = file->filename ? strrchr (file->filename, '.') : NULL;

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      if (g_strcmp0 (file->content_type, types[i].type) == 0)
        return types[i].ext;
    }

  if (dot != NULL && dot[1] != '\0' && strlen (dot + 1) <= 5)
    {
      for (const char *p = dot + 1; *p != '\0'; p++)
        {
          if (!g_ascii_isalnum (*p))
            return "bin";
        }
      return dot + 1;
    }

  return "bin";
}

static gboolean
upload_name_is_valid (const char *name)
{
  if (name == NULL || name[0] == '\0' || name[0] == '.')
    return FALSE;

  for (const char *p = name; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != '_')
        return FALSE;
    }

  return TRUE;
}

char *
_atelier_sandbox_store_dup_upload_path (AtelierSandboxStore *store,
                                        const char          *name)
{
  if (!upload_name_is_valid (name))
    return NULL;

  return g_build_filename (store->data_dir, "uploads", name, NULL);
}

/* Returns "upload:NAME" */
static char *
store_save_upload (AtelierSandboxStore *store,
                   AtelierSandboxFile  *file)
{
  g_autofree char *dir = g_build_filename (store->data_dir, "uploads", NULL);
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  gsize size = 0;
  const char *data = g_bytes_get_data (file->data, &size);
  g_autofree char *ext = g_ascii_strdown (upload_extension (file), -1);

  name = g_strdup_printf ("%" G_GINT64_FORMAT ".%s", store->next_upload_id++, ext);
  path = g_build_filename (dir, name, NULL);

  g_mkdir_with_parents (dir, 0700);
  if (!g_file_set_contents (path, data != NULL ? data : "", size, &error))
    g_warning ("Sandbox: could not save an upload: %s", error->message);

  return g_strconcat ("upload:", name, NULL);
}

static void
store_remove_upload (AtelierSandboxStore *store,
                     const char          *reference)
{
  g_autofree char *path = NULL;

  if (reference == NULL || !g_str_has_prefix (reference, "upload:"))
    return;

  path = _atelier_sandbox_store_dup_upload_path (store, reference + strlen ("upload:"));
  if (path != NULL)
    g_remove (path);
}

static char *
upload_url (const char *reference,
            const char *base_url)
{
  if (g_str_has_prefix (reference, "upload:"))
    return g_strconcat (base_url, "/sandbox/images/uploads/", reference + strlen ("upload:"), NULL);

  return g_strdup (reference);
}

/* Parameter normalization: JSON values and form text become typed values. */

static void
add_error (JsonObject *errors,
           const char *prefix,
           const char *field,
           const char *message)
{
  g_autofree char *name = g_strconcat (prefix, field, NULL);

  _atelier_sandbox_errors_add (errors, name, message);
}

static void
add_range_error (JsonObject      *errors,
                 const char      *prefix,
                 const ParamSpec *spec,
                 double           value)
{
  char number[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *message = NULL;

  if (value < spec->min)
    message = g_strdup_printf ("must be greater than or equal to %s",
                               g_ascii_formatd (number, sizeof number, "%g", spec->min));
  else
    message = g_strdup_printf ("must be less than or equal to %s",
                               g_ascii_formatd (number, sizeof number, "%g", spec->max));

  add_error (errors, prefix, spec->name, message);
}

static void
normalize_param (AtelierSandboxStore   *store,
                 AtelierSandboxRequest *request,
                 const ParamSpec       *spec,
                 JsonNode              *node,
                 JsonObject            *out,
                 const char            *prefix,
                 JsonObject            *errors)
{
  gint64 int_value;
  double double_value;
  gboolean bool_value;
  g_autofree char *text = NULL;
  AtelierSandboxFile *file;

  switch (spec->type)
    {
    case PARAM_STRING:
      text = _atelier_sandbox_node_dup_string (node);
      if (text == NULL)
        {
          add_error (errors, prefix, spec->name, "is invalid");
        }
      else if (spec->choices != NULL && text[0] != '\0')
        {
          if (g_strv_contains (spec->choices, text))
            json_object_set_string_member (out, spec->name, text);
          else
            add_error (errors, prefix, spec->name, "is not included in the list");
        }
      else if (spec->choices == NULL)
        {
          json_object_set_string_member (out, spec->name, text);
        }
      break;

    case PARAM_INT:
      if (!_atelier_sandbox_node_get_int (node, &int_value))
        add_error (errors, prefix, spec->name, "is not a number");
      else if (int_value < spec->min || (double) int_value > spec->max)
        add_range_error (errors, prefix, spec, (double) int_value);
      else if (spec->multiple_of_8 && int_value % 8 != 0)
        add_error (errors, prefix, spec->name, "must be a multiple of 8");
      else
        json_object_set_int_member (out, spec->name, int_value);
      break;

    case PARAM_DOUBLE:
      if (!_atelier_sandbox_node_get_double (node, &double_value))
        add_error (errors, prefix, spec->name, "is not a number");
      else if (double_value < spec->min || double_value > spec->max)
        add_range_error (errors, prefix, spec, double_value);
      else
        json_object_set_double_member (out, spec->name, double_value);
      break;

    case PARAM_BOOL:
      if (!_atelier_sandbox_node_get_bool (node, &bool_value))
        add_error (errors, prefix, spec->name, "is not a boolean");
      else
        json_object_set_boolean_member (out, spec->name, bool_value);
      break;

    case PARAM_IMAGE:
      file = _atelier_sandbox_request_lookup_file (request, node);
      if (file == NULL)
        add_error (errors, prefix, spec->name, "must be a file upload");
      else if (store != NULL)
        {
          text = store_save_upload (store, file);
          json_object_set_string_member (out, spec->name, text);
        }
      break;

    default:
      g_assert_not_reached ();
    }
}

/* With @store NULL, files are checked but not saved (validation pass). */
static JsonObject *
normalize_params (AtelierSandboxStore   *store,
                  AtelierSandboxRequest *request,
                  JsonObject            *input,
                  const ParamSpec       *specs,
                  guint                  n_specs,
                  const char            *prefix,
                  JsonObject            *errors)
{
  JsonObject *out = json_object_new ();

  for (guint i = 0; i < n_specs; i++)
    {
      JsonNode *node = _atelier_sandbox_params_get (input, specs[i].name);

      /* Rails casts "" to nil for everything but free text. */
      if (node == NULL || JSON_NODE_HOLDS_NULL (node) ||
          (specs[i].type != PARAM_STRING && _atelier_sandbox_node_is_blank (node)))
        continue;

      normalize_param (store, request, &specs[i], node, out, prefix, errors);
    }

  return out;
}

static gboolean
params_get_flag (JsonObject *params,
                 const char *name)
{
  JsonNode *node = json_object_get_member (params, name);

  return node != NULL && json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
         json_node_get_boolean (node);
}

static gboolean
params_has (JsonObject *params,
            const char *name)
{
  JsonNode *node = json_object_get_member (params, name);

  return node != NULL && !_atelier_sandbox_node_is_blank (node);
}

/* Cross-field rules of the prompt documentation. */
static void
validate_prompt (JsonObject *input,
                 JsonObject *params,
                 const char *prefix,
                 JsonObject *errors)
{
  gboolean has_input_image = params_has (params, "input_image") ||
                             params_has (params, "input_image_url") ||
                             params_has (input, "input_image");

  if (_atelier_sandbox_node_is_blank (_atelier_sandbox_params_get (input, "text")))
    add_error (errors, prefix, "text", "can't be blank");

  if (params_get_flag (params, "inpaint_faces") && !params_get_flag (params, "super_resolution"))
    add_error (errors, prefix, "inpaint_faces", "requires super_resolution");

  if (params_get_flag (params, "hires_fix") && !params_get_flag (params, "super_resolution"))
    add_error (errors, prefix, "hires_fix", "requires super_resolution");

  if (params_has (params, "controlnet") && !has_input_image)
    add_error (errors, prefix, "controlnet", "requires input_image or input_image_url");

  if ((params_has (params, "mask_image") || params_has (params, "mask_image_url") ||
       params_has (input, "mask_image")) && !has_input_image)
    add_error (errors, prefix, "mask_image", "requires input_image or input_image_url");
}

static AtelierSandboxPrompt *
store_new_prompt (AtelierSandboxStore *store,
                  AtelierSandboxTune  *tune,
                  const char          *text,
                  JsonObject          *params,
                  gint64               now)
{
  AtelierSandboxPrompt *prompt = g_new0 (AtelierSandboxPrompt, 1);
  gint64 num_images = ATELIER_SANDBOX_DEFAULT_IMAGES;

  _atelier_sandbox_node_get_int (json_object_get_member (params, "num_images"), &num_images);

  prompt->id = store->next_prompt_id++;
  prompt->tune_id = tune->id;
  prompt->text = g_strdup (text);
  prompt->params = json_object_ref (params);
  prompt->num_images = (guint) CLAMP (num_images, 1, 8);
  prompt->created_at = now;
  prompt->started_at = MAX (now, tune->ready_at);
  prompt->ready_at = prompt->started_at + (gint64) store->prompt_delay_ms * 1000;
  store_add_prompt (store, prompt);

  return prompt;
}

static char *
dup_trimmed_text (JsonObject *input)
{
  g_autofree char *text = _atelier_sandbox_node_dup_string (_atelier_sandbox_params_get (input, "text"));

  return text != NULL ? g_strdup (g_strstrip (text)) : NULL;
}

AtelierSandboxPrompt *
_atelier_sandbox_store_create_prompt (AtelierSandboxStore   *store,
                                      AtelierSandboxRequest *request,
                                      AtelierSandboxTune    *tune,
                                      JsonObject            *prompt_params,
                                      JsonObject            *errors)
{
  g_autoptr(JsonObject) checked = NULL;
  g_autoptr(JsonObject) params = NULL;
  g_autofree char *text = NULL;

  checked = normalize_params (NULL, request, prompt_params, prompt_specs,
                              G_N_ELEMENTS (prompt_specs), "", errors);
  validate_prompt (prompt_params, checked, "", errors);
  if (json_object_get_size (errors) > 0)
    return NULL;

  params = normalize_params (store, request, prompt_params, prompt_specs,
                             G_N_ELEMENTS (prompt_specs), "", errors);
  text = dup_trimmed_text (prompt_params);

  return store_new_prompt (store, tune, text, params, g_get_real_time ());
}

/* Template substitution for pack and theme prompts: {{token}}, {{class}}
 * (also {{name}}), {{theme}} and the tune's characteristics; unknown
 * placeholders become empty. */
static char *
expand_template (const char         *template,
                 AtelierSandboxTune *tune,
                 const char         *theme)
{
  GString *out = g_string_new (NULL);
  const char *p = template;

  while (*p != '\0')
    {
      const char *open = strstr (p, "{{");
      const char *close;
      g_autofree char *key = NULL;
      g_autofree char *value = NULL;

      if (open == NULL || (close = strstr (open + 2, "}}")) == NULL)
        {
          g_string_append (out, p);
          break;
        }

      g_string_append_len (out, p, open - p);
      key = g_strstrip (g_strndup (open + 2, close - open - 2));

      if (g_str_equal (key, "token"))
        value = g_strdup (tune->token ? tune->token : "ohwx");
      else if (g_str_equal (key, "class") || g_str_equal (key, "name"))
        value = g_strdup (tune->name ? tune->name : "person");
      else if (g_str_equal (key, "theme"))
        value = g_strdup (theme ? theme : "");
      else if (tune->characteristics != NULL)
        value = _atelier_sandbox_node_dup_string (json_object_get_member (tune->characteristics, key));

      g_string_append (out, value ? value : "");
      p = close + 2;
    }

  return g_string_free (out, FALSE);
}

GPtrArray *
_atelier_sandbox_store_apply_pack (AtelierSandboxStore *store,
                                   AtelierSandboxPack  *pack,
                                   AtelierSandboxTune  *tune,
                                   const char          *callback)
{
  GPtrArray *prompts = g_ptr_array_new ();
  gint64 now = g_get_real_time ();

  for (guint i = 0; i < pack->prompts->len; i++)
    {
      AtelierSandboxPrompt *template = g_ptr_array_index (pack->prompts, i);
      g_autoptr(JsonObject) params = object_deep_copy (template->params);
      g_autofree char *expanded = expand_template (template->text, tune, NULL);
      g_autofree char *text = NULL;
      AtelierSandboxPrompt *prompt;

      /* LoRA and FaceID packs load the tune into a base model's prompt. */
      if (g_strcmp0 (pack->model_type, "lora") == 0)
        text = g_strdup_printf ("<lora:%" G_GINT64_FORMAT ":1> %s", tune->id, expanded);
      else if (g_strcmp0 (pack->model_type, "faceid") == 0)
        text = g_strdup_printf ("<faceid:%" G_GINT64_FORMAT ":1> %s", tune->id, expanded);
      else
        text = g_steal_pointer (&expanded);

      if (callback != NULL)
        json_object_set_string_member (params, "callback", callback);

      prompt = store_new_prompt (store, tune, text, params, now);
      prompt->orig_prompt_id = template->id;
      g_ptr_array_add (prompts, prompt);
    }

  return prompts;
}

static AtelierSandboxTune *
find_tune_by_title (AtelierSandboxStore *store,
                    const char          *title)
{
  for (guint i = 0; i < store->tunes->len; i++)
    {
      AtelierSandboxTune *tune = g_ptr_array_index (store->tunes, i);

      if (g_strcmp0 (tune->title, title) == 0)
        return tune;
    }

  return NULL;
}

static const char *
params_string_or (JsonObject *params,
                  const char *name,
                  const char *fallback)
{
  const char *value = _atelier_sandbox_params_get_string (params, name);

  return value != NULL && value[0] != '\0' ? value : fallback;
}

/* The training images: file parts and URLs; NULL entries are invalid. */
static void
validate_tune_images (AtelierSandboxRequest *request,
                      JsonObject            *input,
                      JsonObject            *errors)
{
  g_autoptr(GPtrArray) images = _atelier_sandbox_params_dup_list (input, "images");
  g_autoptr(GPtrArray) urls = _atelier_sandbox_params_dup_list (input, "image_urls");
  guint count = 0;

  for (guint i = 0; i < images->len; i++)
    {
      if (_atelier_sandbox_request_lookup_file (request, g_ptr_array_index (images, i)) == NULL)
        add_error (errors, "", "images", "must be file uploads");
      else
        count++;
    }

  for (guint i = 0; i < urls->len; i++)
    {
      if (!_atelier_sandbox_node_is_blank (g_ptr_array_index (urls, i)))
        count++;
    }

  if (count == 0)
    add_error (errors, "", "images", "can't be blank");
}

static void
store_tune_images (AtelierSandboxStore   *store,
                   AtelierSandboxRequest *request,
                   JsonObject            *input,
                   AtelierSandboxTune    *tune)
{
  g_autoptr(GPtrArray) images = _atelier_sandbox_params_dup_list (input, "images");
  g_autoptr(GPtrArray) urls = _atelier_sandbox_params_dup_list (input, "image_urls");

  for (guint i = 0; i < images->len; i++)
    {
      AtelierSandboxFile *file = _atelier_sandbox_request_lookup_file (request, g_ptr_array_index (images, i));

      if (file != NULL)
        g_ptr_array_add (tune->images, store_save_upload (store, file));
    }

  for (guint i = 0; i < urls->len; i++)
    {
      char *url = _atelier_sandbox_node_dup_string (g_ptr_array_index (urls, i));

      if (url != NULL && url[0] != '\0')
        g_ptr_array_add (tune->images, url);
      else
        g_free (url);
    }
}

static JsonObject *
dup_characteristics (JsonObject *input)
{
  JsonObject *characteristics = _atelier_sandbox_params_get_object (input, "characteristics");

  return characteristics != NULL ? object_deep_copy (characteristics) : NULL;
}

static const char *
default_token (const char *branch)
{
  return g_strcmp0 (branch, "sd15") == 0 ? "sks" : "ohwx";
}

AtelierSandboxTune *
_atelier_sandbox_store_create_tune (AtelierSandboxStore    *store,
                                    AtelierSandboxRequest  *request,
                                    JsonObject             *input,
                                    AtelierSandboxPack     *pack,
                                    JsonObject             *errors,
                                    gboolean               *existed,
                                    GPtrArray             **prompts_out)
{
  g_autoptr(JsonObject) params = NULL;
  g_autoptr(GPtrArray) prompt_inputs = NULL;
  g_autoptr(GPtrArray) prompts = g_ptr_array_new ();
  AtelierSandboxTune *base = NULL;
  AtelierSandboxTune *tune;
  const char *title;
  const char *name;
  const char *branch;
  gint64 now = g_get_real_time ();

  *existed = FALSE;
  *prompts_out = NULL;

  /* Idempotency: the same title answers the existing tune. */
  title = _atelier_sandbox_params_get_string (input, "title");
  if (title != NULL && (tune = find_tune_by_title (store, title)) != NULL)
    {
      *existed = TRUE;
      *prompts_out = g_ptr_array_new ();
      return tune;
    }

  params = normalize_params (NULL, request, input, tune_specs, G_N_ELEMENTS (tune_specs), "", errors);
  title = params_string_or (params, "title", NULL);
  name = params_string_or (params, "name", NULL);

  if (title == NULL)
    add_error (errors, "", "title", "can't be blank");
  if (name == NULL)
    add_error (errors, "", "name", "can't be blank");
  validate_tune_images (request, input, errors);

  if (json_object_has_member (params, "base_tune_id"))
    {
      base = _atelier_sandbox_store_lookup_tune (store, json_object_get_int_member (params, "base_tune_id"));
      if (base == NULL)
        add_error (errors, "", "base_tune", "must exist");
    }

  if (pack != NULL && name != NULL && !json_object_has_member (pack->cost_mc_hash, name))
    add_error (errors, "", "name", "is not supported by this pack");

  prompt_inputs = _atelier_sandbox_params_dup_list (input, "prompts_attributes");
  for (guint i = 0; i < prompt_inputs->len; i++)
    {
      JsonNode *node = g_ptr_array_index (prompt_inputs, i);
      g_autoptr(JsonObject) checked = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          add_error (errors, "", "prompts", "is invalid");
          continue;
        }

      checked = normalize_params (NULL, request, json_node_get_object (node), prompt_specs,
                                  G_N_ELEMENTS (prompt_specs), "prompts.", errors);
      validate_prompt (json_node_get_object (node), checked, "prompts.", errors);
    }

  if (json_object_get_size (errors) > 0)
    return NULL;

  if (pack != NULL)
    base = _atelier_sandbox_store_lookup_tune (store, pack->base_tune_id);

  tune = tune_new ();
  tune->id = store->next_tune_id++;
  tune->title = g_strdup (title);
  tune->name = g_strdup (name);
  branch = params_string_or (params, "branch", base ? base->branch : "sd15");
  tune->branch = g_strdup (branch);
  tune->token = g_strdup (params_string_or (params, "token", pack ? pack->token : default_token (branch)));
  tune->callback = g_strdup (params_string_or (params, "callback", NULL));
  tune->preset = g_strdup (params_string_or (params, "preset", NULL));
  if (pack != NULL)
    tune->model_type = g_strdup (pack->model_type);
  else
    tune->model_type = g_strdup (params_string_or (params, "model_type",
                                                   g_str_equal (branch, "sdxl1") ? "pti" : NULL));
  tune->base_tune_id = base ? base->id : 0;
  if (json_object_has_member (params, "steps"))
    tune->steps = json_object_get_int_member (params, "steps");
  if (json_object_has_member (params, "face_crop"))
    tune->face_crop = json_object_get_boolean_member (params, "face_crop");
  tune->training_face_correct = params_get_flag (params, "training_face_correct");
  tune->auto_extend = params_get_flag (params, "auto_extend");
  tune->characteristics = dup_characteristics (input);
  tune->created_at = now;

  /* Mock (fast) tunes and FaceID placeholders need no training. */
  if (g_str_equal (branch, "fast") || g_strcmp0 (tune->model_type, "faceid") == 0)
    tune->ready_at = now;
  else
    tune->ready_at = now + (gint64) store->training_delay_ms * 1000;

  store_tune_images (store, request, input, tune);
  store_add_tune (store, tune);

  for (guint i = 0; i < prompt_inputs->len; i++)
    {
      JsonObject *prompt_input = json_node_get_object (g_ptr_array_index (prompt_inputs, i));
      g_autoptr(JsonObject) prompt_params = NULL;
      g_autofree char *text = dup_trimmed_text (prompt_input);

      prompt_params = normalize_params (store, request, prompt_input, prompt_specs,
                                        G_N_ELEMENTS (prompt_specs), "prompts.", errors);
      g_ptr_array_add (prompts, store_new_prompt (store, tune, text, prompt_params, now));
    }

  if (pack != NULL)
    {
      JsonObject *attributes = _atelier_sandbox_params_get_object (input, "prompt_attributes");
      const char *callback = params_string_or (attributes, "callback", NULL);
      g_autoptr(GPtrArray) pack_prompts = _atelier_sandbox_store_apply_pack (store, pack, tune, callback);

      g_ptr_array_extend (prompts, pack_prompts, NULL, NULL);
    }

  *prompts_out = g_steal_pointer (&prompts);

  return tune;
}

gboolean
_atelier_sandbox_store_create_theme (AtelierSandboxStore *store,
                                     JsonObject          *input,
                                     JsonObject          *errors)
{
  g_autoptr(GPtrArray) ids = _atelier_sandbox_params_dup_list (input, "tune_ids");
  g_autoptr(GPtrArray) tunes = g_ptr_array_new ();
  g_autoptr(JsonObject) params = NULL;
  g_autofree char *theme = _atelier_sandbox_node_dup_string (_atelier_sandbox_params_get (input, "theme"));
  JsonObject *attributes = _atelier_sandbox_params_get_object (input, "prompt_attributes");
  gint64 now = g_get_real_time ();

  if (theme == NULL || g_strstrip (theme)[0] == '\0')
    add_error (errors, "", "theme", "can't be blank");

  if (ids->len == 0)
    add_error (errors, "", "tune_ids", "can't be blank");

  for (guint i = 0; i < ids->len; i++)
    {
      AtelierSandboxTune *tune = NULL;
      gint64 id;

      if (_atelier_sandbox_node_get_int (g_ptr_array_index (ids, i), &id))
        tune = _atelier_sandbox_store_lookup_tune (store, id);

      if (tune == NULL)
        {
          add_error (errors, "", "tune_ids", "contains an unknown tune");
          break;
        }
      g_ptr_array_add (tunes, tune);
    }

  params = normalize_params (NULL, NULL, attributes, prompt_specs, G_N_ELEMENTS (prompt_specs),
                             "prompt_attributes.", errors);
  if (json_object_get_size (errors) > 0)
    return FALSE;

  for (guint i = 0; i < tunes->len; i++)
    {
      AtelierSandboxTune *tune = g_ptr_array_index (tunes, i);

      for (guint j = 0; j < G_N_ELEMENTS (theme_variations); j++)
        {
          g_autofree char *text = expand_template (theme_variations[j], tune, theme);
          g_autoptr(JsonObject) copy = object_deep_copy (params);

          store_new_prompt (store, tune, text, copy, now);
        }
    }

  return TRUE;
}

/* Deletion and likes */

static void
remove_cached_images (AtelierSandboxStore  *store,
                      AtelierSandboxPrompt *prompt)
{
  for (guint i = 0; i < prompt->num_images; i++)
    {
      g_autofree char *name = g_strdup_printf ("%" G_GINT64_FORMAT "-%u.jpg", prompt->id, i);
      g_autofree char *path = g_build_filename (store->data_dir, "images", name, NULL);

      g_remove (path);
    }
}

void
_atelier_sandbox_store_delete_prompt (AtelierSandboxStore  *store,
                                      AtelierSandboxPrompt *prompt)
{
  remove_cached_images (store, prompt);
  store_remove_upload (store, _atelier_sandbox_params_get_string (prompt->params, "input_image"));
  store_remove_upload (store, _atelier_sandbox_params_get_string (prompt->params, "mask_image"));

  g_hash_table_remove (store->prompts_by_id, &prompt->id);
  g_ptr_array_remove (store->prompts, prompt);
}

void
_atelier_sandbox_store_delete_tune (AtelierSandboxStore *store,
                                    AtelierSandboxTune  *tune)
{
  g_return_if_fail (!tune->gallery);

  for (guint i = store->prompts->len; i > 0; i--)
    {
      AtelierSandboxPrompt *prompt = g_ptr_array_index (store->prompts, i - 1);

      if (prompt->tune_id == tune->id)
        _atelier_sandbox_store_delete_prompt (store, prompt);
    }

  for (guint i = 0; i < tune->images->len; i++)
    store_remove_upload (store, g_ptr_array_index (tune->images, i));

  g_hash_table_remove (store->tunes_by_id, &tune->id);
  g_ptr_array_remove (store->tunes, tune);
}

/* A prompt is liked or not; a pack's template counts the likes of the
 * prompts made from it (the documentation adds them to the original). */
void
_atelier_sandbox_store_set_liked (AtelierSandboxStore  *store,
                                  AtelierSandboxPrompt *prompt,
                                  gboolean              liked)
{
  AtelierSandboxPrompt *template;

  if (prompt->liked == liked)
    return;

  prompt->liked = liked;

  template = g_hash_table_lookup (store->templates_by_id, &prompt->orig_prompt_id);
  if (template == NULL)
    return;

  if (liked)
    template->likes++;
  else if (template->likes > 0)
    template->likes--;
}

guint
_atelier_sandbox_store_get_like_count (AtelierSandboxStore *store,
                                       gint64               prompt_id)
{
  AtelierSandboxPrompt *prompt = _atelier_sandbox_store_lookup_prompt (store, prompt_id);

  if (prompt != NULL)
    return prompt->liked ? 1 : 0;

  prompt = g_hash_table_lookup (store->templates_by_id, &prompt_id);

  return prompt != NULL ? prompt->likes : 0;
}

/* Seeding */

AtelierSandboxTune *
_atelier_sandbox_store_seed_tune (AtelierSandboxStore *store,
                                  const char          *title,
                                  const char          *class_name,
                                  gboolean             trained)
{
  AtelierSandboxTune *tune = tune_new ();
  gint64 now = g_get_real_time ();

  tune->id = store->next_tune_id++;
  tune->title = g_strdup (title);
  tune->name = g_strdup (class_name);
  tune->token = g_strdup ("ohwx");
  tune->branch = g_strdup ("sd15");
  tune->base_tune_id = ATELIER_SANDBOX_RV51_TUNE_ID;
  tune->created_at = now;
  tune->ready_at = trained ? now : now + (gint64) store->training_delay_ms * 1000;
  store_add_tune (store, tune);

  return tune;
}

AtelierSandboxPrompt *
_atelier_sandbox_store_seed_prompt (AtelierSandboxStore *store,
                                    AtelierSandboxTune  *tune,
                                    const char          *text,
                                    guint                n_images)
{
  g_autoptr(JsonObject) params = json_object_new ();
  AtelierSandboxPrompt *prompt;
  gint64 now = g_get_real_time ();

  json_object_set_int_member (params, "num_images", CLAMP (n_images, 1, 8));
  prompt = store_new_prompt (store, tune, text, params, now);
  prompt->started_at = now;
  prompt->ready_at = now;

  return prompt;
}

/* fal */

AtelierSandboxFalRequest *
_atelier_sandbox_store_create_fal (AtelierSandboxStore *store,
                                   JsonObject          *input)
{
  AtelierSandboxFalRequest *request = g_new0 (AtelierSandboxFalRequest, 1);
  gint64 seed;

  request->id = g_uuid_string_random ();
  request->input = object_deep_copy (input);
  request->created_at = g_get_real_time ();
  request->delay_usec = (gint64) store->fal_delay_ms * 1000;
  if (!_atelier_sandbox_node_get_int (json_object_get_member (input, "seed"), &seed))
    seed = g_str_hash (request->id) & 0x7fffffff;
  request->seed = seed;
  store_add_fal (store, request);

  return request;
}

/* A request waits in the queue for the first third of the delay, is in
 * progress for the rest and then completed. */
AtelierSandboxFalState
_atelier_sandbox_store_get_fal_state (AtelierSandboxStore      *store,
                                      AtelierSandboxFalRequest *request,
                                      guint                    *queue_position)
{
  gint64 now = g_get_real_time ();
  guint position = 0;

  if (queue_position != NULL)
    *queue_position = 0;

  if (request->cancelled_at != 0)
    return ATELIER_SANDBOX_FAL_CANCELLED;
  if (now >= request->created_at + request->delay_usec)
    return ATELIER_SANDBOX_FAL_COMPLETED;
  if (now >= request->created_at + request->delay_usec / 3)
    return ATELIER_SANDBOX_FAL_IN_PROGRESS;

  for (guint i = 0; i < store->fal_requests->len; i++)
    {
      AtelierSandboxFalRequest *other = g_ptr_array_index (store->fal_requests, i);

      if (other == request)
        break;
      if (other->cancelled_at == 0 && now < other->created_at + other->delay_usec / 3)
        position++;
    }

  if (queue_position != NULL)
    *queue_position = position;

  return ATELIER_SANDBOX_FAL_IN_QUEUE;
}

/* JSON answers */

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
  set_nullable_string (object, "title", tune->title);
  set_nullable_string (object, "name", tune->name);
  json_object_set_boolean_member (object, "is_api", !tune->gallery);
  set_nullable_string (object, "token", tune->token);
  set_nullable_int (object, "base_tune_id", tune->base_tune_id);
  json_object_set_null_member (object, "args");
  set_nullable_int (object, "steps", tune->steps);
  if (tune->face_crop >= 0)
    json_object_set_boolean_member (object, "face_crop", tune->face_crop);
  else
    json_object_set_null_member (object, "face_crop");
  json_object_set_boolean_member (object, "training_face_correct", tune->training_face_correct);
  set_nullable_string (object, "ckpt_url", has_ckpt ? MOCK_CKPT_URL : NULL);
  if (has_ckpt)
    json_array_add_string_element (ckpt_urls, MOCK_CKPT_URL);
  json_object_set_array_member (object, "ckpt_urls", ckpt_urls);
  set_time (object, "eta", tune->ready_at);
  set_time (object, "trained_at", trained ? tune->ready_at : 0);
  set_time (object, "started_training_at", tune->created_at);
  set_time (object, "expires_at", trained && !tune->gallery ? tune->ready_at + ATELIER_SANDBOX_EXPIRY_USEC : 0);
  set_time (object, "created_at", tune->created_at);
  set_nullable_string (object, "branch", tune->branch);
  set_nullable_string (object, "model_type", tune->model_type);
  set_time (object, "updated_at", trained ? tune->ready_at : tune->created_at);
  json_object_set_string_member (object, "url", url);
  for (guint i = 0; i < tune->images->len; i++)
    {
      g_autofree char *image = upload_url (g_ptr_array_index (tune->images, i), base_url);
      json_array_add_string_element (orig_images, image);
    }
  json_object_set_array_member (object, "orig_images", orig_images);
  set_nullable_object (object, "characteristics", tune->characteristics);
  set_nullable_string (object, "preset", tune->preset);
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

static void
set_param (JsonObject      *object,
           JsonObject      *params,
           const ParamSpec *spec,
           const char      *base_url)
{
  JsonNode *value = json_object_get_member (params, spec->name);

  if (value == NULL)
    {
      if (spec->type == PARAM_BOOL)
        json_object_set_boolean_member (object, spec->name, FALSE);
      else
        json_object_set_null_member (object, spec->name);
    }
  else if (spec->type == PARAM_IMAGE && json_node_get_value_type (value) == G_TYPE_STRING)
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
  gboolean done = prompt_is_done (prompt, now);
  gboolean failed = done && prompt_is_failed (prompt);

  if (prompt->pack_id != 0)
    url = g_strdup_printf ("%s/packs/%" G_GINT64_FORMAT "/prompts/%" G_GINT64_FORMAT ".json",
                           base_url, prompt->pack_id, prompt->id);
  else
    url = g_strdup_printf ("%s/tunes/%" G_GINT64_FORMAT "/prompts/%" G_GINT64_FORMAT ".json",
                           base_url, prompt->tune_id, prompt->id);

  /* The documented members first, in the documentation's order. */
  json_object_set_int_member (object, "id", prompt->id);
  set_param (object, prompt->params, &prompt_specs[0], base_url);
  set_nullable_string (object, "text", prompt->text);
  for (guint i = 1; i < G_N_ELEMENTS (prompt_specs); i++)
    {
      if (g_strv_contains (documented, prompt_specs[i].name))
        set_param (object, prompt->params, &prompt_specs[i], base_url);
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
          g_autofree char *image = g_strdup_printf ("%s/sandbox/images/%" G_GINT64_FORMAT "/%u.jpg",
                                                    base_url, prompt->id, i);
          json_array_add_string_element (images, image);
        }
    }
  json_object_set_array_member (object, "images", images);
  set_nullable_string (object, "user_error", failed ? FAIL_MESSAGE : NULL);
  set_nullable_int (object, "orig_prompt_id", prompt->orig_prompt_id);

  /* Then every other creation parameter, so that settings can be reused. */
  for (guint i = 1; i < G_N_ELEMENTS (prompt_specs); i++)
    {
      if (!g_strv_contains (documented, prompt_specs[i].name))
        set_param (object, prompt->params, &prompt_specs[i], base_url);
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
      set_nullable_string (object, "slug", pack->slug);
      set_nullable_string (object, "title", pack->title);
      set_nullable_string (object, "token", pack->token);
      set_time (object, "created_at", pack->created_at);
      set_time (object, "updated_at", pack->updated_at);
      json_object_set_int_member (object, "multiplier", pack->multiplier);
      set_nullable_string (object, "model_type", pack->model_type);
      set_time (object, "public_at", pack->public_at);
      set_nullable_object (object, "cost_mc_hash", pack->cost_mc_hash);
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

/* Images */

static guint
image_seed (gint64 id,
            guint  index)
{
  guint64 x = (guint64) id * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15) + index * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);

  x ^= x >> 31;
  x *= G_GUINT64_CONSTANT (0x94D049BB133111EB);
  x ^= x >> 29;

  return (guint) x;
}

/* Scales @w × @h so that the long side is @size (a square when unknown). */
static void
fit_size (gint64  w,
          gint64  h,
          guint   size,
          guint  *width,
          guint  *height)
{
  if (w <= 0 || h <= 0)
    {
      *width = *height = size;
      return;
    }

  if (w >= h)
    {
      *width = size;
      *height = MAX (8, (guint) llround ((double) h * size / w));
    }
  else
    {
      *height = size;
      *width = MAX (8, (guint) llround ((double) w * size / h));
    }
}

static AtelierSandboxRenderJob *
prompt_job (AtelierSandboxStore  *store,
            AtelierSandboxPrompt *prompt,
            guint                 index)
{
  AtelierSandboxRenderJob *job = g_new0 (AtelierSandboxRenderJob, 1);
  g_autofree char *name = g_strdup_printf ("%" G_GINT64_FORMAT "-%u.jpg", prompt->id, index);
  gint64 w = 0;
  gint64 h = 0;

  _atelier_sandbox_node_get_int (json_object_get_member (prompt->params, "w"), &w);
  _atelier_sandbox_node_get_int (json_object_get_member (prompt->params, "h"), &h);

  job->cache_path = g_build_filename (store->data_dir, "images", name, NULL);
  job->text = g_strdup (prompt->text);
  job->caption = g_strdup_printf ("#%" G_GINT64_FORMAT " · %u/%u", prompt->id, index + 1, prompt->num_images);
  job->seed = image_seed (prompt->id, index);
  fit_size (w, h, store->image_size, &job->width, &job->height);

  return job;
}

AtelierSandboxRenderJob *
_atelier_sandbox_store_prompt_image_job (AtelierSandboxStore *store,
                                         gint64               prompt_id,
                                         guint                index)
{
  AtelierSandboxPrompt *prompt = _atelier_sandbox_store_lookup_prompt (store, prompt_id);

  if (prompt == NULL || !prompt_is_done (prompt, g_get_real_time ()) ||
      prompt_is_failed (prompt) || index >= prompt->num_images)
    return NULL;

  return prompt_job (store, prompt, index);
}

AtelierSandboxRenderJob *
_atelier_sandbox_store_fal_image_job (AtelierSandboxStore      *store,
                                      AtelierSandboxFalRequest *request)
{
  AtelierSandboxRenderJob *job;
  g_autofree char *name = NULL;
  gint64 w = 512;
  gint64 h = 512;

  if (_atelier_sandbox_store_get_fal_state (store, request, NULL) != ATELIER_SANDBOX_FAL_COMPLETED)
    return NULL;

  _atelier_sandbox_node_get_int (json_object_get_member (request->input, "width"), &w);
  _atelier_sandbox_node_get_int (json_object_get_member (request->input, "height"), &h);
  w = CLAMP (w, 64, 4096);
  h = CLAMP (h, 64, 4096);

  job = g_new0 (AtelierSandboxRenderJob, 1);
  name = g_strdup_printf ("fal-%s.jpg", request->id);
  job->cache_path = g_build_filename (store->data_dir, "images", name, NULL);
  job->text = g_strdup (_atelier_sandbox_params_get_string (request->input, "prompt"));
  job->caption = g_strdup_printf ("fal · seed %" G_GINT64_FORMAT, request->seed);
  job->seed = image_seed (request->seed, 0x5eed);
  fit_size (w, h, MIN ((gint64) store->image_size, MAX (w, h)), &job->width, &job->height);

  return job;
}

GPtrArray *
_atelier_sandbox_store_dup_all_image_jobs (AtelierSandboxStore *store)
{
  GPtrArray *jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) _atelier_sandbox_render_job_free);
  gint64 now = g_get_real_time ();

  for (guint i = 0; i < store->prompts->len; i++)
    {
      AtelierSandboxPrompt *prompt = g_ptr_array_index (store->prompts, i);

      if (!prompt_is_done (prompt, now) || prompt_is_failed (prompt))
        continue;

      for (guint j = 0; j < prompt->num_images; j++)
        g_ptr_array_add (jobs, prompt_job (store, prompt, j));
    }

  return jobs;
}
