/* test-renderer.c: the renderer Atelier asks GTK for
 *
 * The choice itself on GL_RENDERER strings (software rasterisers and
 * GPUs, some of whose names mention LLVM too), and what it does in a real
 * process on this display: each case runs in a subprocess of its own,
 * since GTK reads GSK_RENDERER once, when it makes the first surface's
 * renderer. A GSK_RENDERER the user set is never touched; unset, a
 * software GL gives cairo and any other GL is left to GTK.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "atelier-renderer.h"

static void
test_software_names (void)
{
  const char *software[] = {
    "llvmpipe (LLVM 15.0.6, 256 bits)",
    "llvmpipe (LLVM 11.0.1, 128 bits)",
    "softpipe",
    "Software Rasterizer",
    "Mesa X11 swrast",
    "zink Vulkan 1.3(llvmpipe (LLVM 15.0.6, 256 bits) (MESA_LLVMPIPE))",
    "D3D12 (Microsoft Basic Render Driver)",
    "Google SwiftShader",
  };
  const char *hardware[] = {
    "Mesa Intel(R) UHD Graphics 620 (KBL GT2)",
    "AMD Radeon RX 6600 (navi23, LLVM 15.0.6, DRM 3.49, 6.1.0-13-amd64)",
    "NVIDIA GeForce RTX 3060/PCIe/SSE2",
    "virgl (Mesa Intel(R) Xe Graphics (TGL GT2))",
    "SVGA3D; build: RELEASE;  LLVM;",
    "Apple M1",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (software); i++)
    g_assert_true (atelier_renderer_gl_is_software (software[i]));
  for (guint i = 0; i < G_N_ELEMENTS (hardware); i++)
    g_assert_false (atelier_renderer_gl_is_software (hardware[i]));
  g_assert_false (atelier_renderer_gl_is_software (NULL));
}

static void
test_choose (void)
{
  const char *llvmpipe = "llvmpipe (LLVM 15.0.6, 256 bits)";
  const char *gpu = "Mesa Intel(R) UHD Graphics 620 (KBL GT2)";
  const char *users[] = { "gl", "ngl", "opengl", "cairo", "vulkan", "help", "no-such-renderer" };

  /* The user's choice wins, whatever it is and whatever the GL. */
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      g_assert_null (atelier_renderer_choose (users[i], llvmpipe));
      g_assert_null (atelier_renderer_choose (users[i], gpu));
      g_assert_null (atelier_renderer_choose (users[i], NULL));
    }

  /* No choice: cairo on a software rasteriser, GTK's choice otherwise
   * (without GL, GTK uses cairo by itself). */
  g_assert_cmpstr (atelier_renderer_choose (NULL, llvmpipe), ==, "cairo");
  g_assert_cmpstr (atelier_renderer_choose ("", llvmpipe), ==, "cairo");
  g_assert_null (atelier_renderer_choose (NULL, gpu));
  g_assert_null (atelier_renderer_choose (NULL, NULL));
}

/* {{{ In a process of its own */

/* The renderer GTK gives a window realized now. */
static const char *
window_renderer (void)
{
  GtkWidget *window = gtk_window_new ();
  const char *name;

  gtk_widget_realize (window);
  name = G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window)));
  gtk_window_destroy (GTK_WINDOW (window));

  return name;
}

static gboolean
display_has_gl (void)
{
  return gdk_display_prepare_gl (gdk_display_get_default (), NULL);
}

static void
test_user_choice (gconstpointer data)
{
  const char *value = data;

  if (g_test_subprocess ())
    {
      g_autofree char *said = NULL;

      g_setenv ("GSK_RENDERER", value, TRUE);
      said = atelier_renderer_setup ();
      g_test_message ("setup: %s", said);
      g_assert_nonnull (strstr (said, "the user's choice"));
      g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, value);
      g_assert_true (gtk_init_check ());

      if (g_str_equal (value, "cairo") || !display_has_gl ())
        g_assert_cmpstr (window_renderer (), ==, "GskCairoRenderer");
      else
        g_assert_cmpstr (window_renderer (), ==, "GskGLRenderer");   /* even on llvmpipe */
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_no_choice (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *said = NULL;
      g_autofree char *gl = NULL;

      g_unsetenv ("GSK_RENDERER");
      said = atelier_renderer_setup ();
      g_test_message ("setup: %s", said);
      gl = atelier_renderer_dup_gl_name (gdk_display_get_default ());
      g_test_message ("GL_RENDERER: %s", gl != NULL ? gl : "(no GL)");

      if (atelier_renderer_gl_is_software (gl))
        {
          /* Under Xvfb and on machines without a GPU: cairo. */
          g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "cairo");
          g_assert_cmpstr (window_renderer (), ==, "GskCairoRenderer");
        }
      else
        {
          g_assert_null (g_getenv ("GSK_RENDERER"));
          g_assert_cmpstr (window_renderer (), ==, gl != NULL ? "GskGLRenderer" : "GskCairoRenderer");
        }
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* The subprocesses open the display themselves, after setting their
   * environment, as main() does. */
  if (!g_test_subprocess () && !gtk_init_check ())
    {
      g_printerr ("No display: skipping\n");
      return 77;
    }

  g_test_add_func ("/renderer/software-names", test_software_names);
  g_test_add_func ("/renderer/choose", test_choose);
  g_test_add_data_func ("/renderer/user-choice/gl", "gl", test_user_choice);
  g_test_add_data_func ("/renderer/user-choice/cairo", "cairo", test_user_choice);
  g_test_add_func ("/renderer/no-choice", test_no_choice);

  return g_test_run ();
}
