/* atelier-zoom-view.c: an image that can be zoomed and panned
 *
 * The image is drawn at :zoom around a centre point given in image
 * coordinates, so that resizing the window keeps what the user looked at
 * in the middle. While :fit is TRUE the zoom follows the widget's size.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "atelier-zoom-view.h"

#define MIN_ZOOM 0.05
#define MAX_ZOOM 16.0
#define ZOOM_STEP 1.25

struct _AtelierZoomView
{
  GtkWidget     parent_instance;

  GdkPaintable *paintable;
  gboolean      fit;
  double        zoom;
  double        center_x;      /* image coordinates shown at the middle */
  double        center_y;

  double        drag_center_x;
  double        drag_center_y;
  double        gesture_zoom;  /* zoom when a pinch started */
  double        pointer_x;     /* last pointer position, widget coordinates */
  double        pointer_y;
};

G_DEFINE_FINAL_TYPE (AtelierZoomView, atelier_zoom_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ZOOM,
  PROP_FIT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static double
image_width (AtelierZoomView *self)
{
  return self->paintable != NULL ? MAX (gdk_paintable_get_intrinsic_width (self->paintable), 1) : 1;
}

static double
image_height (AtelierZoomView *self)
{
  return self->paintable != NULL ? MAX (gdk_paintable_get_intrinsic_height (self->paintable), 1) : 1;
}

static double
fit_zoom (AtelierZoomView *self)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));

  if (width <= 0 || height <= 0)
    return 1;

  /* Small images are not blown up when fitting. */
  return MIN (1.0, MIN (width / image_width (self), height / image_height (self)));
}

double
atelier_zoom_view_get_zoom (AtelierZoomView *self)
{
  g_return_val_if_fail (ATELIER_IS_ZOOM_VIEW (self), 1);
  return self->fit ? fit_zoom (self) : self->zoom;
}

gboolean
atelier_zoom_view_get_fit (AtelierZoomView *self)
{
  g_return_val_if_fail (ATELIER_IS_ZOOM_VIEW (self), TRUE);
  return self->fit;
}

/* Keeps the image covering the view where it can. */
static void
clamp_center (AtelierZoomView *self)
{
  double zoom = atelier_zoom_view_get_zoom (self);
  double half_w = gtk_widget_get_width (GTK_WIDGET (self)) / (2 * zoom);
  double half_h = gtk_widget_get_height (GTK_WIDGET (self)) / (2 * zoom);
  double w = image_width (self);
  double h = image_height (self);

  self->center_x = half_w * 2 >= w ? w / 2 : CLAMP (self->center_x, half_w, w - half_w);
  self->center_y = half_h * 2 >= h ? h / 2 : CLAMP (self->center_y, half_h, h - half_h);
}

/* Zooms to @zoom keeping the image point under (@x, @y) in place. */
static void
zoom_at (AtelierZoomView *self,
         double           zoom,
         double           x,
         double           y)
{
  double old = atelier_zoom_view_get_zoom (self);
  double dx = x - gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
  double dy = y - gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
  double image_x = self->center_x + dx / old;
  double image_y = self->center_y + dy / old;
  gboolean was_fit = self->fit;

  zoom = CLAMP (zoom, MIN_ZOOM, MAX_ZOOM);
  self->fit = FALSE;
  self->zoom = zoom;
  self->center_x = image_x - dx / zoom;
  self->center_y = image_y - dy / zoom;
  clamp_center (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
  if (was_fit)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIT]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
atelier_zoom_view_set_zoom (AtelierZoomView *self,
                            double           zoom)
{
  g_return_if_fail (ATELIER_IS_ZOOM_VIEW (self));

  if (zoom <= 0)
    {
      gboolean changed = !self->fit;

      self->fit = TRUE;
      self->center_x = image_width (self) / 2;
      self->center_y = image_height (self) / 2;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
      if (changed)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIT]);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }

  zoom_at (self, zoom, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
           gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

void
atelier_zoom_view_set_paintable (AtelierZoomView *self,
                                 GdkPaintable    *paintable)
{
  gboolean same_size;

  g_return_if_fail (ATELIER_IS_ZOOM_VIEW (self));

  if (self->paintable == paintable)
    return;

  /* A sharper version of the same picture keeps the view as it is. */
  same_size = self->paintable != NULL && paintable != NULL &&
              fabs (gdk_paintable_get_intrinsic_aspect_ratio (self->paintable) -
                    gdk_paintable_get_intrinsic_aspect_ratio (paintable)) < 0.01;
  if (same_size && !self->fit)
    {
      double scale = (double) gdk_paintable_get_intrinsic_width (paintable) / image_width (self);

      self->center_x *= scale;
      self->center_y *= scale;
      self->zoom /= scale;
    }

  g_set_object (&self->paintable, paintable);

  if (!same_size)
    atelier_zoom_view_set_zoom (self, 0);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

GdkPaintable *
atelier_zoom_view_get_paintable (AtelierZoomView *self)
{
  g_return_val_if_fail (ATELIER_IS_ZOOM_VIEW (self), NULL);
  return self->paintable;
}

/* Drawing */

static void
atelier_zoom_view_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  AtelierZoomView *self = ATELIER_ZOOM_VIEW (widget);
  double zoom;
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);

  if (self->paintable == NULL)
    return;

  if (self->fit)
    {
      self->center_x = image_width (self) / 2;
      self->center_y = image_height (self) / 2;
    }
  else
    {
      clamp_center (self);
    }

  zoom = atelier_zoom_view_get_zoom (self);

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT (round (width / 2 - self->center_x * zoom),
                                                round (height / 2 - self->center_y * zoom)));
  gdk_paintable_snapshot (self->paintable, snapshot,
                          image_width (self) * zoom, image_height (self) * zoom);
  gtk_snapshot_restore (snapshot);
  gtk_snapshot_pop (snapshot);
}

/* Input */

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           AtelierZoomView          *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  double zoom = atelier_zoom_view_get_zoom (self);

  if (self->paintable == NULL)
    return FALSE;

  if (state & GDK_CONTROL_MASK)
    {
      zoom_at (self, dy < 0 ? zoom * ZOOM_STEP : zoom / ZOOM_STEP, self->pointer_x, self->pointer_y);
      return TRUE;
    }

  if (self->fit)
    return FALSE;

  /* Plain scrolling pans a zoomed image. */
  self->center_x += dx * 40 / zoom;
  self->center_y += dy * 40 / zoom;
  clamp_center (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  return TRUE;
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           AtelierZoomView          *self)
{
  self->pointer_x = x;
  self->pointer_y = y;
}

static void
drag_begin_cb (GtkGestureDrag  *gesture,
               double           x,
               double           y,
               AtelierZoomView *self)
{
  if (self->fit)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  self->drag_center_x = self->center_x;
  self->drag_center_y = self->center_y;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grabbing");
}

static void
drag_update_cb (GtkGestureDrag  *gesture,
                double           dx,
                double           dy,
                AtelierZoomView *self)
{
  double zoom = atelier_zoom_view_get_zoom (self);

  self->center_x = self->drag_center_x - dx / zoom;
  self->center_y = self->drag_center_y - dy / zoom;
  clamp_center (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drag_end_cb (GtkGestureDrag  *gesture,
             double           dx,
             double           dy,
             AtelierZoomView *self)
{
  gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
}

static void
zoom_begin_cb (GtkGesture       *gesture,
               GdkEventSequence *sequence,
               AtelierZoomView  *self)
{
  self->gesture_zoom = atelier_zoom_view_get_zoom (self);
}

static void
zoom_scale_changed_cb (GtkGestureZoom  *gesture,
                       double           scale,
                       AtelierZoomView *self)
{
  double x, y;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    {
      x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
      y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
    }
  zoom_at (self, self->gesture_zoom * scale, x, y);
}

static void
click_pressed_cb (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  AtelierZoomView *self)
{
  if (n_press != 2 || self->paintable == NULL)
    return;

  if (self->fit)
    zoom_at (self, 1.0, x, y);
  else
    atelier_zoom_view_set_zoom (self, 0);
}

/* GObject */

static void
atelier_zoom_view_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  *minimum = 64;
  *natural = 512;
}

static void
atelier_zoom_view_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  AtelierZoomView *self = ATELIER_ZOOM_VIEW (widget);

  /* Fitting: the zoom follows the size. */
  if (self->fit && self->paintable != NULL && fit_zoom (self) != self->zoom)
    {
      self->zoom = fit_zoom (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
    }
}

static void
atelier_zoom_view_dispose (GObject *object)
{
  AtelierZoomView *self = ATELIER_ZOOM_VIEW (object);

  g_clear_object (&self->paintable);

  G_OBJECT_CLASS (atelier_zoom_view_parent_class)->dispose (object);
}

static void
atelier_zoom_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AtelierZoomView *self = ATELIER_ZOOM_VIEW (object);

  switch (prop_id)
    {
    case PROP_ZOOM:
      g_value_set_double (value, atelier_zoom_view_get_zoom (self));
      break;
    case PROP_FIT:
      g_value_set_boolean (value, self->fit);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_zoom_view_class_init (AtelierZoomViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atelier_zoom_view_dispose;
  object_class->get_property = atelier_zoom_view_get_property;
  widget_class->snapshot = atelier_zoom_view_snapshot;
  widget_class->measure = atelier_zoom_view_measure;
  widget_class->size_allocate = atelier_zoom_view_size_allocate;

  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, 0, MAX_ZOOM, 1,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FIT] =
    g_param_spec_boolean ("fit", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "atelier-zoom-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
atelier_zoom_view_init (AtelierZoomView *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

  self->fit = TRUE;
  self->zoom = 1;
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES |
                                                GTK_EVENT_CONTROLLER_SCROLL_DISCRETE);
  g_signal_connect (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gesture = gtk_gesture_drag_new ();
  g_signal_connect (gesture, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (gesture, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (gesture, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect (gesture, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect (gesture, "scale-changed", G_CALLBACK (zoom_scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_click_new ();
  g_signal_connect (gesture, "pressed", G_CALLBACK (click_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));
}

GtkWidget *
atelier_zoom_view_new (void)
{
  return g_object_new (ATELIER_TYPE_ZOOM_VIEW, NULL);
}
