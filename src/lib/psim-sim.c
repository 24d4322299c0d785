/* psim-sim.c — the discrete-event simulation of cases through a variant.
 *
 * A variant is compiled into an array of nodes with successor indices.
 * Cases arrive (Poisson in working time, by time of day, or from a list),
 * are filed on the working calendar (cut-off), and move as tokens through
 * the graph: a choice draws its branch (probabilities) or reads it from the
 * case data (conditions, evaluated once when the case arrives), a split
 * sends a token down each branch and its join waits for all of them, a loop
 * goes round as often as the draws say. At a step with a service at an
 * office (<service>), the token queues for one of the office's clerks
 * (FIFO, or by priority), is served in working time, then the step's own
 * duration runs on the calendar. One event list (a binary heap on time,
 * then order of scheduling) drives everything.
 *
 * Statistics are streamed: sums per replication, a fine log histogram for
 * the quantiles, so memory does not grow with the number of cases. Each
 * replication draws from its own streams (seed, replication, case,
 * purpose), so replications can run on any number of threads and give the
 * same figures; two variants compared run on the same arrivals and case
 * data (common random numbers).
 */
#include "psim-sim-private.h"
#include "psim-sim-stats.h"

#include <procsim/psim-i18n.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

G_DEFINE_QUARK (psim-sim-error-quark, psim_sim_error)

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
  const PsimDist *dur;
  PsimTimeUnit unit;
  int resource;
  const PsimDist *service;
  int priority;
  double effort;
  gboolean visit;
  guint fee_first;   /* first fee slot */
  guint n_fees;
  int limit;         /* index among the variant's limits, or -1 */
  double limit_value;
  PsimTimeUnit limit_unit;
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

typedef struct {
  const PsimVariant *variant;
  SNode *nodes;
  guint n_nodes;
  guint start;
  guint n_joins;
  GPtrArray *conds; /* const PsimNode*: choices decided by conditions */
  GArray *whens;    /* Formula: the branches of the conds, one after another */
  GArray *fees;     /* FeeSlot */
  GPtrArray *limits; /* const PsimNode* */
  gboolean slow;    /* some formula needs the case's context */
} Graph;

/* Per replication and variant: the figures as a flat vector. */
#define FIG_RES(g, r, f) (PSIM_FIG_N + (r) * PSIM_RES_N + (f))

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

#define HIST_BINS 120
#define HIST_MIN_WIDTH 0.5

static const char *const figure_names[] = {
  "lead_mean", "lead_median", "lead_p90", "lead_p95", "lead_working_days",
  "applicant_hours", "visits", "steps", "cost", "taxes", "over_any_limit",
};
static const char *const res_figure_names[] = { "wait_hours", "utilisation", "queue_mean", "served" };

const char *
psim_sim_figure_to_string (PsimSimFigure fig)
{
  g_return_val_if_fail (fig < PSIM_FIG_N, NULL);
  return figure_names[fig];
}

const char *
psim_sim_res_figure_to_string (PsimResFigure fig)
{
  g_return_val_if_fail (fig < PSIM_RES_N, NULL);
  return res_figure_names[fig];
}

static void
graph_clear (Graph *g)
{
  for (guint i = 0; i < g->n_nodes; i++)
    {
      g_free (g->nodes[i].succ);
      g_free (g->nodes[i].cum);
    }
  g_free (g->nodes);
  if (g->conds != NULL)
    g_ptr_array_unref (g->conds);
  if (g->fees != NULL)
    g_array_unref (g->fees);
  if (g->whens != NULL)
    g_array_unref (g->whens);
  if (g->limits != NULL)
    g_ptr_array_unref (g->limits);
  memset (g, 0, sizeof *g);
}

static const PsimSimService *
find_service (const PsimSimSpec *spec, const PsimNode *n)
{
  for (guint i = 0; i < spec->services->len; i++)
    {
      const PsimSimService *s = g_ptr_array_index (spec->services, i);
      if (g_strcmp0 (s->step_id, n->id) == 0
          && (s->variant_id == NULL || g_strcmp0 (s->variant_id, n->variant->id) == 0))
        return s;
    }
  return NULL;
}

static guint
param_index (const PsimProcedure *proc, const PsimParam *p)
{
  for (guint i = 0; i < proc->params->len; i++)
    if (g_ptr_array_index (proc->params, i) == p)
      return i;
  return 0;
}

/* @f for @expr (nullable): plain when it can be; marks @g slow when not. */
static void
formula_init (Formula *f, Graph *g, const PsimProcedure *proc, const PsimExpr *expr)
{
  memset (f, 0, sizeof *f);
  if (expr == NULL)
    return;
  if (!psim_expr_is_plain (expr))
    {
      g->slow = TRUE;
      return;
    }
  const char *const *vars = psim_expr_get_variables (expr);
  for (; vars[f->n_vars] != NULL; f->n_vars++)
    {
      const PsimParam *p = g_hash_table_lookup (proc->param_index, vars[f->n_vars]);
      if (f->n_vars == FORMULA_MAX_VARS || p == NULL
          || (p->type != PSIM_PARAM_NUMBER && p->type != PSIM_PARAM_BOOLEAN))
        {
          g->slow = TRUE;
          return;
        }
      f->param[f->n_vars] = param_index (proc, p);
      f->booleans[f->n_vars] = p->type == PSIM_PARAM_BOOLEAN;
    }
  f->expr = expr;
}

static inline void
formula_args (const Formula *f, const double *vals, double *args)
{
  for (guint i = 0; i < f->n_vars; i++)
    args[i] = vals[f->param[i]];
}

static double
formula_number (const Formula *f, const double *vals)
{
  double args[FORMULA_MAX_VARS];
  formula_args (f, vals, args);
  return psim_expr_eval_plain_number (f->expr, args, f->booleans);
}

static gboolean
formula_boolean (const Formula *f, const double *vals)
{
  double args[FORMULA_MAX_VARS];
  formula_args (f, vals, args);
  return psim_expr_eval_plain_boolean (f->expr, args, f->booleans);
}

static gboolean
compile (PsimSim *sim, Graph *g, const PsimVariant *v, GError **error)
{
  const char *lang = sim->lang;
  g->variant = v;
  g->n_nodes = v->nodes->len;
  g->nodes = g_new0 (SNode, g->n_nodes);
  g->conds = g_ptr_array_new ();
  g->fees = g_array_new (FALSE, FALSE, sizeof (FeeSlot));
  g->whens = g_array_new (FALSE, FALSE, sizeof (Formula));
  g->limits = g_ptr_array_new ();
  g_autoptr (GHashTable) join_slots = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < g->n_nodes; i++)
    {
      const PsimNode *n = g_ptr_array_index (v->nodes, i);
      if (n->kind == PSIM_NODE_JOIN)
        g_hash_table_insert (join_slots, (gpointer) n, GUINT_TO_POINTER (g->n_joins++));
    }
  for (guint i = 0; i < g->n_nodes; i++)
    {
      const PsimNode *n = g_ptr_array_index (v->nodes, i);
      SNode *s = &g->nodes[i];
      s->kind = n->kind;
      s->node = n;
      s->resource = -1;
      s->limit = -1;
      s->cond_slot = -1;
      if (n == v->start)
        g->start = i;
      if (n->kind == PSIM_NODE_START || n->kind == PSIM_NODE_STEP || n->kind == PSIM_NODE_JOIN)
        {
          const PsimNode *next = n->next.target;
          if (next == NULL)
            {
              g_set_error (error, PSIM_SIM_ERROR, PSIM_SIM_ERROR_MODEL,
                           psim_gettext (lang, "node '%s' has no successor"), n->id);
              return FALSE;
            }
          s->next = next->index;
        }
      if (n->kind == PSIM_NODE_JOIN)
        s->join_slot = GPOINTER_TO_UINT (g_hash_table_lookup (join_slots, n));
      if (n->kind == PSIM_NODE_CHOICE || n->kind == PSIM_NODE_SPLIT)
        {
          s->n_succ = n->branches->len;
          s->succ = g_new (guint, s->n_succ);
          gboolean conditional = FALSE;
          for (guint b = 0; b < s->n_succ; b++)
            {
              const PsimBranch *br = g_ptr_array_index (n->branches, b);
              s->succ[b] = ((const PsimNode *) br->to.target)->index;
              conditional |= br->when != NULL;
            }
          if (n->kind == PSIM_NODE_SPLIT)
            {
              const PsimNode *join = n->join.target;
              s->join_slot = GPOINTER_TO_UINT (g_hash_table_lookup (join_slots, join));
              g->nodes[join->index].arity = s->n_succ;
            }
          else if (conditional)
            {
              s->cond_slot = (int) g->conds->len;
              g_ptr_array_add (g->conds, (gpointer) n);
              for (guint b = 0; b < s->n_succ; b++)
                {
                  const PsimBranch *br = g_ptr_array_index (n->branches, b);
                  Formula f;
                  formula_init (&f, g, sim->proc, br->when);
                  g_array_append_val (g->whens, f);
                }
            }
          else
            {
              s->cum = g_new (double, s->n_succ);
              double c = 0;
              for (guint b = 0; b < s->n_succ; b++)
                {
                  const PsimBranch *br = g_ptr_array_index (n->branches, b);
                  c += br->has_probability ? br->probability : 0;
                  s->cum[b] = c;
                }
              if (!(c > 0))
                {
                  g_set_error (error, PSIM_SIM_ERROR, PSIM_SIM_ERROR_MODEL,
                               psim_gettext (lang, "choice '%s' has neither conditions nor probabilities"), n->id);
                  return FALSE;
                }
              for (guint b = 0; b < s->n_succ; b++)
                s->cum[b] /= c;
            }
        }
      if (n->kind != PSIM_NODE_STEP)
        continue;
      s->dur = psim_step_get_duration_dist (n);
      s->unit = n->duration.q.unit;
      s->effort = n->effort.set ? n->effort.q.likely : 0;
      s->visit = n->visit;
      const PsimSimService *sv = find_service (sim->spec, n);
      if (sv != NULL && sv->resource.target != NULL)
        {
          for (guint r = 0; r < sim->n_res; r++)
            if (sim->res[r] == sv->resource.target)
              s->resource = (int) r;
          s->service = &sv->dist;
          s->priority = sv->priority;
        }
      s->fee_first = g->fees->len;
      s->n_fees = n->fees->len;
      for (guint f = 0; f < n->fees->len; f++)
        {
          const PsimFee *fee = g_ptr_array_index (n->fees, f);
          FeeSlot slot = { .fee = fee, .fixed = fee->has_amount, .amount = fee->amount,
                           .tax = fee->kind == PSIM_FEE_TAX };
          if (!slot.fixed)
            formula_init (&slot.formula, g, sim->proc, fee->expr);
          g_array_append_val (g->fees, slot);
        }
      if (n->time_limit.set)
        {
          s->limit = (int) g->limits->len;
          s->limit_value = n->time_limit.q.likely;
          s->limit_unit = n->time_limit.q.unit;
          g_ptr_array_add (g->limits, (gpointer) n);
        }
    }
  return TRUE;
}

static PsimCalendar *
build_calendar (const PsimSimSpec *spec, const PsimProcedure *proc, const GDate *start,
                const char *lang, GError **error)
{
  PsimCalendarSpec cs = { .weekdays = spec->weekdays, .cut_off = spec->cut_off, .lang = lang };
  static const double default_hours[] = { 8, 12, 13, 17 };
  if (start != NULL)
    cs.start = *start;
  else if (spec->has_start)
    cs.start = spec->start;
  else
    {
      int y = 2026, m = 1, d = 5;
      g_date_clear (&cs.start, 1);
      if (proc->date == NULL || sscanf (proc->date, "%4d-%2d-%2d", &y, &m, &d) != 3
          || !g_date_valid_dmy (d, m, y))
        y = 2026, m = 1, d = 5;
      g_date_set_dmy (&cs.start, d, m, y);
    }
  if (spec->hours->len >= 2)
    {
      cs.hours = (const double *) (gpointer) spec->hours->data;
      cs.n_intervals = spec->hours->len / 2;
    }
  else
    {
      cs.hours = default_hours;
      cs.n_intervals = 2;
    }
  if (spec->days != NULL)
    {
      cs.days = (const PsimCalendarDay *) (gpointer) spec->days->data;
      cs.n_days = spec->days->len;
    }
  return psim_calendar_new (&cs, error);
}

PsimSim *
psim_sim_new (PsimProcedure *proc, const PsimVariant *variant, const PsimVariant *other,
              const char *lang, GError **error)
{
  g_return_val_if_fail (proc != NULL && variant != NULL, NULL);
  g_autoptr (PsimSim) sim = g_new0 (PsimSim, 1);
  sim->proc = psim_procedure_ref (proc);
  sim->lang = psim_lang_normalize (lang);
  sim->spec = psim_sim_spec_ensure (proc);
  sim->n_res = sim->spec->resources->len;
  sim->res = (PsimSimResource **) sim->spec->resources->pdata;
  sim->n_variants = other != NULL ? 2 : 1;
  sim->sample_param = g_new0 (guint, MAX (sim->spec->samples->len, 1));
  for (guint i = 0; i < sim->spec->samples->len; i++)
    {
      const PsimSimSample *sm = g_ptr_array_index (sim->spec->samples, i);
      sim->sample_param[i] = param_index (proc, sm->param.target);
    }
  for (guint v = 0; v < sim->n_variants; v++)
    {
      if (!compile (sim, &sim->graph[v], v == 0 ? variant : other, error))
        return NULL;
      sim->n_fig[v] = PSIM_FIG_N + sim->n_res * PSIM_RES_N + sim->graph[v].limits->len;
      sim->values[v] = g_array_new (FALSE, TRUE, sizeof (double));
    }
  return g_steal_pointer (&sim);
}

void
psim_sim_free (PsimSim *sim)
{
  if (sim == NULL)
    return;
  for (guint v = 0; v < 2; v++)
    {
      graph_clear (&sim->graph[v]);
      if (sim->values[v] != NULL)
        g_array_unref (sim->values[v]);
      g_free (sim->hist[v]);
    }
  psim_calendar_free (sim->cal);
  psim_procedure_unref (sim->proc);
  g_free (sim->sample_param);
  g_free (sim);
}

const PsimCalendar *
psim_sim_get_calendar (const PsimSim *sim)
{
  return sim->cal;
}

void
psim_sim_set_log (PsimSim *sim, PsimSimEventFunc on_event, PsimSimCaseFunc on_case_done,
                  gpointer user_data)
{
  sim->on_event = on_event;
  sim->on_case = on_case_done;
  sim->log_data = user_data;
}

void
psim_sim_set_progress (PsimSim *sim, PsimSimProgressFunc func, gpointer user_data)
{
  sim->on_progress = func;
  sim->progress_data = user_data;
}

/* ---- the event list -------------------------------------------------------- */

/* An event: its time as an integer of the same order (time_key ()), then
 * the order it was scheduled in (which breaks ties first come, first
 * served) with its kind in the low bits; compared as one 128-bit number. */
typedef struct {
  guint64 key;
  guint64 seq_kind;
  gpointer item;
} Event;

__extension__ typedef unsigned __int128 EventOrder;

#define SIGN_BIT (G_GUINT64_CONSTANT (1) << 63)

/* An integer that orders as @t does among doubles (not NaN): the bits of
 * a positive number with the sign bit set, those of a negative one
 * inverted. -0 counts as +0, the same instant. */
static inline guint64
time_key (double t)
{
  guint64 b;
  t += 0.0;
  memcpy (&b, &t, sizeof b);
  return (b & SIGN_BIT) ? ~b : b | SIGN_BIT;
}

static inline double
key_time (guint64 key)
{
  guint64 b = (key & SIGN_BIT) ? key & ~SIGN_BIT : ~key;
  double t;
  memcpy (&t, &b, sizeof t);
  return t;
}

#define EV_KIND_BITS 3
#define EV_KIND(e) ((guint) ((e)->seq_kind & ((1u << EV_KIND_BITS) - 1)))

/* A 4-ary min-heap on (t, seq_kind). heap_pop () leaves its slot empty
 * (hole) instead of moving the last event into it at once: the event a
 * handler schedules next then takes the slot with one sift down, which
 * spares a pop and a push their two passes. The order of events is
 * unchanged: keys are unique, any heap gives them in the same order. */
typedef struct {
  Event *a;
  guint n, cap;
  guint64 seq;
  gboolean hole; /* a[0] has been popped and not yet refilled */
} Heap;

static inline gboolean
ev_less (const Event *x, const Event *y)
{
  return ((EventOrder) x->key << 64 | x->seq_kind) < ((EventOrder) y->key << 64 | y->seq_kind);
}

static inline guint
heap_size (const Heap *h)
{
  return h->n - (guint) h->hole;
}

/* Puts @e at slot @i or below, where it belongs among a[i]'s subtree. */
static inline void
sift_down (Heap *h, guint i, Event e)
{
  Event *a = h->a;
  guint n = h->n;
  for (;;)
    {
      guint c = 4 * i + 1;
      if (c >= n)
        break;
      guint m = c;
      if (c + 4 <= n)
        {
          /* the usual case, unrolled */
          guint m2 = ev_less (&a[c + 3], &a[c + 2]) ? c + 3 : c + 2;
          m = ev_less (&a[c + 1], &a[c]) ? c + 1 : c;
          if (ev_less (&a[m2], &a[m]))
            m = m2;
        }
      else
        for (guint k = c + 1; k < n; k++)
          if (ev_less (&a[k], &a[m]))
            m = k;
      if (!ev_less (&a[m], &e))
        break;
      a[i] = a[m];
      i = m;
    }
  a[i] = e;
}

/* Refills the hole with the last event. */
static inline void
heap_settle (Heap *h)
{
  if (!h->hole)
    return;
  h->hole = FALSE;
  Event last = h->a[--h->n];
  if (h->n > 0)
    sift_down (h, 0, last);
}

static void
heap_push (Heap *h, double t, guint kind, gpointer item)
{
  Event e = { time_key (t), (h->seq++ << EV_KIND_BITS) | kind, item };
  if (h->hole)
    {
      h->hole = FALSE;
      sift_down (h, 0, e);
      return;
    }
  if (h->n == h->cap)
    {
      h->cap = h->cap ? 2 * h->cap : 64;
      h->a = g_renew (Event, h->a, h->cap);
    }
  guint i = h->n++;
  while (i > 0)
    {
      guint p = (i - 1) / 4;
      if (!ev_less (&e, &h->a[p]))
        break;
      h->a[i] = h->a[p];
      i = p;
    }
  h->a[i] = e;
}

/* The first event (the heap must not be empty). */
static inline Event
heap_pop (Heap *h)
{
  heap_settle (h);
  h->hole = TRUE;
  return h->a[0];
}

/* ---- one replication ----------------------------------------------------- */

/* Blocks of one size for a run's tokens and cases: carved from chunks,
 * recycled through a free list, all given back with the run (also when it
 * stops on an error, whatever is still in flight). */
typedef struct {
  gsize size;      /* a multiple of 8, at least a pointer */
  GPtrArray *chunks;
  gpointer free;   /* released blocks, linked through their first word */
  char *next;      /* the unused rest of the newest chunk */
  guint left;      /* blocks there */
} Pool;

#define POOL_CHUNK_BLOCKS 256

static void
pool_init (Pool *p, gsize size)
{
  p->size = MAX ((size + 7) & ~(gsize) 7, sizeof (gpointer));
  p->chunks = g_ptr_array_new_with_free_func (g_free);
  p->free = NULL;
  p->next = NULL;
  p->left = 0;
}

static gpointer
pool_alloc (Pool *p)
{
  if (p->free != NULL)
    {
      gpointer b = p->free;
      p->free = *(gpointer *) b;
      return b;
    }
  if (p->left == 0)
    {
      p->next = g_malloc (p->size * POOL_CHUNK_BLOCKS);
      g_ptr_array_add (p->chunks, p->next);
      p->left = POOL_CHUNK_BLOCKS;
    }
  gpointer b = p->next;
  p->next += p->size;
  p->left--;
  return b;
}

static inline void
pool_release (Pool *p, gpointer b)
{
  *(gpointer *) b = p->free;
  p->free = b;
}

static void
pool_clear (Pool *p)
{
  g_ptr_array_unref (p->chunks);
}

/* EV_CAPACITY: an office's number of clerks may have risen (a shift
 * starts or ends) while people wait; its item is the office's index + 1. */
enum { EV_ARRIVAL, EV_TOKEN, EV_SERVED, EV_STEP_DONE, EV_CAPACITY };

typedef struct {
  guint64 id;
  double filed;
  double work_filed;
  gboolean counted;
  gboolean over_any;
  guint tokens;
  double effort, fees, taxes;
  guint visits, steps;
  PsimRng rng;
  guint8 *joins;  /* arrivals per join slot */
  int *conds;     /* branch per conditional choice */
  double *fee;    /* amount per fee slot */
} Case;

typedef struct {
  Case *c;
  guint node;
  double step_start; /* arrival at the step */
  double queued;     /* when it joined the queue */
} Token;

typedef struct {
  guint busy;
  gboolean recheck; /* an EV_CAPACITY is pending */
  Heap queue; /* tokens, keyed on (−priority, order) */
  double wait_sum;
  guint64 served;
  double busy_work;
  double area;      /* queue length × working hours */
  double last_work; /* working time of the last queue change */
} Office;

typedef struct {
  PsimSim *sim;
  const Graph *g;
  guint rep;
  guint variant;
  PsimCase *pcase; /* the thread's, for expressions */
  double *vals;    /* the case data by param, for the plain formulas */
  Heap events;
  Office *office;
  double warm;      /* clock hours */
  double warm_work;
  double last_time;
  /* counted cases */
  guint64 n;
  double sum_lead, sum_lead_wd, sum_effort, sum_visits, sum_steps, sum_cost, sum_taxes;
  guint64 over_any;
  guint64 *lim_reach, *lim_over;
  PsimFineHist *fine;
  guint64 *hist;
  guint64 step_events;
  Pool tokens, cases;
  GError *error;
  gboolean log;
  /* the working time of the last two instants asked for (most events ask
   * for their own time several times) */
  double memo_t[2], memo_w[2];
} Run;

/* psim_calendar_work_at (), remembered for the last two instants. */
static inline double
work_at (Run *r, double t)
{
  if (t == r->memo_t[0])
    return r->memo_w[0];
  if (t == r->memo_t[1])
    return r->memo_w[1];
  double w = psim_calendar_work_at (r->sim->cal, t);
  r->memo_t[1] = r->memo_t[0];
  r->memo_w[1] = r->memo_w[0];
  r->memo_t[0] = t;
  r->memo_w[0] = w;
  return w;
}

/* psim_calendar_add_work (), with work_at (). */
static inline double
add_work (Run *r, double t, double hours)
{
  if (hours <= 0)
    return t;
  return psim_calendar_time_at (r->sim->cal, work_at (r, t) + hours);
}

static Token *
token_new (Run *r, Case *c, guint node)
{
  Token *t = pool_alloc (&r->tokens);
  t->c = c;
  t->node = node;
  c->tokens++;
  return t;
}

static void
token_free (Run *r, Token *t)
{
  pool_release (&r->tokens, t);
}

static double
span_hours (Run *r, double from, double to, PsimTimeUnit unit)
{
  if (unit == PSIM_UNIT_CALENDAR_DAYS)
    return (to - from) / 24;
  double w = work_at (r, to) - work_at (r, from);
  return unit == PSIM_UNIT_WORKING_DAYS ? w / r->sim->day_hours : w;
}

static void
case_done (Run *r, Case *c, double t)
{
  if (c->counted)
    {
      double lead = (t - c->filed) / 24;
      double lead_wd = (work_at (r, t) - c->work_filed) / r->sim->day_hours;
      r->n++;
      r->sum_lead += lead;
      r->sum_lead_wd += lead_wd;
      r->sum_effort += c->effort;
      r->sum_visits += c->visits;
      r->sum_steps += c->steps;
      r->sum_cost += c->fees;
      r->sum_taxes += c->taxes;
      r->over_any += c->over_any;
      psim_fine_hist_add (r->fine, lead * 24);
      double width = HIST_MIN_WIDTH;
      guint b = (guint) (lead / width);
      r->hist[b < HIST_BINS ? b : HIST_BINS - 1]++;
    }
  if (r->log && r->sim->on_case != NULL)
    r->sim->on_case (c->id, r->sim->log_data);
  pool_release (&r->cases, c);
}

/* Binds the case data drawn for case @id and decides what depends on it. */
static gboolean
case_start (Run *r, Case *c)
{
  PsimSim *sim = r->sim;
  const Graph *g = r->g;
  const PsimSimSpec *spec = sim->spec;
  if (spec->samples->len > 0 || g->conds->len > 0 || g->fees->len > 0)
    {
      PsimRng data;
      psim_rng_init_stream (&data, sim->opt.seed ^ ((guint64) r->rep << 40), STREAM_DATA, c->id);
      for (guint i = 0; i < spec->samples->len; i++)
        {
          const PsimSimSample *sm = g_ptr_array_index (spec->samples, i);
          double value = sm->is_probability ? psim_rng_double (&data) < sm->probability
                                            : psim_dist_sample (&sm->dist, &data);
          if (g->slow ? !psimp_case_bind_value (r->pcase, sm->param.target, value, &r->error)
                      : !psimp_param_check_value (sm->param.target, value, sim->lang, &r->error))
            return FALSE;
          r->vals[sim->sample_param[i]] = value;
        }
      const Formula *when = (const Formula *) (gconstpointer) g->whens->data;
      for (guint i = 0; i < g->conds->len; i++)
        {
          const PsimNode *n = g_ptr_array_index (g->conds, i);
          int chosen = -1, fallback = -1;
          for (guint b = 0; b < n->branches->len; b++, when++)
            {
              const PsimBranch *br = g_ptr_array_index (n->branches, b);
              gboolean holds = FALSE;
              if (chosen >= 0)
                continue;
              if (br->when == NULL)
                {
                  fallback = (int) b;
                  continue;
                }
              if (when->expr != NULL)
                holds = formula_boolean (when, r->vals);
              else if (!psim_case_eval_branch (r->pcase, n, b, &holds, &r->error))
                return FALSE;
              if (holds)
                chosen = (int) b;
            }
          c->conds[i] = chosen >= 0 ? chosen : fallback;
        }
      for (guint i = 0; i < g->fees->len; i++)
        {
          const FeeSlot *f = &g_array_index (g->fees, FeeSlot, i);
          if (f->fixed)
            c->fee[i] = f->amount;
          else if (f->formula.expr != NULL)
            {
              c->fee[i] = formula_number (&f->formula, r->vals);
              if (!psimp_fee_check_amount (f->fee, c->fee[i], sim->lang, &r->error))
                return FALSE;
            }
          else if (!psim_case_eval_fee (r->pcase, f->fee, &c->fee[i], &r->error))
            return FALSE;
        }
    }
  return TRUE;
}

static void
log_event (Run *r, const Token *t, const SNode *s, const char *lifecycle, double time)
{
  if (!r->log || r->sim->on_event == NULL)
    return;
  const char *res = s->resource >= 0 && !r->sim->opt.no_queues ? r->sim->res[s->resource]->id : NULL;
  r->sim->on_event (t->c->id, s->node, res, lifecycle, time, r->sim->log_data);
}

static void
office_queue_change (Run *r, Office *o, double t, int delta)
{
  double w = work_at (r, t);
  if (w > r->warm_work)
    {
      double from = o->last_work > r->warm_work ? o->last_work : r->warm_work;
      o->area += (double) heap_size (&o->queue) * (w - from);
    }
  o->last_work = w;
  (void) delta;
}

/* The clerks of resource @res at clock time @t (its shift's, else its
 * capacity). */
static guint
capacity_at (const PsimSimResource *res, double t)
{
  double tod = fmod (t, 24);
  for (guint i = 0; i < res->shifts->len; i++)
    {
      const PsimSimShift *sh = &g_array_index (res->shifts, PsimSimShift, i);
      if (tod >= sh->from && tod < sh->to)
        return sh->clerks;
    }
  return res->capacity;
}

/* Whether office @o can take one more applicant at @now: counted at the
 * time the service would begin (the next opening). */
static gboolean
office_has_clerk (const Run *r, guint o, double now)
{
  const PsimSimResource *res = r->sim->res[o];
  guint cap = res->shifts->len == 0 ? res->capacity
                                    : capacity_at (res, psim_calendar_next_open (r->sim->cal, now));
  return r->office[o].busy < cap;
}

/* For an office with shifts and people waiting: an EV_CAPACITY at the next
 * shift boundary after @now, unless one is pending. */
static void
office_schedule_recheck (Run *r, guint o, double now)
{
  const PsimSimResource *res = r->sim->res[o];
  Office *of = &r->office[o];
  if (res->shifts->len == 0 || of->recheck || heap_size (&of->queue) == 0)
    return;
  double tod = fmod (now, 24), day = now - tod, next = G_MAXDOUBLE;
  for (guint i = 0; i < res->shifts->len; i++)
    {
      const PsimSimShift *sh = &g_array_index (res->shifts, PsimSimShift, i);
      double b[2] = { sh->from, sh->to };
      for (guint k = 0; k < 2; k++)
        next = MIN (next, b[k] > tod ? day + b[k] : day + 24 + b[k]);
    }
  of->recheck = TRUE;
  heap_push (&r->events, next, EV_CAPACITY, GUINT_TO_POINTER (o + 1));
}

static void
start_service (Run *r, Token *t, double now)
{
  const SNode *s = &r->g->nodes[t->node];
  Office *o = &r->office[s->resource];
  const PsimCalendar *cal = r->sim->cal;
  double begin = psim_calendar_next_open (cal, now);
  double service = psim_dist_sample (s->service, &t->c->rng);
  double end = add_work (r, begin, service);
  o->busy++;
  if (begin >= r->warm)
    {
      o->wait_sum += work_at (r, begin) - work_at (r, t->queued);
      o->served++;
      o->busy_work += service;
    }
  log_event (r, t, s, "start", begin);
  heap_push (&r->events, end, EV_SERVED, t);
}

static void
run_step_delay (Run *r, Token *t, double now)
{
  const SNode *s = &r->g->nodes[t->node];
  double end = now;
  if (s->dur != NULL)
    {
      double d = psim_dist_sample (s->dur, &t->c->rng);
      switch (s->unit)
        {
        case PSIM_UNIT_CALENDAR_DAYS: end = now + 24 * d; break;
        case PSIM_UNIT_WORKING_DAYS: end = add_work (r, now, d * r->sim->day_hours); break;
        case PSIM_UNIT_HOURS: default: end = add_work (r, now, d); break;
        }
    }
  heap_push (&r->events, end, EV_STEP_DONE, t);
}

/* Moves token @t from its node at time @now until it waits (a step, a
 * join) or ends. */
static void
advance (Run *r, Token *t, double now)
{
  const Graph *g = r->g;
  for (;;)
    {
      const SNode *s = &g->nodes[t->node];
      switch (s->kind)
        {
        case PSIM_NODE_START:
          t->node = s->next;
          continue;
        case PSIM_NODE_CHOICE:
          if (s->cond_slot >= 0)
            t->node = s->succ[t->c->conds[s->cond_slot]];
          else
            {
              double u = psim_rng_double (&t->c->rng);
              guint b = 0;
              while (b + 1 < s->n_succ && u >= s->cum[b])
                b++;
              t->node = s->succ[b];
            }
          continue;
        case PSIM_NODE_SPLIT:
          t->c->joins[s->join_slot] = 0;
          for (guint b = 1; b < s->n_succ; b++)
            heap_push (&r->events, now, EV_TOKEN, token_new (r, t->c, s->succ[b]));
          t->node = s->succ[0];
          continue;
        case PSIM_NODE_JOIN:
          if (++t->c->joins[s->join_slot] < s->arity)
            {
              t->c->tokens--;
              token_free (r, t);
              return;
            }
          t->node = s->next;
          continue;
        case PSIM_NODE_END:
          {
            Case *c = t->c;
            token_free (r, t);
            if (--c->tokens == 0)
              case_done (r, c, now);
            return;
          }
        case PSIM_NODE_STEP:
        default:
          t->step_start = now;
          if (s->resource >= 0 && !r->sim->opt.no_queues)
            {
              Office *o = &r->office[s->resource];
              t->queued = now;
              if (office_has_clerk (r, (guint) s->resource, now))
                start_service (r, t, now);
              else
                {
                  office_queue_change (r, o, now, +1);
                  double key = r->sim->res[s->resource]->priority ? -(double) s->priority : 0;
                  heap_push (&o->queue, key, 0, t);
                  office_schedule_recheck (r, (guint) s->resource, now);
                }
            }
          else
            {
              log_event (r, t, s, "start", now);
              run_step_delay (r, t, now);
            }
          return;
        }
    }
}

static void
step_done (Run *r, Token *t, double now)
{
  const SNode *s = &r->g->nodes[t->node];
  Case *c = t->c;
  r->step_events++;
  c->steps++;
  c->effort += s->effort;
  c->visits += s->visit;
  for (guint f = 0; f < s->n_fees; f++)
    {
      const FeeSlot *fs = &g_array_index (r->g->fees, FeeSlot, s->fee_first + f);
      if (fs->tax)
        c->taxes += c->fee[s->fee_first + f];
      else
        c->fees += c->fee[s->fee_first + f];
    }
  if (s->limit >= 0)
    {
      gboolean over = span_hours (r, t->step_start, now, s->limit_unit) > s->limit_value + 1e-9;
      if (c->counted)
        {
          r->lim_reach[s->limit]++;
          r->lim_over[s->limit] += over;
        }
      c->over_any |= over;
    }
  log_event (r, t, s, "complete", now);
  t->node = s->next;
  advance (r, t, now);
}

typedef struct {
  PsimRng rng;
  double work;   /* working-time position of the last arrival */
  guint64 made;
} Arrivals;

/* The clock time of the next arrival, or a negative number when none. */
static double
next_arrival (Run *r, Arrivals *a)
{
  const PsimSimSpec *spec = r->sim->spec;
  const PsimCalendar *cal = r->sim->cal;
  if (a->made >= r->sim->opt.cases)
    return -1;
  a->made++;
  switch (spec->arrivals)
    {
    case PSIM_ARRIVALS_LIST:
      if (a->made > spec->times->len)
        return -1;
      return g_array_index (spec->times, double, a->made - 1);
    case PSIM_ARRIVALS_PROFILE:
      {
        double peak = 0;
        for (guint i = 0; i + 2 < spec->profile->len; i += 3)
          peak = MAX (peak, g_array_index (spec->profile, double, i + 2));
        if (peak <= 0)
          return -1;
        for (;;)
          {
            a->work += -log1p (-psim_rng_double (&a->rng)) / peak;
            double t = psim_calendar_time_at (cal, a->work);
            double tod = fmod (t, 24), rate = 0;
            for (guint i = 0; i + 2 < spec->profile->len; i += 3)
              if (tod >= g_array_index (spec->profile, double, i)
                  && tod < g_array_index (spec->profile, double, i + 1))
                rate = g_array_index (spec->profile, double, i + 2);
            if (psim_rng_double (&a->rng) * peak < rate)
              return t;
          }
      }
    case PSIM_ARRIVALS_POISSON:
    case PSIM_ARRIVALS_NONE:
    default:
      {
        double rate = spec->arrivals == PSIM_ARRIVALS_NONE ? 1
                      : spec->rate > 0 ? spec->rate : -spec->rate / r->sim->day_hours;
        a->work += -log1p (-psim_rng_double (&a->rng)) / rate;
        return psim_calendar_time_at (cal, a->work);
      }
    }
}

/* Takes the applicants waiting at office @o while it has a free clerk. */
static void
serve_waiting (Run *r, guint o, double now)
{
  Office *of = &r->office[o];
  while (heap_size (&of->queue) > 0 && office_has_clerk (r, o, now))
    {
      office_queue_change (r, of, now, -1);
      Event q = heap_pop (&of->queue);
      start_service (r, q.item, now);
    }
  office_schedule_recheck (r, o, now);
}

/* What a thread counts over its replications, added up at the end. */
typedef struct {
  guint64 step_events;
  guint64 cases[2];
  double max_time;
} Totals;

/* Runs replication @rep of variant @v; writes its figures to @out. */
static gboolean
run_replication (PsimSim *sim, guint rep, guint v, PsimCase *pcase, PsimFineHist *fine,
                 guint64 *hist, Totals *tot, double *out, GError **error)
{
  const Graph *g = &sim->graph[v];
  Run r = { .sim = sim, .g = g, .rep = rep, .variant = v, .pcase = pcase, .fine = fine,
            .hist = hist, .log = rep == 0 && v == 0 };
  r.office = g_new0 (Office, MAX (sim->n_res, 1));
  r.vals = g_new (double, MAX (sim->proc->params->len, 1));
  for (guint i = 0; i < sim->proc->params->len; i++)
    r.vals[i] = psimp_case_get_value (pcase, g_ptr_array_index (sim->proc->params, i));
  r.lim_reach = g_new0 (guint64, MAX (g->limits->len, 1));
  r.lim_over = g_new0 (guint64, MAX (g->limits->len, 1));
  r.memo_t[0] = r.memo_t[1] = NAN;
  r.warm = sim->opt.warm_up_days * 24;
  r.warm_work = psim_calendar_work_at (sim->cal, r.warm);
  psim_fine_hist_clear (fine);

  Arrivals arr = { 0 };
  psim_rng_init_stream (&arr.rng, sim->opt.seed, STREAM_ARRIVALS, rep);
  double t0 = next_arrival (&r, &arr);
  if (t0 >= 0)
    heap_push (&r.events, t0, EV_ARRIVAL, NULL);
  guint64 next_id = 0;
  gsize extra = sizeof (guint8) * g->n_joins + sizeof (int) * g->conds->len
                + sizeof (double) * g->fees->len;
  gsize case_size = sizeof (Case) + extra;
  pool_init (&r.cases, case_size);
  pool_init (&r.tokens, sizeof (Token));

  while (heap_size (&r.events) > 0 && r.error == NULL)
    {
      Event e = heap_pop (&r.events);
      double now = key_time (e.key);
      r.last_time = now;
      switch (EV_KIND (&e))
        {
        case EV_ARRIVAL:
          {
            /* Room for the per-case arrays after the struct, doubles first. */
            Case *c = memset (pool_alloc (&r.cases), 0, case_size);
            c->id = next_id++;
            c->fee = (double *) (gpointer) (c + 1);
            c->conds = (int *) (gpointer) (c->fee + g->fees->len);
            c->joins = (guint8 *) (c->conds + g->conds->len);
            c->filed = psim_calendar_file (sim->cal, now);
            c->work_filed = work_at (&r, c->filed);
            c->counted = c->filed >= r.warm;
            psim_rng_init_stream (&c->rng, sim->opt.seed ^ ((guint64) rep << 40), STREAM_PATH, c->id);
            if (!case_start (&r, c))
              {
                pool_release (&r.cases, c);
                break;
              }
            heap_push (&r.events, c->filed, EV_TOKEN, token_new (&r, c, g->start));
            double tn = next_arrival (&r, &arr);
            if (tn >= 0)
              heap_push (&r.events, MAX (tn, now), EV_ARRIVAL, NULL);
            break;
          }
        case EV_TOKEN:
          advance (&r, e.item, now);
          break;
        case EV_SERVED:
          {
            Token *t = e.item;
            const SNode *s = &g->nodes[t->node];
            Office *o = &r.office[s->resource];
            o->busy--;
            serve_waiting (&r, (guint) s->resource, now);
            run_step_delay (&r, t, now);
            break;
          }
        case EV_CAPACITY:
          {
            guint o = GPOINTER_TO_UINT (e.item) - 1;
            r.office[o].recheck = FALSE;
            serve_waiting (&r, o, now);
            break;
          }
        case EV_STEP_DONE:
        default:
          step_done (&r, e.item, now);
          break;
        }
    }

  gboolean ok = r.error == NULL;
  if (!ok)
    g_propagate_error (error, r.error);

  double n = r.n > 0 ? (double) r.n : NAN;
  out[PSIM_FIG_LEAD_MEAN] = r.sum_lead / n;
  out[PSIM_FIG_LEAD_MEDIAN] = psim_fine_hist_quantile (fine, 0.5) / 24;
  out[PSIM_FIG_LEAD_P90] = psim_fine_hist_quantile (fine, 0.9) / 24;
  out[PSIM_FIG_LEAD_P95] = psim_fine_hist_quantile (fine, 0.95) / 24;
  out[PSIM_FIG_LEAD_WORKING_DAYS] = r.sum_lead_wd / n;
  out[PSIM_FIG_APPLICANT_HOURS] = r.sum_effort / n;
  out[PSIM_FIG_VISITS] = r.sum_visits / n;
  out[PSIM_FIG_STEPS] = r.sum_steps / n;
  out[PSIM_FIG_COST] = r.sum_cost / n;
  out[PSIM_FIG_TAXES] = r.sum_taxes / n;
  out[PSIM_FIG_OVER_ANY_LIMIT] = (double) r.over_any / n;
  double window = psim_calendar_work_at (sim->cal, r.last_time) - r.warm_work;
  for (guint o = 0; o < sim->n_res; o++)
    {
      Office *of = &r.office[o];
      double cap = sim->res[o]->mean_capacity;
      out[FIG_RES (g, o, PSIM_RES_WAIT_HOURS)] = of->served > 0 ? of->wait_sum / of->served : NAN;
      out[FIG_RES (g, o, PSIM_RES_UTILISATION)] = window > 0 ? of->busy_work / (cap * window) : NAN;
      out[FIG_RES (g, o, PSIM_RES_QUEUE_MEAN)] = window > 0 ? of->area / window : NAN;
      out[FIG_RES (g, o, PSIM_RES_SERVED)] = (double) of->served;
      g_free (of->queue.a);
    }
  for (guint i = 0; i < g->limits->len; i++)
    out[PSIM_FIG_N + sim->n_res * PSIM_RES_N + i]
      = r.lim_reach[i] > 0 ? (double) r.lim_over[i] / r.lim_reach[i] : NAN;

  tot->step_events += r.step_events;
  tot->cases[v] += r.n;
  if (r.last_time > tot->max_time)
    tot->max_time = r.last_time;

  /* Cases and tokens still in flight after an error go with their pools. */
  pool_clear (&r.tokens);
  pool_clear (&r.cases);
  g_free (r.events.a);
  g_free (r.office);
  g_free (r.vals);
  g_free (r.lim_reach);
  g_free (r.lim_over);
  return ok;
}

/* ---- replications on threads ------------------------------------------------ */

typedef struct {
  PsimSim *sim;
  guint first, last; /* replications [first, last) */
  gint next;          /* atomic: next replication to take */
  gint done;
  GError *error;
  GMutex lock;
  guint64 *hist[2];
} Batch;

static gpointer
worker (gpointer data)
{
  Batch *b = data;
  PsimSim *sim = b->sim;
  g_autoptr (PsimCase) pcase = psim_case_new (sim->proc);
  psim_case_set_language (pcase, sim->lang);
  PsimFineHist *fine = g_new (PsimFineHist, 1);
  guint64 *hist[2] = { g_new0 (guint64, HIST_BINS), g_new0 (guint64, HIST_BINS) };
  Totals tot = { 0 };
  for (;;)
    {
      guint rep = b->first + (guint) g_atomic_int_add (&b->next, 1);
      if (rep >= b->last)
        break;
      for (guint v = 0; v < sim->n_variants; v++)
        {
          double *out = &g_array_index (sim->values[v], double, (gsize) rep * sim->n_fig[v]);
          GError *error = NULL;
          if (!run_replication (sim, rep, v, pcase, fine, hist[v], &tot, out, &error))
            {
              g_mutex_lock (&b->lock);
              if (b->error == NULL)
                b->error = error;
              else
                g_error_free (error);
              g_mutex_unlock (&b->lock);
              g_atomic_int_set (&b->next, (gint) (b->last - b->first));
            }
        }
      g_atomic_int_inc (&b->done);
    }
  g_mutex_lock (&b->lock);
  for (guint v = 0; v < sim->n_variants; v++)
    {
      for (guint i = 0; i < HIST_BINS; i++)
        b->hist[v][i] += hist[v][i];
      sim->cases[v] += tot.cases[v];
    }
  sim->step_events += tot.step_events;
  sim->max_time = MAX (sim->max_time, tot.max_time);
  g_mutex_unlock (&b->lock);
  g_free (hist[0]);
  g_free (hist[1]);
  g_free (fine);
  return NULL;
}

static gboolean
run_batch (PsimSim *sim, guint first, guint last, guint jobs, GError **error)
{
  for (guint v = 0; v < sim->n_variants; v++)
    g_array_set_size (sim->values[v], (gsize) last * sim->n_fig[v]);
  Batch b = { .sim = sim, .first = first, .last = last };
  g_mutex_init (&b.lock);
  b.hist[0] = sim->hist[0];
  b.hist[1] = sim->hist[1];
  guint n = MAX (MIN (jobs, last - first), 1);
  GThread **threads = g_new (GThread *, n);
  for (guint i = 0; i < n; i++)
    threads[i] = g_thread_new ("psim-sim", worker, &b);
  /* The caller only watches: it reports progress while the threads run. */
  while (sim->on_progress != NULL && (guint) g_atomic_int_get (&b.done) < last - first
         && (guint) g_atomic_int_get (&b.next) < last - first)
    {
      sim->on_progress (first + (guint) g_atomic_int_get (&b.done), last, sim->progress_data);
      g_usleep (100000);
    }
  for (guint i = 0; i < n; i++)
    g_thread_join (threads[i]);
  g_free (threads);
  g_mutex_clear (&b.lock);
  if (b.error != NULL)
    {
      g_propagate_error (error, b.error);
      return FALSE;
    }
  sim->n_reps = last;
  if (sim->on_progress != NULL)
    sim->on_progress (last, last, sim->progress_data);
  return TRUE;
}

/* Whether every headline figure's half-width is within the precision. */
static guint
needed_replications (PsimSim *sim)
{
  static const PsimSimFigure headline[] = {
    PSIM_FIG_LEAD_MEAN, PSIM_FIG_LEAD_P90, PSIM_FIG_APPLICANT_HOURS, PSIM_FIG_COST,
  };
  double worst = 0;
  for (guint v = 0; v < sim->n_variants; v++)
    for (guint i = 0; i < G_N_ELEMENTS (headline); i++)
      {
        PsimEstimate e = psim_sim_get_figure (sim, v, headline[i]);
        double target = sim->opt.precision * fabs (e.mean);
        if (e.half_width > 0 && target > 0)
          worst = MAX (worst, e.half_width / target);
      }
  if (worst <= 1)
    return sim->n_reps;
  /* The half-width shrinks as 1/√n. */
  return (guint) ceil (sim->n_reps * worst * worst * 1.05);
}

gboolean
psim_sim_run (PsimSim *sim, const PsimSimOptions *options, GError **error)
{
  g_return_val_if_fail (sim != NULL && options != NULL, FALSE);
  const char *lang = sim->lang;
  sim->opt = *options;
  sim->opt.start = NULL; /* borrowed for this call only; the calendar keeps it */
  if (sim->opt.replications == 0)
    sim->opt.replications = options->precision > 0 ? 10 : 1;
  if (sim->opt.max_replications == 0)
    sim->opt.max_replications = 10000;
  if (sim->opt.cases == 0)
    {
      g_set_error (error, PSIM_SIM_ERROR, PSIM_SIM_ERROR_OPTION, psim_gettext (lang, "the number of cases must be at least 1"));
      return FALSE;
    }
  psim_calendar_free (sim->cal);
  sim->cal = build_calendar (sim->spec, sim->proc, options->start, lang, error);
  if (sim->cal == NULL)
    return FALSE;
  sim->day_hours = psim_calendar_get_day_hours (sim->cal);
  guint jobs = options->jobs > 0 ? options->jobs : g_get_num_processors ();
  for (guint v = 0; v < sim->n_variants; v++)
    {
      g_free (sim->hist[v]);
      sim->hist[v] = g_new0 (guint64, HIST_BINS);
      g_array_set_size (sim->values[v], 0);
      sim->cases[v] = 0;
    }
  sim->step_events = 0;
  sim->max_time = 0;
  sim->n_reps = 0;
  guint planned = MIN (sim->opt.replications, sim->opt.max_replications);
  if (!run_batch (sim, 0, planned, jobs, error))
    return FALSE;
  while (sim->opt.precision > 0 && sim->n_reps < sim->opt.max_replications)
    {
      guint want = MIN (needed_replications (sim), sim->opt.max_replications);
      if (want <= sim->n_reps)
        break;
      if (!run_batch (sim, sim->n_reps, want, jobs, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- results ------------------------------------------------------------------ */

guint
psim_sim_get_replications (const PsimSim *sim)
{
  return sim->n_reps;
}

PsimProcedure *
psim_sim_get_procedure (const PsimSim *sim)
{
  g_return_val_if_fail (sim != NULL, NULL);
  return sim->proc;
}

guint
psim_sim_get_n_variants (const PsimSim *sim)
{
  g_return_val_if_fail (sim != NULL, 0);
  return sim->n_variants;
}

const char *
psim_sim_get_language (const PsimSim *sim)
{
  g_return_val_if_fail (sim != NULL, NULL);
  return sim->lang;
}

const PsimSimOptions *
psim_sim_get_options (const PsimSim *sim)
{
  g_return_val_if_fail (sim != NULL, NULL);
  return &sim->opt;
}

const PsimVariant *
psim_sim_get_variant (const PsimSim *sim, guint v)
{
  g_return_val_if_fail (v < sim->n_variants, NULL);
  return sim->graph[v].variant;
}

static PsimEstimate
estimate (const PsimSim *sim, guint v, guint index)
{
  PsimEstimate e = { 0 };
  if (v >= sim->n_variants || sim->n_reps == 0)
    return e;
  psim_estimate_from (&e, &g_array_index (sim->values[v], double, index), sim->n_reps, sim->n_fig[v]);
  return e;
}

static PsimEstimate
difference (const PsimSim *sim, guint index_a, guint index_b)
{
  PsimEstimate e = { 0 };
  if (sim->n_variants < 2 || sim->n_reps == 0)
    return e;
  g_autofree double *d = g_new (double, sim->n_reps);
  for (guint r = 0; r < sim->n_reps; r++)
    d[r] = g_array_index (sim->values[1], double, (gsize) r * sim->n_fig[1] + index_b)
           - g_array_index (sim->values[0], double, (gsize) r * sim->n_fig[0] + index_a);
  psim_estimate_from (&e, d, sim->n_reps, 1);
  return e;
}

PsimEstimate
psim_sim_get_figure (const PsimSim *sim, guint v, PsimSimFigure fig)
{
  return estimate (sim, v, fig);
}

PsimEstimate
psim_sim_get_difference (const PsimSim *sim, PsimSimFigure fig)
{
  return difference (sim, fig, fig);
}

guint
psim_sim_get_n_resources (const PsimSim *sim)
{
  return sim->n_res;
}

const char *
psim_sim_get_resource_id (const PsimSim *sim, guint r)
{
  g_return_val_if_fail (r < sim->n_res, NULL);
  return sim->res[r]->id;
}

const PsimActor *
psim_sim_get_resource_actor (const PsimSim *sim, guint r)
{
  g_return_val_if_fail (r < sim->n_res, NULL);
  return sim->res[r]->actor.target;
}

guint
psim_sim_get_resource_capacity (const PsimSim *sim, guint r)
{
  g_return_val_if_fail (r < sim->n_res, 0);
  return sim->res[r]->capacity;
}

double
psim_sim_get_resource_mean_capacity (const PsimSim *sim, guint r)
{
  g_return_val_if_fail (sim != NULL && r < sim->n_res, 0);
  return sim->res[r]->mean_capacity;
}

guint
psim_sim_get_resource_n_shifts (const PsimSim *sim, guint r)
{
  g_return_val_if_fail (sim != NULL && r < sim->n_res, 0);
  return sim->res[r]->shifts->len;
}

PsimEstimate
psim_sim_get_resource_figure (const PsimSim *sim, guint v, guint r, PsimResFigure fig)
{
  return estimate (sim, v, PSIM_FIG_N + r * PSIM_RES_N + fig);
}

PsimEstimate
psim_sim_get_resource_difference (const PsimSim *sim, guint r, PsimResFigure fig)
{
  guint i = PSIM_FIG_N + r * PSIM_RES_N + fig;
  return difference (sim, i, i);
}

guint
psim_sim_get_n_limits (const PsimSim *sim, guint v)
{
  g_return_val_if_fail (v < sim->n_variants, 0);
  return sim->graph[v].limits->len;
}

const PsimNode *
psim_sim_get_limit_step (const PsimSim *sim, guint v, guint i)
{
  g_return_val_if_fail (v < sim->n_variants && i < sim->graph[v].limits->len, NULL);
  return g_ptr_array_index (sim->graph[v].limits, i);
}

PsimEstimate
psim_sim_get_limit_share (const PsimSim *sim, guint v, guint i)
{
  return estimate (sim, v, PSIM_FIG_N + sim->n_res * PSIM_RES_N + i);
}

const guint64 *
psim_sim_get_histogram (const PsimSim *sim, guint v, guint *n_bins, double *width)
{
  g_return_val_if_fail (v < sim->n_variants, NULL);
  if (n_bins != NULL)
    *n_bins = HIST_BINS;
  if (width != NULL)
    *width = HIST_MIN_WIDTH;
  return sim->hist[v];
}

guint64
psim_sim_get_cases (const PsimSim *sim, guint v)
{
  g_return_val_if_fail (v < sim->n_variants, 0);
  return sim->cases[v];
}

guint64
psim_sim_get_step_events (const PsimSim *sim)
{
  return sim->step_events;
}

gboolean
psim_sim_get_past_holidays (const PsimSim *sim, int *last_year)
{
  const PsimSimSpec *spec = sim->spec;
  if (last_year != NULL)
    *last_year = spec->holidays_last_year;
  if (sim->cal == NULL || spec->holidays_last_year == 0)
    return FALSE;
  GDate end;
  psim_calendar_get_date (sim->cal, sim->max_time, &end, NULL);
  return g_date_get_year (&end) > spec->holidays_last_year;
}
