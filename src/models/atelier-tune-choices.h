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

G_END_DECLS
