/* atelier-characteristics-group.c: the tune's characteristics, one row each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "atelier-characteristics-group.h"

struct _AtelierCharacteristicsGroup
{
  AdwPreferencesGroup  parent_instance;

  GtkWidget           *placeholder;
  GHashTable          *rows;      /* key → AdwEntryRow (unowned: children) */
  GHashTable          *edited;    /* keys the user changed (set) */
  gboolean             filling;   /* rows being set by code */
};

G_DEFINE_FINAL_TYPE (AtelierCharacteristicsGroup, atelier_characteristics_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* {{{ Titles and order */

static const struct { const char *key; const char *title; } known[] = {
  { "eye_color", N_("Eye Colour") },
  { "hair_color", N_("Hair Colour") },
  { "hair_length", N_("Hair Length") },
  { "hair_style", N_("Hair Style") },
  { "age", N_("Age") },
  { "ethnicity", N_("Ethnicity") },
  { "glasses", N_("Glasses") },
  { "facial_hair", N_("Facial Hair") },
  { "is_bald", N_("Bald") },
};

/* Known keys in the order above, then the others. */
static guint
rank (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_str_equal (known[i].key, key))
      return i;

  return G_N_ELEMENTS (known);
}

static const char *
title_for (const char *key)
{
  guint i = rank (key);

  return i < G_N_ELEMENTS (known) ? _(known[i].title) : key;
}

static int
compare_keys (const void *a,
              const void *b)
{
  const char *ka = *(const char * const *) a;
  const char *kb = *(const char * const *) b;
  guint ra = rank (ka);
  guint rb = rank (kb);

  return ra != rb ? (ra < rb ? -1 : 1) : strcmp (ka, kb);
}

static int
compare_names (const void *a,
               const void *b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* AdwPreferencesGroup only appends: put the rows back in order. */
static void
sort_rows (AtelierCharacteristicsGroup *self)
{
  guint n = 0;
  g_autofree const char **keys = (const char **) g_hash_table_get_keys_as_array (self->rows, &n);

  qsort (keys, n, sizeof (char *), compare_keys);
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *row = g_object_ref (g_hash_table_lookup (self->rows, keys[i]));

      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), row);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
      g_object_unref (row);
    }
}

/* }}} */

/* {{{ Rows */

static void
row_changed_cb (AtelierCharacteristicsGroup *self,
                GParamSpec                  *pspec,
                AdwEntryRow                 *row)
{
  if (self->filling)
    return;

  g_hash_table_add (self->edited, g_strdup (g_object_get_data (G_OBJECT (row), "atelier-key")));
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
clear_clicked_cb (AdwEntryRow *row)
{
  gtk_editable_set_text (GTK_EDITABLE (row), "");
}

static AdwEntryRow *
ensure_row (AtelierCharacteristicsGroup *self,
            const char                  *key)
{
  AdwEntryRow *row = g_hash_table_lookup (self->rows, key);
  GtkWidget *clear;
  g_autofree char *tooltip = NULL;
  g_autofree char *clear_label = NULL;

  if (row != NULL)
    return row;

  row = ADW_ENTRY_ROW (adw_entry_row_new ());
  /* An unknown key is the tune's own: text, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title_for (key));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), FALSE);
  /* Translators: %s is a template name, e.g. "{{eye_color}}" */
  tooltip = g_strdup_printf (_("Written as {{%s}} in prompts"), key);
  gtk_widget_set_tooltip_text (GTK_WIDGET (row), tooltip);
  g_object_set_data_full (G_OBJECT (row), "atelier-key", g_strdup (key), g_free);

  clear = gtk_button_new_from_icon_name ("edit-clear-symbolic");
  gtk_widget_set_valign (clear, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (clear, "flat");
  gtk_widget_set_tooltip_text (clear, _("Clear"));
  /* Translators: %s is a characteristic such as "Eye Colour" */
  clear_label = g_strdup_printf (_("Clear %s"), title_for (key));
  gtk_accessible_update_property (GTK_ACCESSIBLE (clear), GTK_ACCESSIBLE_PROPERTY_LABEL, clear_label, -1);
  g_signal_connect_swapped (clear, "clicked", G_CALLBACK (clear_clicked_cb), row);
  adw_entry_row_add_suffix (row, clear);

  g_signal_connect_object (row, "notify::text", G_CALLBACK (row_changed_cb), self, G_CONNECT_SWAPPED);

  g_hash_table_insert (self->rows, g_strdup (key), row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (row));
  gtk_widget_set_visible (self->placeholder, FALSE);

  return row;
}

static void
set_row_text (AtelierCharacteristicsGroup *self,
              AdwEntryRow                 *row,
              const char                  *text)
{
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (row)), text) == 0)
    return;

  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  self->filling = FALSE;
}

static void
remove_row (AtelierCharacteristicsGroup *self,
            const char                  *key)
{
  adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_hash_table_lookup (self->rows, key));
  g_hash_table_remove (self->rows, key);
}

/* }}} */

void
atelier_characteristics_group_set (AtelierCharacteristicsGroup *self,
                                   GHashTable                  *values,
                                   const char * const          *edited)
{
  g_autofree char **keys = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (ATELIER_IS_CHARACTERISTICS_GROUP (self));

  keys = (char **) g_hash_table_get_keys_as_array (self->rows, NULL);
  for (guint i = 0; keys[i] != NULL; i++)
    remove_row (self, keys[i]);
  g_hash_table_remove_all (self->edited);
  gtk_widget_set_visible (self->placeholder, TRUE);

  for (guint i = 0; edited != NULL && edited[i] != NULL; i++)
    g_hash_table_add (self->edited, g_strdup (edited[i]));

  g_hash_table_iter_init (&iter, values);
  while (g_hash_table_iter_next (&iter, &key, &value))
    set_row_text (self, ensure_row (self, key), value);
  sort_rows (self);
}

void
atelier_characteristics_group_update (AtelierCharacteristicsGroup *self,
                                      GHashTable                  *found)
{
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key, value;
  gboolean added = FALSE;

  g_return_if_fail (ATELIER_IS_CHARACTERISTICS_GROUP (self));

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (found, key) && !g_hash_table_contains (self->edited, key))
      g_ptr_array_add (gone, g_strdup (key));
  for (guint i = 0; i < gone->len; i++)
    remove_row (self, g_ptr_array_index (gone, i));

  g_hash_table_iter_init (&iter, found);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (g_hash_table_contains (self->edited, key))
        continue;

      if (!g_hash_table_contains (self->rows, key))
        added = TRUE;
      set_row_text (self, ensure_row (self, key), value);
    }
  if (added)
    sort_rows (self);

  gtk_widget_set_visible (self->placeholder, g_hash_table_size (self->rows) == 0);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

GHashTable *
atelier_characteristics_group_dup_values (AtelierCharacteristicsGroup *self)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, row;

  g_return_val_if_fail (ATELIER_IS_CHARACTERISTICS_GROUP (self), values);

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &key, &row))
    {
      g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));

      g_hash_table_replace (values, g_strdup (key), g_strdup (g_strstrip (text)));
    }

  return values;
}

GStrv
atelier_characteristics_group_dup_edited (AtelierCharacteristicsGroup *self)
{
  g_autofree char **keys = NULL;
  guint n = 0;
  GStrv edited;

  g_return_val_if_fail (ATELIER_IS_CHARACTERISTICS_GROUP (self), NULL);

  keys = (char **) g_hash_table_get_keys_as_array (self->edited, &n);
  edited = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    edited[i] = g_strdup (keys[i]);
  qsort (edited, n, sizeof (char *), compare_names);

  return edited;
}

static void
atelier_characteristics_group_finalize (GObject *object)
{
  AtelierCharacteristicsGroup *self = ATELIER_CHARACTERISTICS_GROUP (object);

  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->edited, g_hash_table_unref);

  G_OBJECT_CLASS (atelier_characteristics_group_parent_class)->finalize (object);
}

static void
atelier_characteristics_group_class_init (AtelierCharacteristicsGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = atelier_characteristics_group_finalize;

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
atelier_characteristics_group_init (AtelierCharacteristicsGroup *self)
{
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->edited = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  self->placeholder = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->placeholder),
                                 _("None yet: they appear as the photos are inspected"));
  gtk_widget_add_css_class (self->placeholder, "dim-label");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), self->placeholder);
}
