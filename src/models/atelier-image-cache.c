/* atelier-image-cache.c: thumbnails and images from the service, cached
 *
 * A load goes through up to three stages, each a small GTask:
 *   1. memory: the LRU, on the main thread (a hash lookup);
 *   2. disk: a worker of the cache's thread pool reads and decodes the
 *      cached thumbnail (or, for file:// URLs, the file itself);
 *   3. network: the request waits in a FIFO for one of :max-downloads
 *      slots (cancelled requests are dropped when they reach the head),
 *      then a worker decodes the body scaled and writes the thumbnail to
 *      the disk cache (even if the request was cancelled meanwhile: a
 *      download is never thrown away).
 * The pixels are decoded in the workers, so the main thread only moves
 * pointers. The memory cache keeps decoded pixels, not textures: each
 * load or lookup wraps them in a texture of its own (no copy), so that a
 * texture lives only while a widget shows it. A renderer keeps its own
 * copy of every texture it drew until the texture goes (GL does: on a
 * software rasteriser that copy is RAM too), so textures held by the
 * cache alone would be copies nobody draws.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#ifdef __linux__
#include <sys/resource.h>
#endif

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdlib.h>

#include "atelier-api-error.h"
#include "atelier-astria-client.h"
#include "atelier-http-private.h"
#include "atelier-image-cache-private.h"
#include "atelier-image-utils.h"
#include "atelier-models-private.h"

/* About 300 thumbnails of 192 × 192 RGB: the ~130 cells a gallery keeps
 * bound and as many again to scroll back to. */
#define DEFAULT_MEMORY_LIMIT (32 * 1024 * 1024)
#define DEFAULT_MAX_DOWNLOADS 6
#define MAX_WORKERS 4
/* The workers' nice value: decoding yields to the main thread, which
 * must draw a frame every 16 ms while the user scrolls. */
#define WORKER_NICE 10
#define MAX_FULL_SIDE 4096
#define THUMBNAIL_QUALITY "88"

struct _AtelierImageCache
{
  GObject       parent_instance;

  SoupSession  *session;
  char         *dir;
  GPtrArray    *local_dirs;      /* (element-type utf8) NULL-terminated */
  gsize         memory_limit;
  guint         max_downloads;

  /* memory: key → GList link in lru, whose data is an Entry */
  GHashTable   *entries;
  GQueue        lru;             /* most recently used first */
  gsize         memory_size;

  /* network */
  GQueue        waiting;         /* (owned) GTask, loads waiting for a slot */
  guint         n_downloading;
  guint         download_count;

  GThreadPool  *pool;
};

G_DEFINE_FINAL_TYPE (AtelierImageCache, atelier_image_cache, G_TYPE_OBJECT)

/* Decoded pixels, shared by the memory cache and the textures made of
 * them. Immutable. */
typedef struct
{
  GBytes          *bytes;
  int              width;
  int              height;
  gsize            stride;
  GdkMemoryFormat  format;
} Pixels;

static void
pixels_free (Pixels *pixels)
{
  g_bytes_unref (pixels->bytes);
  g_free (pixels);
}

/* @pixbuf's pixels, not copied: the pixbuf is not changed afterwards. */
static Pixels *
pixels_new_for_pixbuf (GdkPixbuf *pixbuf)
{
  Pixels *pixels = g_new0 (Pixels, 1);
  gboolean alpha = gdk_pixbuf_get_has_alpha (pixbuf);

  /* What gdk_texture_new_for_pixbuf() does. */
  pixels->bytes = gdk_pixbuf_read_pixel_bytes (pixbuf);
  pixels->width = gdk_pixbuf_get_width (pixbuf);
  pixels->height = gdk_pixbuf_get_height (pixbuf);
  pixels->stride = gdk_pixbuf_get_rowstride (pixbuf);
  pixels->format = alpha ? GDK_MEMORY_R8G8B8A8 : GDK_MEMORY_R8G8B8;

  return pixels;
}

static GdkTexture *
pixels_new_texture (const Pixels *pixels)
{
  return gdk_memory_texture_new (pixels->width, pixels->height, pixels->format,
                                 pixels->bytes, pixels->stride);
}

typedef struct
{
  char   *key;
  Pixels *pixels;
} Entry;

static void
entry_free (Entry *entry)
{
  g_free (entry->key);
  pixels_free (entry->pixels);
  g_free (entry);
}

typedef enum
{
  STEP_DISK,      /* read the disk cache or the local file */
  STEP_DECODE,    /* decode downloaded bytes, write the disk cache */
} Step;

typedef struct
{
  char     *url;
  int       size;        /* <= 0: full size */
  gboolean  bytes_only;  /* download_async: no decoding */
  char     *mem_key;     /* NULL: not kept in memory */
  char     *disk_path;   /* NULL: not kept on disk */
  char     *local_path;  /* file:// URLs */
  GStrv     local_dirs;  /* where they may be: a copy of the cache's */
  GBytes   *bytes;       /* downloaded */
} Load;

static void
load_free (Load *load)
{
  g_free (load->url);
  g_free (load->mem_key);
  g_free (load->disk_path);
  g_free (load->local_path);
  g_strfreev (load->local_dirs);
  g_clear_pointer (&load->bytes, g_bytes_unref);
  g_free (load);
}

/* A unit of work for the pool: @task returns Pixels, or NULL without
 * error for a disk miss. */
typedef struct
{
  GTask *task;  /* (owned) */
  Step   step;
} Work;

/* Keys */

/* The part of @url that names the image: path and query, and the host
 * unless it is a loopback address (the sandbox moves between ports). */
static char *
dup_key_source (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  const char *host;
  const char *query;

  if (uri == NULL)
    return g_strdup (url);

  host = g_uri_get_host (uri);
  query = g_uri_get_query (uri);

  return g_strconcat (host == NULL || atelier_host_is_loopback (host) ? "" : host,
                      g_uri_get_path (uri),
                      query != NULL ? "?" : "", query != NULL ? query : "",
                      NULL);
}

static char *
dup_hash (const char *url)
{
  g_autofree char *source = dup_key_source (url);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, source, -1);
}

static char *
dup_mem_key (const char *hash,
             int         size)
{
  return g_strdup_printf ("%s-%d", hash, size);
}

static char *
dup_disk_path (AtelierImageCache *self,
               const char        *hash,
               int                size)
{
  g_autofree char *sub = g_strndup (hash, 2);
  g_autofree char *name = g_strdup_printf ("%s-%d.jpg", hash, size);

  return g_build_filename (self->dir, sub, name, NULL);
}

char *
_atelier_image_cache_dup_disk_path (AtelierImageCache *self,
                                    const char        *url,
                                    int                size)
{
  g_autofree char *hash = NULL;

  g_return_val_if_fail (ATELIER_IS_IMAGE_CACHE (self), NULL);

  hash = dup_hash (url);
  return dup_disk_path (self, hash, size);
}

/* Memory */

static void
trim_memory (AtelierImageCache *self)
{
  /* Keep at least the newest entry, whatever its size. */
  while (self->memory_size > self->memory_limit && self->lru.length > 1)
    {
      Entry *entry = g_queue_pop_tail (&self->lru);

      self->memory_size -= g_bytes_get_size (entry->pixels->bytes);
      g_hash_table_remove (self->entries, entry->key);
      entry_free (entry);
    }
}

/* Takes @pixels. */
static void
remember (AtelierImageCache *self,
          const char        *key,
          Pixels            *pixels)
{
  GList *link = g_hash_table_lookup (self->entries, key);
  Entry *entry;

  if (link != NULL)
    {
      entry = link->data;
      self->memory_size -= g_bytes_get_size (entry->pixels->bytes);
      pixels_free (entry->pixels);
      entry->pixels = pixels;
      g_queue_unlink (&self->lru, link);
      g_queue_push_head_link (&self->lru, link);
    }
  else
    {
      entry = g_new0 (Entry, 1);
      entry->key = g_strdup (key);
      entry->pixels = pixels;
      g_queue_push_head (&self->lru, entry);
      g_hash_table_insert (self->entries, entry->key, self->lru.head);
    }

  self->memory_size += g_bytes_get_size (pixels->bytes);
  trim_memory (self);
}

GdkTexture *
atelier_image_cache_lookup (AtelierImageCache *self,
                            const char        *url,
                            int                size)
{
  g_autofree char *hash = NULL;
  g_autofree char *key = NULL;
  GList *link;

  g_return_val_if_fail (ATELIER_IS_IMAGE_CACHE (self), NULL);
  g_return_val_if_fail (url != NULL, NULL);

  if (size <= 0)
    return NULL;

  hash = dup_hash (url);
  key = dup_mem_key (hash, size);
  link = g_hash_table_lookup (self->entries, key);
  if (link == NULL)
    return NULL;

  g_queue_unlink (&self->lru, link);
  g_queue_push_head_link (&self->lru, link);

  return pixels_new_texture (((Entry *) link->data)->pixels);
}

/* Decoding, in the workers */

/* Checks the local file @path: only regular files (no FIFO, no device)
 * of at most ATELIER_HTTP_MAX_IMAGE_BYTES inside one of @dirs (the
 * library's folders), both canonicalised, so that neither ".." nor a
 * symbolic link leads out. Returns the canonical path. */
static char *
check_local_file (const char         *path,
                  const char * const *dirs,
                  GError            **error)
{
  g_autofree char *real = realpath (path, NULL);
  gboolean inside = FALSE;
  GStatBuf info;

  if (real == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "%s", g_strerror (saved_errno));
      return NULL;
    }

  for (guint i = 0; dirs != NULL && dirs[i] != NULL && !inside; i++)
    {
      g_autofree char *root = realpath (dirs[i], NULL);
      gsize len = root != NULL ? strlen (root) : 0;

      inside = root != NULL && strncmp (real, root, len) == 0 && real[len] == '/';
    }

  if (!inside || g_stat (real, &info) != 0 || !S_ISREG (info.st_mode))
    {
      g_propagate_error (error, _atelier_http_error_for_refused_image ());
      return NULL;
    }

  if (info.st_size > ATELIER_HTTP_MAX_IMAGE_BYTES)
    {
      g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_TOO_LARGE,
                   _("The image is too large (over %d MiB); it was not read."),
                   ATELIER_HTTP_MAX_IMAGE_BYTES / (1024 * 1024));
      return NULL;
    }

  return g_steal_pointer (&real);
}

/* Writes @pixbuf as the thumbnail at @path, atomically. Failures only
 * cost a download next time. */
static void
write_thumbnail (GdkPixbuf  *pixbuf,
                 const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *buffer = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, "jpeg", &error,
                                  "quality", THUMBNAIL_QUALITY, NULL) ||
      !g_file_set_contents (path, buffer, (gssize) length, &error))
    g_warning ("Cannot write the thumbnail %s: %s", path,
               error != NULL ? error->message : g_strerror (errno));
}

/* Once per worker thread (the pool's threads are its own). */
static void
lower_thread_priority (void)
{
#ifdef __linux__
  static GPrivate niced;

  if (g_private_get (&niced) == NULL)
    {
      /* On Linux the nice value is the thread's, and 0 is the calling
       * thread (setpriority(2), "Bugs"). Failing costs nothing. */
      if (setpriority (PRIO_PROCESS, 0, WORKER_NICE) != 0)
        g_debug ("Cannot lower the image workers' priority: %s", g_strerror (errno));
      g_private_set (&niced, GINT_TO_POINTER (1));
    }
#endif
}

static void
work_func (gpointer data,
           gpointer user_data)
{
  Work *work = data;
  g_autoptr(GTask) task = work->task;
  Load *load = g_task_get_task_data (task);
  int max_side = load->size > 0 ? load->size : MAX_FULL_SIDE;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  Step step = work->step;

  g_free (work);
  lower_thread_priority ();

  /* A finished download is decoded and kept even when nobody waits for it
   * any more: the bytes are here, and the disk cache stays complete. */
  if (step == STEP_DISK && g_task_return_error_if_cancelled (task))
    return;

  if (step == STEP_DISK)
    {
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (load->disk_path != NULL &&
          g_file_get_contents (load->disk_path, &contents, &length, NULL))
        {
          g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&contents), length);

          pixbuf = atelier_image_decode_bytes_fit (bytes, max_side, NULL, NULL);
          /* A damaged cache file is fetched again. */
          if (pixbuf == NULL)
            g_unlink (load->disk_path);
        }

      if (pixbuf == NULL && load->local_path != NULL)
        {
          g_autofree char *real = check_local_file (load->local_path,
                                                    (const char * const *) load->local_dirs, &error);
          g_autoptr(GFile) file = real != NULL ? g_file_new_for_path (real) : NULL;

          if (file != NULL)
            pixbuf = atelier_image_load_scaled (file, max_side, NULL, NULL,
                                                g_task_get_cancellable (task), &error);
          if (pixbuf == NULL)
            {
              g_task_return_error (task, g_steal_pointer (&error));
              return;
            }
          if (load->disk_path != NULL)
            write_thumbnail (pixbuf, load->disk_path);
        }

      if (pixbuf == NULL)
        {
          g_task_return_pointer (task, NULL, NULL);  /* a miss */
          return;
        }
    }
  else
    {
      pixbuf = atelier_image_decode_bytes_fit (load->bytes, max_side, NULL, &error);
      if (pixbuf == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      if (load->disk_path != NULL)
        write_thumbnail (pixbuf, load->disk_path);
    }

  if (!g_task_return_error_if_cancelled (task))
    g_task_return_pointer (task, pixels_new_for_pixbuf (pixbuf), (GDestroyNotify) pixels_free);
}

/* Hands @outer to a worker for @step; @callback gets the step's result
 * with @outer as user data. */
static void
run_step (AtelierImageCache   *self,
          GTask               *outer,
          Step                 step,
          GAsyncReadyCallback  callback)
{
  Work *work = g_new0 (Work, 1);

  /* No source object: a worker may drop the last reference to this task,
   * and must never be the one that finalizes the cache (whose dispose
   * waits for the workers). The callbacks find the cache on @outer. */
  work->task = g_task_new (NULL, g_task_get_cancellable (outer), callback, outer);
  g_task_set_source_tag (work->task, run_step);
  g_task_set_task_data (work->task, g_task_get_task_data (outer), NULL);
  work->step = step;
  g_thread_pool_push (self->pool, work, NULL);
}

/* Takes @pixels. */
static void
finish_with_pixels (AtelierImageCache *self,
                    GTask             *outer,
                    Pixels            *pixels)
{
  Load *load = g_task_get_task_data (outer);
  GdkTexture *texture = pixels_new_texture (pixels);

  if (load->mem_key != NULL)
    remember (self, load->mem_key, pixels);
  else
    pixels_free (pixels);
  g_task_return_pointer (outer, texture, g_object_unref);
}

static void
decode_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  AtelierImageCache *self = g_task_get_source_object (outer);
  Pixels *pixels;
  GError *error = NULL;

  pixels = g_task_propagate_pointer (G_TASK (result), &error);
  if (pixels == NULL)
    g_task_return_error (outer, error);
  else
    finish_with_pixels (self, outer, pixels);
}

/* Network */

static void pump_downloads (AtelierImageCache *self);

static void
download_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  AtelierImageCache *self = g_task_get_source_object (outer);
  Load *load = g_task_get_task_data (outer);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  guint status;

  bytes = _atelier_http_fetch_finish (result, &msg, &error);
  self->n_downloading--;
  pump_downloads (self);

  if (bytes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || error->domain == ATELIER_API_ERROR)
        g_task_return_error (outer, g_steal_pointer (&error));
      else
        g_task_return_error (outer, _atelier_http_error_for_transport (error));
      return;
    }

  status = soup_message_get_status (msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_task_return_error (outer, _atelier_http_error_for_status (status, soup_message_get_reason_phrase (msg),
                                                                  bytes));
      return;
    }

  if (load->bytes_only)
    {
      g_task_return_pointer (outer, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
      return;
    }

  load->bytes = g_steal_pointer (&bytes);
  run_step (self, g_steal_pointer (&outer), STEP_DECODE, decode_done_cb);
}

static void
pump_downloads (AtelierImageCache *self)
{
  while (self->n_downloading < self->max_downloads && self->waiting.length > 0)
    {
      g_autoptr(GTask) outer = g_queue_pop_head (&self->waiting);
      Load *load = g_task_get_task_data (outer);
      GCancellable *cancellable;

      if (g_task_return_error_if_cancelled (outer))
        continue;

      cancellable = g_task_get_cancellable (outer);
      self->n_downloading++;
      self->download_count++;
      /* Redirects (to https or loopback only) and the size cap: there. */
      _atelier_http_fetch_async (self->session, "GET", load->url, NULL, NULL, NULL, NULL,
                                 ATELIER_HTTP_MAX_IMAGE_BYTES, NULL, NULL, cancellable,
                                 download_done_cb, g_steal_pointer (&outer));
    }
}

static void
queue_download (AtelierImageCache *self,
                GTask             *outer)
{
  g_queue_push_tail (&self->waiting, outer);
  pump_downloads (self);
}

static void
disk_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  AtelierImageCache *self = g_task_get_source_object (outer);
  Pixels *pixels;
  GError *error = NULL;

  pixels = g_task_propagate_pointer (G_TASK (result), &error);
  if (error != NULL)
    g_task_return_error (outer, error);
  else if (pixels != NULL)
    finish_with_pixels (self, outer, pixels);
  else
    queue_download (self, g_steal_pointer (&outer));
}

static GTask *
new_load (AtelierImageCache   *self,
          const char          *url,
          int                  size,
          gboolean             bytes_only,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Load *load = g_new0 (Load, 1);

  load->url = g_strdup (url);
  load->size = size;
  load->bytes_only = bytes_only;
  g_task_set_task_data (task, load, (GDestroyNotify) load_free);

  return task;
}

void
atelier_image_cache_load_async (AtelierImageCache   *self,
                                const char          *url,
                                int                  size,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *hash = NULL;
  Load *load;

  g_return_if_fail (ATELIER_IS_IMAGE_CACHE (self));
  g_return_if_fail (url != NULL);

  task = new_load (self, url, size, FALSE, cancellable, callback, user_data);
  g_task_set_source_tag (task, atelier_image_cache_load_async);
  load = g_task_get_task_data (task);

  if (g_str_has_prefix (url, "file:"))
    {
      g_autoptr(GFile) file = g_file_new_for_uri (url);

      load->local_path = g_file_get_path (file);
      if (load->local_path == NULL)
        {
          g_task_return_error (task, _atelier_http_error_for_refused_image ());
          return;
        }
      load->local_dirs = g_strdupv ((GStrv) self->local_dirs->pdata);
    }
  else if (!_atelier_http_url_is_fetchable (url))
    {
      /* A server's file:, data: or plain http:// address: never fetched. */
      g_task_return_error (task, _atelier_http_error_for_refused_image ());
      return;
    }

  if (size > 0)
    {
      hash = dup_hash (url);
      load->mem_key = dup_mem_key (hash, size);
      load->disk_path = dup_disk_path (self, hash, size);

      texture = atelier_image_cache_lookup (self, url, size);
      if (texture != NULL)
        {
          g_task_return_pointer (task, g_steal_pointer (&texture), g_object_unref);
          return;
        }
    }

  if (load->disk_path != NULL || load->local_path != NULL)
    run_step (self, g_steal_pointer (&task), STEP_DISK, disk_done_cb);
  else
    queue_download (self, g_steal_pointer (&task));
}

GdkTexture *
atelier_image_cache_load_finish (AtelierImageCache  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  return g_task_propagate_pointer (_atelier_task_check (result, self, atelier_image_cache_load_async), error);
}

static void
read_local_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  Load *load = task_data;
  g_autofree char *real = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  GError *error = NULL;

  real = check_local_file (load->local_path, (const char * const *) load->local_dirs, &error);
  if (real == NULL || !g_file_get_contents (real, &contents, &length, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_bytes_new_take (g_steal_pointer (&contents), length),
                           (GDestroyNotify) g_bytes_unref);
}

void
atelier_image_cache_download_async (AtelierImageCache   *self,
                                    const char          *url,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ATELIER_IS_IMAGE_CACHE (self));
  g_return_if_fail (url != NULL);

  task = new_load (self, url, 0, TRUE, cancellable, callback, user_data);
  g_task_set_source_tag (task, atelier_image_cache_download_async);

  if (g_str_has_prefix (url, "file:"))
    {
      g_autoptr(GFile) file = g_file_new_for_uri (url);
      Load *load = g_task_get_task_data (task);

      load->local_path = g_file_get_path (file);
      if (load->local_path == NULL)
        {
          g_task_return_error (task, _atelier_http_error_for_refused_image ());
          return;
        }
      load->local_dirs = g_strdupv ((GStrv) self->local_dirs->pdata);
      g_task_run_in_thread (task, read_local_thread);
      return;
    }

  if (!_atelier_http_url_is_fetchable (url))
    {
      g_task_return_error (task, _atelier_http_error_for_refused_image ());
      return;
    }

  queue_download (self, g_steal_pointer (&task));
}

GBytes *
atelier_image_cache_download_finish (AtelierImageCache  *self,
                                     GAsyncResult       *result,
                                     GError            **error)
{
  return g_task_propagate_pointer (_atelier_task_check (result, self, atelier_image_cache_download_async), error);
}

/* Settings and counters */

void
atelier_image_cache_add_local_dir (AtelierImageCache *self,
                                   const char        *dir)
{
  g_return_if_fail (ATELIER_IS_IMAGE_CACHE (self));
  g_return_if_fail (dir != NULL && g_path_is_absolute (dir));

  for (guint i = 0; i < self->local_dirs->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (self->local_dirs, i), dir))
        return;
    }
  g_ptr_array_add (self->local_dirs, g_strdup (dir));
}

const char *
atelier_image_cache_get_dir (AtelierImageCache *self)
{
  g_return_val_if_fail (ATELIER_IS_IMAGE_CACHE (self), NULL);
  return self->dir;
}

void
atelier_image_cache_set_memory_limit (AtelierImageCache *self,
                                      gsize              bytes)
{
  g_return_if_fail (ATELIER_IS_IMAGE_CACHE (self));

  self->memory_limit = bytes;
  trim_memory (self);
}

void
atelier_image_cache_set_max_downloads (AtelierImageCache *self,
                                       guint              max_downloads)
{
  g_return_if_fail (ATELIER_IS_IMAGE_CACHE (self));

  self->max_downloads = MAX (max_downloads, 1);
  pump_downloads (self);
}

guint
atelier_image_cache_get_download_count (AtelierImageCache *self)
{
  g_return_val_if_fail (ATELIER_IS_IMAGE_CACHE (self), 0);
  return self->download_count;
}

gsize
atelier_image_cache_get_memory_size (AtelierImageCache *self)
{
  g_return_val_if_fail (ATELIER_IS_IMAGE_CACHE (self), 0);
  return self->memory_size;
}

void
atelier_image_cache_clear_memory (AtelierImageCache *self)
{
  g_return_if_fail (ATELIER_IS_IMAGE_CACHE (self));

  g_hash_table_remove_all (self->entries);
  g_queue_clear_full (&self->lru, (GDestroyNotify) entry_free);
  self->memory_size = 0;
}

/* GObject */

static void
atelier_image_cache_dispose (GObject *object)
{
  AtelierImageCache *self = ATELIER_IMAGE_CACHE (object);

  /* Loads hold the cache, so no work is queued by now; do not wait (a
   * worker must never wait for itself). */
  if (self->pool != NULL)
    g_thread_pool_free (g_steal_pointer (&self->pool), FALSE, FALSE);
  atelier_image_cache_clear_memory (self);

  G_OBJECT_CLASS (atelier_image_cache_parent_class)->dispose (object);
}

static void
atelier_image_cache_finalize (GObject *object)
{
  AtelierImageCache *self = ATELIER_IMAGE_CACHE (object);

  g_assert (self->waiting.length == 0);
  g_clear_object (&self->session);
  g_ptr_array_unref (self->local_dirs);
  g_hash_table_unref (self->entries);
  g_free (self->dir);

  G_OBJECT_CLASS (atelier_image_cache_parent_class)->finalize (object);
}

static void
atelier_image_cache_class_init (AtelierImageCacheClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = atelier_image_cache_dispose;
  object_class->finalize = atelier_image_cache_finalize;
}

static void
atelier_image_cache_init (AtelierImageCache *self)
{
  self->memory_limit = DEFAULT_MEMORY_LIMIT;
  self->max_downloads = DEFAULT_MAX_DOWNLOADS;
  self->entries = g_hash_table_new (g_str_hash, g_str_equal);
  self->local_dirs = g_ptr_array_new_null_terminated (1, g_free, TRUE);
  g_ptr_array_add (self->local_dirs,
                   g_build_filename (g_get_user_data_dir (), "atelier", "library", NULL));
  g_queue_init (&self->lru);
  g_queue_init (&self->waiting);
  /* Exclusive: its threads are niced (lower_thread_priority()), and must
   * not go on to serve other pools. As many as cores: on two cores the
   * first screen decodes on both while the main thread waits, and the
   * nice value keeps them off the main thread's core while it draws. */
  self->pool = g_thread_pool_new (work_func, NULL,
                                  CLAMP ((int) g_get_num_processors (), 1, MAX_WORKERS),
                                  TRUE, NULL);
}

AtelierImageCache *
atelier_image_cache_new (SoupSession *session,
                         const char  *cache_dir)
{
  AtelierImageCache *self = g_object_new (ATELIER_TYPE_IMAGE_CACHE, NULL);

  if (session != NULL)
    self->session = g_object_ref (session);
  else
    self->session = soup_session_new_with_options ("max-conns", 2 * DEFAULT_MAX_DOWNLOADS,
                                                   "max-conns-per-host", DEFAULT_MAX_DOWNLOADS,
                                                   "timeout", 60,
                                                   "idle-timeout", 60,
                                                   NULL);

  if (cache_dir != NULL)
    self->dir = g_strdup (cache_dir);
  else
    self->dir = g_build_filename (g_get_user_cache_dir (), "atelier", "thumbnails", NULL);

  return self;
}
