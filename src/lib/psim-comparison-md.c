/* psim-comparison-md.c — a comparison as Markdown for a report or a
 * pull request: a heading, the variants, case and cost figures, a
 * GitHub table of the figures by section, the verdicts as a list, and on
 * request what each step contributes. Every text is escaped for a cell.
 */
#include "psim-comparison-private.h"

#include <math.h>
#include <string.h>

/* Text in a table cell: '|' would end the cell. (transfer full) */
static char *
md_escape (const char *text)
{
  GString *out = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '&')
        g_string_append (out, "&amp;");
      else if (*p == '\n' || *p == '\r')
        g_string_append_c (out, ' ');
      else
        {
          if (strchr ("|\\*_`[]<>", *p) != NULL)
            g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
    }
  return g_string_free (out, FALSE);
}

/* The rows @rows of the table: each label, both figures, the change. */
static void
append_rows (GString *out, const PsimpCompare *c, const PsimMetric *rows, guint n_rows)
{
  for (guint i = 0; i < n_rows; i++)
    {
      PsimMetric m = rows[i];
      if (!psimp_compare_shows (c, m))
        continue;
      if (psimp_compare_section (c, m) != NULL)
        g_string_append_printf (out, "| **%s** | | | | |\n", psimp_compare_section (c, m));
      g_autofree char *label = md_escape (psimp_compare_label (c, m));
      g_autofree char *a = psimp_compare_format (c, m, psimp_compare_value (c, 0, m));
      g_autofree char *b = psimp_compare_format (c, m, psimp_compare_value (c, 1, m));
      g_autofree char *d = psimp_compare_format_change (c, m);
      g_autofree char *p = psimp_compare_format_pct (c, m);
      g_string_append_printf (out, "| %s | %s | %s | %s | %s |\n", label, a, b, d, p);
    }
}

char *
psim_comparison_to_markdown (const PsimComparison *cmp, const PsimComparisonOptions *options)
{
  g_return_val_if_fail (cmp != NULL, NULL);
  PsimpCompare cv;
  psimp_compare_init (&cv, cmp, options);
  const PsimpCompare *c = &cv;
  GString *out = g_string_new (NULL);
  g_autofree char *title = md_escape (psim_procedure_get_title (c->proc, c->lang));
  g_autofree char *h0 = psimp_compare_variant_heading (c, 0);
  g_autofree char *h1 = psimp_compare_variant_heading (c, 1);
  g_autofree char *e0 = md_escape (h0);
  g_autofree char *e1 = md_escape (h1);
  g_autofree char *case_line = psimp_compare_case_line (c);
  g_autofree char *params = psimp_compare_params_line (c);
  g_autofree char *ec = md_escape (case_line);
  g_autofree char *ep = md_escape (params);
  g_autofree char *pair
      = g_strdup_printf (psim_gettext (c->lang, "Before: %s\nAfter: %s\n"), e0, e1);
  g_auto (GStrv) pair_lines = g_strsplit (g_strstrip (pair), "\n", -1);
  g_autofree char *pair_md = g_strjoinv ("  \n", pair_lines);
  g_string_append_printf (out, "### %s\n\n%s  \n%s  \n%s\n\n", title, pair_md, ec, ep);
  g_autofree char *t0 = md_escape (psim_variant_get_title (c->variant[0], c->lang));
  g_autofree char *t1 = md_escape (psim_variant_get_title (c->variant[1], c->lang));
  g_string_append_printf (out, "| %s | %s %s | %s %s | %s | %% |\n|---|--:|--:|--:|--:|\n",
                          psim_gettext (c->lang, "Figure"), psim_gettext (c->lang, "Before:"), t0,
                          psim_gettext (c->lang, "After:"), t1, psim_gettext (c->lang, "change"));
  append_rows (out, c, psimp_compare_rows, psimp_compare_n_rows);
  PsimpCompare ev = psimp_compare_expected (c);
  g_autofree char *ex_head = md_escape (psimp_compare_expected_heading (c));
  g_autofree char *note = psimp_compare_expected_note (c);
  g_autofree char *ex_note = md_escape (note);
  g_string_append_printf (out, "\n#### %s\n\n%s\n\n", ex_head, ex_note);
  g_string_append_printf (out, "| %s | %s %s | %s %s | %s | %% |\n|---|--:|--:|--:|--:|\n",
                          psim_gettext (c->lang, "Figure"), psim_gettext (c->lang, "Before:"), t0,
                          psim_gettext (c->lang, "After:"), t1, psim_gettext (c->lang, "change"));
  append_rows (out, &ev, psimp_compare_expected_rows, psimp_compare_n_expected_rows);
  g_string_append_c (out, '\n');
  for (guint i = 0; i < psim_comparison_get_n_verdicts (cmp); i++)
    {
      g_autofree char *verdict = psimp_compare_verdict_text (c, i);
      g_autofree char *e = md_escape (verdict);
      g_string_append_printf (out, "- %s\n", e);
    }
  for (guint k = 0; k < 2; k++)
    {
      guint n = psimp_compare_n_limits (c, k);
      g_autofree char *heading = n > 0 ? psimp_compare_limits_heading (c, k) : NULL;
      g_autofree char *eh = n > 0 ? md_escape (heading) : NULL;
      if (n > 0)
        g_string_append_printf (out, "\n#### %s\n\n", eh);
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *line = psimp_compare_limit_line (c, k, i);
          g_autofree char *el = md_escape (line);
          g_string_append_printf (out, "- %s\n", el);
        }
    }
  for (guint k = 0; c->explain && k < 2; k++)
    {
      g_autofree char *h = psimp_compare_variant_heading (c, k);
      g_autofree char *eh = md_escape (h);
      g_string_append_printf (out, "\n#### ");
      g_string_append_printf (out, psim_gettext (c->lang, "What each step contributes: %s\n"), eh);
      g_string_append_c (out, '\n');
      for (guint r = 0; r < psim_measure_get_n_steps (c->measure[k]); r++)
        {
          const PsimNode *n = psim_measure_get_step (c->measure[k], r);
          g_autofree char *line = psimp_compare_explain_line (c, k, r);
          g_autofree char *name = md_escape (psim_node_get_name (n, c->lang));
          g_autofree char *el = md_escape (line);
          g_string_append_printf (out, "%u. %s (`%s`): %s\n", r + 1, name, psim_node_get_id (n),
                                  el);
        }
    }
  return g_string_free (out, FALSE);
}
