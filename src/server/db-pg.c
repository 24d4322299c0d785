/* db-pg.c — the server's database on PostgreSQL (db.h), through libpq.
 *
 * Why PostgreSQL beside SQLite: one SQLite file serves one process; many
 * `procsim serve` processes on several machines share one PostgreSQL (an
 * existing, replicated engine), and any of them may take a trainee's next
 * request: everything another server would need is in the database.
 *
 * Connections: a pool per process (PgDb), opened as needed up to
 * POOL_MAX and kept; a request takes one for one statement or one
 * transaction and gives it back. The pool is thread-safe, though the
 * server calls it from its main loop's thread. A connection found broken
 * (the database restarted, the network cut) is dropped, and the statement
 * or the whole transaction is tried once more on a new one; when that
 * fails too the caller gets the error (the server answers 503, and the
 * client tries again later).
 *
 * Statements are prepared once per connection (PQprepare, named after
 * their SQL text's address, as db-sqlite.c keys its statements) and run
 * with PQexecPrepared; every value travels as a parameter, never in the
 * SQL text. Every function that writes more than one row does so in one
 * transaction: an answer's row, its session's checkpoint and summary
 * commit together or not at all, before the reply is sent (the server's
 * synchronous_commit, on by default, makes that durable).
 *
 * The schema is db.c's (db_migrations), applied at open under an advisory
 * lock, so that servers starting together migrate once.
 */
#include "db-backend.h"

#include <libpq-fe.h>
#include <string.h>

/* Connections per process: the main loop uses one at a time; the rest
 * serve threads (and a second request while one waits). */
#define POOL_MAX 4
/* How long a request waits for a connection of a full pool. */
#define POOL_WAIT (10 * G_TIME_SPAN_SECOND)
/* The advisory lock key that serialises migrations ("psim"). */
#define MIGRATION_LOCK "1886611821"

typedef struct {
  PGconn *conn;
  GHashTable *prepared; /* SQL text (static) → its statement's name */
} PgConn;

typedef struct {
  Db base;
  char *conninfo;
  GMutex lock;
  GCond freed;
  GQueue idle; /* PgConn* */
  guint open;  /* connections open, idle or taken */
  gboolean batch;
} PgDb;

#define PG(db) ((PgDb *) (db))

static const DbBackend pg_db_backend;
static const PsimStoreBackend pg_store_backend;

/* ---- connections ------------------------------------------------------------------- */

static void
conn_free (PgConn *c)
{
  if (c == NULL)
    return;
  if (c->conn != NULL)
    PQfinish (c->conn);
  g_hash_table_unref (c->prepared);
  g_free (c);
}

/* The database's notices and warnings ("terminating connection due to
 * administrator command") are for debugging, not for the server's output:
 * what matters reaches the caller as an error. */
static void
on_notice (void *data, const char *message)
{
  g_debug ("PostgreSQL: %s", message);
}

static PgConn *
conn_new (const char *conninfo, GError **error)
{
  /* Defaults first, so that the URI's own settings override them. */
  const char *const keys[] = { "connect_timeout", "application_name", "dbname", NULL };
  const char *const values[] = { "5", "procsim", conninfo, NULL };
  PgConn *c = g_new0 (PgConn, 1);
  c->prepared = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  c->conn = PQconnectdbParams (keys, values, 1);
  if (c->conn == NULL || PQstatus (c->conn) != CONNECTION_OK)
    {
      g_autofree char *msg = g_strdup (c->conn != NULL ? PQerrorMessage (c->conn)
                                                        : "out of memory");
      g_set_error (error, DB_ERROR, DB_ERROR_FAILED, "PostgreSQL: %s", g_strstrip (msg));
      conn_free (c);
      return NULL;
    }
  PQsetClientEncoding (c->conn, "UTF8");
  PQsetNoticeProcessor (c->conn, on_notice, NULL);
  /* A statement that waits on a row lock or runs away fails rather than
   * holding a trainee's request for ever; notices ("already exists,
   * skipping") are not for the server's output. */
  PGresult *r = PQexec (c->conn, "SET statement_timeout = 10000; SET lock_timeout = 5000; "
                                 "SET client_min_messages = warning");
  PQclear (r);
  return c;
}

/* A connection from the pool, or a new one. (transfer full): give it back
 * with give (). NULL with @error when none can be had. */
static PgConn *
take (Db *db, GError **error)
{
  PgDb *pg = PG (db);
  gint64 deadline = g_get_monotonic_time () + POOL_WAIT;
  g_mutex_lock (&pg->lock);
  for (;;)
    {
      PgConn *c = g_queue_pop_head (&pg->idle);
      if (c != NULL)
        {
          g_mutex_unlock (&pg->lock);
          return c;
        }
      if (pg->open < POOL_MAX)
        break;
      if (!g_cond_wait_until (&pg->freed, &pg->lock, deadline))
        {
          g_mutex_unlock (&pg->lock);
          g_set_error (error, DB_ERROR, DB_ERROR_FAILED,
                       "PostgreSQL: every connection of the pool is busy");
          return NULL;
        }
    }
  pg->open++;
  g_mutex_unlock (&pg->lock);
  PgConn *c = conn_new (pg->conninfo, error);
  if (c == NULL)
    {
      g_mutex_lock (&pg->lock);
      pg->open--;
      g_cond_signal (&pg->freed);
      g_mutex_unlock (&pg->lock);
    }
  return c;
}

/* Gives @c back to the pool; a broken connection, or one left inside a
 * transaction, is closed instead. */
static void
give (Db *db, PgConn *c)
{
  PgDb *pg = PG (db);
  gboolean keep = PQstatus (c->conn) == CONNECTION_OK
                  && PQtransactionStatus (c->conn) == PQTRANS_IDLE;
  if (!keep)
    conn_free (c);
  g_mutex_lock (&pg->lock);
  if (keep)
    g_queue_push_head (&pg->idle, c);
  else
    pg->open--;
  g_cond_signal (&pg->freed);
  g_mutex_unlock (&pg->lock);
}

/* TRUE when @c's connection is gone: worth one more try on a new one. */
static gboolean
lost (PgConn *c)
{
  return PQstatus (c->conn) != CONNECTION_OK;
}

/* ---- statements ----------------------------------------------------------------------- */

/* Sets @error from a failed result (NULL: from the connection). */
static void
set_error (PgConn *c, PGresult *r, GError **error)
{
  const char *state = r != NULL ? PQresultErrorField (r, PG_DIAG_SQLSTATE) : NULL;
  g_autofree char *msg = g_strdup (r != NULL ? PQresultErrorMessage (r)
                                             : PQerrorMessage (c->conn));
  g_set_error (error, DB_ERROR,
               g_strcmp0 (state, "23505") == 0 ? DB_ERROR_EXISTS : DB_ERROR_FAILED,
               "PostgreSQL: %s", g_strstrip (msg));
}

/* Runs the prepared statement of @sql (a string literal: its address
 * names it) with @n text parameters (NULL for SQL NULL). (transfer full)
 * The result, or NULL with @error. */
static PGresult *
exec_params (PgConn *c, const char *sql, int n, const char *const *values, GError **error)
{
  const char *name = g_hash_table_lookup (c->prepared, sql);
  if (name == NULL)
    {
      char *fresh = g_strdup_printf ("psim%u", g_hash_table_size (c->prepared));
      PGresult *r = PQprepare (c->conn, fresh, sql, n, NULL);
      if (PQresultStatus (r) != PGRES_COMMAND_OK)
        {
          set_error (c, r, error);
          PQclear (r);
          g_free (fresh);
          return NULL;
        }
      PQclear (r);
      g_hash_table_insert (c->prepared, (gpointer) sql, fresh);
      name = fresh;
    }
  PGresult *r = PQexecPrepared (c->conn, name, n, values, NULL, NULL, 0);
  ExecStatusType st = PQresultStatus (r);
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
    return r;
  set_error (c, r, error);
  PQclear (r);
  return NULL;
}

/* exec_params for a statement whose result is not read: TRUE when it ran. */
static gboolean
run_on (PgConn *c, const char *sql, int n, const char *const *values, GError **error)
{
  PGresult *r = exec_params (c, sql, n, values, error);
  if (r == NULL)
    return FALSE;
  PQclear (r);
  return TRUE;
}

/* Runs @sql without parameters (BEGIN, COMMIT, migrations). */
static gboolean
exec_simple (PgConn *c, const char *sql, GError **error)
{
  PGresult *r = PQexec (c->conn, sql);
  gboolean ok = PQresultStatus (r) == PGRES_COMMAND_OK || PQresultStatus (r) == PGRES_TUPLES_OK;
  if (!ok)
    set_error (c, r, error);
  PQclear (r);
  return ok;
}

/* One statement on a connection of the pool, tried once more on a new
 * connection when the first was lost. (transfer full) */
static PGresult *
query (Db *db, const char *sql, int n, const char *const *values, GError **error)
{
  for (int attempt = 0;; attempt++)
    {
      PgConn *c = take (db, error);
      if (c == NULL)
        return NULL;
      g_autoptr (GError) local = NULL;
      PGresult *r = exec_params (c, sql, n, values, &local);
      gboolean retry = r == NULL && lost (c) && attempt == 0;
      give (db, c);
      if (r != NULL)
        return r;
      if (!retry)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
    }
}

/* Runs a statement that returns no rows; the number of rows it changed in
 * *changed when not NULL. */
static gboolean
command (Db *db, const char *sql, int n, const char *const *values, guint *changed,
         GError **error)
{
  PGresult *r = query (db, sql, n, values, error);
  if (r == NULL)
    return FALSE;
  if (changed != NULL)
    *changed = (guint) g_ascii_strtoull (PQcmdTuples (r), NULL, 10);
  PQclear (r);
  return TRUE;
}

/* A transaction's body: its statements on @c, FALSE with @error to roll
 * back. */
typedef gboolean (*TxFunc) (PgConn *c, gpointer data, GError **error);

/* Runs @body between BEGIN and COMMIT on one connection; rolls back when
 * it fails. When the connection is lost before the commit is known, the
 * whole transaction is tried once more on a new connection (a body that
 * had committed makes its second try fail on its keys, not repeat). */
static gboolean
transact (Db *db, TxFunc body, gpointer data, GError **error)
{
  for (int attempt = 0;; attempt++)
    {
      PgConn *c = take (db, error);
      if (c == NULL)
        return FALSE;
      g_autoptr (GError) local = NULL;
      gboolean ok = exec_simple (c, "BEGIN", &local) && body (c, data, &local)
                    && exec_simple (c, "COMMIT", &local);
      if (!ok && !lost (c))
        exec_simple (c, "ROLLBACK", NULL);
      gboolean retry = !ok && lost (c) && attempt == 0;
      give (db, c);
      if (ok)
        return TRUE;
      if (!retry)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
    }
}

/* Text of integers for parameters: kept until the call's end. */
typedef struct {
  char buf[8][24];
  guint n;
} Nums;

static const char *
num (Nums *nums, gint64 v)
{
  g_assert (nums->n < G_N_ELEMENTS (nums->buf));
  char *b = nums->buf[nums->n++];
  g_snprintf (b, sizeof nums->buf[0], "%" G_GINT64_FORMAT, v);
  return b;
}

static char *
col_dup (PGresult *r, int row, int col)
{
  return PQgetisnull (r, row, col) ? NULL : g_strdup (PQgetvalue (r, row, col));
}

static gint64
col_int (PGresult *r, int row, int col)
{
  return g_ascii_strtoll (PQgetvalue (r, row, col), NULL, 10);
}

/* ---- open, close, migrations ---------------------------------------------------------- */

static gboolean
migrate_tx (PgConn *c, gpointer data, GError **error)
{
  if (!exec_simple (c, "SELECT pg_advisory_xact_lock(" MIGRATION_LOCK ")", error)
      || !exec_simple (c, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                          "version INTEGER PRIMARY KEY, applied BIGINT NOT NULL)",
                       error))
    return FALSE;
  PGresult *r = exec_params (c, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", 0,
                             NULL, error);
  if (r == NULL)
    return FALSE;
  gint64 have = col_int (r, 0, 0);
  PQclear (r);
  if (have > (gint64) db_n_migrations)
    {
      g_set_error (error, DB_ERROR, DB_ERROR_FAILED,
                   "the database is at schema version %" G_GINT64_FORMAT
                   ", newer than this procsim knows (%u)",
                   have, db_n_migrations);
      return FALSE;
    }
  for (guint v = (guint) have + 1; v <= db_n_migrations; v++)
    {
      if (!exec_simple (c, db_migrations[v - 1], error))
        {
          g_prefix_error (error, "migration %u: ", v);
          return FALSE;
        }
      Nums nums = { 0 };
      const char *values[] = { num (&nums, v), num (&nums, g_get_real_time ()) };
      if (!run_on (c, "INSERT INTO schema_migrations (version, applied) VALUES ($1, $2)", 2,
                   values, error))
        return FALSE;
    }
  return TRUE;
}

static void
pg_close (Db *db)
{
  PgDb *pg = PG (db);
  db_clear (db);
  g_queue_clear_full (&pg->idle, (GDestroyNotify) conn_free);
  g_mutex_clear (&pg->lock);
  g_cond_clear (&pg->freed);
  g_free (pg->conninfo);
  g_free (pg);
}

Db *
db_pg_open (const char *conninfo, GError **error)
{
  PgDb *pg = g_new0 (PgDb, 1);
  g_autoptr (Db) db = &pg->base;
  g_mutex_init (&pg->lock);
  g_cond_init (&pg->freed);
  g_queue_init (&pg->idle);
  pg->conninfo = g_strdup (conninfo);
  db_init (db, &pg_db_backend, &pg_store_backend);
  if (!transact (db, migrate_tx, NULL, error))
    return NULL;
  return g_steal_pointer (&db);
}

/* Group commit: not yet on PostgreSQL. Every write has committed by the
 * time it returns, which is what a batch promises at its end; a batch
 * here groups nothing. */
static gboolean
pg_batch_begin (Db *db, GError **error)
{
  PG (db)->batch = TRUE;
  return TRUE;
}

static gboolean
pg_batch_commit (Db *db, GError **error)
{
  PG (db)->batch = FALSE;
  return TRUE;
}

static gboolean
pg_in_batch (Db *db)
{
  return PG (db)->batch;
}

static gboolean
pg_ping (Db *db)
{
  PGresult *r = query (db, "SELECT 1", 0, NULL, NULL);
  PQclear (r);
  return r != NULL;
}

/* ---- users ------------------------------------------------------------------------------ */

static guint
pg_count_users (Db *db, GError **error)
{
  PGresult *r = query (db, "SELECT COUNT(*) FROM users", 0, NULL, error);
  if (r == NULL)
    return 0;
  guint n = (guint) col_int (r, 0, 0);
  PQclear (r);
  return n;
}

#define ADD_USER_SQL \
  "INSERT INTO users (name, role, group_name, lang, pwhash, created) " \
  "VALUES ($1, $2, $3, $4, $5, $6)"

static gboolean
add_user_on (PgConn *c, const User *u, GError **error)
{
  Nums nums = { 0 };
  const char *values[] = { u->name, role_to_string (u->role), u->group, u->lang, u->pwhash,
                           num (&nums, g_get_real_time ()) };
  g_autoptr (GError) local = NULL;
  if (run_on (c, ADD_USER_SQL, 6, values, &local))
    return TRUE;
  if (g_error_matches (local, DB_ERROR, DB_ERROR_EXISTS))
    g_set_error (error, DB_ERROR, DB_ERROR_EXISTS, "a user '%s' exists already", u->name);
  else
    g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

static gboolean
add_users_tx (PgConn *c, gpointer data, GError **error)
{
  GPtrArray *users = data;
  for (guint i = 0; i < users->len; i++)
    if (!add_user_on (c, g_ptr_array_index (users, i), error))
      return FALSE;
  return TRUE;
}

static gboolean
pg_add_user (Db *db, const User *u, GError **error)
{
  g_autoptr (GPtrArray) one = g_ptr_array_new ();
  g_ptr_array_add (one, (gpointer) u);
  return transact (db, add_users_tx, one, error);
}

static gboolean
pg_add_users (Db *db, GPtrArray *users, GError **error)
{
  return transact (db, add_users_tx, users, error);
}

#define USER_COLUMNS "users.name, users.role, users.group_name, users.lang, users.pwhash"

static User *
user_from_row (PGresult *r, int row)
{
  User *u = g_new0 (User, 1);
  u->name = col_dup (r, row, 0);
  g_autofree char *role = col_dup (r, row, 1);
  if (!role_from_string (role, &u->role))
    u->role = ROLE_TRAINEE;
  u->group = col_dup (r, row, 2);
  u->lang = col_dup (r, row, 3);
  u->pwhash = col_dup (r, row, 4);
  return u;
}

static User *
pg_get_user (Db *db, const char *name, GError **error)
{
  const char *values[] = { name };
  PGresult *r = query (db, "SELECT " USER_COLUMNS " FROM users WHERE name = $1", 1, values,
                       error);
  if (r == NULL)
    return NULL;
  User *u = PQntuples (r) > 0 ? user_from_row (r, 0) : NULL;
  PQclear (r);
  return u;
}

static GPtrArray *
pg_list_users (Db *db, const char *group, GError **error)
{
  const char *values[] = { group };
  PGresult *r = query (db,
                       "SELECT " USER_COLUMNS " FROM users "
                       "WHERE $1::text IS NULL OR group_name = $1 ORDER BY name",
                       1, values, error);
  if (r == NULL)
    return NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) user_free);
  for (int i = 0; i < PQntuples (r); i++)
    g_ptr_array_add (out, user_from_row (r, i));
  PQclear (r);
  return out;
}

static gboolean
pg_set_user_lang (Db *db, const char *name, const char *lang, GError **error)
{
  const char *values[] = { lang, name };
  return command (db, "UPDATE users SET lang = $1 WHERE name = $2", 2, values, NULL, error);
}

/* ---- tokens ------------------------------------------------------------------------------- */

static gboolean
pg_add_token (Db *db, const char *hash, const char *user, const char *csrf, gint64 expires,
              GError **error)
{
  Nums nums = { 0 };
  const char *values[] = { hash, user, csrf, num (&nums, expires) };
  return command (db,
                  "INSERT INTO tokens (hash, user_name, csrf, expires) VALUES ($1, $2, $3, $4)",
                  4, values, NULL, error);
}

static User *
pg_get_token_user (Db *db, const char *hash, gint64 now, char **csrf, GError **error)
{
  Nums nums = { 0 };
  const char *values[] = { hash, num (&nums, now) };
  PGresult *r = query (db,
                       "SELECT " USER_COLUMNS ", tokens.csrf FROM tokens "
                       "JOIN users ON users.name = tokens.user_name "
                       "WHERE tokens.hash = $1 AND tokens.expires > $2",
                       2, values, error);
  if (r == NULL)
    return NULL;
  User *u = NULL;
  if (PQntuples (r) > 0)
    {
      u = user_from_row (r, 0);
      if (csrf != NULL)
        *csrf = col_dup (r, 0, 5);
    }
  PQclear (r);
  return u;
}

static gboolean
pg_remove_token (Db *db, const char *hash, GError **error)
{
  const char *values[] = { hash };
  return command (db, "DELETE FROM tokens WHERE hash = $1", 1, values, NULL, error);
}

static gboolean
pg_purge_tokens (Db *db, gint64 now, GError **error)
{
  Nums nums = { 0 };
  const char *values[] = { num (&nums, now) };
  return command (db, "DELETE FROM tokens WHERE expires <= $1", 1, values, NULL, error);
}

/* ---- reports ---------------------------------------------------------------------------------- */

static GPtrArray *
pg_list_answer_rows (Db *db, const char *scenario, GError **error)
{
  const char *values[] = { scenario };
  PGresult *r = query (db,
                       "SELECT answers.session_id, sessions.user_name, "
                       "COALESCE(answers.question, ''), answers.points, answers.events "
                       "FROM answers JOIN sessions ON sessions.id = answers.session_id "
                       "WHERE sessions.scenario = $1 ORDER BY answers.session_id, answers.idx",
                       1, values, error);
  if (r == NULL)
    return NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  for (int i = 0; i < PQntuples (r); i++)
    {
      char **row = g_new0 (char *, 6);
      for (int k = 0; k < 5; k++)
        row[k] = col_dup (r, i, k);
      if (row[1] == NULL)
        row[1] = g_strdup ("");
      g_ptr_array_add (out, row);
    }
  PQclear (r);
  return out;
}

/* ---- the scenarios' groups ------------------------------------------------------------------ */

static GHashTable *
pg_list_scenario_groups (Db *db, GError **error)
{
  PGresult *r = query (db,
                       "SELECT scenario, group_name FROM scenario_groups "
                       "ORDER BY scenario, group_name",
                       0, NULL, error);
  if (r == NULL)
    return NULL;
  GHashTable *out = db_scenario_groups_new ();
  for (int i = 0; i < PQntuples (r); i++)
    db_scenario_groups_add (out, PQgetvalue (r, i, 0), PQgetvalue (r, i, 1));
  PQclear (r);
  return out;
}

typedef struct {
  const char *scenario;
  const char *const *groups;
} ScenarioGroups;

static gboolean
set_scenario_groups_tx (PgConn *c, gpointer data, GError **error)
{
  ScenarioGroups *sg = data;
  const char *values[] = { sg->scenario, NULL };
  if (!run_on (c, "DELETE FROM scenario_groups WHERE scenario = $1", 1, values, error))
    return FALSE;
  for (guint i = 0; sg->groups != NULL && sg->groups[i] != NULL; i++)
    {
      values[1] = sg->groups[i];
      if (!run_on (c, "INSERT INTO scenario_groups (scenario, group_name) VALUES ($1, $2)",
                   2, values, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
pg_set_scenario_groups (Db *db, const char *scenario, const char *const *groups,
                        GError **error)
{
  ScenarioGroups sg = { scenario, groups };
  return transact (db, set_scenario_groups_tx, &sg, error);
}

/* ---- uploads ---------------------------------------------------------------------------------- */

static gboolean
pg_add_upload (Db *db, const char *const row[7], GError **error)
{
  return command (db,
                  "INSERT INTO uploads (scenario, scenario_name, scenario_file, procedure_name, "
                  "procedure_file, user_name, uploaded) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                  7, row, NULL, error);
}

static gboolean
pg_remove_upload (Db *db, const char *scenario, GError **error)
{
  const char *values[] = { scenario };
  return command (db, "DELETE FROM uploads WHERE scenario = $1", 1, values, NULL, error);
}

static GStrv
pg_list_strings (Db *db, const char *sql, GError **error)
{
  PGresult *r = query (db, sql, 0, NULL, error);
  if (r == NULL)
    return NULL;
  g_autoptr (GStrvBuilder) out = g_strv_builder_new ();
  for (int i = 0; i < PQntuples (r); i++)
    g_strv_builder_add (out, PQgetvalue (r, i, 0));
  PQclear (r);
  return g_strv_builder_end (out);
}

static GStrv
pg_get_upload (Db *db, const char *scenario, GError **error)
{
  const char *values[] = { scenario };
  PGresult *r = query (db,
                       "SELECT scenario, scenario_name, scenario_file, "
                       "COALESCE(procedure_name, ''), COALESCE(procedure_file, ''), "
                       "COALESCE(user_name, ''), uploaded FROM uploads WHERE scenario = $1",
                       1, values, error);
  if (r == NULL)
    return NULL;
  GStrv row = NULL;
  if (PQntuples (r) > 0)
    {
      row = g_new0 (char *, 8);
      for (int i = 0; i < 7; i++)
        row[i] = g_strdup (PQgetvalue (r, 0, i));
    }
  PQclear (r);
  return row;
}

/* ---- the outbox ------------------------------------------------------------------------------ */

static GPtrArray *
pg_outbox_claim (Db *db, gint64 now, gint64 lease, guint max, GError **error)
{
  Nums nums = { 0 };
  const char *values[] = { num (&nums, now + lease), num (&nums, now), num (&nums, max) };
  /* SKIP LOCKED: rows another server is claiming at this moment are left
   * to it rather than waited for; the lease keeps them from the others
   * until it has sent them or failed. */
  PGresult *r = query (db,
                       "UPDATE outbox SET next_try = $1 WHERE id IN ("
                       "SELECT id FROM outbox WHERE sent IS NULL AND next_try <= $2 "
                       "ORDER BY seq LIMIT $3 FOR UPDATE SKIP LOCKED) "
                       "RETURNING id, body, attempts",
                       3, values, error);
  if (r == NULL)
    return NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) outbox_item_free);
  for (int i = 0; i < PQntuples (r); i++)
    {
      OutboxItem *item = g_new0 (OutboxItem, 1);
      item->id = col_dup (r, i, 0);
      item->body = col_dup (r, i, 1);
      item->attempts = (guint) col_int (r, i, 2);
      g_ptr_array_add (out, item);
    }
  PQclear (r);
  return out;
}

typedef struct {
  GPtrArray *items;
  gint64 now;
  gboolean sent; /* done, else retry */
} OutboxMark;

static gboolean
outbox_mark_tx (PgConn *c, gpointer data, GError **error)
{
  const OutboxMark *m = data;
  for (guint i = 0; i < m->items->len; i++)
    {
      const OutboxItem *item = g_ptr_array_index (m->items, i);
      Nums nums = { 0 };
      const char *values[] = { m->sent ? num (&nums, m->now)
                                       : num (&nums, m->now + db_outbox_backoff (item->attempts)),
                               item->id };
      if (!run_on (c,
                   m->sent ? "UPDATE outbox SET sent = $1 WHERE id = $2"
                           : "UPDATE outbox SET attempts = attempts + 1, "
                             "next_try = $1 WHERE id = $2 AND sent IS NULL",
                   2, values, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
pg_outbox_done (Db *db, GPtrArray *items, gint64 now, GError **error)
{
  OutboxMark m = { items, now, TRUE };
  return transact (db, outbox_mark_tx, &m, error);
}

static gboolean
pg_outbox_retry (Db *db, GPtrArray *items, gint64 now, GError **error)
{
  OutboxMark m = { items, now, FALSE };
  return transact (db, outbox_mark_tx, &m, error);
}

/* ---- the session store backend ----------------------------------------------------------------- */

/* A database error @local as the store's error. */
static gboolean
store_fail (GError *local, GError **error, const char *what)
{
  g_set_error (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_FAILED, "%s: %s", what,
               local != NULL ? local->message : "?");
  return FALSE;
}

static gboolean
st_create (gpointer self, const PsimStoreEntry *e, const char *checkpoint, GError **error)
{
  Nums nums = { 0 };
  const char *values[] = { e->id,
                           e->actor,
                           e->scenario,
                           num (&nums, e->started),
                           num (&nums, g_get_real_time ()),
                           num (&nums, e->n_answers),
                           num (&nums, e->finished ? 1 : 0),
                           num (&nums, e->score),
                           num (&nums, e->max_score),
                           num (&nums, e->passed ? 1 : 0),
                           checkpoint };
  g_autoptr (GError) local = NULL;
  if (command (self,
               "INSERT INTO sessions (id, user_name, scenario, started, updated, n_answers, "
               "finished, score, max_score, passed, checkpoint) "
               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
               11, values, NULL, &local))
    return TRUE;
  if (g_error_matches (local, DB_ERROR, DB_ERROR_EXISTS))
    {
      g_set_error (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_EXISTS,
                   "a session '%s' is already kept", e->id);
      return FALSE;
    }
  return store_fail (local, error, "create");
}

typedef struct {
  const PsimStoreAnswer *answer;
  GPtrArray *statements; /* OutboxItem*: the outbox rows it adds */
} AnswerWrite;

/* Adds @items of session @session to the outbox, skipping the ids it has
 * (the statements of earlier answers). */
static gboolean
outbox_add (PgConn *c, const char *session, GPtrArray *items, gint64 now, GError **error)
{
  for (guint i = 0; i < items->len; i++)
    {
      const OutboxItem *item = g_ptr_array_index (items, i);
      Nums nums = { 0 };
      const char *values[] = { item->id, session, num (&nums, now * 1000 + i), item->body,
                               num (&nums, now) };
      if (!run_on (c,
                   "INSERT INTO outbox (id, session_id, seq, body, attempts, "
                   "next_try) VALUES ($1, $2, $3, $4, 0, $5) "
                   "ON CONFLICT (id) DO NOTHING",
                   5, values, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
save_answer_tx (PgConn *c, gpointer data, GError **error)
{
  const AnswerWrite *w = data;
  const PsimStoreAnswer *a = w->answer;
  const PsimStoreEntry *e = a->entry;
  gint64 now = g_get_real_time ();
  Nums nums = { 0 };
  const char *row[] = { e->id,
                        num (&nums, a->index),
                        num (&nums, a->point),
                        a->question,
                        a->input,
                        num (&nums, a->points),
                        num (&nums, a->real_ms),
                        a->events,
                        num (&nums, now) };
  if (!run_on (c,
               "INSERT INTO answers (session_id, idx, point, question, input, "
               "points, real_ms, events, stored) "
               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
               9, row, error))
    return FALSE;
  /* The row's number must follow the stored answers: another server that
   * stored this answer first makes the insert above fail on its key, or
   * this update match nothing. */
  Nums more = { 0 };
  const char *summary[] = { num (&more, now),
                            num (&more, e->n_answers),
                            num (&more, e->finished ? 1 : 0),
                            num (&more, e->score),
                            num (&more, e->max_score),
                            num (&more, e->passed ? 1 : 0),
                            a->checkpoint,
                            e->id,
                            num (&more, a->index) };
  PGresult *r = exec_params (c,
                             "UPDATE sessions SET updated = $1, n_answers = $2, finished = $3, "
                             "score = $4, max_score = $5, passed = $6, checkpoint = $7 "
                             "WHERE id = $8 AND n_answers = $9",
                             9, summary, error);
  if (r == NULL)
    return FALSE;
  gboolean one = strcmp (PQcmdTuples (r), "1") == 0;
  PQclear (r);
  if (!one)
    {
      g_set_error (error, DB_ERROR, DB_ERROR_FAILED,
                   "answer %u of session '%s' does not follow the stored ones", a->index + 1,
                   e->id);
      return FALSE;
    }
  return outbox_add (c, e->id, w->statements, now, error);
}

static gboolean
st_save_answer (gpointer self, const PsimStoreAnswer *a, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (GPtrArray) statements = db_outbox_items_for (self, a);
  AnswerWrite w = { a, statements };
  if (transact (self, save_answer_tx, &w, &local))
    return TRUE;
  return store_fail (local, error, "answer");
}

static char *
st_load (gpointer self, const char *id, GError **error)
{
  g_autoptr (GError) local = NULL;
  const char *values[] = { id };
  PGresult *r = query (self, "SELECT checkpoint FROM sessions WHERE id = $1", 1, values, &local);
  if (r == NULL)
    {
      store_fail (local, error, "load");
      return NULL;
    }
  char *cp = PQntuples (r) > 0 ? col_dup (r, 0, 0) : NULL;
  PQclear (r);
  if (cp == NULL)
    db_not_found (id, error);
  return cp;
}

#define ENTRY_COLUMNS \
  "id, user_name, scenario, started, updated, n_answers, finished, score, max_score, passed"

static PsimStoreEntry *
entry_from_row (PGresult *r, int row)
{
  PsimStoreEntry *e = g_new0 (PsimStoreEntry, 1);
  e->id = col_dup (r, row, 0);
  e->actor = col_dup (r, row, 1);
  e->scenario = col_dup (r, row, 2);
  e->started = col_int (r, row, 3);
  e->updated = col_int (r, row, 4);
  e->n_answers = (guint) col_int (r, row, 5);
  e->finished = col_int (r, row, 6) != 0;
  e->score = (int) col_int (r, row, 7);
  e->max_score = (int) col_int (r, row, 8);
  e->passed = col_int (r, row, 9) != 0;
  return e;
}

static PsimStoreEntry *
st_get_entry (gpointer self, const char *id, GError **error)
{
  g_autoptr (GError) local = NULL;
  const char *values[] = { id };
  PGresult *r = query (self, "SELECT " ENTRY_COLUMNS " FROM sessions WHERE id = $1", 1, values,
                       &local);
  if (r == NULL)
    {
      store_fail (local, error, "load");
      return NULL;
    }
  PsimStoreEntry *e = PQntuples (r) > 0 ? entry_from_row (r, 0) : NULL;
  PQclear (r);
  if (e == NULL)
    db_not_found (id, error);
  return e;
}

static GPtrArray *
st_list (gpointer self, const char *actor, GError **error)
{
  g_autoptr (GError) local = NULL;
  const char *values[] = { actor };
  PGresult *r = query (self,
                       "SELECT " ENTRY_COLUMNS " FROM sessions "
                       "WHERE $1::text IS NULL OR user_name = $1 ORDER BY started DESC, id",
                       1, values, &local);
  if (r == NULL)
    {
      store_fail (local, error, "list");
      return NULL;
    }
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) psim_store_entry_free);
  for (int i = 0; i < PQntuples (r); i++)
    g_ptr_array_add (out, entry_from_row (r, i));
  PQclear (r);
  return out;
}

static gboolean
remove_tx (PgConn *c, gpointer data, GError **error)
{
  static const char *const sql[] = {
    "DELETE FROM answers WHERE session_id = $1",
    "DELETE FROM records WHERE session_id = $1",
    "DELETE FROM sessions WHERE id = $1",
  };
  const char *values[] = { data };
  gboolean gone = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (sql); i++)
    {
      PGresult *r = exec_params (c, sql[i], 1, values, error);
      if (r == NULL)
        return FALSE;
      gone = strcmp (PQcmdTuples (r), "0") != 0;
      PQclear (r);
    }
  if (!gone)
    return db_not_found (data, error);
  return TRUE;
}

static gboolean
st_remove (gpointer self, const char *id, GError **error)
{
  g_autoptr (GError) local = NULL;
  if (transact (self, remove_tx, (gpointer) id, &local))
    return TRUE;
  if (local->domain == PSIM_STORE_ERROR)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return store_fail (local, error, "remove");
}

typedef struct {
  const char *id;
  const PsimStoreRecords *records;
} RecordsWrite;

static gboolean
records_tx (PgConn *c, gpointer data, GError **error)
{
  const RecordsWrite *w = data;
  const char *bodies[] = { w->records->json, w->records->xapi, w->records->xes };
  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      const char *values[] = { w->id, db_record_kinds[i], bodies[i] };
      if (!run_on (c,
                   "INSERT INTO records (session_id, kind, body) "
                   "VALUES ($1, $2, $3) ON CONFLICT (session_id, kind) "
                   "DO UPDATE SET body = excluded.body",
                   3, values, error))
        return FALSE;
    }
  const char *values[] = { w->id };
  PGresult *r = exec_params (c, "UPDATE sessions SET finished = 1 WHERE id = $1", 1, values,
                             error);
  if (r == NULL)
    return FALSE;
  gboolean found = strcmp (PQcmdTuples (r), "0") != 0;
  PQclear (r);
  return found ? TRUE : db_not_found (w->id, error);
}

static gboolean
st_write_records (gpointer self, const char *id, const PsimStoreRecords *records,
                  GError **error)
{
  RecordsWrite w = { id, records };
  g_autoptr (GError) local = NULL;
  if (transact (self, records_tx, &w, &local))
    return TRUE;
  if (local->domain == PSIM_STORE_ERROR)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return store_fail (local, error, "records");
}

static char *
st_load_record (gpointer self, const char *id, PsimStoreRecordKind kind, GError **error)
{
  if ((guint) kind >= G_N_ELEMENTS (db_record_kinds))
    {
      db_not_found (id, error);
      return NULL;
    }
  g_autoptr (GError) local = NULL;
  const char *values[] = { id, db_record_kinds[kind] };
  PGresult *r = query (self, "SELECT body FROM records WHERE session_id = $1 AND kind = $2", 2,
                       values, &local);
  if (r == NULL)
    {
      store_fail (local, error, "record");
      return NULL;
    }
  char *body = PQntuples (r) > 0 ? col_dup (r, 0, 0) : NULL;
  PQclear (r);
  if (body == NULL)
    g_set_error (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_NOT_FOUND,
                 "session '%s' has no records", id);
  return body;
}

/* A lock is a holder and a deadline on the session's row, as on SQLite: a
 * process that dies holding it blocks the session for LOCK_TTL at most. */
#define LOCK_TTL (60 * G_USEC_PER_SEC)

static gboolean
st_lock (gpointer self, const char *id, GError **error)
{
  Db *db = self;
  gint64 now = g_get_real_time ();
  Nums nums = { 0 };
  const char *values[] = { db->holder, num (&nums, now + LOCK_TTL), id, num (&nums, now) };
  g_autoptr (GError) local = NULL;
  guint changed = 0;
  if (!command (db,
                "UPDATE sessions SET lock_holder = $1, lock_until = $2 WHERE id = $3 "
                "AND (lock_holder IS NULL OR lock_holder = $1 OR lock_until < $4)",
                4, values, &changed, &local))
    return store_fail (local, error, "lock");
  if (changed == 1)
    return TRUE;
  g_autoptr (PsimStoreEntry) e = st_get_entry (db, id, error);
  if (e == NULL)
    return FALSE;
  g_set_error (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_BUSY,
               "session '%s' is in use elsewhere", id);
  return FALSE;
}

static void
st_unlock (gpointer self, const char *id)
{
  Db *db = self;
  const char *values[] = { id, db->holder };
  command (db,
           "UPDATE sessions SET lock_holder = NULL, lock_until = NULL "
           "WHERE id = $1 AND lock_holder = $2",
           2, values, NULL, NULL);
}

static const PsimStoreBackend pg_store_backend = {
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
  .free = NULL, /* the Db owns the pool */
};

static const DbBackend pg_db_backend = {
  .name = "postgresql",
  .close = pg_close,
  .ping = pg_ping,
  .count_users = pg_count_users,
  .add_user = pg_add_user,
  .add_users = pg_add_users,
  .get_user = pg_get_user,
  .list_users = pg_list_users,
  .set_user_lang = pg_set_user_lang,
  .add_token = pg_add_token,
  .get_token_user = pg_get_token_user,
  .remove_token = pg_remove_token,
  .purge_tokens = pg_purge_tokens,
  .list_answer_rows = pg_list_answer_rows,
  .list_scenario_groups = pg_list_scenario_groups,
  .set_scenario_groups = pg_set_scenario_groups,
  .add_upload = pg_add_upload,
  .remove_upload = pg_remove_upload,
  .list_strings = pg_list_strings,
  .get_upload = pg_get_upload,
  .batch_begin = pg_batch_begin,
  .batch_commit = pg_batch_commit,
  .in_batch = pg_in_batch,
  .outbox_claim = pg_outbox_claim,
  .outbox_done = pg_outbox_done,
  .outbox_retry = pg_outbox_retry,
};
