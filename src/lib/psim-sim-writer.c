/* psim-sim-writer.c — what every writer of a simulation's results says
 * alike: the labels of the figures, the estimates with their confidence
 * intervals, the heading lines (psim-sim-text.c, -csv.c, -json.c,
 * -html.c).
 */
#include "psim-sim-writer-private.h"

#include <procsim/psim-format.h>

#include <math.h>
#include <string.h>

const char *
psimp_sim_figure_label (PsimSimFigure f, const char *lang)
{
  switch (f)
    {
    case PSIM_FIG_LEAD_MEAN: return psim_gettext (lang, "Lead time, mean (days)");
    case PSIM_FIG_LEAD_MEDIAN: return psim_gettext (lang, "Lead time, median (days)");
    case PSIM_FIG_LEAD_P90: return psim_gettext (lang, "Lead time, 90th percentile (days)");
    case PSIM_FIG_LEAD_P95: return psim_gettext (lang, "Lead time, 95th percentile (days)");
    case PSIM_FIG_LEAD_WORKING_DAYS: return psim_gettext (lang, "Lead time, mean (working days)");
    case PSIM_FIG_APPLICANT_HOURS: return psim_gettext (lang, "Applicant's own time (hours)");
    case PSIM_FIG_VISITS: return psim_gettext (lang, "In-person visits");
    case PSIM_FIG_STEPS: return psim_gettext (lang, "Steps taken");
    case PSIM_FIG_COST: return psim_gettext (lang, "Fees and charges, taxes apart");
    case PSIM_FIG_TAXES: return psim_gettext (lang, "Taxes");
    case PSIM_FIG_OVER_ANY_LIMIT: return psim_gettext (lang, "Share of cases over a legal limit");
    case PSIM_FIG_N:
    default: return "?";
    }
}

const char *
psimp_sim_res_label (PsimResFigure f, const char *lang)
{
  switch (f)
    {
    case PSIM_RES_WAIT_HOURS: return psim_gettext (lang, "wait in the queue (working hours)");
    case PSIM_RES_UTILISATION: return psim_gettext (lang, "utilisation of the clerks");
    case PSIM_RES_QUEUE_MEAN: return psim_gettext (lang, "people waiting, on average");
    case PSIM_RES_SERVED: return psim_gettext (lang, "served per replication");
    case PSIM_RES_N:
    default: return "?";
    }
}

gboolean
psimp_sim_figure_is_share (PsimSimFigure f)
{
  return f == PSIM_FIG_OVER_ANY_LIMIT;
}

gboolean
psimp_sim_figure_is_money (PsimSimFigure f)
{
  return f == PSIM_FIG_COST || f == PSIM_FIG_TAXES;
}

char *
psimp_sim_format_estimate (PsimEstimate e, gboolean share, gboolean money)
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

gboolean
psimp_sim_significant (PsimEstimate d)
{
  return d.n > 1 && !isnan (d.mean) && fabs (d.mean) > d.half_width;
}

char *
psimp_sim_header (const PsimSim *sim)
{
  const char *lang = psim_sim_get_language (sim);
  const PsimSimOptions *opt = psim_sim_get_options (sim);
  int last_year = 0;
  GString *out = g_string_new (NULL);
  char start[32];
  GDate d;
  psim_calendar_get_date (psim_sim_get_calendar (sim), 0, &d, NULL);
  g_date_strftime (start, sizeof start, "%Y-%m-%d", &d);
  g_string_append_printf (out, "%s\n", psim_procedure_get_title (psim_sim_get_procedure (sim), lang));
  for (guint v = 0; v < psim_sim_get_n_variants (sim); v++)
    {
      const PsimVariant *var = psim_sim_get_variant (sim, v);
      g_string_append_printf (out, "  %s: %s [%s]\n", v == 0 ? "A" : "B",
                              psim_variant_get_title (var, lang), psim_variant_get_id (var));
    }
  g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, opt->seed);
  g_autofree char *cases = g_strdup_printf ("%" G_GUINT64_FORMAT, opt->cases);
  g_string_append_printf (out, psim_gettext (lang, "Seed %s; %u replications of %s arriving cases; warm-up %g "
                                 "days; calendar from %s\n"),
                          seed, psim_sim_get_replications (sim), cases, opt->warm_up_days,
                          start);
  /* xgettext:no-c-format */
  g_string_append (out, psim_gettext (lang, "Each figure: the mean over the replications ± the half-width of its "
                          "95 % confidence interval.\n"));
  if (psim_sim_get_past_holidays (sim, &last_year))
    g_string_append_printf (out, psim_gettext (lang, "Warning: the simulated time runs past %d, the last year of "
                                   "the holiday list; later holidays are not known.\n"),
                            last_year);
  return g_string_free (out, FALSE);
}


const char *
psimp_sim_significance_note (const char *lang)
{
  /* xgettext:no-c-format */
  return psim_gettext (lang, "* the difference is significant: its 95 % confidence interval "
                             "(paired, common random numbers) excludes 0.\n");
}

char *
psimp_sim_office_heading (const PsimSim *sim, guint r)
{
  const char *lang = psim_sim_get_language (sim);
  const char *name = psim_actor_get_name (psim_sim_get_resource_actor (sim, r), lang);
  const char *id = psim_sim_get_resource_id (sim, r);
  if (psim_sim_get_resource_n_shifts (sim, r) == 0)
    {
      guint clerks = psim_sim_get_resource_capacity (sim, r);
      return g_strdup_printf (psim_ngettext (lang, "  %s (%s), %u clerk:\n", "  %s (%s), %u clerks:\n",
                                             clerks),
                              name, id, clerks);
    }
  g_autofree char *mean = psim_format_decimal (psim_sim_get_resource_mean_capacity (sim, r), lang);
  return g_strdup_printf (psim_gettext (lang, "  %s (%s), %s clerks on average, by time of day:\n"),
                          name, id, mean);
}
