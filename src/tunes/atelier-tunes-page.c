/* atelier-tunes-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "atelier-error-presenter.h"
#include "atelier-tunes-page.h"
#include "atelier-window.h"

struct _AtelierTunesPage
{
  AdwBin               parent_instance;

  /* template */
  GtkSearchBar        *search_bar;
  GtkSearchEntry      *search_entry;
  GtkStack            *stack;
  GtkSpinner          *spinner;
  AdwStatusPage       *error_page;
  GtkLabel            *count_label;
  GtkListBox          *list_box;

  AtelierAstriaClient *client;
  GCancellable        *cancellable;
  GListStore          *tunes;
  GtkFilterListModel  *filtered;
  GtkCustomFilter     *filter;
  gboolean             loading;
};

G_DEFINE_FINAL_TYPE (AtelierTunesPage, atelier_tunes_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_loading (AtelierTunesPage *self,
             gboolean          loading)
{
  if (self->loading == loading)
    return;

  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static const char *
tune_display_title (AtelierTune *tune,
                    char       **to_free)
{
  const char *title = atelier_tune_get_title (tune);

  if (title != NULL && *title != '\0')
    return title;

  {
    g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, atelier_tune_get_id (tune));

    /* Translators: a tune without a title; %s is its number */
    *to_free = g_strdup_printf (_("Tune %s"), id);
  }
  return *to_free;
}

static GtkWidget *
create_status_label (AtelierTune *tune)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *text = NULL;
  const char *css = NULL;
  GtkWidget *label;

  switch (atelier_tune_get_state (tune, now))
    {
    case ATELIER_TUNE_STATE_TRAINING:
      {
        GDateTime *eta = atelier_tune_get_eta (tune);
        gint64 minutes = eta != NULL ? g_date_time_difference (eta, now) / G_TIME_SPAN_MINUTE : -1;

        if (minutes > 0)
          text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "Training, about %d minute left",
                                               "Training, about %d minutes left",
                                               (gulong) minutes),
                                  (int) minutes);
        else
          text = g_strdup (_("Training"));
        css = "accent";
      }
      break;
    case ATELIER_TUNE_STATE_READY:
      text = g_strdup (_("Ready"));
      css = "success";
      break;
    case ATELIER_TUNE_STATE_EXPIRING:
      text = g_strdup (_("Expires soon"));
      css = "warning";
      break;
    case ATELIER_TUNE_STATE_EXPIRED:
    default:
      text = g_strdup (_("Expired"));
      css = "dim";
      break;
    }

  label = gtk_label_new (text);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "atelier-status");
  gtk_widget_add_css_class (label, css);

  return label;
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  AtelierTune *tune = item;
  g_autofree char *title_free = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *subtitle = NULL;
  const char *title = tune_display_title (tune, &title_free);
  const char *name = atelier_tune_get_name (tune);
  const char *model = atelier_tune_get_model_type (tune);
  GtkWidget *row;
  GtkWidget *avatar;

  row = adw_action_row_new ();
  escaped = g_markup_escape_text (title, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);

  if (name != NULL && *name != '\0' && model != NULL && *model != '\0')
    /* Translators: a tune's class name and model type, e.g. "man · lora" */
    subtitle = g_markup_printf_escaped (_("%s · %s"), name, model);
  else if (name != NULL && *name != '\0')
    subtitle = g_markup_escape_text (name, -1);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  avatar = adw_avatar_new (32, title, TRUE);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), avatar);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), create_status_label (tune));

  return row;
}

static void
update_view (AtelierTunesPage *self)
{
  guint n_tunes = g_list_model_get_n_items (G_LIST_MODEL (self->tunes));
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  g_autofree char *count = NULL;

  if (n_tunes == 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  if (n_shown == 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "no-results");
      return;
    }

  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Tune", "%u Tunes", n_shown), n_shown);
  gtk_label_set_label (self->count_label, count);
  gtk_stack_set_visible_child_name (self->stack, "list");
}

static void
list_tunes_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(AtelierTunesPage) self = user_data;
  g_autoptr(GPtrArray) tunes = NULL;
  g_autoptr(GError) error = NULL;

  tunes = atelier_astria_client_list_tunes_finish (ATELIER_ASTRIA_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_loading (self, FALSE);

  if (tunes == NULL)
    {
      g_autofree char *text = atelier_error_describe (error);

      atelier_widget_show_error (GTK_WIDGET (self), error);
      if (g_list_model_get_n_items (G_LIST_MODEL (self->tunes)) == 0)
        {
          adw_status_page_set_description (self->error_page, text);
          gtk_stack_set_visible_child_name (self->stack, "error");
        }
      return;
    }

  g_list_store_splice (self->tunes, 0, g_list_model_get_n_items (G_LIST_MODEL (self->tunes)),
                       tunes->pdata, tunes->len);
  update_view (self);
}

void
atelier_tunes_page_reload (AtelierTunesPage *self)
{
  g_return_if_fail (ATELIER_IS_TUNES_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->client == NULL)
    {
      set_loading (self, FALSE);
      return;
    }

  self->cancellable = g_cancellable_new ();
  set_loading (self, TRUE);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->tunes)) == 0)
    gtk_stack_set_visible_child_name (self->stack, "loading");

  atelier_astria_client_list_tunes_async (self->client, 0, self->cancellable,
                                          list_tunes_cb, g_object_ref (self));
}

/* Search */

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  AtelierTunesPage *self = user_data;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *needle = NULL;
  const char *fields[2];

  if (text == NULL || *text == '\0')
    return TRUE;

  needle = g_utf8_casefold (text, -1);
  fields[0] = atelier_tune_get_title (item);
  fields[1] = atelier_tune_get_name (item);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *hay = NULL;

      if (fields[i] == NULL)
        continue;
      hay = g_utf8_casefold (fields[i], -1);
      if (strstr (hay, needle) != NULL)
        return TRUE;
    }

  return FALSE;
}

static void
search_changed_cb (AtelierTunesPage *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  if (!self->loading || g_list_model_get_n_items (G_LIST_MODEL (self->tunes)) > 0)
    update_view (self);
}

static void
stop_search_cb (AtelierTunesPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

/* Actions */

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  atelier_tunes_page_reload (ATELIER_TUNES_PAGE (widget));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AtelierTunesPage *self = ATELIER_TUNES_PAGE (widget);
  gboolean active = gtk_search_bar_get_search_mode (self->search_bar);

  gtk_search_bar_set_search_mode (self->search_bar, !active);
  if (!active)
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
new_tune_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  atelier_widget_show_toast (widget, _("The tune editor comes in the next release"));
}

/* GObject */

AtelierAstriaClient *
atelier_tunes_page_get_client (AtelierTunesPage *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNES_PAGE (self), NULL);
  return self->client;
}

void
atelier_tunes_page_set_client (AtelierTunesPage    *self,
                               AtelierAstriaClient *client)
{
  g_return_if_fail (ATELIER_IS_TUNES_PAGE (self));
  g_return_if_fail (client == NULL || ATELIER_IS_ASTRIA_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;

  g_list_store_remove_all (self->tunes);
  atelier_tunes_page_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

gboolean
atelier_tunes_page_get_loading (AtelierTunesPage *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNES_PAGE (self), FALSE);
  return self->loading;
}

GListModel *
atelier_tunes_page_get_model (AtelierTunesPage *self)
{
  g_return_val_if_fail (ATELIER_IS_TUNES_PAGE (self), NULL);
  return G_LIST_MODEL (self->tunes);
}

static void
atelier_tunes_page_dispose (GObject *object)
{
  AtelierTunesPage *self = ATELIER_TUNES_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  /* The bin's child is the template's top widget: let the bin drop it
   * before the template's children are disposed, not after. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), ATELIER_TYPE_TUNES_PAGE);

  g_clear_object (&self->client);
  g_clear_object (&self->filtered);
  g_clear_object (&self->tunes);

  G_OBJECT_CLASS (atelier_tunes_page_parent_class)->dispose (object);
}

static void
atelier_tunes_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  AtelierTunesPage *self = ATELIER_TUNES_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_tunes_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  AtelierTunesPage *self = ATELIER_TUNES_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      atelier_tunes_page_set_client (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_tunes_page_class_init (AtelierTunesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atelier_tunes_page_dispose;
  object_class->get_property = atelier_tunes_page_get_property;
  object_class->set_property = atelier_tunes_page_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         ATELIER_TYPE_ASTRIA_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/atelier/Atelier/tunes/atelier-tunes-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AtelierTunesPage, search_bar);
  gtk_widget_class_bind_template_child (widget_class, AtelierTunesPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, AtelierTunesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, AtelierTunesPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, AtelierTunesPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, AtelierTunesPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, AtelierTunesPage, list_box);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);

  gtk_widget_class_install_action (widget_class, "page.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "page.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "page.new-tune", NULL, new_tune_action);
}

static void
atelier_tunes_page_init (AtelierTunesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->tunes = g_list_store_new (ATELIER_TYPE_TUNE);
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->tunes)),
                                              GTK_FILTER (self->filter));
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->filtered),
                           create_row, NULL, NULL);

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));
}
