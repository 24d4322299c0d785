/* psim-html-private.h — what the library's HTML reports (a comparison, a
 * simulation) share: one inline style sheet, and escaping. Not installed.
 */
#pragma once

#include <glib.h>

/* The reports' inline style sheet. */
extern const char psimp_html_style[];
/* What the comparison adds: its graph on a landscape page of its own in
 * print and in a scrolling box on screen, the per-step tables. */
extern const char psimp_html_compare_style[];
/* Appends @text with <, >, &, and quotes escaped. */
void psimp_html_escape (GString *out, const char *text);
