/* procsim.c — the command-line front-end: sets up the language and the
 * bundled-file location, then dispatches to one file per subcommand.
 * Errors are reported by the subcommands; exit statuses are 0 (ok),
 * 1 (usage) and 2 (bad input).
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const struct {
  const char *name;
  CliCommand run;
  const char *summary;
} commands[] = {
  { "validate", cli_validate, N_("Check procedure files against the schema and the semantic rules") },
  { "show", cli_show, N_("Show the steps of one variant for a case, with totals") },
  { "list", cli_list, N_("List the bundled procedures and their variants") },
  { "render", cli_render, N_("Draw a variant's process graph, or two side by side") },
  { "compare", cli_compare, N_("Compare two variants figure by figure, for reformers") },
  { "simulate", cli_simulate, N_("Simulate many cases with queues, calendar and legal limits, with confidence intervals") },
  { "train", cli_train, N_("Rehearse a procedure step by step: a scored training scenario") },
  { "report", cli_report, N_("Summarise training records for a trainer") },
  { "serve", cli_serve, N_("Serve the browser trainer, with accounts and a database") },
  { "users", cli_users, N_("Add the server's users, one by one or from a CSV file") },
  { "import", cli_import, N_("Map a BPMN 2.0 model to a procedure file") },
  { "export", cli_export, N_("Write a procedure as BPMN 2.0, laid out, with BPSim parameters") },
};

/* --lang is read before anything else so that every message, --help
 * included, comes out in the chosen language. */
static const char *
find_lang (int argc, char **argv, gboolean *given)
{
  *given = TRUE;
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--") == 0)
        break;
      if (strcmp (argv[i], "--lang") == 0 && i + 1 < argc)
        return argv[i + 1];
      if (g_str_has_prefix (argv[i], "--lang="))
        return argv[i] + strlen ("--lang=");
    }
  *given = FALSE;
  /* Default from the locale: Vietnamese if the user's messages are. */
  const char *vars[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };
  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    {
      const char *v = g_getenv (vars[i]);
      if (v != NULL && *v != '\0')
        return g_str_has_prefix (v, "vi") ? "vi" : "en";
    }
  return "en";
}

/* Where the bundled files and the message catalogues are: where `meson
 * install` put them, unless this program runs from its build folder, where
 * the build wrote procsim-uninstalled.ini beside it with the source and
 * build trees' paths (none of them is compiled in). PROCSIM_DATADIR
 * overrides both. (transfer full) (nullable): the file's keys, when it is
 * there. */
static GKeyFile *
uninstalled_paths (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe == NULL)
    return NULL;
  g_autofree char *dir = g_path_get_dirname (exe);
  g_autofree char *ini = g_build_filename (dir, "procsim-uninstalled.ini", NULL);
  GKeyFile *keys = g_key_file_new ();
  if (!g_key_file_load_from_file (keys, ini, G_KEY_FILE_NONE, NULL))
    {
      g_key_file_unref (keys);
      return NULL;
    }
  return keys;
}

/* @key of the uninstalled paths, else @installed. (transfer full) */
static char *
path_of (GKeyFile *uninstalled, const char *key, const char *installed)
{
  char *path = uninstalled != NULL ? g_key_file_get_string (uninstalled, "uninstalled", key, NULL)
                                   : NULL;
  return path != NULL ? path : g_strdup (installed);
}

static void
setup_language (const char *lang, GKeyFile *uninstalled)
{
  setlocale (LC_ALL, "");
  /* gettext ignores LANGUAGE under the C locale, and GLib would convert
   * output to ASCII; a fresh machine has no other locale than C.UTF-8. */
  const char *messages = setlocale (LC_MESSAGES, NULL);
  if (messages == NULL || strcmp (messages, "C") == 0 || strcmp (messages, "POSIX") == 0)
    setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", lang, TRUE);
  g_autofree char *localedir = path_of (uninstalled, "localedir", PROCSIM_LOCALEDIR);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

static void
cli_env_clear (CliEnv *env)
{
  g_free (env->workflows_dir);
  g_free (env->scenarios_dir);
}

static int
print_main_help (FILE *out)
{
  g_autoptr (GString) s = g_string_new (NULL);
  g_string_append_printf (s, _("Usage:\n  procsim [--lang vi|en] COMMAND [OPTION…] [ARG…]\n\n"));
  g_string_append (s, _("Rehearse, inspect and compare digitised administrative procedures.\n\n"));
  g_string_append (s, _("Commands:\n"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (s, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  g_string_append (s, _("\nGlobal options:\n"
                        "  --lang=vi|en   Language of messages and content (default: from the locale)\n"
                        "  --version      Print the version and exit\n"
                        "  -h, --help     Show this help; COMMAND --help shows a command's options\n"));
  fputs (s->str, out);
  return out == stdout ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}

/* What the commands print goes through stdio's buffer: a full disk, a
 * closed descriptor or /dev/full shows only when it is flushed, after the
 * command has returned. Checked here, once for every command: a failed
 * write is an error (exit status 2), never a silent 0. */
static int
flush_output (int status)
{
  errno = 0;
  if (fflush (stdout) == 0 && !ferror (stdout))
    return status;
  int saved = errno != 0 ? errno : EIO;
  g_printerr (_("procsim: cannot write to standard output: %s\n"), g_strerror (saved));
  return status == CLI_EXIT_OK ? CLI_EXIT_INVALID : status;
}

int
main (int argc, char **argv)
{
  gboolean lang_given = FALSE;
  const char *lang = find_lang (argc, argv, &lang_given);
  g_autoptr (GKeyFile) uninstalled = uninstalled_paths ();
  if (strcmp (lang, "vi") != 0 && strcmp (lang, "en") != 0)
    {
      setup_language ("en", uninstalled);
      g_printerr (_("procsim: unknown language '%s' (use vi or en)\n"), lang);
      return CLI_EXIT_USAGE;
    }
  setup_language (lang, uninstalled);

  const char *datadir = g_getenv ("PROCSIM_DATADIR");
  CliEnv env = {
    .lang = lang,
    .lang_given = lang_given,
    .workflows_dir = datadir != NULL ? g_build_filename (datadir, "workflows", NULL)
                     : path_of (uninstalled, "workflows", PROCSIM_WORKFLOWS),
    .scenarios_dir = datadir != NULL ? g_build_filename (datadir, "scenarios", NULL)
                     : path_of (uninstalled, "scenarios", PROCSIM_SCENARIOS),
  };

  /* Global options come before the command. */
  int i = 1;
  while (i < argc && argv[i][0] == '-')
    {
      if (strcmp (argv[i], "--version") == 0)
        {
          g_print ("procsim %s\n", psim_version ());
          cli_env_clear (&env);
          return CLI_EXIT_OK;
        }
      if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
        {
          cli_env_clear (&env);
          return flush_output (print_main_help (stdout));
        }
      if (strcmp (argv[i], "--lang") == 0)
        i += 2;
      else if (g_str_has_prefix (argv[i], "--lang="))
        i += 1;
      else
        {
          g_printerr (_("procsim: unknown option '%s'\n"), argv[i]);
          cli_env_clear (&env);
          return print_main_help (stderr);
        }
    }
  if (i >= argc)
    {
      cli_env_clear (&env);
      return print_main_help (stderr);
    }

  int status = -1;
  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    if (strcmp (argv[i], commands[c].name) == 0)
      status = commands[c].run (argc - i, argv + i, &env);
  if (status < 0)
    {
      g_printerr (_("procsim: unknown command '%s'\n"), argv[i]);
      status = print_main_help (stderr);
    }
  cli_env_clear (&env);
  return flush_output (status);
}
