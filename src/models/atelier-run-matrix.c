/* atelier-run-matrix.c: a test run's prompts, pack prompt × tune
 *
 * One coherent class, in four parts:
 *   listing   each tune's prompts, page by page until the run's start,
 *             then kept (select_prompts()); a pass lists every tune and,
 *             when it ends, schedules the next while prompts may still
 *             be coming (or a list failed);
 *   grouping  regroup() turns the tunes' prompts into rows, keeping the
 *             row objects of the keys that stay, and the rows shown
 *             (show()) with one ::items-changed when they differ;
 *   polling   pending prompts through AtelierPoller; an answer updates
 *             its cell in place (AtelierRunRow::changed);
 *   likes     counted per row, per tune and for the run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atelier-models-private.h"
#include "atelier-poller.h"
#include "atelier-run-matrix-private.h"

#define DEFAULT_POLL_INTERVAL_MS 2000
/* The tunes' lists of a pass land within a few milliseconds of each
 * other: one regrouping for those that land this close together. */
#define REGROUP_DELAY_MS         40
#define RATE_LIMIT_PAUSE_MS      30000

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

static void list_all       (AtelierRunMatrix *self);
static void list_tune      (AtelierRunMatrix *self,
                            guint             column);
static void regroup        (AtelierRunMatrix *self);

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

/* {{{ Helpers */

static gint64
time_us (GDateTime *date)
{
  return g_date_time_to_unix (date) * G_USEC_PER_SEC + g_date_time_get_microsecond (date);
}

static gboolean
prompt_before (AtelierPrompt *prompt,
               gint64         when_us)
{
  GDateTime *created = atelier_prompt_get_created_at (prompt);

  return created != NULL && time_us (created) < when_us;
}

/* Which of two prompts for one cell is the run's: made after the start
 * before made in the skew margin, then the earlier. Negative: @a. */
static int
compare_rank (AtelierRunMatrix *self,
              AtelierPrompt    *a,
              AtelierPrompt    *b)
{
  GDateTime *ca = atelier_prompt_get_created_at (a);
  GDateTime *cb = atelier_prompt_get_created_at (b);
  gboolean a_before = ca != NULL && time_us (ca) < self->start_us;
  gboolean b_before = cb != NULL && time_us (cb) < self->start_us;
  gint64 ida = atelier_prompt_get_id (a);
  gint64 idb = atelier_prompt_get_id (b);

  if (a_before != b_before)
    return a_before ? 1 : -1;
  if (ca != NULL && cb != NULL && g_date_time_compare (ca, cb) != 0)
    return g_date_time_compare (ca, cb);
  return ida < idb ? -1 : ida > idb;
}

static int
compare_by_id (gconstpointer a,
               gconstpointer b)
{
  gint64 ida = atelier_prompt_get_id (*(AtelierPrompt **) a);
  gint64 idb = atelier_prompt_get_id (*(AtelierPrompt **) b);

  return ida < idb ? -1 : ida > idb;
}

static gboolean
is_finished (AtelierPrompt *prompt)
{
  return atelier_prompt_get_state (prompt) != ATELIER_PROMPT_STATE_PENDING;
}

static gboolean
is_liked (AtelierRunMatrix *self,
          AtelierPrompt    *prompt)
{
  return prompt != NULL && self->likes != NULL &&
         atelier_likes_is_liked (self->likes, atelier_prompt_get_id (prompt));
}

static void
set_flag (AtelierRunMatrix *self,
          gboolean         *field,
          gboolean          value,
          guint             prop)
{
  _atelier_set_flag (self, field, value, properties[prop]);
}

static void
update_rate_limited (AtelierRunMatrix *self)
{
  set_flag (self, &self->rate_limited,
            self->list_limited || atelier_poller_get_rate_limited (self->poller),
            PROP_RATE_LIMITED);
}

/* }}} */

/* {{{ Counting and showing */

/* Counts likes, prompts and pending prompts; notifies what changed and
 * emits ::tune-changed for each tune whose state, prompts or likes
 * changed. */
static void
recount (AtelierRunMatrix *self)
{
  guint n_likes = 0;
  guint n_pending = 0;
  guint n_prompts = 0;
  g_autofree guint *column_likes = g_new0 (guint, MAX (self->n_columns, 1));

  for (guint i = 0; i < self->all_rows->len; i++)
    {
      AtelierRunRow *row = g_ptr_array_index (self->all_rows, i);

      for (guint c = 0; c < self->n_columns; c++)
        {
          AtelierRunCellState state = atelier_run_row_get_state (row, c);

          if (state == ATELIER_RUN_CELL_EMPTY)
            continue;
          n_prompts++;
          n_pending += state == ATELIER_RUN_CELL_PENDING;
          if (atelier_run_row_is_liked (row, c))
            {
              column_likes[c]++;
              n_likes++;
            }
        }
    }

  for (guint c = 0; c < self->n_columns; c++)
    {
      Column *column = &self->columns[c];
      gboolean changed = column->n_likes != column_likes[c] || column->told_state != column->state ||
                         column->told_prompts != column->prompts->len;

      column->n_likes = column_likes[c];
      column->told_state = column->state;
      column->told_prompts = column->prompts->len;
      if (changed)
        g_signal_emit (self, signals[TUNE_CHANGED], 0, c);
    }

  _atelier_set_count (self, &self->n_likes, n_likes, properties[PROP_N_LIKES]);
  _atelier_set_count (self, &self->n_pending, n_pending, properties[PROP_N_PENDING]);
  _atelier_set_count (self, &self->n_prompts, n_prompts, properties[PROP_N_PROMPTS]);
}

static int
compare_order (gconstpointer a,
               gconstpointer b)
{
  gint64 oa = atelier_run_row_get_order (*(AtelierRunRow **) a);
  gint64 ob = atelier_run_row_get_order (*(AtelierRunRow **) b);

  return oa < ob ? -1 : oa > ob;
}

static int
compare_likes (gconstpointer a,
               gconstpointer b)
{
  guint la = atelier_run_row_get_n_likes (*(AtelierRunRow **) a);
  guint lb = atelier_run_row_get_n_likes (*(AtelierRunRow **) b);

  if (la != lb)
    return la > lb ? -1 : 1;
  return compare_order (a, b);
}

/* The rows shown, after the filter and the sort; one ::items-changed
 * when they differ from those listed. */
static void
show (AtelierRunMatrix *self)
{
  g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean same;
  guint removed;

  for (guint i = 0; i < self->all_rows->len; i++)
    {
      AtelierRunRow *row = g_ptr_array_index (self->all_rows, i);

      if (!self->liked_only || atelier_run_row_get_n_likes (row) > 0)
        g_ptr_array_add (shown, g_object_ref (row));
    }
  if (self->sort == ATELIER_RUN_MATRIX_SORT_LIKES)
    g_ptr_array_sort (shown, compare_likes);

  same = shown->len == self->shown->len;
  for (guint i = 0; same && i < shown->len; i++)
    same = g_ptr_array_index (shown, i) == g_ptr_array_index (self->shown, i);
  if (same)
    return;

  removed = self->shown->len;
  g_ptr_array_unref (self->shown);
  self->shown = g_steal_pointer (&shown);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->shown->len);
}

/* }}} */

/* {{{ Grouping */

typedef struct
{
  char          *text;
  gint64         orig_prompt_id;
  gint64         order;
  AtelierPrompt *cells[];     /* (unowned) n_columns */
} Group;

static Group *
group_new (guint n_columns)
{
  return g_malloc0 (sizeof (Group) + sizeof (AtelierPrompt *) * MAX (n_columns, 1));
}

static void
group_free (Group *group)
{
  g_free (group->text);
  g_free (group);
}

static char *
normalized (AtelierRunMatrix *self,
            guint             column,
            AtelierPrompt    *prompt)
{
  return atelier_run_row_normalize_text (atelier_prompt_get_text (prompt),
                                         atelier_pack_run_get_tune_token (self->run, column),
                                         atelier_pack_run_get_tune_class (self->run, column));
}

/* The key of @prompt, the @index-th of its tune: by orig_prompt_id, by
 * text, or by position. */
static char *
key_for (AtelierRunMatrix *self,
         guint             column,
         guint             index,
         AtelierPrompt    *prompt,
         gboolean          by_position,
         char            **text)
{
  gint64 orig = atelier_prompt_get_orig_prompt_id (prompt);
  g_autofree char *plain = normalized (self, column, prompt);
  g_autofree char *folded = NULL;

  *text = g_strdup (plain);
  if (by_position)
    return g_strdup_printf ("p:%u", index);
  if (orig != 0)
    return g_strdup_printf ("o:%" G_GINT64_FORMAT, orig);

  folded = g_utf8_casefold (plain, -1);
  return g_strconcat ("t:", folded, NULL);
}

/* The groups of every tune's prompts, by @by_position or not. */
static GHashTable *
make_groups (AtelierRunMatrix *self,
             gboolean          by_position)
{
  GHashTable *groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) group_free);

  for (guint c = 0; c < self->n_columns; c++)
    {
      Column *column = &self->columns[c];

      if (column->state == ATELIER_RUN_TUNE_GONE)
        continue;

      for (guint i = 0; i < column->prompts->len; i++)
        {
          AtelierPrompt *prompt = g_ptr_array_index (column->prompts, i);
          g_autofree char *text = NULL;
          g_autofree char *key = key_for (self, c, i, prompt, by_position, &text);
          Group *group = g_hash_table_lookup (groups, key);
          gint64 order = by_position ? (gint64) i : atelier_prompt_get_id (prompt);

          if (group == NULL)
            {
              group = group_new (self->n_columns);
              group->text = g_steal_pointer (&text);
              group->orig_prompt_id = atelier_prompt_get_orig_prompt_id (prompt);
              group->order = order;
              g_hash_table_insert (groups, g_steal_pointer (&key), group);
            }
          else
            {
              group->order = MIN (group->order, order);
            }

          if (group->cells[c] == NULL || compare_rank (self, prompt, group->cells[c]) < 0)
            group->cells[c] = prompt;
        }
    }

  return groups;
}

static GHashTable *
make_all_groups (AtelierRunMatrix *self)
{
  GHashTable *groups = make_groups (self, FALSE);
  guint most = 0;

  if (atelier_pack_run_get_kind (self->run) != ATELIER_PACK_RUN_THEME)
    return groups;

  /* A theme's ideas that do not line up by text (the service wrote each
   * tune's own): by position. */
  for (guint c = 0; c < self->n_columns; c++)
    {
      if (self->columns[c].state != ATELIER_RUN_TUNE_GONE)
        most = MAX (most, self->columns[c].prompts->len);
    }
  if (g_hash_table_size (groups) <= most)
    return groups;

  g_hash_table_unref (groups);
  return make_groups (self, TRUE);
}

static void
track (AtelierRunMatrix *self,
       AtelierPrompt    *prompt)
{
  gint64 id = atelier_prompt_get_id (prompt);
  gboolean pending = !is_finished (prompt);

  if (pending)
    g_hash_table_add (self->tracked, g_memdup2 (&id, sizeof id));
  if (atelier_poller_track (self->poller, id, G_OBJECT (prompt), pending) || !pending)
    g_hash_table_remove (self->tracked, &id);
}

/* Rows from the tunes' prompts: rows of keys that stay are kept and
 * updated, new ones made, the others dropped. */
static void
regroup (AtelierRunMatrix *self)
{
  g_autoptr(GHashTable) groups = make_all_groups (self);
  g_autoptr(GHashTable) rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_autoptr(GPtrArray) changed = g_ptr_array_new ();
  g_autoptr(GHashTable) old_tracked = g_steal_pointer (&self->tracked);
  GHashTableIter iter;
  const char *key;
  Group *group;
  gint64 *id;

  self->tracked = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_hash_table_remove_all (self->cells);
  g_ptr_array_set_size (self->all_rows, 0);

  g_hash_table_iter_init (&iter, groups);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, (gpointer *) &group))
    {
      AtelierRunRow *row = g_hash_table_lookup (self->rows_by_key, key);
      gboolean row_changed = FALSE;

      if (row != NULL)
        g_object_ref (row);
      else
        row = atelier_run_row_new (key, self->n_columns);

      row_changed |= atelier_run_row_set_text (row, group->text, group->orig_prompt_id);
      atelier_run_row_set_order (row, group->order);
      for (guint c = 0; c < self->n_columns; c++)
        {
          AtelierPrompt *prompt = group->cells[c];

          row_changed |= atelier_run_row_set_prompt (row, c, prompt);
          row_changed |= atelier_run_row_set_liked (row, c, is_liked (self, prompt));
          if (prompt != NULL)
            {
              Where *where = g_new (Where, 1);
              gint64 prompt_id = atelier_prompt_get_id (prompt);

              where->row = row;
              where->column = c;
              g_hash_table_insert (self->cells, g_memdup2 (&prompt_id, sizeof prompt_id), where);
              track (self, prompt);
            }
        }

      if (row_changed)
        g_ptr_array_add (changed, row);
      g_ptr_array_add (self->all_rows, g_object_ref (row));
      g_hash_table_insert (rows, g_strdup (key), row);
    }

  g_ptr_array_sort (self->all_rows, compare_order);
  g_hash_table_unref (self->rows_by_key);
  self->rows_by_key = g_steal_pointer (&rows);

  /* Prompts that left the run (their tune went) are polled no more. */
  g_hash_table_iter_init (&iter, old_tracked);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
    {
      if (!g_hash_table_contains (self->cells, id))
        atelier_poller_forget (self->poller, *id);
    }

  show (self);
  for (guint i = 0; i < changed->len; i++)
    atelier_run_row_emit_changed (g_ptr_array_index (changed, i));
  recount (self);
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
  when = time_us (created);
  return when >= self->start_us - self->skew_us &&
         when <= self->start_us + (gint64) ATELIER_RUN_MATRIX_CREATE_WINDOW_S * G_USEC_PER_SEC;
}

static int
compare_rank_cb (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  return compare_rank (user_data, *(AtelierPrompt **) a, *(AtelierPrompt **) b);
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
      if (where != NULL && !is_finished (prompt))
        {
          AtelierPrompt *known = atelier_run_row_get_prompt (where->row, where->column);

          if (known != NULL && atelier_prompt_get_id (known) == id && is_finished (known))
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

  g_ptr_array_sort (kept, compare_by_id);

  return kept;
}

static gboolean
any_listing (AtelierRunMatrix *self)
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
  regroup (self);

  return G_SOURCE_REMOVE;
}

/* Rows from the lists now when the pass is over, else a moment later
 * with the lists that land meanwhile. */
static void
queue_regroup (AtelierRunMatrix *self)
{
  if (!any_listing (self))
    {
      g_clear_handle_id (&self->regroup_source, g_source_remove);
      regroup (self);
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
  list_all (self);

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

  set_flag (self, &self->creating, still_creating (self), PROP_CREATING);
  set_flag (self, &self->loading, FALSE, PROP_LOADING);

  if (!self->creating && !failed)
    return;

  schedule_pass (self, self->relist_delay_ms);
  self->relist_delay_ms = MIN (self->relist_delay_ms * 2, MAX (ATELIER_RUN_MATRIX_RELIST_MAX_MS, self->relist_base_ms));
}

static void
column_done (AtelierRunMatrix *self)
{
  if (!any_listing (self))
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
          g_signal_emit (self, signals[TUNE_CHANGED], 0, call->column);
          queue_regroup (self);
        }
      else
        {
          if (g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_RATE_LIMITED))
            {
              /* Still limited after the client's own waits. */
              self->paused_until = MAX (self->paused_until,
                                        g_get_monotonic_time () + (gint64) RATE_LIMIT_PAUSE_MS * 1000);
              set_flag (self, &self->list_limited, TRUE, PROP_RATE_LIMITED);
              update_rate_limited (self);
            }
          column->state = ATELIER_RUN_TUNE_FAILED;
          g_clear_error (&column->error);
          column->error = g_steal_pointer (&error);
          g_signal_emit (self, signals[TUNE_CHANGED], 0, call->column);
        }

      column_done (self);
      return;
    }

  if (g_get_monotonic_time () >= self->paused_until && self->list_limited)
    {
      self->list_limited = FALSE;
      update_rate_limited (self);
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
static void
list_all (AtelierRunMatrix *self)
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

/* {{{ Polls, likes, rate limits */

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

static void
answered_cb (AtelierRunMatrix *self,
             GObject          *item)
{
  AtelierPrompt *prompt = ATELIER_PROMPT (item);
  gint64 id = atelier_prompt_get_id (prompt);
  Where *where = g_hash_table_lookup (self->cells, &id);
  GPtrArray *prompts;

  if (where == NULL)
    {
      atelier_poller_forget (self->poller, id);
      return;
    }

  prompts = self->columns[where->column].prompts;
  for (guint i = 0; i < prompts->len; i++)
    {
      if (atelier_prompt_get_id (g_ptr_array_index (prompts, i)) == id)
        {
          g_object_unref (g_ptr_array_index (prompts, i));
          g_ptr_array_index (prompts, i) = g_object_ref (prompt);
          break;
        }
    }

  track (self, prompt);
  if (atelier_run_row_set_prompt (where->row, where->column, prompt))
    {
      atelier_run_row_emit_changed (where->row);
      recount (self);
    }
}

/* A prompt of the run went: its tune too, perhaps. Listing it says. */
static void
gone_cb (AtelierRunMatrix *self,
         gint64            prompt_id)
{
  Where *where = g_hash_table_lookup (self->cells, &prompt_id);

  g_hash_table_remove (self->tracked, &prompt_id);
  if (where != NULL && self->active)
    list_tune (self, where->column);
}

static void
likes_changed_cb (AtelierRunMatrix *self,
                  gint64            prompt_id,
                  gboolean          liked)
{
  gboolean any = FALSE;

  if (prompt_id == 0)
    {
      for (guint i = 0; i < self->all_rows->len; i++)
        {
          AtelierRunRow *row = g_ptr_array_index (self->all_rows, i);
          gboolean row_changed = FALSE;

          for (guint c = 0; c < self->n_columns; c++)
            row_changed |= atelier_run_row_set_liked (row, c, is_liked (self, atelier_run_row_get_prompt (row, c)));
          if (row_changed)
            atelier_run_row_emit_changed (row);
          any |= row_changed;
        }
    }
  else
    {
      Where *where = g_hash_table_lookup (self->cells, &prompt_id);

      if (where != NULL && atelier_run_row_set_liked (where->row, where->column, liked))
        {
          atelier_run_row_emit_changed (where->row);
          any = TRUE;
        }
    }

  if (!any)
    return;

  if (self->liked_only || self->sort == ATELIER_RUN_MATRIX_SORT_LIKES)
    show (self);
  recount (self);
}

static void
retry_scheduled_cb (AtelierRunMatrix *self,
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
  update_rate_limited (self);
  if (self->relist_source != 0)
    schedule_pass (self, 0);
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
  g_signal_connect_object (self->poller, "answered", G_CALLBACK (answered_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->poller, "gone", G_CALLBACK (gone_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->poller, "notify::rate-limited", G_CALLBACK (update_rate_limited), self,
                           G_CONNECT_SWAPPED);
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
  self->start_us = time_us (atelier_pack_run_get_started_at (run));

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
      g_signal_connect_swapped (client, "retry-scheduled", G_CALLBACK (retry_scheduled_cb), self);
      atelier_poller_set_client (self->poller, client);
    }
  if (likes != NULL)
    {
      self->likes = g_object_ref (likes);
      g_signal_connect_swapped (likes, "changed", G_CALLBACK (likes_changed_cb), self);
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
  list_all (self);
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
    list_all (self);
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
  show (self);
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
  show (self);
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
  return any_listing (self) || self->relist_source != 0 || self->regroup_source != 0 ||
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
