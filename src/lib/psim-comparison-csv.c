/* psim-comparison-csv.c — a comparison as CSV (RFC 4180, CRLF) for a
 * spreadsheet: one row per figure with its stable name, label, unit,
 * before, after, change and change in percent; with explain, one row per
 * step, figure and variant with the step's contribution. Numbers for
 * programs: no grouping, '.' for decimals, empty when unknown.
 */
#include "psim-comparison-private.h"

#include <math.h>
#include <string.h>

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
unit_name (const PsimpCompare *c, PsimMetric m)
{
  static const char *const names[] = { "count", "days", "hours", NULL, "percent" };
  PsimMetricUnit u = psim_metric_get_unit (m);
  return u == PSIM_METRIC_UNIT_MONEY ? c->currency : names[u];
}

char *
psim_comparison_to_csv (const PsimComparison *cmp, const PsimComparisonOptions *options)
{
  g_return_val_if_fail (cmp != NULL, NULL);
  PsimpCompare cv;
  psimp_compare_init (&cv, cmp, options);
  const PsimpCompare *c = &cv;
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
      g_autofree char *sp
          = plain_number (PSIM_METRIC_APPLICANT_COST_PCT, psimp_compare_pct_of (c, m));
      csv_field (out, psim_metric_to_string (m), FALSE);
      csv_field (out, psimp_compare_label (c, m), FALSE);
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
