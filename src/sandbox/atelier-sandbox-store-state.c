/* atelier-sandbox-store-state.c: the store's persistence
 *
 * The store is saved as <data_dir>/state.json: the next ids and one array
 * per kind of entity (tunes, prompts, packs with their templates, fal
 * requests), each entity an object of its fields, as the tables below list
 * them. Loading reads what it can: an entity missing what it cannot do
 * without is dropped, and a file that is not a state at all is moved aside.
 * Uploaded files are kept under <data_dir>/uploads/ and named by the state
 * as "upload:NAME". They are served without a key (image caches send
 * none), so NAME is 128 random bits in hex and an extension; sandboxes
 * from before, whose uploads were 1.jpg, 2.jpg …, are renamed on load.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "atelier-sandbox-store-private.h"

#define STATE_VERSION 1

/* Fields */

typedef enum
{
  FIELD_INT64,
  FIELD_INT,
  FIELD_COUNT,       /* guint; negative numbers load as 0 */
  FIELD_BOOL,
  FIELD_STRING,      /* nullable */
  FIELD_OBJECT,      /* nullable */
  FIELD_STRINGS,     /* GPtrArray of strings */

  FIELD_TYPE_MASK = 0xff,
  /* An entity loaded without it (0 or less, NULL) is dropped. */
  FIELD_REQUIRED = 1 << 8,
} FieldType;

typedef struct
{
  const char *name;
  FieldType   type;
  gsize       offset;
} Field;

#define FIELD(type, struct_type, member) { #member, type, G_STRUCT_OFFSET (struct_type, member) }
#define MEMBER(type, item, field) G_STRUCT_MEMBER (type, item, (field)->offset)

/* The numeric fields as integers */

static gint64
field_get_int (gconstpointer  item,
               const Field   *field)
{
  switch (field->type & FIELD_TYPE_MASK)
    {
    case FIELD_INT64:
      return MEMBER (gint64, item, field);
    case FIELD_INT:
      return MEMBER (int, item, field);
    case FIELD_COUNT:
      return MEMBER (guint, item, field);
    default:
      g_assert_not_reached ();
    }
}

static void
field_set_int (gpointer     item,
               const Field *field,
               gint64       value)
{
  switch (field->type & FIELD_TYPE_MASK)
    {
    case FIELD_INT64:
      MEMBER (gint64, item, field) = value;
      break;
    case FIELD_INT:
      MEMBER (int, item, field) = (int) value;
      break;
    case FIELD_COUNT:
      MEMBER (guint, item, field) = (guint) MAX (value, 0);
      break;
    default:
      g_assert_not_reached ();
    }
}

static JsonObject *
fields_to_state (gconstpointer  item,
                 const Field   *fields,
                 guint          n_fields)
{
  JsonObject *object = json_object_new ();

  for (const Field *field = fields; field < fields + n_fields; field++)
    {
      const char *name = field->name;
      GPtrArray *strings;
      JsonArray *array;

      switch (field->type & FIELD_TYPE_MASK)
        {
        case FIELD_INT64:
        case FIELD_INT:
        case FIELD_COUNT:
          json_object_set_int_member (object, name, field_get_int (item, field));
          break;

        case FIELD_BOOL:
          json_object_set_boolean_member (object, name, MEMBER (gboolean, item, field));
          break;

        case FIELD_STRING:
          _atelier_sandbox_json_set_string (object, name, MEMBER (char *, item, field));
          break;

        case FIELD_OBJECT:
          _atelier_sandbox_json_set_object (object, name, MEMBER (JsonObject *, item, field));
          break;

        case FIELD_STRINGS:
          strings = MEMBER (GPtrArray *, item, field);
          array = json_array_new ();
          for (guint i = 0; i < strings->len; i++)
            json_array_add_string_element (array, g_ptr_array_index (strings, i));
          json_object_set_array_member (object, name, array);
          break;

        default:
          g_assert_not_reached ();
        }
    }

  return object;
}

/* The strings of the array @node, if it is one, added to @strings. */
static void
add_strings (GPtrArray *strings,
             JsonNode  *node)
{
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      char *text = _atelier_sandbox_node_dup_string (json_array_get_element (array, i));

      if (text != NULL)
        g_ptr_array_add (strings, text);
    }
}

/* Missing and mistyped members leave 0, FALSE or NULL. Returns FALSE when a
 * required field is missing. */
static gboolean
fields_from_state (gpointer     item,
                   JsonObject  *object,
                   const Field *fields,
                   guint        n_fields)
{
  gboolean complete = TRUE;

  for (const Field *field = fields; field < fields + n_fields; field++)
    {
      const char *name = field->name;
      JsonNode *node = json_object_get_member (object, name);
      JsonObject *child;
      gboolean value = FALSE;
      gboolean present = TRUE;

      switch (field->type & FIELD_TYPE_MASK)
        {
        case FIELD_INT64:
        case FIELD_INT:
        case FIELD_COUNT:
          field_set_int (item, field, _atelier_sandbox_params_get_int (object, name, 0));
          present = field_get_int (item, field) > 0;
          break;

        case FIELD_BOOL:
          _atelier_sandbox_node_get_bool (node, &value);
          MEMBER (gboolean, item, field) = value;
          break;

        case FIELD_STRING:
          MEMBER (char *, item, field) = g_strdup (_atelier_sandbox_params_get_string (object, name));
          present = MEMBER (char *, item, field) != NULL;
          break;

        case FIELD_OBJECT:
          child = _atelier_sandbox_params_get_object (object, name);
          MEMBER (JsonObject *, item, field) = child != NULL ? json_object_ref (child) : NULL;
          present = child != NULL;
          break;

        case FIELD_STRINGS:
          add_strings (MEMBER (GPtrArray *, item, field), node);
          break;

        default:
          g_assert_not_reached ();
        }

      if ((field->type & FIELD_REQUIRED) && !present)
        complete = FALSE;
    }

  return complete;
}

/* Kinds of entities */

typedef gpointer (*NewFunc)    (void);
typedef void     (*AddFunc)    (AtelierSandboxStore *store,
                                gpointer             item);
/* Completes a loaded item from @object. */
typedef void     (*FinishFunc) (gpointer             item,
                                JsonObject          *object);
/* Writes what the fields do not. */
typedef void     (*MoreFunc)   (gpointer             item,
                                JsonObject          *object);

typedef struct
{
  const char     *name;          /* its array in state.json */
  gsize           items_offset;  /* of its GPtrArray in the store */
  const Field    *fields;
  guint           n_fields;
  NewFunc         new_item;
  GDestroyNotify  free_item;
  FinishFunc      finish;        /* nullable */
  MoreFunc        write_more;    /* nullable */
  AddFunc         add;
} Kind;

/* @entity names the entity's functions and fields: _atelier_sandbox_@entity_new (),
 * @entity_fields … */
#define KIND(member, entity, finish, write_more) \
  { #member, G_STRUCT_OFFSET (AtelierSandboxStore, member), entity##_fields, G_N_ELEMENTS (entity##_fields), \
    (NewFunc) _atelier_sandbox_##entity##_new, _atelier_sandbox_##entity##_free, finish, write_more, \
    (AddFunc) _atelier_sandbox_store_add_##entity }

static JsonObject *
item_to_state (const Kind *kind,
               gpointer    item)
{
  JsonObject *object = fields_to_state (item, kind->fields, kind->n_fields);

  if (kind->write_more != NULL)
    kind->write_more (item, object);

  return object;
}

/* An item of @kind from the element @node of its array, or NULL. */
static gpointer
item_from_state (const Kind *kind,
                 JsonNode   *node)
{
  gpointer item;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  item = kind->new_item ();
  if (!fields_from_state (item, json_node_get_object (node), kind->fields, kind->n_fields))
    {
      kind->free_item (item);
      return NULL;
    }

  if (kind->finish != NULL)
    kind->finish (item, json_node_get_object (node));

  return item;
}

/* The items of @kind in the array @node (when it is one) that load. */
static GPtrArray *
items_from_state (const Kind *kind,
                  JsonNode   *node)
{
  GPtrArray *items = g_ptr_array_new ();
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return items;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      gpointer item = item_from_state (kind, json_array_get_element (array, i));

      if (item != NULL)
        g_ptr_array_add (items, item);
    }

  return items;
}

static JsonArray *
items_to_state (const Kind *kind,
                GPtrArray  *items)
{
  JsonArray *array = json_array_sized_new (items->len);

  for (guint i = 0; i < items->len; i++)
    json_array_add_object_element (array, item_to_state (kind, g_ptr_array_index (items, i)));

  return array;
}

#define TUNE(type, member) FIELD (type, AtelierSandboxTune, member)

static const Field tune_fields[] = {
  TUNE (FIELD_INT64 | FIELD_REQUIRED, id), TUNE (FIELD_STRING | FIELD_REQUIRED, title),
  TUNE (FIELD_STRING, name), TUNE (FIELD_STRING, token),
  TUNE (FIELD_STRING | FIELD_REQUIRED, branch), TUNE (FIELD_STRING, model_type),
  TUNE (FIELD_STRING, preset), TUNE (FIELD_STRING, callback), TUNE (FIELD_INT64, base_tune_id),
  TUNE (FIELD_INT64, steps), TUNE (FIELD_INT, face_crop), TUNE (FIELD_BOOL, training_face_correct),
  TUNE (FIELD_BOOL, auto_extend), TUNE (FIELD_OBJECT, characteristics),
  TUNE (FIELD_STRINGS, images), TUNE (FIELD_INT64, created_at), TUNE (FIELD_INT64, ready_at),
};

static const Kind tune_kind = KIND (tunes, tune, NULL, NULL);

#define PROMPT(type, member) FIELD (type, AtelierSandboxPrompt, member)

static const Field prompt_fields[] = {
  PROMPT (FIELD_INT64 | FIELD_REQUIRED, id), PROMPT (FIELD_INT64, tune_id),
  PROMPT (FIELD_INT64, orig_prompt_id), PROMPT (FIELD_INT64, pack_id),
  PROMPT (FIELD_STRING | FIELD_REQUIRED, text), PROMPT (FIELD_OBJECT, params),
  PROMPT (FIELD_COUNT, num_images), PROMPT (FIELD_INT64, created_at),
  PROMPT (FIELD_INT64, started_at), PROMPT (FIELD_INT64, ready_at), PROMPT (FIELD_BOOL, liked),
  PROMPT (FIELD_COUNT, likes),
};

static void
prompt_finish (gpointer    item,
               JsonObject *object)
{
  AtelierSandboxPrompt *prompt = item;

  prompt->num_images = (guint) CLAMP (_atelier_sandbox_params_get_int (object, "num_images", 0), 1, 8);
  if (prompt->params == NULL)
    prompt->params = json_object_new ();
}

static const Kind prompt_kind = KIND (prompts, prompt, prompt_finish, NULL);

#define PACK(type, member) FIELD (type, AtelierSandboxPack, member)

static const Field pack_fields[] = {
  PACK (FIELD_INT64 | FIELD_REQUIRED, id), PACK (FIELD_INT64, base_tune_id),
  PACK (FIELD_STRING | FIELD_REQUIRED, slug), PACK (FIELD_STRING, title),
  PACK (FIELD_STRING, token), PACK (FIELD_STRING, model_type), PACK (FIELD_INT, multiplier),
  PACK (FIELD_BOOL, gallery), PACK (FIELD_INT64, created_at), PACK (FIELD_INT64, updated_at),
  PACK (FIELD_INT64, public_at), PACK (FIELD_OBJECT, cost_mc_hash),
};

/* A pack's prompt templates are prompts saved within it. */
static void
pack_write_more (gpointer    item,
                 JsonObject *object)
{
  AtelierSandboxPack *pack = item;

  json_object_set_array_member (object, "prompts", items_to_state (&prompt_kind, pack->prompts));
}

static void
pack_finish (gpointer    item,
             JsonObject *object)
{
  AtelierSandboxPack *pack = item;
  g_autoptr(GPtrArray) templates = items_from_state (&prompt_kind, json_object_get_member (object, "prompts"));

  if (pack->cost_mc_hash == NULL)
    pack->cost_mc_hash = json_object_new ();

  for (guint i = 0; i < templates->len; i++)
    {
      AtelierSandboxPrompt *template = g_ptr_array_index (templates, i);

      template->pack_id = pack->id;
      g_ptr_array_add (pack->prompts, template);
    }
}

static const Kind pack_kind = KIND (packs, pack, pack_finish, pack_write_more);

#define FAL(type, member) FIELD (type, AtelierSandboxFalRequest, member)

static const Field fal_request_fields[] = {
  FAL (FIELD_STRING | FIELD_REQUIRED, id), FAL (FIELD_OBJECT | FIELD_REQUIRED, input),
  FAL (FIELD_INT64, created_at), FAL (FIELD_INT64, cancelled_at), FAL (FIELD_INT64, delay_usec),
  FAL (FIELD_INT64, seed), FAL (FIELD_STRING, failure), FAL (FIELD_STRING, failure_field),
};

static const Kind fal_request_kind = KIND (fal_requests, fal_request, NULL, NULL);

/* In the order of state.json */
static const Kind * const kinds[] = { &tune_kind, &prompt_kind, &pack_kind, &fal_request_kind };

/* The ids to come */
#define STORE(type, member) FIELD (type, AtelierSandboxStore, member)

static const Field store_fields[] = {
  STORE (FIELD_INT64, next_tune_id), STORE (FIELD_INT64, next_prompt_id),
  STORE (FIELD_INT64, next_upload_id),
};

/* Loading and saving */

static gboolean
store_load_root (AtelierSandboxStore *store,
                 JsonNode            *root)
{
  JsonObject *object;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;

  object = json_node_get_object (root);
  if (_atelier_sandbox_params_get_int (object, "version", 0) != STATE_VERSION)
    return FALSE;

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autoptr(GPtrArray) items = items_from_state (kinds[k], json_object_get_member (object, kinds[k]->name));

      for (guint i = 0; i < items->len; i++)
        kinds[k]->add (store, g_ptr_array_index (items, i));
    }

  /* A token of 32 hex digits, else the new one the store made. */
  {
    const char *token = _atelier_sandbox_params_get_string (object, "image_token");

    if (token != NULL && strlen (token) == 32 && strspn (token, "0123456789abcdef") == 32)
      {
        g_free (store->image_token);
        store->image_token = g_strdup (token);
      }
  }

  /* Never below what the entities loaded already need. */
  for (const Field *field = store_fields; field < store_fields + G_N_ELEMENTS (store_fields); field++)
    MEMBER (gint64, store, field) = MAX (MEMBER (gint64, store, field),
                                         _atelier_sandbox_params_get_int (object, field->name, 0));

  return TRUE;
}

static void migrate_uploads (AtelierSandboxStore *store);

void
_atelier_sandbox_store_load (AtelierSandboxStore *store)
{
  g_autofree char *path = g_build_filename (store->data_dir, "state.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  AtelierSandboxBodyStatus status;
  gsize length = 0;

  _atelier_sandbox_store_clear (store);

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_warning ("Sandbox: could not read %s: %s", path, error->message);
      _atelier_sandbox_store_seed_packs (store);
      return;
    }

  root = _atelier_sandbox_parse_json (contents, length, &status);
  if (!store_load_root (store, root))
    {
      g_autofree char *aside = g_strconcat (path, ".corrupt", NULL);

      g_warning ("Sandbox: %s is corrupt; moved it to %s and starting empty", path, aside);
      if (g_rename (path, aside) != 0)
        g_warning ("Sandbox: could not move %s aside: %s", path, g_strerror (errno));

      _atelier_sandbox_store_clear (store);
      _atelier_sandbox_store_seed_packs (store);
      return;
    }

  migrate_uploads (store);
}

char *
_atelier_sandbox_store_serialize (AtelierSandboxStore *store)
{
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonNode) node = NULL;

  json_object_set_int_member (root, "version", STATE_VERSION);
  for (const Field *field = store_fields; field < store_fields + G_N_ELEMENTS (store_fields); field++)
    json_object_set_int_member (root, field->name, MEMBER (gint64, store, field));
  json_object_set_string_member (root, "image_token", store->image_token);
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    json_object_set_array_member (root, kinds[k]->name,
                                  items_to_state (kinds[k], G_STRUCT_MEMBER (GPtrArray *, store,
                                                                             kinds[k]->items_offset)));

  node = json_node_init_object (json_node_alloc (), root);

  return _atelier_json_to_string (node, FALSE);
}

gboolean
_atelier_sandbox_store_write (const char  *data_dir,
                              const char  *contents,
                              GError     **error)
{
  g_autofree char *path = g_build_filename (data_dir, "state.json", NULL);

  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Could not create %s: %s", data_dir, g_strerror (saved_errno));
      return FALSE;
    }

  return g_file_set_contents (path, contents, -1, error);
}

/* Uploads: files sent to the sandbox, served under /sandbox/images/uploads/ */

static const char *
upload_extension (AtelierSandboxFile *file)
{
  static const struct { const char *type; const char *ext; } types[] = {
    { "image/jpeg", "jpg" }, { "image/png", "png" }, { "image/webp", "webp" },
    { "image/gif", "gif" }, { "image/heic", "heic" },
  };
  const char *dot = file->filename ? strrchr (file->filename, '.') : NULL;

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      if (g_strcmp0 (file->content_type, types[i].type) == 0)
        return types[i].ext;
    }

  if (dot != NULL && dot[1] != '\0' && strlen (dot + 1) <= 5)
    {
      for (const char *p = dot + 1; *p != '\0'; p++)
        {
          if (!g_ascii_isalnum (*p))
            return "bin";
        }
      return dot + 1;
    }

  return "bin";
}

#define UPLOAD_RANDOM_BYTES 16

/* A file name in the uploads folder: no path, no hidden file. */
static gboolean
upload_name_is_safe (const char *name)
{
  if (name == NULL || name[0] == '\0' || name[0] == '.')
    return FALSE;

  for (const char *p = name; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != '_')
        return FALSE;
    }

  return TRUE;
}

/* "<32 lowercase hex digits>.<1 to 5 letters or digits>", as
 * _atelier_sandbox_store_save_upload() names them. */
static gboolean
upload_name_is_random (const char *name)
{
  gsize ext_len;

  if (name == NULL || strlen (name) < 2 * UPLOAD_RANDOM_BYTES + 2 || name[2 * UPLOAD_RANDOM_BYTES] != '.')
    return FALSE;

  for (guint i = 0; i < 2 * UPLOAD_RANDOM_BYTES; i++)
    {
      if (!g_ascii_isxdigit (name[i]) || g_ascii_isupper (name[i]))
        return FALSE;
    }

  ext_len = strlen (name + 2 * UPLOAD_RANDOM_BYTES + 1);
  if (ext_len > 5)
    return FALSE;
  for (const char *p = name + 2 * UPLOAD_RANDOM_BYTES + 1; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p))
        return FALSE;
    }

  return TRUE;
}

static char *
new_upload_name (const char *ext)
{
  g_autofree char *random = _atelier_sandbox_random_hex (UPLOAD_RANDOM_BYTES);

  return g_strdup_printf ("%s.%s", random, ext);
}

/* Only random names are served (and removed): a name that is not one
 * never reaches the disk. */
char *
_atelier_sandbox_store_dup_upload_path (AtelierSandboxStore *store,
                                        const char          *name)
{
  if (!upload_name_is_random (name))
    return NULL;

  return g_build_filename (store->data_dir, "uploads", name, NULL);
}

char *
_atelier_sandbox_store_save_upload (AtelierSandboxStore *store,
                                    AtelierSandboxFile  *file)
{
  g_autofree char *dir = g_build_filename (store->data_dir, "uploads", NULL);
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  gsize size = 0;
  const char *data = g_bytes_get_data (file->data, &size);
  g_autofree char *ext = g_ascii_strdown (upload_extension (file), -1);

  /* next_upload_id is no longer used, but still saved for older versions. */
  name = new_upload_name (ext);
  path = g_build_filename (dir, name, NULL);

  g_mkdir_with_parents (dir, 0700);
  if (!g_file_set_contents (path, data != NULL ? data : "", size, &error))
    g_warning ("Sandbox: could not save an upload: %s", error->message);

  return g_strconcat ("upload:", name, NULL);
}

void
_atelier_sandbox_store_remove_upload (AtelierSandboxStore *store,
                                      const char          *reference)
{
  g_autofree char *path = NULL;

  if (reference == NULL || !g_str_has_prefix (reference, "upload:"))
    return;

  path = _atelier_sandbox_store_dup_upload_path (store, reference + strlen ("upload:"));
  if (path != NULL)
    g_remove (path);
}

/* Migration of guessable upload names (1.jpg …) */

/* The new name of the old upload @name, renamed on disk the first time it
 * is seen; NULL when @name is not a plain file name. The file is linked
 * under its new name and the old one is removed only once the state
 * naming it has been written (see migrate_uploads()). */
static const char *
migrate_upload_name (AtelierSandboxStore *store,
                     GHashTable          *renamed,
                     const char          *name)
{
  const char *found = g_hash_table_lookup (renamed, name);
  const char *dot = strrchr (name, '.');
  g_autofree char *ext = NULL;
  g_autofree char *new_name = NULL;
  g_autofree char *old_path = NULL;
  g_autofree char *new_path = NULL;

  if (found != NULL)
    return found;

  if (!upload_name_is_safe (name))
    return NULL;

  ext = g_ascii_strdown (dot != NULL && dot[1] != '\0' ? dot + 1 : "bin", -1);
  for (const char *p = ext; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) || p - ext >= 5)
        {
          g_free (ext);
          ext = g_strdup ("bin");
          break;
        }
    }

  new_name = new_upload_name (ext);
  old_path = g_build_filename (store->data_dir, "uploads", name, NULL);
  new_path = g_build_filename (store->data_dir, "uploads", new_name, NULL);
  if (link (old_path, new_path) != 0 && errno != ENOENT && g_rename (old_path, new_path) != 0)
    g_warning ("Sandbox: could not rename the upload %s: %s", name, g_strerror (errno));

  g_hash_table_insert (renamed, g_strdup (name), g_strdup (new_name));

  return g_hash_table_lookup (renamed, name);
}

/* "upload:OLD" → "upload:NEW"; NULL when @reference is not an old one. */
static char *
migrate_reference (AtelierSandboxStore *store,
                   GHashTable          *renamed,
                   const char          *reference)
{
  const char *new_name;

  if (reference == NULL || !g_str_has_prefix (reference, "upload:") ||
      upload_name_is_random (reference + strlen ("upload:")))
    return NULL;

  new_name = migrate_upload_name (store, renamed, reference + strlen ("upload:"));

  return new_name != NULL ? g_strconcat ("upload:", new_name, NULL) : NULL;
}

/* A URL of an old upload given back as an image URL ("image_urls" of
 * this very sandbox) follows it to its new name. */
static char *
migrate_url (GHashTable *renamed,
             const char *url)
{
  const char *marker = url != NULL ? strstr (url, "/sandbox/images/uploads/") : NULL;
  const char *new_name;

  if (marker == NULL)
    return NULL;

  new_name = g_hash_table_lookup (renamed, marker + strlen ("/sandbox/images/uploads/"));
  if (new_name == NULL)
    return NULL;

  return g_strdup_printf ("%.*s/sandbox/images/uploads/%s", (int) (marker - url), url, new_name);
}

static void
migrate_params (AtelierSandboxStore *store,
                GHashTable          *renamed,
                JsonObject          *params)
{
  static const char * const members[] = { "input_image", "mask_image" };

  for (guint i = 0; params != NULL && i < G_N_ELEMENTS (members); i++)
    {
      g_autofree char *migrated = migrate_reference (store, renamed,
                                                     _atelier_sandbox_params_get_string (params, members[i]));

      if (migrated != NULL)
        json_object_set_string_member (params, members[i], migrated);
    }
}

/* Renames every upload still named the old way, writes the state naming
 * them anew, then removes the old names. */
static void
migrate_uploads (AtelierSandboxStore *store)
{
  g_autoptr(GHashTable) renamed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  GHashTableIter iter;
  gpointer old_name;

  for (guint i = 0; i < store->tunes->len; i++)
    {
      AtelierSandboxTune *tune = g_ptr_array_index (store->tunes, i);

      for (guint j = 0; j < tune->images->len; j++)
        {
          char *migrated = migrate_reference (store, renamed, g_ptr_array_index (tune->images, j));

          if (migrated != NULL)
            {
              g_free (g_ptr_array_index (tune->images, j));
              g_ptr_array_index (tune->images, j) = migrated;
            }
        }
    }

  for (guint i = 0; i < store->prompts->len; i++)
    migrate_params (store, renamed, ((AtelierSandboxPrompt *) g_ptr_array_index (store->prompts, i))->params);

  if (g_hash_table_size (renamed) == 0)
    return;

  for (guint i = 0; i < store->tunes->len; i++)
    {
      AtelierSandboxTune *tune = g_ptr_array_index (store->tunes, i);

      for (guint j = 0; j < tune->images->len; j++)
        {
          char *migrated = migrate_url (renamed, g_ptr_array_index (tune->images, j));

          if (migrated != NULL)
            {
              g_free (g_ptr_array_index (tune->images, j));
              g_ptr_array_index (tune->images, j) = migrated;
            }
        }
    }

  contents = _atelier_sandbox_store_serialize (store);
  if (!_atelier_sandbox_store_write (store->data_dir, contents, &error))
    {
      /* The old names stay on disk for the next try. */
      g_warning ("Sandbox: could not save the renamed uploads: %s", error->message);
      return;
    }

  g_hash_table_iter_init (&iter, renamed);
  while (g_hash_table_iter_next (&iter, &old_name, NULL))
    {
      g_autofree char *path = g_build_filename (store->data_dir, "uploads", (const char *) old_name, NULL);

      g_remove (path);
    }
}
