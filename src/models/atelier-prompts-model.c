/* atelier-prompts-model.c: the gallery's list, paged from the service
 *
 * Items live in one array in display order. A reload first puts the liked
 * block (liked only, or most liked) from the local library, then pages the
 * server: each page's prompts that pass the filters, merged by date with
 * the library's prompts the server no longer lists, become items with one
 * ::items-changed. A page that adds nothing (a text filter) fetches the
 * next one at once; otherwise pages come when get_item() nears the end.
 * The offsets and repeats are AtelierPager's, the polling of pending
 * prompts AtelierPoller's, as for the tunes list.
 *
 * Prompts made on this computer (atelier_prompt_get_source()) are in the
 * library only: the server never lists them, so they are always merged,
 * never polled, and a source filter lists them without a request. Ones
 * kept while the list is shown come in through the library's ::changed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atelier-models-private.h"
#include "atelier-pager.h"
#include "atelier-poller.h"
#include "atelier-prompt-tags.h"
#include "atelier-prompts-model-private.h"

/* Items asked for this close to the end fetch the next page. */
#define LOOKAHEAD 60
#define DEFAULT_POLL_INTERVAL_MS 2000

struct _AtelierPromptsModel
{
  GObject              parent_instance;

  AtelierLikes        *likes;
  AtelierLibrary      *library;

  /* filters */
  gint64               tune_id;
  gint64               tag_tune_id;
  gboolean             liked_only;
  char                *source;        /* only the library's prompts of it, NULL for off */
  char                *search;        /* casefolded, NULL for none */
  AtelierPromptsSort   sort;

  /* contents */
  GPtrArray           *items;         /* AtelierGalleryItem */
  GHashTable          *shown;         /* id → AtelierPrompt shown */
  GPtrArray           *local;         /* library prompts to merge, newest first */
  guint                local_next;
  guint                block_items;   /* items of the liked block at the top */

  /* paging */
  AtelierPager        *pager;         /* knows the ids the server listed */
  gboolean             started;
  guint                demand;        /* fetch until there are this many items */
  guint                more_source;

  /* the prompts of tunes that finished training */
  GCancellable        *tune_prompts_cancellable;
  GArray              *recheck_tunes; /* gint64, listed again when recheck_source fires */
  guint                recheck_source;
  guint                recheck_ms;

  /* the pending prompts, while :polling */
  AtelierPoller       *poller;

  AtelierPromptUnits  *units;         /* made on demand */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AtelierPromptsModel, atelier_prompts_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_LOADING,
  PROP_HAS_MORE,
  PROP_RATE_LIMITED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  LOAD_FAILED,
  PROMPT_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gint64 *
id_new (gint64 id)
{
  return g_memdup2 (&id, sizeof id);
}

/* Filters */

static gboolean
is_liked (AtelierPromptsModel *self,
          gint64               id)
{
  return self->likes != NULL && atelier_likes_is_liked (self->likes, id);
}

/* Tune and text; the liked rules are applied by the callers. */
static gboolean
matches (AtelierPromptsModel *self,
         AtelierPrompt       *prompt)
{
  g_autofree char *folded = NULL;
  const char *text;

  if (g_strcmp0 (self->source, atelier_prompt_get_source (prompt)) != 0)
    {
      /* Off: every source, unless a tune is asked for. */
      if (self->source != NULL || self->tune_id != 0 || self->tag_tune_id != 0)
        return FALSE;
    }

  if (self->tune_id != 0 && atelier_prompt_get_tune_id (prompt) != self->tune_id)
    return FALSE;

  text = atelier_prompt_get_text (prompt);
  if (self->tag_tune_id != 0 && !atelier_prompt_tags_has_tune (text, self->tag_tune_id))
    return FALSE;

  if (self->search == NULL)
    return TRUE;

  if (text == NULL)
    return FALSE;
  folded = g_utf8_casefold (text, -1);

  return strstr (folded, self->search) != NULL;
}

static gboolean
liked_first (AtelierPromptsModel *self)
{
  return self->liked_only || self->sort == ATELIER_PROMPTS_SORT_MOST_LIKED;
}

/* Items */

static guint
n_items_for (AtelierPrompt *prompt)
{
  return MAX (atelier_prompt_get_n_images (prompt), 1);
}

static void
append_items (AtelierPromptsModel *self,
              GPtrArray           *items,
              AtelierPrompt       *prompt,
              gboolean             local_only)
{
  guint n = n_items_for (prompt);

  /* Made here: only here. */
  local_only = local_only || atelier_prompt_get_source (prompt) != NULL;
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, atelier_gallery_item_new (prompt, i, local_only));
}

static void
note_shown (AtelierPromptsModel *self,
            AtelierPrompt       *prompt)
{
  gint64 id = atelier_prompt_get_id (prompt);

  g_hash_table_replace (self->shown, id_new (id), g_object_ref (prompt));
  /* The service has nothing to say about a prompt made here. */
  atelier_poller_track (self->poller, id, G_OBJECT (prompt),
                        atelier_prompt_get_state (prompt) == ATELIER_PROMPT_STATE_PENDING &&
                        atelier_prompt_get_source (prompt) == NULL);
}

/* Inserts the items of @prompts at @position with one ::items-changed. */
static guint
insert_prompts (AtelierPromptsModel *self,
                guint                position,
                GPtrArray           *prompts,
                GPtrArray           *local_flags)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  guint old_len;

  for (guint i = 0; i < prompts->len; i++)
    {
      AtelierPrompt *prompt = g_ptr_array_index (prompts, i);
      gboolean local_only = local_flags != NULL && g_ptr_array_index (local_flags, i) != NULL;

      append_items (self, items, prompt, local_only);
      note_shown (self, prompt);
    }

  if (items->len == 0)
    return 0;

  /* Open a gap at @position and move the new items in (their references
   * go with them: @items frees nothing). */
  old_len = self->items->len;
  g_ptr_array_set_size (self->items, old_len + items->len);
  memmove (self->items->pdata + position + items->len, self->items->pdata + position,
           (old_len - position) * sizeof (gpointer));
  memcpy (self->items->pdata + position, items->pdata, items->len * sizeof (gpointer));

  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, items->len);

  return items->len;
}

/* The range of @id's items: returns the first position or -1. */
static int
find_range (AtelierPromptsModel *self,
            gint64               id,
            guint               *n)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      if (atelier_gallery_item_get_prompt_id (g_ptr_array_index (self->items, i)) != id)
        continue;

      *n = 1;
      while (i + *n < self->items->len &&
             atelier_gallery_item_get_prompt_id (g_ptr_array_index (self->items, i + *n)) == id)
        (*n)++;
      return (int) i;
    }

  *n = 0;
  return -1;
}

/* GListModel */

static gboolean
more_idle_cb (gpointer user_data)
{
  AtelierPromptsModel *self = user_data;

  self->more_source = 0;
  atelier_pager_load_more (self->pager);

  return G_SOURCE_REMOVE;
}

static GType
get_item_type (GListModel *list)
{
  return ATELIER_TYPE_GALLERY_ITEM;
}

static guint
get_n_items (GListModel *list)
{
  return ATELIER_PROMPTS_MODEL (list)->items->len;
}

void
_atelier_prompts_model_note_wanted (AtelierPromptsModel *self,
                                    guint                position)
{
  if (position + LOOKAHEAD < self->items->len || !self->started)
    return;

  self->demand = MAX (self->demand, position + LOOKAHEAD);
  /* Not from inside the view's own walk over the items. */
  if (atelier_pager_get_error (self->pager) == NULL && !atelier_pager_get_loading (self->pager) &&
      atelier_pager_get_has_more (self->pager) && self->more_source == 0)
    self->more_source = g_idle_add_full (G_PRIORITY_DEFAULT, more_idle_cb, self, NULL);
}

AtelierGalleryItem *
_atelier_prompts_model_peek_item (AtelierPromptsModel *self,
                                  guint                position)
{
  g_return_val_if_fail (ATELIER_IS_PROMPTS_MODEL (self), NULL);
  g_return_val_if_fail (position < self->items->len, NULL);

  return g_ptr_array_index (self->items, position);
}

static gpointer
get_item (GListModel *list,
          guint       position)
{
  AtelierPromptsModel *self = ATELIER_PROMPTS_MODEL (list);

  _atelier_prompts_model_note_wanted (self, position);
  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

GListModel *
atelier_prompts_model_get_units (AtelierPromptsModel *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPTS_MODEL (self), NULL);

  if (self->units == NULL)
    self->units = atelier_prompt_units_new (self);

  return G_LIST_MODEL (self->units);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* Paging */

static gint64
created_usec (AtelierPrompt *prompt)
{
  GDateTime *created = atelier_prompt_get_created_at (prompt);

  return created != NULL ? g_date_time_to_unix (created) * G_USEC_PER_SEC + g_date_time_get_microsecond (created) : 0;
}

/* Newer first; equal dates by id, larger first. */
static gboolean
is_newer (AtelierPrompt *a,
          AtelierPrompt *b)
{
  gint64 ta = created_usec (a);
  gint64 tb = created_usec (b);

  if (ta != tb)
    return ta > tb;
  return atelier_prompt_get_id (a) > atelier_prompt_get_id (b);
}

/* Merges the library's prompts that the server no longer lists, down to
 * @limit (exclusive; NULL: all of them), into @batch. */
static void
merge_local (AtelierPromptsModel *self,
             AtelierPrompt       *limit,
             GPtrArray           *batch,
             GPtrArray           *flags)
{
  while (self->local_next < self->local->len &&
         (limit == NULL || is_newer (g_ptr_array_index (self->local, self->local_next), limit)))
    {
      AtelierPrompt *local = g_ptr_array_index (self->local, self->local_next++);
      gint64 local_id = atelier_prompt_get_id (local);

      if (!atelier_pager_has_seen (self->pager, local_id) &&
          !g_hash_table_contains (self->shown, &local_id))
        {
          g_ptr_array_add (batch, local);
          g_ptr_array_add (flags, GINT_TO_POINTER (1));
        }
    }
}

/* The first position in [@start, @end) whose prompt is older than
 * @prompt, else @end. */
static guint
date_position (AtelierPromptsModel *self,
               AtelierPrompt       *prompt,
               guint                start,
               guint                end)
{
  for (guint i = start; i < end; i++)
    {
      if (is_newer (prompt, atelier_gallery_item_get_prompt (g_ptr_array_index (self->items, i))))
        return i;
    }

  return end;
}

/* Drops @id from the library's prompts still to merge. */
static void
forget_local (AtelierPromptsModel *self,
              gint64               id)
{
  for (guint i = self->local_next; i < self->local->len; i++)
    {
      if (atelier_prompt_get_id (g_ptr_array_index (self->local, i)) == id)
        {
          g_ptr_array_remove_index (self->local, i);
          return;
        }
    }
}

/* A prompt made on this computer, kept while the list is shown: where its
 * date puts it, in the liked block when it belongs there, or among the
 * library's prompts still to merge when it is older than what came. */
static void
insert_made (AtelierPromptsModel *self,
             AtelierPrompt       *prompt)
{
  g_autoptr(GPtrArray) one = g_ptr_array_new ();
  gint64 id = atelier_prompt_get_id (prompt);
  gboolean in_block = liked_first (self) && is_liked (self, id);
  guint position;

  if (!self->started || g_hash_table_contains (self->shown, &id) || !matches (self, prompt) ||
      (self->liked_only && !in_block))
    return;

  forget_local (self, id);
  g_ptr_array_add (one, prompt);

  if (in_block)
    {
      position = date_position (self, prompt, 0, self->block_items);
      self->block_items += insert_prompts (self, position, one, NULL);
      return;
    }

  position = date_position (self, prompt, self->block_items, self->items->len);
  if (position == self->items->len && atelier_pager_get_has_more (self->pager))
    {
      guint i = self->local_next;

      while (i < self->local->len && !is_newer (prompt, g_ptr_array_index (self->local, i)))
        i++;
      g_ptr_array_insert (self->local, i, g_object_ref (prompt));
      return;
    }

  insert_prompts (self, position, one, NULL);
}

static void
page_cb (AtelierPromptsModel *self,
         GPtrArray           *page,
         GPtrArray           *fresh,
         gboolean             first)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new ();
  g_autoptr(GPtrArray) flags = g_ptr_array_new ();
  gboolean last_page = !atelier_pager_get_has_more (self->pager);
  guint added;

  /* Prompts created meanwhile shift the offsets: the pager left the
   * repeats out of @fresh. */
  for (guint i = 0; i < fresh->len; i++)
    {
      AtelierPrompt *prompt = g_ptr_array_index (fresh, i);
      gint64 id = atelier_prompt_get_id (prompt);

      if (g_hash_table_contains (self->shown, &id))
        continue;
      if (self->sort == ATELIER_PROMPTS_SORT_MOST_LIKED && is_liked (self, id))
        continue;
      if (!matches (self, prompt))
        continue;

      /* The library's prompts that are newer than this one first. */
      merge_local (self, prompt, batch, flags);
      g_ptr_array_add (batch, prompt);
      g_ptr_array_add (flags, NULL);
    }

  /* The rest of the library down to this page's end (all of it after the
   * last page): the server would have listed them if it still had them. */
  if (last_page || page->len > 0)
    merge_local (self, last_page ? NULL : g_ptr_array_index (page, page->len - 1), batch, flags);

  added = insert_prompts (self, self->items->len, batch, flags);

  if (!last_page && (added == 0 || self->items->len < self->demand))
    atelier_pager_load_more (self->pager);
}

static void
page_failed_cb (AtelierPromptsModel *self,
                GError              *error)
{
  g_signal_emit (self, signals[LOAD_FAILED], 0, error);
}

static void
fetch_page (AtelierAstriaClient *client,
            guint                offset,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             callback_data,
            gpointer             user_data)
{
  AtelierPromptsModel *self = user_data;

  atelier_astria_client_list_prompts_async (client, self->tune_id, offset, cancellable,
                                            callback, callback_data);
}

void
atelier_prompts_model_load_more (AtelierPromptsModel *self)
{
  g_return_if_fail (ATELIER_IS_PROMPTS_MODEL (self));

  if (!self->started)
    {
      atelier_prompts_model_reload (self);
      return;
    }

  self->demand = MAX (self->demand, self->items->len + 1);
  atelier_pager_load_more (self->pager);
}

void
atelier_prompts_model_reload (AtelierPromptsModel *self)
{
  g_autoptr(GPtrArray) block = g_ptr_array_new ();
  g_autoptr(GPtrArray) library_prompts = NULL;
  guint old_n;

  g_return_if_fail (ATELIER_IS_PROMPTS_MODEL (self));

  self->started = TRUE;
  /* Liked only and a source come from the library alone. */
  atelier_pager_reset (self->pager, !self->liked_only && self->source == NULL);
  atelier_poller_clear (self->poller);

  old_n = self->items->len;
  g_ptr_array_set_size (self->items, 0);
  g_hash_table_remove_all (self->shown);
  g_ptr_array_set_size (self->local, 0);
  self->local_next = 0;
  self->block_items = 0;
  self->demand = 0;

  if (old_n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, 0);

  /* The library: the liked block, and what to merge by date. */
  library_prompts = self->library != NULL ? atelier_library_dup_prompts (self->library)
                                          : g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < library_prompts->len; i++)
    {
      AtelierPrompt *prompt = g_ptr_array_index (library_prompts, i);

      if (!matches (self, prompt))
        continue;

      if (liked_first (self) && is_liked (self, atelier_prompt_get_id (prompt)))
        g_ptr_array_add (block, prompt);
      else if (!self->liked_only)
        g_ptr_array_add (self->local, g_object_ref (prompt));
    }

  self->block_items = insert_prompts (self, 0, block, NULL);

  if (self->source != NULL)
    {
      /* No server: the rest of the library at once, by date. */
      g_autoptr(GPtrArray) rest = g_ptr_array_new ();
      g_autoptr(GPtrArray) flags = g_ptr_array_new ();

      merge_local (self, NULL, rest, flags);
      insert_prompts (self, self->items->len, rest, flags);
      return;
    }

  atelier_pager_load_more (self->pager);
}

/* Changes to shown prompts */

void
atelier_prompts_model_update_prompt (AtelierPromptsModel *self,
                                     AtelierPrompt       *prompt)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 id;
  guint n;
  int position;
  gboolean local_only;

  g_return_if_fail (ATELIER_IS_PROMPTS_MODEL (self));
  g_return_if_fail (ATELIER_IS_PROMPT (prompt));

  id = atelier_prompt_get_id (prompt);
  position = find_range (self, id, &n);
  if (position < 0)
    return;

  local_only = atelier_gallery_item_is_local_only (g_ptr_array_index (self->items, position));
  append_items (self, items, prompt, local_only);
  g_ptr_array_remove_range (self->items, position, n);
  for (guint i = 0; i < items->len; i++)
    g_ptr_array_insert (self->items, position + i, g_object_ref (g_ptr_array_index (items, i)));

  if ((guint) position < self->block_items)
    self->block_items = self->block_items - n + items->len;

  note_shown (self, prompt);
  g_list_model_items_changed (G_LIST_MODEL (self), position, n, items->len);
}

void
atelier_prompts_model_remove_prompt (AtelierPromptsModel *self,
                                     gint64               prompt_id)
{
  guint n;
  int position;

  g_return_if_fail (ATELIER_IS_PROMPTS_MODEL (self));

  atelier_poller_forget (self->poller, prompt_id);
  position = find_range (self, prompt_id, &n);
  if (position < 0)
    {
      forget_local (self, prompt_id);
      return;
    }

  g_ptr_array_remove_range (self->items, position, n);
  if ((guint) position < self->block_items)
    self->block_items -= n;
  forget_local (self, prompt_id);
  /* The server's list moved up by one behind us. */
  atelier_pager_note_removed (self->pager, prompt_id);
  g_hash_table_remove (self->shown, &prompt_id);
  g_list_model_items_changed (G_LIST_MODEL (self), position, n, 0);
}

void
atelier_prompts_model_add_prompt (AtelierPromptsModel *self,
                                  AtelierPrompt       *prompt)
{
  g_autoptr(GPtrArray) one = g_ptr_array_new ();
  gint64 id;

  g_return_if_fail (ATELIER_IS_PROMPTS_MODEL (self));
  g_return_if_fail (ATELIER_IS_PROMPT (prompt));

  id = atelier_prompt_get_id (prompt);
  if (g_hash_table_contains (self->shown, &id))
    {
      atelier_prompts_model_update_prompt (self, prompt);
      return;
    }

  if (atelier_prompt_get_source (prompt) != NULL)
    {
      insert_made (self, prompt);
      return;
    }

  if (!self->started || self->liked_only || !matches (self, prompt))
    return;

  /* The server lists it first from now on: shift what we ask for. */
  atelier_pager_note_added (self->pager, id);

  g_ptr_array_add (one, prompt);
  insert_prompts (self, self->block_items, one, NULL);
}

/* Trained tunes' prompts */

static void
tune_prompts_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AtelierPromptsModel) self = _atelier_weak_steal (user_data);
  g_autoptr(GPtrArray) prompts = NULL;
  g_autoptr(GError) error = NULL;

  prompts = atelier_astria_client_list_prompts_finish (ATELIER_ASTRIA_CLIENT (source), result, &error);
  if (self == NULL || prompts == NULL)
    return;

  /* Newest first from the service: the oldest goes in first, so that the
   * newest ends on top. */
  for (guint i = prompts->len; i > 0; i--)
    atelier_prompts_model_add_prompt (self, g_ptr_array_index (prompts, i - 1));
}

static void
list_tune_prompts (AtelierPromptsModel *self,
                   gint64               tune_id)
{
  AtelierAstriaClient *client = atelier_prompts_model_get_client (self);

  if (client == NULL || self->tune_prompts_cancellable == NULL)
    return;

  atelier_astria_client_list_prompts_async (client, tune_id, 0, self->tune_prompts_cancellable,
                                            tune_prompts_cb, _atelier_weak_new (self));
}

static gboolean
recheck_cb (gpointer user_data)
{
  AtelierPromptsModel *self = user_data;
  g_autoptr(GArray) tunes = g_steal_pointer (&self->recheck_tunes);

  self->recheck_source = 0;
  self->recheck_tunes = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < tunes->len; i++)
    list_tune_prompts (self, g_array_index (tunes, gint64, i));

  return G_SOURCE_REMOVE;
}

void
atelier_prompts_model_add_tune_prompts (AtelierPromptsModel *self,
                                        gint64               tune_id)
{
  g_return_if_fail (ATELIER_IS_PROMPTS_MODEL (self));
  g_return_if_fail (tune_id > 0);

  list_tune_prompts (self, tune_id);

  g_array_append_val (self->recheck_tunes, tune_id);
  if (self->recheck_source == 0)
    self->recheck_source = g_timeout_add (self->recheck_ms, recheck_cb, self);
}

void
_atelier_prompts_model_set_recheck_ms (AtelierPromptsModel *self,
                                       guint                ms)
{
  g_return_if_fail (ATELIER_IS_PROMPTS_MODEL (self));
  self->recheck_ms = ms;
}

AtelierPrompt *
atelier_prompts_model_lookup_prompt (AtelierPromptsModel *self,
                                     gint64               prompt_id)
{
  g_return_val_if_fail (ATELIER_IS_PROMPTS_MODEL (self), NULL);
  return g_hash_table_lookup (self->shown, &prompt_id);
}

int
atelier_prompts_model_find_prompt (AtelierPromptsModel *self,
                                   gint64               prompt_id)
{
  guint n;

  g_return_val_if_fail (ATELIER_IS_PROMPTS_MODEL (self), -1);
  return find_range (self, prompt_id, &n);
}

static void
likes_changed_cb (AtelierPromptsModel *self,
                  gint64               prompt_id,
                  gboolean             liked)
{
  /* Likes read from disk change what the liked block holds. */
  if (prompt_id == 0)
    {
      if (self->started && liked_first (self))
        atelier_prompts_model_reload (self);
      return;
    }

  if (self->liked_only && !liked)
    atelier_prompts_model_remove_prompt (self, prompt_id);
}

static void
library_loaded_cb (AtelierPromptsModel *self)
{
  if (self->started && atelier_library_is_loaded (self->library))
    atelier_prompts_model_reload (self);
}

/* A prompt made here was kept (a FaceID result) or deleted. */
static void
library_changed_cb (AtelierPromptsModel *self,
                    gint64               prompt_id)
{
  AtelierPrompt *prompt;

  if (prompt_id >= 0 || !self->started)
    return;

  prompt = atelier_library_get_prompt (self->library, prompt_id);
  if (prompt == NULL)
    atelier_prompts_model_remove_prompt (self, prompt_id);
  else if (atelier_prompt_get_source (prompt) != NULL)
    insert_made (self, prompt);
}

/* Polling */

static void
answered_cb (AtelierPromptsModel *self,
             AtelierPrompt       *prompt)
{
  if (atelier_prompt_get_state (prompt) == ATELIER_PROMPT_STATE_PENDING)
    return;

  /* Done or failed: show it, poll it no more. */
  atelier_prompts_model_update_prompt (self, prompt);
  atelier_poller_forget (self->poller, atelier_prompt_get_id (prompt));
  g_signal_emit (self, signals[PROMPT_FINISHED], 0, prompt);
}

static void
fetch_prompt (AtelierAstriaClient *client,
              GObject             *item,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             callback_data)
{
  AtelierPrompt *prompt = ATELIER_PROMPT (item);

  atelier_astria_client_get_prompt_async (client, atelier_prompt_get_tune_id (prompt),
                                          atelier_prompt_get_id (prompt), cancellable,
                                          callback, callback_data);
}

void
atelier_prompts_model_set_polling (AtelierPromptsModel *self,
                                   gboolean             polling)
{
  g_return_if_fail (ATELIER_IS_PROMPTS_MODEL (self));
  atelier_poller_set_active (self->poller, polling);
}

void
atelier_prompts_model_set_poll_interval_ms (AtelierPromptsModel *self,
                                            guint                interval_ms)
{
  g_return_if_fail (ATELIER_IS_PROMPTS_MODEL (self));
  atelier_poller_set_base_ms (self->poller, MAX (interval_ms, 1));
}

guint
atelier_prompts_model_get_n_pending (AtelierPromptsModel *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPTS_MODEL (self), 0);
  return atelier_poller_get_n_watched (self->poller);
}

guint
atelier_prompts_model_get_poll_delay_ms (AtelierPromptsModel *self,
                                         gint64               prompt_id)
{
  g_return_val_if_fail (ATELIER_IS_PROMPTS_MODEL (self), 0);
  return atelier_poller_get_delay_ms (self->poller, prompt_id);
}

gboolean
atelier_prompts_model_is_rate_limited (AtelierPromptsModel *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPTS_MODEL (self), FALSE);
  return atelier_poller_get_rate_limited (self->poller);
}

AtelierPoller *
_atelier_prompts_model_get_poller (AtelierPromptsModel *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPTS_MODEL (self), NULL);
  return self->poller;
}

/* Filters */

void
atelier_prompts_model_set_tune (AtelierPromptsModel *self,
                                gint64               tune_id,
                                gint64               tag_tune_id)
{
  g_return_if_fail (ATELIER_IS_PROMPTS_MODEL (self));

  if (self->tune_id == tune_id && self->tag_tune_id == tag_tune_id)
    return;
  self->tune_id = tune_id;
  self->tag_tune_id = tag_tune_id;
  if (self->started)
    atelier_prompts_model_reload (self);
}

void
atelier_prompts_model_set_tune_id (AtelierPromptsModel *self,
                                   gint64               tune_id)
{
  atelier_prompts_model_set_tune (self, tune_id, 0);
}

gint64
atelier_prompts_model_get_tune_id (AtelierPromptsModel *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPTS_MODEL (self), 0);
  return self->tune_id;
}

void
atelier_prompts_model_set_liked_only (AtelierPromptsModel *self,
                                      gboolean             liked_only)
{
  g_return_if_fail (ATELIER_IS_PROMPTS_MODEL (self));

  if (self->liked_only == !!liked_only)
    return;
  self->liked_only = !!liked_only;
  if (self->started)
    atelier_prompts_model_reload (self);
}

void
atelier_prompts_model_set_source (AtelierPromptsModel *self,
                                  const char          *source)
{
  g_return_if_fail (ATELIER_IS_PROMPTS_MODEL (self));

  if (source != NULL && *source == '\0')
    source = NULL;
  if (g_strcmp0 (self->source, source) == 0)
    return;

  g_free (self->source);
  self->source = g_strdup (source);
  if (self->started)
    atelier_prompts_model_reload (self);
}

const char *
atelier_prompts_model_get_source (AtelierPromptsModel *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPTS_MODEL (self), NULL);
  return self->source;
}

gboolean
atelier_prompts_model_get_liked_only (AtelierPromptsModel *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPTS_MODEL (self), FALSE);
  return self->liked_only;
}

void
atelier_prompts_model_set_search (AtelierPromptsModel *self,
                                  const char          *text)
{
  g_autofree char *folded = NULL;

  g_return_if_fail (ATELIER_IS_PROMPTS_MODEL (self));

  if (text != NULL)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (text));

      if (*stripped != '\0')
        folded = g_utf8_casefold (stripped, -1);
    }

  if (g_strcmp0 (folded, self->search) == 0)
    return;

  g_free (self->search);
  self->search = g_steal_pointer (&folded);
  if (self->started)
    atelier_prompts_model_reload (self);
}

void
atelier_prompts_model_set_sort (AtelierPromptsModel *self,
                                AtelierPromptsSort   sort)
{
  g_return_if_fail (ATELIER_IS_PROMPTS_MODEL (self));

  if (self->sort == sort)
    return;
  self->sort = sort;
  if (self->started)
    atelier_prompts_model_reload (self);
}

AtelierPromptsSort
atelier_prompts_model_get_sort (AtelierPromptsModel *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPTS_MODEL (self), ATELIER_PROMPTS_SORT_NEWEST);
  return self->sort;
}

/* State */

AtelierAstriaClient *
atelier_prompts_model_get_client (AtelierPromptsModel *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPTS_MODEL (self), NULL);
  return atelier_pager_get_client (self->pager);
}

gboolean
atelier_prompts_model_is_loading (AtelierPromptsModel *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPTS_MODEL (self), FALSE);
  return atelier_pager_get_loading (self->pager) || self->more_source != 0;
}

gboolean
atelier_prompts_model_has_more (AtelierPromptsModel *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPTS_MODEL (self), FALSE);
  return atelier_pager_get_has_more (self->pager);
}

const GError *
atelier_prompts_model_get_error (AtelierPromptsModel *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPTS_MODEL (self), NULL);
  return atelier_pager_get_error (self->pager);
}

guint
atelier_prompts_model_get_n_prompts (AtelierPromptsModel *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPTS_MODEL (self), 0);
  return g_hash_table_size (self->shown);
}

/* GObject */

static void
atelier_prompts_model_dispose (GObject *object)
{
  AtelierPromptsModel *self = ATELIER_PROMPTS_MODEL (object);

  g_clear_handle_id (&self->more_source, g_source_remove);
  g_clear_handle_id (&self->recheck_source, g_source_remove);
  g_cancellable_cancel (self->tune_prompts_cancellable);
  g_clear_object (&self->tune_prompts_cancellable);
  /* Dropping them cancels, quietly, what they have on its way. */
  g_clear_object (&self->pager);
  g_clear_object (&self->poller);
  if (self->likes != NULL)
    g_signal_handlers_disconnect_by_data (self->likes, self);
  if (self->library != NULL)
    g_signal_handlers_disconnect_by_data (self->library, self);
  g_clear_object (&self->likes);
  g_clear_object (&self->library);
  g_clear_object (&self->units);

  G_OBJECT_CLASS (atelier_prompts_model_parent_class)->dispose (object);
}

static void
atelier_prompts_model_finalize (GObject *object)
{
  AtelierPromptsModel *self = ATELIER_PROMPTS_MODEL (object);

  g_ptr_array_unref (self->items);
  g_ptr_array_unref (self->local);
  g_hash_table_unref (self->shown);
  g_array_unref (self->recheck_tunes);
  g_free (self->source);
  g_free (self->search);

  G_OBJECT_CLASS (atelier_prompts_model_parent_class)->finalize (object);
}

static void
atelier_prompts_model_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  AtelierPromptsModel *self = ATELIER_PROMPTS_MODEL (object);

  switch (prop_id)
    {
    case PROP_LOADING:
    case PROP_HAS_MORE:
      /* The pager's, under the same names. */
      g_object_get_property (G_OBJECT (self->pager), pspec->name, value);
      break;
    case PROP_RATE_LIMITED:
      g_value_set_boolean (value, atelier_poller_get_rate_limited (self->poller));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_prompts_model_class_init (AtelierPromptsModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = atelier_prompts_model_dispose;
  object_class->finalize = atelier_prompts_model_finalize;
  object_class->get_property = atelier_prompts_model_get_property;

  properties[PROP_LOADING] = _atelier_param_spec_flag ("loading", FALSE);
  properties[PROP_HAS_MORE] = _atelier_param_spec_flag ("has-more", TRUE);
  properties[PROP_RATE_LIMITED] = _atelier_param_spec_flag ("rate-limited", FALSE);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A page could not be fetched; load_more() tries again. */
  signals[LOAD_FAILED] = g_signal_new ("load-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  /* A polled prompt left the pending state: done or failed. */
  signals[PROMPT_FINISHED] = g_signal_new ("prompt-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 1, ATELIER_TYPE_PROMPT);
}

static void
atelier_prompts_model_init (AtelierPromptsModel *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->local = g_ptr_array_new_with_free_func (g_object_unref);
  self->shown = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->tune_prompts_cancellable = g_cancellable_new ();
  self->recheck_tunes = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->recheck_ms = ATELIER_PROMPTS_MODEL_TRAINED_RECHECK_S * 1000;

  self->pager = atelier_pager_new (fetch_page, atelier_astria_client_list_prompts_finish,
                                   (AtelierPagerIdFunc) atelier_prompt_get_id, self);
  g_signal_connect_object (self->pager, "page", G_CALLBACK (page_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->pager, "failed", G_CALLBACK (page_failed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->pager, "notify", G_CALLBACK (_atelier_forward_notify_cb), self, G_CONNECT_SWAPPED);

  /* Polling waits for the gallery to be shown. */
  self->poller = atelier_poller_new (fetch_prompt, (AtelierPollerFinishFunc) atelier_astria_client_get_prompt_finish);
  atelier_poller_set_active (self->poller, FALSE);
  atelier_poller_set_base_ms (self->poller, DEFAULT_POLL_INTERVAL_MS);
  g_signal_connect_object (self->poller, "answered", G_CALLBACK (answered_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->poller, "gone", G_CALLBACK (atelier_prompts_model_remove_prompt), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->poller, "notify::rate-limited", G_CALLBACK (_atelier_forward_notify_cb), self, G_CONNECT_SWAPPED);
}

AtelierPromptsModel *
atelier_prompts_model_new (AtelierAstriaClient *client,
                           AtelierLikes        *likes,
                           AtelierLibrary      *library)
{
  AtelierPromptsModel *self;

  g_return_val_if_fail (client == NULL || ATELIER_IS_ASTRIA_CLIENT (client), NULL);

  self = g_object_new (ATELIER_TYPE_PROMPTS_MODEL, NULL);
  atelier_pager_set_client (self->pager, client);
  atelier_pager_reset (self->pager, TRUE);
  atelier_poller_set_client (self->poller, client);
  if (likes != NULL)
    {
      self->likes = g_object_ref (likes);
      g_signal_connect_swapped (likes, "changed", G_CALLBACK (likes_changed_cb), self);
    }
  if (library != NULL)
    {
      self->library = g_object_ref (library);
      g_signal_connect_swapped (library, "notify::loaded", G_CALLBACK (library_loaded_cb), self);
      g_signal_connect_swapped (library, "changed", G_CALLBACK (library_changed_cb), self);
    }

  return self;
}
