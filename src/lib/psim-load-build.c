/* psim-load-build.c — what SAX events become in the model, outside a
 * variant's process.
 *
 * psim-load-parse.c hands every start tag here with the frame of its open
 * parent; the frame tells what the parent builds (the procedure, its
 * sources, laws, case data, actors, documents, cost model, a variant), and
 * the child's frame says what the child builds in turn. A process's nodes
 * are handed to psim-load-process.c, the simulation's elements to
 * psim-sim-load.c. The builder only reads what the schema has checked, so
 * it stays safe on invalid files without judging them (the schema and
 * psim-check.c do).
 */
#include "psim-load-private.h"
#include "psim-sim-private.h"

#include <string.h>

/* A child of <cost-model>: the slot it fills. The checks resolve the
 * source and the parameter, and require one of param or value. */
static void
build_cost_figure (PsimProcedure *proc, const char *name, Attrs at, guint line)
{
  PsimFigureSlot *slot = NULL;
  if (strcmp (name, "tariff") == 0)
    slot = &proc->tariff;
  else if (strcmp (name, "travel") == 0)
    slot = &proc->travel;
  else if (strcmp (name, "volume") == 0)
    slot = &proc->volume;
  else if (strcmp (name, "value-base") == 0)
    {
      g_autofree char *kind = psimp_load_attr (at, "kind");
      proc->has_base = TRUE;
      proc->base_kind = psim_enum_from_string (psim_value_kind_names, kind);
      psim_ref_clear (&proc->base_param); /* a repeated element breaks the schema */
      psimp_load_set_ref (&proc->base_param, at, "param", line);
      slot = &proc->base_value;
    }
  if (slot == NULL)
    return;
  g_autofree char *value = psimp_load_attr (at, "value");
  g_autofree char *basis = psimp_load_attr (at, "basis");
  slot->line = line;
  slot->set = psimp_load_parse_number (value, &slot->f.value);
  slot->f.basis = psim_enum_from_string (psim_basis_names, basis);
  if (slot == &proc->base_value)
    proc->base_basis_set = basis != NULL;
  psim_ref_clear (&slot->source);
  psimp_load_set_ref (&slot->source, at, "source", line);
}

/* What element @name, child of @parent, builds. */
Frame
psimp_load_child_frame (Builder *b, Frame *parent, const char *name, Attrs at, guint line)
{
  PsimProcedure *proc = b->proc;
  Frame f = { .kind = F_IGNORE };
  gboolean is_text = strcmp (name, "title") == 0 || strcmp (name, "description") == 0
                     || strcmp (name, "name") == 0 || strcmp (name, "label") == 0;

  switch (parent->kind)
    {
    case F_PROCEDURE:
      if (strcmp (name, "title") == 0)
        f = psimp_load_text_frame (b, proc->titles, at);
      else if (strcmp (name, "description") == 0)
        f = psimp_load_text_frame (b, proc->descriptions, at);
      else if (strcmp (name, "sources") == 0)
        f.kind = F_SOURCES;
      else if (strcmp (name, "legal-basis") == 0)
        f.kind = F_LAWS;
      else if (strcmp (name, "case-data") == 0)
        f.kind = F_CASE_DATA;
      else if (strcmp (name, "actors") == 0)
        f.kind = F_ACTORS;
      else if (strcmp (name, "documents") == 0)
        f.kind = F_DOCUMENTS;
      else if (strcmp (name, "cost-model") == 0)
        f.kind = F_COST_MODEL;
      else if (strcmp (name, "simulation") == 0)
        f.kind = F_SIMULATION;
      else if (strcmp (name, "variant") == 0)
        {
          PsimVariant *v = psim_variant_new (proc);
          v->id = psimp_load_attr (at, "id");
          v->line = line;
          psimp_load_set_ref (&v->baseline, at, "baseline", line);
          g_ptr_array_add (proc->variants, v);
          f = (Frame) { .kind = F_VARIANT, .object = v };
        }
      break;
    case F_SOURCES:
      {
        PsimSource *src = g_new0 (PsimSource, 1);
        src->id = psimp_load_attr (at, "id");
        src->line = line;
        src->href = psimp_load_attr (at, "href");
        g_ptr_array_add (proc->sources, src);
        g_string_truncate (b->text, 0);
        f = (Frame) { .kind = F_SOURCE, .object = src };
        break;
      }
    case F_LAWS:
      {
        PsimLaw *law = g_new0 (PsimLaw, 1);
        law->id = psimp_load_attr (at, "id");
        law->line = line;
        law->number = psimp_load_attr (at, "number");
        law->titles = g_ptr_array_new_with_free_func ((GDestroyNotify) psim_text_free);
        psimp_load_set_ref (&law->source, at, "source", line);
        g_ptr_array_add (proc->laws, law);
        f = (Frame) { .kind = F_LAW, .object = law };
        break;
      }
    case F_LAW:
      if (is_text)
        f = psimp_load_text_frame (b, ((PsimLaw *) parent->object)->titles, at);
      break;
    case F_CASE_DATA:
      {
        PsimParam *p = g_new0 (PsimParam, 1);
        g_autofree char *type = psimp_load_attr (at, "type");
        g_autofree char *min = psimp_load_attr (at, "min");
        g_autofree char *max = psimp_load_attr (at, "max");
        p->id = psimp_load_attr (at, "id");
        p->line = line;
        /* An integer is a number that must be whole. */
        p->integer = g_strcmp0 (type, "integer") == 0;
        p->type = p->integer ? PSIM_PARAM_NUMBER
                             : psim_enum_from_string (psim_param_type_names, type);
        p->labels = g_ptr_array_new_with_free_func ((GDestroyNotify) psim_text_free);
        p->options = g_ptr_array_new_with_free_func (g_free);
        p->option_labels = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
        p->unit = psimp_load_attr (at, "unit");
        p->def = psimp_load_attr (at, "default");
        if (p->def == NULL)
          p->def = g_strdup ("");
        p->has_min = psimp_load_parse_number (min, &p->min);
        p->has_max = psimp_load_parse_number (max, &p->max);
        g_ptr_array_add (proc->params, p);
        f = (Frame) { .kind = F_PARAM, .object = p };
        break;
      }
    case F_PARAM:
      if (strcmp (name, "label") == 0)
        f = psimp_load_text_frame (b, ((PsimParam *) parent->object)->labels, at);
      else if (strcmp (name, "option") == 0)
        {
          PsimParam *p = parent->object;
          char *value = psimp_load_attr (at, "value");
          GPtrArray *labels = g_ptr_array_new_with_free_func ((GDestroyNotify) psim_text_free);
          g_ptr_array_add (p->options, value != NULL ? value : g_strdup (""));
          g_ptr_array_add (p->option_labels, labels);
          f = (Frame) { .kind = F_OPTION, .object = labels };
        }
      break;
    case F_OPTION:
      if (strcmp (name, "label") == 0)
        f = psimp_load_text_frame (b, parent->object, at);
      break;
    case F_ACTORS:
      {
        PsimActor *actor = g_new0 (PsimActor, 1);
        g_autofree char *kind = psimp_load_attr (at, "kind");
        actor->id = psimp_load_attr (at, "id");
        actor->line = line;
        actor->kind = psim_enum_from_string (psim_actor_kind_names, kind);
        actor->names = g_ptr_array_new_with_free_func ((GDestroyNotify) psim_text_free);
        g_ptr_array_add (proc->actors, actor);
        f = (Frame) { .kind = F_ACTOR, .object = actor };
        break;
      }
    case F_ACTOR:
      if (is_text)
        f = psimp_load_text_frame (b, ((PsimActor *) parent->object)->names, at);
      break;
    case F_DOCUMENTS:
      {
        PsimDocument *doc = g_new0 (PsimDocument, 1);
        g_autofree char *ndb = psimp_load_attr (at, "national-db");
        doc->id = psimp_load_attr (at, "id");
        doc->line = line;
        doc->national_db = psimp_load_parse_boolean (ndb) == 1;
        doc->names = g_ptr_array_new_with_free_func ((GDestroyNotify) psim_text_free);
        g_ptr_array_add (proc->documents, doc);
        f = (Frame) { .kind = F_DOCUMENT, .object = doc };
        break;
      }
    case F_DOCUMENT:
      if (is_text)
        f = psimp_load_text_frame (b, ((PsimDocument *) parent->object)->names, at);
      break;
    case F_VARIANT:
      {
        PsimVariant *v = parent->object;
        if (strcmp (name, "title") == 0)
          f = psimp_load_text_frame (b, v->titles, at);
        else if (strcmp (name, "description") == 0)
          f = psimp_load_text_frame (b, v->descriptions, at);
        else if (strcmp (name, "process") == 0)
          f = (Frame) { .kind = F_PROCESS, .object = v };
        else if (strcmp (name, "time-limit") == 0 || strcmp (name, "duty") == 0)
          f = psimp_load_limit_frame (b, parent, name, at, line);
        break;
      }
    case F_LIMIT:
      if (parent->object != NULL)
        f = psimp_load_limit_child (b, parent, name, at, line);
      break;
    case F_PROCESS:
      if (psim_enum_from_string (psim_node_kind_names, name) != 0 || strcmp (name, "start") == 0)
        f = (Frame) { .kind = F_NODE, .object = psimp_load_node_new (b, parent->object, name, at, line) };
      break;
    case F_NODE:
      {
        PsimNode *n = parent->object;
        if (n->kind == PSIM_NODE_STEP)
          f = psimp_load_step_child (b, parent, name, at, line);
        else if (strcmp (name, "name") == 0)
          f = psimp_load_text_frame (b, n->names, at);
        else if (strcmp (name, "branch") == 0
                 && (n->kind == PSIM_NODE_CHOICE || n->kind == PSIM_NODE_SPLIT))
          f = (Frame) { .kind = F_BRANCH, .object = psimp_load_branch_new (b, n, at, line, parent) };
        break;
      }
    case F_BRANCH:
      if (is_text)
        f = psimp_load_text_frame (b, ((PsimBranch *) parent->object)->labels, at);
      break;
    case F_FEE:
      if (is_text)
        f = psimp_load_text_frame (b, ((PsimFee *) parent->object)->names, at);
      break;
    case F_COST_MODEL:
      build_cost_figure (proc, name, at, line);
      break;
    case F_SIMULATION:
      {
        g_autoptr (GHashTable) attrs = psimp_load_attr_table (at);
        psim_sim_load_element (proc, name, attrs, line, b->ld->lang, b->ld->diags, b->ld->file);
        f.kind = F_SIMULATION;
        break;
      }
    case F_SOURCE:
    case F_TEXT:
    case F_IGNORE:
    default:
      break;
    }
  return f;
}
