/* atelier-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atelier-account.h"
#include "atelier-session.h"

G_BEGIN_DECLS

#define ATELIER_TYPE_APPLICATION (atelier_application_get_type ())
G_DECLARE_FINAL_TYPE (AtelierApplication, atelier_application, ATELIER, APPLICATION, AdwApplication)

AtelierApplication *atelier_application_new         (void);
/* Created and started in ::startup. */
AtelierSession     *atelier_application_get_session (AtelierApplication *self);
AtelierAccount     *atelier_application_get_account (AtelierApplication *self);

/* Non-zero when a --screenshot failed. */
int                 atelier_application_get_exit_status (AtelierApplication *self);

/* Desktop notifications; clicking one shows the tune. */
void atelier_application_notify_training_finished (AtelierApplication *self,
                                                   const char         *tune_title,
                                                   gint64              tune_id);
void atelier_application_notify_images_ready      (AtelierApplication *self,
                                                   const char         *prompt_text,
                                                   guint               n_images);

G_END_DECLS
