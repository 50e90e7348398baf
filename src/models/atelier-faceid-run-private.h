/* atelier-faceid-run-private.h: one FaceID job's way through fal.ai
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atelier-faceid-job-folder-private.h"

G_BEGIN_DECLS

/* What the runs of one AtelierFaceidJobs share: it owns this, changes
 * the client, library and interval when it is told to, and frees its runs
 * before it goes. */
typedef struct
{
  GObject          *owner;              /* (unowned) the jobs, for the callbacks */
  AtelierFalClient *client;             /* (nullable) */
  AtelierLibrary   *library;            /* (nullable) */
  guint             poll_interval_ms;
  /* A job became DONE or FAILED. */
  void            (*finished) (GObject *owner, AtelierFaceidJob *job);
  /* fal refused a cancel for another reason than the job having started. */
  void            (*error)    (GObject *owner, const GError *error);
} AtelierFaceidRunHost;

typedef struct _AtelierFaceidRun AtelierFaceidRun;

/* @folder (nullable: no account) is taken. */
AtelierFaceidRun *_atelier_faceid_run_new     (const AtelierFaceidRunHost *host,
                                               AtelierFaceidJob           *job,
                                               AtelierFaceidJobFolder     *folder);
/* Stops every call and timer (their answers are dropped) and frees. */
void              _atelier_faceid_run_free    (AtelierFaceidRun           *run);
/* TRUE while a call or a timer is on its way. */
gboolean          _atelier_faceid_run_is_busy (AtelierFaceidRun           *run);
/* A new SUBMITTING job: its folder with @faces (nullable, GBytes, kept in
 * memory) is written, then @payload is POSTed. */
void              _atelier_faceid_run_submit  (AtelierFaceidRun           *run,
                                               GPtrArray                  *faces,
                                               JsonNode                   *payload);
/* A waiting job that nothing drives (read from disk, or a client came):
 * poll it, or fetch its result, now. */
void              _atelier_faceid_run_resume  (AtelierFaceidRun           *run);
void              _atelier_faceid_run_cancel  (AtelierFaceidRun           *run);
void              _atelier_faceid_run_retry   (AtelierFaceidRun           *run);
/* Deletes the job's folder. */
void              _atelier_faceid_run_remove  (AtelierFaceidRun           *run);

G_END_DECLS
