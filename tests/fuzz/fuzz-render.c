/* fuzz-render.c — libFuzzer target for the renderer: what an untrusted
 * procedure file reaches once it loads, drawn as `procsim render` and
 * the server draw it.
 *
 * Each input is loaded as a procedure; when it loads, every variant is
 * drawn as DOT (the graph procsim builds, no layout) with details, in
 * both languages, with a highlight made of the input's own ids; the
 * first two variants side by side; and, when the
 * variant is small enough for the layout to stay well inside libFuzzer's
 * time limit, laid out by Graphviz as SVG. A graph over the limits of
 * psim-render.h is refused before the layout (PSIM_RENDER_ERROR_TOO_LARGE),
 * which is a contract too: SVG is asked for whatever the size when the
 * graph is over the node limit, since that must not reach Graphviz.
 *
 * Contracts checked (abort = finding): a render returns bytes if and only
 * if it sets no error, and the error is a PSIM_RENDER_ERROR; DOT output is
 * a digraph, the same bytes when drawn twice; SVG output is an SVG
 * document; the library prints nothing (libxml2's global handlers, see
 * fuzz-common.h).
 *
 * Graphviz 2.42 loses memory on every layout (tests/lsan.supp lists it,
 * each entry explained): the test runs with those suppressions, so that a
 * leak of procsim's own is still a finding.
 *
 * Built only with clang and -Dfuzzing=true (tests/fuzz/meson.build); see
 * docs/fuzzing.md.
 */
#define FUZZ_NAME "fuzz-render"
#include "fuzz-common.h"
#include <string.h>

/* Steps in a variant drawn as SVG: layouts of this size take well under a
 * second under the sanitizers; larger ones are drawn as DOT only (the
 * graph procsim builds is the part that is ours). */
#define MAX_LAID_OUT_STEPS 40

/* One renderer for the process, as the server keeps (never freed: the
 * fuzzer process's life; LeakSanitizer sees it as reachable). */
static PsimRenderer *renderer;

static GBytes *
draw (const PsimVariant *a, const PsimVariant *b, const PsimRenderOptions *opts,
      const char *format, GError **error)
{
  return b != NULL ? psim_renderer_render_compare (renderer, a, b, opts, format, error)
                   : psim_renderer_render_variant (renderer, a, opts, format, error);
}

static gboolean
holds (GBytes *bytes, const char *text)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);
  return size > 0 && g_strstr_len (data, (gssize) size, text) != NULL;
}

static void
render (const PsimVariant *a, const PsimVariant *b, const PsimRenderOptions *opts)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) dot = draw (a, b, opts, "dot", &error);
  EXPECT ((dot != NULL) == (error == NULL));
  if (dot == NULL)
    {
      EXPECT (error->domain == PSIM_RENDER_ERROR);
      return;
    }
  EXPECT (holds (dot, "digraph"));
  g_autoptr (GBytes) again = draw (a, b, opts, "dot", NULL);
  EXPECT (again != NULL && g_bytes_equal (dot, again));

  guint steps = psim_variant_get_n_nodes (a) + (b != NULL ? psim_variant_get_n_nodes (b) : 0);
  if (steps > MAX_LAID_OUT_STEPS && steps <= PSIM_RENDER_MAX_NODES)
    return;
  g_autoptr (GError) svg_error = NULL;
  g_autoptr (GBytes) svg = draw (a, b, opts, "svg", &svg_error);
  EXPECT ((svg != NULL) == (svg_error == NULL));
  if (svg == NULL)
    {
      EXPECT (svg_error->domain == PSIM_RENDER_ERROR);
      return;
    }
  EXPECT (steps <= PSIM_RENDER_MAX_NODES);
  EXPECT (holds (svg, "<svg"));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (renderer == NULL)
    renderer = psim_renderer_new ();
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  g_autoptr (PsimProcedure) proc =
    psim_loader_load_memory (loader, (const char *) data, size, "fuzz.xml", diags, NULL);
  if (proc == NULL)
    return 0;
  guint n = psim_procedure_get_n_variants (proc);
  /* A highlight from the file's own ids (the first variant's nodes, in
   * order): taken as right and wrong turns, or refused when one is not a
   * step. */
  const PsimVariant *first = psim_procedure_get_variant (proc, 0);
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();
  for (guint i = 0; i < psim_variant_get_n_nodes (first) && ids->len < 8; i++)
    g_ptr_array_add (ids, (gpointer) psim_node_get_id (psim_variant_get_node (first, i)));
  g_ptr_array_add (ids, NULL);
  g_autoptr (PsimCase) pcase = psim_case_new (proc);
  static const char *const langs[] = { "vi", "en" };
  for (guint l = 0; l < G_N_ELEMENTS (langs); l++)
    {
      PsimRenderOptions plain = { .lang = langs[l] };
      PsimRenderOptions detailed = { .lang = langs[l], .pcase = pcase, .details = TRUE,
                                     .highlight = (const char *const *) ids->pdata };
      for (guint v = 0; v < n; v++)
        {
          render (psim_procedure_get_variant (proc, v), NULL, &plain);
          render (psim_procedure_get_variant (proc, v), NULL, &detailed);
        }
      if (n >= 2)
        render (psim_procedure_get_variant (proc, 0), psim_procedure_get_variant (proc, 1),
                &detailed);
    }
  return 0;
}
