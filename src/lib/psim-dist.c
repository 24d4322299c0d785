/* psim-dist.c — the duration distributions of the format: sampling, and
 * the exact mean and variance of what is sampled (the tests check samples
 * against them, and the reports quote them).
 *
 * Samplers: inverse CDF for uniform, triangular and exponential; PERT as a
 * scaled beta from two gamma variates (Marsaglia and Tsang); the normal by
 * the polar method, truncated at 0 by rejection (falling back to the
 * inverse-CDF tail when little mass is left above 0); lognormal from the
 * normal with parameters that give the requested mean and sd.
 */
#include "psim-private.h"

#include <math.h>
#include <procsim/psim-sim.h>
#include <string.h>

#include "psim-rng-private.h"

static const char *const dist_names[] = {
  "fixed", "uniform", "triangular", "pert", "exponential", "normal", "lognormal", "empirical", NULL
};

const char *
psim_dist_kind_to_string (PsimDistKind kind)
{
  g_return_val_if_fail (kind <= PSIM_DIST_EMPIRICAL, NULL);
  return dist_names[kind];
}

gboolean
psim_dist_kind_from_string (const char *name, PsimDistKind *kind)
{
  for (guint i = 0; name != NULL && dist_names[i] != NULL; i++)
    if (strcmp (dist_names[i], name) == 0)
      {
        *kind = (PsimDistKind) i;
        return TRUE;
      }
  return FALSE;
}

const char *
psim_dist_check (const PsimDist *d)
{
  switch (d->kind)
    {
    case PSIM_DIST_FIXED:
      return d->min >= 0 ? NULL : "the value must not be negative";
    case PSIM_DIST_UNIFORM:
      return d->min >= 0 && d->min <= d->max ? NULL : "needs 0 <= min <= max";
    case PSIM_DIST_TRIANGULAR:
    case PSIM_DIST_PERT:
      return d->min >= 0 && d->min <= d->likely && d->likely <= d->max
        ? NULL : "needs 0 <= min <= likely <= max";
    case PSIM_DIST_EXPONENTIAL:
      return d->mean > 0 ? NULL : "needs a mean above 0";
    case PSIM_DIST_NORMAL:
      return d->sd > 0 && d->mean > -8 * d->sd ? NULL : "needs sd above 0 and mean above -8 sd";
    case PSIM_DIST_LOGNORMAL:
      return d->mean > 0 && d->sd > 0 ? NULL : "needs mean and sd above 0";
    case PSIM_DIST_EMPIRICAL:
      if (d->n_values == 0)
        return "needs at least one value";
      for (guint i = 0; i < d->n_values; i++)
        if (!(d->values[i] >= 0))
          return "values must not be negative";
      return NULL;
    default:
      return "unknown distribution";
    }
}

static double
std_normal (PsimRng *rng)
{
  for (;;)
    {
      double u = 2 * psimp_rng_double (rng) - 1;
      double v = 2 * psimp_rng_double (rng) - 1;
      double s = u * u + v * v;
      if (s > 0 && s < 1)
        return u * sqrt (-2 * log (s) / s);
    }
}

/* The constants of Gamma(shape @a) for gamma_variate (). */
static void
gamma_shape_init (GammaShape *g, double a)
{
  g->boost = a < 1;
  g->inv_a = 1 / a;
  if (g->boost)
    a += 1;
  g->d = a - 1.0 / 3;
  g->c = 1 / sqrt (9 * g->d);
}

/* Gamma(shape a, scale 1), Marsaglia and Tsang (2000); a < 1 boosted. */
static double
gamma_variate (const GammaShape *g, PsimRng *rng)
{
  double boost = 1;
  if (g->boost)
    {
      double u = psimp_rng_double (rng);
      boost = pow (u > 0 ? u : 0x1.0p-53, g->inv_a);
    }
  double d = g->d, c = g->c;
  for (;;)
    {
      double x = std_normal (rng), v = 1 + c * x;
      if (v <= 0)
        continue;
      v = v * v * v;
      double u = psimp_rng_double (rng);
      if (u < 1 - 0.0331 * x * x * x * x || log (u) < 0.5 * x * x + d * (1 - v + log (v)))
        return g->boost ? d * v * boost : d * v;
    }
}

static void
pert_shape (const PsimDist *d, double *alpha, double *beta)
{
  double range = d->max - d->min;
  *alpha = 1 + 4 * (d->likely - d->min) / range;
  *beta = 1 + 4 * (d->max - d->likely) / range;
}

static void
lognormal_params (const PsimDist *d, double *mu, double *sigma)
{
  double s2 = log1p ((d->sd * d->sd) / (d->mean * d->mean));
  *sigma = sqrt (s2);
  *mu = log (d->mean) - s2 / 2;
}

/* Standard normal density and upper tail. */
static double
phi (double x)
{
  return exp (-x * x / 2) / sqrt (2 * G_PI);
}

static double
upper_tail (double x)
{
  return 0.5 * erfc (x / G_SQRT2);
}

double
psim_dist_sample (const PsimDist *d, PsimRng *rng)
{
  Sampler s;
  psimp_sampler_init (&s, d);
  return psimp_sampler_draw (&s, rng);
}

void
psimp_sampler_init (Sampler *s, const PsimDist *d)
{
  memset (s, 0, sizeof *s);
  s->kind = d->kind;
  s->min = d->min;
  s->max = d->max;
  s->width = d->max - d->min;
  switch (d->kind)
    {
    case PSIM_DIST_TRIANGULAR:
      if (d->max <= d->min)
        s->kind = PSIM_DIST_FIXED;
      s->tri_base[0] = d->min;
      s->tri_base[1] = d->max;
      s->tri_span[0] = d->likely - d->min;
      s->tri_span[1] = d->max - d->likely;
      s->tri_sign[0] = 1;
      s->tri_sign[1] = -1;
      s->split = s->tri_span[0] / s->width;
      break;
    case PSIM_DIST_PERT:
      {
        if (d->max <= d->min)
          {
            s->kind = PSIM_DIST_FIXED;
            break;
          }
        double alpha, beta;
        pert_shape (d, &alpha, &beta);
        gamma_shape_init (&s->shape[0], alpha);
        gamma_shape_init (&s->shape[1], beta);
        break;
      }
    case PSIM_DIST_EXPONENTIAL:
      s->neg_mean = -d->mean;
      break;
    case PSIM_DIST_NORMAL:
      s->mean = d->mean;
      s->sd = d->sd;
      s->alpha = -d->mean / d->sd;
      s->lambda = (s->alpha + sqrt (s->alpha * s->alpha + 4)) / 2;
      break;
    case PSIM_DIST_LOGNORMAL:
      lognormal_params (d, &s->mu, &s->sigma);
      break;
    case PSIM_DIST_EMPIRICAL:
      s->values = d->values;
      s->n_values = d->n_values;
      break;
    case PSIM_DIST_FIXED:
    case PSIM_DIST_UNIFORM:
    default:
      break;
    }
}

double
psimp_sampler_draw_other (const Sampler *s, PsimRng *rng)
{
  switch (s->kind)
    {
    case PSIM_DIST_PERT:
      {
        double x = gamma_variate (&s->shape[0], rng), y = gamma_variate (&s->shape[1], rng);
        return s->min + s->width * x / (x + y);
      }
    case PSIM_DIST_NORMAL:
      {
        if (s->alpha < 2)
          for (;;)
            {
              double x = s->mean + s->sd * std_normal (rng);
              if (x >= 0)
                return x;
            }
        /* Little mass above 0: exponential rejection in the tail
         * (Robert 1995). */
        double alpha = s->alpha, lambda = s->lambda;
        for (;;)
          {
            double z = alpha - log1p (-psimp_rng_double (rng)) / lambda;
            if (psimp_rng_double (rng) <= exp (-(z - lambda) * (z - lambda) / 2))
              return s->mean + s->sd * z;
          }
      }
    case PSIM_DIST_LOGNORMAL:
      return exp (s->mu + s->sigma * std_normal (rng));
    default:
      return 0;
    }
}

double
psim_dist_mean (const PsimDist *d)
{
  switch (d->kind)
    {
    case PSIM_DIST_FIXED: return d->min;
    case PSIM_DIST_UNIFORM: return (d->min + d->max) / 2;
    case PSIM_DIST_TRIANGULAR: return (d->min + d->likely + d->max) / 3;
    case PSIM_DIST_PERT: return (d->min + 4 * d->likely + d->max) / 6;
    case PSIM_DIST_EXPONENTIAL: return d->mean;
    case PSIM_DIST_NORMAL:
      {
        double alpha = -d->mean / d->sd;
        return d->mean + d->sd * phi (alpha) / upper_tail (alpha);
      }
    case PSIM_DIST_LOGNORMAL: return d->mean;
    case PSIM_DIST_EMPIRICAL:
      {
        double s = 0;
        for (guint i = 0; i < d->n_values; i++)
          s += d->values[i];
        return s / d->n_values;
      }
    default: return 0;
    }
}

double
psim_dist_variance (const PsimDist *d)
{
  switch (d->kind)
    {
    case PSIM_DIST_FIXED: return 0;
    case PSIM_DIST_UNIFORM: return (d->max - d->min) * (d->max - d->min) / 12;
    case PSIM_DIST_TRIANGULAR:
      {
        double a = d->min, c = d->likely, b = d->max;
        return (a * a + b * b + c * c - a * b - a * c - b * c) / 18;
      }
    case PSIM_DIST_PERT:
      {
        if (d->max <= d->min)
          return 0;
        double alpha, beta, r = d->max - d->min;
        pert_shape (d, &alpha, &beta);
        return r * r * alpha * beta / ((alpha + beta) * (alpha + beta) * (alpha + beta + 1));
      }
    case PSIM_DIST_EXPONENTIAL: return d->mean * d->mean;
    case PSIM_DIST_NORMAL:
      {
        double alpha = -d->mean / d->sd, lam = phi (alpha) / upper_tail (alpha);
        return d->sd * d->sd * (1 + alpha * lam - lam * lam);
      }
    case PSIM_DIST_LOGNORMAL: return d->sd * d->sd;
    case PSIM_DIST_EMPIRICAL:
      {
        double m = psim_dist_mean (d), s = 0;
        for (guint i = 0; i < d->n_values; i++)
          s += (d->values[i] - m) * (d->values[i] - m);
        return s / d->n_values;
      }
    default: return 0;
    }
}
