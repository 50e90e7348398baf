/* atelier-test-utils.h: fixtures shared by the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "atelier-sandbox-server.h"

G_BEGIN_DECLS

/* A sandbox server on 127.0.0.1, random port, in a fresh temporary data
 * dir, with short delays (training 200 ms, prompts 200 ms, fal 200 ms),
 * any non-empty key accepted and the HTTP test controls on. */
AtelierSandboxServer *atelier_test_server_new       (void);
/* Stops the server, removes its data dir, asserts it is finalized. */
void                  atelier_test_server_free      (AtelierSandboxServer *server);

/* Iterates the default main context until *@result is set (by
 * atelier_test_store_result as the GAsyncReadyCallback). */
void                  atelier_test_store_result     (GObject       *source,
                                                     GAsyncResult  *result,
                                                     gpointer       user_data);
GAsyncResult         *atelier_test_wait_result      (GAsyncResult **result);
/* Iterates the default main context until @condition is TRUE or fails the
 * test after @timeout_ms. */
#define atelier_test_wait_until(condition, timeout_ms) \
  G_STMT_START { \
    gint64 _end = g_get_monotonic_time () + (timeout_ms) * 1000; \
    while (!(condition)) \
      { \
        if (g_get_monotonic_time () > _end) \
          g_error ("Timed out waiting for %s", #condition); \
        g_main_context_iteration (NULL, FALSE); \
        g_usleep (1000); \
      } \
  } G_STMT_END

/* A JPEG (or @format, "png" …) of @width × @height with a gradient and
 * pattern depending on @seed. */
GBytes               *atelier_test_make_image       (int            width,
                                                     int            height,
                                                     guint          seed,
                                                     const char    *format);
/* Writes it to @dir/@name and returns the GFile. */
GFile                *atelier_test_write_image      (const char    *dir,
                                                     const char    *name,
                                                     int            width,
                                                     int            height,
                                                     guint          seed,
                                                     const char    *format);
/* A PNG whose IHDR declares @width × @height, with a tiny IDAT: what a
 * decompression bomb's header looks like. */
GBytes               *atelier_test_make_png_header  (guint32        width,
                                                     guint32        height);
void                  atelier_test_rm_rf            (const char    *path);

G_END_DECLS
