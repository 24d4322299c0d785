/* test-catalogue.c — procedures and scenarios by id (psim-catalogue.h): the
 * bundled folders load into one catalogue, a scenario's procedure is the
 * catalogue's own object, an id met twice keeps its first file, files
 * with errors are left out with their findings, and reads from several
 * threads at once see the same objects.
 */
#include "psim-test.h"

#include <string.h>

static PsimCatalogue *
bundled (GPtrArray *diags)
{
  g_autofree char *workflows = g_build_filename (g_getenv ("PSIM_SOURCE_ROOT"), "workflows", NULL);
  g_autofree char *scenarios = g_build_filename (g_getenv ("PSIM_SOURCE_ROOT"), "scenarios", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (PsimCatalogue) cat = psim_catalogue_new ("en", &error);
  g_assert (cat != NULL);
  g_assert (psim_catalogue_add_dir (cat, workflows, diags, &error));
  g_assert (psim_catalogue_add_dir (cat, scenarios, diags, &error));
  return g_steal_pointer (&cat);
}

static void
test_bundled (void)
{
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  g_autoptr (PsimCatalogue) cat = bundled (diags);
  CU_ASSERT_EQUAL (psim_diagnostics_count_errors (diags), 0);
  g_autoptr (GPtrArray) procs = psim_catalogue_list_procedures (cat);
  CU_ASSERT_EQUAL_FATAL (procs->len, 2);
  CU_ASSERT_STRING_EQUAL (psim_procedure_get_id (g_ptr_array_index (procs, 0)),
                          "business-registration");
  CU_ASSERT_STRING_EQUAL (psim_procedure_get_id (g_ptr_array_index (procs, 1)),
                          "land-title-transfer");
  PsimProcedure *land = psim_catalogue_get_procedure (cat, "land-title-transfer");
  CU_ASSERT_PTR_EQUAL (land, g_ptr_array_index (procs, 1));
  CU_ASSERT_PTR_NULL (psim_catalogue_get_procedure (cat, "no-such-procedure"));

  g_autoptr (GPtrArray) scenarios = psim_catalogue_list_scenarios (cat);
  CU_ASSERT_EQUAL_FATAL (scenarios->len, 4);
  for (guint i = 0; i < scenarios->len; i++)
    {
      PsimScenario *sc = g_ptr_array_index (scenarios, i);
      CU_ASSERT_PTR_EQUAL (psim_catalogue_get_scenario (cat, psim_scenario_get_id (sc)), sc);
      if (i > 0)
        CU_ASSERT_TRUE (strcmp (psim_scenario_get_id (g_ptr_array_index (scenarios, i - 1)),
                                psim_scenario_get_id (sc))
                        < 0);
      /* The scenario's procedure is the catalogue's object, not a copy. */
      PsimProcedure *proc = psim_scenario_get_procedure (sc);
      CU_ASSERT_PTR_EQUAL (psim_catalogue_get_procedure (cat, psim_procedure_get_id (proc)), proc);
    }
}

/* A scenario loaded by a catalogue has the checksum it has loaded alone, so
 * that checkpoints saved either way resume. */
static void
test_checksum (void)
{
  g_autoptr (PsimCatalogue) cat = bundled (NULL);
  g_autofree char *path = g_build_filename (g_getenv ("PSIM_SOURCE_ROOT"), "scenarios",
                                            "land-title-digital.xml", NULL);
  g_autoptr (PsimLoader) loader = psim_loader_new (NULL);
  g_autoptr (PsimScenario) alone = psim_scenario_load_file (loader, path, NULL, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (alone);
  PsimScenario *shared = psim_catalogue_get_scenario (cat, psim_scenario_get_id (alone));
  CU_ASSERT_PTR_NOT_NULL_FATAL (shared);
  CU_ASSERT_STRING_EQUAL (psim_scenario_get_checksum (shared), psim_scenario_get_checksum (alone));
}

static void
test_twice_and_errors (void)
{
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  g_autoptr (PsimCatalogue) cat = bundled (diags);
  g_autofree char *workflows = g_build_filename (g_getenv ("PSIM_SOURCE_ROOT"), "workflows", NULL);
  PsimProcedure *first = psim_catalogue_get_procedure (cat, "land-title-transfer");
  g_ptr_array_set_size (diags, 0);
  CU_ASSERT_TRUE (psim_catalogue_add_dir (cat, workflows, diags, NULL));
  /* Each file of the folder again: a warning, and the first object kept. */
  CU_ASSERT_EQUAL (diags->len, 2);
  CU_ASSERT_EQUAL (psim_diagnostics_count_errors (diags), 0);
  CU_ASSERT_PTR_EQUAL (psim_catalogue_get_procedure (cat, "land-title-transfer"), first);

  /* Files with errors are left out, each with its findings. */
  g_autofree char *invalid = psim_test_data ("invalid");
  g_ptr_array_set_size (diags, 0);
  CU_ASSERT_TRUE (psim_catalogue_add_dir (cat, invalid, diags, NULL));
  CU_ASSERT_TRUE (psim_diagnostics_count_errors (diags) > 0);
  g_autoptr (GPtrArray) procs = psim_catalogue_list_procedures (cat);
  CU_ASSERT_EQUAL (procs->len, 2);

  g_autoptr (GError) error = NULL;
  CU_ASSERT_FALSE (psim_catalogue_add_dir (cat, "/nonexistent/folder", NULL, &error));
  CU_ASSERT_PTR_NOT_NULL (error);
}

typedef struct {
  const PsimCatalogue *cat;
  guint wrong;
} Reader;

static gpointer
read_run (gpointer data)
{
  Reader *r = data;
  for (guint i = 0; i < 2000; i++)
    {
      g_autoptr (GPtrArray) scenarios = psim_catalogue_list_scenarios (r->cat);
      for (guint k = 0; k < scenarios->len; k++)
        {
          PsimScenario *sc = g_ptr_array_index (scenarios, k);
          if (psim_catalogue_get_scenario (r->cat, psim_scenario_get_id (sc)) != sc)
            r->wrong++;
        }
    }
  return NULL;
}

static void
test_threads (void)
{
  g_autoptr (PsimCatalogue) cat = bundled (NULL);
  Reader a = { cat, 0 }, b = { cat, 0 };
  GThread *ta = g_thread_new ("a", read_run, &a);
  GThread *tb = g_thread_new ("b", read_run, &b);
  g_thread_join (ta);
  g_thread_join (tb);
  CU_ASSERT_EQUAL (a.wrong + b.wrong, 0);
}

int
main (void)
{
  static const PsimTest tests[] = {
    { "the bundled folders by id, objects shared", test_bundled },
    { "a scenario's checksum as when loaded alone", test_checksum },
    { "an id twice, files with errors, no folder", test_twice_and_errors },
    { "reads from two threads", test_threads },
    { NULL, NULL },
  };
  return psim_test_run ("catalogue", tests);
}
