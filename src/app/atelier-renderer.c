/* atelier-renderer.c: GTK's renderer on machines without a GPU
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <epoxy/gl.h>
#include <string.h>

#include "atelier-renderer.h"

gboolean
atelier_renderer_gl_is_software (const char *gl_renderer)
{
  static const char * const software[] = {
    "llvmpipe",              /* Mesa, also under zink: "zink (llvmpipe …)" */
    "softpipe",              /* Mesa */
    "swrast",                /* Mesa's old name, and its DRI driver */
    "software rasterizer",   /* Mesa's generic name, Apple's */
    "swiftshader",           /* Google's, under ANGLE */
    "basic render driver",   /* Microsoft's WARP, through Mesa's d3d12 (WSL) */
  };
  g_autofree char *lower = NULL;

  if (gl_renderer == NULL)
    return FALSE;

  lower = g_ascii_strdown (gl_renderer, -1);
  for (guint i = 0; i < G_N_ELEMENTS (software); i++)
    if (strstr (lower, software[i]) != NULL)
      return TRUE;

  return FALSE;
}

const char *
atelier_renderer_choose (const char *gsk_renderer,
                         const char *gl_renderer)
{
  /* The user's choice, whatever it is (even one GTK will not know). */
  if (gsk_renderer != NULL && *gsk_renderer != '\0')
    return NULL;

  return atelier_renderer_gl_is_software (gl_renderer) ? "cairo" : NULL;
}

char *
atelier_renderer_dup_gl_name (GdkDisplay *display)
{
  g_autoptr(GdkGLContext) context = NULL;
  const char *name;
  char *result;

  g_return_val_if_fail (GDK_IS_DISPLAY (display), NULL);

  /* What GTK's GL renderer would be made with: the display's GL. */
  if (!gdk_display_prepare_gl (display, NULL))
    return NULL;

  context = gdk_display_create_gl_context (display, NULL);
  if (context == NULL || !gdk_gl_context_realize (context, NULL))
    return NULL;

  gdk_gl_context_make_current (context);
  name = (const char *) glGetString (GL_RENDERER);
  result = g_strdup (name);
  gdk_gl_context_clear_current ();

  return result;
}

char *
atelier_renderer_setup (void)
{
  const char *env = g_getenv ("GSK_RENDERER");
  g_autofree char *gl_name = NULL;
  const char *choice;

  if (env != NULL && *env != '\0')
    return g_strdup_printf ("%s: GSK_RENDERER, the user's choice", env);

  if (!gtk_init_check ())
    return g_strdup ("GTK's choice: no display to look at");

  gl_name = atelier_renderer_dup_gl_name (gdk_display_get_default ());
  choice = atelier_renderer_choose (env, gl_name);
  if (choice == NULL)
    return g_strdup_printf ("GTK's choice: GL is %s", gl_name != NULL ? gl_name : "not available");

  g_setenv ("GSK_RENDERER", choice, TRUE);
  g_debug ("Drawing with the %s renderer: GL is software (%s)", choice, gl_name);

  return g_strdup_printf ("%s: GL is software (%s)", choice, gl_name);
}
