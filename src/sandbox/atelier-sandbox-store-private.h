/* atelier-sandbox-store-private.h: the store's internals, shared by its files
 *
 * atelier-sandbox-store.c           the model: entities, ids, lookups,
 *                                   deletion, likes, seeding, fal's queue,
 *                                   image jobs
 * atelier-sandbox-store-seeds.c     built-in data: gallery tunes and packs
 * atelier-sandbox-store-state.c     persistence: state.json and uploads
 * atelier-sandbox-store-validate.c  creation: parameters checked and typed
 * atelier-sandbox-store-json.c      answers in the documentation's shapes
 *
 * The rest of the sandbox uses the store through atelier-sandbox-private.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atelier-sandbox-private.h"

G_BEGIN_DECLS

#define ATELIER_SANDBOX_FAIL_MARKER   "[fail]"
#define ATELIER_SANDBOX_FAIL_MESSAGE  "Sandbox: generation failed (the prompt asked for it)"

struct _AtelierSandboxStore
{
  char       *data_dir;
  guint       training_delay_ms;
  guint       prompt_delay_ms;
  guint       fal_delay_ms;
  guint       fal_url_ttl_ms;  /* fal result image URLs expire after this */
  guint       image_size;

  gint64      next_tune_id;
  gint64      next_prompt_id;
  gint64      next_upload_id;
  /* 128 random bits in the path of every rendered image (prompts' and
   * fal's), which are served without a key; kept in state.json so the
   * addresses stay valid across restarts. */
  char       *image_token;

  GPtrArray  *gallery_tunes;   /* (element-type AtelierSandboxTune) built in */
  GPtrArray  *tunes;           /* user tunes, oldest first */
  GHashTable *tunes_by_id;     /* gint64* → tune, user and gallery */
  GPtrArray  *prompts;         /* oldest first */
  GHashTable *prompts_by_id;
  GPtrArray  *packs;
  GHashTable *templates_by_id; /* pack prompt templates */
  GPtrArray  *fal_requests;
  GHashTable *fal_by_id;
};

/* Entities (atelier-sandbox-store.c) */

AtelierSandboxTune   *_atelier_sandbox_tune_new               (void);
void                  _atelier_sandbox_tune_free              (gpointer                  tune);
AtelierSandboxPrompt *_atelier_sandbox_prompt_new             (void);
void                  _atelier_sandbox_prompt_free            (gpointer                  prompt);
AtelierSandboxPack   *_atelier_sandbox_pack_new               (void);
void                  _atelier_sandbox_pack_free              (gpointer                  pack);
AtelierSandboxFalRequest *_atelier_sandbox_fal_request_new    (void);
void                  _atelier_sandbox_fal_request_free       (gpointer                  request);

/* Done: its images exist (templates never are). */
gboolean              _atelier_sandbox_prompt_is_done         (AtelierSandboxPrompt     *prompt,
                                                               gint64                    now);
/* Failed on purpose: its text asks for it. */
gboolean              _atelier_sandbox_prompt_is_failed       (AtelierSandboxPrompt     *prompt);

/* Empties the store but for the gallery tunes. */
void                  _atelier_sandbox_store_clear            (AtelierSandboxStore      *store);
void                  _atelier_sandbox_store_add_tune         (AtelierSandboxStore      *store,
                                                               AtelierSandboxTune       *tune);
void                  _atelier_sandbox_store_add_prompt       (AtelierSandboxStore      *store,
                                                               AtelierSandboxPrompt     *prompt);
void                  _atelier_sandbox_store_add_pack         (AtelierSandboxStore      *store,
                                                               AtelierSandboxPack       *pack);
void                  _atelier_sandbox_store_add_fal_request  (AtelierSandboxStore      *store,
                                                               AtelierSandboxFalRequest *request);
/* A new prompt on @tune, started when the tune is trained; takes a
 * reference on @params. */
AtelierSandboxPrompt *_atelier_sandbox_store_new_prompt       (AtelierSandboxStore      *store,
                                                               AtelierSandboxTune       *tune,
                                                               const char               *text,
                                                               JsonObject               *params,
                                                               gint64                    now);

/* Built-in data (atelier-sandbox-store-seeds.c) */

/* (element-type AtelierSandboxTune) the gallery's base models */
GPtrArray            *_atelier_sandbox_dup_gallery_tunes      (void);
/* Adds the packs a new sandbox starts with. */
void                  _atelier_sandbox_store_seed_packs       (AtelierSandboxStore      *store);

/* Uploads (atelier-sandbox-store-state.c) */

/* Saves an uploaded file under the data dir; returns "upload:NAME". */
char                 *_atelier_sandbox_store_save_upload      (AtelierSandboxStore      *store,
                                                               AtelierSandboxFile       *file);
/* Removes the file of an "upload:NAME" reference; ignores anything else. */
void                  _atelier_sandbox_store_remove_upload    (AtelierSandboxStore      *store,
                                                               const char               *reference);

/* Parameters (atelier-sandbox-store-validate.c) */

typedef enum
{
  ATELIER_SANDBOX_PARAM_STRING,
  ATELIER_SANDBOX_PARAM_INT,
  ATELIER_SANDBOX_PARAM_DOUBLE,
  ATELIER_SANDBOX_PARAM_BOOL,
  ATELIER_SANDBOX_PARAM_IMAGE,
} AtelierSandboxParamType;

typedef struct
{
  const char              *name;
  AtelierSandboxParamType  type;
  double                   min;
  double                   max;
  const char * const      *choices;
  gboolean                 multiple_of_8;
} AtelierSandboxParamSpec;

/* Every prompt parameter of the documentation, in the order answered. */
extern const AtelierSandboxParamSpec _atelier_sandbox_prompt_specs[];
extern const guint                   _atelier_sandbox_n_prompt_specs;

/* JSON members (atelier-sandbox-store-json.c) */

/* Sets @name to @value, or to null when @value is NULL. */
void                  _atelier_sandbox_json_set_string        (JsonObject               *object,
                                                               const char               *name,
                                                               const char               *value);
void                  _atelier_sandbox_json_set_object        (JsonObject               *object,
                                                               const char               *name,
                                                               JsonObject               *value);

G_END_DECLS
