/* psim-measure-step.c — what one pass through one step adds to each figure.
 *
 * The reformers' figures are sums over steps. psim-compare.c sums them
 * along a case's path, psim-expect.c weighs them by how often a step is
 * expected to run; both take a step's row from here, so that a step counts
 * the same in the most likely path and in the expectation. The row covers
 * what a step contributes on its own: counts, effort, its own duration (the
 * critical path is the caller's), Doing Business days and money. Counts
 * that depend on the steps around it (agencies, hand-offs, repeated
 * documents) are the caller's too.
 */
#include "psim-private.h"

#include <math.h>

/* A step's most likely duration in days (hours at 8 to the day) and, for
 * comparing parallel branches, the same weight as psim-path.c. */
void
psimp_step_days (const PsimNode *n, double *wd, double *cd, double *h)
{
  *wd = *cd = *h = 0;
  const PsimQuantity *q = psim_step_get_duration (n);
  if (q == NULL)
    return;
  switch (q->unit)
    {
    case PSIM_UNIT_WORKING_DAYS: *wd = q->likely; break;
    case PSIM_UNIT_CALENDAR_DAYS: *cd = q->likely; break;
    case PSIM_UNIT_HOURS: default: *h = q->likely; break;
    }
}

/* Doing Business: a procedure takes at least one day, half a day when it
 * is fully online; waiting between agencies counts as it is. */
double
psimp_db_days (const PsimNode *n)
{
  double wd, cd, h;
  psimp_step_days (n, &wd, &cd, &h);
  double d = wd + cd + h / 8.0;
  if (!psim_step_is_interaction (n))
    return d;
  return MAX (d, psim_step_get_channel (n) == PSIM_CHANNEL_ONLINE ? 0.5 : 1.0);
}

gboolean
psimp_actor_is_organisation (const PsimActor *a)
{
  return a != NULL
         && (psim_actor_get_kind (a) == PSIM_ACTOR_AGENCY
             || psim_actor_get_kind (a) == PSIM_ACTOR_INTERMEDIARY);
}

gboolean
psimp_input_is_supplied (const PsimNode *n, guint k)
{
  return !psim_step_input_is_fetched (n, k) && psim_step_is_interaction (n);
}

void
psimp_measure_step_row (const PsimNode *n, const double *amounts, guint n_fees,
                        const PsimCostParams *p, double *row)
{
  gboolean interaction = psim_step_is_interaction (n);
  row[PSIM_METRIC_STEPS] = 1;
  row[PSIM_METRIC_PROCEDURES] = interaction;
  row[PSIM_METRIC_VISITS] = psim_step_is_visit (n);
  /* The documents the step takes in: fetched from a national database,
   * or supplied by the applicant when the step is an interaction. */
  for (guint k = 0; k < psim_step_get_n_inputs (n); k++)
    if (psim_step_input_is_fetched (n, k))
      row[PSIM_METRIC_DOCUMENTS_FETCHED] += 1;
    else if (psimp_input_is_supplied (n, k))
      row[PSIM_METRIC_DOCUMENTS] += 1;
  const PsimQuantity *effort = psim_step_get_effort (n);
  double hours = effort != NULL ? effort->likely : 0;
  row[PSIM_METRIC_EFFORT_HOURS] = hours;
  row[PSIM_METRIC_DB_DAYS] = psimp_db_days (n);
  psimp_step_days (n, &row[PSIM_METRIC_WORKING_DAYS], &row[PSIM_METRIC_CALENDAR_DAYS],
             &row[PSIM_METRIC_ELAPSED_HOURS]);

  for (guint k = 0; k < n_fees; k++)
    switch (psim_fee_get_kind (psim_step_get_fee (n, k)))
      {
      case PSIM_FEE_TAX: row[PSIM_METRIC_TAXES] += amounts[k]; break;
      case PSIM_FEE_FEE: row[PSIM_METRIC_FEES] += amounts[k]; break;
      case PSIM_FEE_SERVICE: default: row[PSIM_METRIC_SERVICE] += amounts[k]; break;
      }
  row[PSIM_METRIC_OWN_TIME_COST] = hours * p->tariff;
  row[PSIM_METRIC_TRAVEL_COST] = row[PSIM_METRIC_VISITS] * p->travel;
  row[PSIM_METRIC_APPLICANT_COST] = row[PSIM_METRIC_FEES] + row[PSIM_METRIC_SERVICE]
                                    + row[PSIM_METRIC_OWN_TIME_COST]
                                    + row[PSIM_METRIC_TRAVEL_COST];
  row[PSIM_METRIC_APPLICANT_COST_PCT] = row[PSIM_METRIC_APPLICANT_COST] / p->value * 100.0;
  row[PSIM_METRIC_TAXES_PCT] = row[PSIM_METRIC_TAXES] / p->value * 100.0;
  row[PSIM_METRIC_SCM_HOURS] = hours * p->volume;
  row[PSIM_METRIC_SCM_BURDEN] = hours * p->tariff * p->volume;
}

void
psimp_measure_mark_unknown (double *totals, const PsimCostParams *params)
{
  /* A figure that needs an unknown cost figure is unknown, even when no
   * step contributes to it. */
  const double unknown_if[][2] = {
    { PSIM_METRIC_OWN_TIME_COST, params->tariff },
    { PSIM_METRIC_TRAVEL_COST, params->travel },
    { PSIM_METRIC_APPLICANT_COST, params->tariff + params->travel },
    { PSIM_METRIC_APPLICANT_COST_PCT, params->tariff + params->travel + params->value },
    { PSIM_METRIC_TAXES_PCT, params->value },
    { PSIM_METRIC_SCM_HOURS, params->volume },
    { PSIM_METRIC_SCM_BURDEN, params->tariff + params->volume },
  };
  for (guint k = 0; k < G_N_ELEMENTS (unknown_if); k++)
    if (isnan (unknown_if[k][1]))
      totals[(int) unknown_if[k][0]] = NAN;
}
