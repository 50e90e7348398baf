/* atelier-packs-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-packs-page.h"
#include "atelier-widget-utils.h"

struct _AtelierPacksPage
{
  AdwBin               parent_instance;

  /* template */
  GtkStack            *stack;
  GtkSpinner          *spinner;
  AdwStatusPage       *error_page;
  GtkListBox          *my_list;
  GtkListBox          *gallery_list;

  AtelierAstriaClient *client;
  GCancellable        *cancellable;
  GListStore          *my_packs;
  GListStore          *gallery_packs;
  guint                pending;
  GError              *error;       /* the first error of a reload */
  gboolean             loading;
};

G_DEFINE_FINAL_TYPE (AtelierPacksPage, atelier_packs_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_loading (AtelierPacksPage *self,
             gboolean          loading)
{
  if (self->loading == loading)
    return;

  self->loading = loading;
  /* A spinning spinner keeps the window redrawing even out of sight. */
  gtk_spinner_set_spinning (self->spinner, loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

char *
atelier_packs_page_format_costs (AtelierPack *pack)
{
  g_auto(GStrv) classes = atelier_pack_dup_cost_classes (pack);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; classes[i] != NULL; i++)
    {
      gint64 mc = atelier_pack_get_cost_mc (pack, classes[i]);
      g_autofree char *cost = NULL;

      if (mc < 0)
        continue;
      cost = atelier_format_cost_mc (mc);
      if (text->len > 0)
        g_string_append (text, " · ");
      /* Translators: a class name and its price, e.g. "man $2.00" */
      g_string_append_printf (text, _("%s %s"), classes[i], cost);
    }

  if (text->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  AtelierPack *pack = item;
  const char *title = atelier_pack_get_title (pack);
  const char *model = atelier_pack_get_model_type (pack);
  g_autofree char *costs = atelier_packs_page_format_costs (pack);
  g_autofree char *fallback = NULL;
  g_autofree char *escaped = NULL;
  g_autoptr(GString) subtitle = g_string_new (NULL);
  GtkWidget *row;

  if (title == NULL || *title == '\0')
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, atelier_pack_get_id (pack));

      /* Translators: a pack without a title; %s is its number */
      fallback = g_strdup_printf (_("Pack %s"), id);
      title = fallback;
    }

  row = adw_action_row_new ();
  escaped = g_markup_escape_text (title, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);

  if (model != NULL && *model != '\0')
    {
      g_autofree char *text = g_strdup_printf (_("Model: %s"), model);
      g_autofree char *esc = g_markup_escape_text (text, -1);

      g_string_append (subtitle, esc);
    }
  if (costs != NULL)
    {
      g_autofree char *esc = g_markup_escape_text (costs, -1);

      if (subtitle->len > 0)
        g_string_append_c (subtitle, '\n');
      g_string_append (subtitle, esc);
    }
  if (subtitle->len > 0)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
    }

  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("package-x-generic-symbolic"));

  return row;
}

static GtkWidget *
create_placeholder (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "atelier-placeholder");

  return label;
}

static void
load_done (AtelierPacksPage *self)
{
  if (--self->pending > 0)
    return;

  set_loading (self, FALSE);

  if (self->error != NULL)
    {
      atelier_widget_show_load_error (GTK_WIDGET (self), self->error_page, self->error);
      if (g_list_model_get_n_items (G_LIST_MODEL (self->my_packs)) == 0 &&
          g_list_model_get_n_items (G_LIST_MODEL (self->gallery_packs)) == 0)
        {
          gtk_stack_set_visible_child_name (self->stack, "error");
          return;
        }
    }

  gtk_stack_set_visible_child_name (self->stack, "list");
}

typedef struct
{
  AtelierPacksPage *self;
  GListStore       *store;
} LoadData;

static void
list_packs_with_store_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  LoadData *data = user_data;
  g_autoptr(AtelierPacksPage) self = data->self;
  g_autoptr(GListStore) store = data->store;
  g_autoptr(GPtrArray) packs = NULL;
  g_autoptr(GError) error = NULL;

  g_free (data);

  packs = atelier_astria_client_list_packs_finish (ATELIER_ASTRIA_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (packs == NULL)
    {
      if (self->error == NULL)
        self->error = g_steal_pointer (&error);
    }
  else
    {
      g_list_store_splice (store, 0, g_list_model_get_n_items (G_LIST_MODEL (store)),
                           packs->pdata, packs->len);
    }

  load_done (self);
}

static void
load (AtelierPacksPage *self,
      gboolean          gallery)
{
  LoadData *data = g_new0 (LoadData, 1);

  data->self = g_object_ref (self);
  data->store = g_object_ref (gallery ? self->gallery_packs : self->my_packs);
  self->pending++;
  atelier_astria_client_list_packs_async (self->client, gallery, self->cancellable,
                                          list_packs_with_store_cb, data);
}

void
atelier_packs_page_reload (AtelierPacksPage *self)
{
  g_return_if_fail (ATELIER_IS_PACKS_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->error);
  self->pending = 0;

  if (self->client == NULL)
    {
      set_loading (self, FALSE);
      return;
    }

  self->cancellable = g_cancellable_new ();
  set_loading (self, TRUE);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->my_packs)) == 0 &&
      g_list_model_get_n_items (G_LIST_MODEL (self->gallery_packs)) == 0)
    gtk_stack_set_visible_child_name (self->stack, "loading");

  load (self, FALSE);
  load (self, TRUE);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  atelier_packs_page_reload (ATELIER_PACKS_PAGE (widget));
}

void
atelier_packs_page_set_client (AtelierPacksPage    *self,
                               AtelierAstriaClient *client)
{
  g_return_if_fail (ATELIER_IS_PACKS_PAGE (self));
  g_return_if_fail (client == NULL || ATELIER_IS_ASTRIA_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;

  g_list_store_remove_all (self->my_packs);
  g_list_store_remove_all (self->gallery_packs);
  atelier_packs_page_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

gboolean
atelier_packs_page_get_loading (AtelierPacksPage *self)
{
  g_return_val_if_fail (ATELIER_IS_PACKS_PAGE (self), FALSE);
  return self->loading;
}

GListModel *
atelier_packs_page_get_my_packs (AtelierPacksPage *self)
{
  g_return_val_if_fail (ATELIER_IS_PACKS_PAGE (self), NULL);
  return G_LIST_MODEL (self->my_packs);
}

GListModel *
atelier_packs_page_get_gallery_packs (AtelierPacksPage *self)
{
  g_return_val_if_fail (ATELIER_IS_PACKS_PAGE (self), NULL);
  return G_LIST_MODEL (self->gallery_packs);
}

static void
atelier_packs_page_dispose (GObject *object)
{
  AtelierPacksPage *self = ATELIER_PACKS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  atelier_bin_dispose_template (ADW_BIN (self), ATELIER_TYPE_PACKS_PAGE);

  g_clear_object (&self->client);
  g_clear_object (&self->my_packs);
  g_clear_object (&self->gallery_packs);

  G_OBJECT_CLASS (atelier_packs_page_parent_class)->dispose (object);
}

static void
atelier_packs_page_finalize (GObject *object)
{
  AtelierPacksPage *self = ATELIER_PACKS_PAGE (object);

  g_clear_error (&self->error);

  G_OBJECT_CLASS (atelier_packs_page_parent_class)->finalize (object);
}

static void
atelier_packs_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  AtelierPacksPage *self = ATELIER_PACKS_PAGE (object);

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
atelier_packs_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  AtelierPacksPage *self = ATELIER_PACKS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      atelier_packs_page_set_client (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_packs_page_class_init (AtelierPacksPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atelier_packs_page_dispose;
  object_class->finalize = atelier_packs_page_finalize;
  object_class->get_property = atelier_packs_page_get_property;
  object_class->set_property = atelier_packs_page_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         ATELIER_TYPE_ASTRIA_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/atelier/Atelier/packs/atelier-packs-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AtelierPacksPage, stack);
  gtk_widget_class_bind_template_child (widget_class, AtelierPacksPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, AtelierPacksPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, AtelierPacksPage, my_list);
  gtk_widget_class_bind_template_child (widget_class, AtelierPacksPage, gallery_list);

  gtk_widget_class_install_action (widget_class, "page.reload", NULL, reload_action);
}

static void
atelier_packs_page_init (AtelierPacksPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->my_packs = g_list_store_new (ATELIER_TYPE_PACK);
  self->gallery_packs = g_list_store_new (ATELIER_TYPE_PACK);

  gtk_list_box_bind_model (self->my_list, G_LIST_MODEL (self->my_packs), create_row, NULL, NULL);
  gtk_list_box_bind_model (self->gallery_list, G_LIST_MODEL (self->gallery_packs), create_row, NULL, NULL);
  gtk_list_box_set_placeholder (self->my_list,
                                create_placeholder (_("You have no packs of your own yet")));
  gtk_list_box_set_placeholder (self->gallery_list,
                                create_placeholder (_("No gallery packs")));
}
