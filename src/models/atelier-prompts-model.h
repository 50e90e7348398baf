/* atelier-prompts-model.h: the gallery's list, paged from the service
 *
 * A GListModel of AtelierGalleryItem: every image of every prompt shown,
 * prompts newest first (or liked first), a placeholder for a prompt still
 * rendering or failed. Pages of prompts (GET /prompts or
 * /tunes/:id/prompts, offset, 20 a page) are fetched as the items near the
 * end are asked for, and each page lands with one ::items-changed.
 *
 * Prompts the local library keeps but the server forgot are merged in by
 * date and marked local only, as are the prompts made on this computer
 * (a fal.ai FaceID result), which only the library has. Filters: one
 * tune, one such source, liked only, text; sorts:
 * newest, most liked (prompts carry no like count, so this is the user's
 * own likes first, then the rest by date).
 *
 * Pending prompts are polled (GET /tunes/:tune_id/prompts/:id) while
 * :polling is TRUE, each with its own backoff (doubling from
 * :poll-interval-ms up to a minute); polling stops for a prompt once it is
 * done or failed, and for all of them while the service rate-limits us
 * (the client's ::retry-scheduled for a 429 gives the delay).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "atelier-astria-client.h"
#include "atelier-gallery-item.h"
#include "atelier-library.h"
#include "atelier-likes.h"
#include "atelier-prompt-units.h"

G_BEGIN_DECLS

typedef enum
{
  ATELIER_PROMPTS_SORT_NEWEST,
  ATELIER_PROMPTS_SORT_MOST_LIKED,
} AtelierPromptsSort;

#define ATELIER_TYPE_PROMPTS_MODEL (atelier_prompts_model_get_type ())
G_DECLARE_FINAL_TYPE (AtelierPromptsModel, atelier_prompts_model, ATELIER, PROMPTS_MODEL, GObject)

/* @likes and @library may be NULL. Nothing is fetched until the first
 * atelier_prompts_model_reload(). */
AtelierPromptsModel *atelier_prompts_model_new            (AtelierAstriaClient *client,
                                                           AtelierLikes        *likes,
                                                           AtelierLibrary      *library);
AtelierAstriaClient *atelier_prompts_model_get_client     (AtelierPromptsModel *self);

/* The same list with one item per prompt (its first image or its
 * placeholder): what the gallery shows. (transfer none) */
GListModel          *atelier_prompts_model_get_units      (AtelierPromptsModel *self);

/* Filters and sort; each change reloads. */
void                 atelier_prompts_model_set_tune_id    (AtelierPromptsModel *self,
                                                           gint64               tune_id);
/* The prompts of @tune_id (0: all) whose text has a LoRA or FaceID tag of
 * @tag_tune_id (0: any text): how a LoRA or FaceID tune's prompts are
 * found on their base model (atelier_prompt_target_for_tune()). */
void                 atelier_prompts_model_set_tune       (AtelierPromptsModel *self,
                                                           gint64               tune_id,
                                                           gint64               tag_tune_id);
gint64               atelier_prompts_model_get_tune_id    (AtelierPromptsModel *self);
void                 atelier_prompts_model_set_liked_only (AtelierPromptsModel *self,
                                                           gboolean             liked_only);
gboolean             atelier_prompts_model_get_liked_only (AtelierPromptsModel *self);
/* Only the library's prompts made on this computer from @source
 * (atelier_prompt_get_source(), e.g. ATELIER_PROMPT_SOURCE_FACEID_FAL),
 * with no request to the service; NULL: every prompt. Liked only, the
 * search and the sort still apply; a tune filter hides such prompts. */
void                 atelier_prompts_model_set_source     (AtelierPromptsModel *self,
                                                           const char          *source);
const char          *atelier_prompts_model_get_source     (AtelierPromptsModel *self);
/* Case-insensitive substring of the prompt text; NULL or "" for all. */
void                 atelier_prompts_model_set_search     (AtelierPromptsModel *self,
                                                           const char          *text);
void                 atelier_prompts_model_set_sort       (AtelierPromptsModel *self,
                                                           AtelierPromptsSort   sort);
AtelierPromptsSort   atelier_prompts_model_get_sort       (AtelierPromptsModel *self);

/* Empties the list and fetches the first page. */
void                 atelier_prompts_model_reload         (AtelierPromptsModel *self);
/* Fetches the next page now (after an error, or to fill a tall view). */
void                 atelier_prompts_model_load_more      (AtelierPromptsModel *self);
/* TRUE while a page is asked for or about to be (:loading notifies only
 * the former). */
gboolean             atelier_prompts_model_is_loading     (AtelierPromptsModel *self);
/* FALSE once the last page came (or nothing is to be fetched). */
gboolean             atelier_prompts_model_has_more       (AtelierPromptsModel *self);
/* The error of the last page, until the next load. */
const GError        *atelier_prompts_model_get_error      (AtelierPromptsModel *self);
guint                atelier_prompts_model_get_n_prompts  (AtelierPromptsModel *self);

/* A prompt just created: shown at the top at once (pending) when it
 * passes the filters, and polled. */
void                 atelier_prompts_model_add_prompt     (AtelierPromptsModel *self,
                                                           AtelierPrompt       *prompt);
/* @tune_id finished training: the service may have made prompts for it
 * that no one here asked for (a pack's, the tune's first prompts). Its
 * newest prompts are listed now and once more
 * ATELIER_PROMPTS_MODEL_TRAINED_RECHECK_S later (they may come after the
 * tune), and those not shown yet are added as by
 * atelier_prompts_model_add_prompt(). A failed list is quiet: Refresh
 * shows them too. */
#define ATELIER_PROMPTS_MODEL_TRAINED_RECHECK_S 30
void                 atelier_prompts_model_add_tune_prompts (AtelierPromptsModel *self,
                                                             gint64               tune_id);
/* A prompt's new state (from the viewer or a poll). */
void                 atelier_prompts_model_update_prompt  (AtelierPromptsModel *self,
                                                           AtelierPrompt       *prompt);
void                 atelier_prompts_model_remove_prompt  (AtelierPromptsModel *self,
                                                           gint64               prompt_id);
/* The prompt shown with that id, or NULL. (transfer none) */
AtelierPrompt       *atelier_prompts_model_lookup_prompt  (AtelierPromptsModel *self,
                                                           gint64               prompt_id);
/* The position of the first item of @prompt_id, or -1. */
int                  atelier_prompts_model_find_prompt    (AtelierPromptsModel *self,
                                                           gint64               prompt_id);

/* Polling of pending prompts. */
void                 atelier_prompts_model_set_polling    (AtelierPromptsModel *self,
                                                           gboolean             polling);
void                 atelier_prompts_model_set_poll_interval_ms (AtelierPromptsModel *self,
                                                                 guint                interval_ms);
/* Pending prompts being watched. */
guint                atelier_prompts_model_get_n_pending  (AtelierPromptsModel *self);
/* The wait before the next poll of @prompt_id (grows with each answer
 * that is still pending), 0 when not watched. */
guint                atelier_prompts_model_get_poll_delay_ms (AtelierPromptsModel *self,
                                                              gint64               prompt_id);
/* TRUE while polling waits for the service's rate limit to pass. */
gboolean             atelier_prompts_model_is_rate_limited (AtelierPromptsModel *self);

G_END_DECLS
