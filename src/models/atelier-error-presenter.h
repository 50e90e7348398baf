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
  ATELIER_ERROR_KIND_CONNECTION,   /* could not connect, or the connection
                                    * dropped: a toast, unless the offline
                                    * bar says it already. One such error is
                                    * not "offline": AtelierSession:offline
                                    * decides that */
} AtelierErrorKind;

AtelierErrorKind  atelier_error_get_kind     (const GError *error);
/* No answer came from the server at all: it could not be reached, the
 * connection dropped, or nothing came back in time (ATELIER_API_ERROR_NETWORK,
 * ATELIER_API_ERROR_TIMEOUT, and the raw GIO and resolver errors of the
 * same). What AtelierSession counts towards :offline. */
gboolean          atelier_error_is_connection_failure (const GError *error);
/* The server answered, whatever it said (a 4xx, a 5xx, a body that could
 * not be read): the connection works. */
gboolean          atelier_error_is_answer    (const GError *error);
/* One sentence for a toast or a status page. */
char             *atelier_error_describe     (const GError *error);
/* "• field: message" lines of a 422, for the dialog body. */
char             *atelier_error_format_fields (const GError *error);

G_END_DECLS
