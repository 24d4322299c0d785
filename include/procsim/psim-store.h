/* psim-store.h — where training sessions are kept: the session store.
 *
 * A front-end keeps its sessions somewhere: the terminal trainer in a
 * folder of checkpoint and record files, the web server in a database.
 * The store is that place behind one small interface, in the manner of
 * Redis's rio: a table of functions (PsimStoreBackend) and the backend's
 * own pointer, wrapped by a PsimStore whose functions the front-ends call.
 * The functions of this header do the library's part (what a checkpoint,
 * an answer row or a record holds, taken from the session itself); a
 * backend only keeps and returns bytes and rows.
 *
 * What a store keeps, per session:
 *   - the checkpoint (psim_session_to_checkpoint): enough to restore the
 *     session exactly, so it is replaced after every answer;
 *   - one row per answer taken (the attempt-step table): who, which
 *     session, which point, the answer as typed, the events it made, their
 *     points and the time taken;
 *   - at the end, the records (JSON, xAPI, XES);
 *   - a summary (PsimStoreEntry) for lists.
 *
 * Durability contract: when psim_store_answer () returns TRUE the answer
 * and the new checkpoint are stored together (one transaction, one atomic
 * rename): a process killed at any later moment restores the session
 * with that answer. A backend that cannot promise this must fail instead.
 * One exception, under the front-end's control: a backend may offer to
 * group the commits of several calls (the server's database does, db.h)
 * when the front-end acknowledges none of them before the group commits.
 *
 * Concurrency: a store object is used from one thread at a time. Two
 * processes (two servers on one database, two terminals on one folder)
 * coordinate through psim_store_lock (): the holder of a session's lock is
 * the only writer of that session.
 */
#pragma once

#include <glib.h>
#include <procsim/psim-session.h>

G_BEGIN_DECLS

typedef struct _PsimStore PsimStore;

#define PSIM_STORE_ERROR (psim_store_error_quark ())
GQuark psim_store_error_quark (void);

typedef enum {
  PSIM_STORE_ERROR_NOT_FOUND, /* no such session */
  PSIM_STORE_ERROR_EXISTS,    /* a session with that id is already kept */
  PSIM_STORE_ERROR_BUSY,      /* another writer holds the session's lock */
  PSIM_STORE_ERROR_FAILED,    /* the backend could not read or write */
} PsimStoreError;

/* The summary of a kept session, for lists. */
typedef struct {
  char *id;
  char *actor;    /* (nullable) */
  char *scenario; /* the scenario's id */
  gint64 started; /* microseconds since the Unix epoch */
  gint64 updated; /* when the last answer was stored, same unit */
  guint n_answers;
  gboolean finished;
  int score;
  int max_score;
  gboolean passed;
} PsimStoreEntry;

void psim_store_entry_free (PsimStoreEntry *e);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsimStoreEntry, psim_store_entry_free)
/* A copy of @e. (transfer full) */
PsimStoreEntry *psim_store_entry_copy (const PsimStoreEntry *e);

/* One answer as the store keeps it: a row of the attempt-step table. All
 * strings are borrowed for the duration of the backend call. */
typedef struct {
  const PsimStoreEntry *entry; /* the session's summary after the answer */
  guint index;                 /* the answer's number in the session, from 0 */
  guint point;                 /* the step number it was given at (1-based) */
  const char *question;        /* (nullable) the question it answered */
  const char *input;           /* the answer as typed */
  int points;                  /* the sum of its events' points */
  gint64 real_ms;              /* the time the trainee took */
  const char *events;          /* its events, a JSON array of
                                * {"kind", "ref", "points"} */
  const char *checkpoint;      /* the whole checkpoint after the answer */
} PsimStoreAnswer;

/* The records of a finished session (psim_session_record_*). */
typedef struct {
  const char *json;
  const char *xapi;
  const char *xes;
} PsimStoreRecords;

typedef enum {
  PSIM_STORE_RECORD_JSON,
  PSIM_STORE_RECORD_XAPI,
  PSIM_STORE_RECORD_XES,
} PsimStoreRecordKind;

/* What a backend implements. @self is the pointer given to
 * psim_store_new (). Every function that can fail returns FALSE or NULL
 * with @error set (PSIM_STORE_ERROR, or the backend's own domain for
 * PSIM_STORE_ERROR_FAILED conditions it wants to name); none may be NULL
 * except @free. Returned strings and arrays are (transfer full). */
typedef struct {
  /* Keeps a new session: its summary and first checkpoint.
   * PSIM_STORE_ERROR_EXISTS when the id is taken. */
  gboolean (*create) (gpointer self, const PsimStoreEntry *entry, const char *checkpoint,
                      GError **error);
  /* Adds the answer row and replaces the checkpoint and the summary, all
   * or nothing, durably before returning. */
  gboolean (*save_answer) (gpointer self, const PsimStoreAnswer *answer, GError **error);
  /* The checkpoint of session @id. */
  char *(*load) (gpointer self, const char *id, GError **error);
  /* The summary of session @id. */
  PsimStoreEntry *(*get_entry) (gpointer self, const char *id, GError **error);
  /* Summaries (PsimStoreEntry*, with a free func) of the sessions of
   * @actor, or of all when @actor is NULL, newest first. */
  GPtrArray *(*list) (gpointer self, const char *actor, GError **error);
  /* Forgets session @id: checkpoint, answers, records. */
  gboolean (*remove) (gpointer self, const char *id, GError **error);
  /* Keeps the records of finished session @id and marks it finished. */
  gboolean (*write_records) (gpointer self, const char *id, const PsimStoreRecords *records,
                             GError **error);
  /* One record of finished session @id. */
  char *(*load_record) (gpointer self, const char *id, PsimStoreRecordKind kind,
                        GError **error);
  /* Takes the lock on session @id without waiting: PSIM_STORE_ERROR_BUSY
   * when another holder has it. Taking a lock one holds already succeeds. */
  gboolean (*lock) (gpointer self, const char *id, GError **error);
  void (*unlock) (gpointer self, const char *id);
  /* (nullable) Releases @self. */
  void (*free) (gpointer self);
} PsimStoreBackend;

/* A store over @backend (borrowed: usually a static table) and @self
 * (owned: backend->free releases it with the store). (transfer full) */
PsimStore *psim_store_new (const PsimStoreBackend *backend, gpointer self);
void psim_store_free (PsimStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsimStore, psim_store_free)

/* The backend's table and own pointer, for a backend that wraps another.
 * (transfer none) */
const PsimStoreBackend *psim_store_get_backend (PsimStore *store);
gpointer psim_store_get_backend_data (PsimStore *store);

/* A store in memory, gone with the process: for tests, demonstrations and
 * guests. (transfer full) */
PsimStore *psim_store_new_memory (void);

/* A store in the folder @dir (which the caller creates): the terminal
 * trainer's. For each session ID the folder holds ID.checkpoint.json while
 * it runs and, once finished, its records ID.json, ID.xapi.json and ID.xes
 * (the checkpoint is removed only once they are on disk); ID.lock while a
 * process holds the session's lock (flock: two processes on one folder
 * exclude each other, and a process that dies lets go). Every file is
 * written durably (flushed, renamed, the folder flushed). The answer rows
 * are the answers of the checkpoint; the summary of a running session
 * carries no score (only a replay of its checkpoint would give it), and
 * its @updated is the checkpoint's modification time.
 *
 * @checkpoint (nullable): a checkpoint file kept elsewhere (a session
 * resumed from a file the trainee names): the store then holds that one
 * session, saved on in @checkpoint, its lock beside it, its records in
 * @dir. Messages about files are in @lang. (transfer full) */
PsimStore *psim_store_new_folder (const char *dir, const char *checkpoint, const char *lang);

/* Where the folder store @store keeps the checkpoint of session @id, for
 * messages. (transfer full) */
char *psim_store_folder_dup_checkpoint_file (PsimStore *store, const char *id);

/* TRUE when @id can name a session of a folder store: letters, digits,
 * '.', '_' and '-', not starting with '.', at most 128 bytes (so that it
 * names files in the folder and nothing outside it). */
gboolean psim_store_folder_id_is_valid (const char *id);

/* The summary of @s as it stands. (transfer full) */
PsimStoreEntry *psim_store_entry_new_for_session (const PsimSession *s);

/* Keeps @s, which must have an id (psim_session_set_identity) and usually
 * no answers yet. */
gboolean psim_store_create (PsimStore *store, const PsimSession *s, GError **error);

/* Gives @input to @s (psim_session_answer) and stores the answer with the
 * new checkpoint before returning. A refused answer (PSIM_SESSION_ERROR)
 * changes and stores nothing. When the store fails (PSIM_STORE_ERROR),
 * @s has taken the answer but the store has not: the caller must drop @s
 * and restore the session from the store (psim_store_load). */
gboolean psim_store_answer (PsimStore *store, PsimSession *s, const char *input, gint64 real_ms,
                            GError **error);

/* The checkpoint of session @id, to restore it with
 * psim_session_new_from_checkpoint () (psim_checkpoint_dup_scenario_id ()
 * names its scenario). (transfer full) */
char *psim_store_load (PsimStore *store, const char *id, GError **error);

/* The summary of session @id. (transfer full) */
PsimStoreEntry *psim_store_get_entry (PsimStore *store, const char *id, GError **error);

/* Summaries of @actor's sessions (all when NULL), newest first.
 * (transfer full) (element-type PsimStoreEntry) */
GPtrArray *psim_store_list (PsimStore *store, const char *actor, GError **error);

gboolean psim_store_remove (PsimStore *store, const char *id, GError **error);

/* Writes the records of finished session @s (titles in @lang) and marks it
 * finished. */
gboolean psim_store_write_records (PsimStore *store, const PsimSession *s, const char *lang,
                                   GError **error);

/* A record of finished session @id. (transfer full) */
char *psim_store_load_record (PsimStore *store, const char *id, PsimStoreRecordKind kind,
                              GError **error);

gboolean psim_store_lock (PsimStore *store, const char *id, GError **error);
void psim_store_unlock (PsimStore *store, const char *id);

/* The events of @s from @first on, as a JSON array of {"kind", "ref",
 * "points"}: the events column of an answer row. (transfer full) */
char *psim_store_events_json (const PsimSession *s, guint first);

G_END_DECLS
