/* atelier-run-viewer.c: a test run's prompt, its images full size
 *
 * Built in code: a header bar (previous, next, the like), the picture
 * with a spinner while it loads, the prompt's text below.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-run-viewer.h"
#include "atelier-shell.h"
#include "atelier-widget-utils.h"

struct _AtelierRunViewer
{
  AdwWindow          parent_instance;

  GtkWidget         *title;
  GtkWidget         *previous_button;
  GtkWidget         *next_button;
  GtkWidget         *like_button;
  GtkWidget         *picture;
  GtkWidget         *spinner;
  GtkWidget         *error_label;
  GtkWidget         *text_label;

  AtelierImageCache *cache;
  AtelierLikes      *likes;
  AtelierPrompt     *prompt;
  char              *tune_title;
  guint              index;
  GCancellable      *cancellable;
  gboolean           loaded;
};

G_DEFINE_FINAL_TYPE (AtelierRunViewer, atelier_run_viewer, ADW_TYPE_WINDOW)

static void
update_like (AtelierRunViewer *self)
{
  gboolean liked = self->likes != NULL && atelier_likes_is_liked (self->likes, atelier_prompt_get_id (self->prompt));
  const char *tooltip = liked ? _("Unlike this prompt (a like is for all its images)")
                              : _("Like this prompt (a like is for all its images)");

  gtk_widget_set_visible (self->like_button, self->likes != NULL);
  if (liked)
    gtk_widget_add_css_class (self->like_button, "liked");
  else
    gtk_widget_remove_css_class (self->like_button, "liked");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->like_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  liked ? _("Unlike") : _("Like"), -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->like_button), GTK_ACCESSIBLE_STATE_PRESSED,
                               liked ? GTK_ACCESSIBLE_TRISTATE_TRUE : GTK_ACCESSIBLE_TRISTATE_FALSE, -1);
  if (g_strcmp0 (gtk_widget_get_tooltip_text (self->like_button), tooltip) != 0)
    gtk_widget_set_tooltip_text (self->like_button, tooltip);
}

static void
likes_changed_cb (AtelierRunViewer *self,
                  gint64            prompt_id,
                  gboolean          liked)
{
  if (prompt_id == 0 || prompt_id == atelier_prompt_get_id (self->prompt))
    update_like (self);
}

static void
like_clicked_cb (AtelierRunViewer *self)
{
  atelier_widget_toggle_like (GTK_WIDGET (self), self->likes, self->prompt);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(AtelierRunViewer) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = atelier_image_cache_load_finish (ATELIER_IMAGE_CACHE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), FALSE);
  gtk_widget_set_visible (self->spinner, FALSE);
  self->loaded = TRUE;
  if (texture != NULL)
    {
      gtk_picture_set_paintable (GTK_PICTURE (self->picture), GDK_PAINTABLE (texture));
    }
  else
    {
      gtk_label_set_label (GTK_LABEL (self->error_label), error->message);
      gtk_widget_set_visible (self->error_label, TRUE);
    }
}

static void
show_image (AtelierRunViewer *self)
{
  guint n = atelier_prompt_get_n_images (self->prompt);
  g_autofree char *subtitle = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->loaded = FALSE;
  gtk_picture_set_paintable (GTK_PICTURE (self->picture), NULL);
  gtk_widget_set_visible (self->error_label, FALSE);

  /* Translators: the viewer's subtitle: "Image 2 of 4" */
  subtitle = g_strdup_printf (_("Image %u of %u"), MIN (self->index + 1, n), n);
  adw_window_title_set_subtitle (ADW_WINDOW_TITLE (self->title), subtitle);
  gtk_widget_set_sensitive (self->previous_button, self->index > 0);
  gtk_widget_set_sensitive (self->next_button, self->index + 1 < n);

  if (self->index >= n || self->cache == NULL)
    {
      self->loaded = TRUE;
      return;
    }

  gtk_widget_set_visible (self->spinner, TRUE);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), TRUE);
  self->cancellable = g_cancellable_new ();
  atelier_image_cache_load_async (self->cache, atelier_prompt_get_images (self->prompt)[self->index], 0,
                                  self->cancellable, loaded_cb, g_object_ref (self));
}

void
atelier_run_viewer_set_index (AtelierRunViewer *self,
                              guint             index)
{
  g_return_if_fail (ATELIER_IS_RUN_VIEWER (self));

  if (index >= atelier_prompt_get_n_images (self->prompt))
    return;
  self->index = index;
  show_image (self);
}

static void
previous_cb (AtelierRunViewer *self)
{
  if (self->index > 0)
    atelier_run_viewer_set_index (self, self->index - 1);
}

static void
next_cb (AtelierRunViewer *self)
{
  atelier_run_viewer_set_index (self, self->index + 1);
}

static gboolean
key_cb (GtkWidget *widget,
        GVariant  *args,
        gpointer   user_data)
{
  AtelierRunViewer *self = ATELIER_RUN_VIEWER (widget);
  const char *what = g_variant_get_string (args, NULL);

  if (g_str_equal (what, "previous"))
    previous_cb (self);
  else if (g_str_equal (what, "next"))
    next_cb (self);
  else
    gtk_window_close (GTK_WINDOW (self));

  return TRUE;
}

static void
atelier_run_viewer_dispose (GObject *object)
{
  AtelierRunViewer *self = ATELIER_RUN_VIEWER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->likes != NULL)
    g_signal_handlers_disconnect_by_data (self->likes, self);
  g_clear_object (&self->likes);
  g_clear_object (&self->cache);
  g_clear_object (&self->prompt);
  g_clear_pointer (&self->tune_title, g_free);

  G_OBJECT_CLASS (atelier_run_viewer_parent_class)->dispose (object);
}

static void
atelier_run_viewer_class_init (AtelierRunViewerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atelier_run_viewer_dispose;

  gtk_widget_class_add_binding (widget_class, GDK_KEY_Left, 0, key_cb, "s", "previous");
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Right, 0, key_cb, "s", "next");
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, key_cb, "s", "close");
}

static GtkWidget *
icon_button (const char *icon_name,
             const char *label)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  return button;
}

static void
atelier_run_viewer_init (AtelierRunViewer *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (self), 900, 760);
  gtk_window_set_modal (GTK_WINDOW (self), FALSE);

  self->title = adw_window_title_new ("", "");
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), self->title);

  self->previous_button = icon_button ("go-previous-symbolic", _("Previous Image"));
  g_signal_connect_swapped (self->previous_button, "clicked", G_CALLBACK (previous_cb), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), self->previous_button);
  self->next_button = icon_button ("go-next-symbolic", _("Next Image"));
  g_signal_connect_swapped (self->next_button, "clicked", G_CALLBACK (next_cb), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), self->next_button);

  self->like_button = gtk_button_new_from_icon_name ("emblem-favorite-symbolic");
  gtk_widget_add_css_class (self->like_button, "like-button");
  g_signal_connect_swapped (self->like_button, "clicked", G_CALLBACK (like_clicked_cb), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->like_button);
  gtk_box_append (GTK_BOX (box), header);

  self->picture = gtk_picture_new ();
  gtk_picture_set_can_shrink (GTK_PICTURE (self->picture), TRUE);
  gtk_picture_set_content_fit (GTK_PICTURE (self->picture), GTK_CONTENT_FIT_CONTAIN);
  gtk_widget_set_vexpand (self->picture, TRUE);
  gtk_overlay_set_child (GTK_OVERLAY (overlay), self->picture);

  self->spinner = gtk_spinner_new ();
  gtk_widget_set_size_request (self->spinner, 48, 48);
  gtk_widget_set_halign (self->spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (self->spinner, GTK_ALIGN_CENTER);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), self->spinner);

  self->error_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->error_label), TRUE);
  gtk_widget_set_halign (self->error_label, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (self->error_label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->error_label, "dim-label");
  gtk_widget_set_visible (self->error_label, FALSE);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), self->error_label);
  gtk_box_append (GTK_BOX (box), overlay);

  self->text_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->text_label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (self->text_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->text_label), 0);
  gtk_widget_set_margin_start (self->text_label, 18);
  gtk_widget_set_margin_end (self->text_label, 18);
  gtk_widget_set_margin_top (self->text_label, 12);
  gtk_widget_set_margin_bottom (self->text_label, 12);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->text_label);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 120);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_box_append (GTK_BOX (box), scrolled);

  adw_window_set_content (ADW_WINDOW (self), box);
}

AtelierRunViewer *
atelier_run_viewer_new (AtelierImageCache *cache,
                        AtelierLikes      *likes,
                        AtelierPrompt     *prompt,
                        const char        *tune_title)
{
  AtelierRunViewer *self;

  g_return_val_if_fail (cache == NULL || ATELIER_IS_IMAGE_CACHE (cache), NULL);
  g_return_val_if_fail (likes == NULL || ATELIER_IS_LIKES (likes), NULL);
  g_return_val_if_fail (ATELIER_IS_PROMPT (prompt), NULL);

  self = g_object_new (ATELIER_TYPE_RUN_VIEWER, NULL);
  self->cache = cache != NULL ? g_object_ref (cache) : NULL;
  self->prompt = g_object_ref (prompt);
  self->tune_title = g_strdup (tune_title != NULL ? tune_title : "");
  if (likes != NULL)
    {
      self->likes = g_object_ref (likes);
      g_signal_connect_swapped (likes, "changed", G_CALLBACK (likes_changed_cb), self);
    }

  gtk_window_set_title (GTK_WINDOW (self), self->tune_title);
  adw_window_title_set_title (ADW_WINDOW_TITLE (self->title), self->tune_title);
  gtk_label_set_label (GTK_LABEL (self->text_label),
                       atelier_prompt_get_text (prompt) != NULL ? atelier_prompt_get_text (prompt) : "");
  update_like (self);
  show_image (self);

  return self;
}

AtelierPrompt *
atelier_run_viewer_get_prompt (AtelierRunViewer *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_VIEWER (self), NULL);
  return self->prompt;
}

guint
atelier_run_viewer_get_index (AtelierRunViewer *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_VIEWER (self), 0);
  return self->index;
}

gboolean
atelier_run_viewer_is_loaded (AtelierRunViewer *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_VIEWER (self), FALSE);
  return self->loaded;
}
