/* test-gallery-models.c: the gallery's models against the sandbox over HTTP
 *
 * The prompts model (paging, filters, sorting, polling), the image cache
 * (disk cache, memory bound), likes (round trip, rollback) and the local
 * library (keeps originals after the server forgets). No widgets and no
 * display: textures are made from pixbufs. No fixed sleeps either: what
 * must not happen is checked once nothing is scheduled any more.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atelier-image-cache-private.h"
#include "atelier-library-private.h"
#include "atelier-likes.h"
#include "atelier-prompts-model-private.h"
#include "atelier-test-account.h"
#include "atelier-test-utils.h"

#define WAIT_MS 20000

typedef struct
{
  AtelierTestAccount    account;
  gint64                tune_id;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  atelier_test_account_set_up (&f->account, 128, "atelier-gallery-models-XXXXXX");

  f->tune_id = atelier_sandbox_server_seed_tune (f->account.server, "Ada - 1", "woman", TRUE);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  atelier_test_account_tear_down (&f->account);
}

static void
count_changes_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *count)
{
  (*count)++;
}

static AtelierPromptsModel *
new_model (Fixture *f)
{
  AtelierPromptsModel *model = atelier_prompts_model_new (f->account.client, f->account.likes, f->account.library);

  return model;
}

/* Runs what is ready now: idles, answers already in. */
static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Nothing on its way and nothing due later: no poll can come unless
 * something changes. */
static gboolean
polling_idle (AtelierPromptsModel *model)
{
  return !atelier_poller_get_busy (_atelier_prompts_model_get_poller (model));
}

static void
wait_idle (AtelierPromptsModel *model)
{
  /* Loading starts from an idle after get_item(): let it start. */
  for (int i = 0; i < 3; i++)
    g_main_context_iteration (NULL, FALSE);
  atelier_test_wait_until (!atelier_prompts_model_is_loading (model), WAIT_MS);
}

static gint64
item_prompt_id (GListModel *model,
                guint       position)
{
  g_autoptr(AtelierGalleryItem) item = g_list_model_get_item (model, position);

  g_assert_nonnull (item);
  return atelier_gallery_item_get_prompt_id (item);
}

/* Newest first; a prompt's images in order. */
static void
assert_order (GListModel *model)
{
  gint64 previous = G_MAXINT64;
  guint previous_index = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(AtelierGalleryItem) item = g_list_model_get_item (model, i);
      gint64 id = atelier_gallery_item_get_prompt_id (item);

      if (id == previous)
        g_assert_cmpuint (atelier_gallery_item_get_index (item), ==, previous_index + 1);
      else
        {
          g_assert_cmpint (id, <, previous);
          g_assert_cmpuint (atelier_gallery_item_get_index (item), ==, 0);
        }
      previous = id;
      previous_index = atelier_gallery_item_get_index (item);
    }
}

/* Fetches the page(s) that bring at least 60 items past @position. */
static void
ask_for (AtelierPromptsModel *model,
         guint                position)
{
  g_autoptr(AtelierGalleryItem) item = g_list_model_get_item (G_LIST_MODEL (model), position);

  g_assert_nonnull (item);
  wait_idle (model);
}

/* Pages come as the end is asked for, one ::items-changed each. */
static void
test_paging (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(AtelierPromptsModel) model = new_model (f);
  GListModel *list = G_LIST_MODEL (model);
  guint changes = 0;

  atelier_sandbox_server_seed_prompts (f->account.server, f->tune_id, 150, 1);
  g_signal_connect (model, "items-changed", G_CALLBACK (count_changes_cb), &changes);

  /* Nothing is fetched before the first reload. */
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (f->account.server, "GET", "/prompts"), ==, 0);

  /* One page, and no more while nobody looks further. */
  atelier_prompts_model_reload (model);
  wait_idle (model);
  drain ();
  g_assert_false (atelier_prompts_model_is_loading (model));
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 20);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_true (atelier_prompts_model_has_more (model));
  g_assert_cmpuint (atelier_sandbox_server_count_requests (f->account.server, "GET", "/prompts"), ==, 1);

  /* Looking at the first item wants 60 items: two more pages. */
  ask_for (model, 0);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 60);
  g_assert_cmpuint (changes, ==, 3);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (f->account.server, "GET", "/prompts"), ==, 3);

  ask_for (model, 59);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 120);
  g_assert_cmpuint (changes, ==, 6);

  ask_for (model, 119);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 150);
  g_assert_cmpuint (changes, ==, 8);
  g_assert_false (atelier_prompts_model_has_more (model));
  g_assert_cmpuint (atelier_prompts_model_get_n_prompts (model), ==, 150);

  /* The end is the end: no more requests, nothing past it. */
  ask_for (model, 149);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (f->account.server, "GET", "/prompts"), ==, 8);
  g_assert_null (g_list_model_get_item (list, 150));
  g_assert_cmpuint (changes, ==, 8);

  assert_order (list);
}

/* Filters: a tune, a text (through pages with no match), liked only. */
/* A tune finished training and the service made prompts for it (a pack's,
 * its first prompts): they come in at the top without a reload, and once
 * more a little later for those that came after the tune. */
static void
test_trained_tune_prompts (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(AtelierPromptsModel) model = new_model (f);
  g_autofree char *tune_path = NULL;
  gint64 other_tune = atelier_sandbox_server_seed_tune (f->account.server, "Bob - 2", "man", TRUE);
  gint64 made[4];
  gint64 old;

  old = atelier_sandbox_server_seed_prompt (f->account.server, other_tune, "older", 1);
  _atelier_prompts_model_set_recheck_ms (model, 300);
  atelier_prompts_model_reload (model);
  wait_idle (model);
  g_assert_cmpuint (atelier_prompts_model_get_n_prompts (model), ==, 1);

  for (guint i = 0; i < 3; i++)
    made[i] = atelier_sandbox_server_seed_prompt (f->account.server, f->tune_id, "pack prompt", 1);
  tune_path = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT "/prompts", f->tune_id);
  atelier_sandbox_server_clear_requests (f->account.server);

  atelier_prompts_model_add_tune_prompts (model, f->tune_id);
  atelier_test_wait_until (atelier_prompts_model_get_n_prompts (model) == 4, WAIT_MS);
  /* Newest on top, the older prompt below, nothing reloaded. */
  g_assert_cmpint (item_prompt_id (G_LIST_MODEL (model), 0), ==, made[2]);
  g_assert_cmpint (item_prompt_id (G_LIST_MODEL (model), 1), ==, made[1]);
  g_assert_cmpint (item_prompt_id (G_LIST_MODEL (model), 2), ==, made[0]);
  g_assert_cmpint (item_prompt_id (G_LIST_MODEL (model), 3), ==, old);
  assert_order (G_LIST_MODEL (model));
  g_assert_cmpuint (atelier_sandbox_server_count_requests (f->account.server, "GET", tune_path), ==, 1);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (f->account.server, "GET", "/prompts"), ==, 0);

  /* One more comes after the tune: the second look finds it. */
  made[3] = atelier_sandbox_server_seed_prompt (f->account.server, f->tune_id, "late pack prompt", 1);
  atelier_test_wait_until (atelier_prompts_model_get_n_prompts (model) == 5, WAIT_MS);
  g_assert_cmpint (item_prompt_id (G_LIST_MODEL (model), 0), ==, made[3]);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (f->account.server, "GET", tune_path), ==, 2);
  drain ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 5);

  /* Liked only: a new prompt that is not liked is not shown. */
  atelier_prompts_model_set_liked_only (model, TRUE);
  wait_idle (model);
  atelier_prompts_model_add_tune_prompts (model, f->tune_id);
  atelier_test_wait_until (atelier_sandbox_server_count_requests (f->account.server, "GET", tune_path) == 3, WAIT_MS);
  drain ();
  g_assert_cmpuint (atelier_prompts_model_get_n_prompts (model), ==, 0);
}

/* The second look at a trained tune's prompts waits
 * ATELIER_PROMPTS_MODEL_TRAINED_RECHECK_S: it is not sent with the first. */
static void
test_trained_tune_recheck_waits (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(AtelierPromptsModel) model = new_model (f);
  g_autofree char *tune_path = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT "/prompts", f->tune_id);

  atelier_prompts_model_reload (model);
  wait_idle (model);
  atelier_sandbox_server_seed_prompt (f->account.server, f->tune_id, "pack prompt", 1);
  atelier_sandbox_server_clear_requests (f->account.server);

  atelier_prompts_model_add_tune_prompts (model, f->tune_id);
  atelier_test_wait_until (atelier_prompts_model_get_n_prompts (model) == 1, WAIT_MS);
  drain ();
  g_assert_cmpuint (atelier_sandbox_server_count_requests (f->account.server, "GET", tune_path), ==, 1);
}

static void
test_filters (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(AtelierPromptsModel) model = new_model (f);
  GListModel *list = G_LIST_MODEL (model);
  gint64 other = atelier_sandbox_server_seed_tune (f->account.server, "Bea - 2", "woman", TRUE);
  gint64 castles[3];
  guint requests;

  /* Bea's castles are the oldest: a search has to page past Ada's. */
  for (guint i = 0; i < G_N_ELEMENTS (castles); i++)
    castles[i] = atelier_sandbox_server_seed_prompt (f->account.server, other, "ohwx woman at a Castle, golden hour", 1);
  atelier_sandbox_server_seed_prompts (f->account.server, f->tune_id, 30, 1);

  atelier_prompts_model_set_search (model, "cAsTlE");
  atelier_prompts_model_reload (model);
  atelier_test_wait_until (!atelier_prompts_model_is_loading (model) &&
                           g_list_model_get_n_items (list) == 3, WAIT_MS);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (item_prompt_id (list, i), ==, castles[2 - i]);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (f->account.server, "GET", "/prompts"), ==, 2);

  /* One tune: its own list. */
  atelier_prompts_model_set_search (model, NULL);
  atelier_prompts_model_set_tune_id (model, other);
  wait_idle (model);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 3);
  g_assert_false (atelier_prompts_model_has_more (model));
  g_assert_cmpuint (atelier_sandbox_server_count_requests (f->account.server, "GET", "/tunes/"), >=, 1);
  {
    g_autofree char *path = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT "/prompts", other);
    g_assert_cmpuint (atelier_sandbox_server_count_requests (f->account.server, "GET", path), ==, 1);
  }

  /* A text the tune has not: empty, and says it is done. */
  atelier_prompts_model_set_search (model, "spaceship");
  wait_idle (model);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);
  g_assert_false (atelier_prompts_model_has_more (model));

  /* Liked only comes from the local state: no request at all. */
  atelier_prompts_model_set_search (model, NULL);
  atelier_prompts_model_set_tune_id (model, 0);
  wait_idle (model);
  {
    AtelierPrompt *first = atelier_prompts_model_lookup_prompt (model, item_prompt_id (list, 0));
    AtelierPrompt *castle;
    g_autoptr(AtelierGalleryItem) item = NULL;

    atelier_likes_set_liked_async (f->account.likes, first, TRUE, NULL, NULL, NULL);

    /* The castle is on page 2: fetch it for its object. */
    item = g_list_model_get_item (list, g_list_model_get_n_items (list) - 1);
    wait_idle (model);
    g_test_message ("items %u, more %d, prompts %u", g_list_model_get_n_items (list), atelier_prompts_model_has_more (model), atelier_prompts_model_get_n_prompts (model));
    castle = atelier_prompts_model_lookup_prompt (model, castles[0]);
    g_assert_nonnull (castle);
    atelier_likes_set_liked_async (f->account.likes, castle, TRUE, NULL, NULL, NULL);
    atelier_test_wait_until (atelier_sandbox_server_get_like_count (f->account.server, castles[0]) == 1 &&
                             atelier_sandbox_server_get_like_count (f->account.server, atelier_prompt_get_id (first)) == 1,
                             WAIT_MS);
  }

  requests = atelier_sandbox_server_count_requests (f->account.server, "GET", "/prompts");
  atelier_prompts_model_set_liked_only (model, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);
  g_assert_false (atelier_prompts_model_has_more (model));
  g_assert_cmpint (item_prompt_id (list, 0), >, item_prompt_id (list, 1));
  g_assert_cmpint (item_prompt_id (list, 1), ==, castles[0]);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (f->account.server, "GET", "/prompts"), ==, requests);

  /* Unliking in the liked view takes the item away. */
  atelier_likes_set_liked_async (f->account.likes, atelier_prompts_model_lookup_prompt (model, castles[0]),
                                 FALSE, NULL, NULL, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
  atelier_test_wait_until (atelier_sandbox_server_get_like_count (f->account.server, castles[0]) == 0, WAIT_MS);
}

/* Most liked: the user's likes first, then the rest newest first, each
 * prompt once. */
static void
test_sort (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(AtelierPromptsModel) model = new_model (f);
  GListModel *list = G_LIST_MODEL (model);
  gint64 old_id;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(AtelierGalleryItem) last = NULL;

  old_id = atelier_sandbox_server_seed_prompt (f->account.server, f->tune_id, "the oldest, liked", 2);
  atelier_sandbox_server_seed_prompts (f->account.server, f->tune_id, 24, 2);

  atelier_prompts_model_reload (model);
  wait_idle (model);
  last = g_list_model_get_item (list, g_list_model_get_n_items (list) - 1);
  g_clear_object (&last);
  wait_idle (model);
  g_assert_false (atelier_prompts_model_has_more (model));
  atelier_likes_set_liked_async (f->account.likes, atelier_prompts_model_lookup_prompt (model, old_id), TRUE,
                                 NULL, NULL, NULL);
  g_assert_cmpint (item_prompt_id (list, g_list_model_get_n_items (list) - 1), ==, old_id);

  atelier_prompts_model_set_sort (model, ATELIER_PROMPTS_SORT_MOST_LIKED);
  /* The liked block is there at once, before any page. */
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);
  g_assert_cmpint (item_prompt_id (list, 0), ==, old_id);
  g_assert_cmpint (item_prompt_id (list, 1), ==, old_id);

  wait_idle (model);
  last = g_list_model_get_item (list, g_list_model_get_n_items (list) - 1);
  g_clear_object (&last);
  wait_idle (model);
  g_assert_false (atelier_prompts_model_has_more (model));
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 25 * 2);

  for (guint i = 0; i < g_list_model_get_n_items (list); i += 2)
    {
      gint64 id = item_prompt_id (list, i);

      g_assert_false (g_hash_table_contains (seen, &id));
      g_hash_table_add (seen, g_memdup2 (&id, sizeof id));
      if (i > 2)
        g_assert_cmpint (id, <, item_prompt_id (list, i - 2));
    }
}

/* A LoRA tune's prompts live on the base model, found by their tag. */
static void
test_tag_filter (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(AtelierPromptsModel) model = new_model (f);
  GListModel *list = G_LIST_MODEL (model);
  g_autofree char *mine = g_strdup_printf ("<lora:%" G_GINT64_FORMAT ":1> ohwx woman, oil painting", f->tune_id);

  atelier_sandbox_server_seed_prompt (f->account.server, ATELIER_SANDBOX_FLUX_TUNE_ID, mine, 1);
  atelier_sandbox_server_seed_prompt (f->account.server, ATELIER_SANDBOX_FLUX_TUNE_ID, "<lora:999999:1> someone else", 1);
  atelier_sandbox_server_seed_prompt (f->account.server, f->tune_id, "on the tune itself", 1);

  atelier_prompts_model_set_tune (model, ATELIER_SANDBOX_FLUX_TUNE_ID, f->tune_id);
  atelier_prompts_model_reload (model);
  wait_idle (model);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
  g_assert_cmpstr (atelier_prompt_get_text (atelier_prompts_model_lookup_prompt (model, item_prompt_id (list, 0))),
                   ==, mine);
}

/* Thumbnails */

static char *
first_image_url (Fixture *f,
                 gint64   prompt_id)
{
  g_autofree char *path = atelier_sandbox_server_dup_image_path (f->account.server, prompt_id, 0);

  return g_strconcat (atelier_astria_client_get_base_url (f->account.client), path, NULL);
}

static GdkTexture *
load (AtelierImageCache *cache,
      const char        *url,
      int                size,
      GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  atelier_image_cache_load_async (cache, url, size, NULL, atelier_test_store_result, &result);
  return atelier_image_cache_load_finish (cache, atelier_test_wait_result (&result), error);
}

static void
assert_same_pixels (GdkTexture *a,
                    GdkTexture *b)
{
  int width = gdk_texture_get_width (a);
  int height = gdk_texture_get_height (a);
  g_autofree guchar *pixels_a = g_malloc ((gsize) width * height * 4);
  g_autofree guchar *pixels_b = g_malloc ((gsize) width * height * 4);

  g_assert_cmpint (gdk_texture_get_width (b), ==, width);
  g_assert_cmpint (gdk_texture_get_height (b), ==, height);
  gdk_texture_download (a, pixels_a, (gsize) width * 4);
  gdk_texture_download (b, pixels_b, (gsize) width * 4);
  g_assert_cmpmem (pixels_a, (gsize) width * height * 4, pixels_b, (gsize) width * height * 4);
}

/* A second cache on the same folder (a restart) downloads nothing. */
static void
test_disk_cache (Fixture       *f,
                 gconstpointer  data)
{
  gint64 id = atelier_sandbox_server_seed_prompt (f->account.server, f->tune_id, "cached", 1);
  g_autofree char *url = first_image_url (f, id);
  g_autofree char *path = _atelier_image_cache_dup_disk_path (f->account.cache, url, 64);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GdkTexture) again = NULL;
  g_autoptr(AtelierImageCache) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *moved_url = NULL;

  texture = load (f->account.cache, url, 64, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 64);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 64);
  g_assert_cmpuint (atelier_sandbox_server_count_image_downloads (f->account.server), ==, 1);
  g_assert_cmpuint (atelier_image_cache_get_download_count (f->account.cache), ==, 1);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  /* Memory: the same picture, synchronously, in a texture of its own. */
  again = atelier_image_cache_lookup (f->account.cache, url, 64);
  g_assert_nonnull (again);
  assert_same_pixels (again, texture);
  g_clear_object (&again);

  second = atelier_image_cache_new (NULL, atelier_image_cache_get_dir (f->account.cache));
  g_assert_null (atelier_image_cache_lookup (second, url, 64));
  again = load (second, url, 64, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (again), ==, 64);
  g_assert_cmpuint (atelier_sandbox_server_count_image_downloads (f->account.server), ==, 1);
  g_assert_cmpuint (atelier_image_cache_get_download_count (second), ==, 0);
  g_clear_object (&again);

  /* The same path on another port (the sandbox moved) is the same image. */
  {
    g_autofree char *moved_path = atelier_sandbox_server_dup_image_path (f->account.server, id, 0);

    moved_url = g_strconcat ("http://127.0.0.1:1", moved_path, NULL);
  }
  atelier_image_cache_clear_memory (second);
  again = load (second, moved_url, 64, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (atelier_sandbox_server_count_image_downloads (f->account.server), ==, 1);
  g_clear_object (&again);

  /* Another size is another thumbnail. */
  again = load (second, url, 32, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (again), ==, 32);
  g_assert_cmpuint (atelier_sandbox_server_count_image_downloads (f->account.server), ==, 2);
}

/* Textures are never larger than the size asked (a cell's pixels),
 * whatever the image's shape and source; each lookup is a texture of its
 * own, so that dropping it drops what a renderer made of it, while the
 * cache keeps the pixels. */
static void
test_texture_size (Fixture       *f,
                   gconstpointer  data)
{
  gint64 id = atelier_sandbox_server_seed_prompt (f->account.server, f->tune_id, "sized", 1);
  g_autofree char *url = first_image_url (f, id);
  g_autoptr(GFile) wide = atelier_test_write_image (f->account.dir, "wide.jpg", 600, 250, 7, "jpeg");
  g_autoptr(GFile) tall = atelier_test_write_image (f->account.dir, "tall.png", 90, 400, 8, "png");
  g_autoptr(GFile) small = atelier_test_write_image (f->account.dir, "small.jpg", 40, 30, 9, "jpeg");
  g_autofree char *wide_url = g_file_get_uri (wide);
  g_autofree char *tall_url = g_file_get_uri (tall);
  g_autofree char *small_url = g_file_get_uri (small);
  struct { const char *url; int size; int width; int height; } cases[] = {
    { url, 96, 96, 96 },          /* the sandbox's 128 × 128, downloaded */
    { url, 192, 128, 128 },       /* never enlarged */
    { wide_url, 100, 100, 42 },   /* a local file, wide */
    { tall_url, 100, 23, 100 },   /* tall, with an alpha channel */
    { small_url, 100, 40, 30 },
  };

  /* Local files load from the folders the cache was given only. */
  atelier_image_cache_add_local_dir (f->account.cache, f->account.dir);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GdkTexture) texture = load (f->account.cache, cases[i].url, cases[i].size, &error);
      g_autoptr(GdkTexture) first = NULL;
      g_autoptr(GdkTexture) second = NULL;
      gsize memory;

      g_assert_no_error (error);
      g_assert_cmpint (gdk_texture_get_width (texture), <=, cases[i].size);
      g_assert_cmpint (gdk_texture_get_height (texture), <=, cases[i].size);
      g_assert_cmpint (gdk_texture_get_width (texture), ==, cases[i].width);
      g_assert_cmpint (gdk_texture_get_height (texture), ==, cases[i].height);

      first = atelier_image_cache_lookup (f->account.cache, cases[i].url, cases[i].size);
      second = atelier_image_cache_lookup (f->account.cache, cases[i].url, cases[i].size);
      g_assert_nonnull (first);
      g_assert_true (first != second);
      assert_same_pixels (first, second);
      assert_same_pixels (first, texture);

      memory = atelier_image_cache_get_memory_size (f->account.cache);
      g_assert_finalize_object (g_steal_pointer (&first));
      g_assert_finalize_object (g_steal_pointer (&second));
      g_assert_finalize_object (g_steal_pointer (&texture));
      g_assert_cmpuint (atelier_image_cache_get_memory_size (f->account.cache), ==, memory);
      second = atelier_image_cache_lookup (f->account.cache, cases[i].url, cases[i].size);
      g_assert_nonnull (second);
    }
}

/* The memory cache stays under its limit; a 404 is reported. */
static void
test_memory_bound (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) missing = NULL;
  g_autofree char *gone = NULL;

  atelier_image_cache_set_memory_limit (f->account.cache, 3 * 48 * 48 * 4);

  for (guint i = 0; i < 6; i++)
    {
      gint64 id = atelier_sandbox_server_seed_prompt (f->account.server, f->tune_id, "bounded", 1);
      g_autofree char *url = first_image_url (f, id);
      g_autoptr(GdkTexture) texture = load (f->account.cache, url, 48, &error);

      g_assert_no_error (error);
      g_assert_nonnull (texture);
      g_assert_cmpuint (atelier_image_cache_get_memory_size (f->account.cache), <=, 3 * 48 * 48 * 4);
    }
  g_assert_cmpuint (atelier_image_cache_get_memory_size (f->account.cache), >, 0);

  gone = g_strdup_printf ("%s/sandbox/images/987654/0.jpg", atelier_astria_client_get_base_url (f->account.client));
  missing = load (f->account.cache, gone, 48, &error);
  g_assert_null (missing);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_NOT_FOUND);
}

/* Polling */

static AtelierPrompt *
create_prompt (Fixture    *f,
               const char *text)
{
  g_autoptr(AtelierPromptParams) params = atelier_prompt_params_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  AtelierPrompt *prompt;

  atelier_params_set_string (ATELIER_PARAMS (params), "text", text);
  atelier_params_set_int (ATELIER_PARAMS (params), "num_images", 2);
  atelier_astria_client_create_prompt_async (f->account.client, f->tune_id, params, NULL, NULL, NULL,
                                             atelier_test_store_result, &result);
  prompt = atelier_astria_client_create_prompt_finish (f->account.client, atelier_test_wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (atelier_prompt_get_state (prompt), ==, ATELIER_PROMPT_STATE_PENDING);

  return prompt;
}

static guint
count_polls (Fixture       *f,
             AtelierPrompt *prompt)
{
  g_autofree char *path = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT "/prompts/%" G_GINT64_FORMAT,
                                           f->tune_id, atelier_prompt_get_id (prompt));

  return atelier_sandbox_server_count_requests (f->account.server, "GET", path);
}

static gboolean
item_is_image (AtelierPromptsModel *model,
               guint                position)
{
  g_autoptr(AtelierGalleryItem) item = g_list_model_get_item (G_LIST_MODEL (model), position);

  return item != NULL && atelier_gallery_item_get_kind (item) == ATELIER_GALLERY_ITEM_IMAGE;
}

/* A new prompt shows pending at once, is polled with a growing delay, and
 * is not polled any more once done. */
static void
count_finished_cb (guint         *finished,
                   AtelierPrompt *prompt)
{
  g_assert_cmpint (atelier_prompt_get_state (prompt), ==, ATELIER_PROMPT_STATE_DONE);
  (*finished)++;
}

static void
test_polling_stops (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(AtelierPromptsModel) model = new_model (f);
  g_autoptr(AtelierPrompt) prompt = NULL;
  g_autoptr(AtelierGalleryItem) item = NULL;
  gint64 id;
  guint polls;
  guint longest = 0;
  guint finished = 0;

  atelier_sandbox_server_set_prompt_delay_ms (f->account.server, 800);
  atelier_prompts_model_set_poll_interval_ms (model, 40);
  atelier_prompts_model_set_polling (model, TRUE);
  atelier_prompts_model_reload (model);
  wait_idle (model);

  prompt = create_prompt (f, "ohwx woman, pending");
  id = atelier_prompt_get_id (prompt);
  atelier_prompts_model_add_prompt (model, prompt);
  g_signal_connect_swapped (model, "prompt-finished", G_CALLBACK (count_finished_cb), &finished);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  item = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_cmpint (atelier_gallery_item_get_kind (item), ==, ATELIER_GALLERY_ITEM_PENDING);
  g_assert_cmpuint (atelier_prompts_model_get_n_pending (model), ==, 1);

  while (!item_is_image (model, 0))
    {
      longest = MAX (longest, atelier_prompts_model_get_poll_delay_ms (model, id));
      g_main_context_iteration (NULL, TRUE);
    }

  /* Backed off: the delay doubled at least once while pending. */
  g_assert_cmpuint (longest, >=, 80);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2);
  g_assert_cmpuint (atelier_prompts_model_get_n_pending (model), ==, 0);
  g_assert_cmpuint (atelier_prompts_model_get_poll_delay_ms (model, id), ==, 0);
  /* Announced once, for the "images ready" notification */
  g_assert_cmpuint (finished, ==, 1);

  polls = count_polls (f, prompt);
  g_assert_cmpuint (polls, >=, 2);
  atelier_test_wait_until (polling_idle (model), WAIT_MS);
  drain ();
  g_assert_true (polling_idle (model));
  g_assert_cmpuint (count_polls (f, prompt), ==, polls);
}

static void
rate_limited_cb (AtelierPromptsModel *model,
                 GParamSpec          *pspec,
                 guint               *seen)
{
  if (atelier_prompts_model_is_rate_limited (model))
    (*seen)++;
}

/* A 429 pauses polling until Retry-After has passed; polling off stops. */
static void
test_polling_rate_limit (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(AtelierPromptsModel) model = new_model (f);
  g_autoptr(AtelierPrompt) prompt = NULL;
  g_autofree char *path = NULL;
  AtelierSandboxFault fault = { 0 };
  guint limited = 0;
  guint at_limit;
  guint polls;

  atelier_sandbox_server_set_prompt_delay_ms (f->account.server, 60000);
  atelier_prompts_model_set_poll_interval_ms (model, 30);
  atelier_prompts_model_reload (model);
  wait_idle (model);
  prompt = create_prompt (f, "ohwx woman, slow");
  atelier_prompts_model_add_prompt (model, prompt);

  /* Not polled while polling is off (the gallery out of sight). */
  g_assert_cmpuint (atelier_prompts_model_get_n_pending (model), ==, 1);
  drain ();
  g_assert_true (polling_idle (model));
  g_assert_cmpuint (count_polls (f, prompt), ==, 0);

  path = g_strdup_printf ("/tunes/%" G_GINT64_FORMAT "/prompts/%" G_GINT64_FORMAT,
                          f->tune_id, atelier_prompt_get_id (prompt));
  fault.method = "GET";
  fault.path = path;
  fault.kind = ATELIER_SANDBOX_FAULT_STATUS;
  fault.status = 429;
  fault.retry_after_s = 1;
  fault.times = 1;
  atelier_sandbox_server_add_fault (f->account.server, &fault);

  g_signal_connect (model, "notify::rate-limited", G_CALLBACK (rate_limited_cb), &limited);
  atelier_prompts_model_set_polling (model, TRUE);

  atelier_test_wait_until (atelier_prompts_model_is_rate_limited (model), WAIT_MS);
  at_limit = count_polls (f, prompt);
  g_assert_cmpuint (at_limit, ==, 1);

  /* Waits out the second, then exactly one request (the retry). */
  atelier_test_wait_until (!atelier_prompts_model_is_rate_limited (model), WAIT_MS);
  g_assert_cmpuint (count_polls (f, prompt), ==, at_limit + 1);
  g_assert_cmpuint (limited, ==, 1);
  g_assert_cmpuint (atelier_prompts_model_get_n_pending (model), ==, 1);
  g_assert_cmpuint (atelier_prompts_model_get_poll_delay_ms (model, atelier_prompt_get_id (prompt)), >, 30);

  /* Out of sight again: no more polls (once one on its way is in). */
  atelier_prompts_model_set_polling (model, FALSE);
  atelier_test_wait_until (polling_idle (model), WAIT_MS);
  polls = count_polls (f, prompt);
  drain ();
  g_assert_true (polling_idle (model));
  g_assert_cmpuint (count_polls (f, prompt), ==, polls);
  g_assert_cmpuint (atelier_prompts_model_get_n_pending (model), ==, 1);
}

/* Likes */

static void
changed_cb (AtelierLikes *likes,
            gint64        prompt_id,
            gboolean      liked,
            GString      *log)
{
  g_string_append_printf (log, "%s%" G_GINT64_FORMAT ":%d", log->len > 0 ? " " : "", prompt_id, liked);
}

static gboolean
set_liked (Fixture        *f,
           AtelierLikes   *likes,
           AtelierPrompt  *prompt,
           gboolean        liked,
           GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  atelier_likes_set_liked_async (likes, prompt, liked, NULL, atelier_test_store_result, &result);
  /* Optimistic: the state changed before the answer. */
  g_assert_true (atelier_likes_is_liked (likes, atelier_prompt_get_id (prompt)) == liked);
  return atelier_likes_set_liked_finish (likes, atelier_test_wait_result (&result), error);
}

static AtelierPrompt *
fetch_prompt (Fixture *f,
              gint64   id)
{
  return atelier_test_account_fetch_prompt (&f->account, f->tune_id, id);
}

/* The file is replaced in one go: it has the old or the new contents. */
static gboolean
file_mentions (const char *path,
               gint64      id)
{
  g_autofree char *contents = NULL;
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  return g_file_get_contents (path, &contents, NULL, NULL) && strstr (contents, text) != NULL;
}

static void
test_likes_round_trip (Fixture       *f,
                       gconstpointer  data)
{
  gint64 id = atelier_sandbox_server_seed_prompt (f->account.server, f->tune_id, "liked", 2);
  g_autoptr(AtelierPrompt) prompt = fetch_prompt (f, id);
  g_autoptr(AtelierLikes) reopened = NULL;
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *likes_path = g_build_filename (f->account.dir, "likes.ini", NULL);
  g_autofree char *path = g_strdup_printf ("/prompts/%" G_GINT64_FORMAT "/likes", id);

  g_signal_connect (f->account.likes, "changed", G_CALLBACK (changed_cb), log);

  g_assert_true (set_liked (f, f->account.likes, prompt, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (atelier_sandbox_server_get_like_count (f->account.server, id), ==, 1);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (f->account.server, "POST", path), ==, 1);

  /* Kept across a restart, per account (once the file has it). */
  atelier_test_wait_until (file_mentions (likes_path, id), WAIT_MS);
  reopened = atelier_likes_new (likes_path, NULL);
  atelier_likes_set_account (reopened, f->account.client, "sandbox:test");
  atelier_test_wait_until (atelier_likes_is_loaded (reopened), WAIT_MS);
  g_assert_true (atelier_likes_is_liked (reopened, id));
  atelier_likes_set_account (reopened, f->account.client, "astria:https://api.astria.ai");
  g_assert_false (atelier_likes_is_liked (reopened, id));

  g_assert_true (set_liked (f, f->account.likes, prompt, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (atelier_sandbox_server_get_like_count (f->account.server, id), ==, 0);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (f->account.server, "DELETE", path), ==, 1);
  g_assert_false (atelier_likes_is_liked (f->account.likes, id));

  {
    g_autofree char *expected = g_strdup_printf ("%" G_GINT64_FORMAT ":1 %" G_GINT64_FORMAT ":0", id, id);
    g_assert_cmpstr (log->str, ==, expected);
  }
}

static void
test_likes_rollback (Fixture       *f,
                     gconstpointer  data)
{
  gint64 id = atelier_sandbox_server_seed_prompt (f->account.server, f->tune_id, "refused", 1);
  g_autoptr(AtelierPrompt) prompt = fetch_prompt (f, id);
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("/prompts/%" G_GINT64_FORMAT "/likes", id);
  AtelierSandboxFault fault = { 0 };

  fault.path = path;
  fault.kind = ATELIER_SANDBOX_FAULT_STATUS;
  fault.status = 403;
  fault.times = 1;
  atelier_sandbox_server_add_fault (f->account.server, &fault);
  g_signal_connect (f->account.likes, "changed", G_CALLBACK (changed_cb), log);

  g_assert_false (set_liked (f, f->account.likes, prompt, TRUE, &error));
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_UNAUTHORIZED);
  g_assert_false (atelier_likes_is_liked (f->account.likes, id));
  g_assert_cmpuint (atelier_sandbox_server_get_like_count (f->account.server, id), ==, 0);
  g_assert_false (atelier_library_contains (f->account.library, id));
  {
    g_autofree char *expected = g_strdup_printf ("%" G_GINT64_FORMAT ":1 %" G_GINT64_FORMAT ":0", id, id);
    g_assert_cmpstr (log->str, ==, expected);
  }
  g_clear_error (&error);

  /* An unlike the server refuses comes back as liked. */
  g_assert_true (set_liked (f, f->account.likes, prompt, TRUE, &error));
  fault.times = 1;
  atelier_sandbox_server_add_fault (f->account.server, &fault);
  g_assert_false (set_liked (f, f->account.likes, prompt, FALSE, &error));
  g_assert_nonnull (error);
  g_assert_true (atelier_likes_is_liked (f->account.likes, id));
  g_assert_cmpuint (atelier_sandbox_server_get_like_count (f->account.server, id), ==, 1);
  g_assert_true (atelier_library_contains (f->account.library, id));
}

/* Library */

static void
test_library_outlives_server (Fixture       *f,
                              gconstpointer  data)
{
  gint64 id = atelier_sandbox_server_seed_prompt (f->account.server, f->tune_id, "kept forever", 2);
  gint64 newer = atelier_sandbox_server_seed_prompt (f->account.server, f->tune_id, "newer", 1);
  g_autoptr(AtelierPrompt) prompt = fetch_prompt (f, id);
  g_autoptr(AtelierPromptsModel) model = new_model (f);
  g_autoptr(AtelierLibrary) reopened = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtelierGalleryItem) item = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *path = NULL;

  g_assert_true (set_liked (f, f->account.likes, prompt, TRUE, &error));
  g_assert_no_error (error);
  /* Both originals arrive, in either order. */
  atelier_test_wait_until ((g_free (uri), uri = atelier_library_dup_image_uri (f->account.library, id, 1)) != NULL, WAIT_MS);
  atelier_test_wait_until ((g_free (uri), uri = atelier_library_dup_image_uri (f->account.library, id, 0)) != NULL, WAIT_MS);
  path = g_filename_from_uri (uri, NULL, NULL);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  /* The service forgets the prompt (30 days after training). */
  atelier_sandbox_server_expire_prompt (f->account.server, id);

  atelier_prompts_model_reload (model);
  wait_idle (model);
  g_assert_false (atelier_prompts_model_has_more (model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 3);
  g_assert_cmpint (item_prompt_id (G_LIST_MODEL (model), 0), ==, newer);
  item = g_list_model_get_item (G_LIST_MODEL (model), 1);
  g_assert_cmpint (atelier_gallery_item_get_prompt_id (item), ==, id);
  g_assert_true (atelier_gallery_item_is_local_only (item));
  g_assert_cmpint (atelier_gallery_item_get_kind (item), ==, ATELIER_GALLERY_ITEM_IMAGE);

  /* The library has the item's original, which loads without the server
   * (the gallery shows it from there: atelier-gallery-cell.h). */
  shown = atelier_library_dup_image_uri (f->account.library, atelier_gallery_item_get_prompt_id (item),
                                         atelier_gallery_item_get_index (item));
  g_assert_cmpstr (shown, ==, uri);
  texture = load (f->account.cache, shown, 48, &error);
  g_assert_no_error (error);
  g_assert_nonnull (texture);

  /* And after a restart. */
  reopened = atelier_library_new (f->account.cache, atelier_library_get_dir (f->account.library));
  atelier_library_set_account (reopened, "sandbox:test");
  atelier_test_wait_until (atelier_library_is_loaded (reopened), WAIT_MS);
  g_assert_true (atelier_library_contains (reopened, id));
  g_assert_cmpint (atelier_library_get_reasons (reopened, id), ==, ATELIER_LIBRARY_LIKED);
  g_assert_cmpstr (atelier_prompt_get_text (atelier_library_get_prompt (reopened, id)), ==, "kept forever");
  {
    g_autofree char *again = atelier_library_dup_image_uri (reopened, id, 0);
    g_assert_cmpstr (again, ==, uri);
  }

  /* Another account has a library of its own. */
  atelier_library_set_account (reopened, "astria:https://api.astria.ai");
  atelier_test_wait_until (atelier_library_is_loaded (reopened), WAIT_MS);
  g_assert_false (atelier_library_contains (reopened, id));
}

/* An image host that answers 404 for /gone/…, and for /later/… 403 the
 * first time and the image after. */
typedef struct
{
  GBytes *jpeg;
  guint   gone;
  guint   later;
} ImageHost;

static void
image_host_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  ImageHost *host = user_data;

  if (g_str_has_prefix (path, "/gone/"))
    {
      host->gone++;
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
    }
  else if (g_str_has_prefix (path, "/later/") && host->later++ == 0)
    soup_server_message_set_status (msg, SOUP_STATUS_FORBIDDEN, NULL);
  else
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "image/jpeg", SOUP_MEMORY_COPY,
                                        g_bytes_get_data (host->jpeg, NULL), g_bytes_get_size (host->jpeg));
    }
}

/* An original the service answered 404 for is not asked for again at
 * every start; one that failed otherwise is. */
static void
test_library_gone (Fixture       *f,
                   gconstpointer  data)
{
  gint64 id = atelier_sandbox_server_seed_prompt (f->account.server, f->tune_id, "half gone", 2);
  g_autoptr(AtelierPrompt) served = fetch_prompt (f, id);
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(JsonNode) json = json_node_copy (atelier_prompt_get_json (served));
  g_autoptr(AtelierPrompt) prompt = NULL;
  g_autoptr(AtelierLibrary) reopened = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  ImageHost host = { 0 };
  JsonArray *images;
  GSList *uris;

  host.jpeg = atelier_test_make_image (64, 64, 1, "jpeg");
  soup_server_add_handler (server, NULL, image_host_cb, &host, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  base = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  images = json_array_new ();
  {
    g_autofree char *gone = g_strconcat (base, "gone/0.jpg", NULL);
    g_autofree char *later = g_strconcat (base, "later/1.jpg", NULL);

    json_array_add_string_element (images, gone);
    json_array_add_string_element (images, later);
  }
  json_object_set_array_member (json_node_get_object (json), "images", images);
  prompt = atelier_prompt_new_from_json (json, &error);
  g_assert_no_error (error);

  /* Kept: one original 404, the other 403. */
  atelier_library_keep_async (f->account.library, prompt, ATELIER_LIBRARY_LIKED, -1, NULL,
                              atelier_test_store_result, &result);
  g_assert_false (atelier_library_keep_finish (f->account.library, atelier_test_wait_result (&result), &error));
  g_assert_nonnull (error);
  g_assert_cmpuint (host.gone, ==, 1);
  g_assert_cmpuint (host.later, ==, 1);
  atelier_test_wait_until (!_atelier_library_is_busy (f->account.library), WAIT_MS);

  /* A restart resumes the one that may come, not the one that is gone. */
  reopened = atelier_library_new (f->account.cache, atelier_library_get_dir (f->account.library));
  atelier_library_set_account (reopened, "sandbox:test");
  atelier_test_wait_until (atelier_library_is_loaded (reopened), WAIT_MS);
  {
    g_autofree char *uri = NULL;

    atelier_test_wait_until ((g_free (uri), uri = atelier_library_dup_image_uri (reopened, id, 1)) != NULL, WAIT_MS);
  }
  g_assert_cmpuint (host.later, ==, 2);
  g_assert_cmpuint (host.gone, ==, 1);
  g_assert_null (atelier_library_dup_image_uri (reopened, id, 0));
  g_assert_cmpint (atelier_library_get_reasons (reopened, id), ==, ATELIER_LIBRARY_LIKED);

  soup_server_disconnect (server);
  g_bytes_unref (host.jpeg);
}

/* Saving keeps that one original; letting go removes the folder. */
static void
test_library_saved (Fixture       *f,
                    gconstpointer  data)
{
  gint64 id = atelier_sandbox_server_seed_prompt (f->account.server, f->tune_id, "saved one", 3);
  g_autoptr(AtelierPrompt) prompt = fetch_prompt (f, id);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *second = NULL;
  g_autofree char *first = NULL;
  g_autofree char *folder = NULL;
  guint downloads = atelier_sandbox_server_count_image_downloads (f->account.server);

  atelier_library_keep_async (f->account.library, prompt, ATELIER_LIBRARY_SAVED, 1, NULL,
                              atelier_test_store_result, &result);
  g_assert_true (atelier_library_keep_finish (f->account.library, atelier_test_wait_result (&result), &error));
  g_assert_no_error (error);

  g_assert_cmpint (atelier_library_get_reasons (f->account.library, id), ==, ATELIER_LIBRARY_SAVED);
  g_assert_cmpuint (atelier_sandbox_server_count_image_downloads (f->account.server), ==, downloads + 1);
  second = atelier_library_dup_image_uri (f->account.library, id, 1);
  first = atelier_library_dup_image_uri (f->account.library, id, 0);
  g_assert_nonnull (second);
  g_assert_null (first);
  folder = g_path_get_dirname (second);

  atelier_library_release (f->account.library, id, ATELIER_LIBRARY_SAVED);
  g_assert_false (atelier_library_contains (f->account.library, id));
  {
    g_autofree char *path = g_filename_from_uri (folder, NULL, NULL);
    atelier_test_wait_until (!g_file_test (path, G_FILE_TEST_EXISTS), WAIT_MS);
  }
}


/* Prompts made on this computer (fal.ai FaceID results) */

/* A FaceID result as the FaceID jobs keep it: a negative id, no tune, the
 * fal input under "faceid", its image at @image_url. */
static AtelierPrompt *
new_faceid_prompt (gint64      id,
                   const char *text,
                   const char *image_url,
                   GDateTime  *created_at)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *created = g_date_time_format_iso8601 (created_at);
  AtelierPrompt *prompt;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, id);
  json_builder_set_member_name (builder, "tune_id");
  json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "atelier_source");
  json_builder_add_string_value (builder, ATELIER_PROMPT_SOURCE_FACEID_FAL);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, text);
  json_builder_set_member_name (builder, "seed");
  json_builder_add_int_value (builder, 1234);
  json_builder_set_member_name (builder, "w");
  json_builder_add_int_value (builder, 640);
  json_builder_set_member_name (builder, "h");
  json_builder_add_int_value (builder, 640);
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_string_value (builder, created);
  json_builder_set_member_name (builder, "images");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, image_url);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "faceid");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "request_id");
  json_builder_add_string_value (builder, "req-test");
  json_builder_set_member_name (builder, "face");
  json_builder_add_string_value (builder, "face.jpg");
  json_builder_set_member_name (builder, "model_type");
  json_builder_add_string_value (builder, "1_5-v1");
  json_builder_set_member_name (builder, "input");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt");
  json_builder_add_string_value (builder, text);
  json_builder_set_member_name (builder, "num_inference_steps");
  json_builder_add_int_value (builder, 30);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  prompt = atelier_prompt_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (atelier_prompt_get_source (prompt), ==, ATELIER_PROMPT_SOURCE_FACEID_FAL);

  return prompt;
}

static gboolean
file_has (const char *path,
          const char *text)
{
  g_autofree char *contents = NULL;

  return g_file_get_contents (path, &contents, NULL, NULL) && strstr (contents, text) != NULL;
}

static void
keep_made (Fixture       *f,
           AtelierPrompt *prompt)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  atelier_library_keep_async (f->account.library, prompt, ATELIER_LIBRARY_MADE, -1, NULL,
                              atelier_test_store_result, &result);
  g_assert_true (atelier_library_keep_finish (f->account.library, atelier_test_wait_result (&result), &error));
  g_assert_no_error (error);
}

static guint
count_all_requests (Fixture *f)
{
  g_autoptr(GPtrArray) requests = atelier_sandbox_server_dup_requests (f->account.server);

  return requests->len;
}

/* A FaceID result is kept whole, merged by date among the server's
 * prompts, listed alone by its source without a request, hidden by a
 * tune filter, liked here only, and stays until it is deleted. */
static void
test_faceid_prompt (Fixture       *f,
                    gconstpointer  data)
{
  gint64 older = atelier_sandbox_server_seed_prompt (f->account.server, f->tune_id, "older", 1);
  gint64 newer;
  g_autoptr(AtelierPrompt) older_prompt = fetch_prompt (f, older);
  g_autoptr(AtelierPrompt) made = NULL;
  g_autoptr(AtelierPrompt) fresh = NULL;
  g_autoptr(AtelierPromptsModel) model = new_model (f);
  g_autoptr(AtelierLibrary) reopened = NULL;
  g_autoptr(AtelierLikes) likes_again = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *likes_path = g_build_filename (f->account.dir, "likes.ini", NULL);
  GListModel *list = G_LIST_MODEL (model);
  const gint64 id = -7;

  /* The sandbox dates prompts to the millisecond: leave a gap for the
   * FaceID result to fall in. */
  g_usleep (5000);
  newer = atelier_sandbox_server_seed_prompt (f->account.server, f->tune_id, "newer", 1);
  created = g_date_time_add (atelier_prompt_get_created_at (older_prompt), 2 * G_TIME_SPAN_MILLISECOND);
  made = new_faceid_prompt (id, "faceid portrait", atelier_prompt_get_images (older_prompt)[0], created);

  /* Kept whole, in a folder named by its negative id. */
  keep_made (f, made);
  g_assert_cmpint (atelier_library_get_reasons (f->account.library, id), ==, ATELIER_LIBRARY_MADE);
  uri = atelier_library_dup_image_uri (f->account.library, id, 0);
  g_assert_nonnull (uri);
  folder = g_path_get_dirname (uri);
  g_assert_true (g_str_has_suffix (folder, "/-7"));

  /* All tunes: merged by date, local only, never polled. */
  atelier_prompts_model_reload (model);
  wait_idle (model);
  g_assert_false (atelier_prompts_model_has_more (model));
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 3);
  g_assert_cmpint (item_prompt_id (list, 0), ==, newer);
  g_assert_cmpint (item_prompt_id (list, 1), ==, id);
  g_assert_cmpint (item_prompt_id (list, 2), ==, older);
  {
    g_autoptr(AtelierGalleryItem) item = g_list_model_get_item (list, 1);

    g_assert_true (atelier_gallery_item_is_local_only (item));
    g_assert_cmpint (atelier_gallery_item_get_kind (item), ==, ATELIER_GALLERY_ITEM_IMAGE);
  }
  g_assert_cmpuint (atelier_prompts_model_get_n_pending (model), ==, 0);

  /* Its source alone: no request at all. */
  atelier_sandbox_server_clear_requests (f->account.server);
  atelier_prompts_model_set_source (model, ATELIER_PROMPT_SOURCE_FACEID_FAL);
  wait_idle (model);
  drain ();
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
  g_assert_cmpint (item_prompt_id (list, 0), ==, id);
  g_assert_false (atelier_prompts_model_has_more (model));
  /* The search and liked only still apply. */
  atelier_prompts_model_set_search (model, "castle");
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);
  atelier_prompts_model_set_search (model, "PORTRAIT");
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
  atelier_prompts_model_set_liked_only (model, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);
  atelier_prompts_model_set_liked_only (model, FALSE);
  atelier_prompts_model_set_search (model, NULL);
  wait_idle (model);
  drain ();
  g_assert_cmpuint (count_all_requests (f), ==, 0);

  /* A tune hides it. */
  atelier_prompts_model_set_source (model, NULL);
  atelier_prompts_model_set_tune_id (model, f->tune_id);
  wait_idle (model);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);
  g_assert_cmpint (atelier_prompts_model_find_prompt (model, id), ==, -1);
  atelier_prompts_model_set_tune_id (model, 0);
  wait_idle (model);
  g_assert_cmpint (atelier_prompts_model_find_prompt (model, id), ==, 1);

  /* Liked here only: no request, kept in likes.ini, kept for both. */
  atelier_sandbox_server_clear_requests (f->account.server);
  g_assert_true (set_liked (f, f->account.likes, made, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (atelier_likes_is_liked (f->account.likes, id));
  g_assert_cmpint (atelier_library_get_reasons (f->account.library, id), ==,
                   ATELIER_LIBRARY_MADE | ATELIER_LIBRARY_LIKED);
  atelier_test_wait_until (file_mentions (likes_path, id), WAIT_MS);
  drain ();
  g_assert_cmpuint (count_all_requests (f), ==, 0);
  likes_again = atelier_likes_new (likes_path, NULL);
  atelier_likes_set_account (likes_again, f->account.client, "sandbox:test");
  atelier_test_wait_until (atelier_likes_is_loaded (likes_again), WAIT_MS);
  g_assert_true (atelier_likes_is_liked (likes_again, id));

  /* Liked only lists it from the library too. */
  atelier_prompts_model_set_liked_only (model, TRUE);
  g_assert_cmpint (atelier_prompts_model_find_prompt (model, id), ==, 0);
  atelier_prompts_model_set_liked_only (model, FALSE);
  wait_idle (model);
  atelier_sandbox_server_clear_requests (f->account.server);

  /* Unliking keeps it: it was made here. */
  g_assert_true (set_liked (f, f->account.likes, made, FALSE, &error));
  g_assert_no_error (error);
  g_assert_false (atelier_likes_is_liked (f->account.likes, id));
  g_assert_cmpint (atelier_library_get_reasons (f->account.library, id), ==, ATELIER_LIBRARY_MADE);
  atelier_library_release (f->account.library, id, ATELIER_LIBRARY_SAVED);
  g_assert_true (atelier_library_contains (f->account.library, id));
  drain ();
  g_assert_cmpuint (count_all_requests (f), ==, 0);

  /* After a restart: the negative folder is read back (once the
   * metadata without the like is written). */
  {
    g_autofree char *path = g_filename_from_uri (folder, NULL, NULL);
    g_autofree char *metadata = g_build_filename (path, "prompt.json", NULL);

    atelier_test_wait_until (file_has (metadata, "\"reasons\":4"), WAIT_MS);
  }
  reopened = atelier_library_new (f->account.cache, atelier_library_get_dir (f->account.library));
  atelier_library_set_account (reopened, "sandbox:test");
  atelier_test_wait_until (atelier_library_is_loaded (reopened), WAIT_MS);
  g_assert_cmpint (atelier_library_get_reasons (reopened, id), ==, ATELIER_LIBRARY_MADE);
  g_assert_cmpstr (atelier_prompt_get_source (atelier_library_get_prompt (reopened, id)), ==,
                   ATELIER_PROMPT_SOURCE_FACEID_FAL);
  g_assert_nonnull (atelier_prompt_get_faceid (atelier_library_get_prompt (reopened, id)));
  {
    g_autofree char *again = atelier_library_dup_image_uri (reopened, id, 0);
    g_assert_cmpstr (again, ==, uri);
  }

  /* A result kept while the list is shown comes in on top, by date. */
  now = g_date_time_new_now_utc ();
  fresh = new_faceid_prompt (-8, "another portrait", atelier_prompt_get_images (older_prompt)[0], now);
  keep_made (f, fresh);
  g_assert_cmpint (item_prompt_id (list, 0), ==, -8);
  g_assert_cmpint (item_prompt_id (list, 1), ==, newer);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 4);

  /* Deleting it (releasing MADE) removes its folder, and the list's row. */
  atelier_sandbox_server_clear_requests (f->account.server);
  atelier_library_release (f->account.library, id, ATELIER_LIBRARY_LIKED);
  atelier_library_release (f->account.library, id, ATELIER_LIBRARY_MADE);
  g_assert_false (atelier_library_contains (f->account.library, id));
  g_assert_cmpint (atelier_prompts_model_find_prompt (model, id), ==, -1);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 3);
  {
    g_autofree char *path = g_filename_from_uri (folder, NULL, NULL);
    atelier_test_wait_until (!g_file_test (path, G_FILE_TEST_EXISTS), WAIT_MS);
  }
  drain ();
  g_assert_cmpuint (count_all_requests (f), ==, 0);
}

/* Prompt units: one item per prompt */

/* A copy of the units kept only from their ::items-changed (read without
 * get_item(), which would fetch pages). */
typedef struct
{
  AtelierPromptsModel *model;
  GPtrArray           *items;
} Mirror;

static void
mirror_cb (GListModel *units,
           guint       position,
           guint       removed,
           guint       added,
           Mirror     *mirror)
{
  g_ptr_array_remove_range (mirror->items, position, removed);
  for (guint i = 0; i < added; i++)
    {
      guint first = atelier_prompt_units_get_item_position (ATELIER_PROMPT_UNITS (units), position + i);

      g_ptr_array_insert (mirror->items, position + i,
                          g_object_ref (_atelier_prompts_model_peek_item (mirror->model, first)));
    }
}

/* The units are the first item of each prompt of the model, in order,
 * and what their signals said agrees. */
static void
assert_units (AtelierPromptsModel *model,
              GPtrArray           *mirror)
{
  GListModel *list = G_LIST_MODEL (model);
  GListModel *units = atelier_prompts_model_get_units (model);
  AtelierPromptUnits *prompt_units = ATELIER_PROMPT_UNITS (units);
  guint n_units = 0;
  gint64 previous = 0;

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(AtelierGalleryItem) item = g_list_model_get_item (list, i);
      gint64 id = atelier_gallery_item_get_prompt_id (item);

      if (i > 0 && id == previous)
        continue;
      previous = id;

      {
        g_autoptr(AtelierGalleryItem) unit = g_list_model_get_item (units, n_units);

        g_assert_true (unit == item);
        g_assert_true (g_ptr_array_index (mirror, n_units) == item);
        g_assert_cmpuint (atelier_prompt_units_get_item_position (prompt_units, n_units), ==, i);
        g_assert_cmpint (atelier_prompt_units_find (prompt_units, id), ==, n_units);
      }
      n_units++;
    }

  g_assert_cmpuint (g_list_model_get_n_items (units), ==, n_units);
  g_assert_cmpuint (mirror->len, ==, n_units);
  g_assert_cmpuint (n_units, ==, atelier_prompts_model_get_n_prompts (model));
}

/* Whatever the prompts model does (pages, a new prompt on top, a prompt
 * that renders its images, one deleted, the liked block, a reload), the
 * units follow with one unit per prompt; asking for the last unit
 * fetches the next page. */
static void
test_units (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(AtelierPromptsModel) model = new_model (f);
  g_autoptr(GPtrArray) mirrored = g_ptr_array_new_with_free_func (g_object_unref);
  Mirror mirror = { model, mirrored };
  g_autoptr(AtelierPrompt) fresh = NULL;
  GListModel *units = atelier_prompts_model_get_units (model);
  guint n;
  gint64 removed_id;

  for (guint i = 0; i < 45; i++)
    {
      g_autofree char *text = g_strdup_printf ("prompt %u", i);

      atelier_sandbox_server_seed_prompt (f->account.server, f->tune_id, text, 1 + i % 4);
    }
  g_signal_connect (units, "items-changed", G_CALLBACK (mirror_cb), &mirror);

  atelier_prompts_model_reload (model);
  wait_idle (model);
  drain ();
  g_assert_cmpuint (g_list_model_get_n_items (units), ==, 20);
  assert_units (model, mirrored);

  /* The last unit asked for: the next pages come. */
  n = g_list_model_get_n_items (units);
  {
    g_autoptr(AtelierGalleryItem) last = g_list_model_get_item (units, n - 1);

    g_assert_nonnull (last);
  }
  wait_idle (model);
  g_assert_cmpuint (g_list_model_get_n_items (units), >, n);
  {
    g_autoptr(AtelierGalleryItem) last = g_list_model_get_item (units, g_list_model_get_n_items (units) - 1);
  }
  wait_idle (model);
  g_assert_false (atelier_prompts_model_has_more (model));
  g_assert_cmpuint (g_list_model_get_n_items (units), ==, 45);
  assert_units (model, mirrored);

  /* A new prompt: pending, one placeholder, on top; then its 2 images. */
  fresh = create_prompt (f, "a new one");
  atelier_prompts_model_add_prompt (model, fresh);
  g_assert_cmpuint (g_list_model_get_n_items (units), ==, 46);
  g_assert_cmpint (item_prompt_id (units, 0), ==, atelier_prompt_get_id (fresh));
  assert_units (model, mirrored);
  {
    g_autoptr(AtelierPrompt) done = fetch_prompt (f, atelier_prompt_get_id (fresh));

    for (guint tries = 0; atelier_prompt_get_state (done) != ATELIER_PROMPT_STATE_DONE; tries++)
      {
        g_assert_cmpuint (tries, <, WAIT_MS / 20);
        g_object_unref (done);
        g_usleep (20 * 1000);
        done = fetch_prompt (f, atelier_prompt_get_id (fresh));
      }
    atelier_prompts_model_update_prompt (model, done);
  }
  g_assert_cmpuint (g_list_model_get_n_items (units), ==, 46);
  g_assert_true (item_is_image (model, 1));
  assert_units (model, mirrored);

  /* One in the middle goes. */
  removed_id = item_prompt_id (units, 20);
  atelier_prompts_model_remove_prompt (model, removed_id);
  g_assert_cmpuint (g_list_model_get_n_items (units), ==, 45);
  g_assert_cmpint (atelier_prompt_units_find (ATELIER_PROMPT_UNITS (units), removed_id), ==, -1);
  assert_units (model, mirrored);

  /* Liked first: the liked prompt leads, once. */
  g_assert_true (set_liked (f, f->account.likes, atelier_prompts_model_lookup_prompt (model, item_prompt_id (units, 30)),
                            TRUE, NULL));
  atelier_prompts_model_set_sort (model, ATELIER_PROMPTS_SORT_MOST_LIKED);
  assert_units (model, mirrored);
  wait_idle (model);
  {
    g_autoptr(AtelierGalleryItem) last = g_list_model_get_item (units, g_list_model_get_n_items (units) - 1);
  }
  wait_idle (model);
  /* The removed one too: only the model forgot it, not the server. */
  g_assert_cmpuint (g_list_model_get_n_items (units), ==, 46);
  assert_units (model, mirrored);

  /* Liked only: just that one. */
  atelier_prompts_model_set_liked_only (model, TRUE);
  wait_idle (model);
  g_assert_cmpuint (g_list_model_get_n_items (units), ==, 1);
  assert_units (model, mirrored);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/gallery-models/paging", test_paging);
  ADD ("/gallery-models/filters", test_filters);
  ADD ("/gallery-models/trained-tune-prompts", test_trained_tune_prompts);
  ADD ("/gallery-models/trained-tune-recheck-waits", test_trained_tune_recheck_waits);
  ADD ("/gallery-models/sort", test_sort);
  ADD ("/gallery-models/tag-filter", test_tag_filter);
  ADD ("/gallery-models/disk-cache", test_disk_cache);
  ADD ("/gallery-models/memory-bound", test_memory_bound);
  ADD ("/gallery-models/texture-size", test_texture_size);
  ADD ("/gallery-models/polling-stops", test_polling_stops);
  ADD ("/gallery-models/polling-rate-limit", test_polling_rate_limit);
  ADD ("/gallery-models/likes-round-trip", test_likes_round_trip);
  ADD ("/gallery-models/likes-rollback", test_likes_rollback);
  ADD ("/gallery-models/library-outlives-server", test_library_outlives_server);
  ADD ("/gallery-models/library-saved", test_library_saved);
  ADD ("/gallery-models/library-gone", test_library_gone);
  ADD ("/gallery-models/faceid-prompt", test_faceid_prompt);
  ADD ("/gallery-models/units", test_units);

  return g_test_run ();
}
