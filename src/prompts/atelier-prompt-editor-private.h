/* atelier-prompt-editor-private.h: for the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atelier-prompt-editor.h"

G_BEGIN_DECLS

/* The file chooser a file row opened, while it is open, or NULL.
 * (transfer none) */
GtkNativeDialog *_atelier_prompt_editor_get_file_chooser (AtelierPromptEditor *self);

G_END_DECLS
