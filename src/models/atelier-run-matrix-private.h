/* atelier-run-matrix-private.h: for the tests and benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atelier-poller.h"
#include "atelier-run-matrix.h"

G_BEGIN_DECLS

/* The margin before the start (ATELIER_RUN_MATRIX_SKEW_S by default). */
void           _atelier_run_matrix_set_skew_ms (AtelierRunMatrix *self,
                                                guint             skew_ms);
AtelierPoller *_atelier_run_matrix_get_poller  (AtelierRunMatrix *self);
/* A list on its way or due later, or a poll. */
gboolean       _atelier_run_matrix_is_busy     (AtelierRunMatrix *self);

G_END_DECLS
