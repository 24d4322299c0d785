/* cmd-export.c — `procsim export FILE|ID [--variant V] -o OUT.bpmn`: a
 * procedure as BPMN 2.0 with its diagram (psim-bpmn.h, docs/bpmn.md),
 * written whole or not at all. ID names a bundled procedure.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

/* The bundled procedure file whose procedure id is @id. (transfer full) */
static char *
find_bundled (const char *id, const CliEnv *env)
{
  g_autoptr (GDir) d = g_dir_open (env->workflows_dir, 0, NULL);
  g_autoptr (PsimLoader) loader = psim_loader_new (NULL);
  if (loader != NULL)
    psim_loader_set_language (loader, env->lang);
  for (const char *name; d != NULL && loader != NULL && (name = g_dir_read_name (d)) != NULL;)
    {
      if (!g_str_has_suffix (name, ".xml"))
        continue;
      g_autofree char *file = g_build_filename (env->workflows_dir, name, NULL);
      g_autoptr (PsimProcedure) proc = psim_loader_load_file (loader, file, NULL, NULL);
      if (proc != NULL && strcmp (psim_procedure_get_id (proc), id) == 0)
        return g_steal_pointer (&file);
    }
  return NULL;
}

int
cli_export (int argc, char **argv, const CliEnv *env)
{
  g_autofree char *out = NULL;
  g_autofree char *variant = NULL;
  const GOptionEntry entries[] = {
    { "variant", 0, 0, G_OPTION_ARG_STRING, &variant,
      N_("Export only this variant (default: all, one pool each)"), N_("V") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out,
      N_("Output file (.bpmn); - for standard output"), N_("OUT") },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = cli_context_new (
    _("FILE|ID"),
    _("Write a procedure (a file, or the id of a bundled one) as BPMN 2.0: each variant a pool "
      "of one collaboration, each actor a lane, laid out by Graphviz (BPMNDI); durations, fees "
      "and probabilities as BPSim 2.0 parameters; procsim's own facts in extension elements, "
      "so that importing the file again gives the same procedure."),
    entries);
  if (!cli_parse (ctx, "export", &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc != 2)
    return cli_usage_error ("export", argc < 2 ? _("no file given") : _("give exactly one file"));
  if (out == NULL)
    return cli_usage_error ("export", _("no output file given (-o OUT)"));

  g_autofree char *file = g_file_test (argv[1], G_FILE_TEST_EXISTS) ? g_strdup (argv[1])
                                                                    : find_bundled (argv[1], env);
  if (file == NULL)
    {
      g_printerr (_("procsim export: %s is neither a file nor a bundled procedure\n"), argv[1]);
      return CLI_EXIT_INVALID;
    }
  g_autoptr (PsimProcedure) proc = cli_load (file, env);
  if (proc == NULL)
    return CLI_EXIT_INVALID;
  if (variant != NULL && psim_procedure_find_variant (proc, variant) == NULL)
    return cli_usage_error ("export", _("%s has no variant '%s'"), argv[1], variant);

  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bpmn = psim_bpmn_export (proc, variant, env->lang, &error);
  if (bpmn == NULL)
    {
      g_printerr ("%s: %s\n", argv[1], error->message);
      return CLI_EXIT_INVALID;
    }
  gsize size = 0;
  const char *data = g_bytes_get_data (bpmn, &size);
  if (strcmp (out, "-") == 0)
    {
      fwrite (data, 1, size, stdout);
      return CLI_EXIT_OK;
    }
  if (!cli_write_output (out, data, size, &error))
    {
      g_printerr ("procsim export: %s\n", error->message);
      return CLI_EXIT_INVALID;
    }
  return CLI_EXIT_OK;
}
