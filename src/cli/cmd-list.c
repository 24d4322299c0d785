/* cmd-list.c — `procsim list [DIR]`: the catalogue of procedures in a
 * folder (by default the bundled ones), with each variant's step count and
 * the applicant interactions of the default case; the training scenarios
 * of the folder, if any, after them. The folder is read by the library's
 * catalogue (psim-catalogue.h), as `train` reads the bundled scenarios.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static int
compare_procedure_files (gconstpointer a, gconstpointer b)
{
  return strcmp (psim_procedure_get_file (*(PsimProcedure *const *) a),
                 psim_procedure_get_file (*(PsimProcedure *const *) b));
}

static int
compare_scenario_files (gconstpointer a, gconstpointer b)
{
  return strcmp (psim_scenario_get_file (*(PsimScenario *const *) a),
                 psim_scenario_get_file (*(PsimScenario *const *) b));
}

int
cli_list (int argc, char **argv, const CliEnv *env)
{
  g_autoptr (GOptionContext) ctx = cli_context_new (
    _("[DIR]"), _("List the procedures in DIR (default: the bundled ones) and their variants, "
                  "with the steps and applicant interactions on the path of the file's default "
                  "case."),
    NULL);
  if (!cli_parse (ctx, "list", &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc > 2)
    return cli_usage_error ("list", _("give at most one folder"));
  const char *dir = argc == 2 ? argv[1] : env->workflows_dir;

  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  g_autoptr (PsimCatalogue) cat = psim_catalogue_new (env->lang, &error);
  if (cat == NULL)
    {
      g_printerr ("procsim: %s\n", error->message);
      return CLI_EXIT_INVALID;
    }
  if (!psim_catalogue_add_dir (cat, dir, diags, &error))
    {
      g_printerr ("procsim list: %s\n", error->message);
      return CLI_EXIT_INVALID;
    }
  cli_print_diagnostics (diags, env->lang);
  /* In the order of their files, as a folder listing shows them. */
  g_autoptr (GPtrArray) files = psim_catalogue_list_procedures (cat);
  g_autoptr (GPtrArray) scenarios = psim_catalogue_list_scenarios (cat);
  g_ptr_array_sort (files, compare_procedure_files);
  g_ptr_array_sort (scenarios, compare_scenario_files);

  int status = psim_diagnostics_count_errors (diags) > 0 ? CLI_EXIT_INVALID : CLI_EXIT_OK;
  g_autoptr (GString) out = g_string_new (NULL);
  for (guint i = 0; i < files->len; i++)
    {
      PsimProcedure *proc = g_ptr_array_index (files, i);
      g_autofree char *base = g_path_get_basename (psim_procedure_get_file (proc));
      g_string_append_printf (out, "%s%s  (%s)\n", out->len > 0 ? "\n" : "",
                              psim_procedure_get_title (proc, env->lang), base);
      g_autoptr (PsimCase) pcase = psim_case_new (proc);
      psim_case_set_language (pcase, env->lang);
      for (guint v = 0; v < psim_procedure_get_n_variants (proc); v++)
        {
          const PsimVariant *var = psim_procedure_get_variant (proc, v);
          g_autoptr (PsimPath) path = psim_path_new (var, pcase, NULL);
          g_string_append (out, "  ");
          psim_format_append_padded (out, psim_variant_get_id (var), 11);
          if (path == NULL)
            {
              psim_format_append_padded (out, _ ("(no path for the default case)"), 27);
              status = CLI_EXIT_INVALID;
            }
          else
            {
              const PsimTotals *t = psim_path_get_totals (path);
              g_autofree char *steps = g_strdup_printf (
                ngettext ("%u step", "%u steps", t->steps), t->steps);
              g_autofree char *inter = g_strdup_printf (
                ngettext ("%u interaction", "%u interactions", t->interactions), t->interactions);
              psim_format_append_padded (out, steps, 10);
              psim_format_append_padded (out, inter, 17);
            }
          g_string_append_printf (out, "%s\n", psim_variant_get_title (var, env->lang));
        }
    }
  /* Scenarios beside the procedures (a trainer's folder): listed apart. */
  for (guint i = 0; i < scenarios->len; i++)
    {
      const PsimScenario *csc = g_ptr_array_index (scenarios, i);
      if (i == 0)
        g_string_append_printf (out, "%s%s\n", out->len > 0 ? "\n" : "", _("Training scenarios:"));
      g_autofree char *base = g_path_get_basename (psim_scenario_get_file (csc));
      g_autofree char *steps = g_strdup_printf (
        ngettext ("%u step", "%u steps", psim_scenario_get_n_path_steps (csc)),
        psim_scenario_get_n_path_steps (csc));
      g_string_append_printf (out, "  %s  (%s)\n    %s: %s, %s\n",
                              psim_scenario_get_title (csc, env->lang), base,
                              psim_scenario_get_id (csc),
                              psim_variant_get_title (psim_scenario_get_variant (csc), env->lang),
                              steps);
    }
  if (files->len == 0 && scenarios->len == 0 && diags->len == 0)
    g_printerr (_("procsim list: no procedure files (*.xml) in %s\n"), dir);
  g_autofree char *wrapped = psim_format_wrap (out->str, 80);
  fputs (wrapped, stdout);
  return status;
}
