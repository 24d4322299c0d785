/* psim-comparison-html.c — a comparison as one self-contained HTML file a
 * reformer can mail. Inline CSS, bar charts drawn here as inline SVG, the
 * side-by-side graph from the renderer (psim-render.h) inlined and, for
 * print, each path drawn alone top to bottom on pages of its own; no script,
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

/* The width of @text in the bars' 13 px font, at most: DejaVu Sans's
 * widest digits and letters are under 0.7 em. */
static double
text_width (const char *text)
{
  return (double) g_utf8_strlen (text, -1) * 13 * 0.7;
}

/* Two horizontal bars, before and after, scaled to the larger, each with
 * its figure after it; the bars leave room for the longer figure, so that
 * no label runs past the picture whatever the numbers. */
/* The widest figure label of the charts, so that their bars share one
 * scale of lengths on the page. */
static double
chart_label_width (const PsimpCompare *c)
{
  double label = 0;
  for (guint i = 0; i < G_N_ELEMENTS (chart_rows); i++)
    for (guint k = 0; k < 2; k++)
      {
        g_autofree char *shown
            = psimp_compare_format (c, chart_rows[i], psim_measure_get (c->measure[k], chart_rows[i]));
        label = MAX (label, text_width (shown));
      }
  return label;
}

static void
append_chart (GString *out, const PsimpCompare *c, PsimMetric m, double label)
{
  double v[2] = { psim_measure_get (c->measure[0], m), psim_measure_get (c->measure[1], m) };
  if (isnan (v[0]) || isnan (v[1]))
    return;
  double max = MAX (v[0], v[1]);
  g_autofree char *shown0 = psimp_compare_format (c, m, v[0]);
  g_autofree char *shown1 = psimp_compare_format (c, m, v[1]);
  const char *shown[2] = { shown0, shown1 };
  const double total = 640, gap = 6;
  double left = MAX (text_width (psimp_compare_side_name (c, 0)), text_width (psimp_compare_side_name (c, 1))) + 14;
  double width = MAX (total - left - gap - label, 120);
  g_autofree char *svg_w = g_strdup_printf ("%.0f", ceil (left + width + gap + label));
  g_string_append (out, "<figure class=\"chart\"><figcaption>");
  esc (out, psimp_compare_label (c, m));
  g_autofree char *alt = g_strdup_printf ("%s: %s %s, %s %s", psimp_compare_label (c, m),
                                          psimp_compare_side_name (c, 0), shown[0], psimp_compare_side_name (c, 1), shown[1]);
  g_string_append_printf (out, "</figcaption>\n<svg class=\"bars\" viewBox=\"0 0 %s 64\" width=\"%s\" "
                               "height=\"64\" role=\"img\" aria-label=\"", svg_w, svg_w);
  esc (out, alt);
  g_string_append (out, "\">\n");
  for (guint k = 0; k < 2; k++)
    {
      double w = max > 0 ? v[k] / max * width : 0;
      char x[G_ASCII_DTOSTR_BUF_SIZE], wb[G_ASCII_DTOSTR_BUF_SIZE], lb[G_ASCII_DTOSTR_BUF_SIZE];
      g_ascii_formatd (wb, sizeof wb, "%.1f", w);
      g_ascii_formatd (x, sizeof x, "%.1f", left + w + gap);
      g_ascii_formatd (lb, sizeof lb, "%.1f", left);
      g_string_append_printf (out, "<text x=\"2\" y=\"%u\" class=\"side\">", 22 + 30 * k);
      esc (out, psimp_compare_side_name (c, k));
      g_string_append_printf (out, "</text><rect x=\"%s\" y=\"%u\" width=\"%s\" height=\"22\" "
                                   "class=\"%s\"/><text x=\"%s\" y=\"%u\">",
                              lb, 6 + 30 * k, wb, k == 0 ? "before" : "after", x, 22 + 30 * k);
      esc (out, shown[k]);
      g_string_append (out, "</text>\n");
    }
  g_string_append (out, "</svg></figure>\n");
}

/* The id Graphviz gives a node, "VARIANT:NODE" (and ":port"), as the
 * step's name; NULL when it names no node of the two variants. */
static const char *
node_title (const PsimpCompare *c, const char *id)
{
  for (guint k = 0; k < 2; k++)
    {
      const char *vid = psim_variant_get_id (c->variant[k]);
      gsize len = strlen (vid);
      if (strncmp (id, vid, len) != 0 || id[len] != ':')
        continue;
      const char *node = id + len + 1;
      const char *port = strchr (node, ':');
      gsize nlen = port != NULL ? (gsize) (port - node) : strlen (node);
      for (guint i = 0; i < psim_variant_get_n_nodes (c->variant[k]); i++)
        {
          const PsimNode *n = psim_variant_get_node (c->variant[k], i);
          const char *nid = psim_node_get_id (n);
          if (strlen (nid) == nlen && strncmp (nid, node, nlen) == 0)
            return psim_node_get_name (n, c->lang);
        }
    }
  return NULL;
}

/* The tooltip of a graph element in words for the reader, from the id
 * Graphviz wrote as its <title>: a step's name, "name → name" for an
 * edge, a lane's actor, a variant's title. NULL: no tooltip. (transfer full) */
static char *
graph_title (const PsimpCompare *c, const char *id)
{
  const char *arrow = strstr (id, "->");
  if (arrow != NULL)
    {
      g_autofree char *from = g_strndup (id, arrow - id);
      const char *a = node_title (c, from), *b = node_title (c, arrow + 2);
      return a != NULL && b != NULL ? g_strdup_printf ("%s → %s", a, b) : NULL;
    }
  if (g_str_has_prefix (id, "cluster_variant_"))
    for (guint k = 0; k < 2; k++)
      if (strcmp (id + strlen ("cluster_variant_"), psim_variant_get_id (c->variant[k])) == 0)
        return g_strdup (psim_variant_get_title (c->variant[k], c->lang));
  const char *lane = strstr (id, ":lane_");
  if (g_str_has_prefix (id, "cluster_") && lane != NULL)
    for (guint i = 0; i < psim_procedure_get_n_actors (c->proc); i++)
      {
        const PsimActor *a = psim_procedure_get_actor (c->proc, i);
        if (strcmp (lane + strlen (":lane_"), psim_actor_get_id (a)) == 0)
          return g_strdup (psim_actor_get_name (a, c->lang));
      }
  const char *name = node_title (c, id);
  return name != NULL ? g_strdup (name) : NULL;
}

/* Graphviz's escapes in a <title>: &#NN;, &amp;, &lt;, &gt;, &quot;,
 * &apos;. (transfer full) */
static char *
unescape (const char *text, gsize len)
{
  GString *s = g_string_new (NULL);
  for (gsize i = 0; i < len;)
    {
      static const struct { const char *e; char c; } named[]
          = { { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' }, { "&apos;", '\'' } };
      gboolean done = FALSE;
      for (guint j = 0; j < G_N_ELEMENTS (named) && !done; j++)
        if (len - i >= strlen (named[j].e) && strncmp (text + i, named[j].e, strlen (named[j].e)) == 0)
          {
            g_string_append_c (s, named[j].c);
            i += strlen (named[j].e);
            done = TRUE;
          }
      if (!done && text[i] == '&' && i + 2 < len && text[i + 1] == '#')
        {
          char *endp = NULL;
          guint64 cp = g_ascii_strtoull (text + i + 2, &endp, 10);
          if (endp != NULL && *endp == ';' && (gsize) (endp - text) < len && cp > 0 && cp <= 0x10FFFF
              && g_unichar_validate ((gunichar) cp))
            {
              g_string_append_unichar (s, (gunichar) cp);
              i = (gsize) (endp - text) + 1;
              done = TRUE;
            }
        }
      if (!done)
        g_string_append_c (s, text[i++]);
    }
  return g_string_free (s, FALSE);
}

/* Appends the SVG body @svg with every <title> (the tooltips) in words,
 * or left out when it would only show an internal id. */
static void
append_titled (GString *out, const PsimpCompare *c, const char *svg)
{
  const char *p = svg;
  for (const char *t; (t = strstr (p, "<title>")) != NULL;)
    {
      const char *body = t + strlen ("<title>");
      const char *close = strstr (body, "</title>");
      if (close == NULL)
        break;
      g_string_append_len (out, p, t - p);
      g_autofree char *id = unescape (body, close - body);
      g_autofree char *title = graph_title (c, id);
      if (title != NULL)
        {
          g_string_append (out, "<title>");
          esc (out, title);
          g_string_append (out, "</title>");
        }
      p = close + strlen ("</title>");
    }
  g_string_append (out, p);
}

/* The SVG @svg from its <svg tag on (without the XML prolog and DOCTYPE,
 * which point at the W3C's DTD) in *start, the end of that tag in *end.
 * (transfer full) the text *start points into. */
static char *
svg_text (GBytes *svg, const char **start, const char **end, GError **error)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (svg, &size);
  char *text = g_strndup (data, size);
  *start = strstr (text, "<svg");
  *end = *start != NULL ? strchr (*start, '>') : NULL;
  if (*end == NULL)
    {
      g_set_error (error, PSIM_RENDER_ERROR, PSIM_RENDER_ERROR_GRAPHVIZ,
                   "the graph is not SVG");
      g_free (text);
      return NULL;
    }
  return text;
}

/* The renderer's SVG at its natural size: on screen it scrolls in its
 * box, in print the style sheet fits it to its landscape page. */
static gboolean
append_graph (GString *out, const PsimpCompare *c, GError **error)
{
  PsimRenderOptions opts = { .lang = c->lang, .pcase = c->pcase };
  g_autoptr (PsimRenderer) renderer = psim_renderer_new ();
  g_autoptr (GBytes) svg = psim_renderer_render_compare (renderer, c->variant[0], c->variant[1],
                                                         &opts, "svg", error);
  const char *start = NULL, *end = NULL;
  g_autofree char *text = svg != NULL ? svg_text (svg, &start, &end, error) : NULL;
  if (text == NULL)
    return FALSE;
  /* Focusable, so that the keyboard scrolls it too. */
  g_string_append (out, "<div class=\"graph-box\" tabindex=\"0\">\n<svg class=\"graph\" role=\"img\" "
                        "aria-label=\"");
  esc (out, psim_gettext (c->lang, "The two paths side by side"));
  g_string_append (out, "\"");
  g_string_append_len (out, start + strlen ("<svg"), end - start - strlen ("<svg"));
  append_titled (out, c, end);
  g_string_append (out, "</div>\n");
  return TRUE;
}

/* For print, each path drawn alone, top to bottom, on A4 pages of its
 * own: whole on one page when it fits at PATH_MIN_SCALE or more (the
 * steps' 11 pt names print at 8.25 pt or more), else in parts, rows from
 * top to bottom (and columns when it is too wide even so), overlapping
 * by PATH_OVERLAP, each a page; portrait or landscape, whichever needs
 * fewer pages, then the larger. The room for the picture on a page
 * inside the print margins (the style sheet's @page path and path-wide:
 * 10 mm), under its caption, in points, portrait then landscape, a
 * little less so that rounding never shrinks it. */
#define PATH_MIN_SCALE 0.75
#define PATH_OVERLAP 24
static const double path_room[2][2] = { { 530, 740 }, { 775, 495 } };

typedef struct {
  guint cols, rows;
  double scale;
} PathPlan;

/* The plan of a @w by @h picture on pages of @room: the fewest pages at
 * which it shows at PATH_MIN_SCALE or more, as large as they allow (at
 * most its natural size). */
static PathPlan
plan_parts (const double room[2], double w, double h)
{
  PathPlan best = { 0, 0, 0 };
  for (guint cols = 1; cols <= 8; cols++)
    for (guint rows = 1; rows <= 64; rows++)
      {
        double part_w = w / cols + (cols > 1 ? PATH_OVERLAP : 0);
        double part_h = h / rows + (rows > 1 ? PATH_OVERLAP : 0);
        double scale = MIN (1, MIN (room[0] / part_w, room[1] / part_h));
        if (scale < PATH_MIN_SCALE)
          continue;
        guint pages = cols * rows, best_pages = best.cols * best.rows;
        if (best.cols == 0 || pages < best_pages || (pages == best_pages && scale > best.scale))
          best = (PathPlan) { cols, rows, scale };
        break; /* more rows: more pages */
      }
  if (best.cols == 0) /* more than 512 pages: at the largest scale 8 x 64 give */
    best = (PathPlan) { 8, 64,
                        MIN (room[0] / (w / 8 + PATH_OVERLAP), room[1] / (h / 64 + PATH_OVERLAP)) };
  return best;
}

/* The width and height, in points, of the <svg> tag @tag. */
static gboolean
svg_size (const char *tag, double *width, double *height)
{
  const char *w = strstr (tag, " width=\""), *h = strstr (tag, " height=\"");
  if (w == NULL || h == NULL)
    return FALSE;
  *width = g_ascii_strtod (w + strlen (" width=\""), NULL);
  *height = g_ascii_strtod (h + strlen (" height=\""), NULL);
  return *width > 0 && *height > 0;
}

/* One printed picture of path @k: the svg @body (after its <svg> tag,
 * ids made unique to the picture), showing @vb (x y w h in the drawing's
 * points) at @scale, captioned. */
static void
append_path_page (GString *out, const PsimpCompare *c, guint k, gboolean wide, const char *body,
                  const double vb[4], double scale, guint part, guint parts)
{
  const char *lang = c->lang;
  g_autofree char *caption
      = parts > 1 ? g_strdup_printf (psim_gettext (lang, "%s %s, part %u of %u"),
                                     k == 0 ? psim_gettext (lang, "Before:")
                                            : psim_gettext (lang, "After:"),
                                     psim_variant_get_title (c->variant[k], lang), part, parts)
                  : g_strdup_printf ("%s %s",
                                     k == 0 ? psim_gettext (lang, "Before:")
                                            : psim_gettext (lang, "After:"),
                                     psim_variant_get_title (c->variant[k], lang));
  g_string_append_printf (out, "<figure class=\"path%s\"><figcaption>", wide ? " wide" : "");
  esc (out, caption);
  char num[6][G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd (num[0], sizeof num[0], "%.1f", vb[0]);
  g_ascii_formatd (num[1], sizeof num[1], "%.1f", vb[1]);
  g_ascii_formatd (num[2], sizeof num[2], "%.1f", vb[2]);
  g_ascii_formatd (num[3], sizeof num[3], "%.1f", vb[3]);
  g_ascii_formatd (num[4], sizeof num[4], "%.1f", vb[2] * scale);
  g_ascii_formatd (num[5], sizeof num[5], "%.1f", vb[3] * scale);
  g_string_append (out, "</figcaption>\n<svg class=\"path\" role=\"img\" aria-label=\"");
  esc (out, caption);
  g_string_append_printf (out, "\" width=\"%spt\" height=\"%spt\" viewBox=\"%s %s %s %s\" "
                               "xmlns=\"http://www.w3.org/2000/svg\" "
                               "xmlns:xlink=\"http://www.w3.org/1999/xlink\">",
                          num[4], num[5], num[0], num[1], num[2], num[3]);
  if (part <= 1)
    append_titled (out, c, body);
  else
    g_string_append_printf (out, "<use href=\"#path%u-graph0\" xlink:href=\"#path%u-graph0\"/>"
                                 "</svg>",
                            k, k);
  g_string_append (out, "</figure>\n");
}

/* @svg's body (from the end of its <svg> tag) with its ids prefixed by
 * "path@k-", so that they are unique in the page. (transfer full) */
static char *
prefixed_ids (const char *body, guint k)
{
  g_autofree char *prefix = g_strdup_printf (" id=\"path%u-", k);
  GString *s = g_string_new (body + 1);
  g_string_replace (s, " id=\"", prefix, 0);
  return g_string_free (s, FALSE);
}

/* The pictures of both paths for print, then what links them: each new
 * step and the old steps it replaces. */
static gboolean
append_paths (GString *out, const PsimpCompare *c, GError **error)
{
  const char *lang = c->lang;
  g_autoptr (PsimRenderer) renderer = psim_renderer_new ();
  g_string_append (out, "<div class=\"graph-paths\">\n");
  for (guint k = 0; k < 2; k++)
    {
      PsimRenderOptions opts = { .lang = lang, .pcase = c->pcase };
      g_autoptr (GBytes) svg
          = psimp_render_variant_vertical (renderer, c->variant[k], &opts, "svg", error);
      const char *start = NULL, *end = NULL;
      g_autofree char *text = svg != NULL ? svg_text (svg, &start, &end, error) : NULL;
      if (text == NULL)
        return FALSE;
      g_autofree char *tag = g_strndup (start, end - start);
      double w = 0, h = 0;
      if (!svg_size (tag, &w, &h))
        {
          g_set_error (error, PSIM_RENDER_ERROR, PSIM_RENDER_ERROR_GRAPHVIZ,
                       "the graph has no size");
          return FALSE;
        }
      /* The svg's own end tag closes the first page's picture. */
      g_autofree char *body = prefixed_ids (end, k);
      PathPlan plan[2] = { plan_parts (path_room[0], w, h), plan_parts (path_room[1], w, h) };
      guint pages[2] = { plan[0].cols * plan[0].rows, plan[1].cols * plan[1].rows };
      gboolean wide = pages[0] != pages[1] ? pages[1] < pages[0] : plan[1].scale > plan[0].scale;
      PathPlan p = plan[wide];
      double part_w = p.cols > 1 ? w / p.cols + PATH_OVERLAP : w;
      double part_h = p.rows > 1 ? h / p.rows + PATH_OVERLAP : h;
      for (guint r = 0; r < p.rows; r++)
        for (guint col = 0; col < p.cols; col++)
          {
            /* Graphviz's viewBox is the drawing in points from 0 0, as
             * its width and height say. */
            double vb[4] = {
              MIN (MAX (col * w / p.cols - PATH_OVERLAP / 2.0, 0), w - part_w),
              MIN (MAX (r * h / p.rows - PATH_OVERLAP / 2.0, 0), h - part_h),
              part_w,
              part_h,
            };
            guint part = r * p.cols + col + 1;
            append_path_page (out, c, k, wide, body, vb, p.scale,
                              p.cols * p.rows > 1 ? part : 0, p.cols * p.rows);
          }
    }
  /* The links: what each new step replaces. */
  g_string_append (out, "<table class=\"links\">\n<caption>");
  esc (out, psim_gettext (lang, "What each new step replaces"));
  g_string_append (out, "</caption>\n<thead><tr><th scope=\"col\">");
  esc (out, psim_variant_get_title (c->variant[1], lang));
  g_string_append (out, "</th><th scope=\"col\">");
  esc (out, psim_variant_get_title (c->variant[0], lang));
  g_string_append (out, "</th></tr></thead>\n<tbody>\n");
  for (guint i = 0; i < psim_variant_get_n_nodes (c->variant[1]); i++)
    {
      const PsimNode *n = psim_variant_get_node (c->variant[1], i);
      if (psim_node_get_kind (n) != PSIM_NODE_STEP || psim_step_get_n_replaces (n) == 0)
        continue;
      g_string_append (out, "<tr><th scope=\"row\">");
      esc (out, psim_node_get_name (n, lang));
      g_string_append (out, "</th><td>");
      for (guint r = 0; r < psim_step_get_n_replaces (n); r++)
        {
          if (r > 0)
            g_string_append (out, "; ");
          esc (out, psim_node_get_name (psim_step_get_replaces (n, r), lang));
        }
      g_string_append (out, "</td></tr>\n");
    }
  g_string_append (out, "</tbody>\n</table>\n</div>\n");
  return TRUE;
}

/* "5 working days" with its basis: "[SOURCE]" or "*" (estimated). */
static void
append_basis (GString *out, PsimBasis basis, const PsimSource *source)
{
  if (basis == PSIM_BASIS_SOURCED && source != NULL)
    {
      g_string_append (out, " <span class=\"src\">[");
      esc (out, psim_source_get_id (source));
      g_string_append (out, "]</span>");
    }
  else
    g_string_append (out, "<span class=\"est\">*</span>");
}

static void
append_quantity (GString *out, const PsimpCompare *c, const char *label, const PsimQuantity *q)
{
  if (q == NULL)
    return;
  g_autofree char *txt = psim_format_quantity (q, c->lang);
  g_string_append (out, "<div>");
  if (label != NULL)
    {
      esc (out, label);
      g_string_append_c (out, ' ');
    }
  esc (out, txt);
  append_basis (out, q->basis, q->source);
  g_string_append (out, "</div>");
}

/* One row per step of variant @k's path for the case: office, channel,
 * documents, time, fee, legal basis and what it replaces. */
static void
append_steps (GString *out, const PsimpCompare *c, guint k)
{
  const char *lang = c->lang;
  const PsimPath *path = psim_measure_get_path (c->measure[k]);
  g_string_append (out, "<h3>");
  g_autofree char *h = g_strdup_printf ("%s %s", k == 0 ? psim_gettext (lang, "Before:")
                                                        : psim_gettext (lang, "After:"),
                                        psim_variant_get_title (c->variant[k], lang));
  esc (out, h);
  g_string_append_printf (out, "</h3>\n<table class=\"steps\" id=\"steps-%s\">\n<thead><tr>",
                          k == 0 ? "before" : "after");
  const char *cols[] = {
    psim_gettext (lang, "Step"), psim_gettext (lang, "Office"), psim_gettext (lang, "Channel"),
    psim_gettext (lang, "Documents"), psim_gettext (lang, "Time"), psim_gettext (lang, "Fees"),
    psim_gettext (lang, "Legal basis"), psim_gettext (lang, "Replaces"),
  };
  for (guint j = 0; j < G_N_ELEMENTS (cols) - (k == 0 ? 1 : 0); j++)
    {
      g_string_append (out, "<th scope=\"col\">");
      esc (out, cols[j]);
      g_string_append (out, "</th>");
    }
  g_string_append (out, "</tr></thead>\n<tbody>\n");
  guint order = 0;
  for (guint i = 0; i < psim_path_get_n_nodes (path); i++)
    {
      const PsimNode *n = psim_path_get_node (path, i);
      if (psim_node_get_kind (n) != PSIM_NODE_STEP)
        continue;
      g_string_append_printf (out, "<tr><th scope=\"row\">%u. ", ++order);
      esc (out, psim_node_get_name (n, lang));
      g_string_append (out, "</th><td>");
      esc (out, psim_actor_get_name (psim_step_get_actor (n), lang));
      g_string_append (out, "</td><td>");
      esc (out, psimp_channel_label (psim_step_get_channel (n), lang));
      if (psim_step_is_visit (n))
        {
          g_string_append (out, " · ");
          esc (out, psim_gettext (lang, "visit"));
        }
      g_string_append (out, "</td><td>");
      for (guint io = 0; io < 2; io++)
        if ((io == 0 ? psim_step_get_n_inputs (n) : psim_step_get_n_outputs (n)) > 0)
          {
            g_autofree char *docs = psimp_documents_text (n, io == 0, lang);
            g_string_append (out, "<div>");
            esc (out, io == 0 ? psim_gettext (lang, "Documents in:")
                              : psim_gettext (lang, "Documents out:"));
            g_string_append_c (out, ' ');
            esc (out, docs);
            g_string_append (out, "</div>");
          }
      g_string_append (out, "</td><td>");
      append_quantity (out, c, NULL, psim_step_get_duration (n));
      append_quantity (out, c, psim_gettext (lang, "Applicant's time:"), psim_step_get_effort (n));
      append_quantity (out, c, psim_gettext (lang, "Legal time limit:"), psim_step_get_time_limit (n));
      g_string_append (out, "</td><td>");
      guint n_fees = 0;
      const double *amounts = psim_path_get_fees (path, i, &n_fees);
      for (guint f = 0; f < n_fees; f++)
        {
          const PsimFee *fee = psim_step_get_fee (n, f);
          g_autofree char *amount = psim_format_amount (amounts[f], lang);
          g_autofree char *line = g_strdup_printf ("%s: %s %s (%s)", psim_fee_get_name (fee, lang),
                                                   amount, psim_fee_get_currency (fee),
                                                   psimp_fee_kind_label (psim_fee_get_kind (fee), lang));
          g_string_append (out, "<div>");
          esc (out, line);
          append_basis (out, psim_fee_get_basis (fee), psim_fee_get_source (fee));
          g_string_append (out, "</div>");
        }
      g_string_append (out, "</td><td>");
      for (guint l = 0; l < psim_step_get_n_legal (n); l++)
        {
          const char *article = NULL;
          const PsimLaw *law = psim_step_get_legal (n, l, &article);
          const char *law_title = psim_law_get_title (law, lang);
          g_autoptr (GString) line = g_string_new (NULL);
          if (law_title != NULL)
            g_string_append_printf (line, psim_pgettext (lang, "law", "%s No. %s"), law_title,
                                    psim_law_get_number (law));
          else
            g_string_append (line, psim_law_get_number (law));
          if (article != NULL)
            g_string_append_printf (line, psim_gettext (lang, ", article %s"), article);
          g_string_append (out, "<div>");
          esc (out, line->str);
          g_string_append (out, "</div>");
        }
      if (k == 1)
        {
          g_string_append (out, "</td><td>");
          for (guint r = 0; r < psim_step_get_n_replaces (n); r++)
            {
              g_string_append (out, "<div>");
              esc (out, psim_node_get_name (psim_step_get_replaces (n, r), lang));
              g_string_append (out, "</div>");
            }
        }
      g_string_append (out, "</td></tr>\n");
    }
  g_string_append (out, "</tbody>\n</table>\n");
}

/* The sources the sourced figures of both paths name, and the laws their
 * steps cite, each once. */
static void
append_sources (GString *out, const PsimpCompare *c)
{
  const char *lang = c->lang;
  g_autoptr (GPtrArray) sources = g_ptr_array_new ();
  g_autoptr (GPtrArray) laws = g_ptr_array_new ();
  for (guint k = 0; k < 2; k++)
    {
      const PsimPath *path = psim_measure_get_path (c->measure[k]);
      g_autoptr (GPtrArray) found = psimp_path_collect_sources (path);
      for (guint i = 0; i < found->len; i++)
        if (!g_ptr_array_find (sources, found->pdata[i], NULL))
          g_ptr_array_add (sources, found->pdata[i]);
      for (guint i = 0; i < psim_path_get_n_nodes (path); i++)
        {
          const PsimNode *n = psim_path_get_node (path, i);
          if (psim_node_get_kind (n) != PSIM_NODE_STEP)
            continue;
          for (guint l = 0; l < psim_step_get_n_legal (n); l++)
            {
              const PsimLaw *law = psim_step_get_legal (n, l, NULL);
              if (!g_ptr_array_find (laws, law, NULL))
                g_ptr_array_add (laws, (gpointer) law);
            }
          const PsimLaw *limit = psim_step_get_time_limit_law (n);
          if (limit != NULL && !g_ptr_array_find (laws, limit, NULL))
            g_ptr_array_add (laws, (gpointer) limit);
        }
    }
  g_string_append (out, "<section class=\"sources\">\n<h2>");
  esc (out, psim_gettext (lang, "Sources and legal basis"));
  g_string_append (out, "</h2>\n<p>");
  esc (out, psim_gettext (lang, "A figure followed by [ID] comes from the source of that id "
                                "below; a figure marked * is an estimate of the procedure file, "
                                "not from a source."));
  g_string_append (out, "</p>\n<h3>");
  esc (out, psim_gettext (lang, "Sources of the sourced figures"));
  g_string_append (out, "</h3>\n<ul>\n");
  if (sources->len == 0)
    {
      g_string_append (out, "<li>");
      esc (out, psim_gettext (lang, "none: every figure is an estimate"));
      g_string_append (out, "</li>\n");
    }
  for (guint i = 0; i < sources->len; i++)
    {
      const PsimSource *src = sources->pdata[i];
      const char *href = psim_source_get_href (src);
      g_string_append (out, "<li class=\"source\"><strong>[");
      esc (out, psim_source_get_id (src));
      g_string_append (out, "]</strong> ");
      esc (out, psim_source_get_citation (src));
      if (href != NULL)
        {
          g_string_append (out, " <span class=\"href\">");
          esc (out, href);
          g_string_append (out, "</span>");
        }
      g_string_append (out, "</li>\n");
    }
  g_string_append (out, "</ul>\n<h3>");
  esc (out, psim_gettext (lang, "Legal basis"));
  g_string_append (out, "</h3>\n<ul>\n");
  for (guint i = 0; i < laws->len; i++)
    {
      const PsimLaw *law = laws->pdata[i];
      g_string_append (out, "<li><strong>");
      esc (out, psim_law_get_number (law));
      g_string_append (out, "</strong> ");
      esc (out, psim_law_get_title (law, lang));
      g_string_append (out, "</li>\n");
    }
  g_string_append (out, "</ul>\n</section>\n");
}

/* The case's data by their labels in the report's language. */
static void
append_case (GString *out, const PsimpCompare *c)
{
  g_string_append (out, "<p class=\"case\"><strong>");
  esc (out, psim_gettext (c->lang, "Case:"));
  g_string_append (out, "</strong> ");
  g_autofree char *items = psimp_format_case_items (c->pcase, c->lang);
  esc (out, items);
  g_string_append (out, "</p>\n");
}

/* The report's date, the procedure's version and date, procsim's version. */
static void
append_meta (GString *out, const PsimpCompare *c, gint64 date)
{
  const char *lang = c->lang;
  g_string_append (out, "<p class=\"meta\">");
  if (date > 0)
    {
      g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (date);
      g_autofree char *day = t != NULL ? g_date_time_format (t, "%Y-%m-%d") : NULL;
      if (day != NULL)
        {
          g_autofree char *line = g_strdup_printf (psim_gettext (lang, "Report of %s"), day);
          esc (out, line);
          g_string_append (out, " · ");
        }
    }
  const char *version = psim_procedure_get_version (c->proc);
  const char *pdate = psim_procedure_get_date (c->proc);
  g_autofree char *data = g_strdup_printf (psim_gettext (lang, "procedure %s, version %s of %s"),
                                           psim_procedure_get_id (c->proc),
                                           version != NULL ? version : "—",
                                           pdate != NULL ? pdate : "—");
  esc (out, data);
  g_string_append (out, " · ");
  g_autofree char *made = g_strdup_printf (psim_gettext (lang, "procsim %s"), psim_version ());
  esc (out, made);
  g_string_append (out, "</p>\n");
}

static void
append_table (GString *out, const PsimpCompare *c, const PsimMetric *rows, guint n_rows)
{
  g_string_append (out, "<table class=\"figures\">\n<thead><tr><td></td>");
  for (guint k = 0; k < 2; k++)
    {
      g_string_append (out, "<th scope=\"col\">");
      esc (out, psimp_compare_side_name (c, k));
      g_string_append (out, "<br/><span class=\"variant\">");
      esc (out, psim_variant_get_title (c->variant[k], c->lang));
      g_string_append (out, "</span></th>");
    }
  g_string_append (out, "<th scope=\"col\">");
  esc (out, psim_gettext (c->lang, "change"));
  g_string_append (out, "</th><th scope=\"col\">%</th></tr></thead>\n<tbody>\n");
  for (guint i = 0; i < n_rows; i++)
    {
      PsimMetric m = rows[i];
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
          g_autofree char *v = psimp_compare_format (c, m, psimp_compare_value (c, k, m));
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

/* Each variant's legal time limits, met or not, with the margin. */
static void
append_limits (GString *out, const PsimpCompare *c)
{
  if (psimp_compare_n_limits (c, 0) + psimp_compare_n_limits (c, 1) == 0)
    return;
  g_string_append (out, "<section class=\"limits\">\n<h2>");
  esc (out, psim_gettext (c->lang, "Legal time limits"));
  g_string_append (out, "</h2>\n");
  for (guint k = 0; k < 2; k++)
    {
      guint n = psimp_compare_n_limits (c, k);
      if (n == 0)
        continue;
      g_autofree char *heading = psimp_compare_limits_heading (c, k);
      g_string_append (out, "<h3>");
      esc (out, heading);
      g_string_append (out, "</h3>\n<ul>\n");
      const PsimPath *path = psim_measure_get_path (c->measure[k]);
      for (guint i = 0; i < n; i++)
        {
          const PsimLimitCheck *lc = psim_path_get_limit (path, i);
          g_autofree char *line = psimp_compare_limit_line (c, k, i);
          g_string_append_printf (out, "<li class=\"%s\">",
                                  !lc->applies ? "limit-na" : lc->met ? "limit-met" : "limit-over");
          esc (out, line);
          g_string_append (out, "</li>\n");
        }
      g_string_append (out, "</ul>\n");
    }
  g_string_append (out, "</section>\n");
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
                               "<meta charset=\"utf-8\"/>\n"
                               "<meta name=\"viewport\" content=\"width=device-width\"/>\n<title>",
                          c->lang);
  esc (out, title);
  g_string_append_printf (out, "</title>\n<style>%s%s</style>\n</head>\n<body>\n<header>\n<h1>",
                          psimp_html_style, psimp_html_compare_style);
  esc (out, title);
  g_string_append (out, "</h1>\n");
  append_meta (out, c, options != NULL ? options->date : 0);
  g_string_append (out, "<p>");
  for (guint k = 0; k < 2; k++)
    {
      g_string_append (out, k == 0 ? "<strong>" : "<br/><strong>");
      esc (out, k == 0 ? psim_gettext (c->lang, "Before:") : psim_gettext (c->lang, "After:"));
      g_string_append (out, "</strong> ");
      esc (out, psim_variant_get_title (c->variant[k], c->lang));
    }
  g_string_append (out, "</p>\n");
  append_case (out, c);
  g_autofree char *params = psimp_compare_params_line (c);
  g_string_append (out, "<p>");
  esc (out, params);
  g_string_append (out, "</p>\n</header>\n<main>\n<h2>");
  esc (out, psim_gettext (c->lang, "Does the reform halve time and cost?"));
  g_string_append (out, "</h2>\n<ul class=\"claims\">\n");
  for (guint i = 0; i < psim_comparison_get_n_verdicts (cmp); i++)
    {
      g_autofree char *verdict = psimp_compare_verdict_text (c, i);
      g_string_append (out, "<li>");
      esc (out, verdict);
      g_string_append (out, "</li>\n");
    }
  g_string_append (out, "</ul>\n");
  append_limits (out, c);
  g_string_append (out, "<h2>");
  esc (out, psim_gettext (c->lang, "Figure by figure"));
  g_string_append (out, "</h2>\n");
  append_table (out, c, psimp_compare_rows, psimp_compare_n_rows);
  g_string_append (out, "<h2>");
  esc (out, psimp_compare_expected_heading (c));
  g_string_append (out, "</h2>\n<p>");
  g_autofree char *note = psimp_compare_expected_note (c);
  esc (out, note);
  g_string_append (out, "</p>\n");
  PsimpCompare ev = psimp_compare_expected (c);
  append_table (out, &ev, psimp_compare_expected_rows, psimp_compare_n_expected_rows);
  g_string_append (out, "<section class=\"charts\">\n<h2>");
  esc (out, psim_gettext (c->lang, "Charts"));
  g_string_append (out, "</h2>\n");
  double label = chart_label_width (c);
  for (guint i = 0; i < G_N_ELEMENTS (chart_rows); i++)
    append_chart (out, c, chart_rows[i], label);
  g_string_append (out, "</section>\n<section class=\"graph\">\n<h2>");
  esc (out, psim_gettext (c->lang, "The two paths side by side"));
  g_string_append (out, "</h2>\n<p class=\"screen-only\">");
  esc (out, psim_gettext (c->lang, "At its natural size: scroll the picture to see all of it."));
  g_string_append (out, "</p>\n");
  if (!append_graph (out, c, error) || !append_paths (out, c, error))
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  g_string_append (out, "</section>\n<section class=\"steps\">\n<h2>");
  esc (out, psim_gettext (c->lang, "Step by step"));
  g_string_append (out, "</h2>\n");
  for (guint k = 0; k < 2; k++)
    append_steps (out, c, k);
  g_string_append (out, "</section>\n");
  for (guint k = 0; c->explain && k < 2; k++)
    append_explain (out, c, k);
  append_sources (out, c);
  g_autofree char *base = g_path_get_basename (psim_procedure_get_file (c->proc));
  g_autofree char *footer = g_strdup_printf (
      psim_gettext (c->lang,
                    "Made by procsim %s from %s. Doing Business days: each procedure at "
                    "least one day, half a day if fully online; parallel work counts once. "
                    "Figures the procedure file marks as estimated are not from a source."),
      psim_version (), base);
  g_string_append (out, "</main>\n<footer><p>");
  esc (out, footer);
  g_string_append (out, "</p></footer>\n</body>\n</html>\n");
  return g_string_free (out, FALSE);
}
