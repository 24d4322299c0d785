/* psim-train-private.h — the layout of scenarios and sessions, shared by
 * the scenario (psim-scenario.c), its reading, checks and ideal run
 * (psim-scenario-load.c, psim-scenario-check.c, psim-ideal-run.c), the
 * engine (psim-session.c), checkpoints (psim-checkpoint.c) and the records
 * (psim-record.c). Not installed.
 *
 * The files depend on each other in one direction only: the scenario
 * object on nothing here; the ideal run and the engine on the scenario;
 * checkpoints and records on the engine; the checks on the engine (they
 * play a perfect run); the reading on all of these.
 */
#pragma once

#include "psim-json-private.h"
#include "psim-private.h"

#include <json-glib/json-glib.h>
#include <procsim/psim-scenario.h>
#include <procsim/psim-session.h>

typedef struct {
  char *id;
  guint line;
  PsimDistractorKind kind;
  char *at;             /* the step it is offered for */
  char *step_id;        /* (nullable) the step it names */
  const PsimNode *step; /* resolved: a compared-variant step or a later step */
  int cost;             /* positive */
  GPtrArray *labels;    /* PsimText* */
  GPtrArray *feedback;  /* PsimText* */
} PsimDistractor;

typedef struct {
  char *id;
  gboolean correct;
  GPtrArray *labels;   /* PsimText* */
  GPtrArray *feedback; /* PsimText* */
} PsimOption;

struct _PsimQuestion {
  char *id;
  guint line;
  PsimQuestionKind kind;
  int points;
  char *after;
  GPtrArray *prompt;   /* PsimText* */
  GPtrArray *feedback; /* PsimText* */
  GPtrArray *options;  /* PsimOption* */
  char *expr;          /* number questions */
  double answer;
  double tolerance;
  char *unit;
};

typedef struct {
  char *at;
  guint line;
  int cost;
  GPtrArray *texts; /* PsimText* */
} PsimHint;

/* One step of the ideal run. A step on a loop has one occurrence per
 * pass. */
typedef struct {
  const PsimNode *node;
  guint path_index;        /* position in the path */
  GArray *preds;           /* guint: occurrences that must be done first */
  PsimElapsed finish;      /* simulated time when it is done, ideal run */
  double fees;             /* fees and taxes of the step for this case */
  guint documents;         /* documents handed in (applicant interactions) */
  GPtrArray *distractors;  /* const PsimDistractor*, offered while due */
  GPtrArray *questions;    /* const PsimQuestion*, asked once done */
  const PsimHint *hint;    /* (nullable) */
} PsimOccurrence;

struct _PsimScenario {
  gint ref_count;
  char *file;
  char *id;
  char *checksum;
  GPtrArray *titles, *briefings, *persona_names, *persona_roles, *case_descriptions,
      *debriefs;          /* PsimText* */
  GPtrArray *objectives;  /* GPtrArray* of PsimText* */
  PsimScoring scoring;
  double limit_days;
  double limit_minutes;
  guint limit_line;

  PsimProcedure *proc;
  const PsimVariant *variant;
  const PsimVariant *compare; /* nullable */
  PsimCase *pcase;
  PsimPath *path;
  PsimPath *compare_path; /* nullable */

  GPtrArray *distractors; /* PsimDistractor* */
  GPtrArray *questions;   /* PsimQuestion* */
  GPtrArray *hints;       /* PsimHint* */
  GArray *occurrences;    /* PsimOccurrence */
  int max_score;
};

/* ---- sessions (psim-session.c, read by psim-record.c) ---------------------- */

typedef struct {
  char *input;
  gint64 ms;
} Answer;

/* What an event came from, for its feedback. */
typedef struct {
  const PsimDistractor *distractor;
  const PsimHint *hint;
  const PsimOption *option; /* single choice: the option chosen */
  char *response; /* questions: the answer resolved, option ids joined by
                   * "[,]" or the number; NULL when skipped. Owned. */
} Source;

/* An option of a step prompt. */
typedef struct {
  guint64 key;
  const char *id;
  int occurrence;                  /* ≥ 0 for a step */
  const PsimDistractor *distractor; /* else */
} StepOption;

struct _PsimSession {
  PsimScenario *sc;
  guint64 seed;
  const char *lang; /* of the error messages: psim_lang_normalize ()'s */
  char *id;
  char *actor;
  char *home_page;  /* (nullable) the xAPI actor's account homePage */
  gint64 started;
  gboolean scripted;

  GPtrArray *answers;   /* Answer* */
  GArray *events;       /* PsimEvent */
  GArray *sources;      /* Source, parallel to events */

  gboolean *done;       /* per occurrence */
  /* Kept as steps are done, so that a prompt costs the steps enabled,
   * not the whole run (a scenario over 100,000 steps): */
  guint *waiting;       /* per occurrence: predecessors not done yet */
  guint *succ_start;    /* occurrence i's successors: succ[succ_start[i]..succ_start[i+1]) */
  guint *succ;
  GArray *ready;        /* guint: the occurrences enabled, ascending */
  guint n_done;
  const PsimNode *last_step;
  PsimElapsed detour;   /* simulated time lost on unnecessary steps */
  PsimElapsed reached;  /* the latest finish among the steps done */

  /* The current point */
  GArray *options;      /* StepOption, step prompts */
  GPtrArray *used;      /* const PsimDistractor* picked at this point */
  guint wrong_here;
  gboolean hint_here;
  GPtrArray *queue;     /* const PsimQuestion* still to ask */
  GArray *q_order;      /* guint: option indices of the question, as shown */

  PsimTally tally;
  PsimScore score;
  int raw_score;
  PsimPromptKind prompt;
};

/* ---- between the files ------------------------------------------------------ */

/* A new, empty scenario read from @file (psim-scenario.c). (transfer full) */
PsimScenario *psimp_scenario_new (const char *file);
/* The names of PsimQuestionKind and PsimDistractorKind, NULL-terminated. */
extern const char *const psimp_question_kind_names[];
extern const char *const psimp_distractor_kind_names[];
void psimp_option_free (PsimOption *o);

/* Where the findings about a scenario file go while it is read and
 * checked (psim-scenario-load.c, psim-scenario-check.c). */
typedef struct {
  const char *file;
  const char *lang; /* of the diagnostics: the loader's */
  GPtrArray *diags;
  guint missing[2];      /* texts without an "en", a "vi" version */
  guint missing_line[2]; /* the first of them */
} PsimpScenarioLoad;

/* Checks the references of @sc, which has its procedure, case, path and
 * ideal run, and then, if no error has been found, plays a perfect run;
 * findings into @ld->diags. Also sets @sc->max_score
 * (psim-scenario-check.c). */
void psimp_scenario_check (PsimpScenarioLoad *ld, PsimScenario *sc);

/* Fills @sc->occurrences from @sc->path: one occurrence per step done on
 * the path, each with the occurrences that must come first and its finish
 * on the ideal run (psim-ideal-run.c). */
void psimp_ideal_run_build (PsimScenario *sc);
/* TRUE when occurrence @a must be done before occurrence @b. */
gboolean psimp_ideal_run_comes_before (const PsimScenario *sc, guint a, guint b);

/* "answers": [{"input", "ms"}…], as a checkpoint and a record hold them
 * (psim-checkpoint.c). */
void psimp_checkpoint_add_answers (JsonBuilder *b, const PsimSession *s);
