/* test-e2e.c — the interactive trainer end to end: `procsim train` run in a
 * pseudo-terminal that the test opens itself (forkpty), read as a trainee
 * reads the screen and typed at as a trainee types.
 *
 * The first run starts a session of tests/data/scenarios/engine.xml with
 * TERM=xterm (colours on: escapes are stripped before matching), picks the
 * first step by its label, takes a hint, picks a wrong option, and presses
 * Ctrl-C at the next prompt: the trainer must say the session is saved,
 * exit with status 130 and leave its checkpoint. The second run resumes it
 * with TERM=dumb (no escapes at all) and plays to the end, choosing at each
 * prompt the option that is right. What is right comes from the library,
 * not from the screen: the test keeps its own PsimSession with the same seed
 * and feeds it the same answers, so the ideal answer's option id gives the
 * number to type; the options on the screen must be the session's, in its
 * order. At the end: the debrief with the session's score, exit status 0,
 * the records written and the checkpoint gone.
 *
 * Nothing can hang: every read polls with a deadline, the whole test has
 * one too (below meson's timeout), and the child is killed on any failure,
 * or when meson kills the test: the child runs in a session of its own,
 * out of reach of meson's kill of the test's process group. Under valgrind
 * (which traces the child too, and for which the meson setup multiplies
 * the timeout by 20) the deadlines are multiplied by 15; the environment
 * variable PSIM_E2E_SLOW=N multiplies them by N instead, for a slow
 * machine (then give `meson test` a --timeout-multiplier to match).
 */
#include "psim-test.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif

#define ID "e2e"
#define FIRST_STEP "Identity and marital status checked through VNeID"
#define WRONG_OPTION "Pay the notary in cash before signing"
#define WAIT_MS 15000    /* for one thing to appear on the screen */
#define OVERALL_MS 90000 /* for the whole test (meson's timeout is 120 s) */

static gint64 deadline; /* monotonic µs: the whole test */
static int slow = 1;
static volatile sig_atomic_t child_pid; /* the child running, or 0 */

static void
on_term (int sig)
{
  if (child_pid > 0)
    kill ((pid_t) child_pid, SIGKILL);
  signal (sig, SIG_DFL);
  raise (sig);
}

static int
slow_factor (void)
{
  const char *env = g_getenv ("PSIM_E2E_SLOW");
  if (env != NULL && atoi (env) > 0)
    return atoi (env);
#ifdef RUNNING_ON_VALGRIND
  if (RUNNING_ON_VALGRIND)
    return 15;
#endif
  /* valgrind preloads its own libraries into the programs it runs. */
  const char *preload = g_getenv ("LD_PRELOAD");
  if (preload != NULL && strstr (preload, "vgpreload") != NULL)
    return 15;
  return 1;
}

/* ---- the terminal ------------------------------------------------------- */

typedef struct {
  pid_t pid;
  int master;
  GString *raw;    /* every byte the child wrote */
  GString *screen; /* the same without escape sequences and carriage returns */
  gsize mark;      /* expectations look at the screen from here on */
  int esc;         /* 0 text, 1 after ESC, 2 in a CSI sequence */
  gboolean eof;
  gboolean reaped;
  int status;
} Term;

/* Appends @n bytes of output to the screen, escapes stripped: CSI
 * sequences (ESC [ … final byte) and two-byte ESC sequences. The state
 * survives a sequence split between reads. */
static void
term_feed (Term *t, const char *buf, gssize n)
{
  g_string_append_len (t->raw, buf, n);
  for (gssize i = 0; i < n; i++)
    {
      unsigned char c = (unsigned char) buf[i];
      if (t->esc == 1)
        t->esc = c == '[' ? 2 : 0;
      else if (t->esc == 2)
        t->esc = c >= 0x40 && c <= 0x7e ? 0 : 2;
      else if (c == 0x1b)
        t->esc = 1;
      else if (c != '\r')
        g_string_append_c (t->screen, (char) c);
    }
}

/* Runs @argv in a terminal of @cols × 24. */
static gboolean
term_start_sized (Term *t, char **argv, char **envp, unsigned short cols)
{
  memset (t, 0, sizeof *t);
  t->raw = g_string_new (NULL);
  t->screen = g_string_new (NULL);
  t->master = -1;
  struct winsize ws = { .ws_row = 24, .ws_col = cols };
  t->pid = forkpty (&t->master, NULL, NULL, &ws);
  if (t->pid < 0)
    {
      g_printerr ("\nforkpty: %s\n", g_strerror (errno));
      return FALSE;
    }
  if (t->pid == 0)
    {
      execve (argv[0], argv, envp);
      static const char msg[] = "test-e2e: cannot run the program\n";
      if (write (STDERR_FILENO, msg, sizeof msg - 1) < 0)
        _exit (126);
      _exit (127);
    }
  child_pid = t->pid;
  return TRUE;
}

/* The terminal of the issue: 80 × 24. */
static gboolean
term_start (Term *t, char **argv, char **envp)
{
  return term_start_sized (t, argv, envp, 80);
}

static gint64
remaining_ms (gint64 until)
{
  gint64 left = (MIN (until, deadline) - g_get_monotonic_time ()) / 1000;
  return MAX (0, left);
}

/* Reads what is there within @timeout_ms. FALSE at the end of output (the
 * child has closed the terminal) or on an error. */
static gboolean
term_pump (Term *t, gint64 timeout_ms)
{
  if (t->eof)
    return FALSE;
  struct pollfd p = { .fd = t->master, .events = POLLIN };
  int r = poll (&p, 1, (int) MIN (timeout_ms, 1000));
  if (r < 0)
    return errno == EINTR;
  if (r == 0)
    return TRUE;
  char buf[4096];
  gssize n = read (t->master, buf, sizeof buf);
  if (n > 0)
    {
      term_feed (t, buf, n);
      return TRUE;
    }
  if (n < 0 && errno == EINTR)
    return TRUE;
  t->eof = TRUE; /* EIO: no one holds the other side any more */
  return FALSE;
}

static void
term_dump (Term *t, const char *why)
{
  /* When the program has ended, say how. */
  for (int i = 0; t->eof && !t->reaped && i < 100; i++)
    {
      if (waitpid (t->pid, &t->status, WNOHANG) == t->pid)
        {
          t->reaped = TRUE;
          child_pid = 0;
        }
      else
        g_usleep (10000);
    }
  if (t->reaped)
    g_printerr ("\nthe program ended: %s %d", WIFEXITED (t->status) ? "exit status" : "signal",
                WIFEXITED (t->status) ? WEXITSTATUS (t->status) : WTERMSIG (t->status));
  gsize from = t->screen->len > 3000 ? t->screen->len - 3000 : 0;
  g_printerr ("\n%s\n---- screen (last %zu bytes) ----\n%s\n---- end of screen ----\n", why,
              t->screen->len - from, t->screen->str + from);
}

/* Waits until @needle is on the screen after the mark, and moves the mark
 * past it. */
static gboolean
term_expect (Term *t, const char *needle)
{
  gint64 until = g_get_monotonic_time () + (gint64) WAIT_MS * slow * 1000;
  for (;;)
    {
      const char *found = strstr (t->screen->str + t->mark, needle);
      if (found != NULL)
        {
          t->mark = (gsize) (found - t->screen->str) + strlen (needle);
          return TRUE;
        }
      if (remaining_ms (until) == 0 || !term_pump (t, remaining_ms (until)))
        {
          g_autofree char *why = g_strdup_printf ("expected \"%s\" on the screen (%s)", needle,
                                                  t->eof ? "the program ended" : "timed out");
          term_dump (t, why);
          return FALSE;
        }
    }
}

/* Waits for the input prompt ("> " at the very end of the screen: the
 * trainer is waiting for a line) and returns what was shown since the mark,
 * the prompt left out. (transfer full) */
static char *
term_expect_prompt (Term *t)
{
  gint64 until = g_get_monotonic_time () + (gint64) WAIT_MS * slow * 1000;
  for (;;)
    {
      gsize len = t->screen->len;
      if (len >= t->mark + 2 && g_str_has_suffix (t->screen->str, "\n> "))
        {
          char *shown = g_strndup (t->screen->str + t->mark, len - 2 - t->mark);
          t->mark = len;
          return shown;
        }
      if (remaining_ms (until) == 0 || !term_pump (t, remaining_ms (until)))
        {
          term_dump (t, t->eof ? "expected a prompt; the program ended"
                               : "expected a prompt; timed out");
          return NULL;
        }
    }
}

static gboolean
term_type (Term *t, const char *text)
{
  gsize n = strlen (text);
  return write (t->master, text, n) == (gssize) n;
}

/* Waits for each of the two pauses of the briefing (their prompts, in
 * the run's language) and presses Enter at each. */
static gboolean
term_pass_pauses (Term *t, const char *first, const char *second)
{
  return term_expect (t, first) && term_type (t, "\r") && term_expect (t, second)
         && term_type (t, "\r");
}

/* The longest line of @text, in columns (characters: every character
 * the trainer prints is one column wide). */
static glong
widest_line (const char *text, const char **where)
{
  glong widest = 0;
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      glong n = g_utf8_strlen (lines[i], -1);
      if (n > widest)
        {
          widest = n;
          if (where != NULL)
            *where = strstr (text, lines[i]);
        }
    }
  return widest;
}

/* Nothing on the screen passes @cols columns. */
static gboolean
screen_fits (Term *t, glong cols)
{
  const char *where = NULL;
  glong widest = widest_line (t->screen->str, &where);
  if (widest <= cols)
    return TRUE;
  g_autofree char *line = g_strndup (where, strcspn (where, "\n"));
  g_printerr ("\na line of %ld columns on a terminal of %ld:\n%s\n", widest, cols, line);
  return FALSE;
}

/* Waits until the child sleeps (in the read of its answer, the only place
 * it can block once the prompt is shown), so that a Ctrl-C interrupts that
 * read and does not come before it: the trainer notices a Ctrl-C that comes
 * before the read only after the next Enter. */
static void
term_wait_reading (const Term *t)
{
  g_autofree char *stat_path = g_strdup_printf ("/proc/%d/stat", (int) t->pid);
  gint64 until = g_get_monotonic_time () + (gint64) 2000 * slow * 1000;
  while (remaining_ms (until) > 0)
    {
      g_autofree char *stat = NULL;
      if (!g_file_get_contents (stat_path, &stat, NULL, NULL))
        return;
      const char *paren = strrchr (stat, ')');
      if (paren != NULL && paren[1] == ' ' && paren[2] == 'S')
        break;
      g_usleep (5000);
    }
  g_usleep (50000);
}

/* Reads to the end of output and reaps the child within the deadline. */
static gboolean
term_finish (Term *t)
{
  gint64 until = g_get_monotonic_time () + (gint64) WAIT_MS * slow * 1000;
  while (!t->eof && remaining_ms (until) > 0)
    term_pump (t, remaining_ms (until));
  while (!t->reaped)
    {
      pid_t r = waitpid (t->pid, &t->status, WNOHANG);
      if (r == t->pid)
        {
          t->reaped = TRUE;
          child_pid = 0;
        }
      else if (r < 0 && errno != EINTR)
        return FALSE;
      else if (remaining_ms (until) == 0)
        {
          term_dump (t, "the program did not end");
          return FALSE;
        }
      else
        g_usleep (10000);
    }
  return TRUE;
}

/* Kills the child if it is still there, and frees. */
static void
term_clear (Term *t)
{
  if (t->pid > 0 && !t->reaped)
    {
      kill (t->pid, SIGKILL);
      waitpid (t->pid, &t->status, 0);
      t->reaped = TRUE;
    }
  child_pid = 0;
  if (t->master >= 0)
    close (t->master);
  t->master = -1;
  if (t->raw != NULL)
    g_string_free (t->raw, TRUE);
  if (t->screen != NULL)
    g_string_free (t->screen, TRUE);
  t->raw = t->screen = NULL;
}

/* ---- the screen's options ----------------------------------------------- */

/* The numbered options in @shown ("   2. Label", wrapped lines joined),
 * whitespace collapsed. (transfer full) */
static GPtrArray *
parse_options (const char *shown)
{
  GPtrArray *options = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) lines = g_strsplit (shown, "\n", -1);
  GString *current = NULL;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *l = lines[i];
      const char *p = l;
      while (*p == ' ')
        p++;
      const char *digits = p;
      while (g_ascii_isdigit (*p))
        p++;
      gboolean numbered = p > digits && p[0] == '.' && p[1] == ' ' && digits > l;
      if (numbered && strtoul (digits, NULL, 10) == options->len + 1)
        {
          current = g_string_new (p + 2);
          g_ptr_array_add (options, current);
          continue;
        }
      if (current != NULL && l[0] == ' ' && *p != '\0' && !numbered)
        {
          g_string_append_c (current, ' ');
          g_string_append (current, p);
          continue;
        }
      current = NULL;
    }
  for (guint i = 0; i < options->len; i++)
    {
      GString *s = g_ptr_array_index (options, i);
      g_ptr_array_index (options, i) = g_string_free (s, FALSE);
    }
  return options;
}

/* The session's options, as labels: FALSE (with a message) when the screen
 * does not show exactly them, in that order. */
static gboolean
same_options_in (const PsimSession *s, const GPtrArray *shown, const char *lang)
{
  guint n = psim_session_get_n_options (s);
  gboolean same = n == shown->len;
  for (guint i = 0; same && i < n; i++)
    {
      g_auto (GStrv) words = g_strsplit (psim_session_get_option_label (s, i, lang), " ", -1);
      g_autoptr (GString) joined = g_string_new (NULL);
      for (guint w = 0; words[w] != NULL; w++)
        if (*words[w] != '\0')
          g_string_append_printf (joined, "%s%s", joined->len > 0 ? " " : "", words[w]);
      same = strcmp (joined->str, g_ptr_array_index (shown, i)) == 0;
    }
  if (!same)
    {
      g_printerr ("\nthe screen shows %u options, the session has %u:\n", shown->len, n);
      for (guint i = 0; i < shown->len; i++)
        g_printerr ("  screen %u. %s\n", i + 1, (const char *) g_ptr_array_index (shown, i));
      for (guint i = 0; i < n; i++)
        g_printerr ("  session %u. %s\n", i + 1, psim_session_get_option_label (s, i, lang));
    }
  return same;
}

static gboolean
same_options (const PsimSession *s, const GPtrArray *shown)
{
  return same_options_in (s, shown, "en");
}

/* Types @answer (Enter included) and feeds it to the mirror session. */
static gboolean
answer_both (Term *t, PsimSession *mirror, const char *answer, const char *as_engine_takes)
{
  g_autofree char *line = g_strconcat (answer, "\r", NULL);
  g_autoptr (GError) error = NULL;
  if (!term_type (t, line))
    return FALSE;
  if (!psim_session_answer (mirror, as_engine_takes, 0, &error))
    {
      g_printerr ("\nthe mirror session refuses \"%s\": %s\n", as_engine_takes, error->message);
      return FALSE;
    }
  return TRUE;
}

/* The number of the option labelled @label on the screen, or 0. */
static guint
number_of (const GPtrArray *shown, const char *label)
{
  for (guint i = 0; i < shown->len; i++)
    if (strcmp (g_ptr_array_index (shown, i), label) == 0)
      return i + 1;
  return 0;
}

/* ---- the runs ------------------------------------------------------------ */

static char **
child_env (const char *term)
{
  char **env = g_get_environ ();
  env = g_environ_setenv (env, "TERM", term, TRUE);
  env = g_environ_unsetenv (env, "NO_COLOR");
  return env;
}

static char **
child_argv (const char *first, ...)
{
  GPtrArray *argv = g_ptr_array_new ();
  g_ptr_array_add (argv, g_strdup (g_getenv ("PROCSIM_EXE")));
  va_list ap;
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, g_strdup (a));
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  return (char **) g_ptr_array_free (argv, FALSE);
}

static char *
record_path (const char *dir, const char *suffix)
{
  g_autofree char *base = g_strconcat (ID, suffix, NULL);
  return g_build_filename (dir, base, NULL);
}

/* Start, a hint, a wrong option, then Ctrl-C. */
static gboolean
first_run (const char *scenario, const char *dir, PsimSession *mirror)
{
  g_auto (GStrv) argv = child_argv ("train", scenario, "--record", dir, "--id", ID, "--seed", "0",
                                    "--lang", "en", NULL);
  g_auto (GStrv) envp = child_env ("xterm");
  Term t;
  gboolean ok = term_start (&t, argv, envp);
  ok = ok && term_expect (&t, "Engine test") && term_expect (&t, "== Briefing ==")
       && term_expect (&t, "Sell a flat.")
       && term_pass_pauses (&t, "Press Enter for the objectives and the rules (q to stop): ",
                            "Press Enter to start (q to stop): ")
       /* the title (and case) again with the first question */
       && term_expect (&t, "Engine test") && term_expect (&t, "Step 1 of 6");

  /* Step 1: the option found by its label. */
  g_autofree char *shown = ok ? term_expect_prompt (&t) : NULL;
  g_autoptr (GPtrArray) options = shown != NULL ? parse_options (shown) : NULL;
  ok = options != NULL && same_options (mirror, options);
  guint k = ok ? number_of (options, FIRST_STEP) : 0;
  if (ok && k == 0)
    {
      term_dump (&t, "no option \"" FIRST_STEP "\"");
      ok = FALSE;
    }
  g_autofree char *typed = g_strdup_printf ("%u", k);
  ok = ok && answer_both (&t, mirror, typed, typed)
       && term_expect (&t, "Right: " FIRST_STEP " (+10)");

  /* Step 2: an answer that is refused (the options are not shown again,
   * nothing is recorded), a hint (h), the hint again (the arrow up brings
   * back the "h"), the case again (c), then the wrong option, by number.
   * The refused answer is typed after arrow keys: up to the "1" of step 1,
   * down to the empty line, right and left, none of which may end up in
   * the answer. */
  g_clear_pointer (&shown, g_free);
  shown = ok ? term_expect_prompt (&t) : NULL;
  ok = shown != NULL && strstr (shown, "Step 2 of 6") != NULL;
  ok = ok && term_type (&t, "\033[A\033[B\033[C\033[D99\r")
       && term_expect (&t, "\"99\" is not one of the options: type a number from 1 to ")
       && term_expect (&t, "> ");
  if (ok && strstr (t.screen->str + t.mark, "What happens next?") != NULL)
    {
      term_dump (&t, "the options were shown again after a refused answer");
      ok = FALSE;
    }
  ok = ok && answer_both (&t, mirror, "h", "hint") && term_expect (&t, "Hint (")
       && term_expect (&t, "The notary prepares everything.");
  g_clear_pointer (&shown, g_free);
  shown = ok ? term_expect_prompt (&t) : NULL;
  ok = shown != NULL && term_type (&t, "\033[A\r")
       && term_expect (&t, "The hint again (no further cost):")
       && term_expect (&t, "The notary prepares everything.");
  g_clear_pointer (&shown, g_free);
  shown = ok ? term_expect_prompt (&t) : NULL;
  ok = shown != NULL && term_type (&t, "c\r") && term_expect (&t, "Engine test")
       && term_expect (&t, "Step 2 of 6");
  g_clear_pointer (&shown, g_free);
  shown = ok ? term_expect_prompt (&t) : NULL;
  g_clear_pointer (&options, g_ptr_array_unref);
  options = shown != NULL ? parse_options (shown) : NULL;
  ok = options != NULL && same_options (mirror, options);
  k = ok ? number_of (options, WRONG_OPTION) : 0;
  if (ok && k == 0)
    {
      term_dump (&t, "no option \"" WRONG_OPTION "\"");
      ok = FALSE;
    }
  g_free (typed);
  typed = g_strdup_printf ("%u", k);
  ok = ok && answer_both (&t, mirror, typed, typed)
       && term_expect (&t, "Wrong: " WRONG_OPTION) && term_expect (&t, "Fees are paid with the taxes.");

  /* Ctrl-C at the next prompt. */
  g_clear_pointer (&shown, g_free);
  shown = ok ? term_expect_prompt (&t) : NULL;
  ok = shown != NULL;
  if (ok)
    term_wait_reading (&t);
  ok = ok && term_type (&t, "\x03")
       && term_expect (&t, "Session saved.") && term_expect (&t, "procsim train --resume " ID)
       && term_finish (&t);
  if (ok && !(WIFEXITED (t.status) && WEXITSTATUS (t.status) == 130))
    {
      g_printerr ("\nafter Ctrl-C: wait status 0x%x, not exit status 130\n", t.status);
      term_dump (&t, "the interrupted run");
      ok = FALSE;
    }
  /* TERM=xterm on a terminal: the trainer uses colours. */
  if (ok && strstr (t.raw->str, "\033[") == NULL)
    {
      g_printerr ("\nno ANSI escape in the output with TERM=xterm\n");
      ok = FALSE;
    }
  ok = ok && screen_fits (&t, 80);
  term_clear (&t);
  return ok;
}

/* The checkpoint holds the answers as the engine took them. */
static gboolean
checkpoint_matches (const char *path, const PsimSession *mirror)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  if (!json_parser_load_from_file (parser, path, &error))
    {
      g_printerr ("\n%s: %s\n", path, error->message);
      return FALSE;
    }
  JsonNode *root = json_parser_get_root (parser);
  JsonObject *o = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonArray *answers = o != NULL && json_object_has_member (o, "answers")
                           ? json_object_get_array_member (o, "answers")
                           : NULL;
  gboolean same = answers != NULL
                  && json_array_get_length (answers) == psim_session_get_n_answers (mirror)
                  && g_strcmp0 (json_object_get_string_member_with_default (o, "session", ""), ID)
                       == 0;
  for (guint i = 0; same && i < json_array_get_length (answers); i++)
    {
      JsonObject *a = json_array_get_object_element (answers, i);
      same = g_strcmp0 (json_object_get_string_member_with_default (a, "input", ""),
                        psim_session_get_answer (mirror, i))
             == 0;
    }
  if (!same)
    g_printerr ("\n%s does not hold the %u answers typed\n", path,
                psim_session_get_n_answers (mirror));
  return same;
}

/* Resume and play right to the end. */
static gboolean
second_run (const char *dir, PsimSession *mirror)
{
  /* The seed comes from the checkpoint: --resume takes no --seed. */
  g_auto (GStrv) argv = child_argv ("train", "--resume", ID, "--record", dir, "--lang", "en",
                                    NULL);
  g_auto (GStrv) envp = child_env ("dumb");
  Term t;
  gboolean ok = term_start (&t, argv, envp);
  g_autofree char *resuming = g_strdup_printf (
    "Resuming session " ID " at step %u of %u.", psim_session_get_step_number (mirror),
    psim_scenario_get_n_path_steps (psim_session_get_scenario (mirror)));
  CU_ASSERT_STRING_EQUAL (resuming, "Resuming session " ID " at step 2 of 6.");
  ok = ok && term_expect (&t, "Engine test")
       && term_expect (&t, "Press Enter for the objectives and the rules (q to stop): ")
       && term_type (&t, "\r") && term_expect (&t, resuming)
       && term_expect (&t, "Press Enter to start (q to stop): ") && term_type (&t, "\r");

  guint turns = 0, numbers = 0;
  while (ok && psim_session_get_prompt (mirror) != PSIM_PROMPT_FINISHED && turns++ < 50)
    {
      g_autofree char *shown = term_expect_prompt (&t);
      g_autoptr (GPtrArray) options = shown != NULL ? parse_options (shown) : NULL;
      ok = options != NULL && same_options (mirror, options);
      g_autofree char *typed = ok ? psim_session_dup_ideal_answer_typed (mirror) : NULL;
      gboolean step = psim_session_get_prompt (mirror) == PSIM_PROMPT_STEP;
      const PsimQuestion *q = psim_session_get_question (mirror);
      if (ok && q != NULL && psim_question_get_kind (q) == PSIM_QUESTION_NUMBER)
        {
          /* An amount as a Vietnamese official writes it: "40.000.000 đ". */
          g_autofree char *amount = psim_format_amount (psim_question_get_answer (q), "vi");
          g_free (typed);
          typed = g_strdup_printf ("%s đ", amount);
          numbers++;
        }
      ok = ok && answer_both (&t, mirror, typed, typed);
      /* Every answer is right, and the trainer says so. */
      ok = ok && term_expect (&t, step ? "Right: " : "Right (+");
    }
  const PsimScore *score = psim_session_get_score (mirror);
  g_autofree char *verdict = g_strdup_printf ("Score %d of %d", score->score, score->max_score);
  if (ok && numbers == 0)
    {
      g_printerr ("\nno number question in the resumed run\n");
      ok = FALSE;
    }
  ok = ok && term_expect (&t, "== Debrief ==") && term_expect (&t, verdict)
       && term_expect (&t, "Records (JSON, xAPI, XES) in ") && term_finish (&t);
  ok = ok && screen_fits (&t, 80);
  if (ok && !(WIFEXITED (t.status) && WEXITSTATUS (t.status) == 0))
    {
      g_printerr ("\nat the end: wait status 0x%x, not exit status 0\n", t.status);
      term_dump (&t, "the resumed run");
      ok = FALSE;
    }
  /* TERM=dumb: no colours. */
  if (ok && strchr (t.raw->str, '\033') != NULL)
    {
      g_printerr ("\nan escape in the output with TERM=dumb\n");
      ok = FALSE;
    }
  term_clear (&t);
  return ok;
}

static void
start_clock (void)
{
  slow = slow_factor ();
  deadline = g_get_monotonic_time () + (gint64) OVERALL_MS * slow * 1000;
}

/* The scenario file @path, loaded as the trainer loads it. (transfer full) */
static PsimScenario *
load_scenario (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PsimLoader) loader = psim_loader_new (&error);
  return loader != NULL ? psim_scenario_load_file (loader, path, NULL, &error) : NULL;
}

static void
remove_dir (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  for (const char *name; d != NULL && (name = g_dir_read_name (d)) != NULL;)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

#define VI_ID "e2e-vi"

/* Types @typed and expects @then; the mirror takes @as_engine_takes
 * unless it is NULL (a command of the trainer's own). */
static gboolean
say (Term *t, PsimSession *mirror, const char *typed, const char *as_engine_takes,
     const char *then)
{
  g_autofree char *shown = term_expect_prompt (t);
  if (shown == NULL)
    return FALSE;
  g_autofree char *line = g_strconcat (typed, "\r", NULL);
  gboolean ok = as_engine_takes != NULL ? answer_both (t, mirror, typed, as_engine_takes)
                                        : term_type (t, line);
  return ok && term_expect (t, then);
}

/* In Vietnamese, from the menu: the briefing in two screens, the case
 * with the first question within 24 lines, the Vietnamese command words
 * (with and without diacritics), then "thoát". Returns the command the
 * trainer printed to resume. (transfer full) */
static char *
vi_first_run (const char *dir, PsimSession *mirror)
{
  g_auto (GStrv) argv = child_argv ("--lang", "vi", "train", "--record", dir, "--id", VI_ID,
                                    "--seed", "0", NULL);
  g_auto (GStrv) envp = child_env ("xterm");
  Term t;
  gboolean ok = term_start (&t, argv, envp) && term_expect (&t, "Chọn kịch bản (1-")
                && term_type (&t, "land-title-digital\r")
                && term_pass_pauses (&t, "Nhấn Enter để xem mục tiêu và cách tính điểm (q để dừng): ",
                                     "Nhấn Enter để bắt đầu (q để dừng): ");
  /* From the last Enter to the prompt: the case and the first question,
   * on one 24-line screen. */
  g_autofree char *first = ok ? term_expect_prompt (&t) : NULL;
  g_autoptr (GPtrArray) options = first != NULL ? parse_options (first) : NULL;
  ok = options != NULL && same_options_in (mirror, options, "vi");
  guint lines = 1;
  for (const char *c = first; c != NULL && *c != '\0'; c++)
    lines += *c == '\n';
  if (ok && (strstr (first, "Tình huống:") == NULL || lines > 24))
    {
      g_printerr ("\nthe first question (%u lines) without the case, or past 24 lines:\n%s\n",
                  lines, first);
      ok = FALSE;
    }
  /* The prompt is already on the screen: type at it. */
  ok = ok && answer_both (&t, mirror, "gợi ý", "hint") && term_expect (&t, "Gợi ý (−")
       && say (&t, mirror, "goi y", NULL, "Nhắc lại gợi ý (không bị trừ thêm điểm):")
       && say (&t, mirror, "c", NULL, "Tình huống:")
       && say (&t, mirror, "bỏ qua", "skip", "Bước đúng là:")
       && say (&t, mirror, "thoát", NULL, "Đã lưu phiên. Để làm tiếp, chạy lệnh:\n")
       && term_finish (&t);
  if (ok && !(WIFEXITED (t.status) && WEXITSTATUS (t.status) == 0))
    {
      g_printerr ("\nafter thoát: wait status 0x%x, not exit status 0\n", t.status);
      ok = FALSE;
    }
  ok = ok && screen_fits (&t, 80);
  char *command = ok ? g_strstrip (g_strdup (t.screen->str + t.mark)) : NULL;
  term_clear (&t);
  return command;
}

/* The printed command, as the trainee pastes it (a shell, the same
 * folder), in an English locale: the session comes back in Vietnamese. */
static gboolean
vi_resume (const char *command, PsimSession *mirror)
{
  char *argv[] = { (char *) "/bin/sh", (char *) "-c", (char *) command, NULL };
  g_auto (GStrv) envp = child_env ("xterm");
  envp = g_environ_setenv (envp, "LANG", "C.UTF-8", TRUE);
  envp = g_environ_unsetenv (envp, "LANGUAGE");
  envp = g_environ_unsetenv (envp, "LC_ALL");
  envp = g_environ_unsetenv (envp, "LC_MESSAGES");
  Term t;
  gboolean ok = term_start (&t, argv, envp)
                && term_pass_pauses (&t, "Nhấn Enter để xem mục tiêu và cách tính điểm (q để dừng): ",
                                     "Nhấn Enter để bắt đầu (q để dừng): ");
  g_autofree char *shown = ok ? term_expect_prompt (&t) : NULL;
  g_autoptr (GPtrArray) options = shown != NULL ? parse_options (shown) : NULL;
  ok = options != NULL && same_options_in (mirror, options, "vi")
       && term_type (&t, "q\r") && term_expect (&t, "Đã lưu phiên.") && term_finish (&t);
  if (ok && !(WIFEXITED (t.status) && WEXITSTATUS (t.status) == 0))
    {
      g_printerr ("\nthe resumed session: wait status 0x%x, not exit status 0\n", t.status);
      ok = FALSE;
    }
  if (ok && strstr (t.screen->str, "Tiếp tục phiên " VI_ID) == NULL)
    {
      term_dump (&t, "the printed command did not resume the session in Vietnamese");
      ok = FALSE;
    }
  term_clear (&t);
  return ok;
}

static void
test_e2e_vietnamese (void)
{
  start_clock ();
  g_autofree char *scenario = g_build_filename (g_getenv ("PSIM_SOURCE_ROOT"), "scenarios",
                                                "land-title-digital.xml", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (PsimScenario) sc = load_scenario (scenario);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  g_autoptr (PsimSession) mirror = psim_session_new (sc, 0);
  g_autofree char *dir = g_dir_make_tmp ("procsim-e2e-XXXXXX", &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (dir);
  g_autofree char *command = vi_first_run (dir, mirror);
  CU_ASSERT_PTR_NOT_NULL (command);
  if (command != NULL)
    CU_ASSERT (vi_resume (command, mirror));
  remove_dir (dir);
}

/* A record folder that cannot be written: said before the first
 * question, exit status 2, in both languages. As root every folder can
 * be written to, except those of /proc. */
static void
test_e2e_record_folder (void)
{
  start_clock ();
  g_autofree char *scenario = psim_test_data ("scenarios/engine.xml");
  g_autoptr (GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("procsim-e2e-XXXXXX", &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (tmp);
  gboolean root = geteuid () == 0;
  const char *dir = root ? "/proc/self/fdinfo" : tmp;
  if (!root)
    CU_ASSERT_EQUAL (g_chmod (tmp, 0500), 0);
  const struct {
    const char *lang, *said;
  } runs[] = {
    { "en", "procsim train: the sessions cannot be kept in " },
    { "vi", "procsim train: không thể lưu phiên vào " },
  };
  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      g_auto (GStrv) argv = child_argv ("--lang", runs[i].lang, "train", scenario, "--record",
                                        dir, NULL);
      g_auto (GStrv) envp = child_env ("xterm");
      Term t;
      gboolean ok = term_start (&t, argv, envp) && term_expect (&t, runs[i].said)
                    && term_expect (&t, dir) && term_finish (&t);
      CU_ASSERT (ok);
      CU_ASSERT (WIFEXITED (t.status) && WEXITSTATUS (t.status) == 2);
      if (ok && strstr (t.screen->str, "==") != NULL)
        {
          term_dump (&t, "the briefing was shown before the record folder was checked");
          CU_FAIL ("briefing shown");
        }
      term_clear (&t);
    }
  g_chmod (tmp, 0700);
  remove_dir (tmp);
}

/* The width: the terminal's (TIOCGWINSZ) over COLUMNS, COLUMNS when the
 * output is not a terminal. */
static void
test_e2e_width (void)
{
  start_clock ();
  g_autofree char *scenario = psim_test_data ("scenarios/engine.xml");
  const char *langs[] = { "en", "vi" };
  for (guint i = 0; i < G_N_ELEMENTS (langs); i++)
    {
      /* A 120-column terminal, COLUMNS saying 60: 120 it is. */
      g_auto (GStrv) argv = child_argv ("--lang", langs[i], "train", scenario, "--demo", NULL);
      g_auto (GStrv) envp = child_env ("dumb");
      envp = g_environ_setenv (envp, "COLUMNS", "60", TRUE);
      Term t;
      gboolean ok = term_start_sized (&t, argv, envp, 120) && term_finish (&t);
      CU_ASSERT (ok);
      glong wide = widest_line (t.screen->str, NULL);
      CU_ASSERT (ok && wide > 80 && wide <= 120);
      term_clear (&t);

      /* Not a terminal: COLUMNS. */
      g_auto (GStrv) plain_env = g_environ_setenv (g_get_environ (), "COLUMNS", "100", TRUE);
      g_autofree char *out = NULL;
      int wait = 0;
      CU_ASSERT (g_spawn_sync (NULL, argv, plain_env, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                               NULL, &wait, NULL));
      CU_ASSERT (g_spawn_check_wait_status (wait, NULL));
      wide = out != NULL ? widest_line (out, NULL) : 0;
      CU_ASSERT (wide > 80 && wide <= 100);
    }
}

static void
test_e2e_interrupt_resume (void)
{
  start_clock ();
  CU_ASSERT_PTR_NOT_NULL_FATAL (g_getenv ("PROCSIM_EXE"));

  g_autofree char *scenario = psim_test_data ("scenarios/engine.xml");
  g_autoptr (GError) error = NULL;
  g_autoptr (PsimScenario) sc = load_scenario (scenario);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  g_autoptr (PsimSession) mirror = psim_session_new (sc, 0);
  g_autofree char *dir = g_dir_make_tmp ("procsim-e2e-XXXXXX", &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (dir);
  g_autofree char *checkpoint = record_path (dir, ".checkpoint.json");
  g_autofree char *json = record_path (dir, ".json");
  g_autofree char *xes = record_path (dir, ".xes");
  g_autofree char *xapi = record_path (dir, ".xapi.json");

  /* Each stage runs only if the one before passed: one failure, one report. */
  gboolean interrupted = first_run (scenario, dir, mirror);
  CU_ASSERT (interrupted);
  gboolean saved = interrupted && g_file_test (checkpoint, G_FILE_TEST_IS_REGULAR);
  CU_ASSERT (!interrupted || saved);
  gboolean same = saved && checkpoint_matches (checkpoint, mirror);
  CU_ASSERT (!saved || same);
  gboolean finished = same && second_run (dir, mirror);
  CU_ASSERT (!same || finished);
  if (finished)
    {
      CU_ASSERT (psim_session_get_prompt (mirror) == PSIM_PROMPT_FINISHED);
      CU_ASSERT (!g_file_test (checkpoint, G_FILE_TEST_EXISTS));
      CU_ASSERT (g_file_test (xes, G_FILE_TEST_IS_REGULAR));
      CU_ASSERT (g_file_test (xapi, G_FILE_TEST_IS_REGULAR));
      g_autoptr (JsonParser) parser = json_parser_new ();
      CU_ASSERT_FATAL (json_parser_load_from_file (parser, json, NULL));
      JsonNode *root = json_parser_get_root (parser);
      CU_ASSERT_FATAL (JSON_NODE_HOLDS_OBJECT (root));
      JsonObject *o = json_node_get_object (root);
      CU_ASSERT (json_object_get_boolean_member_with_default (o, "finished", FALSE));
      CU_ASSERT_STRING_EQUAL (json_object_get_string_member_with_default (o, "session", ""), ID);
    }
  remove_dir (dir);
}

int
main (void)
{
  /* A child that dies leaves writes to its terminal failing, not fatal. */
  signal (SIGPIPE, SIG_IGN);
  signal (SIGTERM, on_term);
  signal (SIGINT, on_term);
  static const PsimTest tests[] = {
    { "interactive trainer: interrupt, resume, finish", test_e2e_interrupt_resume },
    { "in Vietnamese: the case, command words, resumed as printed", test_e2e_vietnamese },
    { "a record folder that cannot be written", test_e2e_record_folder },
    { "the width of the terminal, else COLUMNS", test_e2e_width },
    { NULL, NULL },
  };
  return psim_test_run ("e2e", tests);
}
