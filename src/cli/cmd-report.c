/* cmd-report.c — `procsim report [DIR]`: what a trainer wants to know
 * from the session records in DIR: per scenario, the attempts, the pass
 * rate, the mean score and the most frequent mistakes. The library reads
 * and sums the records and writes the summary (psim-report.h); this file
 * finds the records and prints.
 */
#include "cli.h"

#include <string.h>

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

int
cli_report (int argc, char **argv, const CliEnv *env)
{
  g_autofree char *format = NULL;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, N_("Output format: text (default) or json"),
      N_("FORMAT") },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = cli_context_new (
    _("[DIR]"),
    _("Summarise the training records in DIR (default: ~/.local/share/procsim/sessions): per "
      "scenario, the attempts, the pass rate, the mean score and the most frequent mistakes."),
    entries);
  if (!cli_parse (ctx, "report", &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc > 2)
    return cli_usage_error ("report", _("one directory at a time"));
  if (format != NULL && strcmp (format, "text") != 0 && strcmp (format, "json") != 0)
    return cli_usage_error ("report", _("unknown format '%s' (use text or json)"), format);

  g_autofree char *dir = argc == 2 ? g_strdup (argv[1])
                                   : g_build_filename (g_get_user_data_dir (), "procsim",
                                                       "sessions", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) d = g_dir_open (dir, 0, &error);
  if (d == NULL)
    {
      g_printerr ("procsim report: %s\n", error->message);
      return CLI_EXIT_INVALID;
    }
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".json") && !g_str_has_suffix (name, ".xapi.json")
        && !g_str_has_suffix (name, ".checkpoint.json"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  g_autoptr (PsimReport) report = psim_report_new ();
  int status = CLI_EXIT_OK;
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
      g_autoptr (GError) e = NULL;
      if (!psim_report_add_record_file (report, path, env->lang, &e) && e != NULL)
        {
          /* json-glib's message names the file and the line already. */
          g_printerr ("%s\n", e->message);
          status = CLI_EXIT_INVALID;
        }
    }
  gboolean json = format != NULL && strcmp (format, "json") == 0;
  if (psim_report_get_n_scenarios (report) == 0 && !json)
    g_print (_("No session records in %s.\n"), dir);
  else
    {
      g_autofree char *text = json ? psim_report_to_json (report)
                                   : psim_report_to_text (report, env->lang);
      g_print ("%s", text);
    }
  return status;
}
