/* atelier-faceid-page.h: a likeness from one photo, two ways
 *
 * The page explains the two ways and offers the one the user can use
 * now: fal.ai's ip-adapter-face-id (instant, no training, billed by fal.ai
 * to the fal key; placeholders in the Sandbox) and an Astria FaceID tune
 * (a one-time tune, then prompts on a gallery base model with
 * <faceid:ID:1>).
 *
 * The face: photos from the file chooser, a drop, "Open With" (see
 * atelier_faceid_page_open()) or an https URL of an Astria image. Each
 * local photo is prepared off the main thread as fal receives it (a
 * 640 × 640 JPEG, atelier-fal-face.h), shown as a thumbnail with its
 * problem or, when an Astria client is there, the warnings of
 * POST /images/inspect. Every documented fal parameter has a row, its
 * range enforced by the widget and checked before sending; a refused
 * field is marked on its row. Requests are AtelierFaceidJobs, listed
 * newest first with their live state.
 *
 * Its parts: AtelierFaceidFaces (the face), AtelierFaceidForm (the
 * prompt and parameters), AtelierFaceidJobRow (one request). A finished
 * request's picture opens the Gallery on it.
 *
 * Actions: faceid.generate, faceid.create-tune, page.reload (and the
 * parts' faceid.choose, faceid.reset-negative).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atelier-faceid-faces.h"
#include "atelier-faceid-form.h"
#include "atelier-faceid-job-row.h"
#include "atelier-fal-client.h"
#include "atelier-faceid-jobs.h"
#include "atelier-session.h"

G_BEGIN_DECLS

#define ATELIER_TYPE_FACEID_PAGE (atelier_faceid_page_get_type ())
G_DECLARE_FINAL_TYPE (AtelierFaceidPage, atelier_faceid_page, ATELIER, FACEID_PAGE, AdwBin)

void               atelier_faceid_page_set_client  (AtelierFaceidPage *self,
                                                    AtelierFalClient  *client);
/* Where the Astria client (inspection, FaceID tunes), the library (result
 * thumbnails) and the image cache come from. */
void               atelier_faceid_page_set_session (AtelierFaceidPage *self,
                                                    AtelierSession    *session);
/* The requests listed and sent. */
void               atelier_faceid_page_set_jobs    (AtelierFaceidPage *self,
                                                    AtelierFaceidJobs *jobs);
AtelierFaceidJobs *atelier_faceid_page_get_jobs    (AtelierFaceidPage *self);

/* @face_uri (nullable): a file:// URI (or a path) replaces the chosen
 * photos with that file, an https URL with that image; @settings
 * (nullable): a fal input object whose members fill the form. */
void               atelier_faceid_page_open        (AtelierFaceidPage *self,
                                                    const char        *face_uri,
                                                    JsonNode          *settings);
/* What the file chooser and a drop do: adds @files (element-type GFile),
 * up to ATELIER_FAL_MAX_FACES photos in all. */
void               atelier_faceid_page_add_files   (AtelierFaceidPage *self,
                                                    GPtrArray         *files);

/* The page's parts, for tests. */
AtelierFaceidFaces  *atelier_faceid_page_get_faces         (AtelierFaceidPage *self);
AtelierFaceidForm   *atelier_faceid_page_get_form          (AtelierFaceidPage *self);
/* The row of @job in the list, or NULL. */
AtelierFaceidJobRow *atelier_faceid_page_get_job_row       (AtelierFaceidPage *self,
                                                            AtelierFaceidJob  *job);
/* Whether the FaceID tunes list is loading. */
gboolean             atelier_faceid_page_get_loading_tunes (AtelierFaceidPage *self);

G_END_DECLS
