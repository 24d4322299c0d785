/* psim-private.h — the layout of the model, shared by the library's own
 * files (loader, checks, expressions, paths) and by nothing else.
 *
 * Every object is owned by its PsimProcedure; cross references (a step's
 * actor, a branch's target) are borrowed pointers resolved by psim-check.c
 * after loading, next to the id they were written with (kept for messages).
 */
#pragma once

#include "procsim/procsim.h"

/* The currency of an amount that names none (the format's default). */
#define PSIM_DEFAULT_CURRENCY "VND"

/* ---- enumerations (psim-model.c) ----------------------------------------- */

/* NULL-terminated names of each enumeration, as written in the format. */
extern const char *const psim_actor_kind_names[];
extern const char *const psim_channel_names[];
extern const char *const psim_node_kind_names[];
extern const char *const psim_time_unit_names[];
extern const char *const psim_fee_kind_names[];
extern const char *const psim_param_type_names[];
extern const char *const psim_basis_names[];
extern const char *const psim_value_kind_names[];
/* The index of @text in @names; 0 when absent (values the schema has
 * already validated). */
int psim_enum_from_string (const char *const *names, const char *text);

/* ---- multilingual text (psim-model.c) ------------------------------------ */

typedef struct {
  char *lang; /* NULL when the element had no xml:lang (an error) */
  char *text;
} PsimText;

void psim_text_free (PsimText *text);
/* Lookup in a GPtrArray of PsimText*: @lang, else "en", else the first. */
const char *psim_texts_get (const GPtrArray *texts, const char *lang);
/* An empty GPtrArray of PsimText* that frees them. (transfer full) */
GPtrArray *psim_texts_new (void);
/* @s with runs of white space collapsed and trimmed (texts of the formats
 * may be wrapped over several lines). (transfer full) */
char *psim_collapse_space (const char *s);

/* ---- expressions (psim-expr.c) ------------------------------------------- */

typedef struct _PsimExpr PsimExpr;
typedef struct _PsimExprContext PsimExprContext;

PsimExprContext *psim_expr_context_new (void);
void psim_expr_context_free (PsimExprContext *ctx);
/* The language of the context's messages (psim_lang_normalize ()'s). */
void psim_expr_context_set_language (PsimExprContext *ctx, const char *lang);
/* Compiles XPath @source. NULL and *message (transfer full) on a syntax
 * error. */
PsimExpr *psim_expr_compile (PsimExprContext *ctx, const char *source, char **message);
/* Expressions are shared (one file often repeats a formula): _ref adds a
 * holder, _free drops one. */
PsimExpr *psim_expr_ref (PsimExpr *expr);
void psim_expr_free (PsimExpr *expr);
const char *psim_expr_get_source (const PsimExpr *expr);
/* The $variables the expression names, in order of appearance, each once. */
const char *const *psim_expr_get_variables (const PsimExpr *expr);
/* Binds $@name for later evaluations. */
void psim_expr_context_set_number (PsimExprContext *ctx, const char *name, double value);
void psim_expr_context_set_boolean (PsimExprContext *ctx, const char *name, gboolean value);
void psim_expr_context_set_string (PsimExprContext *ctx, const char *name, const char *value);
/* Evaluates to a number / a boolean with XPath's conversion rules. FALSE and
 * *message on failure (unknown function, undefined variable). */
gboolean psim_expr_eval_number (PsimExprContext *ctx, const PsimExpr *expr, double *out, char **message);
gboolean psim_expr_eval_boolean (PsimExprContext *ctx, const PsimExpr *expr, gboolean *out, char **message);
/* Whether @expr is plain: numbers, booleans, $variables, arithmetic,
 * comparisons, and, or, not(), boolean(), number(), true(), false(). A
 * plain expression also evaluates without a context, far faster. */
gboolean psim_expr_is_plain (const PsimExpr *expr);
/* Evaluates plain @expr with its variables' values in @values, in the
 * order of psim_expr_get_variables (); @booleans tells which are booleans
 * (their value: != 0). The result is, bit for bit, what
 * psim_expr_eval_number () / _boolean () give with those bindings. */
double psim_expr_eval_plain_number (const PsimExpr *expr, const double *values,
                                    const gboolean *booleans);
gboolean psim_expr_eval_plain_boolean (const PsimExpr *expr, const double *values,
                                       const gboolean *booleans);

/* ---- the model ----------------------------------------------------------- */

/* The hours of a working day, where hours and working days meet: an
 * elapsed time as one number of days, a step done within the day. */
#define PSIM_HOURS_PER_DAY 8

/* A reference written as an id, resolved after loading. */
typedef struct {
  char *id;
  guint line;
  gconstpointer target;
} PsimRef;

typedef struct {
  gboolean set;
  guint line;
  PsimQuantity q;
  char *source_id;
} PsimQuantitySlot;

struct _PsimSource {
  char *id;
  guint line;
  char *href;
  char *citation;
};

struct _PsimLaw {
  char *id;
  guint line;
  char *number;
  GPtrArray *titles;
  PsimRef source;
};

struct _PsimActor {
  char *id;
  guint line;
  PsimActorKind kind;
  GPtrArray *names;
};

struct _PsimDocument {
  char *id;
  guint line;
  gboolean national_db;
  GPtrArray *names;
};

struct _PsimParam {
  char *id;
  guint line;
  PsimParamType type;
  GPtrArray *labels;
  char *unit;
  char *def;
  GPtrArray *options; /* char* */
  GPtrArray *option_labels; /* GPtrArray* of PsimText*, one per option */
  gboolean has_min, has_max;
  double min, max;
  gboolean integer; /* type="integer": a number that must be whole */
};

/* The type as the file writes it: "integer" for a whole number. */
const char *psimp_param_type_name (const PsimParam *param);

struct _PsimFee {
  guint line;
  PsimFeeKind kind;
  GPtrArray *names;
  gboolean has_amount;
  double amount;
  PsimExpr *expr;
  char *currency;
  PsimRef payer;
  PsimBasis basis;
  PsimRef source;
};

typedef struct {
  guint line;
  PsimRef to;
  gboolean has_probability;
  double probability;
  PsimExpr *when;
  gboolean when_invalid; /* written but does not compile (reported) */
  GPtrArray *labels;
} PsimBranch;

typedef struct {
  PsimRef law;
  char *article;
} PsimLegal;

struct _PsimNode {
  PsimVariant *variant;
  PsimNodeKind kind;
  char *id;
  guint line;
  guint index; /* position in variant->nodes */
  GPtrArray *names;

  /* start, step, join: the successor; next.id is NULL when implicit (the
   * next node in document order, resolved by the checks). */
  PsimRef next;
  /* choice and split */
  GPtrArray *branches; /* PsimBranch* */
  PsimRef join;        /* split only */

  /* step only */
  PsimRef actor;
  PsimRef party; /* "with"; id NULL when defaulting to the actor */
  PsimChannel channel;
  int interaction_attr; /* -1 when not written */
  int visit_attr;
  int dossier_attr; /* dossier="paper" 1, "electronic" 0, -1 when not written */
  gboolean interaction;
  gboolean visit;
  gboolean dossier_paper; /* the dossier reaches the step's office on paper */
  GPtrArray *instructions;
  GPtrArray *inputs;  /* PsimRef* → PsimDocument */
  GArray *input_fetched_attr; /* int per input: fetched= as written, -1 when not */
  GArray *input_fetched;      /* gboolean per input, derived by the checks */
  GPtrArray *outputs; /* PsimRef* → PsimDocument */
  PsimQuantitySlot duration;
  gboolean within_day; /* <duration within-day="true">: done within the working day */
  PsimQuantitySlot effort;
  PsimQuantitySlot time_limit;
  PsimRef time_limit_law;
  GPtrArray *fees;     /* PsimFee* */
  GPtrArray *legal;    /* PsimLegal* */
  GPtrArray *notes;    /* PsimText* */
  GPtrArray *replaces; /* PsimRef* → PsimNode of the baseline */
};

/* One <when> of a legal limit: it holds when its step is on the path (if
 * named) and its test holds for the case (if written). */
typedef struct {
  guint line;
  PsimRef step;   /* → PsimNode of the variant */
  PsimExpr *test; /* over the case data */
  double value;
} PsimLimitCase;

/* A legal time limit above the step: the whole procedure's (the variant's
 * <time-limit>) or an applicant's duty (<duty>). The first <when> that
 * holds for the case gives its value; without one, its own value. */
struct _PsimLimit {
  char *id; /* a duty's id; NULL for the procedure's limit */
  guint line;
  gboolean duty;
  GPtrArray *names;   /* PsimText*: a duty's, what the applicant must do */
  PsimQuantitySlot q; /* value, unit, provenance */
  PsimRef law;        /* → PsimLaw */
  PsimRef from;       /* → PsimNode: counted from its end (NULL: the start) */
  PsimRef by;         /* → PsimNode: done by its end (NULL: the end) */
  char *cut_off_text; /* as written, for messages */
  double cut_off;     /* hours after midnight; -1 when none */
  PsimRef filed;      /* → PsimParam: the time of day the dossier is filed */
  GPtrArray *cases;   /* PsimLimitCase* */
};

PsimLimit *psim_limit_new (gboolean duty);
void psim_limit_free (PsimLimit *limit);
PsimLimitCase *psim_limit_case_new (void);

/* "HH:MM" as hours after midnight; -1 when malformed (psim-sim-load.c). */
double psimp_clock_hours (const char *text);

struct _PsimVariant {
  char *id; /* id and line first: the checks index declarations generically */
  guint line;
  PsimProcedure *proc;
  GPtrArray *titles;
  GPtrArray *descriptions;
  PsimRef baseline;
  GPtrArray *nodes; /* PsimNode*, document order */
  GHashTable *node_index;
  const PsimNode *start;
  guint n_steps;
  PsimLimit *time_limit; /* (nullable) the whole procedure's */
  GPtrArray *duties;     /* PsimLimit*: the applicant's duties */
};

/* One figure of <cost-model>, as loaded. */
typedef struct {
  gboolean set;
  guint line;
  PsimFigure f;
  PsimRef source;
} PsimFigureSlot;

struct _PsimProcedure {
  gint ref_count;
  char *file;
  char *id;
  char *version;
  char *date;
  char *jurisdiction;
  GPtrArray *titles;
  GPtrArray *descriptions;
  GPtrArray *sources;
  GPtrArray *laws;
  GPtrArray *params;
  GPtrArray *actors;
  GPtrArray *documents;
  GPtrArray *variants;
  GHashTable *source_index;
  GHashTable *law_index;
  GHashTable *param_index;
  GHashTable *actor_index;
  GHashTable *document_index;
  GHashTable *variant_index;
  /* <cost-model>: every slot unset when the file has none */
  PsimFigureSlot tariff, travel, volume;
  PsimFigureSlot base_value; /* set when <value-base value=…> */
  gboolean has_base;
  PsimValueKind base_kind;
  PsimRef base_param; /* → PsimParam, when <value-base param=…> */
  gboolean base_basis_set; /* basis written on <value-base> */
  /* <simulation> and the steps' duration distributions (psim-sim-load.c);
   * NULL when the file has neither. psim-sim-load.c, which makes it, also
   * says how it is freed, so that the model needs nothing of the
   * simulation's files. */
  struct _PsimSimSpec *sim;
  void (*sim_free) (struct _PsimSimSpec *spec);
};

PsimProcedure *psim_procedure_new (const char *file);
PsimVariant *psim_variant_new (PsimProcedure *proc);
PsimNode *psim_node_new (PsimVariant *variant, PsimNodeKind kind);
PsimFee *psim_fee_new (void);
PsimBranch *psim_branch_new (void);
PsimLegal *psim_legal_new (void);
PsimRef *psim_ref_new (const char *id, guint line);
void psim_ref_clear (PsimRef *ref);
void psim_ref_free (PsimRef *ref);

/* ---- diagnostics (psim-diag.c) ------------------------------------------- */

/* Adds a finding; a message over PSIM_DIAG_MAX_MESSAGE bytes is cut there
 * (a 9 MB expression must not make a 9 MB line). */
void psim_diag_add (GPtrArray *diags, PsimSeverity severity, const char *file,
                    guint line, const char *format, ...) G_GNUC_PRINTF (5, 6);
#define PSIM_DIAG_MAX_MESSAGE 1024
/* @text for quoting in a message: whole if at most @max bytes, else its
 * first characters up to @max bytes and "…". (transfer full) */
char *psim_excerpt (const char *text, gsize max);

/* ---- XML bytes before parsing (psim-xml-scan.c) ------------------------- */

/* The most attributes (namespace declarations included) one element may
 * have in any XML file procsim reads. */
#define PSIM_XML_MAX_ATTRIBUTES 256
/* FALSE, with the line of the start tag in @line, when an element of
 * @data has more than PSIM_XML_MAX_ATTRIBUTES attributes: libxml2 2.9
 * checks them in quadratic time. Linear in @size. */
gboolean psim_xml_check_attributes (const char *data, gsize size, guint *line);

/* ---- the loader's shared state (psim-load.c) ------------------------------ */

/* The scenario schema (a libxml2 xmlSchemaPtr), compiled once per loader.
 * (transfer none) NULL with @error if it does not compile. */
struct _xmlSchema *psimp_loader_get_scenario_schema (PsimLoader *loader, GError **error);
/* The procedure @path, loaded once per loader while the file does not
 * change, and its bytes: the procedure a scenario names, shared by every
 * scenario of the loader. Its findings are appended to @diags each time.
 * (transfer full) NULL with @error as psim_loader_load_file (). */
PsimProcedure *psimp_loader_load_shared (PsimLoader *loader, const char *path, GPtrArray *diags,
                                         GBytes **bytes, GError **error);

/* ---- elapsed time (psim-path.c) ------------------------------------------ */

void psim_elapsed_add (PsimElapsed *to, const PsimElapsed *e);
/* Adds the most likely duration of @step, in its unit. */
void psim_elapsed_add_step (PsimElapsed *to, const PsimNode *step);
/* The elapsed time since the start when the node at position @i ends. */
const PsimElapsed *psimp_path_get_elapsed_at (const PsimPath *path, guint i);
/* The legal limits of @path's variant measured on it for @pcase
 * (psim-path-limits.c): an array of PsimLimitCheck, or NULL with @error
 * when a condition fails to evaluate. (transfer full) */
GArray *psimp_path_check_limits (const PsimPath *path, PsimCase *pcase, GError **error);
/* Evaluates a condition for the case; FALSE with @error when it fails. */
gboolean psimp_case_eval_condition (PsimCase *pcase, const PsimExpr *expr, gboolean *holds,
                                    GError **error);

/* ---- writing XML (psim-xml-write.c) --------------------------------------- */

/* Appends ` @attr="@v"` with @v as an xs:decimal: no exponent, at most 7
 * decimals, no trailing zeros. */
void psimp_xml_append_decimal_attr (GString *s, const char *attr, double v);

/* ---- Graphviz (psim-render.c, psim-render-disc.c) ----------------------- */

/* The process's one Graphviz context (a GVC_t*; see psim-render.c for why
 * there is only one), for the BPMN export's layout. (transfer none) */
void *psimp_render_shared_gvc (void);

/* @variant drawn alone as psim_renderer_render_variant draws it, but top
 * to bottom (rankdir TB): the picture of one path on a printed page of
 * the comparison's HTML report. (transfer full) NULL with @error set. */
GBytes *psimp_render_variant_vertical (PsimRenderer *r, const PsimVariant *variant,
                                       const PsimRenderOptions *opts, const char *format,
                                       GError **error);

/* A cgraph discipline whose memory procsim frees after agclose, whatever
 * agclose leaves behind (in Graphviz 2.42 it leaves the whole graph once
 * the dot layout has added its subgraphs). @own_ids: object ids in
 * creation order, for a graph written out by agwrite; FALSE keeps cgraph's
 * own. Open the graph with agopen (name, desc, psimp_graph_disc_get (d)).
 * (psim-render-disc.c) */
typedef struct _GraphDisc PsimGraphDisc;
PsimGraphDisc *psimp_graph_disc_new (gboolean own_ids);
/* The Agdisc_t* for agopen. (transfer none) */
void *psimp_graph_disc_get (PsimGraphDisc *disc);
/* Frees what the graph opened with @disc still holds; call after agclose. */
void psimp_graph_disc_free (PsimGraphDisc *disc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsimGraphDisc, psimp_graph_disc_free)

/* A path as its writers (psim-path-text.c, psim-path-json.c) see it: the
 * case's procedure, the variant, and the language normalised. */
typedef struct {
  const char *lang;
  const PsimProcedure *proc;
  const PsimVariant *variant;
  const PsimCase *pcase;
  const PsimPath *path;
} PsimpPathView;

/* The sources that the sourced figures of the path's steps name (duration,
 * effort, time limit, fees), each once, in order of appearance.
 * (transfer container) */
GPtrArray *psimp_path_collect_sources (const PsimPath *path);

void psimp_path_view_init (PsimpPathView *view, const PsimPath *path, const PsimCase *pcase,
                           const char *lang);

/* A step's facts in words, as `procsim show` writes them
 * (psim-path-text.c): the channel, the kind of a fee. (transfer none) */
const char *psimp_channel_label (PsimChannel c, const char *lang);
const char *psimp_fee_kind_label (PsimFeeKind k, const char *lang);
/* The documents a step takes in (@inputs) or gives out, comma-separated:
 * "Identity card (held in a national database), Contract". (transfer full) */
char *psimp_documents_text (const PsimNode *n, gboolean inputs, const char *lang);

/* psim_format_case ()'s items, without "Case:". (transfer full) */
char *psimp_format_case_items (const PsimCase *pcase, const char *lang);

/* ---- cases (psim-case.c) ------------------------------------------------- */

/* The branch a case takes at @node, a choice decided by conditions: the
 * first whose `when` holds, else the default; -1 with @error when none
 * applies or a condition fails. */
int psimp_case_choose (PsimCase *pcase, const PsimNode *node, GError **error);
/* Whether @node is a choice decided by chance (no branch has `when`). */
gboolean psimp_choice_by_chance (const PsimNode *node);

/* ---- figures (psim-measure-step.c, psim-compare.c, psim-expect.c) ------- */

/* A step's most likely duration in working days, calendar days or hours
 * (one of the three set, the others 0). */
void psimp_step_days (const PsimNode *n, double *wd, double *cd, double *h);
/* Doing Business days of a step: at least one day, half a day when fully
 * online, for an interaction; its duration as it is otherwise. */
double psimp_db_days (const PsimNode *n);

/* Whether @a counts among the agencies: an agency or an intermediary. */
gboolean psimp_actor_is_organisation (const PsimActor *a);
/* Whether input @k of step @n is a document the applicant supplies: not
 * fetched, and the step is an interaction. */
gboolean psimp_input_is_supplied (const PsimNode *n, guint k);
/* Fills @row (PSIM_N_METRICS, zeroed) with what one pass through step @n
 * contributes to the counts, effort, time (its own, critical path or not)
 * and money, its fees being @amounts. */
void psimp_measure_step_row (const PsimNode *n, const double *amounts, guint n_fees,
                             const PsimCostParams *params, double *row);
/* Sets to NAN the figures of @totals that need a cost figure @params
 * lacks. */
void psimp_measure_mark_unknown (double *totals, const PsimCostParams *params);
/* The expected figures of @variant for @pcase over the probabilities of
 * its chance-decided choices (docs/compare-rules.md): @expected gets
 * every figure, NAN for a cost figure that is not known. *@defined is
 * FALSE, and every figure NAN, when the case can be sent round a loop it
 * never leaves. FALSE with @error when an expression fails. */
gboolean psimp_expect_totals (const PsimVariant *variant, PsimCase *pcase,
                              const PsimCostParams *params, double *expected, gboolean *defined,
                              GError **error);

/* ---- graph algorithms (psim-graph.c) ------------------------------------- */

/* The predecessors of a variant's nodes by index, in compressed rows: those
 * of node k are list[start[k] .. start[k + 1]). Row n (the number of nodes)
 * is a virtual exit whose predecessors are the ends. */
typedef struct {
  guint n;
  guint *start; /* n + 2 entries */
  guint *list;
} PsimpGraphPreds;

void psimp_graph_preds_init (PsimpGraphPreds *preds, const PsimVariant *v);
void psimp_graph_preds_clear (PsimpGraphPreds *preds);
/* Adds to @seen every node reachable from @from, @from included. */
void psimp_graph_mark_forward (const PsimNode *from, GHashTable *seen);
/* Adds to @seen every node of @v from which an end can be reached. */
void psimp_graph_mark_backward_from_ends (const PsimVariant *v, GHashTable *seen);
/* Walks from @from without passing @join, adding what it visits to @seen:
 * the first end met, or NULL when every path reaches the join.
 * (transfer none) */
const PsimNode *psimp_graph_end_before_join (const PsimNode *from, const PsimNode *join,
                                             GHashTable *seen);

/* The post-dominator tree of a variant whose every node reaches an end,
 * computed once; each question is then answered in constant time. */
typedef struct _PsimpPostDom PsimpPostDom;
/* (transfer full) */
PsimpPostDom *psimp_postdom_new (const PsimVariant *v);
/* A graph that is no variant (the BPMN import's), by its successors in
 * compressed rows: those of node i are succ[start[i] .. start[i + 1]);
 * after a node with @is_end set comes the virtual exit. */
typedef struct {
  guint n;
  const guint *start;     /* n + 1 entries */
  const guint *succ;
  const gboolean *is_end; /* n entries */
} PsimpGraphRows;
/* The post-dominator tree of @g, whose arrays are only read while it is
 * made. (transfer full) */
PsimpPostDom *psimp_postdom_new_rows (const PsimpGraphRows *g);
/* The immediate post-dominator of node @i: a node's index,
 * PSIMP_POSTDOM_EXIT when it is the virtual exit after the ends (no node
 * is passed on every path to an end), PSIMP_POSTDOM_NONE when @i reaches
 * no end. */
#define PSIMP_POSTDOM_NONE G_MAXUINT
#define PSIMP_POSTDOM_EXIT (G_MAXUINT - 1)
guint psimp_postdom_get_idom (const PsimpPostDom *pd, guint i);
void psimp_postdom_free (PsimpPostDom *pd);
/* Whether every path from @b to an end passes @a. */
gboolean psimp_postdominates (const PsimpPostDom *pd, const PsimNode *a, const PsimNode *b);

/* ---- semantic checks (psim-check.c) -------------------------------------- */

/* Builds the indexes, resolves every reference, sets the derived step
 * attributes and checks the graphs and expressions. Appends findings to
 * @diags. */
void psim_check_procedure (PsimProcedure *proc, PsimExprContext *ctx, const char *lang,
                           GPtrArray *diags);
/* The checks that follow cases (psim-check-case.c): parallel branches
 * sharing a node, `when` loops without an exit and fee formulas at the
 * params' bounds. Runs on a procedure without errors. */
void psimp_check_cases (PsimProcedure *proc, const char *lang, GPtrArray *diags);
/* Where each step's inputs come from (psim-check-documents.c): an input no
 * earlier step gives and nobody brings, and, in a reformed variant, a
 * document held in a national database that the applicant still hands
 * over. Warnings; runs on a procedure without errors. */
void psimp_check_documents (PsimProcedure *proc, const char *lang, GPtrArray *diags);

/* Binds a number (or, for a boolean param, value != 0) drawn by the
 * simulation to @param of @pcase without the text round trip of
 * psim_case_set(): the number as it is, checked against the param's range.
 * Only the expressions see it; psim_case_get() keeps the text it had. */
gboolean psimp_case_bind_value (PsimCase *pcase, const PsimParam *param, double value,
                                GError **error);
/* The check psimp_case_bind_value () makes: FALSE and @error (in @lang)
 * when @value is outside @param's range or not finite. */
gboolean psimp_param_check_value (const PsimParam *param, double value, const char *lang,
                                  GError **error);
/* The value $@param has in @pcase's expressions as set from text (its
 * default, psim_case_set ()): a number, or 1 or 0 for a boolean; 0 for a
 * string. Values bound by psimp_case_bind_value () are not seen. */
double psimp_case_get_value (const PsimCase *pcase, const PsimParam *param);
/* The check of an evaluated fee psim_case_eval_fee () makes: FALSE and
 * @error (in @lang) unless @amount is finite and not negative. */
gboolean psimp_fee_check_amount (const PsimFee *fee, double amount, const char *lang,
                                 GError **error);
