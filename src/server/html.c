/* html.c — what every page shares: escaping (all text that reaches a page
 * goes through html_escape, scenario texts included: they come from
 * uploads), the CSRF field of forms, and the frame of a page (head, the
 * header with the language switch and the logout button, footer). Pages
 * link only to this server's own stylesheet: the CSP allows nothing else.
 */
#include "server.h"

#include <string.h>

void
html_escape (GString *out, const char *text)
{
  if (text == NULL)
    return;
  for (const char *c = text; *c != '\0'; c++)
    switch (*c)
      {
      case '&': g_string_append (out, "&amp;"); break;
      case '<': g_string_append (out, "&lt;"); break;
      case '>': g_string_append (out, "&gt;"); break;
      case '"': g_string_append (out, "&quot;"); break;
      case '\'': g_string_append (out, "&#39;"); break;
      default: g_string_append_c (out, *c);
      }
}

const char *
html_csrf_token (Req *req)
{
  if (req->csrf != NULL)
    return req->csrf;
  /* Nobody logged in (the login form): a secret in a cookie, sent back by
   * the form (double submit). Keep the one the browser has. */
  req->csrf = req_cookie (req, CSRF_COOKIE);
  if (req->csrf == NULL || strlen (req->csrf) < 32)
    {
      g_free (req->csrf);
      req->csrf = secret_new ();
      reply_set_cookie (req, CSRF_COOKIE, req->csrf, 24 * 3600);
    }
  return req->csrf;
}

void
html_csrf_field (Req *req, GString *out)
{
  g_string_append (out, "<input type=\"hidden\" name=\"csrf\" value=\"");
  html_escape (out, html_csrf_token (req));
  g_string_append (out, "\">");
}

GString *
html_page_begin (Req *req, const char *title)
{
  GString *p = g_string_new ("<!DOCTYPE html>\n<html lang=\"");
  g_string_append (p, req->lang);
  g_string_append (p, "\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                      "<title>");
  html_escape (p, title);
  g_string_append (p, " — procsim</title>\n"
                      "<link rel=\"stylesheet\" href=\"/static/style.css\">\n"
                      "<script src=\"/static/view.js\" defer></script>\n</head>\n<body>\n"
                      "<header>\n<a class=\"brand\" href=\"/\">procsim</a>\n"
                      "<nav aria-label=\"");
  html_escape (p, psim_gettext (req->lang, "Language"));
  g_string_append (p, "\">");
  for (const char *const *l = psim_lang_get_all (); *l != NULL; l++)
    {
      static const char *const names[][2] = { { "en", "English" }, { "vi", "Tiếng Việt" } };
      const char *name = *l;
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        if (strcmp (names[i][0], *l) == 0)
          name = names[i][1];
      if (strcmp (*l, req->lang) == 0)
        {
          g_string_append (p, "<span aria-current=\"true\">");
          html_escape (p, name);
          g_string_append (p, "</span> ");
        }
      else
        {
          g_string_append (p, "<a lang=\"");
          html_escape (p, *l);
          g_string_append (p, "\" href=\"?lang=");
          html_escape (p, *l);
          g_string_append (p, "\">");
          html_escape (p, name);
          g_string_append (p, "</a> ");
        }
    }
  g_string_append (p, "</nav>\n");
  if (req->user != NULL)
    {
      g_string_append (p, "<form method=\"post\" action=\"/logout\" class=\"who\"><span>");
      html_escape (p, req->user->name);
      g_string_append (p, "</span> ");
      html_csrf_field (req, p);
      g_string_append (p, "<button type=\"submit\">");
      html_escape (p, psim_gettext (req->lang, "Log out"));
      g_string_append (p, "</button></form>\n");
    }
  g_string_append (p, "</header>\n<main>\n<h1>");
  html_escape (p, title);
  g_string_append (p, "</h1>\n");
  return p;
}

void
html_page_end (Req *req, GString *page, guint status)
{
  g_string_append (page, "</main>\n</body>\n</html>\n");
  reply_html (req, status, page);
}

/* ---- error replies ------------------------------------------------------------------- */

void
reply_error (Req *req, guint status, const char *message)
{
  if (!req_is_api (req) && (req->flags & ROUTE_PAGE) != 0)
    {
      GString *page = html_page_begin (req, psim_gettext (req->lang, "Error"));
      g_string_append (page, "<p role=\"alert\">");
      html_escape (page, message);
      g_string_append (page, "</p>\n<p><a href=\"/\">");
      html_escape (page, psim_gettext (req->lang, "Back to the start page"));
      g_string_append (page, "</a></p>\n");
      html_page_end (req, page, status);
      return;
    }
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_int_value (b, status);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  json_builder_end_object (b);
  reply_builder (req, status, b);
}

void
reply_errorf (Req *req, guint status, const char *format, ...)
{
  va_list ap;
  va_start (ap, format);
  g_autofree char *message = g_strdup_vprintf (format, ap);
  va_end (ap);
  reply_error (req, status, message);
}
