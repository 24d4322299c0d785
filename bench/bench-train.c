/* bench-train.c — the training engine benchmark: scripted sessions played
 * through the library (psim-session.h) alone, with no terminal and no CLI.
 * Goal: at least 10,000 full sessions a second on one core, so that one
 * process can serve a classroom (and a web front-end many) without the
 * engine being what anyone waits for.
 *
 * Each scenario (every .xml in the directories given, or the files given;
 * --fallback FILE when none of them loads: the bundled scenarios may be
 * missing or half-written) is loaded once. Two answer scripts are recorded
 * from a first, untimed session with the benchmark's seed:
 *   perfect   the ideal answers (psim_session_dup_ideal_answer: option ids,
 *             the number for number questions), taken as a list of strings
 *             once, so that the timing covers the engine and not dup_ideal;
 *   mistakes  as a trainee types at the terminal: option numbers, "hint"
 *             wherever a hint is offered and one wrong option (a distractor)
 *             before each step where one is offered, then the right step;
 *             questions answered right, by number.
 * The scripts are replayed with the same seed, since option numbers depend
 * on it. One timed session is psim_session_new, every answer, a check that
 * the session is finished, psim_session_free.
 *
 * Two references are timed in the same run, interleaved with the scripts:
 *   new+free     psim_session_new and psim_session_free alone: the fixed cost
 *                of a session, to tell it from the cost of the answers;
 *   +checkpoint  the perfect script with psim_session_to_checkpoint after
 *                every answer: what `procsim train` does per answer before
 *                writing the file (the file I/O is left out: it measures the
 *                disk, not the engine). It shows how far serialisation, not
 *                the state machine, sets the pace of a front-end that saves
 *                each answer.
 *
 * Each repetition plays --sessions sessions of each kind (default: for each
 * kind, as many as fill an equal share of about 2 s per scenario over all
 * kinds and repetitions, from a short calibration); the figures are the medians over --reps repetitions
 * of the wall-clock time of this one thread. The goal is judged on the
 * slowest scenario and script (perfect or mistakes), printed and never
 * enforced. Exit status: 0 ok (whatever the speed), 1 usage, 2 a scenario
 * could not be loaded or a script did not replay.
 */
#include <glib.h>
#include <procsim/procsim.h>
#include <string.h>

#include "bench-common.h"

#define GOAL_SESSIONS_PER_S 10000.0
#define BUDGET_US_PER_SCENARIO (2 * G_USEC_PER_SEC)
#define CALIBRATION_US 50000

#ifndef PSIM_BENCH_BUILD
#define PSIM_BENCH_BUILD "unknown"
#endif

/* What one timed session does. */
typedef enum {
  KIND_PERFECT,
  KIND_MISTAKES,
  KIND_NEW_FREE,
  KIND_CHECKPOINT,
  N_KINDS
} Kind;

static const char *const kind_names[N_KINDS] = {
  "perfect", "mistakes", "ref new+free", "ref perfect+checkpoint",
};

typedef struct {
  char *label;         /* the file's name without ".xml" */
  PsimScenario *sc;
  GPtrArray *scripts[2]; /* KIND_PERFECT, KIND_MISTAKES: answers (char *) */
  int scores[2];         /* the final score each script reaches */
  GArray *us[N_KINDS];   /* gint64 per repetition: the batch's wall time */
  guint sessions[N_KINDS]; /* per batch */
} Bench;

static void
bench_free (Bench *b)
{
  g_free (b->label);
  g_clear_pointer (&b->sc, psim_scenario_unref);
  for (guint i = 0; i < 2; i++)
    g_clear_pointer (&b->scripts[i], g_ptr_array_unref);
  for (guint i = 0; i < N_KINDS; i++)
    g_clear_pointer (&b->us[i], g_array_unref);
  g_free (b);
}

static gboolean
take (PsimSession *s, GPtrArray *script, const char *answer, GError **error)
{
  if (!psim_session_answer (s, answer, 0, error))
    {
      g_prefix_error (error, "recording \"%s\": ", answer);
      return FALSE;
    }
  g_ptr_array_add (script, g_strdup (answer));
  return TRUE;
}

/* Plays a first session with @seed and records both scripts. */
static gboolean
record_scripts (Bench *b, guint64 seed, GError **error)
{
  b->scripts[KIND_PERFECT] = g_ptr_array_new_with_free_func (g_free);
  b->scripts[KIND_MISTAKES] = g_ptr_array_new_with_free_func (g_free);

  g_autoptr (PsimSession) p = psim_session_new (b->sc, seed);
  while (psim_session_get_prompt (p) != PSIM_PROMPT_FINISHED)
    {
      g_autofree char *ideal = psim_session_dup_ideal_answer (p);
      if (!take (p, b->scripts[KIND_PERFECT], ideal, error))
        return FALSE;
    }
  b->scores[KIND_PERFECT] = psim_session_get_score (p)->score;

  /* Each turn of the loop completes a step or answers a question, so it
   * ends; a wrong pick that uses up the attempts reveals the step, which
   * changes the prompt, hence the checks between the answers. */
  g_autoptr (PsimSession) m = psim_session_new (b->sc, seed);
  while (psim_session_get_prompt (m) != PSIM_PROMPT_FINISHED)
    {
      if (psim_session_get_prompt (m) == PSIM_PROMPT_STEP)
        {
          if (psim_session_get_hint (m, NULL, NULL) != NULL
              && !take (m, b->scripts[KIND_MISTAKES], "hint", error))
            return FALSE;
          for (guint i = 0; i < psim_session_get_n_options (m); i++)
            if (psim_session_get_option_feedback (m, i, NULL) != NULL)
              {
                g_autofree char *wrong = g_strdup_printf ("%u", i + 1);
                if (!take (m, b->scripts[KIND_MISTAKES], wrong, error))
                  return FALSE;
                break;
              }
          if (psim_session_get_prompt (m) != PSIM_PROMPT_STEP)
            continue;
        }
      g_autofree char *right = psim_session_dup_ideal_answer_typed (m);
      if (!take (m, b->scripts[KIND_MISTAKES], right, error))
        return FALSE;
    }
  b->scores[KIND_MISTAKES] = psim_session_get_score (m)->score;
  return TRUE;
}

/* One session of @kind. FALSE when the script does not replay to the end:
 * the engine is not deterministic, which no timing may hide. */
static gboolean
play (const Bench *b, Kind kind, guint64 seed)
{
  PsimSession *s = psim_session_new (b->sc, seed);
  gboolean ok = TRUE;
  if (kind != KIND_NEW_FREE)
    {
      const GPtrArray *script = b->scripts[kind == KIND_MISTAKES ? KIND_MISTAKES : KIND_PERFECT];
      for (guint i = 0; ok && i < script->len; i++)
        {
          ok = psim_session_answer (s, g_ptr_array_index (script, i), 0, NULL);
          if (kind == KIND_CHECKPOINT)
            g_free (psim_session_to_checkpoint (s));
        }
      ok = ok && psim_session_get_prompt (s) == PSIM_PROMPT_FINISHED;
    }
  psim_session_free (s);
  return ok;
}

/* @n sessions of @kind; their wall time in µs, or -1 when one fails. */
static gint64
batch (const Bench *b, Kind kind, guint n, guint64 seed)
{
  gint64 t0 = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    if (!play (b, kind, seed))
      return -1;
  return g_get_monotonic_time () - t0;
}

/* Sessions per batch, for each kind: as many as take an equal share of
 * BUDGET_US_PER_SCENARIO over all kinds and repetitions, from the cost of
 * each kind over CALIBRATION_US. An equal share of time rather than one
 * count for all: serialising is some twenty times the engine's cost, and
 * one count would leave the engine's batches a few milliseconds long. */
static gboolean
calibrate (const Bench *b, guint64 seed, int reps, guint sessions[N_KINDS])
{
  for (Kind k = 0; k < N_KINDS; k++)
    {
      guint n = 0;
      gint64 t0 = g_get_monotonic_time (), t = 0;
      do
        {
          if (!play (b, k, seed))
            return FALSE;
          n++;
          t = g_get_monotonic_time () - t0;
        }
      while (t < CALIBRATION_US / N_KINDS);
      double share = (double) BUDGET_US_PER_SCENARIO / N_KINDS / reps;
      sessions[k] = (guint) CLAMP (share / ((double) t / n), 10.0, 10000000.0);
    }
  return TRUE;
}

static gboolean
run (Bench *b, guint64 seed, int reps, guint sessions, GError **error)
{
  for (Kind k = 0; k < N_KINDS; k++)
    b->sessions[k] = sessions;
  if (sessions == 0 && !calibrate (b, seed, reps, b->sessions))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: a script does not replay",
                   b->label);
      return FALSE;
    }
  for (Kind k = 0; k < N_KINDS; k++)
    b->us[k] = g_array_new (FALSE, FALSE, sizeof (gint64));
  /* One untimed batch of each, then the kinds take turns within each
   * repetition, so that a change in machine load hits them alike. */
  for (int r = -1; r < reps; r++)
    for (Kind k = 0; k < N_KINDS; k++)
      {
        gint64 us = batch (b, k, r < 0 ? MAX (1u, b->sessions[k] / 10) : b->sessions[k], seed);
        if (us < 0)
          {
            g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                         "%s: the %s script does not replay", b->label, kind_names[k]);
            return FALSE;
          }
        if (r >= 0)
          g_array_append_val (b->us[k], us);
      }
  return TRUE;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The scenario files named by @args: files as given, directories as their
 * .xml files in name order. */
static GPtrArray *
scenario_files (char **args)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  for (char **a = args; *a != NULL; a++)
    {
      if (!g_file_test (*a, G_FILE_TEST_IS_DIR))
        {
          if (g_file_test (*a, G_FILE_TEST_IS_REGULAR))
            g_ptr_array_add (files, g_strdup (*a));
          continue;
        }
      g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      g_autoptr (GDir) dir = g_dir_open (*a, 0, NULL);
      for (const char *name; dir != NULL && (name = g_dir_read_name (dir)) != NULL;)
        if (g_str_has_suffix (name, ".xml"))
          g_ptr_array_add (names, g_build_filename (*a, name, NULL));
      g_ptr_array_sort (names, compare_strings);
      for (guint i = 0; i < names->len; i++)
        g_ptr_array_add (files, g_strdup (g_ptr_array_index (names, i)));
    }
  return files;
}

/* Loads @path and records its scripts; NULL after saying why. */
static Bench *
load_bench (PsimLoader *loader, const char *path, guint64 seed)
{
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  g_autoptr (GError) error = NULL;
  Bench *b = g_new0 (Bench, 1);
  g_autofree char *base = g_path_get_basename (path);
  b->label = g_str_has_suffix (base, ".xml") ? g_strndup (base, strlen (base) - 4)
                                             : g_strdup (base);
  b->sc = psim_scenario_load_file (loader, path, diags, &error);
  if (b->sc == NULL || !record_scripts (b, seed, &error))
    {
      g_printerr ("bench-train: skipped %s: %s\n", path, error->message);
      guint shown = 0;
      for (guint i = 0; i < diags->len && shown < 5; i++)
        {
          const PsimDiagnostic *d = g_ptr_array_index (diags, i);
          if (d->severity != PSIM_SEVERITY_ERROR)
            continue;
          g_autofree char *line = psim_diagnostic_to_string (d, "en");
          g_printerr ("  %s\n", line);
          shown++;
        }
      bench_free (b);
      return NULL;
    }
  return b;
}

static double
median_us (const GArray *us)
{
  return bench_median_ms (us) * 1000.0;
}

static double
sessions_per_s (const Bench *b, Kind k)
{
  return b->sessions[k] / (median_us (b->us[k]) / G_USEC_PER_SEC);
}

/* 1234567.8 → "1,234,568". (transfer full) */
static char *
grouped (double v)
{
  g_autofree char *digits = g_strdup_printf ("%.0f", v);
  g_autoptr (GString) out = g_string_new (NULL);
  gsize n = strlen (digits);
  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
print_table (const GPtrArray *benches)
{
  int width = (int) strlen ("scenario");
  for (guint i = 0; i < benches->len; i++)
    width = MAX (width, (int) strlen (((const Bench *) g_ptr_array_index (benches, i))->label));
  g_print ("%-*s %-22s %8s %6s %9s %12s %11s %10s\n", width, "scenario", "script", "answers",
           "score", "sessions", "sessions/s", "us/session", "us/answer");
  for (guint i = 0; i < benches->len; i++)
    {
      const Bench *b = g_ptr_array_index (benches, i);
      for (Kind k = 0; k < N_KINDS; k++)
        {
          guint answers = k == KIND_NEW_FREE ? 0
                          : b->scripts[k == KIND_MISTAKES ? KIND_MISTAKES : KIND_PERFECT]->len;
          double us = median_us (b->us[k]) / b->sessions[k];
          g_autofree char *rate = grouped (sessions_per_s (b, k));
          g_autofree char *score = k == KIND_PERFECT || k == KIND_MISTAKES
                                       ? g_strdup_printf ("%d", b->scores[k])
                                       : g_strdup ("");
          g_autofree char *per_answer = answers > 0 ? g_strdup_printf ("%.2f", us / answers)
                                                    : g_strdup ("-");
          g_print ("%-*s %-22s %8u %6s %9u %12s %11.2f %10s\n", width, k == 0 ? b->label : "",
                   kind_names[k], answers, score, b->sessions[k], rate, us, per_answer);
        }
    }
}

int
main (int argc, char **argv)
{
  int sessions = 0, reps = 5;
  gint64 seed_arg = 1;
  g_autofree char *build_info = NULL;
  g_autofree char *fallback = NULL;
  const GOptionEntry entries[] = {
    { "sessions", 'n', 0, G_OPTION_ARG_INT, &sessions,
      "Sessions per script and repetition (default: about 2 s per scenario)", "N" },
    { "reps", 'r', 0, G_OPTION_ARG_INT, &reps, "Timed repetitions; medians are shown (default 5)",
      "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed_arg, "Seed of every session (default 1)", "N" },
    { "fallback", 0, 0, G_OPTION_ARG_FILENAME, &fallback,
      "Scenario to use when none of the others loads", "FILE" },
    { "build", 0, 0, G_OPTION_ARG_STRING, &build_info, "Build description to print", "TEXT" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("SCENARIO|DIR...");
  g_option_context_set_summary (ctx, "Time scripted training sessions (a perfect run and a run "
                                     "with mistakes) through the engine, per scenario.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error)
      || (argc < 2 && fallback == NULL) || sessions < 0 || reps < 1 || seed_arg < 0)
    {
      g_printerr ("bench-train: %s\n",
                  error != NULL ? error->message
                                : "usage: bench-train [OPTION...] SCENARIO|DIR... "
                                  "(sessions >= 0, 0 to calibrate; reps >= 1; seed >= 0)");
      return 1;
    }
  guint64 seed = (guint64) seed_arg;

  g_autoptr (PsimLoader) loader = psim_loader_new (&error);
  if (loader == NULL)
    {
      g_printerr ("bench-train: %s\n", error->message);
      return 2;
    }
  g_autoptr (GPtrArray) files = scenario_files (argv + 1);
  g_autoptr (GPtrArray) benches = g_ptr_array_new_with_free_func ((GDestroyNotify) bench_free);
  for (guint i = 0; i < files->len; i++)
    {
      Bench *b = load_bench (loader, g_ptr_array_index (files, i), seed);
      if (b != NULL)
        g_ptr_array_add (benches, b);
    }
  if (benches->len == 0 && fallback != NULL)
    {
      g_printerr ("bench-train: no scenario loaded; falling back to %s\n", fallback);
      Bench *b = load_bench (loader, fallback, seed);
      if (b != NULL)
        g_ptr_array_add (benches, b);
    }
  if (benches->len == 0)
    {
      g_printerr ("bench-train: no scenario to play\n");
      return 2;
    }

  g_print ("procsim train benchmark: scripted sessions through the engine "
           "(psim_session_new, _answer per answer of the script, _free), no terminal, no CLI\n");
  g_print ("build:     %s\n", build_info != NULL ? build_info : PSIM_BENCH_BUILD);
  g_print ("scenarios:");
  for (guint i = 0; i < benches->len; i++)
    g_print (" %s", psim_scenario_get_file (((Bench *) g_ptr_array_index (benches, i))->sc));
  g_print ("\nseed %" G_GUINT64_FORMAT "; %d timed repetitions (after 1 warm-up) of each script "
           "in turn; medians of one thread's wall-clock time\n",
           seed, reps);
  g_print ("perfect: the ideal answers by id; mistakes: typed numbers, every hint, one wrong "
           "option before each step that has one\n");
  g_print ("references: new+free = the fixed cost of a session; perfect+checkpoint = the perfect "
           "run serialised after every answer, as `procsim train` does (file I/O left out)\n\n");

  for (guint i = 0; i < benches->len; i++)
    if (!run (g_ptr_array_index (benches, i), seed, reps, (guint) sessions, &error))
      {
        g_printerr ("bench-train: %s\n", error->message);
        return 2;
      }
  print_table (benches);

  const Bench *slowest = NULL;
  Kind slowest_kind = KIND_PERFECT;
  for (guint i = 0; i < benches->len; i++)
    {
      const Bench *b = g_ptr_array_index (benches, i);
      for (Kind k = KIND_PERFECT; k <= KIND_MISTAKES; k++)
        if (slowest == NULL || sessions_per_s (b, k) < sessions_per_s (slowest, slowest_kind))
          {
            slowest = b;
            slowest_kind = k;
          }
    }
  double rate = sessions_per_s (slowest, slowest_kind);
  g_autofree char *rate_text = grouped (rate);
  g_print ("\ngoal: >= 10,000 full sessions/s on one core: %s (slowest: %s, %s run: %s "
           "sessions/s)\n",
           rate >= GOAL_SESSIONS_PER_S ? "met" : "not met", slowest->label,
           kind_names[slowest_kind], rate_text);
  return 0;
}
