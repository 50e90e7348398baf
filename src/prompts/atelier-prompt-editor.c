/* atelier-prompt-editor.c: write a prompt for a tune and generate it
 *
 * The window ties its parts together: the tune row says where the prompt
 * goes (atelier-prompt-tune-row.c), the text view (atelier-prompt-text.c)
 * and the parameter rows (atelier-prompt-form.c) write into one
 * AtelierPromptParams. After every change the params are validated
 * (atelier_params_validate_all): each error shows under its field, those
 * of the text and of fields without a row under the text, and the tips
 * (atelier-prompt-tips.c) follow. "Generate" sends the prompt.
 *
 * A 504 on create may still have created the prompt: the documentation
 * asks to wait 60 s before sending it again (so that idempotency can
 * answer with the first one). The editor then shows a countdown, keeps
 * the form and Generate locked, and offers Retry only once it ran out;
 * "Don't Retry" (or Cancel) ends the wait and unlocks the form. A dropped
 * connection or no answer in time may likewise have created it (the
 * server may have done the work before the answer was lost): the same
 * wait, saying so, rather than "offline" (one dropped connection is not;
 * AtelierSession decides that).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-prompt-editor.h"
#include "atelier-prompt-editor-private.h"
#include "atelier-prompt-form.h"
#include "atelier-prompt-text.h"
#include "atelier-prompt-tips.h"
#include "atelier-prompt-tune-row.h"
#include "atelier-shell.h"
#include "atelier-widget-utils.h"

struct _AtelierPromptEditor
{
  AdwWindow             parent_instance;

  /* template */
  AdwWindowTitle       *window_title;
  GtkWidget            *generate_button;
  GtkRevealer          *progress_revealer;
  GtkProgressBar       *progress_bar;
  GtkRevealer          *retry_revealer;
  GtkLabel             *retry_label;
  GtkScrolledWindow    *scrolled_window;
  AtelierPromptTuneRow *tune_row;
  GtkMenuButton        *insert_button;
  AtelierPromptText    *text_view;
  GtkLabel             *text_error;
  GtkLabel             *text_note;
  AtelierPromptTips    *tips_group;
  AdwPreferencesGroup  *images_group;
  AdwPreferencesGroup  *enhancements_group;
  AdwPreferencesGroup  *more_group;

  AtelierSession       *session;
  AtelierPromptParams  *params;
  AtelierPromptForm    *form;
  gboolean              updating;       /* filling the text from params */
  gboolean              show_required;  /* the user tried to generate */
  char                 *tag_added;      /* the tune's tag Generate put back */
  GCancellable         *create_cancellable;

  /* After a 504, or a connection lost before the answer */
  guint                 retry_wait_ms;  /* the documented 60 s; tests shorten it */
  gint64                retry_at;       /* monotonic µs Retry is offered from; 0: no wait */
  guint                 retry_tick_id;
  gboolean              retry_after_drop; /* the connection failed, not a 504 */
};

G_DEFINE_FINAL_TYPE (AtelierPromptEditor, atelier_prompt_editor, ADW_TYPE_WINDOW)

enum {
  PROMPT_CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_RETRY_WAIT_MS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* "When retrying a 504 error […] wait 60 seconds before retrying". */
#define DEFAULT_RETRY_WAIT_MS (60 * 1000)
/* How often the countdown looks at the clock. */
#define RETRY_TICK_MS 250

static AtelierParams *
params (AtelierPromptEditor *self)
{
  return ATELIER_PARAMS (self->params);
}

gint64
atelier_prompt_editor_get_target_tune_id (AtelierPromptEditor *self)
{
  AtelierPromptTarget target;

  g_return_val_if_fail (ATELIER_IS_PROMPT_EDITOR (self), 0);

  atelier_prompt_tune_row_get_target (self->tune_row, &target);
  return target.tune_id;
}

/* {{{ Validation */

/* Shows @errors (AtelierFieldError) and the parse errors: under their
 * rows, and under the text those of the text and of fields without a row
 * (the text's "is required" only once the user tried to generate).
 * Returns how many there are; @first is the first row with one. */
static guint
show_errors (AtelierPromptEditor  *self,
             GPtrArray            *errors,
             const char          **first)
{
  g_autoptr(GString) text_errors = g_string_new (NULL);
  GtkWidget *text_frame = gtk_widget_get_parent (GTK_WIDGET (self->text_view));
  guint n = atelier_prompt_form_show_errors (self->form, errors, first);

  for (guint i = 0; i < errors->len; i++)
    {
      AtelierFieldError *error = g_ptr_array_index (errors, i);
      gboolean is_text = g_str_equal (error->field, "text");
      g_autofree char *message = NULL;

      if (atelier_prompt_form_has_row (self->form, error->field))
        continue;
      if (is_text && !self->show_required && !atelier_params_has (params (self), "text"))
        continue;

      message = is_text ? atelier_prompt_field_describe_error ("text", error->message)
                        : g_strdup_printf ("%s: %s", error->field, error->message);
      g_string_append_printf (text_errors, text_errors->len > 0 ? "\n%s" : "%s", message);
      n++;
    }

  gtk_label_set_label (self->text_error, text_errors->str);
  gtk_widget_set_visible (GTK_WIDGET (self->text_error), text_errors->len > 0);
  if (text_errors->len > 0)
    gtk_widget_add_css_class (text_frame, "error");
  else
    gtk_widget_remove_css_class (text_frame, "error");

  return n;
}

static guint
revalidate_full (AtelierPromptEditor  *self,
                 const char          **first)
{
  g_autoptr(GPtrArray) errors = atelier_params_validate_all (params (self));
  g_autofree char *text = atelier_prompt_text_dup_text (self->text_view);
  AtelierPromptTarget target;
  guint n = show_errors (self, errors, first);

  atelier_prompt_tune_row_get_target (self->tune_row, &target);
  /* A prompt the target model refuses (two LoRAs on SDXL) is not sent. */
  n += atelier_prompt_tips_update (self->tips_group, params (self), text, &target);
  return n;
}

static void
revalidate (AtelierPromptEditor *self)
{
  const char *first;

  if (!self->updating)
    revalidate_full (self, &first);
}

/* }}} */
/* {{{ The parts */

static void
text_changed_cb (AtelierPromptEditor *self)
{
  g_autofree char *text = NULL;

  if (self->updating)
    return;

  text = atelier_prompt_text_dup_text (self->text_view);
  atelier_params_set_string (params (self), "text", *text != '\0' ? text : NULL);
  revalidate (self);
}

static void
notes_changed_cb (AtelierPromptEditor *self)
{
  const char *notes = atelier_prompt_text_get_notes (self->text_view);

  gtk_label_set_label (self->text_note, notes);
  gtk_widget_set_visible (GTK_WIDGET (self->text_note), *notes != '\0');
}

/* The chosen tune, and so where the prompt goes, may have changed. */
static void
target_changed_cb (AtelierPromptEditor *self,
                   gboolean             picked)
{
  AtelierTune *tune = atelier_prompt_tune_row_get_tune (self->tune_row);
  g_autoptr(GPtrArray) tunes = atelier_prompt_tune_row_dup_tunes (self->tune_row);
  g_autoptr(GMenuModel) menu = atelier_prompt_text_build_tag_menu (tunes, tune);
  g_autofree char *description = atelier_prompt_tune_row_dup_description (self->tune_row);

  atelier_prompt_text_set_tune (self->text_view, tune);
  if (picked)
    {
      AtelierPromptTarget target;

      atelier_prompt_tune_row_get_target (self->tune_row, &target);
      atelier_prompt_text_ensure_tag (self->text_view, &target);
    }

  gtk_menu_button_set_menu_model (self->insert_button, menu);
  gtk_widget_set_sensitive (GTK_WIDGET (self->insert_button), g_menu_model_get_n_items (menu) > 0);
  adw_window_title_set_subtitle (self->window_title, description);
  atelier_prompt_form_set_small_model (self->form, atelier_prompt_tune_row_runs_on_small_model (self->tune_row));
  revalidate (self);
}

static void
insert_tag_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  AtelierPromptEditor *self = ATELIER_PROMPT_EDITOR (widget);

  atelier_prompt_text_insert_tag (self->text_view, g_variant_get_string (param, NULL));
}

static void
apply_tip_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  AtelierPromptEditor *self = ATELIER_PROMPT_EDITOR (widget);
  const char *tip = g_variant_get_string (param, NULL);

  /* The rows follow the params by themselves. */
  if (g_str_equal (tip, "rv51"))
    atelier_prompt_tune_row_pick (self->tune_row, ATELIER_RV51_TUNE_ID);
  else if (atelier_prompt_tips_apply (params (self), tip))
    revalidate (self);
}

void
atelier_prompt_editor_set_params (AtelierPromptEditor *self,
                                  AtelierPromptParams *new_params)
{
  g_return_if_fail (ATELIER_IS_PROMPT_EDITOR (self));
  g_return_if_fail (ATELIER_IS_PROMPT_PARAMS (new_params));

  /* A copy: the editor changes its params as the user types. */
  g_clear_object (&self->params);
  self->params = atelier_prompt_params_copy (new_params);

  self->updating = TRUE;
  atelier_prompt_text_set_text (self->text_view, atelier_params_get_string (params (self), "text"));
  self->updating = FALSE;
  atelier_prompt_form_set_params (self->form, params (self));

  revalidate (self);
}

AtelierPromptParams *
atelier_prompt_editor_dup_params (AtelierPromptEditor *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPT_EDITOR (self), NULL);
  return g_object_ref (self->params);
}

void
atelier_prompt_editor_set_target_tune_id (AtelierPromptEditor *self,
                                          gint64               tune_id)
{
  g_return_if_fail (ATELIER_IS_PROMPT_EDITOR (self));

  atelier_prompt_tune_row_set_target_id (self->tune_row, tune_id);
}

/* }}} */
/* {{{ Generating */

static void
set_busy (AtelierPromptEditor *self,
          gboolean             busy)
{
  gtk_revealer_set_reveal_child (self->progress_revealer, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.generate", !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->scrolled_window), !busy);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  if (busy)
    gtk_progress_bar_pulse (self->progress_bar);
}

static void
progress_cb (goffset  sent,
             goffset  total,
             gpointer user_data)
{
  AtelierPromptEditor *self = user_data;

  if (total > 0)
    gtk_progress_bar_set_fraction (self->progress_bar, (double) sent / total);
  else
    gtk_progress_bar_pulse (self->progress_bar);
}

/* {{{ Waiting to retry after a 504 */

static void
stop_retry_wait (AtelierPromptEditor *self)
{
  g_clear_handle_id (&self->retry_tick_id, g_source_remove);
  self->retry_at = 0;
  gtk_revealer_set_reveal_child (self->retry_revealer, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.retry", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.cancel-retry", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.generate", TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->scrolled_window), TRUE);
}

/* Shows the seconds left; once none are, offers Retry. */
static gboolean
retry_tick_cb (gpointer user_data)
{
  AtelierPromptEditor *self = user_data;
  gint64 left_us = self->retry_at - g_get_monotonic_time ();
  g_autofree char *text = NULL;

  if (left_us > 0 && self->retry_after_drop)
    {
      guint seconds = (guint) ((left_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);

      /* Translators: %u is a number of seconds */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "The connection failed before Astria answered, and the prompt may still be created. "
                                           "To avoid a duplicate, Retry is possible in %u second.",
                                           "The connection failed before Astria answered, and the prompt may still be created. "
                                           "To avoid a duplicate, Retry is possible in %u seconds.", seconds),
                              seconds);
      gtk_label_set_label (self->retry_label, text);
      return G_SOURCE_CONTINUE;
    }
  else if (left_us > 0)
    {
      guint seconds = (guint) ((left_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);

      /* Translators: %u is a number of seconds */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "The server took too long to answer, and the prompt may still be created. "
                                           "To avoid a duplicate, Retry is possible in %u second.",
                                           "The server took too long to answer, and the prompt may still be created. "
                                           "To avoid a duplicate, Retry is possible in %u seconds.", seconds),
                              seconds);
      gtk_label_set_label (self->retry_label, text);
      return G_SOURCE_CONTINUE;
    }

  self->retry_tick_id = 0;
  if (self->retry_after_drop)
    gtk_label_set_label (self->retry_label,
                         _("The connection failed before Astria answered, and the prompt may have been created: "
                           "check the gallery before you retry."));
  else
    gtk_label_set_label (self->retry_label,
                         _("The server took too long to answer, and the prompt may have been created: "
                           "check the gallery before you retry."));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.retry", TRUE);
  return G_SOURCE_REMOVE;
}

/* @after_drop: the connection failed (not a 504). */
static void
start_retry_wait (AtelierPromptEditor *self,
                  gboolean             after_drop)
{
  g_clear_handle_id (&self->retry_tick_id, g_source_remove);
  self->retry_after_drop = after_drop;
  self->retry_at = g_get_monotonic_time () + (gint64) self->retry_wait_ms * 1000;

  /* Nothing may be sent, nor changed, before Retry. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.generate", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.retry", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.cancel-retry", TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->scrolled_window), FALSE);
  gtk_revealer_set_reveal_child (self->retry_revealer, TRUE);

  if (retry_tick_cb (self))
    self->retry_tick_id = g_timeout_add (MIN (RETRY_TICK_MS, MAX (self->retry_wait_ms, 1)), retry_tick_cb, self);
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  AtelierPromptEditor *self = ATELIER_PROMPT_EDITOR (widget);

  if (self->retry_at == 0 || self->retry_tick_id != 0)
    return;

  stop_retry_wait (self);
  gtk_widget_activate_action (widget, "editor.generate", NULL);
}

static void
cancel_retry_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  stop_retry_wait (ATELIER_PROMPT_EDITOR (widget));
}

/* }}} */

static void
created_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(AtelierPromptEditor) self = user_data;
  g_autoptr(AtelierPrompt) prompt = NULL;
  g_autoptr(GError) error = NULL;
  AtelierShell *shell;

  prompt = atelier_astria_client_create_prompt_finish (ATELIER_ASTRIA_CLIENT (source), result, &error);
  g_clear_object (&self->create_cancellable);
  set_busy (self, FALSE);

  if (prompt == NULL &&
      g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_GATEWAY_TIMEOUT))
    {
      start_retry_wait (self, FALSE);
      return;
    }

  /* Sent, and the connection dropped or nothing came back in time: the
   * prompt may have been made all the same. */
  if (prompt == NULL &&
      (g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_NETWORK) ||
       g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_TIMEOUT)) &&
      atelier_api_error_may_have_arrived (error))
    {
      start_retry_wait (self, TRUE);
      return;
    }

  if (prompt == NULL)
    {
      g_autoptr(GPtrArray) fields = atelier_api_error_get_field_errors (error);
      const char *first;

      /* The server's own field errors go next to the fields too. */
      if (fields != NULL && fields->len > 0)
        show_errors (self, fields, &first);
      atelier_widget_show_error (GTK_WIDGET (self), error);
      return;
    }

  g_signal_emit (self, signals[PROMPT_CREATED], 0, prompt);

  /* The gallery shows it at once, pending. */
  atelier_session_announce_prompt (self->session, prompt);

  shell = atelier_shell_find (GTK_WIDGET (self));
  if (shell != NULL)
    {
      g_autofree char *toast = NULL;
      guint n = (guint) MAX (atelier_prompt_get_num_images (prompt), 1);

      atelier_shell_show_page (shell, "gallery");
      if (self->tag_added != NULL)
        /* Translators: %u is a number of images, %s a tag such as <lora:123:1> */
        toast = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Generating %u image, with the tune’s tag %s added back to the prompt",
                                              "Generating %u images, with the tune’s tag %s added back to the prompt", n),
                                 n, self->tag_added);
      else
        toast = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Generating %u image", "Generating %u images", n), n);
      atelier_widget_show_toast (GTK_WIDGET (self), toast);
    }

  gtk_window_destroy (GTK_WINDOW (self));
}

static void
generate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  AtelierPromptEditor *self = ATELIER_PROMPT_EDITOR (widget);
  AtelierAstriaClient *client = atelier_session_get_astria_client (self->session);
  gint64 tune_id = atelier_prompt_editor_get_target_tune_id (self);
  AtelierPromptTarget target;
  const char *first = NULL;

  /* A LoRA or FaceID prompt runs on a base model: without the tune's tag
   * (a pasted prompt replaces the one the editor put in) it would show
   * nobody. Put it back, and say so when the images come. */
  g_clear_pointer (&self->tag_added, g_free);
  atelier_prompt_tune_row_get_target (self->tune_row, &target);
  if (atelier_prompt_text_ensure_tag (self->text_view, &target))
    self->tag_added = target.tag_kind == ATELIER_PROMPT_TAG_FACEID
                      ? atelier_prompt_tag_format_faceid (target.tag_tune_id)
                      : atelier_prompt_tag_format_lora (target.tag_tune_id, 1.0);

  self->show_required = TRUE;
  if (revalidate_full (self, &first) > 0)
    {
      if (first != NULL)
        atelier_prompt_form_focus (self->form, first);
      else
        gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
      gtk_widget_error_bell (widget);
      return;
    }

  if (client == NULL || tune_id == 0)
    {
      gtk_widget_error_bell (widget);
      return;
    }

  self->create_cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  atelier_astria_client_create_prompt_async (client, tune_id, self->params, progress_cb, self,
                                             self->create_cancellable, created_cb, g_object_ref (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AtelierPromptEditor *self = ATELIER_PROMPT_EDITOR (widget);

  /* Sending: stop it and stay. Waiting to retry: stop waiting and stay.
   * Otherwise close. */
  if (self->create_cancellable != NULL)
    {
      g_cancellable_cancel (self->create_cancellable);
      return;
    }
  if (self->retry_at != 0)
    {
      stop_retry_wait (self);
      return;
    }

  gtk_window_destroy (GTK_WINDOW (self));
}

GtkNativeDialog *
_atelier_prompt_editor_get_file_chooser (AtelierPromptEditor *self)
{
  g_return_val_if_fail (ATELIER_IS_PROMPT_EDITOR (self), NULL);

  return _atelier_prompt_form_get_file_chooser (self->form);
}

/* }}} */
/* {{{ GObject */

static void
atelier_prompt_editor_dispose (GObject *object)
{
  AtelierPromptEditor *self = ATELIER_PROMPT_EDITOR (object);

  g_cancellable_cancel (self->create_cancellable);
  g_clear_object (&self->create_cancellable);
  g_clear_handle_id (&self->retry_tick_id, g_source_remove);
  /* Before the rows: an open file chooser answers into them. */
  if (self->form != NULL)
    g_object_run_dispose (G_OBJECT (self->form));

  gtk_widget_dispose_template (GTK_WIDGET (self), ATELIER_TYPE_PROMPT_EDITOR);

  g_clear_object (&self->session);

  G_OBJECT_CLASS (atelier_prompt_editor_parent_class)->dispose (object);
}

static void
atelier_prompt_editor_finalize (GObject *object)
{
  AtelierPromptEditor *self = ATELIER_PROMPT_EDITOR (object);

  g_clear_object (&self->form);
  g_free (self->tag_added);
  g_clear_object (&self->params);

  G_OBJECT_CLASS (atelier_prompt_editor_parent_class)->finalize (object);
}

static void
atelier_prompt_editor_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  AtelierPromptEditor *self = ATELIER_PROMPT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_RETRY_WAIT_MS:
      g_value_set_uint (value, self->retry_wait_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_prompt_editor_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  AtelierPromptEditor *self = ATELIER_PROMPT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_RETRY_WAIT_MS:
      if (self->retry_wait_ms != g_value_get_uint (value))
        {
          self->retry_wait_ms = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_prompt_editor_class_init (AtelierPromptEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atelier_prompt_editor_dispose;
  object_class->finalize = atelier_prompt_editor_finalize;
  object_class->get_property = atelier_prompt_editor_get_property;
  object_class->set_property = atelier_prompt_editor_set_property;

  /* After a 504 on create, how long before Retry is offered: the
   * documented 60 s. Tests shorten it. */
  properties[PROP_RETRY_WAIT_MS] =
    g_param_spec_uint ("retry-wait-ms", NULL, NULL, 0, G_MAXUINT, DEFAULT_RETRY_WAIT_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The prompt the service created (pending). */
  signals[PROMPT_CREATED] = g_signal_new ("prompt-created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, ATELIER_TYPE_PROMPT);

  g_type_ensure (ATELIER_TYPE_PROMPT_TEXT);
  g_type_ensure (ATELIER_TYPE_PROMPT_TIPS);
  g_type_ensure (ATELIER_TYPE_PROMPT_TUNE_ROW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/atelier/Atelier/prompts/atelier-prompt-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, AtelierPromptEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, AtelierPromptEditor, generate_button);
  gtk_widget_class_bind_template_child (widget_class, AtelierPromptEditor, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, AtelierPromptEditor, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, AtelierPromptEditor, retry_revealer);
  gtk_widget_class_bind_template_child (widget_class, AtelierPromptEditor, retry_label);
  gtk_widget_class_bind_template_child (widget_class, AtelierPromptEditor, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, AtelierPromptEditor, tune_row);
  gtk_widget_class_bind_template_child (widget_class, AtelierPromptEditor, insert_button);
  gtk_widget_class_bind_template_child (widget_class, AtelierPromptEditor, text_view);
  gtk_widget_class_bind_template_child (widget_class, AtelierPromptEditor, text_error);
  gtk_widget_class_bind_template_child (widget_class, AtelierPromptEditor, text_note);
  gtk_widget_class_bind_template_child (widget_class, AtelierPromptEditor, tips_group);
  gtk_widget_class_bind_template_child (widget_class, AtelierPromptEditor, images_group);
  gtk_widget_class_bind_template_child (widget_class, AtelierPromptEditor, enhancements_group);
  gtk_widget_class_bind_template_child (widget_class, AtelierPromptEditor, more_group);
  gtk_widget_class_bind_template_callback (widget_class, target_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, notes_changed_cb);

  gtk_widget_class_install_action (widget_class, "editor.generate", NULL, generate_action);
  gtk_widget_class_install_action (widget_class, "editor.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "editor.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "editor.cancel-retry", NULL, cancel_retry_action);
  gtk_widget_class_install_action (widget_class, "editor.insert-tag", "s", insert_tag_action);
  gtk_widget_class_install_action (widget_class, "editor.apply-tip", "s", apply_tip_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "editor.generate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "editor.cancel", NULL);
}

static void
atelier_prompt_editor_init (AtelierPromptEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  atelier_widget_label_menu_buttons (GTK_WIDGET (self));

  self->retry_wait_ms = DEFAULT_RETRY_WAIT_MS;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.retry", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.cancel-retry", FALSE);

  self->params = atelier_prompt_params_new ();
  g_signal_connect_swapped (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->text_view)), "changed",
                            G_CALLBACK (text_changed_cb), self);

  self->form = atelier_prompt_form_new (self->images_group, self->enhancements_group, self->more_group);
  g_signal_connect_swapped (self->form, "changed", G_CALLBACK (revalidate), self);
  atelier_prompt_form_set_params (self->form, params (self));

  target_changed_cb (self, FALSE);
}

AtelierPromptEditor *
atelier_prompt_editor_new (AtelierSession *session,
                           AtelierTune    *tune_or_null)
{
  AtelierPromptEditor *self;
  AtelierAstriaClient *client;

  g_return_val_if_fail (ATELIER_IS_SESSION (session), NULL);
  g_return_val_if_fail (tune_or_null == NULL || ATELIER_IS_TUNE (tune_or_null), NULL);

  self = g_object_new (ATELIER_TYPE_PROMPT_EDITOR, NULL);
  self->session = g_object_ref (session);

  if (tune_or_null != NULL)
    {
      AtelierPromptTarget target;

      atelier_prompt_tune_row_set_tune (self->tune_row, tune_or_null);
      atelier_prompt_tune_row_get_target (self->tune_row, &target);
      atelier_prompt_text_ensure_tag (self->text_view, &target);
    }

  client = atelier_session_get_astria_client (session);
  if (client != NULL)
    atelier_prompt_tune_row_load (self->tune_row, client);

  return self;
}

/* }}} */
