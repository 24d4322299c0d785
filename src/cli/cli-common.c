/* cli-common.c — option parsing, diagnostics and number formatting shared
 * by the subcommands.
 */
#include "cli.h"
#include "db.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

struct _CliOutput {
  FILE *file;
  char *path;
  char *tmp; /* NULL when writing to the path itself (a device, a pipe) */
};

CliOutput *
cli_output_open (const char *path, GError **error)
{
  CliOutput *o = g_new0 (CliOutput, 1);
  o->path = g_strdup (path);
  GStatBuf st;
  int saved = 0;
  if (g_stat (path, &st) == 0 && !S_ISREG (st.st_mode) && !S_ISDIR (st.st_mode))
    {
      /* A device or a pipe (/dev/null, /dev/stdout, a FIFO) is written to
       * as it is: renaming a temporary file over it would replace it. */
      o->file = g_fopen (path, "wb");
      saved = errno;
    }
  else
    {
      /* A temporary file beside it, renamed over it at the end: the file
       * is whole or as it was. */
      g_autofree char *dir = g_path_get_dirname (path);
      g_autofree char *base = g_path_get_basename (path);
      g_autofree char *name = g_strdup_printf (".%s.XXXXXX", base);
      o->tmp = g_build_filename (dir, name, NULL);
      int fd = g_mkstemp_full (o->tmp, O_WRONLY, 0666);
      saved = errno;
      if (fd >= 0 && (o->file = fdopen (fd, "wb")) == NULL)
        {
          saved = errno;
          close (fd);
          g_unlink (o->tmp);
        }
    }
  if (o->file == NULL)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), _("cannot write %s: %s"),
                   path, g_strerror (saved));
      g_free (o->tmp);
      g_free (o->path);
      g_free (o);
      return NULL;
    }
  return o;
}

FILE *
cli_output_get_file (CliOutput *output)
{
  return output->file;
}

static void
output_free (CliOutput *o)
{
  g_free (o->tmp);
  g_free (o->path);
  g_free (o);
}

gboolean
cli_output_commit (CliOutput *output, GError **error)
{
  CliOutput *o = output;
  gboolean ok = !ferror (o->file);
  int saved = ok ? 0 : EIO;
  if (fclose (o->file) != 0 && ok)
    {
      ok = FALSE;
      saved = errno;
    }
  if (ok && o->tmp != NULL && g_rename (o->tmp, o->path) != 0)
    {
      ok = FALSE;
      saved = errno;
    }
  if (!ok)
    {
      if (o->tmp != NULL)
        g_unlink (o->tmp);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), _("cannot write %s: %s"),
                   o->path, g_strerror (saved));
    }
  output_free (o);
  return ok;
}

int
cli_emit (const char *command, const char *out, const char *data, gsize size)
{
  if (out == NULL || strcmp (out, "-") == 0)
    {
      if (fwrite (data, 1, size, stdout) != size || fflush (stdout) != 0 || ferror (stdout))
        {
          g_printerr (_("procsim %s: cannot write standard output: %s\n"), command,
                      g_strerror (errno));
          return CLI_EXIT_INVALID;
        }
      return CLI_EXIT_OK;
    }
  g_autoptr (GError) error = NULL;
  if (!cli_write_output (out, data, size, &error))
    {
      g_printerr ("procsim %s: %s\n", command, error->message);
      return CLI_EXIT_INVALID;
    }
  return CLI_EXIT_OK;
}

gint64
cli_report_date (void)
{
  /* https://reproducible-builds.org/specs/source-date-epoch/ */
  const char *epoch = g_getenv ("SOURCE_DATE_EPOCH");
  guint64 v;
  if (epoch != NULL && g_ascii_string_to_unsigned (epoch, 10, 0, G_MAXINT64 / G_USEC_PER_SEC, &v,
                                                   NULL))
    return (gint64) v;
  return g_get_real_time () / G_USEC_PER_SEC;
}

void
cli_output_abort (CliOutput *output)
{
  if (output == NULL)
    return;
  fclose (output->file);
  if (output->tmp != NULL)
    g_unlink (output->tmp);
  output_free (output);
}

gboolean
cli_write_output (const char *path, const char *data, gsize size, GError **error)
{
  CliOutput *o = cli_output_open (path, error);
  if (o == NULL)
    return FALSE;
  fwrite (data, 1, size, o->file);
  return cli_output_commit (o, error);
}

void
cli_use_language (const char *lang)
{
  g_setenv ("LANGUAGE", lang, TRUE);
  /* textdomain() tells gettext that the catalogues have changed, so that
   * it does not answer from what it has looked up already. */
  textdomain (GETTEXT_PACKAGE);
}

Db *
cli_db_open_existing (const char *command, const char *url)
{
  const char *path = g_str_has_prefix (url, "sqlite:") ? url + strlen ("sqlite:")
                     : strstr (url, ":") == NULL        ? url
                                                        : NULL;
  if (path != NULL && !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_printerr (_("procsim %s: %s: no such database file\n"), command, path);
      return NULL;
    }
  g_autoptr (GError) error = NULL;
  Db *db = db_open (url, &error);
  if (db == NULL)
    g_printerr ("procsim %s: %s\n", command, error->message);
  return db;
}
