/* psim-load-process.c — a variant's process read from SAX events: its
 * nodes (start, steps, choices, splits, joins, ends), a step's children
 * (texts, inputs and outputs, durations, effort, time limits, fees, legal
 * references) and the branches of choices and splits.
 *
 * Durations come as one value or a three-point range (min, likely, max),
 * or as a distribution the simulation reads (psim-sim-load.c). Formulas
 * (fee expressions, branch conditions) are compiled once per distinct
 * source text. Findings that only the XML shows (both a value and a range,
 * a VND amount written with a thousands point) are reported here, at the
 * element's line; references are left for psim-check.c to resolve.
 */
#include "psim-load-private.h"
#include "psim-sim-private.h"

#include <string.h>


static void
build_quantity (Builder *b, PsimQuantitySlot *slot, Attrs at, const char *elem, guint line,
                const Frame *owner, gboolean ranged)
{
  g_autofree char *what = NULL; /* described only for a message */
  const char *file = b->ld->file;
#define WHAT (what != NULL ? what : (what = psimp_load_describe (owner)))

  if (slot->set)
    {
      psim_diag_add (b->ld->diags, PSIM_SEVERITY_ERROR, file, line,
                     psim_gettext (b->ld->lang, "%s has more than one <%s>"), WHAT, elem);
      return;
    }
  slot->set = TRUE;
  slot->line = line;
  g_autofree char *unit = psimp_load_attr (at, "unit");
  g_autofree char *basis = psimp_load_attr (at, "basis");
  slot->q.unit = unit != NULL ? psim_enum_from_string (psim_time_unit_names, unit) : PSIM_UNIT_HOURS;
  slot->q.basis = psim_enum_from_string (psim_basis_names, basis);
  slot->source_id = psimp_load_attr (at, "source");

  g_autofree char *dist = ranged ? psimp_load_attr (at, "dist") : NULL;
  if (dist != NULL && owner->kind == F_NODE)
    {
      g_autoptr (GHashTable) attrs = psimp_load_attr_table (at);
      psim_sim_load_duration (b->proc, owner->object, slot, attrs, line, WHAT, b->ld->lang,
                              b->ld->diags, file);
      return;
    }
  g_autofree char *value = psimp_load_attr (at, ranged ? "value" : "hours");
  g_autofree char *min = ranged ? psimp_load_attr (at, "min") : NULL;
  g_autofree char *likely = ranged ? psimp_load_attr (at, "likely") : NULL;
  g_autofree char *max = ranged ? psimp_load_attr (at, "max") : NULL;
  gboolean any_range = min != NULL || likely != NULL || max != NULL;
  gboolean full_range = min != NULL && likely != NULL && max != NULL;

  if (value != NULL && any_range)
    {
      psim_diag_add (
          b->ld->diags, PSIM_SEVERITY_ERROR, file, line,
          psim_gettext (b->ld->lang,
                        "%s: <%s> has both value and min/likely/max; give one or the other"),
          WHAT, elem);
      return;
    }
  if (value != NULL)
    {
      double v = 0;
      psimp_load_parse_number (value, &v);
      slot->q.min = slot->q.likely = slot->q.max = v;
      return;
    }
  if (!full_range)
    {
      psim_diag_add (
          b->ld->diags, PSIM_SEVERITY_ERROR, file, line,
          psim_gettext (b->ld->lang, "%s: <%s> needs either value or all of min, likely and max"),
          WHAT, elem);
      return;
    }
  psimp_load_parse_number (min, &slot->q.min);
  psimp_load_parse_number (likely, &slot->q.likely);
  psimp_load_parse_number (max, &slot->q.max);
  if (slot->q.min > slot->q.likely || slot->q.likely > slot->q.max)
    psim_diag_add (
        b->ld->diags, PSIM_SEVERITY_ERROR, file, line,
        psim_gettext (b->ld->lang, "%s: <%s> must have min <= likely <= max (got %s, %s, %s)"),
        WHAT, elem, min, likely, max);
#undef WHAT
}

/* @what names the element in a message: "step 'L3': <fee>". */
static PsimExpr *
compile_expr (Builder *b, const char *src, guint line, const Frame *owner, const char *elem)
{
  if (src == NULL)
    return NULL;
  PsimExpr *expr = g_hash_table_lookup (b->exprs, src);
  if (expr != NULL)
    return psim_expr_ref (expr);
  g_autofree char *msg = NULL;
  expr = psim_expr_compile (b->expr, src, &msg);
  if (expr == NULL)
    {
      g_autofree char *who = psimp_load_describe (owner);
      g_autofree char *what
          = elem != NULL ? g_strdup_printf (psim_gettext (b->ld->lang, "%s: <%s>"), who, elem)
                         : g_strdup (who);
      psim_diag_add (b->ld->diags, PSIM_SEVERITY_ERROR, b->ld->file, line,
                     psim_gettext (b->ld->lang, "%s: expression \"%s\" does not compile: %s"), what,
                     src, msg);
      return NULL;
    }
  g_hash_table_insert (b->exprs, (gpointer) psim_expr_get_source (expr), expr);
  return expr;
}

static PsimFee *
build_fee (Builder *b, PsimNode *step, Attrs at, guint line, const Frame *owner)
{
  PsimFee *fee = psim_fee_new ();
  g_autofree char *what = NULL; /* described only for a message */
  g_autofree char *kind = psimp_load_attr (at, "kind");
  g_autofree char *basis = psimp_load_attr (at, "basis");
  g_autofree char *amount = psimp_load_attr (at, "amount");
  g_autofree char *expr = psimp_load_attr (at, "expr");

  fee->line = line;
  fee->kind = psim_enum_from_string (psim_fee_kind_names, kind);
  fee->basis = psim_enum_from_string (psim_basis_names, basis);
  fee->currency = psimp_load_attr (at, "currency");
  if (fee->currency == NULL)
    fee->currency = g_strdup (PSIM_DEFAULT_CURRENCY);
  psimp_load_set_ref (&fee->payer, at, "payer", line);
  psimp_load_set_ref (&fee->source, at, "source", line);

  if (amount != NULL && expr != NULL)
    psim_diag_add (b->ld->diags, PSIM_SEVERITY_ERROR, b->ld->file, line,
                   psim_gettext (b->ld->lang, "%s: <fee> has both amount and expr; give one"),
                   what = psimp_load_describe (owner));
  else if (amount == NULL && expr == NULL)
    psim_diag_add (b->ld->diags, PSIM_SEVERITY_ERROR, b->ld->file, line,
                   psim_gettext (b->ld->lang, "%s: <fee> has neither amount nor expr"),
                   what = psimp_load_describe (owner));
  else if (amount != NULL)
    {
      fee->has_amount = psimp_load_parse_number (amount, &fee->amount);
      /* "500.000" is how Vietnamese writes five hundred thousand; as an
       * XML decimal it is five hundred. VND has no minor unit, so a point
       * in a VND amount is almost certainly that mistake. */
      if (strcmp (fee->currency, "VND") == 0 && strchr (amount, '.') != NULL)
        psim_diag_add (
            b->ld->diags, PSIM_SEVERITY_WARNING, b->ld->file, line,
            psim_gettext (b->ld->lang,
                          "%s: <fee> amount=\"%s\" reads as %g VND; VND has no minor unit, "
                          "so write digits only (500000, not 500.000)"),
            what = psimp_load_describe (owner), amount, fee->amount);
    }
  else
    fee->expr = compile_expr (b, expr, line, owner, "fee");
  g_ptr_array_add (step->fees, fee);
  return fee;
}

PsimBranch *
psimp_load_branch_new (Builder *b, PsimNode *n, Attrs at, guint line, const Frame *owner)
{
  PsimBranch *br = psim_branch_new ();
  br->line = line;
  psimp_load_set_ref (&br->to, at, "to", line);
  g_autofree char *p = psimp_load_attr (at, "probability");
  br->has_probability = psimp_load_parse_number (p, &br->probability);
  g_autofree char *when = psimp_load_attr (at, "when");
  br->when = compile_expr (b, when, line, owner, NULL);
  br->when_invalid = br->when == NULL && when != NULL;
  g_ptr_array_add (n->branches, br);
  return br;
}

PsimNode *
psimp_load_node_new (Builder *b, PsimVariant *v, const char *name, Attrs at, guint line)
{
  PsimNodeKind kind = psim_enum_from_string (psim_node_kind_names, name);
  PsimNode *n = psim_node_new (v, kind);
  n->line = line;
  n->id = psimp_load_attr (at, "id");
  if (n->id == NULL)
    n->id = g_strdup (name); /* start and end default to their name */
  if (kind == PSIM_NODE_START || kind == PSIM_NODE_STEP || kind == PSIM_NODE_JOIN)
    psimp_load_set_ref (&n->next, at, "next", line);
  if (kind == PSIM_NODE_SPLIT)
    psimp_load_set_ref (&n->join, at, "join", line);
  if (kind == PSIM_NODE_STEP)
    {
      g_autofree char *channel = psimp_load_attr (at, "channel");
      g_autofree char *interaction = psimp_load_attr (at, "interaction");
      g_autofree char *visit = psimp_load_attr (at, "visit");
      g_autofree char *dossier = psimp_load_attr (at, "dossier");
      g_autofree char *replaces = psimp_load_attr (at, "replaces");
      psimp_load_set_ref (&n->actor, at, "actor", line);
      psimp_load_set_ref (&n->party, at, "with", line);
      n->channel = psim_enum_from_string (psim_channel_names, channel);
      n->interaction_attr = psimp_load_parse_boolean (interaction);
      n->visit_attr = psimp_load_parse_boolean (visit);
      n->dossier_attr = dossier == NULL ? -1 : strcmp (dossier, "paper") == 0;
      if (replaces != NULL)
        {
          g_auto (GStrv) ids = g_strsplit_set (replaces, " \t\r\n", -1);
          for (char **id = ids; *id != NULL; id++)
            if (**id != '\0')
              g_ptr_array_add (n->replaces, psim_ref_new (*id, line));
        }
    }
  g_ptr_array_add (v->nodes, n);
  return n;
}

/* What a child element of a step builds. */
Frame
psimp_load_step_child (Builder *b, Frame *parent, const char *name, Attrs at, guint line)
{
  PsimNode *n = parent->object;
  Frame f = { .kind = F_IGNORE };
  if (strcmp (name, "name") == 0)
    f = psimp_load_text_frame (b, n->names, at);
  else if (strcmp (name, "instructions") == 0)
    f = psimp_load_text_frame (b, n->instructions, at);
  else if (strcmp (name, "note") == 0)
    f = psimp_load_text_frame (b, n->notes, at);
  else if (strcmp (name, "input") == 0 || strcmp (name, "output") == 0)
    {
      g_autofree char *ref = psimp_load_attr (at, "ref");
      g_ptr_array_add (name[0] == 'i' ? n->inputs : n->outputs, psim_ref_new (ref, line));
      if (name[0] == 'i')
        {
          g_autofree char *fetched = psimp_load_attr (at, "fetched");
          int written = psimp_load_parse_boolean (fetched);
          g_array_append_val (n->input_fetched_attr, written);
        }
    }
  else if (strcmp (name, "duration") == 0)
    {
      gboolean first = !n->duration.set;
      build_quantity (b, &n->duration, at, name, line, parent, TRUE);
      g_autofree char *within = psimp_load_attr (at, "within-day");
      if (first && psimp_load_parse_boolean (within) == 1)
        {
          n->within_day = TRUE;
          /* Within the working day: hours, no more than a working day. */
          if (n->duration.q.unit != PSIM_UNIT_HOURS || n->duration.q.max > PSIM_HOURS_PER_DAY)
            {
              g_autofree char *who = psimp_load_describe (parent);
              psim_diag_add (b->ld->diags, PSIM_SEVERITY_ERROR, b->ld->file, line,
                             psim_gettext (b->ld->lang,
                                           "%s: <duration within-day=\"true\"> must be in hours "
                                           "and at most %d (one working day)"),
                             who, PSIM_HOURS_PER_DAY);
            }
        }
    }
  else if (strcmp (name, "effort") == 0)
    build_quantity (b, &n->effort, at, name, line, parent, FALSE);
  else if (strcmp (name, "time-limit") == 0)
    {
      build_quantity (b, &n->time_limit, at, name, line, parent, TRUE);
      if (n->time_limit_law.id == NULL)
        psimp_load_set_ref (&n->time_limit_law, at, "law", line);
    }
  else if (strcmp (name, "fee") == 0)
    f = (Frame) { .kind = F_FEE, .object = build_fee (b, n, at, line, parent) };
  else if (strcmp (name, "legal") == 0)
    {
      PsimLegal *l = psim_legal_new ();
      psimp_load_set_ref (&l->law, at, "ref", line);
      l->article = psimp_load_attr (at, "article");
      g_ptr_array_add (n->legal, l);
    }
  return f;
}

Frame
psimp_load_limit_frame (Builder *b, Frame *variant, const char *name, Attrs at, guint line)
{
  PsimVariant *v = variant->object;
  gboolean duty = strcmp (name, "duty") == 0;
  Frame f = { .kind = F_LIMIT };
  if (!duty && v->time_limit != NULL)
    {
      g_autofree char *who = psimp_load_describe (variant);
      psim_diag_add (b->ld->diags, PSIM_SEVERITY_ERROR, b->ld->file, line,
                     psim_gettext (b->ld->lang, "%s has more than one <%s> (the first is at line %u)"),
                     who, name, v->time_limit->line);
      return f;
    }
  PsimLimit *l = psim_limit_new (duty);
  l->line = line;
  l->id = psimp_load_attr (at, "id");
  if (duty)
    g_ptr_array_add (v->duties, l);
  else
    v->time_limit = l;
  f.object = l;
  build_quantity (b, &l->q, at, name, line, variant, TRUE);
  psimp_load_set_ref (&l->law, at, "law", line);
  psimp_load_set_ref (&l->from, at, "from", line);
  psimp_load_set_ref (&l->by, at, "by", line);
  psimp_load_set_ref (&l->filed, at, "filed", line);
  l->cut_off_text = psimp_load_attr (at, "cut-off");
  if (l->cut_off_text != NULL)
    l->cut_off = psimp_clock_hours (l->cut_off_text);
  return f;
}

Frame
psimp_load_limit_child (Builder *b, Frame *parent, const char *name, Attrs at, guint line)
{
  PsimLimit *l = parent->object;
  Frame f = { .kind = F_IGNORE };
  if (strcmp (name, "name") == 0)
    f = psimp_load_text_frame (b, l->names, at);
  else if (strcmp (name, "when") == 0)
    {
      PsimLimitCase *lc = psim_limit_case_new ();
      lc->line = line;
      psimp_load_set_ref (&lc->step, at, "step", line);
      g_autofree char *test = psimp_load_attr (at, "test");
      lc->test = compile_expr (b, test, line, parent, "when");
      g_autofree char *value = psimp_load_attr (at, "value");
      psimp_load_parse_number (value, &lc->value);
      g_ptr_array_add (l->cases, lc);
    }
  return f;
}
