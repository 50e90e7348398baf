/* test-params.c: parameters, forms, multipart bodies and image helpers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "atelier-api-error.h"
#include "atelier-form.h"
#include "atelier-image-utils.h"
#include "atelier-json-private.h"
#include "atelier-prompt-params.h"
#include "atelier-test-utils.h"
#include "atelier-tune-params.h"

/* {{{ Fixture and helpers */

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("atelier-params-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  atelier_test_rm_rf (fixture->dir);
  g_free (fixture->dir);
}

static GFile *
write_file (const char *dir,
            const char *name,
            const void *data,
            gsize       length)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, (gssize) length, &error);
  g_assert_no_error (error);

  return g_file_new_for_path (path);
}

static GFile *
write_bytes (const char *dir,
             const char *name,
             GBytes     *bytes)
{
  return write_file (dir, name, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* A file that is never read by the params tests. */
static GFile *
dummy_file (const char *name)
{
  g_autofree char *path = g_build_filename ("/nonexistent", name, NULL);

  return g_file_new_for_path (path);
}

/* validate() fails with INVALID_PARAM "@expected", and the first
 * AtelierFieldError of validate_all() names the same field. */
static void
assert_invalid (AtelierParams *params,
                const char    *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GPtrArray) parsed = NULL;
  const AtelierFieldError *first;
  const char *colon = strstr (expected, ": ");
  g_autofree char *field = g_strndup (expected, colon - expected);

  g_assert_false (atelier_params_validate (params, &error));
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM);
  g_assert_cmpstr (error->message, ==, expected);

  errors = atelier_params_validate_all (params);
  g_assert_cmpuint (errors->len, >=, 1);
  first = g_ptr_array_index (errors, 0);
  g_assert_cmpstr (first->field, ==, field);
  g_assert_cmpstr (first->message, ==, colon + 2);

  /* The error carries its field through the message. */
  parsed = atelier_api_error_get_field_errors (error);
  g_assert_cmpuint (parsed->len, ==, 1);
  g_assert_cmpstr (((AtelierFieldError *) g_ptr_array_index (parsed, 0))->field, ==, field);
}

static void
assert_valid (AtelierParams *params)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) errors = atelier_params_validate_all (params);

  g_assert_true (atelier_params_validate (params, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (errors->len, ==, 0);
}

static AtelierPromptParams *
prompt_params_with_text (void)
{
  AtelierPromptParams *params = atelier_prompt_params_new ();

  atelier_params_set_string (ATELIER_PARAMS (params), "text", "ohwx man in a spacesuit");
  return params;
}

typedef struct
{
  const char       *name;
  AtelierParamType  type;
  const char       *s;
  gint64            i;
  double            d;
  gboolean          b;
} Value;

static void
set_value (AtelierParams *params,
           const Value   *value)
{
  switch (value->type)
    {
    case ATELIER_PARAM_STRING:
      atelier_params_set_string (params, value->name, value->s);
      break;
    case ATELIER_PARAM_INT:
      atelier_params_set_int (params, value->name, value->i);
      break;
    case ATELIER_PARAM_DOUBLE:
      atelier_params_set_double (params, value->name, value->d);
      break;
    case ATELIER_PARAM_BOOLEAN:
      atelier_params_set_boolean (params, value->name, value->b);
      break;
    case ATELIER_PARAM_FILE:
    default:
      g_assert_not_reached ();
    }
}

#define S(name, value) { name, ATELIER_PARAM_STRING, value, 0, 0, FALSE }
#define I(name, value) { name, ATELIER_PARAM_INT, NULL, value, 0, FALSE }
#define D(name, value) { name, ATELIER_PARAM_DOUBLE, NULL, 0, value, FALSE }
#define B(name, value) { name, ATELIER_PARAM_BOOLEAN, NULL, 0, 0, value }

/* The fields as "name=value" (files as "name=@basename"). */
static GStrv
form_to_strv (GPtrArray *fields)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < fields->len; i++)
    {
      const AtelierFormField *field = g_ptr_array_index (fields, i);
      g_autofree char *line = NULL;

      if (field->file != NULL)
        {
          g_autofree char *basename = g_file_get_basename (field->file);
          line = g_strdup_printf ("%s=@%s", field->name, basename);
        }
      else
        {
          line = g_strdup_printf ("%s=%s", field->name, field->value);
        }
      g_strv_builder_add (builder, line);
    }

  return g_strv_builder_end (builder);
}

static void
assert_form (GPtrArray          *fields,
             const char * const *expected)
{
  g_auto(GStrv) lines = form_to_strv (fields);

  for (guint i = 0; lines[i] != NULL; i++)
    g_test_message ("%s", lines[i]);
  g_assert_cmpstrv (lines, expected);
}

/* }}} */
/* {{{ Errors */

static void
test_field_errors (void)
{
  g_autoptr(GError) invalid = g_error_new_literal (ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID,
                                                   "num_images: must be between 1 and 8\n"
                                                   "Images can't be blank\n"
                                                   "\n"
                                                   "  prompts_attributes[0].text: can't be blank  \n"
                                                   "Error in request: try again\n"
                                                   "tune[name]: is required");
  g_autoptr(GError) other = g_error_new_literal (ATELIER_API_ERROR, ATELIER_API_ERROR_SERVER,
                                                 "text: boom");
  g_autoptr(GError) io = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "text: boom");
  g_autoptr(GPtrArray) errors = atelier_api_error_get_field_errors (invalid);
  g_autoptr(GPtrArray) none = atelier_api_error_get_field_errors (other);
  g_autoptr(GPtrArray) none_io = atelier_api_error_get_field_errors (io);
  static const char *expected[][2] = {
    { "num_images", "must be between 1 and 8" },
    { "base", "Images can't be blank" },
    { "prompts_attributes[0].text", "can't be blank" },
    { "base", "Error in request: try again" },
    { "tune[name]", "is required" },
  };
  g_autoptr(AtelierFieldError) field_error = atelier_field_error_new (NULL, NULL);

  g_assert_cmpuint (errors->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < errors->len; i++)
    {
      const AtelierFieldError *e = g_ptr_array_index (errors, i);

      g_assert_cmpstr (e->field, ==, expected[i][0]);
      g_assert_cmpstr (e->message, ==, expected[i][1]);
    }

  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpuint (none_io->len, ==, 0);

  g_assert_cmpstr (field_error->field, ==, "base");
  g_assert_cmpstr (field_error->message, ==, "");
}

static void
test_retryable (void)
{
  static const struct { AtelierApiError code; gboolean retryable; } cases[] = {
    { ATELIER_API_ERROR_INVALID, FALSE },
    { ATELIER_API_ERROR_UNAUTHORIZED, FALSE },
    { ATELIER_API_ERROR_NOT_FOUND, FALSE },
    { ATELIER_API_ERROR_RATE_LIMITED, TRUE },
    { ATELIER_API_ERROR_SERVER, TRUE },
    { ATELIER_API_ERROR_GATEWAY_TIMEOUT, FALSE },
    { ATELIER_API_ERROR_TIMEOUT, TRUE },
    { ATELIER_API_ERROR_NETWORK, TRUE },
    { ATELIER_API_ERROR_PARSE, FALSE },
    { ATELIER_API_ERROR_HTTP, FALSE },
    { ATELIER_API_ERROR_INVALID_PARAM, FALSE },
    { ATELIER_API_ERROR_INSECURE_URL, FALSE },
    { ATELIER_API_ERROR_FILE, FALSE },
    { ATELIER_API_ERROR_FAILED, FALSE },
  };
  g_autoptr(GError) io = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "slow");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (ATELIER_API_ERROR, cases[i].code, "x");

      g_assert_cmpint (atelier_api_error_is_retryable (error), ==, cases[i].retryable);
    }

  g_assert_false (atelier_api_error_is_retryable (io));
  g_assert_cmpstr (g_quark_to_string (ATELIER_API_ERROR), ==, "atelier-api-error-quark");
}

/* }}} */
/* {{{ Prompt params */

static void
test_prompt_specs (void)
{
  g_autoptr(AtelierPromptParams) params = atelier_prompt_params_new ();
  const AtelierParamSpec *specs;
  const AtelierParamSpec *spec;
  guint n_specs = 0;

  specs = atelier_params_get_specs (ATELIER_PARAMS (params), &n_specs);
  g_assert_cmpuint (n_specs, ==, 29);
  g_assert_cmpstr (specs[0].name, ==, "text");
  g_assert_true (specs[0].required);

  spec = atelier_params_find_spec (ATELIER_PARAMS (params), "w");
  g_assert_nonnull (spec);
  g_assert_cmpint (spec->type, ==, ATELIER_PARAM_INT);
  g_assert_cmpuint (spec->multiple_of, ==, 8);
  g_assert_null (atelier_params_find_spec (ATELIER_PARAMS (params), "ar"));
  g_assert_cmpint (atelier_params_find_spec (ATELIER_PARAMS (params), "input_image")->type, ==,
                   ATELIER_PARAM_FILE);
}

/* The one table: validation reads its .spec column, the editor its form
 * columns; each row is consistent with itself. */
static void
test_prompt_fields (void)
{
  g_autoptr(AtelierPromptParams) params = atelier_prompt_params_new ();
  const AtelierPromptField *fields;
  const AtelierParamSpec *specs;
  guint n_fields = 0;
  guint n_specs = 0;
  guint n_rows = 0;
  guint positions = 0;

  fields = atelier_prompt_fields_get (&n_fields);
  specs = atelier_params_get_specs (ATELIER_PARAMS (params), &n_specs);
  g_assert_cmpuint (n_fields, ==, n_specs);

  for (guint i = 0; i < n_fields; i++)
    {
      const AtelierPromptField *field = &fields[i];
      const char *name = field->spec.name;

      g_test_message ("%s", name);
      g_assert_cmpstr (specs[i].name, ==, name);
      g_assert_true (atelier_prompt_field_find (name) == field);
      g_assert_nonnull (field->label);
      g_assert_cmpstr (atelier_prompt_field_label (name), ==, field->label);  /* C locale */
      g_assert_true (field->http_url == FALSE || field->spec.type == ATELIER_PARAM_STRING);
      g_assert_cmpint (field->section == ATELIER_PROMPT_SECTION_NONE, ==, field->widget == ATELIER_PROMPT_WIDGET_NONE);
      g_assert_cmpint (field->position == 0, ==, field->widget == ATELIER_PROMPT_WIDGET_NONE);

      switch (field->widget)
        {
        case ATELIER_PROMPT_WIDGET_NONE:
          continue;
        case ATELIER_PROMPT_WIDGET_ENTRY:
          g_assert_true (field->spec.type != ATELIER_PARAM_BOOLEAN && field->spec.type != ATELIER_PARAM_FILE);
          g_assert_null (field->spec.choices);
          break;
        case ATELIER_PROMPT_WIDGET_SWITCH:
          g_assert_cmpint (field->spec.type, ==, ATELIER_PARAM_BOOLEAN);
          break;
        case ATELIER_PROMPT_WIDGET_CHOICE:
          g_assert_nonnull (field->spec.choices);
          g_assert_nonnull (field->unset_label);
          break;
        case ATELIER_PROMPT_WIDGET_SPIN:
          g_assert_cmpint (field->spec.type, ==, ATELIER_PARAM_INT);
          g_assert_cmpfloat (field->default_value, >=, field->spec.min);
          g_assert_cmpfloat (field->default_value, <=, field->spec.max);
          break;
        case ATELIER_PROMPT_WIDGET_FILE:
          g_assert_cmpint (field->spec.type, ==, ATELIER_PARAM_FILE);
          break;
        default:
          g_assert_not_reached ();
        }

      /* Each place in the form once. */
      g_assert_cmpuint (field->position, <=, 31);
      g_assert_false (positions & (1u << field->position));
      positions |= 1u << field->position;
      n_rows++;
    }

  /* Every parameter but the text (its own view) and lora_scale (only with
   * a new tune) has a row, at places 1 to n. */
  g_assert_cmpuint (n_rows, ==, n_fields - 2);
  g_assert_cmpuint (positions, ==, ((1u << (n_rows + 1)) - 1) & ~1u);
  g_assert_null (atelier_prompt_field_find ("ar"));
  g_assert_cmpstr (atelier_prompt_field_label ("ar"), ==, "ar");
  g_assert_null (atelier_prompt_field_help ("style"));
  g_assert_cmpstr (atelier_prompt_field_help ("w"), ==, "In multiples of 8.");
  {
    g_autofree char *message = atelier_prompt_field_describe_error ("cfg_scale", "must be a number");

    g_assert_cmpstr (message, ==, "CFG Scale must be a number");
  }
}

/* A copy has the same values, and is another object. */
static void
test_prompt_copy (void)
{
  g_autoptr(AtelierPromptParams) params = prompt_params_with_text ();
  g_autoptr(AtelierPromptParams) copy = NULL;
  g_autoptr(GFile) input = dummy_file ("pose.png");
  g_autoptr(GPtrArray) form = NULL;
  g_autoptr(GPtrArray) copy_form = NULL;
  g_auto(GStrv) lines = NULL;

  atelier_params_set_int (ATELIER_PARAMS (params), "num_images", 3);
  atelier_params_set_double (ATELIER_PARAMS (params), "cfg_scale", 7.5);
  atelier_params_set_boolean (ATELIER_PARAMS (params), "face_swap", FALSE);
  atelier_params_set_file (ATELIER_PARAMS (params), "input_image", input);
  copy = atelier_prompt_params_copy (params);
  atelier_params_set_string (ATELIER_PARAMS (params), "text", "changed");

  form = atelier_params_to_form (ATELIER_PARAMS (params), "prompt");
  copy_form = atelier_params_to_form (ATELIER_PARAMS (copy), "prompt");
  lines = form_to_strv (copy_form);
  g_assert_cmpuint (copy_form->len, ==, form->len);
  g_assert_cmpstr (lines[0], ==, "prompt[text]=ohwx man in a spacesuit");
  g_assert_cmpstr (lines[1], ==, "prompt[num_images]=3");
  g_assert_cmpstr (lines[2], ==, "prompt[face_swap]=false");
  g_assert_cmpstr (lines[3], ==, "prompt[cfg_scale]=7.5");
  g_assert_cmpstr (lines[4], ==, "prompt[input_image]=@pose.png");
}

static void
test_prompt_rules (void)
{
  static const struct { Value value; const char *error; } cases[] = {
    { I ("num_images", 0), "num_images: must be between 1 and 8" },
    { I ("num_images", 9), "num_images: must be between 1 and 8" },
    { I ("seed", -1), "seed: must be between 0 and 4294967296" },
    { I ("seed", G_GINT64_CONSTANT (4294967297)), "seed: must be between 0 and 4294967296" },
    { D ("cfg_scale", -0.5), "cfg_scale: must be between 0 and 15" },
    { D ("cfg_scale", 15.01), "cfg_scale: must be between 0 and 15" },
    { D ("cfg_scale", NAN), "cfg_scale: must be a number" },
    { D ("cfg_scale", INFINITY), "cfg_scale: must be a number" },
    { I ("steps", -1), "steps: must be between 0 and 50" },
    { I ("steps", 51), "steps: must be between 0 and 50" },
    { I ("w", 100), "w: must be a multiple of 8" },
    { I ("w", 4104), "w: must be between 64 and 4096" },
    { I ("h", 0), "h: must be between 64 and 4096" },
    { I ("h", 513), "h: must be a multiple of 8" },
    { S ("scheduler", "euler_b"),
      "scheduler: must be one of euler, euler_a, dpm++2m_karras, dpm++sde_karras, dpm++2m, "
      "dpm++sde, lcm, tcd" },
    { S ("backend_version", "2"), "backend_version: must be one of 1" },
    /* "enum: null, `1`": 0 is not a documented version. */
    { S ("backend_version", "0"), "backend_version: must be one of 1" },
    { S ("style", "cinematic"),
      "style: must be one of Cinematic, Animated, Digital Art, Photographic, Fantasy art, "
      "Neonpunk, Enhance, Comic book, Lowpoly, Line art" },
    { S ("color_grading", "Kodak"), "color_grading: must be one of Film Velvia, Film Portra, Ektar" },
    { S ("controlnet", "openpose"),
      "controlnet: must be one of composition, reference, segroom, ipadapter, lineart, canny, "
      "depth, mlsd, hed, pose, tile, qr" },
    { D ("denoising_strength", 1.5), "denoising_strength: must be between 0 and 1" },
    { D ("controlnet_conditioning_scale", -0.1), "controlnet_conditioning_scale: must be between 0 and 1" },
    { D ("lora_scale", 2.5), "lora_scale: must be between 0 and 2" },
    { S ("negative_prompt", "bad \xff bytes"), "negative_prompt: is not valid UTF-8 text" },
    { S ("text", "   "), "text: can't be blank" },
    { S ("text", "\xc3("), "text: is not valid UTF-8 text" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(AtelierPromptParams) params = prompt_params_with_text ();

      g_test_message ("%s", cases[i].error);
      /* Keep the controlnet rule out of the way. */
      atelier_params_set_string (ATELIER_PARAMS (params), "input_image_url", "https://example.com/pose.png");
      assert_valid (ATELIER_PARAMS (params));

      set_value (ATELIER_PARAMS (params), &cases[i].value);
      assert_invalid (ATELIER_PARAMS (params), cases[i].error);
    }
}

static void
test_prompt_required (void)
{
  g_autoptr(AtelierPromptParams) params = atelier_prompt_params_new ();

  assert_invalid (ATELIER_PARAMS (params), "text: is required");
  atelier_params_set_string (ATELIER_PARAMS (params), "text", "");
  assert_invalid (ATELIER_PARAMS (params), "text: can't be blank");
  atelier_params_set_string (ATELIER_PARAMS (params), "text", "x");
  assert_valid (ATELIER_PARAMS (params));
}

static void
test_prompt_bounds (void)
{
  static const Value valid[] = {
    I ("num_images", 1), I ("num_images", 8),
    I ("seed", 0), I ("seed", G_GINT64_CONSTANT (4294967296)),
    D ("cfg_scale", 0), D ("cfg_scale", 15),
    I ("steps", 0), I ("steps", 50),
    I ("w", 64), I ("w", 4096), I ("h", 512),
    S ("scheduler", "tcd"), S ("backend_version", "1"), S ("style", "Line art"),
    S ("color_grading", "Ektar"),
    D ("denoising_strength", 0), D ("denoising_strength", 1),
    D ("lora_scale", 2),
    S ("negative_prompt", "old, blemish, wrinkles, mole – ünïcödé"),
  };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(AtelierPromptParams) params = prompt_params_with_text ();

      set_value (ATELIER_PARAMS (params), &valid[i]);
      assert_valid (ATELIER_PARAMS (params));
    }
}

static void
test_prompt_dependencies (void)
{
  g_autoptr(GFile) input = dummy_file ("input.png");
  g_autoptr(GFile) mask = dummy_file ("mask.png");
  g_autoptr(AtelierPromptParams) p = NULL;
  AtelierParams *params;

  p = prompt_params_with_text ();
  params = ATELIER_PARAMS (p);

  atelier_params_set_boolean (params, "inpaint_faces", TRUE);
  assert_invalid (params, "inpaint_faces: needs super_resolution");
  atelier_params_set_boolean (params, "super_resolution", FALSE);
  assert_invalid (params, "inpaint_faces: needs super_resolution");
  atelier_params_set_boolean (params, "super_resolution", TRUE);
  assert_valid (params);
  atelier_params_set_boolean (params, "inpaint_faces", FALSE);
  atelier_params_unset (params, "super_resolution");
  assert_valid (params);

  atelier_params_set_boolean (params, "hires_fix", TRUE);
  assert_invalid (params, "hires_fix: needs super_resolution");
  atelier_params_set_boolean (params, "super_resolution", TRUE);
  assert_valid (params);

  atelier_params_set_string (params, "controlnet", "pose");
  assert_invalid (params, "controlnet: needs an input image (input_image or input_image_url)");
  atelier_params_set_file (params, "input_image", input);
  assert_valid (params);
  atelier_params_set_string (params, "input_image_url", "https://example.com/pose.png");
  assert_invalid (params, "input_image_url: give the input image as a file or as a URL, not both");
  atelier_params_set_file (params, "input_image", NULL);
  assert_valid (params);
  atelier_params_set_string (params, "input_image_url", "ftp://example.com/pose.png");
  assert_invalid (params, "input_image_url: must be an http or https URL");
  atelier_params_set_string (params, "input_image_url", "HTTPS://example.com/pose.png");
  assert_valid (params);
  atelier_params_unset (params, "input_image_url");
  atelier_params_unset (params, "controlnet");

  atelier_params_set_file (params, "mask_image", mask);
  assert_invalid (params, "mask_image: needs an input image (input_image or input_image_url)");
  atelier_params_set_file (params, "mask_image", NULL);
  atelier_params_set_string (params, "mask_image_url", "https://example.com/mask.png");
  assert_invalid (params, "mask_image_url: needs an input image (input_image or input_image_url)");
  atelier_params_set_file (params, "input_image", input);
  assert_valid (params);
  atelier_params_set_file (params, "mask_image", mask);
  assert_invalid (params, "mask_image_url: give the mask as a file or as a URL, not both");
  atelier_params_set_string (params, "mask_image_url", NULL);
  assert_valid (params);

  atelier_params_set_string (params, "callback", "javascript:alert(1)");
  assert_invalid (params, "callback: must be an http or https URL");
  atelier_params_set_string (params, "callback", "not a url");
  assert_invalid (params, "callback: must be an http or https URL");
  atelier_params_set_string (params, "callback", "https://");
  assert_invalid (params, "callback: must be an http or https URL");
  atelier_params_set_string (params, "callback", "http://127.0.0.1:8080/hook?id=1");
  assert_valid (params);
}

static void
test_prompt_all_errors (void)
{
  g_autoptr(AtelierPromptParams) p = atelier_prompt_params_new ();
  AtelierParams *params = ATELIER_PARAMS (p);
  g_autoptr(GPtrArray) errors = NULL;
  static const char *fields[] = { "text", "num_images", "w", "inpaint_faces", "controlnet", "callback" };

  atelier_params_set_string (params, "callback", "ftp://x");
  atelier_params_set_string (params, "controlnet", "canny");
  atelier_params_set_boolean (params, "inpaint_faces", TRUE);
  atelier_params_set_int (params, "w", 10);
  atelier_params_set_int (params, "num_images", 10);

  /* Spec checks in table order, then the rules. */
  errors = atelier_params_validate_all (params);
  g_assert_cmpuint (errors->len, ==, G_N_ELEMENTS (fields));
  for (guint i = 0; i < errors->len; i++)
    g_assert_cmpstr (((AtelierFieldError *) g_ptr_array_index (errors, i))->field, ==, fields[i]);
}

static void
test_prompt_validate_param (void)
{
  g_autoptr(AtelierPromptParams) p = atelier_prompt_params_new ();
  AtelierParams *params = ATELIER_PARAMS (p);
  g_autoptr(GError) error = NULL;

  g_assert_true (atelier_params_validate_param (params, "num_images", &error));
  atelier_params_set_int (params, "num_images", 12);
  g_assert_false (atelier_params_validate_param (params, "num_images", &error));
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM);
  g_assert_cmpstr (error->message, ==, "num_images: must be between 1 and 8");
  g_clear_error (&error);
  /* The rules are not checked. */
  atelier_params_set_boolean (params, "inpaint_faces", TRUE);
  g_assert_true (atelier_params_validate_param (params, "inpaint_faces", &error));
  g_assert_false (atelier_params_validate_param (params, "text", NULL));
}

/* Programmer errors are criticals that change nothing. Each case runs in
 * a subprocess where criticals are not fatal. ("?" in the patterns: the
 * quotes may be printed as "?" in the C locale.) */
static void
run_programmer_error (void (*misuse) (AtelierParams *params),
                      const char *expected_stderr)
{
  if (g_test_subprocess ())
    {
      g_autoptr(AtelierPromptParams) p = prompt_params_with_text ();
      AtelierParams *params = ATELIER_PARAMS (p);

      g_log_set_always_fatal (G_LOG_FATAL_MASK);
      misuse (params);
      g_assert_cmpstr (atelier_params_get_string (params, "text"), ==, "ohwx man in a spacesuit");
      g_assert_false (atelier_params_has (params, "seed"));
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr (expected_stderr);
}

static void
set_unknown (AtelierParams *params)
{
  atelier_params_set_string (params, "nope", "x");
}

static void
set_wrong_type (AtelierParams *params)
{
  atelier_params_set_int (params, "text", 3);
}

static void
get_wrong_type (AtelierParams *params)
{
  g_assert_cmpfloat (atelier_params_get_double (params, "seed"), ==, 0);
}

static void
unset_unknown (AtelierParams *params)
{
  atelier_params_unset (params, "ar");
}

static void
test_programmer_error_unknown (void)
{
  run_programmer_error (set_unknown, "*CRITICAL*AtelierPromptParams has no parameter ?nope?*");
}

static void
test_programmer_error_set_type (void)
{
  run_programmer_error (set_wrong_type, "*CRITICAL*?text? of AtelierPromptParams has type string, not integer*");
}

static void
test_programmer_error_get_type (void)
{
  run_programmer_error (get_wrong_type, "*CRITICAL*?seed? of AtelierPromptParams has type integer, not number*");
}

static void
test_programmer_error_unset (void)
{
  run_programmer_error (unset_unknown, "*CRITICAL*no parameter ?ar?*");
}

static void
count_changed_cb (AtelierParams *params,
                  const char    *name,
                  GPtrArray     *names)
{
  g_ptr_array_add (names, g_strdup (name));
}

static void
test_changed_signal (void)
{
  g_autoptr(AtelierPromptParams) p = atelier_prompt_params_new ();
  AtelierParams *params = ATELIER_PARAMS (p);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) seeds = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GFile) a = dummy_file ("a.png");
  g_autoptr(GFile) a_again = dummy_file ("a.png");
  const char *expected_all[] = {
    "seed", "seed", "seed", "text", "text", "cfg_scale", "face_swap", "input_image", "input_image", NULL
  };

  g_signal_connect (params, "changed", G_CALLBACK (count_changed_cb), all);
  g_signal_connect (params, "changed::seed", G_CALLBACK (count_changed_cb), seeds);

  atelier_params_set_int (params, "seed", 1);
  atelier_params_set_int (params, "seed", 1);       /* same: no signal */
  atelier_params_set_int (params, "seed", 2);
  atelier_params_unset (params, "seed");
  atelier_params_unset (params, "seed");             /* not set: no signal */
  atelier_params_set_string (params, "text", "a");
  atelier_params_set_string (params, "text", "a");
  atelier_params_set_string (params, "text", NULL);  /* unsets */
  atelier_params_set_double (params, "cfg_scale", 7.5);
  atelier_params_set_double (params, "cfg_scale", 7.5);
  atelier_params_set_boolean (params, "face_swap", FALSE);
  atelier_params_set_boolean (params, "face_swap", FALSE);
  atelier_params_set_file (params, "input_image", a);
  atelier_params_set_file (params, "input_image", a_again);
  atelier_params_set_file (params, "input_image", NULL);

  g_ptr_array_add (all, NULL);
  g_assert_cmpstrv ((GStrv) all->pdata, expected_all);
  g_assert_cmpuint (seeds->len, ==, 3);

  g_assert_false (atelier_params_has (params, "seed"));
  g_assert_false (atelier_params_has (params, "text"));
  g_assert_true (atelier_params_has (params, "face_swap"));
  g_assert_false (atelier_params_get_boolean (params, "face_swap"));
  g_assert_cmpfloat (atelier_params_get_double (params, "cfg_scale"), ==, 7.5);
  g_assert_cmpint (atelier_params_get_int (params, "seed"), ==, 0);
  g_assert_null (atelier_params_get_string (params, "text"));
  g_assert_null (atelier_params_get_file (params, "input_image"));
}

static AtelierPromptParams *
full_prompt_params (void)
{
  g_autoptr(GFile) input = dummy_file ("pose.png");
  g_autoptr(GFile) mask = dummy_file ("mask.png");
  AtelierPromptParams *p = atelier_prompt_params_new ();
  AtelierParams *params = ATELIER_PARAMS (p);

  /* Out of table order on purpose. */
  atelier_params_set_double (params, "lora_scale", 1.25);
  atelier_params_set_file (params, "mask_image", mask);
  atelier_params_set_file (params, "input_image", input);
  atelier_params_set_double (params, "controlnet_conditioning_scale", 0.5);
  atelier_params_set_double (params, "denoising_strength", 0.8);
  atelier_params_set_string (params, "controlnet", "pose");
  atelier_params_set_boolean (params, "film_grain", FALSE);
  atelier_params_set_string (params, "color_grading", "Film Portra");
  atelier_params_set_string (params, "style", "Digital Art");
  atelier_params_set_string (params, "backend_version", "1");
  atelier_params_set_string (params, "scheduler", "dpm++2m_karras");
  atelier_params_set_int (params, "h", 768);
  atelier_params_set_int (params, "w", 512);
  atelier_params_set_int (params, "steps", 30);
  atelier_params_set_double (params, "cfg_scale", 7.5);
  atelier_params_set_boolean (params, "face_correct", FALSE);
  atelier_params_set_boolean (params, "inpaint_faces", TRUE);
  atelier_params_set_boolean (params, "super_resolution", TRUE);
  atelier_params_set_int (params, "seed", G_GINT64_CONSTANT (4294967296));
  atelier_params_set_int (params, "num_images", 4);
  atelier_params_set_string (params, "callback", "https://example.com/hook?prompt_id=1&a=b");
  atelier_params_set_string (params, "negative_prompt", "old, blemish");
  atelier_params_set_string (params, "text", "<lora:123:1> ohwx man, “quoted” – ünïcödé");

  return p;
}

static const char *full_prompt_form[] = {
  "prompt[text]=<lora:123:1> ohwx man, “quoted” – ünïcödé",
  "prompt[negative_prompt]=old, blemish",
  "prompt[callback]=https://example.com/hook?prompt_id=1&a=b",
  "prompt[num_images]=4",
  "prompt[seed]=4294967296",
  "prompt[super_resolution]=true",
  "prompt[inpaint_faces]=true",
  "prompt[face_correct]=false",
  "prompt[cfg_scale]=7.5",
  "prompt[steps]=30",
  "prompt[w]=512",
  "prompt[h]=768",
  "prompt[scheduler]=dpm++2m_karras",
  "prompt[backend_version]=1",
  "prompt[style]=Digital Art",
  "prompt[color_grading]=Film Portra",
  "prompt[film_grain]=false",
  "prompt[controlnet]=pose",
  "prompt[denoising_strength]=0.8",
  "prompt[controlnet_conditioning_scale]=0.5",
  "prompt[input_image]=@pose.png",
  "prompt[mask_image]=@mask.png",
  "prompt[lora_scale]=1.25",
  NULL
};

/* {PARAMS…} of @params, with "id": @id first unless @id is 0. */
static JsonNode *
params_to_json_node (AtelierParams *params,
                     gint64         id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  if (id != 0)
    {
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, id);
    }
  atelier_params_to_json (params, builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
test_prompt_form (void)
{
  g_autoptr(AtelierPromptParams) params = full_prompt_params ();
  g_autoptr(GPtrArray) form = NULL;
  g_autoptr(GPtrArray) bare = NULL;

  assert_valid (ATELIER_PARAMS (params));
  form = atelier_params_to_form (ATELIER_PARAMS (params), "prompt");
  assert_form (form, full_prompt_form);

  bare = atelier_params_to_form (ATELIER_PARAMS (params), NULL);
  g_assert_cmpstr (((AtelierFormField *) g_ptr_array_index (bare, 0))->name, ==, "text");
}

static const char *comma_locales[] = {
  "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8", "nl_NL.UTF-8", "ru_RU.UTF-8",
};

static void
test_prompt_form_comma_locale (void)
{
  g_autoptr(AtelierPromptParams) params = full_prompt_params ();
  g_autoptr(GPtrArray) form = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *text = NULL;
  g_autofree char *old_locale = g_strdup (setlocale (LC_NUMERIC, NULL));
  const char *locale = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (comma_locales) && locale == NULL; i++)
    locale = setlocale (LC_NUMERIC, comma_locales[i]);

  if (locale == NULL || !g_str_equal (localeconv ()->decimal_point, ","))
    {
      setlocale (LC_NUMERIC, old_locale);
      g_test_skip ("No locale with a decimal comma is installed");
      return;
    }

  form = atelier_params_to_form (ATELIER_PARAMS (params), "prompt");
  json = params_to_json_node (ATELIER_PARAMS (params), 0);
  text = json_to_string (json, FALSE);

  setlocale (LC_NUMERIC, old_locale);

  assert_form (form, full_prompt_form);
  g_assert_nonnull (strstr (text, "\"cfg_scale\":7.5"));
}

static void
test_prompt_json (void)
{
  g_autoptr(AtelierPromptParams) params = full_prompt_params ();
  g_autoptr(JsonNode) node = params_to_json_node (ATELIER_PARAMS (params), 0);
  JsonObject *object = json_node_get_object (node);

  g_assert_cmpuint (json_object_get_size (object), ==, 21);
  g_assert_false (json_object_has_member (object, "input_image"));
  g_assert_false (json_object_has_member (object, "mask_image"));
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (object, "num_images")), ==, G_TYPE_INT64);
  g_assert_cmpint (json_object_get_int_member (object, "seed"), ==, G_GINT64_CONSTANT (4294967296));
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (object, "cfg_scale")), ==, G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_object_get_double_member (object, "cfg_scale"), ==, 7.5);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (object, "inpaint_faces")), ==, G_TYPE_BOOLEAN);
  g_assert_false (json_object_get_boolean_member (object, "film_grain"));
  g_assert_cmpstr (json_object_get_string_member (object, "backend_version"), ==, "1");
}

static AtelierPrompt *
prompt_from_json (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = _atelier_json_parse (json, strlen (json), &error);
  AtelierPrompt *prompt;

  g_assert_no_error (error);
  prompt = atelier_prompt_new_from_json (node, &error);
  g_assert_no_error (error);

  return prompt;
}

static void
test_prompt_from_prompt (void)
{
  g_autoptr(AtelierPrompt) prompt = prompt_from_json (
    "{\"id\": 77, \"tune_id\": 1504944, \"text\": \"ohwx man\", \"negative_prompt\": null,"
    " \"num_images\": \"4\", \"seed\": 42, \"cfg_scale\": \"7.5\", \"steps\": 99,"
    " \"w\": 512, \"h\": \"768\", \"super_resolution\": true, \"inpaint_faces\": \"true\","
    " \"hires_fix\": 1, \"face_swap\": \"maybe\", \"scheduler\": \"euler_a\","
    " \"backend_version\": 1, \"style\": null, \"color_grading\": \"Kodak\","
    " \"controlnet\": \"pose\", \"input_image\": \"https://cdn.example.com/in.png\","
    " \"mask_image\": \"not a url\", \"denoising_strength\": 0.8, \"lora_scale\": [1],"
    " \"callback\": \"ftp://bad\", \"images\": [\"https://x/1.jpg\"], \"unknown\": 1,"
    " \"created_at\": \"2024-05-01T00:00:00Z\"}");
  g_autoptr(AtelierPromptParams) p = atelier_prompt_params_new_from_prompt (prompt);
  AtelierParams *params = ATELIER_PARAMS (p);

  g_assert_cmpstr (atelier_params_get_string (params, "text"), ==, "ohwx man");
  g_assert_cmpint (atelier_params_get_int (params, "num_images"), ==, 4);
  g_assert_cmpint (atelier_params_get_int (params, "seed"), ==, 42);
  g_assert_cmpfloat (atelier_params_get_double (params, "cfg_scale"), ==, 7.5);
  g_assert_cmpint (atelier_params_get_int (params, "w"), ==, 512);
  g_assert_cmpint (atelier_params_get_int (params, "h"), ==, 768);
  g_assert_true (atelier_params_get_boolean (params, "super_resolution"));
  g_assert_true (atelier_params_get_boolean (params, "inpaint_faces"));
  g_assert_true (atelier_params_get_boolean (params, "hires_fix"));
  g_assert_cmpstr (atelier_params_get_string (params, "scheduler"), ==, "euler_a");
  g_assert_cmpstr (atelier_params_get_string (params, "backend_version"), ==, "1");
  g_assert_cmpstr (atelier_params_get_string (params, "controlnet"), ==, "pose");
  g_assert_cmpstr (atelier_params_get_string (params, "input_image_url"), ==, "https://cdn.example.com/in.png");
  g_assert_cmpfloat (atelier_params_get_double (params, "denoising_strength"), ==, 0.8);

  /* Invalid, null or of no usable type: skipped */
  g_assert_false (atelier_params_has (params, "negative_prompt"));
  g_assert_false (atelier_params_has (params, "steps"));
  g_assert_false (atelier_params_has (params, "face_swap"));
  g_assert_false (atelier_params_has (params, "style"));
  g_assert_false (atelier_params_has (params, "color_grading"));
  g_assert_false (atelier_params_has (params, "mask_image_url"));
  g_assert_false (atelier_params_has (params, "lora_scale"));
  g_assert_false (atelier_params_has (params, "callback"));
  g_assert_false (atelier_params_has (params, "input_image"));

  assert_valid (params);
}

static void
test_prompt_round_trip (void)
{
  g_autoptr(AtelierPromptParams) original = full_prompt_params ();
  g_autoptr(AtelierPromptParams) copy = NULL;
  g_autoptr(AtelierPrompt) prompt = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) copy_node = NULL;
  g_autoptr(GError) error = NULL;

  /* Files don't travel; URLs do. */
  atelier_params_set_file (ATELIER_PARAMS (original), "input_image", NULL);
  atelier_params_set_file (ATELIER_PARAMS (original), "mask_image", NULL);
  atelier_params_set_string (ATELIER_PARAMS (original), "input_image_url", "https://example.com/in.png");

  node = params_to_json_node (ATELIER_PARAMS (original), 5);
  prompt = atelier_prompt_new_from_json (node, &error);
  g_assert_no_error (error);
  copy = atelier_prompt_params_new_from_prompt (prompt);
  copy_node = params_to_json_node (ATELIER_PARAMS (copy), 5);

  g_assert_true (json_node_equal (node, copy_node));
  assert_valid (ATELIER_PARAMS (copy));
}

/* }}} */
/* {{{ Tune params */

static AtelierTuneParams *
valid_tune_params (void)
{
  AtelierTuneParams *params = atelier_tune_params_new ();

  atelier_params_set_string (ATELIER_PARAMS (params), "title", "Jane - 3f6c");
  atelier_params_set_string (ATELIER_PARAMS (params), "name", "woman");
  atelier_tune_params_add_image_url (params, "https://i.imgur.com/HLHBnl9.jpeg");

  return params;
}

static void
test_tune_rules (void)
{
  static const struct { Value value; const char *error; } cases[] = {
    { S ("title", ""), "title: can't be blank" },
    { S ("name", " "), "name: can't be blank" },
    { S ("branch", "sd3"), "branch: must be one of sd15, sdxl1, flux1, fast" },
    { I ("steps", 0), "steps: must be at least 1" },
    { I ("steps", -100), "steps: must be at least 1" },
    { I ("base_tune_id", -5), "base_tune_id: must be at least 1" },
    { S ("model_type", "checkpoint"), "model_type: must be one of lora, pti, faceid" },
    { S ("preset", "flux-lora-slow"),
      "preset: must be one of flux-lora-focus, flux-lora-portrait, flux-lora-fast" },
    { S ("token", "oh wx"), "token: must be one word, without spaces" },
    { S ("token", "ohwx\t"), "token: must be one word, without spaces" },
    { S ("token", "oh\xc2\xa0wx"), "token: must be one word, without spaces" },
    { S ("token", ""), "token: must be one word, without spaces" },
    { S ("callback", "mailto:me@example.com"), "callback: must be an http or https URL" },
    { S ("prompts_callback", "file:///tmp/x"), "prompts_callback: must be an http or https URL" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(AtelierTuneParams) params = valid_tune_params ();

      g_test_message ("%s", cases[i].error);
      assert_valid (ATELIER_PARAMS (params));
      set_value (ATELIER_PARAMS (params), &cases[i].value);
      assert_invalid (ATELIER_PARAMS (params), cases[i].error);
    }
}

static void
test_tune_required (void)
{
  g_autoptr(AtelierTuneParams) p = atelier_tune_params_new ();
  AtelierParams *params = ATELIER_PARAMS (p);
  g_autoptr(GPtrArray) errors = atelier_params_validate_all (params);
  static const char *fields[] = { "title", "name", "images" };
  g_autoptr(GFile) image = dummy_file ("1.jpg");

  g_assert_cmpuint (errors->len, ==, G_N_ELEMENTS (fields));
  for (guint i = 0; i < errors->len; i++)
    g_assert_cmpstr (((AtelierFieldError *) g_ptr_array_index (errors, i))->field, ==, fields[i]);

  assert_invalid (params, "title: is required");
  atelier_params_set_string (params, "title", "Jane");
  assert_invalid (params, "name: is required");
  atelier_params_set_string (params, "name", "woman");
  assert_invalid (params, "images: add at least one training image (a file or a URL)");
  atelier_tune_params_add_image (p, image);
  assert_valid (params);
  atelier_tune_params_clear_images (p);
  g_assert_cmpuint (atelier_tune_params_get_images (p)->len, ==, 0);
  g_assert_null (atelier_tune_params_get_image_urls (p)[0]);
  assert_invalid (params, "images: add at least one training image (a file or a URL)");
  atelier_tune_params_add_image_url (p, "http://localhost:8080/1.jpg");
  assert_valid (params);
}

static void
test_tune_extra_rules (void)
{
  g_autoptr(AtelierTuneParams) p = valid_tune_params ();
  AtelierParams *params = ATELIER_PARAMS (p);
  g_autoptr(AtelierPromptParams) first = prompt_params_with_text ();
  g_autoptr(AtelierPromptParams) second = prompt_params_with_text ();

  atelier_tune_params_add_image_url (p, "file:///etc/passwd");
  assert_invalid (params, "image_urls: “file:///etc/passwd” is not an http or https URL");
  atelier_tune_params_clear_images (p);
  atelier_tune_params_add_image_url (p, "https://example.com/1.jpg");
  assert_valid (params);

  atelier_tune_params_set_characteristic (p, "eye color", "blue eyes");
  assert_invalid (params, "characteristics: names must not be empty or contain spaces or brackets");
  atelier_tune_params_set_characteristic (p, "eye color", NULL);
  atelier_tune_params_set_characteristic (p, "a]b", "x");
  assert_invalid (params, "characteristics: names must not be empty or contain spaces or brackets");
  atelier_tune_params_set_characteristic (p, "a]b", NULL);
  atelier_tune_params_set_characteristic (p, "eye_color", "\xff");
  assert_invalid (params, "characteristics: the value of “eye_color” is not valid UTF-8 text");
  atelier_tune_params_set_characteristic (p, "eye_color", "blue eyes");
  assert_valid (params);

  atelier_tune_params_set_pack_prompt_callback (p, "gopher://x");
  assert_invalid (params, "prompt_attributes.callback: must be an http or https URL");
  atelier_tune_params_set_pack_prompt_callback (p, NULL);

  atelier_tune_params_add_prompt (p, first);
  atelier_tune_params_add_prompt (p, second);
  assert_valid (params);
  atelier_params_set_int (ATELIER_PARAMS (second), "num_images", 20);
  assert_invalid (params, "prompts_attributes[1].num_images: must be between 1 and 8");
  atelier_params_unset (ATELIER_PARAMS (second), "num_images");
  atelier_params_set_boolean (ATELIER_PARAMS (first), "hires_fix", TRUE);
  assert_invalid (params, "prompts_attributes[0].hires_fix: needs super_resolution");
  atelier_params_unset (ATELIER_PARAMS (first), "text");
  assert_invalid (params, "prompts_attributes[0].text: is required");
}

static void
test_tune_changed (void)
{
  g_autoptr(AtelierTuneParams) p = atelier_tune_params_new ();
  g_autoptr(AtelierPromptParams) prompt = atelier_prompt_params_new ();
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GFile) image = dummy_file ("1.jpg");
  const char *expected[] = {
    "name", "images", "image_urls", "images", "image_urls", "characteristics",
    "characteristics", "prompts_attributes", "prompts_attributes", "prompt_attributes", NULL
  };

  g_signal_connect (p, "changed", G_CALLBACK (count_changed_cb), names);

  atelier_params_set_string (ATELIER_PARAMS (p), "name", "man");
  atelier_tune_params_add_image (p, image);
  atelier_tune_params_add_image_url (p, "https://example.com/1.jpg");
  atelier_tune_params_clear_images (p);
  atelier_tune_params_clear_images (p);
  atelier_tune_params_set_characteristic (p, "eye_color", "blue eyes");
  atelier_tune_params_set_characteristic (p, "eye_color", "blue eyes");
  atelier_tune_params_set_characteristic (p, "eye_color", NULL);
  atelier_tune_params_add_prompt (p, prompt);
  atelier_params_set_string (ATELIER_PARAMS (prompt), "text", "x");
  atelier_tune_params_set_pack_prompt_callback (p, "https://example.com/cb");
  atelier_tune_params_set_pack_prompt_callback (p, "https://example.com/cb");

  g_ptr_array_add (names, NULL);
  g_assert_cmpstrv ((GStrv) names->pdata, expected);
}

static AtelierTuneParams *
full_tune_params (void)
{
  g_autoptr(GFile) one = dummy_file ("1.jpg");
  g_autoptr(GFile) two = dummy_file ("2.jpg");
  g_autoptr(AtelierPromptParams) first = atelier_prompt_params_new ();
  g_autoptr(AtelierPromptParams) second = atelier_prompt_params_new ();
  AtelierTuneParams *p = atelier_tune_params_new ();
  AtelierParams *params = ATELIER_PARAMS (p);

  atelier_params_set_string (params, "token", "ohwx");
  atelier_params_set_int (params, "base_tune_id", 690204);
  atelier_params_set_string (params, "branch", "fast");
  atelier_params_set_string (params, "callback", "https://example.com/webhooks/astria?user_id=1&tune_id=1");
  atelier_params_set_boolean (params, "auto_extend", TRUE);
  atelier_params_set_string (params, "name", "man");
  atelier_params_set_string (params, "title", "John Doe - UUID - 1234-6789-1234-56789");
  atelier_params_set_string (params, "prompts_callback", "https://example.com/all-done");

  atelier_tune_params_add_image (p, one);
  atelier_tune_params_add_image_url (p, "https://i.imgur.com/HLHBnl9.jpeg");
  atelier_tune_params_add_image (p, two);
  atelier_tune_params_set_characteristic (p, "hair_color", "blonde");
  atelier_tune_params_set_characteristic (p, "eye_color", "blue eyes");

  atelier_params_set_string (ATELIER_PARAMS (first), "text", "ohwx man on space circa 1979 on cover of time magazine");
  atelier_params_set_string (ATELIER_PARAMS (first), "callback", "https://example.com/webhooks/astria?prompt_id=1");
  atelier_tune_params_add_prompt (p, first);
  atelier_params_set_boolean (ATELIER_PARAMS (second), "inpaint_faces", TRUE);
  atelier_params_set_string (ATELIER_PARAMS (second), "text", "ohwx man holding flowers");
  atelier_params_set_boolean (ATELIER_PARAMS (second), "super_resolution", TRUE);
  atelier_params_set_double (ATELIER_PARAMS (second), "lora_scale", 0.75);
  atelier_tune_params_add_prompt (p, second);

  atelier_tune_params_set_pack_prompt_callback (p, "https://example.com/webhooks/astria_prompts?user_id=1");

  return p;
}

static void
test_tune_form (void)
{
  g_autoptr(AtelierTuneParams) params = full_tune_params ();
  g_autoptr(GPtrArray) form = NULL;
  const char *expected[] = {
    "tune[title]=John Doe - UUID - 1234-6789-1234-56789",
    "tune[name]=man",
    "tune[callback]=https://example.com/webhooks/astria?user_id=1&tune_id=1",
    "tune[branch]=fast",
    "tune[token]=ohwx",
    "tune[base_tune_id]=690204",
    "tune[auto_extend]=true",
    "tune[images][]=@1.jpg",
    "tune[images][]=@2.jpg",
    "tune[image_urls][]=https://i.imgur.com/HLHBnl9.jpeg",
    "tune[characteristics][eye_color]=blue eyes",
    "tune[characteristics][hair_color]=blonde",
    "tune[prompts_attributes][0][text]=ohwx man on space circa 1979 on cover of time magazine",
    "tune[prompts_attributes][0][callback]=https://example.com/webhooks/astria?prompt_id=1",
    "tune[prompts_attributes][1][text]=ohwx man holding flowers",
    "tune[prompts_attributes][1][super_resolution]=true",
    "tune[prompts_attributes][1][inpaint_faces]=true",
    "tune[prompts_attributes][1][lora_scale]=0.75",
    NULL
  };

  assert_valid (ATELIER_PARAMS (params));
  form = atelier_tune_params_to_form (params);
  assert_form (form, expected);
  g_assert_cmpuint (atelier_tune_params_get_images (params)->len, ==, 2);
  g_assert_cmpstr (atelier_tune_params_get_image_urls (params)[0], ==, "https://i.imgur.com/HLHBnl9.jpeg");
  g_assert_null (atelier_tune_params_get_image_urls (params)[1]);
  g_assert_cmpuint (g_hash_table_size (atelier_tune_params_get_characteristics (params)), ==, 2);
  g_assert_cmpuint (atelier_tune_params_get_prompts (params)->len, ==, 2);
}

static void
test_tune_pack_form (void)
{
  g_autoptr(AtelierTuneParams) params = full_tune_params ();
  g_autoptr(GPtrArray) form = atelier_tune_params_to_pack_form (params);
  const char *expected[] = {
    "tune[title]=John Doe - UUID - 1234-6789-1234-56789",
    "tune[name]=man",
    "tune[callback]=https://example.com/webhooks/astria?user_id=1&tune_id=1",
    "tune[prompts_callback]=https://example.com/all-done",
    "tune[images][]=@1.jpg",
    "tune[images][]=@2.jpg",
    "tune[image_urls][]=https://i.imgur.com/HLHBnl9.jpeg",
    "tune[characteristics][eye_color]=blue eyes",
    "tune[characteristics][hair_color]=blonde",
    "tune[prompt_attributes][callback]=https://example.com/webhooks/astria_prompts?user_id=1",
    NULL
  };

  assert_form (form, expected);
}

static void
test_tune_json (void)
{
  g_autoptr(AtelierTuneParams) params = full_tune_params ();
  g_autoptr(JsonNode) node = atelier_tune_params_to_json (params);
  g_autoptr(JsonNode) expected = NULL;
  g_autoptr(GError) error = NULL;
  const char *expected_json =
    "{\"tune\": {"
    "  \"title\": \"John Doe - UUID - 1234-6789-1234-56789\","
    "  \"name\": \"man\","
    "  \"callback\": \"https://example.com/webhooks/astria?user_id=1&tune_id=1\","
    "  \"branch\": \"fast\","
    "  \"token\": \"ohwx\","
    "  \"base_tune_id\": 690204,"
    "  \"auto_extend\": true,"
    "  \"prompts_callback\": \"https://example.com/all-done\","
    "  \"image_urls\": [\"https://i.imgur.com/HLHBnl9.jpeg\"],"
    "  \"characteristics\": {\"eye_color\": \"blue eyes\", \"hair_color\": \"blonde\"},"
    "  \"prompts_attributes\": ["
    "    {\"text\": \"ohwx man on space circa 1979 on cover of time magazine\","
    "     \"callback\": \"https://example.com/webhooks/astria?prompt_id=1\"},"
    "    {\"text\": \"ohwx man holding flowers\", \"super_resolution\": true,"
    "     \"inpaint_faces\": true, \"lora_scale\": 0.75}"
    "  ],"
    "  \"prompt_attributes\": {\"callback\": \"https://example.com/webhooks/astria_prompts?user_id=1\"}"
    "}}";
  g_autofree char *text = _atelier_json_to_string (node, FALSE);
  JsonObject *tune;

  g_test_message ("%s", text);
  expected = _atelier_json_parse (expected_json, strlen (expected_json), &error);
  g_assert_no_error (error);
  g_assert_true (json_node_equal (node, expected));

  /* JSON types, not strings */
  tune = json_object_get_object_member (json_node_get_object (node), "tune");
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (tune, "base_tune_id")), ==, G_TYPE_INT64);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (tune, "auto_extend")), ==, G_TYPE_BOOLEAN);
  g_assert_false (json_object_has_member (tune, "images"));
}

static void
test_tune_json_minimal (void)
{
  g_autoptr(AtelierTuneParams) params = atelier_tune_params_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  atelier_params_set_string (ATELIER_PARAMS (params), "name", "cat");
  node = atelier_tune_params_to_json (params);
  text = _atelier_json_to_string (node, FALSE);
  g_assert_cmpstr (text, ==, "{\"tune\":{\"name\":\"cat\"}}");
}

static void
test_title_with_uuid (void)
{
  g_autofree char *a = atelier_tune_title_with_uuid ("Jane headshots");
  g_autofree char *b = atelier_tune_title_with_uuid ("  Jane headshots ");
  g_autofree char *bare = atelier_tune_title_with_uuid ("");
  g_autofree char *null_title = atelier_tune_title_with_uuid (NULL);
  const char *prefix = "Jane headshots - ";

  g_assert_true (g_str_has_prefix (a, prefix));
  g_assert_true (g_uuid_string_is_valid (a + strlen (prefix)));
  g_assert_true (g_str_has_prefix (b, prefix));
  g_assert_true (g_uuid_string_is_valid (b + strlen (prefix)));
  g_assert_cmpstr (a, !=, b);
  g_assert_true (g_uuid_string_is_valid (bare));
  g_assert_true (g_uuid_string_is_valid (null_title));
}

/* }}} */
/* {{{ Multipart */

static void
assert_part (SoupMultipart *multipart,
             int            index,
             const char    *name,
             const char    *filename,
             const char    *content_type,
             GBytes        *body)
{
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *disposition = NULL;
  SoupMessageHeaders *headers = NULL;
  GBytes *part_body = NULL;

  g_assert_true (soup_multipart_get_part (multipart, index, &headers, &part_body));
  g_assert_true (soup_message_headers_get_content_disposition (headers, &disposition, &params));
  g_assert_cmpstr (disposition, ==, "form-data");
  g_assert_cmpstr (g_hash_table_lookup (params, "name"), ==, name);
  g_assert_cmpstr (g_hash_table_lookup (params, "filename"), ==, filename);
  if (content_type != NULL)
    g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, content_type);
  g_assert_true (g_bytes_equal (part_body, body));
}

static void
test_multipart (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GBytes) jpeg = atelier_test_make_image (40, 30, 1, "jpeg");
  g_autoptr(GBytes) png = atelier_test_make_image (20, 20, 2, "png");
  g_autoptr(GBytes) text = g_bytes_new_static ("man", 3);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GFile) file = write_bytes (fixture->dir, "face 1.jpg", jpeg);
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func ((GDestroyNotify) atelier_form_field_free);
  g_autoptr(SoupMultipart) multipart = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (fields, atelier_form_field_new_text ("name", "man"));
  g_ptr_array_add (fields, atelier_form_field_new_file ("tune[images][]", file));
  g_ptr_array_add (fields, atelier_form_field_new_bytes ("file", png, "small.png", NULL));
  g_ptr_array_add (fields, atelier_form_field_new_bytes ("raw", jpeg, NULL, "image/x-test"));
  g_ptr_array_add (fields, atelier_form_field_new_text ("empty", NULL));

  multipart = atelier_form_build_multipart (fields, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (multipart);
  g_assert_cmpint (soup_multipart_get_length (multipart), ==, 5);

  assert_part (multipart, 0, "name", NULL, NULL, text);
  assert_part (multipart, 1, "tune[images][]", "face 1.jpg", "image/jpeg", jpeg);
  assert_part (multipart, 2, "file", "small.png", "image/png", png);
  assert_part (multipart, 3, "raw", "file", "image/x-test", jpeg);
  assert_part (multipart, 4, "empty", NULL, NULL, empty);
}

static void
test_multipart_from_params (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(GBytes) jpeg = atelier_test_make_image (32, 32, 3, "jpeg");
  g_autoptr(GFile) one = write_bytes (fixture->dir, "1.jpg", jpeg);
  g_autoptr(AtelierTuneParams) params = valid_tune_params ();
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(SoupMultipart) multipart = NULL;
  g_autoptr(GError) error = NULL;

  atelier_tune_params_add_image (params, one);
  fields = atelier_tune_params_to_form (params);
  multipart = atelier_form_build_multipart (fields, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (soup_multipart_get_length (multipart), ==, 4);
  assert_part (multipart, 2, "tune[images][]", "1.jpg", "image/jpeg", jpeg);
}

static void
test_multipart_missing_file (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "missing.jpg", NULL);
  g_autoptr(GFile) missing = g_file_new_for_path (path);
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func ((GDestroyNotify) atelier_form_field_free);
  g_autoptr(SoupMultipart) multipart = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (fields, atelier_form_field_new_text ("name", "man"));
  g_ptr_array_add (fields, atelier_form_field_new_file ("tune[images][]", missing));

  multipart = atelier_form_build_multipart (fields, NULL, &error);
  g_assert_null (multipart);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_FILE);
  g_assert_true (g_str_has_prefix (error->message, "Could not read “missing.jpg”: "));
}

static void
test_multipart_cancelled (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GBytes) jpeg = atelier_test_make_image (16, 16, 4, "jpeg");
  g_autoptr(GFile) file = write_bytes (fixture->dir, "1.jpg", jpeg);
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func ((GDestroyNotify) atelier_form_field_free);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(SoupMultipart) multipart = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (fields, atelier_form_field_new_file ("tune[images][]", file));
  g_cancellable_cancel (cancellable);

  multipart = atelier_form_build_multipart (fields, cancellable, &error);
  g_assert_null (multipart);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* }}} */
/* {{{ Images */

/* Puts an EXIF APP1 segment with one Orientation tag right after SOI. */
static GBytes *
add_exif_orientation (GBytes *jpeg,
                      guint8  orientation)
{
  guint8 app1[] = {
    0xff, 0xe1, 0x00, 0x22,                          /* APP1, 34 bytes */
    'E', 'x', 'i', 'f', 0x00, 0x00,
    'M', 'M', 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08,    /* big-endian TIFF, IFD0 at 8 */
    0x00, 0x01,                                      /* one entry: */
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01,  /* Orientation, SHORT, 1 */
    0x00, orientation, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,                          /* no next IFD */
  };
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (jpeg, &size);
  GByteArray *out = g_byte_array_sized_new (size + sizeof app1);

  g_assert_cmpuint (size, >, 2);
  g_assert_cmpuint (data[0], ==, 0xff);
  g_assert_cmpuint (data[1], ==, 0xd8);

  g_byte_array_append (out, data, 2);
  g_byte_array_append (out, app1, sizeof app1);
  g_byte_array_append (out, data + 2, size - 2);

  return g_byte_array_free_to_bytes (out);
}

static void
test_image_load_scaled (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GFile) file = atelier_test_write_image (fixture->dir, "big.jpg", 3000, 2000, 5, "jpeg");
  g_autoptr(GFile) tall = atelier_test_write_image (fixture->dir, "tall.png", 100, 400, 6, "png");
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) tall_pixbuf = NULL;
  g_autoptr(GdkPixbuf) unscaled = NULL;
  g_autoptr(GError) error = NULL;
  int width = 0, height = 0;

  pixbuf = atelier_image_load_scaled (file, 256, &width, &height, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 256);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 171);
  g_assert_cmpint (width, ==, 3000);
  g_assert_cmpint (height, ==, 2000);

  tall_pixbuf = atelier_image_load_scaled (tall, 200, &width, &height, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (tall_pixbuf), ==, 50);
  g_assert_cmpint (gdk_pixbuf_get_height (tall_pixbuf), ==, 200);
  g_assert_cmpint (width, ==, 100);
  g_assert_cmpint (height, ==, 400);

  /* Small enough, or no limit: as it is */
  unscaled = atelier_image_load_scaled (tall, 0, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (unscaled), ==, 100);
  g_assert_cmpint (gdk_pixbuf_get_height (unscaled), ==, 400);
}

static void
test_image_orientation (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(GBytes) plain = atelier_test_make_image (300, 200, 7, "jpeg");
  g_autoptr(GBytes) rotated = add_exif_orientation (plain, 6);
  g_autoptr(GBytes) mirrored = add_exif_orientation (plain, 2);
  g_autoptr(GFile) file = write_bytes (fixture->dir, "rotated.jpg", rotated);
  g_autoptr(GFile) mirrored_file = write_bytes (fixture->dir, "mirrored.jpg", mirrored);
  g_autoptr(GdkPixbuf) scaled = NULL;
  g_autoptr(GdkPixbuf) full = NULL;
  g_autoptr(GdkPixbuf) flipped = NULL;
  g_autoptr(GError) error = NULL;
  int width = 0, height = 0;

  scaled = atelier_image_load_scaled (file, 100, &width, &height, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (scaled), ==, 67);
  g_assert_cmpint (gdk_pixbuf_get_height (scaled), ==, 100);
  g_assert_cmpint (width, ==, 200);
  g_assert_cmpint (height, ==, 300);

  full = atelier_image_load_scaled (file, 1000, &width, &height, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (full), ==, 200);
  g_assert_cmpint (gdk_pixbuf_get_height (full), ==, 300);
  g_assert_cmpint (width, ==, 200);
  g_assert_cmpint (height, ==, 300);

  /* Orientation 2 mirrors without swapping. */
  flipped = atelier_image_load_scaled (mirrored_file, 150, &width, &height, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (flipped), ==, 150);
  g_assert_cmpint (gdk_pixbuf_get_height (flipped), ==, 100);
  g_assert_cmpint (width, ==, 300);
  g_assert_cmpint (height, ==, 200);
}

static void
assert_load_fails (GFile      *file,
                   const char *name)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) downscale_error = NULL;
  g_autofree char *quoted = g_strdup_printf ("“%s”", name);

  pixbuf = atelier_image_load_scaled (file, 128, NULL, NULL, NULL, &error);
  g_assert_null (pixbuf);
  g_assert_nonnull (error);
  g_assert_true (error->domain == GDK_PIXBUF_ERROR || error->domain == G_IO_ERROR);
  g_assert_nonnull (strstr (error->message, quoted));

  bytes = atelier_image_downscale_to_jpeg (file, 128, NULL, &downscale_error);
  g_assert_null (bytes);
  g_assert_nonnull (downscale_error);
  g_assert_nonnull (strstr (downscale_error->message, quoted));
}

static void
test_image_errors (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GBytes) jpeg = atelier_test_make_image (600, 400, 8, "jpeg");
  gsize size = g_bytes_get_size (jpeg);
  g_autoptr(GFile) truncated = write_file (fixture->dir, "truncated.jpg", g_bytes_get_data (jpeg, NULL), size / 2);
  g_autoptr(GFile) truncated_early = write_file (fixture->dir, "early.jpg", g_bytes_get_data (jpeg, NULL), 300);
  g_autoptr(GFile) text = write_file (fixture->dir, "notes.jpg", "hello, this is not a picture\n", 29);
  g_autoptr(GFile) empty = write_file (fixture->dir, "empty.jpg", "", 0);
  g_autofree char *missing_path = g_build_filename (fixture->dir, "missing.jpg", NULL);
  g_autoptr(GFile) missing = g_file_new_for_path (missing_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  assert_load_fails (truncated, "truncated.jpg");
  assert_load_fails (truncated_early, "early.jpg");
  assert_load_fails (text, "notes.jpg");
  assert_load_fails (empty, "empty.jpg");
  assert_load_fails (missing, "missing.jpg");

  pixbuf = atelier_image_load_scaled (missing, 128, NULL, NULL, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  pixbuf = atelier_image_load_scaled (text, 128, NULL, NULL, NULL, &error);
  g_assert_error (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_UNKNOWN_TYPE);
}

static void
test_image_sniff (void)
{
  static const struct { const char *data; gsize size; const char *mime_type; } cases[] = {
    { "\xff\xd8\xff\xe0", 4, "image/jpeg" },
    { "\x89PNG\r\n\x1a\n\0", 9, "image/png" },
    { "GIF89a", 6, "image/gif" },
    { "RIFF\x10\0\0\0WEBPVP8 ", 16, "image/webp" },
    { "\0\0\0\x18" "ftypheic", 12, "image/heic" },
    { "\0\0\0\x1c" "ftypavif", 12, "image/avif" },
    { "\xff\xd8", 2, NULL },
    { "hello", 5, NULL },
    { "", 0, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpstr (atelier_image_sniff_mime_type ((const guint8 *) cases[i].data, cases[i].size), ==,
                     cases[i].mime_type);
  g_assert_null (atelier_image_sniff_mime_type (NULL, 0));
}

/* Data after the EOI (phones append a video to "motion photos") is not
 * part of the image, whatever bytes it holds. */
static void
test_image_trailer (Fixture       *fixture,
                    gconstpointer  user_data)
{
  static const guint8 trailer[] = {
    0x00, 0x00, 0x00, 0x18, 'f', 't', 'y', 'p', 'm', 'p', '4', '2',
    0xff, 0xda, 0x00, 0x08, 0x01, 0x02, 0xff, 0xd8, 0xff, 0xc4, 0x12,
  };
  g_autoptr(GBytes) jpeg = atelier_test_make_image (320, 240, 14, "jpeg");
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(GFile) file = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;

  g_byte_array_append (data, g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg));
  g_byte_array_append (data, trailer, sizeof trailer);
  file = write_file (fixture->dir, "motion.jpg", data->data, data->len);

  pixbuf = atelier_image_load_scaled (file, 160, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 160);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 120);
}

static void
test_image_cancelled (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GFile) file = atelier_test_write_image (fixture->dir, "a.jpg", 64, 64, 9, "jpeg");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  pixbuf = atelier_image_load_scaled (file, 32, NULL, NULL, cancellable, &error);
  g_assert_null (pixbuf);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* By type: with G_TEST_OPTION_ISOLATE_DIRS there is no MIME database for
 * gdk-pixbuf to guess with. */
static GdkPixbuf *
decode_bytes (GBytes *bytes)
{
  const char *mime_type = atelier_image_sniff_mime_type (g_bytes_get_data (bytes, NULL),
                                                         g_bytes_get_size (bytes));
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (mime_type);
  loader = gdk_pixbuf_loader_new_with_mime_type (mime_type, &error);
  g_assert_no_error (error);
  gdk_pixbuf_loader_write_bytes (loader, bytes, &error);
  g_assert_no_error (error);
  gdk_pixbuf_loader_close (loader, &error);
  g_assert_no_error (error);

  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

static gboolean
is_jpeg (GBytes *bytes)
{
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  return size > 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff;
}

static void
test_image_downscale (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GBytes) big = atelier_test_make_image (2000, 1500, 10, "jpeg");
  g_autoptr(GBytes) small = atelier_test_make_image (300, 200, 11, "jpeg");
  g_autoptr(GBytes) rotated_small = add_exif_orientation (small, 6);
  g_autoptr(GFile) big_file = write_bytes (fixture->dir, "big.jpg", big);
  g_autoptr(GFile) small_file = write_bytes (fixture->dir, "small.jpg", small);
  g_autoptr(GFile) rotated_file = write_bytes (fixture->dir, "rotated.jpg", rotated_small);
  g_autoptr(GFile) png_file = atelier_test_write_image (fixture->dir, "small.png", 300, 200, 12, "png");
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) same = NULL;
  g_autoptr(GBytes) same_rotated = NULL;
  g_autoptr(GBytes) from_png = NULL;
  g_autoptr(GBytes) rotated_scaled = NULL;
  g_autoptr(GdkPixbuf) decoded = NULL;
  g_autoptr(GdkPixbuf) decoded_png = NULL;
  g_autoptr(GdkPixbuf) decoded_rotated = NULL;
  g_autoptr(GError) error = NULL;

  out = atelier_image_downscale_to_jpeg (big_file, 512, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (is_jpeg (out));
  /* 15 times fewer pixels; the smooth test image compresses well at any size. */
  g_assert_cmpuint (g_bytes_get_size (out) * 3, <, g_bytes_get_size (big));
  decoded = decode_bytes (out);
  g_assert_cmpint (gdk_pixbuf_get_width (decoded), ==, 512);
  g_assert_cmpint (gdk_pixbuf_get_height (decoded), ==, 384);

  /* A JPEG already small enough comes back as it is. */
  same = atelier_image_downscale_to_jpeg (small_file, 512, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (same, small));
  same_rotated = atelier_image_downscale_to_jpeg (rotated_file, 300, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (same_rotated, rotated_small));

  /* Other formats become JPEG. */
  from_png = atelier_image_downscale_to_jpeg (png_file, 512, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (is_jpeg (from_png));
  decoded_png = decode_bytes (from_png);
  g_assert_cmpint (gdk_pixbuf_get_width (decoded_png), ==, 300);
  g_assert_cmpint (gdk_pixbuf_get_height (decoded_png), ==, 200);

  /* Scaled: the orientation is applied. */
  rotated_scaled = atelier_image_downscale_to_jpeg (rotated_file, 150, NULL, &error);
  g_assert_no_error (error);
  decoded_rotated = decode_bytes (rotated_scaled);
  g_assert_cmpint (gdk_pixbuf_get_width (decoded_rotated), ==, 100);
  g_assert_cmpint (gdk_pixbuf_get_height (decoded_rotated), ==, 150);
}

static void
test_image_alpha (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GdkPixbuf) transparent = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, 64, 48);
  g_autofree char *path = g_build_filename (fixture->dir, "alpha.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GdkPixbuf) decoded = NULL;
  g_autoptr(GError) error = NULL;
  const guchar *pixels;

  gdk_pixbuf_fill (transparent, 0x00000000);
  gdk_pixbuf_save (transparent, path, "png", &error, NULL);
  g_assert_no_error (error);

  out = atelier_image_downscale_to_jpeg (file, 32, NULL, &error);
  g_assert_no_error (error);
  decoded = decode_bytes (out);
  g_assert_cmpint (gdk_pixbuf_get_width (decoded), ==, 32);
  g_assert_cmpint (gdk_pixbuf_get_height (decoded), ==, 24);
  /* Transparent became white. */
  pixels = gdk_pixbuf_read_pixels (decoded);
  g_assert_cmpuint (pixels[0], >, 240);
}

static void
test_image_async (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GFile) file = atelier_test_write_image (fixture->dir, "a.jpg", 800, 600, 13, "jpeg");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) load_result = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkPixbuf) decoded = NULL;
  g_autoptr(GdkPixbuf) loaded = NULL;
  g_autoptr(GError) error = NULL;
  int width = 0, height = 0;

  atelier_image_downscale_to_jpeg_async (file, 100, NULL, atelier_test_store_result, &result);
  bytes = atelier_image_downscale_to_jpeg_finish (atelier_test_wait_result (&result), &error);
  g_assert_no_error (error);
  decoded = decode_bytes (bytes);
  g_assert_cmpint (gdk_pixbuf_get_width (decoded), ==, 100);
  g_assert_cmpint (gdk_pixbuf_get_height (decoded), ==, 75);

  atelier_image_load_scaled_async (file, 80, NULL, atelier_test_store_result, &load_result);
  loaded = atelier_image_load_scaled_finish (atelier_test_wait_result (&load_result),
                                             &width, &height, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (loaded), ==, 80);
  g_assert_cmpint (gdk_pixbuf_get_height (loaded), ==, 60);
  g_assert_cmpint (width, ==, 800);
  g_assert_cmpint (height, ==, 600);
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/params/errors/field-errors", test_field_errors);
  g_test_add_func ("/params/errors/retryable", test_retryable);

  g_test_add_func ("/params/prompt/specs", test_prompt_specs);
  g_test_add_func ("/params/prompt/fields", test_prompt_fields);
  g_test_add_func ("/params/prompt/copy", test_prompt_copy);
  g_test_add_func ("/params/prompt/rules", test_prompt_rules);
  g_test_add_func ("/params/prompt/required", test_prompt_required);
  g_test_add_func ("/params/prompt/bounds", test_prompt_bounds);
  g_test_add_func ("/params/prompt/dependencies", test_prompt_dependencies);
  g_test_add_func ("/params/prompt/all-errors", test_prompt_all_errors);
  g_test_add_func ("/params/prompt/validate-param", test_prompt_validate_param);
  g_test_add_func ("/params/prompt/programmer-errors/unknown", test_programmer_error_unknown);
  g_test_add_func ("/params/prompt/programmer-errors/set-type", test_programmer_error_set_type);
  g_test_add_func ("/params/prompt/programmer-errors/get-type", test_programmer_error_get_type);
  g_test_add_func ("/params/prompt/programmer-errors/unset", test_programmer_error_unset);
  g_test_add_func ("/params/prompt/changed", test_changed_signal);
  g_test_add_func ("/params/prompt/form", test_prompt_form);
  g_test_add_func ("/params/prompt/form-comma-locale", test_prompt_form_comma_locale);
  g_test_add_func ("/params/prompt/json", test_prompt_json);
  g_test_add_func ("/params/prompt/from-prompt", test_prompt_from_prompt);
  g_test_add_func ("/params/prompt/round-trip", test_prompt_round_trip);

  g_test_add_func ("/params/tune/rules", test_tune_rules);
  g_test_add_func ("/params/tune/required", test_tune_required);
  g_test_add_func ("/params/tune/extra-rules", test_tune_extra_rules);
  g_test_add_func ("/params/tune/changed", test_tune_changed);
  g_test_add_func ("/params/tune/form", test_tune_form);
  g_test_add_func ("/params/tune/pack-form", test_tune_pack_form);
  g_test_add_func ("/params/tune/json", test_tune_json);
  g_test_add_func ("/params/tune/json-minimal", test_tune_json_minimal);
  g_test_add_func ("/params/tune/title-with-uuid", test_title_with_uuid);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/params/multipart/fields", test_multipart);
  ADD ("/params/multipart/from-params", test_multipart_from_params);
  ADD ("/params/multipart/missing-file", test_multipart_missing_file);
  ADD ("/params/multipart/cancelled", test_multipart_cancelled);
  g_test_add_func ("/params/image/sniff", test_image_sniff);
  ADD ("/params/image/load-scaled", test_image_load_scaled);
  ADD ("/params/image/orientation", test_image_orientation);
  ADD ("/params/image/errors", test_image_errors);
  ADD ("/params/image/trailer", test_image_trailer);
  ADD ("/params/image/cancelled", test_image_cancelled);
  ADD ("/params/image/downscale", test_image_downscale);
  ADD ("/params/image/alpha", test_image_alpha);
  ADD ("/params/image/async", test_image_async);

#undef ADD

  return g_test_run ();
}
