/* atelier-prompt-tags.h: the tags of a prompt's text
 *
 * Astria reads three kinds of tag in prompt text:
 *   <lora:ID:WEIGHT>   a LoRA tune loaded at WEIGHT (Flux, SDXL);
 *   <faceid:ID:1>      a FaceID tune (the trailing 1 is fixed, NOTES.md);
 *   {{characteristic}} replaced by the tune's characteristic of that name.
 * Pure functions, no GTK: the editor highlights what these find.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  ATELIER_PROMPT_TAG_LORA,
  ATELIER_PROMPT_TAG_FACEID,
  ATELIER_PROMPT_TAG_CHARACTERISTIC,
} AtelierPromptTagKind;

typedef struct
{
  AtelierPromptTagKind  kind;
  gsize                 start;    /* byte offsets into the text; end is exclusive */
  gsize                 end;
  gboolean              valid;    /* FALSE: looks like a tag but is malformed */
  const char           *problem;  /* why not valid (static, marked for translation: show it translated), or NULL */
  gint64                tune_id;  /* LORA, FACEID */
  double                weight;   /* LORA, FACEID */
  char                 *name;     /* CHARACTERISTIC (owned) */
} AtelierPromptTag;

/* Every tag of @text (UTF-8; invalid UTF-8 gives no tags after it) in
 * order. An opening "<lora:" or "<faceid:" that does not complete a tag
 * is reported as an invalid tag up to its ">" (or to the end of the text
 * or the next "<"); a "<" inside another tag starts a new candidate, so
 * "<lora:<lora:1:1>" yields an invalid and a valid tag.
 * (transfer full) (element-type AtelierPromptTag) */
GArray   *atelier_prompt_tags_parse               (const char  *text);

/* The tags as inserted: "<lora:123:1>", "<faceid:123:1>", "{{eye_color}}".
 * @weight is written with '.' whatever the locale, shortest form. */
char     *atelier_prompt_tag_format_lora          (gint64       tune_id,
                                                   double       weight);
char     *atelier_prompt_tag_format_faceid        (gint64       tune_id);
char     *atelier_prompt_tag_format_characteristic (const char *name);

/* TRUE when @text has a valid tag of @kind (any id). */
gboolean  atelier_prompt_tags_has_kind            (const char           *text,
                                                   AtelierPromptTagKind  kind);
/* TRUE when @text has a valid LoRA or FaceID tag of @tune_id. */
gboolean  atelier_prompt_tags_has_tune            (const char           *text,
                                                   gint64                tune_id);

/* What in @text Astria cannot run on a model of @family ("sd15", "sdxl1",
 * "flux1"; NULL when unknown), one translated sentence each; empty when
 * nothing. @added_lora (0: none) is a LoRA tune the prompt loads besides
 * the tags of @text. Today: SDXL takes one LoRA per prompt (20-sdxl-api.md:
 * "With SDXL you cannot combine multiple LoRAs"), counted in different
 * tune IDs of valid tags. Invalid tags are not counted: the parser
 * reports them. (transfer full) */
GStrv     atelier_prompt_tags_problems            (const char  *text,
                                                   const char  *family,
                                                   gint64       added_lora);

G_END_DECLS

