/* psim-format.h — numbers and lines of text as people read them, in the
 * caller's language: grouped amounts, decimals with the language's mark,
 * a case's data on one line, text padded and wrapped by characters (not
 * bytes, so Vietnamese lines up). Every writer of the library and the
 * front-ends format through these, so a figure reads the same everywhere.
 */
#pragma once

#include <glib.h>
#include <procsim/psim-case.h>
#include <procsim/psim-model.h>

G_BEGIN_DECLS

/* "3,200,000,000" in English, "3.200.000.000" in Vietnamese, rounded to a
 * whole unit. (transfer full) */
char *psim_format_amount (double amount, const char *lang);
/* At most 4 significant digits with the language's decimal mark: "2.5",
 * "2,5". (transfer full) */
char *psim_format_decimal (double value, const char *lang);

/* "Case: Transfer price: 3,200,000,000 VND; Mortgaged: no": every
 * case-data parameter of @pcase's procedure by its label in @lang, with
 * its value for people (amounts grouped, booleans yes/no), no newline.
 * (transfer full) */
char *psim_format_case (const PsimCase *pcase, const char *lang);

/* A number of days or hours in its unit: "1 working day", "3.5 working
 * days", "2 hours". (transfer full) */
char *psim_format_units (double value, PsimTimeUnit unit, const char *lang);
/* A duration as the file gives it: "1 working day", "2–5 working days,
 * likely 3". (transfer full) */
char *psim_format_quantity (const PsimQuantity *q, const char *lang);

/* Appends @text padded with spaces to @width columns (characters). */
void psim_format_append_padded (GString *out, const char *text, guint width);
/* @text with every line longer than @width columns wrapped at spaces; a
 * continuation line starts under a table cell, after a "12. " item
 * number, or 2 columns deeper than its line's indentation.
 * (transfer full) */
char *psim_format_wrap (const char *text, guint width);

G_END_DECLS
