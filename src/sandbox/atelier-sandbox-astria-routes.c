/* atelier-sandbox-astria-routes.c: the Astria API's routes
 *
 * Tunes, prompts, likes, packs, /images/inspect and themes, as the Astria
 * documentation describes them. The route table names each route's lookup,
 * so that handlers receive the tune, prompt or pack their ":id" names (an
 * unknown one was answered 404 already); they run under the server's lock
 * and leave the work to the store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atelier-sandbox-server-private.h"

/* Lookups of the ":id"s */

static gpointer
lookup_tune (AtelierSandboxCall  *call,
             char               **args)
{
  AtelierSandboxTune *tune = NULL;
  gint64 id;

  if (_atelier_sandbox_parse_id (args[0], &id))
    tune = _atelier_sandbox_store_lookup_tune (call->self->store, id);

  if (tune == NULL)
    _atelier_sandbox_call_reply_not_found (call);

  return tune;
}

/* A prompt by id, optionally checking that it belongs to a tune. */
static AtelierSandboxPrompt *
find_prompt (AtelierSandboxCall *call,
             const char         *tune_id_text,
             const char         *id_text)
{
  AtelierSandboxPrompt *prompt = NULL;
  gint64 tune_id = 0;
  gint64 id;

  if (_atelier_sandbox_parse_id (id_text, &id) &&
      (tune_id_text == NULL || _atelier_sandbox_parse_id (tune_id_text, &tune_id)))
    prompt = _atelier_sandbox_store_lookup_prompt (call->self->store, id);

  if (prompt != NULL && tune_id_text != NULL && prompt->tune_id != tune_id)
    prompt = NULL;

  if (prompt == NULL)
    _atelier_sandbox_call_reply_not_found (call);

  return prompt;
}

static gpointer
lookup_prompt (AtelierSandboxCall  *call,
               char               **args)
{
  return find_prompt (call, NULL, args[0]);
}

static gpointer
lookup_tune_prompt (AtelierSandboxCall  *call,
                    char               **args)
{
  return find_prompt (call, args[0], args[1]);
}

static gpointer
lookup_pack (AtelierSandboxCall  *call,
             char               **args)
{
  AtelierSandboxPack *pack = _atelier_sandbox_store_lookup_pack (call->self->store, args[0]);

  if (pack == NULL)
    _atelier_sandbox_call_reply_not_found (call);

  return pack;
}

/* Answers */

static void
reply_tune (AtelierSandboxCall *call,
            guint               status,
            AtelierSandboxTune *tune,
            GPtrArray          *prompts)
{
  _atelier_sandbox_call_reply_json (call, status,
                                    _atelier_sandbox_store_tune_to_json (call->self->store, tune,
                                                                         call->base_url, prompts));
}

static void
reply_prompt (AtelierSandboxCall   *call,
              guint                 status,
              AtelierSandboxPrompt *prompt)
{
  _atelier_sandbox_call_reply_json (call, status,
                                    _atelier_sandbox_store_prompt_to_json (call->self->store, prompt,
                                                                           call->base_url));
}

/* After a deletion */
static void
reply_deleted (AtelierSandboxCall *call,
               const char         *message)
{
  _atelier_sandbox_server_mark_dirty_locked (call->self);
  _atelier_sandbox_call_reply_message (call, "message", message, SOUP_STATUS_OK);
}

/* Tunes */

static void
handle_list_tunes (AtelierSandboxCall *call,
                   gpointer            target,
                   gboolean            flag)
{
  _atelier_sandbox_call_reply_json (call, SOUP_STATUS_OK,
                                    _atelier_sandbox_store_list_tunes (call->self->store, call->base_url,
                                                                       _atelier_sandbox_call_get_offset (call)));
}

static void
create_tune (AtelierSandboxCall *call,
             AtelierSandboxPack *pack,
             JsonObject         *input)
{
  AtelierSandboxServer *self = call->self;
  g_autoptr(JsonObject) errors = json_object_new ();
  g_autoptr(GPtrArray) prompts = NULL;
  AtelierSandboxTune *tune;
  gboolean existed = FALSE;

  tune = _atelier_sandbox_store_create_tune (self->store, call->request, input, pack,
                                             errors, &existed, &prompts);
  if (tune == NULL)
    {
      _atelier_sandbox_call_reply_errors (call, errors);
      return;
    }

  if (!existed)
    _atelier_sandbox_server_mark_dirty_locked (self);

  reply_tune (call, existed ? SOUP_STATUS_OK : SOUP_STATUS_CREATED, tune, prompts);
}

static void
handle_create_tune (AtelierSandboxCall *call,
                    gpointer            target,
                    gboolean            flag)
{
  JsonObject *input = _atelier_sandbox_call_require_object (call, "tune");

  if (input != NULL)
    create_tune (call, NULL, input);
}

static void
handle_get_tune (AtelierSandboxCall *call,
                 gpointer            target,
                 gboolean            flag)
{
  reply_tune (call, SOUP_STATUS_OK, target, NULL);
}

static void
handle_delete_tune (AtelierSandboxCall *call,
                    gpointer            target,
                    gboolean            flag)
{
  AtelierSandboxTune *tune = target;

  if (tune->gallery)
    {
      _atelier_sandbox_call_reply_error (call, SOUP_STATUS_FORBIDDEN, "Gallery tunes cannot be deleted");
      return;
    }

  _atelier_sandbox_store_delete_tune (call->self->store, tune);
  reply_deleted (call, "Tune successfully deleted");
}

/* Prompts */

/* Every prompt, or with @target those of a tune. */
static void
handle_list_prompts (AtelierSandboxCall *call,
                     gpointer            target,
                     gboolean            flag)
{
  AtelierSandboxTune *tune = target;

  _atelier_sandbox_call_reply_json (call, SOUP_STATUS_OK,
                                    _atelier_sandbox_store_list_prompts (call->self->store, call->base_url,
                                                                         tune ? tune->id : 0,
                                                                         _atelier_sandbox_call_get_offset (call)));
}

static void
handle_create_prompt (AtelierSandboxCall *call,
                      gpointer            target,
                      gboolean            flag)
{
  g_autoptr(JsonObject) errors = json_object_new ();
  AtelierSandboxPrompt *prompt;
  JsonObject *input = _atelier_sandbox_call_require_object (call, "prompt");

  if (input == NULL)
    return;

  prompt = _atelier_sandbox_store_create_prompt (call->self->store, call->request, target, input, errors);
  if (prompt == NULL)
    {
      _atelier_sandbox_call_reply_errors (call, errors);
      return;
    }

  _atelier_sandbox_server_mark_dirty_locked (call->self);
  reply_prompt (call, SOUP_STATUS_CREATED, prompt);
}

static void
handle_get_prompt (AtelierSandboxCall *call,
                   gpointer            target,
                   gboolean            flag)
{
  reply_prompt (call, SOUP_STATUS_OK, target);
}

static void
handle_delete_prompt (AtelierSandboxCall *call,
                      gpointer            target,
                      gboolean            flag)
{
  _atelier_sandbox_store_delete_prompt (call->self->store, target);
  reply_deleted (call, "Prompt successfully deleted");
}

/* @flag: like (POST) or unlike (DELETE) */
static void
handle_set_liked (AtelierSandboxCall *call,
                  gpointer            target,
                  gboolean            flag)
{
  _atelier_sandbox_store_set_liked (call->self->store, target, flag);
  _atelier_sandbox_server_mark_dirty_locked (call->self);
  _atelier_sandbox_call_reply_empty (call, flag ? SOUP_STATUS_CREATED : SOUP_STATUS_NO_CONTENT);
}

/* Packs */

/* @flag: the gallery's packs rather than the user's */
static void
handle_list_packs (AtelierSandboxCall *call,
                   gpointer            target,
                   gboolean            flag)
{
  _atelier_sandbox_call_reply_json (call, SOUP_STATUS_OK,
                                    _atelier_sandbox_store_list_packs (call->self->store, flag));
}

static void
handle_list_pack_prompts (AtelierSandboxCall *call,
                          gpointer            target,
                          gboolean            flag)
{
  _atelier_sandbox_call_reply_json (call, SOUP_STATUS_OK,
                                    _atelier_sandbox_store_list_pack_prompts (call->self->store, target,
                                                                              call->base_url));
}

/* POST /p/:id/tunes with tune_ids: the pack's prompts on existing tunes,
 * answered as an array of those tunes with their new prompts. */
static void
apply_pack_to_tunes (AtelierSandboxCall *call,
                     AtelierSandboxPack *pack,
                     JsonObject         *input,
                     GPtrArray          *ids)
{
  AtelierSandboxStore *store = call->self->store;
  g_autoptr(JsonObject) errors = json_object_new ();
  g_autoptr(GPtrArray) tunes = _atelier_sandbox_store_lookup_tunes (store, ids, errors);
  JsonObject *attributes = _atelier_sandbox_params_get_object (input, "prompt_attributes");
  const char *callback = _atelier_sandbox_params_get_string (attributes, "callback");
  JsonArray *answer;

  /* As for a new tune: the pack must price each tune's class. */
  for (guint i = 0; i < tunes->len; i++)
    {
      AtelierSandboxTune *tune = g_ptr_array_index (tunes, i);

      if (pack->cost_mc_hash != NULL && json_object_get_size (pack->cost_mc_hash) > 0 &&
          (tune->name == NULL || !json_object_has_member (pack->cost_mc_hash, tune->name)))
        {
          g_autofree char *message = g_strdup_printf ("%" G_GINT64_FORMAT ": class %s is not supported by this pack",
                                                      tune->id, tune->name != NULL ? tune->name : "(none)");

          _atelier_sandbox_errors_add (errors, "tune_ids", message);
        }
    }

  if (json_object_get_size (errors) > 0)
    {
      _atelier_sandbox_call_reply_errors (call, errors);
      return;
    }

  answer = json_array_new ();
  for (guint i = 0; i < tunes->len; i++)
    {
      AtelierSandboxTune *tune = g_ptr_array_index (tunes, i);
      g_autoptr(GPtrArray) prompts = _atelier_sandbox_store_apply_pack (store, pack, tune, callback);

      json_array_add_element (answer, _atelier_sandbox_store_tune_to_json (store, tune, call->base_url, prompts));
    }

  _atelier_sandbox_server_mark_dirty_locked (call->self);
  _atelier_sandbox_call_reply_json (call, SOUP_STATUS_CREATED, json_node_init_array (json_node_alloc (), answer));
  json_array_unref (answer);
}

static void
handle_create_pack_tune (AtelierSandboxCall *call,
                         gpointer            target,
                         gboolean            flag)
{
  g_autoptr(GPtrArray) ids = NULL;
  JsonObject *input = _atelier_sandbox_call_require_object (call, "tune");

  if (input == NULL)
    return;

  ids = _atelier_sandbox_params_dup_list (input, "tune_ids");
  if (ids->len > 0)
    apply_pack_to_tunes (call, target, input, ids);
  else
    create_tune (call, target, input);
}

/* Inspection and themes */

static void
handle_inspect (AtelierSandboxCall *call,
                gpointer            target,
                gboolean            flag)
{
  JsonObject *params = _atelier_sandbox_request_get_params (call->request);
  g_autoptr(JsonObject) errors = json_object_new ();
  g_autoptr(AtelierSandboxWork) work = g_new0 (AtelierSandboxWork, 1);
  g_autofree char *name = _atelier_sandbox_node_dup_string (_atelier_sandbox_params_get (params, "name"));
  AtelierSandboxFile *file = _atelier_sandbox_request_lookup_file (call->request,
                                                                   _atelier_sandbox_params_get (params, "file"));
  const char *file_url = _atelier_sandbox_params_get_string (params, "file_url");

  if (name == NULL || g_strstrip (name)[0] == '\0')
    _atelier_sandbox_errors_add (errors, "name", "can't be blank");

  if (file != NULL)
    work->bytes = g_bytes_ref (file->data);
  else if (file_url == NULL || file_url[0] == '\0')
    _atelier_sandbox_errors_add (errors, "file", "can't be blank");
  else if (!_atelier_sandbox_lookup_own_image_url (call, file_url, work))
    _atelier_sandbox_errors_add (errors, "file_url", "could not be fetched");

  if (json_object_get_size (errors) > 0)
    {
      _atelier_sandbox_call_reply_errors (call, errors);
      return;
    }

  work->kind = ATELIER_SANDBOX_WORK_INSPECT;
  work->class_name = g_steal_pointer (&name);
  _atelier_sandbox_call_run_work (call, g_steal_pointer (&work));
}

static void
handle_create_theme (AtelierSandboxCall *call,
                     gpointer            target,
                     gboolean            flag)
{
  g_autoptr(JsonObject) errors = json_object_new ();
  JsonObject *params = _atelier_sandbox_request_get_params (call->request);
  JsonObject *nested = _atelier_sandbox_params_get_object (params, "theme");

  /* JSON sends {"theme": "…", "tune_ids": […]}; forms send theme[theme]. */
  if (!_atelier_sandbox_store_create_theme (call->self->store, nested ? nested : params, errors))
    {
      _atelier_sandbox_call_reply_errors (call, errors);
      return;
    }

  _atelier_sandbox_server_mark_dirty_locked (call->self);
  _atelier_sandbox_call_reply_empty (call, SOUP_STATUS_CREATED);
}

#define ROUTE(method, pattern, lookup, func, flag) \
  { method, pattern, ATELIER_SANDBOX_AUTH_BEARER, lookup, func, flag }

static const AtelierSandboxRoute routes[] = {
  ROUTE ("GET",    "/tunes",                 NULL,               handle_list_tunes,        FALSE),
  ROUTE ("POST",   "/tunes",                 NULL,               handle_create_tune,       FALSE),
  ROUTE ("GET",    "/tunes/:id",             lookup_tune,        handle_get_tune,          FALSE),
  ROUTE ("DELETE", "/tunes/:id",             lookup_tune,        handle_delete_tune,       FALSE),
  ROUTE ("GET",    "/tunes/:id/prompts",     lookup_tune,        handle_list_prompts,      FALSE),
  ROUTE ("POST",   "/tunes/:id/prompts",     lookup_tune,        handle_create_prompt,     FALSE),
  ROUTE ("GET",    "/tunes/:id/prompts/:id", lookup_tune_prompt, handle_get_prompt,        FALSE),
  ROUTE ("DELETE", "/tunes/:id/prompts/:id", lookup_tune_prompt, handle_delete_prompt,     FALSE),
  ROUTE ("GET",    "/prompts",               NULL,               handle_list_prompts,      FALSE),
  ROUTE ("GET",    "/prompts/:id",           lookup_prompt,      handle_get_prompt,        FALSE),
  ROUTE ("DELETE", "/prompts/:id",           lookup_prompt,      handle_delete_prompt,     FALSE),
  ROUTE ("POST",   "/prompts/:id/likes",     lookup_prompt,      handle_set_liked,         TRUE),
  ROUTE ("DELETE", "/prompts/:id/likes",     lookup_prompt,      handle_set_liked,         FALSE),
  ROUTE ("POST",   "/prompts/:id/like",      lookup_prompt,      handle_set_liked,         TRUE),
  ROUTE ("DELETE", "/prompts/:id/like",      lookup_prompt,      handle_set_liked,         FALSE),
  ROUTE ("GET",    "/packs",                 NULL,               handle_list_packs,        FALSE),
  ROUTE ("GET",    "/gallery/packs",         NULL,               handle_list_packs,        TRUE),
  ROUTE ("GET",    "/packs/:id/prompts",     lookup_pack,        handle_list_pack_prompts, FALSE),
  ROUTE ("POST",   "/p/:id/tunes",           lookup_pack,        handle_create_pack_tune,  FALSE),
  ROUTE ("POST",   "/images/inspect",        NULL,               handle_inspect,           FALSE),
  ROUTE ("POST",   "/themes",                NULL,               handle_create_theme,      FALSE),
};

#undef ROUTE

const AtelierSandboxRoute *
_atelier_sandbox_get_astria_routes (guint *n_routes)
{
  *n_routes = G_N_ELEMENTS (routes);

  return routes;
}
