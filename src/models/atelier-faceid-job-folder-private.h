/* atelier-faceid-job-folder-private.h: FaceID jobs on disk
 *
 * An account's jobs live in DIR/SHA256(ACCOUNT)/JOB-ID/: job.json (the
 * format is in atelier-faceid-job-private.h) and the prepared faces
 * face-1.jpg, face-2.jpg, … Everything here touches the disk in worker
 * threads and answers on the main thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atelier-faceid-job-private.h"

G_BEGIN_DECLS

typedef struct _AtelierFaceidJobFolder AtelierFaceidJobFolder;

/* Told on the main thread while @owner lives: a write started (@busy
 * TRUE), or ended (@busy FALSE, with @error when it failed). */
typedef void (*AtelierFaceidFolderBusyFunc)    (gpointer          owner,
                                                gboolean          busy,
                                                const GError     *error);
/* Told once, on the main thread, when the write asked for landed
 * (@written) or failed. */
typedef void (*AtelierFaceidFolderWrittenFunc) (gboolean          written,
                                                gpointer          user_data);

/* The folder of @job in @account_dir. A folder writes one state after the
 * other (g_file_set_contents_full(): a temporary file renamed over the
 * old one), the newest job.json replacing one still waiting, and lives
 * on after @owner (weakly held), so the last state always lands. */
AtelierFaceidJobFolder *_atelier_faceid_job_folder_new          (const char                     *account_dir,
                                                                 AtelierFaceidJob               *job,
                                                                 GObject                        *owner,
                                                                 AtelierFaceidFolderBusyFunc     busy);
void                    _atelier_faceid_job_folder_unref        (AtelierFaceidJobFolder         *folder);
/* Writes @job's state as it is now; @faces (nullable, GBytes) before it;
 * @then (nullable) with @user_data once that landed or failed. */
void                    _atelier_faceid_job_folder_write        (AtelierFaceidJobFolder         *folder,
                                                                 AtelierFaceidJob               *job,
                                                                 GPtrArray                      *faces,
                                                                 AtelierFaceidFolderWrittenFunc  then,
                                                                 gpointer                        user_data);
/* Deletes the folder (only the files a job folder holds) instead of any
 * write still waiting. */
void                    _atelier_faceid_job_folder_remove       (AtelierFaceidJobFolder         *folder);
/* The job's face-N.jpg, N from 1 to @n_faces, as GBytes. */
void                    _atelier_faceid_job_folder_read_faces_async  (AtelierFaceidJobFolder    *folder,
                                                                      guint                      n_faces,
                                                                      GCancellable              *cancellable,
                                                                      GAsyncReadyCallback        callback,
                                                                      gpointer                   user_data);
GPtrArray              *_atelier_faceid_job_folder_read_faces_finish (GAsyncResult              *result,
                                                                      GError                   **error);

/* Reads every job of @account_dir, newest first; a job that cannot be
 * read is skipped with a warning. The task has no source object: pass
 * what the callback needs in @user_data. */
void                    _atelier_faceid_jobs_read_async         (const char                     *account_dir,
                                                                 GCancellable                   *cancellable,
                                                                 GAsyncReadyCallback             callback,
                                                                 gpointer                        user_data);
/* (transfer full) (element-type AtelierFaceidJob) NULL when cancelled. */
GPtrArray              *_atelier_faceid_jobs_read_finish        (GAsyncResult                   *result);

G_END_DECLS
