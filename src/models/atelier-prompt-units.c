/* atelier-prompt-units.c: the gallery's list, one item per prompt
 *
 * Keeps, for each prompt, the position of its first item in the prompts
 * model, in display order. An ::items-changed of the prompts model at
 * @position (removed, added) removes the units starting in the removed
 * range, shifts those after it, and adds a unit for each prompt among the
 * added items.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-prompt-units.h"
#include "atelier-prompts-model-private.h"

struct _AtelierPromptUnits
{
  GObject              parent_instance;

  AtelierPromptsModel *model;   /* (weak) */
  GArray              *starts;  /* guint: each unit's first item */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AtelierPromptUnits, atelier_prompt_units, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static gint64
prompt_id_at (AtelierPromptUnits *self,
              guint               item_position)
{
  return atelier_gallery_item_get_prompt_id (_atelier_prompts_model_peek_item (self->model, item_position));
}

/* The first unit whose first item is at or after @item_position. */
static guint
lower_bound (AtelierPromptUnits *self,
             guint               item_position)
{
  guint low = 0;
  guint high = self->starts->len;

  while (low < high)
    {
      guint middle = low + (high - low) / 2;

      if (g_array_index (self->starts, guint, middle) < item_position)
        low = middle + 1;
      else
        high = middle;
    }

  return low;
}

static void
items_changed_cb (AtelierPromptUnits *self,
                  guint               position,
                  guint               removed,
                  guint               added)
{
  g_autoptr(GArray) fresh = g_array_new (FALSE, FALSE, sizeof (guint));
  guint first = lower_bound (self, position);
  guint last = lower_bound (self, position + removed);
  gint64 previous = 0;

  for (guint i = last; i < self->starts->len; i++)
    g_array_index (self->starts, guint, i) = g_array_index (self->starts, guint, i) - removed + added;

  for (guint i = 0; i < added; i++)
    {
      gint64 id = prompt_id_at (self, position + i);

      if (i == 0 || id != previous)
        {
          guint start = position + i;

          g_array_append_val (fresh, start);
        }
      previous = id;
    }

  g_array_remove_range (self->starts, first, last - first);
  g_array_insert_vals (self->starts, first, fresh->data, fresh->len);

  if (last - first > 0 || fresh->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), first, last - first, fresh->len);
}

/* GListModel */

static GType
get_item_type (GListModel *list)
{
  return ATELIER_TYPE_GALLERY_ITEM;
}

static guint
get_n_items (GListModel *list)
{
  return ATELIER_PROMPT_UNITS (list)->starts->len;
}

static gpointer
get_item (GListModel *list,
          guint       position)
{
  AtelierPromptUnits *self = ATELIER_PROMPT_UNITS (list);
  guint item_position;

  if (self->model == NULL || position >= self->starts->len)
    return NULL;

  item_position = g_array_index (self->starts, guint, position);
  /* The prompts model pages on as its items near the end are asked for. */
  _atelier_prompts_model_note_wanted (self->model, item_position);

  return g_object_ref (_atelier_prompts_model_peek_item (self->model, item_position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

int
atelier_prompt_units_find (AtelierPromptUnits *self,
                           gint64              prompt_id)
{
  g_return_val_if_fail (ATELIER_IS_PROMPT_UNITS (self), -1);

  for (guint i = 0; self->model != NULL && i < self->starts->len; i++)
    {
      if (prompt_id_at (self, g_array_index (self->starts, guint, i)) == prompt_id)
        return (int) i;
    }

  return -1;
}

guint
atelier_prompt_units_get_item_position (AtelierPromptUnits *self,
                                        guint               position)
{
  g_return_val_if_fail (ATELIER_IS_PROMPT_UNITS (self), 0);
  g_return_val_if_fail (position < self->starts->len, 0);

  return g_array_index (self->starts, guint, position);
}

/* GObject */

static void
atelier_prompt_units_dispose (GObject *object)
{
  AtelierPromptUnits *self = ATELIER_PROMPT_UNITS (object);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_weak_pointer (&self->model);

  G_OBJECT_CLASS (atelier_prompt_units_parent_class)->dispose (object);
}

static void
atelier_prompt_units_finalize (GObject *object)
{
  AtelierPromptUnits *self = ATELIER_PROMPT_UNITS (object);

  g_array_unref (self->starts);

  G_OBJECT_CLASS (atelier_prompt_units_parent_class)->finalize (object);
}

static void
atelier_prompt_units_class_init (AtelierPromptUnitsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = atelier_prompt_units_dispose;
  object_class->finalize = atelier_prompt_units_finalize;
}

static void
atelier_prompt_units_init (AtelierPromptUnits *self)
{
  self->starts = g_array_new (FALSE, FALSE, sizeof (guint));
}

AtelierPromptUnits *
atelier_prompt_units_new (AtelierPromptsModel *model)
{
  AtelierPromptUnits *self;
  guint n;

  g_return_val_if_fail (ATELIER_IS_PROMPTS_MODEL (model), NULL);

  self = g_object_new (ATELIER_TYPE_PROMPT_UNITS, NULL);
  g_set_weak_pointer (&self->model, model);
  g_signal_connect_swapped (model, "items-changed", G_CALLBACK (items_changed_cb), self);

  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  if (n > 0)
    items_changed_cb (self, 0, 0, n);

  return self;
}
