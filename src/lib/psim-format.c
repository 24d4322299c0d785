/* psim-format.c — numbers and text for people, in the caller's language
 * (psim-format.h). No I/O; the language is always an argument.
 */
#include "psim-private.h"

#include <math.h>
#include <string.h>

#include "procsim/psim-format.h"

char *
psim_format_amount (double amount, const char *lang)
{
  char sep = strcmp (psim_lang_normalize (lang), "vi") == 0 ? '.' : ',';
  double r = round (amount);
  g_autofree char *digits = g_strdup_printf ("%.0f", fabs (r));
  GString *s = g_string_new (r < 0 ? "-" : "");
  gsize n = strlen (digits);
  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append_c (s, sep);
      g_string_append_c (s, digits[i]);
    }
  return g_string_free (s, FALSE);
}

char *
psim_format_decimal (double value, const char *lang)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char *s = g_strdup (g_ascii_formatd (buf, sizeof buf, "%.4g", value));
  if (strcmp (psim_lang_normalize (lang), "vi") == 0)
    g_strdelimit (s, ".", ',');
  return s;
}

char *
psimp_format_case_items (const PsimCase *pcase, const char *lang)
{
  const PsimProcedure *proc = psim_case_get_procedure (pcase);
  GString *out = g_string_new (NULL);
  guint n = psim_procedure_get_n_params (proc);
  if (n == 0)
    g_string_append (out, psim_gettext (lang, "(no case data)"));
  for (guint i = 0; i < n; i++)
    {
      const PsimParam *p = psim_procedure_get_param (proc, i);
      const char *v = psim_case_get (pcase, psim_param_get_id (p));
      g_autofree char *shown = NULL;
      if (psim_param_get_param_type (p) == PSIM_PARAM_NUMBER)
        shown = psim_format_amount (g_ascii_strtod (v, NULL), lang);
      else if (psim_param_get_param_type (p) == PSIM_PARAM_BOOLEAN)
        shown = g_strdup (strcmp (v, "true") == 0 ? psim_gettext (lang, "yes")
                                                  : psim_gettext (lang, "no"));
      else
        {
          const char *option = psim_param_get_option_label (p, v, lang);
          shown = g_strdup (option != NULL ? option : v);
        }
      const char *label = psim_param_get_label (p, lang);
      const char *unit = psim_param_get_unit (p);
      g_string_append_printf (out, "%s%s: %s%s%s", i > 0 ? "; " : "",
                              label != NULL ? label : psim_param_get_id (p), shown,
                              unit ? " " : "", unit ? unit : "");
    }
  return g_string_free (out, FALSE);
}

char *
psim_format_case (const PsimCase *pcase, const char *lang)
{
  g_return_val_if_fail (pcase != NULL, NULL);
  g_autofree char *items = psimp_format_case_items (pcase, lang);
  return g_strdup_printf ("%s %s", psim_gettext (lang, "Case:"), items);
}

void
psim_format_append_padded (GString *out, const char *text, guint width)
{
  g_string_append (out, text);
  for (glong n = g_utf8_strlen (text, -1); n < (glong)width; n++)
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
    return (guint)(d - line) + 2;
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
  /* Characters left from p, counted once: a line of many words (a case of
   * 50,000 parameters) is wrapped in linear time. */
  glong left = g_utf8_strlen (p, -1);
  while (left + col_start > width)
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
      const char *from = p;
      p = cut + 1;
      while (*p == ' ')
        p++;
      left -= g_utf8_strlen (from, p - from);
    }
  g_string_append (out, p);
}

char *
psim_format_wrap (const char *text, guint width)
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
psim_format_units (double value, PsimTimeUnit unit, const char *lang)
{
  g_autofree char *n = psim_format_decimal (value, lang);
  /* Plural forms by the value rounded up: "1 working day", "1.5 working days". */
  gulong count = value == 1 ? 1 : 2;
  switch (unit)
    {
    case PSIM_UNIT_WORKING_DAYS:
      return g_strdup_printf (psim_ngettext (lang, "%s working day", "%s working days", count), n);
    case PSIM_UNIT_CALENDAR_DAYS:
      return g_strdup_printf (psim_ngettext (lang, "%s calendar day", "%s calendar days", count), n);
    case PSIM_UNIT_HOURS:
    default:
      return g_strdup_printf (psim_ngettext (lang, "%s hour", "%s hours", count), n);
    }
}

char *
psim_format_quantity (const PsimQuantity *q, const char *lang)
{
  if (q->min == q->max)
    return psim_format_units (q->likely, q->unit, lang);
  g_autofree char *min = psim_format_decimal (q->min, lang);
  g_autofree char *likely = psim_format_decimal (q->likely, lang);
  g_autofree char *range = psim_format_units (q->max, q->unit, lang);
  /* TRANSLATORS: a range of durations: "2–5 working days, likely 3" */
  return g_strdup_printf (psim_gettext (lang, "%s–%s, likely %s"), min, range, likely);
}
