/* psim-render.h — process graphs of procedure variants, laid out and
 * rendered in-process by Graphviz (cgraph + gvc; never by running `dot`).
 *
 * A variant is drawn with one swimlane per actor that has steps (an
 * applicant's first), shapes for steps, start, end, choices and parallel
 * splits/joins, the channel of each step by colour and by text, visits
 * with a heavy border, loops back drawn beside the forward flow, and a
 * legend of the marks used. The compare view draws two variants side by
 * side under a caption with their headline counts, with dotted links from
 * each step to the baseline steps it replaces. A highlighted path (step
 * ids in the order taken) is drawn over the graph, numbered; wrong turns
 * are red arrows, into a ghost of a step of another variant when that
 * variant is not drawn.
 *
 * Output is deterministic: the same procedure, options and format give the
 * same bytes for "dot" and "svg".
 */
#pragma once

#include <glib.h>
#include <procsim/psim-case.h>
#include <procsim/psim-format.h>
#include <procsim/psim-model.h>

G_BEGIN_DECLS

typedef struct _PsimRenderer PsimRenderer;

#define PSIM_RENDER_ERROR (psim_render_error_quark ())
GQuark psim_render_error_quark (void);

typedef enum {
  PSIM_RENDER_ERROR_FORMAT,    /* no such output format */
  PSIM_RENDER_ERROR_HIGHLIGHT, /* a highlighted id is not a step */
  PSIM_RENDER_ERROR_CASE,      /* the case's path cannot be computed */
  PSIM_RENDER_ERROR_GRAPHVIZ,  /* layout or rendering failed */
  PSIM_RENDER_ERROR_TOO_LARGE, /* over the limits below: not laid out */
} PsimRenderError;

/* What Graphviz 2.42 is given to lay out (svg, png, pdf), counted on the
 * graph as built (steps, choices, splits, joins, start and end, the
 * legend; flows, highlight and "replaces" edges) and checked before the
 * layout starts: over a limit, PSIM_RENDER_ERROR_TOO_LARGE and no layout.
 * Graphviz crashes on far larger graphs (a chain of 32,767 steps) and
 * slows down sharply well before (a chain of 5,000 steps: 70 s; 300 nodes
 * with loops back: over 5 minutes); within these limits the slowest shape
 * measured takes about 3 s (docs/cli.md, "render", says how it was
 * measured). "dot" output is not laid out and has no limit. */
#define PSIM_RENDER_MAX_NODES 400
#define PSIM_RENDER_MAX_EDGES 800
/* The ranks the edges cross, summed, as dot would rank the graph (loops
 * back over a long path cost the most: dot orders a virtual node on every
 * rank an edge crosses). 80 for the land-title comparison. */
#define PSIM_RENDER_MAX_RANKS_SPANNED 1200
/* The longest label of a node, edge or lane, in bytes. */
#define PSIM_RENDER_MAX_LABEL 4096

typedef struct {
  const char *lang;              /* "vi", "en" (NULL: "en") */
  PsimCase *pcase;               /* (nullable) case for details and captions;
                                    NULL: the procedure's defaults */
  gboolean details;              /* durations and fees in step labels */
  const char *const *highlight;  /* (nullable) NULL-terminated step ids, in
                                    the order taken; ids of the procedure's
                                    other variants are wrong turns */
} PsimRenderOptions;

/* The output formats: "dot" (the graph before layout, for Graphviz tools),
 * "svg", "png", "pdf". (transfer none) NULL-terminated. */
const char *const *psim_render_formats (void);

/* A renderer draws with the process's Graphviz context (Graphviz keeps
 * process-wide state, so every renderer shares one; see psim-render.c).
 * Graphviz is not thread-safe: renders from several threads take turns
 * (a lock inside the library), each in the language of its own options.
 * A renderer is used by one thread at a time. (transfer full) */
PsimRenderer *psim_renderer_new (void);
void psim_renderer_free (PsimRenderer *renderer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsimRenderer, psim_renderer_free)

/* @variant in @format. (transfer full) NULL with @error set on failure. */
GBytes *psim_renderer_render_variant (PsimRenderer *renderer, const PsimVariant *variant,
                                      const PsimRenderOptions *options, const char *format,
                                      GError **error);
/* @before and @after side by side (they must belong to one procedure), with
 * a caption of their headline counts for the case and dotted links for
 * "replaces". Highlighted ids are looked up in @after first; steps found
 * only in @before are wrong turns. (transfer full) */
GBytes *psim_renderer_render_compare (PsimRenderer *renderer, const PsimVariant *before,
                                      const PsimVariant *after, const PsimRenderOptions *options,
                                      const char *format, GError **error);

G_END_DECLS
