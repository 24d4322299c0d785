/* test-load.c — the loader: bundled and valid files load clean, every
 * invalid fixture gives exactly its expected diagnostics, mutated and
 * truncated copies never crash, pathological inputs are refused cleanly,
 * and the loaded model says what the file says.
 */
#include "gen/psim-gen.h"
#include "psim-test.h"

#include <glib/gstdio.h>
#include <string.h>

static void
test_bundled_clean (void)
{
  g_autofree char *dir = psim_test_workflow ("");
  g_autoptr (GPtrArray) files = psim_test_list (dir, ".xml");
  CU_ASSERT (files->len >= 2);
  for (guint i = 0; i < files->len; i++)
    {
      g_autoptr (PsimProcedure) proc = psim_test_load_clean (g_ptr_array_index (files, i));
      CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
      CU_ASSERT_PTR_NOT_NULL (psim_procedure_find_variant (proc, "legacy"));
      CU_ASSERT_PTR_NOT_NULL (psim_procedure_find_variant (proc, "digital"));
    }
}

static void
test_valid_clean (void)
{
  g_autofree char *dir = psim_test_data ("valid");
  g_autoptr (GPtrArray) files = psim_test_list (dir, ".xml");
  CU_ASSERT (files->len >= 1);
  for (guint i = 0; i < files->len; i++)
    {
      g_autoptr (PsimProcedure) proc = psim_test_load_clean (g_ptr_array_index (files, i));
      CU_ASSERT_PTR_NOT_NULL (proc);
    }
}

/* Each tests/data/SUBDIR/NAME.xml must produce exactly NAME.expected: in
 * invalid/, errors and no procedure; in warnings/, warnings only, and the
 * procedure loads. */
static void
check_fixtures (const char *subdir, gboolean loads)
{
  g_autofree char *dir = psim_test_data (subdir);
  g_autoptr (GPtrArray) files = psim_test_list (dir, ".xml");
  g_autoptr (PsimLoader) loader = psim_loader_new (NULL);
  CU_ASSERT_FATAL (loader != NULL);
  CU_ASSERT (files->len >= (loads ? 2 : 30));
  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autofree char *name = g_path_get_basename (path);
      g_autofree char *stem = g_strndup (path, strlen (path) - 4);
      g_autofree char *expected_path = g_strconcat (stem, ".expected", NULL);
      g_autofree char *expected = NULL;
      g_autofree char *data = NULL;
      gsize size = 0;
      CU_ASSERT_FATAL (g_file_get_contents (path, &data, &size, NULL));
      if (!g_file_get_contents (expected_path, &expected, NULL, NULL))
        {
          g_printerr ("\nmissing %s\n", expected_path);
          CU_FAIL ("fixture without .expected");
          continue;
        }
      g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
      g_autoptr (GError) error = NULL;
      g_autoptr (PsimProcedure) proc
        = psim_loader_load_memory (loader, data, size, name, diags, &error);
      g_autofree char *got = psim_test_join_diagnostics (diags);
      if (loads)
        {
          CU_ASSERT_PTR_NOT_NULL (proc);
          CU_ASSERT_PTR_NULL (error);
          CU_ASSERT_EQUAL (psim_diagnostics_count_errors (diags), 0);
          CU_ASSERT (diags->len > 0);
        }
      else
        {
          CU_ASSERT_PTR_NULL (proc);
          CU_ASSERT (g_error_matches (error, PSIM_LOAD_ERROR, PSIM_LOAD_ERROR_INVALID));
          CU_ASSERT (psim_diagnostics_count_errors (diags) > 0);
        }
      if (strcmp (got, expected) != 0)
        {
          g_printerr ("\n%s:\n--- expected\n%s--- got\n%s", name, expected, got);
          CU_FAIL ("diagnostics differ from the .expected file");
        }
    }
}

static void
test_invalid_fixtures (void)
{
  check_fixtures ("invalid", FALSE);
}

/* A warning leaves the file valid: it loads, and says what it found. */
static void
test_warning_fixtures (void)
{
  check_fixtures ("warnings", TRUE);
}

/* Copies of the bundled files truncated at, and mutated around, seeded
 * random positions: every one must load or be refused with at least one
 * error, never crash (the sanitizer and valgrind runs watch for the rest). */
static void
mutate (GRand *rand, GString *s)
{
  static const char *const snippets[] = {
    "<", ">", "&", "\"", "<step id=\"x\"/>", "</process>", "<!DOCTYPE p>", "$", "]]>",
    "&amp;", "\xff\xfe", "\xc3", "next=\"start\"", "probability=\"2\"", "<join id=\"j\"/>",
  };
  guint pos = g_rand_int_range (rand, 0, (gint32) s->len);
  switch (g_rand_int_range (rand, 0, 4))
    {
    case 0: /* flip a byte */
      s->str[pos] = (char) g_rand_int_range (rand, 1, 256);
      break;
    case 1: /* delete a run */
      g_string_erase (s, pos, MIN ((gsize) g_rand_int_range (rand, 1, 64), s->len - pos));
      break;
    case 2: /* insert a snippet */
      g_string_insert (s, pos, snippets[g_rand_int_range (rand, 0, G_N_ELEMENTS (snippets))]);
      break;
    default: /* duplicate a run */
      {
        gsize len = MIN ((gsize) g_rand_int_range (rand, 1, 200), s->len - pos);
        g_autofree char *run = g_strndup (s->str + pos, len);
        g_string_insert (s, g_rand_int_range (rand, 0, (gint32) s->len), run);
      }
    }
}

static void
check_outcome (PsimProcedure *proc, GPtrArray *diags, GError *error)
{
  if (proc != NULL)
    {
      CU_ASSERT_PTR_NULL (error);
      CU_ASSERT_EQUAL (psim_diagnostics_count_errors (diags), 0);
    }
  else
    {
      CU_ASSERT (g_error_matches (error, PSIM_LOAD_ERROR, PSIM_LOAD_ERROR_INVALID));
      CU_ASSERT (psim_diagnostics_count_errors (diags) > 0);
      for (guint i = 0; i < diags->len; i++)
        {
          const PsimDiagnostic *d = g_ptr_array_index (diags, i);
          CU_ASSERT (d->message != NULL && d->message[0] != '\0');
          CU_ASSERT (g_utf8_validate (d->message, -1, NULL) || strchr (d->message, '\n') == NULL);
        }
    }
}

static void
test_robustness (void)
{
  const guint32 seed = 20251010;
  const guint rounds = 300;
  g_autofree char *dir = psim_test_workflow ("");
  g_autoptr (GPtrArray) files = psim_test_list (dir, ".xml");
  g_autoptr (PsimLoader) loader = psim_loader_new (NULL);
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  guint loaded = 0, refused = 0;

  for (guint f = 0; f < files->len; f++)
    {
      g_autofree char *orig = NULL;
      gsize size = 0;
      CU_ASSERT_FATAL (g_file_get_contents (g_ptr_array_index (files, f), &orig, &size, NULL));
      for (guint r = 0; r < rounds; r++)
        {
          g_autoptr (GString) s = g_string_new_len (orig, size);
          if (r % 3 == 0)
            g_string_truncate (s, g_rand_int_range (rand, 0, (gint32) size));
          else
            for (guint m = 0, n = g_rand_int_range (rand, 1, 4); m < n; m++)
              mutate (rand, s);
          g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
          g_autoptr (GError) error = NULL;
          g_autoptr (PsimProcedure) proc
            = psim_loader_load_memory (loader, s->str, s->len, "mutant.xml", diags, &error);
          check_outcome (proc, diags, error);
          if (proc != NULL)
            {
              loaded++;
              /* A mutant that loads must also be usable. */
              g_autoptr (PsimCase) pcase = psim_case_new (proc);
              for (guint v = 0; v < psim_procedure_get_n_variants (proc); v++)
                {
                  g_autoptr (GError) perr = NULL;
                  g_autoptr (PsimPath) path
                    = psim_path_new (psim_procedure_get_variant (proc, v), pcase, &perr);
                  CU_ASSERT (path != NULL || perr != NULL);
                }
            }
          else
            refused++;
        }
    }
  g_print ("\n  robustness (seed %u): %u mutants loaded, %u refused\n", seed, loaded, refused);
  CU_ASSERT_EQUAL (loaded + refused, rounds * files->len);
  CU_ASSERT (refused > 0);
}

static PsimProcedure *
load_text (const char *text, GPtrArray *diags)
{
  g_autoptr (PsimLoader) loader = psim_loader_new (NULL);
  return psim_loader_load_memory (loader, text, strlen (text), "gen.xml", diags, NULL);
}

static void
test_large_generated (void)
{
  g_autofree char *xml = psim_gen_procedure (10000);
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  g_autoptr (PsimProcedure) proc = load_text (xml, diags);
  if (diags->len > 0)
    {
      g_autofree char *text = psim_test_join_diagnostics (diags);
      g_printerr ("\n%.2000s", text);
    }
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  const PsimVariant *v = psim_procedure_get_variant (proc, 0);
  CU_ASSERT_EQUAL (psim_variant_get_n_steps (v), 10000);
  /* Line numbers past 65535 are kept (XML_PARSE_BIG_LINES). */
  const PsimNode *last = psim_variant_find_node (v, "s10000");
  CU_ASSERT_PTR_NOT_NULL_FATAL (last);
  CU_ASSERT (psim_node_get_line (last) > 65535);
  g_autoptr (PsimCase) pcase = psim_case_new (proc);
  g_autoptr (PsimPath) path = psim_path_new (v, pcase, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (path);
  CU_ASSERT_EQUAL (psim_path_get_totals (path)->steps, 10000);
}

static void
test_nested_splits (void)
{
  /* 20,000 splits nested inside each other: the split/join check and the
   * path walk must neither rescan each region (minutes) nor recurse once
   * per level (a stack overflow further down). */
  const guint depth = 20000;
  g_autofree char *xml = psim_gen_nested_splits (depth);
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  g_autoptr (PsimProcedure) proc = load_text (xml, diags);
  CU_ASSERT_EQUAL (diags->len, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  g_autoptr (PsimCase) pcase = psim_case_new (proc);
  g_autoptr (PsimPath) path = psim_path_new (psim_procedure_get_variant (proc, 0), pcase, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (path);
  const PsimTotals *t = psim_path_get_totals (path);
  CU_ASSERT_EQUAL (t->steps, depth + 1);
  /* Every branch step takes 1 hour and they all run in parallel. */
  CU_ASSERT_DOUBLE_EQUAL (t->elapsed.hours, 1.0, 1e-9);

  /* Send the innermost join straight to the end: every outer split's first
   * branch now bypasses its join. Each is reported as such, nothing else,
   * and the list stops at the 1,000-finding cap. */
  g_autofree char *needle = g_strdup_printf ("<join id=\"j%u\" next=\"j%u\"/>", depth, depth - 1);
  g_autofree char *broken_join = g_strdup_printf ("<join id=\"j%u\" next=\"end0\"/>", depth);
  g_autoptr (GString) broken = g_string_new (xml);
  CU_ASSERT_FATAL (g_string_replace (broken, needle, broken_join, 1) == 1);
  g_autoptr (GPtrArray) diags2 = psim_diagnostics_new ();
  g_autoptr (PsimProcedure) bad = load_text (broken->str, diags2);
  CU_ASSERT_PTR_NULL (bad);
  CU_ASSERT_EQUAL_FATAL (diags2->len, 1001);
  for (guint i = 0; i < 1000; i++)
    CU_ASSERT (strstr (((PsimDiagnostic *) g_ptr_array_index (diags2, i))->message,
                       "has no matching join") != NULL);
  CU_ASSERT_STRING_EQUAL (((PsimDiagnostic *) g_ptr_array_index (diags2, 1000))->message,
                          "too many errors; stopped after 1000");
}

static void
test_oversized_file (void)
{
  /* A sparse 100 MB file: refused on its size before anything is parsed. */
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("procsim-huge-XXXXXX.xml", &path, NULL);
  CU_ASSERT_FATAL (fd >= 0);
  CU_ASSERT_FATAL (ftruncate (fd, 100 * 1024 * 1024) == 0);
  close (fd);
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  g_autoptr (PsimProcedure) proc = psim_load_file (path, "en", diags, NULL);
  CU_ASSERT_PTR_NULL (proc);
  CU_ASSERT_EQUAL_FATAL (diags->len, 1);
  const PsimDiagnostic *d = g_ptr_array_index (diags, 0);
  CU_ASSERT (strstr (d->message, "file too large: 104857600 bytes") != NULL);
  g_unlink (path);
}

/* A long expression is quoted, not echoed whole: 200,000 '(' made a
 * 200 KB diagnostic line. Every message is cut at 1 KiB. */
static void
test_long_expression_not_echoed (void)
{
  g_autoptr (GString) when = g_string_new ("when=\"$mortgaged and ");
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (when, '(');
  g_string_append_c (when, '"');
  g_autofree char *hostile = psim_test_data_replace ("valid/minimal.xml", "when=\"$mortgaged\"",
                                                     when->str);
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  g_autoptr (PsimLoader) loader = psim_loader_new (NULL);
  g_autoptr (PsimProcedure) proc = psim_loader_load_memory (loader, hostile, strlen (hostile),
                                                            "long.xml", diags, NULL);
  CU_ASSERT_PTR_NULL (proc);
  CU_ASSERT_TRUE (diags->len > 0);
  for (guint i = 0; i < diags->len; i++)
    {
      const PsimDiagnostic *d = g_ptr_array_index (diags, i);
      CU_ASSERT (strlen (d->message) <= 1024 + strlen ("…"));
      CU_ASSERT (g_utf8_validate (d->message, -1, NULL));
    }
}

/* The limits docs/format.md states for text: a text node has none of its
 * own (12 MB of title loads: libxml2's 10 MB text-node limit applies only
 * to trees, and procsim's SAX loader builds none); an attribute value has
 * libxml2's limit of 10,000,000 bytes, refused with its line. */
static void
test_text_limits (void)
{
  g_autoptr (PsimLoader) loader = psim_loader_new (NULL);
  g_autoptr (GString) title = g_string_new (NULL);
  g_string_set_size (title, 12 * 1000 * 1000);
  memset (title->str, 't', title->len);
  g_autofree char *long_title = psim_test_data_replace ("valid/minimal.xml", "Minimal procedure",
                                                        title->str);
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  g_autoptr (PsimProcedure) proc = psim_loader_load_memory (loader, long_title,
                                                            strlen (long_title), "title.xml",
                                                            diags, NULL);
  CU_ASSERT_PTR_NOT_NULL (proc);
  CU_ASSERT_EQUAL (diags->len, 0);
  if (proc != NULL)
    {
      CU_ASSERT_EQUAL (strlen (psim_procedure_get_title (proc, "en")), title->len);
    }

  /* Values of 10,000,000 bytes and one more. */
  for (guint k = 0; k < 2; k++)
    {
      g_autoptr (GString) href = g_string_new ("href=\"https://example.org/");
      gsize from = href->len;
      g_string_set_size (href, strlen ("href=\"") + 10 * 1000 * 1000 + k);
      memset (href->str + from, 'g', href->len - from);
      g_string_append_c (href, '"');
      g_autofree char *text = psim_test_data_replace ("valid/minimal.xml",
                                                      "href=\"https://example.org/guide\"",
                                                      href->str);
      g_autoptr (GPtrArray) found = psim_diagnostics_new ();
      g_autoptr (PsimProcedure) p = psim_loader_load_memory (loader, text, strlen (text),
                                                             "attr.xml", found, NULL);
      if (k == 0)
        {
          CU_ASSERT_PTR_NOT_NULL (p);
        }
      else
        {
          CU_ASSERT_PTR_NULL (p);
          CU_ASSERT_EQUAL_FATAL (found->len, 1);
          const PsimDiagnostic *d = g_ptr_array_index (found, 0);
          CU_ASSERT_EQUAL (d->line, 6);
          CU_ASSERT_STRING_EQUAL (d->message, "AttValue length too long");
        }
    }
}

/* One start tag of @n attributes "a0='1' a1='1' …" after @prefix. */
static char *
many_attributes (const char *prefix, const char *element, guint n, const char *suffix)
{
  GString *s = g_string_new (prefix);
  g_string_append_printf (s, "<%s", element);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, " a%u='1'", i);
  g_string_append (s, suffix);
  return g_string_free (s, FALSE);
}

static void
check_attributes_refused (GPtrArray *diags, guint line)
{
  CU_ASSERT_EQUAL_FATAL (diags->len, 1);
  const PsimDiagnostic *d = g_ptr_array_index (diags, 0);
  CU_ASSERT_EQUAL (d->line, line);
  CU_ASSERT_STRING_EQUAL (d->message, "an element has more than 256 attributes");
}

/* 200,000 attributes on one element took 30 s in libxml2, which compares
 * each with all before it: refused on a linear scan of the bytes, in
 * procedures, scenarios and BPMN files alike. The test's timeout is the
 * time limit. 256 attributes, values holding '=' and '>', still reach the
 * schema (which names the first one it does not know). */
static void
test_many_attributes (void)
{
  static const char *const head = "<?xml version='1.0'?>\n<!-- a='1' b='2' -->\n";
  g_autoptr (PsimLoader) loader = psim_loader_new (NULL);
  g_autofree char *proc_xml = many_attributes (head, "procedure xmlns='urn:procsim:procedure:1'",
                                               200000, "/>");
  g_autoptr (GPtrArray) d1 = psim_diagnostics_new ();
  g_autoptr (PsimProcedure) proc = psim_loader_load_memory (loader, proc_xml, strlen (proc_xml),
                                                            "attrs.xml", d1, NULL);
  CU_ASSERT_PTR_NULL (proc);
  check_attributes_refused (d1, 3);

  g_autofree char *sc_xml = many_attributes (head, "scenario xmlns='urn:procsim:scenario:1'",
                                             200000, "/>");
  g_autoptr (GPtrArray) d2 = psim_diagnostics_new ();
  g_autoptr (PsimScenario) sc = psim_scenario_load_memory (loader, sc_xml, strlen (sc_xml),
                                                           "attrs.xml", d2, NULL);
  CU_ASSERT_PTR_NULL (sc);
  check_attributes_refused (d2, 3);

  g_autofree char *bpmn = many_attributes (
    head, "definitions xmlns='http://www.omg.org/spec/BPMN/20100524/MODEL'", 200000, "/>");
  g_autoptr (GPtrArray) d3 = psim_diagnostics_new ();
  g_autoptr (PsimProcedure) imported = psim_bpmn_import_memory (loader, bpmn, strlen (bpmn),
                                                                "attrs.bpmn", NULL, NULL, d3, NULL);
  CU_ASSERT_PTR_NULL (imported);
  check_attributes_refused (d3, 3);

  GString *attrs = g_string_new ("<start");
  for (guint i = 0; i < 256; i++)
    g_string_append_printf (attrs, " x%u=\"a=b>\"", i);
  g_string_append (attrs, "/>");
  g_autofree char *at_limit = psim_test_data_replace ("valid/minimal.xml", "<start/>", attrs->str);
  g_string_free (attrs, TRUE);
  g_autoptr (GPtrArray) d4 = psim_diagnostics_new ();
  g_autoptr (PsimProcedure) limit = psim_loader_load_memory (loader, at_limit, strlen (at_limit),
                                                             "limit.xml", d4, NULL);
  CU_ASSERT_PTR_NULL (limit);
  CU_ASSERT_TRUE_FATAL (d4->len > 0);
  CU_ASSERT (strstr (((PsimDiagnostic *) g_ptr_array_index (d4, 0))->message,
                     "attribute 'x0': The attribute 'x0' is not allowed") != NULL);
}

/* show wrapped its case line (a case of 50,000 parameters) by counting
 * the rest of the line again for every line it cut: 10 s. Linear now; the
 * test's timeout is the time limit. */
static void
test_wrap_long_line (void)
{
  const guint words = 200000;
  g_autoptr (GString) line = g_string_new ("Case:");
  for (guint i = 0; i < words; i++)
    g_string_append_printf (line, " p%u=1,", i);
  g_autofree char *wrapped = psim_format_wrap (line->str, 80);
  guint lines = 0;
  gsize kept = 0;
  for (const char *p = wrapped; *p != '\0'; p++)
    if (*p == '\n')
      lines++;
    else if (*p != ' ')
      kept++;
  /* Every character but spaces is kept, on lines of at most 80. */
  gsize expected = 0;
  for (const char *p = line->str; *p != '\0'; p++)
    expected += *p != ' ';
  CU_ASSERT_EQUAL (kept, expected);
  CU_ASSERT (lines > line->len / 80);
  g_auto (GStrv) split = g_strsplit (wrapped, "\n", -1);
  for (guint i = 0; split[i] != NULL; i++)
    CU_ASSERT (g_utf8_strlen (split[i], -1) <= 80);
}

static void
test_missing_file (void)
{
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (PsimProcedure) proc = psim_load_file ("/nonexistent/p.xml", "en", diags, &error);
  CU_ASSERT_PTR_NULL (proc);
  CU_ASSERT (g_error_matches (error, PSIM_LOAD_ERROR, PSIM_LOAD_ERROR_INVALID));
  CU_ASSERT_EQUAL_FATAL (diags->len, 1);
  g_autofree char *line = psim_diagnostic_to_string (g_ptr_array_index (diags, 0), "en");
  CU_ASSERT (g_str_has_prefix (line, "/nonexistent/p.xml: error: "));
}

static void
test_third_party_corpus (void)
{
  /* BPMN files are not procedure files: each is refused with a message,
   * the XXE one at its DOCTYPE. */
  g_autofree char *dir = psim_test_data ("bpmn");
  g_autoptr (GPtrArray) files = psim_test_list (dir, ".bpmn");
  g_autoptr (GPtrArray) more = psim_test_list (dir, ".bpmn2");
  g_ptr_array_extend_and_steal (files, g_steal_pointer (&more));
  CU_ASSERT (files->len >= 13);
  g_autoptr (PsimLoader) loader = psim_loader_new (NULL);
  for (guint i = 0; i < files->len; i++)
    {
      g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
      g_autoptr (GError) error = NULL;
      g_autoptr (PsimProcedure) proc
        = psim_loader_load_file (loader, g_ptr_array_index (files, i), diags, &error);
      CU_ASSERT_PTR_NULL (proc);
      CU_ASSERT (psim_diagnostics_count_errors (diags) > 0);
    }
}

/* ---- the model ------------------------------------------------------------ */

static void
test_model_minimal (void)
{
  g_autofree char *path = psim_test_data ("valid/minimal.xml");
  g_autoptr (PsimProcedure) proc = psim_test_load_clean (path);
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);

  CU_ASSERT_STRING_EQUAL (psim_procedure_get_id (proc), "minimal");
  CU_ASSERT_STRING_EQUAL (psim_procedure_get_title (proc, "vi"), "Thủ tục tối giản");
  CU_ASSERT_STRING_EQUAL (psim_procedure_get_title (proc, "en"), "Minimal procedure");
  /* Unknown language: English. */
  CU_ASSERT_STRING_EQUAL (psim_procedure_get_title (proc, "fr"), "Minimal procedure");
  CU_ASSERT_PTR_NULL (psim_procedure_get_description (proc, "en"));
  CU_ASSERT_EQUAL (psim_procedure_get_n_actors (proc), 2);
  CU_ASSERT_EQUAL (psim_procedure_get_n_params (proc), 2);

  const PsimVariant *v = psim_procedure_find_variant (proc, "only");
  CU_ASSERT_PTR_NOT_NULL_FATAL (v);
  CU_ASSERT_PTR_NULL (psim_procedure_find_variant (proc, "nope"));
  CU_ASSERT_EQUAL (psim_variant_get_n_steps (v), 2);
  CU_ASSERT_EQUAL (psim_variant_get_n_nodes (v), 5);

  const PsimNode *start = psim_variant_get_start (v);
  CU_ASSERT_STRING_EQUAL (psim_node_get_id (start), "start");
  CU_ASSERT_EQUAL (psim_node_get_n_successors (start), 1);
  const PsimNode *apply = psim_node_get_successor (start, 0);
  CU_ASSERT_STRING_EQUAL (psim_node_get_id (apply), "apply");
  CU_ASSERT_EQUAL (psim_node_get_line (apply), 27);
  CU_ASSERT_EQUAL (psim_step_get_channel (apply), PSIM_CHANNEL_IN_PERSON);
  /* Defaults: in person with an agency is an interaction and a visit. */
  CU_ASSERT_TRUE (psim_step_is_interaction (apply));
  CU_ASSERT_TRUE (psim_step_is_visit (apply));
  CU_ASSERT_STRING_EQUAL (psim_actor_get_id (psim_step_get_actor (apply)), "office");
  CU_ASSERT_PTR_EQUAL (psim_step_get_party (apply), psim_step_get_actor (apply));

  const PsimQuantity *d = psim_step_get_duration (apply);
  CU_ASSERT_PTR_NOT_NULL_FATAL (d);
  CU_ASSERT_EQUAL (d->unit, PSIM_UNIT_WORKING_DAYS);
  CU_ASSERT_DOUBLE_EQUAL (d->likely, 1.0, 1e-12);
  CU_ASSERT_EQUAL (d->basis, PSIM_BASIS_ESTIMATED);
  CU_ASSERT_PTR_NULL (psim_step_get_effort (apply));

  CU_ASSERT_EQUAL_FATAL (psim_step_get_n_fees (apply), 1);
  const PsimFee *fee = psim_step_get_fee (apply, 0);
  CU_ASSERT_EQUAL (psim_fee_get_kind (fee), PSIM_FEE_TAX);
  CU_ASSERT_STRING_EQUAL (psim_fee_get_expression (fee), "$price * 0.02");
  CU_ASSERT_FALSE (psim_fee_get_amount (fee, NULL));
  CU_ASSERT_STRING_EQUAL (psim_source_get_id (psim_fee_get_source (fee)), "src1");
  CU_ASSERT_STRING_EQUAL (psim_fee_get_currency (fee), "VND");

  const PsimNode *choice = psim_node_get_successor (apply, 0);
  CU_ASSERT_EQUAL (psim_node_get_kind (choice), PSIM_NODE_CHOICE);
  CU_ASSERT_EQUAL (psim_node_get_n_successors (choice), 2);
  CU_ASSERT_STRING_EQUAL (psim_node_get_branch_condition (choice, 0), "$mortgaged");
  CU_ASSERT_PTR_NULL (psim_node_get_branch_condition (choice, 1));
  CU_ASSERT_STRING_EQUAL (psim_node_get_id (psim_node_get_successor (choice, 1)), "end");

  /* An online step with an agency: interaction, no visit. */
  const PsimNode *bank = psim_variant_find_node (v, "bank");
  CU_ASSERT_TRUE (psim_step_is_interaction (bank));
  CU_ASSERT_FALSE (psim_step_is_visit (bank));
}

static void
test_model_defaults (void)
{
  g_autofree char *path = psim_test_data ("valid/parallel-loop.xml");
  g_autoptr (PsimProcedure) proc = psim_test_load_clean (path);
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  const PsimVariant *v = psim_procedure_get_variant (proc, 0);

  /* inter-agency: not an interaction, so not a visit. */
  const PsimNode *n = psim_variant_find_node (v, "exchange");
  CU_ASSERT_FALSE (psim_step_is_interaction (n));
  CU_ASSERT_FALSE (psim_step_is_visit (n));
  /* The applicant acting alone: not an interaction. */
  n = psim_variant_find_node (v, "prepare");
  CU_ASSERT_FALSE (psim_step_is_interaction (n));
  /* Explicit attributes win over the defaults. */
  n = psim_variant_find_node (v, "collect");
  CU_ASSERT_TRUE (psim_step_is_interaction (n));
  CU_ASSERT_FALSE (psim_step_is_visit (n));
  /* with= names the party. */
  n = psim_variant_find_node (v, "pay");
  CU_ASSERT_STRING_EQUAL (psim_actor_get_id (psim_step_get_party (n)), "bank");
  CU_ASSERT_STRING_EQUAL (psim_actor_get_id (psim_step_get_actor (n)), "citizen");
  /* The split knows its join. */
  const PsimNode *split = psim_variant_find_node (v, "fork");
  CU_ASSERT_STRING_EQUAL (psim_node_get_id (psim_node_get_join (split)), "merge");

  /* replaces resolves into the baseline variant. */
  const PsimVariant *dig = psim_procedure_find_variant (proc, "digital");
  CU_ASSERT_PTR_EQUAL (psim_variant_get_baseline (dig), v);
  const PsimNode *online = psim_variant_find_node (dig, "apply-online");
  CU_ASSERT_EQUAL_FATAL (psim_step_get_n_replaces (online), 2);
  CU_ASSERT_PTR_EQUAL (psim_step_get_replaces (online, 0), psim_variant_find_node (v, "prepare"));
}

/* CDATA is text like any other (the schema plug would drop it unless the
 * loader takes it as characters). */
static void
test_cdata_text (void)
{
  g_autofree char *path = psim_test_data ("valid/cdata.xml");
  g_autoptr (PsimProcedure) proc = psim_test_load_clean (path);
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  const PsimNode *apply = psim_variant_find_node (psim_procedure_get_variant (proc, 0), "apply");
  CU_ASSERT_STRING_EQUAL (psim_node_get_name (apply, "en"), "Apply at <desk 3> & co. of the office");
}

static void
test_memory_load_name (void)
{
  /* The name given to load_memory is the file in every diagnostic. */
  const char *text = "<procedure xmlns='urn:procsim:procedure:1'/>";
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  g_autoptr (PsimLoader) loader = psim_loader_new (NULL);
  g_autoptr (PsimProcedure) proc
    = psim_loader_load_memory (loader, text, strlen (text), "in-memory", diags, NULL);
  CU_ASSERT_PTR_NULL (proc);
  CU_ASSERT_FATAL (diags->len > 0);
  for (guint i = 0; i < diags->len; i++)
    CU_ASSERT_STRING_EQUAL (((PsimDiagnostic *) g_ptr_array_index (diags, i))->file, "in-memory");
}

/* A file with warnings only loads; the warnings are reported. */
static void
test_warnings_do_not_block (void)
{
  static const char text[] =
    "<procedure xmlns='urn:procsim:procedure:1' id='w' version='1' date='2025-01-01' "
    "jurisdiction='VN'><title xml:lang='en'>W</title>\n"
    "<actors><actor id='o' kind='agency'><name xml:lang='en'>O</name></actor></actors>\n"
    "<variant id='v'><title xml:lang='en'>V</title><process><start/>\n"
    "<step id='a' actor='o' channel='online' visit='true'><name xml:lang='en'>A</name>\n"
    "<fee kind='fee' amount='500.000' basis='estimated'><name xml:lang='en'>F</name></fee>\n"
    "</step><end/></process></variant></procedure>\n";
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  g_autoptr (PsimProcedure) proc = load_text (text, diags);
  CU_ASSERT_PTR_NOT_NULL (proc);
  g_autofree char *got = psim_test_join_diagnostics (diags);
  CU_ASSERT_STRING_EQUAL (got,
    "gen.xml:4: warning: step 'a' is a visit but its channel is online\n"
    "gen.xml:5: warning: step 'a': <fee> amount=\"500.000\" reads as 500 VND; VND has no minor "
    "unit, so write digits only (500000, not 500.000)\n");
}

/* The document warnings of a reformed variant whose process is @process
 * (docs/format.md, "Where a step's documents come from"). The procedure
 * must load. (transfer full) */
static char *
document_warnings (const char *process)
{
  g_autofree char *text = g_strdup_printf (
    "<procedure xmlns='urn:procsim:procedure:1' id='d' version='1' date='2025-01-01' "
    "jurisdiction='VN'><title xml:lang='en'>D</title>\n"
    "<actors><actor id='c' kind='applicant'><name xml:lang='en'>C</name></actor>"
    "<actor id='o' kind='agency'><name xml:lang='en'>O</name></actor></actors>\n"
    "<documents><document id='a'><name xml:lang='en'>A</name></document>"
    "<document id='b'><name xml:lang='en'>B</name></document>"
    "<document id='n' national-db='true'><name xml:lang='en'>N</name></document></documents>\n"
    "<variant id='legacy'><title xml:lang='en'>L</title><process><start/>"
    "<step id='old' actor='o' channel='in-person'><name xml:lang='en'>S</name>"
    "<input ref='n'/></step><end/></process></variant>\n"
    "<variant id='digital' baseline='legacy'><title xml:lang='en'>V</title><process>\n"
    "%s</process></variant></procedure>\n",
    process);
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  g_autoptr (PsimProcedure) proc = load_text (text, diags);
  CU_ASSERT_PTR_NOT_NULL (proc);
  CU_ASSERT_EQUAL (psim_diagnostics_count_errors (diags), 0);
  return psim_test_join_diagnostics (diags);
}

#define DSTEP(id, actor, channel, docs) \
  "<step id='" id "' actor='" actor "' channel='" channel "'><name xml:lang='en'>S</name>" docs \
  "</step>\n"

#define NOWHERE(line, step, doc) \
  "gen.xml:" line ": warning: step '" step "': input '" doc "' comes from nowhere: no earlier " \
  "step produces it or takes it in on every path here, the applicant takes no part in the " \
  "step, and it is not held in a national database\n"
#define LOOP_BACK_TO(id) \
  "<choice id='k'><branch to='" id "' probability='0.5'/><branch to='end' probability='0.5'/>" \
  "</choice><end/>\n"

static void
test_document_sources (void)
{
  static const struct {
    const char *what, *process, *expected;
  } cases[] = {
    { "after a join, what every branch produced is there; inside a branch, what its sibling "
      "produces is not",
      "<start/><split id='s' join='j'><branch to='p'/><branch to='q'/></split>\n"
      "<step id='p' actor='o' channel='inter-agency' next='j'><name xml:lang='en'>S</name>"
      "<output ref='a'/></step>\n"
      "<step id='q' actor='o' channel='inter-agency' next='j'><name xml:lang='en'>S</name>"
      "<input ref='a'/><output ref='b'/></step>\n"
      "<join id='j'/>\n"
      DSTEP ("r", "o", "inter-agency", "<input ref='a'/><input ref='b'/>") "<end/>\n",
      NOWHERE ("8", "q", "a") },
    { "the first time round a loop, what the loop produces later is not there yet",
      "<start/>\n"
      DSTEP ("u", "o", "inter-agency", "<input ref='a'/>")
      DSTEP ("w", "o", "inter-agency", "<output ref='a'/>") LOOP_BACK_TO ("u"),
      NOWHERE ("7", "u", "a") },
    { "produced before the loop, it is there every time round",
      "<start/>\n"
      DSTEP ("w", "o", "inter-agency", "<output ref='a'/>")
      DSTEP ("u", "o", "inter-agency", "<input ref='a'/>") LOOP_BACK_TO ("w"),
      "" },
    { "the applicant's own step brings its inputs; an online step is not taken for an upload; "
      "a national record is there for an office",
      "<start/>\n"
      DSTEP ("own", "c", "in-person", "<input ref='b'/>")
      DSTEP ("up", "o", "online", "<input ref='n'/>")
      DSTEP ("f", "o", "inter-agency", "<input ref='n'/><input ref='b'/>") "<end/>\n",
      "" },
    { "once-only: a postal step hands the national record over before any step fetched it; "
      "an in-person step after the fetch does not (the baseline's step is not reported)",
      "<start/>\n"
      DSTEP ("mail", "o", "post", "<input ref='n'/>")
      DSTEP ("f", "o", "inter-agency", "<input ref='n'/>")
      DSTEP ("visit", "o", "in-person", "<input ref='n'/>") "<end/>\n",
      "gen.xml:7: warning: step 'mail': the applicant still supplies 'n', which is held in a "
      "national database; under the once-only principle variant 'digital' should fetch it (an "
      "inter-agency step that takes it in before this one)\n" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = document_warnings (cases[i].process);
      if (strcmp (got, cases[i].expected) != 0)
        g_printerr ("\n%s:\n--- expected\n%s--- got\n%s", cases[i].what, cases[i].expected, got);
      CU_ASSERT_STRING_EQUAL (got, cases[i].expected);
    }
}

static void
test_mixed_currencies (void)
{
  static const char text[] =
    "<procedure xmlns='urn:procsim:procedure:1' id='w' version='1' date='2025-01-01' "
    "jurisdiction='VN'><title xml:lang='en'>W</title>\n"
    "<actors><actor id='o' kind='agency'><name xml:lang='en'>O</name></actor></actors>\n"
    "<variant id='v'><title xml:lang='en'>V</title><process><start/>\n"
    "<step id='a' actor='o' channel='online'><name xml:lang='en'>A</name>\n"
    "<fee kind='fee' amount='5' currency='USD' basis='estimated'><name xml:lang='en'>F</name></fee>\n"
    "<fee kind='fee' amount='50000' basis='estimated'><name xml:lang='en'>G</name></fee>\n"
    "</step><end/></process></variant></procedure>\n";
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  g_autoptr (PsimProcedure) proc = load_text (text, diags);
  CU_ASSERT_PTR_NULL (proc);
  g_autofree char *got = psim_test_join_diagnostics (diags);
  CU_ASSERT_STRING_EQUAL (got,
    "gen.xml:6: error: step 'a': fee in VND, but the fee at line 5 is in USD; totals cannot "
    "add different currencies\n");
}

int
main (void)
{
  static const PsimTest tests[] = {
    { "bundled workflows load with no diagnostic", test_bundled_clean },
    { "tests/data/valid load with no diagnostic", test_valid_clean },
    { "each invalid fixture gives its exact diagnostics", test_invalid_fixtures },
    { "each warning fixture loads with its exact warnings", test_warning_fixtures },
    { "documents: inputs from nowhere and national records handed over", test_document_sources },
    { "truncated and mutated files never crash", test_robustness },
    { "a 10,000-step procedure loads", test_large_generated },
    { "20,000 nested parallel splits load and walk", test_nested_splits },
    { "a 100 MB file is refused on its size", test_oversized_file },
    { "a missing file is a diagnostic", test_missing_file },
    { "a 12 MB text loads; a 10 MB attribute value is the limit", test_text_limits },
    { "a long expression is not echoed whole", test_long_expression_not_echoed },
    { "200,000 attributes on one element are refused at once", test_many_attributes },
    { "a line of 200,000 words wraps in linear time", test_wrap_long_line },
    { "third-party BPMN files are refused cleanly", test_third_party_corpus },
    { "model of minimal.xml", test_model_minimal },
    { "derived step attributes and replaces", test_model_defaults },
    { "load_memory names the input in diagnostics", test_memory_load_name },
    { "CDATA sections are text", test_cdata_text },
    { "warnings do not stop a load", test_warnings_do_not_block },
    { "fees in two currencies are an error", test_mixed_currencies },
    { NULL, NULL },
  };
  return psim_test_run ("load", tests);
}
