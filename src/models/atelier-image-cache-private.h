/* atelier-image-cache-private.h: for the tests and the benchmark
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atelier-image-cache.h"

G_BEGIN_DECLS

/* Where the thumbnail of @url at @size is kept on disk. */
char *_atelier_image_cache_dup_disk_path (AtelierImageCache *self,
                                          const char        *url,
                                          int                size);

G_END_DECLS
