/* atelier-api-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "atelier-api-error.h"

G_DEFINE_QUARK (atelier-api-error-quark, atelier_api_error)

AtelierFieldError *
atelier_field_error_new (const char *field,
                         const char *message)
{
  AtelierFieldError *self;

  self = g_new0 (AtelierFieldError, 1);
  self->field = g_strdup (field != NULL && *field != '\0' ? field : "base");
  self->message = g_strdup (message != NULL ? message : "");

  return self;
}

void
atelier_field_error_free (AtelierFieldError *self)
{
  if (self == NULL)
    return;

  g_free (self->field);
  g_free (self->message);
  g_free (self);
}

/* A field name as the API spells it: "num_images",
 * "prompts_attributes[0].text", "tune[name]"; no spaces. */
static gboolean
is_field_name (const char *start,
               gsize       length)
{
  if (length == 0)
    return FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = start[i];

      if (!g_ascii_isalnum (c) && strchr ("_.[]-", c) == NULL)
        return FALSE;
    }

  return TRUE;
}

/**
 * atelier_api_error_get_field_errors:
 * @error: a #GError
 *
 * Splits the message of an %ATELIER_API_ERROR_INVALID or
 * %ATELIER_API_ERROR_INVALID_PARAM error into one #AtelierFieldError per
 * non-empty line. A line "field: message" names its field; any other line
 * belongs to the field "base".
 *
 * Returns: (transfer full) (element-type AtelierFieldError): the field
 *   errors, empty for errors of other domains or codes; never %NULL
 */
GPtrArray *
atelier_api_error_get_field_errors (const GError *error)
{
  g_autoptr(GPtrArray) errors = NULL;
  g_auto(GStrv) lines = NULL;

  g_return_val_if_fail (error != NULL, NULL);

  errors = g_ptr_array_new_with_free_func ((GDestroyNotify) atelier_field_error_free);

  if (!g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID) &&
      !g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM))
    return g_steal_pointer (&errors);

  lines = g_strsplit (error->message != NULL ? error->message : "", "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      const char *colon;

      if (*line == '\0')
        continue;

      colon = strstr (line, ": ");
      if (colon != NULL && is_field_name (line, colon - line))
        {
          g_autofree char *field = g_strndup (line, colon - line);
          const char *message = colon + 2;

          while (g_ascii_isspace (*message))
            message++;

          g_ptr_array_add (errors, atelier_field_error_new (field, message));
        }
      else
        {
          g_ptr_array_add (errors, atelier_field_error_new ("base", line));
        }
    }

  return g_steal_pointer (&errors);
}

/* What an ATELIER_API_ERROR code says about its request; codes not
 * listed (INVALID, UNAUTHORIZED, NOT_FOUND, HTTP, INVALID_PARAM,
 * INSECURE_URL, FILE) say no to both. */
typedef struct
{
  gboolean retryable;         /* atelier_api_error_is_retryable() */
  gboolean may_have_arrived;  /* atelier_api_error_may_have_arrived() */
} CodeTraits;

static const CodeTraits code_traits[] = {
  [ATELIER_API_ERROR_RATE_LIMITED]    = { TRUE,  FALSE },
  [ATELIER_API_ERROR_SERVER]          = { TRUE,  TRUE },
  [ATELIER_API_ERROR_GATEWAY_TIMEOUT] = { FALSE, TRUE },
  [ATELIER_API_ERROR_TIMEOUT]         = { TRUE,  TRUE },
  [ATELIER_API_ERROR_NETWORK]         = { TRUE,  TRUE },
  [ATELIER_API_ERROR_PARSE]           = { FALSE, TRUE },
  [ATELIER_API_ERROR_FAILED]          = { FALSE, TRUE },
  [ATELIER_API_ERROR_TOO_LARGE]       = { FALSE, TRUE },
};

/* @error's code traits; all FALSE for another domain or an unknown code. */
static CodeTraits
get_code_traits (const GError *error)
{
  static const CodeTraits none = { FALSE, FALSE };

  if (error->domain != ATELIER_API_ERROR ||
      error->code < 0 || (gsize) error->code >= G_N_ELEMENTS (code_traits))
    return none;

  return code_traits[error->code];
}

/**
 * atelier_api_error_is_retryable:
 * @error: a #GError
 *
 * Whether the request may be sent again as it is: network trouble, a
 * timeout, a server error or rate limiting. Validation errors, 504 (the
 * request may have been processed) and everything else are not.
 */
gboolean
atelier_api_error_is_retryable (const GError *error)
{
  g_return_val_if_fail (error != NULL, FALSE);

  return get_code_traits (error).retryable;
}

/**
 * atelier_api_error_may_have_arrived:
 * @error: how a request that changes something (a POST) failed
 *
 * Whether the server may have received the request whole and carried it
 * out although the answer says otherwise, so that sending it again could
 * do it twice: the caller should look first (a tune by its unique title).
 *
 * Maybe (TRUE):
 * - %ATELIER_API_ERROR_GATEWAY_TIMEOUT (504): the gateway gave up waiting,
 *   the server may still have done it;
 * - %ATELIER_API_ERROR_TIMEOUT: sent, no answer in time;
 * - %ATELIER_API_ERROR_SERVER (5xx): failed somewhere after arriving;
 * - %ATELIER_API_ERROR_NETWORK: a dropped connection. atelier-http.c maps
 *   every transport error to this code, a refused connection included,
 *   so it has to count as maybe;
 * - %ATELIER_API_ERROR_PARSE: a 2xx whose body could not be read: it was
 *   done;
 * - %ATELIER_API_ERROR_FAILED: the server made the object, which failed;
 * - %ATELIER_API_ERROR_TOO_LARGE: an answer came, too large to read;
 * - raw transport errors other than those below (a closed connection, a
 *   broken pipe, %G_IO_ERROR_TIMED_OUT), and errors of unknown domains:
 *   a needless look-up costs less than a tune paid for twice.
 *
 * No (FALSE):
 * - the answers that refuse before doing anything: 4xx
 *   (%ATELIER_API_ERROR_INVALID, %ATELIER_API_ERROR_UNAUTHORIZED,
 *   %ATELIER_API_ERROR_NOT_FOUND, %ATELIER_API_ERROR_RATE_LIMITED) and any
 *   other unexpected status (%ATELIER_API_ERROR_HTTP);
 * - what fails before sending: %ATELIER_API_ERROR_INVALID_PARAM,
 *   %ATELIER_API_ERROR_INSECURE_URL, %ATELIER_API_ERROR_FILE;
 * - raw errors from before the connection: %G_IO_ERROR_CONNECTION_REFUSED,
 *   %G_IO_ERROR_HOST_UNREACHABLE, %G_IO_ERROR_NETWORK_UNREACHABLE,
 *   %G_IO_ERROR_HOST_NOT_FOUND, %G_IO_ERROR_PROXY_FAILED and every
 *   %G_RESOLVER_ERROR (DNS), and local file errors (%G_FILE_ERROR);
 * - %G_IO_ERROR_CANCELLED: this function cannot tell whether a request was
 *   cancelled before or after it was sent; the caller, who knows how far
 *   it got, decides (AtelierTuneUpload counts a cancel during the upload
 *   as maybe).
 *
 * Returns: %TRUE when the request may have been carried out
 */
gboolean
atelier_api_error_may_have_arrived (const GError *error)
{
  g_return_val_if_fail (error != NULL, FALSE);

  if (error->domain == G_IO_ERROR)
    {
      switch (error->code)
        {
        case G_IO_ERROR_CANCELLED:
        case G_IO_ERROR_CONNECTION_REFUSED:
        case G_IO_ERROR_HOST_UNREACHABLE:
        case G_IO_ERROR_NETWORK_UNREACHABLE:
        case G_IO_ERROR_HOST_NOT_FOUND:
        case G_IO_ERROR_PROXY_FAILED:
          return FALSE;
        default:
          return TRUE;
        }
    }

  if (error->domain == G_RESOLVER_ERROR || error->domain == G_FILE_ERROR)
    return FALSE;

  if (error->domain != ATELIER_API_ERROR)
    return TRUE;

  return get_code_traits (error).may_have_arrived;
}
