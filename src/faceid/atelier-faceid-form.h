/* atelier-faceid-form.h: the prompt and every parameter of a fal FaceID
 * request
 *
 * The "Prompt" and "Settings" groups of the FaceID page: a row for each
 * documented parameter of fal-ai/ip-adapter-face-id with fal's range,
 * the input they make, the form filled from an earlier input, and field
 * errors (the local check's or fal's 422 `detail`) marked on their field.
 *
 * Action: faceid.reset-negative.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define ATELIER_TYPE_FACEID_FORM (atelier_faceid_form_get_type ())
G_DECLARE_FINAL_TYPE (AtelierFaceidForm, atelier_faceid_form, ATELIER, FACEID_FORM, AdwBin)

/* The input the form would send now, without the face. (transfer full) */
JsonObject *atelier_faceid_form_build_input       (AtelierFaceidForm *self);
/* Fills the form from the members of @settings it knows; clears the
 * errors. */
void        atelier_faceid_form_fill              (AtelierFaceidForm *self,
                                                   JsonObject        *settings);
void        atelier_faceid_form_clear_errors      (AtelierFaceidForm *self);
/* Marks the fields @error names (atelier_api_error_get_field_errors());
 * the number marked. The first marked takes the focus when @focus. */
guint       atelier_faceid_form_show_errors       (AtelierFaceidForm *self,
                                                   const GError      *error,
                                                   gboolean           focus);

/* The widget of fal's field @name ("prompt": the prompt's frame), and
 * the error shown for it, or NULL. */
GtkWidget  *atelier_faceid_form_get_field_widget  (AtelierFaceidForm *self,
                                                   const char        *name);
const char *atelier_faceid_form_get_field_error   (AtelierFaceidForm *self,
                                                   const char        *name);

G_END_DECLS
