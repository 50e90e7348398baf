/* atelier-shell.h: what a screen may ask of the window it is shown in
 *
 * Screens (src/tunes, src/gallery, …) never include the window's or the
 * application's header. What they need from the shell — show an error or
 * a toast, go to another page, open the prompt editor or the tune editor
 * for a pack, send a desktop notification — they ask through this
 * interface, which the main window (src/app) implements.
 * atelier_shell_find() finds it from any widget,
 * also from a dialog or window that is transient for the main window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "atelier-prompt-params.h"
#include "atelier-session.h"
#include "atelier-tune.h"

G_BEGIN_DECLS

#define ATELIER_TYPE_SHELL (atelier_shell_get_type ())
G_DECLARE_INTERFACE (AtelierShell, atelier_shell, ATELIER, SHELL, GtkWindow)

struct _AtelierShellInterface
{
  GTypeInterface parent_iface;

  AtelierSession *(*get_session)              (AtelierShell        *self);
  void            (*show_error)               (AtelierShell        *self,
                                               const GError        *error);
  void            (*show_toast)               (AtelierShell        *self,
                                               const char          *title);
  void            (*show_page)                (AtelierShell        *self,
                                               const char          *name);
  void            (*show_tune_prompts)        (AtelierShell        *self,
                                               gint64               tune_id);
  void            (*show_gallery_source)      (AtelierShell        *self,
                                               const char          *source,
                                               gint64               prompt_id);
  void            (*open_prompt_editor)       (AtelierShell        *self,
                                               GtkWindow           *parent,
                                               AtelierTune         *tune,
                                               gint64               target_tune_id,
                                               AtelierPromptParams *params);
  void            (*open_tune_editor_for_pack) (AtelierShell       *self,
                                               AtelierPack         *pack);
  void            (*open_faceid)              (AtelierShell        *self,
                                               const char          *face_uri,
                                               JsonNode            *settings);
  void            (*open_tune_editor_for_faceid) (AtelierShell     *self,
                                               GPtrArray           *files);
  void            (*notify_training_finished) (AtelierShell        *self,
                                               const char          *tune_title,
                                               gint64               tune_id);
  void            (*notify_images_ready)      (AtelierShell        *self,
                                               const char          *prompt_text,
                                               guint                n_images);
};

/* The shell @widget is shown in: its root, or the first window up the
 * transient-for chain that is one. NULL when there is none (a widget not
 * in a window yet, or in a test without the main window). */
AtelierShell   *atelier_shell_find                     (GtkWidget           *widget);

AtelierSession *atelier_shell_get_session              (AtelierShell        *self);
void            atelier_shell_show_page                (AtelierShell        *self,
                                                        const char          *name);
void            atelier_shell_show_tune_prompts        (AtelierShell        *self,
                                                        gint64               tune_id);
/* The Gallery filtered to the images of @source (an
 * ATELIER_PROMPT_SOURCE_*, atelier-prompt.h), with the viewer open on the
 * first image of @prompt_id when it is not 0 and is there. */
void            atelier_shell_show_gallery_source      (AtelierShell        *self,
                                                        const char          *source,
                                                        gint64               prompt_id);
/* The prompt editor for @tune (or none chosen), transient for @parent (the
 * shell when NULL), filled with @params when not NULL; @target_tune_id,
 * when not 0, is the tune the prompt goes to. */
void            atelier_shell_open_prompt_editor       (AtelierShell        *self,
                                                        GtkWindow           *parent,
                                                        AtelierTune         *tune,
                                                        gint64               target_tune_id,
                                                        AtelierPromptParams *params);
/* The Tunes page with the New Tune editor in pack mode: a tune made from
 * @pack (POST /p/:id/tunes), of a class the pack prices. */
void            atelier_shell_open_tune_editor_for_pack (AtelierShell       *self,
                                                        AtelierPack         *pack);
/* The FaceID page, with @face_uri (nullable: an https URL of an image
 * that has one, or a file:// URI) as the face, and its form filled from
 * @settings (nullable: the fal input of an earlier result, as kept with
 * it in the library). */
void            atelier_shell_open_faceid              (AtelierShell        *self,
                                                        const char          *face_uri,
                                                        JsonNode            *settings);
/* The Tunes page with the New Tune editor in FaceID mode (model type
 * faceid) and @files (element-type GFile, may be empty) added to its
 * photos. */
void            atelier_shell_open_tune_editor_for_faceid (AtelierShell     *self,
                                                           GPtrArray        *files);
void            atelier_shell_notify_training_finished (AtelierShell        *self,
                                                        const char          *tune_title,
                                                        gint64               tune_id);
void            atelier_shell_notify_images_ready      (AtelierShell        *self,
                                                        const char          *prompt_text,
                                                        guint                n_images);

/* The one way a screen reports: through the shell of @widget. An error
 * that is a cancellation is never shown; with no shell, it is logged. */
void            atelier_widget_show_error              (GtkWidget           *widget,
                                                        const GError        *error);
void            atelier_widget_show_toast              (GtkWidget           *widget,
                                                        const char          *title);

G_END_DECLS
