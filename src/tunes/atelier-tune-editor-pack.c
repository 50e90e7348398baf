/* atelier-tune-editor-pack.c: AtelierTuneEditor's pack mode
 *
 * The part of AtelierTuneEditor for a tune made from a pack
 * (atelier_tune_editor_set_pack(), kept in the draft): the pack and price
 * rows, the class row offering the classes the pack prices, and the
 * dialog that confirms the price (or that it is not known) before
 * anything is sent.
 *
 * The class itself (GObject, template, actions, signal handlers) is
 * atelier-tune-editor.c, the form atelier-tune-editor-form.c, the status
 * and the upload atelier-tune-editor-upload.c; they share
 * atelier-tune-editor-private.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-tune-editor-private.h"
#include "atelier-tune-ui.h"
#include "atelier-widget-utils.h"

/* {{{ Pack mode */

/* The pack's price for the chosen class in milli-cents, -1 when unknown. */
static gint64
pack_price_mc (AtelierTuneEditor *self)
{
  g_autofree char *class_name = _atelier_tune_editor_dup_class_name (self);

  if (self->pack == NULL || class_name == NULL)
    return -1;
  return atelier_pack_get_cost_mc (self->pack, class_name);
}

void
_atelier_tune_editor_update_pack_fields (AtelierTuneEditor *self)
{
  gboolean pack_mode = self->pack != NULL;
  g_autofree char *class_name = NULL;
  g_autofree char *price = NULL;
  gint64 mc;

  gtk_widget_set_visible (GTK_WIDGET (self->pack_group), pack_mode);
  gtk_widget_set_visible (GTK_WIDGET (self->model_group), !pack_mode);
  gtk_widget_set_visible (self->training_group, !pack_mode);
  gtk_widget_set_visible (GTK_WIDGET (self->prompts_group), !pack_mode);
  gtk_label_set_label (self->page_title, pack_mode ? _("New Tune from a Pack") : _("New Tune"));
  if (!pack_mode)
    return;

  {
    g_autofree char *title = atelier_pack_dup_display_title (self->pack);
    g_autofree char *summary = atelier_pack_dup_summary (self->pack);

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->pack_row), title);
    adw_action_row_set_subtitle (self->pack_row, summary);
  }

  class_name = _atelier_tune_editor_dup_class_name (self);
  mc = pack_price_mc (self);
  if (mc >= 0)
    price = atelier_format_cost_mc (mc);
  else if (class_name == NULL)
    price = g_strdup (_("Choose a class"));
  else
    price = g_strdup (_("Not known"));
  gtk_label_set_label (self->price_label, price);
  if (class_name != NULL)
    {
      /* Translators: %s is a class, e.g. "woman" */
      g_autofree char *subtitle = g_strdup_printf (_("For a tune of a %s"), class_name);

      adw_action_row_set_subtitle (self->price_row, subtitle);
    }
  else
    adw_action_row_set_subtitle (self->price_row, NULL);
}

/* The class row offers the pack's classes with their price, or every
 * class when there is no pack or the pack prices none. */
static void
set_class_choices (AtelierTuneEditor *self)
{
  g_auto(GStrv) classes = self->pack != NULL ? atelier_pack_dup_cost_classes (self->pack) : NULL;
  g_autoptr(GtkStringList) list = NULL;

  g_clear_pointer (&self->pack_classes, g_strfreev);
  if (classes == NULL || classes[0] == NULL)
    {
      if (adw_combo_row_get_model (self->class_row) != self->class_model)
        adw_combo_row_set_model (self->class_row, self->class_model);
      return;
    }

  list = gtk_string_list_new (NULL);
  for (guint i = 0; classes[i] != NULL; i++)
    {
      g_autofree char *cost = atelier_format_cost_mc (atelier_pack_get_cost_mc (self->pack, classes[i]));
      /* Translators: a class a pack offers and its price, e.g. "woman — $1.00" */
      g_autofree char *item = g_strdup_printf (_("%s — %s"), classes[i], cost);

      gtk_string_list_append (list, item);
    }
  self->pack_classes = g_steal_pointer (&classes);
  adw_combo_row_set_model (self->class_row, G_LIST_MODEL (list));
}

/* Selects @class_name in the class row, as it is offered now. */
void
_atelier_tune_editor_select_class (AtelierTuneEditor *self,
                                   const char        *class_name,
                                   gboolean           custom)
{
  guint index;

  if (self->pack_classes != NULL)
    {
      index = 0;
      for (guint i = 0; self->pack_classes[i] != NULL; i++)
        if (g_strcmp0 (self->pack_classes[i], class_name) == 0)
          index = i;
      adw_combo_row_set_selected (self->class_row, index);
      gtk_editable_set_text (GTK_EDITABLE (self->custom_class_row), "");
      return;
    }

  index = custom ? ATELIER_TUNE_CLASS_OTHER
                 : atelier_tune_choice_find (ATELIER_TUNE_CHOICE_CLASS, class_name, ATELIER_TUNE_CLASS_OTHER);
  adw_combo_row_set_selected (self->class_row, index);
  gtk_editable_set_text (GTK_EDITABLE (self->custom_class_row),
                         index == ATELIER_TUNE_CLASS_OTHER ? class_name : "");
}

/* Pack mode from the draft's "pack", the pack as the service sent it. */
void
_atelier_tune_editor_take_pack_from_draft (AtelierTuneEditor *self)
{
  const char *json = atelier_draft_get_string (self->draft, "pack");
  g_autoptr(JsonNode) node = NULL;

  g_clear_object (&self->pack);
  if (json != NULL && (node = json_from_string (json, NULL)) != NULL)
    self->pack = atelier_pack_new_from_json (node, NULL);
  set_class_choices (self);
}

/* }}} */

/* {{{ The price, confirmed before the upload */

static void
price_response_cb (AtelierTuneEditor *self,
                   const char        *response)
{
  if (g_str_equal (response, "create"))
    _atelier_tune_editor_start_upload (self, self->confirm_leave_out);
}

/* A tune from a pack costs money: its price, or that it is not known,
 * confirmed once before anything is sent. Other tunes go at once. */
void
_atelier_tune_editor_confirm_then_upload (AtelierTuneEditor *self,
                                          gboolean           leave_out_warned)
{
  g_autofree char *class_name = NULL;
  g_autofree char *title = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  g_autofree char *create = NULL;
  AdwMessageDialog *dialog;
  gint64 mc;

  if (self->pack == NULL)
    {
      _atelier_tune_editor_start_upload (self, leave_out_warned);
      return;
    }

  self->confirm_leave_out = leave_out_warned;
  class_name = _atelier_tune_editor_dup_class_name (self);
  title = atelier_pack_dup_display_title (self->pack);
  mc = pack_price_mc (self);
  if (mc >= 0)
    {
      g_autofree char *price = atelier_format_cost_mc (mc);

      /* Translators: %s is a price, e.g. "$2.00" */
      heading = g_strdup_printf (_("Create Tune for %s?"), price);
      /* Translators: “%s” is a pack's title, then a price ("$2.00") and a class ("woman") */
      body = g_strdup_printf (_("The pack “%s” costs %s for a %s. Astria charges your account when the tune is "
                                "created; the pack's prompts run once it is trained."),
                              title, price, class_name);
      /* Translators: a button; %s is a price, e.g. "$2.00" */
      create = g_strdup_printf (_("_Create for %s"), price);
    }
  else
    {
      heading = g_strdup (_("Create Tune from the Pack?"));
      /* Translators: “%s” is a pack's title, then a class ("cat") */
      body = g_strdup_printf (_("The price of the pack “%s” for a %s is not known. Astria charges your account "
                                "what the pack costs when the tune is created."),
                              title, class_name != NULL ? class_name : _("subject"));
      create = g_strdup (_("_Create Tune"));
    }

  dialog = ADW_MESSAGE_DIALOG (atelier_message_dialog_new (GTK_WIDGET (self),
                                                           heading, body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "create", create, NULL);
  adw_message_dialog_set_response_appearance (dialog, "create", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (price_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* }}} */
