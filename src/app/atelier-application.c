/* atelier-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-application.h"
#include "atelier-faceid-page.h"
#include "atelier-first-frame.h"
#include "atelier-preferences-window.h"
#include "atelier-resources.h"
#include "atelier-shell.h"
#include "atelier-widget-utils.h"
#include "atelier-window.h"
#include "atelier-window-private.h"

struct _AtelierApplication
{
  AdwApplication  parent_instance;

  AtelierSession *session;
  AtelierAccount *account;
  char           *screenshot_path;
  int             exit_status;
};

G_DEFINE_FINAL_TYPE (AtelierApplication, atelier_application, ADW_TYPE_APPLICATION)

static AtelierWindow *
get_window (AtelierApplication *self)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  for (GList *l = windows; l != NULL; l = l->next)
    if (ATELIER_IS_WINDOW (l->data))
      return l->data;

  return NULL;
}

/* GTK (4.8) builds the keyboard shortcuts window with a search toggle
 * button, a search entry and a menu button of sections that have no
 * accessible names: screen readers would hear "GtkSearchEntry". */
static void
name_shortcuts_controls (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *label = NULL;

      if (GTK_IS_SEARCH_ENTRY (child))
        label = _("Search Shortcuts");
      else if (GTK_IS_TOGGLE_BUTTON (child) && gtk_button_get_label (GTK_BUTTON (child)) == NULL)
        label = _("Search");
      else if (GTK_IS_MENU_BUTTON (child))
        label = _("Sections");

      if (label != NULL)
        {
          gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
          atelier_widget_label_menu_buttons (child);
        }
      else
        {
          name_shortcuts_controls (child);
        }
    }
}

static AtelierWindow *
ensure_window (AtelierApplication *self)
{
  AtelierWindow *window = get_window (self);

  if (window == NULL)
    {
      GtkShortcutsWindow *shortcuts;

      window = atelier_window_new (GTK_APPLICATION (self), self->session);
      shortcuts = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
      if (shortcuts != NULL)
        name_shortcuts_controls (GTK_WIDGET (shortcuts));
    }

  return window;
}

/* Actions */

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  AtelierApplication *self = user_data;
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Close the windows first, so they save their state. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free (windows);

  g_application_quit (G_APPLICATION (self));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  AtelierApplication *self = user_data;
  GtkWindow *parent = GTK_WINDOW (ensure_window (self));
  GList *toplevels = gtk_window_list_toplevels ();
  GtkWindow *prefs = NULL;

  /* One at a time. */
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ATELIER_IS_PREFERENCES_WINDOW (l->data))
      prefs = l->data;
  g_list_free (toplevels);

  if (prefs == NULL)
    prefs = GTK_WINDOW (atelier_preferences_window_new (parent, self->account));
  gtk_window_present (prefs);
}

/* The title of the page of the about window @widget is on. */
static const char *
about_page_title (GtkWidget *widget)
{
  for (GtkWidget *up = gtk_widget_get_parent (widget); up != NULL; up = gtk_widget_get_parent (up))
    {
      GtkWidget *title = atelier_widget_find_descendant (up, ADW_TYPE_WINDOW_TITLE);

      if (title != NULL)
        return adw_window_title_get_title (ADW_WINDOW_TITLE (title));
    }

  return NULL;
}

/* AdwAboutWindow (libadwaita 1.2) leaves its version button and the text
 * of its What’s New and Debugging Information pages without accessible
 * names (and its back buttons: see atelier_widget_name_buttons_by_tooltip()). */
static void
name_about_controls (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), "about.copy-property") == 0 &&
          gtk_button_get_label (GTK_BUTTON (child)) == NULL)
        {
          g_autofree char *label = NULL;

          /* Translators: the accessible name of the button that shows the
           * version in the about window (a click copies it); %s is the version */
          label = g_strdup_printf (_("Version %s"), PACKAGE_VERSION);
          gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
        }
      else if (GTK_IS_TEXT_VIEW (child) && about_page_title (child) != NULL)
        {
          gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, about_page_title (child),
                                          -1);
        }
      else
        {
          name_about_controls (child);
        }
    }
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  AtelierApplication *self = user_data;
  static const char *developers[] = { "The Atelier authors", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", _("Atelier"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Atelier authors"),
                        "version", PACKAGE_VERSION,
                        "website", "https://github.com/atelier/atelier",
                        "issue-url", "https://github.com/atelier/atelier/issues",
                        "comments", _("Train portrait models with Astria, write prompts for them, test prompt packs on them, make a likeness from one photo with fal.ai’s FaceID, and browse the images they make."),
                        "developers", developers,
                        /* Translators: Replace "translator-credits" with your names, one name per line */
                        "translator-credits", _("translator-credits"),
                        "copyright", "© 2024 The Atelier authors",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        NULL);
  atelier_widget_name_buttons_by_tooltip (about);
  name_about_controls (about);
  gtk_window_present (GTK_WINDOW (about));
}

static void
show_tune_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  AtelierApplication *self = user_data;
  AtelierWindow *window = ensure_window (self);

  atelier_window_show_tune (window, g_variant_get_int64 (param));
  gtk_window_present (GTK_WINDOW (window));
}

static void
show_gallery_action (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  AtelierApplication *self = user_data;
  AtelierWindow *window = ensure_window (self);

  atelier_window_show_page (window, "gallery");
  gtk_window_present (GTK_WINDOW (window));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "preferences", preferences_action },
  { "about", about_action },
  { "show-tune", show_tune_action, "x" },
  { "show-gallery", show_gallery_action },
};

/* Notifications */

/* Sends notification @id with the app's icon; clicking it activates
 * @action with @target (NULL for none). */
static void
send_notification (AtelierApplication *self,
                   const char         *id,
                   const char         *title,
                   const char         *body,
                   const char         *action,
                   GVariant           *target)
{
  g_autoptr(GNotification) notification = g_notification_new (title);
  g_autoptr(GIcon) icon = g_themed_icon_new (APP_ID);

  if (body != NULL)
    g_notification_set_body (notification, body);
  g_notification_set_icon (notification, icon);
  g_notification_set_default_action_and_target_value (notification, action, target);
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

void
atelier_application_notify_training_finished (AtelierApplication *self,
                                              const char         *tune_title,
                                              gint64              tune_id)
{
  g_autofree char *id = NULL;
  g_autofree char *body = NULL;

  g_return_if_fail (ATELIER_IS_APPLICATION (self));

  /* Translators: %s is the title of a tune */
  body = g_strdup_printf (_("“%s” is ready: you can generate images now."),
                          tune_title != NULL && *tune_title != '\0' ? tune_title : _("Your tune"));

  id = g_strdup_printf ("training-finished-%" G_GINT64_FORMAT, tune_id);
  send_notification (self, id, _("Training Finished"), body,
                     "app.show-tune", g_variant_new_int64 (tune_id));
}

void
atelier_application_notify_images_ready (AtelierApplication *self,
                                         const char         *prompt_text,
                                         guint               n_images)
{
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;

  g_return_if_fail (ATELIER_IS_APPLICATION (self));

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "%u Image Ready",
                                        "%u Images Ready",
                                        n_images),
                           n_images);
  if (prompt_text != NULL && *prompt_text != '\0')
    {
      /* Keep the notification short: the first line, at most 80 characters. */
      g_autofree char *line = g_strndup (prompt_text, strcspn (prompt_text, "\n"));

      if (g_utf8_strlen (line, -1) > 80)
        {
          g_autofree char *cut = g_utf8_substring (line, 0, 79);
          body = g_strdup_printf ("%s…", cut);
        }
      else
        {
          body = g_steal_pointer (&line);
        }
    }

  send_notification (self, "images-ready", title, body, "app.show-gallery", NULL);
}

/* Screenshot (hidden option, for the README and the metainfo) */

static void
screenshot_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(AtelierApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!atelier_window_screenshot_finish (ATELIER_WINDOW (source), result, &error))
    {
      g_printerr ("%s\n", error->message);
      self->exit_status = 1;
    }
  else
    {
      g_print (_("Saved a screenshot to %s\n"), self->screenshot_path);
    }

  g_application_release (G_APPLICATION (self));
  quit_action (NULL, NULL, self);
}

/* GApplication */

int
atelier_application_get_exit_status (AtelierApplication *self)
{
  g_return_val_if_fail (ATELIER_IS_APPLICATION (self), 1);
  return self->exit_status;
}

AtelierAccount *
atelier_application_get_account (AtelierApplication *self)
{
  g_return_val_if_fail (ATELIER_IS_APPLICATION (self), NULL);
  return self->account;
}

AtelierSession *
atelier_application_get_session (AtelierApplication *self)
{
  g_return_val_if_fail (ATELIER_IS_APPLICATION (self), NULL);
  return self->session;
}

static int
atelier_application_handle_local_options (GApplication *application,
                                          GVariantDict *options)
{
  AtelierApplication *self = ATELIER_APPLICATION (application);
  const char *path = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", "atelier", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, "screenshot", "^&ay", &path))
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);

      g_free (self->screenshot_path);
      self->screenshot_path = g_file_get_path (file);
      /* A separate instance, so a running Atelier is not disturbed. */
      g_application_set_flags (application,
                               g_application_get_flags (application) | G_APPLICATION_NON_UNIQUE);
    }

  return G_APPLICATION_CLASS (atelier_application_parent_class)->handle_local_options (application, options);
}

static void
atelier_application_startup (GApplication *application)
{
  AtelierApplication *self = ATELIER_APPLICATION (application);
  GtkApplication *app = GTK_APPLICATION (application);

  G_APPLICATION_CLASS (atelier_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);

  gtk_application_set_accels_for_action (app, "app.quit", (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (app, "app.preferences", (const char *[]) { "<Control>comma", NULL });
  gtk_application_set_accels_for_action (app, "window.close", (const char *[]) { "<Control>w", NULL });
  gtk_application_set_accels_for_action (app, "win.refresh", (const char *[]) { "F5", "<Control>r", NULL });
  gtk_application_set_accels_for_action (app, "win.search", (const char *[]) { "<Control>f", NULL });

  gtk_window_set_default_icon_name (APP_ID);

  self->session = atelier_session_new ();
  self->account = atelier_account_new (self->session, NULL);
  atelier_account_start (self->account);
}

static void
atelier_application_activate (GApplication *application)
{
  AtelierApplication *self = ATELIER_APPLICATION (application);
  AtelierWindow *window = ensure_window (self);

  atelier_first_frame_probe (GTK_WINDOW (window), application);
  gtk_window_present (GTK_WINDOW (window));

  if (self->screenshot_path != NULL && g_object_get_data (G_OBJECT (self), "screenshot-started") == NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (self->screenshot_path);

      g_object_set_data (G_OBJECT (self), "screenshot-started", GINT_TO_POINTER (TRUE));
      g_application_hold (application);
      atelier_window_screenshot_async (window, file, NULL, screenshot_cb, g_object_ref (self));
    }
}

/* "Open With" an image: the FaceID page with it as the face (the first
 * replaces the face chosen so far, the others join it). */
static void
atelier_application_open (GApplication  *application,
                          GFile        **files,
                          int            n_files,
                          const char    *hint)
{
  AtelierApplication *self = ATELIER_APPLICATION (application);
  AtelierWindow *window;
  g_autoptr(GPtrArray) rest = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *uri = NULL;

  atelier_application_activate (application);
  window = ensure_window (self);
  if (n_files <= 0)
    return;

  uri = g_file_get_uri (files[0]);
  atelier_shell_open_faceid (ATELIER_SHELL (window), uri, NULL);

  for (int i = 1; i < n_files; i++)
    g_ptr_array_add (rest, g_object_ref (files[i]));
  if (rest->len > 0)
    atelier_faceid_page_add_files (ATELIER_FACEID_PAGE (_atelier_window_get_page (window, "faceid")), rest);
}

static void
atelier_application_shutdown (GApplication *application)
{
  AtelierApplication *self = ATELIER_APPLICATION (application);

  G_APPLICATION_CLASS (atelier_application_parent_class)->shutdown (application);

  /* Stops the sandbox, saving its state. */
  g_clear_object (&self->account);
  g_clear_object (&self->session);
}

static void
atelier_application_finalize (GObject *object)
{
  AtelierApplication *self = ATELIER_APPLICATION (object);

  g_clear_object (&self->account);
  g_clear_object (&self->session);
  g_free (self->screenshot_path);

  G_OBJECT_CLASS (atelier_application_parent_class)->finalize (object);
}

static void
atelier_application_class_init (AtelierApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = atelier_application_finalize;

  app_class->handle_local_options = atelier_application_handle_local_options;
  app_class->startup = atelier_application_startup;
  app_class->activate = atelier_application_activate;
  app_class->open = atelier_application_open;
  app_class->shutdown = atelier_application_shutdown;

  /* The resource lives in a static library: reference it so it is linked. */
  g_assert (atelier_get_resource () != NULL);
}

static void
atelier_application_init (AtelierApplication *self)
{
  static const GOptionEntry options[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL },
    { "screenshot", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, NULL,
      N_("Save a screenshot of the main window once loaded, then quit"), N_("FILE") },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

AtelierApplication *
atelier_application_new (void)
{
  return g_object_new (ATELIER_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/atelier/Atelier",
                       NULL);
}
