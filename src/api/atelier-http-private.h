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

/* The most an answer may hold: JSON from the API, an image file. An
 * answer over it (by its Content-Length, or counted while reading, so an
 * endless body stops too) fails with ATELIER_API_ERROR_TOO_LARGE. */
#define ATELIER_HTTP_MAX_JSON_BYTES  (32 * 1024 * 1024)
#define ATELIER_HTTP_MAX_IMAGE_BYTES (64 * 1024 * 1024)
/* Redirects followed for one request; one more is an error. */
#define ATELIER_HTTP_MAX_REDIRECTS   5

typedef struct
{
  GObject *emitter;               /* emits ::retry-scheduled; (unowned) */
  guint    server_retry_base_ms;  /* first wait after a 5xx */
  guint    max_server_retries;
  guint    rate_limit_base_ms;    /* first wait after a 429 without Retry-After */
  guint    max_rate_limit_retries;
  /* A POST answered 5xx is not sent again: it may have been carried out
   * (fal's submit may be queued already). FALSE, the zero value, keeps
   * retrying it like any call (the Astria client's documented policy). */
  gboolean no_post_server_retries;
} AtelierHttpPolicy;

/* Where a client sends its calls, with which key, on which session and
 * with which policy: what the Astria and fal clients share. Each embeds
 * one, set up with _atelier_endpoint_init() and cleared with
 * _atelier_endpoint_clear(). */
typedef struct
{
  SoupSession       *session;   /* (owned) */
  char              *base_url;  /* (owned) without trailing slashes */
  char              *key;       /* (owned) (nullable) never logged */
  const char        *scheme;    /* of the Authorization header: "Bearer", "Key" */
  AtelierHttpPolicy  policy;
} AtelierHttpEndpoint;

/* Defines ::retry-scheduled (guint attempt, guint delay_ms, GError *reason,
 * GCancellable *cancellable) on a client type: the signal
 * _atelier_http_send_async() emits on the policy's emitter. */
guint        _atelier_retry_signal_new     (GType                    type);

/* @url without trailing slashes. */
char        *_atelier_base_url_normalize   (const char              *url);
/* The base URL a client is made with: @base_url, else $@env_var when
 * @base_url is NULL, else (also when empty) @fallback; checked with
 * atelier_check_base_url() and without trailing slashes. */
char        *_atelier_base_url_resolve     (const char              *base_url,
                                            const char              *env_var,
                                            const char              *fallback,
                                            GError                 **error);

/* A new session, @scheme, and @policy with @emitter (the client) as its
 * emitter; no base URL nor key yet. */
void         _atelier_endpoint_init        (AtelierHttpEndpoint     *self,
                                            const char              *scheme,
                                            GObject                 *emitter,
                                            const AtelierHttpPolicy *policy);
/* Replaces the key, wiping the old one's bytes before freeing them; a
 * NULL, empty or blank key is stored as NULL. */
void         _atelier_endpoint_set_key     (AtelierHttpEndpoint     *self,
                                            const char              *key);
gboolean     _atelier_endpoint_has_key     (AtelierHttpEndpoint     *self);
/* Drops the session, frees the base URL and wipes the key. */
void         _atelier_endpoint_clear       (AtelierHttpEndpoint     *self);

/* Waits @delay_ms on the thread-default main context; cancelling ends the
 * wait at once with G_IO_ERROR_CANCELLED. */
void         _atelier_sleep_async          (guint                    delay_ms,
                                            GCancellable            *cancellable,
                                            GAsyncReadyCallback      callback,
                                            gpointer                 user_data);
gboolean     _atelier_sleep_finish         (GAsyncResult            *result,
                                            GError                 **error);

/* Sends @method @uri on @endpoint's session with its policy, as a new
 * message at each attempt: "Accept: application/json", "Authorization:
 * scheme key" when @endpoint has a key, and @body (nullable) of
 * @content_type. @endpoint must outlive the call. Each attempt is one
 * _atelier_http_fetch_async(): redirects decided here (the key never
 * leaves the first URL's origin), the answer capped at
 * ATELIER_HTTP_MAX_JSON_BYTES. */
void         _atelier_http_send_async      (AtelierHttpEndpoint     *endpoint,
                                            const char              *method,
                                            const char              *uri,
                                            const char              *content_type,
                                            GBytes                  *body,
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

/* Whether @url may be fetched at all: https://, or http:// on a loopback
 * address (127.0.0.0/8, ::1, localhost). Everything else (file:, data:,
 * plain http to another host, garbage) is refused before connecting. */
gboolean     _atelier_http_url_is_fetchable (const char             *url);
/* The per-image error for a URL _atelier_http_url_is_fetchable() refuses:
 * ATELIER_API_ERROR_INSECURE_URL. */
GError      *_atelier_http_error_for_refused_image (void);

/* Whether a redirect from @from to the absolute @to is followed: @to is
 * fetchable, and never http:// after https://. */
gboolean     _atelier_http_redirect_allowed (GUri                   *from,
                                             const char             *to);

/* One request on @session with the redirect and size rules, without
 * retries: the redirects are followed here (SOUP_MESSAGE_NO_REDIRECT), at
 * most ATELIER_HTTP_MAX_REDIRECTS, only to fetchable URLs and never from
 * https to http; @authorization (nullable, the whole header value) is sent
 * to the first URL's origin (scheme, host and port) only, never to
 * another. 303 (and 301/302 after a POST) continue as a GET without the
 * body. The body is read up to @max_body bytes (ATELIER_HTTP_MAX_JSON_BYTES
 * or ATELIER_HTTP_MAX_IMAGE_BYTES): a Content-Length over it
 * is refused before reading, and reading stops as soon as the count goes
 * over. @wrote_body_data (nullable) is connected to each message's
 * ::wrote-body-data with @wrote_data. */
void         _atelier_http_fetch_async     (SoupSession             *session,
                                            const char              *method,
                                            const char              *uri,
                                            const char              *accept,
                                            const char              *authorization,
                                            const char              *content_type,
                                            GBytes                  *body,
                                            gsize                    max_body,
                                            GCallback                wrote_body_data,
                                            gpointer                 wrote_data,
                                            GCancellable            *cancellable,
                                            GAsyncReadyCallback      callback,
                                            gpointer                 user_data);
/* The answer's body, whatever its status, and its (last) message in
 * @message (optional, transfer full). Errors: the transport's own (map
 * them with _atelier_http_error_for_transport()), or ATELIER_API_ERROR
 * TOO_LARGE, INSECURE_URL (a redirect refused) or HTTP (too many
 * redirects). */
GBytes      *_atelier_http_fetch_finish    (GAsyncResult            *result,
                                            SoupMessage            **message,
                                            GError                 **error);

G_END_DECLS
