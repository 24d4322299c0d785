/* router.c — the dispatch: every request of `procsim serve` passes here.
 * The body cap before the body is read, the route table, who is asking
 * (auth.c), the language, the role a route needs, the form decoded and the
 * CSRF check, the batch opened before an unsafe method writes; then the
 * route's function. Handlers (api.c, pages-*.c) only do their own work,
 * with the request and reply functions below them (request.c, html.c,
 * reply.c); server.h explains how to write one. Nothing calls back into
 * this file but libsoup.
 */
#include "server.h"

#include <string.h>

/* Every table of routes, searched in order. */
static const Route *const tables[] = {
  api_routes,
  pages_trainee_routes,
  pages_trainer_routes,
  pages_upload_routes,
  pages_admin_routes,
  groups_routes,
  pages_login_routes,
};


static void
upload_free (gpointer data)
{
  Upload *u = data;
  g_free (u->filename);
  g_bytes_unref (u->data);
  g_free (u);
}

static void
req_free (gpointer data)
{
  Req *req = data;
  g_strfreev (req->segments);
  if (req->query != NULL)
    g_hash_table_unref (req->query);
  if (req->form != NULL)
    g_hash_table_unref (req->form);
  if (req->files != NULL)
    g_hash_table_unref (req->files);
  user_free (req->user);
  g_free (req->token_hash);
  g_free (req->csrf);
  g_free (req);
}


/* "/api/v1/sessions/x" → {"api", "v1", "sessions", "x"} (empty segments
 * dropped). (transfer full) */
static char **
split_path (const char *path)
{
  g_auto (GStrv) raw = g_strsplit (path, "/", -1);
  GPtrArray *out = g_ptr_array_new ();
  for (guint i = 0; raw[i] != NULL; i++)
    if (*raw[i] != '\0')
      g_ptr_array_add (out, g_strdup (raw[i]));
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

/* TRUE when @segments match @pattern; the "*" segments go to @args. */
static gboolean
match (const char *pattern, char **segments, const char **args)
{
  g_auto (GStrv) parts = split_path (pattern);
  guint n_args = 0, i = 0;
  for (; parts[i] != NULL; i++)
    {
      if (segments[i] == NULL)
        return FALSE;
      if (strcmp (parts[i], "*") == 0)
        {
          if (n_args < 4)
            args[n_args++] = segments[i];
        }
      else if (strcmp (parts[i], segments[i]) != 0)
        return FALSE;
    }
  return segments[i] == NULL;
}

/* The route for @method and @segments; *@path_known is TRUE when some
 * route has the path, whatever its method (for 405). */
static const Route *
find_route (const char *method, char **segments, const char **args, gboolean *path_known)
{
  *path_known = FALSE;
  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    for (const Route *r = tables[t]; r->pattern != NULL; r++)
      {
        const char *a[4] = { NULL };
        if (!match (r->pattern, segments, a))
          continue;
        *path_known = TRUE;
        /* HEAD is GET without the body (libsoup drops it). */
        if (strcmp (r->method, method) == 0
            || (strcmp (method, "HEAD") == 0 && strcmp (r->method, "GET") == 0))
          {
            memcpy (args, a, sizeof a);
            return r;
          }
      }
  return NULL;
}

static const char *
content_type (Req *req)
{
  const char *ct = soup_message_headers_get_content_type (
      soup_server_message_get_request_headers (req->msg), NULL);
  return ct != NULL ? ct : "";
}

/* ?lang=, else the user's, else the cookie, else the browser's. */
static const char *
choose_lang (Req *req)
{
  const char *q = req_query (req, "lang");
  if (q != NULL && psim_lang_is_supported (q))
    return psim_lang_normalize (q);
  if (req->user != NULL && req->user->lang != NULL)
    return psim_lang_normalize (req->user->lang);
  g_autofree char *cookie = req_cookie (req, LANG_COOKIE);
  if (cookie != NULL && psim_lang_is_supported (cookie))
    return psim_lang_normalize (cookie);
  const char *accept = soup_message_headers_get_one (
      soup_server_message_get_request_headers (req->msg), "Accept-Language");
  return psim_lang_from_accept_language (accept, "en");
}

/* A multipart form (a file upload): its plain fields go to req->form, as
 * an urlencoded form's would (the CSRF field among them), its files to
 * req->files. A body that is no multipart leaves both NULL. */
static void
decode_multipart (Req *req)
{
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
  g_autoptr (GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr (SoupMultipart) mp = soup_multipart_new_from_message (
    soup_server_message_get_request_headers (req->msg), bytes);
  if (mp == NULL)
    return;
  req->form = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  req->files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, upload_free);
  for (int i = 0; i < soup_multipart_get_length (mp); i++)
    {
      SoupMessageHeaders *h;
      GBytes *part;
      g_autoptr (GHashTable) params = NULL;
      if (!soup_multipart_get_part (mp, i, &h, &part)
          || !soup_message_headers_get_content_disposition (h, NULL, &params))
        continue;
      const char *name = g_hash_table_lookup (params, "name");
      const char *filename = g_hash_table_lookup (params, "filename");
      if (name == NULL)
        continue;
      if (filename == NULL)
        {
          gsize n = 0;
          const char *data = g_bytes_get_data (part, &n);
          g_hash_table_replace (req->form, g_strdup (name), g_strndup (data, n));
          continue;
        }
      Upload *u = g_new0 (Upload, 1);
      u->filename = g_strdup (filename);
      u->data = g_bytes_ref (part);
      g_hash_table_replace (req->files, g_strdup (name), u);
    }
}


static gboolean
is_unsafe (const char *method)
{
  return strcmp (method, "GET") != 0 && strcmp (method, "HEAD") != 0
         && strcmp (method, "OPTIONS") != 0;
}

/* ---- the handlers libsoup calls ---------------------------------------------------------- */

/* Before the body is read: a body over the route's cap is refused with
 * 413 and never read; a body without a length (chunked) with 411. */
static void
early (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
       gpointer data)
{
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  SoupEncoding enc = soup_message_headers_get_encoding (h);
  g_auto (GStrv) segments = split_path (path);
  const char *args[4];
  gboolean known;
  const Route *r = find_route (soup_server_message_get_method (msg), segments, args, &known);
  goffset cap = r != NULL && (r->flags & ROUTE_UPLOAD) != 0 ? UPLOAD_CAP : BODY_CAP;
  guint status = 0;
  if (enc == SOUP_ENCODING_CHUNKED || enc == SOUP_ENCODING_EOF)
    status = SOUP_STATUS_LENGTH_REQUIRED;
  else if (enc == SOUP_ENCODING_CONTENT_LENGTH && soup_message_headers_get_content_length (h) > cap)
    status = SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE;
  if (status == 0)
    return;
  /* A minimal Req, only to reply in the right format and language. */
  Req req = { .msg = msg, .method = soup_server_message_get_method (msg), .path = path,
              .flags = r != NULL ? r->flags : 0 };
  req.lang = psim_lang_from_accept_language (soup_message_headers_get_one (h, "Accept-Language"),
                                             "en");
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                "close");
  reply_error (&req, status,
               status == SOUP_STATUS_LENGTH_REQUIRED
                   ? psim_gettext (req.lang, "A request body needs a Content-Length.")
                   : psim_gettext (req.lang, "The request is too large."));
}

static void
handle (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
        gpointer data)
{
  Req *req = g_new0 (Req, 1);
  /* The request lives as long as the message: a paused handler finishes
   * it later (auth.c's logins). */
  g_object_set_data_full (G_OBJECT (msg), "psim-req", req, req_free);
  req->srv = data;
  req->msg = msg;
  req->method = soup_server_message_get_method (msg);
  req->path = path;
  req->segments = split_path (path);
  req->query = query != NULL ? g_hash_table_ref (query) : NULL;

  gboolean known = FALSE;
  const Route *r = find_route (req->method, req->segments, req->args, &known);
  auth_identify (req);
  req->lang = choose_lang (req);
  if (r == NULL)
    {
      req->flags = req_is_api (req) ? 0 : ROUTE_PAGE;
      if (known)
        {
          reply_error (req, SOUP_STATUS_METHOD_NOT_ALLOWED,
                       psim_gettext (req->lang, "This address does not take that method."));
          return;
        }
      reply_error (req, SOUP_STATUS_NOT_FOUND,
                   psim_gettext (req->lang, "There is nothing at this address."));
      return;
    }
  req->flags = r->flags;
  guint need = r->flags & (ROUTE_USER | ROUTE_TRAINER | ROUTE_ADMIN);
  if (need != 0 && req->user == NULL)
    {
      if ((r->flags & ROUTE_PAGE) != 0 && !is_unsafe (req->method))
        {
          g_autofree char *escaped = g_uri_escape_string (path, "/", FALSE);
          g_autofree char *to = g_strdup_printf ("/login?next=%s", escaped);
          reply_redirect (req, to);
          return;
        }
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer");
      reply_error (req, SOUP_STATUS_UNAUTHORIZED,
                   psim_gettext (req->lang, "Please log in first."));
      return;
    }
  if (((need & ROUTE_ADMIN) != 0 && req->user->role != ROLE_ADMIN)
      || ((need & ROUTE_TRAINER) != 0 && req->user->role == ROLE_TRAINEE))
    {
      reply_error (req, SOUP_STATUS_FORBIDDEN,
                   psim_gettext (req->lang, "Your account may not do this."));
      return;
    }
  if (is_unsafe (req->method))
    {
      if (g_str_has_prefix (content_type (req), "application/x-www-form-urlencoded"))
        {
          gsize length = 0;
          const char *body = req_body (req, &length);
          req->form = soup_form_decode (body);
        }
      else if (g_str_has_prefix (content_type (req), "multipart/form-data"))
        decode_multipart (req);
      if (!auth_check_csrf (req))
        {
          reply_error (req, SOUP_STATUS_FORBIDDEN,
                       psim_gettext (req->lang, "The form has expired or did not come from "
                                                "this site. Please reload the page and try "
                                                "again."));
          return;
        }
    }
  if (is_unsafe (req->method))
    reply_write_begin (req->srv);
  r->func (req);
  if (!req->replied && req->pauses == 0)
    {
      g_warning ("%s %s: no reply", req->method, path);
      reply_error (req, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                   psim_gettext (req->lang, "Something went wrong on the server."));
    }
}

void
router_attach (Server *srv, SoupServer *soup)
{
  soup_server_add_early_handler (soup, NULL, early, srv, NULL);
  soup_server_add_handler (soup, NULL, handle, srv, NULL);
}
