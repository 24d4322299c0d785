/* psim-render.c — variants as Graphviz graphs. The only file that includes
 * cgraph.h and gvc.h.
 *
 * A graph is built from the model with cgraph (one cluster per actor, the
 * lanes), laid out with the dot engine and rendered with gvRenderData, all
 * in this process. "dot" output is the graph as built, before layout,
 * written by agwrite: what `dot -Tsvg` would take to draw the same picture.
 * Graphviz reports through a process-wide channel; the renderer silences
 * it (agseterr) and reports failures from return codes instead.
 */
#include "psim-private.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "procsim/psim-path.h"
#include "procsim/psim-render.h"

G_DEFINE_QUARK (psim-render-error-quark, psim_render_error)

struct _PsimRenderer {
  GVC_t *gvc;
};

#define FONT "DejaVu Sans"
/* Characters per line in a step's box before the name wraps. */
#define WRAP 26

/* Colours: one per channel (the fill of a step), one per lane kind. The
 * channel is also written in the box, so the picture reads in grey too. */
#define COLOUR_IN_PERSON "#ffd8a8"
#define COLOUR_ONLINE "#b2f2bb"
#define COLOUR_POST "#d0bfff"
#define COLOUR_INTER_AGENCY "#a5d8ff"
#define COLOUR_PATH "#1864ab"
#define COLOUR_WRONG "#e03131"
#define COLOUR_REPLACES "#868e96"

/* ---- building the graph --------------------------------------------------- */

typedef PsimGraphDisc GraphDisc;

typedef struct {
  PsimRenderer *renderer;
  const PsimRenderOptions *opts;
  const char *lang;
  Agraph_t *g;
  GraphDisc *disc; /* the graph's discipline and id state */
  GHashTable *nodes; /* const PsimNode* → Agnode_t* */
  GHashTable *order; /* const PsimNode* → position in the highlight + 1 */
  GArray *late;      /* Late: edges routed after the layout */
  guint used;        /* Mark: what the picture shows, for the legend */
  gboolean rankdir_lr;
} Build;

/* The marks a picture can use: the legend explains those used, only. */
typedef enum {
  MARK_IN_PERSON = 1 << 0,
  MARK_VISIT = 1 << 1,
  MARK_ONLINE = 1 << 2,
  MARK_POST = 1 << 3,
  MARK_INTER_AGENCY = 1 << 4,
  MARK_CHOICE = 1 << 5,
  MARK_PARALLEL = 1 << 6,
  MARK_REPLACES = 1 << 7,
  MARK_PATH = 1 << 8,
  MARK_WRONG = 1 << 9,
  MARK_GHOST = 1 << 10,
} Mark;

/* Links across the picture that take no part in the layout: what a step
 * replaces, a wrong turn between steps already placed. dot 2.42 loses
 * some of them (its router fails on edges between clusters that do not
 * constrain the ranks), so the graph is laid out without them, and they
 * are routed afterwards among the placed nodes (see lay_out ()). */
typedef enum {
  LATE_REPLACES,
  LATE_WRONG,
} LateKind;

typedef struct {
  Agnode_t *tail, *head;
  LateKind kind;
} Late;

static void
set (void *obj, const char *name, const char *value)
{
  agsafeset (obj, (char *) name, (char *) value, (char *) "");
}

/* Graphviz reads escapes in labels (\n, \l, \N...) and decodes
 * character entities ("&lt;", "&#xD800;"): a backslash or an ampersand in
 * the text itself must not start one. */
static void
append_escaped (GString *out, const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '&')
        {
          g_string_append (out, "&amp;");
          continue;
        }
      if (*p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
}

/* @text wrapped at about @width characters, lines joined by "\n". */
static void
append_wrapped (GString *out, const char *text, guint width)
{
  g_auto (GStrv) words = g_strsplit (text, " ", -1);
  guint col = 0;
  for (guint i = 0; words[i] != NULL; i++)
    {
      guint len = (guint) g_utf8_strlen (words[i], -1);
      if (col > 0 && col + 1 + len > width)
        {
          g_string_append (out, "\\n");
          col = 0;
        }
      else if (col > 0)
        {
          g_string_append_c (out, ' ');
          col++;
        }
      append_escaped (out, words[i]);
      col += len;
    }
}

static const char *
channel_text (PsimChannel c, const char *lang)
{
  switch (c)
    {
    case PSIM_CHANNEL_IN_PERSON: return psim_gettext (lang, "in person");
    case PSIM_CHANNEL_ONLINE: return psim_gettext (lang, "online");
    case PSIM_CHANNEL_POST: return psim_gettext (lang, "by post");
    case PSIM_CHANNEL_INTER_AGENCY: return psim_gettext (lang, "inter-agency exchange");
    default: return "";
    }
}

static const char *
channel_colour (PsimChannel c)
{
  switch (c)
    {
    case PSIM_CHANNEL_ONLINE: return COLOUR_ONLINE;
    case PSIM_CHANNEL_POST: return COLOUR_POST;
    case PSIM_CHANNEL_INTER_AGENCY: return COLOUR_INTER_AGENCY;
    case PSIM_CHANNEL_IN_PERSON:
    default: return COLOUR_IN_PERSON;
    }
}

static const char *
actor_kind_text (PsimActorKind k, const char *lang)
{
  switch (k)
    {
    case PSIM_ACTOR_APPLICANT: return psim_gettext (lang, "applicant");
    case PSIM_ACTOR_AGENCY: return psim_gettext (lang, "agency");
    case PSIM_ACTOR_INTERMEDIARY: return psim_gettext (lang, "intermediary");
    case PSIM_ACTOR_SYSTEM: return psim_gettext (lang, "system");
    default: return "";
    }
}

static char *
node_name (const char *prefix, const PsimNode *n)
{
  return g_strconcat (prefix, psim_node_get_id (n), NULL);
}

/* The lane of @actor in @parent, made on first use. Lanes are created
 * applicants first, then in order of first use, so that is their order. */
static Agraph_t *
lane (Build *b, Agraph_t *parent, GHashTable *lanes, const char *prefix, const PsimActor *actor)
{
  Agraph_t *sub = g_hash_table_lookup (lanes, actor);
  if (sub != NULL)
    return sub;
  g_autofree char *name = g_strdup_printf ("cluster_%slane_%s", prefix, psim_actor_get_id (actor));
  sub = agsubg (parent, name, 1);
  PsimActorKind kind = psim_actor_get_kind (actor);
  g_autoptr (GString) label = g_string_new (NULL);
  append_escaped (label, psim_actor_get_name (actor, b->lang));
  g_string_append_printf (label, "\\n(%s)", actor_kind_text (kind, b->lang));
  set (sub, "label", label->str);
  set (sub, "style", kind == PSIM_ACTOR_SYSTEM ? "rounded,filled,dashed" : "rounded,filled");
  set (sub, "fillcolor", kind == PSIM_ACTOR_APPLICANT      ? "#fff9db"
                         : kind == PSIM_ACTOR_AGENCY       ? "#f1f3f5"
                         : kind == PSIM_ACTOR_INTERMEDIARY ? "#f8f0fc"
                                                           : "#ebfbee");
  set (sub, "color", "#adb5bd");
  set (sub, "fontsize", "13");
  set (sub, "penwidth", kind == PSIM_ACTOR_APPLICANT ? "2" : "1");
  g_hash_table_insert (lanes, (gpointer) actor, sub);
  return sub;
}

static void
step_label (Build *b, GString *label, const PsimNode *n, const double *fees, guint n_fees)
{
  const char *lang = b->lang;
  guint order = GPOINTER_TO_UINT (g_hash_table_lookup (b->order, n));
  if (order > 0)
    g_string_append_printf (label, "(%u) ", order);
  append_wrapped (label, psim_node_get_name (n, lang), WRAP);
  /* A visit is always in person: one phrase says both. */
  g_string_append_printf (label, "\\n[%s]",
                          psim_step_is_visit (n) ? psim_gettext (lang, "visit in person")
                                                 : channel_text (psim_step_get_channel (n), lang));
  if (!b->opts->details)
    return;
  const PsimQuantity *d = psim_step_get_duration (n);
  g_autoptr (GString) facts = g_string_new (NULL);
  if (d != NULL)
    {
      g_autofree char *v = psim_format_units (d->likely, d->unit, lang);
      g_string_append (facts, v);
    }
  double total = 0;
  for (guint i = 0; i < n_fees; i++)
    total += fees[i];
  if (total > 0)
    {
      g_autofree char *amount = psim_format_amount (total, lang);
      g_string_append_printf (facts, "%s%s VND", facts->len > 0 ? " · " : "", amount);
    }
  if (facts->len > 0)
    g_string_append_printf (label, "\\n%s", facts->str);
}

static void
style_step (Build *b, Agnode_t *an, const PsimNode *n)
{
  PsimChannel c = psim_step_get_channel (n);
  set (an, "shape", "box");
  set (an, "style", c == PSIM_CHANNEL_INTER_AGENCY ? "rounded,filled,dashed" : "rounded,filled");
  set (an, "fillcolor", channel_colour (c));
  set (an, "penwidth", psim_step_is_visit (n) ? "3" : "1");
  b->used |= psim_step_is_visit (n)          ? MARK_VISIT
             : c == PSIM_CHANNEL_ONLINE       ? MARK_ONLINE
             : c == PSIM_CHANNEL_POST         ? MARK_POST
             : c == PSIM_CHANNEL_INTER_AGENCY ? MARK_INTER_AGENCY
                                              : MARK_IN_PERSON;
}

/* A flow of the model: successor @succ of the node at @index. */
static guint64
flow_id (guint index, guint succ)
{
  return ((guint64) index << 32) | succ;
}

/* The flows of @variant that loop back (to a node on the way to them, from
 * the start), found by a depth-first search as dot's own, iterative so
 * that a long chain cannot exhaust the stack. (transfer full) flow_id set. */
static GHashTable *
back_flows (const PsimVariant *v)
{
  typedef struct {
    guint node;
    guint next;
  } Frame;
  guint n_nodes = psim_variant_get_n_nodes (v);
  GHashTable *back = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr (GHashTable) index = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < n_nodes; i++)
    g_hash_table_insert (index, (gpointer) psim_variant_get_node (v, i), GUINT_TO_POINTER (i));
  g_autofree guint8 *state = g_new0 (guint8, MAX (n_nodes, 1)); /* 0 new, 1 open, 2 done */
  g_autoptr (GArray) stack = g_array_new (FALSE, FALSE, sizeof (Frame));
  /* From the start first, then from whatever it does not reach. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint r = 0; r < n_nodes; r++)
      {
        gboolean is_start = psim_node_get_kind (psim_variant_get_node (v, r)) == PSIM_NODE_START;
        if (state[r] != 0 || (pass == 0 && !is_start))
          continue;
        Frame root = { r, 0 };
        g_array_append_val (stack, root);
        state[r] = 1;
        while (stack->len > 0)
          {
            Frame *top = &g_array_index (stack, Frame, stack->len - 1);
            const PsimNode *node = psim_variant_get_node (v, top->node);
            if (top->next >= psim_node_get_n_successors (node))
              {
                state[top->node] = 2;
                g_array_set_size (stack, stack->len - 1);
                continue;
              }
            guint from = top->node, s = top->next++;
            guint h = GPOINTER_TO_UINT (
                g_hash_table_lookup (index, psim_node_get_successor (node, s)));
            if (state[h] == 1)
              {
                guint64 *id = g_new (guint64, 1);
                *id = flow_id (from, s);
                g_hash_table_add (back, id);
              }
            else if (state[h] == 0)
              {
                state[h] = 1;
                Frame f = { h, 0 };
                g_array_append_val (stack, f);
              }
          }
      }
  return back;
}

/* Fees of each step for the case, from its path: steps off the path (a
 * branch the case does not take) are computed alone. */
static void
step_fees (Build *b, PsimCase *pcase, const PsimNode *n, GArray *out)
{
  g_array_set_size (out, 0);
  for (guint i = 0; i < psim_step_get_n_fees (n); i++)
    {
      double amount = 0;
      if (!psim_case_eval_fee (pcase, psim_step_get_fee (n, i), &amount, NULL))
        amount = 0;
      g_array_append_val (out, amount);
    }
}

/* Adds @variant's nodes and flows to @parent (the graph, or a cluster of
 * the compare view); node names start with @prefix. */
static void
add_variant (Build *b, Agraph_t *parent, const PsimVariant *variant, const char *prefix,
             PsimCase *pcase)
{
  const PsimProcedure *proc = psim_variant_get_procedure (variant);
  g_autoptr (GHashTable) lanes = g_hash_table_new (NULL, NULL);

  /* An applicant's lane holds the steps the applicant does alone, and is
   * drawn (first) only when there are some: the applicant's visits and
   * online steps sit in the lane of the office or system they deal with,
   * and start and end stand outside the lanes. */
  for (guint i = 0; i < psim_procedure_get_n_actors (proc); i++)
    {
      const PsimActor *a = psim_procedure_get_actor (proc, i);
      if (psim_actor_get_kind (a) != PSIM_ACTOR_APPLICANT)
        continue;
      for (guint k = 0; k < psim_variant_get_n_nodes (variant); k++)
        if (psim_step_get_actor (psim_variant_get_node (variant, k)) == a)
          lane (b, parent, lanes, prefix, a);
    }

  g_autoptr (GArray) fees = g_array_new (FALSE, FALSE, sizeof (double));
  const PsimActor *previous = NULL;
  for (guint i = 0; i < psim_variant_get_n_nodes (variant); i++)
    {
      const PsimNode *n = psim_variant_get_node (variant, i);
      PsimNodeKind kind = psim_node_get_kind (n);
      const PsimActor *actor = kind == PSIM_NODE_STEP ? psim_step_get_actor (n) : previous;
      if (kind == PSIM_NODE_START || kind == PSIM_NODE_END)
        actor = NULL;
      Agraph_t *where = actor != NULL ? lane (b, parent, lanes, prefix, actor) : parent;
      g_autofree char *name = node_name (prefix, n);
      Agnode_t *an = agnode (where, name, 1);
      g_hash_table_insert (b->nodes, (gpointer) n, an);
      g_autoptr (GString) label = g_string_new (NULL);

      switch (kind)
        {
        case PSIM_NODE_STEP:
          step_fees (b, pcase, n, fees);
          step_label (b, label, n, (const double *) (gpointer) fees->data, fees->len);
          style_step (b, an, n);
          previous = psim_step_get_actor (n);
          break;
        case PSIM_NODE_START:
          set (an, "shape", "circle");
          set (an, "style", "filled");
          set (an, "fillcolor", "#69db7c");
          set (an, "width", "0.35");
          break;
        case PSIM_NODE_END:
          set (an, "shape", "doublecircle");
          set (an, "style", "filled");
          set (an, "fillcolor", "#ff8787");
          set (an, "width", "0.3");
          break;
        case PSIM_NODE_CHOICE:
        case PSIM_NODE_SPLIT:
        case PSIM_NODE_JOIN:
          {
            const char *name_text = psim_node_get_name (n, b->lang);
            set (an, "shape", "diamond");
            set (an, "style", "filled");
            set (an, "fillcolor", kind == PSIM_NODE_CHOICE ? "#fff3bf" : "#e9ecef");
            g_string_append (label, kind == PSIM_NODE_CHOICE ? "×" : "+");
            b->used |= kind == PSIM_NODE_CHOICE ? MARK_CHOICE : MARK_PARALLEL;
            /* A choice's name is its question, worth printing; a split or
             * join says "+", and its name goes in the tooltip. */
            if (name_text != NULL && kind != PSIM_NODE_CHOICE)
              set (an, "tooltip", name_text);
            else if (name_text != NULL)
              {
                g_autoptr (GString) x = g_string_new (NULL);
                append_wrapped (x, name_text, WRAP);
                set (an, "xlabel", x->str);
              }
            break;
          }
        default:
          break;
        }
      set (an, "label", label->str);
    }

  g_autoptr (GHashTable) back = back_flows (variant);
  for (guint i = 0; i < psim_variant_get_n_nodes (variant); i++)
    {
      const PsimNode *n = psim_variant_get_node (variant, i);
      Agnode_t *tail = g_hash_table_lookup (b->nodes, n);
      for (guint s = 0; s < psim_node_get_n_successors (n); s++)
        {
          Agnode_t *head = g_hash_table_lookup (b->nodes, psim_node_get_successor (n, s));
          Agedge_t *e = agedge (b->g, tail, head, NULL, 1);
          guint64 id = flow_id (i, s);
          if (g_hash_table_contains (back, &id))
            {
              /* A loop back: out of the side of its node and into the
               * side of the earlier one, so that it shows as a loop
               * beside the forward flow, its arrow at the earlier node. */
              const char *side = b->rankdir_lr ? "s" : "e";
              set (e, "tailport", side);
              set (e, "headport", side);
            }
          if (psim_node_get_kind (n) != PSIM_NODE_CHOICE)
            continue;
          const char *label = psim_node_get_branch_label (n, s, b->lang);
          const char *cond = psim_node_get_branch_condition (n, s);
          double p = 0;
          g_autoptr (GString) text = g_string_new (NULL);
          if (label != NULL)
            append_wrapped (text, label, WRAP);
          else if (cond != NULL)
            append_escaped (text, cond);
          if (psim_node_get_branch_probability (n, s, &p))
            {
              g_autofree char *pt = psim_format_decimal (p, b->lang);
              g_string_append_printf (text, "%sp = %s", text->len > 0 ? "\\n" : "", pt);
            }
          set (e, "label", text->str);
        }
    }
}

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
          if (g_hash_table_contains (parent, m))
            continue;
          g_hash_table_insert (parent, (gpointer) m, (gpointer) n);
          if (m == to)
            {
              for (const PsimNode *k = m; k != from; k = g_hash_table_lookup (parent, k))
                g_ptr_array_insert (route, 0, (gpointer) k);
              g_ptr_array_insert (route, 0, (gpointer) from);
              return TRUE;
            }
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
  set (an, "color", colour);
  set (an, "penwidth", "4");
}

static void
style_late (Build *b, Agedge_t *e, LateKind kind)
{
  switch (kind)
    {
    case LATE_REPLACES:
      /* Old step to the new one that replaces it, no arrow: the two
       * sides keep their own flow. */
      set (e, "style", "dotted");
      set (e, "color", COLOUR_REPLACES);
      set (e, "penwidth", "1.5");
      set (e, "arrowhead", "none");
      set (e, "constraint", "false");
      break;
    case LATE_WRONG:
    default:
      set (e, "color", COLOUR_WRONG);
      set (e, "fontcolor", COLOUR_WRONG);
      set (e, "style", "dashed");
      set (e, "penwidth", "2");
      set (e, "arrowsize", "1");
      set (e, "constraint", "false");
      set (e, "label", psim_gettext (b->lang, "wrong turn"));
      break;
    }
}

static const char *
late_key (LateKind kind)
{
  return kind == LATE_REPLACES ? "replaces" : "wrong";
}

/* An edge drawn after the layout (see Late). */
static void
add_late (Build *b, Agnode_t *tail, Agnode_t *head, LateKind kind)
{
  style_late (b, agedge (b->g, tail, head, (char *) late_key (kind), 1), kind);
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
  guint order = GPOINTER_TO_UINT (g_hash_table_lookup (b->order, n));
  if (order > 0)
    g_string_append_printf (label, "(%u) ", order);
  append_wrapped (label, psim_node_get_name (n, b->lang), WRAP);
  g_string_append (label, "\\n[");
  append_escaped (label, psim_variant_get_title (v, b->lang));
  g_string_append (label, "]");
  set (an, "label", label->str);
  set (an, "shape", "box");
  set (an, "style", "rounded,filled,dashed");
  set (an, "fillcolor", "#f8f9fa");
  set (an, "fontcolor", "#495057");
  b->used |= MARK_GHOST;
  return an;
}

static void
draw_highlight (Build *b, GPtrArray *steps, GPtrArray *wrong)
{
  for (guint i = 0; i < steps->len; i++)
    {
      const PsimNode *n = g_ptr_array_index (steps, i);
      gboolean is_wrong = g_ptr_array_find (wrong, n, NULL);
      gboolean ghost = !g_hash_table_contains (b->nodes, n);
      Agnode_t *an = node_for (b, n);
      mark_node (b, an, is_wrong ? COLOUR_WRONG : COLOUR_PATH);
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
                  set (e, "color", COLOUR_PATH);
                  set (e, "penwidth", "3");
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
          style_late (b, e, LATE_WRONG);
          set (e, "constraint", "true");
          b->used |= MARK_WRONG;
        }
      else
        add_late (b, aprev, an, LATE_WRONG);
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
static gboolean
resolve_highlight (Build *b, const PsimVariant *primary, const PsimVariant *other,
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
      if (!g_hash_table_contains (b->order, n))
        g_hash_table_insert (b->order, (gpointer) n, GUINT_TO_POINTER (i + 1));
    }
  return TRUE;
}

/* One legend row: a node in the legend's chain (after @prev). */
static Agnode_t *
legend_node (Build *b, Agraph_t *legend, Agnode_t **prev, const char *name, const char *label)
{
  Agnode_t *n = agnode (legend, (char *) name, 1);
  set (n, "label", label);
  if (*prev != NULL)
    set (agedge (b->g, *prev, n, NULL, 1), "style", "invis");
  *prev = n;
  return n;
}

/* A legend row for a kind of link: a short sample of it into its text. */
static void
legend_link (Build *b, Agraph_t *legend, Agnode_t **prev, const char *name, const char *text,
             LateKind kind)
{
  g_autofree char *from_name = g_strconcat (name, "_from", NULL);
  Agnode_t *from = legend_node (b, legend, prev, from_name, "");
  set (from, "shape", "point");
  set (from, "width", "0.06");
  set (from, "color", "#adb5bd");
  g_autoptr (GString) wrapped = g_string_new (NULL);
  append_wrapped (wrapped, text, WRAP);
  Agnode_t *to = agnode (legend, (char *) name, 1);
  set (to, "label", wrapped->str);
  set (to, "shape", "plaintext");
  *prev = to;
  Agedge_t *e = agedge (b->g, from, to, NULL, 1);
  style_late (b, e, kind);
  set (e, "label", "");
  set (e, "constraint", "true");
}

/* The legend: every mark the picture uses, and only those. */
static void
add_legend (Build *b)
{
  if (b->used == 0)
    return;
  Agraph_t *legend = agsubg (b->g, (char *) "cluster_legend", 1);
  set (legend, "label", psim_gettext (b->lang, "Legend"));
  set (legend, "style", "rounded");
  set (legend, "color", "#ced4da");
  set (legend, "fontsize", "12");
  static const struct {
    Mark mark;
    const char *name;
    PsimChannel channel;
  } channels[] = {
    { MARK_VISIT, "legend_visit", PSIM_CHANNEL_IN_PERSON },
    { MARK_IN_PERSON, "legend_in_person", PSIM_CHANNEL_IN_PERSON },
    { MARK_ONLINE, "legend_online", PSIM_CHANNEL_ONLINE },
    { MARK_POST, "legend_post", PSIM_CHANNEL_POST },
    { MARK_INTER_AGENCY, "legend_inter_agency", PSIM_CHANNEL_INTER_AGENCY },
  };
  Agnode_t *prev = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (channels); i++)
    {
      if ((b->used & channels[i].mark) == 0)
        continue;
      gboolean visit = channels[i].mark == MARK_VISIT;
      g_autofree char *text
          = visit ? g_strdup_printf ("%s\\n(%s)", psim_gettext (b->lang, "visit in person"),
                                     psim_gettext (b->lang, "heavy border"))
                  : g_strdup (channel_text (channels[i].channel, b->lang));
      Agnode_t *n = legend_node (b, legend, &prev, channels[i].name, text);
      set (n, "shape", "box");
      set (n, "style", channels[i].channel == PSIM_CHANNEL_INTER_AGENCY ? "rounded,filled,dashed"
                                                                         : "rounded,filled");
      set (n, "fillcolor", channel_colour (channels[i].channel));
      set (n, "penwidth", visit ? "3" : "1");
    }
  static const struct {
    Mark mark;
    const char *name, *label, *fill, *text;
  } gateways[] = {
    { MARK_CHOICE, "legend_choice", "×", "#fff3bf", PSIM_N_ ("choice") },
    { MARK_PARALLEL, "legend_parallel", "+", "#e9ecef", PSIM_N_ ("parallel") },
  };
  for (guint i = 0; i < G_N_ELEMENTS (gateways); i++)
    {
      if ((b->used & gateways[i].mark) == 0)
        continue;
      Agnode_t *n = legend_node (b, legend, &prev, gateways[i].name, gateways[i].label);
      set (n, "shape", "diamond");
      set (n, "style", "filled");
      set (n, "fillcolor", gateways[i].fill);
      set (n, "xlabel", psim_gettext (b->lang, gateways[i].text));
    }
  /* The path's marks: boxes drawn as the path draws them. */
  static const struct {
    Mark mark;
    const char *name, *text, *style, *fill, *colour;
  } path_rows[] = {
    { MARK_PATH, "legend_path", PSIM_N_ ("(1) the steps taken, numbered in order"), "rounded",
      "white", COLOUR_PATH },
    { MARK_GHOST, "legend_ghost", PSIM_N_ ("a step of another path, taken by mistake"),
      "rounded,filled,dashed", "#f8f9fa", COLOUR_WRONG },
  };
  for (guint i = 0; i < G_N_ELEMENTS (path_rows); i++)
    {
      if ((b->used & path_rows[i].mark) == 0)
        continue;
      g_autoptr (GString) text = g_string_new (NULL);
      append_wrapped (text, psim_gettext (b->lang, path_rows[i].text), WRAP);
      Agnode_t *n = legend_node (b, legend, &prev, path_rows[i].name, text->str);
      set (n, "shape", "box");
      set (n, "style", path_rows[i].style);
      set (n, "fillcolor", path_rows[i].fill);
      set (n, "color", path_rows[i].colour);
      set (n, "penwidth", "4");
    }
  /* The links: a sample of each. */
  static const struct {
    Mark mark;
    const char *name, *text;
    LateKind kind;
  } links[] = {
    { MARK_WRONG, "legend_wrong", PSIM_N_ ("wrong turn: no flow of the model leads there"),
      LATE_WRONG },
    { MARK_REPLACES, "legend_replaces",
      PSIM_N_ ("dotted: a new step and an old step it replaces"), LATE_REPLACES },
  };
  for (guint i = 0; i < G_N_ELEMENTS (links); i++)
    if (b->used & links[i].mark)
      legend_link (b, legend, &prev, links[i].name, psim_gettext (b->lang, links[i].text),
                   links[i].kind);
}

/* Object ids for cgraph. Its default discipline uses the address of an
 * object's name as its id and writes subgraphs in id order, so two renders
 * in one process could order the lanes (and lay them out) differently;
 * its counter for anonymous objects is process-wide too. Here ids follow
 * creation order, per graph: the same model always gives the same graph. */
typedef struct {
  Agraph_t *g;
  GHashTable *ids;  /* name → id; names are the graph's own strings */
  GPtrArray *names; /* id / 2 - 1 → name */
  IDTYPE next_anonymous;
} IdState;

/* Every block cgraph allocates for a graph (the graph, its subgraphs,
 * nodes, edges, records, attribute values, interned strings) comes from
 * the graph's memory discipline. Ours remembers them, so that what agclose
 * leaves behind is freed after it: in 2.42 agclose returns early, freeing
 * nothing more, when the dot engine has left its own subgraphs in the graph
 * (it does on graphs with clusters), and the whole graph procsim built was
 * lost on every render. cgraph's dictionaries take some blocks from malloc
 * and give them back through the discipline (agdictobjmem allocates with
 * malloc or agalloc depending on a global set only while a dictionary is
 * opened or closed): a block the arena does not know goes to free, as
 * cgraph's own discipline would do. */
typedef struct {
  GHashTable *blocks; /* the blocks allocated and not freed */
} Arena;

/* The discipline handed to agopen, with the id state and the arena beside
 * it. Both are ours, not cgraph's: agclose in 2.42 may return before
 * closing the id discipline, and does not know the arena. The renderer
 * frees them after agclose, whatever agclose returns. */
struct _GraphDisc {
  Agdisc_t disc; /* first: agopen's discipline pointer is this struct */
  Agmemdisc_t mem;
  IdState state;
  Arena arena;
};

static void *
arena_open (Agdisc_t *disc)
{
  Arena *a = &((GraphDisc *) disc)->arena;
  a->blocks = g_hash_table_new (NULL, NULL);
  return a;
}

/* cgraph expects zeroed memory, as its own discipline gives. */
static void *
arena_alloc (void *state, size_t size)
{
  Arena *a = state;
  void *p = g_malloc0 (MAX (size, 1));
  g_hash_table_add (a->blocks, p);
  return p;
}

static void *
arena_resize (void *state, void *ptr, size_t old_size, size_t size)
{
  Arena *a = state;
  if (ptr == NULL)
    return arena_alloc (state, size);
  gboolean ours = g_hash_table_steal (a->blocks, ptr);
  void *p = g_realloc (ptr, MAX (size, 1));
  if (ours)
    g_hash_table_add (a->blocks, p);
  if (size > old_size)
    memset ((char *) p + old_size, 0, size - old_size);
  return p;
}

static void
arena_free (void *state, void *ptr)
{
  Arena *a = state;
  if (ptr == NULL)
    return;
  g_hash_table_remove (a->blocks, ptr);
  free (ptr); /* g_malloc is malloc; a foreign block is malloc's too */
}

/* What agclose did not free. */
static void
arena_clear (Arena *a)
{
  if (a->blocks == NULL)
    return; /* never opened */
  GHashTableIter iter;
  gpointer block;
  g_hash_table_iter_init (&iter, a->blocks);
  while (g_hash_table_iter_next (&iter, &block, NULL))
    g_free (block);
  g_clear_pointer (&a->blocks, g_hash_table_unref);
}

static void *
id_open (Agraph_t *g, Agdisc_t *disc)
{
  IdState *st = &((GraphDisc *) disc)->state;
  st->g = g;
  st->ids = g_hash_table_new (g_str_hash, g_str_equal);
  st->names = g_ptr_array_new ();
  st->next_anonymous = 1; /* odd; named objects get even ids */
  return st;
}

static long
id_map (void *state, int objtype, char *str, IDTYPE *id, int createflag)
{
  IdState *st = state;
  if (str == NULL)
    {
      *id = st->next_anonymous;
      st->next_anonymous += 2;
      return TRUE;
    }
  gpointer found = NULL;
  if (g_hash_table_lookup_extended (st->ids, str, NULL, &found))
    {
      *id = (IDTYPE) GPOINTER_TO_SIZE (found);
      return TRUE;
    }
  if (!createflag)
    return FALSE;
  /* cgraph reads a header in front of the names it is given back (whether
   * a string is HTML): they must be its own interned strings. They live in
   * the graph's memory and go with it. */
  char *name = agstrdup (st->g, str);
  *id = 2 * ((IDTYPE) st->names->len + 1);
  g_hash_table_insert (st->ids, name, GSIZE_TO_POINTER ((gsize) *id));
  g_ptr_array_add (st->names, name);
  return TRUE;
}

static long
id_alloc (void *state, int objtype, IDTYPE request)
{
  return FALSE; /* no object asks for a given id */
}

static void
id_free (void *state, int objtype, IDTYPE id)
{
  /* Names live until the graph is closed. */
}

static char *
id_print (void *state, int objtype, IDTYPE id)
{
  IdState *st = state;
  if (id % 2 != 0 || id == 0 || id / 2 > st->names->len)
    return NULL;
  return g_ptr_array_index (st->names, (guint) (id / 2 - 1));
}

static void
id_close (void *state)
{
  /* Freed by graph_disc_clear, after agclose. */
}

static void
graph_disc_clear (GraphDisc *gd)
{
  arena_clear (&gd->arena);
  g_clear_pointer (&gd->state.names, g_ptr_array_unref);
  g_clear_pointer (&gd->state.ids, g_hash_table_unref);
}

static void
id_register (void *state, int objtype, void *obj)
{
}

static Agiddisc_t id_disc = {
  id_open, id_map, id_alloc, id_free, id_print, id_close, id_register,
};

PsimGraphDisc *
psim_graph_disc_new (gboolean own_ids)
{
  GraphDisc *gd = g_new0 (GraphDisc, 1);
  /* No close function: with one, agclose would skip closing the graph's
   * dictionaries and hand everything to it at once. */
  gd->mem = (Agmemdisc_t) { arena_open, arena_alloc, arena_resize, arena_free, NULL };
  gd->disc = (Agdisc_t) { &gd->mem, own_ids ? &id_disc : &AgIdDisc, &AgIoDisc };
  return gd;
}

void *
psim_graph_disc_get (PsimGraphDisc *disc)
{
  return &disc->disc;
}

void
psim_graph_disc_free (PsimGraphDisc *disc)
{
  if (disc == NULL)
    return;
  graph_disc_clear (disc);
  g_free (disc);
}

static Agraph_t *
new_graph (Build *b, const char *name, const char *rankdir)
{
  b->disc = psim_graph_disc_new (TRUE);
  Agraph_t *g = agopen ((char *) name, Agdirected, psim_graph_disc_get (b->disc));
  b->g = g;
  agattr (g, AGRAPH, (char *) "rankdir", (char *) rankdir);
  agattr (g, AGRAPH, (char *) "fontname", (char *) FONT);
  agattr (g, AGRAPH, (char *) "nodesep", (char *) "0.3");
  agattr (g, AGRAPH, (char *) "ranksep", (char *) "0.35");
  agattr (g, AGRAPH, (char *) "newrank", (char *) "true");
  agattr (g, AGRAPH, (char *) "bgcolor", (char *) "white");
  agattr (g, AGNODE, (char *) "fontname", (char *) FONT);
  agattr (g, AGNODE, (char *) "fontsize", (char *) "11");
  agattr (g, AGNODE, (char *) "margin", (char *) "0.12,0.06");
  agattr (g, AGEDGE, (char *) "fontname", (char *) FONT);
  agattr (g, AGEDGE, (char *) "fontsize", (char *) "9");
  agattr (g, AGEDGE, (char *) "color", (char *) "#495057");
  agattr (g, AGEDGE, (char *) "arrowsize", (char *) "0.7");
  return g;
}

/* ---- output --------------------------------------------------------------- */

const char *const *
psim_render_formats (void)
{
  static const char *const formats[] = { "dot", "svg", "png", "pdf", NULL };
  return formats;
}

static gboolean
known_format (const char *format, const char *lang, GError **error)
{
  for (const char *const *f = psim_render_formats (); *f != NULL; f++)
    if (strcmp (*f, format) == 0)
      return TRUE;
  g_set_error (error, PSIM_RENDER_ERROR, PSIM_RENDER_ERROR_FORMAT,
               psim_gettext (lang, "unknown output format '%s' (use dot, svg, png or pdf)"),
               format);
  return FALSE;
}

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
      set (n, "shape", "box");
      set (n, "style", "invis");
      set (n, "label", "");
      set (n, "fixedsize", "true");
      set (n, "width", g_ascii_formatd (w, sizeof w, "%.3f", o->width));
      set (n, "height", g_ascii_formatd (h, sizeof h, "%.3f", o->height));
      set (n, "pos", o->pos);
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
      Agedge_t *e = agedge (g, l->tail, l->head, (char *) late_key (l->kind), 0);
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
      style_late (b, agedge (g, l->tail, l->head, (char *) late_key (l->kind), 1), l->kind);
    }
  add_label_obstacles (g);
  agattr (g, AGRAPH, (char *) "splines", (char *) "true");
  return gvLayout (gvc, g, "nop2") == 0;
}

static GBytes *
output (Build *b, const char *format, GError **error)
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

/* The one Graphviz context of the process. Graphviz 2.42's pango plugin
 * remembers the last font it measured through a pointer into the context
 * that measured it, so a context freed and another created reads freed
 * memory (valgrind shows it on the second render). Sharing one context
 * for the life of the process is the only process-wide state of the
 * library: Graphviz's own, made once, thread-safely. */
static GVC_t *
shared_context (void)
{
  /* Graphviz keeps state of its own between calls (cgraph's and the
   * plugins'), so renders in several threads take turns: see
   * psim_renderer_render_variant (). */
  static gsize once = 0;
  static GVC_t *gvc;
  if (g_once_init_enter (&once))
    {
      /* Graphviz prints its warnings and errors itself, process-wide; the
       * library reports through GError instead. */
      agseterr (AGMAX);
      gvc = gvContext ();
      g_once_init_leave (&once, 1);
    }
  return gvc;
}

void *
psim_render_shared_gvc (void)
{
  return shared_context ();
}

PsimRenderer *
psim_renderer_new (void)
{
  PsimRenderer *r = g_new0 (PsimRenderer, 1);
  r->gvc = shared_context ();
  return r;
}

void
psim_renderer_free (PsimRenderer *r)
{
  g_free (r);
}

static void
build_init (Build *b, PsimRenderer *r, const PsimRenderOptions *opts)
{
  static const PsimRenderOptions defaults = { 0 };
  b->renderer = r;
  b->opts = opts != NULL ? opts : &defaults;
  b->lang = psim_lang_normalize (b->opts->lang);
  b->nodes = g_hash_table_new (NULL, NULL);
  b->order = g_hash_table_new (NULL, NULL);
  b->late = g_array_new (FALSE, FALSE, sizeof (Late));
}

static void
build_clear (Build *b)
{
  g_hash_table_unref (b->nodes);
  g_hash_table_unref (b->order);
  g_array_unref (b->late);
  if (b->g != NULL)
    agclose (b->g);
  psim_graph_disc_free (b->disc);
}

/* The case to compute with: the caller's, or the defaults. */
static PsimCase *
case_for (const PsimRenderOptions *opts, const PsimVariant *v, PsimCase **owned)
{
  if (opts != NULL && opts->pcase != NULL)
    return opts->pcase;
  *owned = psim_case_new ((PsimProcedure *) psim_variant_get_procedure (v));
  psim_case_set_language (*owned, opts != NULL ? opts->lang : NULL);
  return *owned;
}

static GBytes *
render_variant (PsimRenderer *r, const PsimVariant *variant, const PsimRenderOptions *opts,
                const char *format, GError **error)
{
  g_return_val_if_fail (r != NULL && variant != NULL && format != NULL, NULL);
  if (!known_format (format, psim_lang_normalize (opts != NULL ? opts->lang : NULL), error))
    return NULL;
  Build b = { 0 };
  build_init (&b, r, opts);
  g_autoptr (PsimCase) owned = NULL;
  PsimCase *pcase = case_for (opts, variant, &owned);
  g_autoptr (GPtrArray) steps = g_ptr_array_new ();
  g_autoptr (GPtrArray) wrong = g_ptr_array_new ();
  GBytes *out = NULL;

  if (resolve_highlight (&b, variant, NULL, steps, wrong, error))
    {
      b.rankdir_lr = TRUE;
      Agraph_t *g = new_graph (&b, psim_variant_get_id (variant), "LR");
      g_autoptr (GString) title = g_string_new (NULL);
      append_escaped (title, psim_procedure_get_title (psim_variant_get_procedure (variant), b.lang));
      g_string_append (title, "\\n");
      append_escaped (title, psim_variant_get_title (variant, b.lang));
      set (g, "label", title->str);
      set (g, "labelloc", "t");
      set (g, "fontsize", "16");
      add_variant (&b, g, variant, "", pcase);
      draw_highlight (&b, steps, wrong);
      add_legend (&b);
      out = output (&b, format, error);
    }
  build_clear (&b);
  return out;
}

/* "Paper path: 10 steps · 8 visits · 20 working days · 82,324,000 VND" */
static gboolean
append_headline (Build *b, GString *caption, const PsimVariant *v, PsimCase *pcase,
                 GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (PsimPath) path = psim_path_new (v, pcase, &local);
  if (path == NULL)
    {
      g_set_error (error, PSIM_RENDER_ERROR, PSIM_RENDER_ERROR_CASE, "%s", local->message);
      return FALSE;
    }
  const PsimTotals *t = psim_path_get_totals (path);
  g_autofree char *fees = psim_format_amount (t->fees_total, b->lang);
  g_autofree char *wd = psim_format_decimal (t->elapsed.working_days, b->lang);
  append_escaped (caption, psim_variant_get_title (v, b->lang));
  g_string_append_printf (caption, ": ");
  g_string_append_printf (caption, psim_ngettext (b->lang, "%u step", "%u steps", t->steps),
                          t->steps);
  g_string_append (caption, " · ");
  g_string_append_printf (
      caption, psim_ngettext (b->lang, "%u interaction", "%u interactions", t->interactions),
      t->interactions);
  g_string_append (caption, " · ");
  g_string_append_printf (caption, psim_ngettext (b->lang, "%u visit", "%u visits", t->visits),
                          t->visits);
  g_string_append_printf (caption, " · %s %s · %s VND", wd, psim_gettext (b->lang, "working days"),
                          fees);
  return TRUE;
}

static GBytes *
render_compare (PsimRenderer *r, const PsimVariant *before, const PsimVariant *after,
                const PsimRenderOptions *opts, const char *format, GError **error)
{
  g_return_val_if_fail (r != NULL && before != NULL && after != NULL && format != NULL, NULL);
  g_return_val_if_fail (psim_variant_get_procedure (before) == psim_variant_get_procedure (after),
                        NULL);
  if (!known_format (format, psim_lang_normalize (opts != NULL ? opts->lang : NULL), error))
    return NULL;
  Build b = { 0 };
  build_init (&b, r, opts);
  g_autoptr (PsimCase) owned = NULL;
  PsimCase *pcase = case_for (opts, after, &owned);
  g_autoptr (GPtrArray) steps = g_ptr_array_new ();
  g_autoptr (GPtrArray) wrong = g_ptr_array_new ();
  g_autoptr (GString) caption = g_string_new (NULL);
  GBytes *out = NULL;
  const PsimProcedure *proc = psim_variant_get_procedure (after);

  append_escaped (caption, psim_procedure_get_title (proc, b.lang));
  g_string_append (caption, "\\n");
  if (resolve_highlight (&b, after, before, steps, wrong, error)
      && append_headline (&b, caption, before, pcase, error))
    {
      g_string_append (caption, "\\n");
      if (append_headline (&b, caption, after, pcase, error))
        {
          Agraph_t *g = new_graph (&b, "compare", "TB");
          set (g, "label", caption->str);
          set (g, "labelloc", "t");
          set (g, "fontsize", "15");
          const PsimVariant *sides[] = { before, after };
          for (guint i = 0; i < 2; i++)
            {
              const char *id = psim_variant_get_id (sides[i]);
              g_autofree char *cname = g_strdup_printf ("cluster_variant_%s", id);
              g_autofree char *prefix = g_strdup_printf ("%s:", id);
              Agraph_t *side = agsubg (g, cname, 1);
              g_autoptr (GString) title = g_string_new (NULL);
              append_escaped (title, psim_variant_get_title (sides[i], b.lang));
              set (side, "label", title->str);
              set (side, "fontsize", "15");
              set (side, "style", "rounded");
              set (side, "color", i == 0 ? "#adb5bd" : "#1864ab");
              set (side, "penwidth", "2");
              add_variant (&b, side, sides[i], prefix, pcase);
            }
          /* What each reformed step replaces: dotted, routed after the
           * layout so that the two sides keep their own flow. */
          for (guint i = 0; i < psim_variant_get_n_nodes (after); i++)
            {
              const PsimNode *n = psim_variant_get_node (after, i);
              for (guint k = 0; k < psim_step_get_n_replaces (n); k++)
                {
                  const PsimNode *old = psim_step_get_replaces (n, k);
                  if (psim_node_get_variant (old) != before)
                    continue;
                  add_late (&b, g_hash_table_lookup (b.nodes, n),
                            g_hash_table_lookup (b.nodes, old), LATE_REPLACES);
                }
            }
          draw_highlight (&b, steps, wrong);
          add_legend (&b);
          out = output (&b, format, error);
        }
    }
  build_clear (&b);
  return out;
}

/* Graphviz is not thread-safe: one render at a time in the process, so that
 * a server can render for several users from several threads. */
G_LOCK_DEFINE_STATIC (graphviz);

GBytes *
psim_renderer_render_variant (PsimRenderer *r, const PsimVariant *variant,
                              const PsimRenderOptions *opts, const char *format, GError **error)
{
  G_LOCK (graphviz);
  GBytes *out = render_variant (r, variant, opts, format, error);
  G_UNLOCK (graphviz);
  return out;
}

GBytes *
psim_renderer_render_compare (PsimRenderer *r, const PsimVariant *before, const PsimVariant *after,
                              const PsimRenderOptions *opts, const char *format, GError **error)
{
  G_LOCK (graphviz);
  GBytes *out = render_compare (r, before, after, opts, format, error);
  G_UNLOCK (graphviz);
  return out;
}
