/* psim-file.h — reading input files without trusting them.
 *
 * Every file procsim reads as input (procedures, scenarios and the
 * procedures they name, checkpoints, session records) is opened here:
 * without blocking, so that a FIFO with no writer or a device cannot hang
 * the caller; its type checked on the open descriptor, so that nothing can
 * be swapped in between a check and the open; only regular files go on to
 * be read, whole and size-capped.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PSIM_FILE_ERROR (psim_file_error_quark ())
GQuark psim_file_error_quark (void);

typedef enum {
  PSIM_FILE_ERROR_OPEN,        /* cannot be opened (missing, no permission) */
  PSIM_FILE_ERROR_NOT_REGULAR, /* a FIFO, a device, a directory, a socket */
  PSIM_FILE_ERROR_TOO_LARGE,   /* over the caller's size limit */
  PSIM_FILE_ERROR_READ,        /* a read failed */
} PsimFileError;

/* Opens @path for reading if it is a regular file: returns a descriptor
 * (blocking mode, close-on-exec) that the caller closes, or -1 with
 * @error set, its message in @lang (see psim-i18n.h). The message does
 * not name the file: callers put it in front ("FILE: not a regular
 * file"). */
int psim_file_open (const char *path, const char *lang, GError **error);

/* Reads the regular file @path whole, if it holds at most @max_size bytes.
 * Returns its contents followed by a nul byte (transfer full), its length
 * in @size (nullable), or NULL with @error set (messages as above). */
char *psim_file_read (const char *path, gsize max_size, const char *lang, gsize *size,
                      GError **error);

G_END_DECLS
