/* psim-report.h — the summary of training records for a trainer: per
 * scenario, the attempts (finished and unfinished), the pass rate, the
 * mean score and time; per trainee the attempts, the best and the last
 * score and the date; the sessions left unfinished; per question the
 * share answered right; the most frequent mistakes by their labels.
 * Scripted replays (train --answers) are counted apart, never as
 * attempts. Records come as the JSON text of psim_session_record_json ()
 * (or a checkpoint, psim_session_to_checkpoint (): a session not finished
 * yet), from files or from a session store (psim-store.h). The report is
 * written as text, JSON, CSV or an XLSX workbook, for a period and in a
 * language its options name.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <procsim/psim-catalogue.h>

G_BEGIN_DECLS

typedef struct _PsimReport PsimReport;

/* How a report is written. */
typedef struct {
  const char *lang;               /* psim-i18n.h; NULL: English */
  gint64 since, until;            /* sessions started in [since, until), microseconds
                                   * since the epoch; 0: no bound */
  const PsimCatalogue *scenarios; /* (nullable) where the scenarios are found, for
                                   * titles, questions and mistakes by their labels in
                                   * @lang; without it (or when a scenario is not in it)
                                   * the record's title and the ids */
  gint64 date;                    /* the workbook's date, seconds since the epoch */
} PsimReportOptions;

/* An empty report. (transfer full) */
PsimReport *psim_report_new (void);
void psim_report_free (PsimReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsimReport, psim_report_free)

/* Adds the session record or checkpoint @data (@length bytes, or -1 when
 * NUL-terminated), read as hostile input (psim_json_parse; figures out of
 * range count as 0). TRUE when it is one; FALSE without @error when it is
 * JSON but neither (it is left out); FALSE with @error, naming @name, in
 * @lang, when it is not JSON. A checkpoint of a session whose record is
 * also added counts once, as the record. */
gboolean psim_report_add_record (PsimReport *report, const char *data, gssize length,
                                 const char *name, const char *lang, GError **error);
/* The same from the file @path (psim_file_read: a regular file, capped). */
gboolean psim_report_add_record_file (PsimReport *report, const char *path, const char *lang,
                                      GError **error);

/* One event of a session, as the report counts it: @kind is a
 * psim_event_kind_to_string () name ("wrong", "unnecessary",
 * "out-of-order", "skipped", "missed", "right"; others are not counted),
 * @ref the step, distractor or question it is about. */
typedef struct {
  const char *kind;
  const char *ref;
} PsimReportEvent;

/* A session kept elsewhere than in a record file (a database): what the
 * report reads from a record, given directly. Strings are copied. */
typedef struct {
  const char *scenario;  /* the scenario's id */
  const char *title;     /* (nullable) the scenario's title, when no scenario is known */
  const char *session;   /* (nullable) the session's id */
  const char *actor;     /* (nullable) the trainee */
  gint64 started;        /* microseconds since the epoch; 0 unknown */
  gboolean finished, passed, scripted;
  double percent;        /* the score in percent of full marks, when finished */
  double ms;             /* the time it took, when finished */
  guint answers;         /* how many answers were given */
  const PsimReportEvent *events;
  guint n_events;
} PsimReportSession;

/* Adds @session (a finished one counts as a record, an unfinished one as a
 * checkpoint). */
void psim_report_add_session (PsimReport *report, const PsimReportSession *session);

/* How many scenarios the records are of (whatever the period). */
guint psim_report_get_n_scenarios (const PsimReport *report);

/* "2026-11-23" as microseconds since the epoch at the start of that day
 * (UTC), or of the next day when @end (so that an "until" date counts
 * whole). FALSE when @text is not such a date. */
gboolean psim_report_parse_date (const char *text, gboolean end, gint64 *usec);

/* The writers; @options may be NULL (English, every session, no
 * catalogue). Text: per scenario a heading, the figures, the trainees,
 * the unfinished sessions, the questions and the five most frequent
 * mistakes; empty when no session is in the period. JSON: an array of one
 * object per scenario (docs/cli.md). CSV (RFC 4180): one row per scenario
 * and trainee. XLSX: sheets of scenarios, trainees, unfinished sessions,
 * questions and mistakes (NULL with @error when it cannot be written).
 * (transfer full) */
char *psim_report_format_text (const PsimReport *report, const PsimReportOptions *options);
char *psim_report_format_json (const PsimReport *report, const PsimReportOptions *options);
char *psim_report_format_csv (const PsimReport *report, const PsimReportOptions *options);
GBytes *psim_report_format_xlsx (const PsimReport *report, const PsimReportOptions *options,
                                 GError **error);

/* The figures of one scenario, for a front-end that shows them its own way
 * (the browser trainer's dashboard): the same sums the writers print. */
typedef struct {
  char *name;                     /* the trainee ("" when the record names none) */
  guint attempts, finished, unfinished, passed;
  double best_percent, last_percent; /* NAN before a finished attempt */
  gint64 last_started;            /* the latest attempt's start, µs since the epoch */
} PsimReportTrainee;

typedef struct {
  char *session; /* (nullable) */
  char *name;    /* (nullable) the trainee */
  gint64 started;
  guint answers;
} PsimReportOpen;

typedef struct {
  char *id;
  char *label; /* (nullable) the prompt, in the options' language */
  guint asked, right;
} PsimReportQuestion;

typedef struct {
  char *kind;  /* as in PsimReportEvent */
  char *ref;
  char *label; /* "Unnecessary step: …", in the options' language */
  guint count;
} PsimReportMistake;

typedef struct {
  char *id;
  char *title; /* in the options' language */
  guint attempts, finished, unfinished, passed, scripted;
  double mean_percent, median_percent; /* of the finished attempts; NAN when none */
  double mean_ms, median_ms;           /* likewise */
  GPtrArray *trainees;  /* PsimReportTrainee*, by name */
  GPtrArray *open;      /* PsimReportOpen*: unfinished sessions, oldest first */
  GPtrArray *questions; /* PsimReportQuestion*, in the scenario's order */
  GPtrArray *mistakes;  /* PsimReportMistake*, most frequent first (all of them) */
} PsimReportFigures;

/* The figures of @scenario over the sessions of the options' period
 * (scripted replays counted apart), labelled from @scenario in the
 * options' language; present, with zero counts, when no session is of it.
 * (transfer full) */
PsimReportFigures *psim_report_get_figures (const PsimReport *report,
                                            const PsimScenario *scenario,
                                            const PsimReportOptions *options);
void psim_report_figures_free (PsimReportFigures *figures);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsimReportFigures, psim_report_figures_free)

/* What the JSON object of a scenario's figures holds besides the members
 * every report has (scenario, title, attempts, finished, unfinished,
 * passed; trainees with name, attempts, finished, unfinished,
 * best_percent, last_percent and last_started; unfinished_sessions;
 * questions; mistakes with kind, ref, label and count). */
typedef struct {
  /* FALSE: `procsim report --format json`'s object (docs/cli.md):
   * scripted, mean_percent (0 before a finished attempt), mean_minutes,
   * the five most frequent mistakes, each with "what" (KIND REF), figures
   * as summed. TRUE: the browser trainer's (docs/api.md): pass_rate,
   * mean_percent, median_percent, mean_seconds, median_seconds (null
   * before a finished attempt), each trainee's passed, every mistake;
   * percentages to hundredths, shares to thousandths, seconds to tenths. */
  gboolean dashboard;
  const PsimScenario *scenario; /* (nullable) adds its max_score after the title */
  GHashTable *groups;           /* (nullable) trainee → group ("" for none): adds each
                                 * trainee's group (null for none) after the name */
} PsimReportJsonOptions;

/* Adds the JSON object of @figures to @b, where a value may go; @options
 * may be NULL (the command line's object). psim_report_format_json ()
 * writes an array of these. */
void psim_report_figures_add_json (JsonBuilder *b, const PsimReportFigures *figures,
                                   const PsimReportJsonOptions *options);

/* psim_report_format_text () and _json () of every session in @lang,
 * without a catalogue. (transfer full) */
char *psim_report_to_text (const PsimReport *report, const char *lang);
char *psim_report_to_json (const PsimReport *report);

G_END_DECLS
