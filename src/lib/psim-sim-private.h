/* psim-sim-private.h — the <simulation> block of a procedure and the
 * duration distributions of its steps, as loaded (psim-sim-load.c) and as
 * the engine (psim-sim-compile.c, psim-sim-run.c) reads them. Shared by the library's files only.
 */
#pragma once

#include "psim-private.h"

#include <procsim/psim-sim.h>

typedef enum {
  PSIM_ARRIVALS_NONE,    /* defaults: 1 case per working hour */
  PSIM_ARRIVALS_POISSON, /* rate per working day or per working hour */
  PSIM_ARRIVALS_PROFILE, /* rates per hour by time of day (<rate>) */
  PSIM_ARRIVALS_LIST,    /* times, hours from the start */
} PsimArrivalsKind;

typedef struct {
  char *id;
  guint line;
  PsimRef actor;
  guint capacity;     /* clerks outside the shifts */
  gboolean priority;
  GArray *shifts;     /* <shift>s: PsimSimShift, in file order */
  double mean_capacity; /* clerks on average over the office hours (checked) */
} PsimSimResource;

/* A stretch of the day with its own number of clerks at a resource. */
typedef struct {
  guint line;
  double from, to; /* hours of the day */
  guint clerks;
} PsimSimShift;

typedef struct {
  guint line;
  char *step_id;
  char *variant_id; /* NULL: every variant */
  PsimRef resource; /* → PsimSimResource */
  PsimDist dist;    /* in hours of work */
  double *values;
  int priority;
  gboolean matched; /* some step has it (checked) */
} PsimSimService;

typedef struct {
  guint line;
  PsimRef param; /* → PsimParam */
  gboolean is_probability;
  double probability;
  PsimDist dist;
  double *values;
} PsimSimSample;

/* Where a figure of the block comes from: checked like every figure's. */
typedef struct {
  guint line;
  const char *element; /* interned */
  char *source;        /* NULL when none is named */
  gboolean sourced;
} PsimSimProvenance;

typedef struct _PsimSimSpec {
  /* calendar */
  guint calendar_line;
  gboolean has_start;
  GDate start;
  guint8 weekdays;
  GArray *hours; /* double pairs */
  double cut_off;
  char *holidays; /* "vn", "none" or a path relative to the file */
  GArray *days;   /* PsimCalendarDay, read by the checks */
  int holidays_last_year;
  /* arrivals */
  PsimArrivalsKind arrivals;
  guint arrivals_line;
  double rate;       /* per working hour */
  GArray *profile;   /* triples from, to, rate per hour */
  GArray *times;     /* doubles */
  GPtrArray *resources; /* PsimSimResource* */
  GPtrArray *services;  /* PsimSimService* */
  GPtrArray *samples;   /* PsimSimSample* */
  /* every step's duration distribution: PsimNode* → PsimDist* */
  GHashTable *durations;
  gboolean in_arrivals; /* loading: a <rate> belongs to <arrivals> */
  GArray *provenance;   /* PsimSimProvenance of every element with a basis */
} PsimSimSpec;

/* The spec of @proc, created empty on first use. (transfer none) */
PsimSimSpec *psim_sim_spec_ensure (PsimProcedure *proc);
/* Frees a procedure's simulation data: the procedure's sim_free. */
void psim_sim_spec_free (PsimSimSpec *spec);

/* Loader hooks. @attrs maps attribute names to values (decoded). @what
 * names the owner in messages ("step 'L3'"). */
void psim_sim_load_duration (PsimProcedure *proc, PsimNode *step, PsimQuantitySlot *slot,
                             GHashTable *attrs, guint line, const char *what,
                             const char *lang, GPtrArray *diags, const char *file);
void psim_sim_load_element (PsimProcedure *proc, const char *name, GHashTable *attrs,
                            guint line, const char *lang, GPtrArray *diags, const char *file);
/* After the checks of the model: resolves the block's references, reads
 * the holiday list, and gives every step with a duration its
 * distribution. */
void psim_sim_spec_check (PsimProcedure *proc, const char *lang, GPtrArray *diags);
