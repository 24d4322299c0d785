/* psim-bpmn-import.c — BPMN 2.0 → procsim procedure file → the loader.
 *
 * The pipeline: parse the BPMN file with libxml2 under the loader's rules
 * (size cap, network off, no entity substitution, no DTD loading, a DOCTYPE
 * refused from the SAX callback that sees it), into a tree; read each
 * process (and each sub-process, flattened into it) into a small graph of
 * its own; normalise that graph into procsim's vocabulary (gateways into
 * choices, splits and joins, pass-through events bypassed, one start, the
 * parallel sections paired by post-dominance); write the procedure file,
 * remembering for each line written the BPMN line it came from; load it
 * with the normal loader, whose findings are moved back onto the BPMN
 * lines. So an imported model is always a real procedure, and every
 * finding names the BPMN file and line. What procsim cannot represent is a
 * warning naming the element. docs/bpmn.md has the mapping.
 *
 * Elements of PSIM_BPMN_NS (written by psim-bpmn-export.c) carry procsim's
 * own facts; they are copied into the procedure file as they are, so that
 * a round trip loses nothing, and checked by the loader like any file.
 */
#include "psim-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "procsim/psim-bpmn.h"

#define BPMN_NS "http://www.omg.org/spec/BPMN/20100524/MODEL"
#define BPSIM1_NS "http://www.bpsim.org/schemas/1.0"
#define BPSIM2_NS "http://www.bpsim.org/schemas/2.0"
#define MAX_DIAGNOSTICS 1000
/* Ids of the procsim format: [A-Za-z_][A-Za-z0-9_.-]*, at most 128. */
#define MAX_ID 128

G_DEFINE_QUARK (psim-bpmn-error-quark, psim_bpmn_error)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlParserCtxt, xmlFreeParserCtxt)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)

/* ---- the graph of one process ---------------------------------------------- */

typedef enum {
  K_START,
  K_END,
  K_STEP,
  K_CHOICE,
  K_SPLIT,
  K_JOIN,
  K_PASS,    /* bypassed before writing: merges, events without a mapping */
  K_GATEWAY, /* decided once its flows are known */
} Kind;

typedef struct _Node Node;

typedef struct {
  Node *to;
  char *label;      /* flow name, or its condition as text */
  double p;         /* BPSim probability */
  gboolean has_p;
  gboolean conditional;
  gboolean is_default;
  gboolean completion; /* goes on after a sub-process ended: an implicit join */
  xmlNode *x;          /* the sequence flow, NULL when made here */
} Edge;

struct _Node {
  Kind kind;
  char *id;
  const char *elem; /* BPMN local name ("userTask"); NULL when made here */
  char *bpmn_id;
  guint line;
  xmlNode *x;
  char *name;
  char *note;
  const char *actor;
  const char *channel;
  gboolean wait; /* not an applicant interaction */
  const char *gw; /* K_GATEWAY: its BPMN kind */
  GPtrArray *out; /* Edge* */
  guint n_in;
  Node *join;
  gboolean completion;
  gboolean dead;
  gboolean top;       /* directly in the process, not in a sub-process */
  gboolean catch_link;
  char *link; /* link event name */
  /* durations: from a timer or BPSim */
  gboolean has_dur;
  const char *dur_unit;
  double dmin, dlikely, dmax;
  gboolean has_cost;
  double cost;
  GPtrArray *inputs, *outputs; /* document ids (borrowed) */
  xmlNode *ext; /* psim:node or psim:step */
  guint index; /* scratch: position in the graph */
};

typedef struct _Import Import;

typedef struct {
  Import *im;
  char *id;
  char *title;
  char *doc;
  guint line;
  xmlNode *x;
  xmlNode *ext; /* psim:variant */
  const char *actor; /* default actor: the pool's, or the process's */
  GPtrArray *nodes;     /* Node* */
  GHashTable *by_bpmn;  /* BPMN id → Node* */
  GHashTable *ids;      /* procsim node ids in use */
  GPtrArray *flows;     /* xmlNode* sequence flows, all scopes */
  GPtrArray *boundaries; /* Node*: boundary events */
} Graph;

typedef struct {
  char *id;
  char *name;
  guint line;
} Decl;

struct _Import {
  const char *file;
  const char *lang; /* of the findings */
  GPtrArray *diags;
  gboolean truncated;
  gboolean doctype;
  xmlDoc *doc;
  GHashTable *by_id;        /* BPMN id → xmlNode* */
  GPtrArray *actors;        /* Decl* */
  GHashTable *actor_ids;    /* procsim actor id → Decl* */
  GHashTable *actor_of;     /* BPMN flow node id → actor id (lanes) */
  GPtrArray *documents;     /* Decl* */
  GHashTable *document_ids;
  GHashTable *document_of;  /* BPMN data element id → document id */
  GPtrArray *graphs;        /* Graph* */
  GHashTable *variant_ids;
  GHashTable *pool_of;      /* process id → participant xmlNode* */
  GHashTable *sim;          /* BPMN id → xmlNode* ElementParameters */
  const char *base_time_unit;
  xmlNode *ext_procedure;   /* psim:procedure */
  PsimBpmnStats stats;
};

/* ---- diagnostics ------------------------------------------------------------ */

static void G_GNUC_PRINTF (4, 5)
diag (Import *im, PsimSeverity sev, guint line, const char *format, ...)
{
  if (im->diags->len >= MAX_DIAGNOSTICS)
    {
      if (!im->truncated)
        psim_diag_add (im->diags, PSIM_SEVERITY_ERROR, im->file, 0,
                       psim_gettext (im->lang, "too many errors; stopped after %d"), MAX_DIAGNOSTICS);
      im->truncated = TRUE;
      return;
    }
  va_list ap;
  va_start (ap, format);
  g_autofree char *msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  psim_diag_add (im->diags, sev, im->file, line, "%s", msg);
}

#define error_at(im, line, ...) diag (im, PSIM_SEVERITY_ERROR, line, __VA_ARGS__)
#define warn_at(im, line, ...) diag (im, PSIM_SEVERITY_WARNING, line, __VA_ARGS__)

/* ---- tree helpers ----------------------------------------------------------- */

static gboolean
in_ns (const xmlNode *x, const char *ns)
{
  return x != NULL && x->type == XML_ELEMENT_NODE && x->ns != NULL && x->ns->href != NULL
         && strcmp ((const char *) x->ns->href, ns) == 0;
}

static gboolean
is (const xmlNode *x, const char *name)
{
  return in_ns (x, BPMN_NS) && strcmp ((const char *) x->name, name) == 0;
}

static gboolean
is_sim (const xmlNode *x, const char *name)
{
  return (in_ns (x, BPSIM1_NS) || in_ns (x, BPSIM2_NS))
         && strcmp ((const char *) x->name, name) == 0;
}

static gboolean
is_psim (const xmlNode *x, const char *name)
{
  return in_ns (x, PSIM_BPMN_NS) && (name == NULL || strcmp ((const char *) x->name, name) == 0);
}

static guint
line_of (const xmlNode *x)
{
  long l = x != NULL ? xmlGetLineNo (x) : 0;
  return l > 0 ? (guint) l : 0;
}

/* @s, or NULL (and @s freed) when it is empty. */
static char *
null_if_empty (char *s)
{
  if (*s != '\0')
    return s;
  g_free (s);
  return NULL;
}

/* An attribute without namespace, trimmed; NULL when absent or blank.
 * (transfer full) */
static char *
get (const xmlNode *x, const char *name)
{
  xmlChar *v = xmlGetNoNsProp (x, BAD_CAST name);
  if (v == NULL)
    return NULL;
  char *s = g_strstrip (g_strdup ((const char *) v));
  xmlFree (v);
  return null_if_empty (s);
}

/* The text of @x with white space collapsed; NULL when empty. */
static char *
text_of (const xmlNode *x)
{
  xmlChar *v = xmlNodeGetContent (x);
  if (v == NULL)
    return NULL;
  char *s = psim_collapse_space ((const char *) v);
  xmlFree (v);
  return null_if_empty (s);
}

/* A QName reference ("tns:Task_1") as the id it names ("Task_1"). */
static char *
ref_id (const char *qname)
{
  if (qname == NULL)
    return NULL;
  const char *colon = strrchr (qname, ':');
  return g_strdup (colon != NULL ? colon + 1 : qname);
}

static char *
get_ref (const xmlNode *x, const char *name)
{
  g_autofree char *v = get (x, name);
  return ref_id (v);
}

/* The first child element of @x that is BPMN @name. */
static xmlNode *
child (const xmlNode *x, const char *name)
{
  for (xmlNode *c = x->children; c != NULL; c = c->next)
    if (is (c, name))
      return c;
  return NULL;
}

/* The procsim extension element @name under @x's extensionElements. */
static xmlNode *
ext_of (const xmlNode *x, const char *name)
{
  xmlNode *ee = child (x, "extensionElements");
  for (xmlNode *c = ee != NULL ? ee->children : NULL; c != NULL; c = c->next)
    if (is_psim (c, name))
      return c;
  return NULL;
}

/* The documentation of @x, all of it. (transfer full) (nullable) */
static char *
documentation (const xmlNode *x)
{
  g_autoptr (GString) s = g_string_new (NULL);
  for (xmlNode *c = x->children; c != NULL; c = c->next)
    if (is (c, "documentation"))
      {
        g_autofree char *t = text_of (c);
        if (t != NULL)
          g_string_append_printf (s, "%s%s", s->len > 0 ? " " : "", t);
      }
  return s->len > 0 ? g_strdup (s->str) : NULL;
}

/* ---- ids ------------------------------------------------------------------- */

/* @want as a procsim id not yet in @used, which it is added to. */
static char *
unique_id (GHashTable *used, const char *want)
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

static void
edge_free (Edge *e)
{
  g_free (e->label);
  g_free (e);
}

static void
node_free (Node *n)
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

static void
graph_free (Graph *g)
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

static void
decl_free (Decl *d)
{
  g_free (d->id);
  g_free (d->name);
  g_free (d);
}

static Node *
node_new (Graph *g, Kind kind, xmlNode *x, const char *want_id)
{
  Node *n = g_new0 (Node, 1);
  n->kind = kind;
  n->x = x;
  n->out = g_ptr_array_new_with_free_func ((GDestroyNotify) edge_free);
  if (x != NULL)
    {
      n->elem = (const char *) x->name;
      n->bpmn_id = get (x, "id");
      n->line = line_of (x);
      n->name = get (x, "name");
      n->note = documentation (x);
      n->ext = ext_of (x, NULL);
    }
  g_autofree char *ext_id = n->ext != NULL ? get (n->ext, "id") : NULL;
  n->id = unique_id (g->ids, ext_id != NULL ? ext_id : want_id != NULL ? want_id : n->bpmn_id);
  if (ext_id == NULL && want_id == NULL && n->bpmn_id != NULL && strcmp (n->id, n->bpmn_id) != 0)
    warn_at (g->im, n->line, psim_gettext (g->im->lang, "%s '%s' is '%s' in procsim: ids are at most 128 letters, digits, "
                               "'_', '-' and '.'"), n->elem, n->bpmn_id, n->id);
  g_ptr_array_add (g->nodes, n);
  if (n->bpmn_id != NULL && !g_hash_table_contains (g->by_bpmn, n->bpmn_id))
    g_hash_table_insert (g->by_bpmn, g_strdup (n->bpmn_id), n);
  return n;
}

static Edge *
edge_add (Node *from, Node *to)
{
  Edge *e = g_new0 (Edge, 1);
  e->to = to;
  g_ptr_array_add (from->out, e);
  return e;
}

static gboolean
is_task (const char *name)
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

static gboolean
is_event (const char *name)
{
  static const char *const evs[] = {
    "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent",
    "boundaryEvent", "implicitThrowEvent", NULL,
  };
  return g_strv_contains (evs, name);
}

static gboolean
is_subprocess (const char *name)
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
      if (!in_ns (c, BPMN_NS) || !g_str_has_suffix ((const char *) c->name, "EventDefinition"))
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
    if (is (c, "eventDefinitionRef"))
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
      gboolean input = is (c, "dataInputAssociation");
      if (!input && !is (c, "dataOutputAssociation"))
        continue;
      for (xmlNode *r = c->children; r != NULL; r = r->next)
        {
          if (!is (r, input ? "sourceRef" : "targetRef"))
            continue;
          g_autofree char *t = text_of (r);
          g_autofree char *id = ref_id (t);
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
static gboolean
sim_value (Import *im, const xmlNode *param, double *min, double *likely, double *max,
           const char **unit)
{
  for (xmlNode *c = param->children; c != NULL; c = c->next)
    {
      if (!in_ns (c, BPSIM1_NS) && !in_ns (c, BPSIM2_NS))
        continue;
      const char *k = (const char *) c->name;
      g_autofree char *value = get (c, "value");
      g_autofree char *mean = get (c, "mean");
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
          g_autofree char *a = get (c, "min");
          g_autofree char *m = get (c, "mode");
          g_autofree char *b = get (c, "max");
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
          warn_at (im, line_of (c), psim_gettext (im->lang, "BPSim %s: only its mean (%s) is kept"), k, mean);
          *min = *likely = *max = v;
          return TRUE;
        }
      warn_at (im, line_of (c), psim_gettext (im->lang, "BPSim %s is not supported; the parameter is ignored"), k);
      return FALSE;
    }
  return FALSE;
}

/* The BPSim parameter @group/@name of BPMN element @bpmn_id. */
static xmlNode *
sim_param (Import *im, const char *bpmn_id, const char *group, const char *name)
{
  xmlNode *ep = bpmn_id != NULL ? g_hash_table_lookup (im->sim, bpmn_id) : NULL;
  for (xmlNode *gr = ep != NULL ? ep->children : NULL; gr != NULL; gr = gr->next)
    if (is_sim (gr, group))
      for (xmlNode *p = gr->children; p != NULL; p = p->next)
        if (is_sim (p, name))
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
  xmlNode *p = sim_param (im, n->bpmn_id, "TimeParameters", "ProcessingTime");
  double a, b, c;
  const char *unit = NULL;
  if (p != NULL && sim_value (im, p, &a, &b, &c, &unit))
    {
      double k = unit != NULL ? 1 : sim_scale (im);
      n->has_dur = a >= 0 && a <= b && b <= c;
      if (!n->has_dur)
        warn_at (im, line_of (p), psim_gettext (im->lang, "BPSim processing time of '%s' is not min <= likely <= max; ignored"),
                 n->bpmn_id);
      n->dur_unit = unit != NULL ? unit : sim_unit (im);
      n->dmin = a * k, n->dlikely = b * k, n->dmax = c * k;
    }
  static const char *const costs[] = { "FixedCost", "UnitCost", NULL };
  for (guint i = 0; costs[i] != NULL; i++)
    {
      p = sim_param (im, n->bpmn_id, "CostParameters", costs[i]);
      if (p != NULL && sim_value (im, p, &a, &b, &c, &unit) && b >= 0)
        {
          n->has_cost = TRUE;
          n->cost += b;
        }
    }
  if (sim_param (im, n->bpmn_id, "ResourceParameters", "Quantity") != NULL)
    warn_at (im, n->line, psim_gettext (im->lang, "BPSim resource quantity of '%s' is not represented"), n->bpmn_id);
}

static void build_scope (Import *im, Graph *g, xmlNode *scope, gboolean top, Node *entry,
                         Node *exit);

/* Counts what @scope holds without mapping it (an event sub-process). */
static void
count_scope (Import *im, xmlNode *scope)
{
  for (xmlNode *c = scope->children; c != NULL; c = c->next)
    {
      if (!in_ns (c, BPMN_NS))
        continue;
      const char *name = (const char *) c->name;
      im->stats.tasks += is_task (name);
      im->stats.gateways += is_gateway (name);
      im->stats.events += is_event (name);
      im->stats.flows += strcmp (name, "sequenceFlow") == 0;
      if (is_subprocess (name))
        count_scope (im, c);
    }
}

/* A flow node @x of @scope. */
static void
build_flow_node (Import *im, Graph *g, xmlNode *x, gboolean top, Node *exit)
{
  const char *name = (const char *) x->name;
  Node *n = NULL;
  if (is_task (name))
    {
      im->stats.tasks++;
      n = node_new (g, K_STEP, x, NULL);
      n->channel = task_channel (name);
      data_associations (im, n, x);
      apply_sim (im, n);
      if (strcmp (name, "callActivity") == 0 && n->name == NULL)
        n->name = get_ref (x, "calledElement");
      if (child (x, "standardLoopCharacteristics") != NULL
          || child (x, "multiInstanceLoopCharacteristics") != NULL)
        warn_at (im, n->line, psim_gettext (im->lang, "%s '%s': loop and multi-instance markers are not represented; "
                                "the step is taken once"), name, n->bpmn_id);
    }
  else if (is_subprocess (name))
    {
      g_autofree char *event = get (x, "triggeredByEvent");
      if (g_strcmp0 (event, "true") == 0)
        {
          g_autofree char *id = get (x, "id");
          warn_at (im, line_of (x), psim_gettext (im->lang, "event sub-process '%s' is not represented: nothing in "
                                      "the flow leads to it"), id != NULL ? id : "?");
          count_scope (im, x);
          return;
        }
      gboolean has_nodes = FALSE;
      for (xmlNode *c = x->children; c != NULL && !has_nodes; c = c->next)
        has_nodes = in_ns (c, BPMN_NS)
                    && (is_task ((const char *) c->name) || is_event ((const char *) c->name)
                        || is_gateway ((const char *) c->name) || is_subprocess ((const char *) c->name));
      if (!has_nodes)
        {
          /* A collapsed sub-process drawn without content: one step. */
          n = node_new (g, K_STEP, x, NULL);
          n->channel = "in-person";
          data_associations (im, n, x);
          apply_sim (im, n);
        }
      else
        {
          Node *in = node_new (g, K_PASS, x, NULL);
          g_autofree char *exit_id = g_strconcat (in->id, "-done", NULL);
          Node *out = node_new (g, K_PASS, NULL, exit_id);
          out->line = in->line;
          /* Flows leaving the sub-process leave from its exit. */
          g_hash_table_insert (g->by_bpmn, g_strconcat ("\x01", in->bpmn_id, NULL), out);
          build_scope (im, g, x, FALSE, in, out);
          n = in;
        }
      if (child (x, "standardLoopCharacteristics") != NULL
          || child (x, "multiInstanceLoopCharacteristics") != NULL)
        warn_at (im, n->line, psim_gettext (im->lang, "%s '%s': loop and multi-instance markers are not represented; "
                                "the step is taken once"), name, n->bpmn_id);
    }
  else if (is_gateway (name))
    {
      im->stats.gateways++;
      n = node_new (g, K_GATEWAY, x, NULL);
      n->gw = name;
    }
  else if (is_event (name))
    {
      im->stats.events++;
      xmlNode *def = NULL;
      const char *kind = event_kind (x, &def);
      if (strcmp (name, "startEvent") == 0)
        {
          n = node_new (g, top ? K_START : K_PASS, x, NULL);
          if (strcmp (kind, "none") != 0 && strcmp (kind, "message") != 0)
            warn_at (im, n->line, psim_gettext (im->lang, "start event '%s': its %s trigger is not represented"),
                     n->bpmn_id, kind);
        }
      else if (strcmp (name, "endEvent") == 0)
        {
          n = node_new (g, top ? K_END : K_PASS, x, NULL);
          if (!top)
            {
              edge_add (n, exit)->completion = TRUE;
              n->completion = TRUE;
            }
          if (strcmp (kind, "none") != 0 && strcmp (kind, "message") != 0)
            warn_at (im, n->line, psim_gettext (im->lang, "end event '%s': its %s result is not represented"),
                     n->bpmn_id, kind);
        }
      else if (strcmp (name, "boundaryEvent") == 0)
        {
          n = node_new (g, K_PASS, x, NULL);
          g_ptr_array_add (g->boundaries, n);
        }
      else if (strcmp (kind, "timer") == 0 || strcmp (kind, "message") == 0)
        {
          n = node_new (g, K_STEP, x, NULL);
          n->channel = "inter-agency";
          n->wait = TRUE;
          if (strcmp (kind, "timer") == 0)
            {
              xmlNode *d = child (def, "timeDuration");
              g_autofree char *t = d != NULL ? text_of (d) : NULL;
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
          n = node_new (g, K_PASS, x, NULL);
          g_autofree char *ln = get (def, "name");
          n->link = g_strdup (ln != NULL ? ln : n->name);
          n->catch_link = strcmp (name, "intermediateCatchEvent") == 0;
        }
      else
        {
          n = node_new (g, K_PASS, x, NULL);
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
static void
build_scope (Import *im, Graph *g, xmlNode *scope, gboolean top, Node *entry, Node *exit)
{
  guint first = g->nodes->len;
  for (xmlNode *c = scope->children; c != NULL; c = c->next)
    if (in_ns (c, BPMN_NS))
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
          Edge *e = edge_add (entry, n);
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

static void
read_lanes (Import *im, xmlNode *lane_set)
{
  for (xmlNode *l = lane_set->children; l != NULL; l = l->next)
    {
      if (!is (l, "lane"))
        continue;
      im->stats.lanes++;
      g_autofree char *bid = get (l, "id");
      xmlNode *ext = ext_of (l, "lane");
      g_autofree char *declared = ext != NULL ? get (ext, "actor") : NULL;
      const char *actor = declared;
      Decl *d = declared != NULL ? g_hash_table_lookup (im->actor_ids, declared) : NULL;
      if (d == NULL)
        {
          d = g_new0 (Decl, 1);
          d->id = unique_id (im->actor_ids, declared != NULL ? declared : bid);
          d->name = get (l, "name");
          d->line = line_of (l);
          g_ptr_array_add (im->actors, d);
          g_hash_table_replace (im->actor_ids, g_strdup (d->id), d);
        }
      actor = d->id;
      for (xmlNode *r = l->children; r != NULL; r = r->next)
        if (is (r, "flowNodeRef"))
          {
            g_autofree char *t = text_of (r);
            g_autofree char *id = ref_id (t);
            if (id != NULL)
              g_hash_table_replace (im->actor_of, g_steal_pointer (&id), (gpointer) actor);
          }
      /* Nested lanes: the innermost wins, so read them after. */
      xmlNode *childset = child (l, "childLaneSet");
      if (childset != NULL)
        read_lanes (im, childset);
    }
}

static Decl *
actor_decl (Import *im, const char *want, const char *name, guint line)
{
  Decl *d = g_new0 (Decl, 1);
  d->id = unique_id (im->actor_ids, want);
  d->name = g_strdup (name);
  d->line = line;
  g_ptr_array_add (im->actors, d);
  g_hash_table_replace (im->actor_ids, g_strdup (d->id), d);
  return d;
}

static void
read_documents (Import *im, xmlNode *scope)
{
  for (xmlNode *c = scope->children; c != NULL; c = c->next)
    {
      if (!in_ns (c, BPMN_NS))
        continue;
      if (is_subprocess ((const char *) c->name))
        read_documents (im, c);
      gboolean object = is (c, "dataObject") || is (c, "dataStore");
      gboolean reference = is (c, "dataObjectReference") || is (c, "dataStoreReference");
      if (!object && !reference)
        continue;
      g_autofree char *id = get (c, "id");
      if (id == NULL)
        continue;
      /* A reference names the document of its object when there is one. */
      g_autofree char *target = reference ? get_ref (c, is (c, "dataObjectReference")
                                                          ? "dataObjectRef" : "dataStoreRef")
                                          : NULL;
      const char *doc = target != NULL ? g_hash_table_lookup (im->document_of, target) : NULL;
      if (doc == NULL)
        {
          Decl *d = g_new0 (Decl, 1);
          d->id = unique_id (im->document_ids, id);
          d->name = get (c, "name");
          d->line = line_of (c);
          g_ptr_array_add (im->documents, d);
          doc = d->id;
          if (target != NULL)
            g_hash_table_replace (im->document_of, g_strdup (target), (gpointer) doc);
        }
      g_hash_table_replace (im->document_of, g_steal_pointer (&id), (gpointer) doc);
    }
}

static void
read_bpsim (Import *im, xmlNode *root)
{
  /* BPSimData sits in the extension elements of a relationship (or, for
   * some tools, of the definitions or a process): look everywhere. */
  xmlNode *data = NULL;
  for (xmlNode *x = root; x != NULL && data == NULL;)
    {
      if (is_sim (x, "BPSimData"))
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
    if (is_sim (c, "Scenario"))
      {
        if (scenario == NULL)
          scenario = c;
        else
          {
            g_autofree char *id = get (c, "id");
            warn_at (im, line_of (c), psim_gettext (im->lang, "BPSim scenario '%s' is ignored: only the first scenario "
                                        "is imported"), id != NULL ? id : "?");
          }
      }
  if (scenario == NULL)
    return;
  for (xmlNode *c = scenario->children; c != NULL; c = c->next)
    {
      if (is_sim (c, "ScenarioParameters"))
        {
          g_autofree char *u = get (c, "baseTimeUnit");
          static const char *const units[] = { "ms", "s", "min", "hour", "day", "year", NULL };
          for (guint i = 0; u != NULL && units[i] != NULL; i++)
            if (strcmp (u, units[i]) == 0)
              im->base_time_unit = units[i];
        }
      else if (is_sim (c, "ElementParameters"))
        {
          g_autofree char *ref = get_ref (c, "elementRef");
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
  return is_task (n) || is_gateway (n) || is_event (n) || is_subprocess (n)
         || strcmp (n, "sequenceFlow") == 0 || strcmp (n, "process") == 0
         || strcmp (n, "participant") == 0 || strcmp (n, "lane") == 0
         || g_str_has_prefix (n, "data") || strcmp (n, "definitions") == 0;
}

/* Indexes every id of the BPMN namespace; a duplicate is an error, since
 * references would be ambiguous. */
static void
index_ids (Import *im, xmlNode *x)
{
  for (xmlNode *c = x; c != NULL; c = c->next)
    {
      if (c->type != XML_ELEMENT_NODE)
        continue;
      if (in_ns (c, BPMN_NS))
        {
          g_autofree char *id = get (c, "id");
          if (id != NULL)
            {
              xmlNode *first = g_hash_table_lookup (im->by_id, id);
              if (first != NULL)
                /* Ambiguous where a flow or a lane could point to it; only
                 * odd on, say, two event definitions no one refers to. */
                diag (im, referable (c) || referable (first) ? PSIM_SEVERITY_ERROR : PSIM_SEVERITY_WARNING,
                      line_of (c), psim_gettext (im->lang, "<%s>: duplicate id '%s' (first used at line %u)"),
                      (const char *) c->name, id, line_of (first));
              else
                g_hash_table_insert (im->by_id, g_steal_pointer (&id), c);
            }
        }
      if (c->children != NULL)
        index_ids (im, c->children);
    }
}

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
static void
connect (Import *im, Graph *g)
{
  for (guint i = 0; i < g->flows->len; i++)
    {
      xmlNode *f = g_ptr_array_index (g->flows, i);
      g_autofree char *fid = get (f, "id");
      g_autofree char *src = get_ref (f, "sourceRef");
      g_autofree char *dst = get_ref (f, "targetRef");
      Node *from = flow_end (g, src, TRUE);
      Node *to = flow_end (g, dst, FALSE);
      if (from == NULL || to == NULL)
        {
          error_at (im, line_of (f), psim_gettext (im->lang, "sequence flow '%s': %s '%s' is not a flow node of process '%s'"),
                    fid != NULL ? fid : "?", from == NULL ? "sourceRef" : "targetRef",
                    from == NULL ? (src != NULL ? src : "") : (dst != NULL ? dst : ""), g->id);
          continue;
        }
      if (from->kind == K_END)
        {
          warn_at (im, line_of (f), psim_gettext (im->lang, "sequence flow '%s' leaves end event '%s'; ignored"), fid,
                   from->bpmn_id);
          continue;
        }
      Edge *e = edge_add (from, to);
      e->x = f;
      e->label = get (f, "name");
      xmlNode *cond = child (f, "conditionExpression");
      if (cond != NULL)
        {
          e->conditional = TRUE;
          g_autofree char *t = text_of (cond);
          if (e->label == NULL && t != NULL)
            e->label = g_steal_pointer (&t);
        }
      if (from->x != NULL && fid != NULL)
        {
          g_autofree char *def = get_ref (from->x, "default");
          e->is_default = g_strcmp0 (def, fid) == 0;
        }
      xmlNode *p = sim_param (im, fid, "ControlParameters", "Probability");
      double a, b, c;
      const char *unit;
      if (p != NULL && sim_value (im, p, &a, &b, &c, &unit))
        {
          e->has_p = b >= 0 && b <= 1;
          e->p = b;
        }
      xmlNode *ext = ext_of (f, "branch");
      if (ext != NULL)
        {
          g_autofree char *pr = get (ext, "probability");
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
      if (n->kind != K_PASS || n->x == NULL || !is_subprocess (n->elem) || n->out->len > 0)
        continue;
      for (guint j = 0; j < g->nodes->len; j++)
        {
          Node *m = g_ptr_array_index (g->nodes, j);
          if (m->index == 1 && m->x != NULL && m->x->parent == n->x && m->n_in == 0
              && (m->elem == NULL || strcmp (m->elem, "boundaryEvent") != 0) && !m->catch_link)
            edge_add (n, m);
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
      g_autofree char *parent = get (m->x->parent, "id");
      if (parent == NULL)
        continue;
      g_autofree char *key = g_strconcat ("\x01", parent, NULL);
      Node *exit = g_hash_table_lookup (g->by_bpmn, key);
      if (exit != NULL && exit != m)
        edge_add (m, exit)->completion = TRUE;
    }

  /* Boundary events: an alternative outcome of their activity. */
  for (guint i = 0; i < g->boundaries->len; i++)
    {
      Node *b = g_ptr_array_index (g->boundaries, i);
      g_autofree char *host_id = get_ref (b->x, "attachedToRef");
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
      g_autofree char *cancel = get (b->x, "cancelActivity");
      warn_at (im, b->line, g_strcmp0 (cancel, "false") == 0
                              ? psim_gettext (im->lang, "boundary event '%s' on '%s' becomes an alternative outcome of "
                                  "it (non-interrupting: the activity's own flow is not taken as well)")
                              : psim_gettext (im->lang, "boundary event '%s' on '%s' becomes an alternative outcome of it"),
               b->bpmn_id, host_id);
      Edge *e = edge_add (host, b);
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
        edge_add (t, target);
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
  Node *m = node_new (g, kind, NULL, want);
  m->line = n->line;
  /* Messages about it name the BPMN element it stands for. */
  m->x = n->x;
  m->elem = n->elem;
  m->bpmn_id = g_strdup (n->bpmn_id);
  g_ptr_array_extend_and_steal (m->out, g_steal_pointer (&n->out));
  n->out = g_ptr_array_new_with_free_func ((GDestroyNotify) edge_free);
  edge_add (n, m);
  return m;
}

/* Gateways into choices, splits and joins; activities with several
 * outgoing flows get the gateway BPMN implies. */
static void
decide_gateways (Import *im, Graph *g)
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
static gboolean
decide_start (Import *im, Graph *g)
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
      Node *s = node_new (g, K_START, NULL, "start");
      s->line = g->line;
      for (guint i = 0; i < starts->len; i++)
        edge_add (s, g_ptr_array_index (starts, i));
      return TRUE;
    }
  warn_at (im, g->line, psim_gettext (im->lang, "process '%s' has %u start events: it begins with a choice between "
                          "them"), g->id, starts->len);
  Node *s = node_new (g, K_START, NULL, "start");
  s->line = g->line;
  for (guint i = 0; i < starts->len; i++)
    {
      Node *n = g_ptr_array_index (starts, i);
      n->kind = K_PASS;
      Edge *e = edge_add (s, n);
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

static void
bypass (Import *im, Graph *g)
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

static Node *
start_of (Graph *g)
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
static void
prune (Import *im, Graph *g)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
  mark_reachable (start_of (g), seen);
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
              implicit_end = node_new (g, K_END, NULL, "end");
              implicit_end->line = n->line;
            }
          edge_add (n, implicit_end);
        }
    }
}

/* ---- parallel sections: each split's join is its immediate post-dominator */

typedef struct {
  guint n;        /* nodes + the virtual exit (index n - 1) */
  Node **nodes;
  guint *idom;    /* immediate post-dominator, G_MAXUINT when none */
} PostDom;

static void
postdom_free (PostDom *pd)
{
  g_free (pd->nodes);
  g_free (pd->idom);
}

/* Cooper, Harvey and Kennedy's iterative algorithm on the reversed graph. */
static void
postdom_compute (Graph *g, PostDom *pd)
{
  guint live = 0;
  for (guint i = 0; i < g->nodes->len; i++)
    live += !((Node *) g_ptr_array_index (g->nodes, i))->dead;
  pd->n = live + 1;
  pd->nodes = g_new0 (Node *, pd->n);
  pd->idom = g_new (guint, pd->n);
  guint k = 0;
  for (guint i = 0; i < g->nodes->len; i++)
    {
      Node *n = g_ptr_array_index (g->nodes, i);
      if (!n->dead)
        {
          n->index = k;
          pd->nodes[k++] = n;
        }
    }
  guint exit = pd->n - 1;
  /* Predecessors in the reversed graph are the successors. Postorder of
   * the reversed graph from the exit: iterative DFS over incoming edges. */
  g_autoptr (GPtrArray) preds = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  for (guint i = 0; i < pd->n; i++)
    g_ptr_array_add (preds, g_array_new (FALSE, FALSE, sizeof (guint)));
  for (guint i = 0; i < live; i++)
    {
      Node *n = pd->nodes[i];
      if (n->kind == K_END)
        g_array_append_val (g_ptr_array_index (preds, exit), i);
      for (guint j = 0; j < n->out->len; j++)
        {
          Node *t = ((Edge *) g_ptr_array_index (n->out, j))->to;
          if (!t->dead)
            g_array_append_val (g_ptr_array_index (preds, t->index), i);
        }
    }
  g_autofree guint *po = g_new (guint, pd->n); /* postorder number */
  g_autofree guint *order = g_new (guint, pd->n); /* nodes by postorder */
  g_autofree guint *pos = g_new0 (guint, pd->n);
  g_autofree gboolean *visited = g_new0 (gboolean, pd->n);
  g_autoptr (GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint));
  guint counter = 0;
  for (guint i = 0; i < pd->n; i++)
    po[i] = G_MAXUINT;
  g_array_append_val (stack, exit);
  visited[exit] = TRUE;
  while (stack->len > 0)
    {
      guint v = g_array_index (stack, guint, stack->len - 1);
      GArray *ps = g_ptr_array_index (preds, v);
      if (pos[v] < ps->len)
        {
          guint w = g_array_index (ps, guint, pos[v]++);
          if (!visited[w])
            {
              visited[w] = TRUE;
              g_array_append_val (stack, w);
            }
          continue;
        }
      po[v] = counter;
      order[counter++] = v;
      g_array_set_size (stack, stack->len - 1);
    }
  for (guint i = 0; i < pd->n; i++)
    pd->idom[i] = G_MAXUINT;
  pd->idom[exit] = exit;
  gboolean changed = TRUE;
  while (changed)
    {
      changed = FALSE;
      for (guint r = counter; r-- > 0;)
        {
          guint b = order[r];
          if (b == exit)
            continue;
          /* Successors in the original graph (the exit for an end). */
          Node *n = pd->nodes[b];
          guint new_idom = G_MAXUINT;
          guint n_succ = n->kind == K_END ? 1 : n->out->len;
          for (guint j = 0; j < n_succ; j++)
            {
              guint s;
              if (n->kind == K_END)
                s = exit;
              else
                {
                  Node *t = ((Edge *) g_ptr_array_index (n->out, j))->to;
                  if (t->dead)
                    continue;
                  s = t->index;
                }
              if (pd->idom[s] == G_MAXUINT)
                continue;
              if (new_idom == G_MAXUINT)
                new_idom = s;
              else
                {
                  guint a = s, c = new_idom;
                  while (a != c)
                    {
                      while (po[a] < po[c])
                        a = pd->idom[a];
                      while (po[c] < po[a])
                        c = pd->idom[c];
                    }
                  new_idom = a;
                }
            }
          if (new_idom != G_MAXUINT && pd->idom[b] != new_idom)
            {
              pd->idom[b] = new_idom;
              changed = TRUE;
            }
        }
    }
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
  Node *j = node_new (g, K_JOIN, NULL, want);
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
  edge_add (j, to_ends ? *first_end : target);
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

static gboolean
pair_splits (Import *im, Graph *g)
{
  g_autoptr (GPtrArray) splits = g_ptr_array_new ();
  g_autoptr (GHashTable) sizes = g_hash_table_new (NULL, NULL);
  PostDom pd = { 0 };
  postdom_compute (g, &pd);
  for (guint i = 0; i < g->nodes->len; i++)
    {
      Node *n = g_ptr_array_index (g->nodes, i);
      if (n->dead || n->kind != K_SPLIT)
        continue;
      guint p = pd.idom[n->index];
      Node *stop = p != G_MAXUINT && p != pd.n - 1 ? pd.nodes[p] : NULL;
      g_autoptr (GHashTable) reg = region (n, stop);
      g_hash_table_insert (sizes, n, GUINT_TO_POINTER (g_hash_table_size (reg)));
      g_ptr_array_add (splits, n);
    }
  postdom_free (&pd);
  /* Inner sections first. */
  g_ptr_array_sort_with_data (splits, by_region_size, sizes);
  gboolean ok = TRUE, merged = FALSE;
  for (guint i = 0; i < splits->len; i++)
    {
      Node *s = g_ptr_array_index (splits, i);
      PostDom d = { 0 };
      postdom_compute (g, &d);
      guint p = d.idom[s->index];
      Node *target = p != G_MAXUINT && p != d.n - 1 ? d.nodes[p] : NULL;
      gboolean to_exit = p == d.n - 1;
      postdom_free (&d);
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
    bypass (im, g);
  return ok;
}

/* ---- writing the procedure file ------------------------------------------------ */

typedef struct {
  GString *s;
  GArray *lines; /* generated line (1-based, index) → BPMN line */
  guint bpmn_line;
} Out;

static void
out_newline (Out *o)
{
  g_string_append_c (o->s, '\n');
  g_array_append_val (o->lines, o->bpmn_line);
}

static void G_GNUC_PRINTF (3, 4)
out_line (Out *o, guint bpmn_line, const char *format, ...)
{
  o->bpmn_line = bpmn_line;
  va_list ap;
  va_start (ap, format);
  g_string_append_vprintf (o->s, format, ap);
  va_end (ap);
  out_newline (o);
}

static void
out_text (Out *o, guint line, const char *elem, const char *text)
{
  g_autofree char *esc = g_markup_escape_text (text, -1);
  out_line (o, line, "<%s xml:lang=\"und\">%s</%s>", elem, esc, elem);
}

/* Copies a procsim element (of PSIM_BPMN_NS) and its children as the
 * procedure format's own. Text is collapsed on one line, so that the lines
 * of the copy map back one for one. */
static void
copy_psim (Out *o, const xmlNode *x, int depth)
{
  o->bpmn_line = line_of (x);
  g_string_append_printf (o->s, "<%s", (const char *) x->name);
  for (xmlAttr *a = x->properties; a != NULL; a = a->next)
    {
      gboolean xml_attr = a->ns != NULL && g_strcmp0 ((const char *) a->ns->prefix, "xml") == 0;
      if (a->ns != NULL && !xml_attr)
        continue;
      xmlChar *v = xmlNodeListGetString (x->doc, a->children, 1);
      g_autofree char *esc = g_markup_escape_text (v != NULL ? (const char *) v : "", -1);
      xmlFree (v);
      g_string_append_printf (o->s, " %s%s=\"%s\"", xml_attr ? "xml:" : "", (const char *) a->name, esc);
    }
  gboolean elements = FALSE;
  for (xmlNode *c = x->children; c != NULL; c = c->next)
    elements |= is_psim (c, NULL);
  if (!elements)
    {
      g_autofree char *t = text_of (x);
      if (t == NULL)
        g_string_append (o->s, "/>");
      else
        {
          g_autofree char *esc = g_markup_escape_text (t, -1);
          g_string_append_printf (o->s, ">%s</%s>", esc, (const char *) x->name);
        }
      out_newline (o);
      return;
    }
  g_string_append_c (o->s, '>');
  out_newline (o);
  for (xmlNode *c = x->children; c != NULL; c = c->next)
    if (is_psim (c, NULL) && depth < 16)
      copy_psim (o, c, depth + 1);
  out_line (o, line_of (x), "</%s>", (const char *) x->name);
}

static void
copy_psim_children (Out *o, const xmlNode *x, const char *const *names)
{
  for (xmlNode *c = x != NULL ? x->children : NULL; c != NULL; c = c->next)
    if (is_psim (c, NULL) && (names == NULL || g_strv_contains (names, (const char *) c->name)))
      copy_psim (o, c, 0);
}

static gboolean
has_psim_child (const xmlNode *x, const char *name)
{
  for (xmlNode *c = x != NULL ? x->children : NULL; c != NULL; c = c->next)
    if (is_psim (c, name))
      return TRUE;
  return FALSE;
}


static const char *
node_label (const Node *n)
{
  return n->name != NULL ? n->name : n->bpmn_id != NULL ? n->bpmn_id : n->id;
}

static void
write_step (Import *im, Out *o, Node *n)
{
  xmlNode *ext = n->ext != NULL && is_psim (n->ext, "step") ? n->ext : NULL;
  g_autoptr (GString) a = g_string_new (NULL);
  g_autofree char *actor = ext != NULL ? get (ext, "actor") : NULL;
  g_autofree char *channel = ext != NULL ? get (ext, "channel") : NULL;
  g_string_append_printf (a, "<step id=\"%s\" actor=\"%s\" channel=\"%s\"", n->id,
                          actor != NULL ? actor : n->actor, channel != NULL ? channel : n->channel);
  static const char *const attrs[] = { "with", "interaction", "visit", "replaces", NULL };
  for (guint i = 0; ext != NULL && attrs[i] != NULL; i++)
    {
      g_autofree char *v = get (ext, attrs[i]);
      if (v != NULL)
        {
          g_autofree char *esc = g_markup_escape_text (v, -1);
          g_string_append_printf (a, " %s=\"%s\"", attrs[i], esc);
        }
    }
  if (ext == NULL && n->wait)
    g_string_append (a, " interaction=\"false\"");
  g_string_append_printf (a, " next=\"%s\">", ((Edge *) g_ptr_array_index (n->out, 0))->to->id);
  out_line (o, n->line, "%s", a->str);
  if (ext != NULL && has_psim_child (ext, "name"))
    copy_psim_children (o, ext, NULL);
  else
    {
      out_text (o, n->line, "name", node_label (n));
      if (n->note != NULL)
        out_text (o, n->line, "note", n->note);
      for (guint i = 0; n->inputs != NULL && i < n->inputs->len; i++)
        out_line (o, n->line, "<input ref=\"%s\"/>", (const char *) g_ptr_array_index (n->inputs, i));
      for (guint i = 0; n->outputs != NULL && i < n->outputs->len; i++)
        out_line (o, n->line, "<output ref=\"%s\"/>", (const char *) g_ptr_array_index (n->outputs, i));
      if (n->has_dur)
        {
          g_autoptr (GString) d = g_string_new (NULL);
          g_string_append_printf (d, "<duration unit=\"%s\"", n->dur_unit);
          if (n->dmin == n->dmax)
            psimp_xml_append_decimal_attr (d, "value", n->dlikely);
          else
            {
              psimp_xml_append_decimal_attr (d, "min", n->dmin);
              psimp_xml_append_decimal_attr (d, "likely", n->dlikely);
              psimp_xml_append_decimal_attr (d, "max", n->dmax);
            }
          g_string_append (d, " basis=\"estimated\"/>");
          out_line (o, n->line, "%s", d->str);
        }
      if (n->has_cost)
        {
          g_autoptr (GString) d = g_string_new ("<fee kind=\"fee\"");
          psimp_xml_append_decimal_attr (d, "amount", n->cost);
          g_string_append (d, " basis=\"estimated\"><name xml:lang=\"und\">BPSim cost</name></fee>");
          out_line (o, n->line, "%s", d->str);
        }
    }
  (void) im;
  out_line (o, n->line, "</step>");
}

static gboolean
has_probability (const xmlNode *x)
{
  g_autofree char *p = get (x, "probability");
  return p != NULL;
}

static void
write_choice (Out *o, Node *n)
{
  out_line (o, n->line, "<choice id=\"%s\">", n->id);
  xmlNode *ext = n->ext != NULL && is_psim (n->ext, "node") ? n->ext : NULL;
  if (ext != NULL)
    copy_psim_children (o, ext, (const char *const[]) { "name", NULL });
  else if (n->name != NULL && n->x != NULL)
    out_text (o, n->line, "name", n->name);
  /* Probabilities: BPSim's when every branch has one, else equal shares;
   * the default branch last. procsim's own conditions come from the
   * extension of each flow. */
  guint k = n->out->len;
  gboolean all_p = TRUE;
  for (guint i = 0; i < k; i++)
    all_p &= ((Edge *) g_ptr_array_index (n->out, i))->has_p;
  g_autoptr (GPtrArray) order = g_ptr_array_new ();
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < k; i++)
      {
        Edge *e = g_ptr_array_index (n->out, i);
        if (e->is_default == (pass == 1))
          g_ptr_array_add (order, e);
      }
  double share = floor (1e7 / k) / 1e7, given = 0;
  for (guint i = 0; i < k; i++)
    {
      Edge *e = g_ptr_array_index (order, i);
      xmlNode *bext = e->x != NULL ? ext_of (e->x, "branch") : NULL;
      g_autoptr (GString) b = g_string_new (NULL);
      g_string_append_printf (b, "<branch to=\"%s\"", e->to->id);
      g_autofree char *when = bext != NULL ? get (bext, "when") : NULL;
      if (when != NULL)
        {
          g_autofree char *esc = g_markup_escape_text (when, -1);
          g_string_append_printf (b, " when=\"%s\"", esc);
        }
      else if (bext == NULL || has_probability (bext) || all_p)
        {
          double p = all_p ? e->p : (i + 1 < k ? share : 1 - given);
          given += p;
          psimp_xml_append_decimal_attr (b, "probability", p);
        }
      guint line = e->x != NULL ? line_of (e->x) : n->line;
      if (bext != NULL && has_psim_child (bext, "label"))
        {
          out_line (o, line, "%s>", b->str);
          copy_psim_children (o, bext, NULL);
          out_line (o, line, "</branch>");
        }
      else if (e->label != NULL || e->is_default)
        {
          out_line (o, line, "%s>", b->str);
          out_text (o, line, "label", e->label != NULL ? e->label : "default");
          out_line (o, line, "</branch>");
        }
      else
        out_line (o, line, "%s/>", b->str);
    }
  out_line (o, n->line, "</choice>");
}

static void
write_graph (Import *im, Out *o, Graph *g)
{
  g_autofree char *baseline = g->ext != NULL ? get (g->ext, "baseline") : NULL;
  g_autofree char *e_baseline = baseline != NULL ? g_markup_escape_text (baseline, -1) : NULL;
  out_line (o, g->line, "<variant id=\"%s\"%s%s%s>", g->id, baseline != NULL ? " baseline=\"" : "",
            baseline != NULL ? e_baseline : "", baseline != NULL ? "\"" : "");
  if (g->ext != NULL && has_psim_child (g->ext, "title"))
    copy_psim_children (o, g->ext, (const char *const[]) { "title", "description", NULL });
  else
    {
      out_text (o, g->line, "title", g->title);
      if (g->doc != NULL)
        out_text (o, g->line, "description", g->doc);
    }
  out_line (o, g->line, "<process>");
  Node *start = start_of (g);
  if (start == NULL || start->out->len == 0)
    return; /* not reached: decide_start and prune give every graph one */
  out_line (o, start->line, "<start id=\"%s\" next=\"%s\"/>", start->id,
            ((Edge *) g_ptr_array_index (start->out, 0))->to->id);
  for (guint i = 0; i < g->nodes->len; i++)
    {
      Node *n = g_ptr_array_index (g->nodes, i);
      if (n->dead || n == start)
        continue;
      switch (n->kind)
        {
        case K_STEP:
          write_step (im, o, n);
          break;
        case K_CHOICE:
          write_choice (o, n);
          break;
        case K_SPLIT:
          out_line (o, n->line, "<split id=\"%s\" join=\"%s\">", n->id,
                    n->join != NULL ? n->join->id : "");
          if (n->ext != NULL && is_psim (n->ext, "node"))
            copy_psim_children (o, n->ext, (const char *const[]) { "name", NULL });
          for (guint j = 0; j < n->out->len; j++)
            {
              Edge *e = g_ptr_array_index (n->out, j);
              out_line (o, e->x != NULL ? line_of (e->x) : n->line, "<branch to=\"%s\"/>", e->to->id);
            }
          out_line (o, n->line, "</split>");
          break;
        case K_JOIN:
          out_line (o, n->line, "<join id=\"%s\" next=\"%s\"/>", n->id,
                    ((Edge *) g_ptr_array_index (n->out, 0))->to->id);
          break;
        case K_END:
          if (n->ext != NULL && has_psim_child (n->ext, "name"))
            {
              out_line (o, n->line, "<end id=\"%s\">", n->id);
              copy_psim_children (o, n->ext, NULL);
              out_line (o, n->line, "</end>");
            }
          else if (n->name != NULL)
            {
              out_line (o, n->line, "<end id=\"%s\">", n->id);
              out_text (o, n->line, "name", n->name);
              out_line (o, n->line, "</end>");
            }
          else
            out_line (o, n->line, "<end id=\"%s\"/>", n->id);
          break;
        case K_START:
        case K_PASS:
        case K_GATEWAY:
        default:
          break;
        }
    }
  out_line (o, g->line, "</process>");
  out_line (o, g->line, "</variant>");
}

static void
write_procedure (Import *im, Out *o, xmlNode *root)
{
  xmlNode *ext = im->ext_procedure;
  g_autofree char *def_id = get (root, "id");
  g_autofree char *def_name = get (root, "name");
  g_autofree char *base = g_path_get_basename (im->file);
  char *dot = strrchr (base, '.');
  if (dot != NULL && dot != base)
    *dot = '\0';
  g_autoptr (GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *pid = NULL, *version = NULL, *date = NULL, *jur = NULL;
  if (ext != NULL)
    {
      pid = get (ext, "id");
      version = get (ext, "version");
      date = get (ext, "date");
      jur = get (ext, "jurisdiction");
    }
  if (pid == NULL)
    pid = unique_id (used, def_id != NULL ? def_id : base);
  g_autofree char *e_pid = g_markup_escape_text (pid, -1);
  g_autofree char *e_version = g_markup_escape_text (version != NULL ? version : "1", -1);
  g_autofree char *e_date = g_markup_escape_text (date != NULL ? date : "1970-01-01", -1);
  g_autofree char *e_jur = g_markup_escape_text (jur != NULL ? jur : "unknown", -1);
  guint line = line_of (root);
  out_line (o, line, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
  out_line (o, line, "<procedure xmlns=\"urn:procsim:procedure:1\" id=\"%s\" version=\"%s\" "
                     "date=\"%s\" jurisdiction=\"%s\">", e_pid, e_version, e_date, e_jur);
  if (ext != NULL && has_psim_child (ext, "title"))
    copy_psim_children (o, ext, (const char *const[]) { "title", "description", "sources",
                                                        "legal-basis", "case-data", NULL });
  else
    {
      out_text (o, line, "title", def_name != NULL ? def_name : base);
      g_autofree char *doc = documentation (root);
      if (doc != NULL)
        out_text (o, line, "description", doc);
    }
  if (ext != NULL && has_psim_child (ext, "actors"))
    copy_psim_children (o, ext, (const char *const[]) { "actors", NULL });
  else
    {
      out_line (o, line, "<actors>");
      for (guint i = 0; i < im->actors->len; i++)
        {
          Decl *d = g_ptr_array_index (im->actors, i);
          out_line (o, d->line, "<actor id=\"%s\" kind=\"agency\">", d->id);
          out_text (o, d->line, "name", d->name != NULL ? d->name : d->id);
          out_line (o, d->line, "</actor>");
        }
      out_line (o, line, "</actors>");
    }
  if (ext != NULL && has_psim_child (ext, "actors"))
    copy_psim_children (o, ext, (const char *const[]) { "documents", "cost-model", NULL });
  else if (im->documents->len > 0)
    {
      out_line (o, line, "<documents>");
      for (guint i = 0; i < im->documents->len; i++)
        {
          Decl *d = g_ptr_array_index (im->documents, i);
          out_line (o, d->line, "<document id=\"%s\">", d->id);
          out_text (o, d->line, "name", d->name != NULL ? d->name : d->id);
          out_line (o, d->line, "</document>");
        }
      out_line (o, line, "</documents>");
    }
  for (guint i = 0; i < im->graphs->len; i++)
    write_graph (im, o, g_ptr_array_index (im->graphs, i));
  out_line (o, line, "</procedure>");
}

/* ---- parsing --------------------------------------------------------------- */

typedef struct {
  Import *im;
  gboolean encoding_error;
  guint skip; /* depth inside a diagram, which is not kept */
} Parse;

#define BPMNDI_NS "http://www.omg.org/spec/BPMN/20100524/DI"

/* The diagrams (BPMNDI) are most of a tool's file and none of the model:
 * the tree is built without them. */
static void
on_start_element (void *user_data, const xmlChar *localname, const xmlChar *prefix,
                  const xmlChar *uri, int n_ns, const xmlChar **ns, int n_attrs, int n_defaulted,
                  const xmlChar **attrs)
{
  xmlParserCtxtPtr ctxt = user_data;
  Parse *ps = ctxt->_private;
  if (ps->skip > 0 || (uri != NULL && strcmp ((const char *) uri, BPMNDI_NS) == 0
                       && strcmp ((const char *) localname, "BPMNDiagram") == 0))
    {
      ps->skip++;
      return;
    }
  xmlSAX2StartElementNs (ctxt, localname, prefix, uri, n_ns, ns, n_attrs, n_defaulted, attrs);
}

static void
on_end_element (void *user_data, const xmlChar *localname, const xmlChar *prefix,
                const xmlChar *uri)
{
  xmlParserCtxtPtr ctxt = user_data;
  Parse *ps = ctxt->_private;
  if (ps->skip > 0)
    {
      ps->skip--;
      return;
    }
  xmlSAX2EndElementNs (ctxt, localname, prefix, uri);
}

static void
on_characters (void *user_data, const xmlChar *ch, int len)
{
  xmlParserCtxtPtr ctxt = user_data;
  if (((Parse *) ctxt->_private)->skip == 0)
    xmlSAX2Characters (ctxt, ch, len);
}

static void
on_cdata (void *user_data, const xmlChar *ch, int len)
{
  xmlParserCtxtPtr ctxt = user_data;
  if (((Parse *) ctxt->_private)->skip == 0)
    xmlSAX2CDataBlock (ctxt, ch, len);
}

static void
on_comment (void *user_data, const xmlChar *value)
{
  /* Comments carry nothing the import reads. */
}

static void
on_error (void *user_data, xmlErrorPtr e)
{
  Parse *ps = user_data;
  if (e->code == XML_ERR_USER_STOP || ps->im->doctype)
    return;
  if (e->domain == XML_FROM_IO || e->code == XML_ERR_INVALID_CHAR
      || e->code == XML_ERR_INVALID_ENCODING || e->domain == XML_FROM_I18N)
    ps->encoding_error = TRUE;
  g_autofree char *msg = psim_libxml_message (e->message, BPMN_NS);
  /* A namespace problem leaves the document well formed; what it breaks
   * (an element outside the BPMN namespace) is reported by the import. */
  gboolean warning = e->level == XML_ERR_WARNING || e->domain == XML_FROM_NAMESPACE;
  diag (ps->im, warning ? PSIM_SEVERITY_WARNING : PSIM_SEVERITY_ERROR,
        e->line > 0 ? (guint) e->line : 0, "%s", msg);
}

static void
on_parse_error (void *user_data, xmlErrorPtr e)
{
  xmlParserCtxtPtr ctxt = e->ctxt;
  if (ctxt != NULL && ctxt->_private != NULL)
    on_error (ctxt->_private, e);
}

static void
on_internal_subset (void *user_data, const xmlChar *name, const xmlChar *external_id,
                    const xmlChar *system_id)
{
  xmlParserCtxtPtr ctxt = user_data;
  Parse *ps = ctxt->_private;
  error_at (ps->im, ctxt->input != NULL ? (guint) ctxt->input->line : 0,
            psim_gettext (ps->im->lang, "<!DOCTYPE> is not allowed in a BPMN file (DTDs and entities are refused for safety)"));
  ps->im->doctype = TRUE;
  xmlStopParser (ctxt);
}

/* Parses @data into a tree; @encoding forces one (the declared one is then
 * ignored). */
static xmlDoc *
parse (Import *im, const char *data, gsize size, const char *encoding, gboolean *encoding_error)
{
  g_autoptr (xmlParserCtxt) ctxt = xmlCreateMemoryParserCtxt (data, (int) size);
  if (ctxt == NULL)
    {
      error_at (im, 0, psim_gettext (im->lang, "out of memory"));
      return NULL;
    }
  Parse ps = { .im = im };
  ctxt->_private = &ps;
  ctxt->sax->internalSubset = on_internal_subset;
  ctxt->sax->serror = on_parse_error;
  ctxt->sax->startElementNs = on_start_element;
  ctxt->sax->endElementNs = on_end_element;
  ctxt->sax->characters = on_characters;
  ctxt->sax->cdataBlock = on_cdata;
  ctxt->sax->comment = on_comment;
  ctxt->sax->processingInstruction = NULL;
  /* As the loader: no XML_PARSE_NOENT, XML_PARSE_DTDLOAD or XML_PARSE_HUGE. */
  int options = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOBLANKS | XML_PARSE_COMPACT;
  if (encoding != NULL)
    {
      xmlCharEncodingHandlerPtr h = xmlFindCharEncodingHandler (encoding);
      if (h != NULL)
        xmlSwitchToEncoding (ctxt, h);
      options |= XML_PARSE_IGNORE_ENC;
    }
  xmlCtxtUseOptions (ctxt, options);
  if (ctxt->input != NULL && ctxt->input->filename == NULL)
    ctxt->input->filename = (char *) xmlStrdup (BAD_CAST im->file);
  xmlStructuredErrorFunc saved_handler = xmlStructuredError;
  void *saved_data = xmlStructuredErrorContext;
  xmlSetStructuredErrorFunc (&ps, on_error);
  xmlParseDocument (ctxt);
  xmlSetStructuredErrorFunc (saved_data, saved_handler);
  *encoding_error = ps.encoding_error;
  xmlDoc *doc = ctxt->myDoc;
  ctxt->myDoc = NULL;
  if (!ctxt->wellFormed || im->doctype)
    {
      xmlFreeDoc (doc);
      if (psim_diagnostics_count_errors (im->diags) == 0)
        error_at (im, 0, psim_gettext (im->lang, "not well-formed XML"));
      return NULL;
    }
  return doc;
}

/* The declared encoding of @data, if any. (transfer full) */
static char *
declared_encoding (const char *data, gsize size)
{
  if (size < 6 || strncmp (data, "<?xml", 5) != 0)
    return NULL;
  const char *end = memchr (data, '>', MIN (size, 256));
  if (end == NULL)
    return NULL;
  g_autofree char *decl = g_strndup (data, end - data);
  const char *e = strstr (decl, "encoding");
  if (e == NULL)
    return NULL;
  e = strpbrk (e, "\"'");
  if (e == NULL)
    return NULL;
  const char *close = strchr (e + 1, *e);
  return close != NULL ? g_strndup (e + 1, close - e - 1) : NULL;
}

/* ---- the import ----------------------------------------------------------------- */

static const char *
pool_actor (Import *im, xmlNode *participant, xmlNode *process)
{
  xmlNode *src = participant != NULL ? participant : process;
  g_autofree char *id = get (src, "id");
  g_autofree char *name = get (src, "name");
  if (name == NULL && participant != NULL)
    name = get (process, "name");
  Decl *d = actor_decl (im, id, name != NULL ? name : id, line_of (src));
  return d->id;
}

static gboolean
import_process (Import *im, xmlNode *proc)
{
  im->stats.processes++;
  Graph *g = g_new0 (Graph, 1);
  g->im = im;
  g->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) node_free);
  g->by_bpmn = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g->flows = g_ptr_array_new ();
  g->boundaries = g_ptr_array_new ();
  g->x = proc;
  g->line = line_of (proc);
  g->ext = ext_of (proc, "variant");
  g_autofree char *pid = get (proc, "id");
  g_autofree char *ext_id = g->ext != NULL ? get (g->ext, "id") : NULL;
  g->id = unique_id (im->variant_ids, ext_id != NULL ? ext_id : pid != NULL ? pid : "process");
  xmlNode *participant = pid != NULL ? g_hash_table_lookup (im->pool_of, pid) : NULL;
  g->title = get (proc, "name");
  if (g->title == NULL && participant != NULL)
    g->title = get (participant, "name");
  if (g->title == NULL)
    g->title = g_strdup (g->id);
  g->doc = documentation (proc);
  g_ptr_array_add (im->graphs, g);

  for (xmlNode *c = proc->children; c != NULL; c = c->next)
    if (is (c, "laneSet"))
      read_lanes (im, c);
  /* Activities outside every lane belong to the pool (or the process). */
  gboolean needs_pool = FALSE;
  for (xmlNode *c = proc->children; c != NULL && !needs_pool; c = c->next)
    {
      if (!in_ns (c, BPMN_NS) || !(is_task ((const char *) c->name) || is_subprocess ((const char *) c->name)
                                   || is_event ((const char *) c->name)))
        continue;
      g_autofree char *id = get (c, "id");
      needs_pool = id == NULL || !g_hash_table_contains (im->actor_of, id)
                   || is_subprocess ((const char *) c->name);
    }
  if (needs_pool)
    g->actor = pool_actor (im, participant, proc);
  read_documents (im, proc);
  build_scope (im, g, proc, TRUE, NULL, NULL);
  if (g->nodes->len == 0)
    {
      warn_at (im, g->line, psim_gettext (im->lang, "process '%s' has no flow elements: no variant for it"), g->id);
      g_ptr_array_remove (im->graphs, g);
      return TRUE;
    }
  if (g->actor == NULL)
    g->actor = pool_actor (im, participant, proc);
  guint errors = psim_diagnostics_count_errors (im->diags);
  connect (im, g);
  if (!decide_start (im, g))
    return FALSE;
  decide_gateways (im, g);
  bypass (im, g);
  if (psim_diagnostics_count_errors (im->diags) > errors)
    return FALSE;
  prune (im, g);
  return pair_splits (im, g);
}

static gboolean
import_definitions (Import *im, xmlNode *root)
{
  index_ids (im, root);
  read_bpsim (im, root);
  for (xmlNode *c = root->children; c != NULL; c = c->next)
    {
      if (!is (c, "collaboration"))
        continue;
      if (im->ext_procedure == NULL)
        im->ext_procedure = ext_of (c, "procedure");
      for (xmlNode *p = c->children; p != NULL; p = p->next)
        {
          if (is (p, "participant"))
            {
              g_autofree char *ref = get_ref (p, "processRef");
              if (ref != NULL && !g_hash_table_contains (im->pool_of, ref))
                g_hash_table_insert (im->pool_of, g_steal_pointer (&ref), p);
              else if (ref == NULL)
                {
                  /* A black-box pool: an actor with no process. */
                  g_autofree char *id = get (p, "id");
                  g_autofree char *name = get (p, "name");
                  actor_decl (im, id, name != NULL ? name : id, line_of (p));
                }
            }
          else if (is (p, "messageFlow"))
            {
              g_autofree char *id = get (p, "id");
              warn_at (im, line_of (p), psim_gettext (im->lang, "message flow '%s' is not represented: each pool's "
                                          "process is a variant of its own"), id != NULL ? id : "?");
            }
        }
    }
  gboolean ok = TRUE;
  for (xmlNode *c = root->children; c != NULL; c = c->next)
    if (is (c, "process"))
      ok &= import_process (im, c);
  if (ok && im->graphs->len == 0)
    {
      error_at (im, line_of (root), psim_gettext (im->lang, "no process with flow elements: nothing to import"));
      return FALSE;
    }
  return ok && psim_diagnostics_count_errors (im->diags) == 0;
}

gboolean
psim_bpmn_is_bpmn_path (const char *path)
{
  g_return_val_if_fail (path != NULL, FALSE);
  return g_str_has_suffix (path, ".bpmn") || g_str_has_suffix (path, ".bpmn2")
         || g_str_has_suffix (path, ".BPMN");
}

static int
compare_lines (gconstpointer a, gconstpointer b)
{
  const PsimDiagnostic *da = *(PsimDiagnostic *const *) a;
  const PsimDiagnostic *db = *(PsimDiagnostic *const *) b;
  return (da->line > db->line) - (da->line < db->line);
}

PsimProcedure *
psim_bpmn_import_memory (PsimLoader *loader, const char *data, gsize size, const char *name,
                         GBytes **xml, PsimBpmnStats *stats, GPtrArray *diags, GError **error)
{
  g_return_val_if_fail (loader != NULL && data != NULL && name != NULL, NULL);
  g_autoptr (GPtrArray) found = psim_diagnostics_new ();
  Import im = { .file = name, .diags = found, .lang = psim_loader_get_language (loader) };
  im.by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  im.actors = g_ptr_array_new_with_free_func ((GDestroyNotify) decl_free);
  im.actor_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  im.actor_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  im.documents = g_ptr_array_new_with_free_func ((GDestroyNotify) decl_free);
  im.document_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  im.document_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  im.graphs = g_ptr_array_new_with_free_func ((GDestroyNotify) graph_free);
  im.variant_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  im.pool_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  im.sim = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  PsimProcedure *proc = NULL;
  g_autoptr (xmlDoc) doc = NULL;
  guint line = 0;

  if (size > PSIM_LOAD_MAX_FILE_SIZE)
    error_at (&im, 0, psim_gettext (im.lang, "file too large: %lu bytes (the limit is %lu)"), (unsigned long) size,
              (unsigned long) PSIM_LOAD_MAX_FILE_SIZE);
  else if (size == 0)
    error_at (&im, 0, psim_gettext (im.lang, "the file is empty"));
  else if (!psim_xml_check_attributes (data, size, &line))
    error_at (&im, line, psim_gettext (im.lang, "an element has more than %d attributes"),
              PSIM_XML_MAX_ATTRIBUTES);
  else
    {
      gboolean encoding_error = FALSE;
      doc = parse (&im, data, size, NULL, &encoding_error);
      g_autofree char *declared = declared_encoding (data, size);
      /* Tools write Windows text and call it UTF-8, or nothing: read it
       * as windows-1252 then (ISO-8859-1 for bytes it leaves undefined). */
      if (doc == NULL && encoding_error && !im.doctype && !g_utf8_validate (data, size, NULL)
          && (declared == NULL || g_ascii_strcasecmp (declared, "UTF-8") == 0))
        {
          static const char *const fallbacks[] = { "windows-1252", "ISO-8859-1" };
          for (guint i = 0; i < G_N_ELEMENTS (fallbacks) && doc == NULL; i++)
            {
              g_autoptr (GPtrArray) retry = psim_diagnostics_new ();
              im.diags = retry;
              doc = parse (&im, data, size, fallbacks[i], &encoding_error);
              im.diags = found;
              if (doc != NULL)
                {
                  g_ptr_array_set_size (found, 0);
                  g_ptr_array_extend_and_steal (found, g_steal_pointer (&retry));
                  warn_at (&im, 1, declared != NULL
                                     ? psim_gettext (im.lang, "the file is not UTF-8 although it says so; read as %s")
                                     : psim_gettext (im.lang, "the file is not UTF-8 although it declares no encoding; "
                                         "read as %s"), fallbacks[i]);
                }
            }
        }
      xmlNode *root = doc != NULL ? xmlDocGetRootElement (doc) : NULL;
      if (root != NULL && !is (root, "definitions"))
        {
          if (root->ns == NULL)
            error_at (&im, line_of (root), psim_gettext (im.lang, "not a BPMN 2.0 file: the root element <%s> has no "
                                             "namespace; expected <definitions xmlns=\"%s\">"),
                      (const char *) root->name, BPMN_NS);
          else
            error_at (&im, line_of (root), psim_gettext (im.lang, "not a BPMN 2.0 file: the root element is <%s> in "
                                             "namespace '%s'; expected <definitions> in '%s'"),
                      (const char *) root->name, (const char *) root->ns->href, BPMN_NS);
        }
      else if (root != NULL && import_definitions (&im, root))
        {
          Out o = { g_string_new (NULL), g_array_new (FALSE, FALSE, sizeof (guint)), 0 };
          guint zero = 0;
          g_array_append_val (o.lines, zero); /* lines count from 1 */
          write_procedure (&im, &o, root);
          g_autoptr (GPtrArray) loaded = psim_diagnostics_new ();
          proc = psim_loader_load_memory (loader, o.s->str, o.s->len, name, loaded, NULL);
          for (guint i = 0; i < loaded->len; i++)
            {
              PsimDiagnostic *d = g_ptr_array_index (loaded, i);
              d->line = d->line < o.lines->len ? g_array_index (o.lines, guint, d->line) : 0;
            }
          g_ptr_array_extend_and_steal (found, g_steal_pointer (&loaded));
          if (proc != NULL && xml != NULL)
            *xml = g_bytes_new (o.s->str, o.s->len);
          g_string_free (o.s, TRUE);
          g_array_unref (o.lines);
        }
    }
  if (stats != NULL)
    *stats = im.stats;
  g_ptr_array_sort (found, compare_lines);
  guint n_errors = psim_diagnostics_count_errors (found);
  if (diags != NULL)
    g_ptr_array_extend_and_steal (diags, g_steal_pointer (&found));
  g_hash_table_unref (im.by_id);
  g_ptr_array_unref (im.graphs);
  g_ptr_array_unref (im.actors);
  g_hash_table_unref (im.actor_ids);
  g_hash_table_unref (im.actor_of);
  g_ptr_array_unref (im.documents);
  g_hash_table_unref (im.document_ids);
  g_hash_table_unref (im.document_of);
  g_hash_table_unref (im.variant_ids);
  g_hash_table_unref (im.pool_of);
  g_hash_table_unref (im.sim);
  if (n_errors > 0 || proc == NULL)
    {
      g_clear_pointer (&proc, psim_procedure_unref);
      g_set_error (error, PSIM_BPMN_ERROR, PSIM_BPMN_ERROR_INVALID,
                   psim_ngettext (im.lang, "%s: %u error", "%s: %u errors", MAX (n_errors, 1)),
                   name, MAX (n_errors, 1));
      return NULL;
    }
  return proc;
}

PsimProcedure *
psim_bpmn_import_file (PsimLoader *loader, const char *path, GBytes **xml, PsimBpmnStats *stats,
                       GPtrArray *diags, GError **error)
{
  g_return_val_if_fail (loader != NULL && path != NULL, NULL);
  g_autoptr (GError) local = NULL;
  struct stat st;
  gboolean regular = g_stat (path, &st) == 0 && S_ISREG (st.st_mode);
  if (regular && (guint64) st.st_size > PSIM_LOAD_MAX_FILE_SIZE)
    return psim_bpmn_import_memory (loader, "", (gsize) st.st_size, path, xml, stats, diags, error);
  g_autoptr (GMappedFile) map = regular ? g_mapped_file_new (path, FALSE, &local) : NULL;
  if (map == NULL)
    {
      g_autofree char *msg = local != NULL
        ? g_strdup (local->message)
        : errno != 0 && !regular && g_file_test (path, G_FILE_TEST_EXISTS) ? g_strdup (psim_gettext (psim_loader_get_language (loader), "not a regular file"))
        : g_strdup_printf (psim_gettext (psim_loader_get_language (loader), "cannot open the file: %s"), g_strerror (ENOENT));
      if (diags != NULL)
        psim_diag_add (diags, PSIM_SEVERITY_ERROR, path, 0, "%s", msg);
      g_set_error (error, PSIM_BPMN_ERROR, PSIM_BPMN_ERROR_INVALID, "%s: %s", path, msg);
      return NULL;
    }
  const char *data = g_mapped_file_get_contents (map);
  return psim_bpmn_import_memory (loader, data != NULL ? data : "", g_mapped_file_get_length (map),
                                  path, xml, stats, diags, error);
}
