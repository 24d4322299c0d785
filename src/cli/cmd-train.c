/* cmd-train.c — `procsim train`: the terminal trainer.
 *
 * One loop serves the three ways to run a scenario: interactive (answers
 * typed at the prompt), scripted (--answers FILE, one answer per line) and
 * demo (--demo, the ideal answers with their explanations). The session is
 * checkpointed before the first question (which also checks that the
 * record folder can be written) and after every answer; at the end the
 * records are written and the checkpoint removed. Ctrl-C and the end of
 * input leave the checkpoint for `procsim train --resume`. The keyboard is
 * read through train-input.c (line editing, the command words), the
 * screens are train-ui.c's.
 */
#include "cli.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "train-input.h"
#include "train-ui.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FILE, fclose)

typedef struct {
  char *answers;
  gboolean demo;
  gboolean resume;
  char *record;
  char *seed;
  char *name;
  char *id;
} TrainOptions;

static volatile sig_atomic_t interrupted = 0;

static void
on_sigint (int sig)
{
  (void) sig;
  interrupted = 1;
}

/* Ctrl-C interrupts the read in progress (no SA_RESTART), so that the
 * session can be saved and the trainer can say so. */
static void
catch_sigint (void)
{
  struct sigaction sa;
  memset (&sa, 0, sizeof sa);
  sa.sa_handler = on_sigint;
  sigemptyset (&sa.sa_mask);
  sigaction (SIGINT, &sa, NULL);
}

/* The bundled scenarios, loaded once, by id; their findings into @diags.
 * NULL after saying why. (transfer full) */
static PsimCatalogue *
bundled_catalogue (const CliEnv *env, const char *lang, GPtrArray *diags)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PsimCatalogue) cat = psim_catalogue_new (lang, &error);
  if (cat == NULL)
    {
      g_printerr ("procsim: %s\n", error->message);
      return NULL;
    }
  /* No bundled folder is an empty catalogue: the menu says so. */
  psim_catalogue_add_dir (cat, env->scenarios_dir, diags, NULL);
  return g_steal_pointer (&cat);
}

/* An argument that names a file rather than a bundled id. */
static gboolean
names_file (const char *arg)
{
  return g_file_test (arg, G_FILE_TEST_EXISTS) || strchr (arg, '/') != NULL
         || g_str_has_suffix (arg, ".xml");
}

/* The scenario @arg names: a file, else a bundled scenario's id; NULL,
 * after saying why, when it is neither or does not load. (transfer full) */
static PsimScenario *
resolve_scenario (const char *arg, PsimLoader *loader, const CliEnv *env, const char *lang)
{
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  if (names_file (arg))
    {
      PsimScenario *sc = psim_scenario_load_file (loader, arg, diags, NULL);
      cli_print_diagnostics (diags, lang);
      return sc;
    }
  g_autoptr (PsimCatalogue) cat = bundled_catalogue (env, lang, diags);
  PsimScenario *sc = cat != NULL ? psim_catalogue_get_scenario (cat, arg) : NULL;
  if (sc != NULL)
    return psim_scenario_ref (sc);
  cli_print_diagnostics (diags, lang);
  g_printerr (_("procsim train: '%s' is neither a file nor a bundled scenario (procsim train "
                "without an argument lists them)\n"),
              arg);
  return NULL;
}

/* The menu of bundled scenarios; the chosen one, or NULL (the trainee
 * quit: *status 0; no scenarios: 2). (transfer full) */
static PsimScenario *
choose_scenario (const CliEnv *env, const TrainUi *ui, TrainInput *input, int *status)
{
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  g_autoptr (PsimCatalogue) cat = bundled_catalogue (env, ui->lang, diags);
  *status = CLI_EXIT_INVALID;
  if (cat == NULL)
    return NULL;
  cli_print_diagnostics (diags, ui->lang);
  g_autoptr (GPtrArray) list = psim_catalogue_list_scenarios (cat);
  *status = CLI_EXIT_OK;
  if (list->len == 0)
    {
      g_printerr (_("procsim train: no bundled scenarios in %s\n"), env->scenarios_dir);
      *status = CLI_EXIT_INVALID;
      return NULL;
    }
  fprintf (ui->out, "%s\n", _("Bundled training scenarios:"));
  for (guint i = 0; i < list->len; i++)
    {
      const PsimScenario *sc = g_ptr_array_index (list, i);
      g_autofree char *item = g_strdup_printf ("%u. %s (%s)", i + 1,
                                               psim_scenario_get_title (sc, ui->lang),
                                               psim_scenario_get_id (sc));
      train_ui_para (ui, 2, item);
    }
  for (;;)
    {
      g_autofree char *ask = g_strdup_printf (_("Choose a scenario (1-%u, q to quit): "),
                                              list->len);
      g_autofree char *line = interrupted ? NULL : train_input_read (input, ask);
      if (line == NULL || interrupted)
        {
          fputc ('\n', ui->out);
          *status = interrupted ? 130 : CLI_EXIT_OK;
          return NULL;
        }
      if (train_input_word (line) == TRAIN_WORD_QUIT)
        return NULL;
      char *end = NULL;
      guint64 k = g_ascii_strtoull (line, &end, 10);
      if (end != line && *end == '\0' && k >= 1 && k <= list->len)
        return psim_scenario_ref (g_ptr_array_index (list, k - 1));
      PsimScenario *sc = psim_catalogue_get_scenario (cat, line);
      if (sc != NULL)
        return psim_scenario_ref (sc);
      fprintf (ui->out, _("\"%s\" is not one of the scenarios.\n"), line);
    }
}

/* TRUE when @store keeps (or cannot tell whether it keeps) a session @id. */
static gboolean
id_taken (PsimStore *store, const char *id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PsimStoreEntry) e = psim_store_get_entry (store, id, &error);
  return e != NULL || !g_error_matches (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_NOT_FOUND);
}

/* "20261123T101500Z-land-title-digital", unique in @store. (transfer full) */
static char *
new_session_id (PsimStore *store, const PsimScenario *sc, gint64 now)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);
  g_autofree char *stamp = g_date_time_format (t, "%Y%m%dT%H%M%SZ");
  char *id = g_strdup_printf ("%s-%s", stamp, psim_scenario_get_id (sc));
  for (guint n = 2; n < 1000; n++)
    {
      if (!id_taken (store, id))
        break;
      g_free (id);
      id = g_strdup_printf ("%s-%s-%u", stamp, psim_scenario_get_id (sc), n);
    }
  return id;
}

/* Takes the lock of session @id in @store (in @record_dir); FALSE after
 * saying why. */
static gboolean
lock_session (PsimStore *store, const char *id, const char *record_dir)
{
  g_autoptr (GError) error = NULL;
  if (psim_store_lock (store, id, &error))
    return TRUE;
  if (g_error_matches (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_BUSY))
    g_printerr (_("procsim train: session '%s' is open in another procsim train; only one can "
                  "run it at a time\n"),
                id);
  else
    g_printerr (_("procsim train: the sessions cannot be kept in %s: %s\n"), record_dir,
                error->message);
  return FALSE;
}

typedef enum { FEED_INTERACTIVE, FEED_SCRIPT, FEED_DEMO } Feed;

/* Where a session in progress is kept, and what the trainee is told. */
typedef struct {
  PsimStore *store;       /* NULL for a demo */
  const char *checkpoint; /* its checkpoint file, for messages */
  const char *resume;     /* the command that resumes it */
} Keep;

typedef enum {
  ANSWER_TAKEN,
  ANSWER_REFUSED,   /* the session refused it: nothing changed */
  ANSWER_NOT_SAVED, /* taken, but the checkpoint could not be written */
} AnswerResult;

/* Gives @answer to @s and keeps the session. A refused answer sets @error
 * (a PSIM_SESSION_ERROR). An answer the session took but the store could
 * not keep (a full disk, a folder gone) is said on stderr: the checkpoint
 * is the one before it, and playing on would only pile up answers that no
 * checkpoint holds. */
static AnswerResult
answer_and_save (PsimSession *s, const char *answer, gint64 ms, Keep *keep, GError **error)
{
  if (keep->store == NULL)
    return psim_session_answer (s, answer, ms, error) ? ANSWER_TAKEN : ANSWER_REFUSED;
  g_autoptr (GError) local = NULL;
  if (psim_store_answer (keep->store, s, answer, ms, &local))
    return ANSWER_TAKEN;
  if (local->domain == PSIM_SESSION_ERROR)
    {
      /* Refused: nothing changed, the last save stands. */
      g_propagate_error (error, g_steal_pointer (&local));
      return ANSWER_REFUSED;
    }
  g_printerr (_("procsim train: cannot save the session: %s\n"), local->message);
  g_printerr (_("procsim train: the session stops here. %s holds it up to the answer before "
                "this one; once the folder can be written again, continue it with:\n%s\n"),
              keep->checkpoint, keep->resume);
  return ANSWER_NOT_SAVED;
}

/* The trainee stops: say how to go on. */
static void
stopped (const Keep *keep, const TrainUi *ui)
{
  if (keep->store != NULL)
    fprintf (ui->out, _("Session saved. Continue it with:\n%s\n"), keep->resume);
}

/* The event of the hint taken at the current point, if one was: asking
 * again shows it again (the engine would say there is no hint left). */
static gboolean
hint_taken_here (const PsimSession *s, guint *event)
{
  if (psim_session_get_prompt (s) != PSIM_PROMPT_STEP)
    return FALSE;
  for (guint i = psim_session_get_n_events (s); i-- > 0;)
    {
      PsimEventKind kind = psim_session_get_event (s, i)->kind;
      if (kind == PSIM_EVENT_HINT)
        {
          *event = i;
          return TRUE;
        }
      /* A step done or revealed, or a question: the point has moved on. */
      if (kind == PSIM_EVENT_STEP || kind == PSIM_EVENT_SKIPPED || kind == PSIM_EVENT_RIGHT
          || kind == PSIM_EVENT_MISSED)
        return FALSE;
    }
  return FALSE;
}

/* Interactive: waits for Enter, so that what is on the screen is read
 * before more comes. FALSE when the trainee stops there (q, the end of
 * input, Ctrl-C), with *status set. */
static gboolean
wait_enter (TrainInput *input, const TrainUi *ui, const char *prompt, int *status)
{
  g_autofree char *line = interrupted ? NULL : train_input_read (input, prompt);
  if (line == NULL || interrupted)
    {
      fputc ('\n', ui->out);
      *status = interrupted ? 130 : CLI_EXIT_OK;
      return FALSE;
    }
  *status = CLI_EXIT_OK;
  return train_input_word (line) != TRAIN_WORD_QUIT;
}

/* Runs the loop until the end (TRUE) or until input stops (FALSE, with
 * *status set). The session is saved after every answer taken. */
static gboolean
run (PsimSession *s, Feed feed, FILE *script, const char *script_name, TrainInput *input,
     Keep *keep, const TrainUi *ui, int *status)
{
  guint script_line = 0;
  gboolean show = TRUE; /* FALSE after an answer that was refused: ask again */
  gint64 t0 = g_get_monotonic_time ();
  while (psim_session_get_prompt (s) != PSIM_PROMPT_FINISHED)
    {
      if (show)
        train_ui_prompt (ui, s);
      show = TRUE;
      g_autofree char *answer = NULL;
      if (feed == FEED_DEMO)
        {
          if (interrupted)
            {
              *status = 130;
              return FALSE;
            }
          train_ui_explain (ui, s);
          answer = psim_session_dup_ideal_answer (s);
          fprintf (ui->out, "> %s\n", answer);
        }
      else if (feed == FEED_SCRIPT)
        {
          for (;;)
            {
              g_free (answer);
              answer = interrupted ? NULL : train_input_read_line (script);
              script_line++;
              if (answer == NULL || (*g_strstrip (answer) != '\0' && answer[0] != '#'))
                break;
            }
          if (answer == NULL)
            {
              if (interrupted)
                {
                  stopped (keep, ui);
                  *status = 130;
                  return FALSE;
                }
              if (!feof (script) && !ferror (script))
                {
                  /* The line had no end (see train_input_read_line). */
                  g_printerr ("%s:%u: ", script_name, script_line);
                  g_printerr (_("the answer is longer than %u bytes"),
                              PSIM_SESSION_MAX_ANSWER_BYTES);
                  g_printerr ("\n");
                  *status = CLI_EXIT_INVALID;
                  return FALSE;
                }
              g_printerr (_("%s: the answers end before the session does; it is saved as %s\n"),
                          script_name, keep->checkpoint != NULL ? keep->checkpoint : "-");
              *status = CLI_EXIT_INVALID;
              return FALSE;
            }
          fprintf (ui->out, "> %s\n", answer);
          g_autofree char *clean = train_input_clean (answer);
          g_free (answer);
          answer = g_steal_pointer (&clean);
        }
      else
        {
          /* A Ctrl-C while the screen was printed or saved counts too. */
          answer = interrupted ? NULL : train_input_read (input, "> ");
          if (answer == NULL || interrupted)
            {
              fputc ('\n', ui->out);
              stopped (keep, ui);
              *status = interrupted ? 130 : CLI_EXIT_OK;
              return FALSE;
            }
        }
      /* The keyboard's commands, in scripts as at the prompt. */
      switch (train_input_word (answer))
        {
        case TRAIN_WORD_QUIT:
          stopped (keep, ui);
          *status = CLI_EXIT_OK;
          return FALSE;
        case TRAIN_WORD_HELP:
          train_ui_para (ui, 0, _("Type an option's number; h or hint for a hint, s or skip to "
                                  "skip, c or case to see the case and the question again, q or "
                                  "quit to save and stop."));
          show = FALSE;
          continue;
        case TRAIN_WORD_CASE:
          train_ui_case (ui, s);
          continue;
        case TRAIN_WORD_HINT:
          {
            guint event = 0;
            if (psim_session_get_hint (s, ui->lang, NULL) == NULL && hint_taken_here (s, &event))
              {
                train_ui_hint_again (ui, s, event);
                continue;
              }
            g_free (answer);
            answer = g_strdup ("hint");
            break;
          }
        case TRAIN_WORD_SKIP:
          g_free (answer);
          answer = g_strdup ("skip");
          break;
        case TRAIN_WORD_NONE:
        default:
          break;
        }
      /* The time since the prompt was shown, refused answers included. */
      gint64 ms = feed == FEED_INTERACTIVE ? (g_get_monotonic_time () - t0) / 1000 : 0;
      guint first = psim_session_get_n_events (s);
      g_autoptr (GError) error = NULL;
      AnswerResult result = answer_and_save (s, answer, ms, keep, &error);
      if (result == ANSWER_NOT_SAVED)
        {
          *status = CLI_EXIT_INVALID;
          return FALSE;
        }
      if (result == ANSWER_REFUSED)
        {
          if (feed == FEED_SCRIPT)
            {
              g_printerr ("%s:%u: %s\n", script_name, script_line, error->message);
              *status = CLI_EXIT_INVALID;
              return FALSE;
            }
          fprintf (ui->out, "%s\n", error->message);
          show = FALSE;
          continue;
        }
      t0 = g_get_monotonic_time ();
      train_ui_feedback (ui, s, first);
    }
  return TRUE;
}

/* @word as the shell reads it back: as it is when it needs no quotes. */
static char *
shell_word (const char *word)
{
  gboolean plain = *word != '\0';
  for (const char *c = word; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c) && strchr ("/._-+,:=@%", *c) == NULL)
      plain = FALSE;
  return plain ? g_strdup (word) : g_shell_quote (word);
}

/* This program as the trainee types it where they are (the current
 * folder): "procsim" when that is what PATH finds, else its path,
 * relative when it is below the current folder ("./build/src/cli/procsim"
 * after ./setup.sh), absolute otherwise. (transfer full) */
static char *
self_command (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe == NULL)
    return g_strdup ("procsim");
  g_autofree char *on_path = g_find_program_in_path ("procsim");
  char *real = on_path != NULL ? realpath (on_path, NULL) : NULL;
  gboolean same = real != NULL && strcmp (real, exe) == 0;
  free (real);
  if (same)
    return g_strdup ("procsim");
  g_autofree char *cwd = g_get_current_dir ();
  gsize n = strlen (cwd);
  if (n > 1 && strncmp (exe, cwd, n) == 0 && exe[n] == '/')
    {
      g_autofree char *relative = g_strconcat (".", exe + n, NULL);
      return shell_word (relative);
    }
  return shell_word (exe);
}

/* "  ./build/src/cli/procsim train --resume ID [--record DIR]", or with
 * the checkpoint file instead of the id; broken with a backslash where it
 * would pass @width, so that it can still be pasted. (transfer full) */
static char *
resume_command (const char *checkpoint_file, const char *id, const char *record_dir, guint width)
{
  g_autoptr (GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (words, self_command ());
  g_ptr_array_add (words, g_strdup ("train"));
  g_ptr_array_add (words, g_strdup ("--resume"));
  g_ptr_array_add (words, shell_word (checkpoint_file != NULL ? checkpoint_file : id));
  if (record_dir != NULL)
    {
      g_ptr_array_add (words, g_strdup ("--record"));
      g_ptr_array_add (words, shell_word (record_dir));
    }
  GString *out = g_string_new ("  ");
  glong col = 2;
  for (guint i = 0; i < words->len; i++)
    {
      const char *w = g_ptr_array_index (words, i);
      glong len = g_utf8_strlen (w, -1);
      if (i > 0 && col + 1 + len + 2 > (glong) width)
        {
          g_string_append (out, " \\\n    ");
          col = 4;
        }
      else if (i > 0)
        {
          g_string_append_c (out, ' ');
          col++;
        }
      g_string_append (out, w);
      col += len;
    }
  return g_string_free (out, FALSE);
}

/* The scenario of checkpoint @json, restored into a session: the bundled
 * scenario of its id, else the file it names (a scenario in no catalogue,
 * or a bundled one changed since). NULL after saying why. (transfer full) */
static PsimSession *
restore (const char *json, const char *checkpoint, PsimLoader *loader, const CliEnv *env,
         const char *lang)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = psim_checkpoint_dup_scenario_id (json, lang, &error);
  if (id == NULL)
    {
      g_printerr ("%s: %s\n", checkpoint, error->message);
      return NULL;
    }
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  g_autoptr (PsimCatalogue) cat = bundled_catalogue (env, lang, diags);
  PsimScenario *bundled = cat != NULL ? psim_catalogue_get_scenario (cat, id) : NULL;
  PsimSession *s = bundled != NULL ? psim_session_new_from_checkpoint (bundled, json, lang, &error)
                                   : NULL;
  if (s != NULL)
    return s;
  g_autofree char *file = psim_checkpoint_dup_scenario_file (json, lang, NULL);
  g_autofree char *bundled_file = bundled != NULL
                                      ? g_canonicalize_filename (psim_scenario_get_file (bundled),
                                                                 NULL)
                                      : NULL;
  /* The bundled scenario's answer stands unless the checkpoint names
   * another file that is there. */
  if (file == NULL || g_strcmp0 (file, bundled_file) == 0
      || (error != NULL && !g_file_test (file, G_FILE_TEST_EXISTS)))
    {
      if (error == NULL)
        {
          cli_print_diagnostics (diags, lang);
          g_printerr (_("%s: scenario '%s' is not among the bundled scenarios\n"), checkpoint, id);
        }
      else
        g_printerr ("%s: %s\n", checkpoint, error->message);
      return NULL;
    }
  g_clear_error (&error);
  g_autoptr (GPtrArray) file_diags = psim_diagnostics_new ();
  g_autoptr (PsimScenario) sc = psim_scenario_load_file (loader, file, file_diags, NULL);
  cli_print_diagnostics (file_diags, lang);
  if (sc == NULL)
    return NULL;
  s = psim_session_new_from_checkpoint (sc, json, lang, &error);
  if (s == NULL)
    g_printerr ("%s: %s\n", checkpoint, error->message);
  return s;
}

/* The session to resume from @store: @named (an id, or with @by_file the
 * checkpoint file the store holds), else the newest unfinished one;
 * locked, so that no other trainer runs it at the same time. Its language
 * becomes *lang unless --lang was given. NULL after saying why. (transfer
 * full) */
static PsimSession *
resume_session (PsimStore *store, const char *named, gboolean by_file, const char *record_dir,
                PsimLoader *loader, const CliEnv *env, const char **lang, int *status)
{
  *status = CLI_EXIT_INVALID;
  g_autofree char *id = g_strdup (named);
  if (id == NULL)
    {
      g_autoptr (GPtrArray) kept = psim_store_list (store, NULL, NULL);
      for (guint i = 0; kept != NULL && i < kept->len && id == NULL; i++)
        {
          const PsimStoreEntry *e = g_ptr_array_index (kept, i);
          if (!e->finished)
            id = g_strdup (e->id);
        }
      if (id == NULL)
        {
          g_printerr (_("procsim train: no saved session in %s\n"), record_dir);
          return NULL;
        }
    }
  g_autofree char *checkpoint = psim_store_folder_dup_checkpoint_file (store, id);
  g_autoptr (GError) error = NULL;
  /* Whether there is a session at all, before its lock is taken; the
   * checkpoint read once the lock is held is the one that counts. */
  g_autofree char *json = psim_store_load (store, id, &error);
  if (json != NULL && lock_session (store, id, record_dir))
    {
      g_free (json);
      json = psim_store_load (store, id, &error);
    }
  else if (json != NULL)
    return NULL;
  if (json == NULL)
    {
      if (g_error_matches (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_NOT_FOUND))
        g_printerr (_("procsim train: no saved session '%s' in %s\n"), id, record_dir);
      else
        g_printerr ("%s: %s\n", checkpoint, error->message);
      return NULL;
    }
  /* A resumed session speaks the language it was started in, unless
   * --lang says otherwise. */
  g_autofree char *saved = env->lang_given ? NULL : psim_checkpoint_dup_language (json);
  if (saved != NULL && strcmp (saved, *lang) != 0)
    {
      *lang = psim_lang_normalize (saved);
      cli_use_language (*lang);
      psim_loader_set_language (loader, *lang);
    }
  g_autoptr (PsimSession) s = restore (json, checkpoint, loader, env, *lang);
  if (s == NULL)
    return NULL;
  const char *sid = psim_session_get_id (s);
  if (sid == NULL || !psim_store_folder_id_is_valid (sid)
      || (!by_file && strcmp (sid, id) != 0))
    {
      /* The id names the records: it must stay in their folder. */
      g_printerr (_("%s: the checkpoint has no valid session id\n"), checkpoint);
      return NULL;
    }
  if (g_mkdir_with_parents (record_dir, 0700) != 0)
    {
      g_printerr (_("procsim train: cannot create %s: %s\n"), record_dir, g_strerror (errno));
      return NULL;
    }
  *status = CLI_EXIT_OK;
  return g_steal_pointer (&s);
}

static int
train (const TrainOptions *opts, guint64 seed, int argc, char **argv, const CliEnv *env)
{
  TrainOptions o = *opts;
  int status = CLI_EXIT_OK;
  /* The language: --lang's, the locale's, or a resumed session's. */
  const char *lang = env->lang;
  TrainUi ui;
  train_ui_init (&ui, lang, stdout);
  g_autoptr (TrainInput) input = train_input_new (stdin, stdout);
  /* From here on Ctrl-C stops the trainer through the loop, which puts
   * the terminal back and saves what there is to save. */
  catch_sigint ();
  g_autofree char *record_dir = o.record != NULL ? g_strdup (o.record)
                                : g_build_filename (g_get_user_data_dir (), "procsim",
                                                    "sessions", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (PsimLoader) loader = psim_loader_new (&error);
  if (loader == NULL)
    {
      g_printerr ("procsim: %s\n", error->message);
      return CLI_EXIT_INVALID;
    }
  psim_loader_set_language (loader, lang);

  g_autoptr (FILE) script = NULL;
  if (o.answers != NULL)
    {
      script = g_fopen (o.answers, "r");
      if (script == NULL)
        {
          g_printerr (_("%s: cannot open the file: %s\n"), o.answers, g_strerror (errno));
          return CLI_EXIT_INVALID;
        }
    }

  g_autoptr (PsimSession) s = NULL;
  g_autoptr (PsimScenario) sc = NULL;
  g_autoptr (PsimStore) store = NULL;
  gboolean by_file = FALSE; /* resumed from a checkpoint file named */
  if (o.resume)
    {
      /* A checkpoint file as given, else a session id in the record
       * directory, else the newest there. A checkpoint file given by name
       * is where the session goes on being saved, and its folder keeps the
       * records unless --record says otherwise. */
      by_file = argc == 2 && g_file_test (argv[1], G_FILE_TEST_IS_REGULAR);
      if (by_file && o.record == NULL)
        {
          g_free (record_dir);
          record_dir = g_path_get_dirname (argv[1]);
        }
      else if (!by_file && argc == 2 && !psim_store_folder_id_is_valid (argv[1]))
        {
          g_printerr (_("procsim train: '%s' is neither a checkpoint file nor a session id\n"),
                      argv[1]);
          return CLI_EXIT_INVALID;
        }
      store = psim_store_new_folder (record_dir, by_file ? argv[1] : NULL, lang);
      s = resume_session (store, argc == 2 ? argv[1] : NULL, by_file, record_dir, loader, env,
                          &lang, &status);
      if (s == NULL)
        return status;
      ui.lang = lang;
      sc = psim_scenario_ref ((PsimScenario *) psim_session_get_scenario (s));
    }
  else
    {
      if (argc == 2)
        sc = resolve_scenario (argv[1], loader, env, lang);
      else if ((sc = choose_scenario (env, &ui, input, &status)) == NULL)
        return status;
      if (sc == NULL)
        return CLI_EXIT_INVALID;
      gint64 now = g_get_real_time ();
      /* Six digits are enough to vary the order and easy to note. */
      if (o.seed == NULL && !o.demo && o.answers == NULL)
        seed = (guint64) (now / 1000) % 1000000;
      s = psim_session_new (sc, seed);
      psim_session_set_language (s, lang);
      g_autofree char *id = NULL;
      /* A demo is nobody's session: no id, no files. */
      if (!o.demo)
        {
          if (g_mkdir_with_parents (record_dir, 0700) != 0)
            {
              g_printerr (_("procsim train: cannot create %s: %s\n"), record_dir,
                          g_strerror (errno));
              return CLI_EXIT_INVALID;
            }
          store = psim_store_new_folder (record_dir, NULL, lang);
          id = o.id != NULL ? g_strdup (o.id) : new_session_id (store, sc, now);
          if (o.id != NULL && id_taken (store, o.id))
            {
              g_printerr (_("procsim train: a session '%s' is already in %s; choose another "
                            "--id, or continue it with --resume\n"),
                          o.id, record_dir);
              return CLI_EXIT_INVALID;
            }
          if (!lock_session (store, id, record_dir))
            return CLI_EXIT_INVALID;
        }
      psim_session_set_identity (s, id, o.name != NULL ? o.name : g_get_user_name (), now);
    }

  Feed feed = o.demo ? FEED_DEMO : script != NULL ? FEED_SCRIPT : FEED_INTERACTIVE;
  g_autofree char *checkpoint = store != NULL ? psim_store_folder_dup_checkpoint_file (
                                                    store, psim_session_get_id (s))
                                              : NULL;
  /* A replay from a file is no trainee's attempt: the report keeps it
   * apart, also when it finishes a session begun at the keyboard. */
  if (feed == FEED_SCRIPT)
    psim_session_set_scripted (s, TRUE);
  /* The command that resumes this session, as the trainee would type it
   * where they are: by its file when it was resumed by its file, else by
   * its id. */
  g_autofree char *resume = o.demo ? NULL
                            : resume_command (by_file ? checkpoint : NULL, psim_session_get_id (s),
                                              o.record != NULL && !by_file ? record_dir : NULL,
                                              train_ui_width (&ui));
  Keep keep = { .store = store, .checkpoint = checkpoint, .resume = resume };
  /* The first save, before anything is asked: a record folder that cannot
   * be written is found now, not after the trainee's last answer. A
   * resumed session is saved already. */
  if (store != NULL && !o.resume && !psim_store_create (store, s, &error))
    {
      g_printerr (_("procsim train: the sessions cannot be kept in %s: %s\n"), record_dir,
                  error->message);
      return CLI_EXIT_INVALID;
    }

  train_ui_briefing (&ui, s);
  if (feed == FEED_INTERACTIVE
      && !wait_enter (input, &ui, _("Press Enter for the objectives and the rules (q to stop): "),
                      &status))
    {
      stopped (&keep, &ui);
      return status;
    }
  train_ui_rules (&ui, s);
  if (o.resume)
    fprintf (ui.out, _("\nResuming session %s at step %u of %u.\n"), psim_session_get_id (s),
             psim_session_get_step_number (s), psim_scenario_get_n_path_steps (sc));
  else
    {
      /* The seed as text: gettext cannot see through G_GUINT64_FORMAT. */
      g_autofree char *seed_text = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                                    psim_session_get_seed (s));
      if (o.demo)
        fprintf (ui.out, _("\nThe ideal run, with the reasons (seed %s).\n"), seed_text);
      else
        fprintf (ui.out, _("\nSession %s, seed %s.\n"), psim_session_get_id (s), seed_text);
    }
  if (feed == FEED_INTERACTIVE
      && !wait_enter (input, &ui, _("Press Enter to start (q to stop): "), &status))
    {
      stopped (&keep, &ui);
      return status;
    }
  /* The briefing has scrolled away on a small screen: the case again,
   * with the first question. */
  train_ui_case (&ui, s);
  if (!run (s, feed, script, o.answers, input, &keep, &ui, &status))
    return status;
  train_ui_debrief (&ui, s);
  if (store != NULL)
    {
      /* The store removes the checkpoint only once the records are safe. */
      if (!psim_store_write_records (store, s, lang, &error))
        {
          g_printerr (_("procsim train: cannot write the records: %s\n"), error->message);
          status = CLI_EXIT_INVALID;
        }
      else
        {
          /* The folder and the files on lines of their own: a long folder
           * name does not push the file names off the terminal. */
          fprintf (ui.out, _("\nRecords (JSON, xAPI, XES) in %s:\n"), record_dir);
          fprintf (ui.out, "  %s.json, .xapi.json, .xes\n", psim_session_get_id (s));
        }
    }
  return status;
}

int
cli_train (int argc, char **argv, const CliEnv *env)
{
  TrainOptions o = { 0 };
  const GOptionEntry entries[] = {
    { "answers", 'a', 0, G_OPTION_ARG_FILENAME, &o.answers,
      N_("Take the answers from FILE, one per line, instead of the keyboard"), N_("FILE") },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &o.demo,
      N_("Play the ideal run, with the reason each wrong option is wrong"), NULL },
    { "resume", 'r', 0, G_OPTION_ARG_NONE, &o.resume,
      N_("Continue a saved session: the one named, else the newest"), NULL },
    { "record", 0, 0, G_OPTION_ARG_FILENAME, &o.record,
      N_("Keep sessions and records in DIR (default: ~/.local/share/procsim/sessions)"),
      N_("DIR") },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &o.seed,
      N_("Order the options with seed N (default: from the clock; 0 with --answers and --demo)"),
      N_("N") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &o.name,
      N_("The trainee's name in the records (default: the user's)"), N_("NAME") },
    { "id", 0, 0, G_OPTION_ARG_STRING, &o.id,
      N_("Name the session ID (default: the time and the scenario)"), N_("ID") },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = cli_context_new (
    _("[SCENARIO | SESSION]"),
    _("Rehearse a procedure: a training scenario played step by step, scored, with feedback "
      "and a debrief against the old path. SCENARIO is a file or the id of a bundled "
      "scenario; without it, a menu of the bundled ones. Every answer is saved; Ctrl-C or "
      "q stops, and --resume continues. At the end a record (JSON, xAPI, XES) is written "
      "to the record directory."),
    entries);
  int status = CLI_EXIT_OK;
  if (!cli_parse (ctx, "train", &argc, &argv))
    status = CLI_EXIT_USAGE;
  else if (argc > 2)
    status = cli_usage_error ("train", _("one scenario at a time"));
  else if (o.demo && (o.answers != NULL || o.resume))
    status = cli_usage_error ("train", _("--demo plays the ideal run: it takes no answers"));
  else if (o.resume && (o.seed != NULL || o.id != NULL))
    status = cli_usage_error ("train", _("--resume continues a session as it was saved: it "
                                         "takes no --seed or --id"));
  else if (o.id != NULL && !psim_store_folder_id_is_valid (o.id))
    status = cli_usage_error ("train", _("--id takes letters, digits, '.', '_' and '-', not "
                                         "starting with '.' ('%s')"),
                              o.id);
  guint64 seed = 0;
  if (status == CLI_EXIT_OK && o.seed != NULL)
    {
      char *end = NULL;
      seed = g_ascii_strtoull (o.seed, &end, 10);
      if (end == o.seed || *end != '\0')
        status = cli_usage_error ("train", _("--seed takes a whole number, not '%s'"), o.seed);
    }
  if (status == CLI_EXIT_OK)
    status = train (&o, seed, argc, argv, env);
  g_free (o.answers);
  g_free (o.record);
  g_free (o.seed);
  g_free (o.name);
  g_free (o.id);
  return status;
}

