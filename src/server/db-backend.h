/* db-backend.h — what a database backend of db.h implements: db.c opens
 * the backend the URL names and sends each db_* call to its table.
 *
 * A backend's own structure starts with a Db (its `base`), so that a Db*
 * is also the backend's pointer; its functions take the Db* and reach
 * their fields through it. The schema (db_migrations) is one set of DDL
 * for every backend, written in the SQL SQLite and PostgreSQL share; each
 * backend applies the migrations a database lacks, in order, at open.
 */
#pragma once

#include "db.h"

typedef struct {
  const char *name; /* "sqlite", "postgresql" */
  void (*close) (Db *db);
  gboolean (*ping) (Db *db);
  guint (*count_users) (Db *db, GError **error);
  gboolean (*add_user) (Db *db, const User *u, GError **error);
  gboolean (*add_users) (Db *db, GPtrArray *users, GError **error);
  User *(*get_user) (Db *db, const char *name, GError **error);
  GPtrArray *(*list_users) (Db *db, const char *group, GError **error);
  gboolean (*set_user_lang) (Db *db, const char *name, const char *lang, GError **error);
  gboolean (*add_token) (Db *db, const char *hash, const char *user, const char *csrf,
                         gint64 expires, GError **error);
  User *(*get_token_user) (Db *db, const char *hash, gint64 now, char **csrf, GError **error);
  gboolean (*remove_token) (Db *db, const char *hash, GError **error);
  gboolean (*purge_tokens) (Db *db, gint64 now, GError **error);
  GPtrArray *(*list_answer_rows) (Db *db, const char *scenario, GError **error);
  GHashTable *(*list_scenario_groups) (Db *db, GError **error);
  /* The upload's files go as base64 text (db.c encodes and decodes): a
   * scenario's XML may be in any encoding its declaration names. */
  gboolean (*add_upload) (Db *db, const char *const row[7], GError **error);
  gboolean (*remove_upload) (Db *db, const char *scenario, GError **error);
  /* The first column of the rows of @sql (a string literal without
   * parameters, in the SQL both backends share). */
  GStrv (*list_strings) (Db *db, const char *sql, GError **error);
  /* The row of @scenario in add_upload's order, or NULL (no error) when none. */
  GStrv (*get_upload) (Db *db, const char *scenario, GError **error);
  gboolean (*set_scenario_groups) (Db *db, const char *scenario, const char *const *groups,
                                   GError **error);
  gboolean (*batch_begin) (Db *db, GError **error);
  gboolean (*batch_commit) (Db *db, GError **error);
  gboolean (*in_batch) (Db *db);
  GPtrArray *(*outbox_claim) (Db *db, gint64 now, gint64 lease, guint max, GError **error);
  gboolean (*outbox_done) (Db *db, GPtrArray *items, gint64 now, GError **error);
  gboolean (*outbox_retry) (Db *db, GPtrArray *items, gint64 now, GError **error);
} DbBackend;

struct _Db {
  const DbBackend *backend;
  PsimStore *store; /* the sessions, over the backend's store table */
  char *holder;     /* who this process is, for session locks */
  DbStatementsFunc statements; /* (nullable) what an answer adds to the outbox */
  gpointer statements_data;
};

/* The outbox rows answer @a adds (OutboxItem*): the statements of
 * db->statements, none when it is not set. A backend inserts them in the
 * answer's transaction, skipping the ids it has. (transfer full) */
GPtrArray *db_outbox_items_for (Db *db, const PsimStoreAnswer *a);
/* How long after @attempts failed sends a statement is tried again. */
gint64 db_outbox_backoff (guint attempts);

/* A new scenario → groups table, for list_scenario_groups; and adds a row. */
GHashTable *db_scenario_groups_new (void);
void db_scenario_groups_add (GHashTable *table, const char *scenario, const char *group);

/* Fills @db's common part: the backend, a random lock holder name, and the
 * store over @store_backend with @db as its pointer. */
void db_init (Db *db, const DbBackend *backend, const PsimStoreBackend *store_backend);
/* Frees the common part (not @db itself). */
void db_clear (Db *db);

/* Sets @error to the store's "no session @id"; FALSE. */
gboolean db_not_found (const char *id, GError **error);
/* The records' kinds as the records table names them, by
 * PsimStoreRecordKind. */
extern const char *const db_record_kinds[3];

/* The schema's migrations, in order: version N is db_migrations[N - 1]. */
extern const char *const db_migrations[];
extern const guint db_n_migrations;

/* The backends' openers: @path a file name, @conninfo a libpq connection
 * string or URI. (transfer full) */
Db *db_sqlite_open (const char *path, GError **error);
Db *db_pg_open (const char *conninfo, GError **error);
