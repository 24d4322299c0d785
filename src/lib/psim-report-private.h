/* psim-report-private.h — what the files of the trainer's report share,
 * and nothing else includes.
 *
 * psim-report.c reads records and checkpoints into entries;
 * psim-report-summary.c sums the entries of a period per scenario; the
 * figures (psim-report-figures.c) and the writers (psim-report-text.c,
 * -json.c, -table.c) read those sums. Each uses only the files before it.
 */
#pragma once

#include "psim-train-private.h"

#include <procsim/psim-report.h>

/* The most frequent mistakes a scenario's report lists. */
#define TOP_MISTAKES 5

/* ---- entries: one per record or checkpoint (psim-report.c) ---------------- */

typedef struct {
  char *kind;
  char *ref;
} Event;

typedef struct {
  char *scenario;
  char *title; /* the record's, in the session's language; nullable */
  char *session;
  char *actor;
  gint64 started; /* microseconds since the epoch; 0 unknown */
  gboolean finished, passed, scripted;
  gboolean checkpoint; /* a checkpoint, not a record */
  double percent, ms;
  guint answers;
  GArray *events; /* Event: the mistakes and questions */
} Entry;

struct _PsimReport {
  GPtrArray *entries;     /* Entry* in the order added */
  GHashTable *scenarios;  /* ids seen */
  GHashTable *recorded;   /* session ids with a record */
};


/* ---- the sums, per scenario (psim-report-summary.c) ------------------------ */

typedef struct {
  const char *name;
  guint attempts, finished, unfinished, passed;
  double best, last;  /* percent; NAN before a finished attempt */
  gint64 last_finish; /* start of the finished attempt "last" is of */
  gint64 date;        /* start of the latest attempt */
} Trainee;

typedef struct {
  const char *id;
  const char *label; /* nullable */
  guint asked, right;
  guint order;
} Question;

typedef struct {
  const char *kind, *ref;
  char *label; /* "Unnecessary step: …" */
  guint count;
} Mistake;

typedef struct {
  const char *id;
  const char *title;
  const PsimScenario *sc; /* nullable */
  guint attempts, finished, unfinished, passed, scripted;
  double percent_sum, ms_sum;
  GArray *percents, *mss; /* double: the finished attempts', for medians */
  GPtrArray *trainees;   /* Trainee* */
  GPtrArray *open;       /* const Entry*: unfinished sessions */
  GPtrArray *questions;  /* Question* */
  GPtrArray *mistakes;   /* Mistake* */
} Summary;


/* The summaries of the period, in scenario id order; only of @only (whose
 * summary is there even without a session) when it is not NULL. (transfer
 * full) */
GPtrArray *psimp_report_summarise (const PsimReport *report, const PsimReportOptions *o,
                                   const PsimScenario *only);
/* @options, or the defaults (every date, English) when NULL. (transfer none) */
const PsimReportOptions *psimp_report_options_or_default (const PsimReportOptions *options);
/* The sums of @s as the public figures (psim-report-figures.c). (transfer
 * full) */
PsimReportFigures *psimp_report_figures_new (const Summary *s);
/* The mean score, in percent, of the finished attempts; 0 without one. */
double psimp_report_mean_percent (const Summary *s);
/* The share of the finished attempts that passed, in percent; 0 without one. */
double psimp_report_pass_rate (const Summary *s);
/* The mean time of a finished attempt, in minutes to a tenth; 0 without one. */
double psimp_report_mean_minutes (const Summary *s);
