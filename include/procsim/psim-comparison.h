/* psim-comparison.h — two variants of a procedure compared for one case,
 * as reformers report it: every figure of psim-compare.h before and after,
 * the change, and the verdicts on the claims reformers make (do elapsed
 * time, the applicant's own time and the applicant's cost fall by more
 * than half?). A comparison is computed once and written in any of five
 * formats, each by its own file (psim-comparison-text.c, -csv.c (CSV and
 * XLSX), -json.c,
 * -md.c, -html.c), in the language the caller names.
 *
 * A comparison is immutable after psim_comparison_new (): any number of
 * threads may write it at once.
 */
#pragma once

#include <glib.h>
#include <procsim/psim-compare.h>

G_BEGIN_DECLS

typedef struct _PsimComparison PsimComparison;

/* The cost figures beyond the model, in PsimCostParams order. */
typedef enum {
  PSIM_COST_TARIFF,
  PSIM_COST_TRAVEL,
  PSIM_COST_VOLUME,
  PSIM_COST_VALUE,
  PSIM_N_COSTS
} PsimCost;

/* Where a cost figure comes from. */
typedef enum {
  PSIM_COST_ORIGIN_NONE,     /* not known: the figures that need it are NAN */
  PSIM_COST_ORIGIN_FILE,     /* the procedure file's <cost-model> */
  PSIM_COST_ORIGIN_OVERRIDE, /* the caller's (a command-line option, a form) */
} PsimCostOrigin;

typedef enum {
  PSIM_HALF_UNKNOWN = -1, /* a figure it needs is not known */
  PSIM_HALF_NO = 0,
  PSIM_HALF_YES = 1,
} PsimHalf;

/* One verdict: does @metric fall by more than half? */
typedef struct {
  PsimMetric metric;
  double before, after;
  double change;           /* after − before; NAN when either is unknown */
  double percent;          /* psim_compare_change_pct (); NAN when not defined */
  PsimHalf more_than_half; /* a figure 0 before cannot fall by half */
} PsimVerdict;

/* How a comparison is written. */
typedef struct {
  const char *lang; /* psim-i18n.h; NULL: English */
  gboolean explain; /* add what each step contributes to every figure */
  gint64 date;      /* the report's date, seconds since the epoch (0: none);
                       never the clock's, so that output is reproducible */
} PsimComparisonOptions;

/* Measures @before and @after (of one procedure) for @pcase, with the
 * procedure's cost figures, each replaced by @overrides' when that is not
 * NAN (@overrides may be NULL; its value_kind is not used). @pcase is
 * borrowed and must outlive the comparison. NULL with @error when a path
 * cannot be computed (in @pcase's language). (transfer full) */
PsimComparison *psim_comparison_new (const PsimVariant *before, const PsimVariant *after,
                                     PsimCase *pcase, const PsimCostParams *overrides,
                                     GError **error);
PsimComparison *psim_comparison_ref (PsimComparison *cmp);
void psim_comparison_unref (PsimComparison *cmp);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsimComparison, psim_comparison_unref)

/* All (transfer none). @k: 0 before, 1 after. */
const PsimProcedure *psim_comparison_get_procedure (const PsimComparison *cmp);
PsimCase *psim_comparison_get_case (const PsimComparison *cmp);
const PsimVariant *psim_comparison_get_variant (const PsimComparison *cmp, guint k);
const PsimMeasure *psim_comparison_get_measure (const PsimComparison *cmp, guint k);
/* The cost figures used, and where each comes from. */
const PsimCostParams *psim_comparison_get_params (const PsimComparison *cmp);
PsimCostOrigin psim_comparison_get_origin (const PsimComparison *cmp, PsimCost cost);

/* The verdicts, in report order: Doing Business days, the applicant's
 * hours, the applicant's cost. */
guint psim_comparison_get_n_verdicts (const PsimComparison *cmp);
const PsimVerdict *psim_comparison_get_verdict (const PsimComparison *cmp, guint i);
/* Verdict @i as a sentence in @lang: "Time by the Doing Business rule
 * falls by 88 % (33 → 4 days): more than half." (transfer full) */
char *psim_comparison_dup_verdict_text (const PsimComparison *cmp, guint i, const char *lang);

/* The writers. @options may be NULL (English, no explanation). Text is
 * wrapped at 80 columns; CSV is RFC 4180 with CRLF; JSON has one number
 * policy (whole amounts as integers, unknown as null); Markdown is a
 * GitHub table; HTML is one self-contained file with the two paths drawn
 * side by side (NULL with @error when the graph cannot be drawn).
 * (transfer full) */
char *psim_comparison_to_text (const PsimComparison *cmp, const PsimComparisonOptions *options);
char *psim_comparison_to_csv (const PsimComparison *cmp, const PsimComparisonOptions *options);
char *psim_comparison_to_json (const PsimComparison *cmp, const PsimComparisonOptions *options);
char *psim_comparison_to_markdown (const PsimComparison *cmp, const PsimComparisonOptions *options);
char *psim_comparison_to_html (const PsimComparison *cmp, const PsimComparisonOptions *options,
                               GError **error);
/* An XLSX workbook (libxlsxwriter) for a spreadsheet: the figures as
 * number cells with their labels in the options' language, and with
 * explain a second sheet of each step's contributions; dated with the
 * options' date, so the same comparison gives the same bytes. NULL with
 * @error when it cannot be written. (transfer full) */
GBytes *psim_comparison_to_xlsx (const PsimComparison *cmp,
                                 const PsimComparisonOptions *options, GError **error);

G_END_DECLS
