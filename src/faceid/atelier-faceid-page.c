/* atelier-faceid-page.c
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

#include "atelier-api-error.h"
#include "atelier-error-presenter.h"
#include "atelier-faceid-page.h"
#include "atelier-fal-face.h"
#include "atelier-shell.h"
#include "atelier-tune-choices.h"
#include "atelier-widget-utils.h"

#define THUMB_SIZE   120
#define RESULT_SIZE  96
#define INSPECT_CLASS "person"
#define LOG_LINES_SHOWN 1

static const char * const default_negative_prompt =
  "blurry, low resolution, bad, ugly, low quality, pixelated, interpolated, compression artifacts, noisey, grainy";
static const char * const default_base_1_5 = "SG161222/Realistic_Vision_V4.0_noVAE";
static const char * const default_base_sdxl = "SG161222/RealVisXL_V3.0";

static const struct {
  const char *id;
  const char *label;
} model_types[] = {
  { "1_5-v1",          N_("SD 1.5 (recommended)") },
  { "1_5-v1-plus",     N_("SD 1.5 Plus") },
  { "1_5-v2-plus",     N_("SD 1.5 v2 Plus") },
  { "SDXL-v1",         N_("SDXL") },
  { "SDXL-v2-plus",    N_("SDXL v2 Plus") },
  { "1_5-auraface-v1", N_("SD 1.5 AuraFace") },
};

typedef enum {
  KIND_TEXT,
  KIND_CHOICE,
  KIND_SEED,
  KIND_INT,
  KIND_DOUBLE,
} FieldKind;

typedef struct {
  const char *name;
  FieldKind   kind;
  const char *title;
  const char *subtitle;
  double      min, max, step, def;
  guint       digits;
  gboolean    advanced;
} FieldSpec;

static const FieldSpec field_specs[] = {
  { "negative_prompt", KIND_TEXT, N_("Negative Prompt"), NULL, 0, 0, 0, 0, 0, FALSE },
  { "model_type", KIND_CHOICE, N_("Model Type"),
    N_("SD 1.5 suits most pictures; SDXL makes larger, more detailed ones"), 0, 0, 0, 0, 0, FALSE },
  { "seed", KIND_SEED, N_("Seed (empty: random)"), NULL, 0, 0, 0, 0, 0, FALSE },
  { "guidance_scale", KIND_DOUBLE, N_("Guidance Scale"),
    N_("How closely the picture follows the prompt: 0 to 16"), 0, 16, 0.5, 7.5, 1, FALSE },
  { "num_inference_steps", KIND_INT, N_("Inference Steps"),
    N_("More steps are better but slower: 1 to 200"), 1, 200, 1, 50, 0, FALSE },
  { "num_samples", KIND_INT, N_("Face Samples"),
    N_("More samples match the face better but take longer: 1 to 4"), 1, 4, 1, 4, 0, FALSE },
  { "width", KIND_INT, N_("Width"), N_("512 to 1024 pixels"), 512, 1024, 8, 512, 0, FALSE },
  { "height", KIND_INT, N_("Height"), N_("512 to 1024 pixels"), 512, 1024, 8, 512, 0, FALSE },
  { "face_id_det_size", KIND_INT, N_("Face Detection Size"),
    N_("Lower it when no face is found: 64 to 640"), 64, 640, 32, 640, 0, TRUE },
  { "base_1_5_model_repo", KIND_TEXT, N_("Base SD 1.5 Model"), NULL, 0, 0, 0, 0, 0, TRUE },
  { "base_sdxl_model_repo", KIND_TEXT, N_("Base SDXL Model"), NULL, 0, 0, 0, 0, 0, TRUE },
};

typedef struct {
  const FieldSpec *spec;
  GtkWidget       *row;
  GtkWidget       *input;      /* the editable, spin button or combo row */
  GtkWidget       *error_row;
  char            *error;
} Field;

typedef struct {
  AtelierFaceidPage *page;        /* (unowned) NULL once removed */
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
  GtkWidget         *spinner;
  GtkWidget         *status_label;
} Face;

struct _AtelierFaceidPage
{
  AdwBin               parent_instance;

  /* template */
  GtkWidget           *add_key_button;
  AdwActionRow        *fal_way_row;
  AdwActionRow        *astria_way_row;
  AdwPreferencesGroup *face_group;
  GtkWidget           *drop_area;
  GtkStack            *face_stack;
  GtkFlowBox          *faces_box;
  GtkLabel            *upload_label;
  GtkWidget           *prompt_frame;
  GtkTextView         *prompt_view;
  GtkLabel            *prompt_error_label;
  AdwPreferencesGroup *settings_group;
  GtkWidget           *generate_button;
  GtkLabel            *generate_label;
  GtkListBox          *jobs_list;
  GtkListBox          *tunes_list;
  GtkWidget           *create_tune_button;

  AtelierFalClient    *client;
  AtelierSession      *session;
  AtelierFaceidJobs   *jobs;
  gboolean             sandbox;
  gboolean             has_key;

  GPtrArray           *faces;      /* (element-type Face) */
  GPtrArray           *fields;     /* (element-type Field) */
  char                *prompt_error;
  GtkFileChooserNative *chooser;

  /* The job sent last from here: its field errors go on the form. */
  AtelierFaceidJob    *last_job;

  GCancellable        *tunes_cancellable;
  gboolean             loading_tunes;
  AtelierAstriaClient *tunes_client;  /* (unowned) the client the list is of */
};

G_DEFINE_FINAL_TYPE (AtelierFaceidPage, atelier_faceid_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_SANDBOX,
  PROP_HAS_KEY,
  PROP_SESSION,
  PROP_JOBS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update (AtelierFaceidPage *self);
static void update_faces (AtelierFaceidPage *self);
static void reload_tunes (AtelierFaceidPage *self);

/* {{{ Textures, off the main thread */

typedef struct {
  GFile  *file;
  GBytes *bytes;
  int     size;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->file);
  g_clear_pointer (&data->bytes, g_bytes_unref);
  g_free (data);
}

static void
load_texture_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) oriented = NULL;
  g_autoptr(GError) error = NULL;

  if (data->file != NULL)
    stream = G_INPUT_STREAM (g_file_read (data->file, cancellable, &error));
  else
    stream = g_memory_input_stream_new_from_bytes (data->bytes);

  if (stream != NULL)
    pixbuf = gdk_pixbuf_new_from_stream_at_scale (stream, data->size, data->size, TRUE,
                                                  cancellable, &error);
  if (pixbuf == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  g_task_return_pointer (task, gdk_texture_new_for_pixbuf (oriented != NULL ? oriented : pixbuf),
                         g_object_unref);
}

/* A texture of @file or @bytes, its longer side at most @size. */
static void
load_texture_async (GFile               *file,
                    GBytes              *bytes,
                    int                  size,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  LoadData *data = g_new0 (LoadData, 1);

  data->file = file != NULL ? g_object_ref (file) : NULL;
  data->bytes = bytes != NULL ? g_bytes_ref (bytes) : NULL;
  data->size = size;
  g_task_set_source_tag (task, load_texture_async);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_texture_thread);
}

static GdkTexture *
load_texture_finish (GAsyncResult  *result,
                     GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* }}} */
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
  face->child = face->picture = face->spinner = face->status_label = NULL;
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

  gtk_label_set_label (GTK_LABEL (face->status_label), text->str);
  gtk_widget_set_visible (face->status_label, text->len > 0);
  gtk_widget_set_tooltip_text (face->status_label, text->len > 0 ? text->str : NULL);
}

static void
face_changed (Face *face)
{
  update_face_tile (face);
  if (face->page != NULL)
    update (face->page);
}

static void
face_thumbnail_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Face) face = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = load_texture_finish (result, &error);
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

static AtelierAstriaClient *
get_astria_client (AtelierFaceidPage *self)
{
  return self->session != NULL ? atelier_session_get_astria_client (self->session) : NULL;
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
  load_texture_async (NULL, jpeg, THUMB_SIZE * 2, face->cancellable, face_thumbnail_cb, face_ref (face));

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
face_build_tile (AtelierFaceidPage *self,
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
  gtk_widget_set_halign (overlay, GTK_ALIGN_CENTER);

  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (name), 16);
  gtk_widget_add_css_class (name, "caption");
  gtk_widget_set_tooltip_text (name, face->name);

  face->status_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (face->status_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (face->status_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_justify (GTK_LABEL (face->status_label), GTK_JUSTIFY_CENTER);
  gtk_label_set_max_width_chars (GTK_LABEL (face->status_label), 18);
  gtk_label_set_lines (GTK_LABEL (face->status_label), 4);
  gtk_label_set_ellipsize (GTK_LABEL (face->status_label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (face->status_label, "caption");

  gtk_box_append (GTK_BOX (box), overlay);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), face->status_label);

  face->child = gtk_flow_box_child_new ();
  gtk_flow_box_child_set_child (GTK_FLOW_BOX_CHILD (face->child), box);
  gtk_widget_set_focusable (face->child, FALSE);
  gtk_flow_box_append (self->faces_box, face->child);
}

static Face *
face_new (AtelierFaceidPage *self)
{
  Face *face = g_rc_box_new0 (Face);

  face->page = self;
  face->cancellable = g_cancellable_new ();
  return face;
}

static void
remove_all_faces (AtelierFaceidPage *self)
{
  GtkWidget *child;

  g_ptr_array_set_size (self->faces, 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->faces_box))) != NULL)
    gtk_flow_box_remove (self->faces_box, child);
}

static void
remove_face (AtelierFaceidPage *self,
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
  AtelierFaceidPage *self = user_data;
  Face *face = g_object_get_data (G_OBJECT (button), "atelier-face");

  remove_face (self, face);
}

static gboolean
has_url_face (AtelierFaceidPage *self)
{
  return self->faces->len == 1 && ((Face *) g_ptr_array_index (self->faces, 0))->url != NULL;
}

void
atelier_faceid_page_add_files (AtelierFaceidPage *self,
                               GPtrArray         *files)
{
  guint skipped = 0;

  g_return_if_fail (ATELIER_IS_FACEID_PAGE (self));
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

static void
set_url_face (AtelierFaceidPage *self,
              const char        *url)
{
  AtelierImageCache *cache = self->session != NULL ? atelier_session_get_image_cache (self->session) : NULL;
  Face *face;

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
/* {{{ The form */

static Field *
find_field (AtelierFaceidPage *self,
            const char        *name)
{
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);

      if (g_str_equal (field->spec->name, name))
        return field;
    }
  return NULL;
}

static void
field_free (Field *field)
{
  g_free (field->error);
  g_free (field);
}

static void
set_field_error (AtelierFaceidPage *self,
                 const char        *name,
                 const char        *message)
{
  if (g_strcmp0 (name, "prompt") == 0)
    {
      g_free (self->prompt_error);
      self->prompt_error = g_strdup (message);
      gtk_label_set_label (self->prompt_error_label, message != NULL ? message : "");
      gtk_widget_set_visible (GTK_WIDGET (self->prompt_error_label), message != NULL);
      if (message != NULL)
        gtk_widget_add_css_class (self->prompt_frame, "error");
      else
        gtk_widget_remove_css_class (self->prompt_frame, "error");
      return;
    }

  {
    Field *field = find_field (self, name);

    if (field == NULL)
      return;

    g_free (field->error);
    field->error = g_strdup (message);
    if (message != NULL)
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (field->error_row), message);
    gtk_widget_set_visible (field->error_row, message != NULL);
    if (message != NULL)
      gtk_widget_add_css_class (field->row, "error");
    else
      gtk_widget_remove_css_class (field->row, "error");

    if (message != NULL && field->spec->advanced)
      {
        GtkWidget *expander = gtk_widget_get_ancestor (field->row, ADW_TYPE_EXPANDER_ROW);

        if (expander != NULL)
          adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);
      }
  }
}

static void
clear_field_errors (AtelierFaceidPage *self)
{
  set_field_error (self, "prompt", NULL);
  for (guint i = 0; i < self->fields->len; i++)
    set_field_error (self, ((Field *) g_ptr_array_index (self->fields, i))->spec->name, NULL);
}

/* Marks the fields @error names; the number marked, and the first in
 * @first (nullable). */
static guint
show_field_errors (AtelierFaceidPage *self,
                   const GError      *error,
                   GtkWidget        **first)
{
  g_autoptr(GPtrArray) errors = atelier_api_error_get_field_errors (error);
  guint n = 0;

  if (first != NULL)
    *first = NULL;

  for (guint i = 0; i < errors->len; i++)
    {
      AtelierFieldError *field_error = g_ptr_array_index (errors, i);
      GtkWidget *widget = atelier_faceid_page_get_field_widget (self, field_error->field);

      if (widget == NULL)
        continue;

      set_field_error (self, field_error->field, field_error->message);
      if (first != NULL && *first == NULL)
        *first = widget;
      n++;
    }

  return n;
}

static void
field_changed_cb (GtkWidget *widget,
                  gpointer   user_data)
{
  Field *field = g_object_get_data (G_OBJECT (widget), "atelier-field");
  AtelierFaceidPage *self = user_data;

  if (field != NULL && field->error != NULL)
    set_field_error (self, field->spec->name, NULL);
}

static void
reset_negative_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  AtelierFaceidPage *self = ATELIER_FACEID_PAGE (widget);
  Field *field = find_field (self, "negative_prompt");

  gtk_editable_set_text (GTK_EDITABLE (field->input), default_negative_prompt);
}

/* The − and + buttons of a spin button have no name GTK 4.8 gives to
 * assistive technology: "Decrease Width", "Increase Width". */
static void
name_spin_buttons (GtkWidget  *spin,
                   const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (spin); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *icon;
      g_autofree char *name = NULL;

      if (!GTK_IS_BUTTON (child))
        continue;
      icon = gtk_button_get_icon_name (GTK_BUTTON (child));
      if (g_strcmp0 (icon, "value-increase-symbolic") == 0)
        /* Translators: %s is a setting, e.g. "Width" */
        name = g_strdup_printf (_("Increase %s"), title);
      else
        /* Translators: %s is a setting, e.g. "Width" */
        name = g_strdup_printf (_("Decrease %s"), title);
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      gtk_widget_set_tooltip_text (child, name);
    }
}

static void
build_form (AtelierFaceidPage *self)
{
  GtkWidget *expander = atelier_expander_row_new (_("Advanced"),
                                                  _("Face detection and the base models fal.ai draws with"));

  for (guint i = 0; i < G_N_ELEMENTS (field_specs); i++)
    {
      const FieldSpec *spec = &field_specs[i];
      Field *field = g_new0 (Field, 1);
      const char *title = _(spec->title);

      field->spec = spec;

      switch (spec->kind)
        {
        case KIND_TEXT:
        case KIND_SEED:
          field->row = field->input = adw_entry_row_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (field->row), title);
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (field->row), FALSE);
          if (spec->kind == KIND_SEED)
            adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (field->row), GTK_INPUT_PURPOSE_DIGITS);
          g_signal_connect (field->input, "changed", G_CALLBACK (field_changed_cb), self);
          if (g_str_equal (spec->name, "negative_prompt"))
            {
              GtkWidget *reset = gtk_button_new_from_icon_name ("edit-undo-symbolic");

              gtk_widget_set_valign (reset, GTK_ALIGN_CENTER);
              gtk_widget_add_css_class (reset, "flat");
              gtk_widget_set_tooltip_text (reset, _("Reset to fal.ai’s default"));
              gtk_accessible_update_property (GTK_ACCESSIBLE (reset), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                              _("Reset to fal.ai’s default"), -1);
              gtk_actionable_set_action_name (GTK_ACTIONABLE (reset), "faceid.reset-negative");
              adw_entry_row_add_suffix (ADW_ENTRY_ROW (field->row), reset);
              gtk_editable_set_text (GTK_EDITABLE (field->input), default_negative_prompt);
            }
          else if (g_str_equal (spec->name, "base_1_5_model_repo"))
            gtk_editable_set_text (GTK_EDITABLE (field->input), default_base_1_5);
          else if (g_str_equal (spec->name, "base_sdxl_model_repo"))
            gtk_editable_set_text (GTK_EDITABLE (field->input), default_base_sdxl);
          break;

        case KIND_CHOICE:
          {
            g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

            for (guint j = 0; j < G_N_ELEMENTS (model_types); j++)
              gtk_string_list_append (list, _(model_types[j].label));
            field->row = field->input = adw_combo_row_new ();
            adw_combo_row_set_model (ADW_COMBO_ROW (field->row), G_LIST_MODEL (list));
            adw_preferences_row_set_title (ADW_PREFERENCES_ROW (field->row), title);
            adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (field->row), FALSE);
            adw_action_row_set_subtitle (ADW_ACTION_ROW (field->row), _(spec->subtitle));
            g_signal_connect (field->input, "notify::selected", G_CALLBACK (field_changed_cb), self);
          }
          break;

        case KIND_INT:
        case KIND_DOUBLE:
          field->row = adw_action_row_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (field->row), title);
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (field->row), FALSE);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (field->row), _(spec->subtitle));
          field->input = gtk_spin_button_new_with_range (spec->min, spec->max, spec->step);
          gtk_spin_button_set_digits (GTK_SPIN_BUTTON (field->input), spec->digits);
          gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (field->input), TRUE);
          gtk_spin_button_set_increments (GTK_SPIN_BUTTON (field->input), spec->step, spec->step * 4);
          gtk_spin_button_set_value (GTK_SPIN_BUTTON (field->input), spec->def);
          gtk_widget_set_valign (field->input, GTK_ALIGN_CENTER);
          gtk_accessible_update_property (GTK_ACCESSIBLE (field->input), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
          name_spin_buttons (field->input, title);
          adw_action_row_add_suffix (ADW_ACTION_ROW (field->row), field->input);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (field->row), field->input);
          g_signal_connect (field->input, "value-changed", G_CALLBACK (field_changed_cb), self);
          break;

        default:
          g_assert_not_reached ();
        }

      g_object_set_data (G_OBJECT (field->input), "atelier-field", field);
      gtk_widget_set_name (field->row, spec->name);

      field->error_row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (field->error_row), FALSE);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (field->error_row), 0);
      gtk_widget_add_css_class (field->error_row, "error");
      gtk_widget_add_css_class (field->error_row, "faceid-field-error");
      gtk_widget_set_visible (field->error_row, FALSE);

      if (spec->advanced)
        {
          adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), field->row);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), field->error_row);
        }
      else
        {
          adw_preferences_group_add (self->settings_group, field->row);
          adw_preferences_group_add (self->settings_group, field->error_row);
        }

      g_ptr_array_add (self->fields, field);
    }

  adw_preferences_group_add (self->settings_group, expander);
}

static char *
dup_prompt_text (AtelierFaceidPage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->prompt_view);
  GtkTextIter start, end;
  char *text;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  return g_strstrip (text);
}

JsonObject *
atelier_faceid_page_build_input (AtelierFaceidPage *self)
{
  JsonObject *input = json_object_new ();
  g_autofree char *prompt = NULL;

  g_return_val_if_fail (ATELIER_IS_FACEID_PAGE (self), input);

  prompt = dup_prompt_text (self);
  json_object_set_string_member (input, "prompt", prompt);

  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);
      const char *name = field->spec->name;

      switch (field->spec->kind)
        {
        case KIND_TEXT:
          {
            g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (field->input)));

            g_strstrip (text);
            /* An empty repository means fal's default; an empty negative
             * prompt is sent as it is (no negative prompt). */
            if (*text != '\0' || g_str_equal (name, "negative_prompt"))
              json_object_set_string_member (input, name, text);
          }
          break;

        case KIND_SEED:
          {
            g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (field->input)));
            gint64 seed;

            g_strstrip (text);
            if (*text == '\0')
              break;
            if (g_ascii_string_to_signed (text, 10, 0, G_MAXINT32, &seed, NULL))
              json_object_set_int_member (input, name, seed);
            else
              /* Left as text: the check before sending names it. */
              json_object_set_string_member (input, name, text);
          }
          break;

        case KIND_CHOICE:
          {
            guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (field->input));

            json_object_set_string_member (input, name,
                                           model_types[MIN (selected, G_N_ELEMENTS (model_types) - 1)].id);
          }
          break;

        case KIND_INT:
          json_object_set_int_member (input, name,
                                      gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (field->input)));
          break;

        case KIND_DOUBLE:
          json_object_set_double_member (input, name,
                                         gtk_spin_button_get_value (GTK_SPIN_BUTTON (field->input)));
          break;

        default:
          g_assert_not_reached ();
        }
    }

  return input;
}

/* Fills the form from the members of @settings it knows. */
static void
fill_form (AtelierFaceidPage *self,
           JsonObject        *settings)
{
  if (json_object_has_member (settings, "prompt"))
    {
      JsonNode *node = json_object_get_member (settings, "prompt");

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->prompt_view),
                                  json_node_get_string (node), -1);
    }

  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);
      const char *name = field->spec->name;
      JsonNode *node = json_object_get_member (settings, name);
      GType type;

      if (node == NULL)
        {
          /* A seed not given is random: clear an earlier one. */
          if (field->spec->kind == KIND_SEED)
            gtk_editable_set_text (GTK_EDITABLE (field->input), "");
          continue;
        }
      if (!JSON_NODE_HOLDS_VALUE (node))
        continue;
      type = json_node_get_value_type (node);

      switch (field->spec->kind)
        {
        case KIND_TEXT:
          if (type == G_TYPE_STRING)
            gtk_editable_set_text (GTK_EDITABLE (field->input), json_node_get_string (node));
          break;

        case KIND_SEED:
          if (type == G_TYPE_INT64)
            {
              g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

              gtk_editable_set_text (GTK_EDITABLE (field->input), text);
            }
          break;

        case KIND_CHOICE:
          if (type == G_TYPE_STRING)
            for (guint j = 0; j < G_N_ELEMENTS (model_types); j++)
              if (g_str_equal (model_types[j].id, json_node_get_string (node)))
                adw_combo_row_set_selected (ADW_COMBO_ROW (field->input), j);
          break;

        case KIND_INT:
        case KIND_DOUBLE:
          if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
            gtk_spin_button_set_value (GTK_SPIN_BUTTON (field->input),
                                       type == G_TYPE_INT64 ? (double) json_node_get_int (node)
                                                            : json_node_get_double (node));
          break;

        default:
          g_assert_not_reached ();
        }
    }

  clear_field_errors (self);
}

static void
prompt_changed_cb (AtelierFaceidPage *self)
{
  if (self->prompt_error != NULL)
    set_field_error (self, "prompt", NULL);
}

/* }}} */
/* {{{ State of the page */

static guint
count_busy (AtelierFaceidPage *self)
{
  guint n = 0;

  for (guint i = 0; i < self->faces->len; i++)
    {
      Face *face = g_ptr_array_index (self->faces, i);

      n += face->preparing || face->inspecting;
    }
  return n;
}

static guint
count_problems (AtelierFaceidPage *self)
{
  guint n = 0;

  for (guint i = 0; i < self->faces->len; i++)
    n += ((Face *) g_ptr_array_index (self->faces, i))->problem != NULL;
  return n;
}

static guint
count_preparing (AtelierFaceidPage *self)
{
  guint n = 0;

  for (guint i = 0; i < self->faces->len; i++)
    n += ((Face *) g_ptr_array_index (self->faces, i))->preparing;
  return n;
}

static gboolean
can_use_fal (AtelierFaceidPage *self)
{
  return self->has_key && self->client != NULL && self->jobs != NULL;
}

static void
update_upload_label (AtelierFaceidPage *self)
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
update_faces (AtelierFaceidPage *self)
{
  gtk_stack_set_visible_child_name (self->face_stack, self->faces->len > 0 ? "faces" : "empty");
  update (self);
}

static void
update (AtelierFaceidPage *self)
{
  g_autoptr(GString) fal = g_string_new (NULL);
  g_autoptr(GString) astria = g_string_new (NULL);
  AtelierAstriaClient *astria_client = get_astria_client (self);
  const char *why = NULL;
  gboolean can_generate;

  g_string_append (fal, _("No training: a picture in about a minute, made from the photo and your prompt. "
                          "fal.ai bills the compute time to your fal.ai key. Needs a fal.ai key (Preferences) or the Sandbox."));
  g_string_append_c (fal, '\n');
  if (self->sandbox)
    g_string_append (fal, _("In the Sandbox: nothing is billed and the pictures are placeholders."));
  else if (self->has_key)
    g_string_append (fal, _("Ready, with your fal.ai key."));
  else
    g_string_append (fal, _("Add your fal.ai key to use it."));
  adw_action_row_set_subtitle (self->fal_way_row, fal->str);
  gtk_widget_set_visible (self->add_key_button, !self->has_key);

  g_string_append (astria, _("A one-time tune from the photos, ready at once without training; Astria charges for it like any tune. "
                             "Then write ordinary prompts and run packs: they run on a gallery base model with <faceid:ID:1> in the text."));
  g_string_append_c (astria, '\n');
  if (astria_client == NULL)
    g_string_append (astria, _("Needs an Astria key (Preferences) or the Sandbox."));
  else if (self->sandbox)
    g_string_append (astria, _("In the Sandbox: free, with placeholder pictures."));
  else
    g_string_append (astria, _("Ready, with your Astria key."));
  adw_action_row_set_subtitle (self->astria_way_row, astria->str);

  update_upload_label (self);

  if (!can_use_fal (self))
    why = _("Add your fal.ai key in Preferences to generate here, or create an Astria FaceID tune below.");
  else if (self->faces->len == 0)
    why = _("Choose a photo of the face first.");
  else if (count_preparing (self) > 0)
    why = _("Preparing the photos…");
  else if (count_problems (self) > 0)
    why = _("Remove the photos that cannot be used.");

  can_generate = why == NULL;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "faceid.generate", can_generate);

  if (why == NULL)
    why = self->sandbox ? _("In the Sandbox the picture is a placeholder and nothing is billed.")
                        : _("fal.ai bills your fal.ai key for the compute time.");
  gtk_label_set_label (self->generate_label, why);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "faceid.create-tune", astria_client != NULL);
}

/* }}} */
/* {{{ Jobs */

typedef struct {
  AtelierFaceidPage *page;      /* (unowned) the rows live in it */
  AtelierFaceidJob  *job;
  GCancellable      *cancellable;
  gint64             picture_prompt_id;
  char              *text;

  GtkWidget         *title;
  GtkWidget         *subtitle;
  GtkWidget         *state;
  GtkWidget         *logs_expander;
  GtkWidget         *logs_label;
  GtkWidget         *picture_button;
  GtkWidget         *picture;
  GtkWidget         *spinner;
  GtkWidget         *cancel_button;
  GtkWidget         *retry_button;
  GtkWidget         *remove_button;
} JobRow;

static void
job_row_free (JobRow *row)
{
  g_cancellable_cancel (row->cancellable);
  g_clear_object (&row->cancellable);
  g_clear_object (&row->job);
  g_free (row->text);
  g_free (row);
}

static char *
describe_job (AtelierFaceidJob *job)
{
  const GError *error = atelier_faceid_job_get_error (job);
  g_autofree char *reason = error != NULL ? atelier_error_describe (error) : NULL;
  gint64 position = atelier_faceid_job_get_queue_position (job);

  switch (atelier_faceid_job_get_state (job))
    {
    case ATELIER_FACEID_JOB_SUBMITTING:
      return g_strdup (_("Sending to fal.ai…"));
    case ATELIER_FACEID_JOB_UNSURE:
      if (reason != NULL)
        /* Translators: %s says what went wrong */
        return g_strdup_printf (_("The request may have reached fal.ai; sending it again may run it twice. (%s)"), reason);
      return g_strdup (_("The request may have reached fal.ai; sending it again may run it twice."));
    case ATELIER_FACEID_JOB_REFUSED:
      /* Translators: %s is fal.ai's reason */
      return g_strdup_printf (_("Refused: %s"), reason != NULL ? reason : _("fal.ai gave no reason"));
    case ATELIER_FACEID_JOB_IN_QUEUE:
      if (position > 0)
        /* Translators: %s is a number of requests waiting before this one */
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Waiting in line: %" G_GINT64_FORMAT " ahead",
                                             "Waiting in line: %" G_GINT64_FORMAT " ahead", position),
                                position);
      if (position == 0)
        return g_strdup (_("Waiting in line: next"));
      return g_strdup (_("Waiting in line…"));
    case ATELIER_FACEID_JOB_IN_PROGRESS:
      {
        const char * const *logs = atelier_faceid_job_get_logs (job);
        guint n = g_strv_length ((GStrv) logs);

        if (n > 0)
          /* Translators: %s is fal.ai's newest log line */
          return g_strdup_printf (_("Generating… %s"), logs[n - 1]);
        return g_strdup (_("Generating…"));
      }
    case ATELIER_FACEID_JOB_SAVING:
      return g_strdup (_("Saving the image…"));
    case ATELIER_FACEID_JOB_DONE:
      return g_strdup (_("Done: kept in the Gallery"));
    case ATELIER_FACEID_JOB_FAILED:
      /* Translators: %s says why */
      return g_strdup_printf (_("Failed: %s"), reason != NULL ? reason : _("fal.ai gave no reason"));
    case ATELIER_FACEID_JOB_CANCELLED:
      return g_strdup (_("Cancelled"));
    case ATELIER_FACEID_JOB_LOST:
      return g_strdup (_("fal.ai no longer knows this request"));
    default:
      return g_strdup ("");
    }
}

static void
job_picture_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  JobRow *row = user_data;   /* alive: the cancellable is cancelled when it goes */
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = load_texture_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_set_spinning (GTK_SPINNER (row->spinner), FALSE);
  gtk_widget_set_visible (row->spinner, FALSE);
  if (texture != NULL)
    {
      gtk_picture_set_paintable (GTK_PICTURE (row->picture), GDK_PAINTABLE (texture));
      gtk_widget_set_visible (row->picture_button, TRUE);
    }
  else
    g_debug ("No result thumbnail: %s", error->message);
}

static void
job_row_load_picture (JobRow *row)
{
  AtelierFaceidPage *self = row->page;
  gint64 prompt_id = atelier_faceid_job_get_prompt_id (row->job);
  AtelierLibrary *library;
  g_autofree char *uri = NULL;
  g_autoptr(GFile) file = NULL;

  if (prompt_id == 0 || prompt_id == row->picture_prompt_id || self->session == NULL)
    return;
  library = atelier_session_get_library (self->session);
  if (library == NULL)
    return;
  uri = atelier_library_dup_image_uri (library, prompt_id, 0);
  if (uri == NULL)
    return;

  row->picture_prompt_id = prompt_id;
  file = g_file_new_for_uri (uri);
  gtk_widget_set_visible (row->spinner, TRUE);
  gtk_spinner_set_spinning (GTK_SPINNER (row->spinner), TRUE);
  load_texture_async (file, NULL, RESULT_SIZE * 2, row->cancellable, job_picture_cb, row);
}

static void
job_row_update (JobRow *row)
{
  AtelierFaceidJob *job = row->job;
  AtelierFaceidJobState state = atelier_faceid_job_get_state (job);
  const char * const *logs = atelier_faceid_job_get_logs (job);
  g_autofree char *logs_text = g_strjoinv ("\n", (GStrv) logs);
  const char *face_label = atelier_faceid_job_get_face_label (job);

  g_free (row->text);
  row->text = describe_job (job);
  gtk_label_set_label (GTK_LABEL (row->state), row->text);

  gtk_widget_remove_css_class (row->state, "error");
  gtk_widget_remove_css_class (row->state, "warning");
  gtk_widget_remove_css_class (row->state, "success");
  if (state == ATELIER_FACEID_JOB_FAILED || state == ATELIER_FACEID_JOB_REFUSED || state == ATELIER_FACEID_JOB_LOST)
    gtk_widget_add_css_class (row->state, "error");
  else if (state == ATELIER_FACEID_JOB_UNSURE)
    gtk_widget_add_css_class (row->state, "warning");
  else if (state == ATELIER_FACEID_JOB_DONE)
    gtk_widget_add_css_class (row->state, "success");

  gtk_label_set_label (GTK_LABEL (row->subtitle), face_label != NULL ? face_label : "");
  gtk_label_set_label (GTK_LABEL (row->logs_label), logs_text);
  gtk_widget_set_visible (row->logs_expander, logs[0] != NULL);

  gtk_widget_set_visible (row->cancel_button, atelier_faceid_job_can_cancel (job));
  gtk_widget_set_visible (row->retry_button, atelier_faceid_job_can_retry (job));
  gtk_widget_set_visible (row->remove_button, !atelier_faceid_job_is_active (job));

  if (state == ATELIER_FACEID_JOB_DONE)
    job_row_load_picture (row);

  /* A refusal of the request sent last from here: its fields on the form. */
  if (state == ATELIER_FACEID_JOB_REFUSED && job == row->page->last_job &&
      atelier_faceid_job_get_error (job) != NULL)
    {
      AtelierFaceidPage *self = row->page;

      self->last_job = NULL;
      show_field_errors (self, atelier_faceid_job_get_error (job), NULL);
    }
}

static void
job_notify_cb (GObject    *object,
               GParamSpec *pspec,
               gpointer    user_data)
{
  GtkWidget *widget = user_data;
  JobRow *row = g_object_get_data (G_OBJECT (widget), "atelier-job-row");

  if (row != NULL)
    job_row_update (row);
}

static void
job_cancel_clicked_cb (GtkButton *button,
                       JobRow    *row)
{
  if (row->page->jobs != NULL)
    atelier_faceid_jobs_cancel (row->page->jobs, row->job);
}

static void
job_retry_clicked_cb (GtkButton *button,
                      JobRow    *row)
{
  if (row->page->jobs != NULL)
    atelier_faceid_jobs_retry (row->page->jobs, row->job);
}

static void
job_remove_clicked_cb (GtkButton *button,
                       JobRow    *row)
{
  if (row->page->jobs != NULL)
    atelier_faceid_jobs_remove (row->page->jobs, row->job);
}

static void
job_picture_clicked_cb (GtkButton *button,
                        JobRow    *row)
{
  AtelierShell *shell = atelier_shell_find (GTK_WIDGET (button));

  if (shell != NULL)
    atelier_shell_show_page (shell, "gallery");
}

static GtkWidget *
make_job_button (const char *label,
                 const char *tooltip,
                 GCallback   callback,
                 JobRow     *row)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  g_signal_connect (button, "clicked", callback, row);
  return button;
}

static GtkWidget *
create_job_row (gpointer item,
                gpointer user_data)
{
  AtelierFaceidPage *self = user_data;
  AtelierFaceidJob *job = item;
  JobRow *row = g_new0 (JobRow, 1);
  GtkWidget *list_row = gtk_list_box_row_new ();
  GtkWidget *outer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *hbox = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *picture_overlay = gtk_overlay_new ();
  const char *prompt = atelier_faceid_job_get_prompt_text (job);

  row->page = self;
  row->job = g_object_ref (job);
  row->cancellable = g_cancellable_new ();

  gtk_widget_set_margin_top (outer, 10);
  gtk_widget_set_margin_bottom (outer, 10);
  gtk_widget_set_margin_start (outer, 12);
  gtk_widget_set_margin_end (outer, 12);

  row->picture = gtk_picture_new ();
  gtk_picture_set_can_shrink (GTK_PICTURE (row->picture), TRUE);
  gtk_picture_set_content_fit (GTK_PICTURE (row->picture), GTK_CONTENT_FIT_COVER);
  gtk_widget_set_size_request (row->picture, RESULT_SIZE, RESULT_SIZE);
  row->picture_button = gtk_button_new ();
  gtk_button_set_child (GTK_BUTTON (row->picture_button), row->picture);
  gtk_widget_add_css_class (row->picture_button, "flat");
  gtk_widget_add_css_class (row->picture_button, "faceid-result");
  gtk_widget_set_overflow (row->picture_button, GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_valign (row->picture_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (row->picture_button, _("Show in the Gallery"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->picture_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Result picture: show in the Gallery"), -1);
  gtk_widget_set_visible (row->picture_button, FALSE);
  g_signal_connect (row->picture_button, "clicked", G_CALLBACK (job_picture_clicked_cb), row);
  row->spinner = gtk_spinner_new ();
  gtk_widget_set_visible (row->spinner, FALSE);
  gtk_widget_set_valign (row->spinner, GTK_ALIGN_CENTER);
  gtk_overlay_set_child (GTK_OVERLAY (picture_overlay), row->picture_button);
  gtk_overlay_add_overlay (GTK_OVERLAY (picture_overlay), row->spinner);

  row->title = gtk_label_new (prompt != NULL && *prompt != '\0' ? prompt : _("(no prompt)"));
  gtk_label_set_xalign (GTK_LABEL (row->title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (row->title), PANGO_ELLIPSIZE_END);
  gtk_label_set_lines (GTK_LABEL (row->title), 2);
  gtk_label_set_wrap (GTK_LABEL (row->title), TRUE);
  gtk_widget_add_css_class (row->title, "heading");
  gtk_widget_set_tooltip_text (row->title, prompt);

  row->subtitle = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (row->subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (row->subtitle), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_add_css_class (row->subtitle, "dim-label");
  gtk_widget_add_css_class (row->subtitle, "caption");

  row->state = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (row->state), 0);
  gtk_label_set_wrap (GTK_LABEL (row->state), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (row->state), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (row->state), FALSE);

  gtk_box_append (GTK_BOX (texts), row->title);
  gtk_box_append (GTK_BOX (texts), row->subtitle);
  gtk_box_append (GTK_BOX (texts), row->state);
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_widget_set_valign (texts, GTK_ALIGN_CENTER);

  row->cancel_button = make_job_button (_("_Cancel"), _("Ask fal.ai to drop this request"),
                                        G_CALLBACK (job_cancel_clicked_cb), row);
  row->retry_button = make_job_button (_("_Retry"), _("Send this request again"),
                                       G_CALLBACK (job_retry_clicked_cb), row);
  row->remove_button = make_job_button (_("_Remove"), _("Remove from this list; a kept picture stays in the Gallery"),
                                        G_CALLBACK (job_remove_clicked_cb), row);
  gtk_widget_add_css_class (row->remove_button, "flat");
  gtk_box_append (GTK_BOX (buttons), row->cancel_button);
  gtk_box_append (GTK_BOX (buttons), row->retry_button);
  gtk_box_append (GTK_BOX (buttons), row->remove_button);
  gtk_widget_set_valign (buttons, GTK_ALIGN_CENTER);

  gtk_box_append (GTK_BOX (hbox), picture_overlay);
  gtk_box_append (GTK_BOX (hbox), texts);
  gtk_box_append (GTK_BOX (hbox), buttons);

  row->logs_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (row->logs_label), 0);
  gtk_label_set_wrap (GTK_LABEL (row->logs_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (row->logs_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (row->logs_label), TRUE);
  gtk_widget_add_css_class (row->logs_label, "monospace");
  gtk_widget_add_css_class (row->logs_label, "caption");
  row->logs_expander = gtk_expander_new_with_mnemonic (_("fal.ai’s _Log"));
  gtk_expander_set_child (GTK_EXPANDER (row->logs_expander), row->logs_label);

  gtk_box_append (GTK_BOX (outer), hbox);
  gtk_box_append (GTK_BOX (outer), row->logs_expander);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (list_row), outer);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (list_row), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (list_row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  prompt != NULL ? prompt : "", -1);

  g_object_set_data_full (G_OBJECT (list_row), "atelier-job-row", row, (GDestroyNotify) job_row_free);
  g_signal_connect_object (job, "notify", G_CALLBACK (job_notify_cb), list_row, 0);
  job_row_update (row);

  return list_row;
}

static GtkWidget *
make_placeholder (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  gtk_widget_set_margin_top (label, 18);
  gtk_widget_set_margin_bottom (label, 18);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

static JobRow *
find_job_row (AtelierFaceidPage *self,
              AtelierFaceidJob  *job)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->jobs_list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      JobRow *row = g_object_get_data (G_OBJECT (child), "atelier-job-row");

      if (row != NULL && row->job == job)
        return row;
    }
  return NULL;
}

static void
library_changed_cb (AtelierFaceidPage *self)
{
  /* A result kept after its job said DONE gets its picture now. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->jobs_list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      JobRow *row = g_object_get_data (G_OBJECT (child), "atelier-job-row");

      if (row != NULL && atelier_faceid_job_get_state (row->job) == ATELIER_FACEID_JOB_DONE)
        job_row_load_picture (row);
    }
}

/* }}} */
/* {{{ Actions */

static void
chooser_response_cb (AtelierFaceidPage    *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) model = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
      guint n = g_list_model_get_n_items (model);

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (files, g_list_model_get_item (model, i));
      atelier_faceid_page_add_files (self, files);
    }

  g_clear_object (&self->chooser);
}

static void
choose_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AtelierFaceidPage *self = ATELIER_FACEID_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) images = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  if (self->chooser != NULL)
    {
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
      return;
    }

  self->chooser = gtk_file_chooser_native_new (_("Choose Photos of the Face"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Choose"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);

  gtk_file_filter_set_name (images, _("Images"));
  gtk_file_filter_add_mime_type (images, "image/*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), images);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);
  gtk_file_chooser_set_filter (GTK_FILE_CHOOSER (self->chooser), images);

  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static gboolean
drop_cb (GtkDropTarget     *target,
         const GValue      *value,
         double             x,
         double             y,
         AtelierFaceidPage *self)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  for (GSList *l = gdk_file_list_get_files (g_value_get_boxed (value)); l != NULL; l = l->next)
    g_ptr_array_add (files, g_object_ref (l->data));

  if (files->len == 0)
    return FALSE;

  atelier_faceid_page_add_files (self, files);
  return TRUE;
}

static void
generate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  AtelierFaceidPage *self = ATELIER_FACEID_PAGE (widget);
  g_autoptr(JsonObject) input = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jpegs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autofree char *label = NULL;
  const char *face_url = NULL;
  AtelierFaceidJob *job;
  GtkWidget *first = NULL;

  if (!can_use_fal (self) || self->faces->len == 0)
    return;

  clear_field_errors (self);
  input = atelier_faceid_page_build_input (self);
  node = json_node_init_object (json_node_alloc (), input);

  if (!atelier_fal_validate_face_id_input (node, &error))
    {
      if (show_field_errors (self, error, &first) > 0 && first != NULL)
        gtk_widget_grab_focus (first);
      else
        atelier_widget_show_error (widget, error);
      return;
    }

  if (has_url_face (self))
    {
      face_url = ((Face *) g_ptr_array_index (self->faces, 0))->url;
      label = g_strdup (_("An Astria image"));
    }
  else
    {
      for (guint i = 0; i < self->faces->len; i++)
        {
          Face *face = g_ptr_array_index (self->faces, i);

          if (face->jpeg == NULL)
            return;
          g_ptr_array_add (jpegs, g_bytes_ref (face->jpeg));
        }
      if (jpegs->len == 1)
        label = g_strdup (((Face *) g_ptr_array_index (self->faces, 0))->name);
      else
        /* Translators: the face of a request made of several photos */
        label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u photo", "%u photos", jpegs->len), jpegs->len);
    }

  job = atelier_faceid_jobs_submit (self->jobs, input, face_url, face_url == NULL ? jpegs : NULL,
                                    label, &error);
  if (job == NULL)
    {
      if (show_field_errors (self, error, &first) > 0 && first != NULL)
        gtk_widget_grab_focus (first);
      else
        atelier_widget_show_error (widget, error);
      return;
    }

  self->last_job = job;
}

static void
create_tune_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  AtelierFaceidPage *self = ATELIER_FACEID_PAGE (widget);
  AtelierShell *shell = atelier_shell_find (widget);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  if (shell == NULL)
    return;

  for (guint i = 0; i < self->faces->len; i++)
    {
      Face *face = g_ptr_array_index (self->faces, i);

      if (face->file != NULL && face->problem == NULL)
        g_ptr_array_add (files, g_object_ref (face->file));
    }

  atelier_shell_open_tune_editor_for_faceid (shell, files);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  reload_tunes (ATELIER_FACEID_PAGE (widget));
}

/* }}} */
/* {{{ FaceID tunes */

static void
write_prompt_clicked_cb (GtkButton *button,
                         gpointer   user_data)
{
  AtelierTune *tune = g_object_get_data (G_OBJECT (button), "atelier-tune");
  AtelierShell *shell = atelier_shell_find (GTK_WIDGET (button));

  if (shell != NULL && tune != NULL)
    atelier_shell_open_prompt_editor (shell, NULL, tune, 0, NULL);
}

static void
show_tune_clicked_cb (AdwActionRow *row,
                      gpointer      user_data)
{
  AtelierTune *tune = g_object_get_data (G_OBJECT (row), "atelier-tune");
  AtelierShell *shell = atelier_shell_find (GTK_WIDGET (row));

  if (shell != NULL && tune != NULL)
    {
      atelier_shell_show_page (shell, "tunes");
      atelier_shell_show_tune_prompts (shell, atelier_tune_get_id (tune));
    }
}

static void
clear_tunes (AtelierFaceidPage *self)
{
  GtkListBoxRow *row;

  /* Row by row: the placeholder stays. */
  while ((row = gtk_list_box_get_row_at_index (self->tunes_list, 0)) != NULL)
    gtk_list_box_remove (self->tunes_list, GTK_WIDGET (row));
}

static void
tunes_fetched_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GPtrArray) tunes = atelier_widget_fetch_tune_choices_finish (user_data, result);
  AtelierFaceidPage *self;

  if (tunes == NULL && g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;

  self = ATELIER_FACEID_PAGE (user_data);
  self->loading_tunes = FALSE;
  if (tunes == NULL)
    return;

  clear_tunes (self);
  for (guint i = 0; i < tunes->len; i++)
    {
      AtelierTune *tune = g_ptr_array_index (tunes, i);
      GtkWidget *row, *button;
      g_autofree char *subtitle = NULL;
      g_autofree char *name = NULL;
      guint n_photos;

      if (g_strcmp0 (atelier_tune_get_model_type (tune), "faceid") != 0)
        continue;

      n_photos = g_strv_length ((GStrv) atelier_tune_get_orig_images (tune));
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), atelier_tune_get_title (tune));
      if (n_photos > 0)
        /* Translators: a FaceID tune's id and its number of photos */
        subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Tune %" G_GINT64_FORMAT " · %u photo",
                                                 "Tune %" G_GINT64_FORMAT " · %u photos", n_photos),
                                    atelier_tune_get_id (tune), n_photos);
      else
        /* Translators: a FaceID tune's id */
        subtitle = g_strdup_printf (_("Tune %" G_GINT64_FORMAT), atelier_tune_get_id (tune));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      g_object_set_data_full (G_OBJECT (row), "atelier-tune", g_object_ref (tune), g_object_unref);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_signal_connect (row, "activated", G_CALLBACK (show_tune_clicked_cb), NULL);
      gtk_widget_set_tooltip_text (row, _("Show its prompts"));

      button = gtk_button_new_with_mnemonic (_("_Write a Prompt…"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      /* Translators: %s is a tune's title */
      name = g_strdup_printf (_("Write a prompt with %s"), atelier_tune_get_title (tune));
      gtk_widget_set_tooltip_text (button, name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      g_object_set_data_full (G_OBJECT (button), "atelier-tune", g_object_ref (tune), g_object_unref);
      g_signal_connect (button, "clicked", G_CALLBACK (write_prompt_clicked_cb), NULL);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

      gtk_list_box_append (self->tunes_list, row);
    }
}

static void
reload_tunes (AtelierFaceidPage *self)
{
  AtelierAstriaClient *client = get_astria_client (self);

  g_cancellable_cancel (self->tunes_cancellable);
  g_clear_object (&self->tunes_cancellable);
  self->tunes_client = client;

  if (client == NULL)
    {
      clear_tunes (self);
      self->loading_tunes = FALSE;
      return;
    }

  self->tunes_cancellable = g_cancellable_new ();
  self->loading_tunes = TRUE;
  atelier_tune_choices_fetch_async (client, 5, self->tunes_cancellable, tunes_fetched_cb, self);
}

static void
map_cb (AtelierFaceidPage *self)
{
  reload_tunes (self);
}

static void
astria_client_changed_cb (AtelierFaceidPage *self)
{
  if (get_astria_client (self) != self->tunes_client)
    {
      clear_tunes (self);
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        reload_tunes (self);
    }
  update (self);
}

/* }}} */
/* {{{ Public */

void
atelier_faceid_page_set_client (AtelierFaceidPage *self,
                                AtelierFalClient  *client)
{
  g_return_if_fail (ATELIER_IS_FACEID_PAGE (self));
  g_return_if_fail (client == NULL || ATELIER_IS_FAL_CLIENT (client));

  if (g_set_object (&self->client, client))
    {
      update (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
    }
}

void
atelier_faceid_page_set_session (AtelierFaceidPage *self,
                                 AtelierSession    *session)
{
  g_return_if_fail (ATELIER_IS_FACEID_PAGE (self));
  g_return_if_fail (session == NULL || ATELIER_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->session != NULL)
    {
      AtelierLibrary *library = atelier_session_get_library (self->session);

      g_signal_handlers_disconnect_by_data (self->session, self);
      if (library != NULL)
        g_signal_handlers_disconnect_by_data (library, self);
    }
  g_set_object (&self->session, session);
  if (session != NULL)
    {
      AtelierLibrary *library = atelier_session_get_library (session);

      g_signal_connect_object (session, "notify::astria-client", G_CALLBACK (astria_client_changed_cb),
                               self, G_CONNECT_SWAPPED);
      if (library != NULL)
        g_signal_connect_object (library, "changed", G_CALLBACK (library_changed_cb),
                                 self, G_CONNECT_SWAPPED);
    }

  astria_client_changed_cb (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

void
atelier_faceid_page_set_jobs (AtelierFaceidPage *self,
                              AtelierFaceidJobs *jobs)
{
  g_return_if_fail (ATELIER_IS_FACEID_PAGE (self));
  g_return_if_fail (jobs == NULL || ATELIER_IS_FACEID_JOBS (jobs));

  if (!g_set_object (&self->jobs, jobs))
    return;

  self->last_job = NULL;
  gtk_list_box_bind_model (self->jobs_list, jobs != NULL ? G_LIST_MODEL (jobs) : NULL,
                           create_job_row, self, NULL);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOBS]);
}

AtelierFaceidJobs *
atelier_faceid_page_get_jobs (AtelierFaceidPage *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_PAGE (self), NULL);
  return self->jobs;
}

void
atelier_faceid_page_open (AtelierFaceidPage *self,
                          const char        *face_uri,
                          JsonNode          *settings)
{
  g_return_if_fail (ATELIER_IS_FACEID_PAGE (self));

  if (settings != NULL && JSON_NODE_HOLDS_OBJECT (settings))
    fill_form (self, json_node_get_object (settings));

  if (face_uri == NULL || *face_uri == '\0')
    return;

  if (g_str_has_prefix (face_uri, "https://") || g_str_has_prefix (face_uri, "http://"))
    set_url_face (self, face_uri);
  else
    {
      g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
      g_autofree char *scheme = g_uri_parse_scheme (face_uri);

      g_ptr_array_add (files, scheme != NULL ? g_file_new_for_uri (face_uri)
                                             : g_file_new_for_path (face_uri));
      remove_all_faces (self);
      atelier_faceid_page_add_files (self, files);
    }
}

guint
atelier_faceid_page_get_n_faces (AtelierFaceidPage *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_PAGE (self), 0);
  return self->faces->len;
}

guint
atelier_faceid_page_get_n_busy (AtelierFaceidPage *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_PAGE (self), 0);
  return count_busy (self);
}

static Face *
get_face (AtelierFaceidPage *self,
          guint              index)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_PAGE (self), NULL);
  g_return_val_if_fail (index < self->faces->len, NULL);
  return g_ptr_array_index (self->faces, index);
}

gboolean
atelier_faceid_page_face_has_thumbnail (AtelierFaceidPage *self,
                                        guint              index)
{
  Face *face = get_face (self, index);

  return face != NULL && face->picture != NULL &&
         gtk_picture_get_paintable (GTK_PICTURE (face->picture)) != NULL;
}

const char *
atelier_faceid_page_get_face_problem (AtelierFaceidPage *self,
                                      guint              index)
{
  Face *face = get_face (self, index);

  return face != NULL ? face->problem : NULL;
}

const char *
atelier_faceid_page_get_face_warnings (AtelierFaceidPage *self,
                                       guint              index)
{
  Face *face = get_face (self, index);

  return face != NULL ? face->warnings : NULL;
}

GtkWidget *
atelier_faceid_page_get_field_widget (AtelierFaceidPage *self,
                                      const char        *name)
{
  Field *field;

  g_return_val_if_fail (ATELIER_IS_FACEID_PAGE (self), NULL);

  if (g_strcmp0 (name, "prompt") == 0)
    return self->prompt_frame;
  field = find_field (self, name);
  return field != NULL ? field->row : NULL;
}

const char *
atelier_faceid_page_get_field_error (AtelierFaceidPage *self,
                                     const char        *name)
{
  Field *field;

  g_return_val_if_fail (ATELIER_IS_FACEID_PAGE (self), NULL);

  if (g_strcmp0 (name, "prompt") == 0)
    return self->prompt_error;
  field = find_field (self, name);
  return field != NULL ? field->error : NULL;
}

gboolean
atelier_faceid_page_get_loading_tunes (AtelierFaceidPage *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_PAGE (self), FALSE);
  return self->loading_tunes;
}

const char *
atelier_faceid_page_get_job_text (AtelierFaceidPage *self,
                                  AtelierFaceidJob  *job)
{
  JobRow *row = find_job_row (self, job);

  return row != NULL ? row->text : NULL;
}

GtkWidget *
atelier_faceid_page_get_job_row (AtelierFaceidPage *self,
                                 AtelierFaceidJob  *job)
{
  JobRow *row = find_job_row (self, job);

  return row != NULL ? gtk_widget_get_ancestor (row->state, GTK_TYPE_LIST_BOX_ROW) : NULL;
}

gboolean
atelier_faceid_page_job_has_picture (AtelierFaceidPage *self,
                                     AtelierFaceidJob  *job)
{
  JobRow *row = find_job_row (self, job);

  return row != NULL && gtk_widget_get_visible (row->picture_button) &&
         gtk_picture_get_paintable (GTK_PICTURE (row->picture)) != NULL;
}

/* }}} */
/* {{{ GObject */

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

  g_cancellable_cancel (self->tunes_cancellable);
  g_clear_object (&self->tunes_cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->jobs != NULL)
    gtk_list_box_bind_model (self->jobs_list, NULL, NULL, NULL, NULL);
  g_clear_pointer (&self->faces, g_ptr_array_unref);

  atelier_bin_dispose_template (ADW_BIN (self), ATELIER_TYPE_FACEID_PAGE);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_object (&self->client);
  g_clear_object (&self->jobs);
  if (self->session != NULL)
    {
      AtelierLibrary *library = atelier_session_get_library (self->session);

      if (library != NULL)
        g_signal_handlers_disconnect_by_data (library, self);
    }
  g_clear_object (&self->session);

  G_OBJECT_CLASS (atelier_faceid_page_parent_class)->dispose (object);
}

static void
atelier_faceid_page_finalize (GObject *object)
{
  AtelierFaceidPage *self = ATELIER_FACEID_PAGE (object);

  g_free (self->prompt_error);

  G_OBJECT_CLASS (atelier_faceid_page_parent_class)->finalize (object);
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
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_JOBS:
      g_value_set_object (value, self->jobs);
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
    case PROP_SESSION:
      atelier_faceid_page_set_session (self, g_value_get_object (value));
      break;
    case PROP_JOBS:
      atelier_faceid_page_set_jobs (self, g_value_get_object (value));
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
  object_class->finalize = atelier_faceid_page_finalize;
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
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         ATELIER_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_JOBS] =
    g_param_spec_object ("jobs", NULL, NULL,
                         ATELIER_TYPE_FACEID_JOBS,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/atelier/Atelier/faceid/atelier-faceid-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidPage, add_key_button);
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidPage, fal_way_row);
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidPage, astria_way_row);
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidPage, face_group);
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidPage, drop_area);
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidPage, face_stack);
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidPage, faces_box);
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidPage, upload_label);
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidPage, prompt_frame);
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidPage, prompt_view);
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidPage, prompt_error_label);
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidPage, settings_group);
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidPage, generate_button);
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidPage, generate_label);
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidPage, jobs_list);
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidPage, tunes_list);
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidPage, create_tune_button);

  gtk_widget_class_install_action (widget_class, "faceid.choose", NULL, choose_action);
  gtk_widget_class_install_action (widget_class, "faceid.generate", NULL, generate_action);
  gtk_widget_class_install_action (widget_class, "faceid.create-tune", NULL, create_tune_action);
  gtk_widget_class_install_action (widget_class, "faceid.reset-negative", NULL, reset_negative_action);
  gtk_widget_class_install_action (widget_class, "page.reload", NULL, reload_action);
}

static void
atelier_faceid_page_init (AtelierFaceidPage *self)
{
  GtkDropTarget *target;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->faces = g_ptr_array_new_with_free_func ((GDestroyNotify) face_detach);
  self->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_free);
  build_form (self);

  gtk_list_box_set_placeholder (self->jobs_list,
                                make_placeholder (_("Nothing sent yet. Each request shows here as it waits in line, runs and finishes.")));
  gtk_list_box_set_placeholder (self->tunes_list,
                                make_placeholder (_("No FaceID tunes yet. Create one from the chosen photos: it is ready at once.")));

  g_signal_connect_swapped (gtk_text_view_get_buffer (self->prompt_view), "changed",
                            G_CALLBACK (prompt_changed_cb), self);

  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->face_group), GTK_EVENT_CONTROLLER (target));

  g_signal_connect (self, "map", G_CALLBACK (map_cb), NULL);

  update_faces (self);
}

/* }}} */
