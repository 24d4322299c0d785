/* db.c — the parts every database backend shares: the schema's
 * migrations, roles, the lock holder's name, and the db_* calls sent to
 * the backend's table (db-open.c opens the backend the URL names).
 *
 * The schema is written once, in the SQL both engines run (text keys, no
 * auto-increment, BIGINT times in microseconds, INTEGER booleans, INSERT …
 * ON CONFLICT): the differences that must differ (placeholders, how a
 * migration is serialised between processes) are in the backends.
 */
#include "db-backend.h"

#include <json-glib/json-glib.h>
#include <sodium.h>
#include <string.h>

G_DEFINE_QUARK (procsim-db-error-quark, db_error)

const char *const db_migrations[] = {
  /* 1: accounts, tokens, sessions, answer rows, records */
  "CREATE TABLE users ("
  "  name TEXT PRIMARY KEY,"
  "  role TEXT NOT NULL,"
  "  group_name TEXT,"
  "  lang TEXT,"
  "  pwhash TEXT NOT NULL,"
  "  created BIGINT NOT NULL);"
  "CREATE INDEX users_group ON users (group_name);"
  "CREATE TABLE tokens ("
  "  hash TEXT PRIMARY KEY,"
  "  user_name TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,"
  "  csrf TEXT NOT NULL,"
  "  expires BIGINT NOT NULL);"
  "CREATE INDEX tokens_expires ON tokens (expires);"
  "CREATE TABLE sessions ("
  "  id TEXT PRIMARY KEY,"
  "  user_name TEXT,"
  "  scenario TEXT NOT NULL,"
  "  started BIGINT NOT NULL,"
  "  updated BIGINT NOT NULL,"
  "  n_answers INTEGER NOT NULL,"
  "  finished INTEGER NOT NULL,"
  "  score INTEGER NOT NULL,"
  "  max_score INTEGER NOT NULL,"
  "  passed INTEGER NOT NULL,"
  "  checkpoint TEXT NOT NULL,"
  "  lock_holder TEXT,"
  "  lock_until BIGINT);"
  "CREATE INDEX sessions_user ON sessions (user_name, started);"
  "CREATE INDEX sessions_scenario ON sessions (scenario);"
  "CREATE TABLE answers ("
  "  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,"
  "  idx INTEGER NOT NULL,"
  "  point INTEGER NOT NULL,"
  "  question TEXT,"
  "  input TEXT NOT NULL,"
  "  points INTEGER NOT NULL,"
  "  real_ms BIGINT NOT NULL,"
  "  events TEXT NOT NULL,"
  "  stored BIGINT NOT NULL,"
  "  PRIMARY KEY (session_id, idx));"
  "CREATE TABLE records ("
  "  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,"
  "  kind TEXT NOT NULL,"
  "  body TEXT NOT NULL,"
  "  PRIMARY KEY (session_id, kind));",
  /* 2: the xAPI outbox: statements written with the answers that made
   * them, sent to the learning record store by whichever server is free */
  "CREATE TABLE outbox ("
  "  id TEXT PRIMARY KEY,"
  "  session_id TEXT NOT NULL,"
  "  seq BIGINT NOT NULL,"
  "  body TEXT NOT NULL,"
  "  attempts INTEGER NOT NULL,"
  "  next_try BIGINT NOT NULL,"
  "  sent BIGINT);"
  "CREATE INDEX outbox_due ON outbox (next_try) WHERE sent IS NULL;",
  /* 3: which groups a scenario is offered to (none: every trainee) */
  "CREATE TABLE scenario_groups ("
  "  scenario TEXT NOT NULL,"
  "  group_name TEXT NOT NULL,"
  "  PRIMARY KEY (scenario, group_name));",
  /* 4: the scenarios trainers uploaded, their files as sent (base64), so
   * that every server behind the proxy offers them */
  "CREATE TABLE uploads ("
  "  scenario TEXT PRIMARY KEY,"
  "  scenario_name TEXT NOT NULL,"
  "  scenario_file TEXT NOT NULL,"
  "  procedure_name TEXT,"
  "  procedure_file TEXT,"
  "  user_name TEXT,"
  "  uploaded BIGINT NOT NULL);",
};
const guint db_n_migrations = G_N_ELEMENTS (db_migrations);

const char *const db_record_kinds[3] = { "json", "xapi", "xes" };

gboolean
db_not_found (const char *id, GError **error)
{
  g_set_error (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_NOT_FOUND, "no session '%s'", id);
  return FALSE;
}

void
db_init (Db *db, const DbBackend *backend, const PsimStoreBackend *store_backend)
{
  db->backend = backend;
  /* The server has started libsodium already; `procsim users` has not.
   * Starting it twice is harmless. */
  if (sodium_init () < 0)
    g_warning ("libsodium cannot start: lock holder names are weaker");
  /* A name for this process's session locks, from the OS random source. */
  guint8 raw[12];
  randombytes_buf (raw, sizeof raw);
  db->holder = g_compute_checksum_for_data (G_CHECKSUM_SHA256, raw, sizeof raw);
  db->store = psim_store_new (store_backend, db);
}

void
db_clear (Db *db)
{
  g_clear_pointer (&db->store, psim_store_free);
  g_clear_pointer (&db->holder, g_free);
}

void
db_close (Db *db)
{
  if (db != NULL)
    db->backend->close (db);
}

PsimStore *
db_get_store (Db *db)
{
  return db->store;
}

gboolean
db_ping (Db *db)
{
  return db->backend->ping (db);
}

gboolean
db_batch_begin (Db *db, GError **error)
{
  return db->backend->batch_begin (db, error);
}

gboolean
db_batch_commit (Db *db, GError **error)
{
  return db->backend->batch_commit (db, error);
}

gboolean
db_in_batch (Db *db)
{
  return db->backend->in_batch (db);
}

/* ---- the outbox -------------------------------------------------------------- */

void
db_set_outbox_source (Db *db, DbStatementsFunc func, gpointer data)
{
  db->statements = func;
  db->statements_data = data;
}

void
outbox_item_free (OutboxItem *item)
{
  if (item == NULL)
    return;
  g_free (item->id);
  g_free (item->body);
  g_free (item);
}

GPtrArray *
db_outbox_items_for (Db *db, const PsimStoreAnswer *a)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) outbox_item_free);
  if (db->statements == NULL)
    return out;
  g_autofree char *json = db->statements (a, db->statements_data);
  g_autoptr (JsonParser) p = json_parser_new ();
  if (json == NULL || !json_parser_load_from_data (p, json, -1, NULL)
      || !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (p)))
    return out;
  JsonArray *all = json_node_get_array (json_parser_get_root (p));
  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      JsonNode *node = json_array_get_element (all, i);
      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      const char *id = json_object_get_string_member_with_default (
          json_node_get_object (node), "id", NULL);
      if (id == NULL)
        continue;
      OutboxItem *item = g_new0 (OutboxItem, 1);
      item->id = g_strdup (id);
      item->body = json_to_string (node, FALSE);
      g_ptr_array_add (out, item);
    }
  return out;
}

GPtrArray *
db_outbox_claim (Db *db, gint64 now, gint64 lease, guint max, GError **error)
{
  return db->backend->outbox_claim (db, now, lease, max, error);
}

gboolean
db_outbox_done (Db *db, GPtrArray *items, gint64 now, GError **error)
{
  return db->backend->outbox_done (db, items, now, error);
}

gboolean
db_outbox_retry (Db *db, GPtrArray *items, gint64 now, GError **error)
{
  return db->backend->outbox_retry (db, items, now, error);
}

gint64
db_outbox_backoff (guint attempts)
{
  /* 1 s, 2 s, 4 s … up to a minute: a few requests a minute per batch
   * while the LRS is down, and a short wait once it is up. */
  return MIN ((gint64) G_USEC_PER_SEC << MIN (attempts, 20u), 60 * (gint64) G_USEC_PER_SEC);
}

/* ---- users ---------------------------------------------------------------- */

static const char *const role_names[] = { "trainee", "trainer", "admin" };

const char *
role_to_string (Role role)
{
  return role_names[role];
}

gboolean
role_from_string (const char *text, Role *role)
{
  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    if (g_strcmp0 (text, role_names[i]) == 0)
      {
        *role = (Role) i;
        return TRUE;
      }
  return FALSE;
}

void
user_free (User *u)
{
  if (u == NULL)
    return;
  g_free (u->name);
  g_free (u->group);
  g_free (u->lang);
  g_free (u->pwhash);
  g_free (u);
}

guint
db_count_users (Db *db, GError **error)
{
  return db->backend->count_users (db, error);
}

gboolean
db_add_user (Db *db, const User *u, GError **error)
{
  return db->backend->add_user (db, u, error);
}

gboolean
db_add_users (Db *db, GPtrArray *users, GError **error)
{
  return db->backend->add_users (db, users, error);
}

User *
db_get_user (Db *db, const char *name, GError **error)
{
  return db->backend->get_user (db, name, error);
}

GPtrArray *
db_list_users (Db *db, const char *group, GError **error)
{
  return db->backend->list_users (db, group, error);
}

gboolean
db_set_user_lang (Db *db, const char *name, const char *lang, GError **error)
{
  return db->backend->set_user_lang (db, name, lang, error);
}

/* ---- tokens ----------------------------------------------------------------- */

gboolean
db_add_token (Db *db, const char *hash, const char *user, const char *csrf, gint64 expires,
              GError **error)
{
  return db->backend->add_token (db, hash, user, csrf, expires, error);
}

User *
db_get_token_user (Db *db, const char *hash, gint64 now, char **csrf, GError **error)
{
  return db->backend->get_token_user (db, hash, now, csrf, error);
}

gboolean
db_remove_token (Db *db, const char *hash, GError **error)
{
  return db->backend->remove_token (db, hash, error);
}

gboolean
db_purge_tokens (Db *db, gint64 now, GError **error)
{
  return db->backend->purge_tokens (db, now, error);
}

/* ---- reports ------------------------------------------------------------------ */

void
db_upload_free (DbUpload *u)
{
  if (u == NULL)
    return;
  g_free (u->scenario);
  g_free (u->scenario_name);
  g_clear_pointer (&u->scenario_file, g_bytes_unref);
  g_free (u->procedure_name);
  g_clear_pointer (&u->procedure_file, g_bytes_unref);
  g_free (u->user);
  g_free (u);
}

static char *
base64_of (GBytes *b)
{
  if (b == NULL)
    return NULL;
  gsize n = 0;
  const guchar *data = g_bytes_get_data (b, &n);
  return g_base64_encode (data, n);
}

static GBytes *
bytes_of (const char *base64)
{
  if (base64 == NULL)
    return NULL;
  gsize n = 0;
  guchar *data = g_base64_decode (base64, &n);
  return g_bytes_new_take (data, n);
}

gboolean
db_add_upload (Db *db, const DbUpload *u, GError **error)
{
  g_autofree char *scenario_file = base64_of (u->scenario_file);
  g_autofree char *procedure_file = base64_of (u->procedure_file);
  g_autofree char *uploaded = g_strdup_printf ("%" G_GINT64_FORMAT, u->uploaded);
  const char *const row[7] = { u->scenario, u->scenario_name, scenario_file, u->procedure_name,
                               procedure_file, u->user, uploaded };
  return db->backend->add_upload (db, row, error);
}

/* For g_qsort_with_data over a GStrv: by bytes, the same on both
 * backends (PostgreSQL's ORDER BY follows the database's locale). */
static gint
by_string (gconstpointer a, gconstpointer b, gpointer data)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

GStrv
db_list_upload_ids (Db *db, GError **error)
{
  GStrv ids = db->backend->list_strings (db, "SELECT scenario FROM uploads", error);
  if (ids != NULL)
    g_qsort_with_data (ids, (gint) g_strv_length (ids), sizeof (char *), by_string, NULL);
  return ids;
}

gboolean
db_remove_upload (Db *db, const char *scenario, GError **error)
{
  return db->backend->remove_upload (db, scenario, error);
}

GStrv
db_list_groups (Db *db, GError **error)
{
  GStrv groups = db->backend->list_strings (db,
                                            "SELECT DISTINCT group_name FROM users "
                                            "WHERE group_name IS NOT NULL AND group_name <> ''",
                                            error);
  if (groups != NULL)
    g_qsort_with_data (groups, (gint) g_strv_length (groups), sizeof (char *), by_string, NULL);
  return groups;
}

DbUpload *
db_get_upload (Db *db, const char *scenario, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_auto (GStrv) row = db->backend->get_upload (db, scenario, &local);
  if (row == NULL)
    {
      if (local != NULL)
        g_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error (error, DB_ERROR, DB_ERROR_NOT_FOUND, "no upload '%s'", scenario);
      return NULL;
    }
  DbUpload *u = g_new0 (DbUpload, 1);
  u->scenario = g_strdup (row[0]);
  u->scenario_name = g_strdup (row[1]);
  u->scenario_file = bytes_of (row[2]);
  u->procedure_name = *row[3] != '\0' ? g_strdup (row[3]) : NULL;
  u->procedure_file = *row[4] != '\0' ? bytes_of (row[4]) : NULL;
  u->user = *row[5] != '\0' ? g_strdup (row[5]) : NULL;
  u->uploaded = g_ascii_strtoll (row[6], NULL, 10);
  return u;
}

GHashTable *
db_scenario_groups_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                (GDestroyNotify) g_ptr_array_unref);
}

void
db_scenario_groups_add (GHashTable *table, const char *scenario, const char *group)
{
  GPtrArray *groups = g_hash_table_lookup (table, scenario);
  if (groups == NULL)
    {
      groups = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (table, g_strdup (scenario), groups);
    }
  g_ptr_array_add (groups, g_strdup (group));
}

GHashTable *
db_list_scenario_groups (Db *db, GError **error)
{
  return db->backend->list_scenario_groups (db, error);
}

gboolean
db_set_scenario_groups (Db *db, const char *scenario, const char *const *groups,
                        GError **error)
{
  return db->backend->set_scenario_groups (db, scenario, groups, error);
}

GPtrArray *
db_list_answer_rows (Db *db, const char *scenario, GError **error)
{
  return db->backend->list_answer_rows (db, scenario, error);
}
