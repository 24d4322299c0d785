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
 */
#include "psim-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <procsim/psim-file.h>

/* Links followed before giving up, as the kernel's own limit (MAXSYMLINKS). */
#define MAX_LINKS 40
/* A name's bytes kept in its temporary file's name: NAME_MAX is 255, and
 * ".NAME.XXXXXX.tmp" adds 12. */
#define MAX_TEMP_BASE 200
#define TEMP_SUFFIX ".tmp"
#define TEMP_RANDOM 6

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

guint
psim_file_remove_temps (const char *path)
{
  g_return_val_if_fail (path != NULL, 0);
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
      GStatBuf st;
      if (g_lstat (tmp, &st) == 0 && S_ISREG (st.st_mode) && g_unlink (tmp) == 0)
        removed++;
    }
  return removed;
}
