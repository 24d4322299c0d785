/* test-simulate-formats.c — `procsim simulate`'s outputs read back with
 * real readers: the CSV with the RFC 4180 reader (every row as wide as the
 * header), the JSON with json-glib, the HTML with libxml2's XML parser
 * (well-formed, self-contained, a histogram per variant), in both
 * languages; the same seed gives the same bytes, with one thread or two.
 *
 * `test-simulate-formats xes [XMLLINT]` checks the event log instead: valid
 * against both copies of the IEEE 1849-2016 schema in tests/data/xes with
 * libxml2's schema validator in process (so everywhere), and with xmllint
 * too when its path is given (where meson finds it), one trace per case,
 * a start and a complete event per step, the same bytes on every run, and
 * no file left behind when it cannot be written.
 */
#include "psim-test-formats.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <string.h>
#include <sys/wait.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)

static const char *xmllint;

#define LAND "workflows/land-title-transfer.xml"

/* A small run: a few hundred cases, three replications. */
#define SMALL "--cases", "200", "--replications", "3", "--seed", "7"

static void
test_csv (void)
{
  for (guint l = 0; l < 2; l++)
    for (guint pair = 0; pair < 2; pair++)
      {
        const char *args[] = { "--lang", l ? "vi" : "en", "simulate", LAND, SMALL, "--format",
                               "csv", pair ? "--compare" : NULL, "legacy,digital", NULL };
        g_autofree char *out = psim_test_run_procsim (args);
        CU_ASSERT_PTR_NOT_NULL_FATAL (out);
        g_autoptr (GPtrArray) rows = psim_test_csv_read (out);
        CU_ASSERT_PTR_NOT_NULL_FATAL (rows);
        CU_ASSERT_FATAL (rows->len > PSIM_FIG_N);
        GPtrArray *header = g_ptr_array_index (rows, 0);
        CU_ASSERT_STRING_EQUAL (g_ptr_array_index (header, 0), "variant");
        guint diff = 0;
        for (guint r = 1; r < rows->len; r++)
          {
            GPtrArray *row = g_ptr_array_index (rows, r);
            CU_ASSERT_EQUAL_FATAL (row->len, header->len);
            diff += strcmp (g_ptr_array_index (row, 0), "B-A") == 0;
            /* The mean is a number or empty (unknown). */
            const char *mean = g_ptr_array_index (row, 3);
            char *end = NULL;
            if (mean[0] != '\0')
              {
                g_ascii_strtod (mean, &end);
                CU_ASSERT (*end == '\0');
              }
            CU_ASSERT_STRING_EQUAL (g_ptr_array_index (row, 5), "3");
          }
        CU_ASSERT (pair ? diff >= PSIM_FIG_N : diff == 0);
      }
}

static void
test_json (void)
{
  for (guint pair = 0; pair < 2; pair++)
    {
      const char *args[] = { "--lang", pair ? "vi" : "en", "simulate", LAND, SMALL, "--format",
                             "json", pair ? "--compare" : NULL, "legacy,digital", NULL };
      g_autofree char *out = psim_test_run_procsim (args);
      CU_ASSERT_PTR_NOT_NULL_FATAL (out);
      g_autoptr (JsonParser) parser = json_parser_new ();
      CU_ASSERT_FATAL (json_parser_load_from_data (parser, out, -1, NULL));
      JsonObject *root = json_node_get_object (json_parser_get_root (parser));
      CU_ASSERT_FATAL (root != NULL);
      CU_ASSERT_EQUAL (json_object_get_int_member (root, "seed"), 7);
      CU_ASSERT_EQUAL (json_object_get_int_member (root, "replications"), 3);
      JsonArray *variants = json_object_get_array_member (root, "variants");
      CU_ASSERT_EQUAL_FATAL (json_array_get_length (variants), pair ? 2 : 1);
      JsonObject *a = json_array_get_object_element (variants, 0);
      for (PsimSimFigure f = 0; f < PSIM_FIG_N; f++)
        CU_ASSERT (json_object_has_member (a, psim_sim_figure_to_string (f)));
      JsonObject *lead = json_object_get_object_member (a, "lead_mean");
      CU_ASSERT (json_object_get_double_member (lead, "mean") > 0);
      CU_ASSERT (json_object_get_double_member (lead, "ci95_half_width") > 0);
      JsonObject *hist = json_object_get_object_member (a, "lead_histogram");
      JsonArray *counts = json_object_get_array_member (hist, "counts");
      gint64 total = 0;
      for (guint i = 0; i < json_array_get_length (counts); i++)
        total += json_array_get_int_element (counts, i);
      CU_ASSERT_EQUAL (total, 3 * 200);
      /* The legacy path's limits: the procedure's, the step's, two duties. */
      JsonArray *limits = json_object_get_array_member (a, "legal_limits");
      CU_ASSERT_EQUAL_FATAL (json_array_get_length (limits), 4);
      const char *levels[] = { "procedure", "step", "duty", "duty" };
      for (guint i = 0; i < 4; i++)
        {
          JsonObject *l = json_array_get_object_element (limits, i);
          CU_ASSERT_STRING_EQUAL (json_object_get_string_member (l, "level"), levels[i]);
          double share = json_object_get_double_member (
            json_object_get_object_member (l, "share_over"), "mean");
          CU_ASSERT (share >= 0 && share <= 1);
        }
      JsonObject *whole = json_array_get_object_element (limits, 0);
      CU_ASSERT_STRING_EQUAL (json_object_get_string_member (whole, "from"), "submit-dossier");
      CU_ASSERT_STRING_EQUAL (json_object_get_string_member (whole, "by"), "collect-certificate");
      CU_ASSERT_STRING_EQUAL (json_object_get_string_member (json_array_get_object_element (limits, 3), "duty"),
                              "pay-on-time");
      CU_ASSERT_EQUAL (json_object_has_member (root, "difference"), pair != 0);
    }
}

static void
test_html (void)
{
  for (guint l = 0; l < 2; l++)
    for (guint pair = 0; pair < 2; pair++)
      {
        const char *lang = l ? "vi" : "en";
        const char *args[] = { "--lang", lang, "simulate", LAND, SMALL, "--format", "html",
                               pair ? "--compare" : NULL, "legacy,digital", NULL };
        g_autofree char *out = psim_test_run_procsim (args);
        CU_ASSERT_PTR_NOT_NULL_FATAL (out);
        psim_test_check_html (out, lang, LAND);
        /* One histogram per variant, with bars. */
        guint hists = 0;
        for (const char *p = out; (p = strstr (p, "<svg class=\"hist\"")) != NULL; p++)
          hists++;
        CU_ASSERT_EQUAL (hists, pair ? 2 : 1);
        CU_ASSERT_PTR_NOT_NULL (strstr (out, "<rect "));
        CU_ASSERT_PTR_NOT_NULL (strstr (out, " ± "));
      }
}

/* The same seed gives the same bytes, whatever the number of threads. */
static void
test_reproducible (void)
{
  const char *formats[] = { "text", "csv", "json", "html" };
  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      const char *one[] = { "simulate", LAND, SMALL, "--compare", "legacy,digital", "--format",
                            formats[f], "--jobs", "1", NULL };
      const char *two[] = { "simulate", LAND, SMALL, "--compare", "legacy,digital", "--format",
                            formats[f], "--jobs", "2", NULL };
      g_autofree char *a = psim_test_run_procsim (one);
      g_autofree char *b = psim_test_run_procsim (two);
      CU_ASSERT_PTR_NOT_NULL_FATAL (a);
      CU_ASSERT_PTR_NOT_NULL_FATAL (b);
      CU_ASSERT_STRING_EQUAL (a, b);
    }
}

/* ---- the event log ------------------------------------------------------------ */

static char *
write_log (const char *dir, const char *name, const char *jobs)
{
  char *path = g_build_filename (dir, name, NULL);
  const char *args[] = { "--lang", "vi", "simulate", LAND, SMALL, "--jobs", jobs, "--log", path,
                         NULL };
  g_autofree char *out = psim_test_run_procsim (args);
  CU_ASSERT_PTR_NOT_NULL (out);
  return path;
}

/* The log with its default namespace declaration removed: the schema
 * declares no target namespace while XES files use
 * http://www.xes-standard.org/ (tests/data/xes/README.md). (transfer full) */
static char *
without_namespace (const char *xes)
{
  const char *decl = " xmlns=\"http://www.xes-standard.org/\"";
  char *plain = g_strdup (xes);
  char *at = strstr (plain, decl);
  CU_ASSERT_PTR_NOT_NULL (at);
  if (at != NULL)
    memmove (at, at + strlen (decl), strlen (at + strlen (decl)) + 1);
  return plain;
}

/* Keeps the validator's first message, printed when the log is found
 * invalid where it must be valid. */
static void
keep_first (void *data, xmlErrorPtr error)
{
  GString *first = data;
  if (first->len == 0 && error != NULL && error->message != NULL)
    g_string_printf (first, "line %d: %s", error->line, error->message);
}

/* Whether the log is valid against @schema (under tests/data), with
 * libxml2's validator in process; @quiet leaves out the message. */
static gboolean
schema_valid (const char *xes, const char *schema, gboolean quiet)
{
  g_autofree char *plain = without_namespace (xes);
  g_autoptr (xmlDoc) doc = xmlReadMemory (plain, (int) strlen (plain), "log.xes", "UTF-8",
                                          XML_PARSE_NONET);
  if (doc == NULL)
    return FALSE;
  g_autofree char *xsd = psim_test_data (schema);
  xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt (xsd);
  xmlSchemaPtr parsed = xmlSchemaParse (pc);
  xmlSchemaFreeParserCtxt (pc);
  CU_ASSERT_PTR_NOT_NULL (parsed);
  if (parsed == NULL)
    return FALSE;
  g_autoptr (GString) first = g_string_new (NULL);
  xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt (parsed);
  xmlSchemaSetValidStructuredErrors (vc, keep_first, first);
  int rc = xmlSchemaValidateDoc (vc, doc);
  xmlSchemaFreeValidCtxt (vc);
  xmlSchemaFree (parsed);
  if (rc != 0 && !quiet)
    g_printerr ("\n%s: %s\n", schema, first->str);
  return rc == 0;
}

/* xmllint on the log, as a second, independent reader. */
static gboolean
xmllint_valid (const char *dir, const char *xes, const char *schema)
{
  g_autofree char *plain = without_namespace (xes);
  g_autofree char *path = g_build_filename (dir, "plain.xes", NULL);
  CU_ASSERT_FATAL (g_file_set_contents (path, plain, -1, NULL));
  g_autofree char *xsd = psim_test_data (schema);
  const char *argv[] = { xmllint, "--noout", "--nonet", "--schema", xsd, path, NULL };
  g_autofree char *err = NULL;
  int status = 0;
  gboolean ran = g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                               NULL, &err, &status, NULL);
  g_unlink (path);
  if (!ran || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_printerr ("\n%s: %s\n", schema, err != NULL ? err : "xmllint did not run");
  return ran && WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

static void
test_xes (void)
{
  g_autofree char *dir = g_dir_make_tmp ("procsim-xes-XXXXXX", NULL);
  CU_ASSERT_FATAL (dir != NULL);
  g_autofree char *a = write_log (dir, "a.xes", "1");
  g_autofree char *b = write_log (dir, "b.xes", "2");
  g_autofree char *xes = NULL, *again = NULL;
  CU_ASSERT_FATAL (g_file_get_contents (a, &xes, NULL, NULL));
  CU_ASSERT_FATAL (g_file_get_contents (b, &again, NULL, NULL));
  CU_ASSERT_STRING_EQUAL (xes, again);

  static const char *const schemas[] = { "xes/xes-ieee-1849-2016.xsd",
                                         "xes/jbpm-xes-ieee-1849-2016.xsd" };
  for (guint i = 0; i < G_N_ELEMENTS (schemas); i++)
    {
      CU_ASSERT (schema_valid (xes, schemas[i], FALSE));
      if (xmllint != NULL)
        CU_ASSERT (xmllint_valid (dir, xes, schemas[i]));
    }
  /* The validator does reject: a trace with an element the schema does
   * not have. */
  g_autoptr (GString) bogus = g_string_new (xes);
  g_string_replace (bogus, "<trace>", "<trace><bogus/>", 1);
  CU_ASSERT_FALSE (schema_valid (bogus->str, schemas[0], TRUE));
  CU_ASSERT_FALSE (schema_valid (bogus->str, schemas[1], TRUE));

  /* One trace per case; in each, as many starts as completes. */
  g_autoptr (xmlDoc) doc = xmlReadMemory (xes, (int) strlen (xes), "log.xes", "UTF-8", XML_PARSE_NONET);
  CU_ASSERT_PTR_NOT_NULL_FATAL (doc);
  guint traces = 0, unbalanced = 0, resources = 0;
  for (xmlNode *t = xmlDocGetRootElement (doc)->children; t != NULL; t = t->next)
    {
      if (t->type != XML_ELEMENT_NODE || strcmp ((const char *) t->name, "trace") != 0)
        continue;
      traces++;
      int balance = 0;
      for (xmlNode *e = t->children; e != NULL; e = e->next)
        for (xmlNode *a2 = e->children; e->type == XML_ELEMENT_NODE && a2 != NULL; a2 = a2->next)
          {
            if (a2->type != XML_ELEMENT_NODE)
              continue;
            g_autofree char *key = (char *) xmlGetProp (a2, (const xmlChar *) "key");
            g_autofree char *value = (char *) xmlGetProp (a2, (const xmlChar *) "value");
            if (g_strcmp0 (key, "lifecycle:transition") == 0)
              balance += strcmp (value, "start") == 0 ? 1 : -1;
            resources += g_strcmp0 (key, "org:resource") == 0;
          }
      unbalanced += balance != 0;
    }
  CU_ASSERT_EQUAL (traces, 200);
  CU_ASSERT_EQUAL (unbalanced, 0);
  CU_ASSERT (resources > 0);
  g_unlink (a);
  g_unlink (b);

  /* A log that cannot be written: exit 2, and nothing left behind. */
  g_autofree char *bad = g_build_filename (dir, "no", "such", "dir", "log.xes", NULL);
  const char *args[] = { "simulate", LAND, SMALL, "--log", bad, NULL };
  CU_ASSERT_PTR_NULL (psim_test_run_procsim (args));
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  CU_ASSERT_PTR_NULL (g_dir_read_name (d));
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  static const PsimTest xes[] = {
    { "the XES log validates, one trace per case, same bytes", test_xes },
    { NULL, NULL },
  };
  if ((argc == 2 || argc == 3) && strcmp (argv[1], "xes") == 0)
    {
      xmllint = argc == 3 ? argv[2] : NULL;
      return psim_test_run ("simulate-xes", xes);
    }
  static const PsimTest tests[] = {
    { "CSV reads back with an RFC 4180 reader", test_csv },
    { "JSON parses, with every figure", test_json },
    { "HTML is well-formed and self-contained", test_html },
    { "same seed, same bytes, one thread or two", test_reproducible },
    { NULL, NULL },
  };
  return psim_test_run ("simulate-formats", tests);
}
