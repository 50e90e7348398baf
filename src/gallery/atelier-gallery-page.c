/* atelier-gallery-page.c: every image of every tune, liked, kept, reviewed
 *
 * A one-column GtkGridView over the prompts model's units, one
 * AtelierGalleryRow per visible prompt (a grid view keeps about 33 rows
 * alive where a list view keeps 200): the rows and their cells bind and
 * unbind as the view scrolls, and each unbind cancels the cell's image
 * load. The toolbar sets the model's filters; activating an image opens
 * the viewer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-gallery-cell.h"
#include "atelier-gallery-page-private.h"
#include "atelier-gallery-row.h"
#include "atelier-prompt-actions.h"
#include "atelier-prompt-route.h"
#include "atelier-base-models.h"
#include "atelier-prompt-tags.h"
#include "atelier-tune-choices.h"
#include "atelier-viewer.h"
#include "atelier-shell.h"
#include "atelier-widget-utils.h"

#define MAX_TUNE_PAGES 10

/* The tune drop-down: "All Tunes", the FaceID results (made on this
 * computer, a source rather than a tune), then the tunes. */
#define SOURCE_POSITION     1
#define FIRST_TUNE_POSITION 2

struct _AtelierGalleryPage
{
  AdwBin               parent_instance;

  /* template */
  GtkDropDown         *tune_dropdown;
  GtkSearchEntry      *search_entry;
  GtkToggleButton     *liked_button;
  GtkStack            *stack;
  GtkScrolledWindow   *scrolled_window;
  GtkGridView         *grid_view;
  AdwStatusPage       *empty_page;
  AdwStatusPage       *error_page;
  GtkRevealer         *status_revealer;
  GtkSpinner          *status_spinner;
  GtkLabel            *status_label;

  AtelierSession      *session;
  AtelierAstriaClient *client;
  AtelierPromptsModel *model;
  AtelierLikes        *likes;
  AtelierLibrary      *library;
  GtkStringList       *tune_names;   /* "All tunes", the source, then the tunes */
  GPtrArray           *tunes;        /* AtelierTune, in tune_names order from FIRST_TUNE_POSITION */
  GCancellable        *cancellable;  /* tune list */
  gint64               wanted_tune;  /* show_tune() before the tunes came */
  gint64               wanted_prompt; /* show_source() before its prompt came */
  gboolean             setting_tunes;
  gboolean             error_shown;  /* one thumbnail error per load */
  AtelierPromptsSort   sort;
  GtkWindow           *viewer;       /* (weak) */
};

G_DEFINE_FINAL_TYPE (AtelierGalleryPage, atelier_gallery_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_SESSION,
  PROP_LOADING,
  PROP_SORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The tune chosen in the drop-down, or NULL. */
static AtelierTune *
selected_tune (AtelierGalleryPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->tune_dropdown);

  if (selected == GTK_INVALID_LIST_POSITION || selected < FIRST_TUNE_POSITION ||
      selected - FIRST_TUNE_POSITION >= self->tunes->len)
    return NULL;

  return g_ptr_array_index (self->tunes, selected - FIRST_TUNE_POSITION);
}

static gboolean
source_selected (AtelierGalleryPage *self)
{
  return gtk_drop_down_get_selected (self->tune_dropdown) == SOURCE_POSITION;
}

/* View state */

static gboolean
is_loading (AtelierGalleryPage *self)
{
  return self->model != NULL &&
         g_list_model_get_n_items (G_LIST_MODEL (self->model)) == 0 &&
         (atelier_prompts_model_is_loading (self->model) ||
          (atelier_prompts_model_has_more (self->model) &&
           atelier_prompts_model_get_error (self->model) == NULL));
}

static gboolean
filtered_by_text_or_like (AtelierGalleryPage *self)
{
  return gtk_toggle_button_get_active (self->liked_button) ||
         *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0';
}

static void
update_view (AtelierGalleryPage *self)
{
  guint n_items = self->model != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->model)) : 0;
  const GError *error = self->model != NULL ? atelier_prompts_model_get_error (self->model) : NULL;
  const char *status = NULL;
  gboolean busy = FALSE;

  if (self->model == NULL)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  else if (n_items > 0)
    gtk_stack_set_visible_child_name (self->stack, "grid");
  else if (is_loading (self))
    gtk_stack_set_visible_child_name (self->stack, "loading");
  else if (error != NULL)
    {
      atelier_status_page_set_plain_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
    }
  else
    {
      gboolean filtered = gtk_toggle_button_get_active (self->liked_button) ||
                          gtk_drop_down_get_selected (self->tune_dropdown) > 0 ||
                          *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0';

      if (source_selected (self) && !filtered_by_text_or_like (self))
        {
          adw_status_page_set_title (self->empty_page, _("No FaceID Images Yet"));
          adw_status_page_set_description (self->empty_page,
                                           _("Images made with FaceID on fal.ai are kept on this computer and appear here."));
        }
      else if (gtk_toggle_button_get_active (self->liked_button))
        {
          adw_status_page_set_title (self->empty_page, _("No Liked Prompts"));
          adw_status_page_set_description (self->empty_page,
                                           _("A like is for a prompt and all its images: press Like beside them or in the viewer. The images of liked prompts are kept on this computer."));
        }
      else if (filtered)
        {
          adw_status_page_set_title (self->empty_page, _("No Matching Images"));
          adw_status_page_set_description (self->empty_page, _("No prompt matches the search and the chosen tune."));
        }
      else
        {
          adw_status_page_set_title (self->empty_page, _("No Images Yet"));
          adw_status_page_set_description (self->empty_page,
                                           _("Write a prompt for one of your tunes and its images appear here. The images of liked prompts are kept on this computer, since the service deletes images 30 days after training."));
        }
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }

  if (self->model != NULL && n_items > 0)
    {
      if (atelier_prompts_model_is_rate_limited (self->model))
        status = _("The service asks to slow down; checking again soon");
      else if (atelier_prompts_model_is_loading (self->model))
        {
          status = _("Loading more images…");
          busy = TRUE;
        }
    }

  if (status != NULL)
    gtk_label_set_label (self->status_label, status);
  gtk_spinner_set_spinning (self->status_spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->status_spinner), busy);
  gtk_revealer_set_reveal_child (self->status_revealer, status != NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Images came back while the user looks elsewhere: tell the desktop. */
static void
prompt_finished_cb (AtelierGalleryPage *self,
                    AtelierPrompt      *prompt)
{
  AtelierShell *shell = atelier_shell_find (GTK_WIDGET (self));

  if (atelier_prompt_get_state (prompt) != ATELIER_PROMPT_STATE_DONE ||
      shell == NULL || gtk_window_is_active (GTK_WINDOW (shell)))
    return;

  atelier_shell_notify_images_ready (shell,
                                     atelier_prompt_get_text (prompt),
                                     atelier_prompt_get_n_images (prompt));
}

static void
load_failed_cb (AtelierGalleryPage *self,
                GError             *error)
{
  atelier_widget_show_error (GTK_WIDGET (self), error);
  update_view (self);
}

static void
library_error_cb (AtelierGalleryPage *self,
                  GError             *error)
{
  atelier_widget_show_error (GTK_WIDGET (self), error);
}

/* Rows */

static AtelierTune *
lookup_tune (AtelierGalleryPage *self,
             gint64              tune_id)
{
  for (guint i = 0; tune_id != 0 && i < self->tunes->len; i++)
    {
      if (atelier_tune_get_id (g_ptr_array_index (self->tunes, i)) == tune_id)
        return g_ptr_array_index (self->tunes, i);
    }

  return NULL;
}

/* TRUE when every tune @prompt names (its own, those of its LoRA and
 * FaceID tags) is a base model or in the tune list. */
static gboolean
knows_tunes_of (AtelierGalleryPage *self,
                AtelierPrompt      *prompt)
{
  gint64 tune_id = atelier_prompt_get_tune_id (prompt);
  g_autoptr(GArray) tags = NULL;

  if (atelier_base_model_name (tune_id) == NULL && lookup_tune (self, tune_id) == NULL)
    return FALSE;

  tags = atelier_prompt_tags_parse (atelier_prompt_get_text (prompt));
  for (guint i = 0; i < tags->len; i++)
    {
      AtelierPromptTag *tag = &g_array_index (tags, AtelierPromptTag, i);

      if (tag->valid && tag->kind != ATELIER_PROMPT_TAG_CHARACTERISTIC &&
          atelier_base_model_name (tag->tune_id) == NULL && lookup_tune (self, tag->tune_id) == NULL)
        return FALSE;
    }

  return TRUE;
}

/* What to call the prompt's tune: its own, else (a prompt on a base
 * model) the tune its LoRA or FaceID tag loads, on that base model. */
static char *
dup_tune_title (AtelierGalleryPage *self,
                AtelierPrompt      *prompt)
{
  gint64 tune_id = atelier_prompt_get_tune_id (prompt);
  AtelierTune *tune = lookup_tune (self, tune_id);
  const char *base = atelier_base_model_name (tune_id);
  g_autoptr(GArray) tags = NULL;

  if (tune != NULL && base == NULL)
    return atelier_tune_dup_short_title (tune);

  tags = atelier_prompt_tags_parse (atelier_prompt_get_text (prompt));
  for (guint i = 0; i < tags->len; i++)
    {
      AtelierPromptTag *tag = &g_array_index (tags, AtelierPromptTag, i);
      AtelierTune *tagged;

      if (!tag->valid || tag->kind == ATELIER_PROMPT_TAG_CHARACTERISTIC ||
          (tagged = lookup_tune (self, tag->tune_id)) == NULL)
        continue;

      {
        g_autofree char *title = atelier_tune_dup_short_title (tagged);

        if (base == NULL)
          return g_steal_pointer (&title);
        /* Translators: a tune on the base model it was prompted on, "Anna on Flux.1 dev" */
        return g_strdup_printf (_("%s on %s"), title, base);
      }
    }

  if (tune != NULL)
    return atelier_tune_dup_short_title (tune);

  return g_strdup (base);
}

static void
row_load_failed_cb (AtelierGalleryPage *self,
                    GError             *error)
{
  /* Once per load: a dead server would otherwise toast per cell. */
  if (self->error_shown)
    return;
  self->error_shown = TRUE;
  atelier_widget_show_error (GTK_WIDGET (self), error);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          AtelierGalleryPage       *self)
{
  GtkWidget *row = atelier_gallery_row_new ();

  g_signal_connect_object (row, "load-failed", G_CALLBACK (row_load_failed_cb), self, G_CONNECT_SWAPPED);
  gtk_list_item_set_child (list_item, row);
  /* The row's own buttons and images act; the row itself does not. */
  gtk_list_item_set_activatable (list_item, FALSE);
}

/* The grid's item around a row takes the focus: a screen reader says the
 * prompt. GtkListItem can name it only from GTK 4.12; the item's widget,
 * the row's parent, can be named in every version (4.12 names it only
 * when its list item's accessible label is set, which we never do). */
static void
name_list_item (GtkListItem *list_item,
                const char  *text)
{
  GtkWidget *item_widget = gtk_widget_get_parent (gtk_list_item_get_child (list_item));

  if (text == NULL || *text == '\0')
    text = _("Prompt");
  if (item_widget != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (item_widget), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         AtelierGalleryPage       *self)
{
  AtelierGalleryItem *unit = gtk_list_item_get_item (list_item);
  g_autofree char *title = NULL;

  if (self->session == NULL)
    return;

  title = dup_tune_title (self, atelier_gallery_item_get_prompt (unit));
  atelier_gallery_row_bind (ATELIER_GALLERY_ROW (gtk_list_item_get_child (list_item)), unit, title,
                            atelier_session_get_image_cache (self->session),
                            self->likes, self->library);
  name_list_item (list_item, atelier_prompt_get_text (atelier_gallery_item_get_prompt (unit)));
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           AtelierGalleryPage       *self)
{
  atelier_gallery_row_unbind (ATELIER_GALLERY_ROW (gtk_list_item_get_child (list_item)));
}

/* The tunes came after the rows: name them now. */
static void
update_tune_titles (AtelierGalleryPage *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->grid_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);
      AtelierPrompt *prompt;
      g_autofree char *title = NULL;

      if (!ATELIER_IS_GALLERY_ROW (row) || (prompt = atelier_gallery_row_get_prompt (ATELIER_GALLERY_ROW (row))) == NULL)
        continue;

      title = dup_tune_title (self, prompt);
      atelier_gallery_row_set_tune_title (ATELIER_GALLERY_ROW (row), title);
    }
}

/* Likes */

static void
toggle_like_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  AtelierGalleryPage *self = ATELIER_GALLERY_PAGE (widget);
  AtelierPrompt *prompt;

  if (self->model == NULL)
    return;

  prompt = atelier_prompts_model_lookup_prompt (self->model, g_variant_get_int64 (param));
  if (prompt != NULL)
    atelier_widget_toggle_like (widget, self->likes, prompt);
}

/* What the rows do with their prompt */

static AtelierPrompt *
prompt_for_action (AtelierGalleryPage *self,
                   GVariant           *param)
{
  if (self->model == NULL)
    return NULL;

  return atelier_prompts_model_lookup_prompt (self->model, g_variant_get_int64 (param));
}

static void
reuse_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  AtelierPrompt *prompt = prompt_for_action (ATELIER_GALLERY_PAGE (widget), param);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (prompt != NULL)
    atelier_prompt_action_reuse (widget, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, prompt, NULL);
}

static void
copy_prompt_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  AtelierPrompt *prompt = prompt_for_action (ATELIER_GALLERY_PAGE (widget), param);

  if (prompt != NULL)
    atelier_prompt_action_copy (widget, prompt);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AtelierGalleryPage *self = ATELIER_GALLERY_PAGE (widget);
  AtelierPrompt *prompt = prompt_for_action (self, param);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(AtelierGalleryItem) first = NULL;
  int position;

  if (prompt == NULL)
    return;

  position = atelier_prompts_model_find_prompt (self->model, atelier_prompt_get_id (prompt));
  first = g_list_model_get_item (G_LIST_MODEL (self->model), position);
  atelier_prompt_action_delete (widget, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                self->model, self->library, prompt,
                                first != NULL && atelier_gallery_item_is_local_only (first));
}

/* Filters */

static void
apply_tune_filter (AtelierGalleryPage *self)
{
  AtelierTune *tune = selected_tune (self);
  AtelierPromptTarget target = { 0 };

  if (self->model == NULL || self->setting_tunes)
    return;

  if (tune != NULL)
    atelier_prompt_target_for_tune (tune, &target);

  /* In this order, neither step asks the service for a list it would
   * not show (a source lists the library alone). */
  if (source_selected (self))
    {
      atelier_prompts_model_set_source (self->model, ATELIER_PROMPT_SOURCE_FACEID_FAL);
      atelier_prompts_model_set_tune (self->model, 0, 0);
    }
  else
    {
      atelier_prompts_model_set_tune (self->model, target.tune_id, target.tag_tune_id);
      atelier_prompts_model_set_source (self->model, NULL);
    }
}

/* The tune drop-down's items ellipsize, so the toolbar fits narrow
 * windows. */
static void
tune_item_setup_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *list_item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_list_item_set_child (list_item, label);
}

static void
tune_item_bind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item)
{
  GtkStringObject *name = gtk_list_item_get_item (list_item);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (list_item)), gtk_string_object_get_string (name));
}

static void
tune_selected_cb (AtelierGalleryPage *self)
{
  self->wanted_tune = 0;
  apply_tune_filter (self);
}

static void
search_changed_cb (AtelierGalleryPage *self)
{
  if (self->model != NULL)
    atelier_prompts_model_set_search (self->model, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
stop_search_cb (AtelierGalleryPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
liked_toggled_cb (AtelierGalleryPage *self)
{
  if (self->model != NULL)
    atelier_prompts_model_set_liked_only (self->model, gtk_toggle_button_get_active (self->liked_button));
}

/* :sort is "newest" or "most-liked" (the "gallery.sort" action's state). */
static void
set_sort (AtelierGalleryPage *self,
          const char         *sort)
{
  AtelierPromptsSort value = g_strcmp0 (sort, "most-liked") == 0 ? ATELIER_PROMPTS_SORT_MOST_LIKED
                                                                 : ATELIER_PROMPTS_SORT_NEWEST;

  if (self->sort == value)
    return;

  self->sort = value;
  if (self->model != NULL)
    atelier_prompts_model_set_sort (self->model, value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SORT]);
}

static void
select_tune (AtelierGalleryPage *self,
             gint64              tune_id)
{
  for (guint i = 0; i < self->tunes->len; i++)
    {
      if (atelier_tune_get_id (g_ptr_array_index (self->tunes, i)) == tune_id)
        {
          gtk_drop_down_set_selected (self->tune_dropdown, i + FIRST_TUNE_POSITION);
          return;
        }
    }
}

static void
set_tunes (AtelierGalleryPage *self,
           GPtrArray          *tunes)
{
  gint64 selected_id = 0;
  AtelierTune *selected = selected_tune (self);
  gboolean keep_source = source_selected (self) && self->wanted_tune == 0;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  if (selected != NULL)
    selected_id = atelier_tune_get_id (selected);
  if (self->wanted_tune != 0)
    selected_id = self->wanted_tune;

  g_ptr_array_set_size (self->tunes, 0);
  for (guint i = 0; tunes != NULL && i < tunes->len; i++)
    {
      AtelierTune *tune = g_ptr_array_index (tunes, i);

      g_ptr_array_add (self->tunes, g_object_ref (tune));
      g_ptr_array_add (names, atelier_tune_dup_short_title (tune));
    }
  g_ptr_array_add (names, NULL);

  self->setting_tunes = TRUE;
  gtk_string_list_splice (self->tune_names, FIRST_TUNE_POSITION,
                          g_list_model_get_n_items (G_LIST_MODEL (self->tune_names)) - FIRST_TUNE_POSITION,
                          (const char * const *) names->pdata);
  /* The same choice as before: the source, the tune (by id), else all. */
  gtk_drop_down_set_selected (self->tune_dropdown, keep_source ? SOURCE_POSITION : 0);
  if (!keep_source && selected_id != 0)
    select_tune (self, selected_id);
  self->setting_tunes = FALSE;

  self->wanted_tune = 0;
  apply_tune_filter (self);
  update_tune_titles (self);
}

static void
tunes_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  AtelierGalleryPage *self = user_data;
  g_autoptr(GPtrArray) tunes = atelier_widget_fetch_tune_choices_finish (user_data, result);

  if (tunes == NULL)
    return;

  set_tunes (self, tunes);
}

static void
fetch_tunes (AtelierGalleryPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->client == NULL)
    return;

  self->cancellable = g_cancellable_new ();
  atelier_tune_choices_fetch_async (self->client, MAX_TUNE_PAGES, self->cancellable, tunes_cb, self);
}

/* The model */

/* The viewer on the prompt show_source() asked for, once it is listed;
 * forgotten when a load ends without it. */
static void
open_wanted_prompt (AtelierGalleryPage *self)
{
  if (self->wanted_prompt == 0 || self->model == NULL)
    return;

  if (atelier_prompts_model_find_prompt (self->model, self->wanted_prompt) >= 0)
    {
      gint64 prompt_id = self->wanted_prompt;

      self->wanted_prompt = 0;
      gtk_widget_activate_action (GTK_WIDGET (self), "gallery.open-image", "(xu)", prompt_id, 0);
    }
  else if (!atelier_prompts_model_is_loading (self->model))
    self->wanted_prompt = 0;
}

static void
model_changed_cb (AtelierGalleryPage *self)
{
  update_view (self);
  open_wanted_prompt (self);
}

/* Prompts came in at the top while the top was shown: it stays shown. A
 * list view keeps the item it showed first in view, which would leave
 * the new prompts just above. */
static void
units_changed_cb (AtelierGalleryPage *self,
                  guint               position,
                  guint               removed,
                  guint               added)
{
  GtkAdjustment *vadjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);

  if (position == 0 && added > 0 && gtk_adjustment_get_value (vadjustment) < 1)
    gtk_widget_activate_action (GTK_WIDGET (self->grid_view), "list.scroll-to-item", "u", 0);
}

static void
rebuild (AtelierGalleryPage *self)
{
  g_autoptr(GtkSelectionModel) selection = NULL;

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
  if (self->library != NULL)
    g_signal_handlers_disconnect_by_data (self->library, self);
  g_clear_object (&self->library);
  g_clear_object (&self->likes);
  self->error_shown = FALSE;

  if (self->session != NULL && self->client != NULL)
    {
      self->likes = g_object_ref (atelier_session_get_likes (self->session));
      self->library = g_object_ref (atelier_session_get_library (self->session));
      g_signal_connect_object (self->library, "error", G_CALLBACK (library_error_cb), self, G_CONNECT_SWAPPED);
      self->model = atelier_prompts_model_new (self->client, self->likes, self->library);

      g_signal_connect_swapped (self->model, "items-changed", G_CALLBACK (model_changed_cb), self);
      g_signal_connect_swapped (self->model, "notify::loading", G_CALLBACK (model_changed_cb), self);
      g_signal_connect_swapped (self->model, "notify::has-more", G_CALLBACK (model_changed_cb), self);
      g_signal_connect_swapped (self->model, "notify::rate-limited", G_CALLBACK (model_changed_cb), self);
      g_signal_connect_swapped (self->model, "load-failed", G_CALLBACK (load_failed_cb), self);
      g_signal_connect_swapped (self->model, "prompt-finished", G_CALLBACK (prompt_finished_cb), self);

      atelier_prompts_model_set_liked_only (self->model, gtk_toggle_button_get_active (self->liked_button));
      atelier_prompts_model_set_search (self->model, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
      atelier_prompts_model_set_sort (self->model, self->sort);
      apply_tune_filter (self);
      atelier_prompts_model_set_polling (self->model, gtk_widget_get_mapped (GTK_WIDGET (self)));

      selection = GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (atelier_prompts_model_get_units (self->model))));
      g_signal_connect_object (atelier_prompts_model_get_units (self->model), "items-changed",
                               G_CALLBACK (units_changed_cb), self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
      atelier_prompts_model_reload (self->model);
      fetch_tunes (self);
    }

  gtk_grid_view_set_model (self->grid_view, selection);
  update_view (self);
}

void
atelier_gallery_page_set_client (AtelierGalleryPage  *self,
                                 AtelierAstriaClient *client)
{
  g_return_if_fail (ATELIER_IS_GALLERY_PAGE (self));
  g_return_if_fail (client == NULL || ATELIER_IS_ASTRIA_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;

  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

static void
tune_trained_cb (AtelierGalleryPage *self,
                 gint64              tune_id)
{
  if (self->model == NULL)
    return;

  atelier_prompts_model_add_tune_prompts (self->model, tune_id);
  /* Its name for the rows and the tune filter. */
  fetch_tunes (self);
}

void
atelier_gallery_page_set_session (AtelierGalleryPage *self,
                                  AtelierSession     *session)
{
  g_return_if_fail (ATELIER_IS_GALLERY_PAGE (self));
  g_return_if_fail (session == NULL || ATELIER_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->session, atelier_gallery_page_add_prompt, self);
      g_signal_handlers_disconnect_by_func (self->session, tune_trained_cb, self);
    }
  g_set_object (&self->session, session);
  /* A prompt sent from the editor is shown at once, and those the service
   * makes for a tune that finished training as they come. */
  if (session != NULL)
    {
      g_signal_connect_object (session, "prompt-created",
                               G_CALLBACK (atelier_gallery_page_add_prompt), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "tune-trained",
                               G_CALLBACK (tune_trained_cb), self, G_CONNECT_SWAPPED);
    }

  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

void
atelier_gallery_page_show_tune (AtelierGalleryPage *self,
                                gint64              tune_id)
{
  g_return_if_fail (ATELIER_IS_GALLERY_PAGE (self));

  gtk_toggle_button_set_active (self->liked_button, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");

  if (tune_id == 0)
    {
      gtk_drop_down_set_selected (self->tune_dropdown, 0);
      return;
    }

  for (guint i = 0; i < self->tunes->len; i++)
    {
      if (atelier_tune_get_id (g_ptr_array_index (self->tunes, i)) == tune_id)
        {
          gtk_drop_down_set_selected (self->tune_dropdown, i + FIRST_TUNE_POSITION);
          return;
        }
    }

  /* Not listed (yet): fetch the list again and select it then. */
  self->wanted_tune = tune_id;
  fetch_tunes (self);
}

void
atelier_gallery_page_show_source (AtelierGalleryPage *self,
                                  const char         *source,
                                  gint64              prompt_id)
{
  g_return_if_fail (ATELIER_IS_GALLERY_PAGE (self));

  gtk_toggle_button_set_active (self->liked_button, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  /* The one source the drop-down lists */
  gtk_drop_down_set_selected (self->tune_dropdown,
                              g_strcmp0 (source, ATELIER_PROMPT_SOURCE_FACEID_FAL) == 0 ? SOURCE_POSITION : 0);

  self->wanted_prompt = prompt_id;
  open_wanted_prompt (self);
}

/* A prompt created elsewhere (the editor): shown at once. */
void
atelier_gallery_page_add_prompt (AtelierGalleryPage *self,
                                 AtelierPrompt      *prompt)
{
  g_return_if_fail (ATELIER_IS_GALLERY_PAGE (self));
  g_return_if_fail (ATELIER_IS_PROMPT (prompt));

  if (self->model == NULL)
    return;

  atelier_prompts_model_add_prompt (self->model, prompt);
  if (atelier_prompts_model_lookup_prompt (self->model, atelier_prompt_get_id (prompt)) == NULL)
    {
      /* Filtered out: show everything, with the new prompt on top. */
      gtk_toggle_button_set_active (self->liked_button, FALSE);
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      set_sort (self, "newest");
      gtk_drop_down_set_selected (self->tune_dropdown, 0);
      atelier_prompts_model_set_search (self->model, NULL);
      atelier_prompts_model_add_prompt (self->model, prompt);
    }

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);

  /* A tune made since the list was fetched: its name for the row. */
  if (!knows_tunes_of (self, prompt))
    fetch_tunes (self);
}

/* Viewer and editor */

/* An image of a row: the viewer, from that image on. */
static void
open_image_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  AtelierGalleryPage *self = ATELIER_GALLERY_PAGE (widget);
  g_autoptr(AtelierGalleryItem) item = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);
  AtelierViewer *viewer;
  gint64 prompt_id;
  guint32 index;
  int position;

  if (self->model == NULL || self->session == NULL)
    return;

  g_variant_get (param, "(xu)", &prompt_id, &index);
  position = atelier_prompts_model_find_prompt (self->model, prompt_id);
  if (position < 0)
    return;
  item = g_list_model_get_item (G_LIST_MODEL (self->model), position + index);
  if (item == NULL || atelier_gallery_item_get_prompt_id (item) != prompt_id ||
      atelier_gallery_item_get_kind (item) != ATELIER_GALLERY_ITEM_IMAGE)
    return;

  if (self->viewer != NULL)
    gtk_window_destroy (self->viewer);

  viewer = atelier_viewer_new (self->session, self->model, position + index);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (viewer), GTK_WINDOW (root));
  g_set_weak_pointer (&self->viewer, GTK_WINDOW (viewer));
  gtk_window_present (GTK_WINDOW (viewer));
}

static void
new_prompt_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  AtelierGalleryPage *self = ATELIER_GALLERY_PAGE (widget);
  AtelierShell *shell = atelier_shell_find (widget);

  if (self->session == NULL || self->client == NULL || shell == NULL)
    return;

  /* Showing the FaceID results: a new one. */
  if (source_selected (self))
    {
      atelier_shell_open_faceid (shell, NULL, NULL);
      return;
    }

  atelier_shell_open_prompt_editor (shell, NULL, selected_tune (self), 0, NULL);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AtelierGalleryPage *self = ATELIER_GALLERY_PAGE (widget);

  if (self->model == NULL)
    return;

  self->error_shown = FALSE;
  atelier_prompts_model_reload (self->model);
  fetch_tunes (self);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AtelierGalleryPage *self = ATELIER_GALLERY_PAGE (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
edge_reached_cb (AtelierGalleryPage *self,
                 GtkPositionType     position)
{
  /* At the bottom after a failed page: try again. */
  if (position == GTK_POS_BOTTOM && self->model != NULL &&
      atelier_prompts_model_get_error (self->model) != NULL)
    atelier_prompts_model_load_more (self->model);
}

/* For tests and the benchmark */

AtelierPromptsModel *
_atelier_gallery_page_get_model (AtelierGalleryPage *self)
{
  g_return_val_if_fail (ATELIER_IS_GALLERY_PAGE (self), NULL);
  return self->model;
}

GtkScrolledWindow *
_atelier_gallery_page_get_scrolled_window (AtelierGalleryPage *self)
{
  g_return_val_if_fail (ATELIER_IS_GALLERY_PAGE (self), NULL);
  return self->scrolled_window;
}

GtkWindow *
_atelier_gallery_page_get_viewer (AtelierGalleryPage *self)
{
  g_return_val_if_fail (ATELIER_IS_GALLERY_PAGE (self), NULL);
  return self->viewer;
}

static void
count_cells (GtkWidget *widget,
             GtkWidget *viewport,
             guint     *visible,
             guint     *waiting)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      graphene_rect_t bounds;

      if (!gtk_widget_get_visible (child) || !gtk_widget_get_child_visible (child))
        continue;

      if (!ATELIER_IS_GALLERY_CELL (child))
        {
          count_cells (child, viewport, visible, waiting);
          continue;
        }

      if (atelier_gallery_cell_get_item (ATELIER_GALLERY_CELL (child)) == NULL ||
          !gtk_widget_compute_bounds (child, viewport, &bounds))
        continue;

      if (bounds.origin.y + bounds.size.height <= 0 || bounds.origin.y >= gtk_widget_get_height (viewport) ||
          bounds.origin.x + bounds.size.width <= 0 || bounds.origin.x >= gtk_widget_get_width (viewport))
        continue;

      (*visible)++;
      if (!atelier_gallery_cell_is_ready (ATELIER_GALLERY_CELL (child)))
        (*waiting)++;
    }
}

guint
_atelier_gallery_page_count_visible_cells (AtelierGalleryPage *self,
                                           guint              *n_waiting)
{
  guint visible = 0;
  guint waiting = 0;

  count_cells (GTK_WIDGET (self->grid_view), GTK_WIDGET (self->scrolled_window), &visible, &waiting);
  if (n_waiting != NULL)
    *n_waiting = waiting;

  return visible;
}

/* GObject */

static void
atelier_gallery_page_map (GtkWidget *widget)
{
  AtelierGalleryPage *self = ATELIER_GALLERY_PAGE (widget);

  GTK_WIDGET_CLASS (atelier_gallery_page_parent_class)->map (widget);

  if (self->model != NULL)
    atelier_prompts_model_set_polling (self->model, TRUE);
}

static void
atelier_gallery_page_unmap (GtkWidget *widget)
{
  AtelierGalleryPage *self = ATELIER_GALLERY_PAGE (widget);

  /* Out of sight: pending prompts wait until the gallery is shown again. */
  if (self->model != NULL)
    atelier_prompts_model_set_polling (self->model, FALSE);

  GTK_WIDGET_CLASS (atelier_gallery_page_parent_class)->unmap (widget);
}

static void
atelier_gallery_page_dispose (GObject *object)
{
  AtelierGalleryPage *self = ATELIER_GALLERY_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->viewer != NULL)
    gtk_window_destroy (self->viewer);
  g_clear_weak_pointer (&self->viewer);

  atelier_bin_dispose_template (ADW_BIN (self), ATELIER_TYPE_GALLERY_PAGE);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
  if (self->library != NULL)
    g_signal_handlers_disconnect_by_data (self->library, self);
  g_clear_object (&self->library);
  g_clear_object (&self->likes);
  g_clear_object (&self->client);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (atelier_gallery_page_parent_class)->dispose (object);
}

static void
atelier_gallery_page_finalize (GObject *object)
{
  AtelierGalleryPage *self = ATELIER_GALLERY_PAGE (object);

  g_clear_pointer (&self->tunes, g_ptr_array_unref);
  g_clear_object (&self->tune_names);

  G_OBJECT_CLASS (atelier_gallery_page_parent_class)->finalize (object);
}

static void
atelier_gallery_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  AtelierGalleryPage *self = ATELIER_GALLERY_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, is_loading (self));
      break;
    case PROP_SORT:
      g_value_set_string (value, self->sort == ATELIER_PROMPTS_SORT_MOST_LIKED ? "most-liked" : "newest");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_gallery_page_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  AtelierGalleryPage *self = ATELIER_GALLERY_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      atelier_gallery_page_set_client (self, g_value_get_object (value));
      break;
    case PROP_SESSION:
      atelier_gallery_page_set_session (self, g_value_get_object (value));
      break;
    case PROP_SORT:
      set_sort (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_gallery_page_class_init (AtelierGalleryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atelier_gallery_page_dispose;
  object_class->finalize = atelier_gallery_page_finalize;
  object_class->get_property = atelier_gallery_page_get_property;
  object_class->set_property = atelier_gallery_page_set_property;
  widget_class->map = atelier_gallery_page_map;
  widget_class->unmap = atelier_gallery_page_unmap;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         ATELIER_TYPE_ASTRIA_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         ATELIER_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* TRUE until the first images (or the empty state) can be shown. */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SORT] =
    g_param_spec_string ("sort", NULL, NULL, "newest",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/atelier/Atelier/gallery/atelier-gallery-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AtelierGalleryPage, tune_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AtelierGalleryPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, AtelierGalleryPage, liked_button);
  gtk_widget_class_bind_template_child (widget_class, AtelierGalleryPage, stack);
  gtk_widget_class_bind_template_child (widget_class, AtelierGalleryPage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, AtelierGalleryPage, grid_view);
  gtk_widget_class_bind_template_child (widget_class, AtelierGalleryPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, AtelierGalleryPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, AtelierGalleryPage, status_revealer);
  gtk_widget_class_bind_template_child (widget_class, AtelierGalleryPage, status_spinner);
  gtk_widget_class_bind_template_child (widget_class, AtelierGalleryPage, status_label);
  gtk_widget_class_bind_template_callback (widget_class, tune_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, liked_toggled_cb);

  gtk_widget_class_install_action (widget_class, "page.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "page.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "page.new-prompt", NULL, new_prompt_action);
  gtk_widget_class_install_action (widget_class, "gallery.toggle-like", "x", toggle_like_action);
  gtk_widget_class_install_action (widget_class, "gallery.open-image", "(xu)", open_image_action);
  gtk_widget_class_install_action (widget_class, "gallery.reuse", "x", reuse_action);
  gtk_widget_class_install_action (widget_class, "gallery.copy-prompt", "x", copy_prompt_action);
  gtk_widget_class_install_action (widget_class, "gallery.delete", "x", delete_action);
  gtk_widget_class_install_property_action (widget_class, "gallery.sort", "sort");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "page.new-prompt", NULL);
}

static void
atelier_gallery_page_init (AtelierGalleryPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  atelier_widget_load_css ("/io/github/atelier/Atelier/gallery/atelier-gallery.css");
  gtk_widget_init_template (GTK_WIDGET (self));

  self->tunes = g_ptr_array_new_with_free_func (g_object_unref);
  self->tune_names = gtk_string_list_new ((const char * const []) {
    _("All Tunes"), atelier_prompt_source_get_title (ATELIER_PROMPT_SOURCE_FACEID_FAL), NULL });
  gtk_drop_down_set_model (self->tune_dropdown, G_LIST_MODEL (self->tune_names));
  gtk_drop_down_set_expression (self->tune_dropdown,
                                gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string"));
  {
    g_autoptr(GtkListItemFactory) tune_factory = gtk_signal_list_item_factory_new ();

    g_signal_connect (tune_factory, "setup", G_CALLBACK (tune_item_setup_cb), NULL);
    g_signal_connect (tune_factory, "bind", G_CALLBACK (tune_item_bind_cb), NULL);
    gtk_drop_down_set_factory (self->tune_dropdown, tune_factory);
  }

  /* The drop-down's own button and its popover's search entry are
   * GTK's, unnamed for screen readers in 4.8. */
  {
    GtkWidget *toggle = atelier_widget_find_descendant (GTK_WIDGET (self->tune_dropdown), GTK_TYPE_TOGGLE_BUTTON);
    GtkWidget *search = atelier_widget_find_descendant (GTK_WIDGET (self->tune_dropdown), GTK_TYPE_SEARCH_ENTRY);

    if (toggle != NULL)
      gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Tune"), -1);
    if (search != NULL)
      gtk_accessible_update_property (GTK_ACCESSIBLE (search), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search tunes"), -1);
  }
  atelier_widget_label_menu_buttons (GTK_WIDGET (self));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), self);
  gtk_grid_view_set_factory (self->grid_view, factory);

  g_signal_connect_swapped (self->scrolled_window, "edge-reached", G_CALLBACK (edge_reached_cb), self);

  update_view (self);
}
