/* cli-common.c — option parsing, diagnostics and number formatting shared
 * by the subcommands.
 */
#include "cli.h"

#include <math.h>
#include <stdio.h>

static char *lang_ignored;

/* --lang is applied in main() before parsing; it is declared here so that
 * every subcommand accepts it and lists it in --help. */
static const GOptionEntry lang_entries[] = {
  { "lang", 0, 0, G_OPTION_ARG_STRING, &lang_ignored,
    N_("Language of messages and content: vi or en (default: from the locale)"), "LANG" },
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

void
cli_print_diagnostics (const GPtrArray *diags)
{
  for (guint i = 0; diags != NULL && i < diags->len; i++)
    {
      g_autofree char *line = psim_diagnostic_to_string (g_ptr_array_index (diags, i));
      g_printerr ("%s\n", line);
    }
}

char *
cli_format_amount (double amount, const char *lang)
{
  char sep = g_strcmp0 (lang, "vi") == 0 ? '.' : ',';
  double r = round (amount);
  gboolean negative = r < 0;
  g_autofree char *digits = g_strdup_printf ("%.0f", fabs (r));
  GString *s = g_string_new (negative ? "-" : "");
  gsize n = strlen (digits);
  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append_c (s, sep);
      g_string_append_c (s, digits[i]);
    }
  return g_string_free (s, FALSE);
}

static char *
format_number (double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.4g", v));
}

char *
cli_format_units (double value, PsimTimeUnit unit)
{
  g_autofree char *n = format_number (value);
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
    return cli_format_units (q->likely, q->unit);
  g_autofree char *min = format_number (q->min);
  g_autofree char *likely = format_number (q->likely);
  g_autofree char *range = cli_format_units (q->max, q->unit);
  /* TRANSLATORS: a range of durations: "2–5 working days (likely 3)" */
  return g_strdup_printf (_("%s–%s (likely %s)"), min, range, likely);
}
