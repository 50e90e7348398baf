/* atelier-run-matrix-view.c: a test run's matrix on screen
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-run-grid.h"
#include "atelier-run-matrix-view.h"

struct _AtelierRunMatrixView
{
  GtkWidget          parent_instance;

  GtkWidget         *scrolled_window;
  GtkWidget         *grid;

  AtelierRunMatrix  *matrix;
};

G_DEFINE_FINAL_TYPE (AtelierRunMatrixView, atelier_run_matrix_view, GTK_TYPE_WIDGET)

static const char css[] =
  "atelier-run-grid { background-color: @view_bg_color; }\n"
  "atelier-run-grid .run-grid-header { font-size: 0.9em; }\n"
  "atelier-run-cell { border-radius: 8px; background-color: alpha(currentColor, 0.08); }\n"
  "atelier-run-cell > picture.thumbnail { border-radius: 8px; }\n"
  "atelier-run-cell:focus-visible { outline: 2px solid @accent_color; outline-offset: -2px; }\n"
  "atelier-run-cell .count-badge { padding: 2px 7px; border-radius: 999px; color: white;"
  " background-color: alpha(black, 0.6); }\n"
  "atelier-run-cell .like-button.liked, button.like-button.liked { color: #e01b24; }\n"
  "atelier-run-cell .warning { color: @warning_color; }\n"
  ".atelier-run-prompt { font-weight: 500; }\n";

static void
ensure_css (void)
{
  static gboolean loaded;
  g_autoptr(GtkCssProvider) provider = NULL;

  if (loaded || gdk_display_get_default () == NULL)
    return;
  loaded = TRUE;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider, css, -1);
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

GtkWidget *
atelier_run_matrix_view_new (AtelierRunMatrix  *matrix,
                             AtelierImageCache *cache)
{
  AtelierRunMatrixView *self;

  g_return_val_if_fail (ATELIER_IS_RUN_MATRIX (matrix), NULL);
  g_return_val_if_fail (cache == NULL || ATELIER_IS_IMAGE_CACHE (cache), NULL);

  self = g_object_new (ATELIER_TYPE_RUN_MATRIX_VIEW, NULL);
  self->matrix = g_object_ref (matrix);
  self->grid = atelier_run_grid_new (matrix, cache);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scrolled_window), self->grid);

  return GTK_WIDGET (self);
}

AtelierRunMatrix *
atelier_run_matrix_view_get_matrix (AtelierRunMatrixView *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_MATRIX_VIEW (self), NULL);
  return self->matrix;
}

GtkScrolledWindow *
atelier_run_matrix_view_get_scrolled_window (AtelierRunMatrixView *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_MATRIX_VIEW (self), NULL);
  return GTK_SCROLLED_WINDOW (self->scrolled_window);
}

const char *
atelier_run_matrix_view_get_header (AtelierRunMatrixView *self,
                                    guint                 index)
{
  g_return_val_if_fail (ATELIER_IS_RUN_MATRIX_VIEW (self), NULL);
  return atelier_run_grid_get_header (ATELIER_RUN_GRID (self->grid), index);
}

/* {{{ Cells in sight */

typedef struct
{
  GtkWidget      *viewport;
  guint           visible;
  guint           waiting;
  gint64          prompt_id;
  AtelierRunCell *found;
} Walk;

static gboolean
in_sight (GtkWidget *child,
          GtkWidget *viewport)
{
  graphene_rect_t bounds;

  if (!gtk_widget_compute_bounds (child, viewport, &bounds))
    return FALSE;

  return bounds.origin.y + bounds.size.height > 0 && bounds.origin.y < gtk_widget_get_height (viewport) &&
         bounds.origin.x + bounds.size.width > 0 && bounds.origin.x < gtk_widget_get_width (viewport);
}

static void
walk_cells (GtkWidget *grid,
            Walk      *walk)
{
  for (GtkWidget *child = gtk_widget_get_first_child (grid);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AtelierPrompt *prompt;

      if (!ATELIER_IS_RUN_CELL (child) || !gtk_widget_get_child_visible (child) ||
          atelier_run_cell_get_row (ATELIER_RUN_CELL (child)) == NULL || !in_sight (child, walk->viewport))
        continue;

      walk->visible++;
      if (!atelier_run_cell_is_ready (ATELIER_RUN_CELL (child)))
        walk->waiting++;
      prompt = atelier_run_cell_get_prompt (ATELIER_RUN_CELL (child));
      if (walk->found == NULL && prompt != NULL && atelier_prompt_get_id (prompt) == walk->prompt_id)
        walk->found = ATELIER_RUN_CELL (child);
    }
}

guint
atelier_run_matrix_view_count_visible_cells (AtelierRunMatrixView *self,
                                             guint                *waiting)
{
  Walk walk = { self->scrolled_window, 0, 0, 0, NULL };

  g_return_val_if_fail (ATELIER_IS_RUN_MATRIX_VIEW (self), 0);

  walk_cells (self->grid, &walk);
  if (waiting != NULL)
    *waiting = walk.waiting;
  return walk.visible;
}

AtelierRunCell *
atelier_run_matrix_view_find_cell (AtelierRunMatrixView *self,
                                   gint64                prompt_id)
{
  Walk walk = { self->scrolled_window, 0, 0, prompt_id, NULL };
  guint column = 0;
  AtelierRunRow *row;

  g_return_val_if_fail (ATELIER_IS_RUN_MATRIX_VIEW (self), NULL);

  walk_cells (self->grid, &walk);
  if (walk.found != NULL)
    return walk.found;

  /* Out of sight: scrolled to, it is made. */
  row = atelier_run_matrix_find_prompt (self->matrix, prompt_id, &column);
  for (guint i = 0; row != NULL && i < g_list_model_get_n_items (G_LIST_MODEL (self->matrix)); i++)
    {
      g_autoptr(AtelierRunRow) shown = g_list_model_get_item (G_LIST_MODEL (self->matrix), i);

      if (shown == row)
        {
          atelier_run_grid_scroll_to (ATELIER_RUN_GRID (self->grid), i, column);
          break;
        }
    }

  return NULL;
}

/* }}} */

/* {{{ GObject */

static void
atelier_run_matrix_view_dispose (GObject *object)
{
  AtelierRunMatrixView *self = ATELIER_RUN_MATRIX_VIEW (object);

  g_clear_pointer (&self->scrolled_window, gtk_widget_unparent);
  self->grid = NULL;
  g_clear_object (&self->matrix);

  G_OBJECT_CLASS (atelier_run_matrix_view_parent_class)->dispose (object);
}

static void
atelier_run_matrix_view_class_init (AtelierRunMatrixViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atelier_run_matrix_view_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "atelier-run-matrix-view");
}

static void
atelier_run_matrix_view_init (AtelierRunMatrixView *self)
{
  ensure_css ();

  self->scrolled_window = gtk_scrolled_window_new ();
  gtk_widget_set_hexpand (self->scrolled_window, TRUE);
  gtk_widget_set_vexpand (self->scrolled_window, TRUE);
  gtk_widget_set_parent (self->scrolled_window, GTK_WIDGET (self));
}

/* }}} */
