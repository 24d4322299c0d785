/* psim-bpmn-export.c — a procedure as BPMN 2.0, laid out, with BPSim.
 *
 * Each variant becomes a process in a pool of one collaboration, each
 * actor a lane; steps become tasks (the kind from the channel), choices
 * exclusive gateways, splits and joins parallel gateways. BPMN wants a
 * gateway where flows merge, so a node other than a join that several
 * flows enter gets an exclusive merge gateway in front of it (the import
 * bypasses it again). procsim's own facts go, in its own vocabulary, into
 * extension elements of PSIM_BPMN_NS: the declarations on the
 * collaboration, each variant's titles, legal limit and duties on its
 * process, each node's facts on its element, each branch's on its flow;
 * the import reads them back, so a round trip loses nothing.
 * Durations, fees and probabilities are also written as BPSim 2.0
 * parameters, for simulators.
 *
 * Layout: each variant's shapes are laid out by Graphviz in
 * psim-bpmn-export-layout.c; this file writes the document, drawing the
 * flows with right angles.
 */
#include "psim-bpmn-export-private.h"

#include <math.h>
#include <string.h>

#include "procsim/psim-bpmn.h"
#include "procsim/psim-case.h"
#include "procsim/psim-i18n.h"

#define BPMN_NS "http://www.omg.org/spec/BPMN/20100524/MODEL"

typedef struct {
  const PsimProcedure *proc;
  const char *lang;
  GString *s;
  PsimCase *pcase;
  GPtrArray *pools;
} Export;

/* ---- writing ---------------------------------------------------------------- */

static void G_GNUC_PRINTF (3, 4)
put (Export *ex, int indent, const char *format, ...)
{
  for (int i = 0; i < indent; i++)
    g_string_append (ex->s, "  ");
  va_list ap;
  va_start (ap, format);
  g_string_append_vprintf (ex->s, format, ap);
  va_end (ap);
  g_string_append_c (ex->s, '\n');
}

static char *
esc (const char *text)
{
  return g_markup_escape_text (text != NULL ? text : "", -1);
}

static void
texts (Export *ex, int indent, const char *elem, const GPtrArray *list)
{
  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      const PsimText *t = g_ptr_array_index (list, i);
      g_autofree char *e = esc (t->text);
      if (t->lang != NULL)
        {
          g_autofree char *l = esc (t->lang);
          put (ex, indent, "<psim:%s xml:lang=\"%s\">%s</psim:%s>", elem, l, e, elem);
        }
      else
        put (ex, indent, "<psim:%s>%s</psim:%s>", elem, e, elem);
    }
}

static void
provenance (GString *s, PsimBasis basis, const char *source)
{
  g_string_append_printf (s, " basis=\"%s\"", psim_basis_to_string (basis));
  if (source != NULL)
    g_string_append_printf (s, " source=\"%s\"", source);
}

static void
quantity (Export *ex, int indent, const char *elem, const PsimQuantitySlot *slot, gboolean hours)
{
  if (!slot->set)
    return;
  g_autoptr (GString) s = g_string_new (NULL);
  g_string_append_printf (s, "<psim:%s", elem);
  const PsimQuantity *q = &slot->q;
  if (hours)
    psimp_xml_append_decimal_attr (s, "hours", q->likely);
  else
    {
      g_string_append_printf (s, " unit=\"%s\"", psim_time_unit_to_string (q->unit));
      if (strcmp (elem, "time-limit") == 0 || (q->min == q->likely && q->likely == q->max))
        psimp_xml_append_decimal_attr (s, "value", q->likely);
      else
        {
          psimp_xml_append_decimal_attr (s, "min", q->min);
          psimp_xml_append_decimal_attr (s, "likely", q->likely);
          psimp_xml_append_decimal_attr (s, "max", q->max);
        }
    }
  provenance (s, q->basis, slot->source_id);
  put (ex, indent, "%s/>", s->str);
}

static void
figure (Export *ex, int indent, const char *elem, const PsimFigureSlot *slot)
{
  if (!slot->set)
    return;
  g_autoptr (GString) s = g_string_new (NULL);
  g_string_append_printf (s, "<psim:%s", elem);
  psimp_xml_append_decimal_attr (s, "value", slot->f.value);
  provenance (s, slot->f.basis, slot->source.id);
  put (ex, indent, "%s/>", s->str);
}

/* The declarations, in the procedure format's order and vocabulary. */
static void
write_declarations (Export *ex, int in)
{
  const PsimProcedure *p = ex->proc;
  g_autofree char *id = esc (p->id), *version = esc (p->version), *date = esc (p->date),
                  *jur = esc (p->jurisdiction);
  put (ex, in, "<psim:procedure id=\"%s\" version=\"%s\" date=\"%s\" jurisdiction=\"%s\">", id,
       version, date, jur);
  texts (ex, in + 1, "title", p->titles);
  texts (ex, in + 1, "description", p->descriptions);
  if (p->sources->len > 0)
    {
      put (ex, in + 1, "<psim:sources>");
      for (guint i = 0; i < p->sources->len; i++)
        {
          const PsimSource *s = g_ptr_array_index (p->sources, i);
          g_autofree char *href = s->href != NULL ? esc (s->href) : NULL;
          g_autofree char *cit = esc (s->citation);
          put (ex, in + 2, "<psim:source id=\"%s\"%s%s%s>%s</psim:source>", s->id,
               href != NULL ? " href=\"" : "", href != NULL ? href : "", href != NULL ? "\"" : "", cit);
        }
      put (ex, in + 1, "</psim:sources>");
    }
  if (p->laws->len > 0)
    {
      put (ex, in + 1, "<psim:legal-basis>");
      for (guint i = 0; i < p->laws->len; i++)
        {
          const PsimLaw *l = g_ptr_array_index (p->laws, i);
          g_autofree char *number = esc (l->number);
          put (ex, in + 2, "<psim:law id=\"%s\" number=\"%s\"%s%s%s>", l->id, number,
               l->source.id != NULL ? " source=\"" : "", l->source.id != NULL ? l->source.id : "",
               l->source.id != NULL ? "\"" : "");
          texts (ex, in + 3, "title", l->titles);
          put (ex, in + 2, "</psim:law>");
        }
      put (ex, in + 1, "</psim:legal-basis>");
    }
  if (p->params->len > 0)
    {
      put (ex, in + 1, "<psim:case-data>");
      for (guint i = 0; i < p->params->len; i++)
        {
          const PsimParam *pa = g_ptr_array_index (p->params, i);
          g_autoptr (GString) s = g_string_new (NULL);
          g_autofree char *def = esc (pa->def);
          g_string_append_printf (s, "<psim:param id=\"%s\" type=\"%s\" default=\"%s\"", pa->id,
                                  psimp_param_type_name (pa), def);
          if (pa->unit != NULL)
            {
              g_autofree char *u = esc (pa->unit);
              g_string_append_printf (s, " unit=\"%s\"", u);
            }
          if (pa->has_min)
            psimp_xml_append_decimal_attr (s, "min", pa->min);
          if (pa->has_max)
            psimp_xml_append_decimal_attr (s, "max", pa->max);
          put (ex, in + 2, "%s>", s->str);
          texts (ex, in + 3, "label", pa->labels);
          for (guint k = 0; pa->options != NULL && k < pa->options->len; k++)
            {
              g_autofree char *v = esc (g_ptr_array_index (pa->options, k));
              put (ex, in + 3, "<psim:option value=\"%s\"/>", v);
            }
          put (ex, in + 2, "</psim:param>");
        }
      put (ex, in + 1, "</psim:case-data>");
    }
  put (ex, in + 1, "<psim:actors>");
  for (guint i = 0; i < p->actors->len; i++)
    {
      const PsimActor *a = g_ptr_array_index (p->actors, i);
      put (ex, in + 2, "<psim:actor id=\"%s\" kind=\"%s\">", a->id, psim_actor_kind_to_string (a->kind));
      texts (ex, in + 3, "name", a->names);
      put (ex, in + 2, "</psim:actor>");
    }
  put (ex, in + 1, "</psim:actors>");
  if (p->documents->len > 0)
    {
      put (ex, in + 1, "<psim:documents>");
      for (guint i = 0; i < p->documents->len; i++)
        {
          const PsimDocument *d = g_ptr_array_index (p->documents, i);
          put (ex, in + 2, "<psim:document id=\"%s\" national-db=\"%s\">", d->id,
               d->national_db ? "true" : "false");
          texts (ex, in + 3, "name", d->names);
          put (ex, in + 2, "</psim:document>");
        }
      put (ex, in + 1, "</psim:documents>");
    }
  if (p->tariff.set || p->travel.set || p->volume.set || p->has_base)
    {
      put (ex, in + 1, "<psim:cost-model>");
      figure (ex, in + 2, "tariff", &p->tariff);
      figure (ex, in + 2, "travel", &p->travel);
      figure (ex, in + 2, "volume", &p->volume);
      if (p->has_base)
        {
          g_autoptr (GString) s = g_string_new (NULL);
          g_string_append_printf (s, "<psim:value-base kind=\"%s\"",
                                  psim_value_kind_to_string (p->base_kind));
          if (p->base_param.id != NULL)
            g_string_append_printf (s, " param=\"%s\"", p->base_param.id);
          if (p->base_value.set)
            psimp_xml_append_decimal_attr (s, "value", p->base_value.f.value);
          if (p->base_basis_set)
            g_string_append_printf (s, " basis=\"%s\"", psim_basis_to_string (p->base_value.f.basis));
          if (p->base_value.source.id != NULL)
            g_string_append_printf (s, " source=\"%s\"", p->base_value.source.id);
          put (ex, in + 2, "%s/>", s->str);
        }
      put (ex, in + 1, "</psim:cost-model>");
    }
  put (ex, in, "</psim:procedure>");
}

/* What every legal time limit says, a step's or a variant's: its value,
 * unit, law and provenance. */
static void
limit_attrs (GString *s, const PsimQuantitySlot *slot, const char *law)
{
  psimp_xml_append_decimal_attr (s, "value", slot->q.likely);
  g_string_append_printf (s, " unit=\"%s\"", psim_time_unit_to_string (slot->q.unit));
  if (law != NULL)
    g_string_append_printf (s, " law=\"%s\"", law);
  provenance (s, slot->q.basis, slot->source_id);
}

/* The variant's <time-limit> or a <duty>, as the loader reads them. Unlike
 * a baseline, nothing they name can be missing from a file of one variant:
 * their nodes are the variant's own, their law and param declarations. */
static void
write_limit (Export *ex, int in, const PsimLimit *l)
{
  const char *elem = l->duty ? "duty" : "time-limit";
  g_autoptr (GString) s = g_string_new (NULL);
  g_string_append_printf (s, "<psim:%s", elem);
  if (l->id != NULL)
    g_string_append_printf (s, " id=\"%s\"", l->id);
  limit_attrs (s, &l->q, l->law.id);
  if (l->from.id != NULL)
    g_string_append_printf (s, " from=\"%s\"", l->from.id);
  if (l->by.id != NULL)
    g_string_append_printf (s, " by=\"%s\"", l->by.id);
  if (l->cut_off_text != NULL)
    {
      g_autofree char *e = esc (l->cut_off_text);
      g_string_append_printf (s, " cut-off=\"%s\"", e);
    }
  if (l->filed.id != NULL)
    g_string_append_printf (s, " filed=\"%s\"", l->filed.id);
  if (l->names->len == 0 && l->cases->len == 0)
    {
      put (ex, in, "%s/>", s->str);
      return;
    }
  put (ex, in, "%s>", s->str);
  texts (ex, in + 1, "name", l->names);
  for (guint i = 0; i < l->cases->len; i++)
    {
      const PsimLimitCase *lc = g_ptr_array_index (l->cases, i);
      g_autoptr (GString) c = g_string_new ("<psim:when");
      if (lc->step.id != NULL)
        g_string_append_printf (c, " step=\"%s\"", lc->step.id);
      if (lc->test != NULL)
        {
          g_autofree char *e = esc (psim_expr_get_source (lc->test));
          g_string_append_printf (c, " test=\"%s\"", e);
        }
      psimp_xml_append_decimal_attr (c, "value", lc->value);
      put (ex, in + 1, "%s/>", c->str);
    }
  put (ex, in, "</psim:%s>", elem);
}

static void
write_step_facts (Export *ex, int in, const PsimNode *n, gboolean baseline)
{
  g_autoptr (GString) a = g_string_new (NULL);
  g_string_append_printf (a, "<psim:step id=\"%s\" actor=\"%s\" channel=\"%s\"", n->id,
                          n->actor.id, psim_channel_to_string (n->channel));
  if (n->party.id != NULL)
    g_string_append_printf (a, " with=\"%s\"", n->party.id);
  if (n->interaction_attr >= 0)
    g_string_append_printf (a, " interaction=\"%s\"", n->interaction_attr ? "true" : "false");
  if (n->visit_attr >= 0)
    g_string_append_printf (a, " visit=\"%s\"", n->visit_attr ? "true" : "false");
  if (n->dossier_attr >= 0)
    g_string_append_printf (a, " dossier=\"%s\"", n->dossier_attr ? "paper" : "electronic");
  if (n->replaces->len > 0 && baseline)
    {
      g_string_append (a, " replaces=\"");
      for (guint i = 0; i < n->replaces->len; i++)
        g_string_append_printf (a, "%s%s", i > 0 ? " " : "",
                                ((const PsimRef *) g_ptr_array_index (n->replaces, i))->id);
      g_string_append_c (a, '"');
    }
  put (ex, in, "%s>", a->str);
  texts (ex, in + 1, "name", n->names);
  texts (ex, in + 1, "instructions", n->instructions);
  for (guint i = 0; i < n->inputs->len; i++)
    {
      int fetched = g_array_index (n->input_fetched_attr, int, i);
      put (ex, in + 1, "<psim:input ref=\"%s\"%s/>",
           ((const PsimRef *) g_ptr_array_index (n->inputs, i))->id,
           fetched < 0 ? "" : fetched ? " fetched=\"true\"" : " fetched=\"false\"");
    }
  for (guint i = 0; i < n->outputs->len; i++)
    put (ex, in + 1, "<psim:output ref=\"%s\"/>", ((const PsimRef *) g_ptr_array_index (n->outputs, i))->id);
  quantity (ex, in + 1, "duration", &n->duration, FALSE);
  quantity (ex, in + 1, "effort", &n->effort, TRUE);
  for (guint i = 0; i < n->fees->len; i++)
    {
      const PsimFee *f = g_ptr_array_index (n->fees, i);
      g_autoptr (GString) s = g_string_new (NULL);
      g_string_append_printf (s, "<psim:fee kind=\"%s\"", psim_fee_kind_to_string (f->kind));
      if (f->has_amount)
        psimp_xml_append_decimal_attr (s, "amount", f->amount);
      else if (f->expr != NULL)
        {
          g_autofree char *e = esc (psim_expr_get_source (f->expr));
          g_string_append_printf (s, " expr=\"%s\"", e);
        }
      g_autofree char *cur = esc (f->currency);
      g_string_append_printf (s, " currency=\"%s\"", cur);
      if (f->payer.id != NULL)
        g_string_append_printf (s, " payer=\"%s\"", f->payer.id);
      provenance (s, f->basis, f->source.id);
      put (ex, in + 1, "%s>", s->str);
      texts (ex, in + 2, "name", f->names);
      put (ex, in + 1, "</psim:fee>");
    }
  if (n->time_limit.set)
    {
      g_autoptr (GString) s = g_string_new ("<psim:time-limit");
      limit_attrs (s, &n->time_limit, n->time_limit_law.id);
      put (ex, in + 1, "%s/>", s->str);
    }
  for (guint i = 0; i < n->legal->len; i++)
    {
      const PsimLegal *l = g_ptr_array_index (n->legal, i);
      g_autofree char *art = l->article != NULL ? esc (l->article) : NULL;
      put (ex, in + 1, "<psim:legal ref=\"%s\"%s%s%s/>", l->law.id, art != NULL ? " article=\"" : "",
           art != NULL ? art : "", art != NULL ? "\"" : "");
    }
  texts (ex, in + 1, "note", n->notes);
  put (ex, in, "</psim:step>");
}

/* ---- the document -------------------------------------------------------------- */

static const char *
task_kind (const PsimNode *n)
{
  switch (n->channel)
    {
    case PSIM_CHANNEL_ONLINE: return "userTask";
    case PSIM_CHANNEL_INTER_AGENCY: return "serviceTask";
    case PSIM_CHANNEL_IN_PERSON: return "manualTask";
    case PSIM_CHANNEL_POST:
    default: return "task";
    }
}

static const char *
element_of (const Shape *s)
{
  if (s->node == NULL)
    return "exclusiveGateway";
  switch (s->node->kind)
    {
    case PSIM_NODE_START: return "startEvent";
    case PSIM_NODE_END: return "endEvent";
    case PSIM_NODE_STEP: return task_kind (s->node);
    case PSIM_NODE_CHOICE: return "exclusiveGateway";
    case PSIM_NODE_SPLIT:
    case PSIM_NODE_JOIN:
    default: return "parallelGateway";
    }
}

/* The name BPMN tools show: the node's, else a word for it. */
static const char *
shape_name (Export *ex, const Shape *s)
{
  const PsimNode *n = s->node;
  if (n == NULL)
    return NULL;
  const char *name = psim_texts_get (n->names, ex->lang);
  if (name != NULL)
    return name;
  switch (n->kind)
    {
    case PSIM_NODE_START: return psim_gettext (ex->lang, "Start");
    case PSIM_NODE_END: return psim_gettext (ex->lang, "End");
    case PSIM_NODE_CHOICE: return psim_gettext (ex->lang, "Decision");
    default: return NULL;
    }
}

static const PsimBranch *
branch_of (const Flow *f)
{
  return f->choice != NULL ? g_ptr_array_index (f->choice->branches, f->branch) : NULL;
}

/* Whether a choice is decided by conditions: BPMN then wants a condition
 * on every flow but the default one. */
static gboolean
conditional (const PsimNode *choice)
{
  for (guint i = 0; i < choice->branches->len; i++)
    if (((const PsimBranch *) g_ptr_array_index (choice->branches, i))->when != NULL)
      return TRUE;
  return FALSE;
}

static void
write_process (Export *ex, Pool *p, int in)
{
  const PsimVariant *v = p->v;
  g_autofree char *title = esc (psim_texts_get (v->titles, ex->lang));
  put (ex, in, "<bpmn:process id=\"process__%s\" name=\"%s\" isExecutable=\"false\">", p->pid, title);
  const char *desc = psim_texts_get (v->descriptions, ex->lang);
  if (desc != NULL)
    {
      g_autofree char *d = esc (desc);
      put (ex, in + 1, "<bpmn:documentation>%s</bpmn:documentation>", d);
    }
  put (ex, in + 1, "<bpmn:extensionElements>");
  /* A variant exported alone loses its baseline, and its steps what
   * they replace: the baseline's steps are not in the file. */
  gboolean baseline = FALSE;
  for (guint i = 0; v->baseline.id != NULL && i < ex->pools->len; i++)
    baseline |= ((Pool *) g_ptr_array_index (ex->pools, i))->v == v->baseline.target;
  put (ex, in + 2, "<psim:variant id=\"%s\"%s%s%s>", v->id, baseline ? " baseline=\"" : "",
       baseline ? v->baseline.id : "", baseline ? "\"" : "");
  texts (ex, in + 3, "title", v->titles);
  texts (ex, in + 3, "description", v->descriptions);
  if (v->time_limit != NULL)
    write_limit (ex, in + 3, v->time_limit);
  for (guint i = 0; i < v->duties->len; i++)
    write_limit (ex, in + 3, g_ptr_array_index (v->duties, i));
  put (ex, in + 2, "</psim:variant>");
  put (ex, in + 1, "</bpmn:extensionElements>");

  put (ex, in + 1, "<bpmn:laneSet id=\"%s__lanes\">", p->pid);
  for (guint l = 0; l < p->lanes->len; l++)
    {
      const char *lane = g_ptr_array_index (p->lanes, l);
      const PsimActor *a = g_hash_table_lookup (v->proc->actor_index, lane);
      g_autofree char *name = esc (a != NULL ? psim_texts_get (a->names, ex->lang) : lane);
      put (ex, in + 2, "<bpmn:lane id=\"%s__lane__%s\" name=\"%s\">", p->pid, lane, name);
      put (ex, in + 3, "<bpmn:extensionElements><psim:lane actor=\"%s\"/></bpmn:extensionElements>", lane);
      for (guint i = 0; i < p->shapes->len; i++)
        {
          Shape *s = g_ptr_array_index (p->shapes, i);
          if (strcmp (s->lane, lane) == 0)
            put (ex, in + 3, "<bpmn:flowNodeRef>%s</bpmn:flowNodeRef>", s->id);
        }
      put (ex, in + 2, "</bpmn:lane>");
    }
  put (ex, in + 1, "</bpmn:laneSet>");

  for (guint i = 0; i < p->shapes->len; i++)
    {
      Shape *s = g_ptr_array_index (p->shapes, i);
      const PsimNode *n = s->node;
      const char *elem = element_of (s);
      g_autoptr (GString) a = g_string_new (NULL);
      g_string_append_printf (a, "<bpmn:%s id=\"%s\"", elem, s->id);
      const char *name = shape_name (ex, s);
      if (name != NULL)
        {
          g_autofree char *e = esc (name);
          g_string_append_printf (a, " name=\"%s\"", e);
        }
      if (n != NULL && n->kind == PSIM_NODE_CHOICE && conditional (n))
        for (guint k = 0; k < s->out->len; k++)
          {
            Flow *f = g_ptr_array_index (s->out, k);
            const PsimBranch *b = branch_of (f);
            if (b != NULL && b->when == NULL)
              g_string_append_printf (a, " default=\"%s\"", f->id);
          }
      if (n != NULL && n->kind == PSIM_NODE_SPLIT)
        g_string_append (a, " gatewayDirection=\"Diverging\"");
      else if (n != NULL && n->kind == PSIM_NODE_JOIN)
        g_string_append (a, " gatewayDirection=\"Converging\"");
      else if (n == NULL)
        g_string_append (a, " gatewayDirection=\"Converging\"");
      else if (n->kind == PSIM_NODE_CHOICE)
        g_string_append (a, " gatewayDirection=\"Diverging\"");
      put (ex, in + 1, "%s>", a->str);
      const char *instr = n != NULL && n->kind == PSIM_NODE_STEP
                            ? psim_texts_get (n->instructions, ex->lang) : NULL;
      if (instr != NULL)
        {
          g_autofree char *e = esc (instr);
          put (ex, in + 2, "<bpmn:documentation>%s</bpmn:documentation>", e);
        }
      if (n != NULL)
        {
          put (ex, in + 2, "<bpmn:extensionElements>");
          if (n->kind == PSIM_NODE_STEP)
            write_step_facts (ex, in + 3, n, baseline);
          else if (n->names != NULL && n->names->len > 0)
            {
              put (ex, in + 3, "<psim:node id=\"%s\">", n->id);
              texts (ex, in + 4, "name", n->names);
              put (ex, in + 3, "</psim:node>");
            }
          else
            put (ex, in + 3, "<psim:node id=\"%s\"/>", n->id);
          put (ex, in + 2, "</bpmn:extensionElements>");
        }
      for (guint k = 0; k < s->in->len; k++)
        put (ex, in + 2, "<bpmn:incoming>%s</bpmn:incoming>", ((Flow *) g_ptr_array_index (s->in, k))->id);
      for (guint k = 0; k < s->out->len; k++)
        put (ex, in + 2, "<bpmn:outgoing>%s</bpmn:outgoing>", ((Flow *) g_ptr_array_index (s->out, k))->id);
      put (ex, in + 1, "</bpmn:%s>", elem);
    }

  for (guint i = 0; i < p->flows->len; i++)
    {
      Flow *f = g_ptr_array_index (p->flows, i);
      const PsimBranch *b = branch_of (f);
      g_autoptr (GString) a = g_string_new (NULL);
      g_string_append_printf (a, "<bpmn:sequenceFlow id=\"%s\" sourceRef=\"%s\" targetRef=\"%s\"", f->id,
                              f->from->id, f->to->id);
      const char *label = b != NULL ? psim_texts_get (b->labels, ex->lang) : NULL;
      if (label == NULL && b != NULL && b->when != NULL)
        label = psim_expr_get_source (b->when);
      if (label != NULL)
        {
          g_autofree char *e = esc (label);
          g_string_append_printf (a, " name=\"%s\"", e);
        }
      if (b == NULL)
        {
          put (ex, in + 1, "%s/>", a->str);
          continue;
        }
      put (ex, in + 1, "%s>", a->str);
      put (ex, in + 2, "<bpmn:extensionElements>");
      g_autoptr (GString) br = g_string_new ("<psim:branch");
      if (b->when != NULL)
        {
          g_autofree char *e = esc (psim_expr_get_source (b->when));
          g_string_append_printf (br, " when=\"%s\"", e);
        }
      if (b->has_probability)
        psimp_xml_append_decimal_attr (br, "probability", b->probability);
      if (b->labels != NULL && b->labels->len > 0)
        {
          put (ex, in + 3, "%s>", br->str);
          texts (ex, in + 4, "label", b->labels);
          put (ex, in + 3, "</psim:branch>");
        }
      else
        put (ex, in + 3, "%s/>", br->str);
      put (ex, in + 2, "</bpmn:extensionElements>");
      if (b->when != NULL)
        {
          /* procsim's conditions are XPath 1.0, BPMN's default language. */
          g_autofree char *e = esc (psim_expr_get_source (b->when));
          put (ex, in + 2, "<bpmn:conditionExpression xsi:type=\"bpmn:tFormalExpression\" "
                           "language=\"http://www.w3.org/1999/XPath\">%s</bpmn:conditionExpression>", e);
        }
      put (ex, in + 1, "</bpmn:sequenceFlow>");
    }
  put (ex, in, "</bpmn:process>");
}

static void
bounds (Export *ex, int in, double x, double y, double w, double h)
{
  g_autoptr (GString) s = g_string_new ("<dc:Bounds");
  psimp_xml_append_decimal_attr (s, "x", x);
  psimp_xml_append_decimal_attr (s, "y", y);
  psimp_xml_append_decimal_attr (s, "width", w);
  psimp_xml_append_decimal_attr (s, "height", h);
  put (ex, in, "%s/>", s->str);
}

static void
waypoint (Export *ex, int in, double x, double y)
{
  g_autoptr (GString) s = g_string_new ("<di:waypoint");
  psimp_xml_append_decimal_attr (s, "x", x);
  psimp_xml_append_decimal_attr (s, "y", y);
  put (ex, in, "%s/>", s->str);
}

static void
write_diagram (Export *ex, GPtrArray *pools, int in)
{
  put (ex, in, "<bpmndi:BPMNDiagram id=\"diagram\">");
  put (ex, in + 1, "<bpmndi:BPMNPlane id=\"plane\" bpmnElement=\"collaboration\">");
  for (guint k = 0; k < pools->len; k++)
    {
      Pool *p = g_ptr_array_index (pools, k);
      double ox = 0, oy = p->top;
      put (ex, in + 2, "<bpmndi:BPMNShape id=\"pool__%s_di\" bpmnElement=\"pool__%s\" isHorizontal=\"true\">",
           p->pid, p->pid);
      bounds (ex, in + 3, ox, oy, p->width, p->height);
      put (ex, in + 2, "</bpmndi:BPMNShape>");
      for (guint l = 0; l < p->lanes->len; l++)
        {
          const char *lane = g_ptr_array_index (p->lanes, l);
          double top = *(double *) g_hash_table_lookup (p->lane_top, lane);
          double h = *(double *) g_hash_table_lookup (p->lane_height, lane);
          put (ex, in + 2, "<bpmndi:BPMNShape id=\"%s__lane__%s_di\" bpmnElement=\"%s__lane__%s\" "
                           "isHorizontal=\"true\">", p->pid, lane, p->pid, lane);
          bounds (ex, in + 3, ox + POOL_LABEL, oy + top, p->width - POOL_LABEL, h);
          put (ex, in + 2, "</bpmndi:BPMNShape>");
        }
      for (guint i = 0; i < p->shapes->len; i++)
        {
          Shape *s = g_ptr_array_index (p->shapes, i);
          put (ex, in + 2, "<bpmndi:BPMNShape id=\"%s_di\" bpmnElement=\"%s\">", s->id, s->id);
          bounds (ex, in + 3, ox + s->x, oy + s->y, s->w, s->h);
          put (ex, in + 2, "</bpmndi:BPMNShape>");
        }
      for (guint i = 0; i < p->flows->len; i++)
        {
          Flow *f = g_ptr_array_index (p->flows, i);
          Shape *a = f->from, *b = f->to;
          put (ex, in + 2, "<bpmndi:BPMNEdge id=\"%s_di\" bpmnElement=\"%s\">", f->id, f->id);
          double ay = oy + a->y + a->h / 2, by = oy + b->y + b->h / 2;
          if (b->x > a->x + a->w)
            {
              /* Forwards: out of the right side, into the left one. */
              double ax = ox + a->x + a->w, bx = ox + b->x, mid = round ((ax + bx) / 2);
              waypoint (ex, in + 3, ax, ay);
              if (ay != by)
                {
                  waypoint (ex, in + 3, mid, ay);
                  waypoint (ex, in + 3, mid, by);
                }
              waypoint (ex, in + 3, bx, by);
            }
          else
            {
              /* Back (a loop) or straight down: under both shapes. */
              double below = oy + MAX (a->y + a->h, b->y + b->h) + 15;
              double ax = ox + a->x + a->w / 2, bx = ox + b->x + b->w / 2;
              waypoint (ex, in + 3, ax, oy + a->y + a->h);
              waypoint (ex, in + 3, ax, below);
              waypoint (ex, in + 3, bx, below);
              waypoint (ex, in + 3, bx, oy + b->y + b->h);
            }
          put (ex, in + 2, "</bpmndi:BPMNEdge>");
        }
    }
  put (ex, in + 1, "</bpmndi:BPMNPlane>");
  put (ex, in, "</bpmndi:BPMNDiagram>");
}

/* Durations in days (hours count 8 to the day, as procsim's totals do),
 * fees of the default case, branch probabilities. */
static void
write_bpsim (Export *ex, GPtrArray *pools, int in)
{
  const char *currency = "VND";
  for (guint k = 0; k < pools->len; k++)
    {
      Pool *p = g_ptr_array_index (pools, k);
      for (guint i = 0; i < p->shapes->len; i++)
        {
          Shape *s = g_ptr_array_index (p->shapes, i);
          if (s->node != NULL && s->node->kind == PSIM_NODE_STEP && s->node->fees->len > 0)
            currency = ((const PsimFee *) g_ptr_array_index (s->node->fees, 0))->currency;
        }
    }
  put (ex, in, "<bpmn:relationship id=\"bpsim\" type=\"BPSimData\">");
  put (ex, in + 1, "<bpmn:extensionElements>");
  put (ex, in + 2, "<bpsim:BPSimData>");
  put (ex, in + 3, "<bpsim:Scenario id=\"default\" name=\"procsim\" author=\"procsim\" version=\"1\">");
  g_autofree char *cur = esc (currency);
  put (ex, in + 4, "<bpsim:ScenarioParameters baseTimeUnit=\"day\" baseCurrencyUnit=\"%s\"/>", cur);
  for (guint k = 0; k < pools->len; k++)
    {
      Pool *p = g_ptr_array_index (pools, k);
      for (guint i = 0; i < p->shapes->len; i++)
        {
          Shape *s = g_ptr_array_index (p->shapes, i);
          const PsimNode *n = s->node;
          if (n == NULL || n->kind != PSIM_NODE_STEP || (!n->duration.set && n->fees->len == 0))
            continue;
          put (ex, in + 4, "<bpsim:ElementParameters elementRef=\"%s\">", s->id);
          if (n->duration.set)
            {
              const PsimQuantity *q = &n->duration.q;
              double k_day = q->unit == PSIM_UNIT_HOURS ? 1.0 / 8 : 1;
              g_autoptr (GString) d = g_string_new (NULL);
              if (q->min == q->max)
                {
                  g_string_append (d, "<bpsim:FloatingParameter");
                  psimp_xml_append_decimal_attr (d, "value", q->likely * k_day);
                }
              else
                {
                  g_string_append (d, "<bpsim:TriangularDistribution");
                  psimp_xml_append_decimal_attr (d, "min", q->min * k_day);
                  psimp_xml_append_decimal_attr (d, "mode", q->likely * k_day);
                  psimp_xml_append_decimal_attr (d, "max", q->max * k_day);
                }
              put (ex, in + 5, "<bpsim:TimeParameters><bpsim:ProcessingTime>%s/>"
                               "</bpsim:ProcessingTime></bpsim:TimeParameters>", d->str);
            }
          double total = 0;
          for (guint f = 0; f < n->fees->len; f++)
            {
              double amount = 0;
              if (psim_case_eval_fee (ex->pcase, g_ptr_array_index (n->fees, f), &amount, NULL))
                total += amount;
            }
          if (n->fees->len > 0)
            {
              g_autoptr (GString) c = g_string_new ("<bpsim:FloatingParameter");
              psimp_xml_append_decimal_attr (c, "value", total);
              put (ex, in + 5, "<bpsim:CostParameters><bpsim:FixedCost>%s/></bpsim:FixedCost>"
                               "</bpsim:CostParameters>", c->str);
            }
          put (ex, in + 4, "</bpsim:ElementParameters>");
        }
      for (guint i = 0; i < p->flows->len; i++)
        {
          Flow *f = g_ptr_array_index (p->flows, i);
          const PsimBranch *b = branch_of (f);
          if (b == NULL || !b->has_probability)
            continue;
          g_autoptr (GString) c = g_string_new ("<bpsim:FloatingParameter");
          psimp_xml_append_decimal_attr (c, "value", b->probability);
          put (ex, in + 4, "<bpsim:ElementParameters elementRef=\"%s\"><bpsim:ControlParameters>"
                           "<bpsim:Probability>%s/></bpsim:Probability></bpsim:ControlParameters>"
                           "</bpsim:ElementParameters>", f->id, c->str);
        }
    }
  put (ex, in + 3, "</bpsim:Scenario>");
  put (ex, in + 2, "</bpsim:BPSimData>");
  put (ex, in + 1, "</bpmn:extensionElements>");
  put (ex, in + 1, "<bpmn:source>collaboration</bpmn:source>");
  put (ex, in + 1, "<bpmn:target>collaboration</bpmn:target>");
  put (ex, in, "</bpmn:relationship>");
}

GBytes *
psim_bpmn_export (const PsimProcedure *proc, const char *variant_id, const char *lang,
                  GError **error)
{
  g_return_val_if_fail (proc != NULL, NULL);
  g_autoptr (GPtrArray) pools = g_ptr_array_new_with_free_func ((GDestroyNotify) psimp_bpmn_export_pool_free);
  for (guint i = 0; i < proc->variants->len; i++)
    {
      const PsimVariant *v = g_ptr_array_index (proc->variants, i);
      if (variant_id == NULL || strcmp (v->id, variant_id) == 0)
        g_ptr_array_add (pools, psimp_bpmn_export_pool_new (v));
    }
  if (pools->len == 0)
    {
      g_set_error (error, PSIM_BPMN_ERROR, PSIM_BPMN_ERROR_VARIANT,
                   psim_gettext (lang, "the procedure has no variant '%s'"), variant_id);
      return NULL;
    }
  double top = 0;
  for (guint i = 0; i < pools->len; i++)
    {
      Pool *p = g_ptr_array_index (pools, i);
      psimp_bpmn_export_assign_lanes (p);
      if (!psimp_bpmn_export_layout (p, lang, error))
        return NULL;
      p->top = top;
      top += p->height + POOL_GAP;
    }

  g_autoptr (PsimCase) pcase = psim_case_new ((PsimProcedure *) proc);
  Export ex = { .proc = proc, .lang = lang != NULL ? lang : "en", .s = g_string_new (NULL),
                .pcase = pcase, .pools = pools };
  g_autofree char *pid = esc (proc->id);
  g_autofree char *title = esc (psim_texts_get (proc->titles, ex.lang));
  put (&ex, 0, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
  put (&ex, 0, "<bpmn:definitions xmlns:bpmn=\"" BPMN_NS "\" "
               "xmlns:bpmndi=\"http://www.omg.org/spec/BPMN/20100524/DI\" "
               "xmlns:dc=\"http://www.omg.org/spec/DD/20100524/DC\" "
               "xmlns:di=\"http://www.omg.org/spec/DD/20100524/DI\" "
               "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
               "xmlns:bpsim=\"http://www.bpsim.org/schemas/2.0\" "
               "xmlns:psim=\"" PSIM_BPMN_NS "\" "
               "id=\"%s\" name=\"%s\" targetNamespace=\"urn:procsim:procedure:%s\" "
               "exporter=\"procsim\" exporterVersion=\"%s\">", pid, title, pid, psim_version ());
  put (&ex, 1, "<bpmn:collaboration id=\"collaboration\">");
  put (&ex, 2, "<bpmn:extensionElements>");
  write_declarations (&ex, 3);
  put (&ex, 2, "</bpmn:extensionElements>");
  for (guint i = 0; i < pools->len; i++)
    {
      Pool *p = g_ptr_array_index (pools, i);
      g_autofree char *name = esc (psim_texts_get (p->v->titles, ex.lang));
      put (&ex, 2, "<bpmn:participant id=\"pool__%s\" name=\"%s\" processRef=\"process__%s\"/>",
           p->pid, name, p->pid);
    }
  put (&ex, 1, "</bpmn:collaboration>");
  for (guint i = 0; i < pools->len; i++)
    write_process (&ex, g_ptr_array_index (pools, i), 1);
  write_diagram (&ex, pools, 1);
  write_bpsim (&ex, pools, 1);
  put (&ex, 0, "</bpmn:definitions>");
  return g_string_free_to_bytes (ex.s);
}
