/* bench-common.h — what the benchmarks share: running a command as a fresh
 * process, many times, alternating with a reference command, and the
 * figures of those runs (median wall-clock and CPU time, peak RSS). The
 * benchmarks print figures; they never fail on a speed goal.
 */
#pragma once

#include <glib.h>

typedef struct {
  int runs;
  int warmup;
  const char *keep_dir; /* (nullable) */
} BenchOptions;

/* One command's figures on one case. */
typedef struct {
  GArray *wall_us; /* gint64 per timed run */
  GArray *cpu_us;  /* gint64 per timed run: user + system time */
  glong max_rss_kib;
} BenchTiming;

void bench_timing_init (BenchTiming *t);
void bench_timing_clear (BenchTiming *t);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BenchTiming, bench_timing_clear)

/* The median of @us (microseconds), in milliseconds. */
double bench_median_ms (const GArray *us);

/* Runs @argv once, its output discarded; adds its times to @t unless NULL.
 * FALSE with @error when it cannot start or does not exit with status 0
 * (after printing, as @program, what it said). */
gboolean bench_run_once (const char *program, char **argv, BenchTiming *t, GError **error);

/* @opt->warmup untimed runs of each, then @opt->runs timed runs, the two
 * commands alternating so that a change in machine load hits both alike. */
gboolean bench_run_pair (const char *program, char **a, char **b, const BenchOptions *opt,
                         BenchTiming *ta, BenchTiming *tb, GError **error);

/* The --steps values (each a positive integer) into @sizes, or @defaults
 * when none is given. FALSE after printing, as @program, a bad one. */
gboolean bench_parse_steps (const char *program, char **args, const guint *defaults,
                            guint n_defaults, GArray *sizes);
