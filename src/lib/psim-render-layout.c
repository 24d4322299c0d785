/* psim-render-layout.c — from the graph built to bytes: the limits that
 * keep Graphviz from being held for minutes or crashing (nodes, edges,
 * ranks spanned, label length, counted before any layout), the two-pass
 * layout (dot without the late links, then the late links routed among
 * the placed nodes round the labels), and the output through gvRenderData
 * or, for "dot", agwrite. Graphviz reports failures here by return codes,
 * turned into GErrors in the render's language.
 */
#include "psim-render-private.h"

#include <stdio.h>
#include <string.h>

/* The longest "label" of @g's subgraphs (lanes, the sides of a
 * comparison), recursively, @g's own included. */
static gsize
longest_graph_label (Agraph_t *g)
{
  const char *label = agget (g, (char *) "label");
  gsize longest = label != NULL ? strlen (label) : 0;
  for (Agraph_t *sub = agfstsubg (g); sub != NULL; sub = agnxtsubg (sub))
    longest = MAX (longest, longest_graph_label (sub));
  return longest;
}

/* What dot's layout costs grows with the ranks its edges cross: each rank
 * an edge spans becomes a virtual node that mincross orders on every pass,
 * so a few loops back over a long path make thousands of them (300 nodes
 * with 450 such edges ran for more than five minutes). The ranks are
 * estimated as dot makes them: edges that close a cycle (found by a depth-
 * first search, as dot's acyclic pass does) turned round, then each node
 * one rank past the furthest of its predecessors. Linear in the graph. */
typedef struct {
  Agnode_t *node;
  Agedge_t *next; /* the next out-edge to follow */
} Visit;

static guint64
ranks_spanned (Agraph_t *g)
{
  int n_nodes = agnnodes (g);
  g_autoptr (GHashTable) index = g_hash_table_new (NULL, NULL);
  int i = 0;
  for (Agnode_t *n = agfstnode (g); n != NULL; n = agnxtnode (g, n))
    g_hash_table_insert (index, n, GINT_TO_POINTER (i++));
  /* 0 unseen, 1 on the stack, 2 done */
  g_autofree guint8 *state = g_new0 (guint8, n_nodes);
  g_autoptr (GHashTable) back = g_hash_table_new (NULL, NULL);
  g_autoptr (GArray) stack = g_array_new (FALSE, FALSE, sizeof (Visit));
  for (Agnode_t *root = agfstnode (g); root != NULL; root = agnxtnode (g, root))
    {
      if (state[GPOINTER_TO_INT (g_hash_table_lookup (index, root))] != 0)
        continue;
      Visit first = { root, agfstout (g, root) };
      g_array_append_val (stack, first);
      state[GPOINTER_TO_INT (g_hash_table_lookup (index, root))] = 1;
      while (stack->len > 0)
        {
          Visit *top = &g_array_index (stack, Visit, stack->len - 1);
          if (top->next == NULL)
            {
              state[GPOINTER_TO_INT (g_hash_table_lookup (index, top->node))] = 2;
              g_array_set_size (stack, stack->len - 1);
              continue;
            }
          Agedge_t *e = top->next;
          top->next = agnxtout (g, e);
          int h = GPOINTER_TO_INT (g_hash_table_lookup (index, aghead (e)));
          if (state[h] == 1)
            g_hash_table_add (back, e);
          else if (state[h] == 0)
            {
              state[h] = 1;
              Visit v = { aghead (e), agfstout (g, aghead (e)) };
              g_array_append_val (stack, v);
            }
        }
    }
  /* Longest path over the edges left, in topological order (Kahn). */
  g_autofree int *pending = g_new0 (int, n_nodes);
  g_autofree guint *rank = g_new0 (guint, n_nodes);
  for (Agnode_t *n = agfstnode (g); n != NULL; n = agnxtnode (g, n))
    for (Agedge_t *e = agfstout (g, n); e != NULL; e = agnxtout (g, e))
      if (!g_hash_table_contains (back, e))
        pending[GPOINTER_TO_INT (g_hash_table_lookup (index, aghead (e)))]++;
  g_autoptr (GQueue) ready = g_queue_new ();
  for (Agnode_t *n = agfstnode (g); n != NULL; n = agnxtnode (g, n))
    if (pending[GPOINTER_TO_INT (g_hash_table_lookup (index, n))] == 0)
      g_queue_push_tail (ready, n);
  Agnode_t *n;
  while ((n = g_queue_pop_head (ready)) != NULL)
    {
      guint r = rank[GPOINTER_TO_INT (g_hash_table_lookup (index, n))];
      for (Agedge_t *e = agfstout (g, n); e != NULL; e = agnxtout (g, e))
        {
          if (g_hash_table_contains (back, e))
            continue;
          int h = GPOINTER_TO_INT (g_hash_table_lookup (index, aghead (e)));
          rank[h] = MAX (rank[h], r + 1);
          if (--pending[h] == 0)
            g_queue_push_tail (ready, aghead (e));
        }
    }
  guint64 spanned = 0;
  for (n = agfstnode (g); n != NULL; n = agnxtnode (g, n))
    for (Agedge_t *e = agfstout (g, n); e != NULL; e = agnxtout (g, e))
      {
        gint64 from = rank[GPOINTER_TO_INT (g_hash_table_lookup (index, n))];
        gint64 to = rank[GPOINTER_TO_INT (g_hash_table_lookup (index, aghead (e)))];
        spanned += (guint64) MAX (1, ABS (to - from));
      }
  return spanned;
}

/* Graphviz's layout time grows much faster than the graph, and it crashes
 * on large ones: a graph over the limits of psim-render.h is refused here,
 * before gvLayout, so that a long-lived process cannot be taken down or
 * held for minutes by a file that validates. Counting is linear. */
static gboolean
within_limits (Agraph_t *g, const char *lang, GError **error)
{
  int nodes = agnnodes (g), edges = agnedges (g);
  if (nodes > PSIM_RENDER_MAX_NODES || edges > PSIM_RENDER_MAX_EDGES)
    {
      g_set_error (error, PSIM_RENDER_ERROR, PSIM_RENDER_ERROR_TOO_LARGE,
                   psim_gettext (lang, "the graph is too large to draw: %d nodes and %d edges "
                                       "(the limits are %d and %d); use -T dot for the graph "
                                       "without layout"),
                   nodes, edges, PSIM_RENDER_MAX_NODES, PSIM_RENDER_MAX_EDGES);
      return FALSE;
    }
  guint64 spanned = ranks_spanned (g);
  if (spanned > PSIM_RENDER_MAX_RANKS_SPANNED)
    {
      g_set_error (error, PSIM_RENDER_ERROR, PSIM_RENDER_ERROR_TOO_LARGE,
                   psim_gettext (lang, "the graph is too tangled to draw: its edges span about "
                                       "%lu ranks (the limit is %d); use -T dot for the graph "
                                       "without layout"),
                   (unsigned long) spanned, PSIM_RENDER_MAX_RANKS_SPANNED);
      return FALSE;
    }
  gsize longest = longest_graph_label (g);
  Agsym_t *node_label = agattr (g, AGNODE, (char *) "label", NULL);
  Agsym_t *edge_label = agattr (g, AGEDGE, (char *) "label", NULL);
  for (Agnode_t *n = agfstnode (g); n != NULL; n = agnxtnode (g, n))
    {
      if (node_label != NULL)
        longest = MAX (longest, strlen (agxget (n, node_label)));
      for (Agedge_t *e = agfstout (g, n); e != NULL && edge_label != NULL; e = agnxtout (g, e))
        longest = MAX (longest, strlen (agxget (e, edge_label)));
    }
  if (longest > PSIM_RENDER_MAX_LABEL)
    {
      g_set_error (error, PSIM_RENDER_ERROR, PSIM_RENDER_ERROR_TOO_LARGE,
                   psim_gettext (lang, "a label is too long to draw: %lu bytes (the limit is %d)"),
                   (unsigned long) longest, PSIM_RENDER_MAX_LABEL);
      return FALSE;
    }
  return TRUE;
}

/* The box a label of @text (lines joined by "\n") takes at @size
 * points, in inches, about: Graphviz does not say after the layout. */
static void
label_box (const char *text, double size, double *width, double *height)
{
  g_auto (GStrv) lines = g_strsplit (text, "\\n", -1);
  glong widest = 0;
  for (guint i = 0; lines[i] != NULL; i++)
    widest = MAX (widest, g_utf8_strlen (lines[i], -1));
  *width = (widest * size * 0.55 + 4) / 72;
  *height = (g_strv_length (lines) * size * 1.2 + 2) / 72;
}

typedef struct {
  char *pos;
  double width, height;
} Obstacle;

static void
obstacle_clear (gpointer data)
{
  g_free (((Obstacle *) data)->pos);
}

static void
add_obstacle (GArray *out, const char *pos, double width, double height)
{
  if (pos == NULL || *pos == '\0' || width <= 0 || height <= 0)
    return;
  Obstacle o = { g_strdup (pos), width, height };
  g_array_append_val (out, o);
}

/* The lane and side titles of @g and its subgraphs, where dot put them. */
static void
cluster_titles (Agraph_t *g, GArray *out)
{
  for (Agraph_t *sub = agfstsubg (g); sub != NULL; sub = agnxtsubg (sub))
    {
      const char *lw = agget (sub, (char *) "lwidth");
      const char *lh = agget (sub, (char *) "lheight");
      if (lw != NULL && lh != NULL)
        add_obstacle (out, agget (sub, (char *) "lp"), g_ascii_strtod (lw, NULL),
                      g_ascii_strtod (lh, NULL));
      cluster_titles (sub, out);
    }
}

/* The labels the late edges must go round: lane titles, branch labels
 * and choices' questions, as invisible boxes where dot placed them (the
 * router of the second pass avoids nodes only). */
static void
add_label_obstacles (Agraph_t *g)
{
  g_autoptr (GArray) found = g_array_new (FALSE, FALSE, sizeof (Obstacle));
  g_array_set_clear_func (found, obstacle_clear);
  cluster_titles (g, found);
  for (Agnode_t *n = agfstnode (g); n != NULL; n = agnxtnode (g, n))
    {
      const char *xlabel = agget (n, (char *) "xlabel");
      double w = 0, h = 0;
      if (xlabel != NULL && *xlabel != '\0')
        {
          label_box (xlabel, 11, &w, &h);
          add_obstacle (found, agget (n, (char *) "xlp"), w, h);
        }
      for (Agedge_t *e = agfstout (g, n); e != NULL; e = agnxtout (g, e))
        {
          const char *label = agget (e, (char *) "label");
          if (label == NULL || *label == '\0')
            continue;
          label_box (label, 9, &w, &h);
          add_obstacle (found, agget (e, (char *) "lp"), w, h);
        }
    }
  for (guint i = 0; i < found->len; i++)
    {
      const Obstacle *o = &g_array_index (found, Obstacle, i);
      g_autofree char *name = g_strdup_printf ("obstacle_%u", i);
      char w[G_ASCII_DTOSTR_BUF_SIZE], h[G_ASCII_DTOSTR_BUF_SIZE];
      Agnode_t *n = agnode (g, name, 1);
      psimp_render_set (n, "shape", "box");
      psimp_render_set (n, "style", "invis");
      psimp_render_set (n, "label", "");
      psimp_render_set (n, "fixedsize", "true");
      psimp_render_set (n, "width", g_ascii_formatd (w, sizeof w, "%.3f", o->width));
      psimp_render_set (n, "height", g_ascii_formatd (h, sizeof h, "%.3f", o->height));
      psimp_render_set (n, "pos", o->pos);
    }
}

/* Graphviz 2.42 exports these without declaring them in its headers. */
extern void free_label (textlabel_t *label);

/* What the nop2 layout leaves behind that its cleanup does not free
 * (valgrind: "definitely lost" after gvFreeLayout, about 30 KB a
 * comparison): the clusters' title labels, their lists of clusters and the
 * root's node list. Freed
 * here, before gvFreeLayout, and cleared, so that nothing is freed twice. */
static void
free_nop_leftovers (Agraph_t *g, gboolean root)
{
  for (Agraph_t *sub = agfstsubg (g); sub != NULL; sub = agnxtsubg (sub))
    {
      if (aggetrec (sub, (char *) "Agraphinfo_t", 0) == NULL)
        continue;
      free_label (GD_label (sub));
      GD_label (sub) = NULL;
      free_nop_leftovers (sub, FALSE);
    }
  free (GD_clust (g));
  GD_clust (g) = NULL;
  if (root)
    {
      free (GD_neato_nlist (g));
      GD_neato_nlist (g) = NULL;
    }
}

/* The layout: dot without the late edges, then, when there are some, the
 * late edges routed among the nodes where dot placed them (Graphviz's
 * "nop2" engine, as `dot -Tdot | neato -n2`: the positions dot wrote into
 * the graph are kept, edges without one are routed around the nodes). */
static gboolean
lay_out (Build *b, GVC_t *gvc, Agraph_t *g)
{
  for (guint i = 0; i < b->late->len; i++)
    {
      const Late *l = &g_array_index (b->late, Late, i);
      Agedge_t *e = agedge (g, l->tail, l->head, (char *) psimp_render_late_key (l->kind), 0);
      if (e != NULL)
        agdeledge (g, e);
    }
  if (gvLayout (gvc, g, "dot") != 0)
    return FALSE;
  if (b->late->len == 0)
    return TRUE;
  /* Rendering as "dot" writes the positions into the graph's attributes. */
  char *data = NULL;
  unsigned int len = 0;
  int rc = gvRenderData (gvc, g, "dot", &data, &len);
  gvFreeRenderData (data);
  gvFreeLayout (gvc, g);
  if (rc != 0)
    return FALSE;
  for (guint i = 0; i < b->late->len; i++)
    {
      const Late *l = &g_array_index (b->late, Late, i);
      psimp_render_style_late (b, agedge (g, l->tail, l->head, (char *) psimp_render_late_key (l->kind), 1), l->kind);
    }
  add_label_obstacles (g);
  agattr (g, AGRAPH, (char *) "splines", (char *) "true");
  return gvLayout (gvc, g, "nop2") == 0;
}

GBytes *
psimp_render_output (Build *b, const char *format, GError **error)
{
  PsimRenderer *r = b->renderer;
  Agraph_t *g = b->g;
  const char *lang = b->lang;
  if (strcmp (format, "dot") == 0)
    {
      char *buf = NULL;
      size_t len = 0;
      FILE *f = open_memstream (&buf, &len);
      int rc = f != NULL ? agwrite (g, f) : -1;
      if (f != NULL)
        fclose (f);
      if (rc != 0)
        {
          free (buf);
          g_set_error (error, PSIM_RENDER_ERROR, PSIM_RENDER_ERROR_GRAPHVIZ,
                       psim_gettext (lang, "Graphviz could not write the graph"));
          return NULL;
        }
      GBytes *bytes = g_bytes_new (buf, len);
      free (buf);
      return bytes;
    }
  if (!within_limits (g, lang, error))
    return NULL;
  if (!lay_out (b, r->gvc, g))
    {
      g_set_error (error, PSIM_RENDER_ERROR, PSIM_RENDER_ERROR_GRAPHVIZ,
                   psim_gettext (lang, "Graphviz could not lay out the graph"));
      return NULL;
    }
  char *data = NULL;
  unsigned int len = 0;
  int rc = gvRenderData (r->gvc, g, format, &data, &len);
  if (b->late->len > 0)
    free_nop_leftovers (g, TRUE);
  gvFreeLayout (r->gvc, g);
  if (rc != 0 || data == NULL)
    {
      gvFreeRenderData (data);
      g_set_error (error, PSIM_RENDER_ERROR, PSIM_RENDER_ERROR_GRAPHVIZ,
                   psim_gettext (lang, "Graphviz could not render %s (is its plugin installed?)"),
                   format);
      return NULL;
    }
  GBytes *bytes = g_bytes_new (data, len);
  gvFreeRenderData (data);
  return bytes;
}
