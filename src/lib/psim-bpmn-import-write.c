/* psim-bpmn-import-write.c — the import's graphs written as a procedure
 * file.
 *
 * One line written, one BPMN line remembered (Out.lines), so that the
 * loader's findings on the written file can be moved back onto the BPMN
 * file. Elements of PSIM_BPMN_NS are copied as they are, but for the
 * nodes a variant's limits name, renamed as the import named them: a file
 * exported by procsim comes back whole.
 */
#include "psim-bpmn-import-private.h"

#include <math.h>
#include <string.h>

/* ---- writing the procedure file ------------------------------------------------ */


static void
out_newline (Out *o)
{
  g_string_append_c (o->s, '\n');
  g_array_append_val (o->lines, o->bpmn_line);
}

static void G_GNUC_PRINTF (3, 4)
out_line (Out *o, guint bpmn_line, const char *format, ...)
{
  o->bpmn_line = bpmn_line;
  va_list ap;
  va_start (ap, format);
  g_string_append_vprintf (o->s, format, ap);
  va_end (ap);
  out_newline (o);
}

static void
out_text (Out *o, guint line, const char *elem, const char *text)
{
  g_autofree char *esc = g_markup_escape_text (text, -1);
  out_line (o, line, "<%s xml:lang=\"und\">%s</%s>", elem, esc, elem);
}

/* The attributes by which a variant's limits name its nodes. */
static const char *const node_refs[] = { "from", "by", "step", NULL };

/* Copies a procsim element (of PSIM_BPMN_NS) and its children as the
 * procedure format's own. Text is collapsed on one line, so that the lines
 * of the copy map back one for one. With @nodes (procsim id as exported →
 * id as written here), the node references are renamed as the import
 * named the nodes. */
static void
copy_psim (Out *o, const xmlNode *x, int depth, GHashTable *nodes)
{
  o->bpmn_line = psimp_bpmn_line_of (x);
  g_string_append_printf (o->s, "<%s", (const char *) x->name);
  for (xmlAttr *a = x->properties; a != NULL; a = a->next)
    {
      gboolean xml_attr = a->ns != NULL && g_strcmp0 ((const char *) a->ns->prefix, "xml") == 0;
      if (a->ns != NULL && !xml_attr)
        continue;
      xmlChar *v = xmlNodeListGetString (x->doc, a->children, 1);
      const char *value = v != NULL ? (const char *) v : "";
      const char *renamed = NULL;
      if (nodes != NULL && !xml_attr && g_strv_contains (node_refs, (const char *) a->name))
        renamed = g_hash_table_lookup (nodes, value);
      g_autofree char *esc = g_markup_escape_text (renamed != NULL ? renamed : value, -1);
      xmlFree (v);
      g_string_append_printf (o->s, " %s%s=\"%s\"", xml_attr ? "xml:" : "", (const char *) a->name, esc);
    }
  gboolean elements = FALSE;
  for (xmlNode *c = x->children; c != NULL; c = c->next)
    elements |= psimp_bpmn_is_psim (c, NULL);
  if (!elements)
    {
      g_autofree char *t = psimp_bpmn_text_of (x);
      if (t == NULL)
        g_string_append (o->s, "/>");
      else
        {
          g_autofree char *esc = g_markup_escape_text (t, -1);
          g_string_append_printf (o->s, ">%s</%s>", esc, (const char *) x->name);
        }
      out_newline (o);
      return;
    }
  g_string_append_c (o->s, '>');
  out_newline (o);
  for (xmlNode *c = x->children; c != NULL; c = c->next)
    if (psimp_bpmn_is_psim (c, NULL) && depth < 16)
      copy_psim (o, c, depth + 1, nodes);
  out_line (o, psimp_bpmn_line_of (x), "</%s>", (const char *) x->name);
}

static void
copy_psim_children_renamed (Out *o, const xmlNode *x, const char *const *names, GHashTable *nodes)
{
  for (xmlNode *c = x != NULL ? x->children : NULL; c != NULL; c = c->next)
    if (psimp_bpmn_is_psim (c, NULL) && (names == NULL || g_strv_contains (names, (const char *) c->name)))
      copy_psim (o, c, 0, nodes);
}

static void
copy_psim_children (Out *o, const xmlNode *x, const char *const *names)
{
  copy_psim_children_renamed (o, x, names, NULL);
}

static gboolean
has_psim_child (const xmlNode *x, const char *name)
{
  for (xmlNode *c = x != NULL ? x->children : NULL; c != NULL; c = c->next)
    if (psimp_bpmn_is_psim (c, name))
      return TRUE;
  return FALSE;
}


static const char *
node_label (const Node *n)
{
  return n->name != NULL ? n->name : n->bpmn_id != NULL ? n->bpmn_id : n->id;
}

static void
write_step (Import *im, Out *o, Node *n)
{
  xmlNode *ext = n->ext != NULL && psimp_bpmn_is_psim (n->ext, "step") ? n->ext : NULL;
  g_autoptr (GString) a = g_string_new (NULL);
  g_autofree char *actor = ext != NULL ? psimp_bpmn_get (ext, "actor") : NULL;
  g_autofree char *channel = ext != NULL ? psimp_bpmn_get (ext, "channel") : NULL;
  g_string_append_printf (a, "<step id=\"%s\" actor=\"%s\" channel=\"%s\"", n->id,
                          actor != NULL ? actor : n->actor, channel != NULL ? channel : n->channel);
  static const char *const attrs[] = { "with", "interaction", "visit", "dossier", "replaces", NULL };
  for (guint i = 0; ext != NULL && attrs[i] != NULL; i++)
    {
      g_autofree char *v = psimp_bpmn_get (ext, attrs[i]);
      if (v != NULL)
        {
          g_autofree char *esc = g_markup_escape_text (v, -1);
          g_string_append_printf (a, " %s=\"%s\"", attrs[i], esc);
        }
    }
  if (ext == NULL && n->wait)
    g_string_append (a, " interaction=\"false\"");
  g_string_append_printf (a, " next=\"%s\">", ((Edge *) g_ptr_array_index (n->out, 0))->to->id);
  out_line (o, n->line, "%s", a->str);
  if (ext != NULL && has_psim_child (ext, "name"))
    copy_psim_children (o, ext, NULL);
  else
    {
      out_text (o, n->line, "name", node_label (n));
      if (n->note != NULL)
        out_text (o, n->line, "note", n->note);
      for (guint i = 0; n->inputs != NULL && i < n->inputs->len; i++)
        out_line (o, n->line, "<input ref=\"%s\"/>", (const char *) g_ptr_array_index (n->inputs, i));
      for (guint i = 0; n->outputs != NULL && i < n->outputs->len; i++)
        out_line (o, n->line, "<output ref=\"%s\"/>", (const char *) g_ptr_array_index (n->outputs, i));
      if (n->has_dur)
        {
          g_autoptr (GString) d = g_string_new (NULL);
          g_string_append_printf (d, "<duration unit=\"%s\"", n->dur_unit);
          if (n->dmin == n->dmax)
            psimp_xml_append_decimal_attr (d, "value", n->dlikely);
          else
            {
              psimp_xml_append_decimal_attr (d, "min", n->dmin);
              psimp_xml_append_decimal_attr (d, "likely", n->dlikely);
              psimp_xml_append_decimal_attr (d, "max", n->dmax);
            }
          g_string_append (d, " basis=\"estimated\"/>");
          out_line (o, n->line, "%s", d->str);
        }
      if (n->has_cost)
        {
          g_autoptr (GString) d = g_string_new ("<fee kind=\"fee\"");
          psimp_xml_append_decimal_attr (d, "amount", n->cost);
          g_string_append (d, " basis=\"estimated\"><name xml:lang=\"und\">BPSim cost</name></fee>");
          out_line (o, n->line, "%s", d->str);
        }
    }
  (void) im;
  out_line (o, n->line, "</step>");
}

static gboolean
has_probability (const xmlNode *x)
{
  g_autofree char *p = psimp_bpmn_get (x, "probability");
  return p != NULL;
}

static void
write_choice (Out *o, Node *n)
{
  out_line (o, n->line, "<choice id=\"%s\">", n->id);
  xmlNode *ext = n->ext != NULL && psimp_bpmn_is_psim (n->ext, "node") ? n->ext : NULL;
  if (ext != NULL)
    copy_psim_children (o, ext, (const char *const[]) { "name", NULL });
  else if (n->name != NULL && n->x != NULL)
    out_text (o, n->line, "name", n->name);
  /* Probabilities: BPSim's when every branch has one, else equal shares;
   * the default branch last. procsim's own conditions come from the
   * extension of each flow. */
  guint k = n->out->len;
  gboolean all_p = TRUE;
  for (guint i = 0; i < k; i++)
    all_p &= ((Edge *) g_ptr_array_index (n->out, i))->has_p;
  g_autoptr (GPtrArray) order = g_ptr_array_new ();
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < k; i++)
      {
        Edge *e = g_ptr_array_index (n->out, i);
        if (e->is_default == (pass == 1))
          g_ptr_array_add (order, e);
      }
  double share = floor (1e7 / k) / 1e7, given = 0;
  for (guint i = 0; i < k; i++)
    {
      Edge *e = g_ptr_array_index (order, i);
      xmlNode *bext = e->x != NULL ? psimp_bpmn_ext_of (e->x, "branch") : NULL;
      g_autoptr (GString) b = g_string_new (NULL);
      g_string_append_printf (b, "<branch to=\"%s\"", e->to->id);
      g_autofree char *when = bext != NULL ? psimp_bpmn_get (bext, "when") : NULL;
      if (when != NULL)
        {
          g_autofree char *esc = g_markup_escape_text (when, -1);
          g_string_append_printf (b, " when=\"%s\"", esc);
        }
      else if (bext == NULL || has_probability (bext) || all_p)
        {
          double p = all_p ? e->p : (i + 1 < k ? share : 1 - given);
          given += p;
          psimp_xml_append_decimal_attr (b, "probability", p);
        }
      guint line = e->x != NULL ? psimp_bpmn_line_of (e->x) : n->line;
      if (bext != NULL && has_psim_child (bext, "label"))
        {
          out_line (o, line, "%s>", b->str);
          copy_psim_children (o, bext, NULL);
          out_line (o, line, "</branch>");
        }
      else if (e->label != NULL || e->is_default)
        {
          out_line (o, line, "%s>", b->str);
          out_text (o, line, "label", e->label != NULL ? e->label : "default");
          out_line (o, line, "</branch>");
        }
      else
        out_line (o, line, "%s/>", b->str);
    }
  out_line (o, n->line, "</choice>");
}

static void
write_graph (Import *im, Out *o, Graph *g)
{
  g_autofree char *baseline = g->ext != NULL ? psimp_bpmn_get (g->ext, "baseline") : NULL;
  g_autofree char *e_baseline = baseline != NULL ? g_markup_escape_text (baseline, -1) : NULL;
  out_line (o, g->line, "<variant id=\"%s\"%s%s%s>", g->id, baseline != NULL ? " baseline=\"" : "",
            baseline != NULL ? e_baseline : "", baseline != NULL ? "\"" : "");
  if (g->ext != NULL && has_psim_child (g->ext, "title"))
    copy_psim_children (o, g->ext, (const char *const[]) { "title", "description", NULL });
  else
    {
      out_text (o, g->line, "title", g->title);
      if (g->doc != NULL)
        out_text (o, g->line, "description", g->doc);
    }
  static const char *const limits[] = { "time-limit", "duty", NULL };
  if (g->ext != NULL && (has_psim_child (g->ext, "time-limit") || has_psim_child (g->ext, "duty")))
    {
      /* The limits name nodes by their procsim ids as exported; a node
       * may have had to take another (psimp_bpmn_unique_id). */
      g_autoptr (GHashTable) nodes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint i = 0; i < g->nodes->len; i++)
        {
          Node *n = g_ptr_array_index (g->nodes, i);
          char *exported = n->ext != NULL ? psimp_bpmn_get (n->ext, "id") : NULL;
          if (exported != NULL && !g_hash_table_contains (nodes, exported))
            g_hash_table_insert (nodes, exported, n->id);
          else
            g_free (exported);
        }
      copy_psim_children_renamed (o, g->ext, limits, nodes);
    }
  out_line (o, g->line, "<process>");
  Node *start = psimp_bpmn_start_of (g);
  if (start == NULL || start->out->len == 0)
    return; /* not reached: decide_start and prune give every graph one */
  out_line (o, start->line, "<start id=\"%s\" next=\"%s\"/>", start->id,
            ((Edge *) g_ptr_array_index (start->out, 0))->to->id);
  for (guint i = 0; i < g->nodes->len; i++)
    {
      Node *n = g_ptr_array_index (g->nodes, i);
      if (n->dead || n == start)
        continue;
      switch (n->kind)
        {
        case K_STEP:
          write_step (im, o, n);
          break;
        case K_CHOICE:
          write_choice (o, n);
          break;
        case K_SPLIT:
          out_line (o, n->line, "<split id=\"%s\" join=\"%s\">", n->id,
                    n->join != NULL ? n->join->id : "");
          if (n->ext != NULL && psimp_bpmn_is_psim (n->ext, "node"))
            copy_psim_children (o, n->ext, (const char *const[]) { "name", NULL });
          for (guint j = 0; j < n->out->len; j++)
            {
              Edge *e = g_ptr_array_index (n->out, j);
              out_line (o, e->x != NULL ? psimp_bpmn_line_of (e->x) : n->line, "<branch to=\"%s\"/>", e->to->id);
            }
          out_line (o, n->line, "</split>");
          break;
        case K_JOIN:
          out_line (o, n->line, "<join id=\"%s\" next=\"%s\"/>", n->id,
                    ((Edge *) g_ptr_array_index (n->out, 0))->to->id);
          break;
        case K_END:
          if (n->ext != NULL && has_psim_child (n->ext, "name"))
            {
              out_line (o, n->line, "<end id=\"%s\">", n->id);
              copy_psim_children (o, n->ext, NULL);
              out_line (o, n->line, "</end>");
            }
          else if (n->name != NULL)
            {
              out_line (o, n->line, "<end id=\"%s\">", n->id);
              out_text (o, n->line, "name", n->name);
              out_line (o, n->line, "</end>");
            }
          else
            out_line (o, n->line, "<end id=\"%s\"/>", n->id);
          break;
        case K_START:
        case K_PASS:
        case K_GATEWAY:
        default:
          break;
        }
    }
  out_line (o, g->line, "</process>");
  out_line (o, g->line, "</variant>");
}

void
psimp_bpmn_write_procedure (Import *im, Out *o, xmlNode *root)
{
  xmlNode *ext = im->ext_procedure;
  g_autofree char *def_id = psimp_bpmn_get (root, "id");
  g_autofree char *def_name = psimp_bpmn_get (root, "name");
  g_autofree char *base = g_path_get_basename (im->file);
  char *dot = strrchr (base, '.');
  if (dot != NULL && dot != base)
    *dot = '\0';
  g_autoptr (GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *pid = NULL, *version = NULL, *date = NULL, *jur = NULL;
  if (ext != NULL)
    {
      pid = psimp_bpmn_get (ext, "id");
      version = psimp_bpmn_get (ext, "version");
      date = psimp_bpmn_get (ext, "date");
      jur = psimp_bpmn_get (ext, "jurisdiction");
    }
  if (pid == NULL)
    pid = psimp_bpmn_unique_id (used, def_id != NULL ? def_id : base);
  g_autofree char *e_pid = g_markup_escape_text (pid, -1);
  g_autofree char *e_version = g_markup_escape_text (version != NULL ? version : "1", -1);
  g_autofree char *e_date = g_markup_escape_text (date != NULL ? date : "1970-01-01", -1);
  g_autofree char *e_jur = g_markup_escape_text (jur != NULL ? jur : "unknown", -1);
  guint line = psimp_bpmn_line_of (root);
  out_line (o, line, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
  out_line (o, line, "<procedure xmlns=\"urn:procsim:procedure:1\" id=\"%s\" version=\"%s\" "
                     "date=\"%s\" jurisdiction=\"%s\">", e_pid, e_version, e_date, e_jur);
  if (ext != NULL && has_psim_child (ext, "title"))
    copy_psim_children (o, ext, (const char *const[]) { "title", "description", "sources",
                                                        "legal-basis", "case-data", NULL });
  else
    {
      out_text (o, line, "title", def_name != NULL ? def_name : base);
      g_autofree char *doc = psimp_bpmn_documentation (root);
      if (doc != NULL)
        out_text (o, line, "description", doc);
    }
  if (ext != NULL && has_psim_child (ext, "actors"))
    copy_psim_children (o, ext, (const char *const[]) { "actors", NULL });
  else
    {
      out_line (o, line, "<actors>");
      for (guint i = 0; i < im->actors->len; i++)
        {
          Decl *d = g_ptr_array_index (im->actors, i);
          out_line (o, d->line, "<actor id=\"%s\" kind=\"agency\">", d->id);
          out_text (o, d->line, "name", d->name != NULL ? d->name : d->id);
          out_line (o, d->line, "</actor>");
        }
      out_line (o, line, "</actors>");
    }
  if (ext != NULL && has_psim_child (ext, "actors"))
    copy_psim_children (o, ext, (const char *const[]) { "documents", "cost-model", NULL });
  else if (im->documents->len > 0)
    {
      out_line (o, line, "<documents>");
      for (guint i = 0; i < im->documents->len; i++)
        {
          Decl *d = g_ptr_array_index (im->documents, i);
          out_line (o, d->line, "<document id=\"%s\">", d->id);
          out_text (o, d->line, "name", d->name != NULL ? d->name : d->id);
          out_line (o, d->line, "</document>");
        }
      out_line (o, line, "</documents>");
    }
  for (guint i = 0; i < im->graphs->len; i++)
    write_graph (im, o, g_ptr_array_index (im->graphs, i));
  out_line (o, line, "</procedure>");
}
