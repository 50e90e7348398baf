/* test-picker.c: the training-photo picker against the sandbox
 *
 * The real picker widget in a window, photos added the way the file
 * chooser and a drop add them, local checks on real files of several
 * formats (and files that are not what they say), inspections through the
 * sandbox's /images/inspect over HTTP, including a class mismatch, a
 * failed inspection and its retry, a class change, and the aggregated
 * characteristics.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atelier-photo-tile.h"
#include "atelier-picker.h"
#include "atelier-test-utils.h"
#include "atelier-ui-test-utils.h"

#define WAIT_MS 60000   /* generous: a loaded machine, software rendering */

static AtelierSandboxServer *server;
static AtelierAstriaClient *client;
static char *dir;

typedef struct
{
  GtkWindow     *window;
  AtelierPicker *picker;
  AtelierPhotoList *list;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1000, 800);
  f->picker = ATELIER_PICKER (atelier_picker_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->picker));
  f->list = atelier_picker_get_photo_list (f->picker);
  atelier_photo_list_set_client (f->list, client);
  atelier_photo_list_set_class_name (f->list, "woman");
  gtk_window_present (f->window);

  atelier_sandbox_server_clear_faults (server);
  atelier_sandbox_server_clear_requests (server);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gpointer window = f->window;

  /* Gone, with its picker and the inspections it cancels. */
  g_object_add_weak_pointer (window, &window);
  gtk_window_destroy (f->window);
  atelier_test_wait_until (window == NULL, WAIT_MS);
}

/* {{{ Helpers */

static GFile *
write_pixbuf (const char *name,
              GdkPixbuf  *pixbuf)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_save (pixbuf, path, g_str_has_suffix (name, ".png") ? "png" : "jpeg", &error, NULL);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

/* A checkered picture of two colours (sharp, so not "blurry"). */
static GFile *
write_checker (const char *name,
               int         width,
               int         height,
               guint32     a,
               guint32     b)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 c = ((x / 8) + (y / 8)) % 2 ? a : b;
        guint8 *p = pixels + y * stride + x * 3;

        p[0] = c >> 16;
        p[1] = (c >> 8) & 0xff;
        p[2] = c & 0xff;
      }

  return write_pixbuf (name, pixbuf);
}

static GFile *
write_bytes (const char   *name,
             const void   *data,
             gsize         size)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, (gssize) size, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static void
add (Fixture *f,
     ...)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  va_list args;
  GFile *file;

  va_start (args, f);
  while ((file = va_arg (args, GFile *)) != NULL)
    g_ptr_array_add (files, file);
  va_end (args);

  atelier_picker_add_files (f->picker, files);
}

static gboolean
list_idle (AtelierPhotoList *list)
{
  return atelier_photo_list_get_n_analyzing (list) == 0 &&
         atelier_photo_list_get_n_inspecting (list) == 0;
}

static AtelierTrainingPhoto *
find_photo (Fixture    *f,
            const char *name)
{
  for (guint i = 0; i < atelier_photo_list_get_n_photos (f->list); i++)
    {
      AtelierTrainingPhoto *photo = atelier_photo_list_get_photo (f->list, i);

      if (g_str_equal (atelier_training_photo_get_display_name (photo), name))
        return photo;
    }

  g_error ("No photo “%s” in the picker", name);
  return NULL;
}

/* The badges the photo's tile shows, joined with "|". */
static char *
badges (Fixture    *f,
        const char *name)
{
  GtkWidget *tile = atelier_picker_get_tile (f->picker, find_photo (f, name));
  g_auto(GStrv) texts = NULL;

  g_assert_nonnull (tile);
  texts = atelier_photo_tile_dup_badges (ATELIER_PHOTO_TILE (tile));
  return g_strjoinv ("|", texts);
}

static void
assert_badges (Fixture    *f,
               const char *name,
               const char *expected)
{
  g_autofree char *shown = badges (f, name);

  if (!g_str_equal (shown, expected))
    g_error ("%s shows “%s”, expected “%s”", name, shown, expected);
}

/* The tooltip of the badge reading @text on @name's tile. */
static const char *
badge_tooltip (Fixture    *f,
               const char *name,
               const char *text)
{
  GtkWidget *tile = atelier_picker_get_tile (f->picker, find_photo (f, name));
  GtkWidget *label = atelier_ui_find_labelled (tile, GTK_TYPE_LABEL, text);

  g_assert_nonnull (label);
  return gtk_widget_get_tooltip_text (gtk_widget_get_parent (label));
}

static GtkWidget *
find_by_tooltip (GtkWidget  *root,
                 const char *tooltip)
{
  if (g_strcmp0 (gtk_widget_get_tooltip_text (root), tooltip) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_tooltip (child, tooltip);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* }}} */

/* Real files of several formats, and the files that are not what they
 * seem; each with the warning it deserves, and nothing else. */
static void
test_local_checks (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GBytes) jpeg = atelier_test_make_image (900, 700, 3, "jpeg");
  static const char text[] = "Shopping list\n- milk\n- bread\n- a camera that works\n";
  static const guint8 fake_webp[] = "RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00not really a picture at all";
  const char *problem;
  gsize size;
  const guint8 *bytes = g_bytes_get_data (jpeg, &size);

  add (f,
       atelier_test_write_image (dir, "portrait.jpg", 900, 700, 3, "jpeg"),
       atelier_test_write_image (dir, "studio.png", 700, 700, 5, "png"),
       write_bytes ("portrait-copy.jpg", bytes, size),
       atelier_test_write_image (dir, "portrait-large.jpg", 1800, 1400, 3, "jpeg"),
       write_bytes ("cut-off.jpg", bytes, size * 6 / 10),
       write_bytes ("notes.jpg", text, sizeof text - 1),
       write_bytes ("phone.webp", fake_webp, sizeof fake_webp - 1),
       atelier_test_write_image (dir, "tiny.jpg", 160, 120, 7, "jpeg"),
       atelier_test_write_image (dir, "panorama.jpg", 1800, 600, 9, "jpeg"),
       NULL);

  g_assert_cmpuint (atelier_photo_list_get_n_photos (f->list), ==, 9);
  atelier_test_wait_until (list_idle (f->list), WAIT_MS);
  atelier_ui_save_screenshot (f->window, "picker-local-checks");

  /* Decoded, no local warning, inspected without one. */
  assert_badges (f, "portrait.jpg", "");
  assert_badges (f, "studio.png", "");
  g_assert_nonnull (atelier_training_photo_get_thumbnail (find_photo (f, "studio.png")));
  g_assert_cmpint (atelier_training_photo_get_width (find_photo (f, "studio.png")), ==, 700);
  g_assert_cmpint (atelier_training_photo_get_inspection_state (find_photo (f, "studio.png")), ==,
                   ATELIER_INSPECTION_STATE_DONE);

  /* The same bytes; the same picture larger. */
  assert_badges (f, "portrait-copy.jpg", "Duplicate");
  g_assert_true (atelier_training_photo_get_duplicate_of (find_photo (f, "portrait-copy.jpg")) ==
                 find_photo (f, "portrait.jpg"));
  g_assert_cmpstr (badge_tooltip (f, "portrait-copy.jpg", "Duplicate"), ==,
                   "The same file as “portrait.jpg”: remove one of them");
  assert_badges (f, "portrait-large.jpg", "Near duplicate");
  g_assert_cmpstr (badge_tooltip (f, "portrait-large.jpg", "Near duplicate"), ==,
                   "Almost the same picture as “portrait.jpg”: varied photos train better");

  /* Cannot be used: named, with the reason; never inspected. */
  assert_badges (f, "cut-off.jpg", "Cannot be decoded");
  problem = atelier_training_photo_get_problem (find_photo (f, "cut-off.jpg"));
  g_assert_cmpstr (problem, ==, "“cut-off.jpg” is damaged or incomplete and cannot be decoded");
  g_assert_cmpstr (badge_tooltip (f, "cut-off.jpg", "Cannot be decoded"), ==, problem);
  assert_badges (f, "notes.jpg", "Not an image");
  g_assert_cmpstr (atelier_training_photo_get_problem (find_photo (f, "notes.jpg")), ==,
                   "“notes.jpg” is not an image file");
  g_assert_null (atelier_training_photo_get_thumbnail (find_photo (f, "notes.jpg")));
  g_assert_cmpint (atelier_training_photo_get_inspection_state (find_photo (f, "notes.jpg")), ==,
                   ATELIER_INSPECTION_STATE_NONE);
  assert_badges (f, "phone.webp", "Cannot be decoded");
  g_assert_cmpstr (atelier_training_photo_get_problem (find_photo (f, "phone.webp")), ==,
                   "“phone.webp” is a WebP image, a format that cannot be read here: convert it to JPEG");

  /* Small; extreme (which the service also sees as several people). */
  assert_badges (f, "tiny.jpg", "Too small");
  g_assert_cmpstr (badge_tooltip (f, "tiny.jpg", "Too small"), ==,
                   "160 × 120 px: training needs photos at least 512 px on the short side");
  assert_badges (f, "panorama.jpg", "Extreme aspect ratio|Several people");

  g_assert_cmpuint (atelier_photo_list_get_n_unusable (f->list), ==, 3);
  g_assert_cmpstr (atelier_photo_list_get_summary (f->list), ==, "9 photos · 7 with warnings");
  g_assert_true (atelier_ui_shows_text (GTK_WIDGET (f->picker), "9 photos · 7 with warnings"));

  /* Only the usable photos went to /images/inspect. */
  g_assert_cmpuint (atelier_sandbox_server_count_requests (server, "POST", "/images/inspect"), ==, 6);

  /* Removing the original: the copy is the original now. */
  atelier_photo_list_remove (f->list, find_photo (f, "portrait.jpg"));
  assert_badges (f, "portrait-copy.jpg", "");
  assert_badges (f, "portrait-large.jpg", "Near duplicate");
  g_assert_true (atelier_training_photo_get_duplicate_of (find_photo (f, "portrait-large.jpg")) ==
                 find_photo (f, "portrait-copy.jpg"));
  g_assert_cmpstr (atelier_photo_list_get_summary (f->list), ==, "8 photos · 6 with warnings");

  /* Adding a file again adds nothing. */
  add (f, atelier_test_write_image (dir, "studio.png", 700, 700, 5, "png"), NULL);
  g_assert_cmpuint (atelier_photo_list_get_n_photos (f->list), ==, 8);
}

/* A WebP file, when gdk-pixbuf has a loader for it. */
static void
test_webp (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 640, 640);
  g_autofree char *path = g_build_filename (dir, "real.webp", NULL);
  g_autoptr(GFile) file = NULL;
  GSList *formats = gdk_pixbuf_get_formats ();
  gboolean writable = FALSE;

  for (GSList *l = formats; l != NULL; l = l->next)
    {
      g_autofree char *name = gdk_pixbuf_format_get_name (l->data);

      if (g_str_equal (name, "webp") && gdk_pixbuf_format_is_writable (l->data))
        writable = TRUE;
    }
  g_slist_free (formats);

  if (!writable)
    {
      g_test_skip ("No WebP loader for gdk-pixbuf here (webp-pixbuf-loader)");
      return;
    }

  gdk_pixbuf_fill (pixbuf, 0x8090a0ff);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "webp", NULL, NULL));
  file = g_file_new_for_path (path);
  add (f, g_object_ref (file), NULL);
  atelier_test_wait_until (list_idle (f->list), WAIT_MS);
  g_assert_nonnull (atelier_training_photo_get_thumbnail (find_photo (f, "real.webp")));
  g_assert_false (atelier_training_photo_is_unusable (find_photo (f, "real.webp")));
}

/* Each inspection warning the sandbox can be made to give, in words on
 * the thumbnail; uploads at most 512 px. */
static void
test_inspection (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) requests = NULL;
  guint checked = 0;

  AtelierSandboxFault slow = {
    .method = "POST",
    .path = "/images/inspect",
    .kind = ATELIER_SANDBOX_FAULT_DELAY,
    .delay_ms = 1500,
    .times = 1,
  };

  /* The first inspection takes a while: its spinner shows meanwhile. */
  atelier_sandbox_server_add_fault (server, &slow);
  add (f,
       atelier_test_write_image (dir, "big.jpg", 2400, 1800, 11, "jpeg"),
       write_checker ("lawn.jpg", 800, 600, 0x28c828, 0x3ce63c),
       write_checker ("night.jpg", 800, 600, 0x050505, 0x141414),
       write_checker ("tall.jpg", 600, 1200, 0x808080, 0xa0a0a0),
       NULL);
  atelier_test_wait_until (atelier_training_photo_get_inspection_state (find_photo (f, "big.jpg")) ==
                           ATELIER_INSPECTION_STATE_RUNNING, WAIT_MS);
  {
    GtkWidget *spinner = find_by_tooltip (atelier_picker_get_tile (f->picker, find_photo (f, "big.jpg")),
                                          "Inspecting the photo");

    g_assert_true (GTK_IS_SPINNER (spinner));
    g_assert_true (atelier_ui_is_shown (spinner));
    g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));
  }
  atelier_ui_save_screenshot (f->window, "picker-inspecting");
  atelier_test_wait_until (list_idle (f->list), WAIT_MS);
  atelier_ui_save_screenshot (f->window, "picker-inspection");

  assert_badges (f, "big.jpg", "");
  assert_badges (f, "lawn.jpg", "Another class was detected");
  g_assert_cmpstr (badge_tooltip (f, "lawn.jpg", "Another class was detected"), ==,
                   "This looks like a dog, not a woman");
  assert_badges (f, "night.jpg", "Could not detect the class");
  g_assert_cmpstr (badge_tooltip (f, "night.jpg", "Could not detect the class"), ==,
                   "No woman could be found in this photo");
  assert_badges (f, "tall.jpg", "Full body or long shot");
  g_assert_cmpstr (atelier_photo_list_get_summary (f->list), ==, "4 photos · 3 with warnings");

  /* What was sent: the class, and a JPEG no larger than 512 px. */
  requests = atelier_sandbox_server_dup_requests (server);
  for (guint i = 0; i < requests->len; i++)
    {
      AtelierSandboxRequest *request = g_ptr_array_index (requests, i);
      g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_mime_type ("image/jpeg", NULL);
      AtelierSandboxFile *part;
      GdkPixbuf *pixbuf;

      if (!g_str_equal (atelier_sandbox_request_get_path (request), "/images/inspect"))
        continue;

      g_assert_cmpstr (atelier_sandbox_request_get_field (request, "name"), ==, "woman");
      g_assert_cmpuint (atelier_sandbox_request_count_files (request, "file"), ==, 1);
      part = g_ptr_array_index (atelier_sandbox_request_get_files (request), 0);
      g_assert_true (gdk_pixbuf_loader_write_bytes (loader, part->data, NULL));
      g_assert_true (gdk_pixbuf_loader_close (loader, NULL));
      pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
      g_assert_cmpint (MAX (gdk_pixbuf_get_width (pixbuf), gdk_pixbuf_get_height (pixbuf)), <=, 512);
      checked++;
    }
  g_assert_cmpuint (checked, ==, 4);
}

static guint
count_state (Fixture                *f,
             AtelierInspectionState  state)
{
  guint n = 0;

  for (guint i = 0; i < atelier_photo_list_get_n_photos (f->list); i++)
    if (atelier_training_photo_get_inspection_state (atelier_photo_list_get_photo (f->list, i)) == state)
      n++;

  return n;
}

/* At most three inspections at a time; removing a photo stops its own. */
static void
test_bounded_inspections (Fixture       *f,
                          gconstpointer  data)
{
  AtelierSandboxFault slow = {
    .method = "POST",
    .path = "/images/inspect",
    .kind = ATELIER_SANDBOX_FAULT_DELAY,
    .delay_ms = 800,
    .times = 0,
  };
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  guint most = 0;

  atelier_sandbox_server_add_fault (server, &slow);
  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *name = g_strdup_printf ("many-%u.jpg", i);
      g_ptr_array_add (files, atelier_test_write_image (dir, name, 640, 640, 100 + i * 13, "jpeg"));
    }
  atelier_picker_add_files (f->picker, files);

  atelier_test_wait_until (count_state (f, ATELIER_INSPECTION_STATE_RUNNING) > 0, WAIT_MS);
  atelier_photo_list_remove (f->list, find_photo (f, "many-0.jpg"));
  while (!list_idle (f->list))
    {
      most = MAX (most, count_state (f, ATELIER_INSPECTION_STATE_RUNNING));
      g_main_context_iteration (NULL, TRUE);
    }
  atelier_sandbox_server_clear_faults (server);

  g_assert_cmpuint (most, ==, ATELIER_PHOTO_LIST_MAX_INSPECTIONS);
  g_assert_cmpuint (count_state (f, ATELIER_INSPECTION_STATE_DONE), ==, 6);
  g_assert_cmpuint (atelier_photo_list_get_n_photos (f->list), ==, 6);
}

/* A failed inspection says why, offers a retry, blocks nothing; the retry
 * succeeds. */
static void
test_inspection_failure (Fixture       *f,
                         gconstpointer  data)
{
  AtelierSandboxFault fault = {
    .method = "POST",
    .path = "/images/inspect",
    .kind = ATELIER_SANDBOX_FAULT_STATUS,
    .status = 422,
    .body = "{\"file\": [\"could not be processed\"]}",
    .times = 1,
  };
  AtelierTrainingPhoto *photo;
  GtkWidget *tile;
  GtkWidget *retry;

  atelier_sandbox_server_add_fault (server, &fault);
  add (f, atelier_test_write_image (dir, "first.jpg", 800, 600, 21, "jpeg"), NULL);
  atelier_test_wait_until (list_idle (f->list), WAIT_MS);

  photo = find_photo (f, "first.jpg");
  g_assert_cmpint (atelier_training_photo_get_inspection_state (photo), ==, ATELIER_INSPECTION_STATE_FAILED);
  g_assert_cmpstr (atelier_training_photo_get_inspection_error (photo), ==,
                   "The server did not accept some of the values");
  assert_badges (f, "first.jpg", "Inspection failed");
  g_assert_cmpstr (badge_tooltip (f, "first.jpg", "Inspection failed"), ==,
                   "The photo could not be inspected: The server did not accept some of the values");
  g_assert_cmpuint (atelier_photo_list_get_n_failed (f->list), ==, 1);
  g_assert_true (atelier_ui_is_shown (atelier_ui_find_labelled (GTK_WIDGET (f->picker), GTK_TYPE_BUTTON, "Retry Failed")));
  /* The photo itself is fine: it will be uploaded. */
  g_assert_false (atelier_training_photo_is_unusable (photo));
  atelier_ui_save_screenshot (f->window, "picker-inspection-failed");

  tile = atelier_picker_get_tile (f->picker, photo);
  retry = find_by_tooltip (tile, "Inspect Again");
  g_assert_true (GTK_IS_BUTTON (retry));

  gtk_widget_activate (retry);
  atelier_test_wait_until (atelier_training_photo_get_inspection_state (photo) == ATELIER_INSPECTION_STATE_DONE,
                           WAIT_MS);
  assert_badges (f, "first.jpg", "");
  g_assert_cmpuint (atelier_photo_list_get_n_failed (f->list), ==, 0);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (server, "POST", "/images/inspect"), ==, 2);
}

/* Changing the class inspects every photo again, for the new class. */
static void
test_class_change (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(AtelierSandboxRequest) last = NULL;

  add (f,
       atelier_test_write_image (dir, "rex.jpg", 800, 600, 31, "jpeg"),
       write_checker ("grass.jpg", 800, 600, 0x28c828, 0x3ce63c),
       NULL);
  atelier_test_wait_until (list_idle (f->list), WAIT_MS);
  assert_badges (f, "grass.jpg", "Another class was detected");
  g_assert_cmpuint (atelier_sandbox_server_count_requests (server, "POST", "/images/inspect"), ==, 2);

  atelier_photo_list_set_class_name (f->list, "dog");
  g_assert_cmpuint (atelier_photo_list_get_n_inspecting (f->list), ==, 2);
  atelier_test_wait_until (list_idle (f->list), WAIT_MS);

  g_assert_cmpuint (atelier_sandbox_server_count_requests (server, "POST", "/images/inspect"), ==, 4);
  last = atelier_sandbox_server_dup_last_request (server, "POST", "/images/inspect");
  g_assert_cmpstr (atelier_sandbox_request_get_field (last, "name"), ==, "dog");
  assert_badges (f, "rex.jpg", "");
  g_assert_cmpstr (badge_tooltip (f, "grass.jpg", "Another class was detected"), ==,
                   "This looks like a man, not a dog");

  /* A style is not inspected at all. */
  atelier_photo_list_set_class_name (f->list, "style");
  atelier_test_wait_until (list_idle (f->list), WAIT_MS);
  g_assert_cmpuint (atelier_sandbox_server_count_requests (server, "POST", "/images/inspect"), ==, 4);
  assert_badges (f, "grass.jpg", "");
}

/* The most common value of each characteristic. */
static void
test_aggregation (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GHashTable) aggregated = NULL;
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *keys[] = { "eye_color", "hair_color", "age", "ethnicity", "hair_length" };

  /* Three alike (grey), one different (blue-ish): the grey ones win. */
  add (f,
       write_checker ("one.jpg", 640, 640, 0x707070, 0x909090),
       write_checker ("two.jpg", 640, 660, 0x707070, 0x909090),
       write_checker ("three.jpg", 660, 640, 0x727272, 0x929292),
       write_checker ("four.jpg", 640, 680, 0x203070, 0x4060d0),
       NULL);
  atelier_test_wait_until (list_idle (f->list), WAIT_MS);

  aggregated = atelier_photo_list_aggregate_characteristics (f->list);
  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      const char *best = NULL;
      guint best_count = 0;

      g_hash_table_remove_all (counts);
      for (guint i = 0; i < atelier_photo_list_get_n_photos (f->list); i++)
        {
          AtelierInspection *inspection = atelier_training_photo_get_inspection (atelier_photo_list_get_photo (f->list, i));
          const char *value;
          guint count;

          g_assert_nonnull (inspection);
          value = atelier_inspection_get_attribute (inspection, keys[k]);
          if (value == NULL)
            continue;
          count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, value)) + 1;
          g_hash_table_replace (counts, g_strdup (value), GUINT_TO_POINTER (count));
          if (count > best_count)
            {
              best = value;
              best_count = count;
            }
        }

      g_assert_cmpuint (best_count, >=, 3);
      g_assert_cmpstr (g_hash_table_lookup (aggregated, keys[k]), ==, best);
    }

  /* The blue one disagrees somewhere, or the test proves nothing. */
  {
    AtelierInspection *grey = atelier_training_photo_get_inspection (find_photo (f, "one.jpg"));
    AtelierInspection *blue = atelier_training_photo_get_inspection (find_photo (f, "four.jpg"));
    gboolean differs = FALSE;

    for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
      differs |= g_strcmp0 (atelier_inspection_get_attribute (grey, keys[k]),
                            atelier_inspection_get_attribute (blue, keys[k])) != 0;
    g_assert_true (differs);
  }

  /* Removing photos changes the majority's support, not the answer. */
  atelier_photo_list_remove (f->list, find_photo (f, "four.jpg"));
  g_clear_pointer (&aggregated, g_hash_table_unref);
  aggregated = atelier_photo_list_aggregate_characteristics (f->list);
  g_assert_cmpstr (g_hash_table_lookup (aggregated, "eye_color"), ==,
                   atelier_inspection_get_attribute (atelier_training_photo_get_inspection (find_photo (f, "one.jpg")),
                                                     "eye_color"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  int status;

  atelier_ui_test_init (&argc, &argv);
  {
    /* The app's styles, as the application loads them. */
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/io/github/atelier/Atelier/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  dir = g_dir_make_tmp ("atelier-picker-XXXXXX", &error);
  g_assert_no_error (error);
  server = atelier_test_server_new ();
  url = atelier_sandbox_server_dup_base_url (server);
  client = atelier_astria_client_new (url, "test-key", &error);
  g_assert_no_error (error);

  g_test_add ("/picker/local-checks", Fixture, NULL, fixture_set_up, test_local_checks, fixture_tear_down);
  g_test_add ("/picker/webp", Fixture, NULL, fixture_set_up, test_webp, fixture_tear_down);
  g_test_add ("/picker/inspection", Fixture, NULL, fixture_set_up, test_inspection, fixture_tear_down);
  g_test_add ("/picker/bounded-inspections", Fixture, NULL, fixture_set_up, test_bounded_inspections, fixture_tear_down);
  g_test_add ("/picker/inspection-failure", Fixture, NULL, fixture_set_up, test_inspection_failure, fixture_tear_down);
  g_test_add ("/picker/class-change", Fixture, NULL, fixture_set_up, test_class_change, fixture_tear_down);
  g_test_add ("/picker/aggregation", Fixture, NULL, fixture_set_up, test_aggregation, fixture_tear_down);

  status = g_test_run ();

  g_clear_object (&client);
  atelier_test_server_free (server);
  atelier_test_rm_rf (dir);
  g_free (dir);

  return status;
}
