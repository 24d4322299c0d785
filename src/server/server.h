/* server.h — `procsim serve`: the browser trainer's HTTP server, on
 * libsoup-3.0, over the library's public API and the database (db.h).
 *
 * Files, one concern each, each using only those below it:
 *   serve.c         start-up: options, database, listening, the main loop
 *   router.c        the dispatch: the route table, the body caps, who is
 *                   asking, the language, the role a route needs, CSRF
 *   auth.c          logins (a worker thread for the password check), who
 *                   is asking (token or cookie), CSRF, the login rate limit
 *   request.c       a request's JSON body and the scenario it names, with
 *                   the error reply when they are wrong
 *   html.c          escaping, the page frame, and error replies (JSON for
 *                   /api, a page for pages)
 *   reply.c         the request's accessors, its replies with their
 *                   security headers and cookies, and the group commit
 *   state.c         the catalogue of scenarios and the live sessions
 *                   (state.h: the Server's layout, for state.c and serve.c)
 *   secret.c        password hashes (libsodium Argon2id), random secrets,
 *                   token hashes
 *   api.c           the JSON API of docs/api.md
 *   pages-login.c   the login form and the start page (work without script)
 *   outbox.c        the xAPI statements to the learning record store
 *   db.c            the database (db.h): the schema, the calls to the backend
 *   db-open.c       … the backend the URL names
 *   db-sqlite.c     … on SQLite
 *   db-pg.c         … on PostgreSQL (libpq)
 *   graph-worker.c  the process graphs, laid out in a child process
 *
 * THE PAGE API (how to add pages). A page is a RouteFunc in a
 * pages-NAME.c file with its own `const Route pages_NAME_routes[]` table,
 * ended by an all-NULL entry and listed in router.c's `tables`. Flags:
 * ROUTE_PAGE (errors come out as HTML, and an anonymous visitor is sent to
 * /login), and at most one of ROUTE_USER, ROUTE_TRAINER, ROUTE_ADMIN (who
 * may come; the router answers 401/403 or redirects before the function
 * runs). Patterns match path segments literally, except "*", which
 * matches one segment, found in req->args[] in order.
 *
 * Inside a RouteFunc:
 *   - req->user is the logged-in user (NULL on public routes when nobody
 *     is); req->lang is "vi" or "en" (the ?lang= parameter, else the
 *     user's choice, else the psim_lang cookie, else Accept-Language):
 *     every text goes through psim_gettext (req->lang, "…"). Never call
 *     setlocale or gettext's process-wide functions.
 *   - Unsafe methods (POST…) have passed the CSRF check before the function
 *     runs: forms carry html_csrf_field (); script sends the X-CSRF-Token
 *     header with the value of html_csrf_token ().
 *   - req->form holds the fields of an urlencoded form body; req_body ()
 *     the raw body (already capped: 64 KiB, uploads 1 MiB with ROUTE_UPLOAD).
 *   - Reply exactly once: reply_html (with html_page_begin/_end around
 *     the content, every piece of text through html_escape), reply_json,
 *     reply_error (a message already in req->lang), reply_redirect.
 *   - Sessions: srv_get_session () gives a live session the user may see
 *     (404 otherwise; the router replies, the function just returns);
 *     srv_answer () takes an answer and stores it before returning.
 */
#pragma once

#include <glib.h>
#include <stdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <procsim/procsim.h>

#include "db.h"
#include "graph-worker.h"

typedef struct _Server Server;
typedef struct _Auth Auth;
typedef struct _Req Req;
typedef struct _WriteBatch WriteBatch;

/* ---- secret.c ------------------------------------------------------------------------ */

/* Argon2id (libsodium crypto_pwhash_str), OWASP's parameters (t=2,
 * m=19 MiB); the result carries its parameters. (transfer full) */
char *secret_hash_password (const char *password, GError **error);
gboolean secret_verify_password (const char *hash, const char *password);
/* 32 bytes from the OS random source, base64url. (transfer full) */
char *secret_new (void);
/* A readable one-time password: 16 characters from the OS random source.
 * (transfer full) */
char *secret_new_password (void);
/* SHA-256 of @token, hex: what the database keeps. (transfer full) */
char *secret_token_hash (const char *token);
/* TRUE when @a and @b are equal, in time that does not depend on where
 * they differ. */
gboolean secret_equal (const char *a, const char *b);

/* ---- outbox.c ---------------------------------------------------------------------- */

typedef struct _Outbox Outbox;

/* Sends the outbox's statements to the LRS at @lrs_url (its xAPI base,
 * ending before "statements") with HTTP Basic @lrs_auth (USER:SECRET,
 * nullable), from the main loop. (transfer full) */
Outbox *outbox_new (Db *db, const char *lrs_url, const char *lrs_auth, GError **error);
void outbox_free (Outbox *ob);
/* Sends soon: an answer has added statements. */
void outbox_kick (Outbox *ob);

/* ---- state.c ------------------------------------------------------------------------ */

typedef struct {
  char *listen;          /* HOST:PORT; port 0 takes a free one */
  char *db_url;          /* sqlite:PATH or postgresql://… */
  char **scenario_dirs;  /* folders of scenario files */
  char *base_url;        /* (nullable) how browsers reach us; the xAPI homePage */
  const char *lang;      /* the language of what is printed at start-up */
  char *lrs_url;         /* (nullable) the learning record store's xAPI address */
  char *lrs_auth;        /* (nullable) USER:SECRET for it (HTTP Basic) */
  int guests;            /* 1 --guests, 0 --no-guests, -1 by the address (default) */
} ServerOptions;

/* TRUE when visitors may practise as guests, without an account: by
 * default when the server listens on loopback and --base-url (if any)
 * names loopback too (one machine, a trainee's own practice); never
 * otherwise unless --guests says so. */
gboolean srv_allows_guests (Server *srv);

Db *srv_get_db (Server *srv);
Auth *srv_get_auth (Server *srv);
const char *srv_get_base_url (Server *srv);
gboolean srv_is_secure (Server *srv);
/* The worker the process graphs are laid out in. (transfer none) */
GraphWorker *srv_get_graph_worker (Server *srv);
/* The group commit's state (reply.c). (transfer none) */
WriteBatch *srv_get_batch (Server *srv);

/* Loads the catalogue: every folder of @o->scenario_dirs in order (their
 * problems printed, the rest loaded), then the uploads. FALSE with @error
 * only when the library's catalogue cannot be made. */
gboolean srv_load_catalogue (Server *srv, const ServerOptions *o, GError **error);
/* The scenarios of the catalogue, by id, sorted. (transfer none)
 * (element-type PsimScenario) */
GPtrArray *srv_list_scenarios (Server *srv);
/* (transfer none) (nullable) */
PsimScenario *srv_get_scenario (Server *srv, const char *id);
/* The catalogue as @user sees it: a trainee (or guest) the scenarios
 * offered to every trainee (no group named for them) and those offered to
 * their group; a trainer or admin every one. (transfer container) NULL
 * when the database fails. */
GPtrArray *srv_list_offered (Server *srv, const User *user, GError **error);
/* Whether @sc is in @user's catalogue (FALSE with @error: the database
 * failed). */
gboolean srv_offers (Server *srv, const User *user, PsimScenario *sc, GError **error);
/* Adds to the catalogue the scenarios uploaded (through any server) that
 * it lacks: their files, kept in the database, are written under the
 * upload folder and loaded. FALSE when the database fails. */
gboolean srv_sync_uploads (Server *srv, GError **error);
/* Removes the upload folder @dir and the files in it (it has no
 * subfolders). */
void srv_remove_upload_dir (const char *dir);
/* Adds @sc (an id not in the catalogue) to it; takes a reference of its own. */
void srv_add_scenario (Server *srv, PsimScenario *sc);
/* Where uploaded scenarios are kept, one folder each (beside a SQLite
 * database, else under the XDG data folder). (transfer none) */
const char *srv_get_upload_dir (Server *srv);

/* A new session of @sc for @user with @seed, stored. (transfer none):
 * the server keeps it live. */
PsimSession *srv_new_session (Server *srv, const User *user, PsimScenario *sc, guint64 seed,
                              GError **error);
/* The live session @id, restored from the database when needed, or NULL
 * (PSIM_STORE_ERROR_NOT_FOUND) when there is none. (transfer none) */
PsimSession *srv_find_session (Server *srv, const char *id, GError **error);
/* Gives @input to @s and stores it (psim_store_answer); at the end writes
 * the records (titles in @lang). On a store failure the live session is dropped, so that the
 * next request restores it as stored. */
gboolean srv_answer (Server *srv, PsimSession *s, const char *input, gint64 real_ms,
                     const char *lang, GError **error);
/* Drops every live session: each is restored from the database at its
 * next request (after a failed commit, the copies may be ahead of it). */
void srv_forget_sessions (Server *srv);
/* Takes @ob (transfer full) and makes it send the statements of each
 * answer stored. */
void srv_set_outbox (Server *srv, Outbox *ob);

/* TRUE when @viewer may see the sessions of user @owner: their own, a
 * trainer's group's, an admin's all. */
gboolean srv_can_see (Server *srv, const User *viewer, const char *owner);

/* ---- reply.c ---------------------------------------------------------------------- */

typedef enum {
  ROUTE_PUBLIC = 0,
  ROUTE_USER = 1 << 0,    /* any logged-in user */
  ROUTE_TRAINER = 1 << 1, /* trainers and admins */
  ROUTE_ADMIN = 1 << 2,
  ROUTE_PAGE = 1 << 3,    /* an HTML page: HTML errors, /login for strangers */
  ROUTE_UPLOAD = 1 << 4,  /* the body may reach 1 MiB */
} RouteFlags;

#define BODY_CAP (64 * 1024)
#define UPLOAD_CAP (1024 * 1024)

/* A file of a multipart form (an upload). */
typedef struct {
  char *filename; /* as the browser named it: untrusted */
  GBytes *data;
} Upload;
struct _Req {
  Server *srv;
  SoupServerMessage *msg;
  const char *method;
  const char *path;
  const char *args[4];   /* the segments "*" matched */
  char **segments;
  GHashTable *query;     /* (nullable) decoded ?… parameters */
  GHashTable *form;      /* (nullable) decoded urlencoded body, or a multipart's fields */
  GHashTable *files;     /* (nullable) a multipart body's files: name → Upload */
  const char *lang;      /* "vi" or "en" */
  User *user;            /* (nullable) */
  char *token_hash;      /* (nullable) the login's token, hashed */
  char *csrf;            /* (nullable) the login's CSRF secret */
  gboolean by_bearer;    /* logged in by an Authorization header */
  guint flags;           /* the route's RouteFlags */
  gboolean replied;
  guint pauses;          /* req_pause () calls not yet resumed */
};

/* The raw body and its length (without the NUL libsoup adds). */
const char *req_body (Req *req, gsize *length);
/* A query parameter. (transfer none) (nullable) */
const char *req_query (Req *req, const char *name);
/* A file of a multipart form. (transfer none) (nullable) */
const Upload *req_file (Req *req, const char *name);
/* A form field. (transfer none) (nullable) */
const char *req_form (Req *req, const char *name);
/* A request cookie's value. (transfer full) (nullable) */
char *req_cookie (Req *req, const char *name);
/* The client's address, for the login rate limit. (transfer none) */
const char *req_remote (Req *req);
/* TRUE for the API's addresses (/api/…), whose errors are JSON. */
gboolean req_is_api (const Req *req);

/* Pauses @req for work in another thread; reply then req_resume. Pauses
 * nest: the reply goes out when every pause is resumed. */
void req_pause (Req *req);
void req_resume (Req *req);

void reply_json (Req *req, guint status, JsonNode *root); /* takes @root */
/* Builds the reply from @b's finished value. */
void reply_builder (Req *req, guint status, JsonBuilder *b);
void reply_html (Req *req, guint status, GString *page);  /* takes @page */
void reply_text (Req *req, guint status, const char *content_type, const char *text);
void reply_redirect (Req *req, const char *location);
/* Replaces the held reply of @req, whose writes were not kept, with a 503. */
void reply_write_failed (Req *req);
/* Sets a cookie on the reply (HttpOnly, SameSite=Lax, Secure behind https). */
void reply_set_cookie (Req *req, const char *name, const char *value, gint64 max_age_s);

/* Group commit (db.h): before a request writes, reply_write_begin opens the
 * batch if none is open and schedules its commit a moment later; every
 * reply made while a batch is open is held and sent only once the batch is
 * committed, or turned into a 503 if the commit fails. So no reply tells
 * of anything not yet on disk, and one fsync serves every request of that
 * moment. */
void reply_write_begin (Server *srv);
/* The group commit of @srv (nothing open). (transfer full) */
WriteBatch *reply_batch_new (Server *srv);
/* Commits the open batch, if any, and sends its held replies. */
void reply_batch_free (WriteBatch *batch);

/* ---- html.c ------------------------------------------------------------------------------ */

/* Appends @text with & < > " ' escaped: safe in content and in quoted
 * attribute values. */
void html_escape (GString *out, const char *text);
/* The CSRF token forms and scripts must send back. (transfer none) */
const char *html_csrf_token (Req *req);
/* <input type="hidden" name="csrf" value="…"> */
void html_csrf_field (Req *req, GString *out);
/* The page's start: doctype, <html lang>, head (title, the stylesheet),
 * the header with the language switch and the user's name; <main>. */
GString *html_page_begin (Req *req, const char *title);
/* </main>, the footer, </html>; then reply_html (req, status, page). */
void html_page_end (Req *req, GString *page, guint status);
/* An error in @req's format (JSON {"error": {"status", "message"}} for the
 * API, a page for pages). @message is already in req->lang. */
void reply_error (Req *req, guint status, const char *message);
/* The same with a printf format. */
void reply_errorf (Req *req, guint status, const char *format, ...) G_GNUC_PRINTF (3, 4);

/* ---- request.c ------------------------------------------------------------------------ */

/* The body as a JSON object; NULL after replying 400 when it is not one.
 * (transfer none): lives with @req. */
JsonObject *req_json_object (Req *req);
/* The scenario named by args[0]; NULL after replying 404 when there is
 * none or it is not in the user's catalogue (srv_offers), 503 when the
 * database fails. (transfer none) */
PsimScenario *req_scenario (Req *req);
/* The same for the scenario @id. */
PsimScenario *req_offered_scenario (Req *req, const char *id);

/* ---- auth.c -------------------------------------------------------------------------- */

/* Who is asking: a Bearer token, else the login cookie. Sets req->user,
 * req->token_hash, req->csrf, req->by_bearer. */
void auth_identify (Req *req);
/* TRUE when the request may change things: a Bearer request, an
 * anonymous JSON request, or a form/script request with the right CSRF
 * token (form field "csrf" or header X-CSRF-Token). */
gboolean auth_check_csrf (Req *req);

typedef void (*LoginDone) (Req *req, User *user, const char *token, const char *csrf,
                           gint64 expires);
/* Checks @name and @password in a worker thread (rate-limited per user and
 * per address), then on the main thread creates the login and calls @done
 * with the user and the token, which replies. When the login is refused,
 * @done is not called: the reply is the error (401, 429). @req is paused
 * meanwhile. */
void auth_login (Req *req, const char *name, const char *password, LoginDone done);
/* A guest's login (srv_allows_guests): a new trainee account
 * named GUEST_PREFIX and random letters, without a password, logged in at
 * once; @done replies. At most 30 a quarter of an hour per address (429
 * beyond). */
void auth_login_guest (Req *req, LoginDone done);
/* Ends req's login. */
void auth_logout (Req *req);

/* The login rate limit's counts and the dummy hash that makes a login of
 * an unknown user take as long as a known one's. (transfer full) */
Auth *auth_new (void);
void auth_free (Auth *auth);

#define LOGIN_COOKIE "psim_login"
#define CSRF_COOKIE "psim_csrf"
#define LANG_COOKIE "psim_lang"
#define GUEST_PREFIX "guest-"
#define TOKEN_TTL (12 * G_TIME_SPAN_HOUR)

/* ---- router.c ---------------------------------------------------------------------- */

typedef void (*RouteFunc) (Req *req);

typedef struct {
  const char *method;
  const char *pattern;
  RouteFunc func;
  guint flags;
} Route;

/* Puts the routes on @soup for @srv. */
void router_attach (Server *srv, SoupServer *soup);

/* ---- serve.c ------------------------------------------------------------------ */

/* Runs the server until SIGINT or SIGTERM. Prints the URL (and the first
 * admin's one-time password) on @out. FALSE with @error when it cannot
 * start. */
gboolean srv_run (const ServerOptions *o, FILE *out, GError **error);

/* ---- api.c ------------------------------------------------------------------ */

/* The live session req->args[0] when req's user may see it (srv_can_see);
 * else NULL, after replying 404 (503 when the database fails).
 * (transfer none) */
PsimSession *srv_get_session (Req *req);

/* ---- users-csv.c ---------------------------------------------------------------------- */

#define USER_MIN_PASSWORD 8

/* TRUE when @name may be a login: 1 to 64 letters, digits, '.', '_', '-'
 * or '@' (a name that fits URLs, CSV files and the xAPI actor). */
gboolean user_name_is_valid (const char *name);

/* Users read from a CSV file, not yet stored. */
typedef struct {
  GPtrArray *users;     /* User* (pwhash NULL until users_import_hash) */
  GPtrArray *passwords; /* char*, one per user: the file's, or NULL until invented */
  GArray *invented;     /* gboolean, one per user once hashed: TRUE when invented */
} UsersImport;

void users_import_free (UsersImport *imp);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UsersImport, users_import_free)

/* Reads @text (@length bytes) as a CSV file of users named @file. Every
 * problem is added to @problems (char*, "FILE:LINE: what", in @lang) and
 * then NULL is returned; more than @max_users users (0: no limit) is one.
 * (transfer full) (nullable) */
UsersImport *users_csv_parse (const char *text, gsize length, const char *file,
                              guint max_users, const char *lang, GPtrArray *problems);
/* FALSE with @problems when a user of @imp exists already in @db; FALSE
 * with @error when the database does not answer. */
gboolean users_import_check (UsersImport *imp, Db *db, const char *file, const char *lang,
                             GPtrArray *problems, GError **error);
/* Invents the missing passwords and hashes every one (Argon2id: tens of
 * milliseconds each; thread-safe, touches nothing but @imp). */
gboolean users_import_hash (UsersImport *imp, GError **error);

/* ---- pages-*.c, api.c ------------------------------------------------------------------- */

extern const Route api_routes[];
extern const Route pages_login_routes[];
extern const Route pages_trainee_routes[];
extern const Route pages_trainer_routes[];
extern const Route pages_upload_routes[];
extern const Route pages_admin_routes[];
extern const Route groups_routes[];

