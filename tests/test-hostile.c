/* test-hostile.c: hostile servers and files can't hurt the app
 *
 * A tiny SoupServer in this process answers like a hostile server would:
 * images at file:///dev/zero or on another host, redirects that would
 * carry the key away or fall back to plain http, bodies of 40 MiB or that
 * never end, a 70 MiB image, a PNG declaring 30000 × 30000. The real
 * clients, the image cache and the decoders meet them; nothing is mocked.
 *
 * https → http cannot be served here without a certificate the client
 * would trust (and TLS checks stay on), so that rule is checked on URLs
 * with _atelier_http_redirect_allowed(), the function the redirect code
 * asks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "atelier-astria-client.h"
#include "atelier-fal-client.h"
#include "atelier-http-private.h"
#include "atelier-image-cache.h"
#include "atelier-image-utils.h"
#include "atelier-sandbox-private.h"
#include "atelier-test-utils.h"

#define MiB (1024 * 1024)
/* An endless body gives up here if the client never stops reading. */
#define ENDLESS_SAFETY (512 * MiB)

/* A PNG whose IHDR says 30000 × 30000 (3.6 GB of pixels), in 83 bytes. */
static const guint8 png_bomb[] =
  "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52"
  "\x00\x00\x75\x30\x00\x00\x75\x30\x08\x02\x00\x00\x00\xe9\x45\x6f"
  "\xed\x00\x00\x00\x1a\x49\x44\x41\x54\x78\xda\xed\xc1\x01\x0d\x00"
  "\x00\x00\xc2\xa0\xf7\x4f\x6d\x0f\x07\x14\x00\x00\x00\xf0\x6e\x10"
  "\x00\x00\x01\x9b\x68\x54\x63\x00\x00\x00\x00\x49\x45\x4e\x44\xae"
  "\x42\x60\x82";

typedef struct
{
  SoupServer *api;
  SoupServer *other;
  char       *api_url;     /* http://127.0.0.1:PORT, no slash */
  char       *other_url;
  char       *api_auth;    /* Authorization the last API request had */
  char       *other_auth;
  guint       other_hits;
  guint       loop_hits;
  gsize       endless_sent;
  GBytes     *chunk;       /* 1 MiB of spaces */
  GBytes     *ok_png;
  char       *dir;
} Fixture;

static void
remember_auth (SoupServerMessage  *msg,
               char              **where)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");

  g_free (*where);
  *where = g_strdup (auth);
}

static void
redirect (SoupServerMessage *msg,
          const char        *location)
{
  soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, location);
}

static void
endless_wrote_chunk_cb (SoupServerMessage *msg,
                        Fixture           *f)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  if (f->endless_sent >= ENDLESS_SAFETY)
    {
      soup_message_body_complete (body);
      return;
    }
  soup_message_body_append_bytes (body, f->chunk);
  f->endless_sent += g_bytes_get_size (f->chunk);
}

/* Chunked, without Content-Length, never complete. */
static void
serve_endless (SoupServerMessage *msg,
               Fixture           *f,
               const char        *content_type)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (headers, content_type, NULL);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (endless_wrote_chunk_cb), f);
  endless_wrote_chunk_cb (msg, f);
}

static void
serve_sized (SoupServerMessage *msg,
             const char        *content_type,
             gsize              size,
             const char        *head)
{
  char *data = g_malloc (size);

  memset (data, ' ', size);
  memcpy (data, head, strlen (head));
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE, data, size);
}

static void
api_cb (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  Fixture *f = user_data;
  g_autofree char *elsewhere = g_strconcat (f->other_url, path, NULL);

  remember_auth (msg, &f->api_auth);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);

  if (g_str_equal (path, "/tunes") || g_str_has_prefix (path, "/fal-ai/"))
    redirect (msg, elsewhere);                  /* another port: another origin */
  else if (g_str_equal (path, "/same/tunes"))
    redirect (msg, "/same/end");
  else if (g_str_equal (path, "/same/end"))
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "[]", 2);
  else if (g_str_equal (path, "/loop/tunes"))
    {
      f->loop_hits++;
      redirect (msg, "/loop/tunes");
    }
  else if (g_str_equal (path, "/insecure/tunes"))
    redirect (msg, "http://example.invalid/tunes");
  else if (g_str_equal (path, "/file/tunes"))
    redirect (msg, "file:///etc/passwd");
  else if (g_str_has_prefix (path, "/big/"))
    serve_sized (msg, "application/json", 40 * MiB, "[");
  else if (g_str_has_prefix (path, "/endless/"))
    serve_endless (msg, f, "application/json");
  else if (g_str_equal (path, "/huge.jpg"))
    serve_sized (msg, "image/jpeg", 70 * MiB, "\xff\xd8\xff\xe0");
  else if (g_str_equal (path, "/endless.jpg"))
    serve_endless (msg, f, "image/jpeg");
  else if (g_str_equal (path, "/bomb.png"))
    soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_STATIC,
                                      (const char *) png_bomb, sizeof png_bomb - 1);
  else if (g_str_equal (path, "/ok.png"))
    soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_COPY,
                                      g_bytes_get_data (f->ok_png, NULL), g_bytes_get_size (f->ok_png));
  else if (g_str_equal (path, "/image-elsewhere"))
    redirect (msg, "http://example.invalid/x.jpg");
  else if (g_str_equal (path, "/image-here"))
    redirect (msg, "/ok.png");
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static void
other_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  Fixture *f = user_data;

  f->other_hits++;
  remember_auth (msg, &f->other_auth);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                    g_str_equal (path, "/tunes") ? "[]" : "{}", 2);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

static char *
listen_on_loopback (SoupServer *server)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;
  char *url;

  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  g_assert_nonnull (uris);
  url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return url;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  char *spaces = g_malloc (MiB);

  memset (spaces, ' ', MiB);
  f->chunk = g_bytes_new_take (spaces, MiB);
  f->ok_png = atelier_test_make_image (40, 30, 3, "png");

  f->api = soup_server_new (NULL, NULL);
  f->other = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->api, NULL, api_cb, f, NULL);
  soup_server_add_handler (f->other, NULL, other_cb, f, NULL);
  f->api_url = listen_on_loopback (f->api);
  f->other_url = listen_on_loopback (f->other);

  f->dir = g_dir_make_tmp ("atelier-hostile-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  soup_server_disconnect (f->api);
  soup_server_disconnect (f->other);
  g_assert_finalize_object (f->api);
  g_assert_finalize_object (f->other);
  g_free (f->api_url);
  g_free (f->other_url);
  g_free (f->api_auth);
  g_free (f->other_auth);
  g_bytes_unref (f->chunk);
  g_bytes_unref (f->ok_png);
  atelier_test_rm_rf (f->dir);
  g_free (f->dir);
}

static AtelierAstriaClient *
new_astria (const char *base_url)
{
  g_autoptr(GError) error = NULL;
  AtelierAstriaClient *client = atelier_astria_client_new (base_url, "sd_hostile_secret", &error);

  g_assert_no_error (error);
  atelier_astria_client_set_retry_base_delay_ms (client, 10);

  return client;
}

static GPtrArray *
list_tunes (AtelierAstriaClient  *client,
            GError              **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  atelier_astria_client_list_tunes_async (client, 0, NULL, atelier_test_store_result, &result);
  return atelier_astria_client_list_tunes_finish (client, atelier_test_wait_result (&result), error);
}

static GdkTexture *
load_image (AtelierImageCache  *cache,
            const char         *url,
            GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  atelier_image_cache_load_async (cache, url, 64, NULL, atelier_test_store_result, &result);
  return atelier_image_cache_load_finish (cache, atelier_test_wait_result (&result), error);
}

static GBytes *
download_image (AtelierImageCache  *cache,
                const char         *url,
                GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  atelier_image_cache_download_async (cache, url, NULL, atelier_test_store_result, &result);
  return atelier_image_cache_download_finish (cache, atelier_test_wait_result (&result), error);
}

static AtelierImageCache *
new_cache (Fixture *f)
{
  g_autofree char *cache_dir = g_build_filename (f->dir, "cache", NULL);

  return atelier_image_cache_new (NULL, cache_dir);
}

/* {{{ Redirects */

/* The API redirects to another port: the key stays home. */
static void
test_redirect_drops_key (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(AtelierAstriaClient) client = new_astria (f->api_url);
  g_autoptr(GPtrArray) tunes = NULL;
  g_autoptr(GError) error = NULL;

  tunes = list_tunes (client, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (f->api_auth, ==, "Bearer sd_hostile_secret");
  g_assert_cmpuint (f->other_hits, ==, 1);
  g_assert_null (f->other_auth);
}

/* A fal status URL on fal's host that redirects elsewhere: no key there. */
static void
test_fal_redirect_drops_key (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(AtelierFalClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  client = atelier_fal_client_new (f->api_url, "fal-hostile-secret", &error);
  g_assert_no_error (error);

  atelier_fal_client_verify_key_async (client, NULL, atelier_test_store_result, &result);
  atelier_fal_client_verify_key_finish (client, atelier_test_wait_result (&result), NULL);
  g_assert_cmpstr (f->api_auth, ==, "Key fal-hostile-secret");
  g_assert_cmpuint (f->other_hits, ==, 1);
  g_assert_null (f->other_auth);
}

/* On the same origin the key goes along; not into a loop, nor to plain
 * http on another host, nor to a file. */
static void
test_redirect_rules (Fixture       *f,
                     gconstpointer  data)
{
  struct { const char *base; int code; } refused[] = {
    { "/loop", ATELIER_API_ERROR_HTTP },
    { "/insecure", ATELIER_API_ERROR_INSECURE_URL },
    { "/file", ATELIER_API_ERROR_INSECURE_URL },
  };
  g_autofree char *same_url = g_strconcat (f->api_url, "/same", NULL);
  g_autoptr(AtelierAstriaClient) same = new_astria (same_url);
  g_autoptr(GPtrArray) tunes = NULL;
  g_autoptr(GError) error = NULL;

  tunes = list_tunes (same, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (f->api_auth, ==, "Bearer sd_hostile_secret");

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *url = g_strconcat (f->api_url, refused[i].base, NULL);
      g_autoptr(AtelierAstriaClient) client = new_astria (url);
      g_autoptr(GPtrArray) none = NULL;
      g_autoptr(GError) local_error = NULL;

      none = list_tunes (client, &local_error);
      g_assert_null (none);
      g_assert_error (local_error, ATELIER_API_ERROR, refused[i].code);
    }
  g_assert_cmpuint (f->loop_hits, ==, ATELIER_HTTP_MAX_REDIRECTS + 1);
  g_assert_cmpuint (f->other_hits, ==, 0);
}

/* https → http is never followed (checked on URLs: see the top). */
static void
test_redirect_https_to_http (void)
{
  g_autoptr(GUri) secure = g_uri_parse ("https://api.astria.ai/tunes", G_URI_FLAGS_NONE, NULL);
  g_autoptr(GUri) loopback = g_uri_parse ("http://127.0.0.1:8080/tunes", G_URI_FLAGS_NONE, NULL);

  g_assert_false (_atelier_http_redirect_allowed (secure, "http://api.astria.ai/tunes"));
  g_assert_false (_atelier_http_redirect_allowed (secure, "http://127.0.0.1:8080/tunes"));
  g_assert_true (_atelier_http_redirect_allowed (secure, "https://cdn.astria.ai/x.jpg"));
  g_assert_true (_atelier_http_redirect_allowed (loopback, "http://localhost:9/x"));
  g_assert_true (_atelier_http_redirect_allowed (loopback, "http://[::1]:9/x"));
  g_assert_false (_atelier_http_redirect_allowed (loopback, "http://example.com/x"));
  g_assert_false (_atelier_http_redirect_allowed (loopback, "file:///etc/passwd"));
  g_assert_false (_atelier_http_redirect_allowed (loopback, "data:image/png;base64,AAAA"));
}

/* }}} */
/* {{{ Size caps */

/* 40 MiB of JSON (with Content-Length) and an endless chunked body both
 * stop at the cap with a clear error. A read timeout is set. */
static void
test_json_caps (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *big_url = g_strconcat (f->api_url, "/big", NULL);
  g_autofree char *endless_url = g_strconcat (f->api_url, "/endless", NULL);
  g_autoptr(AtelierAstriaClient) big = new_astria (big_url);
  g_autoptr(AtelierAstriaClient) endless = new_astria (endless_url);
  g_autoptr(GPtrArray) tunes = NULL;
  g_autoptr(GError) error = NULL;
  guint timeout = 0;

  tunes = list_tunes (big, &error);
  g_assert_null (tunes);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "too large"));
  g_clear_error (&error);

  tunes = list_tunes (endless, &error);
  g_assert_null (tunes);
  g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_TOO_LARGE);
  g_assert_cmpuint (f->endless_sent, <, ENDLESS_SAFETY);

  g_object_get (atelier_astria_client_get_session (endless), "timeout", &timeout, NULL);
  g_assert_cmpuint (timeout, >, 0);
}

/* A 70 MiB image and an endless one are not read whole. */
static void
test_image_caps (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(AtelierImageCache) cache = new_cache (f);
  const char *paths[] = { "/huge.jpg", "/endless.jpg" };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *url = g_strconcat (f->api_url, paths[i], NULL);
      g_autoptr(GdkTexture) texture = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;

      texture = load_image (cache, url, &error);
      g_assert_null (texture);
      g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_TOO_LARGE);
      g_clear_error (&error);

      bytes = download_image (cache, url, &error);
      g_assert_null (bytes);
      g_assert_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_TOO_LARGE);
    }
  g_assert_cmpuint (f->endless_sent, <, ENDLESS_SAFETY);
}

/* }}} */
/* {{{ Addresses */

/* What a prompt's "images" (or a tune's "orig_images") may hold when the
 * server is hostile: none is opened, nothing is downloaded. */
static void
test_image_addresses (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(AtelierImageCache) cache = new_cache (f);
  g_autofree char *library = g_build_filename (f->dir, "library", NULL);
  g_autofree char *outside = g_build_filename (f->dir, "outside", NULL);
  g_autofree char *fifo = g_build_filename (library, "fifo.jpg", NULL);
  g_autofree char *link = g_build_filename (library, "link.png", NULL);
  g_autofree char *secret = NULL;
  g_autofree char *fifo_url = NULL;
  g_autofree char *link_url = NULL;
  g_autofree char *dotdot_url = NULL;
  g_autofree char *kept_url = NULL;
  g_autofree char *redirected = g_strconcat (f->api_url, "/image-elsewhere", NULL);
  g_autofree char *here = g_strconcat (f->api_url, "/image-here", NULL);
  g_autoptr(GFile) outside_file = NULL;
  g_autoptr(GFile) kept = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (library, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (outside, 0700), ==, 0);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  outside_file = atelier_test_write_image (outside, "secret.png", 20, 20, 1, "png");
  secret = g_file_get_path (outside_file);
  g_assert_cmpint (symlink (secret, link), ==, 0);
  kept = atelier_test_write_image (library, "0.png", 20, 20, 2, "png");
  atelier_image_cache_add_local_dir (cache, library);

  fifo_url = g_filename_to_uri (fifo, NULL, NULL);
  link_url = g_filename_to_uri (link, NULL, NULL);
  dotdot_url = g_strconcat ("file://", library, "/../outside/secret.png", NULL);

  {
    const char *urls[] = {
      "file:///dev/zero",
      "file:///etc/passwd",
      fifo_url,                              /* inside the library, but no file */
      link_url,                              /* a link out of it */
      dotdot_url,
      "http://example.invalid/x.jpg",        /* plain http to another host */
      "ftp://example.com/x.jpg",
      "data:image/png;base64,iVBORw0KGgo=",
      redirected,                            /* to plain http elsewhere */
    };

    for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
      {
        g_autoptr(GdkTexture) none = NULL;
        g_autoptr(GBytes) bytes = NULL;
        g_autoptr(GError) local_error = NULL;

        g_test_message ("%s", urls[i]);
        none = load_image (cache, urls[i], &local_error);
        g_assert_null (none);
        g_assert_error (local_error, ATELIER_API_ERROR, ATELIER_API_ERROR_INSECURE_URL);
        g_clear_error (&local_error);

        bytes = download_image (cache, urls[i], &local_error);
        g_assert_null (bytes);
        g_assert_error (local_error, ATELIER_API_ERROR, ATELIER_API_ERROR_INSECURE_URL);
        if (i == 0)
          g_assert_cmpstr (local_error->message, ==,
                           "This image's address is not https; it was not downloaded.");
      }
  }
  /* Only the redirecting address reached a server. */
  g_assert_cmpuint (atelier_image_cache_get_download_count (cache), ==, 2);

  /* The library's own originals load; loopback http follows its redirect. */
  kept_url = g_file_get_uri (kept);
  texture = load_image (cache, kept_url, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 20);
  g_clear_object (&texture);

  texture = load_image (cache, here, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 40);
}

/* }}} */
/* {{{ Decompression bombs */

static void
assert_bomb_refused (const GError *error)
{
  g_assert_error (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_INSUFFICIENT_MEMORY);
  g_assert_nonnull (strstr (error->message, "30000 × 30000"));
}

/* Downloaded, kept in the library, picked as a training photo, or sent to
 * the sandbox's /images/inspect: refused by the header every time. */
static void
test_png_bomb (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GBytes) bomb = g_bytes_new_static (png_bomb, sizeof png_bomb - 1);
  g_autoptr(AtelierImageCache) cache = new_cache (f);
  g_autofree char *url = g_strconcat (f->api_url, "/bomb.png", NULL);
  g_autofree char *library = g_build_filename (f->dir, "library", NULL);
  g_autofree char *path = g_build_filename (library, "bomb.png", NULL);
  g_autofree char *file_url = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(JsonNode) inspection = NULL;
  g_autoptr(GError) error = NULL;
  int width = 0, height = 0;

  /* The image cache's download */
  texture = load_image (cache, url, &error);
  g_assert_null (texture);
  assert_bomb_refused (error);
  g_clear_error (&error);

  /* A file of the library */
  g_assert_cmpint (g_mkdir_with_parents (library, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, (const char *) png_bomb, sizeof png_bomb - 1, NULL));
  atelier_image_cache_add_local_dir (cache, library);
  file_url = g_filename_to_uri (path, NULL, NULL);
  texture = load_image (cache, file_url, &error);
  g_assert_null (texture);
  assert_bomb_refused (error);
  g_clear_error (&error);

  /* A training photo: its analysis and its upload decode with these */
  file = g_file_new_for_path (path);
  pixbuf = atelier_image_load_scaled (file, 512, &width, &height, NULL, &error);
  g_assert_null (pixbuf);
  assert_bomb_refused (error);
  g_clear_error (&error);
  jpeg = atelier_image_downscale_to_jpeg (file, 1024, NULL, &error);
  g_assert_null (jpeg);
  assert_bomb_refused (error);
  g_clear_error (&error);

  /* Bytes from anywhere */
  pixbuf = atelier_image_decode_bytes_fit (bomb, 256, NULL, &error);
  g_assert_null (pixbuf);
  assert_bomb_refused (error);
  g_clear_error (&error);

  /* The sandbox's /images/inspect */
  inspection = _atelier_sandbox_inspect_bytes (bomb, "man", &error);
  g_assert_null (inspection);
  assert_bomb_refused (error);
}

/* }}} */

#define add_test(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  add_test ("/hostile/redirect/drops-key", test_redirect_drops_key);
  add_test ("/hostile/redirect/fal-drops-key", test_fal_redirect_drops_key);
  add_test ("/hostile/redirect/rules", test_redirect_rules);
  g_test_add_func ("/hostile/redirect/https-to-http", test_redirect_https_to_http);
  add_test ("/hostile/caps/json", test_json_caps);
  add_test ("/hostile/caps/image", test_image_caps);
  add_test ("/hostile/image-addresses", test_image_addresses);
  add_test ("/hostile/png-bomb", test_png_bomb);

  return g_test_run ();
}
