/* psim-sim-writer-private.h — what the writers of a simulation's results
 * share (psim-sim-writer.c): the labels of the figures in the
 * simulation's language, the estimates formatted alike in every format,
 * and the heading lines. Not installed.
 */
#pragma once

#include "psim-private.h"

#include <procsim/psim-sim.h>

/* The label of a figure in @lang. (transfer none) */
const char *psimp_sim_figure_label (PsimSimFigure f, const char *lang);
const char *psimp_sim_res_label (PsimResFigure f, const char *lang);
/* Whether the figure is a share (shown as a percentage), or money. */
gboolean psimp_sim_figure_is_share (PsimSimFigure f);
gboolean psimp_sim_figure_is_money (PsimSimFigure f);
/* "12.34 ± 0.56"; shares as percentages; money without decimals; "—"
 * when unknown. (transfer full) */
char *psimp_sim_format_estimate (PsimEstimate e, gboolean share, gboolean money);
/* Whether a paired difference's CI excludes 0. */
gboolean psimp_sim_significant (PsimEstimate d);
/* The heading lines, each ending in a newline: procedure, variants, seed,
 * replications, calendar, the holiday-list warning. (transfer full) */
char *psimp_sim_header (const PsimSim *sim);
/* The note under a pair's table, ending in a newline. (transfer none) */
const char *psimp_sim_significance_note (const char *lang);
/* "  One-stop desk (desk), 2 clerks:" or, with shifts, "…, 2.5 clerks on
 * average, by time of day:", ending in a newline. (transfer full) */
char *psimp_sim_office_heading (const PsimSim *sim, guint r);
