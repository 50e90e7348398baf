/* atelier-sandbox-server-private.h: the server's internals, shared by its files
 *
 * atelier-sandbox-server.c         the GObject: settings, thread, saving, and
 *                                  handing each message to a call
 * atelier-sandbox-call.c           one request: access, routing and answers
 * atelier-sandbox-astria-routes.c  Astria's API: tunes, prompts, packs, themes
 * atelier-sandbox-fal.c            fal's queue API
 * atelier-sandbox-images.c         /sandbox/images/ and work off the thread
 * atelier-sandbox-faults.c         faults: kept, matched and applied
 * atelier-sandbox-controls.c       /__sandbox/faults, seeding and the request log
 *
 * All of it runs on the server thread except where a function says it
 * takes the lock: self->lock protects the store, the faults, the request
 * log and the settings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "atelier-sandbox-private.h"

G_BEGIN_DECLS

#define ATELIER_SANDBOX_JSON_TYPE  "application/json; charset=utf-8"

typedef enum
{
  ATELIER_SANDBOX_SERVER_STOPPED,
  ATELIER_SANDBOX_SERVER_STARTING,
  ATELIER_SANDBOX_SERVER_RUNNING,
  ATELIER_SANDBOX_SERVER_FAILED,
} AtelierSandboxServerState;

struct _AtelierSandboxServer
{
  GObject                    parent_instance;

  char                      *data_dir;

  GMutex                     lock;
  GCond                      cond;
  /* Protected by lock */
  char                      *api_key;
  gboolean                   test_controls;
  guint                      training_delay_ms;
  guint                      prompt_delay_ms;
  guint                      fal_delay_ms;
  guint                      image_size;
  AtelierSandboxStore       *store;
  GPtrArray                 *faults;          /* (element-type AtelierSandboxFaultEntry) */
  GPtrArray                 *requests;        /* (element-type AtelierSandboxRequest) */
  gsize                      logged_bytes;    /* of the bodies the log keeps */
  gsize                      log_budget;
  guint                      image_downloads;
  guint                      port;
  AtelierSandboxServerState  state;
  GError                    *start_error;
  gboolean                   dirty;
  gboolean                   save_scheduled;

  /* Serializes state writes so that the newest state lands last. */
  GMutex                     save_lock;

  /* Owned by the thread calling start() and stop() */
  GThread                   *thread;
  GMainContext              *context;
  GMainLoop                 *loop;
  guint                      requested_port;
  GTask                     *start_task;      /* (lock) */

  /* Server thread only */
  SoupServer                *soup;
  GList                     *paused_calls;
  guint                      n_async;
};

/* Called with the lock held after every mutation: the server thread writes
 * the state soon. Returns TRUE when nobody will, because the server is not
 * running (atelier-sandbox-server.c). */
gboolean               _atelier_sandbox_server_mark_dirty_locked (AtelierSandboxServer     *self);
/* Ends a mutation from a public helper: saves at once when the server
 * thread will not. Takes the locker. */
void                   _atelier_sandbox_server_finish_mutation   (AtelierSandboxServer     *self,
                                                                  GMutexLocker             *locker);

/* Faults (atelier-sandbox-faults.c) */

typedef struct _AtelierSandboxFaultEntry AtelierSandboxFaultEntry;

void                   _atelier_sandbox_fault_entry_free         (gpointer                  entry);

/* Calls (atelier-sandbox-call.c) */

typedef struct
{
  AtelierSandboxServer     *self;
  SoupServerMessage        *msg;
  AtelierSandboxRequest    *request;
  AtelierSandboxBodyStatus  body_status;
  char                     *base_url;
  AtelierSandboxFaultEntry *fault;
  GSource                  *source;
  gulong                    disconnected_id;
  gboolean                  in_handler;
  gboolean                  replied;
  gboolean                  paused;
  gboolean                  gone;
  gboolean                  working;    /* a worker thread holds it */
} AtelierSandboxCall;

AtelierSandboxCall    *_atelier_sandbox_call_new                 (AtelierSandboxServer     *self,
                                                                  SoupServerMessage        *msg);
void                   _atelier_sandbox_call_free                (AtelierSandboxCall       *call);
/* Keeps the message waiting for an answer set later (or never). */
void                   _atelier_sandbox_call_pause               (AtelierSandboxCall       *call);

/* {"error": @message} */
GBytes                *_atelier_sandbox_error_body               (const char               *message);

/* Sets the answer, after the call's answer fault if any; a paused call is
 * resumed and freed. Takes @body. */
void                   _atelier_sandbox_call_reply_full          (AtelierSandboxCall       *call,
                                                                  guint                     status,
                                                                  const char               *content_type,
                                                                  GBytes                   *body,
                                                                  const char               *cache_control);
/* Takes @node. */
void                   _atelier_sandbox_call_reply_json          (AtelierSandboxCall       *call,
                                                                  guint                     status,
                                                                  JsonNode                 *node);
void                   _atelier_sandbox_call_reply_object        (AtelierSandboxCall       *call,
                                                                  guint                     status,
                                                                  JsonObject               *object);
void                   _atelier_sandbox_call_reply_error         (AtelierSandboxCall       *call,
                                                                  guint                     status,
                                                                  const char               *message);
void                   _atelier_sandbox_call_reply_empty         (AtelierSandboxCall       *call,
                                                                  guint                     status);
/* {@key: @message} */
void                   _atelier_sandbox_call_reply_message       (AtelierSandboxCall       *call,
                                                                  const char               *key,
                                                                  const char               *message,
                                                                  guint                     status);
void                   _atelier_sandbox_call_reply_not_found     (AtelierSandboxCall       *call);
void                   _atelier_sandbox_call_reply_not_allowed   (AtelierSandboxCall       *call,
                                                                  const char               *allowed);
/* Rails-style field errors: 422 {"field": ["message", …]} */
void                   _atelier_sandbox_call_reply_errors        (AtelierSandboxCall       *call,
                                                                  JsonObject               *errors);
void                   _atelier_sandbox_call_reply_field_error   (AtelierSandboxCall       *call,
                                                                  const char               *field,
                                                                  const char               *message);

/* The ?offset= of list routes (0 when absent or invalid). */
guint                  _atelier_sandbox_call_get_offset          (AtelierSandboxCall       *call);
/* The object param @name, or NULL after answering 400 as Rails does. */
JsonObject            *_atelier_sandbox_call_require_object      (AtelierSandboxCall       *call,
                                                                  const char               *name);
/* FALSE after answering 400 when the body could not be decoded. */
gboolean               _atelier_sandbox_call_check_body          (AtelierSandboxCall       *call);
gboolean               _atelier_sandbox_parse_id                 (const char               *text,
                                                                  gint64                   *id);

/* Access, decided from the request line and headers alone, before the
 * body is read (atelier-sandbox-call.c): Host, Origin, test controls and
 * the key, in that order. */
typedef struct
{
  guint       status;       /* 0: let through */
  const char *message;      /* the JSON error, when refused */
  const char *challenge;    /* WWW-Authenticate, for 401 */
} AtelierSandboxVerdict;

/* Takes the lock. */
void                   _atelier_sandbox_check_access             (AtelierSandboxServer     *self,
                                                                  SoupServerMessage        *msg,
                                                                  AtelierSandboxVerdict    *verdict);
/* Answers a refused call. */
void                   _atelier_sandbox_call_refuse              (AtelierSandboxCall       *call,
                                                                  const AtelierSandboxVerdict *verdict);

/* Routes: the call's path against the Astria and fal route tables. Takes
 * the lock around the route's lookup and handler. The key was checked by
 * _atelier_sandbox_check_access(). */
void                   _atelier_sandbox_call_route               (AtelierSandboxCall       *call);

typedef enum
{
  ATELIER_SANDBOX_AUTH_BEARER,   /* Astria: "Authorization: Bearer KEY" */
  ATELIER_SANDBOX_AUTH_KEY,      /* fal: "Authorization: Key KEY" */
} AtelierSandboxAuth;

/* Finds what the route's ":id"s name; NULL after answering 404. */
typedef gpointer (*AtelierSandboxLookupFunc) (AtelierSandboxCall  *call,
                                              char               **args);
/* @target is what the lookup found (NULL without one); @flag is the
 * route's, for handlers that serve two routes. */
typedef void     (*AtelierSandboxRouteFunc)  (AtelierSandboxCall  *call,
                                              gpointer             target,
                                              gboolean             flag);

typedef struct
{
  const char               *method;
  const char               *pattern;    /* "/tunes/:id/prompts" */
  AtelierSandboxAuth        auth;
  AtelierSandboxLookupFunc  lookup;     /* nullable */
  AtelierSandboxRouteFunc   func;
  gboolean                  flag;
} AtelierSandboxRoute;

/* (atelier-sandbox-astria-routes.c, atelier-sandbox-fal.c) */
const AtelierSandboxRoute *_atelier_sandbox_get_astria_routes    (guint                    *n_routes);
const AtelierSandboxRoute *_atelier_sandbox_get_fal_routes       (guint                    *n_routes);

/* Images and background work (atelier-sandbox-images.c) */

typedef enum
{
  ATELIER_SANDBOX_WORK_SERVE_IMAGE,
  ATELIER_SANDBOX_WORK_INSPECT,
  ATELIER_SANDBOX_WORK_FAL_RESULT,
} AtelierSandboxWorkKind;

typedef struct
{
  AtelierSandboxCall      *call;
  AtelierSandboxWorkKind   kind;
  char                    *file_path;     /* an upload to read, or NULL */
  AtelierSandboxRenderJob *job;           /* an image to render (or read cached) */
  GBytes                  *bytes;         /* given bytes (inspect uploads) */
  char                    *class_name;    /* INSPECT */
  JsonObject              *fal_result;    /* FAL_RESULT, completed with the size */
  const char              *content_type;
} AtelierSandboxWork;

void                   _atelier_sandbox_work_free                (AtelierSandboxWork       *work);
/* Takes @work; the call is answered when it is done. */
void                   _atelier_sandbox_call_run_work            (AtelierSandboxCall       *call,
                                                                  AtelierSandboxWork       *work);
/* GET /sandbox/images/… */
void                   _atelier_sandbox_call_serve_image         (AtelierSandboxCall       *call);
/* Fills @work from an image URL of this very server; with the lock held. */
gboolean               _atelier_sandbox_lookup_own_image_url     (AtelierSandboxCall       *call,
                                                                  const char               *url,
                                                                  AtelierSandboxWork       *work);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtelierSandboxWork, _atelier_sandbox_work_free)

/* Faults (atelier-sandbox-faults.c) */

/* Handles an API call: applies the first matching fault (after its delay),
 * then routes the call unless the fault answers in its place. */
void                   _atelier_sandbox_call_dispatch            (AtelierSandboxCall       *call);
/* Post-processing faults change a normal answer. Returns TRUE when the
 * answer is dropped instead (CREATE_THEN_DROP): the fault then closes the
 * connection and frees the call, and the caller must not answer. */
gboolean               _atelier_sandbox_call_apply_answer_fault  (AtelierSandboxCall       *call,
                                                                  guint                    *status,
                                                                  GBytes                  **body,
                                                                  const char              **content_type);

/* Controls (atelier-sandbox-controls.c) */

/* /__sandbox/… */
void                   _atelier_sandbox_call_control             (AtelierSandboxCall       *call);
/* Takes the lock. */
void                   _atelier_sandbox_server_log_request       (AtelierSandboxServer     *self,
                                                                  AtelierSandboxRequest    *request);

G_END_DECLS
