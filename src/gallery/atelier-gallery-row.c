/* atelier-gallery-row.c: one prompt in the gallery
 *
 * Built in code, with its own layout: the gallery keeps about 33 rows and
 * rebinds them while scrolling, reusing their cells. Children: the header
 * (text, details, like and menu buttons) and one AtelierGalleryCell per
 * image, the unused ones hidden.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "atelier-gallery-cell.h"
#include "atelier-gallery-row.h"
#include "atelier-prompt-actions.h"
#include "atelier-widget-utils.h"

#define CELL_SPACING    6
#define HEADER_SPACING  12
/* Beside the images, the text gets at least this much room. */
#define SIDE_MIN_WIDTH  220

struct _AtelierGalleryRow
{
  GtkWidget           parent_instance;

  GtkWidget          *header;
  GtkWidget          *text_label;
  GtkWidget          *local_icon;
  GtkWidget          *meta_label;
  GtkWidget          *like_button;
  GtkWidget          *like_label;
  GtkWidget          *menu_button;
  GPtrArray          *cells;       /* AtelierGalleryCell, the first n_cells shown */
  guint               n_cells;

  AtelierGalleryItem *unit;
  AtelierLikes       *likes;
  char               *tune_title;
};

G_DEFINE_FINAL_TYPE (AtelierGalleryRow, atelier_gallery_row, GTK_TYPE_WIDGET)

enum {
  LOAD_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

char *
atelier_format_age (GDateTime *time,
                    GDateTime *now)
{
  GTimeSpan age;
  gint64 n;

  g_return_val_if_fail (time != NULL && now != NULL, NULL);

  age = g_date_time_difference (now, time);
  if (age < G_TIME_SPAN_MINUTE)
    return g_strdup (_("Just now"));
  if (age < G_TIME_SPAN_HOUR)
    {
      n = age / G_TIME_SPAN_MINUTE;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago", n), (int) n);
    }
  if (age < G_TIME_SPAN_DAY)
    {
      n = age / G_TIME_SPAN_HOUR;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago", n), (int) n);
    }
  if (age < 2 * G_TIME_SPAN_DAY)
    return g_strdup (_("Yesterday"));

  {
    g_autoptr(GDateTime) local = g_date_time_to_local (time);

    /* Translators: a date, see g_date_time_format() */
    return g_date_time_format (local, _("%e %B %Y"));
  }
}

/* Layout: how many images a line holds in @width, and whether the
 * header fits beside them. */

static int
strip_width (guint n)
{
  return n * ATELIER_GALLERY_CELL_SIZE + (n > 0 ? (n - 1) * CELL_SPACING : 0);
}

static gboolean
is_side_by_side (AtelierGalleryRow *self,
                 int                width)
{
  return width >= strip_width (self->n_cells) + HEADER_SPACING + SIDE_MIN_WIDTH;
}

static guint
per_line (int width)
{
  return MAX (1, (width + CELL_SPACING) / (ATELIER_GALLERY_CELL_SIZE + CELL_SPACING));
}

static int
header_height (AtelierGalleryRow *self,
               int                width)
{
  int height;

  gtk_widget_measure (self->header, GTK_ORIENTATION_VERTICAL, width, &height, NULL, NULL, NULL);
  return height;
}

static int
cells_height (AtelierGalleryRow *self,
              int                width)
{
  guint lines = (self->n_cells + per_line (width) - 1) / per_line (width);

  return lines * ATELIER_GALLERY_CELL_SIZE + (lines > 0 ? (lines - 1) * CELL_SPACING : 0);
}

static GtkSizeRequestMode
atelier_gallery_row_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
atelier_gallery_row_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  AtelierGalleryRow *self = ATELIER_GALLERY_ROW (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int header_min;

      gtk_widget_measure (self->header, GTK_ORIENTATION_HORIZONTAL, -1, &header_min, NULL, NULL, NULL);
      *minimum = MAX (header_min, ATELIER_GALLERY_CELL_SIZE);
      *natural = MAX (*minimum, strip_width (self->n_cells) + HEADER_SPACING + SIDE_MIN_WIDTH);
      return;
    }

  if (for_size < 0)
    gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &for_size, NULL, NULL);

  if (is_side_by_side (self, for_size))
    *minimum = MAX (cells_height (self, for_size),
                    header_height (self, for_size - strip_width (self->n_cells) - HEADER_SPACING));
  else
    *minimum = header_height (self, for_size) + (self->n_cells > 0 ? HEADER_SPACING : 0) +
               cells_height (self, for_size);
  *natural = *minimum;
}

static void
atelier_gallery_row_size_allocate (GtkWidget *widget,
                                   int        width,
                                   int        height,
                                   int        baseline)
{
  AtelierGalleryRow *self = ATELIER_GALLERY_ROW (widget);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  guint columns;
  int top = 0;
  int left = 0;

  if (is_side_by_side (self, width))
    {
      int strip = strip_width (self->n_cells);
      int header_width = width - strip - HEADER_SPACING;

      gtk_widget_size_allocate (self->header,
                                &(GtkAllocation) { rtl ? 0 : strip + HEADER_SPACING, 0,
                                                   header_width, header_height (self, header_width) },
                                -1);
      columns = self->n_cells;
      left = rtl ? header_width + HEADER_SPACING : 0;
    }
  else
    {
      int header = header_height (self, width);

      gtk_widget_size_allocate (self->header, &(GtkAllocation) { 0, 0, width, header }, -1);
      columns = per_line (width);
      top = header + HEADER_SPACING;
    }

  for (guint i = 0; i < self->n_cells; i++)
    {
      int column = i % columns;
      int x = left + column * (ATELIER_GALLERY_CELL_SIZE + CELL_SPACING);

      if (rtl && !is_side_by_side (self, width))
        x = width - x - ATELIER_GALLERY_CELL_SIZE;
      gtk_widget_size_allocate (g_ptr_array_index (self->cells, i),
                                &(GtkAllocation) { x, top + (i / columns) * (ATELIER_GALLERY_CELL_SIZE + CELL_SPACING),
                                                   ATELIER_GALLERY_CELL_SIZE, ATELIER_GALLERY_CELL_SIZE },
                                -1);
    }
}

/* State */

static void
update_like (AtelierGalleryRow *self)
{
  AtelierPrompt *prompt;
  const char *tooltip;
  gboolean liked;
  gboolean can_like;

  if (self->unit == NULL)
    return;

  prompt = atelier_gallery_item_get_prompt (self->unit);
  liked = self->likes != NULL && atelier_likes_is_liked (self->likes, atelier_prompt_get_id (prompt));
  /* A prompt made here is liked here; one the service forgot cannot be. */
  can_like = self->likes != NULL &&
             (!atelier_gallery_item_is_local_only (self->unit) || atelier_prompt_get_source (prompt) != NULL) &&
             atelier_prompt_get_state (prompt) == ATELIER_PROMPT_STATE_DONE;

  gtk_widget_set_visible (self->like_button, can_like || liked);
  gtk_widget_set_sensitive (self->like_button, can_like);
  gtk_label_set_label (GTK_LABEL (self->like_label), liked ? _("Liked") : _("Like"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->like_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  liked ? _("Unlike This Prompt") : _("Like This Prompt"), -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->like_button), GTK_ACCESSIBLE_STATE_PRESSED,
                               liked ? GTK_ACCESSIBLE_TRISTATE_TRUE : GTK_ACCESSIBLE_TRISTATE_FALSE, -1);
  if (liked)
    {
      gtk_widget_add_css_class (self->like_button, "liked");
      gtk_widget_add_css_class (GTK_WIDGET (self), "liked");
    }
  else
    {
      gtk_widget_remove_css_class (self->like_button, "liked");
      gtk_widget_remove_css_class (GTK_WIDGET (self), "liked");
    }

  if (!can_like && !liked)
    return;
  /* Only when it changes: setting a tooltip asks the display where the
   * pointer is, too slow for every rebind while scrolling. */
  tooltip = atelier_prompt_get_orig_prompt_id (prompt) != 0
              ? _("A like is for the prompt, all its images; it also counts for the pack’s prompt this one was made from")
              : _("A like is for the prompt, all its images");
  if (g_strcmp0 (gtk_widget_get_tooltip_text (self->like_button), tooltip) != 0)
    gtk_widget_set_tooltip_text (self->like_button, tooltip);
}

static void
likes_changed_cb (AtelierGalleryRow *self,
                  gint64             prompt_id,
                  gboolean           liked)
{
  if (self->unit != NULL &&
      (prompt_id == 0 || prompt_id == atelier_gallery_item_get_prompt_id (self->unit)))
    update_like (self);
}

static void
update_meta (AtelierGalleryRow *self)
{
  AtelierPrompt *prompt = atelier_gallery_item_get_prompt (self->unit);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *meta = NULL;
  GDateTime *created = atelier_prompt_get_created_at (prompt);
  guint n_images = atelier_prompt_get_n_images (prompt);
  /* A prompt made here says where instead of a tune. */
  const char *title = atelier_prompt_source_get_title (atelier_prompt_get_source (prompt));

  if (title == NULL)
    title = self->tune_title;
  if (title != NULL)
    g_ptr_array_add (parts, g_strdup (title));
  if (created != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      g_ptr_array_add (parts, atelier_format_age (created, now));
    }

  switch (atelier_prompt_get_state (prompt))
    {
    case ATELIER_PROMPT_STATE_PENDING:
      g_ptr_array_add (parts, g_strdup (_("Rendering…")));
      break;
    case ATELIER_PROMPT_STATE_FAILED:
      {
        const char *error = atelier_prompt_get_user_error (prompt);

        g_ptr_array_add (parts, error != NULL ? g_strdup_printf (_("Failed: %s"), error) : g_strdup (_("Failed")));
      }
      break;
    case ATELIER_PROMPT_STATE_DONE:
    default:
      g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u image", "%u images", n_images),
                                               n_images));
      break;
    }

  if (atelier_gallery_item_is_local_only (self->unit))
    g_ptr_array_add (parts, g_strdup (_("Kept on this computer")));

  g_ptr_array_add (parts, NULL);
  /* Translators: the separator of a prompt's details in the gallery */
  meta = g_strjoinv (_(" · "), (char **) parts->pdata);
  gtk_label_set_label (GTK_LABEL (self->meta_label), meta);

  if (atelier_prompt_get_state (prompt) == ATELIER_PROMPT_STATE_FAILED)
    gtk_widget_add_css_class (self->meta_label, "error");
  else
    gtk_widget_remove_css_class (self->meta_label, "error");
}

static void
cell_load_failed_cb (AtelierGalleryRow *self,
                     GError            *error)
{
  g_signal_emit (self, signals[LOAD_FAILED], 0, error);
}

static void
show_cells (AtelierGalleryRow *self,
            guint              n)
{
  while (self->cells->len < n)
    {
      GtkWidget *cell = atelier_gallery_cell_new ();

      g_signal_connect_swapped (cell, "load-failed", G_CALLBACK (cell_load_failed_cb), self);
      gtk_widget_set_parent (cell, GTK_WIDGET (self));
      g_ptr_array_add (self->cells, cell);
    }

  for (guint i = 0; i < self->cells->len; i++)
    gtk_widget_set_visible (g_ptr_array_index (self->cells, i), i < n);

  if (self->n_cells != n)
    {
      self->n_cells = n;
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }
}

void
atelier_gallery_row_bind (AtelierGalleryRow  *self,
                          AtelierGalleryItem *unit,
                          const char         *tune_title,
                          AtelierImageCache  *cache,
                          AtelierLikes       *likes,
                          AtelierLibrary     *library)
{
  AtelierPrompt *prompt;
  const char *text;
  gboolean local_only;
  guint n;

  g_return_if_fail (ATELIER_IS_GALLERY_ROW (self));
  g_return_if_fail (ATELIER_IS_GALLERY_ITEM (unit));

  atelier_gallery_row_unbind (self);

  self->unit = g_object_ref (unit);
  self->tune_title = g_strdup (tune_title);
  prompt = atelier_gallery_item_get_prompt (unit);
  local_only = atelier_gallery_item_is_local_only (unit);
  text = atelier_prompt_get_text (prompt);

  gtk_label_set_label (GTK_LABEL (self->text_label), text != NULL ? text : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  text != NULL ? text : _("Prompt"), -1);
  gtk_widget_set_visible (self->local_icon, local_only);
  if (local_only)
    {
      /* Only when it changes (see update_like()). */
      const char *tooltip = atelier_prompt_get_source (prompt) != NULL
                              ? _("Made on this computer and kept here")
                              : _("Kept on this computer: the service no longer has this prompt");

      if (g_strcmp0 (gtk_widget_get_tooltip_text (self->local_icon), tooltip) != 0)
        gtk_widget_set_tooltip_text (self->local_icon, tooltip);
    }
  update_meta (self);

  if (likes != NULL)
    {
      self->likes = g_object_ref (likes);
      g_signal_connect_swapped (likes, "changed", G_CALLBACK (likes_changed_cb), self);
    }
  update_like (self);

  n = atelier_gallery_item_get_kind (unit) == ATELIER_GALLERY_ITEM_IMAGE ? atelier_prompt_get_n_images (prompt) : 1;
  show_cells (self, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AtelierGalleryItem) item = i == 0 ? g_object_ref (unit)
                                                  : atelier_gallery_item_new (prompt, i, local_only);

      atelier_gallery_cell_bind (g_ptr_array_index (self->cells, i), item, cache, library);
    }
}

void
atelier_gallery_row_unbind (AtelierGalleryRow *self)
{
  g_return_if_fail (ATELIER_IS_GALLERY_ROW (self));

  for (guint i = 0; i < self->cells->len; i++)
    atelier_gallery_cell_unbind (g_ptr_array_index (self->cells, i));

  if (self->likes != NULL)
    g_signal_handlers_disconnect_by_func (self->likes, likes_changed_cb, self);
  g_clear_object (&self->likes);
  g_clear_object (&self->unit);
  g_clear_pointer (&self->tune_title, g_free);
}

void
atelier_gallery_row_set_tune_title (AtelierGalleryRow *self,
                                    const char        *tune_title)
{
  g_return_if_fail (ATELIER_IS_GALLERY_ROW (self));

  if (self->unit == NULL || g_strcmp0 (self->tune_title, tune_title) == 0)
    return;

  g_free (self->tune_title);
  self->tune_title = g_strdup (tune_title);
  update_meta (self);
}

AtelierPrompt *
atelier_gallery_row_get_prompt (AtelierGalleryRow *self)
{
  g_return_val_if_fail (ATELIER_IS_GALLERY_ROW (self), NULL);
  return self->unit != NULL ? atelier_gallery_item_get_prompt (self->unit) : NULL;
}

GtkWidget *
atelier_gallery_row_get_like_button (AtelierGalleryRow *self)
{
  g_return_val_if_fail (ATELIER_IS_GALLERY_ROW (self), NULL);
  return self->like_button;
}

/* The whole text when it does not fit, asked for only when the pointer
 * rests on it. */
static gboolean
text_query_tooltip_cb (GtkWidget  *label,
                       int         x,
                       int         y,
                       gboolean    keyboard,
                       GtkTooltip *tooltip,
                       gpointer    user_data)
{
  if (!pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label))))
    return FALSE;

  gtk_tooltip_set_text (tooltip, gtk_label_get_label (GTK_LABEL (label)));
  return TRUE;
}

/* Actions: the page's, with this row's prompt */

static void
forward_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  AtelierGalleryRow *self = ATELIER_GALLERY_ROW (widget);
  g_autofree char *page_action = NULL;

  if (self->unit == NULL)
    return;

  page_action = g_strconcat ("gallery.", action_name + strlen ("row."), NULL);
  gtk_widget_activate_action (widget, page_action, "x", atelier_gallery_item_get_prompt_id (self->unit));
}

static void
create_popup_cb (GtkMenuButton *button,
                 gpointer       user_data)
{
  static GMenuModel *menu;

  if (menu == NULL)
    {
      GMenu *items = g_menu_new ();
      GMenu *danger = g_menu_new ();

      g_menu_append (items, _("_Reuse Settings"), "row.reuse");
      g_menu_append (items, _("_Copy Prompt"), "row.copy-prompt");
      g_menu_append (danger, _("_Delete Prompt…"), "row.delete");
      g_menu_append_section (items, NULL, G_MENU_MODEL (danger));
      g_object_unref (danger);
      menu = G_MENU_MODEL (items);
    }

  gtk_menu_button_set_menu_model (button, menu);
}

/* GObject */

static void
atelier_gallery_row_dispose (GObject *object)
{
  AtelierGalleryRow *self = ATELIER_GALLERY_ROW (object);

  atelier_gallery_row_unbind (self);
  g_clear_pointer (&self->header, gtk_widget_unparent);
  for (guint i = 0; i < self->cells->len; i++)
    gtk_widget_unparent (g_ptr_array_index (self->cells, i));
  g_ptr_array_set_size (self->cells, 0);

  G_OBJECT_CLASS (atelier_gallery_row_parent_class)->dispose (object);
}

static void
atelier_gallery_row_finalize (GObject *object)
{
  AtelierGalleryRow *self = ATELIER_GALLERY_ROW (object);

  g_ptr_array_unref (self->cells);

  G_OBJECT_CLASS (atelier_gallery_row_parent_class)->finalize (object);
}

static void
atelier_gallery_row_class_init (AtelierGalleryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atelier_gallery_row_dispose;
  object_class->finalize = atelier_gallery_row_finalize;
  widget_class->get_request_mode = atelier_gallery_row_get_request_mode;
  widget_class->measure = atelier_gallery_row_measure;
  widget_class->size_allocate = atelier_gallery_row_size_allocate;

  signals[LOAD_FAILED] = g_signal_new ("load-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  gtk_widget_class_install_action (widget_class, "row.toggle-like", NULL, forward_action);
  gtk_widget_class_install_action (widget_class, "row.reuse", NULL, forward_action);
  gtk_widget_class_install_action (widget_class, "row.copy-prompt", NULL, forward_action);
  gtk_widget_class_install_action (widget_class, "row.delete", NULL, forward_action);

  gtk_widget_class_set_css_name (widget_class, "atelier-gallery-row");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
atelier_gallery_row_init (AtelierGalleryRow *self)
{
  GtkWidget *details = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *actions = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *like_content = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->cells = g_ptr_array_new ();

  self->header = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_add_css_class (self->header, "prompt-header");
  gtk_widget_set_parent (self->header, GTK_WIDGET (self));

  self->text_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->text_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->text_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (self->text_label), 3);
  gtk_label_set_ellipsize (GTK_LABEL (self->text_label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (self->text_label), 0);
  gtk_label_set_width_chars (GTK_LABEL (self->text_label), 12);
  gtk_widget_add_css_class (self->text_label, "prompt-text");
  gtk_widget_set_has_tooltip (self->text_label, TRUE);
  g_signal_connect (self->text_label, "query-tooltip", G_CALLBACK (text_query_tooltip_cb), NULL);
  gtk_box_append (GTK_BOX (self->header), self->text_label);

  self->local_icon = gtk_image_new_from_icon_name ("computer-symbolic");
  gtk_widget_set_tooltip_text (self->local_icon, _("Kept on this computer: the service no longer has this prompt"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->local_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Only on this computer"), -1);
  gtk_box_append (GTK_BOX (details), self->local_icon);
  self->meta_label = gtk_label_new (NULL);
  gtk_label_set_ellipsize (GTK_LABEL (self->meta_label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (self->meta_label), 0);
  gtk_widget_set_hexpand (self->meta_label, TRUE);
  gtk_widget_add_css_class (self->meta_label, "dim-label");
  gtk_widget_add_css_class (self->meta_label, "caption");
  gtk_box_append (GTK_BOX (details), self->meta_label);
  gtk_box_append (GTK_BOX (self->header), details);

  self->like_button = gtk_button_new ();
  gtk_box_append (GTK_BOX (like_content), gtk_image_new_from_icon_name ("emblem-favorite-symbolic"));
  self->like_label = gtk_label_new (_("Like"));
  gtk_box_append (GTK_BOX (like_content), self->like_label);
  gtk_button_set_child (GTK_BUTTON (self->like_button), like_content);
  gtk_widget_add_css_class (self->like_button, "like-button");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->like_button), "row.toggle-like");
  gtk_box_append (GTK_BOX (actions), self->like_button);

  self->menu_button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (self->menu_button), "view-more-symbolic");
  gtk_menu_button_set_create_popup_func (GTK_MENU_BUTTON (self->menu_button), create_popup_cb, NULL, NULL);
  gtk_widget_add_css_class (self->menu_button, "flat");
  gtk_widget_set_tooltip_text (self->menu_button, _("Reuse, copy or delete this prompt"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Prompt Menu"), -1);
  atelier_widget_label_menu_buttons (self->menu_button);
  gtk_box_append (GTK_BOX (actions), self->menu_button);
  gtk_box_append (GTK_BOX (self->header), actions);
}

GtkWidget *
atelier_gallery_row_new (void)
{
  return g_object_new (ATELIER_TYPE_GALLERY_ROW, NULL);
}
