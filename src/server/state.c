/* state.c — what the server keeps between requests, and the rules on it:
 * the catalogue of scenarios (the --scenarios folders and the uploads, kept
 * in the database so that every server on it offers them, written under
 * the upload folder to be loaded), which of them a user is offered, and
 * the live sessions.
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
 *
 * It knows nothing of requests and replies: the request layer (reply.c,
 * request.c) and the handlers call it.
 */
#include "state.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>

/* Sessions kept in memory before the cache starts over. Each is a few
 * kilobytes; restoring one replays its answers in well under a millisecond. */
#define LIVE_MAX 20000

Db *srv_get_db (Server *srv) { return srv->db; }
Auth *srv_get_auth (Server *srv) { return srv->auth; }
const char *srv_get_base_url (Server *srv) { return srv->base_url; }
gboolean srv_is_secure (Server *srv) { return srv->secure; }
GraphWorker *srv_get_graph_worker (Server *srv) { return srv->graphs; }
gboolean srv_allows_guests (Server *srv) { return srv->guests; }
GPtrArray *srv_list_scenarios (Server *srv) { return srv->sorted; }
const char *srv_get_upload_dir (Server *srv) { return srv->upload_dir; }
WriteBatch *srv_get_batch (Server *srv) { return srv->batch; }


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

gboolean
srv_load_catalogue (Server *srv, const ServerOptions *o, GError **error)
{
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

void
srv_forget_sessions (Server *srv)
{
  g_hash_table_remove_all (srv->live);
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

void
srv_set_outbox (Server *srv, Outbox *ob)
{
  srv->outbox = ob;
  db_set_outbox_source (srv->db, statements_of, srv);
}
