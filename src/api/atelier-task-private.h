/* atelier-task-private.h: returning from and finishing GTasks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* For _finish functions of tasks that return a pointer: checks that
 * @result is a GTask of @source_object (NULL for none) and, unless
 * @source_tag is NULL, that it was made by @source_tag (the _async
 * function); then returns what the task returned or sets @error. On a
 * failed check: a critical and NULL. */
gpointer _atelier_task_propagate_pointer (GAsyncResult  *result,
                                          gpointer       source_object,
                                          gpointer       source_tag,
                                          GError       **error);
/* Returns @value from @task, or @error when @value is NULL. Takes both. */
void     _atelier_task_return_pointer_or_error (GTask          *task,
                                                gpointer        value,
                                                GDestroyNotify  value_free,
                                                GError         *error);

G_END_DECLS
