/* test-report.c — the trainer's summary of session records (psim-report.h):
 * records made by real sessions of tests/data/scenarios/engine.xml are
 * summed per scenario (attempts, finished, passed, mean score, the most
 * frequent mistakes), other JSON is left out, text that is not JSON is an
 * error, and the text comes in the language asked for.
 */
#include "psim-test.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

static PsimScenario *
load_engine (void)
{
  g_autofree char *path = psim_test_data ("scenarios/engine.xml");
  g_autoptr (PsimLoader) loader = psim_loader_new (NULL);
  return psim_scenario_load_file (loader, path, NULL, NULL);
}

/* A session of @sc answered with @answer at every point (the ideal answer
 * when NULL), at most @limit answers; its record. (transfer full) */
static char *
record_of (PsimScenario *sc, const char *answer, guint limit, PsimSession **out)
{
  PsimSession *s = psim_session_new (sc, 5);
  psim_session_set_identity (s, "r", "trainee", 0);
  for (guint i = 0; i < limit && psim_session_get_prompt (s) != PSIM_PROMPT_FINISHED; i++)
    {
      g_autofree char *ideal = psim_session_dup_ideal_answer (s);
      g_assert (psim_session_answer (s, answer != NULL ? answer : ideal, 6000, NULL));
    }
  char *json = psim_session_record_json (s, "en");
  *out = s;
  return json;
}

static void
test_summary (void)
{
  g_autoptr (PsimScenario) sc = load_engine ();
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  g_autoptr (PsimSession) perfect = NULL, skipper = NULL, unfinished = NULL;
  g_autofree char *r1 = record_of (sc, NULL, 1000, &perfect);
  g_autofree char *r2 = record_of (sc, "skip", 1000, &skipper);
  g_autofree char *r3 = record_of (sc, NULL, 2, &unfinished);
  g_autoptr (PsimReport) report = psim_report_new ();
  g_autoptr (GError) error = NULL;
  CU_ASSERT_TRUE (psim_report_add_record (report, r1, -1, "r1", "en", &error));
  CU_ASSERT_TRUE (psim_report_add_record (report, r2, -1, "r2", "en", &error));
  CU_ASSERT_TRUE (psim_report_add_record (report, r3, -1, "r3", "en", &error));
  /* JSON that is not a record is left out; text that is not JSON fails. */
  CU_ASSERT_FALSE (psim_report_add_record (report, "{\"format\": \"other\"}", -1, "o", "en", &error));
  CU_ASSERT_PTR_NULL (error);
  CU_ASSERT_FALSE (psim_report_add_record (report, "{not json", -1, "bad", "en", &error));
  CU_ASSERT_PTR_NOT_NULL (error);
  CU_ASSERT_EQUAL (psim_report_get_n_scenarios (report), 1);

  g_autofree char *json = psim_report_to_json (report);
  g_autoptr (JsonParser) parser = json_parser_new ();
  CU_ASSERT_TRUE_FATAL (json_parser_load_from_data (parser, json, -1, NULL));
  JsonArray *all = json_node_get_array (json_parser_get_root (parser));
  CU_ASSERT_EQUAL_FATAL (json_array_get_length (all), 1);
  JsonObject *st = json_array_get_object_element (all, 0);
  CU_ASSERT_STRING_EQUAL (json_object_get_string_member (st, "scenario"),
                          psim_scenario_get_id (sc));
  CU_ASSERT_EQUAL (json_object_get_int_member (st, "attempts"), 3);
  CU_ASSERT_EQUAL (json_object_get_int_member (st, "finished"), 2);
  const PsimScore *a = psim_session_get_score (perfect), *b = psim_session_get_score (skipper);
  CU_ASSERT_EQUAL (json_object_get_int_member (st, "passed"), a->passed + b->passed);
  CU_ASSERT_DOUBLE_EQUAL (json_object_get_double_member (st, "mean_percent"),
                          (a->percent + b->percent) / 2, 1e-9);
  /* Skipping every step: each step is a "skipped" mistake, once. */
  JsonArray *mistakes = json_object_get_array_member (st, "mistakes");
  CU_ASSERT_TRUE (json_array_get_length (mistakes) > 0);
  CU_ASSERT_TRUE (json_array_get_length (mistakes) <= 5);
  for (guint i = 0; i < json_array_get_length (mistakes); i++)
    {
      JsonObject *m = json_array_get_object_element (mistakes, i);
      CU_ASSERT_EQUAL (json_object_get_int_member (m, "count"), 1);
    }

  g_autofree char *en = psim_report_to_text (report, "en");
  g_autofree char *vi = psim_report_to_text (report, "vi");
  CU_ASSERT_PTR_NOT_NULL (strstr (en, "attempts 3, finished 2"));
  CU_ASSERT_PTR_NOT_NULL (strstr (en, "most frequent mistakes"));
  CU_ASSERT_PTR_NULL (strstr (vi, "attempts"));
  CU_ASSERT_PTR_NOT_NULL (strstr (vi, psim_scenario_get_id (sc)));
}

/* A session of @sc by @actor, started @day days after 2026-11-01, ideal
 * (@skip FALSE) or skipping every point, cut after @limit answers. */
static PsimSession *
session_of (PsimScenario *sc, const char *id, const char *actor, int day, gboolean skip,
            guint limit)
{
  PsimSession *s = psim_session_new (sc, 5);
  g_autoptr (GDateTime) t = g_date_time_new_utc (2026, 11, 1 + day, 9, 0, 0);
  psim_session_set_identity (s, id, actor, g_date_time_to_unix (t) * G_USEC_PER_SEC);
  for (guint i = 0; i < limit && psim_session_get_prompt (s) != PSIM_PROMPT_FINISHED; i++)
    {
      g_autofree char *ideal = psim_session_dup_ideal_answer (s);
      g_assert (psim_session_answer (s, skip ? "skip" : ideal, 6000, NULL));
    }
  return s;
}

static JsonObject *
only_scenario (JsonParser *parser, const char *json)
{
  if (!json_parser_load_from_data (parser, json, -1, NULL))
    return NULL;
  JsonArray *all = json_node_get_array (json_parser_get_root (parser));
  return json_array_get_length (all) == 1 ? json_array_get_object_element (all, 0) : NULL;
}

/* Scripted replays apart, a checkpoint as an unfinished attempt (once:
 * not when its record is there too), each trainee's best and last score
 * and date, and a period. */
static void
test_trainees (void)
{
  g_autoptr (PsimScenario) sc = load_engine ();
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  g_autoptr (PsimSession) good = session_of (sc, "a1", "An", 2, FALSE, 1000);
  g_autoptr (PsimSession) bad = session_of (sc, "a2", "An", 5, TRUE, 1000);
  g_autoptr (PsimSession) open = session_of (sc, "b1", "Bình", 7, FALSE, 1);
  g_autoptr (PsimSession) replay = session_of (sc, "r1", "Script", 3, FALSE, 1000);
  psim_session_set_scripted (replay, TRUE);
  g_autofree char *r_good = psim_session_record_json (good, "en");
  g_autofree char *r_bad = psim_session_record_json (bad, "en");
  g_autofree char *c_bad = psim_session_to_checkpoint (bad); /* left behind */
  g_autofree char *c_open = psim_session_to_checkpoint (open);
  g_autofree char *r_replay = psim_session_record_json (replay, "en");
  g_autoptr (PsimReport) report = psim_report_new ();
  const char *all[] = { r_good, r_bad, c_bad, c_open, r_replay };
  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    CU_ASSERT_TRUE (psim_report_add_record (report, all[i], -1, "r", "en", NULL));

  g_autofree char *json = psim_report_format_json (report, NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *st = only_scenario (parser, json);
  CU_ASSERT_PTR_NOT_NULL_FATAL (st);
  CU_ASSERT_EQUAL (json_object_get_int_member (st, "attempts"), 3);
  CU_ASSERT_EQUAL (json_object_get_int_member (st, "finished"), 2);
  CU_ASSERT_EQUAL (json_object_get_int_member (st, "unfinished"), 1);
  CU_ASSERT_EQUAL (json_object_get_int_member (st, "scripted"), 1);
  JsonArray *trainees = json_object_get_array_member (st, "trainees");
  CU_ASSERT_EQUAL_FATAL (json_array_get_length (trainees), 2);
  JsonObject *an = json_array_get_object_element (trainees, 0);
  CU_ASSERT_STRING_EQUAL (json_object_get_string_member (an, "name"), "An");
  CU_ASSERT_EQUAL (json_object_get_int_member (an, "attempts"), 2);
  const PsimScore *g = psim_session_get_score (good), *b = psim_session_get_score (bad);
  CU_ASSERT_DOUBLE_EQUAL (json_object_get_double_member (an, "best_percent"),
                          MAX (g->percent, b->percent), 1e-9);
  /* The last is the later session's, not the better one's. */
  CU_ASSERT_DOUBLE_EQUAL (json_object_get_double_member (an, "last_percent"), b->percent, 1e-9);
  CU_ASSERT_STRING_EQUAL (json_object_get_string_member (an, "last_started"),
                          "2026-11-06T09:00:00Z");
  JsonObject *binh = json_array_get_object_element (trainees, 1);
  CU_ASSERT_TRUE (json_object_get_null_member (binh, "best_percent"));
  JsonArray *open_list = json_object_get_array_member (st, "unfinished_sessions");
  CU_ASSERT_EQUAL_FATAL (json_array_get_length (open_list), 1);
  JsonObject *o = json_array_get_object_element (open_list, 0);
  CU_ASSERT_STRING_EQUAL (json_object_get_string_member (o, "session"), "b1");
  CU_ASSERT_EQUAL (json_object_get_int_member (o, "answers"), 1);

  /* The period: the sessions started on 4 to 6 November. */
  PsimReportOptions period = { .lang = "en" };
  CU_ASSERT_TRUE (psim_report_parse_date ("2026-11-04", FALSE, &period.since));
  CU_ASSERT_TRUE (psim_report_parse_date ("2026-11-06", TRUE, &period.until));
  CU_ASSERT_FALSE (psim_report_parse_date ("2026-11-31", FALSE, &period.until));
  g_autofree char *in = psim_report_format_json (report, &period);
  st = only_scenario (parser, in);
  CU_ASSERT_PTR_NOT_NULL_FATAL (st);
  CU_ASSERT_EQUAL (json_object_get_int_member (st, "attempts"), 1);
  CU_ASSERT_EQUAL (json_object_get_int_member (st, "unfinished"), 0);
  CU_ASSERT_EQUAL (json_object_get_int_member (st, "scripted"), 1);
  g_autofree char *csv = psim_report_format_csv (report, &period);
  CU_ASSERT_PTR_NOT_NULL (strstr (csv, "\r\n"));
  CU_ASSERT_PTR_NOT_NULL (strstr (csv, ",An,1,1,0,"));
  CU_ASSERT_PTR_NULL (strstr (csv, "Bình"));
}

static void
test_empty (void)
{
  g_autoptr (PsimReport) report = psim_report_new ();
  CU_ASSERT_EQUAL (psim_report_get_n_scenarios (report), 0);
  g_autofree char *json = psim_report_to_json (report);
  CU_ASSERT_STRING_EQUAL (json, "[]\n");
  g_autofree char *text = psim_report_to_text (report, "en");
  CU_ASSERT_STRING_EQUAL (text, "");
}

/* Sessions given directly (as the server gives those of its database)
 * are summed as records are: the figures of one scenario, with medians,
 * per trainee, unfinished sessions, questions and labelled mistakes; and
 * the figures are there, zero, for a scenario without a session. */
static void
test_figures (void)
{
  g_autoptr (PsimScenario) sc = load_engine ();
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  g_autoptr (PsimSession) skipper = NULL;
  g_free (record_of (sc, "skip", 1000, &skipper));
  const char *step = NULL;
  for (guint i = 0; i < psim_session_get_n_events (skipper) && step == NULL; i++)
    if (psim_session_get_event (skipper, i)->kind == PSIM_EVENT_SKIPPED)
      step = psim_session_get_event (skipper, i)->ref;
  CU_ASSERT_PTR_NOT_NULL_FATAL (step);
  const char *question = psim_question_get_id (psim_scenario_get_question (sc, 0));
  const PsimReportEvent a_events[] = { { "skipped", step }, { "right", question },
                                       { "chosen", "ignored" } };
  const PsimReportEvent b_events[] = { { "skipped", step }, { "missed", question } };
  const PsimReportSession sessions[] = {
    { .scenario = psim_scenario_get_id (sc), .session = "s1", .actor = "an", .started = 1000,
      .finished = TRUE, .passed = TRUE, .percent = 90, .ms = 60000, .answers = 6,
      .events = a_events, .n_events = G_N_ELEMENTS (a_events) },
    { .scenario = psim_scenario_get_id (sc), .session = "s2", .actor = "an", .started = 2000,
      .finished = TRUE, .percent = 40, .ms = 120000, .answers = 7,
      .events = b_events, .n_events = G_N_ELEMENTS (b_events) },
    { .scenario = psim_scenario_get_id (sc), .session = "s3", .actor = "bao", .started = 3000,
      .finished = TRUE, .passed = TRUE, .percent = 70, .ms = 30000, .answers = 6 },
    { .scenario = psim_scenario_get_id (sc), .session = "s4", .actor = "bao", .started = 4000,
      .answers = 2 },
    { .scenario = "elsewhere", .session = "s5", .actor = "an", .started = 5000, .finished = TRUE,
      .percent = 10 },
  };
  g_autoptr (PsimReport) report = psim_report_new ();
  for (guint i = 0; i < G_N_ELEMENTS (sessions); i++)
    psim_report_add_session (report, &sessions[i]);
  CU_ASSERT_EQUAL (psim_report_get_n_scenarios (report), 2);
  PsimReportOptions vi = { .lang = "vi" };
  g_autoptr (PsimReportFigures) f = psim_report_get_figures (report, sc, &vi);
  CU_ASSERT_STRING_EQUAL (f->id, psim_scenario_get_id (sc));
  CU_ASSERT_STRING_EQUAL (f->title, psim_scenario_get_title (sc, "vi"));
  CU_ASSERT_EQUAL (f->attempts, 4);
  CU_ASSERT_EQUAL (f->finished, 3);
  CU_ASSERT_EQUAL (f->unfinished, 1);
  CU_ASSERT_EQUAL (f->passed, 2);
  CU_ASSERT_DOUBLE_EQUAL (f->mean_percent, 200.0 / 3, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (f->median_percent, 70, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (f->mean_ms, 70000, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (f->median_ms, 60000, 1e-9);
  CU_ASSERT_EQUAL_FATAL (f->trainees->len, 2);
  const PsimReportTrainee *an = g_ptr_array_index (f->trainees, 0);
  CU_ASSERT_STRING_EQUAL (an->name, "an");
  CU_ASSERT_EQUAL (an->attempts, 2);
  CU_ASSERT_EQUAL (an->passed, 1);
  CU_ASSERT_DOUBLE_EQUAL (an->best_percent, 90, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (an->last_percent, 40, 1e-9);
  CU_ASSERT_EQUAL (an->last_started, 2000);
  const PsimReportTrainee *bao = g_ptr_array_index (f->trainees, 1);
  CU_ASSERT_EQUAL (bao->unfinished, 1);
  CU_ASSERT_EQUAL_FATAL (f->open->len, 1);
  CU_ASSERT_STRING_EQUAL (((PsimReportOpen *) g_ptr_array_index (f->open, 0))->session, "s4");
  CU_ASSERT_EQUAL (((PsimReportOpen *) g_ptr_array_index (f->open, 0))->answers, 2);
  CU_ASSERT_EQUAL_FATAL (f->questions->len, psim_scenario_get_n_questions (sc));
  const PsimReportQuestion *q = g_ptr_array_index (f->questions, 0);
  CU_ASSERT_STRING_EQUAL (q->id, question);
  CU_ASSERT_STRING_EQUAL (q->label, psim_question_get_prompt (psim_scenario_get_question (sc, 0),
                                                              "vi"));
  CU_ASSERT_EQUAL (q->asked, 2);
  CU_ASSERT_EQUAL (q->right, 1);
  /* "chosen" is no mistake; the skipped step is, twice, in Vietnamese. */
  CU_ASSERT_EQUAL_FATAL (f->mistakes->len, 1);
  const PsimReportMistake *m = g_ptr_array_index (f->mistakes, 0);
  CU_ASSERT_STRING_EQUAL (m->kind, "skipped");
  CU_ASSERT_EQUAL (m->count, 2);
  CU_ASSERT_TRUE (g_str_has_prefix (m->label, psim_gettext ("vi", "Step revealed")));

  /* Nothing of a scenario, or nothing in the period: zeros, and NAN for
   * the means. */
  PsimReportOptions later = { .lang = "en", .since = 10000 };
  g_autoptr (PsimReportFigures) none = psim_report_get_figures (report, sc, &later);
  CU_ASSERT_EQUAL (none->attempts, 0);
  CU_ASSERT_EQUAL (none->trainees->len, 0);
  CU_ASSERT_EQUAL (none->questions->len, psim_scenario_get_n_questions (sc));
  CU_ASSERT_TRUE (isnan (none->mean_percent) && isnan (none->median_ms));
}

int
main (void)
{
  static const PsimTest tests[] = {
    { "records of real sessions, summed per scenario", test_summary },
    { "trainees, unfinished sessions, scripted replays, a period", test_trainees },
    { "sessions given directly, and one scenario's figures", test_figures },
    { "no record", test_empty },
    { NULL, NULL },
  };
  return psim_test_run ("report", tests);
}
