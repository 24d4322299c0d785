/* fuzz-load.c — libFuzzer target for everything an untrusted procedure file
 * reaches: the loader (parse, schema, model, semantic checks) and, when a
 * file loads, the model's accessors (every getter, in several languages)
 * and evaluation: fees, choice conditions and the path through every
 * variant, for the default case and for cases whose parameters are all set
 * to one awkward value ("-1", "1e308", "NaN"...), as a user may type them.
 *
 * Besides crashes and sanitizer reports, the target checks the contracts
 * the front-ends rely on, and aborts (a finding) when one is broken:
 * a load returns a procedure if and only if no error was set and no
 * diagnostic is an error; every diagnostic has a file and a message; a
 * path is returned if and only if no error was set; and the library prints
 * nothing (psim-load.h): a libxml2 message that reaches libxml2's own
 * global handlers, which print to stderr, is a message the loader failed
 * to turn into a diagnostic.
 *
 * Built only with clang and -Dfuzzing=true (tests/fuzz/meson.build); see
 * docs/fuzzing.md.
 */
#define FUZZ_NAME "fuzz-load"
#include "fuzz-common.h"

static void
check_diagnostics (const GPtrArray *diags)
{
  for (guint i = 0; i < diags->len; i++)
    {
      const PsimDiagnostic *d = g_ptr_array_index (diags, i);
      EXPECT (d->file != NULL && d->message != NULL);
      g_autofree char *line = psim_diagnostic_to_string (d, "en");
      EXPECT (line != NULL);
    }
}

/* Every fee and every choice branch of @variant, evaluated for @pcase.
 * Failures are expected (a fee formula that divides by zero is the
 * author's problem); only the contract is checked. */
static void
evaluate_nodes (const PsimVariant *variant, PsimCase *pcase)
{
  for (guint i = 0; i < psim_variant_get_n_nodes (variant); i++)
    {
      const PsimNode *node = psim_variant_get_node (variant, i);
      for (guint f = 0; f < psim_step_get_n_fees (node); f++)
        {
          g_autoptr (GError) error = NULL;
          double amount = 0;
          gboolean ok = psim_case_eval_fee (pcase, psim_step_get_fee (node, f), &amount, &error);
          EXPECT (ok == (error == NULL));
        }
      if (psim_node_get_kind (node) != PSIM_NODE_CHOICE)
        continue;
      for (guint b = 0; b < psim_node_get_n_successors (node); b++)
        {
          g_autoptr (GError) error = NULL;
          gboolean holds = FALSE;
          gboolean ok = psim_case_eval_branch (pcase, node, b, &holds, &error);
          EXPECT (ok == (error == NULL));
        }
    }
}

/* What front-ends do with a loaded procedure: read every field. A NULL
 * where the header promises a value is a finding. */
static const char *const langs[] = { "vi", "en", "fr" };

static void
read_step (const PsimNode *step)
{
  psim_step_get_actor (step);
  psim_step_get_party (step);
  psim_channel_to_string (psim_step_get_channel (step));
  psim_step_is_interaction (step);
  psim_step_is_visit (step);
  for (guint l = 0; l < G_N_ELEMENTS (langs); l++)
    psim_step_get_instructions (step, langs[l]);
  for (guint i = 0; i < psim_step_get_n_inputs (step); i++)
    EXPECT (psim_step_get_input (step, i) != NULL);
  for (guint i = 0; i < psim_step_get_n_outputs (step); i++)
    EXPECT (psim_step_get_output (step, i) != NULL);
  psim_step_get_duration (step);
  psim_step_get_effort (step);
  psim_step_get_time_limit (step);
  psim_step_get_time_limit_law (step);
  for (guint i = 0; i < psim_step_get_n_legal (step); i++)
    {
      const char *article = NULL;
      EXPECT (psim_step_get_legal (step, i, &article) != NULL);
    }
  for (guint i = 0; i < psim_step_get_n_replaces (step); i++)
    EXPECT (psim_step_get_replaces (step, i) != NULL);
  for (guint i = 0; i < psim_step_get_n_fees (step); i++)
    {
      const PsimFee *fee = psim_step_get_fee (step, i);
      double amount = 0;
      psim_fee_kind_to_string (psim_fee_get_kind (fee));
      EXPECT (psim_fee_get_currency (fee) != NULL);
      EXPECT (psim_fee_get_amount (fee, &amount) || psim_fee_get_expression (fee) != NULL);
      psim_fee_get_payer (fee);
      psim_basis_to_string (psim_fee_get_basis (fee));
      psim_fee_get_source (fee);
      for (guint l = 0; l < G_N_ELEMENTS (langs); l++)
        psim_fee_get_name (fee, langs[l]);
    }
}

static void
read_variant (const PsimVariant *variant)
{
  EXPECT (psim_variant_get_id (variant) != NULL);
  EXPECT (psim_variant_get_start (variant) != NULL);
  psim_variant_get_baseline (variant);
  psim_variant_get_n_steps (variant);
  for (guint l = 0; l < G_N_ELEMENTS (langs); l++)
    {
      EXPECT (psim_variant_get_title (variant, langs[l]) != NULL);
      psim_variant_get_description (variant, langs[l]);
    }
  for (guint i = 0; i < psim_variant_get_n_nodes (variant); i++)
    {
      const PsimNode *node = psim_variant_get_node (variant, i);
      const char *id = psim_node_get_id (node);
      EXPECT (id != NULL && psim_variant_find_node (variant, id) != NULL);
      EXPECT (psim_node_get_variant (node) == variant);
      psim_node_kind_to_string (psim_node_get_kind (node));
      psim_node_get_line (node);
      psim_node_get_join (node);
      for (guint l = 0; l < G_N_ELEMENTS (langs); l++)
        psim_node_get_name (node, langs[l]);
      for (guint s = 0; s < psim_node_get_n_successors (node); s++)
        {
          double probability = 0;
          EXPECT (psim_node_get_successor (node, s) != NULL);
          if (psim_node_get_kind (node) != PSIM_NODE_CHOICE)
            continue;
          psim_node_get_branch_probability (node, s, &probability);
          psim_node_get_branch_condition (node, s);
          for (guint l = 0; l < G_N_ELEMENTS (langs); l++)
            psim_node_get_branch_label (node, s, langs[l]);
        }
      if (psim_node_get_kind (node) == PSIM_NODE_STEP)
        read_step (node);
    }
}

static void
read_procedure (const PsimProcedure *proc)
{
  EXPECT (psim_procedure_get_file (proc) != NULL);
  EXPECT (psim_procedure_get_id (proc) != NULL);
  psim_procedure_get_version (proc);
  psim_procedure_get_date (proc);
  psim_procedure_get_jurisdiction (proc);
  for (guint l = 0; l < G_N_ELEMENTS (langs); l++)
    {
      EXPECT (psim_procedure_get_title (proc, langs[l]) != NULL);
      psim_procedure_get_description (proc, langs[l]);
    }
  for (guint i = 0; i < psim_procedure_get_n_actors (proc); i++)
    {
      const PsimActor *a = psim_procedure_get_actor (proc, i);
      psim_actor_kind_to_string (psim_actor_get_kind (a));
      EXPECT (psim_actor_get_id (a) != NULL && psim_actor_get_name (a, "vi") != NULL);
    }
  for (guint i = 0; i < psim_procedure_get_n_documents (proc); i++)
    {
      const PsimDocument *d = psim_procedure_get_document (proc, i);
      psim_document_get_national_db (d);
      EXPECT (psim_document_get_id (d) != NULL && psim_document_get_name (d, "vi") != NULL);
    }
  for (guint i = 0; i < psim_procedure_get_n_params (proc); i++)
    {
      const PsimParam *p = psim_procedure_get_param (proc, i);
      EXPECT (psim_procedure_find_param (proc, psim_param_get_id (p)) == p);
      psim_param_type_to_string (psim_param_get_param_type (p));
      psim_param_get_label (p, "vi");
      psim_param_get_unit (p);
      psim_param_get_default (p);
      for (guint o = 0; o < psim_param_get_n_options (p); o++)
        EXPECT (psim_param_get_option (p, o) != NULL);
    }
  for (guint i = 0; i < psim_procedure_get_n_sources (proc); i++)
    {
      const PsimSource *s = psim_procedure_get_source (proc, i);
      psim_source_get_href (s);
      EXPECT (psim_source_get_id (s) != NULL && psim_source_get_citation (s) != NULL);
    }
  for (guint i = 0; i < psim_procedure_get_n_laws (proc); i++)
    {
      const PsimLaw *law = psim_procedure_get_law (proc, i);
      EXPECT (psim_law_get_id (law) != NULL);
      psim_law_get_number (law);
      psim_law_get_title (law, "vi");
    }
  for (guint v = 0; v < psim_procedure_get_n_variants (proc); v++)
    {
      const PsimVariant *variant = psim_procedure_get_variant (proc, v);
      EXPECT (psim_procedure_find_variant (proc, psim_variant_get_id (variant)) == variant);
      EXPECT (psim_variant_get_procedure (variant) == proc);
      read_variant (variant);
    }
}

static void
walk_variant (const PsimVariant *variant, PsimCase *pcase)
{
  evaluate_nodes (variant, pcase);

  g_autoptr (GError) error = NULL;
  g_autoptr (PsimPath) path = psim_path_new (variant, pcase, &error);
  EXPECT ((path == NULL) == (error != NULL));
  if (path == NULL)
    return;
  guint n = psim_path_get_n_nodes (path);
  for (guint i = 0; i < n; i++)
    {
      EXPECT (psim_path_get_node (path, i) != NULL);
      guint n_fees = 0;
      psim_path_get_fees (path, i, &n_fees);
    }
  EXPECT (psim_path_get_totals (path) != NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (PsimProcedure) proc =
    psim_loader_load_memory (loader, (const char *) data, size, "fuzz.xml", diags, &error);

  EXPECT ((proc == NULL) == (error != NULL));
  EXPECT ((proc == NULL) == (psim_diagnostics_count_errors (diags) > 0));
  check_diagnostics (diags);
  if (proc == NULL)
    return 0;

  read_procedure (proc);

  /* NULL stands for the defaults. Values a parameter refuses leave it at
   * its default: the point is the evaluation that follows. */
  static const char *const values[] = { NULL, "-1", "0", "1e308", "NaN", "yes", "không", "" };
  for (guint k = 0; k < G_N_ELEMENTS (values); k++)
    {
      g_autoptr (PsimCase) pcase = psim_case_new (proc);
      for (guint i = 0; values[k] != NULL && i < psim_procedure_get_n_params (proc); i++)
        {
          const char *id = psim_param_get_id (psim_procedure_get_param (proc, i));
          g_autoptr (GError) set_error = NULL;
          gboolean ok = psim_case_set (pcase, id, values[k], &set_error);
          EXPECT (ok == (set_error == NULL));
          EXPECT (!ok || psim_case_get (pcase, id) != NULL);
        }
      for (guint v = 0; v < psim_procedure_get_n_variants (proc); v++)
        walk_variant (psim_procedure_get_variant (proc, v), pcase);
    }
  return 0;
}
