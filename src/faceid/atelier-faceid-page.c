/* atelier-faceid-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-faceid-page.h"
#include "atelier-widget-utils.h"

struct _AtelierFaceidPage
{
  AdwBin            parent_instance;

  /* template */
  AdwStatusPage    *status_page;
  GtkWidget        *add_key_button;

  AtelierFalClient *client;
  gboolean          sandbox;
  gboolean          has_key;
};

G_DEFINE_FINAL_TYPE (AtelierFaceidPage, atelier_faceid_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_SANDBOX,
  PROP_HAS_KEY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update (AtelierFaceidPage *self)
{
  const char *text;

  if (!self->has_key)
    text = _("Coming soon: a likeness from a single photo, with no training, made by fal.ai. Add your fal.ai key in Preferences to be ready for it.");
  else if (self->sandbox)
    text = _("Coming soon: a likeness from a single photo, with no training, made by fal.ai. In the Sandbox its results will be placeholders.");
  else
    text = _("Coming soon: a likeness from a single photo, with no training, made by fal.ai with your key.");

  adw_status_page_set_description (self->status_page, text);
  gtk_widget_set_visible (self->add_key_button, !self->has_key);
}

void
atelier_faceid_page_set_client (AtelierFaceidPage *self,
                                AtelierFalClient  *client)
{
  g_return_if_fail (ATELIER_IS_FACEID_PAGE (self));
  g_return_if_fail (client == NULL || ATELIER_IS_FAL_CLIENT (client));

  if (g_set_object (&self->client, client))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

static void
set_boolean (AtelierFaceidPage *self,
             gboolean          *field,
             gboolean           value,
             guint              prop_id)
{
  value = !!value;
  if (*field == value)
    return;
  *field = value;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
atelier_faceid_page_dispose (GObject *object)
{
  AtelierFaceidPage *self = ATELIER_FACEID_PAGE (object);

  atelier_bin_dispose_template (ADW_BIN (self), ATELIER_TYPE_FACEID_PAGE);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (atelier_faceid_page_parent_class)->dispose (object);
}

static void
atelier_faceid_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  AtelierFaceidPage *self = ATELIER_FACEID_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_SANDBOX:
      g_value_set_boolean (value, self->sandbox);
      break;
    case PROP_HAS_KEY:
      g_value_set_boolean (value, self->has_key);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_faceid_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  AtelierFaceidPage *self = ATELIER_FACEID_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      atelier_faceid_page_set_client (self, g_value_get_object (value));
      break;
    case PROP_SANDBOX:
      set_boolean (self, &self->sandbox, g_value_get_boolean (value), prop_id);
      break;
    case PROP_HAS_KEY:
      set_boolean (self, &self->has_key, g_value_get_boolean (value), prop_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_faceid_page_class_init (AtelierFaceidPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atelier_faceid_page_dispose;
  object_class->get_property = atelier_faceid_page_get_property;
  object_class->set_property = atelier_faceid_page_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         ATELIER_TYPE_FAL_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SANDBOX] =
    g_param_spec_boolean ("sandbox", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_KEY] =
    g_param_spec_boolean ("has-key", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/atelier/Atelier/faceid/atelier-faceid-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidPage, add_key_button);
}

static void
atelier_faceid_page_init (AtelierFaceidPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}
