/* atelier-sandbox-main.c: the sandbox server as a standalone tool
 *
 *   atelier-sandbox-server --port N --data-dir DIR [--api-key KEY]
 *                          [--no-test-controls]
 *                          [--training-delay-ms MS] [--prompt-delay-ms MS]
 *                          [--fal-delay-ms MS] [--image-size PX]
 *
 * Only one key is accepted: --api-key, else $ATELIER_SANDBOX_API_KEY (not
 * seen by other users in the process list), else a random one made at
 * start and printed on stdout as "Atelier sandbox API key: KEY", before
 * the "listening on" line. The test controls (/__sandbox/faults) are on,
 * behind that key, unless --no-test-controls.
 *
 * Serves until SIGINT or SIGTERM, then stops cleanly (saving its state).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <locale.h>
#include <glib-unix.h>

#include "atelier-sandbox-server.h"

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);

  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(AtelierSandboxServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *api_key = NULL;
  g_autofree char *base_url = NULL;
  int port = 0;
  int training_delay_ms = 60000;
  int prompt_delay_ms = 2000;
  int fal_delay_ms = 2000;
  int image_size = 1024;
  gboolean no_test_controls = FALSE;
  gboolean generated_key = FALSE;
  guint sigint_id;
  guint sigterm_id;
  const GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "Port to listen on (0: any free port)", "N" },
    { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir, "Where to keep the state and images", "DIR" },
    { "api-key", 'k', 0, G_OPTION_ARG_STRING, &api_key,
      "Accept only this API key (default: $ATELIER_SANDBOX_API_KEY, else a random key, printed)", "KEY" },
    { "no-test-controls", 0, 0, G_OPTION_ARG_NONE, &no_test_controls,
      "Answer 404 to /__sandbox/faults (on by default, behind the key)", NULL },
    { "training-delay-ms", 0, 0, G_OPTION_ARG_INT, &training_delay_ms, "How long tunes train", "MS" },
    { "prompt-delay-ms", 0, 0, G_OPTION_ARG_INT, &prompt_delay_ms, "How long prompts take", "MS" },
    { "fal-delay-ms", 0, 0, G_OPTION_ARG_INT, &fal_delay_ms, "How long fal requests take", "MS" },
    { "image-size", 0, 0, G_OPTION_ARG_INT, &image_size, "Side of the placeholder images", "PX" },
    { NULL }
  };

  setlocale (LC_ALL, "");

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, "Serve an Astria- and fal-compatible sandbox on 127.0.0.1.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  if (port < 0 || port > 65535 || training_delay_ms < 0 || prompt_delay_ms < 0 ||
      fal_delay_ms < 0 || image_size < 16 || image_size > 8192)
    {
      g_printerr ("Invalid option value\n");
      return EXIT_FAILURE;
    }

  if (data_dir == NULL)
    data_dir = g_build_filename (g_get_user_data_dir (), "atelier", "sandbox", NULL);

  if (api_key == NULL && g_getenv ("ATELIER_SANDBOX_API_KEY") != NULL)
    api_key = g_strdup (g_getenv ("ATELIER_SANDBOX_API_KEY"));
  if (api_key != NULL)
    g_strstrip (api_key);
  if (api_key == NULL || api_key[0] == '\0')
    {
      g_free (api_key);
      api_key = atelier_sandbox_generate_key ();
      generated_key = TRUE;
    }

  server = atelier_sandbox_server_new (data_dir);
  atelier_sandbox_server_set_api_key (server, api_key);
  atelier_sandbox_server_set_test_controls (server, !no_test_controls);
  atelier_sandbox_server_set_training_delay_ms (server, training_delay_ms);
  atelier_sandbox_server_set_prompt_delay_ms (server, prompt_delay_ms);
  atelier_sandbox_server_set_fal_delay_ms (server, fal_delay_ms);
  atelier_sandbox_server_set_image_size (server, image_size);

  if (!atelier_sandbox_server_start (server, port, &error))
    {
      g_printerr ("Could not start the sandbox: %s\n", error->message);
      return EXIT_FAILURE;
    }

  base_url = atelier_sandbox_server_dup_base_url (server);
  /* Printing the key it made is this tool's job (to its own stdout only). */
  if (generated_key)
    g_print ("Atelier sandbox API key: %s\n", api_key);
  g_print ("Atelier sandbox listening on %s\n", base_url);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  atelier_sandbox_server_stop (server);
  g_print ("Atelier sandbox stopped\n");

  return EXIT_SUCCESS;
}
