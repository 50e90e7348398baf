/* atelier-run-matrix.h: a test run's prompts, pack prompt × tune
 *
 * The service keeps no record of a pack or theme run: it makes prompts on
 * each tune in the background. The matrix finds them again. For each tune
 * of the run it lists GET /tunes/:id/prompts (newest first, 20 a page)
 * and keeps the prompts created from the run's start less
 * ATELIER_RUN_MATRIX_SKEW_S (the service's clock may be behind ours) to
 * ATELIER_RUN_MATRIX_CREATE_WINDOW_S after it, paging no further once a
 * page reaches older prompts. In a pack run whose prompts carry an
 * orig_prompt_id, prompts without one (made by hand on a test tune) are
 * not the pack's and are left out; a theme run keeps the first
 * ATELIER_RUN_MATRIX_THEME_PROMPTS of each tune.
 *
 * Rows (AtelierRunRow) are the pack's prompts: the prompts of all tunes
 * grouped by orig_prompt_id where the service gives it, else by their text
 * normalised (atelier_run_row_normalize_text() with that tune's token and
 * class name, case-folded). A theme's ideas whose texts differ from tune
 * to tune (more rows than any tune has prompts) are grouped by position
 * instead, the first prompt of each tune in one row, and so on. Should a
 * tune have two prompts for one row, the one made earliest after the
 * start wins. Columns are the run's tunes, in its order.
 *
 * The list model holds the rows shown, in pack order (the service makes a
 * pack's prompts in its order) or by likes, all or the liked only; it
 * changes with one ::items-changed. A row's own changes (a prompt
 * finishes or fails, a like) come as AtelierRunRow::changed; a tune's
 * (listed, deleted, its like count) as ::tune-changed.
 *
 * Keeping up:
 *   - pending prompts are polled (AtelierPoller: GET
 *     /tunes/:tune_id/prompts/:id, each backing off from
 *     :poll-interval-ms to a minute);
 *   - while the run may still be making prompts — nothing came yet, or
 *     tunes have different numbers of prompts, or a theme's tune fewer
 *     than ten — and for at most ATELIER_RUN_MATRIX_CREATE_WINDOW_S after
 *     the start, the tunes are listed again, the wait doubling from
 *     :relist-interval-ms up to ATELIER_RUN_MATRIX_RELIST_MAX_MS; a tune
 *     whose list failed is listed again the same way;
 *   - after a 429 (the client's ::retry-scheduled gives the delay) neither
 *     lists nor polls before the delay has passed; :rate-limited says so;
 *   - a tune the service no longer has (404 on its prompts) is marked
 *     ATELIER_RUN_TUNE_GONE and its cells emptied; a prompt that went
 *     (404 on a poll) lists its tune again to find out which.
 * Nothing is asked for while :active is FALSE.
 *
 * Likes come from AtelierLikes (a like is for a prompt) and are counted
 * per row, per tune and for the run, kept up on AtelierLikes::changed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atelier-astria-client.h"
#include "atelier-likes.h"
#include "atelier-pack-run.h"
#include "atelier-run-row.h"

G_BEGIN_DECLS

/* How far the service's created_at may be before the run's start. */
#define ATELIER_RUN_MATRIX_SKEW_S           120
/* How long after the start the service may still be making prompts. */
#define ATELIER_RUN_MATRIX_CREATE_WINDOW_S  (30 * 60)
#define ATELIER_RUN_MATRIX_RELIST_MS        2000
#define ATELIER_RUN_MATRIX_RELIST_MAX_MS    30000
#define ATELIER_RUN_MATRIX_THEME_PROMPTS    10
/* Pages listed at most per tune. */
#define ATELIER_RUN_MATRIX_MAX_PAGES        50

typedef enum
{
  ATELIER_RUN_TUNE_LISTING,   /* not listed yet */
  ATELIER_RUN_TUNE_LISTED,
  ATELIER_RUN_TUNE_FAILED,    /* its list failed (atelier_run_matrix_get_tune_error()) */
  ATELIER_RUN_TUNE_GONE,      /* the service no longer has it */
} AtelierRunTuneState;

typedef enum
{
  ATELIER_RUN_MATRIX_SORT_PACK,    /* the pack's order */
  ATELIER_RUN_MATRIX_SORT_LIKES,   /* most liked first, then the pack's order */
} AtelierRunMatrixSort;

#define ATELIER_TYPE_RUN_MATRIX (atelier_run_matrix_get_type ())
G_DECLARE_FINAL_TYPE (AtelierRunMatrix, atelier_run_matrix, ATELIER, RUN_MATRIX, GObject)

/* @likes may be NULL (nothing liked). Nothing is listed before
 * atelier_run_matrix_reload(). */
AtelierRunMatrix    *atelier_run_matrix_new                 (AtelierAstriaClient  *client,
                                                             AtelierLikes         *likes,
                                                             AtelierPackRun       *run);
AtelierPackRun      *atelier_run_matrix_get_run             (AtelierRunMatrix     *self);
AtelierAstriaClient *atelier_run_matrix_get_client          (AtelierRunMatrix     *self);
AtelierLikes        *atelier_run_matrix_get_likes           (AtelierRunMatrix     *self);

/* Lists every tune again (not those gone) and keeps up from there. */
void                 atelier_run_matrix_reload              (AtelierRunMatrix     *self);

/* Polling and listing run only while active (the window is shown);
 * TRUE by default. */
void                 atelier_run_matrix_set_active          (AtelierRunMatrix     *self,
                                                             gboolean              active);
void                 atelier_run_matrix_set_poll_interval_ms   (AtelierRunMatrix  *self,
                                                                guint              interval_ms);
void                 atelier_run_matrix_set_relist_interval_ms (AtelierRunMatrix  *self,
                                                                guint              interval_ms);

void                 atelier_run_matrix_set_sort            (AtelierRunMatrix     *self,
                                                             AtelierRunMatrixSort  sort);
AtelierRunMatrixSort atelier_run_matrix_get_sort            (AtelierRunMatrix     *self);
void                 atelier_run_matrix_set_liked_only      (AtelierRunMatrix     *self,
                                                             gboolean              liked_only);
gboolean             atelier_run_matrix_get_liked_only      (AtelierRunMatrix     *self);

/* TRUE until every tune was listed once (or failed). */
gboolean             atelier_run_matrix_is_loading          (AtelierRunMatrix     *self);
/* TRUE while the tunes are listed again for prompts still being made. */
gboolean             atelier_run_matrix_is_creating         (AtelierRunMatrix     *self);
gboolean             atelier_run_matrix_is_rate_limited     (AtelierRunMatrix     *self);

/* Columns */
guint                atelier_run_matrix_get_n_tunes         (AtelierRunMatrix     *self);
const char          *atelier_run_matrix_get_tune_title      (AtelierRunMatrix     *self,
                                                             guint                 column);
AtelierRunTuneState  atelier_run_matrix_get_tune_state      (AtelierRunMatrix     *self,
                                                             guint                 column);
/* The error of the tune's last list, while ATELIER_RUN_TUNE_FAILED. */
const GError        *atelier_run_matrix_get_tune_error      (AtelierRunMatrix     *self,
                                                             guint                 column);
guint                atelier_run_matrix_get_tune_n_prompts  (AtelierRunMatrix     *self,
                                                             guint                 column);
guint                atelier_run_matrix_get_tune_n_likes    (AtelierRunMatrix     *self,
                                                             guint                 column);

/* The whole run */
guint                atelier_run_matrix_get_n_likes         (AtelierRunMatrix     *self);
guint                atelier_run_matrix_get_n_prompts       (AtelierRunMatrix     *self);
guint                atelier_run_matrix_get_n_pending       (AtelierRunMatrix     *self);
guint                atelier_run_matrix_get_n_failed        (AtelierRunMatrix     *self);
/* Every row, shown or not, in the pack's order. (transfer container) */
GPtrArray           *atelier_run_matrix_dup_all_rows        (AtelierRunMatrix     *self);
/* The row and column of a prompt of the run, or NULL. (transfer none) */
AtelierRunRow       *atelier_run_matrix_find_prompt         (AtelierRunMatrix     *self,
                                                             gint64                prompt_id,
                                                             guint                *column);

/* The likes per pack prompt as CSV (RFC 4180, CRLF line ends): a header
 * "prompt,orig_prompt_id,likes,TUNE…", then every row in the pack's
 * order: its text, its orig_prompt_id (empty when none), its likes and
 * per tune 1 (liked), 0 (not liked) or nothing (no prompt). Fields with
 * a comma, a quote or a line break are quoted; text a spreadsheet would
 * take for a formula (=, +, -, @ first) is prefixed with '. */
char                *atelier_run_matrix_dup_csv             (AtelierRunMatrix     *self);
/* One CSV field, quoted as above. */
char                *atelier_run_matrix_csv_field           (const char           *text);

G_END_DECLS
