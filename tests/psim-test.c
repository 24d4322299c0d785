/* psim-test.c — helpers shared by the CUnit programs (see psim-test.h). */
#include "psim-test.h"

#include <glib/gstdio.h>

#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *
env_dir (const char *var)
{
  const char *dir = g_getenv (var);
  if (dir == NULL)
    g_error ("%s is not set: run the tests through `meson test`", var);
  return dir;
}

char *
psim_test_data (const char *relative)
{
  return g_build_filename (env_dir ("PSIM_TEST_DATA"), relative, NULL);
}

char *
psim_test_data_replace (const char *relative, const char *from, const char *to)
{
  g_autofree char *path = psim_test_data (relative);
  g_autofree char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    g_error ("cannot read %s", path);
  g_auto (GStrv) parts = g_strsplit (text, from, 2);
  if (parts[0] == NULL || parts[1] == NULL)
    g_error ("%s has no '%s'", path, from);
  return g_strconcat (parts[0], to, parts[1], NULL);
}

char *
psim_test_workflow (const char *name)
{
  return g_build_filename (env_dir ("PSIM_WORKFLOWS"), name, NULL);
}

static int
compare_paths (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

GPtrArray *
psim_test_list (const char *dir, const char *suffix)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  for (const char *name; d != NULL && (name = g_dir_read_name (d)) != NULL;)
    if (g_str_has_suffix (name, suffix))
      g_ptr_array_add (files, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (files, compare_paths);
  return files;
}

char *
psim_test_join_diagnostics (const GPtrArray *diags)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < diags->len; i++)
    {
      g_autofree char *line = psim_diagnostic_to_string (g_ptr_array_index (diags, i), "en");
      g_string_append_printf (s, "%s\n", line);
    }
  return g_string_free (s, FALSE);
}

PsimProcedure *
psim_test_load_clean (const char *path)
{
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  g_autoptr (GError) error = NULL;
  PsimProcedure *proc = psim_load_file (path, "en", diags, &error);
  if (diags->len > 0)
    {
      g_autofree char *text = psim_test_join_diagnostics (diags);
      g_printerr ("\n%s", text);
    }
  CU_ASSERT_PTR_NOT_NULL (proc);
  CU_ASSERT_EQUAL (diags->len, 0);
  return proc;
}

int
psim_test_run (const char *suite_name, const PsimTest *tests)
{
  /* Messages are asserted in English. */
  g_setenv ("LANGUAGE", "en", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  if (CU_initialize_registry () != CUE_SUCCESS)
    return 1;
  CU_pSuite suite = CU_add_suite (suite_name, NULL, NULL);
  for (const PsimTest *t = tests; t->name != NULL; t++)
    CU_add_test (suite, t->name, t->func);
  CU_basic_set_mode (CU_BRM_VERBOSE);
  CU_basic_run_tests ();
  unsigned failures = CU_get_number_of_failures () + CU_get_number_of_tests_failed ();
  CU_cleanup_registry ();
  return failures == 0 ? 0 : 1;
}

GPtrArray *
psim_test_procsim_argv (const char *const *args)
{
  GPtrArray *argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) env_dir ("PROCSIM_EXE"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  return argv;
}

/* A temporary file opened for the child's output, or /dev/null when the
 * caller does not want it. */
static int
open_capture (char **path)
{
  if (path == NULL)
    return open ("/dev/null", O_WRONLY | O_CLOEXEC);
  return g_file_open_tmp ("procsim-out-XXXXXX", path, NULL);
}

static void
collect_capture (char *path, char **text)
{
  if (path == NULL)
    return;
  if (!g_file_get_contents (path, text, NULL, NULL))
    *text = g_strdup ("");
  g_unlink (path);
  g_free (path);
}

int
psim_test_run_bounded (const char *const *args, guint seconds, char **out, char **err)
{
  return psim_test_run_bounded_from (args, "/dev/null", seconds, out, err);
}

int
psim_test_run_bounded_from (const char *const *args, const char *input, guint seconds,
                            char **out, char **err)
{
  g_autoptr (GPtrArray) argv = psim_test_procsim_argv (args);
  char *out_path = NULL, *err_path = NULL;
  int in_fd = open (input, O_RDONLY | O_CLOEXEC);
  int out_fd = open_capture (out != NULL ? &out_path : NULL);
  int err_fd = open_capture (err != NULL ? &err_path : NULL);
  g_assert (in_fd >= 0 && out_fd >= 0 && err_fd >= 0);
  GPid pid = 0;
  gboolean spawned = g_spawn_async_with_fds (env_dir ("PSIM_SOURCE_ROOT"), (char **) argv->pdata,
                                             NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                                             in_fd, out_fd, err_fd, NULL);
  close (in_fd);
  close (out_fd);
  close (err_fd);
  g_assert (spawned);
  int wait = 0;
  gint64 until = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  gboolean done = FALSE;
  while (!(done = waitpid (pid, &wait, WNOHANG) == pid) && g_get_monotonic_time () < until)
    g_usleep (10000);
  if (!done)
    {
      kill (pid, SIGKILL);
      waitpid (pid, &wait, 0);
      g_printerr ("\nprocsim %s: killed after %u s\n", args[0], seconds);
    }
  g_spawn_close_pid (pid);
  collect_capture (out_path, out);
  collect_capture (err_path, err);
  return done && WIFEXITED (wait) ? WEXITSTATUS (wait) : -1;
}
