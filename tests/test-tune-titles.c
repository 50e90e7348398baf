/* test-tune-titles.c: unique tune titles and the names shown for them
 *
 * The one rule (atelier-tune-params.h): a title gets " - UUID" appended,
 * and only a trailing " - " + valid UUID is taken off again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-tune.h"
#include "atelier-tune-params.h"

#define UUID "3f6c1b2a-9d4e-4c7f-8a1b-2c3d4e5f6a7b"

static void
test_without_uuid (void)
{
  static const struct
  {
    const char *title;
    const char *expected;
  } cases[] = {
    { "Jane - " UUID, "Jane" },
    /* Only the last " - " before a UUID: the rest is the name. */
    { "Before - After - " UUID, "Before - After" },
    { "Jane - Paris 2024", "Jane - Paris 2024" },
    { "Jane - " UUID " - retake", "Jane - " UUID " - retake" },
    /* Not a UUID, or not quite at the end. */
    { "Jane - 3f6c1b2a-9d4e-4c7f-8a1b-2c3d4e5f6a7", "Jane - 3f6c1b2a-9d4e-4c7f-8a1b-2c3d4e5f6a7" },
    { "Jane - 3f6c1b2a-9d4e-4c7f-8a1b-2c3d4e5f6a7bb", "Jane - 3f6c1b2a-9d4e-4c7f-8a1b-2c3d4e5f6a7bb" },
    { "Jane - zzzzzzzz-9d4e-4c7f-8a1b-2c3d4e5f6a7b", "Jane - zzzzzzzz-9d4e-4c7f-8a1b-2c3d4e5f6a7b" },
    { "Jane -" UUID, "Jane -" UUID },
    { "Jane " UUID, "Jane " UUID },
    /* Upper case is a UUID too. */
    { "Jane - 3F6C1B2A-9D4E-4C7F-8A1B-2C3D4E5F6A7B", "Jane" },
    /* Nothing readable before it: the whole title. */
    { UUID, UUID },
    { " - " UUID, " - " UUID },
    { "   - " UUID, "   - " UUID },
    { "", "" },
    /* Multi-byte names are kept as they are. */
    { "Zoë & 日本 - " UUID, "Zoë & 日本" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *readable = atelier_tune_title_without_uuid (cases[i].title);

      g_test_message ("“%s”", cases[i].title);
      g_assert_cmpstr (readable, ==, cases[i].expected);
    }

  g_assert_null (atelier_tune_title_without_uuid (NULL));
}

static void
test_round_trip (void)
{
  static const char * const titles[] = { "Jane headshots", "Before - After", "  padded  ", "Zoë" };

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      g_autofree char *unique = atelier_tune_title_with_uuid (titles[i]);
      g_autofree char *readable = atelier_tune_title_without_uuid (unique);
      g_autofree char *expected = g_strstrip (g_strdup (titles[i]));

      g_assert_cmpstr (readable, !=, unique);
      g_assert_cmpstr (readable, ==, expected);
    }
}

static AtelierTune *
make_tune (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GError) error = NULL;
  AtelierTune *tune = atelier_tune_new_from_json (node, &error);

  g_assert_no_error (error);
  return tune;
}

static void
test_tune_titles (void)
{
  g_autoptr(AtelierTune) unique = make_tune ("{\"id\": 1, \"title\": \"Before - After - " UUID "\"}");
  g_autoptr(AtelierTune) plain = make_tune ("{\"id\": 2, \"title\": \"Jane - Paris\"}");
  g_autoptr(AtelierTune) untitled = make_tune ("{\"id\": 3, \"title\": null}");
  g_autoptr(AtelierTune) empty = make_tune ("{\"id\": 4, \"title\": \"\"}");
  g_autofree char *unique_full = atelier_tune_dup_display_title (unique);
  g_autofree char *unique_short = atelier_tune_dup_short_title (unique);
  g_autofree char *plain_short = atelier_tune_dup_short_title (plain);
  g_autofree char *untitled_full = atelier_tune_dup_display_title (untitled);
  g_autofree char *untitled_short = atelier_tune_dup_short_title (untitled);
  g_autofree char *empty_short = atelier_tune_dup_short_title (empty);

  g_assert_cmpstr (unique_full, ==, "Before - After - " UUID);
  g_assert_cmpstr (unique_short, ==, "Before - After");
  g_assert_cmpstr (plain_short, ==, "Jane - Paris");
  g_assert_cmpstr (untitled_full, ==, "Tune 3");
  g_assert_cmpstr (untitled_short, ==, "Tune 3");
  g_assert_cmpstr (empty_short, ==, "Tune 4");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tune-titles/without-uuid", test_without_uuid);
  g_test_add_func ("/tune-titles/round-trip", test_round_trip);
  g_test_add_func ("/tune-titles/tune", test_tune_titles);

  return g_test_run ();
}
