/* atelier-error-presenter.h: what a user reads for a service error
 *
 * The window shows errors (atelier_window_show_error()); these helpers turn
 * an error of the service layer into sentences.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  ATELIER_ERROR_KIND_IGNORE,       /* cancelled: never shown */
  ATELIER_ERROR_KIND_TOAST,        /* a short notice */
  ATELIER_ERROR_KIND_FIELDS,       /* 422: a dialog listing the field errors */
  ATELIER_ERROR_KIND_WRONG_KEY,    /* 401: a toast that opens Preferences */
  ATELIER_ERROR_KIND_OFFLINE,      /* no network: the offline state */
} AtelierErrorKind;

AtelierErrorKind  atelier_error_get_kind     (const GError *error);
/* One sentence for a toast or a status page. */
char             *atelier_error_describe     (const GError *error);
/* "• field: message" lines of a 422, for the dialog body. */
char             *atelier_error_format_fields (const GError *error);

G_END_DECLS
