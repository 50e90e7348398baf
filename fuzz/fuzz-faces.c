/* fuzz-faces.c: the sandbox's check of the faces a fal submit carries
 *
 * The input is a zip archive, sent as face_images_data_url
 * ("data:application/zip;base64,…"): libarchive reads it and every entry
 * is decoded as an image. An input that starts with "data:" is instead
 * taken as it is, as both face_image_url and face_images_data_url (the
 * data: URL's own parsing and base64).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-common.h"

#include <stdint.h>
#include <string.h>

#include "atelier-sandbox-private.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  /* gdk-pixbuf's loaders complain about broken files: not ours */
  fuzz_init_except (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING, "GdkPixbuf");
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonObject) input = json_object_new ();
  g_autoptr(JsonObject) answer = NULL;
  const char *failure_field = NULL;

  if (size >= 5 && memcmp (data, "data:", 5) == 0)
    {
      g_autofree char *url = g_strndup ((const char *) data, size);

      json_object_set_string_member (input, "face_image_url", url);
      json_object_set_string_member (input, "face_images_data_url", url);
    }
  else
    {
      g_autofree char *encoded = g_base64_encode (data, size);
      g_autofree char *url = g_strconcat ("data:application/zip;base64,", encoded, NULL);

      json_object_set_string_member (input, "face_images_data_url", url);
    }

  answer = _atelier_sandbox_fal_check_faces_for_fuzzing (input, &failure_field);
  if (answer != NULL)
    g_assert_true (json_object_has_member (answer, "detail"));
  if (failure_field != NULL)
    g_assert_true (g_str_equal (failure_field, "face_image_url") ||
                   g_str_equal (failure_field, "face_images_data_url"));

  return 0;
}
