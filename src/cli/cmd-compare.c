/* cmd-compare.c — `procsim compare FILE`: two variants of a procedure for
 * one case, figure by figure, in the measures reformers use (Doing
 * Business counts and days, money kept apart, the Standard Cost Model's
 * burden), with the change and plain statements on "more than half".
 * The figures come from the library (psim-compare.h); this file writes
 * them as text, CSV, JSON or Markdown, and compare-html.c as HTML.
 */
#include "compare.h"

#include <errno.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

const PsimMetric compare_rows[] = {
  PSIM_METRIC_STEPS, PSIM_METRIC_PROCEDURES, PSIM_METRIC_VISITS, PSIM_METRIC_AGENCIES,
  PSIM_METRIC_HANDOFFS, PSIM_METRIC_DOCUMENTS, PSIM_METRIC_DOCUMENTS_REPEATED,
  PSIM_METRIC_DB_DAYS, PSIM_METRIC_WORKING_DAYS, PSIM_METRIC_CALENDAR_DAYS,
  PSIM_METRIC_ELAPSED_HOURS, PSIM_METRIC_EFFORT_HOURS,
  PSIM_METRIC_TAXES, PSIM_METRIC_FEES, PSIM_METRIC_SERVICE, PSIM_METRIC_OWN_TIME_COST,
  PSIM_METRIC_TRAVEL_COST, PSIM_METRIC_APPLICANT_COST, PSIM_METRIC_APPLICANT_COST_PCT,
  PSIM_METRIC_TAXES_PCT,
  PSIM_METRIC_SCM_HOURS, PSIM_METRIC_SCM_BURDEN,
};
const guint compare_n_rows = G_N_ELEMENTS (compare_rows);

gboolean
compare_shows (const Compare *c, PsimMetric metric)
{
  if (metric != PSIM_METRIC_CALENDAR_DAYS && metric != PSIM_METRIC_ELAPSED_HOURS)
    return TRUE;
  return psim_measure_get (c->measure[0], metric) != 0
         || psim_measure_get (c->measure[1], metric) != 0;
}

const char *
compare_section (PsimMetric metric)
{
  switch (metric)
    {
    case PSIM_METRIC_STEPS: return _("Counts");
    case PSIM_METRIC_DB_DAYS: return _("Time");
    case PSIM_METRIC_TAXES: return _("Money");
    case PSIM_METRIC_SCM_HOURS: return _("Administrative burden (Standard Cost Model)");
    default: return NULL;
    }
}

const char *
compare_label (const Compare *c, PsimMetric metric)
{
  gboolean income = c->params.value_kind == PSIM_VALUE_INCOME;
  switch (metric)
    {
    case PSIM_METRIC_STEPS: return _("Steps");
    case PSIM_METRIC_PROCEDURES: return _("Procedures (interactions)");
    case PSIM_METRIC_VISITS: return _("In-person visits");
    case PSIM_METRIC_AGENCIES: return _("Agencies involved");
    case PSIM_METRIC_HANDOFFS: return _("Hand-offs between actors");
    case PSIM_METRIC_DOCUMENTS: return _("Documents submitted");
    case PSIM_METRIC_DOCUMENTS_REPEATED: return _("of which submitted again");
    case PSIM_METRIC_DB_DAYS: return _("Doing Business days");
    case PSIM_METRIC_WORKING_DAYS: return _("Working days, model");
    case PSIM_METRIC_CALENDAR_DAYS: return _("Calendar days, model");
    case PSIM_METRIC_ELAPSED_HOURS: return _("Hours elapsed, model");
    case PSIM_METRIC_EFFORT_HOURS: return _("Applicant's time, hours");
    case PSIM_METRIC_TAXES: return _("Taxes (a reform does not change them)");
    case PSIM_METRIC_FEES: return _("Official fees");
    case PSIM_METRIC_SERVICE: return _("Service charges");
    case PSIM_METRIC_OWN_TIME_COST: return _("Applicant's time × tariff");
    case PSIM_METRIC_TRAVEL_COST: return _("Travel (visits × fare)");
    case PSIM_METRIC_APPLICANT_COST: return _("Applicant's cost, taxes apart");
    case PSIM_METRIC_APPLICANT_COST_PCT:
      if (income)
        /* xgettext:no-c-format */
        return _("Applicant's cost, % of income per capita");
      /* xgettext:no-c-format */
      return _("Applicant's cost, % of property value");
    case PSIM_METRIC_TAXES_PCT:
      if (income)
        /* xgettext:no-c-format */
        return _("Taxes, % of income per capita");
      /* xgettext:no-c-format */
      return _("Taxes, % of property value");
    case PSIM_METRIC_SCM_HOURS: return _("Hours per year, all cases");
    case PSIM_METRIC_SCM_BURDEN: return _("Burden per year, hours × tariff × cases");
    default: return "?";
    }
}

char *
compare_format (const Compare *c, PsimMetric metric, double value)
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

static double
change_of (const Compare *c, PsimMetric metric)
{
  return psim_measure_get (c->measure[1], metric) - psim_measure_get (c->measure[0], metric);
}

static double
pct_of (const Compare *c, PsimMetric metric)
{
  return psim_compare_change_pct (psim_measure_get (c->measure[0], metric),
                                  psim_measure_get (c->measure[1], metric));
}

char *
compare_format_change (const Compare *c, PsimMetric metric)
{
  double d = change_of (c, metric);
  g_autofree char *abs = compare_format (c, metric, fabs (d));
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
compare_format_pct (const Compare *c, PsimMetric metric)
{
  double p = pct_of (c, metric);
  if (isnan (p))
    return g_strdup ("—");
  if (round (p) == 0)
    return g_strdup ("0 %");
  g_autofree char *n = format_pct_value (p);
  return g_strdup_printf ("%s%s %%", p > 0 ? "+" : "-", n);
}

/* What a statement says of @m: -1 unknown, 0 not more than half, 1 more
 * than half. A figure that is 0 before cannot fall by half. */
static int
more_than_half (const Compare *c, PsimMetric m)
{
  double a = psim_measure_get (c->measure[0], m), b = psim_measure_get (c->measure[1], m);
  if (isnan (a) || isnan (b))
    return -1;
  double p = pct_of (c, m);
  return !isnan (p) && p < -50;
}

char *
compare_statements (const Compare *c)
{
  static const PsimMetric claims[] = {
    PSIM_METRIC_DB_DAYS, PSIM_METRIC_EFFORT_HOURS, PSIM_METRIC_APPLICANT_COST,
  };
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (claims); i++)
    {
      PsimMetric m = claims[i];
      const char *what = m == PSIM_METRIC_DB_DAYS        ? _("Time by the Doing Business rule")
                         : m == PSIM_METRIC_EFFORT_HOURS ? _("The applicant's own time")
                                                         : _("The applicant's cost (taxes apart)");
      double before = psim_measure_get (c->measure[0], m);
      double after = psim_measure_get (c->measure[1], m);
      double p = pct_of (c, m);
      g_autofree char *a = compare_format (c, m, before);
      g_autofree char *b = compare_format (c, m, after);
      g_autofree char *n = isnan (p) ? NULL : format_pct_value (p);
      const char *unit = m == PSIM_METRIC_DB_DAYS        ? _("days")
                         : m == PSIM_METRIC_EFFORT_HOURS ? _("hours")
                                                         : c->currency;
      if (isnan (before) || isnan (after))
        g_string_append_printf (out, _("%s cannot be compared: a figure it needs is not given."),
                                what);
      else if (before == after)
        g_string_append_printf (out, _("%s does not change (%s %s)."), what, a, unit);
      else if (before == 0)
        g_string_append_printf (out, _("%s rises from 0 to %s %s."), what, b, unit);
      else if (p < -50)
        g_string_append_printf (out, _("%s falls by %s %% (%s → %s %s): more than half."), what,
                                n, a, b, unit);
      else if (p < 0)
        g_string_append_printf (out, _("%s falls by %s %% (%s → %s %s): not more than half."),
                                what, n, a, b, unit);
      else
        g_string_append_printf (out, _("%s rises by %s %% (%s → %s %s)."), what, n, a, b, unit);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

static const char *
origin_label (CompareOrigin o, const PsimFigure *f)
{
  if (o == ORIGIN_COMMAND)
    return _("command line");
  if (f != NULL && f->basis == PSIM_BASIS_SOURCED && f->source != NULL)
    return psim_source_get_id (f->source);
  return _("estimated");
}

char *
compare_params_line (const Compare *c)
{
  const PsimFigure *figs[3] = { psim_procedure_get_tariff (c->proc),
                                psim_procedure_get_travel (c->proc),
                                psim_procedure_get_volume (c->proc) };
  const double values[3] = { c->params.tariff, c->params.travel, c->params.volume };
  GString *out = g_string_new (_("Cost figures:"));
  for (guint i = 0; i < 3; i++)
    {
      gboolean given = c->origin[i] != ORIGIN_NONE;
      g_autofree char *v = given ? psim_format_amount (values[i], c->lang) : g_strdup ("—");
      const char *o = given ? origin_label (c->origin[i], figs[i]) : _("not given");
      g_string_append (out, i > 0 ? "; " : " ");
      if (i == 0)
        g_string_append_printf (out, _("tariff %s %s per hour (%s)"), v, c->currency, o);
      else if (i == 1)
        g_string_append_printf (out, _("travel %s %s per visit (%s)"), v, c->currency, o);
      else
        g_string_append_printf (out, _("%s cases a year (%s)"), v, o);
    }
  g_string_append (out, "; ");
  const PsimParam *param = NULL;
  const PsimFigure *fig = NULL;
  psim_procedure_get_value_base (c->proc, NULL, &param, &fig);
  const char *base = c->params.value_kind == PSIM_VALUE_INCOME ? _("income per capita")
                                                               : _("property value");
  if (isnan (c->params.value))
    g_string_append_printf (out, _("%s not given"), base);
  else
    {
      g_autofree char *v = psim_format_amount (c->params.value, c->lang);
      const char *o = c->origin[3] == ORIGIN_COMMAND ? _("command line")
                      : param != NULL                ? psim_param_get_id (param)
                                                     : origin_label (ORIGIN_FILE, fig);
      g_string_append_printf (out, _("%s %s %s (%s)"), base, v, c->currency, o);
    }
  return g_string_free (out, FALSE);
}

char *
compare_case_line (const Compare *c)
{
  return cli_case_line (c->proc, c->pcase, c->lang);
}

/* What step @r of variant @k contributes, "Label value · Label value", in
 * report order; NULL when it contributes nothing. (transfer full) */
static char *
explain_line (const Compare *c, guint k, guint r)
{
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < compare_n_rows; i++)
    {
      PsimMetric m = compare_rows[i];
      double v = psim_measure_get_contribution (c->measure[k], r, m);
      if (v == 0 || isnan (v) || m == PSIM_METRIC_STEPS)
        continue;
      g_autofree char *shown = compare_format (c, m, v);
      g_string_append_printf (out, "%s%s %s", out->len > 0 ? " · " : "", compare_label (c, m),
                              shown);
    }
  if (out->len == 0)
    g_string_append (out, _("nothing (no figure changes)"));
  return g_string_free (out, FALSE);
}

static char *
variant_heading (const Compare *c, guint k)
{
  return g_strdup_printf ("%s [%s]", psim_variant_get_title (c->variant[k], c->lang),
                          psim_variant_get_id (c->variant[k]));
}

/* ---- text ------------------------------------------------------------------ */

enum { LABEL_W = 27, VALUE_W = 15, CHANGE_W = 16, PCT_W = 7 };

/* Right-aligned in @width columns, and never touching the column before. */
static void
append_right (GString *out, const char *text, guint width)
{
  glong n = g_utf8_strlen (text, -1);
  g_string_append_c (out, ' ');
  for (; n < (glong) width - 1; n++)
    g_string_append_c (out, ' ');
  g_string_append (out, text);
}

static char *
compare_text (const Compare *c)
{
  GString *out = g_string_new (NULL);
  g_autofree char *h0 = variant_heading (c, 0);
  g_autofree char *h1 = variant_heading (c, 1);
  g_autofree char *case_line = compare_case_line (c);
  g_autofree char *params = compare_params_line (c);
  g_string_append_printf (out, "%s\n", psim_procedure_get_title (c->proc, c->lang));
  g_string_append_printf (out, _("Before: %s\nAfter: %s\n"), h0, h1);
  g_string_append_printf (out, "%s\n%s\n\n", case_line, params);

  cli_append_padded (out, "", LABEL_W);
  append_right (out, psim_variant_get_id (c->variant[0]), VALUE_W);
  append_right (out, psim_variant_get_id (c->variant[1]), VALUE_W);
  append_right (out, _("change"), CHANGE_W);
  append_right (out, "%", PCT_W);
  g_string_append_c (out, '\n');
  for (guint i = 0; i < compare_n_rows; i++)
    {
      PsimMetric m = compare_rows[i];
      if (!compare_shows (c, m))
        continue;
      if (compare_section (m) != NULL)
        g_string_append_printf (out, "%s\n", compare_section (m));
      g_autofree char *label = g_strconcat ("  ", compare_label (c, m), NULL);
      /* A label too long for its column gets a line of its own. */
      if (g_utf8_strlen (label, -1) > LABEL_W)
        {
          g_string_append_printf (out, "%s\n", label);
          label[0] = '\0';
        }
      cli_append_padded (out, label, LABEL_W);
      for (guint k = 0; k < 2; k++)
        {
          g_autofree char *v = compare_format (c, m, psim_measure_get (c->measure[k], m));
          append_right (out, v, VALUE_W);
        }
      g_autofree char *d = compare_format_change (c, m);
      g_autofree char *p = compare_format_pct (c, m);
      append_right (out, d, CHANGE_W);
      append_right (out, p, PCT_W);
      g_string_append_c (out, '\n');
    }
  g_autofree char *statements = compare_statements (c);
  g_string_append_printf (out, "\n%s", statements);

  for (guint k = 0; c->explain && k < 2; k++)
    {
      g_autofree char *h = variant_heading (c, k);
      g_string_append_printf (out, "\n");
      g_string_append_printf (out, _("What each step contributes: %s\n"), h);
      for (guint r = 0; r < psim_measure_get_n_steps (c->measure[k]); r++)
        {
          const PsimNode *n = psim_measure_get_step (c->measure[k], r);
          g_autofree char *line = explain_line (c, k, r);
          g_string_append_printf (out, "%2u. %s [%s]\n      %s\n", r + 1,
                                  psim_node_get_name (n, c->lang), psim_node_get_id (n), line);
        }
    }
  g_autofree char *text = g_string_free (out, FALSE);
  return cli_wrap (text, 80);
}

/* ---- CSV ------------------------------------------------------------------- */

/* RFC 4180: a field with a comma, a quote or a line break is quoted, its
 * quotes doubled. */
static void
csv_field (GString *out, const char *text, gboolean last)
{
  if (strpbrk (text, ",\"\r\n") != NULL)
    {
      g_string_append_c (out, '"');
      for (const char *p = text; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else
    g_string_append (out, text);
  g_string_append (out, last ? "\r\n" : ",");
}

/* A number for programs: no grouping, '.' for decimals, money whole,
 * empty when unknown. (transfer full) */
static char *
plain_number (PsimMetric metric, double v)
{
  if (isnan (v))
    return g_strdup ("");
  if (psim_metric_get_unit (metric) == PSIM_METRIC_UNIT_MONEY)
    v = round (v);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  if (v == floor (v) && fabs (v) < 9e15)
    return g_strdup_printf ("%.0f", v);
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.6g", v));
}

static const char *
unit_name (const Compare *c, PsimMetric m)
{
  static const char *const names[] = { "count", "days", "hours", NULL, "percent" };
  PsimMetricUnit u = psim_metric_get_unit (m);
  return u == PSIM_METRIC_UNIT_MONEY ? c->currency : names[u];
}

static char *
compare_csv (const Compare *c)
{
  GString *out = g_string_new (NULL);
  const char *v0 = psim_variant_get_id (c->variant[0]), *v1 = psim_variant_get_id (c->variant[1]);
  if (c->explain)
    {
      g_string_append (out, "variant,step_index,step_id,metric,unit,contribution\r\n");
      for (guint k = 0; k < 2; k++)
        for (guint r = 0; r < psim_measure_get_n_steps (c->measure[k]); r++)
          for (PsimMetric m = 0; m < PSIM_N_METRICS; m++)
            {
              g_autofree char *idx = g_strdup_printf ("%u", r + 1);
              g_autofree char *v
                = plain_number (m, psim_measure_get_contribution (c->measure[k], r, m));
              csv_field (out, psim_variant_get_id (c->variant[k]), FALSE);
              csv_field (out, idx, FALSE);
              csv_field (out, psim_node_get_id (psim_measure_get_step (c->measure[k], r)), FALSE);
              csv_field (out, psim_metric_to_string (m), FALSE);
              csv_field (out, unit_name (c, m), FALSE);
              csv_field (out, v, TRUE);
            }
      return g_string_free (out, FALSE);
    }
  g_string_append (out, "metric,label,unit,before_variant,before,after_variant,after,change,"
                        "change_percent\r\n");
  for (PsimMetric m = 0; m < PSIM_N_METRICS; m++)
    {
      double a = psim_measure_get (c->measure[0], m), b = psim_measure_get (c->measure[1], m);
      g_autofree char *sa = plain_number (m, a);
      g_autofree char *sb = plain_number (m, b);
      g_autofree char *sd = plain_number (m, b - a);
      g_autofree char *sp = plain_number (PSIM_METRIC_APPLICANT_COST_PCT, pct_of (c, m));
      csv_field (out, psim_metric_to_string (m), FALSE);
      csv_field (out, compare_label (c, m), FALSE);
      csv_field (out, unit_name (c, m), FALSE);
      csv_field (out, v0, FALSE);
      csv_field (out, sa, FALSE);
      csv_field (out, v1, FALSE);
      csv_field (out, sb, FALSE);
      csv_field (out, sd, FALSE);
      csv_field (out, sp, TRUE);
    }
  return g_string_free (out, FALSE);
}

/* ---- JSON ------------------------------------------------------------------ */

/* A figure: an integer when whole, null when unknown. */
static void
json_figure (JsonBuilder *b, const char *member, PsimMetric metric, double v)
{
  json_builder_set_member_name (b, member);
  /* Integers only where a double holds them exactly (2^53); beyond,
   * a number all the same, never a wrapped integer. */
  if (!isfinite (v))
    json_builder_add_null_value (b);
  else if (psim_metric_get_unit (metric) == PSIM_METRIC_UNIT_MONEY && fabs (v) < 9007199254740992.0)
    json_builder_add_int_value (b, (gint64) round (v));
  else if (v == floor (v) && fabs (v) < 9007199254740992.0)
    json_builder_add_int_value (b, (gint64) v);
  else
    psim_json_add_double (b, v);
}

static void
json_cost_figure (JsonBuilder *b, const Compare *c, const char *member, double value,
                  CompareOrigin origin, const PsimFigure *fig)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_object (b);
  json_figure (b, "value", PSIM_METRIC_STEPS, value);
  static const char *const origins[] = { NULL, "file", "command-line" };
  cli_json_add_string (b, "origin", origins[origin]);
  cli_json_add_string (b, "basis", origin == ORIGIN_FILE && fig != NULL
                             ? psim_basis_to_string (fig->basis) : NULL);
  cli_json_add_string (b, "source", origin == ORIGIN_FILE && fig != NULL && fig->source != NULL
                              ? psim_source_get_id (fig->source) : NULL);
  (void) c;
  json_builder_end_object (b);
}

static void
json_variant (JsonBuilder *b, const Compare *c, guint k)
{
  json_builder_begin_object (b);
  cli_json_add_string (b, "id", psim_variant_get_id (c->variant[k]));
  cli_json_add_string (b, "title", psim_variant_get_title (c->variant[k], c->lang));
  json_builder_set_member_name (b, "figures");
  json_builder_begin_object (b);
  for (PsimMetric m = 0; m < PSIM_N_METRICS; m++)
    json_figure (b, psim_metric_to_string (m), m, psim_measure_get (c->measure[k], m));
  json_builder_end_object (b);
  if (c->explain)
    {
      json_builder_set_member_name (b, "steps");
      json_builder_begin_array (b);
      for (guint r = 0; r < psim_measure_get_n_steps (c->measure[k]); r++)
        {
          const PsimNode *n = psim_measure_get_step (c->measure[k], r);
          json_builder_begin_object (b);
          cli_json_add_string (b, "id", psim_node_get_id (n));
          cli_json_add_string (b, "name", psim_node_get_name (n, c->lang));
          json_builder_set_member_name (b, "contributions");
          json_builder_begin_object (b);
          for (PsimMetric m = 0; m < PSIM_N_METRICS; m++)
            json_figure (b, psim_metric_to_string (m), m,
                         psim_measure_get_contribution (c->measure[k], r, m));
          json_builder_end_object (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
}

static char *
compare_json (const Compare *c)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  cli_json_add_string (b, "lang", c->lang);
  json_builder_set_member_name (b, "procedure");
  json_builder_begin_object (b);
  cli_json_add_string (b, "id", psim_procedure_get_id (c->proc));
  cli_json_add_string (b, "title", psim_procedure_get_title (c->proc, c->lang));
  cli_json_add_string (b, "version", psim_procedure_get_version (c->proc));
  cli_json_add_string (b, "jurisdiction", psim_procedure_get_jurisdiction (c->proc));
  json_builder_end_object (b);

  cli_json_add_case (b, c->proc, c->pcase);

  json_builder_set_member_name (b, "cost_model");
  json_builder_begin_object (b);
  cli_json_add_string (b, "currency", c->currency);
  json_cost_figure (b, c, "tariff", c->params.tariff, c->origin[0],
                    psim_procedure_get_tariff (c->proc));
  json_cost_figure (b, c, "travel", c->params.travel, c->origin[1],
                    psim_procedure_get_travel (c->proc));
  json_cost_figure (b, c, "volume", c->params.volume, c->origin[2],
                    psim_procedure_get_volume (c->proc));
  const PsimFigure *fig = NULL;
  const PsimParam *param = NULL;
  psim_procedure_get_value_base (c->proc, NULL, &param, &fig);
  json_cost_figure (b, c, "value_base", c->params.value, c->origin[3], fig);
  cli_json_add_string (b, "value_base_kind", psim_value_kind_to_string (c->params.value_kind));
  cli_json_add_string (b, "value_base_param",
                       param != NULL && c->origin[3] != ORIGIN_COMMAND ? psim_param_get_id (param)
                                                                       : NULL);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "before");
  json_variant (b, c, 0);
  json_builder_set_member_name (b, "after");
  json_variant (b, c, 1);

  json_builder_set_member_name (b, "change");
  json_builder_begin_object (b);
  for (PsimMetric m = 0; m < PSIM_N_METRICS; m++)
    {
      json_builder_set_member_name (b, psim_metric_to_string (m));
      json_builder_begin_object (b);
      json_figure (b, "absolute", m, change_of (c, m));
      json_figure (b, "percent", PSIM_METRIC_APPLICANT_COST_PCT, pct_of (c, m));
      json_builder_end_object (b);
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "statements");
  json_builder_begin_array (b);
  g_autofree char *statements = compare_statements (c);
  g_auto (GStrv) lines = g_strsplit (statements, "\n", -1);
  static const PsimMetric claims[] = {
    PSIM_METRIC_DB_DAYS, PSIM_METRIC_EFFORT_HOURS, PSIM_METRIC_APPLICANT_COST,
  };
  for (guint i = 0; i < G_N_ELEMENTS (claims); i++)
    {
      int half = more_than_half (c, claims[i]);
      json_builder_begin_object (b);
      cli_json_add_string (b, "metric", psim_metric_to_string (claims[i]));
      json_builder_set_member_name (b, "more_than_half");
      if (half < 0)
        json_builder_add_null_value (b);
      else
        json_builder_add_boolean_value (b, half == 1);
      cli_json_add_string (b, "text", lines[i]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  return cli_json_finish (b);
}

/* ---- Markdown --------------------------------------------------------------- */

/* Text in a table cell: '|' would end the cell. (transfer full) */
static char *
md_escape (const char *text)
{
  GString *out = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '&')
        g_string_append (out, "&amp;");
      else if (*p == '\n' || *p == '\r')
        g_string_append_c (out, ' ');
      else
        {
          if (strchr ("|\\*_`[]<>", *p) != NULL)
            g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
    }
  return g_string_free (out, FALSE);
}

static char *
compare_md (const Compare *c)
{
  GString *out = g_string_new (NULL);
  g_autofree char *title = md_escape (psim_procedure_get_title (c->proc, c->lang));
  g_autofree char *h0 = variant_heading (c, 0);
  g_autofree char *h1 = variant_heading (c, 1);
  g_autofree char *e0 = md_escape (h0);
  g_autofree char *e1 = md_escape (h1);
  g_autofree char *case_line = compare_case_line (c);
  g_autofree char *params = compare_params_line (c);
  g_autofree char *ec = md_escape (case_line);
  g_autofree char *ep = md_escape (params);
  g_autofree char *pair = g_strdup_printf (_("Before: %s\nAfter: %s\n"), e0, e1);
  g_auto (GStrv) pair_lines = g_strsplit (g_strstrip (pair), "\n", -1);
  g_autofree char *pair_md = g_strjoinv ("  \n", pair_lines);
  g_string_append_printf (out, "### %s\n\n%s  \n%s  \n%s\n\n", title, pair_md, ec, ep);
  g_string_append_printf (out, "| %s | %s | %s | %s | %% |\n|---|--:|--:|--:|--:|\n",
                          _("Figure"), psim_variant_get_id (c->variant[0]),
                          psim_variant_get_id (c->variant[1]), _("change"));
  for (guint i = 0; i < compare_n_rows; i++)
    {
      PsimMetric m = compare_rows[i];
      if (!compare_shows (c, m))
        continue;
      if (compare_section (m) != NULL)
        g_string_append_printf (out, "| **%s** | | | | |\n", compare_section (m));
      g_autofree char *label = md_escape (compare_label (c, m));
      g_autofree char *a = compare_format (c, m, psim_measure_get (c->measure[0], m));
      g_autofree char *b = compare_format (c, m, psim_measure_get (c->measure[1], m));
      g_autofree char *d = compare_format_change (c, m);
      g_autofree char *p = compare_format_pct (c, m);
      g_string_append_printf (out, "| %s | %s | %s | %s | %s |\n", label, a, b, d, p);
    }
  g_autofree char *statements = compare_statements (c);
  g_auto (GStrv) lines = g_strsplit (statements, "\n", -1);
  g_string_append_c (out, '\n');
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_autofree char *e = md_escape (lines[i]);
      g_string_append_printf (out, "- %s\n", e);
    }
  for (guint k = 0; c->explain && k < 2; k++)
    {
      g_autofree char *h = variant_heading (c, k);
      g_autofree char *eh = md_escape (h);
      g_string_append_printf (out, "\n#### ");
      g_string_append_printf (out, _("What each step contributes: %s\n"), eh);
      g_string_append_c (out, '\n');
      for (guint r = 0; r < psim_measure_get_n_steps (c->measure[k]); r++)
        {
          const PsimNode *n = psim_measure_get_step (c->measure[k], r);
          g_autofree char *line = explain_line (c, k, r);
          g_autofree char *name = md_escape (psim_node_get_name (n, c->lang));
          g_autofree char *el = md_escape (line);
          g_string_append_printf (out, "%u. %s (`%s`): %s\n", r + 1, name, psim_node_get_id (n),
                                  el);
        }
    }
  return g_string_free (out, FALSE);
}

/* ---- command ----------------------------------------------------------------- */

/* A cost figure from the command line: a number ≥ 0, digits grouped with
 * '_' if wished. */
static gboolean
parse_figure (const char *text, double *out)
{
  g_autoptr (GString) t = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p++)
    if (*p != '_')
      g_string_append_c (t, *p);
  char *end = NULL;
  double v = g_ascii_strtod (t->str, &end);
  if (t->len == 0 || *end != '\0' || !isfinite (v) || v < 0)
    return FALSE;
  *out = v;
  return TRUE;
}

static const char *const formats[] = { "text", "csv", "json", "md", "html", NULL };

/* The format from --format, else from OUT's extension, else text. */
static const char *
pick_format (const char *format, const char *out)
{
  if (format != NULL)
    {
      for (guint i = 0; formats[i] != NULL; i++)
        if (strcmp (format, formats[i]) == 0)
          return formats[i];
      return NULL;
    }
  const char *dot = out != NULL ? strrchr (out, '.') : NULL;
  if (dot != NULL && strchr (dot, '/') == NULL)
    {
      if (strcmp (dot, ".htm") == 0)
        return "html";
      for (guint i = 1; formats[i] != NULL; i++)
        if (strcmp (dot + 1, formats[i]) == 0)
          return formats[i];
    }
  return "text";
}

static int
write_output (const char *out, const char *text)
{
  if (out == NULL || strcmp (out, "-") == 0)
    {
      if (fputs (text, stdout) < 0 || fflush (stdout) != 0 || ferror (stdout))
        {
          g_printerr (_("procsim compare: cannot write standard output: %s\n"),
                      g_strerror (errno));
          return CLI_EXIT_INVALID;
        }
      return CLI_EXIT_OK;
    }
  /* The report is whole or the old file is left as it was. */
  g_autoptr (GError) error = NULL;
  if (!cli_write_output (out, text, strlen (text), &error))
    {
      g_printerr ("procsim compare: %s\n", error->message);
      return CLI_EXIT_INVALID;
    }
  return CLI_EXIT_OK;
}

/* The currency of the procedure's fees (the checks make them agree). */
static const char *
procedure_currency (const PsimProcedure *proc)
{
  for (guint i = 0; i < psim_procedure_get_n_variants (proc); i++)
    {
      const PsimVariant *v = psim_procedure_get_variant (proc, i);
      for (guint j = 0; j < psim_variant_get_n_nodes (v); j++)
        if (psim_step_get_n_fees (psim_variant_get_node (v, j)) > 0)
          return psim_fee_get_currency (psim_step_get_fee (psim_variant_get_node (v, j), 0));
    }
  return "VND";
}

int
cli_compare (int argc, char **argv, const CliEnv *env)
{
  g_autofree char *variants = NULL;
  g_autofree char *format = NULL;
  g_autofree char *out = NULL;
  g_autofree char *tariff = NULL;
  g_autofree char *travel = NULL;
  g_autofree char *volume = NULL;
  g_autofree char *value = NULL;
  g_auto (GStrv) cases = NULL;
  gboolean explain = FALSE;
  const GOptionEntry entries[] = {
    { "variants", 0, 0, G_OPTION_ARG_STRING, &variants,
      N_("The two variants to compare, before and after (default: a reformed variant and its "
         "baseline)"), N_("A,B") },
    { "case", 0, 0, G_OPTION_ARG_STRING_ARRAY, &cases,
      N_("Set case data, e.g. --case price=2500000000 (repeatable)"), N_("KEY=VALUE") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format,
      N_("Output format: text, csv, json, md or html (default: from OUT's extension, else "
         "text)"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out,
      N_("Write to OUT instead of standard output (whole or not at all)"), N_("OUT") },
    { "explain", 0, 0, G_OPTION_ARG_NONE, &explain,
      N_("Show what each step contributes to every figure"), NULL },
    { "tariff", 0, 0, G_OPTION_ARG_STRING, &tariff,
      N_("Value of one hour of the applicant's time (overrides the file)"), N_("AMOUNT") },
    { "travel", 0, 0, G_OPTION_ARG_STRING, &travel,
      N_("Cost of one in-person visit (overrides the file)"), N_("AMOUNT") },
    { "volume", 0, 0, G_OPTION_ARG_STRING, &volume,
      N_("Cases per year (overrides the file)"), N_("N") },
    { "value", 0, 0, G_OPTION_ARG_STRING, &value,
      N_("Base of the cost percentages: property value or income per capita (overrides the "
         "file)"), N_("AMOUNT") },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = cli_context_new (
    _("FILE"), _("Compare two variants of a procedure for one case, figure by figure: Doing "
                 "Business procedures, visits and days, the applicant's time and money (taxes "
                 "apart), and the administrative burden by the Standard Cost Model."),
    entries);
  if (!cli_parse (ctx, "compare", &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc != 2)
    return cli_usage_error ("compare", argc < 2 ? _("no file given") : _("give exactly one file"));
  const char *fmt = pick_format (format, out);
  if (fmt == NULL)
    return cli_usage_error ("compare", _("unknown format '%s' (use text, csv, json, md or html)"),
                            format);
  const char *figure_text[4] = { tariff, travel, volume, value };
  double figures[4] = { 0, 0, 0, 0 };
  for (guint i = 0; i < 4; i++)
    if (figure_text[i] != NULL && !parse_figure (figure_text[i], &figures[i]))
      return cli_usage_error ("compare", _("'%s' is not an amount (a number, 0 or more)"),
                              figure_text[i]);
  if (value != NULL && figures[3] <= 0)
    return cli_usage_error ("compare", _("--value must be more than 0: costs are stated as a "
                                         "share of it"));

  g_autoptr (PsimProcedure) proc = cli_load (argv[1], env->lang);
  if (proc == NULL)
    return CLI_EXIT_INVALID;
  g_autofree char *have = cli_variant_list (proc);

  Compare c = { .lang = env->lang, .file = argv[1], .proc = proc, .explain = explain };
  if (variants != NULL)
    {
      g_auto (GStrv) pair = g_strsplit (variants, ",", -1);
      if (g_strv_length (pair) != 2)
        return cli_usage_error ("compare", _("--variants takes two variants: A,B"));
      for (guint k = 0; k < 2; k++)
        {
          c.variant[k] = psim_procedure_find_variant (proc, g_strstrip (pair[k]));
          if (c.variant[k] == NULL)
            return cli_usage_error ("compare", _("%s has no variant '%s' (it has: %s)"), argv[1],
                                    pair[k], have);
        }
    }
  else if (!psim_compare_default_pair (proc, &c.variant[0], &c.variant[1]))
    {
      g_printerr (_("%s: compare needs two variants; this file has one (%s)\n"), argv[1], have);
      return CLI_EXIT_INVALID;
    }

  g_autoptr (PsimCase) pcase = cli_case_new (proc, cases, "compare", env->lang);
  if (pcase == NULL)
    return CLI_EXIT_USAGE;
  c.pcase = pcase;
  c.currency = procedure_currency (proc);
  psim_cost_params_init (&c.params, proc, pcase);
  double *slots[4] = { &c.params.tariff, &c.params.travel, &c.params.volume, &c.params.value };
  for (guint i = 0; i < 4; i++)
    {
      c.origin[i] = figure_text[i] != NULL ? ORIGIN_COMMAND
                    : isnan (*slots[i])    ? ORIGIN_NONE
                                           : ORIGIN_FILE;
      if (figure_text[i] != NULL)
        *slots[i] = figures[i];
    }

  g_autoptr (PsimMeasure) before = NULL;
  g_autoptr (PsimMeasure) after = NULL;
  g_autoptr (GError) error = NULL;
  before = psim_measure_new (c.variant[0], pcase, &c.params, &error);
  if (before != NULL)
    after = psim_measure_new (c.variant[1], pcase, &c.params, &error);
  if (after == NULL)
    {
      g_printerr ("%s: %s\n", argv[1], error->message);
      return CLI_EXIT_INVALID;
    }
  c.measure[0] = before;
  c.measure[1] = after;

  g_autofree char *text = NULL;
  if (strcmp (fmt, "csv") == 0)
    text = compare_csv (&c);
  else if (strcmp (fmt, "json") == 0)
    text = compare_json (&c);
  else if (strcmp (fmt, "md") == 0)
    text = compare_md (&c);
  else if (strcmp (fmt, "html") == 0)
    text = compare_html (&c, &error);
  else
    text = compare_text (&c);
  if (text == NULL)
    {
      g_printerr ("%s: %s\n", argv[1], error->message);
      return CLI_EXIT_INVALID;
    }
  return write_output (out, text);
}
