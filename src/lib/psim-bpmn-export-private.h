/* psim-bpmn-export-private.h — what the BPMN export's files share: a
 * variant as the shapes and flows of one pool, laid out
 * (psim-bpmn-export-layout.c), then written (psim-bpmn-export.c). Shared
 * by these files only.
 */
#pragma once

#include "psim-private.h"

#include <graphviz/cgraph.h>

#define POOL_LABEL 30.0 /* the band on the left of a pool with its name */
#define LANE_PAD 20.0
#define POOL_GAP 40.0

typedef struct {
  const PsimNode *node; /* NULL for a merge gateway */
  const PsimNode *merge_for;
  char *id;             /* BPMN id */
  const char *lane;     /* actor id */
  double w, h;
  double x, y;          /* top left, BPMN coordinates */
  GPtrArray *in, *out;  /* Flow* (borrowed) */
  Agnode_t *gv;
} Shape;

typedef struct {
  char *id;
  Shape *from, *to;
  const PsimNode *choice; /* the choice whose branch it is */
  guint branch;
} Flow;

typedef struct {
  const PsimVariant *v;
  char *pid;
  GPtrArray *shapes; /* Shape* */
  GPtrArray *flows;  /* Flow* */
  GHashTable *by_node;
  GPtrArray *lanes;  /* actor ids, in band order */
  GHashTable *lane_top, *lane_height; /* actor id → double* */
  double width, height, top;
} Pool;

/* The shapes and flows of variant @v: a shape a node, a merge gateway in
 * front of a node other than a join that several flows enter. (transfer full) */
Pool *psimp_bpmn_export_pool_new (const PsimVariant *v);
void psimp_bpmn_export_pool_free (Pool *p);
/* Gives each shape its lane: a step its actor's, other nodes the lane of
 * the nearest step before them, else after them. */
void psimp_bpmn_export_assign_lanes (Pool *p);
/* Lays the pool out with dot, in the process's one Graphviz context: the
 * shapes' positions, the lanes' bands, the pool's size. FALSE with @error
 * when Graphviz fails. */
gboolean psimp_bpmn_export_layout (Pool *p, const char *lang, GError **error);
