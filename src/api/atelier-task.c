/* atelier-task.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-task-private.h"

static gboolean
task_is_valid (GAsyncResult *result,
               gpointer      source_object,
               gpointer      source_tag)
{
  return g_task_is_valid (result, source_object) &&
         (source_tag == NULL || g_task_get_source_tag (G_TASK (result)) == source_tag);
}

gpointer
_atelier_task_propagate_pointer (GAsyncResult  *result,
                                 gpointer       source_object,
                                 gpointer       source_tag,
                                 GError       **error)
{
  g_return_val_if_fail (task_is_valid (result, source_object, source_tag), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
_atelier_task_return_pointer_or_error (GTask          *task,
                                       gpointer        value,
                                       GDestroyNotify  value_free,
                                       GError         *error)
{
  if (value == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, value, value_free);
}
