/* atelier-prompt-form.h: the parameter rows of the prompt editor
 *
 * One row per parameter of the table in atelier-prompt-params.h that has
 * a widget, placed in its section (the "Images" and "Enhancements" groups,
 * expanders in "More Settings") in the table's form order, each with an
 * error row right under it. The rows write what the user enters into an
 * AtelierParams and show the params' values, also when something else
 * changes them (a tip's fix, an aspect preset). An "Aspect" row before the
 * width fills in width and height.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atelier-prompt-params.h"

G_BEGIN_DECLS

#define ATELIER_TYPE_PROMPT_FORM (atelier_prompt_form_get_type ())
G_DECLARE_FINAL_TYPE (AtelierPromptForm, atelier_prompt_form, ATELIER, PROMPT_FORM, GObject)

/* Builds the rows into the editor's groups. The editor disposes the form
 * (g_object_run_dispose()) in its own dispose, before the rows go: that
 * closes a file chooser still open and disconnects the rows from it. */
AtelierPromptForm *atelier_prompt_form_new              (AdwPreferencesGroup *images_group,
                                                         AdwPreferencesGroup *enhancements_group,
                                                         AdwPreferencesGroup *more_group);
/* Shows @params in every row and edits them from now on. A spin row's
 * unset value becomes its default; a switch's false is unset (off sends
 * nothing). */
void               atelier_prompt_form_set_params       (AtelierPromptForm   *self,
                                                         AtelierParams       *params);
/* The prompt runs on a 512-px model: the aspect presets fill in their
 * smaller sizes. */
void               atelier_prompt_form_set_small_model  (AtelierPromptForm   *self,
                                                         gboolean             small);
/* Shows under each row its value's parse error or its first error among
 * @errors (AtelierFieldError); hides the others. Returns how many rows
 * show one and sets @first to the first such parameter (NULL if none). */
guint              atelier_prompt_form_show_errors      (AtelierPromptForm   *self,
                                                         GPtrArray           *errors,
                                                         const char         **first);
/* TRUE when @name has a row. */
gboolean           atelier_prompt_form_has_row          (AtelierPromptForm   *self,
                                                         const char          *name);
/* Opens @name's section and focuses its row. */
void               atelier_prompt_form_focus            (AtelierPromptForm   *self,
                                                         const char          *name);

/* The file chooser a file row opened, while it is open, or NULL (tests).
 * (transfer none) */
GtkNativeDialog   *_atelier_prompt_form_get_file_chooser (AtelierPromptForm   *self);

G_END_DECLS
