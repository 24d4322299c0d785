/* psim-rng.c — the simulation's random numbers: xoshiro256** seeded by
 * splitmix64 (both by Blackman and Vigna, public domain algorithms), with
 * sub-streams derived from (seed, a, b) so that a replication, a case or a
 * purpose always draws the same numbers whatever runs before it. No
 * global state: each stream is a caller-owned struct.
 */
#include "psim-private.h"

#include <procsim/psim-sim.h>

#include "psim-rng-private.h"

void
psim_rng_init (PsimRng *rng, guint64 seed)
{
  guint64 x = seed;
  for (int i = 0; i < 4; i++)
    rng->s[i] = psimp_splitmix64 (&x);
}

void
psim_rng_init_stream (PsimRng *rng, guint64 seed, guint64 a, guint64 b)
{
  psimp_rng_init_substream (rng, psimp_rng_stream_base (seed, a), b);
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
