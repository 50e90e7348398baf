/* atelier-library-private.h: test hooks of the library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atelier-library.h"

G_BEGIN_DECLS

typedef enum
{
  ATELIER_LIBRARY_STEP_WRITE,    /* a file into a prompt's folder */
  ATELIER_LIBRARY_STEP_REMOVE,   /* a prompt's folder */
} AtelierLibraryStep;

/* Called in the worker thread before each step on disk with the prompt's
 * id; returns how many milliseconds to wait before doing it. Tests use it
 * to make steps of one prompt overlap in the worst order. Process-wide;
 * NULL removes it. */
typedef guint (*AtelierLibraryDelayFunc) (AtelierLibraryStep step,
                                          gint64             prompt_id,
                                          gpointer           user_data);

void     _atelier_library_set_delay_func (AtelierLibraryDelayFunc func,
                                          gpointer                user_data);

/* TRUE while steps on disk are queued or running. */
gboolean _atelier_library_is_busy        (AtelierLibrary         *self);

G_END_DECLS
