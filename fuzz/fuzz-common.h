/* fuzz-common.h: what every target sets up first
 *
 * A GLib critical or warning is a finding: it aborts, and libFuzzer keeps
 * the input like any other crash's (GLib would end a fatal message with
 * SIGTRAP, which libFuzzer does not catch). The image targets leave out
 * gdk-pixbuf's own messages: its loaders report broken files with
 * criticals and warnings that are not ours to fix (fuzz/README.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <signal.h>
#include <stdlib.h>

#include <glib.h>

static GLogLevelFlags fuzz_fatal_levels;
static const char *fuzz_ignored_domain;

static void
fuzz_on_trap (int signum)
{
  abort ();
}

static GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  const char *domain = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
        domain = fields[i].value;
    }

  if (fuzz_ignored_domain != NULL && g_strcmp0 (domain, fuzz_ignored_domain) == 0)
    return G_LOG_WRITER_HANDLED;

  g_log_writer_default (level, fields, n_fields, user_data);
  if (level & fuzz_fatal_levels)
    abort ();

  return G_LOG_WRITER_HANDLED;
}

/* @fatal: the levels that are findings, except from @ignored_domain
 * (nullable) */
static inline void
fuzz_init_except (GLogLevelFlags  fatal,
                  const char     *ignored_domain)
{
  signal (SIGTRAP, fuzz_on_trap);
  fuzz_fatal_levels = fatal;
  fuzz_ignored_domain = ignored_domain;
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
}

static inline void
fuzz_init (GLogLevelFlags fatal)
{
  fuzz_init_except (fatal, NULL);
}
