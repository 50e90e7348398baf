/* atelier-prompt-actions.c: what the gallery row and the viewer do with a
 * prompt
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "atelier-prompt-actions.h"
#include "atelier-shell.h"

const char *
atelier_prompt_source_get_title (const char *source)
{
  if (g_strcmp0 (source, ATELIER_PROMPT_SOURCE_FACEID_FAL) == 0)
    /* Translators: where a prompt was made: FaceID, on fal.ai */
    return _("FaceID · fal.ai");

  return NULL;
}

JsonNode *
atelier_prompt_dup_faceid_settings (AtelierPrompt *prompt)
{
  JsonObject *faceid;
  JsonNode *input;
  JsonObject *settings;
  JsonNode *node;

  g_return_val_if_fail (ATELIER_IS_PROMPT (prompt), NULL);

  faceid = atelier_prompt_get_faceid (prompt);
  if (faceid == NULL)
    return NULL;

  /* A new object: json_node_copy() shares it, and the prompt's is not
   * ours to change. */
  settings = json_object_new ();
  input = json_object_get_member (faceid, "input");
  if (input != NULL && JSON_NODE_HOLDS_OBJECT (input))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (input));
      while (json_object_iter_next (&iter, &name, &member))
        json_object_set_member (settings, name, json_node_copy (member));
    }
  if (atelier_prompt_get_seed (prompt) >= 0)
    json_object_set_int_member (settings, "seed", atelier_prompt_get_seed (prompt));

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, settings);

  return node;
}

void
atelier_prompt_action_copy (GtkWidget     *widget,
                            AtelierPrompt *prompt)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (ATELIER_IS_PROMPT (prompt));

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), atelier_prompt_get_text (prompt));
  atelier_widget_show_toast (widget, _("Prompt copied"));
}

void
atelier_prompt_action_reuse (GtkWidget           *widget,
                             GtkWindow           *parent,
                             AtelierPrompt       *prompt,
                             AtelierPromptParams *params)
{
  g_autoptr(AtelierPromptParams) own = NULL;
  AtelierShell *shell = atelier_shell_find (widget);

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (ATELIER_IS_PROMPT (prompt));

  if (shell == NULL)
    return;

  if (g_strcmp0 (atelier_prompt_get_source (prompt), ATELIER_PROMPT_SOURCE_FACEID_FAL) == 0)
    {
      g_autoptr(JsonNode) settings = atelier_prompt_dup_faceid_settings (prompt);

      atelier_shell_open_faceid (shell, NULL, settings);
      return;
    }

  if (params == NULL)
    params = own = atelier_prompt_params_new_from_prompt (prompt);
  atelier_shell_open_prompt_editor (shell, parent, NULL, atelier_prompt_get_tune_id (prompt), params);
}

void
atelier_prompt_action_use_as_face (GtkWidget      *widget,
                                   AtelierLibrary *library,
                                   AtelierPrompt  *prompt,
                                   guint           index)
{
  AtelierShell *shell = atelier_shell_find (widget);
  const char * const *images;
  g_autofree char *uri = NULL;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (ATELIER_IS_PROMPT (prompt));

  if (shell == NULL)
    return;

  /* fal fetches an https URL itself; a FaceID result's URL is temporary,
   * so its kept original goes instead. */
  images = atelier_prompt_get_images (prompt);
  if (atelier_prompt_get_source (prompt) == NULL && index < atelier_prompt_get_n_images (prompt) &&
      g_str_has_prefix (images[index], "https://"))
    uri = g_strdup (images[index]);
  if (uri == NULL && library != NULL)
    uri = atelier_library_dup_image_uri (library, atelier_prompt_get_id (prompt), index);

  if (uri == NULL)
    {
      atelier_widget_show_toast (widget, _("The image is not on this computer yet; try again in a moment"));
      return;
    }

  atelier_shell_open_faceid (shell, uri, NULL);
}

/* Deleting */

typedef struct
{
  GtkWidget           *widget;    /* (owned) */
  AtelierPromptsModel *model;     /* (owned) */
  AtelierLibrary      *library;   /* (owned) (nullable) */
  AtelierPrompt       *prompt;    /* (owned) */
  gboolean             local_only;
} Delete;

static void
delete_free (Delete *data)
{
  g_object_unref (data->widget);
  g_object_unref (data->model);
  g_clear_object (&data->library);
  g_object_unref (data->prompt);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Delete, delete_free)

/* Gone from the service: from this computer and the gallery too. */
static void
forget (Delete *data)
{
  gint64 id = atelier_prompt_get_id (data->prompt);

  if (data->library != NULL)
    {
      atelier_library_release (data->library, id, ATELIER_LIBRARY_SAVED);
      atelier_library_release (data->library, id, ATELIER_LIBRARY_LIKED);
      atelier_library_release (data->library, id, ATELIER_LIBRARY_MADE);
    }
  atelier_prompts_model_remove_prompt (data->model, id);
}

static void
deleted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Delete) data = user_data;
  g_autoptr(GError) error = NULL;

  if (!atelier_astria_client_delete_prompt_finish (ATELIER_ASTRIA_CLIENT (source), result, &error) &&
      !g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_NOT_FOUND))
    {
      atelier_widget_show_error (data->widget, error);
      return;
    }

  forget (data);
}

static void
response_cb (AdwMessageDialog *dialog,
             const char       *response,
             gpointer          user_data)
{
  g_autoptr(Delete) data = user_data;
  AtelierAstriaClient *client = atelier_prompts_model_get_client (data->model);

  if (!g_str_equal (response, "delete"))
    return;

  if (data->local_only || client == NULL || atelier_prompt_get_source (data->prompt) != NULL)
    {
      /* The server has nothing left: only the local copy goes. */
      forget (data);
      return;
    }

  {
    gint64 tune_id = atelier_prompt_get_tune_id (data->prompt);
    gint64 prompt_id = atelier_prompt_get_id (data->prompt);

    atelier_astria_client_delete_prompt_async (client, tune_id, prompt_id, NULL, deleted_cb,
                                               g_steal_pointer (&data));
  }
}

void
atelier_prompt_action_delete (GtkWidget           *widget,
                              GtkWindow           *parent,
                              AtelierPromptsModel *model,
                              AtelierLibrary      *library,
                              AtelierPrompt       *prompt,
                              gboolean             local_only)
{
  Delete *data;
  GtkWidget *dialog;
  g_autofree char *body = NULL;
  guint n_images;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (ATELIER_IS_PROMPTS_MODEL (model));
  g_return_if_fail (ATELIER_IS_PROMPT (prompt));

  n_images = MAX (atelier_prompt_get_n_images (prompt), 1);
  if (atelier_prompt_get_source (prompt) != NULL)
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "This prompt was made on this computer. It and its image are deleted from this computer.",
                                         "This prompt was made on this computer. It and its %u images are deleted from this computer.",
                                         n_images),
                            n_images);
  else if (local_only)
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "The service no longer has this prompt. Its image is deleted from this computer.",
                                         "The service no longer has this prompt. Its %u images are deleted from this computer.",
                                         n_images),
                            n_images);
  else
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "The prompt and its image are deleted from the service and from this computer.",
                                         "The prompt and its %u images are deleted from the service and from this computer.",
                                         n_images),
                            n_images);

  data = g_new0 (Delete, 1);
  data->widget = g_object_ref (widget);
  data->model = g_object_ref (model);
  data->library = library != NULL ? g_object_ref (library) : NULL;
  data->prompt = g_object_ref (prompt);
  data->local_only = local_only;

  dialog = adw_message_dialog_new (parent, _("Delete This Prompt?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (response_cb), data);
  gtk_window_present (GTK_WINDOW (dialog));
}
