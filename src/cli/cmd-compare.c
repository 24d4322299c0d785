/* cmd-compare.c — `procsim compare FILE`: two variants of a procedure for
 * one case, figure by figure, in the measures reformers use (Doing
 * Business counts and days, money kept apart, the Standard Cost Model's
 * burden), with the change and plain statements on "more than half".
 * The library computes the comparison and writes it (psim-comparison.h);
 * this file reads the options, chooses the writer and prints.
 */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* A cost figure from the command line: a number ≥ 0, digits grouped with
 * '_' if wished. */
static gboolean
parse_figure (const char *text, double *out)
{
  g_autoptr (GString) t = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p++)
    if (*p != '_')
      g_string_append_c (t, *p);
  char *end = NULL;
  double v = g_ascii_strtod (t->str, &end);
  if (t->len == 0 || *end != '\0' || !isfinite (v) || v < 0)
    return FALSE;
  *out = v;
  return TRUE;
}

static const char *const formats[] = { "text", "csv", "json", "md", "html", "xlsx", NULL };

/* The format from --format, else from OUT's extension, else text. */
static const char *
pick_format (const char *format, const char *out)
{
  if (format != NULL)
    {
      for (guint i = 0; formats[i] != NULL; i++)
        if (strcmp (format, formats[i]) == 0)
          return formats[i];
      return NULL;
    }
  const char *dot = out != NULL ? strrchr (out, '.') : NULL;
  if (dot != NULL && strchr (dot, '/') == NULL)
    {
      if (strcmp (dot, ".htm") == 0)
        return "html";
      for (guint i = 1; formats[i] != NULL; i++)
        if (strcmp (dot + 1, formats[i]) == 0)
          return formats[i];
    }
  return "text";
}

int
cli_compare (int argc, char **argv, const CliEnv *env)
{
  g_autofree char *variants = NULL;
  g_autofree char *format = NULL;
  g_autofree char *out = NULL;
  g_autofree char *tariff = NULL;
  g_autofree char *travel = NULL;
  g_autofree char *volume = NULL;
  g_autofree char *value = NULL;
  g_auto (GStrv) cases = NULL;
  g_auto (GStrv) branches = NULL;
  gboolean explain = FALSE;
  const GOptionEntry entries[] = {
    { "variants", 0, 0, G_OPTION_ARG_STRING, &variants,
      N_("The two variants to compare, before and after (default: a reformed variant and its "
         "baseline)"), N_("A,B") },
    { "case", 0, 0, G_OPTION_ARG_STRING_ARRAY, &cases,
      N_("Set case data, e.g. --case price=2500000000 (repeatable)"), N_("KEY=VALUE") },
    { "branch", 0, 0, G_OPTION_ARG_STRING_ARRAY, &branches,
      N_("Follow a branch that chance decides: the choice's id and the id of the node the "
         "branch leads to, e.g. --branch dossier-check=submit-dossier (repeatable)"),
      N_("CHOICE=BRANCH") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format,
      N_("Output format: text, csv, json, md, html or xlsx (default: from OUT's extension, "
         "else text)"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out,
      N_("Write to OUT instead of standard output (whole or not at all)"), N_("OUT") },
    { "explain", 0, 0, G_OPTION_ARG_NONE, &explain,
      N_("Show what each step contributes to every figure"), NULL },
    { "tariff", 0, 0, G_OPTION_ARG_STRING, &tariff,
      N_("Value of one hour of the applicant's time (overrides the file)"), N_("AMOUNT") },
    { "travel", 0, 0, G_OPTION_ARG_STRING, &travel,
      N_("Cost of one in-person visit (overrides the file)"), N_("AMOUNT") },
    { "volume", 0, 0, G_OPTION_ARG_STRING, &volume,
      N_("Cases per year (overrides the file)"), N_("N") },
    { "value", 0, 0, G_OPTION_ARG_STRING, &value,
      N_("Base of the cost percentages: property value or income per capita (overrides the "
         "file)"), N_("AMOUNT") },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = cli_context_new (
    _("FILE|ID"), _("Compare two variants of a procedure for one case, figure by figure: Doing "
                 "Business procedures, visits and days, the applicant's time and money (taxes "
                 "apart), and the administrative burden by the Standard Cost Model."),
    entries);
  if (!cli_parse (ctx, "compare", &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc != 2)
    return cli_usage_error ("compare", argc < 2 ? _("no file given") : _("give exactly one file"));
  const char *fmt = pick_format (format, out);
  if (fmt == NULL)
    return cli_usage_error ("compare",
                            _("unknown format '%s' (use text, csv, json, md, html or xlsx)"),
                            format);
  if (strcmp (fmt, "xlsx") == 0 && (out == NULL || strcmp (out, "-") == 0) && isatty (1))
    return cli_usage_error ("compare", _("a workbook is not for the terminal: give -o FILE"));
  const char *figure_text[4] = { tariff, travel, volume, value };
  double figures[4] = { 0, 0, 0, 0 };
  for (guint i = 0; i < 4; i++)
    if (figure_text[i] != NULL && !parse_figure (figure_text[i], &figures[i]))
      return cli_usage_error ("compare", _("'%s' is not an amount (a number, 0 or more)"),
                              figure_text[i]);
  if (value != NULL && figures[3] <= 0)
    return cli_usage_error ("compare", _("--value must be more than 0: costs are stated as a "
                                         "share of it"));

  g_autoptr (PsimProcedure) proc = cli_load (argv[1], env);
  if (proc == NULL)
    return CLI_EXIT_INVALID;
  g_autofree char *have = cli_variant_list (proc);

  const PsimVariant *pair_v[2] = { NULL, NULL };
  if (variants != NULL)
    {
      g_auto (GStrv) pair = g_strsplit (variants, ",", -1);
      if (g_strv_length (pair) != 2)
        return cli_usage_error ("compare", _("--variants takes two variants: A,B"));
      for (guint k = 0; k < 2; k++)
        {
          pair_v[k] = psim_procedure_find_variant (proc, g_strstrip (pair[k]));
          if (pair_v[k] == NULL)
            return cli_usage_error ("compare", _("%s has no variant '%s' (it has: %s)"), argv[1],
                                    pair[k], have);
        }
    }
  else if (!psim_compare_default_pair (proc, &pair_v[0], &pair_v[1]))
    {
      g_printerr (_("%s: compare needs two variants; this file has one (%s)\n"), argv[1], have);
      return CLI_EXIT_INVALID;
    }

  int status = CLI_EXIT_OK;
  g_autoptr (PsimCase) pcase = cli_case_new (proc, cases, branches, "compare", env->lang, &status);
  if (pcase == NULL)
    return status;
  PsimCostParams overrides = { NAN, NAN, NAN, NAN, PSIM_VALUE_PROPERTY };
  double *slots[4] = { &overrides.tariff, &overrides.travel, &overrides.volume, &overrides.value };
  for (guint i = 0; i < 4; i++)
    if (figure_text[i] != NULL)
      *slots[i] = figures[i];

  g_autoptr (GError) error = NULL;
  g_autoptr (PsimComparison) cmp
      = psim_comparison_new (pair_v[0], pair_v[1], pcase, &overrides, &error);
  if (cmp == NULL)
    {
      g_printerr ("%s: %s\n", argv[1], error->message);
      return CLI_EXIT_INVALID;
    }

  const PsimComparisonOptions options
      = { .lang = env->lang, .explain = explain, .date = cli_report_date () };
  g_autofree char *text = NULL;
  if (strcmp (fmt, "xlsx") == 0)
    {
      g_autoptr (GBytes) book = psim_comparison_to_xlsx (cmp, &options, &error);
      if (book == NULL)
        {
          g_printerr ("procsim compare: %s\n", error->message);
          return CLI_EXIT_INVALID;
        }
      gsize size;
      const char *data = g_bytes_get_data (book, &size);
      return cli_emit ("compare", out, data, size);
    }
  if (strcmp (fmt, "csv") == 0)
    {
      g_autofree char *csv = psim_comparison_to_csv (cmp, &options);
      text = g_strconcat (CLI_CSV_BOM, csv, NULL);
    }
  else if (strcmp (fmt, "json") == 0)
    text = psim_comparison_to_json (cmp, &options);
  else if (strcmp (fmt, "md") == 0)
    text = psim_comparison_to_markdown (cmp, &options);
  else if (strcmp (fmt, "html") == 0)
    text = psim_comparison_to_html (cmp, &options, &error);
  else
    text = psim_comparison_to_text (cmp, &options);
  if (text == NULL)
    {
      g_printerr ("%s: %s\n", argv[1], error->message);
      return CLI_EXIT_INVALID;
    }
  return cli_emit ("compare", out, text, strlen (text));
}
