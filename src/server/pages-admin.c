/* pages-admin.c — the admin's page: the users and their groups, a form
 * to add one (the same rules as `procsim users add`) and one to import a
 * CSV file of them (users-csv.c, as `procsim users import`: every problem
 * shown with its line, all users or none; the invented passwords shown
 * once). Groups are what users name: a trainer sees the sessions of the
 * trainees of their group.
 */
#include "view.h"

#include <string.h>

#define _(msgid) psim_gettext (lang, msgid)

/* Users one import may add: their password hashes take a worker thread
 * tens of milliseconds each. */
#define IMPORT_MAX 500


static const char *
role_label (Role role, const char *lang)
{
  return role == ROLE_ADMIN ? _("admin") : role == ROLE_TRAINER ? _("trainer") : _("trainee");
}

/* The users an import added, with the passwords invented for them:
 * shown this once. */
static void
imported_table (GString *p, const UsersImport *imp, const char *lang)
{
  guint invented = 0;
  for (guint i = 0; i < imp->invented->len; i++)
    invented += g_array_index (imp->invented, gboolean, i) ? 1 : 0;
  if (invented == 0)
    return;
  view_tag (p, "p", _("The passwords below were made up for the users whose line left the "
                      "password empty. They are shown only this once: note them and hand "
                      "them out."));
  view_wide_begin (p, _("Passwords made up"));
  g_string_append (p, "<table class=\"passwords\">\n<thead><tr>");
  view_tag (p, "th scope=\"col\"", _("User name"));
  view_tag (p, "th scope=\"col\"", _("Password"));
  g_string_append (p, "</tr></thead>\n<tbody>\n");
  for (guint i = 0; i < imp->users->len; i++)
    {
      if (!g_array_index (imp->invented, gboolean, i))
        continue;
      g_string_append (p, "<tr>");
      view_tag (p, "td", ((const User *) g_ptr_array_index (imp->users, i))->name);
      view_tag (p, "td class=\"secret\"", g_ptr_array_index (imp->passwords, i));
      g_string_append (p, "</tr>\n");
    }
  g_string_append (p, "</tbody>\n</table></div>\n");
}

/* The admin's page; @problem, @problems (char*) and @done say how the
 * last form went, @imp what an import added. */
static void
admin_page_full (Req *req, const char *problem, GPtrArray *problems, const char *done,
                 const UsersImport *imp, guint status)
{
  const char *lang = req->lang;
  GString *p = html_page_begin (req, _("Users and groups"));
  if (problem != NULL)
    view_tag (p, "p role=\"alert\"", problem);
  if (problems != NULL && problems->len > 0)
    {
      g_string_append (p, "<div role=\"alert\">\n");
      view_tag (p, "p", _("Nothing was imported. The file has these problems:"));
      g_string_append (p, "<ul class=\"problems\">\n");
      for (guint i = 0; i < problems->len; i++)
        view_tag (p, "li", g_ptr_array_index (problems, i));
      g_string_append (p, "</ul></div>\n");
    }
  if (done != NULL)
    view_tag (p, "p role=\"status\" class=\"good\"", done);
  if (imp != NULL)
    imported_table (p, imp, lang);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) users = db_list_users (srv_get_db (req->srv), NULL, &error);
  if (users == NULL)
    {
      g_warning ("users: %s", error->message);
      users = g_ptr_array_new ();
    }
  g_autoptr (GHashTable) groups = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < users->len; i++)
    {
      const User *u = g_ptr_array_index (users, i);
      const char *g = u->group != NULL ? u->group : "";
      g_hash_table_insert (groups, (gpointer) g,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (groups, g))
                                             + 1));
    }
  view_tag (p, "h2", _("Groups"));
  g_autoptr (GList) names = g_list_sort (g_hash_table_get_keys (groups), (GCompareFunc) strcmp);
  g_string_append (p, "<ul>\n");
  for (GList *l = names; l != NULL; l = l->next)
    {
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (groups, l->data));
      g_autofree char *item = g_strdup_printf (
        psim_ngettext (lang, "%s: %u user", "%s: %u users", n),
        *(const char *) l->data != '\0' ? (const char *) l->data : _("(no group)"), n);
      view_tag (p, "li", item);
    }
  g_string_append (p, "</ul>\n");

  view_tag (p, "h2", _("Users"));
  view_wide_begin (p, _("Users"));
  g_string_append (p, "<table class=\"users\">\n<thead><tr>");
  const char *heads[] = { _("User name"), _("Role"), _("Group"), _("Language") };
  for (guint i = 0; i < G_N_ELEMENTS (heads); i++)
    view_tag (p, "th scope=\"col\"", heads[i]);
  g_string_append (p, "</tr></thead>\n<tbody>\n");
  for (guint i = 0; i < users->len; i++)
    {
      const User *u = g_ptr_array_index (users, i);
      g_string_append (p, "<tr>");
      view_tag (p, "td", u->name);
      view_tag (p, "td", role_label (u->role, lang));
      view_tag (p, "td", u->group != NULL ? u->group : "–");
      view_tag (p, "td", u->lang != NULL ? u->lang : _("the browser's"));
      g_string_append (p, "</tr>\n");
    }
  g_string_append (p, "</tbody>\n</table></div>\n");

  view_tag (p, "h2", _("Add a user"));
  g_string_append (p, "<form method=\"post\" action=\"/admin/users\" class=\"add-user\">\n");
  html_csrf_field (req, p);
  g_string_append (p, "<p><label for=\"name\">");
  html_escape (p, _("User name"));
  g_string_append (p, "</label><input id=\"name\" name=\"name\" required maxlength=\"64\" "
                      "autocomplete=\"off\" aria-describedby=\"name-rule\"></p>\n"
                      "<p class=\"meta\" id=\"name-rule\">");
  html_escape (p, _("1 to 64 letters, digits, '.', '_', '-' or '@'."));
  g_string_append (p, "</p>\n<p><label for=\"role\">");
  html_escape (p, _("Role"));
  g_string_append (p, "</label><select id=\"role\" name=\"role\">");
  for (Role r = ROLE_TRAINEE; r <= ROLE_ADMIN; r++)
    {
      g_string_append_printf (p, "<option value=\"%s\">", role_to_string (r));
      html_escape (p, role_label (r, lang));
      g_string_append (p, "</option>");
    }
  g_string_append (p, "</select></p>\n<p><label for=\"group\">");
  html_escape (p, _("Group"));
  g_string_append (p, "</label><input id=\"group\" name=\"group\" maxlength=\"64\" "
                      "autocomplete=\"off\"></p>\n<p><label for=\"password\">");
  html_escape (p, _("Password"));
  g_string_append_printf (p, "</label><input id=\"password\" name=\"password\" type=\"password\" "
                             "required minlength=\"%d\" autocomplete=\"new-password\"></p>\n",
                          USER_MIN_PASSWORD);
  g_string_append (p, "<p><button type=\"submit\" class=\"primary\">");
  html_escape (p, _("Add"));
  g_string_append (p, "</button></p>\n</form>\n");

  view_tag (p, "h2", _("Import users from a CSV file"));
  g_string_append (p, "<form method=\"post\" action=\"/admin/import\" class=\"import\" "
                      "enctype=\"multipart/form-data\">\n");
  html_csrf_field (req, p);
  g_string_append (p, "<p><label for=\"csv\">");
  html_escape (p, _("CSV file"));
  g_string_append (p, "</label><input type=\"file\" id=\"csv\" name=\"csv\" "
                      "accept=\".csv,text/csv\" required aria-describedby=\"csv-rule\"></p>\n"
                      "<p class=\"meta\" id=\"csv-rule\">");
  g_autofree char *rule = g_strdup_printf (
    _("The first line names the columns: name,role,group,password (group and password may be "
      "left out or empty; an empty password is made up and shown once). At most %d users; "
      "every user is added, or none."),
    IMPORT_MAX);
  html_escape (p, rule);
  g_string_append (p, "</p>\n<p><button type=\"submit\">");
  html_escape (p, _("Import"));
  g_string_append (p, "</button></p>\n</form>\n");
  html_page_end (req, p, status);
}

static void
admin_page (Req *req, const char *problem, const char *done, guint status)
{
  admin_page_full (req, problem, NULL, done, NULL, status);
}

static void
admin (Req *req)
{
  admin_page (req, NULL, NULL, SOUP_STATUS_OK);
}

static void
add_user (Req *req)
{
  const char *lang = req->lang;
  const char *name = req_form (req, "name");
  const char *group = req_form (req, "group");
  const char *password = req_form (req, "password");
  Role role;
  if (!user_name_is_valid (name))
    {
      admin_page (req, _("A user name is 1 to 64 letters, digits, '.', '_', '-' or '@'."), NULL,
                  SOUP_STATUS_BAD_REQUEST);
      return;
    }
  if (!role_from_string (req_form (req, "role"), &role))
    {
      admin_page (req, _("The role is trainee, trainer or admin."), NULL,
                  SOUP_STATUS_BAD_REQUEST);
      return;
    }
  if (password == NULL || g_utf8_strlen (password, -1) < USER_MIN_PASSWORD)
    {
      g_autofree char *text = g_strdup_printf (_("A password has at least %d characters."),
                                               USER_MIN_PASSWORD);
      admin_page (req, text, NULL, SOUP_STATUS_BAD_REQUEST);
      return;
    }
  g_autoptr (GError) error = NULL;
  g_autofree char *hash = secret_hash_password (password, &error);
  g_autofree char *clean_group = group != NULL ? g_strstrip (g_strdup (group)) : NULL;
  User u = { .name = (char *) name, .role = role, .pwhash = hash,
             .group = clean_group != NULL && *clean_group != '\0' ? clean_group : NULL };
  if (hash == NULL || !db_add_user (srv_get_db (req->srv), &u, &error))
    {
      if (g_error_matches (error, DB_ERROR, DB_ERROR_EXISTS))
        {
          g_autofree char *text = g_strdup_printf (_("User '%s' exists already."), name);
          admin_page (req, text, NULL, SOUP_STATUS_CONFLICT);
          return;
        }
      g_warning ("add user: %s", error != NULL ? error->message : "?");
      reply_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE,
                   _("The database does not answer. Please try again in a moment."));
      return;
    }
  g_autofree char *done = g_strdup_printf (_("User '%s' was added."), name);
  admin_page (req, NULL, done, SOUP_STATUS_OK);
}

/* ---- import ------------------------------------------------------------------------------ */

typedef struct {
  Req *req;
  UsersImport *imp;
} Import;

static void
import_free (Import *im)
{
  users_import_free (im->imp);
  g_free (im);
}

static void
hash_in_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancel)
{
  Import *im = data;
  GError *error = NULL;
  if (users_import_hash (im->imp, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Back on the main thread, the passwords hashed: the users are added, all
 * in one transaction. Someone added meanwhile by another form is caught
 * by the database (DB_ERROR_EXISTS): nothing is added then either. */
static void
hashed (GObject *source, GAsyncResult *result, gpointer data)
{
  Import *im = data;
  Req *req = im->req;
  const char *lang = req->lang;
  g_autoptr (GError) error = NULL;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_warning ("import: %s", error->message);
      reply_error (req, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                   _("Something went wrong on the server."));
    }
  else
    {
      reply_write_begin (req->srv);
      if (db_add_users (srv_get_db (req->srv), im->imp->users, &error))
        {
          g_autofree char *done = g_strdup_printf (
            psim_ngettext (lang, "%u user was added.", "%u users were added.",
                           im->imp->users->len),
            im->imp->users->len);
          admin_page_full (req, NULL, NULL, done, im->imp, SOUP_STATUS_OK);
        }
      else if (g_error_matches (error, DB_ERROR, DB_ERROR_EXISTS))
        admin_page (req, _("Nothing was imported: a user of the file exists already."), NULL,
                    SOUP_STATUS_CONFLICT);
      else
        {
          g_warning ("import: %s", error->message);
          reply_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE,
                       _("The database does not answer. Please try again in a moment."));
        }
    }
  req_resume (req);
  import_free (im);
}

static void
import_users (Req *req)
{
  const char *lang = req->lang;
  const Upload *up = req_file (req, "csv");
  if (up == NULL)
    {
      admin_page (req, _("Please choose a CSV file to import."), NULL, SOUP_STATUS_BAD_REQUEST);
      return;
    }
  /* The browser's name for the file, only to say where a problem is. */
  g_autofree char *file = g_path_get_basename (up->filename != NULL && *up->filename != '\0'
                                                   ? up->filename
                                                   : "users.csv");
  gsize n = 0;
  const char *text = g_bytes_get_data (up->data, &n);
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (UsersImport) imp = users_csv_parse (text != NULL ? text : "", n, file, IMPORT_MAX,
                                                 lang, problems);
  g_autoptr (GError) error = NULL;
  if (imp != NULL
      && !users_import_check (imp, srv_get_db (req->srv), file, lang, problems, &error)
      && error != NULL)
    {
      g_warning ("import: %s", error->message);
      reply_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE,
                   _("The database does not answer. Please try again in a moment."));
      return;
    }
  if (problems->len > 0)
    {
      admin_page_full (req, NULL, problems, NULL, NULL, SOUP_STATUS_BAD_REQUEST);
      return;
    }
  if (imp->users->len == 0)
    {
      admin_page (req, _("The file names no user."), NULL, SOUP_STATUS_BAD_REQUEST);
      return;
    }
  Import *im = g_new0 (Import, 1);
  im->req = req;
  im->imp = g_steal_pointer (&imp);
  req_pause (req);
  g_autoptr (GTask) task = g_task_new (NULL, NULL, hashed, im);
  g_task_set_task_data (task, im, NULL);
  g_task_run_in_thread (task, hash_in_thread);
}

const Route pages_admin_routes[] = {
  { "GET", "/admin", admin, ROUTE_PAGE | ROUTE_ADMIN },
  { "POST", "/admin/users", add_user, ROUTE_PAGE | ROUTE_ADMIN },
  { "POST", "/admin/import", import_users, ROUTE_PAGE | ROUTE_ADMIN | ROUTE_UPLOAD },
  { NULL, NULL, NULL, 0 },
};
