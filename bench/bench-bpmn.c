/* bench-bpmn.c — the BPMN import benchmark: procsim importing the whole
 * BPMN MIWG set (tests/data/bpmn/miwg: the reference models and the tools'
 * exports) against bpmn-moddle, the JavaScript reader bpmn.io and Camunda
 * Modeler use, reading the same files, in the same run. Goal: procsim at
 * least 20× faster than bpmn-moddle.
 *
 * Both sides are timed in process, over files already in memory, so that
 * neither pays for starting a process or a JavaScript engine: procsim's
 * side is psim_bpmn_import_memory (parse, map, write the procedure, load
 * and check it) for every file, one round; bpmn-moddle's is fromXML for
 * every file, one round (bench-bpmn-moddle.cjs, run by node as a child).
 * Each side has --warmup untimed rounds and --runs timed ones; the median
 * round is reported, wall-clock and CPU time (the process's own, which
 * moves less when other jobs share the machine), with the ratio of the
 * medians; the goal is judged on the wall clock. procsim does more than
 * bpmn-moddle here (bpmn-moddle only reads), which the ratio does not
 * correct for. Figures are printed, the goal never enforced. Exit status:
 * 0 ok, 1 usage, 2 a file that does not import or a failing reference.
 */
#include <glib.h>
#include <procsim/procsim.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench-common.h"

#define GOAL_RATIO 20.0

static gint64
cpu_now_us (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
list_files (const char *dir, GPtrArray *out)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  for (const char *name; d != NULL && (name = g_dir_read_name (d)) != NULL;)
    if (g_str_has_suffix (name, ".bpmn"))
      g_ptr_array_add (names, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < names->len; i++)
    g_ptr_array_add (out, g_strdup (g_ptr_array_index (names, i)));
}

int
main (int argc, char **argv)
{
  int runs = 15, warmup = 3;
  g_autofree char *build = NULL;
  const GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Timed rounds of each side (default 15)", "N" },
    { "warmup", 0, 0, G_OPTION_ARG_INT, &warmup, "Untimed rounds first (default 3)", "N" },
    { "build", 0, 0, G_OPTION_ARG_STRING, &build, "Build description to print", "TEXT" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("NODE MODDLE_SCRIPT MIWG_DIR");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || argc != 4 || runs < 1 || warmup < 0)
    {
      fprintf (stderr, "bench-bpmn: %s\nusage: bench-bpmn [--runs N] [--warmup N] NODE "
                       "MODDLE_SCRIPT MIWG_DIR\n", error != NULL ? error->message : "bad arguments");
      return 1;
    }
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *ref = g_build_filename (argv[3], "reference", NULL);
  g_autofree char *tools = g_build_filename (argv[3], "tools", NULL);
  list_files (ref, files);
  list_files (tools, files);
  if (files->len == 0)
    {
      fprintf (stderr, "bench-bpmn: no .bpmn files in %s\n", argv[3]);
      return 2;
    }
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  gsize total = 0;
  for (guint i = 0; i < files->len; i++)
    {
      char *data = NULL;
      gsize size = 0;
      if (!g_file_get_contents (g_ptr_array_index (files, i), &data, &size, &error))
        {
          fprintf (stderr, "bench-bpmn: %s\n", error->message);
          return 2;
        }
      g_ptr_array_add (texts, g_bytes_new_take (data, size));
      total += size;
    }

  /* procsim: every file imported and checked, one round. */
  g_autoptr (PsimLoader) loader = psim_loader_new (&error);
  if (loader == NULL)
    {
      fprintf (stderr, "bench-bpmn: %s\n", error->message);
      return 2;
    }
  g_autoptr (GArray) ours = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) ours_cpu = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (int r = 0; r < warmup + runs; r++)
    {
      gint64 t0 = g_get_monotonic_time (), c0 = cpu_now_us ();
      for (guint i = 0; i < texts->len; i++)
        {
          gsize size = 0;
          const char *data = g_bytes_get_data (g_ptr_array_index (texts, i), &size);
          g_autoptr (PsimProcedure) proc = psim_bpmn_import_memory (
            loader, data, size, g_ptr_array_index (files, i), NULL, NULL, NULL, &error);
          if (proc == NULL)
            {
              fprintf (stderr, "bench-bpmn: %s\n", error->message);
              return 2;
            }
        }
      gint64 us = g_get_monotonic_time () - t0, cpu = cpu_now_us () - c0;
      if (r >= warmup)
        {
          g_array_append_val (ours, us);
          g_array_append_val (ours_cpu, cpu);
        }
    }

  /* bpmn-moddle: the same files, the same rounds, in node. */
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  g_autofree char *s_runs = g_strdup_printf ("%d", runs);
  g_autofree char *s_warmup = g_strdup_printf ("%d", warmup);
  g_strv_builder_add_many (b, argv[1], argv[2], s_runs, s_warmup, NULL);
  for (guint i = 0; i < files->len; i++)
    g_strv_builder_add (b, g_ptr_array_index (files, i));
  g_auto (GStrv) cmd = g_strv_builder_end (b);
  g_autofree char *out = NULL, *err = NULL;
  int status = 0;
  if (!g_spawn_sync (NULL, cmd, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error)
      || !g_spawn_check_wait_status (status, NULL))
    {
      fprintf (stderr, "bench-bpmn: bpmn-moddle failed: %s%s\n",
               error != NULL ? error->message : "", err != NULL ? err : "");
      return 2;
    }
  g_autoptr (GArray) theirs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) theirs_cpu = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
  for (char **l = lines; *l != NULL; l++)
    if (**l != '\0')
      {
        char *end = NULL;
        gint64 us = g_ascii_strtoll (*l, &end, 10);
        gint64 cpu = g_ascii_strtoll (end, NULL, 10);
        g_array_append_val (theirs, us);
        g_array_append_val (theirs_cpu, cpu);
      }
  if ((int) theirs->len != runs)
    {
      fprintf (stderr, "bench-bpmn: bpmn-moddle gave %u rounds, not %d\n", theirs->len, runs);
      return 2;
    }

  double a = bench_median_ms (ours), m = bench_median_ms (theirs);
  double ac = bench_median_ms (ours_cpu), mc = bench_median_ms (theirs_cpu);
  printf ("BPMN import: the MIWG set, %u files, %.1f KiB, median of %d rounds after %d warm-up%s%s\n",
          files->len, total / 1024.0, runs, warmup, build != NULL ? "; build: " : "",
          build != NULL ? build : "");
  printf ("                                             wall per round   CPU per round   CPU per file\n");
  printf ("  procsim import (parse, map, load, check)  %10.2f ms   %10.2f ms   %8.3f ms\n", a, ac,
          ac / files->len);
  printf ("  bpmn-moddle fromXML (parse only)          %10.2f ms   %10.2f ms   %8.3f ms\n", m, mc,
          mc / files->len);
  printf ("  ratio bpmn-moddle / procsim: %.1f× wall, %.1f× CPU  (goal: at least %.0f×: %s)\n",
          m / a, mc / ac, GOAL_RATIO, m / a >= GOAL_RATIO ? "met" : "not met");
  return 0;
}
