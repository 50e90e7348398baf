/* atelier-zoom-view.h: an image that can be zoomed and panned
 *
 * Fits the image to the view until the user zooms: Ctrl+scroll or a
 * pinch zooms around the pointer, dragging pans, double-click switches
 * between fit and 100 %.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ATELIER_TYPE_ZOOM_VIEW (atelier_zoom_view_get_type ())
G_DECLARE_FINAL_TYPE (AtelierZoomView, atelier_zoom_view, ATELIER, ZOOM_VIEW, GtkWidget)

GtkWidget    *atelier_zoom_view_new          (void);
void          atelier_zoom_view_set_paintable (AtelierZoomView *self,
                                               GdkPaintable    *paintable);
GdkPaintable *atelier_zoom_view_get_paintable (AtelierZoomView *self);
/* Pixels on screen per image pixel; the fitted scale while fitting. */
double        atelier_zoom_view_get_zoom     (AtelierZoomView *self);
/* @zoom <= 0 fits. */
void          atelier_zoom_view_set_zoom     (AtelierZoomView *self,
                                              double           zoom);
gboolean      atelier_zoom_view_get_fit      (AtelierZoomView *self);

G_END_DECLS
