/* test-store.c — the session store (psim-store.h) over its memory backend:
 * a session kept answer by answer restores to the same session, a refused
 * answer stores nothing, answer rows carry their point and events, records
 * are kept at the end, and the errors are the documented ones. Then the
 * folder backend: the same, through files another store object (another
 * process) sees; the lock refuses a second holder; the checkpoint stays
 * until every record is written.
 */
#include "psim-test.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <procsim/psim-store.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

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

static gboolean
in_dir (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static void
test_folder (void)
{
  g_autoptr (PsimScenario) sc = load ("engine.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  g_autofree char *dir = g_dir_make_tmp ("psim-store-XXXXXX", NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (dir);
  g_autoptr (PsimStore) store = psim_store_new_folder (dir, NULL, "en");
  g_autoptr (PsimStore) other = psim_store_new_folder (dir, NULL, "en");
  g_autoptr (GError) error = NULL;
  g_autoptr (PsimSession) s = psim_session_new (sc, 7);
  psim_session_set_identity (s, "s1", "an", 1000000);

  CU_ASSERT_TRUE_FATAL (psim_store_create (store, s, &error));
  CU_ASSERT_TRUE (in_dir (dir, "s1.checkpoint.json"));
  CU_ASSERT_FALSE (psim_store_create (other, s, &error));
  CU_ASSERT_TRUE (g_error_matches (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_EXISTS));
  g_clear_error (&error);

  /* One holder of a session's lock at a time, across store objects as
   * across processes; taking it again is no error; letting go frees it. */
  CU_ASSERT_TRUE (psim_store_lock (store, "s1", &error));
  CU_ASSERT_TRUE (psim_store_lock (store, "s1", &error));
  CU_ASSERT_TRUE (in_dir (dir, "s1.lock"));
  CU_ASSERT_FALSE (psim_store_lock (other, "s1", &error));
  CU_ASSERT_TRUE (g_error_matches (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_BUSY));
  g_clear_error (&error);
  psim_store_unlock (store, "s1");
  CU_ASSERT_FALSE (in_dir (dir, "s1.lock"));
  CU_ASSERT_TRUE (psim_store_lock (other, "s1", &error));
  CU_ASSERT_FALSE (psim_store_lock (store, "s1", &error));
  g_clear_error (&error);
  psim_store_unlock (other, "s1");

  guint n = 0;
  while (psim_session_get_prompt (s) != PSIM_PROMPT_FINISHED && n++ < 200)
    {
      g_autofree char *answer = n == 2 ? g_strdup ("hint") : psim_session_dup_ideal_answer (s);
      CU_ASSERT_TRUE_FATAL (psim_store_answer (store, s, answer, 500, &error));
      /* The other store object reads what this one wrote. */
      g_autofree char *cp = psim_store_load (other, "s1", &error);
      CU_ASSERT_PTR_NOT_NULL_FATAL (cp);
      g_autoptr (PsimSession) back = psim_session_new_from_checkpoint (sc, cp, "en", &error);
      CU_ASSERT_PTR_NOT_NULL_FATAL (back);
      CU_ASSERT_EQUAL (psim_session_get_n_events (back), psim_session_get_n_events (s));
      CU_ASSERT_EQUAL (psim_session_get_score (back)->score, psim_session_get_score (s)->score);
    }
  g_autoptr (PsimStoreEntry) running = psim_store_get_entry (other, "s1", &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (running);
  CU_ASSERT_EQUAL (running->n_answers, psim_session_get_n_answers (s));
  CU_ASSERT_FALSE (running->finished);
  CU_ASSERT_STRING_EQUAL (running->actor, "an");
  CU_ASSERT_STRING_EQUAL (running->scenario, psim_scenario_get_id (sc));
  CU_ASSERT_EQUAL (running->started, 1000000);

  /* A record that cannot be written (a folder in its place) leaves the
   * checkpoint: the session is not lost. */
  g_autofree char *blocker = g_build_filename (dir, "s1.xes", NULL);
  CU_ASSERT_FATAL (g_mkdir (blocker, 0700) == 0);
  CU_ASSERT_FALSE (psim_store_write_records (store, s, "en", &error));
  CU_ASSERT_PTR_NOT_NULL (error);
  g_clear_error (&error);
  CU_ASSERT_TRUE (in_dir (dir, "s1.checkpoint.json"));
  g_rmdir (blocker);

  CU_ASSERT_TRUE_FATAL (psim_store_write_records (store, s, "en", &error));
  CU_ASSERT_FALSE (in_dir (dir, "s1.checkpoint.json"));
  CU_ASSERT_PTR_NULL (psim_store_load (store, "s1", &error));
  CU_ASSERT_TRUE (g_error_matches (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_NOT_FOUND));
  g_clear_error (&error);
  const PsimStoreRecordKind kinds[] = { PSIM_STORE_RECORD_JSON, PSIM_STORE_RECORD_XAPI,
                                        PSIM_STORE_RECORD_XES };
  char *(*writers[]) (const PsimSession *, const char *) = {
    psim_session_record_json, psim_session_record_xapi, psim_session_record_xes
  };
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autofree char *kept = psim_store_load_record (other, "s1", kinds[k], &error);
      g_autofree char *expected = writers[k] (s, "en");
      CU_ASSERT_STRING_EQUAL (kept, expected);
    }
  g_autoptr (PsimStoreEntry) done = psim_store_get_entry (other, "s1", &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (done);
  CU_ASSERT_TRUE (done->finished);
  CU_ASSERT_EQUAL (done->score, psim_session_get_score (s)->score);
  CU_ASSERT_EQUAL (done->max_score, psim_scenario_get_max_score (sc));
  CU_ASSERT_EQUAL (done->passed, psim_session_get_score (s)->passed);
  CU_ASSERT_EQUAL (done->started, 1000000);

  /* A second session, unfinished, comes first in the list. */
  g_autoptr (PsimSession) s2 = psim_session_new (sc, 8);
  psim_session_set_identity (s2, "s2", "bo", 2000000);
  CU_ASSERT_TRUE (psim_store_create (store, s2, &error));
  g_autofree char *cp2 = g_build_filename (dir, "s2.checkpoint.json", NULL);
  struct utimbuf later = { .actime = time (NULL) + 60, .modtime = time (NULL) + 60 };
  CU_ASSERT (g_utime (cp2, &later) == 0);
  g_autoptr (GPtrArray) all = psim_store_list (other, NULL, &error);
  CU_ASSERT_EQUAL_FATAL (all->len, 2);
  CU_ASSERT_STRING_EQUAL (((PsimStoreEntry *) g_ptr_array_index (all, 0))->id, "s2");
  g_autoptr (GPtrArray) theirs = psim_store_list (other, "bo", &error);
  CU_ASSERT_EQUAL (theirs->len, 1);

  /* A checkpoint file kept elsewhere: a store of that one session. */
  g_autofree char *elsewhere = g_build_filename (dir, "copy.json", NULL);
  g_autofree char *text = NULL;
  CU_ASSERT_FATAL (g_file_get_contents (cp2, &text, NULL, NULL));
  CU_ASSERT_FATAL (g_file_set_contents (elsewhere, text, -1, NULL));
  g_autoptr (PsimStore) pinned = psim_store_new_folder (dir, elsewhere, "en");
  g_autoptr (GPtrArray) one = psim_store_list (pinned, NULL, &error);
  CU_ASSERT_EQUAL_FATAL (one->len, 1);
  CU_ASSERT_STRING_EQUAL (((PsimStoreEntry *) g_ptr_array_index (one, 0))->id, "s2");
  g_autofree char *where = psim_store_folder_dup_checkpoint_file (pinned, "s2");
  CU_ASSERT_STRING_EQUAL (where, elsewhere);
  CU_ASSERT_TRUE (psim_store_lock (pinned, "s2", &error));
  CU_ASSERT_TRUE (in_dir (dir, "copy.json.lock"));
  psim_store_unlock (pinned, "s2");
  g_unlink (elsewhere);

  /* Ids that would name files outside the folder are no sessions. */
  CU_ASSERT_FALSE (psim_store_folder_id_is_valid ("../s1"));
  CU_ASSERT_FALSE (psim_store_folder_id_is_valid (".hidden"));
  CU_ASSERT_FALSE (psim_store_folder_id_is_valid (""));
  CU_ASSERT_TRUE (psim_store_folder_id_is_valid ("20261123T101500Z-land_title.2"));
  CU_ASSERT_PTR_NULL (psim_store_get_entry (store, "../s1", &error));
  CU_ASSERT_TRUE (g_error_matches (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_NOT_FOUND));
  g_clear_error (&error);

  CU_ASSERT_TRUE (psim_store_remove (store, "s1", &error));
  CU_ASSERT_TRUE (psim_store_remove (store, "s2", &error));
  CU_ASSERT_FALSE (psim_store_remove (store, "s1", &error));
  CU_ASSERT_TRUE (g_error_matches (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_NOT_FOUND));
  CU_ASSERT_EQUAL (g_rmdir (dir), 0);
}

static gint
by_name (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Names of the files in @dir that hold ".tmp", sorted, one per line.
 * (transfer full) */
static char *
temps_in (const char *dir)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  for (const char *name; d != NULL && (name = g_dir_read_name (d)) != NULL;)
    if (strstr (name, ".tmp") != NULL)
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, by_name);
  g_autoptr (GString) out = g_string_new (NULL);
  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (out, "%s\n", (char *) g_ptr_array_index (names, i));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* A process killed while it replaced a session's file leaves the
 * temporary file, ".NAME.XXXXXX.tmp": lists do not take it for a session,
 * and the next holder of that session's lock removes it, and only the
 * temporary files of that session. The store's own writes leave none. */
static void
test_folder_temps (void)
{
  g_autoptr (PsimScenario) sc = load ("engine.xml");
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  g_autofree char *dir = g_dir_make_tmp ("psim-store-XXXXXX", NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (dir);
  g_autoptr (PsimStore) store = psim_store_new_folder (dir, NULL, "en");
  g_autoptr (GError) error = NULL;
  g_autoptr (PsimSession) s = psim_session_new (sc, 7);
  psim_session_set_identity (s, "s3", "an", 1000000);
  CU_ASSERT_TRUE_FATAL (psim_store_create (store, s, &error));
  g_autofree char *none = temps_in (dir);
  CU_ASSERT_STRING_EQUAL (none, "");

  const char *stale[] = { ".s3.checkpoint.json.a1B2c3.tmp", ".s3.json.zzzzzz.tmp",
                          ".s3.xapi.json.000000.tmp", ".s3.xes.qwerty.tmp" };
  const char *others[] = { ".s31.checkpoint.json.abcdef.tmp", ".s3.json.abcdefg.tmp",
                           ".s3.json.abcdef.tmp.keep", "s3.json.abcdef.tmp" };
  for (guint i = 0; i < G_N_ELEMENTS (stale); i++)
    {
      g_autofree char *path = g_build_filename (dir, stale[i], NULL);
      CU_ASSERT_FATAL (g_file_set_contents (path, "{\"session\": \"half", -1, NULL));
    }
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_autofree char *path = g_build_filename (dir, others[i], NULL);
      CU_ASSERT_FATAL (g_file_set_contents (path, "{}", -1, NULL));
    }
  g_autoptr (GPtrArray) all = psim_store_list (store, NULL, &error);
  CU_ASSERT_EQUAL_FATAL (all->len, 1);
  CU_ASSERT_STRING_EQUAL (((PsimStoreEntry *) g_ptr_array_index (all, 0))->id, "s3");

  CU_ASSERT_TRUE_FATAL (psim_store_lock (store, "s3", &error));
  g_autofree char *left = temps_in (dir);
  CU_ASSERT_STRING_EQUAL (left, ".s3.json.abcdef.tmp.keep\n"
                                ".s3.json.abcdefg.tmp\n"
                                ".s31.checkpoint.json.abcdef.tmp\n"
                                "s3.json.abcdef.tmp\n");
  g_autofree char *answer = psim_session_dup_ideal_answer (s);
  CU_ASSERT_TRUE (psim_store_answer (store, s, answer, 500, &error));
  g_autofree char *after = temps_in (dir);
  CU_ASSERT_STRING_EQUAL (after, left);
  psim_store_unlock (store, "s3");

  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_autofree char *path = g_build_filename (dir, others[i], NULL);
      g_unlink (path);
    }
  CU_ASSERT_TRUE (psim_store_remove (store, "s3", &error));
  CU_ASSERT_EQUAL (g_rmdir (dir), 0);
}

/* A file replaced through a symbolic link: the link stays, the target
 * gets the contents and keeps its permission bits; the temporary file is
 * made beside the target and does not stay. */
static void
test_replace_through_link (void)
{
  g_autofree char *dir = g_dir_make_tmp ("psim-store-XXXXXX", NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (dir);
  g_autofree char *sub = g_build_filename (dir, "sub", NULL);
  g_autofree char *target = g_build_filename (sub, "target.json", NULL);
  g_autofree char *link = g_build_filename (dir, "link.json", NULL);
  CU_ASSERT_FATAL (g_mkdir (sub, 0700) == 0);
  CU_ASSERT_FATAL (g_file_set_contents (target, "old", -1, NULL));
  CU_ASSERT_FATAL (g_chmod (target, 0640) == 0);
  CU_ASSERT_FATAL (symlink ("sub/target.json", link) == 0);
  g_autoptr (GError) error = NULL;
  CU_ASSERT_TRUE (psim_file_replace (link, "new", 3, TRUE, &error));
  CU_ASSERT_PTR_NULL (error);
  g_autofree char *points = g_file_read_link (link, NULL);
  CU_ASSERT_STRING_EQUAL (points, "sub/target.json");
  g_autofree char *text = NULL;
  CU_ASSERT (g_file_get_contents (target, &text, NULL, NULL));
  CU_ASSERT_STRING_EQUAL (text, "new");
  GStatBuf st;
  CU_ASSERT (g_stat (target, &st) == 0 && (st.st_mode & 07777) == 0640);
  g_autofree char *left = temps_in (dir), *left_sub = temps_in (sub);
  CU_ASSERT_STRING_EQUAL (left, "");
  CU_ASSERT_STRING_EQUAL (left_sub, "");

  /* A loop of links is an error, and nothing is written. */
  g_autofree char *a = g_build_filename (dir, "a", NULL);
  g_autofree char *b = g_build_filename (dir, "b", NULL);
  CU_ASSERT_FATAL (symlink ("b", a) == 0 && symlink ("a", b) == 0);
  CU_ASSERT_FALSE (psim_file_replace (a, "x", 1, FALSE, &error));
  CU_ASSERT_TRUE (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_LOOP));
  g_unlink (a);
  g_unlink (b);
  g_unlink (link);
  g_unlink (target);
  g_rmdir (sub);
  CU_ASSERT_EQUAL (g_rmdir (dir), 0);
}

int
main (void)
{
  const PsimTest tests[] = {
    { "answer by answer", test_answer_by_answer },
    { "answer rows", test_answer_rows },
    { "the folder backend", test_folder },
    { "temporary files a killed writer left", test_folder_temps },
    { "files replaced through a link", test_replace_through_link },
    { NULL, NULL },
  };
  return psim_test_run ("store", tests);
}
