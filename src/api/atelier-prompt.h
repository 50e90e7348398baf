/* atelier-prompt.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* See NOTES.md: done when "images" is non-empty, failed when "user_error"
 * is set, pending otherwise. */
typedef enum
{
  ATELIER_PROMPT_STATE_PENDING,
  ATELIER_PROMPT_STATE_DONE,
  ATELIER_PROMPT_STATE_FAILED,
} AtelierPromptState;

#define ATELIER_TYPE_PROMPT (atelier_prompt_get_type ())
G_DECLARE_FINAL_TYPE (AtelierPrompt, atelier_prompt, ATELIER, PROMPT, GObject)

AtelierPrompt      *atelier_prompt_new_from_json        (JsonNode       *node,
                                                         GError        **error);
GPtrArray          *atelier_prompt_list_from_json       (JsonNode       *node,
                                                         GError        **error);

gint64              atelier_prompt_get_id               (AtelierPrompt  *self);
gint64              atelier_prompt_get_tune_id          (AtelierPrompt  *self); /* 0 when null */
gint64              atelier_prompt_get_orig_prompt_id   (AtelierPrompt  *self); /* 0 when null */
const char         *atelier_prompt_get_text             (AtelierPrompt  *self);
const char         *atelier_prompt_get_negative_prompt  (AtelierPrompt  *self);
const char         *atelier_prompt_get_callback         (AtelierPrompt  *self);
const char         *atelier_prompt_get_url              (AtelierPrompt  *self);
const char         *atelier_prompt_get_user_error       (AtelierPrompt  *self); /* NULL unless failed */
gint64              atelier_prompt_get_seed             (AtelierPrompt  *self); /* -1 when null */
double              atelier_prompt_get_cfg_scale        (AtelierPrompt  *self); /* -1 when null */
gint64              atelier_prompt_get_steps            (AtelierPrompt  *self); /* -1 when null */
gint64              atelier_prompt_get_num_images       (AtelierPrompt  *self); /* -1 when null */
gint64              atelier_prompt_get_width            (AtelierPrompt  *self); /* "w", 0 when null */
gint64              atelier_prompt_get_height           (AtelierPrompt  *self); /* "h", 0 when null */
GDateTime          *atelier_prompt_get_created_at       (AtelierPrompt  *self);
GDateTime          *atelier_prompt_get_updated_at       (AtelierPrompt  *self);
const char * const *atelier_prompt_get_images           (AtelierPrompt  *self); /* never NULL */
guint               atelier_prompt_get_n_images         (AtelierPrompt  *self);
AtelierPromptState  atelier_prompt_get_state            (AtelierPrompt  *self);
JsonNode           *atelier_prompt_get_json             (AtelierPrompt  *self);

/* Where a prompt comes from: NULL for the service's own prompts, else the
 * "atelier_source" member of a prompt made on this computer — today only
 * ATELIER_PROMPT_SOURCE_FACEID_FAL, a fal.ai FaceID result kept in the
 * library (a negative id, tune_id 0, its fal input under "faceid"). Such
 * a prompt is never sent to Astria: likes and deletes stay local. */
#define ATELIER_PROMPT_SOURCE_FACEID_FAL "faceid-fal"
const char         *atelier_prompt_get_source           (AtelierPrompt  *self);
/* The "faceid" member of a FaceID result: {request_id, face, input}, or
 * NULL. (transfer none) */
JsonObject         *atelier_prompt_get_faceid           (AtelierPrompt  *self);

G_END_DECLS
