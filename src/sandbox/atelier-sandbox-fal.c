/* atelier-sandbox-fal.c: fal's queue API for ip-adapter-face-id
 *
 * A submitted request waits in the queue, is in progress, then completed
 * (the store computes which from the clock); its result is a placeholder
 * image under /sandbox/images/fal/. A request cancelled while queued is
 * reported completed with an error, as fal reports requests that produced
 * no result. Answers and errors take fal's shapes ({"detail": …}), not
 * Astria's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-sandbox-server-private.h"

#define FAL_PATH  "/fal-ai/ip-adapter-face-id"

static void
set_fal_url (JsonObject         *object,
             const char         *member,
             AtelierSandboxCall *call,
             const char         *id,
             const char         *suffix)
{
  g_autofree char *url = g_strdup_printf ("%s" FAL_PATH "/requests/%s%s", call->base_url, id, suffix);

  json_object_set_string_member (object, member, url);
}

/* FastAPI's answer to a body without a prompt */
static JsonObject *
missing_prompt_answer (void)
{
  JsonObject *answer = json_object_new ();
  g_autoptr(JsonObject) detail = json_object_new ();
  JsonArray *loc = json_array_new ();
  JsonArray *details = json_array_new ();

  json_array_add_string_element (loc, "body");
  json_array_add_string_element (loc, "prompt");
  json_object_set_array_member (detail, "loc", loc);
  json_object_set_string_member (detail, "msg", "field required");
  json_object_set_string_member (detail, "type", "value_error.missing");
  json_array_add_object_element (details, g_steal_pointer (&detail));
  json_object_set_array_member (answer, "detail", details);

  return answer;
}

static void
handle_fal_submit (AtelierSandboxCall *call,
                   gpointer            target,
                   gboolean            flag)
{
  AtelierSandboxStore *store = call->self->store;
  JsonNode *json = atelier_sandbox_request_get_json (call->request);
  JsonObject *input = json != NULL && JSON_NODE_HOLDS_OBJECT (json) ? json_node_get_object (json) : NULL;
  g_autoptr(JsonObject) answer = NULL;
  AtelierSandboxFalRequest *request;
  guint position = 0;

  if (input == NULL || _atelier_sandbox_node_is_blank (json_object_get_member (input, "prompt")))
    {
      answer = missing_prompt_answer ();
      _atelier_sandbox_call_reply_object (call, SOUP_STATUS_UNPROCESSABLE_ENTITY, answer);
      return;
    }

  request = _atelier_sandbox_store_create_fal (store, input);
  _atelier_sandbox_store_get_fal_state (store, request, &position);
  _atelier_sandbox_server_mark_dirty_locked (call->self);

  answer = json_object_new ();
  json_object_set_string_member (answer, "request_id", request->id);
  set_fal_url (answer, "response_url", call, request->id, "");
  set_fal_url (answer, "status_url", call, request->id, "/status");
  set_fal_url (answer, "cancel_url", call, request->id, "/cancel");
  json_object_set_int_member (answer, "queue_position", position);
  _atelier_sandbox_call_reply_object (call, SOUP_STATUS_OK, answer);
}

static gpointer
lookup_fal (AtelierSandboxCall  *call,
            char               **args)
{
  AtelierSandboxFalRequest *request = _atelier_sandbox_store_lookup_fal (call->self->store, args[0]);

  if (request == NULL)
    _atelier_sandbox_call_reply_message (call, "detail", "Request not found", SOUP_STATUS_NOT_FOUND);

  return request;
}

static void
handle_fal_status (AtelierSandboxCall *call,
                   gpointer            target,
                   gboolean            flag)
{
  AtelierSandboxFalRequest *request = target;
  g_autoptr(JsonObject) answer = json_object_new ();
  guint position = 0;
  guint status = SOUP_STATUS_ACCEPTED;

  switch (_atelier_sandbox_store_get_fal_state (call->self->store, request, &position))
    {
    case ATELIER_SANDBOX_FAL_IN_QUEUE:
      json_object_set_string_member (answer, "status", "IN_QUEUE");
      json_object_set_int_member (answer, "queue_position", position);
      break;

    case ATELIER_SANDBOX_FAL_IN_PROGRESS:
      json_object_set_string_member (answer, "status", "IN_PROGRESS");
      json_object_set_array_member (answer, "logs", json_array_new ());
      break;

    case ATELIER_SANDBOX_FAL_COMPLETED:
      json_object_set_string_member (answer, "status", "COMPLETED");
      json_object_set_array_member (answer, "logs", json_array_new ());
      status = SOUP_STATUS_OK;
      break;

    case ATELIER_SANDBOX_FAL_CANCELLED:
    default:
      json_object_set_string_member (answer, "status", "COMPLETED");
      json_object_set_string_member (answer, "error", "Request was cancelled");
      json_object_set_string_member (answer, "error_type", "request_cancelled");
      status = SOUP_STATUS_OK;
      break;
    }

  set_fal_url (answer, "response_url", call, request->id, "");
  _atelier_sandbox_call_reply_object (call, status, answer);
}

/* The result's image is rendered first: its answer has the file's size. */
static void
handle_fal_result (AtelierSandboxCall *call,
                   gpointer            target,
                   gboolean            flag)
{
  AtelierSandboxFalRequest *request = target;
  g_autoptr(AtelierSandboxWork) work = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *url = NULL;
  JsonObject *image;
  AtelierSandboxFalState state;

  state = _atelier_sandbox_store_get_fal_state (call->self->store, request, NULL);
  if (state == ATELIER_SANDBOX_FAL_CANCELLED)
    {
      g_autoptr(JsonObject) answer = json_object_new ();

      json_object_set_string_member (answer, "detail", "Request was cancelled");
      json_object_set_string_member (answer, "error_type", "request_cancelled");
      _atelier_sandbox_call_reply_object (call, SOUP_STATUS_BAD_REQUEST, answer);
      return;
    }

  if (state != ATELIER_SANDBOX_FAL_COMPLETED)
    {
      _atelier_sandbox_call_reply_message (call, "detail", "Request is still in progress", SOUP_STATUS_BAD_REQUEST);
      return;
    }

  work = g_new0 (AtelierSandboxWork, 1);
  work->kind = ATELIER_SANDBOX_WORK_FAL_RESULT;
  work->job = _atelier_sandbox_store_fal_image_job (call->self->store, request);
  file_name = g_strdup_printf ("%s.jpg", request->id);
  url = g_strdup_printf ("%s/sandbox/images/fal/%s", call->base_url, file_name);

  image = json_object_new ();
  json_object_set_string_member (image, "url", url);
  json_object_set_string_member (image, "content_type", "image/jpeg");
  json_object_set_string_member (image, "file_name", file_name);
  json_object_set_int_member (image, "file_size", 0);
  json_object_set_int_member (image, "width", work->job->width);
  json_object_set_int_member (image, "height", work->job->height);
  work->fal_result = json_object_new ();
  json_object_set_object_member (work->fal_result, "image", image);
  json_object_set_int_member (work->fal_result, "seed", request->seed);

  _atelier_sandbox_call_run_work (call, g_steal_pointer (&work));
}

static void
handle_fal_cancel (AtelierSandboxCall *call,
                   gpointer            target,
                   gboolean            flag)
{
  AtelierSandboxFalRequest *request = target;

  switch (_atelier_sandbox_store_get_fal_state (call->self->store, request, NULL))
    {
    case ATELIER_SANDBOX_FAL_IN_QUEUE:
      request->cancelled_at = g_get_real_time ();
      _atelier_sandbox_server_mark_dirty_locked (call->self);
      G_GNUC_FALLTHROUGH;

    case ATELIER_SANDBOX_FAL_CANCELLED:
      _atelier_sandbox_call_reply_message (call, "status", "CANCELLATION_REQUESTED", SOUP_STATUS_ACCEPTED);
      break;

    case ATELIER_SANDBOX_FAL_IN_PROGRESS:
    case ATELIER_SANDBOX_FAL_COMPLETED:
    default:
      _atelier_sandbox_call_reply_message (call, "status", "ALREADY_COMPLETED", SOUP_STATUS_BAD_REQUEST);
      break;
    }
}

static const AtelierSandboxRoute routes[] = {
  { "POST", FAL_PATH,                        ATELIER_SANDBOX_AUTH_KEY, NULL,       handle_fal_submit, FALSE },
  { "GET",  FAL_PATH "/requests/:id/status", ATELIER_SANDBOX_AUTH_KEY, lookup_fal, handle_fal_status, FALSE },
  { "GET",  FAL_PATH "/requests/:id",        ATELIER_SANDBOX_AUTH_KEY, lookup_fal, handle_fal_result, FALSE },
  { "PUT",  FAL_PATH "/requests/:id/cancel", ATELIER_SANDBOX_AUTH_KEY, lookup_fal, handle_fal_cancel, FALSE },
};

const AtelierSandboxRoute *
_atelier_sandbox_get_fal_routes (guint *n_routes)
{
  *n_routes = G_N_ELEMENTS (routes);

  return routes;
}
