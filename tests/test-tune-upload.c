/* test-tune-upload.c: AtelierTuneUpload against the real sandbox server
 *
 * No display: the upload workflow is models-level logic. A plain upload
 * with its progress; a 504 after or before the tune was made, a dropped
 * connection and a cancel mid-upload, each followed by the retry the
 * editor would make, ending with exactly one tune; a connection dropped
 * after the tune was made, found at once by its title; a huge photo sent
 * downscaled with its copy gone afterwards; and the classifier of errors
 * that may have reached the server.
 *
 * And the session's offline rule (atelier-session.h), which such a
 * dropped connection must not trip: offline only after
 * ATELIER_SESSION_OFFLINE_FAILURES connection failures in a row, or when
 * the network monitor (a GNetworkMonitorBase of the test's own, chosen
 * with $GIO_USE_NETWORK_MONITOR) says there is no network.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-error-presenter.h"
#include "atelier-photo-checks.h"
#include "atelier-session.h"
#include "atelier-test-utils.h"
#include "atelier-tune-upload.h"

typedef struct
{
  AtelierSandboxServer *server;
  AtelierAstriaClient  *client;
  char                 *photos;
  char                 *title;
} Fixture;

/* What one run reported. */
typedef struct
{
  GArray       *phases;        /* AtelierTuneUploadPhase, one per change */
  gint64        last_sent;
  gint64        last_total;
  guint         n_progress;
  gboolean      went_back;     /* sent ever decreased */
  GCancellable *cancellable;
  gboolean      cancel_midway; /* cancel once a third is sent */
  AtelierTuneUploadPhase cancel_in_phase; /* or on entering this one */
} Record;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;

  fixture->server = atelier_test_server_new ();
  url = atelier_sandbox_server_dup_base_url (fixture->server);
  fixture->client = atelier_astria_client_new (url, "sd_upload", &error);
  g_assert_no_error (error);
  atelier_astria_client_set_retry_base_delay_ms (fixture->client, 10);
  fixture->photos = g_dir_make_tmp ("atelier-upload-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->title = atelier_tune_title_with_uuid ("Upload Una");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_assert_finalize_object (fixture->client);
  atelier_test_server_free (fixture->server);
  atelier_test_rm_rf (fixture->photos);
  g_free (fixture->photos);
  g_free (fixture->title);
}

static void
inject_at (Fixture                 *fixture,
           const char              *method,
           const char              *path,
           AtelierSandboxFaultKind  kind,
           guint                    status,
           guint                    times)
{
  AtelierSandboxFault fault = {
    .method = method,
    .path = path,
    .kind = kind,
    .status = status,
    .times = times,
  };

  atelier_sandbox_server_add_fault (fixture->server, &fault);
}

/* Once, on the tune's POST. */
static void
inject (Fixture                 *fixture,
        AtelierSandboxFaultKind  kind,
        guint                    status)
{
  inject_at (fixture, "POST", "/tunes", kind, status, 1);
}

/* A fast tune of @fixture's title with @n photos of @side px (PNG: big
 * bodies, for cancelling midway). */
static AtelierTuneParams *
make_params (Fixture    *fixture,
             guint       n,
             int         side,
             const char *format)
{
  AtelierTuneParams *params = atelier_tune_params_new ();

  atelier_params_set_string (ATELIER_PARAMS (params), "title", fixture->title);
  atelier_params_set_string (ATELIER_PARAMS (params), "name", "woman");
  atelier_params_set_string (ATELIER_PARAMS (params), "branch", "fast");
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("photo-%u.%s", i, format);
      g_autoptr(GFile) file = atelier_test_write_image (fixture->photos, name, side, side, 90 + i, format);

      atelier_tune_params_add_image (params, file);
    }

  return params;
}

static void
phase_cb (AtelierTuneUpload *upload,
          GParamSpec        *pspec,
          Record            *record)
{
  AtelierTuneUploadPhase phase = atelier_tune_upload_get_phase (upload);

  g_array_append_val (record->phases, phase);
  if (record->cancel_in_phase != ATELIER_TUNE_UPLOAD_PHASE_NONE && phase == record->cancel_in_phase)
    g_cancellable_cancel (record->cancellable);
}

static void
progress_cb (AtelierTuneUpload *upload,
             gint64             sent,
             gint64             total,
             Record            *record)
{
  g_assert_cmpint (atelier_tune_upload_get_phase (upload), ==, ATELIER_TUNE_UPLOAD_PHASE_UPLOADING);
  g_assert_cmpint (sent, <=, total);
  if (sent < record->last_sent)
    record->went_back = TRUE;
  record->last_sent = sent;
  record->last_total = total;
  record->n_progress++;

  if (record->cancel_midway && sent > total / 3 && sent < total)
    {
      record->cancel_midway = FALSE;
      g_cancellable_cancel (record->cancellable);
    }
}

static void
record_clear (Record *record)
{
  g_clear_pointer (&record->phases, g_array_unref);
  g_clear_object (&record->cancellable);
}

/* Runs @upload to the end; @record (may be NULL) gets what it said. */
static AtelierTune *
run (AtelierTuneUpload  *upload,
     Record             *record,
     GError            **error)
{
  Record scratch = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  AtelierTune *tune;

  if (record == NULL)
    record = &scratch;
  record->phases = g_array_new (FALSE, FALSE, sizeof (AtelierTuneUploadPhase));
  record->cancellable = g_cancellable_new ();

  g_signal_connect (upload, "notify::phase", G_CALLBACK (phase_cb), record);
  g_signal_connect (upload, "progress", G_CALLBACK (progress_cb), record);
  atelier_tune_upload_run_async (upload, record->cancellable, atelier_test_store_result, &result);
  tune = atelier_tune_upload_run_finish (upload, atelier_test_wait_result (&result), error);
  g_signal_handlers_disconnect_by_data (upload, record);

  record_clear (&scratch);
  return tune;
}

static void
assert_phases (Record *record,
               ...)
{
  va_list args;
  guint i = 0;
  int phase;

  va_start (args, record);
  while ((phase = va_arg (args, int)) >= 0)
    {
      g_assert_cmpuint (i, <, record->phases->len);
      g_assert_cmpint (g_array_index (record->phases, AtelierTuneUploadPhase, i), ==, phase);
      i++;
    }
  va_end (args);
  g_assert_cmpuint (i, ==, record->phases->len);
}

static guint
count_tunes (Fixture *fixture)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) tunes = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  atelier_astria_client_list_tunes_async (fixture->client, 0, NULL, atelier_test_store_result, &result);
  tunes = atelier_astria_client_list_tunes_finish (fixture->client, atelier_test_wait_result (&result), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < tunes->len; i++)
    if (g_strcmp0 (atelier_tune_get_title (g_ptr_array_index (tunes, i)), fixture->title) == 0)
      n++;

  return n;
}

static guint
count_posts (Fixture *fixture)
{
  return atelier_sandbox_server_count_requests (fixture->server, "POST", "/tunes");
}

/* The retry the editor makes after a failure: a new upload of the same
 * params, told whether the last one may have arrived. Returns the tune. */
static AtelierTune *
retry (Fixture           *fixture,
       AtelierTuneParams *params,
       gboolean           may_exist,
       Record            *record)
{
  g_autoptr(AtelierTuneUpload) upload = atelier_tune_upload_new (fixture->client, params, may_exist);
  g_autoptr(GError) error = NULL;
  AtelierTune *tune;

  tune = run (upload, record, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tune);
  g_assert_cmpstr (atelier_tune_get_title (tune), ==, fixture->title);

  return tune;
}

/* {{{ Tests */

static void
test_upload (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(AtelierTuneParams) params = make_params (fixture, 2, 700, "jpeg");
  g_autoptr(AtelierTuneUpload) upload = atelier_tune_upload_new (fixture->client, params, FALSE);
  g_autoptr(AtelierSandboxRequest) request = NULL;
  g_autoptr(AtelierTune) tune = NULL;
  g_autoptr(GError) error = NULL;
  Record record = { 0 };

  g_assert_cmpint (atelier_tune_upload_get_phase (upload), ==, ATELIER_TUNE_UPLOAD_PHASE_NONE);
  g_assert_false (atelier_tune_upload_get_may_have_arrived (upload));

  tune = run (upload, &record, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (atelier_tune_get_title (tune), ==, fixture->title);

  /* Nothing to look up, nothing to prepare. */
  assert_phases (&record, ATELIER_TUNE_UPLOAD_PHASE_UPLOADING, ATELIER_TUNE_UPLOAD_PHASE_DONE, -1);
  /* Progress goes forward and reaches the whole body. */
  g_assert_cmpuint (record.n_progress, >, 0);
  g_assert_false (record.went_back);
  g_assert_cmpint (record.last_total, >, 0);
  g_assert_cmpint (record.last_sent, ==, record.last_total);
  g_assert_cmpint (atelier_tune_upload_get_bytes_sent (upload), ==, record.last_total);
  g_assert_cmpint (atelier_tune_upload_get_bytes_total (upload), ==, record.last_total);

  request = atelier_sandbox_server_dup_last_request (fixture->server, "POST", "/tunes");
  g_assert_cmpuint (atelier_sandbox_request_count_files (request, "tune[images][]"), ==, 2);
  g_assert_cmpuint (count_posts (fixture), ==, 1);
  g_assert_cmpuint (count_tunes (fixture), ==, 1);
  g_assert_cmpuint (atelier_tune_params_get_images (params)->len, ==, 2);

  record_clear (&record);
}

/* Created, then 504: the client finds it by its title. */
static void
test_504_after_create (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(AtelierTuneParams) params = make_params (fixture, 1, 600, "jpeg");
  g_autoptr(AtelierTune) tune = NULL;

  inject (fixture, ATELIER_SANDBOX_FAULT_CREATE_THEN_504, 0);
  tune = retry (fixture, params, FALSE, NULL);

  g_assert_cmpuint (count_posts (fixture), ==, 1);
  g_assert_cmpuint (count_tunes (fixture), ==, 1);
}

/* A failure before the tune was made: the error says it may have arrived,
 * the retry looks first, finds nothing and sends once more. */
static void
test_failed_then_retried (Fixture       *fixture,
                          gconstpointer  user_data)
{
  AtelierSandboxFaultKind kind = GPOINTER_TO_UINT (user_data);
  g_autoptr(AtelierTuneParams) params = make_params (fixture, 1, 600, "jpeg");
  g_autoptr(AtelierTuneUpload) upload = atelier_tune_upload_new (fixture->client, params, FALSE);
  g_autoptr(AtelierTune) tune = NULL;
  g_autoptr(GError) error = NULL;
  Record record = { 0 };

  inject (fixture, kind, 504);
  tune = run (upload, &record, &error);
  g_assert_null (tune);
  if (kind == ATELIER_SANDBOX_FAULT_STATUS)
    {
      /* The client looked the title up after the 504. */
      g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_GATEWAY_TIMEOUT);
      assert_phases (&record, ATELIER_TUNE_UPLOAD_PHASE_UPLOADING, ATELIER_TUNE_UPLOAD_PHASE_DONE, -1);
    }
  else
    {
      /* Dropped: looked up at once, not there. */
      g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_NETWORK);
      assert_phases (&record, ATELIER_TUNE_UPLOAD_PHASE_UPLOADING, ATELIER_TUNE_UPLOAD_PHASE_CHECKING,
                     ATELIER_TUNE_UPLOAD_PHASE_DONE, -1);
    }
  g_assert_cmpint (atelier_tune_upload_get_check (upload), ==, ATELIER_TUNE_UPLOAD_CHECK_ABSENT);
  /* Still maybe: the next try looks first. */
  g_assert_true (atelier_tune_upload_get_may_have_arrived (upload));
  g_assert_cmpuint (count_tunes (fixture), ==, 0);
  record_clear (&record);

  tune = retry (fixture, params, TRUE, &record);
  assert_phases (&record, ATELIER_TUNE_UPLOAD_PHASE_LOOKING_UP, ATELIER_TUNE_UPLOAD_PHASE_UPLOADING,
                 ATELIER_TUNE_UPLOAD_PHASE_DONE, -1);
  g_assert_cmpuint (count_posts (fixture), ==, 2);
  g_assert_cmpuint (count_tunes (fixture), ==, 1);

  record_clear (&record);
}

/* The service made the tune, then the connection dropped before its
 * answer: the upload looks the title up at once and returns the tune, a
 * success, with nothing sent twice. */
static void
test_dropped_after_create (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(AtelierTuneParams) params = make_params (fixture, 1, 600, "jpeg");
  g_autoptr(AtelierTuneUpload) upload = atelier_tune_upload_new (fixture->client, params, FALSE);
  g_autoptr(AtelierTune) tune = NULL;
  g_autoptr(GError) error = NULL;
  Record record = { 0 };

  inject (fixture, ATELIER_SANDBOX_FAULT_CREATE_THEN_DROP, 0);
  tune = run (upload, &record, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tune);
  g_assert_cmpstr (atelier_tune_get_title (tune), ==, fixture->title);
  g_assert_cmpint (atelier_tune_upload_get_check (upload), ==, ATELIER_TUNE_UPLOAD_CHECK_FOUND);
  assert_phases (&record, ATELIER_TUNE_UPLOAD_PHASE_UPLOADING, ATELIER_TUNE_UPLOAD_PHASE_CHECKING,
                 ATELIER_TUNE_UPLOAD_PHASE_DONE, -1);
  g_assert_cmpuint (count_posts (fixture), ==, 1);
  g_assert_cmpuint (count_tunes (fixture), ==, 1);

  record_clear (&record);
}

/* Dropped after the tune was made, and the look-up dropped too: not
 * known; the error is the POST's, and the retry finds the tune. */
static void
test_dropped_check_failed (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(AtelierTuneParams) params = make_params (fixture, 1, 600, "jpeg");
  g_autoptr(AtelierTuneUpload) upload = atelier_tune_upload_new (fixture->client, params, FALSE);
  g_autoptr(AtelierTuneUpload) again = NULL;
  g_autoptr(AtelierTune) tune = NULL;
  g_autoptr(GError) error = NULL;
  Record record = { 0 };

  inject (fixture, ATELIER_SANDBOX_FAULT_CREATE_THEN_DROP, 0);
  inject_at (fixture, "GET", "/tunes", ATELIER_SANDBOX_FAULT_DROP, 0, 1);
  tune = run (upload, &record, &error);
  g_assert_null (tune);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_NETWORK);
  g_assert_cmpint (atelier_tune_upload_get_check (upload), ==, ATELIER_TUNE_UPLOAD_CHECK_FAILED);
  g_assert_true (atelier_tune_upload_get_may_have_arrived (upload));
  assert_phases (&record, ATELIER_TUNE_UPLOAD_PHASE_UPLOADING, ATELIER_TUNE_UPLOAD_PHASE_CHECKING,
                 ATELIER_TUNE_UPLOAD_PHASE_DONE, -1);
  record_clear (&record);
  g_clear_error (&error);

  again = atelier_tune_upload_new (fixture->client, params, TRUE);
  tune = run (again, &record, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tune);
  g_assert_cmpint (atelier_tune_upload_get_check (again), ==, ATELIER_TUNE_UPLOAD_CHECK_FOUND_EARLIER);
  assert_phases (&record, ATELIER_TUNE_UPLOAD_PHASE_LOOKING_UP, ATELIER_TUNE_UPLOAD_PHASE_DONE, -1);
  g_assert_cmpuint (count_posts (fixture), ==, 1);
  g_assert_cmpuint (count_tunes (fixture), ==, 1);
  record_clear (&record);
}

/* Cancelled a third of the way: it may have arrived; the retry makes
 * one tune. */
static void
test_cancel_then_retried (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(AtelierTuneParams) params = make_params (fixture, 4, 1400, "png");
  g_autoptr(AtelierTuneUpload) upload = atelier_tune_upload_new (fixture->client, params, FALSE);
  g_autoptr(AtelierTune) tune = NULL;
  g_autoptr(GError) error = NULL;
  Record record = { .cancel_midway = TRUE };

  tune = run (upload, &record, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (record.cancel_midway);
  g_assert_cmpint (record.last_sent, <, record.last_total);
  g_assert_true (atelier_tune_upload_get_may_have_arrived (upload));
  g_assert_cmpint (atelier_tune_upload_get_phase (upload), ==, ATELIER_TUNE_UPLOAD_PHASE_DONE);
  record_clear (&record);

  tune = retry (fixture, params, TRUE, NULL);
  g_assert_cmpuint (count_tunes (fixture), ==, 1);
}

/* An earlier try that did arrive: found, nothing sent. */
static void
test_found_by_title (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(AtelierTuneParams) params = make_params (fixture, 1, 600, "jpeg");
  g_autoptr(AtelierTune) first = retry (fixture, params, FALSE, NULL);
  g_autoptr(AtelierTune) again = NULL;
  Record record = { 0 };

  again = retry (fixture, params, TRUE, &record);
  g_assert_cmpint (atelier_tune_get_id (again), ==, atelier_tune_get_id (first));
  /* (retry () keeps no upload: the check is tested in dropped-check-failed) */
  assert_phases (&record, ATELIER_TUNE_UPLOAD_PHASE_LOOKING_UP, ATELIER_TUNE_UPLOAD_PHASE_DONE, -1);
  g_assert_cmpuint (record.n_progress, ==, 0);
  g_assert_cmpuint (count_posts (fixture), ==, 1);

  record_clear (&record);
}

/* Refused (422) or cancelled before anything was sent: it cannot have
 * arrived, and what an earlier try left is kept. */
static void
test_not_arrived (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(AtelierTuneParams) params = make_params (fixture, 1, 600, "jpeg");
  g_autoptr(AtelierTuneUpload) refused = atelier_tune_upload_new (fixture->client, params, FALSE);
  g_autoptr(AtelierTuneUpload) earlier = atelier_tune_upload_new (fixture->client, params, TRUE);
  g_autoptr(AtelierTune) tune = NULL;
  g_autoptr(GError) error = NULL;
  Record record = { .cancel_in_phase = ATELIER_TUNE_UPLOAD_PHASE_LOOKING_UP };

  inject (fixture, ATELIER_SANDBOX_FAULT_STATUS, 422);
  tune = run (refused, NULL, &error);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID);
  g_assert_false (atelier_tune_upload_get_may_have_arrived (refused));
  g_clear_error (&error);

  tune = run (earlier, &record, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (atelier_tune_upload_get_may_have_arrived (earlier));
  g_assert_cmpuint (count_posts (fixture), ==, 1);
  g_assert_cmpuint (count_tunes (fixture), ==, 0);

  record_clear (&record);
}

/* Where the copies of huge photos go (atelier-tune-upload.h). */
static gboolean
uploads_empty (void)
{
  g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "atelier", "uploads", NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

  return dir == NULL || g_dir_read_name (dir) == NULL;
}

/* Adds a photo of 5200 × 4000 px, and one of 640 × 480 after it, to
 * @params; the upload is to downscale the first (*@huge). */
static AtelierTuneUpload *
new_huge_upload (Fixture            *fixture,
                 AtelierTuneParams  *params,
                 GFile             **huge)
{
  g_autoptr(GFile) last = atelier_test_write_image (fixture->photos, "last.jpg", 640, 480, 52, "jpeg");
  AtelierTuneUpload *upload;

  *huge = atelier_test_write_image (fixture->photos, "huge.jpg", 5200, 4000, 51, "jpeg");
  atelier_tune_params_add_image (params, *huge);
  atelier_tune_params_add_image (params, last);
  upload = atelier_tune_upload_new (fixture->client, params, FALSE);
  atelier_tune_upload_downscale (upload, *huge);

  return upload;
}

static GdkPixbuf *
decode (GBytes *bytes)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_mime_type ("image/jpeg", NULL);
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_loader_write_bytes (loader, bytes, &error);
  g_assert_no_error (error);
  gdk_pixbuf_loader_close (loader, &error);
  g_assert_no_error (error);
  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

/* Sent as a copy of at most 4096 px, in its place among the others; the
 * copy is gone when the upload is done, and the params are as they were. */
static void
test_huge_photo (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(AtelierTuneParams) params = make_params (fixture, 1, 600, "jpeg");
  g_autoptr(GFile) huge = NULL;
  g_autoptr(AtelierTuneUpload) upload = new_huge_upload (fixture, params, &huge);
  g_autoptr(AtelierSandboxRequest) request = NULL;
  g_autoptr(AtelierTune) tune = NULL;
  g_autoptr(GdkPixbuf) sent = NULL;
  g_autoptr(GError) error = NULL;
  AtelierSandboxFile *part;
  Record record = { 0 };
  GPtrArray *images;

  g_assert_cmpuint (atelier_tune_upload_get_n_downscaled (upload), ==, 1);

  tune = run (upload, &record, &error);
  g_assert_no_error (error);
  assert_phases (&record, ATELIER_TUNE_UPLOAD_PHASE_PREPARING, ATELIER_TUNE_UPLOAD_PHASE_UPLOADING,
                 ATELIER_TUNE_UPLOAD_PHASE_DONE, -1);
  g_assert_true (uploads_empty ());

  request = atelier_sandbox_server_dup_last_request (fixture->server, "POST", "/tunes");
  g_assert_cmpuint (atelier_sandbox_request_count_files (request, "tune[images][]"), ==, 3);
  part = g_ptr_array_index (atelier_sandbox_request_get_files (request), 1);
  sent = decode (part->data);
  g_assert_cmpint (gdk_pixbuf_get_width (sent), ==, ATELIER_PHOTO_UPLOAD_MAX_SIDE);
  g_assert_cmpint (gdk_pixbuf_get_height (sent), ==, 3151);
  g_clear_object (&sent);
  part = g_ptr_array_index (atelier_sandbox_request_get_files (request), 2);
  sent = decode (part->data);
  g_assert_cmpint (gdk_pixbuf_get_width (sent), ==, 640);
  g_assert_cmpint (gdk_pixbuf_get_height (sent), ==, 480);

  images = atelier_tune_params_get_images (params);
  g_assert_cmpuint (images->len, ==, 3);
  g_assert_true (g_file_equal (g_ptr_array_index (images, 1), huge));

  record_clear (&record);
}

/* Cancelled while the copy is made: nothing sent, nothing left behind. */
static void
test_cancel_preparing (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(AtelierTuneParams) params = make_params (fixture, 0, 0, "jpeg");
  g_autoptr(GFile) huge = NULL;
  g_autoptr(AtelierTuneUpload) upload = new_huge_upload (fixture, params, &huge);
  g_autoptr(AtelierTune) tune = NULL;
  g_autoptr(GError) error = NULL;
  Record record = { .cancel_in_phase = ATELIER_TUNE_UPLOAD_PHASE_PREPARING };

  tune = run (upload, &record, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (atelier_tune_upload_get_may_have_arrived (upload));
  g_assert_cmpuint (count_posts (fixture), ==, 0);
  g_assert_true (uploads_empty ());

  record_clear (&record);
}

/* The one classifier of "may the request have reached the server". */
static void
test_may_have_arrived (void)
{
  const struct {
    GQuark   domain;
    int      code;
    gboolean maybe;
  } cases[] = {
    { ATELIER_API_ERROR, ATELIER_API_ERROR_GATEWAY_TIMEOUT, TRUE },
    { ATELIER_API_ERROR, ATELIER_API_ERROR_TIMEOUT, TRUE },
    { ATELIER_API_ERROR, ATELIER_API_ERROR_SERVER, TRUE },
    { ATELIER_API_ERROR, ATELIER_API_ERROR_NETWORK, TRUE },
    { ATELIER_API_ERROR, ATELIER_API_ERROR_PARSE, TRUE },
    { ATELIER_API_ERROR, ATELIER_API_ERROR_FAILED, TRUE },
    { ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID, FALSE },
    { ATELIER_API_ERROR, ATELIER_API_ERROR_UNAUTHORIZED, FALSE },
    { ATELIER_API_ERROR, ATELIER_API_ERROR_NOT_FOUND, FALSE },
    { ATELIER_API_ERROR, ATELIER_API_ERROR_RATE_LIMITED, FALSE },
    { ATELIER_API_ERROR, ATELIER_API_ERROR_HTTP, FALSE },
    { ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM, FALSE },
    { ATELIER_API_ERROR, ATELIER_API_ERROR_INSECURE_URL, FALSE },
    { ATELIER_API_ERROR, ATELIER_API_ERROR_FILE, FALSE },
    { G_IO_ERROR, G_IO_ERROR_CANCELLED, FALSE },
    { G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, FALSE },
    { G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE, FALSE },
    { G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE, FALSE },
    { G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND, FALSE },
    { G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, FALSE },
    { G_FILE_ERROR, G_FILE_ERROR_NOENT, FALSE },
    { G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, TRUE },
    { G_IO_ERROR, G_IO_ERROR_TIMED_OUT, TRUE },
    { G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (cases[i].domain, cases[i].code, "case");

      g_test_message ("%s %d", g_quark_to_string (cases[i].domain), cases[i].code);
      g_assert_cmpint (atelier_api_error_may_have_arrived (error), ==, cases[i].maybe);
    }
}

/* What the session counts: a failure to connect, an answer, or neither;
 * and one connection failure is a toast, not the offline state. */
static void
test_connection_failure_kinds (void)
{
  const struct {
    GQuark   domain;
    int      code;
    gboolean connection;
    gboolean answer;
  } cases[] = {
    { ATELIER_API_ERROR, ATELIER_API_ERROR_NETWORK, TRUE, FALSE },
    { ATELIER_API_ERROR, ATELIER_API_ERROR_TIMEOUT, TRUE, FALSE },
    { ATELIER_API_ERROR, ATELIER_API_ERROR_GATEWAY_TIMEOUT, FALSE, TRUE },
    { ATELIER_API_ERROR, ATELIER_API_ERROR_SERVER, FALSE, TRUE },
    { ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID, FALSE, TRUE },
    { ATELIER_API_ERROR, ATELIER_API_ERROR_UNAUTHORIZED, FALSE, TRUE },
    { ATELIER_API_ERROR, ATELIER_API_ERROR_PARSE, FALSE, TRUE },
    { ATELIER_API_ERROR, ATELIER_API_ERROR_TOO_LARGE, FALSE, TRUE },
    { ATELIER_API_ERROR, ATELIER_API_ERROR_FILE, FALSE, FALSE },
    { ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM, FALSE, FALSE },
    { G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, TRUE, FALSE },
    { G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, TRUE, FALSE },
    { G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE, TRUE, FALSE },
    { G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, TRUE, FALSE },
    { G_IO_ERROR, G_IO_ERROR_CANCELLED, FALSE, FALSE },
  };
  g_autoptr(GError) network = g_error_new_literal (ATELIER_API_ERROR, ATELIER_API_ERROR_NETWORK, "reset");
  g_autofree char *text = atelier_error_describe (network);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (cases[i].domain, cases[i].code, "case");

      g_test_message ("%s %d", g_quark_to_string (cases[i].domain), cases[i].code);
      g_assert_cmpint (atelier_error_is_connection_failure (error), ==, cases[i].connection);
      g_assert_cmpint (atelier_error_is_answer (error), ==, cases[i].answer);
    }

  g_assert_cmpint (atelier_error_get_kind (network), ==, ATELIER_ERROR_KIND_CONNECTION);
  g_assert_cmpstr (text, ==, "The connection to the server failed");
}

/* }}} */

/* {{{ The session's offline rule */

/* A network monitor the test switches: a GNetworkMonitor of its own,
 * which GIO hands out as the default one. */
typedef struct
{
  GObject  parent_instance;
  gboolean available;
} TestMonitor;

typedef GObjectClass TestMonitorClass;

enum {
  MONITOR_PROP_0,
  MONITOR_PROP_AVAILABLE,
  MONITOR_PROP_METERED,
  MONITOR_PROP_CONNECTIVITY,
};

static void test_monitor_iface_init  (GNetworkMonitorInterface *iface);
static void test_initable_iface_init (GInitableIface           *iface);

static GType test_monitor_get_type (void);
G_DEFINE_TYPE_WITH_CODE (TestMonitor, test_monitor, G_TYPE_OBJECT,
                         G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, test_initable_iface_init)
                         G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR, test_monitor_iface_init))

static gboolean
test_monitor_initable_init (GInitable     *initable,
                            GCancellable  *cancellable,
                            GError       **error)
{
  return TRUE;
}

static void
test_initable_iface_init (GInitableIface *iface)
{
  iface->init = test_monitor_initable_init;
}

static gboolean
test_monitor_can_reach (GNetworkMonitor     *monitor,
                        GSocketConnectable  *connectable,
                        GCancellable        *cancellable,
                        GError             **error)
{
  if (((TestMonitor *) monitor)->available)
    return TRUE;

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE, "No network (test)");
  return FALSE;
}

static void
test_monitor_iface_init (GNetworkMonitorInterface *iface)
{
  iface->can_reach = test_monitor_can_reach;
}

static void
test_monitor_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TestMonitor *self = (TestMonitor *) object;

  switch (prop_id)
    {
    case MONITOR_PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case MONITOR_PROP_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case MONITOR_PROP_CONNECTIVITY:
      g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL : G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_monitor_init (TestMonitor *self)
{
  self->available = TRUE;
}

static void
test_monitor_class_init (TestMonitorClass *klass)
{
  klass->get_property = test_monitor_get_property;
  g_object_class_override_property (klass, MONITOR_PROP_AVAILABLE, "network-available");
  g_object_class_override_property (klass, MONITOR_PROP_METERED, "network-metered");
  g_object_class_override_property (klass, MONITOR_PROP_CONNECTIVITY, "connectivity");
}

/* Switches the monitor as a real one does: the properties, then
 * ::network-changed. */
static void
set_network (gboolean available)
{
  GNetworkMonitor *monitor = g_network_monitor_get_default ();
  TestMonitor *self;

  g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (monitor, test_monitor_get_type ()));
  self = (TestMonitor *) monitor;
  if (self->available == available)
    return;

  self->available = available;
  g_object_notify (G_OBJECT (monitor), "network-available");
  g_object_notify (G_OBJECT (monitor), "connectivity");
  g_signal_emit_by_name (monitor, "network-changed", available);
  g_assert_cmpint (g_network_monitor_get_network_available (monitor), ==, available);
}

typedef struct
{
  AtelierSandboxServer *server;
  AtelierSession       *session;
  char                 *photos;
  guint                 n_offline_changes;
  guint                 n_restored;
} SessionFixture;

static void
offline_changed_cb (AtelierSession *session,
                    GParamSpec     *pspec,
                    SessionFixture *fixture)
{
  fixture->n_offline_changes++;
}

static void
restored_cb (AtelierSession *session,
             SessionFixture *fixture)
{
  fixture->n_restored++;
}

static void
session_connect (SessionFixture     *fixture,
                 AtelierSessionMode  mode)
{
  g_autofree char *url = atelier_sandbox_server_dup_base_url (fixture->server);
  g_autoptr(GError) error = NULL;

  atelier_session_connect (fixture->session, mode, url, "sd_offline", NULL, NULL, FALSE, NULL, &error);
  g_assert_no_error (error);
  atelier_astria_client_set_retry_base_delay_ms (atelier_session_get_astria_client (fixture->session), 10);
}

static void
session_set_up (SessionFixture *fixture,
                gconstpointer   user_data)
{
  g_autoptr(GError) error = NULL;

  set_network (TRUE);
  fixture->server = atelier_test_server_new ();
  fixture->session = atelier_session_new ();
  session_connect (fixture, ATELIER_SESSION_MODE_SANDBOX);
  fixture->photos = g_dir_make_tmp ("atelier-offline-XXXXXX", &error);
  g_assert_no_error (error);
  g_signal_connect (fixture->session, "notify::offline", G_CALLBACK (offline_changed_cb), fixture);
  g_signal_connect (fixture->session, "network-restored", G_CALLBACK (restored_cb), fixture);
  g_assert_cmpint (atelier_session_get_offline (fixture->session), ==, ATELIER_SESSION_ONLINE);
}

static void
session_tear_down (SessionFixture *fixture,
                   gconstpointer   user_data)
{
  g_assert_finalize_object (fixture->session);
  atelier_test_server_free (fixture->server);
  atelier_test_rm_rf (fixture->photos);
  g_free (fixture->photos);
  set_network (TRUE);
}

/* GET /tunes through the session's client; TRUE when it succeeded. */
static gboolean
session_list (SessionFixture *fixture)
{
  AtelierAstriaClient *client = atelier_session_get_astria_client (fixture->session);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) tunes = NULL;

  atelier_astria_client_list_tunes_async (client, 0, NULL, atelier_test_store_result, &result);
  tunes = atelier_astria_client_list_tunes_finish (client, atelier_test_wait_result (&result), NULL);

  return tunes != NULL;
}

static void
drop_lists (SessionFixture *fixture)
{
  AtelierSandboxFault fault = {
    .method = "GET",
    .path = "/tunes",
    .kind = ATELIER_SANDBOX_FAULT_DROP,
  };

  atelier_sandbox_server_add_fault (fixture->server, &fault);
}

/* The service made the tune and the connection dropped: found at once,
 * and the session never says offline. */
static void
test_offline_not_from_one_drop (SessionFixture *fixture,
                                gconstpointer   user_data)
{
  g_autofree char *title = atelier_tune_title_with_uuid ("Reset Rita");
  g_autoptr(AtelierTuneParams) params = atelier_tune_params_new ();
  g_autoptr(GFile) photo = atelier_test_write_image (fixture->photos, "rita.jpg", 600, 600, 7, "jpeg");
  g_autoptr(AtelierTuneUpload) upload = NULL;
  g_autoptr(AtelierTune) tune = NULL;
  g_autoptr(GError) error = NULL;
  AtelierSandboxFault fault = {
    .method = "POST",
    .path = "/tunes",
    .kind = ATELIER_SANDBOX_FAULT_CREATE_THEN_DROP,
    .times = 1,
  };

  atelier_params_set_string (ATELIER_PARAMS (params), "title", title);
  atelier_params_set_string (ATELIER_PARAMS (params), "name", "woman");
  atelier_params_set_string (ATELIER_PARAMS (params), "branch", "fast");
  atelier_tune_params_add_image (params, photo);
  atelier_sandbox_server_add_fault (fixture->server, &fault);

  upload = atelier_tune_upload_new (atelier_session_get_astria_client (fixture->session), params, FALSE);
  tune = run (upload, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (atelier_tune_upload_get_check (upload), ==, ATELIER_TUNE_UPLOAD_CHECK_FOUND);

  g_assert_cmpuint (fixture->n_offline_changes, ==, 0);
  g_assert_cmpint (atelier_session_get_offline (fixture->session), ==, ATELIER_SESSION_ONLINE);
  g_assert_cmpuint (atelier_session_get_connection_failures (fixture->session), ==, 0);
}

/* Offline after ATELIER_SESSION_OFFLINE_FAILURES connection failures in a
 * row; an answer between them starts the count again; any answer ends
 * it. */
static void
test_offline_after_repeated_failures (SessionFixture *fixture,
                                      gconstpointer   user_data)
{
  AtelierSandboxFault not_found = {
    .method = "GET",
    .path = "/tunes",
    .kind = ATELIER_SANDBOX_FAULT_STATUS,
    .status = 404,
    .times = 1,
  };

  g_assert_cmpuint (ATELIER_SESSION_OFFLINE_FAILURES, ==, 3);

  /* Two failures, an answer, two more: never three in a row. */
  drop_lists (fixture);
  g_assert_false (session_list (fixture));
  g_assert_false (session_list (fixture));
  g_assert_cmpuint (atelier_session_get_connection_failures (fixture->session), ==, 2);
  atelier_sandbox_server_clear_faults (fixture->server);
  g_assert_true (session_list (fixture));
  g_assert_cmpuint (atelier_session_get_connection_failures (fixture->session), ==, 0);
  drop_lists (fixture);
  g_assert_false (session_list (fixture));
  g_assert_false (session_list (fixture));
  g_assert_cmpint (atelier_session_get_offline (fixture->session), ==, ATELIER_SESSION_ONLINE);
  g_assert_cmpuint (fixture->n_offline_changes, ==, 0);

  /* The third in a row. */
  g_assert_false (session_list (fixture));
  g_assert_cmpint (atelier_session_get_offline (fixture->session), ==, ATELIER_SESSION_OFFLINE_NO_ANSWER);
  g_assert_true (atelier_session_is_offline (fixture->session));
  g_assert_cmpuint (fixture->n_offline_changes, ==, 1);
  g_assert_false (session_list (fixture));
  g_assert_cmpuint (fixture->n_offline_changes, ==, 1);

  /* An answer, even an error, says the connection works. */
  atelier_sandbox_server_clear_faults (fixture->server);
  atelier_sandbox_server_add_fault (fixture->server, &not_found);
  g_assert_false (session_list (fixture));
  g_assert_cmpint (atelier_session_get_offline (fixture->session), ==, ATELIER_SESSION_ONLINE);
  g_assert_cmpuint (fixture->n_offline_changes, ==, 2);
  /* Not the network coming back: nothing to reload for. */
  g_assert_cmpuint (fixture->n_restored, ==, 0);

  /* Connecting again starts from nothing. */
  drop_lists (fixture);
  for (guint i = 0; i < ATELIER_SESSION_OFFLINE_FAILURES; i++)
    g_assert_false (session_list (fixture));
  g_assert_true (atelier_session_is_offline (fixture->session));
  session_connect (fixture, ATELIER_SESSION_MODE_SANDBOX);
  g_assert_false (atelier_session_is_offline (fixture->session));
}

/* The network monitor: no network is offline with an account (the in-app
 * sandbox needs none); its return ends it and is announced. */
static void
test_offline_network_monitor (SessionFixture *fixture,
                              gconstpointer   user_data)
{
  /* The sandbox: no network is fine. */
  set_network (FALSE);
  g_assert_cmpint (atelier_session_get_offline (fixture->session), ==, ATELIER_SESSION_ONLINE);
  g_assert_cmpuint (fixture->n_offline_changes, ==, 0);

  /* An account: offline at once. */
  session_connect (fixture, ATELIER_SESSION_MODE_ACCOUNT);
  g_assert_cmpint (atelier_session_get_offline (fixture->session), ==, ATELIER_SESSION_OFFLINE_NO_NETWORK);

  set_network (TRUE);
  g_assert_cmpint (atelier_session_get_offline (fixture->session), ==, ATELIER_SESSION_ONLINE);
  g_assert_cmpuint (fixture->n_restored, ==, 1);

  /* Connection failures before the network went: forgotten when it is
   * back. */
  drop_lists (fixture);
  for (guint i = 0; i < ATELIER_SESSION_OFFLINE_FAILURES; i++)
    g_assert_false (session_list (fixture));
  g_assert_cmpint (atelier_session_get_offline (fixture->session), ==, ATELIER_SESSION_OFFLINE_NO_ANSWER);
  set_network (FALSE);
  g_assert_cmpint (atelier_session_get_offline (fixture->session), ==, ATELIER_SESSION_OFFLINE_NO_NETWORK);
  set_network (TRUE);
  g_assert_cmpint (atelier_session_get_offline (fixture->session), ==, ATELIER_SESSION_ONLINE);
  g_assert_cmpuint (atelier_session_get_connection_failures (fixture->session), ==, 0);
  g_assert_cmpuint (fixture->n_restored, ==, 2);
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  /* The network monitor is the test's (before anything asks for one). */
  g_io_extension_point_register (G_NETWORK_MONITOR_EXTENSION_POINT_NAME);
  g_io_extension_point_implement (G_NETWORK_MONITOR_EXTENSION_POINT_NAME,
                                  test_monitor_get_type (), "atelier-test", 0);
  g_setenv ("GIO_USE_NETWORK_MONITOR", "atelier-test", TRUE);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/api-error/may-have-arrived", test_may_have_arrived);
  g_test_add_func ("/error-presenter/connection-failures", test_connection_failure_kinds);
  ADD ("/tune-upload/upload", test_upload, NULL);
  ADD ("/tune-upload/504-after-create", test_504_after_create, NULL);
  ADD ("/tune-upload/504-then-retry", test_failed_then_retried,
       GUINT_TO_POINTER (ATELIER_SANDBOX_FAULT_STATUS));
  ADD ("/tune-upload/dropped-then-retry", test_failed_then_retried,
       GUINT_TO_POINTER (ATELIER_SANDBOX_FAULT_DROP));
  ADD ("/tune-upload/dropped-after-create", test_dropped_after_create, NULL);
  ADD ("/tune-upload/dropped-check-failed", test_dropped_check_failed, NULL);
  ADD ("/tune-upload/cancel-then-retry", test_cancel_then_retried, NULL);
  ADD ("/tune-upload/found-by-title", test_found_by_title, NULL);
  ADD ("/tune-upload/not-arrived", test_not_arrived, NULL);
  ADD ("/tune-upload/huge-photo", test_huge_photo, NULL);
  ADD ("/tune-upload/cancel-preparing", test_cancel_preparing, NULL);

#define ADD_SESSION(path, func) \
  g_test_add (path, SessionFixture, NULL, session_set_up, func, session_tear_down)

  ADD_SESSION ("/session/offline/not-from-one-drop", test_offline_not_from_one_drop);
  ADD_SESSION ("/session/offline/repeated-failures", test_offline_after_repeated_failures);
  ADD_SESSION ("/session/offline/network-monitor", test_offline_network_monitor);

  return g_test_run ();
}
