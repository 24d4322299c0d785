/* psim-file.h — reading input files without trusting them, and replacing
 * output files whole.
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

/* ---- replacing files --------------------------------------------------
 *
 * A file procsim writes (an -o output, a checkpoint, a record) is written
 * to a temporary file beside it and renamed over it, so that it is whole
 * or as it was. The temporary file is named ".NAME.XXXXXX.tmp" (NAME the
 * file's name, cut to 200 bytes): hidden, and recognisable as procsim's
 * after a process killed mid-write left it (psim_file_remove_temps). When
 * the file is a symbolic link, the file written is the link's target: the
 * link stays, and the temporary file is made beside the target.
 */

/* The file @path names after following symbolic links to the end (a
 * target that does not exist yet included): @path itself when it is no
 * link. NULL with @error set (G_FILE_ERROR) on a loop of links (the
 * system's message: callers put the name in front) or a link that cannot
 * be read. (transfer full) */
char *psim_file_resolve_links (const char *path, GError **error);

/* Creates the temporary file that will replace @target: ".NAME.XXXXXX.tmp"
 * in @target's folder, opened for writing (close-on-exec) and locked
 * (flock, exclusive, until the descriptor is closed), with @target's
 * permission bits (rwx, not set-id) and owner, where allowed, when @target exists, else
 * 0666 less the umask. Returns the descriptor and its path in @tmp_path
 * (transfer full), or -1 with @error set (G_FILE_ERROR, the message the
 * system's: callers put the file's name in front). @target is no link
 * (see psim_file_resolve_links). */
int psim_file_create_temp (const char *target, char **tmp_path, GError **error);

/* Replaces the file @path (through its links) with @size bytes of @data:
 * a temporary file as above, renamed over it. With @durable, the data is
 * flushed to disk before the rename and the folder after it, so that a
 * crash at any moment leaves the old file or the new one. FALSE with
 * @error set (G_FILE_ERROR, "PATH: the system's message") and no
 * temporary file left on failure. */
gboolean psim_file_replace (const char *path, const char *data, gsize size, gboolean durable,
                            GError **error);

/* Flushes the folder @dir, so that a rename or a removal in it is on
 * disk. FALSE with @error set (G_FILE_ERROR) when it cannot; a file
 * system that cannot flush folders is no error. */
gboolean psim_file_sync_dir (const char *dir, GError **error);

/* Removes the temporary files of @path (".NAME.XXXXXX.tmp" beside it) that
 * a process killed while replacing it left. Only the caller knows that no
 * process is writing @path now (it holds the lock that writers take).
 * Returns how many it removed. */
guint psim_file_remove_temps (const char *path);

/* Removes the temporary files of @path that were left by writers now
 * dead, for a caller that holds no lock on @path (an -o output): those
 * whose writer's lock (psim_file_create_temp takes one, and the kernel
 * drops it when the writer dies, even by SIGKILL) is free and that were
 * not written to for 60 seconds. A file a live writer has open is never
 * removed. Returns how many it removed. */
guint psim_file_remove_stale_temps (const char *path);

G_END_DECLS
