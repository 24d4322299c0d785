/* cmd-users.c — `procsim users`: the server's accounts from the command
 * line. `add NAME --role R [--group G]` reads the password from standard
 * input (a line, when it is not a terminal) or asks for it without echo;
 * `import FILE.csv` adds a file of users in one transaction (all or
 * none), inventing the passwords left empty and printing them once;
 * `list` shows who there is.
 */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "server.h"
#include "train-input.h"


typedef struct {
  char *db;
  char *role;
  char *group;
} UsersOptions;

/* The password: asked twice without echo at a terminal, else one line of
 * standard input. (transfer full) (nullable) */
static char *
read_password (void)
{
  if (!isatty (STDIN_FILENO))
    return train_input_read_line (stdin);
  struct termios old, quiet;
  if (tcgetattr (STDIN_FILENO, &old) != 0)
    return train_input_read_line (stdin);
  quiet = old;
  quiet.c_lflag &= ~(tcflag_t) ECHO;
  char *first = NULL, *second = NULL;
  fprintf (stderr, "%s", _("Password: "));
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
  first = train_input_read_line (stdin);
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &old);
  fprintf (stderr, "\n%s", _("Password again: "));
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
  second = train_input_read_line (stdin);
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &old);
  fputc ('\n', stderr);
  if (first == NULL || second == NULL || strcmp (first, second) != 0)
    {
      g_printerr ("%s\n", _("procsim users: the two passwords differ"));
      g_free (first);
      g_free (second);
      return NULL;
    }
  g_free (second);
  return first;
}

static Db *
open_db (const UsersOptions *o)
{
  g_autofree char *url = o->db != NULL ? g_strdup (o->db) : cli_default_db_url ();
  g_autoptr (GError) error = NULL;
  Db *db = db_open (url, &error);
  if (db == NULL)
    g_printerr ("procsim users: %s\n", error->message);
  return db;
}

static int
add (const UsersOptions *o, const char *name)
{
  Role role;
  if (!user_name_is_valid (name))
    return cli_usage_error ("users", _("a user name is 1 to 64 letters, digits, '.', '_', '-' "
                                       "or '@' ('%s')"),
                            name);
  if (o->role == NULL || !role_from_string (o->role, &role))
    return cli_usage_error ("users", _("--role is trainee, trainer or admin"));
  g_autofree char *password = read_password ();
  if (password == NULL)
    {
      g_printerr ("%s\n", _("procsim users: no password given"));
      return CLI_EXIT_INVALID;
    }
  if (g_utf8_strlen (password, -1) < USER_MIN_PASSWORD)
    {
      g_printerr (_("procsim users: a password has at least %d characters\n"), USER_MIN_PASSWORD);
      return CLI_EXIT_INVALID;
    }
  g_autoptr (Db) db = open_db (o);
  if (db == NULL)
    return CLI_EXIT_INVALID;
  g_autoptr (GError) error = NULL;
  g_autofree char *hash = secret_hash_password (password, &error);
  User u = { .name = (char *) name, .role = role, .group = o->group, .pwhash = hash };
  if (hash == NULL || !db_add_user (db, &u, &error))
    {
      g_printerr ("procsim users: %s\n", error->message);
      return CLI_EXIT_INVALID;
    }
  return CLI_EXIT_OK;
}

static int
import (const UsersOptions *o, const char *file, const char *lang)
{
  g_autofree char *text = NULL;
  gsize length = 0;
  g_autoptr (GError) error = NULL;
  if (!g_file_get_contents (file, &text, &length, &error))
    {
      g_printerr ("procsim users: %s\n", error->message);
      return CLI_EXIT_INVALID;
    }
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (UsersImport) imp = users_csv_parse (text, length, file, 0, lang, problems);
  g_autoptr (Db) db = imp != NULL ? open_db (o) : NULL;
  if (db != NULL && !users_import_check (imp, db, file, lang, problems, &error)
      && error != NULL)
    {
      g_printerr ("procsim users: %s\n", error->message);
      return CLI_EXIT_INVALID;
    }
  for (guint i = 0; i < problems->len; i++)
    g_printerr ("%s\n", (const char *) g_ptr_array_index (problems, i));
  if (problems->len > 0)
    g_printerr ("%s\n", _("procsim users: nothing was imported"));
  if (imp == NULL || db == NULL || problems->len > 0)
    return CLI_EXIT_INVALID;
  if (!users_import_hash (imp, &error) || !db_add_users (db, imp->users, &error))
    {
      g_printerr ("procsim users: %s; nothing was imported\n", error->message);
      return CLI_EXIT_INVALID;
    }
  /* The passwords, once, as CSV for the trainer to hand out. */
  g_print ("name,password\n");
  for (guint i = 0; i < imp->users->len; i++)
    g_print ("%s,%s\n", ((User *) g_ptr_array_index (imp->users, i))->name,
             (char *) g_ptr_array_index (imp->passwords, i));
  return CLI_EXIT_OK;
}

static int
list (const UsersOptions *o)
{
  g_autoptr (Db) db = open_db (o);
  if (db == NULL)
    return CLI_EXIT_INVALID;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = db_list_users (db, o->group, &error);
  if (all == NULL)
    {
      g_printerr ("procsim users: %s\n", error->message);
      return CLI_EXIT_INVALID;
    }
  for (guint i = 0; i < all->len; i++)
    {
      const User *u = g_ptr_array_index (all, i);
      g_print ("%s\t%s\t%s\n", u->name, role_to_string (u->role),
               u->group != NULL ? u->group : "-");
    }
  return CLI_EXIT_OK;
}

int
cli_users (int argc, char **argv, const CliEnv *env)
{
  UsersOptions o = { 0 };
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_STRING, &o.db,
      N_("The database, sqlite:PATH or postgresql://… (default: procsim.sqlite3 in ~/.local/share/procsim)"),
      N_("URL") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &o.role, N_("trainee, trainer or admin (add)"),
      N_("ROLE") },
    { "group", 0, 0, G_OPTION_ARG_STRING, &o.group, N_("The user's group (add, list)"),
      N_("GROUP") },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = cli_context_new (
      _("add NAME --role ROLE | import FILE.csv | list"),
      _("The accounts of procsim serve. add reads the password from standard input, or asks "
        "for it at a terminal. import reads a CSV file whose first line names the columns "
        "name,role,group,password (group and password may be left out or empty); it adds "
        "every user or none, and prints the passwords it invented."),
      entries);
  int status = CLI_EXIT_OK;
  if (!cli_parse (ctx, "users", &argc, &argv))
    status = CLI_EXIT_USAGE;
  else if (argc >= 3 && strcmp (argv[1], "add") == 0 && argc == 3)
    status = add (&o, argv[2]);
  else if (argc == 3 && strcmp (argv[1], "import") == 0)
    status = import (&o, argv[2], env->lang);
  else if (argc == 2 && strcmp (argv[1], "list") == 0)
    status = list (&o);
  else
    status = cli_usage_error ("users", _("use users add NAME --role ROLE, users import "
                                         "FILE.csv or users list"));
  g_free (o.db);
  g_free (o.role);
  g_free (o.group);
  return status;
}
