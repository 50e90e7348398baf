/* atelier-tune.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  ATELIER_TUNE_STATE_TRAINING,
  ATELIER_TUNE_STATE_READY,
  ATELIER_TUNE_STATE_EXPIRING,   /* ready, expires within 3 days */
  ATELIER_TUNE_STATE_EXPIRED,
} AtelierTuneState;

#define ATELIER_TYPE_TUNE (atelier_tune_get_type ())
G_DECLARE_FINAL_TYPE (AtelierTune, atelier_tune, ATELIER, TUNE, GObject)

/* Returns NULL with ATELIER_API_ERROR_PARSE when @node is not an object or
 * has no usable "id"; every other member may be missing, null or of the
 * wrong type. */
AtelierTune        *atelier_tune_new_from_json            (JsonNode     *node,
                                                           GError      **error);
/* Parses an array of tunes; elements that are not tunes are skipped. */
GPtrArray          *atelier_tune_list_from_json           (JsonNode     *node,
                                                           GError      **error);

gint64              atelier_tune_get_id                   (AtelierTune  *self);
const char         *atelier_tune_get_title                (AtelierTune  *self);
const char         *atelier_tune_get_name                 (AtelierTune  *self);
const char         *atelier_tune_get_token                (AtelierTune  *self);
const char         *atelier_tune_get_branch               (AtelierTune  *self);
const char         *atelier_tune_get_model_type           (AtelierTune  *self);
const char         *atelier_tune_get_url                  (AtelierTune  *self);
gint64              atelier_tune_get_base_tune_id         (AtelierTune  *self); /* 0 when null */
gint64              atelier_tune_get_steps                (AtelierTune  *self); /* -1 when null */
int                 atelier_tune_get_face_crop            (AtelierTune  *self); /* -1 null, 0, 1 */
int                 atelier_tune_get_training_face_correct(AtelierTune  *self); /* -1 null, 0, 1 */
GDateTime          *atelier_tune_get_created_at           (AtelierTune  *self);
GDateTime          *atelier_tune_get_updated_at           (AtelierTune  *self);
GDateTime          *atelier_tune_get_started_training_at  (AtelierTune  *self);
GDateTime          *atelier_tune_get_trained_at           (AtelierTune  *self);
GDateTime          *atelier_tune_get_eta                  (AtelierTune  *self);
GDateTime          *atelier_tune_get_expires_at           (AtelierTune  *self);
const char * const *atelier_tune_get_orig_images          (AtelierTune  *self); /* never NULL */
/* Keys of "characteristics" that have string values, sorted; never NULL. */
GStrv               atelier_tune_dup_characteristic_keys  (AtelierTune  *self);
const char         *atelier_tune_get_characteristic       (AtelierTune  *self,
                                                           const char   *key);
/* The title, or "Tune 123" when it has none. */
char               *atelier_tune_dup_display_title        (AtelierTune  *self);
/* The display title without its UUID: "Jane - 3f6c…" → "Jane" (only a
 * trailing " - " + UUID is cut: atelier_tune_title_without_uuid()). */
char               *atelier_tune_dup_short_title          (AtelierTune  *self);
gboolean            atelier_tune_is_trained               (AtelierTune  *self);
/* @now may be NULL for the current time. EXPIRED once expires_at has
 * passed (trained or not), else TRAINING until trained_at is set, else
 * EXPIRING when expires_at is at most 3 days away, else READY. */
AtelierTuneState    atelier_tune_get_state                (AtelierTune  *self,
                                                           GDateTime    *now);
/* The object as received, for "show all parameters". */
JsonNode           *atelier_tune_get_json                 (AtelierTune  *self);

G_END_DECLS
