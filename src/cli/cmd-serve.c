/* cmd-serve.c — `procsim serve`: options and defaults for the browser
 * trainer's server (src/server/), which does the rest.
 */
#include "cli.h"

#include "graph-worker.h"
#include "server.h"

#include <string.h>

/* sqlite:~/.local/share/procsim/procsim.sqlite3 (transfer full) */
char *
cli_default_db_url (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "procsim", "procsim.sqlite3",
                                            NULL);
  return g_strconcat ("sqlite:", path, NULL);
}

int
cli_serve (int argc, char **argv, const CliEnv *env)
{
  ServerOptions o = { 0 };
  gboolean guests = FALSE, no_guests = FALSE, render_worker = FALSE;
  const GOptionEntry entries[] = {
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &o.listen,
      N_("Listen on HOST:PORT (default 127.0.0.1:8080; port 0 takes a free one)"),
      N_("HOST:PORT") },
    { "db", 0, 0, G_OPTION_ARG_STRING, &o.db_url,
      N_("The database, sqlite:PATH or postgresql://… (default: procsim.sqlite3 in ~/.local/share/procsim)"),
      N_("URL") },
    { "scenarios", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o.scenario_dirs,
      N_("Offer the scenarios of DIR (repeatable; default: the bundled ones)"), N_("DIR") },
    { "base-url", 0, 0, G_OPTION_ARG_STRING, &o.base_url,
      N_("The address browsers use to reach the server, when behind a proxy (https:// makes "
         "cookies Secure)"),
      N_("URL") },
    { "lrs", 0, 0, G_OPTION_ARG_STRING, &o.lrs_url,
      N_("Send every xAPI statement to the learning record store at URL (its xAPI address, "
         "before /statements)"),
      N_("URL") },
    { "lrs-auth", 0, 0, G_OPTION_ARG_STRING, &o.lrs_auth,
      N_("The learning record store's login (HTTP Basic)"), N_("USER:SECRET") },
    { "guests", 0, 0, G_OPTION_ARG_NONE, &guests,
      N_("Let visitors practise as guests, without an account (the default only when "
         "listening on loopback)"),
      NULL },
    { "no-guests", 0, 0, G_OPTION_ARG_NONE, &no_guests,
      N_("Only users with an account may practise, even on loopback"), NULL },
    /* The server runs itself with this to lay out its graphs in a child
     * process (src/server/graph-worker.h): not for people. */
    { "render-worker", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &render_worker, NULL, NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = cli_context_new (
      "", _("Serve the browser trainer: trainees log in and play the scenarios in a web "
            "browser; their sessions, answers and records are kept in the database. On an "
            "empty database an admin account is created and its password printed once."),
      entries);
  int status = CLI_EXIT_OK;
  if (!cli_parse (ctx, "serve", &argc, &argv))
    status = CLI_EXIT_USAGE;
  else if (argc > 1)
    status = cli_usage_error ("serve", _("serve takes no arguments"));
  else if (render_worker)
    status = graph_worker_main ();
  else if (guests && no_guests)
    status = cli_usage_error ("serve", _("--guests and --no-guests exclude each other"));
  if (status == CLI_EXIT_OK && !render_worker)
    {
      o.lang = env->lang;
      o.guests = guests ? 1 : no_guests ? 0 : -1;
      if (o.listen == NULL)
        o.listen = g_strdup ("127.0.0.1:8080");
      if (o.db_url == NULL)
        o.db_url = cli_default_db_url ();
      if (o.scenario_dirs == NULL)
        {
          o.scenario_dirs = g_new0 (char *, 2);
          o.scenario_dirs[0] = g_strdup (env->scenarios_dir);
        }
      g_autoptr (GError) error = NULL;
      if (!srv_run (&o, stdout, &error))
        {
          g_printerr ("procsim serve: %s\n", error->message);
          status = CLI_EXIT_INVALID;
        }
    }
  g_free (o.listen);
  g_free (o.db_url);
  g_strfreev (o.scenario_dirs);
  g_free (o.base_url);
  g_free (o.lrs_url);
  if (o.lrs_auth != NULL)
    memset (o.lrs_auth, 0, strlen (o.lrs_auth));
  g_free (o.lrs_auth);
  return status;
}
