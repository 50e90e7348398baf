/* atelier-inspection.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "atelier-inspection.h"
#include "atelier-json-private.h"

struct _AtelierInspection
{
  GObject     parent_instance;

  JsonNode   *json;
  JsonObject *object;      /* (unowned) of json */
  GHashTable *attributes;  /* (owned) key → value, present strings only */
  GPtrArray  *keys;        /* (owned) keys of attributes in the order received */
};

G_DEFINE_FINAL_TYPE (AtelierInspection, atelier_inspection, G_TYPE_OBJECT)

/* Each warning bit: the member that raises it (NULL for the two that
 * come from the class name) and its short text. */
static const struct
{
  const char                *key;
  AtelierInspectionWarnings  warning;
  const char                *text;
} warnings_info[] = {
  { NULL, ATELIER_INSPECTION_WARNING_NO_CLASS, N_("Could not detect the class") },
  { NULL, ATELIER_INSPECTION_WARNING_OTHER_CLASS, N_("Another class was detected") },
  { "funny_face", ATELIER_INSPECTION_WARNING_FUNNY_FACE, N_("Funny face") },
  { "wearing_sunglasses", ATELIER_INSPECTION_WARNING_SUNGLASSES, N_("Sunglasses") },
  { "wearing_hat", ATELIER_INSPECTION_WARNING_HAT, N_("Hat") },
  { "blurry", ATELIER_INSPECTION_WARNING_BLURRY, N_("Blurry") },
  { "includes_multiple_people", ATELIER_INSPECTION_WARNING_MULTIPLE_PEOPLE, N_("Several people") },
  { "full_body_image_or_longshot", ATELIER_INSPECTION_WARNING_FULL_BODY,
    N_("Full body or long shot") },
  { "selfie", ATELIER_INSPECTION_WARNING_SELFIE, N_("Selfie") },
};

static void
atelier_inspection_finalize (GObject *object)
{
  AtelierInspection *self = (AtelierInspection *) object;

  g_clear_pointer (&self->json, json_node_unref);
  g_clear_pointer (&self->attributes, g_hash_table_unref);
  g_clear_pointer (&self->keys, g_ptr_array_unref);

  G_OBJECT_CLASS (atelier_inspection_parent_class)->finalize (object);
}

static void
atelier_inspection_class_init (AtelierInspectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = atelier_inspection_finalize;
}

static void
atelier_inspection_init (AtelierInspection *self)
{
  self->attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->keys = g_ptr_array_new ();
}

/* The API says "NONE" for absent values, its example says "" (NOTES.md). */
static gboolean
is_present (const char *value)
{
  return value != NULL && *value != '\0' && !g_str_equal (value, "NONE");
}

/**
 * atelier_inspection_new_from_json:
 * @node: the object POST /images/inspect answers
 * @error: return location for an %ATELIER_API_ERROR_PARSE error
 *
 * Returns: (transfer full) (nullable): the inspection, or %NULL when
 *   @node is not an object
 */
AtelierInspection *
atelier_inspection_new_from_json (JsonNode  *node,
                                  GError   **error)
{
  g_autoptr(GList) members = NULL;
  AtelierInspection *self;
  JsonObject *object;

  object = _atelier_json_model_object (node, "inspection", NULL, error);
  if (object == NULL)
    return NULL;

  self = g_object_new (ATELIER_TYPE_INSPECTION, NULL);
  self->json = json_node_copy (node);
  self->object = json_node_get_object (self->json);

  members = json_object_get_members (object);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *value = _atelier_json_get_string (object, l->data);
      char *key;

      if (!is_present (value) || g_hash_table_contains (self->attributes, l->data))
        continue;

      key = g_strdup (l->data);
      g_hash_table_insert (self->attributes, key, g_strdup (value));
      g_ptr_array_add (self->keys, key);
    }

  return self;
}

const char *
atelier_inspection_get_name (AtelierInspection *self)
{
  g_return_val_if_fail (ATELIER_IS_INSPECTION (self), NULL);

  return g_hash_table_lookup (self->attributes, "name");
}

const char *
atelier_inspection_get_attribute (AtelierInspection *self,
                                  const char        *key)
{
  g_return_val_if_fail (ATELIER_IS_INSPECTION (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return g_hash_table_lookup (self->attributes, key);
}

GStrv
atelier_inspection_dup_attribute_keys (AtelierInspection *self)
{
  g_autoptr(GHashTable) others = NULL;

  g_return_val_if_fail (ATELIER_IS_INSPECTION (self), NULL);

  others = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < self->keys->len; i++)
    {
      const char *key = g_ptr_array_index (self->keys, i);

      if (!g_str_equal (key, "name"))
        g_hash_table_add (others, (gpointer) key);
    }

  return _atelier_dup_sorted_keys (others);
}

/* true, 1 and "true" count; anything else is false. */
gboolean
atelier_inspection_get_flag (AtelierInspection *self,
                             const char        *key)
{
  g_return_val_if_fail (ATELIER_IS_INSPECTION (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  return _atelier_json_get_boolean (self->object, key, FALSE);
}

static gboolean
same_class (const char *a,
            const char *b)
{
  g_autofree char *fa = g_utf8_casefold (a, -1);
  g_autofree char *fb = g_utf8_casefold (b, -1);

  return g_str_equal (fa, fb);
}

/**
 * atelier_inspection_get_warnings:
 * @self: an inspection
 * @expected_class: (nullable): the class name the user chose ("man")
 *
 * %ATELIER_INSPECTION_WARNING_NO_CLASS when no class was detected,
 * %ATELIER_INSPECTION_WARNING_OTHER_CLASS when one other than
 * @expected_class was (case-insensitive), and one bit per true flag.
 */
AtelierInspectionWarnings
atelier_inspection_get_warnings (AtelierInspection *self,
                                 const char        *expected_class)
{
  AtelierInspectionWarnings warnings = ATELIER_INSPECTION_WARNING_NONE;
  const char *name;

  g_return_val_if_fail (ATELIER_IS_INSPECTION (self), ATELIER_INSPECTION_WARNING_NONE);

  name = atelier_inspection_get_name (self);
  if (name == NULL)
    warnings |= ATELIER_INSPECTION_WARNING_NO_CLASS;
  else if (expected_class != NULL && *expected_class != '\0' &&
           !same_class (name, expected_class))
    warnings |= ATELIER_INSPECTION_WARNING_OTHER_CLASS;

  for (guint i = 0; i < G_N_ELEMENTS (warnings_info); i++)
    {
      if (warnings_info[i].key != NULL &&
          atelier_inspection_get_flag (self, warnings_info[i].key))
        warnings |= warnings_info[i].warning;
    }

  return warnings;
}

/**
 * atelier_inspection_warning_describe:
 * @warning: one bit of #AtelierInspectionWarnings
 *
 * Returns: (nullable): a translated short text, or %NULL for
 *   %ATELIER_INSPECTION_WARNING_NONE and combinations of bits
 */
const char *
atelier_inspection_warning_describe (AtelierInspectionWarnings warning)
{
  for (guint i = 0; i < G_N_ELEMENTS (warnings_info); i++)
    {
      if (warnings_info[i].warning == warning)
        return _(warnings_info[i].text);
    }

  return NULL;
}

typedef struct
{
  const char *value;  /* (unowned) */
  guint       count;
} Tally;

/**
 * atelier_inspection_aggregate:
 * @inspections: (element-type AtelierInspection): inspections of the
 *   training images
 *
 * Like the aggregateCharacteristics() example of the API docs: for each
 * string attribute but "name", the value most inspections agree on; on a
 * tie, the one seen first. Absent values ("", "NONE") do not count.
 *
 * Returns: (transfer full) (element-type utf8 utf8): key → value
 */
GHashTable *
atelier_inspection_aggregate (GPtrArray *inspections)
{
  g_autoptr(GHashTable) tallies = NULL;
  GHashTable *result;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (inspections != NULL, NULL);

  /* key → GArray of Tally, in the order values were first seen */
  tallies = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                   (GDestroyNotify) g_array_unref);

  for (guint i = 0; i < inspections->len; i++)
    {
      AtelierInspection *inspection = g_ptr_array_index (inspections, i);

      g_return_val_if_fail (ATELIER_IS_INSPECTION (inspection), NULL);

      for (guint k = 0; k < inspection->keys->len; k++)
        {
          const char *attribute = g_ptr_array_index (inspection->keys, k);
          const char *attribute_value = g_hash_table_lookup (inspection->attributes, attribute);
          GArray *array;
          Tally tally = { attribute_value, 1 };
          gboolean found = FALSE;

          if (g_str_equal (attribute, "name"))
            continue;

          array = g_hash_table_lookup (tallies, attribute);
          if (array == NULL)
            {
              array = g_array_new (FALSE, FALSE, sizeof (Tally));
              g_hash_table_insert (tallies, (gpointer) attribute, array);
            }

          for (guint t = 0; t < array->len && !found; t++)
            {
              Tally *existing = &g_array_index (array, Tally, t);

              if (g_str_equal (existing->value, attribute_value))
                {
                  existing->count++;
                  found = TRUE;
                }
            }

          if (!found)
            g_array_append_val (array, tally);
        }
    }

  result = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_hash_table_iter_init (&iter, tallies);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GArray *array = value;
      const Tally *best = &g_array_index (array, Tally, 0);

      for (guint t = 1; t < array->len; t++)
        {
          const Tally *tally = &g_array_index (array, Tally, t);

          if (tally->count > best->count)
            best = tally;
        }

      g_hash_table_insert (result, g_strdup (key), g_strdup (best->value));
    }

  return result;
}
