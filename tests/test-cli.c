/* test-cli.c — runs the built procsim on real files and compares what it
 * prints with golden files in tests/data/golden/cli/ (NAME.out, NAME.err),
 * and its exit status. The working directory is the source root, so paths
 * in messages read "workflows/...".
 *
 * Every case runs with XDG_DATA_HOME set to a fresh temporary directory, so
 * that `train` keeps its records there (the cases run in order: `report`
 * reads what the `train` cases before it wrote); the directory's name reads
 * "$XDG_DATA_HOME" in the golden files.
 *
 * PSIM_UPDATE_GOLDEN=1 rewrites the golden files from the current output:
 * review the diff before committing it.
 */
#include "psim-test.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include <string.h>

typedef struct {
  const char *name;     /* golden files NAME.out / NAME.err */
  const char *args[12]; /* after "procsim" */
  int status;
  const char *env;      /* extra VAR=value for the child, or NULL */
  gboolean golden_err;  /* compare stderr with NAME.err (else: must be empty,
                           unless err_contains is set) */
  const char *out_contains; /* instead of a golden stdout */
  const char *err_contains;
} CliCase;

static const CliCase cases[] = {
  { "list-en", { "--lang", "en", "list" }, 0 },
  { "list-vi", { "--lang", "vi", "list" }, 0 },
  /* A trainer's folder: the scenario beside the procedure, listed apart. */
  { "list-dir-en", { "--lang", "en", "list", "tests/data/list" }, 0 },
  { "list-dir-vi", { "--lang", "vi", "list", "tests/data/list" }, 0 },
  { "show-land-legacy-en",
    { "--lang", "en", "show", "workflows/land-title-transfer.xml", "--variant", "legacy" }, 0 },
  { "show-land-digital-en",
    { "show", "--lang", "en", "workflows/land-title-transfer.xml", "--variant", "digital" }, 0 },
  { "show-land-digital-vi",
    { "--lang", "vi", "show", "workflows/land-title-transfer.xml", "--variant", "digital" }, 0 },
  { "show-land-legacy-vi",
    { "--lang", "vi", "show", "workflows/land-title-transfer.xml", "--variant", "legacy" }, 0 },
  { "show-land-digital-json",
    { "--lang", "en", "show", "workflows/land-title-transfer.xml", "--variant", "digital",
      "--format", "json" }, 0 },
  { "show-land-digital-mortgaged-json",
    { "--lang", "en", "show", "workflows/land-title-transfer.xml", "--variant", "digital",
      "--case", "mortgaged=true", "--case", "price=2500000000", "--format", "json" }, 0 },
  { "show-land-legacy-json",
    { "--lang", "en", "show", "workflows/land-title-transfer.xml", "--variant", "legacy",
      "--format=json" }, 0 },
  { "show-business-legacy-en",
    { "--lang", "en", "show", "workflows/business-registration.xml", "--variant", "legacy" }, 0 },
  { "show-business-digital-en",
    { "--lang", "en", "show", "workflows/business-registration.xml", "--variant", "digital" }, 0 },
  { "show-business-digital-vi",
    { "--lang", "vi", "show", "workflows/business-registration.xml", "--variant", "digital" }, 0 },
  { "validate-bundled",
    { "validate", "workflows/land-title-transfer.xml", "workflows/business-registration.xml" }, 0 },
  { "validate-verbose",
    { "--lang", "en", "validate", "-v", "workflows/land-title-transfer.xml",
      "tests/data/valid/minimal.xml" }, 0 },
  { "validate-invalid",
    { "--lang", "en", "validate", "tests/data/valid/minimal.xml",
      "tests/data/invalid/multiple-errors.xml", "tests/data/invalid/doctype-external-entity.xml" },
    2, NULL, TRUE },
  /* The modelling errors a file used to pass with: each exits 2. */
  { "validate-modelling-errors",
    { "--lang", "en", "validate", "tests/data/invalid/split-branch-falls-through.xml",
      "tests/data/invalid/expression-bare-true.xml",
      "tests/data/invalid/when-loop-default-case.xml",
      "tests/data/invalid/fee-negative-at-bound.xml",
      "tests/data/invalid/unescaped-less-than.xml" },
    2, NULL, TRUE },
  /* Warnings: reported on stderr, and the files are still valid (exit 0). */
  { "validate-warnings",
    { "--lang", "en", "validate", "tests/data/warnings/input-from-nowhere.xml",
      "tests/data/warnings/national-db-supplied.xml" },
    0, NULL, TRUE },
  { "validate-warnings-vi",
    { "--lang", "vi", "validate", "tests/data/warnings/input-from-nowhere.xml",
      "tests/data/warnings/national-db-supplied.xml" },
    0, NULL, TRUE },
  { "validate-missing-file", { "--lang", "en", "validate", "no/such/file.xml" }, 2, NULL, TRUE },
  { "validate-no-file", { "--lang", "en", "validate" }, 1, NULL, TRUE },
  { "show-unknown-variant",
    { "--lang", "en", "show", "workflows/land-title-transfer.xml", "--variant", "fast" }, 1, NULL,
    TRUE },
  { "show-bad-case",
    { "--lang", "en", "show", "workflows/land-title-transfer.xml", "--case", "price=cheap" }, 1,
    NULL, TRUE },
  { "show-unknown-case",
    { "--lang", "en", "show", "workflows/land-title-transfer.xml", "--case", "colour=red" }, 1,
    NULL, TRUE },
  /* A branch that chance decides, followed; a choice or branch the file
   * does not have is named with its line and what is allowed (exit 2). */
  { "show-branch-loop-en",
    { "--lang", "en", "show", "workflows/land-title-transfer.xml", "--variant", "legacy",
      "--branch", "dossier-check=submit-dossier" }, 0 },
  { "show-branch-unknown",
    { "--lang", "en", "show", "workflows/land-title-transfer.xml", "--branch",
      "dossier-check=nowhere" }, 2, NULL, TRUE },
  { "compare-branch-unknown-choice",
    { "--lang", "en", "compare", "workflows/land-title-transfer.xml", "--branch",
      "review=redo" }, 2, NULL, TRUE },
  { "compare-branch-vi",
    { "--lang", "vi", "compare", "workflows/business-registration.xml", "--branch",
      "dossier-check=file-online" }, 0 },
  { "render-branch-loop-dot",
    { "--lang", "en", "render", "workflows/land-title-transfer.xml", "--variant", "legacy",
      "--branch", "dossier-check=submit-dossier", "-T", "dot", "-o", "-" }, 0 },
  { "show-case-out-of-range-vi",
    { "--lang", "vi", "show", "workflows/land-title-transfer.xml", "--case", "price=-1" }, 1,
    NULL, TRUE },
  { "show-bad-format",
    { "--lang", "en", "show", "workflows/land-title-transfer.xml", "--format", "xml" }, 1, NULL,
    TRUE },
  { "show-unknown-option", { "--lang", "en", "show", "--colour" }, 1, NULL, TRUE },
  { "unknown-command", { "--lang", "en", "frobnicate" }, 1, NULL, TRUE },
  { "unknown-language", { "--lang", "fr", "list" }, 1, NULL, TRUE },
  { "render-land-digital-dot",
    { "--lang", "en", "render", "workflows/land-title-transfer.xml", "--variant", "digital",
      "--details", "-T", "dot", "-o", "-" }, 0 },
  { "render-compare-highlight-dot",
    { "--lang", "vi", "render", "workflows/business-registration.xml", "--compare",
      "legacy,digital", "--highlight", "file-online,collect-certificate", "-T", "dot", "-o",
      "-" }, 0 },
  { "render-no-output", { "--lang", "en", "render", "workflows/land-title-transfer.xml" }, 1,
    NULL, TRUE },
  { "render-stdout-no-format",
    { "--lang", "en", "render", "workflows/land-title-transfer.xml", "-o", "-" }, 1, NULL, TRUE },
  { "render-unknown-extension",
    { "--lang", "en", "render", "workflows/land-title-transfer.xml", "-o", "graph.gif" }, 1,
    NULL, TRUE },
  { "render-variant-and-compare",
    { "--lang", "en", "render", "workflows/land-title-transfer.xml", "--variant", "digital",
      "--compare", "legacy,digital", "-o", "x.svg" }, 1, NULL, TRUE },
  { "render-bad-highlight",
    { "--lang", "en", "render", "workflows/land-title-transfer.xml", "--variant", "digital",
      "--highlight", "sign-notary,is-mortgaged", "-T", "svg", "-o", "-" }, 1, NULL, TRUE },
  { "render-help-vi", { "--lang", "vi", "render", "--help" }, 0, NULL, FALSE, "--db=URL" },
  { "render-db-without-session",
    { "--lang", "en", "render", "workflows/land-title-transfer.xml", "--db", "sqlite:x.db",
      "-o", "x.svg" }, 1, NULL, TRUE },
  { "render-unknown-variant",
    { "--lang", "en", "render", "workflows/land-title-transfer.xml", "--compare",
      "legacy,fast", "-o", "x.svg" }, 1, NULL, TRUE },
  { "main-help-en", { "--lang", "en", "--help" }, 0 },
  { "main-help-vi", { "--lang", "vi", "--help" }, 0 },
  { "version", { "--version" }, 0, NULL, FALSE, "procsim 0." },
  { "show-help", { "--lang", "en", "show", "--help" }, 0, NULL, FALSE, "--variant=V" },
  { "validate-help-vi", { "--lang", "vi", "validate", "--help" }, 0, NULL, FALSE, "Cách dùng" },
  /* No --lang: the language comes from the locale variables. */
  { "locale-vi", { "list" }, 0, "LANG=vi_VN.UTF-8", FALSE, "Chuyển nhượng" },
  { "locale-en", { "list" }, 0, "LANG=en_US.UTF-8", FALSE, "Transfer" },
  /* simulate: a few hundred cases, a fixed seed; the same bytes every time */
  { "simulate-mm1-en",
    { "--lang", "en", "simulate", "tests/data/sim/mm1.xml", "--cases", "300", "--replications",
      "4", "--seed", "3" }, 0 },
  { "simulate-land-en",
    { "--lang", "en", "simulate", "workflows/land-title-transfer.xml", "--compare",
      "legacy,digital", "--cases", "100", "--replications", "3", "--seed", "5" }, 0 },
  { "simulate-land-vi",
    { "--lang", "vi", "simulate", "workflows/land-title-transfer.xml", "--compare",
      "legacy,digital", "--cases", "100", "--replications", "3", "--seed", "5" }, 0 },
  { "simulate-bad-format",
    { "--lang", "en", "simulate", "tests/data/sim/mm1.xml", "--format", "pdf" }, 1, NULL, TRUE },
  /* compare: figures checked by hand in docs/compare-rules.md */
  { "compare-land-en", { "--lang", "en", "compare", "workflows/land-title-transfer.xml" }, 0 },
  { "compare-land-vi", { "--lang", "vi", "compare", "workflows/land-title-transfer.xml" }, 0 },
  { "compare-land-mortgaged-en",
    { "--lang", "en", "compare", "workflows/land-title-transfer.xml", "--case",
      "mortgaged=true" }, 0 },
  { "compare-business-en",
    { "--lang", "en", "compare", "workflows/business-registration.xml" }, 0 },
  { "compare-land-explain-en",
    { "--lang", "en", "compare", "workflows/land-title-transfer.xml", "--explain" }, 0 },
  { "compare-land-md",
    { "--lang", "en", "compare", "workflows/land-title-transfer.xml", "--format", "md" }, 0 },
  { "compare-land-csv",
    { "--lang", "en", "compare", "workflows/land-title-transfer.xml", "--format", "csv" }, 0 },
  { "compare-land-json",
    { "--lang", "en", "compare", "workflows/land-title-transfer.xml", "--format", "json" }, 0 },
  { "compare-overrides",
    { "compare", "workflows/land-title-transfer.xml", "--tariff", "30000", "--travel", "0",
      "--volume", "1000", "--value", "2_000_000_000", "--variants", "digital,legacy" }, 0 },
  /* Figures wider than their columns: the columns widen, the labels give
   * way, no row runs past 80 columns. */
  { "compare-land-volume-vi",
    { "--lang", "vi", "compare", "workflows/land-title-transfer.xml", "--volume", "1000000" }, 0 },
  { "compare-db-rule-en", { "--lang", "en", "compare", "tests/data/compare/db-rule.xml" }, 0 },
  { "compare-loop-en", { "--lang", "en", "compare", "tests/data/compare/loop.xml" }, 0 },
  /* A `when` loop that chance can lead this case into: the path is
   * sound, the expected values are not defined ("—", null), and say so. */
  { "compare-detour-vi",
    { "--lang", "vi", "compare", "tests/data/compare/detour.xml", "--case", "urgent=false" }, 0 },
  { "compare-detour-json",
    { "--lang", "en", "compare", "tests/data/compare/detour.xml", "--case", "urgent=false",
      "--format", "json" }, 0 },
  { "compare-unknown-variant",
    { "--lang", "en", "compare", "workflows/land-title-transfer.xml", "--variants",
      "legacy,fast" }, 1, NULL, TRUE },
  { "compare-one-variant", { "--lang", "en", "compare", "tests/data/valid/minimal.xml" }, 2, NULL,
    TRUE },
  { "compare-bad-format",
    { "--lang", "en", "compare", "workflows/land-title-transfer.xml", "--format", "pdf" }, 1,
    NULL, TRUE },
  { "compare-bad-tariff",
    { "--lang", "en", "compare", "workflows/land-title-transfer.xml", "--tariff", "-5" }, 1,
    NULL, TRUE },
  { "compare-invalid-file",
    { "--lang", "en", "compare", "tests/data/invalid/cost-model-value-base-both.xml" }, 2, NULL,
    TRUE },

  /* Training: validation, the demo and scripted replays of every bundled
   * scenario, perfect and with mistakes; then the report on those runs. */
  { "validate-scenarios",
    { "--lang", "en", "validate", "-v", "scenarios/land-title-digital.xml",
      "scenarios/land-title-legacy.xml", "scenarios/land-title-mortgaged.xml",
      "scenarios/business-registration-digital.xml" }, 0 },
  { "validate-scenario-invalid",
    { "--lang", "en", "validate", "tests/data/scenarios/invalid/distractors.xml" }, 2, NULL,
    TRUE },
  { "train-land-title-digital-demo", { "--lang", "en", "train", "land-title-digital", "--demo" },
    0 },
  { "train-land-title-digital-demo-vi",
    { "--lang", "vi", "train", "land-title-digital", "--demo" }, 0 },
  { "train-land-title-legacy-demo", { "--lang", "en", "train", "land-title-legacy", "--demo" },
    0 },
  { "train-land-title-mortgaged-demo",
    { "--lang", "en", "train", "land-title-mortgaged", "--demo" }, 0 },
  { "train-business-registration-digital-demo",
    { "--lang", "en", "train", "scenarios/business-registration-digital.xml", "--demo" }, 0 },
#define REPLAY(ID, KIND, LANG)                                                                 \
  { "train-" ID "-" KIND,                                                                      \
    { "--lang", LANG, "train", ID, "--answers", "tests/data/train/" ID "." KIND, "--id",      \
      KIND "-" ID, "--name", "Trainee" }, 0 }
  REPLAY ("land-title-digital", "perfect", "en"),
  REPLAY ("land-title-digital", "mistakes", "vi"),
  REPLAY ("land-title-legacy", "perfect", "en"),
  REPLAY ("land-title-legacy", "mistakes", "en"),
  REPLAY ("land-title-mortgaged", "perfect", "en"),
  REPLAY ("land-title-mortgaged", "mistakes", "en"),
  REPLAY ("business-registration-digital", "perfect", "en"),
  REPLAY ("business-registration-digital", "mistakes", "en"),
#undef REPLAY
  { "train-id-taken",
    { "--lang", "en", "train", "land-title-digital", "--id", "perfect-land-title-digital" }, 2,
    NULL, TRUE },
  { "report-text", { "--lang", "en", "report" }, 0 },
  { "report-json", { "--lang", "en", "report", "--format", "json" }, 0 },
  /* Records of real sessions (tests/data/report): two trainees, a
   * session left unfinished (its checkpoint), a scripted replay counted
   * apart; a period; the formats. */
  { "report-fixture-en", { "--lang", "en", "report", "tests/data/report" }, 0 },
  { "report-fixture-vi", { "--lang", "vi", "report", "tests/data/report" }, 0 },
  { "report-fixture-json", { "--lang", "vi", "report", "tests/data/report", "--format", "json" },
    0 },
  { "report-fixture-csv", { "--lang", "vi", "report", "tests/data/report", "--format", "csv" },
    0 },
  { "report-fixture-period",
    { "--lang", "en", "report", "tests/data/report", "--since", "2026-11-21", "--until",
      "2026-11-25" }, 0 },
  { "report-fixture-empty-period",
    { "--lang", "en", "report", "tests/data/report", "--until", "2026-01-31" }, 0 },
  { "report-bad-date", { "--lang", "en", "report", "--since", "2026-02-30" }, 1, NULL, TRUE },
  /* Answers that end early leave a checkpoint; --resume finishes it. */
  { "train-answers-end",
    { "--lang", "en", "train", "land-title-digital", "--answers",
      "tests/data/train/first-three.answers", "--id", "partial" }, 2, NULL, TRUE },
  { "train-resume",
    { "--lang", "en", "train", "--resume", "partial", "--answers",
      "tests/data/train/rest.answers" }, 0 },
  { "train-resume-none", { "--lang", "en", "train", "--resume", "partial" }, 2, NULL, TRUE },
  { "train-bad-answer",
    { "--lang", "en", "train", "land-title-digital", "--answers",
      "tests/data/train/bad.answers", "--id", "bad" }, 2, NULL, TRUE },
  { "train-unknown-scenario", { "--lang", "en", "train", "no-such-scenario" }, 2, NULL, TRUE },
  { "train-demo-and-answers",
    { "--lang", "en", "train", "land-title-digital", "--demo", "--answers", "x" }, 1, NULL,
    TRUE },
  { "train-menu-eof", { "--lang", "en", "train" }, 0 },
  { "train-resume-seed", { "--lang", "en", "train", "--resume", "--seed", "3" }, 1, NULL, TRUE },
  { "train-bad-id",
    { "--lang", "en", "train", "land-title-digital", "--id", "../escape" }, 1, NULL, TRUE },
  { "train-help", { "--lang", "en", "train", "--help" }, 0, NULL, FALSE, "--answers=FILE" },
};

static char **
child_env (const char *extra, const char *data_home)
{
  char **env = g_get_environ ();
  env = g_environ_setenv (env, "XDG_DATA_HOME", data_home, TRUE);
  const char *drop[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };
  for (guint i = 0; i < G_N_ELEMENTS (drop); i++)
    env = g_environ_unsetenv (env, drop[i]);
  if (extra != NULL)
    {
      g_auto (GStrv) kv = g_strsplit (extra, "=", 2);
      env = g_environ_setenv (env, kv[0], kv[1], TRUE);
    }
  return env;
}

static gboolean
same_as_golden (const char *name, const char *ext, const char *got)
{
  g_autofree char *file = g_strdup_printf ("golden/cli/%s.%s", name, ext);
  g_autofree char *path = psim_test_data (file);
  if (g_getenv ("PSIM_UPDATE_GOLDEN") != NULL)
    {
      g_autofree char *src = g_build_filename (g_getenv ("PSIM_SOURCE_ROOT"), "tests/data", file, NULL);
      return g_file_set_contents (src, got, -1, NULL);
    }
  g_autofree char *expected = NULL;
  if (!g_file_get_contents (path, &expected, NULL, NULL))
    {
      g_printerr ("\n%s: no golden file %s\n", name, path);
      return FALSE;
    }
  if (strcmp (expected, got) == 0)
    return TRUE;
  g_printerr ("\n%s.%s differs from the golden file; got:\n%s\n", name, ext, got);
  return FALSE;
}

/* Removes @dir and everything in it. */
static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

static gint
strcmp_pointers (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* @text with every @from replaced by @to. (transfer full) */
static char *
replace_all (const char *text, const char *from, const char *to)
{
  g_auto (GStrv) parts = g_strsplit (text, from, -1);
  return g_strjoinv (to, parts);
}

static void
test_cli_cases (void)
{
  const char *exe = g_getenv ("PROCSIM_EXE");
  const char *root = g_getenv ("PSIM_SOURCE_ROOT");
  CU_ASSERT_FATAL (exe != NULL && root != NULL);
  g_autofree char *data_home = g_dir_make_tmp ("procsim-cli-XXXXXX", NULL);
  CU_ASSERT_FATAL (data_home != NULL);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      const CliCase *k = &cases[c];
      g_autoptr (GPtrArray) argv = g_ptr_array_new ();
      g_ptr_array_add (argv, (gpointer) exe);
      for (guint i = 0; i < G_N_ELEMENTS (k->args) && k->args[i] != NULL; i++)
        g_ptr_array_add (argv, (gpointer) k->args[i]);
      g_ptr_array_add (argv, NULL);
      g_auto (GStrv) env = child_env (k->env, data_home);
      g_autofree char *raw_out = NULL;
      g_autofree char *raw_err = NULL;
      int wait = 0;
      g_autoptr (GError) error = NULL;
      /* Standard input is /dev/null: a command that reads it sees its end. */
      gboolean spawned = g_spawn_sync (root, (char **) argv->pdata, env, G_SPAWN_STDIN_FROM_DEV_NULL, NULL,
                                       NULL, &raw_out, &raw_err, &wait, &error);
      CU_ASSERT_FATAL (spawned);
      g_autofree char *out = replace_all (raw_out, data_home, "$XDG_DATA_HOME");
      g_autofree char *err = replace_all (raw_err, data_home, "$XDG_DATA_HOME");
      int status = WIFEXITED (wait) ? WEXITSTATUS (wait) : -1;
      gboolean ok = status == k->status;
      if (!ok)
        g_printerr ("\n%s: exit status %d, expected %d\n", k->name, status, k->status);

      if (k->out_contains != NULL)
        {
          if (strstr (out, k->out_contains) == NULL)
            {
              g_printerr ("\n%s: stdout lacks '%s':\n%s\n", k->name, k->out_contains, out);
              ok = FALSE;
            }
        }
      else if (out[0] != '\0' || k->status == 0)
        ok &= same_as_golden (k->name, "out", out);

      if (k->golden_err)
        ok &= same_as_golden (k->name, "err", err);
      else if (k->err_contains != NULL ? strstr (err, k->err_contains) == NULL : err[0] != '\0')
        {
          g_printerr ("\n%s: unexpected stderr:\n%s\n", k->name, err);
          ok = FALSE;
        }
      if (!ok)
        CU_FAIL (k->name);
    }
  remove_tree (data_home);
}

static void
test_cli_deterministic (void)
{
  /* The same input gives the same bytes. */
  const char *exe = g_getenv ("PROCSIM_EXE");
  const char *root = g_getenv ("PSIM_SOURCE_ROOT");
  char *argv[] = { (char *) exe, "--lang", "en", "show", "workflows/land-title-transfer.xml",
                   "--format", "json", NULL };
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  CU_ASSERT_FATAL (g_spawn_sync (root, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &first, NULL,
                                 NULL, NULL));
  CU_ASSERT_FATAL (g_spawn_sync (root, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &second, NULL,
                                 NULL, NULL));
  CU_ASSERT_STRING_EQUAL (first, second);
  CU_ASSERT (strlen (first) > 100);
}

/* render writes its file whole or not at all: a failure leaves an existing
 * file as it was and creates none. */
/* Output to a FIFO (or a device such as /dev/null) goes into it: it is
 * not replaced by a regular file renamed over it. The FIFO is opened
 * without blocking, so a regression fails the test instead of hanging it. */
static void
test_cli_output_to_fifo (void)
{
  const char *exe = g_getenv ("PROCSIM_EXE");
  const char *root = g_getenv ("PSIM_SOURCE_ROOT");
  g_autofree char *dir = g_dir_make_tmp ("procsim-fifo-XXXXXX", NULL);
  CU_ASSERT_FATAL (dir != NULL);
  g_autofree char *fifo = g_build_filename (dir, "out", NULL);
  CU_ASSERT_FATAL (mkfifo (fifo, 0600) == 0);
  const char *commands[][8] = {
    { "render", "workflows/land-title-transfer.xml", "--variant", "digital", "-T", "dot", "-o", NULL },
    { "compare", "workflows/land-title-transfer.xml", "--format", "csv", "-o", NULL },
  };
  const char *expect[] = { "digraph", "steps,Steps,count" };
  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    {
      int fd = open (fifo, O_RDONLY | O_NONBLOCK);
      CU_ASSERT_FATAL (fd >= 0);
      g_autoptr (GPtrArray) argv = g_ptr_array_new ();
      g_ptr_array_add (argv, (gpointer) exe);
      for (guint i = 0; commands[c][i] != NULL; i++)
        g_ptr_array_add (argv, (gpointer) commands[c][i]);
      g_ptr_array_add (argv, fifo);
      g_ptr_array_add (argv, NULL);
      GPid pid = 0;
      CU_ASSERT_FATAL (g_spawn_async (root, (char **) argv->pdata, NULL,
                                      G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDERR_TO_DEV_NULL,
                                      NULL, NULL, &pid, NULL));
      g_autoptr (GString) got = g_string_new (NULL);
      gint64 until = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
      int status = -1;
      while (g_get_monotonic_time () < until)
        {
          char buf[4096];
          ssize_t n = read (fd, buf, sizeof buf);
          if (n > 0)
            g_string_append_len (got, buf, n);
          if (waitpid (pid, &status, WNOHANG) == pid)
            {
              while ((n = read (fd, buf, sizeof buf)) > 0)
                g_string_append_len (got, buf, n);
              break;
            }
          g_usleep (5000);
          status = -1;
        }
      if (status == -1)
        {
          kill (pid, SIGKILL);
          waitpid (pid, &status, 0);
          CU_FAIL ("the command did not finish");
        }
      close (fd);
      g_spawn_close_pid (pid);
      CU_ASSERT (WIFEXITED (status) && WEXITSTATUS (status) == 0);
      CU_ASSERT_PTR_NOT_NULL (strstr (got->str, expect[c]));
      GStatBuf st;
      CU_ASSERT_FATAL (g_stat (fifo, &st) == 0);
      CU_ASSERT (S_ISFIFO (st.st_mode));
    }
  g_unlink (fifo);
  g_rmdir (dir);
}

/* The files in @dir, sorted, one per line: links as "NAME -> TARGET",
 * others with their permission bits ("NAME 0640"). (transfer full) */
static char *
listing (const char *dir)
{
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  for (const char *name; d != NULL && (name = g_dir_read_name (d)) != NULL;)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *target = g_file_read_link (path, NULL);
      GStatBuf st;
      if (target != NULL)
        g_ptr_array_add (lines, g_strdup_printf ("%s -> %s", name, target));
      else if (g_lstat (path, &st) == 0)
        g_ptr_array_add (lines, g_strdup_printf ("%s %04o", name, st.st_mode & 07777));
    }
  g_ptr_array_sort (lines, strcmp_pointers);
  g_autoptr (GString) out = g_string_new (NULL);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (out, "%s\n", (char *) g_ptr_array_index (lines, i));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* -o through a symbolic link writes the link's target, which keeps its
 * permissions; the link stays a link (the temporary file renamed over it
 * replaced it with a plain file, mode 0644). A plain file keeps its
 * permissions too. No temporary file stays behind. */
static void
test_cli_output_through_link (void)
{
  g_autofree char *dir = g_dir_make_tmp ("procsim-link-XXXXXX", NULL);
  CU_ASSERT_FATAL (dir != NULL);
  g_autofree char *sub = g_build_filename (dir, "sub", NULL);
  g_autofree char *target = g_build_filename (sub, "graph.dot", NULL);
  g_autofree char *link = g_build_filename (dir, "link.dot", NULL);
  g_autofree char *chain = g_build_filename (dir, "chain.dot", NULL);
  g_autofree char *plain = g_build_filename (dir, "plain.csv", NULL);
  CU_ASSERT_FATAL (g_mkdir (sub, 0755) == 0 && g_chmod (sub, 0755) == 0);
  CU_ASSERT_FATAL (g_file_set_contents (target, "old", -1, NULL) && g_chmod (target, 0640) == 0);
  CU_ASSERT_FATAL (g_file_set_contents (plain, "old", -1, NULL) && g_chmod (plain, 0600) == 0);
  CU_ASSERT_FATAL (symlink ("sub/graph.dot", link) == 0 && symlink ("link.dot", chain) == 0);
  const char *runs[][10] = {
    { "render", "workflows/land-title-transfer.xml", "-T", "dot", "-o", link, NULL },
    { "render", "workflows/land-title-transfer.xml", "--variant", "digital", "-T", "dot", "-o",
      chain, NULL },
    { "compare", "workflows/land-title-transfer.xml", "--format", "csv", "-o", plain, NULL },
  };
  const char *expect[][2] = { { target, "digraph legacy" }, { target, "digraph digital" },
                              { plain, "steps,Steps,count" } };
  for (guint c = 0; c < G_N_ELEMENTS (runs); c++)
    {
      g_autofree char *err = NULL, *text = NULL;
      CU_ASSERT_EQUAL (psim_test_run_bounded (runs[c], 60, NULL, &err), 0);
      CU_ASSERT_STRING_EQUAL (err, "");
      CU_ASSERT_FATAL (g_file_get_contents (expect[c][0], &text, NULL, NULL));
      CU_ASSERT_PTR_NOT_NULL (strstr (text, expect[c][1]));
    }
  g_autofree char *top = listing (dir), *below = listing (sub);
  CU_ASSERT_STRING_EQUAL (top, "chain.dot -> link.dot\n"
                               "link.dot -> sub/graph.dot\n"
                               "plain.csv 0600\n"
                               "sub 0755\n");
  CU_ASSERT_STRING_EQUAL (below, "graph.dot 0640\n");
  remove_tree (dir);
}

/* The temporary file of the event log in @dir (".cases.xes.XXXXXX.tmp")
 * other than @except, or NULL. (transfer full) */
static char *
temp_of (const char *dir, const char *except)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  for (const char *name; d != NULL && (name = g_dir_read_name (d)) != NULL;)
    if (g_str_has_prefix (name, ".cases.xes.") && g_str_has_suffix (name, ".tmp")
        && (except == NULL || strcmp (name, except) != 0))
      return g_strdup (name);
  return NULL;
}

/* Starts a writer slow enough to be caught writing (the event log of
 * 20,000 simulated cases to DIR/cases.xes) and waits until its temporary
 * file is there. Returns that file's name, NULL when it never came; the
 * caller stops the writer @pid with stop_writer. (transfer full) */
static char *
spawn_slow_writer (const char *dir, GPid *pid)
{
  g_autofree char *log = g_build_filename (dir, "cases.xes", NULL);
  const char *args[] = { "simulate", "workflows/land-title-transfer.xml", "--cases", "20000",
                         "--replications", "1", "-j", "1", "--log", log, NULL };
  g_autoptr (GPtrArray) argv = psim_test_procsim_argv (args);
  *pid = 0;
  CU_ASSERT_FATAL (g_spawn_async (g_getenv ("PSIM_SOURCE_ROOT"), (char **) argv->pdata, NULL,
                                  G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL
                                      | G_SPAWN_STDERR_TO_DEV_NULL,
                                  NULL, NULL, pid, NULL));
  char *temp = NULL;
  for (guint i = 0; i < 30000 && temp == NULL; i++)
    if ((temp = temp_of (dir, NULL)) == NULL)
      g_usleep (2000);
  return temp;
}

/* Sends @signum to the writer @pid and reaps it: it died of the signal. */
static void
stop_writer (GPid pid, int signum)
{
  kill (pid, signum);
  int wait = 0;
  CU_ASSERT (waitpid (pid, &wait, 0) == pid);
  g_spawn_close_pid (pid);
  CU_ASSERT (WIFSIGNALED (wait) && WTERMSIG (wait) == signum);
}

/* A command stopped by SIGTERM or SIGINT while it writes -o or --log
 * removes its temporary file (".NAME.XXXXXX.tmp") and dies of the signal;
 * the file it would have written is not there. */
static void
test_cli_killed_output (void)
{
  const int signals[] = { SIGTERM, SIGINT };
  for (guint k = 0; k < G_N_ELEMENTS (signals); k++)
    {
      g_autofree char *dir = g_dir_make_tmp ("procsim-kill-XXXXXX", NULL);
      CU_ASSERT_FATAL (dir != NULL);
      GPid pid;
      g_autofree char *temp = spawn_slow_writer (dir, &pid);
      CU_ASSERT_PTR_NOT_NULL (temp);
      stop_writer (pid, signals[k]);
      g_autofree char *left = listing (dir);
      CU_ASSERT_STRING_EQUAL (left, "");
      remove_tree (dir);
    }
}

static void
ignore_sigxfsz (gpointer data)
{
  (void) data;
  signal (SIGXFSZ, SIG_IGN);
}

/* The record folder fills mid-session: the trainer stops at the answer it
 * could not save, says so and how to go on (exit 2), instead of playing
 * on with a checkpoint that no longer holds the session. The folder is
 * made full for the trainer alone, as the system does it: a limit on the
 * size of the files it writes (RLIMIT_FSIZE, which binds root too) set on
 * the running trainer just after its first save, so that every larger
 * checkpoint fails with EFBIG ("File too large") as a full disk fails
 * with ENOSPC. */
static void
test_cli_train_disk_full (void)
{
  g_autofree char *dir = g_dir_make_tmp ("procsim-full-XXXXXX", NULL);
  CU_ASSERT_FATAL (dir != NULL);
  const char *args[] = { "--lang", "en", "train", "land-title-digital", "--record", dir, "--id",
                         "full", NULL };
  g_autoptr (GPtrArray) argv = psim_test_procsim_argv (args);
  GPid pid = 0;
  int in_fd = -1, err_fd = -1;
  CU_ASSERT_FATAL (g_spawn_async_with_pipes (g_getenv ("PSIM_SOURCE_ROOT"), (char **) argv->pdata,
                                             NULL,
                                             G_SPAWN_DO_NOT_REAP_CHILD
                                                 | G_SPAWN_STDOUT_TO_DEV_NULL,
                                             ignore_sigxfsz, NULL, &pid, &in_fd, NULL, &err_fd,
                                             NULL));
  g_autofree char *cp = g_build_filename (dir, "full.checkpoint.json", NULL);
  for (guint i = 0; i < 3000 && !g_file_test (cp, G_FILE_TEST_EXISTS); i++)
    g_usleep (20000);
  GStatBuf st;
  CU_ASSERT_FATAL (g_stat (cp, &st) == 0);
  g_autofree char *before = NULL;
  CU_ASSERT_FATAL (g_file_get_contents (cp, &before, NULL, NULL));
  struct rlimit full = { .rlim_cur = (rlim_t) st.st_size, .rlim_max = RLIM_INFINITY };
  CU_ASSERT_FATAL (prlimit (pid, RLIMIT_FSIZE, &full, NULL) == 0);
  /* Enter twice (the briefing, the rules), then a hint: an answer that
   * the session takes and the store must keep. */
  const char *keys = "\n\nh\n";
  CU_ASSERT_FATAL (write (in_fd, keys, strlen (keys)) == (ssize_t) strlen (keys));
  /* Standard input stays open: a trainer that played on would wait for
   * the next answer, and be killed. */
  int wait = -1;
  for (guint i = 0; i < 3000 && waitpid (pid, &wait, WNOHANG) == 0; i++)
    {
      g_usleep (20000);
      wait = -1;
    }
  if (wait == -1)
    {
      kill (pid, SIGKILL);
      waitpid (pid, &wait, 0);
      CU_FAIL ("the trainer played on after a failed save");
    }
  g_spawn_close_pid (pid);
  close (in_fd);
  g_autoptr (GString) err = g_string_new (NULL);
  char buf[4096];
  for (ssize_t n; (n = read (err_fd, buf, sizeof buf)) > 0;)
    g_string_append_len (err, buf, n);
  close (err_fd);
  CU_ASSERT (WIFEXITED (wait) && WEXITSTATUS (wait) == 2);
  g_autofree char *expected = g_strdup_printf (
    "procsim train: cannot save the session: cannot write %s: File too large\n"
    "procsim train: the session stops here. %s holds it up to the answer before this one; once "
    "the folder can be written again, continue it with:\n",
    cp, cp);
  if (!g_str_has_prefix (err->str, expected))
    {
      g_printerr ("\nstderr:\n%s\n", err->str);
      CU_FAIL ("the failed save is said");
    }
  /* The checkpoint is the one before the answer, whole; nothing else was
   * left in the folder. */
  g_autofree char *after = NULL;
  CU_ASSERT_FATAL (g_file_get_contents (cp, &after, NULL, NULL));
  CU_ASSERT_STRING_EQUAL (after, before);
  g_autofree char *left = listing (dir);
  CU_ASSERT (g_str_has_prefix (left, "full.checkpoint.json ") && strchr (left, '\n')[1] == '\0');
  /* With room again, the session goes on from there. */
  const char *resume[] = { "--lang", "en", "train", "--resume", "full", "--answers",
                           "tests/data/train/first-three.answers", "--record", dir, NULL };
  g_autofree char *err2 = NULL;
  CU_ASSERT_EQUAL (psim_test_run_bounded (resume, 120, NULL, &err2), 2);
  CU_ASSERT_PTR_NOT_NULL (err2 != NULL ? strstr (err2, "the answers end before the session does")
                                       : NULL);
  remove_tree (dir);
}

/* Every stderr line procsim prints reading hostile files is its own:
 * "FILE[:LINE]: error|warning: message" or "procsim ...". libxml2 prints
 * its messages itself ("I/O error : ...", "parser error : ...") unless
 * every call is made under procsim's handlers: a scenario naming a
 * procedure that is missing, a folder or a URL, and files whose encoding
 * lies, is unknown or breaks off, through validate, list and train. */
static void
test_cli_no_raw_libxml_messages (void)
{
  const char *root = g_getenv ("PSIM_SOURCE_ROOT");
  g_autofree char *dir = g_dir_make_tmp ("procsim-xmlerr-XXXXXX", NULL);
  CU_ASSERT_FATAL (dir != NULL);
  g_autofree char *sub = g_build_filename (dir, "a-folder.xml", NULL);
  CU_ASSERT_FATAL (g_mkdir (sub, 0700) == 0);
  g_autofree char *scenario_src = g_build_filename (root, "scenarios/land-title-digital.xml", NULL);
  g_autofree char *procedure_src = g_build_filename (root, "tests/data/valid/minimal.xml", NULL);
  g_autofree char *scenario = NULL, *procedure = NULL;
  CU_ASSERT_FATAL (g_file_get_contents (scenario_src, &scenario, NULL, NULL));
  CU_ASSERT_FATAL (g_file_get_contents (procedure_src, &procedure, NULL, NULL));
  const char *href = "../workflows/land-title-transfer.xml";
  g_autofree char *workflow = g_build_filename (root, "workflows/land-title-transfer.xml", NULL);
  g_autofree char *half = g_strndup (procedure, strlen (procedure) / 2);
  struct {
    const char *name, *text, *from, *to;
  } files[] = {
    { "s-missing.xml", scenario, href, "missing.xml" },
    { "s-folder.xml", scenario, href, "a-folder.xml" },
    { "s-http.xml", scenario, href, "http://127.0.0.1:9/p.xml" },
    { "s-file-url.xml", scenario, href, "file:///nonexistent/p.xml" },
    { "s-utf16.xml", scenario, "encoding=\"UTF-8\"", "encoding=\"UTF-16\"" },
    { "s-unknown.xml", scenario, "encoding=\"UTF-8\"", "encoding=\"x-none\"" },
    { "s-euc.xml", scenario, "<title", "<title x=\"\xff\xfe\xff\xfe\"" },
    { "p-utf16.xml", procedure, "encoding=\"UTF-8\"", "encoding=\"UTF-16\"" },
    { "p-unknown.xml", procedure, "encoding=\"UTF-8\"", "encoding=\"x-none\"" },
    { "p-bad-utf8.xml", procedure, "Minimal procedure", "\xc3\x28\xa0\xa1" },
    { "p-half.xml", half, NULL, NULL },
    { "p-xsi.xml", procedure, "jurisdiction=\"VN-HN\"",
      "jurisdiction=\"VN-HN\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
      "xsi:schemaLocation=\"urn:procsim:procedure:1 /nonexistent/p.xsd\"" },
  };
  g_autoptr (GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *text = files[i].from != NULL
                                  ? replace_all (files[i].text, files[i].from, files[i].to)
                                  : g_strdup (files[i].text);
      if (files[i].name[0] == 's' && strcmp (files[i].to, "missing.xml") != 0)
        {
          /* The other scenarios name the real procedure, absolutely. */
          char *fixed = replace_all (text, href, workflow);
          g_free (text);
          text = fixed;
        }
      g_autofree char *path = g_build_filename (dir, files[i].name, NULL);
      CU_ASSERT_FATAL (g_file_set_contents (path, text, -1, NULL));
      const char *const validate[] = { "--lang", "en", "validate", path, NULL };
      const char *const train[] = { "--lang", "en", "train", path, "--demo", NULL };
      g_ptr_array_add (runs, g_strdupv ((char **) validate));
      if (files[i].name[0] == 's')
        g_ptr_array_add (runs, g_strdupv ((char **) train));
    }
  const char *const list[] = { "--lang", "en", "list", dir, NULL };
  g_ptr_array_add (runs, g_strdupv ((char **) list));
  g_autoptr (GRegex) ours = g_regex_new ("^(\\S+?(:[0-9]+)?: (error|warning): |procsim)", 0, 0,
                                         NULL);
  for (guint r = 0; r < runs->len; r++)
    {
      const char *const *args = g_ptr_array_index (runs, r);
      g_autofree char *err = NULL;
      int status = psim_test_run_bounded (args, 60, NULL, &err);
      CU_ASSERT (status == 0 || status == 2);
      g_auto (GStrv) lines = g_strsplit (err != NULL ? err : "", "\n", -1);
      for (guint l = 0; lines[l] != NULL; l++)
        if ((lines[l][0] != '\0' || lines[l + 1] != NULL)
            && !g_regex_match (ours, lines[l], 0, NULL))
          {
            g_printerr ("\n%s %s: a line not procsim's: %s\n", args[2], args[3], lines[l]);
            CU_FAIL ("every message is procsim's");
          }
    }
  remove_tree (dir);
}

/* Input files are opened without blocking and refused unless regular: a
 * FIFO with no writer (as a procedure, as the procedure a scenario names,
 * as a record) or a directory gets "not a regular file" and exit 2, at
 * once. Before, open(2) waited forever for a writer. */
static void
test_cli_input_not_regular (void)
{
  const char *root = g_getenv ("PSIM_SOURCE_ROOT");
  g_autofree char *dir = g_dir_make_tmp ("procsim-in-XXXXXX", NULL);
  CU_ASSERT_FATAL (dir != NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo.xml", NULL);
  CU_ASSERT_FATAL (mkfifo (fifo, 0600) == 0);
  /* A scenario whose <procedure href> names the FIFO. */
  g_autofree char *src = g_build_filename (root, "scenarios/land-title-digital.xml", NULL);
  g_autofree char *text = NULL;
  CU_ASSERT_FATAL (g_file_get_contents (src, &text, NULL, NULL));
  g_autofree char *hostile = replace_all (text, "../workflows/land-title-transfer.xml",
                                          "fifo.xml");
  g_autofree char *scenario = g_build_filename (dir, "scenario.xml", NULL);
  CU_ASSERT_FATAL (g_file_set_contents (scenario, hostile, -1, NULL));
  /* A record folder with a FIFO where a record would be. */
  g_autofree char *records = g_build_filename (dir, "records", NULL);
  g_autofree char *record = g_build_filename (records, "s.json", NULL);
  CU_ASSERT_FATAL (g_mkdir (records, 0700) == 0 && mkfifo (record, 0600) == 0);

  const char *runs[][8] = {
    { "validate", fifo, NULL },
    { "show", fifo, NULL },
    { "render", fifo, "-T", "dot", "-o", "-", NULL },
    { "compare", fifo, NULL },
    { "list", dir, NULL },
    { "validate", dir, NULL },
    { "validate", scenario, NULL },
    { "train", scenario, "--demo", NULL },
    { "report", records, NULL },
  };
  for (guint c = 0; c < G_N_ELEMENTS (runs); c++)
    {
      g_autofree char *err = NULL;
      int status = psim_test_run_bounded (runs[c], 30, NULL, &err);
      if (status != 2 || err == NULL || strstr (err, "not a regular file") == NULL)
        {
          g_printerr ("\n%s %s: exit %d, stderr:\n%s\n", runs[c][0], runs[c][1], status,
                      err != NULL ? err : "");
          CU_FAIL ("a file that is not regular is refused at once");
        }
    }
  g_unlink (record);
  g_rmdir (records);
  g_unlink (scenario);
  g_unlink (fifo);
  g_rmdir (dir);
}

/* A record nested 100,000 deep is refused before json-glib's recursion
 * sees it (it overflowed the stack); the other records are still read. */
static void
test_cli_report_deep_json (void)
{
  g_autofree char *dir = g_dir_make_tmp ("procsim-deep-XXXXXX", NULL);
  CU_ASSERT_FATAL (dir != NULL);
  g_autofree char *deep = g_build_filename (dir, "deep.json", NULL);
  g_autoptr (GString) text = g_string_new (NULL);
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (text, '[');
  CU_ASSERT_FATAL (g_file_set_contents (deep, text->str, -1, NULL));
  const char *args[] = { "--lang", "en", "report", dir, NULL };
  g_autofree char *err = NULL;
  CU_ASSERT_EQUAL (psim_test_run_bounded (args, 60, NULL, &err), 2);
  CU_ASSERT_PTR_NOT_NULL (err != NULL ? strstr (err, "deep.json:1: nested deeper than") : NULL);
  g_unlink (deep);
  g_rmdir (dir);
}

/* JSON output stays JSON with numbers past 10^17 (json-glib wrote 1e17 as
 * "1e+17.0"): show and compare, parsed back strictly. */
static void
test_cli_json_big_numbers (void)
{
  const char *prices[] = { "100000000000000000", "100000000000000000000" };
  for (guint p = 0; p < G_N_ELEMENTS (prices); p++)
    {
      g_autofree char *kase = g_strdup_printf ("price=%s", prices[p]);
      const char *show[] = { "show", "workflows/land-title-transfer.xml", "--case", kase,
                             "--format", "json", NULL };
      const char *compare[] = { "compare", "workflows/land-title-transfer.xml", "--case", kase,
                                "--format", "json", NULL };
      const char *const *runs[] = { show, compare };
      for (guint r = 0; r < G_N_ELEMENTS (runs); r++)
        {
          g_autofree char *out = NULL;
          CU_ASSERT_EQUAL (psim_test_run_bounded (runs[r], 60, &out, NULL), 0);
          g_autoptr (GError) error = NULL;
          g_autoptr (JsonNode) root = json_from_string (out, &error);
          if (root == NULL)
            {
              g_printerr ("\n%s %s: %s\n", runs[r][0], kase, error->message);
              CU_FAIL ("valid JSON");
            }
        }
    }
}

/* An answer line is read up to 4 KiB and one byte; longer is refused with
 * a short message, never echoed whole; a line that never ends (standard
 * input from /dev/zero grew procsim to 4 GB) ends the input. */
static void
test_cli_long_answers (void)
{
  g_autofree char *dir = g_dir_make_tmp ("procsim-long-XXXXXX", NULL);
  CU_ASSERT_FATAL (dir != NULL);
  g_autofree char *script = g_build_filename (dir, "long.answers", NULL);
  g_autoptr (GString) text = g_string_new ("# a 10 MB answer\n");
  for (guint i = 0; i < 10 * 1024 * 1024; i++)
    g_string_append_c (text, '7');
  g_string_append_c (text, '\n');
  CU_ASSERT_FATAL (g_file_set_contents (script, text->str, (gssize) text->len, NULL));
  const char *scripted[] = { "--lang", "en", "train", "land-title-digital", "--answers", script,
                             "--record", dir, "--id", "long", NULL };
  g_autofree char *out = NULL, *err = NULL;
  CU_ASSERT_EQUAL (psim_test_run_bounded (scripted, 120, &out, &err), 2);
  CU_ASSERT_PTR_NOT_NULL (err != NULL ? strstr (err, ":2: the answer is longer than 4096 bytes")
                                      : NULL);
  CU_ASSERT (err != NULL && strlen (err) < 1024);
  CU_ASSERT (out != NULL && strlen (out) < 64 * 1024);

  const char *interactive[] = { "--lang", "en", "train", "land-title-digital", "--record", dir,
                                "--id", "zero", NULL };
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  CU_ASSERT_EQUAL (psim_test_run_bounded_from (interactive, "/dev/zero", 120, &out, &err), 0);
  CU_ASSERT (out != NULL && strlen (out) < 64 * 1024);
  remove_tree (dir);
}

/* Output that cannot be written is an error: every command printing to
 * standard output exited 0 on /dev/full. */
static void
test_cli_full_output (void)
{
  const char *runs[][8] = {
    { "show", "workflows/land-title-transfer.xml", NULL },
    { "list", NULL },
    { "validate", "-v", "workflows/land-title-transfer.xml", NULL },
    { "render", "workflows/land-title-transfer.xml", "-T", "dot", "-o", "-", NULL },
    { "report", NULL },
    { "--help", NULL },
  };
  int full = open ("/dev/full", O_WRONLY | O_CLOEXEC);
  int err = open ("/dev/null", O_WRONLY | O_CLOEXEC);
  CU_ASSERT_FATAL (full >= 0 && err >= 0);
  for (guint c = 0; c < G_N_ELEMENTS (runs); c++)
    {
      g_autoptr (GPtrArray) argv = psim_test_procsim_argv (runs[c]);
      int wait = 0;
      GPid pid = 0;
      CU_ASSERT_FATAL (g_spawn_async_with_fds (g_getenv ("PSIM_SOURCE_ROOT"),
                                               (char **) argv->pdata, NULL,
                                               G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, -1,
                                               full, err, NULL));
      waitpid (pid, &wait, 0);
      g_spawn_close_pid (pid);
      if (!WIFEXITED (wait) || WEXITSTATUS (wait) != 2)
        {
          g_printerr ("\nprocsim %s > /dev/full: status %d\n", runs[c][0], wait);
          CU_FAIL ("a failed write is an error");
        }
    }
  close (full);
  close (err);
}

static void
test_cli_render_files (void)
{
  const char *exe = g_getenv ("PROCSIM_EXE");
  const char *root = g_getenv ("PSIM_SOURCE_ROOT");
  g_autofree char *dir = g_dir_make_tmp ("procsim-render-XXXXXX", NULL);
  CU_ASSERT_FATAL (dir != NULL);
  g_autofree char *svg = g_build_filename (dir, "graph.svg", NULL);
  g_autofree char *png = g_build_filename (dir, "graph.png", NULL);
  int wait = 0;

  char *ok[] = { (char *) exe, "render", "workflows/land-title-transfer.xml", "--compare",
                 "legacy,digital", "-o", svg, NULL };
  CU_ASSERT_FATAL (g_spawn_sync (root, ok, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                                 NULL, &wait, NULL));
  CU_ASSERT (WIFEXITED (wait) && WEXITSTATUS (wait) == 0);
  g_autofree char *content = NULL;
  CU_ASSERT_FATAL (g_file_get_contents (svg, &content, NULL, NULL));
  CU_ASSERT (g_str_has_prefix (content, "<?xml"));

  char *bad[] = { (char *) exe, "render", "workflows/land-title-transfer.xml", "--highlight",
                  "nope", "-o", svg, NULL };
  CU_ASSERT_FATAL (g_spawn_sync (root, bad, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL,
                                 NULL, &wait, NULL));
  CU_ASSERT (WIFEXITED (wait) && WEXITSTATUS (wait) == 1);
  g_autofree char *after = NULL;
  CU_ASSERT_FATAL (g_file_get_contents (svg, &after, NULL, NULL));
  CU_ASSERT_STRING_EQUAL (after, content);

  char *bad_png[] = { (char *) exe, "render", "workflows/land-title-transfer.xml",
                      "--highlight", "nope", "-o", png, NULL };
  CU_ASSERT_FATAL (g_spawn_sync (root, bad_png, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                                 NULL, NULL, &wait, NULL));
  CU_ASSERT (!g_file_test (png, G_FILE_TEST_EXISTS));

  /* Only the one file is ever there: no temporary left behind. */
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;
  for (const char *name; (name = g_dir_read_name (d)) != NULL;)
    n++;
  CU_ASSERT_EQUAL (n, 1);
  g_unlink (svg);
  g_rmdir (dir);
}

/* Runs procsim in the source root; its standard output and error in
 * @out and @err. Returns the exit status. */
static int
run_procsim (const char *const *args, char **out, char **err)
{
  const char *exe = g_getenv ("PROCSIM_EXE");
  const char *root = g_getenv ("PSIM_SOURCE_ROOT");
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) exe);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  int wait = 0;
  if (!g_spawn_sync (root, (char **) argv->pdata, NULL, G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL,
                     out, err, &wait, NULL))
    return -1;
  return WIFEXITED (wait) ? WEXITSTATUS (wait) : -1;
}

static void
age (const char *dir, const char *name, long seconds)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  struct utimbuf t = { .actime = time (NULL) - seconds, .modtime = time (NULL) - seconds };
  CU_ASSERT_EQUAL (utime (path, &t), 0);
}

/* A writer killed by SIGKILL (no handler runs) leaves its
 * ".NAME.XXXXXX.tmp"; the next -o to that file removes it once it is a
 * minute old, and never the temporary file of a writer still alive (it
 * holds its lock), however old. */
static void
test_cli_stale_temps (void)
{
  g_autofree char *dir = g_dir_make_tmp ("procsim-stale-XXXXXX", NULL);
  CU_ASSERT_FATAL (dir != NULL);
  g_autofree char *log = g_build_filename (dir, "cases.xes", NULL);
  GPid pid;
  g_autofree char *dead = spawn_slow_writer (dir, &pid);
  CU_ASSERT_PTR_NOT_NULL_FATAL (dead);
  stop_writer (pid, SIGKILL);

  /* Fresh: kept (its writer might be between creating and locking it). */
  const char *render[] = { "render", "land-title-transfer", "-T", "dot", "-o", log, NULL };
  CU_ASSERT_EQUAL (run_procsim (render, NULL, NULL), 0);
  g_autofree char *kept = temp_of (dir, NULL);
  CU_ASSERT_STRING_EQUAL (kept, dead);

  /* A live writer's, as old: this process holds one. */
  g_autofree char *live_path = NULL;
  int fd = psim_file_create_temp (log, &live_path, NULL);
  CU_ASSERT_FATAL (fd >= 0);
  g_autofree char *live = g_path_get_basename (live_path);
  age (dir, dead, 120);
  age (dir, live, 3600);
  CU_ASSERT_EQUAL (run_procsim (render, NULL, NULL), 0);
  g_autofree char *left = temp_of (dir, NULL);
  CU_ASSERT_STRING_EQUAL (left, live);
  g_autofree char *other = temp_of (dir, live);
  CU_ASSERT_PTR_NULL (other);
  g_autofree char *dot = NULL;
  CU_ASSERT_TRUE (g_file_get_contents (log, &dot, NULL, NULL) && g_str_has_prefix (dot, "digraph"));
  close (fd);
  /* Its writer gone, it goes too. */
  CU_ASSERT_EQUAL (psim_file_remove_stale_temps (log), 1);
  g_autofree char *none = temp_of (dir, NULL);
  CU_ASSERT_PTR_NULL (none);
  remove_tree (dir);
}

/* render --highlight SESSION draws a trainee's path from the session's
 * record: the old steps taken as ghosts with wrong turns into them. */
static void
test_cli_render_session (void)
{
  g_autofree char *dir = g_dir_make_tmp ("procsim-session-XXXXXX", NULL);
  CU_ASSERT_FATAL (dir != NULL);
  const char *train[] = { "--lang", "en", "train", "land-title-digital", "--answers",
                          "tests/data/train/land-title-digital.mistakes", "--record", dir,
                          "--id", "s1", NULL };
  g_autofree char *tout = NULL, *terr = NULL;
  CU_ASSERT_EQUAL_FATAL (run_procsim (train, &tout, &terr), 0);
  g_autofree char *record = g_build_filename (dir, "s1.json", NULL);
  g_autofree char *xapi = g_build_filename (dir, "s1.xapi.json", NULL);
  CU_ASSERT_FATAL (g_file_test (record, G_FILE_TEST_IS_REGULAR));

  const char *render[] = { "--lang", "en", "render", "land-title-transfer", "--highlight", record,
                           "-T", "dot", "-o", "-", NULL };
  g_autofree char *out = NULL, *err = NULL;
  CU_ASSERT_EQUAL (run_procsim (render, &out, &err), 0);
  /* The session trained the digital variant; its first move was to the
   * commune office of the paper path, then the identity check. */
  CU_ASSERT_PTR_NOT_NULL (strstr (out, "digraph digital"));
  CU_ASSERT_PTR_NOT_NULL (strstr (out, "\"ghost:legacy:civil-status\""));
  CU_ASSERT_PTR_NOT_NULL (strstr (out, "(1) Obtain a marital-status"));
  CU_ASSERT_PTR_NOT_NULL (strstr (out, "(2) Identity and marital"));
  CU_ASSERT_PTR_NOT_NULL (strstr (out, "\"ghost:legacy:civil-status\" -> \"id-check\""));

  const char *other[] = { "--lang", "en", "render", "business-registration", "--highlight",
                          record, "-T", "dot", "-o", "-", NULL };
  g_autofree char *out2 = NULL, *err2 = NULL;
  CU_ASSERT_EQUAL (run_procsim (other, &out2, &err2), 1);
  CU_ASSERT_PTR_NOT_NULL (strstr (err2, "is a session of procedure 'land-title-transfer'"));
  CU_ASSERT_STRING_EQUAL (out2, "");

  const char *not_record[] = { "--lang", "en", "render", "land-title-transfer", "--highlight",
                               xapi, "-T", "dot", "-o", "-", NULL };
  g_autofree char *out3 = NULL, *err3 = NULL;
  CU_ASSERT_EQUAL (run_procsim (not_record, &out3, &err3), 1);
  CU_ASSERT_PTR_NOT_NULL (strstr (err3, "not a procsim session record"));
  remove_tree (dir);
}

/* Rewrites member @member of the "scenario" object of checkpoint @path. */
static void
set_checkpoint_scenario_member (const char *path, const char *member, const char *value)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  CU_ASSERT_FATAL (json_parser_load_from_file (parser, path, NULL));
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  json_object_set_string_member (json_object_get_object_member (root, "scenario"), member, value);
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  json_generator_set_root (gen, json_parser_get_root (parser));
  CU_ASSERT_FATAL (json_generator_to_file (gen, path, NULL));
}

/* Sessions are kept by the library's folder store: a checkpoint names its
 * scenario by id and checksum, so a bundled scenario resumes even when
 * the file the checkpoint names is gone (an installation moved); a
 * checkpoint of a scenario in no catalogue resumes from the file it names
 * (as every checkpoint did before); and a session that one trainer runs
 * cannot be resumed by a second one at the same time. */
static void
test_cli_sessions (void)
{
  g_autofree char *dir = g_dir_make_tmp ("procsim-sessions-XXXXXX", NULL);
  CU_ASSERT_FATAL (dir != NULL);
  const char *first[] = { "--lang", "en", "train", "land-title-digital", "--answers",
                          "tests/data/train/first-three.answers", "--record", dir, "--id",
                          "moved", NULL };
  CU_ASSERT_EQUAL_FATAL (psim_test_run_bounded (first, 120, NULL, NULL), 2);
  g_autofree char *moved = g_build_filename (dir, "moved.checkpoint.json", NULL);
  set_checkpoint_scenario_member (moved, "file", "/nonexistent/scenarios/land-title-digital.xml");
  const char *rest[] = { "--lang", "en", "train", "--resume", "moved", "--answers",
                         "tests/data/train/rest.answers", "--record", dir, NULL };
  g_autofree char *out = NULL, *err = NULL;
  CU_ASSERT_EQUAL (psim_test_run_bounded (rest, 120, &out, &err), 0);
  CU_ASSERT_STRING_EQUAL (err, "");
  CU_ASSERT_FALSE (g_file_test (moved, G_FILE_TEST_EXISTS));
  g_autofree char *record = g_build_filename (dir, "moved.json", NULL);
  CU_ASSERT_TRUE (g_file_test (record, G_FILE_TEST_IS_REGULAR));

  /* The same id with a changed checksum and no file: refused, kept. */
  const char *again[] = { "--lang", "en", "train", "land-title-digital", "--answers",
                          "tests/data/train/first-three.answers", "--record", dir, "--id",
                          "changed", NULL };
  CU_ASSERT_EQUAL_FATAL (psim_test_run_bounded (again, 120, NULL, NULL), 2);
  g_autofree char *changed = g_build_filename (dir, "changed.checkpoint.json", NULL);
  set_checkpoint_scenario_member (changed, "checksum", "0000");
  set_checkpoint_scenario_member (changed, "file", "/nonexistent/land-title-digital.xml");
  const char *resume_changed[] = { "--lang", "en", "train", "--resume", "changed", "--answers",
                                   "tests/data/train/rest.answers", "--record", dir, NULL };
  g_clear_pointer (&err, g_free);
  CU_ASSERT_EQUAL (psim_test_run_bounded (resume_changed, 120, NULL, &err), 2);
  CU_ASSERT_PTR_NOT_NULL (err != NULL ? strstr (err, "scenario 'land-title-digital' has changed "
                                                     "since the checkpoint was saved")
                                      : NULL);
  CU_ASSERT_TRUE (g_file_test (changed, G_FILE_TEST_EXISTS));

  /* A scenario in no catalogue: found by the file the checkpoint names. */
  const char *own[] = { "--lang", "en", "train", "tests/data/scenarios/engine.xml", "--answers",
                        "/dev/null", "--record", dir, "--id", "own", NULL };
  CU_ASSERT_EQUAL_FATAL (psim_test_run_bounded (own, 120, NULL, NULL), 2);
  g_autofree char *quit = g_build_filename (dir, "quit.answers", NULL);
  CU_ASSERT_FATAL (g_file_set_contents (quit, "q\n", -1, NULL));
  const char *own_q[] = { "--lang", "en", "train", "--resume", "own", "--answers",
                          quit, "--record", dir, NULL };
  g_clear_pointer (&err, g_free);
  CU_ASSERT_EQUAL (psim_test_run_bounded (own_q, 120, NULL, &err), 0);
  CU_ASSERT_STRING_EQUAL (err, "");

  /* Two trainers on one session: the first waits at its first screen,
   * holding the session; the second is refused and changes nothing. */
  const char *hold[] = { "--lang", "en", "train", "--resume", "own", "--record", dir, NULL };
  g_autoptr (GPtrArray) argv = psim_test_procsim_argv (hold);
  GPid pid = 0;
  int in_fd = -1;
  CU_ASSERT_FATAL (g_spawn_async_with_pipes (g_getenv ("PSIM_SOURCE_ROOT"), (char **) argv->pdata,
                                             NULL,
                                             G_SPAWN_DO_NOT_REAP_CHILD
                                                 | G_SPAWN_STDOUT_TO_DEV_NULL
                                                 | G_SPAWN_STDERR_TO_DEV_NULL,
                                             NULL, NULL, &pid, &in_fd, NULL, NULL, NULL));
  g_autofree char *lock = g_build_filename (dir, "own.lock", NULL);
  for (guint i = 0; i < 1000 && !g_file_test (lock, G_FILE_TEST_EXISTS); i++)
    g_usleep (20000);
  CU_ASSERT_TRUE (g_file_test (lock, G_FILE_TEST_EXISTS));
  g_autofree char *own_cp = g_build_filename (dir, "own.checkpoint.json", NULL);
  g_autofree char *before = NULL, *after = NULL;
  CU_ASSERT_FATAL (g_file_get_contents (own_cp, &before, NULL, NULL));
  const char *second[] = { "--lang", "en", "train", "--resume", "own", "--answers",
                           quit, "--record", dir, NULL };
  g_clear_pointer (&err, g_free);
  CU_ASSERT_EQUAL (psim_test_run_bounded (second, 120, NULL, &err), 2);
  CU_ASSERT_STRING_EQUAL (err, "procsim train: session 'own' is open in another procsim train; "
                               "only one can run it at a time\n");
  CU_ASSERT_FATAL (g_file_get_contents (own_cp, &after, NULL, NULL));
  CU_ASSERT_STRING_EQUAL (before, after);
  /* The first one stops at the end of its input, and lets go. */
  close (in_fd);
  int wait = 0;
  CU_ASSERT (waitpid (pid, &wait, 0) == pid && WIFEXITED (wait) && WEXITSTATUS (wait) == 0);
  g_spawn_close_pid (pid);
  CU_ASSERT_FALSE (g_file_test (lock, G_FILE_TEST_EXISTS));
  g_clear_pointer (&err, g_free);
  CU_ASSERT_EQUAL (psim_test_run_bounded (second, 120, NULL, &err), 0);
  remove_tree (dir);
}

int
main (void)
{
  static const PsimTest tests[] = {
    { "CLI output matches the golden files", test_cli_cases },
    { "CLI output is deterministic", test_cli_deterministic },
    { "render writes whole files or none", test_cli_render_files },
    { "render draws a session record's path", test_cli_render_session },
    { "output to a FIFO goes into it", test_cli_output_to_fifo },
    { "output through a link writes its target", test_cli_output_through_link },
    { "a command killed while writing leaves no temporary file", test_cli_killed_output },
    { "temporary files of killed writers removed by the next -o, never a live one's",
      test_cli_stale_temps },
    { "input that is not a regular file is refused", test_cli_input_not_regular },
    { "libxml2 prints nothing of its own", test_cli_no_raw_libxml_messages },
    { "report refuses JSON nested too deep", test_cli_report_deep_json },
    { "JSON output with big numbers is JSON", test_cli_json_big_numbers },
    { "answer lines are capped", test_cli_long_answers },
    { "output that cannot be written is an error", test_cli_full_output },
    { "sessions: by scenario id, one trainer at a time", test_cli_sessions },
    { "a record folder that fills stops the trainer", test_cli_train_disk_full },
    { NULL, NULL },
  };
  return psim_test_run ("cli", tests);
}
