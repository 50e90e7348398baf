/* atelier-tune-ui.h: how a tune is shown, shared by the list and the detail
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atelier-base-models.h"
#include "atelier-image-cache.h"
#include "atelier-pack.h"
#include "atelier-tune.h"

G_BEGIN_DECLS

/* The titles (atelier_tune_dup_display_title(), atelier_tune_dup_short_title())
 * and the base models' names (atelier_base_model_name()) are api rules: see
 * atelier-tune.h and atelier-base-models.h. */

/* "LoRA", "FaceID", "PTI", "Checkpoint" (no model type). */
const char *atelier_tune_model_type_label  (const char  *model_type);
/* "woman · LoRA · flux1" */
char       *atelier_tune_dup_summary       (AtelierTune *tune);
/* "Realistic Vision v5.1" (a gallery base model by name), "Tune 123"
 * (another base tune), or NULL when the pack names none. */
char       *atelier_pack_dup_base_name     (AtelierPack *pack);
/* "Realistic Vision v5.1 · Checkpoint" */
char       *atelier_pack_dup_summary       (AtelierPack *pack);
/* A pill: "Training, about 12 minutes left", "Ready", "Expires soon",
 * "Expired". */
GtkWidget  *atelier_tune_status_label_new  (AtelierTune *tune);

/* A rounded @size × @size picture of the image at @url (through @cache),
 * named @label for assistive technologies. */
GtkWidget  *atelier_tune_photo_new         (AtelierImageCache *cache,
                                            const char        *url,
                                            int                size,
                                            const char        *label);

/* "Discard the unfinished tune?", asked over @widget's window; connect to
 * ::response, "discard" means yes. */
GtkWidget  *atelier_discard_draft_dialog_new (GtkWidget       *widget);

/* Shows the image at @url in @picture through @cache, at the gallery's
 * thumbnail size, without blocking; a load still running when the picture
 * goes away or gets another URL is cancelled. */
void        atelier_picture_load_url       (GtkPicture        *picture,
                                            AtelierImageCache *cache,
                                            const char        *url);

G_END_DECLS
