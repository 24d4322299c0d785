/* psim-path.c — the path one case takes through a variant (see psim-path.h
 * for the rules), with the step facts summed up along it.
 */
#include "psim-private.h"

#include <string.h>

struct _PsimPath {
  const PsimVariant *variant;
  GPtrArray *nodes;  /* const PsimNode* */
  GArray *branches;  /* int, parallel to nodes */
  GPtrArray *fees;   /* GArray* of double or NULL, parallel to nodes */
  GArray *lanes;     /* Lane, parallel to nodes */
  GArray *set;       /* guint: the positions of the choices whose branch the case set */
  GArray *at;        /* PsimElapsed, parallel to nodes: elapsed when the node ends */
  GArray *limits;    /* PsimLimitCheck */
  PsimTotals totals;
};

/* Where a node of the path lies: on branch @branch of the split at path
 * position @split, or outside any parallel section (split -1). */
typedef struct {
  int split;
  int branch;
} Lane;

typedef struct {
  PsimPath *path;
  PsimCase *pcase;
  const PsimElapsed *cur; /* the elapsed time in the innermost open branch */
  GHashTable *visited;
  guint limit;
  GArray *open; /* Parallel: the splits being walked, innermost last */
  GHashTable *forced; /* the choices whose branch set in the case was taken */
} Walk;

/* A parallel split being walked: which branch, and the time so far. */
typedef struct {
  const PsimNode *split;
  guint pos; /* the split's position in the path */
  guint branch;
  PsimElapsed before;  /* elapsed when the split was reached */
  PsimElapsed longest; /* the longest branch so far */
} Parallel;

void
psim_elapsed_add (PsimElapsed *to, const PsimElapsed *e)
{
  to->working_days += e->working_days;
  to->calendar_days += e->calendar_days;
  to->hours += e->hours;
}

static void
append (Walk *w, const PsimNode *n, int branch, GArray *fees)
{
  g_ptr_array_add (w->path->nodes, (gpointer) n);
  g_array_append_val (w->path->branches, branch);
  g_ptr_array_add (w->path->fees, fees);
  Lane lane = { -1, -1 };
  if (w->open != NULL && w->open->len > 0)
    {
      const Parallel *top = &g_array_index (w->open, Parallel, w->open->len - 1);
      lane = (Lane) { (int) top->pos, (int) top->branch };
    }
  g_array_append_val (w->path->lanes, lane);
  /* The time since the start: the open splits' times before, and the
   * innermost branch's. */
  PsimElapsed at = { 0 };
  for (guint i = 0; w->open != NULL && i < w->open->len; i++)
    psim_elapsed_add (&at, &g_array_index (w->open, Parallel, i).before);
  if (w->cur != NULL)
    psim_elapsed_add (&at, w->cur);
  g_array_append_val (w->path->at, at);
  g_hash_table_add (w->visited, (gpointer) n);
}

void
psim_elapsed_add_step (PsimElapsed *to, const PsimNode *step)
{
  if (!step->duration.set)
    return;
  double d = step->duration.q.likely;
  if (step->within_day)
    {
      to->working_days += d / PSIM_HOURS_PER_DAY;
      return;
    }
  switch (step->duration.q.unit)
    {
    case PSIM_UNIT_WORKING_DAYS: to->working_days += d; break;
    case PSIM_UNIT_CALENDAR_DAYS: to->calendar_days += d; break;
    case PSIM_UNIT_HOURS: default: to->hours += d; break;
    }
}

static gboolean
take_step (Walk *w, const PsimNode *n, PsimElapsed *elapsed, GError **error)
{
  PsimTotals *t = &w->path->totals;
  t->steps++;
  t->interactions += n->interaction;
  t->visits += n->visit;
  psim_elapsed_add_step (elapsed, n);
  if (n->effort.set)
    t->effort_hours += n->effort.q.likely;

  GArray *fees = g_array_sized_new (FALSE, FALSE, sizeof (double), n->fees->len);
  for (guint i = 0; i < n->fees->len; i++)
    {
      const PsimFee *fee = g_ptr_array_index (n->fees, i);
      double amount = 0;
      if (!psim_case_eval_fee (w->pcase, fee, &amount, error))
        {
          g_array_unref (fees);
          g_prefix_error (error, "step '%s': ", n->id);
          return FALSE;
        }
      g_array_append_val (fees, amount);
      t->fees[fee->kind] += amount;
      t->fees_total += amount;
    }
  append (w, n, -1, fees);
  return TRUE;
}

/* The branch a case takes at choice @n, or -1 with @error set. */
static int
choose (Walk *w, const PsimNode *n, gboolean *forced, GError **error)
{
  *forced = FALSE;
  gboolean conditional = FALSE;
  for (guint i = 0; i < n->branches->len; i++)
    conditional |= ((const PsimBranch *) g_ptr_array_index (n->branches, i))->when != NULL;

  if (conditional)
    return psimp_case_choose (w->pcase, n, error);

  /* A branch the case sets is taken the first time round. */
  const char *set = psim_case_get_branch (w->pcase, n->id);
  if (set != NULL && g_hash_table_add (w->forced, (gpointer) n))
    for (guint i = 0; i < n->branches->len; i++)
      {
        const PsimBranch *b = g_ptr_array_index (n->branches, i);
        if (b->to.id != NULL && strcmp (b->to.id, set) == 0)
          {
            *forced = TRUE;
            return (int) i;
          }
      }

  /* By probability: the most likely branch that does not go back. */
  int best = -1;
  for (guint i = 0; i < n->branches->len; i++)
    {
      const PsimBranch *b = g_ptr_array_index (n->branches, i);
      if (g_hash_table_contains (w->visited, b->to.target))
        continue;
      if (best < 0
          || b->probability > ((const PsimBranch *) g_ptr_array_index (n->branches, best))->probability)
        best = (int) i;
    }
  if (best < 0)
    g_set_error (error, PSIM_CASE_ERROR, PSIM_CASE_ERROR_EVAL,
                 psim_gettext (psim_case_get_language (w->pcase),
                               "choice '%s': every branch goes back to a node already on the path"),
                 n->id);
  return best;
}

/* Walks from the start to an end. Parallel splits nest as deep as a file
 * makes them, so they are kept on an explicit stack, not the C stack. */
static gboolean
walk (Walk *w, const PsimNode *n, PsimElapsed *elapsed, GError **error)
{
  g_autoptr (GArray) open = g_array_new (FALSE, FALSE, sizeof (Parallel));
  PsimElapsed cur = { 0 };
  w->open = open;
  w->cur = &cur;

  while (n != NULL)
    {
      Parallel *top = open->len > 0 ? &g_array_index (open, Parallel, open->len - 1) : NULL;
      if (top != NULL && n == top->split->join.target)
        {
          /* A branch has reached the join: next branch, or leave. */
          if (psim_elapsed_days (&cur) > psim_elapsed_days (&top->longest))
            top->longest = cur;
          if (++top->branch < top->split->branches->len)
            {
              cur = (PsimElapsed) { 0 };
              n = ((const PsimBranch *) g_ptr_array_index (top->split->branches, top->branch))
                    ->to.target;
              continue;
            }
          cur = top->before;
          psim_elapsed_add (&cur, &top->longest);
          g_array_set_size (open, open->len - 1);
          append (w, n, -1, NULL);
          n = n->next.target;
          continue;
        }
      if (w->path->nodes->len > w->limit)
        {
          g_set_error (error, PSIM_CASE_ERROR, PSIM_CASE_ERROR_EVAL,
                       psim_gettext (psim_case_get_language (w->pcase),
                                     "the path through node '%s' does not terminate for this case"),
                       n->id);
          return FALSE;
        }
      switch (n->kind)
        {
        case PSIM_NODE_STEP:
          if (!take_step (w, n, &cur, error))
            return FALSE;
          n = n->next.target;
          break;
        case PSIM_NODE_CHOICE:
          {
            gboolean forced = FALSE;
            int b = choose (w, n, &forced, error);
            if (b < 0)
              return FALSE;
            const PsimBranch *br = g_ptr_array_index (n->branches, b);
            if (!forced && g_hash_table_contains (w->visited, br->to.target))
              {
                g_set_error (
                    error, PSIM_CASE_ERROR, PSIM_CASE_ERROR_EVAL,
                    psim_gettext (psim_case_get_language (w->pcase),
                                  "choice '%s' sends this case round a loop forever (to '%s')"),
                    n->id, br->to.id);
                return FALSE;
              }
            append (w, n, b, NULL);
            if (forced)
              {
                guint pos = w->path->nodes->len - 1;
                g_array_append_val (w->path->set, pos);
              }
            n = br->to.target;
            break;
          }
        case PSIM_NODE_SPLIT:
          {
            append (w, n, -1, NULL);
            Parallel p = { .split = n, .pos = w->path->nodes->len - 1, .branch = 0, .before = cur };
            g_array_append_val (open, p);
            cur = (PsimElapsed) { 0 };
            n = ((const PsimBranch *) g_ptr_array_index (n->branches, 0))->to.target;
            break;
          }
        case PSIM_NODE_END:
          append (w, n, -1, NULL);
          *elapsed = cur;
          return TRUE;
        case PSIM_NODE_START:
        case PSIM_NODE_JOIN:
        default:
          append (w, n, -1, NULL);
          n = n->next.target;
          break;
        }
    }
  *elapsed = cur;
  return TRUE;
}

static void
free_fees (gpointer p)
{
  if (p != NULL)
    g_array_unref (p);
}

PsimPath *
psim_path_new (const PsimVariant *variant, PsimCase *pcase, GError **error)
{
  g_return_val_if_fail (variant != NULL && pcase != NULL, NULL);
  g_return_val_if_fail (psim_case_get_procedure (pcase) == variant->proc, NULL);

  g_autoptr (PsimPath) path = g_new0 (PsimPath, 1);
  path->variant = variant;
  path->nodes = g_ptr_array_new ();
  path->branches = g_array_new (FALSE, FALSE, sizeof (int));
  path->fees = g_ptr_array_new_with_free_func (free_fees);
  g_autoptr (GHashTable) visited = g_hash_table_new (NULL, NULL);
  g_autoptr (GHashTable) forced = g_hash_table_new (NULL, NULL);
  /* A path visits each node at most once, bar parallel joins and a loop
   * the case sets a branch round (once per chance-decided choice). */
  Walk w = { .path = path, .pcase = pcase, .visited = visited, .forced = forced,
             .limit = (2 * variant->nodes->len + 2) * (1 + psim_case_get_n_branches (pcase)) };
  path->lanes = g_array_new (FALSE, FALSE, sizeof (Lane));
  path->set = g_array_new (FALSE, FALSE, sizeof (guint));
  path->at = g_array_new (FALSE, FALSE, sizeof (PsimElapsed));
  gboolean ok = walk (&w, variant->start, &path->totals.elapsed, error);
  w.open = NULL; /* freed by walk() */
  w.cur = NULL;
  if (!ok)
    return NULL;
  path->limits = psimp_path_check_limits (path, pcase, error);
  if (path->limits == NULL)
    return NULL;
  return g_steal_pointer (&path);
}

void
psim_path_free (PsimPath *path)
{
  if (path == NULL)
    return;
  g_clear_pointer (&path->nodes, g_ptr_array_unref);
  g_clear_pointer (&path->branches, g_array_unref);
  g_clear_pointer (&path->fees, g_ptr_array_unref);
  g_clear_pointer (&path->lanes, g_array_unref);
  g_clear_pointer (&path->set, g_array_unref);
  g_clear_pointer (&path->at, g_array_unref);
  g_clear_pointer (&path->limits, g_array_unref);
  g_free (path);
}

guint
psim_path_get_n_nodes (const PsimPath *path)
{
  return path->nodes->len;
}

const PsimNode *
psim_path_get_node (const PsimPath *path, guint i)
{
  g_return_val_if_fail (i < path->nodes->len, NULL);
  return g_ptr_array_index (path->nodes, i);
}

int
psim_path_get_branch (const PsimPath *path, guint i)
{
  g_return_val_if_fail (i < path->branches->len, -1);
  return g_array_index (path->branches, int, i);
}

gboolean
psim_path_get_branch_set (const PsimPath *path, guint i)
{
  g_return_val_if_fail (i < path->branches->len, FALSE);
  for (guint k = 0; k < path->set->len; k++)
    if (g_array_index (path->set, guint, k) == i)
      return TRUE;
  return FALSE;
}

const double *
psim_path_get_fees (const PsimPath *path, guint i, guint *n_fees)
{
  g_return_val_if_fail (i < path->fees->len, NULL);
  GArray *fees = g_ptr_array_index (path->fees, i);
  if (n_fees != NULL)
    *n_fees = fees != NULL ? fees->len : 0;
  return fees != NULL ? (const double *) (gpointer) fees->data : NULL;
}

const PsimElapsed *
psimp_path_get_elapsed_at (const PsimPath *path, guint i)
{
  g_return_val_if_fail (i < path->at->len, NULL);
  return &g_array_index (path->at, PsimElapsed, i);
}

guint
psim_path_get_n_limits (const PsimPath *path)
{
  g_return_val_if_fail (path != NULL, 0);
  return path->limits->len;
}

const PsimLimitCheck *
psim_path_get_limit (const PsimPath *path, guint i)
{
  g_return_val_if_fail (path != NULL && i < path->limits->len, NULL);
  return &g_array_index (path->limits, PsimLimitCheck, i);
}

const PsimTotals *
psim_path_get_totals (const PsimPath *path)
{
  return &path->totals;
}

const PsimVariant *
psim_path_get_variant (const PsimPath *path)
{
  return path->variant;
}

double
psim_elapsed_days (const PsimElapsed *e)
{
  g_return_val_if_fail (e != NULL, 0);
  return e->working_days + e->calendar_days + e->hours / PSIM_HOURS_PER_DAY;
}

gboolean
psim_path_get_parallel (const PsimPath *path, guint i, guint *split, guint *branch)
{
  g_return_val_if_fail (i < path->lanes->len, FALSE);
  const Lane *lane = &g_array_index (path->lanes, Lane, i);
  if (lane->split < 0)
    return FALSE;
  if (split != NULL)
    *split = (guint) lane->split;
  if (branch != NULL)
    *branch = (guint) lane->branch;
  return TRUE;
}

void
psimp_path_view_init (PsimpPathView *view, const PsimPath *path, const PsimCase *pcase,
                      const char *lang)
{
  view->lang = psim_lang_normalize (lang);
  view->proc = psim_case_get_procedure (pcase);
  view->variant = path->variant;
  view->pcase = pcase;
  view->path = path;
}

GPtrArray *
psimp_path_collect_sources (const PsimPath *path)
{
  GPtrArray *seen = g_ptr_array_new ();
  for (guint i = 0; i < path->nodes->len; i++)
    {
      const PsimNode *n = g_ptr_array_index (path->nodes, i);
      if (n->kind != PSIM_NODE_STEP)
        continue;
      const PsimQuantitySlot *q[] = { &n->duration, &n->effort, &n->time_limit };
      for (guint j = 0; j < G_N_ELEMENTS (q); j++)
        if (q[j]->set && q[j]->q.source != NULL && !g_ptr_array_find (seen, q[j]->q.source, NULL))
          g_ptr_array_add (seen, (gpointer) q[j]->q.source);
      for (guint j = 0; j < n->fees->len; j++)
        {
          const PsimFee *fee = g_ptr_array_index (n->fees, j);
          if (fee->source.target != NULL && !g_ptr_array_find (seen, fee->source.target, NULL))
            g_ptr_array_add (seen, (gpointer) fee->source.target);
        }
    }
  const PsimLimit *limits[1 + path->variant->duties->len];
  limits[0] = path->variant->time_limit;
  for (guint i = 0; i < path->variant->duties->len; i++)
    limits[1 + i] = g_ptr_array_index (path->variant->duties, i);
  for (guint i = 0; i < G_N_ELEMENTS (limits); i++)
    if (limits[i] != NULL && limits[i]->q.q.source != NULL
        && !g_ptr_array_find (seen, limits[i]->q.q.source, NULL))
      g_ptr_array_add (seen, (gpointer) limits[i]->q.q.source);
  return seen;
}
