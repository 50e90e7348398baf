/* atelier-sandbox-private.h: internals shared by the sandbox's files
 *
 * atelier-sandbox-request.c   decoding requests (forms, multipart, JSON) into
 *                             AtelierSandboxRequest and Rails-style params
 * atelier-sandbox-params.c    typed access to params, small JSON helpers
 * atelier-sandbox-store*.c    the data model, its persistence, its
 *                             validation and its JSON answers
 *                             (atelier-sandbox-store-private.h)
 * atelier-sandbox-render.c    placeholder JPEGs
 * atelier-sandbox-inspect.c   /images/inspect answers from pixel statistics
 * atelier-sandbox-server.c …  the GObject, its thread, calls, routes, faults
 *                             (atelier-sandbox-server-private.h)
 *
 * Everything in the store is protected by the server's lock; functions
 * taking an AtelierSandboxStore expect the caller to hold it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "atelier-json-private.h"
#include "atelier-sandbox-server.h"

G_BEGIN_DECLS

#define ATELIER_SANDBOX_PAGE_SIZE        20
#define ATELIER_SANDBOX_MAX_BODY         (64 * 1024 * 1024)
#define ATELIER_SANDBOX_DEFAULT_IMAGES   4
#define ATELIER_SANDBOX_EXPIRY_USEC      (G_GINT64_CONSTANT (30) * 24 * 3600 * G_USEC_PER_SEC)

/* Request decoding (atelier-sandbox-request.c) */

typedef enum
{
  ATELIER_SANDBOX_BODY_OK,
  ATELIER_SANDBOX_BODY_MALFORMED_JSON,
  ATELIER_SANDBOX_BODY_TOO_DEEP,
  ATELIER_SANDBOX_BODY_MALFORMED_FORM,
} AtelierSandboxBodyStatus;

/* A refused request as it may be kept: its method, path and query, not
 * its headers (the key it tried) nor its body, which is never read. */
AtelierSandboxRequest *_atelier_sandbox_request_new_refused      (SoupServerMessage        *msg);
/* With @lenient, a body that looks like JSON is JSON whatever its
 * Content-Type (curl -d sends JSON as a form). */
AtelierSandboxRequest *_atelier_sandbox_request_new_from_message (SoupServerMessage        *msg,
                                                                  gboolean                  lenient,
                                                                  AtelierSandboxBodyStatus *status);
/* For fuzz/fuzz-request.c only: a POST to "/" with @headers and @body,
 * decoded as _atelier_sandbox_request_new_from_message() decodes it. */
AtelierSandboxRequest *_atelier_sandbox_request_new_for_fuzzing  (SoupMessageHeaders       *headers,
                                                                  GBytes                   *body,
                                                                  gboolean                  lenient,
                                                                  AtelierSandboxBodyStatus *status);
/* For fuzz/fuzz-faces.c only: the submit's check of @input's faces
 * (atelier-sandbox-fal.c): NULL when they are fine, else fal's 422 answer. */
JsonObject            *_atelier_sandbox_fal_check_faces_for_fuzzing (JsonObject            *input,
                                                                     const char           **failure_field);
/* The bytes of body @self keeps (0 when it kept none), and a copy of it
 * without them: method, path, query, headers and the body's length. */
gsize                  _atelier_sandbox_request_get_kept_bytes   (AtelierSandboxRequest    *self);
AtelierSandboxRequest *_atelier_sandbox_request_dup_head         (AtelierSandboxRequest    *self);
/* The body as Rails would see it: JSON objects as they are, form fields
 * nested by their bracketed names ("a[b][]" …); file parts become
 * {"$file": index into the request's files}. Never NULL. */
JsonObject            *_atelier_sandbox_request_get_params       (AtelierSandboxRequest    *self);
/* The value of @name in the URL query, or NULL. */
const char            *_atelier_sandbox_request_get_query_value  (AtelierSandboxRequest    *self,
                                                                  const char               *name);
AtelierSandboxFile    *_atelier_sandbox_request_lookup_file      (AtelierSandboxRequest    *self,
                                                                  JsonNode                 *node);
/* Strict JSON only, checked by the service layer's _atelier_json_parse()
 * before json-glib sees it (json-glib 1.6 crashes on deep input, and takes
 * comments and single quotes that hide brackets from a count). */
JsonNode              *_atelier_sandbox_parse_json               (const char               *data,
                                                                  gsize                     length,
                                                                  AtelierSandboxBodyStatus *status);

/* Params (atelier-sandbox-params.c) */

/* Sets @name ("a[b][]" …) in @params as Rack nests it; takes @value. */
void                   _atelier_sandbox_params_add               (JsonObject               *params,
                                                                  const char               *name,
                                                                  JsonNode                 *value);
/* Typed access to params whatever their source: JSON values or form text. */
JsonNode              *_atelier_sandbox_params_get               (JsonObject               *params,
                                                                  const char               *name);
JsonObject            *_atelier_sandbox_params_get_object        (JsonObject               *params,
                                                                  const char               *name);
const char            *_atelier_sandbox_params_get_string        (JsonObject               *params,
                                                                  const char               *name);
/* @fallback when missing or not an integer */
gint64                 _atelier_sandbox_params_get_int           (JsonObject               *params,
                                                                  const char               *name,
                                                                  gint64                    fallback);
/* Arrays, and objects keyed "0", "1" … (Rails nested attributes), in order. */
GPtrArray             *_atelier_sandbox_params_dup_list          (JsonObject               *params,
                                                                  const char               *name);
gboolean               _atelier_sandbox_node_is_blank            (JsonNode                 *node);
char                  *_atelier_sandbox_node_dup_string          (JsonNode                 *node);
gboolean               _atelier_sandbox_node_get_int             (JsonNode                 *node,
                                                                  gint64                   *value);
gboolean               _atelier_sandbox_node_get_double          (JsonNode                 *node,
                                                                  double                   *value);
gboolean               _atelier_sandbox_node_get_bool            (JsonNode                 *node,
                                                                  gboolean                 *value);

/* Common small helpers */
/* @n_bytes from the system's cryptographic random source (getrandom(2)),
 * as 2 × @n_bytes lowercase hex digits. Aborts rather than fall back to a
 * weaker source. */
char                  *_atelier_sandbox_random_hex               (gsize                     n_bytes);
/* Whether two secrets (keys, tokens) are equal, in a time that does not
 * depend on where they differ. */
gboolean               _atelier_sandbox_secret_equal             (const char               *a,
                                                                  const char               *b);
char                  *_atelier_sandbox_format_time              (gint64                    usec);
void                   _atelier_sandbox_errors_add               (JsonObject               *errors,
                                                                  const char               *field,
                                                                  const char               *message);
/* json_node_copy() shares objects and arrays; this copies them. */
JsonObject            *_atelier_sandbox_object_deep_copy         (JsonObject               *object);

/* The store (atelier-sandbox-store*.c) */

typedef struct _AtelierSandboxStore AtelierSandboxStore;

typedef struct
{
  gint64      id;
  char       *title;
  char       *name;
  char       *token;
  char       *branch;
  char       *model_type;          /* nullable */
  char       *preset;              /* nullable */
  char       *callback;            /* nullable */
  gint64      base_tune_id;        /* 0: null */
  gint64      steps;               /* 0: null */
  int         face_crop;           /* -1: null */
  gboolean    training_face_correct;
  gboolean    auto_extend;
  JsonObject *characteristics;     /* nullable */
  GPtrArray  *images;              /* (element-type utf8) "upload:NAME" or a URL */
  gint64      created_at;
  gint64      ready_at;            /* trained from then on */
  gboolean    gallery;
} AtelierSandboxTune;

typedef struct
{
  gint64      id;
  gint64      tune_id;             /* for pack templates: the pack's base tune */
  gint64      orig_prompt_id;      /* 0: null */
  gint64      pack_id;             /* templates only */
  char       *text;
  JsonObject *params;              /* every creation parameter, typed */
  guint       num_images;
  gint64      created_at;
  gint64      started_at;
  gint64      ready_at;
  gboolean    liked;
  guint       likes;               /* pack templates: likes of their prompts */
} AtelierSandboxPrompt;

typedef struct
{
  gint64      id;
  gint64      base_tune_id;
  char       *slug;
  char       *title;
  char       *token;
  char       *model_type;          /* nullable */
  int         multiplier;
  gboolean    gallery;
  gint64      created_at;
  gint64      updated_at;
  gint64      public_at;           /* 0: null */
  JsonObject *cost_mc_hash;
  GPtrArray  *prompts;             /* (element-type AtelierSandboxPrompt) templates */
} AtelierSandboxPack;

typedef struct
{
  char       *id;
  JsonObject *input;
  gint64      created_at;
  gint64      cancelled_at;        /* 0: not cancelled */
  gint64      delay_usec;          /* the fal delay when it was submitted */
  gint64      seed;
  char       *failure;             /* (nullable) the error it completes with */
  char       *failure_field;       /* (nullable) the input member at fault */
} AtelierSandboxFalRequest;

typedef enum
{
  ATELIER_SANDBOX_FAL_IN_QUEUE,
  ATELIER_SANDBOX_FAL_IN_PROGRESS,
  ATELIER_SANDBOX_FAL_COMPLETED,
  ATELIER_SANDBOX_FAL_CANCELLED,
} AtelierSandboxFalState;

/* Everything the render thread needs for one image: copied out of the store
 * so that it can run without the lock. */
typedef struct
{
  char   *cache_path;
  char   *text;
  char   *caption;
  guint   seed;
  guint   width;
  guint   height;
} AtelierSandboxRenderJob;

AtelierSandboxStore   *_atelier_sandbox_store_new                (const char               *data_dir);
void                   _atelier_sandbox_store_free               (AtelierSandboxStore      *store);
const char            *_atelier_sandbox_store_get_data_dir       (AtelierSandboxStore      *store);
void                   _atelier_sandbox_store_set_delays         (AtelierSandboxStore      *store,
                                                                  guint                     training_delay_ms,
                                                                  guint                     prompt_delay_ms,
                                                                  guint                     fal_delay_ms,
                                                                  guint                     image_size);
/* Empties the store, then loads state.json (moving a corrupt one aside). */
void                   _atelier_sandbox_store_load               (AtelierSandboxStore      *store);
char                  *_atelier_sandbox_store_serialize          (AtelierSandboxStore      *store);
gboolean               _atelier_sandbox_store_write              (const char               *data_dir,
                                                                  const char               *contents,
                                                                  GError                  **error);

AtelierSandboxTune    *_atelier_sandbox_store_lookup_tune        (AtelierSandboxStore      *store,
                                                                  gint64                    id);
AtelierSandboxPrompt  *_atelier_sandbox_store_lookup_prompt      (AtelierSandboxStore      *store,
                                                                  gint64                    id);
AtelierSandboxPack    *_atelier_sandbox_store_lookup_pack        (AtelierSandboxStore      *store,
                                                                  const char               *id_or_slug);
/* The 32 hex digits in the path of every rendered image. */
const char               *_atelier_sandbox_store_get_image_token  (AtelierSandboxStore      *store);
AtelierSandboxFalRequest *_atelier_sandbox_store_lookup_fal      (AtelierSandboxStore      *store,
                                                                  const char               *id);
/* The tunes of @ids (element-type JsonNode), in order; at an unknown one
 * adds "tune_ids" to @errors and returns those before it. */
GPtrArray             *_atelier_sandbox_store_lookup_tunes       (AtelierSandboxStore      *store,
                                                                  GPtrArray                *ids,
                                                                  JsonObject               *errors);

/* JSON answers; @base_url is the server's current one. */
JsonNode              *_atelier_sandbox_store_tune_to_json       (AtelierSandboxStore      *store,
                                                                  AtelierSandboxTune       *tune,
                                                                  const char               *base_url,
                                                                  GPtrArray                *prompts);
JsonNode              *_atelier_sandbox_store_prompt_to_json     (AtelierSandboxStore      *store,
                                                                  AtelierSandboxPrompt     *prompt,
                                                                  const char               *base_url);
JsonNode              *_atelier_sandbox_store_list_tunes         (AtelierSandboxStore      *store,
                                                                  const char               *base_url,
                                                                  guint                     offset);
/* @tune_id 0: every prompt */
JsonNode              *_atelier_sandbox_store_list_prompts       (AtelierSandboxStore      *store,
                                                                  const char               *base_url,
                                                                  gint64                    tune_id,
                                                                  guint                     offset);
JsonNode              *_atelier_sandbox_store_list_packs         (AtelierSandboxStore      *store,
                                                                  gboolean                  gallery);
JsonNode              *_atelier_sandbox_store_list_pack_prompts  (AtelierSandboxStore      *store,
                                                                  AtelierSandboxPack       *pack,
                                                                  const char               *base_url);

/* Mutations: on validation failure they fill @errors (field → messages)
 * and return NULL. Uploaded files are saved under the data dir. */
AtelierSandboxTune    *_atelier_sandbox_store_create_tune        (AtelierSandboxStore      *store,
                                                                  AtelierSandboxRequest    *request,
                                                                  JsonObject               *tune_params,
                                                                  AtelierSandboxPack       *pack,
                                                                  JsonObject               *errors,
                                                                  gboolean                 *existed,
                                                                  GPtrArray               **prompts);
AtelierSandboxPrompt  *_atelier_sandbox_store_create_prompt      (AtelierSandboxStore      *store,
                                                                  AtelierSandboxRequest    *request,
                                                                  AtelierSandboxTune       *tune,
                                                                  JsonObject               *prompt_params,
                                                                  JsonObject               *errors);
/* Creates @pack's prompts on @tune; returns them (element-type AtelierSandboxPrompt). */
GPtrArray             *_atelier_sandbox_store_apply_pack         (AtelierSandboxStore      *store,
                                                                  AtelierSandboxPack       *pack,
                                                                  AtelierSandboxTune       *tune,
                                                                  const char               *callback);
gboolean               _atelier_sandbox_store_create_theme       (AtelierSandboxStore      *store,
                                                                  JsonObject               *theme_params,
                                                                  JsonObject               *errors);
void                   _atelier_sandbox_store_delete_tune        (AtelierSandboxStore      *store,
                                                                  AtelierSandboxTune       *tune);
void                   _atelier_sandbox_store_delete_prompt      (AtelierSandboxStore      *store,
                                                                  AtelierSandboxPrompt     *prompt);
void                   _atelier_sandbox_store_set_liked          (AtelierSandboxStore      *store,
                                                                  AtelierSandboxPrompt     *prompt,
                                                                  gboolean                  liked);
guint                  _atelier_sandbox_store_get_like_count     (AtelierSandboxStore      *store,
                                                                  gint64                    prompt_id);

/* One more pack, for tests: @costs as "class:milli-cents,…" ("" for
 * none), @n_prompts made-up prompt templates (atelier-sandbox-store-seeds.c). */
AtelierSandboxPack    *_atelier_sandbox_store_seed_pack          (AtelierSandboxStore      *store,
                                                                  const char               *title,
                                                                  gboolean                  gallery,
                                                                  const char               *costs,
                                                                  guint                     n_prompts);
AtelierSandboxTune    *_atelier_sandbox_store_seed_tune          (AtelierSandboxStore      *store,
                                                                  const char               *title,
                                                                  const char               *class_name,
                                                                  gboolean                  trained);
AtelierSandboxPrompt  *_atelier_sandbox_store_seed_prompt        (AtelierSandboxStore      *store,
                                                                  AtelierSandboxTune       *tune,
                                                                  const char               *text,
                                                                  guint                     n_images);

AtelierSandboxFalRequest *_atelier_sandbox_store_create_fal      (AtelierSandboxStore      *store,
                                                                  JsonObject               *input);
AtelierSandboxFalState _atelier_sandbox_store_get_fal_state      (AtelierSandboxStore      *store,
                                                                  AtelierSandboxFalRequest *request,
                                                                  guint                    *queue_position);
/* How far an IN_PROGRESS request is, 0 to 1 (1 once completed). */
double                 _atelier_sandbox_store_get_fal_progress   (AtelierSandboxStore      *store,
                                                                  AtelierSandboxFalRequest *request);
/* fal's result URLs are temporary: its image answers 404 this long after
 * the request completed (default 10 minutes, or
 * $ATELIER_SANDBOX_FAL_URL_TTL_MS when the store is made). */
void                   _atelier_sandbox_store_set_fal_url_ttl_ms (AtelierSandboxStore      *store,
                                                                  guint                     ttl_ms);

/* Images: the render job for an image of a prompt or of a fal request, or
 * NULL when there is none (yet). */
AtelierSandboxRenderJob *_atelier_sandbox_store_prompt_image_job (AtelierSandboxStore      *store,
                                                                  gint64                    prompt_id,
                                                                  guint                     index);
AtelierSandboxRenderJob *_atelier_sandbox_store_fal_image_job    (AtelierSandboxStore      *store,
                                                                  AtelierSandboxFalRequest *request);
/* The render job of a completed fal request's image, whether its URL has
 * expired or not (for the result's answer); NULL before completion. The
 * one above is NULL too once the URL has expired or when it failed. */
AtelierSandboxRenderJob *_atelier_sandbox_store_fal_render_job   (AtelierSandboxStore      *store,
                                                                  AtelierSandboxFalRequest *request);
/* Every image of every finished prompt. */
GPtrArray             *_atelier_sandbox_store_dup_all_image_jobs (AtelierSandboxStore      *store);
char                  *_atelier_sandbox_store_dup_upload_path    (AtelierSandboxStore      *store,
                                                                  const char               *name);

/* Rendering (atelier-sandbox-render.c) */
void                   _atelier_sandbox_render_job_free          (AtelierSandboxRenderJob  *job);
/* Reads the cached JPEG or renders and caches it. Thread-safe. */
GBytes                *_atelier_sandbox_render_job_run           (AtelierSandboxRenderJob  *job,
                                                                  GError                  **error);
GBytes                *_atelier_sandbox_render_placeholder       (const char               *text,
                                                                  const char               *caption,
                                                                  guint                     seed,
                                                                  guint                     width,
                                                                  guint                     height,
                                                                  GError                  **error);

/* Inspection (atelier-sandbox-inspect.c) */
JsonNode              *_atelier_sandbox_inspect_pixbuf           (GdkPixbuf                *pixbuf,
                                                                  const char               *class_name);
/* Decodes @bytes; NULL with @error when it is not an image. */
JsonNode              *_atelier_sandbox_inspect_bytes            (GBytes                   *bytes,
                                                                  const char               *class_name,
                                                                  GError                  **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtelierSandboxRenderJob, _atelier_sandbox_render_job_free)

G_END_DECLS
