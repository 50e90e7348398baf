/* atelier-pack-ui.c: how packs, their prices and test runs are written
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-base-models.h"
#include "atelier-pack-ui.h"
#include "atelier-tune-ui.h"

char *
atelier_pack_dup_display_title (AtelierPack *pack)
{
  const char *title = atelier_pack_get_title (pack);
  g_autofree char *id = NULL;

  if (title != NULL && *title != '\0')
    return g_strdup (title);

  id = g_strdup_printf ("%" G_GINT64_FORMAT, atelier_pack_get_id (pack));
  /* Translators: a pack without a title; %s is its number */
  return g_strdup_printf (_("Pack %s"), id);
}

char *
atelier_pack_dup_base_name (AtelierPack *pack)
{
  gint64 base_id = atelier_pack_get_base_tune_id (pack);
  const char *name = atelier_base_model_name (base_id);
  g_autofree char *id = NULL;

  if (name != NULL)
    return g_strdup (name);
  if (base_id <= 0)
    return NULL;

  id = g_strdup_printf ("%" G_GINT64_FORMAT, base_id);
  /* Translators: a base model that is not a known gallery model; %s is its tune id */
  return g_strdup_printf (_("Tune %s"), id);
}

char *
atelier_pack_dup_summary (AtelierPack *pack)
{
  g_autofree char *base = atelier_pack_dup_base_name (pack);
  const char *model_type = atelier_tune_model_type_label (atelier_pack_get_model_type (pack));

  if (base == NULL)
    return g_strdup (model_type);
  /* Translators: a pack's base model and its model type, e.g. "Flux1.dev · LoRA" */
  return g_strdup_printf (_("%s · %s"), base, model_type);
}

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
atelier_pack_text_row_new (const char *title,
                           const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  return row;
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
