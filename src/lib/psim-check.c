/* psim-check.c — semantic checks of a freshly built procedure, after the
 * schema has accepted its structure.
 *
 * In order: index the declarations (duplicate ids), resolve every reference
 * (dangling ones), derive the step attributes that have defaults
 * (interaction, visit, implicit successors), then check each variant's
 * graph (one start, reachability both ways, choices, split/join pairing)
 * and every expression (names only declared case data, evaluates with the
 * defaults). Each finding names the element and its id, at its line.
 */
#include "psim-private.h"

#include <math.h>
#include <string.h>

typedef struct {
  PsimProcedure *proc;
  PsimExprContext *expr;
  GPtrArray *diags;
  const char *lang;         /* of the diagnostics */
  const PsimFee *first_fee; /* every fee must share its currency */
} Check;

static void G_GNUC_PRINTF (3, 4)
error_at (Check *c, guint line, const char *format, ...)
{
  va_list ap;
  va_start (ap, format);
  g_autofree char *msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  psim_diag_add (c->diags, PSIM_SEVERITY_ERROR, c->proc->file, line, "%s", msg);
}

static void G_GNUC_PRINTF (3, 4)
warning_at (Check *c, guint line, const char *format, ...)
{
  va_list ap;
  va_start (ap, format);
  g_autofree char *msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  psim_diag_add (c->diags, PSIM_SEVERITY_WARNING, c->proc->file, line, "%s", msg);
}

/* What a message is about, "step 'L3'": formatted only when a message is
 * made, since the checks visit every node of every file. */
typedef struct {
  const char *kind;
  const char *id;
} Owner;

static char *
owner_text (Owner o)
{
  return g_strdup_printf ("%s '%s'", o.kind, o.id);
}

/* ---- declarations --------------------------------------------------------- */

/* Indexes @items (whose first two members are id and line, as in every
 * declaration struct) and reports duplicates. */
typedef struct {
  char *id;
  guint line;
} Declared;

static void
index_all (Check *c, GPtrArray *items, GHashTable *index, const char *kind)
{
  for (guint i = 0; i < items->len; i++)
    {
      Declared *d = g_ptr_array_index (items, i);
      Declared *first = g_hash_table_lookup (index, d->id);
      if (first != NULL)
        error_at (c, d->line,
                  psim_gettext (c->lang, "duplicate %s id '%s' (first declared at line %u)"), kind,
                  d->id, first->line);
      else
        g_hash_table_insert (index, d->id, d);
    }
}

/* Resolves @ref in @index; reports a dangling id. An unset ref is fine. */
static gboolean
resolve (Check *c, PsimRef *ref, GHashTable *index, Owner owner,
         const char *field, const char *kind)
{
  if (ref->id == NULL)
    return TRUE;
  ref->target = g_hash_table_lookup (index, ref->id);
  if (ref->target == NULL)
    {
      g_autofree char *who = owner_text (owner);
      error_at (c, ref->line, psim_gettext (c->lang, "%s: %s '%s' is not a declared %s"), who, field,
                ref->id, kind);
      return FALSE;
    }
  return TRUE;
}

static void
check_provenance (Check *c, Owner owner, const char *elem, PsimBasis basis,
                  PsimRef *source, guint line)
{
  if (source->id != NULL)
    {
      g_autofree char *field = g_strdup_printf ("<%s> source", elem);
      resolve (c, source, c->proc->source_index, owner, field, psim_gettext (c->lang, "source"));
    }
  else if (basis == PSIM_BASIS_SOURCED)
    {
      g_autofree char *who = owner_text (owner);
      error_at (c, line, psim_gettext (c->lang, "%s: <%s> is marked sourced but names no source"),
                who, elem);
    }
}

static void
check_slot (Check *c, Owner owner, const char *elem, PsimQuantitySlot *slot)
{
  if (!slot->set)
    return;
  PsimRef ref = { .id = slot->source_id, .line = slot->line };
  check_provenance (c, owner, elem, slot->q.basis, &ref, slot->line);
  slot->q.source = ref.target;
}

static gboolean
param_value_ok (const PsimParam *p, const char *text)
{
  switch (p->type)
    {
    case PSIM_PARAM_NUMBER:
      {
        char *end = NULL;
        double v = g_ascii_strtod (text, &end);
        return text[0] != '\0' && *end == '\0' && isfinite (v)
               && (!p->integer || v == floor (v))
               && (!p->has_min || v >= p->min) && (!p->has_max || v <= p->max);
      }
    case PSIM_PARAM_BOOLEAN:
      return strcmp (text, "true") == 0 || strcmp (text, "false") == 0;
    case PSIM_PARAM_ENUM:
      for (guint i = 0; i < p->options->len; i++)
        if (strcmp (g_ptr_array_index (p->options, i), text) == 0)
          return TRUE;
      return FALSE;
    case PSIM_PARAM_STRING:
    default:
      return TRUE;
    }
}

static void
check_params (Check *c)
{
  for (guint i = 0; i < c->proc->params->len; i++)
    {
      PsimParam *p = g_ptr_array_index (c->proc->params, i);
      if (p->type == PSIM_PARAM_ENUM && p->options->len == 0)
        error_at (c, p->line, psim_gettext (c->lang, "param '%s': an enum needs <option> elements"),
                  p->id);
      else if (p->type != PSIM_PARAM_ENUM && p->options->len > 0)
        error_at (c, p->line,
                  psim_gettext (c->lang, "param '%s': only an enum may have <option> elements"),
                  p->id);
      if (p->type == PSIM_PARAM_ENUM && p->options->len == 0)
        continue; /* no default could be valid: said once above */
      if (!param_value_ok (p, p->def))
        error_at (c, p->line,
                  psim_gettext (c->lang, "param '%s': default '%s' is not a valid %s%s"), p->id,
                  p->def, psimp_param_type_name (p),
                  (p->has_min || p->has_max) ? psim_gettext (c->lang, " within min/max") : "");
    }
}

/* ---- cost model ----------------------------------------------------------- */

static void
check_figure (Check *c, const char *elem, PsimFigureSlot *slot)
{
  if (slot->line == 0)
    return;
  Owner owner = { "cost-model", elem };
  check_provenance (c, owner, elem, slot->f.basis, &slot->source, slot->line);
  slot->f.source = slot->source.target;
}

static void
check_cost_model (Check *c)
{
  PsimProcedure *p = c->proc;
  check_figure (c, "tariff", &p->tariff);
  check_figure (c, "travel", &p->travel);
  check_figure (c, "volume", &p->volume);
  if (!p->has_base)
    return;
  guint line = p->base_value.line;
  gboolean has_param = p->base_param.id != NULL, has_value = p->base_value.set;
  if (has_param == has_value)
    {
      error_at (c, line,
                has_param
                    ? psim_gettext (c->lang, "<value-base> has both param and value; give one")
                    : psim_gettext (c->lang, "<value-base> needs either param or value"));
      p->base_value.set = FALSE;
      psim_ref_clear (&p->base_param);
      return;
    }
  if (has_value)
    {
      if (!p->base_basis_set)
        error_at (c, line,
                  psim_gettext (c->lang,
                                "<value-base> with a value needs a basis (sourced or estimated)"));
      else
        check_figure (c, "value-base", &p->base_value);
      if (p->base_value.f.value <= 0)
        error_at (c, line,
                  psim_gettext (c->lang,
                                "<value-base>: costs are stated as a share of the value, which "
                                "must be more than 0"));
      return;
    }
  Owner owner = { "cost-model", "value-base" };
  if (resolve (c, &p->base_param, p->param_index, owner, "param", psim_gettext (c->lang, "param")))
    {
      const PsimParam *param = p->base_param.target;
      if (param->type != PSIM_PARAM_NUMBER)
        error_at (c, line, psim_gettext (c->lang, "<value-base>: param '%s' is a %s, not a number"),
                  param->id, psim_param_type_to_string (param->type));
    }
}

/* ---- steps ---------------------------------------------------------------- */

static void
check_step (Check *c, PsimVariant *v, PsimNode *n)
{
  PsimProcedure *proc = c->proc;
  Owner owner = { "step", n->id };

  resolve (c, &n->actor, proc->actor_index, owner, "actor", psim_gettext (c->lang, "actor"));
  resolve (c, &n->party, proc->actor_index, owner, "with", psim_gettext (c->lang, "actor"));
  for (guint i = 0; i < n->inputs->len; i++)
    resolve (c, g_ptr_array_index (n->inputs, i), proc->document_index, owner, "input",
             psim_gettext (c->lang, "document"));
  for (guint i = 0; i < n->outputs->len; i++)
    resolve (c, g_ptr_array_index (n->outputs, i), proc->document_index, owner, "output",
             psim_gettext (c->lang, "document"));
  for (guint i = 0; i < n->legal->len; i++)
    resolve (c, &((PsimLegal *)g_ptr_array_index (n->legal, i))->law, proc->law_index, owner,
             "legal", psim_gettext (c->lang, "law"));
  resolve (c, &n->time_limit_law, proc->law_index, owner, "time-limit law",
           psim_gettext (c->lang, "law"));
  check_slot (c, owner, "duration", &n->duration);
  check_slot (c, owner, "effort", &n->effort);
  check_slot (c, owner, "time-limit", &n->time_limit);
  for (guint i = 0; i < n->fees->len; i++)
    {
      PsimFee *fee = g_ptr_array_index (n->fees, i);
      resolve (c, &fee->payer, proc->actor_index, owner, "payer", psim_gettext (c->lang, "actor"));
      check_provenance (c, owner, "fee", fee->basis, &fee->source, fee->line);
      if (c->first_fee == NULL)
        c->first_fee = fee;
      else if (strcmp (fee->currency, c->first_fee->currency) != 0)
        {
          g_autofree char *who = owner_text (owner);
          error_at (
              c, fee->line,
              psim_gettext (c->lang,
                            "%s: fee in %s, but the fee at line %u is in %s; totals cannot add "
                            "different currencies"),
              who, fee->currency, c->first_fee->line, c->first_fee->currency);
        }
    }

  /* Derived attributes: an interaction is the applicant dealing with an
   * external party; an exchange between agencies is not one, and neither is
   * the applicant acting alone. */
  const PsimActor *party = n->party.target != NULL ? n->party.target : n->actor.target;
  gboolean party_is_applicant = party != NULL && party->kind == PSIM_ACTOR_APPLICANT;
  n->interaction = n->interaction_attr >= 0
                     ? n->interaction_attr
                     : (n->channel != PSIM_CHANNEL_INTER_AGENCY && !party_is_applicant);
  n->visit = n->visit_attr >= 0
               ? n->visit_attr
               : (n->channel == PSIM_CHANNEL_IN_PERSON && n->interaction);
  n->dossier_paper = n->dossier_attr >= 0 ? n->dossier_attr
                                           : (n->channel == PSIM_CHANNEL_IN_PERSON
                                              || n->channel == PSIM_CHANNEL_POST);
  /* An input is fetched when the file says so, or when it is held in a
   * national database and the applicant takes no part in the step (an
   * office looks it up). */
  gboolean applicant_part = n->interaction || party_is_applicant
                            || (n->actor.target != NULL
                                && ((const PsimActor *) n->actor.target)->kind
                                     == PSIM_ACTOR_APPLICANT);
  g_array_set_size (n->input_fetched, n->inputs->len);
  for (guint i = 0; i < n->inputs->len; i++)
    {
      const PsimRef *ref = g_ptr_array_index (n->inputs, i);
      const PsimDocument *doc = ref->target;
      int written = g_array_index (n->input_fetched_attr, int, i);
      if (written == 1 && doc != NULL && !doc->national_db)
        error_at (c, ref->line,
                  psim_gettext (c->lang,
                                "step '%s': input '%s' is marked fetched=\"true\", but document "
                                "'%s' is not held in a national database (national-db=\"true\")"),
                  n->id, doc->id, doc->id);
      g_array_index (n->input_fetched, gboolean, i)
          = written >= 0 ? written == 1 : doc != NULL && doc->national_db && !applicant_part;
    }
  if (n->visit && !n->interaction)
    warning_at (c, n->line,
                psim_gettext (c->lang, "step '%s' is a visit but not an applicant interaction"),
                n->id);
  if (n->visit && n->channel != PSIM_CHANNEL_IN_PERSON)
    warning_at (c, n->line, psim_gettext (c->lang, "step '%s' is a visit but its channel is %s"),
                n->id, psim_channel_to_string (n->channel));

  if (n->replaces->len > 0 && v->baseline.id == NULL)
    error_at (c, n->line,
              psim_gettext (c->lang, "step '%s' has replaces but variant '%s' names no baseline"),
              n->id, v->id);
  const PsimVariant *base = v->baseline.target;
  for (guint i = 0; base != NULL && i < n->replaces->len; i++)
    {
      PsimRef *r = g_ptr_array_index (n->replaces, i);
      const PsimNode *old = g_hash_table_lookup (base->node_index, r->id);
      if (old == NULL || old->kind != PSIM_NODE_STEP)
        error_at (
            c, r->line,
            psim_gettext (c->lang, "step '%s': replaces '%s', which is not a step of variant '%s'"),
            n->id, r->id, base->id);
      r->target = old != NULL && old->kind == PSIM_NODE_STEP ? old : NULL;
    }
}

static void
check_choice (Check *c, PsimNode *n)
{
  guint with_p = 0, without_when = 0, last_default = 0, second_default_line = 0;
  double sum = 0;
  for (guint i = 0; i < n->branches->len; i++)
    {
      PsimBranch *b = g_ptr_array_index (n->branches, i);
      if (b->has_probability)
        {
          with_p++;
          sum += b->probability;
        }
      if (b->when == NULL && !b->when_invalid)
        {
          if (++without_when == 2)
            second_default_line = b->line;
          last_default = i;
        }
    }
  guint n_branches = n->branches->len;
  if (with_p > 0 && with_p < n_branches)
    error_at (c, n->line,
              psim_gettext (
                  c->lang,
                  "choice '%s': probability is given on %u of %u branches; give it on all or none"),
              n->id, with_p, n_branches);
  else if (with_p > 0 && fabs (sum - 1.0) > 1e-6)
    error_at (c, n->line,
              psim_gettext (c->lang, "choice '%s': branch probabilities sum to %g, not 1"), n->id,
              sum);
  if (without_when == n_branches && with_p == 0)
    error_at (
        c, n->line,
        psim_gettext (
            c->lang,
            "choice '%s' has neither conditions nor probabilities: nothing decides the branch"),
        n->id);
  else if (without_when < n_branches && without_when > 1)
    error_at (
        c, second_default_line,
        psim_gettext (
            c->lang,
            "choice '%s' has %u branches without a condition; at most one may be the default"),
        n->id, without_when);
  else if (without_when == 1 && last_default != n_branches - 1)
    warning_at (
        c, n->line,
        psim_gettext (c->lang,
                      "choice '%s': the default branch (without condition) is not the last one"),
        n->id);
}

/* How many failing splits get an example path in their message: finding
 * one walks the split's region, and a crafted file could have thousands. */
#define MAX_EXPLAINED_SPLITS 16

/* A split is well formed when its join post-dominates it: every path from
 * the split to an end passes the join. Asked only when every node reaches
 * an end. */
static void
check_split (Check *c, PsimNode *n, const PsimpPostDom *pd, guint *explained)
{
  const PsimNode *join = n->join.target;
  if (psimp_postdominates (pd, join, n))
    return;
  for (guint i = 0; i < n->branches->len; i++)
    {
      const PsimBranch *b = g_ptr_array_index (n->branches, i);
      if (psimp_postdominates (pd, join, b->to.target) || b->to.target == join)
        continue;
      const PsimNode *end = NULL;
      if (*explained < MAX_EXPLAINED_SPLITS)
        {
          g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
          end = psimp_graph_end_before_join (b->to.target, join, seen);
          ++*explained;
        }
      if (end != NULL)
        error_at (
            c, b->line,
            psim_gettext (c->lang,
                          "split '%s' has no matching join: its branch to '%s' reaches end '%s' "
                          "without passing join '%s'"),
            n->id, b->to.id, end->id, join->id);
      else
        error_at (
            c, b->line,
            psim_gettext (c->lang,
                          "split '%s' has no matching join: its branch to '%s' can reach an end "
                          "without passing join '%s'"),
            n->id, b->to.id, join->id);
    }
}

static void
check_expr_vars (Check *c, const PsimExpr *e, guint line, Owner owner)
{
  for (const char *const *v = psim_expr_get_variables (e); *v != NULL; v++)
    if (g_hash_table_lookup (c->proc->param_index, *v) == NULL)
      {
        g_autofree char *who = owner_text (owner);
        g_autofree char *source = psim_excerpt (psim_expr_get_source (e), 200);
        g_autofree char *name = psim_excerpt (*v, 80);
        error_at (c, line,
                  psim_gettext (c->lang, "%s: expression \"%s\" names unknown case data '$%s'"),
                  who, source, name);
      }
}

/* A node reference of a limit: declared in the variant, and a step (or,
 * for where a count starts, the start node). */
static void
resolve_limit_node (Check *c, PsimVariant *v, PsimRef *ref, Owner owner, const char *field,
                    gboolean start_ok)
{
  if (!resolve (c, ref, v->node_index, owner, field,
                psim_gettext (c->lang, "node of this variant")))
    return;
  const PsimNode *n = ref->target;
  if (n == NULL || n->kind == PSIM_NODE_STEP || (start_ok && n->kind == PSIM_NODE_START))
    return;
  g_autofree char *who = owner_text (owner);
  error_at (c, ref->line,
            start_ok ? psim_gettext (c->lang, "%s: %s '%s' is a %s, not a step or the start")
                     : psim_gettext (c->lang, "%s: %s '%s' is a %s, not a step"),
            who, field, ref->id, psim_node_kind_to_string (n->kind));
  ref->target = NULL;
}

/* The variant's <time-limit> and <duty>s: their references, provenance,
 * conditions and cut-off. */
static void
check_limit (Check *c, PsimVariant *v, PsimLimit *l)
{
  Owner owner = l->duty ? (Owner) { "duty", l->id } : (Owner) { "time-limit of variant", v->id };
  resolve (c, &l->law, c->proc->law_index, owner, "law", psim_gettext (c->lang, "law"));
  check_slot (c, owner, l->duty ? "duty" : "time-limit", &l->q);
  resolve_limit_node (c, v, &l->from, owner, "from", TRUE);
  resolve_limit_node (c, v, &l->by, owner, "by", FALSE);
  for (guint i = 0; i < l->cases->len; i++)
    {
      PsimLimitCase *lc = g_ptr_array_index (l->cases, i);
      resolve_limit_node (c, v, &lc->step, owner, "when step", FALSE);
      if (lc->test != NULL)
        check_expr_vars (c, lc->test, lc->line, owner);
      if (lc->step.id == NULL && lc->test == NULL)
        {
          g_autofree char *who = owner_text (owner);
          error_at (c, lc->line, psim_gettext (c->lang, "%s: <when> needs a step, a test or both"),
                    who);
        }
    }
  if (l->filed.id != NULL
      && resolve (c, &l->filed, c->proc->param_index, owner, "filed",
                  psim_gettext (c->lang, "param")))
    {
      const PsimParam *p = l->filed.target;
      g_autofree char *who = owner_text (owner);
      if (p->type != PSIM_PARAM_NUMBER)
        error_at (c, l->filed.line,
                  psim_gettext (c->lang,
                                "%s: filed '%s' must be a number param (the hour of filing, "
                                "15.5 for 15:30)"),
                  who, p->id);
      else if (l->cut_off < 0)
        error_at (c, l->filed.line,
                  psim_gettext (c->lang, "%s: filed '%s' is given without a cut-off"), who, p->id);
    }
}

static void
check_limits (Check *c, PsimVariant *v)
{
  if (v->time_limit != NULL)
    check_limit (c, v, v->time_limit);
  g_autoptr (GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < v->duties->len; i++)
    {
      PsimLimit *l = g_ptr_array_index (v->duties, i);
      const PsimLimit *first = l->id != NULL ? g_hash_table_lookup (ids, l->id) : NULL;
      if (first != NULL)
        error_at (c, l->line,
                  psim_gettext (c->lang,
                                "variant '%s': duplicate duty id '%s' (first declared at line %u)"),
                  v->id, l->id, first->line);
      else if (l->id != NULL)
        g_hash_table_insert (ids, l->id, l);
      check_limit (c, v, l);
    }
}

static void
check_variant (Check *c, PsimVariant *v)
{
  PsimProcedure *proc = c->proc;
  Owner vowner = { "variant", v->id };

  resolve (c, &v->baseline, proc->variant_index, vowner, "baseline",
           psim_gettext (c->lang, "variant"));
  if (v->baseline.target == v)
    {
      error_at (c, v->line, psim_gettext (c->lang, "variant '%s' names itself as its baseline"),
                v->id);
      v->baseline.target = NULL;
    }

  /* Node ids, the start, implicit successors. Errors in the flow itself
   * (flow_errors) make the graph-wide checks below meaningless: they would
   * only report the consequences of the error already reported. */
  guint flow_errors = psim_diagnostics_count_errors (c->diags);
  const PsimNode *start = NULL;
  for (guint i = 0; i < v->nodes->len; i++)
    {
      PsimNode *n = g_ptr_array_index (v->nodes, i);
      n->index = i;
      PsimNode *first = g_hash_table_lookup (v->node_index, n->id);
      /* Two <start/> share the default id: "a second <start>" says it. */
      gboolean both_starts = first != NULL && first->kind == PSIM_NODE_START
                             && n->kind == PSIM_NODE_START;
      if (first != NULL && !both_starts)
        error_at (
            c, n->line,
            psim_gettext (c->lang, "variant '%s': duplicate node id '%s' (first used at line %u)"),
            v->id, n->id, first->line);
      else if (first == NULL)
        g_hash_table_insert (v->node_index, n->id, n);
      if (n->kind == PSIM_NODE_START)
        {
          if (start != NULL)
            error_at (c, n->line,
                      psim_gettext (c->lang,
                                    "variant '%s' has a second <start> (the first is at line %u)"),
                      v->id, start->line);
          else
            start = n;
        }
      if (n->kind == PSIM_NODE_STEP)
        v->n_steps++;
    }
  v->start = start;
  if (start == NULL)
    error_at (c, v->line, psim_gettext (c->lang, "variant '%s' has no <start>"), v->id);

  /* The flow: successors, branch targets, joins. (Owner names are only
   * formatted for a message: these loops run for every node.) */
  for (guint i = 0; i < v->nodes->len; i++)
    {
      PsimNode *n = g_ptr_array_index (v->nodes, i);
      Owner owner = { psim_node_kind_to_string (n->kind), n->id };
      if (n->kind == PSIM_NODE_START || n->kind == PSIM_NODE_STEP || n->kind == PSIM_NODE_JOIN)
        {
          if (n->next.id != NULL)
            resolve (c, &n->next, v->node_index, owner, "next",
                     psim_gettext (c->lang, "node of this variant"));
          else if (i + 1 < v->nodes->len)
            n->next.target = g_ptr_array_index (v->nodes, i + 1);
          else
            {
              g_autofree char *who = owner_text (owner);
              error_at (c, n->line,
                        psim_gettext (c->lang,
                                      "%s has no successor: it is the last node of <process>; "
                                      "add an <end/> or a next attribute"),
                        who);
            }
        }
      for (guint j = 0; j < n->branches->len; j++)
        resolve (c, &((PsimBranch *)g_ptr_array_index (n->branches, j))->to, v->node_index, owner,
                 "branch to", psim_gettext (c->lang, "node of this variant"));
      if (n->kind == PSIM_NODE_SPLIT
          && resolve (c, &n->join, v->node_index, owner, "join",
                      psim_gettext (c->lang, "node of this variant")))
        {
          const PsimNode *join = n->join.target;
          if (join != NULL && join->kind != PSIM_NODE_JOIN)
            {
              error_at (c, n->line,
                        psim_gettext (c->lang, "split '%s': join '%s' is a %s, not a <join>"),
                        n->id, join->id, psim_node_kind_to_string (join->kind));
              n->join.target = NULL;
            }
        }
    }
  flow_errors = psim_diagnostics_count_errors (c->diags) - flow_errors;

  /* What each node says, whatever the flow. */
  for (guint i = 0; i < v->nodes->len; i++)
    {
      PsimNode *n = g_ptr_array_index (v->nodes, i);
      Owner owner = { psim_node_kind_to_string (n->kind), n->id };
      for (guint j = 0; j < n->branches->len; j++)
        {
          PsimBranch *b = g_ptr_array_index (n->branches, j);
          if (b->when != NULL)
            check_expr_vars (c, b->when, b->line, owner);
        }
      if (n->kind == PSIM_NODE_CHOICE)
        check_choice (c, n);
      if (n->kind != PSIM_NODE_STEP)
        continue;
      check_step (c, v, n);
      for (guint j = 0; j < n->fees->len; j++)
        {
          PsimFee *fee = g_ptr_array_index (n->fees, j);
          if (fee->expr != NULL)
            check_expr_vars (c, fee->expr, fee->line, owner);
        }
    }

  check_limits (c, v);

  /* The graph as a whole: meaningless on a broken flow, where it would
   * only report consequences of the errors already reported. */
  if (flow_errors > 0 || start == NULL)
    return;
  g_autoptr (GHashTable) owned_joins = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < v->nodes->len; i++)
    {
      PsimNode *n = g_ptr_array_index (v->nodes, i);
      if (n->kind == PSIM_NODE_SPLIT)
        g_hash_table_add (owned_joins, (gpointer) n->join.target);
    }
  for (guint i = 0; i < v->nodes->len; i++)
    {
      PsimNode *n = g_ptr_array_index (v->nodes, i);
      if (n->kind == PSIM_NODE_JOIN && !g_hash_table_contains (owned_joins, n))
        error_at (c, n->line, psim_gettext (c->lang, "join '%s' is not the join of any split"),
                  n->id);
    }

  guint errors_before = psim_diagnostics_count_errors (c->diags);
  g_autoptr (GHashTable) reached = g_hash_table_new (NULL, NULL);
  g_autoptr (GHashTable) finishing = g_hash_table_new (NULL, NULL);
  psimp_graph_mark_forward (start, reached);
  psimp_graph_mark_backward_from_ends (v, finishing);
  for (guint i = 0; i < v->nodes->len; i++)
    {
      const PsimNode *n = g_ptr_array_index (v->nodes, i);
      const char *kind = psim_node_kind_to_string (n->kind);
      if (!g_hash_table_contains (reached, n))
        error_at (c, n->line,
                  psim_gettext (c->lang, "%s '%s' is unreachable from the start of variant '%s'"),
                  kind, n->id, v->id);
      else if (!g_hash_table_contains (finishing, n))
        error_at (c, n->line,
                  psim_gettext (c->lang, "no end is reachable from %s '%s' in variant '%s'"), kind,
                  n->id, v->id);
    }

  /* Split/join pairing needs every node to reach an end. */
  if (psim_diagnostics_count_errors (c->diags) > errors_before)
    return;
  PsimpPostDom *pd = psimp_postdom_new (v);
  guint explained = 0;
  for (guint i = 0; i < v->nodes->len; i++)
    {
      PsimNode *n = g_ptr_array_index (v->nodes, i);
      if (n->kind == PSIM_NODE_SPLIT)
        check_split (c, n, pd, &explained);
    }
  psimp_postdom_free (pd);
}

/* Every expression must evaluate with the defaults: XPath accepts calls to
 * functions that do not exist until it runs them. */
static void
check_evaluation (Check *c)
{
  g_autoptr (PsimCase) pcase = psim_case_new (c->proc);
  /* Expressions are shared between the places that repeat a formula, and
   * evaluate to the same with the same case: once each is enough. */
  g_autoptr (GHashTable) done = g_hash_table_new (NULL, NULL);
  for (guint vi = 0; vi < c->proc->variants->len; vi++)
    {
      PsimVariant *v = g_ptr_array_index (c->proc->variants, vi);
      for (guint i = 0; i < v->nodes->len; i++)
        {
          PsimNode *n = g_ptr_array_index (v->nodes, i);
          g_autoptr (GError) error = NULL;
          for (guint j = 0; j < n->fees->len; j++)
            {
              PsimFee *fee = g_ptr_array_index (n->fees, j);
              double amount;
              if (fee->expr != NULL && g_hash_table_add (done, fee->expr)
                  && !psim_case_eval_fee (pcase, fee, &amount, &error))
                {
                  error_at (c, fee->line, psim_gettext (c->lang, "step '%s': %s"), n->id,
                            error->message);
                  g_clear_error (&error);
                }
            }
          for (guint j = 0; n->kind == PSIM_NODE_CHOICE && j < n->branches->len; j++)
            {
              PsimBranch *b = g_ptr_array_index (n->branches, j);
              gboolean holds;
              if (b->when != NULL && g_hash_table_add (done, b->when)
                  && !psim_case_eval_branch (pcase, n, j, &holds, &error))
                {
                  error_at (c, b->line, psim_gettext (c->lang, "choice '%s': %s"), n->id,
                            error->message);
                  g_clear_error (&error);
                }
            }
        }
    }
}

void
psim_check_procedure (PsimProcedure *proc, PsimExprContext *expr, const char *lang,
                      GPtrArray *diags)
{
  Check c = { .proc = proc, .expr = expr, .diags = diags, .lang = lang };
  guint errors_before = psim_diagnostics_count_errors (diags);

  index_all (&c, proc->sources, proc->source_index, "source");
  index_all (&c, proc->laws, proc->law_index, "law");
  index_all (&c, proc->params, proc->param_index, "param");
  index_all (&c, proc->actors, proc->actor_index, "actor");
  index_all (&c, proc->documents, proc->document_index, "document");
  index_all (&c, proc->variants, proc->variant_index, "variant");

  for (guint i = 0; i < proc->laws->len; i++)
    {
      PsimLaw *law = g_ptr_array_index (proc->laws, i);
      Owner owner = { "law", law->id };
      resolve (&c, &law->source, proc->source_index, owner, "source",
               psim_gettext (lang, "source"));
    }
  check_params (&c);
  check_cost_model (&c);
  for (guint i = 0; i < proc->variants->len; i++)
    check_variant (&c, g_ptr_array_index (proc->variants, i));

  /* Evaluating needs sound declarations; otherwise it would only repeat
   * what is already reported. So does following the documents. */
  if (psim_diagnostics_count_errors (diags) == errors_before)
    {
      psimp_check_documents (proc, lang, diags);
      check_evaluation (&c);
    }
  /* Following cases needs expressions that evaluate. */
  if (psim_diagnostics_count_errors (diags) == errors_before)
    psimp_check_cases (proc, lang, diags);
}
