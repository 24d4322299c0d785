/* psim-scenario-check.c — the checks of a scenario read from its file:
 * every distractor, question and hint refers to what the ideal run holds,
 * no option is a word the trainer reads as a command, and a perfect run
 * ends, in time and above the pass mark. The perfect run is played by the
 * engine itself (psim-session.c), which is why the checks live apart from
 * the reading: the engine depends on the scenario, and this file on both.
 */
#include "psim-train-private.h"

#include <string.h>

typedef PsimpScenarioLoad Load;

static GArray *
occ_set_new (void)
{
  return g_array_new (FALSE, FALSE, sizeof (guint));
}

/* ---- checks -------------------------------------------------------------- */

/* Occurrences of step @id on the ideal run, into @out; FALSE (and a
 * diagnostic) when there is none. */
static gboolean
find_on_path (Load *ld, PsimScenario *sc, const char *id, guint line, const char *what,
              GArray *out)
{
  for (guint i = 0; i < sc->occurrences->len; i++)
    if (strcmp (psim_node_get_id (g_array_index (sc->occurrences, PsimOccurrence, i).node), id)
        == 0)
      g_array_append_val (out, i);
  if (out->len > 0)
    return TRUE;
  const PsimNode *n = psim_variant_find_node (sc->variant, id);
  if (n == NULL || psim_node_get_kind (n) != PSIM_NODE_STEP)
    psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, line,
                   psim_gettext (ld->lang, "%s: variant '%s' has no step '%s'"), what,
                   psim_variant_get_id (sc->variant), id);
  else
    psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, line,
                   psim_gettext (ld->lang, "%s: step '%s' is not on this case's path"), what, id);
  return FALSE;
}

static void
check_distractor (Load *ld, PsimScenario *sc, PsimDistractor *d, GHashTable *ids)
{
  g_autofree char *what = g_strdup_printf (psim_gettext (ld->lang, "distractor '%s'"), d->id);
  if (g_hash_table_contains (ids, d->id))
    psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, d->line,
                   psim_gettext (ld->lang, "%s: the id is already used"), what);
  else
    g_hash_table_add (ids, d->id);
  if (psim_variant_find_node (sc->variant, d->id) != NULL)
    psim_diag_add (
        ld->diags, PSIM_SEVERITY_ERROR, ld->file, d->line,
        psim_gettext (ld->lang,
                      "%s: the id is a node of variant '%s'; give the distractor its own id"),
        what, psim_variant_get_id (sc->variant));
  if (d->cost < 0)
    d->cost = d->kind == PSIM_DISTRACTOR_UNNECESSARY    ? sc->scoring.unnecessary
              : d->kind == PSIM_DISTRACTOR_OUT_OF_ORDER ? sc->scoring.out_of_order
                                                        : sc->scoring.wrong;

  g_autoptr (GArray) at = occ_set_new ();
  gboolean at_ok = find_on_path (ld, sc, d->at, d->line, what, at);

  if (d->step_id == NULL)
    {
      if (d->kind == PSIM_DISTRACTOR_OUT_OF_ORDER)
        psim_diag_add (
            ld->diags, PSIM_SEVERITY_ERROR, ld->file, d->line,
            psim_gettext (ld->lang,
                          "%s: an out-of-order distractor names the step it brings too early "
                          "(step=\"...\")"),
            what);
      else if (d->kind == PSIM_DISTRACTOR_UNNECESSARY)
        psim_diag_add (
            ld->diags, PSIM_SEVERITY_ERROR, ld->file, d->line,
            psim_gettext (ld->lang,
                          "%s: an unnecessary distractor names the step of the compared variant "
                          "it stands for (step=\"...\")"),
            what);
      else if (d->labels->len == 0)
        psim_diag_add (
            ld->diags, PSIM_SEVERITY_ERROR, ld->file, d->line,
            psim_gettext (ld->lang, "%s: needs a <label> or a step=\"...\" to take it from"), what);
    }
  else if (d->kind == PSIM_DISTRACTOR_MISTAKE)
    psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, d->line,
                   psim_gettext (ld->lang, "%s: a mistake names no step; give it a <label>"), what);
  else if (d->kind == PSIM_DISTRACTOR_UNNECESSARY)
    {
      if (sc->compare == NULL)
        psim_diag_add (
            ld->diags, PSIM_SEVERITY_ERROR, ld->file, d->line,
            psim_gettext (ld->lang,
                          "%s: step '%s' is taken from the compared variant, but the scenario "
                          "compares with none (<procedure compare=\"...\">)"),
            what, d->step_id);
      else
        {
          d->step = psim_variant_find_node (sc->compare, d->step_id);
          if (d->step == NULL || psim_node_get_kind (d->step) != PSIM_NODE_STEP)
            {
              d->step = NULL;
              psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, d->line,
                             psim_gettext (ld->lang, "%s: variant '%s' has no step '%s'"), what,
                             psim_variant_get_id (sc->compare), d->step_id);
            }
        }
    }
  else
    {
      g_autoptr (GArray) later = occ_set_new ();
      if (find_on_path (ld, sc, d->step_id, d->line, what, later) && at_ok)
        {
          d->step = g_array_index (sc->occurrences, PsimOccurrence,
                                   g_array_index (later, guint, 0)).node;
          for (guint i = 0; i < at->len; i++)
            {
              gboolean after = FALSE;
              for (guint j = 0; j < later->len && !after; j++)
                after = psimp_ideal_run_comes_before (sc, g_array_index (at, guint, i),
                                      g_array_index (later, guint, j));
              if (!after)
                {
                  psim_diag_add (
                      ld->diags, PSIM_SEVERITY_ERROR, ld->file, d->line,
                      psim_gettext (ld->lang, "%s: step '%s' does not come after step '%s' on this "
                                              "case's path, so it is not out of order there"),
                      what, d->step_id, d->at);
                  break;
                }
            }
        }
    }
  for (guint i = 0; i < at->len; i++)
    g_ptr_array_add (g_array_index (sc->occurrences, PsimOccurrence,
                                    g_array_index (at, guint, i)).distractors,
                     d);
}

static void
check_question (Load *ld, PsimScenario *sc, PsimQuestion *q, GHashTable *ids)
{
  g_autofree char *what = g_strdup_printf (psim_gettext (ld->lang, "question '%s'"), q->id);
  if (g_hash_table_contains (ids, q->id))
    psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, q->line,
                   psim_gettext (ld->lang, "%s: the id is already used"), what);
  else
    g_hash_table_add (ids, q->id);
  g_autoptr (GArray) after = occ_set_new ();
  if (find_on_path (ld, sc, q->after, q->line, what, after))
    for (guint i = 0; i < after->len; i++)
      g_ptr_array_add (g_array_index (sc->occurrences, PsimOccurrence,
                                      g_array_index (after, guint, i)).questions,
                       q);

  guint n_correct = 0;
  g_autoptr (GHashTable) option_ids = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < q->options->len; i++)
    {
      const PsimOption *o = g_ptr_array_index (q->options, i);
      n_correct += o->correct;
      if (!g_hash_table_add (option_ids, o->id))
        psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, q->line,
                       psim_gettext (ld->lang, "%s: option '%s' is given twice"), what, o->id);
    }
  switch (q->kind)
    {
    case PSIM_QUESTION_SINGLE:
      if (n_correct != 1)
        psim_diag_add (
            ld->diags, PSIM_SEVERITY_ERROR, ld->file, q->line,
            psim_gettext (ld->lang,
                          "%s: a single-choice question needs exactly one correct option, "
                          "it has %u"),
            what, n_correct);
      break;
    case PSIM_QUESTION_MULTIPLE:
      if (n_correct == 0)
        psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, q->line,
                       psim_gettext (ld->lang, "%s: no option is marked correct=\"true\""), what);
      break;
    case PSIM_QUESTION_ORDER:
      if (q->options->len < 2)
        psim_diag_add (
            ld->diags, PSIM_SEVERITY_ERROR, ld->file, q->line,
            psim_gettext (ld->lang, "%s: an ordering question needs at least two options"), what);
      break;
    case PSIM_QUESTION_NUMBER:
    default:
      if (q->expr == NULL)
        psim_diag_add (
            ld->diags, PSIM_SEVERITY_ERROR, ld->file, q->line,
            psim_gettext (ld->lang, "%s: a number question needs an <answer expr=\"...\">"), what);
      else
        {
          g_autoptr (GError) err = NULL;
          if (!psim_case_eval_number (sc->pcase, q->expr, &q->answer, &err))
            psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, q->line, "%s: %s", what,
                           err->message);
        }
      break;
    }
  if (q->kind != PSIM_QUESTION_NUMBER && q->options->len == 0)
    psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, q->line,
                   psim_gettext (ld->lang, "%s: a %s question needs <option> elements"), what,
                   psim_question_kind_to_string (q->kind));
}

static void
check_hint (Load *ld, PsimScenario *sc, const PsimHint *h)
{
  g_autoptr (GArray) at = occ_set_new ();
  if (!find_on_path (ld, sc, h->at, h->line, psim_gettext (ld->lang, "hint"), at))
    return;
  for (guint i = 0; i < at->len; i++)
    {
      PsimOccurrence *o = &g_array_index (sc->occurrences, PsimOccurrence, g_array_index (at, guint, i));
      if (o->hint != NULL)
        {
          psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, h->line,
                         psim_gettext (ld->lang, "hint: step '%s' already has a hint (line %u)"),
                         h->at, o->hint->line);
          return;
        }
      o->hint = h;
    }
}

/* Plays the ideal run: it must end, and reach the pass mark in time. */
static void
check_perfect_run (Load *ld, PsimScenario *sc)
{
  g_autoptr (PsimSession) s = psim_session_new (sc, 0);
  psim_session_set_language (s, ld->lang);
  guint guard = 0;
  while (psim_session_get_prompt (s) != PSIM_PROMPT_FINISHED && guard++ < 100000)
    {
      g_autofree char *answer = psim_session_dup_ideal_answer (s);
      g_autoptr (GError) err = NULL;
      if (!psim_session_answer (s, answer, 0, &err))
        {
          psim_diag_add (ld->diags, PSIM_SEVERITY_ERROR, ld->file, 0,
                         psim_gettext (ld->lang, "a perfect run fails at answer %u (\"%s\"): %s"),
                         psim_session_get_n_answers (s) + 1, answer, err->message);
          return;
        }
    }
  const PsimScore *score = psim_session_get_score (s);
  if (score->over_time)
    psim_diag_add (
        ld->diags, PSIM_SEVERITY_ERROR, ld->file, sc->limit_line,
        psim_gettext (ld->lang, "a perfect run takes %g days, over the time limit of %g"),
        psim_elapsed_days (&psim_session_get_tally (s)->clock), sc->limit_days);
  else if (!score->passed)
    psim_diag_add (
        ld->diags, PSIM_SEVERITY_ERROR, ld->file, 0,
        psim_gettext (ld->lang, "a perfect run scores %.0f %%, under the pass mark of %d %%"),
        score->percent, sc->scoring.pass_mark);
}

/* The words the trainer reads as commands cannot be ids a trainee types. */
static gboolean
is_command (const char *id)
{
  static const char *const words[] = { "hint", "skip", "h", "s", "q" };
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (g_ascii_strcasecmp (id, words[i]) == 0)
      return TRUE;
  return FALSE;
}

static void
check_commands (Load *ld, PsimScenario *sc)
{
  for (guint i = 0; i < sc->occurrences->len; i++)
    {
      const PsimNode *n = g_array_index (sc->occurrences, PsimOccurrence, i).node;
      if (is_command (psim_node_get_id (n)))
        psim_diag_add (
            ld->diags, PSIM_SEVERITY_ERROR, ld->file, 0,
            psim_gettext (ld->lang,
                          "step '%s' of the procedure has the name of a trainer's command; "
                          "rename it in the procedure"),
            psim_node_get_id (n));
    }
  for (guint i = 0; i < sc->distractors->len; i++)
    {
      const PsimDistractor *d = g_ptr_array_index (sc->distractors, i);
      if (is_command (d->id))
        psim_diag_add (
            ld->diags, PSIM_SEVERITY_ERROR, ld->file, d->line,
            psim_gettext (ld->lang,
                          "distractor '%s': the id is a trainer's command (hint, skip, h, s, q)"),
            d->id);
    }
  for (guint i = 0; i < sc->questions->len; i++)
    {
      const PsimQuestion *q = g_ptr_array_index (sc->questions, i);
      for (guint o = 0; o < q->options->len; o++)
        {
          const PsimOption *opt = g_ptr_array_index (q->options, o);
          if (is_command (opt->id))
            psim_diag_add (
                ld->diags, PSIM_SEVERITY_ERROR, ld->file, q->line,
                psim_gettext (ld->lang,
                              "question '%s': option '%s' is a trainer's command (hint, skip, h, "
                              "s, q)"),
                q->id, opt->id);
        }
    }
}

void
psimp_scenario_check (PsimpScenarioLoad *ld, PsimScenario *sc)
{
  check_commands (ld, sc);
  g_autoptr (GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < sc->distractors->len; i++)
    check_distractor (ld, sc, g_ptr_array_index (sc->distractors, i), ids);
  g_autoptr (GHashTable) qids = g_hash_table_new (g_str_hash, g_str_equal);
  sc->max_score = sc->scoring.step * (int) sc->occurrences->len;
  for (guint i = 0; i < sc->questions->len; i++)
    {
      PsimQuestion *q = g_ptr_array_index (sc->questions, i);
      check_question (ld, sc, q, qids);
      /* Asked once per pass over its step. */
      for (guint o = 0; o < sc->occurrences->len; o++)
        {
          const PsimOccurrence *occ = &g_array_index (sc->occurrences, PsimOccurrence, o);
          for (guint k = 0; k < occ->questions->len; k++)
            if (g_ptr_array_index (occ->questions, k) == q)
              sc->max_score += q->points;
        }
    }
  for (guint i = 0; i < sc->hints->len; i++)
    check_hint (ld, sc, g_ptr_array_index (sc->hints, i));
  /* The engine plays the scenario only once everything it trusts holds. */
  if (psim_diagnostics_count_errors (ld->diags) == 0)
    check_perfect_run (ld, sc);
}
