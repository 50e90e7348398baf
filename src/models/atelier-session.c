/* atelier-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-models-private.h"
#include "atelier-session.h"

struct _AtelierSession
{
  GObject               parent_instance;

  AtelierSessionMode    mode;
  GError               *error;
  AtelierAstriaClient  *astria_client;
  AtelierFalClient     *fal_client;
  gboolean              own_fal_key;
  char                 *account;
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
  PROP_MODE,
  PROP_ASTRIA_CLIENT,
  PROP_FAL_CLIENT,
  PROP_HAS_FAL_KEY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  PROMPT_CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_mode (AtelierSession     *self,
          AtelierSessionMode  mode)
{
  if (self->mode == mode)
    return;
  self->mode = mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
}

void
atelier_session_fail (AtelierSession *self,
                      GError         *error)
{
  g_return_if_fail (ATELIER_IS_SESSION (self));
  g_return_if_fail (error != NULL);

  g_clear_error (&self->error);
  self->error = error;
  g_warning ("Atelier cannot reach any service: %s", error->message);
  set_mode (self, ATELIER_SESSION_MODE_FAILED);
}

void
atelier_session_set_starting (AtelierSession *self)
{
  g_return_if_fail (ATELIER_IS_SESSION (self));
  set_mode (self, ATELIER_SESSION_MODE_STARTING);
}

gboolean
atelier_session_connect (AtelierSession      *self,
                         AtelierSessionMode   mode,
                         const char          *astria_url,
                         const char          *astria_key,
                         const char          *fal_url,
                         const char          *fal_key,
                         gboolean             own_fal_key,
                         const char          *account,
                         GError             **error)
{
  g_autoptr(AtelierAstriaClient) astria = NULL;
  g_autoptr(AtelierFalClient) fal = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (ATELIER_IS_SESSION (self), FALSE);
  g_return_val_if_fail (mode == ATELIER_SESSION_MODE_SANDBOX ||
                        mode == ATELIER_SESSION_MODE_ACCOUNT, FALSE);

  astria = atelier_astria_client_new (astria_url, astria_key, &local_error);
  if (astria == NULL)
    {
      if (error != NULL)
        *error = g_error_copy (local_error);
      atelier_session_fail (self, g_steal_pointer (&local_error));
      return FALSE;
    }

  fal = atelier_fal_client_new (fal_url, fal_key, &local_error);
  if (fal == NULL)
    {
      /* A bad $ATELIER_FAL_URL must not take Astria down with it. */
      g_warning ("Cannot use the fal.ai service: %s", local_error->message);
      g_clear_error (&local_error);
    }

  g_clear_error (&self->error);
  g_free (self->account);
  self->account = account != NULL ? g_strdup (account)
                                  : g_strconcat ("astria:", atelier_astria_client_get_base_url (astria), NULL);
  self->own_fal_key = own_fal_key && fal != NULL;

  /* :mode last: who waits for it finds the clients in place. */
  g_set_object (&self->astria_client, astria);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ASTRIA_CLIENT]);
  g_set_object (&self->fal_client, fal);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAL_CLIENT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_FAL_KEY]);
  set_mode (self, mode);

  return TRUE;
}

void
atelier_session_announce_prompt (AtelierSession *self,
                                 AtelierPrompt  *prompt)
{
  g_return_if_fail (ATELIER_IS_SESSION (self));
  g_return_if_fail (ATELIER_IS_PROMPT (prompt));

  g_signal_emit (self, signals[PROMPT_CREATED], 0, prompt);
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
  return self->own_fal_key;
}

AtelierImageCache *
atelier_session_get_image_cache (AtelierSession *self)
{
  g_return_val_if_fail (ATELIER_IS_SESSION (self), NULL);

  if (self->image_cache == NULL)
    self->image_cache = atelier_image_cache_new (NULL, NULL);

  return self->image_cache;
}

/* Whose likes and library are shown: told by the app on connect. */
static const char *
account_name (AtelierSession *self)
{
  return self->account != NULL ? self->account : "none:";
}

AtelierLibrary *
atelier_session_get_library (AtelierSession *self)
{
  g_return_val_if_fail (ATELIER_IS_SESSION (self), NULL);

  if (self->library == NULL)
    self->library = atelier_library_new (atelier_session_get_image_cache (self), NULL);

  atelier_library_set_account (self->library, account_name (self));

  return self->library;
}

AtelierLikes *
atelier_session_get_likes (AtelierSession *self)
{
  g_return_val_if_fail (ATELIER_IS_SESSION (self), NULL);

  if (self->likes == NULL)
    self->likes = atelier_likes_new (NULL, atelier_session_get_library (self));

  atelier_likes_set_account (self->likes, self->astria_client, account_name (self));

  return self->likes;
}

/* GObject */

static void
atelier_session_dispose (GObject *object)
{
  AtelierSession *self = ATELIER_SESSION (object);

  g_clear_object (&self->astria_client);
  g_clear_object (&self->fal_client);
  g_clear_object (&self->likes);
  g_clear_object (&self->library);
  g_clear_object (&self->image_cache);

  G_OBJECT_CLASS (atelier_session_parent_class)->dispose (object);
}

static void
atelier_session_finalize (GObject *object)
{
  AtelierSession *self = ATELIER_SESSION (object);

  g_clear_error (&self->error);
  g_free (self->account);

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
      g_value_set_boolean (value, self->own_fal_key);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_session_class_init (AtelierSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = atelier_session_dispose;
  object_class->finalize = atelier_session_finalize;
  object_class->get_property = atelier_session_get_property;

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
  properties[PROP_HAS_FAL_KEY] = _atelier_param_spec_flag ("has-fal-key", FALSE);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AtelierSession::prompt-created:
   * @prompt: the prompt the service answered with, usually pending
   */
  signals[PROMPT_CREATED] =
    g_signal_new ("prompt-created",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, ATELIER_TYPE_PROMPT);
}

static void
atelier_session_init (AtelierSession *self)
{
}

AtelierSession *
atelier_session_new (void)
{
  return g_object_new (ATELIER_TYPE_SESSION, NULL);
}
