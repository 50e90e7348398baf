/* atelier-library.h: originals the user liked or saved, kept on this computer
 *
 * The service deletes images 30 days after training, so the images of a
 * liked prompt, and every image the user saved, are kept as original files
 * with the prompt's metadata under g_get_user_data_dir()/atelier/library/
 * (one folder per account, one per prompt: prompt.json and 0.jpg, 1.png, …).
 * The gallery lists them even after the server forgot the prompt.
 * Reading and writing run in worker threads.
 *
 * Signals:
 *   ::changed (gint64 prompt_id): a prompt was kept, released, or one of
 *     its originals arrived; 0 after the account's library was (re)loaded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "atelier-image-cache.h"
#include "atelier-prompt.h"

G_BEGIN_DECLS

typedef enum
{
  ATELIER_LIBRARY_LIKED = 1 << 0,  /* every image of the prompt */
  ATELIER_LIBRARY_SAVED = 1 << 1,  /* the images the user saved */
  ATELIER_LIBRARY_MADE  = 1 << 2,  /* every image of a prompt made on this
                                    * computer (a fal.ai FaceID result):
                                    * kept until the user deletes it */
} AtelierLibraryReason;

#define ATELIER_TYPE_LIBRARY (atelier_library_get_type ())
G_DECLARE_FINAL_TYPE (AtelierLibrary, atelier_library, ATELIER, LIBRARY, GObject)

/* @dir NULL: g_get_user_data_dir()/atelier/library. Originals are
 * downloaded through @cache. */
AtelierLibrary *atelier_library_new                (AtelierImageCache    *cache,
                                                    const char           *dir);
const char     *atelier_library_get_dir            (AtelierLibrary       *self);
/* Switches to the library of @account (any string naming the account,
 * e.g. "sandbox:/path" or "astria:https://api.astria.ai") and loads it in
 * the background; :loaded is FALSE until then. */
void            atelier_library_set_account        (AtelierLibrary       *self,
                                                    const char           *account);
gboolean        atelier_library_is_loaded          (AtelierLibrary       *self);

/* Records @prompt (its metadata at once) and downloads the originals:
 * every image for LIKED, the image @index for SAVED. Finishes when the
 * originals are on disk. */
void            atelier_library_keep_async         (AtelierLibrary       *self,
                                                    AtelierPrompt        *prompt,
                                                    AtelierLibraryReason  reason,
                                                    int                   index,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean        atelier_library_keep_finish        (AtelierLibrary       *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
/* Drops @reason; a prompt kept for no reason left is removed from disk. */
void            atelier_library_release            (AtelierLibrary       *self,
                                                    gint64                prompt_id,
                                                    AtelierLibraryReason  reason);

gboolean        atelier_library_contains           (AtelierLibrary       *self,
                                                    gint64                prompt_id);
AtelierLibraryReason atelier_library_get_reasons   (AtelierLibrary       *self,
                                                    gint64                prompt_id);
/* The prompt as kept, or NULL. (transfer none) */
AtelierPrompt  *atelier_library_get_prompt         (AtelierLibrary       *self,
                                                    gint64                prompt_id);
/* file:// URI of the kept original of image @index, or NULL while it is
 * not on disk. */
char           *atelier_library_dup_image_uri      (AtelierLibrary       *self,
                                                    gint64                prompt_id,
                                                    guint                 index);
/* Every kept prompt, newest first. (element-type AtelierPrompt) */
GPtrArray      *atelier_library_dup_prompts        (AtelierLibrary       *self);

G_END_DECLS
