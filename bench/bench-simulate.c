/* bench-simulate.c — the simulation benchmark (psim-sim.h, in process).
 * Goals (issue "procsim simulate"), printed beside the figures and never
 * enforced:
 *   - at least 30 times SimPy's cases per second on the queued model (the
 *     land-title legacy path), one core;
 *   - at least 20 million step events per second per core without queues;
 *   - 1,000 replications of 10,000 cases in under 15 s on this machine.
 *
 * It prints, on one thread:
 *   cases/s and step events/s for each variant of each bundled procedure
 *   and for a generated 100-step variant, with the offices' queues and
 *   without them (PsimSimOptions.no_queues);
 *   the reference: the same land-title legacy model written with SimPy
 *   2.3.1 (bench/simpy-land-legacy.py, run with the Python given, which
 *   must have Debian's python3-simpy), the same number of cases, and the
 *   ratio, by wall-clock time and by processor time (the second is the
 *   steadier on a machine shared with other work: both programs run on
 *   one thread); the column is left out, with a note, when SimPy is
 *   missing;
 * then, on every core, 1,000 × 10,000 cases of the legacy model (fewer
 * with --quick, the time extrapolated and marked so); and the peak RSS of
 * `procsim simulate` for 10^5, 10^6 and 10^7 cases of a one-office model
 * (flat: statistics are streamed).
 *
 *   bench-simulate --build DESC PROCSIM WORKFLOWS PYTHON SIMPY_SCRIPT [--quick]
 *                  [--only "FILE VARIANT"]
 * --only measures that one row (e.g. "land-title-transfer.xml digital")
 * and stops, for a profiler.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <procsim/procsim.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bench-common.h"

#define GOAL_RATIO 30.0
#define GOAL_EVENTS 20e6
#define GOAL_BATCH_S 15.0
#define CASES 10000
#define BUDGET_S 1.0

/* Seconds of processor time used by this process so far. */
static double
cpu_seconds (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Runs @reps replications of @cases; the seconds taken (wall clock), and
 * in *@cpu (nullable) the seconds of processor time. */
static double
time_run (PsimProcedure *proc, const PsimVariant *v, guint64 cases, guint reps, guint jobs,
          gboolean no_queues, guint64 *events, guint64 *done, double *cpu)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PsimSim) sim = psim_sim_new (proc, v, NULL, "en", &error);
  if (sim == NULL)
    {
      g_printerr ("%s: %s\n", psim_variant_get_id (v), error->message);
      return -1;
    }
  PsimSimOptions opt = { .seed = 1, .cases = cases, .replications = reps, .jobs = jobs,
                         .no_queues = no_queues };
  gint64 t0 = g_get_monotonic_time ();
  double c0 = cpu_seconds ();
  if (!psim_sim_run (sim, &opt, &error))
    {
      g_printerr ("%s: %s\n", psim_variant_get_id (v), error->message);
      return -1;
    }
  double s = (g_get_monotonic_time () - t0) / 1e6;
  if (cpu != NULL)
    *cpu = cpu_seconds () - c0;
  if (events != NULL)
    *events = psim_sim_get_step_events (sim);
  if (done != NULL)
    *done = psim_sim_get_cases (sim, 0);
  return s;
}

/* Cases/s and events/s of one variant on one thread: replications of
 * CASES until about BUDGET_S has passed (at least one). */
static void
measure (PsimProcedure *proc, const PsimVariant *v, gboolean no_queues, double *cases_s,
         double *events_s, double *cpu_cases_s)
{
  guint64 ev = 0, done = 0;
  double cpu = 0;
  double s = time_run (proc, v, CASES, 1, 1, no_queues, &ev, &done, &cpu);
  guint reps = s > 0 ? (guint) CLAMP (BUDGET_S / s, 1, 200) : 1;
  if (reps > 1)
    s = time_run (proc, v, CASES, reps, 1, no_queues, &ev, &done, &cpu);
  *cases_s = s > 0 ? done / s : 0;
  *events_s = s > 0 ? ev / s : 0;
  if (cpu_cases_s != NULL)
    *cpu_cases_s = cpu > 0 ? done / cpu : 0;
}

static void
print_row (const char *name, double cq, double eq, double c0, double e0)
{
  printf ("%-40s %12.0f %14.0f %12.0f %14.0f\n", name, cq, eq, c0, e0);
}

/* A chain of @steps steps, every one served at one office of 20 clerks. */
static char *
generated_model (guint steps, gboolean one_office_model)
{
  GString *x = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                             "<procedure xmlns=\"urn:procsim:procedure:1\" id=\"gen\" version=\"1\" "
                             "date=\"2026-01-05\" jurisdiction=\"test\">\n"
                             "  <title xml:lang=\"en\">Generated</title>\n  <actors>\n"
                             "    <actor id=\"clerk\" kind=\"agency\"><name xml:lang=\"en\">Clerk</name></actor>\n"
                             "  </actors>\n  <variant id=\"chain\">\n    <title xml:lang=\"en\">chain</title>\n"
                             "    <process>\n      <start/>\n");
  for (guint i = 0; i < steps; i++)
    {
      g_string_append_printf (x, "      <step id=\"s%u\" actor=\"clerk\" channel=\"in-person\">"
                                 "<name xml:lang=\"en\">Step %u</name>", i, i);
      if (!one_office_model)
        g_string_append (x, "<duration unit=\"hours\" min=\"0.5\" likely=\"1\" max=\"3\" "
                            "basis=\"estimated\"/>");
      g_string_append (x, "</step>\n");
    }
  g_string_append (x, "      <end/>\n    </process>\n  </variant>\n  <simulation>\n"
                      "    <calendar days=\"mon tue wed thu fri sat sun\" holidays=\"none\" basis=\"estimated\">\n"
                      "      <hours from=\"00:00\" to=\"24:00\"/>\n    </calendar>\n");
  if (one_office_model)
    g_string_append (x, "    <arrivals rate=\"0.5\" per=\"hour\" basis=\"estimated\"/>\n"
                        "    <resource id=\"desk\" actor=\"clerk\" capacity=\"1\" basis=\"estimated\"/>\n"
                        "    <service step=\"s0\" resource=\"desk\" dist=\"exponential\" mean=\"1\" basis=\"estimated\"/>\n");
  else
    {
      g_string_append (x, "    <arrivals rate=\"1\" per=\"hour\" basis=\"estimated\"/>\n"
                          "    <resource id=\"desk\" actor=\"clerk\" capacity=\"20\" basis=\"estimated\"/>\n");
      for (guint i = 0; i < steps; i++)
        g_string_append_printf (x, "    <service step=\"s%u\" resource=\"desk\" dist=\"exponential\" "
                                   "mean=\"0.1\" basis=\"estimated\"/>\n", i);
    }
  g_string_append (x, "  </simulation>\n</procedure>\n");
  return g_string_free (x, FALSE);
}

static PsimProcedure *
load (PsimLoader *loader, const char *path)
{
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  g_autoptr (GError) error = NULL;
  PsimProcedure *p = psim_loader_load_file (loader, path, diags, &error);
  if (p == NULL || psim_diagnostics_count_errors (diags) > 0)
    {
      g_printerr ("%s: %s\n", path, error != NULL ? error->message : "has errors");
      for (guint i = 0; i < diags->len; i++)
        {
          g_autofree char *d = psim_diagnostic_to_string (g_ptr_array_index (diags, i), "en");
          g_printerr ("%s\n", d);
        }
      g_clear_pointer (&p, psim_procedure_unref);
    }
  return p;
}

static int
compare_paths (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* SimPy's cases/s on @cases cases (wall clock; by processor time in
 * *@cpu_rate), or 0 when it cannot run. */
static double
simpy_rate (const char *python, const char *script, guint cases, double *cpu_rate, char **why)
{
  g_autofree char *n = g_strdup_printf ("%u", cases);
  const char *argv[] = { python, script, n, "1", NULL };
  g_autofree char *out = NULL, *err = NULL;
  int status = 0;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                     NULL)
      || !g_spawn_check_wait_status (status, NULL))
    {
      *why = g_strdup (err != NULL && strstr (err, "SimPy") != NULL
                         ? "SimPy 2.3.1 is not installed for this Python (Debian: python3-simpy)"
                         : "the SimPy model did not run");
      return 0;
    }
  guint done = 0;
  double secs = 0, cpu = 0;
  if (sscanf (out, "%u %lf %*s %*s %lf", &done, &secs, &cpu) != 3 || secs <= 0 || cpu <= 0)
    {
      *why = g_strdup ("the SimPy model printed nothing usable");
      return 0;
    }
  *cpu_rate = done / cpu;
  return done / secs;
}

int
main (int argc, char **argv)
{
  const char *build = "unknown";
  gboolean quick = FALSE;
  const char *only = NULL;
  g_autoptr (GPtrArray) pos = g_ptr_array_new ();
  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "--build") == 0 && i + 1 < argc)
      build = argv[++i];
    else if (strcmp (argv[i], "--quick") == 0)
      quick = TRUE;
    else if (strcmp (argv[i], "--only") == 0 && i + 1 < argc)
      only = argv[++i];
    else
      g_ptr_array_add (pos, argv[i]);
  if (pos->len != 4)
    {
      g_printerr ("usage: bench-simulate [--build DESC] [--quick] PROCSIM WORKFLOWS PYTHON "
                  "SIMPY_SCRIPT\n");
      return 1;
    }
  const char *procsim = pos->pdata[0], *workflows = pos->pdata[1], *python = pos->pdata[2],
             *script = pos->pdata[3];
  printf ("bench/simulate — build: %s; %u cores\n", build, g_get_num_processors ());
  printf ("One thread, replications of %u cases for about %.0f s each.\n\n", CASES, BUDGET_S);
  printf ("%-40s %12s %14s %12s %14s\n", "", "cases/s", "events/s", "cases/s", "events/s");
  printf ("%-40s %27s %27s\n", "model", "with queues", "without queues");

  g_autofree char *tmp = g_dir_make_tmp ("procsim-bench-XXXXXX", NULL);
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GDir) dir = g_dir_open (workflows, 0, NULL);
  for (const char *name; dir != NULL && (name = g_dir_read_name (dir)) != NULL;)
    if (g_str_has_suffix (name, ".xml"))
      g_ptr_array_add (files, g_build_filename (workflows, name, NULL));
  g_ptr_array_sort (files, compare_paths);
  g_autofree char *gen = g_build_filename (tmp, "gen-100.xml", NULL);
  g_autofree char *gen_text = generated_model (100, FALSE);
  g_file_set_contents (gen, gen_text, -1, NULL);
  g_ptr_array_add (files, g_strdup (gen));

  g_autoptr (PsimLoader) loader = psim_loader_new (NULL);
  double legacy_rate = 0, legacy_cpu_rate = 0, min_events0 = G_MAXDOUBLE;
  PsimProcedure *land = NULL;
  for (guint f = 0; f < files->len; f++)
    {
      PsimProcedure *proc = load (loader, files->pdata[f]);
      if (proc == NULL)
        return 2;
      g_autofree char *base = g_path_get_basename (files->pdata[f]);
      for (guint v = 0; v < psim_procedure_get_n_variants (proc); v++)
        {
          const PsimVariant *var = psim_procedure_get_variant (proc, v);
          double cq, eq, c0, e0, cpu_q;
          g_autofree char *label = g_strdup_printf ("%s %s", base, psim_variant_get_id (var));
          if (only != NULL && strcmp (label, only) != 0)
            continue;
          measure (proc, var, FALSE, &cq, &eq, &cpu_q);
          measure (proc, var, TRUE, &c0, &e0, NULL);
          print_row (label, cq, eq, c0, e0);
          min_events0 = MIN (min_events0, e0);
          if (strcmp (base, "land-title-transfer.xml") == 0
              && strcmp (psim_variant_get_id (var), "legacy") == 0)
            {
              legacy_rate = cq;
              legacy_cpu_rate = cpu_q;
            }
        }
      if (strcmp (base, "land-title-transfer.xml") == 0)
        land = psim_procedure_ref (proc);
      psim_procedure_unref (proc);
    }
  if (only != NULL)
    return 0; /* one model, for a profiler */
  printf ("Goal: at least %.0f million step events/s without queues; slowest: %.1f million.\n\n",
          GOAL_EVENTS / 1e6, min_events0 / 1e6);

  /* The reference. */
  g_autofree char *why = NULL;
  guint simpy_cases = quick ? 2000 : 10000;
  double simpy_cpu = 0;
  double simpy = simpy_rate (python, script, simpy_cases, &simpy_cpu, &why);
  if (simpy > 0)
    printf ("SimPy 2.3.1 (%s), land-title legacy, %u cases: %.0f cases/s; procsim %.0f cases/s: "
            "%.1f× (goal %.0f×)\n"
            "  by processor time: SimPy %.0f cases/s; procsim %.0f cases/s: %.1f×\n\n",
            python, simpy_cases, simpy, legacy_rate, legacy_rate / simpy, GOAL_RATIO, simpy_cpu,
            legacy_cpu_rate, legacy_cpu_rate / simpy_cpu);
  else
    printf ("SimPy column left out: %s.\n\n", why);

  /* 1,000 replications × 10,000 cases on every core. */
  if (land != NULL)
    {
      guint reps = quick ? 20 : 1000;
      double cpu = 0;
      double s = time_run (land, psim_procedure_find_variant (land, "legacy"), CASES, reps, 0,
                           FALSE, NULL, NULL, &cpu);
      double full = s * 1000 / reps;
      g_autofree char *how = reps < 1000 ? g_strdup_printf (", extrapolated from %u in %.2f s", reps, s)
                                         : g_strdup ("");
      printf ("1000 replications × %u cases, land-title legacy, %u threads: %.1f s%s (goal under "
              "%.0f s)\n"
              "  processor time: %.1f s, %.1f s per core\n\n", CASES, g_get_num_processors (), full,
              how, GOAL_BATCH_S, cpu * 1000 / reps, cpu * 1000 / reps / g_get_num_processors ());
      psim_procedure_unref (land);
    }

  /* Peak RSS, one office, one replication. */
  g_autofree char *mm1 = g_build_filename (tmp, "one-office.xml", NULL);
  g_autofree char *mm1_text = generated_model (1, TRUE);
  g_file_set_contents (mm1, mm1_text, -1, NULL);
  const guint max_exp = quick ? 6 : 7;
  for (guint e = 5; e <= max_exp; e++)
    {
      guint64 cases = 1;
      for (guint k = 0; k < e; k++)
        cases *= 10;
      g_autofree char *n = g_strdup_printf ("%" G_GUINT64_FORMAT, cases);
      char *args[] = { (char *) procsim, (char *) "simulate", mm1, (char *) "--cases", n,
                       (char *) "--replications", (char *) "1", (char *) "--jobs", (char *) "1",
                       (char *) "--format", (char *) "csv", NULL };
      BenchTiming t;
      bench_timing_init (&t);
      g_autoptr (GError) error = NULL;
      if (!bench_run_once (procsim, args, &t, &error))
        {
          g_printerr ("%s\n", error->message);
          return 2;
        }
      printf ("peak RSS, 10^%u cases: %ld KiB (%.1f s)\n", e, t.max_rss_kib,
              g_array_index (t.wall_us, gint64, 0) / 1e6);
      bench_timing_clear (&t);
    }
  g_unlink (gen);
  g_unlink (mm1);
  g_rmdir (tmp);
  return 0;
}
