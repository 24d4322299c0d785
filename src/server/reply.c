/* reply.c — the request and its reply, below every handler and the
 * router: what a request carries (body, query, form fields and files,
 * cookies, the client's address), pausing a request for work elsewhere,
 * and the replies (JSON, HTML, text, redirects, cookies) with their
 * security headers, each made exactly once.
 *
 * Group commit (db.h) lives here too, because it is about when a reply may
 * leave: reply_write_begin opens the database's batch before a request
 * writes and schedules its commit a moment later; every reply made while a
 * batch is open is held and sent only once the batch is committed, or
 * replaced by a 503 when the commit fails. So no reply tells of anything
 * not yet on disk, and one fsync serves every request of that moment.
 *
 * It knows nothing of pages, logins or routes: an error reply, which may be
 * a page, is html.c's reply_error.
 */
#include "server.h"

#include <string.h>

/* No resource from elsewhere, no framing, forms only to us. */
#define CSP "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; " \
            "base-uri 'none'; form-action 'self'"

static gboolean hold (Server *srv, Req *req);

const char *
req_body (Req *req, gsize *length)
{
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
  /* Flattening leaves the whole body in @body (libsoup keeps it),
   * NUL-terminated; the returned reference is not needed. */
  g_bytes_unref (soup_message_body_flatten (body));
  *length = (gsize) body->length;
  return body->data != NULL ? body->data : "";
}

const char *
req_query (Req *req, const char *name)
{
  return req->query != NULL ? g_hash_table_lookup (req->query, name) : NULL;
}

const char *
req_form (Req *req, const char *name)
{
  return req->form != NULL ? g_hash_table_lookup (req->form, name) : NULL;
}

char *
req_cookie (Req *req, const char *name)
{
  const char *header = soup_message_headers_get_list (
      soup_server_message_get_request_headers (req->msg), "Cookie");
  if (header == NULL)
    return NULL;
  g_auto (GStrv) pairs = g_strsplit (header, ";", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      char *pair = g_strstrip (pairs[i]);
      const char *eq = strchr (pair, '=');
      if (eq != NULL && (gsize) (eq - pair) == strlen (name) && strncmp (pair, name, eq - pair) == 0)
        return g_strdup (eq + 1);
    }
  return NULL;
}

const char *
req_remote (Req *req)
{
  const char *host = soup_server_message_get_remote_host (req->msg);
  if (host == NULL)
    return "?";
  /* Behind a proxy on the same machine (docs/deploy.md), every request
   * comes from loopback: the client is the last address the proxy added
   * to X-Forwarded-For (the ones before it are the client's own word).
   * From anywhere else the header is not believed. */
  if (strcmp (host, "127.0.0.1") != 0 && strcmp (host, "::1") != 0)
    return host;
  const char *xff = soup_message_headers_get_list (
      soup_server_message_get_request_headers (req->msg), "X-Forwarded-For");
  if (xff == NULL)
    return host;
  const char *last = strrchr (xff, ',');
  last = last != NULL ? last + 1 : xff;
  while (*last == ' ')
    last++;
  if (*last == '\0')
    return host;
  /* Kept with the request, for the login that asks. */
  char *client = g_strdup (last);
  g_object_set_data_full (G_OBJECT (req->msg), "psim-remote", client, g_free);
  return client;
}

const Upload *
req_file (Req *req, const char *name)
{
  return req->files != NULL ? g_hash_table_lookup (req->files, name) : NULL;
}

gboolean
req_is_api (const Req *req)
{
  return g_str_has_prefix (req->path, "/api/");
}

void
req_pause (Req *req)
{
  if (req->pauses++ == 0)
    soup_server_message_pause (req->msg);
}

void
req_resume (Req *req)
{
  g_return_if_fail (req->pauses > 0);
  if (--req->pauses == 0)
    soup_server_message_unpause (req->msg);
}

/* ---- replies ---------------------------------------------------------------------- */

static void
security_headers (Req *req)
{
  SoupMessageHeaders *h = soup_server_message_get_response_headers (req->msg);
  soup_message_headers_replace (h, "Content-Security-Policy", CSP);
  soup_message_headers_replace (h, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (h, "X-Frame-Options", "DENY");
  soup_message_headers_replace (h, "Referrer-Policy", "same-origin");
  if (soup_message_headers_get_one (h, "Cache-Control") == NULL)
    soup_message_headers_replace (h, "Cache-Control", "no-store");
}

static void
finish (Req *req, guint status, const char *content_type, char *body, gsize length)
{
  if (req->replied)
    {
      g_warning ("a second reply to %s %s", req->method, req->path);
      g_free (body);
      return;
    }
  req->replied = TRUE;
  security_headers (req);
  soup_server_message_set_status (req->msg, status, NULL);
  if (body != NULL)
    soup_server_message_set_response (req->msg, content_type, SOUP_MEMORY_TAKE, body, length);
  /* The early handler's replies (req->srv NULL) are about nothing stored. */
  if (req->srv != NULL)
    hold (req->srv, req);
}

void
reply_write_failed (Req *req)
{
  req->replied = FALSE;
  soup_message_headers_remove (soup_server_message_get_response_headers (req->msg), "Location");
  soup_message_headers_remove (soup_server_message_get_response_headers (req->msg),
                               "Set-Cookie");
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_int_value (b, SOUP_STATUS_SERVICE_UNAVAILABLE);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, psim_gettext (req->lang, "The database does not answer. "
                                                             "Please try again in a moment."));
  json_builder_end_object (b);
  json_builder_end_object (b);
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  gsize length = 0;
  char *text = psim_json_node_to_text (root, FALSE, &length);
  req->replied = TRUE;
  soup_server_message_set_status (req->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
  soup_server_message_set_response (req->msg, "application/json; charset=utf-8",
                                    SOUP_MEMORY_TAKE, text, length);
}

void
reply_json (Req *req, guint status, JsonNode *root)
{
  gsize length = 0;
  char *text = psim_json_node_to_text (root, FALSE, &length);
  json_node_unref (root);
  finish (req, status, "application/json; charset=utf-8", text, length);
}

void
reply_builder (Req *req, guint status, JsonBuilder *b)
{
  reply_json (req, status, json_builder_get_root (b));
}

void
reply_html (Req *req, guint status, GString *page)
{
  gsize length = page->len;
  finish (req, status, "text/html; charset=utf-8", g_string_free (page, FALSE), length);
}

void
reply_text (Req *req, guint status, const char *content_type, const char *text)
{
  finish (req, status, content_type, g_strdup (text), strlen (text));
}

void
reply_redirect (Req *req, const char *location)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                "Location", location);
  finish (req, SOUP_STATUS_SEE_OTHER, NULL, NULL, 0);
}

void
reply_set_cookie (Req *req, const char *name, const char *value, gint64 max_age_s)
{
  g_autoptr (GString) c = g_string_new (NULL);
  g_string_append_printf (c, "%s=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%" G_GINT64_FORMAT,
                          name, value, max_age_s);
  if (srv_is_secure (req->srv))
    g_string_append (c, "; Secure");
  soup_message_headers_append (soup_server_message_get_response_headers (req->msg),
                               "Set-Cookie", c->str);
}

/* ---- group commit ---------------------------------------------------------------------- */

/* How long a batch stays open for more writes to join it. */
#define BATCH_MS 2

struct _WriteBatch {
  Server *srv;
  GPtrArray *held;       /* SoupServerMessage* (a reference each) waiting
                          * for the open batch's commit */
  guint commit_source;
};

WriteBatch *
reply_batch_new (Server *srv)
{
  WriteBatch *batch = g_new0 (WriteBatch, 1);
  batch->srv = srv;
  batch->held = g_ptr_array_new_with_free_func (g_object_unref);
  return batch;
}

static gboolean
commit_batch (gpointer data)
{
  WriteBatch *batch = data;
  batch->commit_source = 0;
  g_autoptr (GError) error = NULL;
  gboolean ok = db_batch_commit (srv_get_db (batch->srv), &error);
  if (!ok)
    {
      g_warning ("commit: %s", error->message);
      /* The live sessions may be ahead of the database: restore them. */
      srv_forget_sessions (batch->srv);
    }
  g_autoptr (GPtrArray) held = g_steal_pointer (&batch->held);
  batch->held = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < held->len; i++)
    {
      Req *req = g_object_get_data (G_OBJECT (g_ptr_array_index (held, i)), "psim-req");
      if (req == NULL)
        continue;
      if (!ok)
        reply_write_failed (req);
      req_resume (req);
    }
  return G_SOURCE_REMOVE;
}

void
reply_batch_free (WriteBatch *batch)
{
  if (batch == NULL)
    return;
  if (batch->commit_source != 0)
    {
      g_source_remove (batch->commit_source);
      commit_batch (batch);
    }
  g_ptr_array_unref (batch->held);
  g_free (batch);
}

void
reply_write_begin (Server *srv)
{
  Db *db = srv_get_db (srv);
  if (db_in_batch (db))
    return;
  g_autoptr (GError) error = NULL;
  if (!db_batch_begin (db, &error))
    {
      /* Without a batch each write commits by itself: slower, as safe. */
      g_warning ("batch: %s", error->message);
      return;
    }
  WriteBatch *batch = srv_get_batch (srv);
  batch->commit_source = g_timeout_add (BATCH_MS, commit_batch, batch);
}

/* Holds @req's reply until the open batch commits; FALSE when no batch is
 * open (send it now). */
static gboolean
hold (Server *srv, Req *req)
{
  if (!db_in_batch (srv_get_db (srv)))
    return FALSE;
  req_pause (req);
  g_ptr_array_add (srv_get_batch (srv)->held, g_object_ref (req->msg));
  return TRUE;
}
