/* atelier-window.c: the main window, one class
 *
 * The shell around the screens: the view stack of the four pages with
 * their switcher, the account button, the sandbox, offline and retry
 * banners, toasts and the error presentation (AtelierShell, which the
 * screens use to reach the window), the retry countdown, window state in
 * GSettings, and the screenshot entry point (atelier-screenshot.c does
 * the work).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-error-presenter.h"
#include "atelier-faceid-page.h"
#include "atelier-gallery-page.h"
#include "atelier-packs-page.h"
#include "atelier-prompt-editor.h"
#include "atelier-screenshot.h"
#include "atelier-shell.h"
#include "atelier-tunes-page.h"
#include "atelier-widget-utils.h"
#include "atelier-application.h"
#include "atelier-window-private.h"

struct _AtelierWindow
{
  AdwApplicationWindow  parent_instance;

  /* template */
  GtkWidget            *account_button;
  AdwButtonContent     *account_content;
  AdwViewSwitcherTitle *switcher_title;
  GtkRevealer          *sandbox_revealer;
  GtkRevealer          *offline_revealer;
  GtkLabel             *offline_label;
  GtkRevealer          *retry_revealer;
  GtkLabel             *retry_label;
  GtkSpinner           *retry_spinner;
  GtkWidget            *retry_cancel_button;
  AdwToastOverlay      *toast_overlay;
  AdwViewStack         *view_stack;
  GtkWidget            *tunes_page;
  GtkWidget            *packs_page;
  GtkWidget            *gallery_page;
  GtkWidget            *faceid_page;

  GSettings            *settings;
  AtelierSession       *session;
  AtelierAstriaClient  *client;       /* whose signals we listen to */
  AtelierFalClient     *fal_client;   /* likewise */

  /* the retry countdown */
  GCancellable         *retry_cancellable;
  gint64                retry_deadline;
  int                   retry_reason;
  guint                 retry_timeout_id;

  guint                 account_idle_id;
  char                 *last_toast;
  gint64                last_toast_time;
  GtkWindow            *error_dialog;   /* (weak) */
};

static void atelier_window_shell_init (AtelierShellInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AtelierWindow, atelier_window, ADW_TYPE_APPLICATION_WINDOW,
                               G_IMPLEMENT_INTERFACE (ATELIER_TYPE_SHELL, atelier_window_shell_init))

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const page_names[] = { "tunes", "packs", "gallery", "faceid" };

static gboolean
is_page_name (const char *name)
{
  return name != NULL && g_strv_contains ((const char * const *) page_names, name);
}

/* Toasts and errors */

void
atelier_window_show_toast (AtelierWindow *self,
                           const char    *title)
{
  AdwToast *toast;
  gint64 now = g_get_monotonic_time ();

  g_return_if_fail (ATELIER_IS_WINDOW (self));
  g_return_if_fail (title != NULL);

  /* Several pages failing at once for one reason show one toast. */
  if (g_strcmp0 (self->last_toast, title) == 0 &&
      now - self->last_toast_time < 3 * G_USEC_PER_SEC)
    return;

  g_free (self->last_toast);
  self->last_toast = g_strdup (title);
  self->last_toast_time = now;

  /* What it says comes from servers, files and prompts (a prompt's
   * <lora:1:1> tag): never read as markup. */
  toast = atelier_toast_new_plain (title);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
show_wrong_key_toast (AtelierWindow *self)
{
  const char *title = _("Your Astria key was not accepted");
  AdwToast *toast;
  gint64 now = g_get_monotonic_time ();

  if (g_strcmp0 (self->last_toast, title) == 0 &&
      now - self->last_toast_time < 3 * G_USEC_PER_SEC)
    return;

  g_free (self->last_toast);
  self->last_toast = g_strdup (title);
  self->last_toast_time = now;

  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Preferences"));
  adw_toast_set_action_name (toast, "app.preferences");
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* The offline bar shows the session's :offline, whose rule is in
 * atelier-session.h: no network, or ATELIER_SESSION_OFFLINE_FAILURES
 * connection failures in a row; never one dropped connection. */
static void
update_offline (AtelierWindow *self)
{
  AtelierSessionOffline offline = atelier_session_get_offline (self->session);

  if (offline == ATELIER_SESSION_OFFLINE_NO_NETWORK)
    {
      gtk_label_set_label (self->offline_label,
                           _("You are offline. Atelier will reload when the network is back."));
    }
  else if (offline == ATELIER_SESSION_OFFLINE_NO_ANSWER)
    {
      gtk_label_set_label (self->offline_label,
                           _("You seem to be offline: several requests in a row could not reach the server."));
    }

  gtk_revealer_set_reveal_child (self->offline_revealer, offline != ATELIER_SESSION_ONLINE);
}

static void
show_field_errors (AtelierWindow *self,
                   const GError  *error)
{
  g_autofree char *body = atelier_error_format_fields (error);
  GtkWidget *dialog;

  if (self->error_dialog != NULL)
    gtk_window_destroy (self->error_dialog);

  dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                   _("The Server Did Not Accept the Request"),
                                   NULL);
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");

  self->error_dialog = GTK_WINDOW (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->error_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
atelier_window_show_error (AtelierWindow *self,
                           const GError  *error)
{
  g_autofree char *text = NULL;

  g_return_if_fail (ATELIER_IS_WINDOW (self));

  switch (atelier_error_get_kind (error))
    {
    case ATELIER_ERROR_KIND_IGNORE:
      return;

    case ATELIER_ERROR_KIND_FIELDS:
      show_field_errors (self, error);
      return;

    case ATELIER_ERROR_KIND_WRONG_KEY:
      show_wrong_key_toast (self);
      return;

    case ATELIER_ERROR_KIND_CONNECTION:
      /* Counted by the session; the offline bar, when shown, says it. */
      if (atelier_session_is_offline (self->session))
        return;
      text = atelier_error_describe (error);
      atelier_window_show_toast (self, text);
      return;

    case ATELIER_ERROR_KIND_TOAST:
    default:
      text = atelier_error_describe (error);
      atelier_window_show_toast (self, text);
      return;
    }
}

/* The retry countdown */

static void
hide_retry (AtelierWindow *self)
{
  g_clear_handle_id (&self->retry_timeout_id, g_source_remove);
  g_clear_object (&self->retry_cancellable);
  gtk_spinner_stop (self->retry_spinner);
  gtk_revealer_set_reveal_child (self->retry_revealer, FALSE);
}

static gboolean
retry_tick_cb (gpointer user_data)
{
  AtelierWindow *self = user_data;
  gint64 left_us = self->retry_deadline - g_get_monotonic_time ();
  guint left_s = left_us > 0 ? (guint) ((left_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC) : 0;
  g_autofree char *text = NULL;

  if (left_s == 0)
    {
      gtk_label_set_label (self->retry_label, _("Trying again…"));
      self->retry_timeout_id = 0;
      return G_SOURCE_REMOVE;
    }

  switch (self->retry_reason)
    {
    case ATELIER_API_ERROR_RATE_LIMITED:
      /* Translators: %u is a number of seconds */
      text = g_strdup_printf (_("Too many requests. Retrying in %u s…"), left_s);
      break;
    case ATELIER_API_ERROR_NETWORK:
    case ATELIER_API_ERROR_TIMEOUT:
      /* Translators: %u is a number of seconds */
      text = g_strdup_printf (_("The connection failed. Retrying in %u s…"), left_s);
      break;
    default:
      /* Translators: %u is a number of seconds */
      text = g_strdup_printf (_("The server had a problem. Retrying in %u s…"), left_s);
      break;
    }
  gtk_label_set_label (self->retry_label, text);

  return G_SOURCE_CONTINUE;
}

/* From either client: the Astria one and the fal.ai one. */
static void
retry_scheduled_cb (AtelierWindow *self,
                    guint          attempt,
                    guint          delay_ms,
                    GError        *reason,
                    GCancellable  *cancellable,
                    gpointer       client)
{
  g_clear_handle_id (&self->retry_timeout_id, g_source_remove);
  g_set_object (&self->retry_cancellable, cancellable);
  self->retry_deadline = g_get_monotonic_time () + (gint64) delay_ms * 1000;
  self->retry_reason = (reason != NULL && reason->domain == ATELIER_API_ERROR)
                       ? reason->code : ATELIER_API_ERROR_SERVER;

  gtk_widget_set_visible (self->retry_cancel_button, cancellable != NULL);
  gtk_spinner_start (self->retry_spinner);
  gtk_revealer_set_reveal_child (self->retry_revealer, TRUE);

  if (retry_tick_cb (self) == G_SOURCE_CONTINUE)
    self->retry_timeout_id = g_timeout_add (1000, retry_tick_cb, self);
}

static void
retry_cancel_clicked_cb (AtelierWindow *self)
{
  g_autoptr(GCancellable) cancellable = g_steal_pointer (&self->retry_cancellable);

  hide_retry (self);
  if (cancellable != NULL)
    g_cancellable_cancel (cancellable);
}

static void
request_finished_cb (AtelierWindow       *self,
                     GError              *error,
                     AtelierAstriaClient *client)
{
  /* The retried request has been sent again and came back. */
  if (gtk_revealer_get_reveal_child (self->retry_revealer) &&
      g_get_monotonic_time () >= self->retry_deadline)
    hide_retry (self);
}

/* Session and pages */

static void
reload_visible_page (AtelierWindow *self)
{
  GtkWidget *page = adw_view_stack_get_visible_child (self->view_stack);

  if (page != NULL)
    gtk_widget_activate_action (page, "page.reload", NULL);
}

static void
update_account (AtelierWindow *self)
{
  AtelierSessionMode mode = atelier_session_get_mode (self->session);
  const char *label;
  const char *icon;
  const char *tooltip;
  g_autofree char *accessible = NULL;

  switch (mode)
    {
    case ATELIER_SESSION_MODE_ACCOUNT:
      label = _("Astria");
      icon = "avatar-default-symbolic";
      tooltip = _("Using your Astria account");
      break;
    case ATELIER_SESSION_MODE_SANDBOX:
      label = _("Sandbox");
      icon = "applications-engineering-symbolic";
      tooltip = _("Using the Sandbox: connect an Astria account in Preferences");
      break;
    case ATELIER_SESSION_MODE_FAILED:
      label = _("Unavailable");
      icon = "dialog-warning-symbolic";
      tooltip = _("Neither an account nor the Sandbox can be used");
      break;
    case ATELIER_SESSION_MODE_STARTING:
    default:
      label = _("Starting…");
      icon = "content-loading-symbolic";
      tooltip = _("Looking for your account");
      break;
    }

  /* Narrow, the title shows the account and the button only its icon. */
  adw_view_switcher_title_set_subtitle (self->switcher_title, label);
  if (adw_view_switcher_title_get_title_visible (self->switcher_title))
    adw_button_content_set_label (self->account_content, "");
  else
    adw_button_content_set_label (self->account_content, label);
  adw_button_content_set_icon_name (self->account_content, icon);
  gtk_widget_set_tooltip_text (self->account_button, tooltip);
  /* Translators: the accessible name of the account button, %s is
   * "Astria" or "Sandbox" */
  accessible = g_strdup_printf (_("Account: %s"), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->account_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tooltip,
                                  -1);

  gtk_revealer_set_reveal_child (self->sandbox_revealer,
                                 mode == ATELIER_SESSION_MODE_SANDBOX);

  update_offline (self);
}

static gboolean
update_account_idle_cb (gpointer user_data)
{
  AtelierWindow *self = user_data;

  self->account_idle_id = 0;
  update_account (self);
  return G_SOURCE_REMOVE;
}

/* It changes while the header is being allocated: relabel after that. */
static void
title_visible_changed_cb (AtelierWindow *self)
{
  if (self->account_idle_id == 0)
    self->account_idle_id = g_idle_add (update_account_idle_cb, self);
}

static void
mode_changed_cb (AtelierWindow *self)
{
  update_account (self);

  if (atelier_session_get_mode (self->session) == ATELIER_SESSION_MODE_FAILED &&
      atelier_session_get_error (self->session) != NULL)
    {
      g_autofree char *text = atelier_error_describe (atelier_session_get_error (self->session));
      atelier_window_show_toast (self, text);
    }
}

static void
set_client (AtelierWindow       *self,
            AtelierAstriaClient *client)
{
  if (self->client == client)
    return;

  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  hide_retry (self);

  g_set_object (&self->client, client);

  if (client != NULL)
    {
      g_signal_connect_swapped (client, "retry-scheduled", G_CALLBACK (retry_scheduled_cb), self);
      g_signal_connect_swapped (client, "request-finished", G_CALLBACK (request_finished_cb), self);
    }
}

static void
set_fal_client (AtelierWindow    *self,
                AtelierFalClient *client)
{
  if (self->fal_client == client)
    return;

  if (self->fal_client != NULL)
    g_signal_handlers_disconnect_by_data (self->fal_client, self);
  g_set_object (&self->fal_client, client);
  if (client != NULL)
    g_signal_connect_swapped (client, "retry-scheduled", G_CALLBACK (retry_scheduled_cb), self);
}

static void
session_clients_changed_cb (AtelierWindow *self)
{
  AtelierAstriaClient *client = atelier_session_get_astria_client (self->session);
  AtelierFalClient *fal = atelier_session_get_fal_client (self->session);
  gboolean sandbox = atelier_session_get_mode (self->session) == ATELIER_SESSION_MODE_SANDBOX;

  set_client (self, client);
  set_fal_client (self, fal);

  g_object_set (self->tunes_page, "client", client, NULL);
  g_object_set (self->packs_page, "client", client, NULL);
  g_object_set (self->gallery_page, "session", self->session, "client", client, NULL);
  g_object_set (self->faceid_page,
                "session", self->session,
                "client", fal,
                "sandbox", sandbox,
                "has-key", atelier_session_has_fal_key (self->session) || sandbox,
                NULL);
  /* The jobs of the account now signed in (the session switches them). */
  atelier_faceid_page_set_jobs (ATELIER_FACEID_PAGE (self->faceid_page),
                                atelier_session_is_ready (self->session)
                                ? atelier_session_get_faceid_jobs (self->session) : NULL);
}

static void
network_restored_cb (AtelierWindow *self)
{
  reload_visible_page (self);
}

/* Actions */

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  reload_visible_page (ATELIER_WINDOW (widget));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AtelierWindow *self = ATELIER_WINDOW (widget);
  GtkWidget *page = adw_view_stack_get_visible_child (self->view_stack);

  if (page == NULL || !gtk_widget_activate_action (page, "page.search", NULL))
    gtk_widget_error_bell (widget);
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  atelier_window_show_page (ATELIER_WINDOW (widget), g_variant_get_string (param, NULL));
}

void
atelier_window_show_page (AtelierWindow *self,
                          const char    *name)
{
  g_return_if_fail (ATELIER_IS_WINDOW (self));

  if (is_page_name (name))
    adw_view_stack_set_visible_child_name (self->view_stack, name);
}

void
atelier_window_show_tune (AtelierWindow *self,
                          gint64         tune_id)
{
  g_return_if_fail (ATELIER_IS_WINDOW (self));

  atelier_window_show_page (self, "tunes");
  atelier_tunes_page_show_tune (ATELIER_TUNES_PAGE (self->tunes_page), tune_id);
}

void
atelier_window_show_tune_prompts (AtelierWindow *self,
                                  gint64         tune_id)
{
  g_return_if_fail (ATELIER_IS_WINDOW (self));

  atelier_gallery_page_show_tune (ATELIER_GALLERY_PAGE (self->gallery_page), tune_id);
  atelier_window_show_page (self, "gallery");
}

/* AtelierShell: what the screens ask of the window */

static AtelierSession *
shell_get_session (AtelierShell *shell)
{
  return ATELIER_WINDOW (shell)->session;
}

static void
shell_show_error (AtelierShell *shell,
                  const GError *error)
{
  atelier_window_show_error (ATELIER_WINDOW (shell), error);
}

static void
shell_show_toast (AtelierShell *shell,
                  const char   *title)
{
  atelier_window_show_toast (ATELIER_WINDOW (shell), title);
}

static void
shell_show_page (AtelierShell *shell,
                 const char   *name)
{
  atelier_window_show_page (ATELIER_WINDOW (shell), name);
}

static void
shell_show_tune_prompts (AtelierShell *shell,
                         gint64        tune_id)
{
  atelier_window_show_tune_prompts (ATELIER_WINDOW (shell), tune_id);
}

static void
shell_show_gallery_source (AtelierShell *shell,
                           const char   *source,
                           gint64        prompt_id)
{
  AtelierWindow *self = ATELIER_WINDOW (shell);

  atelier_window_show_page (self, "gallery");
  atelier_gallery_page_show_source (ATELIER_GALLERY_PAGE (self->gallery_page), source, prompt_id);
}

static void
shell_open_prompt_editor (AtelierShell        *shell,
                          GtkWindow           *parent,
                          AtelierTune         *tune,
                          gint64               target_tune_id,
                          AtelierPromptParams *params)
{
  AtelierWindow *self = ATELIER_WINDOW (shell);
  AtelierPromptEditor *editor = atelier_prompt_editor_new (self->session, tune);

  if (target_tune_id > 0)
    atelier_prompt_editor_set_target_tune_id (editor, target_tune_id);
  if (params != NULL)
    atelier_prompt_editor_set_params (editor, params);
  gtk_window_set_transient_for (GTK_WINDOW (editor), parent != NULL ? parent : GTK_WINDOW (self));
  gtk_window_set_application (GTK_WINDOW (editor), gtk_window_get_application (GTK_WINDOW (self)));
  gtk_window_present (GTK_WINDOW (editor));
}

static void
shell_open_tune_editor_for_pack (AtelierShell *shell,
                                 AtelierPack  *pack)
{
  AtelierWindow *self = ATELIER_WINDOW (shell);

  atelier_window_show_page (self, "tunes");
  atelier_tunes_page_new_tune_from_pack (ATELIER_TUNES_PAGE (self->tunes_page), pack);
}

static void
shell_open_tune_editor_for_faceid (AtelierShell *shell,
                                   GPtrArray    *files)
{
  AtelierWindow *self = ATELIER_WINDOW (shell);

  atelier_window_show_page (self, "tunes");
  atelier_tunes_page_new_tune_for_faceid (ATELIER_TUNES_PAGE (self->tunes_page), files);
}

static void
shell_open_faceid (AtelierShell *shell,
                   const char   *face_uri,
                   JsonNode     *settings)
{
  AtelierWindow *self = ATELIER_WINDOW (shell);

  atelier_window_show_page (self, "faceid");
  atelier_faceid_page_open (ATELIER_FACEID_PAGE (self->faceid_page), face_uri, settings);
}

/* The desktop notifications go through the application; a window
 * without one (in tests) sends none. */
static AtelierApplication *
shell_get_application (AtelierShell *shell)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (shell));

  return ATELIER_IS_APPLICATION (app) ? ATELIER_APPLICATION (app) : NULL;
}

static void
shell_notify_training_finished (AtelierShell *shell,
                                const char   *tune_title,
                                gint64        tune_id)
{
  AtelierApplication *app = shell_get_application (shell);

  if (app != NULL)
    atelier_application_notify_training_finished (app, tune_title, tune_id);
}

static void
shell_notify_images_ready (AtelierShell *shell,
                           const char   *prompt_text,
                           guint         n_images)
{
  AtelierApplication *app = shell_get_application (shell);

  if (app != NULL)
    atelier_application_notify_images_ready (app, prompt_text, n_images);
}

static void
atelier_window_shell_init (AtelierShellInterface *iface)
{
  iface->get_session = shell_get_session;
  iface->show_error = shell_show_error;
  iface->show_toast = shell_show_toast;
  iface->show_page = shell_show_page;
  iface->show_tune_prompts = shell_show_tune_prompts;
  iface->show_gallery_source = shell_show_gallery_source;
  iface->open_prompt_editor = shell_open_prompt_editor;
  iface->open_tune_editor_for_pack = shell_open_tune_editor_for_pack;
  iface->open_tune_editor_for_faceid = shell_open_tune_editor_for_faceid;
  iface->open_faceid = shell_open_faceid;
  iface->notify_training_finished = shell_notify_training_finished;
  iface->notify_images_ready = shell_notify_images_ready;
}

/* Settings */

static void
visible_page_changed_cb (AtelierWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->view_stack);

  if (is_page_name (name))
    g_settings_set_string (self->settings, "last-page", name);
}

static void
save_window_state (AtelierWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_delay (self->settings);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  visible_page_changed_cb (self);
  g_settings_apply (self->settings);
}

static gboolean
atelier_window_close_request (GtkWindow *window)
{
  save_window_state (ATELIER_WINDOW (window));

  return GTK_WINDOW_CLASS (atelier_window_parent_class)->close_request (window);
}

/* Screenshot: once the session is ready and the visible page loaded */

static gboolean
page_is_loading (GtkWidget *page)
{
  gboolean loading = FALSE;

  if (page != NULL && g_object_class_find_property (G_OBJECT_GET_CLASS (page), "loading"))
    g_object_get (page, "loading", &loading, NULL);

  return loading;
}

static gboolean
screenshot_ready (GtkWindow *window)
{
  AtelierWindow *self = ATELIER_WINDOW (window);

  return atelier_session_is_ready (self->session) &&
         !page_is_loading (adw_view_stack_get_visible_child (self->view_stack));
}

void
atelier_window_screenshot_async (AtelierWindow       *self,
                                 GFile               *file,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  const AtelierScreenshotWatch watch[] = {
    { G_OBJECT (self->session), "notify::mode" },
    { G_OBJECT (self->tunes_page), "notify::loading" },
    { G_OBJECT (self->packs_page), "notify::loading" },
  };

  g_return_if_fail (ATELIER_IS_WINDOW (self));

  atelier_screenshot_async (GTK_WINDOW (self), file, watch, G_N_ELEMENTS (watch),
                            screenshot_ready, cancellable, callback, user_data);
}

gboolean
atelier_window_screenshot_finish (AtelierWindow  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  return atelier_screenshot_finish (GTK_WINDOW (self), result, error);
}

/* Private, for tests */

const char *
_atelier_window_get_last_toast (AtelierWindow *self)
{
  g_return_val_if_fail (ATELIER_IS_WINDOW (self), NULL);
  return self->last_toast;
}

GtkWindow *
_atelier_window_get_error_dialog (AtelierWindow *self)
{
  g_return_val_if_fail (ATELIER_IS_WINDOW (self), NULL);
  return self->error_dialog;
}

GtkWidget *
_atelier_window_get_page (AtelierWindow *self,
                          const char    *name)
{
  g_return_val_if_fail (ATELIER_IS_WINDOW (self), NULL);
  return adw_view_stack_get_child_by_name (self->view_stack, name);
}

/* GObject */

AtelierSession *
atelier_window_get_session (AtelierWindow *self)
{
  g_return_val_if_fail (ATELIER_IS_WINDOW (self), NULL);
  return self->session;
}

static void
atelier_window_constructed (GObject *object)
{
  AtelierWindow *self = ATELIER_WINDOW (object);

  G_OBJECT_CLASS (atelier_window_parent_class)->constructed (object);

  g_assert (self->session != NULL);

  g_signal_connect_object (self->session, "notify::mode",
                           G_CALLBACK (mode_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::mode",
                           G_CALLBACK (session_clients_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::has-fal-key",
                           G_CALLBACK (session_clients_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::astria-client",
                           G_CALLBACK (session_clients_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::fal-client",
                           G_CALLBACK (session_clients_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::offline",
                           G_CALLBACK (update_offline), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "network-restored",
                           G_CALLBACK (network_restored_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->switcher_title, "notify::title-visible",
                           G_CALLBACK (title_visible_changed_cb), self, G_CONNECT_SWAPPED);

  update_account (self);
  session_clients_changed_cb (self);
}

static void
atelier_window_dispose (GObject *object)
{
  AtelierWindow *self = ATELIER_WINDOW (object);

  g_signal_handlers_disconnect_by_func (self->view_stack, visible_page_changed_cb, self);
  atelier_screenshot_stop_watching (GTK_WINDOW (self));
  g_clear_handle_id (&self->account_idle_id, g_source_remove);
  set_client (self, NULL);
  set_fal_client (self, NULL);
  hide_retry (self);
  if (self->error_dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->error_dialog), (gpointer *) &self->error_dialog);
      self->error_dialog = NULL;
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), ATELIER_TYPE_WINDOW);

  G_OBJECT_CLASS (atelier_window_parent_class)->dispose (object);
}

static void
atelier_window_finalize (GObject *object)
{
  AtelierWindow *self = ATELIER_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->session);
  g_free (self->last_toast);

  G_OBJECT_CLASS (atelier_window_parent_class)->finalize (object);
}

static void
atelier_window_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  AtelierWindow *self = ATELIER_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_window_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  AtelierWindow *self = ATELIER_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_window_class_init (AtelierWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = atelier_window_constructed;
  object_class->dispose = atelier_window_dispose;
  object_class->finalize = atelier_window_finalize;
  object_class->get_property = atelier_window_get_property;
  object_class->set_property = atelier_window_set_property;

  window_class->close_request = atelier_window_close_request;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         ATELIER_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ATELIER_TYPE_TUNES_PAGE);
  g_type_ensure (ATELIER_TYPE_PACKS_PAGE);
  g_type_ensure (ATELIER_TYPE_GALLERY_PAGE);
  g_type_ensure (ATELIER_TYPE_FACEID_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/atelier/Atelier/app/atelier-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AtelierWindow, account_button);
  gtk_widget_class_bind_template_child (widget_class, AtelierWindow, account_content);
  gtk_widget_class_bind_template_child (widget_class, AtelierWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, AtelierWindow, sandbox_revealer);
  gtk_widget_class_bind_template_child (widget_class, AtelierWindow, offline_revealer);
  gtk_widget_class_bind_template_child (widget_class, AtelierWindow, offline_label);
  gtk_widget_class_bind_template_child (widget_class, AtelierWindow, retry_revealer);
  gtk_widget_class_bind_template_child (widget_class, AtelierWindow, retry_label);
  gtk_widget_class_bind_template_child (widget_class, AtelierWindow, retry_spinner);
  gtk_widget_class_bind_template_child (widget_class, AtelierWindow, retry_cancel_button);
  gtk_widget_class_bind_template_child (widget_class, AtelierWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AtelierWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, AtelierWindow, tunes_page);
  gtk_widget_class_bind_template_child (widget_class, AtelierWindow, packs_page);
  gtk_widget_class_bind_template_child (widget_class, AtelierWindow, gallery_page);
  gtk_widget_class_bind_template_child (widget_class, AtelierWindow, faceid_page);
  gtk_widget_class_bind_template_callback (widget_class, retry_cancel_clicked_cb);

  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "win.show-page", "s", "tunes");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "win.show-page", "s", "packs");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK, "win.show-page", "s", "gallery");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, GDK_ALT_MASK, "win.show-page", "s", "faceid");
}

static void
atelier_window_init (AtelierWindow *self)
{
  g_autofree char *last_page = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  atelier_widget_label_menu_buttons (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  last_page = g_settings_get_string (self->settings, "last-page");
  atelier_window_show_page (self, last_page);
  g_signal_connect_swapped (self->view_stack, "notify::visible-child-name",
                            G_CALLBACK (visible_page_changed_cb), self);
}

AtelierWindow *
atelier_window_new (GtkApplication *application,
                    AtelierSession *session)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (ATELIER_IS_SESSION (session), NULL);

  return g_object_new (ATELIER_TYPE_WINDOW,
                       "application", application,
                       "session", session,
                       NULL);
}
