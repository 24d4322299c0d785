/* pages-login.c — the pages every visitor meets: the login form, logging
 * out, the start page (the catalogue and one's own sessions) and the
 * stylesheet. They work without script: plain forms, posted back with their
 * CSRF field, answered with a redirect.
 */
#include "server.h"

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
  html_page_end (req, p, SOUP_STATUS_OK);
}

static void
logged_in (Req *req, User *user, const char *token, const char *csrf, gint64 expires)
{
  auth_set_cookie (req, LOGIN_COOKIE, token, TOKEN_TTL / G_USEC_PER_SEC);
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

static void
logout_post (Req *req)
{
  auth_logout (req);
  reply_redirect (req, "/login");
}

static void
start_page (Req *req)
{
  GString *p = html_page_begin (req, psim_gettext (req->lang, "Training scenarios"));
  GPtrArray *all = srv_list_scenarios (req->srv);
  g_string_append (p, "<ul class=\"catalogue\">\n");
  for (guint i = 0; i < all->len; i++)
    {
      PsimScenario *sc = g_ptr_array_index (all, i);
      g_string_append (p, "<li><strong>");
      html_escape (p, psim_scenario_get_title (sc, req->lang));
      g_string_append (p, "</strong><br>");
      html_escape (p, psim_scenario_get_briefing (sc, req->lang));
      g_string_append (p, "</li>\n");
    }
  g_string_append (p, "</ul>\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) mine = psim_store_list (db_get_store (srv_get_db (req->srv)),
                                                req->user->name, &error);
  if (mine != NULL && mine->len > 0)
    {
      g_string_append (p, "<h2>");
      html_escape (p, psim_gettext (req->lang, "Your sessions"));
      g_string_append (p, "</h2>\n<ul class=\"sessions\">\n");
      for (guint i = 0; i < mine->len; i++)
        {
          const PsimStoreEntry *e = g_ptr_array_index (mine, i);
          PsimScenario *sc = srv_get_scenario (req->srv, e->scenario);
          g_string_append (p, "<li>");
          html_escape (p, sc != NULL ? psim_scenario_get_title (sc, req->lang) : e->scenario);
          g_autofree char *state = e->finished
                                       ? g_strdup_printf ("%d / %d", e->score, e->max_score)
                                       : g_strdup (psim_gettext (req->lang, "unfinished"));
          g_string_append (p, " — ");
          html_escape (p, state);
          g_string_append (p, "</li>\n");
        }
      g_string_append (p, "</ul>\n");
    }
  html_page_end (req, p, SOUP_STATUS_OK);
}

static void
stylesheet (Req *req)
{
  g_autoptr (GBytes) css = g_resources_lookup_data ("/org/procsim/server/style.css",
                                                    G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  gsize n = 0;
  const char *data = css != NULL ? g_bytes_get_data (css, &n) : "";
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                "Cache-Control", "public, max-age=3600");
  g_autofree char *text = g_strndup (data, n);
  reply_text (req, SOUP_STATUS_OK, "text/css; charset=utf-8", text);
}

const Route pages_login_routes[] = {
  { "GET", "/", start_page, ROUTE_PAGE | ROUTE_USER },
  { "GET", "/login", login_form, ROUTE_PAGE },
  { "POST", "/login", login_post, ROUTE_PAGE },
  { "POST", "/logout", logout_post, ROUTE_PAGE | ROUTE_USER },
  { "GET", "/static/style.css", stylesheet, ROUTE_PUBLIC },
  { NULL, NULL, NULL, 0 },
};
