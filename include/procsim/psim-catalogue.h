/* psim-catalogue.h — procedures and training scenarios by id.
 *
 * A catalogue loads every procedure and scenario file of the folders it is
 * given (the bundled ones, those installed, a trainer's own) once, and
 * hands out the loaded objects by id: a front-end serving many trainees
 * shares one loaded scenario among all their sessions. The procedure a
 * scenario names is the catalogue's own when it is the same file (one
 * loader, one procedure per file), and the scenario schema is compiled
 * once.
 *
 * Building a catalogue (psim_catalogue_new, psim_catalogue_add_dir) is
 * done by one thread; after that, reading it (the getters and lists) is
 * safe from any number of threads at once: nothing changes any more.
 */
#pragma once

#include <glib.h>
#include <procsim/psim-load.h>
#include <procsim/psim-scenario.h>

G_BEGIN_DECLS

typedef struct _PsimCatalogue PsimCatalogue;

/* An empty catalogue whose diagnostics are in @lang (psim-i18n.h).
 * (transfer full) NULL with @error if the embedded schema fails to
 * compile (a build defect). */
PsimCatalogue *psim_catalogue_new (const char *lang, GError **error);
void psim_catalogue_free (PsimCatalogue *cat);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsimCatalogue, psim_catalogue_free)

/* Loads the *.xml files of @dir, in name order: procedures first, then
 * scenarios. A file with errors is left out, its findings appended to
 * @diags (may be NULL); an id already in the catalogue keeps its first
 * file (add the folders that take precedence first), and a later file
 * with the same id is reported as a warning. FALSE with @error only when
 * @dir cannot be read. */
gboolean psim_catalogue_add_dir (PsimCatalogue *cat, const char *dir, GPtrArray *diags,
                                 GError **error);

/* (transfer none) (nullable) The procedure or scenario with id @id. */
PsimProcedure *psim_catalogue_get_procedure (const PsimCatalogue *cat, const char *id);
PsimScenario *psim_catalogue_get_scenario (const PsimCatalogue *cat, const char *id);

/* Everything in the catalogue, in id order. (transfer container)
 * (element-type PsimProcedure / PsimScenario) */
GPtrArray *psim_catalogue_list_procedures (const PsimCatalogue *cat);
GPtrArray *psim_catalogue_list_scenarios (const PsimCatalogue *cat);

G_END_DECLS
