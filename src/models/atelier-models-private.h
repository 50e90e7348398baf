/* atelier-models-private.h: small helpers shared by the models
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Makes @path and its parents (mode 0700) in a worker thread. The task
 * has no source object, so a worker never holds the caller's last
 * reference: pass what the callback needs in @user_data. */
void     _atelier_make_dir_async  (const char          *path,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
gboolean _atelier_make_dir_finish (GAsyncResult        *result,
                                   GError             **error);

/* (transfer full) The folder in @dir that keeps what belongs to @account:
 * named by the SHA-256 of the account (its key or its base URL), cut to
 * @n_chars hex characters (0: all 64), so no folder name shows it. */
char     *_atelier_account_dir    (const char          *dir,
                                   const char          *account,
                                   gsize                n_chars);

/* Blocking (call from a worker thread): the JSON of the small file
 * @path, refused with @too_large (a message for people) over @max_size
 * bytes, and when it is not a regular file (a link, a FIFO). */
JsonNode *_atelier_read_json_file (const char  *path,
                                   goffset      max_size,
                                   const char  *too_large,
                                   GError     **error);

/* What an asynchronous call keeps of the object that made it: a weak
 * reference, so that dropping the object (whose dispose cancels the call)
 * is never put off by the call. */
static inline gpointer
_atelier_weak_new (gpointer object)
{
  GWeakRef *weak = g_new0 (GWeakRef, 1);

  g_weak_ref_init (weak, object);
  return weak;
}

/* Frees @weak; returns the object, or NULL when it is gone.
 * (transfer full) */
static inline gpointer
_atelier_weak_steal (gpointer weak)
{
  gpointer object = g_weak_ref_get (weak);

  g_weak_ref_clear (weak);
  g_free (weak);
  return object;
}

/* For a GListModel whose items are @items: item @position, or NULL past
 * the end. (transfer full) */
static inline gpointer
_atelier_items_get (GPtrArray *items,
                    guint      position)
{
  return position < items->len ? g_object_ref (g_ptr_array_index (items, position)) : NULL;
}

/* Empties @items, the items of @model, with one ::items-changed when it
 * held any. */
static inline void
_atelier_items_clear (GListModel *model,
                      GPtrArray  *items)
{
  guint n = items->len;

  g_ptr_array_set_size (items, 0);
  if (n > 0)
    g_list_model_items_changed (model, 0, n, 0);
}

/* For an _finish function: @result as the GTask that @source_object
 * (NULL: none) made in @source_tag, to propagate; NULL, with a critical,
 * when it is not. */
static inline GTask *
_atelier_task_check (GAsyncResult *result,
                     gpointer      source_object,
                     gpointer      source_tag)
{
  g_return_val_if_fail (g_task_is_valid (result, source_object), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return G_TASK (result);
}

/* Read-only properties that their object notifies itself, on change only
 * (G_PARAM_EXPLICIT_NOTIFY): a flag, and a count from 0. */
static inline GParamSpec *
_atelier_param_spec_flag (const char *name,
                          gboolean    default_value)
{
  return g_param_spec_boolean (name, NULL, NULL, default_value,
                               G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static inline GParamSpec *
_atelier_param_spec_count (const char *name)
{
  return g_param_spec_uint (name, NULL, NULL, 0, G_MAXUINT, 0,
                            G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

/* Sets *@field to @value and notifies @pspec of @object when that changed
 * it (console's kgx_set_boolean_prop). Returns whether it changed. */
static inline gboolean
_atelier_set_flag (gpointer    object,
                   gboolean   *field,
                   gboolean    value,
                   GParamSpec *pspec)
{
  if (*field == !!value)
    return FALSE;

  *field = !!value;
  g_object_notify_by_pspec (G_OBJECT (object), pspec);
  return TRUE;
}

static inline gboolean
_atelier_set_count (gpointer    object,
                    guint      *field,
                    guint       value,
                    GParamSpec *pspec)
{
  if (*field == value)
    return FALSE;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (object), pspec);
  return TRUE;
}

/* A "notify" handler for an object that shows another's properties as
 * its own (same names), connected swapped: @owner notifies its copy. */
static inline void
_atelier_forward_notify_cb (GObject    *owner,
                            GParamSpec *pspec)
{
  g_object_notify (owner, pspec->name);
}

G_END_DECLS
