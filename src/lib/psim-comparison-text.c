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

static Widths
widths_of (const PsimpCompare *c)
{
  Widths w = { LABEL_W, VALUE_W, CHANGE_W, PCT_W };
  for (guint k = 0; k < 2; k++)
    w.value = need (psim_variant_get_id (c->variant[k]), w.value);
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
  psim_format_append_padded (out, "", w.label);
  append_right (out, psim_variant_get_id (c->variant[0]), w.value);
  append_right (out, psim_variant_get_id (c->variant[1]), w.value);
  append_right (out, psim_gettext (c->lang, "change"), w.change);
  append_right (out, "%", w.pct);
  g_string_append_c (out, '\n');
  for (guint i = 0; i < psimp_compare_n_rows; i++)
    {
      PsimMetric m = psimp_compare_rows[i];
      if (!psimp_compare_shows (c, m))
        continue;
      if (psimp_compare_section (c, m) != NULL)
        g_string_append_printf (out, "%s\n", psimp_compare_section (c, m));
      g_autofree char *label = g_strconcat ("  ", psimp_compare_label (c, m), NULL);
      /* A label too long for its column gets a line of its own. */
      if (g_utf8_strlen (label, -1) > w.label)
        {
          g_string_append_printf (out, "%s\n", label);
          label[0] = '\0';
        }
      psim_format_append_padded (out, label, w.label);
      for (guint k = 0; k < 2; k++)
        {
          g_autofree char *v = psimp_compare_format (c, m, psim_measure_get (c->measure[k], m));
          append_right (out, v, w.value);
        }
      g_autofree char *d = psimp_compare_format_change (c, m);
      g_autofree char *p = psimp_compare_format_pct (c, m);
      append_right (out, d, w.change);
      append_right (out, p, w.pct);
      g_string_append_c (out, '\n');
    }
  g_string_append_c (out, '\n');
  for (guint i = 0; i < psim_comparison_get_n_verdicts (cmp); i++)
    {
      g_autofree char *verdict = psimp_compare_verdict_text (c, i);
      g_string_append_printf (out, "%s\n", verdict);
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
