/* atelier-model-property-private.h: model fields and properties from tables
 *
 * The data objects (AtelierTune, AtelierPrompt, AtelierPack) are read from
 * the service's JSON objects: each class lists its fields in one table (the
 * member read, its type, where it is stored), which reads and frees them.
 *
 * They and the models (the pager, the library, …) expose some of their
 * state as read-only GObject properties, which their objects notify
 * themselves (G_PARAM_EXPLICIT_NOTIFY). Instead of a get_property switch
 * and a param spec per property, each class lists them in one table: a
 * field read at its offset, or a function for the values that are worked
 * out (a tune's "trained").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  ATELIER_MODEL_INT64,      /* gint64 field; a property from .minimum to G_MAXINT64 */
  ATELIER_MODEL_STRING,     /* char * field */
  ATELIER_MODEL_DATE_TIME,  /* GDateTime * field */
  /* Properties only: */
  ATELIER_MODEL_BOOLEAN,    /* gboolean field */
  ATELIER_MODEL_UINT,       /* guint field, 0 to G_MAXUINT */
  /* Fields only: */
  ATELIER_MODEL_DOUBLE,     /* double field */
  ATELIER_MODEL_TRISTATE,   /* int field: -1 when missing, else 0 or 1 */
  ATELIER_MODEL_STRV,       /* GStrv field of the member's strings, never NULL */
  ATELIER_MODEL_JSON,       /* JsonNode * field: the whole object as received */
} AtelierModelValueType;

/* A field read from the member of the model's JSON object, with the
 * tolerant readers of atelier-json-private.h. */
typedef struct
{
  const char            *member;    /* NULL for ATELIER_MODEL_JSON */
  AtelierModelValueType  type;
  gsize                  offset;    /* G_STRUCT_OFFSET of the field */
  gint64                 fallback;  /* INT64 and DOUBLE: when missing */
} AtelierModelField;

typedef void (*AtelierModelGetFunc) (GObject    *object,
                                     GParamSpec *pspec,
                                     GValue     *value);

typedef struct
{
  const char            *name;
  AtelierModelValueType  type;
  gsize                  offset;         /* G_STRUCT_OFFSET of the field, unless .get */
  gint64                 minimum;        /* ATELIER_MODEL_INT64 only */
  AtelierModelGetFunc    get;            /* (nullable) computes the value */
  gboolean               default_value;  /* ATELIER_MODEL_BOOLEAN only */
} AtelierModelProperty;

/* Installs @props[1] … @props[@n_props - 1] as read-only properties with
 * those ids (@props[0] stands for PROP_0 and is skipped), and sets
 * @object_class's get_property to _atelier_model_get_property(). @props
 * must be static. @pspecs (nullable), of @n_props, gets the param specs,
 * to notify. */
void _atelier_model_class_install_properties (GObjectClass               *object_class,
                                              const AtelierModelProperty *props,
                                              guint                       n_props,
                                              GParamSpec                **pspecs);
/* The get_property of classes that use the above. */
void _atelier_model_get_property             (GObject                    *object,
                                              guint                       prop_id,
                                              GValue                     *value,
                                              GParamSpec                 *pspec);

/* A new @type with @fields read from @node, which must be an object with a
 * positive "id" (its "id" field is one of @fields); else NULL and
 * ATELIER_API_ERROR_PARSE, @what naming the model ("tune"). */
gpointer _atelier_model_new_from_json        (GType                       type,
                                              const char                 *what,
                                              JsonNode                   *node,
                                              const AtelierModelField    *fields,
                                              guint                       n_fields,
                                              GError                    **error);
/* Frees the strings, dates, string arrays and JSON of @fields. */
void     _atelier_model_clear_fields         (gpointer                    instance,
                                              const AtelierModelField    *fields,
                                              guint                       n_fields);

G_END_DECLS
