/* psim-expect.c — expected figures: what one case costs on average over
 * the probabilities of the chance-decided choices, where a path
 * (psim-path.c) shows only the most likely run.
 *
 * The variant is a Markov chain: each node passes the case on to its
 * successors, a chance-decided choice in proportion to its branches'
 * probabilities, a choice decided by case data to the branch the case
 * takes. The expected number of passes through every node solves
 * x = s + Wᵀx (s is 1 at the start), found by repeated substitution: exact
 * after as many rounds as the longest path without a loop, and for a loop
 * left with probability 1 − p geometric in p (a loop body is walked
 * 1/(1 − p) times). A parallel split passes the case to every branch, and
 * a join counts once per pass through its split.
 *
 * A figure that adds up along a path is then Σ passes × the step's own
 * figure. Time follows the critical path: at a split, the branch whose
 * expected time per pass is the longest, by that figure's own measure, as
 * psim-compare.c does on a path. The rules are in docs/compare-rules.md.
 */
#include "psim-private.h"

#include <math.h>
#include <string.h>

/* The figures this file computes; the others stay NAN. */
static const PsimMetric additive[] = {
  PSIM_METRIC_STEPS,          PSIM_METRIC_PROCEDURES,     PSIM_METRIC_VISITS,
  PSIM_METRIC_DB_DAYS,        PSIM_METRIC_WORKING_DAYS,   PSIM_METRIC_CALENDAR_DAYS,
  PSIM_METRIC_ELAPSED_HOURS,  PSIM_METRIC_EFFORT_HOURS,   PSIM_METRIC_TAXES,
  PSIM_METRIC_FEES,           PSIM_METRIC_SERVICE,        PSIM_METRIC_OWN_TIME_COST,
  PSIM_METRIC_TRAVEL_COST,    PSIM_METRIC_APPLICANT_COST, PSIM_METRIC_APPLICANT_COST_PCT,
  PSIM_METRIC_TAXES_PCT,      PSIM_METRIC_SCM_HOURS,      PSIM_METRIC_SCM_BURDEN,
};

/* The time figures, kept apart per parallel branch. */
enum { T_DB, T_WD, T_CD, T_H, N_T };

typedef struct {
  guint to;
  double weight;
} Edge;

/* The edges out of every node, by node index. */
static gboolean
edges_of (const PsimVariant *variant, PsimCase *pcase, GArray **out, GError **error)
{
  guint n = variant->nodes->len;
  /* A join is reached once per branch of its split: each arrival counts
   * for 1/branches of a pass. */
  g_autofree double *join_share = g_new (double, n);
  for (guint i = 0; i < n; i++)
    join_share[i] = 1;
  for (guint i = 0; i < n; i++)
    {
      const PsimNode *node = g_ptr_array_index (variant->nodes, i);
      const PsimNode *join = node->kind == PSIM_NODE_SPLIT ? node->join.target : NULL;
      if (join != NULL && node->branches->len > 0)
        join_share[join->index] = 1.0 / node->branches->len;
    }

  for (guint i = 0; i < n; i++)
    {
      const PsimNode *node = g_ptr_array_index (variant->nodes, i);
      GArray *e = out[i] = g_array_new (FALSE, FALSE, sizeof (Edge));
      switch (node->kind)
        {
        case PSIM_NODE_END:
          break;
        case PSIM_NODE_CHOICE:
          if (!psimp_choice_by_chance (node))
            {
              int b = psimp_case_choose (pcase, node, error);
              if (b < 0)
                return FALSE;
              const PsimNode *to = ((const PsimBranch *) g_ptr_array_index (node->branches, b))->to.target;
              if (to != NULL)
                g_array_append_val (e, ((Edge) { to->index, join_share[to->index] }));
            }
          else
            {
              double sum = 0;
              for (guint b = 0; b < node->branches->len; b++)
                {
                  const PsimBranch *br = g_ptr_array_index (node->branches, b);
                  sum += br->has_probability && br->probability > 0 ? br->probability : 0;
                }
              for (guint b = 0; b < node->branches->len; b++)
                {
                  const PsimBranch *br = g_ptr_array_index (node->branches, b);
                  const PsimNode *to = br->to.target;
                  /* Without probabilities, the branches are equally likely. */
                  double p = sum > 0 ? (br->has_probability && br->probability > 0
                                            ? br->probability / sum : 0)
                                     : 1.0 / node->branches->len;
                  if (to != NULL && p > 0)
                    g_array_append_val (e, ((Edge) { to->index, p * join_share[to->index] }));
                }
            }
          break;
        case PSIM_NODE_SPLIT:
          for (guint b = 0; b < node->branches->len; b++)
            {
              const PsimNode *to = ((const PsimBranch *) g_ptr_array_index (node->branches, b))->to.target;
              if (to != NULL)
                g_array_append_val (e, ((Edge) { to->index, join_share[to->index] }));
            }
          break;
        case PSIM_NODE_START:
        case PSIM_NODE_STEP:
        case PSIM_NODE_JOIN:
        default:
          if (node->next.target != NULL)
            {
              const PsimNode *to = node->next.target;
              g_array_append_val (e, ((Edge) { to->index, join_share[to->index] }));
            }
          break;
        }
    }
  return TRUE;
}

/* The expected passes through every node, or FALSE when they do not
 * settle (a loop that is never left). */
static gboolean
passes (const PsimVariant *variant, GArray **edges, double *x)
{
  guint n = variant->nodes->len;
  g_autofree double *y = g_new0 (double, n);
  /* Enough rounds for a loop left with probability 1/1000 per round. */
  guint max_rounds = 100000 + 4 * n;
  for (guint round = 0; round < max_rounds; round++)
    {
      memset (y, 0, n * sizeof (double));
      y[variant->start->index] = 1;
      for (guint i = 0; i < n; i++)
        for (guint k = 0; k < edges[i]->len; k++)
          {
            const Edge *e = &g_array_index (edges[i], Edge, k);
            y[e->to] += e->weight * x[i];
          }
      gboolean settled = TRUE;
      for (guint i = 0; i < n; i++)
        {
          if (!isfinite (y[i]))
            return FALSE;
          if (fabs (y[i] - x[i]) > 1e-13 * MAX (1.0, fabs (y[i])))
            settled = FALSE;
        }
      memcpy (x, y, n * sizeof (double));
      if (settled && round > 0)
        return TRUE;
    }
  return FALSE;
}

/* The nodes on the branches of split @split (by node index; a node on
 * two branches counts on the first), walked from each branch's target up
 * to the split's join: branch + 1 of each node, 0 off the split.
 * (transfer full) */
static guint8 *
members_of (const PsimVariant *variant, const PsimNode *split, guint *size)
{
  guint n = variant->nodes->len;
  guint8 *member = g_new0 (guint8, n);
  *size = 0;
  for (guint b = 0; b < split->branches->len && b < 254; b++)
    {
      g_autoptr (GQueue) queue = g_queue_new ();
      const PsimNode *to = ((const PsimBranch *) g_ptr_array_index (split->branches, b))->to.target;
      if (to != NULL)
        g_queue_push_tail (queue, (gpointer) to);
      while (!g_queue_is_empty (queue))
        {
          const PsimNode *m = g_queue_pop_head (queue);
          if (m == split->join.target || m == split || member[m->index] != 0)
            continue;
          member[m->index] = (guint8) (b + 1);
          (*size)++;
          for (guint k = 0; k < psim_node_get_n_successors (m); k++)
            {
              const PsimNode *next = psim_node_get_successor (m, k);
              if (next != NULL)
                g_queue_push_tail (queue, (gpointer) next);
            }
        }
    }
  return member;
}

/* Critical-path time: each node's expected time per pass (@t, N_T per
 * node; a split's is that of its longest branches), summed over the nodes
 * outside every split, each weighted by its passes. */
static void
critical_time (const PsimVariant *variant, const double *x, double *t, double *total)
{
  guint n = variant->nodes->len;
  g_autofree guint *size = g_new0 (guint, n);
  g_autoptr (GPtrArray) members = g_ptr_array_new_full (n, g_free);
  for (guint s = 0; s < n; s++)
    {
      const PsimNode *node = g_ptr_array_index (variant->nodes, s);
      g_ptr_array_add (members, node->kind == PSIM_NODE_SPLIT
                                    ? members_of (variant, node, &size[s]) : NULL);
    }

  /* The innermost split of each node: the smallest that holds it. */
  g_autofree int *inner = g_new (int, n);
  for (guint i = 0; i < n; i++)
    inner[i] = -1;
  for (guint s = 0; s < n; s++)
    {
      const guint8 *member = g_ptr_array_index (members, s);
      for (guint i = 0; member != NULL && i < n; i++)
        if (member[i] != 0 && (inner[i] < 0 || size[s] < size[inner[i]]))
          inner[i] = (int) s;
    }

  /* Innermost splits first: those with fewer members. */
  g_autoptr (GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint s = 0; s < n; s++)
    if (((const PsimNode *) g_ptr_array_index (variant->nodes, s))->kind == PSIM_NODE_SPLIT)
      g_array_append_val (order, s);
  for (guint a = 1; a < order->len; a++)
    for (guint b = a; b > 0 && size[g_array_index (order, guint, b)]
                                   < size[g_array_index (order, guint, b - 1)]; b--)
      {
        guint tmp = g_array_index (order, guint, b);
        g_array_index (order, guint, b) = g_array_index (order, guint, b - 1);
        g_array_index (order, guint, b - 1) = tmp;
      }

  for (guint o = 0; o < order->len; o++)
    {
      guint s = g_array_index (order, guint, o);
      const PsimNode *split = g_ptr_array_index (variant->nodes, s);
      guint nb = MIN (split->branches->len, 254u);
      g_autofree double *sum = g_new0 (double, (gsize) nb * N_T + 1);
      for (guint i = 0; i < n && x[s] > 0; i++)
        if (inner[i] == (int) s)
          {
            guint b = ((const guint8 *) g_ptr_array_index (members, s))[i] - 1u;
            for (guint k = 0; k < N_T; k++)
              sum[b * N_T + k] += x[i] / x[s] * t[i * N_T + k];
          }
      guint best_db = 0, best_model = 0;
      for (guint b = 1; b < nb; b++)
        {
          const double *c = &sum[b * N_T], *d = &sum[best_db * N_T], *m = &sum[best_model * N_T];
          if (c[T_DB] > d[T_DB])
            best_db = b;
          if (c[T_WD] + c[T_CD] + c[T_H] / 8.0 > m[T_WD] + m[T_CD] + m[T_H] / 8.0)
            best_model = b;
        }
      double *ts = &t[s * N_T];
      ts[T_DB] = sum[best_db * N_T + T_DB];
      for (guint k = T_WD; k < N_T; k++)
        ts[k] = sum[best_model * N_T + k];
    }

  for (guint k = 0; k < N_T; k++)
    total[k] = 0;
  for (guint i = 0; i < n; i++)
    if (inner[i] < 0)
      for (guint k = 0; k < N_T; k++)
        total[k] += x[i] * t[i * N_T + k];
}

gboolean
psimp_expect_totals (const PsimVariant *variant, PsimCase *pcase, const PsimCostParams *params,
                     double *expected, GError **error)
{
  for (guint k = 0; k < PSIM_N_METRICS; k++)
    expected[k] = NAN;
  guint n = variant->nodes->len;
  if (variant->start == NULL || n == 0)
    return TRUE;

  g_autofree GArray **edges = g_new0 (GArray *, n);
  gboolean ok = edges_of (variant, pcase, edges, error);
  g_autofree double *x = g_new0 (double, n);
  if (ok && !passes (variant, edges, x))
    {
      g_set_error (error, PSIM_CASE_ERROR, PSIM_CASE_ERROR_EVAL,
                   psim_gettext (psim_case_get_language (pcase),
                                 "variant '%s': the expected figures do not settle (a loop is "
                                 "never left)"),
                   variant->id);
      ok = FALSE;
    }
  for (guint i = 0; i < n; i++)
    if (edges[i] != NULL)
      g_array_unref (edges[i]);
  if (!ok)
    return FALSE;

  double sums[PSIM_N_METRICS] = { 0 };
  g_autofree double *t = g_new0 (double, (gsize) n * N_T + 1);
  for (guint i = 0; i < n; i++)
    {
      const PsimNode *node = g_ptr_array_index (variant->nodes, i);
      if (node->kind != PSIM_NODE_STEP)
        continue;
      g_autofree double *amounts = g_new0 (double, node->fees->len + 1);
      for (guint k = 0; k < node->fees->len; k++)
        if (!psim_case_eval_fee (pcase, g_ptr_array_index (node->fees, k), &amounts[k], error))
          {
            g_prefix_error (error, "step '%s': ", node->id);
            return FALSE;
          }
      double row[PSIM_N_METRICS] = { 0 };
      psimp_measure_step_row (node, amounts, node->fees->len, params, row);
      /* A step never reached contributes nothing, even an unknown cost. */
      if (x[i] > 0)
        for (guint k = 0; k < G_N_ELEMENTS (additive); k++)
          sums[additive[k]] += x[i] * row[additive[k]];
      t[i * N_T + T_DB] = row[PSIM_METRIC_DB_DAYS];
      t[i * N_T + T_WD] = row[PSIM_METRIC_WORKING_DAYS];
      t[i * N_T + T_CD] = row[PSIM_METRIC_CALENDAR_DAYS];
      t[i * N_T + T_H] = row[PSIM_METRIC_ELAPSED_HOURS];
    }
  double time[N_T];
  critical_time (variant, x, t, time);
  sums[PSIM_METRIC_DB_DAYS] = time[T_DB];
  sums[PSIM_METRIC_WORKING_DAYS] = time[T_WD];
  sums[PSIM_METRIC_CALENDAR_DAYS] = time[T_CD];
  sums[PSIM_METRIC_ELAPSED_HOURS] = time[T_H];

  for (guint k = 0; k < G_N_ELEMENTS (additive); k++)
    expected[additive[k]] = sums[additive[k]];
  psimp_measure_mark_unknown (expected, params);
  return TRUE;
}
