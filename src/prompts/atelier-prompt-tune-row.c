/* atelier-prompt-tune-row.c: which tune the prompt editor writes for
 *
 * The choices are rebuilt whenever tunes come in; ::changed tells after
 * each rebuild and after each choice of the user's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-prompt-tune-row.h"
#include "atelier-shell.h"
#include "atelier-tune-choices.h"
#include "atelier-widget-utils.h"

#define MAX_TUNE_PAGES 10

/* A choice: one of the user's tunes or a base model. */
typedef struct
{
  gint64       id;
  AtelierTune *tune;   /* NULL for a base model */
} Choice;

struct _AtelierPromptTuneRow
{
  AdwComboRow    parent_instance;

  GtkStringList *names;
  GArray        *choices;      /* Choice */
  GPtrArray     *tunes;        /* the account's, once fetched */
  AtelierTune   *tune;         /* the one the editor was opened for */
  gint64         wanted_id;    /* select when the tunes come */
  gboolean       picked;       /* the user chose a tune */
  guint          selected;     /* the position chosen last */
  gboolean       updating;     /* rebuilding the choices */
  GCancellable  *cancellable;
};

G_DEFINE_FINAL_TYPE (AtelierPromptTuneRow, atelier_prompt_tune_row, ADW_TYPE_COMBO_ROW)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
choice_clear (Choice *choice)
{
  g_clear_object (&choice->tune);
}

static const Choice *
selected_choice (AtelierPromptTuneRow *self)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self));

  if (selected == GTK_INVALID_LIST_POSITION || selected >= self->choices->len)
    return NULL;

  return &g_array_index (self->choices, Choice, selected);
}

static void
append_choice (AtelierPromptTuneRow *self,
               gint64                id,
               AtelierTune          *tune,
               const char           *name)
{
  Choice choice = { id, tune != NULL ? g_object_ref (tune) : NULL };

  g_array_append_val (self->choices, choice);
  gtk_string_list_append (self->names, name);
}

static void
append_tune (AtelierPromptTuneRow *self,
             AtelierTune          *tune)
{
  g_autofree char *name = atelier_tune_dup_short_title (tune);

  append_choice (self, atelier_tune_get_id (tune), tune, name);
}

static void
select_choice (AtelierPromptTuneRow *self,
               gint64                id)
{
  for (guint i = 0; i < self->choices->len; i++)
    {
      if (g_array_index (self->choices, Choice, i).id == id)
        {
          adw_combo_row_set_selected (ADW_COMBO_ROW (self), i);
          return;
        }
    }
}

static gboolean
has_choice (AtelierPromptTuneRow *self,
            gint64                id)
{
  for (guint i = 0; i < self->choices->len; i++)
    {
      if (g_array_index (self->choices, Choice, i).id == id)
        return TRUE;
    }

  return FALSE;
}

/* The account's tunes, the editor's tune, the base models; then the
 * wanted or the user's choice again. */
static void
set_choices (AtelierPromptTuneRow *self)
{
  const Choice *current = selected_choice (self);
  gint64 selected_id = 0;

  /* Keep what the user or the caller chose; otherwise the newest tune. */
  if (self->wanted_id != 0)
    selected_id = self->wanted_id;
  else if (self->picked && current != NULL)
    selected_id = current->id;
  self->updating = TRUE;
  gtk_string_list_splice (self->names, 0, g_list_model_get_n_items (G_LIST_MODEL (self->names)), NULL);
  g_array_set_size (self->choices, 0);

  for (guint i = 0; self->tunes != NULL && i < self->tunes->len; i++)
    append_tune (self, g_ptr_array_index (self->tunes, i));
  if (self->tune != NULL && !has_choice (self, atelier_tune_get_id (self->tune)))
    append_tune (self, self->tune);

  {
    guint n_models;
    const AtelierBaseModel *models = atelier_base_models_get_all (&n_models);

    for (guint i = 0; i < n_models; i++)
      {
        /* Translators: %s is a base model, e.g. "Flux1.dev" */
        g_autofree char *label = g_strdup_printf (_("%s (base model)"), models[i].name);

        append_choice (self, models[i].tune_id, NULL, label);
      }
  }

  if (selected_id != 0)
    {
      if (!has_choice (self, selected_id))
        {
          g_autofree char *name = g_strdup_printf (_("Tune %" G_GINT64_FORMAT), selected_id);
          append_choice (self, selected_id, NULL, name);
        }
      select_choice (self, selected_id);
    }
  self->selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self));
  self->updating = FALSE;

  g_signal_emit (self, signals[CHANGED], 0, FALSE);
}

/* AdwComboRow notifies :selected also when it did not change (when
 * :use-subtitle is set, say): only a change is a choice. */
static void
selected_cb (AtelierPromptTuneRow *self)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self));

  if (self->updating || selected == self->selected)
    return;

  self->selected = selected;
  self->wanted_id = 0;
  self->picked = TRUE;
  g_signal_emit (self, signals[CHANGED], 0, TRUE);
}

static void
tunes_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  AtelierPromptTuneRow *self = user_data;
  g_autoptr(GPtrArray) tunes = atelier_widget_fetch_tune_choices_finish (user_data, result);

  if (tunes == NULL)
    return;

  g_clear_pointer (&self->tunes, g_ptr_array_unref);
  self->tunes = g_ptr_array_ref (tunes);
  set_choices (self);
  self->wanted_id = 0;
}

void
atelier_prompt_tune_row_set_tune (AtelierPromptTuneRow *self,
                                  AtelierTune          *tune)
{
  g_return_if_fail (ATELIER_IS_PROMPT_TUNE_ROW (self));
  g_return_if_fail (ATELIER_IS_TUNE (tune));

  g_set_object (&self->tune, tune);
  self->wanted_id = atelier_tune_get_id (tune);
  set_choices (self);
  select_choice (self, self->wanted_id);
}

void
atelier_prompt_tune_row_load (AtelierPromptTuneRow *self,
                              AtelierAstriaClient  *client)
{
  g_return_if_fail (ATELIER_IS_PROMPT_TUNE_ROW (self));
  g_return_if_fail (ATELIER_IS_ASTRIA_CLIENT (client));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  atelier_tune_choices_fetch_async (client, MAX_TUNE_PAGES, self->cancellable, tunes_cb, self);
}

void
atelier_prompt_tune_row_set_target_id (AtelierPromptTuneRow *self,
                                       gint64                tune_id)
{
  g_return_if_fail (ATELIER_IS_PROMPT_TUNE_ROW (self));

  self->wanted_id = tune_id;
  set_choices (self);
  select_choice (self, tune_id);
}

void
atelier_prompt_tune_row_pick (AtelierPromptTuneRow *self,
                              gint64                tune_id)
{
  g_return_if_fail (ATELIER_IS_PROMPT_TUNE_ROW (self));

  self->picked = TRUE;
  select_choice (self, tune_id);
}

AtelierTune *
atelier_prompt_tune_row_get_tune (AtelierPromptTuneRow *self)
{
  const Choice *choice;

  g_return_val_if_fail (ATELIER_IS_PROMPT_TUNE_ROW (self), NULL);

  choice = selected_choice (self);
  return choice != NULL ? choice->tune : NULL;
}

void
atelier_prompt_tune_row_get_target (AtelierPromptTuneRow *self,
                                    AtelierPromptTarget  *target)
{
  const Choice *choice;

  g_return_if_fail (ATELIER_IS_PROMPT_TUNE_ROW (self));

  choice = selected_choice (self);
  *target = (AtelierPromptTarget) { 0 };
  if (choice == NULL)
    return;

  if (choice->tune != NULL)
    atelier_prompt_target_for_tune (choice->tune, target);
  else
    atelier_prompt_target_for_tune_id (choice->id, target);
}

GPtrArray *
atelier_prompt_tune_row_dup_tunes (AtelierPromptTuneRow *self)
{
  GPtrArray *tunes;

  g_return_val_if_fail (ATELIER_IS_PROMPT_TUNE_ROW (self), NULL);

  tunes = g_ptr_array_new ();
  for (guint i = 0; i < self->choices->len; i++)
    {
      AtelierTune *tune = g_array_index (self->choices, Choice, i).tune;

      if (tune != NULL)
        g_ptr_array_add (tunes, tune);
    }

  return tunes;
}

char *
atelier_prompt_tune_row_dup_description (AtelierPromptTuneRow *self)
{
  AtelierPromptTarget target;
  const char *base = NULL;
  g_autoptr(GtkStringObject) name = NULL;

  g_return_val_if_fail (ATELIER_IS_PROMPT_TUNE_ROW (self), NULL);

  atelier_prompt_tune_row_get_target (self, &target);
  if (target.tune_id == 0)
    return NULL;

  base = atelier_base_model_name (target.tune_id);

  if (target.tag_tune_id != 0 && base != NULL)
    return g_strdup_printf (_("Runs on %s with the tune’s tag"), base);
  if (base != NULL)
    return g_strdup_printf (_("Runs on %s"), base);

  name = g_list_model_get_item (G_LIST_MODEL (self->names), adw_combo_row_get_selected (ADW_COMBO_ROW (self)));
  return name != NULL ? g_strdup_printf (_("Runs on %s"), gtk_string_object_get_string (name))
                      : g_strdup_printf (_("Runs on tune %" G_GINT64_FORMAT), target.tune_id);
}

gboolean
atelier_prompt_tune_row_runs_on_small_model (AtelierPromptTuneRow *self)
{
  AtelierPromptTarget target;
  AtelierTune *tune;

  g_return_val_if_fail (ATELIER_IS_PROMPT_TUNE_ROW (self), FALSE);

  atelier_prompt_tune_row_get_target (self, &target);
  tune = atelier_prompt_tune_row_get_tune (self);

  return g_strcmp0 (target.branch, "sd15") == 0 ||
         (tune != NULL && g_strcmp0 (atelier_tune_get_branch (tune), "sd15") == 0);
}

/* GObject */

static void
atelier_prompt_tune_row_dispose (GObject *object)
{
  AtelierPromptTuneRow *self = ATELIER_PROMPT_TUNE_ROW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (atelier_prompt_tune_row_parent_class)->dispose (object);
}

static void
atelier_prompt_tune_row_finalize (GObject *object)
{
  AtelierPromptTuneRow *self = ATELIER_PROMPT_TUNE_ROW (object);

  g_clear_object (&self->tune);
  g_clear_pointer (&self->tunes, g_ptr_array_unref);
  g_array_unref (self->choices);
  g_clear_object (&self->names);

  G_OBJECT_CLASS (atelier_prompt_tune_row_parent_class)->finalize (object);
}

static void
atelier_prompt_tune_row_class_init (AtelierPromptTuneRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = atelier_prompt_tune_row_dispose;
  object_class->finalize = atelier_prompt_tune_row_finalize;

  /**
   * AtelierPromptTuneRow::changed:
   * @self: the row
   * @picked: the user chose; otherwise the choices were rebuilt
   *
   * The choice, and so where a prompt goes, may have changed.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
atelier_prompt_tune_row_init (AtelierPromptTuneRow *self)
{
  self->choices = g_array_new (FALSE, TRUE, sizeof (Choice));
  g_array_set_clear_func (self->choices, (GDestroyNotify) choice_clear);
  self->names = gtk_string_list_new (NULL);
  adw_combo_row_set_model (ADW_COMBO_ROW (self), G_LIST_MODEL (self->names));
  g_signal_connect (self, "notify::selected", G_CALLBACK (selected_cb), NULL);

  set_choices (self);
}
