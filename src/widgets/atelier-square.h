/* atelier-square.h: a child at a fixed square size
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* @child at exactly @size × @size (a picture's natural size would be its
 * texture's). */
GtkWidget *atelier_square_new (GtkWidget *child,
                               int        size);

G_END_DECLS
