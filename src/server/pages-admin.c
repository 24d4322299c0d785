/* pages-admin.c — the admin's page: the users and their groups, and a
 * form to add one (the same rules as `procsim users add`). Groups are
 * what users name: a trainer sees the sessions of the trainees of their
 * group.
 */
#include "view.h"

#include <string.h>

#define _(msgid) psim_gettext (lang, msgid)

#define MIN_PASSWORD 8

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

static const char *
role_label (Role role, const char *lang)
{
  return role == ROLE_ADMIN ? _("admin") : role == ROLE_TRAINER ? _("trainer") : _("trainee");
}

static void
admin_page (Req *req, const char *problem, const char *done, guint status)
{
  const char *lang = req->lang;
  GString *p = html_page_begin (req, _("Users and groups"));
  if (problem != NULL)
    view_tag (p, "p role=\"alert\"", problem);
  if (done != NULL)
    view_tag (p, "p role=\"status\" class=\"good\"", done);
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
                          MIN_PASSWORD);
  g_string_append (p, "<p><button type=\"submit\" class=\"primary\">");
  html_escape (p, _("Add"));
  g_string_append (p, "</button></p>\n</form>\n");
  html_page_end (req, p, status);
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
  if (password == NULL || g_utf8_strlen (password, -1) < MIN_PASSWORD)
    {
      g_autofree char *text = g_strdup_printf (_("A password has at least %d characters."),
                                               MIN_PASSWORD);
      admin_page (req, text, NULL, SOUP_STATUS_BAD_REQUEST);
      return;
    }
  g_autoptr (GError) error = NULL;
  g_autofree char *hash = auth_hash_password (password, &error);
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

const Route pages_admin_routes[] = {
  { "GET", "/admin", admin, ROUTE_PAGE | ROUTE_ADMIN },
  { "POST", "/admin/users", add_user, ROUTE_PAGE | ROUTE_ADMIN },
  { NULL, NULL, NULL, 0 },
};
