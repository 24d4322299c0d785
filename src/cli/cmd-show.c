/* cmd-show.c — `procsim show FILE`: the steps one case takes through one
 * variant, with actor, channel, interaction, visit, duration and the fees
 * computed for the case, then the totals. Text for people, JSON (field
 * names documented in docs/cli.md) for programs.
 */
#include "cli.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct {
  const char *lang;
  PsimProcedure *proc;
  const PsimVariant *variant;
  PsimCase *pcase;
  PsimPath *path;
} Show;

/* ---- text ---------------------------------------------------------------- */

static const char *
channel_label (PsimChannel c)
{
  switch (c)
    {
    case PSIM_CHANNEL_IN_PERSON: return _("in person");
    case PSIM_CHANNEL_ONLINE: return _("online");
    case PSIM_CHANNEL_POST: return _("by post");
    case PSIM_CHANNEL_INTER_AGENCY: return _("inter-agency exchange");
    default: return "?";
    }
}

static const char *
fee_kind_label (PsimFeeKind k)
{
  switch (k)
    {
    case PSIM_FEE_TAX: return _("tax");
    case PSIM_FEE_FEE: return _("official fee");
    case PSIM_FEE_SERVICE: return _("service charge");
    default: return "?";
    }
}

/* "estimated", or "source: ID" for a sourced figure. (transfer full) */
static char *
basis_label (PsimBasis b, const PsimSource *source)
{
  if (b == PSIM_BASIS_SOURCED && source != NULL)
    return g_strdup_printf (_("source: %s"), psim_source_get_id (source));
  return g_strdup (_("estimated"));
}

static void
append_case (GString *out, const Show *s)
{
  g_autofree char *line = cli_case_line (s->proc, s->pcase, s->lang);
  g_string_append_printf (out, "%s\n", line);
}

static void
append_step (GString *out, const Show *s, guint k, guint pos)
{
  const PsimNode *n = psim_path_get_node (s->path, pos);
  const char *lang = s->lang;
  const PsimActor *actor = psim_step_get_actor (n);
  const PsimActor *party = psim_step_get_party (n);

  g_string_append_printf (out, "\n%u. %s [%s]\n", k, psim_node_get_name (n, lang),
                          psim_node_get_id (n));
  g_string_append_printf (out, "   %s %s · %s", _("Actor:"), psim_actor_get_name (actor, lang),
                          channel_label (psim_step_get_channel (n)));
  if (psim_step_is_interaction (n))
    {
      g_string_append_printf (out, " · %s", _("applicant interaction"));
      if (party != actor)
        g_string_append_printf (out, " (%s)", psim_actor_get_name (party, lang));
    }
  if (psim_step_is_visit (n))
    g_string_append_printf (out, " · %s", _("visit"));
  g_string_append_c (out, '\n');

  const PsimQuantity *d = psim_step_get_duration (n);
  const PsimQuantity *e = psim_step_get_effort (n);
  if (d != NULL || e != NULL)
    {
      g_string_append (out, "  ");
      if (d != NULL)
        {
          g_autofree char *txt = cli_format_quantity (d, lang);
          g_autofree char *basis = basis_label (d->basis, d->source);
          g_string_append_printf (out, " %s %s (%s)", _("Duration:"), txt, basis);
        }
      if (e != NULL)
        {
          g_autofree char *txt = cli_format_quantity (e, lang);
          g_string_append_printf (out, "%s %s %s", d != NULL ? " ·" : "", _("Applicant's time:"), txt);
        }
      g_string_append_c (out, '\n');
    }
  const PsimQuantity *tl = psim_step_get_time_limit (n);
  if (tl != NULL)
    {
      g_autofree char *txt = cli_format_quantity (tl, lang);
      const PsimLaw *law = psim_step_get_time_limit_law (n);
      g_string_append_printf (out, "   %s %s%s%s\n", _("Legal time limit:"), txt,
                              law ? ", " : "", law ? psim_law_get_number (law) : "");
    }

  guint n_fees = 0;
  const double *amounts = psim_path_get_fees (s->path, pos, &n_fees);
  for (guint i = 0; i < n_fees; i++)
    {
      const PsimFee *fee = psim_step_get_fee (n, i);
      g_autofree char *amount = psim_format_amount (amounts[i], lang);
      g_autofree char *basis = basis_label (psim_fee_get_basis (fee), psim_fee_get_source (fee));
      g_string_append_printf (out, "   %s %s: %s %s (%s, %s)\n", _("Fee:"),
                              psim_fee_get_name (fee, lang), amount, psim_fee_get_currency (fee),
                              fee_kind_label (psim_fee_get_kind (fee)), basis);
    }
  guint n_rep = psim_step_get_n_replaces (n);
  if (n_rep > 0)
    {
      g_string_append_printf (out, "   %s", _("Replaces:"));
      for (guint i = 0; i < n_rep; i++)
        g_string_append_printf (out, "%s %s", i > 0 ? "," : "",
                                psim_node_get_id (psim_step_get_replaces (n, i)));
      g_string_append_c (out, '\n');
    }
}

static void
append_choice (GString *out, const Show *s, guint pos)
{
  const PsimNode *n = psim_path_get_node (s->path, pos);
  guint b = (guint) psim_path_get_branch (s->path, pos);
  const char *name = psim_node_get_name (n, s->lang);
  const char *label = psim_node_get_branch_label (n, b, s->lang);
  const char *cond = psim_node_get_branch_condition (n, b);
  double p = 0;

  g_string_append_printf (out, "\n   ↳ %s → %s", name != NULL ? name : psim_node_get_id (n),
                          psim_node_get_id (psim_node_get_successor (n, b)));
  if (label != NULL)
    g_string_append_printf (out, ": %s", label);
  if (cond != NULL)
    g_string_append_printf (out, _(" (%s holds)"), cond);
  else if (psim_node_get_branch_probability (n, b, &p))
    {
      g_autofree char *pt = psim_format_decimal (p, s->lang);
      g_string_append_printf (out, _(" (most likely, p = %s)"), pt);
    }
  else
    g_string_append (out, _(" (default branch)"));
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
        g_autofree char *t = cli_format_units (parts[i].v, parts[i].u, lang);
        g_string_append_printf (s, "%s%s", s->len > 0 ? " + " : "", t);
      }
  if (s->len == 0)
    g_string_append (s, "0");
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static char *
show_text (const Show *s)
{
  const char *lang = s->lang;
  GString *out = g_string_new (NULL);
  g_string_append_printf (out, "%s\n%s: %s [%s]\n", psim_procedure_get_title (s->proc, lang),
                          _("Variant"), psim_variant_get_title (s->variant, lang),
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
  g_autofree char *effort = cli_format_units (t->effort_hours, PSIM_UNIT_HOURS, lang);
  g_autofree char *tax = psim_format_amount (t->fees[PSIM_FEE_TAX], lang);
  g_autofree char *fee = psim_format_amount (t->fees[PSIM_FEE_FEE], lang);
  g_autofree char *service = psim_format_amount (t->fees[PSIM_FEE_SERVICE], lang);
  g_autofree char *total = psim_format_amount (t->fees_total, lang);
  g_string_append_printf (out, "\n%s\n", _("Totals"));
  g_string_append_printf (out, "   %s %u · %s %u · %s %u\n", _("Steps:"), t->steps,
                          _("applicant interactions:"), t->interactions, _("visits:"), t->visits);
  g_string_append_printf (out, "   %s %s\n", _("Elapsed (most likely):"), elapsed);
  g_string_append_printf (out, "   %s %s\n", _("Applicant's own time:"), effort);
  g_string_append_printf (out, "   %s %s · %s %s · %s %s\n", _("Taxes:"), tax,
                          _("official fees:"), fee, _("service charges:"), service);
  g_string_append_printf (out, "   %s %s VND\n", _("Total paid:"), total);
  return g_string_free (out, FALSE);
}

/* ---- JSON ---------------------------------------------------------------- */

static void
add_quantity (JsonBuilder *b, const char *member, const PsimQuantity *q)
{
  json_builder_set_member_name (b, member);
  if (q == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  cli_json_add_string (b, "unit", psim_time_unit_to_string (q->unit));
  cli_json_add_number (b, "min", q->min);
  cli_json_add_number (b, "likely", q->likely);
  cli_json_add_number (b, "max", q->max);
  cli_json_add_string (b, "basis", psim_basis_to_string (q->basis));
  cli_json_add_string (b, "source", q->source ? psim_source_get_id (q->source) : NULL);
  json_builder_end_object (b);
}

static void
add_actor (JsonBuilder *b, const char *member, const PsimActor *a, const char *lang)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_object (b);
  cli_json_add_string (b, "id", psim_actor_get_id (a));
  cli_json_add_string (b, "name", psim_actor_get_name (a, lang));
  cli_json_add_string (b, "kind", psim_actor_kind_to_string (psim_actor_get_kind (a)));
  json_builder_end_object (b);
}

static void
add_step (JsonBuilder *b, const Show *s, guint k, guint pos)
{
  const PsimNode *n = psim_path_get_node (s->path, pos);
  const char *lang = s->lang;
  json_builder_begin_object (b);
  cli_json_add_number (b, "index", k);
  cli_json_add_string (b, "id", psim_node_get_id (n));
  cli_json_add_string (b, "name", psim_node_get_name (n, lang));
  add_actor (b, "actor", psim_step_get_actor (n), lang);
  add_actor (b, "party", psim_step_get_party (n), lang);
  cli_json_add_string (b, "channel", psim_channel_to_string (psim_step_get_channel (n)));
  json_builder_set_member_name (b, "interaction");
  json_builder_add_boolean_value (b, psim_step_is_interaction (n));
  json_builder_set_member_name (b, "visit");
  json_builder_add_boolean_value (b, psim_step_is_visit (n));
  add_quantity (b, "duration", psim_step_get_duration (n));
  add_quantity (b, "effort", psim_step_get_effort (n));
  add_quantity (b, "time_limit", psim_step_get_time_limit (n));

  json_builder_set_member_name (b, "fees");
  json_builder_begin_array (b);
  guint n_fees = 0;
  const double *amounts = psim_path_get_fees (s->path, pos, &n_fees);
  for (guint i = 0; i < n_fees; i++)
    {
      const PsimFee *fee = psim_step_get_fee (n, i);
      const PsimSource *src = psim_fee_get_source (fee);
      json_builder_begin_object (b);
      cli_json_add_string (b, "name", psim_fee_get_name (fee, lang));
      cli_json_add_string (b, "kind", psim_fee_kind_to_string (psim_fee_get_kind (fee)));
      cli_json_add_number (b, "amount", round (amounts[i]));
      cli_json_add_string (b, "currency", psim_fee_get_currency (fee));
      cli_json_add_string (b, "expression", psim_fee_get_expression (fee));
      cli_json_add_string (b, "basis", psim_basis_to_string (psim_fee_get_basis (fee)));
      cli_json_add_string (b, "source", src ? psim_source_get_id (src) : NULL);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "replaces");
  json_builder_begin_array (b);
  for (guint i = 0; i < psim_step_get_n_replaces (n); i++)
    json_builder_add_string_value (b, psim_node_get_id (psim_step_get_replaces (n, i)));
  json_builder_end_array (b);
  cli_json_add_string (b, "instructions", psim_step_get_instructions (n, lang));
  json_builder_end_object (b);
}

static char *
show_json (const Show *s)
{
  const char *lang = s->lang;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  cli_json_add_string (b, "lang", lang);

  json_builder_set_member_name (b, "procedure");
  json_builder_begin_object (b);
  cli_json_add_string (b, "id", psim_procedure_get_id (s->proc));
  cli_json_add_string (b, "title", psim_procedure_get_title (s->proc, lang));
  cli_json_add_string (b, "version", psim_procedure_get_version (s->proc));
  cli_json_add_string (b, "jurisdiction", psim_procedure_get_jurisdiction (s->proc));
  json_builder_end_object (b);

  json_builder_set_member_name (b, "variant");
  json_builder_begin_object (b);
  cli_json_add_string (b, "id", psim_variant_get_id (s->variant));
  cli_json_add_string (b, "title", psim_variant_get_title (s->variant, lang));
  json_builder_end_object (b);

  cli_json_add_case (b, s->proc, s->pcase);

  json_builder_set_member_name (b, "steps");
  json_builder_begin_array (b);
  guint k = 0;
  for (guint i = 0; i < psim_path_get_n_nodes (s->path); i++)
    if (psim_node_get_kind (psim_path_get_node (s->path, i)) == PSIM_NODE_STEP)
      add_step (b, s, ++k, i);
  json_builder_end_array (b);

  json_builder_set_member_name (b, "choices");
  json_builder_begin_array (b);
  for (guint i = 0; i < psim_path_get_n_nodes (s->path); i++)
    {
      const PsimNode *n = psim_path_get_node (s->path, i);
      if (psim_node_get_kind (n) != PSIM_NODE_CHOICE)
        continue;
      guint br = (guint) psim_path_get_branch (s->path, i);
      json_builder_begin_object (b);
      cli_json_add_string (b, "id", psim_node_get_id (n));
      cli_json_add_number (b, "branch", br);
      cli_json_add_string (b, "to", psim_node_get_id (psim_node_get_successor (n, br)));
      cli_json_add_string (b, "condition", psim_node_get_branch_condition (n, br));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  const PsimTotals *t = psim_path_get_totals (s->path);
  json_builder_set_member_name (b, "totals");
  json_builder_begin_object (b);
  cli_json_add_number (b, "steps", t->steps);
  cli_json_add_number (b, "interactions", t->interactions);
  cli_json_add_number (b, "visits", t->visits);
  json_builder_set_member_name (b, "elapsed");
  json_builder_begin_object (b);
  cli_json_add_number (b, "working_days", t->elapsed.working_days);
  cli_json_add_number (b, "calendar_days", t->elapsed.calendar_days);
  cli_json_add_number (b, "hours", t->elapsed.hours);
  json_builder_end_object (b);
  cli_json_add_number (b, "effort_hours", t->effort_hours);
  json_builder_set_member_name (b, "fees");
  json_builder_begin_object (b);
  cli_json_add_number (b, "tax", round (t->fees[PSIM_FEE_TAX]));
  cli_json_add_number (b, "fee", round (t->fees[PSIM_FEE_FEE]));
  cli_json_add_number (b, "service", round (t->fees[PSIM_FEE_SERVICE]));
  cli_json_add_number (b, "total", round (t->fees_total));
  json_builder_end_object (b);
  json_builder_end_object (b);

  json_builder_end_object (b);
  return cli_json_finish (b);
}

/* ---- command ------------------------------------------------------------- */

int
cli_show (int argc, char **argv, const CliEnv *env)
{
  g_autofree char *variant_id = NULL;
  g_autofree char *format = NULL;
  g_auto (GStrv) cases = NULL;
  const GOptionEntry entries[] = {
    { "variant", 0, 0, G_OPTION_ARG_STRING, &variant_id,
      N_("Variant to show (default: the first in the file)"), N_("V") },
    { "case", 0, 0, G_OPTION_ARG_STRING_ARRAY, &cases,
      N_("Set case data, e.g. --case price=2500000000 (repeatable)"), N_("KEY=VALUE") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("Output format: text or json"), N_("FORMAT") },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = cli_context_new (
    _("FILE"), _("Show each step one case takes through a variant: actor, channel, whether it "
                 "is an applicant interaction and a visit, duration, and fees computed for the "
                 "case; then the totals."),
    entries);
  if (!cli_parse (ctx, "show", &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc != 2)
    return cli_usage_error ("show", argc < 2 ? _("no file given") : _("give exactly one file"));
  gboolean json = FALSE;
  if (format != NULL && strcmp (format, "json") == 0)
    json = TRUE;
  else if (format != NULL && strcmp (format, "text") != 0)
    return cli_usage_error ("show", _("unknown format '%s' (use text or json)"), format);

  g_autoptr (PsimProcedure) proc = cli_load (argv[1], env->lang);
  if (proc == NULL)
    return CLI_EXIT_INVALID;

  const PsimVariant *variant = variant_id != NULL ? psim_procedure_find_variant (proc, variant_id)
                                                  : psim_procedure_get_variant (proc, 0);
  if (variant == NULL)
    {
      g_autofree char *ids = cli_variant_list (proc);
      return cli_usage_error ("show", _("%s has no variant '%s' (it has: %s)"), argv[1],
                              variant_id, ids);
    }

  g_autoptr (PsimCase) pcase = cli_case_new (proc, cases, "show", env->lang);
  if (pcase == NULL)
    return CLI_EXIT_USAGE;

  g_autoptr (GError) error = NULL;
  g_autoptr (PsimPath) path = psim_path_new (variant, pcase, &error);
  if (path == NULL)
    {
      g_printerr ("%s: %s\n", argv[1], error->message);
      return CLI_EXIT_INVALID;
    }

  Show s = { .lang = env->lang, .proc = proc, .variant = variant, .pcase = pcase, .path = path };
  g_autofree char *out = json ? show_json (&s) : show_text (&s);
  if (!json)
    {
      /* Fits an 80-column terminal whatever the names in the file. */
      g_autofree char *wrapped = cli_wrap (out, 80);
      fputs (wrapped, stdout);
    }
  else
    fputs (out, stdout);
  return CLI_EXIT_OK;
}
