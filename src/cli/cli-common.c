/* cli-common.c — option parsing, diagnostics and number formatting shared
 * by the subcommands.
 */
#include "cli.h"
#include "db.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
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

/* The line of the first choice @id in @proc's variants, 0 if none. */
static guint
choice_line (const PsimProcedure *proc, const char *id)
{
  for (guint v = 0; v < psim_procedure_get_n_variants (proc); v++)
    {
      const PsimNode *n = psim_variant_find_node (psim_procedure_get_variant (proc, v), id);
      if (n != NULL && psim_node_get_kind (n) == PSIM_NODE_CHOICE)
        return psim_node_get_line (n);
    }
  return 0;
}

PsimCase *
cli_case_new (PsimProcedure *proc, char **assignments, char **branches, const char *command,
              const char *lang, int *status)
{
  g_autoptr (PsimCase) pcase = psim_case_new (proc);
  psim_case_set_language (pcase, lang);
  *status = CLI_EXIT_USAGE;
  for (char **a = assignments; a != NULL && *a != NULL; a++)
    {
      g_autoptr (GError) error = NULL;
      if (!psim_case_set_assignment (pcase, *a, &error))
        {
          cli_usage_error (command, "%s", error->message);
          return NULL;
        }
    }
  for (char **b = branches; b != NULL && *b != NULL; b++)
    {
      g_autoptr (GError) error = NULL;
      if (!psim_case_set_branch_assignment (pcase, *b, &error))
        {
          /* Point at the choice in the file, as a loader message does. */
          g_autofree char *choice = g_strndup (*b, strcspn (*b, "="));
          guint line = choice_line (proc, g_strstrip (choice));
          const char *file = psim_procedure_get_file (proc);
          const char *sev = psim_gettext (lang, "error");
          if (line > 0)
            g_printerr ("%s:%u: %s: %s\n", file, line, sev, error->message);
          else
            g_printerr ("%s: %s: %s\n", file, sev, error->message);
          *status = CLI_EXIT_INVALID;
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
  char *path;   /* the file written: the target of @path's links */
  char *tmp;    /* NULL when writing to the path itself (a device, a pipe) */
  guint pending; /* its slot in pending_temps, + 1 (0: none) */
};

/* The temporary files being written, for the signal handler: a process
 * stopped by SIGINT, SIGTERM or SIGHUP removes them before it dies
 * (SIGKILL leaves them: they are named ".NAME.XXXXXX.tmp"). The slots are
 * changed with those signals blocked, so the handler never sees one half
 * set or freed. */
static char *volatile pending_temps[4];
static const int cleanup_signals[] = { SIGINT, SIGTERM, SIGHUP };

static void
on_fatal_signal (int sig)
{
  for (guint i = 0; i < G_N_ELEMENTS (pending_temps); i++)
    if (pending_temps[i] != NULL)
      unlink (pending_temps[i]);
  /* Dies of the signal, as it would have without the handler. */
  signal (sig, SIG_DFL);
  raise (sig);
}

static void
block_cleanup_signals (gboolean block, sigset_t *saved)
{
  sigset_t set;
  sigemptyset (&set);
  for (guint i = 0; i < G_N_ELEMENTS (cleanup_signals); i++)
    sigaddset (&set, cleanup_signals[i]);
  if (block)
    sigprocmask (SIG_BLOCK, &set, saved);
  else
    sigprocmask (SIG_SETMASK, saved, NULL);
}

/* Puts @tmp in a free slot, installing the handler on the signals that
 * still kill by default (the trainer's own SIGINT handler stays). Returns
 * the slot + 1, or 0 when all are taken (the file is then not removed on
 * a signal, as before). */
static guint
track_temp (char *tmp)
{
  static gboolean installed;
  sigset_t saved;
  block_cleanup_signals (TRUE, &saved);
  if (!installed)
    {
      installed = TRUE;
      for (guint i = 0; i < G_N_ELEMENTS (cleanup_signals); i++)
        {
          struct sigaction old;
          if (sigaction (cleanup_signals[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL)
            {
              struct sigaction sa;
              memset (&sa, 0, sizeof sa);
              sa.sa_handler = on_fatal_signal;
              sigemptyset (&sa.sa_mask);
              sigaction (cleanup_signals[i], &sa, NULL);
            }
        }
    }
  guint slot = 0;
  for (guint i = 0; i < G_N_ELEMENTS (pending_temps) && slot == 0; i++)
    if (pending_temps[i] == NULL)
      {
        pending_temps[i] = tmp;
        slot = i + 1;
      }
  block_cleanup_signals (FALSE, &saved);
  return slot;
}

static void
untrack_temp (guint slot)
{
  if (slot == 0)
    return;
  sigset_t saved;
  block_cleanup_signals (TRUE, &saved);
  pending_temps[slot - 1] = NULL;
  block_cleanup_signals (FALSE, &saved);
}

CliOutput *
cli_output_open (const char *path, GError **error)
{
  g_autoptr (GError) local = NULL;
  /* Through a symbolic link to its target: the link stays a link. */
  g_autofree char *target = psim_file_resolve_links (path, &local);
  if (target == NULL)
    {
      g_set_error (error, G_FILE_ERROR, local->code, _("cannot write %s: %s"), path,
                   local->message);
      return NULL;
    }
  CliOutput *o = g_new0 (CliOutput, 1);
  o->path = g_steal_pointer (&target);
  GStatBuf st;
  int saved = 0;
  if (g_stat (o->path, &st) == 0 && !S_ISREG (st.st_mode) && !S_ISDIR (st.st_mode))
    {
      /* A device or a pipe (/dev/null, /dev/stdout, a FIFO) is written to
       * as it is: renaming a temporary file over it would replace it. */
      o->file = g_fopen (o->path, "wb");
      saved = errno;
    }
  else
    {
      /* A temporary file beside it, with its permissions, renamed over it
       * at the end: the file is whole or as it was. */
      /* The signals wait until the file is tracked: one arriving in
       * between would leave it. */
      /* What an earlier writer of this file left when it was killed
       * (SIGKILL: no handler ran) goes first; never a live writer's. */
      psim_file_remove_stale_temps (o->path);
      sigset_t mask;
      block_cleanup_signals (TRUE, &mask);
      int fd = psim_file_create_temp (o->path, &o->tmp, NULL);
      saved = errno;
      if (fd >= 0)
        o->pending = track_temp (o->tmp);
      block_cleanup_signals (FALSE, &mask);
      if (fd >= 0)
        {
          if ((o->file = fdopen (fd, "wb")) == NULL)
            {
              saved = errno;
              close (fd);
              g_unlink (o->tmp);
              untrack_temp (o->pending);
            }
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
  untrack_temp (o->pending);
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
