/* atelier-sandbox-request.c: requests as the sandbox received them
 *
 * A request is decoded once, on the server thread, into an immutable
 * AtelierSandboxRequest: its text fields in order (with repeats), its file
 * parts, its parsed JSON body and "params", the body as a Rails controller
 * would see it. Forms are nested by their bracketed names following Rack's
 * rules: "a[b]" makes an object, "a[]" appends to an array, and "a[][b]"
 * starts a new object in the array whenever the last one already has "b".
 * File parts appear in params as {"$file": N}, N indexing the files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
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

/* Rails-style nesting */

/* "a[b][][c]" → {"a", "b", "", "c"}; a name without brackets is one key. */
static GStrv
split_param_name (const char *name)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *key = NULL;
  const char *open = strchr (name, '[');
  const char *p;

  if (open == NULL || open == name)
    {
      g_strv_builder_add (builder, name);
      return g_strv_builder_end (builder);
    }

  key = g_strndup (name, open - name);
  g_strv_builder_add (builder, key);
  g_clear_pointer (&key, g_free);

  for (p = open; *p == '['; )
    {
      const char *close = strchr (p, ']');

      if (close == NULL)
        break;

      key = g_strndup (p + 1, close - p - 1);
      g_strv_builder_add (builder, key);
      g_clear_pointer (&key, g_free);
      p = close + 1;
    }

  /* Trailing garbage after the last bracket: keep it as its own key, as
   * Rack would keep it in the name. */
  if (*p != '\0')
    g_strv_builder_add (builder, p);

  return g_strv_builder_end (builder);
}

static JsonArray *
ensure_array_member (JsonObject *object,
                     const char *key)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    json_object_set_array_member (object, key, json_array_new ());

  return json_object_get_array_member (object, key);
}

static JsonObject *
ensure_object_member (JsonObject *object,
                      const char *key)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    json_object_set_object_member (object, key, json_object_new ());

  return json_object_get_object_member (object, key);
}

static gboolean
object_has_path (JsonObject *object,
                 char      **keys)
{
  for (guint i = 0; keys[i] != NULL; i++)
    {
      JsonNode *node;

      if (keys[i][0] == '\0' || object == NULL)
        return FALSE;

      node = json_object_get_member (object, keys[i]);
      if (node == NULL)
        return FALSE;

      object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
    }

  return TRUE;
}

static void
params_insert (JsonObject *object,
               char      **keys,
               JsonNode   *value)
{
  const char *key = keys[0];
  JsonArray *array;
  JsonNode *last;
  JsonObject *child;

  if (keys[1] == NULL)
    {
      json_object_set_member (object, key, value);
      return;
    }

  if (keys[1][0] != '\0')
    {
      params_insert (ensure_object_member (object, key), keys + 1, value);
      return;
    }

  array = ensure_array_member (object, key);
  if (keys[2] == NULL)
    {
      json_array_add_element (array, value);
      return;
    }

  last = json_array_get_length (array) > 0
    ? json_array_get_element (array, json_array_get_length (array) - 1)
    : NULL;

  if (last != NULL && JSON_NODE_HOLDS_OBJECT (last) &&
      !object_has_path (json_node_get_object (last), keys + 2))
    {
      params_insert (json_node_get_object (last), keys + 2, value);
      return;
    }

  child = json_object_new ();
  json_array_add_object_element (array, child);
  params_insert (child, keys + 2, value);
}

static void
request_add_param (AtelierSandboxRequest *self,
                   const char            *name,
                   JsonNode              *value)
{
  g_auto(GStrv) keys = split_param_name (name);

  /* Like JSON bodies, form names may not nest without bounds. */
  if (keys[0] == NULL || g_strv_length (keys) > ATELIER_SANDBOX_MAX_JSON_DEPTH)
    {
      json_node_unref (value);
      return;
    }

  params_insert (self->params, keys, value);
}

static void
request_add_field (AtelierSandboxRequest *self,
                   const char            *name,
                   const char            *value)
{
  char *valid = g_utf8_make_valid (value, -1);

  g_ptr_array_add (self->field_names, g_utf8_make_valid (name, -1));
  g_ptr_array_add (self->field_values, valid);
  request_add_param (self, name, json_node_init_string (json_node_alloc (), valid));
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
  request_add_param (self, name, json_node_init_object (json_node_alloc (), ref));
}

/* Body decoding */

guint
_atelier_sandbox_json_depth (const char *data,
                             gsize       length)
{
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;
  guint depth = 0;
  guint max_depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;

        case '[':
        case '{':
          depth++;
          max_depth = MAX (max_depth, depth);
          break;

        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;

        default:
          break;
        }
    }

  return max_depth;
}

JsonNode *
_atelier_sandbox_parse_json (const char               *data,
                             gsize                     length,
                             AtelierSandboxBodyStatus *status)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  *status = ATELIER_SANDBOX_BODY_OK;

  /* json-glib 1.6 recurses without a limit and crashes on deep input. */
  if (_atelier_sandbox_json_depth (data, length) > ATELIER_SANDBOX_MAX_JSON_DEPTH)
    {
      *status = ATELIER_SANDBOX_BODY_TOO_DEEP;
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, NULL) ||
      (root = json_parser_get_root (parser)) == NULL)
    {
      *status = ATELIER_SANDBOX_BODY_MALFORMED_JSON;
      return NULL;
    }

  return json_node_ref (root);
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
  const char *content_type;
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
  self->body_length = g_bytes_get_size (body);
  if (self->body_length == 0)
    return self;

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

  return self;
}

/* Typed access */

JsonNode *
_atelier_sandbox_params_get (JsonObject *params,
                             const char *name)
{
  if (params == NULL)
    return NULL;

  return json_object_get_member (params, name);
}

JsonObject *
_atelier_sandbox_params_get_object (JsonObject *params,
                                    const char *name)
{
  JsonNode *node = _atelier_sandbox_params_get (params, name);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_node_get_object (node);
}

const char *
_atelier_sandbox_params_get_string (JsonObject *params,
                                    const char *name)
{
  JsonNode *node = _atelier_sandbox_params_get (params, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static int
compare_index_keys (gconstpointer a,
                    gconstpointer b)
{
  const char *ka = *(const char * const *) a;
  const char *kb = *(const char * const *) b;
  gint64 ia = g_ascii_strtoll (ka, NULL, 10);
  gint64 ib = g_ascii_strtoll (kb, NULL, 10);

  if (ia != ib)
    return ia < ib ? -1 : 1;

  return strcmp (ka, kb);
}

GPtrArray *
_atelier_sandbox_params_dup_list (JsonObject *params,
                                  const char *name)
{
  GPtrArray *list = g_ptr_array_new ();
  JsonNode *node = _atelier_sandbox_params_get (params, name);

  if (node == NULL)
    return list;

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        g_ptr_array_add (list, json_array_get_element (array, i));
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);
      g_autoptr(GPtrArray) keys = g_ptr_array_new ();

      for (const GList *l = members; l != NULL; l = l->next)
        g_ptr_array_add (keys, l->data);
      g_ptr_array_sort (keys, compare_index_keys);

      for (guint i = 0; i < keys->len; i++)
        g_ptr_array_add (list, json_object_get_member (object, g_ptr_array_index (keys, i)));
    }
  else if (!JSON_NODE_HOLDS_NULL (node))
    {
      g_ptr_array_add (list, node);
    }

  return list;
}

gboolean
_atelier_sandbox_node_is_blank (JsonNode *node)
{
  const char *text;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (JSON_NODE_HOLDS_ARRAY (node))
    return json_array_get_length (json_node_get_array (node)) == 0;

  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;

  for (text = json_node_get_string (node); *text != '\0'; text++)
    {
      if (!g_ascii_isspace (*text))
        return FALSE;
    }

  return TRUE;
}

char *
_atelier_sandbox_node_dup_string (JsonNode *node)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (type == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (type == G_TYPE_DOUBLE)
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];
      return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
    }
  if (type == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? "true" : "false");

  return NULL;
}

gboolean
_atelier_sandbox_node_get_int (JsonNode *node,
                               gint64   *value)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      *value = json_node_get_int (node);
      return TRUE;
    }

  if (type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      if (!(d > -9.0e18 && d < 9.0e18) || d != (double) (gint64) d)
        return FALSE;
      *value = (gint64) d;
      return TRUE;
    }

  if (type == G_TYPE_STRING)
    {
      g_autofree char *text = g_strstrip (g_strdup (json_node_get_string (node)));

      return g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, value, NULL);
    }

  return FALSE;
}

gboolean
_atelier_sandbox_node_get_double (JsonNode *node,
                                  double   *value)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
    {
      *value = json_node_get_double (node);
      return TRUE;
    }

  if (type == G_TYPE_STRING)
    {
      g_autofree char *text = g_strstrip (g_strdup (json_node_get_string (node)));
      char *end = NULL;

      if (text[0] == '\0')
        return FALSE;

      *value = g_ascii_strtod (text, &end);
      return end != NULL && *end == '\0' && isfinite (*value);
    }

  return FALSE;
}

gboolean
_atelier_sandbox_node_get_bool (JsonNode *node,
                                gboolean *value)
{
  static const char * const true_words[] = { "true", "1", "on", "yes", "t", NULL };
  static const char * const false_words[] = { "false", "0", "off", "no", "f", NULL };
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_BOOLEAN)
    {
      *value = json_node_get_boolean (node);
      return TRUE;
    }

  if (type == G_TYPE_INT64)
    {
      *value = json_node_get_int (node) != 0;
      return TRUE;
    }

  if (type == G_TYPE_STRING)
    {
      g_autofree char *text = g_ascii_strdown (json_node_get_string (node), -1);

      g_strstrip (text);
      if (g_strv_contains (true_words, text))
        {
          *value = TRUE;
          return TRUE;
        }
      if (g_strv_contains (false_words, text))
        {
          *value = FALSE;
          return TRUE;
        }
    }

  return FALSE;
}

/* Small shared helpers */

char *
_atelier_sandbox_format_time (gint64 usec)
{
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autofree char *seconds = NULL;

  if (date == NULL)
    return g_strdup ("1970-01-01T00:00:00.000Z");

  seconds = g_date_time_format (date, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", seconds, (int) ((usec % G_USEC_PER_SEC) / 1000));
}

char *
_atelier_sandbox_json_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);

  return json_generator_to_data (generator, NULL);
}

GBytes *
_atelier_sandbox_json_to_bytes (JsonNode *node)
{
  char *text = _atelier_sandbox_json_to_string (node);

  return g_bytes_new_take (text, strlen (text));
}

void
_atelier_sandbox_errors_add (JsonObject *errors,
                             const char *field,
                             const char *message)
{
  JsonArray *messages = ensure_array_member (errors, field);

  json_array_add_string_element (messages, message);
}
