/* psim-bpmn-import-graph.c — BPMN elements onto the import's graphs.
 *
 * Each process (its sub-processes flattened into it, between an entry and
 * an exit node) becomes a Graph of Nodes: tasks, events and gateways as
 * they are, with what the file says of them (lanes as actors, data as
 * documents, timers and BPSim parameters as durations and costs). The
 * graph keeps BPMN's shape; psim-bpmn-import-normalise.c gives it
 * procsim's.
 */
#include "psim-bpmn-import-private.h"

#include <math.h>
#include <string.h>

/* ---- ids ------------------------------------------------------------------- */

/* @want as a procsim id not yet in @used, which it is added to. */
char *
psimp_bpmn_unique_id (GHashTable *used, const char *want)
{
  GString *s = g_string_new (NULL);
  for (const char *p = want != NULL ? want : ""; *p != '\0' && s->len < MAX_ID; p++)
    {
      char c = *p;
      gboolean ok = g_ascii_isalnum (c) || c == '_' || (s->len > 0 && (c == '-' || c == '.'));
      if (!ok && (guchar) c >= 0x80)
        {
          /* One '_' for a whole UTF-8 character. */
          while ((guchar) p[1] >= 0x80 && (guchar) p[1] < 0xC0)
            p++;
        }
      g_string_append_c (s, ok ? c : '_');
    }
  if (s->len == 0 || g_ascii_isdigit (s->str[0]))
    g_string_prepend_c (s, '_');
  g_autofree char *base = g_string_free (s, FALSE);
  char *id = g_strdup (base);
  for (guint n = 2; g_hash_table_contains (used, id); n++)
    {
      g_free (id);
      id = g_strdup_printf ("%s-%u", base, n);
    }
  g_hash_table_add (used, g_strdup (id));
  return id;
}

/* ---- graph building ----------------------------------------------------------- */

void
psimp_bpmn_edge_free (Edge *e)
{
  g_free (e->label);
  g_free (e);
}

void
psimp_bpmn_node_free (Node *n)
{
  g_free (n->id);
  g_free (n->bpmn_id);
  g_free (n->name);
  g_free (n->note);
  g_free (n->link);
  g_ptr_array_unref (n->out);
  g_clear_pointer (&n->inputs, g_ptr_array_unref);
  g_clear_pointer (&n->outputs, g_ptr_array_unref);
  g_free (n);
}

void
psimp_bpmn_graph_free (Graph *g)
{
  g_free (g->id);
  g_free (g->title);
  g_free (g->doc);
  g_ptr_array_unref (g->nodes);
  g_hash_table_unref (g->by_bpmn);
  g_hash_table_unref (g->ids);
  g_ptr_array_unref (g->flows);
  g_ptr_array_unref (g->boundaries);
  g_free (g);
}

void
psimp_bpmn_decl_free (Decl *d)
{
  g_free (d->id);
  g_free (d->name);
  g_free (d);
}

Node *
psimp_bpmn_node_new (Graph *g, Kind kind, xmlNode *x, const char *want_id)
{
  Node *n = g_new0 (Node, 1);
  n->kind = kind;
  n->x = x;
  n->out = g_ptr_array_new_with_free_func ((GDestroyNotify) psimp_bpmn_edge_free);
  if (x != NULL)
    {
      n->elem = (const char *) x->name;
      n->bpmn_id = psimp_bpmn_get (x, "id");
      n->line = psimp_bpmn_line_of (x);
      n->name = psimp_bpmn_get (x, "name");
      n->note = psimp_bpmn_documentation (x);
      n->ext = psimp_bpmn_ext_of (x, NULL);
    }
  g_autofree char *ext_id = n->ext != NULL ? psimp_bpmn_get (n->ext, "id") : NULL;
  n->id = psimp_bpmn_unique_id (g->ids, ext_id != NULL ? ext_id : want_id != NULL ? want_id : n->bpmn_id);
  if (ext_id == NULL && want_id == NULL && n->bpmn_id != NULL && strcmp (n->id, n->bpmn_id) != 0)
    warn_at (g->im, n->line, psim_gettext (g->im->lang, "%s '%s' is '%s' in procsim: ids are at most 128 letters, digits, "
                               "'_', '-' and '.'"), n->elem, n->bpmn_id, n->id);
  g_ptr_array_add (g->nodes, n);
  if (n->bpmn_id != NULL && !g_hash_table_contains (g->by_bpmn, n->bpmn_id))
    g_hash_table_insert (g->by_bpmn, g_strdup (n->bpmn_id), n);
  return n;
}

Edge *
psimp_bpmn_edge_add (Node *from, Node *to)
{
  Edge *e = g_new0 (Edge, 1);
  e->to = to;
  g_ptr_array_add (from->out, e);
  return e;
}

gboolean
psimp_bpmn_is_task (const char *name)
{
  static const char *const tasks[] = {
    "task", "userTask", "manualTask", "serviceTask", "scriptTask", "businessRuleTask",
    "sendTask", "receiveTask", "callActivity", NULL,
  };
  return g_strv_contains (tasks, name);
}

static gboolean
is_gateway (const char *name)
{
  static const char *const gws[] = {
    "exclusiveGateway", "inclusiveGateway", "parallelGateway", "eventBasedGateway",
    "complexGateway", NULL,
  };
  return g_strv_contains (gws, name);
}

gboolean
psimp_bpmn_is_event (const char *name)
{
  static const char *const evs[] = {
    "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent",
    "boundaryEvent", "implicitThrowEvent", NULL,
  };
  return g_strv_contains (evs, name);
}

gboolean
psimp_bpmn_is_subprocess (const char *name)
{
  return strcmp (name, "subProcess") == 0 || strcmp (name, "transaction") == 0
         || strcmp (name, "adHocSubProcess") == 0;
}

/* The kind of an event: "timer", "message"… from its first definition;
 * "none" without one. */
static const char *
event_kind (const xmlNode *x, xmlNode **def)
{
  static const char *const kinds[] = {
    "timer", "message", "signal", "error", "escalation", "conditional", "link",
    "compensate", "cancel", "terminate", NULL,
  };
  for (xmlNode *c = x->children; c != NULL; c = c->next)
    {
      if (!psimp_bpmn_in_ns (c, BPMN_NS) || !g_str_has_suffix ((const char *) c->name, "EventDefinition"))
        continue;
      for (guint i = 0; kinds[i] != NULL; i++)
        if (g_str_has_prefix ((const char *) c->name, kinds[i]))
          {
            if (def != NULL)
              *def = c;
            return kinds[i];
          }
    }
  for (xmlNode *c = x->children; c != NULL; c = c->next)
    if (psimp_bpmn_is (c, "eventDefinitionRef"))
      return "referenced";
  return "none";
}

/* Channel of a task kind (docs/bpmn.md). */
static const char *
task_channel (const char *elem)
{
  if (strcmp (elem, "userTask") == 0)
    return "online";
  if (strcmp (elem, "serviceTask") == 0 || strcmp (elem, "scriptTask") == 0
      || strcmp (elem, "businessRuleTask") == 0 || strcmp (elem, "sendTask") == 0
      || strcmp (elem, "receiveTask") == 0)
    return "inter-agency";
  return "in-person";
}

/* ISO 8601 duration "P3DT4H" → a quantity: whole days in calendar days,
 * a time part alone in hours. */
static gboolean
parse_iso_duration (const char *text, const char **unit, double *value)
{
  if (text == NULL || text[0] != 'P')
    return FALSE;
  double days = 0, hours = 0;
  gboolean in_time = FALSE, any = FALSE;
  const char *p = text + 1;
  while (*p != '\0')
    {
      if (*p == 'T')
        {
          in_time = TRUE;
          p++;
          continue;
        }
      char *end = NULL;
      double v = g_ascii_strtod (p, &end);
      if (end == p || !isfinite (v) || v < 0)
        return FALSE;
      switch (*end)
        {
        case 'Y': if (in_time) return FALSE; days += 365 * v; break;
        case 'W': if (in_time) return FALSE; days += 7 * v; break;
        case 'D': if (in_time) return FALSE; days += v; break;
        case 'M': if (in_time) hours += v / 60; else days += 30 * v; break;
        case 'H': if (!in_time) return FALSE; hours += v; break;
        case 'S': if (!in_time) return FALSE; hours += v / 3600; break;
        default: return FALSE;
        }
      any = TRUE;
      p = end + 1;
    }
  if (!any)
    return FALSE;
  if (days > 0)
    {
      *unit = "calendar-days";
      *value = days + hours / 24;
    }
  else
    {
      *unit = "hours";
      *value = hours;
    }
  return TRUE;
}

static const char *
actor_for (Import *im, Graph *g, const char *bpmn_id)
{
  const char *a = bpmn_id != NULL ? g_hash_table_lookup (im->actor_of, bpmn_id) : NULL;
  return a != NULL ? a : g->actor;
}

/* Documents read and written by the activity @x. */
static void
data_associations (Import *im, Node *n, const xmlNode *x)
{
  for (xmlNode *c = x->children; c != NULL; c = c->next)
    {
      gboolean input = psimp_bpmn_is (c, "dataInputAssociation");
      if (!input && !psimp_bpmn_is (c, "dataOutputAssociation"))
        continue;
      for (xmlNode *r = c->children; r != NULL; r = r->next)
        {
          if (!psimp_bpmn_is (r, input ? "sourceRef" : "targetRef"))
            continue;
          g_autofree char *t = psimp_bpmn_text_of (r);
          g_autofree char *id = psimp_bpmn_ref_id (t);
          const char *doc = id != NULL ? g_hash_table_lookup (im->document_of, id) : NULL;
          if (doc == NULL)
            continue;
          GPtrArray **list = input ? &n->inputs : &n->outputs;
          if (*list == NULL)
            *list = g_ptr_array_new ();
          if (!g_ptr_array_find_with_equal_func (*list, doc, g_str_equal, NULL))
            g_ptr_array_add (*list, (gpointer) doc);
        }
    }
}

/* The BPSim value of a parameter element (a constant or a distribution):
 * min, likely, max. */
gboolean
psimp_bpmn_sim_value (Import *im, const xmlNode *param, double *min, double *likely, double *max,
           const char **unit)
{
  for (xmlNode *c = param->children; c != NULL; c = c->next)
    {
      if (!psimp_bpmn_in_ns (c, BPSIM1_NS) && !psimp_bpmn_in_ns (c, BPSIM2_NS))
        continue;
      const char *k = (const char *) c->name;
      g_autofree char *value = psimp_bpmn_get (c, "value");
      g_autofree char *mean = psimp_bpmn_get (c, "mean");
      char *end = NULL;
      if (strcmp (k, "DurationParameter") == 0)
        {
          double v;
          if (!parse_iso_duration (value, unit, &v))
            break;
          *min = *likely = *max = v;
          return TRUE;
        }
      if (value != NULL && (strcmp (k, "FloatingParameter") == 0 || strcmp (k, "NumericParameter") == 0))
        {
          double v = g_ascii_strtod (value, &end);
          if (*end != '\0' || !isfinite (v))
            break;
          *min = *likely = *max = v;
          return TRUE;
        }
      if (strcmp (k, "TriangularDistribution") == 0 || strcmp (k, "UniformDistribution") == 0)
        {
          g_autofree char *a = psimp_bpmn_get (c, "min");
          g_autofree char *m = psimp_bpmn_get (c, "mode");
          g_autofree char *b = psimp_bpmn_get (c, "max");
          if (a == NULL || b == NULL)
            break;
          *min = g_ascii_strtod (a, NULL);
          *max = g_ascii_strtod (b, NULL);
          *likely = m != NULL ? g_ascii_strtod (m, NULL) : (*min + *max) / 2;
          return isfinite (*min) && isfinite (*max) && isfinite (*likely);
        }
      if (mean != NULL)
        {
          double v = g_ascii_strtod (mean, &end);
          if (*end != '\0' || !isfinite (v))
            break;
          warn_at (im, psimp_bpmn_line_of (c), psim_gettext (im->lang, "BPSim %s: only its mean (%s) is kept"), k, mean);
          *min = *likely = *max = v;
          return TRUE;
        }
      warn_at (im, psimp_bpmn_line_of (c), psim_gettext (im->lang, "BPSim %s is not supported; the parameter is ignored"), k);
      return FALSE;
    }
  return FALSE;
}

/* The BPSim parameter @group/@name of BPMN element @bpmn_id. */
xmlNode *
psimp_bpmn_sim_param (Import *im, const char *bpmn_id, const char *group, const char *name)
{
  xmlNode *ep = bpmn_id != NULL ? g_hash_table_lookup (im->sim, bpmn_id) : NULL;
  for (xmlNode *gr = ep != NULL ? ep->children : NULL; gr != NULL; gr = gr->next)
    if (psimp_bpmn_is_sim (gr, group))
      for (xmlNode *p = gr->children; p != NULL; p = p->next)
        if (psimp_bpmn_is_sim (p, name))
          return p;
  return NULL;
}

static const char *
sim_unit (Import *im)
{
  const char *u = im->base_time_unit;
  if (u == NULL || strcmp (u, "day") == 0)
    return "calendar-days";
  return "hours";
}

static double
sim_scale (Import *im)
{
  const char *u = im->base_time_unit;
  if (u == NULL || strcmp (u, "day") == 0 || strcmp (u, "hour") == 0)
    return 1;
  if (strcmp (u, "min") == 0)
    return 1.0 / 60;
  if (strcmp (u, "s") == 0)
    return 1.0 / 3600;
  if (strcmp (u, "ms") == 0)
    return 1.0 / 3600000;
  if (strcmp (u, "year") == 0)
    return 365 * 24;
  return 1;
}

static void
apply_sim (Import *im, Node *n)
{
  xmlNode *p = psimp_bpmn_sim_param (im, n->bpmn_id, "TimeParameters", "ProcessingTime");
  double a, b, c;
  const char *unit = NULL;
  if (p != NULL && psimp_bpmn_sim_value (im, p, &a, &b, &c, &unit))
    {
      double k = unit != NULL ? 1 : sim_scale (im);
      n->has_dur = a >= 0 && a <= b && b <= c;
      if (!n->has_dur)
        warn_at (im, psimp_bpmn_line_of (p), psim_gettext (im->lang, "BPSim processing time of '%s' is not min <= likely <= max; ignored"),
                 n->bpmn_id);
      n->dur_unit = unit != NULL ? unit : sim_unit (im);
      n->dmin = a * k, n->dlikely = b * k, n->dmax = c * k;
    }
  static const char *const costs[] = { "FixedCost", "UnitCost", NULL };
  for (guint i = 0; costs[i] != NULL; i++)
    {
      p = psimp_bpmn_sim_param (im, n->bpmn_id, "CostParameters", costs[i]);
      if (p != NULL && psimp_bpmn_sim_value (im, p, &a, &b, &c, &unit) && b >= 0)
        {
          n->has_cost = TRUE;
          n->cost += b;
        }
    }
  if (psimp_bpmn_sim_param (im, n->bpmn_id, "ResourceParameters", "Quantity") != NULL)
    warn_at (im, n->line, psim_gettext (im->lang, "BPSim resource quantity of '%s' is not represented"), n->bpmn_id);
}

/* Counts what @scope holds without mapping it (an event sub-process). */
static void
count_scope (Import *im, xmlNode *scope)
{
  for (xmlNode *c = scope->children; c != NULL; c = c->next)
    {
      if (!psimp_bpmn_in_ns (c, BPMN_NS))
        continue;
      const char *name = (const char *) c->name;
      im->stats.tasks += psimp_bpmn_is_task (name);
      im->stats.gateways += is_gateway (name);
      im->stats.events += psimp_bpmn_is_event (name);
      im->stats.flows += strcmp (name, "sequenceFlow") == 0;
      if (psimp_bpmn_is_subprocess (name))
        count_scope (im, c);
    }
}

/* A flow node @x of @scope. */
static void
build_flow_node (Import *im, Graph *g, xmlNode *x, gboolean top, Node *exit)
{
  const char *name = (const char *) x->name;
  Node *n = NULL;
  if (psimp_bpmn_is_task (name))
    {
      im->stats.tasks++;
      n = psimp_bpmn_node_new (g, K_STEP, x, NULL);
      n->channel = task_channel (name);
      data_associations (im, n, x);
      apply_sim (im, n);
      if (strcmp (name, "callActivity") == 0 && n->name == NULL)
        n->name = psimp_bpmn_get_ref (x, "calledElement");
      if (psimp_bpmn_child (x, "standardLoopCharacteristics") != NULL
          || psimp_bpmn_child (x, "multiInstanceLoopCharacteristics") != NULL)
        warn_at (im, n->line, psim_gettext (im->lang, "%s '%s': loop and multi-instance markers are not represented; "
                                "the step is taken once"), name, n->bpmn_id);
    }
  else if (psimp_bpmn_is_subprocess (name))
    {
      g_autofree char *event = psimp_bpmn_get (x, "triggeredByEvent");
      if (g_strcmp0 (event, "true") == 0)
        {
          g_autofree char *id = psimp_bpmn_get (x, "id");
          warn_at (im, psimp_bpmn_line_of (x), psim_gettext (im->lang, "event sub-process '%s' is not represented: nothing in "
                                      "the flow leads to it"), id != NULL ? id : "?");
          count_scope (im, x);
          return;
        }
      gboolean has_nodes = FALSE;
      for (xmlNode *c = x->children; c != NULL && !has_nodes; c = c->next)
        has_nodes = psimp_bpmn_in_ns (c, BPMN_NS)
                    && (psimp_bpmn_is_task ((const char *) c->name) || psimp_bpmn_is_event ((const char *) c->name)
                        || is_gateway ((const char *) c->name) || psimp_bpmn_is_subprocess ((const char *) c->name));
      if (!has_nodes)
        {
          /* A collapsed sub-process drawn without content: one step. */
          n = psimp_bpmn_node_new (g, K_STEP, x, NULL);
          n->channel = "in-person";
          data_associations (im, n, x);
          apply_sim (im, n);
        }
      else
        {
          Node *in = psimp_bpmn_node_new (g, K_PASS, x, NULL);
          g_autofree char *exit_id = g_strconcat (in->id, "-done", NULL);
          Node *out = psimp_bpmn_node_new (g, K_PASS, NULL, exit_id);
          out->line = in->line;
          /* Flows leaving the sub-process leave from its exit. */
          g_hash_table_insert (g->by_bpmn, g_strconcat ("\x01", in->bpmn_id, NULL), out);
          psimp_bpmn_build_scope (im, g, x, FALSE, in, out);
          n = in;
        }
      if (psimp_bpmn_child (x, "standardLoopCharacteristics") != NULL
          || psimp_bpmn_child (x, "multiInstanceLoopCharacteristics") != NULL)
        warn_at (im, n->line, psim_gettext (im->lang, "%s '%s': loop and multi-instance markers are not represented; "
                                "the step is taken once"), name, n->bpmn_id);
    }
  else if (is_gateway (name))
    {
      im->stats.gateways++;
      n = psimp_bpmn_node_new (g, K_GATEWAY, x, NULL);
      n->gw = name;
    }
  else if (psimp_bpmn_is_event (name))
    {
      im->stats.events++;
      xmlNode *def = NULL;
      const char *kind = event_kind (x, &def);
      if (strcmp (name, "startEvent") == 0)
        {
          n = psimp_bpmn_node_new (g, top ? K_START : K_PASS, x, NULL);
          if (strcmp (kind, "none") != 0 && strcmp (kind, "message") != 0)
            warn_at (im, n->line, psim_gettext (im->lang, "start event '%s': its %s trigger is not represented"),
                     n->bpmn_id, kind);
        }
      else if (strcmp (name, "endEvent") == 0)
        {
          n = psimp_bpmn_node_new (g, top ? K_END : K_PASS, x, NULL);
          if (!top)
            {
              psimp_bpmn_edge_add (n, exit)->completion = TRUE;
              n->completion = TRUE;
            }
          if (strcmp (kind, "none") != 0 && strcmp (kind, "message") != 0)
            warn_at (im, n->line, psim_gettext (im->lang, "end event '%s': its %s result is not represented"),
                     n->bpmn_id, kind);
        }
      else if (strcmp (name, "boundaryEvent") == 0)
        {
          n = psimp_bpmn_node_new (g, K_PASS, x, NULL);
          g_ptr_array_add (g->boundaries, n);
        }
      else if (strcmp (kind, "timer") == 0 || strcmp (kind, "message") == 0)
        {
          n = psimp_bpmn_node_new (g, K_STEP, x, NULL);
          n->channel = "inter-agency";
          n->wait = TRUE;
          if (strcmp (kind, "timer") == 0)
            {
              xmlNode *d = psimp_bpmn_child (def, "timeDuration");
              g_autofree char *t = d != NULL ? psimp_bpmn_text_of (d) : NULL;
              double v;
              if (t != NULL && parse_iso_duration (t, &n->dur_unit, &v))
                {
                  n->has_dur = TRUE;
                  n->dmin = n->dlikely = n->dmax = v;
                }
              else
                warn_at (im, n->line, psim_gettext (im->lang, "timer event '%s': only a duration (timeDuration, ISO 8601) "
                                        "becomes a waiting time; this timer has none"), n->bpmn_id);
            }
          apply_sim (im, n);
        }
      else if (strcmp (kind, "link") == 0)
        {
          n = psimp_bpmn_node_new (g, K_PASS, x, NULL);
          g_autofree char *ln = psimp_bpmn_get (def, "name");
          n->link = g_strdup (ln != NULL ? ln : n->name);
          n->catch_link = strcmp (name, "intermediateCatchEvent") == 0;
        }
      else
        {
          n = psimp_bpmn_node_new (g, K_PASS, x, NULL);
          if (strcmp (kind, "none") != 0)
            warn_at (im, n->line, psim_gettext (im->lang, "%s '%s': the %s event is not represented; the flow passes "
                                    "through"), name, n->bpmn_id, kind);
        }
    }
  else if (strcmp (name, "sequenceFlow") == 0)
    {
      im->stats.flows++;
      g_ptr_array_add (g->flows, x);
      return;
    }
  else
    return;
  n->top = top;
  if (n->kind == K_STEP)
    n->actor = actor_for (im, g, n->bpmn_id);
}

/* The flow nodes of @scope (a process, or a sub-process whose entry and
 * exit nodes are @entry and @exit). */
void
psimp_bpmn_build_scope (Import *im, Graph *g, xmlNode *scope, gboolean top, Node *entry, Node *exit)
{
  guint first = g->nodes->len;
  for (xmlNode *c = scope->children; c != NULL; c = c->next)
    if (psimp_bpmn_in_ns (c, BPMN_NS))
      build_flow_node (im, g, c, top, exit);
  if (entry == NULL)
    return;
  /* Into the sub-process: its start events, else (implicitly) every node
   * without incoming flow, found once the flows are in (see connect). */
  guint last = g->nodes->len;
  for (guint i = first; i < last; i++)
    {
      Node *n = g_ptr_array_index (g->nodes, i);
      if (n->x != NULL && n->x->parent == scope && strcmp (n->elem, "startEvent") == 0)
        {
          Edge *e = psimp_bpmn_edge_add (entry, n);
          e->label = g_strdup (n->name != NULL ? n->name : n->bpmn_id);
        }
    }
  if (entry->out->len > 1)
    {
      /* As for a process: one start event or another, not all at once. */
      warn_at (im, entry->line, psim_gettext (im->lang, "sub-process '%s' has %u start events: it begins with a choice "
                                  "between them"), entry->bpmn_id, entry->out->len);
      for (guint i = 0; i < entry->out->len; i++)
        ((Edge *) g_ptr_array_index (entry->out, i))->conditional = TRUE;
    }
  if (entry->out->len == 0)
    for (guint i = first; i < last; i++)
      {
        Node *n = g_ptr_array_index (g->nodes, i);
        if (n->x != NULL && n->x->parent == scope)
          n->index = 1; /* a candidate, see connect() */
      }
  g_hash_table_insert (g->by_bpmn, g_strconcat ("\x02", entry->bpmn_id, NULL), entry);
}

/* ---- reading the whole file --------------------------------------------------- */

void
psimp_bpmn_read_lanes (Import *im, xmlNode *lane_set)
{
  for (xmlNode *l = lane_set->children; l != NULL; l = l->next)
    {
      if (!psimp_bpmn_is (l, "lane"))
        continue;
      im->stats.lanes++;
      g_autofree char *bid = psimp_bpmn_get (l, "id");
      xmlNode *ext = psimp_bpmn_ext_of (l, "lane");
      g_autofree char *declared = ext != NULL ? psimp_bpmn_get (ext, "actor") : NULL;
      const char *actor = declared;
      Decl *d = declared != NULL ? g_hash_table_lookup (im->actor_ids, declared) : NULL;
      if (d == NULL)
        {
          d = g_new0 (Decl, 1);
          d->id = psimp_bpmn_unique_id (im->actor_ids, declared != NULL ? declared : bid);
          d->name = psimp_bpmn_get (l, "name");
          d->line = psimp_bpmn_line_of (l);
          g_ptr_array_add (im->actors, d);
          g_hash_table_replace (im->actor_ids, g_strdup (d->id), d);
        }
      actor = d->id;
      for (xmlNode *r = l->children; r != NULL; r = r->next)
        if (psimp_bpmn_is (r, "flowNodeRef"))
          {
            g_autofree char *t = psimp_bpmn_text_of (r);
            g_autofree char *id = psimp_bpmn_ref_id (t);
            if (id != NULL)
              g_hash_table_replace (im->actor_of, g_steal_pointer (&id), (gpointer) actor);
          }
      /* Nested lanes: the innermost wins, so read them after. */
      xmlNode *childset = psimp_bpmn_child (l, "childLaneSet");
      if (childset != NULL)
        psimp_bpmn_read_lanes (im, childset);
    }
}

Decl *
psimp_bpmn_actor_decl (Import *im, const char *want, const char *name, guint line)
{
  Decl *d = g_new0 (Decl, 1);
  d->id = psimp_bpmn_unique_id (im->actor_ids, want);
  d->name = g_strdup (name);
  d->line = line;
  g_ptr_array_add (im->actors, d);
  g_hash_table_replace (im->actor_ids, g_strdup (d->id), d);
  return d;
}

void
psimp_bpmn_read_documents (Import *im, xmlNode *scope)
{
  for (xmlNode *c = scope->children; c != NULL; c = c->next)
    {
      if (!psimp_bpmn_in_ns (c, BPMN_NS))
        continue;
      if (psimp_bpmn_is_subprocess ((const char *) c->name))
        psimp_bpmn_read_documents (im, c);
      gboolean object = psimp_bpmn_is (c, "dataObject") || psimp_bpmn_is (c, "dataStore");
      gboolean reference = psimp_bpmn_is (c, "dataObjectReference") || psimp_bpmn_is (c, "dataStoreReference");
      if (!object && !reference)
        continue;
      g_autofree char *id = psimp_bpmn_get (c, "id");
      if (id == NULL)
        continue;
      /* A reference names the document of its object when there is one. */
      g_autofree char *target = reference ? psimp_bpmn_get_ref (c, psimp_bpmn_is (c, "dataObjectReference")
                                                          ? "dataObjectRef" : "dataStoreRef")
                                          : NULL;
      const char *doc = target != NULL ? g_hash_table_lookup (im->document_of, target) : NULL;
      if (doc == NULL)
        {
          Decl *d = g_new0 (Decl, 1);
          d->id = psimp_bpmn_unique_id (im->document_ids, id);
          d->name = psimp_bpmn_get (c, "name");
          d->line = psimp_bpmn_line_of (c);
          g_ptr_array_add (im->documents, d);
          doc = d->id;
          if (target != NULL)
            g_hash_table_replace (im->document_of, g_strdup (target), (gpointer) doc);
        }
      g_hash_table_replace (im->document_of, g_steal_pointer (&id), (gpointer) doc);
    }
}

void
psimp_bpmn_read_bpsim (Import *im, xmlNode *root)
{
  /* BPSimData sits in the extension elements of a relationship (or, for
   * some tools, of the definitions or a process): look everywhere. */
  xmlNode *data = NULL;
  for (xmlNode *x = root; x != NULL && data == NULL;)
    {
      if (psimp_bpmn_is_sim (x, "BPSimData"))
        {
          data = x;
          break;
        }
      if (x->children != NULL && x->type == XML_ELEMENT_NODE)
        x = x->children;
      else
        {
          while (x != NULL && x->next == NULL && x != root)
            x = x->parent;
          if (x == NULL || x == root)
            break;
          x = x->next;
        }
    }
  if (data == NULL)
    return;
  xmlNode *scenario = NULL;
  for (xmlNode *c = data->children; c != NULL; c = c->next)
    if (psimp_bpmn_is_sim (c, "Scenario"))
      {
        if (scenario == NULL)
          scenario = c;
        else
          {
            g_autofree char *id = psimp_bpmn_get (c, "id");
            warn_at (im, psimp_bpmn_line_of (c), psim_gettext (im->lang, "BPSim scenario '%s' is ignored: only the first scenario "
                                        "is imported"), id != NULL ? id : "?");
          }
      }
  if (scenario == NULL)
    return;
  for (xmlNode *c = scenario->children; c != NULL; c = c->next)
    {
      if (psimp_bpmn_is_sim (c, "ScenarioParameters"))
        {
          g_autofree char *u = psimp_bpmn_get (c, "baseTimeUnit");
          static const char *const units[] = { "ms", "s", "min", "hour", "day", "year", NULL };
          for (guint i = 0; u != NULL && units[i] != NULL; i++)
            if (strcmp (u, units[i]) == 0)
              im->base_time_unit = units[i];
        }
      else if (psimp_bpmn_is_sim (c, "ElementParameters"))
        {
          g_autofree char *ref = psimp_bpmn_get_ref (c, "elementRef");
          if (ref != NULL)
            g_hash_table_replace (im->sim, g_steal_pointer (&ref), c);
        }
    }
}

/* Elements a flow, a lane, a participant or a data association refers to. */
static gboolean
referable (const xmlNode *x)
{
  const char *n = (const char *) x->name;
  return psimp_bpmn_is_task (n) || is_gateway (n) || psimp_bpmn_is_event (n) || psimp_bpmn_is_subprocess (n)
         || strcmp (n, "sequenceFlow") == 0 || strcmp (n, "process") == 0
         || strcmp (n, "participant") == 0 || strcmp (n, "lane") == 0
         || g_str_has_prefix (n, "data") || strcmp (n, "definitions") == 0;
}

/* Indexes every id of the BPMN namespace; a duplicate is an error, since
 * references would be ambiguous. */
void
psimp_bpmn_index_ids (Import *im, xmlNode *x)
{
  for (xmlNode *c = x; c != NULL; c = c->next)
    {
      if (c->type != XML_ELEMENT_NODE)
        continue;
      if (psimp_bpmn_in_ns (c, BPMN_NS))
        {
          g_autofree char *id = psimp_bpmn_get (c, "id");
          if (id != NULL)
            {
              xmlNode *first = g_hash_table_lookup (im->by_id, id);
              if (first != NULL)
                /* Ambiguous where a flow or a lane could point to it; only
                 * odd on, say, two event definitions no one refers to. */
                psimp_bpmn_diag (im, referable (c) || referable (first) ? PSIM_SEVERITY_ERROR : PSIM_SEVERITY_WARNING,
                      psimp_bpmn_line_of (c), psim_gettext (im->lang, "<%s>: duplicate id '%s' (first used at line %u)"),
                      (const char *) c->name, id, psimp_bpmn_line_of (first));
              else
                g_hash_table_insert (im->by_id, g_steal_pointer (&id), c);
            }
        }
      if (c->children != NULL)
        psimp_bpmn_index_ids (im, c->children);
    }
}
