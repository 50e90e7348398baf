/* atelier-api-error.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ATELIER_API_ERROR (atelier_api_error_quark ())

/**
 * AtelierApiError:
 * @ATELIER_API_ERROR_INVALID: 422, the server rejected the fields; the
 *   message holds one "field: message" line per field error. Never retried.
 * @ATELIER_API_ERROR_UNAUTHORIZED: 401 or 403, the key is wrong or missing.
 * @ATELIER_API_ERROR_NOT_FOUND: 404.
 * @ATELIER_API_ERROR_RATE_LIMITED: 429, still limited after backing off.
 * @ATELIER_API_ERROR_SERVER: 5xx other than 504, still failing after the
 *   retries the policy allows.
 * @ATELIER_API_ERROR_GATEWAY_TIMEOUT: 504; the request may have been
 *   processed, so it was not blindly retried.
 * @ATELIER_API_ERROR_TIMEOUT: no answer in time (network timeout).
 * @ATELIER_API_ERROR_NETWORK: could not connect, connection dropped, TLS.
 * @ATELIER_API_ERROR_PARSE: the body was not the JSON we expected:
 *   malformed, truncated, too large, too deeply nested, or of a wrong type.
 * @ATELIER_API_ERROR_HTTP: any other unexpected HTTP status.
 * @ATELIER_API_ERROR_INVALID_PARAM: a parameter was rejected locally,
 *   before anything was sent; the message starts with "field: ".
 * @ATELIER_API_ERROR_INSECURE_URL: a plain http:// base URL that is not a
 *   loopback address, or a URL that cannot be parsed.
 * @ATELIER_API_ERROR_FILE: a file to upload could not be read.
 * @ATELIER_API_ERROR_FAILED: the server reported a failure for the
 *   object itself (a prompt with user_error, a failed fal request).
 * @ATELIER_API_ERROR_TOO_LARGE: the answer (or a file) was larger than
 *   the app reads (32 MiB of JSON, 64 MiB for an image); reading stopped
 *   there.
 */
typedef enum
{
  ATELIER_API_ERROR_INVALID,
  ATELIER_API_ERROR_UNAUTHORIZED,
  ATELIER_API_ERROR_NOT_FOUND,
  ATELIER_API_ERROR_RATE_LIMITED,
  ATELIER_API_ERROR_SERVER,
  ATELIER_API_ERROR_GATEWAY_TIMEOUT,
  ATELIER_API_ERROR_TIMEOUT,
  ATELIER_API_ERROR_NETWORK,
  ATELIER_API_ERROR_PARSE,
  ATELIER_API_ERROR_HTTP,
  ATELIER_API_ERROR_INVALID_PARAM,
  ATELIER_API_ERROR_INSECURE_URL,
  ATELIER_API_ERROR_FILE,
  ATELIER_API_ERROR_FAILED,
  ATELIER_API_ERROR_TOO_LARGE,
} AtelierApiError;

/**
 * AtelierFieldError:
 * @field: the parameter name as the API spells it ("num_images", "base"
 *   for errors that belong to no field)
 * @message: a human-readable message
 */
typedef struct
{
  char *field;
  char *message;
} AtelierFieldError;

GQuark             atelier_api_error_quark            (void);

AtelierFieldError *atelier_field_error_new            (const char        *field,
                                                       const char        *message);
void               atelier_field_error_free           (AtelierFieldError *self);

GPtrArray         *atelier_api_error_get_field_errors (const GError      *error);

gboolean           atelier_api_error_is_retryable     (const GError      *error);
gboolean           atelier_api_error_may_have_arrived (const GError      *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtelierFieldError, atelier_field_error_free)

G_END_DECLS
