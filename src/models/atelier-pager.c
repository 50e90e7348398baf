/* atelier-pager.c: a list of the service, fetched a page at a time
 *
 * One page at most is on its way, with the cancellable of its generation:
 * reload, reset, another client and dropping the pager cancel it, and its
 * callback then does nothing. It holds neither the pager nor the owner.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-model-property-private.h"
#include "atelier-models-private.h"
#include "atelier-pager.h"

struct _AtelierPager
{
  GObject                 parent_instance;

  AtelierPagerFetchFunc   fetch;
  AtelierPagerFinishFunc  finish;
  AtelierPagerIdFunc      get_id;
  gpointer                user_data;

  AtelierAstriaClient    *client;
  GCancellable           *cancellable;   /* of the page on its way */
  GHashTable             *seen;          /* ids listed since the reload */
  guint                   offset;
  gboolean                first;         /* the page on its way is from 0 */
  gboolean                loading;
  gboolean                has_more;
  gboolean                loaded;
  GError                 *error;
};

G_DEFINE_FINAL_TYPE (AtelierPager, atelier_pager, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADING,
  PROP_HAS_MORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  PAGE,
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
see (AtelierPager *self,
     gint64        id)
{
  if (g_hash_table_contains (self->seen, &id))
    return FALSE;

  g_hash_table_add (self->seen, g_memdup2 (&id, sizeof id));
  return TRUE;
}

static void
cancel (AtelierPager *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

/* {{{ Fetching */

static void
page_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(AtelierPager) self = _atelier_weak_steal (user_data);
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) fresh = NULL;
  g_autoptr(GError) error = NULL;
  guint n_listed;

  /* Dropped meanwhile: the call was cancelled, its result is of no use. */
  if (self == NULL)
    return;

  page = self->finish (ATELIER_ASTRIA_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  self->loaded = TRUE;

  if (page == NULL)
    {
      self->error = g_steal_pointer (&error);
      _atelier_set_flag (self, &self->loading, FALSE, properties[PROP_LOADING]);
      g_signal_emit (self, signals[FAILED], 0, self->error);
      return;
    }

  /* The service's page length, not the parsed count: an element the
   * parser skipped (no id, unreadable) still takes its place in the
   * service's list, so it moves the offset and does not end the paging. */
  n_listed = page->len;
  atelier_astria_client_get_page_length (ATELIER_ASTRIA_CLIENT (source), result, &n_listed);

  fresh = g_ptr_array_new ();
  for (guint i = 0; i < page->len; i++)
    {
      if (see (self, self->get_id (g_ptr_array_index (page, i))))
        g_ptr_array_add (fresh, g_ptr_array_index (page, i));
    }
  self->offset += n_listed;

  /* The owner shows the page before anyone hears that loading ended. */
  g_object_freeze_notify (G_OBJECT (self));
  _atelier_set_flag (self, &self->loading, FALSE, properties[PROP_LOADING]);
  _atelier_set_flag (self, &self->has_more, n_listed >= ATELIER_PAGE_SIZE, properties[PROP_HAS_MORE]);
  g_signal_emit (self, signals[PAGE], 0, page, fresh, self->first);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
fetch (AtelierPager *self)
{
  cancel (self);
  g_clear_error (&self->error);

  if (self->client == NULL)
    {
      _atelier_set_flag (self, &self->loading, FALSE, properties[PROP_LOADING]);
      return;
    }

  self->cancellable = g_cancellable_new ();
  self->first = self->offset == 0;
  _atelier_set_flag (self, &self->loading, TRUE, properties[PROP_LOADING]);
  self->fetch (self->client, self->offset, self->cancellable, page_cb, _atelier_weak_new (self),
               self->user_data);
}

void
atelier_pager_reload (AtelierPager *self)
{
  g_return_if_fail (ATELIER_IS_PAGER (self));

  g_hash_table_remove_all (self->seen);
  self->offset = 0;
  fetch (self);
}

void
atelier_pager_load_more (AtelierPager *self)
{
  g_return_if_fail (ATELIER_IS_PAGER (self));

  if (self->loading || !self->has_more || self->client == NULL)
    return;

  fetch (self);
}

void
atelier_pager_reset (AtelierPager *self,
                     gboolean      has_more)
{
  g_return_if_fail (ATELIER_IS_PAGER (self));

  cancel (self);
  g_hash_table_remove_all (self->seen);
  g_clear_error (&self->error);
  self->offset = 0;
  self->loaded = FALSE;
  g_object_freeze_notify (G_OBJECT (self));
  _atelier_set_flag (self, &self->loading, FALSE, properties[PROP_LOADING]);
  _atelier_set_flag (self, &self->has_more, has_more, properties[PROP_HAS_MORE]);
  g_object_thaw_notify (G_OBJECT (self));
}

/* }}} */

/* {{{ Changes made here */

void
atelier_pager_note_added (AtelierPager *self,
                          gint64        id)
{
  g_return_if_fail (ATELIER_IS_PAGER (self));

  /* The page on its way may or may not have it: count it only when none
   * is, so that a doubt repeats an item instead of skipping one. */
  if (see (self, id) && !self->loading)
    self->offset++;
}

void
atelier_pager_note_removed (AtelierPager *self,
                            gint64        id)
{
  g_return_if_fail (ATELIER_IS_PAGER (self));

  if (g_hash_table_remove (self->seen, &id) && self->offset > 0)
    self->offset--;
}

gboolean
atelier_pager_has_seen (AtelierPager *self,
                        gint64        id)
{
  g_return_val_if_fail (ATELIER_IS_PAGER (self), FALSE);
  return g_hash_table_contains (self->seen, &id);
}

/* }}} */

/* {{{ Public API */

AtelierPager *
atelier_pager_new (AtelierPagerFetchFunc  fetch_func,
                   AtelierPagerFinishFunc finish,
                   AtelierPagerIdFunc     get_id,
                   gpointer               user_data)
{
  AtelierPager *self;

  g_return_val_if_fail (fetch_func != NULL && finish != NULL && get_id != NULL, NULL);

  self = g_object_new (ATELIER_TYPE_PAGER, NULL);
  self->fetch = fetch_func;
  self->finish = finish;
  self->get_id = get_id;
  self->user_data = user_data;

  return self;
}

void
atelier_pager_set_client (AtelierPager        *self,
                          AtelierAstriaClient *client)
{
  g_return_if_fail (ATELIER_IS_PAGER (self));
  g_return_if_fail (client == NULL || ATELIER_IS_ASTRIA_CLIENT (client));

  if (g_set_object (&self->client, client))
    atelier_pager_reset (self, FALSE);
}

AtelierAstriaClient *
atelier_pager_get_client (AtelierPager *self)
{
  g_return_val_if_fail (ATELIER_IS_PAGER (self), NULL);
  return self->client;
}

gboolean
atelier_pager_get_loading (AtelierPager *self)
{
  g_return_val_if_fail (ATELIER_IS_PAGER (self), FALSE);
  return self->loading;
}

gboolean
atelier_pager_get_has_more (AtelierPager *self)
{
  g_return_val_if_fail (ATELIER_IS_PAGER (self), FALSE);
  return self->has_more;
}

gboolean
atelier_pager_get_loaded (AtelierPager *self)
{
  g_return_val_if_fail (ATELIER_IS_PAGER (self), FALSE);
  return self->loaded;
}

const GError *
atelier_pager_get_error (AtelierPager *self)
{
  g_return_val_if_fail (ATELIER_IS_PAGER (self), NULL);
  return self->error;
}

guint
atelier_pager_get_offset (AtelierPager *self)
{
  g_return_val_if_fail (ATELIER_IS_PAGER (self), 0);
  return self->offset;
}

/* }}} */

/* {{{ GObject */

static void
atelier_pager_dispose (GObject *object)
{
  AtelierPager *self = ATELIER_PAGER (object);

  cancel (self);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (atelier_pager_parent_class)->dispose (object);
}

static void
atelier_pager_finalize (GObject *object)
{
  AtelierPager *self = ATELIER_PAGER (object);

  g_hash_table_unref (self->seen);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (atelier_pager_parent_class)->finalize (object);
}

static const AtelierModelProperty pager_properties[N_PROPS] = {
  [PROP_LOADING] = { "loading", ATELIER_MODEL_BOOLEAN, G_STRUCT_OFFSET (AtelierPager, loading) },
  [PROP_HAS_MORE] = { "has-more", ATELIER_MODEL_BOOLEAN, G_STRUCT_OFFSET (AtelierPager, has_more) },
};

static void
atelier_pager_class_init (AtelierPagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = atelier_pager_dispose;
  object_class->finalize = atelier_pager_finalize;
  _atelier_model_class_install_properties (object_class, pager_properties, N_PROPS, properties);

  signals[PAGE] =
    g_signal_new ("page", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  G_TYPE_PTR_ARRAY | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_PTR_ARRAY | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_BOOLEAN);
  signals[FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
atelier_pager_init (AtelierPager *self)
{
  self->seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

/* }}} */
