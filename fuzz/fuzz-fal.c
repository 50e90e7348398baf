/* fuzz-fal.c: fal.ai's answers and the input the app sends it
 *
 * The input is the body of a fal answer. It is read as each of the four
 * answers the client reads (a submit's request ids and URLs, a status, a
 * status with logs, a result), exactly as the client reads a 2xx answer;
 * then, when it is a JSON object, as a FaceID input the client checks
 * before sending (data: URLs of faces, numbers and their ranges).
 *
 * The key must never travel to another host: every URL a submit answer
 * gives is checked to be on the client's own origin.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-common.h"

#include <stdint.h>
#include <string.h>

#include "atelier-fal-client.h"
#include "atelier-json-private.h"

#define BASE_URL "https://queue.fal.run"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static AtelierFalClient *client;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  g_unsetenv ("ATELIER_FAL_URL");
  client = atelier_fal_client_new (BASE_URL, "fuzz-key", NULL);
  g_assert_nonnull (client);
  return 0;
}

static void
check_same_origin (const char *url)
{
  g_autoptr(GUri) uri = NULL;

  g_assert_nonnull (url);
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_assert_nonnull (uri);
  g_assert_cmpint (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https"), ==, 0);
  g_assert_cmpint (g_ascii_strcasecmp (g_uri_get_host (uri), "queue.fal.run"), ==, 0);
  g_assert_true (g_uri_get_port (uri) == -1 || g_uri_get_port (uri) == 443);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = g_bytes_new (data, size);
  g_autoptr(JsonNode) root = NULL;

  for (AtelierFalAnswer which = ATELIER_FAL_ANSWER_REQUEST; which <= ATELIER_FAL_ANSWER_RESULT; which++)
    {
      g_autoptr(GError) error = NULL;
      gpointer value = _atelier_fal_read_answer_for_fuzzing (client, which, body, &error);

      g_assert_true ((value == NULL) == (error != NULL));
      if (value == NULL)
        continue;

      switch (which)
        {
        case ATELIER_FAL_ANSWER_REQUEST:
          {
            g_autoptr(AtelierFalRequest) request = value;

            g_assert_true (request->request_id != NULL && request->request_id[0] != '\0');
            check_same_origin (request->status_url);
            check_same_origin (request->response_url);
            check_same_origin (request->cancel_url);
          }
          break;
        case ATELIER_FAL_ANSWER_STATUS:
          g_free (value);
          break;
        case ATELIER_FAL_ANSWER_STATUS_INFO:
          {
            g_autoptr(AtelierFalStatusInfo) info = value;

            g_assert_nonnull (info->logs);
            for (guint i = 0; info->logs[i] != NULL; i++)
              g_assert_true (g_utf8_validate (info->logs[i], -1, NULL));
          }
          break;
        case ATELIER_FAL_ANSWER_RESULT:
          {
            g_autoptr(AtelierFalResult) result = value;

            g_assert_true (result->image_url != NULL && result->image_url[0] != '\0');
          }
          break;
        default:
          g_assert_not_reached ();
        }
    }

  root = _atelier_json_parse ((const char *) data, size, NULL);
  if (root != NULL)
    {
      g_autoptr(GError) error = NULL;
      gboolean valid = atelier_fal_validate_face_id_input (root, &error);

      g_assert_true (valid == (error == NULL));
    }

  return 0;
}
