/* test-lang.c — every string the library makes is in the language its
 * caller names, whatever the process locale (the program runs under C with
 * LANGUAGE=en): the loader's diagnostics, a case's errors, the renderer's
 * labels and legend, the engine's refusals and the session record. Then
 * two threads, one Vietnamese and one English, load, render, train and
 * record at the same time, and each gets exactly what it gets alone.
 */
#include "psim-test.h"

#include <locale.h>
#include <string.h>

/* What one language's caller gets from the library, all in one string. */
static char *
produce_full (const char *lang, gboolean with_record)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (PsimLoader) loader = psim_loader_new (&error);
  g_assert (loader != NULL);
  psim_loader_set_language (loader, lang);

  /* Diagnostics of a bad procedure file. */
  g_autofree char *bad = psim_test_data ("invalid/dangling-actor.xml");
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  g_autoptr (PsimProcedure) none = psim_loader_load_file (loader, bad, diags, NULL);
  g_assert (none == NULL);
  for (guint i = 0; i < diags->len; i++)
    {
      g_autofree char *line = psim_diagnostic_to_string (g_ptr_array_index (diags, i), lang);
      g_string_append_printf (out, "%s\n", line);
    }

  /* A case's error, and the graph of a variant with its legend. */
  g_autofree char *file = psim_test_workflow ("land-title-transfer.xml");
  g_autoptr (PsimProcedure) proc = psim_loader_load_file (loader, file, NULL, NULL);
  g_assert (proc != NULL);
  g_autoptr (PsimCase) pcase = psim_case_new (proc);
  psim_case_set_language (pcase, lang);
  g_autoptr (GError) case_error = NULL;
  g_assert_false (psim_case_set (pcase, "no-such-datum", "1", &case_error));
  g_string_append_printf (out, "%s\n", case_error->message);
  g_autoptr (PsimRenderer) r = psim_renderer_new ();
  PsimRenderOptions opts = { .lang = lang, .details = TRUE };
  g_autoptr (GBytes) dot = psim_renderer_render_variant (
      r, psim_procedure_find_variant (proc, "digital"), &opts, "dot", &error);
  g_assert (dot != NULL);
  g_string_append_len (out, g_bytes_get_data (dot, NULL), (gssize)g_bytes_get_size (dot));

  /* A training session: a refused answer, then the record of a perfect run. */
  g_autofree char *scenario = g_build_filename (g_getenv ("PSIM_SOURCE_ROOT"), "scenarios",
                                                "land-title-digital.xml", NULL);
  g_autoptr (PsimScenario) sc = psim_scenario_load_file (loader, scenario, NULL, &error);
  g_assert (sc != NULL);
  g_autoptr (PsimSession) s = psim_session_new (sc, 11);
  psim_session_set_language (s, lang);
  psim_session_set_identity (s, "test", "trainee", 0);
  g_autoptr (GError) refused = NULL;
  g_assert_false (psim_session_answer (s, "99", 0, &refused));
  g_string_append_printf (out, "%s\n", refused->message);
  for (guint guard = 0; psim_session_get_prompt (s) != PSIM_PROMPT_FINISHED && guard < 1000;
       guard++)
    {
      g_autofree char *answer = psim_session_dup_ideal_answer (s);
      g_assert (psim_session_answer (s, answer, 1000, NULL));
    }
  if (with_record)
    {
      g_autofree char *record = psim_session_record_json (s, lang);
      g_string_append (out, record);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
produce (const char *lang)
{
  return produce_full (lang, TRUE);
}

static gboolean
has (const char *text, const char *word)
{
  return strstr (text, word) != NULL;
}

static void
test_each_language (void)
{
  g_autofree char *vi = produce ("vi");
  g_autofree char *en = produce ("en");
  /* Diagnostics */
  CU_ASSERT_TRUE (has (vi, ": lỗi: "));
  CU_ASSERT_FALSE (has (vi, ": error: "));
  CU_ASSERT_TRUE (has (en, ": error: "));
  /* The case's error */
  CU_ASSERT_TRUE (has (vi, "thủ tục này không có dữ liệu tình huống 'no-such-datum'"));
  CU_ASSERT_TRUE (has (en, "unknown case data 'no-such-datum'"));
  /* Channels and legend */
  CU_ASSERT_TRUE (has (vi, "Chú giải"));
  CU_ASSERT_TRUE (has (vi, "[trực tuyến]"));
  CU_ASSERT_FALSE (has (vi, "Legend"));
  CU_ASSERT_FALSE (has (vi, "[online]"));
  CU_ASSERT_FALSE (has (vi, "in person"));
  CU_ASSERT_TRUE (has (en, "Legend"));
  CU_ASSERT_TRUE (has (en, "[online]"));
  CU_ASSERT_FALSE (has (en, "Chú giải"));
  CU_ASSERT_FALSE (has (en, "trực tiếp"));
  /* The refused answer */
  CU_ASSERT_TRUE (has (en, "\"99\" is not one of the options"));
  CU_ASSERT_FALSE (has (vi, "is not one of the options"));
  /* A language tag as a browser writes it is the same language (the
   * record names the tag it was asked for, so it is left out). */
  g_autofree char *vi_vn = produce_full ("vi-VN", FALSE);
  g_autofree char *vi_short = produce_full ("vi", FALSE);
  CU_ASSERT_STRING_EQUAL (vi_vn, vi_short);
}

typedef struct {
  const char *lang;
  char *expect;
  guint runs;
  guint wrong;
} Worker;

static gpointer
worker_run (gpointer data)
{
  Worker *w = data;
  for (guint i = 0; i < w->runs; i++)
    {
      g_autofree char *got = produce (w->lang);
      if (strcmp (got, w->expect) != 0)
        w->wrong++;
    }
  return NULL;
}

static void
test_two_threads (void)
{
  Worker vi = { "vi", produce ("vi"), 6, 0 };
  Worker en = { "en", produce ("en"), 6, 0 };
  GThread *a = g_thread_new ("vi", worker_run, &vi);
  GThread *b = g_thread_new ("en", worker_run, &en);
  g_thread_join (a);
  g_thread_join (b);
  CU_ASSERT_EQUAL (vi.wrong, 0);
  CU_ASSERT_EQUAL (en.wrong, 0);
  g_free (vi.expect);
  g_free (en.expect);
}

int
main (void)
{
  /* The process locale must not matter: run under C, messages in English. */
  setlocale (LC_ALL, "C");
  g_setenv ("LANGUAGE", "en", TRUE);
  static const PsimTest tests[] = {
    { "each string in the caller's language", test_each_language },
    { "two threads, two languages, at once", test_two_threads },
    { NULL, NULL },
  };
  return psim_test_run ("lang", tests);
}
