/* atelier-gallery-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-gallery-page.h"

struct _AtelierGalleryPage
{
  AdwBin               parent_instance;

  AtelierAstriaClient *client;
};

G_DEFINE_FINAL_TYPE (AtelierGalleryPage, atelier_gallery_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
atelier_gallery_page_set_client (AtelierGalleryPage  *self,
                                 AtelierAstriaClient *client)
{
  g_return_if_fail (ATELIER_IS_GALLERY_PAGE (self));
  g_return_if_fail (client == NULL || ATELIER_IS_ASTRIA_CLIENT (client));

  if (g_set_object (&self->client, client))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

static void
atelier_gallery_page_dispose (GObject *object)
{
  AtelierGalleryPage *self = ATELIER_GALLERY_PAGE (object);

  /* The bin's child is the template's top widget: let the bin drop it
   * before the template's children are disposed, not after. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), ATELIER_TYPE_GALLERY_PAGE);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (atelier_gallery_page_parent_class)->dispose (object);
}

static void
atelier_gallery_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  AtelierGalleryPage *self = ATELIER_GALLERY_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_gallery_page_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  AtelierGalleryPage *self = ATELIER_GALLERY_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      atelier_gallery_page_set_client (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_gallery_page_class_init (AtelierGalleryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atelier_gallery_page_dispose;
  object_class->get_property = atelier_gallery_page_get_property;
  object_class->set_property = atelier_gallery_page_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         ATELIER_TYPE_ASTRIA_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/atelier/Atelier/gallery/atelier-gallery-page.ui");
}

static void
atelier_gallery_page_init (AtelierGalleryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
