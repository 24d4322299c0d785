/* psim-store-folder.c — the session store in a folder of files: the
 * terminal trainer's (psim-store.h, psim_store_new_folder).
 *
 * For each session ID the folder holds, while it runs, ID.checkpoint.json
 * (the checkpoint as the library writes it: its answers are the answer
 * rows) and ID.lock while a process holds its lock; once it is finished,
 * its records ID.json, ID.xapi.json and ID.xes, and no checkpoint. The
 * files are the whole state: nothing is cached, so two processes on one
 * folder see each other's sessions, and the lock decides which of them
 * may write one.
 *
 * Durability: every file is written to a temporary file, flushed to disk
 * and renamed over the old one, and the folder is flushed after the
 * rename, so a crash at any moment leaves the old file or the new one
 * (psim_file_replace). A process killed mid-write leaves its temporary
 * file, ".NAME.XXXXXX.tmp": lists ignore it, and the next process to take
 * the session's lock removes it.
 * Records are on disk before the checkpoint is removed: a power cut
 * between the two leaves both, never neither.
 *
 * Locks are flock(2) locks on ID.lock, which the kernel drops when the
 * process ends however it ends. The holder removes the file before it
 * lets go; a process that finds the lock free checks that the file it
 * locked is still the one in the folder, so a lock is never taken on a
 * file that was removed under it.
 */
#include <procsim/psim-file.h>
#include <procsim/psim-json.h>
#include <procsim/psim-load.h>
#include <procsim/psim-store.h>

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHECKPOINT_SUFFIX ".checkpoint.json"
#define LOCK_SUFFIX ".lock"
#define MAX_ID_LENGTH 128

typedef struct {
  char *dir;
  char *checkpoint; /* (nullable) the one session's checkpoint, kept elsewhere */
  char *lang;
  GHashTable *locks; /* id → GINT_TO_POINTER (descriptor + 1) */
} Folder;

static const char *const record_suffixes[] = { ".json", ".xapi.json", ".xes" };

gboolean
psim_store_folder_id_is_valid (const char *id)
{
  g_return_val_if_fail (id != NULL, FALSE);
  if (*id == '\0' || *id == '.' || strlen (id) > MAX_ID_LENGTH)
    return FALSE;
  for (const char *c = id; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c) && *c != '.' && *c != '_' && *c != '-')
      return FALSE;
  return TRUE;
}

static gboolean
check_id (const char *id, GError **error)
{
  if (psim_store_folder_id_is_valid (id))
    return TRUE;
  g_set_error (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_NOT_FOUND,
               "'%s' is not a session id (letters, digits, '.', '_' and '-')", id);
  return FALSE;
}

static char *
checkpoint_path (const Folder *f, const char *id)
{
  if (f->checkpoint != NULL)
    return g_strdup (f->checkpoint);
  g_autofree char *base = g_strconcat (id, CHECKPOINT_SUFFIX, NULL);
  return g_build_filename (f->dir, base, NULL);
}

static char *
record_path (const Folder *f, const char *id, PsimStoreRecordKind kind)
{
  g_autofree char *base = g_strconcat (id, record_suffixes[kind], NULL);
  return g_build_filename (f->dir, base, NULL);
}

/* Beside the checkpoint: ID.lock for ID.checkpoint.json, so that a session
 * resumed by its id and by its checkpoint file takes the same lock. */
static char *
lock_path (const Folder *f, const char *id)
{
  g_autofree char *cp = checkpoint_path (f, id);
  if (g_str_has_suffix (cp, CHECKPOINT_SUFFIX))
    cp[strlen (cp) - strlen (CHECKPOINT_SUFFIX)] = '\0';
  return g_strconcat (cp, LOCK_SUFFIX, NULL);
}

static gboolean
failed (GError **error, const char *what, const char *path, int errsv)
{
  g_set_error (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_FAILED, "%s %s: %s", what, path,
               g_strerror (errsv));
  return FALSE;
}

/* Flushes the folder @dir itself, so that a rename or a removal in it is
 * on disk. */
static gboolean
sync_dir (const char *dir, GError **error)
{
  g_autoptr (GError) local = NULL;
  if (psim_file_sync_dir (dir, &local))
    return TRUE;
  g_set_error (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_FAILED, "cannot flush %s",
               local->message);
  return FALSE;
}

/* Writes @text to @path durably: a temporary file ".NAME.XXXXXX.tmp"
 * flushed to disk, renamed over @path, then the folder flushed. */
static gboolean
write_durably (const char *path, const char *text, GError **error)
{
  g_autoptr (GError) local = NULL;
  if (psim_file_replace (path, text, strlen (text), TRUE, &local))
    return TRUE;
  g_set_error (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_FAILED, "cannot write %s",
               local->message);
  return FALSE;
}

static gboolean
exists (const char *path)
{
  GStatBuf st;
  return g_lstat (path, &st) == 0;
}

/* ---- summaries ------------------------------------------------------------ */

static const char *
member_string (JsonObject *o, const char *name)
{
  JsonNode *n = o != NULL ? json_object_get_member (o, name) : NULL;
  return n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
             ? json_node_get_string (n)
             : NULL;
}

static gint64
member_int (JsonObject *o, const char *name)
{
  JsonNode *n = o != NULL ? json_object_get_member (o, name) : NULL;
  return n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64
             ? json_node_get_int (n)
             : 0;
}

static JsonObject *
member_object (JsonObject *o, const char *name)
{
  JsonNode *n = o != NULL ? json_object_get_member (o, name) : NULL;
  return n != NULL && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

/* The summary of a session from its checkpoint (running) or its record
 * (finished), read as hostile input: what does not parse or is missing
 * stays empty. A running session's score is not in its checkpoint (only
 * a replay would give it): its summary carries none. */
static PsimStoreEntry *
entry_from_file (const Folder *f, const char *id, const char *path, gboolean finished,
                 GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autofree char *text = psim_file_read (path, PSIM_LOAD_MAX_FILE_SIZE, f->lang, NULL, &local);
  g_autoptr (JsonNode) root = text != NULL ? psim_json_parse (text, -1, path, f->lang, &local)
                                           : NULL;
  if (root == NULL)
    {
      g_set_error (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_FAILED, "%s: %s", path,
                   local->message);
      return NULL;
    }
  JsonObject *o = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  PsimStoreEntry *e = g_new0 (PsimStoreEntry, 1);
  const char *session = member_string (o, "session");
  e->id = g_strdup (session != NULL ? session : id);
  e->actor = g_strdup (member_string (o, "actor"));
  e->scenario = g_strdup (member_string (member_object (o, "scenario"), "id"));
  JsonNode *answers = o != NULL ? json_object_get_member (o, "answers") : NULL;
  e->n_answers = answers != NULL && JSON_NODE_HOLDS_ARRAY (answers)
                     ? json_array_get_length (json_node_get_array (answers))
                     : 0;
  GStatBuf st;
  if (g_stat (path, &st) == 0)
    e->updated = (gint64) st.st_mtime * G_USEC_PER_SEC;
  e->finished = finished;
  if (finished)
    {
      /* A record's start is ISO 8601 text; its score has the figures. */
      const char *started = member_string (o, "started");
      g_autoptr (GDateTime) t = started != NULL ? g_date_time_new_from_iso8601 (started, NULL)
                                                : NULL;
      e->started = t != NULL ? g_date_time_to_unix (t) * G_USEC_PER_SEC
                                   + g_date_time_get_microsecond (t)
                             : 0;
      JsonObject *score = member_object (o, "score");
      e->score = (int) CLAMP (member_int (score, "score"), G_MININT, G_MAXINT);
      e->max_score = (int) CLAMP (member_int (score, "max"), G_MININT, G_MAXINT);
      JsonNode *passed = score != NULL ? json_object_get_member (score, "passed") : NULL;
      e->passed = passed != NULL && JSON_NODE_HOLDS_VALUE (passed)
                  && json_node_get_value_type (passed) == G_TYPE_BOOLEAN
                  && json_node_get_boolean (passed);
    }
  else
    e->started = member_int (o, "started");
  return e;
}

static PsimStoreEntry *
folder_get_entry (gpointer self, const char *id, GError **error)
{
  Folder *f = self;
  if (f->checkpoint == NULL && !check_id (id, error))
    return NULL;
  g_autofree char *cp = checkpoint_path (f, id);
  if (exists (cp))
    return entry_from_file (f, id, cp, FALSE, error);
  g_autofree char *rec = record_path (f, id, PSIM_STORE_RECORD_JSON);
  if (exists (rec))
    return entry_from_file (f, id, rec, TRUE, error);
  g_set_error (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_NOT_FOUND, "no session '%s' in %s", id,
               f->dir);
  return NULL;
}

static gint
newest_first (gconstpointer a, gconstpointer b)
{
  const PsimStoreEntry *x = *(PsimStoreEntry *const *) a, *y = *(PsimStoreEntry *const *) b;
  if (x->updated != y->updated)
    return x->updated > y->updated ? -1 : 1;
  return -g_strcmp0 (x->id, y->id);
}

/* The ids of the sessions in the folder: ID.checkpoint.json and ID.json
 * (not ID.xapi.json). Files that do not read are left out of lists. */
static GPtrArray *
folder_list (gpointer self, const char *actor, GError **error)
{
  Folder *f = self;
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) psim_store_entry_free);
  if (f->checkpoint != NULL)
    {
      PsimStoreEntry *e = entry_from_file (f, NULL, f->checkpoint, FALSE, NULL);
      if (e != NULL && (actor == NULL || g_strcmp0 (actor, e->actor) == 0))
        g_ptr_array_add (out, e);
      else
        psim_store_entry_free (e);
      return out;
    }
  g_autoptr (GDir) d = g_dir_open (f->dir, 0, NULL);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (const char *name; d != NULL && (name = g_dir_read_name (d)) != NULL;)
    {
      g_autofree char *id = NULL;
      if (g_str_has_suffix (name, CHECKPOINT_SUFFIX))
        id = g_strndup (name, strlen (name) - strlen (CHECKPOINT_SUFFIX));
      else if (g_str_has_suffix (name, ".json") && !g_str_has_suffix (name, ".xapi.json"))
        id = g_strndup (name, strlen (name) - strlen (".json"));
      if (id == NULL || !psim_store_folder_id_is_valid (id) || g_hash_table_contains (seen, id))
        continue;
      PsimStoreEntry *e = folder_get_entry (f, id, NULL);
      g_hash_table_add (seen, g_steal_pointer (&id));
      if (e != NULL && (actor == NULL || g_strcmp0 (actor, e->actor) == 0))
        g_ptr_array_add (out, e);
      else
        psim_store_entry_free (e);
    }
  g_ptr_array_sort (out, newest_first);
  return out;
}

/* ---- sessions -------------------------------------------------------------- */

static gboolean
folder_create (gpointer self, const PsimStoreEntry *entry, const char *checkpoint,
               GError **error)
{
  Folder *f = self;
  if (!check_id (entry->id, error))
    return FALSE;
  g_autofree char *cp = checkpoint_path (f, entry->id);
  g_autofree char *rec = record_path (f, entry->id, PSIM_STORE_RECORD_JSON);
  if (exists (cp) || exists (rec))
    {
      g_set_error (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_EXISTS,
                   "a session '%s' is already in %s", entry->id, f->dir);
      return FALSE;
    }
  return write_durably (cp, checkpoint, error);
}

static gboolean
folder_save_answer (gpointer self, const PsimStoreAnswer *answer, GError **error)
{
  Folder *f = self;
  if (!check_id (answer->entry->id, error))
    return FALSE;
  /* The checkpoint holds every answer: replacing it adds the row. */
  g_autofree char *cp = checkpoint_path (f, answer->entry->id);
  return write_durably (cp, answer->checkpoint, error);
}

static char *
folder_load (gpointer self, const char *id, GError **error)
{
  Folder *f = self;
  if (f->checkpoint == NULL && !check_id (id, error))
    return NULL;
  g_autofree char *cp = checkpoint_path (f, id);
  if (!exists (cp))
    {
      g_set_error (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_NOT_FOUND,
                   "no saved session '%s' in %s", id, f->dir);
      return NULL;
    }
  /* Errors in the file's own domain (not a regular file, too large):
   * the caller puts the file's name in front. */
  return psim_file_read (cp, PSIM_LOAD_MAX_FILE_SIZE, f->lang, NULL, error);
}

static gboolean
folder_remove (gpointer self, const char *id, GError **error)
{
  Folder *f = self;
  if (!check_id (id, error))
    return FALSE;
  gboolean found = FALSE;
  g_autofree char *cp = checkpoint_path (f, id);
  for (guint k = 0; k <= G_N_ELEMENTS (record_suffixes); k++)
    {
      g_autofree char *path = k < G_N_ELEMENTS (record_suffixes) ? record_path (f, id, k)
                                                                 : g_strdup (cp);
      if (g_unlink (path) == 0)
        found = TRUE;
      else if (errno != ENOENT)
        return failed (error, "cannot remove", path, errno);
    }
  if (!found)
    {
      g_set_error (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_NOT_FOUND, "no session '%s' in %s",
                   id, f->dir);
      return FALSE;
    }
  return sync_dir (f->dir, error);
}

/* The records, each on disk, then the checkpoint removed: the session is
 * finished once its records are safe, and not before. */
static gboolean
folder_write_records (gpointer self, const char *id, const PsimStoreRecords *records,
                      GError **error)
{
  Folder *f = self;
  if (!check_id (id, error))
    return FALSE;
  const char *texts[] = { records->json, records->xapi, records->xes };
  for (guint k = 0; k < G_N_ELEMENTS (texts); k++)
    {
      g_autofree char *path = record_path (f, id, k);
      if (!write_durably (path, texts[k], error))
        return FALSE;
    }
  g_autofree char *cp = checkpoint_path (f, id);
  if (g_unlink (cp) != 0 && errno != ENOENT)
    return failed (error, "cannot remove", cp, errno);
  g_autofree char *cp_dir = g_path_get_dirname (cp);
  return sync_dir (cp_dir, error);
}

static char *
folder_load_record (gpointer self, const char *id, PsimStoreRecordKind kind, GError **error)
{
  Folder *f = self;
  if (!check_id (id, error))
    return NULL;
  if ((guint) kind >= G_N_ELEMENTS (record_suffixes))
    {
      g_set_error (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_NOT_FOUND, "no such record kind");
      return NULL;
    }
  g_autofree char *path = record_path (f, id, kind);
  if (!exists (path))
    {
      g_set_error (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_NOT_FOUND,
                   "session '%s' has no records in %s", id, f->dir);
      return NULL;
    }
  return psim_file_read (path, PSIM_LOAD_MAX_FILE_SIZE, f->lang, NULL, error);
}

/* ---- locks ----------------------------------------------------------------- */

/* Whoever holds the lock of session @id is the only writer of its files:
 * temporary files of them (".NAME.XXXXXX.tmp") are what a process killed
 * mid-write left, and go. */
static void
remove_temps (const Folder *f, const char *id)
{
  g_autofree char *cp = checkpoint_path (f, id);
  guint removed = psim_file_remove_temps (cp);
  for (guint k = 0; k < G_N_ELEMENTS (record_suffixes); k++)
    {
      g_autofree char *path = record_path (f, id, k);
      removed += psim_file_remove_temps (path);
    }
  if (removed > 0)
    g_debug ("session '%s': %u temporary files left by an earlier process removed", id, removed);
}

static gboolean
folder_lock (gpointer self, const char *id, GError **error)
{
  Folder *f = self;
  if (f->checkpoint == NULL && !check_id (id, error))
    return FALSE;
  if (g_hash_table_contains (f->locks, id))
    return TRUE;
  g_autofree char *path = lock_path (f, id);
  /* A few rounds at most: another holder removing the file between our
   * open and our lock makes us try again on the new file. */
  for (guint round = 0; round < 100; round++)
    {
      int fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
      if (fd < 0)
        return failed (error, "cannot open", path, errno);
      if (flock (fd, LOCK_EX | LOCK_NB) != 0)
        {
          int errsv = errno;
          close (fd);
          if (errsv == EWOULDBLOCK)
            {
              g_set_error (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_BUSY,
                           "session '%s' is in use by another process", id);
              return FALSE;
            }
          return failed (error, "cannot lock", path, errsv);
        }
      struct stat held, now;
      if (fstat (fd, &held) == 0 && stat (path, &now) == 0 && held.st_dev == now.st_dev
          && held.st_ino == now.st_ino)
        {
          g_hash_table_insert (f->locks, g_strdup (id), GINT_TO_POINTER (fd + 1));
          remove_temps (f, id);
          return TRUE;
        }
      close (fd);
    }
  g_set_error (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_BUSY,
               "session '%s' is in use by another process", id);
  return FALSE;
}

/* Removes the lock file while still holding the lock, then lets go. */
static void
release (Folder *f, const char *id, int fd)
{
  g_autofree char *path = lock_path (f, id);
  g_unlink (path);
  close (fd);
}

static void
folder_unlock (gpointer self, const char *id)
{
  Folder *f = self;
  gpointer value = NULL;
  if (!g_hash_table_lookup_extended (f->locks, id, NULL, &value))
    return;
  release (f, id, GPOINTER_TO_INT (value) - 1);
  g_hash_table_remove (f->locks, id);
}

static void
folder_free (gpointer self)
{
  Folder *f = self;
  GHashTableIter it;
  gpointer key, value;
  g_hash_table_iter_init (&it, f->locks);
  while (g_hash_table_iter_next (&it, &key, &value))
    release (f, key, GPOINTER_TO_INT (value) - 1);
  g_hash_table_unref (f->locks);
  g_free (f->dir);
  g_free (f->checkpoint);
  g_free (f->lang);
  g_free (f);
}

static const PsimStoreBackend folder_backend = {
  .create = folder_create,
  .save_answer = folder_save_answer,
  .load = folder_load,
  .get_entry = folder_get_entry,
  .list = folder_list,
  .remove = folder_remove,
  .write_records = folder_write_records,
  .load_record = folder_load_record,
  .lock = folder_lock,
  .unlock = folder_unlock,
  .free = folder_free,
};

PsimStore *
psim_store_new_folder (const char *dir, const char *checkpoint, const char *lang)
{
  g_return_val_if_fail (dir != NULL, NULL);
  Folder *f = g_new0 (Folder, 1);
  f->dir = g_strdup (dir);
  f->checkpoint = g_strdup (checkpoint);
  f->lang = g_strdup (lang);
  f->locks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return psim_store_new (&folder_backend, f);
}

char *
psim_store_folder_dup_checkpoint_file (PsimStore *store, const char *id)
{
  g_return_val_if_fail (store != NULL && id != NULL, NULL);
  g_return_val_if_fail (psim_store_get_backend (store) == &folder_backend, NULL);
  return checkpoint_path (psim_store_get_backend_data (store), id);
}
