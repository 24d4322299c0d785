/* train-input.c — the trainee's keyboard (see train-input.h).
 *
 * At a terminal, lines are read through libedit: the arrow keys move in the
 * line and through the answers given so far, and ~/.editrc applies. libedit
 * is told nothing about signals: the trainer's own Ctrl-C handler (no
 * SA_RESTART) makes the read fail with EINTR, libedit puts the terminal
 * back as it was and returns no line, and the trainer saves and stops.
 * Anywhere else (a pipe, a file) lines are read as they come.
 */
#include "train-input.h"

#include <histedit.h>
#include <procsim/procsim.h>
#include <string.h>
#include <unistd.h>

struct _TrainInput {
  FILE *in;
  FILE *out;
  EditLine *el; /* NULL: not at a terminal */
  History *history;
  char *prompt;
};

static char *
prompt_of (EditLine *el)
{
  TrainInput *input = NULL;
  el_get (el, EL_CLIENTDATA, &input);
  return input != NULL && input->prompt != NULL ? input->prompt : (char *) "";
}

TrainInput *
train_input_new (FILE *in, FILE *out)
{
  TrainInput *input = g_new0 (TrainInput, 1);
  input->in = in;
  input->out = out;
  if (!isatty (fileno (in)) || !isatty (fileno (out)))
    return input;
  input->el = el_init (g_get_prgname () != NULL ? g_get_prgname () : "procsim", in, out, stderr);
  if (input->el == NULL)
    return input;
  HistEvent ev;
  input->history = history_init ();
  history (input->history, &ev, H_SETSIZE, 200);
  history (input->history, &ev, H_SETUNIQUE, 1);
  el_set (input->el, EL_CLIENTDATA, input);
  el_set (input->el, EL_PROMPT, prompt_of);
  el_set (input->el, EL_EDITOR, "emacs");
  el_set (input->el, EL_SIGNAL, 0);
  el_set (input->el, EL_HIST, history, input->history);
  el_source (input->el, NULL);
  return input;
}

void
train_input_free (TrainInput *input)
{
  if (input == NULL)
    return;
  if (input->el != NULL)
    el_end (input->el);
  if (input->history != NULL)
    history_end (input->history);
  g_free (input->prompt);
  g_free (input);
}

char *
train_input_clean (const char *line)
{
  g_autofree char *valid = g_utf8_make_valid (line, -1);
  g_autoptr (GString) out = g_string_new (NULL);
  for (const char *p = valid; *p != '\0'; p++)
    {
      unsigned char c = (unsigned char) *p;
      if (c == 0x1b)
        {
          /* ESC [ parameters final, ESC O x, or ESC x: dropped whole. */
          if (p[1] == '[')
            {
              p += 2;
              while (*p != '\0' && !((unsigned char) *p >= 0x40 && (unsigned char) *p <= 0x7e))
                p++;
            }
          else if (p[1] == 'O' && p[2] != '\0')
            p += 2;
          else if (p[1] != '\0')
            p++;
          if (*p == '\0')
            break;
          continue;
        }
      if (c == '\t')
        g_string_append_c (out, ' ');
      else if (c >= 0x20 && c != 0x7f)
        g_string_append_c (out, (char) c);
    }
  char *nfc = g_utf8_normalize (out->str, -1, G_NORMALIZE_NFC);
  return g_strstrip (nfc);
}

char *
train_input_read_line (FILE *in)
{
  g_autoptr (GString) line = g_string_new (NULL);
  gsize total = 0;
  int c;
  while ((c = getc (in)) != EOF && c != '\n')
    {
      if (++total > TRAIN_INPUT_LINE_MAX)
        return NULL;
      if (line->len <= PSIM_SESSION_MAX_ANSWER_BYTES)
        g_string_append_c (line, (char) c);
    }
  if (c == EOF && (total == 0 || ferror (in)))
    return NULL;
  while (line->len > 0 && line->str[line->len - 1] == '\r')
    g_string_truncate (line, line->len - 1);
  return g_string_free (g_steal_pointer (&line), FALSE);
}

char *
train_input_read (TrainInput *input, const char *prompt)
{
  char *raw = NULL;
  if (input->el != NULL)
    {
      g_free (input->prompt);
      input->prompt = g_strdup (prompt);
      fflush (input->out);
      int n = 0;
      const char *line = el_gets (input->el, &n);
      if (line == NULL || n <= 0)
        return NULL;
      raw = g_strdup (line);
    }
  else
    {
      fputs (prompt, input->out);
      fflush (input->out);
      raw = train_input_read_line (input->in);
      if (raw == NULL)
        return NULL;
    }
  char *clean = train_input_clean (raw);
  g_free (raw);
  if (input->history != NULL && *clean != '\0')
    {
      HistEvent ev;
      history (input->history, &ev, H_ENTER, clean);
    }
  return clean;
}

/* @text lower-cased, without diacritics ("Gợi ý" → "goi y"), its spaces
 * collapsed. (transfer full) */
static char *
plain_letters (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);
  g_autofree char *nfd = g_utf8_normalize (folded, -1, G_NORMALIZE_NFD);
  g_autoptr (GString) out = g_string_new (NULL);
  for (const char *p = nfd; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_type (c) == G_UNICODE_NON_SPACING_MARK)
        continue;
      if (c == 0x0111) /* đ */
        c = 'd';
      if (g_unichar_isspace (c))
        {
          if (out->len > 0 && out->str[out->len - 1] != ' ')
            g_string_append_c (out, ' ');
          continue;
        }
      g_string_append_unichar (out, c);
    }
  if (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

TrainWord
train_input_word (const char *answer)
{
  static const struct {
    const char *said;
    TrainWord word;
  } words[] = {
    { "h", TRAIN_WORD_HINT },    { "hint", TRAIN_WORD_HINT },       { "goi y", TRAIN_WORD_HINT },
    { "s", TRAIN_WORD_SKIP },    { "skip", TRAIN_WORD_SKIP },       { "bo qua", TRAIN_WORD_SKIP },
    { "q", TRAIN_WORD_QUIT },    { "quit", TRAIN_WORD_QUIT },       { "thoat", TRAIN_WORD_QUIT },
    { "c", TRAIN_WORD_CASE },    { "case", TRAIN_WORD_CASE },       { "tinh huong", TRAIN_WORD_CASE },
    { "?", TRAIN_WORD_HELP },    { "help", TRAIN_WORD_HELP },       { "tro giup", TRAIN_WORD_HELP },
  };
  g_autofree char *plain = plain_letters (answer);
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (strcmp (plain, words[i].said) == 0)
      return words[i].word;
  return TRAIN_WORD_NONE;
}
