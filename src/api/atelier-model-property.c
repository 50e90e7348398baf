/* atelier-model-property.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-json-private.h"
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
      return g_param_spec_boolean (prop->name, NULL, NULL, prop->default_value, PROPERTY_FLAGS);
    case ATELIER_MODEL_UINT:
      return g_param_spec_uint (prop->name, NULL, NULL, 0, G_MAXUINT, 0, PROPERTY_FLAGS);
    default:
      g_assert_not_reached ();
    }
}

void
_atelier_model_class_install_properties (GObjectClass               *object_class,
                                         const AtelierModelProperty *props,
                                         guint                       n_props,
                                         GParamSpec                **pspecs)
{
  object_class->get_property = _atelier_model_get_property;

  for (guint i = 1; i < n_props; i++)
    {
      GParamSpec *pspec = param_spec_new (&props[i]);

      g_param_spec_set_qdata (pspec, model_property_quark (), (gpointer) &props[i]);
      g_object_class_install_property (object_class, i, pspec);
      if (pspecs != NULL)
        pspecs[i] = pspec;
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
      prop->get (object, pspec, value);
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
      g_value_set_boolean (value, *(gboolean *) field);
      break;
    case ATELIER_MODEL_UINT:
      g_value_set_uint (value, *(guint *) field);
      break;
    default:
      g_assert_not_reached ();
    }
}

gpointer
_atelier_model_new_from_json (GType                    type,
                              const char              *what,
                              JsonNode                *node,
                              const AtelierModelField *fields,
                              guint                    n_fields,
                              GError                 **error)
{
  gint64 id;
  JsonObject *object = _atelier_json_model_object (node, what, &id, error);
  gpointer self;

  if (object == NULL)
    return NULL;

  self = g_object_new (type, NULL);
  for (guint i = 0; i < n_fields; i++)
    {
      const AtelierModelField *field = &fields[i];
      gpointer member = G_STRUCT_MEMBER_P (self, field->offset);

      switch (field->type)
        {
        case ATELIER_MODEL_INT64:
          *(gint64 *) member = _atelier_json_get_int (object, field->member, field->fallback);
          break;
        case ATELIER_MODEL_STRING:
          *(char **) member = g_strdup (_atelier_json_get_string (object, field->member));
          break;
        case ATELIER_MODEL_DATE_TIME:
          *(GDateTime **) member = _atelier_json_get_date_time (object, field->member);
          break;
        case ATELIER_MODEL_DOUBLE:
          *(double *) member = _atelier_json_get_double (object, field->member, field->fallback);
          break;
        case ATELIER_MODEL_TRISTATE:
          *(int *) member = _atelier_json_get_tristate (object, field->member);
          break;
        case ATELIER_MODEL_STRV:
          *(GStrv *) member = _atelier_json_get_string_array (object, field->member);
          break;
        case ATELIER_MODEL_JSON:
          *(JsonNode **) member = json_node_copy (node);
          break;
        case ATELIER_MODEL_BOOLEAN:
        case ATELIER_MODEL_UINT:
        default:
          g_assert_not_reached ();
        }
    }

  return self;
}

void
_atelier_model_clear_fields (gpointer                 instance,
                             const AtelierModelField *fields,
                             guint                    n_fields)
{
  for (guint i = 0; i < n_fields; i++)
    {
      gpointer member = G_STRUCT_MEMBER_P (instance, fields[i].offset);

      switch (fields[i].type)
        {
        case ATELIER_MODEL_STRING:
          g_clear_pointer ((char **) member, g_free);
          break;
        case ATELIER_MODEL_DATE_TIME:
          g_clear_pointer ((GDateTime **) member, g_date_time_unref);
          break;
        case ATELIER_MODEL_STRV:
          g_clear_pointer ((GStrv *) member, g_strfreev);
          break;
        case ATELIER_MODEL_JSON:
          g_clear_pointer ((JsonNode **) member, json_node_unref);
          break;
        default:
          break;
        }
    }
}
