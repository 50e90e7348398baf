/* atelier-pack.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "atelier-json-private.h"
#include "atelier-model-property-private.h"
#include "atelier-pack.h"

#define MILLI_CENTS_PER_CENT 1000

struct _AtelierPack
{
  GObject     parent_instance;

  JsonNode   *json;
  gint64      id;
  gint64      base_tune_id;
  gint64      user_id;
  char       *slug;
  char       *title;
  char       *token;
  char       *model_type;
  double      multiplier;
  GDateTime  *created_at;
  GDateTime  *updated_at;
  GDateTime  *public_at;
  GHashTable *costs;  /* (owned) class name → gint64* milli-cents */
};

G_DEFINE_FINAL_TYPE (AtelierPack, atelier_pack, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_SLUG,
  PROP_TITLE,
  PROP_MODEL_TYPE,
  N_PROPS
};

#define OFFSET(field) G_STRUCT_OFFSET (AtelierPack, field)

static const AtelierModelField pack_fields[] = {
  { NULL, ATELIER_MODEL_JSON, OFFSET (json) },
  { "id", ATELIER_MODEL_INT64, OFFSET (id) },
  { "base_tune_id", ATELIER_MODEL_INT64, OFFSET (base_tune_id), 0 },
  { "user_id", ATELIER_MODEL_INT64, OFFSET (user_id), 0 },
  { "slug", ATELIER_MODEL_STRING, OFFSET (slug) },
  { "title", ATELIER_MODEL_STRING, OFFSET (title) },
  { "token", ATELIER_MODEL_STRING, OFFSET (token) },
  { "model_type", ATELIER_MODEL_STRING, OFFSET (model_type) },
  { "multiplier", ATELIER_MODEL_DOUBLE, OFFSET (multiplier), -1 },
  { "created_at", ATELIER_MODEL_DATE_TIME, OFFSET (created_at) },
  { "updated_at", ATELIER_MODEL_DATE_TIME, OFFSET (updated_at) },
  { "public_at", ATELIER_MODEL_DATE_TIME, OFFSET (public_at) },
};

static void
atelier_pack_finalize (GObject *object)
{
  AtelierPack *self = (AtelierPack *) object;

  _atelier_model_clear_fields (self, pack_fields, G_N_ELEMENTS (pack_fields));
  g_clear_pointer (&self->costs, g_hash_table_unref);

  G_OBJECT_CLASS (atelier_pack_parent_class)->finalize (object);
}

static const AtelierModelProperty pack_properties[N_PROPS] = {
  [PROP_ID] = { "id", ATELIER_MODEL_INT64, OFFSET (id), 0 },
  [PROP_SLUG] = { "slug", ATELIER_MODEL_STRING, OFFSET (slug) },
  [PROP_TITLE] = { "title", ATELIER_MODEL_STRING, OFFSET (title) },
  [PROP_MODEL_TYPE] = { "model-type", ATELIER_MODEL_STRING, OFFSET (model_type) },
};

static void
atelier_pack_class_init (AtelierPackClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = atelier_pack_finalize;
  _atelier_model_class_install_properties (object_class, pack_properties, N_PROPS, NULL);
}

static void
atelier_pack_init (AtelierPack *self)
{
}

/* "cost_mc_hash": class → milli-cents (numbers or numeric strings);
 * other members are skipped. */
static GHashTable *
read_costs (JsonObject *object)
{
  GHashTable *costs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JsonObject *hash = _atelier_json_get_object (object, "cost_mc_hash");
  g_autoptr(GList) members = NULL;

  if (hash != NULL)
    members = json_object_get_members (hash);

  for (const GList *l = members; l != NULL; l = l->next)
    {
      gint64 cost = _atelier_json_get_int (hash, l->data, -1);

      if (cost >= 0)
        g_hash_table_replace (costs, g_strdup (l->data), g_memdup2 (&cost, sizeof cost));
    }

  return costs;
}

/**
 * atelier_pack_new_from_json:
 * @node: a pack object as the API returns it
 * @error: return location for an %ATELIER_API_ERROR_PARSE error
 *
 * Returns: (transfer full) (nullable): the pack, or %NULL when @node is
 *   not an object with a usable "id"
 */
AtelierPack *
atelier_pack_new_from_json (JsonNode  *node,
                            GError   **error)
{
  AtelierPack *self = _atelier_model_new_from_json (ATELIER_TYPE_PACK, "pack", node, pack_fields,
                                                    G_N_ELEMENTS (pack_fields), error);

  if (self != NULL)
    self->costs = read_costs (json_node_get_object (self->json));

  return self;
}

/**
 * atelier_pack_list_from_json:
 * @node: an array of packs
 * @error: return location for an %ATELIER_API_ERROR_PARSE error
 *
 * Returns: (transfer full) (element-type AtelierPack): the packs
 */
GPtrArray *
atelier_pack_list_from_json (JsonNode  *node,
                             GError   **error)
{
  return _atelier_json_list_from_array (node, (AtelierJsonParseFunc) atelier_pack_new_from_json, error);
}

gint64
atelier_pack_get_id (AtelierPack *self)
{
  g_return_val_if_fail (ATELIER_IS_PACK (self), 0);
  return self->id;
}

gint64
atelier_pack_get_base_tune_id (AtelierPack *self)
{
  g_return_val_if_fail (ATELIER_IS_PACK (self), 0);
  return self->base_tune_id;
}

gint64
atelier_pack_get_user_id (AtelierPack *self)
{
  g_return_val_if_fail (ATELIER_IS_PACK (self), 0);
  return self->user_id;
}

const char *
atelier_pack_get_slug (AtelierPack *self)
{
  g_return_val_if_fail (ATELIER_IS_PACK (self), NULL);
  return self->slug;
}

const char *
atelier_pack_get_title (AtelierPack *self)
{
  g_return_val_if_fail (ATELIER_IS_PACK (self), NULL);
  return self->title;
}

const char *
atelier_pack_get_token (AtelierPack *self)
{
  g_return_val_if_fail (ATELIER_IS_PACK (self), NULL);
  return self->token;
}

const char *
atelier_pack_get_model_type (AtelierPack *self)
{
  g_return_val_if_fail (ATELIER_IS_PACK (self), NULL);
  return self->model_type;
}

double
atelier_pack_get_multiplier (AtelierPack *self)
{
  g_return_val_if_fail (ATELIER_IS_PACK (self), -1);
  return self->multiplier;
}

GDateTime *
atelier_pack_get_created_at (AtelierPack *self)
{
  g_return_val_if_fail (ATELIER_IS_PACK (self), NULL);
  return self->created_at;
}

GDateTime *
atelier_pack_get_updated_at (AtelierPack *self)
{
  g_return_val_if_fail (ATELIER_IS_PACK (self), NULL);
  return self->updated_at;
}

GDateTime *
atelier_pack_get_public_at (AtelierPack *self)
{
  g_return_val_if_fail (ATELIER_IS_PACK (self), NULL);
  return self->public_at;
}

GStrv
atelier_pack_dup_cost_classes (AtelierPack *self)
{
  g_return_val_if_fail (ATELIER_IS_PACK (self), NULL);
  return _atelier_dup_sorted_keys (self->costs);
}

gint64
atelier_pack_get_cost_mc (AtelierPack *self,
                          const char  *class_name)
{
  const gint64 *cost;

  g_return_val_if_fail (ATELIER_IS_PACK (self), -1);
  g_return_val_if_fail (class_name != NULL, -1);

  cost = g_hash_table_lookup (self->costs, class_name);

  return cost != NULL ? *cost : -1;
}

/**
 * atelier_pack_get_json:
 * @self: a pack
 *
 * Returns: (transfer none): the object as received; do not modify it
 */
JsonNode *
atelier_pack_get_json (AtelierPack *self)
{
  g_return_val_if_fail (ATELIER_IS_PACK (self), NULL);
  return self->json;
}

/**
 * atelier_format_cost_mc:
 * @milli_cents: an amount in milli-cents (100,000 make a dollar)
 *
 * Formats the amount in dollars, rounded to the nearest cent: 200000 gives
 * "$2.00", 12345 "$0.12". A negative amount means "no cost known" (as
 * atelier_pack_get_cost_mc() returns) and gives "—".
 *
 * Returns: (transfer full): the amount as text, never %NULL
 */
char *
atelier_format_cost_mc (gint64 milli_cents)
{
  gint64 cents;

  if (milli_cents < 0)
    return g_strdup ("—");

  /* Rounds half up without overflowing near G_MAXINT64. */
  cents = milli_cents / MILLI_CENTS_PER_CENT +
          (milli_cents % MILLI_CENTS_PER_CENT >= MILLI_CENTS_PER_CENT / 2 ? 1 : 0);

  return g_strdup_printf ("$%" G_GINT64_FORMAT ".%02d", cents / 100, (int) (cents % 100));
}

/**
 * atelier_pack_dup_display_title:
 * @self: a pack
 *
 * Returns: (transfer full): the title as it is, or "Pack 260" when the
 *   pack has none
 */
char *
atelier_pack_dup_display_title (AtelierPack *self)
{
  const char *title;
  g_autofree char *id = NULL;

  g_return_val_if_fail (ATELIER_IS_PACK (self), NULL);

  title = atelier_pack_get_title (self);
  if (title != NULL && *title != '\0')
    return g_strdup (title);

  id = g_strdup_printf ("%" G_GINT64_FORMAT, atelier_pack_get_id (self));
  /* Translators: a pack without a title; %s is its number */
  return g_strdup_printf (_("Pack %s"), id);
}
