/* atelier-pack.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define ATELIER_TYPE_PACK (atelier_pack_get_type ())
G_DECLARE_FINAL_TYPE (AtelierPack, atelier_pack, ATELIER, PACK, GObject)

AtelierPack  *atelier_pack_new_from_json       (JsonNode     *node,
                                                GError      **error);
GPtrArray    *atelier_pack_list_from_json      (JsonNode     *node,
                                                GError      **error);

gint64        atelier_pack_get_id              (AtelierPack  *self);
gint64        atelier_pack_get_base_tune_id    (AtelierPack  *self); /* 0 when null */
gint64        atelier_pack_get_user_id         (AtelierPack  *self); /* 0 when null */
const char   *atelier_pack_get_slug            (AtelierPack  *self);
const char   *atelier_pack_get_title           (AtelierPack  *self);
const char   *atelier_pack_get_token           (AtelierPack  *self);
const char   *atelier_pack_get_model_type      (AtelierPack  *self);
double        atelier_pack_get_multiplier      (AtelierPack  *self); /* -1 when null */
GDateTime    *atelier_pack_get_created_at      (AtelierPack  *self);
GDateTime    *atelier_pack_get_updated_at      (AtelierPack  *self);
GDateTime    *atelier_pack_get_public_at       (AtelierPack  *self);
/* Class names that have a cost, sorted; never NULL. */
GStrv         atelier_pack_dup_cost_classes    (AtelierPack  *self);
/* Milli-cents, or -1 when the class has no cost. */
gint64        atelier_pack_get_cost_mc         (AtelierPack  *self,
                                                const char   *class_name);
JsonNode     *atelier_pack_get_json            (AtelierPack  *self);
/* The title, or "Pack 260" when it has none. */
char         *atelier_pack_dup_display_title   (AtelierPack  *self);

/* 100,000 milli-cents is $1: 200000 -> "$2.00", 12345 -> "$0.12" (to the
 * nearest cent). Negative (no cost, as get_cost_mc returns) -> "—". */
char         *atelier_format_cost_mc           (gint64        milli_cents);

G_END_DECLS
