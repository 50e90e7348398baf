/* atelier-pack-likes.c: which liked prompts came from which pack
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-pack-likes.h"

struct _AtelierPackLikes
{
  GObject     parent_instance;

  GHashTable *prompt_packs;  /* (owned) prompt id (gint64*) → pack id (gint64*) */
  GHashTable *known_packs;   /* (owned) set of pack ids (gint64*) whose prompts are known */
  GHashTable *counts;        /* (owned) pack id (gint64*) → count (GUINT_TO_POINTER) */
};

G_DEFINE_FINAL_TYPE (AtelierPackLikes, atelier_pack_likes, G_TYPE_OBJECT)

static gint64 *
int64_dup (gint64 value)
{
  return g_memdup2 (&value, sizeof value);
}

static gboolean
same_pack (gpointer key,
           gpointer value,
           gpointer user_data)
{
  return *(gint64 *) value == *(gint64 *) user_data;
}

void
atelier_pack_likes_set_pack_prompts (AtelierPackLikes *self,
                                     gint64            pack_id,
                                     GPtrArray        *prompts)
{
  g_return_if_fail (ATELIER_IS_PACK_LIKES (self));
  g_return_if_fail (prompts != NULL);

  g_hash_table_foreach_remove (self->prompt_packs, same_pack, &pack_id);
  g_hash_table_add (self->known_packs, int64_dup (pack_id));

  for (guint i = 0; i < prompts->len; i++)
    {
      AtelierPrompt *prompt = g_ptr_array_index (prompts, i);

      g_hash_table_replace (self->prompt_packs, int64_dup (atelier_prompt_get_id (prompt)),
                            int64_dup (pack_id));
    }
}

gboolean
atelier_pack_likes_knows_prompts (AtelierPackLikes *self,
                                  gint64            pack_id)
{
  g_return_val_if_fail (ATELIER_IS_PACK_LIKES (self), FALSE);
  return g_hash_table_contains (self->known_packs, &pack_id);
}

/* The latest readable run on @tune_id that started at or before @created. */
static AtelierPackRun *
find_latest_run (GListModel *runs,
                 gint64      tune_id,
                 GDateTime  *created)
{
  AtelierPackRun *latest = NULL;
  guint n = runs != NULL ? g_list_model_get_n_items (runs) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AtelierPackRun) run = g_list_model_get_item (runs, i);
      GDateTime *started;

      if (!atelier_pack_run_is_readable (run) || atelier_pack_run_find_tune (run, tune_id) < 0)
        continue;
      started = atelier_pack_run_get_started_at (run);
      if (g_date_time_compare (started, created) > 0)
        continue;
      if (latest == NULL || g_date_time_compare (started, atelier_pack_run_get_started_at (latest)) > 0)
        latest = run;   /* the model keeps it */
    }

  return latest;
}

gint64
atelier_pack_likes_find_pack (AtelierPackLikes *self,
                              AtelierPrompt    *prompt,
                              GListModel       *runs)
{
  gint64 orig;
  const gint64 *pack_id;
  AtelierPackRun *run;
  GDateTime *created;

  g_return_val_if_fail (ATELIER_IS_PACK_LIKES (self), 0);
  g_return_val_if_fail (ATELIER_IS_PROMPT (prompt), 0);
  g_return_val_if_fail (runs == NULL || G_IS_LIST_MODEL (runs), 0);

  /* 1. A pack prompt's copy. */
  orig = atelier_prompt_get_orig_prompt_id (prompt);
  if (orig != 0 && (pack_id = g_hash_table_lookup (self->prompt_packs, &orig)) != NULL)
    return *pack_id;

  /* 2. Made on a run's tune after the run started. */
  created = atelier_prompt_get_created_at (prompt);
  if (created == NULL || atelier_prompt_get_tune_id (prompt) == 0)
    return 0;

  run = find_latest_run (runs, atelier_prompt_get_tune_id (prompt), created);
  if (run == NULL || atelier_pack_run_get_kind (run) != ATELIER_PACK_RUN_PACK)
    return 0;
  if (atelier_pack_likes_knows_prompts (self, atelier_pack_run_get_pack_id (run)))
    return 0;

  return atelier_pack_run_get_pack_id (run);
}

void
atelier_pack_likes_update (AtelierPackLikes *self,
                           GPtrArray        *liked,
                           GListModel       *runs)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autofree gint64 *ids = NULL;

  g_return_if_fail (ATELIER_IS_PACK_LIKES (self));
  g_return_if_fail (liked != NULL);

  g_hash_table_remove_all (self->counts);
  ids = g_new (gint64, MAX (liked->len, 1));

  for (guint i = 0; i < liked->len; i++)
    {
      AtelierPrompt *prompt = g_ptr_array_index (liked, i);
      gint64 pack_id;
      guint count;

      ids[i] = atelier_prompt_get_id (prompt);
      if (!g_hash_table_add (seen, &ids[i]))
        continue;

      pack_id = atelier_pack_likes_find_pack (self, prompt, runs);
      if (pack_id == 0)
        continue;

      count = GPOINTER_TO_UINT (g_hash_table_lookup (self->counts, &pack_id));
      g_hash_table_replace (self->counts, int64_dup (pack_id), GUINT_TO_POINTER (count + 1));
    }
}

guint
atelier_pack_likes_get_count (AtelierPackLikes *self,
                              gint64            pack_id)
{
  g_return_val_if_fail (ATELIER_IS_PACK_LIKES (self), 0);
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->counts, &pack_id));
}

static void
atelier_pack_likes_finalize (GObject *object)
{
  AtelierPackLikes *self = ATELIER_PACK_LIKES (object);

  g_hash_table_unref (self->prompt_packs);
  g_hash_table_unref (self->known_packs);
  g_hash_table_unref (self->counts);

  G_OBJECT_CLASS (atelier_pack_likes_parent_class)->finalize (object);
}

static void
atelier_pack_likes_class_init (AtelierPackLikesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = atelier_pack_likes_finalize;
}

static void
atelier_pack_likes_init (AtelierPackLikes *self)
{
  self->prompt_packs = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->known_packs = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->counts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

AtelierPackLikes *
atelier_pack_likes_new (void)
{
  return g_object_new (ATELIER_TYPE_PACK_LIKES, NULL);
}
