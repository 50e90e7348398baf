/* atelier-tune-upload.c: creating a tune, idempotently
 *
 * The phases are in the header. One run is one GTask: it owns the Run
 * below (one free function), each step's callback takes the task back,
 * and every way out goes through run_complete(), which deletes the copies
 * before returning. The object keeps only what callers read: the inputs,
 * the phase, the bytes sent, whether the tune may exist and what a look-up
 * found.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-models-private.h"
#include "atelier-photo-checks.h"
#include "atelier-tune-upload.h"

struct _AtelierTuneUpload
{
  GObject                 parent_instance;

  AtelierAstriaClient    *client;
  AtelierTuneParams      *params;
  GHashTable             *downscale;       /* (element-type GFile) set */
  AtelierTuneUploadPhase  phase;
  gboolean                may_have_arrived;
  AtelierTuneUploadCheck  check;
  gint64                  sent;
  gint64                  total;
  gint64                  pack_id;         /* 0: POST /tunes */
};

G_DEFINE_FINAL_TYPE (AtelierTuneUpload, atelier_tune_upload, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (AtelierTuneUploadPhase, atelier_tune_upload_phase,
  G_DEFINE_ENUM_VALUE (ATELIER_TUNE_UPLOAD_PHASE_NONE, "none"),
  G_DEFINE_ENUM_VALUE (ATELIER_TUNE_UPLOAD_PHASE_LOOKING_UP, "looking-up"),
  G_DEFINE_ENUM_VALUE (ATELIER_TUNE_UPLOAD_PHASE_PREPARING, "preparing"),
  G_DEFINE_ENUM_VALUE (ATELIER_TUNE_UPLOAD_PHASE_UPLOADING, "uploading"),
  G_DEFINE_ENUM_VALUE (ATELIER_TUNE_UPLOAD_PHASE_CHECKING, "checking"),
  G_DEFINE_ENUM_VALUE (ATELIER_TUNE_UPLOAD_PHASE_DONE, "done"))

G_DEFINE_ENUM_TYPE (AtelierTuneUploadCheck, atelier_tune_upload_check,
  G_DEFINE_ENUM_VALUE (ATELIER_TUNE_UPLOAD_CHECK_NONE, "none"),
  G_DEFINE_ENUM_VALUE (ATELIER_TUNE_UPLOAD_CHECK_FOUND_EARLIER, "found-earlier"),
  G_DEFINE_ENUM_VALUE (ATELIER_TUNE_UPLOAD_CHECK_FOUND, "found"),
  G_DEFINE_ENUM_VALUE (ATELIER_TUNE_UPLOAD_CHECK_ABSENT, "absent"),
  G_DEFINE_ENUM_VALUE (ATELIER_TUNE_UPLOAD_CHECK_FAILED, "failed"))

enum {
  PROP_0,
  PROP_PHASE,
  PROP_MAY_HAVE_ARRIVED,
  PROP_CHECK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_phase (AtelierTuneUpload      *self,
           AtelierTuneUploadPhase  phase)
{
  if (self->phase == phase)
    return;

  self->phase = phase;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHASE]);
}

static void
set_may_have_arrived (AtelierTuneUpload *self,
                      gboolean           may_have_arrived)
{
  _atelier_set_flag (self, &self->may_have_arrived, may_have_arrived, properties[PROP_MAY_HAVE_ARRIVED]);
}

static void
set_check (AtelierTuneUpload      *self,
           AtelierTuneUploadCheck  check)
{
  if (self->check == check)
    return;

  self->check = check;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECK]);
}

/* {{{ The run */

typedef struct
{
  GHashTable  *downscale;  /* (owned) the object's, not changed once running */
  GPtrArray   *images;     /* (owned) (element-type GFile) the params' own, in order */
  GPtrArray   *sent;       /* (owned) (element-type GFile) with copies: what is sent, in order */
  GPtrArray   *copies;     /* (owned) (element-type GFile) to delete at the end */
  AtelierTune *tune;       /* (owned) (nullable) the outcome … */
  GError      *error;      /* (owned) (nullable) … or this */
  GError      *post_error; /* (owned) (nullable) how the POST failed, while CHECKING */
} Run;

static void
run_free (Run *run)
{
  g_clear_pointer (&run->downscale, g_hash_table_unref);
  g_clear_pointer (&run->images, g_ptr_array_unref);
  g_clear_pointer (&run->sent, g_ptr_array_unref);
  g_clear_pointer (&run->copies, g_ptr_array_unref);
  g_clear_object (&run->tune);
  g_clear_error (&run->error);
  g_clear_error (&run->post_error);
  g_free (run);
}

static void
delete_copies_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  Run *run = task_data;

  for (guint i = 0; i < run->copies->len; i++)
    g_file_delete (g_ptr_array_index (run->copies, i), NULL, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
copies_deleted_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AtelierTuneUpload *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  g_ptr_array_set_size (run->copies, 0);
  set_phase (self, ATELIER_TUNE_UPLOAD_PHASE_DONE);

  if (run->tune != NULL)
    g_task_return_pointer (task, g_steal_pointer (&run->tune), g_object_unref);
  else
    g_task_return_error (task, g_steal_pointer (&run->error));
}

/* The one way out: takes @task, and @tune or @error. */
static void
run_complete (GTask       *task,
              AtelierTune *tune,
              GError      *error)
{
  AtelierTuneUpload *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GTask) cleanup = NULL;

  g_assert ((tune == NULL) != (error == NULL));
  run->tune = tune;
  run->error = error;
  if (tune != NULL)
    set_may_have_arrived (self, TRUE);

  /* Not cancellable: the copies go whatever happened. No source object:
   * the worker thread may drop the last reference of a threaded task
   * after its callback ran. */
  cleanup = g_task_new (NULL, NULL, copies_deleted_cb, task);
  g_task_set_source_tag (cleanup, run_complete);
  g_task_set_task_data (cleanup, run, NULL);
  if (run->copies->len > 0)
    g_task_run_in_thread (cleanup, delete_copies_thread);
  else
    g_task_return_boolean (cleanup, TRUE);
}

static void
progress_cb (goffset  sent,
             goffset  total,
             gpointer user_data)
{
  AtelierTuneUpload *self = user_data;

  self->sent = sent;
  self->total = total;
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, (gint64) sent, (gint64) total);
}

static void
swap_images (AtelierTuneParams *params,
             GPtrArray         *images)
{
  atelier_tune_params_clear_images (params);
  for (guint i = 0; i < images->len; i++)
    atelier_tune_params_add_image (params, g_ptr_array_index (images, i));
}

static void
check_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AtelierTuneUpload *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  AtelierTune *tune;

  tune = atelier_astria_client_find_tune_by_title_finish (ATELIER_ASTRIA_CLIENT (source), result, &error);
  if (tune != NULL)
    {
      /* The answer was lost, the tune was made. */
      set_check (self, ATELIER_TUNE_UPLOAD_CHECK_FOUND);
      g_clear_error (&run->post_error);
      run_complete (g_steal_pointer (&task), tune, NULL);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Stopped by the user: not checked, and said as a cancel. */
      g_clear_error (&run->post_error);
      run_complete (g_steal_pointer (&task), NULL, g_steal_pointer (&error));
      return;
    }

  set_check (self, error == NULL ? ATELIER_TUNE_UPLOAD_CHECK_ABSENT : ATELIER_TUNE_UPLOAD_CHECK_FAILED);
  run_complete (g_steal_pointer (&task), NULL, g_steal_pointer (&run->post_error));
}

/* The POST failed with @error, which may still have made the tune: look
 * its title up at once, so that the caller can say which. */
static gboolean
should_check (const GError *error)
{
  /* A cancel is the user's; a 504 the client has looked up already. */
  return !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
         !g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_GATEWAY_TIMEOUT) &&
         atelier_api_error_may_have_arrived (error);
}

static void
create_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AtelierTuneUpload *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  const char *title;
  AtelierTune *tune;
  GError *error = NULL;

  if (self->pack_id != 0)
    tune = atelier_astria_client_create_pack_tune_finish (ATELIER_ASTRIA_CLIENT (source), result, &error);
  else
    tune = atelier_astria_client_create_tune_finish (ATELIER_ASTRIA_CLIENT (source), result, &error);
  if (run->copies->len > 0)
    swap_images (self->params, run->images);

  if (tune != NULL)
    {
      run_complete (g_steal_pointer (&task), tune, NULL);
      return;
    }

  /* Cancelled while sending: the whole body may have been there. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      atelier_api_error_may_have_arrived (error))
    set_may_have_arrived (self, TRUE);

  /* The client's look-up after a 504 did not find it. */
  if (g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_GATEWAY_TIMEOUT))
    set_check (self, ATELIER_TUNE_UPLOAD_CHECK_ABSENT);

  title = atelier_params_get_string (ATELIER_PARAMS (self->params), "title");
  if (title != NULL && should_check (error))
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      run->post_error = error;
      set_phase (self, ATELIER_TUNE_UPLOAD_PHASE_CHECKING);
      atelier_astria_client_find_tune_by_title_async (self->client, title, cancellable,
                                                      check_cb, g_steal_pointer (&task));
      return;
    }

  run_complete (g_steal_pointer (&task), NULL, error);
}

static void
send_create (GTask *task)
{
  AtelierTuneUpload *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  set_phase (self, ATELIER_TUNE_UPLOAD_PHASE_UPLOADING);
  if (run->copies->len > 0)
    swap_images (self->params, run->sent);
  if (self->pack_id != 0)
    atelier_astria_client_create_pack_tune_async (self->client, self->pack_id, self->params, progress_cb, self,
                                                  g_task_get_cancellable (task), create_cb, task);
  else
    atelier_astria_client_create_tune_async (self->client, self->params, progress_cb, self,
                                             g_task_get_cancellable (task), create_cb, task);
}

static void
prepare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Run *run = task_data;
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "atelier", "uploads", NULL);

  for (guint i = 0; i < run->images->len; i++)
    {
      GFile *image = g_ptr_array_index (run->images, i);
      GError *error = NULL;
      g_autoptr(GFile) copy = NULL;

      if (!g_hash_table_contains (run->downscale, image))
        {
          g_ptr_array_add (run->sent, g_object_ref (image));
          continue;
        }

      copy = atelier_photo_write_upload_copy (image, dir, cancellable, &error);
      if (copy == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      g_ptr_array_add (run->copies, g_object_ref (copy));
      g_ptr_array_add (run->sent, g_steal_pointer (&copy));
    }

  g_task_return_boolean (task, TRUE);
}

static void
prepared_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      run_complete (g_steal_pointer (&task), NULL, error);
      return;
    }

  send_create (g_steal_pointer (&task));
}

static void
prepare (GTask *task)
{
  AtelierTuneUpload *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GTask) thread_task = NULL;

  if (g_hash_table_size (run->downscale) == 0)
    {
      send_create (task);
      return;
    }

  set_phase (self, ATELIER_TUNE_UPLOAD_PHASE_PREPARING);
  thread_task = g_task_new (NULL, g_task_get_cancellable (task), prepared_cb, task);
  g_task_set_source_tag (thread_task, prepare);
  g_task_set_task_data (thread_task, run, NULL);
  g_task_run_in_thread (thread_task, prepare_thread);
}

static void
find_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AtelierTuneUpload *self = g_task_get_source_object (task);
  AtelierTune *tune;
  GError *error = NULL;

  tune = atelier_astria_client_find_tune_by_title_finish (ATELIER_ASTRIA_CLIENT (source), result, &error);
  if (tune != NULL || error != NULL)
    {
      /* Found: the earlier try did get there. */
      if (tune != NULL)
        set_check (self, ATELIER_TUNE_UPLOAD_CHECK_FOUND_EARLIER);
      run_complete (g_steal_pointer (&task), tune, error);
      return;
    }

  prepare (g_steal_pointer (&task));
}

void
atelier_tune_upload_run_async (AtelierTuneUpload   *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GPtrArray *images;
  const char *title;
  Run *run;

  g_return_if_fail (ATELIER_IS_TUNE_UPLOAD (self));
  g_return_if_fail (self->phase == ATELIER_TUNE_UPLOAD_PHASE_NONE);

  images = atelier_tune_params_get_images (self->params);
  run = g_new0 (Run, 1);
  run->downscale = g_hash_table_ref (self->downscale);
  run->images = g_ptr_array_new_full (images->len, g_object_unref);
  for (guint i = 0; i < images->len; i++)
    g_ptr_array_add (run->images, g_object_ref (g_ptr_array_index (images, i)));
  run->sent = g_ptr_array_new_with_free_func (g_object_unref);
  run->copies = g_ptr_array_new_with_free_func (g_object_unref);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, atelier_tune_upload_run_async);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);
  /* A tune created or found is the result, cancelled or not. */
  g_task_set_check_cancellable (task, FALSE);

  title = atelier_params_get_string (ATELIER_PARAMS (self->params), "title");
  if (self->may_have_arrived && title != NULL)
    {
      set_phase (self, ATELIER_TUNE_UPLOAD_PHASE_LOOKING_UP);
      atelier_astria_client_find_tune_by_title_async (self->client, title, cancellable,
                                                      find_cb, g_steal_pointer (&task));
      return;
    }

  prepare (g_steal_pointer (&task));
}

AtelierTune *
atelier_tune_upload_run_finish (AtelierTuneUpload  *self,
                                GAsyncResult       *result,
                                GError            **error)
{
  return g_task_propagate_pointer (_atelier_task_check (result, self, atelier_tune_upload_run_async), error);
}

/* }}} */

/* {{{ GObject */

AtelierTuneUpload *
atelier_tune_upload_new (AtelierAstriaClient *client,
                         AtelierTuneParams   *params,
                         gboolean             may_exist)
{
  AtelierTuneUpload *self;

  g_return_val_if_fail (ATELIER_IS_ASTRIA_CLIENT (client), NULL);
  g_return_val_if_fail (ATELIER_IS_TUNE_PARAMS (params), NULL);

  self = g_object_new (ATELIER_TYPE_TUNE_UPLOAD, NULL);
  self->client = g_object_ref (client);
  self->params = g_object_ref (params);
  self->may_have_arrived = !!may_exist;

  return self;
}

void
atelier_tune_upload_downscale (AtelierTuneUpload *self,
                               GFile             *image)
{
  g_return_if_fail (ATELIER_IS_TUNE_UPLOAD (self));
  g_return_if_fail (G_IS_FILE (image));
  g_return_if_fail (self->phase == ATELIER_TUNE_UPLOAD_PHASE_NONE);

  g_hash_table_add (self->downscale, g_object_ref (image));
}

void
atelier_tune_upload_set_pack_id (AtelierTuneUpload *self,
                                 gint64             pack_id)
{
  g_return_if_fail (ATELIER_IS_TUNE_UPLOAD (self));
  g_return_if_fail (self->phase == ATELIER_TUNE_UPLOAD_PHASE_NONE);

  self->pack_id = pack_id;
}

guint
atelier_tune_upload_get_n_downscaled (AtelierTuneUpload *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE_UPLOAD (self), 0);
  return g_hash_table_size (self->downscale);
}

AtelierTuneUploadPhase
atelier_tune_upload_get_phase (AtelierTuneUpload *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE_UPLOAD (self), ATELIER_TUNE_UPLOAD_PHASE_NONE);
  return self->phase;
}

gboolean
atelier_tune_upload_get_may_have_arrived (AtelierTuneUpload *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE_UPLOAD (self), TRUE);
  return self->may_have_arrived;
}

AtelierTuneUploadCheck
atelier_tune_upload_get_check (AtelierTuneUpload *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE_UPLOAD (self), ATELIER_TUNE_UPLOAD_CHECK_NONE);
  return self->check;
}

gint64
atelier_tune_upload_get_bytes_sent (AtelierTuneUpload *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE_UPLOAD (self), 0);
  return self->sent;
}

gint64
atelier_tune_upload_get_bytes_total (AtelierTuneUpload *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNE_UPLOAD (self), 0);
  return self->total;
}

static void
atelier_tune_upload_finalize (GObject *object)
{
  AtelierTuneUpload *self = ATELIER_TUNE_UPLOAD (object);

  g_clear_object (&self->client);
  g_clear_object (&self->params);
  g_clear_pointer (&self->downscale, g_hash_table_unref);

  G_OBJECT_CLASS (atelier_tune_upload_parent_class)->finalize (object);
}

static void
atelier_tune_upload_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  AtelierTuneUpload *self = ATELIER_TUNE_UPLOAD (object);

  switch (prop_id)
    {
    case PROP_PHASE:
      g_value_set_enum (value, self->phase);
      break;
    case PROP_MAY_HAVE_ARRIVED:
      g_value_set_boolean (value, self->may_have_arrived);
      break;
    case PROP_CHECK:
      g_value_set_enum (value, self->check);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_tune_upload_class_init (AtelierTuneUploadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = atelier_tune_upload_finalize;
  object_class->get_property = atelier_tune_upload_get_property;

  properties[PROP_PHASE] =
    g_param_spec_enum ("phase", NULL, NULL,
                       ATELIER_TYPE_TUNE_UPLOAD_PHASE, ATELIER_TUNE_UPLOAD_PHASE_NONE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAY_HAVE_ARRIVED] = _atelier_param_spec_flag ("may-have-arrived", FALSE);
  properties[PROP_CHECK] =
    g_param_spec_enum ("check", NULL, NULL,
                       ATELIER_TYPE_TUNE_UPLOAD_CHECK, ATELIER_TUNE_UPLOAD_CHECK_NONE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AtelierTuneUpload::progress:
   * @sent: bytes of the request body written
   * @total: of this many
   */
  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);
}

static void
atelier_tune_upload_init (AtelierTuneUpload *self)
{
  self->downscale = g_hash_table_new_full (g_file_hash, (GEqualFunc) g_file_equal,
                                           g_object_unref, NULL);
}

/* }}} */
