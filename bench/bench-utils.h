/* bench-utils.h: what the benchmarks share
 *
 * Each benchmark measures in a child process per renderer (GTK reads
 * GSK_RENDERER once) and reads the child's "name: value" lines.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs this program again with @args (NULL-terminated, after the program
 * name) under @renderer ("default": GSK_RENDERER unset, the app's own
 * choice; NULL: the environment's), with TMPDIR=@tmpdir unless NULL.
 * Returns its "name: value" lines (not those starting with '#'), or NULL
 * when it failed: then *@status is 77 (skipped) or 1, and what it printed
 * is passed on with "# the @what run failed: …". The child's stderr goes
 * straight to ours. (transfer full) */
GHashTable *bench_run_child   (const char * const *args,
                               const char         *renderer,
                               const char         *tmpdir,
                               const char         *what,
                               int                *status);

/* The figure @name of @figures; aborts when the @what run printed none. */
const char *bench_text_figure (GHashTable         *figures,
                               const char         *name,
                               const char         *what);

G_END_DECLS
