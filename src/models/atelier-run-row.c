/* atelier-run-row.c: one row of a test run's matrix, one pack prompt
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atelier-prompt-tags.h"
#include "atelier-run-row.h"

struct _AtelierRunRow
{
  GObject         parent_instance;

  char           *key;
  char           *text;
  gint64          orig_prompt_id;
  gint64          order;
  guint           n_cells;
  AtelierPrompt **prompts;    /* (owned) n_cells, NULL where none */
  gboolean       *liked;      /* n_cells */
};

G_DEFINE_FINAL_TYPE (AtelierRunRow, atelier_run_row, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
atelier_run_row_finalize (GObject *object)
{
  AtelierRunRow *self = ATELIER_RUN_ROW (object);

  for (guint i = 0; i < self->n_cells; i++)
    g_clear_object (&self->prompts[i]);
  g_free (self->prompts);
  g_free (self->liked);
  g_free (self->key);
  g_free (self->text);

  G_OBJECT_CLASS (atelier_run_row_parent_class)->finalize (object);
}

static void
atelier_run_row_class_init (AtelierRunRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = atelier_run_row_finalize;

  /* A cell's prompt, a like or the text changed. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
atelier_run_row_init (AtelierRunRow *self)
{
}

AtelierRunRow *
atelier_run_row_new (const char *key,
                     guint       n_cells)
{
  AtelierRunRow *self;

  g_return_val_if_fail (key != NULL, NULL);

  self = g_object_new (ATELIER_TYPE_RUN_ROW, NULL);
  self->key = g_strdup (key);
  self->text = g_strdup ("");
  self->n_cells = n_cells;
  self->prompts = g_new0 (AtelierPrompt *, MAX (n_cells, 1));
  self->liked = g_new0 (gboolean, MAX (n_cells, 1));

  return self;
}

const char *
atelier_run_row_get_key (AtelierRunRow *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_ROW (self), NULL);
  return self->key;
}

const char *
atelier_run_row_get_text (AtelierRunRow *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_ROW (self), NULL);
  return self->text;
}

gint64
atelier_run_row_get_orig_prompt_id (AtelierRunRow *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_ROW (self), 0);
  return self->orig_prompt_id;
}

guint
atelier_run_row_get_n_cells (AtelierRunRow *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_ROW (self), 0);
  return self->n_cells;
}

AtelierPrompt *
atelier_run_row_get_prompt (AtelierRunRow *self,
                            guint          column)
{
  g_return_val_if_fail (ATELIER_IS_RUN_ROW (self), NULL);
  g_return_val_if_fail (column < self->n_cells, NULL);
  return self->prompts[column];
}

AtelierRunCellState
atelier_run_row_get_state (AtelierRunRow *self,
                           guint          column)
{
  AtelierPrompt *prompt = atelier_run_row_get_prompt (self, column);

  if (prompt == NULL)
    return ATELIER_RUN_CELL_EMPTY;

  switch (atelier_prompt_get_state (prompt))
    {
    case ATELIER_PROMPT_STATE_DONE:
      return ATELIER_RUN_CELL_DONE;
    case ATELIER_PROMPT_STATE_FAILED:
      return ATELIER_RUN_CELL_FAILED;
    case ATELIER_PROMPT_STATE_PENDING:
    default:
      return ATELIER_RUN_CELL_PENDING;
    }
}

gboolean
atelier_run_row_is_liked (AtelierRunRow *self,
                          guint          column)
{
  g_return_val_if_fail (ATELIER_IS_RUN_ROW (self), FALSE);
  g_return_val_if_fail (column < self->n_cells, FALSE);
  return self->liked[column];
}

guint
atelier_run_row_get_n_likes (AtelierRunRow *self)
{
  guint n = 0;

  g_return_val_if_fail (ATELIER_IS_RUN_ROW (self), 0);

  for (guint i = 0; i < self->n_cells; i++)
    n += self->liked[i] != FALSE;
  return n;
}

guint
atelier_run_row_get_n_prompts (AtelierRunRow *self)
{
  guint n = 0;

  g_return_val_if_fail (ATELIER_IS_RUN_ROW (self), 0);

  for (guint i = 0; i < self->n_cells; i++)
    n += self->prompts[i] != NULL;
  return n;
}

gint64
atelier_run_row_get_order (AtelierRunRow *self)
{
  g_return_val_if_fail (ATELIER_IS_RUN_ROW (self), 0);
  return self->order;
}

gboolean
atelier_run_row_set_text (AtelierRunRow *self,
                          const char    *text,
                          gint64         orig_prompt_id)
{
  gboolean changed = FALSE;

  g_return_val_if_fail (ATELIER_IS_RUN_ROW (self), FALSE);

  if (g_strcmp0 (self->text, text != NULL ? text : "") != 0)
    {
      g_free (self->text);
      self->text = g_strdup (text != NULL ? text : "");
      changed = TRUE;
    }
  if (self->orig_prompt_id != orig_prompt_id)
    {
      self->orig_prompt_id = orig_prompt_id;
      changed = TRUE;
    }

  return changed;
}

/* Whether @a and @b show the same: same prompt, same state and images. */
static gboolean
same_prompt (AtelierPrompt *a,
             AtelierPrompt *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  if (atelier_prompt_get_id (a) != atelier_prompt_get_id (b) ||
      atelier_prompt_get_state (a) != atelier_prompt_get_state (b) ||
      atelier_prompt_get_n_images (a) != atelier_prompt_get_n_images (b) ||
      g_strcmp0 (atelier_prompt_get_user_error (a), atelier_prompt_get_user_error (b)) != 0 ||
      g_strcmp0 (atelier_prompt_get_text (a), atelier_prompt_get_text (b)) != 0)
    return FALSE;

  for (guint i = 0; i < atelier_prompt_get_n_images (a); i++)
    {
      if (g_strcmp0 (atelier_prompt_get_images (a)[i], atelier_prompt_get_images (b)[i]) != 0)
        return FALSE;
    }

  return TRUE;
}

gboolean
atelier_run_row_set_prompt (AtelierRunRow *self,
                            guint          column,
                            AtelierPrompt *prompt)
{
  gboolean changed;

  g_return_val_if_fail (ATELIER_IS_RUN_ROW (self), FALSE);
  g_return_val_if_fail (column < self->n_cells, FALSE);
  g_return_val_if_fail (prompt == NULL || ATELIER_IS_PROMPT (prompt), FALSE);

  changed = !same_prompt (self->prompts[column], prompt);
  g_set_object (&self->prompts[column], prompt);
  if (prompt == NULL)
    self->liked[column] = FALSE;

  return changed;
}

gboolean
atelier_run_row_set_liked (AtelierRunRow *self,
                           guint          column,
                           gboolean       liked)
{
  g_return_val_if_fail (ATELIER_IS_RUN_ROW (self), FALSE);
  g_return_val_if_fail (column < self->n_cells, FALSE);

  liked = liked && self->prompts[column] != NULL;
  if (self->liked[column] == liked)
    return FALSE;
  self->liked[column] = liked;
  return TRUE;
}

void
atelier_run_row_set_order (AtelierRunRow *self,
                           gint64         order)
{
  g_return_if_fail (ATELIER_IS_RUN_ROW (self));
  self->order = order;
}

void
atelier_run_row_emit_changed (AtelierRunRow *self)
{
  g_return_if_fail (ATELIER_IS_RUN_ROW (self));
  g_signal_emit (self, signals[CHANGED], 0);
}

/* {{{ Text */

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || c == '_' || g_unichar_ismark (c);
}

/* @text without LoRA and FaceID tags (valid or not). */
static GString *
without_tags (const char *text)
{
  g_autoptr(GArray) tags = atelier_prompt_tags_parse (text);
  GString *out = g_string_new (NULL);
  gsize at = 0;

  for (guint i = 0; i < tags->len; i++)
    {
      AtelierPromptTag *tag = &g_array_index (tags, AtelierPromptTag, i);

      if (tag->kind == ATELIER_PROMPT_TAG_CHARACTERISTIC || tag->start < at)
        continue;
      g_string_append_len (out, text + at, tag->start - at);
      g_string_append_c (out, ' ');
      at = tag->end;
    }
  g_string_append (out, text + at);

  return out;
}

static gboolean
is_trimmed (gunichar c)
{
  return g_unichar_isspace (c) || c == ',' || c == ';' || c == ':' || c == '-' || c == '.';
}

char *
atelier_run_row_normalize_text (const char *text,
                                const char *token,
                                const char *class_name)
{
  g_autoptr(GString) plain = NULL;
  g_autofree char *token_folded = NULL;
  g_autofree char *class_folded = NULL;
  g_autoptr(GString) words = g_string_new (NULL);
  GString *tidy;
  const char *p;
  const char *start;
  const char *end;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return g_strdup ("");

  plain = without_tags (text);
  if (token != NULL && token[0] != '\0')
    token_folded = g_utf8_casefold (token, -1);
  if (class_name != NULL && class_name[0] != '\0')
    class_folded = g_utf8_casefold (class_name, -1);

  /* Words equal to the token or the class name go. */
  p = plain->str;
  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char (p);

      if (is_word_char (c))
        {
          const char *word = p;
          g_autofree char *folded = NULL;

          while (*p != '\0' && is_word_char (g_utf8_get_char (p)))
            p = g_utf8_next_char (p);
          folded = g_utf8_casefold (word, p - word);
          if (g_strcmp0 (folded, token_folded) != 0 && g_strcmp0 (folded, class_folded) != 0)
            g_string_append_len (words, word, p - word);
          else
            g_string_append_c (words, ' ');
        }
      else
        {
          const char *next = g_utf8_next_char (p);

          g_string_append_len (words, p, next - p);
          p = next;
        }
    }

  /* One space for any run of white space, none before punctuation, no
   * repeated commas. */
  tidy = g_string_new (NULL);
  for (p = words->str; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          if (tidy->len > 0 && tidy->str[tidy->len - 1] != ' ')
            g_string_append_c (tidy, ' ');
          continue;
        }
      if (strchr (",;:.!?", (int) c) != NULL && c < 0x80)
        {
          if (tidy->len > 0 && tidy->str[tidy->len - 1] == ' ')
            g_string_truncate (tidy, tidy->len - 1);
          if (c == ',' && tidy->len > 0 && tidy->str[tidy->len - 1] == ',')
            continue;
        }
      g_string_append_unichar (tidy, c);
    }

  /* Trim the ends. */
  start = tidy->str;
  while (*start != '\0' && is_trimmed (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  end = tidy->str + tidy->len;
  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);

      if (!is_trimmed (g_utf8_get_char (prev)))
        break;
      end = prev;
    }

  {
    char *result = g_strndup (start, end - start);

    g_string_free (tidy, TRUE);
    return result;
  }
}

/* }}} */
