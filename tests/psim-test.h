/* psim-test.h — what the CUnit programs share: where the test data is, and
 * a runner. Test data is found through PSIM_TEST_DATA (tests/data) and
 * PSIM_WORKFLOWS (the bundled workflows), set by tests/meson.build.
 */
#pragma once

#include <CUnit/Basic.h>
#include <procsim/procsim.h>

typedef struct {
  const char *name;
  CU_TestFunc func;
} PsimTest;

/* Path under PSIM_TEST_DATA. (transfer full) */
char *psim_test_data (const char *relative);
/* The text of the file @relative under PSIM_TEST_DATA with its first @from
 * replaced by @to: a fixture turned hostile. (transfer full) */
char *psim_test_data_replace (const char *relative, const char *from, const char *to);
/* Path under PSIM_WORKFLOWS. (transfer full) */
char *psim_test_workflow (const char *name);
/* Sorted paths of the files in @dir ending in @suffix. (transfer full) */
GPtrArray *psim_test_list (const char *dir, const char *suffix);
/* Loads a file that must load without any diagnostic. */
PsimProcedure *psim_test_load_clean (const char *path);
/* Diagnostics joined one per line, as the CLI prints them. (transfer full) */
char *psim_test_join_diagnostics (const GPtrArray *diags);
/* "$PROCSIM_EXE" followed by @args (NULL-terminated), NULL-terminated for
 * g_spawn_*. (transfer container) */
GPtrArray *psim_test_procsim_argv (const char *const *args);
/* Runs procsim with @args from the source root, standard input from
 * /dev/null, and waits at most @seconds: a command that blocks is killed
 * and the caller fails instead of hanging. Returns the exit status, or -1
 * when killed or crashed; standard output and error in @out and @err
 * (nullable; transfer full). */
int psim_test_run_bounded (const char *const *args, guint seconds, char **out, char **err);
/* Same with standard input read from the file @input. */
int psim_test_run_bounded_from (const char *const *args, const char *input, guint seconds,
                                char **out, char **err);
/* Runs one suite; returns the process exit status. */
int psim_test_run (const char *suite, const PsimTest *tests);
