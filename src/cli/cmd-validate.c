/* cmd-validate.c — `procsim validate FILE...`: loads each file, procedure
 * or scenario, and reports every finding. Quiet on success unless -v.
 */
#include "cli.h"

static gboolean
validate_scenario (PsimLoader *loader, const char *file, gboolean verbose)
{
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  g_autoptr (PsimScenario) sc = psim_scenario_load_file (loader, file, diags, NULL);
  cli_print_diagnostics (diags, psim_loader_get_language (loader));
  if (sc == NULL)
    return FALSE;
  if (verbose)
    {
      guint steps = psim_scenario_get_n_path_steps (sc);
      guint questions = psim_scenario_get_n_questions (sc);
      g_autofree char *in_steps = g_strdup_printf (ngettext ("%u step", "%u steps", steps), steps);
      g_autofree char *in_questions = g_strdup_printf (
        ngettext ("%u question", "%u questions", questions), questions);
      /* TRANSLATORS: "FILE: valid (scenario 'ID' on variant 'digital', 6 steps,
       * 4 questions, full marks 100)" */
      g_print (_("%s: valid (scenario '%s' on variant '%s', %s, %s, full marks %d)\n"), file,
               psim_scenario_get_id (sc), psim_variant_get_id (psim_scenario_get_variant (sc)),
               in_steps, in_questions, psim_scenario_get_max_score (sc));
    }
  return TRUE;
}

int
cli_validate (int argc, char **argv, const CliEnv *env)
{
  gboolean verbose = FALSE;
  const GOptionEntry entries[] = {
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, N_("Say which files are valid"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = cli_context_new (
    _("FILE…"), _("Check procedure and scenario files: well-formed XML, the schema, then the "
                  "semantic rules (references, graph shape, expressions, provenance; for a "
                  "scenario, its procedure, the steps it names, the questions' answers and a "
                  "perfect run). Every problem is reported as FILE:LINE: severity: message. "
                  "Exit status 2 if any file has an error."),
    entries);
  if (!cli_parse (ctx, "validate", &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc < 2)
    return cli_usage_error ("validate", _("no file given"));

  g_autoptr (GError) error = NULL;
  g_autoptr (PsimLoader) loader = psim_loader_new (&error);
  if (loader == NULL)
    {
      g_printerr ("procsim: %s\n", error->message);
      return CLI_EXIT_INVALID;
    }
  psim_loader_set_language (loader, env->lang);

  int status = CLI_EXIT_OK;
  for (int i = 1; i < argc; i++)
    {
      if (psim_file_is_scenario (argv[i]))
        {
          if (!validate_scenario (loader, argv[i], verbose))
            status = CLI_EXIT_INVALID;
          continue;
        }
      g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
      g_autoptr (PsimProcedure) proc
        = psim_bpmn_is_bpmn_path (argv[i])
            ? psim_bpmn_import_file (loader, argv[i], NULL, NULL, diags, NULL)
            : psim_loader_load_file (loader, argv[i], diags, NULL);
      cli_print_diagnostics (diags, env->lang);
      if (proc == NULL)
        status = CLI_EXIT_INVALID;
      else if (verbose)
        {
          guint steps = 0;
          for (guint v = 0; v < psim_procedure_get_n_variants (proc); v++)
            steps += psim_variant_get_n_steps (psim_procedure_get_variant (proc, v));
          guint n_variants = psim_procedure_get_n_variants (proc);
          g_autofree char *variants = g_strdup_printf (
            ngettext ("%u variant", "%u variants", n_variants), n_variants);
          g_autofree char *in_steps = g_strdup_printf (ngettext ("%u step", "%u steps", steps), steps);
          /* TRANSLATORS: "FILE: valid (procedure 'ID', 2 variants, 16 steps)" */
          g_print (_("%s: valid (procedure '%s', %s, %s)\n"), argv[i],
                   psim_procedure_get_id (proc), variants, in_steps);
        }
    }
  return status;
}
