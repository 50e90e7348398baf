/* atelier-run-matrix-private.h: AtelierRunMatrix's insides, shared by its files
 *
 * atelier-run-matrix.c          the GObject, the list model, the public
 *                               API, the test hooks and the CSV
 * atelier-run-matrix-listing.c  listing each tune's prompts page by page,
 *                               the passes and the next one's scheduling
 * atelier-run-matrix-rows.c     grouping the prompts into rows, the rows
 *                               shown, cells kept up by polls and likes,
 *                               and the counts
 *
 * The test hooks at the end are for the tests and benchmarks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atelier-poller.h"
#include "atelier-run-matrix.h"

G_BEGIN_DECLS

typedef struct
{
  gint64               tune_id;
  AtelierRunTuneState  state;
  GError              *error;
  GPtrArray           *prompts;     /* AtelierPrompt of the run, by id */
  guint                n_likes;
  /* as ::tune-changed last told */
  AtelierRunTuneState  told_state;
  guint                told_prompts;

  /* the list on its way */
  gboolean             listing;
  guint                serial;
  GPtrArray           *found;       /* prompts of the pages so far */
  guint                offset;
  guint                pages;
} Column;

typedef struct
{
  AtelierRunRow *row;               /* (unowned) in rows_by_key */
  guint          column;
} Where;

struct _AtelierRunMatrix
{
  GObject               parent_instance;

  AtelierAstriaClient  *client;
  AtelierLikes         *likes;
  AtelierPackRun       *run;
  gint64                start_us;   /* the run's start, unix µs */
  gint64                skew_us;    /* ATELIER_RUN_MATRIX_SKEW_S */

  Column               *columns;
  guint                 n_columns;

  GHashTable           *rows_by_key;  /* key → AtelierRunRow (owned) */
  GPtrArray            *all_rows;     /* AtelierRunRow, pack order */
  GPtrArray            *shown;        /* AtelierRunRow, as listed */
  GHashTable           *cells;        /* &prompt id → Where */
  GHashTable           *tracked;      /* prompt ids given to the poller */

  AtelierRunMatrixSort  sort;
  gboolean              liked_only;

  gboolean              active;
  gboolean              started;
  gboolean              pass_waiting; /* a pass to start once active */
  GCancellable         *cancellable;  /* of the lists */
  guint                 relist_source;
  guint                 regroup_source;  /* lists of a pass come in a burst */
  guint                 relist_base_ms;
  guint                 relist_delay_ms;
  gint64                paused_until; /* monotonic µs */

  AtelierPoller        *poller;

  gboolean              loading;
  gboolean              creating;
  gboolean              list_limited;
  gboolean              rate_limited;
  guint                 n_likes;
  guint                 n_pending;
  guint                 n_prompts;
};

/* Helpers of all the files: a date in unix µs, and a prompt that is no
 * longer pending. */

static inline gint64
_atelier_run_matrix_time_us (GDateTime *date)
{
  return g_date_time_to_unix (date) * G_USEC_PER_SEC + g_date_time_get_microsecond (date);
}

static inline gboolean
_atelier_run_matrix_is_finished (AtelierPrompt *prompt)
{
  return atelier_prompt_get_state (prompt) != ATELIER_PROMPT_STATE_PENDING;
}

/* The class (atelier-run-matrix.c): its properties and signals, notified
 * on change only. */

void           _atelier_run_matrix_set_loading         (AtelierRunMatrix *self,
                                                        gboolean          loading);
void           _atelier_run_matrix_set_creating        (AtelierRunMatrix *self,
                                                        gboolean          creating);
/* Notifies :rate-limited when list_limited changes, whether or not
 * rate_limited does: _atelier_run_matrix_update_rate_limited() follows. */
void           _atelier_run_matrix_set_list_limited    (AtelierRunMatrix *self,
                                                        gboolean          list_limited);
/* :rate-limited from list_limited and the poller's. */
void           _atelier_run_matrix_update_rate_limited (AtelierRunMatrix *self);
void           _atelier_run_matrix_set_counts          (AtelierRunMatrix *self,
                                                        guint             n_likes,
                                                        guint             n_pending,
                                                        guint             n_prompts);
void           _atelier_run_matrix_emit_tune_changed   (AtelierRunMatrix *self,
                                                        guint             column);

/* Listing (atelier-run-matrix-listing.c) */

/* A pass: every tune not gone, unless inactive or paused. */
void           _atelier_run_matrix_list_all            (AtelierRunMatrix *self);
gboolean       _atelier_run_matrix_any_listing         (AtelierRunMatrix *self);
/* AtelierPoller::gone, connected swapped. */
void           _atelier_run_matrix_gone_cb             (AtelierRunMatrix *self,
                                                        gint64            prompt_id);
/* AtelierAstriaClient::retry-scheduled, connected swapped. */
void           _atelier_run_matrix_retry_scheduled_cb  (AtelierRunMatrix *self,
                                                        guint             attempt,
                                                        guint             delay_ms,
                                                        GError           *reason,
                                                        GCancellable     *cancellable);

/* Rows (atelier-run-matrix-rows.c) */

/* Which of two prompts for one cell is the run's: made after the start
 * before made in the skew margin, then the earlier. Negative: @a. */
int            _atelier_run_matrix_compare_rank        (AtelierRunMatrix *self,
                                                        AtelierPrompt    *a,
                                                        AtelierPrompt    *b);
/* A GCompareFunc for an array of AtelierPrompt: by id, the order a
 * tune's prompts are kept in. */
int            _atelier_run_matrix_compare_by_id       (gconstpointer     a,
                                                        gconstpointer     b);
/* Rows from the tunes' prompts: rows of keys that stay are kept and
 * updated, new ones made, the others dropped. */
void           _atelier_run_matrix_regroup             (AtelierRunMatrix *self);
/* The rows shown, after the filter and the sort; one ::items-changed
 * when they differ from those listed. */
void           _atelier_run_matrix_show                (AtelierRunMatrix *self);
/* AtelierPoller::answered, connected swapped. */
void           _atelier_run_matrix_answered_cb         (AtelierRunMatrix *self,
                                                        GObject          *item);
/* AtelierLikes::changed, connected swapped. */
void           _atelier_run_matrix_likes_changed_cb    (AtelierRunMatrix *self,
                                                        gint64            prompt_id,
                                                        gboolean          liked);

/* Test hooks (atelier-run-matrix.c), for the tests and benchmarks */

/* The margin before the start (ATELIER_RUN_MATRIX_SKEW_S by default). */
void           _atelier_run_matrix_set_skew_ms         (AtelierRunMatrix *self,
                                                        guint             skew_ms);
AtelierPoller *_atelier_run_matrix_get_poller          (AtelierRunMatrix *self);
/* A list on its way or due later, or a poll. */
gboolean       _atelier_run_matrix_is_busy             (AtelierRunMatrix *self);

G_END_DECLS
