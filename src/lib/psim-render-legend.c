/* psim-render-legend.c — the legend of a picture: a cluster listing every
 * mark the picture uses (channels, gateways, the numbered path, ghosts,
 * wrong turns, "replaces" links) and only those, each drawn as the
 * picture draws it, with its meaning in the render's language. Which
 * marks are used is collected in Build.used while the graph is built.
 */
#include "psim-render-private.h"

/* One legend row: a node in the legend's chain (after @prev). */
static Agnode_t *
legend_node (Build *b, Agraph_t *legend, Agnode_t **prev, const char *name, const char *label)
{
  Agnode_t *n = agnode (legend, (char *) name, 1);
  psimp_render_set (n, "label", label);
  if (*prev != NULL)
    psimp_render_set (agedge (b->g, *prev, n, NULL, 1), "style", "invis");
  *prev = n;
  return n;
}

/* A legend row for a kind of link: a short sample of it into its text. */
static void
legend_link (Build *b, Agraph_t *legend, Agnode_t **prev, const char *name, const char *text,
             LateKind kind)
{
  g_autofree char *from_name = g_strconcat (name, "_from", NULL);
  Agnode_t *from = legend_node (b, legend, prev, from_name, "");
  psimp_render_set (from, "shape", "point");
  psimp_render_set (from, "width", "0.06");
  psimp_render_set (from, "color", "#adb5bd");
  g_autoptr (GString) wrapped = g_string_new (NULL);
  psimp_render_append_wrapped (wrapped, text, PSIMP_RENDER_WRAP);
  Agnode_t *to = agnode (legend, (char *) name, 1);
  psimp_render_set (to, "label", wrapped->str);
  psimp_render_set (to, "shape", "plaintext");
  *prev = to;
  Agedge_t *e = agedge (b->g, from, to, NULL, 1);
  psimp_render_style_late (b, e, kind);
  psimp_render_set (e, "label", "");
  psimp_render_set (e, "constraint", "true");
}

/* The legend: every mark the picture uses, and only those. */
void
psimp_render_add_legend (Build *b)
{
  if (b->used == 0)
    return;
  Agraph_t *legend = agsubg (b->g, (char *) "cluster_legend", 1);
  psimp_render_set (legend, "label", psim_gettext (b->lang, "Legend"));
  psimp_render_set (legend, "style", "rounded");
  psimp_render_set (legend, "color", "#ced4da");
  psimp_render_set (legend, "fontsize", "12");
  static const struct {
    Mark mark;
    const char *name;
    PsimChannel channel;
  } channels[] = {
    { MARK_VISIT, "legend_visit", PSIM_CHANNEL_IN_PERSON },
    { MARK_IN_PERSON, "legend_in_person", PSIM_CHANNEL_IN_PERSON },
    { MARK_ONLINE, "legend_online", PSIM_CHANNEL_ONLINE },
    { MARK_POST, "legend_post", PSIM_CHANNEL_POST },
    { MARK_INTER_AGENCY, "legend_inter_agency", PSIM_CHANNEL_INTER_AGENCY },
  };
  Agnode_t *prev = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (channels); i++)
    {
      if ((b->used & channels[i].mark) == 0)
        continue;
      gboolean visit = channels[i].mark == MARK_VISIT;
      g_autofree char *text
          = visit ? g_strdup_printf ("%s\\n(%s)", psim_gettext (b->lang, "visit in person"),
                                     psim_gettext (b->lang, "heavy border"))
                  : g_strdup (psimp_render_channel_text (channels[i].channel, b->lang));
      Agnode_t *n = legend_node (b, legend, &prev, channels[i].name, text);
      psimp_render_set (n, "shape", "box");
      psimp_render_set (n, "style", channels[i].channel == PSIM_CHANNEL_INTER_AGENCY ? "rounded,filled,dashed"
                                                                         : "rounded,filled");
      psimp_render_set (n, "fillcolor", psimp_render_channel_colour (channels[i].channel));
      psimp_render_set (n, "penwidth", visit ? "3" : "1");
    }
  static const struct {
    Mark mark;
    const char *name, *label, *fill, *text;
  } gateways[] = {
    { MARK_CHOICE, "legend_choice", "×", "#fff3bf", PSIM_N_ ("choice") },
    { MARK_PARALLEL, "legend_parallel", "+", "#e9ecef", PSIM_N_ ("parallel") },
  };
  for (guint i = 0; i < G_N_ELEMENTS (gateways); i++)
    {
      if ((b->used & gateways[i].mark) == 0)
        continue;
      Agnode_t *n = legend_node (b, legend, &prev, gateways[i].name, gateways[i].label);
      psimp_render_set (n, "shape", "diamond");
      psimp_render_set (n, "style", "filled");
      psimp_render_set (n, "fillcolor", gateways[i].fill);
      psimp_render_set (n, "xlabel", psim_gettext (b->lang, gateways[i].text));
    }
  /* The path's marks: boxes drawn as the path draws them. */
  static const struct {
    Mark mark;
    const char *name, *text, *style, *fill, *colour;
  } path_rows[] = {
    { MARK_PATH, "legend_path", PSIM_N_ ("(1) the steps taken, numbered in order"), "rounded",
      "white", PSIMP_COLOUR_PATH },
    { MARK_GHOST, "legend_ghost", PSIM_N_ ("a step of another path, taken by mistake"),
      "rounded,filled,dashed", "#f8f9fa", PSIMP_COLOUR_WRONG },
  };
  for (guint i = 0; i < G_N_ELEMENTS (path_rows); i++)
    {
      if ((b->used & path_rows[i].mark) == 0)
        continue;
      g_autoptr (GString) text = g_string_new (NULL);
      psimp_render_append_wrapped (text, psim_gettext (b->lang, path_rows[i].text), PSIMP_RENDER_WRAP);
      Agnode_t *n = legend_node (b, legend, &prev, path_rows[i].name, text->str);
      psimp_render_set (n, "shape", "box");
      psimp_render_set (n, "style", path_rows[i].style);
      psimp_render_set (n, "fillcolor", path_rows[i].fill);
      psimp_render_set (n, "color", path_rows[i].colour);
      psimp_render_set (n, "penwidth", "4");
    }
  /* The links: a sample of each. */
  static const struct {
    Mark mark;
    const char *name, *text;
    LateKind kind;
  } links[] = {
    { MARK_WRONG, "legend_wrong", PSIM_N_ ("wrong turn: no flow of the model leads there"),
      LATE_WRONG },
    { MARK_REPLACES, "legend_replaces",
      PSIM_N_ ("dotted: a new step and an old step it replaces"), LATE_REPLACES },
  };
  for (guint i = 0; i < G_N_ELEMENTS (links); i++)
    if (b->used & links[i].mark)
      legend_link (b, legend, &prev, links[i].name, psim_gettext (b->lang, links[i].text),
                   links[i].kind);
}
