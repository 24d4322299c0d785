/* graph-worker.h — the server's process graphs, laid out in a child
 * process (`procsim serve --render-worker`, the server's own program run
 * again) so that Graphviz's losses, crashes and hangs stay out of the
 * server.
 *
 * Graphviz 2.42 loses memory on every dot layout (about 134 KiB for a
 * session's graph, tests/valgrind.supp) and is not safe on every input:
 * inside a server that runs for months, either would grow it without end
 * or take every trainee's session down. The worker is one child at a
 * time, fed one request at a time over a pipe; it is replaced after
 * GRAPH_WORKER_RENDERS renders (so its own growth is bounded), and killed
 * when a render takes longer than GRAPH_WORKER_TIMEOUT_MS or its reply
 * is over GRAPH_WORKER_REPLY_CAP. The next render starts a new one.
 *
 * The pipe's messages (native byte order; the worker is the same program):
 *   request: guint32 length, then a GVariant "(sbsas)": the scenario's
 *            file, whether to draw the compare view, the language, the
 *            highlighted step ids;
 *   reply:   guint32 status (0: the SVG follows; 1: a message in the
 *            request's language, the graph's own problem), guint32 length,
 *            the bytes.
 *
 * Depends on GLib and the library only.
 */
#pragma once

#include <glib.h>

#define GRAPH_WORKER_RENDERS 100
#define GRAPH_WORKER_TIMEOUT_MS 20000
#define GRAPH_WORKER_REPLY_CAP (16 * 1024 * 1024)

#define GRAPH_WORKER_ERROR (graph_worker_error_quark ())
GQuark graph_worker_error_quark (void);

typedef enum {
  GRAPH_WORKER_ERROR_REFUSED, /* the graph's own problem (too large…): said in the language asked */
  GRAPH_WORKER_ERROR_FAILED,  /* the worker crashed, timed out, could not start */
} GraphWorkerError;

typedef struct _GraphWorker GraphWorker;

/* Runs @exe (NULL: the program running now) as workers, started when
 * first needed. (transfer full) */
GraphWorker *graph_worker_new (const char *exe);
void graph_worker_free (GraphWorker *w);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GraphWorker, graph_worker_free)

/* The SVG of the scenario in @scenario_file (its trained variant, or with
 * @compare the compared variant beside it) in @lang, with @highlight
 * (NULL-terminated step ids, nullable) drawn over it. Blocks the calling
 * thread for at most GRAPH_WORKER_TIMEOUT_MS. (transfer full) NULL with
 * @error on failure. */
GBytes *graph_worker_render (GraphWorker *w, const char *scenario_file, gboolean compare,
                             const char *lang, const char *const *highlight, GError **error);

/* How many workers were started so far (for tests and the log). */
guint graph_worker_get_n_started (GraphWorker *w);

/* The worker's side: answers the requests read from standard input on
 * standard output until its end. Returns the exit status. */
int graph_worker_main (void);
