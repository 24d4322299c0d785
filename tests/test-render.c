/* test-render.c — process graphs: golden DOT for every bundled variant and
 * compare view, SVG that is well-formed XML and names every step, PNG and
 * PDF with the right magic bytes, the same bytes twice, highlights and
 * their errors.
 *
 * PSIM_UPDATE_GOLDEN=1 rewrites tests/data/golden/render/ from the current
 * output: look at the pictures and review the diff before committing it.
 */
#include "psim-test.h"
#include "gen/psim-gen.h"

#include <libxml/parser.h>
#include <string.h>

static PsimProcedure *
load_bundled (const char *name)
{
  g_autofree char *path = psim_test_workflow (name);
  return psim_test_load_clean (path);
}

static GBytes *
render (const PsimVariant *v, const PsimVariant *compare_with, const PsimRenderOptions *opts,
        const char *format)
{
  g_autoptr (PsimRenderer) r = psim_renderer_new ();
  g_autoptr (GError) error = NULL;
  GBytes *out = compare_with != NULL
                  ? psim_renderer_render_compare (r, v, compare_with, opts, format, &error)
                  : psim_renderer_render_variant (r, v, opts, format, &error);
  if (out == NULL)
    g_printerr ("\nrender %s: %s\n", format, error->message);
  return out;
}

/* The DOT as text, with agwrite's line continuations ("\\\n") joined. */
static char *
dot_text (GBytes *dot)
{
  g_autoptr (GString) s = g_string_new_len (g_bytes_get_data (dot, NULL), g_bytes_get_size (dot));
  g_string_replace (s, "\\\n", "", 0);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
check_golden (const char *name, GBytes *got)
{
  g_autofree char *rel = g_strdup_printf ("golden/render/%s.dot", name);
  g_autofree char *path = psim_test_data (rel);
  gsize size = 0;
  const char *data = g_bytes_get_data (got, &size);
  if (g_getenv ("PSIM_UPDATE_GOLDEN") != NULL)
    {
      g_autofree char *src = g_build_filename (g_getenv ("PSIM_SOURCE_ROOT"), "tests/data", rel, NULL);
      CU_ASSERT (g_file_set_contents (src, data, (gssize) size, NULL));
      return;
    }
  g_autofree char *expected = NULL;
  gsize expected_size = 0;
  if (!g_file_get_contents (path, &expected, &expected_size, NULL))
    {
      g_printerr ("\nno golden file %s\n", path);
      CU_FAIL ("missing golden DOT");
      return;
    }
  if (expected_size != size || memcmp (expected, data, size) != 0)
    {
      g_printerr ("\n%s differs from its golden DOT\n", name);
      CU_FAIL ("DOT differs from the golden file");
    }
}

static const char *const bundled[] = { "land-title-transfer.xml", "business-registration.xml" };

static void
test_golden_dot (void)
{
  PsimRenderOptions opts = { .lang = "en" };
  for (guint f = 0; f < G_N_ELEMENTS (bundled); f++)
    {
      g_autoptr (PsimProcedure) proc = load_bundled (bundled[f]);
      CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
      g_autofree char *stem = g_strndup (bundled[f], strlen (bundled[f]) - 4);
      for (guint i = 0; i < psim_procedure_get_n_variants (proc); i++)
        {
          const PsimVariant *v = psim_procedure_get_variant (proc, i);
          g_autoptr (GBytes) dot = render (v, NULL, &opts, "dot");
          CU_ASSERT_PTR_NOT_NULL_FATAL (dot);
          g_autofree char *name = g_strdup_printf ("%s-%s", stem, psim_variant_get_id (v));
          check_golden (name, dot);
        }
      g_autoptr (GBytes) cmp = render (psim_procedure_find_variant (proc, "legacy"),
                                       psim_procedure_find_variant (proc, "digital"), &opts, "dot");
      CU_ASSERT_PTR_NOT_NULL_FATAL (cmp);
      g_autofree char *name = g_strdup_printf ("%s-compare", stem);
      check_golden (name, cmp);
    }
}

/* Every word of a step's name appears in the SVG's text (names are
 * wrapped over several <text> lines, so whole names may not; Graphviz
 * writes some characters as references, so compare the parsed text). */
static void
check_svg_names (const char *svg, gsize size, const PsimVariant *v, const char *lang)
{
  xmlDocPtr doc = xmlReadMemory (svg, (int) size, "render.svg", NULL,
                                 XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  CU_ASSERT_PTR_NOT_NULL_FATAL (doc);
  xmlChar *text = xmlNodeGetContent (xmlDocGetRootElement (doc));
  for (guint i = 0; i < psim_variant_get_n_nodes (v); i++)
    {
      const PsimNode *n = psim_variant_get_node (v, i);
      if (psim_node_get_kind (n) != PSIM_NODE_STEP)
        continue;
      g_auto (GStrv) words = g_strsplit (psim_node_get_name (n, lang), " ", -1);
      for (guint w = 0; words[w] != NULL; w++)
        if (strstr ((const char *) text, words[w]) == NULL)
          {
            g_printerr ("\nstep '%s': '%s' missing from the SVG\n", psim_node_get_id (n), words[w]);
            CU_FAIL ("a step's label is missing from the SVG");
          }
    }
  xmlFree (text);
  xmlFreeDoc (doc);
}

static void
test_svg_png_pdf (void)
{
  static const char *const langs[] = { "en", "vi" };
  for (guint f = 0; f < G_N_ELEMENTS (bundled); f++)
    {
      g_autoptr (PsimProcedure) proc = load_bundled (bundled[f]);
      CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
      for (guint l = 0; l < G_N_ELEMENTS (langs); l++)
        for (guint i = 0; i < psim_procedure_get_n_variants (proc); i++)
          {
            const PsimVariant *v = psim_procedure_get_variant (proc, i);
            PsimRenderOptions opts = { .lang = langs[l], .details = TRUE };
            g_autoptr (GBytes) svg = render (v, NULL, &opts, "svg");
            CU_ASSERT_PTR_NOT_NULL_FATAL (svg);
            gsize size = 0;
            const char *data = g_bytes_get_data (svg, &size);
            check_svg_names (data, size, v, langs[l]);
          }
      /* Every variant, and the compare view, in the binary formats too. */
      PsimRenderOptions opts = { .lang = "vi", .details = TRUE };
      for (guint i = 0; i <= psim_procedure_get_n_variants (proc); i++)
        {
          gboolean compare = i == psim_procedure_get_n_variants (proc);
          const PsimVariant *v = compare ? psim_procedure_find_variant (proc, "legacy")
                                         : psim_procedure_get_variant (proc, i);
          const PsimVariant *w = compare ? psim_procedure_find_variant (proc, "digital") : NULL;
          g_autoptr (GBytes) png = render (v, w, &opts, "png");
          g_autoptr (GBytes) pdf = render (v, w, &opts, "pdf");
          CU_ASSERT_PTR_NOT_NULL_FATAL (png);
          CU_ASSERT_PTR_NOT_NULL_FATAL (pdf);
          CU_ASSERT (g_bytes_get_size (png) > 1000);
          CU_ASSERT (memcmp (g_bytes_get_data (png, NULL), "\x89PNG\r\n\x1a\n", 8) == 0);
          CU_ASSERT (memcmp (g_bytes_get_data (pdf, NULL), "%PDF-", 5) == 0);
        }
    }
}

static void
test_deterministic (void)
{
  g_autoptr (PsimProcedure) proc = load_bundled ("land-title-transfer.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  const PsimVariant *a = psim_procedure_find_variant (proc, "legacy");
  const PsimVariant *b = psim_procedure_find_variant (proc, "digital");
  PsimRenderOptions opts = { .lang = "vi", .details = TRUE };
  static const char *const formats[] = { "dot", "svg" };
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autoptr (GBytes) one = render (a, b, &opts, formats[i]);
      g_autoptr (GBytes) two = render (a, b, &opts, formats[i]);
      CU_ASSERT_PTR_NOT_NULL_FATAL (one);
      CU_ASSERT_PTR_NOT_NULL_FATAL (two);
      CU_ASSERT (g_bytes_equal (one, two));
    }
}

static void
test_compare_caption_and_links (void)
{
  g_autoptr (PsimProcedure) proc = load_bundled ("land-title-transfer.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  const PsimVariant *a = psim_procedure_find_variant (proc, "legacy");
  const PsimVariant *b = psim_procedure_find_variant (proc, "digital");
  PsimRenderOptions opts = { .lang = "en" };
  g_autoptr (GBytes) dot = render (a, b, &opts, "dot");
  CU_ASSERT_PTR_NOT_NULL_FATAL (dot);
  g_autofree char *text = dot_text (dot);
  /* The caption carries the path totals of both sides for the case. */
  CU_ASSERT (strstr (text, "10 steps · 8 interactions · 8 visits · 20 working days · "
                           "82,324,000 VND") != NULL);
  CU_ASSERT (strstr (text, "6 steps · 3 interactions · 1 visit · 7 working days · "
                           "82,300,000 VND") != NULL);
  /* One dotted link per replaced step. */
  guint links = 0;
  for (guint i = 0; i < psim_variant_get_n_nodes (b); i++)
    links += psim_step_get_n_replaces (psim_variant_get_node (b, i));
  guint found = 0;
  for (const char *p = text; (p = strstr (p, "style=dotted")) != NULL; p++)
    found++;
  CU_ASSERT (links >= 10);
  CU_ASSERT_EQUAL (found, links);

  /* A mortgaged case: the caption follows the case. */
  g_autoptr (PsimCase) pcase = psim_case_new (proc);
  CU_ASSERT_TRUE (psim_case_set (pcase, "mortgaged", "true", NULL));
  PsimRenderOptions mortgaged = { .lang = "en", .pcase = pcase };
  g_autoptr (GBytes) dot2 = render (a, b, &mortgaged, "dot");
  g_autofree char *text2 = dot_text (dot2);
  CU_ASSERT (strstr (text2, "7 steps · 4 interactions · 1 visit") != NULL);
}

static void
test_highlight (void)
{
  g_autoptr (PsimProcedure) proc = load_bundled ("land-title-transfer.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  const PsimVariant *a = psim_procedure_find_variant (proc, "legacy");
  const PsimVariant *b = psim_procedure_find_variant (proc, "digital");

  /* In order, through gateways, the parallel branches in either order:
   * numbered, no wrong turn. */
  static const char *const good[] = { "id-check", "sign-notary", "land-check", "tax-compute",
                                      "pay-online", "issue-certificate", NULL };
  PsimRenderOptions opts = { .lang = "en", .highlight = good };
  g_autoptr (GBytes) dot = render (b, NULL, &opts, "dot");
  CU_ASSERT_PTR_NOT_NULL_FATAL (dot);
  g_autofree char *text = dot_text (dot);
  CU_ASSERT (strstr (text, "(1) Identity") != NULL);
  CU_ASSERT (strstr (text, "(6) The registration office") != NULL);
  CU_ASSERT (strstr (text, "wrong turn") == NULL);

  /* In the compare view, a legacy step is a wrong turn. */
  static const char *const mistaken[] = { "sign-notary", "collect-notices", "pay-online", NULL };
  PsimRenderOptions opts2 = { .lang = "en", .highlight = mistaken };
  g_autoptr (GBytes) cmp = render (a, b, &opts2, "dot");
  CU_ASSERT_PTR_NOT_NULL_FATAL (cmp);
  g_autofree char *ctext = dot_text (cmp);
  guint turns = 0;
  for (const char *p = ctext; (p = strstr (p, "label=\"wrong turn\"")) != NULL; p++)
    turns++;
  CU_ASSERT_EQUAL (turns, 2); /* into collect-notices, and out of it */
  CU_ASSERT (strstr (ctext, "\"legacy:collect-notices\"") != NULL);

  /* An id that is not a step: an error, nothing drawn. */
  static const char *const bad[] = { "sign-notary", "is-mortgaged", NULL };
  PsimRenderOptions opts3 = { .lang = "en", .highlight = bad };
  g_autoptr (PsimRenderer) r = psim_renderer_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) none = psim_renderer_render_variant (r, b, &opts3, "svg", &error);
  CU_ASSERT_PTR_NULL (none);
  CU_ASSERT (g_error_matches (error, PSIM_RENDER_ERROR, PSIM_RENDER_ERROR_HIGHLIGHT));
  CU_ASSERT_STRING_EQUAL (error->message,
                          "highlight: 'is-mortgaged' is not a step of variant 'digital'");
}

static void
test_unknown_format (void)
{
  g_autoptr (PsimProcedure) proc = load_bundled ("land-title-transfer.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  g_autoptr (PsimRenderer) r = psim_renderer_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) none
    = psim_renderer_render_variant (r, psim_procedure_get_variant (proc, 0), NULL, "gif", &error);
  CU_ASSERT_PTR_NULL (none);
  CU_ASSERT (g_error_matches (error, PSIM_RENDER_ERROR, PSIM_RENDER_ERROR_FORMAT));
}

static void
test_format_numbers (void)
{
  g_autofree char *en = psim_format_amount (3200000000.4, "en");
  g_autofree char *vi = psim_format_amount (3200000000.6, "vi");
  g_autofree char *small = psim_format_amount (999, "en");
  g_autofree char *neg = psim_format_amount (-1234567, "en");
  g_autofree char *d_en = psim_format_decimal (2.5, "en");
  g_autofree char *d_vi = psim_format_decimal (2.5, "vi");
  CU_ASSERT_STRING_EQUAL (en, "3,200,000,000");
  CU_ASSERT_STRING_EQUAL (vi, "3.200.000.001");
  CU_ASSERT_STRING_EQUAL (small, "999");
  CU_ASSERT_STRING_EQUAL (neg, "-1,234,567");
  CU_ASSERT_STRING_EQUAL (d_en, "2.5");
  CU_ASSERT_STRING_EQUAL (d_vi, "2,5");
}

/* Graphs over the limits of psim-render.h are refused before Graphviz
 * lays them out (it crashed on a 32,767-step chain and ran for minutes on
 * loops back over a few hundred steps), quickly and with the reason; the
 * same graphs are still written as DOT, which is not laid out. */
static void
test_limits (void)
{
  static const struct {
    gboolean jumps;
    guint n;
    gboolean drawn;
    const char *message;
  } cases[] = {
    { FALSE, 300, TRUE, NULL },
    { FALSE, 32767, FALSE, "too large to draw: " },
    { TRUE, 12, TRUE, NULL },
    { TRUE, 150, FALSE, "too tangled to draw" },
  };
  g_autoptr (PsimLoader) loader = psim_loader_new (NULL);
  g_autoptr (PsimRenderer) r = psim_renderer_new ();
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *xml = cases[i].jumps ? psim_gen_jumps (cases[i].n)
                                            : psim_gen_procedure (cases[i].n);
      g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
      g_autoptr (PsimProcedure) proc = psim_loader_load_memory (loader, xml, strlen (xml),
                                                                "gen.xml", diags, NULL);
      CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
      const PsimVariant *v = psim_procedure_get_variant (proc, 0);
      PsimRenderOptions opts = { .lang = "en" };
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) svg = psim_renderer_render_variant (r, v, &opts, "svg", &error);
      CU_ASSERT_EQUAL (svg != NULL, cases[i].drawn);
      if (!cases[i].drawn)
        {
          CU_ASSERT_TRUE (g_error_matches (error, PSIM_RENDER_ERROR, PSIM_RENDER_ERROR_TOO_LARGE));
          CU_ASSERT_PTR_NOT_NULL (error != NULL ? strstr (error->message, cases[i].message)
                                                : NULL);
          g_autoptr (GBytes) dot = psim_renderer_render_variant (r, v, &opts, "dot", NULL);
          CU_ASSERT_PTR_NOT_NULL (dot);
        }
    }
}

/* A label over 4 KiB is refused, not measured by pango. */
static void
test_label_limit (void)
{
  g_autoptr (GString) name = g_string_new ("<title xml:lang=\"en\">");
  for (guint i = 0; i < 5000; i++)
    g_string_append (name, "x ");
  g_autofree char *xml = psim_test_data_replace ("valid/minimal.xml", "<title xml:lang=\"en\">",
                                                 name->str);
  g_autoptr (PsimLoader) loader = psim_loader_new (NULL);
  g_autoptr (PsimProcedure) proc = psim_loader_load_memory (loader, xml, strlen (xml), "long.xml",
                                                            NULL, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  g_autoptr (PsimRenderer) r = psim_renderer_new ();
  PsimRenderOptions opts = { .lang = "en" };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) svg = psim_renderer_render_variant (r, psim_procedure_get_variant (proc, 0),
                                                         &opts, "svg", &error);
  CU_ASSERT_PTR_NULL (svg);
  CU_ASSERT_TRUE (g_error_matches (error, PSIM_RENDER_ERROR, PSIM_RENDER_ERROR_TOO_LARGE));
}

int
main (void)
{
  static const PsimTest tests[] = {
    { "golden DOT for each bundled variant and compare view", test_golden_dot },
    { "every variant as SVG (with every step), PNG and PDF", test_svg_png_pdf },
    { "the same input gives the same DOT and SVG", test_deterministic },
    { "compare view: caption counts and replaces links", test_compare_caption_and_links },
    { "highlighted paths and wrong turns", test_highlight },
    { "unknown formats are refused", test_unknown_format },
    { "amounts and decimals by language", test_format_numbers },
    { "graphs over the limits are not laid out", test_limits },
    { "labels over the limit are not laid out", test_label_limit },
    { NULL, NULL },
  };
  return psim_test_run ("render", tests);
}
