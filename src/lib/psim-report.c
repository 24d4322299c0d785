/* psim-report.c — what a trainer wants to know from session records
 * (psim-report.h): the report object and its entries.
 *
 * Each record (psim_session_record_json's form) or checkpoint is read
 * defensively, as a file anyone can edit, into a small entry: scenario,
 * trainee, start, score, time, and the events that count (mistakes and
 * questions). psim-report-summary.c sums the entries of the period asked
 * for, per scenario; the figures and the writers (text, JSON, CSV, XLSX)
 * each have a file of their own.
 */
#include "psim-report-private.h"

#include <math.h>
#include <procsim/psim-file.h>
#include <string.h>

/* ---- entries: one per record or checkpoint ------------------------------ */

static void
event_clear (gpointer data)
{
  Event *e = data;
  g_free (e->kind);
  g_free (e->ref);
}

static void
entry_free (gpointer data)
{
  Entry *e = data;
  g_free (e->scenario);
  g_free (e->title);
  g_free (e->session);
  g_free (e->actor);
  g_array_unref (e->events);
  g_free (e);
}

/* Members read defensively: a record is a file anyone can edit, and
 * json-glib's getters complain (criticals) on a member of another type. */
static JsonNode *
member (JsonObject *o, const char *name)
{
  return o != NULL && json_object_has_member (o, name) ? json_object_get_member (o, name) : NULL;
}

static JsonObject *
member_object (JsonObject *o, const char *name)
{
  JsonNode *n = member (o, name);
  return n != NULL && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static JsonArray *
member_array (JsonObject *o, const char *name)
{
  JsonNode *n = member (o, name);
  return n != NULL && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

static const char *
member_string (JsonObject *o, const char *name, const char *fallback)
{
  JsonNode *n = member (o, name);
  return n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
             ? json_node_get_string (n)
             : fallback;
}

/* A number in [0, @max]; 0 when absent, of another type or out of range
 * (a tampered record must not overflow the sums). */
static double
member_number (JsonObject *o, const char *name, double max)
{
  JsonNode *n = member (o, name);
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return 0;
  GType t = json_node_get_value_type (n);
  double v = t == G_TYPE_INT64 || t == G_TYPE_DOUBLE ? json_node_get_double (n) : 0;
  return v >= 0 && v <= max ? v : 0;
}

static gboolean
member_true (JsonObject *o, const char *name)
{
  JsonNode *n = member (o, name);
  return n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_BOOLEAN
         && json_node_get_boolean (n);
}

/* Latest start time a record may give: 9999-12-31, in microseconds. */
#define MAX_STARTED 253402300799999999.0

/* "2026-11-23T10:00:00.250Z" in microseconds; 0 when it is not such a
 * time. */
static gint64
iso_usec (const char *text)
{
  g_autoptr (GDateTime) t = text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
  if (t == NULL)
    return 0;
  gint64 us = g_date_time_to_unix (t) * G_USEC_PER_SEC + g_date_time_get_microsecond (t);
  return us > 0 && us <= MAX_STARTED ? us : 0;
}

static gboolean
counted_event (const char *kind)
{
  static const char *const kinds[] = { "wrong", "unnecessary", "out-of-order", "skipped",
                                       "missed", "right" };
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (strcmp (kind, kinds[i]) == 0)
      return TRUE;
  return FALSE;
}

/* The entry of the record or checkpoint @root; NULL if it is neither. */
static Entry *
entry_of (JsonNode *root)
{
  JsonObject *o = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  const char *format = member_string (o, "format", "");
  gboolean record = strcmp (format, "procsim-session-record") == 0;
  if (!record && strcmp (format, "procsim-checkpoint") != 0)
    return NULL;
  JsonObject *sc = member_object (o, "scenario");
  JsonObject *score = member_object (o, "score");
  const char *id = member_string (sc, "id", NULL);
  if (id == NULL || (record && score == NULL))
    return NULL;
  Entry *e = g_new0 (Entry, 1);
  e->scenario = g_strdup (id);
  e->title = g_strdup (member_string (sc, "title", NULL));
  e->session = g_strdup (member_string (o, "session", NULL));
  e->actor = g_strdup (member_string (o, "actor", NULL));
  e->started = record ? iso_usec (member_string (o, "started", NULL))
                      : (gint64) member_number (o, "started", MAX_STARTED);
  e->scripted = member_true (o, "scripted");
  e->checkpoint = !record;
  e->finished = record && member_true (o, "finished");
  e->passed = e->finished && member_true (score, "passed");
  e->percent = member_number (score, "percent", 100);
  e->ms = member_number (score, "duration_ms", PSIM_SESSION_MAX_ANSWER_MS * 1e6);
  JsonArray *answers = member_array (o, "answers");
  e->answers = answers != NULL ? json_array_get_length (answers) : 0;
  e->events = g_array_new (FALSE, FALSE, sizeof (Event));
  g_array_set_clear_func (e->events, event_clear);
  JsonArray *events = member_array (o, "events");
  for (guint i = 0; events != NULL && i < json_array_get_length (events); i++)
    {
      JsonNode *n = json_array_get_element (events, i);
      JsonObject *ev = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
      const char *kind = member_string (ev, "kind", "");
      if (!counted_event (kind))
        continue;
      Event x = { g_strdup (kind), g_strdup (member_string (ev, "ref", "?")) };
      g_array_append_val (e->events, x);
    }
  return e;
}

PsimReport *
psim_report_new (void)
{
  PsimReport *report = g_new0 (PsimReport, 1);
  report->entries = g_ptr_array_new_with_free_func (entry_free);
  report->scenarios = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  report->recorded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return report;
}

void
psim_report_free (PsimReport *report)
{
  if (report == NULL)
    return;
  g_ptr_array_unref (report->entries);
  g_hash_table_unref (report->scenarios);
  g_hash_table_unref (report->recorded);
  g_free (report);
}

gboolean
psim_report_add_record (PsimReport *report, const char *data, gssize length, const char *name,
                        const char *lang, GError **error)
{
  g_return_val_if_fail (report != NULL && data != NULL && name != NULL, FALSE);
  g_autoptr (JsonNode) root = psim_json_parse (data, length, name, lang, error);
  if (root == NULL)
    return FALSE;
  JsonObject *o = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  Entry *e = entry_of (root);
  if (e == NULL)
    return FALSE;
  if (e->session != NULL && strcmp (member_string (o, "format", ""), "procsim-session-record") == 0)
    g_hash_table_add (report->recorded, g_strdup (e->session));
  g_hash_table_add (report->scenarios, g_strdup (e->scenario));
  g_ptr_array_add (report->entries, e);
  return TRUE;
}

gboolean
psim_report_add_record_file (PsimReport *report, const char *path, const char *lang,
                             GError **error)
{
  g_return_val_if_fail (report != NULL && path != NULL, FALSE);
  gsize size = 0;
  g_autoptr (GError) local = NULL;
  g_autofree char *data = psim_file_read (path, PSIM_LOAD_MAX_FILE_SIZE, lang, &size, &local);
  if (data == NULL)
    {
      g_set_error (error, local->domain, local->code, "%s: %s", path, local->message);
      return FALSE;
    }
  return psim_report_add_record (report, data, (gssize) size, path, lang, error);
}

void
psim_report_add_session (PsimReport *report, const PsimReportSession *session)
{
  g_return_if_fail (report != NULL && session != NULL && session->scenario != NULL);
  Entry *e = g_new0 (Entry, 1);
  e->scenario = g_strdup (session->scenario);
  e->title = g_strdup (session->title);
  e->session = g_strdup (session->session);
  e->actor = g_strdup (session->actor);
  e->started = session->started;
  e->finished = session->finished;
  e->passed = session->finished && session->passed;
  e->scripted = session->scripted;
  e->checkpoint = !session->finished;
  e->percent = isfinite (session->percent) ? CLAMP (session->percent, 0, 100) : 0;
  e->ms = isfinite (session->ms) ? MAX (session->ms, 0) : 0;
  e->answers = session->answers;
  e->events = g_array_new (FALSE, FALSE, sizeof (Event));
  g_array_set_clear_func (e->events, event_clear);
  for (guint i = 0; i < session->n_events; i++)
    {
      const PsimReportEvent *ev = &session->events[i];
      if (ev->kind == NULL || !counted_event (ev->kind))
        continue;
      Event x = { g_strdup (ev->kind), g_strdup (ev->ref != NULL ? ev->ref : "?") };
      g_array_append_val (e->events, x);
    }
  if (e->session != NULL && e->finished)
    g_hash_table_add (report->recorded, g_strdup (e->session));
  g_hash_table_add (report->scenarios, g_strdup (e->scenario));
  g_ptr_array_add (report->entries, e);
}

guint
psim_report_get_n_scenarios (const PsimReport *report)
{
  g_return_val_if_fail (report != NULL, 0);
  return g_hash_table_size (report->scenarios);
}

gboolean
psim_report_parse_date (const char *text, gboolean end, gint64 *usec)
{
  guint64 y, m, d;
  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  g_autofree char *copy = g_strdup (text);
  copy[4] = copy[7] = '\0';
  if (!g_ascii_string_to_unsigned (copy, 10, 1, 9999, &y, NULL)
      || !g_ascii_string_to_unsigned (copy + 5, 10, 1, 12, &m, NULL)
      || !g_ascii_string_to_unsigned (copy + 8, 10, 1, 31, &d, NULL)
      || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return FALSE;
  g_autoptr (GDateTime) t = g_date_time_new_utc ((int) y, (int) m, (int) d, 0, 0, 0);
  g_autoptr (GDateTime) next = end ? g_date_time_add_days (t, 1) : g_date_time_ref (t);
  if (next == NULL)
    return FALSE;
  *usec = g_date_time_to_unix (next) * G_USEC_PER_SEC;
  return TRUE;
}
