/* test-compare.c — the reformers' figures (psim-compare.h): both bundled
 * procedures for their default case, figure by figure, against numbers
 * worked out by hand (the arithmetic is in docs/compare-rules.md), and one
 * small synthetic procedure per rule in tests/data/compare/: the Doing
 * Business day rule with online steps and parallel branches, a document
 * submitted again with the cost model, a loop and a file without a cost
 * model. Also the <cost-model> getters and the default pair of variants.
 */
#include "psim-test.h"

#include <math.h>
#include <string.h>

/* Expected figures of one variant, in PsimMetric order; NAN: unknown. */
typedef struct {
  const char *variant;
  double v[PSIM_N_METRICS];
} Expected;

static PsimProcedure *
load_compare (const char *name)
{
  g_autofree char *rel = g_build_filename ("compare", name, NULL);
  g_autofree char *path = psim_test_data (rel);
  return psim_test_load_clean (path);
}

static PsimProcedure *
load_workflow (const char *name)
{
  g_autofree char *path = psim_test_workflow (name);
  return psim_test_load_clean (path);
}

/* Measures @e->variant with the file's cost model and checks every figure,
 * and that the contributions of each figure add up to it. */
static void
check_expected (PsimProcedure *proc, PsimCase *pcase, const Expected *e)
{
  const PsimVariant *v = psim_procedure_find_variant (proc, e->variant);
  CU_ASSERT_PTR_NOT_NULL_FATAL (v);
  PsimCostParams params;
  psim_cost_params_init (&params, proc, pcase);
  g_autoptr (GError) error = NULL;
  g_autoptr (PsimMeasure) m = psim_measure_new (v, pcase, &params, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (m);
  for (PsimMetric k = 0; k < PSIM_N_METRICS; k++)
    {
      double got = psim_measure_get (m, k);
      double want = e->v[k];
      gboolean ok = isnan (want) ? isnan (got) : fabs (got - want) <= 1e-6 * MAX (1, fabs (want));
      if (!ok)
        {
          g_printerr ("\n%s %s: expected %.6f, got %.6f", e->variant, psim_metric_to_string (k),
                      want, got);
          CU_FAIL ("figure differs from the hand-computed one");
        }
      if (isnan (want))
        continue;
      double sum = 0;
      for (guint r = 0; r < psim_measure_get_n_steps (m); r++)
        sum += psim_measure_get_contribution (m, r, k);
      CU_ASSERT_DOUBLE_EQUAL (sum, got, 1e-6 * MAX (1, fabs (got)));
    }
  /* The model's elapsed time is the path's. */
  const PsimTotals *t = psim_path_get_totals (psim_measure_get_path (m));
  CU_ASSERT_DOUBLE_EQUAL (psim_measure_get (m, PSIM_METRIC_WORKING_DAYS),
                          t->elapsed.working_days, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (psim_measure_get (m, PSIM_METRIC_ELAPSED_HOURS), t->elapsed.hours, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (psim_measure_get (m, PSIM_METRIC_EFFORT_HOURS), t->effort_hours, 1e-9);
}

/* Columns, in PsimMetric order:
 * steps procedures visits agencies handoffs exchanges documents repeated fetched
 * db_days working_days calendar_days elapsed_hours effort_hours
 * taxes fees service own_time travel applicant applicant_pct taxes_pct
 * scm_hours scm_burden */

static void
test_land_title (void)
{
  g_autoptr (PsimProcedure) proc = load_workflow ("land-title-transfer.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  g_autoptr (PsimCase) pcase = psim_case_new (proc);
  /* Tariff 60,000 VND/h, travel 50,000/visit, 60,000 cases, price 3.2 bn. */
  static const Expected legacy = { "legacy", {
    10, 8, 8, 6, 9, 0, 22, 10, 0,
    20, 20, 0, 0, 17,
    80000000, 2324000, 0, 1020000, 400000, 3744000, 0.117, 2.5,
    1020000, 61200000000.0 } };
  static const Expected digital = { "digital", {
    6, 3, 1, 3, 0, 4, 3, 0, 2,
    7, 7, 0, 0, 3.25,
    80000000, 2300000, 0, 195000, 50000, 2545000, 2545000 / 3.2e9 * 100, 2.5,
    195000, 11700000000.0 } };
  check_expected (proc, pcase, &legacy);
  check_expected (proc, pcase, &digital);

  /* Mortgaged: the bank's step joins both paths (3–4 procedures). */
  CU_ASSERT_TRUE (psim_case_set (pcase, "mortgaged", "true", NULL));
  PsimCostParams params;
  psim_cost_params_init (&params, proc, pcase);
  g_autoptr (PsimMeasure) m
    = psim_measure_new (psim_procedure_find_variant (proc, "digital"), pcase, &params, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (m);
  CU_ASSERT_DOUBLE_EQUAL (psim_measure_get (m, PSIM_METRIC_PROCEDURES), 4, 1e-9);
}

static void
test_business_registration (void)
{
  g_autoptr (PsimProcedure) proc = load_workflow ("business-registration.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  g_autoptr (PsimCase) pcase = psim_case_new (proc);
  /* Tariff 60,000 VND/h, travel 50,000/visit, 30,000 cases, income per
   * capita 110,000,000 VND. */
  static const Expected legacy = { "legacy", {
    11, 10, 9, 7, 6, 0, 17, 8, 0,
    16.5, 16.5, 0, 0, 19.5,
    0, 150000, 2300000, 1170000, 450000, 4070000, 3.7, 0,
    585000, 35100000000.0 } };
  static const Expected digital = { "digital", {
    7, 2, 0, 4, 0, 3, 6, 0, 1,
    5.5, 5.5, 0, 0, 3.5,
    0, 100000, 1900000, 210000, 0, 2210000, 2210000 / 110e6 * 100, 0,
    105000, 6300000000.0 } };
  check_expected (proc, pcase, &legacy);
  check_expected (proc, pcase, &digital);
}

/* Two hours at a counter count a day, half a working day too; online, half
 * a day, so two online steps fill one day. The online variant's parallel
 * branches: o3 (inter-agency, 1 working day: 1 DB day) against o4 (online,
 * 2 hours: 0.5) + o5 (in person, 0.5 working day: 1) = 1.5 DB days; the
 * Doing Business count takes o4–o5, the model's elapsed time o3 (1 working
 * day against 0.25 + 0.5). Exchanges, both received online: o2→o4
 * (office to bank) and o5→o6 (bank to office after the join). */
static void
test_db_rule (void)
{
  g_autoptr (PsimProcedure) proc = load_compare ("db-rule.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  g_autoptr (PsimCase) pcase = psim_case_new (proc);
  static const Expected counter = { "counter", {
    3, 2, 2, 1, 0, 0, 0, 0, 0,
    1 + 1 + 3, 3.5, 0, 2, 0,
    0, 0, 0, NAN, NAN, NAN, NAN, NAN, NAN, NAN } };
  static const Expected online = { "online", {
    6, 5, 1, 2, 0, 2, 0, 0, 0,
    0.5 + 0.5 + 1.5 + 0.5, 1, 0, 2, 0,
    0, 0, 0, NAN, NAN, NAN, NAN, NAN, NAN, NAN } };
  check_expected (proc, pcase, &counter);
  check_expected (proc, pcase, &online);

  /* The critical branch contributes, the other does not. */
  PsimCostParams params;
  psim_cost_params_init (&params, proc, pcase);
  g_autoptr (PsimMeasure) m
    = psim_measure_new (psim_procedure_find_variant (proc, "online"), pcase, &params, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (m);
  for (guint r = 0; r < psim_measure_get_n_steps (m); r++)
    {
      const char *id = psim_node_get_id (psim_measure_get_step (m, r));
      double db = psim_measure_get_contribution (m, r, PSIM_METRIC_DB_DAYS);
      double wd = psim_measure_get_contribution (m, r, PSIM_METRIC_WORKING_DAYS);
      if (strcmp (id, "o3") == 0)
        {
          CU_ASSERT_DOUBLE_EQUAL (db, 0, 1e-9);
          CU_ASSERT_DOUBLE_EQUAL (wd, 1, 1e-9);
        }
      if (strcmp (id, "o5") == 0)
        {
          CU_ASSERT_DOUBLE_EQUAL (db, 1, 1e-9);
          CU_ASSERT_DOUBLE_EQUAL (wd, 0, 1e-9);
        }
    }
}

/* The id card and the form, handed in at two desks: 4 submissions, 2 of
 * them again; the office filing the form itself is no submission.
 * Paper: 3 hours × 100 = 300, 2 visits × 10 = 20, fee 50: 370, 3.7 % of
 * 10,000; tax 100 is 1 %; 3 h × 1,000 cases = 3,000 h, × 100 = 300,000.
 * Digital: 0.5 h × 100 = 50, fee 50: 100, 1 %; 500 h, 50,000. */
static void
test_repeated_document (void)
{
  g_autoptr (PsimProcedure) proc = load_compare ("repeated-document.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  g_autoptr (PsimCase) pcase = psim_case_new (proc);
  static const Expected paper = { "paper", {
    3, 2, 2, 1, 0, 0, 4, 2, 0,
    2, 0, 0, 0, 3,
    100, 50, 0, 300, 20, 370, 3.7, 1,
    3000, 300000 } };
  static const Expected digital = { "digital", {
    1, 1, 0, 1, 0, 0, 1, 0, 0,
    0.5, 0, 0, 0, 0.5,
    0, 50, 0, 50, 0, 100, 1, 0,
    500, 50000 } };
  check_expected (proc, pcase, &paper);
  check_expected (proc, pcase, &digital);

  const PsimFigure *tariff = psim_procedure_get_tariff (proc);
  CU_ASSERT_PTR_NOT_NULL_FATAL (tariff);
  CU_ASSERT_DOUBLE_EQUAL (tariff->value, 100, 1e-9);
  CU_ASSERT_EQUAL (tariff->basis, PSIM_BASIS_SOURCED);
  CU_ASSERT_STRING_EQUAL (psim_source_get_id (tariff->source), "survey");
  PsimValueKind kind = PSIM_VALUE_PROPERTY;
  const PsimParam *param = NULL;
  const PsimFigure *fig = NULL;
  CU_ASSERT_TRUE (psim_procedure_get_value_base (proc, &kind, &param, &fig));
  CU_ASSERT_EQUAL (kind, PSIM_VALUE_INCOME);
  CU_ASSERT_PTR_NULL (param);
  CU_ASSERT_PTR_NOT_NULL_FATAL (fig);
  CU_ASSERT_DOUBLE_EQUAL (fig->value, 10000, 1e-9);
}

/* The dossier may be sent back (probability 0.7), but the path a case takes
 * never goes back to a node already on it (psim-path.h): each step counts
 * once, as the path visits it. 1 + 2 + 1 DB days. No cost model: the money
 * figures that need one are unknown, the fees known. */
static void
test_loop (void)
{
  g_autoptr (PsimProcedure) proc = load_compare ("loop.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  g_autoptr (PsimCase) pcase = psim_case_new (proc);
  static const Expected legacy = { "legacy", {
    3, 2, 2, 2, 1, 1, 0, 0, 0,
    4, 4, 0, 0, 2,
    0, 0, 0, NAN, NAN, NAN, NAN, NAN, NAN, NAN } };
  static const Expected portal = { "portal", {
    1, 1, 0, 1, 0, 0, 0, 0, 0,
    2, 2, 0, 0, 0.5,
    0, 0, 0, NAN, NAN, NAN, NAN, NAN, NAN, NAN } };
  check_expected (proc, pcase, &legacy);
  check_expected (proc, pcase, &portal);
  CU_ASSERT_PTR_NULL (psim_procedure_get_tariff (proc));
  CU_ASSERT_FALSE (psim_procedure_get_value_base (proc, NULL, NULL, NULL));
}

/* @variant of @proc measured for @pcase with the file's cost model.
 * (transfer full) */
static PsimMeasure *
measure_of (PsimProcedure *proc, PsimCase *pcase, const char *variant)
{
  PsimCostParams params;
  psim_cost_params_init (&params, proc, pcase);
  return psim_measure_new (psim_procedure_find_variant (proc, variant), pcase, &params, NULL);
}

/* Expected values: the land-title legacy path's correction loop (p = 0.15
 * back to the filing) worked out by hand in docs/compare-rules.md: the
 * filing is walked 1/0.85 = 20/17 times, so 3/17 extra times, each a
 * step, an interaction, a visit, a Doing Business day, 3 hours of the
 * applicant's time and 3 × 60,000 + 50,000 = 230,000 VND of cost. */
static void
test_expected (void)
{
  g_autoptr (PsimProcedure) proc = load_workflow ("land-title-transfer.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  g_autoptr (PsimCase) pcase = psim_case_new (proc);
  g_autoptr (PsimMeasure) m = measure_of (proc, pcase, "legacy");
  CU_ASSERT_PTR_NOT_NULL_FATAL (m);
  double extra = 3.0 / 17.0;
  CU_ASSERT_DOUBLE_EQUAL (psim_measure_get_expected (m, PSIM_METRIC_STEPS), 10 + extra, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (psim_measure_get_expected (m, PSIM_METRIC_VISITS), 8 + extra, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (psim_measure_get_expected (m, PSIM_METRIC_DB_DAYS), 20 + extra, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (psim_measure_get_expected (m, PSIM_METRIC_EFFORT_HOURS),
                          17 + 3 * extra, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (psim_measure_get_expected (m, PSIM_METRIC_APPLICANT_COST),
                          3744000 + 230000 * extra, 1e-6);
  /* The most likely path's figures are unchanged beside them. */
  CU_ASSERT_DOUBLE_EQUAL (psim_measure_get (m, PSIM_METRIC_STEPS), 10, 1e-9);
  /* Each filing supplies 6 documents, all 6 already supplied once: 22 +
   * 6 × 3/17 submitted, 10 + 6 × 3/17 of them again. The 6 agencies are
   * all met for certain, and the loop stays at the one-stop shop: no
   * hand-off more. */
  CU_ASSERT_DOUBLE_EQUAL (psim_measure_get_expected (m, PSIM_METRIC_DOCUMENTS), 22 + 6 * extra,
                          1e-9);
  CU_ASSERT_DOUBLE_EQUAL (psim_measure_get_expected (m, PSIM_METRIC_DOCUMENTS_REPEATED),
                          10 + 6 * extra, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (psim_measure_get_expected (m, PSIM_METRIC_DOCUMENTS_FETCHED), 0, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (psim_measure_get_expected (m, PSIM_METRIC_AGENCIES), 6, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (psim_measure_get_expected (m, PSIM_METRIC_HANDOFFS), 9, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (psim_measure_get_expected (m, PSIM_METRIC_EXCHANGES), 0, 1e-9);

  /* A path without chance: expected equals the path, every figure. */
  g_autoptr (PsimMeasure) d = measure_of (proc, pcase, "digital");
  CU_ASSERT_PTR_NOT_NULL_FATAL (d);
  for (PsimMetric k = 0; k < PSIM_N_METRICS; k++)
    CU_ASSERT_DOUBLE_EQUAL (psim_measure_get_expected (d, k), psim_measure_get (d, k), 1e-6);

  /* Business registration, digital: the loop (p = 0.1) round filing
   * (0.5 day) and review (3 days) before a parallel split whose longest
   * branch is unchanged: 5.5 + 3.5/9 days. */
  g_autoptr (PsimProcedure) biz = load_workflow ("business-registration.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (biz);
  g_autoptr (PsimCase) bcase = psim_case_new (biz);
  g_autoptr (PsimMeasure) b = measure_of (biz, bcase, "digital");
  CU_ASSERT_PTR_NOT_NULL_FATAL (b);
  CU_ASSERT_DOUBLE_EQUAL (psim_measure_get (b, PSIM_METRIC_WORKING_DAYS), 5.5, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (psim_measure_get_expected (b, PSIM_METRIC_WORKING_DAYS), 5.5 + 3.5 / 9,
                          1e-9);
}

/* Expected values of tests/data/compare/chance.xml, worked out in
 * docs/compare-rules.md: the police check (p = 0.2) is on one branch of a
 * parallel split, beside the registry check. */
static void
test_expected_chance (void)
{
  g_autoptr (PsimProcedure) proc = load_compare ("chance.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  g_autoptr (PsimCase) pcase = psim_case_new (proc);
  g_autoptr (PsimMeasure) m = measure_of (proc, pcase, "counter");
  CU_ASSERT_PTR_NOT_NULL_FATAL (m);
  static const struct {
    PsimMetric metric;
    double path, expected;
  } rows[] = {
    { PSIM_METRIC_STEPS, 3, 3.2 },
    /* desk and office for certain, the police with p = 0.2 */
    { PSIM_METRIC_AGENCIES, 2, 2.2 },
    /* desk → police 0.2; office → collect 1; police → collect 0.2 */
    { PSIM_METRIC_HANDOFFS, 1, 1.4 },
    /* desk → registry, received electronically */
    { PSIM_METRIC_EXCHANGES, 1, 1 },
    /* apply 2, police 0.2, collect 1; 2 distinct documents */
    { PSIM_METRIC_DOCUMENTS, 3, 3.2 },
    { PSIM_METRIC_DOCUMENTS_REPEATED, 1, 1.2 },
    { PSIM_METRIC_DOCUMENTS_FETCHED, 0, 0 },
    /* 1 + max (2, 0.2 × 1) + 1 */
    { PSIM_METRIC_DB_DAYS, 4, 4 },
    { PSIM_METRIC_EFFORT_HOURS, 2, 2.2 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      CU_ASSERT_DOUBLE_EQUAL (psim_measure_get (m, rows[i].metric), rows[i].path, 1e-9);
      CU_ASSERT_DOUBLE_EQUAL (psim_measure_get_expected (m, rows[i].metric), rows[i].expected,
                              1e-9);
    }

  /* A branch set for the case changes the path, not the expected values:
   * they are over chance. */
  CU_ASSERT_TRUE_FATAL (psim_case_set_branch (pcase, "vet", "police", NULL));
  g_autoptr (PsimMeasure) set = measure_of (proc, pcase, "counter");
  CU_ASSERT_PTR_NOT_NULL_FATAL (set);
  CU_ASSERT_DOUBLE_EQUAL (psim_measure_get (set, PSIM_METRIC_STEPS), 4, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (psim_measure_get (set, PSIM_METRIC_AGENCIES), 3, 1e-9);
  for (PsimMetric k = 0; k < PSIM_N_METRICS; k++)
    {
      double a = psim_measure_get_expected (m, k), b = psim_measure_get_expected (set, k);
      CU_ASSERT_TRUE (isnan (a) ? isnan (b) : a == b);
    }
}

/* A loop that chance can send the case into and that its data never let
 * it leave (tests/data/compare/detour.xml with urgent = false): the path
 * avoids it and keeps its figures; the expected values are not defined,
 * and not inf or nan printed as figures. */
static void
test_expected_undefined (void)
{
  g_autoptr (PsimProcedure) proc = load_compare ("detour.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  g_autoptr (PsimCase) pcase = psim_case_new (proc);
  g_autoptr (PsimMeasure) urgent = measure_of (proc, pcase, "counter");
  CU_ASSERT_PTR_NOT_NULL_FATAL (urgent);
  CU_ASSERT_TRUE (psim_measure_has_expected (urgent));
  /* apply, detour (p = 0.4) once, issue */
  CU_ASSERT_DOUBLE_EQUAL (psim_measure_get_expected (urgent, PSIM_METRIC_STEPS), 2.4, 1e-9);

  CU_ASSERT_TRUE_FATAL (psim_case_set (pcase, "urgent", "false", NULL));
  g_autoptr (GError) error = NULL;
  PsimCostParams params;
  psim_cost_params_init (&params, proc, pcase);
  g_autoptr (PsimMeasure) m
    = psim_measure_new (psim_procedure_find_variant (proc, "counter"), pcase, &params, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (m);
  CU_ASSERT_PTR_NULL (error);
  CU_ASSERT_DOUBLE_EQUAL (psim_measure_get (m, PSIM_METRIC_STEPS), 2, 1e-9);
  CU_ASSERT_FALSE (psim_measure_has_expected (m));
  for (PsimMetric k = 0; k < PSIM_N_METRICS; k++)
    CU_ASSERT_TRUE (isnan (psim_measure_get_expected (m, k)));
}

/* --branch: the case follows a branch that chance decides; unknown
 * choices and branches are refused, naming what is allowed. */
static void
test_branch (void)
{
  g_autoptr (PsimProcedure) proc = load_workflow ("land-title-transfer.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  g_autoptr (PsimCase) pcase = psim_case_new (proc);
  g_autoptr (GError) error = NULL;
  CU_ASSERT_FALSE (psim_case_set_branch (pcase, "dossier-check", "nowhere", &error));
  CU_ASSERT_TRUE (g_error_matches (error, PSIM_CASE_ERROR, PSIM_CASE_ERROR_UNKNOWN_BRANCH));
  CU_ASSERT_PTR_NOT_NULL (strstr (error->message, "transfer-to-tax, submit-dossier"));
  g_clear_error (&error);
  CU_ASSERT_FALSE (psim_case_set_branch (pcase, "is-mortgaged", "records-extract", &error));
  CU_ASSERT_PTR_NOT_NULL (strstr (error->message, "decided by the case data"));
  g_clear_error (&error);
  CU_ASSERT_FALSE (psim_case_set_branch_assignment (pcase, "nope=x", &error));
  CU_ASSERT_PTR_NOT_NULL (strstr (error->message, "(this procedure has: dossier-check)"));
  g_clear_error (&error);
  CU_ASSERT_EQUAL (psim_case_get_n_branches (pcase), 0);

  /* The correction loop, taken once: the filing is walked twice. */
  CU_ASSERT_TRUE (psim_case_set_branch_assignment (pcase, "dossier-check=submit-dossier", NULL));
  CU_ASSERT_STRING_EQUAL (psim_case_get_branch (pcase, "dossier-check"), "submit-dossier");
  g_autoptr (PsimPath) path
    = psim_path_new (psim_procedure_find_variant (proc, "legacy"), pcase, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (path);
  CU_ASSERT_EQUAL (psim_path_get_totals (path)->steps, 11);
  guint filings = 0, set = 0;
  for (guint i = 0; i < psim_path_get_n_nodes (path); i++)
    {
      filings += strcmp (psim_node_get_id (psim_path_get_node (path, i)), "submit-dossier") == 0;
      set += psim_path_get_branch_set (path, i);
    }
  CU_ASSERT_EQUAL (filings, 2);
  CU_ASSERT_EQUAL (set, 1);
  /* The expected values are over chance: the same with the branch set. */
  g_autoptr (PsimCase) plain = psim_case_new (proc);
  g_autoptr (PsimMeasure) with_branch = measure_of (proc, pcase, "legacy");
  g_autoptr (PsimMeasure) without = measure_of (proc, plain, "legacy");
  CU_ASSERT_PTR_NOT_NULL_FATAL (with_branch);
  CU_ASSERT_PTR_NOT_NULL_FATAL (without);
  CU_ASSERT_DOUBLE_EQUAL (psim_measure_get (with_branch, PSIM_METRIC_STEPS), 11, 1e-9);
  for (PsimMetric k = 0; k < PSIM_N_METRICS; k++)
    {
      double a = psim_measure_get_expected (without, k);
      double b = psim_measure_get_expected (with_branch, k);
      CU_ASSERT_TRUE (isnan (a) ? isnan (b) : a == b);
    }
  /* Set again: the likelier branch, the path as without it. */
  CU_ASSERT_TRUE (psim_case_set_branch (pcase, "dossier-check", "transfer-to-tax", NULL));
  CU_ASSERT_EQUAL (psim_case_get_n_branches (pcase), 1);
  g_autoptr (PsimPath) again
    = psim_path_new (psim_procedure_find_variant (proc, "legacy"), pcase, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (again);
  CU_ASSERT_EQUAL (psim_path_get_totals (again)->steps, 10);
}

static void
test_default_pair_and_change (void)
{
  g_autoptr (PsimProcedure) proc = load_compare ("loop.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  const PsimVariant *a = NULL, *b = NULL;
  /* No baseline: the first two. */
  CU_ASSERT_TRUE (psim_compare_default_pair (proc, &a, &b));
  CU_ASSERT_STRING_EQUAL (psim_variant_get_id (a), "legacy");
  CU_ASSERT_STRING_EQUAL (psim_variant_get_id (b), "portal");
  g_autoptr (PsimProcedure) land = load_workflow ("land-title-transfer.xml");
  CU_ASSERT_TRUE (psim_compare_default_pair (land, &a, &b));
  CU_ASSERT_STRING_EQUAL (psim_variant_get_id (a), "legacy");
  CU_ASSERT_STRING_EQUAL (psim_variant_get_id (b), "digital");

  CU_ASSERT_DOUBLE_EQUAL (psim_compare_change_pct (20, 7), -65, 1e-9);
  CU_ASSERT_TRUE (isnan (psim_compare_change_pct (0, 7)));
  CU_ASSERT_TRUE (isnan (psim_compare_change_pct (NAN, 7)));
  CU_ASSERT_STRING_EQUAL (psim_metric_to_string (PSIM_METRIC_DB_DAYS), "db_days");
  CU_ASSERT_EQUAL (psim_metric_get_unit (PSIM_METRIC_SCM_BURDEN), PSIM_METRIC_UNIT_MONEY);
}

/* The comparison object: verdicts as data, the caller's cost figures with
 * their origin, and the sentences in the language asked for. */
static void
test_comparison (void)
{
  g_autoptr (PsimProcedure) proc = load_workflow ("land-title-transfer.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  g_autoptr (PsimCase) pcase = psim_case_new (proc);
  PsimCostParams overrides = { 100000, NAN, NAN, NAN, PSIM_VALUE_PROPERTY };
  g_autoptr (GError) error = NULL;
  g_autoptr (PsimComparison) cmp = psim_comparison_new (
      psim_procedure_find_variant (proc, "legacy"), psim_procedure_find_variant (proc, "digital"),
      pcase, &overrides, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (cmp);
  CU_ASSERT_EQUAL (psim_comparison_get_origin (cmp, PSIM_COST_TARIFF), PSIM_COST_ORIGIN_OVERRIDE);
  CU_ASSERT_EQUAL (psim_comparison_get_origin (cmp, PSIM_COST_TRAVEL), PSIM_COST_ORIGIN_FILE);
  CU_ASSERT_DOUBLE_EQUAL (psim_comparison_get_params (cmp)->tariff, 100000, 1e-9);
  CU_ASSERT_EQUAL_FATAL (psim_comparison_get_n_verdicts (cmp), 3);
  /* Doing Business days 20 → 7: -65 %, more than half. */
  const PsimVerdict *days = psim_comparison_get_verdict (cmp, 0);
  CU_ASSERT_EQUAL (days->metric, PSIM_METRIC_DB_DAYS);
  CU_ASSERT_DOUBLE_EQUAL (days->before, 20, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (days->after, 7, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (days->change, -13, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (days->percent, -65, 1e-9);
  CU_ASSERT_EQUAL (days->more_than_half, PSIM_HALF_YES);
  /* The applicant's hours 17 → 3.25: more than half. */
  const PsimVerdict *hours = psim_comparison_get_verdict (cmp, 1);
  CU_ASSERT_EQUAL (hours->metric, PSIM_METRIC_EFFORT_HOURS);
  CU_ASSERT_EQUAL (hours->more_than_half, PSIM_HALF_YES);
  /* The applicant's cost, with 100,000 an hour: 2,324,000 + 1,700,000 +
   * 400,000 → 2,300,000 + 325,000 + 50,000, -40 %: not more than half. */
  const PsimVerdict *cost = psim_comparison_get_verdict (cmp, 2);
  CU_ASSERT_EQUAL (cost->metric, PSIM_METRIC_APPLICANT_COST);
  CU_ASSERT_DOUBLE_EQUAL (cost->before, 4424000, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL (cost->after, 2675000, 1e-6);
  CU_ASSERT_EQUAL (cost->more_than_half, PSIM_HALF_NO);
  g_autofree char *en = psim_comparison_dup_verdict_text (cmp, 0, "en");
  g_autofree char *vi = psim_comparison_dup_verdict_text (cmp, 0, "vi");
  CU_ASSERT_STRING_EQUAL (en, "Time by the Doing Business rule falls by 65 % (20 → 7 days): "
                              "more than half.");
  CU_ASSERT_PTR_NULL (strstr (vi, "falls by"));
  CU_ASSERT_PTR_NOT_NULL (strstr (vi, "65 %"));
}

int
main (void)
{
  static const PsimTest tests[] = {
    { "land-title transfer: hand-computed figures", test_land_title },
    { "business registration: hand-computed figures", test_business_registration },
    { "Doing Business days: online, same day, parallel", test_db_rule },
    { "documents submitted again, cost model", test_repeated_document },
    { "a loop counts as the path visits it", test_loop },
    { "expected values over chance and loops, by hand", test_expected },
    { "expected agencies, hand-offs and documents over chance", test_expected_chance },
    { "expected values not defined for a loop never left", test_expected_undefined },
    { "a branch chance decides, set for the case", test_branch },
    { "default pair of variants, change in %", test_default_pair_and_change },
    { "the comparison: verdicts, origins, sentences", test_comparison },
    { NULL, NULL },
  };
  return psim_test_run ("compare", tests);
}
