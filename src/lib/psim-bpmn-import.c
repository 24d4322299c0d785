/* psim-bpmn-import.c — BPMN 2.0 → procsim procedure file → the loader.
 *
 * The pipeline: parse the BPMN file with libxml2 under the loader's rules
 * (size cap, network off, no entity substitution, no DTD loading, a DOCTYPE
 * refused from the SAX callback that sees it), into a tree; read each
 * process (and each sub-process, flattened into it) into a small graph of
 * its own; normalise that graph into procsim's vocabulary (gateways into
 * choices, splits and joins, pass-through events bypassed, one start, the
 * parallel sections paired by post-dominance); write the procedure file,
 * remembering for each line written the BPMN line it came from; load it
 * with the normal loader, whose findings are moved back onto the BPMN
 * lines. So an imported model is always a real procedure, and every
 * finding names the BPMN file and line. What procsim cannot represent is a
 * warning naming the element. docs/bpmn.md has the mapping.
 *
 * Elements of PSIM_BPMN_NS (written by psim-bpmn-export.c) carry procsim's
 * own facts; they are copied into the procedure file as they are, so that
 * a round trip loses nothing, and checked by the loader like any file.
 *
 * Each stage has its file (psim-bpmn-import-xml.c, -graph.c, -normalise.c,
 * -write.c; psim-bpmn-import-private.h is what they share); this one runs
 * them and maps the loader's findings back.
 */
#include "psim-bpmn-import-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

G_DEFINE_QUARK (psim-bpmn-error-quark, psim_bpmn_error)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)

/* ---- the import ----------------------------------------------------------------- */

static const char *
pool_actor (Import *im, xmlNode *participant, xmlNode *process)
{
  xmlNode *src = participant != NULL ? participant : process;
  g_autofree char *id = psimp_bpmn_get (src, "id");
  g_autofree char *name = psimp_bpmn_get (src, "name");
  if (name == NULL && participant != NULL)
    name = psimp_bpmn_get (process, "name");
  Decl *d = psimp_bpmn_actor_decl (im, id, name != NULL ? name : id, psimp_bpmn_line_of (src));
  return d->id;
}

static gboolean
import_process (Import *im, xmlNode *proc)
{
  im->stats.processes++;
  Graph *g = g_new0 (Graph, 1);
  g->im = im;
  g->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) psimp_bpmn_node_free);
  g->by_bpmn = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g->flows = g_ptr_array_new ();
  g->boundaries = g_ptr_array_new ();
  g->x = proc;
  g->line = psimp_bpmn_line_of (proc);
  g->ext = psimp_bpmn_ext_of (proc, "variant");
  g_autofree char *pid = psimp_bpmn_get (proc, "id");
  g_autofree char *ext_id = g->ext != NULL ? psimp_bpmn_get (g->ext, "id") : NULL;
  g->id = psimp_bpmn_unique_id (im->variant_ids, ext_id != NULL ? ext_id : pid != NULL ? pid : "process");
  xmlNode *participant = pid != NULL ? g_hash_table_lookup (im->pool_of, pid) : NULL;
  g->title = psimp_bpmn_get (proc, "name");
  if (g->title == NULL && participant != NULL)
    g->title = psimp_bpmn_get (participant, "name");
  if (g->title == NULL)
    g->title = g_strdup (g->id);
  g->doc = psimp_bpmn_documentation (proc);
  g_ptr_array_add (im->graphs, g);

  for (xmlNode *c = proc->children; c != NULL; c = c->next)
    if (psimp_bpmn_is (c, "laneSet"))
      psimp_bpmn_read_lanes (im, c);
  /* Activities outside every lane belong to the pool (or the process). */
  gboolean needs_pool = FALSE;
  for (xmlNode *c = proc->children; c != NULL && !needs_pool; c = c->next)
    {
      if (!psimp_bpmn_in_ns (c, BPMN_NS) || !(psimp_bpmn_is_task ((const char *) c->name) || psimp_bpmn_is_subprocess ((const char *) c->name)
                                   || psimp_bpmn_is_event ((const char *) c->name)))
        continue;
      g_autofree char *id = psimp_bpmn_get (c, "id");
      needs_pool = id == NULL || !g_hash_table_contains (im->actor_of, id)
                   || psimp_bpmn_is_subprocess ((const char *) c->name);
    }
  if (needs_pool)
    g->actor = pool_actor (im, participant, proc);
  psimp_bpmn_read_documents (im, proc);
  psimp_bpmn_build_scope (im, g, proc, TRUE, NULL, NULL);
  if (g->nodes->len == 0)
    {
      warn_at (im, g->line, psim_gettext (im->lang, "process '%s' has no flow elements: no variant for it"), g->id);
      g_ptr_array_remove (im->graphs, g);
      return TRUE;
    }
  if (g->actor == NULL)
    g->actor = pool_actor (im, participant, proc);
  guint errors = psim_diagnostics_count_errors (im->diags);
  psimp_bpmn_connect (im, g);
  if (!psimp_bpmn_decide_start (im, g))
    return FALSE;
  psimp_bpmn_decide_gateways (im, g);
  psimp_bpmn_bypass (im, g);
  if (psim_diagnostics_count_errors (im->diags) > errors)
    return FALSE;
  psimp_bpmn_prune (im, g);
  return psimp_bpmn_pair_splits (im, g);
}

static gboolean
import_definitions (Import *im, xmlNode *root)
{
  psimp_bpmn_index_ids (im, root);
  psimp_bpmn_read_bpsim (im, root);
  for (xmlNode *c = root->children; c != NULL; c = c->next)
    {
      if (!psimp_bpmn_is (c, "collaboration"))
        continue;
      if (im->ext_procedure == NULL)
        im->ext_procedure = psimp_bpmn_ext_of (c, "procedure");
      for (xmlNode *p = c->children; p != NULL; p = p->next)
        {
          if (psimp_bpmn_is (p, "participant"))
            {
              g_autofree char *ref = psimp_bpmn_get_ref (p, "processRef");
              if (ref != NULL && !g_hash_table_contains (im->pool_of, ref))
                g_hash_table_insert (im->pool_of, g_steal_pointer (&ref), p);
              else if (ref == NULL)
                {
                  /* A black-box pool: an actor with no process. */
                  g_autofree char *id = psimp_bpmn_get (p, "id");
                  g_autofree char *name = psimp_bpmn_get (p, "name");
                  psimp_bpmn_actor_decl (im, id, name != NULL ? name : id, psimp_bpmn_line_of (p));
                }
            }
          else if (psimp_bpmn_is (p, "messageFlow"))
            {
              g_autofree char *id = psimp_bpmn_get (p, "id");
              warn_at (im, psimp_bpmn_line_of (p), psim_gettext (im->lang, "message flow '%s' is not represented: each pool's "
                                          "process is a variant of its own"), id != NULL ? id : "?");
            }
        }
    }
  gboolean ok = TRUE;
  for (xmlNode *c = root->children; c != NULL; c = c->next)
    if (psimp_bpmn_is (c, "process"))
      ok &= import_process (im, c);
  if (ok && im->graphs->len == 0)
    {
      error_at (im, psimp_bpmn_line_of (root), psim_gettext (im->lang, "no process with flow elements: nothing to import"));
      return FALSE;
    }
  return ok && psim_diagnostics_count_errors (im->diags) == 0;
}

gboolean
psim_bpmn_is_bpmn_path (const char *path)
{
  g_return_val_if_fail (path != NULL, FALSE);
  return g_str_has_suffix (path, ".bpmn") || g_str_has_suffix (path, ".bpmn2")
         || g_str_has_suffix (path, ".BPMN");
}

static int
compare_lines (gconstpointer a, gconstpointer b)
{
  const PsimDiagnostic *da = *(PsimDiagnostic *const *) a;
  const PsimDiagnostic *db = *(PsimDiagnostic *const *) b;
  return (da->line > db->line) - (da->line < db->line);
}

PsimProcedure *
psim_bpmn_import_memory (PsimLoader *loader, const char *data, gsize size, const char *name,
                         GBytes **xml, PsimBpmnStats *stats, GPtrArray *diags, GError **error)
{
  g_return_val_if_fail (loader != NULL && data != NULL && name != NULL, NULL);
  g_autoptr (GPtrArray) found = psim_diagnostics_new ();
  Import im = { .file = name, .diags = found, .lang = psim_loader_get_language (loader) };
  im.by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  im.actors = g_ptr_array_new_with_free_func ((GDestroyNotify) psimp_bpmn_decl_free);
  im.actor_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  im.actor_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  im.documents = g_ptr_array_new_with_free_func ((GDestroyNotify) psimp_bpmn_decl_free);
  im.document_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  im.document_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  im.graphs = g_ptr_array_new_with_free_func ((GDestroyNotify) psimp_bpmn_graph_free);
  im.variant_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  im.pool_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  im.sim = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  PsimProcedure *proc = NULL;
  g_autoptr (xmlDoc) doc = NULL;
  guint line = 0;

  if (size > PSIM_LOAD_MAX_FILE_SIZE)
    error_at (&im, 0, psim_gettext (im.lang, "file too large: %lu bytes (the limit is %lu)"), (unsigned long) size,
              (unsigned long) PSIM_LOAD_MAX_FILE_SIZE);
  else if (size == 0)
    error_at (&im, 0, psim_gettext (im.lang, "the file is empty"));
  else if (!psim_xml_check_attributes (data, size, &line))
    error_at (&im, line, psim_gettext (im.lang, "an element has more than %d attributes"),
              PSIM_XML_MAX_ATTRIBUTES);
  else
    {
      gboolean encoding_error = FALSE;
      doc = psimp_bpmn_parse (&im, data, size, NULL, &encoding_error);
      g_autofree char *declared = psimp_bpmn_declared_encoding (data, size);
      /* Tools write Windows text and call it UTF-8, or nothing: read it
       * as windows-1252 then (ISO-8859-1 for bytes it leaves undefined). */
      if (doc == NULL && encoding_error && !im.doctype && !g_utf8_validate (data, size, NULL)
          && (declared == NULL || g_ascii_strcasecmp (declared, "UTF-8") == 0))
        {
          static const char *const fallbacks[] = { "windows-1252", "ISO-8859-1" };
          for (guint i = 0; i < G_N_ELEMENTS (fallbacks) && doc == NULL; i++)
            {
              g_autoptr (GPtrArray) retry = psim_diagnostics_new ();
              im.diags = retry;
              doc = psimp_bpmn_parse (&im, data, size, fallbacks[i], &encoding_error);
              im.diags = found;
              if (doc != NULL)
                {
                  g_ptr_array_set_size (found, 0);
                  g_ptr_array_extend_and_steal (found, g_steal_pointer (&retry));
                  warn_at (&im, 1, declared != NULL
                                     ? psim_gettext (im.lang, "the file is not UTF-8 although it says so; read as %s")
                                     : psim_gettext (im.lang, "the file is not UTF-8 although it declares no encoding; "
                                         "read as %s"), fallbacks[i]);
                }
            }
        }
      xmlNode *root = doc != NULL ? xmlDocGetRootElement (doc) : NULL;
      if (root != NULL && !psimp_bpmn_is (root, "definitions"))
        {
          if (root->ns == NULL)
            error_at (&im, psimp_bpmn_line_of (root), psim_gettext (im.lang, "not a BPMN 2.0 file: the root element <%s> has no "
                                             "namespace; expected <definitions xmlns=\"%s\">"),
                      (const char *) root->name, BPMN_NS);
          else
            error_at (&im, psimp_bpmn_line_of (root), psim_gettext (im.lang, "not a BPMN 2.0 file: the root element is <%s> in "
                                             "namespace '%s'; expected <definitions> in '%s'"),
                      (const char *) root->name, (const char *) root->ns->href, BPMN_NS);
        }
      else if (root != NULL && import_definitions (&im, root))
        {
          Out o = { g_string_new (NULL), g_array_new (FALSE, FALSE, sizeof (guint)), 0 };
          guint zero = 0;
          g_array_append_val (o.lines, zero); /* lines count from 1 */
          psimp_bpmn_write_procedure (&im, &o, root);
          g_autoptr (GPtrArray) loaded = psim_diagnostics_new ();
          proc = psim_loader_load_memory (loader, o.s->str, o.s->len, name, loaded, NULL);
          for (guint i = 0; i < loaded->len; i++)
            {
              PsimDiagnostic *d = g_ptr_array_index (loaded, i);
              d->line = d->line < o.lines->len ? g_array_index (o.lines, guint, d->line) : 0;
            }
          g_ptr_array_extend_and_steal (found, g_steal_pointer (&loaded));
          if (proc != NULL && xml != NULL)
            *xml = g_bytes_new (o.s->str, o.s->len);
          g_string_free (o.s, TRUE);
          g_array_unref (o.lines);
        }
    }
  if (stats != NULL)
    *stats = im.stats;
  g_ptr_array_sort (found, compare_lines);
  guint n_errors = psim_diagnostics_count_errors (found);
  if (diags != NULL)
    g_ptr_array_extend_and_steal (diags, g_steal_pointer (&found));
  g_hash_table_unref (im.by_id);
  g_ptr_array_unref (im.graphs);
  g_ptr_array_unref (im.actors);
  g_hash_table_unref (im.actor_ids);
  g_hash_table_unref (im.actor_of);
  g_ptr_array_unref (im.documents);
  g_hash_table_unref (im.document_ids);
  g_hash_table_unref (im.document_of);
  g_hash_table_unref (im.variant_ids);
  g_hash_table_unref (im.pool_of);
  g_hash_table_unref (im.sim);
  if (n_errors > 0 || proc == NULL)
    {
      g_clear_pointer (&proc, psim_procedure_unref);
      g_set_error (error, PSIM_BPMN_ERROR, PSIM_BPMN_ERROR_INVALID,
                   psim_ngettext (im.lang, "%s: %u error", "%s: %u errors", MAX (n_errors, 1)),
                   name, MAX (n_errors, 1));
      return NULL;
    }
  return proc;
}

PsimProcedure *
psim_bpmn_import_file (PsimLoader *loader, const char *path, GBytes **xml, PsimBpmnStats *stats,
                       GPtrArray *diags, GError **error)
{
  g_return_val_if_fail (loader != NULL && path != NULL, NULL);
  g_autoptr (GError) local = NULL;
  struct stat st;
  gboolean regular = g_stat (path, &st) == 0 && S_ISREG (st.st_mode);
  if (regular && (guint64) st.st_size > PSIM_LOAD_MAX_FILE_SIZE)
    return psim_bpmn_import_memory (loader, "", (gsize) st.st_size, path, xml, stats, diags, error);
  g_autoptr (GMappedFile) map = regular ? g_mapped_file_new (path, FALSE, &local) : NULL;
  if (map == NULL)
    {
      g_autofree char *msg = local != NULL
        ? g_strdup (local->message)
        : errno != 0 && !regular && g_file_test (path, G_FILE_TEST_EXISTS) ? g_strdup (psim_gettext (psim_loader_get_language (loader), "not a regular file"))
        : g_strdup_printf (psim_gettext (psim_loader_get_language (loader), "cannot open the file: %s"), g_strerror (ENOENT));
      if (diags != NULL)
        psim_diag_add (diags, PSIM_SEVERITY_ERROR, path, 0, "%s", msg);
      g_set_error (error, PSIM_BPMN_ERROR, PSIM_BPMN_ERROR_INVALID, "%s: %s", path, msg);
      return NULL;
    }
  const char *data = g_mapped_file_get_contents (map);
  return psim_bpmn_import_memory (loader, data != NULL ? data : "", g_mapped_file_get_length (map),
                                  path, xml, stats, diags, error);
}
