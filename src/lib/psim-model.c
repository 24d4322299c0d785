/* psim-model.c — constructors, destructors and accessors of the procedure
 * model. The model is plain data owned by its PsimProcedure; this file
 * knows nothing of XML (psim-load.c builds it) or of checks (psim-check.c
 * resolves its references).
 */
#include "psim-private.h"

#include <string.h>

/* ---- enumerations --------------------------------------------------------- */

/* The names as written in the XML format, indexed by enum value. */
const char *const psim_actor_kind_names[] = { "applicant", "agency", "intermediary", "system", NULL };
const char *const psim_channel_names[] = { "in-person", "online", "post", "inter-agency", NULL };
const char *const psim_node_kind_names[] = { "start", "end", "step", "choice", "split", "join", NULL };
const char *const psim_time_unit_names[] = { "working-days", "calendar-days", "hours", NULL };
const char *const psim_fee_kind_names[] = { "tax", "fee", "service", NULL };
const char *const psim_param_type_names[] = { "number", "boolean", "string", "enum", NULL };
const char *const psim_basis_names[] = { "sourced", "estimated", NULL };
const char *const psim_value_kind_names[] = { "property-value", "income-per-capita", NULL };

int
psim_enum_from_string (const char *const *names, const char *text)
{
  for (int i = 0; text != NULL && names[i] != NULL; i++)
    if (strcmp (text, names[i]) == 0)
      return i;
  return 0;
}

#define ENUM_TO_STRING(fn, Type, names)                                        \
  const char *fn (Type value)                                                  \
  {                                                                            \
    g_return_val_if_fail ((guint) value < G_N_ELEMENTS (names) - 1, NULL);     \
    return names[value];                                                       \
  }

ENUM_TO_STRING (psim_actor_kind_to_string, PsimActorKind, psim_actor_kind_names)
ENUM_TO_STRING (psim_channel_to_string, PsimChannel, psim_channel_names)
ENUM_TO_STRING (psim_node_kind_to_string, PsimNodeKind, psim_node_kind_names)
ENUM_TO_STRING (psim_time_unit_to_string, PsimTimeUnit, psim_time_unit_names)
ENUM_TO_STRING (psim_fee_kind_to_string, PsimFeeKind, psim_fee_kind_names)
ENUM_TO_STRING (psim_param_type_to_string, PsimParamType, psim_param_type_names)
ENUM_TO_STRING (psim_basis_to_string, PsimBasis, psim_basis_names)
ENUM_TO_STRING (psim_value_kind_to_string, PsimValueKind, psim_value_kind_names)

/* ---- texts and references ------------------------------------------------- */

void
psim_text_free (PsimText *text)
{
  if (text == NULL)
    return;
  g_free (text->lang);
  g_free (text->text);
  g_free (text);
}

const char *
psim_texts_get (const GPtrArray *texts, const char *lang)
{
  if (texts == NULL || texts->len == 0)
    return NULL;
  /* "vi-VN" finds a text in "vi-VN", else in "vi" (psim-i18n.h). */
  const char *fallbacks[] = { lang, lang != NULL ? psim_lang_normalize (lang) : NULL, "en" };
  for (guint f = 0; f < G_N_ELEMENTS (fallbacks); f++)
    {
      if (fallbacks[f] == NULL)
        continue;
      for (guint i = 0; i < texts->len; i++)
        {
          const PsimText *t = g_ptr_array_index (texts, i);
          if (t->lang != NULL && g_ascii_strcasecmp (t->lang, fallbacks[f]) == 0)
            return t->text;
        }
    }
  return ((const PsimText *) g_ptr_array_index (texts, 0))->text;
}

GPtrArray *
psim_texts_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) psim_text_free);
}

char *
psim_collapse_space (const char *s)
{
  GString *out = g_string_sized_new (strlen (s));
  gboolean space = FALSE;
  for (const char *p = s; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

PsimRef *
psim_ref_new (const char *id, guint line)
{
  PsimRef *ref = g_new0 (PsimRef, 1);
  ref->id = g_strdup (id);
  ref->line = line;
  return ref;
}

void
psim_ref_clear (PsimRef *ref)
{
  g_clear_pointer (&ref->id, g_free);
  ref->target = NULL;
}

void
psim_ref_free (PsimRef *ref)
{
  if (ref == NULL)
    return;
  psim_ref_clear (ref);
  g_free (ref);
}

/* ---- construction and destruction ----------------------------------------- */

static void
source_free (PsimSource *s)
{
  g_free (s->id);
  g_free (s->href);
  g_free (s->citation);
  g_free (s);
}

static void
law_free (PsimLaw *l)
{
  g_free (l->id);
  g_free (l->number);
  g_ptr_array_unref (l->titles);
  psim_ref_clear (&l->source);
  g_free (l);
}

static void
actor_free (PsimActor *a)
{
  g_free (a->id);
  g_ptr_array_unref (a->names);
  g_free (a);
}

static void
document_free (PsimDocument *d)
{
  g_free (d->id);
  g_ptr_array_unref (d->names);
  g_free (d);
}

static void
param_free (PsimParam *p)
{
  g_free (p->id);
  g_ptr_array_unref (p->labels);
  g_free (p->unit);
  g_free (p->def);
  g_ptr_array_unref (p->options);
  if (p->option_labels != NULL)
    g_ptr_array_unref (p->option_labels);
  g_free (p);
}

PsimFee *
psim_fee_new (void)
{
  PsimFee *fee = g_new0 (PsimFee, 1);
  fee->names = psim_texts_new ();
  return fee;
}

static void
fee_free (PsimFee *fee)
{
  g_ptr_array_unref (fee->names);
  g_clear_pointer (&fee->expr, psim_expr_free);
  g_free (fee->currency);
  psim_ref_clear (&fee->payer);
  psim_ref_clear (&fee->source);
  g_free (fee);
}

PsimBranch *
psim_branch_new (void)
{
  PsimBranch *b = g_new0 (PsimBranch, 1);
  b->labels = psim_texts_new ();
  return b;
}

static void
branch_free (PsimBranch *b)
{
  psim_ref_clear (&b->to);
  g_clear_pointer (&b->when, psim_expr_free);
  g_ptr_array_unref (b->labels);
  g_free (b);
}

PsimLegal *
psim_legal_new (void)
{
  return g_new0 (PsimLegal, 1);
}

static void
legal_free (PsimLegal *l)
{
  psim_ref_clear (&l->law);
  g_free (l->article);
  g_free (l);
}

PsimNode *
psim_node_new (PsimVariant *variant, PsimNodeKind kind)
{
  PsimNode *n = g_new0 (PsimNode, 1);
  n->variant = variant;
  n->kind = kind;
  n->names = psim_texts_new ();
  n->branches = g_ptr_array_new_with_free_func ((GDestroyNotify) branch_free);
  n->interaction_attr = -1;
  n->visit_attr = -1;
  n->dossier_attr = -1;
  n->instructions = psim_texts_new ();
  n->inputs = g_ptr_array_new_with_free_func ((GDestroyNotify) psim_ref_free);
  n->input_fetched_attr = g_array_new (FALSE, FALSE, sizeof (int));
  n->input_fetched = g_array_new (FALSE, TRUE, sizeof (gboolean));
  n->outputs = g_ptr_array_new_with_free_func ((GDestroyNotify) psim_ref_free);
  n->fees = g_ptr_array_new_with_free_func ((GDestroyNotify) fee_free);
  n->legal = g_ptr_array_new_with_free_func ((GDestroyNotify) legal_free);
  n->notes = psim_texts_new ();
  n->replaces = g_ptr_array_new_with_free_func ((GDestroyNotify) psim_ref_free);
  return n;
}

static void
node_free (PsimNode *n)
{
  g_free (n->id);
  g_ptr_array_unref (n->names);
  psim_ref_clear (&n->next);
  g_ptr_array_unref (n->branches);
  psim_ref_clear (&n->join);
  psim_ref_clear (&n->actor);
  psim_ref_clear (&n->party);
  g_ptr_array_unref (n->instructions);
  g_ptr_array_unref (n->inputs);
  g_array_unref (n->input_fetched_attr);
  g_array_unref (n->input_fetched);
  g_ptr_array_unref (n->outputs);
  g_free (n->duration.source_id);
  g_free (n->effort.source_id);
  g_free (n->time_limit.source_id);
  psim_ref_clear (&n->time_limit_law);
  g_ptr_array_unref (n->fees);
  g_ptr_array_unref (n->legal);
  g_ptr_array_unref (n->notes);
  g_ptr_array_unref (n->replaces);
  g_free (n);
}

PsimVariant *
psim_variant_new (PsimProcedure *proc)
{
  PsimVariant *v = g_new0 (PsimVariant, 1);
  v->proc = proc;
  v->titles = psim_texts_new ();
  v->descriptions = psim_texts_new ();
  v->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) node_free);
  v->node_index = g_hash_table_new (g_str_hash, g_str_equal);
  v->duties = g_ptr_array_new_with_free_func ((GDestroyNotify) psim_limit_free);
  return v;
}

static void
variant_free (PsimVariant *v)
{
  g_free (v->id);
  g_ptr_array_unref (v->titles);
  g_ptr_array_unref (v->descriptions);
  psim_ref_clear (&v->baseline);
  g_hash_table_unref (v->node_index);
  g_ptr_array_unref (v->nodes);
  g_clear_pointer (&v->time_limit, psim_limit_free);
  g_ptr_array_unref (v->duties);
  g_free (v);
}

PsimProcedure *
psim_procedure_new (const char *file)
{
  PsimProcedure *p = g_new0 (PsimProcedure, 1);
  p->ref_count = 1;
  p->file = g_strdup (file);
  p->titles = psim_texts_new ();
  p->descriptions = psim_texts_new ();
  p->sources = g_ptr_array_new_with_free_func ((GDestroyNotify) source_free);
  p->laws = g_ptr_array_new_with_free_func ((GDestroyNotify) law_free);
  p->params = g_ptr_array_new_with_free_func ((GDestroyNotify) param_free);
  p->actors = g_ptr_array_new_with_free_func ((GDestroyNotify) actor_free);
  p->documents = g_ptr_array_new_with_free_func ((GDestroyNotify) document_free);
  p->variants = g_ptr_array_new_with_free_func ((GDestroyNotify) variant_free);
  /* The indexes borrow keys and values from the arrays above. */
  p->source_index = g_hash_table_new (g_str_hash, g_str_equal);
  p->law_index = g_hash_table_new (g_str_hash, g_str_equal);
  p->param_index = g_hash_table_new (g_str_hash, g_str_equal);
  p->actor_index = g_hash_table_new (g_str_hash, g_str_equal);
  p->document_index = g_hash_table_new (g_str_hash, g_str_equal);
  p->variant_index = g_hash_table_new (g_str_hash, g_str_equal);
  return p;
}

PsimProcedure *
psim_procedure_ref (PsimProcedure *proc)
{
  g_return_val_if_fail (proc != NULL, NULL);
  g_atomic_int_inc (&proc->ref_count);
  return proc;
}

void
psim_procedure_unref (PsimProcedure *p)
{
  if (p == NULL || !g_atomic_int_dec_and_test (&p->ref_count))
    return;
  g_hash_table_unref (p->source_index);
  g_hash_table_unref (p->law_index);
  g_hash_table_unref (p->param_index);
  g_hash_table_unref (p->actor_index);
  g_hash_table_unref (p->document_index);
  g_hash_table_unref (p->variant_index);
  g_ptr_array_unref (p->variants);
  g_ptr_array_unref (p->documents);
  g_ptr_array_unref (p->actors);
  g_ptr_array_unref (p->params);
  g_ptr_array_unref (p->laws);
  g_ptr_array_unref (p->sources);
  g_ptr_array_unref (p->titles);
  g_ptr_array_unref (p->descriptions);
  g_free (p->file);
  g_free (p->id);
  g_free (p->version);
  g_free (p->date);
  g_free (p->jurisdiction);
  psim_ref_clear (&p->tariff.source);
  psim_ref_clear (&p->travel.source);
  psim_ref_clear (&p->volume.source);
  psim_ref_clear (&p->base_value.source);
  psim_ref_clear (&p->base_param);
  if (p->sim != NULL)
    p->sim_free (p->sim);
  g_free (p);
}

/* ---- procedure accessors -------------------------------------------------- */

const char *psim_procedure_get_file (const PsimProcedure *p) { return p->file; }
const char *psim_procedure_get_id (const PsimProcedure *p) { return p->id; }
const char *psim_procedure_get_version (const PsimProcedure *p) { return p->version; }
const char *psim_procedure_get_date (const PsimProcedure *p) { return p->date; }
const char *psim_procedure_get_jurisdiction (const PsimProcedure *p) { return p->jurisdiction; }

const char *
psim_procedure_get_currency (const PsimProcedure *p)
{
  for (guint i = 0; i < p->variants->len; i++)
    {
      const PsimVariant *v = g_ptr_array_index (p->variants, i);
      for (guint j = 0; j < v->nodes->len; j++)
        {
          const PsimNode *n = g_ptr_array_index (v->nodes, j);
          if (n->kind == PSIM_NODE_STEP && n->fees->len > 0)
            return ((const PsimFee *)g_ptr_array_index (n->fees, 0))->currency;
        }
    }
  return PSIM_DEFAULT_CURRENCY;
}

const char *
psim_procedure_get_title (const PsimProcedure *p, const char *lang)
{
  return psim_texts_get (p->titles, lang);
}

const char *
psim_procedure_get_description (const PsimProcedure *p, const char *lang)
{
  return psim_texts_get (p->descriptions, lang);
}

#define ARRAY_ACCESSORS(Type, noun, field)                                     \
  guint psim_procedure_get_n_##noun##s (const PsimProcedure *p)                \
  {                                                                            \
    g_return_val_if_fail (p != NULL, 0);                                       \
    return p->field->len;                                                      \
  }                                                                            \
  const Type *psim_procedure_get_##noun (const PsimProcedure *p, guint i)      \
  {                                                                            \
    g_return_val_if_fail (p != NULL && i < p->field->len, NULL);               \
    return g_ptr_array_index (p->field, i);                                    \
  }

ARRAY_ACCESSORS (PsimVariant, variant, variants)
ARRAY_ACCESSORS (PsimActor, actor, actors)
ARRAY_ACCESSORS (PsimDocument, document, documents)
ARRAY_ACCESSORS (PsimParam, param, params)
ARRAY_ACCESSORS (PsimSource, source, sources)
ARRAY_ACCESSORS (PsimLaw, law, laws)

const PsimVariant *
psim_procedure_find_variant (const PsimProcedure *p, const char *id)
{
  g_return_val_if_fail (p != NULL && id != NULL, NULL);
  return g_hash_table_lookup (p->variant_index, id);
}

const PsimParam *
psim_procedure_find_param (const PsimProcedure *p, const char *id)
{
  g_return_val_if_fail (p != NULL && id != NULL, NULL);
  return g_hash_table_lookup (p->param_index, id);
}

/* ---- declarations --------------------------------------------------------- */

const char *psim_actor_get_id (const PsimActor *a) { return a->id; }
PsimActorKind psim_actor_get_kind (const PsimActor *a) { return a->kind; }
const char *psim_actor_get_name (const PsimActor *a, const char *lang) { return psim_texts_get (a->names, lang); }

const char *psim_document_get_id (const PsimDocument *d) { return d->id; }
const char *psim_document_get_name (const PsimDocument *d, const char *lang) { return psim_texts_get (d->names, lang); }
gboolean psim_document_get_national_db (const PsimDocument *d) { return d->national_db; }

const char *psim_param_get_id (const PsimParam *p) { return p->id; }
PsimParamType psim_param_get_param_type (const PsimParam *p) { return p->type; }
gboolean psim_param_is_integer (const PsimParam *p) { return p->integer; }

const char *
psimp_param_type_name (const PsimParam *p)
{
  return p->integer ? "integer" : psim_param_type_to_string (p->type);
}
const char *psim_param_get_label (const PsimParam *p, const char *lang) { return psim_texts_get (p->labels, lang); }
const char *psim_param_get_unit (const PsimParam *p) { return p->unit; }
const char *psim_param_get_default (const PsimParam *p) { return p->def; }
guint psim_param_get_n_options (const PsimParam *p) { return p->options->len; }

const char *
psim_param_get_option (const PsimParam *p, guint i)
{
  g_return_val_if_fail (i < p->options->len, NULL);
  return g_ptr_array_index (p->options, i);
}

const char *
psim_param_get_option_label (const PsimParam *p, const char *value, const char *lang)
{
  g_return_val_if_fail (p != NULL && value != NULL, NULL);
  for (guint i = 0; i < p->options->len; i++)
    if (strcmp (g_ptr_array_index (p->options, i), value) == 0)
      return p->option_labels != NULL && i < p->option_labels->len
               ? psim_texts_get (g_ptr_array_index (p->option_labels, i), lang)
               : NULL;
  return NULL;
}

const char *psim_source_get_id (const PsimSource *s) { return s->id; }
const char *psim_source_get_href (const PsimSource *s) { return s->href; }
const char *psim_source_get_citation (const PsimSource *s) { return s->citation; }

const char *psim_law_get_id (const PsimLaw *l) { return l->id; }
const char *psim_law_get_number (const PsimLaw *l) { return l->number; }
const char *psim_law_get_title (const PsimLaw *l, const char *lang) { return psim_texts_get (l->titles, lang); }

/* ---- variants and nodes --------------------------------------------------- */

const char *psim_variant_get_id (const PsimVariant *v) { return v->id; }
const char *psim_variant_get_title (const PsimVariant *v, const char *lang) { return psim_texts_get (v->titles, lang); }
const char *psim_variant_get_description (const PsimVariant *v, const char *lang) { return psim_texts_get (v->descriptions, lang); }
const PsimVariant *psim_variant_get_baseline (const PsimVariant *v) { return v->baseline.target; }
const PsimProcedure *psim_variant_get_procedure (const PsimVariant *v) { return v->proc; }
guint psim_variant_get_n_nodes (const PsimVariant *v) { return v->nodes->len; }
const PsimNode *psim_variant_get_start (const PsimVariant *v) { return v->start; }
guint psim_variant_get_n_steps (const PsimVariant *v) { return v->n_steps; }

const PsimNode *
psim_variant_get_node (const PsimVariant *v, guint i)
{
  g_return_val_if_fail (i < v->nodes->len, NULL);
  return g_ptr_array_index (v->nodes, i);
}

const PsimNode *
psim_variant_find_node (const PsimVariant *v, const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);
  return g_hash_table_lookup (v->node_index, id);
}

const char *psim_node_get_id (const PsimNode *n) { return n->id; }
PsimNodeKind psim_node_get_kind (const PsimNode *n) { return n->kind; }
guint psim_node_get_line (const PsimNode *n) { return n->line; }
const PsimVariant *psim_node_get_variant (const PsimNode *n) { return n->variant; }
const char *psim_node_get_name (const PsimNode *n, const char *lang) { return psim_texts_get (n->names, lang); }

guint
psim_node_get_n_successors (const PsimNode *n)
{
  switch (n->kind)
    {
    case PSIM_NODE_CHOICE:
    case PSIM_NODE_SPLIT: return n->branches->len;
    case PSIM_NODE_END: return 0;
    case PSIM_NODE_START:
    case PSIM_NODE_STEP:
    case PSIM_NODE_JOIN:
    default: return n->next.target != NULL ? 1 : 0;
    }
}

const PsimNode *
psim_node_get_successor (const PsimNode *n, guint i)
{
  g_return_val_if_fail (i < psim_node_get_n_successors (n), NULL);
  if (n->kind == PSIM_NODE_CHOICE || n->kind == PSIM_NODE_SPLIT)
    return ((const PsimBranch *) g_ptr_array_index (n->branches, i))->to.target;
  return n->next.target;
}

static const PsimBranch *
branch_at (const PsimNode *n, guint i)
{
  if (n->kind != PSIM_NODE_CHOICE && n->kind != PSIM_NODE_SPLIT)
    return NULL;
  if (i >= n->branches->len)
    return NULL;
  return g_ptr_array_index (n->branches, i);
}

gboolean
psim_node_get_branch_probability (const PsimNode *n, guint i, double *probability)
{
  const PsimBranch *b = branch_at (n, i);
  if (b == NULL || !b->has_probability)
    return FALSE;
  if (probability != NULL)
    *probability = b->probability;
  return TRUE;
}

const char *
psim_node_get_branch_condition (const PsimNode *n, guint i)
{
  const PsimBranch *b = branch_at (n, i);
  return b != NULL && b->when != NULL ? psim_expr_get_source (b->when) : NULL;
}

const char *
psim_node_get_branch_label (const PsimNode *n, guint i, const char *lang)
{
  const PsimBranch *b = branch_at (n, i);
  return b != NULL ? psim_texts_get (b->labels, lang) : NULL;
}

const PsimNode *
psim_node_get_join (const PsimNode *n)
{
  return n->kind == PSIM_NODE_SPLIT ? n->join.target : NULL;
}

/* ---- steps ---------------------------------------------------------------- */

#define STEP_ONLY(n, fallback)                                                  \
  G_STMT_START {                                                               \
    if ((n) == NULL || (n)->kind != PSIM_NODE_STEP)                            \
      return fallback;                                                         \
  } G_STMT_END

const PsimActor *
psim_step_get_actor (const PsimNode *n)
{
  STEP_ONLY (n, NULL);
  return n->actor.target;
}

const PsimActor *
psim_step_get_party (const PsimNode *n)
{
  STEP_ONLY (n, NULL);
  return n->party.target != NULL ? n->party.target : n->actor.target;
}

PsimChannel
psim_step_get_channel (const PsimNode *n)
{
  STEP_ONLY (n, PSIM_CHANNEL_IN_PERSON);
  return n->channel;
}

gboolean
psim_step_is_interaction (const PsimNode *n)
{
  STEP_ONLY (n, FALSE);
  return n->interaction;
}

gboolean
psim_step_is_visit (const PsimNode *n)
{
  STEP_ONLY (n, FALSE);
  return n->visit;
}

static gboolean
is_office (const PsimActor *a)
{
  return a != NULL && (a->kind == PSIM_ACTOR_AGENCY || a->kind == PSIM_ACTOR_INTERMEDIARY);
}

const PsimActor *
psim_step_get_office (const PsimNode *n)
{
  STEP_ONLY (n, NULL);
  if (is_office (n->actor.target))
    return n->actor.target;
  return is_office (n->party.target) ? n->party.target : NULL;
}

gboolean
psim_step_receives_paper (const PsimNode *n)
{
  STEP_ONLY (n, FALSE);
  return n->dossier_paper;
}

const char *
psim_step_get_instructions (const PsimNode *n, const char *lang)
{
  STEP_ONLY (n, NULL);
  return psim_texts_get (n->instructions, lang);
}

const char *
psim_step_get_note (const PsimNode *n, const char *lang)
{
  STEP_ONLY (n, NULL);
  return psim_texts_get (n->notes, lang);
}

guint
psim_step_get_n_inputs (const PsimNode *n)
{
  STEP_ONLY (n, 0);
  return n->inputs->len;
}

const PsimDocument *
psim_step_get_input (const PsimNode *n, guint i)
{
  STEP_ONLY (n, NULL);
  g_return_val_if_fail (i < n->inputs->len, NULL);
  return ((const PsimRef *) g_ptr_array_index (n->inputs, i))->target;
}

gboolean
psim_step_input_is_fetched (const PsimNode *n, guint i)
{
  STEP_ONLY (n, FALSE);
  g_return_val_if_fail (i < n->inputs->len, FALSE);
  return i < n->input_fetched->len && g_array_index (n->input_fetched, gboolean, i);
}

guint
psim_step_get_n_outputs (const PsimNode *n)
{
  STEP_ONLY (n, 0);
  return n->outputs->len;
}

const PsimDocument *
psim_step_get_output (const PsimNode *n, guint i)
{
  STEP_ONLY (n, NULL);
  g_return_val_if_fail (i < n->outputs->len, NULL);
  return ((const PsimRef *) g_ptr_array_index (n->outputs, i))->target;
}

const PsimQuantity *
psim_step_get_duration (const PsimNode *n)
{
  STEP_ONLY (n, NULL);
  return n->duration.set ? &n->duration.q : NULL;
}

gboolean
psim_step_is_within_day (const PsimNode *n)
{
  STEP_ONLY (n, FALSE);
  return n->within_day;
}

const PsimQuantity *
psim_step_get_effort (const PsimNode *n)
{
  STEP_ONLY (n, NULL);
  return n->effort.set ? &n->effort.q : NULL;
}

const PsimQuantity *
psim_step_get_time_limit (const PsimNode *n)
{
  STEP_ONLY (n, NULL);
  return n->time_limit.set ? &n->time_limit.q : NULL;
}

const PsimLaw *
psim_step_get_time_limit_law (const PsimNode *n)
{
  STEP_ONLY (n, NULL);
  return n->time_limit_law.target;
}

guint
psim_step_get_n_fees (const PsimNode *n)
{
  STEP_ONLY (n, 0);
  return n->fees->len;
}

const PsimFee *
psim_step_get_fee (const PsimNode *n, guint i)
{
  STEP_ONLY (n, NULL);
  g_return_val_if_fail (i < n->fees->len, NULL);
  return g_ptr_array_index (n->fees, i);
}

guint
psim_step_get_n_legal (const PsimNode *n)
{
  STEP_ONLY (n, 0);
  return n->legal->len;
}

const PsimLaw *
psim_step_get_legal (const PsimNode *n, guint i, const char **article)
{
  STEP_ONLY (n, NULL);
  g_return_val_if_fail (i < n->legal->len, NULL);
  const PsimLegal *l = g_ptr_array_index (n->legal, i);
  if (article != NULL)
    *article = l->article;
  return l->law.target;
}

guint
psim_step_get_n_replaces (const PsimNode *n)
{
  STEP_ONLY (n, 0);
  return n->replaces->len;
}

const PsimNode *
psim_step_get_replaces (const PsimNode *n, guint i)
{
  STEP_ONLY (n, NULL);
  g_return_val_if_fail (i < n->replaces->len, NULL);
  return ((const PsimRef *) g_ptr_array_index (n->replaces, i))->target;
}

/* ---- fees ----------------------------------------------------------------- */

PsimFeeKind psim_fee_get_kind (const PsimFee *f) { return f->kind; }
const char *psim_fee_get_name (const PsimFee *f, const char *lang) { return psim_texts_get (f->names, lang); }
const char *psim_fee_get_currency (const PsimFee *f) { return f->currency; }
const PsimActor *psim_fee_get_payer (const PsimFee *f) { return f->payer.target; }
PsimBasis psim_fee_get_basis (const PsimFee *f) { return f->basis; }
const PsimSource *psim_fee_get_source (const PsimFee *f) { return f->source.target; }

gboolean
psim_fee_get_amount (const PsimFee *f, double *amount)
{
  if (!f->has_amount)
    return FALSE;
  if (amount != NULL)
    *amount = f->amount;
  return TRUE;
}

const char *
psim_fee_get_expression (const PsimFee *f)
{
  return f->expr != NULL ? psim_expr_get_source (f->expr) : NULL;
}

const char *
psim_version (void)
{
  return PROCSIM_VERSION;
}

/* ---- cost model ------------------------------------------------------------ */

static const PsimFigure *
figure (const PsimFigureSlot *slot)
{
  return slot->set ? &slot->f : NULL;
}

const PsimFigure *
psim_procedure_get_tariff (const PsimProcedure *p)
{
  g_return_val_if_fail (p != NULL, NULL);
  return figure (&p->tariff);
}

const PsimFigure *
psim_procedure_get_travel (const PsimProcedure *p)
{
  g_return_val_if_fail (p != NULL, NULL);
  return figure (&p->travel);
}

const PsimFigure *
psim_procedure_get_volume (const PsimProcedure *p)
{
  g_return_val_if_fail (p != NULL, NULL);
  return figure (&p->volume);
}

gboolean
psim_procedure_get_value_base (const PsimProcedure *p, PsimValueKind *kind,
                               const PsimParam **param, const PsimFigure **fig)
{
  g_return_val_if_fail (p != NULL, FALSE);
  if (kind != NULL)
    *kind = p->base_kind;
  if (param != NULL)
    *param = p->has_base ? p->base_param.target : NULL;
  if (fig != NULL)
    *fig = p->has_base ? figure (&p->base_value) : NULL;
  return p->has_base;
}
