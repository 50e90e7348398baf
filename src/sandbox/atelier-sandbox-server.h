/* atelier-sandbox-server.h: an Astria- and fal-compatible server
 *
 * The app's sandbox mode runs it in-process; the tests talk to it; the
 * atelier-sandbox-server executable serves it for trying by hand.
 *
 * The server runs on a thread of its own with its own GMainContext, so its
 * disk writes and image rendering never stall the caller's main loop, and
 * blocking helpers below may be called from any thread (they take a lock).
 * It listens on 127.0.0.1 only, keeps its state under its data dir
 * (state.json and rendered images), trains branch=fast tunes at once and
 * others after :training-delay-ms, finishes prompts after :prompt-delay-ms
 * with placeholder JPEGs it renders itself (different per image, showing the
 * prompt text), answers /images/inspect deterministically from the pixels,
 * and serves fal's queue API under /fal-ai/ip-adapter-face-id.
 *
 * Routes (both spellings where NOTES.md lists two):
 *   GET/POST /tunes, GET/DELETE /tunes/:id
 *   GET/POST /tunes/:id/prompts, GET/DELETE /tunes/:id/prompts/:pid
 *   GET /prompts, DELETE /prompts/:id
 *   POST|DELETE /prompts/:id/likes (and /like)
 *   GET /packs, GET /gallery/packs, GET /packs/:id/prompts,
 *   POST /p/:id_or_slug/tunes
 *   POST /images/inspect, POST /themes
 *   POST /fal-ai/ip-adapter-face-id,
 *   GET  /fal-ai/ip-adapter-face-id/requests/:rid/status,
 *   GET  /fal-ai/ip-adapter-face-id/requests/:rid,
 *   PUT  /fal-ai/ip-adapter-face-id/requests/:rid/cancel
 *   GET  /sandbox/images/... (rendered images; fal's expire, see
 *        atelier_sandbox_server_set_fal_url_ttl_ms())
 *   POST/DELETE /__sandbox/faults (JSON form of AtelierSandboxFault; only
 *        with :test-controls, else 404)
 *
 * It is a security boundary: anything on the machine can reach its port,
 * web pages in the user's browser included. Before a request's body is
 * read into memory or decoded, the server checks, in this order:
 *   - Host names this server: 127.0.0.1:PORT or localhost:PORT, else 421
 *     (DNS rebinding gives a foreign name);
 *   - there is no Origin header (browsers send one on cross-origin fetches
 *     and POSTs; the app's libsoup client never does), else 403;
 *   - /__sandbox/… exists only with :test-controls, else 404;
 *   - the key ("Authorization: Bearer KEY", fal's "Key KEY"), else 401 —
 *     everything but /sandbox/images/…, which image caches fetch without
 *     one: their paths are unguessable instead (uploads are named by 128
 *     random bits).
 * A refused request's body is discarded unread; nothing of it is logged,
 * and the request log keeps only its method, path and query.
 *
 * fal: the status answers "logs" only for ?logs=1 (lines appear while in
 * progress, all of them at COMPLETED); the queue position counts the
 * requests queued ahead. A data: face must decode (else 422 naming the
 * member); a flat-colour face completes with the error "No face was found
 * in the image." and a prompt containing "sandbox:fail" with "The model
 * failed while generating." (their results answer 422 {"detail": …}).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Gallery base models that always exist (prompts may be created on them). */
#define ATELIER_SANDBOX_FLUX_TUNE_ID  1504944
#define ATELIER_SANDBOX_RV51_TUNE_ID  690204
#define ATELIER_SANDBOX_SDXL_TUNE_ID  666678

typedef enum
{
  ATELIER_SANDBOX_FAULT_STATUS,          /* answer @status with @body (or a JSON error) */
  ATELIER_SANDBOX_FAULT_DELAY,           /* handle normally after @delay_ms */
  ATELIER_SANDBOX_FAULT_TRUNCATED_JSON,  /* 200 with the real body cut in half */
  ATELIER_SANDBOX_FAULT_INVALID_JSON,    /* 200 with a body that is not JSON */
  ATELIER_SANDBOX_FAULT_DEEP_JSON,       /* 200 with JSON nested 100,000 deep */
  ATELIER_SANDBOX_FAULT_DROP,            /* close the connection without answering */
  ATELIER_SANDBOX_FAULT_HANG,            /* never answer (until stopped) */
  ATELIER_SANDBOX_FAULT_CREATE_THEN_504, /* handle normally, then answer 504 */
  ATELIER_SANDBOX_FAULT_CREATE_THEN_DROP, /* handle normally (the tune is made), then close
                                          * the connection instead of answering */
  ATELIER_SANDBOX_FAULT_HUGE_BODY,       /* @status (200) with a 200 MB JSON body, streamed
                                          * in chunks, its Content-Length given */
  ATELIER_SANDBOX_FAULT_ENDLESS_BODY,    /* @status (200), chunked, a JSON array that never
                                          * ends (until the client goes away) */
  ATELIER_SANDBOX_FAULT_WRONG_CONTENT_TYPE, /* handle normally, the answer labelled text/html */
  ATELIER_SANDBOX_FAULT_EMPTY_BODY,      /* handle normally, then answer @status (200) with
                                          * no body */
  ATELIER_SANDBOX_FAULT_HTML_ERROR,      /* @status (502) with a proxy's HTML error page */
  ATELIER_SANDBOX_FAULT_REDIRECT,        /* @status (302) to @body, or, without one, to the
                                          * same path on http://127.0.0.2:PORT */
  ATELIER_SANDBOX_FAULT_RESET_MID_BODY,  /* handle normally, send the headers and half the
                                          * body, then close the connection */
  ATELIER_SANDBOX_FAULT_QUOTED_DEEP_JSON,   /* 200 with ['"', then 100,000 deep: a single-
                                             * quoted quote hides the depth from a naive count */
  ATELIER_SANDBOX_FAULT_COMMENTED_DEEP_JSON, /* 200 with a comment holding a quote, then
                                              * 100,000 deep */
} AtelierSandboxFaultKind;

typedef struct
{
  const char              *method;         /* NULL: any */
  const char              *path;           /* prefix of the path; NULL: any */
  AtelierSandboxFaultKind  kind;
  guint                    status;         /* for STATUS */
  const char              *body;           /* for STATUS; NULL: {"error": "..."};
                                            * for REDIRECT, the Location */
  guint                    retry_after_s;  /* adds Retry-After when non-zero */
  guint                    delay_ms;       /* for DELAY (applies before STATUS too) */
  guint                    times;          /* how many requests it hits; 0: all */
} AtelierSandboxFault;

/* A request as the server received and decoded it. */
typedef struct _AtelierSandboxRequest AtelierSandboxRequest;

typedef struct
{
  char   *name;          /* form name, e.g. "tune[images][]" */
  char   *filename;
  char   *content_type;
  GBytes *data;
} AtelierSandboxFile;

#define ATELIER_TYPE_SANDBOX_REQUEST (atelier_sandbox_request_get_type ())
GType                     atelier_sandbox_request_get_type         (void) G_GNUC_CONST;
AtelierSandboxRequest    *atelier_sandbox_request_ref              (AtelierSandboxRequest *self);
void                      atelier_sandbox_request_unref            (AtelierSandboxRequest *self);
const char               *atelier_sandbox_request_get_method       (AtelierSandboxRequest *self);
const char               *atelier_sandbox_request_get_path         (AtelierSandboxRequest *self);
const char               *atelier_sandbox_request_get_query        (AtelierSandboxRequest *self); /* nullable */
const char               *atelier_sandbox_request_get_header       (AtelierSandboxRequest *self,
                                                                    const char            *name);
/* The first value of a text form field (multipart or urlencoded), or NULL. */
const char               *atelier_sandbox_request_get_field        (AtelierSandboxRequest *self,
                                                                    const char            *name);
/* Every value of that field, in order; never NULL. */
GStrv                     atelier_sandbox_request_dup_field_values (AtelierSandboxRequest *self,
                                                                    const char            *name);
/* Every text field name, in the order received (with repeats). */
GStrv                     atelier_sandbox_request_dup_field_names  (AtelierSandboxRequest *self);
/* File parts (element-type AtelierSandboxFile), in order. */
GPtrArray                *atelier_sandbox_request_get_files        (AtelierSandboxRequest *self);
guint                     atelier_sandbox_request_count_files      (AtelierSandboxRequest *self,
                                                                    const char            *name);
/* The parsed JSON body, or NULL. */
JsonNode                 *atelier_sandbox_request_get_json         (AtelierSandboxRequest *self);
gsize                     atelier_sandbox_request_get_body_length  (AtelierSandboxRequest *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtelierSandboxRequest, atelier_sandbox_request_unref)

#define ATELIER_TYPE_SANDBOX_SERVER (atelier_sandbox_server_get_type ())
G_DECLARE_FINAL_TYPE (AtelierSandboxServer, atelier_sandbox_server, ATELIER, SANDBOX_SERVER, GObject)

/* @data_dir is created when missing. */
AtelierSandboxServer *atelier_sandbox_server_new            (const char            *data_dir);

/* Properties, set before start (thread-safe afterwards too):
 *   api-key            NULL: any non-empty "Bearer …"/"Key …" is accepted
 *                      (tests only); else only this key, 401 otherwise
 *   test-controls      FALSE (default): /__sandbox/… answers 404; TRUE: the
 *                      HTTP test controls answer, behind the key like the
 *                      API (the tests and the standalone tool turn them on;
 *                      the app's sandbox never does). The C helpers below
 *                      work either way.
 *   training-delay-ms  non-fast tunes train this long (default 60000)
 *   prompt-delay-ms    prompts finish this long after creation, or after
 *                      their tune is trained (default 2000)
 *   fal-delay-ms       fal requests complete this long after submit (default 2000)
 *   image-size         placeholder image side in px (default 1024) */
void                  atelier_sandbox_server_set_api_key           (AtelierSandboxServer *self,
                                                                    const char           *api_key);
void                  atelier_sandbox_server_set_test_controls     (AtelierSandboxServer *self,
                                                                    gboolean              enabled);
gboolean              atelier_sandbox_server_get_test_controls     (AtelierSandboxServer *self);
void                  atelier_sandbox_server_set_training_delay_ms (AtelierSandboxServer *self,
                                                                    guint                 delay_ms);
void                  atelier_sandbox_server_set_prompt_delay_ms   (AtelierSandboxServer *self,
                                                                    guint                 delay_ms);
void                  atelier_sandbox_server_set_fal_delay_ms      (AtelierSandboxServer *self,
                                                                    guint                 delay_ms);
void                  atelier_sandbox_server_set_image_size        (AtelierSandboxServer *self,
                                                                    guint                 size);
/* fal result image URLs (/sandbox/images/fal/…) answer 404 this long after
 * the request completed, like fal's temporary URLs. Default 10 minutes,
 * or $ATELIER_SANDBOX_FAL_URL_TTL_MS read when the server is made. */
void                  atelier_sandbox_server_set_fal_url_ttl_ms    (AtelierSandboxServer *self,
                                                                    guint                 ttl_ms);

/* Loads the state, starts the server thread and listens on 127.0.0.1:@port
 * (0 for a random port). The sync form blocks until listening. */
gboolean              atelier_sandbox_server_start          (AtelierSandboxServer  *self,
                                                             guint                  port,
                                                             GError               **error);
void                  atelier_sandbox_server_start_async    (AtelierSandboxServer  *self,
                                                             guint                  port,
                                                             GCancellable          *cancellable,
                                                             GAsyncReadyCallback    callback,
                                                             gpointer               user_data);
gboolean              atelier_sandbox_server_start_finish   (AtelierSandboxServer  *self,
                                                             GAsyncResult          *result,
                                                             GError               **error);
/* Stops listening, saves the state and joins the thread. Also on dispose. */
void                  atelier_sandbox_server_stop           (AtelierSandboxServer  *self);
guint                 atelier_sandbox_server_get_port       (AtelierSandboxServer  *self);
/* "http://127.0.0.1:PORT" */
char                 *atelier_sandbox_server_dup_base_url   (AtelierSandboxServer  *self);
const char           *atelier_sandbox_server_get_data_dir   (AtelierSandboxServer  *self);

/* A fresh key for a sandbox: "sandbox-" and 128 bits from the system's
 * cryptographic random source, in hex. */
char                 *atelier_sandbox_generate_key          (void);

/* Faults hit matching requests in the order added. Over HTTP at most
 * ATELIER_SANDBOX_MAX_FAULTS are kept (more: 422). */
#define ATELIER_SANDBOX_MAX_FAULTS 256
void                  atelier_sandbox_server_add_fault      (AtelierSandboxServer       *self,
                                                             const AtelierSandboxFault  *fault);
void                  atelier_sandbox_server_clear_faults   (AtelierSandboxServer       *self);

/* Requests received (not those to /sandbox/images or /__sandbox), the
 * newest 1000. Those refused (401, 403, 421) have no headers, fields,
 * files nor body. The bodies (fields, files, JSON) are kept up to a
 * budget of bytes, 64 MiB unless set, the newest request's always: an
 * older request over it keeps its method, path, query, headers and body
 * length only, so counting stays exact while uploads do not pile up in
 * memory (the app's own sandbox runs for hours). */
GPtrArray            *atelier_sandbox_server_dup_requests   (AtelierSandboxServer  *self); /* (element-type AtelierSandboxRequest) */
/* The newest request with @method (NULL any) whose path starts with @path. */
AtelierSandboxRequest *atelier_sandbox_server_dup_last_request (AtelierSandboxServer *self,
                                                                const char           *method,
                                                                const char           *path);
guint                 atelier_sandbox_server_count_requests (AtelierSandboxServer  *self,
                                                             const char            *method,
                                                             const char            *path);
/* Image downloads served (/sandbox/images), for cache tests and benchmarks. */
guint                 atelier_sandbox_server_count_image_downloads (AtelierSandboxServer *self);
void                  atelier_sandbox_server_clear_requests (AtelierSandboxServer  *self);
void                  atelier_sandbox_server_set_request_log_budget (AtelierSandboxServer *self,
                                                                     gsize                 bytes);

/* Seeding for tests and benchmarks: a tune (trained or training), and
 * finished prompts with images. Return the new ids. */
gint64                atelier_sandbox_server_seed_tune      (AtelierSandboxServer  *self,
                                                             const char            *title,
                                                             const char            *class_name,
                                                             gboolean               trained);
/* A pack of the user's (or, with @gallery, of the gallery) with @costs
 * as "class:milli-cents,…" ("" for no prices) and @n_prompts prompts. */
gint64                atelier_sandbox_server_seed_pack      (AtelierSandboxServer  *self,
                                                             const char            *title,
                                                             gboolean               gallery,
                                                             const char            *costs,
                                                             guint                  n_prompts);
/* The path of image @index of @prompt_id ("/sandbox/images/TOKEN/ID/N.jpg"),
 * as the prompt's "images" give it. */
char                 *atelier_sandbox_server_dup_image_path (AtelierSandboxServer  *self,
                                                             gint64                 prompt_id,
                                                             guint                  index);
gint64                atelier_sandbox_server_seed_prompt    (AtelierSandboxServer  *self,
                                                             gint64                 tune_id,
                                                             const char            *text,
                                                             guint                  n_images);
/* @n_prompts finished prompts of @n_images each on @tune_id, in one go. */
void                  atelier_sandbox_server_seed_prompts   (AtelierSandboxServer  *self,
                                                             gint64                 tune_id,
                                                             guint                  n_prompts,
                                                             guint                  n_images);
/* Removes a prompt as the service does after 30 days. */
void                  atelier_sandbox_server_expire_prompt  (AtelierSandboxServer  *self,
                                                             gint64                 prompt_id);
/* Likes recorded for a prompt. */
guint                 atelier_sandbox_server_get_like_count (AtelierSandboxServer  *self,
                                                             gint64                 prompt_id);
/* Pre-renders every image of every prompt (benchmarks), using the cores. */
void                  atelier_sandbox_server_render_all     (AtelierSandboxServer  *self);

G_END_DECLS
