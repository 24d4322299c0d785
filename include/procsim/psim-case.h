/* psim-case.h — case data: the values of a procedure's parameters for one
 * case ("a flat sold for 3.2 bn VND, mortgaged"), and the evaluation of the
 * model's expressions (fee formulas, choice conditions) against them.
 *
 * Expressions are XPath 1.0, compiled at load time; each parameter is bound
 * as a variable ($price). A case starts from the file's defaults.
 */
#pragma once

#include <glib.h>
#include <procsim/psim-model.h>

G_BEGIN_DECLS

typedef struct _PsimCase PsimCase;

#define PSIM_CASE_ERROR (psim_case_error_quark ())
GQuark psim_case_error_quark (void);

typedef enum {
  PSIM_CASE_ERROR_UNKNOWN_PARAM, /* no parameter of that name */
  PSIM_CASE_ERROR_BAD_VALUE,     /* the value does not fit the type */
  PSIM_CASE_ERROR_EVAL,          /* an expression failed for this case */
  PSIM_CASE_ERROR_UNKNOWN_BRANCH, /* no such chance-decided choice or branch */
} PsimCaseError;

/* A case with every parameter at its default. Borrows a reference on
 * @proc. (transfer full) */
PsimCase *psim_case_new (PsimProcedure *proc);
void psim_case_free (PsimCase *pcase);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsimCase, psim_case_free)

const PsimProcedure *psim_case_get_procedure (const PsimCase *pcase);

/* The language of the messages of the errors this case reports, and of
 * the paths computed for it (psim-i18n.h; "en" until set). The string
 * returned is static. */
void psim_case_set_language (PsimCase *pcase, const char *lang);
const char *psim_case_get_language (const PsimCase *pcase);

/* Sets parameter @id from its text form ("2500000000", "true", "yes",
 * an enum option). FALSE and @error set on an unknown name or a bad value. */
gboolean psim_case_set (PsimCase *pcase, const char *id, const char *value, GError **error);
/* Parses "id=value". */
gboolean psim_case_set_assignment (PsimCase *pcase, const char *assignment, GError **error);
/* The current value as text, normalised ("true", "3200000000"). (transfer none) */
const char *psim_case_get (const PsimCase *pcase, const char *id);

/* Makes the paths computed for this case take, at the choice @choice
 * decided by chance (no branch has `when`), the branch that leads to the
 * node @branch, the first time the path reaches that choice. A branch
 * that goes back takes the path round the loop once; the next time the
 * usual rule applies. Setting a choice again replaces its branch. FALSE
 * and @error (PSIM_CASE_ERROR_UNKNOWN_BRANCH) when no variant of the
 * procedure has a choice @choice decided by chance, or it has no branch
 * to @branch; the message names the choice and lists what is allowed. */
gboolean psim_case_set_branch (PsimCase *pcase, const char *choice, const char *branch,
                               GError **error);
/* Parses "choice=branch". */
gboolean psim_case_set_branch_assignment (PsimCase *pcase, const char *assignment,
                                          GError **error);
/* The branch set at @choice, or NULL. (transfer none) */
const char *psim_case_get_branch (const PsimCase *pcase, const char *choice);
/* The choices set, in the order first set, and the branch of each.
 * (transfer none) */
guint psim_case_get_n_branches (const PsimCase *pcase);
const char *psim_case_get_branch_choice (const PsimCase *pcase, guint i);

/* The amount of @fee for this case. FALSE with @error when the formula
 * fails (not a finite number, negative). */
gboolean psim_case_eval_fee (PsimCase *pcase, const PsimFee *fee, double *amount, GError **error);
/* Evaluates the XPath 1.0 expression @expression over this case's data to
 * a number. FALSE with @error when it does not compile, fails, or is not a
 * finite number. */
gboolean psim_case_eval_number (PsimCase *pcase, const char *expression, double *value,
                                GError **error);
/* Whether branch @i of choice @node holds for this case; a branch without
 * a condition holds. */
gboolean psim_case_eval_branch (PsimCase *pcase, const PsimNode *node, guint i,
                                gboolean *holds, GError **error);

G_END_DECLS
