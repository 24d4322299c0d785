/* psim-gen.h — generates large, valid procedure files for the pathological
 * tests and the benchmarks. */
#pragma once

#include <glib.h>

/* A procedure with one variant of @n_steps steps: sequential runs, with a
 * correction loop (a choice going back) and a parallel split/join every 50
 * steps, fee formulas and durations on every step. Deterministic: the same
 * @n_steps gives the same bytes. (transfer full) */
char *psim_gen_procedure (guint n_steps);

/* A procedure of @n steps in one lane, each followed by a choice that goes
 * on to the next step or jumps back or forward to two steps far away:
 * few nodes, but edges that cross many of dot's ranks (the worst case for
 * its layout time). (transfer full) */
char *psim_gen_jumps (guint n);

/* A procedure whose variant nests @depth parallel splits inside each other
 * (split k's first branch is split k+1), each with one step on its second
 * branch: a worst case for graph checks and path walks that recurse or
 * rescan nested regions. (transfer full) */
char *psim_gen_nested_splits (guint depth);
