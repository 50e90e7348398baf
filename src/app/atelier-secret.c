/* atelier-secret.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-secret.h"

const SecretSchema *
atelier_secret_get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.atelier.Atelier.Key", SECRET_SCHEMA_NONE,
    {
      { "service", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

/* The end of a store, lookup or clear (told apart by the task's source
 * tag): the task returns the key (lookup) or TRUE, or the error. */
static void
secret_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  gpointer tag = g_task_get_source_tag (task);
  char *key = NULL;

  if (tag == atelier_secret_store_async)
    secret_password_store_finish (result, &error);
  else if (tag == atelier_secret_lookup_async)
    key = secret_password_lookup_finish (result, &error);
  else
    /* FALSE without error means there was nothing to remove. */
    secret_password_clear_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (tag == atelier_secret_lookup_async)
    g_task_return_pointer (task, key, (GDestroyNotify) secret_password_free);
  else
    g_task_return_boolean (task, TRUE);
}

static GTask *
secret_task_new (gpointer             source_tag,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  return task;
}

void
atelier_secret_store_async (const char          *service,
                            const char          *key,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (service != NULL);
  g_return_if_fail (key != NULL && *key != '\0');

  task = secret_task_new (atelier_secret_store_async, cancellable, callback, user_data);

  if (g_str_equal (service, ATELIER_SECRET_SERVICE_FAL))
    label = g_strdup (_("fal.ai key for Atelier"));
  else
    label = g_strdup (_("Astria API key for Atelier"));

  secret_password_store (atelier_secret_get_schema (), SECRET_COLLECTION_DEFAULT,
                         label, key, cancellable, secret_done_cb, g_steal_pointer (&task),
                         "service", service,
                         NULL);
}

gboolean
atelier_secret_store_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == atelier_secret_store_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
atelier_secret_lookup_async (const char          *service,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (service != NULL);

  secret_password_lookup (atelier_secret_get_schema (), cancellable, secret_done_cb,
                          secret_task_new (atelier_secret_lookup_async, cancellable, callback, user_data),
                          "service", service,
                          NULL);
}

char *
atelier_secret_lookup_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == atelier_secret_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
atelier_secret_clear_async (const char          *service,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (service != NULL);

  secret_password_clear (atelier_secret_get_schema (), cancellable, secret_done_cb,
                         secret_task_new (atelier_secret_clear_async, cancellable, callback, user_data),
                         "service", service,
                         NULL);
}

gboolean
atelier_secret_clear_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == atelier_secret_clear_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
