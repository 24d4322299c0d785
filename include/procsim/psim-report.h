/* psim-report.h — the summary of training records for a trainer: per
 * scenario, the attempts, how many finished and passed, the mean score
 * and time, and the most frequent mistakes (the five most frequent, by
 * kind and id). Records come as the JSON text of
 * psim_session_record_json (), from files or from a session store
 * (psim-store.h).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PsimReport PsimReport;

/* An empty report. (transfer full) */
PsimReport *psim_report_new (void);
void psim_report_free (PsimReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsimReport, psim_report_free)

/* Adds the session record @data (@length bytes, or -1 when
 * NUL-terminated), read as hostile input (psim_json_parse; figures out of
 * range count as 0). TRUE when it is a session record; FALSE without
 * @error when it is JSON but not a session record (it is left out); FALSE
 * with @error, naming @name, in @lang, when it is not JSON. */
gboolean psim_report_add_record (PsimReport *report, const char *data, gssize length,
                                 const char *name, const char *lang, GError **error);
/* The same from the file @path (psim_file_read: a regular file, capped). */
gboolean psim_report_add_record_file (PsimReport *report, const char *path, const char *lang,
                                      GError **error);

/* How many scenarios the records are of. */
guint psim_report_get_n_scenarios (const PsimReport *report);

/* Per scenario in id order: its title and id, a line of figures, the most
 * frequent mistakes; in @lang. (transfer full) */
char *psim_report_to_text (const PsimReport *report, const char *lang);
/* The same as a JSON array of {"scenario", "attempts", "finished",
 * "passed", "mean_percent", "mistakes": [{"what", "count"}]}.
 * (transfer full) */
char *psim_report_to_json (const PsimReport *report);

G_END_DECLS
