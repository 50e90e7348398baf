/* atelier-screenshot.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-screenshot.h"

#define SCREENSHOT_TIMEOUT_S 30
#define SCREENSHOT_SETTLE_MS 700
#define MAX_WATCH 8

typedef struct
{
  GFile                      *file;
  AtelierScreenshotReadyFunc  ready;
  guint                       timeout_id;
  guint                       n_watch;
  gulong                      notify_ids[MAX_WATCH + 1];
  GObject                    *notify_sources[MAX_WATCH + 1];
} ScreenshotData;

/* While the sources are all alive: when the shot starts, or in dispose. */
static void
screenshot_data_disconnect (ScreenshotData *data)
{
  for (guint i = 0; i < G_N_ELEMENTS (data->notify_ids); i++)
    {
      if (data->notify_ids[i] != 0)
        g_signal_handler_disconnect (data->notify_sources[i], data->notify_ids[i]);
      data->notify_ids[i] = 0;
      data->notify_sources[i] = NULL;
    }
}

static void
screenshot_data_free (ScreenshotData *data)
{
  g_clear_handle_id (&data->timeout_id, g_source_remove);
  g_clear_object (&data->file);
  g_free (data);
}

static void
save_png_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GdkTexture *texture = task_data;
  ScreenshotData *data = g_object_get_data (G_OBJECT (task), "data");
  g_autofree char *path = g_file_get_path (data->file);

  if (path == NULL || !gdk_texture_save_to_png (texture, path))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                             _("Could not save the screenshot to “%s”"),
                             path != NULL ? path : g_file_peek_path (data->file));
  else
    g_task_return_boolean (task, TRUE);
}

GdkTexture *
atelier_render_window (GtkWindow *window)
{
  GtkWidget *widget = GTK_WIDGET (window);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GskRenderNode *node;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;
  GdkTexture *texture;
  GdkRGBA background;

  g_return_val_if_fail (GTK_IS_WINDOW (window), NULL);

  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  if (renderer == NULL || width <= 0 || height <= 0)
    return NULL;

  /* A GtkWidgetPaintable of the window itself renders nothing (a root
   * keeps no render node), so draw what the window draws: its background,
   * then each child where it is. */
  snapshot = gtk_snapshot_new ();
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget),
                                       "window_bg_color", &background))
    gdk_rgba_parse (&background, "#fafafa");
  gtk_snapshot_append_color (snapshot, &background, &GRAPHENE_RECT_INIT (0, 0, width, height));
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_mapped (child))
      gtk_widget_snapshot_child (widget, child, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return NULL;

  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_render_node_unref (node);

  return texture;
}

static gboolean
screenshot_tick_cb (GtkWidget     *widget,
                    GdkFrameClock *clock,
                    gpointer       user_data)
{
  GTask *task = user_data;
  int frames = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "frames"));
  GdkTexture *texture;

  /* Let two frames pass, so what was just loaded is laid out and drawn. */
  if (frames < 2)
    {
      g_object_set_data (G_OBJECT (task), "frames", GINT_TO_POINTER (frames + 1));
      return G_SOURCE_CONTINUE;
    }

  texture = atelier_render_window (GTK_WINDOW (widget));
  if (texture == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("The window could not be rendered"));
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }

  g_task_set_task_data (task, texture, g_object_unref);
  g_task_run_in_thread (task, save_png_thread);
  g_object_unref (task);

  return G_SOURCE_REMOVE;
}

static gboolean
screenshot_settled_cb (gpointer user_data)
{
  GTask *task = user_data;

  gtk_widget_add_tick_callback (GTK_WIDGET (g_task_get_source_object (task)),
                                screenshot_tick_cb, g_object_ref (task), NULL);
  return G_SOURCE_REMOVE;
}

static void
screenshot_check (GTask *task)
{
  GtkWindow *window = g_task_get_source_object (task);
  ScreenshotData *data = g_object_get_data (G_OBJECT (task), "data");
  gboolean timed_out = data->timeout_id == 0;

  if (g_task_get_completed (task) || g_object_get_data (G_OBJECT (task), "shooting"))
    return;

  if (!timed_out &&
      (!gtk_widget_get_mapped (GTK_WIDGET (window)) || !data->ready (window)))
    return;

  g_object_set_data (G_OBJECT (task), "shooting", GINT_TO_POINTER (TRUE));
  screenshot_data_disconnect (data);
  g_clear_handle_id (&data->timeout_id, g_source_remove);
  /* Let the revealers and page transitions finish first. */
  g_timeout_add_full (G_PRIORITY_DEFAULT, SCREENSHOT_SETTLE_MS, screenshot_settled_cb,
                      g_object_ref (task), g_object_unref);
}

static void
screenshot_notify_cb (GObject    *object,
                      GParamSpec *pspec,
                      gpointer    user_data)
{
  screenshot_check (G_TASK (user_data));
}

static void
screenshot_map_cb (GtkWidget *widget,
                   gpointer   user_data)
{
  screenshot_check (G_TASK (user_data));
}

static gboolean
screenshot_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  ScreenshotData *data = g_object_get_data (G_OBJECT (task), "data");

  g_warning ("The window did not finish loading in %d s; taking the screenshot anyway",
             SCREENSHOT_TIMEOUT_S);
  data->timeout_id = 0;
  screenshot_check (task);

  return G_SOURCE_REMOVE;
}

void
atelier_screenshot_async (GtkWindow                    *window,
                          GFile                        *file,
                          const AtelierScreenshotWatch *watch,
                          guint                         n_watch,
                          AtelierScreenshotReadyFunc    ready,
                          GCancellable                 *cancellable,
                          GAsyncReadyCallback           callback,
                          gpointer                      user_data)
{
  GTask *task;
  ScreenshotData *data;

  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (n_watch <= MAX_WATCH);
  g_return_if_fail (ready != NULL);

  task = g_task_new (window, cancellable, callback, user_data);
  g_task_set_source_tag (task, atelier_screenshot_async);

  data = g_new0 (ScreenshotData, 1);
  data->file = g_object_ref (file);
  data->ready = ready;
  /* The task holds the data; the handlers and the timeout hold the task
   * only weakly: they are removed with the data. */
  g_object_set_data_full (G_OBJECT (task), "data", data, (GDestroyNotify) screenshot_data_free);

  for (guint i = 0; i < n_watch; i++)
    {
      data->notify_sources[i] = watch[i].source;
      data->notify_ids[i] = g_signal_connect (watch[i].source, watch[i].signal,
                                              G_CALLBACK (screenshot_notify_cb), task);
    }
  data->notify_sources[n_watch] = G_OBJECT (window);
  data->notify_ids[n_watch] = g_signal_connect (window, "map", G_CALLBACK (screenshot_map_cb), task);
  data->timeout_id = g_timeout_add_seconds (SCREENSHOT_TIMEOUT_S, screenshot_timeout_cb, task);

  /* The window holds the task; the tick callback takes a reference of
   * its own while it waits for the frames. */
  g_object_set_data_full (G_OBJECT (window), "atelier-screenshot-task", task, g_object_unref);
  screenshot_check (task);
}

gboolean
atelier_screenshot_finish (GtkWindow     *window,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, window), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == atelier_screenshot_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
atelier_screenshot_stop_watching (GtkWindow *window)
{
  GTask *task = g_object_get_data (G_OBJECT (window), "atelier-screenshot-task");

  if (task != NULL)
    screenshot_data_disconnect (g_object_get_data (G_OBJECT (task), "data"));
}
