/* cli.h — what the procsim subcommands share: the environment resolved at
 * start-up (language, where the bundled files are) and presentation helpers.
 * The CLI only calls the library's public API.
 */
#pragma once

#include <glib.h>
#include <stdio.h>
#include <glib/gi18n.h>
#include <procsim/procsim.h>

/* Exit statuses, as documented in docs/cli.md. */
enum {
  CLI_EXIT_OK = 0,
  CLI_EXIT_USAGE = 1,
  CLI_EXIT_INVALID = 2,
};

typedef struct {
  const char *lang;      /* "en" or "vi" */
  gboolean lang_given;   /* by --lang, not from the locale */
  char *workflows_dir;   /* bundled procedures */
  char *scenarios_dir;   /* bundled training scenarios */
} CliEnv;

typedef int (*CliCommand) (int argc, char **argv, const CliEnv *env);

/* Switches the messages of the CLI to @lang ("en" or "vi") from here on:
 * for a resumed session, which speaks the language it was started in. */
void cli_use_language (const char *lang);

int cli_validate (int argc, char **argv, const CliEnv *env);
int cli_show (int argc, char **argv, const CliEnv *env);
int cli_list (int argc, char **argv, const CliEnv *env);
int cli_render (int argc, char **argv, const CliEnv *env);
int cli_train (int argc, char **argv, const CliEnv *env);
int cli_report (int argc, char **argv, const CliEnv *env);
int cli_compare (int argc, char **argv, const CliEnv *env);
int cli_simulate (int argc, char **argv, const CliEnv *env);
int cli_serve (int argc, char **argv, const CliEnv *env);
int cli_users (int argc, char **argv, const CliEnv *env);

/* The database `procsim serve` and `procsim users` use without --db:
 * sqlite:PATH under the XDG data directory. (transfer full) */
char *cli_default_db_url (void);
/* Opens the database at @url to read it (`report --db`, `render --db`):
 * an SQLite file must exist already, never created empty. NULL after
 * printing why, prefixed "procsim @command: ". (transfer full) */
struct _Db *cli_db_open_existing (const char *command, const char *url);
int cli_import (int argc, char **argv, const CliEnv *env);
int cli_export (int argc, char **argv, const CliEnv *env);

/* A subcommand's option context with the shared --lang option added and
 * the translation domain set. (transfer full) */
GOptionContext *cli_context_new (const char *parameter_string, const char *summary,
                                 const GOptionEntry *entries);
/* Parses; on a usage error prints it with a hint and returns FALSE. */
gboolean cli_parse (GOptionContext *ctx, const char *command, int *argc, char ***argv);
/* Prints a usage error for @command and returns CLI_EXIT_USAGE. */
int cli_usage_error (const char *command, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* Loads the procedure @arg names, a file or the id of a bundled
 * procedure, printing its diagnostics in the run's language; NULL if it
 * has errors or is not found. */
PsimProcedure *cli_load (const char *arg, const CliEnv *env);
/* A case for @proc with the --case KEY=VALUE assignments and the
 * --branch CHOICE=BRANCH settings applied; NULL after printing the error,
 * with *@status the exit status: a usage error for @command on a bad
 * assignment, FILE:LINE: message and CLI_EXIT_INVALID on a choice or
 * branch the file does not have. Its messages are in @lang. */
PsimCase *cli_case_new (PsimProcedure *proc, char **assignments, char **branches,
                        const char *command, const char *lang, int *status);

/* "legacy, digital": the ids of @proc's variants. (transfer full) */
char *cli_variant_list (const PsimProcedure *proc);

/* Prints each diagnostic on stderr as FILE:LINE: severity: message, the
 * severity in @lang. */
void cli_print_diagnostics (const GPtrArray *diags, const char *lang);

/* Writes @data to the file @path: through a temporary file renamed over it,
 * so that a regular file is either whole or left as it was; a device or a
 * FIFO (/dev/null, a pipe) is written to directly. */
gboolean cli_write_output (const char *path, const char *data, gsize size, GError **error);

/* The same, written as it comes: cli_output_open() gives a stdio stream
 * (to a temporary file beside @path, or to @path itself when it is a
 * device or a FIFO); cli_output_commit() closes it and renames it over
 * @path, or, on a write error, removes it; cli_output_abort() removes it.
 * Both free @output. */
typedef struct _CliOutput CliOutput;
CliOutput *cli_output_open (const char *path, GError **error);
FILE *cli_output_get_file (CliOutput *output);
gboolean cli_output_commit (CliOutput *output, GError **error);
void cli_output_abort (CliOutput *output);
/* Writes @size bytes of @data to @out (standard output when NULL or "-"),
 * a file whole or not at all (cli_write_output); on failure prints why for
 * @command and returns CLI_EXIT_INVALID, else CLI_EXIT_OK. */
int cli_emit (const char *command, const char *out, const char *data, gsize size);
/* The date a report states, in seconds since the epoch: SOURCE_DATE_EPOCH
 * when set (reproducible output), else now. */
gint64 cli_report_date (void);
/* Before CSV meant for spreadsheets: the UTF-8 byte order mark, by which
 * Excel knows the file is UTF-8 (the rest stays RFC 4180). */
#define CLI_CSV_BOM "\xEF\xBB\xBF"
