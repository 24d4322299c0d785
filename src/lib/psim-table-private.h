/* psim-table-private.h — a table for spreadsheets (psim-table.c): named
 * sheets, each a row of column headings and rows of cells that are text,
 * numbers or moments; written as CSV (RFC 4180, the first sheet) for
 * programs or as an XLSX workbook (every sheet) for people, where numbers
 * stay numbers. The report writers build one and choose the format. Not
 * installed.
 */
#pragma once

#include <glib.h>

typedef struct _PsimpTable PsimpTable;

/* How a number cell is shown in a workbook. */
typedef enum {
  PSIMP_CELL_GENERAL,  /* as it comes */
  PSIMP_CELL_WHOLE,    /* grouped, no decimals: amounts */
  PSIMP_CELL_DECIMAL1, /* one decimal: percentages, days */
} PsimpCellStyle;

PsimpTable *psimp_table_new (void);
void psimp_table_free (PsimpTable *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsimpTable, psimp_table_free)

/* Starts sheet @name (at most 31 characters, no []:*?/\), whose columns are
 * @key (CSV's heading, stable, for programs) and @label (the workbook's
 * heading, for people) pairs, NULL-terminated. */
void psimp_table_add_sheet (PsimpTable *t, const char *name, ...) G_GNUC_NULL_TERMINATED;
/* The next cell of the current row of the last sheet: text (NULL: empty),
 * a number (NAN: empty), a moment in microseconds since the epoch (≤ 0:
 * empty; CSV "2026-11-23T10:00:00Z", a date-time in the workbook). */
void psimp_table_text (PsimpTable *t, const char *text);
void psimp_table_number (PsimpTable *t, double value, PsimpCellStyle style);
void psimp_table_time (PsimpTable *t, gint64 usec);
/* Ends the current row. */
void psimp_table_end_row (PsimpTable *t);

/* The first sheet as CSV: RFC 4180, CRLF, numbers with '.' and no
 * grouping. (transfer full) */
char *psimp_table_to_csv (const PsimpTable *t);
/* Every sheet as an XLSX workbook titled @title whose document date is
 * @created (seconds since the epoch; the same table and date give the same
 * bytes). NULL with @error when it cannot be written. (transfer full) */
GBytes *psimp_table_to_xlsx (const PsimpTable *t, const char *title, gint64 created,
                             GError **error);
