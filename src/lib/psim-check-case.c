/* psim-check-case.c — the semantic checks that follow cases through the
 * variants, once the declarations, references and graphs are sound
 * (psim-check.c runs these last).
 *
 * A file can be well formed and still go wrong for a case: a `when`
 * loop whose condition never lets the default case out, a loop whose only
 * way out has probability 0, a fee formula
 * that turns negative at a declared bound of its case data, a parallel
 * branch that falls through into its neighbour (its steps would be done
 * twice). These are modelling errors the tools would otherwise accept
 * without a word and get wrong later, so they are reported here with the
 * element's line and, for the case-dependent ones, the case values.
 *
 * The cases tried are the defaults and, for each number param that
 * declares `min` or `max`, that bound with every other param at its
 * default: the values a trainer has said are allowed.
 */
#include "psim-private.h"

#include <math.h>
#include <string.h>

typedef struct {
  PsimProcedure *proc;
  const char *lang;
  GPtrArray *diags;
} CaseCheck;

/* One case to try: @param at @value (NULL: every param at its default). */
typedef struct {
  const PsimParam *param;
  double value;
  gboolean is_max;
} Trial;

/* "the default case" or "the case price = 0". (transfer full) */
static char *
trial_text (const Trial *t, const char *lang)
{
  if (t->param == NULL)
    return g_strdup (psim_gettext (lang, "the default case"));
  g_autofree char *v = g_strdup_printf ("%.15g", t->value);
  return g_strdup_printf (t->is_max ? psim_gettext (lang, "the case %s = %s (its declared max)")
                                    : psim_gettext (lang, "the case %s = %s (its declared min)"),
                          t->param->id, v);
}

static PsimCase *
trial_case (CaseCheck *c, const Trial *t)
{
  PsimCase *pcase = psim_case_new (c->proc);
  psim_case_set_language (pcase, c->lang);
  if (t->param != NULL)
    {
      g_autofree char *v = g_strdup_printf ("%.17g", t->value);
      /* A declared bound is an allowed value (check_params checks the
       * default against it), so this cannot fail. */
      psim_case_set (pcase, t->param->id, v, NULL);
    }
  return pcase;
}

/* ---- fee formulas at the bounds ------------------------------------------- */

/* Evaluates every fee formula for the case; reports each formula's first
 * failure once (@failed holds the formulas already reported). The default
 * case's failures are reported by psim-check.c. */
static void
check_fees (CaseCheck *c, PsimCase *pcase, const Trial *t, GHashTable *failed)
{
  g_autoptr (GHashTable) done = g_hash_table_new (NULL, NULL);
  for (guint vi = 0; vi < c->proc->variants->len; vi++)
    {
      const PsimVariant *v = g_ptr_array_index (c->proc->variants, vi);
      for (guint i = 0; i < v->nodes->len; i++)
        {
          const PsimNode *n = g_ptr_array_index (v->nodes, i);
          for (guint j = 0; n->kind == PSIM_NODE_STEP && j < n->fees->len; j++)
            {
              const PsimFee *fee = g_ptr_array_index (n->fees, j);
              g_autoptr (GError) error = NULL;
              double amount;
              if (fee->expr == NULL || g_hash_table_contains (failed, fee->expr)
                  || !g_hash_table_add (done, fee->expr)
                  || psim_case_eval_fee (pcase, fee, &amount, &error))
                continue;
              g_hash_table_add (failed, fee->expr);
              g_autofree char *which = trial_text (t, c->lang);
              psim_diag_add (c->diags, PSIM_SEVERITY_ERROR, c->proc->file, fee->line,
                             psim_gettext (c->lang, "step '%s': for %s, %s"), n->id, which,
                             error->message);
            }
        }
    }
}

/* ---- `when` loops without an exit ------------------------------------------ */

/* The successor a case is forced to at @n, or NULL when the flow may go
 * several ways (a chance-decided choice, a split) or nowhere (an end).
 * For a choice decided by conditions, *@choice_branch is the branch. */
static const PsimNode *
forced_successor (PsimCase *pcase, const PsimNode *n, int *choice_branch)
{
  *choice_branch = -1;
  switch (n->kind)
    {
    case PSIM_NODE_START:
    case PSIM_NODE_STEP:
    case PSIM_NODE_JOIN:
      return n->next.target;
    case PSIM_NODE_CHOICE:
      {
        gboolean conditional = FALSE;
        for (guint i = 0; i < n->branches->len; i++)
          conditional |= ((const PsimBranch *) g_ptr_array_index (n->branches, i))->when != NULL;
        /* A failing condition, or none applying: psim-check.c and the
         * path computation report those. */
        int b = conditional ? psimp_case_choose (pcase, n, NULL) : -1;
        *choice_branch = b;
        return b >= 0 ? ((const PsimBranch *) g_ptr_array_index (n->branches, b))->to.target
                      : NULL;
      }
    case PSIM_NODE_SPLIT:
    case PSIM_NODE_END:
    default:
      return NULL;
    }
}

/* Finds, among the nodes the case can reach from the start, a cycle along
 * which every move is forced by the flow or by a condition: once in it,
 * the case never leaves. Reports it at its first conditional choice in
 * document order (a forced cycle without one has no end reachable, which
 * psim-check.c has already reported). Returns TRUE when one was found. */
static gboolean
check_loops (CaseCheck *c, const PsimVariant *v, PsimCase *pcase, const Trial *t)
{
  guint n = v->nodes->len;
  g_autofree const PsimNode **forced = g_new0 (const PsimNode *, n);
  g_autofree int *branch = g_new (int, n);
  for (guint i = 0; i < n; i++)
    forced[i] = forced_successor (pcase, g_ptr_array_index (v->nodes, i), &branch[i]);

  /* The nodes this case can reach: every branch of a chance-decided
   * choice or a split, only the taken one of a conditional choice. */
  g_autofree guint8 *reached = g_new0 (guint8, n);
  g_autoptr (GPtrArray) stack = g_ptr_array_new ();
  g_ptr_array_add (stack, (gpointer) v->start);
  reached[v->start->index] = 1;
  while (stack->len > 0)
    {
      const PsimNode *x = g_ptr_array_steal_index_fast (stack, stack->len - 1);
      guint k = psim_node_get_n_successors (x);
      for (guint i = 0; i < k; i++)
        {
          const PsimNode *s = psim_node_get_successor (x, i);
          if (x->kind == PSIM_NODE_CHOICE && branch[x->index] >= 0 && (int) i != branch[x->index])
            continue;
          if (s != NULL && !reached[s->index])
            {
              reached[s->index] = 1;
              g_ptr_array_add (stack, (gpointer) s);
            }
        }
    }

  /* Cycles of the forced-successor graph (each node has at most one):
   * 1 = on the walk under way, 2 = done. */
  g_autofree guint8 *state = g_new0 (guint8, n);
  for (guint i = 0; i < n; i++)
    {
      if (!reached[i] || state[i] != 0)
        continue;
      guint u = i;
      while (state[u] == 0 && reached[u])
        {
          state[u] = 1;
          if (forced[u] == NULL)
            break;
          u = forced[u]->index;
        }
      gboolean cycle = state[u] == 1 && forced[u] != NULL;
      const PsimNode *culprit = NULL;
      if (cycle)
        {
          guint w = u;
          do
            {
              const PsimNode *x = g_ptr_array_index (v->nodes, w);
              if (x->kind == PSIM_NODE_CHOICE && branch[w] >= 0
                  && (culprit == NULL || x->index < culprit->index))
                culprit = x;
              w = forced[w]->index;
            }
          while (w != u);
        }
      /* Close the walk. */
      for (guint w = i; state[w] == 1;)
        {
          state[w] = 2;
          if (forced[w] == NULL)
            break;
          w = forced[w]->index;
        }
      if (culprit == NULL)
        continue;
      const PsimBranch *b = g_ptr_array_index (culprit->branches, branch[culprit->index]);
      g_autofree char *which = trial_text (t, c->lang);
      if (b->when != NULL)
        psim_diag_add (c->diags, PSIM_SEVERITY_ERROR, c->proc->file, b->line,
                       psim_gettext (c->lang,
                                     "choice '%s': its branch to '%s' (when \"%s\") sends %s "
                                     "round a loop forever: no condition on the loop lets it out"),
                       culprit->id, b->to.id, psim_expr_get_source (b->when), which);
      else
        psim_diag_add (c->diags, PSIM_SEVERITY_ERROR, c->proc->file, b->line,
                       psim_gettext (c->lang,
                                     "choice '%s': its default branch to '%s' sends %s round a "
                                     "loop forever: no condition on the loop lets it out"),
                       culprit->id, b->to.id, which);
      return TRUE;
    }
  return FALSE;
}

/* ---- chance loops without an exit ---------------------------------------- */

/* Whether the flow from @n along its successor @i can be taken: every one
 * but a chance-decided branch of probability 0. */
static gboolean
may_take (const PsimNode *n, guint i)
{
  if (n->kind != PSIM_NODE_CHOICE)
    return TRUE;
  const PsimBranch *b = g_ptr_array_index (n->branches, i);
  return !b->has_probability || b->probability > 0;
}

/* Finds a loop that chance never lets out: nodes the flow can reach from
 * the start, by the branches it can take, from which it can reach no end
 * by them, because the way out is a branch of probability 0. Every case is
 * then sent round it forever, and its expected figures (psim-expect.c)
 * have no value. Conditions are not followed (check_loops () does that
 * for the cases tried): any branch with a condition may be taken. Reports
 * the first such choice, at its branch of probability 0 that would lead
 * out. Returns TRUE when one was found. */
static gboolean
check_chance_loops (CaseCheck *c, const PsimVariant *v)
{
  guint n = v->nodes->len;
  /* The flows that can be taken, backwards. */
  g_autoptr (GPtrArray) preds = g_ptr_array_new_full (n, (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (preds, g_ptr_array_new ());
  for (guint i = 0; i < n; i++)
    {
      const PsimNode *x = g_ptr_array_index (v->nodes, i);
      for (guint k = 0; k < psim_node_get_n_successors (x); k++)
        {
          const PsimNode *s = psim_node_get_successor (x, k);
          if (s != NULL && may_take (x, k))
            g_ptr_array_add (g_ptr_array_index (preds, s->index), (gpointer) x);
        }
    }

  g_autofree guint8 *finishing = g_new0 (guint8, n);
  g_autoptr (GPtrArray) stack = g_ptr_array_new ();
  for (guint i = 0; i < n; i++)
    if (((const PsimNode *) g_ptr_array_index (v->nodes, i))->kind == PSIM_NODE_END)
      {
        finishing[i] = 1;
        g_ptr_array_add (stack, g_ptr_array_index (v->nodes, i));
      }
  while (stack->len > 0)
    {
      const PsimNode *x = g_ptr_array_steal_index_fast (stack, stack->len - 1);
      GPtrArray *from = g_ptr_array_index (preds, x->index);
      for (guint k = 0; k < from->len; k++)
        {
          const PsimNode *p = g_ptr_array_index (from, k);
          if (!finishing[p->index])
            {
              finishing[p->index] = 1;
              g_ptr_array_add (stack, (gpointer) p);
            }
        }
    }

  g_autofree guint8 *reached = g_new0 (guint8, n);
  reached[v->start->index] = 1;
  g_ptr_array_add (stack, (gpointer) v->start);
  while (stack->len > 0)
    {
      const PsimNode *x = g_ptr_array_steal_index_fast (stack, stack->len - 1);
      for (guint k = 0; k < psim_node_get_n_successors (x); k++)
        {
          const PsimNode *s = psim_node_get_successor (x, k);
          if (s != NULL && may_take (x, k) && !reached[s->index])
            {
              reached[s->index] = 1;
              g_ptr_array_add (stack, (gpointer) s);
            }
        }
    }

  for (guint i = 0; i < n; i++)
    {
      const PsimNode *x = g_ptr_array_index (v->nodes, i);
      if (!reached[i] || finishing[i] || x->kind != PSIM_NODE_CHOICE)
        continue;
      for (guint k = 0; k < x->branches->len; k++)
        {
          const PsimBranch *b = g_ptr_array_index (x->branches, k);
          const PsimNode *to = b->to.target;
          if (may_take (x, k) || to == NULL || !finishing[to->index])
            continue;
          psim_diag_add (c->diags, PSIM_SEVERITY_ERROR, c->proc->file, b->line,
                         psim_gettext (c->lang,
                                       "choice '%s': its branch to '%s' has probability 0 and is "
                                       "the only way out of a loop: every case would go round it "
                                       "forever (give the branch a probability above 0)"),
                         x->id, b->to.id);
          return TRUE;
        }
    }
  return FALSE;
}

/* ---- parallel branches that share a node ------------------------------------ */

/* How many nodes the parallel-branch check may visit in all: each split
 * walks its own region, and a crafted file of thousands of nested splits
 * would make that quadratic. Real files use a few hundred visits. */
#define SHARED_BRANCH_BUDGET 4000000

/* A node reached from two branches of one split runs twice in the walk
 * (its questions asked twice in training, its time and fees counted
 * twice): almost always a branch that forgot its `next` and falls through
 * into the next branch. */
static void
check_split_branches (CaseCheck *c, const PsimVariant *v, guint64 *budget)
{
  guint n = v->nodes->len;
  g_autofree guint *owner = g_new0 (guint, n); /* 1 + branch, stamped per split */
  g_autofree guint *stamp = g_new0 (guint, n);
  g_autoptr (GPtrArray) stack = g_ptr_array_new ();
  guint split_no = 0;
  for (guint si = 0; si < n; si++)
    {
      const PsimNode *split = g_ptr_array_index (v->nodes, si);
      if (split->kind != PSIM_NODE_SPLIT || split->join.target == NULL)
        continue;
      const PsimNode *join = split->join.target;
      split_no++;
      for (guint bi = 0; bi < split->branches->len; bi++)
        {
          const PsimBranch *b = g_ptr_array_index (split->branches, bi);
          const PsimNode *first = b->to.target;
          if (first == NULL || first == join)
            continue;
          g_ptr_array_set_size (stack, 0);
          g_ptr_array_add (stack, (gpointer) first);
          const PsimNode *shared = NULL, *from = NULL;
          guint other = 0;
          if (stamp[first->index] == split_no)
            {
              shared = first;
              other = owner[first->index] - 1;
            }
          stamp[first->index] = split_no;
          owner[first->index] = bi + 1;
          while (shared == NULL && stack->len > 0)
            {
              if (*budget == 0)
                return;
              --*budget;
              const PsimNode *x = g_ptr_array_steal_index_fast (stack, stack->len - 1);
              for (guint i = 0; i < psim_node_get_n_successors (x); i++)
                {
                  const PsimNode *s = psim_node_get_successor (x, i);
                  if (s == NULL || s == join)
                    continue;
                  if (stamp[s->index] == split_no)
                    {
                      if (owner[s->index] != bi + 1)
                        {
                          shared = s;
                          from = x;
                          other = owner[s->index] - 1;
                          break;
                        }
                      continue;
                    }
                  stamp[s->index] = split_no;
                  owner[s->index] = bi + 1;
                  g_ptr_array_add (stack, (gpointer) s);
                }
            }
          if (shared == NULL)
            continue;
          /* The usual cause: a node of the other branch that falls through
           * (no next) into the shared one. */
          for (guint i = 0; i < n && (from == NULL || from->next.id != NULL); i++)
            {
              const PsimNode *x = g_ptr_array_index (v->nodes, i);
              if (stamp[i] == split_no && owner[i] == other + 1 && x->next.target == shared
                  && x->next.id == NULL && x->kind != PSIM_NODE_SPLIT
                  && x->kind != PSIM_NODE_CHOICE)
                from = x;
            }
          const PsimBranch *ob = g_ptr_array_index (split->branches, other);
          const char *kind = psim_node_kind_to_string (shared->kind);
          if (from != NULL && from->kind != PSIM_NODE_CHOICE && from->kind != PSIM_NODE_SPLIT
              && from->next.id == NULL)
            psim_diag_add (
                c->diags, PSIM_SEVERITY_ERROR, c->proc->file, from->line,
                psim_gettext (c->lang,
                              "split '%s': %s '%s' is on its branches to '%s' and to '%s', so "
                              "it would be done twice: %s '%s' has no next and falls through "
                              "to it; add next=\"%s\""),
                split->id, kind, shared->id, ob->to.id, b->to.id,
                psim_node_kind_to_string (from->kind), from->id, join->id);
          else
            psim_diag_add (c->diags, PSIM_SEVERITY_ERROR, c->proc->file, shared->line,
                           psim_gettext (c->lang,
                                         "split '%s': %s '%s' is on its branches to '%s' and to "
                                         "'%s', so it would be done twice; each branch must "
                                         "reach join '%s' on its own"),
                           split->id, kind, shared->id, ob->to.id, b->to.id, join->id);
          break; /* one message per split */
        }
    }
}

void
psimp_check_cases (PsimProcedure *proc, const char *lang, GPtrArray *diags)
{
  CaseCheck c = { .proc = proc, .lang = lang, .diags = diags };

  guint64 budget = SHARED_BRANCH_BUDGET;
  for (guint vi = 0; vi < proc->variants->len; vi++)
    check_split_branches (&c, g_ptr_array_index (proc->variants, vi), &budget);

  g_autoptr (GArray) trials = g_array_new (FALSE, TRUE, sizeof (Trial));
  g_array_set_size (trials, 1); /* the defaults */
  for (guint i = 0; i < proc->params->len; i++)
    {
      const PsimParam *p = g_ptr_array_index (proc->params, i);
      if (p->type != PSIM_PARAM_NUMBER)
        continue;
      char *end = NULL;
      double def = g_ascii_strtod (p->def, &end);
      if (p->has_min && p->min != def)
        g_array_append_val (trials, ((Trial) { p, p->min, FALSE }));
      if (p->has_max && p->max != def)
        g_array_append_val (trials, ((Trial) { p, p->max, TRUE }));
    }

  g_autoptr (GHashTable) failed_fees = g_hash_table_new (NULL, NULL);
  g_autofree gboolean *looped = g_new0 (gboolean, proc->variants->len);
  for (guint vi = 0; vi < proc->variants->len; vi++)
    {
      const PsimVariant *v = g_ptr_array_index (proc->variants, vi);
      if (v->start != NULL)
        looped[vi] = check_chance_loops (&c, v);
    }
  for (guint ti = 0; ti < trials->len; ti++)
    {
      const Trial *t = &g_array_index (trials, Trial, ti);
      g_autoptr (PsimCase) pcase = trial_case (&c, t);
      if (ti > 0)
        check_fees (&c, pcase, t, failed_fees);
      /* One loop message per variant: the bounds would repeat it. */
      for (guint vi = 0; vi < proc->variants->len; vi++)
        {
          const PsimVariant *v = g_ptr_array_index (proc->variants, vi);
          if (!looped[vi] && v->start != NULL)
            looped[vi] = check_loops (&c, v, pcase, t);
        }
    }
}
