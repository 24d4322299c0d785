/* psim-html.c — the style sheet and escaping of the library's HTML reports
 * (psim-comparison-html.c, psim-sim-html.c), so that they look alike.
 */
#include "psim-html-private.h"

void
psimp_html_escape (GString *out, const char *text)
{
  g_autofree char *e = g_markup_escape_text (text, -1);
  g_string_append (out, e);
}

const char psimp_html_style[] =
  "body{font-family:'DejaVu Sans',Arial,sans-serif;max-width:60em;margin:1em auto;"
  "padding:0 1em;color:#212529;line-height:1.4}"
  "h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.5em}h3{font-size:1em}"
  "table{border-collapse:collapse;margin:1em 0}"
  "th,td{padding:.25em .6em;border-bottom:1px solid #dee2e6}"
  "td{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
  "thead th{text-align:right}tbody th{text-align:left;font-weight:normal}"
  "tr.section th{font-weight:bold;padding-top:.8em}"
  "table.explain{font-size:.8em}"
  "ul.claims li{margin:.3em 0;font-weight:bold}"
  "figure.chart{margin:.5em 0}figcaption{font-size:.9em}"
  "svg.bars{max-width:100%;height:auto}svg.bars text{font-size:13px;dominant-baseline:auto;font-family:'DejaVu Sans',Arial,sans-serif}"
  "rect.before{fill:#adb5bd}rect.after{fill:#1971c2}"
  "svg.graph{height:auto;border:1px solid #dee2e6}"
  "svg.hist text{font-size:11px}svg.hist line{stroke:#495057}"
  "footer{margin-top:2em;font-size:.8em;color:#495057}"
  /* Printed on A4: headings stay with what follows them, rows and
   * pictures are not cut. */
  "@page{size:A4;margin:16mm 14mm}"
  "@media print{body{max-width:none;margin:0;padding:0;font-size:10pt}"
  "h1,h2,h3{break-after:avoid}tr,figure,li{break-inside:avoid}"
  "thead{display:table-header-group}}";

const char psimp_html_compare_style[] =
  ".meta{color:#495057;font-size:.9em}"
  "thead .variant{font-weight:normal;font-size:.8em}"
  "div.graph-box{overflow:auto;max-height:90vh;border:1px solid #dee2e6}"
  "div.graph-box svg.graph{display:block;border:0}"
  "table.steps{font-size:.85em;width:100%}"
  "table.steps td,table.steps thead th{text-align:left;white-space:normal;vertical-align:top}"
  "table.steps tbody th{vertical-align:top}"
  "span.src{font-size:.85em;color:#1864ab}span.est{color:#c92a2a}"
  "li.limit-over{color:#c92a2a;font-weight:bold}"
  "span.href{word-break:break-all;color:#495057}"
  "div.graph-paths{display:none}"
  "table.links th,table.links td{text-align:left;white-space:normal;vertical-align:top}"
  "@page graph{size:A4 landscape;margin:10mm}"
  "@page path{size:A4 portrait;margin:10mm}"
  "@page path-wide{size:A4 landscape;margin:10mm}"
  "@media print{.screen-only{display:none}div.graph-paths{display:block}"
  "section.graph{page:graph;break-before:page;break-after:page}"
  "div.graph-box{overflow:visible;max-height:none;border:0}"
  "div.graph-box svg.graph{width:100%;height:auto;max-height:165mm}"
  /* Each path alone on its page, at the size psim-comparison-html.c
   * gave it (the page's room, never under 3/4 of natural). */
  "figure.path{page:path;break-before:page;margin:0}figure.path.wide{page:path-wide}"
  "svg.path{display:block;margin:0 auto}"
  "table.links{page:path;font-size:9pt;break-before:page}"
  "section.steps{break-before:page}table.steps{font-size:8pt}}";
