/* cmd-simulate.c — `procsim simulate FILE`: many cases through one variant,
 * or two on common random numbers, with queues at the offices, the working
 * calendar and the legal limits; every figure with its 95 % confidence
 * interval across replications. Text for people; CSV and JSON for
 * programs; HTML as one self-contained page. The library computes, this
 * file only words and lays out (docs/cli.md, "simulate").
 */
#include "cli.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef struct {
  const char *lang;
  const char *file;
  PsimProcedure *proc;
  PsimSim *sim;
  guint n_variants;
  PsimSimOptions opt;
  gboolean past_holidays;
  int holidays_last_year;
} Simulate;

static const char *
figure_label (PsimSimFigure f)
{
  switch (f)
    {
    case PSIM_FIG_LEAD_MEAN: return _("Lead time, mean (days)");
    case PSIM_FIG_LEAD_MEDIAN: return _("Lead time, median (days)");
    case PSIM_FIG_LEAD_P90: return _("Lead time, 90th percentile (days)");
    case PSIM_FIG_LEAD_P95: return _("Lead time, 95th percentile (days)");
    case PSIM_FIG_LEAD_WORKING_DAYS: return _("Lead time, mean (working days)");
    case PSIM_FIG_APPLICANT_HOURS: return _("Applicant's own time (hours)");
    case PSIM_FIG_VISITS: return _("In-person visits");
    case PSIM_FIG_STEPS: return _("Steps taken");
    case PSIM_FIG_COST: return _("Fees and charges, taxes apart");
    case PSIM_FIG_TAXES: return _("Taxes");
    case PSIM_FIG_OVER_ANY_LIMIT: return _("Share of cases over a legal limit");
    case PSIM_FIG_N:
    default: return "?";
    }
}

static const char *
res_label (PsimResFigure f)
{
  switch (f)
    {
    case PSIM_RES_WAIT_HOURS: return _("wait in the queue (working hours)");
    case PSIM_RES_UTILISATION: return _("utilisation of the clerks");
    case PSIM_RES_QUEUE_MEAN: return _("people waiting, on average");
    case PSIM_RES_SERVED: return _("served per replication");
    case PSIM_RES_N:
    default: return "?";
    }
}

static gboolean
is_share (PsimSimFigure f)
{
  return f == PSIM_FIG_OVER_ANY_LIMIT;
}

/* "12.34 ± 0.56"; shares as percentages; money without decimals. */
static char *
format_estimate (PsimEstimate e, gboolean share, gboolean money)
{
  if (isnan (e.mean))
    return g_strdup ("—");
  double scale = share ? 100 : 1;
  const char *fmt = money ? "%.0f" : "%.2f";
  char m[G_ASCII_DTOSTR_BUF_SIZE], h[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd (m, sizeof m, fmt, e.mean * scale);
  if (strcmp (m, "-0.00") == 0 || strcmp (m, "-0") == 0)
    memmove (m, m + 1, strlen (m));
  if (e.n < 2)
    return g_strdup_printf ("%s%s", m, share ? " %" : "");
  g_ascii_formatd (h, sizeof h, fmt, e.half_width * scale);
  return g_strdup_printf ("%s ± %s%s", m, h, share ? " %" : "");
}

static gboolean
significant (PsimEstimate d)
{
  return d.n > 1 && !isnan (d.mean) && fabs (d.mean) > d.half_width;
}

static const char *
unit_label (PsimTimeUnit u)
{
  switch (u)
    {
    case PSIM_UNIT_WORKING_DAYS: return _("working days");
    case PSIM_UNIT_CALENDAR_DAYS: return _("calendar days");
    case PSIM_UNIT_HOURS:
    default: return _("hours");
    }
}

/* ---- text ----------------------------------------------------------------- */

#define COL1 50
#define COL 24

static void
append_row (GString *out, const char *label, char **cells, guint n)
{
  psim_format_append_padded (out, label, COL1);
  if (g_utf8_strlen (label, -1) >= COL1)
    g_string_append_c (out, ' ');
  for (guint i = 0; i < n; i++)
    psim_format_append_padded (out, cells[i], COL);
  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  g_string_append_c (out, '\n');
}

static void
append_header (GString *out, const Simulate *s)
{
  const char *lang = s->lang;
  char start[32];
  GDate d;
  psim_calendar_get_date (psim_sim_get_calendar (s->sim), 0, &d, NULL);
  g_date_strftime (start, sizeof start, "%Y-%m-%d", &d);
  g_string_append_printf (out, "%s\n", psim_procedure_get_title (s->proc, lang));
  for (guint v = 0; v < s->n_variants; v++)
    {
      const PsimVariant *var = psim_sim_get_variant (s->sim, v);
      g_string_append_printf (out, "  %s: %s [%s]\n", v == 0 ? "A" : "B",
                              psim_variant_get_title (var, lang), psim_variant_get_id (var));
    }
  g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, s->opt.seed);
  g_autofree char *cases = g_strdup_printf ("%" G_GUINT64_FORMAT, s->opt.cases);
  g_string_append_printf (out, _("Seed %s; %u replications of %s arriving cases; warm-up %g "
                                 "days; calendar from %s\n"),
                          seed, psim_sim_get_replications (s->sim), cases, s->opt.warm_up_days,
                          start);
  /* xgettext:no-c-format */
  g_string_append (out, _("Each figure: the mean over the replications ± the half-width of its "
                          "95 % confidence interval.\n"));
  if (s->past_holidays)
    g_string_append_printf (out, _("Warning: the simulated time runs past %d, the last year of "
                                   "the holiday list; later holidays are not known.\n"),
                            s->holidays_last_year);
}

static char *
simulate_text (const Simulate *s)
{
  GString *out = g_string_new (NULL);
  const char *lang = s->lang;
  gboolean pair = s->n_variants == 2;
  append_header (out, s);
  g_string_append_c (out, '\n');

  char *head[3] = { (char *) "A", (char *) "B", (char *) _("B − A") };
  if (pair)
    append_row (out, "", head, 3);
  for (guint f = 0; f < PSIM_FIG_N; f++)
    {
      char *cells[3] = { NULL, NULL, NULL };
      gboolean money = f == PSIM_FIG_COST || f == PSIM_FIG_TAXES;
      for (guint v = 0; v < s->n_variants; v++)
        cells[v] = format_estimate (psim_sim_get_figure (s->sim, v, f), is_share (f), money);
      if (pair)
        {
          PsimEstimate d = psim_sim_get_difference (s->sim, f);
          g_autofree char *e = format_estimate (d, is_share (f), money);
          cells[2] = g_strdup_printf ("%s%s", e, significant (d) ? " *" : "");
        }
      append_row (out, figure_label (f), cells, pair ? 3 : 1);
      for (guint i = 0; i < 3; i++)
        g_free (cells[i]);
    }
  if (pair)
    /* xgettext:no-c-format */
    g_string_append (out, _("* the difference is significant: its 95 % confidence interval "
                            "(paired, common random numbers) excludes 0.\n"));

  guint n_res = psim_sim_get_n_resources (s->sim);
  if (n_res > 0)
    {
      g_string_append_printf (out, "\n%s\n", _("Offices"));
      for (guint r = 0; r < n_res; r++)
        {
          const PsimActor *actor = psim_sim_get_resource_actor (s->sim, r);
          g_string_append_printf (out, _("  %s (%s), %u clerks:\n"),
                                  psim_actor_get_name (actor, lang),
                                  psim_sim_get_resource_id (s->sim, r),
                                  psim_sim_get_resource_capacity (s->sim, r));
          for (guint f = 0; f < PSIM_RES_N; f++)
            {
              char *cells[3] = { NULL, NULL, NULL };
              for (guint v = 0; v < s->n_variants; v++)
                cells[v] = format_estimate (psim_sim_get_resource_figure (s->sim, v, r, f),
                                            f == PSIM_RES_UTILISATION, FALSE);
              if (pair)
                {
                  PsimEstimate d = psim_sim_get_resource_difference (s->sim, r, f);
                  g_autofree char *e = format_estimate (d, f == PSIM_RES_UTILISATION, FALSE);
                  cells[2] = g_strdup_printf ("%s%s", e, significant (d) ? " *" : "");
                }
              g_autofree char *label = g_strdup_printf ("    %s", res_label (f));
              append_row (out, label, cells, pair ? 3 : 1);
              for (guint i = 0; i < 3; i++)
                g_free (cells[i]);
            }
        }
    }

  for (guint v = 0; v < s->n_variants; v++)
    {
      guint n = psim_sim_get_n_limits (s->sim, v);
      const PsimVariant *var = psim_sim_get_variant (s->sim, v);
      g_string_append_printf (out, "\n%s %s [%s]\n", _("Legal limits, share of cases over:"),
                              pair ? (v == 0 ? "A" : "B") : "", psim_variant_get_id (var));
      if (n == 0)
        g_string_append_printf (out, "  %s\n", _("no step of this variant has a legal limit"));
      for (guint i = 0; i < n; i++)
        {
          const PsimNode *step = psim_sim_get_limit_step (s->sim, v, i);
          const PsimQuantity *q = psim_step_get_time_limit (step);
          g_autofree char *e = format_estimate (psim_sim_get_limit_share (s->sim, v, i), TRUE, FALSE);
          g_autofree char *label = g_strdup_printf ("  %s (%g %s)", psim_node_get_id (step),
                                                   q->likely, unit_label (q->unit));
          char *cells[1] = { e };
          append_row (out, label, cells, 1);
        }
    }
  return g_string_free (out, FALSE);
}

/* ---- CSV and JSON ---------------------------------------------------------- */

static void
csv_number (GString *out, double v)
{
  if (isnan (v))
    return;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.6g", v));
}

static void
csv_row (GString *out, const char *variant, const char *scope, const char *figure, PsimEstimate e)
{
  g_string_append_printf (out, "%s,%s,%s,", variant, scope, figure);
  csv_number (out, e.mean);
  g_string_append_c (out, ',');
  csv_number (out, e.n > 1 ? e.half_width : NAN);
  g_string_append_printf (out, ",%u\n", e.n);
}

static char *
simulate_csv (const Simulate *s)
{
  GString *out = g_string_new ("variant,scope,figure,mean,ci95_half_width,replications\n");
  for (guint v = 0; v <= s->n_variants; v++)
    {
      gboolean diff = v == s->n_variants;
      if (diff && s->n_variants < 2)
        break;
      const char *vid = diff ? "B-A" : psim_variant_get_id (psim_sim_get_variant (s->sim, v));
      for (guint f = 0; f < PSIM_FIG_N; f++)
        csv_row (out, vid, "case", psim_sim_figure_to_string (f),
                 diff ? psim_sim_get_difference (s->sim, f) : psim_sim_get_figure (s->sim, v, f));
      for (guint r = 0; r < psim_sim_get_n_resources (s->sim); r++)
        for (guint f = 0; f < PSIM_RES_N; f++)
          csv_row (out, vid, psim_sim_get_resource_id (s->sim, r), psim_sim_res_figure_to_string (f),
                   diff ? psim_sim_get_resource_difference (s->sim, r, f)
                        : psim_sim_get_resource_figure (s->sim, v, r, f));
      if (!diff)
        for (guint i = 0; i < psim_sim_get_n_limits (s->sim, v); i++)
          csv_row (out, vid, psim_node_get_id (psim_sim_get_limit_step (s->sim, v, i)),
                   "over_limit", psim_sim_get_limit_share (s->sim, v, i));
    }
  return g_string_free (out, FALSE);
}

static void
json_estimate (JsonBuilder *b, const char *member, PsimEstimate e, gboolean with_significance)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "mean");
  if (isnan (e.mean))
    json_builder_add_null_value (b);
  else
    json_builder_add_double_value (b, e.mean);
  json_builder_set_member_name (b, "ci95_half_width");
  if (e.n > 1 && !isnan (e.half_width))
    json_builder_add_double_value (b, e.half_width);
  else
    json_builder_add_null_value (b);
  if (with_significance)
    {
      json_builder_set_member_name (b, "significant");
      json_builder_add_boolean_value (b, significant (e));
    }
  json_builder_end_object (b);
}

static void
json_variant (JsonBuilder *b, const Simulate *s, guint v, gboolean diff)
{
  json_builder_begin_object (b);
  if (!diff)
    cli_json_add_string (b, "variant", psim_variant_get_id (psim_sim_get_variant (s->sim, v)));
  for (guint f = 0; f < PSIM_FIG_N; f++)
    json_estimate (b, psim_sim_figure_to_string (f),
                   diff ? psim_sim_get_difference (s->sim, f) : psim_sim_get_figure (s->sim, v, f),
                   diff);
  json_builder_set_member_name (b, "offices");
  json_builder_begin_array (b);
  for (guint r = 0; r < psim_sim_get_n_resources (s->sim); r++)
    {
      json_builder_begin_object (b);
      cli_json_add_string (b, "resource", psim_sim_get_resource_id (s->sim, r));
      for (guint f = 0; f < PSIM_RES_N; f++)
        json_estimate (b, psim_sim_res_figure_to_string (f),
                       diff ? psim_sim_get_resource_difference (s->sim, r, f)
                            : psim_sim_get_resource_figure (s->sim, v, r, f), diff);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  if (diff)
    {
      json_builder_end_object (b);
      return;
    }
  json_builder_set_member_name (b, "legal_limits");
  json_builder_begin_array (b);
  for (guint i = 0; i < psim_sim_get_n_limits (s->sim, v); i++)
    {
      const PsimNode *step = psim_sim_get_limit_step (s->sim, v, i);
      const PsimQuantity *q = psim_step_get_time_limit (step);
      json_builder_begin_object (b);
      cli_json_add_string (b, "step", psim_node_get_id (step));
      cli_json_add_number (b, "limit", q->likely);
      cli_json_add_string (b, "unit", psim_time_unit_to_string (q->unit));
      json_estimate (b, "share_over", psim_sim_get_limit_share (s->sim, v, i), FALSE);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  guint n_bins = 0;
  double width = 0;
  const guint64 *hist = psim_sim_get_histogram (s->sim, v, &n_bins, &width);
  json_builder_set_member_name (b, "lead_histogram");
  json_builder_begin_object (b);
  cli_json_add_number (b, "bin_days", width);
  json_builder_set_member_name (b, "counts");
  json_builder_begin_array (b);
  for (guint i = 0; i < n_bins; i++)
    json_builder_add_int_value (b, (gint64) hist[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static char *
simulate_json (const Simulate *s)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  cli_json_add_string (b, "procedure", psim_procedure_get_id (s->proc));
  json_builder_set_member_name (b, "seed");
  json_builder_add_int_value (b, (gint64) s->opt.seed);
  cli_json_add_number (b, "cases", (double) s->opt.cases);
  cli_json_add_number (b, "replications", psim_sim_get_replications (s->sim));
  cli_json_add_number (b, "warm_up_days", s->opt.warm_up_days);
  json_builder_set_member_name (b, "variants");
  json_builder_begin_array (b);
  for (guint v = 0; v < s->n_variants; v++)
    json_variant (b, s, v, FALSE);
  json_builder_end_array (b);
  if (s->n_variants == 2)
    {
      json_builder_set_member_name (b, "difference");
      json_variant (b, s, 1, TRUE);
    }
  return cli_json_finish (b);
}

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
      N_("Output format: text, csv or json (default text)"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out,
      N_("Write to OUT instead of standard output (whole or not at all)"), N_("OUT") },
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
  if (strcmp (fmt, "text") != 0 && strcmp (fmt, "csv") != 0 && strcmp (fmt, "json") != 0)
    return cli_usage_error ("simulate", _("unknown format '%s' (use text, csv or json)"), fmt);
  if (variant != NULL && compare != NULL)
    return cli_usage_error ("simulate", _("give --variant or --compare, not both"));

  Simulate s = { .lang = env->lang, .file = argv[1] };
  s.opt.seed = 1;
  s.opt.cases = 1000;
  s.opt.replications = 10;
  guint64 n = 0;
  if (cases != NULL && !parse_count (cases, &s.opt.cases, G_GUINT64_CONSTANT (1) << 40))
    return cli_usage_error ("simulate", _("--cases takes a whole number of 1 or more"));
  if (reps != NULL)
    {
      if (!parse_count (reps, &n, 1000000))
        return cli_usage_error ("simulate", _("--replications takes a whole number of 1 or more"));
      s.opt.replications = (guint) n;
    }
  if (precision != NULL && (!parse_real (precision, &s.opt.precision) || s.opt.precision <= 0))
    return cli_usage_error ("simulate", _("--precision takes a number above 0, e.g. 0.02"));
  if (precision != NULL && reps == NULL)
    s.opt.replications = 10;
  if (seed != NULL)
    {
      char *end = NULL;
      if (!g_ascii_isdigit (seed[0]))
        return cli_usage_error ("simulate", _("--seed takes a whole number"));
      s.opt.seed = g_ascii_strtoull (seed, &end, 10);
      if (*end != '\0')
        return cli_usage_error ("simulate", _("--seed takes a whole number"));
    }
  if (warm != NULL && !parse_real (warm, &s.opt.warm_up_days))
    return cli_usage_error ("simulate", _("--warm-up takes a number of days, 0 or more"));
  if (jobs != NULL)
    {
      if (!parse_count (jobs, &n, 1024))
        return cli_usage_error ("simulate", _("--jobs takes a whole number of 1 or more"));
      s.opt.jobs = (guint) n;
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
      s.opt.start = &start_date;
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
  s.proc = proc;
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
  s.n_variants = var[1] != NULL ? 2 : 1;

  g_autoptr (GError) error = NULL;
  g_autoptr (PsimSim) sim = psim_sim_new (proc, var[0], var[1], env->lang, &error);
  if (sim == NULL)
    {
      g_printerr ("%s: %s\n", argv[1], error->message);
      return CLI_EXIT_INVALID;
    }
  s.sim = sim;
  Progress progress = { .started = g_get_monotonic_time () };
  if (isatty (STDERR_FILENO))
    psim_sim_set_progress (sim, on_progress, &progress);
  if (!psim_sim_run (sim, &s.opt, &error))
    {
      g_printerr ("%s: %s\n", argv[1], error->message);
      return error->domain == PSIM_SIM_ERROR && error->code == PSIM_SIM_ERROR_OPTION
        ? CLI_EXIT_USAGE : CLI_EXIT_INVALID;
    }
  s.past_holidays = psim_sim_get_past_holidays (sim, &s.holidays_last_year);

  g_autofree char *text = strcmp (fmt, "csv") == 0    ? simulate_csv (&s)
                          : strcmp (fmt, "json") == 0 ? simulate_json (&s)
                                                      : simulate_text (&s);
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
