/* atelier-sandbox-request.c: requests as the sandbox received them
 *
 * A request is decoded once, on the server thread, into an immutable
 * AtelierSandboxRequest: its text fields in order (with repeats), its file
 * parts, its parsed JSON body and "params", the body as a Rails controller
 * would see it (forms are nested by their bracketed names in
 * atelier-sandbox-params.c). File parts appear in params as {"$file": N},
 * N indexing the files. JSON bodies go through the service layer's strict
 * parser, the one place that decides what JSON is accepted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atelier-sandbox-private.h"

struct _AtelierSandboxRequest
{
  gatomicrefcount     ref_count;
  char               *method;
  char               *path;
  char               *query;
  GHashTable         *query_values;
  SoupMessageHeaders *headers;
  GPtrArray          *field_names;
  GPtrArray          *field_values;
  GPtrArray          *files;
  JsonNode           *json;
  JsonObject         *params;
  gsize               body_length;
};

G_DEFINE_BOXED_TYPE (AtelierSandboxRequest, atelier_sandbox_request,
                     atelier_sandbox_request_ref, atelier_sandbox_request_unref)

static void
sandbox_file_free (gpointer data)
{
  AtelierSandboxFile *file = data;

  g_free (file->name);
  g_free (file->filename);
  g_free (file->content_type);
  g_clear_pointer (&file->data, g_bytes_unref);
  g_free (file);
}

static AtelierSandboxRequest *
request_new (void)
{
  AtelierSandboxRequest *self = g_new0 (AtelierSandboxRequest, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  self->field_names = g_ptr_array_new_with_free_func (g_free);
  self->field_values = g_ptr_array_new_with_free_func (g_free);
  self->files = g_ptr_array_new_with_free_func (sandbox_file_free);
  self->params = json_object_new ();

  return self;
}

AtelierSandboxRequest *
atelier_sandbox_request_ref (AtelierSandboxRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
atelier_sandbox_request_unref (AtelierSandboxRequest *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->method);
  g_free (self->path);
  g_free (self->query);
  g_clear_pointer (&self->query_values, g_hash_table_unref);
  g_clear_pointer (&self->headers, soup_message_headers_unref);
  g_clear_pointer (&self->field_names, g_ptr_array_unref);
  g_clear_pointer (&self->field_values, g_ptr_array_unref);
  g_clear_pointer (&self->files, g_ptr_array_unref);
  g_clear_pointer (&self->json, json_node_unref);
  g_clear_pointer (&self->params, json_object_unref);
  g_free (self);
}

const char *
atelier_sandbox_request_get_method (AtelierSandboxRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->method;
}

const char *
atelier_sandbox_request_get_path (AtelierSandboxRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->path;
}

const char *
atelier_sandbox_request_get_query (AtelierSandboxRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->query;
}

const char *
atelier_sandbox_request_get_header (AtelierSandboxRequest *self,
                                    const char            *name)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return soup_message_headers_get_one (self->headers, name);
}

const char *
atelier_sandbox_request_get_field (AtelierSandboxRequest *self,
                                   const char            *name)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < self->field_names->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (self->field_names, i), name))
        return g_ptr_array_index (self->field_values, i);
    }

  return NULL;
}

GStrv
atelier_sandbox_request_dup_field_values (AtelierSandboxRequest *self,
                                          const char            *name)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < self->field_names->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (self->field_names, i), name))
        g_strv_builder_add (builder, g_ptr_array_index (self->field_values, i));
    }

  return g_strv_builder_end (builder);
}

GStrv
atelier_sandbox_request_dup_field_names (AtelierSandboxRequest *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->field_names->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->field_names, i));

  return g_strv_builder_end (builder);
}

GPtrArray *
atelier_sandbox_request_get_files (AtelierSandboxRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->files;
}

guint
atelier_sandbox_request_count_files (AtelierSandboxRequest *self,
                                     const char            *name)
{
  guint count = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = 0; i < self->files->len; i++)
    {
      AtelierSandboxFile *file = g_ptr_array_index (self->files, i);

      if (name == NULL || g_strcmp0 (file->name, name) == 0)
        count++;
    }

  return count;
}

JsonNode *
atelier_sandbox_request_get_json (AtelierSandboxRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->json;
}

gsize
atelier_sandbox_request_get_body_length (AtelierSandboxRequest *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->body_length;
}

JsonObject *
_atelier_sandbox_request_get_params (AtelierSandboxRequest *self)
{
  return self->params;
}

const char *
_atelier_sandbox_request_get_query_value (AtelierSandboxRequest *self,
                                          const char            *name)
{
  if (self->query_values == NULL)
    return NULL;

  return g_hash_table_lookup (self->query_values, name);
}

AtelierSandboxFile *
_atelier_sandbox_request_lookup_file (AtelierSandboxRequest *self,
                                      JsonNode              *node)
{
  JsonObject *object;
  gint64 index;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  object = json_node_get_object (node);
  if (json_object_get_size (object) != 1 || !json_object_has_member (object, "$file"))
    return NULL;

  if (!_atelier_sandbox_node_get_int (json_object_get_member (object, "$file"), &index) ||
      index < 0 || index >= self->files->len)
    return NULL;

  return g_ptr_array_index (self->files, index);
}

/* Fields and files */

static void
request_add_field (AtelierSandboxRequest *self,
                   const char            *name,
                   const char            *value)
{
  char *valid = g_utf8_make_valid (value, -1);

  g_ptr_array_add (self->field_names, g_utf8_make_valid (name, -1));
  g_ptr_array_add (self->field_values, valid);
  _atelier_sandbox_params_add (self->params, name, json_node_init_string (json_node_alloc (), valid));
}

static void
request_add_file (AtelierSandboxRequest *self,
                  const char            *name,
                  const char            *filename,
                  const char            *content_type,
                  GBytes                *data)
{
  AtelierSandboxFile *file = g_new0 (AtelierSandboxFile, 1);
  g_autoptr(JsonObject) ref = json_object_new ();

  file->name = g_strdup (name);
  file->filename = g_strdup (filename);
  file->content_type = g_strdup (content_type);
  file->data = g_bytes_ref (data);

  json_object_set_int_member (ref, "$file", self->files->len);
  g_ptr_array_add (self->files, file);
  _atelier_sandbox_params_add (self->params, name, json_node_init_object (json_node_alloc (), ref));
}

/* Body decoding */

JsonNode *
_atelier_sandbox_parse_json (const char               *data,
                             gsize                     length,
                             AtelierSandboxBodyStatus *status)
{
  JsonNode *root;

  *status = ATELIER_SANDBOX_BODY_OK;

  /* Too deep is told apart from malformed by the same count the parser
   * applies first. */
  if (_atelier_json_nesting_depth (data, length, ATELIER_JSON_MAX_DEPTH) > ATELIER_JSON_MAX_DEPTH)
    {
      *status = ATELIER_SANDBOX_BODY_TOO_DEEP;
      return NULL;
    }

  root = _atelier_json_parse (data, length, NULL);
  if (root == NULL)
    *status = ATELIER_SANDBOX_BODY_MALFORMED_JSON;

  return root;
}


static gboolean
decode_multipart (AtelierSandboxRequest *self,
                  GBytes                *body)
{
  g_autoptr(SoupMultipart) multipart = NULL;

  multipart = soup_multipart_new_from_message (self->headers, body);
  if (multipart == NULL)
    return FALSE;

  for (int i = 0; i < soup_multipart_get_length (multipart); i++)
    {
      g_autoptr(GHashTable) disposition_params = NULL;
      g_autofree char *disposition = NULL;
      SoupMessageHeaders *part_headers;
      GBytes *part_body;
      const char *name;
      const char *filename;
      const char *content_type;

      if (!soup_multipart_get_part (multipart, i, &part_headers, &part_body))
        continue;

      /* A libsoup without the fix for CVE-2025-4948 (Debian 12's 3.2.3)
       * gives a part whose blank line runs into the next boundary a
       * length that wrapped around. */
      if (g_bytes_get_size (part_body) > g_bytes_get_size (body))
        return FALSE;

      if (!soup_message_headers_get_content_disposition (part_headers, &disposition,
                                                         &disposition_params))
        continue;

      name = g_hash_table_lookup (disposition_params, "name");
      if (name == NULL)
        continue;

      filename = g_hash_table_lookup (disposition_params, "filename");
      content_type = soup_message_headers_get_content_type (part_headers, NULL);

      if (filename != NULL ||
          (content_type != NULL && !g_str_has_prefix (content_type, "text/")))
        {
          request_add_file (self, name, filename, content_type, part_body);
        }
      else
        {
          g_autofree char *value = g_strndup (g_bytes_get_data (part_body, NULL),
                                              g_bytes_get_size (part_body));
          request_add_field (self, name, value);
        }
    }

  return TRUE;
}

static char *
form_unescape (const char *text,
               gsize       length)
{
  g_autofree char *plus = g_strndup (text, length);

  g_strdelimit (plus, "+", ' ');

  return g_uri_unescape_string (plus, NULL);
}

/* Unlike soup_form_decode(), keeps the order and repeated names. */
static gboolean
decode_urlencoded (AtelierSandboxRequest *self,
                   GBytes                *body)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_auto(GStrv) pairs = g_strsplit (text, "&", -1);

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const char *eq = strchr (pairs[i], '=');
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (pairs[i][0] == '\0')
        continue;

      name = form_unescape (pairs[i], eq ? (gsize) (eq - pairs[i]) : strlen (pairs[i]));
      value = eq ? form_unescape (eq + 1, strlen (eq + 1)) : g_strdup ("");
      if (name == NULL || value == NULL)
        return FALSE;

      request_add_field (self, name, value);
    }

  return TRUE;
}

static gboolean
looks_like_json (GBytes *body)
{
  gsize size;
  const char *data = g_bytes_get_data (body, &size);

  for (gsize i = 0; i < size; i++)
    {
      if (g_ascii_isspace (data[i]))
        continue;
      return data[i] == '{' || data[i] == '[';
    }

  return FALSE;
}

/* The body of @self, its headers set: fields, files, JSON and params. */
static void
request_decode_body (AtelierSandboxRequest    *self,
                     GBytes                   *body,
                     gboolean                  lenient,
                     AtelierSandboxBodyStatus *status)
{
  const char *content_type;

  self->body_length = g_bytes_get_size (body);
  if (self->body_length == 0)
    return;

  content_type = soup_message_headers_get_content_type (self->headers, NULL);
  if (lenient && looks_like_json (body))
    content_type = "application/json";

  if (g_strcmp0 (content_type, "multipart/form-data") == 0)
    {
      if (!decode_multipart (self, body))
        *status = ATELIER_SANDBOX_BODY_MALFORMED_FORM;
    }
  else if (g_strcmp0 (content_type, "application/x-www-form-urlencoded") == 0)
    {
      if (!decode_urlencoded (self, body))
        *status = ATELIER_SANDBOX_BODY_MALFORMED_FORM;
    }
  else if ((content_type != NULL &&
            (g_str_equal (content_type, "application/json") || g_str_has_suffix (content_type, "+json"))) ||
           (content_type == NULL && looks_like_json (body)))
    {
      self->json = _atelier_sandbox_parse_json (g_bytes_get_data (body, NULL), self->body_length, status);
      if (self->json != NULL && JSON_NODE_HOLDS_OBJECT (self->json))
        {
          json_object_unref (self->params);
          self->params = json_object_ref (json_node_get_object (self->json));
        }
    }
}

gsize
_atelier_sandbox_request_get_kept_bytes (AtelierSandboxRequest *self)
{
  g_return_val_if_fail (self != NULL, 0);

  if (self->json == NULL && self->files->len == 0 && self->field_names->len == 0)
    return 0;
  return self->body_length;
}

AtelierSandboxRequest *
_atelier_sandbox_request_dup_head (AtelierSandboxRequest *self)
{
  AtelierSandboxRequest *head = request_new ();
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;

  g_return_val_if_fail (self != NULL, NULL);

  head->method = g_strdup (self->method);
  head->path = g_strdup (self->path);
  head->query = g_strdup (self->query);
  if (head->query != NULL)
    head->query_values = soup_form_decode (head->query);
  soup_message_headers_iter_init (&iter, self->headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    soup_message_headers_append (head->headers, name, value);
  head->body_length = self->body_length;

  return head;
}

AtelierSandboxRequest *
_atelier_sandbox_request_new_refused (SoupServerMessage *msg)
{
  AtelierSandboxRequest *self = request_new ();
  GUri *uri = soup_server_message_get_uri (msg);

  self->method = g_strdup (soup_server_message_get_method (msg));
  self->path = g_strdup (g_uri_get_path (uri));
  self->query = g_strdup (g_uri_get_query (uri));

  return self;
}

AtelierSandboxRequest *
_atelier_sandbox_request_new_from_message (SoupServerMessage        *msg,
                                           gboolean                  lenient,
                                           AtelierSandboxBodyStatus *status)
{
  AtelierSandboxRequest *self = request_new ();
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeadersIter iter;
  g_autoptr(GBytes) body = NULL;
  const char *name;
  const char *value;
  GUri *uri = soup_server_message_get_uri (msg);

  *status = ATELIER_SANDBOX_BODY_OK;

  self->method = g_strdup (soup_server_message_get_method (msg));
  self->path = g_strdup (g_uri_get_path (uri));
  self->query = g_strdup (g_uri_get_query (uri));
  if (self->query != NULL)
    self->query_values = soup_form_decode (self->query);

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    soup_message_headers_append (self->headers, name, value);

  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  request_decode_body (self, body, lenient, status);

  return self;
}

AtelierSandboxRequest *
_atelier_sandbox_request_new_for_fuzzing (SoupMessageHeaders       *headers,
                                          GBytes                   *body,
                                          gboolean                  lenient,
                                          AtelierSandboxBodyStatus *status)
{
  AtelierSandboxRequest *self = request_new ();
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;

  *status = ATELIER_SANDBOX_BODY_OK;
  self->method = g_strdup ("POST");
  self->path = g_strdup ("/");

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    soup_message_headers_append (self->headers, name, value);

  request_decode_body (self, body, lenient, status);

  return self;
}
