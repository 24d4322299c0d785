/* psim-store.c — the session store: what a checkpoint, an answer row and
 * the records hold, taken from the session, handed to a backend's table of
 * functions (psim-store.h). Also the memory backend, the smallest complete
 * backend: a model for the others and a store for tests.
 */
#include <json-glib/json-glib.h>
#include <procsim/psim-json.h>
#include <procsim/psim-store.h>
#include <string.h>

struct _PsimStore {
  const PsimStoreBackend *backend;
  gpointer self;
};

G_DEFINE_QUARK (psim-store-error-quark, psim_store_error)

void
psim_store_entry_free (PsimStoreEntry *e)
{
  if (e == NULL)
    return;
  g_free (e->id);
  g_free (e->actor);
  g_free (e->scenario);
  g_free (e);
}

PsimStoreEntry *
psim_store_entry_copy (const PsimStoreEntry *e)
{
  g_return_val_if_fail (e != NULL, NULL);
  PsimStoreEntry *c = g_memdup2 (e, sizeof *e);
  c->id = g_strdup (e->id);
  c->actor = g_strdup (e->actor);
  c->scenario = g_strdup (e->scenario);
  return c;
}

PsimStore *
psim_store_new (const PsimStoreBackend *backend, gpointer self)
{
  g_return_val_if_fail (backend != NULL, NULL);
  PsimStore *store = g_new0 (PsimStore, 1);
  store->backend = backend;
  store->self = self;
  return store;
}

void
psim_store_free (PsimStore *store)
{
  if (store == NULL)
    return;
  if (store->backend->free != NULL)
    store->backend->free (store->self);
  g_free (store);
}

const PsimStoreBackend *
psim_store_get_backend (PsimStore *store)
{
  g_return_val_if_fail (store != NULL, NULL);
  return store->backend;
}

gpointer
psim_store_get_backend_data (PsimStore *store)
{
  g_return_val_if_fail (store != NULL, NULL);
  return store->self;
}

PsimStoreEntry *
psim_store_entry_new_for_session (const PsimSession *s)
{
  g_return_val_if_fail (s != NULL, NULL);
  const PsimScore *score = psim_session_get_score (s);
  guint n = psim_session_get_n_answers (s);
  PsimStoreEntry *e = g_new0 (PsimStoreEntry, 1);
  e->id = g_strdup (psim_session_get_id (s));
  e->actor = g_strdup (psim_session_get_actor (s));
  e->scenario = g_strdup (psim_scenario_get_id (psim_session_get_scenario (s)));
  e->started = psim_session_get_started (s);
  /* The session's own time: its start plus the time its answers took, so
   * that the summary is a function of the session, as records are. */
  e->updated = e->started + score->real_ms * 1000;
  e->n_answers = n;
  e->finished = psim_session_get_prompt (s) == PSIM_PROMPT_FINISHED;
  e->score = score->score;
  e->max_score = score->max_score;
  e->passed = score->passed;
  return e;
}

char *
psim_store_events_json (const PsimSession *s, guint first)
{
  g_return_val_if_fail (s != NULL, NULL);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_array (b);
  for (guint i = first; i < psim_session_get_n_events (s); i++)
    {
      const PsimEvent *ev = psim_session_get_event (s, i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, psim_event_kind_to_string (ev->kind));
      json_builder_set_member_name (b, "ref");
      json_builder_add_string_value (b, ev->ref);
      json_builder_set_member_name (b, "points");
      json_builder_add_int_value (b, ev->points);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  return psim_json_node_to_text (root, FALSE, NULL);
}

static gboolean
check_id (const PsimSession *s, GError **error)
{
  if (psim_session_get_id (s) != NULL)
    return TRUE;
  g_set_error_literal (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_FAILED,
                       "a session without an id cannot be stored");
  return FALSE;
}

gboolean
psim_store_create (PsimStore *store, const PsimSession *s, GError **error)
{
  g_return_val_if_fail (store != NULL && s != NULL, FALSE);
  if (!check_id (s, error))
    return FALSE;
  g_autoptr (PsimStoreEntry) entry = psim_store_entry_new_for_session (s);
  g_autofree char *checkpoint = psim_session_to_checkpoint (s);
  return store->backend->create (store->self, entry, checkpoint, error);
}

gboolean
psim_store_answer (PsimStore *store, PsimSession *s, const char *input, gint64 real_ms,
                   GError **error)
{
  g_return_val_if_fail (store != NULL && s != NULL && input != NULL, FALSE);
  if (!check_id (s, error))
    return FALSE;
  /* The point as the trainee saw it, before the answer moves it on. */
  guint point = psim_session_get_step_number (s);
  const PsimQuestion *q = psim_session_get_question (s);
  g_autofree char *question = q != NULL ? g_strdup (psim_question_get_id (q)) : NULL;
  guint first = psim_session_get_n_events (s);
  if (!psim_session_answer (s, input, real_ms, error))
    return FALSE;
  int points = 0;
  for (guint i = first; i < psim_session_get_n_events (s); i++)
    points += psim_session_get_event (s, i)->points;
  g_autoptr (PsimStoreEntry) entry = psim_store_entry_new_for_session (s);
  g_autofree char *events = psim_store_events_json (s, first);
  g_autofree char *checkpoint = psim_session_to_checkpoint (s);
  guint index = psim_session_get_n_answers (s) - 1;
  PsimStoreAnswer row = {
    .entry = entry,
    .index = index,
    .point = point,
    .question = question,
    .input = psim_session_get_answer (s, index),
    .points = points,
    .real_ms = real_ms,
    .events = events,
    .checkpoint = checkpoint,
  };
  return store->backend->save_answer (store->self, &row, error);
}

char *
psim_store_load (PsimStore *store, const char *id, GError **error)
{
  g_return_val_if_fail (store != NULL && id != NULL, NULL);
  return store->backend->load (store->self, id, error);
}

PsimStoreEntry *
psim_store_get_entry (PsimStore *store, const char *id, GError **error)
{
  g_return_val_if_fail (store != NULL && id != NULL, NULL);
  return store->backend->get_entry (store->self, id, error);
}

GPtrArray *
psim_store_list (PsimStore *store, const char *actor, GError **error)
{
  g_return_val_if_fail (store != NULL, NULL);
  return store->backend->list (store->self, actor, error);
}

gboolean
psim_store_remove (PsimStore *store, const char *id, GError **error)
{
  g_return_val_if_fail (store != NULL && id != NULL, FALSE);
  return store->backend->remove (store->self, id, error);
}

gboolean
psim_store_write_records (PsimStore *store, const PsimSession *s, const char *lang,
                          GError **error)
{
  g_return_val_if_fail (store != NULL && s != NULL, FALSE);
  if (!check_id (s, error))
    return FALSE;
  g_autofree char *json = psim_session_record_json (s, lang);
  g_autofree char *xapi = psim_session_record_xapi (s, lang);
  g_autofree char *xes = psim_session_record_xes (s, lang);
  PsimStoreRecords records = { json, xapi, xes };
  return store->backend->write_records (store->self, psim_session_get_id (s), &records, error);
}

char *
psim_store_load_record (PsimStore *store, const char *id, PsimStoreRecordKind kind,
                        GError **error)
{
  g_return_val_if_fail (store != NULL && id != NULL, NULL);
  return store->backend->load_record (store->self, id, kind, error);
}

gboolean
psim_store_lock (PsimStore *store, const char *id, GError **error)
{
  g_return_val_if_fail (store != NULL && id != NULL, FALSE);
  return store->backend->lock (store->self, id, error);
}

void
psim_store_unlock (PsimStore *store, const char *id)
{
  g_return_if_fail (store != NULL && id != NULL);
  store->backend->unlock (store->self, id);
}

/* ---- the memory backend --------------------------------------------------- */

typedef struct {
  PsimStoreEntry *entry;
  char *checkpoint;
  GPtrArray *answers;  /* char*: the input of each row, kept to count rows */
  char *records[3];    /* by PsimStoreRecordKind */
  gboolean locked;
} MemSession;

typedef struct {
  GHashTable *sessions; /* id → MemSession* */
} Mem;

static void
mem_session_free (gpointer data)
{
  MemSession *m = data;
  psim_store_entry_free (m->entry);
  g_free (m->checkpoint);
  g_ptr_array_unref (m->answers);
  for (guint i = 0; i < G_N_ELEMENTS (m->records); i++)
    g_free (m->records[i]);
  g_free (m);
}

static MemSession *
mem_find (Mem *mem, const char *id, GError **error)
{
  MemSession *m = g_hash_table_lookup (mem->sessions, id);
  if (m == NULL)
    g_set_error (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_NOT_FOUND, "no session '%s'", id);
  return m;
}

static gboolean
mem_create (gpointer self, const PsimStoreEntry *entry, const char *checkpoint, GError **error)
{
  Mem *mem = self;
  if (g_hash_table_contains (mem->sessions, entry->id))
    {
      g_set_error (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_EXISTS,
                   "a session '%s' is already kept", entry->id);
      return FALSE;
    }
  MemSession *m = g_new0 (MemSession, 1);
  m->entry = psim_store_entry_copy (entry);
  m->checkpoint = g_strdup (checkpoint);
  m->answers = g_ptr_array_new_with_free_func (g_free);
  g_hash_table_insert (mem->sessions, g_strdup (entry->id), m);
  return TRUE;
}

static gboolean
mem_save_answer (gpointer self, const PsimStoreAnswer *a, GError **error)
{
  MemSession *m = mem_find (self, a->entry->id, error);
  if (m == NULL)
    return FALSE;
  if (a->index != m->answers->len)
    {
      g_set_error (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_FAILED,
                   "answer %u of session '%s' follows %u stored answers", a->index + 1,
                   a->entry->id, m->answers->len);
      return FALSE;
    }
  g_ptr_array_add (m->answers, g_strdup (a->input));
  g_free (m->checkpoint);
  m->checkpoint = g_strdup (a->checkpoint);
  psim_store_entry_free (m->entry);
  m->entry = psim_store_entry_copy (a->entry);
  return TRUE;
}

static char *
mem_load (gpointer self, const char *id, GError **error)
{
  MemSession *m = mem_find (self, id, error);
  return m != NULL ? g_strdup (m->checkpoint) : NULL;
}

static PsimStoreEntry *
mem_get_entry (gpointer self, const char *id, GError **error)
{
  MemSession *m = mem_find (self, id, error);
  return m != NULL ? psim_store_entry_copy (m->entry) : NULL;
}

static gint
newest_first (gconstpointer a, gconstpointer b)
{
  const PsimStoreEntry *x = *(PsimStoreEntry *const *) a, *y = *(PsimStoreEntry *const *) b;
  if (x->started != y->started)
    return x->started > y->started ? -1 : 1;
  return g_strcmp0 (x->id, y->id);
}

static GPtrArray *
mem_list (gpointer self, const char *actor, GError **error)
{
  Mem *mem = self;
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) psim_store_entry_free);
  GHashTableIter it;
  gpointer value;
  g_hash_table_iter_init (&it, mem->sessions);
  while (g_hash_table_iter_next (&it, NULL, &value))
    {
      MemSession *m = value;
      if (actor == NULL || g_strcmp0 (actor, m->entry->actor) == 0)
        g_ptr_array_add (out, psim_store_entry_copy (m->entry));
    }
  g_ptr_array_sort (out, newest_first);
  return out;
}

static gboolean
mem_remove (gpointer self, const char *id, GError **error)
{
  Mem *mem = self;
  if (mem_find (mem, id, error) == NULL)
    return FALSE;
  g_hash_table_remove (mem->sessions, id);
  return TRUE;
}

static gboolean
mem_write_records (gpointer self, const char *id, const PsimStoreRecords *r, GError **error)
{
  MemSession *m = mem_find (self, id, error);
  if (m == NULL)
    return FALSE;
  const char *texts[3] = { r->json, r->xapi, r->xes };
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_free (m->records[i]);
      m->records[i] = g_strdup (texts[i]);
    }
  m->entry->finished = TRUE;
  return TRUE;
}

static char *
mem_load_record (gpointer self, const char *id, PsimStoreRecordKind kind, GError **error)
{
  MemSession *m = mem_find (self, id, error);
  if (m == NULL)
    return NULL;
  if ((guint) kind >= G_N_ELEMENTS (m->records) || m->records[kind] == NULL)
    {
      g_set_error (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_NOT_FOUND,
                   "session '%s' has no records yet", id);
      return NULL;
    }
  return g_strdup (m->records[kind]);
}

/* One process holds the memory store: a lock only guards against a second
 * writer in the same process, which is what the contract asks. */
static gboolean
mem_lock (gpointer self, const char *id, GError **error)
{
  MemSession *m = mem_find (self, id, error);
  if (m == NULL)
    return FALSE;
  m->locked = TRUE;
  return TRUE;
}

static void
mem_unlock (gpointer self, const char *id)
{
  MemSession *m = mem_find (self, id, NULL);
  if (m != NULL)
    m->locked = FALSE;
}

static void
mem_free (gpointer self)
{
  Mem *mem = self;
  g_hash_table_unref (mem->sessions);
  g_free (mem);
}

static const PsimStoreBackend mem_backend = {
  .create = mem_create,
  .save_answer = mem_save_answer,
  .load = mem_load,
  .get_entry = mem_get_entry,
  .list = mem_list,
  .remove = mem_remove,
  .write_records = mem_write_records,
  .load_record = mem_load_record,
  .lock = mem_lock,
  .unlock = mem_unlock,
  .free = mem_free,
};

PsimStore *
psim_store_new_memory (void)
{
  Mem *mem = g_new0 (Mem, 1);
  mem->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, mem_session_free);
  return psim_store_new (&mem_backend, mem);
}
