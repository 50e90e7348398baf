/* atelier-tune-list.c: the account's tunes, page by page, kept fresh
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-tune-list.h"

struct _AtelierTuneList
{
  GObject              parent_instance;

  GListStore          *tunes;
  AtelierAstriaClient *client;

  /* paging */
  GCancellable        *load_cancellable;
  guint                next_offset;
  gboolean             loading;
  gboolean             has_more;
  gboolean             loaded;

  /* polling */
  GCancellable        *poll_cancellable;
  GHashTable          *training;          /* ids seen training (gint64 *) */
  guint                poll_base_ms;
  guint                poll_delay_ms;
  guint                poll_id;
  guint                polls_pending;
  gboolean             rate_limited;
};

static void atelier_tune_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AtelierTuneList, atelier_tune_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, atelier_tune_list_model_init))

enum {
  PROP_0,
  PROP_LOADING,
  PROP_HAS_MORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  TUNE_READY,
  LOAD_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* {{{ GListModel */

static GType
atelier_tune_list_get_item_type (GListModel *model)
{
  return ATELIER_TYPE_TUNE;
}

static guint
atelier_tune_list_get_n_items (GListModel *model)
{
  AtelierTuneList *self = ATELIER_TUNE_LIST (model);

  return g_list_model_get_n_items (G_LIST_MODEL (self->tunes));
}

static gpointer
atelier_tune_list_get_item (GListModel *model,
                            guint       position)
{
  AtelierTuneList *self = ATELIER_TUNE_LIST (model);

  return g_list_model_get_item (G_LIST_MODEL (self->tunes), position);
}

static void
atelier_tune_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = atelier_tune_list_get_item_type;
  iface->get_n_items = atelier_tune_list_get_n_items;
  iface->get_item = atelier_tune_list_get_item;
}

static void
store_items_changed_cb (AtelierTuneList *self,
                        guint            position,
                        guint            removed,
                        guint            added)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

/* }}} */

static void
set_loading (AtelierTuneList *self,
             gboolean         loading)
{
  if (self->loading == loading)
    return;

  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
set_has_more (AtelierTuneList *self,
              gboolean         has_more)
{
  if (self->has_more == has_more)
    return;

  self->has_more = has_more;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_MORE]);
}

static gboolean
find_position (AtelierTuneList *self,
               gint64           tune_id,
               guint           *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->tunes));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AtelierTune) tune = g_list_model_get_item (G_LIST_MODEL (self->tunes), i);

      if (atelier_tune_get_id (tune) == tune_id)
        {
          *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

static gboolean
is_training (AtelierTune *tune)
{
  return atelier_tune_get_state (tune, NULL) == ATELIER_TUNE_STATE_TRAINING;
}

/* {{{ Polling */

static void schedule_poll (AtelierTuneList *self);

/* Remembers tunes seen training; tells when one of them is trained. */
static void
track_training (AtelierTuneList *self,
                AtelierTune     *tune)
{
  gint64 id = atelier_tune_get_id (tune);

  if (is_training (tune))
    {
      if (!g_hash_table_contains (self->training, &id))
        g_hash_table_add (self->training, g_memdup2 (&id, sizeof id));
    }
  else if (g_hash_table_remove (self->training, &id) && atelier_tune_is_trained (tune))
    {
      g_signal_emit (self, signals[TUNE_READY], 0, tune);
    }
}

static void
poll_done (AtelierTuneList *self)
{
  g_assert (self->polls_pending > 0);
  if (--self->polls_pending > 0)
    return;

  if (self->rate_limited)
    self->poll_delay_ms = ATELIER_TUNE_LIST_POLL_MAX_MS;
  else
    self->poll_delay_ms = MIN ((guint) (self->poll_delay_ms * 1.5), ATELIER_TUNE_LIST_POLL_MAX_MS);
  self->rate_limited = FALSE;

  schedule_poll (self);
}

typedef struct
{
  AtelierTuneList *list;   /* (owned) */
  gint64           id;
} Poll;

static void
poll_free (Poll *poll)
{
  g_clear_object (&poll->list);
  g_free (poll);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Poll, poll_free)

static void
poll_tune_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Poll) poll = user_data;
  AtelierTuneList *self = poll->list;
  g_autoptr(AtelierTune) tune = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = poll->id;

  tune = atelier_astria_client_get_tune_finish (ATELIER_ASTRIA_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (tune != NULL)
    atelier_tune_list_update (self, tune);
  else if (g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_RATE_LIMITED))
    self->rate_limited = TRUE;
  else if (g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_NOT_FOUND))
    atelier_tune_list_remove_id (self, id);
  /* Other errors: the next round tries again. */

  poll_done (self);
}

static gboolean
poll_cb (gpointer user_data)
{
  AtelierTuneList *self = user_data;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->tunes));
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  self->poll_id = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AtelierTune) tune = g_list_model_get_item (G_LIST_MODEL (self->tunes), i);

      if (is_training (tune))
        {
          gint64 id = atelier_tune_get_id (tune);
          g_array_append_val (ids, id);
        }
    }

  if (ids->len == 0 || self->client == NULL)
    {
      self->poll_delay_ms = self->poll_base_ms;
      return G_SOURCE_REMOVE;
    }

  if (self->poll_cancellable == NULL)
    self->poll_cancellable = g_cancellable_new ();

  self->polls_pending = ids->len;
  for (guint i = 0; i < ids->len; i++)
    {
      Poll *poll = g_new0 (Poll, 1);

      poll->list = g_object_ref (self);
      poll->id = g_array_index (ids, gint64, i);
      atelier_astria_client_get_tune_async (self->client, poll->id, self->poll_cancellable,
                                            poll_tune_cb, poll);
    }

  return G_SOURCE_REMOVE;
}

static void
schedule_poll (AtelierTuneList *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->tunes));
  gboolean any = FALSE;

  if (self->poll_id != 0 || self->polls_pending > 0 || self->client == NULL)
    return;

  for (guint i = 0; i < n && !any; i++)
    {
      g_autoptr(AtelierTune) tune = g_list_model_get_item (G_LIST_MODEL (self->tunes), i);
      any = is_training (tune);
    }

  if (!any)
    {
      self->poll_delay_ms = self->poll_base_ms;
      return;
    }

  self->poll_id = g_timeout_add (self->poll_delay_ms, poll_cb, self);
  g_source_set_name_by_id (self->poll_id, "[atelier] poll training tunes");
}

static void
stop_polling (AtelierTuneList *self)
{
  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_cancellable_cancel (self->poll_cancellable);
  g_clear_object (&self->poll_cancellable);
  self->polls_pending = 0;
  self->rate_limited = FALSE;
  self->poll_delay_ms = self->poll_base_ms;
}

/* }}} */

/* {{{ Paging */

static void
list_page_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AtelierTuneList) self = user_data;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) fresh = NULL;
  guint offset;
  guint n;

  page = atelier_astria_client_list_tunes_finish (ATELIER_ASTRIA_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->load_cancellable);
  self->loaded = TRUE;

  if (page == NULL)
    {
      set_loading (self, FALSE);
      g_signal_emit (self, signals[LOAD_FAILED], 0, error);
      return;
    }

  offset = self->next_offset;
  fresh = g_ptr_array_new ();
  for (guint i = 0; i < page->len; i++)
    {
      AtelierTune *tune = g_ptr_array_index (page, i);
      guint position;

      track_training (self, tune);
      if (offset > 0 && find_position (self, atelier_tune_get_id (tune), &position))
        g_list_store_splice (self->tunes, position, 1, (gpointer *) &tune, 1);
      else
        g_ptr_array_add (fresh, tune);
    }

  /* The first page replaces what was there; the next ones append. One
   * items-changed for the lot. */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->tunes));
  if (offset == 0)
    g_list_store_splice (self->tunes, 0, n, fresh->pdata, fresh->len);
  else
    g_list_store_splice (self->tunes, n, 0, fresh->pdata, fresh->len);

  self->next_offset = offset + page->len;
  set_has_more (self, page->len >= ATELIER_PAGE_SIZE);
  set_loading (self, FALSE);

  schedule_poll (self);
}

static void
load_page (AtelierTuneList *self,
           guint            offset)
{
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);

  if (self->client == NULL)
    {
      set_loading (self, FALSE);
      return;
    }

  self->load_cancellable = g_cancellable_new ();
  self->next_offset = offset;
  set_loading (self, TRUE);
  atelier_astria_client_list_tunes_async (self->client, offset, self->load_cancellable,
                                          list_page_cb, g_object_ref (self));
}

void
atelier_tune_list_reload (AtelierTuneList *self)
{
  g_return_if_fail (ATELIER_IS_TUNE_LIST (self));

  load_page (self, 0);
}

void
atelier_tune_list_load_more (AtelierTuneList *self)
{
  g_return_if_fail (ATELIER_IS_TUNE_LIST (self));

  if (self->loading || !self->has_more || !self->loaded)
    return;

  load_page (self, self->next_offset);
}

/* }}} */

/* {{{ Public API */

AtelierTuneList *
atelier_tune_list_new (void)
{
  return g_object_new (ATELIER_TYPE_TUNE_LIST, NULL);
}

void
atelier_tune_list_set_client (AtelierTuneList     *self,
                              AtelierAstriaClient *client)
{
  g_return_if_fail (ATELIER_IS_TUNE_LIST (self));

  if (!g_set_object (&self->client, client))
    return;

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  stop_polling (self);
  g_hash_table_remove_all (self->training);
  g_list_store_remove_all (self->tunes);
  self->next_offset = 0;
  self->loaded = FALSE;
  set_has_more (self, FALSE);
  set_loading (self, FALSE);
}

AtelierAstriaClient *
atelier_tune_list_get_client (AtelierTuneList *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE_LIST (self), NULL);
  return self->client;
}

gboolean
atelier_tune_list_get_loading (AtelierTuneList *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE_LIST (self), FALSE);
  return self->loading;
}

gboolean
atelier_tune_list_get_has_more (AtelierTuneList *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE_LIST (self), FALSE);
  return self->has_more;
}

gboolean
atelier_tune_list_get_loaded (AtelierTuneList *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE_LIST (self), FALSE);
  return self->loaded;
}

void
atelier_tune_list_prepend (AtelierTuneList *self,
                           AtelierTune     *tune)
{
  guint position;

  g_return_if_fail (ATELIER_IS_TUNE_LIST (self));
  g_return_if_fail (ATELIER_IS_TUNE (tune));

  if (find_position (self, atelier_tune_get_id (tune), &position))
    {
      atelier_tune_list_update (self, tune);
      return;
    }

  g_list_store_insert (self->tunes, 0, tune);
  /* The service's pages moved by one. */
  if (self->loaded)
    self->next_offset++;

  track_training (self, tune);
  /* A new training tune: ask soon again. */
  if (is_training (tune))
    {
      g_clear_handle_id (&self->poll_id, g_source_remove);
      self->poll_delay_ms = self->poll_base_ms;
      schedule_poll (self);
    }
}

void
atelier_tune_list_update (AtelierTuneList *self,
                          AtelierTune     *tune)
{
  guint position;

  g_return_if_fail (ATELIER_IS_TUNE_LIST (self));
  g_return_if_fail (ATELIER_IS_TUNE (tune));

  if (!find_position (self, atelier_tune_get_id (tune), &position))
    return;

  g_list_store_splice (self->tunes, position, 1, (gpointer *) &tune, 1);
  track_training (self, tune);
}

void
atelier_tune_list_remove_id (AtelierTuneList *self,
                             gint64           tune_id)
{
  guint position;

  g_return_if_fail (ATELIER_IS_TUNE_LIST (self));

  if (!find_position (self, tune_id, &position))
    return;

  g_list_store_remove (self->tunes, position);
  g_hash_table_remove (self->training, &tune_id);
  if (self->next_offset > 0)
    self->next_offset--;
}

AtelierTune *
atelier_tune_list_find (AtelierTuneList *self,
                        gint64           tune_id)
{
  g_autoptr(AtelierTune) tune = NULL;
  guint position;

  g_return_val_if_fail (ATELIER_IS_TUNE_LIST (self), NULL);

  if (!find_position (self, tune_id, &position))
    return NULL;

  /* Transfer none: the store holds it. */
  tune = g_list_model_get_item (G_LIST_MODEL (self->tunes), position);
  return tune;
}

void
atelier_tune_list_set_poll_base_ms (AtelierTuneList *self,
                                    guint            ms)
{
  g_return_if_fail (ATELIER_IS_TUNE_LIST (self));
  g_return_if_fail (ms > 0);

  self->poll_base_ms = ms;
  self->poll_delay_ms = MIN (self->poll_delay_ms, ms);
}

guint
atelier_tune_list_get_poll_delay_ms (AtelierTuneList *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE_LIST (self), 0);
  return self->poll_id != 0 ? self->poll_delay_ms : 0;
}

/* }}} */

/* {{{ GObject */

static void
atelier_tune_list_dispose (GObject *object)
{
  AtelierTuneList *self = ATELIER_TUNE_LIST (object);

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  stop_polling (self);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (atelier_tune_list_parent_class)->dispose (object);
}

static void
atelier_tune_list_finalize (GObject *object)
{
  AtelierTuneList *self = ATELIER_TUNE_LIST (object);

  g_clear_object (&self->tunes);
  g_clear_pointer (&self->training, g_hash_table_unref);

  G_OBJECT_CLASS (atelier_tune_list_parent_class)->finalize (object);
}

static void
atelier_tune_list_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AtelierTuneList *self = ATELIER_TUNE_LIST (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_HAS_MORE:
      g_value_set_boolean (value, self->has_more);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_tune_list_class_init (AtelierTuneListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = atelier_tune_list_dispose;
  object_class->finalize = atelier_tune_list_finalize;
  object_class->get_property = atelier_tune_list_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_MORE] =
    g_param_spec_boolean ("has-more", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[TUNE_READY] =
    g_signal_new ("tune-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, ATELIER_TYPE_TUNE);
  signals[LOAD_FAILED] =
    g_signal_new ("load-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
atelier_tune_list_init (AtelierTuneList *self)
{
  self->tunes = g_list_store_new (ATELIER_TYPE_TUNE);
  g_signal_connect_swapped (self->tunes, "items-changed", G_CALLBACK (store_items_changed_cb), self);
  self->training = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->poll_base_ms = ATELIER_TUNE_LIST_POLL_BASE_MS;
  self->poll_delay_ms = self->poll_base_ms;
}

/* }}} */
