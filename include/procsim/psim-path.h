/* psim-path.h — the path one case takes through a variant, and its totals.
 *
 * At an exclusive choice the path takes the first branch whose condition
 * holds for the case (a branch without condition is the default); when no
 * branch has a condition it takes the most probable one, or the branch the
 * case sets (psim_case_set_branch ()). A loop is not taken when chosen by
 * probability (the most likely run does not go back); a branch the case
 * sets back takes it once around; a condition that sends the case round
 * forever is an error.
 * Parallel branches are listed one after the other, in branch order; their
 * elapsed time counts once, the longest branch.
 */
#pragma once

#include <glib.h>
#include <procsim/psim-case.h>
#include <procsim/psim-model.h>

G_BEGIN_DECLS

typedef struct _PsimPath PsimPath;

/* Elapsed time, kept per unit: the model does not convert working days
 * into calendar days. Uses the most likely durations. */
typedef struct {
  double working_days;
  double calendar_days;
  double hours;
} PsimElapsed;

typedef struct {
  guint steps;        /* steps on the path */
  guint interactions; /* applicant interactions with an external party */
  guint visits;       /* in-person visits */
  PsimElapsed elapsed;
  double effort_hours; /* the applicant's own time */
  double fees[3];      /* indexed by PsimFeeKind, in the procedure currency */
  double fees_total;
} PsimTotals;

/* Elapsed time as one number of days: working and calendar days added,
 * hours counted 8 to a working day. For display and comparison only. */
double psim_elapsed_days (const PsimElapsed *elapsed);

/* Computes the path of @pcase through @variant, with fees evaluated.
 * NULL with @error (PSIM_CASE_ERROR_EVAL) when an expression fails, no
 * branch of a choice applies, or a condition loops forever. (transfer full) */
PsimPath *psim_path_new (const PsimVariant *variant, PsimCase *pcase, GError **error);
void psim_path_free (PsimPath *path);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsimPath, psim_path_free)

/* The variant walked. (transfer none) */
const PsimVariant *psim_path_get_variant (const PsimPath *path);

/* The nodes of the path in order: start, steps, choices, splits, joins, end. */
guint psim_path_get_n_nodes (const PsimPath *path);
const PsimNode *psim_path_get_node (const PsimPath *path, guint i);
/* For a choice at position @i: the branch taken; -1 for other nodes. */
int psim_path_get_branch (const PsimPath *path, guint i);
/* Whether the branch taken at position @i is the one the case set
 * (psim_case_set_branch ()) rather than the rule's. */
gboolean psim_path_get_branch_set (const PsimPath *path, guint i);
/* The fees of the step at position @i, in the order of its <fee> elements. */
const double *psim_path_get_fees (const PsimPath *path, guint i, guint *n_fees);
const PsimTotals *psim_path_get_totals (const PsimPath *path);
/* Whether the node at position @i lies on a branch of a parallel split;
 * if so *@split is the position of the innermost such split in the path
 * and *@branch the branch's index. A split and its join lie outside their
 * own branches. Lets a caller find the critical (longest) branch by its
 * own measure. */
gboolean psim_path_get_parallel (const PsimPath *path, guint i, guint *split, guint *branch);

/* A legal time limit and whether the case meets it (docs/format.md,
 * "Legal limits"): the whole procedure's, a step's or an applicant's duty.
 * The modelled time is the elapsed time the limit counts (from the end of
 * its `from` node, or the start, to the end of its `by` step, or the end;
 * a step's: its own duration) as one number of days
 * (psim_elapsed_days ()), in hours for a limit in hours. */
typedef enum {
  PSIM_LIMIT_PROCEDURE,
  PSIM_LIMIT_STEP,
  PSIM_LIMIT_DUTY,
} PsimLimitLevel;

typedef struct {
  PsimLimitLevel level;
  const PsimLimit *limit; /* the procedure's or the duty; NULL for a step's */
  const PsimNode *step;   /* a step's limit: the step */
  /* FALSE when the path does not take the step the limit counts from or
   * to (then nothing below is set but value and unit). */
  gboolean applies;
  double value;           /* the limit for this case (the <when> that holds) */
  int condition;          /* the <when> that gave the value; -1: none */
  PsimTimeUnit unit;
  double modelled;        /* the time counted, in unit */
  double margin;          /* value − modelled: to spare when ≥ 0, over when < 0 */
  gboolean met;
  gboolean filed_late;    /* filed after the cut-off: counted from the next working day */
} PsimLimitCheck;

/* The legal limits the path is measured against: the procedure's first,
 * then the steps' in path order, then the duties. (transfer none) */
guint psim_path_get_n_limits (const PsimPath *path);
const PsimLimitCheck *psim_path_get_limit (const PsimPath *path, guint i);
/* What a limit is, for people: "Whole procedure", "Step 'Pay the taxes'",
 * "Duty: Register within 30 days". (transfer full) */
char *psim_limit_check_subject (const PsimLimitCheck *check, const char *lang);
/* The verdict, for people: "limit 3 working days, modelled 2.5: met, 0.5
 * to spare"; "does not apply: step 'x' is not on this path". (transfer full) */
char *psim_limit_check_verdict (const PsimLimitCheck *check, const char *lang);
/* "Subject: verdict (law number)": one limit as show, compare and the
 * trainer's debrief print it. (transfer full) */
char *psim_limit_check_to_text (const PsimLimitCheck *check, const char *lang);

/* The path for people, each step with actor, channel, interaction, visit,
 * duration and fees, the choices taken and the totals, in @lang; wrapped
 * at 80 columns. @pcase is the case the path was computed for.
 * (transfer full) */
char *psim_path_to_text (const PsimPath *path, const PsimCase *pcase, const char *lang);
/* The same as JSON (docs/cli.md, "show"). (transfer full) */
char *psim_path_to_json (const PsimPath *path, const PsimCase *pcase, const char *lang);

G_END_DECLS
