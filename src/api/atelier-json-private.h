/* atelier-json-private.h: guarded parsing and tolerant readers
 *
 * json-glib 1.6 (Debian 12) crashes on deeply nested input, so every body
 * the service layer parses goes through _atelier_json_parse(), which refuses
 * bodies over ATELIER_JSON_MAX_BYTES or nested deeper than
 * ATELIER_JSON_MAX_DEPTH before json-glib sees them.
 *
 * The readers accept a NULL object, missing members, JSON null and members
 * of the wrong type, and then return the default.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define ATELIER_JSON_MAX_BYTES (32 * 1024 * 1024)
#define ATELIER_JSON_MAX_DEPTH 64

/* Returns (transfer full) the root node, or NULL with ATELIER_API_ERROR_PARSE. */
JsonNode    *_atelier_json_parse              (const char  *data,
                                               gsize        length,
                                               GError     **error);
JsonNode    *_atelier_json_parse_bytes        (GBytes      *bytes,
                                               GError     **error);

/* Depth of nesting of arrays and objects, strings and escapes respected;
 * stops counting (and returns max + 1) as soon as max is exceeded. */
guint        _atelier_json_nesting_depth      (const char  *data,
                                               gsize        length,
                                               guint        max);

const char  *_atelier_json_get_string         (JsonObject  *object,
                                               const char  *member);
/* Numbers and numeric strings ("12") are accepted. */
gint64       _atelier_json_get_int            (JsonObject  *object,
                                               const char  *member,
                                               gint64       default_value);
double       _atelier_json_get_double         (JsonObject  *object,
                                               const char  *member,
                                               double       default_value);
/* true/false, 0/1 and "true"/"false" are accepted. */
gboolean     _atelier_json_get_boolean        (JsonObject  *object,
                                               const char  *member,
                                               gboolean     default_value);
/* Returns -1 when missing or null, else 0 or 1. */
int          _atelier_json_get_tristate       (JsonObject  *object,
                                               const char  *member);
/* ISO 8601; (transfer full) or NULL. */
GDateTime   *_atelier_json_get_date_time      (JsonObject  *object,
                                               const char  *member);
/* Array members that are strings; (transfer full), never NULL. */
GStrv        _atelier_json_get_string_array   (JsonObject  *object,
                                               const char  *member);
JsonObject  *_atelier_json_get_object         (JsonObject  *object,
                                               const char  *member);
JsonArray   *_atelier_json_get_array          (JsonObject  *object,
                                               const char  *member);

char        *_atelier_json_to_string          (JsonNode    *node,
                                               gboolean     pretty);
/* Compact, as a request or answer body. */
GBytes      *_atelier_json_to_bytes           (JsonNode    *node);

/* One node: FALSE, leaving *@out alone, when @node is NULL, null or of a
 * type that does not convert (the rules of the readers above). */
gboolean     _atelier_json_node_get_int       (JsonNode    *node,
                                               gint64      *out);
gboolean     _atelier_json_node_get_double    (JsonNode    *node,
                                               double      *out);
gboolean     _atelier_json_node_get_boolean   (JsonNode    *node,
                                               gboolean    *out);

/* For the models. Returns the object of @node, or NULL with
 * ATELIER_API_ERROR_PARSE when @node is not an object or, if @id is not
 * NULL, has no positive "id" (number or numeric string). @what names the
 * model in the message ("tune"). */
JsonObject  *_atelier_json_model_object       (JsonNode    *node,
                                               const char  *what,
                                               gint64      *id,
                                               GError     **error);

typedef gpointer (*AtelierJsonParseFunc) (JsonNode  *node,
                                          GError   **error);

/* Calls @parse on each element of the array @node, skipping the elements
 * it refuses. (transfer full) (element-type GObject); NULL with
 * ATELIER_API_ERROR_PARSE when @node is not an array. */
GPtrArray   *_atelier_json_list_from_array    (JsonNode              *node,
                                               AtelierJsonParseFunc   parse,
                                               GError               **error);

/* For writing what was not validated: invalid UTF-8 becomes U+FFFD. */
void         _atelier_json_builder_add_string (JsonBuilder           *builder,
                                               const char            *value);
void         _atelier_json_builder_set_member (JsonBuilder           *builder,
                                               const char            *name);

/* The keys of a table with string keys, sorted; (transfer full), never
 * NULL. */
GStrv        _atelier_dup_sorted_keys         (GHashTable            *table);

G_END_DECLS
