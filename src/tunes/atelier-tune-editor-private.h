/* atelier-tune-editor-private.h: AtelierTuneEditor's internals, shared by its files
 *
 * atelier-tune-editor.c         the class itself: the GObject, class_init
 *                               and the template, the public API, the
 *                               actions, the form's signal handlers
 * atelier-tune-editor-form.c    the form: reading it (into params), the
 *                               model-dependent fields, saving it to the
 *                               draft, filling it from the draft, field errors
 * atelier-tune-editor-pack.c    pack mode: the pack and price rows, the
 *                               classes a pack offers, the price confirmed
 * atelier-tune-editor-upload.c  the status line and the upload: the photos
 *                               asked about, progress, success and failure
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atelier-characteristics-group.h"
#include "atelier-first-prompts-group.h"
#include "atelier-tune-editor.h"
#include "atelier-tune-setup.h"
#include "atelier-tune-upload.h"

G_BEGIN_DECLS

struct _AtelierTuneEditor
{
  AdwBin                       parent_instance;

  /* template */
  GtkWidget                   *scrolled_window;
  GtkLabel                    *page_title;
  AdwPreferencesGroup         *pack_group;
  AdwActionRow                *pack_row;
  AdwActionRow                *price_row;
  GtkLabel                    *price_label;
  GtkWidget                   *training_group;
  AtelierPicker               *picker;
  GtkWidget                   *photos_group;
  AdwEntryRow                 *title_row;
  AdwComboRow                 *class_row;
  AdwEntryRow                 *custom_class_row;
  AdwPreferencesGroup         *model_group;
  AdwComboRow                 *model_row;
  AdwComboRow                 *branch_row;
  AdwComboRow                 *base_row;
  AdwEntryRow                 *base_id_row;
  AdwComboRow                 *preset_row;
  AdwEntryRow                 *token_row;
  GtkWidget                   *steps_row;
  GtkSpinButton               *steps_spin;
  AdwComboRow                 *face_crop_row;
  GtkWidget                   *face_correct_row;
  GtkSwitch                   *face_correct_switch;
  GtkSwitch                   *auto_extend_switch;
  AtelierCharacteristicsGroup *characteristics_group;
  AtelierFirstPromptsGroup    *prompts_group;
  GtkRevealer                 *error_revealer;
  GtkLabel                    *error_label;
  GtkStack                    *bottom_stack;
  GtkLabel                    *status_label;
  GtkLabel                    *progress_label;
  GtkProgressBar              *progress_bar;
  GtkWidget                   *cancel_button;

  AtelierAstriaClient         *client;
  AtelierDraft                *draft;
  AtelierPack                 *pack;          /* (nullable) pack mode */
  GStrv                        pack_classes;  /* what the class row offers in pack mode; NULL: every class */
  GListModel                  *class_model;   /* the class row's own list */
  gboolean                     filling;       /* widgets being set from the draft */
  guint                        class_timeout_id;

  GPtrArray                   *error_widgets; /* widgets marked with a field error */

  /* the upload */
  AtelierTuneUpload           *upload;        /* (nullable) the one running */
  GCancellable                *cancellable;
  gboolean                     busy;
  gboolean                     leave_out_warned;   /* the last upload's choice */
  gboolean                     confirm_leave_out;  /* the choice waiting for the price's confirmation */
};

/* What a paid upload would send: readable photos, those with warnings
 * (local or from the inspection) and those showing another subject. */
typedef struct
{
  guint usable;
  guint warned;
  guint other_class;
} PhotoCounts;

/* The class (atelier-tune-editor.c) */

/* Shows the progress or the status, and notifies "busy". */
void      _atelier_tune_editor_set_busy                (AtelierTuneEditor *self,
                                                        gboolean           busy);
void      _atelier_tune_editor_emit_created            (AtelierTuneEditor *self,
                                                        AtelierTune       *tune);

/* The form (atelier-tune-editor-form.c) */

/* The row's text without surrounding white space. */
char     *_atelier_tune_editor_dup_entry_text          (AdwEntryRow       *row);
/* The class as the API spells it, or NULL. */
char     *_atelier_tune_editor_dup_class_name          (AtelierTuneEditor *self);
void      _atelier_tune_editor_update_model_fields     (AtelierTuneEditor *self);
void      _atelier_tune_editor_couple_choices          (AtelierTuneEditor *self,
                                                        AtelierTuneChoice  changed);
void      _atelier_tune_editor_save_settings           (AtelierTuneEditor *self);
void      _atelier_tune_editor_save_characteristics    (AtelierTuneEditor *self);
void      _atelier_tune_editor_save_photos             (AtelierTuneEditor *self);
void      _atelier_tune_editor_clear_field_errors      (AtelierTuneEditor *self);
gboolean  _atelier_tune_editor_show_field_errors       (AtelierTuneEditor *self,
                                                        const GError      *error);
/* The photos are inspected for the chosen class. */
void      _atelier_tune_editor_apply_class_name        (AtelierTuneEditor *self);
void      _atelier_tune_editor_fill_from_draft         (AtelierTuneEditor *self);

/* Pack mode (atelier-tune-editor-pack.c) */

void      _atelier_tune_editor_update_pack_fields      (AtelierTuneEditor *self);
void      _atelier_tune_editor_select_class            (AtelierTuneEditor *self,
                                                        const char        *class_name,
                                                        gboolean           custom);
void      _atelier_tune_editor_take_pack_from_draft    (AtelierTuneEditor *self);
void      _atelier_tune_editor_confirm_then_upload     (AtelierTuneEditor *self,
                                                        gboolean           leave_out_warned);

/* Status and the upload (atelier-tune-editor-upload.c) */

void      _atelier_tune_editor_update_status           (AtelierTuneEditor *self);
void      _atelier_tune_editor_count_photos            (AtelierPhotoList  *list,
                                                        PhotoCounts       *counts);
/* Whether @n photos is what Astria asks for. */
gboolean  _atelier_tune_editor_count_in_range          (guint              n);
void      _atelier_tune_editor_start_upload            (AtelierTuneEditor *self,
                                                        gboolean           leave_out_warned);
void      _atelier_tune_editor_ask_upload_choice       (AtelierTuneEditor *self,
                                                        const PhotoCounts *counts);

G_END_DECLS
