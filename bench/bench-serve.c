/* bench-serve.c — the browser trainer's server under a classroom's load:
 * N simulated trainees over loopback, each playing scenarios through the
 * JSON API (docs/api.md) with a think time between answers, against a
 * `procsim serve` on a fresh SQLite database, or with --db on PostgreSQL,
 * where --servers N starts N servers behind nginx (tests/pg/nginx-proxy.sh).
 * Goals, on this 2-core machine: on SQLite, 500 trainees sending a request
 * every 2 s (250 requests/s: answers, and a new session after each
 * scenario) with the 95th percentile of the answer latency under 50 ms;
 * on PostgreSQL, 2,000 trainees every 10 s (200 requests/s) under 100 ms.
 *
 * The CPU each part used in the measured window is read from /proc: the
 * servers, the database (the postmaster of a tests/pg/pg-cluster.sh URI and
 * its backends), the proxy (nginx and its workers) and this client; per
 * request, it is what docs/deploy.md sizes a deployment from.
 *
 * Set-up (not timed): a temporary folder, `procsim users import` of
 * --accounts trainee accounts, the server started on 127.0.0.1:0, one login
 * per account (trainees share their account's token: a login costs an
 * Argon2id hash on purpose, and is not what this measures). Each trainee
 * then loops: create a session of the next bundled scenario, answer its
 * ideal run (option ids, computed in process from the scenario; the
 * server's seed does not matter for ids) with a think time drawn uniformly
 * in [0.5, 1.5] × --think between answers (explicitly seeded), and start
 * again at the end. Trainees start spread over one think time.
 *
 * Phases, all bounded in time: the ramp (the trainees' first requests
 * spread over one think time), --warmup seconds, then --duration seconds
 * measured: every answer and new session whose request is sent in that
 * window is measured, its latency being request sent → reply read. Then
 * no new request is sent, and those in flight get --drain seconds to
 * come back; any that has not is counted as unanswered and enters the
 * percentiles as the longest latency (an overloaded server shows as such,
 * not as a quiet window). The run stops at the end of the drain whatever
 * happens. Printed: answers/s, p50/p95/p99 and the maximum; errors.
 * Beside them, measured in the same run, the floors:
 *   engine       psim_session_answer + psim_session_to_checkpoint per
 *                answer, in process (what bench/train's +checkpoint is)
 *   engine+store the same through psim_store_answer on the server's own
 *                SQLite store (one fsync'ed transaction per answer)
 * so that the HTTP server's own share shows. The client runs in this
 * process on the same cores as the server: its CPU time is part of the
 * load. Figures only; exit status 0 whatever the speed, 1 usage, 2 when
 * the server cannot be set up.
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <procsim/procsim.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "db.h"

#define PASSWORD "bench password 1"
#define GOAL_P95_MS 50.0
/* 2,000 trainees answering every 10 s. */
#define GOAL_PG_RATE 200.0
#define GOAL_PG_P95_MS 100.0

typedef struct {
  char *id;
  GPtrArray *script; /* char*: the ideal answers, by id */
} Script;

typedef struct _Bench Bench;

typedef struct {
  Bench *bench;
  guint index;
  const char *token;
  guint scenario;  /* index in bench->scripts */
  char *session;   /* (nullable) */
  guint next;      /* the next answer of the script */
  gint64 sent;     /* monotonic µs */
  gboolean busy;   /* a request of this trainee is in flight */
  SoupSession *http; /* its own: one connection, as a browser's tab keeps */
} Trainee;

struct _Bench {
  SoupSession *http;
  char *base;
  GPtrArray *scripts; /* Script* */
  GRand *rand;
  guint think_ms;
  gint64 measure_from, measure_until; /* monotonic µs */
  gint64 stop_at;     /* monotonic µs: the end of the drain */
  GArray *latencies;  /* gint64 µs, measured answers */
  GArray *create_lat; /* gint64 µs, measured session creations */
  guint errors;
  guint in_flight;    /* measured requests not yet answered */
  gboolean stopping;  /* the window is over: no new requests */
  gboolean done;      /* the run is over: replies are not looked at */
  GMainLoop *loop;
};

static void trainee_step (Trainee *t);

static void
script_free (gpointer data)
{
  Script *s = data;
  g_free (s->id);
  g_ptr_array_unref (s->script);
  g_free (s);
}

/* The ideal answers of @sc, by id. (transfer full) */
static GPtrArray *
ideal_script (PsimScenario *sc)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (PsimSession) s = psim_session_new (sc, 0);
  while (psim_session_get_prompt (s) != PSIM_PROMPT_FINISHED && out->len < 10000)
    {
      char *a = psim_session_dup_ideal_answer (s);
      g_ptr_array_add (out, a);
      if (!psim_session_answer (s, a, 0, NULL))
        break;
    }
  return out;
}

static gint
cmp_i64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return (x > y) - (x < y);
}

static double
percentile_ms (GArray *sorted, double p)
{
  if (sorted->len == 0)
    return 0;
  guint i = (guint) MIN (sorted->len - 1, (guint) (p * (sorted->len - 1) + 0.5));
  return g_array_index (sorted, gint64, i) / 1000.0;
}

/* ---- the client -------------------------------------------------------------------------- */

static SoupMessage *
post (Bench *b, const char *path, const char *token, const char *body)
{
  g_autofree char *url = g_strconcat (b->base, path, NULL);
  SoupMessage *msg = soup_message_new ("POST", url);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  return msg;
}

static char *
json1 (const char *key, const char *value)
{
  g_autoptr (JsonBuilder) jb = json_builder_new ();
  json_builder_begin_object (jb);
  json_builder_set_member_name (jb, key);
  json_builder_add_string_value (jb, value);
  json_builder_end_object (jb);
  g_autoptr (JsonGenerator) g = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (jb);
  json_generator_set_root (g, root);
  return json_generator_to_data (g, NULL);
}

static gboolean
think_done (gpointer data)
{
  trainee_step (data);
  return G_SOURCE_REMOVE;
}

static void
think (Trainee *t)
{
  Bench *b = t->bench;
  guint ms = (guint) (b->think_ms * g_rand_double_range (b->rand, 0.5, 1.5));
  if (b->stopping || g_get_monotonic_time () + (gint64) ms * 1000 >= b->measure_until)
    {
      /* The next request would fall after the window: this trainee is
       * done. */
      if (b->in_flight == 0 && g_get_monotonic_time () >= b->measure_until)
        g_main_loop_quit (b->loop);
      return;
    }
  g_timeout_add (ms, think_done, t);
}

/* The end of the window: no new requests; quit once the measured ones
 * are back, or at the end of the drain. */
static gboolean
window_over (gpointer data)
{
  Bench *b = data;
  b->stopping = TRUE;
  if (b->in_flight == 0)
    g_main_loop_quit (b->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
drain_over (gpointer data)
{
  g_main_loop_quit (((Bench *) data)->loop);
  return G_SOURCE_REMOVE;
}

static void
replied (GObject *source, GAsyncResult *result, gpointer data)
{
  Trainee *t = data;
  Bench *b = t->bench;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                               &error);
  if (b->done)
    return;
  gint64 now = g_get_monotonic_time ();
  guint status = msg != NULL ? soup_message_get_status (msg) : 0;
  gboolean creating = t->session == NULL;
  gboolean measured = t->sent >= b->measure_from && t->sent < b->measure_until;
  t->busy = FALSE;
  if (measured)
    b->in_flight--;
  if (body == NULL || (status != 200 && status != 201))
    {
      if (measured)
        b->errors++;
      g_clear_pointer (&t->session, g_free); /* start over */
    }
  else if (creating)
    {
      g_autoptr (JsonParser) p = json_parser_new ();
      if (json_parser_load_from_data (p, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                      NULL))
        t->session = g_strdup (json_object_get_string_member (
            json_node_get_object (json_parser_get_root (p)), "id"));
      t->next = 0;
      if (measured)
        g_array_append_vals (b->create_lat, (gint64[]){ now - t->sent }, 1);
    }
  else
    {
      t->next++;
      if (measured)
        g_array_append_vals (b->latencies, (gint64[]){ now - t->sent }, 1);
      const Script *s = g_ptr_array_index (b->scripts, t->scenario);
      if (t->next >= s->script->len)
        {
          g_clear_pointer (&t->session, g_free);
          t->scenario = (t->scenario + 1) % b->scripts->len;
        }
    }
  if (b->stopping && b->in_flight == 0)
    {
      g_main_loop_quit (b->loop);
      return;
    }
  think (t);
}

static void
trainee_step (Trainee *t)
{
  Bench *b = t->bench;
  const Script *s = g_ptr_array_index (b->scripts, t->scenario);
  g_autoptr (SoupMessage) msg = NULL;
  if (t->session == NULL)
    {
      g_autofree char *body = json1 ("scenario", s->id);
      msg = post (b, "/api/v1/sessions", t->token, body);
    }
  else
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/sessions/%s/answers", t->session);
      g_autofree char *body = json1 ("answer", g_ptr_array_index (s->script, t->next));
      msg = post (b, path, t->token, body);
    }
  t->sent = g_get_monotonic_time ();
  t->busy = TRUE;
  if (t->sent >= b->measure_from && t->sent < b->measure_until)
    b->in_flight++;
  soup_session_send_and_read_async (t->http, msg, G_PRIORITY_DEFAULT, NULL, replied, t);
}

/* ---- set-up -------------------------------------------------------------------------------- */

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static gboolean
run_quiet (char **argv, const char *input, char **out, GError **error)
{
  g_autoptr (GSubprocess) p = g_subprocess_newv ((const char *const *) argv,
                                                 G_SUBPROCESS_FLAGS_STDIN_PIPE
                                                     | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                                 error);
  if (p == NULL || !g_subprocess_communicate_utf8 (p, input, NULL, out, NULL, error))
    return FALSE;
  if (g_subprocess_get_exit_status (p) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s %s failed", argv[0], argv[1]);
      return FALSE;
    }
  return TRUE;
}

static char *
login (Bench *b, const char *user, GError **error)
{
  g_autofree char *url = g_strconcat (b->base, "/api/v1/login", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("POST", url);
  g_autofree char *body = g_strdup_printf ("{\"user\": \"%s\", \"password\": \"%s\"}", user,
                                           PASSWORD);
  g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  g_autoptr (GBytes) got = soup_session_send_and_read (b->http, msg, NULL, error);
  if (got == NULL)
    return NULL;
  g_autoptr (JsonParser) p = json_parser_new ();
  if (soup_message_get_status (msg) != 200
      || !json_parser_load_from_data (p, g_bytes_get_data (got, NULL), g_bytes_get_size (got),
                                      error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "login %s: %u", user,
                     soup_message_get_status (msg));
      return NULL;
    }
  return g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (p)),
                                                  "token"));
}

/* ---- the floors ------------------------------------------------------------------------------ */

/* µs per answer of the scripts played in process for about @budget_us,
 * stored in @store when not NULL. */
static double
floor_us (GPtrArray *scenarios, GPtrArray *scripts, PsimStore *store, gint64 budget_us)
{
  guint answers = 0, n = 0;
  gint64 t0 = g_get_monotonic_time ();
  while (g_get_monotonic_time () - t0 < budget_us)
    {
      guint k = n % scenarios->len;
      const Script *s = g_ptr_array_index (scripts, k);
      g_autoptr (PsimSession) session = psim_session_new (g_ptr_array_index (scenarios, k), n);
      g_autofree char *id = g_strdup_printf ("floor-%u", n++);
      psim_session_set_identity (session, id, "bench", g_get_real_time ());
      if (store != NULL && !psim_store_create (store, session, NULL))
        return -1;
      for (guint i = 0; i < s->script->len; i++)
        {
          const char *a = g_ptr_array_index (s->script, i);
          if (store != NULL)
            {
              if (!psim_store_answer (store, session, a, 0, NULL))
                return -1;
            }
          else
            {
              psim_session_answer (session, a, 0, NULL);
              g_free (psim_session_to_checkpoint (session));
            }
          answers++;
        }
    }
  return (double) (g_get_monotonic_time () - t0) / MAX (answers, 1);
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

/* ---- CPU per part ------------------------------------------------------------------------ */

/* The CPU time (user + system, in clock ticks) of process @pid and, when
 * @children, of the processes whose parent it is (PostgreSQL's backends,
 * nginx's workers); 0 when it is gone. Linux /proc. */
static guint64
cpu_ticks (int pid, gboolean children)
{
  guint64 total = 0;
  g_autoptr (GDir) proc = children ? g_dir_open ("/proc", 0, NULL) : NULL;
  const char *name = NULL;
  for (gboolean first = TRUE; first || (proc != NULL && (name = g_dir_read_name (proc)) != NULL);
       first = FALSE)
    {
      if (!first && !g_ascii_isdigit (name[0]))
        continue;
      g_autofree char *path = first ? g_strdup_printf ("/proc/%d/stat", pid)
                                    : g_strdup_printf ("/proc/%s/stat", name);
      g_autofree char *stat = NULL;
      if (!g_file_get_contents (path, &stat, NULL, NULL))
        continue;
      /* After "pid (comm) ": state ppid … utime(14) stime(15), counted
       * from the closing parenthesis (a comm may hold spaces). */
      const char *rest = strrchr (stat, ')');
      if (rest == NULL)
        continue;
      g_auto (GStrv) f = g_strsplit (rest + 2, " ", 16);
      if (g_strv_length (f) < 14)
        continue;
      if (!first && g_ascii_strtoll (f[1], NULL, 10) != pid)
        continue;
      total += g_ascii_strtoull (f[11], NULL, 10) + g_ascii_strtoull (f[12], NULL, 10);
    }
  return total;
}

/* The first line of @path as a pid; 0 when there is none. */
static int
pid_in (const char *path)
{
  g_autofree char *text = NULL;
  if (path == NULL || !g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  return (int) g_ascii_strtoll (text, NULL, 10);
}

/* The folder of a PostgreSQL URI of tests/pg/pg-cluster.sh ("…?host=DIR&…"),
 * whose data/postmaster.pid names the server. (transfer full) (nullable) */
static char *
postmaster_pid_file (const char *uri)
{
  const char *host = uri != NULL ? strstr (uri, "host=") : NULL;
  if (host == NULL || host[5] != '/')
    return NULL;
  g_autofree char *dir = g_strndup (host + 5, strcspn (host + 5, "&"));
  return g_build_filename (dir, "data", "postmaster.pid", NULL);
}

typedef struct {
  const char *name;
  GArray *pids;       /* int */
  gboolean children;  /* count their children too */
  guint64 at_start;
  double seconds;     /* CPU in the window */
} Part;

static void
parts_sample (Part *parts, guint n, gboolean end)
{
  for (guint i = 0; i < n; i++)
    {
      guint64 t = 0;
      for (guint k = 0; k < parts[i].pids->len; k++)
        t += cpu_ticks (g_array_index (parts[i].pids, int, k), parts[i].children);
      if (!end)
        parts[i].at_start = t;
      else
        parts[i].seconds = (double) (t - MIN (t, parts[i].at_start)) / sysconf (_SC_CLK_TCK);
    }
}

typedef struct {
  Part *parts;
  guint n;
  gboolean end;
} Sample;

static gboolean
sample_parts (gpointer data)
{
  Sample *s = data;
  parts_sample (s->parts, s->n, s->end);
  return G_SOURCE_REMOVE;
}

/* Starts `procsim serve` on @db_url; its base URL in *@url. (transfer full) */
static GSubprocess *
start_server (const char *procsim, const char *db_url, const char *dir, char **url,
              GError **error)
{
  g_autoptr (GSubprocessLauncher) l = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (l, die_with_parent, NULL, NULL);
  g_autoptr (GSubprocess) server = g_subprocess_launcher_spawn (
      l, error, procsim, "--lang", "en", "serve", "--listen", "127.0.0.1:0", "--db", db_url,
      "--scenarios", dir, NULL);
  if (server == NULL)
    return NULL;
  g_autoptr (GDataInputStream) in = g_data_input_stream_new (
      g_subprocess_get_stdout_pipe (server));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, NULL);
      if (line == NULL)
        break;
      const char *at = strstr (line, "http://");
      if (at != NULL)
        {
          *url = g_strdup (at);
          if (g_str_has_suffix (*url, "/"))
            (*url)[strlen (*url) - 1] = '\0';
          return g_steal_pointer (&server);
        }
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the server did not start");
  return NULL;
}

/* Runs @script (tests/pg/nginx-proxy.sh) with @args; its standard output,
 * trimmed. (transfer full) NULL with @error when it fails. */
static char *
run_script (const char *const *args, GError **error)
{
  g_autoptr (GSubprocess) p = g_subprocess_newv (args, G_SUBPROCESS_FLAGS_STDOUT_PIPE, error);
  char *out = NULL;
  if (p == NULL || !g_subprocess_communicate_utf8 (p, NULL, NULL, &out, NULL, error))
    return NULL;
  if (!g_subprocess_get_successful (p))
    {
      g_free (out);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s failed", args[0]);
      return NULL;
    }
  return g_strstrip (out);
}

int
main (int argc, char **argv)
{
  int trainees = 500, think_ms = 2000, duration_s = 20, warmup_s = 5, accounts = 10,
      drain_s = 10;
  gint64 seed = 1;
  g_autofree char *build = NULL;
  g_autofree char *db_option = NULL;
  g_autofree char *nginx_script = NULL;
  int n_servers = 1;
  const GOptionEntry entries[] = {
    { "servers", 0, 0, G_OPTION_ARG_INT, &n_servers,
      "procsim serve processes on the database, behind nginx when more than one (1)", "N" },
    { "nginx", 0, 0, G_OPTION_ARG_FILENAME, &nginx_script,
      "tests/pg/nginx-proxy.sh, which starts the proxy for --servers", "SCRIPT" },
    { "db", 0, 0, G_OPTION_ARG_STRING, &db_option,
      "An empty database to use, e.g. postgresql://… (a fresh SQLite file)", "URL" },
    { "trainees", 'n', 0, G_OPTION_ARG_INT, &trainees, "Simulated trainees (500)", "N" },
    { "think", 0, 0, G_OPTION_ARG_INT, &think_ms, "Mean think time between answers (2000)", "MS" },
    { "duration", 0, 0, G_OPTION_ARG_INT, &duration_s, "Seconds measured (20)", "S" },
    { "warmup", 0, 0, G_OPTION_ARG_INT, &warmup_s,
      "Seconds after the ramp (one think time) before measuring (5)", "S" },
    { "drain", 0, 0, G_OPTION_ARG_INT, &drain_s,
      "Seconds the last measured requests may take to come back (10)", "S" },
    { "accounts", 0, 0, G_OPTION_ARG_INT, &accounts, "Trainee accounts shared by them (10)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed of the think times (1)", "N" },
    { "build", 0, 0, G_OPTION_ARG_STRING, &build, "Build description to print", "TEXT" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("PROCSIM SCENARIO_DIR");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || argc != 3 || trainees < 1
      || trainees > 20000 || think_ms < 0 || duration_s < 1 || duration_s > 600
      || warmup_s < 0 || warmup_s > 600 || drain_s < 1 || drain_s > 120 || accounts < 1
      || n_servers < 1 || n_servers > 16 || (n_servers > 1 && nginx_script == NULL)
      || (n_servers > 1 && db_option == NULL))
    {
      g_printerr ("usage: bench-serve [OPTION…] PROCSIM SCENARIO_DIR%s%s\n",
                  error != NULL ? ": " : "", error != NULL ? error->message : "");
      return 1;
    }
  const char *procsim = argv[1], *dir = argv[2];

  /* The scenarios and their ideal scripts. */
  g_autoptr (PsimLoader) loader = psim_loader_new (NULL);
  g_autoptr (GPtrArray) scenarios = g_ptr_array_new_with_free_func (
      (GDestroyNotify) psim_scenario_unref);
  Bench b = { 0 };
  b.scripts = g_ptr_array_new_with_free_func (script_free);
  g_autoptr (GDir) d = g_dir_open (dir, 0, &error);
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".xml"))
      g_ptr_array_add (files, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (files, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < files->len; i++)
    {
      PsimScenario *sc = psim_scenario_load_file (loader, g_ptr_array_index (files, i), NULL, NULL);
      if (sc == NULL)
        continue;
      Script *s = g_new0 (Script, 1);
      s->id = g_strdup (psim_scenario_get_id (sc));
      s->script = ideal_script (sc);
      g_ptr_array_add (b.scripts, s);
      g_ptr_array_add (scenarios, sc);
    }
  if (scenarios->len == 0)
    {
      g_printerr ("bench-serve: no scenario loads in %s\n", dir);
      return 2;
    }

  /* A connection per trainee on each side, client and server (which
   * inherits the limit): the soft limit on open files (often 1024) must
   * not be what breaks first. */
  struct rlimit nofile;
  if (getrlimit (RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < nofile.rlim_max)
    {
      nofile.rlim_cur = nofile.rlim_max;
      setrlimit (RLIMIT_NOFILE, &nofile);
    }
  if (getrlimit (RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur != RLIM_INFINITY
      && nofile.rlim_cur < (rlim_t) trainees * 2 + 64)
    {
      g_printerr ("bench-serve: %d trainees need about %d open files on this machine, the "
                  "limit is %lu\n",
                  trainees, trainees * 2 + 64, (unsigned long) nofile.rlim_cur);
      return 1;
    }

  /* A database with the accounts, and the server on it. */
  g_autofree char *tmp = g_dir_make_tmp ("procsim-bench-serve-XXXXXX", NULL);
  g_autofree char *db_path = g_build_filename (tmp, "bench.sqlite3", NULL);
  g_autofree char *db_url = db_option != NULL ? g_strdup (db_option)
                                               : g_strconcat ("sqlite:", db_path, NULL);
  g_autofree char *csv_path = g_build_filename (tmp, "users.csv", NULL);
  g_autoptr (GString) csv = g_string_new ("name,role,password\n");
  for (int i = 0; i < accounts; i++)
    g_string_append_printf (csv, "trainee%d,trainee," PASSWORD "\n", i);
  g_file_set_contents (csv_path, csv->str, -1, NULL);
  char *import[] = { (char *) procsim, "users", "import", csv_path, "--db", db_url, NULL };
  if (!run_quiet (import, NULL, NULL, &error))
    {
      g_printerr ("bench-serve: %s\n", error->message);
      return 2;
    }
  /* The servers, one after the other (each migrates nothing after the
   * first), and nginx in front of them when there are several. */
  g_autoptr (GPtrArray) servers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GStrvBuilder) upstreams = g_strv_builder_new ();
  for (int i = 0; i < n_servers; i++)
    {
      g_autofree char *url = NULL;
      GSubprocess *server = start_server (procsim, db_url, dir, &url, &error);
      if (server == NULL)
        {
          g_printerr ("bench-serve: %s\n", error->message);
          return 2;
        }
      g_ptr_array_add (servers, server);
      g_strv_builder_add (upstreams, url + strlen ("http://"));
      if (i == 0)
        b.base = g_strdup (url);
    }
  /* Its own folder, open to the unprivileged user nginx runs as when
   * this runs as root (the benchmark's folder is private). */
  g_autofree char *proxy_dir = NULL;
  if (n_servers > 1)
    {
      proxy_dir = g_dir_make_tmp ("procsim-bench-nginx-XXXXXX", &error);
      if (proxy_dir == NULL || g_chmod (proxy_dir, 0755) != 0)
        {
          g_printerr ("bench-serve: %s\n", error != NULL ? error->message : g_strerror (errno));
          return 2;
        }
      g_auto (GStrv) ups = g_strv_builder_end (upstreams);
      g_autoptr (GStrvBuilder) args = g_strv_builder_new ();
      g_strv_builder_add_many (args, nginx_script, "start", proxy_dir, NULL);
      g_strv_builder_addv (args, (const char **) ups);
      g_auto (GStrv) argv_proxy = g_strv_builder_end (args);
      char *url = run_script ((const char *const *) argv_proxy, &error);
      if (url == NULL)
        {
          g_printerr ("bench-serve: nginx: %s\n", error->message);
          return 2;
        }
      g_free (b.base);
      b.base = url;
    }
  b.http = soup_session_new_with_options ("timeout", 60, NULL);
  g_autoptr (GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  for (int i = 0; i < accounts; i++)
    {
      g_autofree char *user = g_strdup_printf ("trainee%d", i);
      char *token = login (&b, user, &error);
      if (token == NULL)
        {
          g_printerr ("bench-serve: %s\n", error->message);
          return 2;
        }
      g_ptr_array_add (tokens, token);
    }

  /* The load. */
  b.think_ms = (guint) think_ms;
  b.rand = g_rand_new_with_seed ((guint32) seed);
  b.latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  b.create_lat = g_array_new (FALSE, FALSE, sizeof (gint64));
  b.loop = g_main_loop_new (NULL, FALSE);
  gint64 start = g_get_monotonic_time ();
  /* Every trainee has started before the warm-up begins. */
  b.measure_from = start + ((gint64) think_ms * 1000) + (gint64) warmup_s * G_USEC_PER_SEC;
  b.measure_until = b.measure_from + (gint64) duration_s * G_USEC_PER_SEC;
  b.stop_at = b.measure_until + (gint64) drain_s * G_USEC_PER_SEC;
  /* CPU per part over the measured window. */
  Part parts[4] = {
    { "servers", g_array_new (FALSE, FALSE, sizeof (int)), FALSE, 0, 0 },
    { "database", g_array_new (FALSE, FALSE, sizeof (int)), TRUE, 0, 0 },
    { "proxy", g_array_new (FALSE, FALSE, sizeof (int)), TRUE, 0, 0 },
    { "client", g_array_new (FALSE, FALSE, sizeof (int)), FALSE, 0, 0 },
  };
  for (guint i = 0; i < servers->len; i++)
    {
      int pid = (int) g_ascii_strtoll (
        g_subprocess_get_identifier (g_ptr_array_index (servers, i)), NULL, 10);
      g_array_append_val (parts[0].pids, pid);
    }
  g_autofree char *pm = postmaster_pid_file (db_option);
  int db_pid = pid_in (pm);
  if (db_pid > 0)
    g_array_append_val (parts[1].pids, db_pid);
  g_autofree char *nginx_pid_file = proxy_dir != NULL
                                      ? g_build_filename (proxy_dir, "nginx.pid", NULL)
                                      : NULL;
  int proxy_pid = n_servers > 1 ? pid_in (nginx_pid_file) : 0;
  if (proxy_pid > 0)
    g_array_append_val (parts[2].pids, proxy_pid);
  int self = getpid ();
  g_array_append_val (parts[3].pids, self);
  Sample at_from = { parts, G_N_ELEMENTS (parts), FALSE };
  Sample at_until = { parts, G_N_ELEMENTS (parts), TRUE };
  g_timeout_add ((guint) ((b.measure_from - start) / 1000), sample_parts, &at_from);
  g_timeout_add ((guint) ((b.measure_until - start) / 1000), sample_parts, &at_until);
  g_timeout_add ((guint) ((b.measure_until - start) / 1000), window_over, &b);
  g_timeout_add ((guint) ((b.stop_at - start) / 1000), drain_over, &b);
  Trainee *all = g_new0 (Trainee, trainees);
  for (int i = 0; i < trainees; i++)
    {
      Trainee *t = &all[i];
      t->bench = &b;
      t->index = (guint) i;
      t->token = g_ptr_array_index (tokens, i % accounts);
      t->scenario = (guint) i % b.scripts->len;
      /* A session of its own, as each browser has: with one SoupSession
       * for every trainee, at a thousand trainees the client itself
       * stalled (no reply within 10 s while the same server answered
       * 1,500 raw connections in well under that). */
      t->http = soup_session_new_with_options ("max-conns", 1, "max-conns-per-host", 1,
                                               "timeout", 60, NULL);
      /* Spread the first requests over one think time. */
      g_timeout_add ((guint) ((gint64) think_ms * i / trainees), think_done, t);
    }
  g_main_loop_run (b.loop);
  /* What the drain did not bring back counts at the longest latency
   * (request sent → end of the run): it did not come back at all. */
  b.done = TRUE;
  guint unanswered = b.in_flight;
  guint answered = b.latencies->len;
  for (int i = 0; i < trainees; i++)
    {
      Trainee *t = &all[i];
      if (t->busy && t->sent >= b.measure_from && t->sent < b.measure_until)
        g_array_append_vals (t->session != NULL ? b.latencies : b.create_lat,
                             (gint64[]){ b.stop_at - t->sent }, 1);
    }
  /* Stop the requests still out before the server goes. */
  for (int i = 0; i < trainees; i++)
    soup_session_abort (all[i].http);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  for (guint i = 0; i < servers->len; i++)
    {
      g_subprocess_send_signal (g_ptr_array_index (servers, i), SIGTERM);
      g_subprocess_wait (g_ptr_array_index (servers, i), NULL, NULL);
    }
  if (n_servers > 1)
    {
      const char *stop[] = { nginx_script, "stop", proxy_dir, NULL };
      g_free (run_script (stop, NULL));
    }

  g_array_sort (b.latencies, cmp_i64);
  g_array_sort (b.create_lat, cmp_i64);
  double rate = answered / (double) duration_s;
  /* A trainee's request every think time is an answer or, at the end of
   * a scenario, a new session: the offered load counts both, and so does
   * the goal's rate. */
  double request_rate = (answered + b.create_lat->len) / (double) duration_s;
  double offered = trainees * 1000.0 / MAX (think_ms, 1);
  double p95 = percentile_ms (b.latencies, 0.95);

  /* The floors, measured now, on the same machine. */
  double engine = floor_us (scenarios, b.scripts, NULL, G_USEC_PER_SEC);
  g_autofree char *floor_db = g_build_filename (tmp, "floor.sqlite3", NULL);
  /* On the benchmark's own kind of database: its store is the floor. */
  g_autofree char *floor_url = db_option != NULL ? g_strdup (db_option)
                                                 : g_strconcat ("sqlite:", floor_db, NULL);
  g_autoptr (Db) db = db_open (floor_url, NULL);
  double stored = db != NULL ? floor_us (scenarios, b.scripts, db_get_store (db),
                                         2 * G_USEC_PER_SEC)
                             : -1;

  const char *engine_name = db_option != NULL ? "PostgreSQL" : "SQLite";
  g_print ("bench/serve (%s) on %s, %d server%s%s: %d trainees, think %d ms (0.5 to 1.5 "
           "times), %d accounts, %u scenarios, %d s measured after a %d ms ramp and %d s\n",
           build != NULL ? build : "?", engine_name, n_servers, n_servers > 1 ? "s" : "",
           n_servers > 1 ? " behind nginx" : "", trainees, think_ms, accounts, b.scripts->len,
           duration_s, think_ms, warmup_s);
  g_print ("  offered load          %8.1f requests/s (answers and new sessions)\n", offered);
  g_print ("  answers               %8u (%.1f/s), errors %u, unanswered after %d s %u\n",
           answered, rate, b.errors, drain_s, unanswered);
  g_print ("  requests              %8u (%.1f/s: answers and new sessions)\n",
           answered + b.create_lat->len, request_rate);
  g_print ("  answer latency, ms    p50 %.2f  p95 %.2f  p99 %.2f  max %.2f\n",
           percentile_ms (b.latencies, 0.50), p95, percentile_ms (b.latencies, 0.99),
           percentile_ms (b.latencies, 1.0));
  g_print ("  new session, ms       p50 %.2f  p95 %.2f  (%u)\n",
           percentile_ms (b.create_lat, 0.50), percentile_ms (b.create_lat, 0.95),
           b.create_lat->len);
  g_print ("  floor: engine         %8.3f ms per answer (answer + checkpoint, in process)\n",
           engine / 1000);
  g_print ("  floor: engine+store   %8.3f ms per answer (psim_store_answer on %s, one "
           "transaction)\n",
           stored / 1000, engine_name);
  g_print ("  CPU in the window     ");
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      if (parts[i].pids->len == 0)
        g_print ("%s%s –", i > 0 ? ", " : "", parts[i].name);
      else
        g_print ("%s%s %.2f s (%.0f %% of a core)", i > 0 ? ", " : "", parts[i].name,
                 parts[i].seconds, 100 * parts[i].seconds / duration_s);
    }
  g_print ("\n");
  guint requests = answered + b.create_lat->len;
  if (requests > 0)
    {
      g_autofree char *db_ms = parts[1].pids->len > 0
                                 ? g_strdup_printf ("%.3f", 1000 * parts[1].seconds / requests)
                                 : g_strdup ("–");
      g_print ("  CPU per request       servers %.3f ms, database %s ms\n",
               1000 * parts[0].seconds / requests, db_ms);
    }
  /* The goals: a classroom on SQLite, a national deployment's share on
   * PostgreSQL (docs/deploy.md sizes from these figures). */
  double goal_rate = db_option != NULL ? GOAL_PG_RATE : 250;
  double goal_p95 = db_option != NULL ? GOAL_PG_P95_MS : GOAL_P95_MS;
  g_print ("  goal: answer p95 < %.0f ms at %.0f requests/s: %s\n", goal_p95, goal_rate,
           offered < goal_rate            ? "(offered load below the goal's)"
           : request_rate >= offered * 0.95 && p95 < goal_p95 && unanswered == 0
                   && b.errors == 0
               ? "met"
               : "not met");
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    g_array_unref (parts[i].pids);
  for (int i = 0; i < trainees; i++)
    g_object_unref (all[i].http);
  g_free (all);
  g_clear_object (&b.http);
  g_ptr_array_unref (b.scripts);
  g_array_unref (b.latencies);
  g_array_unref (b.create_lat);
  g_rand_free (b.rand);
  g_main_loop_unref (b.loop);
  g_free (b.base);
  remove_tree (tmp);
  return 0;
}
