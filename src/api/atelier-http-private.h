/* atelier-http-private.h: sending with the error and retry policy
 *
 * Shared by the Astria and fal clients: maps HTTP statuses and transport
 * errors to ATELIER_API_ERROR, retries 5xx (but 504) with exponential
 * backoff and 429 after Retry-After, announcing each wait with the
 * emitter's ::retry-scheduled signal, and reports upload progress.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "atelier-astria-client.h"

G_BEGIN_DECLS

typedef struct
{
  GObject *emitter;               /* emits ::retry-scheduled; (unowned) */
  guint    server_retry_base_ms;  /* first wait after a 5xx */
  guint    max_server_retries;
  guint    rate_limit_base_ms;    /* first wait after a 429 without Retry-After */
  guint    max_rate_limit_retries;
} AtelierHttpPolicy;

/* Builds a fresh message for each attempt. */
typedef SoupMessage *(*AtelierHttpBuildFunc) (gpointer user_data);

SoupSession *_atelier_http_session_new     (void);

/* Keys: replaced and freed with their bytes wiped first; a NULL, empty or
 * blank key is stored as NULL. */
void         _atelier_key_replace          (char                   **slot,
                                            const char              *key);
/* "Authorization: @scheme @key", unless @key is NULL. */
void         _atelier_http_set_auth        (SoupMessage             *message,
                                            const char              *scheme,
                                            const char              *key);
/* @url without trailing slashes. */
char        *_atelier_base_url_normalize   (const char              *url);

/* Waits @delay_ms on the thread-default main context; cancelling ends the
 * wait at once with G_IO_ERROR_CANCELLED. */
void         _atelier_sleep_async          (guint                    delay_ms,
                                            GCancellable            *cancellable,
                                            GAsyncReadyCallback      callback,
                                            gpointer                 user_data);
gboolean     _atelier_sleep_finish         (GAsyncResult            *result,
                                            GError                 **error);

void         _atelier_http_send_async      (SoupSession             *session,
                                            const AtelierHttpPolicy *policy,
                                            AtelierHttpBuildFunc     build,
                                            gpointer                 build_data,
                                            GDestroyNotify           build_data_free,
                                            AtelierProgressFunc      progress,
                                            gpointer                 progress_data,
                                            GCancellable            *cancellable,
                                            GAsyncReadyCallback      callback,
                                            gpointer                 user_data);
/* The body of a 2xx answer (possibly empty); @status may be NULL. */
GBytes      *_atelier_http_send_finish     (GAsyncResult            *result,
                                            guint                   *status,
                                            GError                 **error);

/* The error for a non-2xx answer: 422 field messages (Rails
 * {"field": ["msg"]} or {"errors": …}, fal {"detail": …}), 401, … */
GError      *_atelier_http_error_for_status (guint                   status,
                                             const char             *reason,
                                             GBytes                 *body);
GError      *_atelier_http_error_for_transport (const GError        *error);

G_END_DECLS
