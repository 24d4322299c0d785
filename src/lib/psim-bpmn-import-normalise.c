/* psim-bpmn-import-normalise.c — a process's graph into procsim's
 * vocabulary.
 *
 * The sequence flows become edges (boundary events as outcomes of their
 * activity, links joined); gateways become choices, splits and joins;
 * pass-through events are bypassed; the process gets one start; what no
 * start reaches is dropped; and each parallel split is paired with its
 * join, its immediate post-dominator (psim-graph.c's tree).
 */
#include "psim-bpmn-import-private.h"

#include <math.h>
#include <string.h>

/* ---- normalising a graph ------------------------------------------------------- */

static Node *
flow_end (Graph *g, const char *ref, gboolean source)
{
  if (ref == NULL)
    return NULL;
  /* A sub-process: flows leave from its exit node, enter at its entry. */
  g_autofree char *key = g_strconcat (source ? "\x01" : "\x02", ref, NULL);
  Node *n = g_hash_table_lookup (g->by_bpmn, key);
  return n != NULL ? n : g_hash_table_lookup (g->by_bpmn, ref);
}

/* The sequence flows as edges; the gateways' defaults; the boundary
 * events as outcomes of their activities; links. */
void
psimp_bpmn_connect (Import *im, Graph *g)
{
  for (guint i = 0; i < g->flows->len; i++)
    {
      xmlNode *f = g_ptr_array_index (g->flows, i);
      g_autofree char *fid = psimp_bpmn_get (f, "id");
      g_autofree char *src = psimp_bpmn_get_ref (f, "sourceRef");
      g_autofree char *dst = psimp_bpmn_get_ref (f, "targetRef");
      Node *from = flow_end (g, src, TRUE);
      Node *to = flow_end (g, dst, FALSE);
      if (from == NULL || to == NULL)
        {
          error_at (im, psimp_bpmn_line_of (f), psim_gettext (im->lang, "sequence flow '%s': %s '%s' is not a flow node of process '%s'"),
                    fid != NULL ? fid : "?", from == NULL ? "sourceRef" : "targetRef",
                    from == NULL ? (src != NULL ? src : "") : (dst != NULL ? dst : ""), g->id);
          continue;
        }
      if (from->kind == K_END)
        {
          warn_at (im, psimp_bpmn_line_of (f), psim_gettext (im->lang, "sequence flow '%s' leaves end event '%s'; ignored"), fid,
                   from->bpmn_id);
          continue;
        }
      Edge *e = psimp_bpmn_edge_add (from, to);
      e->x = f;
      e->label = psimp_bpmn_get (f, "name");
      xmlNode *cond = psimp_bpmn_child (f, "conditionExpression");
      if (cond != NULL)
        {
          e->conditional = TRUE;
          g_autofree char *t = psimp_bpmn_text_of (cond);
          if (e->label == NULL && t != NULL)
            e->label = g_steal_pointer (&t);
        }
      if (from->x != NULL && fid != NULL)
        {
          g_autofree char *def = psimp_bpmn_get_ref (from->x, "default");
          e->is_default = g_strcmp0 (def, fid) == 0;
        }
      xmlNode *p = psimp_bpmn_sim_param (im, fid, "ControlParameters", "Probability");
      double a, b, c;
      const char *unit;
      if (p != NULL && psimp_bpmn_sim_value (im, p, &a, &b, &c, &unit))
        {
          e->has_p = b >= 0 && b <= 1;
          e->p = b;
        }
      xmlNode *ext = psimp_bpmn_ext_of (f, "branch");
      if (ext != NULL)
        {
          g_autofree char *pr = psimp_bpmn_get (ext, "probability");
          if (pr != NULL)
            {
              e->has_p = TRUE;
              e->p = g_ascii_strtod (pr, NULL);
            }
        }
    }
  /* An implicit start in a sub-process: its nodes without incoming flow. */
  for (guint i = 0; i < g->nodes->len; i++)
    {
      Node *n = g_ptr_array_index (g->nodes, i);
      for (guint j = 0; j < n->out->len; j++)
        ((Edge *) g_ptr_array_index (n->out, j))->to->n_in++;
    }
  for (guint i = 0; i < g->nodes->len; i++)
    {
      Node *n = g_ptr_array_index (g->nodes, i);
      if (n->kind != K_PASS || n->x == NULL || !psimp_bpmn_is_subprocess (n->elem) || n->out->len > 0)
        continue;
      for (guint j = 0; j < g->nodes->len; j++)
        {
          Node *m = g_ptr_array_index (g->nodes, j);
          if (m->index == 1 && m->x != NULL && m->x->parent == n->x && m->n_in == 0
              && (m->elem == NULL || strcmp (m->elem, "boundaryEvent") != 0) && !m->catch_link)
            psimp_bpmn_edge_add (n, m);
        }
    }
  for (guint i = 0; i < g->nodes->len; i++)
    ((Node *) g_ptr_array_index (g->nodes, i))->index = 0;

  /* An activity of a sub-process with no outgoing flow ends the
   * sub-process there (BPMN's implicit end). */
  for (guint i = 0; i < g->nodes->len; i++)
    {
      Node *m = g_ptr_array_index (g->nodes, i);
      if (m->x == NULL || m->out->len > 0 || m->kind == K_END || m->completion || m->top
          || m->link != NULL || strcmp (m->elem, "boundaryEvent") == 0 || m->x->parent == NULL)
        continue;
      g_autofree char *parent = psimp_bpmn_get (m->x->parent, "id");
      if (parent == NULL)
        continue;
      g_autofree char *key = g_strconcat ("\x01", parent, NULL);
      Node *exit = g_hash_table_lookup (g->by_bpmn, key);
      if (exit != NULL && exit != m)
        psimp_bpmn_edge_add (m, exit)->completion = TRUE;
    }

  /* Boundary events: an alternative outcome of their activity. */
  for (guint i = 0; i < g->boundaries->len; i++)
    {
      Node *b = g_ptr_array_index (g->boundaries, i);
      g_autofree char *host_id = psimp_bpmn_get_ref (b->x, "attachedToRef");
      Node *host = flow_end (g, host_id, TRUE);
      if (host == NULL || b->out->len == 0)
        {
          warn_at (im, b->line, host == NULL
                                  ? psim_gettext (im->lang, "boundary event '%s' is not represented: its activity is not "
                                      "in this process")
                                  : psim_gettext (im->lang, "boundary event '%s' is not represented: no sequence flow "
                                      "leaves it"), b->bpmn_id);
          b->dead = TRUE;
          continue;
        }
      g_autofree char *cancel = psimp_bpmn_get (b->x, "cancelActivity");
      warn_at (im, b->line, g_strcmp0 (cancel, "false") == 0
                              ? psim_gettext (im->lang, "boundary event '%s' on '%s' becomes an alternative outcome of "
                                  "it (non-interrupting: the activity's own flow is not taken as well)")
                              : psim_gettext (im->lang, "boundary event '%s' on '%s' becomes an alternative outcome of it"),
               b->bpmn_id, host_id);
      Edge *e = psimp_bpmn_edge_add (host, b);
      e->conditional = TRUE;
      e->label = g_strdup (b->name != NULL ? b->name : b->bpmn_id);
    }

  /* Links: a throw event goes on at the catch event of the same name. */
  for (guint i = 0; i < g->nodes->len; i++)
    {
      Node *t = g_ptr_array_index (g->nodes, i);
      if (t->link == NULL || t->catch_link)
        continue;
      Node *target = NULL;
      for (guint j = 0; j < g->nodes->len && target == NULL; j++)
        {
          Node *c = g_ptr_array_index (g->nodes, j);
          if (c->catch_link && g_strcmp0 (c->link, t->link) == 0)
            target = c;
        }
      if (target == NULL)
        error_at (im, t->line, psim_gettext (im->lang, "link event '%s': no catch event of link '%s' in this process"),
                  t->bpmn_id, t->link);
      else
        psimp_bpmn_edge_add (t, target);
    }
}

static guint
count_in (Graph *g, Node *target)
{
  guint n = 0;
  for (guint i = 0; i < g->nodes->len; i++)
    {
      Node *m = g_ptr_array_index (g->nodes, i);
      if (m->dead)
        continue;
      for (guint j = 0; j < m->out->len; j++)
        n += ((Edge *) g_ptr_array_index (m->out, j))->to == target;
    }
  return n;
}

/* Moves @n's outgoing edges to a new node @kind placed after it. */
static Node *
insert_after (Graph *g, Node *n, Kind kind, const char *suffix)
{
  g_autofree char *want = g_strconcat (n->id, suffix, NULL);
  Node *m = psimp_bpmn_node_new (g, kind, NULL, want);
  m->line = n->line;
  /* Messages about it name the BPMN element it stands for. */
  m->x = n->x;
  m->elem = n->elem;
  m->bpmn_id = g_strdup (n->bpmn_id);
  g_ptr_array_extend_and_steal (m->out, g_steal_pointer (&n->out));
  n->out = g_ptr_array_new_with_free_func ((GDestroyNotify) psimp_bpmn_edge_free);
  psimp_bpmn_edge_add (n, m);
  return m;
}

/* Gateways into choices, splits and joins; activities with several
 * outgoing flows get the gateway BPMN implies. */
void
psimp_bpmn_decide_gateways (Import *im, Graph *g)
{
  guint n_nodes = g->nodes->len;
  for (guint i = 0; i < n_nodes; i++)
    {
      Node *n = g_ptr_array_index (g->nodes, i);
      if (n->dead)
        continue;
      guint in = count_in (g, n), out = n->out->len;
      if (n->kind == K_GATEWAY)
        {
          gboolean parallel = strcmp (n->gw, "parallelGateway") == 0;
          if (strcmp (n->gw, "inclusiveGateway") == 0)
            warn_at (im, n->line, out > 1
                       ? psim_gettext (im->lang, "inclusive gateway '%s' becomes an exclusive choice: one branch per "
                           "case (see docs/bpmn.md)")
                       : psim_gettext (im->lang, "inclusive gateway '%s' becomes a merge: it waits for no other branch "
                           "(see docs/bpmn.md)"), n->bpmn_id);
          else if (strcmp (n->gw, "complexGateway") == 0)
            warn_at (im, n->line, out > 1 ? psim_gettext (im->lang, "complex gateway '%s' becomes an exclusive choice; its "
                                            "condition is not represented")
                                        : psim_gettext (im->lang, "complex gateway '%s' becomes a merge; its condition is "
                                            "not represented"), n->bpmn_id);
          if (out > 1 && parallel)
            {
              n->kind = K_SPLIT;
              if (in > 1)
                {
                  /* Both a join and a split: the join first. */
                  Node *s = insert_after (g, n, K_SPLIT, "-split");
                  s->x = n->x;
                  n->kind = K_JOIN;
                }
            }
          else if (out > 1)
            n->kind = K_CHOICE;
          else if (parallel && in > 1)
            n->kind = K_JOIN;
          else
            n->kind = K_PASS;
          continue;
        }
      if (out < 2 || n->kind == K_CHOICE || n->kind == K_SPLIT)
        continue;
      gboolean conditional = FALSE;
      for (guint j = 0; j < out; j++)
        conditional |= ((Edge *) g_ptr_array_index (n->out, j))->conditional;
      if (conditional)
        {
          Node *c = insert_after (g, n, K_CHOICE, "-outcome");
          c->x = n->x;
        }
      else
        insert_after (g, n, K_SPLIT, "-fork");
    }
}

/* One start: the process's start event, or a choice between several, or
 * the nodes without incoming flow (BPMN's implicit start, all at once). */
gboolean
psimp_bpmn_decide_start (Import *im, Graph *g)
{
  g_autoptr (GPtrArray) starts = g_ptr_array_new ();
  for (guint i = 0; i < g->nodes->len; i++)
    {
      Node *n = g_ptr_array_index (g->nodes, i);
      if (n->kind == K_START && !n->dead)
        g_ptr_array_add (starts, n);
    }
  if (starts->len == 1)
    return TRUE;
  if (starts->len == 0)
    {
      for (guint i = 0; i < g->nodes->len; i++)
        {
          Node *n = g_ptr_array_index (g->nodes, i);
          if (n->top && !n->dead && count_in (g, n) == 0 && !n->catch_link
              && (n->elem == NULL || strcmp (n->elem, "boundaryEvent") != 0)
              && n->kind != K_END)
            g_ptr_array_add (starts, n);
        }
      if (starts->len == 0)
        {
          error_at (im, g->line, psim_gettext (im->lang, "process '%s' has no start event and no element without "
                                   "incoming flow: it cannot start"), g->id);
          return FALSE;
        }
      Node *s = psimp_bpmn_node_new (g, K_START, NULL, "start");
      s->line = g->line;
      for (guint i = 0; i < starts->len; i++)
        psimp_bpmn_edge_add (s, g_ptr_array_index (starts, i));
      return TRUE;
    }
  warn_at (im, g->line, psim_gettext (im->lang, "process '%s' has %u start events: it begins with a choice between "
                          "them"), g->id, starts->len);
  Node *s = psimp_bpmn_node_new (g, K_START, NULL, "start");
  s->line = g->line;
  for (guint i = 0; i < starts->len; i++)
    {
      Node *n = g_ptr_array_index (starts, i);
      n->kind = K_PASS;
      Edge *e = psimp_bpmn_edge_add (s, n);
      e->conditional = TRUE;
      e->label = g_strdup (n->name != NULL ? n->name : n->bpmn_id);
    }
  return TRUE;
}

/* Follows pass-through nodes from @n to the first node that stays. */
static Node *
resolve_pass (Import *im, Node *n, gboolean *completion)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
  while (n->kind == K_PASS && n->out->len == 1)
    {
      if (!g_hash_table_add (seen, n))
        {
          error_at (im, n->line, psim_gettext (im->lang, "'%s' is on a cycle of flows with no activity on it"),
                    n->bpmn_id != NULL ? n->bpmn_id : n->id);
          return NULL;
        }
      Edge *e = g_ptr_array_index (n->out, 0);
      *completion |= n->completion || e->completion;
      n = e->to;
    }
  return n;
}

void
psimp_bpmn_bypass (Import *im, Graph *g)
{
  for (guint i = 0; i < g->nodes->len; i++)
    {
      Node *n = g_ptr_array_index (g->nodes, i);
      if (n->kind == K_PASS && n->out->len == 0)
        n->kind = K_END; /* a dead end: BPMN's implicit end */
      if (n->kind == K_PASS && n->out->len > 1)
        n->kind = K_SPLIT;
    }
  for (guint i = 0; i < g->nodes->len; i++)
    {
      Node *n = g_ptr_array_index (g->nodes, i);
      for (guint j = 0; j < n->out->len; j++)
        {
          Edge *e = g_ptr_array_index (n->out, j);
          gboolean completion = FALSE;
          Node *to = resolve_pass (im, e->to, &completion);
          if (to == NULL)
            {
              n->dead = TRUE;
              continue;
            }
          e->to = to;
          e->completion |= completion;
        }
    }
  for (guint i = 0; i < g->nodes->len; i++)
    {
      Node *n = g_ptr_array_index (g->nodes, i);
      if (n->kind == K_PASS)
        n->dead = TRUE;
    }
}

static void
mark_reachable (Node *from, GHashTable *seen)
{
  g_autoptr (GPtrArray) stack = g_ptr_array_new ();
  g_ptr_array_add (stack, from);
  g_hash_table_add (seen, from);
  while (stack->len > 0)
    {
      Node *n = g_ptr_array_steal_index (stack, stack->len - 1);
      for (guint j = 0; j < n->out->len; j++)
        {
          Node *t = ((Edge *) g_ptr_array_index (n->out, j))->to;
          if (!t->dead && g_hash_table_add (seen, t))
            g_ptr_array_add (stack, t);
        }
    }
}

Node *
psimp_bpmn_start_of (Graph *g)
{
  for (guint i = 0; i < g->nodes->len; i++)
    {
      Node *n = g_ptr_array_index (g->nodes, i);
      if (n->kind == K_START && !n->dead)
        return n;
    }
  return NULL;
}

/* Unreachable nodes are dropped (with a warning when BPMN gave them);
 * nodes without outgoing flow end there (BPMN's implicit end). */
void
psimp_bpmn_prune (Import *im, Graph *g)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
  mark_reachable (psimp_bpmn_start_of (g), seen);
  Node *implicit_end = NULL;
  guint n_nodes = g->nodes->len;
  for (guint i = 0; i < n_nodes; i++)
    {
      Node *n = g_ptr_array_index (g->nodes, i);
      if (n->dead)
        continue;
      if (!g_hash_table_contains (seen, n))
        {
          n->dead = TRUE;
          if (n->x != NULL && n->kind != K_END)
            warn_at (im, n->line, psim_gettext (im->lang, "%s '%s' is not reachable from the start of process '%s': "
                                    "not imported"), n->elem, n->bpmn_id, g->id);
          continue;
        }
      if (n->kind != K_END && n->out->len == 0)
        {
          if (implicit_end == NULL)
            {
              implicit_end = psimp_bpmn_node_new (g, K_END, NULL, "end");
              implicit_end->line = n->line;
            }
          psimp_bpmn_edge_add (n, implicit_end);
        }
    }
}

/* ---- parallel sections: each split's join is its immediate post-dominator */

/* The live nodes of @g, numbered (each node's index) in document order,
 * and their post-dominator tree (psim-graph.c's). An end's flows, if any,
 * are not followed: after an end comes the virtual exit alone.
 * (transfer full) */
static PsimpPostDom *
postdom_new (Graph *g, GPtrArray *live)
{
  for (guint i = 0; i < g->nodes->len; i++)
    {
      Node *n = g_ptr_array_index (g->nodes, i);
      if (!n->dead)
        {
          n->index = live->len;
          g_ptr_array_add (live, n);
        }
    }
  g_autofree guint *start = g_new0 (guint, live->len + 1);
  g_autofree gboolean *is_end = g_new0 (gboolean, live->len + 1);
  g_autoptr (GArray) succ = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < live->len; i++)
    {
      Node *n = g_ptr_array_index (live, i);
      is_end[i] = n->kind == K_END;
      for (guint j = 0; !is_end[i] && j < n->out->len; j++)
        {
          Node *t = ((Edge *) g_ptr_array_index (n->out, j))->to;
          if (!t->dead)
            g_array_append_val (succ, t->index);
        }
      start[i + 1] = succ->len;
    }
  PsimpGraphRows rows = { live->len, start, (const guint *) succ->data, is_end };
  return psimp_postdom_new_rows (&rows);
}

/* @n's immediate post-dominator in @pd: the node, or NULL when it is the
 * exit (*@to_exit set) or there is none. */
static Node *
idom_of (const PsimpPostDom *pd, GPtrArray *live, Node *n, gboolean *to_exit)
{
  guint p = psimp_postdom_get_idom (pd, n->index);
  if (to_exit != NULL)
    *to_exit = p == PSIMP_POSTDOM_EXIT;
  return p != PSIMP_POSTDOM_NONE && p != PSIMP_POSTDOM_EXIT ? g_ptr_array_index (live, p) : NULL;
}

/* The nodes reachable from @s's branches without passing @stop. */
static GHashTable *
region (Node *s, Node *stop)
{
  GHashTable *seen = g_hash_table_new (NULL, NULL);
  g_autoptr (GPtrArray) stack = g_ptr_array_new ();
  for (guint j = 0; j < s->out->len; j++)
    {
      Node *t = ((Edge *) g_ptr_array_index (s->out, j))->to;
      if (t != stop && g_hash_table_add (seen, t))
        g_ptr_array_add (stack, t);
    }
  while (stack->len > 0)
    {
      Node *n = g_ptr_array_steal_index (stack, stack->len - 1);
      for (guint j = 0; j < n->out->len; j++)
        {
          Node *t = ((Edge *) g_ptr_array_index (n->out, j))->to;
          if (t != stop && !t->dead && g_hash_table_add (seen, t))
            g_ptr_array_add (stack, t);
        }
    }
  g_hash_table_add (seen, s);
  return seen;
}

/* Redirects the edges from nodes of @reg (and @s itself) into nodes
 * accepted by @into to a new join; returns it. */
static Node *
join_before (Graph *g, Node *s, GHashTable *reg, Node *target, gboolean to_ends, Node **first_end)
{
  g_autofree char *want = g_strconcat (s->id, "-join", NULL);
  Node *j = psimp_bpmn_node_new (g, K_JOIN, NULL, want);
  j->line = s->line;
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init (&it, reg);
  g_autoptr (GPtrArray) from = g_ptr_array_new ();
  while (g_hash_table_iter_next (&it, &key, NULL))
    g_ptr_array_add (from, key);
  /* Document order, so that the first end met is the same every run. */
  for (guint i = 0; i < g->nodes->len; i++)
    {
      Node *n = g_ptr_array_index (g->nodes, i);
      if (n == j || !g_hash_table_contains (reg, n))
        continue;
      for (guint k = 0; k < n->out->len; k++)
        {
          Edge *e = g_ptr_array_index (n->out, k);
          if (to_ends ? e->to->kind == K_END : e->to == target)
            {
              if (to_ends && *first_end == NULL)
                *first_end = e->to;
              e->to = j;
            }
        }
    }
  psimp_bpmn_edge_add (j, to_ends ? *first_end : target);
  return j;
}

static gboolean
all_completion (GHashTable *reg, Node *target)
{
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init (&it, reg);
  while (g_hash_table_iter_next (&it, &key, NULL))
    {
      Node *n = key;
      for (guint k = 0; k < n->out->len; k++)
        {
          Edge *e = g_ptr_array_index (n->out, k);
          if (e->to == target && !e->completion)
            return FALSE;
        }
    }
  return TRUE;
}

static gint
by_region_size (gconstpointer a, gconstpointer b, gpointer sizes)
{
  guint sa = GPOINTER_TO_UINT (g_hash_table_lookup (sizes, *(gpointer *) a));
  guint sb = GPOINTER_TO_UINT (g_hash_table_lookup (sizes, *(gpointer *) b));
  return (sa > sb) - (sa < sb);
}

gboolean
psimp_bpmn_pair_splits (Import *im, Graph *g)
{
  g_autoptr (GPtrArray) splits = g_ptr_array_new ();
  g_autoptr (GHashTable) sizes = g_hash_table_new (NULL, NULL);
  g_autoptr (GPtrArray) live = g_ptr_array_new ();
  PsimpPostDom *pd = postdom_new (g, live);
  for (guint i = 0; i < g->nodes->len; i++)
    {
      Node *n = g_ptr_array_index (g->nodes, i);
      if (n->dead || n->kind != K_SPLIT)
        continue;
      Node *stop = idom_of (pd, live, n, NULL);
      g_autoptr (GHashTable) reg = region (n, stop);
      g_hash_table_insert (sizes, n, GUINT_TO_POINTER (g_hash_table_size (reg)));
      g_ptr_array_add (splits, n);
    }
  psimp_postdom_free (pd);
  /* Inner sections first. */
  g_ptr_array_sort_with_data (splits, by_region_size, sizes);
  gboolean ok = TRUE, merged = FALSE;
  for (guint i = 0; i < splits->len; i++)
    {
      Node *s = g_ptr_array_index (splits, i);
      /* Anew: pairing the sections before changed the graph. */
      g_ptr_array_set_size (live, 0);
      PsimpPostDom *d = postdom_new (g, live);
      gboolean to_exit;
      Node *target = idom_of (d, live, s, &to_exit);
      psimp_postdom_free (d);
      g_autoptr (GHashTable) reg = region (s, target);
      const char *what = s->x != NULL ? (const char *) s->x->name : "parallelGateway";
      const char *sid = s->bpmn_id != NULL ? s->bpmn_id : s->id;
      if (target != NULL && target->kind == K_JOIN)
        {
          Node *owner = NULL;
          for (guint k = 0; k < i; k++)
            {
              Node *o = g_ptr_array_index (splits, k);
              if (o->join == target)
                owner = o;
            }
          if (owner != NULL)
            {
              /* An inner section ends at the same join: it gets its own. */
              g_autoptr (GHashTable) inner = region (owner, target);
              owner->join = join_before (g, owner, inner, target, FALSE, NULL);
            }
          s->join = target;
        }
      else if (to_exit)
        {
          /* Every branch ends on its own: the process ends when all have,
           * which is a join before one end. */
          Node *first_end = NULL;
          s->join = join_before (g, s, reg, NULL, TRUE, &first_end);
          for (guint k = 0; k < g->nodes->len; k++)
            {
              Node *e = g_ptr_array_index (g->nodes, k);
              if (e->kind == K_END && !e->dead && e != first_end && count_in (g, e) == 0)
                {
                  e->dead = TRUE;
                  if (e->x != NULL)
                    warn_at (im, e->line, psim_gettext (im->lang, "end event '%s' merges into end '%s': the parallel "
                                            "branches leaving %s '%s' end together"), e->bpmn_id,
                             first_end->id, what, sid);
                }
            }
        }
      else if (target != NULL && all_completion (reg, target))
        s->join = join_before (g, s, reg, target, FALSE, NULL);
      else
        {
          error_at (im, s->line,
                    psim_gettext (im->lang, "%s '%s' splits the flow in parallel, but its branches do not meet at a "
                      "parallel join (they meet at '%s'); procsim needs each parallel split "
                      "closed by one join (see docs/bpmn.md)"), what, sid,
                    target != NULL ? (target->bpmn_id != NULL ? target->bpmn_id : target->id) : "?");
          ok = FALSE;
        }
    }
  for (guint i = 0; i < g->nodes->len; i++)
    {
      Node *n = g_ptr_array_index (g->nodes, i);
      if (n->dead || n->kind != K_JOIN)
        continue;
      gboolean owned = FALSE;
      for (guint k = 0; k < splits->len && !owned; k++)
        owned = ((Node *) g_ptr_array_index (splits, k))->join == n;
      if (!owned)
        {
          /* Its branches come from choices, not from one parallel split:
           * BPMN would wait for a token that never comes. The flow goes on
           * instead; said, and documented. */
          warn_at (im, n->line, psim_gettext (im->lang, "parallel gateway '%s' joins flows that no parallel gateway "
                                  "splits: it becomes a merge, the flow goes on when one branch "
                                  "arrives (see docs/bpmn.md)"),
                   n->bpmn_id != NULL ? n->bpmn_id : n->id);
          n->kind = K_PASS;
          merged = TRUE;
        }
    }
  if (merged)
    psimp_bpmn_bypass (im, g);
  return ok;
}
