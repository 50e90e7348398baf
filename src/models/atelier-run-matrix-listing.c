/* atelier-run-matrix-listing.c: AtelierRunMatrix, listing the tunes' prompts
 *
 * The listing part of AtelierRunMatrix: each tune's prompts, page by page
 * until the run's start, then kept (select_prompts()); a pass lists every
 * tune and, when it ends, schedules the next while prompts may still be
 * coming (or a list failed). A 429 pauses the lists, a tune the service
 * no longer has is marked gone, and a prompt gone lists its tune again.
 * The lists of a pass are grouped into rows in atelier-run-matrix-rows.c;
 * the class itself is in atelier-run-matrix.c, the instance struct in
 * atelier-run-matrix-private.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-models-private.h"
#include "atelier-run-matrix-private.h"

/* The tunes' lists of a pass land within a few milliseconds of each
 * other: one regrouping for those that land this close together. */
#define REGROUP_DELAY_MS         40
#define RATE_LIMIT_PAUSE_MS      30000

/* {{{ Helpers */

static gboolean
prompt_before (AtelierPrompt *prompt,
               gint64         when_us)
{
  GDateTime *created = atelier_prompt_get_created_at (prompt);

  return created != NULL && _atelier_run_matrix_time_us (created) < when_us;
}

/* }}} */

/* {{{ Listing */

typedef struct
{
  gpointer self;      /* (owned) _atelier_weak_new() */
  guint    column;
  guint    serial;
} ListCall;

static gboolean
within_window (AtelierRunMatrix *self,
               AtelierPrompt    *prompt)
{
  GDateTime *created = atelier_prompt_get_created_at (prompt);
  gint64 when;

  if (created == NULL)
    return TRUE;
  when = _atelier_run_matrix_time_us (created);
  return when >= self->start_us - self->skew_us &&
         when <= self->start_us + (gint64) ATELIER_RUN_MATRIX_CREATE_WINDOW_S * G_USEC_PER_SEC;
}

static int
compare_rank_cb (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  return _atelier_run_matrix_compare_rank (user_data, *(AtelierPrompt **) a, *(AtelierPrompt **) b);
}

/* The run's prompts among those the pages brought, by id; a copy that
 * finished already (a poll was quicker than the list) is kept. */
static GPtrArray *
select_prompts (AtelierRunMatrix *self,
                GPtrArray        *found)
{
  GPtrArray *kept = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean any_orig = FALSE;

  for (guint i = 0; i < found->len; i++)
    any_orig |= atelier_prompt_get_orig_prompt_id (g_ptr_array_index (found, i)) != 0;

  for (guint i = 0; i < found->len; i++)
    {
      AtelierPrompt *prompt = g_ptr_array_index (found, i);
      gint64 id = atelier_prompt_get_id (prompt);
      Where *where;

      if (!within_window (self, prompt))
        continue;
      /* A pack's prompts carry their original: the others are not its. */
      if (atelier_pack_run_get_kind (self->run) == ATELIER_PACK_RUN_PACK && any_orig &&
          atelier_prompt_get_orig_prompt_id (prompt) == 0)
        continue;

      where = g_hash_table_lookup (self->cells, &id);
      if (where != NULL && !_atelier_run_matrix_is_finished (prompt))
        {
          AtelierPrompt *known = atelier_run_row_get_prompt (where->row, where->column);

          if (known != NULL && atelier_prompt_get_id (known) == id && _atelier_run_matrix_is_finished (known))
            prompt = known;
        }

      g_ptr_array_add (kept, g_object_ref (prompt));
    }

  if (atelier_pack_run_get_kind (self->run) == ATELIER_PACK_RUN_THEME &&
      kept->len > ATELIER_RUN_MATRIX_THEME_PROMPTS)
    {
      g_ptr_array_sort_with_data (kept, compare_rank_cb, self);
      g_ptr_array_set_size (kept, ATELIER_RUN_MATRIX_THEME_PROMPTS);
    }

  g_ptr_array_sort (kept, _atelier_run_matrix_compare_by_id);

  return kept;
}

gboolean
_atelier_run_matrix_any_listing (AtelierRunMatrix *self)
{
  for (guint c = 0; c < self->n_columns; c++)
    {
      if (self->columns[c].listing)
        return TRUE;
    }
  return FALSE;
}

static gboolean
regroup_cb (gpointer user_data)
{
  AtelierRunMatrix *self = user_data;

  self->regroup_source = 0;
  _atelier_run_matrix_regroup (self);

  return G_SOURCE_REMOVE;
}

/* Rows from the lists now when the pass is over, else a moment later
 * with the lists that land meanwhile. */
static void
queue_regroup (AtelierRunMatrix *self)
{
  if (!_atelier_run_matrix_any_listing (self))
    {
      g_clear_handle_id (&self->regroup_source, g_source_remove);
      _atelier_run_matrix_regroup (self);
      return;
    }

  if (self->regroup_source == 0)
    {
      self->regroup_source = g_timeout_add (REGROUP_DELAY_MS, regroup_cb, self);
      g_source_set_name_by_id (self->regroup_source, "[atelier] group the run's prompts");
    }
}

/* Whether the run may still be making prompts. */
static gboolean
still_creating (AtelierRunMatrix *self)
{
  gint64 now = g_get_real_time ();
  gboolean listed = FALSE;
  gboolean nothing = TRUE;
  gboolean differ = FALSE;
  gboolean short_theme = FALSE;
  guint first = 0;

  if (now > self->start_us + (gint64) ATELIER_RUN_MATRIX_CREATE_WINDOW_S * G_USEC_PER_SEC)
    return FALSE;

  for (guint c = 0; c < self->n_columns; c++)
    {
      Column *column = &self->columns[c];

      if (column->state != ATELIER_RUN_TUNE_LISTED)
        continue;
      if (!listed)
        first = column->prompts->len;
      listed = TRUE;
      nothing &= column->prompts->len == 0;
      differ |= column->prompts->len != first;
      short_theme |= atelier_pack_run_get_kind (self->run) == ATELIER_PACK_RUN_THEME &&
                     column->prompts->len < ATELIER_RUN_MATRIX_THEME_PROMPTS;
    }

  /* No tune could be listed: the failures are retried anyway. */
  if (!listed)
    return TRUE;

  return nothing || differ || short_theme;
}

static gboolean
relist_cb (gpointer user_data)
{
  AtelierRunMatrix *self = user_data;

  self->relist_source = 0;
  _atelier_run_matrix_list_all (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_pass (AtelierRunMatrix *self,
               guint             delay_ms)
{
  gint64 now = g_get_monotonic_time ();

  g_clear_handle_id (&self->relist_source, g_source_remove);
  if (self->paused_until > now)
    delay_ms = MAX (delay_ms, (guint) ((self->paused_until - now + 999) / 1000));
  self->relist_source = g_timeout_add (delay_ms, relist_cb, self);
  g_source_set_name_by_id (self->relist_source, "[atelier] list the run's tunes again");
}

/* Every list of a pass came back: when should the next be? */
static void
pass_done (AtelierRunMatrix *self)
{
  gboolean failed = FALSE;

  for (guint c = 0; c < self->n_columns; c++)
    failed |= self->columns[c].state == ATELIER_RUN_TUNE_FAILED;

  _atelier_run_matrix_set_creating (self, still_creating (self));
  _atelier_run_matrix_set_loading (self, FALSE);

  if (!self->creating && !failed)
    return;

  schedule_pass (self, self->relist_delay_ms);
  self->relist_delay_ms = MIN (self->relist_delay_ms * 2, MAX (ATELIER_RUN_MATRIX_RELIST_MAX_MS, self->relist_base_ms));
}

static void
column_done (AtelierRunMatrix *self)
{
  if (!_atelier_run_matrix_any_listing (self))
    pass_done (self);
}

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autofree ListCall *call = user_data;
  g_autoptr(AtelierRunMatrix) self = _atelier_weak_steal (call->self);
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  AtelierAstriaClient *client = ATELIER_ASTRIA_CLIENT (source);
  Column *column;
  guint length = 0;
  gboolean older = FALSE;

  page = atelier_astria_client_list_prompts_finish (client, result, &error);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  column = &self->columns[call->column];
  if (call->serial != column->serial || !column->listing)
    return;

  if (error != NULL)
    {
      column->listing = FALSE;
      g_clear_pointer (&column->found, g_ptr_array_unref);

      if (g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_NOT_FOUND))
        {
          /* The tune was deleted: its column says so. */
          column->state = ATELIER_RUN_TUNE_GONE;
          g_clear_error (&column->error);
          g_ptr_array_set_size (column->prompts, 0);
          _atelier_run_matrix_emit_tune_changed (self, call->column);
          queue_regroup (self);
        }
      else
        {
          if (g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_RATE_LIMITED))
            {
              /* Still limited after the client's own waits. */
              self->paused_until = MAX (self->paused_until,
                                        g_get_monotonic_time () + (gint64) RATE_LIMIT_PAUSE_MS * 1000);
              _atelier_run_matrix_set_list_limited (self, TRUE);
              _atelier_run_matrix_update_rate_limited (self);
            }
          column->state = ATELIER_RUN_TUNE_FAILED;
          g_clear_error (&column->error);
          column->error = g_steal_pointer (&error);
          _atelier_run_matrix_emit_tune_changed (self, call->column);
        }

      column_done (self);
      return;
    }

  if (g_get_monotonic_time () >= self->paused_until && self->list_limited)
    {
      self->list_limited = FALSE;
      _atelier_run_matrix_update_rate_limited (self);
    }

  if (!atelier_astria_client_get_page_length (client, result, &length))
    length = page->len;

  for (guint i = 0; i < page->len; i++)
    {
      AtelierPrompt *prompt = g_ptr_array_index (page, i);

      if (prompt_before (prompt, self->start_us - self->skew_us))
        older = TRUE;
      else
        g_ptr_array_add (column->found, g_object_ref (prompt));
    }

  column->pages++;
  if (!older && length >= ATELIER_PAGE_SIZE && column->pages < ATELIER_RUN_MATRIX_MAX_PAGES)
    {
      ListCall *next = g_new0 (ListCall, 1);

      column->offset += length;
      next->self = _atelier_weak_new (self);
      next->column = call->column;
      next->serial = column->serial;
      atelier_astria_client_list_prompts_async (self->client, column->tune_id, column->offset,
                                                self->cancellable, list_cb, next);
      return;
    }

  /* The last page of this tune. */
  g_ptr_array_unref (column->prompts);
  column->prompts = select_prompts (self, column->found);
  g_clear_pointer (&column->found, g_ptr_array_unref);
  column->listing = FALSE;
  column->state = ATELIER_RUN_TUNE_LISTED;
  g_clear_error (&column->error);

  queue_regroup (self);
  column_done (self);
}

static void
list_tune (AtelierRunMatrix *self,
           guint             index)
{
  Column *column = &self->columns[index];
  ListCall *call;

  if (column->listing || column->state == ATELIER_RUN_TUNE_GONE || self->client == NULL)
    return;

  column->listing = TRUE;
  column->serial++;
  column->offset = 0;
  column->pages = 0;
  g_clear_pointer (&column->found, g_ptr_array_unref);
  column->found = g_ptr_array_new_with_free_func (g_object_unref);

  call = g_new0 (ListCall, 1);
  call->self = _atelier_weak_new (self);
  call->column = index;
  call->serial = column->serial;
  atelier_astria_client_list_prompts_async (self->client, column->tune_id, 0, self->cancellable,
                                            list_cb, call);
}

/* A pass: every tune not gone, unless inactive or paused. */
void
_atelier_run_matrix_list_all (AtelierRunMatrix *self)
{
  gint64 now = g_get_monotonic_time ();
  gboolean started = FALSE;

  g_clear_handle_id (&self->relist_source, g_source_remove);

  if (!self->active)
    {
      self->pass_waiting = TRUE;
      return;
    }
  self->pass_waiting = FALSE;

  if (now < self->paused_until)
    {
      schedule_pass (self, 0);
      return;
    }

  for (guint c = 0; c < self->n_columns; c++)
    {
      list_tune (self, c);
      started |= self->columns[c].listing;
    }

  if (!started)
    pass_done (self);
}

/* }}} */

/* {{{ Prompts gone, rate limits */

/* A prompt of the run went: its tune too, perhaps. Listing it says. */
void
_atelier_run_matrix_gone_cb (AtelierRunMatrix *self,
                             gint64            prompt_id)
{
  Where *where = g_hash_table_lookup (self->cells, &prompt_id);

  g_hash_table_remove (self->tracked, &prompt_id);
  if (where != NULL && self->active)
    list_tune (self, where->column);
}

void
_atelier_run_matrix_retry_scheduled_cb (AtelierRunMatrix *self,
                                        guint             attempt,
                                        guint             delay_ms,
                                        GError           *reason,
                                        GCancellable     *cancellable)
{
  if (!g_error_matches (reason, ATELIER_API_ERROR, ATELIER_API_ERROR_RATE_LIMITED))
    return;

  /* The service said when to come back: no list before then. */
  self->paused_until = MAX (self->paused_until, g_get_monotonic_time () + (gint64) delay_ms * 1000);
  self->list_limited = TRUE;
  _atelier_run_matrix_update_rate_limited (self);
  if (self->relist_source != 0)
    schedule_pass (self, 0);
}

/* }}} */

