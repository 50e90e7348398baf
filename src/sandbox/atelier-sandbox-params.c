/* atelier-sandbox-params.c: params, the body as a Rails controller sees it
 *
 * Form fields are nested by their bracketed names following Rack's rules:
 * "a[b]" makes an object, "a[]" appends to an array, and "a[][b]" starts a
 * new object in the array whenever the last one already has "b". JSON
 * bodies are params as they are. Handlers and the store then read params
 * the same whatever their source, JSON values or form text, through the
 * typed readers here. Small JSON helpers shared by the sandbox's files end
 * the file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "atelier-sandbox-private.h"

/* Nesting form names */

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

void
_atelier_sandbox_params_add (JsonObject *params,
                             const char *name,
                             JsonNode   *value)
{
  g_auto(GStrv) keys = split_param_name (name);

  /* Like JSON bodies, form names may not nest without bounds. */
  if (keys[0] == NULL || g_strv_length (keys) > ATELIER_JSON_MAX_DEPTH)
    {
      json_node_unref (value);
      return;
    }

  params_insert (params, keys, value);
}

/* Typed access */

/* The type of a value node; G_TYPE_INVALID for anything else. */
static GType
node_value_type (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return G_TYPE_INVALID;

  return json_node_get_value_type (node);
}

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

gint64
_atelier_sandbox_params_get_int (JsonObject *params,
                                 const char *name,
                                 gint64      fallback)
{
  gint64 value;

  if (!_atelier_sandbox_node_get_int (_atelier_sandbox_params_get (params, name), &value))
    return fallback;

  return value;
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
  GType type = node_value_type (node);

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
  GType type = node_value_type (node);

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
  GType type = node_value_type (node);

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
  GType type = node_value_type (node);

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

void
_atelier_sandbox_errors_add (JsonObject *errors,
                             const char *field,
                             const char *message)
{
  JsonArray *messages = ensure_array_member (errors, field);

  json_array_add_string_element (messages, message);
}

static JsonNode *
node_deep_copy (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(JsonObject) out = json_object_new ();
      g_autoptr(GList) members = json_object_get_members (object);

      for (const GList *l = members; l != NULL; l = l->next)
        json_object_set_member (out, l->data, node_deep_copy (json_object_get_member (object, l->data)));

      return json_node_init_object (json_node_alloc (), out);
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(JsonArray) out = json_array_sized_new (json_array_get_length (array));

      for (guint i = 0; i < json_array_get_length (array); i++)
        json_array_add_element (out, node_deep_copy (json_array_get_element (array, i)));

      return json_node_init_array (json_node_alloc (), out);
    }

  return json_node_copy (node);
}

JsonObject *
_atelier_sandbox_object_deep_copy (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autoptr(JsonNode) copy = node_deep_copy (node);

  return json_object_ref (json_node_get_object (copy));
}
