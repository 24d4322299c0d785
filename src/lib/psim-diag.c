/* psim-diag.c — diagnostics: the findings about an input file, as data.
 *
 * Every reader of the library (procedures, scenarios, BPMN, checkpoints)
 * and every check reports what is wrong with its input as a list of
 * PsimDiagnostic {severity, file, line, message}, all of them, rather than
 * stopping at the first; a GError only says that the input could not be
 * used. This file owns that list: making a finding (with its message cut
 * to a bounded length), counting the errors, and writing one as
 * "FILE:LINE: severity: message" in the caller's language. It depends on
 * nothing but the language tables, so that readers and checks alike can
 * sit above it.
 */
#include "psim-private.h"

#include <string.h>

void
psim_diagnostic_free (PsimDiagnostic *d)
{
  if (d == NULL)
    return;
  g_free (d->file);
  g_free (d->message);
  g_free (d);
}

GPtrArray *
psim_diagnostics_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) psim_diagnostic_free);
}

guint
psim_diagnostics_count_errors (const GPtrArray *diags)
{
  guint n = 0;
  for (guint i = 0; diags != NULL && i < diags->len; i++)
    n += ((const PsimDiagnostic *) g_ptr_array_index (diags, i))->severity == PSIM_SEVERITY_ERROR;
  return n;
}

char *
psim_diagnostic_to_string (const PsimDiagnostic *d, const char *lang)
{
  const char *sev = d->severity == PSIM_SEVERITY_ERROR ? psim_gettext (lang, "error")
                                                       : psim_gettext (lang, "warning");
  if (d->line > 0)
    return g_strdup_printf ("%s:%u: %s: %s", d->file, d->line, sev, d->message);
  return g_strdup_printf ("%s: %s: %s", d->file, sev, d->message);
}

void
psim_diag_add (GPtrArray *diags, PsimSeverity severity, const char *file,
               guint line, const char *format, ...)
{
  PsimDiagnostic *d = g_new0 (PsimDiagnostic, 1);
  va_list ap;
  va_start (ap, format);
  d->severity = severity;
  d->file = g_strdup (file);
  d->line = line;
  g_autofree char *message = g_strdup_vprintf (format, ap);
  va_end (ap);
  d->message = psim_excerpt (message, PSIM_DIAG_MAX_MESSAGE);
  g_ptr_array_add (diags, d);
}

char *
psim_excerpt (const char *text, gsize max)
{
  gsize len = strlen (text);
  if (len <= max)
    return g_strdup (text);
  /* Back to the start of a character: never half of one. */
  const char *end = text + max;
  while (end > text && (*end & 0xC0) == 0x80)
    end--;
  g_autoptr (GString) out = g_string_new_len (text, end - text);
  g_string_append (out, "…");
  return g_string_free (g_steal_pointer (&out), FALSE);
}
