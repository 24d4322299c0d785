/* psim-bpmn.h — BPMN 2.0 in and out.
 *
 * Import maps a BPMN 2.0 file (each process a variant, lanes and pools the
 * actors, tasks the steps, gateways choices and parallel sections, BPSim
 * 1.0/2.0 parameters durations, probabilities and fees) to a procsim
 * procedure file, which then goes through the normal loader and its checks:
 * an imported model is always a real procedure. Problems in the BPMN are
 * diagnostics "FILE:LINE: message" naming the BPMN element; what procsim
 * cannot represent is a warning, never dropped silently. The mapping, and
 * what is refused, is documented in docs/bpmn.md.
 *
 * Export writes a procedure as BPMN 2.0 with BPMNDI (laid out by Graphviz),
 * durations and probabilities as BPSim 2.0 parameters and procsim's own
 * facts in the extension namespace PSIM_BPMN_NS, so that exporting and
 * importing again gives the same procedure.
 */
#pragma once

#include <glib.h>
#include <procsim/psim-load.h>
#include <procsim/psim-model.h>

G_BEGIN_DECLS

/* The namespace of procsim's facts inside BPMN extension elements. */
#define PSIM_BPMN_NS "urn:procsim:bpmn:1"

#define PSIM_BPMN_ERROR (psim_bpmn_error_quark ())
GQuark psim_bpmn_error_quark (void);

typedef enum {
  PSIM_BPMN_ERROR_INVALID,  /* the input has errors: see the diagnostics */
  PSIM_BPMN_ERROR_VARIANT,  /* export: no such variant */
  PSIM_BPMN_ERROR_LAYOUT,   /* export: Graphviz could not lay the diagram out */
} PsimBpmnError;

/* What an import read from the BPMN file, counted over every process
 * (sub-processes included) before any mapping: for reports and tests. */
typedef struct {
  guint processes;
  guint tasks;     /* every activity kind: task, userTask…, callActivity, sub-processes not */
  guint gateways;
  guint events;    /* start, end, intermediate and boundary events */
  guint flows;     /* sequence flows */
  guint lanes;
} PsimBpmnStats;

/* TRUE when @path names a BPMN file by its extension (.bpmn, .bpmn2). */
gboolean psim_bpmn_is_bpmn_path (const char *path);

/* Imports @path: BPMN → procedure XML → @loader. Every finding is appended
 * to @diags (may be NULL), with the BPMN file's name and lines. Returns the
 * procedure (transfer full), or NULL with @error set when any finding is an
 * error. When @xml is not NULL it receives the procedure file the import
 * produced (transfer full), only on success. @stats (nullable) receives
 * what was read. */
PsimProcedure *psim_bpmn_import_file (PsimLoader *loader, const char *path, GBytes **xml,
                                      PsimBpmnStats *stats, GPtrArray *diags, GError **error);
/* Same from memory; @name is the file name used in diagnostics. */
PsimProcedure *psim_bpmn_import_memory (PsimLoader *loader, const char *data, gsize size,
                                        const char *name, GBytes **xml, PsimBpmnStats *stats,
                                        GPtrArray *diags, GError **error);

/* Exports @proc as BPMN 2.0 XML with BPMNDI: every variant as a pool of
 * one collaboration, or only @variant_id when it is not NULL. Texts are
 * written in @lang for BPMN's single-language names (all languages stay in
 * the extension elements). (transfer full) NULL with @error set when the
 * variant does not exist or the layout fails. */
GBytes *psim_bpmn_export (const PsimProcedure *proc, const char *variant_id, const char *lang,
                          GError **error);

G_END_DECLS
