/* test-i18n.c — the library's words in an explicit language (psim-i18n.h):
 * lookups in the embedded Vietnamese catalogue whatever the process locale,
 * plural forms in both languages, language tags as browsers and locales
 * write them, Accept-Language headers, and two threads asking for Vietnamese
 * and English at the same time each getting their own.
 */
#include "psim-test.h"

#include <locale.h>
#include <string.h>

static void
test_lookup (void)
{
  CU_ASSERT_STRING_EQUAL (psim_gettext ("vi", "Legend"), "Chú giải");
  CU_ASSERT_STRING_EQUAL (psim_gettext ("vi-VN", "Legend"), "Chú giải");
  CU_ASSERT_STRING_EQUAL (psim_gettext ("vi_VN.UTF-8", "Legend"), "Chú giải");
  CU_ASSERT_STRING_EQUAL (psim_gettext ("en", "Legend"), "Legend");
  CU_ASSERT_STRING_EQUAL (psim_gettext (NULL, "Legend"), "Legend");
  CU_ASSERT_STRING_EQUAL (psim_gettext ("fr", "Legend"), "Legend");
  /* A message with no translation comes back as written. */
  const char *unknown = "no such message in any catalogue";
  CU_ASSERT_PTR_EQUAL (psim_gettext ("vi", unknown), unknown);
  /* The empty msgid is the catalogue's header, never a message. */
  CU_ASSERT_STRING_EQUAL (psim_gettext ("vi", ""), "");
}

static void
test_plural (void)
{
  CU_ASSERT_STRING_EQUAL (psim_ngettext ("en", "%u step", "%u steps", 1), "%u step");
  CU_ASSERT_STRING_EQUAL (psim_ngettext ("en", "%u step", "%u steps", 2), "%u steps");
  CU_ASSERT_STRING_EQUAL (psim_ngettext ("en", "%u step", "%u steps", 0), "%u steps");
  /* Vietnamese has one form for every number. */
  CU_ASSERT_STRING_EQUAL (psim_ngettext ("vi", "%u step", "%u steps", 1), "%u bước");
  CU_ASSERT_STRING_EQUAL (psim_ngettext ("vi", "%u step", "%u steps", 7), "%u bước");
}

static void
test_tags (void)
{
  CU_ASSERT_STRING_EQUAL (psim_lang_normalize ("VI"), "vi");
  CU_ASSERT_STRING_EQUAL (psim_lang_normalize ("en-GB"), "en");
  CU_ASSERT_STRING_EQUAL (psim_lang_normalize ("vietnamese"), "en");
  CU_ASSERT_STRING_EQUAL (psim_lang_normalize (""), "en");
  CU_ASSERT_TRUE (psim_lang_is_supported ("vi_VN@latin"));
  CU_ASSERT_FALSE (psim_lang_is_supported ("de"));
  CU_ASSERT_FALSE (psim_lang_is_supported (NULL));
  const char *const *all = psim_lang_get_all ();
  CU_ASSERT_STRING_EQUAL (all[0], "en");
  CU_ASSERT_STRING_EQUAL (all[1], "vi");
  CU_ASSERT_PTR_NULL (all[2]);
}

static void
test_accept_language (void)
{
  CU_ASSERT_STRING_EQUAL (psim_lang_from_accept_language ("vi-VN,vi;q=0.9,en;q=0.8", "en"), "vi");
  CU_ASSERT_STRING_EQUAL (psim_lang_from_accept_language ("en-US,en;q=0.9,vi;q=0.8", "vi"), "en");
  CU_ASSERT_STRING_EQUAL (psim_lang_from_accept_language ("fr;q=1, vi;q=0.3", "en"), "vi");
  CU_ASSERT_STRING_EQUAL (psim_lang_from_accept_language ("en;q=0.2, vi;q=0.5", "en"), "vi");
  CU_ASSERT_STRING_EQUAL (psim_lang_from_accept_language ("de, fr", "vi"), "vi");
  CU_ASSERT_STRING_EQUAL (psim_lang_from_accept_language ("vi;q=0", "en"), "en");
  CU_ASSERT_STRING_EQUAL (psim_lang_from_accept_language ("vi;q=abc", "en"), "en");
  CU_ASSERT_STRING_EQUAL (psim_lang_from_accept_language (NULL, "en"), "en");
  CU_ASSERT_STRING_EQUAL (psim_lang_from_accept_language ("", "vi"), "vi");
}

/* Two threads, one per language, looking up the same messages many times
 * while the catalogue may still be loading: each sees only its language. */
typedef struct {
  const char *lang;
  const char *expect;
  guint wrong;
} Worker;

static gpointer
worker_run (gpointer data)
{
  Worker *w = data;
  for (guint i = 0; i < 20000; i++)
    if (strcmp (psim_gettext (w->lang, "Legend"), w->expect) != 0)
      w->wrong++;
  return NULL;
}

static void
test_threads (void)
{
  Worker vi = { "vi", "Chú giải", 0 }, en = { "en", "Legend", 0 };
  GThread *a = g_thread_new ("vi", worker_run, &vi);
  GThread *b = g_thread_new ("en", worker_run, &en);
  g_thread_join (a);
  g_thread_join (b);
  CU_ASSERT_EQUAL (vi.wrong, 0);
  CU_ASSERT_EQUAL (en.wrong, 0);
}

int
main (void)
{
  /* The process locale must not matter: run under C. */
  setlocale (LC_ALL, "C");
  g_setenv ("LANGUAGE", "en", TRUE);
  static const PsimTest tests[] = {
    { "lookup in the embedded catalogue", test_lookup },
    { "plural forms", test_plural },
    { "language tags", test_tags },
    { "Accept-Language", test_accept_language },
    { "two threads, two languages", test_threads },
    { NULL, NULL },
  };
  return psim_test_run ("i18n", tests);
}
