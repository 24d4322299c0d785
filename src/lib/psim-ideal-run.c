/* psim-ideal-run.c — the ideal run of a scenario: the steps of the case's
 * path (one occurrence per pass over a step on a loop) and, for each, the
 * occurrences that must be done first. That order is what lets a trainee
 * do the branches of a parallel split in either order; the simulated time
 * each occurrence finishes at on the ideal run comes with it.
 */
#include "psim-train-private.h"

typedef struct {
  const PsimNode *split;
  GArray *before; /* guint: occurrences the split waits for */
  GArray *ends;   /* guint: the last occurrences of the branches walked */
} Open;

static void
open_clear (Open *o)
{
  g_array_unref (o->before);
  g_array_unref (o->ends);
}

static GArray *
occ_set_new (void)
{
  return g_array_new (FALSE, FALSE, sizeof (guint));
}

static void
occ_set_copy (GArray *to, const GArray *from)
{
  g_array_set_size (to, 0);
  g_array_append_vals (to, from->data, from->len);
}

/* The successor of position @i of @path, as the path went. */
static const PsimNode *
path_successor (const PsimPath *path, guint i)
{
  const PsimNode *n = psim_path_get_node (path, i);
  int b = psim_path_get_branch (path, i);
  if (b >= 0)
    return psim_node_get_successor (n, (guint) b);
  if (psim_node_get_kind (n) == PSIM_NODE_SPLIT || psim_node_get_kind (n) == PSIM_NODE_END)
    return NULL;
  return psim_node_get_n_successors (n) > 0 ? psim_node_get_successor (n, 0) : NULL;
}

/* Builds the occurrences and their order from the path. The path lists a
 * split's branches one after the other; a branch ends at the node whose
 * successor is the split's join. */
void
psimp_ideal_run_build (PsimScenario *sc)
{
  const PsimPath *path = sc->path;
  g_autoptr (GArray) cur = occ_set_new ();
  g_autoptr (GArray) open = g_array_new (FALSE, FALSE, sizeof (Open));
  g_array_set_clear_func (open, (GDestroyNotify) open_clear);

  for (guint i = 0; i < psim_path_get_n_nodes (path); i++)
    {
      const PsimNode *n = psim_path_get_node (path, i);
      PsimNodeKind kind = psim_node_get_kind (n);
      if (kind == PSIM_NODE_STEP)
        {
          PsimOccurrence o = { .node = n, .path_index = i, .preds = occ_set_new () };
          occ_set_copy (o.preds, cur);
          guint n_fees = 0;
          const double *fees = psim_path_get_fees (path, i, &n_fees);
          for (guint f = 0; f < n_fees; f++)
            o.fees += fees[f];
          if (psim_step_is_interaction (n))
            o.documents = psim_step_get_n_inputs (n);
          PsimElapsed start = { 0 };
          for (guint p = 0; p < cur->len; p++)
            {
              const PsimOccurrence *po = &g_array_index (sc->occurrences, PsimOccurrence,
                                                         g_array_index (cur, guint, p));
              if (psim_elapsed_days (&po->finish) > psim_elapsed_days (&start))
                start = po->finish;
            }
          o.finish = start;
          psim_elapsed_add_step (&o.finish, n);
          o.distractors = g_ptr_array_new ();
          o.questions = g_ptr_array_new ();
          g_array_append_val (sc->occurrences, o);
          guint idx = sc->occurrences->len - 1;
          g_array_set_size (cur, 0);
          g_array_append_val (cur, idx);
        }
      else if (kind == PSIM_NODE_SPLIT)
        {
          Open o = { .split = n, .before = occ_set_new (), .ends = occ_set_new () };
          occ_set_copy (o.before, cur);
          /* A branch straight to the join ends where the split starts. */
          for (guint b = 0; b < psim_node_get_n_successors (n); b++)
            if (psim_node_get_successor (n, b) == psim_node_get_join (n))
              g_array_append_vals (o.ends, cur->data, cur->len);
          g_array_append_val (open, o);
        }
      else if (kind == PSIM_NODE_JOIN && open->len > 0
               && g_array_index (open, Open, open->len - 1).split != NULL
               && psim_node_get_join (g_array_index (open, Open, open->len - 1).split) == n)
        {
          Open *top = &g_array_index (open, Open, open->len - 1);
          occ_set_copy (cur, top->ends);
          g_array_set_size (open, open->len - 1);
        }

      /* The end of a branch: remember its last steps, start the next
       * branch from the split's own predecessors. */
      const PsimNode *next = path_successor (path, i);
      if (open->len > 0 && kind != PSIM_NODE_SPLIT)
        {
          Open *top = &g_array_index (open, Open, open->len - 1);
          if (next != NULL && next == psim_node_get_join (top->split))
            {
              g_array_append_vals (top->ends, cur->data, cur->len);
              occ_set_copy (cur, top->before);
            }
        }
    }
}

/* TRUE when occurrence @a must be done before occurrence @b. */
gboolean
psimp_ideal_run_comes_before (const PsimScenario *sc, guint a, guint b)
{
  g_autoptr (GArray) stack = occ_set_new ();
  g_autofree gboolean *seen = g_new0 (gboolean, sc->occurrences->len);
  g_array_append_val (stack, b);
  while (stack->len > 0)
    {
      guint x = g_array_index (stack, guint, stack->len - 1);
      g_array_set_size (stack, stack->len - 1);
      const GArray *preds = g_array_index (sc->occurrences, PsimOccurrence, x).preds;
      for (guint i = 0; i < preds->len; i++)
        {
          guint p = g_array_index (preds, guint, i);
          if (p == a)
            return TRUE;
          if (!seen[p])
            {
              seen[p] = TRUE;
              g_array_append_val (stack, p);
            }
        }
    }
  return FALSE;
}
