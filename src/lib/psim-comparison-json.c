/* psim-comparison-json.c — a comparison as JSON for programs: the
 * procedure, the case, the cost model with each figure's origin, both
 * variants' figures (and with explain each step's contributions), the
 * change of every figure, and the verdicts as data with their sentence.
 * Figures follow one number policy: whole money as integers, unknown as
 * null.
 */
#include "psim-comparison-private.h"

#include <math.h>
#include <string.h>

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
    json_builder_add_int_value (b, (gint64)round (v));
  else if (v == floor (v) && fabs (v) < 9007199254740992.0)
    json_builder_add_int_value (b, (gint64)v);
  else
    psim_json_add_double (b, v);
}

static void
json_cost_figure (JsonBuilder *b, const PsimpCompare *c, const char *member, double value,
                  PsimCostOrigin origin, const PsimFigure *fig)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_object (b);
  json_figure (b, "value", PSIM_METRIC_STEPS, value);
  static const char *const origins[] = { NULL, "file", "command-line" };
  psimp_json_add_string (b, "origin", origins[origin]);
  psimp_json_add_string (
      b, "basis",
      origin == PSIM_COST_ORIGIN_FILE && fig != NULL ? psim_basis_to_string (fig->basis) : NULL);
  /* The source by id, as the file names it, and beside it what a reader
   * needs to find it: its citation and its address. */
  const PsimSource *source
      = origin == PSIM_COST_ORIGIN_FILE && fig != NULL ? fig->source : NULL;
  psimp_json_add_string (b, "source", source != NULL ? psim_source_get_id (source) : NULL);
  psimp_json_add_string (b, "source_citation",
                         source != NULL ? psim_source_get_citation (source) : NULL);
  psimp_json_add_string (b, "source_href", source != NULL ? psim_source_get_href (source) : NULL);
  (void)c;
  json_builder_end_object (b);
}

static void
json_variant (JsonBuilder *b, const PsimpCompare *c, guint k)
{
  json_builder_begin_object (b);
  psimp_json_add_string (b, "id", psim_variant_get_id (c->variant[k]));
  psimp_json_add_string (b, "title", psim_variant_get_title (c->variant[k], c->lang));
  json_builder_set_member_name (b, "figures");
  json_builder_begin_object (b);
  for (PsimMetric m = 0; m < PSIM_N_METRICS; m++)
    json_figure (b, psim_metric_to_string (m), m, psim_measure_get (c->measure[k], m));
  json_builder_end_object (b);
  /* The expected values; null when they are not defined. */
  json_builder_set_member_name (b, "expected_defined");
  json_builder_add_boolean_value (b, psim_measure_has_expected (c->measure[k]));
  json_builder_set_member_name (b, "expected");
  json_builder_begin_object (b);
  for (guint i = 0; i < psimp_compare_n_expected_rows; i++)
    {
      PsimMetric m = psimp_compare_expected_rows[i];
      json_figure (b, psim_metric_to_string (m), m, psim_measure_get_expected (c->measure[k], m));
    }
  json_builder_end_object (b);
  psimp_json_add_limits (b, psim_measure_get_path (c->measure[k]), c->lang);
  if (c->explain)
    {
      json_builder_set_member_name (b, "steps");
      json_builder_begin_array (b);
      for (guint r = 0; r < psim_measure_get_n_steps (c->measure[k]); r++)
        {
          const PsimNode *n = psim_measure_get_step (c->measure[k], r);
          json_builder_begin_object (b);
          psimp_json_add_string (b, "id", psim_node_get_id (n));
          psimp_json_add_string (b, "name", psim_node_get_name (n, c->lang));
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

char *
psim_comparison_to_json (const PsimComparison *cmp, const PsimComparisonOptions *options)
{
  g_return_val_if_fail (cmp != NULL, NULL);
  PsimpCompare cv;
  psimp_compare_init (&cv, cmp, options);
  const PsimpCompare *c = &cv;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  psimp_json_add_string (b, "lang", c->lang);
  json_builder_set_member_name (b, "procedure");
  json_builder_begin_object (b);
  psimp_json_add_string (b, "id", psim_procedure_get_id (c->proc));
  psimp_json_add_string (b, "title", psim_procedure_get_title (c->proc, c->lang));
  psimp_json_add_string (b, "version", psim_procedure_get_version (c->proc));
  psimp_json_add_string (b, "jurisdiction", psim_procedure_get_jurisdiction (c->proc));
  json_builder_end_object (b);

  psimp_json_add_case (b, c->pcase);

  json_builder_set_member_name (b, "cost_model");
  json_builder_begin_object (b);
  psimp_json_add_string (b, "currency", c->currency);
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
  psimp_json_add_string (b, "value_base_kind", psim_value_kind_to_string (c->params.value_kind));
  psimp_json_add_string (b, "value_base_param",
                         param != NULL && c->origin[3] != PSIM_COST_ORIGIN_OVERRIDE
                             ? psim_param_get_id (param)
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
      json_figure (b, "absolute", m, psimp_compare_change_of (c, m));
      json_figure (b, "percent", PSIM_METRIC_APPLICANT_COST_PCT, psimp_compare_pct_of (c, m));
      json_builder_end_object (b);
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "statements");
  json_builder_begin_array (b);
  for (guint i = 0; i < psim_comparison_get_n_verdicts (cmp); i++)
    {
      const PsimVerdict *v = psim_comparison_get_verdict (cmp, i);
      g_autofree char *text = psimp_compare_verdict_text (c, i);
      json_builder_begin_object (b);
      psimp_json_add_string (b, "metric", psim_metric_to_string (v->metric));
      json_builder_set_member_name (b, "more_than_half");
      if (v->more_than_half == PSIM_HALF_UNKNOWN)
        json_builder_add_null_value (b);
      else
        json_builder_add_boolean_value (b, v->more_than_half == PSIM_HALF_YES);
      psimp_json_add_string (b, "text", text);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  return psim_json_to_text (b);
}
