/* psim-catalogue.c — procedures and scenarios by id (psim-catalogue.h).
 *
 * Two hash tables, id → loaded object, filled by psim_catalogue_add_dir
 * and only read afterwards. Every file goes through the catalogue's one
 * loader, so the schema is compiled once and a scenario's procedure is the
 * one already loaded from the same file (psimp_loader_load_shared).
 */
#include "psim-private.h"

#include <procsim/psim-catalogue.h>
#include <string.h>

struct _PsimCatalogue {
  PsimLoader *loader;
  GHashTable *procedures; /* id (owned by the procedure) → PsimProcedure (owned) */
  GHashTable *scenarios;  /* id (owned by the scenario) → PsimScenario (owned) */
};

PsimCatalogue *
psim_catalogue_new (const char *lang, GError **error)
{
  PsimLoader *loader = psim_loader_new (error);
  if (loader == NULL)
    return NULL;
  psim_loader_set_language (loader, lang);
  PsimCatalogue *cat = g_new0 (PsimCatalogue, 1);
  cat->loader = loader;
  cat->procedures = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                           (GDestroyNotify) psim_procedure_unref);
  cat->scenarios = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) psim_scenario_unref);
  return cat;
}

void
psim_catalogue_free (PsimCatalogue *cat)
{
  if (cat == NULL)
    return;
  g_hash_table_unref (cat->scenarios);
  g_hash_table_unref (cat->procedures);
  psim_loader_free (cat->loader);
  g_free (cat);
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Keeps @object under @id unless the id is taken, which is reported. */
static void
keep (PsimCatalogue *cat, GHashTable *table, const char *id, gpointer object,
      GDestroyNotify unref, const char *file, GPtrArray *diags)
{
  if (g_hash_table_contains (table, id))
    {
      if (diags != NULL)
        psim_diag_add (diags, PSIM_SEVERITY_WARNING, file, 0,
                       psim_gettext (psim_loader_get_language (cat->loader),
                                     "id '%s' is already in the catalogue; this file is left out"),
                       id);
      unref (object);
      return;
    }
  g_hash_table_insert (table, (gpointer) id, object);
}

gboolean
psim_catalogue_add_dir (PsimCatalogue *cat, const char *dir, GPtrArray *diags, GError **error)
{
  g_return_val_if_fail (cat != NULL && dir != NULL, FALSE);
  g_autoptr (GDir) d = g_dir_open (dir, 0, error);
  if (d == NULL)
    return FALSE;
  g_autoptr (GPtrArray) procedures = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) scenarios = g_ptr_array_new_with_free_func (g_free);
  for (const char *name; (name = g_dir_read_name (d)) != NULL;)
    {
      if (!g_str_has_suffix (name, ".xml"))
        continue;
      char *path = g_build_filename (dir, name, NULL);
      g_ptr_array_add (psim_file_is_scenario (path) ? scenarios : procedures, path);
    }
  g_ptr_array_sort (procedures, compare_strings);
  g_ptr_array_sort (scenarios, compare_strings);
  for (guint i = 0; i < procedures->len; i++)
    {
      const char *path = g_ptr_array_index (procedures, i);
      g_autoptr (GBytes) bytes = NULL;
      PsimProcedure *proc = psimp_loader_load_shared (cat->loader, path, diags, &bytes, NULL);
      if (proc != NULL)
        keep (cat, cat->procedures, psim_procedure_get_id (proc), proc,
              (GDestroyNotify) psim_procedure_unref, path, diags);
    }
  for (guint i = 0; i < scenarios->len; i++)
    {
      const char *path = g_ptr_array_index (scenarios, i);
      PsimScenario *sc = psim_scenario_load_file (cat->loader, path, diags, NULL);
      if (sc != NULL)
        keep (cat, cat->scenarios, psim_scenario_get_id (sc), sc,
              (GDestroyNotify) psim_scenario_unref, path, diags);
    }
  return TRUE;
}

PsimProcedure *
psim_catalogue_get_procedure (const PsimCatalogue *cat, const char *id)
{
  g_return_val_if_fail (cat != NULL && id != NULL, NULL);
  return g_hash_table_lookup (cat->procedures, id);
}

PsimScenario *
psim_catalogue_get_scenario (const PsimCatalogue *cat, const char *id)
{
  g_return_val_if_fail (cat != NULL && id != NULL, NULL);
  return g_hash_table_lookup (cat->scenarios, id);
}

/* The values of @table in the order of their keys. */
static GPtrArray *
list (GHashTable *table)
{
  g_autofree gpointer *keys = g_hash_table_get_keys_as_array (table, NULL);
  guint n = g_hash_table_size (table);
  qsort (keys, n, sizeof (gpointer), compare_strings);
  GPtrArray *out = g_ptr_array_sized_new (n);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (out, g_hash_table_lookup (table, keys[i]));
  return out;
}

GPtrArray *
psim_catalogue_list_procedures (const PsimCatalogue *cat)
{
  g_return_val_if_fail (cat != NULL, NULL);
  return list (cat->procedures);
}

GPtrArray *
psim_catalogue_list_scenarios (const PsimCatalogue *cat)
{
  g_return_val_if_fail (cat != NULL, NULL);
  return list (cat->scenarios);
}
