/* atelier-form.h: form fields and multipart bodies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* One form field: a text @value, or a file part from @file or from
 * @bytes (with @filename and @content_type). */
typedef struct
{
  char   *name;
  char   *value;
  GFile  *file;
  GBytes *bytes;
  char   *filename;
  char   *content_type;
} AtelierFormField;

AtelierFormField *atelier_form_field_new_text  (const char        *name,
                                                const char        *value);
AtelierFormField *atelier_form_field_new_file  (const char        *name,
                                                GFile             *file);
AtelierFormField *atelier_form_field_new_bytes (const char        *name,
                                                GBytes            *bytes,
                                                const char        *filename,
                                                const char        *content_type);
void              atelier_form_field_free      (AtelierFormField  *self);

/* Blocking: reads the files. Call from a worker thread.
 * Fails with ATELIER_API_ERROR_FILE naming the file. */
SoupMultipart    *atelier_form_build_multipart (GPtrArray         *fields,
                                                GCancellable      *cancellable,
                                                GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtelierFormField, atelier_form_field_free)

G_END_DECLS
