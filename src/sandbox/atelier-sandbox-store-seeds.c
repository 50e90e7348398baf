/* atelier-sandbox-store-seeds.c: the sandbox's built-in data
 *
 * The gallery's base models, which always exist and take prompts, and the
 * packs (the user's and the gallery's, with their prompt templates) a new
 * sandbox starts with.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-sandbox-store-private.h"

#define FIRST_TEMPLATE_ID G_GINT64_CONSTANT (9000001)

/* The data */

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

static gint64
parse_local_seed_time (const char *text)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) date = g_date_time_new_from_iso8601 (text, utc);

  return date != NULL ? g_date_time_to_unix (date) * G_USEC_PER_SEC : 0;
}

/* Gallery tunes */

GPtrArray *
_atelier_sandbox_dup_gallery_tunes (void)
{
  GPtrArray *tunes = g_ptr_array_new_with_free_func (_atelier_sandbox_tune_free);

  for (guint i = 0; i < G_N_ELEMENTS (gallery_seeds); i++)
    {
      AtelierSandboxTune *tune = _atelier_sandbox_tune_new ();

      tune->id = gallery_seeds[i].id;
      tune->title = g_strdup (gallery_seeds[i].title);
      tune->token = g_strdup ("ohwx");
      tune->branch = g_strdup (gallery_seeds[i].branch);
      tune->created_at = parse_local_seed_time (gallery_seeds[i].created_at);
      tune->ready_at = tune->created_at + G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC;
      tune->gallery = TRUE;
      g_ptr_array_add (tunes, tune);
    }

  return tunes;
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

void
_atelier_sandbox_store_seed_packs (AtelierSandboxStore *store)
{
  gint64 now = g_get_real_time ();
  gint64 template_id = FIRST_TEMPLATE_ID;

  for (guint i = 0; i < G_N_ELEMENTS (pack_seeds); i++)
    {
      const PackSeed *seed = &pack_seeds[i];
      AtelierSandboxPack *pack = _atelier_sandbox_pack_new ();

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

      for (guint j = 0; j < seed->n_prompts; j++)
        {
          const PackPromptSeed *prompt_seed = &seed->prompts[j];
          AtelierSandboxPrompt *template = _atelier_sandbox_prompt_new ();

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

      _atelier_sandbox_store_add_pack (store, pack);
    }
}

AtelierSandboxPack *
_atelier_sandbox_store_seed_pack (AtelierSandboxStore *store,
                                  const char          *title,
                                  gboolean             gallery,
                                  const char          *costs,
                                  guint                n_prompts)
{
  AtelierSandboxPack *pack = _atelier_sandbox_pack_new ();
  gint64 template_id = FIRST_TEMPLATE_ID;
  gint64 now = g_get_real_time ();

  pack->id = 1;
  for (guint i = 0; i < store->packs->len; i++)
    {
      AtelierSandboxPack *other = g_ptr_array_index (store->packs, i);

      pack->id = MAX (pack->id, other->id + 1);
      for (guint j = 0; j < other->prompts->len; j++)
        template_id = MAX (template_id, ((AtelierSandboxPrompt *) g_ptr_array_index (other->prompts, j))->id + 1);
    }

  pack->base_tune_id = ATELIER_SANDBOX_RV51_TUNE_ID;
  pack->slug = g_strdup_printf ("seeded-%" G_GINT64_FORMAT, pack->id);
  pack->title = g_strdup (title);
  pack->token = g_strdup ("ohwx");
  pack->multiplier = 10;
  pack->gallery = gallery;
  pack->created_at = now;
  pack->updated_at = now;
  pack->public_at = gallery ? now : 0;
  pack->cost_mc_hash = parse_costs (costs);

  for (guint j = 0; j < n_prompts; j++)
    {
      AtelierSandboxPrompt *template = _atelier_sandbox_prompt_new ();

      template->id = template_id++;
      template->pack_id = pack->id;
      template->tune_id = pack->base_tune_id;
      template->text = g_strdup_printf ("{{token}} {{class}} seeded pack prompt %u", j + 1);
      template->num_images = 2;
      template->created_at = now;
      template->params = json_object_new ();
      json_object_set_int_member (template->params, "num_images", 2);
      g_ptr_array_add (pack->prompts, template);
    }

  _atelier_sandbox_store_add_pack (store, pack);

  return pack;
}
