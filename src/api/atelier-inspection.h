/* atelier-inspection.h: the answer of POST /images/inspect
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum /*< flags >*/
{
  ATELIER_INSPECTION_WARNING_NONE            = 0,
  ATELIER_INSPECTION_WARNING_NO_CLASS        = 1 << 0, /* "name" empty / NONE / missing */
  ATELIER_INSPECTION_WARNING_OTHER_CLASS     = 1 << 1, /* "name" differs from the class asked */
  ATELIER_INSPECTION_WARNING_FUNNY_FACE      = 1 << 2,
  ATELIER_INSPECTION_WARNING_SUNGLASSES      = 1 << 3,
  ATELIER_INSPECTION_WARNING_HAT             = 1 << 4,
  ATELIER_INSPECTION_WARNING_BLURRY          = 1 << 5,
  ATELIER_INSPECTION_WARNING_MULTIPLE_PEOPLE = 1 << 6,
  ATELIER_INSPECTION_WARNING_FULL_BODY       = 1 << 7,
  ATELIER_INSPECTION_WARNING_SELFIE          = 1 << 8,
} AtelierInspectionWarnings;

#define ATELIER_INSPECTION_WARNING_LAST ATELIER_INSPECTION_WARNING_SELFIE

#define ATELIER_TYPE_INSPECTION (atelier_inspection_get_type ())
G_DECLARE_FINAL_TYPE (AtelierInspection, atelier_inspection, ATELIER, INSPECTION, GObject)

AtelierInspection         *atelier_inspection_new_from_json      (JsonNode           *node,
                                                                  GError            **error);

/* The detected class, or NULL when "", "NONE", null or missing. */
const char                *atelier_inspection_get_name           (AtelierInspection  *self);
/* A string attribute ("eye_color", …), NULL when "", "NONE", null or missing. */
const char                *atelier_inspection_get_attribute      (AtelierInspection  *self,
                                                                  const char         *key);
/* Keys of present string attributes except "name", sorted; never NULL. */
GStrv                      atelier_inspection_dup_attribute_keys (AtelierInspection  *self);
gboolean                   atelier_inspection_get_flag           (AtelierInspection  *self,
                                                                  const char         *key);
AtelierInspectionWarnings  atelier_inspection_get_warnings       (AtelierInspection  *self,
                                                                  const char         *expected_class);

/* A translated sentence for one warning bit, e.g. "Sunglasses". */
const char                *atelier_inspection_warning_describe   (AtelierInspectionWarnings warning);

/* The most common value of each string attribute across @inspections
 * (AtelierInspection*), ties broken by first seen: key → value.
 * (transfer full) */
GHashTable                *atelier_inspection_aggregate          (GPtrArray          *inspections);

G_END_DECLS
