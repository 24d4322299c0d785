/* serve.c — `procsim serve` from start to stop: open the database (and
 * migrate it), load the catalogue of scenarios, create the first admin on
 * an empty database, listen, and keep the live sessions.
 *
 * Live sessions: a session in play is kept in memory so that an answer
 * does not replay the whole run; the database stays the truth. Every
 * request reads the session's stored summary first: when another server
 * on the same database has taken answers since, the copy in memory is
 * dropped and the session restored from its checkpoint. An answer
 * is stored (one transaction) before its reply; a session whose store
 * failed, or any session once the cache is full, is dropped and restored
 * from its checkpoint on the next request. Everything runs on the main
 * loop's thread except password checks (auth.c).
 */
#include "server.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

/* Sessions kept in memory before the cache starts over. Each is a few
 * kilobytes; restoring one replays its answers in well under a millisecond. */
#define LIVE_MAX 20000

struct _Server {
  Db *db;
  Auth *auth;
  SoupServer *soup;
  PsimCatalogue *catalogue; /* the scenarios of the folders, loaded at start */
  GHashTable *scenarios; /* id → PsimScenario*: the catalogue's and those uploaded since */
  GPtrArray *sorted;     /* PsimScenario*, by id */
  GHashTable *live;      /* session id → PsimSession* */
  GHashTable *groups;    /* user name → group ("" for none), cached */
  Outbox *outbox;        /* (nullable) with --lrs */
  PsimSession *answering;    /* the session srv_answer is storing an answer of */
  const char *answering_lang;
  char *base_url;
  char *home_page;       /* (nullable) --base-url: the xAPI actors' homePage */
  char *upload_dir;      /* scenarios trainers uploaded, one folder each */
  GHashTable *unloadable; /* ids of uploads in the database that did not load here */
  gboolean secure;
  gboolean guests;       /* visitors may practise as guests */
  GMainLoop *loop;
  GPtrArray *held;       /* SoupServerMessage* (a reference each) waiting
                          * for the open batch's commit */
  guint commit_source;
  GraphWorker *graphs;   /* the render worker, started at the first graph */
};

/* How long a batch stays open for more writes to join it. */
#define BATCH_MS 2

Db *srv_get_db (Server *srv) { return srv->db; }
Auth *srv_get_auth (Server *srv) { return srv->auth; }
const char *srv_get_base_url (Server *srv) { return srv->base_url; }
gboolean srv_is_secure (Server *srv) { return srv->secure; }
GraphWorker *srv_get_graph_worker (Server *srv) { return srv->graphs; }
gboolean srv_allows_guests (Server *srv) { return srv->guests; }
GPtrArray *srv_list_scenarios (Server *srv) { return srv->sorted; }
const char *srv_get_upload_dir (Server *srv) { return srv->upload_dir; }

PsimScenario *
srv_get_scenario (Server *srv, const char *id)
{
  return id != NULL ? g_hash_table_lookup (srv->scenarios, id) : NULL;
}

static gint
by_id (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (psim_scenario_get_id (*(PsimScenario *const *) a),
                    psim_scenario_get_id (*(PsimScenario *const *) b));
}

/* Loads the procedures and scenarios of @dir into the catalogue; its
 * problems are printed, the rest loaded. An id already there keeps its
 * first file (the catalogue warns). */
static void
load_dir (Server *srv, const char *dir, const char *lang)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) diags = psim_diagnostics_new ();
  if (!psim_catalogue_add_dir (srv->catalogue, dir, diags, &error))
    g_printerr ("procsim serve: %s\n", error->message);
  for (guint k = 0; k < diags->len; k++)
    {
      g_autofree char *line = psim_diagnostic_to_string (g_ptr_array_index (diags, k), lang);
      g_printerr ("%s\n", line);
    }
}

/* The catalogue's scenarios, offered. */
static void
offer_catalogue (Server *srv)
{
  g_autoptr (GPtrArray) all = psim_catalogue_list_scenarios (srv->catalogue);
  for (guint i = 0; i < all->len; i++)
    {
      PsimScenario *sc = g_ptr_array_index (all, i);
      g_ptr_array_add (srv->sorted, psim_scenario_ref (sc));
      g_hash_table_insert (srv->scenarios, g_strdup (psim_scenario_get_id (sc)),
                           psim_scenario_ref (sc));
    }
}

void
srv_add_scenario (Server *srv, PsimScenario *sc)
{
  g_hash_table_insert (srv->scenarios, g_strdup (psim_scenario_get_id (sc)),
                       psim_scenario_ref (sc));
  g_ptr_array_add (srv->sorted, psim_scenario_ref (sc));
  g_ptr_array_sort (srv->sorted, by_id);
}

/* Whether @groups (the groups a scenario is offered to; NULL: every
 * trainee) let @user start it. Trainers and admins start every scenario. */
static gboolean
offered_to (GPtrArray *groups, const User *user)
{
  if (groups == NULL || user->role != ROLE_TRAINEE)
    return TRUE;
  for (guint i = 0; user->group != NULL && i < groups->len; i++)
    if (strcmp (g_ptr_array_index (groups, i), user->group) == 0)
      return TRUE;
  return FALSE;
}

GPtrArray *
srv_list_offered (Server *srv, const User *user, GError **error)
{
  if (!srv_sync_uploads (srv, error))
    return NULL;
  g_autoptr (GHashTable) groups = db_list_scenario_groups (srv->db, error);
  if (groups == NULL)
    return NULL;
  GPtrArray *out = g_ptr_array_new ();
  for (guint i = 0; i < srv->sorted->len; i++)
    {
      PsimScenario *sc = g_ptr_array_index (srv->sorted, i);
      if (offered_to (g_hash_table_lookup (groups, psim_scenario_get_id (sc)), user))
        g_ptr_array_add (out, sc);
    }
  return out;
}

gboolean
srv_offers (Server *srv, const User *user, PsimScenario *sc, GError **error)
{
  if (user->role != ROLE_TRAINEE)
    return TRUE;
  g_autoptr (GHashTable) groups = db_list_scenario_groups (srv->db, error);
  if (groups == NULL)
    return FALSE;
  return offered_to (g_hash_table_lookup (groups, psim_scenario_get_id (sc)), user);
}

/* The upload folder beside a SQLite database ("uploads" next to the file),
 * else under the XDG data folder. (transfer full) */
static char *
upload_dir_for (const char *db_url)
{
  const char *path = g_str_has_prefix (db_url, "sqlite:") ? db_url + strlen ("sqlite:")
                     : strchr (db_url, ':') == NULL        ? db_url
                                                           : NULL;
  if (path != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (path);
      return g_build_filename (dir, "uploads", NULL);
    }
  return g_build_filename (g_get_user_data_dir (), "procsim", "uploads", NULL);
}

/* Every uploaded scenario (pages-upload.c): one folder each under @dir. */
static void
load_uploads (Server *srv, const char *dir, const char *lang)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  g_autoptr (GPtrArray) dirs = g_ptr_array_new_with_free_func (g_free);
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (dirs, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (dirs, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < dirs->len; i++)
    if (g_file_test (g_ptr_array_index (dirs, i), G_FILE_TEST_IS_DIR))
      load_dir (srv, g_ptr_array_index (dirs, i), lang);
}

void
srv_remove_upload_dir (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

/* Writes the files of @u into the folder named after its id under the
 * upload folder (through a fresh folder renamed into place, so that a
 * half-written one is never read), unless it is there already: the
 * server that took the upload, or an earlier start, wrote it. */
static gboolean
materialize (Server *srv, const DbUpload *u, const char *final, GError **error)
{
  if (g_file_test (final, G_FILE_TEST_IS_DIR))
    return TRUE;
  g_autofree char *dir = g_build_filename (srv->upload_dir, ".sync-XXXXXX", NULL);
  if (g_mkdir_with_parents (srv->upload_dir, 0700) != 0 || g_mkdtemp_full (dir, 0700) == NULL)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s: %s", srv->upload_dir,
                   g_strerror (errno));
      return FALSE;
    }
  const char *names[] = { u->scenario_name, u->procedure_name };
  GBytes *files[] = { u->scenario_file, u->procedure_file };
  gboolean ok = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (names) && ok; i++)
    {
      if (names[i] == NULL || files[i] == NULL)
        continue;
      g_autofree char *base = g_path_get_basename (names[i]);
      g_autofree char *path = g_build_filename (dir, base, NULL);
      gsize n = 0;
      const char *data = g_bytes_get_data (files[i], &n);
      ok = g_file_set_contents_full (path, data, (gssize) n, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                     error);
    }
  if (ok && g_rename (dir, final) == 0)
    return TRUE;
  if (ok)
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s: %s", final,
                 g_strerror (errno));
  srv_remove_upload_dir (dir);
  return FALSE;
}

gboolean
srv_sync_uploads (Server *srv, GError **error)
{
  g_auto (GStrv) ids = db_list_upload_ids (srv->db, error);
  if (ids == NULL)
    return FALSE;
  for (guint i = 0; ids[i] != NULL; i++)
    {
      if (g_hash_table_contains (srv->scenarios, ids[i])
          || g_hash_table_contains (srv->unloadable, ids[i]))
        continue;
      g_autoptr (GError) local = NULL;
      g_autoptr (DbUpload) u = db_get_upload (srv->db, ids[i], &local);
      g_autofree char *final = g_build_filename (srv->upload_dir, ids[i], NULL);
      g_autofree char *base = u != NULL ? g_path_get_basename (u->scenario_name) : NULL;
      g_autofree char *path = u != NULL ? g_build_filename (final, base, NULL) : NULL;
      g_autoptr (PsimLoader) loader = u != NULL ? psim_loader_new (NULL) : NULL;
      g_autoptr (PsimScenario) sc = NULL;
      if (u != NULL && loader != NULL && materialize (srv, u, final, &local))
        sc = psim_scenario_load_file (loader, path, NULL, &local);
      if (sc != NULL && strcmp (psim_scenario_get_id (sc), ids[i]) == 0)
        {
          srv_add_scenario (srv, sc);
          continue;
        }
      /* Said once, not at every request. */
      g_warning ("uploaded scenario '%s' does not load here: %s", ids[i],
                 local != NULL ? local->message : "its id differs");
      g_hash_table_add (srv->unloadable, g_strdup (ids[i]));
    }
  return TRUE;
}

/* ---- live sessions ------------------------------------------------------------------------ */

PsimSession *
srv_new_session (Server *srv, const User *user, PsimScenario *sc, guint64 seed, GError **error)
{
  guint8 raw[12];
  randombytes_buf (raw, sizeof raw);
  g_autofree char *id = g_compute_checksum_for_data (G_CHECKSUM_SHA256, raw, sizeof raw);
  id[24] = '\0'; /* 96 random bits are plenty for an id */
  g_autoptr (PsimSession) s = psim_session_new (sc, seed);
  psim_session_set_identity (s, id, user->name, g_get_real_time ());
  psim_session_set_home_page (s, srv->home_page);
  if (!psim_store_create (db_get_store (srv->db), s, error))
    return NULL;
  if (g_hash_table_size (srv->live) >= LIVE_MAX)
    g_hash_table_remove_all (srv->live);
  PsimSession *kept = g_steal_pointer (&s);
  g_hash_table_insert (srv->live, g_strdup (id), kept);
  return kept;
}

PsimSession *
srv_find_session (Server *srv, const char *id, GError **error)
{
  /* The summary first: another server on the same database may have taken
   * answers since this one kept the session, and then the copy in memory
   * is stale (the trainee's requests may reach any server). */
  g_autoptr (PsimStoreEntry) e = psim_store_get_entry (db_get_store (srv->db), id, error);
  if (e == NULL)
    {
      g_hash_table_remove (srv->live, id);
      return NULL;
    }
  PsimSession *s = g_hash_table_lookup (srv->live, id);
  if (s != NULL && psim_session_get_n_answers (s) == e->n_answers)
    return s;
  g_hash_table_remove (srv->live, id);
  g_autofree char *checkpoint = psim_store_load (db_get_store (srv->db), id, error);
  if (checkpoint == NULL)
    return NULL;
  PsimScenario *sc = srv_get_scenario (srv, e->scenario);
  if (sc == NULL && srv_sync_uploads (srv, NULL))
    sc = srv_get_scenario (srv, e->scenario); /* uploaded through another server */
  if (sc == NULL)
    {
      g_set_error (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_FAILED,
                   "session '%s' is of scenario '%s', which is not in the catalogue", id,
                   e->scenario);
      return NULL;
    }
  s = psim_session_new_from_checkpoint (sc, checkpoint, "en", error);
  if (s == NULL)
    return NULL;
  /* The xAPI actor is an account of this server (--base-url). */
  psim_session_set_home_page (s, srv->home_page);
  if (g_hash_table_size (srv->live) >= LIVE_MAX)
    g_hash_table_remove_all (srv->live);
  g_hash_table_insert (srv->live, g_strdup (id), s);
  return s;
}

gboolean
srv_answer (Server *srv, PsimSession *s, const char *input, gint64 real_ms, const char *lang,
            GError **error)
{
  PsimStore *store = db_get_store (srv->db);
  srv->answering = s;
  srv->answering_lang = lang;
  gboolean ok = psim_store_answer (store, s, input, real_ms, error);
  srv->answering = NULL;
  if (!ok)
    {
      if (error != NULL && *error != NULL && (*error)->domain == PSIM_STORE_ERROR)
        g_hash_table_remove (srv->live, psim_session_get_id (s));
      return FALSE;
    }
  outbox_kick (srv->outbox);
  if (psim_session_get_prompt (s) == PSIM_PROMPT_FINISHED)
    {
      g_autoptr (GError) local = NULL;
      /* The answers are stored: records can be written again from them. */
      if (!psim_store_write_records (store, s, lang, &local))
        g_warning ("records of %s: %s", psim_session_get_id (s), local->message);
    }
  return TRUE;
}

gboolean
srv_can_see (Server *srv, const User *viewer, const char *owner)
{
  if (viewer == NULL || owner == NULL)
    return FALSE;
  if (viewer->role == ROLE_ADMIN || strcmp (viewer->name, owner) == 0)
    return TRUE;
  if (viewer->role != ROLE_TRAINER || viewer->group == NULL)
    return FALSE;
  const char *group = g_hash_table_lookup (srv->groups, owner);
  if (group == NULL)
    {
      g_autoptr (User) u = db_get_user (srv->db, owner, NULL);
      if (u == NULL)
        return FALSE;
      char *copy = g_strdup (u->group != NULL ? u->group : "");
      g_hash_table_insert (srv->groups, g_strdup (owner), copy);
      group = copy;
    }
  return strcmp (group, viewer->group) == 0;
}

/* ---- group commit ---------------------------------------------------------------------- */

static gboolean
commit_batch (gpointer data)
{
  Server *srv = data;
  srv->commit_source = 0;
  g_autoptr (GError) error = NULL;
  gboolean ok = db_batch_commit (srv->db, &error);
  if (!ok)
    {
      g_warning ("commit: %s", error->message);
      /* The live sessions may be ahead of the database: restore them. */
      g_hash_table_remove_all (srv->live);
    }
  g_autoptr (GPtrArray) held = g_steal_pointer (&srv->held);
  srv->held = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < held->len; i++)
    {
      Req *req = g_object_get_data (G_OBJECT (g_ptr_array_index (held, i)), "psim-req");
      if (req == NULL)
        continue;
      if (!ok)
        reply_write_failed (req);
      req_resume (req);
    }
  return G_SOURCE_REMOVE;
}

void
srv_write_begin (Server *srv)
{
  if (db_in_batch (srv->db))
    return;
  g_autoptr (GError) error = NULL;
  if (!db_batch_begin (srv->db, &error))
    {
      /* Without a batch each write commits by itself: slower, as safe. */
      g_warning ("batch: %s", error->message);
      return;
    }
  srv->commit_source = g_timeout_add (BATCH_MS, commit_batch, srv);
}

gboolean
srv_hold (Server *srv, Req *req)
{
  if (!db_in_batch (srv->db))
    return FALSE;
  req_pause (req);
  g_ptr_array_add (srv->held, g_object_ref (req->msg));
  return TRUE;
}

/* ---- start-up ---------------------------------------------------------------------------- */

/* An admin account on an empty database, its password shown once. */
static gboolean
first_admin (Server *srv, FILE *out, GError **error)
{
  guint n = db_count_users (srv->db, error);
  if (n > 0 || (error != NULL && *error != NULL))
    return error == NULL || *error == NULL;
  g_autofree char *password = auth_new_password ();
  g_autofree char *hash = auth_hash_password (password, error);
  if (hash == NULL)
    return FALSE;
  User admin = { .name = (char *) "admin", .role = ROLE_ADMIN, .pwhash = hash };
  if (!db_add_user (srv->db, &admin, error))
    return FALSE;
  fprintf (out, _("An admin account was created: user admin, password %s\n"
                  "(shown only this once: note it, or add users with procsim users add)\n"),
           password);
  return TRUE;
}

/* "127.0.0.1:8080", "[::1]:0", "localhost:8080" → an address. */
static GSocketAddress *
parse_listen (const char *listen, GError **error)
{
  g_autoptr (GSocketConnectable) where = g_network_address_parse (listen, 8080, error);
  if (where == NULL)
    return NULL;
  g_autoptr (GSocketAddressEnumerator) e = g_socket_connectable_enumerate (where);
  GSocketAddress *addr = g_socket_address_enumerator_next (e, NULL, error);
  if (addr == NULL && error != NULL && *error == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "'%s': no such address", listen);
  return addr;
}

/* "http://127.0.0.1:8080/" for the socket listened on. (Not
 * soup_server_get_uris (): libsoup 3.2 leaks an address in it.)
 * (transfer full) */
static char *
listening_url (SoupServer *soup)
{
  GSList *listeners = soup_server_get_listeners (soup);
  g_autoptr (GSocketAddress) addr = listeners != NULL
                                        ? g_socket_get_local_address (listeners->data, NULL)
                                        : NULL;
  g_slist_free (listeners);
  if (addr == NULL || !G_IS_INET_SOCKET_ADDRESS (addr))
    return g_strdup ("?");
  GInetSocketAddress *in = G_INET_SOCKET_ADDRESS (addr);
  g_autofree char *host = g_inet_address_to_string (g_inet_socket_address_get_address (in));
  guint port = g_inet_socket_address_get_port (in);
  return strchr (host, ':') != NULL ? g_strdup_printf ("http://[%s]:%u/", host, port)
                                    : g_strdup_printf ("http://%s:%u/", host, port);
}

/* TRUE when @host ("127.0.0.1", "::1", "localhost") is this machine. */
static gboolean
host_is_loopback (const char *host)
{
  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  g_autofree char *bare = g_strdup (host);
  if (bare[0] == '[' && g_str_has_suffix (bare, "]"))
    {
      memmove (bare, bare + 1, strlen (bare));
      bare[strlen (bare) - 1] = '\0';
    }
  g_autoptr (GInetAddress) a = g_inet_address_new_from_string (bare);
  return a != NULL && g_inet_address_get_is_loopback (a);
}

/* Guests by default only on one machine: listening on loopback, and
 * reached there (a --base-url elsewhere means a proxy in front). */
static gboolean
guests_by_default (GSocketAddress *addr, const char *base_url)
{
  if (!G_IS_INET_SOCKET_ADDRESS (addr)
      || !g_inet_address_get_is_loopback (
          g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (addr))))
    return FALSE;
  if (base_url == NULL)
    return TRUE;
  g_autoptr (GUri) uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  return uri != NULL && host_is_loopback (g_uri_get_host (uri));
}

static gboolean
on_signal (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static gboolean
purge_tokens (gpointer data)
{
  Server *srv = data;
  db_purge_tokens (srv->db, g_get_real_time (), NULL);
  return G_SOURCE_CONTINUE;
}

/* The statements the outbox keeps for an answer: those of the session
 * being answered, all of them (the outbox skips the ids it has). */
static char *
statements_of (const PsimStoreAnswer *a, gpointer data)
{
  Server *srv = data;
  if (srv->answering == NULL)
    return NULL;
  return psim_session_record_xapi (srv->answering, srv->answering_lang);
}

static void
server_free (Server *srv)
{
  if (srv->commit_source != 0)
    {
      g_source_remove (srv->commit_source);
      commit_batch (srv);
    }
  g_clear_pointer (&srv->held, g_ptr_array_unref);
  g_clear_pointer (&srv->outbox, outbox_free);
  if (srv->soup != NULL)
    {
      soup_server_disconnect (srv->soup);
      g_object_unref (srv->soup);
      /* The connections still open go away on the main loop: let them. */
      for (guint i = 0; i < 1000 && g_main_context_pending (NULL); i++)
        g_main_context_iteration (NULL, FALSE);
    }
  g_clear_pointer (&srv->live, g_hash_table_unref);
  g_clear_pointer (&srv->groups, g_hash_table_unref);
  g_clear_pointer (&srv->scenarios, g_hash_table_unref);
  g_clear_pointer (&srv->unloadable, g_hash_table_unref);
  g_clear_pointer (&srv->sorted, g_ptr_array_unref);
  g_clear_pointer (&srv->catalogue, psim_catalogue_free);
  db_close (srv->db);
  auth_free (srv->auth);
  graph_worker_free (srv->graphs);
  if (srv->loop != NULL)
    g_main_loop_unref (srv->loop);
  g_free (srv->base_url);
  g_free (srv->home_page);
  g_free (srv->upload_dir);
  g_free (srv);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Server, server_free)

gboolean
srv_run (const ServerOptions *o, FILE *out, GError **error)
{
  if (sodium_init () < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "libsodium cannot start");
      return FALSE;
    }
  g_autoptr (Server) srv = g_new0 (Server, 1);
  srv->auth = auth_new ();
  srv->graphs = graph_worker_new (NULL);
  srv->unloadable = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  srv->scenarios = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) psim_scenario_unref);
  srv->sorted = g_ptr_array_new_with_free_func ((GDestroyNotify) psim_scenario_unref);
  srv->live = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify) psim_session_free);
  srv->groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  srv->held = g_ptr_array_new_with_free_func (g_object_unref);
  srv->db = db_open (o->db_url, error);
  if (srv->db == NULL)
    return FALSE;
  if (o->lrs_url != NULL)
    {
      srv->outbox = outbox_new (srv->db, o->lrs_url, o->lrs_auth, error);
      if (srv->outbox == NULL)
        return FALSE;
      db_set_outbox_source (srv->db, statements_of, srv);
    }

  /* The library's catalogue: every --scenarios folder in order, then the
   * uploads; one loaded scenario shared by all its sessions. */
  srv->catalogue = psim_catalogue_new (o->lang, error);
  if (srv->catalogue == NULL)
    return FALSE;
  for (guint i = 0; o->scenario_dirs != NULL && o->scenario_dirs[i] != NULL; i++)
    load_dir (srv, o->scenario_dirs[i], o->lang);
  srv->upload_dir = upload_dir_for (o->db_url);
  load_uploads (srv, srv->upload_dir, o->lang);
  offer_catalogue (srv);
  g_ptr_array_sort (srv->sorted, by_id);
  /* Uploads kept in the database, whichever server took them. */
  g_autoptr (GError) sync_error = NULL;
  if (!srv_sync_uploads (srv, &sync_error))
    g_printerr ("procsim serve: uploaded scenarios: %s\n", sync_error->message);

  g_autoptr (GSocketAddress) addr = parse_listen (o->listen, error);
  if (addr == NULL)
    return FALSE;
  srv->soup = soup_server_new ("server-header", "procsim", NULL);
  router_attach (srv, srv->soup);
  /* Our own socket, for its backlog: GLib's default of 10 pending
   * connections drops the SYNs of a classroom arriving at once (each
   * dropped one waits a second to retry). */
  g_autoptr (GSocket) sock = g_socket_new (g_socket_address_get_family (addr),
                                           G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (sock == NULL)
    return FALSE;
  g_socket_set_listen_backlog (sock, 1024);
  if (!g_socket_bind (sock, addr, TRUE, error) || !g_socket_listen (sock, error)
      || !soup_server_listen_socket (srv->soup, sock, 0, error))
    return FALSE;
  g_autofree char *url = listening_url (srv->soup);
  srv->base_url = g_strdup (o->base_url != NULL ? o->base_url : url);
  srv->secure = g_str_has_prefix (srv->base_url, "https:");
  /* Only the address every server behind the proxy shares: without it,
   * procsim's own IRI, so that a statement is the same whichever server
   * writes it. */
  srv->home_page = g_strdup (o->base_url);
  srv->guests = o->guests >= 0 ? o->guests != 0 : guests_by_default (addr, o->base_url);

  if (!first_admin (srv, out, error))
    return FALSE;
  fprintf (out, _("procsim serve: %u scenarios, listening on %s\n"), srv->sorted->len, url);
  if (srv->guests)
    fprintf (out, "%s\n", _("Visitors may practise as guests, without an account "
                            "(--no-guests to refuse them)."));
  fflush (out);

  srv->loop = g_main_loop_new (NULL, FALSE);
  guint sigint = g_unix_signal_add (SIGINT, on_signal, srv->loop);
  guint sigterm = g_unix_signal_add (SIGTERM, on_signal, srv->loop);
  guint purge = g_timeout_add_seconds (600, purge_tokens, srv);
  g_main_loop_run (srv->loop);
  g_source_remove (purge);
  /* The signal sources removed themselves when they fired; the other stays. */
  GSource *s1 = g_main_context_find_source_by_id (NULL, sigint);
  GSource *s2 = g_main_context_find_source_by_id (NULL, sigterm);
  if (s1 != NULL)
    g_source_destroy (s1);
  if (s2 != NULL)
    g_source_destroy (s2);
  return TRUE;
}
