/* psim-rng-private.h — the generator's next number and the usual
 * distributions' samplers, inline: the simulation draws several numbers
 * for every event. psim-rng.c and psim-dist.c's public functions are
 * these; psim-dist.c keeps the samplers that loop (PERT, normal,
 * lognormal) and prepares a distribution for drawing (Sampler).
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

static inline guint64
psimp_splitmix64 (guint64 *x)
{
  guint64 z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/* psim_rng_init_stream () in two parts: what depends on (@seed, @a) only,
 * worked out once for the many streams (@seed, @a, b) of a replication's
 * cases, then the stream of b from it. */
static inline guint64
psimp_rng_stream_base (guint64 seed, guint64 a)
{
  /* Mix the three through splitmix64 in turn: nearby (a, b) pairs give
   * unrelated states. */
  guint64 x = seed;
  guint64 h = psimp_splitmix64 (&x);
  x = h ^ (a * 0xd1342543de82ef95ULL);
  return psimp_splitmix64 (&x);
}

static inline void
psimp_rng_init_substream (PsimRng *rng, guint64 base, guint64 b)
{
  guint64 x = base ^ (b * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL);
  x = psimp_splitmix64 (&x);
  for (int i = 0; i < 4; i++)
    rng->s[i] = psimp_splitmix64 (&x);
}

/* Uniform in [0, 1), 53 bits. */
static inline double
psimp_rng_double (PsimRng *rng)
{
  return (double) (psimp_rng_next (rng) >> 11) * 0x1.0p-53;
}

/* Gamma(shape a, scale 1) by Marsaglia and Tsang, as PERT draws it: the
 * constants of the shape (a boosted by 1 when below 1). */
typedef struct {
  double d, c;   /* a - 1/3, 1 / sqrt (9 d) */
  double inv_a;  /* 1 / a, when boosted */
  gboolean boost;
} GammaShape;

/* A distribution ready to draw from (psimp_sampler_init ()): the
 * parameters with what each draw would otherwise work out again (the
 * lognormal's mu and sigma, PERT's shapes, the triangular's spans and
 * split) worked out once. The simulation draws durations and case data
 * millions of times; a draw gives the very bits psim_dist_sample () gives,
 * the same operations on the same values in the same order, and takes the
 * same random numbers. A degenerate triangular or PERT (max <= min) is
 * made fixed: neither draws. */
typedef struct {
  PsimDistKind kind;
  double min, max;
  double width;                   /* uniform, triangular, PERT: max - min */
  double split;                   /* triangular: (likely - min) / width */
  double tri_base[2], tri_span[2], tri_sign[2]; /* triangular, below the
                                     split and above: min and max,
                                     likely - min and max - likely, 1 and -1 */
  double neg_mean;                /* exponential */
  double mean, sd, alpha, lambda; /* normal: truncated at alpha sds below
                                     the mean; lambda for its far tail */
  double mu, sigma;               /* lognormal: of the underlying normal */
  GammaShape shape[2];            /* PERT */
  const double *values;           /* empirical; borrowed */
  double n_values;
} Sampler;

void psimp_sampler_init (Sampler *s, const PsimDist *d);
double psimp_sampler_draw_other (const Sampler *s, PsimRng *rng);

/* A draw from @s: fixed, uniform, triangular, exponential and empirical
 * here, the samplers that loop in psim-dist.c. */
static inline double
psimp_sampler_draw (const Sampler *s, PsimRng *rng)
{
  switch (s->kind)
    {
    case PSIM_DIST_FIXED:
      return s->min;
    case PSIM_DIST_UNIFORM:
      return s->min + s->width * psimp_rng_double (rng);
    case PSIM_DIST_TRIANGULAR:
      {
        /* u < split ? min + sqrt (u × width × (likely − min))
         *           : max − sqrt ((1 − u) × width × (max − likely)),
         * the side chosen by index, not by a branch that the uniform u
         * makes unpredictable; adding −x is subtracting x. */
        double u = psimp_rng_double (rng);
        guint i = !(u < s->split);
        double v[2] = { u, 1 - u };
        return s->tri_base[i] + s->tri_sign[i] * sqrt (v[i] * s->width * s->tri_span[i]);
      }
    case PSIM_DIST_EXPONENTIAL:
      return s->neg_mean * log1p (-psimp_rng_double (rng));
    case PSIM_DIST_EMPIRICAL:
      return s->values[(guint) (psimp_rng_double (rng) * s->n_values)];
    case PSIM_DIST_PERT:
    case PSIM_DIST_NORMAL:
    case PSIM_DIST_LOGNORMAL:
    default:
      return psimp_sampler_draw_other (s, rng);
    }
}
