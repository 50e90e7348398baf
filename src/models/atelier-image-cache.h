/* atelier-image-cache.h: thumbnails and images from the service, cached
 *
 * One cache per session (atelier_session_get_image_cache()). A load looks
 * in a bounded in-memory LRU (by bytes), then in the disk cache under
 * g_get_user_cache_dir()/atelier/thumbnails (keyed by a hash of the URL's
 * path and query, so a sandbox that moved to another port still hits, and
 * of the size), then downloads with a bounded number of concurrent
 * requests over one SoupSession. Decoding (scaled to @size while decoding)
 * and all file I/O run in worker threads; nothing blocks the main thread.
 * Requests whose cancellable is cancelled before their download starts are
 * dropped from the queue (cells unbound while scrolling cancel theirs).
 *
 * The memory cache keeps decoded pixels; every texture it returns is a
 * new one made of them (no copy), so a texture lives only as long as
 * whoever shows it: renderers keep a copy of each texture they drew for
 * as long as the texture lives.
 *
 * URLs are fetched only when https://, or http:// on a loopback address
 * (the sandbox); file:// URLs only inside the folders given with
 * atelier_image_cache_add_local_dir() (the library's originals; the
 * default library folder is one from the start), regular files of at most
 * ATELIER_HTTP_MAX_IMAGE_BYTES. Any other address (a server's file:///dev/zero,
 * plain http:// to another host) fails with ATELIER_API_ERROR_INSECURE_URL
 * and is never opened. Downloads stop at 64 MiB
 * (ATELIER_API_ERROR_TOO_LARGE), redirects are followed to https only,
 * and an image whose header declares more than ATELIER_IMAGE_MAX_PIXELS is
 * refused before decoding (GDK_PIXBUF_ERROR_INSUFFICIENT_MEMORY).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Thumbnail side the gallery asks for. */
#define ATELIER_THUMBNAIL_SIZE 256

#define ATELIER_TYPE_IMAGE_CACHE (atelier_image_cache_get_type ())
G_DECLARE_FINAL_TYPE (AtelierImageCache, atelier_image_cache, ATELIER, IMAGE_CACHE, GObject)

/* @session NULL: a session of its own. @cache_dir NULL:
 * g_get_user_cache_dir()/atelier/thumbnails. */
AtelierImageCache *atelier_image_cache_new                (SoupSession        *session,
                                                           const char         *cache_dir);
const char        *atelier_image_cache_get_dir            (AtelierImageCache  *self);

/* File URLs inside @dir (absolute; it need not exist yet) may be loaded:
 * the library calls it for its folder. */
void               atelier_image_cache_add_local_dir      (AtelierImageCache  *self,
                                                           const char         *dir);

/* Limits: memory (bytes of decoded pixels, default 32 MiB: about 300
 * thumbnails of 192 px) and downloads at a time (default 6). */
void               atelier_image_cache_set_memory_limit   (AtelierImageCache  *self,
                                                           gsize               bytes);
void               atelier_image_cache_set_max_downloads  (AtelierImageCache  *self,
                                                           guint               max_downloads);

/* The image at @url scaled so that its longer side is at most @size
 * (@size <= 0: full size, not kept on disk). Errors: G_IO_ERROR_CANCELLED,
 * ATELIER_API_ERROR_* for HTTP failures (ATELIER_API_ERROR_NOT_FOUND for
 * a 404), G_IO_ERROR / GDK_PIXBUF_ERROR for unreadable images. */
void               atelier_image_cache_load_async         (AtelierImageCache  *self,
                                                           const char         *url,
                                                           int                 size,
                                                           GCancellable       *cancellable,
                                                           GAsyncReadyCallback callback,
                                                           gpointer            user_data);
GdkTexture        *atelier_image_cache_load_finish        (AtelierImageCache  *self,
                                                           GAsyncResult       *result,
                                                           GError            **error);

/* The original bytes at @url (for saving and the local library), through
 * the same download queue; not cached. */
void               atelier_image_cache_download_async     (AtelierImageCache  *self,
                                                           const char         *url,
                                                           GCancellable       *cancellable,
                                                           GAsyncReadyCallback callback,
                                                           gpointer            user_data);
GBytes            *atelier_image_cache_download_finish    (AtelierImageCache  *self,
                                                           GAsyncResult       *result,
                                                           GError            **error);

/* Memory only, never blocks: a new texture of the cached pixels
 * (transfer full), or NULL. */
GdkTexture        *atelier_image_cache_lookup             (AtelierImageCache  *self,
                                                           const char         *url,
                                                           int                 size);

/* HTTP downloads started since the cache was made. */
guint              atelier_image_cache_get_download_count (AtelierImageCache  *self);
/* Bytes of decoded pixels held in memory now. */
gsize              atelier_image_cache_get_memory_size    (AtelierImageCache  *self);
/* Drops the memory cache (the disk cache stays). */
void               atelier_image_cache_clear_memory       (AtelierImageCache  *self);

G_END_DECLS
