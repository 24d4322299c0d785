/* psim-path-text.c — the path of one case through a variant as text for
 * people (what `procsim show` prints): each step with its actor, channel,
 * interaction, visit, duration and the fees computed for the case, the
 * choices taken and why, then the totals; wrapped at 80 columns.
 */
#include "psim-private.h"

#include <math.h>
#include <string.h>

const char *
psimp_channel_label (PsimChannel c, const char *lang)
{
  switch (c)
    {
    case PSIM_CHANNEL_IN_PERSON: return psim_gettext (lang, "in person");
    case PSIM_CHANNEL_ONLINE: return psim_gettext (lang, "online");
    case PSIM_CHANNEL_POST: return psim_gettext (lang, "by post");
    case PSIM_CHANNEL_INTER_AGENCY: return psim_gettext (lang, "inter-agency exchange");
    default: return "?";
    }
}

const char *
psimp_fee_kind_label (PsimFeeKind k, const char *lang)
{
  switch (k)
    {
    case PSIM_FEE_TAX: return psim_gettext (lang, "tax");
    case PSIM_FEE_FEE: return psim_gettext (lang, "official fee");
    case PSIM_FEE_SERVICE: return psim_gettext (lang, "service charge");
    default: return "?";
    }
}

/* "estimated", or "source: ID" for a sourced figure. (transfer full) */
static char *
basis_label (PsimBasis b, const PsimSource *source, const char *lang)
{
  if (b == PSIM_BASIS_SOURCED && source != NULL)
    return g_strdup_printf (psim_gettext (lang, "source: %s"), psim_source_get_id (source));
  return g_strdup (psim_gettext (lang, "estimated"));
}

static void
append_case (GString *out, const PsimpPathView *s)
{
  g_autofree char *line = psim_format_case (s->pcase, s->lang);
  g_string_append_printf (out, "%s\n", line);
}

char *
psimp_documents_text (const PsimNode *n, gboolean inputs, const char *lang)
{
  guint count = inputs ? psim_step_get_n_inputs (n) : psim_step_get_n_outputs (n);
  g_autoptr (GString) s = g_string_new (NULL);
  for (guint i = 0; i < count; i++)
    {
      const PsimDocument *d = inputs ? psim_step_get_input (n, i) : psim_step_get_output (n, i);
      g_string_append_printf (s, "%s%s", i > 0 ? ", " : "", psim_document_get_name (d, lang));
      if (inputs && psim_step_input_is_fetched (n, i))
        g_string_append_printf (s, " (%s)",
                                psim_gettext (lang, "fetched from a national database"));
      else if (psim_document_get_national_db (d))
        g_string_append_printf (s, " (%s)", psim_gettext (lang, "held in a national database"));
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* What the file says about the step beyond its figures: the documents in
 * and out, its legal basis, the instructions and the note. */
static void
append_facts (GString *out, const PsimpPathView *s, const PsimNode *n)
{
  const char *lang = s->lang;
  if (psim_step_get_n_inputs (n) > 0)
    {
      g_autofree char *docs = psimp_documents_text (n, TRUE, lang);
      g_string_append_printf (out, "   %s %s\n", psim_gettext (lang, "Documents in:"), docs);
    }
  if (psim_step_get_n_outputs (n) > 0)
    {
      g_autofree char *docs = psimp_documents_text (n, FALSE, lang);
      g_string_append_printf (out, "   %s %s\n", psim_gettext (lang, "Documents out:"), docs);
    }
  for (guint i = 0; i < psim_step_get_n_legal (n); i++)
    {
      const char *article = NULL;
      const PsimLaw *law = psim_step_get_legal (n, i, &article);
      g_string_append_printf (out, "   %s %s (%s)", psim_gettext (lang, "Legal basis:"),
                              psim_law_get_title (law, lang), psim_law_get_number (law));
      if (article != NULL)
        g_string_append_printf (out, psim_gettext (lang, ", article %s"), article);
      g_string_append_c (out, '\n');
    }
  const char *instructions = psim_step_get_instructions (n, lang);
  if (instructions != NULL)
    g_string_append_printf (out, "   %s %s\n", psim_gettext (lang, "Instructions:"), instructions);
  const char *note = psim_step_get_note (n, lang);
  if (note != NULL)
    g_string_append_printf (out, "   %s %s\n", psim_gettext (lang, "Note:"), note);
}

static void
append_step (GString *out, const PsimpPathView *s, guint k, guint pos)
{
  const PsimNode *n = psim_path_get_node (s->path, pos);
  const char *lang = s->lang;
  const PsimActor *actor = psim_step_get_actor (n);
  const PsimActor *party = psim_step_get_party (n);

  g_string_append_printf (out, "\n%u. %s [%s]\n", k, psim_node_get_name (n, lang),
                          psim_node_get_id (n));
  g_string_append_printf (out, "   %s %s · %s", psim_gettext (lang, "Actor:"), psim_actor_get_name (actor, lang),
                          psimp_channel_label (psim_step_get_channel (n), lang));
  if (psim_step_is_interaction (n))
    {
      g_string_append_printf (out, " · %s", psim_gettext (lang, "applicant interaction"));
      if (party != actor)
        g_string_append_printf (out, " (%s)", psim_actor_get_name (party, lang));
    }
  if (psim_step_is_visit (n))
    g_string_append_printf (out, " · %s", psim_gettext (lang, "visit"));
  g_string_append_c (out, '\n');

  const PsimQuantity *d = psim_step_get_duration (n);
  const PsimQuantity *e = psim_step_get_effort (n);
  if (d != NULL || e != NULL)
    {
      g_string_append (out, "  ");
      if (d != NULL)
        {
          g_autofree char *txt = psim_format_quantity (d, lang);
          g_autofree char *basis = basis_label (d->basis, d->source, lang);
          g_string_append_printf (out, " %s %s (%s)", psim_gettext (lang, "Duration:"), txt, basis);
        }
      if (e != NULL)
        {
          g_autofree char *txt = psim_format_quantity (e, lang);
          g_string_append_printf (out, "%s %s %s", d != NULL ? " ·" : "", psim_gettext (lang, "Applicant's time:"), txt);
        }
      g_string_append_c (out, '\n');
    }
  const PsimQuantity *tl = psim_step_get_time_limit (n);
  if (tl != NULL)
    {
      g_autofree char *txt = psim_format_quantity (tl, lang);
      const PsimLaw *law = psim_step_get_time_limit_law (n);
      g_string_append_printf (out, "   %s %s%s%s\n", psim_gettext (lang, "Legal time limit:"), txt,
                              law ? ", " : "", law ? psim_law_get_number (law) : "");
    }

  guint n_fees = 0;
  const double *amounts = psim_path_get_fees (s->path, pos, &n_fees);
  for (guint i = 0; i < n_fees; i++)
    {
      const PsimFee *fee = psim_step_get_fee (n, i);
      g_autofree char *amount = psim_format_amount (amounts[i], lang);
      g_autofree char *basis = basis_label (psim_fee_get_basis (fee), psim_fee_get_source (fee), lang);
      g_string_append_printf (out, "   %s %s: %s %s (%s, %s)\n", psim_gettext (lang, "Fee:"),
                              psim_fee_get_name (fee, lang), amount, psim_fee_get_currency (fee),
                              psimp_fee_kind_label (psim_fee_get_kind (fee), lang), basis);
    }
  append_facts (out, s, n);
  guint n_rep = psim_step_get_n_replaces (n);
  if (n_rep > 0)
    {
      g_string_append_printf (out, "   %s", psim_gettext (lang, "Replaces:"));
      for (guint i = 0; i < n_rep; i++)
        g_string_append_printf (out, "%s %s", i > 0 ? "," : "",
                                psim_node_get_id (psim_step_get_replaces (n, i)));
      g_string_append_c (out, '\n');
    }
}

static void
append_choice (GString *out, const PsimpPathView *s, guint pos)
{
  const PsimNode *n = psim_path_get_node (s->path, pos);
  guint b = (guint) psim_path_get_branch (s->path, pos);
  const char *lang = s->lang;
  const char *name = psim_node_get_name (n, s->lang);
  const char *label = psim_node_get_branch_label (n, b, s->lang);
  const char *cond = psim_node_get_branch_condition (n, b);
  double p = 0;

  g_string_append_printf (out, "\n   ↳ %s → %s", name != NULL ? name : psim_node_get_id (n),
                          psim_node_get_id (psim_node_get_successor (n, b)));
  if (label != NULL)
    g_string_append_printf (out, ": %s", label);
  if (cond != NULL)
    g_string_append_printf (out, psim_gettext (lang, " (%s holds)"), cond);
  else if (psim_path_get_branch_set (s->path, pos))
    {
      g_autofree char *pt = psim_node_get_branch_probability (n, b, &p)
                                ? psim_format_decimal (p, s->lang) : g_strdup ("—");
      g_string_append_printf (out, psim_gettext (lang, " (the branch followed for this case, p = %s)"), pt);
    }
  else if (psim_node_get_branch_probability (n, b, &p))
    {
      g_autofree char *pt = psim_format_decimal (p, s->lang);
      g_string_append_printf (out, psim_gettext (lang, " (most likely, p = %s)"), pt);
    }
  else
    g_string_append (out, psim_gettext (lang, " (default branch)"));
  g_string_append_c (out, '\n');
}

static char *
elapsed_text (const PsimElapsed *e, const char *lang)
{
  g_autoptr (GString) s = g_string_new (NULL);
  const struct { double v; PsimTimeUnit u; } parts[] = {
    { e->working_days, PSIM_UNIT_WORKING_DAYS },
    { e->calendar_days, PSIM_UNIT_CALENDAR_DAYS },
    { e->hours, PSIM_UNIT_HOURS },
  };
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (parts[i].v > 0)
      {
        g_autofree char *t = psim_format_units (parts[i].v, parts[i].u, lang);
        g_string_append_printf (s, "%s%s", s->len > 0 ? " + " : "", t);
      }
  if (s->len == 0)
    g_string_append (s, "0");
  return g_string_free (g_steal_pointer (&s), FALSE);
}

char *
psim_path_to_text (const PsimPath *path, const PsimCase *pcase, const char *lang)
{
  g_return_val_if_fail (path != NULL && pcase != NULL, NULL);
  PsimpPathView show;
  psimp_path_view_init (&show, path, pcase, lang);
  const PsimpPathView *s = &show;
  lang = s->lang;
  GString *out = g_string_new (NULL);
  g_string_append_printf (out, "%s\n%s: %s [%s]\n", psim_procedure_get_title (s->proc, lang),
                          psim_gettext (lang, "Variant"), psim_variant_get_title (s->variant, lang),
                          psim_variant_get_id (s->variant));
  append_case (out, s);

  guint k = 0;
  for (guint i = 0; i < psim_path_get_n_nodes (s->path); i++)
    {
      PsimNodeKind kind = psim_node_get_kind (psim_path_get_node (s->path, i));
      if (kind == PSIM_NODE_STEP)
        append_step (out, s, ++k, i);
      else if (kind == PSIM_NODE_CHOICE)
        append_choice (out, s, i);
    }

  const PsimTotals *t = psim_path_get_totals (s->path);
  g_autofree char *elapsed = elapsed_text (&t->elapsed, lang);
  g_autofree char *effort = psim_format_units (t->effort_hours, PSIM_UNIT_HOURS, lang);
  g_autofree char *tax = psim_format_amount (t->fees[PSIM_FEE_TAX], lang);
  g_autofree char *fee = psim_format_amount (t->fees[PSIM_FEE_FEE], lang);
  g_autofree char *service = psim_format_amount (t->fees[PSIM_FEE_SERVICE], lang);
  g_autofree char *total = psim_format_amount (t->fees_total, lang);
  g_string_append_printf (out, "\n%s\n", psim_gettext (lang, "Totals"));
  g_string_append_printf (out, "   %s %u · %s %u · %s %u\n", psim_gettext (lang, "Steps:"), t->steps,
                          psim_gettext (lang, "applicant interactions:"), t->interactions, psim_gettext (lang, "visits:"), t->visits);
  g_string_append_printf (out, "   %s %s\n", psim_gettext (lang, "Elapsed (most likely):"), elapsed);
  g_string_append_printf (out, "   %s %s\n", psim_gettext (lang, "Applicant's own time:"), effort);
  g_string_append_printf (out, "   %s %s · %s %s · %s %s\n", psim_gettext (lang, "Taxes:"), tax,
                          psim_gettext (lang, "official fees:"), fee, psim_gettext (lang, "service charges:"), service);
  g_string_append_printf (out, "   %s %s %s\n", psim_gettext (lang, "Total paid:"), total,
                          psim_procedure_get_currency (s->proc));

  if (psim_path_get_n_limits (s->path) > 0)
    g_string_append_printf (out, "\n%s\n", psim_gettext (lang, "Legal time limits"));
  for (guint i = 0; i < psim_path_get_n_limits (s->path); i++)
    {
      g_autofree char *line = psim_limit_check_to_text (psim_path_get_limit (s->path, i), lang);
      g_string_append_printf (out, "   %s\n", line);
    }

  g_autoptr (GPtrArray) sources = psimp_path_collect_sources (s->path);
  if (sources->len > 0)
    g_string_append_printf (out, "\n%s\n", psim_gettext (lang, "Sources of the sourced figures"));
  for (guint i = 0; i < sources->len; i++)
    {
      const PsimSource *src = g_ptr_array_index (sources, i);
      const char *href = psim_source_get_href (src);
      g_string_append_printf (out, "   [%s] %s%s%s\n", psim_source_get_id (src),
                              psim_source_get_citation (src), href != NULL ? " · " : "",
                              href != NULL ? href : "");
    }
  /* Fits an 80-column terminal whatever the names in the file. */
  g_autofree char *text = g_string_free (out, FALSE);
  return psim_format_wrap (text, 80);
}

