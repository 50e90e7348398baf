/* atelier-pack-run-dialog.c: run a pack or a theme on test tunes
 *
 * One class: the choice of tunes (loading, the rows, what can be chosen
 * and why not), what it costs, the confirmation, and the one request with
 * what follows it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-error-presenter.h"
#include "atelier-pack-run-dialog.h"
#include "atelier-pack-ui.h"
#include "atelier-run-window.h"
#include "atelier-shell.h"
#include "atelier-tune-choices.h"
#include "atelier-tune-ui.h"
#include "atelier-widget-utils.h"

/* How many pages of tunes (of 20) are offered. */
#define MAX_TUNE_PAGES 25
#define THUMB_SIZE 40
/* The themes page: "For each tune, 10 prompts will be generated." */
#define THEME_PROMPTS_PER_TUNE 10

typedef struct
{
  AtelierTune    *tune;
  GtkCheckButton *check;
  gint64          price_mc;   /* the pack's price for its class; -1 unknown */
  gboolean        available;
} Choice;

struct _AtelierPackRunDialog
{
  AdwWindow            parent_instance;

  /* template */
  AdwWindowTitle      *window_title;
  GtkRevealer         *error_revealer;
  GtkLabel            *error_label;
  GtkStack            *stack;
  GtkSpinner          *spinner;
  AdwStatusPage       *load_error_page;
  AdwStatusPage       *empty_page;
  GtkWidget           *theme_group;
  AdwEntryRow         *theme_row;
  AdwExpanderRow      *options_row;
  GtkSpinButton       *num_images_spin;
  GtkSpinButton       *width_spin;
  GtkSpinButton       *height_spin;
  AdwPreferencesGroup *tunes_group;
  GtkListBox          *tunes_list;
  GtkLabel            *summary_label;
  GtkSpinner          *send_spinner;

  AtelierSession      *session;
  AtelierPack         *pack;        /* NULL: a theme */
  GPtrArray           *choices;     /* (element-type Choice) */
  GCancellable        *cancellable; /* of the load or the send */
  gboolean             loading;
  gboolean             busy;
};

G_DEFINE_FINAL_TYPE (AtelierPackRunDialog, atelier_pack_run_dialog, ADW_TYPE_WINDOW)

static void
choice_free (Choice *choice)
{
  g_object_unref (choice->tune);
  g_free (choice);
}

/* A weak reference for a callback: the dialog may be closed by then. */
static gpointer
weak_new (gpointer object)
{
  GWeakRef *weak = g_new0 (GWeakRef, 1);

  g_weak_ref_init (weak, object);
  return weak;
}

static gpointer
weak_steal (gpointer weak)
{
  gpointer object = g_weak_ref_get (weak);

  g_weak_ref_clear (weak);
  g_free (weak);
  return object;
}

static void
show_error (AtelierPackRunDialog *self,
            const char           *text)
{
  gtk_label_set_label (self->error_label, text != NULL ? text : "");
  gtk_revealer_set_reveal_child (self->error_revealer, text != NULL);
}

/* {{{ What it costs */

static guint
count_chosen (AtelierPackRunDialog *self)
{
  guint n = 0;

  for (guint i = 0; i < self->choices->len; i++)
    {
      Choice *choice = g_ptr_array_index (self->choices, i);

      if (choice->available && gtk_check_button_get_active (choice->check))
        n++;
    }

  return n;
}

/* "2 tunes × $1.00 = $2.00", or with prices that differ
 * "3 tunes: 2 × $1.00 + 1 × $2.00 = $4.00"; NULL when a price is not
 * known. */
static char *
format_pack_total (AtelierPackRunDialog *self,
                   gint64               *total_mc)
{
  g_autoptr(GArray) prices = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) counts = g_array_new (FALSE, TRUE, sizeof (guint));
  g_autoptr(GString) parts = g_string_new (NULL);
  g_autofree char *total_text = NULL;
  guint n = 0;

  *total_mc = 0;
  for (guint i = 0; i < self->choices->len; i++)
    {
      Choice *choice = g_ptr_array_index (self->choices, i);
      guint j;

      if (!choice->available || !gtk_check_button_get_active (choice->check))
        continue;
      if (choice->price_mc < 0)
        return NULL;

      n++;
      *total_mc += choice->price_mc;
      for (j = 0; j < prices->len; j++)
        if (g_array_index (prices, gint64, j) == choice->price_mc)
          break;
      if (j == prices->len)
        {
          guint zero = 0;

          g_array_append_val (prices, choice->price_mc);
          g_array_append_val (counts, zero);
        }
      g_array_index (counts, guint, j)++;
    }

  total_text = atelier_format_cost_mc (*total_mc);
  if (prices->len == 1)
    {
      g_autofree char *each = atelier_format_cost_mc (g_array_index (prices, gint64, 0));

      /* Translators: a number of tunes, the price of one and the total: "2 tunes × $1.00 = $2.00" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u tune × %s = %s", "%u tunes × %s = %s", n),
                              n, each, total_text);
    }

  for (guint j = 0; j < prices->len; j++)
    {
      g_autofree char *each = atelier_format_cost_mc (g_array_index (prices, gint64, j));

      if (j > 0)
        g_string_append (parts, " + ");
      /* Translators: how many tunes at a price: "2 × $1.00" */
      g_string_append_printf (parts, _("%u × %s"), g_array_index (counts, guint, j), each);
    }

  /* Translators: a number of tunes, the sum per price, and the total: "3 tunes: 2 × $1.00 + 1 × $2.00 = $4.00" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u tune: %s = %s", "%u tunes: %s = %s", n),
                          n, parts->str, total_text);
}

static char *
format_theme_total (guint n)
{
  /* Translators: tunes × prompts per tune = prompts: "2 tunes × 10 prompts = 20 prompts" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u tune × %u prompts = %u prompts",
                                       "%u tunes × %u prompts = %u prompts", n),
                          n, THEME_PROMPTS_PER_TUNE, n * THEME_PROMPTS_PER_TUNE);
}

static gboolean
theme_is_blank (AtelierPackRunDialog *self)
{
  g_autofree char *theme = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->theme_row)));

  return *g_strstrip (theme) == '\0';
}

static void
update_summary (AtelierPackRunDialog *self)
{
  guint n = count_chosen (self);
  g_autofree char *text = NULL;

  if (n == 0)
    text = g_strdup (self->pack != NULL ? _("Choose the tunes to run the pack on")
                                        : _("Choose the tunes to run the theme on"));
  else if (self->pack == NULL)
    {
      g_autofree char *total = format_theme_total (n);

      /* Translators: %s is "2 tunes × 10 prompts = 20 prompts" */
      text = g_strdup_printf (_("%s. The API documents no price for themes."), total);
    }
  else
    {
      gint64 total_mc;

      text = format_pack_total (self, &total_mc);
      if (text == NULL)
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%u tune; the pack lists no prices, so what it costs is not known",
                                             "%u tunes; the pack lists no prices, so what it costs is not known", n),
                                n);
    }

  gtk_label_set_label (self->summary_label, text);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "run.send",
                                 !self->busy && !self->loading && n > 0 &&
                                 (self->pack != NULL || !theme_is_blank (self)));
}

/* }}} */

/* {{{ The tunes */

/* Why @tune cannot be chosen, or NULL when it can. */
static char *
dup_unavailable_reason (AtelierPackRunDialog *self,
                        AtelierTune          *tune)
{
  const char *class_name = atelier_tune_get_name (tune);

  switch (atelier_tune_get_state (tune, NULL))
    {
    case ATELIER_TUNE_STATE_TRAINING:
      return g_strdup (_("Not trained yet"));
    case ATELIER_TUNE_STATE_EXPIRED:
      return g_strdup (_("Expired"));
    case ATELIER_TUNE_STATE_READY:
    case ATELIER_TUNE_STATE_EXPIRING:
    default:
      break;
    }

  if (self->pack != NULL && atelier_pack_has_prices (self->pack))
    {
      if (class_name == NULL || *class_name == '\0')
        return g_strdup (_("No class: the pack's prices go by class"));
      if (atelier_pack_get_cost_mc (self->pack, class_name) < 0)
        /* Translators: %s is a class, e.g. "cat" */
        return g_strdup_printf (_("The pack has no price for a %s"), class_name);
    }

  return NULL;
}

static GtkWidget *
create_thumbnail (AtelierPackRunDialog *self,
                  AtelierTune          *tune,
                  const char           *title)
{
  const char * const *images = atelier_tune_get_orig_images (tune);

  if (images[0] == NULL)
    return adw_avatar_new (THUMB_SIZE, title, TRUE);

  return atelier_tune_photo_new (atelier_session_get_image_cache (self->session), images[0],
                                 THUMB_SIZE, _("First training photo"));
}

static GtkWidget *
create_row (AtelierPackRunDialog *self,
            Choice               *choice)
{
  g_autofree char *title = atelier_tune_dup_short_title (choice->tune);
  g_autofree char *summary = atelier_tune_dup_summary (choice->tune);
  g_autofree char *reason = dup_unavailable_reason (self, choice->tune);
  g_autofree char *subtitle = NULL;
  GtkWidget *row = atelier_text_row_new (title, NULL);
  GtkWidget *check = gtk_check_button_new ();

  choice->available = reason == NULL;
  if (reason != NULL)
    /* Translators: a tune's class and model, then why it cannot be chosen: "cat · LoRA — The pack has no price for a cat" */
    subtitle = g_strdup_printf (_("%s — %s"), summary, reason);
  else if (self->pack != NULL && choice->price_mc >= 0)
    {
      g_autofree char *price = atelier_format_cost_mc (choice->price_mc);

      /* Translators: a tune's class and model, then the pack's price for it: "woman · LoRA · $1.00" */
      subtitle = g_strdup_printf (_("%s · %s"), summary, price);
    }
  else
    subtitle = g_steal_pointer (&summary);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  gtk_widget_set_tooltip_text (check, choice->available ? _("Run on this tune") : reason);
  choice->check = GTK_CHECK_BUTTON (check);
  g_signal_connect_object (check, "toggled", G_CALLBACK (update_summary), self, G_CONNECT_SWAPPED);

  /* Each prefix goes before those added earlier: the check box first,
   * then the face. */
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), create_thumbnail (self, choice->tune, title));
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  gtk_widget_set_sensitive (row, choice->available);

  return row;
}

static int
available_first (gconstpointer a,
                 gconstpointer b)
{
  const Choice *choice_a = *(Choice **) a;
  const Choice *choice_b = *(Choice **) b;

  return (choice_a->available ? 0 : 1) - (choice_b->available ? 0 : 1);
}

static void
show_tunes (AtelierPackRunDialog *self,
            GPtrArray            *tunes)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  guint n_available = 0;
  GtkListBoxRow *old;

  while ((old = gtk_list_box_get_row_at_index (self->tunes_list, 0)) != NULL)
    gtk_list_box_remove (self->tunes_list, GTK_WIDGET (old));
  g_ptr_array_set_size (self->choices, 0);

  for (guint i = 0; i < tunes->len; i++)
    {
      Choice *choice = g_new0 (Choice, 1);
      const char *class_name;

      choice->tune = g_object_ref (g_ptr_array_index (tunes, i));
      class_name = atelier_tune_get_name (choice->tune);
      choice->price_mc = self->pack != NULL && class_name != NULL
                         ? atelier_pack_get_cost_mc (self->pack, class_name) : -1;
      g_ptr_array_add (self->choices, choice);
      g_ptr_array_add (rows, create_row (self, choice));
      if (choice->available)
        n_available++;
    }

  /* The rows in the choices' order: those that can be chosen first, the
   * newest first within each (a stable sort of the rows with them). */
  for (guint i = 0; i < rows->len; i++)
    {
      Choice *choice = g_ptr_array_index (self->choices, i);

      g_object_set_data (G_OBJECT (choice->check), "atelier-row", g_ptr_array_index (rows, i));
    }
  g_ptr_array_sort (self->choices, available_first);
  for (guint i = 0; i < self->choices->len; i++)
    {
      Choice *choice = g_ptr_array_index (self->choices, i);

      gtk_list_box_append (self->tunes_list, g_object_get_data (G_OBJECT (choice->check), "atelier-row"));
    }

  if (n_available == 0)
    {
      const char *what = self->pack != NULL ? _("The pack runs on trained tunes of a class it prices.")
                                            : _("A theme runs on trained tunes.");
      g_autofree char *description = NULL;

      /* Translators: the first %s says what a run needs */
      description = g_strdup_printf (_("%s None of your tunes is one yet. Make one on the Tunes page: the "
                                       "branch “fast” makes a free test tune that is ready at once."),
                                     what);
      adw_status_page_set_description (self->empty_page, description);
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  else
    gtk_stack_set_visible_child_name (self->stack, "form");

  update_summary (self);
}

static void
set_loading (AtelierPackRunDialog *self,
             gboolean              loading)
{
  self->loading = loading;
  gtk_spinner_set_spinning (self->spinner, loading);
  if (loading)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  update_summary (self);
}

static void
tunes_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(AtelierPackRunDialog) self = weak_steal (user_data);
  g_autoptr(GPtrArray) tunes = NULL;
  g_autoptr(GError) error = NULL;

  tunes = atelier_tune_choices_fetch_finish (result, &error);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  set_loading (self, FALSE);

  if (tunes == NULL)
    {
      g_autofree char *text = atelier_error_describe (error);

      atelier_status_page_set_plain_description (self->load_error_page, text);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  show_tunes (self, tunes);
}

static void
load_tunes (AtelierPackRunDialog *self)
{
  AtelierAstriaClient *client = atelier_session_get_astria_client (self->session);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  show_error (self, NULL);

  if (client == NULL)
    {
      adw_status_page_set_description (self->load_error_page, _("Atelier is not connected to Astria yet."));
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  self->cancellable = g_cancellable_new ();
  set_loading (self, TRUE);
  atelier_tune_choices_fetch_async (client, MAX_TUNE_PAGES, self->cancellable, tunes_cb, weak_new (self));
}

/* }}} */

/* {{{ Sending */

static void
set_busy (AtelierPackRunDialog *self,
          gboolean              busy)
{
  self->busy = busy;
  gtk_widget_set_sensitive (GTK_WIDGET (self->stack), !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->send_spinner), busy);
  gtk_spinner_set_spinning (self->send_spinner, busy);
  update_summary (self);
}

/* The chosen tunes, in the order shown. (element-type AtelierTune) */
static GPtrArray *
dup_chosen_tunes (AtelierPackRunDialog *self)
{
  GPtrArray *tunes = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->choices->len; i++)
    {
      Choice *choice = g_ptr_array_index (self->choices, i);

      if (choice->available && gtk_check_button_get_active (choice->check))
        g_ptr_array_add (tunes, g_object_ref (choice->tune));
    }

  return tunes;
}

/* The server's words when it refused; what happened otherwise. */
static char *
describe_send_error (const GError *error)
{
  g_autofree char *text = NULL;

  if (g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID) ||
      g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM))
    {
      text = atelier_error_format_fields (error);
      /* Translators: %s lists the server's reasons, one per line */
      return g_strdup_printf (_("Astria did not accept it:\n%s"), text);
    }
  if (g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_UNAUTHORIZED))
    /* Translators: %s is the server's reason, e.g. "This pack is not available to your account" */
    return g_strdup_printf (_("Astria refused it: %s"), error->message);
  if (g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_GATEWAY_TIMEOUT))
    return g_strdup (_("Astria took too long to answer and may still have started the run: look for the "
                       "tunes' new prompts in the gallery before running it again."));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_strdup (_("Stopped. Astria may have received it before: look for the tunes' new prompts in "
                       "the gallery before running it again."));

  text = atelier_error_describe (error);
  return g_strdup_printf ("%s.", text);
}

typedef struct
{
  GWeakRef        self;
  AtelierSession *session;
  AtelierPack    *pack;
  char           *theme;
  GPtrArray      *tunes;
  GDateTime      *started_at;
} Send;

static void
send_free (Send *send)
{
  g_weak_ref_clear (&send->self);
  g_object_unref (send->session);
  g_clear_object (&send->pack);
  g_free (send->theme);
  g_ptr_array_unref (send->tunes);
  g_clear_pointer (&send->started_at, g_date_time_unref);
  g_free (send);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Send, send_free)

/* The run was made: it is kept (even when the dialog is gone by now) and
 * its matrix opens. */
static void
send_succeeded (AtelierPackRunDialog *self,
                Send                 *send)
{
  g_autoptr(AtelierPackRun) run = NULL;
  GtkWindow *parent = self != NULL ? gtk_window_get_transient_for (GTK_WINDOW (self)) : NULL;
  GtkWidget *from = parent != NULL ? GTK_WIDGET (parent) : self != NULL ? GTK_WIDGET (self) : NULL;
  guint n = send->tunes->len;

  if (send->pack != NULL)
    run = atelier_pack_run_new_for_pack (send->pack, send->tunes, send->started_at);
  else
    run = atelier_pack_run_new_for_theme (send->theme, send->tunes, send->started_at);
  atelier_pack_runs_add (atelier_session_get_pack_runs (send->session), run);

  if (from == NULL)
    return;

  atelier_run_window_present (from, send->session, run);
  {
    g_autofree char *toast = g_strdup_printf (send->pack != NULL
                                              ? g_dngettext (GETTEXT_PACKAGE, "The pack runs on %u tune",
                                                             "The pack runs on %u tunes", n)
                                              : g_dngettext (GETTEXT_PACKAGE, "The theme runs on %u tune",
                                                             "The theme runs on %u tunes", n),
                                              n);

    atelier_widget_show_toast (from, toast);
  }
  if (self != NULL)
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
send_done (Send         *send,
           const GError *error)
{
  g_autoptr(AtelierPackRunDialog) self = g_weak_ref_get (&send->self);
  g_autofree char *text = NULL;

  if (error == NULL)
    {
      if (self != NULL)
        set_busy (self, FALSE);
      send_succeeded (self, send);
      return;
    }

  if (self == NULL)
    return;

  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
  text = describe_send_error (error);
  show_error (self, text);
}

static void
run_pack_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Send) send = user_data;
  g_autoptr(GPtrArray) tunes = NULL;
  g_autoptr(GError) error = NULL;

  tunes = atelier_astria_client_run_pack_finish (ATELIER_ASTRIA_CLIENT (source), result, &error);
  send_done (send, tunes != NULL ? NULL : error);
}

static void
create_theme_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Send) send = user_data;
  g_autoptr(GError) error = NULL;

  atelier_astria_client_create_theme_finish (ATELIER_ASTRIA_CLIENT (source), result, &error);
  send_done (send, error);
}

/* num_images, w and h when the options are on; NULL when off. */
static AtelierPromptParams *
build_theme_attributes (AtelierPackRunDialog  *self,
                        GError               **error)
{
  g_autoptr(AtelierPromptParams) params = NULL;

  if (!adw_expander_row_get_enable_expansion (self->options_row))
    return NULL;

  /* What was typed and not yet taken. */
  gtk_spin_button_update (self->num_images_spin);
  gtk_spin_button_update (self->width_spin);
  gtk_spin_button_update (self->height_spin);

  params = atelier_prompt_params_new ();
  atelier_params_set_int (ATELIER_PARAMS (params), "num_images", gtk_spin_button_get_value_as_int (self->num_images_spin));
  atelier_params_set_int (ATELIER_PARAMS (params), "w", gtk_spin_button_get_value_as_int (self->width_spin));
  atelier_params_set_int (ATELIER_PARAMS (params), "h", gtk_spin_button_get_value_as_int (self->height_spin));
  /* The ranges the prompt page documents (1-8 images, 64-4096 px in
   * multiples of 8); a theme's prompts get their text from Astria. */
  if (!atelier_params_validate_param (ATELIER_PARAMS (params), "num_images", error) ||
      !atelier_params_validate_param (ATELIER_PARAMS (params), "w", error) ||
      !atelier_params_validate_param (ATELIER_PARAMS (params), "h", error))
    return NULL;

  return g_steal_pointer (&params);
}

static void
send_now (AtelierPackRunDialog *self)
{
  AtelierAstriaClient *client = atelier_session_get_astria_client (self->session);
  g_autoptr(AtelierPromptParams) attributes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *ids = NULL;
  Send *send;

  if (self->busy || client == NULL)
    return;

  send = g_new0 (Send, 1);
  g_weak_ref_init (&send->self, self);
  send->session = g_object_ref (self->session);
  send->pack = self->pack != NULL ? g_object_ref (self->pack) : NULL;
  send->tunes = dup_chosen_tunes (self);
  ids = g_new (gint64, MAX (send->tunes->len, 1));
  for (guint i = 0; i < send->tunes->len; i++)
    ids[i] = atelier_tune_get_id (g_ptr_array_index (send->tunes, i));

  if (self->pack == NULL)
    {
      send->theme = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->theme_row))));
      attributes = build_theme_attributes (self, &error);
      if (error != NULL)
        {
          g_autofree char *text = describe_send_error (error);

          show_error (self, text);
          send_free (send);
          return;
        }
    }

  show_error (self, NULL);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);

  /* Before the request, so that every prompt it makes is at or after. */
  send->started_at = g_date_time_new_now_utc ();
  if (self->pack != NULL)
    atelier_astria_client_run_pack_async (client, atelier_pack_get_id (self->pack), ids, send->tunes->len,
                                          self->cancellable, run_pack_cb, send);
  else
    atelier_astria_client_create_theme_async (client, send->theme, ids, send->tunes->len, attributes,
                                              self->cancellable, create_theme_cb, send);
}

static void
confirm_response_cb (AtelierPackRunDialog *self,
                     const char           *response)
{
  if (g_str_equal (response, "run"))
    send_now (self);
}

/* What it costs, asked once. */
static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  AtelierPackRunDialog *self = ATELIER_PACK_RUN_DIALOG (widget);
  guint n = count_chosen (self);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autofree char *run = NULL;
  AdwMessageDialog *dialog;

  if (self->busy || n == 0)
    return;

  if (self->pack != NULL)
    {
      g_autofree char *title = atelier_pack_dup_display_title (self->pack);
      gint64 total_mc;
      g_autofree char *total = format_pack_total (self, &total_mc);

      if (total != NULL)
        {
          g_autofree char *price = atelier_format_cost_mc (total_mc);

          /* Translators: %s is a price, e.g. "$3.00" */
          heading = g_strdup_printf (_("Run the Pack for %s?"), price);
          /* Translators: “%s” is a pack's title, then "2 tunes × $1.00 = $2.00" */
          body = g_strdup_printf (_("“%s” on %s. Astria charges your account now; the prompts are made in the "
                                    "background and fill the run's matrix as they finish."),
                                  title, total);
          /* Translators: a button; %s is a price, e.g. "$3.00" */
          run = g_strdup_printf (_("_Run for %s"), price);
        }
      else
        {
          heading = g_strdup (_("Run the Pack?"));
          /* Translators: “%s” is a pack's title */
          body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "The pack “%s” lists no prices, so what running it on %u tune costs "
                                               "is not known. Astria charges your account what the pack costs.",
                                               "The pack “%s” lists no prices, so what running it on %u tunes costs "
                                               "is not known. Astria charges your account what the pack costs.", n),
                                  title, n);
          run = g_strdup (_("_Run"));
        }
    }
  else
    {
      g_autofree char *theme = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->theme_row))));
      g_autofree char *total = format_theme_total (n);

      heading = g_strdup (_("Run the Theme?"));
      /* Translators: “%s” is the theme, then "2 tunes × 10 prompts = 20 prompts" */
      body = g_strdup_printf (_("Astria writes prompts from “%s” and makes their images: %s. The API documents "
                                "no price for themes, so what it costs is not known here; Astria charges your "
                                "account for them."),
                              theme, total);
      run = g_strdup (_("_Run Theme"));
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "run", run, NULL);
  adw_message_dialog_set_response_appearance (dialog, "run", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AtelierPackRunDialog *self = ATELIER_PACK_RUN_DIALOG (widget);

  /* Sending: stop, and stay to say what that means. */
  if (self->busy)
    {
      g_cancellable_cancel (self->cancellable);
      return;
    }

  gtk_window_destroy (GTK_WINDOW (self));
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  load_tunes (ATELIER_PACK_RUN_DIALOG (widget));
}

static void
go_to_tunes_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  AtelierShell *shell = atelier_shell_find (widget);

  if (shell != NULL)
    atelier_shell_show_page (shell, "tunes");
  gtk_window_destroy (GTK_WINDOW (widget));
}

/* }}} */

/* {{{ GObject */

AtelierPack *
atelier_pack_run_dialog_get_pack (AtelierPackRunDialog *self)
{
  g_return_val_if_fail (ATELIER_IS_PACK_RUN_DIALOG (self), NULL);
  return self->pack;
}

gboolean
atelier_pack_run_dialog_get_loading (AtelierPackRunDialog *self)
{
  g_return_val_if_fail (ATELIER_IS_PACK_RUN_DIALOG (self), FALSE);
  return self->loading;
}

gboolean
atelier_pack_run_dialog_get_busy (AtelierPackRunDialog *self)
{
  g_return_val_if_fail (ATELIER_IS_PACK_RUN_DIALOG (self), FALSE);
  return self->busy;
}

/* While sending, closing would lose the run: only Cancel stops it. */
static gboolean
atelier_pack_run_dialog_close_request (GtkWindow *window)
{
  AtelierPackRunDialog *self = ATELIER_PACK_RUN_DIALOG (window);

  if (self->busy)
    return TRUE;

  return GTK_WINDOW_CLASS (atelier_pack_run_dialog_parent_class)->close_request (window);
}

static void
atelier_pack_run_dialog_dispose (GObject *object)
{
  AtelierPackRunDialog *self = ATELIER_PACK_RUN_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->pack);
  g_clear_pointer (&self->choices, g_ptr_array_unref);

  G_OBJECT_CLASS (atelier_pack_run_dialog_parent_class)->dispose (object);
}

static void
atelier_pack_run_dialog_class_init (AtelierPackRunDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = atelier_pack_run_dialog_dispose;
  window_class->close_request = atelier_pack_run_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/atelier/Atelier/packs/atelier-pack-run-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AtelierPackRunDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, AtelierPackRunDialog, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, AtelierPackRunDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, AtelierPackRunDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, AtelierPackRunDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, AtelierPackRunDialog, load_error_page);
  gtk_widget_class_bind_template_child (widget_class, AtelierPackRunDialog, empty_page);
  gtk_widget_class_bind_template_child (widget_class, AtelierPackRunDialog, theme_group);
  gtk_widget_class_bind_template_child (widget_class, AtelierPackRunDialog, theme_row);
  gtk_widget_class_bind_template_child (widget_class, AtelierPackRunDialog, options_row);
  gtk_widget_class_bind_template_child (widget_class, AtelierPackRunDialog, num_images_spin);
  gtk_widget_class_bind_template_child (widget_class, AtelierPackRunDialog, width_spin);
  gtk_widget_class_bind_template_child (widget_class, AtelierPackRunDialog, height_spin);
  gtk_widget_class_bind_template_child (widget_class, AtelierPackRunDialog, tunes_group);
  gtk_widget_class_bind_template_child (widget_class, AtelierPackRunDialog, tunes_list);
  gtk_widget_class_bind_template_child (widget_class, AtelierPackRunDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, AtelierPackRunDialog, send_spinner);

  gtk_widget_class_install_action (widget_class, "run.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "run.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "run.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "run.go-to-tunes", NULL, go_to_tunes_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "run.cancel", NULL);
}

static void
atelier_pack_run_dialog_init (AtelierPackRunDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->choices = g_ptr_array_new_with_free_func ((GDestroyNotify) choice_free);
  gtk_spin_button_set_snap_to_ticks (self->width_spin, TRUE);
  gtk_spin_button_set_snap_to_ticks (self->height_spin, TRUE);
  g_signal_connect_object (self->theme_row, "notify::text", G_CALLBACK (update_summary), self, G_CONNECT_SWAPPED);

  /* The expander row's switch has no name of its own in libadwaita 1.2. */
  {
    GtkWidget *toggle = atelier_widget_find_descendant (GTK_WIDGET (self->options_row), GTK_TYPE_SWITCH);

    if (toggle != NULL)
      {
        gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _("Set the image options"), -1);
        gtk_widget_set_tooltip_text (toggle, _("Set the number of images and their size yourself"));
      }
  }
}

AtelierPackRunDialog *
atelier_pack_run_dialog_new (GtkWindow      *parent,
                             AtelierSession *session,
                             AtelierPack    *pack)
{
  AtelierPackRunDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (ATELIER_IS_SESSION (session), NULL);
  g_return_val_if_fail (pack == NULL || ATELIER_IS_PACK (pack), NULL);

  self = g_object_new (ATELIER_TYPE_PACK_RUN_DIALOG, "transient-for", parent, NULL);
  self->session = g_object_ref (session);
  self->pack = pack != NULL ? g_object_ref (pack) : NULL;

  if (pack != NULL)
    {
      g_autofree char *title = atelier_pack_dup_display_title (pack);

      gtk_window_set_title (GTK_WINDOW (self), _("Run the Pack on Test Tunes"));
      adw_window_title_set_title (self->window_title, _("Run on Test Tunes"));
      adw_window_title_set_subtitle (self->window_title, title);
      adw_preferences_group_set_description (self->tunes_group,
                                             atelier_pack_has_prices (pack)
                                             ? _("Trained tunes of a class the pack prices can be chosen")
                                             : _("Trained tunes can be chosen; the pack lists no prices"));
    }
  else
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Run a Theme"));
      adw_window_title_set_title (self->window_title, _("Run a Theme"));
      adw_window_title_set_subtitle (self->window_title, _("Ten prompts per tune, written by Astria"));
      adw_preferences_group_set_description (self->tunes_group, _("Trained tunes can be chosen"));
      gtk_widget_set_visible (self->theme_group, TRUE);
    }

  load_tunes (self);

  return self;
}

/* }}} */
