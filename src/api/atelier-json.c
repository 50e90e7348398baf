/* atelier-json.c: guarded parsing and tolerant readers
 *
 * json-glib 1.6 parses recursively and overflows the stack on input nested
 * a few tens of thousands deep. It is also lenient: it takes 'single
 * quoted' strings, "/.../" comments, and in a string "\u12" swallows the
 * character after the digits, even a closing quote. A depth count done by
 * anyone but json-glib itself could therefore disagree with what json-glib
 * sees. So before json-glib is given a body, we check that it is strict
 * RFC 8259 JSON (no lone surrogates) with an iterative checker that keeps
 * its own depth: for such input json-glib's strings end where ours do, and
 * its nesting is ours.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "atelier-api-error.h"
#include "atelier-json-private.h"

/* {{{ Depth and syntax */

guint
_atelier_json_nesting_depth (const char *data,
                             gsize       length,
                             guint       max)
{
  gboolean in_string = FALSE;
  guint depth = 0;
  guint deepest = 0;

  g_return_val_if_fail (data != NULL || length == 0, 0);

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
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
          if (depth > deepest)
            {
              deepest = depth;
              if (deepest > max)
                return max + 1;
            }
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

  return deepest;
}

typedef enum
{
  CHECK_OK,
  CHECK_TRUNCATED,
  CHECK_INVALID,
  CHECK_TOO_DEEP,
} CheckResult;

typedef struct
{
  const char *p;
  const char *end;
} Cursor;

static void
skip_whitespace (Cursor *c)
{
  while (c->p < c->end &&
         (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
    c->p++;
}

static int
hex_value (char ch)
{
  if (ch >= '0' && ch <= '9')
    return ch - '0';
  if (ch >= 'a' && ch <= 'f')
    return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F')
    return ch - 'A' + 10;
  return -1;
}

/* After "\u": four hex digits. */
static CheckResult
check_unicode_escape (Cursor  *c,
                      guint   *unit)
{
  *unit = 0;

  for (guint i = 0; i < 4; i++)
    {
      int v;

      if (c->p >= c->end)
        return CHECK_TRUNCATED;
      v = hex_value (*c->p);
      if (v < 0)
        return CHECK_INVALID;
      *unit = (*unit << 4) | (guint) v;
      c->p++;
    }

  return CHECK_OK;
}

/* Expects @literal at the cursor. */
static CheckResult
check_chars (Cursor     *c,
             const char *literal)
{
  for (; *literal != '\0'; literal++)
    {
      if (c->p >= c->end)
        return CHECK_TRUNCATED;
      if (*c->p != *literal)
        return CHECK_INVALID;
      c->p++;
    }

  return CHECK_OK;
}

/* At the opening quote. */
static CheckResult
check_string (Cursor *c)
{
  c->p++;

  while (c->p < c->end)
    {
      guchar ch = (guchar) *c->p;
      CheckResult res;
      guint unit;

      if (ch == '"')
        {
          c->p++;
          return CHECK_OK;
        }

      if (ch < 0x20)
        return CHECK_INVALID;

      if (ch != '\\')
        {
          c->p++;
          continue;
        }

      c->p++;
      if (c->p >= c->end)
        return CHECK_TRUNCATED;

      if (*c->p != '\0' && strchr ("\"\\/bfnrt", *c->p) != NULL)
        {
          c->p++;
          continue;
        }

      if (*c->p != 'u')
        return CHECK_INVALID;
      c->p++;

      if ((res = check_unicode_escape (c, &unit)) != CHECK_OK)
        return res;

      /* json-glib reads on after a surrogate: only whole pairs are safe. */
      if (unit >= 0xdc00 && unit <= 0xdfff)
        return CHECK_INVALID;
      if (unit >= 0xd800 && unit <= 0xdbff)
        {
          if ((res = check_chars (c, "\\u")) != CHECK_OK)
            return res;
          if ((res = check_unicode_escape (c, &unit)) != CHECK_OK)
            return res;
          if (unit < 0xdc00 || unit > 0xdfff)
            return CHECK_INVALID;
        }
    }

  return CHECK_TRUNCATED;
}

static CheckResult
check_digits (Cursor *c)
{
  if (c->p >= c->end)
    return CHECK_TRUNCATED;
  if (!g_ascii_isdigit (*c->p))
    return CHECK_INVALID;
  while (c->p < c->end && g_ascii_isdigit (*c->p))
    c->p++;

  return CHECK_OK;
}

static CheckResult
check_number (Cursor *c)
{
  CheckResult res;

  if (*c->p == '-')
    c->p++;

  if (c->p >= c->end)
    return CHECK_TRUNCATED;
  if (*c->p == '0')
    c->p++;
  else if ((res = check_digits (c)) != CHECK_OK)
    return res;

  if (c->p < c->end && *c->p == '.')
    {
      c->p++;
      if ((res = check_digits (c)) != CHECK_OK)
        return res;
    }

  if (c->p < c->end && (*c->p == 'e' || *c->p == 'E'))
    {
      c->p++;
      if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
        c->p++;
      if ((res = check_digits (c)) != CHECK_OK)
        return res;
    }

  return CHECK_OK;
}

static CheckResult
check_scalar (Cursor *c)
{
  switch (*c->p)
    {
    case '"':
      return check_string (c);
    case 't':
      return check_chars (c, "true");
    case 'f':
      return check_chars (c, "false");
    case 'n':
      return check_chars (c, "null");
    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return check_number (c);
    default:
      return CHECK_INVALID;
    }
}

/* Iterative: the stack of open containers is bounded by @max_depth.
 * On failure *@error_at points at the offending byte. */
static CheckResult
check_syntax (const char  *data,
              gsize        length,
              guint        max_depth,
              const char **error_at)
{
  enum { VALUE, KEY, AFTER_VALUE } state = VALUE;
  g_autofree char *stack = g_malloc (max_depth + 1);
  Cursor c = { data, data + length };
  guint depth = 0;
  CheckResult res = CHECK_OK;

  for (;;)
    {
      skip_whitespace (&c);

      if (state == AFTER_VALUE && depth == 0)
        {
          res = c.p == c.end ? CHECK_OK : CHECK_INVALID;
          break;
        }

      if (c.p >= c.end)
        {
          res = CHECK_TRUNCATED;
          break;
        }

      if (state == KEY)
        {
          if (*c.p != '"')
            {
              res = CHECK_INVALID;
              break;
            }
          if ((res = check_string (&c)) != CHECK_OK)
            break;
          skip_whitespace (&c);
          if ((res = check_chars (&c, ":")) != CHECK_OK)
            break;
          state = VALUE;
        }
      else if (state == AFTER_VALUE)
        {
          char top = stack[depth - 1];

          if (*c.p == ',')
            {
              c.p++;
              state = top == '{' ? KEY : VALUE;
            }
          else if ((*c.p == ']' && top == '[') || (*c.p == '}' && top == '{'))
            {
              c.p++;
              depth--;
            }
          else
            {
              res = CHECK_INVALID;
              break;
            }
        }
      else if (*c.p == '[' || *c.p == '{')
        {
          char close = *c.p == '[' ? ']' : '}';

          if (depth >= max_depth)
            {
              res = CHECK_TOO_DEEP;
              break;
            }
          stack[depth++] = *c.p;
          c.p++;
          skip_whitespace (&c);
          if (c.p < c.end && *c.p == close)
            {
              c.p++;
              depth--;
              state = AFTER_VALUE;
            }
          else
            {
              state = close == '}' ? KEY : VALUE;
            }
        }
      else
        {
          if ((res = check_scalar (&c)) != CHECK_OK)
            break;
          state = AFTER_VALUE;
        }
    }

  *error_at = c.p;

  return res;
}

/* }}} */
/* {{{ Parsing */

static void
set_invalid_error (GError     **error,
                   const char  *data,
                   const char  *error_at)
{
  guint line = 1;
  const char *line_start = data;

  for (const char *p = data; p < error_at; p++)
    {
      if (*p == '\n')
        {
          line++;
          line_start = p + 1;
        }
    }

  g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_PARSE,
               "The server's answer is not valid JSON (line %u, column %ld)",
               line, g_utf8_pointer_to_offset (line_start, error_at) + 1);
}

JsonNode *
_atelier_json_parse (const char  *data,
                     gsize        length,
                     GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *error_at = NULL;
  gboolean blank = TRUE;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length > ATELIER_JSON_MAX_BYTES)
    {
      g_autofree char *size = g_format_size (length);

      g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_PARSE,
                   "The server's answer is too large (%s)", size);
      return NULL;
    }

  for (gsize i = 0; i < length && blank; i++)
    blank = g_ascii_isspace (data[i]);
  if (blank)
    {
      g_set_error_literal (error, ATELIER_API_ERROR, ATELIER_API_ERROR_PARSE,
                           "The server's answer is empty");
      return NULL;
    }

  if (!g_utf8_validate_len (data, length, NULL))
    {
      g_set_error_literal (error, ATELIER_API_ERROR, ATELIER_API_ERROR_PARSE,
                           "The server's answer is not valid UTF-8 text");
      return NULL;
    }

  if (_atelier_json_nesting_depth (data, length, ATELIER_JSON_MAX_DEPTH) > ATELIER_JSON_MAX_DEPTH)
    {
      g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_PARSE,
                   "The server's answer is nested too deeply (more than %d levels)",
                   ATELIER_JSON_MAX_DEPTH);
      return NULL;
    }

  switch (check_syntax (data, length, ATELIER_JSON_MAX_DEPTH, &error_at))
    {
    case CHECK_OK:
      break;

    case CHECK_TRUNCATED:
      g_set_error_literal (error, ATELIER_API_ERROR, ATELIER_API_ERROR_PARSE,
                           "The server's answer was cut off");
      return NULL;

    case CHECK_TOO_DEEP:
      g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_PARSE,
                   "The server's answer is nested too deeply (more than %d levels)",
                   ATELIER_JSON_MAX_DEPTH);
      return NULL;

    case CHECK_INVALID:
    default:
      set_invalid_error (error, data, error_at);
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error) ||
      json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_PARSE,
                   "The server's answer is not valid JSON (%s)",
                   local_error != NULL ? local_error->message : "no value");
      return NULL;
    }

  return json_parser_steal_root (parser);
}

JsonNode *
_atelier_json_parse_bytes (GBytes  *bytes,
                           GError **error)
{
  gconstpointer data = NULL;
  gsize length = 0;

  if (bytes != NULL)
    data = g_bytes_get_data (bytes, &length);

  return _atelier_json_parse (data, length, error);
}

char *
_atelier_json_to_string (JsonNode *node,
                         gboolean  pretty)
{
  if (node == NULL)
    return g_strdup ("null");

  return json_to_string (node, pretty);
}

GBytes *
_atelier_json_to_bytes (JsonNode *node)
{
  char *text = _atelier_json_to_string (node, FALSE);

  return g_bytes_new_take (text, strlen (text));
}

/* }}} */
/* {{{ Tolerant readers */

static JsonNode *
get_member (JsonObject *object,
            const char *member)
{
  JsonNode *node;

  if (object == NULL || member == NULL)
    return NULL;

  node = json_object_get_member (object, member);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return node;
}

static GType
value_type (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return G_TYPE_INVALID;

  return json_node_get_value_type (node);
}

/* "12", "-3", "7.5", but not "", " 1", "1x" or "nan". */
static gboolean
parse_number_string (const char *str,
                     double     *out)
{
  char *end = NULL;
  double v;

  if (str == NULL || *str == '\0' || g_ascii_isspace (*str))
    return FALSE;

  v = g_ascii_strtod (str, &end);
  if (end == str || *end != '\0' || !isfinite (v))
    return FALSE;

  *out = v;
  return TRUE;
}

gboolean
_atelier_json_node_get_double (JsonNode *node,
                               double   *out)
{
  GType type = value_type (node);
  double v;

  if (type == G_TYPE_INT64)
    v = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    v = json_node_get_double (node);
  else if (type == G_TYPE_STRING)
    {
      if (!parse_number_string (json_node_get_string (node), &v))
        return FALSE;
    }
  else
    return FALSE;

  if (!isfinite (v))
    return FALSE;

  *out = v;
  return TRUE;
}

gboolean
_atelier_json_node_get_int (JsonNode *node,
                            gint64   *out)
{
  GType type = value_type (node);
  double v;

  if (type == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
      return TRUE;
    }

  if (type == G_TYPE_STRING)
    {
      const char *str = json_node_get_string (node);
      gint64 i;

      if (str != NULL &&
          g_ascii_string_to_signed (str, 10, G_MININT64, G_MAXINT64, &i, NULL))
        {
          *out = i;
          return TRUE;
        }
    }

  /* Integral doubles (12.0, "12.0") only, within the range of gint64. */
  if (!_atelier_json_node_get_double (node, &v) ||
      v != floor (v) || v < -9.2e18 || v > 9.2e18)
    return FALSE;

  *out = (gint64) v;
  return TRUE;
}

gboolean
_atelier_json_node_get_boolean (JsonNode *node,
                                gboolean *out)
{
  GType type = value_type (node);

  if (type == G_TYPE_BOOLEAN)
    {
      *out = json_node_get_boolean (node);
      return TRUE;
    }

  if (type == G_TYPE_INT64)
    {
      gint64 i = json_node_get_int (node);

      if (i != 0 && i != 1)
        return FALSE;
      *out = i == 1;
      return TRUE;
    }

  if (type == G_TYPE_STRING)
    {
      const char *str = json_node_get_string (node);

      if (g_ascii_strcasecmp (str, "true") == 0)
        *out = TRUE;
      else if (g_ascii_strcasecmp (str, "false") == 0)
        *out = FALSE;
      else
        return FALSE;
      return TRUE;
    }

  return FALSE;
}

const char *
_atelier_json_get_string (JsonObject *object,
                          const char *member)
{
  JsonNode *node = get_member (object, member);

  if (value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

gint64
_atelier_json_get_int (JsonObject *object,
                       const char *member,
                       gint64      default_value)
{
  gint64 v = default_value;

  _atelier_json_node_get_int (get_member (object, member), &v);

  return v;
}

double
_atelier_json_get_double (JsonObject *object,
                          const char *member,
                          double      default_value)
{
  double v = default_value;

  _atelier_json_node_get_double (get_member (object, member), &v);

  return v;
}

gboolean
_atelier_json_get_boolean (JsonObject *object,
                           const char *member,
                           gboolean    default_value)
{
  gboolean v = default_value;

  _atelier_json_node_get_boolean (get_member (object, member), &v);

  return v;
}

int
_atelier_json_get_tristate (JsonObject *object,
                            const char *member)
{
  gboolean v;

  if (!_atelier_json_node_get_boolean (get_member (object, member), &v))
    return -1;

  return v ? 1 : 0;
}

GDateTime *
_atelier_json_get_date_time (JsonObject *object,
                             const char *member)
{
  g_autoptr(GTimeZone) utc = NULL;
  const char *str = _atelier_json_get_string (object, member);

  if (str == NULL || *str == '\0')
    return NULL;

  /* Times without a zone are taken as UTC. */
  utc = g_time_zone_new_utc ();

  return g_date_time_new_from_iso8601 (str, utc);
}

GStrv
_atelier_json_get_string_array (JsonObject *object,
                                const char *member)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array = _atelier_json_get_array (object, member);
  guint n = array != NULL ? json_array_get_length (array) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (value_type (element) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (element));
    }

  return g_strv_builder_end (builder);
}

JsonObject *
_atelier_json_get_object (JsonObject *object,
                          const char *member)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_node_get_object (node);
}

JsonArray *
_atelier_json_get_array (JsonObject *object,
                         const char *member)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  return json_node_get_array (node);
}

/* }}} */
/* {{{ Models */

JsonObject *
_atelier_json_model_object (JsonNode    *node,
                            const char  *what,
                            gint64      *id,
                            GError     **error)
{
  JsonObject *object;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_PARSE,
                   "The server's answer is not a %s", what);
      return NULL;
    }

  object = json_node_get_object (node);

  if (id != NULL)
    {
      *id = _atelier_json_get_int (object, "id", 0);
      if (*id <= 0)
        {
          g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_PARSE,
                       "The %s in the server's answer has no id", what);
          return NULL;
        }
    }

  return object;
}

GPtrArray *
_atelier_json_list_from_array (JsonNode              *node,
                               AtelierJsonParseFunc   parse,
                               GError               **error)
{
  g_autoptr(GPtrArray) list = NULL;
  JsonArray *array;
  guint n;

  g_return_val_if_fail (parse != NULL, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error_literal (error, ATELIER_API_ERROR, ATELIER_API_ERROR_PARSE,
                           "The server's answer is not a list");
      return NULL;
    }

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  list = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) local_error = NULL;
      gpointer item = parse (json_array_get_element (array, i), &local_error);

      if (item != NULL)
        g_ptr_array_add (list, item);
      else
        g_debug ("Skipping element %u of a list: %s", i, local_error->message);
    }

  return g_steal_pointer (&list);
}

/* }}} */

void
_atelier_json_builder_add_string (JsonBuilder *builder,
                                  const char  *value)
{
  g_autofree char *valid = NULL;

  if (value != NULL && !g_utf8_validate (value, -1, NULL))
    value = valid = g_utf8_make_valid (value, -1);

  json_builder_add_string_value (builder, value);
}

void
_atelier_json_builder_set_member (JsonBuilder *builder,
                                  const char  *name)
{
  g_autofree char *valid = NULL;

  if (!g_utf8_validate (name, -1, NULL))
    name = valid = g_utf8_make_valid (name, -1);

  json_builder_set_member_name (builder, name);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GStrv
_atelier_dup_sorted_keys (GHashTable *table)
{
  g_autoptr(GPtrArray) keys = NULL;
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (table != NULL, NULL);

  /* Reserved space: an empty null-terminated array may have no pdata. */
  keys = g_ptr_array_new_null_terminated (g_hash_table_size (table) + 1, g_free, TRUE);
  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, g_strdup (key));

  g_ptr_array_sort (keys, compare_strings);

  return (GStrv) g_ptr_array_steal (keys, NULL);
}

/* }}} */
