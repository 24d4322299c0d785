/* psim-comparison-private.h — what the comparison's writers share
 * (psim-comparison.c): a comparison seen through one writer's options, and
 * the rows, labels and formatted figures every format shows alike. Not
 * installed. The psimp_ prefix marks helpers shared between the library's
 * files that are not API.
 */
#pragma once

#include "psim-json-private.h"
#include "psim-private.h"

#include <procsim/psim-comparison.h>

/* A comparison as one writer sees it: its parts, and the options'
 * language (normalised) and explain flag. */
typedef struct {
  const char *lang;
  gboolean explain;
  const PsimComparison *cmp;
  const PsimProcedure *proc;
  PsimCase *pcase;
  const PsimVariant *variant[2];
  const PsimMeasure *measure[2];
  PsimCostParams params;
  PsimCostOrigin origin[PSIM_N_COSTS];
  const char *currency;
  gboolean expected; /* the figures are the expected values (psimp_compare_expected ()) */
} PsimpCompare;

void psimp_compare_init (PsimpCompare *c, const PsimComparison *cmp,
                         const PsimComparisonOptions *options);

/* The figure @metric of variant @k: the most likely path's, or with
 * c->expected the expected value. */
double psimp_compare_value (const PsimpCompare *c, guint k, PsimMetric metric);
/* @c seen as its expected values: the same comparison with
 * c->expected set. */
PsimpCompare psimp_compare_expected (const PsimpCompare *c);
/* The figures a report shows as expected values, in report order. */
extern const PsimMetric psimp_compare_expected_rows[];
extern const guint psimp_compare_n_expected_rows;
/* The heading of the expected values (transfer none), and the sentences
 * saying what they are and which variant has none (transfer full). */
const char *psimp_compare_expected_heading (const PsimpCompare *c);
char *psimp_compare_expected_note (const PsimpCompare *c);

/* The figures in report order, and whether a report shows @metric (the
 * per-unit elapsed times only when a variant uses that unit). */
extern const PsimMetric psimp_compare_rows[];
extern const guint psimp_compare_n_rows;
gboolean psimp_compare_shows (const PsimpCompare *c, PsimMetric metric);
/* The heading of the section a row opens, or NULL. (transfer none) */
const char *psimp_compare_section (const PsimpCompare *c, PsimMetric metric);
/* The label of a figure. (transfer none) */
const char *psimp_compare_label (const PsimpCompare *c, PsimMetric metric);
/* A figure for people: grouped amounts, 4 significant digits, "—" when
 * unknown. (transfer full) */
char *psimp_compare_format (const PsimpCompare *c, PsimMetric metric, double value);
/* after − before, and the change in percent (NAN when not defined). */
double psimp_compare_change_of (const PsimpCompare *c, PsimMetric metric);
double psimp_compare_pct_of (const PsimpCompare *c, PsimMetric metric);
/* The change: "+2", "-13", "—"; in percent: "-65 %", "—". (transfer full) */
char *psimp_compare_format_change (const PsimpCompare *c, PsimMetric metric);
char *psimp_compare_format_pct (const PsimpCompare *c, PsimMetric metric);
/* Verdict @i as a sentence, no newline. (transfer full) */
char *psimp_compare_verdict_text (const PsimpCompare *c, guint i);
/* One line on the cost figures used and where they come from; the case
 * line (psim_format_case). (transfer full) */
char *psimp_compare_params_line (const PsimpCompare *c);
char *psimp_compare_case_line (const PsimpCompare *c);
/* What step @r of variant @k contributes, "Label value · Label value";
 * "nothing (...)" when it contributes nothing. (transfer full) */
char *psimp_compare_explain_line (const PsimpCompare *c, guint k, guint r);
/* "Before"/"After" (variant @k) in the report's language. (transfer none) */
const char *psimp_compare_side_name (const PsimpCompare *c, guint k);
/* The legal time limits of variant @k's path (psim_path_get_limit ()):
 * how many, the heading "Legal time limits: Before: Title [id]", and
 * limit @i as "Subject: verdict (law)". (transfer full) */
guint psimp_compare_n_limits (const PsimpCompare *c, guint k);
char *psimp_compare_limits_heading (const PsimpCompare *c, guint k);
char *psimp_compare_limit_line (const PsimpCompare *c, guint k, guint i);
/* "Title [id]" of variant @k. (transfer full) */
char *psimp_compare_variant_heading (const PsimpCompare *c, guint k);
