/* compare.h — what `procsim compare`'s files share: the comparison being
 * reported (two measured variants of one procedure for one case) and the
 * labels and number formats of its figures. cmd-compare.c computes it and
 * writes text, CSV, JSON and Markdown; compare-html.c writes the HTML
 * report.
 */
#pragma once

#include "cli.h"

/* Where a cost figure comes from, for the reader. */
typedef enum {
  ORIGIN_NONE,    /* not given: figures that need it are left out */
  ORIGIN_FILE,    /* the procedure file's <cost-model> */
  ORIGIN_COMMAND, /* a command-line option */
} CompareOrigin;

typedef struct {
  const char *lang;
  const char *file;
  PsimProcedure *proc;
  PsimCase *pcase;
  const PsimVariant *variant[2]; /* before, after */
  PsimMeasure *measure[2];
  PsimCostParams params;
  CompareOrigin origin[4]; /* tariff, travel, volume, value */
  const char *currency;
  gboolean explain;
} Compare;

/* The figures in report order, and whether a report shows @metric (the
 * per-unit elapsed times only when a variant uses that unit). */
extern const PsimMetric compare_rows[];
extern const guint compare_n_rows;
gboolean compare_shows (const Compare *c, PsimMetric metric);
/* The heading of the section a row opens, or NULL. (transfer none) */
const char *compare_section (PsimMetric metric);
/* The label of a figure, in the UI language. (transfer none) */
const char *compare_label (const Compare *c, PsimMetric metric);
/* A figure for people: grouped amounts, 4 significant digits, "—" when
 * unknown. (transfer full) */
char *compare_format (const Compare *c, PsimMetric metric, double value);
/* The change: "+2", "-13", "—". (transfer full) */
char *compare_format_change (const Compare *c, PsimMetric metric);
/* "-65 %", "—". (transfer full) */
char *compare_format_pct (const Compare *c, PsimMetric metric);
/* The plain statements on the claims reformers make (elapsed time, the
 * applicant's own time, the applicant's cost fall by more than half?), one
 * per line, each ending in '\n'. (transfer full) */
char *compare_statements (const Compare *c);
/* One line on the cost figures used and where they come from. (transfer full) */
char *compare_params_line (const Compare *c);
/* "Case: price = 3,200,000,000 VND; mortgaged = false" (transfer full) */
char *compare_case_line (const Compare *c);

/* The HTML report: one self-contained file. (transfer full) NULL with
 * @error when the graph cannot be drawn. */
char *compare_html (const Compare *c, GError **error);
