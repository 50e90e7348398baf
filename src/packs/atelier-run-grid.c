/* atelier-run-grid.c: a test run's matrix, only what is in sight
 *
 * Geometry: a header row of HEADER_HEIGHT, then rows of ROW_HEIGHT; the
 * prompts' column is what the tunes leave, within PROMPT_MIN_WIDTH and
 * PROMPT_MAX_WIDTH, then
 * COLUMN_WIDTH per tune. Row i lies at HEADER_HEIGHT + i × ROW_HEIGHT in
 * the content, minus the vertical adjustment's value on screen.
 *
 * A slot shows one row: its prompt box and one cell per tune. Slots are
 * kept for the rows in sight (update_slots()), taken from a pool and
 * given back to it; a slot's cell is bound only while its column is in
 * sight, so only what can be seen loads a thumbnail. Children are kept
 * in three layers, in this order: cells, prompt boxes, headers; the
 * snapshot clips the cells to the area right of the prompts and under
 * the headers, so picking (last child first) and drawing agree.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-run-grid.h"

#define PAD              8
#define HEADER_HEIGHT    44
#define ROW_HEIGHT       (ATELIER_RUN_CELL_SIZE + 2 * PAD)
#define COLUMN_WIDTH     (ATELIER_RUN_CELL_SIZE + 2 * PAD)
#define PROMPT_MIN_WIDTH 260
/* Wider, the text lines get long; the rest of a wide window stays empty. */
#define PROMPT_MAX_WIDTH 420

typedef struct
{
  guint          position;
  AtelierRunRow *row;          /* (owned) */
  gulong         changed_id;
  GtkWidget     *prompt;       /* box */
  GtkWidget     *text;
  GtkWidget     *likes;
  GtkWidget    **cells;        /* n_columns */
} Slot;

struct _AtelierRunGrid
{
  GtkWidget            parent_instance;

  AtelierRunMatrix    *matrix;
  AtelierImageCache   *cache;
  guint                n_columns;

  GtkAdjustment       *hadjustment;
  GtkAdjustment       *vadjustment;
  GtkScrollablePolicy  hscroll_policy;
  GtkScrollablePolicy  vscroll_policy;

  GtkWidget           *prompt_header;
  GtkWidget          **tune_headers;  /* n_columns */

  GPtrArray           *slots;         /* Slot in use */
  GPtrArray           *pool;          /* Slot free */
  int                  width;         /* of the last allocation */
  int                  height;
  int                  prompt_width;
};

static void scrollable_init (GtkScrollableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AtelierRunGrid, atelier_run_grid, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, scrollable_init))

enum {
  PROP_0,
  PROP_HADJUSTMENT,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
  N_PROPS
};

static void
scrollable_init (GtkScrollableInterface *iface)
{
}

/* {{{ Headers */

static void
update_header (AtelierRunGrid *self,
               guint           index)
{
  GtkWidget *label = index == 0 ? self->prompt_header : self->tune_headers[index - 1];
  g_autofree char *title = NULL;

  if (index == 0)
    {
      guint n = atelier_run_matrix_get_n_likes (self->matrix);

      /* Translators: the header over the pack's prompts, with the run's likes */
      title = g_strdup_printf (ngettext ("Prompt · %u like in all", "Prompt · %u likes in all", n), n);
    }
  else
    {
      guint tune = index - 1;
      const char *name = atelier_run_matrix_get_tune_title (self->matrix, tune);
      guint n = atelier_run_matrix_get_tune_n_likes (self->matrix, tune);

      switch (atelier_run_matrix_get_tune_state (self->matrix, tune))
        {
        case ATELIER_RUN_TUNE_GONE:
          /* Translators: a column's header: the tune is no longer on the service */
          title = g_strdup_printf (_("%s · deleted"), name);
          break;
        case ATELIER_RUN_TUNE_FAILED:
          /* Translators: a column's header: its prompts could not be listed */
          title = g_strdup_printf (_("%s · not listed"), name);
          break;
        case ATELIER_RUN_TUNE_LISTING:
        case ATELIER_RUN_TUNE_LISTED:
        default:
          /* Translators: a column's header: the tune and its likes */
          title = g_strdup_printf (ngettext ("%s · %u like", "%s · %u likes", n), name, n);
          break;
        }
    }

  /* Plain text: tune names are the user's, never markup. */
  if (g_strcmp0 (gtk_label_get_label (GTK_LABEL (label)), title) != 0)
    gtk_label_set_text (GTK_LABEL (label), title);
}

const char *
atelier_run_grid_get_header (AtelierRunGrid *self,
                             guint           index)
{
  g_return_val_if_fail (ATELIER_IS_RUN_GRID (self), NULL);
  g_return_val_if_fail (index <= self->n_columns, NULL);

  return gtk_label_get_label (GTK_LABEL (index == 0 ? self->prompt_header : self->tune_headers[index - 1]));
}

static GtkWidget *
header_label (AtelierRunGrid *self)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (label), 2);
  gtk_widget_set_margin_start (label, PAD);
  gtk_widget_set_margin_end (label, PAD);
  gtk_widget_add_css_class (label, "run-grid-header");
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_parent (label, GTK_WIDGET (self));
  return label;
}

/* }}} */

/* {{{ Slots */

static void
update_prompt (Slot *slot)
{
  guint n = slot->row != NULL ? atelier_run_row_get_n_likes (slot->row) : 0;
  g_autofree char *likes = g_strdup_printf (ngettext ("%u like", "%u likes", n), n);

  gtk_label_set_label (GTK_LABEL (slot->likes), likes);
}

static Slot *
slot_new (AtelierRunGrid *self)
{
  Slot *slot = g_new0 (Slot, 1);

  slot->prompt = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_valign (slot->prompt, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (slot->prompt, "run-grid-prompt");
  slot->text = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (slot->text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (slot->text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (slot->text), 6);
  gtk_label_set_ellipsize (GTK_LABEL (slot->text), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (slot->text), 0);
  gtk_widget_add_css_class (slot->text, "atelier-run-prompt");
  slot->likes = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (slot->likes), 0);
  gtk_widget_add_css_class (slot->likes, "caption");
  gtk_widget_add_css_class (slot->likes, "dim-label");
  gtk_box_append (GTK_BOX (slot->prompt), slot->text);
  gtk_box_append (GTK_BOX (slot->prompt), slot->likes);
  /* The middle layer: after the cells, before the headers. */
  gtk_widget_insert_before (slot->prompt, GTK_WIDGET (self), self->prompt_header);

  slot->cells = g_new0 (GtkWidget *, MAX (self->n_columns, 1));
  for (guint c = 0; c < self->n_columns; c++)
    {
      slot->cells[c] = atelier_run_cell_new ();
      gtk_widget_set_child_visible (slot->cells[c], FALSE);
      /* The bottom layer. */
      gtk_widget_insert_after (slot->cells[c], GTK_WIDGET (self), NULL);
    }

  return slot;
}

static void
slot_free (gpointer data)
{
  Slot *slot = data;

  if (slot->row != NULL)
    g_clear_signal_handler (&slot->changed_id, slot->row);
  g_clear_object (&slot->row);
  g_free (slot->cells);
  g_free (slot);
}

static void
slot_unparent (Slot *slot,
               guint n_columns)
{
  for (guint c = 0; c < n_columns; c++)
    {
      atelier_run_cell_unbind (ATELIER_RUN_CELL (slot->cells[c]));
      gtk_widget_unparent (slot->cells[c]);
    }
  gtk_widget_unparent (slot->prompt);
}

static void
slot_set_row (AtelierRunGrid *self,
              Slot           *slot,
              AtelierRunRow  *row)
{
  if (slot->row == row)
    return;

  if (slot->row != NULL)
    g_clear_signal_handler (&slot->changed_id, slot->row);
  g_set_object (&slot->row, row);
  for (guint c = 0; c < self->n_columns; c++)
    atelier_run_cell_unbind (ATELIER_RUN_CELL (slot->cells[c]));

  if (row != NULL)
    {
      const char *text = atelier_run_row_get_text (row);

      /* Plain text: the service's words are never read as markup. */
      gtk_label_set_text (GTK_LABEL (slot->text), text[0] != '\0' ? text : _("(no text)"));
      slot->changed_id = g_signal_connect_swapped (row, "changed", G_CALLBACK (update_prompt), slot);
    }
  update_prompt (slot);
}

static void
slot_release (AtelierRunGrid *self,
              Slot           *slot)
{
  slot_set_row (self, slot, NULL);
  gtk_widget_set_child_visible (slot->prompt, FALSE);
  for (guint c = 0; c < self->n_columns; c++)
    gtk_widget_set_child_visible (slot->cells[c], FALSE);
  g_ptr_array_add (self->pool, slot);
}

static int
column_x (AtelierRunGrid *self,
          guint           column)
{
  return self->prompt_width + (int) column * COLUMN_WIDTH - (int) gtk_adjustment_get_value (self->hadjustment);
}

static int
row_y (AtelierRunGrid *self,
       guint           position)
{
  return HEADER_HEIGHT + (int) position * ROW_HEIGHT - (int) gtk_adjustment_get_value (self->vadjustment);
}

static gboolean
column_in_sight (AtelierRunGrid *self,
                 guint           column)
{
  int x = column_x (self, column);

  return x + COLUMN_WIDTH > self->prompt_width && x < self->width;
}

/* Slots for the rows in sight, each bound to its row, their cells bound
 * for the columns in sight. No allocation: callable at any time. */
static void
update_slots (AtelierRunGrid *self)
{
  GListModel *model = G_LIST_MODEL (self->matrix);
  guint n_rows = g_list_model_get_n_items (model);
  double top = gtk_adjustment_get_value (self->vadjustment);
  guint first = 0;
  guint last = 0;
  gboolean any = n_rows > 0 && self->height > HEADER_HEIGHT;

  if (any)
    {
      first = (guint) MAX (top, 0) / ROW_HEIGHT;
      last = (guint) MAX (top + self->height - HEADER_HEIGHT - 1, 0) / ROW_HEIGHT;
      last = MIN (last, n_rows - 1);
      any = first <= last;
    }

  /* Give back the slots out of sight (or whose row moved away). */
  for (guint i = self->slots->len; i > 0; i--)
    {
      Slot *slot = g_ptr_array_index (self->slots, i - 1);

      if (!any || slot->position < first || slot->position > last)
        {
          g_ptr_array_steal_index (self->slots, i - 1);
          slot_release (self, slot);
        }
    }

  for (guint position = first; any && position <= last; position++)
    {
      g_autoptr(AtelierRunRow) row = g_list_model_get_item (model, position);
      Slot *slot = NULL;

      for (guint i = 0; i < self->slots->len && slot == NULL; i++)
        {
          Slot *candidate = g_ptr_array_index (self->slots, i);

          if (candidate->position == position)
            slot = candidate;
        }

      if (slot == NULL)
        {
          slot = self->pool->len > 0 ? g_ptr_array_steal_index (self->pool, self->pool->len - 1) : slot_new (self);
          slot->position = position;
          g_ptr_array_add (self->slots, slot);
        }

      slot_set_row (self, slot, row);
      gtk_widget_set_child_visible (slot->prompt, TRUE);

      for (guint c = 0; c < self->n_columns; c++)
        {
          AtelierRunCell *cell = ATELIER_RUN_CELL (slot->cells[c]);

          if (column_in_sight (self, c))
            {
              if (atelier_run_cell_get_row (cell) != row || atelier_run_cell_get_column (cell) != c)
                atelier_run_cell_bind (cell, self->matrix, row, c, self->cache);
              gtk_widget_set_child_visible (slot->cells[c], TRUE);
            }
          else
            {
              atelier_run_cell_unbind (cell);
              gtk_widget_set_child_visible (slot->cells[c], FALSE);
            }
        }
    }
}

/* Slots for as many rows as the monitor's height shows, made now: a
 * child added while the grid is being allocated would ask for another
 * layout. */
static void
atelier_run_grid_realize (GtkWidget *widget)
{
  AtelierRunGrid *self = ATELIER_RUN_GRID (widget);
  GdkSurface *surface;
  GdkMonitor *monitor = NULL;
  GdkRectangle geometry = { 0, 0, 0, 1080 };
  guint wanted;

  GTK_WIDGET_CLASS (atelier_run_grid_parent_class)->realize (widget);

  surface = gtk_native_get_surface (gtk_widget_get_native (widget));
  if (surface != NULL)
    monitor = gdk_display_get_monitor_at_surface (gtk_widget_get_display (widget), surface);
  if (monitor != NULL)
    gdk_monitor_get_geometry (monitor, &geometry);

  wanted = (guint) MAX (geometry.height, ROW_HEIGHT) / ROW_HEIGHT + 2;
  while (self->slots->len + self->pool->len < wanted)
    {
      Slot *slot = slot_new (self);

      gtk_widget_set_child_visible (slot->prompt, FALSE);
      g_ptr_array_add (self->pool, slot);
    }
}

/* }}} */

/* {{{ Layout */

static int
content_width (AtelierRunGrid *self,
               int             prompt_width)
{
  return prompt_width + (int) self->n_columns * COLUMN_WIDTH;
}

static int
content_height (AtelierRunGrid *self)
{
  return HEADER_HEIGHT + (int) g_list_model_get_n_items (G_LIST_MODEL (self->matrix)) * ROW_HEIGHT;
}

static void
atelier_run_grid_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  AtelierRunGrid *self = ATELIER_RUN_GRID (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = PROMPT_MIN_WIDTH + (self->n_columns > 0 ? COLUMN_WIDTH : 0);
      *natural = MAX (*minimum, content_width (self, PROMPT_MIN_WIDTH));
    }
  else
    {
      *minimum = HEADER_HEIGHT + ROW_HEIGHT;
      *natural = MAX (*minimum, content_height (self));
    }
}

static void
configure (GtkAdjustment *adjustment,
           int            upper,
           int            page,
           int            step)
{
  double value = CLAMP (gtk_adjustment_get_value (adjustment), 0, MAX (upper - page, 0));

  gtk_adjustment_configure (adjustment, value, 0, MAX (upper, page), step, page * 0.9, page);
}

static void
atelier_run_grid_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  AtelierRunGrid *self = ATELIER_RUN_GRID (widget);
  double hvalue = gtk_adjustment_get_value (self->hadjustment);
  double vvalue = gtk_adjustment_get_value (self->vadjustment);
  gboolean moved;

  moved = width != self->width || height != self->height;
  self->width = width;
  self->height = height;
  self->prompt_width = CLAMP (width - (int) self->n_columns * COLUMN_WIDTH, PROMPT_MIN_WIDTH, PROMPT_MAX_WIDTH);

  g_signal_handlers_block_matched (self->hadjustment, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  g_signal_handlers_block_matched (self->vadjustment, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  configure (self->hadjustment, content_width (self, self->prompt_width), width, COLUMN_WIDTH / 4);
  configure (self->vadjustment, content_height (self), height, ROW_HEIGHT / 4);
  g_signal_handlers_unblock_matched (self->hadjustment, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  g_signal_handlers_unblock_matched (self->vadjustment, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);

  /* Scrolling and the matrix's changes bound the slots already; a new
   * size (or a scroll position it clamped) shows other rows. */
  moved |= hvalue != gtk_adjustment_get_value (self->hadjustment) ||
           vvalue != gtk_adjustment_get_value (self->vadjustment);
  if (moved)
    update_slots (self);

  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = g_ptr_array_index (self->slots, i);
      int y = row_y (self, slot->position);

      gtk_widget_size_allocate (slot->prompt,
                                &(GtkAllocation) { PAD, y, self->prompt_width - 2 * PAD, ROW_HEIGHT }, -1);
      for (guint c = 0; c < self->n_columns; c++)
        {
          if (!gtk_widget_get_child_visible (slot->cells[c]))
            continue;
          gtk_widget_size_allocate (slot->cells[c],
                                    &(GtkAllocation) { column_x (self, c) + PAD, y + PAD,
                                                       ATELIER_RUN_CELL_SIZE, ATELIER_RUN_CELL_SIZE }, -1);
        }
    }

  gtk_widget_size_allocate (self->prompt_header,
                            &(GtkAllocation) { 0, 0, self->prompt_width, HEADER_HEIGHT }, -1);
  for (guint c = 0; c < self->n_columns; c++)
    {
      gboolean shown = column_in_sight (self, c);

      gtk_widget_set_child_visible (self->tune_headers[c], shown);
      if (shown)
        gtk_widget_size_allocate (self->tune_headers[c],
                                  &(GtkAllocation) { column_x (self, c), 0, COLUMN_WIDTH, HEADER_HEIGHT }, -1);
    }
}

static void
line (GtkSnapshot *snapshot,
      float        x,
      float        y,
      float        width,
      float        height,
      GdkRGBA     *color)
{
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, width, height));
}

static void
atelier_run_grid_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  AtelierRunGrid *self = ATELIER_RUN_GRID (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA color;
  GdkRGBA separator;
  int right;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS
  /* The rows' lines end with the last tune. */
  right = MIN (width, content_width (self, self->prompt_width) - (int) gtk_adjustment_get_value (self->hadjustment));
  separator = color;
  separator.alpha = 0.15f;

  /* The cells, right of the prompts and under the headers. */
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (self->prompt_width, HEADER_HEIGHT,
                                                         MAX (width - self->prompt_width, 0),
                                                         MAX (height - HEADER_HEIGHT, 0)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      if (ATELIER_IS_RUN_CELL (child))
        gtk_widget_snapshot_child (widget, child, snapshot);
    }
  gtk_snapshot_pop (snapshot);

  /* The prompts, under the headers. */
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, HEADER_HEIGHT, self->prompt_width,
                                                         MAX (height - HEADER_HEIGHT, 0)));
  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = g_ptr_array_index (self->slots, i);
      int y = row_y (self, slot->position);

      gtk_widget_snapshot_child (widget, slot->prompt, snapshot);
      line (snapshot, 0, y + ROW_HEIGHT - 1, self->prompt_width, 1, &separator);
    }
  gtk_snapshot_pop (snapshot);

  /* Rows' separators across the cells too. */
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (self->prompt_width, HEADER_HEIGHT,
                                                         MAX (width - self->prompt_width, 0),
                                                         MAX (height - HEADER_HEIGHT, 0)));
  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = g_ptr_array_index (self->slots, i);

      line (snapshot, self->prompt_width, row_y (self, slot->position) + ROW_HEIGHT - 1,
            MAX (right - self->prompt_width, 0), 1, &separator);
    }
  gtk_snapshot_pop (snapshot);

  /* The headers on top. */
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (self->prompt_width, 0, MAX (width - self->prompt_width, 0),
                                                         HEADER_HEIGHT));
  for (guint c = 0; c < self->n_columns; c++)
    gtk_widget_snapshot_child (widget, self->tune_headers[c], snapshot);
  gtk_snapshot_pop (snapshot);
  gtk_widget_snapshot_child (widget, self->prompt_header, snapshot);
  line (snapshot, 0, HEADER_HEIGHT - 1, MAX (right, self->prompt_width), 1, &separator);
  line (snapshot, self->prompt_width - 1, 0, 1, height, &separator);
}

/* }}} */

/* {{{ Scrolling and keys */

static void
adjustment_changed_cb (AtelierRunGrid *self)
{
  /* Binding here, before the frame's layout: a cell's label that
   * changes queues a resize, which inside size_allocate would ask for
   * yet another layout. */
  update_slots (self);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

static void
set_adjustment (AtelierRunGrid  *self,
                GtkAdjustment  **field,
                GtkAdjustment   *adjustment)
{
  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  if (*field == adjustment)
    return;

  if (*field != NULL)
    g_signal_handlers_disconnect_by_data (*field, self);
  g_set_object (field, adjustment);
  g_signal_connect_swapped (adjustment, "value-changed", G_CALLBACK (adjustment_changed_cb), self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
scroll_into_view (GtkAdjustment *adjustment,
                  double         start,
                  double         end,
                  double         fixed)
{
  double value = gtk_adjustment_get_value (adjustment);
  double page = gtk_adjustment_get_page_size (adjustment) - fixed;

  if (start < value)
    gtk_adjustment_set_value (adjustment, start);
  else if (end > value + page)
    gtk_adjustment_set_value (adjustment, end - page);
}

void
atelier_run_grid_scroll_to (AtelierRunGrid *self,
                            guint           position,
                            guint           column)
{
  g_return_if_fail (ATELIER_IS_RUN_GRID (self));

  scroll_into_view (self->vadjustment, (double) position * ROW_HEIGHT, (double) (position + 1) * ROW_HEIGHT,
                    HEADER_HEIGHT);
  if (column != G_MAXUINT)
    scroll_into_view (self->hadjustment, (double) column * COLUMN_WIDTH, (double) (column + 1) * COLUMN_WIDTH,
                      self->prompt_width);
  update_slots (self);
}

/* The focused cell: its slot and column. */
static Slot *
focused_cell (AtelierRunGrid *self,
              guint          *column)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  while (focus != NULL && !ATELIER_IS_RUN_CELL (focus))
    focus = gtk_widget_get_parent (focus);
  if (focus == NULL)
    return NULL;

  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = g_ptr_array_index (self->slots, i);

      for (guint c = 0; c < self->n_columns; c++)
        {
          if (slot->cells[c] == focus)
            {
              *column = c;
              return slot;
            }
        }
    }

  return NULL;
}

static gboolean
move_cb (GtkWidget *widget,
         GVariant  *args,
         gpointer   user_data)
{
  AtelierRunGrid *self = ATELIER_RUN_GRID (widget);
  guint n_rows = g_list_model_get_n_items (G_LIST_MODEL (self->matrix));
  int dx, dy;
  guint column = 0;
  Slot *slot;
  int position, target_column;

  g_variant_get (args, "(ii)", &dx, &dy);
  slot = focused_cell (self, &column);
  if (slot == NULL || n_rows == 0)
    return FALSE;

  position = CLAMP ((int) slot->position + dy, 0, (int) n_rows - 1);
  target_column = CLAMP ((int) column + dx, 0, (int) self->n_columns - 1);
  atelier_run_grid_scroll_to (self, position, target_column);

  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *target = g_ptr_array_index (self->slots, i);

      if (target->position == (guint) position)
        return gtk_widget_grab_focus (target->cells[target_column]);
    }

  return FALSE;
}

/* }}} */

/* {{{ The matrix's news */

static void
items_changed_cb (AtelierRunGrid *self)
{
  /* Slots whose position now holds another row are rebound. */
  update_slots (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
update_cells (AtelierRunGrid *self,
              guint           column)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (ATELIER_IS_RUN_CELL (child) && atelier_run_cell_get_row (ATELIER_RUN_CELL (child)) != NULL &&
          (column == G_MAXUINT || atelier_run_cell_get_column (ATELIER_RUN_CELL (child)) == column))
        atelier_run_cell_update (ATELIER_RUN_CELL (child));
    }
}

static void
tune_changed_cb (AtelierRunGrid *self,
                 guint           tune)
{
  if (tune >= self->n_columns)
    return;

  update_header (self, tune + 1);
  /* A deleted tune's empty cells say so. */
  update_cells (self, tune);
}

static void
likes_notify_cb (AtelierRunGrid *self)
{
  update_header (self, 0);
}

static void
creating_notify_cb (AtelierRunGrid *self)
{
  /* Empty cells say "not made yet" only while prompts may come. */
  update_cells (self, G_MAXUINT);
}

/* }}} */

/* {{{ GObject */

static void
atelier_run_grid_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  AtelierRunGrid *self = ATELIER_RUN_GRID (object);

  switch (prop_id)
    {
    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;
    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;
    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;
    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_run_grid_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  AtelierRunGrid *self = ATELIER_RUN_GRID (object);

  switch (prop_id)
    {
    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value));
      break;
    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value));
      break;
    case PROP_HSCROLL_POLICY:
      self->hscroll_policy = g_value_get_enum (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;
    case PROP_VSCROLL_POLICY:
      self->vscroll_policy = g_value_get_enum (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_run_grid_dispose (GObject *object)
{
  AtelierRunGrid *self = ATELIER_RUN_GRID (object);

  if (self->matrix != NULL)
    g_signal_handlers_disconnect_by_data (self->matrix, self);
  for (guint i = 0; self->slots != NULL && i < self->slots->len; i++)
    slot_unparent (g_ptr_array_index (self->slots, i), self->n_columns);
  for (guint i = 0; self->pool != NULL && i < self->pool->len; i++)
    slot_unparent (g_ptr_array_index (self->pool, i), self->n_columns);
  g_clear_pointer (&self->slots, g_ptr_array_unref);
  g_clear_pointer (&self->pool, g_ptr_array_unref);
  g_clear_pointer (&self->prompt_header, gtk_widget_unparent);
  for (guint c = 0; self->tune_headers != NULL && c < self->n_columns; c++)
    gtk_widget_unparent (self->tune_headers[c]);
  g_clear_pointer (&self->tune_headers, g_free);
  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->hadjustment, self);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->vadjustment, self);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);
  g_clear_object (&self->matrix);
  g_clear_object (&self->cache);

  G_OBJECT_CLASS (atelier_run_grid_parent_class)->dispose (object);
}

static void
add_move_binding (GtkWidgetClass *widget_class,
                  guint           key,
                  int             dx,
                  int             dy)
{
  gtk_widget_class_add_binding (widget_class, key, 0, move_cb, "(ii)", dx, dy);
}

static void
atelier_run_grid_class_init (AtelierRunGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atelier_run_grid_dispose;
  object_class->get_property = atelier_run_grid_get_property;
  object_class->set_property = atelier_run_grid_set_property;
  widget_class->realize = atelier_run_grid_realize;
  widget_class->measure = atelier_run_grid_measure;
  widget_class->size_allocate = atelier_run_grid_size_allocate;
  widget_class->snapshot = atelier_run_grid_snapshot;

  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  add_move_binding (widget_class, GDK_KEY_Left, -1, 0);
  add_move_binding (widget_class, GDK_KEY_Right, 1, 0);
  add_move_binding (widget_class, GDK_KEY_Up, 0, -1);
  add_move_binding (widget_class, GDK_KEY_Down, 0, 1);

  gtk_widget_class_set_css_name (widget_class, "atelier-run-grid");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
atelier_run_grid_init (AtelierRunGrid *self)
{
  self->slots = g_ptr_array_new_with_free_func (slot_free);
  self->pool = g_ptr_array_new_with_free_func (slot_free);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_focusable (GTK_WIDGET (self), FALSE);
  set_adjustment (self, &self->hadjustment, NULL);
  set_adjustment (self, &self->vadjustment, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Prompts of the pack by tune"), -1);
}

GtkWidget *
atelier_run_grid_new (AtelierRunMatrix  *matrix,
                      AtelierImageCache *cache)
{
  AtelierRunGrid *self;

  g_return_val_if_fail (ATELIER_IS_RUN_MATRIX (matrix), NULL);
  g_return_val_if_fail (cache == NULL || ATELIER_IS_IMAGE_CACHE (cache), NULL);

  self = g_object_new (ATELIER_TYPE_RUN_GRID, NULL);
  self->matrix = g_object_ref (matrix);
  self->cache = cache != NULL ? g_object_ref (cache) : NULL;
  self->n_columns = atelier_run_matrix_get_n_tunes (matrix);

  /* The top layer. */
  self->prompt_header = header_label (self);
  self->tune_headers = g_new0 (GtkWidget *, MAX (self->n_columns, 1));
  for (guint c = 0; c < self->n_columns; c++)
    self->tune_headers[c] = header_label (self);
  for (guint i = 0; i <= self->n_columns; i++)
    update_header (self, i);

  g_signal_connect_object (matrix, "items-changed", G_CALLBACK (items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (matrix, "tune-changed", G_CALLBACK (tune_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (matrix, "notify::n-likes", G_CALLBACK (likes_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (matrix, "notify::creating", G_CALLBACK (creating_notify_cb), self, G_CONNECT_SWAPPED);

  return GTK_WIDGET (self);
}

/* }}} */
