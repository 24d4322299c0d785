/* test-case.c — case data, expression evaluation and case paths: values
 * parse by type, fees and conditions evaluate for the case, the path takes
 * the right branches and its totals add up (figures worked out by hand in
 * the comments).
 */
#include "psim-test.h"

#include <math.h>
#include <string.h>

static PsimProcedure *
load (const char *name)
{
  g_autofree char *rel = g_build_filename ("valid", name, NULL);
  g_autofree char *path = psim_test_data (rel);
  return psim_test_load_clean (path);
}

static void
test_case_defaults_and_set (void)
{
  g_autoptr (PsimProcedure) proc = load ("parallel-loop.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  g_autoptr (PsimCase) pcase = psim_case_new (proc);

  CU_ASSERT_STRING_EQUAL (psim_case_get (pcase, "price"), "2000000000");
  CU_ASSERT_STRING_EQUAL (psim_case_get (pcase, "urgent"), "false");
  CU_ASSERT_STRING_EQUAL (psim_case_get (pcase, "district"), "cau-giay");
  CU_ASSERT_PTR_NULL (psim_case_get (pcase, "nope"));

  CU_ASSERT_TRUE (psim_case_set (pcase, "price", "3_200_000_000", NULL));
  CU_ASSERT_STRING_EQUAL (psim_case_get (pcase, "price"), "3200000000");
  CU_ASSERT_TRUE (psim_case_set_assignment (pcase, "urgent=yes", NULL));
  CU_ASSERT_STRING_EQUAL (psim_case_get (pcase, "urgent"), "true");
  CU_ASSERT_TRUE (psim_case_set_assignment (pcase, "urgent=không", NULL));
  CU_ASSERT_STRING_EQUAL (psim_case_get (pcase, "urgent"), "false");
  CU_ASSERT_TRUE (psim_case_set (pcase, "district", "hoan-kiem", NULL));
}

/* type="integer": whole numbers only, the range named in the message,
 * the label in the case line, and the fee formula over it. */
static void
test_case_integer (void)
{
  g_autoptr (PsimProcedure) proc = load ("integer-param.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  const PsimParam *owners = psim_procedure_get_param (proc, 1);
  CU_ASSERT_TRUE (psim_param_is_integer (owners));
  CU_ASSERT_EQUAL (psim_param_get_param_type (owners), PSIM_PARAM_NUMBER);
  CU_ASSERT_FALSE (psim_param_is_integer (psim_procedure_get_param (proc, 0)));
  g_autoptr (PsimCase) pcase = psim_case_new (proc);
  CU_ASSERT_STRING_EQUAL (psim_case_get (pcase, "owners"), "2");
  CU_ASSERT_TRUE (psim_case_set (pcase, "owners", "3", NULL));
  g_autoptr (GError) error = NULL;
  CU_ASSERT_FALSE (psim_case_set (pcase, "owners", "2.5", &error));
  CU_ASSERT_STRING_EQUAL (error->message, "case data 'owners': '2.5' is not a valid integer "
                                          "(allowed: a whole number from 1 to 10)");
  g_clear_error (&error);
  CU_ASSERT_FALSE (psim_case_set (pcase, "owners", "11", &error));
  CU_ASSERT_STRING_EQUAL (error->message, "case data 'owners': 11 is out of range "
                                          "(allowed: a whole number from 1 to 10)");
  CU_ASSERT_STRING_EQUAL (psim_case_get (pcase, "owners"), "3");

  g_autofree char *en = psim_format_case (pcase, "en");
  CU_ASSERT_STRING_EQUAL (en, "Case: Price: 1,000,000,000 VND; Co-owners signing: 3; "
                              "Mortgaged: no; Kind of property: Apartment");
  g_autofree char *vi = psim_format_case (pcase, "vi");
  CU_ASSERT_STRING_EQUAL (vi, "Tình huống: Giá: 1.000.000.000 VND; Số đồng sở hữu ký: 3; "
                              "Đang thế chấp: không; Loại tài sản: Căn hộ chung cư");
  /* An option without a label is shown by its value. */
  CU_ASSERT_TRUE (psim_case_set (pcase, "property", "land", NULL));
  g_autofree char *bare = psim_format_case (pcase, "en");
  CU_ASSERT_TRUE (g_str_has_suffix (bare, "; Kind of property: land"));
  const PsimParam *property = psim_procedure_get_param (proc, 3);
  CU_ASSERT_STRING_EQUAL (psim_param_get_option_label (property, "house", "vi"), "Nhà ở riêng lẻ");
  CU_ASSERT_PTR_NULL (psim_param_get_option_label (property, "land", "en"));
  CU_ASSERT_PTR_NULL (psim_param_get_option_label (property, "boat", "en"));

  g_autoptr (PsimPath) path = psim_path_new (psim_procedure_get_variant (proc, 0), pcase, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (path);
  CU_ASSERT_DOUBLE_EQUAL (psim_path_get_totals (path)->fees[PSIM_FEE_FEE], 150000, 1e-9);
}

static void
test_case_errors (void)
{
  g_autoptr (PsimProcedure) proc = load ("parallel-loop.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  g_autoptr (PsimCase) pcase = psim_case_new (proc);
  static const struct {
    const char *assignment;
    int code;
    const char *message;
  } cases[] = {
    { "colour=red", PSIM_CASE_ERROR_UNKNOWN_PARAM,
      "unknown case data 'colour' (this procedure has: price, urgent, district)" },
    { "price=cheap", PSIM_CASE_ERROR_BAD_VALUE,
      "case data 'price': 'cheap' is not a valid number (allowed: a number, 0 or more)" },
    { "price=-5", PSIM_CASE_ERROR_BAD_VALUE,
      "case data 'price': -5 is out of range (allowed: a number, 0 or more)" },
    { "price=", PSIM_CASE_ERROR_BAD_VALUE,
      "case data 'price': '' is not a valid number (allowed: a number, 0 or more)" },
    { "urgent=maybe", PSIM_CASE_ERROR_BAD_VALUE,
      "case data 'urgent': 'maybe' is not a valid boolean (allowed: true or false (yes/no, "
      "có/không))" },
    { "district=ba-dinh", PSIM_CASE_ERROR_BAD_VALUE,
      "case data 'district': 'ba-dinh' is not a valid enum (allowed: one of: cau-giay, "
      "hoan-kiem)" },
    { "price", PSIM_CASE_ERROR_BAD_VALUE, "case data 'price' is not of the form key=value" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      CU_ASSERT_FALSE (psim_case_set_assignment (pcase, cases[i].assignment, &error));
      CU_ASSERT_FATAL (error != NULL);
      CU_ASSERT (g_error_matches (error, PSIM_CASE_ERROR, cases[i].code));
      if (strcmp (error->message, cases[i].message) != 0)
        {
          g_printerr ("\nexpected: %s\n     got: %s\n", cases[i].message, error->message);
          CU_FAIL ("message differs");
        }
    }
  /* A failed set leaves the value alone. */
  CU_ASSERT_STRING_EQUAL (psim_case_get (pcase, "price"), "2000000000");
}

static void
test_eval_fees (void)
{
  g_autoptr (PsimProcedure) proc = load ("parallel-loop.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  const PsimVariant *v = psim_procedure_find_variant (proc, "legacy");
  const PsimNode *pay = psim_variant_find_node (v, "pay");
  g_autoptr (PsimCase) pcase = psim_case_new (proc);
  double amount = -1;

  /* 2 % of 2,000,000,000 */
  CU_ASSERT_TRUE (psim_case_eval_fee (pcase, psim_step_get_fee (pay, 0), &amount, NULL));
  CU_ASSERT_DOUBLE_EQUAL (amount, 40000000.0, 1e-6);
  /* A boolean in arithmetic is 0 or 1: 11000 * (1 + false) = 11000 */
  CU_ASSERT_TRUE (psim_case_eval_fee (pcase, psim_step_get_fee (pay, 1), &amount, NULL));
  CU_ASSERT_DOUBLE_EQUAL (amount, 11000.0, 1e-6);

  CU_ASSERT_TRUE (psim_case_set (pcase, "price", "3200000000", NULL));
  CU_ASSERT_TRUE (psim_case_set (pcase, "urgent", "true", NULL));
  CU_ASSERT_TRUE (psim_case_eval_fee (pcase, psim_step_get_fee (pay, 0), &amount, NULL));
  CU_ASSERT_DOUBLE_EQUAL (amount, 64000000.0, 1e-6);
  CU_ASSERT_TRUE (psim_case_eval_fee (pcase, psim_step_get_fee (pay, 1), &amount, NULL));
  CU_ASSERT_DOUBLE_EQUAL (amount, 22000.0, 1e-6);

  /* A fixed amount needs no evaluation. */
  const PsimNode *submit = psim_variant_find_node (v, "submit");
  CU_ASSERT_TRUE (psim_case_eval_fee (pcase, psim_step_get_fee (submit, 0), &amount, NULL));
  CU_ASSERT_DOUBLE_EQUAL (amount, 50000.0, 1e-6);
}

static void
test_eval_branches (void)
{
  g_autoptr (PsimProcedure) proc = load ("parallel-loop.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  const PsimNode *urgency
    = psim_variant_find_node (psim_procedure_find_variant (proc, "legacy"), "urgency");
  g_autoptr (PsimCase) pcase = psim_case_new (proc);
  gboolean holds = TRUE;

  CU_ASSERT_TRUE (psim_case_eval_branch (pcase, urgency, 0, &holds, NULL));
  CU_ASSERT_FALSE (holds);
  psim_case_set (pcase, "urgent", "true", NULL);
  CU_ASSERT_TRUE (psim_case_eval_branch (pcase, urgency, 0, &holds, NULL));
  CU_ASSERT_FALSE (holds); /* still in Cau Giay */
  psim_case_set (pcase, "district", "hoan-kiem", NULL);
  CU_ASSERT_TRUE (psim_case_eval_branch (pcase, urgency, 0, &holds, NULL));
  CU_ASSERT_TRUE (holds);
  /* The default branch always holds. */
  holds = FALSE;
  CU_ASSERT_TRUE (psim_case_eval_branch (pcase, urgency, 1, &holds, NULL));
  CU_ASSERT_TRUE (holds);
}

static GString *
path_ids (const PsimPath *path)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < psim_path_get_n_nodes (path); i++)
    g_string_append_printf (s, "%s%s", i > 0 ? " " : "",
                            psim_node_get_id (psim_path_get_node (path, i)));
  return s;
}

static void
test_path_default_case (void)
{
  g_autoptr (PsimProcedure) proc = load ("parallel-loop.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  g_autoptr (PsimCase) pcase = psim_case_new (proc);
  g_autoptr (GError) error = NULL;
  g_autoptr (PsimPath) path
    = psim_path_new (psim_procedure_find_variant (proc, "legacy"), pcase, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (path);

  /* The loop is not taken (p = 0.8 forward); both parallel branches are
   * listed in branch order; the default branch of urgency is taken. */
  g_autoptr (GString) ids = path_ids (path);
  CU_ASSERT_STRING_EQUAL (ids->str,
                          "start prepare submit complete fork exchange assess merge pay "
                          "urgency collect end");
  CU_ASSERT_EQUAL (psim_path_get_branch (path, 3), 0);
  CU_ASSERT_EQUAL (psim_path_get_branch (path, 9), 1);
  CU_ASSERT_EQUAL (psim_path_get_branch (path, 1), -1);

  const PsimTotals *t = psim_path_get_totals (path);
  CU_ASSERT_EQUAL (t->steps, 6);
  /* submit, pay (with the bank), collect (explicit); prepare is the
   * applicant alone, exchange and assess are inter-agency. */
  CU_ASSERT_EQUAL (t->interactions, 3);
  /* submit only: collect says visit="false". */
  CU_ASSERT_EQUAL (t->visits, 1);
  /* submit 2 + max(exchange 5 wd, assess 2 cd) + collect 1 = 8 wd; pay 1 h. */
  CU_ASSERT_DOUBLE_EQUAL (t->elapsed.working_days, 8.0, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (t->elapsed.calendar_days, 0.0, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (t->elapsed.hours, 1.0, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (t->effort_hours, 5.0, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (t->fees[PSIM_FEE_TAX], 40000000.0, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL (t->fees[PSIM_FEE_FEE], 50000.0, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL (t->fees[PSIM_FEE_SERVICE], 11000.0, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL (t->fees_total, 40061000.0, 1e-6);

  guint n_fees = 0;
  const double *fees = psim_path_get_fees (path, 8, &n_fees);
  CU_ASSERT_EQUAL_FATAL (n_fees, 2);
  CU_ASSERT_DOUBLE_EQUAL (fees[0], 40000000.0, 1e-6);
  CU_ASSERT_PTR_NULL (psim_path_get_fees (path, 0, &n_fees));
  CU_ASSERT_EQUAL (n_fees, 0);
}

static void
test_path_conditional_branch (void)
{
  g_autoptr (PsimProcedure) proc = load ("parallel-loop.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  g_autoptr (PsimCase) pcase = psim_case_new (proc);
  psim_case_set (pcase, "urgent", "true", NULL);
  psim_case_set (pcase, "district", "hoan-kiem", NULL);
  g_autoptr (PsimPath) path
    = psim_path_new (psim_procedure_find_variant (proc, "legacy"), pcase, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (path);
  g_autoptr (GString) ids = path_ids (path);
  CU_ASSERT (g_str_has_suffix (ids->str, "urgency express end"));
  const PsimTotals *t = psim_path_get_totals (path);
  /* express by post: 2 interactions left with visits 1; courier 30,000 and
   * the doubled transfer charge 22,000. */
  CU_ASSERT_EQUAL (t->steps, 6);
  CU_ASSERT_EQUAL (t->interactions, 3);
  CU_ASSERT_DOUBLE_EQUAL (t->fees[PSIM_FEE_SERVICE], 52000.0, 1e-6);
}

static void
test_path_condition_loop (void)
{
  /* A condition that always sends the case back is an error, not a hang:
   * for the default case, validation refuses the file at the branch... */
  static const char text[] =
    "<procedure xmlns='urn:procsim:procedure:1' id='loop' version='1' date='2025-01-01' "
    "jurisdiction='VN'><title xml:lang='en'>L</title>"
    "<case-data><param id='bad' type='boolean' default='@'><label xml:lang='en'>B</label>"
    "</param></case-data>"
    "<actors><actor id='o' kind='agency'><name xml:lang='en'>O</name></actor></actors>"
    "<variant id='v'><title xml:lang='en'>V</title><process><start/>"
    "<step id='a' actor='o' channel='online'><name xml:lang='en'>A</name></step>"
    "<choice id='again'><branch to='a' when='$bad'/><branch to='end'/></choice>"
    "<end/></process></variant></procedure>";
  g_autoptr (PsimLoader) loader = psim_loader_new (NULL);
  g_autofree char *looping = g_strdup (text);
  *strchr (looping, '@') = '\0';
  g_autofree char *looping_text = g_strconcat (looping, "true", strchr (text, '@') + 1, NULL);
  g_autoptr (GPtrArray) bad_diags = psim_diagnostics_new ();
  g_autoptr (PsimProcedure) bad = psim_loader_load_memory (
      loader, looping_text, strlen (looping_text), "loop.xml", bad_diags, NULL);
  CU_ASSERT_PTR_NULL (bad);
  g_autofree char *got = psim_test_join_diagnostics (bad_diags);
  CU_ASSERT_STRING_EQUAL (got, "loop.xml:1: error: choice 'again': its branch to 'a' (when "
                               "\"$bad\") sends the default case round a loop forever: no "
                               "condition on the loop lets it out\n");

  /* ... and for another case, computing its path says so. */
  g_autofree char *fine_text = g_strconcat (looping, "false", strchr (text, '@') + 1, NULL);
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  g_autoptr (PsimProcedure) proc
    = psim_loader_load_memory (loader, fine_text, strlen (fine_text), "loop.xml", diags, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  g_autoptr (PsimCase) pcase = psim_case_new (proc);
  psim_case_set (pcase, "bad", "true", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (PsimPath) path = psim_path_new (psim_procedure_get_variant (proc, 0), pcase, &error);
  CU_ASSERT_PTR_NULL (path);
  CU_ASSERT (g_error_matches (error, PSIM_CASE_ERROR, PSIM_CASE_ERROR_EVAL));
  CU_ASSERT_STRING_EQUAL (error->message,
                          "choice 'again' sends this case round a loop forever (to 'a')");
  /* With the condition false, the default branch ends the path. */
  psim_case_set (pcase, "bad", "false", NULL);
  g_autoptr (PsimPath) ok = psim_path_new (psim_procedure_get_variant (proc, 0), pcase, NULL);
  CU_ASSERT_PTR_NOT_NULL (ok);
}

static void
test_path_baseline_variant (void)
{
  g_autoptr (PsimProcedure) proc = load ("parallel-loop.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  g_autoptr (PsimCase) pcase = psim_case_new (proc);
  g_autoptr (PsimPath) path
    = psim_path_new (psim_procedure_find_variant (proc, "digital"), pcase, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (path);
  const PsimTotals *t = psim_path_get_totals (path);
  CU_ASSERT_EQUAL (t->steps, 1);
  CU_ASSERT_EQUAL (t->interactions, 1);
  CU_ASSERT_EQUAL (t->visits, 0);
  CU_ASSERT_DOUBLE_EQUAL (t->fees_total, 0.0, 1e-9);
}

/* The legal limits of tests/data/valid/limits.xml, worked out by hand.
 * The path: prepare (20 calendar days), file (2 hours within the working
 * day: 0.25 working day), [verify-papers (3 working days)], issue (2.5
 * working days). */
static const PsimLimitCheck *
limit_of (const PsimPath *path, PsimLimitLevel level)
{
  for (guint i = 0; i < psim_path_get_n_limits (path); i++)
    if (psim_path_get_limit (path, i)->level == level)
      return psim_path_get_limit (path, i);
  static const PsimLimitCheck none = { 0 };
  CU_FAIL ("no limit of that level");
  return &none;
}

static void
test_path_limits (void)
{
  g_autoptr (PsimProcedure) proc = load ("limits.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  const PsimVariant *v = psim_procedure_get_variant (proc, 0);
  const PsimLimit *tl = psim_variant_get_time_limit (v);
  CU_ASSERT_PTR_NOT_NULL_FATAL (tl);
  CU_ASSERT_FALSE (psim_limit_is_duty (tl));
  CU_ASSERT_EQUAL (psim_limit_get_n_conditions (tl), 2);
  CU_ASSERT_DOUBLE_EQUAL (psim_limit_get_cut_off (tl), 15.0, 1e-9);
  CU_ASSERT_EQUAL (psim_variant_get_n_duties (v), 1);
  const PsimLimit *duty = psim_variant_get_duty (v, 0);
  CU_ASSERT_STRING_EQUAL (psim_limit_get_id (duty), "register");
  CU_ASSERT_STRING_EQUAL (psim_node_get_id (psim_limit_get_by (duty)), "file");
  CU_ASSERT_TRUE (psim_step_is_within_day (psim_variant_find_node (v, "file")));

  /* The default case: from the end of 'file' to the end, 2.5 of 3
   * working days; the elapsed total has no hours. */
  g_autoptr (PsimCase) pcase = psim_case_new (proc);
  g_autoptr (PsimPath) path = psim_path_new (v, pcase, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (path);
  CU_ASSERT_EQUAL (psim_path_get_n_limits (path), 3);
  CU_ASSERT_DOUBLE_EQUAL (psim_path_get_totals (path)->elapsed.hours, 0.0, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (psim_path_get_totals (path)->elapsed.working_days, 2.75, 1e-9);
  const PsimLimitCheck *p = limit_of (path, PSIM_LIMIT_PROCEDURE);
  CU_ASSERT_TRUE (p->applies && p->met);
  CU_ASSERT_EQUAL (p->condition, -1);
  CU_ASSERT_DOUBLE_EQUAL (p->value, 3.0, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (p->modelled, 2.5, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (p->margin, 0.5, 1e-9);
  g_autofree char *verdict = psim_limit_check_verdict (p, "en");
  CU_ASSERT_STRING_EQUAL (verdict, "limit 3 working days, modelled 2.5: met, 0.5 to spare");
  /* The step's own limit: 2.5 working days against 2. */
  const PsimLimitCheck *s = limit_of (path, PSIM_LIMIT_STEP);
  CU_ASSERT_FALSE (s->met);
  CU_ASSERT_DOUBLE_EQUAL (s->margin, -0.5, 1e-9);
  /* The duty: from the birth (the start) to the end of the filing. */
  const PsimLimitCheck *d = limit_of (path, PSIM_LIMIT_DUTY);
  CU_ASSERT_TRUE (d->met);
  CU_ASSERT_DOUBLE_EQUAL (d->modelled, 20.25, 1e-9);

  /* Verification on the path gives 5 days (the first condition that
   * holds); filed at 16:00, after the 15:00 cut-off, the count starts a
   * working day later: 3 + 2.5 − 1 = 4.5; the duty's filing ends a day
   * later: 21.25. */
  CU_ASSERT_TRUE (psim_case_set (pcase, "verify", "true", NULL));
  CU_ASSERT_TRUE (psim_case_set (pcase, "staff", "200", NULL));
  CU_ASSERT_TRUE (psim_case_set (pcase, "filed_hour", "16", NULL));
  g_autoptr (PsimPath) late = psim_path_new (v, pcase, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (late);
  p = limit_of (late, PSIM_LIMIT_PROCEDURE);
  CU_ASSERT_EQUAL (p->condition, 0);
  CU_ASSERT_DOUBLE_EQUAL (p->value, 5.0, 1e-9);
  CU_ASSERT_TRUE (p->filed_late);
  CU_ASSERT_DOUBLE_EQUAL (p->modelled, 4.5, 1e-9);
  d = limit_of (late, PSIM_LIMIT_DUTY);
  CU_ASSERT_DOUBLE_EQUAL (d->modelled, 21.25, 1e-9);

  /* Without verification, a large company filing at 14:30: the test
   * gives 4, against 2.5. */
  CU_ASSERT_TRUE (psim_case_set (pcase, "verify", "false", NULL));
  CU_ASSERT_TRUE (psim_case_set (pcase, "filed_hour", "14.5", NULL));
  g_autoptr (PsimPath) large = psim_path_new (v, pcase, NULL);
  p = limit_of (large, PSIM_LIMIT_PROCEDURE);
  CU_ASSERT_EQUAL (p->condition, 1);
  CU_ASSERT_DOUBLE_EQUAL (p->margin, 1.5, 1e-9);
}

int
main (void)
{
  static const PsimTest tests[] = {
    { "defaults and typed values", test_case_defaults_and_set },
    { "bad case data is refused with a message", test_case_errors },
    { "integer case data: whole, in range, labelled", test_case_integer },
    { "fee formulas evaluate for the case", test_eval_fees },
    { "conditions evaluate for the case", test_eval_branches },
    { "default case path and totals", test_path_default_case },
    { "a condition picks the branch", test_path_conditional_branch },
    { "a condition looping forever is an error", test_path_condition_loop },
    { "the digital variant's path", test_path_baseline_variant },
    { "legal limits: the procedure's, a step's, a duty, met or not", test_path_limits },
    { NULL, NULL },
  };
  return psim_test_run ("case", tests);
}
