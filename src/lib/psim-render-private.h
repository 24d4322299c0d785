/* psim-render-private.h — what the renderer's files share (psim-render.c):
 * the picture being built (Build), the marks the legend explains, the
 * links routed after the layout, and the helpers that write Graphviz
 * attributes and labels. Not installed; only the psim-render*.c files
 * include it, and with it cgraph.h and gvc.h. The psimp_ prefix marks
 * helpers shared between the library's files that are not API.
 *
 *   psim-render.c            the renderer, a variant's view, the compare view
 *   psim-render-graph.c      a variant as nodes and flows in lanes, labels
 *   psim-render-highlight.c  a trainee's path drawn on it, wrong turns, ghosts
 *   psim-render-legend.c     the legend of the marks a picture uses
 *   psim-render-layout.c     limits, the two-pass layout, output
 *   psim-render-disc.c       cgraph's memory and id discipline
 */
#pragma once

#include "psim-private.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include "procsim/psim-render.h"

struct _PsimRenderer {
  GVC_t *gvc;
};

#define PSIMP_RENDER_FONT "DejaVu Sans"
/* Characters per line in a step's box before the name wraps. */
#define PSIMP_RENDER_WRAP 26

/* Colours: one per channel (the fill of a step), one per lane kind. The
 * channel is also written in the box, so the picture reads in grey too. */
#define PSIMP_COLOUR_IN_PERSON "#ffd8a8"
#define PSIMP_COLOUR_ONLINE "#b2f2bb"
#define PSIMP_COLOUR_POST "#d0bfff"
#define PSIMP_COLOUR_INTER_AGENCY "#a5d8ff"
#define PSIMP_COLOUR_PATH "#1864ab"
#define PSIMP_COLOUR_WRONG "#e03131"
#define PSIMP_COLOUR_REPLACES "#868e96"

/* ---- the picture being built ------------------------------------------- */

typedef PsimGraphDisc GraphDisc;

typedef struct {
  PsimRenderer *renderer;
  const PsimRenderOptions *opts;
  const char *lang;
  Agraph_t *g;
  GraphDisc *disc; /* the graph's discipline and id state */
  GHashTable *nodes; /* const PsimNode* → Agnode_t* */
  GHashTable *order; /* const PsimNode* → its positions in the highlight, "4, 5" */
  GArray *late;      /* Late: edges routed after the layout */
  guint used;        /* Mark: what the picture shows, for the legend */
  gboolean rankdir_lr;
} Build;

/* The marks a picture can use: the legend explains those used, only. */
typedef enum {
  MARK_IN_PERSON = 1 << 0,
  MARK_VISIT = 1 << 1,
  MARK_ONLINE = 1 << 2,
  MARK_POST = 1 << 3,
  MARK_INTER_AGENCY = 1 << 4,
  MARK_CHOICE = 1 << 5,
  MARK_PARALLEL = 1 << 6,
  MARK_REPLACES = 1 << 7,
  MARK_PATH = 1 << 8,
  MARK_WRONG = 1 << 9,
  MARK_GHOST = 1 << 10,
} Mark;

/* Links across the picture that take no part in the layout: what a step
 * replaces, a wrong turn between steps already placed. dot 2.42 loses
 * some of them (its router fails on edges between clusters that do not
 * constrain the ranks), so the graph is laid out without them, and they
 * are routed afterwards among the placed nodes (see lay_out () in
 * psim-render-layout.c). */
typedef enum {
  LATE_REPLACES,
  LATE_WRONG,
} LateKind;

typedef struct {
  Agnode_t *tail, *head;
  LateKind kind;
} Late;

/* ---- attributes and labels (psim-render-graph.c) ------------------------- */

/* Sets attribute @name of a graph, node or edge, declaring it if needed. */
void psimp_render_set (void *obj, const char *name, const char *value);
/* Appends @text with Graphviz's escapes and entities neutralised. */
void psimp_render_append_escaped (GString *out, const char *text);
/* Appends @text wrapped at about @width characters, lines joined by "\n". */
void psimp_render_append_wrapped (GString *out, const char *text, guint width);
/* "in person", "online"… in @lang; the fill of a step of channel @c.
 * (transfer none) */
const char *psimp_render_channel_text (PsimChannel c, const char *lang);
const char *psimp_render_channel_colour (PsimChannel c);
/* Adds @variant's nodes and flows to @parent (the graph, or a cluster of
 * the compare view); node names start with @prefix. */
void psimp_render_add_variant (Build *b, Agraph_t *parent, const PsimVariant *variant,
                               const char *prefix, PsimCase *pcase);

/* ---- the highlighted path and late links (psim-render-highlight.c) ------- */

/* Styles @e as a link of @kind; the name of such an edge. */
void psimp_render_style_late (Build *b, Agedge_t *e, LateKind kind);
const char *psimp_render_late_key (LateKind kind);
/* An edge drawn after the layout (see Late). */
void psimp_render_add_late (Build *b, Agnode_t *tail, Agnode_t *head, LateKind kind);
/* Resolves the options' highlighted ids in @primary (then in @other, or
 * without it in the procedure's other variants: steps found there are
 * wrong turns) into @steps and @wrong, and numbers them. FALSE with
 * @error set when an id is no step. */
gboolean psimp_render_resolve_highlight (Build *b, const PsimVariant *primary,
                                         const PsimVariant *other, GPtrArray *steps,
                                         GPtrArray *wrong, GError **error);
/* Draws the resolved path over the graph built. */
void psimp_render_draw_highlight (Build *b, GPtrArray *steps, GPtrArray *wrong);

/* ---- the legend (psim-render-legend.c) ----------------------------------- */

/* The legend: every mark the picture uses, and only those. */
void psimp_render_add_legend (Build *b);

/* ---- layout and output (psim-render-layout.c) ---------------------------- */

/* The graph built, in @format: "dot" as built, before layout; the others
 * laid out and rendered, after the limits are checked. (transfer full) */
GBytes *psimp_render_output (Build *b, const char *format, GError **error);
