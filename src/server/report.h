/* report.h — what the trainer learns about one scenario from the database:
 * the sessions the trainer may see, filtered by group and by date, summed
 * by the library's report (psim-report.h: attempts, results, time taken,
 * per question, the most frequent mistakes, per trainee), as `procsim
 * report` sums record files. The JSON API (api.c) and the trainer's pages
 * (pages-trainer.c) show the same figures from here.
 */
#pragma once

#include "server.h"

typedef struct {
  const char *group; /* (nullable) only the trainees of this group */
  gint64 from;       /* sessions started at or after, µs since the epoch; 0: any */
  gint64 until;      /* sessions started before, µs; 0: any */
} ReportFilter;

typedef struct {
  PsimScenario *scenario;
  PsimReportFigures *figures; /* the library's sums (psim-report.h) */
  GPtrArray *sessions;  /* PsimStoreEntry*, newest first */
  GHashTable *groups;   /* user → group ("" when none) */
} Report;

/* The report on scenario @sc for @viewer (only the sessions srv_can_see
 * lets them see), mistakes labelled in @lang. Replays never count: they
 * are no stored session. (transfer full) NULL when the database fails. */
Report *report_new (Server *srv, const User *viewer, PsimScenario *sc, const ReportFilter *f,
                    const char *lang, GError **error);
void report_free (Report *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Report, report_free)

/* "2026-12-02" → µs at 00:00 UTC that day (@end: the next day's); FALSE when
 * @text is not such a date. */
gboolean report_parse_date (const char *text, gboolean end, gint64 *usec);
