/* atelier-faceid-faces.h: the face a FaceID request is made from
 *
 * The "Face" group of the FaceID page: the photos chosen (file chooser,
 * a drop, "Open With") or the https URL of an Astria image, each shown as
 * a thumbnail with its problem or, when an Astria client is there, the
 * warnings of POST /images/inspect; and the sentence saying what is sent
 * where. Emits ::changed whenever what the page can send changes.
 *
 * Action: faceid.choose.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atelier-session.h"

G_BEGIN_DECLS

#define ATELIER_TYPE_FACEID_FACES (atelier_faceid_faces_get_type ())
G_DECLARE_FINAL_TYPE (AtelierFaceidFaces, atelier_faceid_faces, ATELIER, FACEID_FACES, AdwBin)

/* Where the Astria client (inspection) and the image cache come from. */
void         atelier_faceid_faces_set_session   (AtelierFaceidFaces *self,
                                                 AtelierSession     *session);
void         atelier_faceid_faces_set_sandbox   (AtelierFaceidFaces *self,
                                                 gboolean            sandbox);
/* Adds @files (element-type GFile), up to ATELIER_FAL_MAX_FACES photos in
 * all; an Astria image chosen before goes. */
void         atelier_faceid_faces_add_files     (AtelierFaceidFaces *self,
                                                 GPtrArray          *files);
/* The photos become the image at @url alone. */
void         atelier_faceid_faces_set_url       (AtelierFaceidFaces *self,
                                                 const char         *url);
void         atelier_faceid_faces_clear         (AtelierFaceidFaces *self);

guint        atelier_faceid_faces_get_n_faces   (AtelierFaceidFaces *self);
/* Photos still being prepared or inspected. */
guint        atelier_faceid_faces_get_n_busy    (AtelierFaceidFaces *self);
/* Why Generate cannot send the faces yet, or NULL when it can. */
const char  *atelier_faceid_faces_get_blocker   (AtelierFaceidFaces *self);
/* What a request sends: the Astria image's URL (or NULL), else the
 * prepared JPEGs (element-type GBytes, transfer container), with a label
 * for the request's row. FALSE when not every photo is ready. */
gboolean     atelier_faceid_faces_get_payload   (AtelierFaceidFaces *self,
                                                 const char        **url,
                                                 GPtrArray         **jpegs,
                                                 char              **label);
/* The local photos that can be used (element-type GFile). */
GPtrArray   *atelier_faceid_faces_dup_files     (AtelierFaceidFaces *self);

/* For tests: what photo @index shows. */
gboolean     atelier_faceid_faces_has_thumbnail (AtelierFaceidFaces *self,
                                                 guint               index);
const char  *atelier_faceid_faces_get_problem   (AtelierFaceidFaces *self,
                                                 guint               index);
const char  *atelier_faceid_faces_get_warnings  (AtelierFaceidFaces *self,
                                                 guint               index);

G_END_DECLS
