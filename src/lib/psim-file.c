/* psim-file.c — opening and reading input files (see psim-file.h).
 *
 * open(2) of a FIFO for reading waits for a writer, and reading a device
 * may never end: the file is opened with O_NONBLOCK, which makes the open
 * itself return at once whatever the file is, and then fstat(2) on the
 * descriptor decides. Regular files ignore O_NONBLOCK for reads, but it is
 * cleared anyway so the descriptor behaves as any other. Files are read
 * into memory rather than mapped: a mapped file that another process
 * truncates kills the reader with SIGBUS, which a long-lived server must
 * not risk.
 */
#include "psim-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <procsim/psim-file.h>

G_DEFINE_QUARK (psim-file-error-quark, psim_file_error)

int
psim_file_open (const char *path, const char *lang, GError **error)
{
  g_return_val_if_fail (path != NULL, -1);
  int fd = g_open (path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, PSIM_FILE_ERROR, PSIM_FILE_ERROR_OPEN,
                   psim_gettext (lang, "cannot open the file: %s"), g_strerror (saved));
      return -1;
    }
  struct stat st;
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error_literal (error, PSIM_FILE_ERROR, PSIM_FILE_ERROR_NOT_REGULAR,
                           psim_gettext (lang, "not a regular file"));
      return -1;
    }
  int flags = fcntl (fd, F_GETFL);
  if (flags >= 0)
    (void) fcntl (fd, F_SETFL, flags & ~O_NONBLOCK);
  return fd;
}

char *
psim_file_read (const char *path, gsize max_size, const char *lang, gsize *size,
                GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  int fd = psim_file_open (path, lang, error);
  if (fd < 0)
    return NULL;
  struct stat st;
  if (fstat (fd, &st) != 0 || (guint64) st.st_size > max_size)
    {
      close (fd);
      g_set_error (error, PSIM_FILE_ERROR, PSIM_FILE_ERROR_TOO_LARGE,
                   psim_gettext (lang, "file too large: %lu bytes (the limit is %lu)"),
                   (unsigned long) st.st_size, (unsigned long) max_size);
      return NULL;
    }
  /* The size may change while reading (a file being written): read until
   * the end, growing the buffer, up to the limit and not one byte more. */
  gsize cap = (gsize) st.st_size + 1, len = 0;
  g_autofree char *data = g_malloc (cap + 1);
  for (;;)
    {
      if (len == cap)
        {
          if (cap > max_size)
            {
              close (fd);
              g_set_error (error, PSIM_FILE_ERROR, PSIM_FILE_ERROR_TOO_LARGE,
                           psim_gettext (lang, "file too large: %lu bytes (the limit is %lu)"),
                           (unsigned long) len, (unsigned long) max_size);
              return NULL;
            }
          cap = MIN (cap * 2, max_size + 1);
          data = g_realloc (data, cap + 1);
        }
      ssize_t n = read (fd, data + len, cap - len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;
          close (fd);
          g_set_error (error, PSIM_FILE_ERROR, PSIM_FILE_ERROR_READ,
                       psim_gettext (lang, "cannot read the file: %s"), g_strerror (saved));
          return NULL;
        }
      if (n == 0)
        break;
      len += (gsize) n;
    }
  close (fd);
  data[len] = '\0';
  if (size != NULL)
    *size = len;
  return g_steal_pointer (&data);
}
