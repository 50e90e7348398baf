/* test-pack-likes.c: liked prompts counted for the pack they came from
 *
 * A copy of a known pack prompt (orig_prompt_id) counts for its pack
 * whatever the runs say; otherwise a prompt made on a run's tune at or
 * after the run started counts for that run's pack, the latest run on the
 * tune winning (a theme run counts for no pack); prompts made before any
 * run, on other tunes, or not liked twice over, count for nothing more.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-pack-likes.h"

static AtelierPack *
make_pack (gint64 id)
{
  g_autofree char *json = g_strdup_printf ("{\"id\": %" G_GINT64_FORMAT ", \"title\": \"Pack %" G_GINT64_FORMAT "\"}", id, id);
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GError) error = NULL;
  AtelierPack *pack = atelier_pack_new_from_json (node, &error);

  g_assert_no_error (error);
  return pack;
}

static AtelierTune *
make_tune (gint64 id)
{
  g_autofree char *json = g_strdup_printf ("{\"id\": %" G_GINT64_FORMAT ", \"title\": \"T\", \"name\": \"woman\"}", id);
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GError) error = NULL;
  AtelierTune *tune = atelier_tune_new_from_json (node, &error);

  g_assert_no_error (error);
  return tune;
}

/* A prompt on @tune_id made on 1 Dec 2026 at @hour:00 UTC. */
static AtelierPrompt *
make_prompt (gint64 id,
             gint64 tune_id,
             int    hour,
             gint64 orig_prompt_id)
{
  g_autofree char *orig = orig_prompt_id != 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, orig_prompt_id) : g_strdup ("null");
  g_autofree char *json = g_strdup_printf ("{\"id\": %" G_GINT64_FORMAT ", \"tune_id\": %" G_GINT64_FORMAT ","
                                           " \"created_at\": \"2026-12-01T%02d:00:00.000Z\", \"text\": \"x\","
                                           " \"orig_prompt_id\": %s}",
                                           id, tune_id, hour, orig);
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GError) error = NULL;
  AtelierPrompt *prompt = atelier_prompt_new_from_json (node, &error);

  g_assert_no_error (error);
  return prompt;
}

/* A run on tunes @first… (0-terminated) started on 1 Dec 2026 at @hour. */
static AtelierPackRun *
make_run (gint64 pack_id,
          int    hour,
          gint64 first,
          ...)
{
  g_autoptr(GPtrArray) tunes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) started = g_date_time_new_utc (2026, 12, 1, hour, 0, 0);
  va_list args;

  va_start (args, first);
  for (gint64 id = first; id != 0; id = va_arg (args, gint64))
    g_ptr_array_add (tunes, make_tune (id));
  va_end (args);

  if (pack_id == 0)
    return atelier_pack_run_new_for_theme ("Film noir", tunes, started);
  else
    {
      g_autoptr(AtelierPack) pack = make_pack (pack_id);

      return atelier_pack_run_new_for_pack (pack, tunes, started);
    }
}

static void
test_by_runs (void)
{
  g_autoptr(AtelierPackLikes) likes = atelier_pack_likes_new ();
  g_autoptr(GListStore) runs = g_list_store_new (ATELIER_TYPE_PACK_RUN);
  g_autoptr(GPtrArray) liked = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(AtelierPackRun) pack_run = make_run (260, 10, G_GINT64_CONSTANT (11), G_GINT64_CONSTANT (12), G_GINT64_CONSTANT (0));
  g_autoptr(AtelierPackRun) later_run = make_run (261, 14, G_GINT64_CONSTANT (12), G_GINT64_CONSTANT (0));
  g_autoptr(AtelierPackRun) theme_run = make_run (0, 16, G_GINT64_CONSTANT (11), G_GINT64_CONSTANT (0));

  g_list_store_append (runs, pack_run);
  g_list_store_append (runs, later_run);
  g_list_store_append (runs, theme_run);

  g_ptr_array_add (liked, make_prompt (1, 11, 10, 0));   /* at the start of pack 260's run: 260 */
  g_ptr_array_add (liked, make_prompt (2, 11, 12, 0));   /* later, still 260's */
  g_ptr_array_add (liked, make_prompt (3, 11, 9, 0));    /* before any run: none */
  g_ptr_array_add (liked, make_prompt (4, 12, 13, 0));   /* tune 12 before 261's run: 260 */
  g_ptr_array_add (liked, make_prompt (5, 12, 15, 0));   /* tune 12 after 261's run: 261 */
  g_ptr_array_add (liked, make_prompt (6, 11, 17, 0));   /* tune 11 after the theme: none */
  g_ptr_array_add (liked, make_prompt (7, 99, 12, 0));   /* a tune of no run: none */
  g_ptr_array_add (liked, make_prompt (2, 11, 12, 0));   /* the same prompt twice counts once */

  atelier_pack_likes_update (likes, liked, G_LIST_MODEL (runs));
  g_assert_cmpuint (atelier_pack_likes_get_count (likes, 260), ==, 3);
  g_assert_cmpuint (atelier_pack_likes_get_count (likes, 261), ==, 1);
  g_assert_cmpuint (atelier_pack_likes_get_count (likes, 0), ==, 0);
  g_assert_cmpuint (atelier_pack_likes_get_count (likes, 262), ==, 0);

  /* An unreadable run takes part in nothing. */
  {
    g_autoptr(GError) broken = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "cut off");
    g_autoptr(AtelierPackRun) unreadable = atelier_pack_run_new_unreadable ("x.json", broken);

    g_list_store_append (runs, unreadable);
  }
  atelier_pack_likes_update (likes, liked, G_LIST_MODEL (runs));
  g_assert_cmpuint (atelier_pack_likes_get_count (likes, 260), ==, 3);

  /* Without runs, nothing is known. */
  atelier_pack_likes_update (likes, liked, NULL);
  g_assert_cmpuint (atelier_pack_likes_get_count (likes, 260), ==, 0);
}

static void
test_by_orig_prompt (void)
{
  g_autoptr(AtelierPackLikes) likes = atelier_pack_likes_new ();
  g_autoptr(GListStore) runs = g_list_store_new (ATELIER_TYPE_PACK_RUN);
  g_autoptr(GPtrArray) liked = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) templates = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(AtelierPackRun) pack_run = make_run (260, 10, G_GINT64_CONSTANT (11), G_GINT64_CONSTANT (0));
  g_autoptr(AtelierPrompt) made = NULL;

  g_list_store_append (runs, pack_run);
  g_ptr_array_add (templates, make_prompt (9000001, 690204, 1, 0));
  g_ptr_array_add (templates, make_prompt (9000002, 690204, 1, 0));

  g_ptr_array_add (liked, make_prompt (1, 11, 12, 9000002));   /* a copy of 260's prompt, in the run */
  g_ptr_array_add (liked, make_prompt (2, 50, 8, 9000001));    /* a copy on a tune of no run: still 260 */
  g_ptr_array_add (liked, make_prompt (3, 11, 12, 0));         /* the user's own prompt on the run's tune */
  g_ptr_array_add (liked, make_prompt (4, 11, 12, 7));         /* another pack's copy */

  /* Unknown prompts: the run decides, for every prompt in it. */
  g_assert_false (atelier_pack_likes_knows_prompts (likes, 260));
  atelier_pack_likes_update (likes, liked, G_LIST_MODEL (runs));
  g_assert_cmpuint (atelier_pack_likes_get_count (likes, 260), ==, 3);

  /* Known: the copies of its prompts, wherever they are, and no other. */
  atelier_pack_likes_set_pack_prompts (likes, 260, templates);
  g_assert_true (atelier_pack_likes_knows_prompts (likes, 260));
  atelier_pack_likes_update (likes, liked, G_LIST_MODEL (runs));
  g_assert_cmpuint (atelier_pack_likes_get_count (likes, 260), ==, 2);
  made = make_prompt (5, 11, 12, 9000001);
  g_assert_cmpint (atelier_pack_likes_find_pack (likes, made, NULL), ==, 260);

  /* Set again with fewer: the dropped prompt is no longer the pack's. */
  g_ptr_array_remove_index (templates, 1);
  atelier_pack_likes_set_pack_prompts (likes, 260, templates);
  atelier_pack_likes_update (likes, liked, G_LIST_MODEL (runs));
  g_assert_cmpuint (atelier_pack_likes_get_count (likes, 260), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pack-likes/by-runs", test_by_runs);
  g_test_add_func ("/pack-likes/by-orig-prompt", test_by_orig_prompt);

  return g_test_run ();
}
