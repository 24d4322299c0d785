/* psim-diag.h — diagnostics: findings about an input file, as data.
 *
 * Readers and checks report every problem they find as a PsimDiagnostic,
 * each with its file and line, in a list the caller owns; a GError only
 * says that the input could not be used at all.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  PSIM_SEVERITY_ERROR,
  PSIM_SEVERITY_WARNING,
} PsimSeverity;

/* One finding about an input file. line is 0 when the finding is about the
 * file as a whole (cannot be read, too large). */
typedef struct {
  PsimSeverity severity;
  char *file;
  guint line;
  char *message;
} PsimDiagnostic;

void psim_diagnostic_free (PsimDiagnostic *diag);
/* "FILE:LINE: error: MESSAGE" (or "FILE: error: ..." without a line), the
 * severity in @lang (psim-i18n.h; the message is already in the language
 * of the loader that made it). (transfer full) */
char *psim_diagnostic_to_string (const PsimDiagnostic *diag, const char *lang);
/* A GPtrArray of PsimDiagnostic* that frees its elements. (transfer full) */
GPtrArray *psim_diagnostics_new (void);
/* Number of diagnostics of severity error. */
guint psim_diagnostics_count_errors (const GPtrArray *diags);

G_END_DECLS
