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

#define CHECKPOINT_SUFFIX ".checkpoint.json"

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

/* Scenario files of the bundled directory, sorted. (transfer full) */
static GPtrArray *
bundled_scenarios (const CliEnv *env)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GDir) dir = g_dir_open (env->scenarios_dir, 0, NULL);
  const char *name;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".xml"))
      g_ptr_array_add (files, g_build_filename (env->scenarios_dir, name, NULL));
  return files;
}

static gint
compare_paths (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FILE, fclose)

/* A path as given, else a bundled scenario's id; NULL, after saying so,
 * when it is neither. (transfer full) */
static char *
resolve_scenario (const char *arg, const CliEnv *env)
{
  if (g_file_test (arg, G_FILE_TEST_EXISTS) || strchr (arg, '/') != NULL
      || g_str_has_suffix (arg, ".xml"))
    return g_strdup (arg);
  g_autofree char *base = g_strconcat (arg, ".xml", NULL);
  char *bundled = g_build_filename (env->scenarios_dir, base, NULL);
  if (g_file_test (bundled, G_FILE_TEST_IS_REGULAR))
    return bundled;
  g_free (bundled);
  g_printerr (_("procsim train: '%s' is neither a file nor a bundled scenario (procsim train "
                "without an argument lists them)\n"),
              arg);
  return NULL;
}

/* The menu of bundled scenarios; the chosen file, or NULL (the trainee
 * quit: *status 0; no scenarios: 2). (transfer full) */
static char *
choose_scenario (PsimLoader *loader, const CliEnv *env, const TrainUi *ui, TrainInput *input,
                 int *status)
{
  g_autoptr (GPtrArray) files = bundled_scenarios (env);
  g_ptr_array_sort (files, compare_paths);
  *status = CLI_EXIT_OK;
  if (files->len == 0)
    {
      g_printerr (_("procsim train: no bundled scenarios in %s\n"), env->scenarios_dir);
      *status = CLI_EXIT_INVALID;
      return NULL;
    }
  fprintf (ui->out, "%s\n", _("Bundled training scenarios:"));
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < files->len; i++)
    {
      g_autoptr (PsimScenario) sc = psim_scenario_load_file (loader, g_ptr_array_index (files, i),
                                                             NULL, NULL);
      g_autofree char *base = g_path_get_basename (g_ptr_array_index (files, i));
      *strrchr (base, '.') = '\0';
      const char *title = sc != NULL ? psim_scenario_get_title (sc, ui->lang)
                                     : _("cannot be loaded");
      g_autofree char *item = g_strdup_printf ("%u. %s (%s)", i + 1, title, base);
      train_ui_para (ui, 2, item);
      g_ptr_array_add (ids, g_steal_pointer (&base));
    }
  for (;;)
    {
      g_autofree char *ask = g_strdup_printf (_("Choose a scenario (1-%u, q to quit): "),
                                              files->len);
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
      if (end != line && *end == '\0' && k >= 1 && k <= files->len)
        return g_strdup (g_ptr_array_index (files, k - 1));
      for (guint i = 0; i < ids->len; i++)
        if (strcmp (line, g_ptr_array_index (ids, i)) == 0)
          return g_strdup (g_ptr_array_index (files, i));
      fprintf (ui->out, _("\"%s\" is not one of the scenarios.\n"), line);
    }
}

/* The newest checkpoint in @dir. (transfer full) (nullable) */
static char *
newest_checkpoint (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  char *best = NULL;
  gint64 best_time = G_MININT64;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      if (!g_str_has_suffix (name, CHECKPOINT_SUFFIX))
        continue;
      g_autofree char *path = g_build_filename (dir, name, NULL);
      GStatBuf st;
      if (g_stat (path, &st) != 0)
        continue;
      gint64 t = (gint64) st.st_mtime;
      if (best == NULL || t > best_time || (t == best_time && strcmp (path, best) > 0))
        {
          g_free (best);
          best = g_steal_pointer (&path);
          best_time = t;
        }
    }
  return best;
}

/* A session id names files in the record directory: no '/', no "..". */
static gboolean
valid_id (const char *id)
{
  if (*id == '\0' || *id == '.' || strlen (id) > 128)
    return FALSE;
  for (const char *c = id; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c) && *c != '.' && *c != '_' && *c != '-')
      return FALSE;
  return TRUE;
}

static char *
checkpoint_path (const char *dir, const char *id)
{
  g_autofree char *base = g_strconcat (id, CHECKPOINT_SUFFIX, NULL);
  return g_build_filename (dir, base, NULL);
}

/* TRUE when @dir holds a checkpoint or a record of session @id. */
static gboolean
id_taken (const char *dir, const char *id)
{
  g_autofree char *cp = checkpoint_path (dir, id);
  g_autofree char *base = g_strconcat (id, ".json", NULL);
  g_autofree char *rec = g_build_filename (dir, base, NULL);
  return g_file_test (cp, G_FILE_TEST_EXISTS) || g_file_test (rec, G_FILE_TEST_EXISTS);
}

/* "20261123T101500Z-land-title-digital", unique in @dir. (transfer full) */
static char *
new_session_id (const char *dir, const PsimScenario *sc, gint64 now)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);
  g_autofree char *stamp = g_date_time_format (t, "%Y%m%dT%H%M%SZ");
  char *id = g_strdup_printf ("%s-%s", stamp, psim_scenario_get_id (sc));
  for (guint n = 2; n < 1000; n++)
    {
      if (!id_taken (dir, id))
        break;
      g_free (id);
      id = g_strdup_printf ("%s-%s-%u", stamp, psim_scenario_get_id (sc), n);
    }
  return id;
}

static gboolean
write_records (const PsimSession *s, const char *dir, const char *lang, GError **error)
{
  const char *id = psim_session_get_id (s);
  struct {
    const char *suffix;
    char *(*make) (const PsimSession *, const char *);
  } outputs[] = {
    { ".json", psim_session_record_json },
    { ".xapi.json", psim_session_record_xapi },
    { ".xes", psim_session_record_xes },
  };
  for (guint i = 0; i < G_N_ELEMENTS (outputs); i++)
    {
      g_autofree char *base = g_strconcat (id, outputs[i].suffix, NULL);
      g_autofree char *path = g_build_filename (dir, base, NULL);
      g_autofree char *text = outputs[i].make (s, lang);
      if (!g_file_set_contents (path, text, -1, error))
        return FALSE;
    }
  return TRUE;
}

typedef enum { FEED_INTERACTIVE, FEED_SCRIPT, FEED_DEMO } Feed;

/* Where a session in progress is kept, and what the trainee is told. */
typedef struct {
  const char *checkpoint; /* NULL for a demo */
  const char *resume;     /* the command that resumes it */
  gboolean saved;         /* the last save succeeded */
} Keep;

static void
save (const PsimSession *s, Keep *keep)
{
  if (keep->checkpoint == NULL)
    return;
  g_autoptr (GError) error = NULL;
  keep->saved = psim_session_save (s, keep->checkpoint, &error);
  if (!keep->saved)
    g_printerr (_("procsim train: cannot save the session: %s\n"), error->message);
}

/* The trainee stops: say how to go on, if there is a way. */
static void
stopped (const Keep *keep, const TrainUi *ui)
{
  if (keep->saved)
    fprintf (ui->out, _("Session saved. Continue it with:\n%s\n"), keep->resume);
  else
    fprintf (ui->out, "%s\n", _("The session could not be saved."));
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
                          script_name, keep->saved ? keep->checkpoint : "-");
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
      if (!psim_session_answer (s, answer, ms, &error))
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
      save (s, keep);
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
  g_autofree char *file = NULL;
  g_autofree char *checkpoint = NULL;
  gboolean by_file = FALSE; /* resumed from a checkpoint file named */
  if (o.resume)
    {
      /* A checkpoint file as given, else a session id in the record
       * directory, else the newest there. A checkpoint file given by name
       * is where the session goes on being saved, and its folder keeps the
       * records unless --record says otherwise. */
      by_file = argc == 2 && g_file_test (argv[1], G_FILE_TEST_IS_REGULAR);
      if (by_file)
        {
          checkpoint = g_strdup (argv[1]);
          if (o.record == NULL)
            {
              g_free (record_dir);
              record_dir = g_path_get_dirname (checkpoint);
            }
        }
      else if (argc == 2 && !valid_id (argv[1]))
        {
          g_printerr (_("procsim train: '%s' is neither a checkpoint file nor a session id\n"),
                      argv[1]);
          return CLI_EXIT_INVALID;
        }
      else
        checkpoint = argc == 2 ? checkpoint_path (record_dir, argv[1])
                               : newest_checkpoint (record_dir);
      g_autofree char *json = NULL;
      if (checkpoint == NULL)
        {
          g_printerr (_("procsim train: no saved session in %s\n"), record_dir);
          status = CLI_EXIT_INVALID;
        }
      else if (!g_file_test (checkpoint, G_FILE_TEST_IS_REGULAR))
        {
          g_printerr (_("procsim train: no saved session '%s' in %s\n"), argv[1], record_dir);
          status = CLI_EXIT_INVALID;
        }
      else if ((json = psim_file_read (checkpoint, PSIM_LOAD_MAX_FILE_SIZE, lang, NULL, &error))
                   == NULL
               || (file = psim_checkpoint_dup_scenario_file (json, lang, &error)) == NULL)
        {
          g_printerr ("%s: %s\n", checkpoint, error->message);
          status = CLI_EXIT_INVALID;
        }
      else
        {
          /* A resumed session speaks the language it was started in,
           * unless --lang says otherwise. */
          g_autofree char *saved = env->lang_given ? NULL : psim_checkpoint_dup_language (json);
          if (saved != NULL && strcmp (saved, lang) != 0)
            {
              lang = psim_lang_normalize (saved);
              ui.lang = lang;
              cli_use_language (lang);
              psim_loader_set_language (loader, lang);
            }
          g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
          sc = psim_scenario_load_file (loader, file, diags, NULL);
          cli_print_diagnostics (diags, lang);
          if (sc == NULL)
            status = CLI_EXIT_INVALID;
          else if ((s = psim_session_new_from_checkpoint (sc, json, lang, &error)) == NULL)
            {
              g_printerr ("%s: %s\n", checkpoint, error->message);
              status = CLI_EXIT_INVALID;
            }
          else if (psim_session_get_id (s) == NULL || !valid_id (psim_session_get_id (s)))
            {
              /* The id names the records: it must stay in their folder. */
              g_printerr (_("%s: the checkpoint has no valid session id\n"), checkpoint);
              status = CLI_EXIT_INVALID;
            }
          else if (g_mkdir_with_parents (record_dir, 0700) != 0)
            {
              g_printerr (_("procsim train: cannot create %s: %s\n"), record_dir,
                          g_strerror (errno));
              status = CLI_EXIT_INVALID;
            }
        }
    }
  else
    {
      if (argc == 2 && (file = resolve_scenario (argv[1], env)) == NULL)
        return CLI_EXIT_INVALID;
      if (argc < 2 && (file = choose_scenario (loader, env, &ui, input, &status)) == NULL)
        return status;
      g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
      sc = psim_scenario_load_file (loader, file, diags, NULL);
      cli_print_diagnostics (diags, lang);
      if (sc == NULL)
        status = CLI_EXIT_INVALID;
      else
        {
          gint64 now = g_get_real_time ();
          /* Six digits are enough to vary the order and easy to note. */
          if (o.seed == NULL && !o.demo && o.answers == NULL)
            seed = (guint64) (now / 1000) % 1000000;
          s = psim_session_new (sc, seed);
          psim_session_set_language (s, lang);
          if (!o.demo && g_mkdir_with_parents (record_dir, 0700) != 0)
            {
              g_printerr (_("procsim train: cannot create %s: %s\n"), record_dir,
                          g_strerror (errno));
              return CLI_EXIT_INVALID;
            }
          if (!o.demo && o.id != NULL && id_taken (record_dir, o.id))
            {
              g_printerr (_("procsim train: a session '%s' is already in %s; choose another "
                            "--id, or continue it with --resume\n"),
                          o.id, record_dir);
              return CLI_EXIT_INVALID;
            }
          /* A demo is nobody's session: no id, no files. */
          g_autofree char *id = o.demo ? NULL
                                : o.id != NULL ? g_strdup (o.id)
                                               : new_session_id (record_dir, sc, now);
          psim_session_set_identity (s, id, o.name != NULL ? o.name : g_get_user_name (), now);
          if (!o.demo)
            checkpoint = checkpoint_path (record_dir, id);
        }
    }
  if (status != CLI_EXIT_OK)
    return status;

  Feed feed = o.demo ? FEED_DEMO : script != NULL ? FEED_SCRIPT : FEED_INTERACTIVE;
  /* The command that resumes this session, as the trainee would type it
   * where they are: by its file when it was resumed by its file, else by
   * its id. */
  g_autofree char *resume = o.demo ? NULL
                            : resume_command (by_file ? checkpoint : NULL, psim_session_get_id (s),
                                              o.record != NULL && !by_file ? record_dir : NULL,
                                              train_ui_width (&ui));
  Keep keep = { .checkpoint = o.demo ? NULL : checkpoint, .resume = resume };
  /* The first save, before anything is asked: a record folder that cannot
   * be written is found now, not after the trainee's last answer. */
  if (keep.checkpoint != NULL
      && !(keep.saved = psim_session_save (s, keep.checkpoint, &error)))
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
  if (!o.demo)
    {
      /* The checkpoint goes only once the records are safe. */
      if (!write_records (s, record_dir, lang, &error))
        {
          g_printerr (_("procsim train: cannot write the records: %s\n"), error->message);
          status = CLI_EXIT_INVALID;
        }
      else
        {
          g_unlink (checkpoint);
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
  else if (o.id != NULL && !valid_id (o.id))
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

