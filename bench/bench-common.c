/* bench-common.c — see bench-common.h. */
#include "bench-common.h"

#include <errno.h>
#include <sys/resource.h>
#include <sys/wait.h>

void
bench_timing_init (BenchTiming *t)
{
  t->wall_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  t->cpu_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  t->max_rss_kib = 0;
}

void
bench_timing_clear (BenchTiming *t)
{
  g_clear_pointer (&t->wall_us, g_array_unref);
  g_clear_pointer (&t->cpu_us, g_array_unref);
}

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return (x > y) - (x < y);
}

double
bench_median_ms (const GArray *us)
{
  g_autoptr (GArray) sorted = g_array_copy ((GArray *) us);
  g_array_sort (sorted, compare_gint64);
  guint n = sorted->len;
  gint64 mid = g_array_index (sorted, gint64, n / 2);
  if (n % 2 == 0)
    mid = (mid + g_array_index (sorted, gint64, n / 2 - 1)) / 2;
  return (double) mid / 1000.0;
}

/* Reruns a failed command with its output captured, so that the error says
 * why it failed and not only that it did. */
static void
report_failure (const char *program, char **argv, int wait_status)
{
  g_autofree char *cmdline = g_strjoinv (" ", argv);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  if (WIFEXITED (wait_status))
    g_printerr ("%s: `%s` exited with status %d\n", program, cmdline, WEXITSTATUS (wait_status));
  else
    g_printerr ("%s: `%s` was killed by signal %d\n", program, cmdline,
                WIFSIGNALED (wait_status) ? WTERMSIG (wait_status) : 0);
  if (g_spawn_sync (NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, NULL, NULL))
    {
      g_autoptr (GString) all = g_string_new (out);
      g_string_append (all, err);
      /* A failing validation of a 10,000-step file can say a lot. */
      if (all->len > 4000)
        {
          g_string_truncate (all, 4000);
          g_string_append (all, "\n[…]");
        }
      g_printerr ("%s\n", all->str);
    }
}

gboolean
bench_run_once (const char *program, char **argv, BenchTiming *t, GError **error)
{
  GPid pid = 0;
  gint64 start = g_get_monotonic_time ();
  if (!g_spawn_async (NULL, argv, NULL,
                      G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL
                        | G_SPAWN_STDERR_TO_DEV_NULL | G_SPAWN_STDIN_FROM_DEV_NULL,
                      NULL, NULL, &pid, error))
    return FALSE;

  int status = 0;
  struct rusage ru = { 0 };
  pid_t r;
  do
    r = wait4 (pid, &status, 0, &ru);
  while (r < 0 && errno == EINTR);
  gint64 elapsed = g_get_monotonic_time () - start;
  g_spawn_close_pid (pid);
  if (r < 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "wait4: %s",
                   g_strerror (saved));
      return FALSE;
    }
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      report_failure (program, argv, status);
      g_set_error (error, G_SPAWN_EXIT_ERROR, WIFEXITED (status) ? WEXITSTATUS (status) : -1,
                   "%s failed", argv[0]);
      return FALSE;
    }
  if (t != NULL)
    {
      gint64 cpu = (gint64) (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * G_USEC_PER_SEC
                   + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
      g_array_append_val (t->wall_us, elapsed);
      g_array_append_val (t->cpu_us, cpu);
      t->max_rss_kib = MAX (t->max_rss_kib, ru.ru_maxrss); /* KiB on Linux */
    }
  return TRUE;
}

gboolean
bench_run_pair (const char *program, char **a, char **b, const BenchOptions *opt,
                BenchTiming *ta, BenchTiming *tb, GError **error)
{
  for (int i = 0; i < opt->warmup; i++)
    if (!bench_run_once (program, a, NULL, error) || !bench_run_once (program, b, NULL, error))
      return FALSE;
  for (int i = 0; i < opt->runs; i++)
    if (!bench_run_once (program, a, ta, error) || !bench_run_once (program, b, tb, error))
      return FALSE;
  return TRUE;
}

gboolean
bench_parse_steps (const char *program, char **args, const guint *defaults, guint n_defaults,
                   GArray *sizes)
{
  for (char **s = args; s != NULL && *s != NULL; s++)
    {
      g_autoptr (GError) error = NULL;
      guint64 n = 0;
      if (!g_ascii_string_to_unsigned (*s, 10, 1, G_MAXUINT, &n, &error))
        {
          g_printerr ("%s: --steps: %s\n", program, error->message);
          return FALSE;
        }
      guint steps = (guint) n;
      g_array_append_val (sizes, steps);
    }
  if (sizes->len == 0)
    g_array_append_vals (sizes, defaults, n_defaults);
  return TRUE;
}
