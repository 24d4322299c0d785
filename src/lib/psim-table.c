/* psim-table.c — tables for spreadsheets (psim-table-private.h): cells
 * kept as typed values, then written as RFC 4180 CSV or, through
 * libxlsxwriter, as an XLSX workbook. libxlsxwriter writes only to a named
 * file, so the workbook goes through a private temporary file that is read
 * back and removed: the caller gets the bytes, whole or not at all.
 */
#include "psim-table-private.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

typedef enum { CELL_EMPTY, CELL_TEXT, CELL_NUMBER, CELL_TIME } CellKind;

typedef struct {
  CellKind kind;
  PsimpCellStyle style;
  char *text;
  double number;
  gint64 usec;
} Cell;

typedef struct {
  char *name;
  GPtrArray *keys;   /* char *: CSV headings */
  GPtrArray *labels; /* char *: workbook headings */
  GPtrArray *rows;   /* GArray of Cell */
} Sheet;

struct _PsimpTable {
  GPtrArray *sheets; /* Sheet * */
  GArray *row;       /* the row being filled */
};

static void
cell_clear (gpointer data)
{
  g_free (((Cell *) data)->text);
}

static GArray *
row_new (void)
{
  GArray *row = g_array_new (FALSE, TRUE, sizeof (Cell));
  g_array_set_clear_func (row, cell_clear);
  return row;
}

static void
sheet_free (gpointer data)
{
  Sheet *s = data;
  g_free (s->name);
  g_ptr_array_unref (s->keys);
  g_ptr_array_unref (s->labels);
  g_ptr_array_unref (s->rows);
  g_free (s);
}

PsimpTable *
psimp_table_new (void)
{
  PsimpTable *t = g_new0 (PsimpTable, 1);
  t->sheets = g_ptr_array_new_with_free_func (sheet_free);
  t->row = row_new ();
  return t;
}

void
psimp_table_free (PsimpTable *t)
{
  if (t == NULL)
    return;
  g_ptr_array_unref (t->sheets);
  g_array_unref (t->row);
  g_free (t);
}

void
psimp_table_add_sheet (PsimpTable *t, const char *name, ...)
{
  Sheet *s = g_new0 (Sheet, 1);
  s->name = g_strdup (name);
  s->keys = g_ptr_array_new_with_free_func (g_free);
  s->labels = g_ptr_array_new_with_free_func (g_free);
  s->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  va_list ap;
  va_start (ap, name);
  const char *key;
  while ((key = va_arg (ap, const char *)) != NULL)
    {
      g_ptr_array_add (s->keys, g_strdup (key));
      g_ptr_array_add (s->labels, g_strdup (va_arg (ap, const char *)));
    }
  va_end (ap);
  g_ptr_array_add (t->sheets, s);
}

static void
add_cell (PsimpTable *t, Cell c)
{
  g_array_append_val (t->row, c);
}

void
psimp_table_text (PsimpTable *t, const char *text)
{
  add_cell (t, (Cell) { .kind = text != NULL ? CELL_TEXT : CELL_EMPTY, .text = g_strdup (text) });
}

void
psimp_table_number (PsimpTable *t, double value, PsimpCellStyle style)
{
  add_cell (t, (Cell) { .kind = isfinite (value) ? CELL_NUMBER : CELL_EMPTY, .number = value,
                        .style = style });
}

void
psimp_table_time (PsimpTable *t, gint64 usec)
{
  add_cell (t, (Cell) { .kind = usec > 0 ? CELL_TIME : CELL_EMPTY, .usec = usec });
}

void
psimp_table_end_row (PsimpTable *t)
{
  g_return_if_fail (t->sheets->len > 0);
  Sheet *s = g_ptr_array_index (t->sheets, t->sheets->len - 1);
  g_ptr_array_add (s->rows, g_steal_pointer (&t->row));
  t->row = row_new ();
}

/* ---- CSV ----------------------------------------------------------------- */

/* RFC 4180: a field with a comma, a quote or a line break is quoted, its
 * quotes doubled. */
static void
csv_field (GString *out, const char *text, gboolean last)
{
  if (strpbrk (text, ",\"\r\n") != NULL)
    {
      g_string_append_c (out, '"');
      for (const char *p = text; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else
    g_string_append (out, text);
  g_string_append (out, last ? "\r\n" : ",");
}

/* "2026-11-23T10:00:00Z". (transfer full) */
static char *
iso_time (gint64 usec)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  return t != NULL ? g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("");
}

/* A number for programs: no grouping, '.' for decimals; whole when
 * shown whole. (transfer full) */
static char *
csv_number (const Cell *c)
{
  double v = c->style == PSIMP_CELL_WHOLE ? round (c->number) : c->number;
  if (v == floor (v) && fabs (v) < 9e15)
    return g_strdup_printf ("%.0f", v);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.6g", v));
}

static char *
cell_text (const Cell *c)
{
  switch (c->kind)
    {
    case CELL_TEXT:
      return g_strdup (c->text);
    case CELL_NUMBER:
      return csv_number (c);
    case CELL_TIME:
      return iso_time (c->usec);
    case CELL_EMPTY:
    default:
      return g_strdup ("");
    }
}

char *
psimp_table_to_csv (const PsimpTable *t)
{
  g_return_val_if_fail (t != NULL && t->sheets->len > 0, NULL);
  const Sheet *s = g_ptr_array_index (t->sheets, 0);
  GString *out = g_string_new (NULL);
  for (guint k = 0; k < s->keys->len; k++)
    csv_field (out, g_ptr_array_index (s->keys, k), k + 1 == s->keys->len);
  for (guint r = 0; r < s->rows->len; r++)
    {
      GArray *row = g_ptr_array_index (s->rows, r);
      for (guint k = 0; k < s->keys->len; k++)
        {
          g_autofree char *text = k < row->len ? cell_text (&g_array_index (row, Cell, k))
                                               : g_strdup ("");
          csv_field (out, text, k + 1 == s->keys->len);
        }
    }
  return g_string_free (out, FALSE);
}

/* ---- XLSX ---------------------------------------------------------------- */

typedef struct {
  lxw_format *heading, *whole, *decimal1, *time;
} Formats;

static lxw_format *
number_format (const Formats *f, PsimpCellStyle style)
{
  return style == PSIMP_CELL_WHOLE ? f->whole : style == PSIMP_CELL_DECIMAL1 ? f->decimal1 : NULL;
}

static void
write_cell (lxw_worksheet *ws, lxw_row_t r, lxw_col_t k, const Cell *c, const Formats *f)
{
  if (c->kind == CELL_TEXT)
    worksheet_write_string (ws, r, k, c->text, NULL);
  else if (c->kind == CELL_NUMBER)
    worksheet_write_number (ws, r, k, c->number, number_format (f, c->style));
  else if (c->kind == CELL_TIME)
    {
      g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (c->usec / G_USEC_PER_SEC);
      if (t == NULL)
        return;
      lxw_datetime dt = { g_date_time_get_year (t), g_date_time_get_month (t),
                          g_date_time_get_day_of_month (t), g_date_time_get_hour (t),
                          g_date_time_get_minute (t), g_date_time_get_second (t) };
      worksheet_write_datetime (ws, r, k, &dt, f->time);
    }
}

/* Characters a column needs: its widest cell, within reason. */
static double
column_width (const Sheet *s, guint k)
{
  glong w = g_utf8_strlen (g_ptr_array_index (s->labels, k), -1);
  for (guint r = 0; r < s->rows->len; r++)
    {
      GArray *row = g_ptr_array_index (s->rows, r);
      if (k >= row->len)
        continue;
      const Cell *c = &g_array_index (row, Cell, k);
      glong n = c->kind == CELL_TEXT ? g_utf8_strlen (c->text, -1)
                : c->kind == CELL_TIME ? 16
                : c->kind == CELL_NUMBER ? 14 : 0;
      w = MAX (w, n);
    }
  return CLAMP (w + 2, 8, 60);
}

static gboolean
write_workbook (const PsimpTable *t, const char *path, const char *title, gint64 created)
{
  lxw_workbook *wb = workbook_new (path);
  if (wb == NULL)
    return FALSE;
  /* The document's date is the caller's, never the clock's: the same
   * table gives the same bytes (libxlsxwriter dates the zip entries
   * 1980-01-01 itself). */
  lxw_doc_properties props = { .title = (char *) title, .created = (time_t) MAX (created, 1) };
  workbook_set_properties (wb, &props);
  Formats f = { workbook_add_format (wb), workbook_add_format (wb), workbook_add_format (wb),
                workbook_add_format (wb) };
  format_set_bold (f.heading);
  format_set_text_wrap (f.heading);
  format_set_num_format (f.whole, "#,##0");
  format_set_num_format (f.decimal1, "0.0");
  format_set_num_format (f.time, "yyyy-mm-dd hh:mm");
  for (guint i = 0; i < t->sheets->len; i++)
    {
      const Sheet *s = g_ptr_array_index (t->sheets, i);
      lxw_worksheet *ws = workbook_add_worksheet (wb, s->name);
      if (ws == NULL)
        {
          workbook_close (wb);
          return FALSE;
        }
      for (guint k = 0; k < s->labels->len; k++)
        {
          worksheet_set_column (ws, k, k, column_width (s, k), NULL);
          worksheet_write_string (ws, 0, k, g_ptr_array_index (s->labels, k), f.heading);
        }
      worksheet_freeze_panes (ws, 1, 0);
      for (guint r = 0; r < s->rows->len; r++)
        {
          GArray *row = g_ptr_array_index (s->rows, r);
          for (guint k = 0; k < row->len; k++)
            write_cell (ws, r + 1, k, &g_array_index (row, Cell, k), &f);
        }
    }
  return workbook_close (wb) == LXW_NO_ERROR;
}

GBytes *
psimp_table_to_xlsx (const PsimpTable *t, const char *title, gint64 created, GError **error)
{
  g_return_val_if_fail (t != NULL && t->sheets->len > 0, NULL);
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("procsim-XXXXXX.xlsx", &path, error);
  if (fd < 0)
    return NULL;
  close (fd);
  errno = 0;
  gboolean ok = write_workbook (t, path, title, created);
  char *data = NULL;
  gsize size = 0;
  if (ok)
    ok = g_file_get_contents (path, &data, &size, error);
  else
    {
      int saved = errno != 0 ? errno : EIO;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", path,
                   g_strerror (saved));
    }
  g_unlink (path);
  return ok ? g_bytes_new_take (data, size) : NULL;
}
