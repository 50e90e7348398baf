/* atelier-sandbox-store.c: the sandbox's data model
 *
 * Tunes, prompts, packs (with their prompt templates), likes and fal
 * requests, indexed by id. Nothing runs on a timer: a tune stores when it
 * will be trained (ready_at) and a prompt when it will be done, and every
 * answer is computed from the clock at read time. Creation lives in
 * atelier-sandbox-store-validate.c, persistence in
 * atelier-sandbox-store-state.c and the answers in
 * atelier-sandbox-store-json.c; this file keeps the entities, deletes
 * them, counts likes, seeds data for tests, tells the state of fal
 * requests and describes the images to render.
 *
 * Callers hold the server's lock around every function here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "atelier-sandbox-store-private.h"

/* fal: how long result URLs live */
#define FAL_URL_TTL_MS   (10 * 60 * 1000)

#define FIRST_TUNE_ID      G_GINT64_CONSTANT (1000001)
#define FIRST_PROMPT_ID    G_GINT64_CONSTANT (20000001)
#define FIRST_UPLOAD_ID    G_GINT64_CONSTANT (1)

/* Entities */

void
_atelier_sandbox_tune_free (gpointer data)
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

AtelierSandboxTune *
_atelier_sandbox_tune_new (void)
{
  AtelierSandboxTune *tune = g_new0 (AtelierSandboxTune, 1);

  tune->face_crop = -1;
  tune->images = g_ptr_array_new_with_free_func (g_free);

  return tune;
}

void
_atelier_sandbox_prompt_free (gpointer data)
{
  AtelierSandboxPrompt *prompt = data;

  g_free (prompt->text);
  g_clear_pointer (&prompt->params, json_object_unref);
  g_free (prompt);
}

void
_atelier_sandbox_pack_free (gpointer data)
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

void
_atelier_sandbox_fal_request_free (gpointer data)
{
  AtelierSandboxFalRequest *request = data;

  g_free (request->id);
  g_clear_pointer (&request->input, json_object_unref);
  g_free (request->failure);
  g_free (request->failure_field);
  g_free (request);
}

AtelierSandboxPrompt *
_atelier_sandbox_prompt_new (void)
{
  return g_new0 (AtelierSandboxPrompt, 1);
}

AtelierSandboxPack *
_atelier_sandbox_pack_new (void)
{
  AtelierSandboxPack *pack = g_new0 (AtelierSandboxPack, 1);

  pack->prompts = g_ptr_array_new_with_free_func (_atelier_sandbox_prompt_free);

  return pack;
}

AtelierSandboxFalRequest *
_atelier_sandbox_fal_request_new (void)
{
  return g_new0 (AtelierSandboxFalRequest, 1);
}

gboolean
_atelier_sandbox_prompt_is_done (AtelierSandboxPrompt *prompt,
                                 gint64                now)
{
  return prompt->pack_id == 0 && now >= prompt->ready_at;
}

gboolean
_atelier_sandbox_prompt_is_failed (AtelierSandboxPrompt *prompt)
{
  return prompt->text != NULL && strstr (prompt->text, ATELIER_SANDBOX_FAIL_MARKER) != NULL;
}

/* The store */

void
_atelier_sandbox_store_clear (AtelierSandboxStore *store)
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
  g_free (store->image_token);
  store->image_token = _atelier_sandbox_random_hex (16);
}

const char *
_atelier_sandbox_store_get_image_token (AtelierSandboxStore *store)
{
  return store->image_token;
}

AtelierSandboxStore *
_atelier_sandbox_store_new (const char *data_dir)
{
  AtelierSandboxStore *store = g_new0 (AtelierSandboxStore, 1);
  const char *ttl;
  guint64 ttl_ms = 0;

  store->data_dir = g_strdup (data_dir);
  store->gallery_tunes = _atelier_sandbox_dup_gallery_tunes ();
  store->tunes = g_ptr_array_new_with_free_func (_atelier_sandbox_tune_free);
  store->tunes_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  store->prompts = g_ptr_array_new_with_free_func (_atelier_sandbox_prompt_free);
  store->prompts_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  store->packs = g_ptr_array_new_with_free_func (_atelier_sandbox_pack_free);
  store->templates_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  store->fal_requests = g_ptr_array_new_with_free_func (_atelier_sandbox_fal_request_free);
  store->fal_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  store->fal_url_ttl_ms = FAL_URL_TTL_MS;
  ttl = g_getenv ("ATELIER_SANDBOX_FAL_URL_TTL_MS");
  if (ttl != NULL && !g_ascii_string_to_unsigned (ttl, 10, 0, G_MAXUINT, &ttl_ms, NULL))
    g_warning ("Ignoring ATELIER_SANDBOX_FAL_URL_TTL_MS=%s: not a number of milliseconds", ttl);
  else if (ttl != NULL)
    store->fal_url_ttl_ms = (guint) ttl_ms;

  _atelier_sandbox_store_clear (store);

  return store;
}

void
_atelier_sandbox_store_free (AtelierSandboxStore *store)
{
  if (store == NULL)
    return;

  g_clear_pointer (&store->image_token, g_free);
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

void
_atelier_sandbox_store_set_fal_url_ttl_ms (AtelierSandboxStore *store,
                                           guint                ttl_ms)
{
  store->fal_url_ttl_ms = ttl_ms;
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

void
_atelier_sandbox_store_add_tune (AtelierSandboxStore *store,
                                 AtelierSandboxTune  *tune)
{
  g_ptr_array_add (store->tunes, tune);
  g_hash_table_insert (store->tunes_by_id, &tune->id, tune);
  store->next_tune_id = MAX (store->next_tune_id, tune->id + 1);
}

void
_atelier_sandbox_store_add_prompt (AtelierSandboxStore  *store,
                                   AtelierSandboxPrompt *prompt)
{
  g_ptr_array_add (store->prompts, prompt);
  g_hash_table_insert (store->prompts_by_id, &prompt->id, prompt);
  store->next_prompt_id = MAX (store->next_prompt_id, prompt->id + 1);
}

void
_atelier_sandbox_store_add_fal_request (AtelierSandboxStore      *store,
                                        AtelierSandboxFalRequest *request)
{
  g_ptr_array_add (store->fal_requests, request);
  g_hash_table_insert (store->fal_by_id, request->id, request);
}

void
_atelier_sandbox_store_add_pack (AtelierSandboxStore *store,
                                 AtelierSandboxPack  *pack)
{
  g_ptr_array_add (store->packs, pack);
  for (guint i = 0; i < pack->prompts->len; i++)
    {
      AtelierSandboxPrompt *template = g_ptr_array_index (pack->prompts, i);
      g_hash_table_insert (store->templates_by_id, &template->id, template);
    }
}

/* The tunes of @ids, in order; at an unknown id, adds the error and stops. */
GPtrArray *
_atelier_sandbox_store_lookup_tunes (AtelierSandboxStore *store,
                                     GPtrArray           *ids,
                                     JsonObject          *errors)
{
  GPtrArray *tunes = g_ptr_array_new ();

  for (guint i = 0; i < ids->len; i++)
    {
      AtelierSandboxTune *tune = NULL;
      gint64 id;

      if (_atelier_sandbox_node_get_int (g_ptr_array_index (ids, i), &id))
        tune = _atelier_sandbox_store_lookup_tune (store, id);

      if (tune == NULL)
        {
          _atelier_sandbox_errors_add (errors, "tune_ids", "contains an unknown tune");
          break;
        }
      g_ptr_array_add (tunes, tune);
    }

  return tunes;
}

/* Creation */

AtelierSandboxPrompt *
_atelier_sandbox_store_new_prompt (AtelierSandboxStore *store,
                                   AtelierSandboxTune  *tune,
                                   const char          *text,
                                   JsonObject          *params,
                                   gint64               now)
{
  AtelierSandboxPrompt *prompt = _atelier_sandbox_prompt_new ();
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
  _atelier_sandbox_store_add_prompt (store, prompt);

  return prompt;
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
  _atelier_sandbox_store_remove_upload (store, _atelier_sandbox_params_get_string (prompt->params, "input_image"));
  _atelier_sandbox_store_remove_upload (store, _atelier_sandbox_params_get_string (prompt->params, "mask_image"));

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
    _atelier_sandbox_store_remove_upload (store, g_ptr_array_index (tune->images, i));

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
  AtelierSandboxTune *tune = _atelier_sandbox_tune_new ();
  gint64 now = g_get_real_time ();

  tune->id = store->next_tune_id++;
  tune->title = g_strdup (title);
  tune->name = g_strdup (class_name);
  tune->token = g_strdup ("ohwx");
  tune->branch = g_strdup ("sd15");
  tune->base_tune_id = ATELIER_SANDBOX_RV51_TUNE_ID;
  tune->created_at = now;
  tune->ready_at = trained ? now : now + (gint64) store->training_delay_ms * 1000;
  _atelier_sandbox_store_add_tune (store, tune);

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
  prompt = _atelier_sandbox_store_new_prompt (store, tune, text, params, now);
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
  request->input = _atelier_sandbox_object_deep_copy (input);
  request->created_at = g_get_real_time ();
  request->delay_usec = (gint64) store->fal_delay_ms * 1000;
  if (!_atelier_sandbox_node_get_int (json_object_get_member (input, "seed"), &seed))
    seed = g_str_hash (request->id) & 0x7fffffff;
  request->seed = seed;
  _atelier_sandbox_store_add_fal_request (store, request);

  return request;
}

/* A request waits in the queue for the first third of the delay, is in
 * progress for the rest and then completed. In the queue, its position
 * counts the requests still queued ahead of it, so it counts down as
 * they leave (submit with different delays to see it). */
AtelierSandboxFalState
_atelier_sandbox_store_get_fal_state (AtelierSandboxStore      *store,
                                      AtelierSandboxFalRequest *request,
                                      guint                    *queue_position)
{
  gint64 now = g_get_real_time ();
  gint64 queue_end = request->created_at + request->delay_usec / 3;
  guint position = 0;

  if (queue_position != NULL)
    *queue_position = 0;

  if (request->cancelled_at != 0)
    return ATELIER_SANDBOX_FAL_CANCELLED;
  if (now >= request->created_at + request->delay_usec)
    return ATELIER_SANDBOX_FAL_COMPLETED;
  if (now >= queue_end)
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

double
_atelier_sandbox_store_get_fal_progress (AtelierSandboxStore      *store,
                                         AtelierSandboxFalRequest *request)
{
  gint64 start = request->created_at + request->delay_usec / 3;
  gint64 span = request->delay_usec - request->delay_usec / 3;
  gint64 now = g_get_real_time ();

  if (now >= request->created_at + request->delay_usec)
    return 1.0;
  if (now <= start || span <= 0)
    return 0.0;

  return CLAMP ((double) (now - start) / span, 0.0, 1.0);
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

  if (prompt == NULL || !_atelier_sandbox_prompt_is_done (prompt, g_get_real_time ()) ||
      _atelier_sandbox_prompt_is_failed (prompt) || index >= prompt->num_images)
    return NULL;

  return prompt_job (store, prompt, index);
}

AtelierSandboxRenderJob *
_atelier_sandbox_store_fal_render_job (AtelierSandboxStore      *store,
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

/* The image at its URL: gone once the URL has expired, like fal's
 * temporary URLs, and never there for a request that failed. */
AtelierSandboxRenderJob *
_atelier_sandbox_store_fal_image_job (AtelierSandboxStore      *store,
                                      AtelierSandboxFalRequest *request)
{
  gint64 completed_at = request->created_at + request->delay_usec;

  if (request->failure != NULL ||
      g_get_real_time () >= completed_at + (gint64) store->fal_url_ttl_ms * 1000)
    return NULL;

  return _atelier_sandbox_store_fal_render_job (store, request);
}

GPtrArray *
_atelier_sandbox_store_dup_all_image_jobs (AtelierSandboxStore *store)
{
  GPtrArray *jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) _atelier_sandbox_render_job_free);
  gint64 now = g_get_real_time ();

  for (guint i = 0; i < store->prompts->len; i++)
    {
      AtelierSandboxPrompt *prompt = g_ptr_array_index (store->prompts, i);

      if (!_atelier_sandbox_prompt_is_done (prompt, now) || _atelier_sandbox_prompt_is_failed (prompt))
        continue;

      for (guint j = 0; j < prompt->num_images; j++)
        g_ptr_array_add (jobs, prompt_job (store, prompt, j));
    }

  return jobs;
}
