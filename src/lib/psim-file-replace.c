/* psim-file-replace.c — replacing a file whole (see psim-file.h).
 *
 * The new contents go to a temporary file beside the old one, which is
 * renamed over it: rename(2) in one folder is atomic, so a reader sees
 * the old file or the new one, never a part. Three things make the
 * difference between that and a careless replace:
 *
 * - A symbolic link is followed to its target, and the temporary file is
 *   made beside the target: renaming over the link would replace the link
 *   with a plain file and leave the target as it was.
 * - The new file takes the old one's permission bits (not the set-id
 *   ones) and owner, where the process may: a file the user made private
 *   stays private.
 * - The temporary file is named ".NAME.XXXXXX.tmp", so that one a killed
 *   process left is recognisable and can be removed by whoever next holds
 *   the right to write NAME (psim_file_remove_temps).
 * - Its writer holds an exclusive flock(2) on it for as long as it has it
 *   open, which the kernel drops when the writer dies, SIGKILL included:
 *   the next writer of NAME that holds no lock of its own (an -o output)
 *   removes only the temporary files it can lock itself, and only those
 *   untouched for STALE_SECONDS (psim_file_remove_stale_temps).
 */
#include "psim-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <procsim/psim-file.h>

/* Links followed before giving up, as the kernel's own limit (MAXSYMLINKS). */
#define MAX_LINKS 40
/* A name's bytes kept in its temporary file's name: NAME_MAX is 255, and
 * ".NAME.XXXXXX.tmp" adds 12. */
#define MAX_TEMP_BASE 200
#define TEMP_SUFFIX ".tmp"
#define TEMP_RANDOM 6
/* A temporary file without a live writer's lock is left alone this long
 * after its last write: the moments between its creation and its lock,
 * and between its close and its rename, when its writer holds none. */
#define STALE_SECONDS 60

static gboolean
failed (GError **error, int errsv, const char *path)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv), "%s: %s", path,
               g_strerror (errsv));
  return FALSE;
}

char *
psim_file_resolve_links (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_autofree char *current = g_strdup (path);
  for (guint n = 0; n <= MAX_LINKS; n++)
    {
      GStatBuf st;
      if (g_lstat (current, &st) != 0 || !S_ISLNK (st.st_mode))
        return g_steal_pointer (&current); /* not there yet, or no link */
      g_autoptr (GError) local = NULL;
      g_autofree char *target = g_file_read_link (current, &local);
      if (target == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      if (!g_path_is_absolute (target))
        {
          g_autofree char *dir = g_path_get_dirname (current);
          g_free (current);
          current = g_build_filename (dir, target, NULL);
        }
      else
        {
          g_free (current);
          current = g_steal_pointer (&target);
        }
    }
  g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (ELOOP), g_strerror (ELOOP));
  return NULL;
}

int
psim_file_create_temp (const char *target, char **tmp_path, GError **error)
{
  g_return_val_if_fail (target != NULL && tmp_path != NULL, -1);
  g_autofree char *dir = g_path_get_dirname (target);
  g_autofree char *base = g_path_get_basename (target);
  if (strlen (base) > MAX_TEMP_BASE)
    base[MAX_TEMP_BASE] = '\0';
  g_autofree char *name = g_strdup_printf (".%s.XXXXXX" TEMP_SUFFIX, base);
  g_autofree char *tmp = g_build_filename (dir, name, NULL);
  int fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      failed (error, errno, tmp);
      return -1;
    }
  /* The writer's mark, for psim_file_remove_stale_temps. A file system
   * without locks only loses the cleaning, not the writing. */
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    g_debug ("%s: no lock: %s", tmp, g_strerror (errno));
  GStatBuf old, now;
  if (g_stat (target, &old) == 0 && S_ISREG (old.st_mode) && fstat (fd, &now) == 0)
    {
      /* The owner first: a change of owner may clear set-id bits. Neither
       * is an error when not allowed (a file of another user in a shared
       * folder): the new file is then the writer's, as any new file. */
      if ((now.st_uid != old.st_uid || now.st_gid != old.st_gid)
          && fchown (fd, old.st_uid, old.st_gid) != 0)
        g_debug ("%s: cannot keep the owner: %s", target, g_strerror (errno));
      if (fchmod (fd, old.st_mode & 0777) != 0)
        g_debug ("%s: cannot keep the permissions: %s", target, g_strerror (errno));
    }
  *tmp_path = g_steal_pointer (&tmp);
  return fd;
}

gboolean
psim_file_sync_dir (const char *dir, GError **error)
{
  g_return_val_if_fail (dir != NULL, FALSE);
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (fd < 0)
    return failed (error, errno, dir);
  gboolean ok = fsync (fd) == 0 || errno == EINVAL; /* some file systems cannot */
  int errsv = errno;
  close (fd);
  return ok ? TRUE : failed (error, errsv, dir);
}

static gboolean
write_all (int fd, const char *data, gsize size)
{
  while (size > 0)
    {
      ssize_t n = write (fd, data, MIN (size, (gsize) G_MAXSSIZE));
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          if (n == 0)
            errno = ENOSPC;
          return FALSE;
        }
      data += n;
      size -= (gsize) n;
    }
  return TRUE;
}

gboolean
psim_file_replace (const char *path, const char *data, gsize size, gboolean durable,
                   GError **error)
{
  g_return_val_if_fail (path != NULL && (data != NULL || size == 0), FALSE);
  g_autofree char *target = psim_file_resolve_links (path, error);
  if (target == NULL)
    return FALSE;
  g_autofree char *tmp = NULL;
  int fd = psim_file_create_temp (target, &tmp, error);
  if (fd < 0)
    return FALSE;
  gboolean ok = write_all (fd, data, size) && (!durable || fsync (fd) == 0);
  int errsv = errno;
  if (close (fd) != 0 && ok)
    {
      ok = FALSE;
      errsv = errno;
    }
  if (ok && g_rename (tmp, target) != 0)
    {
      ok = FALSE;
      errsv = errno;
    }
  if (!ok)
    {
      g_unlink (tmp);
      return failed (error, errsv, target);
    }
  if (!durable)
    return TRUE;
  g_autofree char *dir = g_path_get_dirname (target);
  return psim_file_sync_dir (dir, error);
}

/* Calls @func on each file of @path's folder named as a temporary file of
 * @path (".NAME.XXXXXX.tmp"); counts those it returns TRUE for. */
static guint
each_temp (const char *path, gboolean (*func) (const char *tmp))
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  if (strlen (base) > MAX_TEMP_BASE)
    base[MAX_TEMP_BASE] = '\0';
  g_autofree char *prefix = g_strdup_printf (".%s.", base);
  gsize length = strlen (prefix) + TEMP_RANDOM + strlen (TEMP_SUFFIX);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  guint removed = 0;
  for (const char *name; d != NULL && (name = g_dir_read_name (d)) != NULL;)
    {
      if (strlen (name) != length || !g_str_has_prefix (name, prefix)
          || !g_str_has_suffix (name, TEMP_SUFFIX))
        continue;
      g_autofree char *tmp = g_build_filename (dir, name, NULL);
      if (func (tmp))
        removed++;
    }
  return removed;
}

static gboolean
remove_regular (const char *tmp)
{
  GStatBuf st;
  return g_lstat (tmp, &st) == 0 && S_ISREG (st.st_mode) && g_unlink (tmp) == 0;
}

guint
psim_file_remove_temps (const char *path)
{
  g_return_val_if_fail (path != NULL, 0);
  return each_temp (path, remove_regular);
}

/* Removes @tmp when no live process holds its lock and it was not written
 * to for STALE_SECONDS; the lock is held while it goes, so that no writer
 * can take it meanwhile. */
static gboolean
remove_stale (const char *tmp)
{
  int fd = g_open (tmp, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0);
  if (fd < 0)
    return FALSE;
  struct stat st, now;
  gboolean stale = fstat (fd, &st) == 0 && S_ISREG (st.st_mode)
                   && time (NULL) - st.st_mtime >= STALE_SECONDS
                   && flock (fd, LOCK_EX | LOCK_NB) == 0
                   /* Still the file of that name (not replaced meanwhile). */
                   && g_lstat (tmp, &now) == 0 && now.st_dev == st.st_dev
                   && now.st_ino == st.st_ino;
  gboolean removed = stale && g_unlink (tmp) == 0;
  close (fd);
  return removed;
}

guint
psim_file_remove_stale_temps (const char *path)
{
  g_return_val_if_fail (path != NULL, 0);
  return each_temp (path, remove_stale);
}
