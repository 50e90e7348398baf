/* atelier-tune-upload.h: creating a tune, idempotently
 *
 * One POST /tunes that never makes the tune twice, whatever happened to
 * the tries before it. Run once, it goes through these phases:
 *
 *   LOOKING_UP  only when an earlier try may have reached the service
 *               (@may_exist): the tune is looked up by its title (made
 *               unique by atelier_tune_title_with_uuid()); when found,
 *               that is the result and nothing is sent
 *   PREPARING   only when some images are to be downscaled: a JPEG copy
 *               of each, at most ATELIER_PHOTO_UPLOAD_MAX_SIDE px, written
 *               in a worker thread to $XDG_CACHE_HOME/atelier/uploads
 *   UPLOADING   the multipart POST /tunes, with ::progress; a 504 after
 *               which the service did create the tune is resolved by the
 *               client, by title
 *   CHECKING    only when the POST failed in a way that may still have
 *               created the tune (atelier_api_error_may_have_arrived(): a
 *               dropped connection, no answer in time, a 5xx, an unreadable
 *               2xx; not a cancel, and not a 504, which the client has
 *               already looked up): the title is looked up at once. Found:
 *               that is the result, a success
 *   DONE        the copies are deleted (whatever the outcome), then the
 *               result is returned
 *
 * :check says what a look-up by title found (AtelierTuneUploadCheck), so
 * that the UI can say what happened: that Astria received the tune, or
 * that it did not arrive, or that this could not be checked.
 *
 * After a failure, :may-have-arrived says whether this try or an earlier
 * one may still have created the tune (atelier_api_error_may_have_arrived(),
 * or a cancel during the upload): the next upload of the same title should
 * then be made with @may_exist. It stays TRUE when the look-up found
 * nothing: a request the service is still working on may yet make the
 * tune, and looking again costs one GET. A cancel before anything was sent
 * leaves it as it was.
 *
 * Properties: :phase, :may-have-arrived, :check (read-only, notified).
 * Signals: ::progress (gint64 sent, gint64 total), bytes of the request
 * body, while UPLOADING.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "atelier-astria-client.h"

G_BEGIN_DECLS

typedef enum
{
  ATELIER_TUNE_UPLOAD_PHASE_NONE,
  ATELIER_TUNE_UPLOAD_PHASE_LOOKING_UP,
  ATELIER_TUNE_UPLOAD_PHASE_PREPARING,
  ATELIER_TUNE_UPLOAD_PHASE_UPLOADING,
  ATELIER_TUNE_UPLOAD_PHASE_CHECKING,
  ATELIER_TUNE_UPLOAD_PHASE_DONE,
} AtelierTuneUploadPhase;

#define ATELIER_TYPE_TUNE_UPLOAD_PHASE (atelier_tune_upload_phase_get_type ())
GType atelier_tune_upload_phase_get_type (void) G_GNUC_CONST;

/**
 * AtelierTuneUploadCheck:
 * @ATELIER_TUNE_UPLOAD_CHECK_NONE: nothing was looked up after a failure:
 *   the POST got its answer, or failed in a way that cannot have made the
 *   tune, or was cancelled
 * @ATELIER_TUNE_UPLOAD_CHECK_FOUND_EARLIER: LOOKING_UP found the tune an
 *   earlier try made; nothing was sent
 * @ATELIER_TUNE_UPLOAD_CHECK_FOUND: the POST failed (the connection was
 *   dropped, …) but CHECKING found the tune: the run returns it
 * @ATELIER_TUNE_UPLOAD_CHECK_ABSENT: the POST failed and the tune is not
 *   there: it did not arrive (for a 504, the client's look-up said so)
 * @ATELIER_TUNE_UPLOAD_CHECK_FAILED: the POST failed and the look-up
 *   failed too: whether it arrived is not known
 */
typedef enum
{
  ATELIER_TUNE_UPLOAD_CHECK_NONE,
  ATELIER_TUNE_UPLOAD_CHECK_FOUND_EARLIER,
  ATELIER_TUNE_UPLOAD_CHECK_FOUND,
  ATELIER_TUNE_UPLOAD_CHECK_ABSENT,
  ATELIER_TUNE_UPLOAD_CHECK_FAILED,
} AtelierTuneUploadCheck;

#define ATELIER_TYPE_TUNE_UPLOAD_CHECK (atelier_tune_upload_check_get_type ())
GType atelier_tune_upload_check_get_type (void) G_GNUC_CONST;

#define ATELIER_TYPE_TUNE_UPLOAD (atelier_tune_upload_get_type ())
G_DECLARE_FINAL_TYPE (AtelierTuneUpload, atelier_tune_upload, ATELIER, TUNE_UPLOAD, GObject)

/* @params with its title and images. While the upload runs, @params is
 * the upload's: the images to downscale are swapped for their copies for
 * the POST, and back afterwards. @may_exist: an earlier try of this title
 * may have reached the service. */
AtelierTuneUpload     *atelier_tune_upload_new                  (AtelierAstriaClient  *client,
                                                                 AtelierTuneParams    *params,
                                                                 gboolean              may_exist);
/* Creates the tune from pack @pack_id (POST /p/:id/tunes, the params as
 * atelier_tune_params_to_pack_form() sends them) instead of POST /tunes;
 * 0: a plain tune. The look-ups by title are the same. Before running. */
void                   atelier_tune_upload_set_pack_id          (AtelierTuneUpload    *self,
                                                                 gint64                pack_id);
/* Sends @image, one of the params' images, as a smaller copy. Before
 * running. */
void                   atelier_tune_upload_downscale            (AtelierTuneUpload    *self,
                                                                 GFile                *image);
guint                  atelier_tune_upload_get_n_downscaled     (AtelierTuneUpload    *self);

AtelierTuneUploadPhase atelier_tune_upload_get_phase            (AtelierTuneUpload    *self);
gboolean               atelier_tune_upload_get_may_have_arrived (AtelierTuneUpload    *self);
AtelierTuneUploadCheck atelier_tune_upload_get_check            (AtelierTuneUpload    *self);
/* What ::progress said last (0 before). */
gint64                 atelier_tune_upload_get_bytes_sent       (AtelierTuneUpload    *self);
gint64                 atelier_tune_upload_get_bytes_total      (AtelierTuneUpload    *self);

/* Runs once. The finish returns the tune, created or found, even when
 * @cancellable was cancelled after it was created. */
void                   atelier_tune_upload_run_async            (AtelierTuneUpload    *self,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
AtelierTune           *atelier_tune_upload_run_finish           (AtelierTuneUpload    *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);

G_END_DECLS
