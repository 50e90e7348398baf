/* test-prompt-tags.c: the prompt text's tags
 *
 * Pure functions of the api library: no display, no GTK. Where prompts go
 * is tested in test-prompt-route.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "atelier-prompt-tags.h"

static const AtelierPromptTag *
tag_at (GArray *tags,
        guint   i)
{
  g_assert_cmpuint (i, <, tags->len);
  return &g_array_index (tags, AtelierPromptTag, i);
}

/* The text a tag covers. */
static char *
source (const char             *text,
        const AtelierPromptTag *tag)
{
  g_assert_cmpuint (tag->start, <, tag->end);
  g_assert_cmpuint (tag->end, <=, strlen (text));
  return g_strndup (text + tag->start, tag->end - tag->start);
}

static void
test_well_formed (void)
{
  const char *text = "<lora:1504944:0.75> ohwx woman, {{eye_color}}, <faceid:42:1> in the alps";
  g_autoptr(GArray) tags = atelier_prompt_tags_parse (text);
  g_autofree char *lora = NULL;
  g_autofree char *characteristic = NULL;
  g_autofree char *faceid = NULL;

  g_assert_cmpuint (tags->len, ==, 3);

  g_assert_cmpint (tag_at (tags, 0)->kind, ==, ATELIER_PROMPT_TAG_LORA);
  g_assert_true (tag_at (tags, 0)->valid);
  g_assert_null (tag_at (tags, 0)->problem);
  g_assert_cmpint (tag_at (tags, 0)->tune_id, ==, 1504944);
  g_assert_cmpfloat (tag_at (tags, 0)->weight, ==, 0.75);
  lora = source (text, tag_at (tags, 0));
  g_assert_cmpstr (lora, ==, "<lora:1504944:0.75>");

  g_assert_cmpint (tag_at (tags, 1)->kind, ==, ATELIER_PROMPT_TAG_CHARACTERISTIC);
  g_assert_true (tag_at (tags, 1)->valid);
  g_assert_cmpstr (tag_at (tags, 1)->name, ==, "eye_color");
  characteristic = source (text, tag_at (tags, 1));
  g_assert_cmpstr (characteristic, ==, "{{eye_color}}");

  g_assert_cmpint (tag_at (tags, 2)->kind, ==, ATELIER_PROMPT_TAG_FACEID);
  g_assert_true (tag_at (tags, 2)->valid);
  g_assert_cmpint (tag_at (tags, 2)->tune_id, ==, 42);
  faceid = source (text, tag_at (tags, 2));
  g_assert_cmpstr (faceid, ==, "<faceid:42:1>");

  g_assert_true (atelier_prompt_tags_has_kind (text, ATELIER_PROMPT_TAG_FACEID));
  g_assert_true (atelier_prompt_tags_has_tune (text, 42));
  g_assert_true (atelier_prompt_tags_has_tune (text, 1504944));
  g_assert_false (atelier_prompt_tags_has_tune (text, 43));
}

static void
test_nested (void)
{
  /* A "<" inside a candidate starts a new one: the outer is malformed, the
   * inner is found. */
  const char *text = "a <lora:<lora:7:1> b";
  g_autoptr(GArray) tags = atelier_prompt_tags_parse (text);
  g_autofree char *outer = NULL;
  g_autofree char *inner = NULL;

  g_assert_cmpuint (tags->len, ==, 2);
  g_assert_false (tag_at (tags, 0)->valid);
  g_assert_nonnull (tag_at (tags, 0)->problem);
  outer = source (text, tag_at (tags, 0));
  g_assert_cmpstr (outer, ==, "<lora:");
  g_assert_true (tag_at (tags, 1)->valid);
  g_assert_cmpint (tag_at (tags, 1)->tune_id, ==, 7);
  inner = source (text, tag_at (tags, 1));
  g_assert_cmpstr (inner, ==, "<lora:7:1>");

  /* Braces: the innermost pair is the tag. */
  {
    const char *braces = "x {{{hair}}} y {{ {{age}} }}";
    g_autoptr(GArray) more = atelier_prompt_tags_parse (braces);
    g_autofree char *first = NULL;
    g_autofree char *second = NULL;

    g_assert_cmpuint (more->len, >=, 2);
    first = source (braces, tag_at (more, 0));
    g_assert_cmpstr (first, ==, "{{hair}}");
    g_assert_cmpstr (tag_at (more, 0)->name, ==, "hair");

    /* "{{ {{age}}": the first opening has another inside, so only the
     * inner one is a tag; the trailing " }}" is left alone. */
    second = source (braces, tag_at (more, 1));
    g_assert_cmpstr (second, ==, "{{age}}");
    g_assert_true (tag_at (more, 1)->valid);
    g_assert_cmpuint (more->len, ==, 2);
  }
}

static void
test_malformed (void)
{
  static const struct
  {
    const char *text;
    const char *tag;   /* what the invalid tag covers */
  } cases[] = {
    { "<lora:abc:1> x", "<lora:abc:1>" },          /* id not a number */
    { "<lora:12> x", "<lora:12>" },                /* no weight */
    { "<lora:12:1:3>", "<lora:12:1:3>" },          /* too many parts */
    { "<lora:12:heavy>", "<lora:12:heavy>" },      /* weight not a number */
    { "<lora:0:1>", "<lora:0:1>" },                /* id must be positive */
    { "<lora:-5:1>", "<lora:-5:1>" },
    { "<faceid:12:0.5>", "<faceid:12:0.5>" },      /* FaceID ends in :1 */
    { "<faceid:12:1", "<faceid:12:1" },            /* not closed */
    { "<lora:12:1\nnext line>", "<lora:12:1" },    /* a tag is one line */
    { "{{eye color}}", "{{eye color}}" },           /* not a name */
    { "{{}}", "{{}}" },
    { "{{hair", "{{hair" },                         /* not closed */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GArray) tags = atelier_prompt_tags_parse (cases[i].text);
      g_autofree char *covered = NULL;

      g_test_message ("%s", cases[i].text);
      g_assert_cmpuint (tags->len, ==, 1);
      g_assert_false (tag_at (tags, 0)->valid);
      g_assert_nonnull (tag_at (tags, 0)->problem);
      covered = source (cases[i].text, tag_at (tags, 0));
      g_assert_cmpstr (covered, ==, cases[i].tag);
    }

  /* Things that are no tags at all. */
  {
    g_autoptr(GArray) none = atelier_prompt_tags_parse ("I <3 you, a < b > c, <lorax:1:1>, {single}, }} {");
    g_assert_cmpuint (none->len, ==, 0);
  }

  /* Case and spaces inside are tolerated. */
  {
    g_autoptr(GArray) loose = atelier_prompt_tags_parse ("<LoRA: 12 : 0.5> {{ hair }}");
    g_assert_cmpuint (loose->len, ==, 2);
    g_assert_true (tag_at (loose, 0)->valid);
    g_assert_cmpint (tag_at (loose, 0)->tune_id, ==, 12);
    g_assert_cmpfloat (tag_at (loose, 0)->weight, ==, 0.5);
    g_assert_true (tag_at (loose, 1)->valid);
    g_assert_cmpstr (tag_at (loose, 1)->name, ==, "hair");
  }

  {
    g_autoptr(GArray) empty = atelier_prompt_tags_parse (NULL);
    g_assert_cmpuint (empty->len, ==, 0);
  }
}

static void
test_unicode (void)
{
  /* Multi-byte text around and inside: offsets stay on characters. */
  const char *text = "Porträt 🎨 <lora:99:1.2> café {{couleur_des_yeux}} 日本語 {{色}} <faceid:5:1>✨";
  g_autoptr(GArray) tags = atelier_prompt_tags_parse (text);
  g_autofree char *lora = NULL;
  g_autofree char *french = NULL;
  g_autofree char *kanji = NULL;
  g_autofree char *faceid = NULL;

  g_assert_cmpuint (tags->len, ==, 4);
  for (guint i = 0; i < tags->len; i++)
    {
      g_assert_true (g_utf8_validate (text, tag_at (tags, i)->start, NULL));
      g_assert_true (tag_at (tags, i)->valid);
    }

  lora = source (text, tag_at (tags, 0));
  g_assert_cmpstr (lora, ==, "<lora:99:1.2>");
  french = source (text, tag_at (tags, 1));
  g_assert_cmpstr (french, ==, "{{couleur_des_yeux}}");
  kanji = source (text, tag_at (tags, 2));
  g_assert_cmpstr (kanji, ==, "{{色}}");
  g_assert_cmpstr (tag_at (tags, 2)->name, ==, "色");
  faceid = source (text, tag_at (tags, 3));
  g_assert_cmpstr (faceid, ==, "<faceid:5:1>");

  /* Invalid UTF-8 ends the scan: nothing after it is a tag. */
  {
    const char bad[] = "<lora:1:1> \xff\xfe <lora:2:1>";
    g_autoptr(GArray) cut = atelier_prompt_tags_parse (bad);

    g_assert_cmpuint (cut->len, ==, 1);
    g_assert_cmpint (tag_at (cut, 0)->tune_id, ==, 1);
  }

  /* A full-width "＜" is no tag opener. */
  {
    g_autoptr(GArray) wide = atelier_prompt_tags_parse ("＜lora:1:1＞");
    g_assert_cmpuint (wide->len, ==, 0);
  }
}

static void
test_format (void)
{
  g_autofree char *lora = NULL;
  g_autofree char *lora_half = NULL;
  g_autofree char *faceid = NULL;
  g_autofree char *characteristic = NULL;

  /* Weights keep '.' whatever the locale. */
  setlocale (LC_NUMERIC, "de_DE.UTF-8");
  lora = atelier_prompt_tag_format_lora (123, 1.0);
  lora_half = atelier_prompt_tag_format_lora (123, 0.65);
  setlocale (LC_NUMERIC, "C");
  faceid = atelier_prompt_tag_format_faceid (77);
  characteristic = atelier_prompt_tag_format_characteristic ("eye_color");

  g_assert_cmpstr (lora, ==, "<lora:123:1>");
  g_assert_cmpstr (lora_half, ==, "<lora:123:0.65>");
  g_assert_cmpstr (faceid, ==, "<faceid:77:1>");
  g_assert_cmpstr (characteristic, ==, "{{eye_color}}");

  /* What is formatted parses back. */
  g_assert_true (atelier_prompt_tags_has_tune (lora_half, 123));
  g_assert_true (atelier_prompt_tags_has_kind (faceid, ATELIER_PROMPT_TAG_FACEID));
  g_assert_true (atelier_prompt_tags_has_kind (characteristic, ATELIER_PROMPT_TAG_CHARACTERISTIC));
}

static void
test_has (void)
{
  const char *text = "<lora:12:1> {{hair}} <faceid:x:1> <lora:13:0.5";

  /* Only valid tags count. */
  g_assert_true (atelier_prompt_tags_has_tune (text, 12));
  g_assert_false (atelier_prompt_tags_has_tune (text, 13));
  g_assert_false (atelier_prompt_tags_has_tune (text, 0));
  g_assert_true (atelier_prompt_tags_has_kind (text, ATELIER_PROMPT_TAG_LORA));
  g_assert_true (atelier_prompt_tags_has_kind (text, ATELIER_PROMPT_TAG_CHARACTERISTIC));
  g_assert_false (atelier_prompt_tags_has_kind (text, ATELIER_PROMPT_TAG_FACEID));

  /* A characteristic is no tune. */
  g_assert_false (atelier_prompt_tags_has_tune ("{{hair}}", 0));
  g_assert_false (atelier_prompt_tags_has_kind (NULL, ATELIER_PROMPT_TAG_LORA));
}

static guint
n_problems (const char *text,
            const char *family,
            gint64      added_lora)
{
  g_auto(GStrv) problems = atelier_prompt_tags_problems (text, family, added_lora);

  return g_strv_length (problems);
}

/* 20-sdxl-api.md: "With SDXL you cannot combine multiple LoRAs." */
static void
test_problems (void)
{
  g_auto(GStrv) problems = atelier_prompt_tags_problems ("<lora:1:1> <lora:2:0.5> <lora:1:0.3>", "sdxl1", 0);

  g_assert_cmpuint (g_strv_length (problems), ==, 1);
  g_assert_cmpstr (problems[0], ==,
                   "SDXL loads one LoRA per prompt, and this prompt loads 2 (tunes 1, 2): keep one LoRA tag.");

  /* One LoRA, however often it is written; the added one counts. */
  g_assert_cmpuint (n_problems ("<lora:1:1> a <lora:1:0.5>", "sdxl1", 0), ==, 0);
  g_assert_cmpuint (n_problems ("<lora:1:1> a", "sdxl1", 1), ==, 0);
  g_assert_cmpuint (n_problems ("<lora:2:1> a", "sdxl1", 1), ==, 1);
  g_assert_cmpuint (n_problems ("a", "sdxl1", 1), ==, 0);
  g_assert_cmpuint (n_problems (NULL, "sdxl1", 0), ==, 0);
  /* Malformed tags and FaceID tags are no LoRA. */
  g_assert_cmpuint (n_problems ("<lora:1:1> <lora:2> <lora:3:x> <faceid:4:1>", "sdxl1", 0), ==, 0);
  /* Other families combine LoRAs. */
  g_assert_cmpuint (n_problems ("<lora:1:1> <lora:2:1>", "flux1", 0), ==, 0);
  g_assert_cmpuint (n_problems ("<lora:1:1> <lora:2:1>", "sd15", 0), ==, 0);
  g_assert_cmpuint (n_problems ("<lora:1:1> <lora:2:1>", NULL, 0), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/prompt-tags/well-formed", test_well_formed);
  g_test_add_func ("/prompt-tags/nested", test_nested);
  g_test_add_func ("/prompt-tags/malformed", test_malformed);
  g_test_add_func ("/prompt-tags/unicode", test_unicode);
  g_test_add_func ("/prompt-tags/format", test_format);
  g_test_add_func ("/prompt-tags/has", test_has);
  g_test_add_func ("/prompt-tags/problems", test_problems);

  return g_test_run ();
}
