/* db-sqlite.c — the server's database on SQLite (db.h).
 *
 * Why here and not in the library: the database holds the server's
 * accounts and tokens beside the sessions, and one transaction covers an
 * answer row and its session's checkpoint; the library defines only the
 * store interface (psim-store.h) and stays free of libsqlite3, which the
 * terminal trainer, the fuzzers and other front-ends do not need.
 *
 * Durability: WAL journal with synchronous=FULL, every write in one
 * transaction committed before the function returns, so a reply sent after
 * it describes data already on disk; a SIGKILL (or a power cut) at any
 * moment loses nothing acknowledged.
 *
 * Portability: the SQL keeps to what PostgreSQL runs too (text keys, no
 * AUTOINCREMENT, BIGINT times, INTEGER booleans, INSERT … ON CONFLICT);
 * placeholders are `?` here, `$N` in db-pg.c. The migrations are db.c's,
 * numbered, kept in schema_migrations, and applied in order at start-up,
 * each in its own transaction.
 */
#include "db-backend.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

typedef struct {
  Db base;
  sqlite3 *conn;
  GHashTable *stmts; /* SQL text (static) → sqlite3_stmt*: prepared once */
  gboolean batch;    /* a batch's transaction is open (db_batch_begin) */
} SqliteDb;

#define SQ(db) ((SqliteDb *) (db))

static gboolean
fail (Db *db, GError **error, const char *what)
{
  int code = sqlite3_extended_errcode (SQ (db)->conn);
  g_set_error (error, DB_ERROR,
               (code & 0xff) == SQLITE_CONSTRAINT ? DB_ERROR_EXISTS : DB_ERROR_FAILED,
               "%s: %s", what, sqlite3_errmsg (SQ (db)->conn));
  return FALSE;
}

static gboolean
exec (Db *db, const char *sql, GError **error)
{
  char *msg = NULL;
  if (sqlite3_exec (SQ (db)->conn, sql, NULL, NULL, &msg) == SQLITE_OK)
    return TRUE;
  g_set_error (error, DB_ERROR, DB_ERROR_FAILED, "%s", msg != NULL ? msg : "?");
  sqlite3_free (msg);
  return FALSE;
}

/* The statement for @sql (a string literal: its address is the key),
 * reset and ready to bind. NULL with @error on a bad statement. */
static sqlite3_stmt *
stmt (Db *db, const char *sql, GError **error)
{
  sqlite3_stmt *st = g_hash_table_lookup (SQ (db)->stmts, sql);
  if (st != NULL)
    {
      sqlite3_reset (st);
      sqlite3_clear_bindings (st);
      return st;
    }
  if (sqlite3_prepare_v3 (SQ (db)->conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
    {
      fail (db, error, "prepare");
      return NULL;
    }
  g_hash_table_insert (SQ (db)->stmts, (gpointer) sql, st);
  return st;
}

static void
bind_text (sqlite3_stmt *st, int i, const char *v)
{
  if (v == NULL)
    sqlite3_bind_null (st, i);
  else
    sqlite3_bind_text (st, i, v, -1, SQLITE_TRANSIENT);
}

/* Runs a statement that returns no rows. */
static gboolean
run (Db *db, sqlite3_stmt *st, GError **error)
{
  int rc = sqlite3_step (st);
  sqlite3_reset (st);
  if (rc == SQLITE_DONE || rc == SQLITE_ROW)
    return TRUE;
  return fail (db, error, "write");
}

static char *
col_dup (sqlite3_stmt *st, int i)
{
  const unsigned char *t = sqlite3_column_text (st, i);
  return t != NULL ? g_strdup ((const char *) t) : NULL;
}

/* A unit of writing. Inside a batch (db_batch_begin) it is a savepoint of
 * the batch's transaction: it can fail alone, and it is durable when the
 * batch commits. */
static gboolean
begin (Db *db, GError **error)
{
  if (SQ (db)->batch)
    return exec (db, "SAVEPOINT w", error);
  /* IMMEDIATE: take the write lock now, not at the first write, so that
   * two writers never deadlock upgrading their locks. */
  return exec (db, "BEGIN IMMEDIATE", error);
}

static gboolean
commit (Db *db, GError **error)
{
  if (exec (db, SQ (db)->batch ? "RELEASE w" : "COMMIT", error))
    return TRUE;
  exec (db, SQ (db)->batch ? "ROLLBACK TO w; RELEASE w" : "ROLLBACK", NULL);
  return FALSE;
}

static gboolean
rollback (Db *db)
{
  exec (db, SQ (db)->batch ? "ROLLBACK TO w; RELEASE w" : "ROLLBACK", NULL);
  return FALSE;
}

static gboolean
sq_batch_begin (Db *db, GError **error)
{
  g_return_val_if_fail (!SQ (db)->batch, FALSE);
  if (!exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;
  SQ (db)->batch = TRUE;
  return TRUE;
}

static gboolean
sq_batch_commit (Db *db, GError **error)
{
  g_return_val_if_fail (SQ (db)->batch, FALSE);
  SQ (db)->batch = FALSE;
  if (exec (db, "COMMIT", error))
    return TRUE;
  exec (db, "ROLLBACK", NULL);
  return FALSE;
}

static gboolean
sq_in_batch (Db *db)
{
  return SQ (db)->batch;
}

static gboolean
migrate (Db *db, GError **error)
{
  if (!exec (db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                 "version INTEGER PRIMARY KEY, applied BIGINT NOT NULL)",
             error))
    return FALSE;
  sqlite3_stmt *st = stmt (db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", error);
  if (st == NULL)
    return FALSE;
  gint64 have = sqlite3_step (st) == SQLITE_ROW ? sqlite3_column_int64 (st, 0) : 0;
  sqlite3_reset (st);
  if (have > (gint64) db_n_migrations)
    {
      g_set_error (error, DB_ERROR, DB_ERROR_FAILED,
                   "the database is at schema version %" G_GINT64_FORMAT
                   ", newer than this procsim knows (%u)",
                   have, (guint) db_n_migrations);
      return FALSE;
    }
  for (guint v = (guint) have + 1; v <= db_n_migrations; v++)
    {
      if (!begin (db, error))
        return FALSE;
      if (!exec (db, db_migrations[v - 1], error))
        {
          g_prefix_error (error, "migration %u: ", v);
          return rollback (db);
        }
      st = stmt (db, "INSERT INTO schema_migrations (version, applied) VALUES (?, ?)", error);
      if (st == NULL)
        return rollback (db);
      sqlite3_bind_int (st, 1, (int) v);
      sqlite3_bind_int64 (st, 2, g_get_real_time ());
      if (!run (db, st, error) || !commit (db, error))
        return rollback (db);
    }
  return TRUE;
}

static const DbBackend sqlite_db_backend;
static const PsimStoreBackend sqlite_backend;

static void
finalize_stmt (gpointer st)
{
  sqlite3_finalize (st);
}

static void
sq_close (Db *db)
{
  db_clear (db);
  if (SQ (db)->stmts != NULL)
    g_hash_table_unref (SQ (db)->stmts);
  if (SQ (db)->conn != NULL)
    sqlite3_close (SQ (db)->conn);
  g_free (db);
}

Db *
db_sqlite_open (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_mkdir_with_parents (dir, 0700);
  SqliteDb *sq = g_new0 (SqliteDb, 1);
  g_autoptr (Db) db = &sq->base;
  db_init (db, &sqlite_db_backend, &sqlite_backend);
  sq->stmts = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, finalize_stmt);
  if (sqlite3_open_v2 (path, &sq->conn,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL)
      != SQLITE_OK)
    {
      g_set_error (error, DB_ERROR, DB_ERROR_FAILED, "%s: %s", path,
                   sq->conn != NULL ? sqlite3_errmsg (sq->conn) : "out of memory");
      return NULL;
    }
  sqlite3_busy_timeout (sq->conn, 5000);
  /* journal_mode answers with a row: exec ignores it. */
  if (!exec (db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON",
             error)
      || !migrate (db, error))
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }
  return g_steal_pointer (&db);
}

static gboolean
sq_ping (Db *db)
{
  sqlite3_stmt *st = stmt (db, "SELECT 1", NULL);
  if (st == NULL)
    return FALSE;
  gboolean ok = sqlite3_step (st) == SQLITE_ROW;
  sqlite3_reset (st);
  return ok;
}

/* ---- users ---------------------------------------------------------------- */

static guint
sq_count_users (Db *db, GError **error)
{
  sqlite3_stmt *st = stmt (db, "SELECT COUNT(*) FROM users", error);
  if (st == NULL)
    return 0;
  guint n = sqlite3_step (st) == SQLITE_ROW ? (guint) sqlite3_column_int64 (st, 0) : 0;
  sqlite3_reset (st);
  return n;
}

static gboolean
sq_add_user (Db *db, const User *u, GError **error)
{
  sqlite3_stmt *st = stmt (db,
                           "INSERT INTO users (name, role, group_name, lang, pwhash, created) "
                           "VALUES (?, ?, ?, ?, ?, ?)",
                           error);
  if (st == NULL)
    return FALSE;
  bind_text (st, 1, u->name);
  bind_text (st, 2, role_to_string (u->role));
  bind_text (st, 3, u->group);
  bind_text (st, 4, u->lang);
  bind_text (st, 5, u->pwhash);
  sqlite3_bind_int64 (st, 6, g_get_real_time ());
  if (sqlite3_step (st) == SQLITE_DONE)
    {
      sqlite3_reset (st);
      return TRUE;
    }
  gboolean exists = (sqlite3_extended_errcode (SQ (db)->conn) & 0xff) == SQLITE_CONSTRAINT;
  sqlite3_reset (st);
  if (exists)
    g_set_error (error, DB_ERROR, DB_ERROR_EXISTS, "a user '%s' exists already", u->name);
  else
    fail (db, error, "add user");
  return FALSE;
}

static gboolean
sq_add_users (Db *db, GPtrArray *users, GError **error)
{
  if (!begin (db, error))
    return FALSE;
  for (guint i = 0; i < users->len; i++)
    if (!sq_add_user (db, g_ptr_array_index (users, i), error))
      return rollback (db);
  return commit (db, error);
}

#define USER_COLUMNS "users.name, users.role, users.group_name, users.lang, users.pwhash"

static User *
user_from_row (sqlite3_stmt *st)
{
  User *u = g_new0 (User, 1);
  u->name = col_dup (st, 0);
  g_autofree char *role = col_dup (st, 1);
  if (!role_from_string (role, &u->role))
    u->role = ROLE_TRAINEE;
  u->group = col_dup (st, 2);
  u->lang = col_dup (st, 3);
  u->pwhash = col_dup (st, 4);
  return u;
}

static User *
sq_get_user (Db *db, const char *name, GError **error)
{
  sqlite3_stmt *st = stmt (db, "SELECT " USER_COLUMNS " FROM users WHERE name = ?", error);
  if (st == NULL)
    return NULL;
  bind_text (st, 1, name);
  User *u = sqlite3_step (st) == SQLITE_ROW ? user_from_row (st) : NULL;
  sqlite3_reset (st);
  return u;
}

static GPtrArray *
sq_list_users (Db *db, const char *group, GError **error)
{
  sqlite3_stmt *st = stmt (db,
                           "SELECT " USER_COLUMNS " FROM users "
                           "WHERE ? IS NULL OR group_name = ? ORDER BY name",
                           error);
  if (st == NULL)
    return NULL;
  bind_text (st, 1, group);
  bind_text (st, 2, group);
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) user_free);
  while (sqlite3_step (st) == SQLITE_ROW)
    g_ptr_array_add (out, user_from_row (st));
  sqlite3_reset (st);
  return out;
}

static gboolean
sq_set_user_lang (Db *db, const char *name, const char *lang, GError **error)
{
  sqlite3_stmt *st = stmt (db, "UPDATE users SET lang = ? WHERE name = ?", error);
  if (st == NULL)
    return FALSE;
  bind_text (st, 1, lang);
  bind_text (st, 2, name);
  return run (db, st, error);
}

/* ---- tokens ----------------------------------------------------------------- */

static gboolean
sq_add_token (Db *db, const char *hash, const char *user, const char *csrf, gint64 expires,
              GError **error)
{
  sqlite3_stmt *st = stmt (db,
                           "INSERT INTO tokens (hash, user_name, csrf, expires) "
                           "VALUES (?, ?, ?, ?)",
                           error);
  if (st == NULL)
    return FALSE;
  bind_text (st, 1, hash);
  bind_text (st, 2, user);
  bind_text (st, 3, csrf);
  sqlite3_bind_int64 (st, 4, expires);
  return run (db, st, error);
}

static User *
sq_get_token_user (Db *db, const char *hash, gint64 now, char **csrf, GError **error)
{
  sqlite3_stmt *st = stmt (db,
                           "SELECT " USER_COLUMNS ", tokens.csrf FROM tokens "
                           "JOIN users ON users.name = tokens.user_name "
                           "WHERE tokens.hash = ? AND tokens.expires > ?",
                           error);
  if (st == NULL)
    return NULL;
  bind_text (st, 1, hash);
  sqlite3_bind_int64 (st, 2, now);
  User *u = NULL;
  if (sqlite3_step (st) == SQLITE_ROW)
    {
      u = user_from_row (st);
      if (csrf != NULL)
        *csrf = col_dup (st, 5);
    }
  sqlite3_reset (st);
  return u;
}

static gboolean
sq_remove_token (Db *db, const char *hash, GError **error)
{
  sqlite3_stmt *st = stmt (db, "DELETE FROM tokens WHERE hash = ?", error);
  if (st == NULL)
    return FALSE;
  bind_text (st, 1, hash);
  return run (db, st, error);
}

static gboolean
sq_purge_tokens (Db *db, gint64 now, GError **error)
{
  sqlite3_stmt *st = stmt (db, "DELETE FROM tokens WHERE expires <= ?", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, now);
  return run (db, st, error);
}

/* ---- reports ------------------------------------------------------------------ */

static GPtrArray *
sq_list_answer_rows (Db *db, const char *scenario, GError **error)
{
  sqlite3_stmt *st = stmt (db,
                           "SELECT answers.session_id, sessions.user_name, "
                           "COALESCE(answers.question, ''), answers.points, answers.events "
                           "FROM answers JOIN sessions ON sessions.id = answers.session_id "
                           "WHERE sessions.scenario = ? ORDER BY answers.session_id, answers.idx",
                           error);
  if (st == NULL)
    return NULL;
  bind_text (st, 1, scenario);
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  while (sqlite3_step (st) == SQLITE_ROW)
    {
      char **row = g_new0 (char *, 6);
      for (int i = 0; i < 5; i++)
        row[i] = col_dup (st, i);
      if (row[1] == NULL)
        row[1] = g_strdup ("");
      g_ptr_array_add (out, row);
    }
  sqlite3_reset (st);
  return out;
}

/* ---- the scenarios' groups ------------------------------------------------------- */

static GHashTable *
sq_list_scenario_groups (Db *db, GError **error)
{
  sqlite3_stmt *st = stmt (db,
                           "SELECT scenario, group_name FROM scenario_groups "
                           "ORDER BY scenario, group_name",
                           error);
  if (st == NULL)
    return NULL;
  GHashTable *out = db_scenario_groups_new ();
  while (sqlite3_step (st) == SQLITE_ROW)
    db_scenario_groups_add (out, (const char *) sqlite3_column_text (st, 0),
                            (const char *) sqlite3_column_text (st, 1));
  sqlite3_reset (st);
  return out;
}

static gboolean
sq_set_scenario_groups (Db *db, const char *scenario, const char *const *groups,
                        GError **error)
{
  if (!begin (db, error))
    return FALSE;
  sqlite3_stmt *st = stmt (db, "DELETE FROM scenario_groups WHERE scenario = ?", error);
  if (st == NULL)
    return rollback (db);
  bind_text (st, 1, scenario);
  if (!run (db, st, error))
    return rollback (db);
  for (guint i = 0; groups != NULL && groups[i] != NULL; i++)
    {
      st = stmt (db, "INSERT INTO scenario_groups (scenario, group_name) VALUES (?, ?)", error);
      if (st == NULL)
        return rollback (db);
      bind_text (st, 1, scenario);
      bind_text (st, 2, groups[i]);
      if (!run (db, st, error))
        return rollback (db);
    }
  return commit (db, error);
}

/* ---- uploads --------------------------------------------------------------------- */

static gboolean
sq_add_upload (Db *db, const char *const row[7], GError **error)
{
  sqlite3_stmt *st = stmt (db,
                           "INSERT INTO uploads (scenario, scenario_name, scenario_file, "
                           "procedure_name, procedure_file, user_name, uploaded) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?)",
                           error);
  if (st == NULL)
    return FALSE;
  for (int i = 0; i < 6; i++)
    bind_text (st, i + 1, row[i]);
  sqlite3_bind_int64 (st, 7, g_ascii_strtoll (row[6], NULL, 10));
  return run (db, st, error);
}

static gboolean
sq_remove_upload (Db *db, const char *scenario, GError **error)
{
  sqlite3_stmt *st = stmt (db, "DELETE FROM uploads WHERE scenario = ?", error);
  if (st == NULL)
    return FALSE;
  bind_text (st, 1, scenario);
  return run (db, st, error);
}

static GStrv
sq_list_strings (Db *db, const char *sql, GError **error)
{
  sqlite3_stmt *st = stmt (db, sql, error);
  if (st == NULL)
    return NULL;
  g_autoptr (GStrvBuilder) out = g_strv_builder_new ();
  int rc;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    g_strv_builder_add (out, (const char *) sqlite3_column_text (st, 0));
  sqlite3_reset (st);
  if (rc != SQLITE_DONE)
    {
      fail (db, error, "read");
      return NULL;
    }
  return g_strv_builder_end (out);
}

static GStrv
sq_get_upload (Db *db, const char *scenario, GError **error)
{
  sqlite3_stmt *st = stmt (db,
                           "SELECT scenario, scenario_name, scenario_file, "
                           "COALESCE(procedure_name, ''), COALESCE(procedure_file, ''), "
                           "COALESCE(user_name, ''), uploaded FROM uploads WHERE scenario = ?",
                           error);
  if (st == NULL)
    return NULL;
  bind_text (st, 1, scenario);
  GStrv row = NULL;
  if (sqlite3_step (st) == SQLITE_ROW)
    {
      row = g_new0 (char *, 8);
      for (int i = 0; i < 7; i++)
        row[i] = col_dup (st, i);
    }
  sqlite3_reset (st);
  return row;
}

/* ---- the outbox ------------------------------------------------------------------ */

/* One process writes at a time (BEGIN IMMEDIATE): the claim needs no
 * SKIP LOCKED here. */
static GPtrArray *
sq_outbox_claim (Db *db, gint64 now, gint64 lease, guint max, GError **error)
{
  if (!begin (db, error))
    return NULL;
  sqlite3_stmt *st = stmt (db,
                           "SELECT id, body, attempts FROM outbox "
                           "WHERE sent IS NULL AND next_try <= ? ORDER BY seq LIMIT ?",
                           error);
  if (st == NULL)
    {
      rollback (db);
      return NULL;
    }
  sqlite3_bind_int64 (st, 1, now);
  sqlite3_bind_int (st, 2, (int) max);
  g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) outbox_item_free);
  while (sqlite3_step (st) == SQLITE_ROW)
    {
      OutboxItem *item = g_new0 (OutboxItem, 1);
      item->id = col_dup (st, 0);
      item->body = col_dup (st, 1);
      item->attempts = (guint) sqlite3_column_int (st, 2);
      g_ptr_array_add (out, item);
    }
  sqlite3_reset (st);
  for (guint i = 0; i < out->len; i++)
    {
      st = stmt (db, "UPDATE outbox SET next_try = ? WHERE id = ?", error);
      if (st == NULL)
        {
          rollback (db);
          return NULL;
        }
      sqlite3_bind_int64 (st, 1, now + lease);
      bind_text (st, 2, ((OutboxItem *) g_ptr_array_index (out, i))->id);
      if (!run (db, st, error))
        {
          rollback (db);
          return NULL;
        }
    }
  return commit (db, error) ? g_steal_pointer (&out) : NULL;
}

static gboolean
outbox_mark (Db *db, GPtrArray *items, gint64 now, gboolean sent, GError **error)
{
  if (!begin (db, error))
    return FALSE;
  for (guint i = 0; i < items->len; i++)
    {
      const OutboxItem *item = g_ptr_array_index (items, i);
      sqlite3_stmt *st = stmt (db,
                               sent ? "UPDATE outbox SET sent = ? WHERE id = ?"
                                    : "UPDATE outbox SET attempts = attempts + 1, next_try = ? "
                                      "WHERE id = ? AND sent IS NULL",
                               error);
      if (st == NULL)
        return rollback (db);
      sqlite3_bind_int64 (st, 1, sent ? now : now + db_outbox_backoff (item->attempts));
      bind_text (st, 2, item->id);
      if (!run (db, st, error))
        return rollback (db);
    }
  return commit (db, error);
}

static gboolean
sq_outbox_done (Db *db, GPtrArray *items, gint64 now, GError **error)
{
  return outbox_mark (db, items, now, TRUE, error);
}

static gboolean
sq_outbox_retry (Db *db, GPtrArray *items, gint64 now, GError **error)
{
  return outbox_mark (db, items, now, FALSE, error);
}

/* ---- the session store backend ---------------------------------------------- */

/* A store failure, as the store's error, keeping the database's words. */
static gboolean
store_fail (Db *db, GError **error, const char *what)
{
  g_set_error (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_FAILED, "%s: %s", what,
               sqlite3_errmsg (SQ (db)->conn));
  return FALSE;
}

static void
bind_entry (sqlite3_stmt *st, int first, const PsimStoreEntry *e, gint64 updated)
{
  sqlite3_bind_int64 (st, first, updated);
  sqlite3_bind_int (st, first + 1, (int) e->n_answers);
  sqlite3_bind_int (st, first + 2, e->finished ? 1 : 0);
  sqlite3_bind_int (st, first + 3, e->score);
  sqlite3_bind_int (st, first + 4, e->max_score);
  sqlite3_bind_int (st, first + 5, e->passed ? 1 : 0);
}

static gboolean
st_create (gpointer self, const PsimStoreEntry *e, const char *checkpoint, GError **error)
{
  Db *db = self;
  sqlite3_stmt *st = stmt (db,
                           "INSERT INTO sessions (id, user_name, scenario, started, updated, "
                           "n_answers, finished, score, max_score, passed, checkpoint) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           NULL);
  if (st == NULL)
    return store_fail (db, error, "create");
  bind_text (st, 1, e->id);
  bind_text (st, 2, e->actor);
  bind_text (st, 3, e->scenario);
  sqlite3_bind_int64 (st, 4, e->started);
  bind_entry (st, 5, e, g_get_real_time ());
  bind_text (st, 11, checkpoint);
  int rc = sqlite3_step (st);
  gboolean exists = (sqlite3_extended_errcode (SQ (db)->conn) & 0xff) == SQLITE_CONSTRAINT;
  sqlite3_reset (st);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (exists)
    {
      g_set_error (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_EXISTS,
                   "a session '%s' is already kept", e->id);
      return FALSE;
    }
  return store_fail (db, error, "create");
}

/* Adds the statements of answer @a to the outbox, in the answer's
 * transaction, skipping the ids it has. */
static gboolean
outbox_add (Db *db, const PsimStoreAnswer *a, gint64 now)
{
  g_autoptr (GPtrArray) items = db_outbox_items_for (db, a);
  for (guint i = 0; i < items->len; i++)
    {
      const OutboxItem *item = g_ptr_array_index (items, i);
      sqlite3_stmt *st = stmt (db,
                               "INSERT INTO outbox (id, session_id, seq, body, attempts, next_try) "
                               "VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT (id) DO NOTHING",
                               NULL);
      if (st == NULL)
        return FALSE;
      bind_text (st, 1, item->id);
      bind_text (st, 2, a->entry->id);
      sqlite3_bind_int64 (st, 3, now * 1000 + i);
      bind_text (st, 4, item->body);
      sqlite3_bind_int64 (st, 5, now);
      if (!run (db, st, NULL))
        return FALSE;
    }
  return TRUE;
}

static gboolean
st_save_answer (gpointer self, const PsimStoreAnswer *a, GError **error)
{
  Db *db = self;
  gint64 now = g_get_real_time ();
  if (!begin (db, NULL))
    return store_fail (db, error, "begin");
  sqlite3_stmt *ins = stmt (db,
                            "INSERT INTO answers (session_id, idx, point, question, input, "
                            "points, real_ms, events, stored) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            NULL);
  if (ins == NULL)
    {
      store_fail (db, error, "answer");
      return rollback (db);
    }
  bind_text (ins, 1, a->entry->id);
  sqlite3_bind_int (ins, 2, (int) a->index);
  sqlite3_bind_int (ins, 3, (int) a->point);
  bind_text (ins, 4, a->question);
  bind_text (ins, 5, a->input);
  sqlite3_bind_int (ins, 6, a->points);
  sqlite3_bind_int64 (ins, 7, a->real_ms);
  bind_text (ins, 8, a->events);
  sqlite3_bind_int64 (ins, 9, now);
  if (sqlite3_step (ins) != SQLITE_DONE)
    {
      store_fail (db, error, "answer");
      sqlite3_reset (ins);
      return rollback (db);
    }
  sqlite3_reset (ins);
  /* The row's number must follow the stored answers: a second writer that
   * got in between would make this update match nothing. */
  sqlite3_stmt *up = stmt (db,
                           "UPDATE sessions SET updated = ?, n_answers = ?, finished = ?, "
                           "score = ?, max_score = ?, passed = ?, checkpoint = ? "
                           "WHERE id = ? AND n_answers = ?",
                           NULL);
  if (up == NULL)
    {
      store_fail (db, error, "answer");
      return rollback (db);
    }
  bind_entry (up, 1, a->entry, now);
  bind_text (up, 7, a->checkpoint);
  bind_text (up, 8, a->entry->id);
  sqlite3_bind_int (up, 9, (int) a->index);
  if (sqlite3_step (up) != SQLITE_DONE)
    {
      store_fail (db, error, "answer");
      sqlite3_reset (up);
      return rollback (db);
    }
  sqlite3_reset (up);
  if (sqlite3_changes (SQ (db)->conn) != 1)
    {
      g_set_error (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_FAILED,
                   "answer %u of session '%s' does not follow the stored ones", a->index + 1,
                   a->entry->id);
      return rollback (db);
    }
  if (!outbox_add (db, a, now))
    {
      store_fail (db, error, "outbox");
      return rollback (db);
    }
  if (!commit (db, NULL))
    return store_fail (db, error, "commit");
  return TRUE;
}

static char *
st_load (gpointer self, const char *id, GError **error)
{
  Db *db = self;
  sqlite3_stmt *st = stmt (db, "SELECT checkpoint FROM sessions WHERE id = ?", NULL);
  if (st == NULL)
    {
      store_fail (db, error, "load");
      return NULL;
    }
  bind_text (st, 1, id);
  char *cp = sqlite3_step (st) == SQLITE_ROW ? col_dup (st, 0) : NULL;
  sqlite3_reset (st);
  if (cp == NULL)
    db_not_found (id, error);
  return cp;
}

#define ENTRY_COLUMNS \
  "id, user_name, scenario, started, updated, n_answers, finished, score, max_score, passed"

static PsimStoreEntry *
entry_from_row (sqlite3_stmt *st)
{
  PsimStoreEntry *e = g_new0 (PsimStoreEntry, 1);
  e->id = col_dup (st, 0);
  e->actor = col_dup (st, 1);
  e->scenario = col_dup (st, 2);
  e->started = sqlite3_column_int64 (st, 3);
  e->updated = sqlite3_column_int64 (st, 4);
  e->n_answers = (guint) sqlite3_column_int (st, 5);
  e->finished = sqlite3_column_int (st, 6) != 0;
  e->score = sqlite3_column_int (st, 7);
  e->max_score = sqlite3_column_int (st, 8);
  e->passed = sqlite3_column_int (st, 9) != 0;
  return e;
}

static PsimStoreEntry *
st_get_entry (gpointer self, const char *id, GError **error)
{
  Db *db = self;
  sqlite3_stmt *st = stmt (db, "SELECT " ENTRY_COLUMNS " FROM sessions WHERE id = ?", NULL);
  if (st == NULL)
    {
      store_fail (db, error, "load");
      return NULL;
    }
  bind_text (st, 1, id);
  PsimStoreEntry *e = sqlite3_step (st) == SQLITE_ROW ? entry_from_row (st) : NULL;
  sqlite3_reset (st);
  if (e == NULL)
    db_not_found (id, error);
  return e;
}

static GPtrArray *
st_list (gpointer self, const char *actor, GError **error)
{
  Db *db = self;
  sqlite3_stmt *st = stmt (db,
                           "SELECT " ENTRY_COLUMNS " FROM sessions "
                           "WHERE ? IS NULL OR user_name = ? ORDER BY started DESC, id",
                           NULL);
  if (st == NULL)
    {
      store_fail (db, error, "list");
      return NULL;
    }
  bind_text (st, 1, actor);
  bind_text (st, 2, actor);
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) psim_store_entry_free);
  while (sqlite3_step (st) == SQLITE_ROW)
    g_ptr_array_add (out, entry_from_row (st));
  sqlite3_reset (st);
  return out;
}

static gboolean
st_remove (gpointer self, const char *id, GError **error)
{
  Db *db = self;
  static const char *const sql[] = {
    "DELETE FROM answers WHERE session_id = ?",
    "DELETE FROM records WHERE session_id = ?",
    "DELETE FROM sessions WHERE id = ?",
  };
  if (!begin (db, NULL))
    return store_fail (db, error, "begin");
  for (guint i = 0; i < G_N_ELEMENTS (sql); i++)
    {
      sqlite3_stmt *st = stmt (db, sql[i], NULL);
      if (st == NULL)
        {
          store_fail (db, error, "remove");
          return rollback (db);
        }
      bind_text (st, 1, id);
      if (!run (db, st, NULL))
        {
          store_fail (db, error, "remove");
          return rollback (db);
        }
    }
  if (sqlite3_changes (SQ (db)->conn) == 0)
    {
      rollback (db);
      return db_not_found (id, error);
    }
  return commit (db, NULL) ? TRUE : store_fail (db, error, "commit");
}

static gboolean
st_write_records (gpointer self, const char *id, const PsimStoreRecords *r, GError **error)
{
  Db *db = self;
  const char *bodies[] = { r->json, r->xapi, r->xes };
  if (!begin (db, NULL))
    return store_fail (db, error, "begin");
  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      sqlite3_stmt *st = stmt (db,
                               "INSERT INTO records (session_id, kind, body) VALUES (?, ?, ?) "
                               "ON CONFLICT (session_id, kind) DO UPDATE SET body = excluded.body",
                               NULL);
      if (st == NULL)
        {
          store_fail (db, error, "records");
          return rollback (db);
        }
      bind_text (st, 1, id);
      bind_text (st, 2, db_record_kinds[i]);
      bind_text (st, 3, bodies[i]);
      if (!run (db, st, NULL))
        {
          store_fail (db, error, "records");
          return rollback (db);
        }
    }
  sqlite3_stmt *st = stmt (db, "UPDATE sessions SET finished = 1 WHERE id = ?", NULL);
  if (st == NULL || (bind_text (st, 1, id), !run (db, st, NULL)))
    {
      store_fail (db, error, "records");
      return rollback (db);
    }
  if (sqlite3_changes (SQ (db)->conn) == 0)
    {
      rollback (db);
      return db_not_found (id, error);
    }
  return commit (db, NULL) ? TRUE : store_fail (db, error, "commit");
}

static char *
st_load_record (gpointer self, const char *id, PsimStoreRecordKind kind, GError **error)
{
  Db *db = self;
  if ((guint) kind >= G_N_ELEMENTS (db_record_kinds))
    {
      db_not_found (id, error);
      return NULL;
    }
  sqlite3_stmt *st = stmt (db, "SELECT body FROM records WHERE session_id = ? AND kind = ?",
                           NULL);
  if (st == NULL)
    {
      store_fail (db, error, "record");
      return NULL;
    }
  bind_text (st, 1, id);
  bind_text (st, 2, db_record_kinds[kind]);
  char *body = sqlite3_step (st) == SQLITE_ROW ? col_dup (st, 0) : NULL;
  sqlite3_reset (st);
  if (body == NULL)
    g_set_error (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_NOT_FOUND,
                 "session '%s' has no records", id);
  return body;
}

/* A lock is a holder and a deadline on the session's row: a process that
 * dies holding it blocks the session for LOCK_TTL at most. */
#define LOCK_TTL (60 * G_USEC_PER_SEC)

static gboolean
st_lock (gpointer self, const char *id, GError **error)
{
  Db *db = self;
  gint64 now = g_get_real_time ();
  sqlite3_stmt *st = stmt (db,
                           "UPDATE sessions SET lock_holder = ?, lock_until = ? WHERE id = ? "
                           "AND (lock_holder IS NULL OR lock_holder = ? OR lock_until < ?)",
                           NULL);
  if (st == NULL)
    return store_fail (db, error, "lock");
  bind_text (st, 1, db->holder);
  sqlite3_bind_int64 (st, 2, now + LOCK_TTL);
  bind_text (st, 3, id);
  bind_text (st, 4, db->holder);
  sqlite3_bind_int64 (st, 5, now);
  if (!run (db, st, NULL))
    return store_fail (db, error, "lock");
  if (sqlite3_changes (SQ (db)->conn) == 1)
    return TRUE;
  g_autoptr (GError) local = NULL;
  g_autoptr (PsimStoreEntry) e = st_get_entry (db, id, &local);
  if (e == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  g_set_error (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_BUSY,
               "session '%s' is in use elsewhere", id);
  return FALSE;
}

static void
st_unlock (gpointer self, const char *id)
{
  Db *db = self;
  sqlite3_stmt *st = stmt (db,
                           "UPDATE sessions SET lock_holder = NULL, lock_until = NULL "
                           "WHERE id = ? AND lock_holder = ?",
                           NULL);
  if (st == NULL)
    return;
  bind_text (st, 1, id);
  bind_text (st, 2, db->holder);
  run (db, st, NULL);
}

static const PsimStoreBackend sqlite_backend = {
  .create = st_create,
  .save_answer = st_save_answer,
  .load = st_load,
  .get_entry = st_get_entry,
  .list = st_list,
  .remove = st_remove,
  .write_records = st_write_records,
  .load_record = st_load_record,
  .lock = st_lock,
  .unlock = st_unlock,
  .free = NULL, /* the Db owns the connection */
};

static const DbBackend sqlite_db_backend = {
  .name = "sqlite",
  .close = sq_close,
  .ping = sq_ping,
  .count_users = sq_count_users,
  .add_user = sq_add_user,
  .add_users = sq_add_users,
  .get_user = sq_get_user,
  .list_users = sq_list_users,
  .set_user_lang = sq_set_user_lang,
  .add_token = sq_add_token,
  .get_token_user = sq_get_token_user,
  .remove_token = sq_remove_token,
  .purge_tokens = sq_purge_tokens,
  .list_answer_rows = sq_list_answer_rows,
  .list_scenario_groups = sq_list_scenario_groups,
  .set_scenario_groups = sq_set_scenario_groups,
  .add_upload = sq_add_upload,
  .remove_upload = sq_remove_upload,
  .list_strings = sq_list_strings,
  .get_upload = sq_get_upload,
  .batch_begin = sq_batch_begin,
  .batch_commit = sq_batch_commit,
  .in_batch = sq_in_batch,
  .outbox_claim = sq_outbox_claim,
  .outbox_done = sq_outbox_done,
  .outbox_retry = sq_outbox_retry,
};
