/* psim-comparison.c — two variants compared for one case: the measures,
 * the cost figures and where they come from, the verdicts on "more than
 * half" (psim-comparison.h); and what the five writers share — the rows
 * in report order, their labels and sections, figures formatted for
 * people, the sentences of the verdicts and the lines on the case and the
 * cost figures — all in the language of the writer's options.
 */
#include "psim-comparison-private.h"

#include <math.h>
#include <string.h>

struct _PsimComparison
{
  gint ref_count;
  PsimProcedure *proc;
  PsimCase *pcase; /* borrowed */
  const PsimVariant *variant[2];
  PsimMeasure *measure[2];
  PsimCostParams params;
  PsimCostOrigin origin[PSIM_N_COSTS];
  PsimVerdict verdicts[3];
};

/* The claims reformers make, in report order. */
static const PsimMetric claims[] = {
  PSIM_METRIC_DB_DAYS,
  PSIM_METRIC_EFFORT_HOURS,
  PSIM_METRIC_APPLICANT_COST,
};

static void
verdict_init (PsimVerdict *v, const PsimComparison *cmp, PsimMetric m)
{
  v->metric = m;
  v->before = psim_measure_get (cmp->measure[0], m);
  v->after = psim_measure_get (cmp->measure[1], m);
  v->change = v->after - v->before;
  v->percent = psim_compare_change_pct (v->before, v->after);
  if (isnan (v->before) || isnan (v->after))
    v->more_than_half = PSIM_HALF_UNKNOWN;
  else
    v->more_than_half = !isnan (v->percent) && v->percent < -50 ? PSIM_HALF_YES : PSIM_HALF_NO;
}

PsimComparison *
psim_comparison_new (const PsimVariant *before, const PsimVariant *after, PsimCase *pcase,
                     const PsimCostParams *overrides, GError **error)
{
  g_return_val_if_fail (before != NULL && after != NULL && pcase != NULL, NULL);
  g_return_val_if_fail (psim_variant_get_procedure (before) == psim_variant_get_procedure (after),
                        NULL);
  g_autoptr (PsimComparison) cmp = g_new0 (PsimComparison, 1);
  cmp->ref_count = 1;
  cmp->proc = psim_procedure_ref ((PsimProcedure *)psim_variant_get_procedure (before));
  cmp->pcase = pcase;
  cmp->variant[0] = before;
  cmp->variant[1] = after;
  psim_cost_params_init (&cmp->params, cmp->proc, pcase);
  double *slots[PSIM_N_COSTS]
      = { &cmp->params.tariff, &cmp->params.travel, &cmp->params.volume, &cmp->params.value };
  const double given[PSIM_N_COSTS]
      = { overrides != NULL ? overrides->tariff : NAN, overrides != NULL ? overrides->travel : NAN,
          overrides != NULL ? overrides->volume : NAN, overrides != NULL ? overrides->value : NAN };
  for (guint i = 0; i < PSIM_N_COSTS; i++)
    {
      cmp->origin[i] = !isnan (given[i])   ? PSIM_COST_ORIGIN_OVERRIDE
                       : isnan (*slots[i]) ? PSIM_COST_ORIGIN_NONE
                                           : PSIM_COST_ORIGIN_FILE;
      if (!isnan (given[i]))
        *slots[i] = given[i];
    }
  for (guint k = 0; k < 2; k++)
    {
      cmp->measure[k] = psim_measure_new (cmp->variant[k], pcase, &cmp->params, error);
      if (cmp->measure[k] == NULL)
        return NULL;
    }
  for (guint i = 0; i < G_N_ELEMENTS (claims); i++)
    verdict_init (&cmp->verdicts[i], cmp, claims[i]);
  return g_steal_pointer (&cmp);
}

PsimComparison *
psim_comparison_ref (PsimComparison *cmp)
{
  g_return_val_if_fail (cmp != NULL, NULL);
  g_atomic_int_inc (&cmp->ref_count);
  return cmp;
}

void
psim_comparison_unref (PsimComparison *cmp)
{
  if (cmp == NULL || !g_atomic_int_dec_and_test (&cmp->ref_count))
    return;
  psim_measure_free (cmp->measure[0]);
  psim_measure_free (cmp->measure[1]);
  psim_procedure_unref (cmp->proc);
  g_free (cmp);
}

const PsimProcedure *
psim_comparison_get_procedure (const PsimComparison *cmp)
{
  return cmp->proc;
}

PsimCase *
psim_comparison_get_case (const PsimComparison *cmp)
{
  return cmp->pcase;
}

const PsimVariant *
psim_comparison_get_variant (const PsimComparison *cmp, guint k)
{
  g_return_val_if_fail (k < 2, NULL);
  return cmp->variant[k];
}

const PsimMeasure *
psim_comparison_get_measure (const PsimComparison *cmp, guint k)
{
  g_return_val_if_fail (k < 2, NULL);
  return cmp->measure[k];
}

const PsimCostParams *
psim_comparison_get_params (const PsimComparison *cmp)
{
  return &cmp->params;
}

PsimCostOrigin
psim_comparison_get_origin (const PsimComparison *cmp, PsimCost cost)
{
  g_return_val_if_fail (cost < PSIM_N_COSTS, PSIM_COST_ORIGIN_NONE);
  return cmp->origin[cost];
}

guint
psim_comparison_get_n_verdicts (const PsimComparison *cmp)
{
  return G_N_ELEMENTS (cmp->verdicts);
}

const PsimVerdict *
psim_comparison_get_verdict (const PsimComparison *cmp, guint i)
{
  g_return_val_if_fail (i < G_N_ELEMENTS (cmp->verdicts), NULL);
  return &cmp->verdicts[i];
}

char *
psim_comparison_dup_verdict_text (const PsimComparison *cmp, guint i, const char *lang)
{
  g_return_val_if_fail (cmp != NULL && i < G_N_ELEMENTS (cmp->verdicts), NULL);
  PsimComparisonOptions options = { .lang = lang };
  PsimpCompare c;
  psimp_compare_init (&c, cmp, &options);
  return psimp_compare_verdict_text (&c, i);
}

/* ---- what the writers share ------------------------------------------------ */

void
psimp_compare_init (PsimpCompare *c, const PsimComparison *cmp,
                    const PsimComparisonOptions *options)
{
  *c = (PsimpCompare){
    .lang = psim_lang_normalize (options != NULL ? options->lang : NULL),
    .explain = options != NULL && options->explain,
    .cmp = cmp,
    .proc = cmp->proc,
    .pcase = cmp->pcase,
    .variant = { cmp->variant[0], cmp->variant[1] },
    .measure = { cmp->measure[0], cmp->measure[1] },
    .params = cmp->params,
    .origin = { cmp->origin[0], cmp->origin[1], cmp->origin[2], cmp->origin[3] },
    .currency = psim_procedure_get_currency (cmp->proc),
  };
}

const PsimMetric psimp_compare_rows[] = {
  PSIM_METRIC_STEPS,
  PSIM_METRIC_PROCEDURES,
  PSIM_METRIC_VISITS,
  PSIM_METRIC_AGENCIES,
  PSIM_METRIC_HANDOFFS,
  PSIM_METRIC_EXCHANGES,
  PSIM_METRIC_DOCUMENTS,
  PSIM_METRIC_DOCUMENTS_REPEATED,
  PSIM_METRIC_DOCUMENTS_FETCHED,
  PSIM_METRIC_DB_DAYS,
  PSIM_METRIC_WORKING_DAYS,
  PSIM_METRIC_CALENDAR_DAYS,
  PSIM_METRIC_ELAPSED_HOURS,
  PSIM_METRIC_EFFORT_HOURS,
  PSIM_METRIC_TAXES,
  PSIM_METRIC_FEES,
  PSIM_METRIC_SERVICE,
  PSIM_METRIC_OWN_TIME_COST,
  PSIM_METRIC_TRAVEL_COST,
  PSIM_METRIC_APPLICANT_COST,
  PSIM_METRIC_APPLICANT_COST_PCT,
  PSIM_METRIC_TAXES_PCT,
  PSIM_METRIC_SCM_HOURS,
  PSIM_METRIC_SCM_BURDEN,
};
const guint psimp_compare_n_rows = G_N_ELEMENTS (psimp_compare_rows);

gboolean
psimp_compare_shows (const PsimpCompare *c, PsimMetric metric)
{
  if (metric != PSIM_METRIC_CALENDAR_DAYS && metric != PSIM_METRIC_ELAPSED_HOURS)
    return TRUE;
  return psim_measure_get (c->measure[0], metric) != 0
         || psim_measure_get (c->measure[1], metric) != 0
         || psim_measure_get_expected (c->measure[0], metric) > 0
         || psim_measure_get_expected (c->measure[1], metric) > 0;
}

double
psimp_compare_value (const PsimpCompare *c, guint k, PsimMetric metric)
{
  return c->expected ? psim_measure_get_expected (c->measure[k], metric)
                     : psim_measure_get (c->measure[k], metric);
}

PsimpCompare
psimp_compare_expected (const PsimpCompare *c)
{
  PsimpCompare e = *c;
  e.expected = TRUE;
  return e;
}

const PsimMetric psimp_compare_expected_rows[] = {
  PSIM_METRIC_STEPS,         PSIM_METRIC_PROCEDURES,         PSIM_METRIC_VISITS,
  PSIM_METRIC_AGENCIES,      PSIM_METRIC_HANDOFFS,           PSIM_METRIC_EXCHANGES,
  PSIM_METRIC_DOCUMENTS,     PSIM_METRIC_DOCUMENTS_REPEATED, PSIM_METRIC_DOCUMENTS_FETCHED,
  PSIM_METRIC_DB_DAYS,       PSIM_METRIC_WORKING_DAYS,       PSIM_METRIC_CALENDAR_DAYS,
  PSIM_METRIC_ELAPSED_HOURS, PSIM_METRIC_EFFORT_HOURS,       PSIM_METRIC_FEES,
  PSIM_METRIC_APPLICANT_COST,
};
const guint psimp_compare_n_expected_rows = G_N_ELEMENTS (psimp_compare_expected_rows);

const char *
psimp_compare_expected_heading (const PsimpCompare *c)
{
  return psim_gettext (c->lang, "Expected values over chance and loops");
}

char *
psimp_compare_expected_note (const PsimpCompare *c)
{
  GString *out = g_string_new (psim_gettext (c->lang,
                       "The figures above follow one path: the most likely branch at each choice "
                       "decided by chance, unless a branch is set for the case. These are the "
                       "averages over the branches' probabilities, a loop taken with probability "
                       "p being walked 1/(1−p) times; an agency, and a document supplied again, "
                       "count by the chance of meeting them at all."));
  for (guint k = 0; k < 2; k++)
    if (!psim_measure_has_expected (c->measure[k]))
      {
        g_autofree char *heading = psimp_compare_variant_heading (c, k);
        g_string_append_c (out, ' ');
        g_string_append_printf (out,
                                psim_gettext (c->lang,
                                              "%s: no expected values (—): for this case, chance "
                                              "can send it round a loop that it never leaves."),
                                heading);
      }
  return g_string_free (out, FALSE);
}

const char *
psimp_compare_section (const PsimpCompare *c, PsimMetric metric)
{
  if (c->expected)
    return NULL;
  switch (metric)
    {
    case PSIM_METRIC_STEPS: return psim_gettext (c->lang, "Counts");
    case PSIM_METRIC_DB_DAYS: return psim_gettext (c->lang, "Time");
    case PSIM_METRIC_TAXES: return psim_gettext (c->lang, "Money");
    case PSIM_METRIC_SCM_HOURS:
      return psim_gettext (c->lang, "Administrative burden (Standard Cost Model)");
    default: return NULL;
    }
}

const char *
psimp_compare_label (const PsimpCompare *c, PsimMetric metric)
{
  gboolean income = c->params.value_kind == PSIM_VALUE_INCOME;
  switch (metric)
    {
    case PSIM_METRIC_STEPS: return psim_gettext (c->lang, "Steps");
    case PSIM_METRIC_PROCEDURES: return psim_gettext (c->lang, "Procedures (interactions)");
    case PSIM_METRIC_VISITS: return psim_gettext (c->lang, "In-person visits");
    case PSIM_METRIC_AGENCIES: return psim_gettext (c->lang, "Agencies involved");
    case PSIM_METRIC_HANDOFFS: return psim_gettext (c->lang, "Hand-offs on paper");
    case PSIM_METRIC_EXCHANGES: return psim_gettext (c->lang, "Electronic exchanges");
    case PSIM_METRIC_DOCUMENTS: return psim_gettext (c->lang, "Documents supplied");
    case PSIM_METRIC_DOCUMENTS_REPEATED: return psim_gettext (c->lang, "of which submitted again");
    case PSIM_METRIC_DOCUMENTS_FETCHED: return psim_gettext (c->lang, "Documents fetched");
    case PSIM_METRIC_DB_DAYS: return psim_gettext (c->lang, "Doing Business days");
    case PSIM_METRIC_WORKING_DAYS: return psim_gettext (c->lang, "Working days, model");
    case PSIM_METRIC_CALENDAR_DAYS: return psim_gettext (c->lang, "Calendar days, model");
    case PSIM_METRIC_ELAPSED_HOURS: return psim_gettext (c->lang, "Hours elapsed, model");
    case PSIM_METRIC_EFFORT_HOURS: return psim_gettext (c->lang, "Applicant's time, hours");
    case PSIM_METRIC_TAXES: return psim_gettext (c->lang, "Taxes (a reform does not change them)");
    case PSIM_METRIC_FEES: return psim_gettext (c->lang, "Official fees");
    case PSIM_METRIC_SERVICE: return psim_gettext (c->lang, "Service charges");
    case PSIM_METRIC_OWN_TIME_COST: return psim_gettext (c->lang, "Applicant's time × tariff");
    case PSIM_METRIC_TRAVEL_COST: return psim_gettext (c->lang, "Travel (visits × fare)");
    case PSIM_METRIC_APPLICANT_COST: return psim_gettext (c->lang, "Applicant's cost, taxes apart");
    case PSIM_METRIC_APPLICANT_COST_PCT:
      if (income)
        /* xgettext:no-c-format */
        return psim_gettext (c->lang, "Applicant's cost, % of income per capita");
      /* xgettext:no-c-format */
      return psim_gettext (c->lang, "Applicant's cost, % of property value");
    case PSIM_METRIC_TAXES_PCT:
      if (income)
        /* xgettext:no-c-format */
        return psim_gettext (c->lang, "Taxes, % of income per capita");
      /* xgettext:no-c-format */
      return psim_gettext (c->lang, "Taxes, % of property value");
    case PSIM_METRIC_SCM_HOURS: return psim_gettext (c->lang, "Hours per year, all cases");
    case PSIM_METRIC_SCM_BURDEN:
      return psim_gettext (c->lang, "Burden per year, hours × tariff × cases");
    default: return "?";
    }
}

char *
psimp_compare_format (const PsimpCompare *c, PsimMetric metric, double value)
{
  if (isnan (value))
    return g_strdup ("—");
  if (psim_metric_get_unit (metric) == PSIM_METRIC_UNIT_MONEY || metric == PSIM_METRIC_SCM_HOURS)
    return psim_format_amount (value, c->lang);
  /* Percentages of a large base are small: keep three decimals. */
  if (psim_metric_get_unit (metric) == PSIM_METRIC_UNIT_PERCENT)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      char *s = g_strdup (g_ascii_formatd (buf, sizeof buf, "%.3f", value));
      if (g_strcmp0 (c->lang, "vi") == 0)
        g_strdelimit (s, ".", ',');
      return s;
    }
  return psim_format_decimal (value, c->lang);
}

double
psimp_compare_change_of (const PsimpCompare *c, PsimMetric metric)
{
  return psimp_compare_value (c, 1, metric) - psimp_compare_value (c, 0, metric);
}

double
psimp_compare_pct_of (const PsimpCompare *c, PsimMetric metric)
{
  return psim_compare_change_pct (psimp_compare_value (c, 0, metric),
                                  psimp_compare_value (c, 1, metric));
}

char *
psimp_compare_format_change (const PsimpCompare *c, PsimMetric metric)
{
  double d = psimp_compare_change_of (c, metric);
  g_autofree char *abs = psimp_compare_format (c, metric, fabs (d));
  if (isnan (d) || d == 0)
    return g_strdup (isnan (d) ? "—" : "0");
  return g_strconcat (d > 0 ? "+" : "-", abs, NULL);
}

/* A percentage as printed: rounded half away from zero; with one decimal
 * when the rounding would make a fall of more than half read "50 %". */
static char *
format_pct_value (double p)
{
  double r = round (fabs (p));
  if (r == 50 && fabs (p) != 50)
    return g_strdup_printf ("%.1f", fabs (p));
  return g_strdup_printf ("%.0f", r);
}

char *
psimp_compare_format_pct (const PsimpCompare *c, PsimMetric metric)
{
  double p = psimp_compare_pct_of (c, metric);
  if (isnan (p))
    return g_strdup ("—");
  if (round (p) == 0)
    return g_strdup ("0 %");
  g_autofree char *n = format_pct_value (p);
  return g_strdup_printf ("%s%s %%", p > 0 ? "+" : "-", n);
}

/* Verdict @i as a sentence, no newline. (transfer full) */
char *
psimp_compare_verdict_text (const PsimpCompare *c, guint i)
{
  const PsimVerdict *v = psim_comparison_get_verdict (c->cmp, i);
  PsimMetric m = v->metric;
  const char *what = m == PSIM_METRIC_DB_DAYS
                         ? psim_gettext (c->lang, "Time by the Doing Business rule")
                     : m == PSIM_METRIC_EFFORT_HOURS
                         ? psim_gettext (c->lang, "The applicant's own time")
                         : psim_gettext (c->lang, "The applicant's cost (taxes apart)");
  double before = v->before, after = v->after, p = v->percent;
  g_autofree char *a = psimp_compare_format (c, m, before);
  g_autofree char *b = psimp_compare_format (c, m, after);
  g_autofree char *n = isnan (p) ? NULL : format_pct_value (p);
  const char *unit = m == PSIM_METRIC_DB_DAYS        ? psim_gettext (c->lang, "days")
                     : m == PSIM_METRIC_EFFORT_HOURS ? psim_gettext (c->lang, "hours")
                                                     : c->currency;
  if (isnan (before) || isnan (after))
    return g_strdup_printf (
        psim_gettext (c->lang, "%s cannot be compared: a figure it needs is not given."), what);
  if (before == after)
    return g_strdup_printf (psim_gettext (c->lang, "%s does not change (%s %s)."), what, a, unit);
  if (before == 0)
    return g_strdup_printf (psim_gettext (c->lang, "%s rises from 0 to %s %s."), what, b, unit);
  if (p < -50)
    return g_strdup_printf (
        psim_gettext (c->lang, "%s falls by %s %% (%s → %s %s): more than half."), what, n, a, b,
        unit);
  if (p < 0)
    return g_strdup_printf (
        psim_gettext (c->lang, "%s falls by %s %% (%s → %s %s): not more than half."), what, n, a,
        b, unit);
  return g_strdup_printf (psim_gettext (c->lang, "%s rises by %s %% (%s → %s %s)."), what, n, a, b,
                          unit);
}

/* A source for a line of text: its citation's first sentence, at most
 * SOURCE_WORDS_MAX characters cut at a space with "…", then its id in
 * brackets ("A survey [survey]"). (transfer full) */
enum
{
  SOURCE_WORDS_MAX = 60
};

static char *
source_label (const PsimSource *source)
{
  const char *citation = psim_source_get_citation (source);
  const char *stop = strstr (citation, ". ");
  g_autofree char *first = stop != NULL ? g_strndup (citation, stop - citation)
                                        : g_strdup (citation);
  g_strstrip (first);
  if (g_utf8_strlen (first, -1) > SOURCE_WORDS_MAX)
    {
      char *cut = g_utf8_offset_to_pointer (first, SOURCE_WORDS_MAX);
      *cut = '\0';
      char *space = strrchr (first, ' ');
      if (space != NULL && space > first)
        *space = '\0';
      g_autofree char *whole = g_strconcat (first, "…", NULL);
      g_free (first);
      first = g_steal_pointer (&whole);
    }
  return first[0] != '\0' ? g_strdup_printf ("%s [%s]", first, psim_source_get_id (source))
                           : g_strdup (psim_source_get_id (source));
}

static char *
origin_label (const PsimpCompare *c, PsimCostOrigin o, const PsimFigure *f)
{
  if (o == PSIM_COST_ORIGIN_OVERRIDE)
    return g_strdup (psim_gettext (c->lang, "command line"));
  if (f != NULL && f->basis == PSIM_BASIS_SOURCED && f->source != NULL)
    return source_label (f->source);
  return g_strdup (psim_gettext (c->lang, "estimated"));
}

/* A parameter's label in @lang, its id when it has none. (transfer none) */
static const char *
param_label (const PsimParam *param, const char *lang)
{
  const char *label = psim_param_get_label (param, lang);
  return label != NULL ? label : psim_param_get_id (param);
}

char *
psimp_compare_params_line (const PsimpCompare *c)
{
  const PsimFigure *figs[3]
      = { psim_procedure_get_tariff (c->proc), psim_procedure_get_travel (c->proc),
          psim_procedure_get_volume (c->proc) };
  const double values[3] = { c->params.tariff, c->params.travel, c->params.volume };
  GString *out = g_string_new (psim_gettext (c->lang, "Cost figures:"));
  for (guint i = 0; i < 3; i++)
    {
      gboolean given = c->origin[i] != PSIM_COST_ORIGIN_NONE;
      g_autofree char *v = given ? psim_format_amount (values[i], c->lang) : g_strdup ("—");
      g_autofree char *o = given ? origin_label (c, c->origin[i], figs[i])
                                 : g_strdup (psim_gettext (c->lang, "not given"));
      g_string_append (out, i > 0 ? "; " : " ");
      if (i == 0)
        g_string_append_printf (out, psim_gettext (c->lang, "tariff %s %s per hour (%s)"), v,
                                c->currency, o);
      else if (i == 1)
        g_string_append_printf (out, psim_gettext (c->lang, "travel %s %s per visit (%s)"), v,
                                c->currency, o);
      else
        g_string_append_printf (out, psim_gettext (c->lang, "%s cases a year (%s)"), v, o);
    }
  g_string_append (out, "; ");
  const PsimParam *param = NULL;
  const PsimFigure *fig = NULL;
  psim_procedure_get_value_base (c->proc, NULL, &param, &fig);
  const char *base = c->params.value_kind == PSIM_VALUE_INCOME
                         ? psim_gettext (c->lang, "income per capita")
                         : psim_gettext (c->lang, "property value");
  if (isnan (c->params.value))
    g_string_append_printf (out, psim_gettext (c->lang, "%s not given"), base);
  else
    {
      g_autofree char *v = psim_format_amount (c->params.value, c->lang);
      g_autofree char *o = c->origin[3] == PSIM_COST_ORIGIN_OVERRIDE
                               ? g_strdup (psim_gettext (c->lang, "command line"))
                           : param != NULL ? g_strdup (param_label (param, c->lang))
                                           : origin_label (c, PSIM_COST_ORIGIN_FILE, fig);
      g_string_append_printf (out, psim_gettext (c->lang, "%s %s %s (%s)"), base, v, c->currency,
                              o);
    }
  return g_string_free (out, FALSE);
}

char *
psimp_compare_case_line (const PsimpCompare *c)
{
  return psim_format_case (c->pcase, c->lang);
}

/* What step @r of variant @k contributes, "Label value · Label value", in
 * report order; NULL when it contributes nothing. (transfer full) */
char *
psimp_compare_explain_line (const PsimpCompare *c, guint k, guint r)
{
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < psimp_compare_n_rows; i++)
    {
      PsimMetric m = psimp_compare_rows[i];
      double v = psim_measure_get_contribution (c->measure[k], r, m);
      if (v == 0 || isnan (v) || m == PSIM_METRIC_STEPS)
        continue;
      g_autofree char *shown = psimp_compare_format (c, m, v);
      g_string_append_printf (out, "%s%s %s", out->len > 0 ? " · " : "", psimp_compare_label (c, m),
                              shown);
    }
  if (out->len == 0)
    g_string_append (out, psim_gettext (c->lang, "nothing (no figure changes)"));
  return g_string_free (out, FALSE);
}

const char *
psimp_compare_side_name (const PsimpCompare *c, guint k)
{
  return k == 0 ? psim_pgettext (c->lang, "side", "Before") : psim_pgettext (c->lang, "side", "After");
}

char *
psimp_compare_variant_heading (const PsimpCompare *c, guint k)
{
  return g_strdup_printf ("%s [%s]", psim_variant_get_title (c->variant[k], c->lang),
                          psim_variant_get_id (c->variant[k]));
}

guint
psimp_compare_n_limits (const PsimpCompare *c, guint k)
{
  return psim_path_get_n_limits (psim_measure_get_path (c->measure[k]));
}

char *
psimp_compare_limits_heading (const PsimpCompare *c, guint k)
{
  g_autofree char *h = psimp_compare_variant_heading (c, k);
  g_autofree char *side = g_strdup_printf ("%s %s", psim_gettext (c->lang, k == 0 ? "Before:" : "After:"), h);
  return g_strdup_printf (psim_gettext (c->lang, "Legal time limits: %s"), side);
}

char *
psimp_compare_limit_line (const PsimpCompare *c, guint k, guint i)
{
  const PsimPath *path = psim_measure_get_path (c->measure[k]);
  return psim_limit_check_to_text (psim_path_get_limit (path, i), c->lang);
}
