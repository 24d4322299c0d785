/* graph-worker.c — process graphs laid out in a child process: the
 * server's side (spawn, ask, time out, replace) and the worker's (load,
 * render, answer). See graph-worker.h.
 */
#include "graph-worker.h"

#include <errno.h>
#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <poll.h>
#include <procsim/procsim.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

/* A request larger than this is not one the server sends. */
#define REQUEST_CAP (1024 * 1024)
#define REQUEST_TYPE "(sbsas)"

G_DEFINE_QUARK (graph-worker-error-quark, graph_worker_error)

struct _GraphWorker {
  char *exe;
  GSubprocess *proc; /* (nullable) the worker running */
  int to;            /* its standard input */
  int from;          /* its standard output */
  guint served;      /* renders it answered */
  guint started;
};

/* ---- the pipe ------------------------------------------------------------------- */

/* Waits until @fd is ready for @events or @deadline (monotonic µs) passes;
 * FALSE on the deadline or a poll error. */
static gboolean
wait_fd (int fd, short events, gint64 deadline)
{
  for (;;)
    {
      gint64 left = deadline - g_get_monotonic_time ();
      if (left <= 0)
        return FALSE;
      struct pollfd p = { .fd = fd, .events = events };
      int rc = poll (&p, 1, (int) MIN (left / 1000 + 1, G_MAXINT));
      if (rc > 0)
        return TRUE;
      if (rc < 0 && errno != EINTR)
        return FALSE;
    }
}

/* Writes all of @data; a deadline of 0 blocks. */
static gboolean
write_all (int fd, const void *data, gsize size, gint64 deadline)
{
  const guint8 *p = data;
  while (size > 0)
    {
      if (deadline != 0 && !wait_fd (fd, POLLOUT, deadline))
        return FALSE;
      gssize n = write (fd, p, size);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      p += n;
      size -= (gsize) n;
    }
  return TRUE;
}

/* Reads exactly @size bytes: 1 when read, 0 at the end before any, -1 on
 * an error, the deadline or an end inside. A deadline of 0 blocks. */
static int
read_all (int fd, void *data, gsize size, gint64 deadline)
{
  guint8 *p = data;
  gsize got = 0;
  while (got < size)
    {
      if (deadline != 0 && !wait_fd (fd, POLLIN, deadline))
        return -1;
      gssize n = read (fd, p + got, size - got);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return -1;
      if (n == 0)
        return got == 0 ? 0 : -1;
      got += (gsize) n;
    }
  return 1;
}

/* ---- the server's side ------------------------------------------------------------ */

GraphWorker *
graph_worker_new (const char *exe)
{
  GraphWorker *w = g_new0 (GraphWorker, 1);
  /* A worker that dies between two requests closes its pipe: writing to
   * it must fail with EPIPE (a 503 and a new worker), not kill the server.
   * GSocket ignores SIGPIPE process-wide too; this does not rely on it. */
  signal (SIGPIPE, SIG_IGN);
  w->exe = exe != NULL ? g_strdup (exe) : g_file_read_link ("/proc/self/exe", NULL);
  w->to = w->from = -1;
  return w;
}

/* Ends the worker running, if any: killed (it may be in the middle of a
 * render); GSubprocess reaps it. */
static void
drop (GraphWorker *w)
{
  if (w->proc == NULL)
    return;
  g_subprocess_force_exit (w->proc);
  g_clear_object (&w->proc);
  w->to = w->from = -1;
  w->served = 0;
}

void
graph_worker_free (GraphWorker *w)
{
  if (w == NULL)
    return;
  drop (w);
  g_free (w->exe);
  g_free (w);
}

guint
graph_worker_get_n_started (GraphWorker *w)
{
  return w->started;
}

static gboolean
spawn (GraphWorker *w, GError **error)
{
  if (w->exe == NULL)
    {
      g_set_error (error, GRAPH_WORKER_ERROR, GRAPH_WORKER_ERROR_FAILED,
                   "the program's own file is not known (/proc/self/exe)");
      return FALSE;
    }
  /* Its standard error is the server's: Graphviz's and the library's
   * warnings reach the server's log. */
  w->proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                              error, w->exe, "serve", "--render-worker", NULL);
  if (w->proc == NULL)
    return FALSE;
  w->to = g_unix_output_stream_get_fd (G_UNIX_OUTPUT_STREAM (g_subprocess_get_stdin_pipe (w->proc)));
  w->from = g_unix_input_stream_get_fd (G_UNIX_INPUT_STREAM (g_subprocess_get_stdout_pipe (w->proc)));
  w->served = 0;
  w->started++;
  return TRUE;
}

typedef enum { ASK_OK, ASK_REFUSED, ASK_LOST, ASK_FAILED } Ask;

/* One request to the worker running. ASK_LOST: it was gone before it
 * answered anything (dead, or its pipe closed); ASK_FAILED: it timed out
 * or said something that is not a reply. */
static Ask
ask (GraphWorker *w, GBytes *request, GBytes **reply, gint64 deadline)
{
  gsize size = 0;
  const void *data = g_bytes_get_data (request, &size);
  guint32 length = (guint32) size;
  if (!write_all (w->to, &length, sizeof length, deadline)
      || !write_all (w->to, data, size, deadline))
    return g_get_monotonic_time () >= deadline ? ASK_FAILED : ASK_LOST;
  guint32 head[2];
  int rc = read_all (w->from, head, sizeof head, deadline);
  if (rc == 0)
    return ASK_LOST;
  if (rc < 0 || head[0] > 1 || head[1] > GRAPH_WORKER_REPLY_CAP)
    return ASK_FAILED;
  guint8 *body = g_malloc (head[1] + 1);
  if (read_all (w->from, body, head[1], deadline) != 1)
    {
      g_free (body);
      return ASK_FAILED;
    }
  body[head[1]] = '\0';
  *reply = g_bytes_new_take (body, head[1]);
  return head[0] == 0 ? ASK_OK : ASK_REFUSED;
}

GBytes *
graph_worker_render (GraphWorker *w, const char *scenario_file, gboolean compare,
                     const char *lang, const char *const *highlight, GError **error)
{
  static const char *const none[] = { NULL };
  g_autoptr (GVariant) v = g_variant_ref_sink (
    g_variant_new ("(sbs^as)", scenario_file, compare, lang, highlight != NULL ? highlight : none));
  g_autoptr (GBytes) request = g_variant_get_data_as_bytes (v);
  if (g_bytes_get_size (request) > REQUEST_CAP)
    {
      g_set_error (error, GRAPH_WORKER_ERROR, GRAPH_WORKER_ERROR_FAILED,
                   "a request of %" G_GSIZE_FORMAT " bytes", g_bytes_get_size (request));
      return NULL;
    }
  gint64 deadline = g_get_monotonic_time () + GRAPH_WORKER_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  /* A worker found gone (killed while idle, say) is replaced once. */
  for (guint attempt = 0; attempt < 2; attempt++)
    {
      if (w->proc != NULL && g_subprocess_get_identifier (w->proc) == NULL)
        drop (w);
      if (w->proc == NULL && !spawn (w, error))
        return NULL;
      gboolean fresh = w->served == 0;
      GBytes *reply = NULL;
      Ask a = ask (w, request, &reply, deadline);
      if (a == ASK_OK || a == ASK_REFUSED)
        {
          if (++w->served >= GRAPH_WORKER_RENDERS)
            drop (w);
          if (a == ASK_OK)
            return reply;
          g_set_error_literal (error, GRAPH_WORKER_ERROR, GRAPH_WORKER_ERROR_REFUSED,
                               g_bytes_get_data (reply, NULL));
          g_bytes_unref (reply);
          return NULL;
        }
      drop (w);
      if (a == ASK_FAILED || fresh)
        {
          g_set_error (error, GRAPH_WORKER_ERROR, GRAPH_WORKER_ERROR_FAILED,
                       a == ASK_FAILED && g_get_monotonic_time () >= deadline
                           ? "the render worker took more than %d ms: killed"
                           : "the render worker stopped without an answer (after %d ms at most)",
                       GRAPH_WORKER_TIMEOUT_MS);
          return NULL;
        }
    }
  g_assert_not_reached ();
}

/* ---- the worker's side ---------------------------------------------------------------- */

/* The scenarios read so far, by file: the server's catalogue changes
 * only by new uploads, each in a folder of its own. */
static PsimScenario *
scenario_for (GHashTable *cache, PsimLoader *loader, const char *file, GError **error)
{
  PsimScenario *sc = g_hash_table_lookup (cache, file);
  if (sc != NULL)
    return sc;
  sc = psim_scenario_load_file (loader, file, NULL, error);
  if (sc != NULL)
    g_hash_table_insert (cache, g_strdup (file), sc);
  return sc;
}

/* For the tests of the server's side: PSIM_TEST_GRAPH_WORKER_FAULT=crash
 * kills the worker at its first request, =hang makes it never answer. */
static void
test_fault (void)
{
  const char *fault = g_getenv ("PSIM_TEST_GRAPH_WORKER_FAULT");
  if (g_strcmp0 (fault, "crash") == 0)
    raise (SIGKILL);
  else if (g_strcmp0 (fault, "hang") == 0)
    for (;;)
      pause ();
}

static gboolean
answer (int out, guint32 status, const void *data, gsize size)
{
  guint32 head[2] = { status, (guint32) size };
  return write_all (out, head, sizeof head, 0) && write_all (out, data, size, 0);
}

int
graph_worker_main (void)
{
  /* The replies go on a descriptor of their own; standard output becomes
   * standard error, so that nothing Graphviz prints can garble them. */
  int out = dup (STDOUT_FILENO);
  if (out < 0 || dup2 (STDERR_FILENO, STDOUT_FILENO) < 0)
    return 2;
  g_autoptr (GError) error = NULL;
  g_autoptr (PsimLoader) loader = psim_loader_new (&error);
  if (loader == NULL)
    {
      g_printerr ("procsim render worker: %s\n", error->message);
      return 2;
    }
  g_autoptr (GHashTable) cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) psim_scenario_unref);
  g_autoptr (PsimRenderer) renderer = psim_renderer_new ();
  for (;;)
    {
      guint32 length = 0;
      int rc = read_all (STDIN_FILENO, &length, sizeof length, 0);
      if (rc == 0)
        return 0;
      if (rc < 0 || length > REQUEST_CAP)
        return 2;
      guint8 *buf = g_malloc (length);
      if (read_all (STDIN_FILENO, buf, length, 0) != 1)
        {
          g_free (buf);
          return 2;
        }
      g_autoptr (GVariant) v = g_variant_ref_sink (
        g_variant_new_from_data (G_VARIANT_TYPE (REQUEST_TYPE), buf, length, FALSE, g_free, buf));
      const char *file = NULL, *lang = NULL;
      gboolean compare = FALSE;
      g_autofree const char **ids = NULL;
      g_variant_get (v, "(&sb&s^a&s)", &file, &compare, &lang, &ids);
      test_fault ();

      g_autoptr (GError) local = NULL;
      g_autoptr (GBytes) svg = NULL;
      PsimScenario *sc = scenario_for (cache, loader, file, &local);
      if (sc != NULL)
        {
          const PsimVariant *trained = psim_scenario_get_variant (sc);
          const PsimVariant *old = compare ? psim_scenario_get_compare_variant (sc) : NULL;
          PsimRenderOptions o = { .lang = lang, .highlight = ids };
          svg = old != NULL ? psim_renderer_render_compare (renderer, old, trained, &o, "svg", &local)
                            : psim_renderer_render_variant (renderer, trained, &o, "svg", &local);
        }
      gboolean sent = svg != NULL
                          ? answer (out, 0, g_bytes_get_data (svg, NULL), g_bytes_get_size (svg))
                          : answer (out, 1, local->message, strlen (local->message));
      if (!sent)
        return 2;
    }
}
