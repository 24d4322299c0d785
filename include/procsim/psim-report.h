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

/* psim_report_format_text () and _json () of every session in @lang,
 * without a catalogue. (transfer full) */
char *psim_report_to_text (const PsimReport *report, const char *lang);
char *psim_report_to_json (const PsimReport *report);

G_END_DECLS
