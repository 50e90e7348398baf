/* atelier-account.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "atelier-account.h"
#include "atelier-secret.h"

struct _AtelierAccount
{
  GObject               parent_instance;

  AtelierSession       *session;
  char                 *sandbox_dir;
  AtelierSandboxServer *sandbox;
  char                 *sandbox_url;
  char                 *sandbox_key;   /* random per run; never logged */
  char                 *astria_key;    /* the user's; never logged */
  char                 *fal_key;       /* the user's; never logged */
  GCancellable         *cancellable;
  gboolean              started;
};

G_DEFINE_FINAL_TYPE (AtelierAccount, atelier_account, G_TYPE_OBJECT)

/* Overwrites a key before freeing it. */
static void
clear_key (char **key)
{
  if (*key != NULL)
    {
      secret_password_wipe (*key);
      g_clear_pointer (key, g_free);
    }
}

/* Points the session where the keys and the sandbox say. */
static void
rebuild_clients (AtelierAccount *self)
{
  g_autofree char *account = NULL;
  AtelierSessionMode mode;
  const char *astria_url = NULL;
  const char *astria_key;
  const char *fal_url = NULL;
  const char *fal_key = self->fal_key;

  if (self->astria_key != NULL)
    {
      mode = ATELIER_SESSION_MODE_ACCOUNT;
      astria_key = self->astria_key;
    }
  else if (self->sandbox_url != NULL)
    {
      /* The sandbox by its folder: its port changes. */
      mode = ATELIER_SESSION_MODE_SANDBOX;
      astria_url = self->sandbox_url;
      astria_key = self->sandbox_key;
      account = g_strconcat ("sandbox:", self->sandbox_dir, NULL);
      if (fal_key == NULL)
        {
          fal_url = self->sandbox_url;
          fal_key = self->sandbox_key;
        }
    }
  else
    {
      return;
    }

  atelier_session_connect (self->session, mode, astria_url, astria_key,
                           fal_url, fal_key, self->fal_key != NULL, account, NULL);
}

/* Sandbox start-up: read the saved port, start, save the chosen port. */

static char *
port_file_path (AtelierAccount *self)
{
  return g_build_filename (self->sandbox_dir, "port", NULL);
}

static void
save_port_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Cannot save the sandbox port: %s", error->message);
}

static void
sandbox_started (AtelierAccount *self)
{
  g_autofree char *path = port_file_path (self);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GBytes) bytes = NULL;
  guint port = atelier_sandbox_server_get_port (self->sandbox);
  char *text = g_strdup_printf ("%u\n", port);

  bytes = g_bytes_new_take (text, strlen (text));
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_REPLACE_DESTINATION,
                                       self->cancellable, save_port_cb, NULL);

  g_free (self->sandbox_url);
  self->sandbox_url = atelier_sandbox_server_dup_base_url (self->sandbox);
  rebuild_clients (self);
}

static void start_sandbox_cb (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data);

static void
start_sandbox_on_port (GTask *task,
                       guint  port)
{
  AtelierAccount *self = g_task_get_source_object (task);

  g_task_set_task_data (task, GUINT_TO_POINTER (port), NULL);
  atelier_sandbox_server_start_async (self->sandbox, port,
                                      g_task_get_cancellable (task),
                                      start_sandbox_cb, task);
}

static void
start_sandbox_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AtelierAccount *self = g_task_get_source_object (task);
  guint port = GPOINTER_TO_UINT (g_task_get_task_data (task));
  g_autoptr(GError) error = NULL;

  if (!atelier_sandbox_server_start_finish (ATELIER_SANDBOX_SERVER (source), result, &error))
    {
      if (port != 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_debug ("Sandbox port %u is taken, choosing another: %s", port, error->message);
          start_sandbox_on_port (g_steal_pointer (&task), 0);
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  sandbox_started (self);
  g_task_return_boolean (task, TRUE);
}

static void
read_port_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autofree char *contents = NULL;
  guint64 port = 0;

  if (g_file_load_contents_finish (G_FILE (source), result, &contents, NULL, NULL, NULL))
    {
      g_strstrip (contents);
      if (!g_ascii_string_to_unsigned (contents, 10, 1024, 65535, &port, NULL))
        port = 0;
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  start_sandbox_on_port (g_steal_pointer (&task), (guint) port);
}

static void
ensure_sandbox_async (AtelierAccount      *self,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;

  task = g_task_new (self, self->cancellable, callback, user_data);
  g_task_set_source_tag (task, ensure_sandbox_async);

  if (self->sandbox_url != NULL)
    {
      rebuild_clients (self);
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (self->sandbox == NULL)
    {
      self->sandbox = atelier_sandbox_server_new (self->sandbox_dir);
      /* A fresh key per run, 128 bits from the system's random source, so
       * no other local program can use the sandbox by guessing. The test
       * controls (/__sandbox/…) stay off: it is the user's sandbox. */
      clear_key (&self->sandbox_key);
      self->sandbox_key = atelier_sandbox_generate_key ();
      atelier_sandbox_server_set_api_key (self->sandbox, self->sandbox_key);
    }

  path = port_file_path (self);
  file = g_file_new_for_path (path);
  g_file_load_contents_async (file, self->cancellable, read_port_cb, g_steal_pointer (&task));
}

static gboolean
ensure_sandbox_finish (AtelierAccount  *self,
                       GAsyncResult    *result,
                       GError         **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Start: look the keys up, then account or sandbox. */

static void
start_sandbox_done_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  AtelierAccount *self = ATELIER_ACCOUNT (source);
  g_autoptr(GError) error = NULL;

  if (!ensure_sandbox_finish (self, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        atelier_session_fail (self->session, g_steal_pointer (&error));
    }
}

static void
start_with_keys (AtelierAccount *self)
{
  if (self->astria_key != NULL)
    rebuild_clients (self);
  else
    ensure_sandbox_async (self, start_sandbox_done_cb, NULL);
}

/* Ends a key lookup into *@key (NULL when the keyring has none or fails,
 * logged after @missing); FALSE when it was cancelled. */
static gboolean
lookup_key_finish (GAsyncResult  *result,
                   char         **key,
                   const char    *missing)
{
  g_autoptr(GError) error = NULL;
  char *found;

  found = atelier_secret_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;
  if (error != NULL)
    g_message ("%s: %s", missing, error->message);

  clear_key (key);
  if (found != NULL && *found != '\0')
    *key = g_strdup (found);
  g_clear_pointer (&found, secret_password_free);

  return TRUE;
}

static void
lookup_fal_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(AtelierAccount) self = user_data;

  if (lookup_key_finish (result, &self->fal_key, "No fal.ai key from the keyring"))
    start_with_keys (self);
}

static void
lookup_astria_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(AtelierAccount) self = user_data;

  if (!lookup_key_finish (result, &self->astria_key, "No Astria key from the keyring, using the sandbox"))
    return;

  atelier_secret_lookup_async (ATELIER_SECRET_SERVICE_FAL, self->cancellable,
                               lookup_fal_cb, g_object_ref (self));
}

void
atelier_account_start (AtelierAccount *self)
{
  g_return_if_fail (ATELIER_IS_ACCOUNT (self));

  if (self->started)
    return;
  self->started = TRUE;

  atelier_secret_lookup_async (ATELIER_SECRET_SERVICE_ASTRIA, self->cancellable,
                               lookup_astria_cb, g_object_ref (self));
}

/* Keys */

typedef struct
{
  char *service;
  char *key;    /* (owned), wiped */
} KeyData;

static void
key_data_free (KeyData *data)
{
  g_free (data->service);
  clear_key (&data->key);
  g_free (data);
}

static void
apply_key (AtelierAccount *self,
           KeyData        *data)
{
  if (g_str_equal (data->service, ATELIER_SECRET_SERVICE_FAL))
    {
      clear_key (&self->fal_key);
      self->fal_key = g_strdup (data->key);
    }
  else
    {
      clear_key (&self->astria_key);
      self->astria_key = g_strdup (data->key);
    }
  rebuild_clients (self);
}

static void
store_key_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AtelierAccount *self = g_task_get_source_object (task);
  KeyData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!atelier_secret_store_finish (result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  apply_key (self, data);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
atelier_account_set_key_async (AtelierAccount      *self,
                               const char          *service,
                               const char          *key,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  KeyData *data;

  g_return_if_fail (ATELIER_IS_ACCOUNT (self));
  g_return_if_fail (service != NULL);
  g_return_if_fail (key != NULL && *key != '\0');

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, atelier_account_set_key_async);
  data = g_new0 (KeyData, 1);
  data->service = g_strdup (service);
  data->key = g_strdup (key);
  g_task_set_task_data (task, data, (GDestroyNotify) key_data_free);

  atelier_secret_store_async (service, key, cancellable, store_key_cb, g_steal_pointer (&task));
}

gboolean
atelier_account_set_key_finish (AtelierAccount  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == atelier_account_set_key_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
remove_sandbox_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AtelierAccount *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!ensure_sandbox_finish (self, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        atelier_session_fail (self->session, g_error_copy (error));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
clear_key_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AtelierAccount *self = g_task_get_source_object (task);
  const char *service = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!atelier_secret_clear_finish (result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (g_str_equal (service, ATELIER_SECRET_SERVICE_FAL))
    {
      clear_key (&self->fal_key);
      rebuild_clients (self);
      g_task_return_boolean (task, TRUE);
      return;
    }

  clear_key (&self->astria_key);
  if (self->sandbox_url == NULL)
    atelier_session_set_starting (self->session);
  ensure_sandbox_async (self, remove_sandbox_cb, g_steal_pointer (&task));
}

void
atelier_account_remove_key_async (AtelierAccount      *self,
                                  const char          *service,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ATELIER_IS_ACCOUNT (self));
  g_return_if_fail (service != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, atelier_account_remove_key_async);
  g_task_set_task_data (task, g_strdup (service), g_free);
  atelier_secret_clear_async (service, cancellable, clear_key_cb, g_steal_pointer (&task));
}

gboolean
atelier_account_remove_key_finish (AtelierAccount  *self,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == atelier_account_remove_key_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Getters */

AtelierSession *
atelier_account_get_session (AtelierAccount *self)
{
  g_return_val_if_fail (ATELIER_IS_ACCOUNT (self), NULL);
  return self->session;
}

AtelierSandboxServer *
atelier_account_get_sandbox (AtelierAccount *self)
{
  g_return_val_if_fail (ATELIER_IS_ACCOUNT (self), NULL);
  return self->sandbox;
}

const char *
atelier_account_get_sandbox_dir (AtelierAccount *self)
{
  g_return_val_if_fail (ATELIER_IS_ACCOUNT (self), NULL);
  return self->sandbox_dir;
}

/* GObject */

static void
atelier_account_dispose (GObject *object)
{
  AtelierAccount *self = ATELIER_ACCOUNT (object);

  g_cancellable_cancel (self->cancellable);
  if (self->sandbox != NULL)
    atelier_sandbox_server_stop (self->sandbox);
  g_clear_object (&self->sandbox);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (atelier_account_parent_class)->dispose (object);
}

static void
atelier_account_finalize (GObject *object)
{
  AtelierAccount *self = ATELIER_ACCOUNT (object);

  g_clear_object (&self->cancellable);
  g_free (self->sandbox_dir);
  g_free (self->sandbox_url);
  clear_key (&self->sandbox_key);
  clear_key (&self->astria_key);
  clear_key (&self->fal_key);

  G_OBJECT_CLASS (atelier_account_parent_class)->finalize (object);
}

static void
atelier_account_class_init (AtelierAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = atelier_account_dispose;
  object_class->finalize = atelier_account_finalize;
}

static void
atelier_account_init (AtelierAccount *self)
{
  self->cancellable = g_cancellable_new ();
}

AtelierAccount *
atelier_account_new (AtelierSession *session,
                     const char     *sandbox_dir)
{
  AtelierAccount *self;

  g_return_val_if_fail (ATELIER_IS_SESSION (session), NULL);

  self = g_object_new (ATELIER_TYPE_ACCOUNT, NULL);
  self->session = g_object_ref (session);
  self->sandbox_dir = sandbox_dir != NULL ? g_strdup (sandbox_dir)
                                          : g_build_filename (g_get_user_data_dir (), "atelier", "sandbox", NULL);
  return self;
}
