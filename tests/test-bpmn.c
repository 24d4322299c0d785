/* test-bpmn.c — BPMN 2.0 import (psim-bpmn-import.c) on files nobody here
 * wrote: the BPMN MIWG reference models and their exports by modelling
 * tools, edge cases of other BPMN readers, bpmn-js-token-simulation's
 * models with the traces it expects. What the import read is compared with
 * counts taken from each file by XPath, here, independently of it.
 */
#include "psim-test.h"

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <json-glib/json-glib.h>
#include <string.h>

#define BPMN_NS "http://www.omg.org/spec/BPMN/20100524/MODEL"

static PsimLoader *loader;

static const char *
nz (const char *s)
{
  return s != NULL ? s : "";
}

static const char *const task_kinds[] = {
  "task", "userTask", "manualTask", "serviceTask", "scriptTask", "businessRuleTask",
  "sendTask", "receiveTask", "callActivity", NULL,
};
static const char *const gateway_kinds[] = {
  "exclusiveGateway", "inclusiveGateway", "parallelGateway", "eventBasedGateway",
  "complexGateway", NULL,
};
static const char *const event_kinds[] = {
  "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent",
  "boundaryEvent", "implicitThrowEvent", NULL,
};

/* "self::b:task or self::b:userTask or …" */
static char *
any_of (const char *const *kinds)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; kinds[i] != NULL; i++)
    g_string_append_printf (s, "%sself::b:%s", i > 0 ? " or " : "", kinds[i]);
  return g_string_free (s, FALSE);
}

static int
xpath_count (xmlXPathContextPtr ctx, const char *expr)
{
  xmlXPathObjectPtr r = xmlXPathEvalExpression (BAD_CAST expr, ctx);
  CU_ASSERT_PTR_NOT_NULL_FATAL (r);
  int n = (int) xmlXPathCastToNumber (r);
  xmlXPathFreeObject (r);
  return n;
}

static gboolean
has_id (GHashTable *ids, const char *id)
{
  return g_hash_table_contains (ids, id);
}

/* The ids of the elements of @kinds in the processes of @doc, that match
 * the further predicate @where. */
static GHashTable *
ids_of_where (xmlXPathContextPtr ctx, const char *const *kinds, const char *where)
{
  g_autofree char *pred = any_of (kinds);
  g_autofree char *expr = g_strdup_printf ("//b:process//*[%s]%s/@id", pred, where);
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  xmlXPathObjectPtr r = xmlXPathEvalExpression (BAD_CAST expr, ctx);
  for (int i = 0; r != NULL && r->nodesetval != NULL && i < r->nodesetval->nodeNr; i++)
    {
      xmlChar *v = xmlNodeGetContent (r->nodesetval->nodeTab[i]);
      g_hash_table_add (ids, g_strdup ((const char *) v));
      xmlFree (v);
    }
  xmlXPathFreeObject (r);
  return ids;
}

static GHashTable *
ids_of (xmlXPathContextPtr ctx, const char *const *kinds)
{
  return ids_of_where (ctx, kinds, "");
}

static void
check_model (const char *file, gboolean render)
{
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) xml = NULL;
  PsimBpmnStats st = { 0 };
  g_autoptr (PsimProcedure) proc
    = psim_bpmn_import_file (loader, file, &xml, &st, diags, &error);
  if (proc == NULL)
    {
      g_autofree char *all = psim_test_join_diagnostics (diags);
      fprintf (stderr, "\n%s", all);
    }
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  CU_ASSERT_EQUAL (psim_diagnostics_count_errors (diags), 0);

  /* Counts, by XPath over the file itself. */
  xmlDocPtr doc = xmlReadFile (file, NULL, XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
  CU_ASSERT_PTR_NOT_NULL_FATAL (doc);
  xmlXPathContextPtr ctx = xmlXPathNewContext (doc);
  xmlXPathRegisterNs (ctx, BAD_CAST "b", BAD_CAST BPMN_NS);
  g_autofree char *tasks = any_of (task_kinds);
  g_autofree char *gateways = any_of (gateway_kinds);
  g_autofree char *events = any_of (event_kinds);
  g_autofree char *x_tasks = g_strdup_printf ("count(//b:process//*[%s])", tasks);
  g_autofree char *x_gateways = g_strdup_printf ("count(//b:process//*[%s])", gateways);
  g_autofree char *x_events = g_strdup_printf ("count(//b:process//*[%s])", events);
  int want[] = {
    xpath_count (ctx, "count(/b:definitions/b:process)"),
    xpath_count (ctx, x_tasks),
    xpath_count (ctx, x_gateways),
    xpath_count (ctx, x_events),
    xpath_count (ctx, "count(//b:process//b:sequenceFlow)"),
    xpath_count (ctx, "count(/b:definitions/b:process/b:laneSet//b:lane)"),
  };
  guint got[] = { st.processes, st.tasks, st.gateways, st.events, st.flows, st.lanes };
  const char *what[] = { "processes", "tasks", "gateways", "events", "flows", "lanes" };
  for (guint i = 0; i < G_N_ELEMENTS (got); i++)
    if ((int) got[i] != want[i])
      {
        fprintf (stderr, "\n%s: %s: import read %u, XPath counts %d", file, what[i], got[i], want[i]);
        CU_FAIL ("count differs");
      }

  /* The mapping: every step is a task or an event of the file, and every
   * task is a step unless a warning says why not. */
  g_autoptr (GHashTable) task_ids = ids_of (ctx, task_kinds);
  g_autoptr (GHashTable) in_event_sub = ids_of_where (
    ctx, task_kinds, "[ancestor::b:subProcess[@triggeredByEvent='true']]");
  g_autoptr (GHashTable) event_ids = ids_of (ctx, event_kinds);
  g_autoptr (GHashTable) sub_ids = ids_of (ctx, (const char *const[]) { "subProcess", "transaction",
                                                                         "adHocSubProcess", NULL });
  g_autoptr (GHashTable) steps = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *all = psim_test_join_diagnostics (diags);
  for (guint v = 0; v < psim_procedure_get_n_variants (proc); v++)
    {
      const PsimVariant *var = psim_procedure_get_variant (proc, v);
      for (guint i = 0; i < psim_variant_get_n_nodes (var); i++)
        {
          const PsimNode *n = psim_variant_get_node (var, i);
          if (psim_node_get_kind (n) != PSIM_NODE_STEP)
            continue;
          const char *id = psim_node_get_id (n);
          g_hash_table_add (steps, (gpointer) id);
          g_autofree char *quoted = g_strdup_printf ("'%s'", id);
          if (!has_id (task_ids, id) && !has_id (event_ids, id) && !has_id (sub_ids, id)
              && strstr (all, quoted) == NULL)
            {
              fprintf (stderr, "\n%s: step '%s' is no task, event or sub-process of the file", file, id);
              CU_FAIL ("step without a BPMN origin");
            }
        }
      if (render && v == 0)
        {
          g_autoptr (PsimRenderer) r = psim_renderer_new ();
          g_autoptr (PsimCase) pcase = psim_case_new (proc);
          PsimRenderOptions opts = { .lang = "en", .pcase = pcase };
          g_autoptr (GError) rerr = NULL;
          g_autoptr (GBytes) svg = psim_renderer_render_variant (r, var, &opts, "svg", &rerr);
          CU_ASSERT_PTR_NOT_NULL (svg);
        }
    }
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init (&it, task_ids);
  while (g_hash_table_iter_next (&it, &key, NULL))
    {
      g_autofree char *quoted = g_strdup_printf ("'%s'", (const char *) key);
      /* A task of an event sub-process goes with it (a warning names it). */
      if (!g_hash_table_contains (steps, key) && strstr (all, quoted) == NULL
          && !g_hash_table_contains (in_event_sub, key))
        {
          fprintf (stderr, "\n%s: task %s is neither a step nor named in a warning", file, quoted);
          CU_FAIL ("task dropped silently");
        }
    }
  xmlXPathFreeContext (ctx);
  xmlFreeDoc (doc);
}

static void
check_folder (const char *relative, gboolean render)
{
  g_autofree char *dir = psim_test_data (relative);
  g_autoptr (GPtrArray) files = psim_test_list (dir, ".bpmn");
  CU_ASSERT_TRUE_FATAL (files->len > 10);
  for (guint i = 0; i < files->len; i++)
    check_model (g_ptr_array_index (files, i), render);
}

static void
test_miwg_reference (void)
{
  check_folder ("bpmn/miwg/reference", FALSE);
}

static void
test_miwg_tools (void)
{
  check_folder ("bpmn/miwg/tools", FALSE);
}

/* Every imported MIWG file is drawn, its first variant (svg: laid out and
 * rendered by Graphviz; one variant is enough to show the file renders,
 * and keeps the test short under the sanitizers and valgrind). */
static void
test_miwg_render (void)
{
  check_folder ("bpmn/miwg/reference", TRUE);
  check_folder ("bpmn/miwg/tools", TRUE);
}

/* ---- edge cases ------------------------------------------------------------ */

typedef struct {
  const char *file;
  gboolean ok;
  guint line;          /* of the first error (or the warning looked for) */
  const char *message; /* a part of it */
} Edge;

static const Edge edges[] = {
  { "GenMyModel_0.47__C.1.0-export.bpmn", TRUE, 1,
    "the file is not UTF-8 although it says so; read as windows-1252" },
  { "bpmn-moddle__error__bad-encoding.bpmn", FALSE, 4, "no process with flow elements" },
  { "bpmn-moddle__error__di-no-bpmn-element.bpmn", TRUE, 0, NULL },
  { "bpmn-moddle__error__duplicate-ids.bpmn", FALSE, 5, "no process with flow elements" },
  { "bpmn-moddle__error__invalid-attributes.bpmn", FALSE, 3, "error parsing attribute name" },
  { "bpmn-moddle__error__not-bpmn.bpmn", FALSE, 2,
    "not a BPMN 2.0 file: the root element is <definitions> in namespace 'http://not-bpmn'" },
  { "bpmn-moddle__error__undeclared-ns-child.bpmn", FALSE, 2, "no process with flow elements" },
  { "bpmn-moddle__error__xmlns-redeclaration.bpmn", FALSE, 2, "Attribute xmlns redefined" },
  { "bpmn-moddle__ns__bizagi-nested-ns-definition.bpmn", TRUE, 0, NULL },
  { "bpmn-moddle__ns__namespace-prefix-collision.bpmn", FALSE, 2, "no process with flow elements" },
  { "bpmn-moddle__ns__nested-default-namespace-prefix.bpmn", FALSE, 2,
    "no process with flow elements" },
  { "jbpm__BPMN2-TravelBookingExample-undeclared-prefix.bpmn2", FALSE, 8,
    "not a BPMN 2.0 file: the root element <bpmn2:definitions> has no namespace" },
  { "jbpm__BPMN2-XXE-Process.bpmn2", FALSE, 2,
    "<!DOCTYPE> is not allowed in a BPMN file (DTDs and entities are refused for safety)" },
};

static void
test_edge_cases (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (edges); i++)
    {
      const Edge *e = &edges[i];
      g_autofree char *rel = g_build_filename ("bpmn", e->file, NULL);
      g_autofree char *file = psim_test_data (rel);
      g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
      g_autoptr (GError) error = NULL;
      g_autoptr (PsimProcedure) proc = psim_bpmn_import_file (loader, file, NULL, NULL, diags, &error);
      g_autofree char *all = psim_test_join_diagnostics (diags);
      if ((proc != NULL) != e->ok)
        fprintf (stderr, "\n%s:\n%s", e->file, all);
      CU_ASSERT_EQUAL (proc != NULL, e->ok);
      CU_ASSERT_EQUAL (error == NULL, e->ok);
      if (!e->ok)
        CU_ASSERT_TRUE (g_error_matches (error, PSIM_BPMN_ERROR, PSIM_BPMN_ERROR_INVALID));
      if (e->message == NULL)
        continue;
      /* The first error (or the warning), with its file and line. */
      gboolean found = FALSE;
      for (guint k = 0; k < diags->len && !found; k++)
        {
          const PsimDiagnostic *d = g_ptr_array_index (diags, k);
          if (!e->ok && d->severity != PSIM_SEVERITY_ERROR)
            continue;
          CU_ASSERT_STRING_EQUAL (d->file, file);
          found = d->line == e->line && strstr (d->message, e->message) != NULL;
          if (!e->ok && !found)
            break; /* it must be the first error */
        }
      if (!found)
        fprintf (stderr, "\n%s: expected line %u: %s\n%s", e->file, e->line, e->message, all);
      CU_ASSERT_TRUE (found);
    }
}

/* A file from memory: the same rules, and the name given is the file's. */
static PsimProcedure *
import_text (const char *text, GPtrArray *diags)
{
  return psim_bpmn_import_memory (loader, text, strlen (text), "mem.bpmn", NULL, NULL, diags, NULL);
}

#define HEAD "<?xml version=\"1.0\"?>\n<definitions xmlns=\"" BPMN_NS "\" id=\"d\">\n"

static void
test_encodings (void)
{
  /* ISO-8859-1 declared, a windows-1252 byte undeclared, a prefix. */
  const char *latin1 = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
                       "<b:definitions xmlns:b=\"" BPMN_NS "\" id=\"d\"><b:process id=\"p\">"
                       "<b:startEvent id=\"s\"/><b:task id=\"t\" name=\"D\xe9p\xf4t\"/>"
                       "<b:endEvent id=\"e\"/><b:sequenceFlow id=\"f1\" sourceRef=\"s\" targetRef=\"t\"/>"
                       "<b:sequenceFlow id=\"f2\" sourceRef=\"t\" targetRef=\"e\"/></b:process>"
                       "</b:definitions>";
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  g_autoptr (PsimProcedure) proc = import_text (latin1, diags);
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  const PsimNode *t = psim_variant_find_node (psim_procedure_get_variant (proc, 0), "t");
  CU_ASSERT_STRING_EQUAL (psim_node_get_name (t, "en"), "Dépôt");
  CU_ASSERT_EQUAL (diags->len, 0);

  const char *cp1252 = "<?xml version=\"1.0\"?>\n<definitions xmlns=\"" BPMN_NS "\" id=\"d\">\n"
                       "<process id=\"p\"><task id=\"t\" name=\"\x93quoted\x94\"/></process>"
                       "</definitions>";
  g_autoptr (GPtrArray) d2 = psim_diagnostics_new ();
  g_autoptr (PsimProcedure) p2 = import_text (cp1252, d2);
  CU_ASSERT_PTR_NOT_NULL_FATAL (p2);
  t = psim_variant_find_node (psim_procedure_get_variant (p2, 0), "t");
  CU_ASSERT_STRING_EQUAL (psim_node_get_name (t, "en"), "\u201cquoted\u201d");
  g_autofree char *all = psim_test_join_diagnostics (d2);
  CU_ASSERT_STRING_EQUAL (all, "mem.bpmn:1: warning: the file is not UTF-8 although it declares "
                               "no encoding; read as windows-1252\n");
}

/* Not block-structured: what is mapped faithfully, and what is refused. */
static void
test_non_block_structured (void)
{
  /* A parallel split whose branches end at their own end events: BPMN
   * ends the process when both have, which is a join before one end. */
  const char *ends = HEAD
    "<process id=\"p\"><startEvent id=\"s\"/><parallelGateway id=\"g\"/>"
    "<task id=\"a\"/><task id=\"b\"/><endEvent id=\"ea\"/><endEvent id=\"eb\"/>\n"
    "<sequenceFlow id=\"f1\" sourceRef=\"s\" targetRef=\"g\"/>"
    "<sequenceFlow id=\"f2\" sourceRef=\"g\" targetRef=\"a\"/>"
    "<sequenceFlow id=\"f3\" sourceRef=\"g\" targetRef=\"b\"/>"
    "<sequenceFlow id=\"f4\" sourceRef=\"a\" targetRef=\"ea\"/>"
    "<sequenceFlow id=\"f5\" sourceRef=\"b\" targetRef=\"eb\"/></process></definitions>";
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  g_autoptr (PsimProcedure) proc = import_text (ends, diags);
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  const PsimVariant *v = psim_procedure_get_variant (proc, 0);
  const PsimNode *g = psim_variant_find_node (v, "g");
  CU_ASSERT_EQUAL (psim_node_get_kind (g), PSIM_NODE_SPLIT);
  const PsimNode *join = psim_node_get_join (g);
  CU_ASSERT_PTR_NOT_NULL_FATAL (join);
  CU_ASSERT_STRING_EQUAL (psim_node_get_id (psim_node_get_successor (join, 0)), "ea");
  g_autofree char *all = psim_test_join_diagnostics (diags);
  CU_ASSERT_STRING_EQUAL (all, "mem.bpmn:3: warning: end event 'eb' merges into end 'ea': the "
                               "parallel branches leaving parallelGateway 'g' end together\n");
  g_autoptr (PsimCase) pcase = psim_case_new (proc);
  g_autoptr (PsimPath) path = psim_path_new (v, pcase, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (path);
  CU_ASSERT_EQUAL (psim_path_get_totals (path)->steps, 2);

  /* Branches of a parallel split that meet at a task, with no join: BPMN
   * runs the task twice; procsim cannot say that, so it is refused. */
  const char *merge = HEAD
    "<process id=\"p\"><startEvent id=\"s\"/>\n<parallelGateway id=\"g\"/>"
    "<task id=\"a\"/><task id=\"b\"/><task id=\"c\"/><endEvent id=\"e\"/>"
    "<sequenceFlow id=\"f1\" sourceRef=\"s\" targetRef=\"g\"/>"
    "<sequenceFlow id=\"f2\" sourceRef=\"g\" targetRef=\"a\"/>"
    "<sequenceFlow id=\"f3\" sourceRef=\"g\" targetRef=\"b\"/>"
    "<sequenceFlow id=\"f4\" sourceRef=\"a\" targetRef=\"c\"/>"
    "<sequenceFlow id=\"f5\" sourceRef=\"b\" targetRef=\"c\"/>"
    "<sequenceFlow id=\"f6\" sourceRef=\"c\" targetRef=\"e\"/></process></definitions>";
  g_autoptr (GPtrArray) d2 = psim_diagnostics_new ();
  g_autoptr (PsimProcedure) p2 = import_text (merge, d2);
  CU_ASSERT_PTR_NULL (p2);
  g_autofree char *all2 = psim_test_join_diagnostics (d2);
  CU_ASSERT_STRING_EQUAL (all2, "mem.bpmn:4: error: parallelGateway 'g' splits the flow in "
                                "parallel, but its branches do not meet at a parallel join (they "
                                "meet at 'c'); procsim needs each parallel split closed by one "
                                "join (see docs/bpmn.md)\n");
}

/* ---- token simulation ----------------------------------------------------- */

/* The flow nodes a trace enters, in order ("enter:ID:scope"), sequence
 * flows left out. */
static GPtrArray *
trace_nodes (const char *json_file, GHashTable *flow_ids)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  if (!json_parser_load_from_file (parser, json_file, NULL))
    return out;
  JsonArray *a = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      g_auto (GStrv) parts = g_strsplit (json_array_get_string_element (a, i), ":", 3);
      /* Start events are never entered, every node is left. */
      if (g_strv_length (parts) == 3 && strcmp (parts[0], "exit") == 0
          && !g_hash_table_contains (flow_ids, parts[1]))
        g_ptr_array_add (out, g_strdup (parts[1]));
    }
  return out;
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

typedef struct {
  const char *model;
  const char *trace;
  gboolean ordered; /* FALSE: parallel branches, compared as sets */
} Trace;

/* The models whose semantics procsim shares: sequences, exclusive
 * choices (the first branch when nothing decides), parallel sections,
 * sub-processes, links. Others (boundary events, inclusive gateways,
 * event sub-processes, message flows, terminate) are mapped with warnings
 * and have no trace to match. */
static const Trace traces[] = {
  { "exclusive-gateway-fork-join", "exclusive-gateway-fork-join", TRUE },
  { "parallel-gateway", "parallel-gateway", FALSE },
  { "sub-process", "sub-process", TRUE },
  { "link-event", "link-event", TRUE },
  { "data-objects", "data-objects", TRUE },
};

static void
test_token_traces (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (traces); i++)
    {
      g_autofree char *m = g_strdup_printf ("bpmn/token-simulation/token-sim__Simulator.%s.bpmn",
                                            traces[i].model);
      g_autofree char *t = g_strdup_printf ("bpmn/token-simulation/token-sim__Simulator.%s.json",
                                            traces[i].trace);
      g_autofree char *model = psim_test_data (m);
      g_autofree char *trace = psim_test_data (t);
      g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
      g_autoptr (PsimProcedure) proc = psim_bpmn_import_file (loader, model, NULL, NULL, diags, NULL);
      CU_ASSERT_PTR_NOT_NULL_FATAL (proc);

      xmlDocPtr doc = xmlReadFile (model, NULL, XML_PARSE_NONET);
      xmlXPathContextPtr ctx = xmlXPathNewContext (doc);
      xmlXPathRegisterNs (ctx, BAD_CAST "b", BAD_CAST BPMN_NS);
      g_autoptr (GHashTable) flows = ids_of (ctx, (const char *const[]) { "sequenceFlow", NULL });
      g_autoptr (GHashTable) kept = ids_of (ctx, task_kinds);
      xmlXPathObjectPtr r = xmlXPathEvalExpression (
        BAD_CAST "/b:definitions/b:process/*[self::b:startEvent or self::b:endEvent]/@id", ctx);
      for (int k = 0; r != NULL && r->nodesetval != NULL && k < r->nodesetval->nodeNr; k++)
        {
          xmlChar *id = xmlNodeGetContent (r->nodesetval->nodeTab[k]);
          g_hash_table_add (kept, g_strdup ((const char *) id));
          xmlFree (id);
        }
      xmlXPathFreeObject (r);
      xmlXPathFreeContext (ctx);
      xmlFreeDoc (doc);

      /* What procsim keeps of the trace: activities, starts and ends. */
      g_autoptr (GPtrArray) want_all = trace_nodes (trace, flows);
      g_autoptr (GPtrArray) want = g_ptr_array_new ();
      for (guint k = 0; k < want_all->len; k++)
        if (g_hash_table_contains (kept, g_ptr_array_index (want_all, k)))
          g_ptr_array_add (want, g_ptr_array_index (want_all, k));

      const PsimVariant *v = psim_procedure_get_variant (proc, 0);
      g_autoptr (PsimCase) pcase = psim_case_new (proc);
      g_autoptr (PsimPath) path = psim_path_new (v, pcase, NULL);
      CU_ASSERT_PTR_NOT_NULL_FATAL (path);
      g_autoptr (GPtrArray) got = g_ptr_array_new ();
      for (guint k = 0; k < psim_path_get_n_nodes (path); k++)
        {
          const char *id = psim_node_get_id (psim_path_get_node (path, k));
          if (g_hash_table_contains (kept, id))
            g_ptr_array_add (got, (gpointer) id);
        }
      g_autoptr (GString) ws = g_string_new (NULL), gs = g_string_new (NULL);
      if (!traces[i].ordered)
        {
          g_ptr_array_sort (want, compare_strings);
          g_ptr_array_sort (got, compare_strings);
        }
      for (guint k = 0; k < want->len; k++)
        g_string_append_printf (ws, "%s ", (const char *) g_ptr_array_index (want, k));
      for (guint k = 0; k < got->len; k++)
        g_string_append_printf (gs, "%s ", (const char *) g_ptr_array_index (got, k));
      if (strcmp (ws->str, gs->str) != 0)
        fprintf (stderr, "\n%s: trace %s\n  path  %s", traces[i].model, ws->str, gs->str);
      CU_ASSERT_STRING_EQUAL (ws->str, gs->str);
      CU_ASSERT_TRUE (want->len >= 2);
    }
}


/* ---- export ------------------------------------------------------------------ */

static void
assert_texts_equal (const char *what, const char *id, const char *a, const char *b)
{
  if (g_strcmp0 (a, b) != 0)
    fprintf (stderr, "\n%s '%s': '%s' became '%s'", what, id, a ? a : "(null)", b ? b : "(null)");
  CU_ASSERT_STRING_EQUAL (a ? a : "", b ? b : "");
}

static void
assert_quantity_equal (const PsimQuantity *a, const PsimQuantity *b)
{
  CU_ASSERT_EQUAL (a == NULL, b == NULL);
  if (a == NULL || b == NULL)
    return;
  CU_ASSERT_EQUAL (a->unit, b->unit);
  CU_ASSERT_DOUBLE_EQUAL (a->min, b->min, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (a->likely, b->likely, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (a->max, b->max, 1e-9);
  CU_ASSERT_EQUAL (a->basis, b->basis);
  CU_ASSERT_EQUAL (a->source == NULL, b->source == NULL);
  if (a->source != NULL && b->source != NULL)
    CU_ASSERT_STRING_EQUAL (psim_source_get_id (a->source), psim_source_get_id (b->source));
}

static const char *
node_id (const PsimNode *n)
{
  return n != NULL ? psim_node_get_id (n) : "";
}

/* Equal in value, unit, provenance, law, from, by, cut-off, filed param,
 * conditions, and a duty's id and names. */
static void
assert_limit_equal (const PsimLimit *a, const PsimLimit *b)
{
  CU_ASSERT_EQUAL_FATAL (a == NULL, b == NULL);
  if (a == NULL)
    return;
  const char *id = nz (psim_limit_get_id (a));
  CU_ASSERT_EQUAL (psim_limit_is_duty (a), psim_limit_is_duty (b));
  CU_ASSERT_STRING_EQUAL (id, nz (psim_limit_get_id (b)));
  assert_quantity_equal (psim_limit_get_quantity (a), psim_limit_get_quantity (b));
  const PsimLaw *la = psim_limit_get_law (a), *lb = psim_limit_get_law (b);
  CU_ASSERT_STRING_EQUAL (la != NULL ? psim_law_get_id (la) : "", lb != NULL ? psim_law_get_id (lb) : "");
  CU_ASSERT_STRING_EQUAL (node_id (psim_limit_get_from (a)), node_id (psim_limit_get_from (b)));
  CU_ASSERT_STRING_EQUAL (node_id (psim_limit_get_by (a)), node_id (psim_limit_get_by (b)));
  CU_ASSERT_DOUBLE_EQUAL (psim_limit_get_cut_off (a), psim_limit_get_cut_off (b), 1e-9);
  const PsimParam *fa = psim_limit_get_filed_param (a), *fb = psim_limit_get_filed_param (b);
  CU_ASSERT_STRING_EQUAL (fa != NULL ? psim_param_get_id (fa) : "", fb != NULL ? psim_param_get_id (fb) : "");
  CU_ASSERT_EQUAL_FATAL (psim_limit_get_n_conditions (a), psim_limit_get_n_conditions (b));
  for (guint i = 0; i < psim_limit_get_n_conditions (a); i++)
    {
      const PsimNode *sa = NULL, *sb = NULL;
      const char *ta = NULL, *tb = NULL;
      CU_ASSERT_DOUBLE_EQUAL (psim_limit_get_condition (a, i, &sa, &ta),
                              psim_limit_get_condition (b, i, &sb, &tb), 1e-9);
      CU_ASSERT_STRING_EQUAL (node_id (sa), node_id (sb));
      CU_ASSERT_STRING_EQUAL (nz (ta), nz (tb));
    }
  for (const char *const *l = (const char *const[]) { "vi", "en", NULL }; *l; l++)
    assert_texts_equal ("duty", id, psim_limit_get_name (a, *l), psim_limit_get_name (b, *l));
}

/* The variant's legal limit and its duties, in order. */
static void
assert_same_limits (const PsimVariant *a, const PsimVariant *b)
{
  assert_limit_equal (psim_variant_get_time_limit (a), psim_variant_get_time_limit (b));
  CU_ASSERT_EQUAL_FATAL (psim_variant_get_n_duties (a), psim_variant_get_n_duties (b));
  for (guint i = 0; i < psim_variant_get_n_duties (a); i++)
    assert_limit_equal (psim_variant_get_duty (a, i), psim_variant_get_duty (b, i));
}

/* Equal in steps, actors, flows, durations, fees, legal basis and legal
 * limits. */
static void
assert_same_procedure (PsimProcedure *a, PsimProcedure *b)
{
  CU_ASSERT_STRING_EQUAL (psim_procedure_get_id (a), psim_procedure_get_id (b));
  CU_ASSERT_EQUAL_FATAL (psim_procedure_get_n_actors (a), psim_procedure_get_n_actors (b));
  for (guint i = 0; i < psim_procedure_get_n_actors (a); i++)
    {
      const PsimActor *x = psim_procedure_get_actor (a, i), *y = psim_procedure_get_actor (b, i);
      CU_ASSERT_STRING_EQUAL (psim_actor_get_id (x), psim_actor_get_id (y));
      CU_ASSERT_EQUAL (psim_actor_get_kind (x), psim_actor_get_kind (y));
      for (const char *const *l = (const char *const[]) { "vi", "en", NULL }; *l; l++)
        assert_texts_equal ("actor", psim_actor_get_id (x), psim_actor_get_name (x, *l),
                            psim_actor_get_name (y, *l));
    }
  CU_ASSERT_EQUAL_FATAL (psim_procedure_get_n_laws (a), psim_procedure_get_n_laws (b));
  for (guint i = 0; i < psim_procedure_get_n_laws (a); i++)
    {
      const PsimLaw *x = psim_procedure_get_law (a, i), *y = psim_procedure_get_law (b, i);
      CU_ASSERT_STRING_EQUAL (psim_law_get_id (x), psim_law_get_id (y));
      CU_ASSERT_STRING_EQUAL (psim_law_get_number (x), psim_law_get_number (y));
      assert_texts_equal ("law", psim_law_get_id (x), psim_law_get_title (x, "vi"),
                          psim_law_get_title (y, "vi"));
    }
  CU_ASSERT_EQUAL_FATAL (psim_procedure_get_n_variants (a), psim_procedure_get_n_variants (b));
  g_autoptr (PsimCase) ca = psim_case_new (a);
  g_autoptr (PsimCase) cb = psim_case_new (b);
  for (guint v = 0; v < psim_procedure_get_n_variants (a); v++)
    {
      const PsimVariant *va = psim_procedure_get_variant (a, v);
      const PsimVariant *vb = psim_procedure_find_variant (b, psim_variant_get_id (va));
      CU_ASSERT_PTR_NOT_NULL_FATAL (vb);
      CU_ASSERT_EQUAL (psim_variant_get_baseline (va) == NULL, psim_variant_get_baseline (vb) == NULL);
      CU_ASSERT_EQUAL (psim_variant_get_n_steps (va), psim_variant_get_n_steps (vb));
      assert_same_limits (va, vb);
      for (guint i = 0; i < psim_variant_get_n_nodes (va); i++)
        {
          const PsimNode *x = psim_variant_get_node (va, i);
          const char *id = psim_node_get_id (x);
          const PsimNode *y = psim_variant_find_node (vb, id);
          if (y == NULL)
            fprintf (stderr, "\nvariant '%s': node '%s' lost", psim_variant_get_id (va), id);
          CU_ASSERT_PTR_NOT_NULL_FATAL (y);
          CU_ASSERT_EQUAL (psim_node_get_kind (x), psim_node_get_kind (y));
          /* Flows: the same successors, in the same order. */
          CU_ASSERT_EQUAL_FATAL (psim_node_get_n_successors (x), psim_node_get_n_successors (y));
          for (guint k = 0; k < psim_node_get_n_successors (x); k++)
            {
              CU_ASSERT_STRING_EQUAL (psim_node_get_id (psim_node_get_successor (x, k)),
                                      psim_node_get_id (psim_node_get_successor (y, k)));
              double px = -1, py = -1;
              CU_ASSERT_EQUAL (psim_node_get_branch_probability (x, k, &px),
                               psim_node_get_branch_probability (y, k, &py));
              CU_ASSERT_DOUBLE_EQUAL (px, py, 1e-9);
              CU_ASSERT_STRING_EQUAL (nz (psim_node_get_branch_condition (x, k)),
                                      nz (psim_node_get_branch_condition (y, k)));
            }
          if (psim_node_get_kind (x) == PSIM_NODE_SPLIT)
            CU_ASSERT_STRING_EQUAL (psim_node_get_id (psim_node_get_join (x)),
                                    psim_node_get_id (psim_node_get_join (y)));
          if (psim_node_get_kind (x) != PSIM_NODE_STEP)
            continue;
          for (const char *const *l = (const char *const[]) { "vi", "en", NULL }; *l; l++)
            assert_texts_equal ("step", id, psim_node_get_name (x, *l), psim_node_get_name (y, *l));
          CU_ASSERT_STRING_EQUAL (psim_actor_get_id (psim_step_get_actor (x)),
                                  psim_actor_get_id (psim_step_get_actor (y)));
          CU_ASSERT_STRING_EQUAL (psim_actor_get_id (psim_step_get_party (x)),
                                  psim_actor_get_id (psim_step_get_party (y)));
          CU_ASSERT_EQUAL (psim_step_get_channel (x), psim_step_get_channel (y));
          CU_ASSERT_EQUAL (psim_step_is_interaction (x), psim_step_is_interaction (y));
          CU_ASSERT_EQUAL (psim_step_is_visit (x), psim_step_is_visit (y));
          assert_quantity_equal (psim_step_get_duration (x), psim_step_get_duration (y));
          assert_quantity_equal (psim_step_get_effort (x), psim_step_get_effort (y));
          assert_quantity_equal (psim_step_get_time_limit (x), psim_step_get_time_limit (y));
          CU_ASSERT_EQUAL_FATAL (psim_step_get_n_fees (x), psim_step_get_n_fees (y));
          for (guint k = 0; k < psim_step_get_n_fees (x); k++)
            {
              const PsimFee *fx = psim_step_get_fee (x, k), *fy = psim_step_get_fee (y, k);
              CU_ASSERT_EQUAL (psim_fee_get_kind (fx), psim_fee_get_kind (fy));
              CU_ASSERT_EQUAL (psim_fee_get_basis (fx), psim_fee_get_basis (fy));
              CU_ASSERT_STRING_EQUAL (psim_fee_get_currency (fx), psim_fee_get_currency (fy));
              CU_ASSERT_STRING_EQUAL (nz (psim_fee_get_expression (fx)), nz (psim_fee_get_expression (fy)));
              double ax = 0, ay = 0;
              CU_ASSERT_TRUE (psim_case_eval_fee (ca, fx, &ax, NULL));
              CU_ASSERT_TRUE (psim_case_eval_fee (cb, fy, &ay, NULL));
              CU_ASSERT_DOUBLE_EQUAL (ax, ay, 1e-6);
              CU_ASSERT_EQUAL (psim_fee_get_payer (fx) == NULL, psim_fee_get_payer (fy) == NULL);
            }
          CU_ASSERT_EQUAL_FATAL (psim_step_get_n_legal (x), psim_step_get_n_legal (y));
          for (guint k = 0; k < psim_step_get_n_legal (x); k++)
            {
              const char *artx = NULL, *arty = NULL;
              CU_ASSERT_STRING_EQUAL (psim_law_get_id (psim_step_get_legal (x, k, &artx)),
                                      psim_law_get_id (psim_step_get_legal (y, k, &arty)));
              CU_ASSERT_STRING_EQUAL (nz (artx), nz (arty));
            }
          CU_ASSERT_EQUAL (psim_step_get_n_replaces (x), psim_step_get_n_replaces (y));
          CU_ASSERT_EQUAL (psim_step_get_n_inputs (x), psim_step_get_n_inputs (y));
          CU_ASSERT_EQUAL (psim_step_get_n_outputs (x), psim_step_get_n_outputs (y));
        }
      /* And so the same path and totals for the default case. */
      g_autoptr (PsimPath) pa = psim_path_new (va, ca, NULL);
      g_autoptr (PsimPath) pb = psim_path_new (vb, cb, NULL);
      CU_ASSERT_PTR_NOT_NULL_FATAL (pa);
      CU_ASSERT_PTR_NOT_NULL_FATAL (pb);
      CU_ASSERT_EQUAL (psim_path_get_totals (pa)->steps, psim_path_get_totals (pb)->steps);
      CU_ASSERT_DOUBLE_EQUAL (psim_path_get_totals (pa)->fees_total, psim_path_get_totals (pb)->fees_total, 1e-6);
    }
}

static void
test_export_round_trip (void)
{
  g_autofree char *xsd = psim_test_data ("bpmn/schema/BPMN20.xsd");
  xmlSchemaParserCtxtPtr pctx = xmlSchemaNewParserCtxt (xsd);
  xmlSchemaPtr schema = xmlSchemaParse (pctx);
  xmlSchemaFreeParserCtxt (pctx);
  CU_ASSERT_PTR_NOT_NULL_FATAL (schema);
  /* The bundled procedures, and limits.xml for the conditions, cut-off
   * and filed param of the legal limits; each carries limits. */
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (files, psim_test_workflow ("land-title-transfer.xml"));
  g_ptr_array_add (files, psim_test_workflow ("business-registration.xml"));
  g_ptr_array_add (files, psim_test_data ("valid/limits.xml"));
  for (guint i = 0; i < files->len; i++)
    for (guint variant = 0; variant < 2; variant++)
      {
        const char *file = g_ptr_array_index (files, i);
        g_autoptr (PsimProcedure) proc = psim_test_load_clean (file);
        guint n = psim_procedure_get_n_variants (proc);
        CU_ASSERT_PTR_NOT_NULL (psim_variant_get_time_limit (psim_procedure_get_variant (proc, 0)));
        const char *only = variant == 0 ? NULL
                                        : psim_variant_get_id (psim_procedure_get_variant (proc, n - 1));
        g_autoptr (GError) error = NULL;
        g_autoptr (GBytes) bpmn = psim_bpmn_export (proc, only, "vi", &error);
        g_assert_no_error (error);
        g_autoptr (GBytes) again = psim_bpmn_export (proc, only, "vi", NULL);
        CU_ASSERT_TRUE (g_bytes_equal (bpmn, again)); /* deterministic */

        /* Valid BPMN 2.0, diagram included. */
        gsize size = 0;
        const char *data = g_bytes_get_data (bpmn, &size);
        xmlDocPtr doc = xmlReadMemory (data, (int) size, "export.bpmn", NULL, XML_PARSE_NONET);
        CU_ASSERT_PTR_NOT_NULL_FATAL (doc);
        xmlSchemaValidCtxtPtr vctx = xmlSchemaNewValidCtxt (schema);
        CU_ASSERT_EQUAL (xmlSchemaValidateDoc (vctx, doc), 0);
        xmlSchemaFreeValidCtxt (vctx);
        xmlXPathContextPtr ctx = xmlXPathNewContext (doc);
        xmlXPathRegisterNs (ctx, BAD_CAST "b", BAD_CAST BPMN_NS);
        xmlXPathRegisterNs (ctx, BAD_CAST "di", BAD_CAST "http://www.omg.org/spec/BPMN/20100524/DI");
        /* Every flow node, flow, lane and pool has its shape or edge. */
        int elements = xpath_count (ctx, "count(//b:process/*[@id and not(self::b:laneSet)]"
                                         " | //b:lane | //b:participant)");
        int drawn = xpath_count (ctx, "count(//di:BPMNShape | //di:BPMNEdge)");
        CU_ASSERT_EQUAL (elements, drawn);
        CU_ASSERT_TRUE (xpath_count (ctx, "count(//b:task | //b:userTask | //b:manualTask"
                                          " | //b:serviceTask)") > 2);
        xmlXPathFreeContext (ctx);
        xmlFreeDoc (doc);

        /* Imported again: the same procedure. */
        g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
        g_autoptr (PsimProcedure) back
          = psim_bpmn_import_memory (loader, data, size, "export.bpmn", NULL, NULL, diags, &error);
        g_autofree char *all = psim_test_join_diagnostics (diags);
        if (back == NULL || diags->len > 0)
          fprintf (stderr, "\n%s", all);
        CU_ASSERT_PTR_NOT_NULL_FATAL (back);
        CU_ASSERT_EQUAL (diags->len, 0);
        if (only == NULL)
          assert_same_procedure (proc, back);
        else
          {
            CU_ASSERT_EQUAL_FATAL (psim_procedure_get_n_variants (back), 1);
            const PsimVariant *va = psim_procedure_find_variant (proc, only);
            const PsimVariant *vb = psim_procedure_get_variant (back, 0);
            CU_ASSERT_EQUAL (psim_variant_get_n_steps (vb), psim_variant_get_n_steps (va));
            assert_same_limits (va, vb);
          }
      }
  xmlSchemaFree (schema);
  g_autofree char *file = psim_test_workflow ("land-title-transfer.xml");
  g_autoptr (PsimProcedure) proc = psim_test_load_clean (file);
  g_autoptr (GError) error = NULL;
  CU_ASSERT_PTR_NULL (psim_bpmn_export (proc, "nope", "en", &error));
  CU_ASSERT_TRUE (g_error_matches (error, PSIM_BPMN_ERROR, PSIM_BPMN_ERROR_VARIANT));
}

/* BPSim parameters of another tool: durations, probabilities, costs. */
static void
test_bpsim (void)
{
  const char *text = HEAD
    "<process id=\"p\"><startEvent id=\"s\"/><exclusiveGateway id=\"g\" name=\"ok?\"/>"
    "<task id=\"a\" name=\"A\"/><task id=\"b\" name=\"B\"/><endEvent id=\"e\"/>\n"
    "<intermediateCatchEvent id=\"w\"><timerEventDefinition><timeDuration>P2DT12H</timeDuration>"
    "</timerEventDefinition></intermediateCatchEvent>\n"
    "<sequenceFlow id=\"f1\" sourceRef=\"s\" targetRef=\"g\"/>"
    "<sequenceFlow id=\"f2\" sourceRef=\"g\" targetRef=\"a\"/>"
    "<sequenceFlow id=\"f3\" sourceRef=\"g\" targetRef=\"b\"/>"
    "<sequenceFlow id=\"f4\" sourceRef=\"a\" targetRef=\"w\"/>"
    "<sequenceFlow id=\"f5\" sourceRef=\"w\" targetRef=\"e\"/>"
    "<sequenceFlow id=\"f6\" sourceRef=\"b\" targetRef=\"e\"/></process>\n"
    "<relationship type=\"BPSimData\"><extensionElements>"
    "<bpsim:BPSimData xmlns:bpsim=\"http://www.bpsim.org/schemas/1.0\"><bpsim:Scenario id=\"s1\">"
    "<bpsim:ScenarioParameters baseTimeUnit=\"hour\"/>"
    "<bpsim:ElementParameters elementRef=\"a\"><bpsim:TimeParameters><bpsim:ProcessingTime>"
    "<bpsim:TriangularDistribution min=\"1\" mode=\"2\" max=\"4\"/></bpsim:ProcessingTime>"
    "</bpsim:TimeParameters><bpsim:CostParameters><bpsim:FixedCost>"
    "<bpsim:FloatingParameter value=\"50000\"/></bpsim:FixedCost></bpsim:CostParameters>"
    "</bpsim:ElementParameters>"
    "<bpsim:ElementParameters elementRef=\"f2\"><bpsim:ControlParameters><bpsim:Probability>"
    "<bpsim:FloatingParameter value=\"0.3\"/></bpsim:Probability></bpsim:ControlParameters>"
    "</bpsim:ElementParameters>"
    "<bpsim:ElementParameters elementRef=\"f3\"><bpsim:ControlParameters><bpsim:Probability>"
    "<bpsim:FloatingParameter value=\"0.7\"/></bpsim:Probability></bpsim:ControlParameters>"
    "</bpsim:ElementParameters>"
    "</bpsim:Scenario></bpsim:BPSimData></extensionElements>"
    "<source>p</source><target>p</target></relationship></definitions>";
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  g_autoptr (PsimProcedure) proc = import_text (text, diags);
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  CU_ASSERT_EQUAL (diags->len, 0);
  const PsimVariant *v = psim_procedure_get_variant (proc, 0);
  const PsimQuantity *d = psim_step_get_duration (psim_variant_find_node (v, "a"));
  CU_ASSERT_PTR_NOT_NULL_FATAL (d);
  CU_ASSERT_EQUAL (d->unit, PSIM_UNIT_HOURS);
  CU_ASSERT_DOUBLE_EQUAL (d->min, 1, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (d->likely, 2, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (d->max, 4, 1e-9);
  double amount = 0;
  CU_ASSERT_TRUE (psim_fee_get_amount (psim_step_get_fee (psim_variant_find_node (v, "a"), 0), &amount));
  CU_ASSERT_DOUBLE_EQUAL (amount, 50000, 1e-9);
  const PsimNode *g = psim_variant_find_node (v, "g");
  CU_ASSERT_EQUAL (psim_node_get_kind (g), PSIM_NODE_CHOICE);
  double p = 0;
  CU_ASSERT_TRUE (psim_node_get_branch_probability (g, 1, &p));
  CU_ASSERT_DOUBLE_EQUAL (p, 0.7, 1e-9);
  /* A timer's duration is a wait: 2.5 calendar days, no interaction. */
  const PsimNode *w = psim_variant_find_node (v, "w");
  CU_ASSERT_EQUAL (psim_node_get_kind (w), PSIM_NODE_STEP);
  CU_ASSERT_FALSE (psim_step_is_interaction (w));
  CU_ASSERT_EQUAL (psim_step_get_duration (w)->unit, PSIM_UNIT_CALENDAR_DAYS);
  CU_ASSERT_DOUBLE_EQUAL (psim_step_get_duration (w)->likely, 2.5, 1e-9);
}

/* A variant's limits name its nodes by their procsim ids; a node whose
 * id another element took first is renamed, and so are the references. */
static void
test_limit_references (void)
{
  const char *text = HEAD
    "<process id=\"p\" xmlns:psim=\"" PSIM_BPMN_NS "\"><extensionElements>"
    "<psim:variant id=\"v\"><psim:title xml:lang=\"en\">V</psim:title>\n"
    "<psim:time-limit value=\"3\" unit=\"working-days\" from=\"a\" by=\"b\" basis=\"estimated\">"
    "<psim:when step=\"b\" test=\"1 &lt; 2\" value=\"5\"/></psim:time-limit>\n"
    "<psim:duty id=\"d\" value=\"2\" unit=\"calendar-days\" from=\"s\" by=\"a\" basis=\"estimated\">"
    "<psim:name xml:lang=\"en\">Do it</psim:name></psim:duty>"
    "</psim:variant></extensionElements>\n"
    "<startEvent id=\"s\"/><task id=\"b\" name=\"Called b in BPMN\"/>"
    "<task id=\"t1\" name=\"A\"><extensionElements><psim:step id=\"a\"/></extensionElements></task>"
    "<task id=\"t2\" name=\"B\"><extensionElements><psim:step id=\"b\"/></extensionElements></task>"
    "<endEvent id=\"e\"/>\n"
    "<sequenceFlow id=\"f1\" sourceRef=\"s\" targetRef=\"b\"/>"
    "<sequenceFlow id=\"f2\" sourceRef=\"b\" targetRef=\"t1\"/>"
    "<sequenceFlow id=\"f3\" sourceRef=\"t1\" targetRef=\"t2\"/>"
    "<sequenceFlow id=\"f4\" sourceRef=\"t2\" targetRef=\"e\"/></process></definitions>";
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  g_autoptr (PsimProcedure) proc = import_text (text, diags);
  g_autofree char *all = psim_test_join_diagnostics (diags);
  if (proc == NULL || psim_diagnostics_count_errors (diags) > 0)
    fprintf (stderr, "\n%s", all);
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  const PsimVariant *v = psim_procedure_get_variant (proc, 0);
  const PsimLimit *l = psim_variant_get_time_limit (v);
  CU_ASSERT_PTR_NOT_NULL_FATAL (l);
  CU_ASSERT_STRING_EQUAL (node_id (psim_limit_get_from (l)), "a");
  CU_ASSERT_STRING_EQUAL (node_id (psim_limit_get_by (l)), "b-2");
  CU_ASSERT_STRING_EQUAL (psim_node_get_name (psim_limit_get_by (l), "en"), "B");
  CU_ASSERT_EQUAL_FATAL (psim_limit_get_n_conditions (l), 1);
  const PsimNode *step = NULL;
  const char *test = NULL;
  CU_ASSERT_DOUBLE_EQUAL (psim_limit_get_condition (l, 0, &step, &test), 5, 1e-9);
  CU_ASSERT_STRING_EQUAL (node_id (step), "b-2");
  CU_ASSERT_STRING_EQUAL (nz (test), "1 < 2");
  CU_ASSERT_EQUAL_FATAL (psim_variant_get_n_duties (v), 1);
  const PsimLimit *d = psim_variant_get_duty (v, 0);
  CU_ASSERT_STRING_EQUAL (node_id (psim_limit_get_from (d)), "s");
  CU_ASSERT_STRING_EQUAL (node_id (psim_limit_get_by (d)), "a");
  CU_ASSERT_STRING_EQUAL (nz (psim_limit_get_name (d, "en")), "Do it");
}

/* Two groups, so that only the one that needs Graphviz runs with the
 * environment its leaks need (tests/meson.build): "import" and "graphviz". */
int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  loader = psim_loader_new (&error);
  g_assert_no_error (error);
  static const PsimTest import_tests[] = {
    { "MIWG reference models import, counts match", test_miwg_reference },
    { "MIWG tool exports import, counts match", test_miwg_tools },
    { "edge cases: errors and warnings with their lines", test_edge_cases },
    { "encodings: ISO-8859-1, windows-1252 undeclared", test_encodings },
    { "not block-structured: mapped or refused", test_non_block_structured },
    { "token-simulation traces where the semantics agree", test_token_traces },
    { "BPSim 1.0 parameters, a timer's duration", test_bpsim },
    { "a variant's limits name its nodes as renamed", test_limit_references },
    { NULL, NULL },
  };
  static const PsimTest graphviz_tests[] = {
    { "every imported MIWG variant renders", test_miwg_render },
    { "export: valid BPMN with DI, re-imports equal", test_export_round_trip },
    { NULL, NULL },
  };
  gboolean graphviz = argc > 1 && strcmp (argv[1], "graphviz") == 0;
  int status = psim_test_run (graphviz ? "bpmn-graphviz" : "bpmn",
                              graphviz ? graphviz_tests : import_tests);
  psim_loader_free (loader);
  return status;
}
