/* psim-comparison-text.c — a comparison as text for a terminal or a mail:
 * the two variants, the case and the cost figures, a table of the figures
 * (before, after, change, %) by section, the verdicts, and on request what
 * each step contributes; wrapped at 80 columns.
 */
#include "psim-comparison-private.h"

#include <math.h>
#include <string.h>

/* The table's columns at their narrowest; wider when a figure needs it,
 * the label's column giving way so that a row fits 80 columns (a label
 * too long for its column gets a line of its own). */
enum
{
  WIDTH = 80,
  LABEL_W = 27,
  VALUE_W = 15,
  CHANGE_W = 16,
  PCT_W = 7,
  LABEL_MIN = 12
};

typedef struct {
  guint label, value, change, pct;
} Widths;

static guint
need (const char *text, guint width)
{
  return MAX (width, (guint) g_utf8_strlen (text, -1) + 1);
}

/* The words of @text, for a heading wrapped in a column. (transfer full) */
static GStrv
words_of (const char *text)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  g_auto (GStrv) parts = g_strsplit (text, " ", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      g_strv_builder_add (b, parts[i]);
  return g_strv_builder_end (b);
}

static Widths
widths_of (const PsimpCompare *c)
{
  Widths w = { LABEL_W, VALUE_W, CHANGE_W, PCT_W };
  /* A variant's name wraps in its column, which holds its longest word. */
  for (guint k = 0; k < 2; k++)
    {
      g_auto (GStrv) words = words_of (psim_variant_get_title (c->variant[k], c->lang));
      for (guint i = 0; words[i] != NULL; i++)
        w.value = need (words[i], w.value - 1) + 1;
      w.value = need (psimp_compare_side_name (c, k), w.value);
    }
  w.change = need (psim_gettext (c->lang, "change"), w.change);
  for (guint i = 0; i < psimp_compare_n_rows; i++)
    {
      PsimMetric m = psimp_compare_rows[i];
      if (!psimp_compare_shows (c, m))
        continue;
      for (guint k = 0; k < 2; k++)
        {
          g_autofree char *v = psimp_compare_format (c, m, psim_measure_get (c->measure[k], m));
          w.value = need (v, w.value);
        }
      g_autofree char *d = psimp_compare_format_change (c, m);
      g_autofree char *p = psimp_compare_format_pct (c, m);
      w.change = need (d, w.change);
      w.pct = need (p, w.pct);
    }
  guint figures = 2 * w.value + w.change + w.pct;
  w.label = figures + LABEL_MIN <= WIDTH ? MIN (LABEL_W, WIDTH - figures) : LABEL_MIN;
  return w;
}

/* The heading of a figure column: "Before"/"After" over the variant's
 * name wrapped to the column's width less two spaces, so that two
 * headings side by side do not read as one; one line per entry.
 * (transfer full) */
static GPtrArray *
column_heading (const PsimpCompare *c, guint k, guint width)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (lines, g_strdup (psimp_compare_side_name (c, k)));
  g_auto (GStrv) words = words_of (psim_variant_get_title (c->variant[k], c->lang));
  g_autoptr (GString) line = g_string_new (NULL);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (line->len > 0
          && g_utf8_strlen (line->str, -1) + 1 + g_utf8_strlen (words[i], -1) > (glong) width - 2)
        {
          g_ptr_array_add (lines, g_strdup (line->str));
          g_string_truncate (line, 0);
        }
      g_string_append_printf (line, "%s%s", line->len > 0 ? " " : "", words[i]);
    }
  if (line->len > 0)
    g_ptr_array_add (lines, g_strdup (line->str));
  return lines;
}

/* Right-aligned in @width columns, and never touching the column before. */
static void
append_right (GString *out, const char *text, guint width)
{
  glong n = g_utf8_strlen (text, -1);
  g_string_append_c (out, ' ');
  for (; n < (glong)width - 1; n++)
    g_string_append_c (out, ' ');
  g_string_append (out, text);
}

/* The rows @rows of the table, each label, both figures, the change. */
static void
append_rows (GString *out, const PsimpCompare *c, const Widths *w, const PsimMetric *rows,
             guint n_rows)
{
  for (guint i = 0; i < n_rows; i++)
    {
      PsimMetric m = rows[i];
      if (!psimp_compare_shows (c, m))
        continue;
      if (psimp_compare_section (c, m) != NULL)
        g_string_append_printf (out, "%s\n", psimp_compare_section (c, m));
      g_autofree char *label = g_strconcat ("  ", psimp_compare_label (c, m), NULL);
      /* A label too long for its column gets a line of its own. */
      if (g_utf8_strlen (label, -1) > w->label)
        {
          g_string_append_printf (out, "%s\n", label);
          label[0] = '\0';
        }
      psim_format_append_padded (out, label, w->label);
      for (guint k = 0; k < 2; k++)
        {
          g_autofree char *v = psimp_compare_format (c, m, psimp_compare_value (c, k, m));
          append_right (out, v, w->value);
        }
      g_autofree char *d = psimp_compare_format_change (c, m);
      g_autofree char *p = psimp_compare_format_pct (c, m);
      append_right (out, d, w->change);
      append_right (out, p, w->pct);
      g_string_append_c (out, '\n');
    }
}

char *
psim_comparison_to_text (const PsimComparison *cmp, const PsimComparisonOptions *options)
{
  g_return_val_if_fail (cmp != NULL, NULL);
  PsimpCompare cv;
  psimp_compare_init (&cv, cmp, options);
  const PsimpCompare *c = &cv;
  GString *out = g_string_new (NULL);
  g_autofree char *h0 = psimp_compare_variant_heading (c, 0);
  g_autofree char *h1 = psimp_compare_variant_heading (c, 1);
  g_autofree char *case_line = psimp_compare_case_line (c);
  g_autofree char *params = psimp_compare_params_line (c);
  g_string_append_printf (out, "%s\n", psim_procedure_get_title (c->proc, c->lang));
  g_string_append_printf (out, psim_gettext (c->lang, "Before: %s\nAfter: %s\n"), h0, h1);
  g_string_append_printf (out, "%s\n%s\n\n", case_line, params);

  Widths w = widths_of (c);
  /* The headings stand on the table's first row: the lines of the
   * shorter one start lower. */
  g_autoptr (GPtrArray) head0 = column_heading (c, 0, w.value);
  g_autoptr (GPtrArray) head1 = column_heading (c, 1, w.value);
  guint n_head = MAX (head0->len, head1->len);
  for (guint l = 0; l < n_head; l++)
    {
      psim_format_append_padded (out, "", w.label);
      GPtrArray *heads[2] = { head0, head1 };
      for (guint k = 0; k < 2; k++)
        {
          guint skip = n_head - heads[k]->len;
          append_right (out, l >= skip ? heads[k]->pdata[l - skip] : "", w.value);
        }
      if (l + 1 == n_head)
        {
          append_right (out, psim_gettext (c->lang, "change"), w.change);
          append_right (out, "%", w.pct);
        }
      while (out->len > 0 && out->str[out->len - 1] == ' ')
        g_string_truncate (out, out->len - 1);
      g_string_append_c (out, '\n');
    }
  append_rows (out, c, &w, psimp_compare_rows, psimp_compare_n_rows);
  PsimpCompare e = psimp_compare_expected (c);
  g_string_append_printf (out, "\n%s\n", psimp_compare_expected_heading (c));
  append_rows (out, &e, &w, psimp_compare_expected_rows, psimp_compare_n_expected_rows);
  g_autofree char *note = psimp_compare_expected_note (c);
  g_string_append_printf (out, "%s\n", note);
  g_string_append_c (out, '\n');
  for (guint i = 0; i < psim_comparison_get_n_verdicts (cmp); i++)
    {
      g_autofree char *verdict = psimp_compare_verdict_text (c, i);
      g_string_append_printf (out, "%s\n", verdict);
    }
  for (guint k = 0; k < 2; k++)
    {
      guint n = psimp_compare_n_limits (c, k);
      g_autofree char *heading = n > 0 ? psimp_compare_limits_heading (c, k) : NULL;
      if (n > 0)
        g_string_append_printf (out, "\n%s\n", heading);
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *line = psimp_compare_limit_line (c, k, i);
          g_string_append_printf (out, "   %s\n", line);
        }
    }

  for (guint k = 0; c->explain && k < 2; k++)
    {
      g_autofree char *h = psimp_compare_variant_heading (c, k);
      g_string_append_printf (out, "\n");
      g_string_append_printf (out, psim_gettext (c->lang, "What each step contributes: %s\n"), h);
      for (guint r = 0; r < psim_measure_get_n_steps (c->measure[k]); r++)
        {
          const PsimNode *n = psim_measure_get_step (c->measure[k], r);
          g_autofree char *line = psimp_compare_explain_line (c, k, r);
          g_string_append_printf (out, "%2u. %s [%s]\n      %s\n", r + 1,
                                  psim_node_get_name (n, c->lang), psim_node_get_id (n), line);
        }
    }
  g_autofree char *text = g_string_free (out, FALSE);
  return psim_format_wrap (text, WIDTH);
}
