/* atelier-astria-client.h: asynchronous client for the Astria API
 *
 * One SoupSession with real timeouts; every call is an _async/_finish pair
 * with a GCancellable. Error policy (overview page): 422 is never retried
 * and keeps the server's field messages; 401 means a wrong key; 429 backs
 * off (Retry-After honoured); 500 is retried with exponential backoff
 * starting at the retry base delay (30 s), announced by ::retry-scheduled so
 * a UI can show a countdown, and cancellable; 504 is never blindly retried:
 * a tune create that got 504 looks the tune up by its unique title.
 *
 * Signals:
 *   ::retry-scheduled (guint attempt, guint delay_ms, GError *reason,
 *                      GCancellable *cancellable)
 *     emitted when a failed request (5xx but 504, or 429) will be sent
 *     again after @delay_ms; @attempt counts from 1;
 *     @cancellable is the call's (may be NULL): cancelling it stops the wait.
 *   ::request-finished (GError *error) after each call, NULL on success
 *     (the UI's offline and wrong-key states listen to it).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "atelier-api-error.h"
#include "atelier-inspection.h"
#include "atelier-pack.h"
#include "atelier-prompt.h"
#include "atelier-prompt-params.h"
#include "atelier-tune.h"
#include "atelier-tune-params.h"

G_BEGIN_DECLS

#define ATELIER_DEFAULT_ASTRIA_URL "https://api.astria.ai"
#define ATELIER_PAGE_SIZE 20

/* Upload progress: bytes of the request body written so far, of @total. */
typedef void (*AtelierProgressFunc) (goffset  sent,
                                     goffset  total,
                                     gpointer user_data);

/* https:// anything, http:// only for loopback hosts (127.0.0.0/8,
 * localhost, ::1). Otherwise ATELIER_API_ERROR_INSECURE_URL. */
gboolean atelier_check_base_url   (const char  *url,
                                   GError     **error);
/* "localhost" or a loopback address (127.0.0.0/8, ::1). */
gboolean atelier_host_is_loopback (const char  *host);

#define ATELIER_TYPE_ASTRIA_CLIENT (atelier_astria_client_get_type ())
G_DECLARE_FINAL_TYPE (AtelierAstriaClient, atelier_astria_client, ATELIER, ASTRIA_CLIENT, GObject)

/* @base_url NULL: $ATELIER_ASTRIA_URL, else ATELIER_DEFAULT_ASTRIA_URL.
 * @api_key may be NULL (set it later). */
AtelierAstriaClient *atelier_astria_client_new            (const char           *base_url,
                                                           const char           *api_key,
                                                           GError              **error);
const char          *atelier_astria_client_get_base_url   (AtelierAstriaClient  *self);
/* The key is write-only: there is no getter, and it is never logged. */
void                 atelier_astria_client_set_api_key    (AtelierAstriaClient  *self,
                                                           const char           *api_key);
gboolean             atelier_astria_client_has_api_key    (AtelierAstriaClient  *self);
guint                atelier_astria_client_get_retry_base_delay_ms (AtelierAstriaClient *self);
void                 atelier_astria_client_set_retry_base_delay_ms (AtelierAstriaClient *self,
                                                                    guint                delay_ms);
/* The session the client uses, for image downloads sharing its limits. */
SoupSession         *atelier_astria_client_get_session    (AtelierAstriaClient  *self);
/* Absolute URL for a path of the API. */
char                *atelier_astria_client_build_url      (AtelierAstriaClient  *self,
                                                           const char           *path);

/* Tunes */
void          atelier_astria_client_create_tune_async      (AtelierAstriaClient  *self,
                                                            AtelierTuneParams    *params,
                                                            AtelierProgressFunc   progress,
                                                            gpointer              progress_data,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
AtelierTune  *atelier_astria_client_create_tune_finish     (AtelierAstriaClient  *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void          atelier_astria_client_get_tune_async         (AtelierAstriaClient  *self,
                                                            gint64                tune_id,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
AtelierTune  *atelier_astria_client_get_tune_finish        (AtelierAstriaClient  *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
/* One page (ATELIER_PAGE_SIZE) from @offset. (element-type AtelierTune) */
void          atelier_astria_client_list_tunes_async       (AtelierAstriaClient  *self,
                                                            guint                 offset,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
GPtrArray    *atelier_astria_client_list_tunes_finish      (AtelierAstriaClient  *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
/* How many elements the service's list answered in @result (a list
 * call of @self: tunes, prompts, packs), including those the parser
 * skipped (no id, unreadable). Paging goes by this, not by the parsed
 * count. FALSE, @length untouched, when @result holds no such list. */
gboolean      atelier_astria_client_get_page_length       (AtelierAstriaClient  *self,
                                                            GAsyncResult         *result,
                                                            guint                *length);
/* Pages through the tunes; the finish returns NULL without error when no
 * tune has that title. */
void          atelier_astria_client_find_tune_by_title_async  (AtelierAstriaClient *self,
                                                               const char          *title,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
AtelierTune  *atelier_astria_client_find_tune_by_title_finish (AtelierAstriaClient *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);
void          atelier_astria_client_delete_tune_async      (AtelierAstriaClient  *self,
                                                            gint64                tune_id,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean      atelier_astria_client_delete_tune_finish     (AtelierAstriaClient  *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

/* Prompts */
void           atelier_astria_client_create_prompt_async   (AtelierAstriaClient  *self,
                                                            gint64                tune_id,
                                                            AtelierPromptParams  *params,
                                                            AtelierProgressFunc   progress,
                                                            gpointer              progress_data,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
AtelierPrompt *atelier_astria_client_create_prompt_finish  (AtelierAstriaClient  *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void           atelier_astria_client_get_prompt_async      (AtelierAstriaClient  *self,
                                                            gint64                tune_id,
                                                            gint64                prompt_id,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
AtelierPrompt *atelier_astria_client_get_prompt_finish     (AtelierAstriaClient  *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
/* @tune_id 0 lists the prompts of all tunes (GET /prompts).
 * (element-type AtelierPrompt) */
void           atelier_astria_client_list_prompts_async    (AtelierAstriaClient  *self,
                                                            gint64                tune_id,
                                                            guint                 offset,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
GPtrArray     *atelier_astria_client_list_prompts_finish   (AtelierAstriaClient  *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void           atelier_astria_client_delete_prompt_async   (AtelierAstriaClient  *self,
                                                            gint64                tune_id,
                                                            gint64                prompt_id,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean       atelier_astria_client_delete_prompt_finish  (AtelierAstriaClient  *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

/* Packs (element-type AtelierPack) */
void           atelier_astria_client_list_packs_async      (AtelierAstriaClient  *self,
                                                            gboolean              gallery,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
GPtrArray     *atelier_astria_client_list_packs_finish     (AtelierAstriaClient  *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
/* GET /packs/:pack_id/prompts: the pack's own prompts (the templates its
 * runs copy, which set orig_prompt_id). (element-type AtelierPrompt) */
void           atelier_astria_client_list_pack_prompts_async  (AtelierAstriaClient *self,
                                                               gint64               pack_id,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
GPtrArray     *atelier_astria_client_list_pack_prompts_finish (AtelierAstriaClient *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);
/* POST /p/:pack_id/tunes with new photos (multipart). */
void           atelier_astria_client_create_pack_tune_async  (AtelierAstriaClient *self,
                                                              gint64               pack_id,
                                                              AtelierTuneParams   *params,
                                                              AtelierProgressFunc  progress,
                                                              gpointer             progress_data,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
AtelierTune   *atelier_astria_client_create_pack_tune_finish (AtelierAstriaClient *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);
/* POST /p/:pack_id/tunes with {"tune": {"tune_ids": [...]}}: the pack's
 * prompts on existing tunes. The finish returns the tunes the server
 * answered with (one object or an array). (element-type AtelierTune) */
void           atelier_astria_client_run_pack_async        (AtelierAstriaClient  *self,
                                                            gint64                pack_id,
                                                            const gint64         *tune_ids,
                                                            guint                 n_tune_ids,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
GPtrArray     *atelier_astria_client_run_pack_finish       (AtelierAstriaClient  *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

/* Likes: POST and DELETE /prompts/:id/likes (NOTES.md). */
void           atelier_astria_client_like_prompt_async     (AtelierAstriaClient  *self,
                                                            gint64                prompt_id,
                                                            gboolean              like,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean       atelier_astria_client_like_prompt_finish    (AtelierAstriaClient  *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

/* POST /images/inspect: @image (already downscaled by the caller) as the
 * "file" part, or, when @image is NULL, @file_url. */
void               atelier_astria_client_inspect_image_async  (AtelierAstriaClient *self,
                                                               const char          *class_name,
                                                               GBytes              *image,
                                                               const char          *filename,
                                                               const char          *file_url,
                                                               AtelierProgressFunc  progress,
                                                               gpointer             progress_data,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
AtelierInspection *atelier_astria_client_inspect_image_finish (AtelierAstriaClient *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);

/* POST /themes: ten prompts per tune, created in the background.
 * @prompt_attributes may be NULL; only num_images, w and h are sent. */
void           atelier_astria_client_create_theme_async    (AtelierAstriaClient  *self,
                                                            const char           *theme,
                                                            const gint64         *tune_ids,
                                                            guint                 n_tune_ids,
                                                            AtelierPromptParams  *prompt_attributes,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean       atelier_astria_client_create_theme_finish   (AtelierAstriaClient  *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

G_END_DECLS
