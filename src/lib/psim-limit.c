/* psim-limit.c — legal time limits above the step: the whole procedure's
 * (a variant's <time-limit>) and the applicant's duties (<duty>), as
 * loaded; whether a case meets them is psim-path-limits.c's.
 */
#include "psim-private.h"

static void
limit_case_free (PsimLimitCase *lc)
{
  psim_ref_clear (&lc->step);
  g_clear_pointer (&lc->test, psim_expr_free);
  g_free (lc);
}

PsimLimitCase *
psim_limit_case_new (void)
{
  return g_new0 (PsimLimitCase, 1);
}

PsimLimit *
psim_limit_new (gboolean duty)
{
  PsimLimit *l = g_new0 (PsimLimit, 1);
  l->duty = duty;
  l->names = psim_texts_new ();
  l->cut_off = -1;
  l->cases = g_ptr_array_new_with_free_func ((GDestroyNotify) limit_case_free);
  return l;
}

void
psim_limit_free (PsimLimit *l)
{
  if (l == NULL)
    return;
  g_free (l->id);
  g_ptr_array_unref (l->names);
  g_free (l->q.source_id);
  psim_ref_clear (&l->law);
  psim_ref_clear (&l->from);
  psim_ref_clear (&l->by);
  psim_ref_clear (&l->filed);
  g_free (l->cut_off_text);
  g_ptr_array_unref (l->cases);
  g_free (l);
}

const PsimLimit *
psim_variant_get_time_limit (const PsimVariant *v)
{
  g_return_val_if_fail (v != NULL, NULL);
  return v->time_limit;
}

guint
psim_variant_get_n_duties (const PsimVariant *v)
{
  g_return_val_if_fail (v != NULL, 0);
  return v->duties->len;
}

const PsimLimit *
psim_variant_get_duty (const PsimVariant *v, guint i)
{
  g_return_val_if_fail (v != NULL && i < v->duties->len, NULL);
  return g_ptr_array_index (v->duties, i);
}

gboolean
psim_limit_is_duty (const PsimLimit *l)
{
  g_return_val_if_fail (l != NULL, FALSE);
  return l->duty;
}

const char *
psim_limit_get_id (const PsimLimit *l)
{
  g_return_val_if_fail (l != NULL, NULL);
  return l->id;
}

const char *
psim_limit_get_name (const PsimLimit *l, const char *lang)
{
  g_return_val_if_fail (l != NULL, NULL);
  return psim_texts_get (l->names, lang);
}

const PsimQuantity *
psim_limit_get_quantity (const PsimLimit *l)
{
  g_return_val_if_fail (l != NULL, NULL);
  return &l->q.q;
}

const PsimLaw *
psim_limit_get_law (const PsimLimit *l)
{
  g_return_val_if_fail (l != NULL, NULL);
  return l->law.target;
}

const PsimNode *
psim_limit_get_from (const PsimLimit *l)
{
  g_return_val_if_fail (l != NULL, NULL);
  return l->from.target;
}

const PsimNode *
psim_limit_get_by (const PsimLimit *l)
{
  g_return_val_if_fail (l != NULL, NULL);
  return l->by.target;
}

double
psim_limit_get_cut_off (const PsimLimit *l)
{
  g_return_val_if_fail (l != NULL, -1);
  return l->cut_off;
}

const PsimParam *
psim_limit_get_filed_param (const PsimLimit *l)
{
  g_return_val_if_fail (l != NULL, NULL);
  return l->filed.target;
}

guint
psim_limit_get_n_conditions (const PsimLimit *l)
{
  g_return_val_if_fail (l != NULL, 0);
  return l->cases->len;
}

double
psim_limit_get_condition (const PsimLimit *l, guint i, const PsimNode **step, const char **test)
{
  g_return_val_if_fail (l != NULL && i < l->cases->len, 0);
  const PsimLimitCase *lc = g_ptr_array_index (l->cases, i);
  if (step != NULL)
    *step = lc->step.target;
  if (test != NULL)
    *test = lc->test != NULL ? psim_expr_get_source (lc->test) : NULL;
  return lc->value;
}
