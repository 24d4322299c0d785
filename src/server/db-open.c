/* db-open.c — the database the --db URL names, opened by its backend:
 *
 *   sqlite:PATH, or a plain PATH            SQLite (db-sqlite.c)
 *   postgresql://… or postgres://…          PostgreSQL (db-pg.c), a libpq URI
 *   postgresql:KEY=VALUE …                  PostgreSQL, a libpq connection
 *                                           string ("postgresql:" removed)
 *
 * Apart from db.c so that the backends depend on db.c and not the other
 * way round.
 */
#include "db-backend.h"

#include <string.h>

static gboolean
is_postgresql (const char *url, const char **conninfo)
{
  if (g_str_has_prefix (url, "postgresql://") || g_str_has_prefix (url, "postgres://"))
    {
      *conninfo = url;
      return TRUE;
    }
  if (g_str_has_prefix (url, "postgresql:"))
    {
      *conninfo = url + strlen ("postgresql:");
      return TRUE;
    }
  return FALSE;
}

Db *
db_open (const char *url, GError **error)
{
  const char *conninfo;
  if (is_postgresql (url, &conninfo))
    return db_pg_open (conninfo, error);
  const char *path = url;
  if (g_str_has_prefix (url, "sqlite:"))
    path = url + strlen ("sqlite:");
  else if (strstr (url, "://") != NULL)
    {
      g_set_error (error, DB_ERROR, DB_ERROR_URL,
                   "'%s': a database is sqlite:PATH or postgresql://…", url);
      return NULL;
    }
  if (*path == '\0')
    {
      g_set_error (error, DB_ERROR, DB_ERROR_URL, "'%s' names no file", url);
      return NULL;
    }
  return db_sqlite_open (path, error);
}
