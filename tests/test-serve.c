/* test-serve.c — `procsim serve` through its HTTP API, as a client sees it.
 *
 * A server is started on a free loopback port with a temporary database;
 * its users are added with `procsim users add` and `import`. Then:
 *   - `procsim render --db` draws a session of the database as its record
 *     file, and the trainee's page shows the same old steps taken;
 *   - every bundled scenario is played to the end through the API with its
 *     tests/data/train/NAME.perfect and NAME.mistakes answers, and must
 *     give exactly the score, percent and pass of `procsim train --answers`
 *     on the same answers (run here, its record read back);
 *   - authorisation: a trainee cannot see another's session (404), a
 *     trainer sees their group's but cannot answer in them (403) and not
 *     another group's (404), a trainee gets no report (403), nobody
 *     without a login gets anything (401);
 *   - CSRF: the login form and a cookie-authenticated API call without the
 *     token are refused (403), with it they pass;
 *   - a body over the cap is refused (413) without being read; malformed
 *     JSON, a missing field or an unreadable answer is a 400 with a
 *     message, an answer after the end a 409;
 *   - SQL and script injection strings in every field are refused or kept
 *     as inert text, and the database still answers;
 *   - the login rate limit answers 429 after five failures;
 *   - durability: a server killed with SIGKILL in the middle of sessions
 *     (one answer in flight) restarts on the same database with every
 *     acknowledged answer, and the sessions finish with the scores of
 *     uninterrupted ones.
 * Nothing can hang: requests time out, and the servers die with the test
 * (PR_SET_PDEATHSIG).
 */
#include "psim-test.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif

#define PASSWORD "correct horse battery"

static char *tmp;           /* the test's folder */
static char *db_url;        /* sqlite:TMP/db.sqlite3, or $PSIM_TEST_PG_URI */
static GSubprocess *server; /* the server running */
static char *base;          /* its URL, "http://127.0.0.1:PORT" */
static SoupSession *http;

static const char *
exe (void)
{
  return g_getenv ("PROCSIM_EXE");
}

static char *
scenarios_dir (void)
{
  return g_build_filename (g_getenv ("PSIM_SOURCE_ROOT"), "scenarios", NULL);
}

static gboolean
under_valgrind (void)
{
#ifdef RUNNING_ON_VALGRIND
  return RUNNING_ON_VALGRIND;
#else
  return FALSE;
#endif
}

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* Runs procsim with @argv after the executable, @input on its standard
 * input; its exit status. Output in *out when not NULL. */
static int
procsim (const char *const *args, const char *input, char **out, char **err)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) exe ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) p = g_subprocess_newv ((const char *const *) argv->pdata,
                                                 G_SUBPROCESS_FLAGS_STDIN_PIPE
                                                     | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                     | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                                 &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (p);
  char *o = NULL, *e = NULL;
  CU_ASSERT_TRUE_FATAL (g_subprocess_communicate_utf8 (p, input, NULL, &o, &e, &error));
  if (out != NULL)
    *out = o;
  else
    g_free (o);
  if (err != NULL)
    *err = e;
  else
    g_free (e);
  return g_subprocess_get_exit_status (p);
}

/* Starts the server on the test's database, with @extra and @extra2
 * (options, or NULL); its URL in `base`. */
static void
start_server_with (const char *extra, const char *extra2)
{
  g_autofree char *dir = scenarios_dir ();
  g_autoptr (GSubprocessLauncher) l = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (l, die_with_parent, NULL, NULL);
  g_autoptr (GError) error = NULL;
  server = g_subprocess_launcher_spawn (l, &error, exe (), "--lang", "en", "serve", "--listen",
                                        "127.0.0.1:0",
                                        "--db", db_url, "--scenarios", dir, extra, extra2, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (server);
  g_autoptr (GDataInputStream) in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  g_clear_pointer (&base, g_free);
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
      if (line == NULL)
        break;
      const char *at = strstr (line, "http://");
      if (at != NULL)
        {
          base = g_strdup (at);
          if (g_str_has_suffix (base, "/"))
            base[strlen (base) - 1] = '\0';
          break;
        }
    }
  CU_ASSERT_PTR_NOT_NULL_FATAL (base);
}

static void
start_server (void)
{
  start_server_with (NULL, NULL);
}

static void
stop_server (int sig)
{
  if (server == NULL)
    return;
  g_subprocess_send_signal (server, sig);
  g_subprocess_wait (server, NULL, NULL);
  g_clear_object (&server);
}

/* ---- HTTP ------------------------------------------------------------------------------ */

typedef struct {
  guint status;
  char *body;
  JsonNode *json;  /* (nullable) when the body is JSON */
  char *cookies;   /* the Set-Cookie values, joined by "; " */
  char *location;
} Resp;

static void
resp_free (Resp *r)
{
  g_free (r->body);
  if (r->json != NULL)
    json_node_unref (r->json);
  g_free (r->cookies);
  g_free (r->location);
  g_free (r);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Resp, resp_free)

typedef struct {
  const char *token;   /* Authorization: Bearer */
  const char *cookie;  /* Cookie header */
  const char *csrf;    /* X-CSRF-Token header */
  const char *type;    /* Content-Type of the body (JSON by default) */
  const char *lang;    /* Accept-Language */
} Opts;

static Resp *
request (const char *method, const char *path, const char *body, const Opts *o)
{
  static const Opts none = { 0 };
  if (o == NULL)
    o = &none;
  g_autofree char *url = g_strconcat (base, path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  CU_ASSERT_PTR_NOT_NULL_FATAL (msg);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  SoupMessageHeaders *h = soup_message_get_request_headers (msg);
  if (o->token != NULL)
    {
      g_autofree char *v = g_strconcat ("Bearer ", o->token, NULL);
      soup_message_headers_replace (h, "Authorization", v);
    }
  if (o->cookie != NULL)
    soup_message_headers_replace (h, "Cookie", o->cookie);
  if (o->csrf != NULL)
    soup_message_headers_replace (h, "X-CSRF-Token", o->csrf);
  soup_message_headers_replace (h, "Accept-Language", o->lang != NULL ? o->lang : "en");
  if (body != NULL)
    {
      g_autoptr (GBytes) b = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, o->type != NULL ? o->type
                                                                     : "application/json",
                                                b);
    }
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) got = soup_session_send_and_read (http, msg, NULL, &error);
  if (got == NULL)
    g_printerr ("%s %s: %s\n", method, path, error->message);
  CU_ASSERT_PTR_NOT_NULL_FATAL (got);
  Resp *r = g_new0 (Resp, 1);
  r->status = soup_message_get_status (msg);
  r->body = g_strndup (g_bytes_get_data (got, NULL), g_bytes_get_size (got));
  SoupMessageHeaders *rh = soup_message_get_response_headers (msg);
  const char *ct = soup_message_headers_get_content_type (rh, NULL);
  if (ct != NULL && strcmp (ct, "application/json") == 0)
    {
      g_autoptr (JsonParser) p = json_parser_new ();
      if (json_parser_load_from_data (p, r->body, -1, NULL))
        r->json = json_node_copy (json_parser_get_root (p));
    }
  g_autoptr (GString) cookies = g_string_new (NULL);
  SoupMessageHeadersIter it;
  const char *name, *value;
  soup_message_headers_iter_init (&it, rh);
  while (soup_message_headers_iter_next (&it, &name, &value))
    if (g_ascii_strcasecmp (name, "Set-Cookie") == 0)
      {
        const char *semi = strchr (value, ';');
        if (cookies->len > 0)
          g_string_append (cookies, "; ");
        g_string_append_len (cookies, value, semi != NULL ? semi - value : (gssize) strlen (value));
      }
  r->cookies = g_string_free (g_steal_pointer (&cookies), FALSE);
  r->location = g_strdup (soup_message_headers_get_one (rh, "Location"));
  return r;
}

static JsonObject *
obj (Resp *r)
{
  CU_ASSERT_PTR_NOT_NULL_FATAL (r->json);
  CU_ASSERT_TRUE_FATAL (JSON_NODE_HOLDS_OBJECT (r->json));
  return json_node_get_object (r->json);
}

/* The error message of an error reply; it must have one. */
static const char *
error_message (Resp *r)
{
  JsonObject *e = json_object_get_object_member (obj (r), "error");
  CU_ASSERT_PTR_NOT_NULL_FATAL (e);
  CU_ASSERT_EQUAL (json_object_get_int_member (e, "status"), r->status);
  const char *m = json_object_get_string_member (e, "message");
  CU_ASSERT_TRUE (m != NULL && *m != '\0');
  return m;
}

/* A JSON object of string members: KEY, VALUE, …, NULL; escaped.
 * (transfer full) */
static char *
json_strings (const char *key, ...)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  va_list ap;
  va_start (ap, key);
  for (const char *k = key; k != NULL; k = va_arg (ap, const char *))
    {
      json_builder_set_member_name (b, k);
      json_builder_add_string_value (b, va_arg (ap, const char *));
    }
  va_end (ap);
  json_builder_end_object (b);
  g_autoptr (JsonGenerator) g = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  json_generator_set_root (g, root);
  return json_generator_to_data (g, NULL);
}

static char *
login_json (const char *user, const char *password)
{
  return json_strings ("user", user, "password", password, NULL);
}

/* A login's token. (transfer full) */
static char *
login (const char *user, const char *password)
{
  g_autofree char *body = login_json (user, password);
  g_autoptr (Resp) r = request ("POST", "/api/v1/login", body, NULL);
  if (r->status != 200)
    g_printerr ("login %s: %u %s\n", user, r->status, r->body);
  CU_ASSERT_EQUAL_FATAL (r->status, 200);
  return g_strdup (json_object_get_string_member (obj (r), "token"));
}

/* {"KEY": VALUE}. (transfer full) */
static char *
json1 (const char *key, const char *value)
{
  return json_strings (key, value, NULL);
}

/* A new session of @scenario for @token's user: its id. (transfer full) */
static char *
new_session (const char *token, const char *scenario)
{
  g_autofree char *body = json1 ("scenario", scenario);
  Opts o = { .token = token };
  g_autoptr (Resp) r = request ("POST", "/api/v1/sessions", body, &o);
  CU_ASSERT_EQUAL_FATAL (r->status, 201);
  CU_ASSERT_PTR_NOT_NULL (r->location);
  return g_strdup (json_object_get_string_member (obj (r), "id"));
}

static Resp *
answer (const char *token, const char *id, const char *text)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/sessions/%s/answers", id);
  g_autofree char *body = json1 ("answer", text);
  Opts o = { .token = token };
  return request ("POST", path, body, &o);
}

/* The answers of a file, as `procsim train --answers` reads them (blank
 * lines and # comments skipped). (transfer full) */
static GPtrArray *
read_answers (const char *file)
{
  g_autofree char *text = NULL;
  CU_ASSERT_TRUE_FATAL (g_file_get_contents (file, &text, NULL, NULL));
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (*lines[i] != '\0' && lines[i][0] != '#')
        g_ptr_array_add (out, g_strdup (lines[i]));
    }
  return out;
}

/* What the terminal trainer scores for @answers on @scenario: its record's
 * score object. (transfer full) */
static JsonObject *
terminal_score (const char *scenario, const char *answers)
{
  g_autofree char *rec = g_build_filename (tmp, "records", NULL);
  static guint runs = 0;
  g_autofree char *id = g_strdup_printf ("t-%s-%u", scenario, runs++);
  const char *args[] = { "--lang", "en", "train", "--answers", answers, "--record", rec, "--id",
                         id, "--name", "anh", scenario, NULL };
  g_autofree char *err = NULL;
  int status = procsim (args, NULL, NULL, &err);
  if (status != 0)
    g_printerr ("procsim train: %s\n", err);
  CU_ASSERT_EQUAL_FATAL (status, 0);
  g_autofree char *base_name = g_strconcat (id, ".json", NULL);
  g_autofree char *file = g_build_filename (rec, base_name, NULL);
  g_autoptr (JsonParser) p = json_parser_new ();
  CU_ASSERT_TRUE_FATAL (json_parser_load_from_file (p, file, NULL));
  return json_object_ref (json_object_get_object_member (
      json_node_get_object (json_parser_get_root (p)), "score"));
}

/* ---- the tests ----------------------------------------------------------------------------- */

static void
add_user (const char *name, const char *role, const char *group)
{
  const char *args[] = { "users", "add", name, "--role", role, "--group", group, "--db", db_url,
                         NULL };
  g_autofree char *err = NULL;
  int status = procsim (args, PASSWORD "\n", NULL, &err);
  if (status != 0)
    g_printerr ("users add: %s\n", err);
  CU_ASSERT_EQUAL_FATAL (status, 0);
}

static void
test_users (void)
{
  add_user ("anh", "trainee", "hanoi");
  add_user ("binh", "trainee", "hue");
  add_user ("chi", "trainer", "hanoi");
  /* The same name twice: refused. */
  const char *again[] = { "users", "add", "anh", "--role", "trainee", "--db", db_url, NULL };
  g_autofree char *err = NULL;
  CU_ASSERT_EQUAL (procsim (again, PASSWORD "\n", NULL, &err), 2);
  CU_ASSERT_PTR_NOT_NULL (strstr (err, "anh"));

  /* An import with bad lines says where, and adds nobody. */
  g_autofree char *bad = g_build_filename (tmp, "bad.csv", NULL);
  g_file_set_contents (bad,
                       "name,role,group\n"
                       "dung,trainee,hue\n"
                       "<script>alert(1)</script>,trainee,hue\n"
                       "em,boss,hue\n"
                       "x' OR '1'='1,trainee,hue\n",
                       -1, NULL);
  const char *imp[] = { "users", "import", bad, "--db", db_url, NULL };
  g_clear_pointer (&err, g_free);
  CU_ASSERT_EQUAL (procsim (imp, NULL, NULL, &err), 2);
  g_autofree char *l3 = g_strdup_printf ("%s:3: '<script>alert(1)</script>' is not a user name", bad);
  g_autofree char *l4 = g_strdup_printf ("%s:4: role 'boss' is not trainee, trainer or admin", bad);
  g_autofree char *l5 = g_strdup_printf ("%s:5: 'x' OR '1'='1' is not a user name", bad);
  CU_ASSERT_PTR_NOT_NULL (strstr (err, l3));
  CU_ASSERT_PTR_NOT_NULL (strstr (err, l4));
  CU_ASSERT_PTR_NOT_NULL (strstr (err, l5));
  const char *list[] = { "users", "list", "--db", db_url, NULL };
  g_autofree char *out = NULL;
  CU_ASSERT_EQUAL (procsim (list, NULL, &out, NULL), 0);
  CU_ASSERT_PTR_NULL (strstr (out, "dung"));

  /* A good import: every user, the invented passwords printed once. */
  g_autofree char *good = g_build_filename (tmp, "good.csv", NULL);
  g_file_set_contents (good, "\xEF\xBB\xBFname,role,group,password\n"
                             "dung,trainee,hue,\n"
                             "\"em\",trainee,\"hanoi\"," PASSWORD "\n", -1, NULL);
  const char *imp2[] = { "users", "import", good, "--db", db_url, NULL };
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  CU_ASSERT_EQUAL (procsim (imp2, NULL, &out, &err), 0);
  CU_ASSERT_PTR_NOT_NULL (strstr (out, "dung,"));
  g_clear_pointer (&out, g_free);
  CU_ASSERT_EQUAL (procsim (list, NULL, &out, NULL), 0);
  CU_ASSERT_PTR_NOT_NULL (strstr (out, "dung\ttrainee\thue"));
  CU_ASSERT_PTR_NOT_NULL (strstr (out, "em\ttrainee\thanoi"));
}

static void
test_login (void)
{
  start_server ();
  g_autoptr (Resp) health = request ("GET", "/healthz", NULL, NULL);
  CU_ASSERT_EQUAL (health->status, 200);
  g_autoptr (Resp) nobody = request ("GET", "/api/v1/scenarios", NULL, NULL);
  CU_ASSERT_EQUAL (nobody->status, 401);
  error_message (nobody);
  g_autofree char *wrong = g_strdup ("{\"user\": \"anh\", \"password\": \"nope nope\"}");
  g_autoptr (Resp) r = request ("POST", "/api/v1/login", wrong, NULL);
  CU_ASSERT_EQUAL (r->status, 401);
  g_autoptr (Resp) vi = request ("POST", "/api/v1/login", wrong, &(Opts){ .lang = "vi-VN,vi;q=0.9" });
  CU_ASSERT_EQUAL (vi->status, 401);
  CU_ASSERT_STRING_NOT_EQUAL (error_message (vi), error_message (r));
  g_autofree char *token = login ("anh", PASSWORD);
  CU_ASSERT_TRUE (strlen (token) >= 40);
  g_autoptr (Resp) list = request ("GET", "/api/v1/scenarios", NULL, &(Opts){ .token = token });
  CU_ASSERT_EQUAL (list->status, 200);
  CU_ASSERT_TRUE (JSON_NODE_HOLDS_ARRAY (list->json));
  g_autofree char *dir = scenarios_dir ();
  g_autoptr (GPtrArray) files = psim_test_list (dir, ".xml");
  CU_ASSERT_EQUAL (json_array_get_length (json_node_get_array (list->json)), files->len);
  /* Logged out, the token is dead. */
  g_autoptr (Resp) out = request ("POST", "/api/v1/logout", "", &(Opts){ .token = token });
  CU_ASSERT_EQUAL (out->status, 204);
  g_autoptr (Resp) after = request ("GET", "/api/v1/me", NULL, &(Opts){ .token = token });
  CU_ASSERT_EQUAL (after->status, 401);
}

/* Plays @answers in a new session of @scenario through the API and
 * compares the end with the terminal trainer's record. */
static void
play_and_compare (const char *token, const char *scenario, const char *answers_file)
{
  g_autoptr (GPtrArray) answers = read_answers (answers_file);
  g_autofree char *id = new_session (token, scenario);
  gboolean finished = FALSE;
  g_autoptr (Resp) last = NULL;
  for (guint i = 0; i < answers->len; i++)
    {
      g_clear_pointer (&last, resp_free);
      last = answer (token, id, g_ptr_array_index (answers, i));
      if (last->status != 200)
        g_printerr ("%s, answer %u (%s): %u %s\n", answers_file, i + 1,
                    (char *) g_ptr_array_index (answers, i), last->status, last->body);
      CU_ASSERT_EQUAL_FATAL (last->status, 200);
      finished = json_object_get_boolean_member (obj (last), "finished");
      CU_ASSERT_TRUE_FATAL (!finished || i == answers->len - 1);
    }
  CU_ASSERT_TRUE_FATAL (finished);
  g_autoptr (JsonObject) expected = terminal_score (scenario, answers_file);
  JsonObject *got = obj (last);
  CU_ASSERT_EQUAL (json_object_get_int_member (got, "score"),
                   json_object_get_int_member (expected, "score"));
  CU_ASSERT_EQUAL (json_object_get_int_member (got, "max_score"),
                   json_object_get_int_member (expected, "max"));
  CU_ASSERT_EQUAL (json_object_get_boolean_member (got, "passed"),
                   json_object_get_boolean_member (expected, "passed"));
  CU_ASSERT_DOUBLE_EQUAL (json_object_get_double_member (got, "percent"),
                          json_object_get_double_member (expected, "percent"), 0.01);
  CU_ASSERT_PTR_NOT_NULL (json_object_get_string_member (got, "debrief"));
  /* Over: a 409, and the session says so. */
  g_autoptr (Resp) more = answer (token, id, "1");
  CU_ASSERT_EQUAL (more->status, 409);
  error_message (more);
  /* Its records. */
  const char *formats[] = { "json", "xapi", "xes" };
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/sessions/%s/record?format=%s", id,
                                               formats[i]);
      g_autoptr (Resp) rec = request ("GET", path, NULL, &(Opts){ .token = token });
      CU_ASSERT_EQUAL (rec->status, 200);
      CU_ASSERT_TRUE (strlen (rec->body) > 100);
    }
}

static void
test_play_bundled (void)
{
  g_autofree char *token = login ("anh", PASSWORD);
  g_autofree char *dir = scenarios_dir ();
  g_autoptr (GPtrArray) files = psim_test_list (dir, ".xml");
  CU_ASSERT_TRUE_FATAL (files->len >= 4);
  /* Under valgrind (every request some 50 times slower) two scenarios
   * show the same code at work; the other runs play them all. */
  guint n = under_valgrind () ? 2 : files->len;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *base_name = g_path_get_basename (g_ptr_array_index (files, i));
      *strrchr (base_name, '.') = '\0';
      const char *kinds[] = { "perfect", "mistakes" };
      for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
        {
          g_autofree char *rel = g_strdup_printf ("train/%s.%s", base_name, kinds[k]);
          g_autofree char *file = psim_test_data (rel);
          CU_ASSERT_TRUE_FATAL (g_file_test (file, G_FILE_TEST_IS_REGULAR));
          play_and_compare (token, base_name, file);
        }
    }
}

/* `procsim report --db` on the server's database, with the sessions
 * test_play_bundled finished, says what `procsim report` says of the
 * terminal trainer's records of the same answers (as a trainee's); a database that is not
 * there is an error, not a new empty file. */
/* A copy of the terminal trainer's records in @dir as a trainee's, not a
 * script's: `train --answers` marks its records "scripted", which a
 * report keeps apart, and the server's sessions are played by trainees.
 * (transfer full) the copy's folder. */
static char *
copy_as_trainees (const char *dir)
{
  g_autofree char *copy = g_build_filename (tmp, "records-as-trainees", NULL);
  CU_ASSERT_EQUAL_FATAL (g_mkdir_with_parents (copy, 0700), 0);
  g_autoptr (GPtrArray) files = psim_test_list (dir, ".json");
  guint scripted = 0;
  for (guint i = 0; i < files->len; i++)
    {
      const char *file = g_ptr_array_index (files, i);
      if (g_str_has_suffix (file, ".xapi.json") || g_str_has_suffix (file, ".checkpoint.json"))
        continue;
      g_autoptr (JsonParser) p = json_parser_new ();
      CU_ASSERT_TRUE_FATAL (json_parser_load_from_file (p, file, NULL));
      JsonObject *o = json_node_get_object (json_parser_get_root (p));
      scripted += json_object_get_boolean_member_with_default (o, "scripted", FALSE);
      json_object_set_boolean_member (o, "scripted", FALSE);
      g_autoptr (JsonGenerator) g = json_generator_new ();
      json_generator_set_root (g, json_parser_get_root (p));
      g_autofree char *leaf = g_path_get_basename (file);
      g_autofree char *out = g_build_filename (copy, leaf, NULL);
      CU_ASSERT_TRUE_FATAL (json_generator_to_file (g, out, NULL));
    }
  CU_ASSERT_TRUE (scripted > 0);
  return g_steal_pointer (&copy);
}

/* @text without the lines that hold @what. (transfer full) */
static char *
without_lines (const char *text, const char *what)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  GString *out = g_string_new (NULL);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], what) == NULL)
      g_string_append_printf (out, "%s\n", lines[i]);
  return g_string_free (out, FALSE);
}

static void
test_report_db (void)
{
  g_autofree char *terminal = g_build_filename (tmp, "records", NULL);
  g_autofree char *records = copy_as_trainees (terminal);
  const char *from_dir[] = { "--lang", "en", "report", "--format", "json", records, NULL };
  const char *from_db[] = { "--lang", "en", "report", "--format", "json", "--db", db_url, NULL };
  g_autofree char *dir_out = NULL, *db_out = NULL, *err = NULL;
  CU_ASSERT_EQUAL_FATAL (procsim (from_dir, NULL, &dir_out, NULL), 0);
  int status = procsim (from_db, NULL, &db_out, &err);
  if (status != 0)
    g_printerr ("report --db: %s\n", err);
  CU_ASSERT_EQUAL_FATAL (status, 0);
  CU_ASSERT_TRUE (strstr (db_out, "\"attempts\"") != NULL);
  /* The same but for when each was played: the terminal's runs and the
   * server's are seconds apart. */
  g_autofree char *db_undated = without_lines (db_out, "\"last_started\"");
  g_autofree char *dir_undated = without_lines (dir_out, "\"last_started\"");
  CU_ASSERT_STRING_NOT_EQUAL (db_undated, db_out);
  CU_ASSERT_STRING_EQUAL (db_undated, dir_undated);
  const char *text_db[] = { "--lang", "en", "report", "--db", db_url, NULL };
  g_autofree char *text = NULL;
  CU_ASSERT_EQUAL (procsim (text_db, NULL, &text, NULL), 0);
  CU_ASSERT_PTR_NOT_NULL (strstr (text, "land-title-digital"));

  g_autofree char *nowhere = g_build_filename (tmp, "no-such.sqlite3", NULL);
  g_autofree char *nowhere_url = g_strconcat ("sqlite:", nowhere, NULL);
  const char *missing[] = { "--lang", "en", "report", "--db", nowhere_url, NULL };
  g_clear_pointer (&err, g_free);
  CU_ASSERT_EQUAL (procsim (missing, NULL, NULL, &err), 2);
  CU_ASSERT_PTR_NOT_NULL (strstr (err, "no such database file"));
  CU_ASSERT_FALSE (g_file_test (nowhere, G_FILE_TEST_EXISTS));
  const char *both[] = { "report", "--db", db_url, records, NULL };
  CU_ASSERT_EQUAL (procsim (both, NULL, NULL, NULL), 1);
}

static char *page_csrf (const char *body);
static char *page_login (const char *user);
static void remove_tree (const char *path);

/* A multipart upload form: @csrf, the scenario file @scenario and the
 * procedure file @procedure (named as the scenario's href names it), the
 * groups field empty. (transfer full) */
static char *
upload_form (const char *csrf, const char *scenario, const char *procedure)
{
  return g_strdup_printf ("--psimBOUNDARY\r\n"
                          "Content-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
                          "--psimBOUNDARY\r\n"
                          "Content-Disposition: form-data; name=\"offer-count\"\r\n\r\n0\r\n"
                          "--psimBOUNDARY\r\n"
                          "Content-Disposition: form-data; name=\"scenario\"; "
                          "filename=\"uploaded-demo.xml\"\r\n"
                          "Content-Type: text/xml\r\n\r\n%s\r\n"
                          "--psimBOUNDARY\r\n"
                          "Content-Disposition: form-data; name=\"procedure\"; "
                          "filename=\"land-title-transfer.xml\"\r\n"
                          "Content-Type: text/xml\r\n\r\n%s\r\n"
                          "--psimBOUNDARY--\r\n",
                          csrf, scenario, procedure);
}

/* The upload form of trainer chi for the land-title scenario under the
 * id @id with its procedure, in *body; chi's cookie in *cookie. */
static void
land_copy_form (const char *id, char **cookie, char **body)
{
  const char *root = g_getenv ("PSIM_SOURCE_ROOT");
  g_autofree char *sc_path = g_build_filename (root, "scenarios", "land-title-digital.xml", NULL);
  g_autofree char *proc_path = g_build_filename (root, "workflows", "land-title-transfer.xml",
                                                 NULL);
  g_autofree char *text = NULL, *procedure = NULL;
  CU_ASSERT_TRUE_FATAL (g_file_get_contents (sc_path, &text, NULL, NULL));
  CU_ASSERT_TRUE_FATAL (g_file_get_contents (proc_path, &procedure, NULL, NULL));
  g_autoptr (GString) scenario = g_string_new (text);
  g_autofree char *new_id = g_strdup_printf ("id=\"%s\"", id);
  CU_ASSERT_TRUE_FATAL (g_string_replace (scenario, "id=\"land-title-digital\"", new_id, 1) == 1);
  CU_ASSERT_TRUE_FATAL (g_string_replace (scenario, "href=\"../workflows/land-title-transfer.xml\"",
                                          "href=\"land-title-transfer.xml\"", 1) == 1);
  *cookie = page_login ("chi");
  g_autoptr (Resp) page = request ("GET", "/trainer/upload", NULL, &(Opts){ .cookie = *cookie });
  CU_ASSERT_EQUAL_FATAL (page->status, 200);
  g_autofree char *csrf = page_csrf (page->body);
  *body = upload_form (csrf, scenario->str, procedure);
}

/* Trainer chi uploads the land-title scenario under the id @id with its
 * procedure; the form sent and chi's cookie in *body and *cookie. */
static void
upload_land_copy (const char *id, char **cookie, char **body)
{
  land_copy_form (id, cookie, body);
  Opts as_upload = { .type = "multipart/form-data; boundary=psimBOUNDARY", .cookie = *cookie };
  g_autoptr (Resp) sent = request ("POST", "/trainer/upload", *body, &as_upload);
  if (sent->status != 200)
    g_printerr ("upload: %u %s\n", sent->status, sent->body);
  CU_ASSERT_EQUAL_FATAL (sent->status, 200);
}

/* The SVG of `procsim render land-title-transfer` with @extra options
 * (up to three, NULL-terminated); its exit status, the standard error in
 * *err when not NULL. (transfer full) in *svg */
static int
render_svg (char **svg, char **err, const char *a, const char *b, const char *c, const char *d)
{
  const char *args[] = { "--lang", "en", "render", "land-title-transfer", "-T", "svg", "-o", "-",
                         a, b, c, d, NULL };
  return procsim (args, NULL, svg, err);
}

/* `procsim render --db URL --highlight SESSION` draws a session of the
 * server's database as `--highlight RECORD` draws its record file: the
 * same picture, the old steps taken for nothing as ghosts. A session
 * under way is drawn from its checkpoint, as far as it has come, and the
 * browser trainer's page shows the same ghosts in its graph. */
static void
test_render_db (void)
{
  /* binh, of another group than the trainer whose report
   * test_authorisation counts. */
  g_autofree char *token = login ("binh", PASSWORD);
  g_autofree char *file = psim_test_data ("train/land-title-digital.mistakes");
  g_autoptr (GPtrArray) answers = read_answers (file);
  g_autofree char *done = new_session (token, "land-title-digital");
  for (guint i = 0; i < answers->len; i++)
    {
      g_autoptr (Resp) r = answer (token, done, g_ptr_array_index (answers, i));
      CU_ASSERT_EQUAL_FATAL (r->status, 200);
    }
  g_autofree char *path = g_strdup_printf ("/api/v1/sessions/%s/record?format=json", done);
  g_autoptr (Resp) rec = request ("GET", path, NULL, &(Opts){ .token = token });
  CU_ASSERT_EQUAL_FATAL (rec->status, 200);
  g_autofree char *rec_file = g_build_filename (tmp, "render-db.json", NULL);
  CU_ASSERT_TRUE_FATAL (g_file_set_contents (rec_file, rec->body, -1, NULL));

  g_autofree char *from_db = NULL, *from_file = NULL, *err = NULL;
  int status = render_svg (&from_db, &err, "--db", db_url, "--highlight", done);
  if (status != 0)
    g_printerr ("render --db: %s\n", err);
  CU_ASSERT_EQUAL_FATAL (status, 0);
  CU_ASSERT_EQUAL_FATAL (render_svg (&from_file, NULL, "--highlight", rec_file, NULL, NULL), 0);
  CU_ASSERT_STRING_EQUAL (from_db, from_file);
  /* The detours of the answers: the desk of the old path, the Treasury. */
  CU_ASSERT_PTR_NOT_NULL (strstr (from_db, "<title>ghost:legacy:submit&#45;dossier</title>"));
  CU_ASSERT_PTR_NOT_NULL (strstr (from_db, "<title>ghost:legacy:pay&#45;taxes</title>"));

  /* Under way: a hint, a detour to the commune (an old step), a step. */
  g_autofree char *open = new_session (token, "land-title-digital");
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (Resp) r = answer (token, open, g_ptr_array_index (answers, i));
      CU_ASSERT_EQUAL_FATAL (r->status, 200);
    }
  g_autofree char *partial = NULL;
  CU_ASSERT_EQUAL (render_svg (&partial, NULL, "--db", db_url, "--highlight", open), 0);
  CU_ASSERT_PTR_NOT_NULL (strstr (partial, "<title>ghost:legacy:civil&#45;status</title>"));
  CU_ASSERT_PTR_NULL (strstr (partial, "<title>ghost:legacy:submit&#45;dossier</title>"));
  g_autofree char *page_path = g_strdup_printf ("/session/%s", open);
  g_autoptr (Resp) page = request ("GET", page_path, NULL, &(Opts){ .token = token });
  CU_ASSERT_EQUAL_FATAL (page->status, 200);
  CU_ASSERT_PTR_NOT_NULL (strstr (page->body, "<title>ghost:legacy:civil&#45;status</title>"));
  CU_ASSERT_PTR_NOT_NULL (strstr (page->body, "grey dashed boxes"));

  /* Under way in a scenario a trainer uploaded: drawn from the database's
   * copy of its files, as far as it has come, whatever the server's own
   * copy (removed here) and the bundled ones. */
  g_autofree char *chi_cookie = NULL, *form = NULL;
  upload_land_copy ("uploaded-render", &chi_cookie, &form);
  g_autofree char *upload_open = new_session (token, "uploaded-render");
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (Resp) r = answer (token, upload_open, g_ptr_array_index (answers, i));
      CU_ASSERT_EQUAL_FATAL (r->status, 200);
    }
  g_autofree char *server_copy = g_getenv ("PSIM_TEST_PG_URI") != NULL
      ? g_build_filename (tmp, "procsim", "uploads", "uploaded-render", NULL)
      : g_build_filename (tmp, "uploads", "uploaded-render", NULL);
  CU_ASSERT_TRUE_FATAL (g_file_test (server_copy, G_FILE_TEST_IS_DIR));
  remove_tree (server_copy);
  g_autofree char *uploaded = NULL;
  g_clear_pointer (&err, g_free);
  status = render_svg (&uploaded, &err, "--db", db_url, "--highlight", upload_open);
  if (status != 0)
    g_printerr ("render --db, uploaded scenario: %s\n", err);
  CU_ASSERT_EQUAL_FATAL (status, 0);
  CU_ASSERT_STRING_EQUAL (uploaded, partial);

  /* Mistakes: a session the database does not hold and --db without one
   * session's id are usage errors; a database that is not there an
   * error, not a new empty file. */
  g_clear_pointer (&err, g_free);
  CU_ASSERT_EQUAL (render_svg (NULL, &err, "--db", db_url, "--highlight", "no-such-session"), 1);
  CU_ASSERT_PTR_NOT_NULL (err != NULL ? strstr (err, "has no session 'no-such-session'") : NULL);
  CU_ASSERT_EQUAL (render_svg (NULL, NULL, "--db", db_url, NULL, NULL), 1);
  g_autofree char *two = g_strconcat (done, ",", open, NULL);
  CU_ASSERT_EQUAL (render_svg (NULL, NULL, "--db", db_url, "--highlight", two), 1);
  g_autofree char *nowhere = g_build_filename (tmp, "no-such-render.sqlite3", NULL);
  g_autofree char *nowhere_url = g_strconcat ("sqlite:", nowhere, NULL);
  g_clear_pointer (&err, g_free);
  CU_ASSERT_EQUAL (render_svg (NULL, &err, "--db", nowhere_url, "--highlight", done), 2);
  CU_ASSERT_PTR_NOT_NULL (err != NULL ? strstr (err, "no such database file") : NULL);
  CU_ASSERT_FALSE (g_file_test (nowhere, G_FILE_TEST_EXISTS));
}

/* The trainer's report through the API sums the same sessions as `procsim
 * report --db` (both through the library's report): for every scenario
 * played, the same attempts, results, best score, questions and mistakes
 * with their labels. */
static void
test_report_api (void)
{
  const char *from_db[] = { "--lang", "en", "report", "--format", "json", "--db", db_url, NULL };
  g_autofree char *db_out = NULL;
  CU_ASSERT_EQUAL_FATAL (procsim (from_db, NULL, &db_out, NULL), 0);
  g_autoptr (JsonParser) parser = json_parser_new ();
  CU_ASSERT_TRUE_FATAL (json_parser_load_from_data (parser, db_out, -1, NULL));
  JsonArray *all = json_node_get_array (json_parser_get_root (parser));
  /* Every scenario test_play_bundled played: all four, two under valgrind. */
  CU_ASSERT_TRUE_FATAL (json_array_get_length (all) >= (under_valgrind () ? 2 : 4));
  g_autofree char *chi = login ("chi", PASSWORD); /* trainer of anh's group */
  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      JsonObject *want = json_array_get_object_element (all, i);
      const char *id = json_object_get_string_member (want, "scenario");
      g_autofree char *path = g_strdup_printf ("/api/v1/reports/scenarios/%s", id);
      g_autoptr (Resp) r = request ("GET", path, NULL, &(Opts){ .token = chi });
      CU_ASSERT_EQUAL_FATAL (r->status, 200);
      JsonObject *got = obj (r);
      const char *counts[] = { "attempts", "finished", "passed" };
      for (guint k = 0; k < G_N_ELEMENTS (counts); k++)
        CU_ASSERT_EQUAL (json_object_get_int_member (got, counts[k]),
                         json_object_get_int_member (want, counts[k]));
      CU_ASSERT_DOUBLE_EQUAL (json_object_get_double_member (got, "mean_percent"),
                              json_object_get_double_member (want, "mean_percent"), 0.006);
      JsonArray *gt = json_object_get_array_member (got, "trainees");
      JsonArray *wt = json_object_get_array_member (want, "trainees");
      CU_ASSERT_EQUAL_FATAL (json_array_get_length (gt), json_array_get_length (wt));
      for (guint k = 0; k < json_array_get_length (gt); k++)
        {
          JsonObject *g = json_array_get_object_element (gt, k);
          JsonObject *w = json_array_get_object_element (wt, k);
          CU_ASSERT_STRING_EQUAL (json_object_get_string_member (g, "name"),
                                  json_object_get_string_member (w, "name"));
          CU_ASSERT_STRING_EQUAL (json_object_get_string_member (g, "group"), "hanoi");
          CU_ASSERT_DOUBLE_EQUAL (json_object_get_double_member (g, "best_percent"),
                                  json_object_get_double_member (w, "best_percent"), 0.006);
        }
      JsonArray *gq = json_object_get_array_member (got, "questions");
      JsonArray *wq = json_object_get_array_member (want, "questions");
      CU_ASSERT_EQUAL_FATAL (json_array_get_length (gq), json_array_get_length (wq));
      for (guint k = 0; k < json_array_get_length (gq); k++)
        {
          JsonObject *g = json_array_get_object_element (gq, k);
          JsonObject *w = json_array_get_object_element (wq, k);
          CU_ASSERT_STRING_EQUAL (json_object_get_string_member (g, "id"),
                                  json_object_get_string_member (w, "id"));
          CU_ASSERT_STRING_EQUAL (json_object_get_string_member (g, "label"),
                                  json_object_get_string_member (w, "label"));
          CU_ASSERT_EQUAL (json_object_get_int_member (g, "asked"),
                           json_object_get_int_member (w, "asked"));
          CU_ASSERT_EQUAL (json_object_get_int_member (g, "right"),
                           json_object_get_int_member (w, "right"));
        }
      /* The command prints the five most frequent; the API all. */
      JsonArray *gm = json_object_get_array_member (got, "mistakes");
      JsonArray *wm = json_object_get_array_member (want, "mistakes");
      CU_ASSERT_TRUE_FATAL (json_array_get_length (gm) >= json_array_get_length (wm));
      for (guint k = 0; k < json_array_get_length (wm); k++)
        {
          JsonObject *g = json_array_get_object_element (gm, k);
          JsonObject *w = json_array_get_object_element (wm, k);
          const char *fields[] = { "kind", "ref", "label" };
          for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
            CU_ASSERT_STRING_EQUAL (json_object_get_string_member (g, fields[f]),
                                    json_object_get_string_member (w, fields[f]));
          CU_ASSERT_EQUAL (json_object_get_int_member (g, "count"),
                           json_object_get_int_member (w, "count"));
        }
    }
}

/* The ids of the scenarios @token's user is offered. (transfer full) */
static char *
catalogue_ids (const char *token)
{
  g_autoptr (Resp) r = request ("GET", "/api/v1/scenarios", NULL, &(Opts){ .token = token });
  CU_ASSERT_EQUAL_FATAL (r->status, 200);
  JsonArray *a = json_node_get_array (r->json);
  g_autoptr (GString) ids = g_string_new (NULL);
  for (guint i = 0; i < json_array_get_length (a); i++)
    g_string_append_printf (ids, "%s%s", i > 0 ? " " : "",
                            json_object_get_string_member (json_array_get_object_element (a, i),
                                                           "id"));
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

/* A scenario offered to some groups is in the catalogue of their trainees
 * only; none named, of every trainee. Trainers see and start them all. */
static void
test_catalogue_groups (void)
{
  g_autofree char *anh = login ("anh", PASSWORD);   /* trainee, hanoi */
  g_autofree char *binh = login ("binh", PASSWORD); /* trainee, hue */
  g_autofree char *chi = login ("chi", PASSWORD);   /* trainer, hanoi */
  const char *sc = "land-title-mortgaged";
  const char *put = "/api/v1/scenarios/land-title-mortgaged/groups";
  g_autofree char *before = catalogue_ids (binh);
  CU_ASSERT_PTR_NOT_NULL (strstr (before, sc));
  /* Trainees cannot change it. */
  g_autoptr (Resp) refused = request ("PUT", put, "{\"groups\": [\"hue\"]}",
                                      &(Opts){ .token = binh });
  CU_ASSERT_EQUAL (refused->status, 403);
  g_autoptr (Resp) set = request ("PUT", put, "{\"groups\": [\" hanoi \", \"hanoi\", \"k1\"]}",
                                  &(Opts){ .token = chi });
  CU_ASSERT_EQUAL_FATAL (set->status, 200);
  JsonArray *groups = json_object_get_array_member (obj (set), "groups");
  CU_ASSERT_EQUAL (json_array_get_length (groups), 2);
  CU_ASSERT_STRING_EQUAL (json_array_get_string_element (groups, 0), "hanoi");
  CU_ASSERT_STRING_EQUAL (json_array_get_string_element (groups, 1), "k1");
  /* hue's trainee neither sees nor starts it, nor reads it by id. */
  g_autofree char *hue = catalogue_ids (binh);
  CU_ASSERT_PTR_NULL (strstr (hue, sc));
  CU_ASSERT_PTR_NOT_NULL (strstr (hue, "land-title-digital"));
  g_autofree char *body = json1 ("scenario", sc);
  g_autoptr (Resp) start = request ("POST", "/api/v1/sessions", body, &(Opts){ .token = binh });
  CU_ASSERT_EQUAL (start->status, 404);
  g_autoptr (Resp) read = request ("GET", "/api/v1/scenarios/land-title-mortgaged", NULL,
                                   &(Opts){ .token = binh });
  CU_ASSERT_EQUAL (read->status, 404);
  g_autoptr (Resp) page = request ("GET", "/", NULL, &(Opts){ .token = binh });
  CU_ASSERT_PTR_NULL (strstr (page->body, "/train/land-title-mortgaged"));
  /* hanoi's trainee does, and the trainer sees who it is offered to. */
  g_autofree char *hanoi = catalogue_ids (anh);
  CU_ASSERT_PTR_NOT_NULL (strstr (hanoi, sc));
  g_autoptr (Resp) hanoi_page = request ("GET", "/", NULL, &(Opts){ .token = anh });
  CU_ASSERT_PTR_NOT_NULL (strstr (hanoi_page->body, "/train/land-title-mortgaged"));
  g_autofree char *mine = new_session (anh, sc);
  CU_ASSERT_PTR_NOT_NULL (mine);
  g_autoptr (Resp) info = request ("GET", "/api/v1/scenarios/land-title-mortgaged", NULL,
                                   &(Opts){ .token = chi });
  CU_ASSERT_EQUAL_FATAL (info->status, 200);
  CU_ASSERT_EQUAL (json_array_get_length (json_object_get_array_member (obj (info), "groups")),
                   2);
  g_autoptr (Resp) trainee_info = request ("GET", "/api/v1/scenarios/land-title-mortgaged", NULL,
                                           &(Opts){ .token = anh });
  CU_ASSERT_FALSE (json_object_has_member (obj (trainee_info), "groups"));
  /* Bad names are refused, and nothing changes. */
  g_autofree char *long_name = g_strnfill (65, 'x');
  g_autofree char *too_long = g_strdup_printf ("{\"groups\": [\"%s\"]}", long_name);
  const char *bad[] = { "{\"groups\": \"hue\"}", "{\"groups\": [1]}", "{}", too_long };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (Resp) r = request ("PUT", put, bad[i], &(Opts){ .token = chi });
      CU_ASSERT_EQUAL (r->status, 400);
      error_message (r);
    }
  g_autofree char *still = catalogue_ids (binh);
  CU_ASSERT_PTR_NULL (strstr (still, sc));
  /* No group: every trainee again. */
  g_autoptr (Resp) open = request ("PUT", put, "{\"groups\": []}", &(Opts){ .token = chi });
  CU_ASSERT_EQUAL (open->status, 200);
  g_autofree char *after = catalogue_ids (binh);
  CU_ASSERT_STRING_EQUAL (after, before);

  /* The report page's form: its check boxes and field, with the CSRF
   * token; without the token nothing changes. */
  g_autofree char *cookie = page_login ("chi");
  g_autoptr (Resp) report = request ("GET", "/trainer/scenario/land-title-mortgaged", NULL,
                                     &(Opts){ .cookie = cookie });
  CU_ASSERT_EQUAL_FATAL (report->status, 200);
  CU_ASSERT_PTR_NOT_NULL (strstr (report->body, "action=\"/trainer/scenario/land-title-mortgaged/groups\""));
  CU_ASSERT_PTR_NOT_NULL (strstr (report->body, "value=\"hue\""));
  g_autofree char *csrf = page_csrf (report->body);
  Opts as_form = { .type = "application/x-www-form-urlencoded", .cookie = cookie };
  const char *form_path = "/trainer/scenario/land-title-mortgaged/groups";
  g_autoptr (Resp) forged = request ("POST", form_path, "offer-count=0&offer-more=hue", &as_form);
  CU_ASSERT_EQUAL (forged->status, 403);
  g_autofree char *form = g_strdup_printf ("csrf=%s&offer-count=0&offer-more=hue%%2C+k2", csrf);
  g_autoptr (Resp) saved = request ("POST", form_path, form, &as_form);
  CU_ASSERT_EQUAL (saved->status, 303);
  CU_ASSERT_STRING_EQUAL (saved->location, "/trainer/scenario/land-title-mortgaged");
  g_autofree char *for_hue = catalogue_ids (binh);
  g_autofree char *for_hanoi = catalogue_ids (anh);
  CU_ASSERT_PTR_NOT_NULL (strstr (for_hue, sc));
  CU_ASSERT_PTR_NULL (strstr (for_hanoi, sc));
  g_autoptr (Resp) ticked = request ("GET", "/trainer/scenario/land-title-mortgaged", NULL,
                                     &(Opts){ .cookie = cookie });
  CU_ASSERT_PTR_NOT_NULL (strstr (ticked->body, "value=\"k2\" checked"));
  g_autofree char *none = g_strdup_printf ("csrf=%s&offer-count=0", csrf);
  g_autoptr (Resp) cleared = request ("POST", form_path, none, &as_form);
  CU_ASSERT_EQUAL (cleared->status, 303);
  g_autofree char *again = catalogue_ids (anh);
  CU_ASSERT_PTR_NOT_NULL (strstr (again, sc));
}

static void
test_authorisation (void)
{
  g_autofree char *anh = login ("anh", PASSWORD);   /* trainee, hanoi */
  g_autofree char *binh = login ("binh", PASSWORD); /* trainee, hue */
  g_autofree char *chi = login ("chi", PASSWORD);   /* trainer, hanoi */
  g_autofree char *mine = new_session (anh, "land-title-digital");
  g_autofree char *theirs = new_session (binh, "land-title-digital");
  g_autofree char *path = g_strdup_printf ("/api/v1/sessions/%s", mine);
  g_autofree char *their_path = g_strdup_printf ("/api/v1/sessions/%s", theirs);

  g_autoptr (Resp) own = request ("GET", path, NULL, &(Opts){ .token = anh });
  CU_ASSERT_EQUAL (own->status, 200);
  /* Its xAPI actor is an account of procsim (no --base-url here: the
   * same whichever server writes it). */
  g_autofree char *xapi_path = g_strdup_printf ("/api/v1/sessions/%s/record?format=xapi", mine);
  g_autoptr (Resp) xapi = request ("GET", xapi_path, NULL, &(Opts){ .token = anh });
  CU_ASSERT_EQUAL_FATAL (xapi->status, 200);
  g_autoptr (JsonParser) xp = json_parser_new ();
  CU_ASSERT_TRUE_FATAL (json_parser_load_from_data (xp, xapi->body, -1, NULL));
  JsonArray *statements = json_node_get_array (json_parser_get_root (xp));
  CU_ASSERT_TRUE_FATAL (json_array_get_length (statements) > 0);
  JsonObject *account = json_object_get_object_member (
    json_object_get_object_member (json_array_get_object_element (statements, 0), "actor"),
    "account");
  CU_ASSERT_STRING_EQUAL (json_object_get_string_member (account, "homePage"),
                          "https://procsim.example/xapi/");
  CU_ASSERT_STRING_EQUAL (json_object_get_string_member (account, "name"), "anh");
  /* Another trainee's: not found, for reading, answering and records. */
  g_autoptr (Resp) peek = request ("GET", path, NULL, &(Opts){ .token = binh });
  CU_ASSERT_EQUAL (peek->status, 404);
  g_autoptr (Resp) meddle = answer (binh, mine, "1");
  CU_ASSERT_EQUAL (meddle->status, 404);
  g_autofree char *rec = g_strdup_printf ("/api/v1/sessions/%s/record?format=json", mine);
  g_autoptr (Resp) steal = request ("GET", rec, NULL, &(Opts){ .token = binh });
  CU_ASSERT_EQUAL (steal->status, 404);
  g_autoptr (Resp) list = request ("GET", "/api/v1/sessions?user=anh", NULL,
                                   &(Opts){ .token = binh });
  CU_ASSERT_EQUAL (list->status, 404);
  /* The trainer of the group sees, but does not play. */
  g_autoptr (Resp) look = request ("GET", path, NULL, &(Opts){ .token = chi });
  if (look->status != 200)
    g_printerr ("trainer: %u %s\n", look->status, look->body);
  CU_ASSERT_EQUAL (look->status, 200);
  g_autoptr (Resp) play = answer (chi, mine, "1");
  CU_ASSERT_EQUAL (play->status, 403);
  error_message (play);
  g_autoptr (Resp) other_group = request ("GET", their_path, NULL, &(Opts){ .token = chi });
  CU_ASSERT_EQUAL (other_group->status, 404);
  /* Reports are for trainers, and count only what they may see. */
  g_autoptr (Resp) no_report = request ("GET", "/api/v1/reports/scenarios/land-title-digital",
                                        NULL, &(Opts){ .token = anh });
  CU_ASSERT_EQUAL (no_report->status, 403);
  g_autoptr (Resp) report = request ("GET", "/api/v1/reports/scenarios/land-title-digital", NULL,
                                     &(Opts){ .token = chi });
  CU_ASSERT_EQUAL_FATAL (report->status, 200);
  JsonObject *ro = obj (report);
  JsonArray *trainees = json_object_get_array_member (ro, "trainees");
  for (guint i = 0; i < json_array_get_length (trainees); i++)
    CU_ASSERT_STRING_NOT_EQUAL (
        json_object_get_string_member (json_array_get_object_element (trainees, i), "name"),
        "binh");
  /* anh finished two land-title-digital runs (test_play_bundled) and has
   * one open. */
  CU_ASSERT_EQUAL (json_object_get_int_member (ro, "attempts"), 3);
  CU_ASSERT_EQUAL (json_object_get_int_member (ro, "unfinished"), 1);
  CU_ASSERT_EQUAL (json_array_get_length (json_object_get_array_member (ro,
                                                                        "unfinished_sessions")),
                   1);
  CU_ASSERT_EQUAL (json_object_get_int_member (ro, "finished"), 2);
  JsonArray *questions = json_object_get_array_member (ro, "questions");
  CU_ASSERT_TRUE (json_array_get_length (questions) > 0);
  CU_ASSERT_EQUAL (json_object_get_int_member (json_array_get_object_element (questions, 0),
                                               "asked"),
                   2);
  g_autoptr (Resp) none = request ("GET", "/api/v1/reports/scenarios/nothing-here", NULL,
                                   &(Opts){ .token = chi });
  CU_ASSERT_EQUAL (none->status, 404);
}

static void
test_csrf (void)
{
  /* The login form: its CSRF cookie and field. */
  g_autoptr (Resp) form = request ("GET", "/login", NULL, NULL);
  CU_ASSERT_EQUAL_FATAL (form->status, 200);
  CU_ASSERT_PTR_NOT_NULL_FATAL (strstr (form->cookies, "psim_csrf="));
  const char *csrf = strstr (form->cookies, "psim_csrf=") + strlen ("psim_csrf=");
  CU_ASSERT_PTR_NOT_NULL (strstr (form->body, csrf));
  Opts as_form = { .type = "application/x-www-form-urlencoded", .cookie = form->cookies };
  g_autoptr (Resp) no_token = request ("POST", "/login", "user=anh&password=correct+horse+battery",
                                       &as_form);
  CU_ASSERT_EQUAL (no_token->status, 403);
  g_autofree char *wrong_body = g_strdup ("user=anh&password=correct+horse+battery&csrf=forged");
  g_autoptr (Resp) forged = request ("POST", "/login", wrong_body, &as_form);
  CU_ASSERT_EQUAL (forged->status, 403);
  g_autofree char *good = g_strdup_printf ("user=anh&password=correct+horse+battery&csrf=%s"
                                           "&next=/", csrf);
  g_autoptr (Resp) in = request ("POST", "/login", good, &as_form);
  CU_ASSERT_EQUAL_FATAL (in->status, 303);
  CU_ASSERT_PTR_NOT_NULL_FATAL (strstr (in->cookies, "psim_login="));
  g_autofree char *cookie = g_strdup (in->cookies);

  /* The start page, by the cookie; its logout form carries the login's token. */
  g_autoptr (Resp) start = request ("GET", "/", NULL, &(Opts){ .cookie = cookie });
  CU_ASSERT_EQUAL_FATAL (start->status, 200);
  const char *field = strstr (start->body, "name=\"csrf\" value=\"");
  CU_ASSERT_PTR_NOT_NULL_FATAL (field);
  g_autofree char *token = g_strndup (field + strlen ("name=\"csrf\" value=\""), 43);

  /* A cookie-authenticated API call needs the token too. */
  g_autofree char *body = json1 ("scenario", "land-title-digital");
  g_autoptr (Resp) bare = request ("POST", "/api/v1/sessions", body, &(Opts){ .cookie = cookie });
  CU_ASSERT_EQUAL (bare->status, 403);
  error_message (bare);
  g_autoptr (Resp) with = request ("POST", "/api/v1/sessions", body,
                                   &(Opts){ .cookie = cookie, .csrf = token });
  CU_ASSERT_EQUAL (with->status, 201);
  g_autoptr (Resp) logout_bare = request ("POST", "/logout", "",
                                          &(Opts){ .cookie = cookie, .type = as_form.type });
  CU_ASSERT_EQUAL (logout_bare->status, 403);
  g_autofree char *logout_body = g_strdup_printf ("csrf=%s", token);
  g_autoptr (Resp) logout = request ("POST", "/logout", logout_body,
                                     &(Opts){ .cookie = cookie, .type = as_form.type });
  CU_ASSERT_EQUAL (logout->status, 303);
  g_autoptr (Resp) gone = request ("GET", "/", NULL, &(Opts){ .cookie = cookie });
  CU_ASSERT_EQUAL (gone->status, 303);
  CU_ASSERT_TRUE (gone->location != NULL && g_str_has_prefix (gone->location, "/login"));
}

static void
test_bad_requests (void)
{
  g_autofree char *token = login ("anh", PASSWORD);
  Opts o = { .token = token };
  /* Over the cap: refused before it is read. */
  g_autofree char *big = g_strnfill (65 * 1024, 'x');
  g_autoptr (Resp) huge = request ("POST", "/api/v1/sessions", big, &o);
  CU_ASSERT_EQUAL (huge->status, 413);
  error_message (huge);
  g_autoptr (Resp) not_json = request ("POST", "/api/v1/sessions", "{\"scenario\": ", &o);
  CU_ASSERT_EQUAL (not_json->status, 400);
  CU_ASSERT_PTR_NOT_NULL (strstr (error_message (not_json), "JSON"));
  g_autoptr (Resp) array = request ("POST", "/api/v1/sessions", "[1, 2]", &o);
  CU_ASSERT_EQUAL (array->status, 400);
  g_autoptr (Resp) no_field = request ("POST", "/api/v1/sessions", "{\"scenery\": 1}", &o);
  CU_ASSERT_EQUAL (no_field->status, 400);
  g_autoptr (Resp) no_such = request ("POST", "/api/v1/sessions", "{\"scenario\": \"nope\"}", &o);
  CU_ASSERT_EQUAL (no_such->status, 404);
  g_autoptr (Resp) bad_seed = request ("POST", "/api/v1/sessions",
                                       "{\"scenario\": \"land-title-digital\", \"seed\": -4}", &o);
  CU_ASSERT_EQUAL (bad_seed->status, 400);
  g_autofree char *id = new_session (token, "land-title-digital");
  g_autoptr (Resp) unreadable = answer (token, id, "99");
  CU_ASSERT_EQUAL (unreadable->status, 400);
  error_message (unreadable);
  g_autofree char *path = g_strdup_printf ("/api/v1/sessions/%s/answers", id);
  g_autoptr (Resp) number = request ("POST", path, "{\"answer\": 3}", &o);
  CU_ASSERT_EQUAL (number->status, 400);
  g_autofree char *rec = g_strdup_printf ("/api/v1/sessions/%s/record?format=pdf", id);
  g_autoptr (Resp) fmt = request ("GET", rec, NULL, &o);
  CU_ASSERT_EQUAL (fmt->status, 400);
  g_autoptr (Resp) nothing = request ("GET", "/api/v1/nothing", NULL, &o);
  CU_ASSERT_EQUAL (nothing->status, 404);
  g_autoptr (Resp) method = request ("DELETE", "/api/v1/scenarios", NULL, &o);
  CU_ASSERT_EQUAL (method->status, 405);
  /* Nothing of that was stored. */
  g_autofree char *spath = g_strdup_printf ("/api/v1/sessions/%s", id);
  g_autoptr (Resp) s = request ("GET", spath, NULL, &o);
  CU_ASSERT_EQUAL (json_object_get_int_member (obj (s), "answers"), 0);
}

static void
test_injection (void)
{
  g_autofree char *token = login ("anh", PASSWORD);
  Opts o = { .token = token };
  const char *evil[] = {
    "'; DROP TABLE sessions; --",
    "\" OR 1=1 --",
    "<script>alert('x')</script>",
    "1); DELETE FROM users; --",
    "%27%20OR%201%3D1",
  };
  g_autofree char *id = new_session (token, "land-title-digital");
  for (guint i = 0; i < G_N_ELEMENTS (evil); i++)
    {
      g_autofree char *body = json1 ("scenario", evil[i]);
      g_autoptr (Resp) sc = request ("POST", "/api/v1/sessions", body, &o);
      CU_ASSERT_EQUAL (sc->status, 404);
      g_autoptr (Resp) a = answer (token, id, evil[i]);
      CU_ASSERT_EQUAL (a->status, 400);
      /* An error message that quotes the input is JSON text, not markup. */
      CU_ASSERT_EQUAL (strstr (a->body, "<script>") != NULL, strstr (evil[i], "<script>") != NULL);
      g_autofree char *lb = login_json (evil[i], evil[i]);
      g_autoptr (Resp) l = request ("POST", "/api/v1/login", lb, NULL);
      CU_ASSERT_EQUAL (l->status, 401);
      g_autofree char *escaped = g_uri_escape_string (evil[i], NULL, FALSE);
      g_autofree char *path = g_strdup_printf ("/api/v1/sessions/%s", escaped);
      g_autoptr (Resp) g = request ("GET", path, NULL, &o);
      CU_ASSERT_EQUAL (g->status, 404);
      /* On a page: escaped. */
      g_autofree char *page = g_strdup_printf ("/login?next=/%s", escaped);
      g_autoptr (Resp) p = request ("GET", page, NULL, NULL);
      CU_ASSERT_EQUAL (p->status, 200);
      CU_ASSERT_PTR_NULL (strstr (p->body, "<script>"));
    }
  /* Everything is still there. */
  g_autofree char *spath = g_strdup_printf ("/api/v1/sessions/%s", id);
  g_autoptr (Resp) s = request ("GET", spath, NULL, &o);
  CU_ASSERT_EQUAL (s->status, 200);
  CU_ASSERT_EQUAL (json_object_get_int_member (obj (s), "answers"), 0);
  g_autoptr (Resp) health = request ("GET", "/healthz", NULL, NULL);
  CU_ASSERT_EQUAL (health->status, 200);
  g_free (login ("binh", PASSWORD));
}

/* The value of a page's first CSRF field. (transfer full) */
static char *
page_csrf (const char *body)
{
  const char *field = strstr (body, "name=\"csrf\" value=\"");
  CU_ASSERT_PTR_NOT_NULL_FATAL (field);
  field += strlen ("name=\"csrf\" value=\"");
  return g_strndup (field, strcspn (field, "\""));
}

/* Logs @user in through the login form: the login cookie. (transfer full) */
static char *
page_login (const char *user)
{
  g_autoptr (Resp) form = request ("GET", "/login", NULL, NULL);
  CU_ASSERT_EQUAL_FATAL (form->status, 200);
  g_autofree char *csrf = page_csrf (form->body);
  g_autofree char *body = g_strdup_printf ("user=%s&password=correct+horse+battery&csrf=%s", user,
                                           csrf);
  g_autoptr (Resp) in = request ("POST", "/login", body,
                                 &(Opts){ .type = "application/x-www-form-urlencoded",
                                          .cookie = form->cookies });
  CU_ASSERT_EQUAL_FATAL (in->status, 303);
  return g_strdup (in->cookies);
}

/* A guest: on loopback the login page offers it; the form needs its CSRF
 * token; the guest is a trainee of their own, who may play but not see
 * the trainer's pages. With --no-guests there is neither form nor route. */
static void
test_guests (void)
{
  g_autoptr (Resp) form = request ("GET", "/login", NULL, NULL);
  CU_ASSERT_EQUAL_FATAL (form->status, 200);
  CU_ASSERT_PTR_NOT_NULL (strstr (form->body, "action=\"/guest\""));
  const char *csrf = strstr (form->cookies, "psim_csrf=");
  CU_ASSERT_PTR_NOT_NULL_FATAL (csrf);
  csrf += strlen ("psim_csrf=");
  Opts as_form = { .type = "application/x-www-form-urlencoded", .cookie = form->cookies };
  g_autoptr (Resp) forged = request ("POST", "/guest", "csrf=forged", &as_form);
  CU_ASSERT_EQUAL (forged->status, 403);
  g_autofree char *body = g_strdup_printf ("csrf=%s", csrf);
  g_autoptr (Resp) in = request ("POST", "/guest", body, &as_form);
  CU_ASSERT_EQUAL_FATAL (in->status, 303);
  CU_ASSERT_STRING_EQUAL (in->location, "/");
  CU_ASSERT_PTR_NOT_NULL_FATAL (strstr (in->cookies, "psim_login="));
  g_autofree char *cookie = g_strdup (in->cookies);
  g_autoptr (Resp) start = request ("GET", "/", NULL, &(Opts){ .cookie = cookie });
  CU_ASSERT_EQUAL_FATAL (start->status, 200);
  CU_ASSERT_PTR_NOT_NULL (strstr (start->body, "guest-"));
  g_autofree char *token = page_csrf (start->body);
  g_autoptr (Resp) made = request ("POST", "/api/v1/sessions",
                                   "{\"scenario\": \"land-title-digital\"}",
                                   &(Opts){ .cookie = cookie, .csrf = token });
  CU_ASSERT_EQUAL (made->status, 201);
  g_autoptr (Resp) trainer = request ("GET", "/trainer", NULL, &(Opts){ .cookie = cookie });
  CU_ASSERT_EQUAL (trainer->status, 403);
  /* A second guest is somebody else. */
  g_autoptr (Resp) again = request ("POST", "/guest", body, &as_form);
  CU_ASSERT_EQUAL_FATAL (again->status, 303);
  CU_ASSERT_STRING_NOT_EQUAL (again->cookies, cookie);
  /* No password logs in as a guest. */
  const char *name = strstr (start->body, "guest-");
  g_autofree char *guest = g_strndup (name, strspn (name, "guest-0123456789abcdef"));
  g_autofree char *try = g_strdup_printf ("{\"user\": \"%s\", \"password\": \"!\"}", guest);
  g_autoptr (Resp) pw = request ("POST", "/api/v1/login", try, NULL);
  CU_ASSERT_EQUAL (pw->status, 401);

  stop_server (SIGTERM);
  start_server_with ("--no-guests", "--base-url=http://trainer.test/");
  g_autoptr (Resp) plain = request ("GET", "/login", NULL, NULL);
  CU_ASSERT_EQUAL_FATAL (plain->status, 200);
  CU_ASSERT_PTR_NULL (strstr (plain->body, "/guest"));
  g_autofree char *plain_body = g_strdup_printf (
    "csrf=%s", strstr (plain->cookies, "psim_csrf=") + strlen ("psim_csrf="));
  g_autoptr (Resp) refused = request ("POST", "/guest", plain_body,
                                      &(Opts){ .type = "application/x-www-form-urlencoded",
                                               .cookie = plain->cookies });
  CU_ASSERT_EQUAL (refused->status, 404);
  /* With --base-url, the xAPI actors are accounts of that address. */
  g_autofree char *anh = login ("anh", PASSWORD);
  g_autofree char *id = new_session (anh, "land-title-digital");
  g_autofree char *xapi_path = g_strdup_printf ("/api/v1/sessions/%s/record?format=xapi", id);
  g_autoptr (Resp) xapi = request ("GET", xapi_path, NULL, &(Opts){ .token = anh });
  CU_ASSERT_EQUAL_FATAL (xapi->status, 200);
  g_autoptr (JsonParser) xp = json_parser_new ();
  CU_ASSERT_TRUE_FATAL (json_parser_load_from_data (xp, xapi->body, -1, NULL));
  JsonArray *statements = json_node_get_array (json_parser_get_root (xp));
  CU_ASSERT_TRUE_FATAL (json_array_get_length (statements) > 0);
  for (guint i = 0; i < json_array_get_length (statements); i++)
    CU_ASSERT_STRING_EQUAL (
      json_object_get_string_member (
        json_object_get_object_member (
          json_object_get_object_member (json_array_get_object_element (statements, i), "actor"),
          "account"),
        "homePage"),
      "http://trainer.test/");
  stop_server (SIGTERM);
  start_server ();
}

#define MULTIPART_TYPE "multipart/form-data; boundary=psimBOUNDARY"

/* A multipart form (MULTIPART_TYPE) of @csrf and a file field "csv"
 * named @filename holding @content. (transfer full) */
static char *
multipart (const char *csrf, const char *filename, const char *content)
{
  return g_strdup_printf ("--psimBOUNDARY\r\n"
                          "Content-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
                          "--psimBOUNDARY\r\n"
                          "Content-Disposition: form-data; name=\"csv\"; filename=\"%s\"\r\n"
                          "Content-Type: text/csv\r\n\r\n%s\r\n"
                          "--psimBOUNDARY--\r\n",
                          csrf, filename, content);
}

/* An uploaded scenario is kept in the database with its procedure: after
 * the server's own copy of the files is gone (another machine, a lost
 * disk) a restarted server offers it again, and a session of it started
 * before goes on. The same id again is refused. */
static void
test_upload_kept (void)
{
  g_autofree char *cookie = NULL, *body = NULL;
  upload_land_copy ("uploaded-demo", &cookie, &body);
  Opts as_upload = { .type = "multipart/form-data; boundary=psimBOUNDARY", .cookie = cookie };
  g_autofree char *anh = login ("anh", PASSWORD);
  g_autofree char *id = new_session (anh, "uploaded-demo");
  g_autoptr (Resp) first = answer (anh, id, "1");
  CU_ASSERT_EQUAL (first->status, 200);

  /* The same id again: refused, with the reason. */
  g_autoptr (Resp) again = request ("POST", "/trainer/upload", body, &as_upload);
  CU_ASSERT_EQUAL (again->status, 422);
  CU_ASSERT_PTR_NOT_NULL (strstr (again->body, "already in the catalogue"));

  /* The server's copy lost; a new start writes it again from the database. */
  stop_server (SIGTERM);
  g_autofree char *copy = g_getenv ("PSIM_TEST_PG_URI") != NULL
                           ? g_build_filename (tmp, "procsim", "uploads", "uploaded-demo", NULL)
                           : g_build_filename (tmp, "uploads", "uploaded-demo", NULL);
  CU_ASSERT_TRUE_FATAL (g_file_test (copy, G_FILE_TEST_IS_DIR));
  remove_tree (copy);
  start_server ();
  g_autofree char *anh2 = login ("anh", PASSWORD);
  g_autofree char *ids = catalogue_ids (anh2);
  CU_ASSERT_PTR_NOT_NULL (strstr (ids, "uploaded-demo"));
  CU_ASSERT_TRUE (g_file_test (copy, G_FILE_TEST_IS_DIR));
  g_autofree char *path = g_strdup_printf ("/api/v1/sessions/%s", id);
  g_autoptr (Resp) resumed = request ("GET", path, NULL, &(Opts){ .token = anh2 });
  CU_ASSERT_EQUAL (resumed->status, 200);
  CU_ASSERT_EQUAL (json_object_get_int_member (obj (resumed), "answers"), 1);

  /* Stored, but its folder cannot be made (a non-empty one is in the
   * way): a 503, and no trace of it, so that no server offers it and the
   * same upload, once the way is clear, is taken. */
  g_autofree char *blocked = g_build_filename (copy, "..", "uploaded-blocked", NULL);
  g_autofree char *in_the_way = g_build_filename (blocked, "in-the-way", NULL);
  CU_ASSERT_EQUAL_FATAL (g_mkdir_with_parents (blocked, 0700), 0);
  CU_ASSERT_TRUE_FATAL (g_file_set_contents (in_the_way, "", 0, NULL));
  g_autofree char *cookie2 = NULL, *body2 = NULL;
  land_copy_form ("uploaded-blocked", &cookie2, &body2);
  Opts as_upload2 = { .type = "multipart/form-data; boundary=psimBOUNDARY", .cookie = cookie2 };
  g_autoptr (Resp) refused = request ("POST", "/trainer/upload", body2, &as_upload2);
  CU_ASSERT_EQUAL (refused->status, 503);
  g_autofree char *ids2 = catalogue_ids (anh2);
  CU_ASSERT_PTR_NULL (strstr (ids2, "uploaded-blocked"));
  remove_tree (blocked);
  g_autoptr (Resp) taken = request ("POST", "/trainer/upload", body2, &as_upload2);
  CU_ASSERT_EQUAL (taken->status, 200);
  g_autofree char *ids3 = catalogue_ids (anh2);
  CU_ASSERT_PTR_NOT_NULL (strstr (ids3, "uploaded-blocked"));
}

/* The admin's CSV import: the same rules and messages as `procsim users
 * import`, every problem with its line (the file's name escaped), nothing
 * added then; the made-up passwords shown once; admins only, with CSRF. */
static void
test_admin_import (void)
{
  add_user ("dora", "admin", "");
  g_autofree char *cookie = page_login ("dora");
  g_autoptr (Resp) page = request ("GET", "/admin", NULL, &(Opts){ .cookie = cookie });
  CU_ASSERT_EQUAL_FATAL (page->status, 200);
  CU_ASSERT_PTR_NOT_NULL (strstr (page->body, "action=\"/admin/import\""));
  g_autofree char *csrf = page_csrf (page->body);
  const char *type = MULTIPART_TYPE;

  g_autofree char *bad = multipart (csrf, "<i>list.csv",
                                    "name,role,group\n"
                                    "giang,trainee,hue\n"
                                    "<script>alert(1)</script>,trainee,hue\n"
                                    "hoa,boss,hue\n");
  g_autoptr (Resp) refused = request ("POST", "/admin/import", bad,
                                      &(Opts){ .cookie = cookie, .type = type });
  CU_ASSERT_EQUAL (refused->status, 400);
  CU_ASSERT_PTR_NOT_NULL (strstr (refused->body, "&lt;i&gt;list.csv:3: "
                                                 "&#39;&lt;script&gt;alert(1)&lt;/script&gt;"
                                                 "&#39; is not a user name"));
  CU_ASSERT_PTR_NOT_NULL (strstr (refused->body, "&lt;i&gt;list.csv:4: role &#39;boss&#39; "
                                                 "is not trainee, trainer or admin"));
  CU_ASSERT_PTR_NULL (strstr (refused->body, "<script>"));
  const char *list[] = { "users", "list", "--db", db_url, NULL };
  g_autofree char *out = NULL;
  CU_ASSERT_EQUAL (procsim (list, NULL, &out, NULL), 0);
  CU_ASSERT_PTR_NULL (strstr (out, "giang"));

  /* Without the CSRF field, and by a trainee: refused. */
  g_autofree char *good = multipart ("forged", "users.csv",
                                     "name,role,group,password\n"
                                     "giang,trainee,hue,\n"
                                     "hoa,trainer,hue," PASSWORD "\n");
  g_autoptr (Resp) forged = request ("POST", "/admin/import", good,
                                     &(Opts){ .cookie = cookie, .type = type });
  CU_ASSERT_EQUAL (forged->status, 403);
  g_autofree char *trainee = page_login ("anh");
  g_autoptr (Resp) anh_page = request ("GET", "/", NULL, &(Opts){ .cookie = trainee });
  g_autofree char *anh_csrf = page_csrf (anh_page->body);
  g_autofree char *by_trainee = multipart (anh_csrf, "users.csv",
                                           "name,role\ngiang,trainee\n");
  g_autoptr (Resp) not_admin = request ("POST", "/admin/import", by_trainee,
                                        &(Opts){ .cookie = trainee, .type = type });
  CU_ASSERT_EQUAL (not_admin->status, 403);

  /* A good file: both users, giang's password made up and shown once. */
  g_clear_pointer (&good, g_free);
  good = multipart (csrf, "users.csv",
                    "\xEF\xBB\xBFname,role,group,password\r\n"
                    "giang,trainee,hue,\r\n"
                    "\"hoa\",trainer,\"hue\"," PASSWORD "\r\n");
  g_autoptr (Resp) done = request ("POST", "/admin/import", good,
                                   &(Opts){ .cookie = cookie, .type = type });
  CU_ASSERT_EQUAL_FATAL (done->status, 200);
  CU_ASSERT_PTR_NOT_NULL (strstr (done->body, "2 users were added."));
  const char *row = strstr (done->body, "<td>giang</td><td class=\"secret\">");
  CU_ASSERT_PTR_NOT_NULL_FATAL (row);
  row += strlen ("<td>giang</td><td class=\"secret\">");
  g_autofree char *password = g_strndup (row, strcspn (row, "<"));
  CU_ASSERT_EQUAL (strlen (password), 16);
  CU_ASSERT_PTR_NULL (strstr (done->body, PASSWORD));
  /* Both can log in: the generated password and the given one. */
  g_autofree char *giang = login ("giang", password);
  g_autofree char *hoa = login ("hoa", PASSWORD);
  CU_ASSERT_PTR_NOT_NULL (giang);
  CU_ASSERT_PTR_NOT_NULL (hoa);
  g_clear_pointer (&out, g_free);
  CU_ASSERT_EQUAL (procsim (list, NULL, &out, NULL), 0);
  CU_ASSERT_PTR_NOT_NULL (strstr (out, "giang\ttrainee\thue"));
  CU_ASSERT_PTR_NOT_NULL (strstr (out, "hoa\ttrainer\thue"));
  /* Again: they exist, nothing is added and the page says who. */
  g_autoptr (Resp) twice = request ("POST", "/admin/import", good,
                                    &(Opts){ .cookie = cookie, .type = type });
  CU_ASSERT_EQUAL (twice->status, 400);
  CU_ASSERT_PTR_NOT_NULL (strstr (twice->body, "users.csv: user &#39;giang&#39; exists already"));
}

static void
test_rate_limit (void)
{
  const char *body = "{\"user\": \"dung\", \"password\": \"wrong password\"}";
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr (Resp) r = request ("POST", "/api/v1/login", body, NULL);
      CU_ASSERT_EQUAL (r->status, 401);
    }
  g_autoptr (Resp) r = request ("POST", "/api/v1/login", body, NULL);
  CU_ASSERT_EQUAL (r->status, 429);
  error_message (r);
  /* Even the right password waits now. */
  g_autofree char *right = g_strdup ("{\"user\": \"dung\", \"password\": \"" PASSWORD "\"}");
  g_autoptr (Resp) still = request ("POST", "/api/v1/login", right, NULL);
  CU_ASSERT_EQUAL (still->status, 429);
}

/* ---- durability ----------------------------------------------------------------------------- */

typedef struct {
  char *id;
  char *scenario;
  GPtrArray *answers;
  guint sent;  /* acknowledged */
} Run;

static void
test_sigkill (void)
{
  g_autofree char *token = login ("em", PASSWORD);
  g_autofree char *dir = scenarios_dir ();
  g_autoptr (GPtrArray) files = psim_test_list (dir, ".xml");
  Run runs[8];
  guint n = 0;
  guint max = under_valgrind () ? 4 : G_N_ELEMENTS (runs);
  for (guint i = 0; i < files->len && n + 1 < max; i++)
    {
      g_autofree char *name = g_path_get_basename (g_ptr_array_index (files, i));
      *strrchr (name, '.') = '\0';
      const char *kinds[] = { "perfect", "mistakes" };
      for (guint k = 0; k < 2; k++)
        {
          g_autofree char *rel = g_strdup_printf ("train/%s.%s", name, kinds[k]);
          g_autofree char *file = psim_test_data (rel);
          Run *r = &runs[n++];
          r->scenario = g_strdup (name);
          r->answers = read_answers (file);
          r->id = new_session (token, name);
          r->sent = 0;
          /* Several points in, a different number for each session. */
          guint upto = MIN (2 + n, r->answers->len - 1);
          for (; r->sent < upto; r->sent++)
            {
              g_autoptr (Resp) a = answer (token, r->id, g_ptr_array_index (r->answers, r->sent));
              CU_ASSERT_EQUAL_FATAL (a->status, 200);
            }
        }
    }
  /* One more answer in flight when the server dies: it may be stored or
   * not, never half. */
  g_autofree char *url = g_strdup_printf ("%s/api/v1/sessions/%s/answers", base, runs[0].id);
  g_autoptr (SoupMessage) msg = soup_message_new ("POST", url);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  g_autofree char *flying = json1 ("answer", g_ptr_array_index (runs[0].answers, runs[0].sent));
  g_autoptr (GBytes) fb = g_bytes_new (flying, strlen (flying));
  soup_message_set_request_body_from_bytes (msg, "application/json", fb);
  soup_session_send_async (http, msg, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_main_context_iteration (NULL, FALSE);
  stop_server (SIGKILL);
  g_main_context_iteration (NULL, FALSE);
  start_server ();
  g_free (token);
  token = login ("em", PASSWORD);

  for (guint i = 0; i < n; i++)
    {
      Run *r = &runs[i];
      g_autofree char *path = g_strdup_printf ("/api/v1/sessions/%s", r->id);
      g_autoptr (Resp) s = request ("GET", path, NULL, &(Opts){ .token = token });
      CU_ASSERT_EQUAL_FATAL (s->status, 200);
      guint stored = (guint) json_object_get_int_member (obj (s), "answers");
      if (i == 0)
        CU_ASSERT_TRUE (stored == r->sent || stored == r->sent + 1)
      else
        CU_ASSERT_EQUAL (stored, r->sent);
      g_autoptr (Resp) last = NULL;
      for (guint k = stored; k < r->answers->len; k++)
        {
          g_clear_pointer (&last, resp_free);
          last = answer (token, r->id, g_ptr_array_index (r->answers, k));
          CU_ASSERT_EQUAL_FATAL (last->status, 200);
        }
      CU_ASSERT_PTR_NOT_NULL_FATAL (last);
      CU_ASSERT_TRUE (json_object_get_boolean_member (obj (last), "finished"));
      /* The same answers, uninterrupted, in the terminal trainer. */
      g_autofree char *answers = g_build_filename (tmp, "replay.answers", NULL);
      g_autoptr (GString) all = g_string_new (NULL);
      for (guint k = 0; k < r->answers->len; k++)
        g_string_append_printf (all, "%s\n", (char *) g_ptr_array_index (r->answers, k));
      g_file_set_contents (answers, all->str, -1, NULL);
      g_autoptr (JsonObject) expected = terminal_score (r->scenario, answers);
      CU_ASSERT_EQUAL (json_object_get_int_member (obj (last), "score"),
                       json_object_get_int_member (expected, "score"));
      g_free (r->id);
      g_free (r->scenario);
      g_ptr_array_unref (r->answers);
    }
}

/* ---- the render worker (`test-serve graphs`, the soak suite) ----------------------- */

/* The resident size of process @pid in KiB, from /proc/PID/statm. */
static long
resident_kib_of (const char *pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/statm", pid);
  g_autofree char *statm = NULL;
  if (pid == NULL || !g_file_get_contents (path, &statm, NULL, NULL))
    return -1;
  long size = 0, resident = 0;
  if (sscanf (statm, "%ld %ld", &size, &resident) != 2)
    return -1;
  return resident * (sysconf (_SC_PAGESIZE) / 1024);
}

/* The server's children (the render worker), as /proc lists them. */
static char *
children_of (const char *pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/task/%s/children", pid, pid);
  char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return g_strdup ("");
  return g_strstrip (text);
}

/* A session of the land-title scenario under way: a hint, a detour to
 * the commune (an old step), a step; its page draws the graph with the
 * path so far over it. */
static char *
session_under_way (const char *token)
{
  g_autofree char *file = psim_test_data ("train/land-title-digital.mistakes");
  g_autoptr (GPtrArray) answers = read_answers (file);
  char *id = new_session (token, "land-title-digital");
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (Resp) r = answer (token, id, g_ptr_array_index (answers, i));
      CU_ASSERT_EQUAL_FATAL (r->status, 200);
    }
  return id;
}

static char *graph_token, *graph_page;

/* Graphviz 2.42 loses memory on each dot layout (tests/test-render.c's
 * soak measures it in one process): in the server's own process, each
 * page with a graph would add to it for good. Laid out in
 * the render worker, replaced every GRAPH_WORKER_RENDERS renders, the
 * server's resident size stays flat: at most 2 KiB a page over 300 pages
 * after a warm-up (libsoup's and malloc's own churn), and the worker was
 * replaced on the way. */
#define GRAPH_SOAK_PAGES 300
#define GRAPH_SOAK_KIB_PER_PAGE 2

static void
test_graph_soak (void)
{
  add_user ("grace", "trainee", "soak");
  start_server ();
  graph_token = login ("grace", PASSWORD);
  g_autofree char *id = session_under_way (graph_token);
  graph_page = g_strdup_printf ("/session/%s", id);
  const char *pid = g_subprocess_get_identifier (server);
  long before = 0;
  g_autofree char *first_worker = NULL;
  for (guint i = 0; i < 50 + GRAPH_SOAK_PAGES; i++)
    {
      if (i == 50)
        {
          before = resident_kib_of (pid);
          first_worker = children_of (pid);
        }
      g_autoptr (Resp) r = request ("GET", graph_page, NULL, &(Opts){ .token = graph_token });
      CU_ASSERT_EQUAL_FATAL (r->status, 200);
      CU_ASSERT_PTR_NOT_NULL_FATAL (strstr (r->body, "<title>ghost:legacy:civil&#45;status</title>"));
    }
  long after = resident_kib_of (pid);
  g_autofree char *last_worker = children_of (pid);
  fprintf (stderr, "\nserver resident size: %ld KiB after the warm-up, %ld KiB after %d pages "
                   "with a graph (%.2f KiB per page; the bound is %d); worker %s, then %s\n",
           before, after, GRAPH_SOAK_PAGES, (double) (after - before) / GRAPH_SOAK_PAGES,
           GRAPH_SOAK_KIB_PER_PAGE, first_worker, last_worker);
  CU_ASSERT_TRUE (before > 0 && after > 0);
  CU_ASSERT_TRUE (after - before <= (long) GRAPH_SOAK_PAGES * GRAPH_SOAK_KIB_PER_PAGE);
  CU_ASSERT_STRING_NOT_EQUAL (first_worker, "");
  CU_ASSERT_STRING_NOT_EQUAL (first_worker, last_worker);
  stop_server (SIGTERM);
}

/* A worker that dies (=crash) or never answers (=hang, killed after
 * GRAPH_WORKER_TIMEOUT_MS): the page is a 503 that says so, the server
 * answers the next requests, and with a sound worker the page is back. */
static void
graph_fault (const char *fault)
{
  g_setenv ("PSIM_TEST_GRAPH_WORKER_FAULT", fault, TRUE);
  start_server ();
  g_unsetenv ("PSIM_TEST_GRAPH_WORKER_FAULT");
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (Resp) r = request ("GET", graph_page, NULL,
                                    &(Opts){ .token = graph_token, .lang = "en" });
      CU_ASSERT_EQUAL (r->status, 503);
      CU_ASSERT_PTR_NOT_NULL (strstr (r->body, "The process graph cannot be drawn now"));
      g_autoptr (Resp) health = request ("GET", "/healthz", NULL, NULL);
      CU_ASSERT_EQUAL (health->status, 200);
      g_autoptr (Resp) list = request ("GET", "/api/v1/scenarios", NULL,
                                       &(Opts){ .token = graph_token });
      CU_ASSERT_EQUAL (list->status, 200);
    }
  stop_server (SIGTERM);
  start_server ();
  g_autoptr (Resp) back = request ("GET", graph_page, NULL, &(Opts){ .token = graph_token });
  CU_ASSERT_EQUAL (back->status, 200);
  CU_ASSERT_PTR_NOT_NULL (strstr (back->body, "<figure class=\"graph\">"));
  stop_server (SIGTERM);
}

static void
test_graph_crash (void)
{
  graph_fault ("crash");
}

static void
test_graph_hang (void)
{
  graph_fault ("hang");
}

/* A clean stop: exit status 0, so that the sanitizers' and valgrind's
 * findings in the server (which make it fail at exit) fail the test. */
static void
test_stop (void)
{
  CU_ASSERT_PTR_NOT_NULL_FATAL (server);
  soup_session_abort (http);
  g_subprocess_send_signal (server, SIGTERM);
  g_autoptr (GError) error = NULL;
  CU_ASSERT_TRUE (g_subprocess_wait (server, NULL, &error));
  CU_ASSERT_TRUE (g_subprocess_get_if_exited (server));
  CU_ASSERT_EQUAL (g_subprocess_get_exit_status (server), 0);
  g_clear_object (&server);
}

static int
setup (void)
{
  tmp = g_dir_make_tmp ("procsim-serve-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (tmp, "db.sqlite3", NULL);
  /* The pg suite runs these tests again on a private PostgreSQL cluster
   * (tests/pg/pg-cluster.sh), empty at the start. */
  const char *pg = g_getenv ("PSIM_TEST_PG_URI");
  db_url = pg != NULL ? g_strdup (pg) : g_strconcat ("sqlite:", db, NULL);
  /* The servers' own data folder (uploads without a SQLite file beside). */
  g_setenv ("XDG_DATA_HOME", tmp, TRUE);
  /* Requests wait for valgrind's pace, but not for ever. */
  http = soup_session_new_with_options ("timeout", under_valgrind () ? 600 : 60, NULL);
  return 0;
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) d = g_dir_open (path, 0, NULL);
  const char *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int argc, char **argv)
{
  setup ();
  if (argc == 2 && strcmp (argv[1], "graphs") == 0)
    {
      static const PsimTest graphs[] = {
        { "300 pages with a graph: the server's resident size stays flat", test_graph_soak },
        { "a render worker that crashes: a 503, the server answers on", test_graph_crash },
        { "a render worker that hangs: killed, a 503, the server answers on", test_graph_hang },
        { NULL, NULL },
      };
      int status = psim_test_run ("serve-graphs", graphs);
      stop_server (SIGTERM);
      g_clear_object (&http);
      remove_tree (tmp);
      g_free (graph_token);
      g_free (graph_page);
      return status;
    }
  const PsimTest tests[] = {
    { "users add and import", test_users },
    { "login", test_login },
    { "every bundled scenario, as the terminal trainer scores it", test_play_bundled },
    { "procsim report --db", test_report_db },
    { "the trainer's report agrees with procsim report --db", test_report_api },
    { "a catalogue per group", test_catalogue_groups },
    { "procsim render --db, and the trainer's graph", test_render_db },
    { "authorisation", test_authorisation },
    { "CSRF", test_csrf },
    { "bad requests", test_bad_requests },
    { "injection", test_injection },
    { "guests", test_guests },
    { "CSV import on the admin's page", test_admin_import },
    { "uploads kept in the database", test_upload_kept },
    { "login rate limit", test_rate_limit },
    { "SIGKILL and restart", test_sigkill },
    { "stop", test_stop },
    { NULL, NULL },
  };
  int status = psim_test_run ("serve", tests);
  stop_server (SIGTERM);
  g_clear_object (&http);
  remove_tree (tmp);
  g_free (tmp);
  g_free (db_url);
  g_free (base);
  return status;
}
