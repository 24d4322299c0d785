/* psim-rng-private.h — the generator's next number and the usual
 * distributions' samplers, inline: the simulation draws several numbers
 * for every event. psim-rng.c and psim-dist.c's public functions are
 * these; psim-dist.c keeps the samplers that loop (PERT, normal,
 * lognormal).
 */
#pragma once

#include <glib.h>
#include <math.h>
#include <procsim/psim-sim.h>

static inline guint64
psimp_rng_rotl (guint64 x, int k)
{
  return (x << k) | (x >> (64 - k));
}

/* xoshiro256** (Blackman and Vigna, public domain). */
static inline guint64
psimp_rng_next (PsimRng *rng)
{
  guint64 *s = rng->s;
  const guint64 result = psimp_rng_rotl (s[1] * 5, 7) * 9;
  const guint64 t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = psimp_rng_rotl (s[3], 45);
  return result;
}

/* Uniform in [0, 1), 53 bits. */
static inline double
psimp_rng_double (PsimRng *rng)
{
  return (double) (psimp_rng_next (rng) >> 11) * 0x1.0p-53;
}

double psimp_dist_sample_other (const PsimDist *d, PsimRng *rng);

/* psim_dist_sample (): fixed, uniform, triangular, exponential and
 * empirical here, the others in psim-dist.c. */
static inline double
psimp_dist_sample (const PsimDist *d, PsimRng *rng)
{
  switch (d->kind)
    {
    case PSIM_DIST_FIXED:
      return d->min;
    case PSIM_DIST_UNIFORM:
      return d->min + (d->max - d->min) * psimp_rng_double (rng);
    case PSIM_DIST_TRIANGULAR:
      {
        double a = d->min, c = d->likely, b = d->max;
        if (b <= a)
          return a;
        double u = psimp_rng_double (rng), f = (c - a) / (b - a);
        return u < f ? a + sqrt (u * (b - a) * (c - a)) : b - sqrt ((1 - u) * (b - a) * (b - c));
      }
    case PSIM_DIST_EXPONENTIAL:
      return -d->mean * log1p (-psimp_rng_double (rng));
    case PSIM_DIST_EMPIRICAL:
      return d->values[(guint) (psimp_rng_double (rng) * d->n_values)];
    case PSIM_DIST_PERT:
    case PSIM_DIST_NORMAL:
    case PSIM_DIST_LOGNORMAL:
    default:
      return psimp_dist_sample_other (d, rng);
    }
}
