/* cmd-simulate.c — `procsim simulate FILE`: many cases through one variant,
 * or two on common random numbers, with queues at the offices, the working
 * calendar and the legal limits; every figure with its 95 % confidence
 * interval across replications. This file reads the options, runs the
 * library's simulation and prints one of its writers' outputs (text, CSV,
 * JSON, HTML) and, with --log, its event log (docs/cli.md, "simulate").
 */
#include "cli.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* ---- progress -------------------------------------------------------------- */

typedef struct {
  gint64 started;
  gboolean shown;
} Progress;

static void
on_progress (guint done, guint planned, gpointer data)
{
  Progress *p = data;
  if (!p->shown && g_get_monotonic_time () - p->started < G_USEC_PER_SEC)
    return;
  p->shown = TRUE;
  guint width = 30, filled = planned > 0 ? done * width / planned : width;
  GString *bar = g_string_new ("\r[");
  for (guint i = 0; i < width; i++)
    g_string_append_c (bar, i < filled ? '#' : '.');
  g_string_append_printf (bar, "] %u/%u", done, planned);
  fputs (bar->str, stderr);
  g_string_free (bar, TRUE);
  if (done >= planned)
    fputs ("\r\033[K", stderr);
  fflush (stderr);
}

/* The event log's bytes, to the --log file as they come. */
static void
write_log (const char *data, gsize len, gpointer file)
{
  fwrite (data, 1, len, file);
}

/* ---- the command ----------------------------------------------------------- */

static gboolean
parse_count (const char *text, guint64 *out, guint64 max)
{
  char *end = NULL;
  if (text == NULL || !g_ascii_isdigit (text[0]))
    return FALSE;
  guint64 v = g_ascii_strtoull (text, &end, 10);
  if (*end != '\0' || v == 0 || v > max)
    return FALSE;
  *out = v;
  return TRUE;
}

static gboolean
parse_real (const char *text, double *out)
{
  char *end = NULL;
  if (text == NULL)
    return FALSE;
  double v = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (v) || v < 0)
    return FALSE;
  *out = v;
  return TRUE;
}

int
cli_simulate (int argc, char **argv, const CliEnv *env)
{
  g_autofree char *variant = NULL;
  g_autofree char *compare = NULL;
  g_autofree char *cases = NULL;
  g_autofree char *reps = NULL;
  g_autofree char *precision = NULL;
  g_autofree char *seed = NULL;
  g_autofree char *warm = NULL;
  g_autofree char *format = NULL;
  g_autofree char *jobs = NULL;
  g_autofree char *start = NULL;
  g_autofree char *out = NULL;
  g_autofree char *log = NULL;
  const GOptionEntry entries[] = {
    { "variant", 0, 0, G_OPTION_ARG_STRING, &variant,
      N_("The variant to simulate (default: the first)"), N_("V") },
    { "compare", 0, 0, G_OPTION_ARG_STRING, &compare,
      N_("Simulate two variants on the same arrivals and case data, with paired differences"),
      N_("A,B") },
    { "cases", 0, 0, G_OPTION_ARG_STRING, &cases,
      N_("Cases arriving in each replication (default 1000)"), N_("N") },
    { "replications", 0, 0, G_OPTION_ARG_STRING, &reps,
      N_("Independent replications (default 10)"), N_("R") },
    { "precision", 0, 0, G_OPTION_ARG_STRING, &precision,
      N_("Add replications until each headline CI is within ±P of its mean (e.g. 0.02)"), N_("P") },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed,
      N_("Seed of the random numbers (default 1); the same seed gives the same figures"), N_("S") },
    { "warm-up", 0, 0, G_OPTION_ARG_STRING, &warm,
      N_("Leave out the cases filed in the first D days (queues start empty)"), N_("D") },
    { "start", 0, 0, G_OPTION_ARG_STRING, &start,
      N_("First day of the simulation (default: the file's, else its date)"), N_("YYYY-MM-DD") },
    { "jobs", 'j', 0, G_OPTION_ARG_STRING, &jobs,
      N_("Threads (default: one per core); the figures do not depend on it"), N_("N") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format,
      N_("Output format: text, csv, json or html (default text)"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out,
      N_("Write to OUT instead of standard output (whole or not at all)"), N_("OUT") },
    { "log", 0, 0, G_OPTION_ARG_FILENAME, &log,
      N_("Write the cases of the first replication as an XES event log"), N_("OUT.xes") },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = cli_context_new (
    _("FILE"),
    /* xgettext:no-c-format */
    _("Simulate many cases through a variant, or two on common random numbers: lead "
                 "times, the applicant's time, visits, costs, queues at the offices and the "
                 "share of cases over the legal limits, each with a 95 % confidence interval."),
    entries);
  if (!cli_parse (ctx, "simulate", &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc != 2)
    return cli_usage_error ("simulate", argc < 2 ? _("no file given") : _("give exactly one file"));
  const char *fmt = format != NULL ? format : "text";
  if (strcmp (fmt, "text") != 0 && strcmp (fmt, "csv") != 0 && strcmp (fmt, "json") != 0
      && strcmp (fmt, "html") != 0)
    return cli_usage_error ("simulate", _("unknown format '%s' (use text, csv, json or html)"), fmt);
  if (variant != NULL && compare != NULL)
    return cli_usage_error ("simulate", _("give --variant or --compare, not both"));

  PsimSimOptions opt = { 0 };
  opt.seed = 1;
  opt.cases = 1000;
  opt.replications = 10;
  guint64 n = 0;
  if (cases != NULL && !parse_count (cases, &opt.cases, G_GUINT64_CONSTANT (1) << 40))
    return cli_usage_error ("simulate", _("--cases takes a whole number of 1 or more"));
  if (reps != NULL)
    {
      if (!parse_count (reps, &n, 1000000))
        return cli_usage_error ("simulate", _("--replications takes a whole number of 1 or more"));
      opt.replications = (guint) n;
    }
  if (precision != NULL && (!parse_real (precision, &opt.precision) || opt.precision <= 0))
    return cli_usage_error ("simulate", _("--precision takes a number above 0, e.g. 0.02"));
  if (precision != NULL && reps == NULL)
    opt.replications = 10;
  if (seed != NULL)
    {
      char *end = NULL;
      if (!g_ascii_isdigit (seed[0]))
        return cli_usage_error ("simulate", _("--seed takes a whole number"));
      opt.seed = g_ascii_strtoull (seed, &end, 10);
      if (*end != '\0')
        return cli_usage_error ("simulate", _("--seed takes a whole number"));
    }
  if (warm != NULL && !parse_real (warm, &opt.warm_up_days))
    return cli_usage_error ("simulate", _("--warm-up takes a number of days, 0 or more"));
  if (jobs != NULL)
    {
      if (!parse_count (jobs, &n, 1024))
        return cli_usage_error ("simulate", _("--jobs takes a whole number of 1 or more"));
      opt.jobs = (guint) n;
    }
  GDate start_date;
  if (start != NULL)
    {
      int y, m, d;
      if (sscanf (start, "%4d-%2d-%2d", &y, &m, &d) != 3 || strlen (start) != 10
          || !g_date_valid_dmy (d, m, y))
        return cli_usage_error ("simulate", _("--start takes a date as YYYY-MM-DD"));
      g_date_clear (&start_date, 1);
      g_date_set_dmy (&start_date, d, m, y);
      opt.start = &start_date;
    }

  /* FILE, or the id of a bundled procedure. */
  g_autofree char *path = g_strdup (argv[1]);
  if (!g_file_test (path, G_FILE_TEST_EXISTS) && strchr (path, '/') == NULL)
    {
      g_autofree char *name = g_strconcat (argv[1], ".xml", NULL);
      g_autofree char *bundled = g_build_filename (env->workflows_dir, name, NULL);
      if (g_file_test (bundled, G_FILE_TEST_IS_REGULAR))
        g_free (g_steal_pointer (&path)), path = g_steal_pointer (&bundled);
    }
  g_autoptr (PsimProcedure) proc = cli_load (path, env);
  if (proc == NULL)
    return CLI_EXIT_INVALID;
  g_autofree char *have = cli_variant_list (proc);
  const PsimVariant *var[2] = { psim_procedure_get_variant (proc, 0), NULL };
  if (compare != NULL)
    {
      g_auto (GStrv) pair = g_strsplit (compare, ",", -1);
      if (g_strv_length (pair) != 2)
        return cli_usage_error ("simulate", _("--compare takes two variants: A,B"));
      for (guint k = 0; k < 2; k++)
        if ((var[k] = psim_procedure_find_variant (proc, g_strstrip (pair[k]))) == NULL)
          return cli_usage_error ("simulate", _("%s has no variant '%s' (it has: %s)"), argv[1],
                                  pair[k], have);
    }
  else if (variant != NULL && (var[0] = psim_procedure_find_variant (proc, variant)) == NULL)
    return cli_usage_error ("simulate", _("%s has no variant '%s' (it has: %s)"), argv[1],
                            variant, have);

  g_autoptr (GError) error = NULL;
  g_autoptr (PsimSim) sim = psim_sim_new (proc, var[0], var[1], env->lang, &error);
  if (sim == NULL)
    {
      g_printerr ("%s: %s\n", argv[1], error->message);
      return CLI_EXIT_INVALID;
    }
  Progress progress = { .started = g_get_monotonic_time () };
  if (isatty (STDERR_FILENO))
    psim_sim_set_progress (sim, on_progress, &progress);
  CliOutput *log_out = NULL;
  PsimSimLog *xes = NULL;
  if (log != NULL)
    {
      if ((log_out = cli_output_open (log, &error)) == NULL)
        {
          g_printerr ("procsim simulate: %s\n", error->message);
          return CLI_EXIT_INVALID;
        }
      xes = psim_sim_log_new (sim, write_log, cli_output_get_file (log_out));
    }
  gboolean ran = psim_sim_run (sim, &opt, &error);
  if (xes != NULL)
    psim_sim_log_finish (xes);
  if (ran && log_out != NULL && !cli_output_commit (g_steal_pointer (&log_out), &error))
    {
      g_printerr ("procsim simulate: %s\n", error->message);
      return CLI_EXIT_INVALID;
    }
  cli_output_abort (log_out);
  if (!ran)
    {
      g_printerr ("%s: %s\n", argv[1], error->message);
      return error->domain == PSIM_SIM_ERROR && error->code == PSIM_SIM_ERROR_OPTION
        ? CLI_EXIT_USAGE : CLI_EXIT_INVALID;
    }
  g_autofree char *text = strcmp (fmt, "csv") == 0    ? psim_sim_to_csv (sim)
                          : strcmp (fmt, "json") == 0 ? psim_sim_to_json (sim)
                          : strcmp (fmt, "html") == 0 ? psim_sim_to_html (sim)
                                                      : psim_sim_to_text (sim);
  if (out == NULL)
    {
      fputs (text, stdout);
      return CLI_EXIT_OK;
    }
  if (!cli_write_output (out, text, strlen (text), &error))
    {
      g_printerr ("procsim simulate: %s\n", error->message);
      return CLI_EXIT_INVALID;
    }
  return CLI_EXIT_OK;
}
