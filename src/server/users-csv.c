/* users-csv.c — a CSV file of users, as `procsim users import` and the
 * admin's page read it: a first line naming the columns
 * name,role[,group][,password] in any order, then one user a line (RFC
 * 4180 quotes, no line breaks inside them; blank lines and # comments
 * skipped; a spreadsheet's byte-order mark and CR LF endings accepted).
 * Every problem is found, each as "FILE:LINE: what is wrong", before
 * anything is stored; the users are then added all in one transaction or
 * not at all. Passwords left empty are invented (and shown once by the
 * caller); every password is hashed, which takes a while on purpose:
 * the server does it in a worker thread.
 */
#include "server.h"

#include <string.h>

#define _(msgid) psim_gettext (lang, msgid)

gboolean
user_name_is_valid (const char *name)
{
  gsize n = name != NULL ? strlen (name) : 0;
  if (n == 0 || n > 64)
    return FALSE;
  for (const char *c = name; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c) && strchr ("._-@", *c) == NULL)
      return FALSE;
  return TRUE;
}

void
users_import_free (UsersImport *imp)
{
  if (imp == NULL)
    return;
  g_ptr_array_unref (imp->users);
  g_ptr_array_unref (imp->passwords);
  g_array_unref (imp->invented);
  g_free (imp);
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

static void
problem (GPtrArray *problems, const char *file, guint line, const char *format, ...)
  G_GNUC_PRINTF (4, 5);

static void
problem (GPtrArray *problems, const char *file, guint line, const char *format, ...)
{
  va_list ap;
  va_start (ap, format);
  g_autofree char *text = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_ptr_array_add (problems, line > 0 ? g_strdup_printf ("%s:%u: %s", file, line, text)
                                      : g_strdup_printf ("%s: %s", file, text));
}

UsersImport *
users_csv_parse (const char *text, gsize length, const char *file, guint max_users,
                 const char *lang, GPtrArray *problems)
{
  g_return_val_if_fail (problems != NULL, NULL);
  guint before = problems->len;
  if (memchr (text, '\0', length) != NULL || !g_utf8_validate (text, (gssize) length, NULL))
    {
      problem (problems, file, 0, "%s", _("the file is not UTF-8 text"));
      return NULL;
    }
  g_autofree char *copy = g_strndup (text, length);
  /* A spreadsheet's byte-order mark is not part of the first name. */
  const char *start = g_str_has_prefix (copy, "\xEF\xBB\xBF") ? copy + 3 : copy;
  g_auto (GStrv) lines = g_strsplit (start, "\n", -1);
  UsersImport *imp = g_new0 (UsersImport, 1);
  imp->users = g_ptr_array_new_with_free_func ((GDestroyNotify) user_free);
  imp->passwords = g_ptr_array_new_with_free_func (g_free);
  imp->invented = g_array_new (FALSE, TRUE, sizeof (gboolean));
  g_autoptr (GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  int cols[4] = { -1, -1, -1, -1 }; /* name, role, group, password */
  static const char *const headers[] = { "name", "role", "group", "password" };
  gboolean header = FALSE;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strchomp (lines[i]);
      if (*lines[i] == '\0' || lines[i][0] == '#')
        continue;
      g_auto (GStrv) f = csv_fields (lines[i]);
      if (f == NULL)
        {
          problem (problems, file, i + 1, "%s", _("a quote is not closed"));
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
              problem (problems, file, i + 1, "%s",
                       _("the first line names the columns: name,role[,group][,password]"));
              break;
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
          problem (problems, file, i + 1,
                   _("'%s' is not a user name (1 to 64 letters, digits, '.', '_', '-' or '@')"),
                   name);
          continue;
        }
      if (!role_from_string (role_text, &role))
        {
          problem (problems, file, i + 1, _("role '%s' is not trainee, trainer or admin"),
                   role_text);
          continue;
        }
      if (g_utf8_strlen (group, -1) > 64)
        {
          problem (problems, file, i + 1, _("the group of '%s' is longer than 64 characters"),
                   name);
          continue;
        }
      if (*password != '\0' && g_utf8_strlen (password, -1) < USER_MIN_PASSWORD)
        {
          problem (problems, file, i + 1, _("the password of '%s' is shorter than %d characters"),
                   name, USER_MIN_PASSWORD);
          continue;
        }
      if (g_hash_table_contains (names, name))
        {
          problem (problems, file, i + 1, _("user '%s' comes twice"), name);
          continue;
        }
      if (max_users > 0 && imp->users->len >= max_users)
        {
          problem (problems, file, i + 1,
                   psim_ngettext (lang, "a file may add at most %u user",
                                  "a file may add at most %u users", max_users),
                   max_users);
          break;
        }
      User *u = g_new0 (User, 1);
      u->name = g_strdup (name);
      u->role = role;
      u->group = *group != '\0' ? g_strdup (group) : NULL;
      g_ptr_array_add (imp->users, u);
      g_hash_table_add (names, u->name);
      g_ptr_array_add (imp->passwords, *password != '\0' ? g_strdup (password) : NULL);
    }
  if (!header && problems->len == before)
    problem (problems, file, 0, "%s",
             _("the first line names the columns: name,role[,group][,password]"));
  if (problems->len > before)
    {
      users_import_free (imp);
      return NULL;
    }
  return imp;
}

gboolean
users_import_check (UsersImport *imp, Db *db, const char *file, const char *lang,
                    GPtrArray *problems, GError **error)
{
  guint before = problems->len;
  for (guint i = 0; i < imp->users->len; i++)
    {
      const User *u = g_ptr_array_index (imp->users, i);
      g_autoptr (GError) local = NULL;
      g_autoptr (User) old = db_get_user (db, u->name, &local);
      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      if (old != NULL)
        problem (problems, file, 0, _("user '%s' exists already"), u->name);
    }
  return problems->len == before;
}

gboolean
users_import_hash (UsersImport *imp, GError **error)
{
  for (guint i = 0; i < imp->users->len; i++)
    {
      User *u = g_ptr_array_index (imp->users, i);
      g_array_set_size (imp->invented, imp->users->len);
      if (g_ptr_array_index (imp->passwords, i) == NULL)
        {
          g_ptr_array_index (imp->passwords, i) = secret_new_password ();
          g_array_index (imp->invented, gboolean, i) = TRUE;
        }
      g_free (u->pwhash);
      u->pwhash = secret_hash_password (g_ptr_array_index (imp->passwords, i), error);
      if (u->pwhash == NULL)
        return FALSE;
    }
  return TRUE;
}
