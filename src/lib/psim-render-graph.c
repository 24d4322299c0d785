/* psim-render-graph.c — a variant as a Graphviz graph: one cluster per
 * actor (the lanes, the applicant's first and only when it holds steps of
 * its own), a box per step labelled with its name, channel and, with
 * details, its duration and fees for the case; diamonds for gateways; the
 * flows as edges, the loops back found as dot would find them and drawn
 * from the side so that they read as loops; the branches' labels and
 * probabilities on their edges. The escaping and wrapping every label of
 * the picture goes through lives here too.
 */
#include "psim-render-private.h"

void
psimp_render_set (void *obj, const char *name, const char *value)
{
  agsafeset (obj, (char *) name, (char *) value, (char *) "");
}

/* Graphviz reads escapes in labels (\n, \l, \N...) and decodes
 * character entities ("&lt;", "&#xD800;"): a backslash or an ampersand in
 * the text itself must not start one. */
void
psimp_render_append_escaped (GString *out, const char *text)
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
void
psimp_render_append_wrapped (GString *out, const char *text, guint width)
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
      psimp_render_append_escaped (out, words[i]);
      col += len;
    }
}

const char *
psimp_render_channel_text (PsimChannel c, const char *lang)
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

const char *
psimp_render_channel_colour (PsimChannel c)
{
  switch (c)
    {
    case PSIM_CHANNEL_ONLINE: return PSIMP_COLOUR_ONLINE;
    case PSIM_CHANNEL_POST: return PSIMP_COLOUR_POST;
    case PSIM_CHANNEL_INTER_AGENCY: return PSIMP_COLOUR_INTER_AGENCY;
    case PSIM_CHANNEL_IN_PERSON:
    default: return PSIMP_COLOUR_IN_PERSON;
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
  psimp_render_append_escaped (label, psim_actor_get_name (actor, b->lang));
  g_string_append_printf (label, "\\n(%s)", actor_kind_text (kind, b->lang));
  psimp_render_set (sub, "label", label->str);
  psimp_render_set (sub, "style", kind == PSIM_ACTOR_SYSTEM ? "rounded,filled,dashed" : "rounded,filled");
  psimp_render_set (sub, "fillcolor", kind == PSIM_ACTOR_APPLICANT      ? "#fff9db"
                         : kind == PSIM_ACTOR_AGENCY       ? "#f1f3f5"
                         : kind == PSIM_ACTOR_INTERMEDIARY ? "#f8f0fc"
                                                           : "#ebfbee");
  psimp_render_set (sub, "color", "#adb5bd");
  psimp_render_set (sub, "fontsize", "13");
  psimp_render_set (sub, "penwidth", kind == PSIM_ACTOR_APPLICANT ? "2" : "1");
  g_hash_table_insert (lanes, (gpointer) actor, sub);
  return sub;
}

static void
step_label (Build *b, GString *label, const PsimNode *n, const double *fees, guint n_fees)
{
  const char *lang = b->lang;
  const char *order = g_hash_table_lookup (b->order, n);
  if (order != NULL)
    g_string_append_printf (label, "(%s) ", order);
  psimp_render_append_wrapped (label, psim_node_get_name (n, lang), PSIMP_RENDER_WRAP);
  /* A visit is always in person: one phrase says both. */
  g_string_append_printf (label, "\\n[%s]",
                          psim_step_is_visit (n) ? psim_gettext (lang, "visit in person")
                                                 : psimp_render_channel_text (psim_step_get_channel (n), lang));
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
  psimp_render_set (an, "shape", "box");
  psimp_render_set (an, "style", c == PSIM_CHANNEL_INTER_AGENCY ? "rounded,filled,dashed" : "rounded,filled");
  psimp_render_set (an, "fillcolor", psimp_render_channel_colour (c));
  psimp_render_set (an, "penwidth", psim_step_is_visit (n) ? "3" : "1");
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
void
psimp_render_add_variant (Build *b, Agraph_t *parent, const PsimVariant *variant, const char *prefix,
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
          psimp_render_set (an, "shape", "circle");
          psimp_render_set (an, "style", "filled");
          psimp_render_set (an, "fillcolor", "#69db7c");
          psimp_render_set (an, "width", "0.35");
          break;
        case PSIM_NODE_END:
          psimp_render_set (an, "shape", "doublecircle");
          psimp_render_set (an, "style", "filled");
          psimp_render_set (an, "fillcolor", "#ff8787");
          psimp_render_set (an, "width", "0.3");
          break;
        case PSIM_NODE_CHOICE:
        case PSIM_NODE_SPLIT:
        case PSIM_NODE_JOIN:
          {
            const char *name_text = psim_node_get_name (n, b->lang);
            psimp_render_set (an, "shape", "diamond");
            psimp_render_set (an, "style", "filled");
            psimp_render_set (an, "fillcolor", kind == PSIM_NODE_CHOICE ? "#fff3bf" : "#e9ecef");
            g_string_append (label, kind == PSIM_NODE_CHOICE ? "×" : "+");
            b->used |= kind == PSIM_NODE_CHOICE ? MARK_CHOICE : MARK_PARALLEL;
            /* A choice's name is its question, worth printing; a split or
             * join says "+", and its name goes in the tooltip. */
            if (name_text != NULL && kind != PSIM_NODE_CHOICE)
              psimp_render_set (an, "tooltip", name_text);
            else if (name_text != NULL)
              {
                g_autoptr (GString) x = g_string_new (NULL);
                psimp_render_append_wrapped (x, name_text, PSIMP_RENDER_WRAP);
                psimp_render_set (an, "xlabel", x->str);
              }
            break;
          }
        default:
          break;
        }
      psimp_render_set (an, "label", label->str);
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
              psimp_render_set (e, "tailport", side);
              psimp_render_set (e, "headport", side);
            }
          if (psim_node_get_kind (n) != PSIM_NODE_CHOICE)
            continue;
          const char *label = psim_node_get_branch_label (n, s, b->lang);
          const char *cond = psim_node_get_branch_condition (n, s);
          double p = 0;
          g_autoptr (GString) text = g_string_new (NULL);
          if (label != NULL)
            psimp_render_append_wrapped (text, label, PSIMP_RENDER_WRAP);
          else if (cond != NULL)
            psimp_render_append_escaped (text, cond);
          if (psim_node_get_branch_probability (n, s, &p))
            {
              g_autofree char *pt = psim_format_decimal (p, b->lang);
              g_string_append_printf (text, "%sp = %s", text->len > 0 ? "\\n" : "", pt);
            }
          psimp_render_set (e, "label", text->str);
        }
    }
}
