/* atelier-prompt-params.h: the parameters of POST /tunes/:id/prompts
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

#define ATELIER_TYPE_PROMPT_PARAMS (atelier_prompt_params_get_type ())
G_DECLARE_FINAL_TYPE (AtelierPromptParams, atelier_prompt_params, ATELIER, PROMPT_PARAMS, AtelierParams)

AtelierPromptParams *atelier_prompt_params_new             (void);
/* "Reuse these settings": every documented parameter the prompt's JSON
 * carries with a valid value. */
AtelierPromptParams *atelier_prompt_params_new_from_prompt (AtelierPrompt *prompt);

G_END_DECLS
