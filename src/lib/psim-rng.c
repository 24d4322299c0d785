/* psim-rng.c — the simulation's random numbers: xoshiro256** seeded by
 * splitmix64 (both by Blackman and Vigna, public domain algorithms), with
 * sub-streams derived from (seed, a, b) so that a replication, a case or a
 * purpose always draws the same numbers whatever runs before it. No
 * global state: each stream is a caller-owned struct.
 */
#include "psim-private.h"

#include <procsim/psim-sim.h>

#include "psim-rng-private.h"

static guint64
splitmix64 (guint64 *x)
{
  guint64 z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

void
psim_rng_init (PsimRng *rng, guint64 seed)
{
  guint64 x = seed;
  for (int i = 0; i < 4; i++)
    rng->s[i] = splitmix64 (&x);
}

void
psim_rng_init_stream (PsimRng *rng, guint64 seed, guint64 a, guint64 b)
{
  /* Mix the three through splitmix64 in turn: nearby (a, b) pairs give
   * unrelated states. */
  guint64 x = seed;
  guint64 h = splitmix64 (&x);
  x = h ^ (a * 0xd1342543de82ef95ULL);
  h = splitmix64 (&x);
  x = h ^ (b * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL);
  psim_rng_init (rng, splitmix64 (&x));
}

guint64
psim_rng_next (PsimRng *rng)
{
  return psimp_rng_next (rng);
}

double
psim_rng_double (PsimRng *rng)
{
  return psimp_rng_double (rng);
}
