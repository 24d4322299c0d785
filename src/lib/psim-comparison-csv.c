/* psim-comparison-csv.c — a comparison as a spreadsheet: CSV (RFC 4180,
 * CRLF) for programs, XLSX for people (psim-table.c). One row per figure
 * with its stable name, label, unit, before, after, change and change in
 * percent, then the variants' names; with explain, one row per step,
 * figure and variant with the step's contribution, then the variant's and
 * the step's names (the CSV has only those; the workbook has both, as two
 * sheets). The names come after the columns programs read by position.
 * Numbers stay numbers: in CSV no grouping, '.' for decimals, empty when
 * unknown; in the workbook number cells.
 */
#include "psim-comparison-private.h"
#include "psim-table-private.h"

#include <math.h>
#include <string.h>

static const char *
unit_name (const PsimpCompare *c, PsimMetric m)
{
  static const char *const names[] = { "count", "days", "hours", NULL, "percent" };
  PsimMetricUnit u = psim_metric_get_unit (m);
  return u == PSIM_METRIC_UNIT_MONEY ? c->currency : names[u];
}

static PsimpCellStyle
style_of (PsimMetric m)
{
  switch (psim_metric_get_unit (m))
    {
    case PSIM_METRIC_UNIT_MONEY:
      return PSIMP_CELL_WHOLE;
    case PSIM_METRIC_UNIT_PERCENT:
      return PSIMP_CELL_DECIMAL1;
    default:
      return PSIMP_CELL_GENERAL;
    }
}

/* A legal limit's key: "limit_margin:procedure", "limit_margin:step:ID",
 * "limit_margin:duty:ID". (transfer full) */
static char *
limit_key (const PsimLimitCheck *lc)
{
  switch (lc->level)
    {
    case PSIM_LIMIT_STEP: return g_strconcat ("limit_margin:step:", psim_node_get_id (lc->step), NULL);
    case PSIM_LIMIT_DUTY: return g_strconcat ("limit_margin:duty:", psim_limit_get_id (lc->limit), NULL);
    case PSIM_LIMIT_PROCEDURE:
    default: return g_strdup ("limit_margin:procedure");
    }
}

/* The check of variant @k's path with key @key, or NULL. */
static const PsimLimitCheck *
limit_by_key (const PsimpCompare *c, guint k, const char *key)
{
  const PsimPath *path = psim_measure_get_path (c->measure[k]);
  for (guint i = 0; i < psim_path_get_n_limits (path); i++)
    {
      g_autofree char *other = limit_key (psim_path_get_limit (path, i));
      if (strcmp (other, key) == 0)
        return psim_path_get_limit (path, i);
    }
  return NULL;
}

/* After the figures, one row per legal limit of either path: its margin
 * (limit − modelled, in the limit's unit; negative when not met), empty
 * where the variant has no such limit or it does not apply. */
static void
add_limits (PsimpTable *t, const PsimpCompare *c)
{
  g_autoptr (GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  for (guint k = 0; k < 2; k++)
    {
      const PsimPath *path = psim_measure_get_path (c->measure[k]);
      for (guint i = 0; i < psim_path_get_n_limits (path); i++)
        {
          char *key = limit_key (psim_path_get_limit (path, i));
          if (g_ptr_array_find_with_equal_func (keys, key, g_str_equal, NULL))
            g_free (key);
          else
            g_ptr_array_add (keys, key);
        }
    }
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      const PsimLimitCheck *lc[2] = { limit_by_key (c, 0, key), limit_by_key (c, 1, key) };
      const PsimLimitCheck *any = lc[0] != NULL ? lc[0] : lc[1];
      double margin[2];
      for (guint k = 0; k < 2; k++)
        margin[k] = lc[k] != NULL && lc[k]->applies ? lc[k]->margin : NAN;
      /* The two variants' procedure limits count between different steps:
       * one label for both. */
      g_autofree char *subject = any->level == PSIM_LIMIT_PROCEDURE
                                     ? g_strdup (psim_gettext (c->lang, "Whole procedure"))
                                     : psim_limit_check_subject (any, c->lang);
      g_autofree char *label = g_strdup_printf (psim_gettext (c->lang, "Margin to the legal limit: %s"), subject);
      psimp_table_text (t, key);
      psimp_table_text (t, label);
      psimp_table_text (t, psim_time_unit_to_string (any->unit));
      psimp_table_text (t, psim_variant_get_id (c->variant[0]));
      psimp_table_number (t, margin[0], PSIMP_CELL_GENERAL);
      psimp_table_text (t, psim_variant_get_id (c->variant[1]));
      psimp_table_number (t, margin[1], PSIMP_CELL_GENERAL);
      psimp_table_number (t, margin[1] - margin[0], PSIMP_CELL_GENERAL);
      psimp_table_number (t, NAN, PSIMP_CELL_DECIMAL1);
      psimp_table_text (t, psim_variant_get_title (c->variant[0], c->lang));
      psimp_table_text (t, psim_variant_get_title (c->variant[1], c->lang));
      psimp_table_number (t, NAN, PSIMP_CELL_GENERAL);
      psimp_table_number (t, NAN, PSIMP_CELL_GENERAL);
      psimp_table_end_row (t);
    }
}

static void
add_figures (PsimpTable *t, const PsimpCompare *c)
{
  const char *l = c->lang;
  psimp_table_add_sheet (t, psim_gettext (l, "Figures"),
                         "metric", psim_gettext (l, "Key"),
                         "label", psim_gettext (l, "Figure"),
                         "unit", psim_gettext (l, "Unit"),
                         "before_variant", psim_gettext (l, "Before: variant"),
                         "before", psim_gettext (l, "Before"),
                         "after_variant", psim_gettext (l, "After: variant"),
                         "after", psim_gettext (l, "After"),
                         "change", psim_gettext (l, "Change"),
                         "change_percent", psim_gettext (l, "Change (%)"),
                         "before_name", psim_gettext (l, "Before: name"),
                         "after_name", psim_gettext (l, "After: name"),
                         "before_expected", psim_gettext (l, "Before: expected"),
                         "after_expected", psim_gettext (l, "After: expected"), NULL);
  for (PsimMetric m = 0; m < PSIM_N_METRICS; m++)
    {
      double a = psim_measure_get (c->measure[0], m), b = psim_measure_get (c->measure[1], m);
      psimp_table_text (t, psim_metric_to_string (m));
      psimp_table_text (t, psimp_compare_label (c, m));
      psimp_table_text (t, unit_name (c, m));
      psimp_table_text (t, psim_variant_get_id (c->variant[0]));
      psimp_table_number (t, a, style_of (m));
      psimp_table_text (t, psim_variant_get_id (c->variant[1]));
      psimp_table_number (t, b, style_of (m));
      psimp_table_number (t, b - a, style_of (m));
      psimp_table_number (t, psimp_compare_pct_of (c, m), PSIMP_CELL_DECIMAL1);
      psimp_table_text (t, psim_variant_get_title (c->variant[0], l));
      psimp_table_text (t, psim_variant_get_title (c->variant[1], l));
      /* Empty where an expected value is not known (a cost figure not given). */
      for (guint k = 0; k < 2; k++)
        psimp_table_number (t, psim_measure_get_expected (c->measure[k], m), style_of (m));
      psimp_table_end_row (t);
    }
  add_limits (t, c);
}

static void
add_steps (PsimpTable *t, const PsimpCompare *c)
{
  const char *l = c->lang;
  psimp_table_add_sheet (t, psim_gettext (l, "Steps"),
                         "variant", psim_gettext (l, "Variant"),
                         "step_index", psim_gettext (l, "Step"),
                         "step_id", psim_gettext (l, "Step id"),
                         "metric", psim_gettext (l, "Key"),
                         "unit", psim_gettext (l, "Unit"),
                         "contribution", psim_gettext (l, "Contribution"),
                         "variant_name", psim_gettext (l, "Variant name"),
                         "step_name", psim_gettext (l, "Step name"), NULL);
  for (guint k = 0; k < 2; k++)
    for (guint r = 0; r < psim_measure_get_n_steps (c->measure[k]); r++)
      for (PsimMetric m = 0; m < PSIM_N_METRICS; m++)
        {
          const PsimNode *n = psim_measure_get_step (c->measure[k], r);
          psimp_table_text (t, psim_variant_get_id (c->variant[k]));
          psimp_table_number (t, r + 1, PSIMP_CELL_GENERAL);
          psimp_table_text (t, psim_node_get_id (n));
          psimp_table_text (t, psim_metric_to_string (m));
          psimp_table_text (t, unit_name (c, m));
          psimp_table_number (t, psim_measure_get_contribution (c->measure[k], r, m), style_of (m));
          psimp_table_text (t, psim_variant_get_title (c->variant[k], l));
          psimp_table_text (t, psim_node_get_name (n, l));
          psimp_table_end_row (t);
        }
}

char *
psim_comparison_to_csv (const PsimComparison *cmp, const PsimComparisonOptions *options)
{
  g_return_val_if_fail (cmp != NULL, NULL);
  PsimpCompare c;
  psimp_compare_init (&c, cmp, options);
  g_autoptr (PsimpTable) t = psimp_table_new ();
  if (c.explain)
    add_steps (t, &c);
  else
    add_figures (t, &c);
  return psimp_table_to_csv (t);
}

GBytes *
psim_comparison_to_xlsx (const PsimComparison *cmp, const PsimComparisonOptions *options,
                         GError **error)
{
  g_return_val_if_fail (cmp != NULL, NULL);
  PsimpCompare c;
  psimp_compare_init (&c, cmp, options);
  g_autoptr (PsimpTable) t = psimp_table_new ();
  add_figures (t, &c);
  if (c.explain)
    add_steps (t, &c);
  return psimp_table_to_xlsx (t, psim_procedure_get_title (c.proc, c.lang),
                              options != NULL ? options->date : 0, error);
}
