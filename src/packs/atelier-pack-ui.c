/* atelier-pack-ui.c: how packs, their prices and test runs are written
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-base-models.h"
#include "atelier-pack-ui.h"
#include "atelier-tune-ui.h"

gboolean
atelier_pack_has_prices (AtelierPack *pack)
{
  g_auto(GStrv) classes = atelier_pack_dup_cost_classes (pack);

  return classes[0] != NULL;
}

char *
atelier_pack_run_dup_when (AtelierPackRun *run)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (atelier_pack_run_get_started_at (run));

  /* Translators: when a test run started, strftime() format: "7 Dec 2026, 05:16" */
  return g_date_time_format (local, _("%-d %b %Y, %H:%M"));
}

char *
atelier_pack_run_dup_tunes_text (AtelierPackRun *run)
{
  guint n = atelier_pack_run_get_n_tunes (run);
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append (names, ", ");
      g_string_append (names, atelier_pack_run_get_tune_title (run, i));
    }

  /* Translators: a number of tunes, then their names: "3 tunes: Ada, Alan, Bob" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u tune: %s", "%u tunes: %s", n), n, names->str);
}

GtkWidget *
atelier_pack_placeholder_new (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "atelier-placeholder");

  return label;
}
