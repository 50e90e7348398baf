/* atelier-faceid-page.c: AtelierFaceidPage, the FaceID page — one class
 * gluing its parts: the two ways explained, the face
 * (AtelierFaceidFaces), the form (AtelierFaceidForm), Generate, the list
 * of requests (AtelierFaceidJobRow each) and the account's Astria FaceID
 * tunes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atelier-faceid-faces.h"
#include "atelier-faceid-form.h"
#include "atelier-faceid-job-row.h"
#include "atelier-faceid-page.h"
#include "atelier-fal-face.h"
#include "atelier-shell.h"
#include "atelier-tune-choices.h"
#include "atelier-widget-utils.h"

struct _AtelierFaceidPage
{
  AdwBin               parent_instance;

  /* template */
  GtkWidget           *add_key_button;
  AdwActionRow        *fal_way_row;
  AdwActionRow        *astria_way_row;
  AtelierFaceidFaces  *faces;
  AtelierFaceidForm   *form;
  GtkWidget           *generate_button;
  GtkLabel            *generate_label;
  GtkListBox          *jobs_list;
  GtkListBox          *tunes_list;
  GtkWidget           *create_tune_button;

  AtelierFalClient    *client;
  AtelierSession      *session;
  AtelierFaceidJobs   *jobs;
  gboolean             sandbox;
  gboolean             has_key;

  /* The job sent last from here: its field errors go on the form. */
  AtelierFaceidJob    *last_job;

  GCancellable        *tunes_cancellable;
  gboolean             loading_tunes;
  AtelierAstriaClient *tunes_client;  /* (unowned) the client the list is of */
};

G_DEFINE_FINAL_TYPE (AtelierFaceidPage, atelier_faceid_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_SANDBOX,
  PROP_HAS_KEY,
  PROP_SESSION,
  PROP_JOBS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reload_tunes (AtelierFaceidPage *self);

static AtelierAstriaClient *
get_astria_client (AtelierFaceidPage *self)
{
  return self->session != NULL ? atelier_session_get_astria_client (self->session) : NULL;
}

/* {{{ State of the page */

static gboolean
can_use_fal (AtelierFaceidPage *self)
{
  return self->has_key && self->client != NULL && self->jobs != NULL;
}

static void
update (AtelierFaceidPage *self)
{
  g_autoptr(GString) fal = g_string_new (NULL);
  g_autoptr(GString) astria = g_string_new (NULL);
  AtelierAstriaClient *astria_client = get_astria_client (self);
  const char *why = NULL;
  gboolean can_generate;

  g_string_append (fal, _("No training: a picture in about a minute, made from the photo and your prompt. "
                          "fal.ai bills the compute time to your fal.ai key. Needs a fal.ai key (Preferences) or the Sandbox."));
  g_string_append_c (fal, '\n');
  if (self->sandbox)
    g_string_append (fal, _("In the Sandbox: nothing is billed and the pictures are placeholders."));
  else if (self->has_key)
    g_string_append (fal, _("Ready, with your fal.ai key."));
  else
    g_string_append (fal, _("Add your fal.ai key to use it."));
  adw_action_row_set_subtitle (self->fal_way_row, fal->str);
  gtk_widget_set_visible (self->add_key_button, !self->has_key);

  g_string_append (astria, _("A one-time tune from the photos, ready at once without training; Astria charges for it like any tune. "
                             "Then write ordinary prompts and run packs: they run on a gallery base model with <faceid:ID:1> in the text."));
  g_string_append_c (astria, '\n');
  if (astria_client == NULL)
    g_string_append (astria, _("Needs an Astria key (Preferences) or the Sandbox."));
  else if (self->sandbox)
    g_string_append (astria, _("In the Sandbox: free, with placeholder pictures."));
  else
    g_string_append (astria, _("Ready, with your Astria key."));
  adw_action_row_set_subtitle (self->astria_way_row, astria->str);

  if (!can_use_fal (self))
    why = _("Add your fal.ai key in Preferences to generate here, or create an Astria FaceID tune below.");
  else
    why = atelier_faceid_faces_get_blocker (self->faces);

  can_generate = why == NULL;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "faceid.generate", can_generate);

  if (why == NULL)
    why = self->sandbox ? _("In the Sandbox the picture is a placeholder and nothing is billed.")
                        : _("fal.ai bills your fal.ai key for the compute time.");
  gtk_label_set_label (self->generate_label, why);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "faceid.create-tune", astria_client != NULL);
}

/* }}} */
/* {{{ Jobs */

static GtkWidget *
create_job_row (gpointer item,
                gpointer user_data)
{
  AtelierFaceidPage *self = user_data;

  return atelier_faceid_job_row_new (item, self->jobs, self->session);
}

static GtkWidget *
make_placeholder (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  gtk_widget_set_margin_top (label, 18);
  gtk_widget_set_margin_bottom (label, 18);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

/* A refusal of the request sent last from here: its fields on the form. */
static void
last_job_notify_cb (AtelierFaceidPage *self,
                    GParamSpec        *pspec,
                    AtelierFaceidJob  *job)
{
  if (job != self->last_job || atelier_faceid_job_get_state (job) != ATELIER_FACEID_JOB_REFUSED ||
      atelier_faceid_job_get_error (job) == NULL)
    return;

  self->last_job = NULL;
  g_signal_handlers_disconnect_by_func (job, last_job_notify_cb, self);
  atelier_faceid_form_show_errors (self->form, atelier_faceid_job_get_error (job), FALSE);
}

static void
set_last_job (AtelierFaceidPage *self,
              AtelierFaceidJob  *job)
{
  if (self->last_job != NULL)
    g_signal_handlers_disconnect_by_func (self->last_job, last_job_notify_cb, self);
  self->last_job = job;
  if (job != NULL)
    {
      g_signal_connect_object (job, "notify", G_CALLBACK (last_job_notify_cb), self, G_CONNECT_SWAPPED);
      last_job_notify_cb (self, NULL, job);
    }
}

/* }}} */
/* {{{ Actions */

static void
generate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  AtelierFaceidPage *self = ATELIER_FACEID_PAGE (widget);
  g_autoptr(JsonObject) input = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jpegs = NULL;
  g_autofree char *label = NULL;
  const char *face_url = NULL;
  AtelierFaceidJob *job;

  if (!can_use_fal (self))
    return;

  atelier_faceid_form_clear_errors (self->form);
  input = atelier_faceid_form_build_input (self->form);
  node = json_node_init_object (json_node_alloc (), input);

  if (!atelier_fal_validate_face_id_input (node, &error))
    {
      if (atelier_faceid_form_show_errors (self->form, error, TRUE) == 0)
        atelier_widget_show_error (widget, error);
      return;
    }

  if (!atelier_faceid_faces_get_payload (self->faces, &face_url, &jpegs, &label))
    return;

  job = atelier_faceid_jobs_submit (self->jobs, input, face_url, jpegs, label, &error);
  if (job == NULL)
    {
      if (atelier_faceid_form_show_errors (self->form, error, TRUE) == 0)
        atelier_widget_show_error (widget, error);
      return;
    }

  set_last_job (self, job);
}

static void
create_tune_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  AtelierFaceidPage *self = ATELIER_FACEID_PAGE (widget);
  AtelierShell *shell = atelier_shell_find (widget);
  g_autoptr(GPtrArray) files = NULL;

  if (shell == NULL)
    return;

  files = atelier_faceid_faces_dup_files (self->faces);
  atelier_shell_open_tune_editor_for_faceid (shell, files);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  reload_tunes (ATELIER_FACEID_PAGE (widget));
}

/* }}} */
/* {{{ FaceID tunes */

static void
write_prompt_clicked_cb (GtkButton *button,
                         gpointer   user_data)
{
  AtelierTune *tune = g_object_get_data (G_OBJECT (button), "atelier-tune");
  AtelierShell *shell = atelier_shell_find (GTK_WIDGET (button));

  if (shell != NULL && tune != NULL)
    atelier_shell_open_prompt_editor (shell, NULL, tune, 0, NULL);
}

static void
show_tune_clicked_cb (AdwActionRow *row,
                      gpointer      user_data)
{
  AtelierTune *tune = g_object_get_data (G_OBJECT (row), "atelier-tune");
  AtelierShell *shell = atelier_shell_find (GTK_WIDGET (row));

  if (shell != NULL && tune != NULL)
    {
      atelier_shell_show_page (shell, "tunes");
      atelier_shell_show_tune_prompts (shell, atelier_tune_get_id (tune));
    }
}

static void
clear_tunes (AtelierFaceidPage *self)
{
  GtkListBoxRow *row;

  /* Row by row: the placeholder stays. */
  while ((row = gtk_list_box_get_row_at_index (self->tunes_list, 0)) != NULL)
    gtk_list_box_remove (self->tunes_list, GTK_WIDGET (row));
}

static void
tunes_fetched_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GPtrArray) tunes = atelier_widget_fetch_tune_choices_finish (user_data, result);
  AtelierFaceidPage *self;

  if (tunes == NULL && g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;

  self = ATELIER_FACEID_PAGE (user_data);
  self->loading_tunes = FALSE;
  if (tunes == NULL)
    return;

  clear_tunes (self);
  for (guint i = 0; i < tunes->len; i++)
    {
      AtelierTune *tune = g_ptr_array_index (tunes, i);
      GtkWidget *row, *button;
      g_autofree char *subtitle = NULL;
      g_autofree char *name = NULL;
      guint n_photos;

      if (g_strcmp0 (atelier_tune_get_model_type (tune), "faceid") != 0)
        continue;

      n_photos = g_strv_length ((GStrv) atelier_tune_get_orig_images (tune));
      row = atelier_text_row_new (atelier_tune_get_title (tune), NULL);
      if (n_photos > 0)
        /* Translators: a FaceID tune's id and its number of photos */
        subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Tune %" G_GINT64_FORMAT " · %u photo",
                                                 "Tune %" G_GINT64_FORMAT " · %u photos", n_photos),
                                    atelier_tune_get_id (tune), n_photos);
      else
        /* Translators: a FaceID tune's id */
        subtitle = g_strdup_printf (_("Tune %" G_GINT64_FORMAT), atelier_tune_get_id (tune));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      g_object_set_data_full (G_OBJECT (row), "atelier-tune", g_object_ref (tune), g_object_unref);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_signal_connect (row, "activated", G_CALLBACK (show_tune_clicked_cb), NULL);
      gtk_widget_set_tooltip_text (row, _("Show its prompts"));

      button = gtk_button_new_with_mnemonic (_("_Write a Prompt…"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      /* Translators: %s is a tune's title */
      name = g_strdup_printf (_("Write a prompt with %s"), atelier_tune_get_title (tune));
      gtk_widget_set_tooltip_text (button, name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      g_object_set_data_full (G_OBJECT (button), "atelier-tune", g_object_ref (tune), g_object_unref);
      g_signal_connect (button, "clicked", G_CALLBACK (write_prompt_clicked_cb), NULL);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

      gtk_list_box_append (self->tunes_list, row);
    }
}

static void
reload_tunes (AtelierFaceidPage *self)
{
  AtelierAstriaClient *client = get_astria_client (self);

  g_cancellable_cancel (self->tunes_cancellable);
  g_clear_object (&self->tunes_cancellable);
  self->tunes_client = client;

  if (client == NULL)
    {
      clear_tunes (self);
      self->loading_tunes = FALSE;
      return;
    }

  self->tunes_cancellable = g_cancellable_new ();
  self->loading_tunes = TRUE;
  atelier_tune_choices_fetch_async (client, 5, self->tunes_cancellable, tunes_fetched_cb, self);
}

static void
map_cb (AtelierFaceidPage *self)
{
  reload_tunes (self);
}

static void
astria_client_changed_cb (AtelierFaceidPage *self)
{
  if (get_astria_client (self) != self->tunes_client)
    {
      clear_tunes (self);
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        reload_tunes (self);
    }
  update (self);
}

/* }}} */
/* {{{ Public */

void
atelier_faceid_page_set_client (AtelierFaceidPage *self,
                                AtelierFalClient  *client)
{
  g_return_if_fail (ATELIER_IS_FACEID_PAGE (self));
  g_return_if_fail (client == NULL || ATELIER_IS_FAL_CLIENT (client));

  if (g_set_object (&self->client, client))
    {
      update (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
    }
}

void
atelier_faceid_page_set_session (AtelierFaceidPage *self,
                                 AtelierSession    *session)
{
  g_return_if_fail (ATELIER_IS_FACEID_PAGE (self));
  g_return_if_fail (session == NULL || ATELIER_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    g_signal_connect_object (session, "notify::astria-client", G_CALLBACK (astria_client_changed_cb),
                             self, G_CONNECT_SWAPPED);
  atelier_faceid_faces_set_session (self->faces, session);

  /* The rows show pictures from the session's library. */
  if (self->jobs != NULL)
    gtk_list_box_bind_model (self->jobs_list, G_LIST_MODEL (self->jobs), create_job_row, self, NULL);

  astria_client_changed_cb (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

void
atelier_faceid_page_set_jobs (AtelierFaceidPage *self,
                              AtelierFaceidJobs *jobs)
{
  g_return_if_fail (ATELIER_IS_FACEID_PAGE (self));
  g_return_if_fail (jobs == NULL || ATELIER_IS_FACEID_JOBS (jobs));

  if (!g_set_object (&self->jobs, jobs))
    return;

  set_last_job (self, NULL);
  gtk_list_box_bind_model (self->jobs_list, jobs != NULL ? G_LIST_MODEL (jobs) : NULL,
                           create_job_row, self, NULL);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOBS]);
}

AtelierFaceidJobs *
atelier_faceid_page_get_jobs (AtelierFaceidPage *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_PAGE (self), NULL);
  return self->jobs;
}

void
atelier_faceid_page_open (AtelierFaceidPage *self,
                          const char        *face_uri,
                          JsonNode          *settings)
{
  g_return_if_fail (ATELIER_IS_FACEID_PAGE (self));

  if (settings != NULL && JSON_NODE_HOLDS_OBJECT (settings))
    atelier_faceid_form_fill (self->form, json_node_get_object (settings));

  if (face_uri == NULL || *face_uri == '\0')
    return;

  if (g_str_has_prefix (face_uri, "https://") || g_str_has_prefix (face_uri, "http://"))
    atelier_faceid_faces_set_url (self->faces, face_uri);
  else
    {
      g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
      g_autofree char *scheme = g_uri_parse_scheme (face_uri);

      g_ptr_array_add (files, scheme != NULL ? g_file_new_for_uri (face_uri)
                                             : g_file_new_for_path (face_uri));
      atelier_faceid_faces_clear (self->faces);
      atelier_faceid_faces_add_files (self->faces, files);
    }
}

void
atelier_faceid_page_add_files (AtelierFaceidPage *self,
                               GPtrArray         *files)
{
  g_return_if_fail (ATELIER_IS_FACEID_PAGE (self));
  atelier_faceid_faces_add_files (self->faces, files);
}

AtelierFaceidFaces *
atelier_faceid_page_get_faces (AtelierFaceidPage *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_PAGE (self), NULL);
  return self->faces;
}

AtelierFaceidForm *
atelier_faceid_page_get_form (AtelierFaceidPage *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_PAGE (self), NULL);
  return self->form;
}

AtelierFaceidJobRow *
atelier_faceid_page_get_job_row (AtelierFaceidPage *self,
                                 AtelierFaceidJob  *job)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_PAGE (self), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->jobs_list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (ATELIER_IS_FACEID_JOB_ROW (child) &&
        atelier_faceid_job_row_get_job (ATELIER_FACEID_JOB_ROW (child)) == job)
      return ATELIER_FACEID_JOB_ROW (child);
  return NULL;
}

gboolean
atelier_faceid_page_get_loading_tunes (AtelierFaceidPage *self)
{
  g_return_val_if_fail (ATELIER_IS_FACEID_PAGE (self), FALSE);
  return self->loading_tunes;
}

/* }}} */
/* {{{ GObject */

static void
set_boolean (AtelierFaceidPage *self,
             gboolean          *field,
             gboolean           value,
             guint              prop_id)
{
  value = !!value;
  if (*field == value)
    return;
  *field = value;
  if (prop_id == PROP_SANDBOX)
    atelier_faceid_faces_set_sandbox (self->faces, value);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
atelier_faceid_page_dispose (GObject *object)
{
  AtelierFaceidPage *self = ATELIER_FACEID_PAGE (object);

  g_cancellable_cancel (self->tunes_cancellable);
  g_clear_object (&self->tunes_cancellable);
  if (self->jobs != NULL)
    gtk_list_box_bind_model (self->jobs_list, NULL, NULL, NULL, NULL);
  set_last_job (self, NULL);

  atelier_bin_dispose_template (ADW_BIN (self), ATELIER_TYPE_FACEID_PAGE);
  g_clear_object (&self->client);
  g_clear_object (&self->jobs);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (atelier_faceid_page_parent_class)->dispose (object);
}

static void
atelier_faceid_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  AtelierFaceidPage *self = ATELIER_FACEID_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_SANDBOX:
      g_value_set_boolean (value, self->sandbox);
      break;
    case PROP_HAS_KEY:
      g_value_set_boolean (value, self->has_key);
      break;
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_JOBS:
      g_value_set_object (value, self->jobs);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_faceid_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  AtelierFaceidPage *self = ATELIER_FACEID_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      atelier_faceid_page_set_client (self, g_value_get_object (value));
      break;
    case PROP_SANDBOX:
      set_boolean (self, &self->sandbox, g_value_get_boolean (value), prop_id);
      break;
    case PROP_HAS_KEY:
      set_boolean (self, &self->has_key, g_value_get_boolean (value), prop_id);
      break;
    case PROP_SESSION:
      atelier_faceid_page_set_session (self, g_value_get_object (value));
      break;
    case PROP_JOBS:
      atelier_faceid_page_set_jobs (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atelier_faceid_page_class_init (AtelierFaceidPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atelier_faceid_page_dispose;
  object_class->get_property = atelier_faceid_page_get_property;
  object_class->set_property = atelier_faceid_page_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         ATELIER_TYPE_FAL_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SANDBOX] =
    g_param_spec_boolean ("sandbox", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_KEY] =
    g_param_spec_boolean ("has-key", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         ATELIER_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_JOBS] =
    g_param_spec_object ("jobs", NULL, NULL,
                         ATELIER_TYPE_FACEID_JOBS,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ATELIER_TYPE_FACEID_FACES);
  g_type_ensure (ATELIER_TYPE_FACEID_FORM);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/atelier/Atelier/faceid/atelier-faceid-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidPage, add_key_button);
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidPage, fal_way_row);
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidPage, astria_way_row);
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidPage, faces);
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidPage, form);
  gtk_widget_class_bind_template_callback (widget_class, update);
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidPage, generate_button);
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidPage, generate_label);
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidPage, jobs_list);
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidPage, tunes_list);
  gtk_widget_class_bind_template_child (widget_class, AtelierFaceidPage, create_tune_button);

  gtk_widget_class_install_action (widget_class, "faceid.generate", NULL, generate_action);
  gtk_widget_class_install_action (widget_class, "faceid.create-tune", NULL, create_tune_action);
  gtk_widget_class_install_action (widget_class, "page.reload", NULL, reload_action);
}

static void
atelier_faceid_page_init (AtelierFaceidPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_list_box_set_placeholder (self->jobs_list,
                                make_placeholder (_("Nothing sent yet. Each request shows here as it waits in line, runs and finishes.")));
  gtk_list_box_set_placeholder (self->tunes_list,
                                make_placeholder (_("No FaceID tunes yet. Create one from the chosen photos: it is ready at once.")));

  g_signal_connect (self, "map", G_CALLBACK (map_cb), NULL);

  update (self);
}

/* }}} */
