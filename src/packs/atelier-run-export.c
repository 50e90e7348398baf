/* atelier-run-export.c: a test run's matrix written to files
 *
 * Stages of a contact sheet:
 *   1. main thread: a snapshot of what to draw (texts, counts, states,
 *      the first image's URL per cell), so that the matrix may change
 *      meanwhile;
 *   2. main thread: the thumbnails through the image cache (decoded in
 *      its workers, at the cells' size so the window's disk cache serves
 *      them), all of them before drawing;
 *   3. worker thread: cairo draws on an image surface (PNG) or a PDF
 *      surface, pages of ROWS_PER_PAGE rows with the tunes' header on
 *      each, and streams it to the file (g_file_replace: the old file
 *      stays until the new one is complete).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <cairo-pdf.h>
#include <string.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "atelier-run-cell.h"
#include "atelier-run-export.h"

#define THUMB         ATELIER_RUN_CELL_SIZE
#define MARGIN        32
#define TITLE_HEIGHT  64
#define HEADER_HEIGHT 44
#define PROMPT_WIDTH  280
#define COLUMN_WIDTH  (THUMB + 16)
#define ROW_HEIGHT    (THUMB + 16)
#define FOOTER_HEIGHT 28
#define ROWS_PER_PAGE 12
/* Cairo's image surfaces end at 32767 pixels a side. */
#define MAX_PNG_SIDE  32000

typedef struct
{
  AtelierRunCellState  state;
  char                *url;
  char                *note;       /* why no image */
  guint                n_images;
  gboolean             liked;
  GdkTexture          *texture;
} SheetCell;

typedef struct
{
  char      *text;
  guint      n_likes;
  SheetCell *cells;
} SheetRow;

typedef struct
{
  AtelierRunExportFormat  format;
  GFile                  *file;
  char                   *title;
  char                   *subtitle;
  guint                   n_tunes;
  GStrv                   tune_headers;
  GPtrArray              *rows;        /* SheetRow */
  guint                   loading;
  char                   *csv;
  GError                 *write_error;
  GOutputStream          *out;
} Sheet;

static void
sheet_row_free (gpointer data)
{
  SheetRow *row = data;

  g_free (row->text);
  g_free (row->cells);
  g_free (row);
}

static void
sheet_free (Sheet *sheet)
{
  for (guint i = 0; sheet->rows != NULL && i < sheet->rows->len; i++)
    {
      SheetRow *row = g_ptr_array_index (sheet->rows, i);

      for (guint c = 0; c < sheet->n_tunes; c++)
        {
          g_free (row->cells[c].url);
          g_free (row->cells[c].note);
          g_clear_object (&row->cells[c].texture);
        }
    }
  g_clear_pointer (&sheet->rows, g_ptr_array_unref);
  g_clear_object (&sheet->file);
  g_clear_object (&sheet->out);
  g_free (sheet->title);
  g_free (sheet->subtitle);
  g_strfreev (sheet->tune_headers);
  g_free (sheet->csv);
  g_clear_error (&sheet->write_error);
  g_free (sheet);
}

/* {{{ Stage 1: the snapshot */

static char *
run_subtitle (AtelierRunMatrix *matrix)
{
  AtelierPackRun *run = atelier_run_matrix_get_run (matrix);
  g_autoptr(GDateTime) local = g_date_time_to_local (atelier_pack_run_get_started_at (run));
  g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M");
  guint n_likes = atelier_run_matrix_get_n_likes (matrix);
  g_autofree char *likes = g_strdup_printf (ngettext ("%u like", "%u likes", n_likes), n_likes);

  if (atelier_pack_run_get_kind (run) == ATELIER_PACK_RUN_THEME)
    /* Translators: the contact sheet's subtitle: when, likes */
    return g_strdup_printf (_("Theme run of %s · %s"), when, likes);
  /* Translators: the contact sheet's subtitle: when, likes */
  return g_strdup_printf (_("Pack run of %s · %s"), when, likes);
}

static Sheet *
snapshot (AtelierRunMatrix       *matrix,
          AtelierRunExportFormat  format,
          GFile                  *file)
{
  Sheet *sheet = g_new0 (Sheet, 1);
  GListModel *model = G_LIST_MODEL (matrix);

  sheet->format = format;
  sheet->file = g_object_ref (file);
  sheet->title = g_strdup (atelier_pack_run_get_title (atelier_run_matrix_get_run (matrix)));
  sheet->subtitle = run_subtitle (matrix);
  sheet->n_tunes = atelier_run_matrix_get_n_tunes (matrix);
  sheet->tune_headers = g_new0 (char *, sheet->n_tunes + 1);
  for (guint c = 0; c < sheet->n_tunes; c++)
    {
      guint n = atelier_run_matrix_get_tune_n_likes (matrix, c);
      const char *title = atelier_run_matrix_get_tune_title (matrix, c);

      if (atelier_run_matrix_get_tune_state (matrix, c) == ATELIER_RUN_TUNE_GONE)
        sheet->tune_headers[c] = g_strdup_printf (_("%s · deleted"), title);
      else
        sheet->tune_headers[c] = g_strdup_printf (ngettext ("%s · %u like", "%s · %u likes", n), title, n);
    }

  sheet->rows = g_ptr_array_new_with_free_func (sheet_row_free);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(AtelierRunRow) row = g_list_model_get_item (model, i);
      SheetRow *sheet_row = g_new0 (SheetRow, 1);

      sheet_row->text = g_strdup (atelier_run_row_get_text (row));
      sheet_row->n_likes = atelier_run_row_get_n_likes (row);
      sheet_row->cells = g_new0 (SheetCell, MAX (sheet->n_tunes, 1));
      for (guint c = 0; c < sheet->n_tunes; c++)
        {
          SheetCell *cell = &sheet_row->cells[c];
          AtelierPrompt *prompt = atelier_run_row_get_prompt (row, c);

          cell->state = atelier_run_row_get_state (row, c);
          cell->liked = atelier_run_row_is_liked (row, c);
          switch (cell->state)
            {
            case ATELIER_RUN_CELL_DONE:
              cell->n_images = atelier_prompt_get_n_images (prompt);
              cell->url = g_strdup (atelier_prompt_get_images (prompt)[0]);
              break;
            case ATELIER_RUN_CELL_PENDING:
              cell->note = g_strdup (_("Rendering"));
              break;
            case ATELIER_RUN_CELL_FAILED:
              cell->note = g_strdup_printf (_("Failed: %s"), atelier_prompt_get_user_error (prompt));
              break;
            case ATELIER_RUN_CELL_EMPTY:
            default:
              cell->note = g_strdup (atelier_run_matrix_get_tune_state (matrix, c) == ATELIER_RUN_TUNE_GONE
                                     ? _("Tune deleted") : _("No prompt"));
              break;
            }
        }
      g_ptr_array_add (sheet->rows, sheet_row);
    }

  return sheet;
}

/* }}} */

/* {{{ Stage 3: drawing */

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  Sheet *sheet = closure;

  if (sheet->write_error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!g_output_stream_write_all (sheet->out, data, length, NULL, NULL, &sheet->write_error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

static void
draw_text (cairo_t     *cr,
           const char  *text,
           double       x,
           double       y,
           double       width,
           int          lines,
           const char  *font,
           double       grey,
           gboolean     center)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *description = pango_font_description_from_string (font);

  pango_layout_set_font_description (layout, description);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_height (layout, -lines);
  pango_layout_set_alignment (layout, center ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
  /* Plain text: the service's words are never read as markup. */
  pango_layout_set_text (layout, text != NULL ? text : "", -1);

  cairo_set_source_rgb (cr, grey, grey, grey);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);

  pango_font_description_free (description);
  g_object_unref (layout);
}

static void
rounded_rect (cairo_t *cr,
              double   x,
              double   y,
              double   width,
              double   height,
              double   radius)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + width - radius, y + radius, radius, -G_PI / 2, 0);
  cairo_arc (cr, x + width - radius, y + height - radius, radius, 0, G_PI / 2);
  cairo_arc (cr, x + radius, y + height - radius, radius, G_PI / 2, G_PI);
  cairo_arc (cr, x + radius, y + radius, radius, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
draw_texture (cairo_t    *cr,
              GdkTexture *texture,
              double      x,
              double      y,
              double      side)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  double scale;

  /* GDK_MEMORY_DEFAULT is cairo's ARGB32. */
  gdk_texture_download (texture, cairo_image_surface_get_data (surface),
                        cairo_image_surface_get_stride (surface));
  cairo_surface_mark_dirty (surface);

  /* Cover the square, centred. */
  scale = side / MIN (width, height);
  cairo_save (cr);
  rounded_rect (cr, x, y, side, side, 8);
  cairo_clip (cr);
  cairo_translate (cr, x + (side - width * scale) / 2, y + (side - height * scale) / 2);
  cairo_scale (cr, scale, scale);
  cairo_set_source_surface (cr, surface, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
  cairo_paint (cr);
  cairo_restore (cr);
  cairo_surface_destroy (surface);
}

static void
draw_badge (cairo_t    *cr,
            const char *text,
            double      right,
            double      top,
            double      red)
{
  double width = 10 + 8 * g_utf8_strlen (text, -1);

  cairo_set_source_rgba (cr, red, 0, 0, 0.7);
  rounded_rect (cr, right - width, top, width, 22, 11);
  cairo_fill (cr);
  draw_text (cr, text, right - width, top + 3, width, 1, "Sans Bold 10", 1.0, TRUE);
}

static void
draw_cell (cairo_t   *cr,
           SheetCell *cell,
           double     x,
           double     y)
{
  cairo_set_source_rgb (cr, 0.93, 0.93, 0.93);
  rounded_rect (cr, x, y, THUMB, THUMB, 8);
  cairo_fill (cr);

  if (cell->texture != NULL)
    draw_texture (cr, cell->texture, x, y, THUMB);
  else if (cell->state == ATELIER_RUN_CELL_DONE)
    draw_text (cr, _("Image not available"), x + 8, y + THUMB / 2 - 8, THUMB - 16, 2, "Sans 10", 0.45, TRUE);
  else
    draw_text (cr, cell->note, x + 8, y + 24, THUMB - 16, 6, "Sans 10",
               cell->state == ATELIER_RUN_CELL_FAILED ? 0.55 : 0.45, TRUE);

  if (cell->n_images > 1)
    {
      char count[16];

      g_snprintf (count, sizeof count, "+%u", cell->n_images - 1);
      draw_badge (cr, count, x + THUMB - 6, y + 6, 0);
    }
  if (cell->liked)
    draw_badge (cr, "♥", x + THUMB - 6, y + THUMB - 28, 0.85);
}

static void
draw_header (Sheet   *sheet,
             cairo_t *cr,
             double   y)
{
  draw_text (cr, _("Prompt"), MARGIN, y + 4, PROMPT_WIDTH - 16, 1, "Sans Bold 10", 0.15, FALSE);
  for (guint c = 0; c < sheet->n_tunes; c++)
    draw_text (cr, sheet->tune_headers[c], MARGIN + PROMPT_WIDTH + c * COLUMN_WIDTH, y + 4,
               COLUMN_WIDTH - 16, 2, "Sans Bold 10", 0.15, FALSE);

  cairo_set_source_rgb (cr, 0.8, 0.8, 0.8);
  cairo_rectangle (cr, MARGIN, y + HEADER_HEIGHT - 2, PROMPT_WIDTH + sheet->n_tunes * COLUMN_WIDTH, 1);
  cairo_fill (cr);
}

/* Rows [@first, @first + @n) on one page (or the whole PNG). */
static void
draw_page (Sheet   *sheet,
           cairo_t *cr,
           guint    first,
           guint    n,
           guint    page,
           guint    n_pages)
{
  double y = MARGIN;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);

  draw_text (cr, sheet->title, MARGIN, y, PROMPT_WIDTH + sheet->n_tunes * COLUMN_WIDTH, 1, "Sans Bold 18", 0.1, FALSE);
  draw_text (cr, sheet->subtitle, MARGIN, y + 30, PROMPT_WIDTH + sheet->n_tunes * COLUMN_WIDTH, 1, "Sans 11", 0.4, FALSE);
  y += TITLE_HEIGHT;

  draw_header (sheet, cr, y);
  y += HEADER_HEIGHT;

  for (guint i = first; i < first + n; i++)
    {
      SheetRow *row = g_ptr_array_index (sheet->rows, i);
      g_autofree char *likes = g_strdup_printf (ngettext ("%u like", "%u likes", row->n_likes), row->n_likes);

      draw_text (cr, row->text, MARGIN, y + 8, PROMPT_WIDTH - 24, 7, "Sans 11", 0.1, FALSE);
      draw_text (cr, likes, MARGIN, y + ROW_HEIGHT - 30, PROMPT_WIDTH - 24, 1, "Sans 10", 0.4, FALSE);
      for (guint c = 0; c < sheet->n_tunes; c++)
        draw_cell (cr, &row->cells[c], MARGIN + PROMPT_WIDTH + c * COLUMN_WIDTH, y + 8);
      y += ROW_HEIGHT;
    }

  if (n_pages > 1)
    {
      /* Translators: the contact sheet's page number */
      g_autofree char *number = g_strdup_printf (_("Page %u of %u"), page + 1, n_pages);

      draw_text (cr, number, MARGIN, y + 6, 200, 1, "Sans 9", 0.5, FALSE);
    }
}

static double
sheet_width (Sheet *sheet)
{
  return 2 * MARGIN + PROMPT_WIDTH + sheet->n_tunes * COLUMN_WIDTH;
}

static double
sheet_height (guint n_rows)
{
  return 2 * MARGIN + TITLE_HEIGHT + HEADER_HEIGHT + n_rows * ROW_HEIGHT + FOOTER_HEIGHT;
}

/* How a write went: the stream's own error first, then cairo's. */
static gboolean
write_finish (Sheet           *sheet,
              cairo_status_t   status,
              GError         **error)
{  if (sheet->write_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&sheet->write_error));
      return FALSE;
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not draw the contact sheet: %s"),
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_png (Sheet         *sheet,
           GError       **error)
{
  double height = sheet_height (sheet->rows->len);
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  if (height > MAX_PNG_SIDE || sheet_width (sheet) > MAX_PNG_SIDE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("The run is too large for one picture: export it as PDF"));
      return FALSE;
    }

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) sheet_width (sheet), (int) height);
  cr = cairo_create (surface);
  draw_page (sheet, cr, 0, sheet->rows->len, 0, 1);
  cairo_destroy (cr);
  status = cairo_surface_write_to_png_stream (surface, write_cb, sheet);
  cairo_surface_destroy (surface);

  return write_finish (sheet, status, error);
}

static gboolean
write_pdf (Sheet   *sheet,
           GError **error)
{
  guint n_pages = MAX ((sheet->rows->len + ROWS_PER_PAGE - 1) / ROWS_PER_PAGE, 1);
  guint per_page = MIN (sheet->rows->len, ROWS_PER_PAGE);
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  surface = cairo_pdf_surface_create_for_stream (write_cb, sheet, sheet_width (sheet), sheet_height (per_page));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, sheet->title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Atelier");
  cr = cairo_create (surface);
  for (guint page = 0; page < n_pages; page++)
    {
      guint first = page * ROWS_PER_PAGE;

      draw_page (sheet, cr, first, MIN (ROWS_PER_PAGE, sheet->rows->len - MIN (first, sheet->rows->len)),
                 page, n_pages);
      cairo_show_page (cr);
    }
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  return write_finish (sheet, status, error);
}

static void
draw_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Sheet *sheet = task_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  sheet->out = G_OUTPUT_STREAM (g_file_replace (sheet->file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                                cancellable, &error));
  if (sheet->out == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (sheet->format == ATELIER_RUN_EXPORT_PDF)
    ok = write_pdf (sheet, &error);
  else
    ok = write_png (sheet, &error);

  if (!ok)
    {
      /* Closed cancelled: the half-written file is dropped, the old one stays. */
      g_autoptr(GCancellable) drop = g_cancellable_new ();

      g_cancellable_cancel (drop);
      g_output_stream_close (sheet->out, drop, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!g_output_stream_close (sheet->out, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/* }}} */

/* {{{ Stage 2: the thumbnails */

typedef struct
{
  GTask     *task;   /* (owned) */
  SheetCell *cell;
} Load;

static void
loads_done (GTask *task)
{
  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_run_in_thread (task, draw_thread);
}

static void
thumbnail_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autofree Load *load = user_data;
  g_autoptr(GTask) task = load->task;
  Sheet *sheet = g_task_get_task_data (task);

  /* A thumbnail that cannot be had is drawn as such; a cancellation
   * ends the export when all loads are back. */
  load->cell->texture = atelier_image_cache_load_finish (ATELIER_IMAGE_CACHE (source), result, NULL);

  if (--sheet->loading == 0)
    loads_done (task);
}

/* }}} */

/* {{{ CSV */

static void
csv_written_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* }}} */

void
atelier_run_export_async (AtelierRunMatrix       *matrix,
                          AtelierImageCache      *cache,
                          AtelierRunExportFormat  format,
                          GFile                  *file,
                          GCancellable           *cancellable,
                          GAsyncReadyCallback     callback,
                          gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  Sheet *sheet;

  g_return_if_fail (ATELIER_IS_RUN_MATRIX (matrix));
  g_return_if_fail (cache == NULL || ATELIER_IS_IMAGE_CACHE (cache));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, atelier_run_export_async);

  if (format == ATELIER_RUN_EXPORT_CSV)
    {
      sheet = g_new0 (Sheet, 1);
      sheet->csv = atelier_run_matrix_dup_csv (matrix);
      g_task_set_task_data (task, sheet, (GDestroyNotify) sheet_free);
      /* Written in GIO's worker thread. */
      g_file_replace_contents_async (file, sheet->csv, strlen (sheet->csv), NULL, FALSE,
                                     G_FILE_CREATE_REPLACE_DESTINATION, cancellable,
                                     csv_written_cb, g_steal_pointer (&task));
      return;
    }

  sheet = snapshot (matrix, format, file);
  g_task_set_task_data (task, sheet, (GDestroyNotify) sheet_free);

  /* Every thumbnail first; one extra count so that none finishes early. */
  sheet->loading = 1;
  for (guint i = 0; cache != NULL && i < sheet->rows->len; i++)
    {
      SheetRow *row = g_ptr_array_index (sheet->rows, i);

      for (guint c = 0; c < sheet->n_tunes; c++)
        {
          Load *load;

          if (row->cells[c].url == NULL)
            continue;
          load = g_new0 (Load, 1);
          load->task = g_object_ref (task);
          load->cell = &row->cells[c];
          sheet->loading++;
          atelier_image_cache_load_async (cache, row->cells[c].url, THUMB, cancellable, thumbnail_cb, load);
        }
    }

  if (--sheet->loading == 0)
    loads_done (task);
}

gboolean
atelier_run_export_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == atelier_run_export_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

char *
atelier_run_export_suggest_name (AtelierRunMatrix       *matrix,
                                 AtelierRunExportFormat  format)
{
  const char *title = atelier_pack_run_get_title (atelier_run_matrix_get_run (matrix));
  g_autofree char *safe = g_strdup (title != NULL && title[0] != '\0' ? title : _("Test run"));

  /* No folders in a file name. */
  g_strdelimit (safe, "/\\", '-');

  switch (format)
    {
    case ATELIER_RUN_EXPORT_PDF:
      /* Translators: a file name */
      return g_strdup_printf (_("%s – contact sheet.pdf"), safe);
    case ATELIER_RUN_EXPORT_CSV:
      /* Translators: a file name */
      return g_strdup_printf (_("%s – likes.csv"), safe);
    case ATELIER_RUN_EXPORT_PNG:
    default:
      /* Translators: a file name */
      return g_strdup_printf (_("%s – contact sheet.png"), safe);
    }
}
