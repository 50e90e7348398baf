/* atelier-prompts-model.c: the gallery's list, paged from the service
 *
 * Items live in one array in display order. A reload first puts the liked
 * block (liked only, or most liked) from the local library, then pages the
 * server: each page's prompts that pass the filters, merged by date with
 * the library's prompts the server no longer lists, become items with one
 * ::items-changed. A page that adds nothing (a text filter) fetches the
 * next one at once; otherwise pages come when get_item() nears the end.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atelier-prompt-tags.h"
#include "atelier-prompts-model.h"

/* Items asked for this close to the end fetch the next page. */
#define LOOKAHEAD 60
#define DEFAULT_POLL_INTERVAL_MS 2000
#define MAX_POLL_INTERVAL_MS 60000
#define RATE_LIMIT_PAUSE_MS 30000
#define MAX_POLLS_IN_FLIGHT 4

typedef struct
{
  gint64   id;
  gint64   tune_id;
  guint    interval_ms;
  gint64   due;          /* monotonic µs */
  gboolean in_flight;
} Poll;

struct _AtelierPromptsModel
{
  GObject              parent_instance;

  AtelierAstriaClient *client;
  AtelierLikes        *likes;
  AtelierLibrary      *library;

  /* filters */
  gint64               tune_id;
  gint64               tag_tune_id;
  gboolean             liked_only;
  char                *search;        /* casefolded, NULL for none */
  AtelierPromptsSort   sort;

  /* contents */
  GPtrArray           *items;         /* AtelierGalleryItem */
  GHashTable          *shown;         /* id → AtelierPrompt shown */
  GHashTable          *from_server;   /* ids the server listed since the reload */
  GPtrArray           *local;         /* library prompts to merge, newest first */
  guint                local_next;
  guint                block_items;   /* items of the liked block at the top */

  /* paging */
  gboolean             started;
  guint                offset;
  gboolean             server_done;
  gboolean             loading;
  GError              *error;
  guint                demand;        /* fetch until there are this many items */
  GCancellable        *cancellable;
  guint                more_source;

  /* polling */
  GHashTable          *polls;         /* id → Poll */
  gboolean             polling;
  guint                poll_interval_ms;
  guint                poll_source;
  guint                n_in_flight;
  gint64               rate_limited_until;
  gboolean             rate_limited;
  GCancellable        *poll_cancellable;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AtelierPromptsModel, atelier_prompts_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_LOADING,
  PROP_HAS_MORE,
  PROP_RATE_LIMITED,
  PROP_N_PROMPTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  LOAD_FAILED,
  PROMPT_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void load_page (AtelierPromptsModel *self);
static void schedule_polls (AtelierPromptsModel *self);

static void
set_boolean (AtelierPromptsModel *self,
             gboolean            *field,
             gboolean             value,
             guint                prop)
{
  value = !!value;
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

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

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, atelier_gallery_item_new (prompt, i, local_only));
}

static void watch (AtelierPromptsModel *self,
                   AtelierPrompt       *prompt);

static void
note_shown (AtelierPromptsModel *self,
            AtelierPrompt       *prompt)
{
  g_hash_table_replace (self->shown, id_new (atelier_prompt_get_id (prompt)), g_object_ref (prompt));
  watch (self, prompt);
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PROMPTS]);

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
  load_page (self);

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

static gpointer
get_item (GListModel *list,
          guint       position)
{
  AtelierPromptsModel *self = ATELIER_PROMPTS_MODEL (list);

  if (position + LOOKAHEAD >= self->items->len && self->started)
    {
      self->demand = MAX (self->demand, position + LOOKAHEAD);
      /* Not from inside the view's own walk over the items. */
      if (self->error == NULL && !self->loading && !self->server_done && self->more_source == 0)
        self->more_source = g_idle_add_full (G_PRIORITY_DEFAULT, more_idle_cb, self, NULL);
    }

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
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

static void
set_loading (AtelierPromptsModel *self,
             gboolean             loading)
{
  set_boolean (self, &self->loading, loading, PROP_LOADING);
}

static void
set_server_done (AtelierPromptsModel *self)
{
  gboolean had_more = !self->server_done;

  self->server_done = TRUE;
  if (had_more)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_MORE]);
}

static void
page_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(AtelierPromptsModel) self = user_data;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new ();
  g_autoptr(GPtrArray) flags = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  AtelierPrompt *oldest = NULL;
  gboolean last_page;
  guint added;

  page = atelier_astria_client_list_prompts_finish (ATELIER_ASTRIA_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_loading (self, FALSE);

  if (page == NULL)
    {
      self->error = g_steal_pointer (&error);
      g_signal_emit (self, signals[LOAD_FAILED], 0, self->error);
      return;
    }

  self->offset += page->len;
  last_page = page->len < ATELIER_PAGE_SIZE;
  if (page->len > 0)
    oldest = g_ptr_array_index (page, page->len - 1);

  for (guint i = 0; i < page->len; i++)
    {
      AtelierPrompt *prompt = g_ptr_array_index (page, i);
      gint64 id = atelier_prompt_get_id (prompt);

      /* Prompts created meanwhile shift the offsets: skip repeats. */
      if (g_hash_table_contains (self->from_server, &id))
        continue;
      g_hash_table_add (self->from_server, id_new (id));

      if (g_hash_table_contains (self->shown, &id))
        continue;
      if (self->sort == ATELIER_PROMPTS_SORT_MOST_LIKED && is_liked (self, id))
        continue;
      if (!matches (self, prompt))
        continue;

      /* Merge the library's prompts that are newer than this one. */
      while (self->local_next < self->local->len &&
             is_newer (g_ptr_array_index (self->local, self->local_next), prompt))
        {
          AtelierPrompt *local = g_ptr_array_index (self->local, self->local_next++);
          gint64 local_id = atelier_prompt_get_id (local);

          if (!g_hash_table_contains (self->from_server, &local_id) &&
              !g_hash_table_contains (self->shown, &local_id))
            {
              g_ptr_array_add (batch, local);
              g_ptr_array_add (flags, GINT_TO_POINTER (1));
            }
        }

      g_ptr_array_add (batch, prompt);
      g_ptr_array_add (flags, NULL);
    }

  /* The rest of the library down to this page's end (all of it after the
   * last page): the server would have listed them if it still had them. */
  while (self->local_next < self->local->len &&
         (last_page || (oldest != NULL && is_newer (g_ptr_array_index (self->local, self->local_next), oldest))))
    {
      AtelierPrompt *local = g_ptr_array_index (self->local, self->local_next++);
      gint64 local_id = atelier_prompt_get_id (local);

      if (!g_hash_table_contains (self->from_server, &local_id) &&
          !g_hash_table_contains (self->shown, &local_id))
        {
          g_ptr_array_add (batch, local);
          g_ptr_array_add (flags, GINT_TO_POINTER (1));
        }
    }

  if (last_page)
    set_server_done (self);

  added = insert_prompts (self, self->items->len, batch, flags);

  if (!self->server_done && (added == 0 || self->items->len < self->demand))
    load_page (self);
}

static void
load_page (AtelierPromptsModel *self)
{
  if (self->loading || self->server_done || self->client == NULL)
    return;

  g_clear_error (&self->error);
  set_loading (self, TRUE);
  atelier_astria_client_list_prompts_async (self->client, self->tune_id, self->offset,
                                            self->cancellable, page_cb, g_object_ref (self));
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
  load_page (self);
}

void
atelier_prompts_model_reload (AtelierPromptsModel *self)
{
  g_autoptr(GPtrArray) block = g_ptr_array_new ();
  g_autoptr(GPtrArray) library_prompts = NULL;
  guint old_n;

  g_return_if_fail (ATELIER_IS_PROMPTS_MODEL (self));

  self->started = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  old_n = self->items->len;
  g_ptr_array_set_size (self->items, 0);
  g_hash_table_remove_all (self->shown);
  g_hash_table_remove_all (self->from_server);
  g_hash_table_remove_all (self->polls);
  g_ptr_array_set_size (self->local, 0);
  self->local_next = 0;
  self->block_items = 0;
  self->offset = 0;
  self->demand = 0;
  g_clear_error (&self->error);
  set_loading (self, FALSE);
  if (self->server_done)
    {
      self->server_done = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_MORE]);
    }

  if (old_n > 0)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PROMPTS]);
    }

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

  if (self->liked_only)
    {
      set_server_done (self);
      return;
    }

  load_page (self);
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

  g_hash_table_remove (self->polls, &prompt_id);
  position = find_range (self, prompt_id, &n);
  if (position < 0)
    return;

  g_ptr_array_remove_range (self->items, position, n);
  if ((guint) position < self->block_items)
    self->block_items -= n;
  /* The server's list moved up by one behind us. */
  if (g_hash_table_remove (self->from_server, &prompt_id) && self->offset > 0)
    self->offset--;
  g_hash_table_remove (self->shown, &prompt_id);
  g_list_model_items_changed (G_LIST_MODEL (self), position, n, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PROMPTS]);
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

  if (!self->started || self->liked_only || !matches (self, prompt))
    return;

  /* The server lists it first from now on: shift what we ask for. */
  g_hash_table_add (self->from_server, id_new (id));
  self->offset++;

  g_ptr_array_add (one, prompt);
  insert_prompts (self, self->block_items, one, NULL);
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

/* Polling */

static Poll *
poll_new (AtelierPromptsModel *self,
          AtelierPrompt       *prompt)
{
  Poll *poll = g_new0 (Poll, 1);

  poll->id = atelier_prompt_get_id (prompt);
  poll->tune_id = atelier_prompt_get_tune_id (prompt);
  poll->interval_ms = self->poll_interval_ms;
  poll->due = g_get_monotonic_time () + (gint64) poll->interval_ms * 1000;

  return poll;
}

static void
watch (AtelierPromptsModel *self,
       AtelierPrompt       *prompt)
{
  gint64 id = atelier_prompt_get_id (prompt);

  if (atelier_prompt_get_state (prompt) != ATELIER_PROMPT_STATE_PENDING)
    {
      g_hash_table_remove (self->polls, &id);
      return;
    }

  if (g_hash_table_contains (self->polls, &id))
    return;

  g_hash_table_insert (self->polls, id_new (id), poll_new (self, prompt));
  schedule_polls (self);
}

static void
set_rate_limited (AtelierPromptsModel *self,
                  gboolean             rate_limited)
{
  set_boolean (self, &self->rate_limited, rate_limited, PROP_RATE_LIMITED);
}

static void
back_off (Poll *poll)
{
  poll->interval_ms = MIN (poll->interval_ms * 2, MAX_POLL_INTERVAL_MS);
  poll->due = g_get_monotonic_time () + (gint64) poll->interval_ms * 1000;
}

typedef struct
{
  AtelierPromptsModel *self;   /* (owned) */
  gint64               id;
} PollCall;

static void
poll_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  PollCall *call = user_data;
  g_autoptr(AtelierPromptsModel) self = call->self;
  g_autoptr(AtelierPrompt) prompt = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = call->id;
  Poll *poll;

  g_free (call);

  prompt = atelier_astria_client_get_prompt_finish (ATELIER_ASTRIA_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->n_in_flight--;
  poll = g_hash_table_lookup (self->polls, &id);

  if (prompt != NULL && g_get_monotonic_time () >= self->rate_limited_until)
    set_rate_limited (self, FALSE);

  if (poll == NULL)
    {
      /* Removed meanwhile (reload, deleted). */
    }
  else if (g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_NOT_FOUND))
    {
      atelier_prompts_model_remove_prompt (self, id);
    }
  else if (g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_RATE_LIMITED))
    {
      /* Still limited after the client's own waits: pause longer. */
      poll->in_flight = FALSE;
      back_off (poll);
      self->rate_limited_until = g_get_monotonic_time () +
                                 (gint64) MAX (poll->interval_ms, RATE_LIMIT_PAUSE_MS) * 1000;
      set_rate_limited (self, TRUE);
    }
  else if (error != NULL)
    {
      poll->in_flight = FALSE;
      back_off (poll);
    }
  else if (atelier_prompt_get_state (prompt) != ATELIER_PROMPT_STATE_PENDING)
    {
      /* Done or failed: show it; watch() stops the polling. */
      atelier_prompts_model_update_prompt (self, prompt);
      g_hash_table_remove (self->polls, &id);
      g_signal_emit (self, signals[PROMPT_FINISHED], 0, prompt);
    }
  else
    {
      poll->in_flight = FALSE;
      back_off (poll);
    }

  schedule_polls (self);
}

static gboolean
poll_timeout_cb (gpointer user_data)
{
  AtelierPromptsModel *self = user_data;
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  Poll *poll;

  self->poll_source = 0;

  if (now >= self->rate_limited_until && self->n_in_flight == 0)
    set_rate_limited (self, FALSE);

  g_hash_table_iter_init (&iter, self->polls);
  while (self->n_in_flight < MAX_POLLS_IN_FLIGHT &&
         g_hash_table_iter_next (&iter, NULL, (gpointer *) &poll))
    {
      PollCall *call;

      if (poll->in_flight || poll->due > now || now < self->rate_limited_until)
        continue;

      call = g_new0 (PollCall, 1);
      call->self = g_object_ref (self);
      call->id = poll->id;
      poll->in_flight = TRUE;
      self->n_in_flight++;
      atelier_astria_client_get_prompt_async (self->client, poll->tune_id, poll->id,
                                              self->poll_cancellable, poll_cb, call);
    }

  schedule_polls (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_polls (AtelierPromptsModel *self)
{
  gint64 next = G_MAXINT64;
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  Poll *poll;

  g_clear_handle_id (&self->poll_source, g_source_remove);

  if (!self->polling || self->client == NULL || self->n_in_flight >= MAX_POLLS_IN_FLIGHT)
    return;

  g_hash_table_iter_init (&iter, self->polls);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &poll))
    {
      if (!poll->in_flight)
        next = MIN (next, poll->due);
    }

  if (next == G_MAXINT64)
    return;

  next = MAX (next, self->rate_limited_until);
  self->poll_source = g_timeout_add ((guint) CLAMP ((next - now) / 1000, 0, MAX_POLL_INTERVAL_MS),
                                     poll_timeout_cb, self);
  g_source_set_name_by_id (self->poll_source, "[atelier] poll pending prompts");
}

static void
retry_scheduled_cb (AtelierPromptsModel *self,
                    guint                attempt,
                    guint                delay_ms,
                    GError              *reason,
                    GCancellable        *cancellable)
{
  gint64 until;

  if (!g_error_matches (reason, ATELIER_API_ERROR, ATELIER_API_ERROR_RATE_LIMITED))
    return;

  /* The service said when to come back: no poll before then. */
  until = g_get_monotonic_time () + (gint64) delay_ms * 1000;
  self->rate_limited_until = MAX (self->rate_limited_until, until);
  set_rate_limited (self, TRUE);
  schedule_polls (self);
}

void
atelier_prompts_model_set_polling (AtelierPromptsModel *self,
                                   gboolean             polling)
{
  g_return_if_fail (ATELIER_IS_PROMPTS_MODEL (self));

  if (self->polling == !!polling)
    return;

  self->polling = !!polling;
  if (polling)
    {
      GHashTableIter iter;
      Poll *poll;
      gint64 now = g_get_monotonic_time ();

      /* Coming back into view: look at once, with the backoff kept. */
      g_hash_table_iter_init (&iter, self->polls);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &poll))
        poll->due = MIN (poll->due, now);
    }
  schedule_polls (self);
}

void
atelier_prompts_model_set_poll_interval_ms (AtelierPromptsModel *self,
                                            guint                interval_ms)
{
  g_return_if_fail (ATELIER_IS_PROMPTS_MODEL (self));
  self->poll_interval_ms = MAX (interval_ms, 1);
}

guint
atelier_prompts_model_get_n_pending (AtelierPromptsModel *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPTS_MODEL (self), 0);
  return g_hash_table_size (self->polls);
}

guint
atelier_prompts_model_get_poll_delay_ms (AtelierPromptsModel *self,
                                         gint64               prompt_id)
{
  Poll *poll;

  g_return_val_if_fail (ATELIER_IS_PROMPTS_MODEL (self), 0);

  poll = g_hash_table_lookup (self->polls, &prompt_id);
  return poll != NULL ? poll->interval_ms : 0;
}

gboolean
atelier_prompts_model_is_rate_limited (AtelierPromptsModel *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPTS_MODEL (self), FALSE);
  return self->rate_limited;
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
  return self->client;
}

gboolean
atelier_prompts_model_is_loading (AtelierPromptsModel *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPTS_MODEL (self), FALSE);
  return self->loading || self->more_source != 0;
}

gboolean
atelier_prompts_model_has_more (AtelierPromptsModel *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPTS_MODEL (self), FALSE);
  return !self->server_done;
}

const GError *
atelier_prompts_model_get_error (AtelierPromptsModel *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPTS_MODEL (self), NULL);
  return self->error;
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

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->poll_cancellable);
  g_clear_handle_id (&self->poll_source, g_source_remove);
  g_clear_handle_id (&self->more_source, g_source_remove);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  if (self->likes != NULL)
    g_signal_handlers_disconnect_by_data (self->likes, self);
  if (self->library != NULL)
    g_signal_handlers_disconnect_by_data (self->library, self);
  g_clear_object (&self->client);
  g_clear_object (&self->likes);
  g_clear_object (&self->library);

  G_OBJECT_CLASS (atelier_prompts_model_parent_class)->dispose (object);
}

static void
atelier_prompts_model_finalize (GObject *object)
{
  AtelierPromptsModel *self = ATELIER_PROMPTS_MODEL (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->poll_cancellable);
  g_ptr_array_unref (self->items);
  g_ptr_array_unref (self->local);
  g_hash_table_unref (self->shown);
  g_hash_table_unref (self->from_server);
  g_hash_table_unref (self->polls);
  g_clear_error (&self->error);
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
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_HAS_MORE:
      g_value_set_boolean (value, !self->server_done);
      break;
    case PROP_RATE_LIMITED:
      g_value_set_boolean (value, self->rate_limited);
      break;
    case PROP_N_PROMPTS:
      g_value_set_uint (value, g_hash_table_size (self->shown));
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

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_MORE] =
    g_param_spec_boolean ("has-more", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RATE_LIMITED] =
    g_param_spec_boolean ("rate-limited", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_PROMPTS] =
    g_param_spec_uint ("n-prompts", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
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
  self->from_server = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->polls = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->poll_interval_ms = DEFAULT_POLL_INTERVAL_MS;
  self->poll_cancellable = g_cancellable_new ();
  self->cancellable = g_cancellable_new ();
}

AtelierPromptsModel *
atelier_prompts_model_new (AtelierAstriaClient *client,
                           AtelierLikes        *likes,
                           AtelierLibrary      *library)
{
  AtelierPromptsModel *self;

  g_return_val_if_fail (client == NULL || ATELIER_IS_ASTRIA_CLIENT (client), NULL);

  self = g_object_new (ATELIER_TYPE_PROMPTS_MODEL, NULL);
  if (client != NULL)
    {
      self->client = g_object_ref (client);
      g_signal_connect_swapped (client, "retry-scheduled", G_CALLBACK (retry_scheduled_cb), self);
    }
  if (likes != NULL)
    {
      self->likes = g_object_ref (likes);
      g_signal_connect_swapped (likes, "changed", G_CALLBACK (likes_changed_cb), self);
    }
  if (library != NULL)
    {
      self->library = g_object_ref (library);
      g_signal_connect_swapped (library, "notify::loaded", G_CALLBACK (library_loaded_cb), self);
    }

  return self;
}
