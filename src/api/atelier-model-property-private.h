/* atelier-model-property-private.h: read-only properties from a table
 *
 * The data objects (AtelierTune, AtelierPrompt, AtelierPack) expose some
 * of their fields as read-only GObject properties. Instead of a
 * get_property switch and a param spec per property, each class lists
 * them in one table: a field read at its offset, or a function for the
 * values that are worked out (a tune's "trained").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  ATELIER_MODEL_INT64,      /* gint64 field, from .minimum to G_MAXINT64 */
  ATELIER_MODEL_STRING,     /* char * field */
  ATELIER_MODEL_DATE_TIME,  /* GDateTime * field */
  ATELIER_MODEL_BOOLEAN,    /* with .get only */
  ATELIER_MODEL_UINT,       /* with .get only, 0 to G_MAXUINT */
} AtelierModelValueType;

typedef void (*AtelierModelGetFunc) (GObject *object,
                                     GValue  *value);

typedef struct
{
  const char            *name;
  AtelierModelValueType  type;
  gsize                  offset;   /* G_STRUCT_OFFSET of the field, unless .get */
  gint64                 minimum;  /* ATELIER_MODEL_INT64 only */
  AtelierModelGetFunc    get;      /* (nullable) computes the value */
} AtelierModelProperty;

/* Installs @props[1] … @props[@n_props - 1] as read-only properties with
 * those ids (@props[0] stands for PROP_0 and is skipped), and sets
 * @object_class's get_property to _atelier_model_get_property(). @props
 * must be static. */
void _atelier_model_class_install_properties (GObjectClass               *object_class,
                                              const AtelierModelProperty *props,
                                              guint                       n_props);
/* The get_property of classes that use the above. */
void _atelier_model_get_property             (GObject                    *object,
                                              guint                       prop_id,
                                              GValue                     *value,
                                              GParamSpec                 *pspec);

G_END_DECLS
