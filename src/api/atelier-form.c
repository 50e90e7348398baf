/* atelier-form.c: form fields and multipart bodies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-api-error.h"
#include "atelier-form.h"
#include "atelier-image-utils.h"

#define DEFAULT_CONTENT_TYPE "application/octet-stream"

static AtelierFormField *
form_field_new (const char *name)
{
  AtelierFormField *self = g_new0 (AtelierFormField, 1);

  self->name = g_strdup (name);

  return self;
}

AtelierFormField *
atelier_form_field_new_text (const char *name,
                             const char *value)
{
  AtelierFormField *self;

  g_return_val_if_fail (name != NULL, NULL);

  self = form_field_new (name);
  self->value = g_strdup (value != NULL ? value : "");

  return self;
}

/* The file is read by atelier_form_build_multipart(); its name and
 * content type are found then. */
AtelierFormField *
atelier_form_field_new_file (const char *name,
                             GFile      *file)
{
  AtelierFormField *self;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = form_field_new (name);
  self->file = g_object_ref (file);

  return self;
}

/* @filename NULL: "file"; @content_type NULL: guessed from both. */
AtelierFormField *
atelier_form_field_new_bytes (const char *name,
                              GBytes     *bytes,
                              const char *filename,
                              const char *content_type)
{
  AtelierFormField *self;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (bytes != NULL, NULL);

  self = form_field_new (name);
  self->bytes = g_bytes_ref (bytes);
  self->filename = g_strdup (filename);
  self->content_type = g_strdup (content_type);

  return self;
}

void
atelier_form_field_free (AtelierFormField *self)
{
  if (self == NULL)
    return;

  g_free (self->name);
  g_free (self->value);
  g_clear_object (&self->file);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_free (self->filename);
  g_free (self->content_type);
  g_free (self);
}

/* A MIME type for a part, from its name and first bytes. */
static char *
guess_mime_type (const char *filename,
                 GBytes     *bytes)
{
  g_autofree char *content_type = NULL;
  g_autofree char *mime_type = NULL;
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  const char *sniffed;

  content_type = g_content_type_guess (filename, data, size, NULL);
  if (content_type != NULL)
    mime_type = g_content_type_get_mime_type (content_type);

  if (mime_type != NULL && !g_str_equal (mime_type, DEFAULT_CONTENT_TYPE))
    return g_steal_pointer (&mime_type);

  sniffed = atelier_image_sniff_mime_type (data, size);

  return g_strdup (sniffed != NULL ? sniffed : DEFAULT_CONTENT_TYPE);
}

static void
append_part (SoupMultipart *multipart,
             const char    *name,
             GBytes        *bytes,
             const char    *filename,
             const char    *content_type)
{
  g_autofree char *guessed = NULL;

  if (content_type == NULL)
    content_type = guessed = guess_mime_type (filename, bytes);

  soup_multipart_append_form_file (multipart, name, filename, content_type, bytes);
}

/* Reads @file; a failure other than cancellation becomes
 * ATELIER_API_ERROR_FILE naming the file. */
static GBytes *
read_file (GFile         *file,
           const char    *basename,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display_name = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (g_file_load_contents (file, cancellable, &contents, &length, NULL, &local_error))
    return g_bytes_new_take (contents, length);

  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  display_name = g_filename_display_name (basename);
  g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_FILE,
               "Could not read “%s”: %s", display_name, local_error->message);

  return NULL;
}

/**
 * atelier_form_build_multipart:
 * @fields: (element-type AtelierFormField): the fields, in order
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * Blocking: reads the files, so call it from a worker thread. File parts
 * are named after the file's basename with a MIME type guessed from the
 * name and contents.
 *
 * Returns: (transfer full) (nullable): the body, or %NULL with
 *   %ATELIER_API_ERROR_FILE naming the file that could not be read (or
 *   %G_IO_ERROR_CANCELLED)
 */
SoupMultipart *
atelier_form_build_multipart (GPtrArray     *fields,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autoptr(SoupMultipart) multipart = NULL;

  g_return_val_if_fail (fields != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);

  for (guint i = 0; i < fields->len; i++)
    {
      const AtelierFormField *field = g_ptr_array_index (fields, i);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      if (field->file != NULL)
        {
          g_autofree char *basename = g_file_get_basename (field->file);
          g_autoptr(GBytes) bytes = NULL;

          if (basename == NULL)
            basename = g_strdup ("file");

          bytes = read_file (field->file, basename, cancellable, error);
          if (bytes == NULL)
            return NULL;

          append_part (multipart, field->name, bytes,
                       field->filename != NULL ? field->filename : basename,
                       field->content_type);
        }
      else if (field->bytes != NULL)
        {
          append_part (multipart, field->name, field->bytes,
                       field->filename != NULL ? field->filename : "file",
                       field->content_type);
        }
      else
        {
          soup_multipart_append_form_string (multipart, field->name,
                                             field->value != NULL ? field->value : "");
        }
    }

  return g_steal_pointer (&multipart);
}
