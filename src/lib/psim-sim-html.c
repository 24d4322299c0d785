/* psim-sim-html.c — a simulation's results as HTML (`procsim simulate
 * --format html`): one self-contained
 * page in the style of compare's report. The figures with their confidence
 * intervals (and the paired differences), the offices, the legal limits,
 * and each variant's histogram of lead times drawn here as inline SVG; no
 * script, no external resource. Every text is escaped, and the whole is
 * well-formed XML as well as HTML.
 */
#include "psim-html-private.h"
#include "psim-sim-writer-private.h"


#include <math.h>
#include <string.h>

#define esc psimp_html_escape

static void
cell (GString *out, char *text)
{
  g_string_append (out, "<td>");
  esc (out, text);
  g_string_append (out, "</td>");
  g_free (text);
}

/* One row: the label, each variant's estimate, the difference. */
static void
figure_row (GString *out, const PsimSim *sim, const char *label, const PsimEstimate *e,
            PsimEstimate d, gboolean share, gboolean money)
{
  g_string_append (out, "<tr><th>");
  esc (out, label);
  g_string_append (out, "</th>");
  for (guint v = 0; v < psim_sim_get_n_variants (sim); v++)
    cell (out, psimp_sim_format_estimate (e[v], share, money));
  if (psim_sim_get_n_variants (sim) == 2)
    {
      g_autofree char *text = psimp_sim_format_estimate (d, share, money);
      cell (out, g_strdup_printf ("%s%s", text, psimp_sim_significant (d) ? " *" : ""));
    }
  g_string_append (out, "</tr>\n");
}

static void
table_head (GString *out, const PsimSim *sim)
{
  const char *lang = psim_sim_get_language (sim);
  g_string_append (out, "<table>\n<thead><tr><th></th>");
  for (guint v = 0; v < psim_sim_get_n_variants (sim); v++)
    {
      g_string_append_printf (out, "<th>%s ", v == 0 ? "A" : "B");
      esc (out, psim_variant_get_id (psim_sim_get_variant (sim, v)));
      g_string_append (out, "</th>");
    }
  if (psim_sim_get_n_variants (sim) == 2)
    {
      g_string_append (out, "<th>");
      esc (out, psim_gettext (lang, "B − A"));
      g_string_append (out, "</th>");
    }
  g_string_append (out, "</tr></thead>\n<tbody>\n");
}

/* The lead-time histogram of variant @v: the bins up to the last one
 * with cases, bars scaled to the fullest, days marked below. */
static void
append_histogram (GString *out, const PsimSim *sim, guint v)
{
  const char *lang = psim_sim_get_language (sim);
  guint n_bins = 0;
  double width = 0;
  const guint64 *hist = psim_sim_get_histogram (sim, v, &n_bins, &width);
  guint last = 0;
  guint64 max = 0, total = 0;
  for (guint i = 0; i < n_bins; i++)
    {
      if (hist[i] > 0)
        last = i;
      max = MAX (max, hist[i]);
      total += hist[i];
    }
  const PsimVariant *var = psim_sim_get_variant (sim, v);
  g_autofree char *caption = g_strdup_printf ("%s [%s]", psim_variant_get_title (var, lang),
                                              psim_variant_get_id (var));
  g_string_append (out, "<figure class=\"chart\"><figcaption>");
  esc (out, caption);
  g_string_append (out, "</figcaption>\n");
  if (total == 0)
    {
      g_string_append (out, "<p>—</p></figure>\n");
      return;
    }
  const double left = 40, plot_w = 600, plot_h = 160, top = 8;
  guint shown = last + 1;
  double bar = plot_w / shown;
  g_string_append (out, "<svg class=\"hist\" viewBox=\"0 0 660 200\" width=\"660\" height=\"200\" "
                        "role=\"img\">\n");
  char x[G_ASCII_DTOSTR_BUF_SIZE], y[G_ASCII_DTOSTR_BUF_SIZE], w[G_ASCII_DTOSTR_BUF_SIZE],
    h[G_ASCII_DTOSTR_BUF_SIZE];
  for (guint i = 0; i < shown; i++)
    {
      if (hist[i] == 0)
        continue;
      double bh = (double) hist[i] / (double) max * plot_h;
      g_ascii_formatd (x, sizeof x, "%.2f", left + i * bar);
      g_ascii_formatd (y, sizeof y, "%.2f", top + plot_h - bh);
      g_ascii_formatd (w, sizeof w, "%.2f", MAX (bar - 1, 0.5));
      g_ascii_formatd (h, sizeof h, "%.2f", bh);
      g_string_append_printf (out, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" class=\"%s\"/>\n",
                              x, y, w, h, v == 0 ? "before" : "after");
    }
  g_string_append_printf (out, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\"/>\n", left,
                          top + plot_h, left + plot_w, top + plot_h);
  /* About eight ticks, on whole days. */
  double days = shown * width;
  double step = MAX (1, ceil (days / 8));
  for (double d = 0; d <= days + 1e-9; d += step)
    {
      g_ascii_formatd (x, sizeof x, "%.2f", left + d / width * bar);
      g_string_append_printf (out, "<text x=\"%s\" y=\"%.0f\" text-anchor=\"middle\">%.0f</text>\n",
                              x, top + plot_h + 16, d);
    }
  g_string_append_printf (out, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">", left + plot_w,
                          top + plot_h + 32);
  esc (out, psim_gettext (lang, "lead time (days); the last bar holds the longer ones"));
  g_string_append (out, "</text>\n");
  g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, max);
  g_string_append_printf (out, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">%s</text>\n",
                          left - 4, top + 10, count);
  g_string_append (out, "</svg></figure>\n");
}

char *
psim_sim_to_html (const PsimSim *sim)
{
  g_return_val_if_fail (sim != NULL, NULL);
  GString *out = g_string_new (NULL);
  const char *lang = psim_sim_get_language (sim);
  const char *title = psim_procedure_get_title (psim_sim_get_procedure (sim), lang);
  g_string_append_printf (out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
                               "<meta charset=\"utf-8\"/>\n<title>", lang);
  esc (out, title);
  g_string_append_printf (out, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>", psimp_html_style);
  esc (out, title);
  g_string_append (out, "</h1>\n<p>");
  /* The heading lines after the title, one per line. */
  g_autofree char *header = psimp_sim_header (sim);
  g_auto (GStrv) lines = g_strsplit (header, "\n", -1);
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      if (i > 1)
        g_string_append (out, "<br/>");
      esc (out, g_strstrip (lines[i]));
    }
  g_string_append (out, "</p>\n<h2>");
  esc (out, psim_gettext (lang, "Per case"));
  g_string_append (out, "</h2>\n");
  table_head (out, sim);
  for (guint f = 0; f < PSIM_FIG_N; f++)
    {
      PsimEstimate e[2] = { psim_sim_get_figure (sim, 0, f), psim_sim_get_figure (sim, 1, f) };
      figure_row (out, sim, psimp_sim_figure_label (f, lang), e, psim_sim_get_difference (sim, f),
                  psimp_sim_figure_is_share (f), psimp_sim_figure_is_money (f));
    }
  g_string_append (out, "</tbody>\n</table>\n");
  if (psim_sim_get_n_variants (sim) == 2)
    {
      g_string_append (out, "<p>");
      g_autofree char *note = g_strdup (psimp_sim_significance_note (lang));
      esc (out, g_strstrip (note));
      g_string_append (out, "</p>\n");
    }

  guint n_res = psim_sim_get_n_resources (sim);
  if (n_res > 0)
    {
      g_string_append (out, "<h2>");
      esc (out, psim_gettext (lang, "Offices"));
      g_string_append (out, "</h2>\n");
      table_head (out, sim);
      for (guint r = 0; r < n_res; r++)
        {
          g_autofree char *name = psimp_sim_office_heading (sim, r);
          g_string_append_printf (out, "<tr class=\"section\"><th colspan=\"%u\">",
                                  psim_sim_get_n_variants (sim) == 2 ? 4 : 2);
          esc (out, g_strstrip (name));
          g_string_append (out, "</th></tr>\n");
          for (guint f = 0; f < PSIM_RES_N; f++)
            {
              PsimEstimate e[2] = { psim_sim_get_resource_figure (sim, 0, r, f),
                                    psim_sim_get_resource_figure (sim, 1, r, f) };
              figure_row (out, sim, psimp_sim_res_label (f, lang), e, psim_sim_get_resource_difference (sim, r, f),
                          f == PSIM_RES_UTILISATION, FALSE);
            }
        }
      g_string_append (out, "</tbody>\n</table>\n");
    }

  g_string_append (out, "<h2>");
  esc (out, psim_gettext (lang, "Legal limits, share of cases over:"));
  g_string_append (out, "</h2>\n");
  for (guint v = 0; v < psim_sim_get_n_variants (sim); v++)
    {
      const PsimVariant *var = psim_sim_get_variant (sim, v);
      guint n = psim_sim_get_n_limits (sim, v);
      g_string_append (out, "<h3>");
      esc (out, psim_variant_get_title (var, lang));
      g_string_append (out, "</h3>\n");
      if (n == 0)
        {
          g_string_append (out, "<p>");
          esc (out, psim_gettext (lang, "this variant has no legal limit"));
          g_string_append (out, "</p>\n");
          continue;
        }
      g_string_append (out, "<table>\n<tbody>\n");
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *label = psim_sim_get_limit_label (sim, v, i);
          g_string_append (out, "<tr><th>");
          esc (out, label);
          g_string_append (out, "</th>");
          cell (out, psimp_sim_format_estimate (psim_sim_get_limit_share (sim, v, i), TRUE, FALSE));
          g_string_append (out, "</tr>\n");
        }
      g_string_append (out, "</tbody>\n</table>\n");
    }

  g_string_append (out, "<h2>");
  esc (out, psim_gettext (lang, "Lead times, all replications"));
  g_string_append (out, "</h2>\n");
  for (guint v = 0; v < psim_sim_get_n_variants (sim); v++)
    append_histogram (out, sim, v);

  const char *file = psim_procedure_get_file (psim_sim_get_procedure (sim));
  g_autofree char *base = g_path_get_basename (file != NULL ? file : psim_procedure_get_id (psim_sim_get_procedure (sim)));
  g_autofree char *footer = g_strdup_printf (
    psim_gettext (lang, "Made by procsim %s from %s. Figures the procedure file marks as estimated are not from a "
      "source."), psim_version (), base);
  g_string_append (out, "<footer><p>");
  esc (out, footer);
  g_string_append (out, "</p></footer>\n</body>\n</html>\n");
  return g_string_free (out, FALSE);
}
