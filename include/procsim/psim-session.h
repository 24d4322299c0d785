/* psim-session.h — the training engine: one trainee's run of a scenario.
 *
 * A session is a state machine over the ideal run of its scenario. At each
 * point it offers a prompt (choose the next step, or answer a question)
 * with its options, and takes the trainee's answer as text, exactly as
 * typed: an option's number or id, "hint", "skip", a number, a list. Each
 * answer becomes one or more events (a step done, a wrong action, a hint
 * taken...) with their points; the score is their sum. The engine does no
 * I/O and reads no clock: the caller passes the time the trainee took.
 *
 * A session is fully determined by its scenario, its seed (which shuffles
 * the options) and its answers, so a checkpoint is just those, and
 * restoring replays them: the restored session is the same, event for
 * event, as the one saved.
 */
#pragma once

#include <glib.h>
#include <procsim/psim-path.h>
#include <procsim/psim-scenario.h>

G_BEGIN_DECLS

typedef struct _PsimSession PsimSession;

#define PSIM_SESSION_ERROR (psim_session_error_quark ())
GQuark psim_session_error_quark (void);

typedef enum {
  PSIM_SESSION_ERROR_INPUT,      /* the answer cannot be read: nothing recorded */
  PSIM_SESSION_ERROR_FINISHED,   /* the session is over */
  PSIM_SESSION_ERROR_CHECKPOINT, /* a checkpoint cannot be read or does not fit */
} PsimSessionError;

typedef enum {
  PSIM_PROMPT_STEP,     /* choose the next action */
  PSIM_PROMPT_QUESTION, /* answer psim_session_get_question () */
  PSIM_PROMPT_FINISHED,
} PsimPromptKind;

typedef enum {
  PSIM_EVENT_STEP,         /* a step done right */
  PSIM_EVENT_WRONG,        /* a plausible mistake */
  PSIM_EVENT_UNNECESSARY,  /* a step the reform made unnecessary */
  PSIM_EVENT_OUT_OF_ORDER, /* a later step, too early */
  PSIM_EVENT_SKIPPED,      /* a step revealed: asked for, or too many attempts */
  PSIM_EVENT_HINT,
  PSIM_EVENT_RIGHT,        /* a question answered right */
  PSIM_EVENT_MISSED,       /* a question answered wrong or skipped */
} PsimEventKind;

const char *psim_event_kind_to_string (PsimEventKind kind);
/* TRUE for the events whose step is on the path a picture of the session
 * draws (psim_renderer_render_* ()'s highlight): a step done, a step
 * revealed, and an old step taken although the reform made it
 * unnecessary. A session record's path (psim_record_path_read ()) and the
 * browser trainer's graph both keep these. */
gboolean psim_event_kind_is_on_path (PsimEventKind kind);

typedef struct {
  PsimEventKind kind;
  const char *ref;     /* the step, distractor or question id */
  const PsimNode *step; /* (nullable) the step done, skipped or, for
                          * unnecessary and out-of-order, named */
  const PsimQuestion *question; /* (nullable) */
  int points;          /* gained (> 0) or lost (< 0) */
  guint answer;        /* index of the answer that made it */
  gint64 real_ms;      /* time the trainee took for that answer */
  PsimElapsed clock;   /* the simulated clock after the event */
} PsimEvent;

/* What the run has done and cost so far. */
typedef struct {
  guint steps;      /* steps done (right or revealed) */
  guint actions;    /* every action taken, wrong ones included */
  guint visits;     /* in-person visits, detours included */
  guint documents;  /* documents handed in at applicant interactions */
  double fees;      /* fees and taxes paid, in the procedure currency */
  PsimElapsed clock; /* the simulated clock */
} PsimTally;

/* The score and its breakdown. Costs are positive numbers. */
typedef struct {
  int score;      /* the sum of the events' points, at least 0 */
  int max_score;
  double percent;
  gboolean passed; /* percent ≥ pass mark, and within the time limits */
  gboolean over_time;
  guint steps_right, steps_skipped;
  int step_points;
  guint n_wrong, n_unnecessary, n_out_of_order, n_hints;
  int wrong_cost, unnecessary_cost, out_of_order_cost, skipped_cost, hint_cost;
  guint questions_right, questions_asked;
  int question_points, question_max;
  gint64 real_ms; /* the trainee's time, all answers */
} PsimScore;

/* A session at its start. @seed orders the options (same seed, same
 * order). Takes a reference on @sc of its own. (transfer full) */
PsimSession *psim_session_new (PsimScenario *sc, guint64 seed);
void psim_session_free (PsimSession *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsimSession, psim_session_free)

PsimScenario *psim_session_get_scenario (const PsimSession *s);
guint64 psim_session_get_seed (const PsimSession *s);

/* The language of the messages of the errors psim_session_answer ()
 * reports (psim-i18n.h; "en" until set): a refused answer is told to the
 * trainee. The string returned is static. */
void psim_session_set_language (PsimSession *s, const char *lang);
const char *psim_session_get_language (const PsimSession *s);

/* Who and when, for records and checkpoints; the engine does not use them.
 * @started is in microseconds since the Unix epoch. */
void psim_session_set_identity (PsimSession *s, const char *id, const char *actor, gint64 started);
const char *psim_session_get_id (const PsimSession *s);    /* nullable */
const char *psim_session_get_actor (const PsimSession *s); /* nullable */
gint64 psim_session_get_started (const PsimSession *s);
/* The xAPI actor's account homePage in the records (an IRI: the system
 * the actor's name is an account of, e.g. the server's address); NULL, the
 * default, gives procsim's own IRI. Copied. */
void psim_session_set_home_page (PsimSession *s, const char *iri);
const char *psim_session_get_home_page (const PsimSession *s); /* nullable */
/* Whether the answers come from a script (a file of answers, a test)
 * rather than a trainee at the keyboard: a report keeps such replays
 * apart from the attempts (psim-report.h). Kept in records and
 * checkpoints; FALSE until set. */
void psim_session_set_scripted (PsimSession *s, gboolean scripted);
gboolean psim_session_get_scripted (const PsimSession *s);

PsimPromptKind psim_session_get_prompt (const PsimSession *s);
/* Step k of n: the step the trainee is at. While the questions on a step
 * are asked, that step; at the end, the number of steps done. */
guint psim_session_get_step_number (const PsimSession *s);
const PsimTally *psim_session_get_tally (const PsimSession *s);
/* (nullable) The last step done: the situation the trainee is in. */
const PsimNode *psim_session_get_last_step (const PsimSession *s);

/* The options of the current prompt, in the order shown (the seed's).
 * Step prompts: the steps enabled now and the distractors offered. */
guint psim_session_get_n_options (const PsimSession *s);
const char *psim_session_get_option_id (const PsimSession *s, guint i);
const char *psim_session_get_option_label (const PsimSession *s, guint i, const char *lang);
/* (nullable) For a wrong option (a distractor): why it is wrong. NULL for
 * the options that are right. */
const char *psim_session_get_option_feedback (const PsimSession *s, guint i, const char *lang);
/* (nullable) The question being asked. */
const PsimQuestion *psim_session_get_question (const PsimSession *s);
/* (nullable) The hint for the current point, and what it costs. */
const char *psim_session_get_hint (const PsimSession *s, const char *lang, int *cost);

/* Longest time one answer counts for: a day, in milliseconds. */
#define PSIM_SESSION_MAX_ANSWER_MS G_GINT64_CONSTANT (86400000)

/* Longest answer taken, in bytes: longer is refused (PSIM_SESSION_ERROR_INPUT)
 * and a front-end reads no more than this and one byte of a line. Error
 * messages quote at most 80 bytes of a refused answer. */
#define PSIM_SESSION_MAX_ANSWER_BYTES 4096u

/* Takes an answer. Steps: an option's number (1-based) or id, "hint" or
 * "skip". Questions: single, an option; multiple and order, options
 * separated by commas; number, a number ("64000000", "64,000,000",
 * "64 000 000", "0.5"), with the question's unit after it or not
 * ("64,000,000 VND", and for VND "64.000.000 đ", "₫", "đồng"); "skip" for
 * any. FALSE with
 * PSIM_SESSION_ERROR_INPUT when the answer cannot be read (nothing is
 * recorded: ask again), PSIM_SESSION_ERROR_FINISHED after the end.
 * @real_ms: how long the trainee took, counted as at most
 * PSIM_SESSION_MAX_ANSWER_MS (a session left open overnight counts a day,
 * and no sum of times can overflow). */
gboolean psim_session_answer (PsimSession *s, const char *input, gint64 real_ms, GError **error);

/* The answers taken, as typed. */
guint psim_session_get_n_answers (const PsimSession *s);
const char *psim_session_get_answer (const PsimSession *s, guint i);
guint psim_session_get_n_events (const PsimSession *s);
const PsimEvent *psim_session_get_event (const PsimSession *s, guint i);
/* (nullable) What to tell the trainee about event @i: why a wrong action
 * is wrong, the explanation of a question, the hint's text. */
const char *psim_session_get_event_feedback (const PsimSession *s, guint i, const char *lang);

/* What event @i is about, as the trainee saw it: the step's name, the
 * wrong option's label, the question, or the hint's text. */
const char *psim_session_get_event_label (const PsimSession *s, guint i, const char *lang);

/* (nullable) For a question event: the answer as read, option ids joined
 * by "[,]" (xAPI's form) or the number; NULL when skipped. */
const char *psim_session_get_event_response (const PsimSession *s, guint i);

/* The right answer to the current prompt, as the trainee would type it
 * (the first step enabled, by id; for questions the right option ids or
 * the number). (transfer full) NULL when finished. */
char *psim_session_dup_ideal_answer (const PsimSession *s);

/* The same as the trainee types it at the keyboard: the options' numbers
 * as shown ("2", "3,1,2"), or the number asked for. (transfer full) NULL
 * when finished. */
char *psim_session_dup_ideal_answer_typed (const PsimSession *s);

const PsimScore *psim_session_get_score (const PsimSession *s);

/* The checkpoint: the scenario's id and checksum (and, for a scenario in
 * no catalogue, the absolute name of its file), seed, identity, the
 * session's language (psim_session_set_language ()) and answers, as JSON.
 * (transfer full) */
char *psim_session_to_checkpoint (const PsimSession *s);
/* Writes the checkpoint to @path atomically (a temporary file, renamed). */
gboolean psim_session_save (const PsimSession *s, const char *path, GError **error);
/* Restores a session of @sc from checkpoint text @json by replaying its
 * answers. PSIM_SESSION_ERROR_CHECKPOINT when the text is not a
 * checkpoint, is for another scenario, or the scenario file has changed
 * since; the message is in @lang, which the session keeps
 * (psim_session_set_language ()). (transfer full) */
PsimSession *psim_session_new_from_checkpoint (PsimScenario *sc, const char *json, const char *lang,
                                               GError **error);
/* The id of the scenario a checkpoint is for, to find it in a catalogue
 * (psim_catalogue_get_scenario ()); errors in @lang. (transfer full) */
char *psim_checkpoint_dup_scenario_id (const char *json, const char *lang, GError **error);
/* The scenario file a checkpoint names, for a scenario in no catalogue;
 * errors in @lang. (transfer full) */
char *psim_checkpoint_dup_scenario_file (const char *json, const char *lang, GError **error);
/* The language the session was in when the checkpoint was saved ("vi",
 * "en"), so that a front-end resumes it in that language; NULL when the
 * checkpoint does not say (or is not one). (transfer full) (nullable) */
char *psim_checkpoint_dup_language (const char *json);

/* ---- records (psim-record.c) -------------------------------------------- */

/* The session record: scenario, answers with their timings, events and the
 * score breakdown, and the xAPI statements (docs/scenarios.md). JSON text,
 * (transfer full). @lang chooses the language of titles. */
char *psim_session_record_json (const PsimSession *s, const char *lang);
/* The xAPI statements alone, a JSON array. (transfer full) */
char *psim_session_record_xapi (const PsimSession *s, const char *lang);
/* The run as an IEEE 1849 XES event log: one trace, one event per action.
 * (transfer full) */
char *psim_session_record_xes (const PsimSession *s, const char *lang);

/* The path a session record shows, read back from its JSON (a file, or a
 * store's record): the ids of the steps the trainee took, in order (steps
 * done or revealed, and the compared variant's steps taken although the
 * reform made them unnecessary), with the ids of the record's procedure,
 * variant and compared variant, e.g. for psim_renderer_render_* ()'s
 * highlight. */
typedef struct {
  char *procedure;
  char *variant;
  char *compare; /* (nullable) */
  GStrv steps;   /* NULL-terminated, possibly empty */
} PsimRecordPath;

/* Reads @length bytes at @data (-1: nul-terminated), named @name in
 * messages (in @lang). (transfer full) NULL with @error (PSIM_JSON_ERROR)
 * when it is not JSON or not a procsim session record. */
PsimRecordPath *psim_record_path_read (const char *data, gssize length, const char *name,
                                       const char *lang, GError **error);
void psim_record_path_free (PsimRecordPath *path);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsimRecordPath, psim_record_path_free)

G_END_DECLS
