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
  "svg.bars text{font-size:13px;dominant-baseline:auto}"
  "rect.before{fill:#adb5bd}rect.after{fill:#1971c2}"
  "svg.graph{height:auto;border:1px solid #dee2e6}"
  "svg.hist text{font-size:11px}svg.hist line{stroke:#495057}"
  "footer{margin-top:2em;font-size:.8em;color:#495057}";
