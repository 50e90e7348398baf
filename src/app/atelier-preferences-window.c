/* atelier-preferences-window.c
 *
 * Each key is verified with a cheap authenticated call before it is
 * stored: Astria with the first page of GET /tunes on a temporary client,
 * fal.ai with atelier_fal_client_verify_key_async(). The key is only ever
 * in the entry, the temporary client and the keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-preferences-window.h"
#include "atelier-secret.h"
#include "atelier-widget-utils.h"

typedef enum
{
  STATUS_NEUTRAL,
  STATUS_BUSY,
  STATUS_OK,
  STATUS_ERROR,
} StatusKind;

typedef struct
{
  const char      *service;      /* ATELIER_SECRET_SERVICE_* */
  AdwEntryRow     *entry;
  AdwActionRow    *status_row;
  GtkStack        *status_stack;
  GtkImage        *status_icon;
  GtkSpinner      *spinner;
  GtkWidget       *remove_button;
  GCancellable    *cancellable;
  GError          *retry_reason;  /* the server failed and the call would retry */
  char            *status;
  StatusKind       kind;
} KeyForm;

struct _AtelierPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* template */
  AdwPasswordEntryRow  *astria_entry;
  AdwActionRow         *astria_status_row;
  GtkStack             *astria_status_stack;
  GtkImage             *astria_status_icon;
  GtkSpinner           *astria_spinner;
  GtkWidget            *astria_remove_button;
  AdwPasswordEntryRow  *fal_entry;
  AdwActionRow         *fal_status_row;
  GtkStack             *fal_status_stack;
  GtkImage             *fal_status_icon;
  GtkSpinner           *fal_spinner;
  GtkWidget            *fal_remove_button;

  AtelierAccount       *account;
  AtelierSession       *session;   /* the account's */
  KeyForm               astria;
  KeyForm               fal;
};

G_DEFINE_FINAL_TYPE (AtelierPreferencesWindow, atelier_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_ACCOUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_status (KeyForm    *form,
            StatusKind  kind,
            const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  GtkWidget *icon = GTK_WIDGET (form->status_icon);

  g_free (form->status);
  form->status = g_strdup (text);
  form->kind = kind;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (form->status_row), escaped);
  gtk_widget_remove_css_class (icon, "success");
  gtk_widget_remove_css_class (icon, "error");
  gtk_widget_remove_css_class (icon, "dim-label");

  switch (kind)
    {
    case STATUS_BUSY:
      gtk_spinner_start (form->spinner);
      gtk_stack_set_visible_child_name (form->status_stack, "spinner");
      break;
    case STATUS_OK:
      gtk_image_set_from_icon_name (form->status_icon, "emblem-ok-symbolic");
      gtk_widget_add_css_class (icon, "success");
      break;
    case STATUS_ERROR:
      gtk_image_set_from_icon_name (form->status_icon, "dialog-error-symbolic");
      gtk_widget_add_css_class (icon, "error");
      break;
    case STATUS_NEUTRAL:
    default:
      gtk_image_set_from_icon_name (form->status_icon, "dialog-information-symbolic");
      gtk_widget_add_css_class (icon, "dim-label");
      break;
    }

  if (kind != STATUS_BUSY)
    {
      gtk_spinner_stop (form->spinner);
      gtk_stack_set_visible_child_name (form->status_stack, "icon");
    }

  /* Not insensitive: the entry may have the focus (GTK 4.8 warns). */
  gtk_editable_set_editable (GTK_EDITABLE (form->entry), kind != STATUS_BUSY);
  gtk_widget_set_sensitive (form->remove_button, kind != STATUS_BUSY);
}

static gboolean
is_fal (KeyForm *form)
{
  return g_str_equal (form->service, ATELIER_SECRET_SERVICE_FAL);
}

static const char *
service_name (KeyForm *form)
{
  return is_fal (form) ? "fal.ai" : "Astria";
}

/* The state when nothing is being checked. */
static void
show_session_state (AtelierPreferencesWindow *self,
                    KeyForm                  *form)
{
  AtelierSessionMode mode = atelier_session_get_mode (self->session);
  gboolean has_key;

  if (is_fal (form))
    {
      has_key = atelier_session_has_fal_key (self->session);
      if (has_key)
        set_status (form, STATUS_OK, _("Using the fal.ai key in your keyring"));
      else if (mode == ATELIER_SESSION_MODE_SANDBOX)
        set_status (form, STATUS_NEUTRAL, _("No key: FaceID uses the Sandbox"));
      else
        set_status (form, STATUS_NEUTRAL, _("No key: FaceID is not available"));
    }
  else
    {
      has_key = mode == ATELIER_SESSION_MODE_ACCOUNT;
      if (has_key)
        set_status (form, STATUS_OK, _("Connected with the key in your keyring"));
      else if (mode == ATELIER_SESSION_MODE_STARTING)
        set_status (form, STATUS_NEUTRAL, _("Looking for a key in your keyring…"));
      else
        set_status (form, STATUS_NEUTRAL, _("Not connected: you are in the Sandbox"));
    }

  gtk_widget_set_visible (form->remove_button, has_key);
}

static void
session_changed_cb (AtelierPreferencesWindow *self)
{
  if (self->astria.kind != STATUS_BUSY && self->astria.kind != STATUS_ERROR)
    show_session_state (self, &self->astria);
  else
    gtk_widget_set_visible (self->astria.remove_button,
                            atelier_session_get_mode (self->session) == ATELIER_SESSION_MODE_ACCOUNT);

  if (self->fal.kind != STATUS_BUSY && self->fal.kind != STATUS_ERROR)
    show_session_state (self, &self->fal);
  else
    gtk_widget_set_visible (self->fal.remove_button, atelier_session_has_fal_key (self->session));
}

static char *
describe_verify_error (KeyForm      *form,
                       const GError *error)
{
  const char *name = service_name (form);

  if (form->retry_reason != NULL)
    /* Translators: %s is "Astria" or "fal.ai" */
    return g_strdup_printf (_("Server error: %s had a problem. Try again later."), name);

  if (error->domain == ATELIER_API_ERROR)
    {
      switch ((AtelierApiError) error->code)
        {
        case ATELIER_API_ERROR_UNAUTHORIZED:
          /* Translators: %s is "Astria" or "fal.ai" */
          return g_strdup_printf (_("Wrong key: %s did not accept it"), name);
        case ATELIER_API_ERROR_NETWORK:
        case ATELIER_API_ERROR_TIMEOUT:
          /* Translators: %s is "Astria" or "fal.ai" */
          return g_strdup_printf (_("Offline: could not reach %s. Check your connection."), name);
        case ATELIER_API_ERROR_SERVER:
        case ATELIER_API_ERROR_GATEWAY_TIMEOUT:
        case ATELIER_API_ERROR_HTTP:
        case ATELIER_API_ERROR_PARSE:
          /* Translators: %s is "Astria" or "fal.ai" */
          return g_strdup_printf (_("Server error: %s had a problem. Try again later."), name);
        case ATELIER_API_ERROR_RATE_LIMITED:
          /* Translators: %s is "Astria" or "fal.ai" */
          return g_strdup_printf (_("%s is busy: try again in a minute"), name);
        case ATELIER_API_ERROR_INSECURE_URL:
          /* Translators: %s is "Astria" or "fal.ai" */
          return g_strdup_printf (_("The %s address is not secure: use https://"), name);
        default:
          break;
        }
    }

  return g_strdup (error->message);
}

typedef struct
{
  AtelierPreferencesWindow *self;  /* (owned) */
  KeyForm                  *form;
  char                     *key;   /* (owned), wiped */
} VerifyData;

static void
verify_data_free (VerifyData *data)
{
  g_object_unref (data->self);
  if (data->key != NULL)
    secret_password_wipe (data->key);
  g_free (data->key);
  g_free (data);
}

/* Empties the entry without leaving its apply button up. */
static void
clear_entry (KeyForm *form)
{
  gtk_editable_set_text (GTK_EDITABLE (form->entry), "");
  adw_entry_row_set_show_apply_button (form->entry, FALSE);
  adw_entry_row_set_show_apply_button (form->entry, TRUE);
}

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  VerifyData *data = user_data;
  KeyForm *form = data->form;
  g_autoptr(GError) error = NULL;

  if (!atelier_account_set_key_finish (ATELIER_ACCOUNT (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          verify_data_free (data);
          return;
        }
      set_status (form, STATUS_ERROR,
                  _("Key verified, but the keyring could not keep it: it will be forgotten when Atelier quits"));
      g_message ("Keyring: %s", error->message);
    }
  else
    {
      set_status (form, STATUS_OK, _("Key verified and saved in your keyring"));
    }

  clear_entry (form);
  gtk_widget_set_visible (form->remove_button, TRUE);
  verify_data_free (data);
}

static void
verified (VerifyData   *data,
          const GError *error)
{
  KeyForm *form = data->form;

  if (error != NULL)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && form->retry_reason == NULL)
        {
          verify_data_free (data);
          return;
        }

      text = describe_verify_error (form, error);
      set_status (form, STATUS_ERROR, text);
      g_clear_error (&form->retry_reason);
      gtk_widget_grab_focus (GTK_WIDGET (form->entry));
      verify_data_free (data);
      return;
    }

  set_status (form, STATUS_BUSY, _("Saving the key in your keyring…"));
  atelier_account_set_key_async (data->self->account, form->service, data->key,
                                 form->cancellable, stored_cb, data);
}

static void
verify_astria_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GPtrArray) tunes = NULL;
  g_autoptr(GError) error = NULL;

  tunes = atelier_astria_client_list_tunes_finish (ATELIER_ASTRIA_CLIENT (source), result, &error);
  verified (user_data, tunes != NULL ? NULL : error);
}

static void
verify_fal_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!atelier_fal_client_verify_key_finish (ATELIER_FAL_CLIENT (source), result, &error))
    verified (user_data, error);
  else
    verified (user_data, NULL);
}

/* A key check must answer now, not after minutes of backoff: the first
 * scheduled retry ends the check with a "server error". */
static void
verify_retry_cb (AtelierAstriaClient *client,
                 guint                attempt,
                 guint                delay_ms,
                 GError              *reason,
                 GCancellable        *cancellable,
                 KeyForm             *form)
{
  if (form->retry_reason == NULL && reason != NULL)
    form->retry_reason = g_error_copy (reason);
  g_cancellable_cancel (form->cancellable);
}

static void
verify (AtelierPreferencesWindow *self,
        KeyForm                  *form)
{
  g_autofree char *key = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (form->entry))));
  g_autoptr(GError) error = NULL;
  VerifyData *data;

  if (form->kind == STATUS_BUSY)
    {
      secret_password_wipe (key);
      return;
    }

  if (*key == '\0')
    {
      set_status (form, STATUS_ERROR, _("Paste a key first"));
      secret_password_wipe (key);
      return;
    }

  g_cancellable_cancel (form->cancellable);
  g_clear_object (&form->cancellable);
  g_clear_error (&form->retry_reason);
  form->cancellable = g_cancellable_new ();

  data = g_new0 (VerifyData, 1);
  data->self = g_object_ref (self);
  data->form = form;
  data->key = g_steal_pointer (&key);

  {
    /* Translators: %s is "Astria" or "fal.ai" */
    g_autofree char *text = g_strdup_printf (_("Checking the key with %s…"), service_name (form));
    set_status (form, STATUS_BUSY, text);
  }

  if (is_fal (form))
    {
      g_autoptr(AtelierFalClient) client = atelier_fal_client_new (NULL, data->key, &error);

      if (client == NULL)
        {
          verified (data, error);
          return;
        }
      atelier_fal_client_verify_key_async (client, form->cancellable, verify_fal_cb, data);
    }
  else
    {
      g_autoptr(AtelierAstriaClient) client = atelier_astria_client_new (NULL, data->key, &error);

      if (client == NULL)
        {
          verified (data, error);
          return;
        }
      g_signal_connect (client, "retry-scheduled", G_CALLBACK (verify_retry_cb), form);
      atelier_astria_client_list_tunes_async (client, 0, form->cancellable, verify_astria_cb, data);
    }
}

static void
astria_apply_cb (AtelierPreferencesWindow *self)
{
  verify (self, &self->astria);
}

static void
fal_apply_cb (AtelierPreferencesWindow *self)
{
  verify (self, &self->fal);
}

static void
removed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  VerifyData *data = user_data;
  KeyForm *form = data->form;
  g_autoptr(GError) error = NULL;

  if (!atelier_account_remove_key_finish (ATELIER_ACCOUNT (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *text = g_strdup_printf (_("The key could not be removed: %s"), error->message);
          set_status (form, STATUS_ERROR, text);
        }
      verify_data_free (data);
      return;
    }

  form->kind = STATUS_NEUTRAL;
  show_session_state (data->self, form);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (data->self),
                                    adw_toast_new (is_fal (form)
                                                   ? _("The fal.ai key was removed")
                                                   : _("Signed out: you are back in the Sandbox")));
  verify_data_free (data);
}

static void
remove_key (AtelierPreferencesWindow *self,
            KeyForm                  *form)
{
  VerifyData *data;

  g_cancellable_cancel (form->cancellable);
  g_clear_object (&form->cancellable);
  form->cancellable = g_cancellable_new ();

  data = g_new0 (VerifyData, 1);
  data->self = g_object_ref (self);
  data->form = form;

  set_status (form, STATUS_BUSY, _("Removing the key from your keyring…"));
  atelier_account_remove_key_async (self->account, form->service, form->cancellable,
                                    removed_cb, data);
}

static void
astria_remove_clicked_cb (AtelierPreferencesWindow *self)
{
  remove_key (self, &self->astria);
}

static void
fal_remove_clicked_cb (AtelierPreferencesWindow *self)
{
  remove_key (self, &self->fal);
}

/* Public */

static KeyForm *
get_form (AtelierPreferencesWindow *self,
          const char               *service)
{
  return g_strcmp0 (service, ATELIER_SECRET_SERVICE_FAL) == 0 ? &self->fal : &self->astria;
}

const char *
atelier_preferences_window_get_status (AtelierPreferencesWindow *self,
                                       const char               *service)
{
  g_return_val_if_fail (ATELIER_IS_PREFERENCES_WINDOW (self), NULL);
  return get_form (self, service)->status;
}

gboolean
atelier_preferences_window_is_busy (AtelierPreferencesWindow *self,
                                    const char               *service)
{
  g_return_val_if_fail (ATELIER_IS_PREFERENCES_WINDOW (self), FALSE);
  return get_form (self, service)->kind == STATUS_BUSY;
}

/* GObject */

static void
atelier_preferences_window_constructed (GObject *object)
{
  AtelierPreferencesWindow *self = ATELIER_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (atelier_preferences_window_parent_class)->constructed (object);

  g_signal_connect_object (self->session, "notify::mode",
                           G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::has-fal-key",
                           G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED);
  show_session_state (self, &self->astria);
  show_session_state (self, &self->fal);
}

static void
clear_form (KeyForm *form)
{
  g_cancellable_cancel (form->cancellable);
  g_clear_object (&form->cancellable);
  g_clear_error (&form->retry_reason);
  g_clear_pointer (&form->status, g_free);
}

static void
atelier_preferences_window_dispose (GObject *object)
{
  AtelierPreferencesWindow *self = ATELIER_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->astria.cancellable);
  g_cancellable_cancel (self->fal.cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), ATELIER_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (atelier_preferences_window_parent_class)->dispose (object);
}

static void
atelier_preferences_window_finalize (GObject *object)
{
  AtelierPreferencesWindow *self = ATELIER_PREFERENCES_WINDOW (object);

  clear_form (&self->astria);
  clear_form (&self->fal);
  g_clear_object (&self->session);
  g_clear_object (&self->account);

  G_OBJECT_CLASS (atelier_preferences_window_parent_class)->finalize (object);
}

static void
atelier_preferences_window_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  AtelierPreferencesWindow *self = ATELIER_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_preferences_window_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  AtelierPreferencesWindow *self = ATELIER_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      self->account = g_value_dup_object (value);
      self->session = g_object_ref (atelier_account_get_session (self->account));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_preferences_window_class_init (AtelierPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = atelier_preferences_window_constructed;
  object_class->dispose = atelier_preferences_window_dispose;
  object_class->finalize = atelier_preferences_window_finalize;
  object_class->get_property = atelier_preferences_window_get_property;
  object_class->set_property = atelier_preferences_window_set_property;

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL,
                         ATELIER_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/atelier/Atelier/app/atelier-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AtelierPreferencesWindow, astria_entry);
  gtk_widget_class_bind_template_child (widget_class, AtelierPreferencesWindow, astria_status_row);
  gtk_widget_class_bind_template_child (widget_class, AtelierPreferencesWindow, astria_status_stack);
  gtk_widget_class_bind_template_child (widget_class, AtelierPreferencesWindow, astria_status_icon);
  gtk_widget_class_bind_template_child (widget_class, AtelierPreferencesWindow, astria_spinner);
  gtk_widget_class_bind_template_child (widget_class, AtelierPreferencesWindow, astria_remove_button);
  gtk_widget_class_bind_template_child (widget_class, AtelierPreferencesWindow, fal_entry);
  gtk_widget_class_bind_template_child (widget_class, AtelierPreferencesWindow, fal_status_row);
  gtk_widget_class_bind_template_child (widget_class, AtelierPreferencesWindow, fal_status_stack);
  gtk_widget_class_bind_template_child (widget_class, AtelierPreferencesWindow, fal_status_icon);
  gtk_widget_class_bind_template_child (widget_class, AtelierPreferencesWindow, fal_spinner);
  gtk_widget_class_bind_template_child (widget_class, AtelierPreferencesWindow, fal_remove_button);
  gtk_widget_class_bind_template_callback (widget_class, astria_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, fal_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, astria_remove_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, fal_remove_clicked_cb);
}

/* AdwPreferencesWindow keeps its own search entry in the accessibility
 * tree with search turned off (there is too little here to search), and
 * GTK 4.8 names it after its type for screen readers. */
static void
name_search_entries (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_SEARCH_ENTRY (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search Preferences"),
                                        -1);
      else
        name_search_entries (child);
    }
}

static void
atelier_preferences_window_init (AtelierPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The key rows' reveal and apply buttons have only tooltips. */
  atelier_widget_name_buttons_by_tooltip (GTK_WIDGET (self->astria_entry));
  atelier_widget_name_buttons_by_tooltip (GTK_WIDGET (self->fal_entry));
  name_search_entries (GTK_WIDGET (self));

  self->astria = (KeyForm) {
    .service = ATELIER_SECRET_SERVICE_ASTRIA,
    .entry = ADW_ENTRY_ROW (self->astria_entry),
    .status_row = self->astria_status_row,
    .status_stack = self->astria_status_stack,
    .status_icon = self->astria_status_icon,
    .spinner = self->astria_spinner,
    .remove_button = self->astria_remove_button,
  };
  self->fal = (KeyForm) {
    .service = ATELIER_SECRET_SERVICE_FAL,
    .entry = ADW_ENTRY_ROW (self->fal_entry),
    .status_row = self->fal_status_row,
    .status_stack = self->fal_status_stack,
    .status_icon = self->fal_status_icon,
    .spinner = self->fal_spinner,
    .remove_button = self->fal_remove_button,
  };
}

AtelierPreferencesWindow *
atelier_preferences_window_new (GtkWindow      *parent,
                                AtelierAccount *account)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (ATELIER_IS_ACCOUNT (account), NULL);

  return g_object_new (ATELIER_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "account", account,
                       NULL);
}
