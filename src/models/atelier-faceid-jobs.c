/* atelier-faceid-jobs.c: fal.ai FaceID requests, kept across restarts
 *
 * The list of an account's jobs, newest first, and what is asked of it:
 * reading the account's jobs (and polling again those that were
 * waiting), submitting a new one (the input checked and the face made a
 * data URL before anything is listed), cancel, retry and remove. Each
 * listed job has a run (atelier-faceid-run.c) that drives it through fal
 * and writes its folder (atelier-faceid-job-folder.c); the runs share the
 * client, the library and the poll interval through an
 * AtelierFaceidRunHost this object owns.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-api-error.h"
#include "atelier-fal-face.h"
#include "atelier-faceid-run-private.h"
#include "atelier-json-private.h"
#include "atelier-models-private.h"

struct _AtelierFaceidJobs
{
  GObject               parent_instance;

  char                 *dir;
  char                 *account;
  char                 *account_dir;   /* NULL without an account */
  GPtrArray            *jobs;          /* AtelierFaceidJob, newest first */
  GHashTable           *runs;          /* AtelierFaceidJob → AtelierFaceidRun (owned) */
  GCancellable         *cancellable;   /* of the account's load */
  AtelierFalClient     *client;
  AtelierLibrary       *library;
  AtelierFaceidRunHost  host;          /* the client and library unowned */
  gboolean              loaded;
  guint                 n_writing;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AtelierFaceidJobs, atelier_faceid_jobs, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  JOB_FINISHED,
  ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* {{{ GListModel */

static GType
get_item_type (GListModel *list)
{
  return ATELIER_TYPE_FACEID_JOB;
}

static guint
get_n_items (GListModel *list)
{
  return ATELIER_FACEID_JOBS (list)->jobs->len;
}

static gpointer
get_item (GListModel *list,
          guint       position)
{
  AtelierFaceidJobs *self = ATELIER_FACEID_JOBS (list);

  return _atelier_items_get (self->jobs, position);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* }}} *//* {{{ Runs */

static void
run_finished (GObject          *owner,
              AtelierFaceidJob *job)
{
  g_signal_emit (owner, signals[JOB_FINISHED], 0, job);
}

static void
run_error (GObject      *owner,
           const GError *error)
{
  g_signal_emit (owner, signals[ERROR], 0, error);
}

static void
folder_busy (gpointer      owner,
             gboolean      busy,
             const GError *error)
{
  AtelierFaceidJobs *self = owner;

  if (busy)
    {
      self->n_writing++;
      return;
    }

  g_assert (self->n_writing > 0);
  self->n_writing--;
  if (error != NULL)
    g_signal_emit (self, signals[ERROR], 0, error);
}

static AtelierFaceidRun *
get_run (AtelierFaceidJobs *self,
         AtelierFaceidJob  *job)
{
  AtelierFaceidRun *run = g_hash_table_lookup (self->runs, job);

  if (run == NULL)
    {
      AtelierFaceidJobFolder *folder = NULL;

      if (self->account_dir != NULL)
        folder = _atelier_faceid_job_folder_new (self->account_dir, job, G_OBJECT (self), folder_busy);
      run = _atelier_faceid_run_new (&self->host, job, folder);
      g_hash_table_insert (self->runs, job, run);
    }

  return run;
}

/* }}} */
/* {{{ Submit, cancel, retry, remove */

static gboolean
is_data_url (JsonObject *object,
             const char *member)
{
  const char *value = _atelier_json_get_string (object, member);

  return value != NULL && g_ascii_strncasecmp (value, "data:", 5) == 0;
}

AtelierFaceidJob *
atelier_faceid_jobs_submit (AtelierFaceidJobs  *self,
                            JsonObject         *input,
                            const char         *face_url,
                            GPtrArray          *faces,
                            const char         *face_label,
                            GError            **error)
{
  g_autoptr(AtelierFaceidJob) job = NULL;
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(JsonNode) payload = NULL;
  guint n_faces = faces != NULL ? faces->len : 0;
  AtelierFaceidRun *run;

  g_return_val_if_fail (ATELIER_IS_FACEID_JOBS (self), NULL);
  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->client == NULL)
    {
      g_set_error_literal (error, ATELIER_API_ERROR, ATELIER_API_ERROR_UNAUTHORIZED,
                           _("No fal.ai key is set."));
      return NULL;
    }

  /* What is kept and shown: never a data URL. */
  stored = _atelier_faceid_json_object_copy (input);
  if (is_data_url (stored, "face_image_url"))
    json_object_remove_member (stored, "face_image_url");
  if (is_data_url (stored, "face_images_data_url"))
    json_object_remove_member (stored, "face_images_data_url");

  if (n_faces == 0)
    {
      if (face_url == NULL)
        face_url = _atelier_json_get_string (stored, "face_image_url");
      if (face_url == NULL || !atelier_fal_face_url_is_sendable (face_url))
        {
          g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM,
                       "face_image_url: %s", _("Choose a photo of the face."));
          return NULL;
        }
      json_object_remove_member (stored, "face_images_data_url");
      json_object_set_string_member (stored, "face_image_url", face_url);
    }
  else if (n_faces > ATELIER_FAL_MAX_FACES)
    {
      g_autofree char *message = g_strdup_printf (ngettext ("At most %d photo can be used.",
                                                            "At most %d photos can be used.",
                                                            ATELIER_FAL_MAX_FACES),
                                                  ATELIER_FAL_MAX_FACES);

      g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM,
                   "face_images_data_url: %s", message);
      return NULL;
    }
  else
    {
      json_object_remove_member (stored, "face_image_url");
    }

  payload = _atelier_faceid_input_build_payload (stored, faces, error);
  if (payload == NULL || !atelier_fal_validate_face_id_input (payload, error))
    return NULL;

  job = _atelier_faceid_job_new (stored, face_label, n_faces);
  g_ptr_array_insert (self->jobs, 0, g_object_ref (job));
  run = get_run (self, job);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, 1);
  _atelier_faceid_run_submit (run, faces, payload);

  return job;
}

void
atelier_faceid_jobs_cancel (AtelierFaceidJobs *self,
                            AtelierFaceidJob  *job)
{
  AtelierFaceidRun *run;

  g_return_if_fail (ATELIER_IS_FACEID_JOBS (self));
  g_return_if_fail (ATELIER_IS_FACEID_JOB (job));

  run = g_hash_table_lookup (self->runs, job);
  if (run != NULL)
    _atelier_faceid_run_cancel (run);
}

void
atelier_faceid_jobs_retry (AtelierFaceidJobs *self,
                           AtelierFaceidJob  *job)
{
  g_return_if_fail (ATELIER_IS_FACEID_JOBS (self));
  g_return_if_fail (ATELIER_IS_FACEID_JOB (job));

  if (!atelier_faceid_job_can_retry (job) || !g_ptr_array_find (self->jobs, job, NULL))
    return;

  _atelier_faceid_run_retry (get_run (self, job));
}

void
atelier_faceid_jobs_remove (AtelierFaceidJobs *self,
                            AtelierFaceidJob  *job)
{
  guint position;

  g_return_if_fail (ATELIER_IS_FACEID_JOBS (self));
  g_return_if_fail (ATELIER_IS_FACEID_JOB (job));

  if (atelier_faceid_job_is_active (job) || !g_ptr_array_find (self->jobs, job, &position))
    return;

  _atelier_faceid_run_remove (get_run (self, job));
  g_hash_table_remove (self->runs, job);

  g_ptr_array_remove_index (self->jobs, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

AtelierFaceidJob *
atelier_faceid_jobs_lookup (AtelierFaceidJobs *self,
                            const char        *id)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_JOBS (self), NULL);

  for (guint i = 0; id != NULL && i < self->jobs->len; i++)
    {
      if (g_strcmp0 (atelier_faceid_job_get_id (g_ptr_array_index (self->jobs, i)), id) == 0)
        return g_ptr_array_index (self->jobs, i);
    }

  return NULL;
}

/* }}} */
/* {{{ Resuming and loading */

/* Polls every waiting job that nothing drives, once everything is there. */
static void
resume_all (AtelierFaceidJobs *self)
{
  if (self->client == NULL || self->library == NULL || !self->loaded || self->account == NULL)
    return;

  for (guint i = 0; i < self->jobs->len; i++)
    {
      AtelierFaceidJob *job = g_ptr_array_index (self->jobs, i);
      AtelierFaceidJobState state = atelier_faceid_job_get_state (job);

      if (state == ATELIER_FACEID_JOB_IN_QUEUE || state == ATELIER_FACEID_JOB_IN_PROGRESS ||
          state == ATELIER_FACEID_JOB_SAVING)
        _atelier_faceid_run_resume (get_run (self, job));
    }
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(AtelierFaceidJobs) self = _atelier_weak_steal (user_data);
  g_autoptr(GPtrArray) jobs = _atelier_faceid_jobs_read_finish (result);
  guint old_n;

  if (self == NULL || jobs == NULL)
    return;

  old_n = self->jobs->len;
  /* Jobs submitted while reading stay at the top. */
  g_ptr_array_extend_and_steal (self->jobs, g_steal_pointer (&jobs));
  g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, self->jobs->len - old_n);

  _atelier_set_flag (self, &self->loaded, TRUE, properties[PROP_LOADED]);
  resume_all (self);
}

void
atelier_faceid_jobs_set_account (AtelierFaceidJobs *self,
                                 const char        *account)
{
  g_return_if_fail (ATELIER_IS_FACEID_JOBS (self));

  if (g_strcmp0 (self->account, account) == 0)
    return;
  g_free (self->account);
  self->account = g_strdup (account);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->account_dir, g_free);

  /* What the other account's jobs were doing stops; their files say
   * where they were, for the next time. */
  g_hash_table_remove_all (self->runs);
  _atelier_items_clear (G_LIST_MODEL (self), self->jobs);
  _atelier_set_flag (self, &self->loaded, account == NULL, properties[PROP_LOADED]);

  if (account == NULL)
    return;

  self->account_dir = _atelier_account_dir (self->dir, account, 0);
  self->cancellable = g_cancellable_new ();
  _atelier_faceid_jobs_read_async (self->account_dir, self->cancellable, loaded_cb, _atelier_weak_new (self));
}

gboolean
atelier_faceid_jobs_is_loaded (AtelierFaceidJobs *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_JOBS (self), FALSE);
  return self->loaded;
}

gboolean
atelier_faceid_jobs_is_writing (AtelierFaceidJobs *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_JOBS (self), FALSE);
  return self->n_writing > 0;
}

void
atelier_faceid_jobs_set_client (AtelierFaceidJobs *self,
                                AtelierFalClient  *client)
{
  g_return_if_fail (ATELIER_IS_FACEID_JOBS (self));
  g_return_if_fail (client == NULL || ATELIER_IS_FAL_CLIENT (client));

  /* Calls on their way finish on the old client; the next ones use this. */
  if (g_set_object (&self->client, client))
    {
      self->host.client = client;
      resume_all (self);
    }
}

void
atelier_faceid_jobs_set_library (AtelierFaceidJobs *self,
                                 AtelierLibrary    *library)
{
  g_return_if_fail (ATELIER_IS_FACEID_JOBS (self));
  g_return_if_fail (library == NULL || ATELIER_IS_LIBRARY (library));

  if (g_set_object (&self->library, library))
    {
      self->host.library = library;
      resume_all (self);
    }
}

void
atelier_faceid_jobs_set_poll_interval_ms (AtelierFaceidJobs *self,
                                          guint              interval_ms)
{
  g_return_if_fail (ATELIER_IS_FACEID_JOBS (self));
  self->host.poll_interval_ms = MAX (interval_ms, 1);
}

/* }}} */
/* {{{ GObject */

static void
atelier_faceid_jobs_dispose (GObject *object)
{
  AtelierFaceidJobs *self = ATELIER_FACEID_JOBS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_hash_table_remove_all (self->runs);
  g_clear_object (&self->client);
  g_clear_object (&self->library);
  self->host.client = NULL;
  self->host.library = NULL;

  G_OBJECT_CLASS (atelier_faceid_jobs_parent_class)->dispose (object);
}

static void
atelier_faceid_jobs_finalize (GObject *object)
{
  AtelierFaceidJobs *self = ATELIER_FACEID_JOBS (object);

  g_free (self->dir);
  g_free (self->account);
  g_free (self->account_dir);
  g_hash_table_unref (self->runs);
  g_ptr_array_unref (self->jobs);

  G_OBJECT_CLASS (atelier_faceid_jobs_parent_class)->finalize (object);
}

static void
atelier_faceid_jobs_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  AtelierFaceidJobs *self = ATELIER_FACEID_JOBS (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_faceid_jobs_class_init (AtelierFaceidJobsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = atelier_faceid_jobs_dispose;
  object_class->finalize = atelier_faceid_jobs_finalize;
  object_class->get_property = atelier_faceid_jobs_get_property;

  properties[PROP_LOADED] = _atelier_param_spec_flag ("loaded", TRUE);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[JOB_FINISHED] = g_signal_new ("job-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, ATELIER_TYPE_FACEID_JOB);
  signals[ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
atelier_faceid_jobs_init (AtelierFaceidJobs *self)
{
  self->jobs = g_ptr_array_new_with_free_func (g_object_unref);
  self->runs = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) _atelier_faceid_run_free);
  self->loaded = TRUE;   /* no account: nothing to read */
  self->host.owner = G_OBJECT (self);
  self->host.poll_interval_ms = 1000;
  self->host.finished = run_finished;
  self->host.error = run_error;
}

AtelierFaceidJobs *
atelier_faceid_jobs_new (const char *dir)
{
  AtelierFaceidJobs *self = g_object_new (ATELIER_TYPE_FACEID_JOBS, NULL);

  self->dir = dir != NULL ? g_strdup (dir) : g_build_filename (g_get_user_data_dir (), "atelier", "faceid", NULL);
  return self;
}

/* }}} */
