/* atelier-tune-choices.c: every tune of the account, for pickers and filters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-models-private.h"
#include "atelier-tune-choices.h"

typedef struct
{
  AtelierAstriaClient *client;     /* (owned) */
  GPtrArray           *tunes;      /* (owned) */
  guint                max_pages;
  guint                pages;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_object_unref (fetch->client);
  g_ptr_array_unref (fetch->tunes);
  g_free (fetch);
}

static void
page_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GPtrArray) page = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  page = atelier_astria_client_list_tunes_finish (fetch->client, result, &error);
  if (page == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < page->len; i++)
    g_ptr_array_add (fetch->tunes, g_object_ref (g_ptr_array_index (page, i)));
  fetch->pages++;

  if (page->len < ATELIER_PAGE_SIZE || fetch->pages >= fetch->max_pages)
    {
      g_task_return_pointer (task, g_ptr_array_ref (fetch->tunes), (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  atelier_astria_client_list_tunes_async (fetch->client, fetch->tunes->len,
                                          cancellable, page_cb, g_steal_pointer (&task));
}

void
atelier_tune_choices_fetch_async (AtelierAstriaClient *client,
                                  guint                max_pages,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Fetch *fetch;

  g_return_if_fail (ATELIER_IS_ASTRIA_CLIENT (client));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, atelier_tune_choices_fetch_async);
  fetch = g_new0 (Fetch, 1);
  fetch->client = g_object_ref (client);
  fetch->tunes = g_ptr_array_new_with_free_func (g_object_unref);
  fetch->max_pages = MAX (max_pages, 1);
  g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);

  atelier_astria_client_list_tunes_async (client, 0, cancellable, page_cb, g_steal_pointer (&task));
}

GPtrArray *
atelier_tune_choices_fetch_finish (GAsyncResult  *result,
                                   GError       **error)
{
  return g_task_propagate_pointer (_atelier_task_check (result, NULL, atelier_tune_choices_fetch_async), error);
}
