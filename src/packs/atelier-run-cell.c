/* atelier-run-cell.c: one cell of a test run's matrix
 *
 * Built in code, not from a template: the matrix keeps a few dozen of
 * these and rebinds them while scrolling, so each makes its children
 * once and only shows or hides them. Tooltips and accessible texts are
 * set only when they change: setting a tooltip asks the display where
 * the pointer is.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-run-cell.h"

struct _AtelierRunCell
{
  GtkWidget          parent_instance;

  GtkWidget         *picture;
  GtkWidget         *spinner;
  GtkWidget         *warning;
  GtkWidget         *note;       /* no prompt: why */
  GtkWidget         *badge;      /* more images */
  GtkWidget         *like_button;

  AtelierRunMatrix  *matrix;
  AtelierRunRow     *row;
  guint              column;
  AtelierImageCache *cache;
  gulong             changed_id;

  char              *url;        /* the thumbnail shown or loading */
  GCancellable      *cancellable;
  gboolean           ready;
  gint64             like_target;
  char              *label;      /* the accessible label set */
  char              *description;
};

G_DEFINE_FINAL_TYPE (AtelierRunCell, atelier_run_cell, GTK_TYPE_WIDGET)

enum {
  ACTIVATE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_tooltip (GtkWidget  *widget,
             const char *tooltip)
{
  g_autofree char *current = gtk_widget_get_tooltip_text (widget) != NULL
                             ? g_strdup (gtk_widget_get_tooltip_text (widget)) : NULL;

  if (g_strcmp0 (current, tooltip) != 0)
    gtk_widget_set_tooltip_text (widget, tooltip);
}

static void
set_label (AtelierRunCell *self,
           const char     *label,
           const char     *description)
{
  if (g_strcmp0 (self->label, label) != 0)
    {
      g_free (self->label);
      self->label = g_strdup (label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
    }
  if (g_strcmp0 (self->description, description) != 0)
    {
      g_free (self->description);
      self->description = g_strdup (description);
      if (description != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                        description, -1);
      else
        gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
}

static void
cancel_load (AtelierRunCell *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(AtelierRunCell) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = atelier_image_cache_load_finish (ATELIER_IMAGE_CACHE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  self->ready = TRUE;
  if (texture != NULL)
    {
      gtk_picture_set_paintable (GTK_PICTURE (self->picture), GDK_PAINTABLE (texture));
    }
  else
    {
      gtk_image_set_from_icon_name (GTK_IMAGE (self->warning), "image-missing-symbolic");
      gtk_widget_set_visible (self->warning, TRUE);
      set_tooltip (GTK_WIDGET (self), error->message);
    }
}

static int
thumbnail_size (AtelierRunCell *self)
{
  return ATELIER_RUN_CELL_SIZE * MAX (gtk_widget_get_scale_factor (GTK_WIDGET (self)), 1);
}

static void
show_thumbnail (AtelierRunCell *self,
                const char     *url)
{
  g_autoptr(GdkTexture) texture = NULL;
  int size;

  if (g_strcmp0 (self->url, url) == 0)
    {
      /* Shown already, or on its way. */
      self->ready = self->cancellable == NULL;
      return;
    }

  cancel_load (self);
  g_free (self->url);
  self->url = g_strdup (url);
  gtk_picture_set_paintable (GTK_PICTURE (self->picture), NULL);
  self->ready = TRUE;

  if (url == NULL || self->cache == NULL)
    return;

  size = thumbnail_size (self);
  texture = atelier_image_cache_lookup (self->cache, url, size);
  if (texture != NULL)
    {
      gtk_picture_set_paintable (GTK_PICTURE (self->picture), GDK_PAINTABLE (texture));
      return;
    }

  self->ready = FALSE;
  self->cancellable = g_cancellable_new ();
  atelier_image_cache_load_async (self->cache, url, size, self->cancellable, loaded_cb, g_object_ref (self));
}

static void
update_like (AtelierRunCell *self,
             AtelierPrompt  *prompt,
             gboolean        shown)
{
  gboolean liked = shown && atelier_run_row_is_liked (self->row, self->column);
  gint64 id = prompt != NULL ? atelier_prompt_get_id (prompt) : 0;

  gtk_widget_set_visible (self->like_button, shown);
  if (!shown)
    return;

  if (self->like_target != id)
    {
      self->like_target = id;
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->like_button), g_variant_new_int64 (id));
    }

  if (liked != gtk_widget_has_css_class (self->like_button, "liked") ||
      gtk_widget_get_tooltip_text (self->like_button) == NULL)
    {
      if (liked)
        gtk_widget_add_css_class (self->like_button, "liked");
      else
        gtk_widget_remove_css_class (self->like_button, "liked");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->like_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      liked ? _("Unlike") : _("Like"), -1);
      gtk_accessible_update_state (GTK_ACCESSIBLE (self->like_button), GTK_ACCESSIBLE_STATE_PRESSED,
                                   liked ? GTK_ACCESSIBLE_TRISTATE_TRUE : GTK_ACCESSIBLE_TRISTATE_FALSE, -1);
      set_tooltip (self->like_button, liked ? _("Unlike this prompt (a like is for all its images)")
                                            : _("Like this prompt (a like is for all its images)"));
    }
}

void
atelier_run_cell_update (AtelierRunCell *self)
{
  AtelierPrompt *prompt;
  AtelierRunCellState state;
  const char *tune;
  const char *text;
  const char *user_error = NULL;
  g_autofree char *label = NULL;
  const char *note = NULL;
  guint n_images = 0;

  g_return_if_fail (ATELIER_IS_RUN_CELL (self));

  if (self->row == NULL)
    return;

  prompt = atelier_run_row_get_prompt (self->row, self->column);
  state = atelier_run_row_get_state (self->row, self->column);
  tune = atelier_run_matrix_get_tune_title (self->matrix, self->column);
  text = atelier_run_row_get_text (self->row);

  switch (state)
    {
    case ATELIER_RUN_CELL_DONE:
      n_images = atelier_prompt_get_n_images (prompt);
      /* Translators: a cell of the test run's matrix: prompt, tune, count */
      label = g_strdup_printf (ngettext ("%s, on %s: %u image", "%s, on %s: %u images", n_images),
                               text, tune, n_images);
      break;
    case ATELIER_RUN_CELL_PENDING:
      /* Translators: a cell of the test run's matrix: prompt, tune */
      label = g_strdup_printf (_("%s, on %s: rendering"), text, tune);
      break;
    case ATELIER_RUN_CELL_FAILED:
      user_error = atelier_prompt_get_user_error (prompt);
      /* Translators: a cell of the test run's matrix: prompt, tune */
      label = g_strdup_printf (_("%s, on %s: failed"), text, tune);
      break;
    case ATELIER_RUN_CELL_EMPTY:
    default:
      if (atelier_run_matrix_get_tune_state (self->matrix, self->column) == ATELIER_RUN_TUNE_GONE)
        note = _("Tune deleted");
      else if (atelier_run_matrix_is_creating (self->matrix))
        note = _("Not made yet");
      else
        note = _("No prompt");
      /* Translators: a cell of the test run's matrix: prompt, tune, why empty */
      label = g_strdup_printf (_("%s, on %s: %s"), text, tune, note);
      break;
    }

  set_label (self, label, user_error);
  /* Every cell takes the focus, so that the arrow keys go through them
   * all; only a done one opens. */
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);

  /* The thumbnail */
  show_thumbnail (self, n_images > 0 ? atelier_prompt_get_images (prompt)[0] : NULL);
  if (n_images > 1)
    {
      char count[16];

      g_snprintf (count, sizeof count, "+%u", n_images - 1);
      gtk_label_set_label (GTK_LABEL (self->badge), count);
    }
  gtk_widget_set_visible (self->badge, n_images > 1);

  /* Rendering, failed, nothing */
  gtk_widget_set_visible (self->spinner, state == ATELIER_RUN_CELL_PENDING);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), state == ATELIER_RUN_CELL_PENDING);
  if (state == ATELIER_RUN_CELL_FAILED)
    gtk_image_set_from_icon_name (GTK_IMAGE (self->warning), "dialog-warning-symbolic");
  gtk_widget_set_visible (self->warning, state == ATELIER_RUN_CELL_FAILED);
  /* One text per state (the failure's own), so that scrolling through
   * done cells never sets it. */
  switch (state)
    {
    case ATELIER_RUN_CELL_DONE:
      set_tooltip (GTK_WIDGET (self), _("Open this prompt’s images"));
      break;
    case ATELIER_RUN_CELL_PENDING:
      set_tooltip (GTK_WIDGET (self), _("The service is rendering this prompt"));
      break;
    case ATELIER_RUN_CELL_FAILED:
      set_tooltip (GTK_WIDGET (self), user_error);
      break;
    case ATELIER_RUN_CELL_EMPTY:
    default:
      if (gtk_widget_get_has_tooltip (GTK_WIDGET (self)))
        set_tooltip (GTK_WIDGET (self), NULL);
      break;
    }
  if (note != NULL)
    gtk_label_set_label (GTK_LABEL (self->note), note);
  gtk_widget_set_visible (self->note, note != NULL);

  update_like (self, prompt, state == ATELIER_RUN_CELL_DONE);
}

static void
row_changed_cb (AtelierRunCell *self)
{
  atelier_run_cell_update (self);
}

void
atelier_run_cell_bind (AtelierRunCell    *self,
                       AtelierRunMatrix  *matrix,
                       AtelierRunRow     *row,
                       guint              column,
                       AtelierImageCache *cache)
{
  g_return_if_fail (ATELIER_IS_RUN_CELL (self));
  g_return_if_fail (ATELIER_IS_RUN_MATRIX (matrix));
  g_return_if_fail (ATELIER_IS_RUN_ROW (row));
  g_return_if_fail (column < atelier_run_row_get_n_cells (row));

  atelier_run_cell_unbind (self);

  g_set_object (&self->matrix, matrix);
  g_set_object (&self->cache, cache);
  self->row = g_object_ref (row);
  self->column = column;
  self->changed_id = g_signal_connect_swapped (row, "changed", G_CALLBACK (row_changed_cb), self);

  atelier_run_cell_update (self);
}

void
atelier_run_cell_unbind (AtelierRunCell *self)
{
  g_return_if_fail (ATELIER_IS_RUN_CELL (self));

  /* The cell is about to show another prompt: stop this one's download. */
  cancel_load (self);
  g_clear_pointer (&self->url, g_free);
  gtk_picture_set_paintable (GTK_PICTURE (self->picture), NULL);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), FALSE);
  self->ready = FALSE;

  if (self->row != NULL)
    g_clear_signal_handler (&self->changed_id, self->row);
  g_clear_object (&self->row);
  gtk_widget_set_focusable (GTK_WIDGET (self), FALSE);
}

AtelierRunRow *
atelier_run_cell_get_row (AtelierRunCell *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_CELL (self), NULL);
  return self->row;
}

guint
atelier_run_cell_get_column (AtelierRunCell *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_CELL (self), 0);
  return self->column;
}

AtelierPrompt *
atelier_run_cell_get_prompt (AtelierRunCell *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_CELL (self), NULL);
  return self->row != NULL ? atelier_run_row_get_prompt (self->row, self->column) : NULL;
}

gboolean
atelier_run_cell_is_ready (AtelierRunCell *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_CELL (self), FALSE);
  return self->row == NULL || self->ready;
}

GtkWidget *
atelier_run_cell_get_like_button (AtelierRunCell *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_CELL (self), NULL);
  return self->like_button;
}

/* Click, Enter or Space: the prompt's images in the viewer. */
static void
activate_cb (AtelierRunCell *self)
{
  AtelierPrompt *prompt = atelier_run_cell_get_prompt (self);

  if (prompt == NULL || atelier_prompt_get_state (prompt) != ATELIER_PROMPT_STATE_DONE)
    return;

  gtk_widget_activate_action (GTK_WIDGET (self), "run.open-prompt", "x", atelier_prompt_get_id (prompt));
}

static void
released_cb (GtkGestureClick *gesture,
             int              n_press,
             double           x,
             double           y,
             AtelierRunCell  *self)
{
  GtkWidget *target = gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT);

  /* The like button handles its own clicks. */
  if (target != NULL && (target == self->like_button || gtk_widget_is_ancestor (target, self->like_button)))
    return;

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  g_signal_emit (self, signals[ACTIVATE], 0);
}

static void
atelier_run_cell_dispose (GObject *object)
{
  AtelierRunCell *self = ATELIER_RUN_CELL (object);
  GtkWidget *child;

  atelier_run_cell_unbind (self);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->matrix);
  g_clear_object (&self->cache);

  G_OBJECT_CLASS (atelier_run_cell_parent_class)->dispose (object);
}

static void
atelier_run_cell_finalize (GObject *object)
{
  AtelierRunCell *self = ATELIER_RUN_CELL (object);

  g_free (self->label);
  g_free (self->description);

  G_OBJECT_CLASS (atelier_run_cell_parent_class)->finalize (object);
}

static void
atelier_run_cell_class_init (AtelierRunCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atelier_run_cell_dispose;
  object_class->finalize = atelier_run_cell_finalize;

  /* Opens the prompt's images ("run.open-prompt"). */
  signals[ACTIVATE] = g_signal_new_class_handler ("activate", G_TYPE_FROM_CLASS (klass),
                                                  G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
                                                  G_CALLBACK (activate_cb), NULL, NULL, NULL,
                                                  G_TYPE_NONE, 0);
  gtk_widget_class_set_activate_signal (widget_class, signals[ACTIVATE]);
  gtk_widget_class_add_binding_signal (widget_class, GDK_KEY_Return, 0, "activate", NULL);
  gtk_widget_class_add_binding_signal (widget_class, GDK_KEY_KP_Enter, 0, "activate", NULL);
  gtk_widget_class_add_binding_signal (widget_class, GDK_KEY_space, 0, "activate", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "atelier-run-cell");
  /* Pressed, it opens the images: a button to a screen reader. */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_BUTTON);
}

static GtkWidget *
add_centered (AtelierRunCell *self,
              GtkWidget      *child)
{
  gtk_widget_set_halign (child, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (child, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (child, FALSE);
  gtk_widget_set_parent (child, GTK_WIDGET (self));
  return child;
}

static void
atelier_run_cell_init (AtelierRunCell *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_widget_set_size_request (widget, ATELIER_RUN_CELL_SIZE, ATELIER_RUN_CELL_SIZE);

  /* Only the picture is clipped to the rounded corners: a rounded clip
   * around one texture is cheap for every renderer, around the whole
   * cell (badge, button) GL draws it offscreen. */
  self->picture = gtk_picture_new ();
  gtk_widget_set_overflow (self->picture, GTK_OVERFLOW_HIDDEN);
  gtk_widget_add_css_class (self->picture, "thumbnail");
  gtk_picture_set_can_shrink (GTK_PICTURE (self->picture), TRUE);
  gtk_picture_set_content_fit (GTK_PICTURE (self->picture), GTK_CONTENT_FIT_COVER);
  gtk_widget_set_parent (self->picture, widget);

  self->spinner = add_centered (self, gtk_spinner_new ());
  gtk_widget_set_size_request (self->spinner, 32, 32);

  self->warning = add_centered (self, gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
  gtk_image_set_pixel_size (GTK_IMAGE (self->warning), 48);
  gtk_widget_add_css_class (self->warning, "warning");

  self->note = add_centered (self, gtk_label_new (NULL));
  gtk_label_set_wrap (GTK_LABEL (self->note), TRUE);
  gtk_label_set_justify (GTK_LABEL (self->note), GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (self->note, "dim-label");

  self->badge = gtk_label_new (NULL);
  gtk_widget_set_halign (self->badge, GTK_ALIGN_END);
  gtk_widget_set_valign (self->badge, GTK_ALIGN_START);
  gtk_widget_set_margin_top (self->badge, 6);
  gtk_widget_set_margin_end (self->badge, 6);
  gtk_widget_add_css_class (self->badge, "count-badge");
  gtk_widget_add_css_class (self->badge, "caption");
  gtk_widget_set_visible (self->badge, FALSE);
  gtk_widget_set_parent (self->badge, widget);

  self->like_button = gtk_button_new_from_icon_name ("emblem-favorite-symbolic");
  gtk_widget_set_halign (self->like_button, GTK_ALIGN_END);
  gtk_widget_set_valign (self->like_button, GTK_ALIGN_END);
  gtk_widget_set_margin_end (self->like_button, 6);
  gtk_widget_set_margin_bottom (self->like_button, 6);
  gtk_widget_add_css_class (self->like_button, "circular");
  gtk_widget_add_css_class (self->like_button, "osd");
  gtk_widget_add_css_class (self->like_button, "like-button");
  /* The target first: the action takes a prompt id. */
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->like_button), g_variant_new_int64 (0));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->like_button), "run.toggle-like");
  gtk_widget_set_visible (self->like_button, FALSE);
  gtk_widget_set_parent (self->like_button, widget);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "released", G_CALLBACK (released_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (click));
}

GtkWidget *
atelier_run_cell_new (void)
{
  return g_object_new (ATELIER_TYPE_RUN_CELL, NULL);
}
