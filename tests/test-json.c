/* test-json.c: guarded parsing and tolerant readers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atelier-api-error.h"
#include "atelier-json-private.h"

/* {{{ Helpers */

static JsonNode *
parse_ok (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  node = _atelier_json_parse (json, strlen (json), &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);

  return node;
}

/* Parses @data, expects PARSE and returns the message. */
static char *
parse_error (const char *data,
             gsize       length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = _atelier_json_parse (data, length, &error);
  g_assert_null (node);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_PARSE);

  return g_strdup (error->message);
}

static char *
parse_error_str (const char *json)
{
  return parse_error (json, strlen (json));
}

/* @open repeated @n times, then @middle, then @close @n times. */
static char *
make_nested (const char *open,
             guint       n,
             const char *middle,
             const char *close)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (s, open);
  g_string_append (s, middle);
  for (guint i = 0; i < n; i++)
    g_string_append (s, close);

  return g_string_free (s, FALSE);
}

static JsonObject *
object_of (JsonNode *node)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

/* }}} */
/* {{{ Depth */

static void
test_depth_count (void)
{
  static const struct { const char *json; guint depth; } cases[] = {
    { "", 0 },
    { "12", 0 },
    { "[]", 1 },
    { "{}", 1 },
    { "[[]]", 2 },
    { "{\"a\": [1, {\"b\": 2}], \"c\": {}}", 3 },
    { "[][][]", 1 },
    /* Brackets inside strings don't count. */
    { "[\"[[[[\", \"]]]]\", \"{{{\"]", 1 },
    { "{\"a]}\": \"[{\"}", 1 },
    /* Escaped quotes don't end the string... */
    { "[\"\\\"[[[\\\"\"]", 1 },
    /* ...but an escaped backslash before a quote does. */
    { "[\"\\\\\", [[]]]", 3 },
    /* Unbalanced closers never go below zero. */
    { "]]]][", 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].json);
      g_assert_cmpuint (_atelier_json_nesting_depth (cases[i].json, strlen (cases[i].json), 64),
                        ==, cases[i].depth);
    }
}

static void
test_depth_stops_early (void)
{
  g_autofree char *deep = make_nested ("[", 100, "", "]");

  g_assert_cmpuint (_atelier_json_nesting_depth (deep, strlen (deep), 10), ==, 11);
  g_assert_cmpuint (_atelier_json_nesting_depth (deep, strlen (deep), 100), ==, 100);
  /* Only the given length is read. */
  g_assert_cmpuint (_atelier_json_nesting_depth (deep, 5, 100), ==, 5);
}

static void
test_depth_limit (void)
{
  g_autofree char *ok = make_nested ("[", ATELIER_JSON_MAX_DEPTH, "1", "]");
  g_autofree char *ok_objects = make_nested ("{\"a\":", ATELIER_JSON_MAX_DEPTH - 1, "{}", "}");
  g_autofree char *too_deep = make_nested ("[", ATELIER_JSON_MAX_DEPTH + 1, "1", "]");
  g_autofree char *too_deep_objects = make_nested ("{\"a\":", ATELIER_JSON_MAX_DEPTH, "{}", "}");
  g_autofree char *message = NULL;
  g_autofree char *message_objects = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) node_objects = NULL;

  node = parse_ok (ok);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  node_objects = parse_ok (ok_objects);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node_objects));

  message = parse_error_str (too_deep);
  g_assert_nonnull (strstr (message, "nested too deeply"));
  message_objects = parse_error_str (too_deep_objects);
  g_assert_cmpstr (message_objects, ==, message);
}

static void
test_depth_huge (void)
{
  g_autofree char *closed = make_nested ("[", 100000, "", "]");
  g_autofree char *open = make_nested ("[", 100000, "", "");
  g_autofree char *objects = make_nested ("{\"a\":", 100000, "1", "}");
  g_autofree char *m1 = parse_error_str (closed);
  g_autofree char *m2 = parse_error_str (open);
  g_autofree char *m3 = parse_error_str (objects);

  g_assert_nonnull (strstr (m1, "nested too deeply"));
  g_assert_cmpstr (m2, ==, m1);
  g_assert_cmpstr (m3, ==, m1);
}

/* json-glib takes 'single quotes', "/…/" comments and swallows the
 * character after an incomplete "\u" escape: a body using them to hide
 * closing brackets from a depth count must not reach json-glib. */
static void
test_depth_json_glib_quirks (void)
{
  static const struct { const char *before, *after; } hiding[] = {
    { "'", "'" },
    { "/", "/" },
    { "\"\\u1\"", "\"" },
    { "\"\\uD800\"", "\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (hiding); i++)
    {
      g_autofree char *openers = make_nested ("[", 60, "", "");
      g_autofree char *hidden = make_nested ("", 60, hiding[i].before, "]");
      g_autofree char *unit = g_strconcat (openers, hidden, hiding[i].after, NULL);
      g_autoptr(GString) body = g_string_new (NULL);
      g_autofree char *message = NULL;

      /* Enough rounds that json-glib would see 60 × 2000 levels. */
      for (guint r = 0; r < 2000; r++)
        g_string_append (body, unit);

      g_test_message ("hiding with %s…%s", hiding[i].before, hiding[i].after);
      message = parse_error (body->str, body->len);
      g_assert_true (g_str_has_prefix (message, "The server's answer"));
    }
}

static void
test_strict_syntax (void)
{
  static const char *refused[] = {
    "{'a': 1}",
    "{\"a\": /* comment */ 1}",
    "[1, 2,]",
    "{\"a\": 1,}",
    "[01]",
    "[1.]",
    "[.5]",
    "[+1]",
    "[0x10]",
    "[\"\\x41\"]",
    "[\"\\uD800\"]",
    "[\"\\uDC00\\uD800\"]",
    "[\"a\tb\"]",
    "[nan]",
    "[True]",
    "{\"a\" 1}",
    "{1: 2}",
    "[1 2]",
    "{} {}",
  };
  static const char *accepted[] = {
    "0", "-0", "-12.5e+3", "1E5", "\"\"", "true", "null",
    " [ 1 , { \"a\" : [ ] } ] \n",
    "[\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uD83D\\uDE00\"]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *message = NULL;

      g_test_message ("refused: %s", refused[i]);
      message = parse_error_str (refused[i]);
      g_assert_true (g_str_has_prefix (message, "The server's answer is not valid JSON (line 1, column "));
    }

  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autoptr(JsonNode) node = NULL;

      g_test_message ("accepted: %s", accepted[i]);
      node = parse_ok (accepted[i]);
    }
}

static void
test_escapes_decoded (void)
{
  g_autoptr(JsonNode) node = parse_ok ("{\"s\": \"caf\\u00e9 \\uD83D\\uDE00 \\\"q\\\" [\"}");

  g_assert_cmpstr (_atelier_json_get_string (object_of (node), "s"), ==,
                   "café \xF0\x9F\x98\x80 \"q\" [");
}

/* }}} */
/* {{{ Bodies */

static void
test_size_limit (void)
{
  gsize length = ATELIER_JSON_MAX_BYTES + 1;
  g_autofree char *big = g_malloc (length);
  g_autofree char *message = NULL;

  memset (big, ' ', length);
  big[0] = '[';
  big[length - 1] = ']';

  message = parse_error (big, length);
  g_assert_true (g_str_has_prefix (message, "The server's answer is too large"));
}

static void
test_empty (void)
{
  g_autofree char *m1 = parse_error ("", 0);
  g_autofree char *m2 = parse_error (NULL, 0);
  g_autofree char *m3 = parse_error_str (" \n\t ");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_assert_cmpstr (m1, ==, "The server's answer is empty");
  g_assert_cmpstr (m2, ==, m1);
  g_assert_cmpstr (m3, ==, m1);

  node = _atelier_json_parse_bytes (NULL, &error);
  g_assert_null (node);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, m1);
}

static void
test_truncated (void)
{
  static const char *cut[] = {
    "{\"a\": 1",
    "{\"a\": 1,",
    "{\"a\":",
    "{\"a\"",
    "{\"a",
    "[1, 2",
    "[\"abc",
    "[\"abc\\",
    "[\"\\u00",
    "[\"\\uD83D\\uDE",
    "{\"a\": tru",
    "[-",
    "[1.",
    "[1e",
    "{",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cut); i++)
    {
      g_autofree char *message = NULL;

      g_test_message ("%s", cut[i]);
      message = parse_error_str (cut[i]);
      g_assert_cmpstr (message, ==, "The server's answer was cut off");
    }
}

static void
test_malformed (void)
{
  g_autofree char *m1 = parse_error_str ("{\"a\": x}");
  g_autofree char *m2 = parse_error_str ("{\n  \"a\": 1,\n  \"b\" 2\n}");
  g_autofree char *m3 = parse_error_str ("<html>Bad gateway</html>");
  g_autofree char *m4 = parse_error_str ("{\"é\": 1} x");
  g_autofree char *m5 = parse_error ("{\"a\": 1}\0", 9);

  g_assert_cmpstr (m1, ==, "The server's answer is not valid JSON (line 1, column 7)");
  g_assert_cmpstr (m2, ==, "The server's answer is not valid JSON (line 3, column 7)");
  g_assert_cmpstr (m3, ==, "The server's answer is not valid JSON (line 1, column 1)");
  /* Columns count characters. */
  g_assert_cmpstr (m4, ==, "The server's answer is not valid JSON (line 1, column 10)");
  g_assert_cmpstr (m5, ==, "The server's answer is not valid UTF-8 text");
}

static void
test_invalid_utf8 (void)
{
  g_autofree char *message = parse_error_str ("[\"\xff\xfe\"]");

  g_assert_cmpstr (message, ==, "The server's answer is not valid UTF-8 text");
}

static void
test_distinct_messages (void)
{
  g_autofree char *empty = parse_error_str ("");
  g_autofree char *cut = parse_error_str ("[1");
  g_autofree char *bad = parse_error_str ("[1}");

  g_assert_cmpstr (empty, !=, cut);
  g_assert_cmpstr (empty, !=, bad);
  g_assert_cmpstr (cut, !=, bad);
}

static void
test_parse_values (void)
{
  static const char body[] = "[1, \"two\", {\"three\": 3}]";
  g_autoptr(GBytes) bytes = g_bytes_new_static (body, strlen (body));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) scalar = parse_ok ("42");
  g_autofree char *text = NULL;
  g_autofree char *null_text = _atelier_json_to_string (NULL, FALSE);

  node = _atelier_json_parse_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 3);

  text = _atelier_json_to_string (node, FALSE);
  g_assert_cmpstr (text, ==, "[1,\"two\",{\"three\":3}]");
  g_assert_cmpstr (null_text, ==, "null");

  g_assert_cmpint (json_node_get_int (scalar), ==, 42);
}

/* }}} */
/* {{{ Readers */

static const char *reader_json =
  "{"
  "  \"str\": \"hello\", \"null\": null, \"int\": 12, \"neg\": -3,"
  "  \"dbl\": 7.5, \"whole_dbl\": 12.0, \"num_str\": \"12\", \"dbl_str\": \"7.5\","
  "  \"bad_str\": \"12abc\", \"space_str\": \" 12\", \"empty_str\": \"\","
  "  \"t\": true, \"f\": false, \"one\": 1, \"zero\": 0, \"two\": 2,"
  "  \"t_str\": \"true\", \"f_str\": \"FALSE\", \"yes\": \"yes\","
  "  \"obj\": {\"a\": 1}, \"arr\": [\"a\", 1, null, \"b\", {}, [\"c\"], true],"
  "  \"date_z\": \"2023-10-02T14:32:40.363Z\","
  "  \"date_offset\": \"2023-10-02T16:32:40+02:00\","
  "  \"date_local\": \"2023-10-02T14:32:40\","
  "  \"date_bad\": \"yesterday\", \"date_num\": 1696257160"
  "}";

static void
test_readers_strings (void)
{
  g_autoptr(JsonNode) node = parse_ok (reader_json);
  JsonObject *o = object_of (node);

  g_assert_cmpstr (_atelier_json_get_string (o, "str"), ==, "hello");
  g_assert_cmpstr (_atelier_json_get_string (o, "empty_str"), ==, "");
  g_assert_null (_atelier_json_get_string (o, "missing"));
  g_assert_null (_atelier_json_get_string (o, "null"));
  g_assert_null (_atelier_json_get_string (o, "int"));
  g_assert_null (_atelier_json_get_string (o, "obj"));
  g_assert_null (_atelier_json_get_string (o, "arr"));
  g_assert_null (_atelier_json_get_string (NULL, "str"));
}

static void
test_readers_numbers (void)
{
  g_autoptr(JsonNode) node = parse_ok (reader_json);
  JsonObject *o = object_of (node);

  g_assert_cmpint (_atelier_json_get_int (o, "int", -1), ==, 12);
  g_assert_cmpint (_atelier_json_get_int (o, "neg", -1), ==, -3);
  g_assert_cmpint (_atelier_json_get_int (o, "whole_dbl", -1), ==, 12);
  g_assert_cmpint (_atelier_json_get_int (o, "num_str", -1), ==, 12);
  g_assert_cmpint (_atelier_json_get_int (o, "dbl", -1), ==, -1);
  g_assert_cmpint (_atelier_json_get_int (o, "dbl_str", -1), ==, -1);
  g_assert_cmpint (_atelier_json_get_int (o, "bad_str", -1), ==, -1);
  g_assert_cmpint (_atelier_json_get_int (o, "space_str", -1), ==, -1);
  g_assert_cmpint (_atelier_json_get_int (o, "empty_str", -1), ==, -1);
  g_assert_cmpint (_atelier_json_get_int (o, "t", -1), ==, -1);
  g_assert_cmpint (_atelier_json_get_int (o, "null", -1), ==, -1);
  g_assert_cmpint (_atelier_json_get_int (o, "missing", -1), ==, -1);
  g_assert_cmpint (_atelier_json_get_int (o, "obj", -1), ==, -1);
  g_assert_cmpint (_atelier_json_get_int (NULL, "int", 5), ==, 5);

  g_assert_cmpfloat (_atelier_json_get_double (o, "dbl", -1), ==, 7.5);
  g_assert_cmpfloat (_atelier_json_get_double (o, "int", -1), ==, 12);
  g_assert_cmpfloat (_atelier_json_get_double (o, "dbl_str", -1), ==, 7.5);
  g_assert_cmpfloat (_atelier_json_get_double (o, "num_str", -1), ==, 12);
  g_assert_cmpfloat (_atelier_json_get_double (o, "bad_str", -1), ==, -1);
  g_assert_cmpfloat (_atelier_json_get_double (o, "str", -1), ==, -1);
  g_assert_cmpfloat (_atelier_json_get_double (o, "f", -1), ==, -1);
  g_assert_cmpfloat (_atelier_json_get_double (o, "null", -1), ==, -1);
  g_assert_cmpfloat (_atelier_json_get_double (o, "arr", -1), ==, -1);
  g_assert_cmpfloat (_atelier_json_get_double (NULL, "dbl", 2), ==, 2);
}

static void
test_readers_numbers_huge (void)
{
  g_autoptr(JsonNode) node = parse_ok ("{\"inf\": 1e400, \"big\": 1e300, \"big_str\": \"1e400\"}");
  JsonObject *o = object_of (node);

  g_assert_cmpfloat (_atelier_json_get_double (o, "inf", -1), ==, -1);
  g_assert_cmpfloat (_atelier_json_get_double (o, "big_str", -1), ==, -1);
  g_assert_cmpint (_atelier_json_get_int (o, "big", -1), ==, -1);
}

static void
test_readers_booleans (void)
{
  g_autoptr(JsonNode) node = parse_ok (reader_json);
  JsonObject *o = object_of (node);

  g_assert_true (_atelier_json_get_boolean (o, "t", FALSE));
  g_assert_false (_atelier_json_get_boolean (o, "f", TRUE));
  g_assert_true (_atelier_json_get_boolean (o, "one", FALSE));
  g_assert_false (_atelier_json_get_boolean (o, "zero", TRUE));
  g_assert_true (_atelier_json_get_boolean (o, "t_str", FALSE));
  g_assert_false (_atelier_json_get_boolean (o, "f_str", TRUE));
  /* Defaults */
  g_assert_true (_atelier_json_get_boolean (o, "two", TRUE));
  g_assert_false (_atelier_json_get_boolean (o, "two", FALSE));
  g_assert_true (_atelier_json_get_boolean (o, "yes", TRUE));
  g_assert_true (_atelier_json_get_boolean (o, "null", TRUE));
  g_assert_true (_atelier_json_get_boolean (o, "missing", TRUE));
  g_assert_true (_atelier_json_get_boolean (o, "obj", TRUE));
  g_assert_true (_atelier_json_get_boolean (NULL, "t", TRUE));

  g_assert_cmpint (_atelier_json_get_tristate (o, "t"), ==, 1);
  g_assert_cmpint (_atelier_json_get_tristate (o, "f"), ==, 0);
  g_assert_cmpint (_atelier_json_get_tristate (o, "t_str"), ==, 1);
  g_assert_cmpint (_atelier_json_get_tristate (o, "zero"), ==, 0);
  g_assert_cmpint (_atelier_json_get_tristate (o, "null"), ==, -1);
  g_assert_cmpint (_atelier_json_get_tristate (o, "missing"), ==, -1);
  g_assert_cmpint (_atelier_json_get_tristate (o, "yes"), ==, -1);
  g_assert_cmpint (_atelier_json_get_tristate (NULL, "t"), ==, -1);
}

static void
test_readers_dates (void)
{
  g_autoptr(JsonNode) node = parse_ok (reader_json);
  JsonObject *o = object_of (node);
  g_autoptr(GDateTime) z = _atelier_json_get_date_time (o, "date_z");
  g_autoptr(GDateTime) offset = _atelier_json_get_date_time (o, "date_offset");
  g_autoptr(GDateTime) local = _atelier_json_get_date_time (o, "date_local");

  g_assert_nonnull (z);
  g_assert_cmpint (g_date_time_to_unix (z), ==, 1696257160);
  g_assert_cmpint (g_date_time_get_microsecond (z), ==, 363000);
  g_assert_nonnull (offset);
  g_assert_cmpint (g_date_time_to_unix (offset), ==, 1696257160);
  /* No zone: UTC */
  g_assert_nonnull (local);
  g_assert_cmpint (g_date_time_to_unix (local), ==, 1696257160);

  g_assert_null (_atelier_json_get_date_time (o, "date_bad"));
  g_assert_null (_atelier_json_get_date_time (o, "date_num"));
  g_assert_null (_atelier_json_get_date_time (o, "empty_str"));
  g_assert_null (_atelier_json_get_date_time (o, "null"));
  g_assert_null (_atelier_json_get_date_time (o, "missing"));
  g_assert_null (_atelier_json_get_date_time (NULL, "date_z"));
}

static void
test_readers_containers (void)
{
  g_autoptr(JsonNode) node = parse_ok (reader_json);
  JsonObject *o = object_of (node);
  g_auto(GStrv) strings = _atelier_json_get_string_array (o, "arr");
  g_auto(GStrv) not_array = _atelier_json_get_string_array (o, "obj");
  g_auto(GStrv) missing = _atelier_json_get_string_array (o, "missing");
  g_auto(GStrv) no_object = _atelier_json_get_string_array (NULL, "arr");
  const char *expected[] = { "a", "b", NULL };

  g_assert_cmpstrv (strings, expected);
  g_assert_nonnull (not_array);
  g_assert_cmpuint (g_strv_length (not_array), ==, 0);
  g_assert_nonnull (missing);
  g_assert_cmpuint (g_strv_length (missing), ==, 0);
  g_assert_nonnull (no_object);
  g_assert_cmpuint (g_strv_length (no_object), ==, 0);

  g_assert_nonnull (_atelier_json_get_object (o, "obj"));
  g_assert_null (_atelier_json_get_object (o, "arr"));
  g_assert_null (_atelier_json_get_object (o, "null"));
  g_assert_null (_atelier_json_get_object (NULL, "obj"));
  g_assert_nonnull (_atelier_json_get_array (o, "arr"));
  g_assert_null (_atelier_json_get_array (o, "obj"));
  g_assert_null (_atelier_json_get_array (o, "str"));
  g_assert_null (_atelier_json_get_array (NULL, "arr"));
}

static void
test_readers_nodes (void)
{
  g_autoptr(JsonNode) null_node = json_node_new (JSON_NODE_NULL);
  gint64 i = 7;
  double d = 7;
  gboolean b = TRUE;

  g_assert_false (_atelier_json_node_get_int (NULL, &i));
  g_assert_false (_atelier_json_node_get_int (null_node, &i));
  g_assert_false (_atelier_json_node_get_double (null_node, &d));
  g_assert_false (_atelier_json_node_get_boolean (null_node, &b));
  g_assert_cmpint (i, ==, 7);
  g_assert_cmpfloat (d, ==, 7);
  g_assert_true (b);
}

static gpointer
parse_positive (JsonNode  *node,
                GError   **error)
{
  gint64 value = 0;

  if (!_atelier_json_node_get_int (node, &value) || value <= 0)
    {
      g_set_error_literal (error, ATELIER_API_ERROR, ATELIER_API_ERROR_PARSE, "no");
      return NULL;
    }

  return g_object_new (G_TYPE_OBJECT, NULL);
}

static void
test_list_from_array (void)
{
  g_autoptr(JsonNode) array = parse_ok ("[1, \"2\", -1, null, {}, [], 3]");
  g_autoptr(JsonNode) object = parse_ok ("{\"a\": [1]}");
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GError) error = NULL;

  list = _atelier_json_list_from_array (array, parse_positive, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);

  none = _atelier_json_list_from_array (object, parse_positive, &error);
  g_assert_null (none);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_PARSE);
}

static void
test_sorted_keys (void)
{
  g_autoptr(GHashTable) table = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) empty = _atelier_dup_sorted_keys (table);
  g_auto(GStrv) keys = NULL;
  const char *expected[] = { "a", "b", "c", NULL };

  g_assert_nonnull (empty);
  g_assert_null (empty[0]);

  g_hash_table_add (table, (gpointer) "c");
  g_hash_table_add (table, (gpointer) "a");
  g_hash_table_add (table, (gpointer) "b");
  keys = _atelier_dup_sorted_keys (table);
  g_assert_cmpstrv (keys, expected);
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/json/depth/count", test_depth_count);
  g_test_add_func ("/json/depth/stops-early", test_depth_stops_early);
  g_test_add_func ("/json/depth/limit", test_depth_limit);
  g_test_add_func ("/json/depth/huge", test_depth_huge);
  g_test_add_func ("/json/depth/json-glib-quirks", test_depth_json_glib_quirks);
  g_test_add_func ("/json/syntax/strict", test_strict_syntax);
  g_test_add_func ("/json/syntax/escapes", test_escapes_decoded);
  g_test_add_func ("/json/body/size-limit", test_size_limit);
  g_test_add_func ("/json/body/empty", test_empty);
  g_test_add_func ("/json/body/truncated", test_truncated);
  g_test_add_func ("/json/body/malformed", test_malformed);
  g_test_add_func ("/json/body/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/json/body/distinct-messages", test_distinct_messages);
  g_test_add_func ("/json/body/values", test_parse_values);
  g_test_add_func ("/json/readers/strings", test_readers_strings);
  g_test_add_func ("/json/readers/numbers", test_readers_numbers);
  g_test_add_func ("/json/readers/numbers-huge", test_readers_numbers_huge);
  g_test_add_func ("/json/readers/booleans", test_readers_booleans);
  g_test_add_func ("/json/readers/dates", test_readers_dates);
  g_test_add_func ("/json/readers/containers", test_readers_containers);
  g_test_add_func ("/json/readers/nodes", test_readers_nodes);
  g_test_add_func ("/json/list-from-array", test_list_from_array);
  g_test_add_func ("/json/sorted-keys", test_sorted_keys);

  return g_test_run ();
}
