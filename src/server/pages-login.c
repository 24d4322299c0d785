/* pages-login.c — what every visitor meets: the login form, logging out,
 * and the static files (the stylesheet, the script). They work without
 * script: plain forms, posted back with their CSRF field, answered with a
 * redirect. The start page is the trainee's (pages-trainee.c).
 */
#include "server.h"

#include "server-resources.h"

#include <string.h>

/* Where to go after logging in: a path of this site only. */
static const char *
safe_next (const char *next)
{
  if (next == NULL || next[0] != '/' || next[1] == '/' || next[1] == '\\'
      || strchr (next, '\r') != NULL || strchr (next, '\n') != NULL)
    return "/";
  return next;
}

static void
login_form (Req *req)
{
  GString *p = html_page_begin (req, psim_gettext (req->lang, "Log in"));
  g_string_append (p, "<form method=\"post\" action=\"/login\" class=\"login\">\n");
  html_csrf_field (req, p);
  g_string_append (p, "<input type=\"hidden\" name=\"next\" value=\"");
  html_escape (p, safe_next (req_query (req, "next")));
  g_string_append (p, "\">\n<p><label for=\"user\">");
  html_escape (p, psim_gettext (req->lang, "User name"));
  g_string_append (p, "</label>\n<input id=\"user\" name=\"user\" autocomplete=\"username\" "
                      "required autofocus></p>\n<p><label for=\"password\">");
  html_escape (p, psim_gettext (req->lang, "Password"));
  g_string_append (p, "</label>\n<input id=\"password\" name=\"password\" type=\"password\" "
                      "autocomplete=\"current-password\" required></p>\n"
                      "<p><button type=\"submit\">");
  html_escape (p, psim_gettext (req->lang, "Log in"));
  g_string_append (p, "</button></p>\n</form>\n");
  if (srv_allows_guests (req->srv))
    {
      g_string_append (p, "<section class=\"guest\" aria-labelledby=\"guest-title\">\n"
                          "<h2 id=\"guest-title\">");
      html_escape (p, psim_gettext (req->lang, "No account?"));
      g_string_append (p, "</h2>\n<p>");
      html_escape (p, psim_gettext (req->lang, "Practise the scenarios without an account: "
                                               "your sessions are kept under a guest name "
                                               "in this browser until you log out."));
      g_string_append (p, "</p>\n<form method=\"post\" action=\"/guest\">\n");
      html_csrf_field (req, p);
      g_string_append (p, "<p><button type=\"submit\">");
      html_escape (p, psim_gettext (req->lang, "Practise as a guest"));
      g_string_append (p, "</button></p>\n</form>\n</section>\n");
    }
  html_page_end (req, p, SOUP_STATUS_OK);
}

static void
logged_in (Req *req, User *user, const char *token, const char *csrf, gint64 expires)
{
  reply_set_cookie (req, LOGIN_COOKIE, token, TOKEN_TTL / G_USEC_PER_SEC);
  reply_redirect (req, safe_next (req_form (req, "next")));
}

static void
login_post (Req *req)
{
  const char *name = req_form (req, "user");
  const char *password = req_form (req, "password");
  if (name == NULL || password == NULL || *name == '\0')
    {
      reply_error (req, SOUP_STATUS_BAD_REQUEST,
                   psim_gettext (req->lang, "Please give your user name and password."));
      return;
    }
  auth_login (req, name, password, logged_in);
}

/* A guest's start (serve.c decides whether guests may come): a fresh
 * account and its login cookie, then the start page. */
static void
guest_post (Req *req)
{
  if (!srv_allows_guests (req->srv))
    {
      reply_error (req, SOUP_STATUS_NOT_FOUND,
                   psim_gettext (req->lang, "There is nothing at this address."));
      return;
    }
  auth_login_guest (req, logged_in);
}

static void
logout_post (Req *req)
{
  auth_logout (req);
  reply_redirect (req, "/login");
}

/* The files of static/ (server.gresource.xml): the stylesheet and the
 * script. Looked up in this program's own resource bundle, which also
 * keeps the bundle in the link of a program built on the static library. */
static void
static_file (Req *req)
{
  static const char *const types[][2] = {
    { ".css", "text/css; charset=utf-8" },
    { ".js", "text/javascript; charset=utf-8" },
  };
  const char *type = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_str_has_suffix (req->args[0], types[i][0]))
      type = types[i][1];
  g_autofree char *path = g_strconcat ("/org/procsim/server/static/", req->args[0], NULL);
  g_autoptr (GBytes) data = type != NULL ? g_resource_lookup_data (
                                             psim_server_resources_get_resource (), path,
                                             G_RESOURCE_LOOKUP_FLAGS_NONE, NULL)
                                         : NULL;
  if (data == NULL)
    {
      reply_error (req, SOUP_STATUS_NOT_FOUND,
                   psim_gettext (req->lang, "There is nothing at this address."));
      return;
    }
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                "Cache-Control", "public, max-age=3600");
  gsize n = 0;
  const char *bytes = g_bytes_get_data (data, &n);
  g_autofree char *text = g_strndup (bytes, n);
  reply_text (req, SOUP_STATUS_OK, type, text);
}

const Route pages_login_routes[] = {
  { "GET", "/login", login_form, ROUTE_PAGE },
  { "POST", "/login", login_post, ROUTE_PAGE },
  { "POST", "/guest", guest_post, ROUTE_PAGE },
  { "POST", "/logout", logout_post, ROUTE_PAGE | ROUTE_USER },
  { "GET", "/static/*", static_file, ROUTE_PUBLIC },
  { NULL, NULL, NULL, 0 },
};
