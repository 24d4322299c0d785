/* psim-sim.h — the reformers' simulation: many cases through a variant,
 * with random durations, queues at the offices, a working calendar and the
 * legal time limits, over several replications with confidence intervals.
 *
 * Three layers, each usable alone:
 *   PsimRng, PsimDist   a seeded generator (xoshiro256**) and the duration
 *                       distributions of the format;
 *   PsimCalendar        working days, office hours, holidays and a cut-off
 *                       time; time is counted in hours from 00:00 of the
 *                       calendar's first day;
 *   PsimSim             the discrete-event simulation of one variant (or two
 *                       on common random numbers): figures as numbers, and
 *                       writers of them (text, CSV, JSON, HTML) and of an
 *                       event log (XES), in the language it was made with.
 *
 * Everything random draws from an explicit seed: the same procedure,
 * options and seed give the same figures, whatever the number of threads.
 */
#pragma once

#include <gio/gio.h>
#include <glib.h>
#include <procsim/psim-model.h>
#include <procsim/psim-path.h>

G_BEGIN_DECLS

/* ---- random numbers ----------------------------------------------------- */

/* xoshiro256** (Blackman and Vigna), seeded through splitmix64. A plain
 * struct so that callers keep one per stream on the stack. */
typedef struct {
  guint64 s[4];
} PsimRng;

void psim_rng_init (PsimRng *rng, guint64 seed);
/* A generator for sub-stream (@a, @b) of @seed: independent streams for
 * each replication, case and purpose, reproducible in any order. */
void psim_rng_init_stream (PsimRng *rng, guint64 seed, guint64 a, guint64 b);
guint64 psim_rng_next (PsimRng *rng);
/* Uniform in [0, 1), 53 bits. */
double psim_rng_double (PsimRng *rng);

/* ---- distributions ------------------------------------------------------ */

typedef enum {
  PSIM_DIST_FIXED,       /* value */
  PSIM_DIST_UNIFORM,     /* min, max */
  PSIM_DIST_TRIANGULAR,  /* min, likely, max */
  PSIM_DIST_PERT,        /* min, likely, max (beta-PERT, λ = 4) */
  PSIM_DIST_EXPONENTIAL, /* mean */
  PSIM_DIST_NORMAL,      /* mean, sd of the normal, truncated at 0 */
  PSIM_DIST_LOGNORMAL,   /* mean, sd of the variable itself */
  PSIM_DIST_EMPIRICAL,   /* values, drawn with equal chance */
} PsimDistKind;

typedef struct {
  PsimDistKind kind;
  double min, likely, max; /* fixed: all three the value */
  double mean, sd;
  const double *values; /* empirical; borrowed */
  guint n_values;
} PsimDist;

/* The names in the format: "fixed", "uniform", … (transfer none) */
const char *psim_dist_kind_to_string (PsimDistKind kind);
/* FALSE when @name is not a distribution's name. */
gboolean psim_dist_kind_from_string (const char *name, PsimDistKind *kind);
/* Whether the parameters make a distribution; NULL, else why not, in
 * English (for the loader, which words its own message). */
const char *psim_dist_check (const PsimDist *dist);
double psim_dist_sample (const PsimDist *dist, PsimRng *rng);
/* The exact mean and variance of the distribution as sampled (the
 * truncated normal's, not the untruncated one's). */
double psim_dist_mean (const PsimDist *dist);
double psim_dist_variance (const PsimDist *dist);

/* (nullable) The distribution of a step's duration: NULL for a step
 * without <duration>; otherwise the file's dist, or triangular on
 * min/likely/max, or fixed on value. In the unit of the duration. */
const PsimDist *psim_step_get_duration_dist (const PsimNode *step);

/* ---- working calendar --------------------------------------------------- */

typedef struct _PsimCalendar PsimCalendar;

#define PSIM_CALENDAR_ERROR (psim_calendar_error_quark ())
GQuark psim_calendar_error_quark (void);

typedef enum {
  PSIM_CALENDAR_ERROR_PARSE, /* a holiday list line is malformed */
  PSIM_CALENDAR_ERROR_SPEC,  /* no working time at all, bad hours */
} PsimCalendarError;

/* One line of a holiday list: a day off on a working day, or a working
 * day on a day off (a make-up Saturday). */
typedef struct {
  GDate date;
  gboolean working;
} PsimCalendarDay;

/* Parses a holiday list ("YYYY-MM-DD off|work [comment]", '#' comments,
 * blank lines; "covers FIRST-YEAR LAST-YEAR" once). Errors name
 * @name:LINE. @first_year/@last_year (nullable) get the years it covers.
 * (transfer full) GArray of PsimCalendarDay. */
GArray *psim_calendar_parse_days (const char *text, gsize len, const char *name, const char *lang,
                                  int *first_year, int *last_year, GError **error);
/* The bundled list of Viet Nam's public holidays (data/holidays-vn.txt):
 * sources per year in its comments. (transfer full) */
GBytes *psim_calendar_get_vn_holidays (void);

typedef struct {
  GDate start;          /* day 0 of the clock */
  guint8 weekdays;      /* bit (g_date_weekday - 1): Monday bit 0 */
  const double *hours;  /* office hours as pairs [from, to) in hours of the day */
  guint n_intervals;
  double cut_off;       /* filings after this hour count on the next working day; < 0: none */
  const PsimCalendarDay *days; /* exceptions (holidays, make-up days) */
  guint n_days;
  const char *lang; /* of the error messages */
} PsimCalendarSpec;

/* NULL with @error when the spec has no working time. (transfer full) */
PsimCalendar *psim_calendar_new (const PsimCalendarSpec *spec, GError **error);
void psim_calendar_free (PsimCalendar *cal);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsimCalendar, psim_calendar_free)

/* Office hours of one working day. */
double psim_calendar_get_day_hours (const PsimCalendar *cal);
gboolean psim_calendar_is_working_day (const PsimCalendar *cal, const GDate *date);
/* Working hours from the clock's origin to @t. */
double psim_calendar_work_at (const PsimCalendar *cal, double t);
/* The earliest clock time by which @w working hours have passed. */
double psim_calendar_time_at (const PsimCalendar *cal, double w);
/* @t + @hours of working time. */
double psim_calendar_add_work (const PsimCalendar *cal, double t, double hours);
/* The first instant at or after @t when the office is open. */
double psim_calendar_next_open (const PsimCalendar *cal, double t);
/* When a filing handed in at @t counts: @t itself if the office is open
 * and it is before the cut-off, else the next opening (the next working
 * day's, after the cut-off). */
double psim_calendar_file (const PsimCalendar *cal, double t);
/* The date and time of day of clock time @t. */
void psim_calendar_get_date (const PsimCalendar *cal, double t, GDate *date, double *hour);
/* Clock time of @date at @hour. */
double psim_calendar_time_of (const PsimCalendar *cal, const GDate *date, double hour);

/* ---- the simulation ----------------------------------------------------- */

typedef struct _PsimSim PsimSim;

#define PSIM_SIM_ERROR (psim_sim_error_quark ())
GQuark psim_sim_error_quark (void);

typedef enum {
  PSIM_SIM_ERROR_MODEL, /* the variant cannot be simulated (see message) */
  PSIM_SIM_ERROR_EVAL,  /* an expression failed for a simulated case */
  PSIM_SIM_ERROR_OPTION,
} PsimSimError;

typedef struct {
  guint64 seed;
  guint64 cases;        /* arrivals per replication (a list of arrivals caps it) */
  guint replications;   /* with precision > 0: the first batch */
  double precision;     /* > 0: add replications until each headline CI
                         * half-width is within precision × |mean| */
  guint max_replications;
  double warm_up_days;  /* cases arriving in the first days are not counted */
  guint jobs;           /* threads; 0: one per core */
  const GDate *start;   /* (nullable) overrides the file's calendar start */
  gboolean no_queues;   /* steps take their own durations only: the offices
                         * and their service times are left out (the
                         * benchmark's pure-engine figure, a what-if) */
} PsimSimOptions;

/* A figure across replications: mean of the replication means, and the
 * half-width of its 95 % Student-t confidence interval (0 with one
 * replication). For a paired comparison, the mean and CI of B − A. */
typedef struct {
  double mean;
  double half_width;
  guint n; /* replications */
} PsimEstimate;

/* The headline figures of one variant, each a PsimEstimate. Lead time is
 * from filing to the end of the path, in calendar days. */
typedef enum {
  PSIM_FIG_LEAD_MEAN,
  PSIM_FIG_LEAD_MEDIAN,
  PSIM_FIG_LEAD_P90,
  PSIM_FIG_LEAD_P95,
  PSIM_FIG_LEAD_WORKING_DAYS, /* mean lead time in working days */
  PSIM_FIG_APPLICANT_HOURS,
  PSIM_FIG_VISITS,
  PSIM_FIG_STEPS,
  PSIM_FIG_COST,          /* fees of all kinds but taxes, per case */
  PSIM_FIG_TAXES,
  /* share of cases over at least one of the administration's legal
   * limits: the whole procedure's or a step's (an applicant's duty is not
   * counted here; each has its own share, psim_sim_get_limit_share ()) */
  PSIM_FIG_OVER_ANY_LIMIT,
  PSIM_FIG_N
} PsimSimFigure;

/* The stable name of a figure in CSV and JSON ("lead_mean"). */
const char *psim_sim_figure_to_string (PsimSimFigure fig);

/* Builds the simulation of @variant (and of @other on common random
 * numbers, nullable) from the file's <simulation> block (defaults where it
 * has none). Borrows @proc. NULL with @error when the model cannot be
 * simulated. Errors, then and in psim_sim_run(), are in @lang. (transfer full) */
PsimSim *psim_sim_new (PsimProcedure *proc, const PsimVariant *variant,
                       const PsimVariant *other, const char *lang, GError **error);
void psim_sim_free (PsimSim *sim);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsimSim, psim_sim_free)

const PsimCalendar *psim_sim_get_calendar (const PsimSim *sim);

/* Called from the simulation thread of replication 0 for each step event
 * of the first variant: what an event log needs. @resource is NULL when the
 * step queues nowhere; @lifecycle "start" or "complete"; @t clock hours. */
typedef void (*PsimSimEventFunc) (guint64 case_id, const PsimNode *step, const char *resource,
                                  const char *lifecycle, double t, gpointer user_data);
/* Called when a case of replication 0 has finished (after its events). */
typedef void (*PsimSimCaseFunc) (guint64 case_id, gpointer user_data);
void psim_sim_set_log (PsimSim *sim, PsimSimEventFunc on_event, PsimSimCaseFunc on_case_done,
                       gpointer user_data);
/* Called after each replication completes, from the calling thread, with
 * the count done so far (for a progress bar). */
typedef void (*PsimSimProgressFunc) (guint done, guint planned, gpointer user_data);
void psim_sim_set_progress (PsimSim *sim, PsimSimProgressFunc func, gpointer user_data);

/* Runs the replications. FALSE with @error when a case fails (an
 * expression) or the options make no sense. */
gboolean psim_sim_run (PsimSim *sim, const PsimSimOptions *options, GError **error);

/* ---- results (after psim_sim_run) ---------------------------------------- */

/* @v: 0 for the variant, 1 for the other. */
guint psim_sim_get_replications (const PsimSim *sim);
const PsimVariant *psim_sim_get_variant (const PsimSim *sim, guint v);
PsimEstimate psim_sim_get_figure (const PsimSim *sim, guint v, PsimSimFigure fig);
/* The paired difference other − variant, on common random numbers. */
PsimEstimate psim_sim_get_difference (const PsimSim *sim, PsimSimFigure fig);

/* Offices with a queue (<resource> elements). */
guint psim_sim_get_n_resources (const PsimSim *sim);
const char *psim_sim_get_resource_id (const PsimSim *sim, guint r);
const PsimActor *psim_sim_get_resource_actor (const PsimSim *sim, guint r);
/* The clerks outside any <shift>; the shifts (clerks by time of day) the
 * file gives; the clerks on average over the office hours, which
 * utilisation is counted against. */
guint psim_sim_get_resource_capacity (const PsimSim *sim, guint r);
guint psim_sim_get_resource_n_shifts (const PsimSim *sim, guint r);
double psim_sim_get_resource_mean_capacity (const PsimSim *sim, guint r);
typedef enum {
  PSIM_RES_WAIT_HOURS,  /* mean wait in the queue per service, working hours */
  PSIM_RES_UTILISATION, /* busy time / (mean clerks × open time) */
  PSIM_RES_QUEUE_MEAN,  /* time-average queue length over open time */
  PSIM_RES_SERVED,      /* services per replication */
  PSIM_RES_N
} PsimResFigure;
const char *psim_sim_res_figure_to_string (PsimResFigure fig);
PsimEstimate psim_sim_get_resource_figure (const PsimSim *sim, guint v, guint r, PsimResFigure fig);
PsimEstimate psim_sim_get_resource_difference (const PsimSim *sim, guint r, PsimResFigure fig);

/* The variant's legal limits, in the order of psim_path_get_limit (): the
 * whole procedure's (the variant's <time-limit>), the steps' (<time-limit>
 * of a step; here every step's, in the file's order, where a path lists
 * those it takes), the applicant's duties (<duty>). Each is measured on every case that takes the steps it
 * counts from and to, on the simulated calendar: the share of those cases
 * over it. A limit's value is the first of its <when>s that holds for
 * the case (a step taken, a test on the case data); its cut-off is
 * honoured as on a path (a case whose `filed` param is past it counts
 * from the next working day). */
guint psim_sim_get_n_limits (const PsimSim *sim, guint v);
PsimLimitLevel psim_sim_get_limit_level (const PsimSim *sim, guint v, guint i);
/* A step's limit: its step; else NULL. */
const PsimNode *psim_sim_get_limit_step (const PsimSim *sim, guint v, guint i);
/* The procedure's limit or the duty; NULL for a step's. */
const PsimLimit *psim_sim_get_limit (const PsimSim *sim, guint v, guint i);
/* Its value when no <when> holds, and its unit. */
const PsimQuantity *psim_sim_get_limit_quantity (const PsimSim *sim, guint v, guint i);
/* "Whole procedure, from 'File the dossier' to 'Issue the certificate'
 * (10 working days)", the steps by name, in the simulation's language.
 * (transfer full) */
char *psim_sim_get_limit_label (const PsimSim *sim, guint v, guint i);
PsimEstimate psim_sim_get_limit_share (const PsimSim *sim, guint v, guint i);

/* The lead-time histogram of all replications pooled: @n_bins counts of
 * equal width @width days from 0 (the last bin holds the rest). */
const guint64 *psim_sim_get_histogram (const PsimSim *sim, guint v, guint *n_bins, double *width);

/* Cases counted (after the warm-up), summed over replications; steps
 * simulated (events), for the benchmark. */
guint64 psim_sim_get_cases (const PsimSim *sim, guint v);
guint64 psim_sim_get_step_events (const PsimSim *sim);
/* Whether the simulated time ran past the years the holiday list covers. */
gboolean psim_sim_get_past_holidays (const PsimSim *sim, int *last_year);

/* The procedure, the number of variants (1, or 2 for a pair), the
 * language of its messages and writers, and the options of the last run
 * (with the defaults psim_sim_run() filled in; its start is not kept).
 * (transfer none) */
PsimProcedure *psim_sim_get_procedure (const PsimSim *sim);
guint psim_sim_get_n_variants (const PsimSim *sim);
const char *psim_sim_get_language (const PsimSim *sim);
const PsimSimOptions *psim_sim_get_options (const PsimSim *sim);

/* ---- writers (after psim_sim_run) ----------------------------------------- */

/* The results in the simulation's language. Text: the heading, a table of
 * every figure with its CI (and the paired difference, marked * when
 * significant), the offices and the legal limits, columns as wide as their
 * cells. CSV (RFC 4180): variant,scope,figure,mean,ci95_half_width,
 * replications. JSON: the run, each variant's figures, offices, limits and
 * lead-time histogram, and the differences. HTML: one self-contained page
 * with an inline SVG histogram per variant, no script. (transfer full) */
char *psim_sim_to_text (const PsimSim *sim);
char *psim_sim_to_csv (const PsimSim *sim);
char *psim_sim_to_json (const PsimSim *sim);
char *psim_sim_to_html (const PsimSim *sim);

/* Where a writer that streams puts its bytes. */
typedef void (*PsimWriteFunc) (const char *data, gsize len, gpointer user_data);

/* The event log: the cases of the first replication of the first variant
 * as XES (IEEE 1849-2016), one trace per case in the order they finish,
 * start and complete events per step with the office (org:resource) and
 * the actor (org:role). psim_sim_log_new() before psim_sim_run() sets
 * @sim's log callbacks and writes through @write as the run goes;
 * psim_sim_log_finish() after it writes the end, unsets the callbacks and
 * frees the log. The same seed gives the same bytes. (transfer full) */
typedef struct _PsimSimLog PsimSimLog;
PsimSimLog *psim_sim_log_new (PsimSim *sim, PsimWriteFunc write, gpointer user_data);
void psim_sim_log_finish (PsimSimLog *log);

/* Two-sided 95 % quantile of Student's t with @df degrees of freedom. */
double psim_student_t95 (guint df);

G_END_DECLS
