/* atelier-prompt-tags.c: the tags of a prompt's text
 *
 * The scanner only looks at ASCII bytes ('<', '>', '{', '}', ':'), which
 * never occur inside a multi-byte UTF-8 sequence, so offsets stay on
 * character boundaries whatever the text around the tags.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "atelier-prompt-tags.h"

static void
tag_clear (gpointer data)
{
  AtelierPromptTag *tag = data;

  g_clear_pointer (&tag->name, g_free);
}

static gboolean
parse_id (const char *text,
          gint64     *id)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    return FALSE;

  *id = (gint64) value;
  return TRUE;
}

static gboolean
parse_weight (const char *text,
              double     *weight)
{
  char *end = NULL;
  double value;

  if (*text == '\0')
    return FALSE;

  value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (value))
    return FALSE;

  *weight = value;
  return TRUE;
}

/* "ID:WEIGHT" between "<lora:" or "<faceid:" and ">". */
static void
parse_adapter_body (AtelierPromptTag *tag,
                    const char       *body,
                    gsize             length)
{
  g_autofree char *copy = g_strndup (body, length);
  g_auto(GStrv) parts = g_strsplit (copy, ":", -1);

  if (g_strv_length (parts) != 2)
    {
      tag->problem = N_("expected <kind:ID:WEIGHT>");
      return;
    }

  g_strstrip (parts[0]);
  g_strstrip (parts[1]);

  if (!parse_id (parts[0], &tag->tune_id))
    {
      tag->problem = N_("the tune ID must be a positive number");
      return;
    }

  if (!parse_weight (parts[1], &tag->weight))
    {
      tag->problem = N_("the weight must be a number");
      return;
    }

  if (tag->kind == ATELIER_PROMPT_TAG_FACEID && tag->weight != 1.0)
    {
      tag->problem = N_("a FaceID tag always ends in :1");
      return;
    }

  tag->valid = TRUE;
}

/* Tries a tag at @text[@i] == '<'. Returns where scanning goes on. */
static gsize
scan_adapter (const char *text,
              gsize       length,
              gsize       i,
              GArray     *tags)
{
  AtelierPromptTag tag = { 0 };
  gsize body;
  gsize j;

  if (g_ascii_strncasecmp (text + i + 1, "lora:", 5) == 0)
    {
      tag.kind = ATELIER_PROMPT_TAG_LORA;
      body = i + 6;
    }
  else if (g_ascii_strncasecmp (text + i + 1, "faceid:", 7) == 0)
    {
      tag.kind = ATELIER_PROMPT_TAG_FACEID;
      body = i + 8;
    }
  else
    {
      return i + 1;
    }

  /* g_ascii_strncasecmp stopped at a NUL, so body <= length. */
  for (j = body; j < length && text[j] != '>' && text[j] != '<' && text[j] != '\n'; j++)
    ;

  tag.start = i;
  if (j < length && text[j] == '>')
    {
      tag.end = j + 1;
      parse_adapter_body (&tag, text + body, j - body);
    }
  else
    {
      tag.end = j;
      tag.problem = N_("the tag is not closed with “>”");
    }

  g_array_append_val (tags, tag);

  return tag.end > j ? tag.end : j;
}

static gboolean
is_name (const char *name)
{
  if (*name == '\0')
    return FALSE;

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != '_' && !g_unichar_isalnum (c))
        return FALSE;
    }

  return TRUE;
}

/* Tries a characteristic at @text[@i] == '{', @text[@i + 1] == '{'. */
static gsize
scan_characteristic (const char *text,
                     gsize       length,
                     gsize       i,
                     GArray     *tags)
{
  AtelierPromptTag tag = { .kind = ATELIER_PROMPT_TAG_CHARACTERISTIC };
  g_autofree char *name = NULL;
  gsize k;

  /* "{{{x}}}": the tag is the innermost "{{x}}". */
  while (i + 2 < length && text[i + 2] == '{')
    i++;

  for (k = i + 2; k < length && text[k] != '\n'; k++)
    {
      if (text[k] == '}' && k + 1 < length && text[k + 1] == '}')
        break;
      /* A new opening inside: this one was not a tag. */
      if (text[k] == '{' && k + 1 < length && text[k + 1] == '{')
        return k;
    }

  tag.start = i;
  if (k < length && text[k] == '}')
    {
      tag.end = k + 2;
      name = g_strndup (text + i + 2, k - i - 2);
      g_strstrip (name);
      if (is_name (name))
        {
          tag.valid = TRUE;
          tag.name = g_steal_pointer (&name);
        }
      else
        {
          tag.problem = N_("a characteristic is a name of letters, digits and “_”");
        }
    }
  else
    {
      tag.end = k;
      tag.problem = N_("the tag is not closed with “}}”");
    }

  g_array_append_val (tags, tag);

  return tag.end;
}

GArray *
atelier_prompt_tags_parse (const char *text)
{
  GArray *tags = g_array_new (FALSE, TRUE, sizeof (AtelierPromptTag));
  const char *valid_end = NULL;
  gsize length;
  gsize i = 0;

  g_array_set_clear_func (tags, tag_clear);

  if (text == NULL)
    return tags;

  g_utf8_validate (text, -1, &valid_end);
  length = (gsize) (valid_end - text);

  while (i < length)
    {
      if (text[i] == '<')
        i = scan_adapter (text, length, i, tags);
      else if (text[i] == '{' && i + 1 < length && text[i + 1] == '{')
        i = scan_characteristic (text, length, i, tags);
      else
        i++;
    }

  return tags;
}

char *
atelier_prompt_tag_format_lora (gint64 tune_id,
                                double weight)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buffer, sizeof buffer, "%g", weight);

  return g_strdup_printf ("<lora:%" G_GINT64_FORMAT ":%s>", tune_id, buffer);
}

char *
atelier_prompt_tag_format_faceid (gint64 tune_id)
{
  return g_strdup_printf ("<faceid:%" G_GINT64_FORMAT ":1>", tune_id);
}

char *
atelier_prompt_tag_format_characteristic (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  return g_strdup_printf ("{{%s}}", name);
}

/* TRUE when @text has a valid tag of one of @kinds (a mask of
 * 1 << AtelierPromptTagKind) and, unless @tune_id is 0, of @tune_id. */
static gboolean
has_valid_tag (const char *text,
               guint       kinds,
               gint64      tune_id)
{
  g_autoptr(GArray) tags = atelier_prompt_tags_parse (text);

  for (guint i = 0; i < tags->len; i++)
    {
      const AtelierPromptTag *tag = &g_array_index (tags, AtelierPromptTag, i);

      if (tag->valid && (kinds & (1u << tag->kind)) != 0 && (tune_id == 0 || tag->tune_id == tune_id))
        return TRUE;
    }

  return FALSE;
}

gboolean
atelier_prompt_tags_has_kind (const char           *text,
                              AtelierPromptTagKind  kind)
{
  return has_valid_tag (text, 1u << kind, 0);
}

gboolean
atelier_prompt_tags_has_tune (const char *text,
                              gint64      tune_id)
{
  /* Tags of tune 0 do not parse: none has it. */
  return tune_id != 0 &&
         has_valid_tag (text, (1u << ATELIER_PROMPT_TAG_LORA) | (1u << ATELIER_PROMPT_TAG_FACEID), tune_id);
}

/* The different LoRA tunes of @text's valid tags, @added_lora first
 * unless 0. (transfer full) (element-type gint64) */
static GArray *
loaded_loras (const char *text,
              gint64      added_lora)
{
  g_autoptr(GArray) tags = atelier_prompt_tags_parse (text);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (added_lora != 0)
    g_array_append_val (ids, added_lora);

  for (guint i = 0; i < tags->len; i++)
    {
      const AtelierPromptTag *tag = &g_array_index (tags, AtelierPromptTag, i);
      gboolean seen = FALSE;

      if (!tag->valid || tag->kind != ATELIER_PROMPT_TAG_LORA)
        continue;
      for (guint j = 0; j < ids->len && !seen; j++)
        seen = g_array_index (ids, gint64, j) == tag->tune_id;
      if (!seen)
        g_array_append_val (ids, tag->tune_id);
    }

  return ids;
}

GStrv
atelier_prompt_tags_problems (const char *text,
                              const char *family,
                              gint64      added_lora)
{
  g_autoptr(GStrvBuilder) problems = g_strv_builder_new ();

  /* 20-sdxl-api.md: "With SDXL you cannot combine multiple LoRAs." */
  if (g_strcmp0 (family, "sdxl1") == 0)
    {
      g_autoptr(GArray) ids = loaded_loras (text, added_lora);

      if (ids->len > 1)
        {
          g_autoptr(GString) list = g_string_new (NULL);
          g_autofree char *problem = NULL;

          for (guint i = 0; i < ids->len; i++)
            g_string_append_printf (list, "%s%" G_GINT64_FORMAT, i > 0 ? ", " : "",
                                    g_array_index (ids, gint64, i));
          /* Translators: %u is at least 2; %s lists the LoRA tune IDs */
          problem = g_strdup_printf (ngettext ("SDXL loads one LoRA per prompt, and this prompt loads %u (tunes %s): keep one LoRA tag.",
                                               "SDXL loads one LoRA per prompt, and this prompt loads %u (tunes %s): keep one LoRA tag.",
                                               ids->len),
                                     ids->len, list->str);
          g_strv_builder_add (problems, problem);
        }
    }

  return g_strv_builder_end (problems);
}
