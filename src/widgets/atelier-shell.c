/* atelier-shell.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-error-presenter.h"
#include "atelier-shell.h"

G_DEFINE_INTERFACE (AtelierShell, atelier_shell, GTK_TYPE_WINDOW)

static void
atelier_shell_default_init (AtelierShellInterface *iface)
{
}

AtelierShell *
atelier_shell_find (GtkWidget *widget)
{
  GtkRoot *root;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  root = gtk_widget_get_root (widget);
  while (root != NULL && GTK_IS_WINDOW (root))
    {
      if (ATELIER_IS_SHELL (root))
        return ATELIER_SHELL (root);
      root = (GtkRoot *) gtk_window_get_transient_for (GTK_WINDOW (root));
    }

  return NULL;
}

AtelierSession *
atelier_shell_get_session (AtelierShell *self)
{
  g_return_val_if_fail (ATELIER_IS_SHELL (self), NULL);
  return ATELIER_SHELL_GET_IFACE (self)->get_session (self);
}

void
atelier_shell_show_page (AtelierShell *self,
                         const char   *name)
{
  g_return_if_fail (ATELIER_IS_SHELL (self));
  ATELIER_SHELL_GET_IFACE (self)->show_page (self, name);
}

void
atelier_shell_show_tune_prompts (AtelierShell *self,
                                 gint64        tune_id)
{
  g_return_if_fail (ATELIER_IS_SHELL (self));
  ATELIER_SHELL_GET_IFACE (self)->show_tune_prompts (self, tune_id);
}

void
atelier_shell_open_prompt_editor (AtelierShell        *self,
                                  GtkWindow           *parent,
                                  AtelierTune         *tune,
                                  gint64               target_tune_id,
                                  AtelierPromptParams *params)
{
  g_return_if_fail (ATELIER_IS_SHELL (self));
  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (tune == NULL || ATELIER_IS_TUNE (tune));

  ATELIER_SHELL_GET_IFACE (self)->open_prompt_editor (self, parent, tune, target_tune_id, params);
}

void
atelier_shell_open_tune_editor_for_pack (AtelierShell *self,
                                         AtelierPack  *pack)
{
  g_return_if_fail (ATELIER_IS_SHELL (self));
  g_return_if_fail (ATELIER_IS_PACK (pack));

  ATELIER_SHELL_GET_IFACE (self)->open_tune_editor_for_pack (self, pack);
}

void
atelier_shell_open_faceid (AtelierShell *self,
                           const char   *face_uri,
                           JsonNode     *settings)
{
  g_return_if_fail (ATELIER_IS_SHELL (self));

  if (ATELIER_SHELL_GET_IFACE (self)->open_faceid != NULL)
    ATELIER_SHELL_GET_IFACE (self)->open_faceid (self, face_uri, settings);
}

void
atelier_shell_open_tune_editor_for_faceid (AtelierShell *self,
                                           GPtrArray    *files)
{
  g_return_if_fail (ATELIER_IS_SHELL (self));
  g_return_if_fail (files != NULL);

  if (ATELIER_SHELL_GET_IFACE (self)->open_tune_editor_for_faceid != NULL)
    ATELIER_SHELL_GET_IFACE (self)->open_tune_editor_for_faceid (self, files);
}

void
atelier_shell_show_gallery_source (AtelierShell *self,
                                   const char   *source,
                                   gint64        prompt_id)
{
  g_return_if_fail (ATELIER_IS_SHELL (self));
  g_return_if_fail (source != NULL);

  if (ATELIER_SHELL_GET_IFACE (self)->show_gallery_source != NULL)
    ATELIER_SHELL_GET_IFACE (self)->show_gallery_source (self, source, prompt_id);
  else
    atelier_shell_show_page (self, "gallery");
}

void
atelier_shell_notify_training_finished (AtelierShell *self,
                                        const char   *tune_title,
                                        gint64        tune_id)
{
  g_return_if_fail (ATELIER_IS_SHELL (self));
  ATELIER_SHELL_GET_IFACE (self)->notify_training_finished (self, tune_title, tune_id);
}

void
atelier_shell_notify_images_ready (AtelierShell *self,
                                   const char   *prompt_text,
                                   guint         n_images)
{
  g_return_if_fail (ATELIER_IS_SHELL (self));
  ATELIER_SHELL_GET_IFACE (self)->notify_images_ready (self, prompt_text, n_images);
}

void
atelier_widget_show_error (GtkWidget    *widget,
                           const GError *error)
{
  AtelierShell *shell;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (error != NULL);

  if (atelier_error_get_kind (error) == ATELIER_ERROR_KIND_IGNORE)
    return;

  shell = atelier_shell_find (widget);
  if (shell != NULL)
    ATELIER_SHELL_GET_IFACE (shell)->show_error (shell, error);
  else
    g_message ("Not shown: %s", error->message);
}

void
atelier_widget_show_toast (GtkWidget  *widget,
                           const char *title)
{
  AtelierShell *shell;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (title != NULL);

  shell = atelier_shell_find (widget);
  if (shell != NULL)
    ATELIER_SHELL_GET_IFACE (shell)->show_toast (shell, title);
}
