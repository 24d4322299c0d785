/* cmd-show.c — `procsim show FILE`: the steps one case takes through one
 * variant, with actor, channel, interaction, visit, duration and the fees
 * computed for the case, then the totals. The library writes it
 * (psim_path_to_text, psim_path_to_json; field names in docs/cli.md);
 * this file reads the options and prints.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

int
cli_show (int argc, char **argv, const CliEnv *env)
{
  g_autofree char *variant_id = NULL;
  g_autofree char *format = NULL;
  g_auto (GStrv) cases = NULL;
  g_auto (GStrv) branches = NULL;
  const GOptionEntry entries[] = {
    { "variant", 0, 0, G_OPTION_ARG_STRING, &variant_id,
      N_("Variant to show (default: the first in the file)"), N_("V") },
    { "case", 0, 0, G_OPTION_ARG_STRING_ARRAY, &cases,
      N_("Set case data, e.g. --case price=2500000000 (repeatable)"), N_("KEY=VALUE") },
    { "branch", 0, 0, G_OPTION_ARG_STRING_ARRAY, &branches,
      N_("Follow a branch that chance decides: the choice's id and the id of the node the "
         "branch leads to, e.g. --branch dossier-check=submit-dossier (repeatable)"),
      N_("CHOICE=BRANCH") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("Output format: text or json"), N_("FORMAT") },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = cli_context_new (
    _("FILE|ID"), _("Show each step one case takes through a variant: actor, channel, whether it "
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

  g_autoptr (PsimProcedure) proc = cli_load (argv[1], env);
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

  int status = CLI_EXIT_OK;
  g_autoptr (PsimCase) pcase = cli_case_new (proc, cases, branches, "show", env->lang, &status);
  if (pcase == NULL)
    return status;

  g_autoptr (GError) error = NULL;
  g_autoptr (PsimPath) path = psim_path_new (variant, pcase, &error);
  if (path == NULL)
    {
      g_printerr ("%s: %s\n", argv[1], error->message);
      return CLI_EXIT_INVALID;
    }

  g_autofree char *out = json ? psim_path_to_json (path, pcase, env->lang)
                              : psim_path_to_text (path, pcase, env->lang);
  fputs (out, stdout);
  return CLI_EXIT_OK;
}
