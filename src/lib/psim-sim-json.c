/* psim-sim-json.c — a simulation's results as JSON: the run (procedure,
 * seed, cases, replications, warm-up), per variant each figure as
 * {mean, ci95_half_width}, the offices, the legal limits and the
 * lead-time histogram; for a pair, the paired differences with whether
 * each is significant.
 */
#include "psim-sim-writer-private.h"
#include "psim-json-private.h"

#include <math.h>

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
      json_builder_add_boolean_value (b, psimp_sim_significant (e));
    }
  json_builder_end_object (b);
}

static void
json_variant (JsonBuilder *b, const PsimSim *sim, guint v, gboolean diff)
{
  json_builder_begin_object (b);
  if (!diff)
    psimp_json_add_string (b, "variant", psim_variant_get_id (psim_sim_get_variant (sim, v)));
  for (guint f = 0; f < PSIM_FIG_N; f++)
    json_estimate (b, psim_sim_figure_to_string (f),
                   diff ? psim_sim_get_difference (sim, f) : psim_sim_get_figure (sim, v, f),
                   diff);
  json_builder_set_member_name (b, "offices");
  json_builder_begin_array (b);
  for (guint r = 0; r < psim_sim_get_n_resources (sim); r++)
    {
      json_builder_begin_object (b);
      psimp_json_add_string (b, "resource", psim_sim_get_resource_id (sim, r));
      for (guint f = 0; f < PSIM_RES_N; f++)
        json_estimate (b, psim_sim_res_figure_to_string (f),
                       diff ? psim_sim_get_resource_difference (sim, r, f)
                            : psim_sim_get_resource_figure (sim, v, r, f), diff);
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
  for (guint i = 0; i < psim_sim_get_n_limits (sim, v); i++)
    {
      const PsimNode *step = psim_sim_get_limit_step (sim, v, i);
      const PsimLimit *limit = psim_sim_get_limit (sim, v, i);
      const PsimQuantity *q = psim_sim_get_limit_quantity (sim, v, i);
      json_builder_begin_object (b);
      switch (psim_sim_get_limit_level (sim, v, i))
        {
        case PSIM_LIMIT_STEP:
          psimp_json_add_string (b, "level", "step");
          psimp_json_add_string (b, "step", psim_node_get_id (step));
          break;
        case PSIM_LIMIT_DUTY:
          psimp_json_add_string (b, "level", "duty");
          psimp_json_add_string (b, "duty", psim_limit_get_id (limit));
          break;
        case PSIM_LIMIT_PROCEDURE:
        default:
          psimp_json_add_string (b, "level", "procedure");
          break;
        }
      if (limit != NULL)
        {
          const PsimNode *from = psim_limit_get_from (limit), *by = psim_limit_get_by (limit);
          psimp_json_add_string (b, "from", from != NULL ? psim_node_get_id (from) : "start");
          psimp_json_add_string (b, "by", by != NULL ? psim_node_get_id (by) : "end");
          json_builder_set_member_name (b, "conditional");
          json_builder_add_boolean_value (b, psim_limit_get_n_conditions (limit) > 0);
        }
      psimp_json_add_number (b, "limit", q->likely);
      psimp_json_add_string (b, "unit", psim_time_unit_to_string (q->unit));
      json_estimate (b, "share_over", psim_sim_get_limit_share (sim, v, i), FALSE);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  guint n_bins = 0;
  double width = 0;
  const guint64 *hist = psim_sim_get_histogram (sim, v, &n_bins, &width);
  json_builder_set_member_name (b, "lead_histogram");
  json_builder_begin_object (b);
  psimp_json_add_number (b, "bin_days", width);
  json_builder_set_member_name (b, "counts");
  json_builder_begin_array (b);
  for (guint i = 0; i < n_bins; i++)
    json_builder_add_int_value (b, (gint64) hist[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

char *
psim_sim_to_json (const PsimSim *sim)
{
  g_return_val_if_fail (sim != NULL, NULL);
  const PsimSimOptions *opt = psim_sim_get_options (sim);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  psimp_json_add_string (b, "procedure", psim_procedure_get_id (psim_sim_get_procedure (sim)));
  json_builder_set_member_name (b, "seed");
  json_builder_add_int_value (b, (gint64) opt->seed);
  psimp_json_add_number (b, "cases", (double) opt->cases);
  psimp_json_add_number (b, "replications", psim_sim_get_replications (sim));
  psimp_json_add_number (b, "warm_up_days", opt->warm_up_days);
  json_builder_set_member_name (b, "variants");
  json_builder_begin_array (b);
  for (guint v = 0; v < psim_sim_get_n_variants (sim); v++)
    json_variant (b, sim, v, FALSE);
  json_builder_end_array (b);
  if (psim_sim_get_n_variants (sim) == 2)
    {
      json_builder_set_member_name (b, "difference");
      json_variant (b, sim, 1, TRUE);
    }
  json_builder_end_object (b);
  return psim_json_to_text (b);
}
