/* psim-path-json.c — the path of one case through a variant as JSON for
 * programs (`procsim show --format json`; field names in docs/cli.md).
 */
#include "psim-json-private.h"
#include "psim-private.h"

#include <math.h>
#include <string.h>

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
  psimp_json_add_string (b, "unit", psim_time_unit_to_string (q->unit));
  psimp_json_add_number (b, "min", q->min);
  psimp_json_add_number (b, "likely", q->likely);
  psimp_json_add_number (b, "max", q->max);
  psimp_json_add_string (b, "basis", psim_basis_to_string (q->basis));
  psimp_json_add_string (b, "source", q->source ? psim_source_get_id (q->source) : NULL);
  json_builder_end_object (b);
}

static void
add_actor (JsonBuilder *b, const char *member, const PsimActor *a, const char *lang)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_object (b);
  psimp_json_add_string (b, "id", psim_actor_get_id (a));
  psimp_json_add_string (b, "name", psim_actor_get_name (a, lang));
  psimp_json_add_string (b, "kind", psim_actor_kind_to_string (psim_actor_get_kind (a)));
  json_builder_end_object (b);
}

static void
add_documents (JsonBuilder *b, const char *member, const PsimNode *n, gboolean inputs,
               const char *lang)
{
  guint count = inputs ? psim_step_get_n_inputs (n) : psim_step_get_n_outputs (n);
  json_builder_set_member_name (b, member);
  json_builder_begin_array (b);
  for (guint i = 0; i < count; i++)
    {
      const PsimDocument *d = inputs ? psim_step_get_input (n, i) : psim_step_get_output (n, i);
      json_builder_begin_object (b);
      psimp_json_add_string (b, "id", psim_document_get_id (d));
      psimp_json_add_string (b, "name", psim_document_get_name (d, lang));
      json_builder_set_member_name (b, "national_db");
      json_builder_add_boolean_value (b, psim_document_get_national_db (d));
      if (inputs)
        {
          json_builder_set_member_name (b, "fetched");
          json_builder_add_boolean_value (b, psim_step_input_is_fetched (n, i));
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
add_step (JsonBuilder *b, const PsimpPathView *s, guint k, guint pos)
{
  const PsimNode *n = psim_path_get_node (s->path, pos);
  const char *lang = s->lang;
  json_builder_begin_object (b);
  psimp_json_add_number (b, "index", k);
  psimp_json_add_string (b, "id", psim_node_get_id (n));
  psimp_json_add_string (b, "name", psim_node_get_name (n, lang));
  add_actor (b, "actor", psim_step_get_actor (n), lang);
  add_actor (b, "party", psim_step_get_party (n), lang);
  psimp_json_add_string (b, "channel", psim_channel_to_string (psim_step_get_channel (n)));
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
      psimp_json_add_string (b, "name", psim_fee_get_name (fee, lang));
      psimp_json_add_string (b, "kind", psim_fee_kind_to_string (psim_fee_get_kind (fee)));
      psimp_json_add_number (b, "amount", round (amounts[i]));
      psimp_json_add_string (b, "currency", psim_fee_get_currency (fee));
      psimp_json_add_string (b, "expression", psim_fee_get_expression (fee));
      psimp_json_add_string (b, "basis", psim_basis_to_string (psim_fee_get_basis (fee)));
      psimp_json_add_string (b, "source", src ? psim_source_get_id (src) : NULL);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "replaces");
  json_builder_begin_array (b);
  for (guint i = 0; i < psim_step_get_n_replaces (n); i++)
    json_builder_add_string_value (b, psim_node_get_id (psim_step_get_replaces (n, i)));
  json_builder_end_array (b);
  psimp_json_add_string (b, "instructions", psim_step_get_instructions (n, lang));
  psimp_json_add_string (b, "note", psim_step_get_note (n, lang));
  add_documents (b, "inputs", n, TRUE, lang);
  add_documents (b, "outputs", n, FALSE, lang);
  json_builder_set_member_name (b, "legal");
  json_builder_begin_array (b);
  for (guint i = 0; i < psim_step_get_n_legal (n); i++)
    {
      const char *article = NULL;
      const PsimLaw *law = psim_step_get_legal (n, i, &article);
      json_builder_begin_object (b);
      psimp_json_add_string (b, "law", psim_law_get_id (law));
      psimp_json_add_string (b, "number", psim_law_get_number (law));
      psimp_json_add_string (b, "title", psim_law_get_title (law, lang));
      psimp_json_add_string (b, "article", article);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

/* The sources that the sourced figures of the path's steps name, each
 * once, in order of appearance. */
static void
add_sources (JsonBuilder *b, const PsimPath *path)
{
  g_autoptr (GPtrArray) seen = psimp_path_collect_sources (path);
  json_builder_set_member_name (b, "sources");
  json_builder_begin_array (b);
  for (guint i = 0; i < seen->len; i++)
    {
      const PsimSource *src = g_ptr_array_index (seen, i);
      json_builder_begin_object (b);
      psimp_json_add_string (b, "id", psim_source_get_id (src));
      psimp_json_add_string (b, "citation", psim_source_get_citation (src));
      psimp_json_add_string (b, "href", psim_source_get_href (src));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

char *
psim_path_to_json (const PsimPath *path, const PsimCase *pcase, const char *lang)
{
  g_return_val_if_fail (path != NULL && pcase != NULL, NULL);
  PsimpPathView show;
  psimp_path_view_init (&show, path, pcase, lang);
  const PsimpPathView *s = &show;
  lang = s->lang;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  psimp_json_add_string (b, "lang", lang);

  json_builder_set_member_name (b, "procedure");
  json_builder_begin_object (b);
  psimp_json_add_string (b, "id", psim_procedure_get_id (s->proc));
  psimp_json_add_string (b, "title", psim_procedure_get_title (s->proc, lang));
  psimp_json_add_string (b, "version", psim_procedure_get_version (s->proc));
  psimp_json_add_string (b, "jurisdiction", psim_procedure_get_jurisdiction (s->proc));
  json_builder_end_object (b);

  json_builder_set_member_name (b, "variant");
  json_builder_begin_object (b);
  psimp_json_add_string (b, "id", psim_variant_get_id (s->variant));
  psimp_json_add_string (b, "title", psim_variant_get_title (s->variant, lang));
  json_builder_end_object (b);

  psimp_json_add_case (b, s->pcase);

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
      psimp_json_add_string (b, "id", psim_node_get_id (n));
      psimp_json_add_number (b, "branch", br);
      psimp_json_add_string (b, "to", psim_node_get_id (psim_node_get_successor (n, br)));
      psimp_json_add_string (b, "condition", psim_node_get_branch_condition (n, br));
      json_builder_set_member_name (b, "set");
      json_builder_add_boolean_value (b, psim_path_get_branch_set (s->path, i));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  const PsimTotals *t = psim_path_get_totals (s->path);
  json_builder_set_member_name (b, "totals");
  json_builder_begin_object (b);
  psimp_json_add_number (b, "steps", t->steps);
  psimp_json_add_number (b, "interactions", t->interactions);
  psimp_json_add_number (b, "visits", t->visits);
  json_builder_set_member_name (b, "elapsed");
  json_builder_begin_object (b);
  psimp_json_add_number (b, "working_days", t->elapsed.working_days);
  psimp_json_add_number (b, "calendar_days", t->elapsed.calendar_days);
  psimp_json_add_number (b, "hours", t->elapsed.hours);
  json_builder_end_object (b);
  psimp_json_add_number (b, "effort_hours", t->effort_hours);
  json_builder_set_member_name (b, "fees");
  json_builder_begin_object (b);
  psimp_json_add_number (b, "tax", round (t->fees[PSIM_FEE_TAX]));
  psimp_json_add_number (b, "fee", round (t->fees[PSIM_FEE_FEE]));
  psimp_json_add_number (b, "service", round (t->fees[PSIM_FEE_SERVICE]));
  psimp_json_add_number (b, "total", round (t->fees_total));
  json_builder_end_object (b);
  json_builder_end_object (b);

  psimp_json_add_limits (b, s->path, lang);
  add_sources (b, s->path);
  json_builder_end_object (b);
  return psim_json_to_text (b);
}

