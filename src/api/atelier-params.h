/* atelier-params.h: a validated bag of API parameters
 *
 * AtelierParams holds the values of documented parameters, described by a
 * static table of AtelierParamSpec that each subclass provides. Values are
 * checked against their spec (type, range, multiple, enum) and against the
 * subclass's dependency rules before anything is sent; errors name the
 * field as the API spells it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "atelier-api-error.h"

G_BEGIN_DECLS

typedef enum
{
  ATELIER_PARAM_STRING,
  ATELIER_PARAM_INT,
  ATELIER_PARAM_DOUBLE,
  ATELIER_PARAM_BOOLEAN,
  ATELIER_PARAM_FILE,       /* a GFile, sent as a multipart file part */
} AtelierParamType;

/* A max this large means "no upper bound" ("must be at least min"). */
#define ATELIER_PARAM_NO_MAX 9007199254740992.0 /* 2^53 */

typedef struct
{
  const char         *name;        /* API spelling, e.g. "num_images" */
  AtelierParamType    type;
  double              min;         /* INT/DOUBLE inclusive range; ignored when min > max */
  double              max;
  guint               multiple_of; /* INT: 0 for any */
  const char * const *choices;     /* STRING: NULL-terminated enum, NULL for free text */
  gboolean            required;
} AtelierParamSpec;

#define ATELIER_TYPE_PARAMS (atelier_params_get_type ())
G_DECLARE_DERIVABLE_TYPE (AtelierParams, atelier_params, ATELIER, PARAMS, GObject)

struct _AtelierParamsClass
{
  GObjectClass parent_class;

  const AtelierParamSpec *(*get_specs)         (AtelierParams *self,
                                                guint         *n_specs);
  /* Appends AtelierFieldError* for cross-field rules. */
  void                    (*validate_extra)    (AtelierParams *self,
                                                GPtrArray     *errors);
};

const AtelierParamSpec *atelier_params_get_specs      (AtelierParams  *self,
                                                       guint          *n_specs);
const AtelierParamSpec *atelier_params_find_spec      (AtelierParams  *self,
                                                       const char     *name);

/* Setting a name that has no spec, or of another type, is a programmer
 * error (g_critical) and changes nothing. Setting a NULL string or file
 * unsets. Each set or unset that changes the value emits ::changed, with
 * the name as detail and argument ("changed::num_images"). */
void          atelier_params_set_string   (AtelierParams  *self,
                                           const char     *name,
                                           const char     *value);
void          atelier_params_set_int      (AtelierParams  *self,
                                           const char     *name,
                                           gint64          value);
void          atelier_params_set_double   (AtelierParams  *self,
                                           const char     *name,
                                           double          value);
void          atelier_params_set_boolean  (AtelierParams  *self,
                                           const char     *name,
                                           gboolean        value);
void          atelier_params_set_file     (AtelierParams  *self,
                                           const char     *name,
                                           GFile          *file);
void          atelier_params_unset        (AtelierParams  *self,
                                           const char     *name);
gboolean      atelier_params_has          (AtelierParams  *self,
                                           const char     *name);
const char   *atelier_params_get_string   (AtelierParams  *self,
                                           const char     *name);
gint64        atelier_params_get_int      (AtelierParams  *self,
                                           const char     *name);
double        atelier_params_get_double   (AtelierParams  *self,
                                           const char     *name);
gboolean      atelier_params_get_boolean  (AtelierParams  *self,
                                           const char     *name);
GFile        *atelier_params_get_file     (AtelierParams  *self,
                                           const char     *name);

/* Sets in @self each value @source has (both of the same class). Only the
 * values: state a subclass keeps besides (a tune's images) is not copied. */
void          atelier_params_copy_values  (AtelierParams  *self,
                                           AtelierParams  *source);

/* Every error, spec checks first in table order, then validate_extra.
 * (transfer full) (element-type AtelierFieldError), empty when valid. */
GPtrArray    *atelier_params_validate_all (AtelierParams  *self);
/* The first error as ATELIER_API_ERROR_INVALID_PARAM, "field: message". */
gboolean      atelier_params_validate     (AtelierParams  *self,
                                           GError        **error);
/* The value of @name against its spec only (type, range, multiple, enum,
 * required, UTF-8), not the cross-field rules; for checking one entry as
 * the user types. Same error as above. */
gboolean      atelier_params_validate_param (AtelierParams *self,
                                             const char    *name,
                                             GError       **error);
/* For validate_extra: appends the error "@field: @message". */
void          atelier_params_add_error    (GPtrArray      *errors,
                                           const char     *field,
                                           const char     *message);
/* For validate_extra: appends "@name: must be an http or https URL" when
 * the string @name is set to anything else. */
void          atelier_params_check_url    (AtelierParams  *self,
                                           const char     *name,
                                           GPtrArray      *errors);
/* TRUE for an absolute http:// or https:// URL with a host. */
gboolean      atelier_is_http_url         (const char     *url);

/* The set values as form fields "@prefix[name]" in table order; booleans
 * as "true"/"false", doubles with '.' whatever the locale, files as file
 * parts. (transfer full) (element-type AtelierFormField) */
GPtrArray    *atelier_params_to_form      (AtelierParams  *self,
                                           const char     *prefix);
/* Adds the set values as members of the object @builder has open; file
 * values are left out. Validate first: invalid UTF-8 becomes U+FFFD. */
void          atelier_params_to_json      (AtelierParams  *self,
                                           JsonBuilder    *builder);

G_END_DECLS
