/* atelier-tune-ui.c: how a tune is shown, shared by the list and the detail
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-square.h"
#include "atelier-tune-ui.h"
#include "atelier-widget-utils.h"

const char *
atelier_tune_model_type_label (const char *model_type)
{
  if (model_type == NULL || *model_type == '\0')
    return _("Checkpoint");
  if (g_str_equal (model_type, "lora"))
    return _("LoRA");
  if (g_str_equal (model_type, "faceid"))
    return _("FaceID");
  if (g_str_equal (model_type, "pti"))
    return _("PTI");
  return model_type;
}

char *
atelier_tune_dup_summary (AtelierTune *tune)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  const char *name = atelier_tune_get_name (tune);
  const char *branch = atelier_tune_get_branch (tune);

  if (name != NULL && *name != '\0')
    g_ptr_array_add (parts, (gpointer) name);
  g_ptr_array_add (parts, (gpointer) atelier_tune_model_type_label (atelier_tune_get_model_type (tune)));
  if (branch != NULL && *branch != '\0')
    g_ptr_array_add (parts, (gpointer) branch);
  g_ptr_array_add (parts, NULL);

  /* Translators: the separator between a tune's class, model type and branch */
  return g_strjoinv (_(" · "), (char **) parts->pdata);
}

char *
atelier_pack_dup_base_name (AtelierPack *pack)
{
  gint64 base_id = atelier_pack_get_base_tune_id (pack);
  const char *name = atelier_base_model_name (base_id);
  g_autofree char *id = NULL;

  if (name != NULL)
    return g_strdup (name);
  if (base_id <= 0)
    return NULL;

  id = g_strdup_printf ("%" G_GINT64_FORMAT, base_id);
  /* Translators: a base model that is not a known gallery model; %s is its tune id */
  return g_strdup_printf (_("Tune %s"), id);
}

char *
atelier_pack_dup_summary (AtelierPack *pack)
{
  g_autofree char *base = atelier_pack_dup_base_name (pack);
  const char *model_type = atelier_tune_model_type_label (atelier_pack_get_model_type (pack));

  if (base == NULL)
    return g_strdup (model_type);
  /* Translators: a pack's base model and its model type, e.g. "Flux1.dev · LoRA" */
  return g_strdup_printf (_("%s · %s"), base, model_type);
}

GtkWidget *
atelier_tune_status_label_new (AtelierTune *tune)
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
        else if (eta != NULL)
          text = g_strdup (_("Training, almost done"));
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

GtkWidget *
atelier_discard_draft_dialog_new (GtkWidget *widget)
{
  GtkWidget *dialog;

  dialog = atelier_message_dialog_new (widget,
                                       _("Discard the Unfinished Tune?"),
                                       _("The photos you chose and the settings will be forgotten. The photo files stay where they are."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Keep"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  return dialog;
}

/* {{{ Pictures from the image cache */

typedef struct
{
  GWeakRef      picture;
  GCancellable *cancellable;
} PictureLoad;

static void
picture_load_free (PictureLoad *load)
{
  g_weak_ref_clear (&load->picture);
  g_clear_object (&load->cancellable);
  g_free (load);
}

static void
cancel_and_unref (gpointer data)
{
  g_cancellable_cancel (data);
  g_object_unref (data);
}

static void
picture_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  PictureLoad *load = user_data;
  g_autoptr(GtkPicture) picture = g_weak_ref_get (&load->picture);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = atelier_image_cache_load_finish (ATELIER_IMAGE_CACHE (source), result, &error);
  if (picture != NULL && texture != NULL && !g_cancellable_is_cancelled (load->cancellable))
    gtk_picture_set_paintable (picture, GDK_PAINTABLE (texture));
  else if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Thumbnail not shown: %s", error->message);

  picture_load_free (load);
}

void
atelier_picture_load_url (GtkPicture        *picture,
                          AtelierImageCache *cache,
                          const char        *url)
{
  g_autoptr(GdkTexture) texture = NULL;
  PictureLoad *load;

  g_return_if_fail (GTK_IS_PICTURE (picture));
  g_return_if_fail (cache == NULL || ATELIER_IS_IMAGE_CACHE (cache));

  /* Cancels the previous load, if any. */
  g_object_set_data (G_OBJECT (picture), "atelier-load", NULL);

  if (cache == NULL || url == NULL || *url == '\0')
    return;

  texture = atelier_image_cache_lookup (cache, url, ATELIER_THUMBNAIL_SIZE);
  if (texture != NULL)
    {
      gtk_picture_set_paintable (picture, GDK_PAINTABLE (texture));
      return;
    }

  load = g_new0 (PictureLoad, 1);
  g_weak_ref_init (&load->picture, picture);
  load->cancellable = g_cancellable_new ();
  g_object_set_data_full (G_OBJECT (picture), "atelier-load", g_object_ref (load->cancellable),
                          cancel_and_unref);
  atelier_image_cache_load_async (cache, url, ATELIER_THUMBNAIL_SIZE, load->cancellable,
                                  picture_loaded_cb, load);
}

GtkWidget *
atelier_tune_photo_new (AtelierImageCache *cache,
                        const char        *url,
                        int                size,
                        const char        *label)
{
  GtkWidget *frame = adw_bin_new ();
  GtkWidget *picture = gtk_picture_new ();

  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (picture), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);

  gtk_widget_set_valign (frame, GTK_ALIGN_CENTER);
  gtk_widget_set_halign (frame, GTK_ALIGN_START);
  gtk_widget_set_overflow (frame, GTK_OVERFLOW_HIDDEN);
  gtk_widget_add_css_class (frame, "atelier-photo");
  adw_bin_set_child (ADW_BIN (frame), atelier_square_new (picture, size));

  atelier_picture_load_url (GTK_PICTURE (picture), cache, url);

  return frame;
}

/* }}} */
