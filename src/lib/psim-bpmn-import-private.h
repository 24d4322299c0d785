/* psim-bpmn-import-private.h — what the files of the BPMN import share.
 *
 * The import is a pipeline over one Import: psim-bpmn-import-xml.c reads
 * the bytes into a tree under the loader's rules, answers questions about
 * its elements and keeps the findings at their BPMN lines; psim-bpmn-import-graph.c maps each process (its
 * sub-processes flattened into it), its lanes, data and BPSim parameters
 * onto a small graph of its own; psim-bpmn-import-normalise.c turns that
 * graph into procsim's vocabulary; psim-bpmn-import-write.c writes the
 * procedure file; psim-bpmn-import.c runs them and hands the file to the
 * loader. Shared by these files only.
 */
#pragma once

#include "psim-private.h"

#include <libxml/tree.h>

#include "procsim/psim-bpmn.h"

#define BPMN_NS "http://www.omg.org/spec/BPMN/20100524/MODEL"
#define BPSIM1_NS "http://www.bpsim.org/schemas/1.0"
#define BPSIM2_NS "http://www.bpsim.org/schemas/2.0"
#define MAX_DIAGNOSTICS 1000
/* Ids of the procsim format: [A-Za-z_][A-Za-z0-9_.-]*, at most 128. */
#define MAX_ID 128

/* ---- the graph of one process ---------------------------------------------- */

typedef enum {
  K_START,
  K_END,
  K_STEP,
  K_CHOICE,
  K_SPLIT,
  K_JOIN,
  K_PASS,    /* bypassed before writing: merges, events without a mapping */
  K_GATEWAY, /* decided once its flows are known */
} Kind;

typedef struct _Node Node;

typedef struct {
  Node *to;
  char *label;      /* flow name, or its condition as text */
  double p;         /* BPSim probability */
  gboolean has_p;
  gboolean conditional;
  gboolean is_default;
  gboolean completion; /* goes on after a sub-process ended: an implicit join */
  xmlNode *x;          /* the sequence flow, NULL when made here */
} Edge;

struct _Node {
  Kind kind;
  char *id;
  const char *elem; /* BPMN local name ("userTask"); NULL when made here */
  char *bpmn_id;
  guint line;
  xmlNode *x;
  char *name;
  char *note;
  const char *actor;
  const char *channel;
  gboolean wait; /* not an applicant interaction */
  const char *gw; /* K_GATEWAY: its BPMN kind */
  GPtrArray *out; /* Edge* */
  guint n_in;
  Node *join;
  gboolean completion;
  gboolean dead;
  gboolean top;       /* directly in the process, not in a sub-process */
  gboolean catch_link;
  char *link; /* link event name */
  /* durations: from a timer or BPSim */
  gboolean has_dur;
  const char *dur_unit;
  double dmin, dlikely, dmax;
  gboolean has_cost;
  double cost;
  GPtrArray *inputs, *outputs; /* document ids (borrowed) */
  xmlNode *ext; /* psim:node or psim:step */
  guint index; /* scratch: position in the graph */
};

typedef struct _Import Import;

typedef struct {
  Import *im;
  char *id;
  char *title;
  char *doc;
  guint line;
  xmlNode *x;
  xmlNode *ext; /* psim:variant */
  const char *actor; /* default actor: the pool's, or the process's */
  GPtrArray *nodes;     /* Node* */
  GHashTable *by_bpmn;  /* BPMN id → Node* */
  GHashTable *ids;      /* procsim node ids in use */
  GPtrArray *flows;     /* xmlNode* sequence flows, all scopes */
  GPtrArray *boundaries; /* Node*: boundary events */
} Graph;

typedef struct {
  char *id;
  char *name;
  guint line;
} Decl;

struct _Import {
  const char *file;
  const char *lang; /* of the findings */
  GPtrArray *diags;
  gboolean truncated;
  gboolean doctype;
  xmlDoc *doc;
  GHashTable *by_id;        /* BPMN id → xmlNode* */
  GPtrArray *actors;        /* Decl* */
  GHashTable *actor_ids;    /* procsim actor id → Decl* */
  GHashTable *actor_of;     /* BPMN flow node id → actor id (lanes) */
  GPtrArray *documents;     /* Decl* */
  GHashTable *document_ids;
  GHashTable *document_of;  /* BPMN data element id → document id */
  GPtrArray *graphs;        /* Graph* */
  GHashTable *variant_ids;
  GHashTable *pool_of;      /* process id → participant xmlNode* */
  GHashTable *sim;          /* BPMN id → xmlNode* ElementParameters */
  const char *base_time_unit;
  xmlNode *ext_procedure;   /* psim:procedure */
  PsimBpmnStats stats;
};

/* The procedure file being written, and for each of its lines the BPMN
 * line it came from. */
typedef struct {
  GString *s;
  GArray *lines; /* generated line (1-based, index) → BPMN line */
  guint bpmn_line;
} Out;

/* ---- findings (psim-bpmn-import-xml.c) ----------------------------------- */

/* A finding at BPMN @line; past MAX_DIAGNOSTICS, one "too many errors". */
void psimp_bpmn_diag (Import *im, PsimSeverity sev, guint line, const char *format, ...)
    G_GNUC_PRINTF (4, 5);
#define error_at(im, line, ...) psimp_bpmn_diag (im, PSIM_SEVERITY_ERROR, line, __VA_ARGS__)
#define warn_at(im, line, ...) psimp_bpmn_diag (im, PSIM_SEVERITY_WARNING, line, __VA_ARGS__)

/* ---- the tree (psim-bpmn-import-xml.c) ----------------------------------- */

/* Parses @data into a tree without the diagrams, under the loader's rules;
 * @encoding forces one (the declared one is then ignored). NULL when the
 * file is not well formed (reported). (transfer full) */
xmlDoc *psimp_bpmn_parse (Import *im, const char *data, gsize size, const char *encoding,
                          gboolean *encoding_error);
/* The declared encoding of @data, if any. (transfer full) */
char *psimp_bpmn_declared_encoding (const char *data, gsize size);
/* Whether @x is an element of namespace @ns. */
gboolean psimp_bpmn_in_ns (const xmlNode *x, const char *ns);
/* Whether @x is BPMN element @name; BPSim element @name; a procsim
 * element @name (any, for NULL). */
gboolean psimp_bpmn_is (const xmlNode *x, const char *name);
gboolean psimp_bpmn_is_sim (const xmlNode *x, const char *name);
gboolean psimp_bpmn_is_psim (const xmlNode *x, const char *name);
guint psimp_bpmn_line_of (const xmlNode *x);
/* An attribute without namespace, trimmed; NULL when absent or blank.
 * (transfer full) */
char *psimp_bpmn_get (const xmlNode *x, const char *name);
/* The text of @x with white space collapsed; NULL when empty.
 * (transfer full) */
char *psimp_bpmn_text_of (const xmlNode *x);
/* A QName reference ("tns:Task_1") as the id it names ("Task_1").
 * (transfer full) */
char *psimp_bpmn_ref_id (const char *qname);
/* Attribute @name as the id it refers to. (transfer full) (nullable) */
char *psimp_bpmn_get_ref (const xmlNode *x, const char *name);
/* The first child element of @x that is BPMN @name. (transfer none) */
xmlNode *psimp_bpmn_child (const xmlNode *x, const char *name);
/* The procsim extension element @name under @x's extensionElements.
 * (transfer none) */
xmlNode *psimp_bpmn_ext_of (const xmlNode *x, const char *name);
/* The documentation of @x, all of it. (transfer full) (nullable) */
char *psimp_bpmn_documentation (const xmlNode *x);

/* ---- from BPMN to a graph (psim-bpmn-import-graph.c) --------------------- */

/* @want as a procsim id not yet in @used, which it is added to.
 * (transfer full) */
char *psimp_bpmn_unique_id (GHashTable *used, const char *want);
void psimp_bpmn_edge_free (Edge *e);
void psimp_bpmn_node_free (Node *n);
void psimp_bpmn_graph_free (Graph *g);
void psimp_bpmn_decl_free (Decl *d);
/* A node of @g for BPMN element @x (NULL: made by the import). (transfer none) */
Node *psimp_bpmn_node_new (Graph *g, Kind kind, xmlNode *x, const char *want_id);
/* (transfer none) */
Edge *psimp_bpmn_edge_add (Node *from, Node *to);
/* Whether BPMN element @name is a task, an event, a sub-process. */
gboolean psimp_bpmn_is_task (const char *name);
gboolean psimp_bpmn_is_event (const char *name);
gboolean psimp_bpmn_is_subprocess (const char *name);
/* The BPSim value of a parameter element (a constant or a distribution):
 * min, likely, max. */
gboolean psimp_bpmn_sim_value (Import *im, const xmlNode *param, double *min, double *likely,
                               double *max, const char **unit);
/* The BPSim parameter @group/@name of BPMN element @bpmn_id. (transfer none) */
xmlNode *psimp_bpmn_sim_param (Import *im, const char *bpmn_id, const char *group,
                               const char *name);
/* The flow nodes of @scope (a process, or a sub-process whose entry and
 * exit nodes are @entry and @exit). */
void psimp_bpmn_build_scope (Import *im, Graph *g, xmlNode *scope, gboolean top, Node *entry,
                             Node *exit);
/* The lanes as actors, the flow nodes they hold as theirs. */
void psimp_bpmn_read_lanes (Import *im, xmlNode *lane_set);
/* An actor declared once per id. (transfer none) */
Decl *psimp_bpmn_actor_decl (Import *im, const char *want, const char *name, guint line);
/* Data objects and stores as documents. */
void psimp_bpmn_read_documents (Import *im, xmlNode *scope);
/* The BPSim scenario's element parameters, by BPMN id. */
void psimp_bpmn_read_bpsim (Import *im, xmlNode *root);
/* Indexes every id of the BPMN namespace; a duplicate is an error, since
 * references would be ambiguous. */
void psimp_bpmn_index_ids (Import *im, xmlNode *x);

/* ---- normalising a graph (psim-bpmn-import-normalise.c) ------------------ */

/* The sequence flows as edges; the gateways' defaults; the boundary
 * events as outcomes of their activities; links. */
void psimp_bpmn_connect (Import *im, Graph *g);
/* Gateways into choices, splits and joins; activities with several
 * outgoing flows get the gateway BPMN implies. */
void psimp_bpmn_decide_gateways (Import *im, Graph *g);
/* One start: the process's start event, or a choice between several, or
 * the nodes without incoming flow (BPMN's implicit start, all at once). */
gboolean psimp_bpmn_decide_start (Import *im, Graph *g);
/* Pass-through nodes taken out of the flow. */
void psimp_bpmn_bypass (Import *im, Graph *g);
/* (transfer none) (nullable) */
Node *psimp_bpmn_start_of (Graph *g);
/* Unreachable nodes are dropped (with a warning when BPMN gave them);
 * nodes without outgoing flow end there (BPMN's implicit end). */
void psimp_bpmn_prune (Import *im, Graph *g);
/* Each split's join: its immediate post-dominator. FALSE when a parallel
 * section cannot be paired (reported). */
gboolean psimp_bpmn_pair_splits (Import *im, Graph *g);

/* ---- the procedure file (psim-bpmn-import-write.c) ----------------------- */

/* Writes the procedure file of the import's graphs into @o. */
void psimp_bpmn_write_procedure (Import *im, Out *o, xmlNode *root);
