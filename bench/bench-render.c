/* bench-render.c — the render benchmark: `procsim render` against
 * `dot -Tsvg` on the DOT that procsim emits for the same picture, in the
 * same run. Goal: procsim's whole run within 1.2× of `dot` alone.
 *
 * The cases are found, not listed: every variant of every bundled workflow
 * (the .xml files in WORKFLOWS, loaded with the library to read the variant
 * ids), the compare view of each variant that names a baseline (--compare
 * BASELINE,VARIANT), and a generated procedure of --steps steps (default
 * 300; tests/gen/psim-gen.c, deterministic) written to a temporary file.
 * The default stays inside the render limits (PSIM_RENDER_MAX_NODES in
 * psim-render.h: 300 steps make 332 nodes); a size over them is refused
 * by procsim and reported as a failed command.
 *
 * For each case, `procsim render … -T dot` is run once, untimed, to get the
 * graph as built before layout; then `procsim render … -o OUT.svg` (load,
 * build, layout, render, write) and `dot -Tsvg THAT.dot -o OUT2.svg`
 * (parse, layout, render, write) run alternately: one warm-up each, then
 * --runs timed runs each. Every run is a fresh process, so the figures are
 * what a user waits for. Each command overwrites its own output file run
 * after run, as a user re-rendering does; procsim writes through
 * g_file_set_contents, which fsyncs before it replaces an existing file, a
 * wait that shows in the wall clock and not in the CPU time. All files go
 * into one temporary directory that is removed at the end; output is
 * discarded, the exit status checked, and a command that fails is a
 * benchmark error (exit 2).
 *
 * Reported: median wall-clock time, the ratio of the medians, and the peak
 * RSS of the child (largest ru_maxrss of the timed runs, from wait4), as in
 * bench-load.c; and the median CPU time (user + system, from wait4), which
 * moves less than the wall clock when other jobs share the machine. The
 * goal is judged on the wall clock, printed, never enforced. Exit status:
 * 0 ok, 1 usage, 2 a command failed or a workflow could not be read.
 */
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <procsim/procsim.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "bench-common.h"
#include "gen/psim-gen.h"

#define GOAL_RATIO 1.2

/* One picture to draw: a variant, or two side by side. */
typedef struct {
  char *label;   /* "land-title-transfer legacy" */
  char *file;    /* the procedure file */
  char *variant; /* (nullable) --variant V */
  char *compare; /* (nullable) --compare A,B */
  guint nodes;   /* nodes of the variant(s) in the model */
  guint steps;   /* <step> nodes among them */
  gboolean generated;
} Case;

static void
case_free (Case *c)
{
  g_free (c->label);
  g_free (c->file);
  g_free (c->variant);
  g_free (c->compare);
  g_free (c);
}

typedef struct {
  const Case *c;
  double procsim_ms;
  double dot_ms;
  double procsim_cpu_ms;
  double dot_cpu_ms;
  double procsim_mib;
  double dot_mib;
} Row;

/* `procsim render FILE (--variant V | --compare A,B) -o OUT [-T FORMAT]`.
 * (transfer full) */
static GPtrArray *
render_argv (const char *procsim, const Case *c, const char *out, const char *format)
{
  GPtrArray *argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (char *) procsim);
  g_ptr_array_add (argv, (char *) "render");
  g_ptr_array_add (argv, c->file);
  g_ptr_array_add (argv, c->compare != NULL ? (char *) "--compare" : (char *) "--variant");
  g_ptr_array_add (argv, c->compare != NULL ? c->compare : c->variant);
  if (format != NULL)
    {
      g_ptr_array_add (argv, (char *) "-T");
      g_ptr_array_add (argv, (char *) format);
    }
  g_ptr_array_add (argv, (char *) "-o");
  g_ptr_array_add (argv, (char *) out);
  g_ptr_array_add (argv, NULL);
  return argv;
}

/* Times one case. @index names its DOT file in @tmp_dir. */
static gboolean
bench_case (const Case *c, guint index, const char *procsim, const char *dot,
            const char *tmp_dir, const BenchOptions *opt, Row *row, GError **error)
{
  g_autofree char *dot_name = g_strdup_printf ("case-%02u.dot", index);
  g_autofree char *dot_path = g_build_filename (tmp_dir, dot_name, NULL);
  g_autofree char *procsim_svg = g_build_filename (tmp_dir, "procsim.svg", NULL);
  g_autofree char *dot_svg = g_build_filename (tmp_dir, "dot.svg", NULL);

  g_autoptr (GPtrArray) emit = render_argv (procsim, c, dot_path, "dot");
  if (!bench_run_once ("bench-render", (char **) emit->pdata, NULL, error))
    {
      g_prefix_error (error, "%s: ", c->label);
      return FALSE;
    }
  if (opt->keep_dir != NULL)
    {
      g_autofree char *text = NULL;
      gsize len = 0;
      g_autofree char *kept_name = g_strdup_printf ("%s.dot", c->label);
      g_strdelimit (kept_name, " ,", '-');
      g_autofree char *kept = g_build_filename (opt->keep_dir, kept_name, NULL);
      g_autoptr (GError) local = NULL;
      if (!g_file_get_contents (dot_path, &text, &len, &local)
          || !g_file_set_contents (kept, text, (gssize) len, &local))
        g_printerr ("bench-render: cannot keep %s: %s\n", kept, local->message);
    }

  g_autoptr (GPtrArray) procsim_argv = render_argv (procsim, c, procsim_svg, NULL);
  char *dot_argv[] = { (char *) dot, "-Tsvg", dot_path, "-o", dot_svg, NULL };
  g_auto (BenchTiming) tp = { 0 };
  g_auto (BenchTiming) td = { 0 };
  bench_timing_init (&tp);
  bench_timing_init (&td);
  if (!bench_run_pair ("bench-render", (char **) procsim_argv->pdata, dot_argv, opt, &tp, &td, error))
    {
      g_prefix_error (error, "%s: ", c->label);
      return FALSE;
    }

  *row = (Row) {
    .c = c,
    .procsim_ms = bench_median_ms (tp.wall_us),
    .dot_ms = bench_median_ms (td.wall_us),
    .procsim_cpu_ms = bench_median_ms (tp.cpu_us),
    .dot_cpu_ms = bench_median_ms (td.cpu_us),
    .procsim_mib = tp.max_rss_kib / 1024.0,
    .dot_mib = td.max_rss_kib / 1024.0,
  };
  return TRUE;
}

/* Appends a case per variant of @path, and a compare case per variant that
 * names a baseline. @label is the file's name without ".xml". */
static gboolean
add_cases_of_file (GPtrArray *cases, const char *path, const char *label, gboolean generated,
                   GError **error)
{
  g_autoptr (PsimProcedure) proc = psim_load_file (path, "en", NULL, error);
  if (proc == NULL)
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  guint n = psim_procedure_get_n_variants (proc);
  for (guint i = 0; i < n; i++)
    {
      const PsimVariant *v = psim_procedure_get_variant (proc, i);
      Case *c = g_new0 (Case, 1);
      c->label = g_strdup_printf ("%s %s", label, psim_variant_get_id (v));
      c->file = g_strdup (path);
      c->variant = g_strdup (psim_variant_get_id (v));
      c->nodes = psim_variant_get_n_nodes (v);
      c->steps = psim_variant_get_n_steps (v);
      c->generated = generated;
      g_ptr_array_add (cases, c);
    }
  for (guint i = 0; i < n; i++)
    {
      const PsimVariant *v = psim_procedure_get_variant (proc, i);
      const PsimVariant *base = psim_variant_get_baseline (v);
      if (base == NULL)
        continue;
      Case *c = g_new0 (Case, 1);
      c->compare = g_strdup_printf ("%s,%s", psim_variant_get_id (base), psim_variant_get_id (v));
      c->label = g_strdup_printf ("%s %s", label, c->compare);
      c->file = g_strdup (path);
      c->nodes = psim_variant_get_n_nodes (base) + psim_variant_get_n_nodes (v);
      c->steps = psim_variant_get_n_steps (base) + psim_variant_get_n_steps (v);
      c->generated = generated;
      g_ptr_array_add (cases, c);
    }
  return TRUE;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The bundled workflows: the .xml files in WORKFLOWS, in name order. */
static gboolean
add_bundled_cases (GPtrArray *cases, const char *workflows_dir, GError **error)
{
  g_autoptr (GDir) dir = g_dir_open (workflows_dir, 0, error);
  if (dir == NULL)
    return FALSE;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  for (const char *name; (name = g_dir_read_name (dir)) != NULL;)
    if (g_str_has_suffix (name, ".xml"))
      g_ptr_array_add (names, g_strdup (name));
  if (names->len == 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "no *.xml in %s", workflows_dir);
      return FALSE;
    }
  g_ptr_array_sort (names, compare_strings);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (workflows_dir, name, NULL);
      g_autofree char *label = g_strndup (name, strlen (name) - strlen (".xml"));
      if (!add_cases_of_file (cases, path, label, FALSE, error))
        return FALSE;
    }
  return TRUE;
}

/* Writes a generated procedure of @steps steps into @tmp_dir and adds its
 * cases. */
static gboolean
add_generated_cases (GPtrArray *cases, guint steps, const char *tmp_dir, const BenchOptions *opt,
                     GError **error)
{
  g_autofree char *xml = psim_gen_procedure (steps);
  g_autofree char *label = g_strdup_printf ("generated-%u", steps);
  g_autofree char *name = g_strdup_printf ("%s.xml", label);
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  if (!g_file_set_contents (path, xml, -1, error))
    return FALSE;
  if (opt->keep_dir != NULL)
    {
      g_autofree char *kept = g_build_filename (opt->keep_dir, name, NULL);
      g_autoptr (GError) local = NULL;
      if (!g_file_set_contents (kept, xml, -1, &local))
        g_printerr ("bench-render: cannot keep %s: %s\n", kept, local->message);
    }
  return add_cases_of_file (cases, path, label, TRUE, error);
}

/* Removes @path and the files in it (the directory is flat). */
static void
remove_tmp_dir (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  for (const char *name; dir != NULL && (name = g_dir_read_name (dir)) != NULL;)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);
      g_unlink (file);
    }
  if (g_rmdir (path) != 0)
    g_printerr ("bench-render: cannot remove %s: %s\n", path, g_strerror (errno));
}

static const char *
verdict (double ratio)
{
  return ratio <= GOAL_RATIO ? "met" : "not met";
}

static void
print_table (const GArray *rows)
{
  int width = (int) strlen ("case");
  for (guint i = 0; i < rows->len; i++)
    width = MAX (width, (int) strlen (g_array_index (rows, Row, i).c->label));
  g_print ("%-*s %6s %6s %11s %8s %7s %9s %9s %7s %12s %8s  %s\n", width, "case", "nodes",
           "steps", "procsim ms", "dot ms", "ratio", "procsim", "dot", "cpu", "procsim MiB",
           "dot MiB", "goal <= 1.2x");
  g_print ("%-*s %6s %6s %11s %8s %7s %9s %9s %7s\n", width, "", "", "", "", "", "", "cpu ms",
           "cpu ms", "ratio");
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *r = &g_array_index (rows, Row, i);
      double ratio = r->procsim_ms / r->dot_ms;
      g_print ("%-*s %6u %6u %11.1f %8.1f %6.2fx %9.1f %9.1f %6.2fx %12.1f %8.1f  %s\n", width,
               r->c->label, r->c->nodes, r->c->steps, r->procsim_ms, r->dot_ms, ratio,
               r->procsim_cpu_ms, r->dot_cpu_ms, r->procsim_cpu_ms / r->dot_cpu_ms,
               r->procsim_mib, r->dot_mib, verdict (ratio));
    }
}

static gboolean
run_all (GPtrArray *cases, const char *procsim, const char *dot, const char *tmp_dir,
         const BenchOptions *opt, GArray *rows, GError **error)
{
  for (guint i = 0; i < cases->len; i++)
    {
      Row row;
      if (!bench_case (g_ptr_array_index (cases, i), i, procsim, dot, tmp_dir, opt, &row, error))
        return FALSE;
      g_array_append_val (rows, row);
    }
  return TRUE;
}

int
main (int argc, char **argv)
{
  BenchOptions opt = { .runs = 5, .warmup = 1 };
  g_auto (GStrv) step_args = NULL;
  g_autofree char *build_info = NULL;
  g_autofree char *keep_dir = NULL;
  const GOptionEntry entries[] = {
    { "runs", 'n', 0, G_OPTION_ARG_INT, &opt.runs, "Timed runs per command and case (default 5)",
      "N" },
    { "warmup", 0, 0, G_OPTION_ARG_INT, &opt.warmup, "Untimed runs first (default 1)", "N" },
    { "steps", 's', 0, G_OPTION_ARG_STRING_ARRAY, &step_args,
      "Generated procedure size in steps; repeat for several (default 300)", "N" },
    { "build", 0, 0, G_OPTION_ARG_STRING, &build_info, "Build description to print", "TEXT" },
    { "keep", 0, 0, G_OPTION_ARG_FILENAME, &keep_dir,
      "Also write the generated files and the DOT of each case to DIR (for profiling)", "DIR" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("PROCSIM DOT WORKFLOWS");
  g_option_context_set_summary (ctx, "Time `procsim render FILE -o OUT.svg` against `dot -Tsvg` "
                                     "on the DOT procsim emits, for each variant and compare "
                                     "view of the bundled workflows and a generated procedure.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || argc != 4 || opt.runs < 1
      || opt.warmup < 0)
    {
      g_printerr ("bench-render: %s\n",
                  error != NULL ? error->message
                                : "usage: bench-render [OPTION…] PROCSIM DOT WORKFLOWS "
                                  "(runs >= 1)");
      return 1;
    }
  opt.keep_dir = keep_dir;

  g_autoptr (GArray) sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  static const guint default_steps[] = { 300 };
  if (!bench_parse_steps ("bench-render", step_args, default_steps, G_N_ELEMENTS (default_steps), sizes))
    return 1;

  const char *procsim = argv[1], *dot = argv[2], *workflows = argv[3];
  g_print ("procsim render benchmark: `procsim render FILE --variant V -o OUT.svg` vs "
           "`dot -Tsvg FILE.dot -o OUT.svg`\n");
  g_print ("  on the DOT of `procsim render FILE --variant V -T dot` (compare views: "
           "--compare A,B)\n");
  g_print ("procsim:   %s\ndot:       %s\nworkflows: %s\n", procsim, dot, workflows);
  if (build_info != NULL)
    g_print ("build:     %s\n", build_info);
  g_print ("%d timed runs per command (after %d warm-up), alternating; medians of wall-clock "
           "and of CPU (user+sys) time, peak RSS = largest ru_maxrss\n\n", opt.runs, opt.warmup);

  g_autofree char *tmp_dir = g_dir_make_tmp ("procsim-bench-render-XXXXXX", &error);
  if (tmp_dir == NULL)
    {
      g_printerr ("bench-render: %s\n", error->message);
      return 2;
    }
  g_autoptr (GPtrArray) cases = g_ptr_array_new_with_free_func ((GDestroyNotify) case_free);
  g_autoptr (GArray) rows = g_array_new (FALSE, FALSE, sizeof (Row));
  gboolean ok = add_bundled_cases (cases, workflows, &error);
  for (guint i = 0; ok && i < sizes->len; i++)
    ok = add_generated_cases (cases, g_array_index (sizes, guint, i), tmp_dir, &opt, &error);
  if (ok)
    ok = run_all (cases, procsim, dot, tmp_dir, &opt, rows, &error);
  remove_tmp_dir (tmp_dir);
  if (!ok)
    {
      g_printerr ("bench-render: %s\n", error->message);
      return 2;
    }
  print_table (rows);

  /* The goal is judged on the largest generated procedure: on the bundled
   * workflows start-up is most of both runs. */
  const Row *largest = NULL;
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *r = &g_array_index (rows, Row, i);
      if (r->c->generated && (largest == NULL || r->c->steps > largest->c->steps))
        largest = r;
    }
  if (largest != NULL)
    {
      double ratio = largest->procsim_ms / largest->dot_ms;
      g_print ("\ngoal: procsim <= %.1fx dot at %u steps (%s): %s (%.2fx: %.1f ms vs %.1f ms; "
               "cpu %.2fx)\n",
               GOAL_RATIO, largest->c->steps, largest->c->label, verdict (ratio), ratio,
               largest->procsim_ms, largest->dot_ms,
               largest->procsim_cpu_ms / largest->dot_cpu_ms);
    }
  return 0;
}
