/* psim-compare.h — the reformers' figures: what one case costs on one
 * variant, in the measures reformers' peers use, and the change between
 * two variants.
 *
 * Counts in the World Bank's Doing Business sense (procedures = applicant
 * interactions, visits, agencies, hand-offs, documents), time by the Doing
 * Business rule and by the model's own durations, money kept apart (taxes,
 * official fees, the applicant's own cost) and the administrative burden by
 * the Standard Cost Model (hours per case × tariff × cases per year).
 * Every figure is the sum of per-step contributions, kept for --explain.
 * The rules are written out in docs/compare-rules.md. No I/O.
 */
#pragma once

#include <glib.h>
#include <procsim/psim-case.h>
#include <procsim/psim-model.h>
#include <procsim/psim-path.h>

G_BEGIN_DECLS

typedef enum {
  PSIM_METRIC_STEPS,              /* steps on the path */
  PSIM_METRIC_PROCEDURES,         /* applicant interactions (Doing Business) */
  PSIM_METRIC_VISITS,             /* in-person visits */
  PSIM_METRIC_AGENCIES,           /* distinct agencies and intermediaries */
  PSIM_METRIC_HANDOFFS,           /* the dossier carried on paper between offices */
  PSIM_METRIC_EXCHANGES,          /* the dossier sent electronically between offices */
  PSIM_METRIC_DOCUMENTS,          /* documents the applicant supplies, each time */
  PSIM_METRIC_DOCUMENTS_REPEATED, /* submissions of a document already submitted */
  PSIM_METRIC_DOCUMENTS_FETCHED,  /* documents fetched from a national database */
  PSIM_METRIC_DB_DAYS,            /* days by the Doing Business rule */
  PSIM_METRIC_WORKING_DAYS,       /* the model's elapsed time, per unit */
  PSIM_METRIC_CALENDAR_DAYS,
  PSIM_METRIC_ELAPSED_HOURS,
  PSIM_METRIC_EFFORT_HOURS,       /* the applicant's own time */
  PSIM_METRIC_TAXES,
  PSIM_METRIC_FEES,               /* official fees */
  PSIM_METRIC_SERVICE,            /* private charges */
  PSIM_METRIC_OWN_TIME_COST,      /* effort hours × tariff */
  PSIM_METRIC_TRAVEL_COST,        /* visits × travel */
  PSIM_METRIC_APPLICANT_COST,     /* fees + service + own time + travel */
  PSIM_METRIC_APPLICANT_COST_PCT, /* applicant cost, % of the value base */
  PSIM_METRIC_TAXES_PCT,          /* taxes, % of the value base */
  PSIM_METRIC_SCM_HOURS,          /* effort hours × cases per year */
  PSIM_METRIC_SCM_BURDEN,         /* effort hours × tariff × cases per year */
  PSIM_N_METRICS
} PsimMetric;

typedef enum {
  PSIM_METRIC_UNIT_COUNT,
  PSIM_METRIC_UNIT_DAYS,
  PSIM_METRIC_UNIT_HOURS,
  PSIM_METRIC_UNIT_MONEY,   /* in the procedure's currency */
  PSIM_METRIC_UNIT_PERCENT,
} PsimMetricUnit;

/* The stable snake_case name of @metric ("db_days"), as in the JSON and
 * CSV outputs. (transfer none) */
const char *psim_metric_to_string (PsimMetric metric);
PsimMetricUnit psim_metric_get_unit (PsimMetric metric);

/* The figures beyond the model; NAN where not known. */
typedef struct {
  double tariff; /* the applicant's hour, in the procedure's currency */
  double travel; /* one in-person visit */
  double volume; /* cases per year */
  double value;  /* the base of "cost as %" */
  PsimValueKind value_kind;
} PsimCostParams;

/* Fills @params from @proc's <cost-model>; a value base given as a
 * parameter takes its value in @pcase. Figures the file lacks are NAN. */
void psim_cost_params_init (PsimCostParams *params, const PsimProcedure *proc,
                            const PsimCase *pcase);

/* The figures of one variant for one case. */
typedef struct _PsimMeasure PsimMeasure;

/* Walks @variant for @pcase (psim-path.h) and measures it with @params
 * (copied). NULL with @error when the path cannot be computed.
 * (transfer full) */
PsimMeasure *psim_measure_new (const PsimVariant *variant, PsimCase *pcase,
                               const PsimCostParams *params, GError **error);
void psim_measure_free (PsimMeasure *measure);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsimMeasure, psim_measure_free)

const PsimVariant *psim_measure_get_variant (const PsimMeasure *measure);
/* (transfer none) */
const PsimPath *psim_measure_get_path (const PsimMeasure *measure);
const PsimCostParams *psim_measure_get_params (const PsimMeasure *measure);
/* The figure; NAN when it needs a cost figure that is not known. */
double psim_measure_get (const PsimMeasure *measure, PsimMetric metric);
/* The expected value of the figure over the probabilities of the
 * variant's chance-decided choices and loops (a loop taken with
 * probability p goes round p/(1−p) times more on average), the case data
 * deciding the other choices; branches the case sets are not followed
 * here. Agencies and distinct documents count by the chance of meeting
 * them at least once. NAN when a cost figure is not known. The rules are
 * in docs/compare-rules.md. */
double psim_measure_get_expected (const PsimMeasure *measure, PsimMetric metric);
/* FALSE when the expected values are not defined: the case can be sent,
 * by chance, round a loop that its case data never lets it leave (a `when`
 * loop for this case; loader checks refuse one that chance alone never
 * leaves). Every expected value is then NAN. */
gboolean psim_measure_has_expected (const PsimMeasure *measure);
/* The steps of the path, in path order, and what each contributes to each
 * figure: the contributions of a figure add up to it. A step on a parallel
 * branch that is not the longest contributes no time. */
guint psim_measure_get_n_steps (const PsimMeasure *measure);
const PsimNode *psim_measure_get_step (const PsimMeasure *measure, guint i);
double psim_measure_get_contribution (const PsimMeasure *measure, guint i, PsimMetric metric);

/* The pair compared by default: the first variant that names a baseline,
 * against that baseline; else the first two variants. FALSE when the
 * procedure has fewer than two variants. */
gboolean psim_compare_default_pair (const PsimProcedure *proc, const PsimVariant **before,
                                    const PsimVariant **after);
/* (after − before) / before × 100; NAN when before is 0 or either is NAN. */
double psim_compare_change_pct (double before, double after);

G_END_DECLS
