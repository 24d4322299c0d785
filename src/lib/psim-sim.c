/* psim-sim.c — the simulation object: a procedure's variant (or two, on
 * common random numbers) with its calendar and options, replications run
 * on threads, and the results as estimates with confidence intervals.
 *
 * psim_sim_new () compiles the variants (psim-sim-compile.c); psim_sim_run ()
 * builds the working calendar, hands replications out to worker threads,
 * each running them one at a time (psim-sim-run.c) into its own row of a
 * table of figures, and, for --precision, adds batches until every headline
 * interval is narrow enough. Since each replication draws only from its
 * own streams, the table, and so every figure, is the same on any number
 * of threads. The getters read the table: a mean and its 95 % interval
 * across replications, or the paired difference of two variants.
 */
#include "psim-sim-engine-private.h"

#include <procsim/psim-i18n.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

G_DEFINE_QUARK (psim-sim-error-quark, psim_sim_error)

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
  sim->sample_dist = g_new0 (Sampler, MAX (sim->spec->samples->len, 1));
  for (guint i = 0; i < sim->spec->samples->len; i++)
    {
      const PsimSimSample *sm = g_ptr_array_index (sim->spec->samples, i);
      sim->sample_param[i] = psimp_sim_param_index (proc, sm->param.target);
      if (!sm->is_probability)
        psimp_sampler_init (&sim->sample_dist[i], &sm->dist);
    }
  for (guint v = 0; v < sim->n_variants; v++)
    {
      if (!psimp_sim_compile (sim, &sim->graph[v], v == 0 ? variant : other, error))
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
      psimp_sim_graph_clear (&sim->graph[v]);
      if (sim->values[v] != NULL)
        g_array_unref (sim->values[v]);
      g_free (sim->hist[v]);
    }
  psim_calendar_free (sim->cal);
  psim_procedure_unref (sim->proc);
  g_free (sim->sample_param);
  g_free (sim->sample_dist);
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
          if (!psimp_sim_run_replication (sim, rep, v, pcase, fine, hist[v], &tot, out, &error))
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

static const LimitInfo *
limit_info (const PsimSim *sim, guint v, guint i)
{
  g_return_val_if_fail (v < sim->n_variants && i < sim->graph[v].limits->len, NULL);
  return &g_array_index (sim->graph[v].limits, LimitInfo, i);
}

PsimLimitLevel
psim_sim_get_limit_level (const PsimSim *sim, guint v, guint i)
{
  const LimitInfo *info = limit_info (sim, v, i);
  return info != NULL ? info->level : PSIM_LIMIT_STEP;
}

const PsimNode *
psim_sim_get_limit_step (const PsimSim *sim, guint v, guint i)
{
  const LimitInfo *info = limit_info (sim, v, i);
  return info != NULL ? info->step : NULL;
}

const PsimLimit *
psim_sim_get_limit (const PsimSim *sim, guint v, guint i)
{
  const LimitInfo *info = limit_info (sim, v, i);
  return info != NULL ? info->limit : NULL;
}

const PsimQuantity *
psim_sim_get_limit_quantity (const PsimSim *sim, guint v, guint i)
{
  const LimitInfo *info = limit_info (sim, v, i);
  if (info == NULL)
    return NULL;
  return info->step != NULL ? psim_step_get_time_limit (info->step)
                            : psim_limit_get_quantity (info->limit);
}

char *
psim_sim_get_limit_label (const PsimSim *sim, guint v, guint i)
{
  const LimitInfo *info = limit_info (sim, v, i);
  g_return_val_if_fail (info != NULL, NULL);
  const char *lang = sim->lang;
  PsimLimitCheck lc = { .level = info->level, .limit = info->limit, .step = info->step };
  g_autofree char *subject = psim_limit_check_subject (&lc, lang);
  const PsimQuantity *q = psim_sim_get_limit_quantity (sim, v, i);
  g_autofree char *value = psim_format_units (q->likely, q->unit, lang);
  if (info->limit != NULL && psim_limit_get_n_conditions (info->limit) > 0)
    return g_strdup_printf (psim_gettext (lang, "%s (%s, or as its conditions give)"), subject,
                            value);
  return g_strdup_printf ("%s (%s)", subject, value);
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
