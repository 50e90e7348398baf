/* atelier-astria-client.c: the Astria client, one class
 *
 * AtelierAstriaClient and nothing else: how each endpoint of the API is
 * asked (tunes, prompts, packs, likes, inspection, themes) as a Call —
 * method, URL, body, how its answer is read — sent through atelier-http.c,
 * which owns the error policy, retries and the JSON guard. The length is
 * the number of endpoints, each a short _async/_finish pair; multipart
 * bodies are built by atelier-form.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "atelier-astria-client.h"
#include "atelier-form.h"
#include "atelier-http-private.h"
#include "atelier-json-private.h"
#include "atelier-task-private.h"

/* Bodies larger than this are parsed in a worker thread. */
#define PARSE_IN_THREAD_BYTES (64 * 1024)
/* find_tune_by_title gives up after this many pages. */
#define MAX_TITLE_PAGES 100

struct _AtelierAstriaClient
{
  GObject              parent_instance;

  AtelierHttpEndpoint  endpoint;
};

G_DEFINE_FINAL_TYPE (AtelierAstriaClient, atelier_astria_client, G_TYPE_OBJECT)

enum {
  RETRY_SCHEDULED,
  REQUEST_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef gpointer (*ParseFunc) (JsonNode  *root,
                               GError   **error);

/* One call: how to build its message and how to read its answer. */
typedef struct
{
  AtelierAstriaClient *client;        /* (owned) */
  char                *method;
  char                *uri;
  char                *content_type;  /* (nullable) */
  GBytes              *body;          /* (nullable) */
  GPtrArray           *form;          /* (nullable) (element-type AtelierFormField) */
  ParseFunc            parse;         /* (nullable): no body expected */
  GDestroyNotify       result_free;
  AtelierProgressFunc  progress;
  gpointer             progress_data;
  char                *tune_title;    /* (nullable) a tune create: 504 looks it up */
  GError              *invalid;       /* (nullable) refused before sending */
  gboolean             listed;        /* the answer was a JSON array */
  guint                n_listed;      /* its length, parsed or skipped */
} Call;

static void
call_free (Call *call)
{
  g_clear_object (&call->client);
  g_free (call->method);
  g_free (call->uri);
  g_free (call->content_type);
  g_clear_pointer (&call->body, g_bytes_unref);
  g_clear_pointer (&call->form, g_ptr_array_unref);
  g_free (call->tune_title);
  g_clear_error (&call->invalid);
  g_free (call);
}

gboolean
atelier_host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

gboolean
atelier_check_base_url (const char  *url,
                        GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (url == NULL || *url == '\0')
    {
      g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INSECURE_URL,
                   _("No server address was given."));
      return FALSE;
    }

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INSECURE_URL,
                   _("“%s” is not a valid server address."), url);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;

  if (g_ascii_strcasecmp (scheme, "http") == 0)
    {
      if (atelier_host_is_loopback (host))
        return TRUE;

      g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INSECURE_URL,
                   _("Plain http:// is only allowed for this computer (loopback); use https:// for “%s”."),
                   host);
      return FALSE;
    }

  g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INSECURE_URL,
               _("“%s” is not an http or https address."), url);
  return FALSE;
}

static void
atelier_astria_client_finalize (GObject *object)
{
  _atelier_endpoint_clear (&ATELIER_ASTRIA_CLIENT (object)->endpoint);

  G_OBJECT_CLASS (atelier_astria_client_parent_class)->finalize (object);
}

static void
atelier_astria_client_class_init (AtelierAstriaClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = atelier_astria_client_finalize;

  signals[RETRY_SCHEDULED] = _atelier_retry_signal_new (G_TYPE_FROM_CLASS (klass));

  signals[REQUEST_FINISHED] =
    g_signal_new ("request-finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
atelier_astria_client_init (AtelierAstriaClient *self)
{
  static const AtelierHttpPolicy policy = {
    .server_retry_base_ms = 30000, .max_server_retries = 4,
    .rate_limit_base_ms = 5000, .max_rate_limit_retries = 5,
  };

  _atelier_endpoint_init (&self->endpoint, "Bearer", G_OBJECT (self), &policy);
  self->endpoint.base_url = _atelier_base_url_normalize (ATELIER_DEFAULT_ASTRIA_URL);
}

AtelierAstriaClient *
atelier_astria_client_new (const char  *base_url,
                           const char  *api_key,
                           GError     **error)
{
  g_autofree char *url = _atelier_base_url_resolve (base_url, "ATELIER_ASTRIA_URL",
                                                    ATELIER_DEFAULT_ASTRIA_URL, error);
  AtelierAstriaClient *self;

  if (url == NULL)
    return NULL;

  self = g_object_new (ATELIER_TYPE_ASTRIA_CLIENT, NULL);
  g_free (self->endpoint.base_url);
  self->endpoint.base_url = g_steal_pointer (&url);
  atelier_astria_client_set_api_key (self, api_key);

  return self;
}

const char *
atelier_astria_client_get_base_url (AtelierAstriaClient *self)
{
  g_return_val_if_fail (ATELIER_IS_ASTRIA_CLIENT (self), NULL);

  return self->endpoint.base_url;
}

void
atelier_astria_client_set_api_key (AtelierAstriaClient *self,
                                   const char          *api_key)
{
  g_return_if_fail (ATELIER_IS_ASTRIA_CLIENT (self));

  _atelier_endpoint_set_key (&self->endpoint, api_key);
}

gboolean
atelier_astria_client_has_api_key (AtelierAstriaClient *self)
{
  g_return_val_if_fail (ATELIER_IS_ASTRIA_CLIENT (self), FALSE);

  return _atelier_endpoint_has_key (&self->endpoint);
}

guint
atelier_astria_client_get_retry_base_delay_ms (AtelierAstriaClient *self)
{
  g_return_val_if_fail (ATELIER_IS_ASTRIA_CLIENT (self), 0);

  return self->endpoint.policy.server_retry_base_ms;
}

/* The first wait after a 5xx answer; each further try waits twice as
 * long. The overview page asks for 30 seconds; tests shorten it. */
void
atelier_astria_client_set_retry_base_delay_ms (AtelierAstriaClient *self,
                                               guint                delay_ms)
{
  g_return_if_fail (ATELIER_IS_ASTRIA_CLIENT (self));

  if (self->endpoint.policy.server_retry_base_ms == delay_ms)
    return;

  self->endpoint.policy.server_retry_base_ms = delay_ms;
  /* Rate-limit waits scale with it, so tests can shorten both. */
  self->endpoint.policy.rate_limit_base_ms = MAX (delay_ms / 6, 1);
}

SoupSession *
atelier_astria_client_get_session (AtelierAstriaClient *self)
{
  g_return_val_if_fail (ATELIER_IS_ASTRIA_CLIENT (self), NULL);

  return self->endpoint.session;
}

char *
atelier_astria_client_build_url (AtelierAstriaClient *self,
                                 const char          *path)
{
  g_return_val_if_fail (ATELIER_IS_ASTRIA_CLIENT (self), NULL);
  g_return_val_if_fail (path != NULL && path[0] == '/', NULL);

  return g_strconcat (self->endpoint.base_url, path, NULL);
}

/* Sending */

static void
call_return_error (GTask  *task,
                   GError *error)
{
  AtelierAstriaClient *self = g_task_get_source_object (task);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_signal_emit (self, signals[REQUEST_FINISHED], 0, error);
  g_task_return_error (task, error);
}

static void
call_return_pointer (GTask          *task,
                     gpointer        result,
                     GDestroyNotify  result_free)
{
  AtelierAstriaClient *self = g_task_get_source_object (task);

  g_signal_emit (self, signals[REQUEST_FINISHED], 0, NULL);
  g_task_return_pointer (task, result, result_free);
}

/* Returns the parsed @value, or @error when it is NULL. Takes both. */
static void
call_return_parsed (GTask    *task,
                    gpointer  value,
                    GError   *error)
{
  Call *call = g_task_get_task_data (task);

  if (value == NULL)
    call_return_error (task, error);
  else
    call_return_pointer (task, value, call->result_free);
}

/* The body as the call's model: an object or an array of them. */
static gpointer
call_parse (Call    *call,
            GError **error)
{
  g_autoptr(JsonNode) root = _atelier_json_parse_bytes (call->body, error);

  if (root == NULL)
    return NULL;

  /* A list's elements as the service sent them: the parser skips the
   * unreadable ones, and paging must not count them out. */
  if (JSON_NODE_HOLDS_ARRAY (root))
    {
      call->listed = TRUE;
      call->n_listed = json_array_get_length (json_node_get_array (root));
    }

  return call->parse (root, error);
}

static void
parse_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Call *call = task_data;
  g_autoptr(GError) error = NULL;
  gpointer result = call_parse (call, &error);

  _atelier_task_return_pointer_or_error (task, result, call->result_free, g_steal_pointer (&error));
}

static void
parse_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  gpointer value = g_task_propagate_pointer (G_TASK (result), &error);

  call_return_parsed (task, value, g_steal_pointer (&error));
}

static void
find_after_504_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(AtelierTune) tune = NULL;
  g_autoptr(GError) error = NULL;

  tune = atelier_astria_client_find_tune_by_title_finish (ATELIER_ASTRIA_CLIENT (source),
                                                          result, &error);
  if (tune != NULL)
    {
      call_return_pointer (task, g_steal_pointer (&tune), g_object_unref);
      return;
    }

  if (error == NULL)
    error = g_error_new (ATELIER_API_ERROR, ATELIER_API_ERROR_GATEWAY_TIMEOUT,
                         _("The server took too long to answer and the tune is not there yet. "
                           "Wait a minute, then try again: the same title will not create a second tune."));
  call_return_error (task, g_steal_pointer (&error));
}

static void
call_sent_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = _atelier_http_send_finish (result, NULL, &error);
  if (body == NULL)
    {
      /* 504: the tune may have been created. Never send it again blindly:
       * look it up by its unique title. */
      if (call->tune_title != NULL &&
          g_error_matches (error, ATELIER_API_ERROR, ATELIER_API_ERROR_GATEWAY_TIMEOUT))
        {
          GCancellable *cancellable = g_task_get_cancellable (task);

          atelier_astria_client_find_tune_by_title_async (call->client, call->tune_title,
                                                          cancellable, find_after_504_cb,
                                                          g_steal_pointer (&task));
          return;
        }

      call_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (call->parse == NULL)
    {
      call_return_pointer (task, GINT_TO_POINTER (TRUE), NULL);
      return;
    }

  g_clear_pointer (&call->body, g_bytes_unref);
  call->body = g_steal_pointer (&body);

  if (g_bytes_get_size (call->body) > PARSE_IN_THREAD_BYTES)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);
      GTask *parse_task = g_task_new (NULL, cancellable, parse_done_cb, g_steal_pointer (&task));

      g_task_set_task_data (parse_task, call, NULL);
      g_task_run_in_thread (parse_task, parse_in_thread);
      g_object_unref (parse_task);
    }
  else
    {
      gpointer value = call_parse (call, &error);

      call_return_parsed (task, value, g_steal_pointer (&error));
    }
}

static void
call_send (GTask *task)
{
  Call *call = g_task_get_task_data (task);

  _atelier_http_send_async (&call->client->endpoint, call->method, call->uri,
                            call->content_type, call->body,
                            call->progress, call->progress_data,
                            g_task_get_cancellable (task),
                            call_sent_cb, task);
}

static void
build_form_in_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  Call *call = task_data;
  g_autoptr(SoupMultipart) multipart = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *body = NULL;
  const char *content_type;

  multipart = atelier_form_build_multipart (call->form, cancellable, &error);
  if (multipart == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_multipart_to_message (multipart, headers, &body);
  content_type = soup_message_headers_get_one (headers, "Content-Type");

  call->content_type = g_strdup (content_type);
  call->body = body;
  g_task_return_boolean (task, TRUE);
}

static void
form_built_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      call_return_error (task, g_steal_pointer (&error));
      return;
    }

  call_send (g_steal_pointer (&task));
}

/* Starts a call, or returns its invalid error without sending it. A form
 * body is encoded in a worker thread, since it reads the photos. Takes
 * @call. */
static void
call_start (AtelierAstriaClient *self,
            Call                *call,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task;

  call->client = g_object_ref (self);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);

  if (call->invalid != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&call->invalid));
      g_object_unref (task);
      return;
    }

  if (call->form != NULL)
    {
      GTask *form_task = g_task_new (NULL, cancellable, form_built_cb, task);

      g_task_set_task_data (form_task, call, NULL);
      g_task_run_in_thread (form_task, build_form_in_thread);
      g_object_unref (form_task);
      return;
    }

  call_send (task);
}

static Call *
call_new (AtelierAstriaClient *self,
          const char          *method,
          ParseFunc            parse,
          GDestroyNotify       result_free,
          const char          *path_format,
          ...) G_GNUC_PRINTF (5, 6);

static Call *
call_new (AtelierAstriaClient *self,
          const char          *method,
          ParseFunc            parse,
          GDestroyNotify       result_free,
          const char          *path_format,
          ...)
{
  Call *call = g_new0 (Call, 1);
  g_autofree char *path = NULL;
  va_list args;

  va_start (args, path_format);
  path = g_strdup_vprintf (path_format, args);
  va_end (args);

  call->method = g_strdup (method);
  call->uri = atelier_astria_client_build_url (self, path);
  call->parse = parse;
  call->result_free = result_free;

  return call;
}

/* Takes @node. */
static void
call_take_json (Call     *call,
                JsonNode *node)
{
  call->content_type = g_strdup ("application/json");
  call->body = _atelier_json_to_bytes (node);
  json_node_unref (node);
}

/* Takes @form (element-type AtelierFormField). */
static void
call_take_form (Call                *call,
                GPtrArray           *form,
                AtelierProgressFunc  progress,
                gpointer             progress_data)
{
  call->form = form;
  call->progress = progress;
  call->progress_data = progress_data;
}

static gpointer
call_finish (AtelierAstriaClient  *self,
             GAsyncResult         *result,
             gpointer              source_tag,
             GError              **error)
{
  g_return_val_if_fail (ATELIER_IS_ASTRIA_CLIENT (self), NULL);

  return _atelier_task_propagate_pointer (result, self, source_tag, error);
}

static gboolean
call_finish_boolean (AtelierAstriaClient  *self,
                     GAsyncResult         *result,
                     gpointer              source_tag,
                     GError              **error)
{
  return call_finish (self, result, source_tag, error) != NULL;
}

#define PARSE(func) ((ParseFunc) (func))
#define ARRAY_FREE ((GDestroyNotify) g_ptr_array_unref)

/* Tunes */

/* Validates @params, else the call is invalid. */
static gboolean
call_check_params (Call          *call,
                   AtelierParams *params)
{
  return atelier_params_validate (params, &call->invalid);
}

/* For a tune create: a 504 looks the tune up by its title. */
static gboolean
call_check_tune_params (Call              *call,
                        AtelierTuneParams *params)
{
  call->tune_title = g_strdup (atelier_params_get_string (ATELIER_PARAMS (params), "title"));
  return call_check_params (call, ATELIER_PARAMS (params));
}

void
atelier_astria_client_create_tune_async (AtelierAstriaClient *self,
                                         AtelierTuneParams   *params,
                                         AtelierProgressFunc  progress,
                                         gpointer             progress_data,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  Call *call;

  g_return_if_fail (ATELIER_IS_ASTRIA_CLIENT (self));
  g_return_if_fail (ATELIER_IS_TUNE_PARAMS (params));

  call = call_new (self, "POST", PARSE (atelier_tune_new_from_json), g_object_unref, "/tunes");
  if (call_check_tune_params (call, params))
    call_take_form (call, atelier_tune_params_to_form (params), progress, progress_data);
  call_start (self, call, atelier_astria_client_create_tune_async, cancellable, callback, user_data);
}

AtelierTune *
atelier_astria_client_create_tune_finish (AtelierAstriaClient  *self,
                                          GAsyncResult         *result,
                                          GError              **error)
{
  return call_finish (self, result, atelier_astria_client_create_tune_async, error);
}

void
atelier_astria_client_get_tune_async (AtelierAstriaClient *self,
                                      gint64               tune_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (ATELIER_IS_ASTRIA_CLIENT (self));

  call_start (self,
              call_new (self, "GET", PARSE (atelier_tune_new_from_json), g_object_unref,
                        "/tunes/%" G_GINT64_FORMAT, tune_id),
              atelier_astria_client_get_tune_async, cancellable, callback, user_data);
}

AtelierTune *
atelier_astria_client_get_tune_finish (AtelierAstriaClient  *self,
                                       GAsyncResult         *result,
                                       GError              **error)
{
  return call_finish (self, result, atelier_astria_client_get_tune_async, error);
}

void
atelier_astria_client_list_tunes_async (AtelierAstriaClient *self,
                                        guint                offset,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (ATELIER_IS_ASTRIA_CLIENT (self));

  call_start (self,
              call_new (self, "GET", PARSE (atelier_tune_list_from_json), ARRAY_FREE,
                        "/tunes?offset=%u", offset),
              atelier_astria_client_list_tunes_async, cancellable, callback, user_data);
}

GPtrArray *
atelier_astria_client_list_tunes_finish (AtelierAstriaClient  *self,
                                         GAsyncResult         *result,
                                         GError              **error)
{
  return call_finish (self, result, atelier_astria_client_list_tunes_async, error);
}

gboolean
atelier_astria_client_get_page_length (AtelierAstriaClient *self,
                                       GAsyncResult        *result,
                                       guint               *length)
{
  Call *call;

  g_return_val_if_fail (ATELIER_IS_ASTRIA_CLIENT (self), FALSE);
  g_return_val_if_fail (length != NULL, FALSE);

  if (!G_IS_TASK (result) || !g_task_is_valid (result, self))
    return FALSE;
  if (g_task_get_source_tag (G_TASK (result)) != atelier_astria_client_list_tunes_async &&
      g_task_get_source_tag (G_TASK (result)) != atelier_astria_client_list_prompts_async &&
      g_task_get_source_tag (G_TASK (result)) != atelier_astria_client_list_packs_async)
    return FALSE;

  call = g_task_get_task_data (G_TASK (result));
  if (call == NULL || !call->listed)
    return FALSE;

  *length = call->n_listed;
  return TRUE;
}

typedef struct
{
  char  *title;
  guint  offset;
} FindData;

static void
find_data_free (FindData *data)
{
  g_free (data->title);
  g_free (data);
}

static void
find_page_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AtelierAstriaClient *self = ATELIER_ASTRIA_CLIENT (source);
  FindData *data = g_task_get_task_data (task);
  GCancellable *cancellable;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  guint n_listed;

  page = atelier_astria_client_list_tunes_finish (self, result, &error);
  if (page == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* A skipped element does not make the page short. */
  n_listed = page->len;
  atelier_astria_client_get_page_length (self, result, &n_listed);

  for (guint i = 0; i < page->len; i++)
    {
      AtelierTune *tune = g_ptr_array_index (page, i);

      if (g_strcmp0 (atelier_tune_get_title (tune), data->title) == 0)
        {
          g_task_return_pointer (task, g_object_ref (tune), g_object_unref);
          return;
        }
    }

  data->offset += ATELIER_PAGE_SIZE;
  if (n_listed < ATELIER_PAGE_SIZE || data->offset >= MAX_TITLE_PAGES * ATELIER_PAGE_SIZE)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  atelier_astria_client_list_tunes_async (self, data->offset, cancellable,
                                          find_page_cb, g_steal_pointer (&task));
}

void
atelier_astria_client_find_tune_by_title_async (AtelierAstriaClient *self,
                                                const char          *title,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  FindData *data;

  g_return_if_fail (ATELIER_IS_ASTRIA_CLIENT (self));
  g_return_if_fail (title != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, atelier_astria_client_find_tune_by_title_async);
  data = g_new0 (FindData, 1);
  data->title = g_strdup (title);
  g_task_set_task_data (task, data, (GDestroyNotify) find_data_free);

  atelier_astria_client_list_tunes_async (self, 0, cancellable, find_page_cb,
                                          g_steal_pointer (&task));
}

AtelierTune *
atelier_astria_client_find_tune_by_title_finish (AtelierAstriaClient  *self,
                                                 GAsyncResult         *result,
                                                 GError              **error)
{
  return call_finish (self, result, atelier_astria_client_find_tune_by_title_async, error);
}

void
atelier_astria_client_delete_tune_async (AtelierAstriaClient *self,
                                         gint64               tune_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_return_if_fail (ATELIER_IS_ASTRIA_CLIENT (self));

  call_start (self,
              call_new (self, "DELETE", NULL, NULL, "/tunes/%" G_GINT64_FORMAT, tune_id),
              atelier_astria_client_delete_tune_async, cancellable, callback, user_data);
}

gboolean
atelier_astria_client_delete_tune_finish (AtelierAstriaClient  *self,
                                          GAsyncResult         *result,
                                          GError              **error)
{
  return call_finish_boolean (self, result, atelier_astria_client_delete_tune_async, error);
}

/* Prompts */

void
atelier_astria_client_create_prompt_async (AtelierAstriaClient *self,
                                           gint64               tune_id,
                                           AtelierPromptParams *params,
                                           AtelierProgressFunc  progress,
                                           gpointer             progress_data,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  Call *call;

  g_return_if_fail (ATELIER_IS_ASTRIA_CLIENT (self));
  g_return_if_fail (ATELIER_IS_PROMPT_PARAMS (params));

  call = call_new (self, "POST", PARSE (atelier_prompt_new_from_json), g_object_unref,
                   "/tunes/%" G_GINT64_FORMAT "/prompts", tune_id);
  if (call_check_params (call, ATELIER_PARAMS (params)))
    call_take_form (call, atelier_params_to_form (ATELIER_PARAMS (params), "prompt"), progress, progress_data);
  call_start (self, call, atelier_astria_client_create_prompt_async, cancellable, callback, user_data);
}

AtelierPrompt *
atelier_astria_client_create_prompt_finish (AtelierAstriaClient  *self,
                                            GAsyncResult         *result,
                                            GError              **error)
{
  return call_finish (self, result, atelier_astria_client_create_prompt_async, error);
}

void
atelier_astria_client_get_prompt_async (AtelierAstriaClient *self,
                                        gint64               tune_id,
                                        gint64               prompt_id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (ATELIER_IS_ASTRIA_CLIENT (self));

  call_start (self,
              call_new (self, "GET", PARSE (atelier_prompt_new_from_json), g_object_unref,
                        "/tunes/%" G_GINT64_FORMAT "/prompts/%" G_GINT64_FORMAT,
                        tune_id, prompt_id),
              atelier_astria_client_get_prompt_async, cancellable, callback, user_data);
}

AtelierPrompt *
atelier_astria_client_get_prompt_finish (AtelierAstriaClient  *self,
                                         GAsyncResult         *result,
                                         GError              **error)
{
  return call_finish (self, result, atelier_astria_client_get_prompt_async, error);
}

void
atelier_astria_client_list_prompts_async (AtelierAstriaClient *self,
                                          gint64               tune_id,
                                          guint                offset,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  Call *call;

  g_return_if_fail (ATELIER_IS_ASTRIA_CLIENT (self));

  if (tune_id > 0)
    call = call_new (self, "GET", PARSE (atelier_prompt_list_from_json), ARRAY_FREE,
                     "/tunes/%" G_GINT64_FORMAT "/prompts?offset=%u", tune_id, offset);
  else
    call = call_new (self, "GET", PARSE (atelier_prompt_list_from_json), ARRAY_FREE,
                     "/prompts?offset=%u", offset);

  call_start (self, call, atelier_astria_client_list_prompts_async, cancellable, callback, user_data);
}

GPtrArray *
atelier_astria_client_list_prompts_finish (AtelierAstriaClient  *self,
                                           GAsyncResult         *result,
                                           GError              **error)
{
  return call_finish (self, result, atelier_astria_client_list_prompts_async, error);
}

void
atelier_astria_client_delete_prompt_async (AtelierAstriaClient *self,
                                           gint64               tune_id,
                                           gint64               prompt_id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_return_if_fail (ATELIER_IS_ASTRIA_CLIENT (self));

  /* The heading's form (NOTES.md). */
  call_start (self,
              call_new (self, "DELETE", NULL, NULL,
                        "/tunes/%" G_GINT64_FORMAT "/prompts/%" G_GINT64_FORMAT,
                        tune_id, prompt_id),
              atelier_astria_client_delete_prompt_async, cancellable, callback, user_data);
}

gboolean
atelier_astria_client_delete_prompt_finish (AtelierAstriaClient  *self,
                                            GAsyncResult         *result,
                                            GError              **error)
{
  return call_finish_boolean (self, result, atelier_astria_client_delete_prompt_async, error);
}

/* Packs */

void
atelier_astria_client_list_packs_async (AtelierAstriaClient *self,
                                        gboolean             gallery,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (ATELIER_IS_ASTRIA_CLIENT (self));

  call_start (self,
              call_new (self, "GET", PARSE (atelier_pack_list_from_json), ARRAY_FREE,
                        "%s", gallery ? "/gallery/packs" : "/packs"),
              atelier_astria_client_list_packs_async, cancellable, callback, user_data);
}

GPtrArray *
atelier_astria_client_list_packs_finish (AtelierAstriaClient  *self,
                                         GAsyncResult         *result,
                                         GError              **error)
{
  return call_finish (self, result, atelier_astria_client_list_packs_async, error);
}

void
atelier_astria_client_list_pack_prompts_async (AtelierAstriaClient *self,
                                               gint64               pack_id,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data)
{
  g_return_if_fail (ATELIER_IS_ASTRIA_CLIENT (self));

  call_start (self,
              call_new (self, "GET", PARSE (atelier_prompt_list_from_json), ARRAY_FREE,
                        "/packs/%" G_GINT64_FORMAT "/prompts", pack_id),
              atelier_astria_client_list_pack_prompts_async, cancellable, callback, user_data);
}

GPtrArray *
atelier_astria_client_list_pack_prompts_finish (AtelierAstriaClient  *self,
                                                GAsyncResult         *result,
                                                GError              **error)
{
  return call_finish (self, result, atelier_astria_client_list_pack_prompts_async, error);
}

void
atelier_astria_client_create_pack_tune_async (AtelierAstriaClient *self,
                                              gint64               pack_id,
                                              AtelierTuneParams   *params,
                                              AtelierProgressFunc  progress,
                                              gpointer             progress_data,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  Call *call;

  g_return_if_fail (ATELIER_IS_ASTRIA_CLIENT (self));
  g_return_if_fail (ATELIER_IS_TUNE_PARAMS (params));

  call = call_new (self, "POST", PARSE (atelier_tune_new_from_json), g_object_unref,
                   "/p/%" G_GINT64_FORMAT "/tunes", pack_id);
  if (call_check_tune_params (call, params))
    call_take_form (call, atelier_tune_params_to_pack_form (params), progress, progress_data);
  call_start (self, call, atelier_astria_client_create_pack_tune_async, cancellable, callback, user_data);
}

AtelierTune *
atelier_astria_client_create_pack_tune_finish (AtelierAstriaClient  *self,
                                               GAsyncResult         *result,
                                               GError              **error)
{
  return call_finish (self, result, atelier_astria_client_create_pack_tune_async, error);
}

/* The answer to a pack run on tune_ids is one tune or an array of them. */
static gpointer
parse_tunes_object_or_array (JsonNode  *root,
                             GError   **error)
{
  GPtrArray *tunes;
  AtelierTune *tune;

  if (JSON_NODE_HOLDS_ARRAY (root))
    return atelier_tune_list_from_json (root, error);

  tune = atelier_tune_new_from_json (root, error);
  if (tune == NULL)
    return NULL;

  tunes = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (tunes, tune);
  return tunes;
}

/* "@member": [@ids…] in the object @builder has open. */
static void
add_id_array (JsonBuilder  *builder,
              const char   *member,
              const gint64 *ids,
              guint         n_ids)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_ids; i++)
    json_builder_add_int_value (builder, ids[i]);
  json_builder_end_array (builder);
}

/* {"tune": {"tune_ids": [...]}} */
static JsonNode *
build_pack_run_body (const gint64 *tune_ids,
                     guint         n_tune_ids)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "tune");
  json_builder_begin_object (builder);
  add_id_array (builder, "tune_ids", tune_ids, n_tune_ids);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static gboolean
is_blank (const char *text)
{
  for (; text != NULL && *text != '\0'; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;

  return TRUE;
}

static gboolean
check_tune_ids (const gint64  *tune_ids,
                guint          n_tune_ids,
                GError       **error)
{
  if (n_tune_ids == 0 || tune_ids == NULL)
    {
      g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM,
                   "tune_ids: %s", _("Choose at least one tune."));
      return FALSE;
    }

  for (guint i = 0; i < n_tune_ids; i++)
    if (tune_ids[i] <= 0)
      {
        g_set_error (error, ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM,
                     "tune_ids: %s", _("A tune id must be a positive number."));
        return FALSE;
      }

  return TRUE;
}

void
atelier_astria_client_run_pack_async (AtelierAstriaClient *self,
                                      gint64               pack_id,
                                      const gint64        *tune_ids,
                                      guint                n_tune_ids,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  Call *call;

  g_return_if_fail (ATELIER_IS_ASTRIA_CLIENT (self));

  call = call_new (self, "POST", parse_tunes_object_or_array, ARRAY_FREE,
                   "/p/%" G_GINT64_FORMAT "/tunes", pack_id);
  if (check_tune_ids (tune_ids, n_tune_ids, &call->invalid))
    call_take_json (call, build_pack_run_body (tune_ids, n_tune_ids));
  call_start (self, call, atelier_astria_client_run_pack_async, cancellable, callback, user_data);
}

GPtrArray *
atelier_astria_client_run_pack_finish (AtelierAstriaClient  *self,
                                       GAsyncResult         *result,
                                       GError              **error)
{
  return call_finish (self, result, atelier_astria_client_run_pack_async, error);
}

/* Likes */

void
atelier_astria_client_like_prompt_async (AtelierAstriaClient *self,
                                         gint64               prompt_id,
                                         gboolean             like,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_return_if_fail (ATELIER_IS_ASTRIA_CLIENT (self));

  /* NOTES.md: POST /likes to like, DELETE /likes to unlike. */
  call_start (self,
              call_new (self, like ? "POST" : "DELETE", NULL, NULL,
                        "/prompts/%" G_GINT64_FORMAT "/likes", prompt_id),
              atelier_astria_client_like_prompt_async, cancellable, callback, user_data);
}

gboolean
atelier_astria_client_like_prompt_finish (AtelierAstriaClient  *self,
                                          GAsyncResult         *result,
                                          GError              **error)
{
  return call_finish_boolean (self, result, atelier_astria_client_like_prompt_async, error);
}

/* Inspection */

static GPtrArray *
build_inspect_form (const char *class_name,
                    GBytes     *image,
                    const char *filename,
                    const char *file_url)
{
  GPtrArray *form = g_ptr_array_new_with_free_func ((GDestroyNotify) atelier_form_field_free);

  g_ptr_array_add (form, atelier_form_field_new_text ("name", class_name));
  if (image != NULL)
    g_ptr_array_add (form, atelier_form_field_new_bytes ("file", image,
                                                         filename != NULL ? filename : "image.jpg",
                                                         "image/jpeg"));
  else
    g_ptr_array_add (form, atelier_form_field_new_text ("file_url", file_url));

  return form;
}

void
atelier_astria_client_inspect_image_async (AtelierAstriaClient *self,
                                           const char          *class_name,
                                           GBytes              *image,
                                           const char          *filename,
                                           const char          *file_url,
                                           AtelierProgressFunc  progress,
                                           gpointer             progress_data,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  Call *call;

  g_return_if_fail (ATELIER_IS_ASTRIA_CLIENT (self));
  g_return_if_fail (image != NULL || file_url != NULL);

  call = call_new (self, "POST", PARSE (atelier_inspection_new_from_json), g_object_unref,
                   "/images/inspect");
  if (class_name == NULL || *class_name == '\0')
    call->invalid = g_error_new (ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM,
                                 "name: %s", _("Choose a class name first."));
  else
    call_take_form (call, build_inspect_form (class_name, image, filename, file_url),
                    progress, progress_data);
  call_start (self, call, atelier_astria_client_inspect_image_async, cancellable, callback, user_data);
}

AtelierInspection *
atelier_astria_client_inspect_image_finish (AtelierAstriaClient  *self,
                                            GAsyncResult         *result,
                                            GError              **error)
{
  return call_finish (self, result, atelier_astria_client_inspect_image_async, error);
}

/* Themes */

static JsonNode *
build_theme_body (const char          *theme,
                  const gint64        *tune_ids,
                  guint                n_tune_ids,
                  AtelierPromptParams *prompt_attributes)
{
  static const char * const overridable[] = { "num_images", "w", "h" };
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "theme");
  json_builder_add_string_value (builder, theme);
  add_id_array (builder, "tune_ids", tune_ids, n_tune_ids);
  if (prompt_attributes != NULL)
    {
      AtelierParams *params = ATELIER_PARAMS (prompt_attributes);

      json_builder_set_member_name (builder, "prompt_attributes");
      json_builder_begin_object (builder);
      for (guint i = 0; i < G_N_ELEMENTS (overridable); i++)
        if (atelier_params_has (params, overridable[i]))
          {
            json_builder_set_member_name (builder, overridable[i]);
            json_builder_add_int_value (builder, atelier_params_get_int (params, overridable[i]));
          }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

void
atelier_astria_client_create_theme_async (AtelierAstriaClient *self,
                                          const char          *theme,
                                          const gint64        *tune_ids,
                                          guint                n_tune_ids,
                                          AtelierPromptParams *prompt_attributes,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  Call *call;

  g_return_if_fail (ATELIER_IS_ASTRIA_CLIENT (self));

  call = call_new (self, "POST", NULL, NULL, "/themes");
  if (is_blank (theme))
    call->invalid = g_error_new (ATELIER_API_ERROR, ATELIER_API_ERROR_INVALID_PARAM,
                                 "theme: %s", _("Describe the theme."));
  else if (check_tune_ids (tune_ids, n_tune_ids, &call->invalid))
    call_take_json (call, build_theme_body (theme, tune_ids, n_tune_ids, prompt_attributes));
  call_start (self, call, atelier_astria_client_create_theme_async, cancellable, callback, user_data);
}

gboolean
atelier_astria_client_create_theme_finish (AtelierAstriaClient  *self,
                                           GAsyncResult         *result,
                                           GError              **error)
{
  return call_finish_boolean (self, result, atelier_astria_client_create_theme_async, error);
}
