/* atelier-run-export.h: a test run's matrix written to files
 *
 * The contact sheet, drawn with cairo as PNG or PDF: the run's title and
 * start, the tunes across (with their likes), the rows shown down (the
 * pack prompt's text and its likes), in each cell the thumbnail of the
 * prompt's first image with its like and image count, or why there is
 * none. The thumbnails come through the image cache (downloads at most
 * once, shared with the window); drawing and writing run in a worker
 * thread.
 *
 * The CSV of likes per pack prompt: atelier_run_matrix_dup_csv(), written
 * asynchronously.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "atelier-image-cache.h"
#include "atelier-run-matrix.h"

G_BEGIN_DECLS

typedef enum
{
  ATELIER_RUN_EXPORT_PNG,
  ATELIER_RUN_EXPORT_PDF,
  ATELIER_RUN_EXPORT_CSV,
} AtelierRunExportFormat;

/* The rows @matrix shows now, in their order (the CSV: every row). */
void     atelier_run_export_async  (AtelierRunMatrix       *matrix,
                                    AtelierImageCache      *cache,
                                    AtelierRunExportFormat  format,
                                    GFile                  *file,
                                    GCancellable           *cancellable,
                                    GAsyncReadyCallback     callback,
                                    gpointer                user_data);
gboolean atelier_run_export_finish (GAsyncResult           *result,
                                    GError                **error);

/* "Corporate headshots – contact sheet.png" and so on. (transfer full) */
char    *atelier_run_export_suggest_name (AtelierRunMatrix       *matrix,
                                          AtelierRunExportFormat  format);

G_END_DECLS
