/* atelier-run-matrix.c: a test run's prompts, pack prompt × tune
 *
 * One coherent class, in four parts over three files:
 *   listing   each tune's prompts, page by page until the run's start,
 *             then kept (select_prompts()); a pass lists every tune and,
 *             when it ends, schedules the next while prompts may still
 *             be coming (or a list failed): atelier-run-matrix-listing.c;
 *   grouping  regroup() turns the tunes' prompts into rows, keeping the
 *             row objects of the keys that stay, and the rows shown
 *             (show()) with one ::items-changed when they differ:
 *             atelier-run-matrix-rows.c;
 *   polling   pending prompts through AtelierPoller, set up here; an
 *             answer updates its cell in place (AtelierRunRow::changed,
 *             atelier-run-matrix-rows.c), a prompt gone lists its tune
 *             again (atelier-run-matrix-listing.c);
 *   likes     counted per row, per tune and for the run
 *             (atelier-run-matrix-rows.c).
 * This file is the class itself: the GObject, its properties and
 * signals, the list model, the public API (setters, sort and filter),
 * the test hooks and the CSV. atelier-run-matrix-private.h holds the
 * instance struct and what the files call on each other.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atelier-models-private.h"
#include "atelier-poller.h"
#include "atelier-run-matrix-private.h"

#define DEFAULT_POLL_INTERVAL_MS 2000

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AtelierRunMatrix, atelier_run_matrix, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_LOADING,
  PROP_CREATING,
  PROP_RATE_LIMITED,
  PROP_N_LIKES,
  PROP_N_PENDING,
  PROP_N_PROMPTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  TUNE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* {{{ GListModel */

static GType
get_item_type (GListModel *model)
{
  return ATELIER_TYPE_RUN_ROW;
}

static guint
get_n_items (GListModel *model)
{
  return ATELIER_RUN_MATRIX (model)->shown->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  AtelierRunMatrix *self = ATELIER_RUN_MATRIX (model);

  if (position >= self->shown->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->shown, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* }}} */

/* {{{ Properties and signals, for the parts */

static void
set_flag (AtelierRunMatrix *self,
          gboolean         *field,
          gboolean          value,
          guint             prop)
{
  _atelier_set_flag (self, field, value, properties[prop]);
}

void
_atelier_run_matrix_set_loading (AtelierRunMatrix *self,
                                 gboolean          loading)
{
  set_flag (self, &self->loading, loading, PROP_LOADING);
}

void
_atelier_run_matrix_set_creating (AtelierRunMatrix *self,
                                  gboolean          creating)
{
  set_flag (self, &self->creating, creating, PROP_CREATING);
}

void
_atelier_run_matrix_set_list_limited (AtelierRunMatrix *self,
                                      gboolean          list_limited)
{
  set_flag (self, &self->list_limited, list_limited, PROP_RATE_LIMITED);
}

void
_atelier_run_matrix_update_rate_limited (AtelierRunMatrix *self)
{
  set_flag (self, &self->rate_limited,
            self->list_limited || atelier_poller_get_rate_limited (self->poller),
            PROP_RATE_LIMITED);
}

void
_atelier_run_matrix_set_counts (AtelierRunMatrix *self,
                                guint             n_likes,
                                guint             n_pending,
                                guint             n_prompts)
{
  _atelier_set_count (self, &self->n_likes, n_likes, properties[PROP_N_LIKES]);
  _atelier_set_count (self, &self->n_pending, n_pending, properties[PROP_N_PENDING]);
  _atelier_set_count (self, &self->n_prompts, n_prompts, properties[PROP_N_PROMPTS]);
}

void
_atelier_run_matrix_emit_tune_changed (AtelierRunMatrix *self,
                                       guint             column)
{
  g_signal_emit (self, signals[TUNE_CHANGED], 0, column);
}

/* }}} */

/* {{{ Polls */

static void
fetch_prompt (AtelierAstriaClient *client,
              GObject             *item,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             callback_data)
{
  AtelierPrompt *prompt = ATELIER_PROMPT (item);

  atelier_astria_client_get_prompt_async (client, atelier_prompt_get_tune_id (prompt),
                                          atelier_prompt_get_id (prompt), cancellable,
                                          callback, callback_data);
}

/* }}} */

/* {{{ GObject */

static void
atelier_run_matrix_dispose (GObject *object)
{
  AtelierRunMatrix *self = ATELIER_RUN_MATRIX (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->relist_source, g_source_remove);
  g_clear_handle_id (&self->regroup_source, g_source_remove);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  if (self->likes != NULL)
    g_signal_handlers_disconnect_by_data (self->likes, self);
  if (self->poller != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->poller, self);
      atelier_poller_clear (self->poller);
    }
  g_clear_object (&self->poller);
  g_clear_object (&self->client);
  g_clear_object (&self->likes);

  G_OBJECT_CLASS (atelier_run_matrix_parent_class)->dispose (object);
}

static void
atelier_run_matrix_finalize (GObject *object)
{
  AtelierRunMatrix *self = ATELIER_RUN_MATRIX (object);

  for (guint c = 0; c < self->n_columns; c++)
    {
      g_clear_error (&self->columns[c].error);
      g_clear_pointer (&self->columns[c].prompts, g_ptr_array_unref);
      g_clear_pointer (&self->columns[c].found, g_ptr_array_unref);
    }
  g_free (self->columns);
  g_clear_pointer (&self->rows_by_key, g_hash_table_unref);
  g_clear_pointer (&self->all_rows, g_ptr_array_unref);
  g_clear_pointer (&self->shown, g_ptr_array_unref);
  g_clear_pointer (&self->cells, g_hash_table_unref);
  g_clear_pointer (&self->tracked, g_hash_table_unref);
  g_clear_object (&self->run);

  G_OBJECT_CLASS (atelier_run_matrix_parent_class)->finalize (object);
}

static void
atelier_run_matrix_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  AtelierRunMatrix *self = ATELIER_RUN_MATRIX (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_CREATING:
      g_value_set_boolean (value, self->creating);
      break;
    case PROP_RATE_LIMITED:
      g_value_set_boolean (value, self->rate_limited);
      break;
    case PROP_N_LIKES:
      g_value_set_uint (value, self->n_likes);
      break;
    case PROP_N_PENDING:
      g_value_set_uint (value, self->n_pending);
      break;
    case PROP_N_PROMPTS:
      g_value_set_uint (value, self->n_prompts);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_run_matrix_class_init (AtelierRunMatrixClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = atelier_run_matrix_dispose;
  object_class->finalize = atelier_run_matrix_finalize;
  object_class->get_property = atelier_run_matrix_get_property;

  properties[PROP_LOADING] = _atelier_param_spec_flag ("loading", FALSE);
  properties[PROP_CREATING] = _atelier_param_spec_flag ("creating", FALSE);
  properties[PROP_RATE_LIMITED] = _atelier_param_spec_flag ("rate-limited", FALSE);
  properties[PROP_N_LIKES] = _atelier_param_spec_count ("n-likes");
  properties[PROP_N_PENDING] = _atelier_param_spec_count ("n-pending");
  properties[PROP_N_PROMPTS] = _atelier_param_spec_count ("n-prompts");
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A tune's state, prompts or like count changed (guint column). */
  signals[TUNE_CHANGED] = g_signal_new ("tune-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
atelier_run_matrix_init (AtelierRunMatrix *self)
{
  self->rows_by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->all_rows = g_ptr_array_new_with_free_func (g_object_unref);
  self->shown = g_ptr_array_new_with_free_func (g_object_unref);
  self->cells = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->tracked = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->active = TRUE;
  self->skew_us = (gint64) ATELIER_RUN_MATRIX_SKEW_S * G_USEC_PER_SEC;
  self->relist_base_ms = ATELIER_RUN_MATRIX_RELIST_MS;
  self->relist_delay_ms = self->relist_base_ms;
  self->cancellable = g_cancellable_new ();

  self->poller = atelier_poller_new (fetch_prompt, (AtelierPollerFinishFunc) atelier_astria_client_get_prompt_finish);
  atelier_poller_set_base_ms (self->poller, DEFAULT_POLL_INTERVAL_MS);
  g_signal_connect_object (self->poller, "answered", G_CALLBACK (_atelier_run_matrix_answered_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->poller, "gone", G_CALLBACK (_atelier_run_matrix_gone_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->poller, "notify::rate-limited",
                           G_CALLBACK (_atelier_run_matrix_update_rate_limited), self, G_CONNECT_SWAPPED);
}

/* }}} */

/* {{{ Public API */

AtelierRunMatrix *
atelier_run_matrix_new (AtelierAstriaClient *client,
                        AtelierLikes        *likes,
                        AtelierPackRun      *run)
{
  AtelierRunMatrix *self;

  g_return_val_if_fail (client == NULL || ATELIER_IS_ASTRIA_CLIENT (client), NULL);
  g_return_val_if_fail (likes == NULL || ATELIER_IS_LIKES (likes), NULL);
  g_return_val_if_fail (ATELIER_IS_PACK_RUN (run), NULL);

  self = g_object_new (ATELIER_TYPE_RUN_MATRIX, NULL);
  self->run = g_object_ref (run);
  self->start_us = _atelier_run_matrix_time_us (atelier_pack_run_get_started_at (run));

  /* An unreadable run has no tunes: nothing to list. */
  self->n_columns = atelier_pack_run_is_readable (run) ? atelier_pack_run_get_n_tunes (run) : 0;
  self->columns = g_new0 (Column, MAX (self->n_columns, 1));
  for (guint c = 0; c < self->n_columns; c++)
    {
      self->columns[c].tune_id = atelier_pack_run_get_tune_id (run, c);
      self->columns[c].state = ATELIER_RUN_TUNE_LISTING;
      self->columns[c].prompts = g_ptr_array_new_with_free_func (g_object_unref);
    }

  if (client != NULL)
    {
      self->client = g_object_ref (client);
      g_signal_connect_swapped (client, "retry-scheduled", G_CALLBACK (_atelier_run_matrix_retry_scheduled_cb),
                                self);
      atelier_poller_set_client (self->poller, client);
    }
  if (likes != NULL)
    {
      self->likes = g_object_ref (likes);
      g_signal_connect_swapped (likes, "changed", G_CALLBACK (_atelier_run_matrix_likes_changed_cb), self);
    }

  return self;
}

AtelierPackRun *
atelier_run_matrix_get_run (AtelierRunMatrix *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_MATRIX (self), NULL);
  return self->run;
}

AtelierAstriaClient *
atelier_run_matrix_get_client (AtelierRunMatrix *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_MATRIX (self), NULL);
  return self->client;
}

AtelierLikes *
atelier_run_matrix_get_likes (AtelierRunMatrix *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_MATRIX (self), NULL);
  return self->likes;
}

void
atelier_run_matrix_reload (AtelierRunMatrix *self)
{
  g_return_if_fail (ATELIER_IS_RUN_MATRIX (self));

  if (self->n_columns == 0 || self->client == NULL)
    return;

  /* Lists on their way answer for the old pass: drop them. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  for (guint c = 0; c < self->n_columns; c++)
    {
      self->columns[c].listing = FALSE;
      g_clear_pointer (&self->columns[c].found, g_ptr_array_unref);
    }

  self->started = TRUE;
  self->relist_delay_ms = self->relist_base_ms;
  set_flag (self, &self->loading, TRUE, PROP_LOADING);
  _atelier_run_matrix_list_all (self);
}

void
atelier_run_matrix_set_active (AtelierRunMatrix *self,
                               gboolean          active)
{
  g_return_if_fail (ATELIER_IS_RUN_MATRIX (self));

  active = !!active;
  if (self->active == active)
    return;

  self->active = active;
  atelier_poller_set_active (self->poller, active);
  if (active && self->pass_waiting)
    _atelier_run_matrix_list_all (self);
}

void
atelier_run_matrix_set_poll_interval_ms (AtelierRunMatrix *self,
                                         guint             interval_ms)
{
  g_return_if_fail (ATELIER_IS_RUN_MATRIX (self));
  atelier_poller_set_base_ms (self->poller, MAX (interval_ms, 1));
}

void
atelier_run_matrix_set_relist_interval_ms (AtelierRunMatrix *self,
                                           guint             interval_ms)
{
  g_return_if_fail (ATELIER_IS_RUN_MATRIX (self));

  self->relist_base_ms = MAX (interval_ms, 1);
  self->relist_delay_ms = MIN (self->relist_delay_ms, self->relist_base_ms);
}

void
atelier_run_matrix_set_sort (AtelierRunMatrix     *self,
                             AtelierRunMatrixSort  sort)
{
  g_return_if_fail (ATELIER_IS_RUN_MATRIX (self));

  if (self->sort == sort)
    return;
  self->sort = sort;
  _atelier_run_matrix_show (self);
}

AtelierRunMatrixSort
atelier_run_matrix_get_sort (AtelierRunMatrix *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_MATRIX (self), ATELIER_RUN_MATRIX_SORT_PACK);
  return self->sort;
}

void
atelier_run_matrix_set_liked_only (AtelierRunMatrix *self,
                                   gboolean          liked_only)
{
  g_return_if_fail (ATELIER_IS_RUN_MATRIX (self));

  if (self->liked_only == !!liked_only)
    return;
  self->liked_only = !!liked_only;
  _atelier_run_matrix_show (self);
}

gboolean
atelier_run_matrix_get_liked_only (AtelierRunMatrix *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_MATRIX (self), FALSE);
  return self->liked_only;
}

gboolean
atelier_run_matrix_is_loading (AtelierRunMatrix *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_MATRIX (self), FALSE);
  return self->loading;
}

gboolean
atelier_run_matrix_is_creating (AtelierRunMatrix *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_MATRIX (self), FALSE);
  return self->creating;
}

gboolean
atelier_run_matrix_is_rate_limited (AtelierRunMatrix *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_MATRIX (self), FALSE);
  return self->rate_limited;
}

guint
atelier_run_matrix_get_n_tunes (AtelierRunMatrix *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_MATRIX (self), 0);
  return self->n_columns;
}

static Column *
column_at (AtelierRunMatrix *self,
           guint             column)
{
  g_return_val_if_fail (ATELIER_IS_RUN_MATRIX (self), NULL);
  g_return_val_if_fail (column < self->n_columns, NULL);
  return &self->columns[column];
}

const char *
atelier_run_matrix_get_tune_title (AtelierRunMatrix *self,
                                   guint             column)
{
  g_return_val_if_fail (column_at (self, column) != NULL, NULL);
  return atelier_pack_run_get_tune_title (self->run, column);
}

AtelierRunTuneState
atelier_run_matrix_get_tune_state (AtelierRunMatrix *self,
                                   guint             column)
{
  Column *c = column_at (self, column);

  return c != NULL ? c->state : ATELIER_RUN_TUNE_LISTING;
}

const GError *
atelier_run_matrix_get_tune_error (AtelierRunMatrix *self,
                                   guint             column)
{
  Column *c = column_at (self, column);

  return c != NULL ? c->error : NULL;
}

guint
atelier_run_matrix_get_tune_n_prompts (AtelierRunMatrix *self,
                                       guint             column)
{
  Column *c = column_at (self, column);

  return c != NULL ? c->prompts->len : 0;
}

guint
atelier_run_matrix_get_tune_n_likes (AtelierRunMatrix *self,
                                     guint             column)
{
  Column *c = column_at (self, column);

  return c != NULL ? c->n_likes : 0;
}

guint
atelier_run_matrix_get_n_likes (AtelierRunMatrix *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_MATRIX (self), 0);
  return self->n_likes;
}

guint
atelier_run_matrix_get_n_prompts (AtelierRunMatrix *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_MATRIX (self), 0);
  return self->n_prompts;
}

guint
atelier_run_matrix_get_n_pending (AtelierRunMatrix *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_MATRIX (self), 0);
  return self->n_pending;
}

guint
atelier_run_matrix_get_n_failed (AtelierRunMatrix *self)
{
  guint n = 0;

  g_return_val_if_fail (ATELIER_IS_RUN_MATRIX (self), 0);

  for (guint i = 0; i < self->all_rows->len; i++)
    for (guint c = 0; c < self->n_columns; c++)
      n += atelier_run_row_get_state (g_ptr_array_index (self->all_rows, i), c) == ATELIER_RUN_CELL_FAILED;
  return n;
}

GPtrArray *
atelier_run_matrix_dup_all_rows (AtelierRunMatrix *self)
{
  GPtrArray *rows;

  g_return_val_if_fail (ATELIER_IS_RUN_MATRIX (self), NULL);

  rows = g_ptr_array_new_full (self->all_rows->len, g_object_unref);
  for (guint i = 0; i < self->all_rows->len; i++)
    g_ptr_array_add (rows, g_object_ref (g_ptr_array_index (self->all_rows, i)));
  return rows;
}

AtelierRunRow *
atelier_run_matrix_find_prompt (AtelierRunMatrix *self,
                                gint64            prompt_id,
                                guint            *column)
{
  Where *where;

  g_return_val_if_fail (ATELIER_IS_RUN_MATRIX (self), NULL);

  where = g_hash_table_lookup (self->cells, &prompt_id);
  if (where == NULL)
    return NULL;
  if (column != NULL)
    *column = where->column;
  return where->row;
}

void
_atelier_run_matrix_set_skew_ms (AtelierRunMatrix *self,
                                 guint             skew_ms)
{
  g_return_if_fail (ATELIER_IS_RUN_MATRIX (self));
  self->skew_us = (gint64) skew_ms * 1000;
}

AtelierPoller *
_atelier_run_matrix_get_poller (AtelierRunMatrix *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_MATRIX (self), NULL);
  return self->poller;
}

gboolean
_atelier_run_matrix_is_busy (AtelierRunMatrix *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_MATRIX (self), FALSE);
  return _atelier_run_matrix_any_listing (self) || self->relist_source != 0 || self->regroup_source != 0 ||
         atelier_poller_get_busy (self->poller);
}

/* }}} */

/* {{{ CSV */

char *
atelier_run_matrix_csv_field (const char *text)
{
  GString *field;
  gboolean quote;
  gboolean formula;

  if (text == NULL || text[0] == '\0')
    return g_strdup ("");

  /* A spreadsheet runs a field that starts like a formula. */
  formula = strchr ("=+-@\t\r", text[0]) != NULL;
  quote = formula || strpbrk (text, ",\"\r\n") != NULL || text[0] == ' ' ||
          text[strlen (text) - 1] == ' ';
  if (!quote)
    return g_strdup (text);

  field = g_string_new ("\"");
  if (formula)
    g_string_append_c (field, '\'');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (field, '"');
      g_string_append_c (field, *p);
    }
  g_string_append_c (field, '"');

  return g_string_free (field, FALSE);
}

static void
append_field (GString    *csv,
              const char *text,
              gboolean    first)
{
  g_autofree char *field = atelier_run_matrix_csv_field (text);

  if (!first)
    g_string_append_c (csv, ',');
  g_string_append (csv, field);
}

char *
atelier_run_matrix_dup_csv (AtelierRunMatrix *self)
{
  GString *csv = g_string_new (NULL);

  g_return_val_if_fail (ATELIER_IS_RUN_MATRIX (self), NULL);

  append_field (csv, "prompt", TRUE);
  append_field (csv, "orig_prompt_id", FALSE);
  append_field (csv, "likes", FALSE);
  for (guint c = 0; c < self->n_columns; c++)
    append_field (csv, atelier_pack_run_get_tune_title (self->run, c), FALSE);
  g_string_append (csv, "\r\n");

  for (guint i = 0; i < self->all_rows->len; i++)
    {
      AtelierRunRow *row = g_ptr_array_index (self->all_rows, i);
      gint64 orig = atelier_run_row_get_orig_prompt_id (row);
      char number[32] = "";

      append_field (csv, atelier_run_row_get_text (row), TRUE);
      if (orig != 0)
        g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, orig);
      append_field (csv, number, FALSE);
      g_snprintf (number, sizeof number, "%u", atelier_run_row_get_n_likes (row));
      append_field (csv, number, FALSE);
      for (guint c = 0; c < self->n_columns; c++)
        {
          const char *value = "";

          if (atelier_run_row_get_prompt (row, c) != NULL)
            value = atelier_run_row_is_liked (row, c) ? "1" : "0";
          append_field (csv, value, FALSE);
        }
      g_string_append (csv, "\r\n");
    }

  return g_string_free (csv, FALSE);
}

/* }}} */
