/* atelier-viewer.c: one image full size, and what can be done with it
 *
 * The viewer follows an item (prompt id and image index) rather than a
 * position, so prompts added above it or removed leave it where it is.
 * The thumbnail from the memory cache shows at once; the full image
 * replaces it when decoded (in a worker, through the image cache).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-gallery-cell.h"
#include "atelier-prompt-actions.h"
#include "atelier-prompt-params.h"
#include "atelier-viewer.h"
#include "atelier-shell.h"
#include "atelier-widget-utils.h"
#include "atelier-zoom-view.h"

struct _AtelierViewer
{
  AdwWindow            parent_instance;

  /* template */
  AdwWindowTitle      *window_title;
  GtkWidget           *like_button;
  AdwButtonContent    *like_content;
  GtkToggleButton     *info_button;
  AtelierZoomView     *zoom_view;
  GtkSpinner          *spinner;
  GtkButton           *zoom_button;
  GtkRevealer         *save_revealer;
  GtkSpinner          *save_spinner;
  GtkLabel            *text_label;
  GtkWidget           *negative_heading;
  GtkLabel            *negative_label;
  AdwPreferencesGroup *params_group;
  GtkLabel            *details_label;

  AtelierSession      *session;
  AtelierPromptsModel *model;
  AtelierLikes        *likes;
  AtelierLibrary      *library;
  AtelierGalleryItem  *item;
  GPtrArray           *param_rows;
  GCancellable        *load_cancellable;
  GCancellable        *save_cancellable;
  gboolean             loaded;
  gboolean             narrow;
  guint                narrow_idle;
};

G_DEFINE_FINAL_TYPE (AtelierViewer, atelier_viewer, ADW_TYPE_WINDOW)

/* Showing an item */

static void
update_like (AtelierViewer *self)
{
  gint64 id = self->item != NULL ? atelier_gallery_item_get_prompt_id (self->item) : 0;
  gboolean liked = self->likes != NULL && atelier_likes_is_liked (self->likes, id);
  guint n_images = self->item != NULL ? atelier_prompt_get_n_images (atelier_gallery_item_get_prompt (self->item)) : 0;
  g_autofree char *tooltip = NULL;

  /* A like is for the prompt: say so, and how many images it covers. */
  if (liked)
    {
      gtk_widget_add_css_class (self->like_button, "liked");
      tooltip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "You like this prompt and its image; press to unlike (L)",
                                              "You like this prompt and its %u images; press to unlike (L)",
                                              n_images),
                                 n_images);
    }
  else
    {
      gtk_widget_remove_css_class (self->like_button, "liked");
      tooltip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Like this prompt and its image (L)",
                                              "Like this prompt, all its %u images (L)",
                                              n_images),
                                 n_images);
    }
  adw_button_content_set_label (self->like_content, liked ? _("Prompt Liked") : _("Like Prompt"));
  gtk_widget_set_tooltip_text (self->like_button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->like_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  liked ? _("Unlike This Prompt") : _("Like This Prompt"), -1);
  /* A prompt made here is liked here; one the service forgot cannot be. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.like",
                                 self->item != NULL &&
                                 (!atelier_gallery_item_is_local_only (self->item) ||
                                  atelier_prompt_get_source (atelier_gallery_item_get_prompt (self->item)) != NULL));
}

static void
likes_changed_cb (AtelierViewer *self)
{
  update_like (self);
}

static void
update_zoom_label (AtelierViewer *self)
{
  g_autofree char *label = g_strdup_printf ("%.0f %%", atelier_zoom_view_get_zoom (self->zoom_view) * 100);

  gtk_button_set_label (self->zoom_button, label);
}

static void
image_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  AtelierViewer *self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = atelier_image_cache_load_finish (ATELIER_IMAGE_CACHE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_stop (self->spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);

  if (texture == NULL)
    {
      atelier_widget_show_error (GTK_WIDGET (self), error);
      return;
    }

  self->loaded = TRUE;
  atelier_zoom_view_set_paintable (self->zoom_view, GDK_PAINTABLE (texture));
}

static void
clear_param_rows (AtelierViewer *self)
{
  for (guint i = 0; i < self->param_rows->len; i++)
    adw_preferences_group_remove (self->params_group, g_ptr_array_index (self->param_rows, i));
  g_ptr_array_set_size (self->param_rows, 0);
}

static void
add_param_row (AtelierViewer *self,
               const char    *title,
               const char    *value)
{
  GtkWidget *row = atelier_property_row_new (title, value);

  adw_preferences_group_add (self->params_group, row);
  g_ptr_array_add (self->param_rows, row);
}

/* A FaceID result's own: the face and the model it was made with. */
static void
show_faceid (AtelierViewer *self,
             AtelierPrompt *prompt)
{
  JsonObject *faceid = atelier_prompt_get_faceid (prompt);
  JsonNode *member;

  if (faceid == NULL)
    return;

  member = json_object_get_member (faceid, "face");
  if (member != NULL && JSON_NODE_HOLDS_VALUE (member) && json_node_get_value_type (member) == G_TYPE_STRING)
    add_param_row (self, _("Face"), json_node_get_string (member));
  member = json_object_get_member (faceid, "model_type");
  if (member != NULL && JSON_NODE_HOLDS_VALUE (member) && json_node_get_value_type (member) == G_TYPE_STRING)
    add_param_row (self, _("FaceID Model"), json_node_get_string (member));
}

static void
show_parameters (AtelierViewer *self,
                 AtelierPrompt *prompt)
{
  g_autoptr(AtelierPromptParams) params = atelier_prompt_params_new_from_prompt (prompt);
  const AtelierPromptField *fields;
  guint n_fields;

  clear_param_rows (self);
  show_faceid (self, prompt);

  fields = atelier_prompt_fields_get (&n_fields);
  for (guint i = 0; i < n_fields; i++)
    {
      const char *name = fields[i].spec.name;
      g_autofree char *value = NULL;

      /* The text has its own place above. */
      if (g_str_equal (name, "text") || g_str_equal (name, "negative_prompt"))
        continue;

      /* Switches that are off say nothing worth a row. */
      if (fields[i].spec.type == ATELIER_PARAM_BOOLEAN && !atelier_params_get_boolean (ATELIER_PARAMS (params), name))
        continue;

      value = atelier_prompt_field_format (ATELIER_PARAMS (params), name);
      if (value == NULL)
        continue;

      add_param_row (self, atelier_prompt_field_label (name), value);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->params_group), self->param_rows->len > 0);
}

static void
show_item (AtelierViewer      *self,
           AtelierGalleryItem *item)
{
  AtelierPrompt *prompt = atelier_gallery_item_get_prompt (item);
  AtelierImageCache *cache = atelier_session_get_image_cache (self->session);
  g_autofree char *url = atelier_gallery_item_dup_display_url (item, self->library);
  g_autoptr(GdkTexture) thumbnail = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *details = NULL;
  g_autofree char *created = NULL;
  const char *negative = atelier_prompt_get_negative_prompt (prompt);
  GDateTime *created_at = atelier_prompt_get_created_at (prompt);

  g_set_object (&self->item, item);
  self->loaded = FALSE;

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);

  /* Title: where we are; the text is in the side panel. */
  subtitle = g_strdup_printf (_("Image %u of %u"), atelier_gallery_item_get_index (item) + 1,
                              MAX (atelier_prompt_get_n_images (prompt), 1));
  adw_window_title_set_title (self->window_title, atelier_prompt_get_text (prompt));
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_window_set_title (GTK_WINDOW (self), atelier_prompt_get_text (prompt));

  gtk_label_set_label (self->text_label, atelier_prompt_get_text (prompt));
  gtk_label_set_label (self->negative_label, negative != NULL ? negative : "");
  gtk_widget_set_visible (self->negative_heading, negative != NULL && *negative != '\0');
  gtk_widget_set_visible (GTK_WIDGET (self->negative_label), negative != NULL && *negative != '\0');
  show_parameters (self, prompt);

  created = created_at != NULL ? g_date_time_format (created_at, "%c") : NULL;
  if (atelier_prompt_get_source (prompt) != NULL)
    /* Made here: no prompt or tune of the service's to name. */
    details = g_strdup_printf ("%s%s%s%s",
                               atelier_prompt_source_get_title (atelier_prompt_get_source (prompt)),
                               created != NULL ? "\n" : "", created != NULL ? created : "",
                               _("\nMade on this computer and kept here."));
  else
    details = g_strdup_printf (_("Prompt %" G_GINT64_FORMAT " on tune %" G_GINT64_FORMAT "%s%s%s"),
                               atelier_prompt_get_id (prompt), atelier_prompt_get_tune_id (prompt),
                               created != NULL ? "\n" : "", created != NULL ? created : "",
                               atelier_gallery_item_is_local_only (item)
                               ? _("\nKept on this computer: the service no longer has this image.") : "");
  gtk_label_set_label (self->details_label, details);

  update_like (self);

  if (url == NULL)
    return;

  thumbnail = atelier_image_cache_lookup (cache, url, atelier_gallery_thumbnail_size (GTK_WIDGET (self)));
  atelier_zoom_view_set_paintable (self->zoom_view, thumbnail != NULL ? GDK_PAINTABLE (thumbnail) : NULL);
  atelier_zoom_view_set_zoom (self->zoom_view, 0);

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  gtk_spinner_start (self->spinner);
  self->load_cancellable = g_cancellable_new ();
  atelier_image_cache_load_async (cache, url, 0, self->load_cancellable, image_loaded_cb, self);
}

/* The item's position now (prompts may have come and gone). */
static int
current_position (AtelierViewer *self)
{
  int first;

  if (self->item == NULL)
    return -1;

  first = atelier_prompts_model_find_prompt (self->model, atelier_gallery_item_get_prompt_id (self->item));
  if (first < 0)
    return -1;

  return first + (int) atelier_gallery_item_get_index (self->item);
}

/* The next image from @position in @direction, skipping placeholders. */
static AtelierGalleryItem *
find_image (AtelierViewer *self,
            int            position,
            int            direction)
{
  int n = (int) g_list_model_get_n_items (G_LIST_MODEL (self->model));

  for (int i = position + direction; i >= 0 && i < n; i += direction)
    {
      AtelierGalleryItem *item = g_list_model_get_item (G_LIST_MODEL (self->model), (guint) i);

      if (atelier_gallery_item_get_kind (item) == ATELIER_GALLERY_ITEM_IMAGE)
        return item;
      g_object_unref (item);
    }

  return NULL;
}

static void
update_navigation (AtelierViewer *self)
{
  int position = current_position (self);
  g_autoptr(AtelierGalleryItem) previous = position >= 0 ? find_image (self, position, -1) : NULL;
  g_autoptr(AtelierGalleryItem) next = position >= 0 ? find_image (self, position, 1) : NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.previous", previous != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.next",
                                 next != NULL || atelier_prompts_model_has_more (self->model));
}

static void
go (AtelierViewer *self,
    int            direction)
{
  int position = current_position (self);
  g_autoptr(AtelierGalleryItem) item = NULL;

  if (position < 0)
    return;

  item = find_image (self, position, direction);
  if (item == NULL)
    {
      if (direction > 0)
        atelier_prompts_model_load_more (self->model);
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }

  show_item (self, item);
  update_navigation (self);
}

static void
previous_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  go (ATELIER_VIEWER (widget), -1);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  go (ATELIER_VIEWER (widget), 1);
}

static void
model_items_changed_cb (AtelierViewer *self)
{
  if (self->item == NULL)
    return;

  if (current_position (self) < 0)
    {
      /* Our prompt is gone (deleted here or elsewhere). */
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  update_navigation (self);
}

/* Actions */

static void
like_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  AtelierViewer *self = ATELIER_VIEWER (widget);

  if (self->item != NULL)
    atelier_widget_toggle_like (widget, self->likes, atelier_gallery_item_get_prompt (self->item));
}

static void
copy_prompt_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  AtelierViewer *self = ATELIER_VIEWER (widget);

  if (self->item != NULL)
    atelier_prompt_action_copy (widget, atelier_gallery_item_get_prompt (self->item));
}

static void
open_editor (AtelierViewer       *self,
             AtelierPromptParams *params)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  atelier_prompt_action_reuse (GTK_WIDGET (self), parent != NULL ? parent : GTK_WINDOW (self),
                               atelier_gallery_item_get_prompt (self->item), params);
}

static void
reuse_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  AtelierViewer *self = ATELIER_VIEWER (widget);

  if (self->item != NULL)
    open_editor (self, NULL);
}

static void
use_as_input_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  AtelierViewer *self = ATELIER_VIEWER (widget);
  g_autoptr(AtelierPromptParams) params = NULL;
  g_autofree char *local = NULL;
  const char *url;

  if (self->item == NULL)
    return;

  params = atelier_prompt_params_new_from_prompt (atelier_gallery_item_get_prompt (self->item));
  atelier_params_unset (ATELIER_PARAMS (params), "input_image_url");
  atelier_params_unset (ATELIER_PARAMS (params), "input_image");
  atelier_params_unset (ATELIER_PARAMS (params), "mask_image_url");
  atelier_params_unset (ATELIER_PARAMS (params), "mask_image");

  /* The kept original when there is one (the server's may be gone). */
  url = atelier_gallery_item_get_url (self->item);
  if (self->library != NULL)
    local = atelier_library_dup_image_uri (self->library, atelier_gallery_item_get_prompt_id (self->item),
                                           atelier_gallery_item_get_index (self->item));
  if (local != NULL && atelier_gallery_item_is_local_only (self->item))
    {
      g_autoptr(GFile) file = g_file_new_for_uri (local);
      atelier_params_set_file (ATELIER_PARAMS (params), "input_image", file);
    }
  else if (url != NULL && atelier_is_http_url (url))
    {
      atelier_params_set_string (ATELIER_PARAMS (params), "input_image_url", url);
    }
  else if (local != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_uri (local);
      atelier_params_set_file (ATELIER_PARAMS (params), "input_image", file);
    }

  open_editor (self, params);
}

static void
use_as_face_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  AtelierViewer *self = ATELIER_VIEWER (widget);

  if (self->item != NULL)
    atelier_prompt_action_use_as_face (widget, self->library, atelier_gallery_item_get_prompt (self->item),
                                       atelier_gallery_item_get_index (self->item));
}

/* Saving */

typedef struct
{
  AtelierViewer      *self;  /* (owned) */
  AtelierGalleryItem *item;  /* (owned) */
  GFile              *file;  /* (owned) */
} Save;

static void
save_free (Save *save)
{
  g_object_unref (save->self);
  g_object_unref (save->item);
  g_object_unref (save->file);
  g_free (save);
}

static void
save_finished (AtelierViewer *self)
{
  gtk_spinner_stop (self->save_spinner);
  gtk_revealer_set_reveal_child (self->save_revealer, FALSE);
  g_clear_object (&self->save_cancellable);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Save *save = user_data;
  AtelierViewer *self = save->self;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        save_finished (self);
      atelier_widget_show_error (GTK_WIDGET (self), error);
      save_free (save);
      return;
    }

  save_finished (self);
  /* Saved images are kept with their prompt, like liked ones. */
  if (self->library != NULL && !atelier_gallery_item_is_local_only (save->item))
    atelier_library_keep_async (self->library, atelier_gallery_item_get_prompt (save->item),
                                ATELIER_LIBRARY_SAVED, (int) atelier_gallery_item_get_index (save->item),
                                NULL, NULL, NULL);
  atelier_widget_show_toast (GTK_WIDGET (self), _("Image saved"));
  save_free (save);
}

static void
downloaded_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Save *save = user_data;
  AtelierViewer *self = save->self;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = atelier_image_cache_download_finish (ATELIER_IMAGE_CACHE (source), result, &error);
  if (bytes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        save_finished (self);
      atelier_widget_show_error (GTK_WIDGET (self), error);
      save_free (save);
      return;
    }

  g_file_replace_contents_bytes_async (save->file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       self->save_cancellable, saved_cb, save);
}

static void
save_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  AtelierViewer *self = user_data;
  g_autoptr(GFile) file = NULL;
  g_autofree char *url = NULL;
  Save *save;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);

  if (file == NULL || self->item == NULL)
    {
      g_object_unref (self);
      return;
    }

  url = atelier_gallery_item_dup_display_url (self->item, self->library);
  if (url == NULL)
    {
      g_object_unref (self);
      return;
    }

  save = g_new0 (Save, 1);
  save->self = self;   /* takes the reference */
  save->item = g_object_ref (self->item);
  save->file = g_steal_pointer (&file);

  g_cancellable_cancel (self->save_cancellable);
  g_clear_object (&self->save_cancellable);
  self->save_cancellable = g_cancellable_new ();
  gtk_spinner_start (self->save_spinner);
  gtk_revealer_set_reveal_child (self->save_revealer, TRUE);

  atelier_image_cache_download_async (atelier_session_get_image_cache (self->session), url,
                                      self->save_cancellable, downloaded_cb, save);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  AtelierViewer *self = ATELIER_VIEWER (widget);
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;
  const char *url;
  const char *extension = ".jpg";

  if (self->item == NULL)
    return;

  url = atelier_gallery_item_get_url (self->item);
  if (url != NULL && g_str_has_suffix (url, ".png"))
    extension = ".png";
  name = g_strdup_printf ("atelier-%" G_GINT64_FORMAT "-%u%s",
                          atelier_gallery_item_get_prompt_id (self->item),
                          atelier_gallery_item_get_index (self->item) + 1, extension);

  /* The portal's chooser when sandboxed; GtkFileDialog is GTK 4.10. */
  chooser = gtk_file_chooser_native_new (_("Save Image"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (save_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
cancel_save_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  AtelierViewer *self = ATELIER_VIEWER (widget);

  g_cancellable_cancel (self->save_cancellable);
  save_finished (self);
}

/* Deleting: the viewer closes through ::items-changed when the prompt
 * leaves the model. */

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AtelierViewer *self = ATELIER_VIEWER (widget);

  if (self->item != NULL)
    atelier_prompt_action_delete (widget, GTK_WINDOW (self), self->model, self->library,
                                  atelier_gallery_item_get_prompt (self->item),
                                  atelier_gallery_item_is_local_only (self->item));
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  AtelierViewer *self = ATELIER_VIEWER (widget);
  double zoom = atelier_zoom_view_get_zoom (self->zoom_view);

  if (g_str_equal (action_name, "zoom.in"))
    atelier_zoom_view_set_zoom (self->zoom_view, zoom * 1.25);
  else if (g_str_equal (action_name, "zoom.out"))
    atelier_zoom_view_set_zoom (self->zoom_view, zoom / 1.25);
  else if (g_str_equal (action_name, "zoom.original"))
    atelier_zoom_view_set_zoom (self->zoom_view, 1.0);
  else
    atelier_zoom_view_set_zoom (self->zoom_view, 0);
}

static void
toggle_info_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  AtelierViewer *self = ATELIER_VIEWER (widget);

  gtk_toggle_button_set_active (self->info_button, !gtk_toggle_button_get_active (self->info_button));
}

/* Narrow windows: the side panel gives the image the room (the user can
 * still open it). */

#define NARROW_WIDTH 720

static gboolean
narrow_idle_cb (gpointer user_data)
{
  AtelierViewer *self = user_data;

  self->narrow_idle = 0;
  gtk_toggle_button_set_active (self->info_button, !self->narrow);

  return G_SOURCE_REMOVE;
}

static void
atelier_viewer_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  AtelierViewer *self = ATELIER_VIEWER (widget);
  gboolean narrow = width < NARROW_WIDTH;

  GTK_WIDGET_CLASS (atelier_viewer_parent_class)->size_allocate (widget, width, height, baseline);

  /* Not from inside the allocation: after it. */
  if (narrow != self->narrow)
    {
      self->narrow = narrow;
      if (self->narrow_idle == 0)
        self->narrow_idle = g_idle_add (narrow_idle_cb, self);
    }
}

/* Public */

AtelierGalleryItem *
atelier_viewer_get_item (AtelierViewer *self)
{
  g_return_val_if_fail (ATELIER_IS_VIEWER (self), NULL);
  return self->item;
}

gboolean
atelier_viewer_is_loaded (AtelierViewer *self)
{
  g_return_val_if_fail (ATELIER_IS_VIEWER (self), FALSE);
  return self->loaded;
}

/* GObject */

static void
atelier_viewer_dispose (GObject *object)
{
  AtelierViewer *self = ATELIER_VIEWER (object);

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_cancellable_cancel (self->save_cancellable);
  g_clear_object (&self->save_cancellable);
  g_clear_handle_id (&self->narrow_idle, g_source_remove);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  if (self->likes != NULL)
    g_signal_handlers_disconnect_by_data (self->likes, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), ATELIER_TYPE_VIEWER);

  g_clear_object (&self->item);
  g_clear_object (&self->model);
  g_clear_object (&self->likes);
  g_clear_object (&self->library);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (atelier_viewer_parent_class)->dispose (object);
}

static void
atelier_viewer_finalize (GObject *object)
{
  AtelierViewer *self = ATELIER_VIEWER (object);

  g_ptr_array_unref (self->param_rows);

  G_OBJECT_CLASS (atelier_viewer_parent_class)->finalize (object);
}

static void
atelier_viewer_class_init (AtelierViewerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atelier_viewer_dispose;
  object_class->finalize = atelier_viewer_finalize;
  widget_class->size_allocate = atelier_viewer_size_allocate;

  g_type_ensure (ATELIER_TYPE_ZOOM_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/atelier/Atelier/gallery/atelier-viewer.ui");
  gtk_widget_class_bind_template_child (widget_class, AtelierViewer, window_title);
  gtk_widget_class_bind_template_child (widget_class, AtelierViewer, like_button);
  gtk_widget_class_bind_template_child (widget_class, AtelierViewer, like_content);
  gtk_widget_class_bind_template_child (widget_class, AtelierViewer, info_button);
  gtk_widget_class_bind_template_child (widget_class, AtelierViewer, zoom_view);
  gtk_widget_class_bind_template_child (widget_class, AtelierViewer, spinner);
  gtk_widget_class_bind_template_child (widget_class, AtelierViewer, zoom_button);
  gtk_widget_class_bind_template_child (widget_class, AtelierViewer, save_revealer);
  gtk_widget_class_bind_template_child (widget_class, AtelierViewer, save_spinner);
  gtk_widget_class_bind_template_child (widget_class, AtelierViewer, text_label);
  gtk_widget_class_bind_template_child (widget_class, AtelierViewer, negative_heading);
  gtk_widget_class_bind_template_child (widget_class, AtelierViewer, negative_label);
  gtk_widget_class_bind_template_child (widget_class, AtelierViewer, params_group);
  gtk_widget_class_bind_template_child (widget_class, AtelierViewer, details_label);

  gtk_widget_class_install_action (widget_class, "viewer.previous", NULL, previous_action);
  gtk_widget_class_install_action (widget_class, "viewer.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "viewer.like", NULL, like_action);
  gtk_widget_class_install_action (widget_class, "viewer.copy-prompt", NULL, copy_prompt_action);
  gtk_widget_class_install_action (widget_class, "viewer.reuse", NULL, reuse_action);
  gtk_widget_class_install_action (widget_class, "viewer.use-as-input", NULL, use_as_input_action);
  gtk_widget_class_install_action (widget_class, "viewer.use-as-face", NULL, use_as_face_action);
  gtk_widget_class_install_action (widget_class, "viewer.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "viewer.cancel-save", NULL, cancel_save_action);
  gtk_widget_class_install_action (widget_class, "viewer.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "viewer.toggle-info", NULL, toggle_info_action);
  gtk_widget_class_install_action (widget_class, "zoom.in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "zoom.out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "zoom.fit", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "zoom.original", NULL, zoom_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "viewer.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "viewer.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, 0, "viewer.like", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "viewer.copy-prompt", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "viewer.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "viewer.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "viewer.toggle-info", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "zoom.in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, 0, "zoom.in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, 0, "zoom.in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "zoom.out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, 0, "zoom.out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, 0, "zoom.fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, 0, "zoom.original", NULL);
}

static void
atelier_viewer_init (AtelierViewer *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  atelier_widget_label_menu_buttons (GTK_WIDGET (self));
  self->param_rows = g_ptr_array_new ();

  g_signal_connect_object (self->zoom_view, "notify::zoom", G_CALLBACK (update_zoom_label), self, G_CONNECT_SWAPPED);
  update_zoom_label (self);
}

AtelierViewer *
atelier_viewer_new (AtelierSession      *session,
                    AtelierPromptsModel *model,
                    guint                position)
{
  g_autoptr(AtelierGalleryItem) item = NULL;
  AtelierViewer *self;

  g_return_val_if_fail (ATELIER_IS_SESSION (session), NULL);
  g_return_val_if_fail (ATELIER_IS_PROMPTS_MODEL (model), NULL);

  self = g_object_new (ATELIER_TYPE_VIEWER, NULL);
  self->session = g_object_ref (session);
  self->model = g_object_ref (model);
  self->likes = g_object_ref (atelier_session_get_likes (session));
  self->library = g_object_ref (atelier_session_get_library (session));

  g_signal_connect_swapped (self->likes, "changed", G_CALLBACK (likes_changed_cb), self);
  g_signal_connect_swapped (model, "items-changed", G_CALLBACK (model_items_changed_cb), self);

  item = g_list_model_get_item (G_LIST_MODEL (model), position);
  if (item != NULL)
    show_item (self, item);
  update_navigation (self);

  return self;
}
