/* psim-path-limits.c — whether one case's path meets the legal time
 * limits of its variant: the whole procedure's, each step's and the
 * applicant's duties, each with its margin (psim-path.h).
 *
 * A limit counts the elapsed time from the end of its `from` node (or the
 * start) to the end of its `by` step (or the end), as one number of days
 * (psim_elapsed_days ()); a step's limit counts the step's own duration.
 * The first <when> that holds gives the value. A cut-off time moves the
 * filing a whole working day later when the case's filing hour is past
 * it: the procedure's count starts a day later, a duty's filing ends a day
 * later (the model has no clock inside a working day).
 */
#include "psim-json-private.h"
#include "psim-private.h"

#include <math.h>

/* Margins closer to 0 than this are rounding, not lateness. */
#define EPSILON 1e-9

static double
in_unit (const PsimElapsed *e, PsimTimeUnit unit)
{
  double days = psim_elapsed_days (e);
  return unit == PSIM_UNIT_HOURS ? days * PSIM_HOURS_PER_DAY : days;
}

static void
verdict (PsimLimitCheck *lc)
{
  lc->margin = lc->value - lc->modelled;
  lc->met = lc->margin >= -EPSILON;
  if (fabs (lc->margin) < EPSILON)
    lc->margin = 0;
}

/* The first position of @n in the path at or after @from; -1 when none. */
static int
find (const PsimPath *path, const PsimNode *n, guint from)
{
  for (guint i = from; i < psim_path_get_n_nodes (path); i++)
    if (psim_path_get_node (path, i) == n)
      return (int) i;
  return -1;
}

/* The last position of @n in the path at or after @from; -1 when none. */
static int
find_last (const PsimPath *path, const PsimNode *n, guint from)
{
  int last = -1;
  for (int i = find (path, n, from); i >= 0; i = find (path, n, (guint) i + 1))
    last = i;
  return last;
}

/* The value of @l for the case: its first condition that holds. */
static gboolean
limit_value (const PsimLimit *l, const PsimPath *path, PsimCase *pcase, PsimLimitCheck *lc,
             GError **error)
{
  lc->value = l->q.q.likely;
  lc->condition = -1;
  for (guint i = 0; i < l->cases->len; i++)
    {
      const PsimLimitCase *c = g_ptr_array_index (l->cases, i);
      gboolean holds = c->step.target == NULL || find (path, c->step.target, 0) >= 0;
      if (holds && c->test != NULL && !psimp_case_eval_condition (pcase, c->test, &holds, error))
        return FALSE;
      if (holds)
        {
          lc->value = c->value;
          lc->condition = (int) i;
          break;
        }
    }
  return TRUE;
}

static gboolean
check_limit (const PsimLimit *l, const PsimPath *path, PsimCase *pcase, GArray *out,
             GError **error)
{
  PsimLimitCheck lc = { .level = l->duty ? PSIM_LIMIT_DUTY : PSIM_LIMIT_PROCEDURE,
                        .limit = l,
                        .unit = l->q.q.unit };
  if (!limit_value (l, path, pcase, &lc, error))
    return FALSE;

  /* The count ends at the last time the path takes `by`, and starts at
   * the last time before that it takes `from`: a dossier filed again
   * starts the count again. */
  guint n = psim_path_get_n_nodes (path);
  int by = l->by.target != NULL ? find_last (path, l->by.target, 0) : (int) n - 1;
  int from = -1;
  if (l->from.target != NULL)
    for (int i = 0; i < by; i++)
      if (psim_path_get_node (path, (guint) i) == l->from.target)
        from = i;
  lc.applies = by >= 0 && (l->from.target == NULL || from >= 0);
  if (l->by.target == NULL)
    by = -1;
  if (lc.applies)
    {
      PsimElapsed zero = { 0 };
      const PsimElapsed *start = from >= 0 ? psimp_path_get_elapsed_at (path, (guint) from) : &zero;
      const PsimElapsed *end = by >= 0 ? psimp_path_get_elapsed_at (path, (guint) by)
                                       : &psim_path_get_totals (path)->elapsed;
      lc.modelled = in_unit (end, lc.unit) - in_unit (start, lc.unit);
      if (l->cut_off >= 0 && l->filed.target != NULL)
        lc.filed_late = psimp_case_get_value (pcase, l->filed.target) > l->cut_off;
      if (lc.filed_late)
        {
          double day = lc.unit == PSIM_UNIT_HOURS ? PSIM_HOURS_PER_DAY : 1;
          lc.modelled = l->duty ? lc.modelled + day : MAX (lc.modelled - day, 0);
        }
      verdict (&lc);
    }
  g_array_append_val (out, lc);
  return TRUE;
}

GArray *
psimp_path_check_limits (const PsimPath *path, PsimCase *pcase, GError **error)
{
  const PsimVariant *v = psim_path_get_variant (path);
  g_autoptr (GArray) out = g_array_new (FALSE, FALSE, sizeof (PsimLimitCheck));
  if (v->time_limit != NULL && !check_limit (v->time_limit, path, pcase, out, error))
    return NULL;

  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < psim_path_get_n_nodes (path); i++)
    {
      const PsimNode *n = psim_path_get_node (path, i);
      if (n->kind != PSIM_NODE_STEP || !n->time_limit.set || !g_hash_table_add (seen, (gpointer) n))
        continue;
      PsimLimitCheck lc = { .level = PSIM_LIMIT_STEP,
                            .step = n,
                            .applies = TRUE,
                            .value = n->time_limit.q.likely,
                            .condition = -1,
                            .unit = n->time_limit.q.unit };
      PsimElapsed own = { 0 };
      psim_elapsed_add_step (&own, n);
      lc.modelled = in_unit (&own, lc.unit);
      verdict (&lc);
      g_array_append_val (out, lc);
    }

  for (guint i = 0; i < v->duties->len; i++)
    if (!check_limit (g_ptr_array_index (v->duties, i), path, pcase, out, error))
      return NULL;
  return g_steal_pointer (&out);
}

/* ---- in words ---------------------------------------------------------------- */

/* A step as people know it: its name in @lang, else its id. */
static const char *
node_name (const PsimNode *n, const char *lang)
{
  const char *name = psim_node_get_name (n, lang);
  return name != NULL && *name != '\0' ? name : psim_node_get_id (n);
}

char *
psim_limit_check_subject (const PsimLimitCheck *lc, const char *lang)
{
  g_return_val_if_fail (lc != NULL, NULL);
  lang = psim_lang_normalize (lang);
  switch (lc->level)
    {
    case PSIM_LIMIT_STEP:
      return g_strdup_printf (psim_gettext (lang, "Step '%s'"), node_name (lc->step, lang));
    case PSIM_LIMIT_DUTY:
      {
        const char *name = psim_limit_get_name (lc->limit, lang);
        return g_strdup_printf (psim_gettext (lang, "Applicant's duty: %s"),
                                name != NULL ? name : psim_limit_get_id (lc->limit));
      }
    case PSIM_LIMIT_PROCEDURE:
    default:
      {
        const PsimNode *from = psim_limit_get_from (lc->limit);
        const PsimNode *by = psim_limit_get_by (lc->limit);
        if (from == NULL && by == NULL)
          return g_strdup (psim_gettext (lang, "Whole procedure"));
        if (from == NULL)
          return g_strdup_printf (psim_gettext (lang, "Whole procedure, up to '%s'"),
                                  node_name (by, lang));
        if (by == NULL)
          return g_strdup_printf (psim_gettext (lang, "Whole procedure, from '%s'"),
                                  node_name (from, lang));
        return g_strdup_printf (psim_gettext (lang, "Whole procedure, from '%s' to '%s'"),
                                node_name (from, lang), node_name (by, lang));
      }
    }
}

char *
psim_limit_check_verdict (const PsimLimitCheck *lc, const char *lang)
{
  g_return_val_if_fail (lc != NULL, NULL);
  lang = psim_lang_normalize (lang);
  g_autofree char *value = psim_format_units (lc->value, lc->unit, lang);
  g_autoptr (GString) s = g_string_new (NULL);
  if (!lc->applies)
    {
      g_string_printf (s, psim_gettext (lang, "limit %s: does not apply, this path does not take "
                                              "the step it counts from or to"),
                       value);
      return g_string_free (g_steal_pointer (&s), FALSE);
    }
  g_string_printf (s, psim_gettext (lang, "limit %s"), value);
  if (lc->condition >= 0)
    {
      const PsimNode *step = NULL;
      const char *test = NULL;
      psim_limit_get_condition (lc->limit, (guint) lc->condition, &step, &test);
      if (step != NULL && test != NULL)
        g_string_append_printf (s, psim_gettext (lang, " (step '%s' on the path and %s)"),
                                node_name (step, lang), test);
      else if (step != NULL)
        g_string_append_printf (s, psim_gettext (lang, " (step '%s' on the path)"),
                                node_name (step, lang));
      else
        g_string_append_printf (s, psim_gettext (lang, " (%s holds)"), test);
    }
  g_autofree char *modelled = psim_format_decimal (lc->modelled, lang);
  g_autofree char *margin = psim_format_decimal (fabs (lc->margin), lang);
  g_string_append_printf (s, psim_gettext (lang, ", modelled %s: "), modelled);
  g_string_append_printf (s,
                          lc->met ? psim_gettext (lang, "met, %s to spare")
                                  : psim_gettext (lang, "not met, %s over"),
                          margin);
  if (lc->filed_late)
    {
      g_autofree char *cut = g_strdup (lc->limit->cut_off_text);
      g_string_append_printf (s, psim_gettext (lang, "; filed after %s: counted from the next "
                                                     "working day"),
                              cut);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* The law that sets the limit, or NULL. */
static const PsimLaw *
check_law (const PsimLimitCheck *lc)
{
  return lc->level == PSIM_LIMIT_STEP ? psim_step_get_time_limit_law (lc->step)
                                      : psim_limit_get_law (lc->limit);
}

char *
psim_limit_check_to_text (const PsimLimitCheck *lc, const char *lang)
{
  g_autofree char *subject = psim_limit_check_subject (lc, lang);
  g_autofree char *verdict = psim_limit_check_verdict (lc, lang);
  const PsimLaw *law = check_law (lc);
  if (law == NULL)
    return g_strdup_printf ("%s: %s", subject, verdict);
  return g_strdup_printf ("%s: %s (%s)", subject, verdict, psim_law_get_number (law));
}

static const char *
level_name (PsimLimitLevel level)
{
  switch (level)
    {
    case PSIM_LIMIT_STEP: return "step";
    case PSIM_LIMIT_DUTY: return "duty";
    case PSIM_LIMIT_PROCEDURE:
    default: return "procedure";
    }
}

void
psimp_json_add_limits (JsonBuilder *b, const PsimPath *path, const char *lang)
{
  json_builder_set_member_name (b, "limits");
  json_builder_begin_array (b);
  for (guint i = 0; i < psim_path_get_n_limits (path); i++)
    {
      const PsimLimitCheck *lc = psim_path_get_limit (path, i);
      g_autofree char *subject = psim_limit_check_subject (lc, lang);
      g_autofree char *verdict = psim_limit_check_verdict (lc, lang);
      const PsimLaw *law = check_law (lc);
      const PsimQuantity *q = lc->level == PSIM_LIMIT_STEP ? psim_step_get_time_limit (lc->step)
                                                           : psim_limit_get_quantity (lc->limit);
      json_builder_begin_object (b);
      psimp_json_add_string (b, "level", level_name (lc->level));
      psimp_json_add_string (b, "id", lc->level == PSIM_LIMIT_STEP ? psim_node_get_id (lc->step)
                                                                   : psim_limit_get_id (lc->limit));
      psimp_json_add_string (b, "subject", subject);
      if (lc->level != PSIM_LIMIT_STEP)
        {
          const PsimNode *from = psim_limit_get_from (lc->limit);
          const PsimNode *by = psim_limit_get_by (lc->limit);
          psimp_json_add_string (b, "from", from != NULL ? psim_node_get_id (from) : NULL);
          psimp_json_add_string (b, "by", by != NULL ? psim_node_get_id (by) : NULL);
        }
      psimp_json_add_number (b, "value", lc->value);
      psimp_json_add_string (b, "unit", psim_time_unit_to_string (lc->unit));
      psimp_json_add_string (b, "law", law != NULL ? psim_law_get_number (law) : NULL);
      psimp_json_add_string (b, "basis", psim_basis_to_string (q->basis));
      psimp_json_add_string (b, "source", q->source != NULL ? psim_source_get_id (q->source) : NULL);
      json_builder_set_member_name (b, "applies");
      json_builder_add_boolean_value (b, lc->applies);
      if (lc->applies)
        {
          psimp_json_add_number (b, "modelled", lc->modelled);
          psimp_json_add_number (b, "margin", lc->margin);
          json_builder_set_member_name (b, "met");
          json_builder_add_boolean_value (b, lc->met);
          json_builder_set_member_name (b, "filed_late");
          json_builder_add_boolean_value (b, lc->filed_late);
        }
      if (lc->condition >= 0)
        psimp_json_add_number (b, "condition", lc->condition);
      psimp_json_add_string (b, "verdict", verdict);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}
