/* test-sim.c — the simulation: distributions against their moments, the
 * working calendar, branch probabilities and loops, queues against
 * queueing theory (M/M/1, M/M/c by Erlang C, D/D/1 exactly, a tandem
 * Jackson network), the coverage of the confidence intervals over 200
 * seeds, and reproducibility across thread counts. Fixed seeds throughout.
 *
 * `test-sim coverage` runs the coverage test alone: 4 million simulated
 * cases, registered as its own test in the "statistics" suite, which the
 * valgrind setup leaves out (tests/meson.build). Under valgrind the same
 * code runs in the M/M/1 test; the coverage test checks the statistics,
 * not memory.
 */
#include "psim-test.h"

#include <math.h>
#include <string.h>

/* ---- distributions -------------------------------------------------------- */

static void
check_moments (PsimDist d, guint64 seed)
{
  PsimRng rng;
  psim_rng_init (&rng, seed);
  const guint n = 200000;
  double mean = 0, m2 = 0;
  for (guint i = 0; i < n; i++)
    {
      double x = psim_dist_sample (&d, &rng);
      CU_ASSERT (x >= 0);
      double delta = x - mean;
      mean += delta / (i + 1);
      m2 += delta * (x - mean);
    }
  double var = m2 / (n - 1);
  double mu = psim_dist_mean (&d), sigma2 = psim_dist_variance (&d);
  /* Five standard errors of the mean; the variance within 3 %. */
  double se = sqrt (sigma2 / n);
  if (!(fabs (mean - mu) <= 5 * se + 1e-12) || !(fabs (var - sigma2) <= 0.03 * sigma2 + 1e-12))
    fprintf (stderr, "%s: mean %g (expected %g), variance %g (expected %g)\n",
             psim_dist_kind_to_string (d.kind), mean, mu, var, sigma2);
  CU_ASSERT (fabs (mean - mu) <= 5 * se + 1e-12);
  CU_ASSERT (fabs (var - sigma2) <= 0.03 * sigma2 + 1e-12);
}

static void
test_distributions (void)
{
  static const double values[] = { 1, 2, 2, 3, 8 };
  PsimDist table[] = {
    { .kind = PSIM_DIST_FIXED, .min = 3, .likely = 3, .max = 3 },
    { .kind = PSIM_DIST_UNIFORM, .min = 1, .max = 5 },
    { .kind = PSIM_DIST_TRIANGULAR, .min = 1, .likely = 2, .max = 6 },
    { .kind = PSIM_DIST_PERT, .min = 1, .likely = 2, .max = 6 },
    { .kind = PSIM_DIST_EXPONENTIAL, .mean = 2.5 },
    { .kind = PSIM_DIST_NORMAL, .mean = 3, .sd = 1 },
    { .kind = PSIM_DIST_NORMAL, .mean = 0.5, .sd = 1 },  /* truncation matters */
    { .kind = PSIM_DIST_NORMAL, .mean = -3, .sd = 1 },   /* the tail sampler */
    { .kind = PSIM_DIST_LOGNORMAL, .mean = 3, .sd = 2 },
    { .kind = PSIM_DIST_EMPIRICAL, .values = values, .n_values = 5 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      CU_ASSERT_PTR_NULL (psim_dist_check (&table[i]));
      check_moments (table[i], 42 + i);
    }
  /* Known closed forms. */
  CU_ASSERT_DOUBLE_EQUAL (psim_dist_mean (&table[3]), (1 + 8 + 6) / 6.0, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL (psim_dist_variance (&table[1]), 16 / 12.0, 1e-12);
  PsimDist bad = { .kind = PSIM_DIST_TRIANGULAR, .min = 3, .likely = 2, .max = 6 };
  CU_ASSERT_PTR_NOT_NULL (psim_dist_check (&bad));
}

static void
test_rng_streams (void)
{
  PsimRng a, b;
  psim_rng_init_stream (&a, 7, 1, 2);
  psim_rng_init_stream (&b, 7, 1, 2);
  for (int i = 0; i < 100; i++)
    CU_ASSERT_EQUAL (psim_rng_next (&a), psim_rng_next (&b));
  psim_rng_init_stream (&b, 7, 2, 1);
  CU_ASSERT_NOT_EQUAL (psim_rng_next (&a), psim_rng_next (&b));
}

/* ---- calendar ----------------------------------------------------------------- */

static PsimCalendar *
vn_calendar (double cut_off)
{
  g_autoptr (GBytes) bytes = psim_calendar_get_vn_holidays ();
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);
  int first = 0, last = 0;
  g_autoptr (GArray) days = psim_calendar_parse_days (data, len, "vn", "en", &first, &last, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (days);
  CU_ASSERT_EQUAL (first, 2024);
  CU_ASSERT_EQUAL (last, 2026);
  static const double hours[] = { 8, 12, 13, 17 };
  PsimCalendarSpec spec = { .weekdays = 0x1f, .hours = hours, .n_intervals = 2,
                            .cut_off = cut_off,
                            .days = (const PsimCalendarDay *) (gpointer) days->data,
                            .n_days = days->len };
  g_date_clear (&spec.start, 1);
  g_date_set_dmy (&spec.start, 1, 1, 2026);
  return psim_calendar_new (&spec, NULL);
}

static void
expect_date (const PsimCalendar *cal, double t, int d, int m, int y, double hour)
{
  GDate date;
  double h = 0;
  psim_calendar_get_date (cal, t, &date, &h);
  if (g_date_get_day (&date) != d || g_date_get_month (&date) != (GDateMonth) m
      || g_date_get_year (&date) != y || fabs (h - hour) > 1e-9)
    fprintf (stderr, "got %d-%02d-%02d %g, expected %d-%02d-%02d %g\n", g_date_get_year (&date),
             g_date_get_month (&date), g_date_get_day (&date), h, y, m, d, hour);
  CU_ASSERT_EQUAL (g_date_get_day (&date), d);
  CU_ASSERT_EQUAL ((int) g_date_get_month (&date), m);
  CU_ASSERT_EQUAL (g_date_get_year (&date), y);
  CU_ASSERT_DOUBLE_EQUAL (h, hour, 1e-9);
}

static void
test_calendar (void)
{
  g_autoptr (PsimCalendar) cal = vn_calendar (16);
  CU_ASSERT_PTR_NOT_NULL_FATAL (cal);
  CU_ASSERT_DOUBLE_EQUAL (psim_calendar_get_day_hours (cal), 8, 1e-12);
  GDate d;
  g_date_clear (&d, 1);

  /* A 3-working-day step started on Friday 9 January 2026 at 10:00 ends
   * on Wednesday 14 January at 10:00. */
  g_date_set_dmy (&d, 9, 1, 2026);
  double fri = psim_calendar_time_of (cal, &d, 10);
  expect_date (cal, psim_calendar_add_work (cal, fri, 3 * 8), 14, 1, 2026, 10);
  /* Started at opening, it ends at the close of Tuesday: the end of the
   * third working day, not the next morning. */
  double fri8 = psim_calendar_time_of (cal, &d, 8);
  expect_date (cal, psim_calendar_add_work (cal, fri8, 3 * 8), 13, 1, 2026, 17);

  /* Tết 2026: the office closes from Monday 16 to Friday 20 February
   * (Notice 9441/TB-BNV); a 1-working-day step from Friday 13 February
   * ends on Monday 23 February. */
  g_date_set_dmy (&d, 16, 2, 2026);
  CU_ASSERT_FALSE (psim_calendar_is_working_day (cal, &d));
  g_date_set_dmy (&d, 13, 2, 2026);
  double before_tet = psim_calendar_time_of (cal, &d, 9);
  expect_date (cal, psim_calendar_add_work (cal, before_tet, 8), 23, 2, 2026, 9);
  /* The make-up Saturday 22 August 2026 is a working day. */
  g_date_set_dmy (&d, 22, 8, 2026);
  CU_ASSERT_TRUE (psim_calendar_is_working_day (cal, &d));
  g_date_set_dmy (&d, 23, 8, 2026);
  CU_ASSERT_FALSE (psim_calendar_is_working_day (cal, &d));

  /* The cut-off: filed on Friday 9 January at 16:30 it counts from Monday
   * 12 January at opening; at 15:59 the same day. */
  g_date_set_dmy (&d, 9, 1, 2026);
  expect_date (cal, psim_calendar_file (cal, psim_calendar_time_of (cal, &d, 16.5)), 12, 1, 2026, 8);
  expect_date (cal, psim_calendar_file (cal, psim_calendar_time_of (cal, &d, 15.9)), 9, 1, 2026, 15.9);
  /* During the lunch break: at 13:00. */
  expect_date (cal, psim_calendar_file (cal, psim_calendar_time_of (cal, &d, 12.5)), 9, 1, 2026, 13);

  /* Working time and its inverse agree, past the end of the list too. */
  for (double t = 0; t < 24 * 365 * 3; t += 37.3)
    {
      double open = psim_calendar_next_open (cal, t);
      double w = psim_calendar_work_at (cal, open);
      CU_ASSERT_DOUBLE_EQUAL (psim_calendar_work_at (cal, psim_calendar_time_at (cal, w + 0.5)),
                              w + 0.5, 1e-6);
    }

  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) bad = psim_calendar_parse_days ("2026-02-30 off\n", 15, "x.txt", "en", NULL, NULL, &error);
  CU_ASSERT_PTR_NULL (bad);
  CU_ASSERT_PTR_NOT_NULL (error);
  if (error != NULL)
    CU_ASSERT_TRUE (g_str_has_prefix (error->message, "x.txt:1: "));
}

/* ---- simulation ---------------------------------------------------------------- */

static PsimSim *
simulate (const char *name, guint64 seed, guint64 cases, guint reps, double warm, guint jobs)
{
  g_autofree char *path = psim_test_data (name);
  g_autoptr (PsimProcedure) proc = psim_test_load_clean (path);
  CU_ASSERT_PTR_NOT_NULL_FATAL (proc);
  g_autoptr (GError) error = NULL;
  PsimSim *sim = psim_sim_new (proc, psim_procedure_get_variant (proc, 0), NULL, "en", &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sim);
  PsimSimOptions opt = { .seed = seed, .cases = cases, .replications = reps,
                         .warm_up_days = warm, .jobs = jobs };
  gboolean ok = psim_sim_run (sim, &opt, &error);
  CU_ASSERT_TRUE (ok);
  return sim;
}

static gboolean
covers (PsimEstimate e, double value)
{
  return fabs (e.mean - value) <= e.half_width;
}

static void
expect_covers (const char *what, PsimEstimate e, double value)
{
  if (!covers (e, value))
    fprintf (stderr, "%s: %g ± %g does not cover %g\n", what, e.mean, e.half_width, value);
  CU_ASSERT (covers (e, value));
}

static void
test_mm1 (void)
{
  g_autoptr (PsimSim) sim = simulate ("sim/mm1.xml", 1, 20000, 10, 10, 2);
  /* λ = 0.5, μ = 1: Wq = λ / (μ (μ − λ)) = 1 h, utilisation 0.5, Lq = 0.5. */
  expect_covers ("M/M/1 Wq", psim_sim_get_resource_figure (sim, 0, 0, PSIM_RES_WAIT_HOURS), 1.0);
  expect_covers ("M/M/1 ρ", psim_sim_get_resource_figure (sim, 0, 0, PSIM_RES_UTILISATION), 0.5);
  expect_covers ("M/M/1 Lq", psim_sim_get_resource_figure (sim, 0, 0, PSIM_RES_QUEUE_MEAN), 0.5);
}

static void
test_mmc (void)
{
  g_autoptr (PsimSim) sim = simulate ("sim/mmc.xml", 1, 40000, 10, 5, 2);
  /* λ = 2, μ = 1, c = 3, a = 2: Erlang C = (a^c/c! · c/(c−a)) / (Σ_{k<c}
   * a^k/k! + a^c/c! · c/(c−a)) = 4 / 9; Wq = C / (cμ − λ) = 4/9 h. */
  double a = 2, c = 3, top = pow (a, c) / 6 * c / (c - a), sum = 1 + a + a * a / 2;
  double erlang_c = top / (sum + top);
  CU_ASSERT_DOUBLE_EQUAL (erlang_c, 4.0 / 9, 1e-12);
  expect_covers ("M/M/3 Wq", psim_sim_get_resource_figure (sim, 0, 0, PSIM_RES_WAIT_HOURS),
                 erlang_c / (c * 1 - a));
  expect_covers ("M/M/3 ρ", psim_sim_get_resource_figure (sim, 0, 0, PSIM_RES_UTILISATION), a / c);
}

static void
test_dd1 (void)
{
  g_autoptr (PsimSim) sim = simulate ("sim/dd1.xml", 1, 1000, 3, 0, 1);
  /* Arrivals at 0, 1, …, 19 h, service 1.5 h: the k-th waits k/2 h, so
   * 4.75 h on average; the clerk is busy from 0 to 30 h, all the time. */
  PsimEstimate w = psim_sim_get_resource_figure (sim, 0, 0, PSIM_RES_WAIT_HOURS);
  CU_ASSERT_DOUBLE_EQUAL (w.mean, 4.75, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (w.half_width, 0, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL (psim_sim_get_resource_figure (sim, 0, 0, PSIM_RES_UTILISATION).mean, 1, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (psim_sim_get_resource_figure (sim, 0, 0, PSIM_RES_SERVED).mean, 20, 0);
  /* Lead time: waiting plus 1.5 h, in days. */
  CU_ASSERT_DOUBLE_EQUAL (psim_sim_get_figure (sim, 0, PSIM_FIG_LEAD_MEAN).mean, (4.75 + 1.5) / 24, 1e-9);
}

static void
test_shift_down (void)
{
  g_autoptr (PsimSim) sim = simulate ("sim/shift-down.xml", 1, 1000, 2, 0, 1);
  /* Arrivals at 0, 1, …, 19 h, service 1.5 h; two clerks until 10:00, one
   * after. Until 10:00 nobody waits; the case of 10 h waits for the one
   * clerk until 10.5 h, and each later one half an hour more: the k-th
   * (k ≥ 10) waits 0.5 + (k − 10)/2, 27.5 h in all, 1.375 h on average. */
  PsimEstimate w = psim_sim_get_resource_figure (sim, 0, 0, PSIM_RES_WAIT_HOURS);
  CU_ASSERT_DOUBLE_EQUAL (w.mean, 27.5 / 20, 1e-9);
  CU_ASSERT_EQUAL (psim_sim_get_resource_n_shifts (sim, 0), 1);
  /* 10 h of 2 clerks and 14 h of 1 over a 24-hour office day. */
  CU_ASSERT_DOUBLE_EQUAL (psim_sim_get_resource_mean_capacity (sim, 0), 34.0 / 24, 1e-12);
}

static void
test_shift_up (void)
{
  g_autoptr (PsimSim) sim = simulate ("sim/shift-up.xml", 1, 1000, 2, 0, 1);
  /* Arrivals at 0, 1, …, 5 h, service 1.5 h; one clerk until 05:30, three
   * after. The first four wait 0, 0.5, 1 and 1.5 h as in D/D/1; at 05:30
   * two more clerks take the cases of 4 h and 5 h at once (1.5 and 0.5 h),
   * before the first clerk is free at 6 h: 5 h in all. */
  PsimEstimate w = psim_sim_get_resource_figure (sim, 0, 0, PSIM_RES_WAIT_HOURS);
  CU_ASSERT_DOUBLE_EQUAL (w.mean, 5.0 / 6, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (psim_sim_get_figure (sim, 0, PSIM_FIG_LEAD_MEAN).mean,
                          (5.0 / 6 + 1.5) / 24, 1e-9);
}

static void
test_tandem (void)
{
  g_autoptr (PsimSim) sim = simulate ("sim/tandem.xml", 1, 20000, 10, 10, 2);
  /* Jackson: each station an M/M/1 with λ = 0.5; μ1 = 1, μ2 = 0.8. */
  expect_covers ("tandem Wq1", psim_sim_get_resource_figure (sim, 0, 0, PSIM_RES_WAIT_HOURS), 1.0);
  expect_covers ("tandem Wq2", psim_sim_get_resource_figure (sim, 0, 1, PSIM_RES_WAIT_HOURS),
                 0.625 / (0.8 - 0.5));
}

static void
test_coverage (void)
{
  /* Over 200 seeds, the 95 % CI of the M/M/1 mean wait covers the
   * analytic 1 h in 93–97 % of them. */
  guint covered = 0;
  for (guint64 seed = 1; seed <= 200; seed++)
    {
      g_autoptr (PsimSim) sim = simulate ("sim/mm1.xml", seed, 2000, 10, 5, 2);
      covered += covers (psim_sim_get_resource_figure (sim, 0, 0, PSIM_RES_WAIT_HOURS), 1.0);
    }
  fprintf (stderr, "coverage: %u of 200\n", covered);
  CU_ASSERT (covered >= 186 && covered <= 194);
}

static void
test_limits (void)
{
  g_autoptr (PsimSim) sim = simulate ("sim/limits.xml", 1, 1000, 2, 0, 1);
  /* The shares worked out in the file: the procedure's, the step's, then
   * the duties in file order. */
  static const struct {
    PsimLimitLevel level;
    const char *id;
    double share;
  } want[] = { { PSIM_LIMIT_PROCEDURE, NULL, 0.8 },
               { PSIM_LIMIT_STEP, "serve", 0.9 },
               { PSIM_LIMIT_DUTY, "instant", 1.0 },
               { PSIM_LIMIT_DUTY, "ack", 0.0 },   /* its <when step> holds */
               { PSIM_LIMIT_DUTY, "late", 0.5 } }; /* filed after the cut-off */
  CU_ASSERT_EQUAL_FATAL (psim_sim_get_n_limits (sim, 0), G_N_ELEMENTS (want));
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    {
      CU_ASSERT_EQUAL (psim_sim_get_limit_level (sim, 0, i), want[i].level);
      const PsimNode *step = psim_sim_get_limit_step (sim, 0, i);
      const PsimLimit *limit = psim_sim_get_limit (sim, 0, i);
      if (want[i].level == PSIM_LIMIT_STEP)
        CU_ASSERT_STRING_EQUAL (psim_node_get_id (step), want[i].id);
      if (want[i].level == PSIM_LIMIT_DUTY)
        CU_ASSERT_STRING_EQUAL (psim_limit_get_id (limit), want[i].id);
      PsimEstimate e = psim_sim_get_limit_share (sim, 0, i);
      CU_ASSERT_DOUBLE_EQUAL (e.mean, want[i].share, 1e-12);
    }
  /* Over any: the procedure's or the step's (k ≥ 2), not the duties' (the
   * first is over for every case). */
  CU_ASSERT_DOUBLE_EQUAL (psim_sim_get_figure (sim, 0, PSIM_FIG_OVER_ANY_LIMIT).mean, 0.9, 1e-12);
  g_autofree char *label = psim_sim_get_limit_label (sim, 0, 3);
  CU_ASSERT_STRING_EQUAL (label, "Applicant's duty: Acknowledge (1 hour, or as its conditions give)");
  g_autofree char *csv = psim_sim_to_csv (sim);
  CU_ASSERT_PTR_NOT_NULL (strstr (csv, "\nq,case,over_procedure_limit,0.8,0,2\n"));
  CU_ASSERT_PTR_NOT_NULL (strstr (csv, "\nq,late,over_duty,0.5,0,2\n"));
  CU_ASSERT_PTR_NOT_NULL (strstr (csv, "\nq,serve,over_limit,0.9,0,2\n"));
}

static void
test_branches_and_loops (void)
{
  g_autoptr (PsimSim) sim = simulate ("sim/loop.xml", 3, 20000, 10, 0, 2);
  /* Tries: geometric, 1 / 0.75; then the extra step with 0.3. */
  expect_covers ("steps", psim_sim_get_figure (sim, 0, PSIM_FIG_STEPS), 1 / 0.75 + 0.3);
  /* Visits: only the in-person tries. */
  expect_covers ("visits", psim_sim_get_figure (sim, 0, PSIM_FIG_VISITS), 1 / 0.75);
}

static void
test_reproducible (void)
{
  g_autofree char *path = psim_test_workflow ("land-title-transfer.xml");
  g_autoptr (PsimProcedure) proc = psim_test_load_clean (path);
  double first[PSIM_FIG_N];
  for (guint jobs = 1; jobs <= 4; jobs += 3)
    {
      g_autoptr (PsimSim) sim = psim_sim_new (proc, psim_procedure_find_variant (proc, "legacy"),
                                              psim_procedure_find_variant (proc, "digital"), "en", NULL);
      PsimSimOptions opt = { .seed = 9, .cases = 500, .replications = 6, .jobs = jobs };
      CU_ASSERT_TRUE_FATAL (psim_sim_run (sim, &opt, NULL));
      for (guint f = 0; f < PSIM_FIG_N; f++)
        {
          PsimEstimate e = psim_sim_get_difference (sim, f);
          if (jobs == 1)
            first[f] = e.mean;
          else
            CU_ASSERT (memcmp (&first[f], &e.mean, sizeof (double)) == 0);
        }
      /* Common random numbers: the same case data, so the same taxes. */
      CU_ASSERT_DOUBLE_EQUAL (psim_sim_get_difference (sim, PSIM_FIG_TAXES).mean, 0, 1e-6);
      CU_ASSERT (psim_sim_get_difference (sim, PSIM_FIG_LEAD_MEAN).mean < 0);
    }
}

static void
test_precision (void)
{
  g_autofree char *path = psim_test_data ("sim/mm1.xml");
  g_autoptr (PsimProcedure) proc = psim_test_load_clean (path);
  g_autoptr (PsimSim) sim = psim_sim_new (proc, psim_procedure_get_variant (proc, 0), NULL, "en", NULL);
  PsimSimOptions opt = { .seed = 5, .cases = 500, .replications = 5, .precision = 0.05, .jobs = 2 };
  CU_ASSERT_TRUE_FATAL (psim_sim_run (sim, &opt, NULL));
  PsimEstimate e = psim_sim_get_figure (sim, 0, PSIM_FIG_LEAD_MEAN);
  CU_ASSERT (psim_sim_get_replications (sim) > 5);
  CU_ASSERT (e.half_width <= 0.05 * e.mean * 1.0001);
}

int
main (int argc, char **argv)
{
  const PsimTest coverage[] = {
    { "CI coverage over 200 seeds", test_coverage },
    { NULL, NULL },
  };
  if (argc == 2 && strcmp (argv[1], "coverage") == 0)
    return psim_test_run ("sim-coverage", coverage);
  const PsimTest tests[] = {
    { "distributions: sample mean and variance", test_distributions },
    { "random streams", test_rng_streams },
    { "calendar: working days, Tết, cut-off", test_calendar },
    { "M/M/1 against theory", test_mm1 },
    { "M/M/3 against Erlang C", test_mmc },
    { "D/D/1 exactly", test_dd1 },
    { "clerks by time of day, fewer later", test_shift_down },
    { "clerks by time of day, more later", test_shift_up },
    { "tandem Jackson network", test_tandem },
    { "legal limits above the step, exactly", test_limits },
    { "branch probabilities and loops", test_branches_and_loops },
    { "reproducible with 1 and 4 threads, common random numbers", test_reproducible },
    { "--precision adds replications", test_precision },
    { NULL, NULL },
  };
  return psim_test_run ("sim", tests);
}
