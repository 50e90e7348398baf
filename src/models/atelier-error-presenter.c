/* atelier-error-presenter.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "atelier-api-error.h"
#include "atelier-error-presenter.h"

AtelierErrorKind
atelier_error_get_kind (const GError *error)
{
  if (error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return ATELIER_ERROR_KIND_IGNORE;

  if (error->domain == ATELIER_API_ERROR)
    {
      switch ((AtelierApiError) error->code)
        {
        case ATELIER_API_ERROR_INVALID:
          return ATELIER_ERROR_KIND_FIELDS;
        case ATELIER_API_ERROR_UNAUTHORIZED:
          return ATELIER_ERROR_KIND_WRONG_KEY;
        case ATELIER_API_ERROR_NETWORK:
          return ATELIER_ERROR_KIND_CONNECTION;
        case ATELIER_API_ERROR_NOT_FOUND:
        case ATELIER_API_ERROR_RATE_LIMITED:
        case ATELIER_API_ERROR_SERVER:
        case ATELIER_API_ERROR_GATEWAY_TIMEOUT:
        case ATELIER_API_ERROR_TIMEOUT:
        case ATELIER_API_ERROR_PARSE:
        case ATELIER_API_ERROR_HTTP:
        case ATELIER_API_ERROR_INVALID_PARAM:
        case ATELIER_API_ERROR_INSECURE_URL:
        case ATELIER_API_ERROR_FILE:
        case ATELIER_API_ERROR_FAILED:
        default:
          return ATELIER_ERROR_KIND_TOAST;
        }
    }

  if (error->domain == G_IO_ERROR &&
      (error->code == G_IO_ERROR_NETWORK_UNREACHABLE ||
       error->code == G_IO_ERROR_HOST_UNREACHABLE ||
       error->code == G_IO_ERROR_CONNECTION_REFUSED))
    return ATELIER_ERROR_KIND_CONNECTION;

  return ATELIER_ERROR_KIND_TOAST;
}

gboolean
atelier_error_is_connection_failure (const GError *error)
{
  g_return_val_if_fail (error != NULL, FALSE);

  if (error->domain == ATELIER_API_ERROR)
    return error->code == ATELIER_API_ERROR_NETWORK || error->code == ATELIER_API_ERROR_TIMEOUT;

  if (error->domain == G_RESOLVER_ERROR || error->domain == G_TLS_ERROR)
    return TRUE;

  if (error->domain == G_IO_ERROR)
    {
      switch (error->code)
        {
        case G_IO_ERROR_NETWORK_UNREACHABLE:
        case G_IO_ERROR_HOST_UNREACHABLE:
        case G_IO_ERROR_HOST_NOT_FOUND:
        case G_IO_ERROR_CONNECTION_REFUSED:
        case G_IO_ERROR_CONNECTION_CLOSED:
        case G_IO_ERROR_PARTIAL_INPUT:
        case G_IO_ERROR_TIMED_OUT:
        case G_IO_ERROR_PROXY_FAILED:
          return TRUE;
        default:
          return FALSE;
        }
    }

  return FALSE;
}

gboolean
atelier_error_is_answer (const GError *error)
{
  g_return_val_if_fail (error != NULL, FALSE);

  if (error->domain != ATELIER_API_ERROR)
    return FALSE;

  switch ((AtelierApiError) error->code)
    {
    case ATELIER_API_ERROR_INVALID:
    case ATELIER_API_ERROR_UNAUTHORIZED:
    case ATELIER_API_ERROR_NOT_FOUND:
    case ATELIER_API_ERROR_RATE_LIMITED:
    case ATELIER_API_ERROR_SERVER:
    case ATELIER_API_ERROR_GATEWAY_TIMEOUT:
    case ATELIER_API_ERROR_PARSE:
    case ATELIER_API_ERROR_HTTP:
    case ATELIER_API_ERROR_FAILED:
    case ATELIER_API_ERROR_TOO_LARGE:   /* the server answered, too much */
      return TRUE;
    case ATELIER_API_ERROR_TIMEOUT:
    case ATELIER_API_ERROR_NETWORK:
    case ATELIER_API_ERROR_INVALID_PARAM:
    case ATELIER_API_ERROR_INSECURE_URL:
    case ATELIER_API_ERROR_FILE:
    default:
      return FALSE;
    }
}

char *
atelier_error_describe (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == ATELIER_API_ERROR)
    {
      switch ((AtelierApiError) error->code)
        {
        case ATELIER_API_ERROR_INVALID:
          return g_strdup (_("The server did not accept some of the values"));
        case ATELIER_API_ERROR_UNAUTHORIZED:
          return g_strdup (_("The API key was not accepted"));
        case ATELIER_API_ERROR_NOT_FOUND:
          return g_strdup (_("It is not there any more"));
        case ATELIER_API_ERROR_RATE_LIMITED:
          return g_strdup (_("Too many requests: wait a moment and try again"));
        case ATELIER_API_ERROR_SERVER:
          return g_strdup (_("The server had a problem: try again later"));
        case ATELIER_API_ERROR_GATEWAY_TIMEOUT:
          return g_strdup (_("The server took too long: check the list before trying again"));
        case ATELIER_API_ERROR_TIMEOUT:
          return g_strdup (_("The server did not answer in time"));
        case ATELIER_API_ERROR_NETWORK:
          return g_strdup (_("The connection to the server failed"));
        case ATELIER_API_ERROR_PARSE:
          return g_strdup (_("The server sent an answer Atelier cannot read"));
        case ATELIER_API_ERROR_INSECURE_URL:
          return g_strdup (_("The service address is not secure: use https://"));
        case ATELIER_API_ERROR_HTTP:
        case ATELIER_API_ERROR_INVALID_PARAM:
        case ATELIER_API_ERROR_FILE:
        case ATELIER_API_ERROR_FAILED:
        default:
          break;
        }
    }

  return g_strdup (error->message);
}

char *
atelier_error_format_fields (const GError *error)
{
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (error != NULL, NULL);

  fields = atelier_api_error_get_field_errors (error);
  if (fields == NULL || fields->len == 0)
    return g_strdup (error->message);

  for (guint i = 0; i < fields->len; i++)
    {
      AtelierFieldError *field = g_ptr_array_index (fields, i);

      if (text->len > 0)
        g_string_append_c (text, '\n');
      if (field->field == NULL || g_str_equal (field->field, "base"))
        g_string_append_printf (text, "• %s", field->message);
      else
        g_string_append_printf (text, "• %s: %s", field->field, field->message);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}
