/* atelier-square.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-square.h"

GtkWidget *
atelier_square_new (GtkWidget *child,
                    int        size)
{
  GtkWidget *height = adw_clamp_new ();
  GtkWidget *width = adw_clamp_new ();

  gtk_widget_set_size_request (child, size, size);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (height), GTK_ORIENTATION_VERTICAL);
  adw_clamp_set_maximum_size (ADW_CLAMP (height), size);
  adw_clamp_set_tightening_threshold (ADW_CLAMP (height), size);
  adw_clamp_set_child (ADW_CLAMP (height), child);
  adw_clamp_set_maximum_size (ADW_CLAMP (width), size);
  adw_clamp_set_tightening_threshold (ADW_CLAMP (width), size);
  adw_clamp_set_child (ADW_CLAMP (width), height);

  return width;
}
