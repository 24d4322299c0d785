/* test-graph.c — the graph algorithms of psim-graph.c on hand-made graphs.
 *
 * A library-internal test: it includes psim-private.h and builds variants
 * node by node, so that it can draw graphs the loader would refuse (nodes
 * nothing reaches, loops with no way out) and ask psim-graph.c about them.
 * Small graphs are checked against answers worked out by hand; random
 * graphs against brute force (a post-dominates b when b reaches an end and,
 * with a taken away, no longer does).
 */
#include "psim-test.h"

#include "psim-private.h"

#include <string.h>

/* ---- building graphs ---------------------------------------------------- */

#define MAX_SUCC 3

/* One node of a description: its kind and the indexes of its successors
 * (-1 for none). */
typedef struct {
  PsimNodeKind kind;
  int succ[MAX_SUCC];
} Spec;

static void
node_free (gpointer data)
{
  PsimNode *n = data;
  if (n->branches != NULL)
    g_ptr_array_free (n->branches, TRUE);
  g_free (n->id);
  g_free (n);
}

static void
variant_free (PsimVariant *v)
{
  g_ptr_array_free (v->nodes, TRUE);
  g_free (v);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsimVariant, variant_free)

/* A variant of @n nodes as @spec describes; node 0 is the start. */
static PsimVariant *
variant_build (const Spec *spec, guint n)
{
  PsimVariant *v = g_new0 (PsimVariant, 1);
  v->nodes = g_ptr_array_new_with_free_func (node_free);
  for (guint i = 0; i < n; i++)
    {
      PsimNode *node = g_new0 (PsimNode, 1);
      node->variant = v;
      node->kind = spec[i].kind;
      node->id = g_strdup_printf ("n%u", i);
      node->index = i;
      if (node->kind == PSIM_NODE_CHOICE || node->kind == PSIM_NODE_SPLIT)
        node->branches = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (v->nodes, node);
    }
  for (guint i = 0; i < n; i++)
    {
      PsimNode *node = g_ptr_array_index (v->nodes, i);
      for (guint k = 0; k < MAX_SUCC; k++)
        {
          if (spec[i].succ[k] < 0)
            continue;
          g_assert_cmpint (spec[i].succ[k], <, (int) n);
          gconstpointer target = g_ptr_array_index (v->nodes, (guint) spec[i].succ[k]);
          if (node->branches != NULL)
            {
              PsimBranch *b = g_new0 (PsimBranch, 1);
              b->to.target = target;
              g_ptr_array_add (node->branches, b);
            }
          else if (node->kind != PSIM_NODE_END)
            node->next.target = target;
        }
    }
  v->start = g_ptr_array_index (v->nodes, 0);
  return v;
}

static const PsimNode *
node_at (const PsimVariant *v, guint i)
{
  return g_ptr_array_index (v->nodes, i);
}

/* The indexes in @seen as a bit mask (graphs here have at most 32 nodes). */
static guint32
mask_of (const PsimVariant *v, GHashTable *seen)
{
  guint32 mask = 0;
  for (guint i = 0; i < v->nodes->len; i++)
    if (g_hash_table_contains (seen, node_at (v, i)))
      mask |= 1u << i;
  return mask;
}

static guint32
forward_mask (const PsimVariant *v, guint from)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
  psimp_graph_mark_forward (node_at (v, from), seen);
  return mask_of (v, seen);
}

static guint32
backward_mask (const PsimVariant *v)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
  psimp_graph_mark_backward_from_ends (v, seen);
  return mask_of (v, seen);
}

#define S(kind, a, b, c) { PSIM_NODE_##kind, { a, b, c } }

/* ---- reachability and predecessors -------------------------------------- */

/* 0 start → 1 choice → {2, 3}; 2 → 4 end; 3 → 3 (a loop with no exit);
 * 5 a step nothing reaches, going to the end. */
static const Spec trap[] = {
  S (START, 1, -1, -1), S (CHOICE, 2, 3, -1), S (STEP, 4, -1, -1),
  S (STEP, 3, -1, -1),  S (END, -1, -1, -1),  S (STEP, 4, -1, -1),
};

static void
test_reachability (void)
{
  g_autoptr (PsimVariant) v = variant_build (trap, G_N_ELEMENTS (trap));
  /* From the start: everything but 5. */
  CU_ASSERT_EQUAL (forward_mask (v, 0), 0x1fu);
  /* From the loop: only itself. */
  CU_ASSERT_EQUAL (forward_mask (v, 3), 1u << 3);
  /* An end can be reached from all but the loop. */
  CU_ASSERT_EQUAL (backward_mask (v), 0x3fu & ~(1u << 3));
}

static void
test_predecessors (void)
{
  g_autoptr (PsimVariant) v = variant_build (trap, G_N_ELEMENTS (trap));
  PsimpGraphPreds preds;
  psimp_graph_preds_init (&preds, v);
  CU_ASSERT_EQUAL (preds.n, 6);
  /* The end (4) has 2 and 5 before it; the loop (3) has 1 and itself; the
   * start and 5 have none; the virtual exit (row 6) has the end. */
  guint want_len[] = { 0, 1, 1, 2, 2, 0, 1 };
  for (guint i = 0; i <= 6; i++)
    CU_ASSERT_EQUAL (preds.start[i + 1] - preds.start[i], want_len[i]);
  guint32 into_end = 0, into_loop = 0;
  for (guint k = preds.start[4]; k < preds.start[5]; k++)
    into_end |= 1u << preds.list[k];
  for (guint k = preds.start[3]; k < preds.start[4]; k++)
    into_loop |= 1u << preds.list[k];
  CU_ASSERT_EQUAL (into_end, (1u << 2) | (1u << 5));
  CU_ASSERT_EQUAL (into_loop, (1u << 1) | (1u << 3));
  CU_ASSERT_EQUAL (preds.list[preds.start[6]], 4);
  psimp_graph_preds_clear (&preds);
  CU_ASSERT_PTR_NULL (preds.start);
  CU_ASSERT_PTR_NULL (preds.list);
}

/* 0 start → 1 split → {2, 3}; 2 → 4 join; 3 → 5 choice → {4 join, 6 end};
 * 4 → 7 end. The branch through 3 can leave the split's region by 6. */
static const Spec leaky_split[] = {
  S (START, 1, -1, -1), S (SPLIT, 2, 3, -1), S (STEP, 4, -1, -1), S (STEP, 5, -1, -1),
  S (JOIN, 7, -1, -1),  S (CHOICE, 4, 6, -1), S (END, -1, -1, -1), S (END, -1, -1, -1),
};

static void
test_end_before_join (void)
{
  g_autoptr (PsimVariant) v = variant_build (leaky_split, G_N_ELEMENTS (leaky_split));
  const PsimNode *join = node_at (v, 4);
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
  /* Branch 2 reaches the join on every path. */
  CU_ASSERT_PTR_NULL (psimp_graph_end_before_join (node_at (v, 2), join, seen));
  CU_ASSERT_EQUAL (mask_of (v, seen), 1u << 2);
  /* Branch 3 meets the end 6 first, and the walk never passes the join. */
  g_hash_table_remove_all (seen);
  CU_ASSERT_PTR_EQUAL (psimp_graph_end_before_join (node_at (v, 3), join, seen), node_at (v, 6));
  CU_ASSERT_FALSE (g_hash_table_contains (seen, join));
  CU_ASSERT_FALSE (g_hash_table_contains (seen, node_at (v, 7)));
  /* A walk from the join itself, or from a node already seen, finds nothing. */
  g_hash_table_remove_all (seen);
  CU_ASSERT_PTR_NULL (psimp_graph_end_before_join (join, join, seen));
  g_hash_table_add (seen, (gpointer) node_at (v, 3));
  CU_ASSERT_PTR_NULL (psimp_graph_end_before_join (node_at (v, 3), join, seen));
}

/* ---- post-dominators ------------------------------------------------------ */

static void
test_postdom_by_hand (void)
{
  g_autoptr (PsimVariant) v = variant_build (leaky_split, G_N_ELEMENTS (leaky_split));
  PsimpPostDom *pd = psimp_postdom_new (v);
  /* Every node post-dominates itself. */
  for (guint i = 0; i < 8; i++)
    CU_ASSERT_TRUE (psimp_postdominates (pd, node_at (v, i), node_at (v, i)));
  /* The join does not post-dominate the split (6 is a way round it), but
   * does post-dominate the branch through 2; the split post-dominates the
   * start. */
  CU_ASSERT_FALSE (psimp_postdominates (pd, node_at (v, 4), node_at (v, 1)));
  CU_ASSERT_TRUE (psimp_postdominates (pd, node_at (v, 4), node_at (v, 2)));
  CU_ASSERT_TRUE (psimp_postdominates (pd, node_at (v, 1), node_at (v, 0)));
  CU_ASSERT_TRUE (psimp_postdominates (pd, node_at (v, 5), node_at (v, 3)));
  CU_ASSERT_FALSE (psimp_postdominates (pd, node_at (v, 7), node_at (v, 5)));
  CU_ASSERT_FALSE (psimp_postdominates (pd, node_at (v, 2), node_at (v, 1)));
  psimp_postdom_free (pd);

  /* With the leak closed (5 → 4 only), the join post-dominates the split. */
  Spec closed[G_N_ELEMENTS (leaky_split)];
  memcpy (closed, leaky_split, sizeof closed);
  closed[5] = (Spec) S (STEP, 4, -1, -1);
  closed[6] = (Spec) S (STEP, 7, -1, -1); /* now reached by nothing */
  g_autoptr (PsimVariant) w = variant_build (closed, G_N_ELEMENTS (closed));
  pd = psimp_postdom_new (w);
  CU_ASSERT_TRUE (psimp_postdominates (pd, node_at (w, 4), node_at (w, 1)));
  CU_ASSERT_TRUE (psimp_postdominates (pd, node_at (w, 7), node_at (w, 0)));
  /* The unreached 6 still leads to the end, which post-dominates it. */
  CU_ASSERT_TRUE (psimp_postdominates (pd, node_at (w, 7), node_at (w, 6)));
  CU_ASSERT_FALSE (psimp_postdominates (pd, node_at (w, 4), node_at (w, 6)));
  psimp_postdom_free (pd);
}

static void
test_postdom_loops (void)
{
  /* A correction loop: 0 start → 1 step → 2 choice → {1, 3}; 3 → 4 end.
   * The loop back does not stop 3 post-dominating everything before it. */
  static const Spec loop[] = {
    S (START, 1, -1, -1), S (STEP, 2, -1, -1), S (CHOICE, 1, 3, -1),
    S (STEP, 4, -1, -1),  S (END, -1, -1, -1),
  };
  g_autoptr (PsimVariant) v = variant_build (loop, G_N_ELEMENTS (loop));
  PsimpPostDom *pd = psimp_postdom_new (v);
  for (guint i = 0; i < 3; i++)
    CU_ASSERT_TRUE (psimp_postdominates (pd, node_at (v, 3), node_at (v, i)));
  CU_ASSERT_TRUE (psimp_postdominates (pd, node_at (v, 2), node_at (v, 1)));
  CU_ASSERT_FALSE (psimp_postdominates (pd, node_at (v, 1), node_at (v, 2)));
  psimp_postdom_free (pd);

  /* Nodes that reach no end (the trap's loop) post-dominate nothing and
   * are post-dominated by nothing, and the others are unaffected. */
  g_autoptr (PsimVariant) t = variant_build (trap, G_N_ELEMENTS (trap));
  pd = psimp_postdom_new (t);
  CU_ASSERT_FALSE (psimp_postdominates (pd, node_at (t, 3), node_at (t, 1)));
  CU_ASSERT_FALSE (psimp_postdominates (pd, node_at (t, 4), node_at (t, 3)));
  CU_ASSERT_FALSE (psimp_postdominates (pd, node_at (t, 3), node_at (t, 3)));
  CU_ASSERT_TRUE (psimp_postdominates (pd, node_at (t, 2), node_at (t, 1)));
  CU_ASSERT_TRUE (psimp_postdominates (pd, node_at (t, 4), node_at (t, 0)));
  psimp_postdom_free (pd);
}

/* ---- against brute force -------------------------------------------------- */

/* The nodes reached from @from in @v without passing @skip (or -1). */
static guint32
reach_avoiding (const PsimVariant *v, guint from, int skip)
{
  if ((int) from == skip)
    return 0;
  guint32 seen = 1u << from, frontier = seen;
  while (frontier != 0)
    {
      guint32 next = 0;
      for (guint i = 0; i < v->nodes->len; i++)
        {
          if (!(frontier & (1u << i)))
            continue;
          const PsimNode *n = node_at (v, i);
          for (guint k = 0; k < psim_node_get_n_successors (n); k++)
            {
              guint s = psim_node_get_successor (n, k)->index;
              if ((int) s != skip && !(seen & (1u << s)))
                next |= 1u << s;
            }
        }
      seen |= next;
      frontier = next;
    }
  return seen;
}

static guint32
ends_of (const PsimVariant *v)
{
  guint32 ends = 0;
  for (guint i = 0; i < v->nodes->len; i++)
    if (node_at (v, i)->kind == PSIM_NODE_END)
      ends |= 1u << i;
  return ends;
}

static void
test_random_graphs (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (1849);
  guint graphs = 0, pairs_true = 0, pairs_false = 0;
  for (guint round = 0; round < 400; round++)
    {
      guint n = (guint) g_rand_int_range (rand, 3, 25);
      Spec spec[32];
      for (guint i = 0; i < n; i++)
        {
          Spec s = { PSIM_NODE_STEP, { -1, -1, -1 } };
          int kind = g_rand_int_range (rand, 0, 10);
          if (i == 0)
            s.kind = PSIM_NODE_START;
          else if (kind < 2)
            s.kind = PSIM_NODE_END;
          else if (kind < 4)
            s.kind = PSIM_NODE_CHOICE;
          else if (kind < 5)
            s.kind = PSIM_NODE_SPLIT;
          else if (kind < 6)
            s.kind = PSIM_NODE_JOIN;
          guint outs = s.kind == PSIM_NODE_END ? 0
                       : (s.kind == PSIM_NODE_CHOICE || s.kind == PSIM_NODE_SPLIT)
                         ? (guint) g_rand_int_range (rand, 2, MAX_SUCC + 1)
                         : 1;
          for (guint k = 0; k < outs; k++)
            {
              /* Mostly forward, sometimes back: loops and dead ends both occur. */
              guint ahead = i + 1 + (guint) g_rand_int_range (rand, 0, 3);
              s.succ[k] = g_rand_int_range (rand, 0, 4) == 0
                            ? g_rand_int_range (rand, 1, (gint32) n)
                            : (int) MIN (n - 1, ahead);
            }
          spec[i] = s;
        }
      g_autoptr (PsimVariant) v = variant_build (spec, n);
      guint32 ends = ends_of (v), all = (n == 32) ? G_MAXUINT32 : (1u << n) - 1;

      /* Reachability both ways. */
      CU_ASSERT_EQUAL (forward_mask (v, 0), reach_avoiding (v, 0, -1));
      guint32 to_end = 0;
      for (guint b = 0; b < n; b++)
        if (reach_avoiding (v, b, -1) & ends)
          to_end |= 1u << b;
      CU_ASSERT_EQUAL (backward_mask (v), to_end & all);

      /* Post-dominance for every pair. */
      PsimpPostDom *pd = psimp_postdom_new (v);
      for (guint a = 0; a < n; a++)
        for (guint b = 0; b < n; b++)
          {
            gboolean want = (to_end & (1u << a)) && (to_end & (1u << b))
                            && (a == b || !(reach_avoiding (v, b, (int) a) & ends));
            gboolean got = psimp_postdominates (pd, node_at (v, a), node_at (v, b));
            if (got != want)
              g_printerr ("round %u: postdominates (n%u, n%u) = %d, brute force %d\n", round,
                          a, b, got, want);
            CU_ASSERT_EQUAL (got, want);
            if (want)
              pairs_true++;
            else
              pairs_false++;
          }
      psimp_postdom_free (pd);
      graphs++;
    }
  /* The random graphs exercised both answers. */
  CU_ASSERT_EQUAL (graphs, 400);
  CU_ASSERT_TRUE (pairs_true > 1000);
  CU_ASSERT_TRUE (pairs_false > 1000);
}

int
main (void)
{
  static const PsimTest tests[] = {
    { "reachability", test_reachability },
    { "predecessors", test_predecessors },
    { "end before join", test_end_before_join },
    { "post-dominators by hand", test_postdom_by_hand },
    { "post-dominators with loops and traps", test_postdom_loops },
    { "random graphs against brute force", test_random_graphs },
    { NULL, NULL },
  };
  return psim_test_run ("graph", tests);
}
