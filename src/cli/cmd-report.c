/* cmd-report.c — `procsim report [DIR | --db URL]`: what a trainer
 * wants to know from the session records in DIR, or in the database of
 * `procsim serve`: per scenario, the attempts, the pass
 * rate, the mean score, each trainee, the unfinished sessions, each
 * question's share right and the most frequent mistakes, for a period.
 * The library reads and sums the records and writes the summary
 * (psim-report.h); this file finds the records and the bundled scenarios
 * (for the labels) and prints.
 */
#include "cli.h"

#include <string.h>
#include <unistd.h>

#include "db.h"

/* The records of the finished sessions of the database at @url, oldest
 * first, added to @report. CLI_EXIT_INVALID (after saying why) when the
 * database cannot be read, or a session's record is missing or
 * unreadable (it is reported and left out; the others count). */
static int
add_database (PsimReport *report, const char *url, const char *lang)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (Db) db = cli_db_open_existing ("report", url);
  if (db == NULL)
    return CLI_EXIT_INVALID;
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

/* Records and checkpoints; the xAPI statements are not read. */
static gboolean
is_record_name (const char *name)
{
  return g_str_has_suffix (name, ".json") && !g_str_has_suffix (name, ".xapi.json");
}

/* Writes @report in @fmt to @out (NULL or "-": standard output), the
 * bundled scenarios giving the labels; @where names where the records
 * were looked for, @period whether --since or --until was given. Returns
 * @status unless writing fails. */
static int
write_report (const PsimReport *report, const char *fmt, const char *out,
              PsimReportOptions *options, const char *where, gboolean period,
              const CliEnv *env, int status)
{
  g_autoptr (GError) error = NULL;
  /* The bundled scenarios give the titles, questions and mistakes their
   * labels in the report's language; a scenario not among them is named
   * by its record's title and ids. */
  g_autoptr (PsimCatalogue) cat = psim_catalogue_new (env->lang, NULL);
  if (cat != NULL && psim_catalogue_add_dir (cat, env->scenarios_dir, NULL, NULL))
    options->scenarios = cat;

  g_autofree char *text = NULL;
  if (strcmp (fmt, "xlsx") == 0)
    {
      g_autoptr (GBytes) book = psim_report_format_xlsx (report, options, &error);
      if (book == NULL)
        {
          g_printerr ("procsim report: %s\n", error->message);
          return CLI_EXIT_INVALID;
        }
      gsize size;
      const char *data = g_bytes_get_data (book, &size);
      int written = cli_emit ("report", out, data, size);
      return written != CLI_EXIT_OK ? written : status;
    }
  if (strcmp (fmt, "json") == 0)
    text = psim_report_format_json (report, options);
  else if (strcmp (fmt, "csv") == 0)
    {
      g_autofree char *csv = psim_report_format_csv (report, options);
      text = g_strconcat (CLI_CSV_BOM, csv, NULL);
    }
  else
    {
      text = psim_report_format_text (report, options);
      if (*text == '\0')
        {
          g_free (text);
          text = period
                     ? g_strdup_printf (_("No session records in %s for that period.\n"), where)
                     : g_strdup_printf (_("No session records in %s.\n"), where);
        }
    }
  int written = cli_emit ("report", out, text, strlen (text));
  return written != CLI_EXIT_OK ? written : status;
}

int
cli_report (int argc, char **argv, const CliEnv *env)
{
  g_autofree char *format = NULL;
  g_autofree char *out = NULL;
  g_autofree char *since = NULL;
  g_autofree char *until = NULL;
  g_autofree char *db_url = NULL;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format,
      N_("Output format: text (default), json, csv or xlsx"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out,
      N_("Write to OUT instead of standard output (whole or not at all)"), N_("OUT") },
    { "since", 0, 0, G_OPTION_ARG_STRING, &since,
      N_("Only sessions started on or after DATE (YYYY-MM-DD, UTC)"), N_("DATE") },
    { "until", 0, 0, G_OPTION_ARG_STRING, &until,
      N_("Only sessions started on or before DATE (YYYY-MM-DD, UTC)"), N_("DATE") },
    { "db", 0, 0, G_OPTION_ARG_STRING, &db_url,
      N_("Read the finished sessions of procsim serve's database, sqlite:PATH or "
         "postgresql://…, instead of a directory"),
      N_("URL") },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = cli_context_new (
    _("[DIR | --db URL]"),
    _("Summarise the training records in DIR (default: ~/.local/share/procsim/sessions), or "
      "the finished sessions in the database of procsim serve: per "
      "scenario, the attempts, the pass rate, the mean score, each trainee's attempts, best "
      "and last score and date, the unfinished sessions, each question's share answered "
      "right and the most frequent mistakes. Scripted replays (train --answers) are counted "
      "apart."),
    entries);
  if (!cli_parse (ctx, "report", &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc > 2)
    return cli_usage_error ("report", _("one directory at a time"));
  if (db_url != NULL && argc == 2)
    return cli_usage_error ("report", _("a directory or --db, not both"));
  const char *fmt = format != NULL ? format : "text";
  if (format == NULL && out != NULL)
    {
      const char *dot = strrchr (out, '.');
      static const char *const by_ext[] = { "json", "csv", "xlsx", NULL };
      for (guint i = 0; dot != NULL && by_ext[i] != NULL; i++)
        if (strcmp (dot + 1, by_ext[i]) == 0)
          fmt = by_ext[i];
    }
  if (strcmp (fmt, "text") != 0 && strcmp (fmt, "json") != 0 && strcmp (fmt, "csv") != 0
      && strcmp (fmt, "xlsx") != 0)
    return cli_usage_error ("report", _("unknown format '%s' (use text, json, csv or xlsx)"),
                            fmt);
  if (strcmp (fmt, "xlsx") == 0 && (out == NULL || strcmp (out, "-") == 0) && isatty (1))
    return cli_usage_error ("report", _("a workbook is not for the terminal: give -o FILE"));
  PsimReportOptions options = { .lang = env->lang, .date = cli_report_date () };
  if (since != NULL && !psim_report_parse_date (since, FALSE, &options.since))
    return cli_usage_error ("report", _("'%s' is not a date (YYYY-MM-DD)"), since);
  if (until != NULL && !psim_report_parse_date (until, TRUE, &options.until))
    return cli_usage_error ("report", _("'%s' is not a date (YYYY-MM-DD)"), until);

  if (db_url != NULL)
    {
      g_autoptr (PsimReport) report = psim_report_new ();
      int status = add_database (report, db_url, env->lang);
      if (status != CLI_EXIT_OK && psim_report_get_n_scenarios (report) == 0)
        return status;
      return write_report (report, fmt, out, &options, db_url, since != NULL || until != NULL,
                           env, status);
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
    if (is_record_name (name))
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
  return write_report (report, fmt, out, &options, dir, since != NULL || until != NULL, env,
                       status);
}
