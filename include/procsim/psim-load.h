/* psim-load.h — loading procedure files, and the diagnostics it reports.
 *
 * Loading is: read (size-capped) → parse (no network, no DTD: a DOCTYPE is
 * refused before anything in it is read) → validate against the embedded
 * XSD → build the model → semantic checks (references, graph shape,
 * expressions, provenance). Problems come back as a list of diagnostics,
 * all of them, each with file and line; a procedure is returned only when
 * there is no error among them (warnings do not stop a load). The
 * diagnostics themselves are psim-diag.h's.
 */
#pragma once

#include <glib.h>
#include <procsim/psim-diag.h>
#include <procsim/psim-model.h>

G_BEGIN_DECLS

#define PSIM_LOAD_ERROR (psim_load_error_quark ())
GQuark psim_load_error_quark (void);

typedef enum {
  PSIM_LOAD_ERROR_INVALID, /* the file has errors: see the diagnostics */
  PSIM_LOAD_ERROR_INTERNAL, /* the embedded schema could not be compiled */
} PsimLoadError;

/* Largest file the loader reads, in bytes. */
#define PSIM_LOAD_MAX_FILE_SIZE (64u * 1024u * 1024u)

/* A loader keeps the compiled schema, so that loading many files compiles
 * it once. Not thread-safe; use one per thread. */
typedef struct _PsimLoader PsimLoader;

/* (transfer full) NULL and @error set if the embedded schema fails to
 * compile (a build defect). */
PsimLoader *psim_loader_new (GError **error);
void psim_loader_free (PsimLoader *loader);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsimLoader, psim_loader_free)

/* The language of the diagnostics and errors of the loads that follow,
 * scenarios included (psim-i18n.h: "vi", "en", "vi-VN"...; NULL or a
 * language procsim does not speak: English, the default). */
void psim_loader_set_language (PsimLoader *loader, const char *lang);
/* (transfer none) "en" or "vi": a static string. */
const char *psim_loader_get_language (const PsimLoader *loader);

/* Loads @path. Every finding is appended to @diags (may be NULL to discard
 * them). Returns the procedure (transfer full), or NULL with @error set
 * (PSIM_LOAD_ERROR_INVALID) when any finding is an error. */
PsimProcedure *psim_loader_load_file (PsimLoader *loader, const char *path,
                                      GPtrArray *diags, GError **error);
/* Same from memory; @name is used in diagnostics as the file name. A @size
 * over PSIM_LOAD_MAX_FILE_SIZE is refused without reading @data. */
PsimProcedure *psim_loader_load_memory (PsimLoader *loader, const char *data,
                                        gsize size, const char *name,
                                        GPtrArray *diags, GError **error);

/* One-shot convenience: a loader for one file, its findings in @lang. */
PsimProcedure *psim_load_file (const char *path, const char *lang, GPtrArray *diags,
                               GError **error);

/* The embedded XSD, as text. (transfer full) */
GBytes *psim_schema_get_bytes (void);

G_END_DECLS
