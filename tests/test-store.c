/* test-store.c — the session store (psim-store.h) over its memory backend:
 * a session kept answer by answer restores to the same session, a refused
 * answer stores nothing, answer rows carry their point and events, records
 * are kept at the end, and the errors are the documented ones.
 */
#include "psim-test.h"

#include <json-glib/json-glib.h>
#include <procsim/psim-store.h>
#include <string.h>

static PsimScenario *
load (const char *name)
{
  g_autofree char *rel = g_build_filename ("scenarios", name, NULL);
  g_autofree char *path = psim_test_data (rel);
  g_autoptr (PsimLoader) loader = psim_loader_new (NULL);
  return psim_scenario_load_file (loader, path, NULL, NULL);
}

/* Counts the rows a backend was given, and keeps the last. */
typedef struct {
  PsimStore *inner;
  guint rows;
  guint last_point;
  int last_points;
  char *last_events;
  char *last_input;
} Spy;

static gboolean
spy_create (gpointer self, const PsimStoreEntry *e, const char *cp, GError **error)
{
  Spy *spy = self;
  PsimStoreBackend const *b = psim_store_get_backend (spy->inner);
  return b->create (psim_store_get_backend_data (spy->inner), e, cp, error);
}

static gboolean
spy_save_answer (gpointer self, const PsimStoreAnswer *a, GError **error)
{
  Spy *spy = self;
  spy->rows++;
  spy->last_point = a->point;
  spy->last_points = a->points;
  g_free (spy->last_events);
  spy->last_events = g_strdup (a->events);
  g_free (spy->last_input);
  spy->last_input = g_strdup (a->input);
  PsimStoreBackend const *b = psim_store_get_backend (spy->inner);
  return b->save_answer (psim_store_get_backend_data (spy->inner), a, error);
}

static void
test_answer_by_answer (void)
{
  g_autoptr (PsimScenario) sc = load ("engine.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  g_autoptr (PsimStore) store = psim_store_new_memory ();
  g_autoptr (PsimSession) s = psim_session_new (sc, 7);
  g_autoptr (GError) error = NULL;

  /* Without an id a session cannot be kept. */
  CU_ASSERT_FALSE (psim_store_create (store, s, &error));
  CU_ASSERT_TRUE (g_error_matches (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_FAILED));
  g_clear_error (&error);

  psim_session_set_identity (s, "s1", "an", 1000000);
  CU_ASSERT_TRUE_FATAL (psim_store_create (store, s, &error));
  CU_ASSERT_FALSE (psim_store_create (store, s, &error));
  CU_ASSERT_TRUE (g_error_matches (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_EXISTS));
  g_clear_error (&error);

  /* A refused answer stores nothing. */
  CU_ASSERT_FALSE (psim_store_answer (store, s, "no-such-option", 10, &error));
  CU_ASSERT_TRUE (g_error_matches (error, PSIM_SESSION_ERROR, PSIM_SESSION_ERROR_INPUT));
  g_clear_error (&error);
  g_autoptr (PsimStoreEntry) e0 = psim_store_get_entry (store, "s1", &error);
  CU_ASSERT_EQUAL (e0->n_answers, 0);

  guint n = 0;
  while (psim_session_get_prompt (s) != PSIM_PROMPT_FINISHED && n++ < 200)
    {
      g_autofree char *answer = n == 2 ? g_strdup ("hint") : psim_session_dup_ideal_answer (s);
      CU_ASSERT_TRUE_FATAL (psim_store_answer (store, s, answer, 500, &error));
      /* After every answer the store restores the same session. */
      g_autofree char *cp = psim_store_load (store, "s1", &error);
      CU_ASSERT_PTR_NOT_NULL_FATAL (cp);
      g_autoptr (PsimSession) back = psim_session_new_from_checkpoint (sc, cp, "en", &error);
      CU_ASSERT_PTR_NOT_NULL_FATAL (back);
      CU_ASSERT_EQUAL (psim_session_get_n_events (back), psim_session_get_n_events (s));
      CU_ASSERT_EQUAL (psim_session_get_score (back)->score, psim_session_get_score (s)->score);
    }
  g_autoptr (PsimStoreEntry) e = psim_store_get_entry (store, "s1", &error);
  CU_ASSERT_EQUAL (e->n_answers, psim_session_get_n_answers (s));
  CU_ASSERT_TRUE (e->finished);
  CU_ASSERT_EQUAL (e->score, psim_session_get_score (s)->score);
  CU_ASSERT_EQUAL (e->max_score, psim_scenario_get_max_score (sc));
  CU_ASSERT_STRING_EQUAL (e->actor, "an");
  CU_ASSERT_STRING_EQUAL (e->scenario, psim_scenario_get_id (sc));
  /* The hint cost points: the session did not score full marks. */
  CU_ASSERT_TRUE (e->score < e->max_score);

  /* Records only once written. */
  g_autofree char *none = psim_store_load_record (store, "s1", PSIM_STORE_RECORD_XES, &error);
  CU_ASSERT_PTR_NULL (none);
  CU_ASSERT_TRUE (g_error_matches (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_NOT_FOUND));
  g_clear_error (&error);
  CU_ASSERT_TRUE (psim_store_write_records (store, s, "en", &error));
  g_autofree char *xes = psim_store_load_record (store, "s1", PSIM_STORE_RECORD_XES, &error);
  g_autofree char *expected = psim_session_record_xes (s, "en");
  CU_ASSERT_STRING_EQUAL (xes, expected);

  CU_ASSERT_TRUE (psim_store_lock (store, "s1", &error));
  psim_store_unlock (store, "s1");

  g_autoptr (GPtrArray) all = psim_store_list (store, NULL, &error);
  g_autoptr (GPtrArray) mine = psim_store_list (store, "an", &error);
  g_autoptr (GPtrArray) theirs = psim_store_list (store, "bo", &error);
  CU_ASSERT_EQUAL (all->len, 1);
  CU_ASSERT_EQUAL (mine->len, 1);
  CU_ASSERT_EQUAL (theirs->len, 0);

  CU_ASSERT_TRUE (psim_store_remove (store, "s1", &error));
  CU_ASSERT_PTR_NULL (psim_store_load (store, "s1", &error));
  CU_ASSERT_TRUE (g_error_matches (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_NOT_FOUND));
}

/* The rows handed to a backend: the point, the input, the events. */
static void
test_answer_rows (void)
{
  g_autoptr (PsimScenario) sc = load ("engine.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  static PsimStoreBackend spy_backend;
  Spy spy = { .inner = psim_store_new_memory () };
  /* Every other function goes straight to the memory backend. */
  spy_backend = *psim_store_get_backend (spy.inner);
  spy_backend.create = spy_create;
  spy_backend.save_answer = spy_save_answer;
  spy_backend.free = NULL;
  g_autoptr (PsimStore) store = psim_store_new (&spy_backend, &spy);
  g_autoptr (PsimSession) s = psim_session_new (sc, 1);
  psim_session_set_identity (s, "s2", "an", 0);
  g_autoptr (GError) error = NULL;
  CU_ASSERT_TRUE_FATAL (psim_store_create (store, s, &error));
  CU_ASSERT_TRUE_FATAL (psim_store_answer (store, s, "skip", 1200, &error));
  CU_ASSERT_EQUAL (spy.rows, 1);
  CU_ASSERT_EQUAL (spy.last_point, 1);
  CU_ASSERT_STRING_EQUAL (spy.last_input, "skip");
  CU_ASSERT_TRUE (spy.last_points < 0);
  CU_ASSERT_PTR_NOT_NULL (strstr (spy.last_events, "\"kind\":\"skipped\""));
  g_autofree char *ideal = psim_session_dup_ideal_answer (s);
  CU_ASSERT_TRUE_FATAL (psim_store_answer (store, s, ideal, 800, &error));
  CU_ASSERT_EQUAL (spy.rows, 2);
  CU_ASSERT_TRUE (spy.last_points > 0);
  CU_ASSERT_PTR_NOT_NULL (strstr (spy.last_events, "\"kind\":\"step\""));
  g_autofree char *events = psim_store_events_json (s, 0);
  g_autoptr (JsonParser) p = json_parser_new ();
  CU_ASSERT_TRUE_FATAL (json_parser_load_from_data (p, events, -1, NULL));
  CU_ASSERT_EQUAL (json_array_get_length (json_node_get_array (json_parser_get_root (p))),
                   psim_session_get_n_events (s));
  psim_store_free (spy.inner);
  g_free (spy.last_events);
  g_free (spy.last_input);
}

int
main (void)
{
  const PsimTest tests[] = {
    { "answer by answer", test_answer_by_answer },
    { "answer rows", test_answer_rows },
    { NULL, NULL },
  };
  return psim_test_run ("store", tests);
}
