/* atelier-photo-input.c: the file chooser, a drop, and textures decoded
 * off the main thread, for every screen that takes photos
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-image-utils.h"
#include "atelier-photo-input.h"

#define CHOOSER_KEY "atelier-photo-chooser"

/* {{{ Chooser and drop */

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     GtkWidget       *widget)
{
  AtelierPhotosFunc func = (AtelierPhotosFunc) g_object_get_data (G_OBJECT (chooser), "atelier-func");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) model = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
      guint n = g_list_model_get_n_items (model);

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (files, g_list_model_get_item (model, i));
      if (files->len > 0)
        func (widget, files);
    }

  /* Drops the chooser (and this handler with it). */
  g_object_set_data (G_OBJECT (widget), CHOOSER_KEY, NULL);
}

static void
chooser_destroy (gpointer data)
{
  GtkNativeDialog *chooser = data;

  g_signal_handlers_disconnect_matched (chooser, G_SIGNAL_MATCH_FUNC, 0, 0, NULL,
                                        chooser_response_cb, NULL);
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
widget_destroy_cb (GtkWidget *widget)
{
  g_object_set_data (G_OBJECT (widget), CHOOSER_KEY, NULL);
}

void
atelier_photo_chooser_show (GtkWidget         *widget,
                            const char        *title,
                            const char        *accept_label,
                            AtelierPhotosFunc  func)
{
  GtkFileChooserNative *chooser = g_object_get_data (G_OBJECT (widget), CHOOSER_KEY);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) images = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (func != NULL);

  if (chooser != NULL)
    {
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
      return;
    }

  chooser = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, accept_label, _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);

  gtk_file_filter_set_name (images, _("Images"));
  gtk_file_filter_add_mime_type (images, "image/*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), images);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (chooser), images);

  g_object_set_data (G_OBJECT (chooser), "atelier-func", (gpointer) func);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), widget);
  g_object_set_data_full (G_OBJECT (widget), CHOOSER_KEY, chooser, chooser_destroy);
  if (g_object_get_data (G_OBJECT (widget), "atelier-photo-chooser-watched") == NULL)
    {
      g_object_set_data (G_OBJECT (widget), "atelier-photo-chooser-watched", GINT_TO_POINTER (1));
      g_signal_connect (widget, "destroy", G_CALLBACK (widget_destroy_cb), NULL);
    }
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         GtkWidget     *widget)
{
  AtelierPhotosFunc func = (AtelierPhotosFunc) g_object_get_data (G_OBJECT (target), "atelier-func");
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  for (GSList *l = gdk_file_list_get_files (g_value_get_boxed (value)); l != NULL; l = l->next)
    g_ptr_array_add (files, g_object_ref (l->data));

  if (files->len == 0)
    return FALSE;

  func (widget, files);
  return TRUE;
}

void
atelier_photo_drop_attach (GtkWidget         *target_widget,
                           GtkWidget         *widget,
                           AtelierPhotosFunc  func)
{
  GtkDropTarget *target;

  g_return_if_fail (GTK_IS_WIDGET (target_widget));
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (func != NULL);

  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_object_set_data (G_OBJECT (target), "atelier-func", (gpointer) func);
  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), widget);
  gtk_widget_add_controller (target_widget, GTK_EVENT_CONTROLLER (target));
}

/* }}} */
/* {{{ Textures, off the main thread */

typedef struct {
  GFile  *file;
  GBytes *bytes;
  int     size;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->file);
  g_clear_pointer (&data->bytes, g_bytes_unref);
  g_free (data);
}

static void
load_texture_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;

  /* Upright, and refused by its header over ATELIER_IMAGE_MAX_PIXELS. */
  if (data->file != NULL)
    pixbuf = atelier_image_load_scaled (data->file, data->size, NULL, NULL, cancellable, &error);
  else
    pixbuf = atelier_image_decode_bytes_fit (data->bytes, data->size, cancellable, &error);

  if (pixbuf == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, gdk_texture_new_for_pixbuf (pixbuf), g_object_unref);
}

void
atelier_texture_load_async (GFile               *file,
                            GBytes              *bytes,
                            int                  size,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  LoadData *data = g_new0 (LoadData, 1);

  g_return_if_fail ((file != NULL) != (bytes != NULL));

  data->file = file != NULL ? g_object_ref (file) : NULL;
  data->bytes = bytes != NULL ? g_bytes_ref (bytes) : NULL;
  data->size = size;
  g_task_set_source_tag (task, atelier_texture_load_async);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_texture_thread);
}

GdkTexture *
atelier_texture_load_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* }}} */
