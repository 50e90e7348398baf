/* atelier-prompt-params.h: the parameters of POST /tunes/:id/prompts
 *
 * One table describes every documented parameter, one row each
 * (AtelierPromptField): how it is sent and checked (name as in
 * prompt[NAME], type, range, multiple of, allowed values, required, http(s)
 * URL), what the user reads (label, help) and how the prompt editor
 * offers it (section, widget, default, place in the form). The rows are
 * in the order of "Create a prompt", which is the order the values are
 * sent and checked in. AtelierPromptParams validates against the table,
 * the prompt editor builds its rows from it and the viewer lists a
 * prompt's parameters with its labels. Section and widget are plain
 * enums: no GTK here.
 *
 * Specs (API names): text (required), negative_prompt, callback,
 * num_images 1–8, seed 0–2^32, super_resolution, inpaint_faces, hires_fix,
 * face_correct, face_swap, cfg_scale 0–15, steps 0–50, use_lpw, w and h
 * (multiples of 8, 64–4096), scheduler, backend_version, style,
 * color_grading, film_grain, controlnet, denoising_strength 0–1,
 * controlnet_conditioning_scale 0–1, controlnet_txt2img, input_image (file),
 * input_image_url, mask_image (file), mask_image_url, lora_scale 0–2.
 *
 * Rules: inpaint_faces and hires_fix need super_resolution; controlnet
 * needs an input image (file or URL); a mask needs an input image; an input
 * image (or a mask) given both as file and URL is refused; URLs (callback,
 * input_image_url, mask_image_url) must be http(s).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atelier-params.h"
#include "atelier-prompt.h"

G_BEGIN_DECLS

/* Where the prompt editor shows a parameter. */
typedef enum
{
  ATELIER_PROMPT_SECTION_NONE,          /* not a row of the form */
  ATELIER_PROMPT_SECTION_IMAGES,        /* always shown */
  ATELIER_PROMPT_SECTION_ENHANCEMENTS,  /* always shown */
  ATELIER_PROMPT_SECTION_SAMPLING,      /* the others are expanders of "More Settings" */
  ATELIER_PROMPT_SECTION_STYLE,
  ATELIER_PROMPT_SECTION_IMG2IMG,
  ATELIER_PROMPT_SECTION_ADVANCED,
  ATELIER_PROMPT_N_SECTIONS
} AtelierPromptSection;

/* How the prompt editor edits a parameter. */
typedef enum
{
  ATELIER_PROMPT_WIDGET_NONE,    /* text has a view of its own; lora_scale goes only with a new tune */
  ATELIER_PROMPT_WIDGET_ENTRY,   /* text, or a number left empty for the default */
  ATELIER_PROMPT_WIDGET_SWITCH,  /* on sends true; off sends nothing */
  ATELIER_PROMPT_WIDGET_CHOICE,  /* unset_label (sends nothing), then the allowed values */
  ATELIER_PROMPT_WIDGET_SPIN,    /* always sent; starts at default_value */
  ATELIER_PROMPT_WIDGET_FILE,    /* a file from disk, sent as a file part */
} AtelierPromptWidget;

typedef struct
{
  AtelierParamSpec      spec;           /* name as sent, type, range, multiple of, choices, required */
  gboolean              http_url;       /* STRING: must be an http(s) URL */
  const char           *label;          /* marked for translation: atelier_prompt_field_label() */
  const char           *help;           /* marked for translation, or NULL */
  AtelierPromptSection  section;
  AtelierPromptWidget   widget;
  guint                 position;       /* place in the editor's form from 1, 0 when not in it */
  double                default_value;  /* SPIN: the value it starts at */
  const char           *unset_label;    /* CHOICE: the entry that sends nothing (marked for translation) */
} AtelierPromptField;

#define ATELIER_TYPE_PROMPT_PARAMS (atelier_prompt_params_get_type ())
G_DECLARE_FINAL_TYPE (AtelierPromptParams, atelier_prompt_params, ATELIER, PROMPT_PARAMS, AtelierParams)

AtelierPromptParams      *atelier_prompt_params_new             (void);
/* "Reuse these settings": every documented parameter the prompt's JSON
 * carries with a valid value. */
AtelierPromptParams      *atelier_prompt_params_new_from_prompt (AtelierPrompt       *prompt);
/* A new params with the values of @params. */
AtelierPromptParams      *atelier_prompt_params_copy            (AtelierPromptParams *params);

/* The table, in the order of atelier_params_get_specs(). */
const AtelierPromptField *atelier_prompt_fields_get             (guint               *n_fields);
/* The row of @name, or NULL for a name that is not documented. */
const AtelierPromptField *atelier_prompt_field_find             (const char          *name);
/* The translated label of @name ("cfg_scale" → "CFG Scale"), or @name
 * itself for one we do not know. */
const char               *atelier_prompt_field_label            (const char          *name);
/* The translated explanation from the documentation, or NULL. */
const char               *atelier_prompt_field_help             (const char          *name);
/* An error of @name as the user reads it: "CFG Scale must be between 0
 * and 15" for "cfg_scale", "must be between 0 and 15". (transfer full) */
char                     *atelier_prompt_field_describe_error   (const char          *name,
                                                                 const char          *message);
/* @name's value in @params as shown to the user ("Yes", "7.5", "1024"),
 * NULL when unset or a file. (transfer full) */
char                     *atelier_prompt_field_format           (AtelierParams       *params,
                                                                 const char          *name);

G_END_DECLS
