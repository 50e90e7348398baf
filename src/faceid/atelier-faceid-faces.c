/* atelier-faceid-faces.c: AtelierFaceidFaces, the chosen face of the
 * FaceID page — one class: the photos, their preparation and inspection,
 * their tiles, and what is sent where
 *
 * Stages of a chosen photo (Face): prepared by atelier-fal-face in a
 * worker thread (the 640 × 640 JPEG fal receives), its thumbnail decoded
 * from that JPEG in a worker thread, then, with an Astria client,
 * inspected (POST /images/inspect). Each Face owns a cancellable that its
 * removal cancels; callbacks hold a reference to the Face and touch no
 * widget once it is cancelled.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-error-presenter.h"
#include "atelier-faceid-faces.h"
#include "atelier-fal-face.h"
#include "atelier-photo-input.h"
#include "atelier-shell.h"
#include "atelier-widget-utils.h"

#define THUMB_SIZE    120
#define INSPECT_CLASS "person"

typedef struct {
  AtelierFaceidFaces *page;       /* (unowned) NULL once removed */
  GFile             *file;        /* (nullable) a local photo */
  char              *url;         /* (nullable) an https image */
  char              *name;
  GBytes            *jpeg;        /* prepared */
  char              *problem;     /* why it cannot be used */
  char              *warnings;    /* inspection's */
  gboolean           preparing;
  gboolean           inspecting;
  gboolean           inspected;   /* with no warnings */
  GCancellable      *cancellable;

  GtkWidget         *child;       /* the flow box child */
  GtkWidget         *picture;
  GtkWidget         *missing;     /* the icon of a photo that failed */
  GtkWidget         *spinner;
  GtkWidget         *status_label;
} Face;

struct _AtelierFaceidFaces
{
  AdwBin               parent_instance;

  /* template */
  AdwPreferencesGroup *face_group;
  GtkWidget           *drop_area;
  GtkStack            *face_stack;
  GtkFlowBox          *faces_box;
  GtkLabel            *upload_label;

  AtelierSession      *session;
  gboolean             sandbox;
  GPtrArray           *faces;      /* (element-type Face) */
};

G_DEFINE_FINAL_TYPE (AtelierFaceidFaces, atelier_faceid_faces, ADW_TYPE_BIN)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update_faces (AtelierFaceidFaces *self);

static AtelierAstriaClient *
get_astria_client (AtelierFaceidFaces *self)
{
  return self->session != NULL ? atelier_session_get_astria_client (self->session) : NULL;
}

/* {{{ Faces */

static void
face_clear (Face *face)
{
  g_clear_object (&face->file);
  g_clear_pointer (&face->url, g_free);
  g_clear_pointer (&face->name, g_free);
  g_clear_pointer (&face->jpeg, g_bytes_unref);
  g_clear_pointer (&face->problem, g_free);
  g_clear_pointer (&face->warnings, g_free);
  g_clear_object (&face->cancellable);
}

static Face *
face_ref (Face *face)
{
  return g_rc_box_acquire (face);
}

static void
face_unref (Face *face)
{
  g_rc_box_release_full (face, (GDestroyNotify) face_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Face, face_unref)

/* Detaches @face from the page: nothing of it is touched again. */
static void
face_detach (Face *face)
{
  g_cancellable_cancel (face->cancellable);
  face->page = NULL;
  face->child = face->picture = face->missing = face->spinner = face->status_label = NULL;
  face_unref (face);
}

static void
update_face_tile (Face *face)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (face->child == NULL)
    return;

  gtk_widget_set_visible (face->spinner, face->preparing || face->inspecting);
  gtk_spinner_set_spinning (GTK_SPINNER (face->spinner), face->preparing || face->inspecting);

  gtk_widget_remove_css_class (face->status_label, "error");
  gtk_widget_remove_css_class (face->status_label, "warning");
  gtk_widget_remove_css_class (face->status_label, "dim-label");

  if (face->problem != NULL)
    {
      g_string_append (text, face->problem);
      gtk_widget_add_css_class (face->status_label, "error");
    }
  else if (face->preparing)
    {
      g_string_append (text, _("Preparing…"));
      gtk_widget_add_css_class (face->status_label, "dim-label");
    }
  else if (face->warnings != NULL)
    {
      g_string_append (text, face->warnings);
      gtk_widget_add_css_class (face->status_label, "warning");
    }
  else if (face->inspecting)
    {
      g_string_append (text, _("Inspecting…"));
      gtk_widget_add_css_class (face->status_label, "dim-label");
    }
  else if (face->url != NULL)
    {
      g_string_append (text, _("An Astria image"));
      gtk_widget_add_css_class (face->status_label, "dim-label");
    }
  else if (face->inspected)
    {
      g_string_append (text, _("No problems found"));
      gtk_widget_add_css_class (face->status_label, "dim-label");
    }

  gtk_widget_set_visible (face->missing,
                          face->problem != NULL &&
                          gtk_picture_get_paintable (GTK_PICTURE (face->picture)) == NULL);

  gtk_label_set_label (GTK_LABEL (face->status_label), text->str);
  gtk_widget_set_visible (face->status_label, text->len > 0);
  gtk_widget_set_tooltip_text (face->status_label, text->len > 0 ? text->str : NULL);
}

static void
face_changed (Face *face)
{
  update_face_tile (face);
  if (face->page != NULL)
    update_faces (face->page);
}

static void
face_thumbnail_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Face) face = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = atelier_texture_load_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || face->picture == NULL)
    return;

  if (texture != NULL)
    gtk_picture_set_paintable (GTK_PICTURE (face->picture), GDK_PAINTABLE (texture));
}

static void
face_url_thumbnail_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(Face) face = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = atelier_image_cache_load_finish (ATELIER_IMAGE_CACHE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || face->picture == NULL)
    return;

  if (texture != NULL)
    gtk_picture_set_paintable (GTK_PICTURE (face->picture), GDK_PAINTABLE (texture));
  else
    {
      g_autofree char *text = atelier_error_describe (error);

      g_free (face->problem);
      /* Translators: %s says why */
      face->problem = g_strdup_printf (_("Could not load the image: %s"), text);
      face_changed (face);
    }
}

static char *
describe_warnings (AtelierInspectionWarnings warnings)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint bit = 1; bit <= ATELIER_INSPECTION_WARNING_LAST; bit <<= 1)
    {
      if ((warnings & bit) == 0)
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append (text, atelier_inspection_warning_describe (bit));
    }

  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

static void
face_inspect_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Face) face = user_data;
  g_autoptr(AtelierInspection) inspection = NULL;
  g_autoptr(GError) error = NULL;

  inspection = atelier_astria_client_inspect_image_finish (ATELIER_ASTRIA_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  face->inspecting = FALSE;
  g_clear_pointer (&face->warnings, g_free);
  if (inspection != NULL)
    {
      face->warnings = describe_warnings (atelier_inspection_get_warnings (inspection, NULL));
      face->inspected = face->warnings == NULL;
    }
  else
    {
      g_autofree char *text = atelier_error_describe (error);

      /* Translators: %s says why an inspection failed */
      face->warnings = g_strdup_printf (_("The photo could not be inspected: %s"), text);
    }
  face_changed (face);
}

static void
face_prepared_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Face) face = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) jpeg = NULL;
  AtelierAstriaClient *astria;

  jpeg = atelier_fal_face_prepare_file_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || face->page == NULL)
    return;

  face->preparing = FALSE;
  if (jpeg == NULL)
    {
      face->problem = g_strdup (error->message);
      face_changed (face);
      return;
    }

  face->jpeg = g_bytes_ref (jpeg);
  atelier_texture_load_async (NULL, jpeg, THUMB_SIZE * 2, face->cancellable, face_thumbnail_cb, face_ref (face));

  astria = get_astria_client (face->page);
  if (astria != NULL)
    {
      g_autofree char *filename = g_strconcat (face->name, ".jpg", NULL);

      face->inspecting = TRUE;
      atelier_astria_client_inspect_image_async (astria, INSPECT_CLASS, jpeg, filename, NULL,
                                                 NULL, NULL, face->cancellable,
                                                 face_inspect_cb, face_ref (face));
    }

  face_changed (face);
}

static void
remove_face_clicked_cb (GtkButton *button,
                        gpointer   user_data);

static void
face_build_tile (AtelierFaceidFaces *self,
                 Face              *face)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *remove = gtk_button_new_from_icon_name ("window-close-symbolic");
  GtkWidget *name = gtk_label_new (face->name);
  g_autofree char *remove_label = NULL;

  face->picture = gtk_picture_new ();
  gtk_picture_set_can_shrink (GTK_PICTURE (face->picture), TRUE);
#if GTK_CHECK_VERSION (4, 8, 0)
  gtk_picture_set_content_fit (GTK_PICTURE (face->picture), GTK_CONTENT_FIT_COVER);
#endif
  gtk_widget_set_size_request (face->picture, THUMB_SIZE, THUMB_SIZE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (face->picture),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, face->name, -1);
  gtk_frame_set_child (GTK_FRAME (frame), face->picture);
  gtk_widget_set_overflow (frame, GTK_OVERFLOW_HIDDEN);
  gtk_widget_add_css_class (frame, "faceid-thumbnail");
  gtk_overlay_set_child (GTK_OVERLAY (overlay), frame);

  /* A photo that failed shows this instead of an empty frame. */
  face->missing = gtk_image_new_from_icon_name ("image-missing-symbolic");
  gtk_image_set_pixel_size (GTK_IMAGE (face->missing), 48);
  gtk_widget_set_halign (face->missing, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (face->missing, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (face->missing, "dim-label");
  gtk_accessible_update_property (GTK_ACCESSIBLE (face->missing), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("The photo cannot be shown"), -1);
  gtk_widget_set_visible (face->missing, FALSE);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), face->missing);

  face->spinner = gtk_spinner_new ();
  gtk_widget_set_halign (face->spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (face->spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (face->spinner, 24, 24);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), face->spinner);

  /* Translators: %s is a file name */
  remove_label = g_strdup_printf (_("Remove %s"), face->name);
  gtk_widget_set_tooltip_text (remove, remove_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
  gtk_widget_set_halign (remove, GTK_ALIGN_END);
  gtk_widget_set_valign (remove, GTK_ALIGN_START);
  gtk_widget_set_margin_top (remove, 4);
  gtk_widget_set_margin_end (remove, 4);
  gtk_widget_add_css_class (remove, "osd");
  gtk_widget_add_css_class (remove, "circular");
  g_object_set_data (G_OBJECT (remove), "atelier-face", face);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_face_clicked_cb), self);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), remove);
  gtk_widget_set_halign (overlay, GTK_ALIGN_START);

  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (name), 1);
  gtk_widget_set_size_request (name, THUMB_SIZE, -1);
  gtk_widget_add_css_class (name, "caption");
  gtk_widget_set_tooltip_text (name, face->name);

  face->status_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (face->status_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (face->status_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_justify (GTK_LABEL (face->status_label), GTK_JUSTIFY_CENTER);
  /* As wide as the photo: the flow box cell no wider than the tile. */
  gtk_label_set_max_width_chars (GTK_LABEL (face->status_label), 1);
  gtk_widget_set_size_request (face->status_label, THUMB_SIZE, -1);
  gtk_label_set_lines (GTK_LABEL (face->status_label), 4);
  gtk_label_set_ellipsize (GTK_LABEL (face->status_label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (face->status_label, "caption");

  gtk_box_append (GTK_BOX (box), overlay);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), face->status_label);

  gtk_widget_set_halign (box, GTK_ALIGN_START);
  face->child = gtk_flow_box_child_new ();
  gtk_flow_box_child_set_child (GTK_FLOW_BOX_CHILD (face->child), box);
  gtk_widget_set_focusable (face->child, FALSE);
  gtk_flow_box_append (self->faces_box, face->child);
}

static Face *
face_new (AtelierFaceidFaces *self)
{
  Face *face = g_rc_box_new0 (Face);

  face->page = self;
  face->cancellable = g_cancellable_new ();
  return face;
}

static void
remove_all_faces (AtelierFaceidFaces *self)
{
  GtkWidget *child;

  g_ptr_array_set_size (self->faces, 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->faces_box))) != NULL)
    gtk_flow_box_remove (self->faces_box, child);
}

static void
remove_face (AtelierFaceidFaces *self,
             Face              *face)
{
  GtkWidget *child = face->child;

  if (child != NULL)
    gtk_flow_box_remove (self->faces_box, child);
  g_ptr_array_remove (self->faces, face);
  update_faces (self);
}

static void
remove_face_clicked_cb (GtkButton *button,
                        gpointer   user_data)
{
  AtelierFaceidFaces *self = user_data;
  Face *face = g_object_get_data (G_OBJECT (button), "atelier-face");

  remove_face (self, face);
}

static gboolean
has_url_face (AtelierFaceidFaces *self)
{
  return self->faces->len == 1 && ((Face *) g_ptr_array_index (self->faces, 0))->url != NULL;
}

void
atelier_faceid_faces_add_files (AtelierFaceidFaces *self,
                               GPtrArray         *files)
{
  guint skipped = 0;

  g_return_if_fail (ATELIER_IS_FACEID_FACES (self));
  g_return_if_fail (files != NULL);

  /* An Astria image goes as its address, which cannot join a zip. */
  if (has_url_face (self))
    remove_all_faces (self);

  for (guint i = 0; i < files->len; i++)
    {
      GFile *file = g_ptr_array_index (files, i);
      gboolean known = FALSE;
      Face *face;

      for (guint j = 0; j < self->faces->len && !known; j++)
        {
          Face *other = g_ptr_array_index (self->faces, j);

          known = other->file != NULL && g_file_equal (other->file, file);
        }
      if (known)
        continue;

      if (self->faces->len >= ATELIER_FAL_MAX_FACES)
        {
          skipped++;
          continue;
        }

      face = face_new (self);
      face->file = g_object_ref (file);
      face->name = g_file_get_basename (file);
      if (face->name == NULL || !g_utf8_validate (face->name, -1, NULL))
        {
          g_free (face->name);
          face->name = g_file_get_parse_name (file);
        }
      face->preparing = TRUE;
      g_ptr_array_add (self->faces, face);
      face_build_tile (self, face);
      update_face_tile (face);

      atelier_fal_face_prepare_file_async (file, face->cancellable, face_prepared_cb, face_ref (face));
    }

  if (skipped > 0)
    {
      g_autofree char *text =
        /* Translators: %u is the most photos fal.ai averages into one face */
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "At most %u photo can make one face: the others were left out",
                                      "At most %u photos can make one face: the others were left out",
                                      ATELIER_FAL_MAX_FACES),
                         ATELIER_FAL_MAX_FACES);

      atelier_widget_show_toast (GTK_WIDGET (self), text);
    }

  update_faces (self);
}

void
atelier_faceid_faces_set_url (AtelierFaceidFaces *self,
                              const char         *url)
{
  AtelierImageCache *cache = self->session != NULL ? atelier_session_get_image_cache (self->session) : NULL;
  Face *face;

  g_return_if_fail (ATELIER_IS_FACEID_FACES (self));
  g_return_if_fail (url != NULL);

  remove_all_faces (self);

  face = face_new (self);
  face->url = g_strdup (url);
  face->name = g_strdup (_("Astria image"));
  g_ptr_array_add (self->faces, face);
  face_build_tile (self, face);

  if (!atelier_fal_face_url_is_sendable (url))
    face->problem = g_strdup (_("Only a secure (https) address can be sent to fal.ai"));
  else if (cache != NULL)
    atelier_image_cache_load_async (cache, url, THUMB_SIZE * 2, face->cancellable,
                                    face_url_thumbnail_cb, face_ref (face));
  update_face_tile (face);
  update_faces (self);
}

/* }}} */
/* {{{ What is sent where */

static void
update_upload_label (AtelierFaceidFaces *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint n = self->faces->len;

  if (n == 0)
    {
      g_string_append_printf (text,
                              /* Translators: %u is the most photos */
                              _("Up to %u photos of the same person are averaged into one face. Nothing is sent to fal.ai until you press Generate."),
                              ATELIER_FAL_MAX_FACES);
      if (get_astria_client (self) != NULL && !self->sandbox)
        {
          g_string_append_c (text, ' ');
          g_string_append (text, _("Each photo is checked for a face by Astria’s image inspection as soon as it is added."));
        }
    }
  else if (has_url_face (self))
    g_string_append (text, _("The image is sent to fal.ai as its Astria address; fal.ai downloads it from there."));
  else if (n == 1)
    g_string_append_printf (text, _("The photo is sent to fal.ai as a %d × %d JPEG inside the request."),
                            ATELIER_FAL_FACE_SIZE, ATELIER_FAL_FACE_SIZE);
  else
    g_string_append_printf (text,
                            /* Translators: %u counts the photos (2 or more); %d × %d is their size in pixels */
                            g_dngettext (GETTEXT_PACKAGE,
                                         "The photos are sent to fal.ai inside the request as one zip of %u photo, each a %d × %d JPEG; fal.ai averages the faces.",
                                         "The photos are sent to fal.ai inside the request as one zip of %u photos, each a %d × %d JPEG; fal.ai averages the faces.",
                                         n),
                            n, ATELIER_FAL_FACE_SIZE, ATELIER_FAL_FACE_SIZE);

  if (n > 0 && !has_url_face (self) && get_astria_client (self) != NULL)
    {
      g_string_append_c (text, ' ');
      if (self->sandbox)
        g_string_append (text, _("To check it for a face, each photo is also inspected by the Sandbox, on this computer."));
      else
        g_string_append (text, _("To check it for a face, each photo is also sent to Astria’s image inspection."));
    }

  gtk_label_set_label (self->upload_label, text->str);
}

static void
update_faces (AtelierFaceidFaces *self)
{
  gtk_stack_set_visible_child_name (self->face_stack, self->faces->len > 0 ? "faces" : "empty");
  update_upload_label (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* }}} */
/* {{{ Chooser and drop */

static void
add_photos (GtkWidget *widget,
            GPtrArray *files)
{
  atelier_faceid_faces_add_files (ATELIER_FACEID_FACES (widget), files);
}

static void
choose_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  atelier_photo_chooser_show (widget, _("Choose Photos of the Face"), _("_Choose"), add_photos);
}

/* }}} */
/* {{{ Public */

void
atelier_faceid_faces_set_session (AtelierFaceidFaces *self,
                                  AtelierSession     *session)
{
  g_return_if_fail (ATELIER_IS_FACEID_FACES (self));
  g_return_if_fail (session == NULL || ATELIER_IS_SESSION (session));

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (!g_set_object (&self->session, session))
    return;
  if (session != NULL)
    g_signal_connect_object (session, "notify::astria-client", G_CALLBACK (update_faces),
                             self, G_CONNECT_SWAPPED);
  update_faces (self);
}

void
atelier_faceid_faces_set_sandbox (AtelierFaceidFaces *self,
                                  gboolean            sandbox)
{
  g_return_if_fail (ATELIER_IS_FACEID_FACES (self));

  if (self->sandbox == !!sandbox)
    return;
  self->sandbox = !!sandbox;
  update_faces (self);
}

void
atelier_faceid_faces_clear (AtelierFaceidFaces *self)
{
  g_return_if_fail (ATELIER_IS_FACEID_FACES (self));

  remove_all_faces (self);
  update_faces (self);
}

guint
atelier_faceid_faces_get_n_faces (AtelierFaceidFaces *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_FACES (self), 0);
  return self->faces->len;
}

guint
atelier_faceid_faces_get_n_busy (AtelierFaceidFaces *self)
{
  guint n = 0;

  g_return_val_if_fail (ATELIER_IS_FACEID_FACES (self), 0);

  for (guint i = 0; i < self->faces->len; i++)
    {
      Face *face = g_ptr_array_index (self->faces, i);

      n += face->preparing || face->inspecting;
    }
  return n;
}

const char *
atelier_faceid_faces_get_blocker (AtelierFaceidFaces *self)
{
  gboolean preparing = FALSE, problem = FALSE;

  g_return_val_if_fail (ATELIER_IS_FACEID_FACES (self), NULL);

  for (guint i = 0; i < self->faces->len; i++)
    {
      Face *face = g_ptr_array_index (self->faces, i);

      preparing |= face->preparing;
      problem |= face->problem != NULL;
    }

  if (self->faces->len == 0)
    return _("Choose a photo of the face first.");
  if (preparing)
    return _("Preparing the photos…");
  if (problem)
    return _("Remove the photos that cannot be used.");
  return NULL;
}

gboolean
atelier_faceid_faces_get_payload (AtelierFaceidFaces  *self,
                                  const char         **url,
                                  GPtrArray          **jpegs,
                                  char               **label)
{
  g_autoptr(GPtrArray) array = NULL;

  g_return_val_if_fail (ATELIER_IS_FACEID_FACES (self), FALSE);

  *url = NULL;
  *jpegs = NULL;
  *label = NULL;

  if (self->faces->len == 0)
    return FALSE;

  if (has_url_face (self))
    {
      *url = ((Face *) g_ptr_array_index (self->faces, 0))->url;
      *label = g_strdup (_("An Astria image"));
      return TRUE;
    }

  array = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (guint i = 0; i < self->faces->len; i++)
    {
      Face *face = g_ptr_array_index (self->faces, i);

      if (face->jpeg == NULL)
        return FALSE;
      g_ptr_array_add (array, g_bytes_ref (face->jpeg));
    }

  if (array->len == 1)
    *label = g_strdup (((Face *) g_ptr_array_index (self->faces, 0))->name);
  else
    /* Translators: the face of a request made of several photos */
    *label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u photo", "%u photos", array->len), array->len);
  *jpegs = g_steal_pointer (&array);
  return TRUE;
}

GPtrArray *
atelier_faceid_faces_dup_files (AtelierFaceidFaces *self)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (ATELIER_IS_FACEID_FACES (self), files);

  for (guint i = 0; i < self->faces->len; i++)
    {
      Face *face = g_ptr_array_index (self->faces, i);

      if (face->file != NULL && face->problem == NULL)
        g_ptr_array_add (files, g_object_ref (face->file));
    }
  return files;
}

static Face *
get_face (AtelierFaceidFaces *self,
          guint               index)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_FACES (self), NULL);
  g_return_val_if_fail (index < self->faces->len, NULL);
  return g_ptr_array_index (self->faces, index);
}

gboolean
atelier_faceid_faces_has_thumbnail (AtelierFaceidFaces *self,
                                    guint               index)
{
  Face *face = get_face (self, index);

  return face != NULL && face->picture != NULL &&
         gtk_picture_get_paintable (GTK_PICTURE (face->picture)) != NULL;
}

const char *
atelier_faceid_faces_get_problem (AtelierFaceidFaces *self,
                                  guint               index)
{
  Face *face = get_face (self, index);

  return face != NULL ? face->problem : NULL;
}

const char *
atelier_faceid_faces_get_warnings (AtelierFaceidFaces *self,
                                   guint               index)
{
  Face *face = get_face (self, index);

  return face != NULL ? face->warnings : NULL;
}

/* }}} */
/* {{{ GObject */

static void
atelier_faceid_faces_dispose (GObject *object)
{
  AtelierFaceidFaces *self = ATELIER_FACEID_FACES (object);

  g_clear_pointer (&self->faces, g_ptr_array_unref);
  atelier_bin_dispose_template (ADW_BIN (self), ATELIER_TYPE_FACEID_FACES);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (atelier_faceid_faces_parent_class)->dispose (object);
}

static void
atelier_faceid_faces_class_init (AtelierFaceidFacesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atelier_faceid_faces_dispose;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/atelier/Atelier/faceid/atelier-faceid-faces.ui");
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidFaces, face_group);
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidFaces, drop_area);
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidFaces, face_stack);
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidFaces, faces_box);
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidFaces, upload_label);

  gtk_widget_class_install_action (widget_class, "faceid.choose", NULL, choose_action);
}

static void
atelier_faceid_faces_init (AtelierFaceidFaces *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->faces = g_ptr_array_new_with_free_func ((GDestroyNotify) face_detach);
  atelier_photo_drop_attach (GTK_WIDGET (self->face_group), GTK_WIDGET (self), add_photos);
  gtk_stack_set_visible_child_name (self->face_stack, "empty");
  update_upload_label (self);
}

/* }}} */
