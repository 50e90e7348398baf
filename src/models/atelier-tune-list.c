/* atelier-tune-list.c: the account's tunes, page by page, kept fresh
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-model-property-private.h"
#include "atelier-models-private.h"
#include "atelier-pager.h"
#include "atelier-tune-list.h"

struct _AtelierTuneList
{
  GObject        parent_instance;

  GListStore    *tunes;
  AtelierPager  *pager;
  AtelierPoller *poller;    /* the training tunes */
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

/* Polls training tunes; tells when one seen training is trained. */
static void
track (AtelierTuneList *self,
       AtelierTune     *tune)
{
  gboolean training = atelier_tune_get_state (tune, NULL) == ATELIER_TUNE_STATE_TRAINING;

  if (atelier_poller_track (self->poller, atelier_tune_get_id (tune), G_OBJECT (tune), training) &&
      atelier_tune_is_trained (tune))
    g_signal_emit (self, signals[TUNE_READY], 0, tune);
}

/* Puts @tune in place of the copy with its id. */
static gboolean
replace (AtelierTuneList *self,
         AtelierTune     *tune)
{
  guint position;

  if (!find_position (self, atelier_tune_get_id (tune), &position))
    return FALSE;

  g_list_store_splice (self->tunes, position, 1, (gpointer *) &tune, 1);
  track (self, tune);
  return TRUE;
}

/* {{{ Pager and poller */

static void
fetch_page (AtelierAstriaClient *client,
            guint                offset,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             callback_data,
            gpointer             user_data)
{
  atelier_astria_client_list_tunes_async (client, offset, cancellable, callback, callback_data);
}

static void
fetch_tune (AtelierAstriaClient *client,
            GObject             *item,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             callback_data)
{
  atelier_astria_client_get_tune_async (client, atelier_tune_get_id (ATELIER_TUNE (item)),
                                        cancellable, callback, callback_data);
}

static void
page_cb (AtelierTuneList *self,
         GPtrArray       *page,
         GPtrArray       *fresh,
         gboolean         first)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->tunes));

  /* The first page replaces what was there; the next ones refresh the
   * tunes listed again and append the others. One items-changed for the
   * new ones. */
  if (first)
    {
      g_list_store_splice (self->tunes, 0, n, page->pdata, page->len);
      fresh = page;
    }
  else
    {
      for (guint i = 0; i < page->len; i++)
        replace (self, g_ptr_array_index (page, i));
      g_list_store_splice (self->tunes, n, 0, fresh->pdata, fresh->len);
    }

  for (guint i = 0; i < fresh->len; i++)
    track (self, g_ptr_array_index (fresh, i));
}

static void
failed_cb (AtelierTuneList *self,
           GError          *error)
{
  g_signal_emit (self, signals[LOAD_FAILED], 0, error);
}

static void
answered_cb (AtelierTuneList *self,
             AtelierTune     *tune)
{
  /* Not in the list any more (a reload left it out): stop asking. */
  if (!replace (self, tune))
    atelier_poller_forget (self->poller, atelier_tune_get_id (tune));
}

void
atelier_tune_list_reload (AtelierTuneList *self)
{
  g_return_if_fail (ATELIER_IS_TUNE_LIST (self));

  atelier_pager_reload (self->pager);
}

void
atelier_tune_list_load_more (AtelierTuneList *self)
{
  g_return_if_fail (ATELIER_IS_TUNE_LIST (self));

  atelier_pager_load_more (self->pager);
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

  if (client == atelier_pager_get_client (self->pager))
    return;

  g_object_freeze_notify (G_OBJECT (self));
  atelier_poller_set_client (self->poller, client);
  atelier_pager_set_client (self->pager, client);
  g_list_store_remove_all (self->tunes);
  g_object_thaw_notify (G_OBJECT (self));
}

AtelierAstriaClient *
atelier_tune_list_get_client (AtelierTuneList *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE_LIST (self), NULL);
  return atelier_pager_get_client (self->pager);
}

gboolean
atelier_tune_list_get_loading (AtelierTuneList *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE_LIST (self), FALSE);
  return atelier_pager_get_loading (self->pager);
}

gboolean
atelier_tune_list_get_has_more (AtelierTuneList *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE_LIST (self), FALSE);
  return atelier_pager_get_has_more (self->pager);
}

gboolean
atelier_tune_list_get_loaded (AtelierTuneList *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE_LIST (self), FALSE);
  return atelier_pager_get_loaded (self->pager);
}

void
atelier_tune_list_prepend (AtelierTuneList *self,
                           AtelierTune     *tune)
{
  g_return_if_fail (ATELIER_IS_TUNE_LIST (self));
  g_return_if_fail (ATELIER_IS_TUNE (tune));

  if (replace (self, tune))
    return;

  g_list_store_insert (self->tunes, 0, tune);
  atelier_pager_note_added (self->pager, atelier_tune_get_id (tune));
  track (self, tune);
}

void
atelier_tune_list_update (AtelierTuneList *self,
                          AtelierTune     *tune)
{
  g_return_if_fail (ATELIER_IS_TUNE_LIST (self));
  g_return_if_fail (ATELIER_IS_TUNE (tune));

  replace (self, tune);
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
  atelier_poller_forget (self->poller, tune_id);
  atelier_pager_note_removed (self->pager, tune_id);
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

  atelier_poller_set_base_ms (self->poller, ms);
}

guint
atelier_tune_list_get_poll_delay_ms (AtelierTuneList *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE_LIST (self), 0);
  return atelier_poller_get_next_delay_ms (self->poller);
}

/* }}} */

/* {{{ GObject */

static void
atelier_tune_list_dispose (GObject *object)
{
  AtelierTuneList *self = ATELIER_TUNE_LIST (object);

  /* Dropping them cancels, quietly, what they have on its way. */
  g_clear_object (&self->pager);
  g_clear_object (&self->poller);

  G_OBJECT_CLASS (atelier_tune_list_parent_class)->dispose (object);
}

static void
atelier_tune_list_finalize (GObject *object)
{
  AtelierTuneList *self = ATELIER_TUNE_LIST (object);

  g_clear_object (&self->tunes);

  G_OBJECT_CLASS (atelier_tune_list_parent_class)->finalize (object);
}

/* The pager's, under the same names. */
static void
get_pager_property (GObject    *object,
                    GParamSpec *pspec,
                    GValue     *value)
{
  g_object_get_property (G_OBJECT (ATELIER_TUNE_LIST (object)->pager), pspec->name, value);
}

static const AtelierModelProperty tune_list_properties[N_PROPS] = {
  [PROP_LOADING] = { "loading", ATELIER_MODEL_BOOLEAN, .get = get_pager_property },
  [PROP_HAS_MORE] = { "has-more", ATELIER_MODEL_BOOLEAN, .get = get_pager_property },
};

static void
atelier_tune_list_class_init (AtelierTuneListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = atelier_tune_list_dispose;
  object_class->finalize = atelier_tune_list_finalize;
  _atelier_model_class_install_properties (object_class, tune_list_properties, N_PROPS, NULL);

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

  self->pager = atelier_pager_new (fetch_page, atelier_astria_client_list_tunes_finish,
                                   (AtelierPagerIdFunc) atelier_tune_get_id, self);
  g_signal_connect_object (self->pager, "page", G_CALLBACK (page_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->pager, "failed", G_CALLBACK (failed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->pager, "notify", G_CALLBACK (_atelier_forward_notify_cb), self, G_CONNECT_SWAPPED);

  self->poller = atelier_poller_new (fetch_tune, (AtelierPollerFinishFunc) atelier_astria_client_get_tune_finish);
  g_signal_connect_object (self->poller, "answered", G_CALLBACK (answered_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->poller, "gone", G_CALLBACK (atelier_tune_list_remove_id), self, G_CONNECT_SWAPPED);
}

/* }}} */
