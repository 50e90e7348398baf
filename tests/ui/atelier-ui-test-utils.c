/* atelier-ui-test-utils.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "atelier-test-utils.h"
#include "atelier-ui-test-utils.h"
#include "atelier-application.h"
#include "atelier-screenshot.h"
#include "atelier-secret.h"
#include "atelier-window.h"

void
atelier_ui_test_init (int    *argc,
                      char ***argv)
{
  g_test_init (argc, argv, NULL);

  if (!gtk_init_check ())
    {
      g_printerr ("No display: skipping the UI tests\n");
      exit (77);
    }
  adw_init ();
  /* Under a bare X server a text field can lose focus without a
   * focus-out event; GTK's cursor blink then warns (fatal in tests)
   * about what is the test's doing, not the app's. */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
}

static GtkWidget *
find (GtkWidget *root,
      gboolean (*match) (GtkWidget *, gconstpointer, gconstpointer),
      gconstpointer a,
      gconstpointer b)
{
  if (match (root, a, b))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find (child, match, a, b);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
match_id (GtkWidget     *widget,
          gconstpointer  id,
          gconstpointer  unused)
{
  return g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)), id) == 0;
}

GtkWidget *
atelier_ui_find_by_id (GtkWidget  *root,
                       const char *buildable_id)
{
  return find (root, match_id, buildable_id, NULL);
}

GtkWidget *
atelier_ui_get_by_id (GtkWidget  *root,
                      const char *buildable_id)
{
  GtkWidget *widget = atelier_ui_find_by_id (root, buildable_id);

  if (widget == NULL)
    g_error ("No “%s”", buildable_id);
  return widget;
}

static gboolean
match_type (GtkWidget     *widget,
            gconstpointer  type,
            gconstpointer  unused)
{
  return g_type_is_a (G_OBJECT_TYPE (widget), *(const GType *) type);
}

GtkWidget *
atelier_ui_find_by_type (GtkWidget *root,
                         GType      type)
{
  return find (root, match_type, &type, NULL);
}

static const char *
widget_label (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    return gtk_button_get_label (GTK_BUTTON (widget));
  if (GTK_IS_LABEL (widget))
    return gtk_label_get_label (GTK_LABEL (widget));
  if (ADW_IS_PREFERENCES_ROW (widget))
    return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));
  if (ADW_IS_BUTTON_CONTENT (widget))
    return adw_button_content_get_label (ADW_BUTTON_CONTENT (widget));
  if (ADW_IS_STATUS_PAGE (widget))
    return adw_status_page_get_title (ADW_STATUS_PAGE (widget));
  return NULL;
}

/* A label as the user sees it: mnemonics underscores removed. */
static gboolean
label_equal (const char *shown,
             const char *wanted)
{
  g_autoptr(GString) plain = NULL;

  if (shown == NULL)
    return FALSE;

  plain = g_string_new (shown);
  g_string_replace (plain, "_", "", 0);
  return g_str_equal (plain->str, wanted) || g_str_equal (shown, wanted);
}

static GtkWidget *find (GtkWidget *root,
                        gboolean (*match) (GtkWidget *, gconstpointer, gconstpointer),
                        gconstpointer a,
                        gconstpointer b);

static gboolean
match_labelled (GtkWidget     *widget,
                gconstpointer  type,
                gconstpointer  label)
{
  if (!g_type_is_a (G_OBJECT_TYPE (widget), *(const GType *) type))
    return FALSE;

  if (label_equal (widget_label (widget), label))
    return TRUE;

  /* Buttons whose content is a label, an AdwButtonContent, or the
   * labels of a view switcher button. */
  if (GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget))
    {
      GType label_types[] = { GTK_TYPE_LABEL, ADW_TYPE_BUTTON_CONTENT };

      for (guint i = 0; i < G_N_ELEMENTS (label_types); i++)
        for (GtkWidget *child = gtk_widget_get_first_child (widget);
             child != NULL;
             child = gtk_widget_get_next_sibling (child))
          if (find (child, match_labelled, &label_types[i], label) != NULL)
            return TRUE;
    }

  return FALSE;
}

GtkWidget *
atelier_ui_find_labelled (GtkWidget  *root,
                          GType       type,
                          const char *label)
{
  return find (root, match_labelled, &type, label);
}

gboolean
atelier_ui_is_shown (GtkWidget *widget)
{
  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    {
      if (!gtk_widget_get_visible (w))
        return FALSE;
      if (GTK_IS_REVEALER (w) && !gtk_revealer_get_reveal_child (GTK_REVEALER (w)))
        return FALSE;
      /* Only the visible page of a stack is seen. */
      if (GTK_IS_STACK (gtk_widget_get_parent (w)) &&
          gtk_stack_get_visible_child (GTK_STACK (gtk_widget_get_parent (w))) != w)
        return FALSE;
    }

  return TRUE;
}

static gboolean
match_text (GtkWidget     *widget,
            gconstpointer  text,
            gconstpointer  unused)
{
  const char *shown = NULL;

  if (GTK_IS_LABEL (widget))
    shown = gtk_label_get_text (GTK_LABEL (widget));

  return shown != NULL && strstr (shown, text) != NULL && atelier_ui_is_shown (widget);
}

gboolean
atelier_ui_shows_text (GtkWidget  *root,
                       const char *text)
{
  return find (root, match_text, text, NULL) != NULL;
}

GtkWindow *
atelier_ui_find_toplevel (GType type)
{
  GList *toplevels = gtk_window_list_toplevels ();
  GtkWindow *found = NULL;

  for (GList *l = toplevels; l != NULL && found == NULL; l = l->next)
    if (g_type_is_a (G_OBJECT_TYPE (l->data), type))
      found = l->data;
  g_list_free (toplevels);

  return found;
}

void
atelier_ui_spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

void
atelier_ui_save_screenshot (GtkWindow  *window,
                            const char *name)
{
  const char *dir = g_getenv ("ATELIER_TEST_SCREENSHOTS");
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;

  atelier_ui_spin (700);   /* transitions */
  texture = atelier_render_window (window);
  g_assert_nonnull (texture);
  file = g_strdup_printf ("%s.png", name);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* {{{ Notification server */

static GPtrArray *notifications;   /* "summary\nbody" */
static gboolean notify_name_owned;

static void
notify_method_call (GDBusConnection       *connection,
                    const char            *sender,
                    const char            *object_path,
                    const char            *interface_name,
                    const char            *method_name,
                    GVariant              *parameters,
                    GDBusMethodInvocation *invocation,
                    gpointer               user_data)
{
  if (g_str_equal (method_name, "Notify"))
    {
      const char *summary = NULL;
      const char *body = NULL;

      g_variant_get (parameters, "(&sus&s&sas@a{sv}i)", NULL, NULL, NULL, &summary, &body, NULL, NULL, NULL);
      g_ptr_array_add (notifications, g_strdup_printf ("%s\n%s", summary, body));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", notifications->len));
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      const char *caps[] = { "body", "actions", NULL };
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else if (g_str_equal (method_name, "GetServerInformation"))
    {
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ssss)", "test", "atelier", "1", "1.2"));
    }
  else
    {
      g_dbus_method_invocation_return_dbus_error (invocation, "org.freedesktop.DBus.Error.UnknownMethod", method_name);
    }
}

static void
notify_name_acquired (GDBusConnection *connection,
                      const char      *name,
                      gpointer         user_data)
{
  notify_name_owned = TRUE;
}

GPtrArray *
atelier_ui_start_notification_server (void)
{
  static const char xml[] =
    "<node><interface name='org.freedesktop.Notifications'>"
    "<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/>"
    "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
    "<arg type='as' direction='in'/><arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
    "<arg type='u' direction='out'/></method>"
    "<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
    "<method name='GetServerInformation'><arg type='s' direction='out'/><arg type='s' direction='out'/>"
    "<arg type='s' direction='out'/><arg type='s' direction='out'/></method>"
    "</interface></node>";
  static const GDBusInterfaceVTable vtable = { notify_method_call, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = NULL;

  if (notifications != NULL)
    return notifications;

  info = g_dbus_node_info_new_for_xml (xml, NULL);
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  notifications = g_ptr_array_new_with_free_func (g_free);
  g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications",
                                     info->interfaces[0], &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  g_bus_own_name_on_connection (bus, "org.freedesktop.Notifications", G_BUS_NAME_OWNER_FLAGS_NONE,
                                notify_name_acquired, NULL, NULL, NULL);
  atelier_test_wait_until (notify_name_owned, 20000);

  return notifications;
}

/* }}} */

/* {{{ A fresh application per case */

static AtelierApplication *current_app;

static void
reset_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
  g_settings_sync ();
}

static void
reset_keyring (void)
{
  const char *services[] = { ATELIER_SECRET_SERVICE_ASTRIA, ATELIER_SECRET_SERVICE_FAL };

  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;

      atelier_secret_clear_async (services[i], NULL, atelier_test_store_result, &result);
      atelier_secret_clear_finish (atelier_test_wait_result (&result), &error);
      g_assert_no_error (error);
    }
}

static void
store_key (const char *service,
           const char *key)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  atelier_secret_store_async (service, key, NULL, atelier_test_store_result, &result);
  g_assert_true (atelier_secret_store_finish (atelier_test_wait_result (&result), &error));
  g_assert_no_error (error);
}

AtelierWindow *
atelier_ui_app_start (const char *first_service,
                      ...)
{
  g_autofree char *data = g_build_filename (g_get_user_data_dir (), "atelier", NULL);
  g_autofree char *cache = g_build_filename (g_get_user_cache_dir (), "atelier", NULL);
  g_autoptr(GError) error = NULL;
  AtelierSession *session;
  GList *windows;
  va_list args;

  g_assert_null (current_app);

  /* The tests never run against the user's own folders. */
  g_assert_nonnull (g_getenv ("XDG_DATA_HOME"));
  atelier_test_rm_rf (data);
  atelier_test_rm_rf (cache);
  reset_settings ();
  reset_keyring ();

  va_start (args, first_service);
  for (const char *service = first_service; service != NULL; service = va_arg (args, const char *))
    store_key (service, va_arg (args, const char *));
  va_end (args);

  /* The app as main() makes it (it handles "Open With"), but not unique:
   * each case has an application of its own. */
  current_app = atelier_application_new ();
  g_application_set_flags (G_APPLICATION (current_app),
                           g_application_get_flags (G_APPLICATION (current_app)) | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (current_app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (current_app));

  windows = gtk_application_get_windows (GTK_APPLICATION (current_app));
  g_assert_nonnull (windows);
  g_assert_true (ATELIER_IS_WINDOW (windows->data));

  session = atelier_application_get_session (current_app);
  atelier_test_wait_until (atelier_session_is_ready (session), 30000);

  return ATELIER_WINDOW (windows->data);
}

static void
quit_instead_cb (GApplication *app)
{
  g_signal_stop_emission_by_name (app, "activate");
  g_application_quit (app);
}

void
atelier_ui_app_stop (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  AtelierApplication *app = current_app;
  gpointer session, likes, library, cache;

  if (app == NULL)
    return;

  /* What writes to the data and cache folders: the next case wipes them,
   * so its files must be written (and these objects gone) first. */
  session = atelier_application_get_session (app);
  likes = atelier_session_get_likes (session);
  library = atelier_session_get_library (session);
  cache = atelier_session_get_image_cache (session);
  g_object_add_weak_pointer (session, &session);
  g_object_add_weak_pointer (likes, &likes);
  g_object_add_weak_pointer (library, &library);
  g_object_add_weak_pointer (cache, &cache);

  /* Every window: the main one, editors, viewers, dialogs. */
  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, 0);

      gtk_window_destroy (toplevel);
    }

  current_app = NULL;
  g_object_add_weak_pointer (G_OBJECT (app), (gpointer *) &app);
  /* Only g_application_run() ends an application properly: shutdown
   * (which stops the sandbox, saving its state) and unregistering from
   * D-Bus. It would activate the application once more: instead of a new
   * window, that activation quits at once. */
  g_signal_connect (app, "activate", G_CALLBACK (quit_instead_cb), NULL);
  g_application_run (G_APPLICATION (app), 0, NULL);
  g_object_unref (app);
  /* Pending callbacks and writes may still hold them a moment. */
  atelier_test_wait_until (app == NULL, 30000);
  atelier_test_wait_until (session == NULL && likes == NULL && library == NULL && cache == NULL, 30000);
}

AtelierApplication *
atelier_ui_get_app (void)
{
  g_assert_nonnull (current_app);
  return current_app;
}

typedef struct
{
  void (*setup) (void);
  void (*func) (void);
} UiCase;

static void
run_case (gconstpointer data)
{
  const UiCase *ui_case = data;

  if (ui_case->setup != NULL)
    ui_case->setup ();
  else
    atelier_ui_app_start (NULL);
  ui_case->func ();
  atelier_ui_app_stop ();
}

void
atelier_ui_test_add (const char  *path,
                     void       (*setup) (void),
                     void       (*func) (void))
{
  UiCase *ui_case = g_new0 (UiCase, 1);

  ui_case->setup = setup;
  ui_case->func = func;
  g_test_add_data_func_full (path, ui_case, run_case, g_free);
}

/* }}} */

AtelierAccount *
atelier_ui_get_account (void)
{
  return atelier_application_get_account (atelier_ui_get_app ());
}

AtelierSandboxServer *
atelier_ui_get_sandbox (void)
{
  return atelier_account_get_sandbox (atelier_ui_get_account ());
}
