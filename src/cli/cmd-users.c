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

#define MIN_PASSWORD 8

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
  if (g_utf8_strlen (password, -1) < MIN_PASSWORD)
    {
      g_printerr (_("procsim users: a password has at least %d characters\n"), MIN_PASSWORD);
      return CLI_EXIT_INVALID;
    }
  g_autoptr (Db) db = open_db (o);
  if (db == NULL)
    return CLI_EXIT_INVALID;
  g_autoptr (GError) error = NULL;
  g_autofree char *hash = auth_hash_password (password, &error);
  User u = { .name = (char *) name, .role = role, .group = o->group, .pwhash = hash };
  if (hash == NULL || !db_add_user (db, &u, &error))
    {
      g_printerr ("procsim users: %s\n", error->message);
      return CLI_EXIT_INVALID;
    }
  return CLI_EXIT_OK;
}

/* The fields of one CSV line (RFC 4180 quotes; no line breaks inside
 * quotes). NULL when a quote is not closed. (transfer full) */
static char **
csv_fields (const char *line)
{
  GPtrArray *out = g_ptr_array_new ();
  g_autoptr (GString) f = g_string_new (NULL);
  const char *c = line;
  for (;;)
    {
      g_string_truncate (f, 0);
      if (*c == '"')
        {
          for (c++;; c++)
            {
              if (*c == '\0')
                {
                  g_ptr_array_add (out, NULL);
                  g_strfreev ((char **) g_ptr_array_free (out, FALSE));
                  return NULL;
                }
              if (*c == '"' && c[1] == '"')
                g_string_append_c (f, *c++);
              else if (*c == '"')
                {
                  c++;
                  break;
                }
              else
                g_string_append_c (f, *c);
            }
          while (*c != ',' && *c != '\0')
            c++;
        }
      else
        while (*c != ',' && *c != '\0')
          g_string_append_c (f, *c++);
      g_ptr_array_add (out, g_strdup (g_strstrip (f->str)));
      if (*c == '\0')
        break;
      c++;
    }
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

static int
import (const UsersOptions *o, const char *file)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  if (!g_file_get_contents (file, &text, NULL, &error))
    {
      g_printerr ("procsim users: %s\n", error->message);
      return CLI_EXIT_INVALID;
    }
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_printerr (_("%s: the file is not UTF-8 text\n"), file);
      return CLI_EXIT_INVALID;
    }
  /* A spreadsheet's byte-order mark is not part of the first name. */
  const char *start = g_str_has_prefix (text, "\xEF\xBB\xBF") ? text + 3 : text;
  g_auto (GStrv) lines = g_strsplit (start, "\n", -1);
  g_autoptr (GPtrArray) users = g_ptr_array_new_with_free_func ((GDestroyNotify) user_free);
  g_autoptr (GPtrArray) passwords = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  int cols[4] = { -1, -1, -1, -1 }; /* name, role, group, password */
  static const char *const headers[] = { "name", "role", "group", "password" };
  gboolean header = FALSE;
  int status = CLI_EXIT_OK;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strchomp (lines[i]);
      if (*lines[i] == '\0' || lines[i][0] == '#')
        continue;
      g_auto (GStrv) f = csv_fields (lines[i]);
      if (f == NULL)
        {
          g_printerr (_("%s:%u: a quote is not closed\n"), file, i + 1);
          status = CLI_EXIT_INVALID;
          continue;
        }
      guint n = g_strv_length (f);
      if (!header)
        {
          for (guint k = 0; k < n; k++)
            for (guint h = 0; h < G_N_ELEMENTS (headers); h++)
              if (g_ascii_strcasecmp (f[k], headers[h]) == 0)
                cols[h] = (int) k;
          header = TRUE;
          if (cols[0] < 0 || cols[1] < 0)
            {
              g_printerr (_("%s:%u: the first line names the columns: name,role[,group]"
                            "[,password]\n"),
                          file, i + 1);
              return CLI_EXIT_INVALID;
            }
          continue;
        }
      const char *name = (guint) cols[0] < n ? f[cols[0]] : "";
      const char *role_text = (guint) cols[1] < n ? f[cols[1]] : "";
      const char *group = cols[2] >= 0 && (guint) cols[2] < n ? f[cols[2]] : "";
      const char *password = cols[3] >= 0 && (guint) cols[3] < n ? f[cols[3]] : "";
      Role role;
      if (!user_name_is_valid (name))
        {
          g_printerr (_("%s:%u: '%s' is not a user name (1 to 64 letters, digits, '.', '_', "
                        "'-' or '@')\n"),
                      file, i + 1, name);
          status = CLI_EXIT_INVALID;
          continue;
        }
      if (!role_from_string (role_text, &role))
        {
          g_printerr (_("%s:%u: role '%s' is not trainee, trainer or admin\n"), file, i + 1,
                      role_text);
          status = CLI_EXIT_INVALID;
          continue;
        }
      if (*password != '\0' && g_utf8_strlen (password, -1) < MIN_PASSWORD)
        {
          g_printerr (_("%s:%u: the password of '%s' is shorter than %d characters\n"), file,
                      i + 1, name, MIN_PASSWORD);
          status = CLI_EXIT_INVALID;
          continue;
        }
      if (g_hash_table_contains (names, name))
        {
          g_printerr (_("%s:%u: user '%s' comes twice\n"), file, i + 1, name);
          status = CLI_EXIT_INVALID;
          continue;
        }
      User *u = g_new0 (User, 1);
      u->name = g_strdup (name);
      u->role = role;
      u->group = *group != '\0' ? g_strdup (group) : NULL;
      g_ptr_array_add (users, u);
      g_hash_table_add (names, u->name);
      g_ptr_array_add (passwords, *password != '\0' ? g_strdup (password) : NULL);
    }
  if (status != CLI_EXIT_OK)
    return status;
  g_autoptr (Db) db = open_db (o);
  if (db == NULL)
    return CLI_EXIT_INVALID;
  for (guint i = 0; i < users->len; i++)
    {
      User *u = g_ptr_array_index (users, i);
      g_autoptr (User) old = db_get_user (db, u->name, NULL);
      if (old != NULL)
        {
          g_printerr (_("%s: user '%s' exists already; nothing was imported\n"), file, u->name);
          return CLI_EXIT_INVALID;
        }
      if (g_ptr_array_index (passwords, i) == NULL)
        g_ptr_array_index (passwords, i) = auth_new_password ();
      u->pwhash = auth_hash_password (g_ptr_array_index (passwords, i), &error);
      if (u->pwhash == NULL)
        {
          g_printerr ("procsim users: %s\n", error->message);
          return CLI_EXIT_INVALID;
        }
    }
  if (!db_add_users (db, users, &error))
    {
      g_printerr ("procsim users: %s; nothing was imported\n", error->message);
      return CLI_EXIT_INVALID;
    }
  /* The invented passwords, once, as CSV for the trainer to hand out. */
  g_print ("name,password\n");
  for (guint i = 0; i < users->len; i++)
    g_print ("%s,%s\n", ((User *) g_ptr_array_index (users, i))->name,
             (char *) g_ptr_array_index (passwords, i));
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
    status = import (&o, argv[2]);
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
