/* atelier-photo-list.c: the training photos of a tune being composed
 *
 * One class, AtelierPhotoList (see the header for what it does): the
 * list model, the worker pool for local checks and thumbnails, duplicate
 * marking across photos, and the bounded queue of inspections with their
 * cancellation and retry. These share the photos' state and the counts
 * shown to the user, which is why they are one class.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-error-presenter.h"
#include "atelier-image-utils.h"
#include "atelier-models-private.h"
#include "atelier-photo-list.h"
#include "atelier-training-photo-private.h"

#define DEFAULT_THUMBNAIL_SIZE 256
/* Checked photos are shown in batches at most this often: every update
 * lays out and draws the whole grid again. */
#define ANALYSIS_BATCH_MS 100

enum {
  PROP_0,
  PROP_N_PHOTOS,
  /* Counted by recount (), kept in counts[] */
  PROP_N_WITH_WARNINGS,
  PROP_N_ANALYZING,
  PROP_N_INSPECTING,
  PROP_N_FAILED,
  PROP_N_UNUSABLE,
  PROP_SUMMARY,
  PROP_CLASS_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

struct _AtelierPhotoList
{
  GObject              parent_instance;

  GListStore          *photos;
  AtelierAstriaClient *client;
  char                *class_name;
  int                  thumbnail_size;

  guint                n_analyses;       /* checks pushed and not returned yet */
  GPtrArray           *analyzed;         /* (element-type Analyzed) waiting to be shown */
  guint                flush_id;

  GQueue               inspect_queue;    /* (element-type AtelierTrainingPhoto) (owned) */
  guint                n_running;        /* inspections in flight, cancelled ones until they return */

  guint                counts[N_PROPS];  /* PROP_N_WITH_WARNINGS … PROP_N_UNUSABLE */
  char                *summary;
};

G_DEFINE_FINAL_TYPE (AtelierPhotoList, atelier_photo_list, G_TYPE_OBJECT)

enum {
  INSPECTIONS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* {{{ Worker pool
 *
 * One pool for every list, as many threads as cores. Jobs wait sorted by
 * priority, then in the order pushed: the EXIF thumbnails (a millisecond
 * each) come first, so that every photo shows up at once, then the
 * thumbnails decoded from the photos, then the downscaling for
 * inspections. The results come back through each job's GTask, in the
 * main context. */

enum {
  PRIORITY_PREVIEW = -1,
  PRIORITY_THUMBNAIL = 0,
  PRIORITY_INSPECTION = 1,
};

typedef struct
{
  int              priority;
  guint64          seq;
  GTask           *task;      /* (owned) */
  GTaskThreadFunc  func;
} Job;

static gint
job_compare (gconstpointer a,
             gconstpointer b,
             gpointer      user_data)
{
  const Job *ja = a;
  const Job *jb = b;

  if (ja->priority != jb->priority)
    return ja->priority < jb->priority ? -1 : 1;
  return ja->seq < jb->seq ? -1 : ja->seq > jb->seq;
}

static void
job_run (gpointer data,
         gpointer user_data)
{
  Job *job = data;

  if (!g_task_return_error_if_cancelled (job->task))
    job->func (job->task,
               g_task_get_source_object (job->task),
               g_task_get_task_data (job->task),
               g_task_get_cancellable (job->task));

  g_object_unref (job->task);
  g_free (job);
}

static GThreadPool *
get_pool (void)
{
  static gsize initialized;
  static GThreadPool *pool;

  if (g_once_init_enter (&initialized))
    {
      pool = g_thread_pool_new (job_run, NULL, MAX (1, (int) g_get_num_processors ()), FALSE, NULL);
      g_thread_pool_set_sort_function (pool, job_compare, NULL);
      g_once_init_leave (&initialized, 1);
    }

  return pool;
}

static void
push_job (GTask           *task,
          int              priority,
          GTaskThreadFunc  func)
{
  static guint64 seq;
  Job *job = g_new0 (Job, 1);

  job->priority = priority;
  job->seq = seq++;   /* pushed from the main thread only */
  job->task = g_object_ref (task);
  job->func = func;
  g_thread_pool_push (get_pool (), job, NULL);
}

/* }}} */

/* {{{ Counts */

static void
recount (AtelierPhotoList *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->photos));
  guint counts[N_PROPS] = { 0 };
  g_autofree char *photos_text = NULL;
  g_autofree char *summary = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AtelierTrainingPhoto) photo = g_list_model_get_item (G_LIST_MODEL (self->photos), i);

      if (atelier_training_photo_has_warnings (photo))
        counts[PROP_N_WITH_WARNINGS]++;
      if (!atelier_training_photo_get_analyzed (photo) || _atelier_training_photo_get_checksum_pending (photo))
        counts[PROP_N_ANALYZING]++;
      if (atelier_training_photo_is_unusable (photo))
        counts[PROP_N_UNUSABLE]++;
      switch (atelier_training_photo_get_inspection_state (photo))
        {
        case ATELIER_INSPECTION_STATE_PENDING:
        case ATELIER_INSPECTION_STATE_RUNNING:
          counts[PROP_N_INSPECTING]++;
          break;
        case ATELIER_INSPECTION_STATE_FAILED:
          counts[PROP_N_FAILED]++;
          break;
        case ATELIER_INSPECTION_STATE_NONE:
        case ATELIER_INSPECTION_STATE_DONE:
        default:
          break;
        }
    }

  g_object_freeze_notify (G_OBJECT (self));
  for (guint prop = PROP_N_WITH_WARNINGS; prop <= PROP_N_UNUSABLE; prop++)
    _atelier_set_count (self, &self->counts[prop], counts[prop], properties[prop]);

  photos_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u photo", "%u photos", n), n);
  if (counts[PROP_N_WITH_WARNINGS] == 0)
    /* Translators: "14 photos · no warnings"; %s is the number of photos */
    summary = g_strdup_printf (_("%s · no warnings"), photos_text);
  else
    /* Translators: "14 photos · 3 with warnings"; %s is the number of photos
     * ("14 photos"), %u the number of photos with warnings */
    summary = g_strdup_printf (_("%s · %u with warnings"), photos_text, counts[PROP_N_WITH_WARNINGS]);
  if (g_strcmp0 (summary, self->summary) != 0)
    {
      g_free (self->summary);
      self->summary = g_steal_pointer (&summary);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void request_checksum (AtelierPhotoList     *self,
                              AtelierTrainingPhoto *photo);

/* The same bytes, as far as is known: only files of one size are
 * compared, and their checksums are computed when that first happens. */
static gboolean
same_bytes (AtelierPhotoList     *self,
            AtelierTrainingPhoto *a,
            AtelierTrainingPhoto *b)
{
  const char *sum_a, *sum_b;

  if (atelier_training_photo_get_size (a) != atelier_training_photo_get_size (b))
    return FALSE;

  sum_a = atelier_training_photo_get_checksum (a);
  sum_b = atelier_training_photo_get_checksum (b);
  if (sum_a == NULL)
    request_checksum (self, a);
  if (sum_b == NULL)
    request_checksum (self, b);

  return sum_a != NULL && sum_b != NULL && *sum_a != '\0' && g_str_equal (sum_a, sum_b);
}

/* Marks each photo that has the bytes (or nearly the picture) of an
 * earlier one. */
static void
update_duplicates (AtelierPhotoList *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->photos));
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      AtelierTrainingPhoto *photo = g_list_model_get_item (G_LIST_MODEL (self->photos), i);
      AtelierTrainingPhoto *of = NULL;
      AtelierPhotoChecks checks = ATELIER_PHOTO_CHECK_NONE;
      guint64 dhash, ahash;

      g_ptr_array_add (seen, photo);
      if (!atelier_training_photo_get_analyzed (photo) || atelier_training_photo_is_unusable (photo))
        continue;

      atelier_training_photo_get_hashes (photo, &dhash, &ahash);

      for (guint j = 0; j + 1 < seen->len && checks != ATELIER_PHOTO_CHECK_DUPLICATE; j++)
        {
          AtelierTrainingPhoto *earlier = g_ptr_array_index (seen, j);
          guint64 other_dhash, other_ahash;

          if (!atelier_training_photo_get_analyzed (earlier) || atelier_training_photo_is_unusable (earlier))
            continue;

          if (same_bytes (self, photo, earlier))
            {
              checks = ATELIER_PHOTO_CHECK_DUPLICATE;
              of = earlier;
              continue;
            }

          atelier_training_photo_get_hashes (earlier, &other_dhash, &other_ahash);
          if (checks == ATELIER_PHOTO_CHECK_NONE &&
              atelier_photo_hashes_are_near (dhash, ahash, other_dhash, other_ahash))
            {
              checks = ATELIER_PHOTO_CHECK_NEAR_DUPLICATE;
              of = earlier;
            }
        }

      _atelier_training_photo_set_duplicate (photo, checks, of);
    }
}

/* }}} */

/* {{{ Inspection */

static void pump_inspections (AtelierPhotoList *self);

/* The service inspects people and animals, not styles. */
static gboolean
class_can_be_inspected (const char *class_name)
{
  return class_name != NULL && *class_name != '\0' && g_strcmp0 (class_name, "style") != 0;
}

static void
queue_inspection (AtelierPhotoList     *self,
                  AtelierTrainingPhoto *photo)
{
  if (!atelier_training_photo_get_analyzed (photo) || atelier_training_photo_is_unusable (photo) ||
      !class_can_be_inspected (self->class_name))
    {
      _atelier_training_photo_set_inspection (photo, ATELIER_INSPECTION_STATE_NONE, NULL, 0, NULL);
      return;
    }

  _atelier_training_photo_set_inspection (photo, ATELIER_INSPECTION_STATE_PENDING, NULL, 0, NULL);
  if (g_queue_find (&self->inspect_queue, photo) == NULL)
    g_queue_push_tail (&self->inspect_queue, g_object_ref (photo));
}

typedef struct
{
  AtelierPhotoList     *list;        /* (owned) */
  AtelierTrainingPhoto *photo;       /* (owned) */
  char                 *class_name;
  GCancellable         *cancellable; /* (owned) the photo's inspection at the start */
} Inspect;

static void
inspect_free (Inspect *inspect)
{
  g_clear_object (&inspect->list);
  g_clear_object (&inspect->photo);
  g_clear_object (&inspect->cancellable);
  g_free (inspect->class_name);
  g_free (inspect);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Inspect, inspect_free)

static void
inspect_finish (Inspect                *inspect,
                AtelierInspectionState  state,
                AtelierInspection      *inspection,
                const GError           *error)
{
  AtelierPhotoList *self = inspect->list;

  g_assert (self->n_running > 0);
  self->n_running--;

  /* Cancelled: the photo was removed or the class changed, and whoever
   * did that has set its state already. */
  if (!g_cancellable_is_cancelled (inspect->cancellable))
    {
      g_autofree char *text = error != NULL ? atelier_error_describe (error) : NULL;
      AtelierInspectionWarnings warnings = 0;

      if (inspection != NULL)
        warnings = atelier_inspection_get_warnings (inspection, inspect->class_name);

      _atelier_training_photo_set_inspection (inspect->photo, state, inspection, warnings, text);
      recount (self);
      if (state == ATELIER_INSPECTION_STATE_DONE)
        g_signal_emit (self, signals[INSPECTIONS_CHANGED], 0);
    }

  pump_inspections (self);
}

static void
inspect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Inspect) inspect = user_data;
  g_autoptr(AtelierInspection) inspection = NULL;
  g_autoptr(GError) error = NULL;

  inspection = atelier_astria_client_inspect_image_finish (ATELIER_ASTRIA_CLIENT (source), result, &error);
  inspect_finish (inspect,
                  inspection != NULL ? ATELIER_INSPECTION_STATE_DONE : ATELIER_INSPECTION_STATE_FAILED,
                  inspection, error);
}

static void
inspect_send (Inspect *inspect,
              GBytes  *upload)
{
  AtelierPhotoList *self = inspect->list;
  const char *name = atelier_training_photo_get_display_name (inspect->photo);
  g_autofree char *filename = NULL;

  if (self->client == NULL)
    {
      /* The account went away meanwhile: wait for the next one. */
      _atelier_training_photo_set_inspection (inspect->photo, ATELIER_INSPECTION_STATE_PENDING, NULL, 0, NULL);
      g_queue_push_head (&self->inspect_queue, g_object_ref (inspect->photo));
      self->n_running--;
      inspect_free (inspect);
      return;
    }

  filename = g_str_has_suffix (name, ".jpg") || g_str_has_suffix (name, ".jpeg")
             ? g_strdup (name) : g_strconcat (name, ".jpg", NULL);
  atelier_astria_client_inspect_image_async (self->client, inspect->class_name, upload,
                                             filename, NULL, NULL, NULL,
                                             inspect->cancellable, inspect_cb, inspect);
}

static void
prepare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  GBytes *bytes;

  bytes = atelier_image_downscale_to_jpeg (task_data, ATELIER_PHOTO_INSPECT_MAX_SIDE, cancellable, &error);
  if (bytes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

static void
prepare_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Inspect *inspect = user_data;
  g_autoptr(GBytes) upload = NULL;
  g_autoptr(GError) error = NULL;

  upload = g_task_propagate_pointer (G_TASK (result), &error);
  if (upload == NULL)
    {
      inspect_finish (inspect, ATELIER_INSPECTION_STATE_FAILED, NULL, error);
      inspect_free (inspect);
      return;
    }

  _atelier_training_photo_set_inspect_upload (inspect->photo, upload);
  inspect_send (inspect, upload);
}

static void
inspect_start (AtelierPhotoList     *self,
               AtelierTrainingPhoto *photo)
{
  Inspect *inspect = g_new0 (Inspect, 1);
  GBytes *upload = _atelier_training_photo_get_inspect_upload (photo);

  inspect->list = g_object_ref (self);
  inspect->photo = g_object_ref (photo);
  inspect->class_name = g_strdup (self->class_name);
  inspect->cancellable = g_object_ref (_atelier_training_photo_get_inspect_cancellable (photo));
  self->n_running++;

  _atelier_training_photo_set_inspection (photo, ATELIER_INSPECTION_STATE_RUNNING, NULL, 0, NULL);

  if (upload != NULL)
    {
      inspect_send (inspect, upload);
    }
  else
    {
      g_autoptr(GTask) task = g_task_new (self, inspect->cancellable, prepare_cb, inspect);

      g_task_set_source_tag (task, inspect_start);
      g_task_set_task_data (task, g_object_ref (atelier_training_photo_get_file (photo)), g_object_unref);
      push_job (task, PRIORITY_INSPECTION, prepare_thread);
    }
}

static void
pump_inspections (AtelierPhotoList *self)
{
  if (self->client == NULL)
    return;

  while (self->n_running < ATELIER_PHOTO_LIST_MAX_INSPECTIONS && !g_queue_is_empty (&self->inspect_queue))
    {
      g_autoptr(AtelierTrainingPhoto) photo = g_queue_pop_head (&self->inspect_queue);

      if (g_cancellable_is_cancelled (_atelier_training_photo_get_cancellable (photo)) ||
          atelier_training_photo_get_inspection_state (photo) != ATELIER_INSPECTION_STATE_PENDING)
        continue;

      inspect_start (self, photo);
    }

  recount (self);
}

/* Cancels every inspection and starts them again, in list order. */
static void
reinspect_all (AtelierPhotoList *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->photos));
  gboolean had_results = FALSE;

  g_queue_clear_full (&self->inspect_queue, g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AtelierTrainingPhoto) photo = g_list_model_get_item (G_LIST_MODEL (self->photos), i);

      if (atelier_training_photo_get_inspection_state (photo) == ATELIER_INSPECTION_STATE_DONE)
        had_results = TRUE;
      _atelier_training_photo_reset_inspect_cancellable (photo);
      queue_inspection (self, photo);
    }

  if (had_results)
    g_signal_emit (self, signals[INSPECTIONS_CHANGED], 0);
  pump_inspections (self);
}

void
atelier_photo_list_retry_inspection (AtelierPhotoList     *self,
                                     AtelierTrainingPhoto *photo)
{
  g_return_if_fail (ATELIER_IS_PHOTO_LIST (self));
  g_return_if_fail (ATELIER_IS_TRAINING_PHOTO (photo));

  if (atelier_training_photo_get_inspection_state (photo) != ATELIER_INSPECTION_STATE_FAILED)
    return;

  _atelier_training_photo_reset_inspect_cancellable (photo);
  queue_inspection (self, photo);
  pump_inspections (self);
}

void
atelier_photo_list_retry_failed (AtelierPhotoList *self)
{
  guint n;

  g_return_if_fail (ATELIER_IS_PHOTO_LIST (self));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->photos));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AtelierTrainingPhoto) photo = g_list_model_get_item (G_LIST_MODEL (self->photos), i);

      if (atelier_training_photo_get_inspection_state (photo) == ATELIER_INSPECTION_STATE_FAILED)
        {
          _atelier_training_photo_reset_inspect_cancellable (photo);
          queue_inspection (self, photo);
        }
    }

  pump_inspections (self);
}

/* }}} */

/* {{{ Local checks */

static void
checksum_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  AtelierTrainingPhoto *photo = task_data;
  GError *error = NULL;
  char *checksum;

  checksum = atelier_photo_compute_checksum (atelier_training_photo_get_file (photo), cancellable, &error);
  if (checksum == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, error);
  else
    {
      g_clear_error (&error);
      g_task_return_pointer (task, checksum != NULL ? checksum : g_strdup (""), g_free);
    }
}

static void
checksum_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  AtelierPhotoList *self = ATELIER_PHOTO_LIST (source);
  AtelierTrainingPhoto *photo = g_task_get_task_data (G_TASK (result));
  g_autofree char *checksum = NULL;

  checksum = g_task_propagate_pointer (G_TASK (result), NULL);
  if (checksum == NULL)
    return;   /* cancelled: the photo was removed */

  _atelier_training_photo_set_checksum (photo, checksum);
  _atelier_training_photo_set_checksum_pending (photo, FALSE);
  update_duplicates (self);
  recount (self);
}

static void
request_checksum (AtelierPhotoList     *self,
                  AtelierTrainingPhoto *photo)
{
  g_autoptr(GTask) task = NULL;

  if (_atelier_training_photo_get_checksum_pending (photo))
    return;

  _atelier_training_photo_set_checksum_pending (photo, TRUE);
  task = g_task_new (self, _atelier_training_photo_get_cancellable (photo), checksum_cb, NULL);
  g_task_set_source_tag (task, request_checksum);
  g_task_set_task_data (task, g_object_ref (photo), g_object_unref);
  push_job (task, PRIORITY_THUMBNAIL, checksum_thread);
}

static void
preview_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  AtelierTrainingPhoto *photo = task_data;
  int size = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "thumbnail-size"));
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  /* No preview is no error: the analysis says what is wrong, if anything. */
  pixbuf = atelier_image_load_exif_thumbnail (atelier_training_photo_get_file (photo), size, cancellable, NULL);
  g_task_return_pointer (task, pixbuf != NULL ? gdk_texture_new_for_pixbuf (pixbuf) : NULL,
                         g_object_unref);
}

static void
preview_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  AtelierTrainingPhoto *photo = g_task_get_task_data (G_TASK (result));
  g_autoptr(GdkTexture) preview = g_task_propagate_pointer (G_TASK (result), NULL);

  if (preview != NULL && !g_cancellable_is_cancelled (_atelier_training_photo_get_cancellable (photo)))
    _atelier_training_photo_set_preview (photo, preview);
}

/* The photo's EXIF thumbnail, shown until its own is decoded. */
static void
preview (AtelierPhotoList     *self,
         AtelierTrainingPhoto *photo)
{
  g_autoptr(GTask) task = NULL;

  task = g_task_new (self, _atelier_training_photo_get_cancellable (photo), preview_cb, NULL);
  g_task_set_source_tag (task, preview);
  g_task_set_task_data (task, g_object_ref (photo), g_object_unref);
  g_object_set_data (G_OBJECT (task), "thumbnail-size", GINT_TO_POINTER (self->thumbnail_size));
  push_job (task, PRIORITY_PREVIEW, preview_thread);
}

static void
analyze_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  AtelierTrainingPhoto *photo = task_data;
  int size = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "thumbnail-size"));
  AtelierPhotoAnalysis *analysis;
  GError *error = NULL;

  analysis = atelier_photo_analyze (atelier_training_photo_get_file (photo), size, cancellable, &error);
  if (analysis == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, analysis, (GDestroyNotify) atelier_photo_analysis_free);
}

typedef struct
{
  AtelierTrainingPhoto *photo;      /* (owned) */
  AtelierPhotoAnalysis *analysis;   /* (owned) */
} Analyzed;

static void
analyzed_free (Analyzed *analyzed)
{
  g_clear_object (&analyzed->photo);
  g_clear_pointer (&analyzed->analysis, atelier_photo_analysis_free);
  g_free (analyzed);
}

/* Shows what was checked since the last time, in one go. */
static void
flush_analyzed (AtelierPhotoList *self)
{
  g_autoptr(GPtrArray) batch = g_steal_pointer (&self->analyzed);

  g_clear_handle_id (&self->flush_id, g_source_remove);
  self->analyzed = g_ptr_array_new_with_free_func ((GDestroyNotify) analyzed_free);

  for (guint i = 0; i < batch->len; i++)
    {
      Analyzed *analyzed = g_ptr_array_index (batch, i);

      if (!g_cancellable_is_cancelled (_atelier_training_photo_get_cancellable (analyzed->photo)))
        _atelier_training_photo_set_analysis (analyzed->photo, analyzed->analysis);
    }

  update_duplicates (self);

  for (guint i = 0; i < batch->len; i++)
    {
      Analyzed *analyzed = g_ptr_array_index (batch, i);

      if (!g_cancellable_is_cancelled (_atelier_training_photo_get_cancellable (analyzed->photo)))
        queue_inspection (self, analyzed->photo);
    }

  pump_inspections (self);
}

static gboolean
flush_timeout_cb (gpointer user_data)
{
  AtelierPhotoList *self = user_data;

  self->flush_id = 0;
  flush_analyzed (self);
  return G_SOURCE_REMOVE;
}

static void
analyze_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  AtelierPhotoList *self = ATELIER_PHOTO_LIST (source);
  AtelierTrainingPhoto *photo = g_task_get_task_data (G_TASK (result));
  AtelierPhotoAnalysis *analysis;
  g_autoptr(GError) error = NULL;

  g_assert (self->n_analyses > 0);
  self->n_analyses--;

  /* NULL only when cancelled: the photo was removed, or the list went. */
  analysis = g_task_propagate_pointer (G_TASK (result), &error);
  if (analysis != NULL && self->analyzed != NULL)
    {
      Analyzed *analyzed = g_new0 (Analyzed, 1);

      analyzed->photo = g_object_ref (photo);
      analyzed->analysis = analysis;
      g_ptr_array_add (self->analyzed, analyzed);
    }
  else
    {
      g_clear_pointer (&analysis, atelier_photo_analysis_free);
    }

  if (self->analyzed == NULL || self->analyzed->len == 0)
    return;

  /* The last one now; the others a batch at a time. */
  if (self->n_analyses == 0)
    flush_analyzed (self);
  else if (self->flush_id == 0)
    self->flush_id = g_timeout_add (ANALYSIS_BATCH_MS, flush_timeout_cb, self);
}

static void
analyze (AtelierPhotoList     *self,
         AtelierTrainingPhoto *photo)
{
  g_autoptr(GTask) task = NULL;

  task = g_task_new (self, _atelier_training_photo_get_cancellable (photo), analyze_cb, NULL);
  g_task_set_source_tag (task, analyze);
  g_task_set_task_data (task, g_object_ref (photo), g_object_unref);
  g_object_set_data (G_OBJECT (task), "thumbnail-size", GINT_TO_POINTER (self->thumbnail_size));
  self->n_analyses++;
  push_job (task, PRIORITY_THUMBNAIL, analyze_thread);
}

/* }}} */

/* {{{ Public API */

AtelierPhotoList *
atelier_photo_list_new (void)
{
  return g_object_new (ATELIER_TYPE_PHOTO_LIST, NULL);
}

GListModel *
atelier_photo_list_get_model (AtelierPhotoList *self)
{
  g_return_val_if_fail (ATELIER_IS_PHOTO_LIST (self), NULL);
  return G_LIST_MODEL (self->photos);
}

guint
atelier_photo_list_get_n_photos (AtelierPhotoList *self)
{
  g_return_val_if_fail (ATELIER_IS_PHOTO_LIST (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->photos));
}

/**
 * atelier_photo_list_get_photo:
 *
 * Returns: (transfer none) (nullable): the photo at @position
 */
AtelierTrainingPhoto *
atelier_photo_list_get_photo (AtelierPhotoList *self,
                              guint             position)
{
  g_autoptr(AtelierTrainingPhoto) photo = NULL;

  g_return_val_if_fail (ATELIER_IS_PHOTO_LIST (self), NULL);

  /* The store keeps it alive. */
  photo = g_list_model_get_item (G_LIST_MODEL (self->photos), position);
  return photo;
}

void
atelier_photo_list_set_client (AtelierPhotoList    *self,
                               AtelierAstriaClient *client)
{
  g_return_if_fail (ATELIER_IS_PHOTO_LIST (self));
  g_return_if_fail (client == NULL || ATELIER_IS_ASTRIA_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;

  /* Another account: what the old one said does not count. */
  reinspect_all (self);
}

AtelierAstriaClient *
atelier_photo_list_get_client (AtelierPhotoList *self)
{
  g_return_val_if_fail (ATELIER_IS_PHOTO_LIST (self), NULL);
  return self->client;
}

void
atelier_photo_list_set_class_name (AtelierPhotoList *self,
                                   const char       *class_name)
{
  g_return_if_fail (ATELIER_IS_PHOTO_LIST (self));

  if (g_strcmp0 (self->class_name, class_name) == 0)
    return;

  g_free (self->class_name);
  self->class_name = g_strdup (class_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLASS_NAME]);

  reinspect_all (self);
}

const char *
atelier_photo_list_get_class_name (AtelierPhotoList *self)
{
  g_return_val_if_fail (ATELIER_IS_PHOTO_LIST (self), NULL);
  return self->class_name;
}

void
atelier_photo_list_set_thumbnail_size (AtelierPhotoList *self,
                                       int               size)
{
  g_return_if_fail (ATELIER_IS_PHOTO_LIST (self));
  g_return_if_fail (size > 0);

  self->thumbnail_size = size;
}

static gboolean
contains_file (AtelierPhotoList *self,
               GFile            *file)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->photos));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AtelierTrainingPhoto) photo = g_list_model_get_item (G_LIST_MODEL (self->photos), i);

      if (g_file_equal (atelier_training_photo_get_file (photo), file))
        return TRUE;
    }

  return FALSE;
}

guint
atelier_photo_list_add_files (AtelierPhotoList *self,
                              GPtrArray        *files)
{
  g_autoptr(GPtrArray) added = NULL;
  guint n;

  g_return_val_if_fail (ATELIER_IS_PHOTO_LIST (self), 0);
  g_return_val_if_fail (files != NULL, 0);

  added = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < files->len; i++)
    {
      GFile *file = g_ptr_array_index (files, i);
      gboolean again = contains_file (self, file);

      for (guint j = 0; j < added->len && !again; j++)
        again = g_file_equal (atelier_training_photo_get_file (g_ptr_array_index (added, j)), file);

      if (!again)
        g_ptr_array_add (added, atelier_training_photo_new (file));
    }

  if (added->len == 0)
    return 0;

  /* One items-changed for the lot. */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->photos));
  g_list_store_splice (self->photos, n, 0, added->pdata, added->len);

  /* Every preview first: the pool takes them in the order pushed. */
  for (guint i = 0; i < added->len; i++)
    preview (self, g_ptr_array_index (added, i));
  for (guint i = 0; i < added->len; i++)
    analyze (self, g_ptr_array_index (added, i));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PHOTOS]);
  recount (self);

  return added->len;
}

static void
forget_photo (AtelierPhotoList     *self,
              AtelierTrainingPhoto *photo)
{
  GList *link;

  g_cancellable_cancel (_atelier_training_photo_get_cancellable (photo));
  g_cancellable_cancel (_atelier_training_photo_get_inspect_cancellable (photo));

  while ((link = g_queue_find (&self->inspect_queue, photo)) != NULL)
    {
      g_object_unref (link->data);
      g_queue_delete_link (&self->inspect_queue, link);
    }
}

void
atelier_photo_list_remove (AtelierPhotoList     *self,
                           AtelierTrainingPhoto *photo)
{
  guint position;
  gboolean had_result;

  g_return_if_fail (ATELIER_IS_PHOTO_LIST (self));
  g_return_if_fail (ATELIER_IS_TRAINING_PHOTO (photo));

  if (!g_list_store_find (self->photos, photo, &position))
    return;

  had_result = atelier_training_photo_get_inspection_state (photo) == ATELIER_INSPECTION_STATE_DONE;
  forget_photo (self, photo);
  g_list_store_remove (self->photos, position);

  update_duplicates (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PHOTOS]);
  recount (self);
  if (had_result)
    g_signal_emit (self, signals[INSPECTIONS_CHANGED], 0);
  pump_inspections (self);
}

void
atelier_photo_list_clear (AtelierPhotoList *self)
{
  guint n;

  g_return_if_fail (ATELIER_IS_PHOTO_LIST (self));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->photos));
  if (n == 0)
    return;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AtelierTrainingPhoto) photo = g_list_model_get_item (G_LIST_MODEL (self->photos), i);
      forget_photo (self, photo);
    }
  g_list_store_remove_all (self->photos);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PHOTOS]);
  recount (self);
  g_signal_emit (self, signals[INSPECTIONS_CHANGED], 0);
}

static guint
get_count (AtelierPhotoList *self,
           guint             prop)
{
  g_return_val_if_fail (ATELIER_IS_PHOTO_LIST (self), 0);
  return self->counts[prop];
}

guint
atelier_photo_list_get_n_with_warnings (AtelierPhotoList *self)
{
  return get_count (self, PROP_N_WITH_WARNINGS);
}

guint
atelier_photo_list_get_n_analyzing (AtelierPhotoList *self)
{
  return get_count (self, PROP_N_ANALYZING);
}

guint
atelier_photo_list_get_n_inspecting (AtelierPhotoList *self)
{
  return get_count (self, PROP_N_INSPECTING);
}

guint
atelier_photo_list_get_n_failed (AtelierPhotoList *self)
{
  return get_count (self, PROP_N_FAILED);
}

guint
atelier_photo_list_get_n_unusable (AtelierPhotoList *self)
{
  return get_count (self, PROP_N_UNUSABLE);
}

const char *
atelier_photo_list_get_summary (AtelierPhotoList *self)
{
  g_return_val_if_fail (ATELIER_IS_PHOTO_LIST (self), NULL);
  return self->summary;
}

GPtrArray *
atelier_photo_list_dup_usable_files (AtelierPhotoList *self)
{
  GPtrArray *files;
  guint n;

  g_return_val_if_fail (ATELIER_IS_PHOTO_LIST (self), NULL);

  files = g_ptr_array_new_with_free_func (g_object_unref);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->photos));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AtelierTrainingPhoto) photo = g_list_model_get_item (G_LIST_MODEL (self->photos), i);

      if (!atelier_training_photo_is_unusable (photo))
        g_ptr_array_add (files, g_object_ref (atelier_training_photo_get_file (photo)));
    }

  return files;
}

GStrv
atelier_photo_list_dup_uris (AtelierPhotoList *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n;

  g_return_val_if_fail (ATELIER_IS_PHOTO_LIST (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->photos));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AtelierTrainingPhoto) photo = g_list_model_get_item (G_LIST_MODEL (self->photos), i);
      g_autofree char *uri = g_file_get_uri (atelier_training_photo_get_file (photo));

      g_strv_builder_add (builder, uri);
    }

  return g_strv_builder_end (builder);
}

GHashTable *
atelier_photo_list_aggregate_characteristics (AtelierPhotoList *self)
{
  g_autoptr(GPtrArray) inspections = g_ptr_array_new ();
  guint n;

  g_return_val_if_fail (ATELIER_IS_PHOTO_LIST (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->photos));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AtelierTrainingPhoto) photo = g_list_model_get_item (G_LIST_MODEL (self->photos), i);

      if (atelier_training_photo_get_inspection_state (photo) == ATELIER_INSPECTION_STATE_DONE &&
          atelier_training_photo_get_inspection (photo) != NULL)
        g_ptr_array_add (inspections, atelier_training_photo_get_inspection (photo));
    }

  return atelier_inspection_aggregate (inspections);
}

/* }}} */

/* {{{ GObject */

static void
atelier_photo_list_dispose (GObject *object)
{
  AtelierPhotoList *self = ATELIER_PHOTO_LIST (object);

  if (self->photos != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->photos));

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(AtelierTrainingPhoto) photo = g_list_model_get_item (G_LIST_MODEL (self->photos), i);
          forget_photo (self, photo);
        }
    }
  g_queue_clear_full (&self->inspect_queue, g_object_unref);
  g_clear_handle_id (&self->flush_id, g_source_remove);
  g_clear_pointer (&self->analyzed, g_ptr_array_unref);
  g_clear_object (&self->photos);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (atelier_photo_list_parent_class)->dispose (object);
}

static void
atelier_photo_list_finalize (GObject *object)
{
  AtelierPhotoList *self = ATELIER_PHOTO_LIST (object);

  g_free (self->class_name);
  g_free (self->summary);

  G_OBJECT_CLASS (atelier_photo_list_parent_class)->finalize (object);
}

static void
atelier_photo_list_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  AtelierPhotoList *self = ATELIER_PHOTO_LIST (object);

  switch (prop_id)
    {
    case PROP_N_PHOTOS:
      g_value_set_uint (value, atelier_photo_list_get_n_photos (self));
      break;
    case PROP_N_WITH_WARNINGS:
    case PROP_N_ANALYZING:
    case PROP_N_INSPECTING:
    case PROP_N_FAILED:
    case PROP_N_UNUSABLE:
      g_value_set_uint (value, self->counts[prop_id]);
      break;
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;
    case PROP_CLASS_NAME:
      g_value_set_string (value, self->class_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_photo_list_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  AtelierPhotoList *self = ATELIER_PHOTO_LIST (object);

  switch (prop_id)
    {
    case PROP_CLASS_NAME:
      atelier_photo_list_set_class_name (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_photo_list_class_init (AtelierPhotoListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = atelier_photo_list_dispose;
  object_class->finalize = atelier_photo_list_finalize;
  object_class->get_property = atelier_photo_list_get_property;
  object_class->set_property = atelier_photo_list_set_property;

  properties[PROP_N_PHOTOS] = _atelier_param_spec_count ("n-photos");
  properties[PROP_N_WITH_WARNINGS] = _atelier_param_spec_count ("n-with-warnings");
  properties[PROP_N_ANALYZING] = _atelier_param_spec_count ("n-analyzing");
  properties[PROP_N_INSPECTING] = _atelier_param_spec_count ("n-inspecting");
  properties[PROP_N_FAILED] = _atelier_param_spec_count ("n-failed");
  properties[PROP_N_UNUSABLE] = _atelier_param_spec_count ("n-unusable");
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLASS_NAME] =
    g_param_spec_string ("class-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AtelierPhotoList::inspections-changed:
   *
   * An inspection finished, or results went away (a photo removed, the
   * class changed): the aggregated characteristics may be different.
   */
  signals[INSPECTIONS_CHANGED] =
    g_signal_new ("inspections-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
atelier_photo_list_init (AtelierPhotoList *self)
{
  self->photos = g_list_store_new (ATELIER_TYPE_TRAINING_PHOTO);
  self->analyzed = g_ptr_array_new_with_free_func ((GDestroyNotify) analyzed_free);
  self->thumbnail_size = DEFAULT_THUMBNAIL_SIZE;
  g_queue_init (&self->inspect_queue);
  recount (self);
}

/* }}} */
