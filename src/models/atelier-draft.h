/* atelier-draft.h: the tune being composed, kept on disk
 *
 * Everything the tune editor holds — the photos (as URIs), the settings,
 * the characteristics and first prompts, and the title with its UUID once
 * a create was tried — as one JSON object in
 * g_get_user_data_dir()/atelier/drafts/current.json.
 *
 * Every change is saved a moment later (changes in between are saved
 * together), atomically and in a worker thread; a draft with nothing in it
 * removes the file. Loading reads it in a worker thread too.
 *
 * Keys (settings): "class_name", "title", "title_with_uuid", "model_type"
 * ("lora", "faceid", "checkpoint", "pti"), "branch", "base_tune_id",
 * "preset", "token", "steps", "face_crop" (-1 account default, 0, 1),
 * "training_face_correct", "auto_extend", "upload_uncertain" (the last
 * upload may have reached the service); lists: "photos", "prompts",
 * "edited_characteristics"; and "characteristics" (an object).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* How long after a change the draft is written. */
#define ATELIER_DRAFT_SAVE_DELAY_MS 400

#define ATELIER_TYPE_DRAFT (atelier_draft_get_type ())
G_DECLARE_FINAL_TYPE (AtelierDraft, atelier_draft, ATELIER, DRAFT, GObject)

/* @path NULL: the default place. */
AtelierDraft *atelier_draft_new                (const char           *path);
const char   *atelier_draft_get_path           (AtelierDraft         *self);
char         *atelier_draft_dup_default_path   (void);

/* Replaces the contents with the file's (an empty draft when there is
 * none). The finish returns FALSE with an error only when the file exists
 * and cannot be read or parsed. */
void          atelier_draft_load_async         (AtelierDraft         *self,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean      atelier_draft_load_finish        (AtelierDraft         *self,
                                                GAsyncResult         *result,
                                                GError              **error);

/* No photos, no title, no prompt text. */
gboolean      atelier_draft_is_empty           (AtelierDraft         *self);
/* TRUE when everything is on disk ("saved" property). */
gboolean      atelier_draft_get_saved          (AtelierDraft         *self);
/* Writes now what is not written yet (when the editor goes away). */
void          atelier_draft_flush              (AtelierDraft         *self);
/* An upload of this draft's tune starts: returns whether the last one
 * may have reached the service ("upload_uncertain": then the upload looks
 * the title up first), and marks this one so, writing it now: should the
 * app be killed before the answer, the next try knows. Send only once
 * atelier_draft_get_saved() is TRUE. */
gboolean      atelier_draft_begin_upload       (AtelierDraft         *self);
/* Forgets everything and removes the file. */
void          atelier_draft_clear              (AtelierDraft         *self);

/* Values; setting one that changes emits ::changed and schedules a save.
 * A NULL string removes the key. */
const char   *atelier_draft_get_string         (AtelierDraft         *self,
                                                const char           *key);
void          atelier_draft_set_string         (AtelierDraft         *self,
                                                const char           *key,
                                                const char           *value);
gint64        atelier_draft_get_int            (AtelierDraft         *self,
                                                const char           *key,
                                                gint64                fallback);
void          atelier_draft_set_int            (AtelierDraft         *self,
                                                const char           *key,
                                                gint64                value);
gboolean      atelier_draft_get_boolean        (AtelierDraft         *self,
                                                const char           *key,
                                                gboolean              fallback);
void          atelier_draft_set_boolean        (AtelierDraft         *self,
                                                const char           *key,
                                                gboolean              value);
/* Never NULL. */
GStrv         atelier_draft_dup_strv           (AtelierDraft         *self,
                                                const char           *key);
void          atelier_draft_set_strv           (AtelierDraft         *self,
                                                const char           *key,
                                                const char * const   *values);
/* key → value. (transfer full) */
GHashTable   *atelier_draft_dup_characteristics (AtelierDraft        *self);
void          atelier_draft_set_characteristics (AtelierDraft        *self,
                                                 GHashTable          *characteristics);

G_END_DECLS
