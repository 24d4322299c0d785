/* cmd-report.c — `procsim report [DIR | --db URL]`: what a trainer
 * wants to know from the session records in DIR, or in the database of
 * `procsim serve`: per scenario, the attempts, the pass rate, the mean
 * score and the most frequent mistakes. The library reads and sums the
 * records and writes the summary (psim-report.h); this file finds the
 * records and prints.
 */
#include "cli.h"

#include <string.h>

#include "db.h"

/* The records of the finished sessions of the database at @url, oldest
 * first, added to @report. CLI_EXIT_INVALID (after saying why) when the
 * database cannot be read, or a session's record is missing or
 * unreadable (it is reported and left out; the others count). */
static int
add_database (PsimReport *report, const char *url, const char *lang)
{
  g_autoptr (GError) error = NULL;
  /* A report reads: it does not create an empty SQLite file. */
  const char *path = g_str_has_prefix (url, "sqlite:") ? url + strlen ("sqlite:")
                     : strstr (url, ":") == NULL        ? url
                                                        : NULL;
  if (path != NULL && !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_printerr (_("procsim report: %s: no such database file\n"), path);
      return CLI_EXIT_INVALID;
    }
  g_autoptr (Db) db = db_open (url, &error);
  if (db == NULL)
    {
      g_printerr ("procsim report: %s\n", error->message);
      return CLI_EXIT_INVALID;
    }
  PsimStore *store = db_get_store (db);
  g_autoptr (GPtrArray) sessions = psim_store_list (store, NULL, &error);
  if (sessions == NULL)
    {
      g_printerr ("procsim report: %s\n", error->message);
      return CLI_EXIT_INVALID;
    }
  int status = CLI_EXIT_OK;
  /* Oldest first, as a folder's records are read in name order: the
   * same database gives the same report. */
  for (guint i = sessions->len; i-- > 0;)
    {
      const PsimStoreEntry *e = g_ptr_array_index (sessions, i);
      if (!e->finished)
        continue;
      g_autoptr (GError) local = NULL;
      g_autofree char *record = psim_store_load_record (store, e->id, PSIM_STORE_RECORD_JSON,
                                                        &local);
      g_autofree char *name = g_strdup_printf ("%s#%s", url, e->id);
      if (record == NULL
          || (!psim_report_add_record (report, record, -1, name, lang, &local) && local != NULL))
        {
          g_printerr ("procsim report: %s: %s\n", name, local != NULL ? local->message : "?");
          status = CLI_EXIT_INVALID;
        }
    }
  return status;
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Prints @report in @format (NULL: text, in @lang); @where names where
 * the records were looked for. */
static void
print_report (const PsimReport *report, const char *format, const char *where,
              const char *lang)
{
  gboolean json = format != NULL && strcmp (format, "json") == 0;
  if (psim_report_get_n_scenarios (report) == 0 && !json)
    g_print (_("No session records in %s.\n"), where);
  else
    {
      g_autofree char *text = json ? psim_report_to_json (report)
                                   : psim_report_to_text (report, lang);
      g_print ("%s", text);
    }
}

int
cli_report (int argc, char **argv, const CliEnv *env)
{
  g_autofree char *format = NULL;
  g_autofree char *db_url = NULL;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, N_("Output format: text (default) or json"),
      N_("FORMAT") },
    { "db", 0, 0, G_OPTION_ARG_STRING, &db_url,
      N_("Read the finished sessions of procsim serve's database, sqlite:PATH or "
         "postgresql://…, instead of a directory"),
      N_("URL") },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = cli_context_new (
    _("[DIR | --db URL]"),
    _("Summarise the training records in DIR (default: ~/.local/share/procsim/sessions), or in "
      "the database of procsim serve: per scenario, the attempts, the pass rate, the mean "
      "score and the most frequent mistakes."),
    entries);
  if (!cli_parse (ctx, "report", &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc > 2)
    return cli_usage_error ("report", _("one directory at a time"));
  if (db_url != NULL && argc == 2)
    return cli_usage_error ("report", _("a directory or --db, not both"));
  if (format != NULL && strcmp (format, "text") != 0 && strcmp (format, "json") != 0)
    return cli_usage_error ("report", _("unknown format '%s' (use text or json)"), format);

  if (db_url != NULL)
    {
      g_autoptr (PsimReport) report = psim_report_new ();
      int status = add_database (report, db_url, env->lang);
      if (status == CLI_EXIT_OK || psim_report_get_n_scenarios (report) > 0)
        print_report (report, format, db_url, env->lang);
      return status;
    }
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
  print_report (report, format, dir, env->lang);
  return status;
}
