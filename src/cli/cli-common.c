/* cli-common.c — option parsing, diagnostics and number formatting shared
 * by the subcommands.
 */
#include "cli.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static char *lang_ignored;

/* --lang is applied in main() before parsing; it is declared here so that
 * every subcommand accepts it and lists it in --help. */
static const GOptionEntry lang_entries[] = {
  { "lang", 0, 0, G_OPTION_ARG_STRING, &lang_ignored,
    N_("Language of messages and content: vi or en (default: from the locale)"), N_("LANG") },
  { NULL },
};

GOptionContext *
cli_context_new (const char *parameter_string, const char *summary, const GOptionEntry *entries)
{
  GOptionContext *ctx = g_option_context_new (parameter_string);
  g_option_context_set_translation_domain (ctx, GETTEXT_PACKAGE);
  g_option_context_set_summary (ctx, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (ctx, lang_entries, GETTEXT_PACKAGE);
  return ctx;
}

gboolean
cli_parse (GOptionContext *ctx, const char *command, int *argc, char ***argv)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = g_option_context_parse (ctx, argc, argv, &error);
  g_clear_pointer (&lang_ignored, g_free);
  if (!ok)
    {
      cli_usage_error (command, "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

int
cli_usage_error (const char *command, const char *format, ...)
{
  va_list ap;
  va_start (ap, format);
  g_autofree char *msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_printerr ("procsim %s: %s\n", command, msg);
  g_printerr (_("Try 'procsim %s --help'.\n"), command);
  return CLI_EXIT_USAGE;
}

PsimProcedure *
cli_load (const char *file, const char *lang)
{
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  PsimProcedure *proc = NULL;
  if (psim_bpmn_is_bpmn_path (file))
    {
      /* A BPMN model goes through the import first (docs/bpmn.md). */
      g_autoptr (PsimLoader) loader = psim_loader_new (NULL);
      if (loader != NULL)
        {
          psim_loader_set_language (loader, lang);
          proc = psim_bpmn_import_file (loader, file, NULL, NULL, diags, NULL);
        }
    }
  else
    proc = psim_load_file (file, lang, diags, NULL);
  cli_print_diagnostics (diags, lang);
  return proc;
}

PsimCase *
cli_case_new (PsimProcedure *proc, char **assignments, const char *command, const char *lang)
{
  g_autoptr (PsimCase) pcase = psim_case_new (proc);
  psim_case_set_language (pcase, lang);
  for (char **a = assignments; a != NULL && *a != NULL; a++)
    {
      g_autoptr (GError) error = NULL;
      if (!psim_case_set_assignment (pcase, *a, &error))
        {
          cli_usage_error (command, "%s", error->message);
          return NULL;
        }
    }
  return g_steal_pointer (&pcase);
}

char *
cli_case_line (PsimProcedure *proc, PsimCase *pcase, const char *lang)
{
  GString *out = g_string_new (_("Case:"));
  guint n = psim_procedure_get_n_params (proc);
  if (n == 0)
    g_string_append_printf (out, " %s", _("(no case data)"));
  for (guint i = 0; i < n; i++)
    {
      const PsimParam *p = psim_procedure_get_param (proc, i);
      const char *v = psim_case_get (pcase, psim_param_get_id (p));
      g_autofree char *shown = psim_param_get_param_type (p) == PSIM_PARAM_NUMBER
                                 ? psim_format_amount (g_ascii_strtod (v, NULL), lang)
                                 : g_strdup (v);
      const char *unit = psim_param_get_unit (p);
      g_string_append_printf (out, "%s %s = %s%s%s", i > 0 ? ";" : "", psim_param_get_id (p),
                              shown, unit ? " " : "", unit ? unit : "");
    }
  return g_string_free (out, FALSE);
}

char *
cli_variant_list (const PsimProcedure *proc)
{
  GString *ids = g_string_new (NULL);
  for (guint i = 0; i < psim_procedure_get_n_variants (proc); i++)
    g_string_append_printf (ids, "%s%s", i > 0 ? ", " : "",
                            psim_variant_get_id (psim_procedure_get_variant (proc, i)));
  return g_string_free (ids, FALSE);
}

void
cli_json_add_string (JsonBuilder *b, const char *member, const char *value)
{
  json_builder_set_member_name (b, member);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

void
cli_json_add_number (JsonBuilder *b, const char *member, double v)
{
  json_builder_set_member_name (b, member);
  if (v == floor (v) && fabs (v) < 9e15)
    json_builder_add_int_value (b, (gint64) v);
  else
    psim_json_add_double (b, v);
}

void
cli_json_add_case (JsonBuilder *b, PsimProcedure *proc, PsimCase *pcase)
{
  json_builder_set_member_name (b, "case");
  json_builder_begin_object (b);
  for (guint i = 0; i < psim_procedure_get_n_params (proc); i++)
    {
      const PsimParam *p = psim_procedure_get_param (proc, i);
      const char *v = psim_case_get (pcase, psim_param_get_id (p));
      switch (psim_param_get_param_type (p))
        {
        case PSIM_PARAM_NUMBER:
          cli_json_add_number (b, psim_param_get_id (p), g_ascii_strtod (v, NULL));
          break;
        case PSIM_PARAM_BOOLEAN:
          json_builder_set_member_name (b, psim_param_get_id (p));
          json_builder_add_boolean_value (b, strcmp (v, "true") == 0);
          break;
        default:
          cli_json_add_string (b, psim_param_get_id (p), v);
          break;
        }
    }
  json_builder_end_object (b);
}

char *
cli_json_finish (JsonBuilder *b)
{
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  json_generator_set_root (gen, root);
  g_autofree char *text = json_generator_to_data (gen, NULL);
  return g_strconcat (text, "\n", NULL);
}

void
cli_print_diagnostics (const GPtrArray *diags, const char *lang)
{
  for (guint i = 0; diags != NULL && i < diags->len; i++)
    {
      g_autofree char *line = psim_diagnostic_to_string (g_ptr_array_index (diags, i), lang);
      g_printerr ("%s\n", line);
    }
}

void
cli_append_padded (GString *out, const char *text, guint width)
{
  g_string_append (out, text);
  for (glong n = g_utf8_strlen (text, -1); n < (glong) width; n++)
    g_string_append_c (out, ' ');
}

/* Where the continuation lines of @line start: at the column of a table
 * cell (after a run of two spaces in the first half of the line), after a
 * "12. " item number, or 2 columns deeper than the line's indentation. */
static guint
hanging_indent (const char *line, guint width)
{
  guint indent = 0;
  while (line[indent] == ' ')
    indent++;
  guint cell = 0, col = 0;
  for (const char *q = line; *q != '\0' && col <= width / 2; q = g_utf8_next_char (q), col++)
    if (col > indent && q[0] != ' ' && q[-1] == ' ' && col >= 2 && q[-2] == ' ')
      cell = col;
  if (cell > 0)
    return cell;
  const char *d = line + indent;
  while (g_ascii_isdigit (*d))
    d++;
  if (d > line + indent && d[0] == '.' && d[1] == ' ')
    return (guint) (d - line) + 2;
  return indent + 2;
}

static void
append_trimmed (GString *out, const char *text, gsize len)
{
  while (len > 0 && text[len - 1] == ' ')
    len--;
  g_string_append_len (out, text, len);
}

/* Wraps one line (no '\n') into @out. */
static void
wrap_line (GString *out, const char *line, guint width)
{
  guint indent = 0;
  while (line[indent] == ' ')
    indent++;
  guint hang = hanging_indent (line, width);
  const char *p = line;
  guint col_start = 0; /* columns already used on the current output line */
  while (g_utf8_strlen (p, -1) + col_start > width)
    {
      /* The last space within the width, past the indentation. */
      const char *cut = NULL;
      guint col = col_start;
      for (const char *q = p; *q != '\0' && col <= width; q = g_utf8_next_char (q), col++)
        if (*q == ' ' && q > line + indent)
          cut = q;
      if (cut == NULL || cut == p)
        break; /* one word longer than the line: leave it long */
      append_trimmed (out, p, cut - p);
      g_string_append_c (out, '\n');
      for (guint i = 0; i < hang; i++)
        g_string_append_c (out, ' ');
      col_start = hang;
      p = cut + 1;
      while (*p == ' ')
        p++;
    }
  g_string_append (out, p);
}

char *
cli_wrap (const char *text, guint width)
{
  GString *out = g_string_new (NULL);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (out, '\n');
      wrap_line (out, lines[i], width);
    }
  return g_string_free (out, FALSE);
}

char *
cli_format_units (double value, PsimTimeUnit unit, const char *lang)
{
  g_autofree char *n = psim_format_decimal (value, lang);
  /* Plural forms by the value rounded up: "1 working day", "1.5 working days". */
  gulong count = value == 1 ? 1 : 2;
  switch (unit)
    {
    case PSIM_UNIT_WORKING_DAYS:
      return g_strdup_printf (ngettext ("%s working day", "%s working days", count), n);
    case PSIM_UNIT_CALENDAR_DAYS:
      return g_strdup_printf (ngettext ("%s calendar day", "%s calendar days", count), n);
    case PSIM_UNIT_HOURS:
    default:
      return g_strdup_printf (ngettext ("%s hour", "%s hours", count), n);
    }
}

char *
cli_format_quantity (const PsimQuantity *q, const char *lang)
{
  if (q->min == q->max)
    return cli_format_units (q->likely, q->unit, lang);
  g_autofree char *min = psim_format_decimal (q->min, lang);
  g_autofree char *likely = psim_format_decimal (q->likely, lang);
  g_autofree char *range = cli_format_units (q->max, q->unit, lang);
  /* TRANSLATORS: a range of durations: "2–5 working days, likely 3" */
  return g_strdup_printf (_("%s–%s, likely %s"), min, range, likely);
}

gboolean
cli_write_output (const char *path, const char *data, gsize size, GError **error)
{
  GStatBuf st;
  if (g_stat (path, &st) == 0 && !S_ISREG (st.st_mode) && !S_ISDIR (st.st_mode))
    {
      /* A device or a pipe (/dev/null, /dev/stdout, a FIFO) is written to
       * as it is: renaming a temporary file over it would replace it. */
      FILE *f = g_fopen (path, "wb");
      gboolean ok = f != NULL && fwrite (data, 1, size, f) == size;
      int saved = errno;
      if (f != NULL && fclose (f) != 0 && ok)
        {
          ok = FALSE;
          saved = errno;
        }
      if (!ok)
        g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                     _("cannot write %s: %s"), path, g_strerror (saved));
      return ok;
    }
  /* A temporary file, then renamed: the file is whole or as it was. */
  return g_file_set_contents (path, data, (gssize) size, error);
}
