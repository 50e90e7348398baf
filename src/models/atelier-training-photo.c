/* atelier-training-photo.c: one photo chosen for training
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-models-private.h"
#include "atelier-training-photo-private.h"

struct _AtelierTrainingPhoto
{
  GObject                    parent_instance;

  GFile                     *file;
  char                      *display_name;

  gboolean                   analyzed;
  GdkTexture                *thumbnail;
  int                        width;
  int                        height;
  goffset                    size;
  char                      *checksum;
  gboolean                   checksum_pending;
  guint64                    dhash;
  guint64                    ahash;
  AtelierPhotoChecks         checks;
  char                      *problem;
  GWeakRef                   duplicate_of;

  AtelierInspectionState     inspection_state;
  AtelierInspection         *inspection;
  AtelierInspectionWarnings  inspection_warnings;
  char                      *inspection_error;

  GCancellable              *cancellable;
  GCancellable              *inspect_cancellable;
  GBytes                    *inspect_upload;
};

G_DEFINE_FINAL_TYPE (AtelierTrainingPhoto, atelier_training_photo, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FILE,
  PROP_DISPLAY_NAME,
  PROP_ANALYZED,
  PROP_THUMBNAIL,
  PROP_CHECKS,
  PROP_INSPECTION_STATE,
  PROP_INSPECTION_WARNINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

AtelierTrainingPhoto *
atelier_training_photo_new (GFile *file)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  return g_object_new (ATELIER_TYPE_TRAINING_PHOTO, "file", file, NULL);
}

/* {{{ Getters */

GFile *
atelier_training_photo_get_file (AtelierTrainingPhoto *self)
{
  g_return_val_if_fail (ATELIER_IS_TRAINING_PHOTO (self), NULL);
  return self->file;
}

const char *
atelier_training_photo_get_display_name (AtelierTrainingPhoto *self)
{
  g_return_val_if_fail (ATELIER_IS_TRAINING_PHOTO (self), NULL);
  return self->display_name;
}

gboolean
atelier_training_photo_get_analyzed (AtelierTrainingPhoto *self)
{
  g_return_val_if_fail (ATELIER_IS_TRAINING_PHOTO (self), FALSE);
  return self->analyzed;
}

GdkTexture *
atelier_training_photo_get_thumbnail (AtelierTrainingPhoto *self)
{
  g_return_val_if_fail (ATELIER_IS_TRAINING_PHOTO (self), NULL);
  return self->thumbnail;
}

int
atelier_training_photo_get_width (AtelierTrainingPhoto *self)
{
  g_return_val_if_fail (ATELIER_IS_TRAINING_PHOTO (self), 0);
  return self->width;
}

int
atelier_training_photo_get_height (AtelierTrainingPhoto *self)
{
  g_return_val_if_fail (ATELIER_IS_TRAINING_PHOTO (self), 0);
  return self->height;
}

goffset
atelier_training_photo_get_size (AtelierTrainingPhoto *self)
{
  g_return_val_if_fail (ATELIER_IS_TRAINING_PHOTO (self), 0);
  return self->size;
}

const char *
atelier_training_photo_get_checksum (AtelierTrainingPhoto *self)
{
  g_return_val_if_fail (ATELIER_IS_TRAINING_PHOTO (self), NULL);
  return self->checksum;
}

void
atelier_training_photo_get_hashes (AtelierTrainingPhoto *self,
                                   guint64              *dhash,
                                   guint64              *ahash)
{
  g_return_if_fail (ATELIER_IS_TRAINING_PHOTO (self));

  *dhash = self->dhash;
  *ahash = self->ahash;
}

AtelierPhotoChecks
atelier_training_photo_get_checks (AtelierTrainingPhoto *self)
{
  g_return_val_if_fail (ATELIER_IS_TRAINING_PHOTO (self), 0);
  return self->checks;
}

const char *
atelier_training_photo_get_problem (AtelierTrainingPhoto *self)
{
  g_return_val_if_fail (ATELIER_IS_TRAINING_PHOTO (self), NULL);
  return self->problem;
}

/**
 * atelier_training_photo_get_duplicate_of:
 * @self: a photo
 *
 * Returns: (transfer none) (nullable): the earlier photo, while it is alive
 */
AtelierTrainingPhoto *
atelier_training_photo_get_duplicate_of (AtelierTrainingPhoto *self)
{
  g_autoptr(AtelierTrainingPhoto) other = NULL;

  g_return_val_if_fail (ATELIER_IS_TRAINING_PHOTO (self), NULL);

  /* Transfer none: the list that set it holds both photos. */
  other = g_weak_ref_get (&self->duplicate_of);
  return other;
}

gboolean
atelier_training_photo_is_unusable (AtelierTrainingPhoto *self)
{
  g_return_val_if_fail (ATELIER_IS_TRAINING_PHOTO (self), FALSE);
  return (self->checks & ATELIER_PHOTO_CHECKS_UNUSABLE) != 0;
}

AtelierInspectionState
atelier_training_photo_get_inspection_state (AtelierTrainingPhoto *self)
{
  g_return_val_if_fail (ATELIER_IS_TRAINING_PHOTO (self), ATELIER_INSPECTION_STATE_NONE);
  return self->inspection_state;
}

AtelierInspection *
atelier_training_photo_get_inspection (AtelierTrainingPhoto *self)
{
  g_return_val_if_fail (ATELIER_IS_TRAINING_PHOTO (self), NULL);
  return self->inspection;
}

AtelierInspectionWarnings
atelier_training_photo_get_inspection_warnings (AtelierTrainingPhoto *self)
{
  g_return_val_if_fail (ATELIER_IS_TRAINING_PHOTO (self), 0);
  return self->inspection_warnings;
}

const char *
atelier_training_photo_get_inspection_error (AtelierTrainingPhoto *self)
{
  g_return_val_if_fail (ATELIER_IS_TRAINING_PHOTO (self), NULL);
  return self->inspection_error;
}

gboolean
atelier_training_photo_has_warnings (AtelierTrainingPhoto *self)
{
  g_return_val_if_fail (ATELIER_IS_TRAINING_PHOTO (self), FALSE);

  return (self->checks & ATELIER_PHOTO_CHECKS_WARNINGS) != 0 ||
         self->inspection_warnings != ATELIER_INSPECTION_WARNING_NONE;
}

static char *
format_megapixels (int width,
                   int height)
{
  /* Translators: a picture size in megapixels, e.g. "24.2 MP" */
  return g_strdup_printf (_("%.1f MP"), (double) width * height / 1e6);
}

char *
atelier_training_photo_explain_check (AtelierTrainingPhoto *self,
                                      AtelierPhotoChecks    check)
{
  AtelierTrainingPhoto *other;

  g_return_val_if_fail (ATELIER_IS_TRAINING_PHOTO (self), NULL);

  switch (check)
    {
    case ATELIER_PHOTO_CHECK_NOT_IMAGE:
    case ATELIER_PHOTO_CHECK_UNREADABLE:
      return g_strdup (self->problem != NULL ? self->problem : atelier_photo_check_describe (check));

    case ATELIER_PHOTO_CHECK_TOO_SMALL:
      /* Translators: the first two %d are a width and height in pixels, the last the minimum */
      return g_strdup_printf (_("%d × %d px: training needs photos at least %d px on the short side"),
                              self->width, self->height, ATELIER_PHOTO_MIN_SIDE);

    case ATELIER_PHOTO_CHECK_DUPLICATE:
      other = atelier_training_photo_get_duplicate_of (self);
      /* Translators: %s is the file name of another photo */
      return g_strdup_printf (_("The same file as “%s”: remove one of them"),
                              other != NULL ? other->display_name : "?");

    case ATELIER_PHOTO_CHECK_NEAR_DUPLICATE:
      other = atelier_training_photo_get_duplicate_of (self);
      /* Translators: %s is the file name of another photo */
      return g_strdup_printf (_("Almost the same picture as “%s”: varied photos train better"),
                              other != NULL ? other->display_name : "?");

    case ATELIER_PHOTO_CHECK_EXTREME_ASPECT:
      /* Translators: a width and a height in pixels */
      return g_strdup_printf (_("%d × %d px is very long and narrow: crop it around the subject"),
                              self->width, self->height);

    case ATELIER_PHOTO_CHECK_HUGE:
      {
        g_autofree char *bytes = g_format_size (self->size);
        g_autofree char *mp = format_megapixels (self->width, self->height);

        /* Translators: the first %s is a file size ("24 MB"), the second megapixels, %d a number of pixels */
        return g_strdup_printf (_("%s, %s: a copy at most %d px wide or high will be uploaded instead"),
                                bytes, mp, ATELIER_PHOTO_UPLOAD_MAX_SIDE);
      }

    case ATELIER_PHOTO_CHECK_NONE:
    default:
      return NULL;
    }
}

char *
atelier_training_photo_explain_warning (AtelierTrainingPhoto      *self,
                                        AtelierInspectionWarnings  warning,
                                        const char                *class_name)
{
  const char *detected;

  g_return_val_if_fail (ATELIER_IS_TRAINING_PHOTO (self), NULL);

  switch (warning)
    {
    case ATELIER_INSPECTION_WARNING_NO_CLASS:
      if (class_name != NULL && *class_name != '\0')
        /* Translators: %s is a class name such as "woman" or "dog" */
        return g_strdup_printf (_("No %s could be found in this photo"), class_name);
      return g_strdup (_("Nothing could be recognized in this photo"));

    case ATELIER_INSPECTION_WARNING_OTHER_CLASS:
      detected = self->inspection != NULL ? atelier_inspection_get_name (self->inspection) : NULL;
      /* Translators: both %s are class names, e.g. "This looks like a dog, not a woman" */
      return g_strdup_printf (_("This looks like a %s, not a %s"),
                              detected != NULL ? detected : "?", class_name != NULL ? class_name : "?");

    case ATELIER_INSPECTION_WARNING_FUNNY_FACE:
      return g_strdup (_("A pulled face: the tune may learn the expression"));
    case ATELIER_INSPECTION_WARNING_SUNGLASSES:
      return g_strdup (_("Sunglasses hide the eyes: use photos without them"));
    case ATELIER_INSPECTION_WARNING_HAT:
      return g_strdup (_("A hat hides the hair and the shape of the head"));
    case ATELIER_INSPECTION_WARNING_BLURRY:
      return g_strdup (_("The photo is out of focus or shaken"));
    case ATELIER_INSPECTION_WARNING_MULTIPLE_PEOPLE:
      return g_strdup (_("More than one person: the tune may mix them up"));
    case ATELIER_INSPECTION_WARNING_FULL_BODY:
      return g_strdup (_("The face is small in a full-body or long shot: add close-ups"));
    case ATELIER_INSPECTION_WARNING_SELFIE:
      return g_strdup (_("Selfies taken at arm’s length distort the face: add photos taken by someone else"));
    case ATELIER_INSPECTION_WARNING_NONE:
    default:
      return NULL;
    }
}

/* }}} */

/* {{{ Private setters */

void
_atelier_training_photo_set_preview (AtelierTrainingPhoto *self,
                                     GdkTexture           *preview)
{
  g_return_if_fail (ATELIER_IS_TRAINING_PHOTO (self));
  g_return_if_fail (preview == NULL || GDK_IS_TEXTURE (preview));

  /* The analysis' thumbnail is the real one. */
  if (self->analyzed || self->thumbnail != NULL)
    return;

  if (g_set_object (&self->thumbnail, preview))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THUMBNAIL]);
}

void
_atelier_training_photo_set_analysis (AtelierTrainingPhoto *self,
                                      AtelierPhotoAnalysis *analysis)
{
  AtelierPhotoChecks duplicates;

  g_return_if_fail (ATELIER_IS_TRAINING_PHOTO (self));
  g_return_if_fail (analysis != NULL);

  duplicates = self->checks & (ATELIER_PHOTO_CHECK_DUPLICATE | ATELIER_PHOTO_CHECK_NEAR_DUPLICATE);

  g_set_object (&self->thumbnail, analysis->thumbnail);
  self->width = analysis->width;
  self->height = analysis->height;
  self->size = analysis->size;
  self->dhash = analysis->dhash;
  self->ahash = analysis->ahash;
  g_free (self->problem);
  self->problem = g_strdup (analysis->problem);
  self->checks = analysis->checks | duplicates;
  self->analyzed = TRUE;

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THUMBNAIL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANALYZED]);
  g_object_thaw_notify (G_OBJECT (self));
}

void
_atelier_training_photo_set_checksum (AtelierTrainingPhoto *self,
                                      const char           *checksum)
{
  g_return_if_fail (ATELIER_IS_TRAINING_PHOTO (self));

  g_free (self->checksum);
  self->checksum = g_strdup (checksum);
}

gboolean
_atelier_training_photo_get_checksum_pending (AtelierTrainingPhoto *self)
{
  g_return_val_if_fail (ATELIER_IS_TRAINING_PHOTO (self), FALSE);
  return self->checksum_pending;
}

void
_atelier_training_photo_set_checksum_pending (AtelierTrainingPhoto *self,
                                              gboolean              pending)
{
  g_return_if_fail (ATELIER_IS_TRAINING_PHOTO (self));
  self->checksum_pending = pending;
}

void
_atelier_training_photo_set_duplicate (AtelierTrainingPhoto *self,
                                       AtelierPhotoChecks    duplicate_checks,
                                       AtelierTrainingPhoto *of)
{
  AtelierPhotoChecks mask = ATELIER_PHOTO_CHECK_DUPLICATE | ATELIER_PHOTO_CHECK_NEAR_DUPLICATE;
  AtelierPhotoChecks checks;
  g_autoptr(AtelierTrainingPhoto) old = NULL;

  g_return_if_fail (ATELIER_IS_TRAINING_PHOTO (self));

  checks = (self->checks & ~mask) | (duplicate_checks & mask);
  old = g_weak_ref_get (&self->duplicate_of);
  if (checks == self->checks && old == of)
    return;

  self->checks = checks;
  g_weak_ref_set (&self->duplicate_of, of);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKS]);
}

void
_atelier_training_photo_set_inspection (AtelierTrainingPhoto      *self,
                                        AtelierInspectionState     state,
                                        AtelierInspection         *inspection,
                                        AtelierInspectionWarnings  warnings,
                                        const char                *error)
{
  gboolean state_changed;
  gboolean warnings_changed;

  g_return_if_fail (ATELIER_IS_TRAINING_PHOTO (self));

  state_changed = self->inspection_state != state || g_strcmp0 (self->inspection_error, error) != 0;
  warnings_changed = self->inspection_warnings != warnings;

  self->inspection_state = state;
  g_set_object (&self->inspection, inspection);
  self->inspection_warnings = warnings;
  g_free (self->inspection_error);
  self->inspection_error = g_strdup (error);

  g_object_freeze_notify (G_OBJECT (self));
  if (state_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INSPECTION_STATE]);
  if (warnings_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INSPECTION_WARNINGS]);
  g_object_thaw_notify (G_OBJECT (self));
}

GCancellable *
_atelier_training_photo_get_cancellable (AtelierTrainingPhoto *self)
{
  g_return_val_if_fail (ATELIER_IS_TRAINING_PHOTO (self), NULL);
  return self->cancellable;
}

GCancellable *
_atelier_training_photo_get_inspect_cancellable (AtelierTrainingPhoto *self)
{
  g_return_val_if_fail (ATELIER_IS_TRAINING_PHOTO (self), NULL);
  return self->inspect_cancellable;
}

void
_atelier_training_photo_reset_inspect_cancellable (AtelierTrainingPhoto *self)
{
  g_return_if_fail (ATELIER_IS_TRAINING_PHOTO (self));

  g_cancellable_cancel (self->inspect_cancellable);
  g_clear_object (&self->inspect_cancellable);
  self->inspect_cancellable = g_cancellable_new ();
  /* Removing the photo stops its inspection too. */
  if (g_cancellable_is_cancelled (self->cancellable))
    g_cancellable_cancel (self->inspect_cancellable);
}

GBytes *
_atelier_training_photo_get_inspect_upload (AtelierTrainingPhoto *self)
{
  g_return_val_if_fail (ATELIER_IS_TRAINING_PHOTO (self), NULL);
  return self->inspect_upload;
}

void
_atelier_training_photo_set_inspect_upload (AtelierTrainingPhoto *self,
                                            GBytes               *bytes)
{
  g_return_if_fail (ATELIER_IS_TRAINING_PHOTO (self));

  if (bytes != NULL)
    g_bytes_ref (bytes);
  g_clear_pointer (&self->inspect_upload, g_bytes_unref);
  self->inspect_upload = bytes;
}

/* }}} */

/* {{{ GObject */

static void
atelier_training_photo_constructed (GObject *object)
{
  AtelierTrainingPhoto *self = ATELIER_TRAINING_PHOTO (object);
  g_autofree char *basename = NULL;

  G_OBJECT_CLASS (atelier_training_photo_parent_class)->constructed (object);

  g_assert (self->file != NULL);
  basename = g_file_get_basename (self->file);
  self->display_name = g_filename_display_name (basename != NULL ? basename : "?");
}

static void
atelier_training_photo_dispose (GObject *object)
{
  AtelierTrainingPhoto *self = ATELIER_TRAINING_PHOTO (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->inspect_cancellable);
  g_weak_ref_set (&self->duplicate_of, NULL);
  g_clear_object (&self->thumbnail);
  g_clear_object (&self->inspection);
  g_clear_pointer (&self->inspect_upload, g_bytes_unref);

  G_OBJECT_CLASS (atelier_training_photo_parent_class)->dispose (object);
}

static void
atelier_training_photo_finalize (GObject *object)
{
  AtelierTrainingPhoto *self = ATELIER_TRAINING_PHOTO (object);

  g_weak_ref_clear (&self->duplicate_of);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->inspect_cancellable);
  g_clear_object (&self->file);
  g_free (self->display_name);
  g_free (self->checksum);
  g_free (self->problem);
  g_free (self->inspection_error);

  G_OBJECT_CLASS (atelier_training_photo_parent_class)->finalize (object);
}

static void
atelier_training_photo_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  AtelierTrainingPhoto *self = ATELIER_TRAINING_PHOTO (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;
    case PROP_ANALYZED:
      g_value_set_boolean (value, self->analyzed);
      break;
    case PROP_THUMBNAIL:
      g_value_set_object (value, self->thumbnail);
      break;
    case PROP_CHECKS:
      g_value_set_uint (value, self->checks);
      break;
    case PROP_INSPECTION_STATE:
      g_value_set_int (value, self->inspection_state);
      break;
    case PROP_INSPECTION_WARNINGS:
      g_value_set_uint (value, self->inspection_warnings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_training_photo_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  AtelierTrainingPhoto *self = ATELIER_TRAINING_PHOTO (object);

  switch (prop_id)
    {
    case PROP_FILE:
      self->file = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_training_photo_class_init (AtelierTrainingPhotoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = atelier_training_photo_constructed;
  object_class->dispose = atelier_training_photo_dispose;
  object_class->finalize = atelier_training_photo_finalize;
  object_class->get_property = atelier_training_photo_get_property;
  object_class->set_property = atelier_training_photo_set_property;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ANALYZED] = _atelier_param_spec_flag ("analyzed", FALSE);
  properties[PROP_THUMBNAIL] =
    g_param_spec_object ("thumbnail", NULL, NULL, GDK_TYPE_TEXTURE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHECKS] = _atelier_param_spec_count ("checks");
  properties[PROP_INSPECTION_STATE] =
    g_param_spec_int ("inspection-state", NULL, NULL,
                      ATELIER_INSPECTION_STATE_NONE, ATELIER_INSPECTION_STATE_FAILED,
                      ATELIER_INSPECTION_STATE_NONE,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INSPECTION_WARNINGS] = _atelier_param_spec_count ("inspection-warnings");
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
atelier_training_photo_init (AtelierTrainingPhoto *self)
{
  g_weak_ref_init (&self->duplicate_of, NULL);
  self->cancellable = g_cancellable_new ();
  self->inspect_cancellable = g_cancellable_new ();
}

/* }}} */
