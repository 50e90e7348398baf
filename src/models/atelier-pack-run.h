/* atelier-pack-run.h: one test run of a pack or a theme on test tunes
 *
 * Running a pack on existing tunes (POST /p/:id/tunes with tune_ids) or a
 * theme (POST /themes) creates prompts on each tune in the background;
 * the service keeps no record of the run itself. A run remembers what was
 * sent (the pack or theme, the tunes, when), so that its prompts can be
 * found on those tunes again and shown as a matrix, after a restart too
 * (AtelierPackRuns keeps them on disk, one JSON file each).
 *
 * A run file that cannot be read (cut off, not JSON, nested too deep,
 * wrong members) gives an unreadable run: listed with its problem, never
 * opened.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "atelier-pack.h"
#include "atelier-tune.h"

G_BEGIN_DECLS

typedef enum
{
  ATELIER_PACK_RUN_PACK,
  ATELIER_PACK_RUN_THEME,
} AtelierPackRunKind;

#define ATELIER_TYPE_PACK_RUN (atelier_pack_run_get_type ())
G_DECLARE_FINAL_TYPE (AtelierPackRun, atelier_pack_run, ATELIER, PACK_RUN, GObject)

/* A pack run: @pack on @tunes (element-type AtelierTune), sent at
 * @started_at. */
AtelierPackRun     *atelier_pack_run_new_for_pack    (AtelierPack    *pack,
                                                      GPtrArray      *tunes,
                                                      GDateTime      *started_at);
/* A theme run: @theme on @tunes, ten prompts each. */
AtelierPackRun     *atelier_pack_run_new_for_theme   (const char     *theme,
                                                      GPtrArray      *tunes,
                                                      GDateTime      *started_at);
/* A run file that could not be read: @id is its name, @error why. */
AtelierPackRun     *atelier_pack_run_new_unreadable  (const char     *id,
                                                      const GError   *error);
AtelierPackRun     *atelier_pack_run_new_from_json   (JsonNode       *node,
                                                      GError        **error);
JsonNode           *atelier_pack_run_to_json         (AtelierPackRun *self);

/* Unique, usable as a file name: "pack-260-1765084800123456". */
const char         *atelier_pack_run_get_id          (AtelierPackRun *self);
gboolean            atelier_pack_run_is_readable     (AtelierPackRun *self);
/* Why the run could not be read; NULL when it could. */
const char         *atelier_pack_run_get_problem     (AtelierPackRun *self);
AtelierPackRunKind  atelier_pack_run_get_kind        (AtelierPackRun *self);
/* The pack's id (0 for a theme). */
gint64              atelier_pack_run_get_pack_id     (AtelierPackRun *self);
/* The pack's title, or the theme's text. */
const char         *atelier_pack_run_get_title       (AtelierPackRun *self);
GDateTime          *atelier_pack_run_get_started_at  (AtelierPackRun *self);
guint               atelier_pack_run_get_n_tunes     (AtelierPackRun *self);
gint64              atelier_pack_run_get_tune_id     (AtelierPackRun *self,
                                                      guint           index);
const char         *atelier_pack_run_get_tune_title  (AtelierPackRun *self,
                                                      guint           index);
/* The tune's token ("ohwx") and class name ("woman"), NULL when unknown:
 * a prompt's text names them, and rows compare texts without them. */
const char         *atelier_pack_run_get_tune_token  (AtelierPackRun *self,
                                                      guint           index);
const char         *atelier_pack_run_get_tune_class  (AtelierPackRun *self,
                                                      guint           index);
/* The position of @tune_id among the run's tunes, or -1. */
int                 atelier_pack_run_find_tune       (AtelierPackRun *self,
                                                      gint64          tune_id);

G_END_DECLS
