/* psim-sim-stats.h — statistics helpers of the simulation (library only). */
#pragma once

#include <glib.h>
#include <procsim/psim-sim.h>
#include <string.h>

/* Mean and 95 % t half-width of @n values spaced @stride doubles apart. */
void psim_estimate_from (PsimEstimate *e, const double *x, guint n, gsize stride);

/* Values from PSIM_FINE_MIN up, bins of constant ratio exp(1/PER_E); bin 0
 * holds everything below PSIM_FINE_MIN (0 included). */
#define PSIM_FINE_MIN 0.001
#define PSIM_FINE_PER_E 400.0
#define PSIM_FINE_BINS 8192 /* up to 0.001 × e^20 ≈ 4.8e5 */

typedef struct {
  guint64 n;
  guint32 count[PSIM_FINE_BINS];
} PsimFineHist;

void psim_fine_hist_clear (PsimFineHist *h);
void psim_fine_hist_add (PsimFineHist *h, double x);
/* Quantile @q in [0, 1], interpolated within its bin; NaN when empty. */
double psim_fine_hist_quantile (const PsimFineHist *h, double q);
