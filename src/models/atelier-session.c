/* atelier-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-error-presenter.h"
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
  AtelierPackRuns      *pack_runs;
  AtelierFaceidJobs    *faceid_jobs;

  /* offline */
  GNetworkMonitor      *monitor;
  guint                 connection_failures;
  AtelierSessionOffline offline;
};

G_DEFINE_FINAL_TYPE (AtelierSession, atelier_session, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (AtelierSessionMode, atelier_session_mode,
  G_DEFINE_ENUM_VALUE (ATELIER_SESSION_MODE_STARTING, "starting"),
  G_DEFINE_ENUM_VALUE (ATELIER_SESSION_MODE_SANDBOX, "sandbox"),
  G_DEFINE_ENUM_VALUE (ATELIER_SESSION_MODE_ACCOUNT, "account"),
  G_DEFINE_ENUM_VALUE (ATELIER_SESSION_MODE_FAILED, "failed"))

G_DEFINE_ENUM_TYPE (AtelierSessionOffline, atelier_session_offline,
  G_DEFINE_ENUM_VALUE (ATELIER_SESSION_ONLINE, "online"),
  G_DEFINE_ENUM_VALUE (ATELIER_SESSION_OFFLINE_NO_NETWORK, "no-network"),
  G_DEFINE_ENUM_VALUE (ATELIER_SESSION_OFFLINE_NO_ANSWER, "no-answer"))

enum {
  PROP_0,
  PROP_MODE,
  PROP_ASTRIA_CLIENT,
  PROP_FAL_CLIENT,
  PROP_HAS_FAL_KEY,
  PROP_OFFLINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  PROMPT_CREATED,
  TUNE_TRAINED,
  NETWORK_RESTORED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* {{{ Offline: the rule is in the header */

static void
update_offline (AtelierSession *self)
{
  AtelierSessionOffline offline = ATELIER_SESSION_ONLINE;

  if (self->mode == ATELIER_SESSION_MODE_ACCOUNT &&
      !g_network_monitor_get_network_available (self->monitor))
    offline = ATELIER_SESSION_OFFLINE_NO_NETWORK;
  else if (self->connection_failures >= ATELIER_SESSION_OFFLINE_FAILURES)
    offline = ATELIER_SESSION_OFFLINE_NO_ANSWER;

  if (self->offline == offline)
    return;
  self->offline = offline;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE]);
}

/* After every call of the Astria client but cancelled ones. */
static void
request_finished_cb (AtelierAstriaClient *client,
                     GError              *error,
                     AtelierSession      *self)
{
  if (error == NULL || atelier_error_is_answer (error))
    self->connection_failures = 0;
  else if (atelier_error_is_connection_failure (error) && self->connection_failures < G_MAXUINT)
    self->connection_failures++;
  /* Anything else failed before sending: it says nothing. */

  update_offline (self);
}

static void
network_changed_cb (GNetworkMonitor *monitor,
                    gboolean         available,
                    AtelierSession  *self)
{
  gboolean was_offline = self->offline != ATELIER_SESSION_ONLINE;

  /* A new network: the failures were on the old one. */
  if (available)
    self->connection_failures = 0;
  update_offline (self);

  if (was_offline && self->offline == ATELIER_SESSION_ONLINE)
    g_signal_emit (self, signals[NETWORK_RESTORED], 0);
}

/* }}} */

/* Whose likes and library are shown: told by the app on connect. */
static const char *
account_name (AtelierSession *self)
{
  return self->account != NULL ? self->account : "none:";
}

static void
set_mode (AtelierSession     *self,
          AtelierSessionMode  mode)
{
  if (self->mode == mode)
    return;
  self->mode = mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
  update_offline (self);
}

static void
set_astria_client (AtelierSession      *self,
                   AtelierAstriaClient *client)
{
  if (self->astria_client == client)
    return;

  if (self->astria_client != NULL)
    g_signal_handlers_disconnect_by_data (self->astria_client, self);
  g_set_object (&self->astria_client, client);
  if (client != NULL)
    g_signal_connect (client, "request-finished", G_CALLBACK (request_finished_cb), self);

  /* Another service: its failures are its own. */
  self->connection_failures = 0;
  update_offline (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ASTRIA_CLIENT]);
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
  set_astria_client (self, astria);
  g_set_object (&self->fal_client, fal);
  /* FaceID jobs go on being polled, with the new client (and the
   * account's library and jobs, if the account changed). */
  if (self->faceid_jobs != NULL)
    atelier_session_get_faceid_jobs (self);
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

void
atelier_session_announce_tune_trained (AtelierSession *self,
                                       gint64          tune_id)
{
  g_return_if_fail (ATELIER_IS_SESSION (self));
  g_return_if_fail (tune_id > 0);

  g_signal_emit (self, signals[TUNE_TRAINED], 0, tune_id);
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

AtelierSessionOffline
atelier_session_get_offline (AtelierSession *self)
{
  g_return_val_if_fail (ATELIER_IS_SESSION (self), ATELIER_SESSION_ONLINE);
  return self->offline;
}

gboolean
atelier_session_is_offline (AtelierSession *self)
{
  g_return_val_if_fail (ATELIER_IS_SESSION (self), FALSE);
  return self->offline != ATELIER_SESSION_ONLINE;
}

guint
atelier_session_get_connection_failures (AtelierSession *self)
{
  g_return_val_if_fail (ATELIER_IS_SESSION (self), 0);
  return self->connection_failures;
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

AtelierLibrary *
atelier_session_get_library (AtelierSession *self)
{
  g_return_val_if_fail (ATELIER_IS_SESSION (self), NULL);

  if (self->library == NULL)
    self->library = atelier_library_new (atelier_session_get_image_cache (self), NULL);

  atelier_library_set_account (self->library, account_name (self));

  return self->library;
}

AtelierPackRuns *
atelier_session_get_pack_runs (AtelierSession *self)
{
  g_return_val_if_fail (ATELIER_IS_SESSION (self), NULL);

  if (self->pack_runs == NULL)
    self->pack_runs = atelier_pack_runs_new (NULL);

  atelier_pack_runs_set_account (self->pack_runs, account_name (self));

  return self->pack_runs;
}

AtelierFaceidJobs *
atelier_session_get_faceid_jobs (AtelierSession *self)
{
  g_return_val_if_fail (ATELIER_IS_SESSION (self), NULL);

  if (self->faceid_jobs == NULL)
    self->faceid_jobs = atelier_faceid_jobs_new (NULL);

  /* The library first: loading the account's jobs resumes them into it. */
  atelier_faceid_jobs_set_library (self->faceid_jobs, atelier_session_get_library (self));
  atelier_faceid_jobs_set_client (self->faceid_jobs, self->fal_client);
  atelier_faceid_jobs_set_account (self->faceid_jobs, account_name (self));

  return self->faceid_jobs;
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

  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  if (self->astria_client != NULL)
    g_signal_handlers_disconnect_by_data (self->astria_client, self);
  g_clear_object (&self->astria_client);
  g_clear_object (&self->fal_client);
  g_clear_object (&self->likes);
  g_clear_object (&self->pack_runs);
  g_clear_object (&self->faceid_jobs);
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
    case PROP_OFFLINE:
      g_value_set_enum (value, self->offline);
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
  properties[PROP_OFFLINE] =
    g_param_spec_enum ("offline", NULL, NULL,
                       ATELIER_TYPE_SESSION_OFFLINE, ATELIER_SESSION_ONLINE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

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

  /**
   * AtelierSession::tune-trained:
   * @tune_id: the tune, seen training, now trained
   */
  signals[TUNE_TRAINED] =
    g_signal_new ("tune-trained",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  /**
   * AtelierSession::network-restored:
   *
   * :offline ended because the network came back: what failed may load now.
   */
  signals[NETWORK_RESTORED] =
    g_signal_new ("network-restored",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
atelier_session_init (AtelierSession *self)
{
  self->monitor = g_object_ref (g_network_monitor_get_default ());
  g_signal_connect (self->monitor, "network-changed", G_CALLBACK (network_changed_cb), self);
}

AtelierSession *
atelier_session_new (void)
{
  return g_object_new (ATELIER_TYPE_SESSION, NULL);
}
