/* atelier-packs-page.c: my packs, the gallery packs and the theme runs
 *
 * One widget class: the browser (loading the two lists, search, sort, the
 * rows), the packs' prompts (asked for in the background, two at a time,
 * once the lists are in; a service that does not list them is asked no
 * more), the liked-prompt counts (recounted when likes, the library or the
 * runs change), the theme runs, and the actions of the pack page. The pack
 * page itself is AtelierPackView, the run dialog AtelierPackRunDialog.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "atelier-error-presenter.h"
#include "atelier-pack-run-dialog.h"
#include "atelier-pack-ui.h"
#include "atelier-tune-ui.h"
#include "atelier-pack-view.h"
#include "atelier-packs-page.h"
#include "atelier-run-window.h"
#include "atelier-shell.h"
#include "atelier-widget-utils.h"

/* Packs whose prompts are asked for at the same time. */
#define PROMPTS_IN_FLIGHT 2
/* Answers of "not found" in a row, with no list between, after which the
 * service is taken not to list packs' prompts. */
#define PROMPTS_NOT_FOUND_LIMIT 2

/* What is known of a pack's prompts. */
typedef struct
{
  GPtrArray *prompts;   /* (element-type AtelierPrompt) (nullable) */
  char      *problem;   /* why they are not known, when not */
} PackPrompts;

struct _AtelierPacksPage
{
  AdwBin               parent_instance;

  /* template */
  AdwLeaflet          *leaflet;
  GtkWidget           *list_page;
  GtkSearchEntry      *search_entry;
  GtkDropDown         *sort_dropdown;
  GtkStack            *stack;
  GtkSpinner          *spinner;
  AdwStatusPage       *error_page;
  GtkListBox          *my_list;
  GtkListBox          *gallery_list;
  GtkListBox          *themes_list;
  AtelierPackView     *pack_view;

  AtelierAstriaClient *client;
  AtelierSession      *session;      /* found through the shell, once */
  GCancellable        *cancellable;  /* of a reload and the prompts it asks for */
  GListStore          *my_packs;
  GListStore          *gallery_packs;
  GtkFilterListModel  *my_filtered;
  GtkFilterListModel  *gallery_filtered;
  GtkSortListModel    *my_sorted;
  GtkSortListModel    *gallery_sorted;
  GtkCustomFilter     *filter;
  GtkCustomSorter     *sorter;
  guint                pending;
  GError              *error;        /* the first error of a reload */
  gboolean             loading;

  GHashTable          *prompts;      /* pack id (gint64*) → PackPrompts */
  GQueue               prompt_queue; /* (element-type AtelierPack) */
  guint                prompts_in_flight;
  guint                prompts_not_found;
  guint                generation;   /* of the reload the prompts are asked for */

  AtelierPackLikes    *likes;
  guint                refresh_id;

  GCancellable        *view_cancellable;  /* prompts of the shown pack's run */
  char                *view_run_id;       /* the run whose prompts the view shows */
};

G_DEFINE_FINAL_TYPE (AtelierPacksPage, atelier_packs_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void schedule_refresh (AtelierPacksPage *self);
static void fetch_next_prompts (AtelierPacksPage *self);

static void
pack_prompts_free (PackPrompts *known)
{
  g_clear_pointer (&known->prompts, g_ptr_array_unref);
  g_free (known->problem);
  g_free (known);
}

static gint64 *
int64_dup (gint64 value)
{
  return g_memdup2 (&value, sizeof value);
}

static PackPrompts *
lookup_prompts (AtelierPacksPage *self,
                AtelierPack      *pack)
{
  gint64 id = atelier_pack_get_id (pack);

  return g_hash_table_lookup (self->prompts, &id);
}

static void
set_loading (AtelierPacksPage *self,
             gboolean          loading)
{
  if (self->loading == loading)
    return;

  self->loading = loading;
  /* A spinning spinner keeps the window redrawing even out of sight. */
  gtk_spinner_set_spinning (self->spinner, loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* {{{ The session: likes, library and runs */

static void
session_changed_cb (AtelierPacksPage *self)
{
  schedule_refresh (self);
}

/* The session is the shell's; asked for once the page is in the window. */
static AtelierSession *
get_session (AtelierPacksPage *self)
{
  AtelierShell *shell;
  AtelierSession *session;

  if (self->session != NULL)
    return self->session;

  shell = atelier_shell_find (GTK_WIDGET (self));
  session = shell != NULL ? atelier_shell_get_session (shell) : NULL;
  if (session == NULL)
    return NULL;

  self->session = g_object_ref (session);
  g_signal_connect_object (atelier_session_get_likes (self->session), "changed",
                           G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (atelier_session_get_library (self->session), "changed",
                           G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (atelier_session_get_pack_runs (self->session), "items-changed",
                           G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED);
  schedule_refresh (self);

  return self->session;
}

/* The liked prompts the library keeps. (element-type AtelierPrompt) */
static GPtrArray *
dup_liked_prompts (AtelierSession *session)
{
  AtelierLikes *likes = atelier_session_get_likes (session);
  g_autoptr(GPtrArray) kept = atelier_library_dup_prompts (atelier_session_get_library (session));
  GPtrArray *liked = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < kept->len; i++)
    {
      AtelierPrompt *prompt = g_ptr_array_index (kept, i);

      if (atelier_likes_is_liked (likes, atelier_prompt_get_id (prompt)))
        g_ptr_array_add (liked, g_object_ref (prompt));
    }

  return liked;
}

/* }}} */

/* {{{ Rows */

char *
atelier_packs_page_format_costs (AtelierPack *pack)
{
  g_auto(GStrv) classes = atelier_pack_dup_cost_classes (pack);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; classes[i] != NULL; i++)
    {
      gint64 mc = atelier_pack_get_cost_mc (pack, classes[i]);
      g_autofree char *cost = NULL;

      if (mc < 0)
        continue;
      cost = atelier_format_cost_mc (mc);
      if (text->len > 0)
        g_string_append (text, " · ");
      /* Translators: a class name and its price, e.g. "man $2.00" */
      g_string_append_printf (text, _("%s %s"), classes[i], cost);
    }

  if (text->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* "Realistic Vision v5.1 · Checkpoint\nman $2.00 · woman $1.00\n5 prompts · 2 liked" */
static char *
dup_row_subtitle (AtelierPacksPage *self,
                  AtelierPack      *pack)
{
  g_autofree char *summary = atelier_pack_dup_summary (pack);
  g_autofree char *costs = atelier_packs_page_format_costs (pack);
  PackPrompts *known = lookup_prompts (self, pack);
  guint likes = atelier_pack_likes_get_count (self->likes, atelier_pack_get_id (pack));
  g_autoptr(GString) text = g_string_new (summary);
  g_autoptr(GString) last = g_string_new (NULL);

  g_string_append_c (text, '\n');
  g_string_append (text, costs != NULL ? costs : _("No prices listed"));

  if (known != NULL && known->prompts != NULL)
    {
      if (known->prompts->len == 0)
        g_string_append (last, _("No prompts"));
      else
        g_string_append_printf (last, g_dngettext (GETTEXT_PACKAGE, "%u prompt", "%u prompts", known->prompts->len),
                                known->prompts->len);
    }
  if (likes > 0)
    {
      if (last->len > 0)
        g_string_append (last, " · ");
      /* Translators: liked prompts that came from a pack */
      g_string_append_printf (last, g_dngettext (GETTEXT_PACKAGE, "%u liked", "%u liked", likes), likes);
    }
  if (last->len > 0)
    g_string_append_printf (text, "\n%s", last->str);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  AtelierPacksPage *self = user_data;
  AtelierPack *pack = item;
  g_autofree char *title = atelier_pack_dup_display_title (pack);
  g_autofree char *subtitle = dup_row_subtitle (self, pack);
  GtkWidget *row = atelier_text_row_new (title, subtitle);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("package-x-generic-symbolic"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  g_object_set_data_full (G_OBJECT (row), "atelier-pack", g_object_ref (pack), g_object_unref);

  return row;
}

static void
update_rows (AtelierPacksPage *self,
             GtkListBox       *list)
{
  GtkListBoxRow *row;

  for (guint i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    {
      AtelierPack *pack = g_object_get_data (G_OBJECT (row), "atelier-pack");
      g_autofree char *subtitle = NULL;

      if (pack == NULL)
        continue;
      subtitle = dup_row_subtitle (self, pack);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
    }
}

static void
row_activated_cb (AtelierPacksPage *self,
                  GtkListBoxRow    *row)
{
  AtelierPack *pack = g_object_get_data (G_OBJECT (row), "atelier-pack");

  if (pack != NULL)
    atelier_packs_page_show_pack (self, pack);
}

/* }}} */

/* {{{ Search and sort */

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  AtelierPacksPage *self = user_data;
  AtelierPack *pack = item;
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *needle = NULL;
  g_autofree char *title = NULL;
  g_autofree char *slug = NULL;

  if (search == NULL || *search == '\0')
    return TRUE;

  needle = g_utf8_casefold (search, -1);
  title = g_utf8_casefold (atelier_pack_get_title (pack) != NULL ? atelier_pack_get_title (pack) : "", -1);
  slug = g_utf8_casefold (atelier_pack_get_slug (pack) != NULL ? atelier_pack_get_slug (pack) : "", -1);

  return strstr (title, needle) != NULL || strstr (slug, needle) != NULL;
}

static int
compare_titles (AtelierPack *a,
                AtelierPack *b)
{
  g_autofree char *title_a = atelier_pack_dup_display_title (a);
  g_autofree char *title_b = atelier_pack_dup_display_title (b);
  g_autofree char *key_a = g_utf8_casefold (title_a, -1);
  g_autofree char *key_b = g_utf8_casefold (title_b, -1);
  int result = g_utf8_collate (key_a, key_b);

  if (result != 0)
    return result;
  return atelier_pack_get_id (a) < atelier_pack_get_id (b) ? -1 : atelier_pack_get_id (a) > atelier_pack_get_id (b);
}

static int
sort_func (gconstpointer a,
           gconstpointer b,
           gpointer      user_data)
{
  AtelierPacksPage *self = user_data;
  AtelierPack *pack_a = (AtelierPack *) a;
  AtelierPack *pack_b = (AtelierPack *) b;

  switch ((AtelierPacksSort) gtk_drop_down_get_selected (self->sort_dropdown))
    {
    case ATELIER_PACKS_SORT_NEWEST:
      {
        GDateTime *created_a = atelier_pack_get_created_at (pack_a);
        GDateTime *created_b = atelier_pack_get_created_at (pack_b);

        /* Newest first; packs without a date last. */
        if (created_a != NULL && created_b != NULL && !g_date_time_equal (created_a, created_b))
          return g_date_time_compare (created_b, created_a);
        if ((created_a == NULL) != (created_b == NULL))
          return created_a == NULL ? 1 : -1;
        break;
      }
    case ATELIER_PACKS_SORT_LIKES:
      {
        guint likes_a = atelier_pack_likes_get_count (self->likes, atelier_pack_get_id (pack_a));
        guint likes_b = atelier_pack_likes_get_count (self->likes, atelier_pack_get_id (pack_b));

        if (likes_a != likes_b)
          return likes_a > likes_b ? -1 : 1;
        break;
      }
    case ATELIER_PACKS_SORT_TITLE:
    default:
      break;
    }

  return compare_titles (pack_a, pack_b);
}

static void
search_changed_cb (AtelierPacksPage *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
sort_changed_cb (AtelierPacksPage *self)
{
  gtk_sorter_changed (GTK_SORTER (self->sorter), GTK_SORTER_CHANGE_DIFFERENT);
}

/* }}} */

/* {{{ Theme runs and unreadable run files */

static GtkWidget *
create_theme_row (AtelierPackRun *run)
{
  GtkWidget *row;

  if (!atelier_pack_run_is_readable (run))
    {
      GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");
      /* Translators: %s is the name of a test run file */
      g_autofree char *label = g_strdup_printf (_("Delete the run file %s"), atelier_pack_run_get_id (run));
      /* Translators: %s says why a test run file could not be read */
      g_autofree char *problem = g_strdup_printf (_("This run file cannot be opened: %s"),
                                                  atelier_pack_run_get_problem (run));

      row = atelier_text_row_new (atelier_pack_run_get_id (run), problem);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, _("Delete this run file: it cannot be opened"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "packs.delete-run");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", atelier_pack_run_get_id (run));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      return row;
    }

  {
    g_autofree char *when = atelier_pack_run_dup_when (run);
    g_autofree char *tunes = atelier_pack_run_dup_tunes_text (run);
    /* Translators: when a run started, then its tunes: "7 Dec 2026, 05:16 · 2 tunes: Ada, Alan" */
    g_autofree char *subtitle = g_strdup_printf (_("%s · %s"), when, tunes);

    row = atelier_text_row_new (atelier_pack_run_get_title (run), subtitle);
  }
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "packs.open-run");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", atelier_pack_run_get_id (run));
  gtk_widget_set_tooltip_text (row, _("Open the run's prompts and tunes side by side"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));

  return row;
}

static void
update_theme_runs (AtelierPacksPage *self)
{
  GListModel *runs = self->session != NULL ? G_LIST_MODEL (atelier_session_get_pack_runs (self->session)) : NULL;
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (self->themes_list, 0)) != NULL)
    gtk_list_box_remove (self->themes_list, GTK_WIDGET (row));

  for (guint i = 0; runs != NULL && i < g_list_model_get_n_items (runs); i++)
    {
      g_autoptr(AtelierPackRun) run = g_list_model_get_item (runs, i);

      if (!atelier_pack_run_is_readable (run) || atelier_pack_run_get_kind (run) == ATELIER_PACK_RUN_THEME)
        gtk_list_box_append (self->themes_list, create_theme_row (run));
    }
}

/* }}} */

/* {{{ The pack page */

static GtkWindow *
get_window (AtelierPacksPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static int
by_orig_prompt (gconstpointer a,
                gconstpointer b)
{
  gint64 id_a = atelier_prompt_get_orig_prompt_id (*(AtelierPrompt **) a);
  gint64 id_b = atelier_prompt_get_orig_prompt_id (*(AtelierPrompt **) b);

  return id_a < id_b ? -1 : id_a > id_b;
}

typedef struct
{
  GWeakRef        self;
  AtelierPack    *pack;
  AtelierPackRun *run;
} RunPromptsData;

static void
run_prompts_data_free (RunPromptsData *data)
{
  g_weak_ref_clear (&data->self);
  g_object_unref (data->pack);
  g_object_unref (data->run);
  g_free (data);
}

/* The service does not list the pack's prompts: those the last run made
 * on its first tune stand for them, one per pack prompt. */
static void
run_prompts_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  RunPromptsData *data = user_data;
  g_autoptr(AtelierPacksPage) self = g_weak_ref_get (&data->self);
  g_autoptr(GPtrArray) prompts = NULL;
  g_autoptr(GPtrArray) made = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;
  PackPrompts *known;

  prompts = atelier_astria_client_list_prompts_finish (ATELIER_ASTRIA_CLIENT (source), result, &error);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      atelier_pack_view_get_pack (self->pack_view) != data->pack)
    {
      run_prompts_data_free (data);
      return;
    }

  known = lookup_prompts (self, data->pack);
  for (guint i = 0; prompts != NULL && i < prompts->len; i++)
    {
      AtelierPrompt *prompt = g_ptr_array_index (prompts, i);
      GDateTime *created = atelier_prompt_get_created_at (prompt);
      gint64 orig = atelier_prompt_get_orig_prompt_id (prompt);
      g_autofree char *key = orig != 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, orig)
                                       : g_strdup (atelier_prompt_get_text (prompt));

      if (created == NULL || g_date_time_compare (created, atelier_pack_run_get_started_at (data->run)) < 0 ||
          key == NULL || !g_hash_table_add (seen, g_steal_pointer (&key)))
        continue;
      g_ptr_array_add (made, g_object_ref (prompt));
    }
  g_ptr_array_sort (made, by_orig_prompt);

  if (made->len == 0)
    {
      /* Translators: %s says why the service did not list the prompts */
      note = g_strdup_printf (_("%s They appear here once a run of the pack has made them."),
                              known != NULL && known->problem != NULL ? known->problem : "");
      atelier_pack_view_set_prompts (self->pack_view, NULL, note);
    }
  else
    {
      /* Translators: %s is the title of a tune */
      note = g_strdup_printf (_("The service does not list this pack's prompts: these are those its last run "
                                "made on %s."), atelier_pack_run_get_tune_title (data->run, 0));
      atelier_pack_view_set_prompts (self->pack_view, made, note);
    }

  run_prompts_data_free (data);
}

/* The prompts the view shows: the service's, or those a run made. */
static void
show_view_prompts (AtelierPacksPage *self)
{
  AtelierPack *pack = atelier_pack_view_get_pack (self->pack_view);
  PackPrompts *known;
  g_autoptr(GPtrArray) runs = NULL;

  if (pack == NULL)
    return;

  known = lookup_prompts (self, pack);
  g_clear_pointer (&self->view_run_id, g_free);
  if (known == NULL)
    {
      atelier_pack_view_set_prompts (self->pack_view, NULL, _("Loading the prompts…"));
      return;
    }
  if (known->prompts != NULL)
    {
      atelier_pack_view_set_prompts (self->pack_view, known->prompts, NULL);
      return;
    }

  /* Not listed: from the newest run, if any. */
  runs = self->session != NULL ? atelier_pack_runs_dup_for_pack (atelier_session_get_pack_runs (self->session),
                                                                  atelier_pack_get_id (pack))
                               : NULL;
  if (runs == NULL || runs->len == 0 || self->client == NULL ||
      atelier_pack_run_get_n_tunes (g_ptr_array_index (runs, 0)) == 0)
    {
      g_autofree char *note = g_strdup_printf (_("%s They appear here once a run of the pack has made them."),
                                               known->problem);

      atelier_pack_view_set_prompts (self->pack_view, NULL, note);
      return;
    }

  {
    RunPromptsData *data = g_new0 (RunPromptsData, 1);
    AtelierPackRun *run = g_ptr_array_index (runs, 0);

    g_weak_ref_init (&data->self, self);
    data->pack = g_object_ref (pack);
    data->run = g_object_ref (run);
    self->view_run_id = g_strdup (atelier_pack_run_get_id (run));
    g_cancellable_cancel (self->view_cancellable);
    g_clear_object (&self->view_cancellable);
    self->view_cancellable = g_cancellable_new ();
    atelier_pack_view_set_prompts (self->pack_view, NULL, _("Loading the prompts of the last run…"));
    atelier_astria_client_list_prompts_async (self->client, atelier_pack_run_get_tune_id (run, 0), 0,
                                              self->view_cancellable, run_prompts_cb, data);
  }
}

static void
update_view (AtelierPacksPage *self)
{
  AtelierPack *pack = atelier_pack_view_get_pack (self->pack_view);
  g_autoptr(GPtrArray) runs = NULL;
  PackPrompts *known;

  if (pack == NULL || self->session == NULL)
    return;

  runs = atelier_pack_runs_dup_for_pack (atelier_session_get_pack_runs (self->session), atelier_pack_get_id (pack));
  atelier_pack_view_set_runs (self->pack_view, runs);
  atelier_pack_view_set_likes (self->pack_view, atelier_pack_likes_get_count (self->likes, atelier_pack_get_id (pack)));

  /* Prompts the service does not list: a new run has made some. */
  known = lookup_prompts (self, pack);
  if (known != NULL && known->prompts == NULL && runs->len > 0 &&
      g_strcmp0 (atelier_pack_run_get_id (g_ptr_array_index (runs, 0)), self->view_run_id) != 0)
    show_view_prompts (self);
}

void
atelier_packs_page_show_pack (AtelierPacksPage *self,
                              AtelierPack      *pack)
{
  g_return_if_fail (ATELIER_IS_PACKS_PAGE (self));
  g_return_if_fail (ATELIER_IS_PACK (pack));

  get_session (self);
  g_cancellable_cancel (self->view_cancellable);
  g_clear_object (&self->view_cancellable);

  atelier_pack_view_set_pack (self->pack_view, pack);
  show_view_prompts (self);
  update_view (self);
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->pack_view));
}

AtelierPack *
atelier_packs_page_get_shown_pack (AtelierPacksPage *self)
{
  g_return_val_if_fail (ATELIER_IS_PACKS_PAGE (self), NULL);

  if (adw_leaflet_get_visible_child (self->leaflet) != GTK_WIDGET (self->pack_view))
    return NULL;
  return atelier_pack_view_get_pack (self->pack_view);
}

/* }}} */

/* {{{ Refreshing the counts */

static gboolean
refresh_cb (gpointer user_data)
{
  AtelierPacksPage *self = user_data;

  self->refresh_id = 0;

  if (self->session != NULL)
    {
      g_autoptr(GPtrArray) liked = dup_liked_prompts (self->session);

      atelier_pack_likes_update (self->likes, liked, G_LIST_MODEL (atelier_session_get_pack_runs (self->session)));
    }

  if (gtk_drop_down_get_selected (self->sort_dropdown) == ATELIER_PACKS_SORT_LIKES)
    gtk_sorter_changed (GTK_SORTER (self->sorter), GTK_SORTER_CHANGE_DIFFERENT);
  update_rows (self, self->my_list);
  update_rows (self, self->gallery_list);
  update_theme_runs (self);
  update_view (self);

  return G_SOURCE_REMOVE;
}

/* Likes, runs and prompts change in bursts: one recount after them (at
 * the default priority: a window that keeps redrawing would put off an
 * idle one for ever). */
static void
schedule_refresh (AtelierPacksPage *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add_full (G_PRIORITY_DEFAULT, refresh_cb, self, NULL);
}

/* }}} */

/* {{{ The packs' prompts */

typedef struct
{
  AtelierPacksPage *self;
  AtelierPack      *pack;
  guint             generation;
} PromptsData;

static void
list_pack_prompts_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  PromptsData *data = user_data;
  g_autoptr(AtelierPacksPage) self = data->self;
  g_autoptr(AtelierPack) pack = data->pack;
  g_autoptr(GPtrArray) prompts = NULL;
  g_autoptr(GError) error = NULL;
  guint generation = data->generation;
  PackPrompts *known;

  g_free (data);

  prompts = atelier_astria_client_list_pack_prompts_finish (ATELIER_ASTRIA_CLIENT (source), result, &error);
  /* Cancelled, or of a reload since: nothing of this one's. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || generation != self->generation)
    return;

  self->prompts_in_flight--;
  known = g_new0 (PackPrompts, 1);
  if (prompts != NULL)
    {
      known->prompts = g_ptr_array_ref (prompts);
      atelier_pack_likes_set_pack_prompts (self->likes, atelier_pack_get_id (pack), prompts);
      self->prompts_not_found = 0;
    }
  else
    {
      if (g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_NOT_FOUND))
        {
          known->problem = g_strdup (_("The service does not list this pack's prompts."));
          self->prompts_not_found++;
        }
      else
        {
          g_autofree char *reason = atelier_error_describe (error);

          /* Translators: %s says what went wrong */
          known->problem = g_strdup_printf (_("The pack's prompts could not be loaded: %s."), reason);
        }
    }
  g_hash_table_replace (self->prompts, int64_dup (atelier_pack_get_id (pack)), known);

  if (atelier_pack_view_get_pack (self->pack_view) == pack)
    show_view_prompts (self);
  schedule_refresh (self);
  fetch_next_prompts (self);
}

static void
fetch_next_prompts (AtelierPacksPage *self)
{
  /* A service that does not list them: no more asking. */
  if (self->prompts_not_found >= PROMPTS_NOT_FOUND_LIMIT)
    {
      AtelierPack *pack;

      while ((pack = g_queue_pop_head (&self->prompt_queue)) != NULL)
        {
          PackPrompts *known = g_new0 (PackPrompts, 1);

          known->problem = g_strdup (_("The service does not list packs' prompts."));
          g_hash_table_replace (self->prompts, int64_dup (atelier_pack_get_id (pack)), known);
          g_object_unref (pack);
        }
      show_view_prompts (self);
    }

  while (self->prompts_in_flight < PROMPTS_IN_FLIGHT && !g_queue_is_empty (&self->prompt_queue))
    {
      PromptsData *data = g_new0 (PromptsData, 1);

      data->self = g_object_ref (self);
      data->pack = g_queue_pop_head (&self->prompt_queue);
      data->generation = self->generation;
      self->prompts_in_flight++;
      atelier_astria_client_list_pack_prompts_async (self->client, atelier_pack_get_id (data->pack),
                                                     self->cancellable, list_pack_prompts_cb, data);
    }
}

static void
queue_prompts (AtelierPacksPage *self,
               GListModel       *packs)
{
  for (guint i = 0; i < g_list_model_get_n_items (packs); i++)
    g_queue_push_tail (&self->prompt_queue, g_list_model_get_item (packs, i));
}

gboolean
atelier_packs_page_get_loading_prompts (AtelierPacksPage *self)
{
  g_return_val_if_fail (ATELIER_IS_PACKS_PAGE (self), FALSE);
  return self->prompts_in_flight > 0 || !g_queue_is_empty (&self->prompt_queue);
}

/* }}} */

/* {{{ Loading */

static void
load_done (AtelierPacksPage *self)
{
  if (--self->pending > 0)
    return;

  set_loading (self, FALSE);

  /* Then each pack's prompts, mine first. */
  queue_prompts (self, G_LIST_MODEL (self->my_packs));
  queue_prompts (self, G_LIST_MODEL (self->gallery_packs));
  fetch_next_prompts (self);

  if (self->error != NULL)
    {
      atelier_widget_show_load_error (GTK_WIDGET (self), self->error_page, self->error);
      if (g_list_model_get_n_items (G_LIST_MODEL (self->my_packs)) == 0 &&
          g_list_model_get_n_items (G_LIST_MODEL (self->gallery_packs)) == 0)
        {
          gtk_stack_set_visible_child_name (self->stack, "error");
          return;
        }
    }

  gtk_stack_set_visible_child_name (self->stack, "list");
}

typedef struct
{
  AtelierPacksPage *self;
  GListStore       *store;
} LoadData;

static void
list_packs_with_store_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  LoadData *data = user_data;
  g_autoptr(AtelierPacksPage) self = data->self;
  g_autoptr(GListStore) store = data->store;
  g_autoptr(GPtrArray) packs = NULL;
  g_autoptr(GError) error = NULL;

  g_free (data);

  packs = atelier_astria_client_list_packs_finish (ATELIER_ASTRIA_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (packs == NULL)
    {
      if (self->error == NULL)
        self->error = g_steal_pointer (&error);
    }
  else
    {
      g_list_store_splice (store, 0, g_list_model_get_n_items (G_LIST_MODEL (store)),
                           packs->pdata, packs->len);
    }

  load_done (self);
}

static void
load (AtelierPacksPage *self,
      gboolean          gallery)
{
  LoadData *data = g_new0 (LoadData, 1);

  data->self = g_object_ref (self);
  data->store = g_object_ref (gallery ? self->gallery_packs : self->my_packs);
  self->pending++;
  atelier_astria_client_list_packs_async (self->client, gallery, self->cancellable,
                                          list_packs_with_store_cb, data);
}

void
atelier_packs_page_reload (AtelierPacksPage *self)
{
  g_return_if_fail (ATELIER_IS_PACKS_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->error);
  self->pending = 0;
  self->generation++;
  self->prompts_in_flight = 0;
  self->prompts_not_found = 0;
  g_queue_clear_full (&self->prompt_queue, g_object_unref);
  g_hash_table_remove_all (self->prompts);
  get_session (self);

  if (self->client == NULL)
    {
      set_loading (self, FALSE);
      return;
    }

  self->cancellable = g_cancellable_new ();
  set_loading (self, TRUE);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->my_packs)) == 0 &&
      g_list_model_get_n_items (G_LIST_MODEL (self->gallery_packs)) == 0)
    gtk_stack_set_visible_child_name (self->stack, "loading");

  load (self, FALSE);
  load (self, TRUE);
}

/* }}} */

/* {{{ Actions */

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  atelier_packs_page_reload (ATELIER_PACKS_PAGE (widget));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AtelierPacksPage *self = ATELIER_PACKS_PAGE (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->list_page);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  AtelierPacksPage *self = ATELIER_PACKS_PAGE (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->list_page);
}

static void
create_tune_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  AtelierPacksPage *self = ATELIER_PACKS_PAGE (widget);
  AtelierPack *pack = atelier_pack_view_get_pack (self->pack_view);
  AtelierShell *shell = atelier_shell_find (widget);

  if (pack != NULL && shell != NULL)
    atelier_shell_open_tune_editor_for_pack (shell, pack);
}

static void
open_run_dialog (AtelierPacksPage *self,
                 AtelierPack      *pack)
{
  AtelierSession *session = get_session (self);
  AtelierPackRunDialog *dialog;

  if (session == NULL)
    return;

  dialog = atelier_pack_run_dialog_new (get_window (self), session, pack);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
run_pack_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  AtelierPacksPage *self = ATELIER_PACKS_PAGE (widget);
  AtelierPack *pack = atelier_pack_view_get_pack (self->pack_view);

  if (pack != NULL)
    open_run_dialog (self, pack);
}

static void
run_theme_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  open_run_dialog (ATELIER_PACKS_PAGE (widget), NULL);
}

static void
open_run_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  AtelierPacksPage *self = ATELIER_PACKS_PAGE (widget);
  AtelierSession *session = get_session (self);
  AtelierPackRun *run;

  if (session == NULL)
    return;

  run = atelier_pack_runs_lookup (atelier_session_get_pack_runs (session), g_variant_get_string (param, NULL));
  if (run != NULL && atelier_pack_run_is_readable (run))
    atelier_run_window_present (widget, session, run);
}

static void
delete_run_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  AtelierPacksPage *self = ATELIER_PACKS_PAGE (widget);
  AtelierSession *session = get_session (self);
  AtelierPackRun *run;

  if (session == NULL)
    return;

  run = atelier_pack_runs_lookup (atelier_session_get_pack_runs (session), g_variant_get_string (param, NULL));
  if (run != NULL)
    {
      atelier_pack_runs_remove (atelier_session_get_pack_runs (session), run);
      atelier_widget_show_toast (widget, _("Run file deleted"));
    }
}

/* }}} */

/* {{{ GObject */

void
atelier_packs_page_set_client (AtelierPacksPage    *self,
                               AtelierAstriaClient *client)
{
  g_return_if_fail (ATELIER_IS_PACKS_PAGE (self));
  g_return_if_fail (client == NULL || ATELIER_IS_ASTRIA_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;

  g_list_store_remove_all (self->my_packs);
  g_list_store_remove_all (self->gallery_packs);
  adw_leaflet_set_visible_child (self->leaflet, self->list_page);
  atelier_packs_page_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

gboolean
atelier_packs_page_get_loading (AtelierPacksPage *self)
{
  g_return_val_if_fail (ATELIER_IS_PACKS_PAGE (self), FALSE);
  return self->loading;
}

GListModel *
atelier_packs_page_get_my_packs (AtelierPacksPage *self)
{
  g_return_val_if_fail (ATELIER_IS_PACKS_PAGE (self), NULL);
  return G_LIST_MODEL (self->my_packs);
}

GListModel *
atelier_packs_page_get_gallery_packs (AtelierPacksPage *self)
{
  g_return_val_if_fail (ATELIER_IS_PACKS_PAGE (self), NULL);
  return G_LIST_MODEL (self->gallery_packs);
}

GListModel *
atelier_packs_page_get_shown_my_packs (AtelierPacksPage *self)
{
  g_return_val_if_fail (ATELIER_IS_PACKS_PAGE (self), NULL);
  return G_LIST_MODEL (self->my_sorted);
}

GListModel *
atelier_packs_page_get_shown_gallery_packs (AtelierPacksPage *self)
{
  g_return_val_if_fail (ATELIER_IS_PACKS_PAGE (self), NULL);
  return G_LIST_MODEL (self->gallery_sorted);
}

AtelierPackLikes *
atelier_packs_page_get_likes (AtelierPacksPage *self)
{
  g_return_val_if_fail (ATELIER_IS_PACKS_PAGE (self), NULL);
  return self->likes;
}

static void
atelier_packs_page_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (atelier_packs_page_parent_class)->root (widget);

  get_session (ATELIER_PACKS_PAGE (widget));
}

static void
atelier_packs_page_dispose (GObject *object)
{
  AtelierPacksPage *self = ATELIER_PACKS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->view_cancellable);
  g_clear_object (&self->view_cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_queue_clear_full (&self->prompt_queue, g_object_unref);

  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (atelier_session_get_likes (self->session), self);
      g_signal_handlers_disconnect_by_data (atelier_session_get_library (self->session), self);
      g_signal_handlers_disconnect_by_data (atelier_session_get_pack_runs (self->session), self);
    }

  atelier_bin_dispose_template (ADW_BIN (self), ATELIER_TYPE_PACKS_PAGE);

  g_clear_object (&self->session);
  g_clear_object (&self->client);
  g_clear_object (&self->my_sorted);
  g_clear_object (&self->gallery_sorted);
  g_clear_object (&self->my_filtered);
  g_clear_object (&self->gallery_filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->sorter);
  g_clear_object (&self->my_packs);
  g_clear_object (&self->gallery_packs);
  g_clear_object (&self->likes);

  G_OBJECT_CLASS (atelier_packs_page_parent_class)->dispose (object);
}

static void
atelier_packs_page_finalize (GObject *object)
{
  AtelierPacksPage *self = ATELIER_PACKS_PAGE (object);

  g_clear_error (&self->error);
  g_hash_table_unref (self->prompts);
  g_free (self->view_run_id);

  G_OBJECT_CLASS (atelier_packs_page_parent_class)->finalize (object);
}

static void
atelier_packs_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  AtelierPacksPage *self = ATELIER_PACKS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_packs_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  AtelierPacksPage *self = ATELIER_PACKS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      atelier_packs_page_set_client (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_packs_page_class_init (AtelierPacksPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atelier_packs_page_dispose;
  object_class->finalize = atelier_packs_page_finalize;
  object_class->get_property = atelier_packs_page_get_property;
  object_class->set_property = atelier_packs_page_set_property;
  widget_class->root = atelier_packs_page_root;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         ATELIER_TYPE_ASTRIA_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ATELIER_TYPE_PACK_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/atelier/Atelier/packs/atelier-packs-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AtelierPacksPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, AtelierPacksPage, list_page);
  gtk_widget_class_bind_template_child (widget_class, AtelierPacksPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, AtelierPacksPage, sort_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AtelierPacksPage, stack);
  gtk_widget_class_bind_template_child (widget_class, AtelierPacksPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, AtelierPacksPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, AtelierPacksPage, my_list);
  gtk_widget_class_bind_template_child (widget_class, AtelierPacksPage, gallery_list);
  gtk_widget_class_bind_template_child (widget_class, AtelierPacksPage, themes_list);
  gtk_widget_class_bind_template_child (widget_class, AtelierPacksPage, pack_view);

  gtk_widget_class_install_action (widget_class, "page.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "page.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "packs.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "packs.create-tune", NULL, create_tune_action);
  gtk_widget_class_install_action (widget_class, "packs.run-pack", NULL, run_pack_action);
  gtk_widget_class_install_action (widget_class, "packs.run-theme", NULL, run_theme_action);
  gtk_widget_class_install_action (widget_class, "packs.open-run", "s", open_run_action);
  gtk_widget_class_install_action (widget_class, "packs.delete-run", "s", delete_run_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "packs.back", NULL);
}

static GtkSortListModel *
new_shown_model (AtelierPacksPage    *self,
                 GListStore          *store,
                 GtkFilterListModel **filtered)
{
  *filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (store)), g_object_ref (GTK_FILTER (self->filter)));
  return gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (*filtered)), g_object_ref (GTK_SORTER (self->sorter)));
}

static void
atelier_packs_page_init (AtelierPacksPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->my_packs = g_list_store_new (ATELIER_TYPE_PACK);
  self->gallery_packs = g_list_store_new (ATELIER_TYPE_PACK);
  self->prompts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) pack_prompts_free);
  self->likes = atelier_pack_likes_new ();
  g_queue_init (&self->prompt_queue);

  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->sorter = gtk_custom_sorter_new (sort_func, self, NULL);
  self->my_sorted = new_shown_model (self, self->my_packs, &self->my_filtered);
  self->gallery_sorted = new_shown_model (self, self->gallery_packs, &self->gallery_filtered);

  gtk_list_box_bind_model (self->my_list, G_LIST_MODEL (self->my_sorted), create_row, self, NULL);
  gtk_list_box_bind_model (self->gallery_list, G_LIST_MODEL (self->gallery_sorted), create_row, self, NULL);
  gtk_list_box_set_placeholder (self->my_list, atelier_pack_placeholder_new (_("No packs of your own to show")));
  gtk_list_box_set_placeholder (self->gallery_list, atelier_pack_placeholder_new (_("No gallery packs to show")));
  gtk_list_box_set_placeholder (self->themes_list,
                                atelier_pack_placeholder_new (_("No theme runs yet. “Run a Theme…” has Astria write "
                                                                "ten prompts from a theme for each tune you choose.")));

  /* The drop-down's own button takes the focus and is what a screen
   * reader presents: it gets the drop-down's name (GTK 4.8 gives none). */
  {
    GtkWidget *toggle = atelier_widget_find_descendant (GTK_WIDGET (self->sort_dropdown), GTK_TYPE_TOGGLE_BUTTON);

    if (toggle != NULL)
      gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sort packs"), -1);
  }

  g_signal_connect_object (self->my_list, "row-activated", G_CALLBACK (row_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->gallery_list, "row-activated", G_CALLBACK (row_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sort_dropdown, "notify::selected", G_CALLBACK (sort_changed_cb), self, G_CONNECT_SWAPPED);
}

/* }}} */
