/* psim-render-highlight.c — a trainee's path drawn on the graph built:
 * the steps taken numbered and outlined, the flows taken drawn heavy
 * (through gateways), and a red dashed "wrong turn" for each move the
 * model has no flow for. A step of another variant (an old step that a
 * new one replaces) gets a ghost box. The links that take no part in the
 * layout (wrong turns between placed steps, what a new step replaces) are
 * recorded here as late edges, routed by psim-render-layout.c.
 */
#include "psim-render-private.h"

/* The highlighted path: numbered steps, taken flows drawn heavy, and a
 * red link for each move the model has no flow for (a wrong turn). Only a
 * flow through gateways (choices, splits, joins) counts as taken. */
static gboolean
flow_between (const PsimNode *from, const PsimNode *to, GPtrArray *route)
{
  /* Breadth-first over gateway nodes only; @route gets the nodes passed. */
  g_autoptr (GHashTable) parent = g_hash_table_new (NULL, NULL);
  g_autoptr (GQueue) queue = g_queue_new ();
  g_queue_push_tail (queue, (gpointer) from);
  g_hash_table_insert (parent, (gpointer) from, (gpointer) from);
  while (!g_queue_is_empty (queue))
    {
      const PsimNode *n = g_queue_pop_head (queue);
      for (guint s = 0; s < psim_node_get_n_successors (n); s++)
        {
          const PsimNode *m = psim_node_get_successor (n, s);
          /* Found, even when @to is @from (a loop back to the same step
           * through a choice). */
          if (m == to)
            {
              g_ptr_array_insert (route, 0, (gpointer) m);
              for (const PsimNode *k = n; k != from; k = g_hash_table_lookup (parent, k))
                g_ptr_array_insert (route, 0, (gpointer) k);
              g_ptr_array_insert (route, 0, (gpointer) from);
              return TRUE;
            }
          if (g_hash_table_contains (parent, m))
            continue;
          g_hash_table_insert (parent, (gpointer) m, (gpointer) n);
          PsimNodeKind kind = psim_node_get_kind (m);
          if (kind == PSIM_NODE_CHOICE || kind == PSIM_NODE_SPLIT || kind == PSIM_NODE_JOIN)
            g_queue_push_tail (queue, (gpointer) m);
        }
    }
  return FALSE;
}

/* Whether @a and @b lie on different branches of one parallel split: the
 * branches run in either order, so moving between them is no wrong turn. */
static gboolean
parallel_siblings (const PsimNode *a, const PsimNode *b)
{
  const PsimVariant *v = psim_node_get_variant (a);
  if (psim_node_get_variant (b) != v)
    return FALSE;
  for (guint i = 0; i < psim_variant_get_n_nodes (v); i++)
    {
      const PsimNode *split = psim_variant_get_node (v, i);
      if (psim_node_get_kind (split) != PSIM_NODE_SPLIT)
        continue;
      const PsimNode *join = psim_node_get_join (split);
      int branch_of[2] = { -1, -1 };
      for (guint k = 0; k < psim_node_get_n_successors (split); k++)
        {
          /* The branch's region: what it reaches before the join. */
          g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
          g_autoptr (GPtrArray) stack = g_ptr_array_new ();
          g_ptr_array_add (stack, (gpointer) psim_node_get_successor (split, k));
          while (stack->len > 0)
            {
              const PsimNode *n = g_ptr_array_steal_index_fast (stack, stack->len - 1);
              if (n == join || !g_hash_table_add (seen, (gpointer) n))
                continue;
              for (guint s = 0; s < psim_node_get_n_successors (n); s++)
                g_ptr_array_add (stack, (gpointer) psim_node_get_successor (n, s));
            }
          if (g_hash_table_contains (seen, a))
            branch_of[0] = (int) k;
          if (g_hash_table_contains (seen, b))
            branch_of[1] = (int) k;
        }
      if (branch_of[0] >= 0 && branch_of[1] >= 0 && branch_of[0] != branch_of[1])
        return TRUE;
    }
  return FALSE;
}

static void
mark_node (Build *b, Agnode_t *an, const char *colour)
{
  psimp_render_set (an, "color", colour);
  psimp_render_set (an, "penwidth", "4");
}

void
psimp_render_style_late (Build *b, Agedge_t *e, LateKind kind)
{
  switch (kind)
    {
    case LATE_REPLACES:
      /* Old step to the new one that replaces it, no arrow: the two
       * sides keep their own flow. */
      psimp_render_set (e, "style", "dotted");
      psimp_render_set (e, "color", PSIMP_COLOUR_REPLACES);
      psimp_render_set (e, "penwidth", "1.5");
      psimp_render_set (e, "arrowhead", "none");
      psimp_render_set (e, "constraint", "false");
      break;
    case LATE_WRONG:
    default:
      psimp_render_set (e, "color", PSIMP_COLOUR_WRONG);
      psimp_render_set (e, "fontcolor", PSIMP_COLOUR_WRONG);
      psimp_render_set (e, "style", "dashed");
      psimp_render_set (e, "penwidth", "2");
      psimp_render_set (e, "arrowsize", "1");
      psimp_render_set (e, "constraint", "false");
      psimp_render_set (e, "label", psim_gettext (b->lang, "wrong turn"));
      break;
    }
}

const char *
psimp_render_late_key (LateKind kind)
{
  return kind == LATE_REPLACES ? "replaces" : "wrong";
}

/* An edge drawn after the layout (see Late). */
void
psimp_render_add_late (Build *b, Agnode_t *tail, Agnode_t *head, LateKind kind)
{
  psimp_render_style_late (b, agedge (b->g, tail, head, (char *) psimp_render_late_key (kind), 1), kind);
  Late l = { tail, head, kind };
  g_array_append_val (b->late, l);
  b->used |= kind == LATE_REPLACES ? MARK_REPLACES : MARK_WRONG;
}

/* The node of @n: its own, or in a view without its variant a ghost of it
 * (a step of another variant taken by mistake: an old step that a new one
 * replaces), made on first use. */
static Agnode_t *
node_for (Build *b, const PsimNode *n)
{
  Agnode_t *an = g_hash_table_lookup (b->nodes, n);
  if (an != NULL)
    return an;
  const PsimVariant *v = psim_node_get_variant (n);
  g_autofree char *name = g_strdup_printf ("ghost:%s:%s", psim_variant_get_id (v),
                                           psim_node_get_id (n));
  an = agnode (b->g, name, 1);
  g_hash_table_insert (b->nodes, (gpointer) n, an);
  g_autoptr (GString) label = g_string_new (NULL);
  const char *order = g_hash_table_lookup (b->order, n);
  if (order != NULL)
    g_string_append_printf (label, "(%s) ", order);
  psimp_render_append_wrapped (label, psim_node_get_name (n, b->lang), PSIMP_RENDER_WRAP);
  g_string_append (label, "\\n[");
  psimp_render_append_escaped (label, psim_variant_get_title (v, b->lang));
  g_string_append (label, "]");
  psimp_render_set (an, "label", label->str);
  psimp_render_set (an, "shape", "box");
  psimp_render_set (an, "style", "rounded,filled,dashed");
  psimp_render_set (an, "fillcolor", "#f8f9fa");
  psimp_render_set (an, "fontcolor", "#495057");
  b->used |= MARK_GHOST;
  return an;
}

void
psimp_render_draw_highlight (Build *b, GPtrArray *steps, GPtrArray *wrong)
{
  for (guint i = 0; i < steps->len; i++)
    {
      const PsimNode *n = g_ptr_array_index (steps, i);
      gboolean is_wrong = g_ptr_array_find (wrong, n, NULL);
      gboolean ghost = !g_hash_table_contains (b->nodes, n);
      Agnode_t *an = node_for (b, n);
      mark_node (b, an, is_wrong ? PSIMP_COLOUR_WRONG : PSIMP_COLOUR_PATH);
      b->used |= MARK_PATH;
      if (i == 0)
        continue;
      const PsimNode *prev = g_ptr_array_index (steps, i - 1);
      Agnode_t *aprev = g_hash_table_lookup (b->nodes, prev);
      g_autoptr (GPtrArray) route = g_ptr_array_new ();
      gboolean ok_so_far = !is_wrong && !g_ptr_array_find (wrong, prev, NULL);
      if (ok_so_far && parallel_siblings (prev, n))
        continue;
      if (ok_so_far && flow_between (prev, n, route))
        {
          for (guint k = 0; k + 1 < route->len; k++)
            {
              Agedge_t *e = agedge (b->g, g_hash_table_lookup (b->nodes, g_ptr_array_index (route, k)),
                                    g_hash_table_lookup (b->nodes, g_ptr_array_index (route, k + 1)),
                                    NULL, 0);
              if (e != NULL)
                {
                  psimp_render_set (e, "color", PSIMP_COLOUR_PATH);
                  psimp_render_set (e, "penwidth", "3");
                }
            }
          continue;
        }
      /* No flow of the model leads there: a wrong turn. Into a ghost it
       * takes part in the layout, which puts the ghost beside the step
       * the trainee left; any other is routed among the placed nodes. */
      if (ghost)
        {
          Agedge_t *e = agedge (b->g, aprev, an, (char *) "wrong", 1);
          psimp_render_style_late (b, e, LATE_WRONG);
          psimp_render_set (e, "constraint", "true");
          b->used |= MARK_WRONG;
        }
      else
        psimp_render_add_late (b, aprev, an, LATE_WRONG);
    }
}

/* A step with @id for a highlight: of @primary, else of @other, else
 * (with no @other) of any variant of the procedure. */
static const PsimNode *
find_step (const PsimVariant *primary, const PsimVariant *other, const char *id)
{
  const PsimNode *n = psim_variant_find_node (primary, id);
  if (n != NULL && psim_node_get_kind (n) == PSIM_NODE_STEP)
    return n;
  if (other != NULL)
    {
      n = psim_variant_find_node (other, id);
      return n != NULL && psim_node_get_kind (n) == PSIM_NODE_STEP ? n : NULL;
    }
  const PsimProcedure *proc = psim_variant_get_procedure (primary);
  for (guint i = 0; i < psim_procedure_get_n_variants (proc); i++)
    {
      n = psim_variant_find_node (psim_procedure_get_variant (proc, i), id);
      if (n != NULL && psim_node_get_kind (n) == PSIM_NODE_STEP)
        return n;
    }
  return NULL;
}

/* Resolves the highlighted ids in @primary (then in @other, or without it
 * in the procedure's other variants: steps found there are wrong turns).
 * Also numbers the steps for their labels. */
gboolean
psimp_render_resolve_highlight (Build *b, const PsimVariant *primary, const PsimVariant *other,
                   GPtrArray *steps, GPtrArray *wrong, GError **error)
{
  const char *const *ids = b->opts->highlight;
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      const PsimNode *n = find_step (primary, other, ids[i]);
      if (n == NULL)
        {
          g_set_error (error, PSIM_RENDER_ERROR, PSIM_RENDER_ERROR_HIGHLIGHT,
                       psim_gettext (b->lang, "highlight: '%s' is not a step of variant '%s'"),
                       ids[i], psim_variant_get_id (primary));
          return FALSE;
        }
      g_ptr_array_add (steps, (gpointer) n);
      if (psim_node_get_variant (n) != primary)
        g_ptr_array_add (wrong, (gpointer) n);
      /* A step passed again (a loop) shows each of its positions. */
      const char *before = g_hash_table_lookup (b->order, n);
      g_hash_table_insert (b->order, (gpointer) n,
                           before != NULL ? g_strdup_printf ("%s, %u", before, i + 1)
                                          : g_strdup_printf ("%u", i + 1));
    }
  return TRUE;
}

