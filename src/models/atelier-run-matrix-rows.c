/* atelier-run-matrix-rows.c: AtelierRunMatrix, the rows and their counts
 *
 * The grouping, polling and likes parts of AtelierRunMatrix: regroup()
 * turns the tunes' prompts into rows, keeping the row objects of the keys
 * that stay, and the rows shown (show()) with one ::items-changed when
 * they differ; a poll's answer updates its cell in place
 * (AtelierRunRow::changed), as a like does; likes are counted per row,
 * per tune and for the run (recount()). The tunes' prompts are listed in
 * atelier-run-matrix-listing.c; the class itself is in
 * atelier-run-matrix.c, the instance struct in
 * atelier-run-matrix-private.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-run-matrix-private.h"

/* {{{ Helpers */

/* Which of two prompts for one cell is the run's: made after the start
 * before made in the skew margin, then the earlier. Negative: @a. */
int
_atelier_run_matrix_compare_rank (AtelierRunMatrix *self,
                                  AtelierPrompt    *a,
                                  AtelierPrompt    *b)
{
  GDateTime *ca = atelier_prompt_get_created_at (a);
  GDateTime *cb = atelier_prompt_get_created_at (b);
  gboolean a_before = ca != NULL && _atelier_run_matrix_time_us (ca) < self->start_us;
  gboolean b_before = cb != NULL && _atelier_run_matrix_time_us (cb) < self->start_us;
  gint64 ida = atelier_prompt_get_id (a);
  gint64 idb = atelier_prompt_get_id (b);

  if (a_before != b_before)
    return a_before ? 1 : -1;
  if (ca != NULL && cb != NULL && g_date_time_compare (ca, cb) != 0)
    return g_date_time_compare (ca, cb);
  return ida < idb ? -1 : ida > idb;
}

int
_atelier_run_matrix_compare_by_id (gconstpointer a,
                                   gconstpointer b)
{
  gint64 ida = atelier_prompt_get_id (*(AtelierPrompt **) a);
  gint64 idb = atelier_prompt_get_id (*(AtelierPrompt **) b);

  return ida < idb ? -1 : ida > idb;
}

static gboolean
is_liked (AtelierRunMatrix *self,
          AtelierPrompt    *prompt)
{
  return prompt != NULL && self->likes != NULL &&
         atelier_likes_is_liked (self->likes, atelier_prompt_get_id (prompt));
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
        _atelier_run_matrix_emit_tune_changed (self, c);
    }

  _atelier_run_matrix_set_counts (self, n_likes, n_pending, n_prompts);
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
void
_atelier_run_matrix_show (AtelierRunMatrix *self)
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

          if (group->cells[c] == NULL || _atelier_run_matrix_compare_rank (self, prompt, group->cells[c]) < 0)
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
  gboolean pending = !_atelier_run_matrix_is_finished (prompt);

  if (pending)
    g_hash_table_add (self->tracked, g_memdup2 (&id, sizeof id));
  if (atelier_poller_track (self->poller, id, G_OBJECT (prompt), pending) || !pending)
    g_hash_table_remove (self->tracked, &id);
}

/* Rows from the tunes' prompts: rows of keys that stay are kept and
 * updated, new ones made, the others dropped. */
void
_atelier_run_matrix_regroup (AtelierRunMatrix *self)
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

  _atelier_run_matrix_show (self);
  for (guint i = 0; i < changed->len; i++)
    atelier_run_row_emit_changed (g_ptr_array_index (changed, i));
  recount (self);
}

/* }}} */

/* {{{ Polls and likes */

void
_atelier_run_matrix_answered_cb (AtelierRunMatrix *self,
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

void
_atelier_run_matrix_likes_changed_cb (AtelierRunMatrix *self,
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
    _atelier_run_matrix_show (self);
  recount (self);
}

/* }}} */
