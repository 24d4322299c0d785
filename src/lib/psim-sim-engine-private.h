/* psim-sim-engine-private.h — the simulation engine's own layout, shared by
 * its files only: the variant compiled into an array of nodes
 * (psim-sim-compile.c), the simulation object with its options and results
 * (psim-sim.c), and one replication run on them (psim-sim-run.c). The
 * formulas over the case data are evaluated here, inline, because a
 * replication evaluates them for every case.
 */
#pragma once

#include "psim-rng-private.h"
#include "psim-sim-private.h"
#include "psim-sim-stats.h"

/* The purposes of a replication's random streams (see psim-rng.c). */
enum { STREAM_ARRIVALS = 1, STREAM_DATA = 2, STREAM_PATH = 3 };

/* ---- the compiled model ---------------------------------------------------- */

typedef struct {
  PsimNodeKind kind;
  const PsimNode *node;
  guint next;
  guint *succ;
  guint n_succ;
  double *cum;         /* choice by probability: cumulative */
  int cond_slot;       /* choice by condition: index of its outcome in a case */
  guint join_slot;     /* split: its join's slot; join: its own */
  guint arity;         /* join: branches of its split */
  /* step */
  const Sampler *dur; /* NULL: no duration */
  PsimTimeUnit unit;
  int resource;
  const Sampler *service;
  int priority;
  double effort;
  gboolean visit;
  guint fee_first;   /* first fee slot */
  guint n_fees;
  int limit;         /* index among the variant's limits, or -1 */
  double limit_value;
  PsimTimeUnit limit_unit;
  int seen_slot;     /* named by a limit's <when step>: its flag in a case; -1 */
  guint mark_first;  /* its marks in Graph.marks: limits it counts from or to */
  guint n_marks;
} SNode;

/* A formula over the case data: evaluated by its plain program, with the
 * params its variables name, when it has one and they are all numbers or
 * booleans; else (expr NULL) through the case's context, as in training. */
#define FORMULA_MAX_VARS 32
typedef struct {
  const PsimExpr *expr;
  guint n_vars;
  guint param[FORMULA_MAX_VARS]; /* index in the procedure's params */
  gboolean booleans[FORMULA_MAX_VARS];
} Formula;

typedef struct {
  const PsimFee *fee;
  gboolean fixed;
  double amount;
  gboolean tax;
  Formula formula;
} FeeSlot;

/* A legal limit above the step (the variant's <time-limit>, a <duty>),
 * measured on each case at its end: from the end of its `from` step (or
 * the filing) to the end of its `by` step (or the end). */
typedef struct {
  const PsimLimit *limit;
  guint index;        /* among the variant's limits (figures) */
  int from, by;       /* node index; -1: the filing, the end */
  gboolean duty;
  PsimTimeUnit unit;
  double value;       /* when no <when> holds */
  guint when_first;   /* its <when>s in Graph.limit_whens */
  guint n_whens;
  int filed;          /* param index of the hour of filing, or -1 */
  double cut_off;
} CaseLimit;

/* One <when> of a CaseLimit: it holds when its step was taken (seen_slot
 * ≥ 0) and its test held on the case data (evaluated as the case starts). */
typedef struct {
  int seen_slot;
  const PsimExpr *test; /* nullable */
  Formula formula;      /* test's plain program, when it has one */
  double value;
} LimitWhen;

/* At the end of a step: the limit it counts from (by FALSE) or to. */
typedef struct {
  guint limit; /* index in Graph.case_limits */
  gboolean by;
} LimitMark;

/* One legal limit of the variant as the results list it. */
typedef struct {
  PsimLimitLevel level;
  const PsimLimit *limit; /* NULL for a step's */
  const PsimNode *step;   /* a step's: the step */
} LimitInfo;

typedef struct {
  const PsimVariant *variant;
  SNode *nodes;
  guint n_nodes;
  guint start;
  guint n_joins;
  GPtrArray *conds; /* const PsimNode*: choices decided by conditions */
  GArray *whens;    /* Formula: the branches of the conds, one after another */
  GArray *fees;     /* FeeSlot */
  GArray *limits;   /* LimitInfo: the procedure's, the steps', the duties' */
  GArray *case_limits; /* CaseLimit */
  GArray *limit_whens; /* LimitWhen */
  GArray *marks;       /* LimitMark, by node */
  guint n_seen;        /* steps named by a <when step> */
  gboolean slow;    /* some formula needs the case's context */
  Sampler *samplers; /* 2 per node: the steps' durations and services */
} Graph;

/* Per replication and variant: the figures as a flat vector. */
#define FIG_RES(g, r, f) (PSIM_FIG_N + (r) * PSIM_RES_N + (f))

/* ---- the simulation object ------------------------------------------------- */

/* The lead-time histogram of the results: bins of half a day. */
#define HIST_BINS 120
#define HIST_MIN_WIDTH 0.5

struct _PsimSim {
  PsimProcedure *proc;
  const char *lang;
  PsimSimSpec *spec;
  PsimCalendar *cal;
  double day_hours;
  Graph graph[2];
  guint n_variants;
  guint n_res;
  PsimSimResource **res;
  guint *sample_param; /* per <sample>: its param's index */
  Sampler *sample_dist; /* per <sample>: its distribution's sampler */
  guint n_fig[2]; /* figures per replication of each variant */
  /* results */
  GArray *values[2]; /* double, n_fig per replication */
  guint n_reps;
  guint64 *hist[2];
  guint64 cases[2];
  guint64 step_events;
  double max_time;
  /* options of the run */
  PsimSimOptions opt;
  PsimSimEventFunc on_event;
  PsimSimCaseFunc on_case;
  gpointer log_data;
  PsimSimProgressFunc on_progress;
  gpointer progress_data;
};

/* What a thread counts over its replications, added up at the end. */
typedef struct {
  guint64 step_events;
  guint64 cases[2];
  double max_time;
} Totals;

static inline void
psimp_formula_args (const Formula *f, const double *vals, double *args)
{
  for (guint i = 0; i < f->n_vars; i++)
    args[i] = vals[f->param[i]];
}

/* The value of the plain formula @f (f->expr set) over the case data
 * @vals, indexed by param. */
static inline double
psimp_formula_number (const Formula *f, const double *vals)
{
  double args[FORMULA_MAX_VARS];
  psimp_formula_args (f, vals, args);
  return psim_expr_eval_plain_number (f->expr, args, f->booleans);
}

static inline gboolean
psimp_formula_boolean (const Formula *f, const double *vals)
{
  double args[FORMULA_MAX_VARS];
  psimp_formula_args (f, vals, args);
  return psim_expr_eval_plain_boolean (f->expr, args, f->booleans);
}

/* The index of @p among @proc's params (0 when not found). */
guint psimp_sim_param_index (const PsimProcedure *proc, const PsimParam *p);
/* Compiles @v into @g (zeroed) for @sim, whose spec and resources are set.
 * FALSE with @error when the variant cannot be simulated; @g is then
 * partly filled and psimp_sim_graph_clear () frees it. */
gboolean psimp_sim_compile (PsimSim *sim, Graph *g, const PsimVariant *v, GError **error);
/* Frees what @g holds and zeroes it. */
void psimp_sim_graph_clear (Graph *g);

/* Runs replication @rep of variant @v of @sim (its calendar and options
 * set) with the thread's @pcase and scratch histogram @fine; adds the
 * lead-time histogram to @hist and the counts to @tot, and writes the
 * replication's n_fig[v] figures to @out. FALSE with @error when a case's
 * data or fees cannot be evaluated. */
gboolean psimp_sim_run_replication (PsimSim *sim, guint rep, guint v, PsimCase *pcase,
                                    PsimFineHist *fine, guint64 *hist, Totals *tot,
                                    double *out, GError **error);
