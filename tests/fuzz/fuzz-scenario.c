/* fuzz-scenario.c — libFuzzer target for training scenarios: the scenario
 * loader (parse, schema, references, the perfect-run check) on the input,
 * named as if it sat in the bundled scenarios/ folder so that its
 * procedure href reaches the bundled workflows; and, when it loads, what a
 * front-end does with it: every getter, a perfect run, a run driven by the
 * input's own bytes (option numbers, ids, "hint", "skip", numbers, junk),
 * the records in their three formats, and a checkpoint restored into an
 * identical session.
 *
 * Contracts checked (abort = finding): a load returns a scenario if and
 * only if no error was set and no diagnostic is an error; a perfect run
 * finishes with full marks; an answer is either taken (one more answer
 * recorded) or refused with PSIM_SESSION_ERROR_INPUT and nothing recorded;
 * a restored checkpoint gives the same record; the library prints nothing.
 *
 * Built only with clang and -Dfuzzing=true (tests/fuzz/meson.build); see
 * docs/fuzzing.md.
 */
#define FUZZ_NAME "fuzz-scenario"
#include "fuzz-common.h"
#include <string.h>

static const char *const langs[] = { "vi", "en", "fr" };

static void
read_scenario (const PsimScenario *sc)
{
  for (guint l = 0; l < G_N_ELEMENTS (langs); l++)
    {
      EXPECT (psim_scenario_get_title (sc, langs[l]) != NULL);
      EXPECT (psim_scenario_get_briefing (sc, langs[l]) != NULL);
      EXPECT (psim_scenario_get_debrief (sc, langs[l]) != NULL);
      psim_scenario_get_persona (sc, langs[l]);
      psim_scenario_get_role (sc, langs[l]);
      psim_scenario_get_case_description (sc, langs[l]);
      for (guint i = 0; i < psim_scenario_get_n_objectives (sc); i++)
        psim_scenario_get_objective (sc, i, langs[l]);
      for (guint q = 0; q < psim_scenario_get_n_questions (sc); q++)
        {
          const PsimQuestion *qq = psim_scenario_get_question (sc, q);
          EXPECT (psim_question_get_prompt (qq, langs[l]) != NULL);
          for (guint o = 0; o < psim_question_get_n_options (qq); o++)
            {
              EXPECT (psim_question_get_option_label (qq, o, langs[l]) != NULL);
              psim_question_get_option_feedback (qq, o, langs[l]);
            }
        }
    }
}

/* Reads everything a front-end shows at the current prompt. */
static void
read_prompt (const PsimSession *s)
{
  psim_session_get_step_number (s);
  psim_session_get_tally (s);
  psim_session_get_hint (s, "vi", NULL);
  for (guint i = 0; i < psim_session_get_n_options (s); i++)
    {
      EXPECT (psim_session_get_option_id (s, i) != NULL);
      EXPECT (psim_session_get_option_label (s, i, "en") != NULL);
      psim_session_get_option_feedback (s, i, "vi");
    }
}

static void
check_records (const PsimSession *s)
{
  g_autofree char *json = psim_session_record_json (s, "vi");
  g_autofree char *xapi = psim_session_record_xapi (s, "en");
  g_autofree char *xes = psim_session_record_xes (s, "vi");
  EXPECT (json != NULL && xapi != NULL && xes != NULL);
  for (guint i = 0; i < psim_session_get_n_events (s); i++)
    {
      psim_session_get_event_feedback (s, i, "en");
      EXPECT (psim_session_get_event_label (s, i, "vi") != NULL);
    }
}

/* Feeds @input; taken or refused, by the contract. */
static void
answer (PsimSession *s, const char *input)
{
  guint before = psim_session_get_n_answers (s);
  g_autoptr (GError) error = NULL;
  gboolean ok = psim_session_answer (s, input, 1000, &error);
  EXPECT (ok == (error == NULL));
  EXPECT (psim_session_get_n_answers (s) == before + (ok ? 1 : 0));
  EXPECT (ok || error->domain == PSIM_SESSION_ERROR);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (PsimScenario) sc = psim_scenario_load_memory (
    loader, (const char *) data, size, PSIM_FUZZ_SCENARIO_NAME, diags, &error);
  guint n_errors = psim_diagnostics_count_errors (diags);
  EXPECT ((sc != NULL) == (error == NULL));
  EXPECT (sc == NULL || n_errors == 0);
  EXPECT (sc != NULL || n_errors > 0 || error != NULL);
  for (guint i = 0; i < diags->len; i++)
    {
      const PsimDiagnostic *d = g_ptr_array_index (diags, i);
      EXPECT (d->file != NULL && d->message != NULL);
    }
  if (sc == NULL)
    return 0;
  read_scenario (sc);

  /* The perfect run: full marks, as the loader checked. */
  g_autoptr (PsimSession) perfect = psim_session_new (sc, size);
  for (guint guard = 0; psim_session_get_prompt (perfect) != PSIM_PROMPT_FINISHED; guard++)
    {
      EXPECT (guard < 10000);
      read_prompt (perfect);
      g_autofree char *typed = psim_session_dup_ideal_answer_typed (perfect);
      EXPECT (typed != NULL);
      answer (perfect, typed);
    }
  EXPECT (psim_session_get_score (perfect)->score == psim_scenario_get_max_score (sc));
  check_records (perfect);

  /* A run driven by the input's bytes. */
  static const char *const words[] = { "hint", "skip", "1", "2", "3", "9", "0", "1,2", "2,1",
                                       "64.000.000", "0,5", "-1", "nan", "", "1e308", "x,,y" };
  g_autoptr (PsimSession) driven = psim_session_new (sc, 7);
  psim_session_set_identity (driven, "fuzz", "trainee", 0);
  for (size_t i = 0; i < size && i < 400 && psim_session_get_prompt (driven) != PSIM_PROMPT_FINISHED;
       i++)
    {
      read_prompt (driven);
      answer (driven, words[data[i] % G_N_ELEMENTS (words)]);
    }
  check_records (driven);

  /* A checkpoint restores to the same session. */
  g_autofree char *saved = psim_session_to_checkpoint (driven);
  g_autoptr (GError) restore_error = NULL;
  g_autoptr (PsimSession) restored
      = psim_session_new_from_checkpoint (sc, saved, "en", &restore_error);
  EXPECT (restored != NULL);
  g_autofree char *a = psim_session_record_json (driven, "en");
  g_autofree char *b = psim_session_record_json (restored, "en");
  EXPECT (strcmp (a, b) == 0);
  return 0;
}
