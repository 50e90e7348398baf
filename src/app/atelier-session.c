/* atelier-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "atelier-secret.h"
#include "atelier-session.h"

struct _AtelierSession
{
  GObject               parent_instance;

  char                 *sandbox_dir;
  AtelierSessionMode    mode;
  GError               *error;
  AtelierAstriaClient  *astria_client;
  AtelierFalClient     *fal_client;
  AtelierSandboxServer *sandbox;
  char                 *sandbox_url;
  char                 *sandbox_key;   /* random per run; never logged */
  char                 *astria_key;    /* the user's; never logged */
  char                 *fal_key;       /* the user's; never logged */
  GCancellable         *cancellable;
  gboolean              started;
  AtelierImageCache    *image_cache;
  AtelierLibrary       *library;
  AtelierLikes         *likes;
};

G_DEFINE_FINAL_TYPE (AtelierSession, atelier_session, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (AtelierSessionMode, atelier_session_mode,
  G_DEFINE_ENUM_VALUE (ATELIER_SESSION_MODE_STARTING, "starting"),
  G_DEFINE_ENUM_VALUE (ATELIER_SESSION_MODE_SANDBOX, "sandbox"),
  G_DEFINE_ENUM_VALUE (ATELIER_SESSION_MODE_ACCOUNT, "account"),
  G_DEFINE_ENUM_VALUE (ATELIER_SESSION_MODE_FAILED, "failed"))

enum {
  PROP_0,
  PROP_SANDBOX_DIR,
  PROP_MODE,
  PROP_ASTRIA_CLIENT,
  PROP_FAL_CLIENT,
  PROP_HAS_FAL_KEY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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

static void
set_mode (AtelierSession     *self,
          AtelierSessionMode  mode)
{
  if (self->mode == mode)
    return;
  self->mode = mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
}

static void
fail (AtelierSession *self,
      GError         *error)
{
  g_clear_error (&self->error);
  self->error = error;
  g_warning ("Atelier cannot reach any service: %s", error->message);
  set_mode (self, ATELIER_SESSION_MODE_FAILED);
}

/* Points both clients where the keys and the sandbox say. */
static void
rebuild_clients (AtelierSession *self)
{
  g_autoptr(AtelierAstriaClient) astria = NULL;
  g_autoptr(AtelierFalClient) fal = NULL;
  g_autoptr(GError) error = NULL;
  AtelierSessionMode mode;

  if (self->astria_key != NULL)
    {
      astria = atelier_astria_client_new (NULL, self->astria_key, &error);
      mode = ATELIER_SESSION_MODE_ACCOUNT;
    }
  else if (self->sandbox_url != NULL)
    {
      astria = atelier_astria_client_new (self->sandbox_url, self->sandbox_key, &error);
      mode = ATELIER_SESSION_MODE_SANDBOX;
    }
  else
    {
      return;
    }

  if (astria == NULL)
    {
      fail (self, g_steal_pointer (&error));
      return;
    }

  if (self->fal_key != NULL)
    fal = atelier_fal_client_new (NULL, self->fal_key, &error);
  else if (mode == ATELIER_SESSION_MODE_SANDBOX)
    fal = atelier_fal_client_new (self->sandbox_url, self->sandbox_key, &error);
  else
    fal = atelier_fal_client_new (NULL, NULL, &error);

  if (fal == NULL)
    {
      /* A bad $ATELIER_FAL_URL must not take Astria down with it. */
      g_warning ("Cannot use the fal.ai service: %s", error->message);
      g_clear_error (&error);
    }

  g_clear_error (&self->error);

  /* :mode last: who waits for it finds the clients in place. */
  g_set_object (&self->astria_client, astria);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ASTRIA_CLIENT]);
  g_set_object (&self->fal_client, fal);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAL_CLIENT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_FAL_KEY]);
  set_mode (self, mode);
}

/* Sandbox start-up: read the saved port, start, save the chosen port. */

static char *
port_file_path (AtelierSession *self)
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
sandbox_started (AtelierSession *self)
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
  AtelierSession *self = g_task_get_source_object (task);

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
  AtelierSession *self = g_task_get_source_object (task);
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
ensure_sandbox_async (AtelierSession      *self,
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
      g_autofree char *uuid = g_uuid_string_random ();

      self->sandbox = atelier_sandbox_server_new (self->sandbox_dir);
      /* A fresh key per run, so no other local program can use the
       * sandbox by guessing. */
      clear_key (&self->sandbox_key);
      self->sandbox_key = g_strdup_printf ("sandbox-%s", uuid);
      atelier_sandbox_server_set_api_key (self->sandbox, self->sandbox_key);
    }

  path = port_file_path (self);
  file = g_file_new_for_path (path);
  g_file_load_contents_async (file, self->cancellable, read_port_cb, g_steal_pointer (&task));
}

static gboolean
ensure_sandbox_finish (AtelierSession  *self,
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
  AtelierSession *self = ATELIER_SESSION (source);
  g_autoptr(GError) error = NULL;

  if (!ensure_sandbox_finish (self, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail (self, g_steal_pointer (&error));
    }
}

static void
start_with_keys (AtelierSession *self)
{
  if (self->astria_key != NULL)
    rebuild_clients (self);
  else
    ensure_sandbox_async (self, start_sandbox_done_cb, NULL);
}

static void
lookup_fal_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(AtelierSession) self = user_data;
  g_autoptr(GError) error = NULL;
  char *key;

  key = atelier_secret_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    g_message ("No fal.ai key from the keyring: %s", error->message);

  clear_key (&self->fal_key);
  if (key != NULL && *key != '\0')
    self->fal_key = g_strdup (key);
  g_clear_pointer (&key, secret_password_free);

  start_with_keys (self);
}

static void
lookup_astria_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(AtelierSession) self = user_data;
  g_autoptr(GError) error = NULL;
  char *key;

  key = atelier_secret_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    g_message ("No Astria key from the keyring, using the sandbox: %s", error->message);

  clear_key (&self->astria_key);
  if (key != NULL && *key != '\0')
    self->astria_key = g_strdup (key);
  g_clear_pointer (&key, secret_password_free);

  atelier_secret_lookup_async (ATELIER_SECRET_SERVICE_FAL, self->cancellable,
                               lookup_fal_cb, g_object_ref (self));
}

void
atelier_session_start (AtelierSession *self)
{
  g_return_if_fail (ATELIER_IS_SESSION (self));

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
apply_key (AtelierSession *self,
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
  AtelierSession *self = g_task_get_source_object (task);
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
atelier_session_set_key_async (AtelierSession      *self,
                               const char          *service,
                               const char          *key,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  KeyData *data;

  g_return_if_fail (ATELIER_IS_SESSION (self));
  g_return_if_fail (service != NULL);
  g_return_if_fail (key != NULL && *key != '\0');

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, atelier_session_set_key_async);
  data = g_new0 (KeyData, 1);
  data->service = g_strdup (service);
  data->key = g_strdup (key);
  g_task_set_task_data (task, data, (GDestroyNotify) key_data_free);

  atelier_secret_store_async (service, key, cancellable, store_key_cb, g_steal_pointer (&task));
}

gboolean
atelier_session_set_key_finish (AtelierSession  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == atelier_session_set_key_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
remove_sandbox_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AtelierSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!ensure_sandbox_finish (self, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail (self, g_error_copy (error));
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
  AtelierSession *self = g_task_get_source_object (task);
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
    set_mode (self, ATELIER_SESSION_MODE_STARTING);
  ensure_sandbox_async (self, remove_sandbox_cb, g_steal_pointer (&task));
}

void
atelier_session_remove_key_async (AtelierSession      *self,
                                  const char          *service,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ATELIER_IS_SESSION (self));
  g_return_if_fail (service != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, atelier_session_remove_key_async);
  g_task_set_task_data (task, g_strdup (service), g_free);
  atelier_secret_clear_async (service, cancellable, clear_key_cb, g_steal_pointer (&task));
}

gboolean
atelier_session_remove_key_finish (AtelierSession  *self,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == atelier_session_remove_key_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Getters */

AtelierSessionMode
atelier_session_get_mode (AtelierSession *self)
{
  g_return_val_if_fail (ATELIER_IS_SESSION (self), ATELIER_SESSION_MODE_STARTING);
  return self->mode;
}

gboolean
atelier_session_is_ready (AtelierSession *self)
{
  g_return_val_if_fail (ATELIER_IS_SESSION (self), FALSE);
  return self->mode != ATELIER_SESSION_MODE_STARTING;
}

const GError *
atelier_session_get_error (AtelierSession *self)
{
  g_return_val_if_fail (ATELIER_IS_SESSION (self), NULL);
  return self->error;
}

AtelierAstriaClient *
atelier_session_get_astria_client (AtelierSession *self)
{
  g_return_val_if_fail (ATELIER_IS_SESSION (self), NULL);
  return self->astria_client;
}

AtelierFalClient *
atelier_session_get_fal_client (AtelierSession *self)
{
  g_return_val_if_fail (ATELIER_IS_SESSION (self), NULL);
  return self->fal_client;
}

gboolean
atelier_session_has_fal_key (AtelierSession *self)
{
  g_return_val_if_fail (ATELIER_IS_SESSION (self), FALSE);
  return self->fal_key != NULL;
}

AtelierSandboxServer *
atelier_session_get_sandbox (AtelierSession *self)
{
  g_return_val_if_fail (ATELIER_IS_SESSION (self), NULL);
  return self->sandbox;
}

const char *
atelier_session_get_sandbox_dir (AtelierSession *self)
{
  g_return_val_if_fail (ATELIER_IS_SESSION (self), NULL);
  return self->sandbox_dir;
}

AtelierImageCache *
atelier_session_get_image_cache (AtelierSession *self)
{
  g_return_val_if_fail (ATELIER_IS_SESSION (self), NULL);

  if (self->image_cache == NULL)
    self->image_cache = atelier_image_cache_new (NULL, NULL);

  return self->image_cache;
}

/* Names the account whose likes and library are shown: the sandbox by its
 * folder (its port changes), an account by its URL. */
static char *
dup_account_name (AtelierSession *self)
{
  if (self->mode == ATELIER_SESSION_MODE_ACCOUNT && self->astria_client != NULL)
    return g_strconcat ("astria:", atelier_astria_client_get_base_url (self->astria_client), NULL);

  return g_strconcat ("sandbox:", self->sandbox_dir, NULL);
}

AtelierLibrary *
atelier_session_get_library (AtelierSession *self)
{
  g_autofree char *account = NULL;

  g_return_val_if_fail (ATELIER_IS_SESSION (self), NULL);

  if (self->library == NULL)
    self->library = atelier_library_new (atelier_session_get_image_cache (self), NULL);

  account = dup_account_name (self);
  atelier_library_set_account (self->library, account);

  return self->library;
}

AtelierLikes *
atelier_session_get_likes (AtelierSession *self)
{
  g_autofree char *account = NULL;

  g_return_val_if_fail (ATELIER_IS_SESSION (self), NULL);

  if (self->likes == NULL)
    self->likes = atelier_likes_new (NULL, atelier_session_get_library (self));

  account = dup_account_name (self);
  atelier_likes_set_account (self->likes, self->astria_client, account);

  return self->likes;
}

/* GObject */

static void
atelier_session_constructed (GObject *object)
{
  AtelierSession *self = ATELIER_SESSION (object);

  G_OBJECT_CLASS (atelier_session_parent_class)->constructed (object);

  if (self->sandbox_dir == NULL)
    self->sandbox_dir = g_build_filename (g_get_user_data_dir (), "atelier", "sandbox", NULL);
}

static void
atelier_session_dispose (GObject *object)
{
  AtelierSession *self = ATELIER_SESSION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->astria_client);
  g_clear_object (&self->fal_client);
  if (self->sandbox != NULL)
    atelier_sandbox_server_stop (self->sandbox);
  g_clear_object (&self->sandbox);
  g_clear_object (&self->likes);
  g_clear_object (&self->library);
  g_clear_object (&self->image_cache);

  G_OBJECT_CLASS (atelier_session_parent_class)->dispose (object);
}

static void
atelier_session_finalize (GObject *object)
{
  AtelierSession *self = ATELIER_SESSION (object);

  g_clear_object (&self->cancellable);
  g_clear_error (&self->error);
  g_free (self->sandbox_dir);
  g_free (self->sandbox_url);
  clear_key (&self->sandbox_key);
  clear_key (&self->astria_key);
  clear_key (&self->fal_key);

  G_OBJECT_CLASS (atelier_session_parent_class)->finalize (object);
}

static void
atelier_session_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AtelierSession *self = ATELIER_SESSION (object);

  switch (prop_id)
    {
    case PROP_SANDBOX_DIR:
      g_value_set_string (value, self->sandbox_dir);
      break;
    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;
    case PROP_ASTRIA_CLIENT:
      g_value_set_object (value, self->astria_client);
      break;
    case PROP_FAL_CLIENT:
      g_value_set_object (value, self->fal_client);
      break;
    case PROP_HAS_FAL_KEY:
      g_value_set_boolean (value, self->fal_key != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_session_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  AtelierSession *self = ATELIER_SESSION (object);

  switch (prop_id)
    {
    case PROP_SANDBOX_DIR:
      self->sandbox_dir = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_session_class_init (AtelierSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = atelier_session_constructed;
  object_class->dispose = atelier_session_dispose;
  object_class->finalize = atelier_session_finalize;
  object_class->get_property = atelier_session_get_property;
  object_class->set_property = atelier_session_set_property;

  properties[PROP_SANDBOX_DIR] =
    g_param_spec_string ("sandbox-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL,
                       ATELIER_TYPE_SESSION_MODE, ATELIER_SESSION_MODE_STARTING,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ASTRIA_CLIENT] =
    g_param_spec_object ("astria-client", NULL, NULL,
                         ATELIER_TYPE_ASTRIA_CLIENT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FAL_CLIENT] =
    g_param_spec_object ("fal-client", NULL, NULL,
                         ATELIER_TYPE_FAL_CLIENT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_FAL_KEY] =
    g_param_spec_boolean ("has-fal-key", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
atelier_session_init (AtelierSession *self)
{
  self->cancellable = g_cancellable_new ();
}

AtelierSession *
atelier_session_new (const char *sandbox_dir)
{
  return g_object_new (ATELIER_TYPE_SESSION,
                       "sandbox-dir", sandbox_dir,
                       NULL);
}
