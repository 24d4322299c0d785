/* view.h — the pieces of HTML a training session is shown with, shared
 * by the trainee's screens (pages-trainee.c), the trainer's replays and
 * previews (pages-trainer.c): the case panel, the status line, the
 * options of a point, the feedback of an answer, the process graph and
 * the debrief. Every text goes through html_escape: scenario texts come
 * from uploads.
 */
#pragma once

#include "server.h"

/* The persona, the case, the briefing and the objectives: a side panel on
 * a wide screen, a collapsible one on a phone (view.js closes it there). */
void view_case_panel (GString *p, const PsimScenario *sc, const char *lang);

/* "Step 2 of 6 · day 1.5 · 1 visit · 1,000 VND paid · score 10". */
void view_status (GString *p, const PsimSession *s, const char *lang);

/* The events made by answer number @answer (from 0): what was right or
 * wrong and why, and the "how" of a step done. @titled: under the heading
 * "Your last answer", as the section #feedback (once on a page). */
void view_feedback (GString *p, const PsimSession *s, guint answer, const char *lang,
                    gboolean titled);

/* For a preview: why each wrong option of the current point is wrong, and
 * how the right step is done. */
void view_explain (GString *p, const PsimSession *s, const char *lang);

/* The form of the current point, posted to @action: one large button per
 * option (number keys press them), check boxes, places or a number field
 * for questions, and hint and skip. */
void view_point_form (GString *p, Req *req, const PsimSession *s, const char *action);

/* The process graph with the run so far drawn over it (the steps done,
 * numbered; the steps of the compared path taken as wrong turns, in red),
 * inlined as SVG with the same path as a list beside it, laid out by the
 * server's render worker (graph-worker.h). Nothing when the graph is
 * refused for itself (over the render limits). FALSE with @error when
 * the worker failed (crashed, timed out): reply view_graph_unavailable ()
 * instead of the page. @compare: draw the compared variant too. */
gboolean view_graph (GString *p, Server *srv, const PsimSession *s, gboolean compare,
                     const char *lang, GError **error);
/* The 503 page for a graph the worker could not draw. */
void view_graph_unavailable (Req *req);

/* The debrief of a finished session: the verdict, where the points went,
 * the run against the ideal run and the compared path, every action, and
 * what to remember; then @graph (view_graph's, with the compared path). */
void view_debrief (GString *p, const PsimSession *s, const GString *graph, const char *lang);

/* Small formats, in @lang. (transfer full) */
char *view_days (double days, const char *lang);
char *view_money (double amount, const char *lang);
char *view_points (int points);
/* "2026-12-02 17:04" in UTC from microseconds since the epoch. */
char *view_time (gint64 usec);
/* "3 min 20 s" from milliseconds. */
char *view_duration (gint64 ms, const char *lang);

/* Opens a box that scrolls sideways on a narrow screen (a table's), which
 * the keyboard can reach; @label names it. Close it with </div>. */
void view_wide_begin (GString *p, const char *label);

/* Appends <tag>text</tag> with @text escaped. */
void view_tag (GString *p, const char *tag, const char *text);
