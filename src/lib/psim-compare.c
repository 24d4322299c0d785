/* psim-compare.c — the reformers' figures for one variant and one case.
 *
 * A measure walks the case's path once (psim-path.c decides the choices)
 * and gives every step a row of contributions, one per figure; a figure is
 * the sum of its column. Counting figures add 1 where the thing happens
 * (an agency the first time it appears, a hand-off at the step that
 * receives it, a repeated document at its second submission). Time figures
 * follow the critical path: at a parallel split only the longest branch,
 * by that figure's own measure, contributes. The rules are in
 * docs/compare-rules.md.
 */
#include "psim-private.h"

#include <math.h>
#include <string.h>

static const char *const metric_names[PSIM_N_METRICS] = {
  "steps", "procedures", "visits", "agencies", "handoffs", "exchanges",
  "documents_submitted", "documents_repeated", "documents_fetched",
  "db_days", "working_days", "calendar_days", "elapsed_hours", "effort_hours",
  "taxes", "official_fees", "service_charges",
  "own_time_cost", "travel_cost", "applicant_cost",
  "applicant_cost_pct_of_value", "taxes_pct_of_value",
  "scm_hours_per_year", "scm_burden_per_year",
};

const char *
psim_metric_to_string (PsimMetric metric)
{
  g_return_val_if_fail (metric < PSIM_N_METRICS, NULL);
  return metric_names[metric];
}

PsimMetricUnit
psim_metric_get_unit (PsimMetric metric)
{
  switch (metric)
    {
    case PSIM_METRIC_DB_DAYS:
    case PSIM_METRIC_WORKING_DAYS:
    case PSIM_METRIC_CALENDAR_DAYS:
      return PSIM_METRIC_UNIT_DAYS;
    case PSIM_METRIC_ELAPSED_HOURS:
    case PSIM_METRIC_EFFORT_HOURS:
    case PSIM_METRIC_SCM_HOURS:
      return PSIM_METRIC_UNIT_HOURS;
    case PSIM_METRIC_TAXES:
    case PSIM_METRIC_FEES:
    case PSIM_METRIC_SERVICE:
    case PSIM_METRIC_OWN_TIME_COST:
    case PSIM_METRIC_TRAVEL_COST:
    case PSIM_METRIC_APPLICANT_COST:
    case PSIM_METRIC_SCM_BURDEN:
      return PSIM_METRIC_UNIT_MONEY;
    case PSIM_METRIC_APPLICANT_COST_PCT:
    case PSIM_METRIC_TAXES_PCT:
      return PSIM_METRIC_UNIT_PERCENT;
    default:
      return PSIM_METRIC_UNIT_COUNT;
    }
}

static double
figure_or_nan (const PsimFigure *f)
{
  return f != NULL ? f->value : NAN;
}

void
psim_cost_params_init (PsimCostParams *params, const PsimProcedure *proc, const PsimCase *pcase)
{
  g_return_if_fail (params != NULL && proc != NULL);
  params->tariff = figure_or_nan (psim_procedure_get_tariff (proc));
  params->travel = figure_or_nan (psim_procedure_get_travel (proc));
  params->volume = figure_or_nan (psim_procedure_get_volume (proc));
  params->value = NAN;
  params->value_kind = PSIM_VALUE_PROPERTY;
  const PsimParam *param = NULL;
  const PsimFigure *fig = NULL;
  if (!psim_procedure_get_value_base (proc, &params->value_kind, &param, &fig))
    return;
  if (fig != NULL)
    params->value = fig->value;
  else if (param != NULL && pcase != NULL)
    {
      const char *text = psim_case_get (pcase, psim_param_get_id (param));
      char *end = NULL;
      double v = text != NULL ? g_ascii_strtod (text, &end) : NAN;
      params->value = text != NULL && end != text && *end == '\0' ? v : NAN;
    }
  /* A share of nothing is no figure: a value base of 0 is unknown. */
  if (!(params->value > 0))
    params->value = NAN;
}

struct _PsimMeasure {
  const PsimVariant *variant;
  PsimPath *path;
  PsimCostParams params;
  GArray *step_pos; /* guint: the path position of each step */
  double *contrib;  /* n_steps × PSIM_N_METRICS */
  double totals[PSIM_N_METRICS];
  double expected[PSIM_N_METRICS]; /* psim-expect.c; NAN where not defined */
  gboolean expected_defined;
};

#define CONTRIB(m, row, metric) ((m)->contrib[(gsize) (row) * PSIM_N_METRICS + (metric)])


/* Marks in @on the path nodes that lie on the critical path for the
 * per-node values @v: at each parallel split, the branch with the largest
 * sum (the first of equals, as psim-path.c does). Splits are resolved
 * innermost first, which is the reverse of path order, since a split
 * comes before everything on its branches. */
static void
critical (const PsimPath *path, const double *v, gboolean *on)
{
  guint n = psim_path_get_n_nodes (path);
  g_autofree guint *off = g_new0 (guint, n);
  g_autofree guint *best = g_new0 (guint, n);
  guint slots = 0;
  for (guint i = 0; i < n; i++)
    if (psim_node_get_kind (psim_path_get_node (path, i)) == PSIM_NODE_SPLIT)
      {
        off[i] = slots;
        slots += psim_node_get_n_successors (psim_path_get_node (path, i));
      }
  g_autofree double *sum = g_new0 (double, slots + 1);
  for (guint i = n; i-- > 0;)
    {
      const PsimNode *node = psim_path_get_node (path, i);
      double val = v[i];
      if (psim_node_get_kind (node) == PSIM_NODE_SPLIT)
        {
          guint nb = psim_node_get_n_successors (node);
          for (guint b = 1; b < nb; b++)
            if (sum[off[i] + b] > sum[off[i] + best[i]])
              best[i] = b;
          val += nb > 0 ? sum[off[i] + best[i]] : 0;
        }
      guint s, b;
      if (psim_path_get_parallel (path, i, &s, &b))
        sum[off[s] + b] += val;
    }
  for (guint i = 0; i < n; i++)
    {
      guint s, b;
      on[i] = !psim_path_get_parallel (path, i, &s, &b) || (on[s] && best[s] == b);
    }
}

/* A split being walked, for hand-offs: the steps before it, and the last
 * steps of the branches already walked. */
typedef struct {
  guint pos;
  int branch;
  guint seen;
  GPtrArray *entry;
  GPtrArray *exits;
} OpenSplit;

static GPtrArray *
copy_steps (GPtrArray *steps)
{
  return g_ptr_array_copy (steps, NULL, NULL);
}

static void
append_steps (GPtrArray *to, GPtrArray *from)
{
  for (guint k = 0; k < from->len; k++)
    g_ptr_array_add (to, g_ptr_array_index (from, k));
}

/* Hand-offs: the dossier moving from one office to another, whoever
 * carries it. Each flow from a step with an office to the next step with
 * an office (gateways, and the steps of the applicant alone or of a
 * system, passed through), counted at the receiving step when the
 * offices differ: a hand-off when the dossier arrives on paper, an
 * exchange when it arrives electronically. After a join, the last office
 * step of every branch flows into the next step. */
static void
count_handoffs (PsimMeasure *m, const guint *row_of)
{
  const PsimPath *path = m->path;
  g_autoptr (GArray) open = g_array_new (FALSE, FALSE, sizeof (OpenSplit));
  g_autoptr (GPtrArray) prev = g_ptr_array_new ();
  for (guint i = 0; i < psim_path_get_n_nodes (path); i++)
    {
      const PsimNode *n = psim_path_get_node (path, i);
      OpenSplit *top = open->len > 0 ? &g_array_index (open, OpenSplit, open->len - 1) : NULL;
      guint s, b;
      if (top != NULL && psim_path_get_parallel (path, i, &s, &b) && s == top->pos
          && (int) b != top->branch)
        {
          if (top->branch >= 0)
            append_steps (top->exits, prev);
          g_ptr_array_unref (prev);
          prev = copy_steps (top->entry);
          top->branch = (int) b;
          top->seen++;
        }
      switch (psim_node_get_kind (n))
        {
        case PSIM_NODE_STEP:
          {
            const PsimActor *office = psim_step_get_office (n);
            if (office == NULL)
              break;
            PsimMetric kind = psim_step_receives_paper (n) ? PSIM_METRIC_HANDOFFS
                                                           : PSIM_METRIC_EXCHANGES;
            for (guint k = 0; k < prev->len; k++)
              if (psim_step_get_office (g_ptr_array_index (prev, k)) != office)
                CONTRIB (m, row_of[i], kind) += 1;
            g_ptr_array_set_size (prev, 0);
            g_ptr_array_add (prev, (gpointer) n);
            break;
          }
        case PSIM_NODE_SPLIT:
          {
            OpenSplit o = { .pos = i, .branch = -1, .entry = copy_steps (prev),
                            .exits = g_ptr_array_new () };
            g_array_append_val (open, o);
            break;
          }
        case PSIM_NODE_JOIN:
          if (top != NULL)
            {
              if (top->branch >= 0)
                append_steps (top->exits, prev);
              /* A branch straight from split to join passes the steps
               * before the split through. */
              if (top->seen < psim_node_get_n_successors (psim_path_get_node (path, top->pos)))
                append_steps (top->exits, top->entry);
              g_ptr_array_unref (prev);
              prev = top->exits;
              g_ptr_array_unref (top->entry);
              g_array_set_size (open, open->len - 1);
            }
          break;
        default:
          break;
        }
    }
  for (guint k = 0; k < open->len; k++)
    {
      OpenSplit *o = &g_array_index (open, OpenSplit, k);
      g_ptr_array_unref (o->entry);
      g_ptr_array_unref (o->exits);
    }
}

/* The counts, effort and money of the step in row @r; its own time, which
 * count_time () then keeps only on the critical path. */
static void
count_step (PsimMeasure *m, guint r, guint pos, GHashTable *agencies, GHashTable *documents)
{
  const PsimNode *n = psim_path_get_node (m->path, pos);
  double *row = &CONTRIB (m, r, 0);
  guint n_fees = 0;
  const double *amounts = psim_path_get_fees (m->path, pos, &n_fees);
  psimp_measure_step_row (n, amounts, n_fees, &m->params, row);
  const PsimActor *who[2] = { psim_step_get_actor (n), psim_step_get_party (n) };
  for (guint k = 0; k < 2; k++)
    if (psimp_actor_is_organisation (who[k]) && g_hash_table_add (agencies, (gpointer) who[k]))
      row[PSIM_METRIC_AGENCIES] += 1;
  for (guint k = 0; k < psim_step_get_n_inputs (n); k++)
    if (psimp_input_is_supplied (n, k)
        && !g_hash_table_add (documents, (gpointer) psim_step_get_input (n, k)))
      row[PSIM_METRIC_DOCUMENTS_REPEATED] += 1;
}

/* The time figures, along the critical path of each. */
static void
count_time (PsimMeasure *m, const guint *row_of)
{
  guint n = psim_path_get_n_nodes (m->path);
  g_autofree double *days = g_new0 (double, 3 * (gsize) n); /* wd, cd, h per node */
  g_autofree double *db = g_new0 (double, n);
  g_autofree double *weight = g_new0 (double, n);
  g_autofree gboolean *on_db = g_new0 (gboolean, n);
  g_autofree gboolean *on_model = g_new0 (gboolean, n);
  for (guint i = 0; i < n; i++)
    {
      const PsimNode *node = psim_path_get_node (m->path, i);
      if (psim_node_get_kind (node) != PSIM_NODE_STEP)
        continue;
      double *d = &days[3 * i];
      psimp_step_days (node, &d[0], &d[1], &d[2]);
      db[i] = psimp_db_days (node);
      weight[i] = d[0] + d[1] + d[2] / 8.0;
    }
  critical (m->path, db, on_db);
  critical (m->path, weight, on_model);
  static const PsimMetric model[3] = {
    PSIM_METRIC_WORKING_DAYS, PSIM_METRIC_CALENDAR_DAYS, PSIM_METRIC_ELAPSED_HOURS,
  };
  for (guint i = 0; i < n; i++)
    if (psim_node_get_kind (psim_path_get_node (m->path, i)) == PSIM_NODE_STEP)
      {
        CONTRIB (m, row_of[i], PSIM_METRIC_DB_DAYS) = on_db[i] ? db[i] : 0;
        for (guint u = 0; u < 3; u++)
          CONTRIB (m, row_of[i], model[u]) = on_model[i] ? days[3 * i + u] : 0;
      }
}

PsimMeasure *
psim_measure_new (const PsimVariant *variant, PsimCase *pcase, const PsimCostParams *params,
                  GError **error)
{
  g_return_val_if_fail (variant != NULL && pcase != NULL && params != NULL, NULL);
  g_autoptr (PsimPath) path = psim_path_new (variant, pcase, error);
  if (path == NULL)
    return NULL;

  g_autoptr (PsimMeasure) m = g_new0 (PsimMeasure, 1);
  m->variant = variant;
  m->path = g_steal_pointer (&path);
  m->params = *params;
  m->step_pos = g_array_new (FALSE, FALSE, sizeof (guint));
  guint n = psim_path_get_n_nodes (m->path);
  g_autofree guint *row_of = g_new0 (guint, n);
  for (guint i = 0; i < n; i++)
    if (psim_node_get_kind (psim_path_get_node (m->path, i)) == PSIM_NODE_STEP)
      {
        row_of[i] = m->step_pos->len;
        g_array_append_val (m->step_pos, i);
      }
  m->contrib = g_new0 (double, (gsize) m->step_pos->len * PSIM_N_METRICS + 1);

  g_autoptr (GHashTable) agencies = g_hash_table_new (NULL, NULL);
  g_autoptr (GHashTable) documents = g_hash_table_new (NULL, NULL);
  for (guint r = 0; r < m->step_pos->len; r++)
    count_step (m, r, g_array_index (m->step_pos, guint, r), agencies, documents);
  count_handoffs (m, row_of);
  count_time (m, row_of);

  for (guint r = 0; r < m->step_pos->len; r++)
    for (guint k = 0; k < PSIM_N_METRICS; k++)
      m->totals[k] += CONTRIB (m, r, k);
  psimp_measure_mark_unknown (m->totals, params);
  if (!psimp_expect_totals (variant, pcase, params, m->expected, &m->expected_defined, error))
    return NULL;
  return g_steal_pointer (&m);
}

void
psim_measure_free (PsimMeasure *m)
{
  if (m == NULL)
    return;
  g_clear_pointer (&m->path, psim_path_free);
  g_clear_pointer (&m->step_pos, g_array_unref);
  g_free (m->contrib);
  g_free (m);
}

const PsimVariant *
psim_measure_get_variant (const PsimMeasure *m)
{
  return m->variant;
}

const PsimPath *
psim_measure_get_path (const PsimMeasure *m)
{
  return m->path;
}

const PsimCostParams *
psim_measure_get_params (const PsimMeasure *m)
{
  return &m->params;
}

double
psim_measure_get (const PsimMeasure *m, PsimMetric metric)
{
  g_return_val_if_fail (m != NULL && metric < PSIM_N_METRICS, NAN);
  return m->totals[metric];
}

double
psim_measure_get_expected (const PsimMeasure *m, PsimMetric metric)
{
  g_return_val_if_fail (m != NULL && metric < PSIM_N_METRICS, NAN);
  return m->expected[metric];
}

gboolean
psim_measure_has_expected (const PsimMeasure *m)
{
  g_return_val_if_fail (m != NULL, FALSE);
  return m->expected_defined;
}

guint
psim_measure_get_n_steps (const PsimMeasure *m)
{
  return m->step_pos->len;
}

const PsimNode *
psim_measure_get_step (const PsimMeasure *m, guint i)
{
  g_return_val_if_fail (i < m->step_pos->len, NULL);
  return psim_path_get_node (m->path, g_array_index (m->step_pos, guint, i));
}

double
psim_measure_get_contribution (const PsimMeasure *m, guint i, PsimMetric metric)
{
  g_return_val_if_fail (i < m->step_pos->len && metric < PSIM_N_METRICS, NAN);
  return CONTRIB (m, i, metric);
}

gboolean
psim_compare_default_pair (const PsimProcedure *proc, const PsimVariant **before,
                           const PsimVariant **after)
{
  g_return_val_if_fail (proc != NULL, FALSE);
  guint n = psim_procedure_get_n_variants (proc);
  if (n < 2)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      const PsimVariant *v = psim_procedure_get_variant (proc, i);
      if (psim_variant_get_baseline (v) != NULL)
        {
          *before = psim_variant_get_baseline (v);
          *after = v;
          return TRUE;
        }
    }
  *before = psim_procedure_get_variant (proc, 0);
  *after = psim_procedure_get_variant (proc, 1);
  return TRUE;
}

double
psim_compare_change_pct (double before, double after)
{
  if (isnan (before) || isnan (after) || before == 0)
    return NAN;
  return (after - before) / before * 100.0;
}
