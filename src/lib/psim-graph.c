/* psim-graph.c — graph algorithms over a variant's process.
 *
 * A variant is a directed graph of nodes (start, steps, choices, splits,
 * joins, ends) whose edges are psim_node_get_successor (). The checks ask
 * the same few questions of it: which nodes the start reaches, from which
 * an end can be reached, whether every path from a split passes its join
 * (post-dominance), and who precedes whom (the documents' data flow). They
 * are answered here, on the model alone, so that the checks hold the rules
 * and this file the walks. Every function needs each node's index set to
 * its position in the variant, as psim-check.c sets it first.
 */
#include "psim-private.h"

#include <string.h>

/* ---- predecessors --------------------------------------------------------- */

/* The predecessors of @g's nodes in compressed rows, row n for the exit. */
static void
preds_of_rows (PsimpGraphPreds *preds, const PsimpGraphRows *g)
{
  guint n = g->n, exit = n;
  preds->n = n;
  preds->start = g_new0 (guint, n + 2);
  for (guint i = 0; i < n; i++)
    {
      for (guint k = g->start[i]; k < g->start[i + 1]; k++)
        preds->start[g->succ[k] + 1]++;
      if (g->is_end[i])
        preds->start[exit + 1]++;
    }
  for (guint i = 0; i <= n; i++)
    preds->start[i + 1] += preds->start[i];
  preds->list = g_new (guint, preds->start[n + 1] + 1);
  g_autofree guint *fill = g_memdup2 (preds->start, (n + 2) * sizeof (guint));
  for (guint i = 0; i < n; i++)
    {
      for (guint k = g->start[i]; k < g->start[i + 1]; k++)
        preds->list[fill[g->succ[k]]++] = i;
      if (g->is_end[i])
        preds->list[fill[exit]++] = i;
    }
}

/* A variant's successors as rows; free with rows_clear. */
static void
rows_of_variant (PsimpGraphRows *rows, const PsimVariant *v)
{
  guint n = v->nodes->len;
  guint *start = g_new0 (guint, n + 1);
  GArray *succ = g_array_new (FALSE, FALSE, sizeof (guint));
  gboolean *is_end = g_new0 (gboolean, n + 1);
  for (guint i = 0; i < n; i++)
    {
      const PsimNode *u = g_ptr_array_index (v->nodes, i);
      for (guint k = 0; k < psim_node_get_n_successors (u); k++)
        {
          const PsimNode *s = psim_node_get_successor (u, k);
          if (s != NULL)
            g_array_append_val (succ, s->index);
        }
      start[i + 1] = succ->len;
      is_end[i] = u->kind == PSIM_NODE_END;
    }
  *rows = (PsimpGraphRows) { n, start, (const guint *) g_array_free (succ, FALSE), is_end };
}

static void
rows_clear (PsimpGraphRows *rows)
{
  g_free ((gpointer) rows->start);
  g_free ((gpointer) rows->succ);
  g_free ((gpointer) rows->is_end);
}

void
psimp_graph_preds_init (PsimpGraphPreds *preds, const PsimVariant *v)
{
  PsimpGraphRows rows;
  rows_of_variant (&rows, v);
  preds_of_rows (preds, &rows);
  rows_clear (&rows);
}

void
psimp_graph_preds_clear (PsimpGraphPreds *preds)
{
  g_clear_pointer (&preds->start, g_free);
  g_clear_pointer (&preds->list, g_free);
}

/* ---- reachability --------------------------------------------------------- */

void
psimp_graph_mark_forward (const PsimNode *from, GHashTable *seen)
{
  g_autoptr (GPtrArray) stack = g_ptr_array_new ();
  g_ptr_array_add (stack, (gpointer) from);
  g_hash_table_add (seen, (gpointer) from);
  while (stack->len > 0)
    {
      const PsimNode *n = g_ptr_array_steal_index_fast (stack, stack->len - 1);
      for (guint i = 0; i < psim_node_get_n_successors (n); i++)
        {
          const PsimNode *s = psim_node_get_successor (n, i);
          if (s != NULL && g_hash_table_add (seen, (gpointer) s))
            g_ptr_array_add (stack, (gpointer) s);
        }
    }
}

void
psimp_graph_mark_backward_from_ends (const PsimVariant *v, GHashTable *seen)
{
  PsimpGraphPreds preds;
  psimp_graph_preds_init (&preds, v);
  g_autoptr (GPtrArray) stack = g_ptr_array_new ();
  for (guint k = preds.start[preds.n]; k < preds.start[preds.n + 1]; k++)
    {
      const PsimNode *end = g_ptr_array_index (v->nodes, preds.list[k]);
      g_hash_table_add (seen, (gpointer) end);
      g_ptr_array_add (stack, (gpointer) end);
    }
  while (stack->len > 0)
    {
      const PsimNode *n = g_ptr_array_steal_index_fast (stack, stack->len - 1);
      for (guint k = preds.start[n->index]; k < preds.start[n->index + 1]; k++)
        {
          gpointer p = g_ptr_array_index (v->nodes, preds.list[k]);
          if (g_hash_table_add (seen, p))
            g_ptr_array_add (stack, p);
        }
    }
  psimp_graph_preds_clear (&preds);
}

const PsimNode *
psimp_graph_end_before_join (const PsimNode *from, const PsimNode *join, GHashTable *seen)
{
  g_autoptr (GPtrArray) stack = g_ptr_array_new ();
  if (from == join || !g_hash_table_add (seen, (gpointer) from))
    return NULL;
  g_ptr_array_add (stack, (gpointer) from);
  while (stack->len > 0)
    {
      const PsimNode *n = g_ptr_array_steal_index_fast (stack, stack->len - 1);
      if (n->kind == PSIM_NODE_END)
        return n;
      for (guint i = 0; i < psim_node_get_n_successors (n); i++)
        {
          const PsimNode *s = psim_node_get_successor (n, i);
          if (s != NULL && s != join && g_hash_table_add (seen, (gpointer) s))
            g_ptr_array_add (stack, (gpointer) s);
        }
    }
  return NULL;
}

/* ---- post-dominators ------------------------------------------------------ */

/* Walking each split's region to see whether its join post-dominates it
 * would cost O(nodes × nesting depth) (20,000 nested splits: minutes), so
 * the post-dominator tree is computed once, with the iterative algorithm
 * of Cooper, Harvey and Kennedy ("A Simple, Fast Dominance Algorithm",
 * 2001) on the reversed graph rooted at a virtual exit that every end
 * leads to, and each query is answered from DFS intervals of that tree in
 * O(1). */
#define NONE PSIMP_POSTDOM_NONE

struct _PsimpPostDom {
  guint n;      /* nodes; the virtual exit is index n */
  guint *idom;  /* immediate post-dominator */
  guint *tin;   /* DFS interval of the post-dominator tree */
  guint *tout;
};

static guint
intersect (const guint *idom, const guint *po, guint a, guint b)
{
  while (a != b)
    {
      while (po[a] < po[b])
        a = idom[a];
      while (po[b] < po[a])
        b = idom[b];
    }
  return a;
}

PsimpPostDom *
psimp_postdom_new_rows (const PsimpGraphRows *g)
{
  PsimpPostDom *pd = g_new0 (PsimpPostDom, 1);
  guint n = g->n, exit = n;
  pd->n = n;

  /* Reversed-graph children: the predecessors in the process, and the
   * ends for the exit. */
  PsimpGraphPreds preds;
  preds_of_rows (&preds, g);
  const guint *pstart = preds.start, *plist = preds.list;

  /* Postorder of the reversed graph from the exit, iteratively. */
  g_autofree guint *po = g_new (guint, n + 1);
  g_autofree guint *order = g_new (guint, n + 1); /* nodes by postorder */
  g_autofree guint *stack = g_new (guint, n + 1);
  g_autofree guint *next_child = g_new0 (guint, n + 1);
  guint depth = 0, count = 0;
  for (guint i = 0; i <= n; i++)
    po[i] = NONE;
  stack[depth++] = exit;
  po[exit] = NONE - 1; /* on the stack */
  while (depth > 0)
    {
      guint u = stack[depth - 1];
      guint k = pstart[u] + next_child[u];
      if (k < pstart[u + 1])
        {
          next_child[u]++;
          guint w = plist[k];
          if (po[w] == NONE)
            {
              po[w] = NONE - 1;
              stack[depth++] = w;
            }
          continue;
        }
      depth--;
      po[u] = count;
      order[count++] = u;
    }

  /* Iterate to the fixed point, in reverse postorder. The predecessors of
   * b in the reversed graph are its successors in the process. */
  pd->idom = g_new (guint, n + 1);
  for (guint i = 0; i <= n; i++)
    pd->idom[i] = NONE;
  pd->idom[exit] = exit;
  for (gboolean changed = TRUE; changed;)
    {
      changed = FALSE;
      for (guint r = count - 1; r-- > 0;)
        {
          guint b = order[r];
          guint best = g->is_end[b] ? exit : NONE;
          for (guint k = g->start[b]; k < g->start[b + 1]; k++)
            {
              guint p = g->succ[k];
              if (pd->idom[p] == NONE)
                continue;
              best = best == NONE ? p : intersect (pd->idom, po, p, best);
            }
          if (best != pd->idom[b])
            {
              pd->idom[b] = best;
              changed = TRUE;
            }
        }
    }

  /* DFS intervals of the tree: children by counting sort on idom. */
  g_autofree guint *child_start = g_new0 (guint, n + 2);
  g_autofree guint *children = g_new (guint, n + 1);
  for (guint i = 0; i < n; i++)
    if (pd->idom[i] != NONE)
      child_start[pd->idom[i] + 1]++;
  for (guint i = 0; i <= n; i++)
    child_start[i + 1] += child_start[i];
  g_autofree guint *cfill = g_memdup2 (child_start, (n + 2) * sizeof (guint));
  for (guint i = 0; i < n; i++)
    if (pd->idom[i] != NONE)
      children[cfill[pd->idom[i]]++] = i;
  pd->tin = g_new0 (guint, n + 1);
  pd->tout = g_new0 (guint, n + 1);
  memset (next_child, 0, (n + 1) * sizeof (guint));
  guint clock = 0;
  depth = 0;
  stack[depth++] = exit;
  pd->tin[exit] = clock++;
  while (depth > 0)
    {
      guint u = stack[depth - 1];
      guint k = child_start[u] + next_child[u];
      if (k < child_start[u + 1])
        {
          next_child[u]++;
          guint w = children[k];
          pd->tin[w] = clock++;
          stack[depth++] = w;
          continue;
        }
      depth--;
      pd->tout[u] = clock++;
    }
  psimp_graph_preds_clear (&preds);
  return pd;
}

PsimpPostDom *
psimp_postdom_new (const PsimVariant *v)
{
  PsimpGraphRows rows;
  rows_of_variant (&rows, v);
  PsimpPostDom *pd = psimp_postdom_new_rows (&rows);
  rows_clear (&rows);
  return pd;
}

guint
psimp_postdom_get_idom (const PsimpPostDom *pd, guint i)
{
  g_return_val_if_fail (i < pd->n, PSIMP_POSTDOM_NONE);
  guint d = pd->idom[i];
  return d == pd->n ? PSIMP_POSTDOM_EXIT : d;
}

void
psimp_postdom_free (PsimpPostDom *pd)
{
  if (pd == NULL)
    return;
  g_free (pd->idom);
  g_free (pd->tin);
  g_free (pd->tout);
  g_free (pd);
}

gboolean
psimp_postdominates (const PsimpPostDom *pd, const PsimNode *a, const PsimNode *b)
{
  guint ia = a->index, ib = b->index;
  if (pd->idom[ia] == NONE || pd->idom[ib] == NONE)
    return FALSE;
  return pd->tin[ia] <= pd->tin[ib] && pd->tout[ib] <= pd->tout[ia];
}
