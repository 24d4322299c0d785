/* psim-sim-run.c — one replication of the simulation: cases through a
 * compiled variant, driven by one event list.
 *
 * Cases arrive (Poisson in working time, by time of day, or from a list),
 * are filed on the working calendar (cut-off), draw their data and decide
 * what depends on it (conditions, fees), and move as tokens through the
 * graph: a choice draws its branch or reads it from the case, a split
 * sends a token down each branch and its join waits for all of them, a
 * loop goes round as often as the draws say. At a step with a service at
 * an office (<service>), the token queues for one of the office's clerks
 * (FIFO, or by priority; the number of clerks may follow shifts), is
 * served in working time, then the step's own duration runs on the
 * calendar. A token runs straight through the steps that meet no queue,
 * each one's end computed on the calendar as it goes, without an event
 * of its own: only what another token or case can see (an office, a
 * join) waits in the event list for its time (a case's last token ends
 * the case as soon as it reaches the end, ahead of the clock: its end is
 * only added to sums and the log's traces), and
 * a join's branches wait there as one event, pushed when the last has
 * come, in the place the last of their own would have had.
 * As a case ends, the legal limits above the step (the procedure's, the
 * applicant's duties) are measured on the times its steps ended, marked
 * as they went. Statistics are streamed into sums and a fine histogram, so memory does
 * not grow with the number of cases. Every case draws from its
 * own streams (seed, replication, case, purpose): a replication's figures
 * depend on nothing else, whichever thread runs it, and two variants run
 * on the same arrivals and case data.
 */
#include "psim-calendar-private.h"
#include "psim-rng-private.h"
#include "psim-sim-engine-private.h"
#include "psim-sim-events-private.h"

#include <math.h>
#include <string.h>

/* EV_CAPACITY: an office's number of clerks may have risen (a shift
 * starts or ends) while people wait; its item is the office's index + 1. */
enum { EV_ARRIVAL, EV_TOKEN, EV_SERVED, EV_CAPACITY };

/* A join of a case: the branches that have reached it, and of those that
 * reached it ahead of the clock, the last in the event list's order. */
typedef struct {
  double due;      /* that arrival's time */
  guint64 due_seq; /* and order number (reserved, not pushed) */
  gboolean has_due;
  guint seen;
} JoinState;

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
  JoinState *joins; /* per join slot */
  int *conds;     /* branch per conditional choice */
  double *fee;    /* amount per fee slot */
  /* per limit above the step: the end of its last `from`, that end as it
   * stood at the last `by` (the start of the count), the last `by` */
  double *lim;
  guint8 *seen;   /* per step named by a <when step>: taken */
  guint8 *holds;  /* per <when> of those limits: its test held */
  guint8 *late;   /* per limit: filed after its cut-off */
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
  EventList events;
  Office *office;
  double warm;      /* clock hours */
  double warm_work;
  double last_time;
  double last_end;  /* the latest end of a case */
  double clock;     /* the time of the event being run */
  guint64 clock_seq; /* and its order number (psimp_events_seq ()) */
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
  gboolean log_events; /* log, and the caller takes the steps' events */
  /* the working time of the last two instants asked for (most events ask
   * for their own time several times) */
  double memo_t[2], memo_w[2];
  /* the cases' streams (seed, replication, purpose, case), all but the
   * case worked out once */
  guint64 data_base, path_base;
} Run;

/* psimp_calendar_work_at (), remembered for the last two instants. */
static inline double
work_at (Run *r, double t)
{
  if (t == r->memo_t[0])
    return r->memo_w[0];
  if (t == r->memo_t[1])
    return r->memo_w[1];
  double w = psimp_calendar_work_at (r->sim->cal, t);
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
  return psimp_calendar_time_at (r->sim->cal, work_at (r, t) + hours);
}

static Token *
token_new (Run *r, Case *c, guint node)
{
  Token *t = psimp_pool_alloc (&r->tokens);
  t->c = c;
  t->node = node;
  c->tokens++;
  return t;
}

static void
token_free (Run *r, Token *t)
{
  psimp_pool_release (&r->tokens, t);
}

static double
span_hours (Run *r, double from, double to, PsimTimeUnit unit)
{
  if (unit == PSIM_UNIT_CALENDAR_DAYS)
    return (to - from) / 24;
  double w = work_at (r, to) - work_at (r, from);
  return unit == PSIM_UNIT_WORKING_DAYS ? w / r->sim->day_hours : w;
}

/* The limits above the step, measured on case @c ending at @t: counted
 * for the figures, and the procedure's in the case's "over any limit". */
static void
case_limits_done (Run *r, Case *c, double t)
{
  const Graph *g = r->g;
  for (guint k = 0; k < g->case_limits->len; k++)
    {
      const CaseLimit *cl = &g_array_index (g->case_limits, CaseLimit, k);
      double start = cl->by < 0 ? c->lim[3 * k] : c->lim[3 * k + 1];
      double end = cl->by < 0 ? t : c->lim[3 * k + 2];
      if (isnan (start) || isnan (end))
        continue; /* the case did not take its `from` or `by` step */
      double value = cl->value;
      for (guint i = 0; i < cl->n_whens; i++)
        {
          const LimitWhen *w = &g_array_index (g->limit_whens, LimitWhen, cl->when_first + i);
          if ((w->seen_slot < 0 || c->seen[w->seen_slot])
              && (w->test == NULL || c->holds[cl->when_first + i]))
            {
              value = w->value;
              break;
            }
        }
      double span = span_hours (r, start, end, cl->unit);
      if (c->late[k])
        {
          /* As on a path (psim-path-limits.c): a dossier filed after the
           * cut-off counts from the next working day, a duty's filing is
           * a working day later. */
          double day = cl->unit == PSIM_UNIT_HOURS ? r->sim->day_hours : 1;
          span = cl->duty ? span + day : MAX (span - day, 0);
        }
      gboolean over = span > value + 1e-9;
      if (c->counted)
        {
          r->lim_reach[cl->index]++;
          r->lim_over[cl->index] += over;
        }
      if (!cl->duty)
        c->over_any |= over;
    }
}

static void
case_done (Run *r, Case *c, double t)
{
  if (r->g->case_limits->len > 0)
    case_limits_done (r, c, t);
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
  psimp_pool_release (&r->cases, c);
}

/* Binds the case data drawn for case @id and decides what depends on it. */
static gboolean
case_start (Run *r, Case *c)
{
  PsimSim *sim = r->sim;
  const Graph *g = r->g;
  const PsimSimSpec *spec = sim->spec;
  for (guint k = 0; k < g->case_limits->len; k++)
    {
      const CaseLimit *cl = &g_array_index (g->case_limits, CaseLimit, k);
      c->lim[3 * k] = cl->from < 0 ? c->filed : NAN;
      c->lim[3 * k + 1] = c->lim[3 * k + 2] = NAN;
    }
  if (spec->samples->len > 0 || g->conds->len > 0 || g->fees->len > 0
      || g->limit_whens->len > 0 || g->case_limits->len > 0)
    {
      PsimRng data;
      psimp_rng_init_substream (&data, r->data_base, c->id);
      for (guint i = 0; i < spec->samples->len; i++)
        {
          const PsimSimSample *sm = g_ptr_array_index (spec->samples, i);
          double value = sm->is_probability ? psimp_rng_double (&data) < sm->probability
                                            : psimp_sampler_draw (&sim->sample_dist[i], &data);
          /* A count drawn from a distribution: the nearest whole number. */
          if (((const PsimParam *) sm->param.target)->integer)
            value = round (value);
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
                holds = psimp_formula_boolean (when, r->vals);
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
              c->fee[i] = psimp_formula_number (&f->formula, r->vals);
              if (!psimp_fee_check_amount (f->fee, c->fee[i], sim->lang, &r->error))
                return FALSE;
            }
          else if (!psim_case_eval_fee (r->pcase, f->fee, &c->fee[i], &r->error))
            return FALSE;
        }
      for (guint i = 0; i < g->limit_whens->len; i++)
        {
          const LimitWhen *w = &g_array_index (g->limit_whens, LimitWhen, i);
          gboolean holds = FALSE;
          if (w->test == NULL)
            continue;
          if (w->formula.expr != NULL)
            holds = psimp_formula_boolean (&w->formula, r->vals);
          else if (!psimp_case_eval_condition (r->pcase, w->test, &holds, &r->error))
            return FALSE;
          c->holds[i] = holds;
        }
      for (guint k = 0; k < g->case_limits->len; k++)
        {
          const CaseLimit *cl = &g_array_index (g->case_limits, CaseLimit, k);
          c->late[k] = cl->filed >= 0 && r->vals[cl->filed] > cl->cut_off;
        }
    }
  return TRUE;
}

static void
log_event_emit (Run *r, const Token *t, const SNode *s, const char *lifecycle, double time)
{
  const char *res = s->resource >= 0 && !r->sim->opt.no_queues ? r->sim->res[s->resource]->id : NULL;
  r->sim->on_event (t->c->id, s->node, res, lifecycle, time, r->sim->log_data);
}

/* Tells the log of a step's start or end, when the run has one. */
static inline void
log_event (Run *r, const Token *t, const SNode *s, const char *lifecycle, double time)
{
  if (G_UNLIKELY (r->log_events))
    log_event_emit (r, t, s, lifecycle, time);
}

static void
office_queue_change (Run *r, Office *o, double t, int delta)
{
  double w = work_at (r, t);
  if (w > r->warm_work)
    {
      double from = o->last_work > r->warm_work ? o->last_work : r->warm_work;
      o->area += (double) psimp_heap_size (&o->queue) * (w - from);
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
                                    : capacity_at (res, psimp_calendar_next_open (r->sim->cal, now));
  return r->office[o].busy < cap;
}

/* For an office with shifts and people waiting: an EV_CAPACITY at the next
 * shift boundary after @now, unless one is pending. */
static void
office_schedule_recheck (Run *r, guint o, double now)
{
  const PsimSimResource *res = r->sim->res[o];
  Office *of = &r->office[o];
  if (res->shifts->len == 0 || of->recheck || psimp_heap_size (&of->queue) == 0)
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
  psimp_events_push (&r->events, next, EV_CAPACITY, GUINT_TO_POINTER (o + 1));
}

static void
start_service (Run *r, Token *t, double now)
{
  const SNode *s = &r->g->nodes[t->node];
  Office *o = &r->office[s->resource];
  const PsimCalendar *cal = r->sim->cal;
  double begin = psimp_calendar_next_open (cal, now);
  double service = psimp_sampler_draw (s->service, &t->c->rng);
  double end = add_work (r, begin, service);
  o->busy++;
  if (begin >= r->warm)
    {
      o->wait_sum += work_at (r, begin) - work_at (r, t->queued);
      o->served++;
      o->busy_work += service;
    }
  log_event (r, t, s, "start", begin);
  psimp_events_push (&r->events, end, EV_SERVED, t);
}

/* The end of step @s's own duration, drawn for @c, begun at @now. */
static double
step_end (Run *r, const SNode *s, Case *c, double now)
{
  if (s->dur == NULL)
    return now;
  double d = psimp_sampler_draw (s->dur, &c->rng);
  switch (s->unit)
    {
    case PSIM_UNIT_CALENDAR_DAYS: return now + 24 * d;
    case PSIM_UNIT_WORKING_DAYS: return add_work (r, now, d * r->sim->day_hours);
    case PSIM_UNIT_HOURS: default: return add_work (r, now, d);
    }
}

/* Step @s of token @t ends at @now: its figures added to the case's. */
static void
step_finish (Run *r, Token *t, const SNode *s, double now)
{
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
  if (s->seen_slot >= 0)
    c->seen[s->seen_slot] = 1;
  for (guint m = 0; m < s->n_marks; m++)
    {
      const LimitMark *mk = &g_array_index (r->g->marks, LimitMark, s->mark_first + m);
      double *lim = &c->lim[3 * mk->limit];
      if (mk->by)
        {
          lim[1] = lim[0];
          lim[2] = now;
        }
      else
        lim[0] = now;
    }
  log_event (r, t, s, "complete", now);
}

/* Moves token @t from its node at time @now until it waits at an office
 * or a join, or ends. Steps that meet no queue are run straight through:
 * each one's end computed on the calendar as it begins, the token's time
 * moving ahead of the event being run (r->clock). What other tokens and
 * cases can see (an office's queue, a join, the end of the case) waits
 * for its time as an event. */
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
              double u = psimp_rng_double (&t->c->rng);
              guint b = 0;
              while (b + 1 < s->n_succ && u >= s->cum[b])
                b++;
              t->node = s->succ[b];
            }
          continue;
        case PSIM_NODE_SPLIT:
          t->c->joins[s->join_slot] = (JoinState) { .seen = 0 };
          for (guint b = 1; b < s->n_succ; b++)
            psimp_events_push (&r->events, now, EV_TOKEN, token_new (r, t->c, s->succ[b]));
          t->node = s->succ[0];
          continue;
        case PSIM_NODE_JOIN:
          {
            /* A branch that reaches its join ahead of the clock would wait
             * there as an event of its own (its time, the next order
             * number), and the branches go on as one from the last, in the
             * event list's order, of those events and of the arrivals at
             * the clock. Which one is last is known when all have come:
             * only then is an event pushed, with the time and order number
             * of the last, so a split costs its join one event instead of
             * one per branch ahead. */
            JoinState *j = &t->c->joins[s->join_slot];
            gboolean ahead = now > r->clock;
            guint64 seq = ahead ? psimp_events_reserve_seq (&r->events) : 0;
            /* This arrival comes later than the last due one (order
             * numbers grow): at the same time or after. */
            if (ahead && (!j->has_due || now >= j->due))
              {
                j->has_due = TRUE;
                j->due = now;
                j->due_seq = seq;
              }
            if (++j->seen < s->arity)
              {
                t->c->tokens--;
                token_free (r, t);
                return;
              }
            t->node = s->next;
            /* The last of the arrivals, after the event being run: go on
             * from it when its event comes. */
            if (j->has_due
                && (j->due > r->clock || (j->due == r->clock && j->due_seq > r->clock_seq)))
              {
                psimp_events_push_seq (&r->events, j->due, j->due_seq, EV_TOKEN, t);
                return;
              }
            continue;
          }
        case PSIM_NODE_END:
          {
            /* A case's last token ends it at once, even ahead of the
             * clock: nothing else can see its end (it is added to sums,
             * and the log has had all its events). A token with others
             * still running waits for its time, for their join. */
            if (now > r->clock && t->c->tokens > 1)
              {
                psimp_events_push (&r->events, now, EV_TOKEN, t);
                return;
              }
            if (now > r->last_end)
              r->last_end = now;
            Case *c = t->c;
            token_free (r, t);
            if (--c->tokens == 0)
              case_done (r, c, now);
            return;
          }
        case PSIM_NODE_STEP:
        default:
          if (s->resource >= 0 && !r->sim->opt.no_queues)
            {
              if (now > r->clock)
                {
                  psimp_events_push (&r->events, now, EV_TOKEN, t);
                  return;
                }
              t->step_start = now;
              Office *o = &r->office[s->resource];
              t->queued = now;
              if (office_has_clerk (r, (guint) s->resource, now))
                start_service (r, t, now);
              else
                {
                  office_queue_change (r, o, now, +1);
                  double key = r->sim->res[s->resource]->priority ? -(double) s->priority : 0;
                  psimp_heap_push (&o->queue, key, 0, t);
                  office_schedule_recheck (r, (guint) s->resource, now);
                }
            }
          else
            {
              t->step_start = now;
              log_event (r, t, s, "start", now);
              now = step_end (r, s, t->c, now);
              step_finish (r, t, s, now);
              t->node = s->next;
              continue;
            }
          return;
        }
    }
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
            a->work += -log1p (-psimp_rng_double (&a->rng)) / peak;
            double t = psimp_calendar_time_at (cal, a->work);
            double tod = fmod (t, 24), rate = 0;
            for (guint i = 0; i + 2 < spec->profile->len; i += 3)
              if (tod >= g_array_index (spec->profile, double, i)
                  && tod < g_array_index (spec->profile, double, i + 1))
                rate = g_array_index (spec->profile, double, i + 2);
            if (psimp_rng_double (&a->rng) * peak < rate)
              return t;
          }
      }
    case PSIM_ARRIVALS_POISSON:
    case PSIM_ARRIVALS_NONE:
    default:
      {
        double rate = spec->arrivals == PSIM_ARRIVALS_NONE ? 1
                      : spec->rate > 0 ? spec->rate : -spec->rate / r->sim->day_hours;
        a->work += -log1p (-psimp_rng_double (&a->rng)) / rate;
        return psimp_calendar_time_at (cal, a->work);
      }
    }
}

/* Takes the applicants waiting at office @o while it has a free clerk. */
static void
serve_waiting (Run *r, guint o, double now)
{
  Office *of = &r->office[o];
  while (psimp_heap_size (&of->queue) > 0 && office_has_clerk (r, o, now))
    {
      office_queue_change (r, of, now, -1);
      Event q = psimp_heap_pop (&of->queue);
      start_service (r, q.item, now);
    }
  office_schedule_recheck (r, o, now);
}

gboolean
psimp_sim_run_replication (PsimSim *sim, guint rep, guint v, PsimCase *pcase, PsimFineHist *fine,
                           guint64 *hist, Totals *tot, double *out, GError **error)
{
  const Graph *g = &sim->graph[v];
  Run r = { .sim = sim, .g = g, .rep = rep, .variant = v, .pcase = pcase, .fine = fine,
            .hist = hist, .log = rep == 0 && v == 0 };
  psimp_events_init (&r.events);
  r.log_events = r.log && sim->on_event != NULL;
  r.office = g_new0 (Office, MAX (sim->n_res, 1));
  r.vals = g_new (double, MAX (sim->proc->params->len, 1));
  for (guint i = 0; i < sim->proc->params->len; i++)
    r.vals[i] = psimp_case_get_value (pcase, g_ptr_array_index (sim->proc->params, i));
  r.lim_reach = g_new0 (guint64, MAX (g->limits->len, 1));
  r.lim_over = g_new0 (guint64, MAX (g->limits->len, 1));
  r.memo_t[0] = r.memo_t[1] = NAN;
  r.data_base = psimp_rng_stream_base (sim->opt.seed ^ ((guint64) rep << 40), STREAM_DATA);
  r.path_base = psimp_rng_stream_base (sim->opt.seed ^ ((guint64) rep << 40), STREAM_PATH);
  r.warm = sim->opt.warm_up_days * 24;
  r.warm_work = psimp_calendar_work_at (sim->cal, r.warm);
  psim_fine_hist_clear (fine);

  Arrivals arr = { 0 };
  psim_rng_init_stream (&arr.rng, sim->opt.seed, STREAM_ARRIVALS, rep);
  double t0 = next_arrival (&r, &arr);
  if (t0 >= 0)
    psimp_events_push_side (&r.events, t0, EV_ARRIVAL, NULL);
  guint64 next_id = 0;
  guint n_lim = g->case_limits->len;
  gsize extra = sizeof (JoinState) * g->n_joins + sizeof (double) * (g->fees->len + 3 * n_lim)
                + sizeof (int) * g->conds->len
                + sizeof (guint8) * (g->n_seen + g->limit_whens->len + n_lim);
  gsize case_size = sizeof (Case) + extra;
  psimp_pool_init (&r.cases, case_size);
  psimp_pool_init (&r.tokens, sizeof (Token));

  while (psimp_events_size (&r.events) > 0 && r.error == NULL)
    {
      Event e = psimp_events_pop (&r.events);
      double now = psimp_key_time (e.key);
      r.last_time = r.clock = now;
      r.clock_seq = psimp_events_seq (&e);
      switch (EV_KIND (&e))
        {
        case EV_ARRIVAL:
          {
            /* Room for the per-case arrays after the struct, the widest
             * first. */
            Case *c = memset (psimp_pool_alloc (&r.cases), 0, case_size);
            c->id = next_id++;
            c->joins = (JoinState *) (gpointer) (c + 1);
            c->fee = (double *) (gpointer) (c->joins + g->n_joins);
            c->lim = c->fee + g->fees->len;
            c->conds = (int *) (gpointer) (c->lim + 3 * n_lim);
            c->seen = (guint8 *) (c->conds + g->conds->len);
            c->holds = c->seen + g->n_seen;
            c->late = c->holds + g->limit_whens->len;
            c->filed = psimp_calendar_file (sim->cal, now);
            c->work_filed = work_at (&r, c->filed);
            c->counted = c->filed >= r.warm;
            psimp_rng_init_substream (&c->rng, r.path_base, c->id);
            if (!case_start (&r, c))
              {
                psimp_pool_release (&r.cases, c);
                break;
              }
            double tn = next_arrival (&r, &arr);
            if (tn >= 0)
              psimp_events_push_side (&r.events, MAX (tn, now), EV_ARRIVAL, NULL);
            /* From its filing (now or later) the case runs ahead. */
            advance (&r, token_new (&r, c, g->start), c->filed);
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
            double end = step_end (&r, s, t->c, now);
            step_finish (&r, t, s, end);
            t->node = s->next;
            advance (&r, t, end);
            break;
          }
        case EV_CAPACITY:
        default:
          {
            guint o = GPOINTER_TO_UINT (e.item) - 1;
            r.office[o].recheck = FALSE;
            serve_waiting (&r, o, now);
            break;
          }
        }
    }

  /* The last instant simulated: the last event's, or a case's end. */
  if (r.last_end > r.last_time)
    r.last_time = r.last_end;
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
  double window = psimp_calendar_work_at (sim->cal, r.last_time) - r.warm_work;
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
  psimp_pool_clear (&r.tokens);
  psimp_pool_clear (&r.cases);
  psimp_events_clear (&r.events);
  g_free (r.office);
  g_free (r.vals);
  g_free (r.lim_reach);
  g_free (r.lim_over);
  return ok;
}
