/* atelier-faceid-job-row.h: one FaceID request in the page's list
 *
 * Its prompt and face, its state as it changes (queue position, fal's
 * log lines, the error), Cancel, Retry and Remove as the state allows,
 * and the kept result picture, which opens the Gallery on it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atelier-faceid-jobs.h"
#include "atelier-session.h"

G_BEGIN_DECLS

#define ATELIER_TYPE_FACEID_JOB_ROW (atelier_faceid_job_row_get_type ())
G_DECLARE_FINAL_TYPE (AtelierFaceidJobRow, atelier_faceid_job_row, ATELIER, FACEID_JOB_ROW, GtkListBoxRow)

/* A row of @job, acted on through @jobs; the result picture comes from
 * @session's library (nullable). */
GtkWidget        *atelier_faceid_job_row_new         (AtelierFaceidJob  *job,
                                                      AtelierFaceidJobs *jobs,
                                                      AtelierSession    *session);
AtelierFaceidJob *atelier_faceid_job_row_get_job     (AtelierFaceidJobRow *self);
/* The text the row shows for the job's state. */
const char       *atelier_faceid_job_row_get_text    (AtelierFaceidJobRow *self);
/* TRUE when the row shows the result picture. */
gboolean          atelier_faceid_job_row_has_picture (AtelierFaceidJobRow *self);

G_END_DECLS
