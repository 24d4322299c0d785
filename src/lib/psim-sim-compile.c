/* psim-sim-compile.c — a variant compiled for the simulation engine.
 *
 * The model's nodes, with their references by pointer and their figures as
 * quantities, become one array of SNode indexed like the variant's nodes:
 * successors as indices, a choice's probabilities as a cumulative table or
 * its conditions as formulas evaluated once per case, a split's join as a
 * slot counted per case, a step's duration and service distributions, its
 * office, fees (fixed, or a formula) and legal limit; the limits above the
 * step (the variant's <time-limit>, its <duty>s) with the steps they
 * count from and to marked on those steps, and their <when>s. Formulas whose
 * variables are all numeric or boolean params are kept as plain programs
 * over an array of values; any other makes the graph "slow", and the run
 * then binds every case's data into an expression context as training
 * does. Nothing here runs per case.
 */
#include "psim-sim-engine-private.h"

#include <procsim/psim-i18n.h>

#include <string.h>

void
psimp_sim_graph_clear (Graph *g)
{
  for (guint i = 0; i < g->n_nodes; i++)
    {
      g_free (g->nodes[i].succ);
      g_free (g->nodes[i].cum);
    }
  g_free (g->nodes);
  g_free (g->samplers);
  if (g->conds != NULL)
    g_ptr_array_unref (g->conds);
  if (g->fees != NULL)
    g_array_unref (g->fees);
  if (g->whens != NULL)
    g_array_unref (g->whens);
  if (g->limits != NULL)
    g_array_unref (g->limits);
  if (g->case_limits != NULL)
    g_array_unref (g->case_limits);
  if (g->limit_whens != NULL)
    g_array_unref (g->limit_whens);
  if (g->marks != NULL)
    g_array_unref (g->marks);
  memset (g, 0, sizeof *g);
}

static const PsimSimService *
find_service (const PsimSimSpec *spec, const PsimNode *n)
{
  for (guint i = 0; i < spec->services->len; i++)
    {
      const PsimSimService *s = g_ptr_array_index (spec->services, i);
      if (g_strcmp0 (s->step_id, n->id) == 0
          && (s->variant_id == NULL || g_strcmp0 (s->variant_id, n->variant->id) == 0))
        return s;
    }
  return NULL;
}

guint
psimp_sim_param_index (const PsimProcedure *proc, const PsimParam *p)
{
  for (guint i = 0; i < proc->params->len; i++)
    if (g_ptr_array_index (proc->params, i) == p)
      return i;
  return 0;
}

/* @f for @expr (nullable): plain when it can be; marks @g slow when not. */
static void
formula_init (Formula *f, Graph *g, const PsimProcedure *proc, const PsimExpr *expr)
{
  memset (f, 0, sizeof *f);
  if (expr == NULL)
    return;
  if (!psim_expr_is_plain (expr))
    {
      g->slow = TRUE;
      return;
    }
  const char *const *vars = psim_expr_get_variables (expr);
  for (; vars[f->n_vars] != NULL; f->n_vars++)
    {
      const PsimParam *p = g_hash_table_lookup (proc->param_index, vars[f->n_vars]);
      if (f->n_vars == FORMULA_MAX_VARS || p == NULL
          || (p->type != PSIM_PARAM_NUMBER && p->type != PSIM_PARAM_BOOLEAN))
        {
          g->slow = TRUE;
          return;
        }
      f->param[f->n_vars] = psimp_sim_param_index (proc, p);
      f->booleans[f->n_vars] = p->type == PSIM_PARAM_BOOLEAN;
    }
  f->expr = expr;
}

/* The index of @n among @g's nodes; -1 for NULL (or the start). */
static int
node_index (const Graph *g, const PsimNode *n)
{
  if (n == NULL || n->kind == PSIM_NODE_START)
    return -1;
  for (guint i = 0; i < g->n_nodes; i++)
    if (g->nodes[i].node == n)
      return (int) i;
  return -1;
}

/* The flag in a case of step @n, named by a <when step>. */
static int
seen_slot (Graph *g, const PsimNode *n)
{
  int i = node_index (g, n);
  if (i < 0)
    return -1;
  if (g->nodes[i].seen_slot < 0)
    g->nodes[i].seen_slot = (int) g->n_seen++;
  return g->nodes[i].seen_slot;
}

static void
add_case_limit (Graph *g, const PsimProcedure *proc, const PsimLimit *l)
{
  LimitInfo info = { .level = l->duty ? PSIM_LIMIT_DUTY : PSIM_LIMIT_PROCEDURE, .limit = l };
  CaseLimit cl = { .limit = l,
                   .index = g->limits->len,
                   .from = node_index (g, l->from.target),
                   .by = node_index (g, l->by.target),
                   .duty = l->duty,
                   .unit = l->q.q.unit,
                   .value = l->q.q.likely,
                   .when_first = g->limit_whens->len,
                   .n_whens = l->cases->len,
                   .filed = -1,
                   .cut_off = l->cut_off };
  if (l->cut_off >= 0 && l->filed.target != NULL)
    cl.filed = (int) psimp_sim_param_index (proc, l->filed.target);
  for (guint i = 0; i < l->cases->len; i++)
    {
      const PsimLimitCase *c = g_ptr_array_index (l->cases, i);
      LimitWhen w = { .seen_slot = seen_slot (g, c->step.target), .test = c->test,
                      .value = c->value };
      formula_init (&w.formula, g, proc, c->test);
      g_array_append_val (g->limit_whens, w);
    }
  g_array_append_val (g->limits, info);
  g_array_append_val (g->case_limits, cl);
}

/* Each step's marks: the limits counted to its end (first) and from it. */
static void
compile_marks (Graph *g)
{
  for (guint i = 0; i < g->n_nodes; i++)
    {
      SNode *s = &g->nodes[i];
      s->mark_first = g->marks->len;
      for (guint by = 2; by-- > 0;)
        for (guint k = 0; k < g->case_limits->len; k++)
          {
            const CaseLimit *cl = &g_array_index (g->case_limits, CaseLimit, k);
            if ((by ? cl->by : cl->from) == (int) i)
              {
                LimitMark m = { .limit = k, .by = by };
                g_array_append_val (g->marks, m);
              }
          }
      s->n_marks = g->marks->len - s->mark_first;
    }
}

gboolean
psimp_sim_compile (PsimSim *sim, Graph *g, const PsimVariant *v, GError **error)
{
  const char *lang = sim->lang;
  g->variant = v;
  g->n_nodes = v->nodes->len;
  g->nodes = g_new0 (SNode, g->n_nodes);
  g->samplers = g_new0 (Sampler, 2 * MAX (g->n_nodes, 1));
  g->conds = g_ptr_array_new ();
  g->fees = g_array_new (FALSE, FALSE, sizeof (FeeSlot));
  g->whens = g_array_new (FALSE, FALSE, sizeof (Formula));
  g->limits = g_array_new (FALSE, FALSE, sizeof (LimitInfo));
  g->case_limits = g_array_new (FALSE, FALSE, sizeof (CaseLimit));
  g->limit_whens = g_array_new (FALSE, FALSE, sizeof (LimitWhen));
  g->marks = g_array_new (FALSE, FALSE, sizeof (LimitMark));
  g_autoptr (GHashTable) join_slots = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < g->n_nodes; i++)
    {
      const PsimNode *n = g_ptr_array_index (v->nodes, i);
      if (n->kind == PSIM_NODE_JOIN)
        g_hash_table_insert (join_slots, (gpointer) n, GUINT_TO_POINTER (g->n_joins++));
    }
  for (guint i = 0; i < g->n_nodes; i++)
    {
      const PsimNode *n = g_ptr_array_index (v->nodes, i);
      SNode *s = &g->nodes[i];
      s->kind = n->kind;
      s->node = n;
      s->resource = -1;
      s->limit = -1;
      s->seen_slot = -1;
      s->cond_slot = -1;
      if (n == v->start)
        g->start = i;
      if (n->kind == PSIM_NODE_START || n->kind == PSIM_NODE_STEP || n->kind == PSIM_NODE_JOIN)
        {
          const PsimNode *next = n->next.target;
          if (next == NULL)
            {
              g_set_error (error, PSIM_SIM_ERROR, PSIM_SIM_ERROR_MODEL,
                           psim_gettext (lang, "node '%s' has no successor"), n->id);
              return FALSE;
            }
          s->next = next->index;
        }
      if (n->kind == PSIM_NODE_JOIN)
        s->join_slot = GPOINTER_TO_UINT (g_hash_table_lookup (join_slots, n));
      if (n->kind == PSIM_NODE_CHOICE || n->kind == PSIM_NODE_SPLIT)
        {
          s->n_succ = n->branches->len;
          s->succ = g_new (guint, s->n_succ);
          gboolean conditional = FALSE;
          for (guint b = 0; b < s->n_succ; b++)
            {
              const PsimBranch *br = g_ptr_array_index (n->branches, b);
              s->succ[b] = ((const PsimNode *) br->to.target)->index;
              conditional |= br->when != NULL;
            }
          if (n->kind == PSIM_NODE_SPLIT)
            {
              const PsimNode *join = n->join.target;
              s->join_slot = GPOINTER_TO_UINT (g_hash_table_lookup (join_slots, join));
              g->nodes[join->index].arity = s->n_succ;
            }
          else if (conditional)
            {
              s->cond_slot = (int) g->conds->len;
              g_ptr_array_add (g->conds, (gpointer) n);
              for (guint b = 0; b < s->n_succ; b++)
                {
                  const PsimBranch *br = g_ptr_array_index (n->branches, b);
                  Formula f;
                  formula_init (&f, g, sim->proc, br->when);
                  g_array_append_val (g->whens, f);
                }
            }
          else
            {
              s->cum = g_new (double, s->n_succ);
              double c = 0;
              for (guint b = 0; b < s->n_succ; b++)
                {
                  const PsimBranch *br = g_ptr_array_index (n->branches, b);
                  c += br->has_probability ? br->probability : 0;
                  s->cum[b] = c;
                }
              if (!(c > 0))
                {
                  g_set_error (error, PSIM_SIM_ERROR, PSIM_SIM_ERROR_MODEL,
                               psim_gettext (lang, "choice '%s' has neither conditions nor probabilities"), n->id);
                  return FALSE;
                }
              for (guint b = 0; b < s->n_succ; b++)
                s->cum[b] /= c;
            }
        }
      if (n->kind != PSIM_NODE_STEP)
        continue;
      const PsimDist *dur = psim_step_get_duration_dist (n);
      if (dur != NULL)
        {
          psimp_sampler_init (&g->samplers[2 * i], dur);
          s->dur = &g->samplers[2 * i];
        }
      s->unit = n->duration.q.unit;
      s->effort = n->effort.set ? n->effort.q.likely : 0;
      s->visit = n->visit;
      const PsimSimService *sv = find_service (sim->spec, n);
      if (sv != NULL && sv->resource.target != NULL)
        {
          for (guint r = 0; r < sim->n_res; r++)
            if (sim->res[r] == sv->resource.target)
              s->resource = (int) r;
          psimp_sampler_init (&g->samplers[2 * i + 1], &sv->dist);
          s->service = &g->samplers[2 * i + 1];
          s->priority = sv->priority;
        }
      s->fee_first = g->fees->len;
      s->n_fees = n->fees->len;
      for (guint f = 0; f < n->fees->len; f++)
        {
          const PsimFee *fee = g_ptr_array_index (n->fees, f);
          FeeSlot slot = { .fee = fee, .fixed = fee->has_amount, .amount = fee->amount,
                           .tax = fee->kind == PSIM_FEE_TAX };
          if (!slot.fixed)
            formula_init (&slot.formula, g, sim->proc, fee->expr);
          g_array_append_val (g->fees, slot);
        }
    }

  /* The limits in the order the path lists them: the procedure's, the
   * steps' (here in node order), the duties. */
  if (v->time_limit != NULL)
    add_case_limit (g, sim->proc, v->time_limit);
  for (guint i = 0; i < g->n_nodes; i++)
    {
      const PsimNode *n = g->nodes[i].node;
      if (n->kind == PSIM_NODE_STEP && n->time_limit.set)
        {
          SNode *s = &g->nodes[i];
          LimitInfo info = { .level = PSIM_LIMIT_STEP, .step = n };
          s->limit = (int) g->limits->len;
          s->limit_value = n->time_limit.q.likely;
          s->limit_unit = n->time_limit.q.unit;
          g_array_append_val (g->limits, info);
        }
    }
  for (guint i = 0; i < v->duties->len; i++)
    add_case_limit (g, sim->proc, g_ptr_array_index (v->duties, i));
  compile_marks (g);
  return TRUE;
}
