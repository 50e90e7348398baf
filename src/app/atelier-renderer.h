/* atelier-renderer.h: GTK's renderer on machines without a GPU
 *
 * Without a GPU, GL is Mesa's software rasteriser (llvmpipe, softpipe).
 * GTK's GL renderer then emulates a GPU on the CPU: its rasteriser
 * threads compete with the image decoders for the cores, and every
 * texture is kept twice in RAM (GTK's copy and "video" memory that is
 * RAM too). GTK's cairo renderer draws the same frames directly, for
 * less CPU and memory (README's benchmark section has the figures).
 *
 * So when the user set no GSK_RENDERER and the display's GL is a
 * software one, Atelier sets GSK_RENDERER=cairo before its first window
 * is realized (GTK reads the variable when it makes the first surface's
 * renderer). A GSK_RENDERER the user set always wins, whatever it says.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Whether @gl_renderer (GL_RENDERER of a context) names a software
 * rasteriser: llvmpipe, softpipe, swrast, SwiftShader, Microsoft's WARP. */
gboolean  atelier_renderer_gl_is_software (const char *gl_renderer);

/* The renderer Atelier asks GTK for: "cairo", or NULL to leave GTK's
 * own choice. @gsk_renderer: $GSK_RENDERER (NULL or empty: unset);
 * @gl_renderer: GL_RENDERER of the display's GL, NULL when there is
 * no GL (GTK then uses cairo by itself). */
const char *atelier_renderer_choose       (const char *gsk_renderer,
                                           const char *gl_renderer);

/* The GL_RENDERER string of @display's GL, or NULL when it has none.
 * Makes a GL context and drops it (some milliseconds; on X11 GTK has
 * initialized GL when it opened the display). (transfer full) */
char       *atelier_renderer_dup_gl_name   (GdkDisplay *display);

/* Opens the default display if needed (gtk_init_check()) and applies
 * atelier_renderer_choose(): sets GSK_RENDERER=cairo when it says so.
 * Call it from main() before the application runs: before any surface
 * has a renderer, and while no other thread reads the environment.
 * Returns what was decided and why, for logs and benchmarks, e.g.
 * "cairo: GL is software (llvmpipe (LLVM 15.0.6, 256 bits))".
 * (transfer full) */
char       *atelier_renderer_setup         (void);

G_END_DECLS
