/* atelier-model-property.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-model-property-private.h"

#define PROPERTY_FLAGS (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

/* Each param spec points back at its table row. */
G_DEFINE_QUARK (atelier-model-property, model_property)

static GParamSpec *
param_spec_new (const AtelierModelProperty *prop)
{
  switch (prop->type)
    {
    case ATELIER_MODEL_INT64:
      return g_param_spec_int64 (prop->name, NULL, NULL, prop->minimum, G_MAXINT64, 0,
                                 PROPERTY_FLAGS);
    case ATELIER_MODEL_STRING:
      return g_param_spec_string (prop->name, NULL, NULL, NULL, PROPERTY_FLAGS);
    case ATELIER_MODEL_DATE_TIME:
      return g_param_spec_boxed (prop->name, NULL, NULL, G_TYPE_DATE_TIME, PROPERTY_FLAGS);
    case ATELIER_MODEL_BOOLEAN:
      return g_param_spec_boolean (prop->name, NULL, NULL, FALSE, PROPERTY_FLAGS);
    case ATELIER_MODEL_UINT:
      return g_param_spec_uint (prop->name, NULL, NULL, 0, G_MAXUINT, 0, PROPERTY_FLAGS);
    default:
      g_assert_not_reached ();
    }
}

void
_atelier_model_class_install_properties (GObjectClass               *object_class,
                                         const AtelierModelProperty *props,
                                         guint                       n_props)
{
  object_class->get_property = _atelier_model_get_property;

  for (guint i = 1; i < n_props; i++)
    {
      GParamSpec *pspec = param_spec_new (&props[i]);

      g_param_spec_set_qdata (pspec, model_property_quark (), (gpointer) &props[i]);
      g_object_class_install_property (object_class, i, pspec);
    }
}

void
_atelier_model_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  const AtelierModelProperty *prop = g_param_spec_get_qdata (pspec, model_property_quark ());
  gpointer field;

  if (prop == NULL)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  if (prop->get != NULL)
    {
      prop->get (object, value);
      return;
    }

  field = G_STRUCT_MEMBER_P (object, prop->offset);
  switch (prop->type)
    {
    case ATELIER_MODEL_INT64:
      g_value_set_int64 (value, *(gint64 *) field);
      break;
    case ATELIER_MODEL_STRING:
      g_value_set_string (value, *(const char **) field);
      break;
    case ATELIER_MODEL_DATE_TIME:
      g_value_set_boxed (value, *(GDateTime **) field);
      break;
    case ATELIER_MODEL_BOOLEAN:
    case ATELIER_MODEL_UINT:
    default:
      g_assert_not_reached ();
    }
}
