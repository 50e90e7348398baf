/* atelier-params.c: a validated bag of API parameters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "atelier-form.h"
#include "atelier-json-private.h"
#include "atelier-params.h"

typedef struct
{
  const AtelierParamSpec *spec;
  union
  {
    char     *s;
    gint64    i;
    double    d;
    gboolean  b;
    GFile    *file;
  } v;
} ParamValue;

typedef struct
{
  GHashTable *values;  /* (owned) spec name → ParamValue */
} AtelierParamsPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (AtelierParams, atelier_params, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *type_names[] = {
  [ATELIER_PARAM_STRING] = "string",
  [ATELIER_PARAM_INT] = "integer",
  [ATELIER_PARAM_DOUBLE] = "number",
  [ATELIER_PARAM_BOOLEAN] = "boolean",
  [ATELIER_PARAM_FILE] = "file",
};

static void
param_value_free (ParamValue *value)
{
  if (value->spec->type == ATELIER_PARAM_STRING)
    g_free (value->v.s);
  else if (value->spec->type == ATELIER_PARAM_FILE)
    g_clear_object (&value->v.file);

  g_free (value);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParamValue, param_value_free)

static gboolean
param_value_equal (const ParamValue *a,
                   const ParamValue *b)
{
  switch (a->spec->type)
    {
    case ATELIER_PARAM_STRING:
      return g_strcmp0 (a->v.s, b->v.s) == 0;
    case ATELIER_PARAM_INT:
      return a->v.i == b->v.i;
    case ATELIER_PARAM_DOUBLE:
      return a->v.d == b->v.d || (isnan (a->v.d) && isnan (b->v.d));
    case ATELIER_PARAM_BOOLEAN:
      return !a->v.b == !b->v.b;
    case ATELIER_PARAM_FILE:
      return g_file_equal (a->v.file, b->v.file);
    default:
      g_assert_not_reached ();
    }
}

/* "%.15g" with a '.' whatever the locale: 7.5, 0.1, 4294967296. */
static char *
format_double (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.15g", value));
}

static void
atelier_params_finalize (GObject *object)
{
  AtelierParams *self = (AtelierParams *) object;
  AtelierParamsPrivate *priv = atelier_params_get_instance_private (self);

  g_clear_pointer (&priv->values, g_hash_table_unref);

  G_OBJECT_CLASS (atelier_params_parent_class)->finalize (object);
}

static const AtelierParamSpec *
atelier_params_real_get_specs (AtelierParams *self,
                               guint         *n_specs)
{
  *n_specs = 0;
  return NULL;
}

static void
atelier_params_class_init (AtelierParamsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = atelier_params_finalize;

  klass->get_specs = atelier_params_real_get_specs;

  /**
   * AtelierParams::changed:
   * @self: the params
   * @name: the parameter that changed
   *
   * Emitted, with @name as detail, when a value is set, changed or unset.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
atelier_params_init (AtelierParams *self)
{
  AtelierParamsPrivate *priv = atelier_params_get_instance_private (self);

  priv->values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                        (GDestroyNotify) param_value_free);
}

const AtelierParamSpec *
atelier_params_get_specs (AtelierParams *self,
                          guint         *n_specs)
{
  guint n = 0;
  const AtelierParamSpec *specs;

  g_return_val_if_fail (ATELIER_IS_PARAMS (self), NULL);

  specs = ATELIER_PARAMS_GET_CLASS (self)->get_specs (self, &n);
  if (n_specs != NULL)
    *n_specs = n;

  return specs;
}

const AtelierParamSpec *
atelier_params_find_spec (AtelierParams *self,
                          const char    *name)
{
  const AtelierParamSpec *specs;
  guint n_specs;

  g_return_val_if_fail (ATELIER_IS_PARAMS (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  specs = atelier_params_get_specs (self, &n_specs);
  for (guint i = 0; i < n_specs; i++)
    {
      if (g_str_equal (specs[i].name, name))
        return &specs[i];
    }

  return NULL;
}

/* The spec of @name, with a critical when there is none. */
static const AtelierParamSpec *
find_spec_or_warn (AtelierParams *self,
                   const char    *name)
{
  const AtelierParamSpec *spec;

  g_return_val_if_fail (ATELIER_IS_PARAMS (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  spec = atelier_params_find_spec (self, name);
  if (spec == NULL)
    g_critical ("%s has no parameter “%s”", G_OBJECT_TYPE_NAME (self), name);

  return spec;
}

/* The spec of @name, with a critical when there is none or it is not of
 * @type. */
static const AtelierParamSpec *
find_spec_checked (AtelierParams    *self,
                   const char       *name,
                   AtelierParamType  type)
{
  const AtelierParamSpec *spec = find_spec_or_warn (self, name);

  if (spec == NULL)
    return NULL;

  if (spec->type != type)
    {
      g_critical ("Parameter “%s” of %s has type %s, not %s", name,
                  G_OBJECT_TYPE_NAME (self), type_names[spec->type], type_names[type]);
      return NULL;
    }

  return spec;
}

static ParamValue *
lookup_value (AtelierParams *self,
              const char    *name)
{
  AtelierParamsPrivate *priv = atelier_params_get_instance_private (self);

  return g_hash_table_lookup (priv->values, name);
}

static void
emit_changed (AtelierParams          *self,
              const AtelierParamSpec *spec)
{
  g_signal_emit (self, signals[CHANGED], g_quark_from_string (spec->name), spec->name);
}

/* Takes @value; emits ::changed when it differs from the current one. */
static void
store_value (AtelierParams *self,
             ParamValue    *value)
{
  AtelierParamsPrivate *priv = atelier_params_get_instance_private (self);
  g_autoptr(ParamValue) owned = value;
  const AtelierParamSpec *spec = value->spec;
  ParamValue *old = lookup_value (self, spec->name);

  if (old != NULL && param_value_equal (old, value))
    return;

  g_hash_table_replace (priv->values, (gpointer) spec->name, g_steal_pointer (&owned));
  emit_changed (self, spec);
}

/* A new value for @name, or NULL (and a critical) when it has no spec of
 * @type. */
static ParamValue *
param_value_new (AtelierParams    *self,
                 const char       *name,
                 AtelierParamType  type)
{
  const AtelierParamSpec *spec = find_spec_checked (self, name, type);
  ParamValue *value;

  if (spec == NULL)
    return NULL;

  value = g_new0 (ParamValue, 1);
  value->spec = spec;

  return value;
}

void
atelier_params_set_string (AtelierParams *self,
                           const char    *name,
                           const char    *value)
{
  ParamValue *v = param_value_new (self, name, ATELIER_PARAM_STRING);

  if (v == NULL)
    return;

  if (value == NULL)
    {
      param_value_free (v);
      atelier_params_unset (self, name);
      return;
    }

  v->v.s = g_strdup (value);
  store_value (self, v);
}

void
atelier_params_set_int (AtelierParams *self,
                        const char    *name,
                        gint64         value)
{
  ParamValue *v = param_value_new (self, name, ATELIER_PARAM_INT);

  if (v == NULL)
    return;

  v->v.i = value;
  store_value (self, v);
}

void
atelier_params_set_double (AtelierParams *self,
                           const char    *name,
                           double         value)
{
  ParamValue *v = param_value_new (self, name, ATELIER_PARAM_DOUBLE);

  if (v == NULL)
    return;

  v->v.d = value;
  store_value (self, v);
}

void
atelier_params_set_boolean (AtelierParams *self,
                            const char    *name,
                            gboolean       value)
{
  ParamValue *v = param_value_new (self, name, ATELIER_PARAM_BOOLEAN);

  if (v == NULL)
    return;

  v->v.b = !!value;
  store_value (self, v);
}

void
atelier_params_set_file (AtelierParams *self,
                         const char    *name,
                         GFile         *file)
{
  ParamValue *v;

  g_return_if_fail (file == NULL || G_IS_FILE (file));

  if ((v = param_value_new (self, name, ATELIER_PARAM_FILE)) == NULL)
    return;

  if (file == NULL)
    {
      param_value_free (v);
      atelier_params_unset (self, name);
      return;
    }

  v->v.file = g_object_ref (file);
  store_value (self, v);
}

void
atelier_params_unset (AtelierParams *self,
                      const char    *name)
{
  const AtelierParamSpec *spec = find_spec_or_warn (self, name);
  AtelierParamsPrivate *priv;

  if (spec == NULL)
    return;

  priv = atelier_params_get_instance_private (self);
  if (g_hash_table_remove (priv->values, spec->name))
    emit_changed (self, spec);
}

gboolean
atelier_params_has (AtelierParams *self,
                    const char    *name)
{
  g_return_val_if_fail (ATELIER_IS_PARAMS (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  return lookup_value (self, name) != NULL;
}

/* The stored value of @name if it is set and of @type (critical if the
 * spec is of another type). */
static ParamValue *
get_value_checked (AtelierParams    *self,
                   const char       *name,
                   AtelierParamType  type)
{
  if (find_spec_checked (self, name, type) == NULL)
    return NULL;

  return lookup_value (self, name);
}

const char *
atelier_params_get_string (AtelierParams *self,
                           const char    *name)
{
  ParamValue *v = get_value_checked (self, name, ATELIER_PARAM_STRING);

  return v != NULL ? v->v.s : NULL;
}

gint64
atelier_params_get_int (AtelierParams *self,
                        const char    *name)
{
  ParamValue *v = get_value_checked (self, name, ATELIER_PARAM_INT);

  return v != NULL ? v->v.i : 0;
}

double
atelier_params_get_double (AtelierParams *self,
                           const char    *name)
{
  ParamValue *v = get_value_checked (self, name, ATELIER_PARAM_DOUBLE);

  return v != NULL ? v->v.d : 0;
}

gboolean
atelier_params_get_boolean (AtelierParams *self,
                            const char    *name)
{
  ParamValue *v = get_value_checked (self, name, ATELIER_PARAM_BOOLEAN);

  return v != NULL ? v->v.b : FALSE;
}

GFile *
atelier_params_get_file (AtelierParams *self,
                         const char    *name)
{
  ParamValue *v = get_value_checked (self, name, ATELIER_PARAM_FILE);

  return v != NULL ? v->v.file : NULL;
}

void
atelier_params_copy_values (AtelierParams *self,
                            AtelierParams *source)
{
  const AtelierParamSpec *specs;
  guint n_specs;

  g_return_if_fail (ATELIER_IS_PARAMS (self));
  g_return_if_fail (ATELIER_IS_PARAMS (source));
  g_return_if_fail (G_OBJECT_TYPE (self) == G_OBJECT_TYPE (source));

  specs = atelier_params_get_specs (source, &n_specs);
  for (guint i = 0; i < n_specs; i++)
    {
      const ParamValue *value = lookup_value (source, specs[i].name);
      ParamValue *copy;

      if (value == NULL)
        continue;

      copy = g_memdup2 (value, sizeof *value);
      if (copy->spec->type == ATELIER_PARAM_STRING)
        copy->v.s = g_strdup (value->v.s);
      else if (copy->spec->type == ATELIER_PARAM_FILE)
        g_object_ref (copy->v.file);
      store_value (self, copy);
    }
}

/* {{{ Validation */

static AtelierFieldError *
check_range (const AtelierParamSpec *spec,
             double                  value)
{
  g_autofree char *min = NULL;
  g_autofree char *max = NULL;
  g_autofree char *message = NULL;

  if (spec->min > spec->max || (value >= spec->min && value <= spec->max))
    return NULL;

  min = format_double (spec->min);
  if (spec->max >= ATELIER_PARAM_NO_MAX)
    {
      message = g_strdup_printf ("must be at least %s", min);
    }
  else
    {
      max = format_double (spec->max);
      message = g_strdup_printf ("must be between %s and %s", min, max);
    }

  return atelier_field_error_new (spec->name, message);
}

static AtelierFieldError *
check_string (const AtelierParamSpec *spec,
              const char             *value)
{
  g_autofree char *stripped = NULL;
  g_autofree char *choices = NULL;
  g_autofree char *message = NULL;

  if (!g_utf8_validate (value, -1, NULL))
    return atelier_field_error_new (spec->name, "is not valid UTF-8 text");

  stripped = g_strstrip (g_strdup (value));
  if (spec->required && *stripped == '\0')
    return atelier_field_error_new (spec->name, "can't be blank");

  if (spec->choices == NULL || g_strv_contains (spec->choices, value))
    return NULL;

  choices = g_strjoinv (", ", (char **) spec->choices);
  message = g_strdup_printf ("must be one of %s", choices);

  return atelier_field_error_new (spec->name, message);
}

/* NULL when @value (NULL when unset) satisfies @spec. */
static AtelierFieldError *
check_value (const AtelierParamSpec *spec,
             const ParamValue       *value)
{
  if (value == NULL)
    return spec->required ? atelier_field_error_new (spec->name, "is required") : NULL;

  switch (spec->type)
    {
    case ATELIER_PARAM_STRING:
      return check_string (spec, value->v.s);

    case ATELIER_PARAM_INT:
      if (spec->multiple_of > 0 && value->v.i % (gint64) spec->multiple_of != 0)
        {
          g_autofree char *message = g_strdup_printf ("must be a multiple of %u",
                                                      spec->multiple_of);
          return atelier_field_error_new (spec->name, message);
        }
      return check_range (spec, (double) value->v.i);

    case ATELIER_PARAM_DOUBLE:
      if (!isfinite (value->v.d))
        return atelier_field_error_new (spec->name, "must be a number");
      return check_range (spec, value->v.d);

    case ATELIER_PARAM_BOOLEAN:
    case ATELIER_PARAM_FILE:
    default:
      return NULL;
    }
}

static void
set_error_from_field_error (GError                 **error,
                            const AtelierFieldError *field_error)
{
  g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM,
               "%s: %s", field_error->field, field_error->message);
}

/**
 * atelier_params_validate_all:
 * @self: the params
 *
 * Returns: (transfer full) (element-type AtelierFieldError): every error,
 *   spec checks in table order, then the cross-field rules; empty when
 *   the params are valid
 */
GPtrArray *
atelier_params_validate_all (AtelierParams *self)
{
  AtelierParamsClass *klass;
  const AtelierParamSpec *specs;
  GPtrArray *errors;
  guint n_specs;

  g_return_val_if_fail (ATELIER_IS_PARAMS (self), NULL);

  errors = g_ptr_array_new_with_free_func ((GDestroyNotify) atelier_field_error_free);
  specs = atelier_params_get_specs (self, &n_specs);

  for (guint i = 0; i < n_specs; i++)
    {
      AtelierFieldError *field_error = check_value (&specs[i], lookup_value (self, specs[i].name));

      if (field_error != NULL)
        g_ptr_array_add (errors, field_error);
    }

  klass = ATELIER_PARAMS_GET_CLASS (self);
  if (klass->validate_extra != NULL)
    klass->validate_extra (self, errors);

  return errors;
}

gboolean
atelier_params_validate (AtelierParams  *self,
                         GError        **error)
{
  g_autoptr(GPtrArray) errors = NULL;

  g_return_val_if_fail (ATELIER_IS_PARAMS (self), FALSE);

  errors = atelier_params_validate_all (self);
  if (errors->len == 0)
    return TRUE;

  set_error_from_field_error (error, g_ptr_array_index (errors, 0));

  return FALSE;
}

gboolean
atelier_params_validate_param (AtelierParams  *self,
                               const char     *name,
                               GError        **error)
{
  g_autoptr(AtelierFieldError) field_error = NULL;
  const AtelierParamSpec *spec = find_spec_or_warn (self, name);

  if (spec == NULL)
    return FALSE;

  field_error = check_value (spec, lookup_value (self, name));
  if (field_error == NULL)
    return TRUE;

  set_error_from_field_error (error, field_error);

  return FALSE;
}

void
atelier_params_add_error (GPtrArray  *errors,
                          const char *field,
                          const char *message)
{
  g_return_if_fail (errors != NULL);
  g_return_if_fail (field != NULL);
  g_return_if_fail (message != NULL);

  g_ptr_array_add (errors, atelier_field_error_new (field, message));
}

gboolean
atelier_is_http_url (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (url == NULL)
    return FALSE;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  return (g_ascii_strcasecmp (scheme, "http") == 0 ||
          g_ascii_strcasecmp (scheme, "https") == 0) &&
         host != NULL && *host != '\0';
}

void
atelier_params_check_url (AtelierParams *self,
                          const char    *name,
                          GPtrArray     *errors)
{
  const char *url;

  g_return_if_fail (ATELIER_IS_PARAMS (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (errors != NULL);

  url = atelier_params_get_string (self, name);
  if (url != NULL && !atelier_is_http_url (url))
    atelier_params_add_error (errors, name, "must be an http or https URL");
}

/* }}} */
/* {{{ Output */

/**
 * atelier_params_to_form:
 * @self: the params
 * @prefix: (nullable): "prompt" gives "prompt[text]"; %NULL gives "text"
 *
 * Returns: (transfer full) (element-type AtelierFormField): the set values
 */
GPtrArray *
atelier_params_to_form (AtelierParams *self,
                        const char    *prefix)
{
  const AtelierParamSpec *specs;
  GPtrArray *fields;
  guint n_specs;

  g_return_val_if_fail (ATELIER_IS_PARAMS (self), NULL);

  fields = g_ptr_array_new_with_free_func ((GDestroyNotify) atelier_form_field_free);
  specs = atelier_params_get_specs (self, &n_specs);

  for (guint i = 0; i < n_specs; i++)
    {
      const ParamValue *value = lookup_value (self, specs[i].name);
      g_autofree char *name = NULL;
      g_autofree char *text = NULL;

      if (value == NULL)
        continue;

      if (prefix != NULL)
        name = g_strdup_printf ("%s[%s]", prefix, specs[i].name);
      else
        name = g_strdup (specs[i].name);

      switch (specs[i].type)
        {
        case ATELIER_PARAM_STRING:
          text = g_strdup (value->v.s);
          break;
        case ATELIER_PARAM_INT:
          text = g_strdup_printf ("%" G_GINT64_FORMAT, value->v.i);
          break;
        case ATELIER_PARAM_DOUBLE:
          text = format_double (value->v.d);
          break;
        case ATELIER_PARAM_BOOLEAN:
          text = g_strdup (value->v.b ? "true" : "false");
          break;
        case ATELIER_PARAM_FILE:
          g_ptr_array_add (fields, atelier_form_field_new_file (name, value->v.file));
          continue;
        default:
          g_assert_not_reached ();
        }

      g_ptr_array_add (fields, atelier_form_field_new_text (name, text));
    }

  return fields;
}

void
atelier_params_to_json (AtelierParams *self,
                        JsonBuilder   *builder)
{
  const AtelierParamSpec *specs;
  guint n_specs;

  g_return_if_fail (ATELIER_IS_PARAMS (self));
  g_return_if_fail (JSON_IS_BUILDER (builder));

  specs = atelier_params_get_specs (self, &n_specs);

  for (guint i = 0; i < n_specs; i++)
    {
      const ParamValue *value = lookup_value (self, specs[i].name);

      if (value == NULL || specs[i].type == ATELIER_PARAM_FILE)
        continue;

      json_builder_set_member_name (builder, specs[i].name);

      switch (specs[i].type)
        {
        case ATELIER_PARAM_STRING:
          _atelier_json_builder_add_string (builder, value->v.s);
          break;
        case ATELIER_PARAM_INT:
          json_builder_add_int_value (builder, value->v.i);
          break;
        case ATELIER_PARAM_DOUBLE:
          json_builder_add_double_value (builder, value->v.d);
          break;
        case ATELIER_PARAM_BOOLEAN:
          json_builder_add_boolean_value (builder, value->v.b);
          break;
        case ATELIER_PARAM_FILE:
        default:
          g_assert_not_reached ();
        }
    }
}

/* }}} */
