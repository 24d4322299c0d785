/* cli-common.c — option parsing, diagnostics and number formatting shared
 * by the subcommands.
 */
#include "cli.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static char *lang_ignored;

/* --lang is applied in main() before parsing; it is declared here so that
 * every subcommand accepts it and lists it in --help. */
static const GOptionEntry lang_entries[] = {
  { "lang", 0, 0, G_OPTION_ARG_STRING, &lang_ignored,
    N_("Language of messages and content: vi or en (default: from the locale)"), N_("LANG") },
  { NULL },
};

GOptionContext *
cli_context_new (const char *parameter_string, const char *summary, const GOptionEntry *entries)
{
  GOptionContext *ctx = g_option_context_new (parameter_string);
  g_option_context_set_translation_domain (ctx, GETTEXT_PACKAGE);
  g_option_context_set_summary (ctx, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (ctx, lang_entries, GETTEXT_PACKAGE);
  return ctx;
}

gboolean
cli_parse (GOptionContext *ctx, const char *command, int *argc, char ***argv)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = g_option_context_parse (ctx, argc, argv, &error);
  g_clear_pointer (&lang_ignored, g_free);
  if (!ok)
    {
      cli_usage_error (command, "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

int
cli_usage_error (const char *command, const char *format, ...)
{
  va_list ap;
  va_start (ap, format);
  g_autofree char *msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_printerr ("procsim %s: %s\n", command, msg);
  g_printerr (_("Try 'procsim %s --help'.\n"), command);
  return CLI_EXIT_USAGE;
}

/* An argument that names a file rather than a bundled id. */
static gboolean
names_file (const char *arg)
{
  return g_file_test (arg, G_FILE_TEST_EXISTS) || strchr (arg, '/') != NULL
         || g_str_has_suffix (arg, ".xml") || psim_bpmn_is_bpmn_path (arg);
}

PsimProcedure *
cli_load (const char *arg, const CliEnv *env)
{
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  if (names_file (arg))
    {
      PsimProcedure *proc = NULL;
      if (psim_bpmn_is_bpmn_path (arg))
        {
          /* A BPMN model goes through the import first (docs/bpmn.md). */
          g_autoptr (PsimLoader) loader = psim_loader_new (NULL);
          if (loader != NULL)
            {
              psim_loader_set_language (loader, env->lang);
              proc = psim_bpmn_import_file (loader, arg, NULL, NULL, diags, NULL);
            }
        }
      else
        proc = psim_load_file (arg, env->lang, diags, NULL);
      cli_print_diagnostics (diags, env->lang);
      return proc;
    }
  g_autoptr (GError) error = NULL;
  g_autoptr (PsimCatalogue) cat = psim_catalogue_new (env->lang, &error);
  if (cat == NULL || !psim_catalogue_add_dir (cat, env->workflows_dir, diags, &error))
    {
      g_printerr ("procsim: %s\n", error->message);
      return NULL;
    }
  PsimProcedure *proc = psim_catalogue_get_procedure (cat, arg);
  if (proc == NULL)
    {
      cli_print_diagnostics (diags, env->lang);
      g_printerr (_("procsim: '%s' is neither a file nor a bundled procedure (procsim list "
                    "lists them)\n"),
                  arg);
      return NULL;
    }
  return psim_procedure_ref (proc);
}

PsimCase *
cli_case_new (PsimProcedure *proc, char **assignments, const char *command, const char *lang)
{
  g_autoptr (PsimCase) pcase = psim_case_new (proc);
  psim_case_set_language (pcase, lang);
  for (char **a = assignments; a != NULL && *a != NULL; a++)
    {
      g_autoptr (GError) error = NULL;
      if (!psim_case_set_assignment (pcase, *a, &error))
        {
          cli_usage_error (command, "%s", error->message);
          return NULL;
        }
    }
  return g_steal_pointer (&pcase);
}

char *
cli_variant_list (const PsimProcedure *proc)
{
  GString *ids = g_string_new (NULL);
  for (guint i = 0; i < psim_procedure_get_n_variants (proc); i++)
    g_string_append_printf (ids, "%s%s", i > 0 ? ", " : "",
                            psim_variant_get_id (psim_procedure_get_variant (proc, i)));
  return g_string_free (ids, FALSE);
}

void
cli_print_diagnostics (const GPtrArray *diags, const char *lang)
{
  for (guint i = 0; diags != NULL && i < diags->len; i++)
    {
      g_autofree char *line = psim_diagnostic_to_string (g_ptr_array_index (diags, i), lang);
      g_printerr ("%s\n", line);
    }
}

gboolean
cli_write_output (const char *path, const char *data, gsize size, GError **error)
{
  GStatBuf st;
  if (g_stat (path, &st) == 0 && !S_ISREG (st.st_mode) && !S_ISDIR (st.st_mode))
    {
      /* A device or a pipe (/dev/null, /dev/stdout, a FIFO) is written to
       * as it is: renaming a temporary file over it would replace it. */
      FILE *f = g_fopen (path, "wb");
      gboolean ok = f != NULL && fwrite (data, 1, size, f) == size;
      int saved = errno;
      if (f != NULL && fclose (f) != 0 && ok)
        {
          ok = FALSE;
          saved = errno;
        }
      if (!ok)
        g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                     _("cannot write %s: %s"), path, g_strerror (saved));
      return ok;
    }
  /* A temporary file, then renamed: the file is whole or as it was. */
  return g_file_set_contents (path, data, (gssize) size, error);
}

void
cli_json_add_string (JsonBuilder *b, const char *member, const char *value)
{
  json_builder_set_member_name (b, member);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

void
cli_json_add_number (JsonBuilder *b, const char *member, double v)
{
  json_builder_set_member_name (b, member);
  if (v == floor (v) && fabs (v) < 9e15)
    json_builder_add_int_value (b, (gint64) v);
  else
    psim_json_add_double (b, v);
}

char *
cli_json_finish (JsonBuilder *b)
{
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  json_generator_set_root (gen, root);
  g_autofree char *text = json_generator_to_data (gen, NULL);
  return g_strconcat (text, "\n", NULL);
}
