/* cmd-render.c — `procsim render FILE -o OUT`: a variant's process graph,
 * or two variants side by side, as DOT, SVG, PNG or PDF, with a path or a
 * trainee's session (its record file, or `--db URL` and its id) drawn
 * over it. The picture is made by the library (psim-render.h); this file
 * finds the session, picks the format and writes the file whole or not
 * at all.
 */
#include "cli.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "db.h"

/* The scenario a trainer uploaded to the server as @id, from the
 * database's copy of its files (the uploads table): written into a
 * private temporary folder under the file names it was checked under,
 * loaded from there, and the folder removed. NULL with @error set, with
 * PSIM_STORE_ERROR_NOT_FOUND when the database holds no such upload.
 * (transfer full) */
static PsimScenario *
db_uploaded_scenario (Db *db, const char *id, const CliEnv *env, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (DbUpload) u = db_get_upload (db, id, &local);
  if (u == NULL)
    {
      if (g_error_matches (local, DB_ERROR, DB_ERROR_NOT_FOUND))
        g_set_error (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_NOT_FOUND,
                     _("the session is not finished and its scenario '%s' is neither a bundled "
                       "one nor one uploaded to the server"),
                     id);
      else
        g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  g_autofree char *dir = g_dir_make_tmp ("procsim-render-XXXXXX", error);
  if (dir == NULL)
    return NULL;
  const char *names[] = { u->scenario_name, u->procedure_name };
  GBytes *files[] = { u->scenario_file, u->procedure_file };
  g_autoptr (GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  gboolean ok = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (names) && ok; i++)
    {
      if (names[i] == NULL || files[i] == NULL)
        continue;
      g_autofree char *base = g_path_get_basename (names[i]);
      char *path = g_build_filename (dir, base, NULL);
      g_ptr_array_add (written, path);
      gsize n = 0;
      const char *data = g_bytes_get_data (files[i], &n);
      ok = g_file_set_contents_full (path, data, (gssize) n, G_FILE_SET_CONTENTS_NONE, 0600, error);
    }
  PsimScenario *sc = NULL;
  if (ok)
    {
      g_autoptr (PsimLoader) loader = psim_loader_new (error);
      g_autofree char *base = g_path_get_basename (u->scenario_name);
      g_autofree char *path = g_build_filename (dir, base, NULL);
      if (loader != NULL)
        {
          psim_loader_set_language (loader, env->lang);
          sc = psim_scenario_load_file (loader, path, NULL, error);
        }
    }
  for (guint i = 0; i < written->len; i++)
    g_unlink (g_ptr_array_index (written, i));
  g_rmdir (dir);
  return sc;
}

/* The JSON record of session @id of the database at @url, or of its
 * checkpoint restored when it is not finished (its scenario a bundled one
 * or one uploaded to the server, from the database's copy); NULL with
 * @status set after saying why. (transfer full) */
static char *
db_session_record (const char *url, const char *id, const CliEnv *env, int *status)
{
  g_autoptr (Db) db = cli_db_open_existing ("render", url);
  *status = CLI_EXIT_INVALID;
  if (db == NULL)
    return NULL;
  PsimStore *store = db_get_store (db);
  g_autoptr (GError) error = NULL;
  g_autoptr (PsimStoreEntry) entry = psim_store_get_entry (store, id, &error);
  if (entry == NULL)
    {
      if (g_error_matches (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_NOT_FOUND))
        {
          *status = cli_usage_error ("render", _("%s has no session '%s'"), url, id);
          return NULL;
        }
      g_printerr ("procsim render: %s: %s\n", url, error->message);
      return NULL;
    }
  if (entry->finished)
    {
      char *record = psim_store_load_record (store, id, PSIM_STORE_RECORD_JSON, &error);
      if (record == NULL)
        g_printerr ("procsim render: %s#%s: %s\n", url, id, error->message);
      return record;
    }
  /* A session under way: its checkpoint replayed gives the path so far. */
  g_autofree char *checkpoint = psim_store_load (store, id, &error);
  g_autoptr (PsimCatalogue) cat = checkpoint != NULL ? psim_catalogue_new (env->lang, &error) : NULL;
  if (cat != NULL)
    psim_catalogue_add_dir (cat, env->scenarios_dir, NULL, NULL);
  PsimScenario *bundled = cat != NULL ? psim_catalogue_get_scenario (cat, entry->scenario) : NULL;
  g_autoptr (PsimScenario) uploaded
      = cat != NULL && bundled == NULL ? db_uploaded_scenario (db, entry->scenario, env, &error)
                                       : NULL;
  PsimScenario *sc = bundled != NULL ? bundled : uploaded;
  g_autoptr (PsimSession) s
      = sc != NULL ? psim_session_new_from_checkpoint (sc, checkpoint, env->lang, &error) : NULL;
  if (s == NULL)
    {
      g_printerr ("procsim render: %s#%s: %s\n", url, id, error->message);
      return NULL;
    }
  return psim_session_record_json (s, env->lang);
}

/* The format from -T, else from OUT's extension. (transfer none) */
static const char *
pick_format (const char *type, const char *out)
{
  if (type != NULL)
    return type;
  const char *dot = strrchr (out, '.');
  if (dot == NULL || strchr (dot, '/') != NULL)
    return NULL;
  if (strcmp (dot, ".gv") == 0)
    return "dot";
  for (const char *const *f = psim_render_formats (); *f != NULL; f++)
    if (strcmp (dot + 1, *f) == 0)
      return *f;
  return NULL;
}

int
cli_render (int argc, char **argv, const CliEnv *env)
{
  g_autofree char *variant_id = NULL;
  g_autofree char *compare = NULL;
  g_autofree char *out = NULL;
  g_autofree char *type = NULL;
  g_autofree char *db_url = NULL;
  g_auto (GStrv) highlight = NULL;
  g_auto (GStrv) cases = NULL;
  g_auto (GStrv) branches = NULL;
  gboolean details = FALSE;
  const GOptionEntry entries[] = {
    { "variant", 0, 0, G_OPTION_ARG_STRING, &variant_id,
      N_("Variant to draw (default: the first in the file)"), N_("V") },
    { "compare", 0, 0, G_OPTION_ARG_STRING, &compare,
      N_("Draw two variants side by side, e.g. --compare legacy,digital"), N_("A,B") },
    { "highlight", 0, 0, G_OPTION_ARG_STRING_ARRAY, &highlight,
      N_("Draw a path over the graph: step ids in the order taken, comma-separated, or a "
         "session whose path to draw: its record's JSON file, or its id with --db"),
      N_("ID,ID…|SESSION") },
    { "db", 0, 0, G_OPTION_ARG_STRING, &db_url,
      N_("Read the --highlight session from procsim serve's database at URL (sqlite:FILE or "
         "postgresql://…): --highlight then gives the session's id"),
      N_("URL") },
    { "details", 0, 0, G_OPTION_ARG_NONE, &details,
      N_("Show each step's duration and fees for the case"), NULL },
    { "case", 0, 0, G_OPTION_ARG_STRING_ARRAY, &cases,
      N_("Set case data, e.g. --case price=2500000000 (repeatable)"), N_("KEY=VALUE") },
    { "branch", 0, 0, G_OPTION_ARG_STRING_ARRAY, &branches,
      N_("Follow a branch that chance decides: the choice's id and the id of the node the "
         "branch leads to, e.g. --branch dossier-check=submit-dossier (repeatable)"),
      N_("CHOICE=BRANCH") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out,
      N_("Output file; its extension (.svg .png .pdf .dot) picks the format; - for standard "
         "output"), N_("OUT") },
    { "format", 'T', 0, G_OPTION_ARG_STRING, &type,
      N_("Output format: dot, svg, png or pdf (overrides the extension)"), N_("FORMAT") },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = cli_context_new (
    _("FILE|ID"), _("Draw the process graph of a variant, with one swimlane per actor, or two "
                 "variants side by side (--compare) with what each reformed step replaces. "
                 "Layout and rendering are done by Graphviz, in process."),
    entries);
  if (!cli_parse (ctx, "render", &argc, &argv))
    return CLI_EXIT_USAGE;
  if (argc != 2)
    return cli_usage_error ("render", argc < 2 ? _("no file given") : _("give exactly one file"));
  if (out == NULL)
    return cli_usage_error ("render", _("no output file given (-o OUT)"));
  if (variant_id != NULL && compare != NULL)
    return cli_usage_error ("render", _("give either --variant or --compare, not both"));
  if (db_url != NULL
      && (highlight == NULL || g_strv_length (highlight) != 1 || strchr (highlight[0], ',') != NULL))
    return cli_usage_error ("render", _("--db needs one session's id: --highlight SESSION"));
  const char *format = pick_format (type, out);
  if (format == NULL)
    return cli_usage_error ("render", strcmp (out, "-") == 0
                                        ? _("with -o -, give the format with -T")
                                        : _("cannot tell the format from '%s'; use -T"),
                            out);

  g_autoptr (PsimProcedure) proc = cli_load (argv[1], env);
  if (proc == NULL)
    return CLI_EXIT_INVALID;

  /* --highlight SESSION: the path of a session record, from its file or
   * from the database. */
  g_autoptr (PsimRecordPath) record = NULL;
  g_autofree char *record_name = NULL;
  if (db_url != NULL)
    {
      int status = CLI_EXIT_OK;
      record_name = g_strdup_printf ("%s#%s", db_url, highlight[0]);
      g_autofree char *json = db_session_record (db_url, highlight[0], env, &status);
      if (json == NULL)
        return status;
      g_autoptr (GError) local = NULL;
      record = psim_record_path_read (json, -1, record_name, env->lang, &local);
      if (record == NULL)
        {
          g_printerr ("procsim render: %s\n", local->message);
          return CLI_EXIT_INVALID;
        }
    }
  else if (highlight != NULL && g_strv_length (highlight) == 1
           && g_file_test (highlight[0], G_FILE_TEST_IS_REGULAR))
    {
      gsize size = 0;
      g_autoptr (GError) local = NULL;
      record_name = g_strdup (highlight[0]);
      g_autofree char *json = psim_file_read (highlight[0], PSIM_LOAD_MAX_FILE_SIZE, env->lang,
                                              &size, &local);
      if (json != NULL)
        record = psim_record_path_read (json, (gssize) size, highlight[0], env->lang, &local);
      if (record == NULL)
        return cli_usage_error ("render", "%s", local->message);
    }
  if (record != NULL)
    {
      if (strcmp (record->procedure, psim_procedure_get_id (proc)) != 0)
        return cli_usage_error ("render", _("%s is a session of procedure '%s', not of '%s'"),
                                record_name, record->procedure, psim_procedure_get_id (proc));
      /* Without a view asked for, the variant the session trained. */
      if (variant_id == NULL && compare == NULL)
        variant_id = g_strdup (record->variant);
    }

  g_auto (GStrv) pair = compare != NULL ? g_strsplit (compare, ",", -1) : NULL;
  if (pair != NULL && g_strv_length (pair) != 2)
    return cli_usage_error ("render", _("--compare takes two variants: A,B"));
  const char *wanted[2] = { pair != NULL ? pair[0] : variant_id, pair != NULL ? pair[1] : NULL };
  const PsimVariant *variants[2] = { NULL, NULL };
  for (guint i = 0; i < (pair != NULL ? 2u : 1u); i++)
    {
      variants[i] = wanted[i] != NULL ? psim_procedure_find_variant (proc, wanted[i])
                                      : psim_procedure_get_variant (proc, 0);
      if (variants[i] == NULL)
        return cli_usage_error ("render", _("%s has no variant '%s'"), argv[1], wanted[i]);
    }

  int status = CLI_EXIT_OK;
  g_autoptr (PsimCase) pcase = cli_case_new (proc, cases, branches, "render", env->lang, &status);
  if (pcase == NULL)
    return status;
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  for (char **h = record != NULL ? record->steps : highlight; h != NULL && *h != NULL; h++)
    {
      g_auto (GStrv) parts = g_strsplit (*h, ",", -1);
      for (char **p = parts; *p != NULL; p++)
        if (**p != '\0')
          g_ptr_array_add (ids, g_strstrip (g_strdup (*p)));
    }
  /* A branch followed is drawn as the case's path over the graph. */
  if (ids->len == 0 && pair == NULL && branches != NULL)
    {
      g_autoptr (GError) path_error = NULL;
      g_autoptr (PsimPath) path = psim_path_new (variants[0], pcase, &path_error);
      if (path == NULL)
        {
          g_printerr ("%s: %s\n", argv[1], path_error->message);
          return CLI_EXIT_INVALID;
        }
      for (guint i = 0; i < psim_path_get_n_nodes (path); i++)
        if (psim_node_get_kind (psim_path_get_node (path, i)) == PSIM_NODE_STEP)
          g_ptr_array_add (ids, g_strdup (psim_node_get_id (psim_path_get_node (path, i))));
    }
  g_ptr_array_add (ids, NULL);

  PsimRenderOptions opts = {
    .lang = env->lang,
    .pcase = pcase,
    .details = details,
    .highlight = ids->len > 1 ? (const char *const *) ids->pdata : NULL,
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (PsimRenderer) renderer = psim_renderer_new ();
  g_autoptr (GBytes) picture
    = pair != NULL ? psim_renderer_render_compare (renderer, variants[0], variants[1], &opts,
                                                   format, &error)
                   : psim_renderer_render_variant (renderer, variants[0], &opts, format, &error);
  if (picture == NULL)
    {
      if (g_error_matches (error, PSIM_RENDER_ERROR, PSIM_RENDER_ERROR_HIGHLIGHT)
          || g_error_matches (error, PSIM_RENDER_ERROR, PSIM_RENDER_ERROR_FORMAT))
        return cli_usage_error ("render", "%s", error->message);
      g_printerr ("%s: %s\n", argv[1], error->message);
      return CLI_EXIT_INVALID;
    }

  gsize size = 0;
  const char *data = g_bytes_get_data (picture, &size);
  if (strcmp (out, "-") == 0)
    {
      fwrite (data, 1, size, stdout);
      return CLI_EXIT_OK;
    }
  /* Never a half picture (see cli_write_output). */
  if (!cli_write_output (out, data, size, &error))
    {
      g_printerr ("procsim render: %s\n", error->message);
      return CLI_EXIT_INVALID;
    }
  return CLI_EXIT_OK;
}
