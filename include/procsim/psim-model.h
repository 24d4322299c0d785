/* psim-model.h — the in-memory model of an administrative procedure.
 *
 * A PsimProcedure is what one procedure file holds: metadata, actors,
 * documents, case-data parameters, sources, laws and several variants (the
 * paper path, the digitised path...). Each variant is a process graph of
 * nodes: one start, steps, exclusive choices, parallel splits and joins, ends.
 *
 * The model is immutable once loaded (psim-load.h) and reference counted as
 * a whole: every object reached from a procedure is borrowed from it and
 * lives as long as the procedure does. Translatable texts are looked up by
 * language ("vi", "en"); a missing language falls back to English, then to
 * the first text given.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _PsimProcedure PsimProcedure;
typedef struct _PsimVariant PsimVariant;
typedef struct _PsimNode PsimNode;
typedef struct _PsimLimit PsimLimit;
typedef struct _PsimActor PsimActor;
typedef struct _PsimDocument PsimDocument;
typedef struct _PsimParam PsimParam;
typedef struct _PsimSource PsimSource;
typedef struct _PsimLaw PsimLaw;
typedef struct _PsimFee PsimFee;

typedef enum {
  PSIM_ACTOR_APPLICANT,
  PSIM_ACTOR_AGENCY,
  PSIM_ACTOR_INTERMEDIARY,
  PSIM_ACTOR_SYSTEM,
} PsimActorKind;

typedef enum {
  PSIM_CHANNEL_IN_PERSON,
  PSIM_CHANNEL_ONLINE,
  PSIM_CHANNEL_POST,
  PSIM_CHANNEL_INTER_AGENCY,
} PsimChannel;

typedef enum {
  PSIM_NODE_START,
  PSIM_NODE_END,
  PSIM_NODE_STEP,
  PSIM_NODE_CHOICE,
  PSIM_NODE_SPLIT,
  PSIM_NODE_JOIN,
} PsimNodeKind;

typedef enum {
  PSIM_UNIT_WORKING_DAYS,
  PSIM_UNIT_CALENDAR_DAYS,
  PSIM_UNIT_HOURS,
} PsimTimeUnit;

typedef enum {
  PSIM_FEE_TAX,     /* taxes: a reform does not change them */
  PSIM_FEE_FEE,     /* official fees: notary, registry, charges of the state */
  PSIM_FEE_SERVICE, /* private charges: bank, courier */
} PsimFeeKind;

typedef enum {
  PSIM_PARAM_NUMBER,
  PSIM_PARAM_BOOLEAN,
  PSIM_PARAM_STRING,
  PSIM_PARAM_ENUM,
} PsimParamType;

typedef enum {
  PSIM_BASIS_SOURCED,
  PSIM_BASIS_ESTIMATED,
} PsimBasis;

/* A number with its provenance: a duration, the applicant's effort, a legal
 * time limit. A fixed value has min == likely == max. */
typedef struct {
  PsimTimeUnit unit;
  double min;
  double likely;
  double max;
  PsimBasis basis;
  const PsimSource *source; /* NULL when estimated */
} PsimQuantity;

/* Stable names of the enumerations, as written in the XML format and in the
 * JSON output ("in-person", "working-days"...). (transfer none) */
const char *psim_actor_kind_to_string (PsimActorKind kind);
const char *psim_channel_to_string (PsimChannel channel);
const char *psim_node_kind_to_string (PsimNodeKind kind);
const char *psim_time_unit_to_string (PsimTimeUnit unit);
const char *psim_fee_kind_to_string (PsimFeeKind kind);
const char *psim_param_type_to_string (PsimParamType type);
const char *psim_basis_to_string (PsimBasis basis);

/* ---- procedure ---------------------------------------------------------- */

PsimProcedure *psim_procedure_ref (PsimProcedure *proc);
void psim_procedure_unref (PsimProcedure *proc);

/* The file the procedure was loaded from, as given to the loader. */
const char *psim_procedure_get_file (const PsimProcedure *proc);
const char *psim_procedure_get_id (const PsimProcedure *proc);
const char *psim_procedure_get_version (const PsimProcedure *proc);
const char *psim_procedure_get_date (const PsimProcedure *proc);
const char *psim_procedure_get_jurisdiction (const PsimProcedure *proc);
/* The currency of the procedure's amounts: its fees' (the checks make them
 * agree), or the format's default, "VND", when it has no fee.
 * (transfer none) */
const char *psim_procedure_get_currency (const PsimProcedure *proc);
/* (transfer none) (nullable: only description may be NULL) */
const char *psim_procedure_get_title (const PsimProcedure *proc, const char *lang);
const char *psim_procedure_get_description (const PsimProcedure *proc, const char *lang);

guint psim_procedure_get_n_variants (const PsimProcedure *proc);
const PsimVariant *psim_procedure_get_variant (const PsimProcedure *proc, guint i);
/* (nullable) NULL when no variant has that id. */
const PsimVariant *psim_procedure_find_variant (const PsimProcedure *proc, const char *id);

guint psim_procedure_get_n_actors (const PsimProcedure *proc);
const PsimActor *psim_procedure_get_actor (const PsimProcedure *proc, guint i);
guint psim_procedure_get_n_documents (const PsimProcedure *proc);
const PsimDocument *psim_procedure_get_document (const PsimProcedure *proc, guint i);
guint psim_procedure_get_n_params (const PsimProcedure *proc);
const PsimParam *psim_procedure_get_param (const PsimProcedure *proc, guint i);
/* (nullable) */
const PsimParam *psim_procedure_find_param (const PsimProcedure *proc, const char *id);
guint psim_procedure_get_n_sources (const PsimProcedure *proc);
const PsimSource *psim_procedure_get_source (const PsimProcedure *proc, guint i);
guint psim_procedure_get_n_laws (const PsimProcedure *proc);
const PsimLaw *psim_procedure_get_law (const PsimProcedure *proc, guint i);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsimProcedure, psim_procedure_unref)

/* ---- declarations ------------------------------------------------------- */

const char *psim_actor_get_id (const PsimActor *actor);
PsimActorKind psim_actor_get_kind (const PsimActor *actor);
const char *psim_actor_get_name (const PsimActor *actor, const char *lang);

const char *psim_document_get_id (const PsimDocument *doc);
const char *psim_document_get_name (const PsimDocument *doc, const char *lang);
/* TRUE when the data already sits in a national database (once-only). */
gboolean psim_document_get_national_db (const PsimDocument *doc);

const char *psim_param_get_id (const PsimParam *param);
PsimParamType psim_param_get_param_type (const PsimParam *param);
/* Whether a PSIM_PARAM_NUMBER parameter was declared type="integer": its
 * values are whole numbers. */
gboolean psim_param_is_integer (const PsimParam *param);
const char *psim_param_get_label (const PsimParam *param, const char *lang);
/* (nullable) */
const char *psim_param_get_unit (const PsimParam *param);
/* The default as written in the file ("3200000000", "false"). */
const char *psim_param_get_default (const PsimParam *param);
guint psim_param_get_n_options (const PsimParam *param);
const char *psim_param_get_option (const PsimParam *param, guint i);
/* The label of the option @value in @lang (or the nearest language the
 * file gives), NULL when the option has no label or @value is not one of
 * the param's options. (transfer none) (nullable) */
const char *psim_param_get_option_label (const PsimParam *param, const char *value,
                                         const char *lang);

const char *psim_source_get_id (const PsimSource *source);
/* (nullable) */
const char *psim_source_get_href (const PsimSource *source);
const char *psim_source_get_citation (const PsimSource *source);

const char *psim_law_get_id (const PsimLaw *law);
/* The official number, e.g. "101/2024/NĐ-CP". */
const char *psim_law_get_number (const PsimLaw *law);
const char *psim_law_get_title (const PsimLaw *law, const char *lang);

/* ---- variants and nodes ------------------------------------------------- */

const char *psim_variant_get_id (const PsimVariant *variant);
const char *psim_variant_get_title (const PsimVariant *variant, const char *lang);
/* (nullable) */
const char *psim_variant_get_description (const PsimVariant *variant, const char *lang);
/* (nullable) The variant this one reforms, for "replaces" mappings. */
const PsimVariant *psim_variant_get_baseline (const PsimVariant *variant);
const PsimProcedure *psim_variant_get_procedure (const PsimVariant *variant);
/* All nodes in document order. */
guint psim_variant_get_n_nodes (const PsimVariant *variant);
const PsimNode *psim_variant_get_node (const PsimVariant *variant, guint i);
/* (nullable) */
const PsimNode *psim_variant_find_node (const PsimVariant *variant, const char *id);
const PsimNode *psim_variant_get_start (const PsimVariant *variant);
/* Number of <step> nodes (whatever the path a case takes). */
guint psim_variant_get_n_steps (const PsimVariant *variant);

/* Legal limits above the step (docs/format.md, "time-limit (of a
 * variant)" and "duty"): the whole procedure's (nullable) and the
 * applicant's duties, in document order. Whether a case meets them:
 * psim_path_get_limit (). (transfer none) */
const PsimLimit *psim_variant_get_time_limit (const PsimVariant *variant);
guint psim_variant_get_n_duties (const PsimVariant *variant);
const PsimLimit *psim_variant_get_duty (const PsimVariant *variant, guint i);
/* Whether @limit is an applicant's duty (else the procedure's limit). */
gboolean psim_limit_is_duty (const PsimLimit *limit);
/* A duty's id; NULL for the procedure's limit. */
const char *psim_limit_get_id (const PsimLimit *limit);
/* (nullable) A duty's name: what the applicant must do. */
const char *psim_limit_get_name (const PsimLimit *limit, const char *lang);
/* The value without conditions (min = likely = max), its unit and its
 * provenance. */
const PsimQuantity *psim_limit_get_quantity (const PsimLimit *limit);
/* (nullable) The law that sets the limit. */
const PsimLaw *psim_limit_get_law (const PsimLimit *limit);
/* (nullable) Where the count starts: the end of this node (a step, or the
 * start node); NULL: the start of the procedure. */
const PsimNode *psim_limit_get_from (const PsimLimit *limit);
/* (nullable) The step that must be done in time; NULL: the procedure's
 * end. */
const PsimNode *psim_limit_get_by (const PsimLimit *limit);
/* The cut-off time of day in hours after midnight (a dossier filed later
 * counts from the next working day); -1 when none. */
double psim_limit_get_cut_off (const PsimLimit *limit);
/* (nullable) The case parameter that holds the time of day the dossier
 * is filed, in hours after midnight. */
const PsimParam *psim_limit_get_filed_param (const PsimLimit *limit);
/* The conditions, in document order: the first that holds for a case
 * gives the limit's value. *@step (nullable): the condition holds only
 * when the path takes this step; *@test (nullable): the XPath source that
 * must hold for the case. Returns the value. */
guint psim_limit_get_n_conditions (const PsimLimit *limit);
double psim_limit_get_condition (const PsimLimit *limit, guint i, const PsimNode **step,
                                 const char **test);

const char *psim_node_get_id (const PsimNode *node);
PsimNodeKind psim_node_get_kind (const PsimNode *node);
/* Line of the node's element in its file. */
guint psim_node_get_line (const PsimNode *node);
const PsimVariant *psim_node_get_variant (const PsimNode *node);
/* (nullable) Name of a step (never NULL), or of a choice/split/end if given. */
const char *psim_node_get_name (const PsimNode *node, const char *lang);

/* Outgoing flows: one for start, step and join; one per branch for choice
 * and split; none for end. */
guint psim_node_get_n_successors (const PsimNode *node);
const PsimNode *psim_node_get_successor (const PsimNode *node, guint i);
/* Branch attributes of a choice. (nullable) condition: the XPath source. */
gboolean psim_node_get_branch_probability (const PsimNode *node, guint i, double *probability);
const char *psim_node_get_branch_condition (const PsimNode *node, guint i);
const char *psim_node_get_branch_label (const PsimNode *node, guint i, const char *lang);
/* The join a split waits at; NULL for other kinds. */
const PsimNode *psim_node_get_join (const PsimNode *node);

/* Step attributes; the functions return 0/NULL/FALSE on non-step nodes. */
const PsimActor *psim_step_get_actor (const PsimNode *step);
/* The external party the applicant deals with (defaults to the actor). */
const PsimActor *psim_step_get_party (const PsimNode *step);
PsimChannel psim_step_get_channel (const PsimNode *step);
/* An applicant interaction with an external party: a "procedure" in the
 * Doing Business sense. */
gboolean psim_step_is_interaction (const PsimNode *step);
gboolean psim_step_is_visit (const PsimNode *step);
/* (nullable) The office that holds the dossier during the step: the actor
 * when it is an agency or an intermediary, else the `with` party when it
 * is one; NULL for a step of the applicant alone or of a system. */
const PsimActor *psim_step_get_office (const PsimNode *step);
/* Whether the dossier reaches the step's office on paper (carried by the
 * applicant or sent by an office) rather than by electronic exchange:
 * the step's dossier= attribute, by default paper for in-person and postal
 * steps, electronic for online and inter-agency ones. */
gboolean psim_step_receives_paper (const PsimNode *step);
/* (nullable) */
const char *psim_step_get_instructions (const PsimNode *step, const char *lang);
/* (nullable) The step's <note>: a remark for the reader. */
const char *psim_step_get_note (const PsimNode *step, const char *lang);
guint psim_step_get_n_inputs (const PsimNode *step);
const PsimDocument *psim_step_get_input (const PsimNode *step, guint i);
/* Whether input @i is fetched from a national database rather than
 * supplied by the applicant: written fetched="true", or a document held in
 * a national database taken in by a step the applicant takes no part in. */
gboolean psim_step_input_is_fetched (const PsimNode *step, guint i);
guint psim_step_get_n_outputs (const PsimNode *step);
const PsimDocument *psim_step_get_output (const PsimNode *step, guint i);
/* (nullable) */
const PsimQuantity *psim_step_get_duration (const PsimNode *step);
/* Whether the step is done within the working day (<duration
 * within-day="true">): its hours count as a share of a working day. */
gboolean psim_step_is_within_day (const PsimNode *step);
/* (nullable) The applicant's own time on the step, unit hours. */
const PsimQuantity *psim_step_get_effort (const PsimNode *step);
/* (nullable) The legal time limit, and (nullable) the law setting it. */
const PsimQuantity *psim_step_get_time_limit (const PsimNode *step);
const PsimLaw *psim_step_get_time_limit_law (const PsimNode *step);
guint psim_step_get_n_fees (const PsimNode *step);
const PsimFee *psim_step_get_fee (const PsimNode *step, guint i);
guint psim_step_get_n_legal (const PsimNode *step);
const PsimLaw *psim_step_get_legal (const PsimNode *step, guint i, const char **article);
/* Steps of the baseline variant this step replaces. */
guint psim_step_get_n_replaces (const PsimNode *step);
const PsimNode *psim_step_get_replaces (const PsimNode *step, guint i);

PsimFeeKind psim_fee_get_kind (const PsimFee *fee);
const char *psim_fee_get_name (const PsimFee *fee, const char *lang);
const char *psim_fee_get_currency (const PsimFee *fee);
/* A fee is either a fixed amount or a formula. get_amount returns TRUE and
 * sets *@amount for a fixed one; get_expression returns the XPath source of
 * a formula, NULL for a fixed amount. Use psim_case_eval_fee() to get the
 * amount for a case in both cases. */
gboolean psim_fee_get_amount (const PsimFee *fee, double *amount);
const char *psim_fee_get_expression (const PsimFee *fee);
/* (nullable) */
const PsimActor *psim_fee_get_payer (const PsimFee *fee);
PsimBasis psim_fee_get_basis (const PsimFee *fee);
/* (nullable) */
const PsimSource *psim_fee_get_source (const PsimFee *fee);

/* ---- cost model ---------------------------------------------------------- */

/* What the applicant's costs are measured against (<value-base kind>). */
typedef enum {
  PSIM_VALUE_PROPERTY, /* "property-value": registering property */
  PSIM_VALUE_INCOME,   /* "income-per-capita": starting a business */
} PsimValueKind;

const char *psim_value_kind_to_string (PsimValueKind kind);

/* A figure of the Standard Cost Model with its provenance. */
typedef struct {
  double value;
  PsimBasis basis;
  const PsimSource *source; /* NULL when estimated */
} PsimFigure;

/* The figures of the file's optional <cost-model>, each (nullable): NULL
 * when the file does not give it. (transfer none)
 * tariff: the applicant's time, per hour, in the procedure's currency;
 * travel: the cost of one in-person visit (fares, parking), same currency;
 * volume: cases per year. */
const PsimFigure *psim_procedure_get_tariff (const PsimProcedure *proc);
const PsimFigure *psim_procedure_get_travel (const PsimProcedure *proc);
const PsimFigure *psim_procedure_get_volume (const PsimProcedure *proc);
/* The base of "cost as % of". FALSE when the file has no <value-base>.
 * Otherwise sets @kind and either *@param (a number parameter whose case
 * value is the base; *@figure NULL) or *@figure (a fixed amount; *@param
 * NULL). Any out-argument may be NULL. */
gboolean psim_procedure_get_value_base (const PsimProcedure *proc, PsimValueKind *kind,
                                        const PsimParam **param, const PsimFigure **figure);

G_END_DECLS
