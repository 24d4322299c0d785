/* test-train.c — scenarios and the training engine: a perfect run scores
 * full marks, each kind of mistake costs exactly what the scenario says,
 * parallel branches go in either order, a checkpoint restores the same
 * session, records hold what the formats require, and bad scenarios are
 * reported as expected (tests/data/scenarios/invalid/NAME.err).
 *
 * The figures of engine.xml (price 2,000,000,000 VND, digital path):
 *   full marks  6 steps × 10 + questions 10 + 5 + 5 + 5        = 85
 *   fees        notary 1,000,000 + 0.06 % × 1,000,000,000      =  1,600,000
 *               income tax 2 % × 2,000,000,000                  = 40,000,000
 *               registration fee 0.5 % × 2,000,000,000          = 10,000,000
 *                                                         total = 51,600,000
 */
#include "psim-test.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static PsimScenario *
load (const char *name)
{
  g_autofree char *rel = g_build_filename ("scenarios", name, NULL);
  g_autofree char *path = psim_test_data (rel);
  g_autoptr (PsimLoader) loader = psim_loader_new (NULL);
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  g_autoptr (GError) error = NULL;
  PsimScenario *sc = psim_scenario_load_file (loader, path, diags, &error);
  if (sc == NULL)
    {
      g_autofree char *text = psim_test_join_diagnostics (diags);
      g_printerr ("%s\n", text);
    }
  return sc;
}

/* Answers @inputs (NULL-terminated); each must be taken. */
static void
play (PsimSession *s, const char *const *inputs)
{
  for (guint i = 0; inputs[i] != NULL; i++)
    {
      g_autoptr (GError) error = NULL;
      gboolean ok = psim_session_answer (s, inputs[i], 1000, &error);
      if (!ok)
        g_printerr ("answer \"%s\": %s\n", inputs[i], error->message);
      CU_ASSERT_TRUE_FATAL (ok);
    }
}

static void
play_ideal (PsimSession *s)
{
  guint guard = 0;
  while (psim_session_get_prompt (s) != PSIM_PROMPT_FINISHED && guard++ < 1000)
    {
      g_autofree char *answer = psim_session_dup_ideal_answer (s);
      CU_ASSERT_TRUE_FATAL (psim_session_answer (s, answer, 0, NULL));
    }
}

static void
test_perfect_run (void)
{
  g_autoptr (PsimScenario) sc = load ("engine.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  CU_ASSERT_EQUAL (psim_scenario_get_n_path_steps (sc), 6);
  CU_ASSERT_EQUAL (psim_scenario_get_max_score (sc), 85);
  g_autoptr (PsimSession) s = psim_session_new (sc, 42);
  CU_ASSERT_EQUAL (psim_session_get_prompt (s), PSIM_PROMPT_STEP);
  CU_ASSERT_EQUAL (psim_session_get_step_number (s), 1);
  play_ideal (s);
  const PsimScore *r = psim_session_get_score (s);
  CU_ASSERT_EQUAL (r->score, 85);
  CU_ASSERT_EQUAL (r->max_score, 85);
  CU_ASSERT_DOUBLE_EQUAL (r->percent, 100.0, 1e-9);
  CU_ASSERT_TRUE (r->passed);
  CU_ASSERT_EQUAL (r->steps_right, 6);
  CU_ASSERT_EQUAL (r->questions_right, 4);
  CU_ASSERT_EQUAL (r->n_wrong + r->n_unnecessary + r->n_out_of_order + r->n_hints, 0);
  /* 6 steps and 4 questions: 10 answers, 10 events */
  CU_ASSERT_EQUAL (psim_session_get_n_answers (s), 10);
  CU_ASSERT_EQUAL (psim_session_get_n_events (s), 10);

  const PsimTally *t = psim_session_get_tally (s);
  const PsimTotals *ideal = psim_path_get_totals (psim_scenario_get_path (sc));
  CU_ASSERT_EQUAL (t->steps, 6);
  CU_ASSERT_EQUAL (t->actions, 6);
  CU_ASSERT_EQUAL (t->visits, ideal->visits);
  CU_ASSERT_DOUBLE_EQUAL (t->fees, 51600000.0, 0.5);
  CU_ASSERT_DOUBLE_EQUAL (t->fees, ideal->fees_total, 0.5);
  /* The clock of the run is the ideal run's elapsed time. */
  CU_ASSERT_DOUBLE_EQUAL (psim_elapsed_days (&t->clock), psim_elapsed_days (&ideal->elapsed), 1e-9);
  CU_ASSERT_EQUAL (psim_session_get_step_number (s), 6);

  g_autoptr (GError) error = NULL;
  CU_ASSERT_FALSE (psim_session_answer (s, "1", 0, &error));
  CU_ASSERT_TRUE (g_error_matches (error, PSIM_SESSION_ERROR, PSIM_SESSION_ERROR_FINISHED));
}

/* The score after answering @before then @probe, minus the score after
 * @before alone. */
static int
cost_of (PsimScenario *sc, const char *const *before, const char *probe, PsimEventKind *kind)
{
  g_autoptr (PsimSession) s = psim_session_new (sc, 7);
  play (s, before);
  int was = psim_session_get_score (s)->score;
  guint n = psim_session_get_n_events (s);
  const char *one[] = { probe, NULL };
  play (s, one);
  CU_ASSERT_EQUAL (psim_session_get_n_events (s), n + 1);
  *kind = psim_session_get_event (s, n)->kind;
  return psim_session_get_score (s)->score - was;
}

static void
test_mistake_costs (void)
{
  g_autoptr (PsimScenario) sc = load ("engine.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  const char *at_notary[] = { "id-check", NULL };
  const char *at_question[] = { "id-check", "sign-notary", NULL };
  PsimEventKind kind;

  /* engine.xml: wrong 3 (but "cash" says cost="1"), unnecessary 4,
   * out-of-order 6, skipped 7, hint 2, questions 0 when wrong */
  CU_ASSERT_EQUAL (cost_of (sc, at_notary, "cash", &kind), -1);
  CU_ASSERT_EQUAL (kind, PSIM_EVENT_WRONG);
  CU_ASSERT_EQUAL (cost_of (sc, at_notary, "go-treasury", &kind), -4);
  CU_ASSERT_EQUAL (kind, PSIM_EVENT_UNNECESSARY);
  CU_ASSERT_EQUAL (cost_of (sc, at_notary, "early-pay", &kind), -6);
  CU_ASSERT_EQUAL (kind, PSIM_EVENT_OUT_OF_ORDER);
  CU_ASSERT_EQUAL (cost_of (sc, at_notary, "hint", &kind), -2);
  CU_ASSERT_EQUAL (kind, PSIM_EVENT_HINT);
  CU_ASSERT_EQUAL (cost_of (sc, at_notary, "skip", &kind), -7);
  CU_ASSERT_EQUAL (kind, PSIM_EVENT_SKIPPED);
  CU_ASSERT_EQUAL (cost_of (sc, at_notary, "sign-notary", &kind), 10);
  CU_ASSERT_EQUAL (kind, PSIM_EVENT_STEP);
  CU_ASSERT_EQUAL (cost_of (sc, at_question, "39999999", &kind), 0);
  CU_ASSERT_EQUAL (kind, PSIM_EVENT_MISSED);
  const char *same[] = { "40 000 000", "40,000,000", "40.000.000", "40000000.0", "40.000.000,0",
                         "40,000,000.00", "+40_000_000",
                         /* with the unit, or the ways of writing VND */
                         "40,000,000 VND", "40.000.000 đ", "40.000.000đ", "40 000 000 ₫",
                         "40,000,000 vnđ", "40.000.000 đồng", "40000000 dong" };
  for (guint i = 0; i < G_N_ELEMENTS (same); i++)
    {
      CU_ASSERT_EQUAL (cost_of (sc, at_question, same[i], &kind), 10);
      CU_ASSERT_EQUAL (kind, PSIM_EVENT_RIGHT);
    }
  /* "40.000" is forty (a single dot is a decimal point), "40,0" too;
   * "40,000" is forty thousand. */
  const char *wrong[] = { "40.000", "40,0", "40,000", "0,500", "-40000000", "40 VND" };
  for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
    {
      CU_ASSERT_EQUAL (cost_of (sc, at_question, wrong[i], &kind), 0);
      CU_ASSERT_EQUAL (kind, PSIM_EVENT_MISSED);
    }
  /* Not numbers: refused, nothing recorded. */
  const char *junk[] = { "0x2625A00", "4e7", "4,0,0,0,0,0,0,0", "40.0.0.0.0.0.0", "1,2345,678",
                         "40 00 000", "40.", ",5", "nan", "inf", "--4", "VND", "đ",
                         "40 USD", "40 VND VND", "VND 40" };
  g_autoptr (PsimSession) q = psim_session_new (sc, 7);
  play (q, at_question);
  for (guint i = 0; i < G_N_ELEMENTS (junk); i++)
    {
      g_autoptr (GError) error = NULL;
      CU_ASSERT_FALSE (psim_session_answer (q, junk[i], 0, &error));
      CU_ASSERT_TRUE (g_error_matches (error, PSIM_SESSION_ERROR, PSIM_SESSION_ERROR_INPUT));
    }
  CU_ASSERT_EQUAL (psim_session_get_n_answers (q), 2);
  CU_ASSERT_EQUAL (cost_of (sc, at_question, "skip", &kind), 0);
  CU_ASSERT_EQUAL (kind, PSIM_EVENT_MISSED);

  /* A detour to the Treasury costs its visit and its day on the clock. */
  g_autoptr (PsimSession) s = psim_session_new (sc, 7);
  play (s, at_notary);
  const PsimTally *t = psim_session_get_tally (s);
  guint visits = t->visits;
  double days = psim_elapsed_days (&t->clock);
  const char *detour[] = { "go-treasury", NULL };
  play (s, detour);
  CU_ASSERT_EQUAL (t->visits, visits + 1);
  CU_ASSERT_TRUE (psim_elapsed_days (&t->clock) > days);
  CU_ASSERT_EQUAL (t->actions, 2);
  /* A distractor once picked is no longer offered at that point. */
  for (guint i = 0; i < psim_session_get_n_options (s); i++)
    CU_ASSERT_STRING_NOT_EQUAL (psim_session_get_option_id (s, i), "go-treasury");
  /* ... and a hint once taken is not offered twice. */
  const char *hint[] = { "hint", NULL };
  play (s, hint);
  CU_ASSERT_PTR_NULL (psim_session_get_hint (s, "en", NULL));
  g_autoptr (GError) error = NULL;
  CU_ASSERT_FALSE (psim_session_answer (s, "hint", 0, &error));
  CU_ASSERT_TRUE (g_error_matches (error, PSIM_SESSION_ERROR, PSIM_SESSION_ERROR_INPUT));
}

static void
test_unreadable_answers (void)
{
  g_autoptr (PsimScenario) sc = load ("engine.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  g_autoptr (PsimSession) s = psim_session_new (sc, 1);
  const char *bad[] = { "", "   ", "0", "99", "no-such-option", "notary" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      CU_ASSERT_FALSE (psim_session_answer (s, bad[i], 0, &error));
      CU_ASSERT_TRUE (g_error_matches (error, PSIM_SESSION_ERROR, PSIM_SESSION_ERROR_INPUT));
    }
  /* Nothing was recorded. */
  CU_ASSERT_EQUAL (psim_session_get_n_answers (s), 0);
  CU_ASSERT_EQUAL (psim_session_get_n_events (s), 0);

  /* Questions: option lists must name options; order needs them all. */
  const char *to_questions[] = { "id-check", "sign-notary", "40000000", "tax-compute", "land-check",
                                 "pay-online", NULL };
  play (s, to_questions);
  CU_ASSERT_EQUAL (psim_session_get_prompt (s), PSIM_PROMPT_QUESTION);
  CU_ASSERT_STRING_EQUAL (psim_question_get_id (psim_session_get_question (s)), "who");
  CU_ASSERT_FALSE (psim_session_answer (s, "notary,treasury", 0, NULL)); /* single: one */
  const char *who[] = { "treasury", NULL };
  play (s, who);
  CU_ASSERT_FALSE (psim_session_answer (s, "notary,bank", 0, NULL));
  const char *parties[] = { "portal, notary", NULL }; /* any order, spaces */
  play (s, parties);
  CU_ASSERT_EQUAL (psim_session_get_event (s, psim_session_get_n_events (s) - 1)->kind,
                   PSIM_EVENT_RIGHT);
  CU_ASSERT_FALSE (psim_session_answer (s, "sign,pay", 0, NULL));
  /* By number: find the shown positions of sign, pay, receive. */
  g_autoptr (GString) order = g_string_new (NULL);
  const char *ids[] = { "sign", "pay", "receive" };
  for (guint k = 0; k < G_N_ELEMENTS (ids); k++)
    for (guint i = 0; i < psim_session_get_n_options (s); i++)
      if (strcmp (psim_session_get_option_id (s, i), ids[k]) == 0)
        g_string_append_printf (order, "%s%u", k > 0 ? "," : "", i + 1);
  const char *by_number[] = { order->str, NULL };
  play (s, by_number);
  CU_ASSERT_EQUAL (psim_session_get_event (s, psim_session_get_n_events (s) - 1)->kind,
                   PSIM_EVENT_RIGHT);
}

static void
test_parallel_either_order (void)
{
  g_autoptr (PsimScenario) sc = load ("parallel.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  /* parallel-loop.xml, legacy, urgent in Hoàn Kiếm: prepare, submit,
   * (exchange ∥ assess), pay, express; the loop back to submit is not
   * taken (the most likely branch goes on). */
  CU_ASSERT_EQUAL (psim_scenario_get_n_path_steps (sc), 6);
  const char *first[] = { "prepare", "submit", "exchange", "assess", "pay", "express", NULL };
  const char *second[] = { "prepare", "submit", "assess", "exchange", "pay", "express", NULL };
  g_autoptr (PsimSession) a = psim_session_new (sc, 3);
  g_autoptr (PsimSession) b = psim_session_new (sc, 3);
  play (a, (const char *const *) first);
  play (b, (const char *const *) second);
  CU_ASSERT_EQUAL (psim_session_get_prompt (a), PSIM_PROMPT_FINISHED);
  CU_ASSERT_EQUAL (psim_session_get_prompt (b), PSIM_PROMPT_FINISHED);
  CU_ASSERT_EQUAL (psim_session_get_score (a)->score, 24);
  CU_ASSERT_EQUAL (psim_session_get_score (b)->score, 24);
  CU_ASSERT_DOUBLE_EQUAL (psim_elapsed_days (&psim_session_get_tally (a)->clock),
                          psim_elapsed_days (&psim_session_get_tally (b)->clock), 1e-9);

  /* After submit both branches are offered, with the distractors of
   * exchange; pay is not offered before both are done. */
  g_autoptr (PsimSession) c = psim_session_new (sc, 3);
  const char *two[] = { "prepare", "submit", NULL };
  play (c, two);
  g_autoptr (GHashTable) offered = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < psim_session_get_n_options (c); i++)
    g_hash_table_add (offered, (gpointer) psim_session_get_option_id (c, i));
  CU_ASSERT_EQUAL (g_hash_table_size (offered), 4);
  CU_ASSERT_TRUE (g_hash_table_contains (offered, "exchange"));
  CU_ASSERT_TRUE (g_hash_table_contains (offered, "assess"));
  CU_ASSERT_TRUE (g_hash_table_contains (offered, "again"));
  CU_ASSERT_FALSE (g_hash_table_contains (offered, "pay"));
  CU_ASSERT_FALSE (psim_session_answer (c, "pay", 0, NULL));

  /* attempts="2": the second wrong pick reveals the step (skipped). */
  const char *wrong[] = { "again", "queue", NULL };
  play (c, wrong);
  const PsimEvent *last = psim_session_get_event (c, psim_session_get_n_events (c) - 1);
  CU_ASSERT_EQUAL (last->kind, PSIM_EVENT_SKIPPED);
  CU_ASSERT_EQUAL (last->points, -10); /* the default cost of a skipped step */
  /* The first step enabled in path order is the one revealed. */
  CU_ASSERT_STRING_EQUAL (last->ref, "exchange");
}

/* The ideal answers as typed (option numbers) give the same perfect run
 * as the ideal answers by id, whatever the seed. */
static void
test_typed_ideal_run (void)
{
  g_autoptr (PsimScenario) sc = load ("engine.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  for (guint64 seed = 0; seed < 5; seed++)
    {
      g_autoptr (PsimSession) s = psim_session_new (sc, seed);
      guint guard = 0;
      while (psim_session_get_prompt (s) != PSIM_PROMPT_FINISHED && guard++ < 100)
        {
          g_autofree char *typed = psim_session_dup_ideal_answer_typed (s);
          CU_ASSERT_PTR_NOT_NULL_FATAL (typed);
          /* numbers and commas only (the number question's answer too) */
          CU_ASSERT_EQUAL (strspn (typed, "0123456789,.e+-"), strlen (typed));
          CU_ASSERT_TRUE_FATAL (psim_session_answer (s, typed, 0, NULL));
        }
      CU_ASSERT_EQUAL (psim_session_get_score (s)->score, 85);
      CU_ASSERT_PTR_NULL (psim_session_dup_ideal_answer_typed (s));
    }
}

static void
test_option_order_by_seed (void)
{
  g_autoptr (PsimScenario) sc = load ("engine.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  const char *to_notary[] = { "id-check", NULL };
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint64 seed = 0; seed < 8; seed++)
    {
      g_autoptr (PsimSession) x = psim_session_new (sc, seed);
      g_autoptr (PsimSession) y = psim_session_new (sc, seed);
      play (x, to_notary);
      play (y, to_notary);
      g_autoptr (GString) ox = g_string_new (NULL), oy = g_string_new (NULL);
      for (guint i = 0; i < psim_session_get_n_options (x); i++)
        {
          g_string_append_printf (ox, "%s ", psim_session_get_option_id (x, i));
          g_string_append_printf (oy, "%s ", psim_session_get_option_id (y, i));
        }
      CU_ASSERT_STRING_EQUAL (ox->str, oy->str); /* same seed, same order */
      g_hash_table_add (seen, g_strdup (ox->str));
    }
  /* 4 options: 8 seeds give more than one order. */
  CU_ASSERT_TRUE (g_hash_table_size (seen) > 1);
}

/* A run with every kind of event, for the checkpoint and record tests. */
static const char *const mixed[] = {
  "id-check", "hint", "cash", "go-treasury", "early-pay", "sign-notary", "40,000,000",
  "land-check", "tax-compute", "pay-online", "notary", "notary", "receive,pay,sign", "skip", NULL,
};

static void
test_checkpoint_resume (void)
{
  g_autoptr (PsimScenario) sc = load ("engine.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  g_autoptr (PsimSession) whole = psim_session_new (sc, 99);
  psim_session_set_identity (whole, "s-1", "Lan", G_GINT64_CONSTANT (1795000000000000));
  play (whole, mixed);
  CU_ASSERT_EQUAL (psim_session_get_prompt (whole), PSIM_PROMPT_FINISHED);
  g_autofree char *expected = psim_session_record_json (whole, "en");

  for (guint cut = 0; mixed[cut] != NULL; cut++)
    {
      g_autoptr (PsimSession) part = psim_session_new (sc, 99);
      psim_session_set_identity (part, "s-1", "Lan", G_GINT64_CONSTANT (1795000000000000));
      for (guint i = 0; i < cut; i++)
        CU_ASSERT_TRUE_FATAL (psim_session_answer (part, mixed[i], 1000, NULL));
      g_autofree char *saved = psim_session_to_checkpoint (part);
      g_autoptr (GError) error = NULL;
      g_autoptr (PsimSession) restored = psim_session_new_from_checkpoint (sc, saved, "en", &error);
      CU_ASSERT_PTR_NOT_NULL_FATAL (restored);
      CU_ASSERT_EQUAL (psim_session_get_n_answers (restored), cut);
      CU_ASSERT_EQUAL (psim_session_get_score (restored)->score, psim_session_get_score (part)->score);
      play (restored, mixed + cut);
      g_autofree char *got = psim_session_record_json (restored, "en");
      CU_ASSERT_STRING_EQUAL (got, expected);
    }

  /* A checkpoint does not restore into another scenario, nor after the
   * scenario changed. */
  g_autofree char *saved = psim_session_to_checkpoint (whole);
  g_autoptr (PsimScenario) other = load ("parallel.xml");
  g_autoptr (GError) error = NULL;
  CU_ASSERT_PTR_NULL (psim_session_new_from_checkpoint (other, saved, "en", &error));
  CU_ASSERT_TRUE (g_error_matches (error, PSIM_SESSION_ERROR, PSIM_SESSION_ERROR_CHECKPOINT));
  g_clear_error (&error);
  g_autofree char *tampered = g_strdup (saved);
  char *sum = strstr (tampered, psim_scenario_get_checksum (sc));
  CU_ASSERT_PTR_NOT_NULL_FATAL (sum);
  sum[0] = sum[0] == '0' ? '1' : '0';
  CU_ASSERT_PTR_NULL (psim_session_new_from_checkpoint (sc, tampered, "en", &error));
  CU_ASSERT_TRUE (g_error_matches (error, PSIM_SESSION_ERROR, PSIM_SESSION_ERROR_CHECKPOINT));
  g_clear_error (&error);
  CU_ASSERT_PTR_NULL (psim_session_new_from_checkpoint (sc, "{\"format\": 1", "en", &error));
  CU_ASSERT_TRUE (g_error_matches (error, PSIM_SESSION_ERROR, PSIM_SESSION_ERROR_CHECKPOINT));

  /* Saving goes through a temporary file: the checkpoint is whole. */
  g_autofree char *dir = g_dir_make_tmp ("psim-train-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cp.json", NULL);
  CU_ASSERT_TRUE (psim_session_save (whole, path, NULL));
  g_autofree char *back = NULL;
  CU_ASSERT_TRUE (g_file_get_contents (path, &back, NULL, NULL));
  CU_ASSERT_STRING_EQUAL (back, saved);
  g_autofree char *file = psim_checkpoint_dup_scenario_file (back, "en", NULL);
  g_autofree char *absolute = g_canonicalize_filename (psim_scenario_get_file (sc), NULL);
  CU_ASSERT_TRUE (g_path_is_absolute (file));
  CU_ASSERT_STRING_EQUAL (file, absolute);
  g_unlink (path);
  g_rmdir (dir);

  /* The checkpoint keeps the session's language ("en" unless set). */
  g_autofree char *lang_en = psim_checkpoint_dup_language (saved);
  CU_ASSERT_STRING_EQUAL (lang_en, "en");
  psim_session_set_language (whole, "vi-VN");
  g_autofree char *in_vi = psim_session_to_checkpoint (whole);
  g_autofree char *lang_vi = psim_checkpoint_dup_language (in_vi);
  CU_ASSERT_STRING_EQUAL (lang_vi, "vi");
  CU_ASSERT_PTR_NULL (psim_checkpoint_dup_language ("{\"format\": 1"));
}

static JsonObject *
object_at (JsonObject *o, const char *path)
{
  g_auto (GStrv) parts = g_strsplit (path, ".", -1);
  for (guint i = 0; parts[i] != NULL && o != NULL; i++)
    {
      if (!json_object_has_member (o, parts[i]))
        return NULL;
      JsonNode *n = json_object_get_member (o, parts[i]);
      o = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
    }
  return o;
}

/* @saved with member @path ("a.b" or "answers.0.ms") replaced by the JSON
 * value @value. (transfer full) */
static char *
with_member (const char *saved, const char *path, const char *value)
{
  g_autoptr (JsonNode) root = json_from_string (saved, NULL);
  g_autoptr (JsonNode) v = json_from_string (value, NULL);
  g_assert (root != NULL && v != NULL);
  g_auto (GStrv) parts = g_strsplit (path, ".", -1);
  JsonNode *at = root;
  for (guint i = 0; parts[i + 1] != NULL; i++)
    at = JSON_NODE_HOLDS_ARRAY (at)
           ? json_array_get_element (json_node_get_array (at), (guint) atoi (parts[i]))
           : json_object_get_member (json_node_get_object (at), parts[i]);
  json_object_set_member (json_node_get_object (at), parts[g_strv_length (parts) - 1],
                          json_node_copy (v));
  return json_to_string (root, FALSE);
}

/* A checkpoint edited by hand is refused with a message naming what is
 * wrong, never a crash (a seed as a JSON number read as a string was a
 * NULL dereference) nor an overflow (a huge "ms" summed into the score's
 * time); nesting too deep for json-glib's recursion is refused before it
 * parses. */
static void
test_checkpoint_tampered (void)
{
  g_autoptr (PsimScenario) sc = load ("engine.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  g_autoptr (PsimSession) s = psim_session_new (sc, 99);
  psim_session_set_identity (s, "s-1", "Lan", G_GINT64_CONSTANT (1795000000000000));
  CU_ASSERT_TRUE_FATAL (psim_session_answer (s, mixed[0], 1000, NULL));
  CU_ASSERT_TRUE_FATAL (psim_session_answer (s, mixed[1], 1000, NULL));
  g_autofree char *saved = psim_session_to_checkpoint (s);
  static const struct {
    const char *member, *value, *message;
  } bad[] = {
    { "seed", "99", "'seed'" },
    { "seed", "\"-1\"", "'seed'" },
    { "seed", "\"99 bottles\"", "'seed'" },
    { "seed", "[]", "'seed'" },
    { "started", "9223372036854775807", "'started'" },
    { "started", "-1", "'started'" },
    { "started", "\"now\"", "'started'" },
    { "started", "1e300", "'started'" },
    { "session", "{}", "'session'" },
    { "actor", "7", "'actor'" },
    { "scenario.id", "5", "'id'" },
    { "scenario.checksum", "true", "'checksum'" },
    { "answers.0.ms", "9223372036854775807", "'ms'" },
    { "answers.0.ms", "-5", "'ms'" },
    { "answers.0.ms", "\"5\"", "'ms'" },
    { "answers.0.input", "5", "'input'" },
    { "format", "5", "not a procsim checkpoint" },
    { "scenario", "[]", "not a procsim checkpoint" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *json = with_member (saved, bad[i].member, bad[i].value);
      g_autoptr (GError) error = NULL;
      g_autoptr (PsimSession) r = psim_session_new_from_checkpoint (sc, json, "en", &error);
      CU_ASSERT_PTR_NULL (r);
      CU_ASSERT_TRUE (g_error_matches (error, PSIM_SESSION_ERROR, PSIM_SESSION_ERROR_CHECKPOINT));
      if (error == NULL || strstr (error->message, bad[i].message) == NULL)
        {
          g_printerr ("\n%s = %s: %s\n", bad[i].member, bad[i].value,
                      error != NULL ? error->message : "accepted");
          CU_FAIL ("the message names the member");
        }
    }
  g_autofree char *no_file = with_member (saved, "scenario.file", "1");
  g_autoptr (GError) error = NULL;
  CU_ASSERT_PTR_NULL (psim_checkpoint_dup_scenario_file (no_file, "en", &error));
  CU_ASSERT_PTR_NOT_NULL (error != NULL ? strstr (error->message, "'file'") : NULL);
  g_clear_error (&error);

  /* 100,000 nested arrays: json-glib would recurse 100,000 times. */
  g_autoptr (GString) deep = g_string_new (NULL);
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  CU_ASSERT_PTR_NULL (psim_session_new_from_checkpoint (sc, deep->str, "en", &error));
  CU_ASSERT_PTR_NOT_NULL (error != NULL ? strstr (error->message, "nested deeper") : NULL);
  g_clear_error (&error);
  CU_ASSERT_PTR_NULL (psim_checkpoint_dup_scenario_file (deep->str, "en", &error));
  CU_ASSERT_PTR_NOT_NULL (error);
  g_clear_error (&error);

  /* The largest accepted times do not overflow the sums. */
  g_autofree char *longest = with_member (saved, "answers.0.ms", "86400000");
  g_autofree char *late = with_member (longest, "started", "253402300799999999");
  g_autoptr (PsimSession) r = psim_session_new_from_checkpoint (sc, late, "en", &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (r);
  g_autofree char *record = psim_session_record_json (r, "en");
  g_autofree char *xapi = psim_session_record_xapi (r, "en");
  CU_ASSERT_PTR_NOT_NULL (record);
  CU_ASSERT_PTR_NOT_NULL (xapi);
  /* A front-end passing an absurd time gets it capped, not summed. */
  for (guint i = 0; i < 4; i++)
    psim_session_answer (r, "hint", G_MAXINT64, NULL);
  CU_ASSERT_TRUE (psim_session_get_score (r)->real_ms <= 6 * PSIM_SESSION_MAX_ANSWER_MS);
}

/* The depth scan counts brackets outside strings only, and lets exactly
 * PSIM_JSON_MAX_DEPTH levels through. */
static void
test_json_depth (void)
{
  g_autoptr (GString) ok = g_string_new (NULL);
  for (guint i = 0; i < PSIM_JSON_MAX_DEPTH; i++)
    g_string_append_c (ok, '[');
  g_string_append (ok, "\"[[[{{\\\"[[\"");
  for (guint i = 0; i < PSIM_JSON_MAX_DEPTH; i++)
    g_string_append_c (ok, ']');
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = psim_json_parse (ok->str, -1, "ok.json", "en", &error);
  CU_ASSERT_PTR_NOT_NULL (root);
  g_autoptr (GString) over = g_string_new ("{\"a\":\n");
  for (guint i = 0; i < PSIM_JSON_MAX_DEPTH; i++)
    g_string_append_c (over, '[');
  g_autoptr (JsonNode) none = psim_json_parse (over->str, -1, "deep.json", "en", &error);
  CU_ASSERT_PTR_NULL (none);
  CU_ASSERT_TRUE (g_error_matches (error, PSIM_JSON_ERROR, PSIM_JSON_ERROR_DEPTH));
  CU_ASSERT_PTR_NOT_NULL (error != NULL ? strstr (error->message, "deep.json:2:") : NULL);
  g_clear_error (&error);
  CU_ASSERT_PTR_NULL (psim_json_parse ("{\"a\": }", -1, "bad.json", "en", &error));
  CU_ASSERT_TRUE (g_error_matches (error, PSIM_JSON_ERROR, PSIM_JSON_ERROR_PARSE));
  CU_ASSERT_TRUE (error != NULL && g_str_has_prefix (error->message, "bad.json:1:"));
}

/* "[V]" as procsim writes the double V. (transfer full) */
static char *
one_number (double v)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_array (b);
  psim_json_add_double (b, v);
  json_builder_end_array (b);
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  return psim_json_node_to_text (root, FALSE, NULL);
}

/* Every double comes out as valid JSON with the same value: json-glib
 * alone wrote 1e17 as "1e+17.0". */
static void
test_json_numbers (void)
{
  const double values[] = { 1e17, -1e21, 1e19, 9.2e18, 1.5e17, 123456789012345678.0, 1e300,
                            1e16, 0.5, 3, 0, -0.25, 5e-324, DBL_MAX };
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *text = one_number (values[i]);
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonNode) back = json_from_string (text, &error);
      if (back == NULL)
        {
          g_printerr ("\n%.17g written as %s: %s\n", values[i], text, error->message);
          CU_FAIL ("valid JSON");
          continue;
        }
      JsonNode *n = json_array_get_element (json_node_get_array (back), 0);
      double got = json_node_get_value_type (n) == G_TYPE_INT64 ? (double) json_node_get_int (n)
                                                                : json_node_get_double (n);
      CU_ASSERT_DOUBLE_EQUAL (got, values[i], fabs (values[i]) * 1e-15);
    }
  const double none[] = { NAN, INFINITY, -INFINITY };
  for (guint i = 0; i < G_N_ELEMENTS (none); i++)
    {
      g_autofree char *text = one_number (none[i]);
      CU_ASSERT_STRING_EQUAL (text, "[null]");
    }
  /* The shortest form that reads back as the same double, never
   * json-glib 1.6's seventeen digits. */
  const struct { double v; const char *text; } shortest[] = {
    { 0.117, "[0.117]" }, { 29.55, "[29.55]" }, { 80.91, "[80.91]" },
    { 0.1 + 0.2, "[0.30000000000000004]" }, { 1.0 / 3, "[0.3333333333333333]" },
    { 173.0 / 17, "[10.176470588235293]" }, { 2.5e-7, "[2.5e-07]" }, { -0.079531249999999998, "[-0.07953125]" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (shortest); i++)
    {
      g_autofree char *text = one_number (shortest[i].v);
      CU_ASSERT_STRING_EQUAL (text, shortest[i].text);
      CU_ASSERT_EQUAL (g_ascii_strtod (text + 1, NULL), shortest[i].v);
    }
  /* Digits in strings and keys stay as they were; integers too. */
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "0.11700000000000001");
  json_builder_add_string_value (b, "x\"0.11700000000000001\\");
  json_builder_set_member_name (b, "n");
  json_builder_add_int_value (b, -12345678901234);
  json_builder_set_member_name (b, "d");
  json_builder_add_double_value (b, 0.117);
  json_builder_end_object (b);
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autofree char *text = psim_json_node_to_text (root, FALSE, NULL);
  CU_ASSERT_STRING_EQUAL (text, "{\"0.11700000000000001\":\"x\\\"0.11700000000000001\\\\\","
                                "\"n\":-12345678901234,\"d\":0.117}");
}

/* A trainee's name with control characters and a byte that is not UTF-8
 * still makes a well-formed XES file (XML 1.0 cannot hold U+0001 even as
 * a reference): each becomes U+FFFD. */
static void
test_xes_control_characters (void)
{
  g_autoptr (PsimScenario) sc = load ("engine.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  g_autoptr (PsimSession) s = psim_session_new (sc, 99);
  psim_session_set_identity (s, "s-1", "L\001an\033[31m\377<&>", 0);
  play (s, mixed);
  g_autofree char *xes = psim_session_record_xes (s, "en");
  xmlDocPtr doc = xmlReadMemory (xes, (int) strlen (xes), "record.xes", NULL,
                                 XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  CU_ASSERT_PTR_NOT_NULL (doc);
  xmlFreeDoc (doc);
  CU_ASSERT_PTR_NOT_NULL (strstr (xes, "L\uFFFDan\uFFFD[31m\uFFFD&lt;&amp;&gt;"));
}

static void
test_records (void)
{
  g_autoptr (PsimScenario) sc = load ("engine.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  g_autoptr (PsimSession) s = psim_session_new (sc, 5);
  psim_session_set_identity (s, "rec-1", "Nguyễn Thị Lan", G_GINT64_CONSTANT (1795000000000000));
  play (s, mixed);

  /* JSON: parses, and the score breakdown adds up. */
  g_autofree char *json = psim_session_record_json (s, "vi");
  g_autoptr (JsonParser) parser = json_parser_new ();
  CU_ASSERT_TRUE_FATAL (json_parser_load_from_data (parser, json, -1, NULL));
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  CU_ASSERT_STRING_EQUAL (json_object_get_string_member (root, "format"), "procsim-session-record");
  CU_ASSERT_STRING_EQUAL (json_object_get_string_member (root, "started"), "2026-11-18T11:06:40.000Z");
  JsonObject *score = object_at (root, "score");
  CU_ASSERT_PTR_NOT_NULL_FATAL (score);
  /* 5 steps × 10 − 7 skipped − 1 cash − 4 treasury − 6 early − 2 hint
   * + 10 income tax = 40 */
  CU_ASSERT_EQUAL (json_object_get_int_member (score, "score"), 40);
  CU_ASSERT_EQUAL (json_object_get_int_member (score, "max"), 85);
  CU_ASSERT_FALSE (json_object_get_boolean_member (score, "passed"));
  CU_ASSERT_EQUAL (json_object_get_int_member (object_at (root, "score.unnecessary"), "cost"), 4);
  CU_ASSERT_EQUAL (json_array_get_length (json_object_get_array_member (root, "answers")), 14);
  CU_ASSERT_EQUAL (json_object_get_int_member (object_at (root, "compare"), "steps"), 10);

  /* xAPI: every statement has actor, verb, object and an id; the final
   * ones carry the whole result. */
  JsonArray *xapi = json_object_get_array_member (root, "xapi");
  CU_ASSERT_PTR_NOT_NULL_FATAL (xapi);
  guint n = json_array_get_length (xapi);
  CU_ASSERT_EQUAL (n, 1 + 4 + 2); /* attempted, 4 answered, completed, failed */
  for (guint i = 0; i < n; i++)
    {
      JsonObject *st = json_array_get_object_element (xapi, i);
      CU_ASSERT_EQUAL (strlen (json_object_get_string_member (st, "id")), 36);
      CU_ASSERT_PTR_NOT_NULL (object_at (st, "actor"));
      CU_ASSERT_TRUE (g_str_has_prefix (json_object_get_string_member (object_at (st, "verb"), "id"),
                                        "http://adlnet.gov/expapi/verbs/"));
      CU_ASSERT_PTR_NOT_NULL (json_object_get_string_member (object_at (st, "object"), "id"));
      CU_ASSERT_PTR_NOT_NULL (json_object_get_string_member (st, "timestamp"));
    }
  /* The same, from the session: the events of the four questions. */
  guint asked = 0;
  for (guint i = 0; i < psim_session_get_n_events (s); i++)
    if (psim_session_get_event (s, i)->question != NULL)
      {
        const char *want[] = { "40000000", "notary", "notary", "receive[,]pay[,]sign" };
        CU_ASSERT_FATAL (asked < G_N_ELEMENTS (want));
        CU_ASSERT_STRING_EQUAL (psim_session_get_event_response (s, i), want[asked]);
        asked++;
      }
    else
      CU_ASSERT_PTR_NULL (psim_session_get_event_response (s, i));
  CU_ASSERT_EQUAL (asked, 4);

  /* Responses in xAPI's form: the number as a number, option ids joined
   * by "[,]" (not the option numbers the trainee saw). */
  const char *responses[] = { "40000000", "notary", "notary", "receive[,]pay[,]sign" };
  for (guint i = 0; i < G_N_ELEMENTS (responses); i++)
    {
      JsonObject *st = json_array_get_object_element (xapi, 1 + i);
      CU_ASSERT_STRING_EQUAL (json_object_get_string_member (object_at (st, "verb"), "id"),
                              "http://adlnet.gov/expapi/verbs/answered");
      CU_ASSERT_STRING_EQUAL (json_object_get_string_member (object_at (st, "result"), "response"),
                              responses[i]);
      CU_ASSERT_STRING_EQUAL (json_object_get_string_member (object_at (st, "context"), "language"),
                              "vi");
    }
  JsonObject *last = json_array_get_object_element (xapi, n - 1);
  CU_ASSERT_STRING_EQUAL (json_object_get_string_member (object_at (last, "verb"), "id"),
                          "http://adlnet.gov/expapi/verbs/failed");
  JsonObject *result = object_at (last, "result");
  JsonObject *scaled = object_at (last, "result.score");
  CU_ASSERT_PTR_NOT_NULL_FATAL (scaled);
  CU_ASSERT_DOUBLE_EQUAL (json_object_get_double_member (scaled, "scaled"), 40.0 / 85.0, 1e-4);
  CU_ASSERT_EQUAL (json_object_get_int_member (scaled, "raw"), 40);
  CU_ASSERT_EQUAL (json_object_get_int_member (scaled, "min"), 0);
  CU_ASSERT_EQUAL (json_object_get_int_member (scaled, "max"), 85);
  CU_ASSERT_FALSE (json_object_get_boolean_member (result, "success"));
  CU_ASSERT_TRUE (json_object_get_boolean_member (result, "completion"));
  /* 14 answers of 1 s each */
  CU_ASSERT_STRING_EQUAL (json_object_get_string_member (result, "duration"), "PT14S");

  /* The xAPI file is the same list. */
  g_autofree char *xapi_text = psim_session_record_xapi (s, "vi");
  g_autoptr (JsonParser) xp = json_parser_new ();
  CU_ASSERT_TRUE_FATAL (json_parser_load_from_data (xp, xapi_text, -1, NULL));
  CU_ASSERT_EQUAL (json_array_get_length (json_node_get_array (json_parser_get_root (xp))), n);
  /* The actor is an account of procsim, or of the system the session
   * says (procsim serve's --base-url). */
  JsonObject *first = json_array_get_object_element (json_node_get_array (json_parser_get_root (xp)), 0);
  CU_ASSERT_STRING_EQUAL (json_object_get_string_member (object_at (first, "actor.account"),
                                                         "homePage"),
                          "https://procsim.example/xapi/");
  psim_session_set_home_page (s, "https://trainer.example.gov.vn/");
  CU_ASSERT_STRING_EQUAL (psim_session_get_home_page (s), "https://trainer.example.gov.vn/");
  g_autofree char *home_text = psim_session_record_xapi (s, "vi");
  g_autoptr (JsonParser) hp = json_parser_new ();
  CU_ASSERT_TRUE_FATAL (json_parser_load_from_data (hp, home_text, -1, NULL));
  JsonArray *home_all = json_node_get_array (json_parser_get_root (hp));
  CU_ASSERT_EQUAL (json_array_get_length (home_all), n);
  for (guint i = 0; i < json_array_get_length (home_all); i++)
    CU_ASSERT_STRING_EQUAL (json_object_get_string_member (
                              object_at (json_array_get_object_element (home_all, i),
                                         "actor.account"),
                              "homePage"),
                            "https://trainer.example.gov.vn/");

  /* XES: valid against the IEEE 1849-2016 schema (tests/data/xes). The
   * schema declares no target namespace while XES files, ours included,
   * use the default namespace http://www.xes-standard.org/: the document
   * is validated with that declaration removed. */
  g_autofree char *xes = psim_session_record_xes (s, "vi");
  const char *decl = " xmlns=\"http://www.xes-standard.org/\"";
  char *at = strstr (xes, decl);
  CU_ASSERT_PTR_NOT_NULL_FATAL (at);
  memmove (at, at + strlen (decl), strlen (at + strlen (decl)) + 1);
  xmlDocPtr doc = xmlReadMemory (xes, (int) strlen (xes), "record.xes", NULL, XML_PARSE_NONET);
  CU_ASSERT_PTR_NOT_NULL_FATAL (doc);
  g_autofree char *xsd = psim_test_data ("xes/xes-ieee-1849-2016.xsd");
  xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt (xsd);
  xmlSchemaPtr schema = xmlSchemaParse (pc);
  CU_ASSERT_PTR_NOT_NULL_FATAL (schema);
  xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt (schema);
  CU_ASSERT_EQUAL (xmlSchemaValidateDoc (vc, doc), 0);
  /* one trace, one event per event of the session */
  guint traces = 0, events = 0;
  for (xmlNodePtr t = xmlDocGetRootElement (doc)->children; t != NULL; t = t->next)
    {
      if (t->type != XML_ELEMENT_NODE || strcmp ((const char *) t->name, "trace") != 0)
        continue;
      traces++;
      for (xmlNodePtr e = t->children; e != NULL; e = e->next)
        events += e->type == XML_ELEMENT_NODE && strcmp ((const char *) e->name, "event") == 0;
    }
  CU_ASSERT_EQUAL (traces, 1);
  CU_ASSERT_EQUAL (events, psim_session_get_n_events (s));
  xmlSchemaFreeValidCtxt (vc);
  xmlSchemaFree (schema);
  xmlSchemaFreeParserCtxt (pc);
  xmlFreeDoc (doc);
}

/* Each invalid scenario reports exactly what its .err file says (paths
 * relative to the test data). PSIM_UPDATE_GOLDEN=1 rewrites them. */
static void
test_invalid_scenarios (void)
{
  g_autofree char *dir = psim_test_data ("scenarios/invalid");
  g_autofree char *root = psim_test_data ("");
  g_autoptr (GPtrArray) files = psim_test_list (dir, ".xml");
  CU_ASSERT_TRUE (files->len >= 8);
  g_autoptr (PsimLoader) loader = psim_loader_new (NULL);
  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
      g_autoptr (GError) error = NULL;
      g_autoptr (PsimScenario) sc = psim_scenario_load_file (loader, path, diags, &error);
      CU_ASSERT_PTR_NULL (sc);
      CU_ASSERT_TRUE (g_error_matches (error, PSIM_LOAD_ERROR, PSIM_LOAD_ERROR_INVALID));
      g_autofree char *joined = psim_test_join_diagnostics (diags);
      g_autofree char *prefix = g_strconcat (root, G_DIR_SEPARATOR_S, NULL);
      g_auto (GStrv) parts = g_strsplit (joined, prefix, -1);
      g_autofree char *got = g_strjoinv ("", parts);
      g_autofree char *base = g_strndup (path, strlen (path) - 4);
      g_autofree char *err_path = g_strconcat (base, ".err", NULL);
      if (g_getenv ("PSIM_UPDATE_GOLDEN") != NULL)
        g_file_set_contents (err_path, got, -1, NULL);
      g_autofree char *want = NULL;
      CU_ASSERT_TRUE_FATAL (g_file_get_contents (err_path, &want, NULL, NULL));
      if (strcmp (got, want) != 0)
        g_printerr ("%s:\n--- want\n%s--- got\n%s", path, want, got);
      CU_ASSERT_STRING_EQUAL (got, want);
    }
}

/* procsim validate tells scenarios from procedures by the root element as
 * libxml2 reads it, whatever comes before it. */
static void
test_file_sniffing (void)
{
  g_autofree char *engine = psim_test_data ("scenarios/engine.xml");
  g_autofree char *proc = psim_test_workflow ("land-title-transfer.xml");
  CU_ASSERT_TRUE (psim_file_is_scenario (engine));
  CU_ASSERT_FALSE (psim_file_is_scenario (proc));
  CU_ASSERT_FALSE (psim_file_is_scenario ("/nonexistent/file.xml"));
  g_autofree char *dir = g_dir_make_tmp ("psim-sniff-XXXXXX", NULL);
  g_autofree char *a = g_build_filename (dir, "a.xml", NULL);
  g_autofree char *b = g_build_filename (dir, "b.xml", NULL);
  /* a comment naming other elements, a prefixed root */
  CU_ASSERT_TRUE (g_file_set_contents (
    a, "<?xml version=\"1.0\"?>\n<!-- each <decision> and <procedure> ... -->\n"
       "<s:scenario xmlns:s=\"urn:procsim:scenario:1\" id=\"x\" version=\"1\"/>\n", -1, NULL));
  CU_ASSERT_TRUE (psim_file_is_scenario (a));
  /* the right name in another namespace */
  CU_ASSERT_TRUE (g_file_set_contents (b, "<!-- <scenario xmlns=\"urn:procsim:scenario:1\"> -->"
                                          "<scenario xmlns=\"urn:other\"/>", -1, NULL));
  CU_ASSERT_FALSE (psim_file_is_scenario (b));
  g_unlink (a);
  g_unlink (b);
  g_rmdir (dir);
}

int
main (void)
{
  const PsimTest tests[] = {
    { "perfect run", test_perfect_run },
    { "mistake costs", test_mistake_costs },
    { "unreadable answers", test_unreadable_answers },
    { "parallel either order", test_parallel_either_order },
    { "option order by seed", test_option_order_by_seed },
    { "typed ideal run", test_typed_ideal_run },
    { "checkpoint resume", test_checkpoint_resume },
    { "checkpoint tampered", test_checkpoint_tampered },
    { "JSON depth", test_json_depth },
    { "JSON numbers", test_json_numbers },
    { "XES control characters", test_xes_control_characters },
    { "records", test_records },
    { "invalid scenarios", test_invalid_scenarios },
    { "file sniffing", test_file_sniffing },
    { NULL, NULL },
  };
  return psim_test_run ("train", tests);
}
