/* atelier-poller.h: unfinished items, asked for again until they finish
 *
 * The polling the tunes list (training tunes) and the gallery (pending
 * prompts) share. The owner tells which items are unfinished (track());
 * each is asked for again (@fetch, @finish) after a delay of its own that
 * starts at :base-ms (5 s) and doubles after every answer that leaves it
 * unfinished, up to :max-ms (60 s); at most four at a time. Nothing is
 * polled while the poller is not :active (the owner is out of sight) or
 * nothing is watched.
 *
 * Rate limits: while the client waits out a 429 (its ::retry-scheduled
 * for ATELIER_API_ERROR_RATE_LIMITED, the server's Retry-After), nothing
 * is polled before that delay has passed; when the client gives up,
 * nothing for the item's delay or 30 s, the longer. :rate-limited is TRUE
 * from then until a poll succeeds after the pause.
 *
 * Signals:
 *   ::answered (GObject *item): a fresh copy of a watched item. The owner
 *     shows it and track()s it; still watched afterwards, it backs off.
 *   ::gone (gint64 id): the service answered 404; @id is not watched any
 *     more.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atelier-astria-client.h"

G_BEGIN_DECLS

#define ATELIER_POLLER_BASE_MS              5000
#define ATELIER_POLLER_MAX_MS               60000
#define ATELIER_POLLER_RATE_LIMIT_PAUSE_MS  30000
#define ATELIER_POLLER_MAX_IN_FLIGHT        4

/* Starts asking @client for a fresh copy of @item. */
typedef void     (*AtelierPollerFetchFunc)  (AtelierAstriaClient  *client,
                                             GObject              *item,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              callback_data);
/* (transfer full) */
typedef GObject *(*AtelierPollerFinishFunc) (AtelierAstriaClient  *client,
                                             GAsyncResult         *result,
                                             GError              **error);

#define ATELIER_TYPE_POLLER (atelier_poller_get_type ())
G_DECLARE_FINAL_TYPE (AtelierPoller, atelier_poller, ATELIER, POLLER, GObject)

AtelierPoller *atelier_poller_new              (AtelierPollerFetchFunc   fetch,
                                                AtelierPollerFinishFunc  finish);

/* Another client (or account): forgets every item and any pause. */
void           atelier_poller_set_client       (AtelierPoller         *self,
                                                AtelierAstriaClient   *client);
AtelierAstriaClient *atelier_poller_get_client (AtelierPoller         *self);

/* Watches @id while @unfinished (@item is its latest copy); a new item is
 * asked for after :base-ms. Returns TRUE when this stops watching @id:
 * an item seen unfinished has finished. */
gboolean       atelier_poller_track            (AtelierPoller         *self,
                                                gint64                 id,
                                                GObject               *item,
                                                gboolean               unfinished);
/* Stops watching @id (deleted, out of the list). */
void           atelier_poller_forget           (AtelierPoller         *self,
                                                gint64                 id);
/* Stops watching everything; polls on their way are dropped. A pause for
 * a rate limit stands. */
void           atelier_poller_clear            (AtelierPoller         *self);

/* TRUE by default. Becoming active asks for every item at once (their
 * delays kept). */
void           atelier_poller_set_active       (AtelierPoller         *self,
                                                gboolean               active);
gboolean       atelier_poller_get_active       (AtelierPoller         *self);
/* Also shortens the delays of watched items that are longer. */
void           atelier_poller_set_base_ms      (AtelierPoller         *self,
                                                guint                  base_ms);
void           atelier_poller_set_max_ms       (AtelierPoller         *self,
                                                guint                  max_ms);

guint          atelier_poller_get_n_watched    (AtelierPoller         *self);
/* @id's delay (grown with each unfinished answer), 0 when not watched. */
guint          atelier_poller_get_delay_ms     (AtelierPoller         *self,
                                                gint64                 id);
/* The delay of the item asked for next, 0 when none waits for its turn
 * (nothing watched, all on their way, inactive, no client). */
guint          atelier_poller_get_next_delay_ms (AtelierPoller        *self);
/* TRUE while a poll is on its way or one is due later. */
gboolean       atelier_poller_get_busy         (AtelierPoller         *self);
gboolean       atelier_poller_get_rate_limited (AtelierPoller         *self);

G_END_DECLS
