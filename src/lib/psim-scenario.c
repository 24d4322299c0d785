/* psim-scenario.c — the training scenario as an object: its parts, how
 * they are freed, and the read-only accessors the engine and the
 * front-ends use. A scenario is made by psim-scenario-load.c (the file),
 * checked by psim-scenario-check.c and given its ideal run by
 * psim-ideal-run.c; once loaded it never changes, so any number of
 * sessions share it.
 */
#include "psim-train-private.h"

#include <string.h>

const char *const psimp_question_kind_names[] = { "single", "multiple", "number", "order", NULL };
const char *const psimp_distractor_kind_names[] = { "unnecessary", "mistake", "out-of-order",
                                                    NULL };

const char *
psim_question_kind_to_string (PsimQuestionKind kind)
{
  return (guint) kind < G_N_ELEMENTS (psimp_question_kind_names) - 1
             ? psimp_question_kind_names[kind]
             : NULL;
}

const char *
psim_distractor_kind_to_string (PsimDistractorKind kind)
{
  return (guint) kind < G_N_ELEMENTS (psimp_distractor_kind_names) - 1
             ? psimp_distractor_kind_names[kind]
             : NULL;
}

/* ---- freeing ------------------------------------------------------------- */


static void
distractor_free (PsimDistractor *d)
{
  g_free (d->id);
  g_free (d->at);
  g_free (d->step_id);
  g_ptr_array_unref (d->labels);
  g_ptr_array_unref (d->feedback);
  g_free (d);
}

void
psimp_option_free (PsimOption *o)
{
  g_free (o->id);
  g_ptr_array_unref (o->labels);
  g_ptr_array_unref (o->feedback);
  g_free (o);
}

static void
question_free (PsimQuestion *q)
{
  g_free (q->id);
  g_free (q->after);
  g_ptr_array_unref (q->prompt);
  g_ptr_array_unref (q->feedback);
  g_ptr_array_unref (q->options);
  g_free (q->expr);
  g_free (q->unit);
  g_free (q);
}

static void
hint_free (PsimHint *h)
{
  g_free (h->at);
  g_ptr_array_unref (h->texts);
  g_free (h);
}

static void
occurrence_clear (PsimOccurrence *o)
{
  g_clear_pointer (&o->preds, g_array_unref);
  g_clear_pointer (&o->distractors, g_ptr_array_unref);
  g_clear_pointer (&o->questions, g_ptr_array_unref);
}

PsimScenario *
psimp_scenario_new (const char *file)
{
  PsimScenario *sc = g_new0 (PsimScenario, 1);
  sc->ref_count = 1;
  sc->file = g_strdup (file);
  sc->titles = psim_texts_new ();
  sc->briefings = psim_texts_new ();
  sc->persona_names = psim_texts_new ();
  sc->persona_roles = psim_texts_new ();
  sc->case_descriptions = psim_texts_new ();
  sc->debriefs = psim_texts_new ();
  sc->objectives = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  sc->scoring = (PsimScoring) { .pass_mark = 70, .step = 10, .wrong = 5, .unnecessary = 5,
                                .out_of_order = 5, .skipped = 10, .attempts = 3 };
  sc->distractors = g_ptr_array_new_with_free_func ((GDestroyNotify) distractor_free);
  sc->questions = g_ptr_array_new_with_free_func ((GDestroyNotify) question_free);
  sc->hints = g_ptr_array_new_with_free_func ((GDestroyNotify) hint_free);
  sc->occurrences = g_array_new (FALSE, TRUE, sizeof (PsimOccurrence));
  g_array_set_clear_func (sc->occurrences, (GDestroyNotify) occurrence_clear);
  return sc;
}

PsimScenario *
psim_scenario_ref (PsimScenario *sc)
{
  g_return_val_if_fail (sc != NULL, NULL);
  g_atomic_int_inc (&sc->ref_count);
  return sc;
}

void
psim_scenario_unref (PsimScenario *sc)
{
  if (sc == NULL || !g_atomic_int_dec_and_test (&sc->ref_count))
    return;
  g_free (sc->file);
  g_free (sc->id);
  g_free (sc->checksum);
  g_ptr_array_unref (sc->titles);
  g_ptr_array_unref (sc->briefings);
  g_ptr_array_unref (sc->persona_names);
  g_ptr_array_unref (sc->persona_roles);
  g_ptr_array_unref (sc->case_descriptions);
  g_ptr_array_unref (sc->debriefs);
  g_ptr_array_unref (sc->objectives);
  g_array_unref (sc->occurrences);
  g_ptr_array_unref (sc->distractors);
  g_ptr_array_unref (sc->questions);
  g_ptr_array_unref (sc->hints);
  g_clear_pointer (&sc->path, psim_path_free);
  g_clear_pointer (&sc->compare_path, psim_path_free);
  g_clear_pointer (&sc->pcase, psim_case_free);
  g_clear_pointer (&sc->proc, psim_procedure_unref);
  g_free (sc);
}


/* ---- getters ------------------------------------------------------------- */

const char *psim_scenario_get_id (const PsimScenario *sc) { return sc->id; }
const char *psim_scenario_get_file (const PsimScenario *sc) { return sc->file; }
const char *psim_scenario_get_checksum (const PsimScenario *sc) { return sc->checksum; }
const char *psim_scenario_get_title (const PsimScenario *sc, const char *lang) { return psim_texts_get (sc->titles, lang); }
const char *psim_scenario_get_briefing (const PsimScenario *sc, const char *lang) { return psim_texts_get (sc->briefings, lang); }
const char *psim_scenario_get_persona (const PsimScenario *sc, const char *lang) { return psim_texts_get (sc->persona_names, lang); }
const char *psim_scenario_get_role (const PsimScenario *sc, const char *lang) { return psim_texts_get (sc->persona_roles, lang); }
const char *psim_scenario_get_case_description (const PsimScenario *sc, const char *lang) { return psim_texts_get (sc->case_descriptions, lang); }
guint psim_scenario_get_n_objectives (const PsimScenario *sc) { return sc->objectives->len; }
const char *psim_scenario_get_debrief (const PsimScenario *sc, const char *lang) { return psim_texts_get (sc->debriefs, lang); }
const PsimScoring *psim_scenario_get_scoring (const PsimScenario *sc) { return &sc->scoring; }
double psim_scenario_get_time_limit_days (const PsimScenario *sc) { return sc->limit_days; }
double psim_scenario_get_time_limit_minutes (const PsimScenario *sc) { return sc->limit_minutes; }
PsimProcedure *psim_scenario_get_procedure (const PsimScenario *sc) { return sc->proc; }
const PsimVariant *psim_scenario_get_variant (const PsimScenario *sc) { return sc->variant; }
const PsimVariant *psim_scenario_get_compare_variant (const PsimScenario *sc) { return sc->compare; }
const PsimCase *psim_scenario_get_case (const PsimScenario *sc) { return sc->pcase; }
const PsimPath *psim_scenario_get_path (const PsimScenario *sc) { return sc->path; }
const PsimPath *psim_scenario_get_compare_path (const PsimScenario *sc) { return sc->compare_path; }
guint psim_scenario_get_n_path_steps (const PsimScenario *sc) { return sc->occurrences->len; }
int psim_scenario_get_max_score (const PsimScenario *sc) { return sc->max_score; }
guint psim_scenario_get_n_questions (const PsimScenario *sc) { return sc->questions->len; }

const char *
psim_scenario_get_objective (const PsimScenario *sc, guint i, const char *lang)
{
  g_return_val_if_fail (i < sc->objectives->len, NULL);
  return psim_texts_get (g_ptr_array_index (sc->objectives, i), lang);
}

const PsimQuestion *
psim_scenario_get_question (const PsimScenario *sc, guint i)
{
  g_return_val_if_fail (i < sc->questions->len, NULL);
  return g_ptr_array_index (sc->questions, i);
}

const char *psim_question_get_id (const PsimQuestion *q) { return q->id; }
PsimQuestionKind psim_question_get_kind (const PsimQuestion *q) { return q->kind; }
int psim_question_get_points (const PsimQuestion *q) { return q->points; }
const char *psim_question_get_prompt (const PsimQuestion *q, const char *lang) { return psim_texts_get (q->prompt, lang); }
const char *psim_question_get_feedback (const PsimQuestion *q, const char *lang) { return psim_texts_get (q->feedback, lang); }
guint psim_question_get_n_options (const PsimQuestion *q) { return q->options->len; }
double psim_question_get_answer (const PsimQuestion *q) { return q->answer; }
double psim_question_get_tolerance (const PsimQuestion *q) { return q->tolerance; }
const char *psim_question_get_unit (const PsimQuestion *q) { return q->unit; }

static const PsimOption *
option (const PsimQuestion *q, guint i)
{
  g_return_val_if_fail (i < q->options->len, NULL);
  return g_ptr_array_index (q->options, i);
}

const char *
psim_question_get_option_id (const PsimQuestion *q, guint i)
{
  const PsimOption *o = option (q, i);
  return o != NULL ? o->id : NULL;
}

const char *
psim_question_get_option_label (const PsimQuestion *q, guint i, const char *lang)
{
  const PsimOption *o = option (q, i);
  return o != NULL ? psim_texts_get (o->labels, lang) : NULL;
}

const char *
psim_question_get_option_feedback (const PsimQuestion *q, guint i, const char *lang)
{
  const PsimOption *o = option (q, i);
  return o != NULL ? psim_texts_get (o->feedback, lang) : NULL;
}

gboolean
psim_question_get_option_correct (const PsimQuestion *q, guint i)
{
  const PsimOption *o = option (q, i);
  return o != NULL && o->correct;
}
