/* psim-bpmn-export-layout.c — a variant's shapes and flows, laid out.
 *
 * A shape a node, a flow an edge; BPMN wants a gateway where flows merge,
 * so a node other than a join that several flows enter gets an exclusive
 * merge gateway in front of it (the import bypasses it again). Graphviz's
 * dot engine, in process, with the shared context of psim-render.c, lays
 * out each process left to right with one cluster per lane; the clusters
 * are then stacked into the lane bands BPMN draws, each keeping dot's
 * layout inside it.
 */
#include "psim-bpmn-export-private.h"

#include <graphviz/gvc.h>
#include <math.h>
#include <string.h>

/* ---- the shapes of a variant ------------------------------------------------- */

static void
shape_free (Shape *s)
{
  g_free (s->id);
  g_ptr_array_unref (s->in);
  g_ptr_array_unref (s->out);
  g_free (s);
}

static void
flow_free (Flow *f)
{
  g_free (f->id);
  g_free (f);
}

void
psimp_bpmn_export_pool_free (Pool *p)
{
  g_free (p->pid);
  g_ptr_array_unref (p->shapes);
  g_ptr_array_unref (p->flows);
  g_hash_table_unref (p->by_node);
  g_ptr_array_unref (p->lanes);
  g_hash_table_unref (p->lane_top);
  g_hash_table_unref (p->lane_height);
  g_free (p);
}

static Shape *
shape_new (Pool *p, const PsimNode *n, const char *id)
{
  Shape *s = g_new0 (Shape, 1);
  s->node = n;
  s->id = g_strdup_printf ("%s__%s", p->pid, id);
  s->in = g_ptr_array_new ();
  s->out = g_ptr_array_new ();
  if (n == NULL || n->kind == PSIM_NODE_CHOICE || n->kind == PSIM_NODE_SPLIT || n->kind == PSIM_NODE_JOIN)
    s->w = s->h = 50;
  else if (n->kind == PSIM_NODE_STEP)
    s->w = 100, s->h = 80;
  else
    s->w = s->h = 36;
  g_ptr_array_add (p->shapes, s);
  return s;
}

static Flow *
flow_new (Pool *p, Shape *from, Shape *to)
{
  Flow *f = g_new0 (Flow, 1);
  f->id = g_strdup_printf ("%s__flow%u", p->pid, p->flows->len + 1);
  f->from = from;
  f->to = to;
  g_ptr_array_add (from->out, f);
  g_ptr_array_add (to->in, f);
  g_ptr_array_add (p->flows, f);
  return f;
}

Pool *
psimp_bpmn_export_pool_new (const PsimVariant *v)
{
  Pool *p = g_new0 (Pool, 1);
  p->v = v;
  p->pid = g_strdup (v->id);
  p->shapes = g_ptr_array_new_with_free_func ((GDestroyNotify) shape_free);
  p->flows = g_ptr_array_new_with_free_func ((GDestroyNotify) flow_free);
  p->by_node = g_hash_table_new (NULL, NULL);
  p->lanes = g_ptr_array_new ();
  p->lane_top = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  p->lane_height = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  for (guint i = 0; i < v->nodes->len; i++)
    {
      const PsimNode *n = g_ptr_array_index (v->nodes, i);
      g_hash_table_insert (p->by_node, (gpointer) n, shape_new (p, n, n->id));
    }
  /* Flows, with a merge gateway where several enter a node that is not a
   * join. */
  g_autoptr (GHashTable) n_in = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < v->nodes->len; i++)
    {
      const PsimNode *n = g_ptr_array_index (v->nodes, i);
      for (guint k = 0; k < psim_node_get_n_successors (n); k++)
        {
          const PsimNode *t = psim_node_get_successor (n, k);
          g_hash_table_insert (n_in, (gpointer) t,
                               GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (n_in, t)) + 1));
        }
    }
  g_autoptr (GHashTable) merges = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < v->nodes->len; i++)
    {
      const PsimNode *n = g_ptr_array_index (v->nodes, i);
      Shape *from = g_hash_table_lookup (p->by_node, n);
      for (guint k = 0; k < psim_node_get_n_successors (n); k++)
        {
          const PsimNode *t = psim_node_get_successor (n, k);
          Shape *to = g_hash_table_lookup (p->by_node, t);
          if (t->kind != PSIM_NODE_JOIN && GPOINTER_TO_UINT (g_hash_table_lookup (n_in, t)) > 1)
            {
              Shape *m = g_hash_table_lookup (merges, t);
              if (m == NULL)
                {
                  g_autofree char *mid = g_strdup_printf ("merge__%s", t->id);
                  m = shape_new (p, NULL, mid);
                  m->merge_for = t;
                  g_hash_table_insert (merges, (gpointer) t, m);
                  flow_new (p, m, to);
                }
              to = m;
            }
          Flow *f = flow_new (p, from, to);
          if (n->kind == PSIM_NODE_CHOICE)
            {
              f->choice = n;
              f->branch = k;
            }
        }
    }
  return p;
}

/* The lane of each shape: a step's actor; other shapes take the lane of
 * the nearest step before them, else after them. */
void
psimp_bpmn_export_assign_lanes (Pool *p)
{
  for (guint i = 0; i < p->shapes->len; i++)
    {
      Shape *s = g_ptr_array_index (p->shapes, i);
      if (s->node != NULL && s->node->kind == PSIM_NODE_STEP)
        s->lane = s->node->actor.id;
    }
  for (guint round = 0; round < 2; round++)
    {
      gboolean changed = TRUE;
      while (changed)
        {
          changed = FALSE;
          for (guint i = 0; i < p->shapes->len; i++)
            {
              Shape *s = g_ptr_array_index (p->shapes, i);
              if (s->lane != NULL)
                continue;
              GPtrArray *near = round == 0 ? s->in : s->out;
              for (guint k = 0; k < near->len && s->lane == NULL; k++)
                {
                  Flow *f = g_ptr_array_index (near, k);
                  Shape *o = round == 0 ? f->from : f->to;
                  if (o->lane != NULL)
                    {
                      s->lane = o->lane;
                      changed = TRUE;
                    }
                }
            }
        }
    }
  const PsimProcedure *proc = p->v->proc;
  for (guint i = 0; i < p->shapes->len; i++)
    {
      Shape *s = g_ptr_array_index (p->shapes, i);
      if (s->lane == NULL)
        s->lane = ((const PsimActor *) g_ptr_array_index (proc->actors, 0))->id;
    }
  /* Lanes in the order of the procedure's actors, those used only. */
  for (guint a = 0; a < proc->actors->len; a++)
    {
      const char *id = ((const PsimActor *) g_ptr_array_index (proc->actors, a))->id;
      for (guint i = 0; i < p->shapes->len; i++)
        if (strcmp (((Shape *) g_ptr_array_index (p->shapes, i))->lane, id) == 0)
          {
            g_ptr_array_add (p->lanes, (gpointer) id);
            break;
          }
    }
}

/* ---- layout ------------------------------------------------------------------ */

static void
set (void *obj, const char *name, const char *value)
{
  agsafeset (obj, (char *) name, (char *) value, (char *) "");
}

gboolean
psimp_bpmn_export_layout (Pool *p, const char *lang, GError **error)
{
  GVC_t *gvc = psimp_render_shared_gvc ();
  /* cgraph's own ids: the layout stays the one the exports were made with. */
  g_autoptr (PsimGraphDisc) disc = psimp_graph_disc_new (FALSE);
  Agraph_t *g = agopen ((char *) "bpmn", Agdirected, psimp_graph_disc_get (disc));
  set (g, "rankdir", "LR");
  set (g, "nodesep", "0.4");
  set (g, "ranksep", "0.5");
  set (g, "newrank", "true");
  for (guint l = 0; l < p->lanes->len; l++)
    {
      const char *lane = g_ptr_array_index (p->lanes, l);
      g_autofree char *cname = g_strdup_printf ("cluster_%u", l);
      Agraph_t *c = agsubg (g, cname, 1);
      for (guint i = 0; i < p->shapes->len; i++)
        {
          Shape *s = g_ptr_array_index (p->shapes, i);
          if (strcmp (s->lane, lane) != 0)
            continue;
          g_autofree char *name = g_strdup_printf ("n%u", i);
          s->gv = agnode (c, name, 1);
          char buf[G_ASCII_DTOSTR_BUF_SIZE];
          set (s->gv, "shape", "box");
          set (s->gv, "fixedsize", "true");
          set (s->gv, "label", "");
          set (s->gv, "width", g_ascii_dtostr (buf, sizeof buf, s->w / 72.0));
          set (s->gv, "height", g_ascii_dtostr (buf, sizeof buf, s->h / 72.0));
        }
    }
  for (guint i = 0; i < p->flows->len; i++)
    {
      Flow *f = g_ptr_array_index (p->flows, i);
      agedge (g, f->from->gv, f->to->gv, NULL, 1);
    }
  if (gvLayout (gvc, g, "dot") != 0)
    {
      agclose (g);
      g_set_error (error, PSIM_BPMN_ERROR, PSIM_BPMN_ERROR_LAYOUT,
                   psim_gettext (lang, "Graphviz could not lay out the graph"));
      return FALSE;
    }
  /* dot's y grows upwards; BPMN's downwards. Each lane is a band as high
   * as its cluster, keeping dot's layout inside it. */
  double max_x = 0, top = 0;
  for (guint l = 0; l < p->lanes->len; l++)
    {
      const char *lane = g_ptr_array_index (p->lanes, l);
      double lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE;
      for (guint i = 0; i < p->shapes->len; i++)
        {
          Shape *s = g_ptr_array_index (p->shapes, i);
          if (strcmp (s->lane, lane) != 0)
            continue;
          lo = MIN (lo, ND_coord (s->gv).y - s->h / 2);
          hi = MAX (hi, ND_coord (s->gv).y + s->h / 2);
        }
      double height = hi - lo + 2 * LANE_PAD;
      for (guint i = 0; i < p->shapes->len; i++)
        {
          Shape *s = g_ptr_array_index (p->shapes, i);
          if (strcmp (s->lane, lane) != 0)
            continue;
          s->x = round (POOL_LABEL + 30 + ND_coord (s->gv).x - s->w / 2);
          s->y = round (top + LANE_PAD + (hi - (ND_coord (s->gv).y + s->h / 2)));
          max_x = MAX (max_x, s->x + s->w);
        }
      g_hash_table_insert (p->lane_top, (gpointer) lane, g_memdup2 (&top, sizeof top));
      height = round (height);
      g_hash_table_insert (p->lane_height, (gpointer) lane, g_memdup2 (&height, sizeof height));
      top += height;
    }
  p->width = round (max_x + 40);
  p->height = top;
  gvFreeLayout (gvc, g);
  agclose (g);
  return TRUE;
}
