/* atelier-prompt-fields.h: what the user reads for each prompt parameter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atelier-params.h"

G_BEGIN_DECLS

/* The translated label of the documented parameter @name ("cfg_scale" →
 * "CFG Scale"), or @name itself for one we do not know. */
const char *atelier_prompt_field_label   (const char    *name);
/* The translated explanation from the documentation, or NULL. */
const char *atelier_prompt_field_help    (const char    *name);
/* @name's value in @params as shown to the user ("Yes", "7.5", "1024"),
 * NULL when unset or a file. (transfer full) */
char       *atelier_prompt_field_format  (AtelierParams *params,
                                          const char    *name);

G_END_DECLS
