/* psim-render.c — variants as Graphviz graphs: the renderer, the view of
 * one variant and the side-by-side view of two. With the other
 * psim-render*.c files (see psim-render-private.h) and the BPMN export's
 * layout, the only files that include cgraph.h and gvc.h.
 *
 * A graph is built from the model with cgraph (one cluster per actor, the
 * lanes), laid out with the dot engine and rendered with gvRenderData, all
 * in this process. "dot" output is the graph as built, before layout,
 * written by agwrite: what `dot -Tsvg` would take to draw the same picture.
 * Graphviz reports through a process-wide channel; the renderer silences
 * it (agseterr) and reports failures from return codes instead.
 */
#include "psim-render-private.h"

#include <string.h>

#include "procsim/psim-path.h"

G_DEFINE_QUARK (psim-render-error-quark, psim_render_error)

static Agraph_t *
new_graph (Build *b, const char *name, const char *rankdir)
{
  b->disc = psimp_graph_disc_new (TRUE);
  Agraph_t *g = agopen ((char *) name, Agdirected, psimp_graph_disc_get (b->disc));
  b->g = g;
  agattr (g, AGRAPH, (char *) "rankdir", (char *) rankdir);
  agattr (g, AGRAPH, (char *) "fontname", (char *) PSIMP_RENDER_FONT);
  agattr (g, AGRAPH, (char *) "nodesep", (char *) "0.3");
  agattr (g, AGRAPH, (char *) "ranksep", (char *) "0.35");
  agattr (g, AGRAPH, (char *) "newrank", (char *) "true");
  agattr (g, AGRAPH, (char *) "bgcolor", (char *) "white");
  agattr (g, AGNODE, (char *) "fontname", (char *) PSIMP_RENDER_FONT);
  agattr (g, AGNODE, (char *) "fontsize", (char *) "11");
  agattr (g, AGNODE, (char *) "margin", (char *) "0.12,0.06");
  agattr (g, AGEDGE, (char *) "fontname", (char *) PSIMP_RENDER_FONT);
  agattr (g, AGEDGE, (char *) "fontsize", (char *) "9");
  agattr (g, AGEDGE, (char *) "color", (char *) "#495057");
  agattr (g, AGEDGE, (char *) "arrowsize", (char *) "0.7");
  return g;
}

/* ---- formats ------------------------------------------------------------- */

const char *const *
psim_render_formats (void)
{
  static const char *const formats[] = { "dot", "svg", "png", "pdf", NULL };
  return formats;
}

static gboolean
known_format (const char *format, const char *lang, GError **error)
{
  for (const char *const *f = psim_render_formats (); *f != NULL; f++)
    if (strcmp (*f, format) == 0)
      return TRUE;
  g_set_error (error, PSIM_RENDER_ERROR, PSIM_RENDER_ERROR_FORMAT,
               psim_gettext (lang, "unknown output format '%s' (use dot, svg, png or pdf)"),
               format);
  return FALSE;
}

/* The one Graphviz context of the process. Graphviz 2.42's pango plugin
 * remembers the last font it measured through a pointer into the context
 * that measured it, so a context freed and another created reads freed
 * memory (valgrind shows it on the second render). Sharing one context
 * for the life of the process is the only process-wide state of the
 * library: Graphviz's own, made once, thread-safely. */
static GVC_t *
shared_context (void)
{
  /* Graphviz keeps state of its own between calls (cgraph's and the
   * plugins'), so renders in several threads take turns: see
   * psim_renderer_render_variant (). */
  static gsize once = 0;
  static GVC_t *gvc;
  if (g_once_init_enter (&once))
    {
      /* Graphviz prints its warnings and errors itself, process-wide; the
       * library reports through GError instead. */
      agseterr (AGMAX);
      gvc = gvContext ();
      g_once_init_leave (&once, 1);
    }
  return gvc;
}

void *
psimp_render_shared_gvc (void)
{
  return shared_context ();
}

PsimRenderer *
psim_renderer_new (void)
{
  PsimRenderer *r = g_new0 (PsimRenderer, 1);
  r->gvc = shared_context ();
  return r;
}

void
psim_renderer_free (PsimRenderer *r)
{
  g_free (r);
}

static void
build_init (Build *b, PsimRenderer *r, const PsimRenderOptions *opts)
{
  static const PsimRenderOptions defaults = { 0 };
  b->renderer = r;
  b->opts = opts != NULL ? opts : &defaults;
  b->lang = psim_lang_normalize (b->opts->lang);
  b->nodes = g_hash_table_new (NULL, NULL);
  b->order = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  b->late = g_array_new (FALSE, FALSE, sizeof (Late));
}

static void
build_clear (Build *b)
{
  g_hash_table_unref (b->nodes);
  g_hash_table_unref (b->order);
  g_array_unref (b->late);
  if (b->g != NULL)
    agclose (b->g);
  psimp_graph_disc_free (b->disc);
}

/* The case to compute with: the caller's, or the defaults. */
static PsimCase *
case_for (const PsimRenderOptions *opts, const PsimVariant *v, PsimCase **owned)
{
  if (opts != NULL && opts->pcase != NULL)
    return opts->pcase;
  *owned = psim_case_new ((PsimProcedure *) psim_variant_get_procedure (v));
  psim_case_set_language (*owned, opts != NULL ? opts->lang : NULL);
  return *owned;
}

/* @variant alone, left to right, or top to bottom when @vertical. */
static GBytes *
render_variant (PsimRenderer *r, const PsimVariant *variant, const PsimRenderOptions *opts,
                gboolean vertical, const char *format, GError **error)
{
  g_return_val_if_fail (r != NULL && variant != NULL && format != NULL, NULL);
  if (!known_format (format, psim_lang_normalize (opts != NULL ? opts->lang : NULL), error))
    return NULL;
  Build b = { 0 };
  build_init (&b, r, opts);
  g_autoptr (PsimCase) owned = NULL;
  PsimCase *pcase = case_for (opts, variant, &owned);
  g_autoptr (GPtrArray) steps = g_ptr_array_new ();
  g_autoptr (GPtrArray) wrong = g_ptr_array_new ();
  GBytes *out = NULL;

  if (psimp_render_resolve_highlight (&b, variant, NULL, steps, wrong, error))
    {
      b.rankdir_lr = !vertical;
      Agraph_t *g = new_graph (&b, psim_variant_get_id (variant), vertical ? "TB" : "LR");
      g_autoptr (GString) title = g_string_new (NULL);
      psimp_render_append_escaped (title, psim_procedure_get_title (psim_variant_get_procedure (variant), b.lang));
      g_string_append (title, "\\n");
      psimp_render_append_escaped (title, psim_variant_get_title (variant, b.lang));
      psimp_render_set (g, "label", title->str);
      psimp_render_set (g, "labelloc", "t");
      psimp_render_set (g, "fontsize", "16");
      psimp_render_add_variant (&b, g, variant, "", pcase);
      psimp_render_draw_highlight (&b, steps, wrong);
      psimp_render_add_legend (&b);
      out = psimp_render_output (&b, format, error);
    }
  build_clear (&b);
  return out;
}

/* "Paper path: 10 steps · 8 visits · 20 working days · 82,324,000 VND" */
static gboolean
append_headline (Build *b, GString *caption, const PsimVariant *v, PsimCase *pcase,
                 GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (PsimPath) path = psim_path_new (v, pcase, &local);
  if (path == NULL)
    {
      g_set_error (error, PSIM_RENDER_ERROR, PSIM_RENDER_ERROR_CASE, "%s", local->message);
      return FALSE;
    }
  const PsimTotals *t = psim_path_get_totals (path);
  g_autofree char *fees = psim_format_amount (t->fees_total, b->lang);
  g_autofree char *wd = psim_format_decimal (t->elapsed.working_days, b->lang);
  psimp_render_append_escaped (caption, psim_variant_get_title (v, b->lang));
  g_string_append_printf (caption, ": ");
  g_string_append_printf (caption, psim_ngettext (b->lang, "%u step", "%u steps", t->steps),
                          t->steps);
  g_string_append (caption, " · ");
  g_string_append_printf (
      caption, psim_ngettext (b->lang, "%u interaction", "%u interactions", t->interactions),
      t->interactions);
  g_string_append (caption, " · ");
  g_string_append_printf (caption, psim_ngettext (b->lang, "%u visit", "%u visits", t->visits),
                          t->visits);
  g_string_append_printf (caption, " · %s %s · %s VND", wd, psim_gettext (b->lang, "working days"),
                          fees);
  return TRUE;
}

static GBytes *
render_compare (PsimRenderer *r, const PsimVariant *before, const PsimVariant *after,
                const PsimRenderOptions *opts, const char *format, GError **error)
{
  g_return_val_if_fail (r != NULL && before != NULL && after != NULL && format != NULL, NULL);
  g_return_val_if_fail (psim_variant_get_procedure (before) == psim_variant_get_procedure (after),
                        NULL);
  if (!known_format (format, psim_lang_normalize (opts != NULL ? opts->lang : NULL), error))
    return NULL;
  Build b = { 0 };
  build_init (&b, r, opts);
  g_autoptr (PsimCase) owned = NULL;
  PsimCase *pcase = case_for (opts, after, &owned);
  g_autoptr (GPtrArray) steps = g_ptr_array_new ();
  g_autoptr (GPtrArray) wrong = g_ptr_array_new ();
  g_autoptr (GString) caption = g_string_new (NULL);
  GBytes *out = NULL;
  const PsimProcedure *proc = psim_variant_get_procedure (after);

  psimp_render_append_escaped (caption, psim_procedure_get_title (proc, b.lang));
  g_string_append (caption, "\\n");
  if (psimp_render_resolve_highlight (&b, after, before, steps, wrong, error)
      && append_headline (&b, caption, before, pcase, error))
    {
      g_string_append (caption, "\\n");
      if (append_headline (&b, caption, after, pcase, error))
        {
          Agraph_t *g = new_graph (&b, "compare", "TB");
          psimp_render_set (g, "label", caption->str);
          psimp_render_set (g, "labelloc", "t");
          psimp_render_set (g, "fontsize", "15");
          const PsimVariant *sides[] = { before, after };
          for (guint i = 0; i < 2; i++)
            {
              const char *id = psim_variant_get_id (sides[i]);
              g_autofree char *cname = g_strdup_printf ("cluster_variant_%s", id);
              g_autofree char *prefix = g_strdup_printf ("%s:", id);
              Agraph_t *side = agsubg (g, cname, 1);
              g_autoptr (GString) title = g_string_new (NULL);
              psimp_render_append_escaped (title, psim_variant_get_title (sides[i], b.lang));
              psimp_render_set (side, "label", title->str);
              psimp_render_set (side, "fontsize", "15");
              psimp_render_set (side, "style", "rounded");
              psimp_render_set (side, "color", i == 0 ? "#adb5bd" : "#1864ab");
              psimp_render_set (side, "penwidth", "2");
              psimp_render_add_variant (&b, side, sides[i], prefix, pcase);
            }
          /* What each reformed step replaces: dotted, routed after the
           * layout so that the two sides keep their own flow. */
          for (guint i = 0; i < psim_variant_get_n_nodes (after); i++)
            {
              const PsimNode *n = psim_variant_get_node (after, i);
              for (guint k = 0; k < psim_step_get_n_replaces (n); k++)
                {
                  const PsimNode *old = psim_step_get_replaces (n, k);
                  if (psim_node_get_variant (old) != before)
                    continue;
                  psimp_render_add_late (&b, g_hash_table_lookup (b.nodes, n),
                            g_hash_table_lookup (b.nodes, old), LATE_REPLACES);
                }
            }
          psimp_render_draw_highlight (&b, steps, wrong);
          psimp_render_add_legend (&b);
          out = psimp_render_output (&b, format, error);
        }
    }
  build_clear (&b);
  return out;
}

/* Graphviz is not thread-safe: one render at a time in the process, so that
 * a server can render for several users from several threads. */
G_LOCK_DEFINE_STATIC (graphviz);

GBytes *
psim_renderer_render_variant (PsimRenderer *r, const PsimVariant *variant,
                              const PsimRenderOptions *opts, const char *format, GError **error)
{
  G_LOCK (graphviz);
  GBytes *out = render_variant (r, variant, opts, FALSE, format, error);
  G_UNLOCK (graphviz);
  return out;
}

GBytes *
psimp_render_variant_vertical (PsimRenderer *r, const PsimVariant *variant,
                               const PsimRenderOptions *opts, const char *format, GError **error)
{
  G_LOCK (graphviz);
  GBytes *out = render_variant (r, variant, opts, TRUE, format, error);
  G_UNLOCK (graphviz);
  return out;
}

GBytes *
psim_renderer_render_compare (PsimRenderer *r, const PsimVariant *before, const PsimVariant *after,
                              const PsimRenderOptions *opts, const char *format, GError **error)
{
  G_LOCK (graphviz);
  GBytes *out = render_compare (r, before, after, opts, format, error);
  G_UNLOCK (graphviz);
  return out;
}
