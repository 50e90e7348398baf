/* atelier-likes.c: which prompts the user liked, kept locally
 *
 * The key file holds a group per account with one key, "liked", a list of
 * prompt ids. It is read once, asynchronously; every change saves it again
 * (one write at a time, the newest state last). A prompt made on this
 * computer (atelier_prompt_get_source(), a negative id) is liked here
 * only: no request, nothing to roll back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>

#include "atelier-likes.h"
#include "atelier-models-private.h"

#define LIKED_KEY "liked"

struct _AtelierLikes
{
  GObject              parent_instance;

  char                *path;
  AtelierLibrary      *library;
  AtelierAstriaClient *client;
  char                *account;

  GKeyFile            *key_file;
  GHashTable          *liked;       /* gint64 * of the account's liked prompts */
  GHashTable          *toggles;     /* prompt id → latest toggle serial, while in flight */
  guint                serial;
  gboolean             loaded;
  gboolean             saving;
  gboolean             dirty;       /* changed while saving */
  GCancellable        *cancellable;
};

G_DEFINE_FINAL_TYPE (AtelierLikes, atelier_likes, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gint64 *
id_new (gint64 id)
{
  return g_memdup2 (&id, sizeof id);
}

/* Key file <-> set */

static void
read_account (AtelierLikes *self)
{
  g_auto(GStrv) values = NULL;

  g_hash_table_remove_all (self->liked);
  if (self->account == NULL)
    return;

  values = g_key_file_get_string_list (self->key_file, self->account, LIKED_KEY, NULL, NULL);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      gint64 id;

      /* Negative ids: prompts made on this computer. */
      if (g_ascii_string_to_signed (values[i], 10, G_MININT64, G_MAXINT64, &id, NULL) && id != 0)
        g_hash_table_add (self->liked, id_new (id));
    }
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

GArray *
atelier_likes_dup_ids (AtelierLikes *self)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GHashTableIter iter;
  gint64 *id;

  g_return_val_if_fail (ATELIER_IS_LIKES (self), ids);

  g_hash_table_iter_init (&iter, self->liked);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
    g_array_append_val (ids, *id);
  g_array_sort (ids, compare_ids);

  return ids;
}

static void write_account (AtelierLikes *self);
static void save (AtelierLikes *self);

static void
save_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(AtelierLikes) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_warning ("Cannot save the likes: %s", error->message);

  self->saving = FALSE;
  if (self->dirty)
    save (self);
}

static void
save (AtelierLikes *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) parent = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize length = 0;
  char *data;

  if (!self->loaded)
    {
      self->dirty = TRUE;   /* saved once loaded */
      return;
    }

  if (self->saving)
    {
      self->dirty = TRUE;
      return;
    }

  write_account (self);
  data = g_key_file_to_data (self->key_file, &length, NULL);
  bytes = g_bytes_new_take (data, length);
  file = g_file_new_for_path (self->path);

  self->saving = TRUE;
  self->dirty = FALSE;
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                       NULL, save_cb, g_object_ref (self));
}

static void
write_account (AtelierLikes *self)
{
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) values = NULL;

  if (self->account == NULL)
    return;

  ids = atelier_likes_dup_ids (self);
  values = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < ids->len; i++)
    g_ptr_array_add (values, g_strdup_printf ("%" G_GINT64_FORMAT, g_array_index (ids, gint64, i)));
  g_ptr_array_add (values, NULL);

  g_key_file_set_string_list (self->key_file, self->account, LIKED_KEY,
                              (const char * const *) values->pdata, ids->len);
}

/* Loading */

static void
finish_loading (AtelierLikes *self)
{
  g_autoptr(GHashTable) before = g_steal_pointer (&self->liked);
  GHashTableIter iter;
  gpointer id;

  self->liked = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  read_account (self);

  /* Likes toggled before the file was read win. */
  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    g_hash_table_add (self->liked, id_new (*(gint64 *) id));

  self->loaded = TRUE;
  g_signal_emit (self, signals[CHANGED], 0, (gint64) 0, FALSE);

  if (self->dirty)
    {
      self->dirty = FALSE;
      save (self);
    }
}

static void
mkdir_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(AtelierLikes) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!_atelier_make_dir_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Cannot keep the likes: %s", error->message);
    }

  finish_loading (self);
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(AtelierLikes) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &length, NULL, &error))
    {
      g_autofree char *dir = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_warning ("Cannot read the likes: %s", error->message);

      /* A first run: make the folder for the first save. */
      dir = g_path_get_dirname (self->path);
      _atelier_make_dir_async (dir, self->cancellable, mkdir_cb, g_object_ref (self));
      return;
    }

  if (!g_key_file_load_from_data (self->key_file, contents, length, G_KEY_FILE_KEEP_COMMENTS, &error))
    g_warning ("The likes file is damaged, starting afresh: %s", error->message);

  finish_loading (self);
}

static void
start_loading (AtelierLikes *self)
{
  g_autoptr(GFile) file = g_file_new_for_path (self->path);

  g_file_load_contents_async (file, self->cancellable, load_cb, g_object_ref (self));
}

void
atelier_likes_set_account (AtelierLikes        *self,
                           AtelierAstriaClient *client,
                           const char          *account)
{
  g_return_if_fail (ATELIER_IS_LIKES (self));
  g_return_if_fail (client == NULL || ATELIER_IS_ASTRIA_CLIENT (client));
  g_return_if_fail (account != NULL);

  g_set_object (&self->client, client);

  if (self->library != NULL)
    atelier_library_set_account (self->library, account);

  if (g_strcmp0 (self->account, account) == 0)
    return;

  if (self->loaded)
    write_account (self);

  g_free (self->account);
  self->account = g_strdup (account);
  g_hash_table_remove_all (self->toggles);

  if (self->loaded)
    {
      read_account (self);
      g_signal_emit (self, signals[CHANGED], 0, (gint64) 0, FALSE);
    }
  else if (self->cancellable == NULL)
    {
      self->cancellable = g_cancellable_new ();
      start_loading (self);
    }
}

gboolean
atelier_likes_is_loaded (AtelierLikes *self)
{
  g_return_val_if_fail (ATELIER_IS_LIKES (self), FALSE);
  return self->loaded;
}

gboolean
atelier_likes_is_liked (AtelierLikes *self,
                        gint64        prompt_id)
{
  g_return_val_if_fail (ATELIER_IS_LIKES (self), FALSE);
  return g_hash_table_contains (self->liked, &prompt_id);
}

/* Toggling */

typedef struct
{
  AtelierPrompt *prompt;
  gboolean       liked;
  guint          serial;
  char          *account;
} Toggle;

static void
toggle_free (Toggle *toggle)
{
  g_object_unref (toggle->prompt);
  g_free (toggle->account);
  g_free (toggle);
}

static void
set_state (AtelierLikes  *self,
           AtelierPrompt *prompt,
           gboolean       liked)
{
  gint64 id = atelier_prompt_get_id (prompt);

  if (liked == atelier_likes_is_liked (self, id))
    return;

  if (liked)
    g_hash_table_add (self->liked, id_new (id));
  else
    g_hash_table_remove (self->liked, &id);

  /* Keeping the originals starts with the like; unliking lets them go
   * once the server agreed (see like_cb). */
  if (liked && self->library != NULL)
    atelier_library_keep_async (self->library, prompt, ATELIER_LIBRARY_LIKED, -1,
                                NULL, NULL, NULL);

  save (self);
  g_signal_emit (self, signals[CHANGED], 0, id, liked);
}

static void
like_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AtelierLikes *self = g_task_get_source_object (task);
  Toggle *toggle = g_task_get_task_data (task);
  gint64 id = atelier_prompt_get_id (toggle->prompt);
  g_autoptr(GError) error = NULL;
  gboolean newest;

  atelier_astria_client_like_prompt_finish (ATELIER_ASTRIA_CLIENT (source), result, &error);

  newest = g_strcmp0 (toggle->account, self->account) == 0 &&
           GPOINTER_TO_UINT (g_hash_table_lookup (self->toggles, &id)) == toggle->serial;
  if (newest)
    g_hash_table_remove (self->toggles, &id);

  if (error != NULL)
    {
      /* Roll back, unless the user toggled again meanwhile. */
      if (newest)
        {
          set_state (self, toggle->prompt, !toggle->liked);
          if (toggle->liked && self->library != NULL)
            atelier_library_release (self->library, id, ATELIER_LIBRARY_LIKED);
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (newest && !toggle->liked && self->library != NULL)
    atelier_library_release (self->library, id, ATELIER_LIBRARY_LIKED);

  g_task_return_boolean (task, TRUE);
}

void
atelier_likes_set_liked_async (AtelierLikes        *self,
                               AtelierPrompt       *prompt,
                               gboolean             liked,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Toggle *toggle;
  gint64 id;

  g_return_if_fail (ATELIER_IS_LIKES (self));
  g_return_if_fail (ATELIER_IS_PROMPT (prompt));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, atelier_likes_set_liked_async);

  /* A prompt made on this computer: the service does not know it, the
   * like stays here. */
  if (atelier_prompt_get_source (prompt) != NULL)
    {
      if (self->account == NULL)
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                                   "No account to like with");
          return;
        }

      id = atelier_prompt_get_id (prompt);
      /* A toggle of the service's still in flight for this id is moot. */
      g_hash_table_remove (self->toggles, &id);
      set_state (self, prompt, liked);
      if (!liked && self->library != NULL)
        atelier_library_release (self->library, id, ATELIER_LIBRARY_LIKED);
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (self->client == NULL || self->account == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               "No account to like with");
      return;
    }

  id = atelier_prompt_get_id (prompt);
  toggle = g_new0 (Toggle, 1);
  toggle->prompt = g_object_ref (prompt);
  toggle->liked = liked;
  toggle->serial = ++self->serial;
  toggle->account = g_strdup (self->account);
  g_task_set_task_data (task, toggle, (GDestroyNotify) toggle_free);
  g_hash_table_insert (self->toggles, id_new (id), GUINT_TO_POINTER (toggle->serial));

  set_state (self, prompt, liked);

  atelier_astria_client_like_prompt_async (self->client, id, liked, cancellable,
                                           like_cb, g_steal_pointer (&task));
}

gboolean
atelier_likes_set_liked_finish (AtelierLikes  *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return g_task_propagate_boolean (_atelier_task_check (result, self, atelier_likes_set_liked_async), error);
}

/* GObject */

static void
atelier_likes_dispose (GObject *object)
{
  AtelierLikes *self = ATELIER_LIKES (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->library);

  G_OBJECT_CLASS (atelier_likes_parent_class)->dispose (object);
}

static void
atelier_likes_finalize (GObject *object)
{
  AtelierLikes *self = ATELIER_LIKES (object);

  g_free (self->path);
  g_free (self->account);
  g_key_file_unref (self->key_file);
  g_hash_table_unref (self->liked);
  g_hash_table_unref (self->toggles);

  G_OBJECT_CLASS (atelier_likes_parent_class)->finalize (object);
}

static void
atelier_likes_class_init (AtelierLikesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = atelier_likes_dispose;
  object_class->finalize = atelier_likes_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                   G_TYPE_INT64, G_TYPE_BOOLEAN);
}

static void
atelier_likes_init (AtelierLikes *self)
{
  self->key_file = g_key_file_new ();
  self->liked = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->toggles = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

AtelierLikes *
atelier_likes_new (const char     *path,
                   AtelierLibrary *library)
{
  AtelierLikes *self = g_object_new (ATELIER_TYPE_LIKES, NULL);

  self->path = path != NULL ? g_strdup (path)
                            : g_build_filename (g_get_user_data_dir (), "atelier", "likes.ini", NULL);
  if (library != NULL)
    self->library = g_object_ref (library);

  return self;
}
