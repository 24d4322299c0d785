/* psim-scenario.h — training scenarios: an exercise on one variant of a
 * procedure, for one case (docs/scenarios.md).
 *
 * Loading a scenario loads the procedure it names, applies its case data
 * and computes, once, everything a training session needs: the path the
 * case takes through the trained variant, the order in which its steps may
 * be done (parallel branches in either order), and the path of the same
 * case through the compared variant. Loaded scenarios are immutable and
 * shared by any number of sessions (psim-session.h).
 */
#pragma once

#include <glib.h>
#include <procsim/psim-case.h>
#include <procsim/psim-load.h>
#include <procsim/psim-model.h>
#include <procsim/psim-path.h>

G_BEGIN_DECLS

typedef struct _PsimScenario PsimScenario;
typedef struct _PsimQuestion PsimQuestion;

typedef enum {
  PSIM_QUESTION_SINGLE,   /* one right option */
  PSIM_QUESTION_MULTIPLE, /* the exact set of right options */
  PSIM_QUESTION_NUMBER,   /* a number computed from the case */
  PSIM_QUESTION_ORDER,    /* the options in the right order */
} PsimQuestionKind;

typedef enum {
  PSIM_DISTRACTOR_UNNECESSARY,  /* a step the reform made unnecessary */
  PSIM_DISTRACTOR_MISTAKE,      /* a plausible wrong action */
  PSIM_DISTRACTOR_OUT_OF_ORDER, /* a later step, too early */
} PsimDistractorKind;

/* Points and costs, as in <scoring> (defaults filled in). */
typedef struct {
  int pass_mark; /* percent */
  int step;      /* points per step done right */
  int wrong;
  int unnecessary;
  int out_of_order;
  int skipped;
  int attempts; /* wrong picks at one point before the step is revealed */
} PsimScoring;

const char *psim_question_kind_to_string (PsimQuestionKind kind);
const char *psim_distractor_kind_to_string (PsimDistractorKind kind);

/* TRUE when @path's root element is a procsim scenario (reads the start of
 * the file only; FALSE on any error). */
gboolean psim_file_is_scenario (const char *path);

/* Loads the scenario @path and the procedure it names (resolved relative to
 * @path), with @loader. Every finding about either file is appended to
 * @diags (may be NULL). (transfer full) NULL, with @error set, when either
 * has errors; among them, the scenario checks: the steps, actors and case
 * data named exist, every question has a right answer, a distractor's id
 * is no step's, its step is of the compared variant (unnecessary) or comes
 * later on the path (out of order), and a perfect run reaches the pass
 * mark in time (docs/scenarios.md, "Checks"). */
PsimScenario *psim_scenario_load_file (PsimLoader *loader, const char *path,
                                       GPtrArray *diags, GError **error);

/* The same from memory; @name is the file name used in diagnostics and to
 * resolve the procedure's href. */
PsimScenario *psim_scenario_load_memory (PsimLoader *loader, const char *data, gsize size,
                                         const char *name, GPtrArray *diags, GError **error);

PsimScenario *psim_scenario_ref (PsimScenario *sc);
void psim_scenario_unref (PsimScenario *sc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsimScenario, psim_scenario_unref)

/* All (transfer none). Texts: @lang, else English, else the first given;
 * the nullable ones are NULL when the scenario has none. */
const char *psim_scenario_get_id (const PsimScenario *sc);
const char *psim_scenario_get_file (const PsimScenario *sc);
/* SHA-256 of the scenario file's bytes, in hex: a checkpoint names it. */
const char *psim_scenario_get_checksum (const PsimScenario *sc);
const char *psim_scenario_get_title (const PsimScenario *sc, const char *lang);
const char *psim_scenario_get_briefing (const PsimScenario *sc, const char *lang);
const char *psim_scenario_get_persona (const PsimScenario *sc, const char *lang); /* nullable */
const char *psim_scenario_get_role (const PsimScenario *sc, const char *lang);    /* nullable */
const char *psim_scenario_get_case_description (const PsimScenario *sc, const char *lang); /* nullable */
guint psim_scenario_get_n_objectives (const PsimScenario *sc);
const char *psim_scenario_get_objective (const PsimScenario *sc, guint i, const char *lang);
const char *psim_scenario_get_debrief (const PsimScenario *sc, const char *lang);
const PsimScoring *psim_scenario_get_scoring (const PsimScenario *sc);
/* 0 when there is no such limit. */
double psim_scenario_get_time_limit_days (const PsimScenario *sc);
double psim_scenario_get_time_limit_minutes (const PsimScenario *sc);

PsimProcedure *psim_scenario_get_procedure (const PsimScenario *sc);
const PsimVariant *psim_scenario_get_variant (const PsimScenario *sc);
/* (nullable) The variant the debrief compares with. */
const PsimVariant *psim_scenario_get_compare_variant (const PsimScenario *sc);
/* The case: the procedure's defaults with the scenario's values set. */
const PsimCase *psim_scenario_get_case (const PsimScenario *sc);
/* The path of the case through the trained variant: the ideal run. */
const PsimPath *psim_scenario_get_path (const PsimScenario *sc);
/* (nullable) The path of the same case through the compared variant. */
const PsimPath *psim_scenario_get_compare_path (const PsimScenario *sc);
/* Steps on the ideal run (a step on a loop counts each time). */
guint psim_scenario_get_n_path_steps (const PsimScenario *sc);
/* Full marks: steps × step points + the questions' points. */
int psim_scenario_get_max_score (const PsimScenario *sc);

guint psim_scenario_get_n_questions (const PsimScenario *sc);
const PsimQuestion *psim_scenario_get_question (const PsimScenario *sc, guint i);

const char *psim_question_get_id (const PsimQuestion *q);
PsimQuestionKind psim_question_get_kind (const PsimQuestion *q);
int psim_question_get_points (const PsimQuestion *q);
const char *psim_question_get_prompt (const PsimQuestion *q, const char *lang);
/* (nullable) The explanation shown after any answer. */
const char *psim_question_get_feedback (const PsimQuestion *q, const char *lang);
/* Options in file order (for order questions: the right order). */
guint psim_question_get_n_options (const PsimQuestion *q);
const char *psim_question_get_option_id (const PsimQuestion *q, guint i);
const char *psim_question_get_option_label (const PsimQuestion *q, guint i, const char *lang);
/* (nullable) */
const char *psim_question_get_option_feedback (const PsimQuestion *q, guint i, const char *lang);
gboolean psim_question_get_option_correct (const PsimQuestion *q, guint i);
/* Number questions: the right value for the scenario's case, the
 * tolerance, and (nullable) the unit. */
double psim_question_get_answer (const PsimQuestion *q);
double psim_question_get_tolerance (const PsimQuestion *q);
const char *psim_question_get_unit (const PsimQuestion *q);

G_END_DECLS
