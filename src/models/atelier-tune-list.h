/* atelier-tune-list.h: the account's tunes, page by page, kept fresh
 *
 * A GListModel of AtelierTune, newest first, filled a page (20) at a time:
 * reload() asks for the first page, load_more() for the next one (the
 * list view calls it as the user scrolls near the end). A tune the
 * service lists twice because tunes were added between two pages shows up
 * once.
 *
 * Paging is AtelierPager's. While any loaded tune trains, AtelierPoller
 * asks for each training tune again after a delay that starts at
 * :poll-base-ms (5 s) and doubles up to 60 s, pausing for the service's
 * rate limits; polling stops when nothing trains. A tune seen training
 * that comes back trained emits ::tune-ready.
 *
 * Signals: ::tune-ready (AtelierTune *), ::load-failed (GError *).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atelier-astria-client.h"
#include "atelier-poller.h"

G_BEGIN_DECLS

#define ATELIER_TUNE_LIST_POLL_BASE_MS  ATELIER_POLLER_BASE_MS
#define ATELIER_TUNE_LIST_POLL_MAX_MS   ATELIER_POLLER_MAX_MS

#define ATELIER_TYPE_TUNE_LIST (atelier_tune_list_get_type ())
G_DECLARE_FINAL_TYPE (AtelierTuneList, atelier_tune_list, ATELIER, TUNE_LIST, GObject)

AtelierTuneList *atelier_tune_list_new            (void);

/* Setting another client empties the list; reload() fills it. */
void             atelier_tune_list_set_client     (AtelierTuneList     *self,
                                                   AtelierAstriaClient *client);
AtelierAstriaClient *atelier_tune_list_get_client (AtelierTuneList     *self);

void             atelier_tune_list_reload         (AtelierTuneList     *self);
/* Does nothing while a page loads or when every page is here. */
void             atelier_tune_list_load_more      (AtelierTuneList     *self);
gboolean         atelier_tune_list_get_loading    (AtelierTuneList     *self);
/* FALSE once a page shorter than 20 came. */
gboolean         atelier_tune_list_get_has_more   (AtelierTuneList     *self);
/* TRUE once the first page has been loaded (or failed). */
gboolean         atelier_tune_list_get_loaded     (AtelierTuneList     *self);

/* A tune created here: first in the list; polled if it trains. */
void             atelier_tune_list_prepend        (AtelierTuneList     *self,
                                                   AtelierTune         *tune);
/* Replaces the tune with the same id (a fresher copy). */
void             atelier_tune_list_update         (AtelierTuneList     *self,
                                                   AtelierTune         *tune);
void             atelier_tune_list_remove_id      (AtelierTuneList     *self,
                                                   gint64               tune_id);
/* (transfer none) (nullable) */
AtelierTune     *atelier_tune_list_find           (AtelierTuneList     *self,
                                                   gint64               tune_id);

void             atelier_tune_list_set_poll_base_ms (AtelierTuneList   *self,
                                                     guint              ms);
/* The delay before the next poll, 0 when none is scheduled. */
guint            atelier_tune_list_get_poll_delay_ms (AtelierTuneList  *self);

G_END_DECLS
