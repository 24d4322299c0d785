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
 * figure. Hand-offs and exchanges add up over the moves between offices:
 * the dossier leaving an office step is followed, as a token carrying
 * that office, through the nodes without an office (a split copies it to
 * every branch, a join lets every branch's token on) to the next office
 * steps, so the expected moves from one office to another are linear in
 * the passes too. Agencies and distinct documents do not add up: each
 * counts once however often it is met, so its expectation is the
 * probability of meeting it at least once, the chance of reaching one of
 * its steps (the branches of a split are independent: a split region is
 * met when any branch meets it). Time follows the critical path: at a
 * split, the branch whose expected time per pass is the longest, by that
 * figure's own measure, as psim-compare.c does on a path. The rules are in
 * docs/compare-rules.md.
 */
#include "psim-private.h"

#include <math.h>
#include <string.h>

/* The figures that are Σ passes × the step's own figure. */
static const PsimMetric additive[] = {
  PSIM_METRIC_STEPS,          PSIM_METRIC_PROCEDURES,     PSIM_METRIC_VISITS,
  PSIM_METRIC_DOCUMENTS,      PSIM_METRIC_DOCUMENTS_FETCHED,
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

/* The edges out of every node, by node index. With @shared, an arrival
 * at a join counts for 1/branches of a pass (a join is passed once per
 * pass through its split); without, every arrival counts whole (a token
 * per branch). */
static gboolean
edges_of (const PsimVariant *variant, PsimCase *pcase, gboolean shared, GArray **out,
          GError **error)
{
  guint n = variant->nodes->len;
  g_autofree double *join_share = g_new (double, n);
  for (guint i = 0; i < n; i++)
    join_share[i] = 1;
  for (guint i = 0; shared && i < n; i++)
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

/* The split regions: the members of every split's branches and, for
 * every node, its innermost split (-1 outside every split). */
typedef struct {
  guint n;
  guint *size;
  GPtrArray *members; /* guint8 per node (members_of ()), NULL for non-splits */
  int *inner;
} Regions;

static void
regions_init (Regions *r, const PsimVariant *variant)
{
  guint n = r->n = variant->nodes->len;
  r->size = g_new0 (guint, n);
  r->members = g_ptr_array_new_full (n, g_free);
  for (guint s = 0; s < n; s++)
    {
      const PsimNode *node = g_ptr_array_index (variant->nodes, s);
      g_ptr_array_add (r->members, node->kind == PSIM_NODE_SPLIT
                                       ? members_of (variant, node, &r->size[s]) : NULL);
    }
  /* The innermost split of each node: the smallest that holds it. */
  r->inner = g_new (int, n);
  for (guint i = 0; i < n; i++)
    r->inner[i] = -1;
  for (guint s = 0; s < n; s++)
    {
      const guint8 *member = g_ptr_array_index (r->members, s);
      for (guint i = 0; member != NULL && i < n; i++)
        if (member[i] != 0 && (r->inner[i] < 0 || r->size[s] < r->size[r->inner[i]]))
          r->inner[i] = (int) s;
    }
}

static void
regions_clear (Regions *r)
{
  g_free (r->size);
  g_ptr_array_unref (r->members);
  g_free (r->inner);
}

/* Critical-path time: each node's expected time per pass (@t, N_T per
 * node; a split's is that of its longest branches), summed over the nodes
 * outside every split, each weighted by its passes. */
static void
critical_time (const PsimVariant *variant, const Regions *r, const double *x, double *t,
               double *total)
{
  guint n = variant->nodes->len;
  const guint *size = r->size;
  const int *inner = r->inner;
  GPtrArray *members = r->members;

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

/* Rounds of substitution before giving up: enough for a loop left with
 * probability 1/1000 per round. */
static guint
max_rounds (guint n)
{
  return 100000 + 4 * n;
}

/* The join that ends the walk of node @u's branch: that of its innermost
 * split, -1 outside every split. */
static int
stop_of (const PsimVariant *variant, const Regions *r, guint u)
{
  if (r->inner[u] < 0)
    return -1;
  const PsimNode *split = g_ptr_array_index (variant->nodes, (guint) r->inner[u]);
  const PsimNode *join = split->join.target;
  return join != NULL ? (int) join->index : -1;
}

/* The probability that the case passes at least once through a node
 * marked in @target, for the token edges @tok. h(u), the chance from node
 * u, is 1 on a target, Σ weight × h(successor) elsewhere, counting a
 * branch's walk only up to its split's join; a split's is
 * 1 − Π (1 − h(branch)) × (1 − h(join)), its branches being independent.
 * Substitution from 0 rises to the least solution, the chance. */
static double
hit_probability (const PsimVariant *variant, const Regions *r, GArray **tok,
                 const gboolean *target)
{
  guint n = variant->nodes->len;
  g_autofree double *h = g_new0 (double, n);
  for (guint round = 0; round < max_rounds (n); round++)
    {
      gboolean settled = TRUE;
      /* Successors mostly come later in the file: backwards settles in
       * fewer rounds. */
      for (guint u = n; u-- > 0;)
        {
          const PsimNode *node = g_ptr_array_index (variant->nodes, u);
          const PsimNode *join = node->kind == PSIM_NODE_SPLIT ? node->join.target : NULL;
          double v = 0;
          if (target[u])
            v = 1;
          else if (join != NULL)
            {
              double miss = 1 - h[join->index];
              for (guint b = 0; b < node->branches->len; b++)
                {
                  const PsimNode *to
                      = ((const PsimBranch *) g_ptr_array_index (node->branches, b))->to.target;
                  if (to != NULL && to != join)
                    miss *= 1 - h[to->index];
                }
              v = 1 - miss;
            }
          else
            {
              int stop = stop_of (variant, r, u);
              for (guint k = 0; k < tok[u]->len; k++)
                {
                  const Edge *e = &g_array_index (tok[u], Edge, k);
                  if ((int) e->to != stop)
                    v += e->weight * h[e->to];
                }
            }
          if (fabs (v - h[u]) > 1e-14)
            settled = FALSE;
          h[u] = v;
        }
      if (settled)
        break;
    }
  return h[variant->start->index];
}

static gboolean
is_step (const PsimNode *node)
{
  return node->kind == PSIM_NODE_STEP;
}

/* Expected agencies: Σ over the agencies and intermediaries of the chance
 * that one of their steps is reached. Expected distinct documents
 * supplied: the same over the documents the applicant supplies. */
static void
distinct_figures (const PsimVariant *variant, const Regions *r, GArray **tok, double *agencies,
                  double *documents)
{
  guint n = variant->nodes->len;
  g_autoptr (GPtrArray) actors = g_ptr_array_new ();
  g_autoptr (GPtrArray) docs = g_ptr_array_new ();
  for (guint i = 0; i < n; i++)
    {
      const PsimNode *node = g_ptr_array_index (variant->nodes, i);
      if (!is_step (node))
        continue;
      const PsimActor *who[2] = { psim_step_get_actor (node), psim_step_get_party (node) };
      for (guint k = 0; k < 2; k++)
        if (psimp_actor_is_organisation (who[k])
            && !g_ptr_array_find (actors, who[k], NULL))
          g_ptr_array_add (actors, (gpointer) who[k]);
      for (guint k = 0; k < psim_step_get_n_inputs (node); k++)
        if (psimp_input_is_supplied (node, k)
            && !g_ptr_array_find (docs, psim_step_get_input (node, k), NULL))
          g_ptr_array_add (docs, (gpointer) psim_step_get_input (node, k));
    }

  g_autofree gboolean *target = g_new0 (gboolean, n);
  *agencies = 0;
  for (guint a = 0; a < actors->len; a++)
    {
      const PsimActor *actor = g_ptr_array_index (actors, a);
      for (guint i = 0; i < n; i++)
        {
          const PsimNode *node = g_ptr_array_index (variant->nodes, i);
          target[i] = is_step (node) && (psim_step_get_actor (node) == actor
                                         || psim_step_get_party (node) == actor);
        }
      *agencies += hit_probability (variant, r, tok, target);
    }
  *documents = 0;
  for (guint d = 0; d < docs->len; d++)
    {
      for (guint i = 0; i < n; i++)
        {
          const PsimNode *node = g_ptr_array_index (variant->nodes, i);
          target[i] = FALSE;
          for (guint k = 0; is_step (node) && k < psim_step_get_n_inputs (node); k++)
            if (psimp_input_is_supplied (node, k)
                && psim_step_get_input (node, k) == g_ptr_array_index (docs, d))
              target[i] = TRUE;
        }
      *documents += hit_probability (variant, r, tok, target);
    }
}

/* Expected moves of the dossier between offices. For each office, the
 * tokens it sends: @x[a] from every pass through a step a of that office,
 * carried along the token edges @tok through the nodes without an office
 * and stopped at the first step with one; there a token from another
 * office is a hand-off, or an exchange when the step receives the dossier
 * electronically. z = s + Wᵀz over the nodes that pass tokens on. */
static void
office_moves (const PsimVariant *variant, GArray **tok, const double *x, double *handoffs,
              double *exchanges)
{
  guint n = variant->nodes->len;
  g_autofree const PsimActor **office = g_new0 (const PsimActor *, n);
  g_autoptr (GPtrArray) offices = g_ptr_array_new ();
  for (guint i = 0; i < n; i++)
    {
      const PsimNode *node = g_ptr_array_index (variant->nodes, i);
      office[i] = is_step (node) ? psim_step_get_office (node) : NULL;
      if (office[i] != NULL && !g_ptr_array_find (offices, office[i], NULL))
        g_ptr_array_add (offices, (gpointer) office[i]);
    }
  *handoffs = *exchanges = 0;
  g_autofree double *src = g_new (double, n);
  g_autofree double *z = g_new (double, n);
  g_autofree double *y = g_new (double, n);
  for (guint o = 0; o < offices->len; o++)
    {
      const PsimActor *from = g_ptr_array_index (offices, o);
      memset (src, 0, n * sizeof (double));
      for (guint a = 0; a < n; a++)
        for (guint k = 0; office[a] == from && k < tok[a]->len; k++)
          {
            const Edge *e = &g_array_index (tok[a], Edge, k);
            src[e->to] += x[a] * e->weight;
          }
      memcpy (z, src, n * sizeof (double));
      for (guint round = 0; round < max_rounds (n); round++)
        {
          memcpy (y, src, n * sizeof (double));
          for (guint u = 0; u < n; u++)
            for (guint k = 0; office[u] == NULL && k < tok[u]->len; k++)
              {
                const Edge *e = &g_array_index (tok[u], Edge, k);
                y[e->to] += e->weight * z[u];
              }
          gboolean settled = TRUE;
          for (guint i = 0; i < n; i++)
            if (fabs (y[i] - z[i]) > 1e-13 * MAX (1.0, fabs (y[i])))
              settled = FALSE;
          memcpy (z, y, n * sizeof (double));
          if (settled)
            break;
        }
      for (guint b = 0; b < n; b++)
        if (office[b] != NULL && office[b] != from)
          {
            if (psim_step_receives_paper (g_ptr_array_index (variant->nodes, b)))
              *handoffs += z[b];
            else
              *exchanges += z[b];
          }
    }
}

gboolean
psimp_expect_totals (const PsimVariant *variant, PsimCase *pcase, const PsimCostParams *params,
                     double *expected, gboolean *defined, GError **error)
{
  *defined = TRUE;
  for (guint k = 0; k < PSIM_N_METRICS; k++)
    expected[k] = NAN;
  guint n = variant->nodes->len;
  if (variant->start == NULL || n == 0)
    return TRUE;

  g_autofree GArray **edges = g_new0 (GArray *, n);
  g_autofree GArray **tok = g_new0 (GArray *, n);
  gboolean ok = edges_of (variant, pcase, TRUE, edges, error)
                && edges_of (variant, pcase, FALSE, tok, error);
  g_autofree double *x = g_new0 (double, n);
  /* A loop the case can be sent round and never leave (for this case: the
   * checks refuse one that chance alone never leaves): the expected
   * figures are not defined, and stay NAN. */
  gboolean settled = ok && passes (variant, edges, x);
  Regions regions;
  regions_init (&regions, variant);
  double sums[PSIM_N_METRICS] = { 0 };
  if (settled)
    {
      office_moves (variant, tok, x, &sums[PSIM_METRIC_HANDOFFS], &sums[PSIM_METRIC_EXCHANGES]);
      double distinct_docs;
      distinct_figures (variant, &regions, tok, &sums[PSIM_METRIC_AGENCIES], &distinct_docs);
      sums[PSIM_METRIC_DOCUMENTS_REPEATED] = -distinct_docs;
    }
  for (guint i = 0; i < n; i++)
    {
      if (edges[i] != NULL)
        g_array_unref (edges[i]);
      if (tok[i] != NULL)
        g_array_unref (tok[i]);
    }
  if (!settled)
    {
      regions_clear (&regions);
      *defined = ok ? FALSE : TRUE;
      return ok;
    }

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
            regions_clear (&regions);
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
  critical_time (variant, &regions, x, t, time);
  regions_clear (&regions);
  sums[PSIM_METRIC_DB_DAYS] = time[T_DB];
  sums[PSIM_METRIC_WORKING_DAYS] = time[T_WD];
  sums[PSIM_METRIC_CALENDAR_DAYS] = time[T_CD];
  sums[PSIM_METRIC_ELAPSED_HOURS] = time[T_H];

  /* Submissions that are not a document's first: all of them less the
   * distinct documents (rounding kept from showing as a tiny negative). */
  sums[PSIM_METRIC_DOCUMENTS_REPEATED] = MAX (0.0, sums[PSIM_METRIC_DOCUMENTS]
                                                       + sums[PSIM_METRIC_DOCUMENTS_REPEATED]);
  if (sums[PSIM_METRIC_DOCUMENTS_REPEATED] < 1e-9)
    sums[PSIM_METRIC_DOCUMENTS_REPEATED] = 0;
  /* The substitution settles to about 1e-13: a figure that close to a
   * whole number is that number (6 agencies met for certain, not
   * 5.999999999999999). */
  for (PsimMetric k = 0; k < PSIM_N_METRICS; k++)
    expected[k] = fabs (sums[k] - round (sums[k])) < 1e-9 * MAX (1.0, fabs (sums[k]))
                      ? round (sums[k]) : sums[k];
  psimp_measure_mark_unknown (expected, params);
  return TRUE;
}
