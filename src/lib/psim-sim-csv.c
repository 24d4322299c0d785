/* psim-sim-csv.c — a simulation's results as CSV (RFC 4180) for programs
 * and spreadsheets: one row per figure, variant (or the paired difference
 * B-A) and scope (the case, an office, a step with a legal limit, a duty),
 * with the mean, the half-width of its 95 % CI and the replications. The
 * shares over the legal limits: over_procedure_limit (scope case),
 * over_limit (scope the step), over_duty (scope the duty's id).
 */
#include "psim-sim-writer-private.h"

#include <math.h>

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

char *
psim_sim_to_csv (const PsimSim *sim)
{
  g_return_val_if_fail (sim != NULL, NULL);
  GString *out = g_string_new ("variant,scope,figure,mean,ci95_half_width,replications\n");
  for (guint v = 0; v <= psim_sim_get_n_variants (sim); v++)
    {
      gboolean diff = v == psim_sim_get_n_variants (sim);
      if (diff && psim_sim_get_n_variants (sim) < 2)
        break;
      const char *vid = diff ? "B-A" : psim_variant_get_id (psim_sim_get_variant (sim, v));
      for (guint f = 0; f < PSIM_FIG_N; f++)
        csv_row (out, vid, "case", psim_sim_figure_to_string (f),
                 diff ? psim_sim_get_difference (sim, f) : psim_sim_get_figure (sim, v, f));
      for (guint r = 0; r < psim_sim_get_n_resources (sim); r++)
        for (guint f = 0; f < PSIM_RES_N; f++)
          csv_row (out, vid, psim_sim_get_resource_id (sim, r), psim_sim_res_figure_to_string (f),
                   diff ? psim_sim_get_resource_difference (sim, r, f)
                        : psim_sim_get_resource_figure (sim, v, r, f));
      if (!diff)
        for (guint i = 0; i < psim_sim_get_n_limits (sim, v); i++)
          switch (psim_sim_get_limit_level (sim, v, i))
            {
            case PSIM_LIMIT_STEP:
              csv_row (out, vid, psim_node_get_id (psim_sim_get_limit_step (sim, v, i)),
                       "over_limit", psim_sim_get_limit_share (sim, v, i));
              break;
            case PSIM_LIMIT_DUTY:
              csv_row (out, vid, psim_limit_get_id (psim_sim_get_limit (sim, v, i)), "over_duty",
                       psim_sim_get_limit_share (sim, v, i));
              break;
            case PSIM_LIMIT_PROCEDURE:
            default:
              csv_row (out, vid, "case", "over_procedure_limit",
                       psim_sim_get_limit_share (sim, v, i));
              break;
            }
    }
  return g_string_free (out, FALSE);
}
