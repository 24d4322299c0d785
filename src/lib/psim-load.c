/* psim-load.c — procedure files → model: the loader object and the order
 * of the stages.
 *
 * The pipeline: read the file (capped at PSIM_LOAD_MAX_FILE_SIZE), refuse
 * an element with too many attributes (psim-xml-scan.c), then parse,
 * validate against the embedded XSD and build the model in one pass
 * (psim-load-parse.c, -build.c, -process.c), which also reports what only
 * the XML shows (missing xml:lang, malformed numbers); then psim-check.c
 * resolves references and checks the graphs, and psim-sim-load.c the
 * simulation's figures. Every finding is a diagnostic, sorted into document
 * order; nothing is printed.
 *
 * A loader compiles its schemas once and keeps the procedures scenarios
 * name, loaded once while their file does not change.
 */
#include "psim-load-private.h"
#include "psim-sim-private.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "psim-resources.h"
#include <procsim/psim-file.h>

G_DEFINE_QUARK (psim-load-error-quark, psim_load_error)

struct _PsimLoader {
  xmlSchemaPtr schema;
  PsimExprContext *expr;
  const char *lang; /* of the diagnostics: psim_lang_normalize()'s, static */
  xmlSchemaPtr scenario_schema; /* compiled on the first scenario */
  GHashTable *shared; /* real path → Shared: the procedures scenarios name */
};

/* A procedure loaded for scenarios, with what its load said and its bytes
 * (scenario checksums cover them), valid while the file is unchanged. */
typedef struct {
  PsimProcedure *proc;
  GBytes *bytes;
  GPtrArray *diags;
  GStatBuf st;
} Shared;

static void
shared_free (Shared *sh)
{
  psim_procedure_unref (sh->proc);
  g_bytes_unref (sh->bytes);
  g_ptr_array_unref (sh->diags);
  g_free (sh);
}

/* ---- loader --------------------------------------------------------------- */

GBytes *
psim_schema_get_bytes (void)
{
  return g_resource_lookup_data (psim_resources_get_resource (),
                                 "/org/procsim/procedure.xsd",
                                 G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
}

PsimLoader *
psim_loader_new (GError **error)
{
  xmlInitParser ();
  g_autoptr (GBytes) xsd = psim_schema_get_bytes ();
  if (xsd == NULL)
    {
      g_set_error (error, PSIM_LOAD_ERROR, PSIM_LOAD_ERROR_INTERNAL,
                   "embedded schema missing");
      return NULL;
    }
  gsize size = 0;
  const char *data = g_bytes_get_data (xsd, &size);
  g_autofree char *first = NULL;
  xmlSchema *schema = psimp_xml_schema_compile (data, size, "procedure.xsd", &first);
  if (schema == NULL)
    {
      g_set_error (error, PSIM_LOAD_ERROR, PSIM_LOAD_ERROR_INTERNAL,
                   "embedded schema does not compile: %s", first);
      return NULL;
    }
  PsimLoader *loader = g_new0 (PsimLoader, 1);
  loader->schema = schema;
  loader->expr = psim_expr_context_new ();
  loader->shared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) shared_free);
  psim_loader_set_language (loader, NULL);
  return loader;
}

void
psim_loader_set_language (PsimLoader *loader, const char *lang)
{
  g_return_if_fail (loader != NULL);
  loader->lang = psim_lang_normalize (lang);
  psim_expr_context_set_language (loader->expr, loader->lang);
}

const char *
psim_loader_get_language (const PsimLoader *loader)
{
  g_return_val_if_fail (loader != NULL, "en");
  return loader->lang;
}

void
psim_loader_free (PsimLoader *loader)
{
  if (loader == NULL)
    return;
  xmlSchemaFree (loader->schema);
  if (loader->scenario_schema != NULL)
    xmlSchemaFree (loader->scenario_schema);
  g_hash_table_unref (loader->shared);
  psim_expr_context_free (loader->expr);
  g_free (loader);
}

xmlSchemaPtr
psimp_loader_get_scenario_schema (PsimLoader *loader, GError **error)
{
  if (loader->scenario_schema != NULL)
    return loader->scenario_schema;
  g_autoptr (GBytes) xsd = g_resources_lookup_data ("/org/procsim/scenario.xsd",
                                                    G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (xsd == NULL)
    return NULL;
  gsize len = 0;
  const char *text = g_bytes_get_data (xsd, &len);
  g_autofree char *first = NULL;
  loader->scenario_schema = psimp_xml_schema_compile (text, len, "scenario.xsd", &first);
  if (loader->scenario_schema == NULL)
    g_set_error (error, PSIM_LOAD_ERROR, PSIM_LOAD_ERROR_INTERNAL, "%s: %s",
                 psim_gettext (loader->lang, "the embedded scenario schema does not compile"),
                 first);
  return loader->scenario_schema;
}

static PsimDiagnostic *
diagnostic_copy (const PsimDiagnostic *d)
{
  PsimDiagnostic *c = g_new0 (PsimDiagnostic, 1);
  *c = (PsimDiagnostic) { d->severity, g_strdup (d->file), d->line, g_strdup (d->message) };
  return c;
}

static void
append_copies (GPtrArray *to, const GPtrArray *from)
{
  for (guint i = 0; to != NULL && i < from->len; i++)
    g_ptr_array_add (to, diagnostic_copy (g_ptr_array_index (from, i)));
}

PsimProcedure *
psimp_loader_load_shared (PsimLoader *loader, const char *path, GPtrArray *diags,
                          GBytes **bytes, GError **error)
{
  g_autofree char *real = realpath (path, NULL);
  GStatBuf st;
  gboolean known = real != NULL && g_stat (real, &st) == 0;
  Shared *sh = known ? g_hash_table_lookup (loader->shared, real) : NULL;
  if (sh != NULL && sh->st.st_dev == st.st_dev && sh->st.st_ino == st.st_ino
      && sh->st.st_size == st.st_size && sh->st.st_mtim.tv_sec == st.st_mtim.tv_sec
      && sh->st.st_mtim.tv_nsec == st.st_mtim.tv_nsec)
    {
      append_copies (diags, sh->diags);
      *bytes = g_bytes_ref (sh->bytes);
      return psim_procedure_ref (sh->proc);
    }
  /* Read once: the bytes loaded are the bytes a scenario checksums. */
  g_autoptr (GPtrArray) found = psim_diagnostics_new ();
  gsize size = 0;
  g_autoptr (GError) local = NULL;
  g_autofree char *data = psim_file_read (path, PSIM_LOAD_MAX_FILE_SIZE, loader->lang, &size,
                                          &local);
  if (data == NULL)
    {
      psim_diag_add (found, PSIM_SEVERITY_ERROR, path, 0, "%s", local->message);
      append_copies (diags, found);
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  PsimProcedure *proc = psim_loader_load_memory (loader, data, size, path, found, error);
  append_copies (diags, found);
  if (proc == NULL)
    return NULL;
  *bytes = g_bytes_new_take (g_steal_pointer (&data), size);
  if (known)
    {
      sh = g_new0 (Shared, 1);
      *sh = (Shared) { psim_procedure_ref (proc), g_bytes_ref (*bytes),
                       g_steal_pointer (&found), st };
      g_hash_table_replace (loader->shared, g_steal_pointer (&real), sh);
    }
  return proc;
}


static int
compare_lines (gconstpointer a, gconstpointer b)
{
  const PsimDiagnostic *da = *(PsimDiagnostic *const *) a;
  const PsimDiagnostic *db = *(PsimDiagnostic *const *) b;
  return (da->line > db->line) - (da->line < db->line);
}

PsimProcedure *
psim_loader_load_memory (PsimLoader *loader, const char *data, gsize size,
                         const char *name, GPtrArray *diags, GError **error)
{
  g_return_val_if_fail (loader != NULL && data != NULL && name != NULL, NULL);
  g_autoptr (GPtrArray) found = psim_diagnostics_new ();
  Load ld = { .file = name, .lang = loader->lang, .diags = found };
  g_autoptr (PsimProcedure) proc = NULL;
  guint line = 0;

  if (size > PSIM_LOAD_MAX_FILE_SIZE)
    psim_diag_add (found, PSIM_SEVERITY_ERROR, name, 0,
                   psim_gettext (loader->lang, "file too large: %lu bytes (the limit is %lu)"),
                   (unsigned long)size, (unsigned long)PSIM_LOAD_MAX_FILE_SIZE);
  else if (size == 0)
    psim_diag_add (found, PSIM_SEVERITY_ERROR, name, 0,
                   psim_gettext (loader->lang, "the file is empty"));
  else if (!psim_xml_check_attributes (data, size, &line))
    psim_diag_add (found, PSIM_SEVERITY_ERROR, name, line,
                   psim_gettext (loader->lang, "an element has more than %d attributes"),
                   PSIM_XML_MAX_ATTRIBUTES);
  else
    {
      proc = psim_procedure_new (name);
      if (psimp_load_parse (loader->schema, loader->expr, &ld, data, size, proc))
        {
          psim_check_procedure (proc, loader->expr, loader->lang, found);
          psim_sim_spec_check (proc, loader->lang, found);
        }
      else
        g_clear_pointer (&proc, psim_procedure_unref);
    }

  /* In document order, findings about the whole file first; the sort is
   * stable, so findings on one line keep the order they were made in. */
  g_ptr_array_sort (found, compare_lines);
  /* libxml2 can say the same thing twice (an encoding failure, once per
   * buffer it converts): once is enough. */
  for (guint i = 1; i < found->len;)
    {
      const PsimDiagnostic *prev = g_ptr_array_index (found, i - 1);
      const PsimDiagnostic *d = g_ptr_array_index (found, i);
      if (d->line == prev->line && d->severity == prev->severity
          && strcmp (d->message, prev->message) == 0)
        g_ptr_array_remove_index (found, i);
      else
        i++;
    }
  guint n_errors = psim_diagnostics_count_errors (found);
  if (found->len > MAX_DIAGNOSTICS && !ld.truncated)
    {
      g_ptr_array_set_size (found, MAX_DIAGNOSTICS);
      psim_diag_add (found, PSIM_SEVERITY_ERROR, name, 0,
                     psim_gettext (loader->lang, "too many errors; stopped after %d"),
                     MAX_DIAGNOSTICS);
    }
  if (diags != NULL)
    g_ptr_array_extend_and_steal (diags, g_steal_pointer (&found));
  if (n_errors > 0)
    {
      g_set_error (error, PSIM_LOAD_ERROR, PSIM_LOAD_ERROR_INVALID,
                   psim_ngettext (loader->lang, "%s: %u error", "%s: %u errors", n_errors), name,
                   n_errors);
      return NULL;
    }
  return g_steal_pointer (&proc);
}

PsimProcedure *
psim_loader_load_file (PsimLoader *loader, const char *path, GPtrArray *diags, GError **error)
{
  g_return_val_if_fail (loader != NULL && path != NULL, NULL);
  g_autoptr (GError) local = NULL;
  gsize size = 0;
  g_autofree char *data = psim_file_read (path, PSIM_LOAD_MAX_FILE_SIZE, loader->lang, &size,
                                         &local);
  if (data == NULL)
    {
      if (diags != NULL)
        psim_diag_add (diags, PSIM_SEVERITY_ERROR, path, 0, "%s", local->message);
      g_set_error (error, PSIM_LOAD_ERROR, PSIM_LOAD_ERROR_INVALID, "%s: %s", path,
                   local->message);
      return NULL;
    }
  return psim_loader_load_memory (loader, data, size, path, diags, error);
}

PsimProcedure *
psim_load_file (const char *path, const char *lang, GPtrArray *diags, GError **error)
{
  g_autoptr (PsimLoader) loader = psim_loader_new (error);
  if (loader == NULL)
    return NULL;
  psim_loader_set_language (loader, lang);
  return psim_loader_load_file (loader, path, diags, error);
}
