/* db.h — the server's database: accounts, login tokens, and the training
 * sessions behind the library's store interface (psim-store.h).
 *
 * A Db is one SQLite connection or a pool of PostgreSQL connections, used
 * from the main thread. Every function that writes does so in one
 * transaction, committed before it returns unless a batch is open (below).
 * The SQL is written to run on SQLite and PostgreSQL alike (text keys, no
 * auto-increment, integers for booleans and times in microseconds,
 * INSERT … ON CONFLICT). db.c opens the backend the URL names
 * (db-sqlite.c, db-pg.c; db-backend.h is what a backend implements) and
 * holds the schema both share.
 */
#pragma once

#include <glib.h>
#include <procsim/psim-store.h>

typedef struct _Db Db;

#define DB_ERROR (db_error_quark ())
GQuark db_error_quark (void);

typedef enum {
  DB_ERROR_URL,      /* the --db URL is not one we can open */
  DB_ERROR_FAILED,   /* the database said no */
  DB_ERROR_EXISTS,   /* a row with that key is there already */
  DB_ERROR_NOT_FOUND,
} DbError;

typedef enum {
  ROLE_TRAINEE,
  ROLE_TRAINER,
  ROLE_ADMIN,
} Role;

const char *role_to_string (Role role);
/* FALSE when @text names no role. */
gboolean role_from_string (const char *text, Role *role);

typedef struct {
  char *name;   /* the login, also the actor of the user's sessions */
  Role role;
  char *group;  /* (nullable) */
  char *lang;   /* (nullable) the language chosen, else the browser's */
  char *pwhash; /* libsodium's crypto_pwhash_str form */
} User;

void user_free (User *u);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (User, user_free)

/* Opens (creating it if needed) the database named by @url
 * ("sqlite:PATH" or a plain path; "postgresql://…", or "postgresql:" and a
 * libpq connection string) and applies the migrations it lacks.
 * (transfer full) */
Db *db_open (const char *url, GError **error);
void db_close (Db *db);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Db, db_close)

/* Group commit. Between db_batch_begin and db_batch_commit every write of
 * every function here is part of one transaction (each still all or
 * nothing in itself), made durable by the one commit: a caller that
 * batches must not acknowledge any of them before db_batch_commit returns
 * TRUE; when it returns FALSE, none of them was kept. One fsync for many
 * answers is what lets one server keep up with a classroom. */
gboolean db_batch_begin (Db *db, GError **error);
gboolean db_batch_commit (Db *db, GError **error);
gboolean db_in_batch (Db *db);

/* The sessions of this database as a store. (transfer none): owned by @db. */
PsimStore *db_get_store (Db *db);

/* TRUE when the database answers a trivial query (for /healthz). */
gboolean db_ping (Db *db);

/* ---- users ---------------------------------------------------------------- */

guint db_count_users (Db *db, GError **error);
/* DB_ERROR_EXISTS when @u->name is taken. */
gboolean db_add_user (Db *db, const User *u, GError **error);
/* Adds every user of @users (User*) in one transaction: all or none. */
gboolean db_add_users (Db *db, GPtrArray *users, GError **error);
/* (transfer full) (nullable) NULL with no error when there is no such user. */
User *db_get_user (Db *db, const char *name, GError **error);
/* Users (User*, with a free func), by name; of @group only when not NULL. */
GPtrArray *db_list_users (Db *db, const char *group, GError **error);
/* The groups users are in, each once, sorted by bytes (no empty one).
 * (transfer full) NULL when the database fails. */
GStrv db_list_groups (Db *db, GError **error);
gboolean db_set_user_lang (Db *db, const char *name, const char *lang, GError **error);

/* ---- login tokens ----------------------------------------------------------- */

/* Keeps a token by its hash, with the CSRF secret of its pages. */
gboolean db_add_token (Db *db, const char *hash, const char *user, const char *csrf,
                       gint64 expires, GError **error);
/* The user of a token that has not expired, and its CSRF secret.
 * (transfer full) (nullable) NULL with no error when there is none. */
User *db_get_token_user (Db *db, const char *hash, gint64 now, char **csrf, GError **error);
gboolean db_remove_token (Db *db, const char *hash, GError **error);
/* Forgets the tokens that expired before @now. */
gboolean db_purge_tokens (Db *db, gint64 now, GError **error);

/* ---- the xAPI outbox ------------------------------------------------------------ */

/* The xAPI statements of the session answer @a was given to, a JSON array,
 * all of them so far: the outbox keeps those it lacks, in the answer's own
 * transaction (ids are fixed: a statement is never kept twice).
 * (transfer full) (nullable) */
typedef char *(*DbStatementsFunc) (const PsimStoreAnswer *a, gpointer data);
/* Makes every answer stored from now on add its statements to the outbox. */
void db_set_outbox_source (Db *db, DbStatementsFunc func, gpointer data);

typedef struct {
  char *id;   /* the statement's id */
  char *body; /* the statement, JSON */
  guint attempts; /* failed sends so far */
} OutboxItem;

void outbox_item_free (OutboxItem *item);

/* Up to @max statements due at @now and not sent, oldest first, leased to
 * this process for @lease microseconds: another server skips them until
 * then (on PostgreSQL, rows another server is claiming are skipped, not
 * waited for). (transfer full) (element-type OutboxItem) */
GPtrArray *db_outbox_claim (Db *db, gint64 now, gint64 lease, guint max, GError **error);
/* Marks @items (OutboxItem*) sent. */
gboolean db_outbox_done (Db *db, GPtrArray *items, gint64 now, GError **error);
/* Counts a failed send of @items and sets when each is tried again (later
 * after each failure, up to a minute). */
gboolean db_outbox_retry (Db *db, GPtrArray *items, gint64 now, GError **error);

/* ---- reports ---------------------------------------------------------------- */

/* A scenario a trainer uploaded, with the procedure sent with it. */
typedef struct {
  char *scenario;       /* its id */
  char *scenario_name;  /* the file names it was checked under */
  GBytes *scenario_file;
  char *procedure_name; /* (nullable) */
  GBytes *procedure_file; /* (nullable) */
  char *user;           /* (nullable) who sent it */
  gint64 uploaded;      /* µs since the epoch */
} DbUpload;

void db_upload_free (DbUpload *u);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbUpload, db_upload_free)

/* Keeps @u (DB_ERROR_EXISTS when its id is taken). */
gboolean db_add_upload (Db *db, const DbUpload *u, GError **error);
/* The ids of the uploaded scenarios, sorted. (transfer full) NULL when the
 * database fails. */
GStrv db_list_upload_ids (Db *db, GError **error);
/* Forgets the upload @scenario (no error when there is none). */
gboolean db_remove_upload (Db *db, const char *scenario, GError **error);
/* The upload @scenario; NULL with DB_ERROR_NOT_FOUND when there is none.
 * (transfer full) */
DbUpload *db_get_upload (Db *db, const char *scenario, GError **error);

/* Which groups each scenario is offered to: scenario id → GPtrArray of
 * group names (sorted). A scenario not in it is offered to every trainee.
 * (transfer full) NULL when the database fails. */
GHashTable *db_list_scenario_groups (Db *db, GError **error);
/* Offers @scenario to @groups (NULL-terminated; empty: to every trainee),
 * in place of the groups it had, in one transaction. */
gboolean db_set_scenario_groups (Db *db, const char *scenario, const char *const *groups,
                                 GError **error);

/* The answer rows of the sessions of scenario @scenario, for reports: each a
 * GStrv of session id, user, question (or ""), points, events JSON. */
GPtrArray *db_list_answer_rows (Db *db, const char *scenario, GError **error);
