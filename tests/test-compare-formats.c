/* test-compare-formats.c — `procsim compare`'s machine formats read back
 * with real readers: the CSV with an RFC 4180 reader written here (every
 * row as wide as the header), the JSON with json-glib (stable fields), the
 * HTML with libxml2's XML parser (well-formed, with no script and nothing
 * outside itself), for every file with two variants we ship or test with,
 * in both languages. -o writes whole files.
 */
#include "psim-test-formats.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)

static const char *const files[] = {
  "workflows/land-title-transfer.xml",
  "workflows/business-registration.xml",
  "tests/data/compare/db-rule.xml",
  "tests/data/compare/repeated-document.xml",
  "tests/data/compare/loop.xml",
  "tests/data/compare/escaping.xml",
};

static void
test_csv (void)
{
  /* The reader itself, on RFC 4180's corner cases. */
  g_autoptr (GPtrArray) t = psim_test_csv_read ("a,\"b,\"\"c\"\"\"\r\n1,2\r\n");
  CU_ASSERT_PTR_NOT_NULL_FATAL (t);
  CU_ASSERT_EQUAL (t->len, 2);
  CU_ASSERT_STRING_EQUAL (g_ptr_array_index ((GPtrArray *) g_ptr_array_index (t, 0), 1),
                          "b,\"c\"");
  CU_ASSERT_PTR_NULL (psim_test_csv_read ("a,b\"c\r\n"));

  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    for (guint explain = 0; explain < 2; explain++)
      {
        const char *args[] = { "--lang", f % 2 ? "vi" : "en", "compare", files[f], "--format",
                               "csv", explain ? "--explain" : NULL, NULL };
        g_autofree char *out = psim_test_run_procsim (args);
        CU_ASSERT_PTR_NOT_NULL_FATAL (out);
        /* The byte order mark Excel needs, then RFC 4180. */
        CU_ASSERT_FATAL (g_str_has_prefix (out, "\xEF\xBB\xBF"));
        g_autoptr (GPtrArray) rows = psim_test_csv_read (out + 3);
        CU_ASSERT_PTR_NOT_NULL_FATAL (rows);
        CU_ASSERT_FATAL (rows->len > 1);
        GPtrArray *header = g_ptr_array_index (rows, 0);
        CU_ASSERT_STRING_EQUAL (g_ptr_array_index (header, 0), explain ? "variant" : "metric");
        for (guint r = 0; r < rows->len; r++)
          CU_ASSERT_EQUAL (((GPtrArray *) g_ptr_array_index (rows, r))->len, header->len);
        /* One row per figure, then one per legal limit of either path,
         * keyed limit_margin:… */
        guint limits = 0;
        for (guint r = 1; r < rows->len; r++)
          limits += g_str_has_prefix (g_ptr_array_index ((GPtrArray *) g_ptr_array_index (rows, r), 0),
                                      "limit_margin:");
        if (!explain)
          {
            CU_ASSERT_EQUAL (rows->len, 1 + PSIM_N_METRICS + limits);
            if (f < 2) /* the bundled procedures have legal limits */
              CU_ASSERT (limits > 0);
          }
      }
}

static void
test_json (void)
{
  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      const char *args[] = { "--lang", f % 2 ? "vi" : "en", "compare", files[f], "--format",
                             "json", "--explain", NULL };
      g_autofree char *out = psim_test_run_procsim (args);
      CU_ASSERT_PTR_NOT_NULL_FATAL (out);
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_autoptr (GError) error = NULL;
      CU_ASSERT_FATAL (json_parser_load_from_data (parser, out, -1, &error));
      JsonObject *root = json_node_get_object (json_parser_get_root (parser));
      CU_ASSERT_FATAL (root != NULL);
      const char *members[] = { "lang", "procedure", "case", "cost_model", "before", "after",
                                "change", "statements" };
      for (guint i = 0; i < G_N_ELEMENTS (members); i++)
        CU_ASSERT (json_object_has_member (root, members[i]));
      JsonObject *figures = json_object_get_object_member (
        json_object_get_object_member (root, "before"), "figures");
      JsonObject *change = json_object_get_object_member (root, "change");
      for (PsimMetric m = 0; m < PSIM_N_METRICS; m++)
        {
          CU_ASSERT (json_object_has_member (figures, psim_metric_to_string (m)));
          CU_ASSERT (json_object_has_member (change, psim_metric_to_string (m)));
        }
      CU_ASSERT_EQUAL (json_array_get_length (json_object_get_array_member (root, "statements")),
                       3);
      /* Each cost figure names its source by id and, beside it, by its
       * citation and address: the file's own words, or null. */
      JsonObject *model = json_object_get_object_member (root, "cost_model");
      const char *costs[] = { "tariff", "travel", "volume", "value_base" };
      for (guint i = 0; i < G_N_ELEMENTS (costs); i++)
        {
          JsonObject *fig = json_object_get_object_member (model, costs[i]);
          CU_ASSERT_FATAL (fig != NULL);
          CU_ASSERT (json_object_has_member (fig, "source_citation"));
          CU_ASSERT (json_object_has_member (fig, "source_href"));
          CU_ASSERT_EQUAL (json_object_get_null_member (fig, "source"),
                           json_object_get_null_member (fig, "source_citation"));
        }
      if (g_str_has_suffix (files[f], "escaping.xml"))
        {
          JsonObject *tariff = json_object_get_object_member (model, "tariff");
          CU_ASSERT_STRING_EQUAL (json_object_get_string_member (tariff, "source"), "survey");
          CU_ASSERT_STRING_EQUAL (json_object_get_string_member (tariff, "source_citation"),
                                  "A survey");
          CU_ASSERT_TRUE (json_object_get_null_member (tariff, "source_href"));
        }
    }
}

static void
test_html (void)
{
  g_setenv ("SOURCE_DATE_EPOCH", "1764720000", TRUE);
  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    for (guint l = 0; l < 2; l++)
      {
        const char *lang = l ? "vi" : "en";
        const char *args[] = { "--lang", lang, "compare", files[f], "--format", "html",
                               "--explain", NULL };
        g_autofree char *out = psim_test_run_procsim (args);
        CU_ASSERT_PTR_NOT_NULL_FATAL (out);
        psim_test_check_html (out, lang, files[f]);
        /* Only the SVG namespace names may mention a web address. */
        CU_ASSERT_PTR_NULL (strstr (out, "<?xml"));
        CU_ASSERT_PTR_NULL (strstr (out, "DOCTYPE svg"));
        CU_ASSERT_PTR_NOT_NULL (strstr (out, "<svg class=\"graph\""));
        CU_ASSERT_PTR_NOT_NULL (strstr (out, "<svg class=\"bars\""));
        /* A4 pages, the graph's landscape page, a table per path, the
         * sources; the date of SOURCE_DATE_EPOCH; tooltips in words. */
        CU_ASSERT_PTR_NOT_NULL (strstr (out, "@page{size:A4"));
        CU_ASSERT_PTR_NOT_NULL (strstr (out, "@page graph{size:A4 landscape"));
        /* For print, each path alone on its A4 page, then the links; every
         * id of the three pictures once in the page. */
        CU_ASSERT_PTR_NOT_NULL (strstr (out, "@page path{size:A4 portrait"));
        const char *first_path = strstr (out, "<svg class=\"path\"");
        CU_ASSERT_PTR_NOT_NULL (first_path);
        CU_ASSERT_PTR_NOT_NULL (first_path != NULL ? strstr (first_path + 1, "<svg class=\"path\"")
                                                   : NULL);
        CU_ASSERT_PTR_NOT_NULL (strstr (out, "<table class=\"links\">"));
        g_autoptr (GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
        for (const char *p = strstr (out, " id=\""); p != NULL; p = strstr (p + 1, " id=\""))
          {
            const char *v = p + strlen (" id=\"");
            CU_ASSERT_TRUE (g_hash_table_add (ids, g_strndup (v, strcspn (v, "\""))));
          }
        CU_ASSERT_PTR_NOT_NULL (strstr (out, "<table class=\"steps\" id=\"steps-before\">"));
        CU_ASSERT_PTR_NOT_NULL (strstr (out, "<table class=\"steps\" id=\"steps-after\">"));
        CU_ASSERT_PTR_NOT_NULL (strstr (out, "<section class=\"sources\">"));
        CU_ASSERT_PTR_NOT_NULL (strstr (out, "2025-12-03"));
        CU_ASSERT_PTR_NULL (strstr (out, "<title>legacy:"));
        CU_ASSERT_PTR_NULL (strstr (out, "<title>digital:"));
        CU_ASSERT_PTR_NULL (strstr (out, "<th scope=\"col\">legacy"));
        /* Same input, same bytes. */
        g_autofree char *again = psim_test_run_procsim (args);
        CU_ASSERT_PTR_NOT_NULL_FATAL (again);
        CU_ASSERT_STRING_EQUAL (again, out);
      }
}

/* The text table's heading: the lines between the cost figures' blank
 * line and the line that ends with "%". (transfer full) */
static char *
text_heading (const char *out)
{
  const char *start = strstr (out, "\n\n");
  const char *end = start != NULL ? strstr (start, "%\n") : NULL;
  return end != NULL ? g_strndup (start + 2, end - start - 1) : NULL;
}

/* Where people read, variants, sources and laws by their names in the
 * output's language; the ids stay in the machine fields. */
static void
test_names (void)
{
  static const struct {
    const char *lang, *before, *after, *words0, *words1, *md, *law;
  } cases[] = {
    { "en", "Before", "After", "Legacy paper", "Red Book in",
      "| Figure | Before: Legacy paper path (10 steps) | After: Red Book in hand (3–4 steps) |",
      "Land Law No. 31/2024/QH15" },
    { "vi", "Trước", "Sau", "Quy trình", "Sổ đỏ trong",
      "| Chỉ số | Trước: Quy trình giấy truyền thống (10 bước) | Sau: Sổ đỏ trong tay (3–4 bước) |",
      "Luật Đất đai số 31/2024/QH15" },
  };
  const char *file = "workflows/land-title-transfer.xml";
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *text_args[] = { "--lang", cases[i].lang, "compare", file, NULL };
      g_autofree char *text = psim_test_run_procsim (text_args);
      CU_ASSERT_PTR_NOT_NULL_FATAL (text);
      g_autofree char *head = text_heading (text);
      CU_ASSERT_PTR_NOT_NULL_FATAL (head);
      CU_ASSERT_PTR_NOT_NULL (strstr (head, cases[i].before));
      CU_ASSERT_PTR_NOT_NULL (strstr (head, cases[i].after));
      CU_ASSERT_PTR_NOT_NULL (strstr (head, cases[i].words0));
      CU_ASSERT_PTR_NOT_NULL (strstr (head, cases[i].words1));
      CU_ASSERT_PTR_NULL (strstr (head, "legacy"));
      CU_ASSERT_PTR_NULL (strstr (head, "digital"));
      g_auto (GStrv) lines = g_strsplit (head, "\n", -1);
      for (guint l = 0; lines[l] != NULL; l++)
        CU_ASSERT (g_utf8_strlen (lines[l], -1) <= 80);

      const char *md_args[] = { "--lang", cases[i].lang, "compare", file, "--format", "md", NULL };
      g_autofree char *md = psim_test_run_procsim (md_args);
      CU_ASSERT_PTR_NOT_NULL_FATAL (md);
      CU_ASSERT_PTR_NOT_NULL (strstr (md, cases[i].md));

      const char *csv_args[] = { "--lang", cases[i].lang, "compare", file, "--format", "csv", NULL };
      g_autofree char *csv = psim_test_run_procsim (csv_args);
      CU_ASSERT_PTR_NOT_NULL_FATAL (csv);
      g_autoptr (GPtrArray) rows = psim_test_csv_read (csv + 3);
      CU_ASSERT_PTR_NOT_NULL_FATAL (rows);
      GPtrArray *header = g_ptr_array_index (rows, 0), *steps = g_ptr_array_index (rows, 1);
      for (guint c = 0; c < header->len; c++)
        {
          const char *key = g_ptr_array_index (header, c), *cell = g_ptr_array_index (steps, c);
          if (strcmp (key, "before_variant") == 0)
            CU_ASSERT_STRING_EQUAL (cell, "legacy");
          if (strcmp (key, "before_name") == 0)
            CU_ASSERT (g_str_has_prefix (cell, cases[i].words0));
          if (strcmp (key, "after_name") == 0)
            CU_ASSERT (g_str_has_prefix (cell, cases[i].words1));
        }

      const char *html_args[] = { "--lang", cases[i].lang, "compare", file, "--format", "html", NULL };
      g_autofree char *html = psim_test_run_procsim (html_args);
      CU_ASSERT_PTR_NOT_NULL_FATAL (html);
      CU_ASSERT_PTR_NOT_NULL (strstr (html, cases[i].law));
    }
  /* A sourced cost figure names its source by its citation, then its id. */
  const char *args[] = { "--lang", "en", "compare", "tests/data/compare/escaping.xml", NULL };
  g_autofree char *out = psim_test_run_procsim (args);
  CU_ASSERT_PTR_NOT_NULL_FATAL (out);
  CU_ASSERT_PTR_NOT_NULL (strstr (out, "tariff 100 VND per hour (A survey [survey])"));
}

/* -o: the report is written whole, through a temporary file. */
static void
test_output_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("procsim-compare-XXXXXX", NULL);
  CU_ASSERT_FATAL (dir != NULL);
  g_autofree char *html = g_build_filename (dir, "report.html", NULL);
  const char *args[] = { "compare", "workflows/land-title-transfer.xml", "-o", html, NULL };
  g_autofree char *out = psim_test_run_procsim (args);
  CU_ASSERT_PTR_NOT_NULL (out);
  CU_ASSERT_STRING_EQUAL (out, "");
  g_autofree char *content = NULL;
  CU_ASSERT_FATAL (g_file_get_contents (html, &content, NULL, NULL));
  CU_ASSERT (g_str_has_prefix (content, "<!DOCTYPE html>"));
  CU_ASSERT (g_str_has_suffix (content, "</html>\n"));
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;
  for (const char *name; (name = g_dir_read_name (d)) != NULL;)
    n++;
  CU_ASSERT_EQUAL (n, 1);
  g_unlink (html);
  g_rmdir (dir);
}

int
main (void)
{
  static const PsimTest tests[] = {
    { "CSV reads back with an RFC 4180 reader", test_csv },
    { "JSON parses, with every figure", test_json },
    { "HTML is well-formed and self-contained", test_html },
    { "variants, sources and laws by their names", test_names },
    { "-o writes the whole report", test_output_file },
    { NULL, NULL },
  };
  return psim_test_run ("compare-formats", tests);
}
