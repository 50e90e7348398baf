/* fuzz-params.c: validation and output of tune and prompt parameters
 *
 * The input is a little program: each step is an opcode byte, a selector
 * byte, a length byte and that many bytes of value. Steps set parameters
 * of any type (strings may be anything, invalid UTF-8 included), add image
 * URLs, characteristics and first prompts; then every output is built.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-common.h"

#include <stdint.h>
#include <string.h>

#include "atelier-api-error.h"
#include "atelier-form.h"
#include "atelier-tune-params.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

typedef struct
{
  const uint8_t *data;
  size_t         size;
} Input;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

static gboolean
take (Input         *in,
      size_t         n,
      const uint8_t **out)
{
  if (in->size < n)
    return FALSE;

  *out = in->data;
  in->data += n;
  in->size -= n;

  return TRUE;
}

static gint64
value_to_int (const uint8_t *value,
              size_t         length)
{
  guint64 v = 0;

  memcpy (&v, value, MIN (length, sizeof v));

  return (gint64) v;
}

static double
value_to_double (const uint8_t *value,
                 size_t         length)
{
  double d = 0;

  memcpy (&d, value, MIN (length, sizeof d));

  return d;
}

/* Sets the spec @selector picks, with a value of its own type. */
static void
set_param (AtelierParams *params,
           guint8         selector,
           const char    *text,
           const uint8_t *value,
           size_t         length)
{
  guint n_specs = 0;
  const AtelierParamSpec *specs = atelier_params_get_specs (params, &n_specs);
  const AtelierParamSpec *spec = &specs[selector % n_specs];

  switch (spec->type)
    {
    case ATELIER_PARAM_STRING:
      atelier_params_set_string (params, spec->name, length > 0 ? text : NULL);
      break;
    case ATELIER_PARAM_INT:
      atelier_params_set_int (params, spec->name, value_to_int (value, length));
      break;
    case ATELIER_PARAM_DOUBLE:
      atelier_params_set_double (params, spec->name, value_to_double (value, length));
      break;
    case ATELIER_PARAM_BOOLEAN:
      atelier_params_set_boolean (params, spec->name, length > 0 && value[0] & 1);
      break;
    case ATELIER_PARAM_FILE:
      if (length > 0)
        {
          g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent/image.jpg");
          atelier_params_set_file (params, spec->name, file);
        }
      else
        {
          atelier_params_set_file (params, spec->name, NULL);
        }
      break;
    default:
      g_assert_not_reached ();
    }

  if (selector & 0x80)
    atelier_params_unset (params, spec->name);
}

static void
check_errors (GPtrArray *errors,
              gboolean   valid)
{
  g_assert_cmpint (errors->len == 0, ==, valid);

  for (guint i = 0; i < errors->len; i++)
    {
      const AtelierFieldError *field_error = g_ptr_array_index (errors, i);

      g_assert_nonnull (field_error->field);
      g_assert_nonnull (field_error->message);
    }
}

static void
check_params (AtelierParams *params)
{
  g_autoptr(GPtrArray) errors = atelier_params_validate_all (params);
  g_autoptr(GError) error = NULL;
  gboolean valid = atelier_params_validate (params, &error);

  check_errors (errors, valid);

  if (error != NULL)
    {
      g_autoptr(GPtrArray) field_errors = atelier_api_error_get_field_errors (error);

      g_assert_cmpuint (field_errors->len, >=, 1);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(AtelierTuneParams) tune = atelier_tune_params_new ();
  g_autoptr(GPtrArray) prompts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) form = NULL;
  g_autoptr(GPtrArray) pack_form = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *json_text = NULL;
  Input in = { data, size };
  const uint8_t *step;

  while (take (&in, 3, &step))
    {
      const uint8_t *value = NULL;
      size_t length = MIN (step[2], in.size);
      g_autofree char *text = NULL;

      take (&in, length, &value);
      text = g_strndup ((const char *) value, length);

      switch (step[0] % 6)
        {
        case 0:
          set_param (ATELIER_PARAMS (tune), step[1], text, value, length);
          break;
        case 1:
          if (prompts->len == 0 || step[1] & 1)
            {
              g_ptr_array_add (prompts, atelier_prompt_params_new ());
              atelier_tune_params_add_prompt (tune, g_ptr_array_index (prompts, prompts->len - 1));
            }
          set_param (g_ptr_array_index (prompts, prompts->len - 1), step[1] >> 1, text, value, length);
          break;
        case 2:
          atelier_tune_params_add_image_url (tune, text);
          break;
        case 3:
          {
            size_t split = length > 0 ? step[1] % (length + 1) : 0;
            g_autofree char *key = g_strndup (text, split);

            atelier_tune_params_set_characteristic (tune, key, step[1] & 0x80 ? NULL : text + split);
          }
          break;
        case 4:
          atelier_tune_params_set_pack_prompt_callback (tune, length > 0 ? text : NULL);
          break;
        case 5:
          if (step[1] & 1)
            atelier_tune_params_clear_images (tune);
          else
            {
              g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent/1.jpg");
              atelier_tune_params_add_image (tune, file);
            }
          break;
        default:
          g_assert_not_reached ();
        }
    }

  check_params (ATELIER_PARAMS (tune));
  for (guint i = 0; i < prompts->len; i++)
    check_params (g_ptr_array_index (prompts, i));

  form = atelier_tune_params_to_form (tune);
  pack_form = atelier_tune_params_to_pack_form (tune);
  json = atelier_tune_params_to_json (tune);
  json_text = json_to_string (json, FALSE);
  g_assert_true (g_utf8_validate (json_text, -1, NULL));

  return 0;
}
