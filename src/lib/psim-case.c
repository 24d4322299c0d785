/* psim-case.c — case data and the evaluation of the model's expressions
 * for one case. A PsimCase owns an expression context in which every
 * parameter of its procedure is bound, typed, as an XPath variable.
 */
#include "psim-private.h"

#include <math.h>
#include <string.h>

G_DEFINE_QUARK (psim-case-error-quark, psim_case_error)

struct _PsimCase {
  PsimProcedure *proc;
  PsimExprContext *expr;
  GHashTable *values; /* param id (borrowed) → normalised text (owned) */
  const char *lang;   /* of the error messages: psim_lang_normalize ()'s */
  GPtrArray *choices; /* char*: the chance-decided choices set, in order */
  GPtrArray *targets; /* char*: the branch set at each, parallel */
};

/* What @p allows, for people: "from 1 to 10", "0 or more", "true or
 * false", "one of: house, apartment"; NULL for any text. (transfer full) */
static char *
allowed (const PsimParam *p, const char *lang)
{
  char lo[G_ASCII_DTOSTR_BUF_SIZE], hi[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd (lo, sizeof lo, "%.15g", p->min);
  g_ascii_formatd (hi, sizeof hi, "%.15g", p->max);
  switch (p->type)
    {
    case PSIM_PARAM_NUMBER:
      {
        const char *what = p->integer ? psim_gettext (lang, "a whole number")
                                      : psim_gettext (lang, "a number");
        if (p->has_min && p->has_max)
          return g_strdup_printf (psim_gettext (lang, "%s from %s to %s"), what, lo, hi);
        if (p->has_min)
          return g_strdup_printf (psim_gettext (lang, "%s, %s or more"), what, lo);
        if (p->has_max)
          return g_strdup_printf (psim_gettext (lang, "%s, %s or less"), what, hi);
        return g_strdup (what);
      }
    case PSIM_PARAM_BOOLEAN:
      return g_strdup (psim_gettext (lang, "true or false (yes/no, có/không)"));
    case PSIM_PARAM_ENUM:
      {
        g_autoptr (GString) list = g_string_new (NULL);
        for (guint i = 0; i < p->options->len; i++)
          g_string_append_printf (list, "%s%s", i > 0 ? ", " : "",
                                  (const char *) g_ptr_array_index (p->options, i));
        return g_strdup_printf (psim_gettext (lang, "one of: %s"), list->str);
      }
    case PSIM_PARAM_STRING:
    default:
      return NULL;
    }
}

/* Parses @text for @param into its normalised text form; binds nothing. */
static char *
normalise (const PsimParam *p, const char *text, const char *lang, GError **error)
{
  g_autofree char *t = g_strstrip (g_strdup (text));
  switch (p->type)
    {
    case PSIM_PARAM_NUMBER:
      {
        /* Allow digit grouping as people write prices: 3_200_000_000 or
         * 3,200,000,000 is too ambiguous (vi uses '.'), so only '_'. */
        g_autoptr (GString) digits = g_string_new (NULL);
        for (const char *c = t; *c != '\0'; c++)
          if (*c != '_')
            g_string_append_c (digits, *c);
        char *end = NULL;
        double v = g_ascii_strtod (digits->str, &end);
        if (digits->len == 0 || *end != '\0' || !isfinite (v) || (p->integer && v != floor (v)))
          break;
        if ((p->has_min && v < p->min) || (p->has_max && v > p->max))
          {
            g_autofree char *ok = allowed (p, lang);
            g_set_error (error, PSIM_CASE_ERROR, PSIM_CASE_ERROR_BAD_VALUE,
                         psim_gettext (lang, "case data '%s': %s is out of range (allowed: %s)"),
                         p->id, t, ok);
            return NULL;
          }
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.15g", v));
      }
    case PSIM_PARAM_BOOLEAN:
      {
        static const char *const yes[] = { "true", "yes", "1", "có" };
        static const char *const no[] = { "false", "no", "0", "không" };
        for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
          {
            if (g_ascii_strcasecmp (t, yes[i]) == 0)
              return g_strdup ("true");
            if (g_ascii_strcasecmp (t, no[i]) == 0)
              return g_strdup ("false");
          }
        break;
      }
    case PSIM_PARAM_ENUM:
      for (guint i = 0; i < p->options->len; i++)
        if (strcmp (g_ptr_array_index (p->options, i), t) == 0)
          return g_strdup (t);
      break;
    case PSIM_PARAM_STRING:
    default:
      return g_strdup (t);
    }
  g_autofree char *ok = allowed (p, lang);
  g_set_error (error, PSIM_CASE_ERROR, PSIM_CASE_ERROR_BAD_VALUE,
               psim_gettext (lang, "case data '%s': '%s' is not a valid %s (allowed: %s)"), p->id,
               t, psimp_param_type_name (p), ok);
  return NULL;
}

/* The number (1 or 0 for a boolean) that the normalised @text of @p is
 * bound as. */
static double
text_value (const PsimParam *p, const char *text)
{
  if (p->type == PSIM_PARAM_BOOLEAN)
    return strcmp (text, "true") == 0;
  return g_ascii_strtod (text, NULL);
}

static void
bind (PsimCase *pcase, const PsimParam *p, char *value)
{
  switch (p->type)
    {
    case PSIM_PARAM_NUMBER:
      psim_expr_context_set_number (pcase->expr, p->id, text_value (p, value));
      break;
    case PSIM_PARAM_BOOLEAN:
      psim_expr_context_set_boolean (pcase->expr, p->id, text_value (p, value) != 0);
      break;
    case PSIM_PARAM_STRING:
    case PSIM_PARAM_ENUM:
    default:
      psim_expr_context_set_string (pcase->expr, p->id, value);
      break;
    }
  g_hash_table_replace (pcase->values, p->id, value);
}

PsimCase *
psim_case_new (PsimProcedure *proc)
{
  g_return_val_if_fail (proc != NULL, NULL);
  PsimCase *pcase = g_new0 (PsimCase, 1);
  pcase->proc = psim_procedure_ref (proc);
  pcase->expr = psim_expr_context_new ();
  pcase->values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  pcase->lang = psim_lang_normalize (NULL);
  pcase->choices = g_ptr_array_new_with_free_func (g_free);
  pcase->targets = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < proc->params->len; i++)
    {
      const PsimParam *p = g_ptr_array_index (proc->params, i);
      /* A bad default is reported by the checks; bind a neutral value so
       * that evaluation can still go on. */
      char *v = normalise (p, p->def, "en", NULL);
      if (v == NULL)
        v = g_strdup (p->type == PSIM_PARAM_NUMBER ? "0"
                      : p->type == PSIM_PARAM_BOOLEAN ? "false" : "");
      bind (pcase, p, v);
    }
  return pcase;
}

void
psim_case_free (PsimCase *pcase)
{
  if (pcase == NULL)
    return;
  g_hash_table_unref (pcase->values);
  g_ptr_array_unref (pcase->choices);
  g_ptr_array_unref (pcase->targets);
  psim_expr_context_free (pcase->expr);
  psim_procedure_unref (pcase->proc);
  g_free (pcase);
}

const PsimProcedure *
psim_case_get_procedure (const PsimCase *pcase)
{
  return pcase->proc;
}

void
psim_case_set_language (PsimCase *pcase, const char *lang)
{
  g_return_if_fail (pcase != NULL);
  pcase->lang = psim_lang_normalize (lang);
  psim_expr_context_set_language (pcase->expr, pcase->lang);
}

const char *
psim_case_get_language (const PsimCase *pcase)
{
  g_return_val_if_fail (pcase != NULL, "en");
  return pcase->lang;
}

gboolean
psim_case_set (PsimCase *pcase, const char *id, const char *value, GError **error)
{
  g_return_val_if_fail (pcase != NULL && id != NULL && value != NULL, FALSE);
  const PsimParam *p = g_hash_table_lookup (pcase->proc->param_index, id);
  if (p == NULL)
    {
      g_autoptr (GString) known = g_string_new (NULL);
      for (guint i = 0; i < pcase->proc->params->len; i++)
        g_string_append_printf (known, "%s%s", i > 0 ? ", " : "",
                                ((PsimParam *) g_ptr_array_index (pcase->proc->params, i))->id);
      g_set_error (error, PSIM_CASE_ERROR, PSIM_CASE_ERROR_UNKNOWN_PARAM,
                   psim_gettext (pcase->lang, "unknown case data '%s' (this procedure has: %s)"),
                   id, known->len > 0 ? known->str : psim_gettext (pcase->lang, "none"));
      return FALSE;
    }
  char *v = normalise (p, value, pcase->lang, error);
  if (v == NULL)
    return FALSE;
  bind (pcase, p, v);
  return TRUE;
}

gboolean
psimp_param_check_value (const PsimParam *p, double value, const char *lang, GError **error)
{
  if (p->type == PSIM_PARAM_BOOLEAN)
    return TRUE;
  g_return_val_if_fail (p->type == PSIM_PARAM_NUMBER, FALSE);
  if (!isfinite (value) || (p->has_min && value < p->min) || (p->has_max && value > p->max)
      || (p->integer && value != floor (value)))
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      g_autofree char *ok = allowed (p, lang);
      g_set_error (error, PSIM_CASE_ERROR, PSIM_CASE_ERROR_BAD_VALUE,
                   psim_gettext (lang, "case data '%s': %s is out of range (allowed: %s)"), p->id,
                   g_ascii_formatd (buf, sizeof buf, "%.6f", value), ok);
      return FALSE;
    }
  return TRUE;
}

gboolean
psimp_case_bind_value (PsimCase *pcase, const PsimParam *p, double value, GError **error)
{
  if (!psimp_param_check_value (p, value, pcase->lang, error))
    return FALSE;
  if (p->type == PSIM_PARAM_BOOLEAN)
    psim_expr_context_set_boolean (pcase->expr, p->id, value != 0);
  else
    psim_expr_context_set_number (pcase->expr, p->id, value);
  return TRUE;
}

double
psimp_case_get_value (const PsimCase *pcase, const PsimParam *p)
{
  const char *text = g_hash_table_lookup (pcase->values, p->id);
  return text != NULL ? text_value (p, text) : 0;
}

gboolean
psimp_fee_check_amount (const PsimFee *fee, double amount, const char *lang, GError **error)
{
  if (!isfinite (amount) || amount < 0)
    {
      g_set_error (error, PSIM_CASE_ERROR, PSIM_CASE_ERROR_EVAL,
                   psim_gettext (lang, "fee expression \"%s\" gives %g, not an amount"),
                   psim_expr_get_source (fee->expr), amount);
      return FALSE;
    }
  return TRUE;
}

gboolean
psim_case_set_assignment (PsimCase *pcase, const char *assignment, GError **error)
{
  const char *eq = strchr (assignment, '=');
  if (eq == NULL || eq == assignment)
    {
      g_set_error (error, PSIM_CASE_ERROR, PSIM_CASE_ERROR_BAD_VALUE,
                   psim_gettext (pcase->lang, "case data '%s' is not of the form key=value"),
                   assignment);
      return FALSE;
    }
  g_autofree char *key = g_strndup (assignment, eq - assignment);
  return psim_case_set (pcase, g_strstrip (key), eq + 1, error);
}

const char *
psim_case_get (const PsimCase *pcase, const char *id)
{
  return g_hash_table_lookup (pcase->values, id);
}

gboolean
psim_case_eval_fee (PsimCase *pcase, const PsimFee *fee, double *amount, GError **error)
{
  g_return_val_if_fail (pcase != NULL && fee != NULL && amount != NULL, FALSE);
  if (fee->expr == NULL)
    {
      *amount = fee->has_amount ? fee->amount : 0;
      return TRUE;
    }
  g_autofree char *msg = NULL;
  double v = 0;
  if (!psim_expr_eval_number (pcase->expr, fee->expr, &v, &msg))
    {
      g_set_error (error, PSIM_CASE_ERROR, PSIM_CASE_ERROR_EVAL,
                   psim_gettext (pcase->lang, "fee expression \"%s\" fails: %s"),
                   psim_expr_get_source (fee->expr), msg);
      return FALSE;
    }
  if (!psimp_fee_check_amount (fee, v, pcase->lang, error))
    return FALSE;
  *amount = v;
  return TRUE;
}

gboolean
psimp_case_eval_condition (PsimCase *pcase, const PsimExpr *expr, gboolean *holds, GError **error)
{
  g_autofree char *msg = NULL;
  if (!psim_expr_eval_boolean (pcase->expr, expr, holds, &msg))
    {
      g_set_error (error, PSIM_CASE_ERROR, PSIM_CASE_ERROR_EVAL,
                   psim_gettext (pcase->lang, "condition \"%s\" fails: %s"),
                   psim_expr_get_source (expr), msg);
      return FALSE;
    }
  return TRUE;
}

gboolean
psim_case_eval_branch (PsimCase *pcase, const PsimNode *node, guint i, gboolean *holds,
                       GError **error)
{
  g_return_val_if_fail (pcase != NULL && node != NULL && holds != NULL, FALSE);
  g_return_val_if_fail (i < node->branches->len, FALSE);
  const PsimBranch *b = g_ptr_array_index (node->branches, i);
  if (b->when == NULL)
    {
      *holds = TRUE;
      return TRUE;
    }
  return psimp_case_eval_condition (pcase, b->when, holds, error);
}

int
psimp_case_choose (PsimCase *pcase, const PsimNode *node, GError **error)
{
  int fallback = -1;
  for (guint i = 0; i < node->branches->len; i++)
    {
      const PsimBranch *b = g_ptr_array_index (node->branches, i);
      gboolean holds = FALSE;
      if (b->when == NULL)
        {
          fallback = (int) i;
          continue;
        }
      if (!psim_case_eval_branch (pcase, node, i, &holds, error))
        return -1;
      if (holds)
        return (int) i;
    }
  if (fallback < 0)
    g_set_error (error, PSIM_CASE_ERROR, PSIM_CASE_ERROR_EVAL,
                 psim_gettext (pcase->lang, "choice '%s': no branch applies to this case"),
                 node->id);
  return fallback;
}

gboolean
psim_case_eval_number (PsimCase *pcase, const char *expression, double *value, GError **error)
{
  g_return_val_if_fail (pcase != NULL && expression != NULL && value != NULL, FALSE);
  g_autofree char *msg = NULL;
  PsimExpr *expr = psim_expr_compile (pcase->expr, expression, &msg);
  if (expr == NULL)
    {
      g_set_error (error, PSIM_CASE_ERROR, PSIM_CASE_ERROR_EVAL,
                   psim_gettext (pcase->lang, "expression \"%s\": %s"), expression, msg);
      return FALSE;
    }
  double v = 0;
  gboolean ok = psim_expr_eval_number (pcase->expr, expr, &v, &msg);
  psim_expr_free (expr);
  if (!ok)
    {
      g_set_error (error, PSIM_CASE_ERROR, PSIM_CASE_ERROR_EVAL,
                   psim_gettext (pcase->lang, "expression \"%s\" fails: %s"), expression, msg);
      return FALSE;
    }
  if (!isfinite (v))
    {
      g_set_error (error, PSIM_CASE_ERROR, PSIM_CASE_ERROR_EVAL,
                   psim_gettext (pcase->lang, "expression \"%s\" gives %g, not a number"),
                   expression, v);
      return FALSE;
    }
  *value = v;
  return TRUE;
}

/* Whether @n is a choice decided by chance: no branch has a condition. */
gboolean
psimp_choice_by_chance (const PsimNode *n)
{
  if (n->kind != PSIM_NODE_CHOICE)
    return FALSE;
  for (guint i = 0; i < n->branches->len; i++)
    if (((const PsimBranch *) g_ptr_array_index (n->branches, i))->when != NULL)
      return FALSE;
  return TRUE;
}

/* Adds @id to @list (", "-separated) unless it is there. */
static void
add_once (GString *list, GPtrArray *seen, const char *id)
{
  for (guint i = 0; i < seen->len; i++)
    if (strcmp (g_ptr_array_index (seen, i), id) == 0)
      return;
  g_ptr_array_add (seen, (gpointer) id);
  g_string_append_printf (list, "%s%s", list->len > 0 ? ", " : "", id);
}

gboolean
psim_case_set_branch (PsimCase *pcase, const char *choice, const char *branch, GError **error)
{
  g_return_val_if_fail (pcase != NULL && choice != NULL && branch != NULL, FALSE);
  g_autoptr (GString) choices = g_string_new (NULL);
  g_autoptr (GString) branches = g_string_new (NULL);
  g_autoptr (GPtrArray) seen_choices = g_ptr_array_new ();
  g_autoptr (GPtrArray) seen_branches = g_ptr_array_new ();
  gboolean found = FALSE, by_case = FALSE;
  for (guint v = 0; v < pcase->proc->variants->len; v++)
    {
      const PsimVariant *var = g_ptr_array_index (pcase->proc->variants, v);
      for (guint i = 0; i < var->nodes->len; i++)
        {
          const PsimNode *n = g_ptr_array_index (var->nodes, i);
          if (n->kind != PSIM_NODE_CHOICE)
            continue;
          gboolean chance = psimp_choice_by_chance (n);
          if (chance)
            add_once (choices, seen_choices, n->id);
          if (strcmp (n->id, choice) != 0)
            continue;
          by_case |= !chance;
          if (!chance)
            continue;
          found = TRUE;
          for (guint b = 0; b < n->branches->len; b++)
            {
              const PsimBranch *br = g_ptr_array_index (n->branches, b);
              if (br->to.id == NULL)
                continue;
              if (strcmp (br->to.id, branch) == 0)
                {
                  for (guint k = 0; k < pcase->choices->len; k++)
                    if (strcmp (g_ptr_array_index (pcase->choices, k), choice) == 0)
                      {
                        g_free (pcase->targets->pdata[k]);
                        pcase->targets->pdata[k] = g_strdup (branch);
                        return TRUE;
                      }
                  g_ptr_array_add (pcase->choices, g_strdup (choice));
                  g_ptr_array_add (pcase->targets, g_strdup (branch));
                  return TRUE;
                }
              add_once (branches, seen_branches, br->to.id);
            }
        }
    }
  if (found)
    g_set_error (error, PSIM_CASE_ERROR, PSIM_CASE_ERROR_UNKNOWN_BRANCH,
                 psim_gettext (pcase->lang, "choice '%s' has no branch to '%s' (its branches: %s)"),
                 choice, branch, branches->str);
  else if (by_case)
    g_set_error (error, PSIM_CASE_ERROR, PSIM_CASE_ERROR_UNKNOWN_BRANCH,
                 psim_gettext (pcase->lang,
                               "choice '%s' is decided by the case data, not by chance: set the case data instead"),
                 choice);
  else
    g_set_error (error, PSIM_CASE_ERROR, PSIM_CASE_ERROR_UNKNOWN_BRANCH,
                 psim_gettext (pcase->lang,
                               "no choice decided by chance is called '%s' (this procedure has: %s)"),
                 choice, choices->len > 0 ? choices->str : psim_gettext (pcase->lang, "none"));
  return FALSE;
}

gboolean
psim_case_set_branch_assignment (PsimCase *pcase, const char *assignment, GError **error)
{
  g_return_val_if_fail (pcase != NULL && assignment != NULL, FALSE);
  const char *eq = strchr (assignment, '=');
  if (eq == NULL || eq == assignment || eq[1] == '\0')
    {
      g_set_error (error, PSIM_CASE_ERROR, PSIM_CASE_ERROR_UNKNOWN_BRANCH,
                   psim_gettext (pcase->lang, "branch '%s' is not of the form choice=branch"),
                   assignment);
      return FALSE;
    }
  g_autofree char *choice = g_strndup (assignment, eq - assignment);
  g_autofree char *branch = g_strstrip (g_strdup (eq + 1));
  return psim_case_set_branch (pcase, g_strstrip (choice), branch, error);
}

const char *
psim_case_get_branch (const PsimCase *pcase, const char *choice)
{
  g_return_val_if_fail (pcase != NULL && choice != NULL, NULL);
  for (guint k = 0; k < pcase->choices->len; k++)
    if (strcmp (g_ptr_array_index (pcase->choices, k), choice) == 0)
      return g_ptr_array_index (pcase->targets, k);
  return NULL;
}

guint
psim_case_get_n_branches (const PsimCase *pcase)
{
  g_return_val_if_fail (pcase != NULL, 0);
  return pcase->choices->len;
}

const char *
psim_case_get_branch_choice (const PsimCase *pcase, guint i)
{
  g_return_val_if_fail (pcase != NULL && i < pcase->choices->len, NULL);
  return g_ptr_array_index (pcase->choices, i);
}
