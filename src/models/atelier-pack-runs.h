/* atelier-pack-runs.h: the test runs of the account, kept on this computer
 *
 * A GListModel of AtelierPackRun, newest first. Each run is one file,
 * DIR/ACCOUNT-HASH/RUN-ID.json; the account's folder is read in a worker
 * thread when the account is set. A file that cannot be read is listed as
 * an unreadable run (atelier_pack_run_is_readable()), and the others load.
 *
 * Signals:
 *   ::error (GError *error): a run could not be written or deleted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "atelier-pack-run.h"

G_BEGIN_DECLS

/* Larger run files are not read. */
#define ATELIER_PACK_RUN_MAX_FILE_SIZE (1024 * 1024)

#define ATELIER_TYPE_PACK_RUNS (atelier_pack_runs_get_type ())
G_DECLARE_FINAL_TYPE (AtelierPackRuns, atelier_pack_runs, ATELIER, PACK_RUNS, GObject)

/* @dir NULL: g_get_user_data_dir()/atelier/runs. */
AtelierPackRuns *atelier_pack_runs_new          (const char      *dir);
/* The account whose runs are listed (NULL: none); reading starts now. */
void             atelier_pack_runs_set_account  (AtelierPackRuns *self,
                                                 const char      *account);
gboolean         atelier_pack_runs_is_loaded    (AtelierPackRuns *self);
/* TRUE while a new run's file is being written. */
gboolean         atelier_pack_runs_is_writing   (AtelierPackRuns *self);
/* Lists @run at the top at once and writes its file. */
void             atelier_pack_runs_add          (AtelierPackRuns *self,
                                                 AtelierPackRun  *run);
/* Forgets @run and deletes its file. */
void             atelier_pack_runs_remove       (AtelierPackRuns *self,
                                                 AtelierPackRun  *run);
/* The runs of @pack_id, newest first (@pack_id 0: the themes).
 * (transfer full) (element-type AtelierPackRun) */
GPtrArray       *atelier_pack_runs_dup_for_pack (AtelierPackRuns *self,
                                                 gint64           pack_id);
/* The run with that id, or NULL. (transfer none) */
AtelierPackRun  *atelier_pack_runs_lookup       (AtelierPackRuns *self,
                                                 const char      *id);

G_END_DECLS
