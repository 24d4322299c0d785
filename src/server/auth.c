/* auth.c — logins and who is asking: login tokens (secret.c's random
 * secrets) kept only as their SHA-256 in the database and expiring after
 * TOKEN_TTL, the cookie that carries a browser's token, the CSRF check,
 * and the login rate limit.
 *
 * A password check costs tens of milliseconds of CPU and 19 MiB by design,
 * so it runs in a worker thread while the request is paused: the main loop
 * goes on serving answers. Only the check leaves the main thread; the
 * database is read before and written after, on the main thread.
 */
#include "server.h"

#include <sodium.h>
#include <string.h>

/* The rate limit: failures per user name and per address in a window. */
#define LIMIT_WINDOW (15 * G_TIME_SPAN_MINUTE)
#define LIMIT_PER_USER 5
#define LIMIT_PER_ADDRESS 20
#define LIMIT_GUESTS_PER_ADDRESS 30 /* guest accounts made in a window */
#define LIMIT_KEYS 100000 /* counts kept before the oldest are dropped */

typedef struct {
  guint failures;
  gint64 since;
} Count;

struct _Auth {
  GHashTable *counts; /* "u:NAME" or "a:ADDRESS" → Count* */
  char *dummy_hash;   /* checked for unknown users, for equal timing */
};

Auth *
auth_new (void)
{
  Auth *auth = g_new0 (Auth, 1);
  auth->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return auth;
}

void
auth_free (Auth *auth)
{
  if (auth == NULL)
    return;
  g_hash_table_unref (auth->counts);
  g_free (auth->dummy_hash);
  g_free (auth);
}

/* ---- who is asking ---------------------------------------------------------------- */

void
auth_identify (Req *req)
{
  const char *header = soup_message_headers_get_one (
      soup_server_message_get_request_headers (req->msg), "Authorization");
  g_autofree char *token = NULL;
  if (header != NULL && g_ascii_strncasecmp (header, "Bearer ", 7) == 0)
    {
      token = g_strstrip (g_strdup (header + 7));
      req->by_bearer = TRUE;
    }
  else
    token = req_cookie (req, LOGIN_COOKIE);
  if (token == NULL || *token == '\0')
    return;
  req->token_hash = secret_token_hash (token);
  g_autoptr (GError) error = NULL;
  req->user = db_get_token_user (srv_get_db (req->srv), req->token_hash, g_get_real_time (),
                                 &req->csrf, &error);
  if (error != NULL)
    g_warning ("login token: %s", error->message);
  if (req->user == NULL)
    {
      g_clear_pointer (&req->token_hash, g_free);
      req->by_bearer = FALSE;
    }
}

gboolean
auth_check_csrf (Req *req)
{
  if (req->by_bearer)
    return TRUE; /* browsers never add an Authorization header by themselves */
  SoupMessageHeaders *h = soup_server_message_get_request_headers (req->msg);
  const char *sent = soup_message_headers_get_one (h, "X-CSRF-Token");
  if (sent == NULL)
    sent = req_form (req, "csrf");
  if (req->user != NULL)
    return secret_equal (sent, req->csrf);
  /* Anonymous: a cross-site page cannot send JSON without asking first
   * (CORS), and we never say yes; a form must send back the cookie's
   * value (double submit). */
  const char *ct = soup_message_headers_get_content_type (h, NULL);
  if (ct != NULL && g_ascii_strcasecmp (ct, "application/json") == 0)
    return TRUE;
  g_autofree char *cookie = req_cookie (req, CSRF_COOKIE);
  return cookie != NULL && *cookie != '\0' && secret_equal (sent, cookie);
}

void
auth_logout (Req *req)
{
  if (req->token_hash != NULL)
    db_remove_token (srv_get_db (req->srv), req->token_hash, NULL);
  if (!req->by_bearer)
    reply_set_cookie (req, LOGIN_COOKIE, "", 0);
}

/* ---- the rate limit ----------------------------------------------------------------- */

static Count *
count_get (Auth *auth, const char *key, gint64 now)
{
  Count *c = g_hash_table_lookup (auth->counts, key);
  if (c != NULL && now - c->since > LIMIT_WINDOW)
    {
      c->failures = 0;
      c->since = now;
    }
  return c;
}

/* Seconds until @key may try again, 0 when it may now. */
static gint64
limited (Auth *auth, const char *key, guint limit, gint64 now)
{
  Count *c = count_get (auth, key, now);
  if (c == NULL || c->failures < limit)
    return 0;
  return MAX ((c->since + LIMIT_WINDOW - now) / G_USEC_PER_SEC, 1);
}

static void
count_failure (Auth *auth, const char *key, gint64 now)
{
  if (g_hash_table_size (auth->counts) >= LIMIT_KEYS)
    {
      /* Forget the expired counts; a flood of fresh ones starts over. */
      GHashTableIter it;
      gpointer value;
      g_hash_table_iter_init (&it, auth->counts);
      while (g_hash_table_iter_next (&it, NULL, &value))
        if (now - ((Count *) value)->since > LIMIT_WINDOW)
          g_hash_table_iter_remove (&it);
      if (g_hash_table_size (auth->counts) >= LIMIT_KEYS)
        g_hash_table_remove_all (auth->counts);
    }
  Count *c = count_get (auth, key, now);
  if (c == NULL)
    {
      c = g_new0 (Count, 1);
      c->since = now;
      g_hash_table_insert (auth->counts, g_strdup (key), c);
    }
  c->failures++;
}

/* 429 with Retry-After: @wait seconds. */
static void
reply_too_many (Req *req, gint64 wait, const char *message)
{
  g_autofree char *seconds = g_strdup_printf ("%" G_GINT64_FORMAT, wait);
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                "Retry-After", seconds);
  reply_error (req, 429 /* Too Many Requests */, message);
}

/* ---- logins ---------------------------------------------------------------------------- */

typedef struct {
  Req *req;
  User *user;     /* (nullable) the account named */
  char *hash;     /* the hash checked: the user's or the dummy */
  char *password;
  char *user_key, *address_key;
  LoginDone done;
} Login;

static void
login_free (Login *l)
{
  user_free (l->user);
  g_free (l->hash);
  if (l->password != NULL)
    sodium_memzero (l->password, strlen (l->password));
  g_free (l->password);
  g_free (l->user_key);
  g_free (l->address_key);
  g_free (l);
}

/* A new login of @user: its token kept (hashed) with a CSRF secret, then
 * @done replies; a 503 when the database does not answer. */
static void
start_login (Req *req, User *user, gint64 now, LoginDone done)
{
  g_autofree char *token = secret_new ();
  g_autofree char *hash = secret_token_hash (token);
  g_autofree char *csrf = secret_new ();
  gint64 expires = now + TOKEN_TTL;
  g_autoptr (GError) error = NULL;
  reply_write_begin (req->srv);
  if (!db_add_token (srv_get_db (req->srv), hash, user->name, csrf, expires, &error))
    {
      g_warning ("login: %s", error->message);
      reply_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE,
                   psim_gettext (req->lang, "The database does not answer. Please try "
                                            "again in a moment."));
    }
  else
    done (req, user, token, csrf, expires);
}

static void
check_in_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancel)
{
  Login *l = data;
  g_task_return_boolean (task, secret_verify_password (l->hash, l->password));
}

static void
checked (GObject *source, GAsyncResult *result, gpointer data)
{
  Login *l = data;
  Req *req = l->req;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), NULL) && l->user != NULL;
  Auth *auth = srv_get_auth (req->srv);
  gint64 now = g_get_real_time ();
  if (!ok)
    {
      count_failure (auth, l->user_key, now);
      count_failure (auth, l->address_key, now);
      reply_error (req, SOUP_STATUS_UNAUTHORIZED,
                   psim_gettext (req->lang, "Wrong user name or password."));
    }
  else
    {
      g_hash_table_remove (auth->counts, l->user_key);
      start_login (req, l->user, now, l->done);
    }
  req_resume (req);
  login_free (l);
}

void
auth_login (Req *req, const char *name, const char *password, LoginDone done)
{
  Auth *auth = srv_get_auth (req->srv);
  gint64 now = g_get_real_time ();
  g_autofree char *user_key = g_strconcat ("u:", name, NULL);
  g_autofree char *address_key = g_strconcat ("a:", req_remote (req), NULL);
  gint64 wait = MAX (limited (auth, user_key, LIMIT_PER_USER, now),
                     limited (auth, address_key, LIMIT_PER_ADDRESS, now));
  if (wait > 0)
    {
      reply_too_many (req, wait, psim_gettext (req->lang, "Too many failed logins: please wait "
                                                          "a few minutes before trying again."));
      return;
    }
  g_autoptr (GError) error = NULL;
  Login *l = g_new0 (Login, 1);
  l->req = req;
  l->done = done;
  l->user = db_get_user (srv_get_db (req->srv), name, &error);
  if (l->user == NULL && auth->dummy_hash == NULL)
    auth->dummy_hash = secret_hash_password ("not a password", NULL);
  l->hash = g_strdup (l->user != NULL ? l->user->pwhash : auth->dummy_hash);
  l->password = g_strdup (password);
  l->user_key = g_steal_pointer (&user_key);
  l->address_key = g_steal_pointer (&address_key);
  req_pause (req);
  g_autoptr (GTask) task = g_task_new (NULL, NULL, checked, l);
  g_task_set_task_data (task, l, NULL);
  g_task_run_in_thread (task, check_in_thread);
}

/* ---- guests ----------------------------------------------------------------------------- */

void
auth_login_guest (Req *req, LoginDone done)
{
  Auth *auth = srv_get_auth (req->srv);
  gint64 now = g_get_real_time ();
  g_autofree char *address_key = g_strconcat ("g:", req_remote (req), NULL);
  gint64 wait = limited (auth, address_key, LIMIT_GUESTS_PER_ADDRESS, now);
  if (wait > 0)
    {
      reply_too_many (req, wait, psim_gettext (req->lang, "Too many guests from this address: "
                                                          "please wait a few minutes before "
                                                          "trying again."));
      return;
    }
  /* A fresh account of its own, so that the guest's sessions are theirs
   * alone like anybody's. "!" is no crypto_pwhash string: no password
   * ever logs in as a guest; the login cookie is the only way back. */
  guint8 raw[8];
  randombytes_buf (raw, sizeof raw);
  g_autofree char *hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, raw, sizeof raw);
  hex[12] = '\0';
  g_autofree char *name = g_strconcat (GUEST_PREFIX, hex, NULL);
  User guest = { .name = name, .role = ROLE_TRAINEE, .lang = (char *) req->lang,
                 .pwhash = (char *) "!" };
  g_autoptr (GError) error = NULL;
  reply_write_begin (req->srv);
  if (!db_add_user (srv_get_db (req->srv), &guest, &error))
    {
      g_warning ("guest: %s", error->message);
      reply_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE,
                   psim_gettext (req->lang, "The database does not answer. Please try "
                                            "again in a moment."));
      return;
    }
  count_failure (auth, address_key, now);
  start_login (req, &guest, now, done);
}
