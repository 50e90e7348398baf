/* atelier-tune-choices.h: every tune of the account, for pickers and filters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atelier-astria-client.h"

G_BEGIN_DECLS

/* Pages through GET /tunes (at most @max_pages pages of 20), newest
 * first. (element-type AtelierTune) */
void       atelier_tune_choices_fetch_async  (AtelierAstriaClient  *client,
                                              guint                 max_pages,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
GPtrArray *atelier_tune_choices_fetch_finish (GAsyncResult         *result,
                                              GError              **error);

/* Old name of atelier_tune_dup_short_title() (atelier-tune.h), the one
 * rule for a tune's short name; kept until its last callers move. */
#define atelier_tune_dup_display_name(tune) atelier_tune_dup_short_title (tune)

G_END_DECLS
