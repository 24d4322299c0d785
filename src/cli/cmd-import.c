/* cmd-import.c — `procsim import MODEL.bpmn [-o procedure.xml]`: a BPMN 2.0
 * model as a procsim procedure file. The mapping is the library's
 * (psim-bpmn.h, docs/bpmn.md); this file reports, and writes the result
 * whole or not at all.
 */
#include "cli.h"

#include <stdio.h>

int
cli_import (int argc, char **argv, const CliEnv *env)
{
  g_autofree char *out = NULL;
  gboolean verbose = FALSE;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out,
      N_("Write the procedure file to OUT (default: standard output)"), N_("OUT") },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose,
      N_("Say what was read: processes, tasks, gateways, events, flows and lanes"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = cli_context_new (
    _("MODEL.bpmn"),
    _("Map a BPMN 2.0 model to a procsim procedure file: each process a variant, lanes and "
      "pools the actors, tasks the steps, gateways the choices and parallel sections, BPSim "
      "parameters the durations, probabilities and fees. The result is checked like any "
      "procedure file. What procsim cannot represent is reported as a warning; errors name "
      "the BPMN file and line, and exit with status 2 without writing anything."),
    entries);
  if (!cli_parse (ctx, "import", &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc != 2)
    return cli_usage_error ("import", argc < 2 ? _("no file given") : _("give exactly one file"));

  g_autoptr (GError) error = NULL;
  g_autoptr (PsimLoader) loader = psim_loader_new (&error);
  if (loader == NULL)
    {
      g_printerr ("procsim: %s\n", error->message);
      return CLI_EXIT_INVALID;
    }
  psim_loader_set_language (loader, env->lang);
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  g_autoptr (GBytes) xml = NULL;
  PsimBpmnStats stats = { 0 };
  g_autoptr (PsimProcedure) proc
    = psim_bpmn_import_file (loader, argv[1], &xml, &stats, diags, NULL);
  cli_print_diagnostics (diags, env->lang);
  if (verbose)
    /* TRANSLATORS: what an import read from a BPMN file. */
    g_printerr (_("%s: %u processes, %u tasks, %u gateways, %u events, %u sequence flows, "
                  "%u lanes\n"),
                argv[1], stats.processes, stats.tasks, stats.gateways, stats.events, stats.flows,
                stats.lanes);
  if (proc == NULL)
    return CLI_EXIT_INVALID;

  gsize size = 0;
  const char *data = g_bytes_get_data (xml, &size);
  if (out == NULL || g_strcmp0 (out, "-") == 0)
    {
      fwrite (data, 1, size, stdout);
      return CLI_EXIT_OK;
    }
  if (!cli_write_output (out, data, size, &error))
    {
      g_printerr ("procsim import: %s\n", error->message);
      return CLI_EXIT_INVALID;
    }

  return CLI_EXIT_OK;
}
