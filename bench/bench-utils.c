/* bench-utils.c: what the benchmarks share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "bench-utils.h"

GHashTable *
bench_run_child (const char * const *args,
                 const char         *renderer,
                 const char         *tmpdir,
                 const char         *what,
                 int                *status)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *figures;
  int wait_status = 0;

  g_ptr_array_add (argv, (gpointer) "/proc/self/exe");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  if (g_strcmp0 (renderer, "default") == 0)
    envp = g_environ_unsetenv (envp, "GSK_RENDERER");
  else if (renderer != NULL)
    envp = g_environ_setenv (envp, "GSK_RENDERER", renderer, TRUE);
  if (tmpdir != NULL)
    envp = g_environ_setenv (envp, "TMPDIR", tmpdir, TRUE);

  if (!g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT,
                     NULL, NULL, &out, NULL, &wait_status, &error))
    g_error ("Cannot run the %s: %s", what, error->message);

  *status = 0;
  if (!g_spawn_check_wait_status (wait_status, &error))
    {
      *status = g_error_matches (error, G_SPAWN_EXIT_ERROR, 77) ? 77 : 1;
      g_printerr ("# the %s run failed: %s\n", what, error->message);
      if (out != NULL)
        g_printerr ("%s", out);
      return NULL;
    }

  figures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *colon = strstr (lines[i], ": ");

      if (lines[i][0] != '#' && colon != NULL)
        g_hash_table_insert (figures, g_strndup (lines[i], colon - lines[i]), g_strdup (colon + 2));
    }

  return figures;
}

const char *
bench_text_figure (GHashTable *figures,
                   const char *name,
                   const char *what)
{
  const char *value = g_hash_table_lookup (figures, name);

  if (value == NULL)
    g_error ("The %s run printed no %s", what, name);
  return value;
}
