/* fuzz-request.c: the sandbox's request decoding
 *
 * The input is a request: its first line is the Content-Type header (an
 * empty line: none; a leading '!' asks for the lenient decoding of the
 * /__sandbox/ routes), the rest its body. It is decoded as the server
 * decodes a request (multipart/form-data, urlencoded forms, JSON), then
 * every reader the routes use is run over the result: fields, files,
 * params as Rails nests form names ("tune[prompts_attributes][0][text]",
 * "tune[images][]"), the typed readers on every value, file references.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-common.h"

#include <stdint.h>
#include <string.h>

#include "atelier-sandbox-private.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

static void check_node (AtelierSandboxRequest *request,
                        JsonNode              *node,
                        guint                  depth);

/* The typed readers and the file lookup on one value */
static void
check_value (AtelierSandboxRequest *request,
             JsonNode              *node)
{
  AtelierSandboxFile *file;
  g_autofree char *text = NULL;
  gint64 i;
  double d;
  gboolean b;

  g_assert_nonnull (node);

  (void) _atelier_sandbox_node_is_blank (node);
  text = _atelier_sandbox_node_dup_string (node);
  if (text != NULL)
    g_assert_true (g_utf8_validate (text, -1, NULL));
  (void) _atelier_sandbox_node_get_int (node, &i);
  (void) _atelier_sandbox_node_get_double (node, &d);
  (void) _atelier_sandbox_node_get_bool (node, &b);

  file = _atelier_sandbox_request_lookup_file (request, node);
  if (file != NULL)
    {
      g_assert_nonnull (file->name);
      g_assert_nonnull (file->data);
    }
}

static void
check_object (AtelierSandboxRequest *request,
              JsonObject            *object,
              guint                  depth)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      g_autoptr(GPtrArray) list = _atelier_sandbox_params_dup_list (object, name);

      g_assert_true (_atelier_sandbox_params_get (object, name) != NULL);
      (void) _atelier_sandbox_params_get_string (object, name);
      (void) _atelier_sandbox_params_get_object (object, name);
      (void) _atelier_sandbox_params_get_int (object, name, 0);

      /* Rails lists ("0", "1" … keys) one level down, not again below */
      for (guint k = 0; k < list->len; k++)
        check_value (request, g_ptr_array_index (list, k));

      check_node (request, json_object_get_member (object, name), depth + 1);
    }
}

static void
check_node (AtelierSandboxRequest *request,
            JsonNode              *node,
            guint                  depth)
{
  g_assert_cmpuint (depth, <=, 2 * ATELIER_JSON_MAX_DEPTH + 2);

  check_value (request, node);

  if (JSON_NODE_HOLDS_OBJECT (node))
    check_object (request, json_node_get_object (node), depth);
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint k = 0; k < json_array_get_length (array); k++)
        check_node (request, json_array_get_element (array, k), depth + 1);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const uint8_t *newline = memchr (data, '\n', size);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr(AtelierSandboxRequest) request = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) copy = NULL;
  g_autoptr(JsonNode) params_node = NULL;
  g_autofree char *params_text = NULL;
  g_auto(GStrv) names = NULL;
  g_autofree char *content_type = NULL;
  AtelierSandboxBodyStatus status;
  JsonObject *params;
  GPtrArray *files;
  gboolean lenient = FALSE;
  size_t line_length;

  if (newline == NULL)
    return 0;

  line_length = newline - data;
  if (line_length > 0 && data[0] == '!')
    {
      lenient = TRUE;
      data++;
      size--;
      line_length--;
    }

  content_type = g_strndup ((const char *) data, line_length);
  g_strchomp (content_type);
  /* libsoup's own parser never gives a header value with CR or LF */
  if (content_type[0] != '\0' && g_utf8_validate (content_type, -1, NULL) &&
      strpbrk (content_type, "\r\n") == NULL)
    soup_message_headers_append (headers, "Content-Type", content_type);

  /* As the server has it: flattened, with a NUL after its end that its
   * length does not count (libsoup's multipart parser relies on it) */
  {
    SoupMessageBody *message_body = soup_message_body_new ();

    soup_message_body_append (message_body, SOUP_MEMORY_COPY, data + line_length + 1, size - line_length - 1);
    body = soup_message_body_flatten (message_body);
    soup_message_body_unref (message_body);
  }
  request = _atelier_sandbox_request_new_for_fuzzing (headers, body, lenient, &status);
  g_assert_nonnull (request);
  g_assert_cmpuint (atelier_sandbox_request_get_body_length (request), ==, g_bytes_get_size (body));

  /* Fields: valid UTF-8, in order, each findable by its name */
  names = atelier_sandbox_request_dup_field_names (request);
  for (guint k = 0; names[k] != NULL; k++)
    {
      g_auto(GStrv) values = atelier_sandbox_request_dup_field_values (request, names[k]);
      const char *value = atelier_sandbox_request_get_field (request, names[k]);

      g_assert_true (g_utf8_validate (names[k], -1, NULL));
      g_assert_nonnull (value);
      g_assert_true (g_utf8_validate (value, -1, NULL));
      g_assert_cmpuint (g_strv_length (values), >=, 1);
      g_assert_cmpstr (values[0], ==, value);
    }

  files = atelier_sandbox_request_get_files (request);
  g_assert_cmpuint (atelier_sandbox_request_count_files (request, NULL), ==, files->len);
  for (guint k = 0; k < files->len; k++)
    {
      AtelierSandboxFile *file = g_ptr_array_index (files, k);

      g_assert_cmpuint (atelier_sandbox_request_count_files (request, file->name), >=, 1);
    }

  if (status == ATELIER_SANDBOX_BODY_MALFORMED_JSON || status == ATELIER_SANDBOX_BODY_TOO_DEEP)
    g_assert_null (atelier_sandbox_request_get_json (request));

  /* Params as the routes read them, then as the request log shows them */
  params = _atelier_sandbox_request_get_params (request);
  g_assert_nonnull (params);
  check_object (request, params, 0);

  copy = _atelier_sandbox_object_deep_copy (params);
  params_node = json_node_init_object (json_node_alloc (), copy);
  params_text = json_to_string (params_node, FALSE);
  g_assert_nonnull (params_text);

  return 0;
}
