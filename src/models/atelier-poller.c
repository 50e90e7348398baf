/* atelier-poller.c: unfinished items, asked for again until they finish
 *
 * Every watched item has its delay and the monotonic time it is due; one
 * timeout waits for the earliest due item (or the end of a pause), then
 * the due items are asked for, four at most. A poll on its way holds
 * neither the poller nor the owner: dropping the poller, clear() and
 * another client cancel it. A watch carries a serial so that the answer
 * to a poll of an item forgotten and watched again meanwhile is not taken
 * for the new watch's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-model-property-private.h"
#include "atelier-models-private.h"
#include "atelier-poller.h"

typedef struct
{
  gint64    id;           /* the key */
  GObject  *item;         /* (owned) */
  guint     serial;
  guint     delay_ms;
  gint64    due;          /* monotonic µs */
  gboolean  in_flight;
} Watch;

struct _AtelierPoller
{
  GObject                  parent_instance;

  AtelierPollerFetchFunc   fetch;
  AtelierPollerFinishFunc  finish;
  AtelierAstriaClient     *client;

  GHashTable              *watched;        /* &Watch.id → Watch */
  guint                    serial;
  guint                    base_ms;
  guint                    max_ms;
  gboolean                 active;

  guint                    source;
  guint                    n_in_flight;
  GCancellable            *cancellable;    /* of the polls on their way */
  gint64                   paused_until;   /* monotonic µs */
  gboolean                 rate_limited;
};

G_DEFINE_FINAL_TYPE (AtelierPoller, atelier_poller, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RATE_LIMITED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ANSWERED,
  GONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void schedule (AtelierPoller *self);

static void
watch_free (Watch *watch)
{
  g_clear_object (&watch->item);
  g_free (watch);
}

static void
set_rate_limited (AtelierPoller *self,
                  gboolean       rate_limited)
{
  _atelier_set_flag (self, &self->rate_limited, rate_limited, properties[PROP_RATE_LIMITED]);
}

/* No poll before @delay_ms from now. */
static void
pause_for (AtelierPoller *self,
           guint          delay_ms)
{
  self->paused_until = MAX (self->paused_until, g_get_monotonic_time () + (gint64) delay_ms * 1000);
  set_rate_limited (self, TRUE);
}

static void
back_off (AtelierPoller *self,
          Watch         *watch)
{
  watch->in_flight = FALSE;
  watch->delay_ms = MIN ((guint64) watch->delay_ms * 2, self->max_ms);
  watch->due = g_get_monotonic_time () + (gint64) watch->delay_ms * 1000;
}

/* The watch a poll was for, if it is still watched. */
static Watch *
lookup (AtelierPoller *self,
        gint64         id,
        guint          serial)
{
  Watch *watch = g_hash_table_lookup (self->watched, &id);

  return watch != NULL && watch->serial == serial ? watch : NULL;
}

/* {{{ Polls */

typedef struct
{
  gpointer  self;     /* (owned) _atelier_weak_new() */
  gint64    id;
  guint     serial;
} Call;

static void
poll_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autofree Call *call = user_data;
  g_autoptr(AtelierPoller) self = _atelier_weak_steal (call->self);
  g_autoptr(GObject) item = NULL;
  g_autoptr(GError) error = NULL;
  Watch *watch;

  /* Dropped meanwhile: the poll was cancelled. */
  if (self == NULL)
    return;

  item = self->finish (ATELIER_ASTRIA_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->n_in_flight--;
  if (item != NULL && g_get_monotonic_time () >= self->paused_until)
    set_rate_limited (self, FALSE);

  watch = lookup (self, call->id, call->serial);
  if (watch == NULL)
    {
      /* Forgotten meanwhile. */
    }
  else if (g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_NOT_FOUND))
    {
      g_hash_table_remove (self->watched, &call->id);
      g_signal_emit (self, signals[GONE], 0, call->id);
    }
  else if (error != NULL)
    {
      back_off (self, watch);
      /* Still limited after the client's own waits: pause longer. */
      if (g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_RATE_LIMITED))
        pause_for (self, MAX (watch->delay_ms, ATELIER_POLLER_RATE_LIMIT_PAUSE_MS));
    }
  else
    {
      watch->in_flight = FALSE;
      g_set_object (&watch->item, item);
      g_signal_emit (self, signals[ANSWERED], 0, item);
      /* The owner track()ed it: still unfinished, ask later. */
      watch = lookup (self, call->id, call->serial);
      if (watch != NULL)
        back_off (self, watch);
    }

  schedule (self);
}

static gboolean
timeout_cb (gpointer user_data)
{
  AtelierPoller *self = user_data;
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  Watch *watch;

  self->source = 0;

  if (now < self->paused_until)
    {
      schedule (self);
      return G_SOURCE_REMOVE;
    }

  if (self->n_in_flight == 0)
    set_rate_limited (self, FALSE);

  g_hash_table_iter_init (&iter, self->watched);
  while (self->n_in_flight < ATELIER_POLLER_MAX_IN_FLIGHT &&
         g_hash_table_iter_next (&iter, NULL, (gpointer *) &watch))
    {
      Call *call;

      if (watch->in_flight || watch->due > now)
        continue;

      call = g_new0 (Call, 1);
      call->self = _atelier_weak_new (self);
      call->id = watch->id;
      call->serial = watch->serial;
      watch->in_flight = TRUE;
      self->n_in_flight++;
      self->fetch (self->client, watch->item, self->cancellable, poll_cb, call);
    }

  schedule (self);

  return G_SOURCE_REMOVE;
}

/* The watch due first among those not on their way. */
static Watch *
next_watch (AtelierPoller *self)
{
  GHashTableIter iter;
  Watch *watch;
  Watch *next = NULL;

  if (!self->active || self->client == NULL)
    return NULL;

  g_hash_table_iter_init (&iter, self->watched);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &watch))
    {
      if (!watch->in_flight && (next == NULL || watch->due < next->due))
        next = watch;
    }

  return next;
}

static void
schedule (AtelierPoller *self)
{
  Watch *next = next_watch (self);
  gint64 due;

  g_clear_handle_id (&self->source, g_source_remove);

  if (next == NULL || self->n_in_flight >= ATELIER_POLLER_MAX_IN_FLIGHT)
    return;

  due = MAX (next->due, self->paused_until);
  self->source = g_timeout_add ((guint) CLAMP ((due - g_get_monotonic_time ()) / 1000, 0, G_MAXINT),
                                timeout_cb, self);
  g_source_set_name_by_id (self->source, "[atelier] poll unfinished items");
}

static void
retry_scheduled_cb (AtelierPoller *self,
                    guint          attempt,
                    guint          delay_ms,
                    GError        *reason,
                    GCancellable  *cancellable)
{
  if (!g_error_matches (reason, ATELIER_API_ERROR, ATELIER_API_ERROR_RATE_LIMITED))
    return;

  /* The service said when to come back: no poll before then. */
  pause_for (self, delay_ms);
  schedule (self);
}

/* }}} */

/* {{{ Public API */

AtelierPoller *
atelier_poller_new (AtelierPollerFetchFunc  fetch,
                    AtelierPollerFinishFunc finish)
{
  AtelierPoller *self;

  g_return_val_if_fail (fetch != NULL && finish != NULL, NULL);

  self = g_object_new (ATELIER_TYPE_POLLER, NULL);
  self->fetch = fetch;
  self->finish = finish;

  return self;
}

void
atelier_poller_set_client (AtelierPoller       *self,
                           AtelierAstriaClient *client)
{
  g_return_if_fail (ATELIER_IS_POLLER (self));
  g_return_if_fail (client == NULL || ATELIER_IS_ASTRIA_CLIENT (client));

  if (self->client == client)
    return;

  atelier_poller_clear (self);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_set_object (&self->client, client);
  if (client != NULL)
    g_signal_connect_object (client, "retry-scheduled", G_CALLBACK (retry_scheduled_cb), self,
                             G_CONNECT_SWAPPED);
  self->paused_until = 0;
  set_rate_limited (self, FALSE);
}

AtelierAstriaClient *
atelier_poller_get_client (AtelierPoller *self)
{
  g_return_val_if_fail (ATELIER_IS_POLLER (self), NULL);
  return self->client;
}

gboolean
atelier_poller_track (AtelierPoller *self,
                      gint64         id,
                      GObject       *item,
                      gboolean       unfinished)
{
  Watch *watch;

  g_return_val_if_fail (ATELIER_IS_POLLER (self), FALSE);
  g_return_val_if_fail (!unfinished || G_IS_OBJECT (item), FALSE);

  watch = g_hash_table_lookup (self->watched, &id);
  if (!unfinished)
    return watch != NULL && g_hash_table_remove (self->watched, &id);

  if (watch != NULL)
    {
      g_set_object (&watch->item, item);
      return FALSE;
    }

  watch = g_new0 (Watch, 1);
  watch->id = id;
  watch->item = g_object_ref (item);
  watch->serial = ++self->serial;
  watch->delay_ms = self->base_ms;
  watch->due = g_get_monotonic_time () + (gint64) watch->delay_ms * 1000;
  g_hash_table_insert (self->watched, &watch->id, watch);
  schedule (self);

  return FALSE;
}

void
atelier_poller_forget (AtelierPoller *self,
                       gint64         id)
{
  g_return_if_fail (ATELIER_IS_POLLER (self));

  g_hash_table_remove (self->watched, &id);
}

void
atelier_poller_clear (AtelierPoller *self)
{
  g_return_if_fail (ATELIER_IS_POLLER (self));

  g_hash_table_remove_all (self->watched);
  g_clear_handle_id (&self->source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->n_in_flight = 0;
}

void
atelier_poller_set_active (AtelierPoller *self,
                           gboolean       active)
{
  g_return_if_fail (ATELIER_IS_POLLER (self));

  if (self->active == !!active)
    return;

  self->active = !!active;
  if (active)
    {
      gint64 now = g_get_monotonic_time ();
      GHashTableIter iter;
      Watch *watch;

      /* Back in sight: look at once, with the delays kept. */
      g_hash_table_iter_init (&iter, self->watched);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &watch))
        watch->due = MIN (watch->due, now);
    }
  schedule (self);
}

gboolean
atelier_poller_get_active (AtelierPoller *self)
{
  g_return_val_if_fail (ATELIER_IS_POLLER (self), FALSE);
  return self->active;
}

void
atelier_poller_set_base_ms (AtelierPoller *self,
                            guint          base_ms)
{
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  Watch *watch;

  g_return_if_fail (ATELIER_IS_POLLER (self));
  g_return_if_fail (base_ms > 0);

  self->base_ms = base_ms;
  g_hash_table_iter_init (&iter, self->watched);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &watch))
    {
      if (watch->delay_ms <= base_ms)
        continue;
      watch->delay_ms = base_ms;
      watch->due = MIN (watch->due, now + (gint64) base_ms * 1000);
    }
  schedule (self);
}

void
atelier_poller_set_max_ms (AtelierPoller *self,
                           guint          max_ms)
{
  g_return_if_fail (ATELIER_IS_POLLER (self));
  g_return_if_fail (max_ms > 0);

  self->max_ms = max_ms;
}

guint
atelier_poller_get_n_watched (AtelierPoller *self)
{
  g_return_val_if_fail (ATELIER_IS_POLLER (self), 0);
  return g_hash_table_size (self->watched);
}

guint
atelier_poller_get_delay_ms (AtelierPoller *self,
                             gint64         id)
{
  Watch *watch;

  g_return_val_if_fail (ATELIER_IS_POLLER (self), 0);

  watch = g_hash_table_lookup (self->watched, &id);
  return watch != NULL ? watch->delay_ms : 0;
}

guint
atelier_poller_get_next_delay_ms (AtelierPoller *self)
{
  Watch *next;

  g_return_val_if_fail (ATELIER_IS_POLLER (self), 0);

  next = next_watch (self);
  return next != NULL ? next->delay_ms : 0;
}

gboolean
atelier_poller_get_busy (AtelierPoller *self)
{
  g_return_val_if_fail (ATELIER_IS_POLLER (self), FALSE);
  return self->n_in_flight > 0 || self->source != 0;
}

gboolean
atelier_poller_get_rate_limited (AtelierPoller *self)
{
  g_return_val_if_fail (ATELIER_IS_POLLER (self), FALSE);
  return self->rate_limited;
}

/* }}} */

/* {{{ GObject */

static void
atelier_poller_dispose (GObject *object)
{
  AtelierPoller *self = ATELIER_POLLER (object);

  /* Quietly: the owner drops us from its own dispose. */
  atelier_poller_clear (self);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (atelier_poller_parent_class)->dispose (object);
}

static void
atelier_poller_finalize (GObject *object)
{
  AtelierPoller *self = ATELIER_POLLER (object);

  g_hash_table_unref (self->watched);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (atelier_poller_parent_class)->finalize (object);
}

static const AtelierModelProperty poller_properties[N_PROPS] = {
  [PROP_RATE_LIMITED] = { "rate-limited", ATELIER_MODEL_BOOLEAN, G_STRUCT_OFFSET (AtelierPoller, rate_limited) },
};

static void
atelier_poller_class_init (AtelierPollerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = atelier_poller_dispose;
  object_class->finalize = atelier_poller_finalize;
  _atelier_model_class_install_properties (object_class, poller_properties, N_PROPS, properties);

  signals[ANSWERED] =
    g_signal_new ("answered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_OBJECT);
  signals[GONE] =
    g_signal_new ("gone", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
atelier_poller_init (AtelierPoller *self)
{
  self->watched = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, (GDestroyNotify) watch_free);
  self->base_ms = ATELIER_POLLER_BASE_MS;
  self->max_ms = ATELIER_POLLER_MAX_MS;
  self->active = TRUE;
  self->cancellable = g_cancellable_new ();
}

/* }}} */
