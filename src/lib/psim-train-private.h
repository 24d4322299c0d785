/* psim-train-private.h — the layout of scenarios, shared by the scenario
 * loader (psim-scenario.c), the engine (psim-session.c) and the records
 * (psim-record.c). Not installed.
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
  gint64 started;

  GPtrArray *answers;   /* Answer* */
  GArray *events;       /* PsimEvent */
  GArray *sources;      /* Source, parallel to events */

  gboolean *done;       /* per occurrence */
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

/* "answers": [{"input", "ms"}…], as a checkpoint and a record hold them. */
void psim_json_add_answers (JsonBuilder *b, const PsimSession *s);
