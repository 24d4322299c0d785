/* psim-comparison-html.c — a comparison as one self-contained HTML file a
 * reformer can mail. Inline CSS, bar charts drawn here as inline SVG, the
 * side-by-side graph from the renderer (psim-render.h) inlined; no script,
 * no external resource. Every text is escaped, and the whole is
 * well-formed XML as well as HTML, so that a test can check it with an
 * XML parser.
 */
#include "psim-comparison-private.h"
#include "psim-html-private.h"

#include <math.h>
#include <string.h>

#define esc psimp_html_escape

/* The figures drawn as bars. */
static const PsimMetric chart_rows[] = {
  PSIM_METRIC_PROCEDURES, PSIM_METRIC_VISITS, PSIM_METRIC_DOCUMENTS, PSIM_METRIC_DB_DAYS,
  PSIM_METRIC_EFFORT_HOURS, PSIM_METRIC_APPLICANT_COST, PSIM_METRIC_SCM_BURDEN,
};

/* Two horizontal bars, before and after, scaled to the larger. */
static void
append_chart (GString *out, const PsimpCompare *c, PsimMetric m)
{
  double v[2] = { psim_measure_get (c->measure[0], m), psim_measure_get (c->measure[1], m) };
  if (isnan (v[0]) || isnan (v[1]))
    return;
  double max = MAX (v[0], v[1]);
  const double width = 420, left = 110;
  g_string_append (out, "<figure class=\"chart\"><figcaption>");
  esc (out, psimp_compare_label (c, m));
  g_string_append (out, "</figcaption>\n<svg class=\"bars\" viewBox=\"0 0 640 64\" width=\"640\" "
                        "height=\"64\" role=\"img\">\n");
  for (guint k = 0; k < 2; k++)
    {
      double w = max > 0 ? v[k] / max * width : 0;
      g_autofree char *shown = psimp_compare_format (c, m, v[k]);
      char x[G_ASCII_DTOSTR_BUF_SIZE], wb[G_ASCII_DTOSTR_BUF_SIZE];
      g_ascii_formatd (wb, sizeof wb, "%.1f", w);
      g_ascii_formatd (x, sizeof x, "%.1f", left + w + 6);
      g_string_append_printf (out, "<text x=\"0\" y=\"%u\" class=\"id\">", 22 + 30 * k);
      esc (out, psim_variant_get_id (c->variant[k]));
      g_string_append_printf (out, "</text><rect x=\"%.0f\" y=\"%u\" width=\"%s\" height=\"22\" "
                                   "class=\"%s\"/><text x=\"%s\" y=\"%u\">",
                              left, 6 + 30 * k, wb, k == 0 ? "before" : "after", x, 22 + 30 * k);
      esc (out, shown);
      g_string_append (out, "</text>\n");
    }
  g_string_append (out, "</svg></figure>\n");
}

/* The renderer's SVG without its XML prolog and DOCTYPE (which point at
 * the W3C's DTD), fitted to the page's width. */
static gboolean
append_graph (GString *out, const PsimpCompare *c, GError **error)
{
  PsimRenderOptions opts = { .lang = c->lang, .pcase = c->pcase };
  g_autoptr (PsimRenderer) renderer = psim_renderer_new ();
  g_autoptr (GBytes) svg = psim_renderer_render_compare (renderer, c->variant[0], c->variant[1],
                                                         &opts, "svg", error);
  if (svg == NULL)
    return FALSE;
  gsize size = 0;
  const char *data = g_bytes_get_data (svg, &size);
  g_autofree char *text = g_strndup (data, size);
  const char *start = strstr (text, "<svg");
  const char *end = start != NULL ? strchr (start, '>') : NULL;
  if (end == NULL)
    {
      g_set_error (error, PSIM_RENDER_ERROR, PSIM_RENDER_ERROR_GRAPHVIZ,
                   "the graph is not SVG");
      return FALSE;
    }
  /* The opening tag's fixed size in points would overflow the page: keep
   * its viewBox and let the width follow the page. */
  g_autofree char *tag = g_strndup (start, end - start);
  const char *viewbox = strstr (tag, "viewBox=");
  g_string_append (out, "<svg class=\"graph\" width=\"100%\" ");
  if (viewbox != NULL)
    g_string_append (out, viewbox);
  g_string_append (out, end);
  return TRUE;
}

static void
append_table (GString *out, const PsimpCompare *c)
{
  g_string_append (out, "<table>\n<thead><tr><th></th><th>");
  esc (out, psim_variant_get_id (c->variant[0]));
  g_string_append (out, "</th><th>");
  esc (out, psim_variant_get_id (c->variant[1]));
  g_string_append (out, "</th><th>");
  esc (out, psim_gettext (c->lang, "change"));
  g_string_append (out, "</th><th>%</th></tr></thead>\n<tbody>\n");
  for (guint i = 0; i < psimp_compare_n_rows; i++)
    {
      PsimMetric m = psimp_compare_rows[i];
      if (!psimp_compare_shows (c, m))
        continue;
      if (psimp_compare_section (c, m) != NULL)
        {
          g_string_append (out, "<tr class=\"section\"><th colspan=\"5\">");
          esc (out, psimp_compare_section (c, m));
          g_string_append (out, "</th></tr>\n");
        }
      g_string_append (out, "<tr><th>");
      esc (out, psimp_compare_label (c, m));
      g_string_append (out, "</th>");
      for (guint k = 0; k < 2; k++)
        {
          g_autofree char *v = psimp_compare_format (c, m, psim_measure_get (c->measure[k], m));
          g_string_append (out, "<td>");
          esc (out, v);
          g_string_append (out, "</td>");
        }
      g_autofree char *d = psimp_compare_format_change (c, m);
      g_autofree char *p = psimp_compare_format_pct (c, m);
      g_string_append (out, "<td>");
      esc (out, d);
      g_string_append (out, "</td><td>");
      esc (out, p);
      g_string_append (out, "</td></tr>\n");
    }
  g_string_append (out, "</tbody>\n</table>\n");
}

/* What each step adds to the headline figures, one table per variant. */
static void
append_explain (GString *out, const PsimpCompare *c, guint k)
{
  static const PsimMetric cols[] = {
    PSIM_METRIC_PROCEDURES, PSIM_METRIC_VISITS, PSIM_METRIC_DOCUMENTS, PSIM_METRIC_HANDOFFS,
    PSIM_METRIC_DB_DAYS, PSIM_METRIC_WORKING_DAYS, PSIM_METRIC_EFFORT_HOURS,
    PSIM_METRIC_TAXES, PSIM_METRIC_FEES, PSIM_METRIC_APPLICANT_COST,
  };
  g_string_append (out, "<h3>");
  g_autofree char *h = g_strdup_printf (psim_gettext (c->lang, "What each step contributes: %s\n"),
                                        psim_variant_get_title (c->variant[k], c->lang));
  esc (out, g_strstrip (h));
  g_string_append (out, "</h3>\n<table class=\"explain\">\n<thead><tr><th></th>");
  for (guint j = 0; j < G_N_ELEMENTS (cols); j++)
    {
      g_string_append (out, "<th>");
      esc (out, psimp_compare_label (c, cols[j]));
      g_string_append (out, "</th>");
    }
  g_string_append (out, "</tr></thead>\n<tbody>\n");
  for (guint r = 0; r < psim_measure_get_n_steps (c->measure[k]); r++)
    {
      const PsimNode *n = psim_measure_get_step (c->measure[k], r);
      g_string_append_printf (out, "<tr><th>%u. ", r + 1);
      esc (out, psim_node_get_name (n, c->lang));
      g_string_append (out, "</th>");
      for (guint j = 0; j < G_N_ELEMENTS (cols); j++)
        {
          double v = psim_measure_get_contribution (c->measure[k], r, cols[j]);
          g_autofree char *shown = v == 0 ? g_strdup ("") : psimp_compare_format (c, cols[j], v);
          g_string_append (out, "<td>");
          esc (out, shown);
          g_string_append (out, "</td>");
        }
      g_string_append (out, "</tr>\n");
    }
  g_string_append (out, "</tbody>\n</table>\n");
}

char *
psim_comparison_to_html (const PsimComparison *cmp, const PsimComparisonOptions *options,
                         GError **error)
{
  g_return_val_if_fail (cmp != NULL, NULL);
  PsimpCompare cv;
  psimp_compare_init (&cv, cmp, options);
  const PsimpCompare *c = &cv;
  GString *out = g_string_new (NULL);
  const char *title = psim_procedure_get_title (c->proc, c->lang);
  g_string_append_printf (out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
                               "<meta charset=\"utf-8\"/>\n<title>", c->lang);
  esc (out, title);
  g_string_append_printf (out, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>", psimp_html_style);
  esc (out, title);
  g_string_append (out, "</h1>\n<p>");
  for (guint k = 0; k < 2; k++)
    {
      g_autofree char *h = g_strdup_printf ("%s [%s]",
                                            psim_variant_get_title (c->variant[k], c->lang),
                                            psim_variant_get_id (c->variant[k]));
      g_string_append (out, k == 0 ? "<strong>" : "<br/><strong>");
      esc (out, k == 0 ? psim_gettext (c->lang, "Before:") : psim_gettext (c->lang, "After:"));
      g_string_append (out, "</strong> ");
      esc (out, h);
    }
  g_autofree char *case_line = psimp_compare_case_line (c);
  g_autofree char *params = psimp_compare_params_line (c);
  g_string_append (out, "</p>\n<p>");
  esc (out, case_line);
  g_string_append (out, "<br/>");
  esc (out, params);
  g_string_append (out, "</p>\n<h2>");
  esc (out, psim_gettext (c->lang, "Does the reform halve time and cost?"));
  g_string_append (out, "</h2>\n<ul class=\"claims\">\n");
  for (guint i = 0; i < psim_comparison_get_n_verdicts (cmp); i++)
    {
      g_autofree char *verdict = psimp_compare_verdict_text (c, i);
      g_string_append (out, "<li>");
      esc (out, verdict);
      g_string_append (out, "</li>\n");
    }
  g_string_append (out, "</ul>\n<h2>");
  esc (out, psim_gettext (c->lang, "Figure by figure"));
  g_string_append (out, "</h2>\n");
  append_table (out, c);
  g_string_append (out, "<h2>");
  esc (out, psim_gettext (c->lang, "Charts"));
  g_string_append (out, "</h2>\n");
  for (guint i = 0; i < G_N_ELEMENTS (chart_rows); i++)
    append_chart (out, c, chart_rows[i]);
  g_string_append (out, "<h2>");
  esc (out, psim_gettext (c->lang, "The two paths side by side"));
  g_string_append (out, "</h2>\n");
  if (!append_graph (out, c, error))
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  for (guint k = 0; c->explain && k < 2; k++)
    append_explain (out, c, k);
  g_autofree char *base = g_path_get_basename (psim_procedure_get_file (c->proc));
  g_autofree char *footer = g_strdup_printf (
      psim_gettext (c->lang,
                    "Made by procsim %s from %s. Doing Business days: each procedure at "
                    "least one day, half a day if fully online; parallel work counts once. "
                    "Figures the procedure file marks as estimated are not from a source."),
      psim_version (), base);
  g_string_append (out, "<footer><p>");
  esc (out, footer);
  g_string_append (out, "</p></footer>\n</body>\n</html>\n");
  return g_string_free (out, FALSE);
}
