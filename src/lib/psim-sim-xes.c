/* psim-sim-xes.c — `procsim simulate --log OUT.xes`: the simulated cases of
 * the first replication as an event log in XES (IEEE 1849-2016), which
 * process-mining tools read. One trace per case, in the order the cases
 * finish; for each step a "start" and a "complete" event with the step's
 * name, its id, the office that served it (org:resource) and the actor
 * (org:role). Times are the calendar's, in Viet Nam's time zone (UTC+7),
 * to the millisecond.
 *
 * The events of a case are held until it finishes, then written as its
 * trace through the caller's function, in the order of their times (the
 * engine runs a token's steps ahead, so parallel branches tell theirs out
 * of order; events at one instant keep the order they were told in):
 * memory grows with the cases in progress, not with the log. The log's head is written with the first
 * event, once the run's options (its seed) are known.
 */
#include "psim-sim-writer-private.h"

#include <math.h>
#include <string.h>

struct _PsimSimLog {
  PsimWriteFunc write;
  gpointer user_data;
  const char *lang;
  PsimSim *sim;
  gboolean head_written;
  GHashTable *open; /* case id → CaseEvents */
};

/* The events of a case in progress: their text one after another, and
 * where each one's is, with its time. */
typedef struct {
  GString *text;
  GArray *marks; /* EventMark */
} CaseEvents;

typedef struct {
  double t;
  gsize off, len;
} EventMark;

static void
case_events_free (gpointer p)
{
  CaseEvents *ce = p;
  g_string_free (ce->text, TRUE);
  g_array_unref (ce->marks);
  g_free (ce);
}

/* By time, then the order told (the offsets are unique). */
static int
mark_cmp (gconstpointer a, gconstpointer b)
{
  const EventMark *x = a, *y = b;
  if (x->t != y->t)
    return x->t < y->t ? -1 : 1;
  return x->off < y->off ? -1 : x->off > y->off;
}

static void write_head (PsimSimLog *x);

static void
attr (GString *out, const char *indent, const char *type, const char *key, const char *value)
{
  g_autofree char *v = g_markup_escape_text (value, -1);
  g_string_append_printf (out, "%s<%s key=\"%s\" value=\"%s\"/>\n", indent, type, key, v);
}

/* Clock time @t as an xs:dateTime. */
static void
append_timestamp (GString *out, const PsimCalendar *cal, double t)
{
  GDate d;
  double hour = 0;
  psim_calendar_get_date (cal, t, &d, &hour);
  gint64 ms = (gint64) llround (hour * 3600000.0);
  if (ms >= 86400000)
    {
      g_date_add_days (&d, 1);
      ms -= 86400000;
    }
  g_string_append_printf (out, "%04d-%02d-%02dT%02d:%02d:%02d.%03d+07:00", g_date_get_year (&d),
                          g_date_get_month (&d), g_date_get_day (&d), (int) (ms / 3600000),
                          (int) (ms / 60000 % 60), (int) (ms / 1000 % 60), (int) (ms % 1000));
}

static void
on_event (guint64 case_id, const PsimNode *step, const char *resource, const char *lifecycle,
          double t, gpointer data)
{
  PsimSimLog *x = data;
  write_head (x);
  CaseEvents *ce = g_hash_table_lookup (x->open, &case_id);
  if (ce == NULL)
    {
      guint64 *key = g_new (guint64, 1);
      *key = case_id;
      ce = g_new (CaseEvents, 1);
      ce->text = g_string_new (NULL);
      ce->marks = g_array_new (FALSE, FALSE, sizeof (EventMark));
      g_hash_table_insert (x->open, key, ce);
    }
  GString *ev = ce->text;
  EventMark mark = { t, ev->len, 0 };
  g_string_append (ev, "\t\t<event>\n");
  attr (ev, "\t\t\t", "string", "concept:name", psim_node_get_name (step, x->lang));
  attr (ev, "\t\t\t", "string", "step", psim_node_get_id (step));
  attr (ev, "\t\t\t", "string", "lifecycle:transition", lifecycle);
  if (resource != NULL)
    attr (ev, "\t\t\t", "string", "org:resource", resource);
  const PsimActor *actor = psim_step_get_actor (step);
  if (actor != NULL)
    attr (ev, "\t\t\t", "string", "org:role", psim_actor_get_id (actor));
  g_string_append (ev, "\t\t\t<date key=\"time:timestamp\" value=\"");
  append_timestamp (ev, psim_sim_get_calendar (x->sim), t);
  g_string_append (ev, "\"/>\n\t\t</event>\n");
  mark.len = ev->len - mark.off;
  g_array_append_val (ce->marks, mark);
}

static void
on_case_done (guint64 case_id, gpointer data)
{
  PsimSimLog *x = data;
  write_head (x);
  CaseEvents *ce = g_hash_table_lookup (x->open, &case_id);
  g_autofree char *head = g_strdup_printf ("\t<trace>\n\t\t<string key=\"concept:name\" value=\"%"
                                           G_GUINT64_FORMAT "\"/>\n", case_id + 1);
  x->write (head, strlen (head), x->user_data);
  if (ce != NULL)
    {
      g_array_sort (ce->marks, mark_cmp);
      for (guint i = 0; i < ce->marks->len; i++)
        {
          const EventMark *m = &g_array_index (ce->marks, EventMark, i);
          x->write (ce->text->str + m->off, m->len, x->user_data);
        }
      g_hash_table_remove (x->open, &case_id);
    }
  x->write ("\t</trace>\n", 9, x->user_data);
}

static void
write_head (PsimSimLog *x)
{
  if (x->head_written)
    return;
  x->head_written = TRUE;
  PsimProcedure *proc = psim_sim_get_procedure (x->sim);
  const PsimVariant *variant = psim_sim_get_variant (x->sim, 0);
  const char *lang = x->lang;
  g_autoptr (GString) head = g_string_new (
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<log xes.version=\"1849.2016\" xmlns=\"http://www.xes-standard.org/\">\n"
    "\t<extension name=\"Concept\" prefix=\"concept\" uri=\"http://www.xes-standard.org/concept.xesext\"/>\n"
    "\t<extension name=\"Time\" prefix=\"time\" uri=\"http://www.xes-standard.org/time.xesext\"/>\n"
    "\t<extension name=\"Lifecycle\" prefix=\"lifecycle\" uri=\"http://www.xes-standard.org/lifecycle.xesext\"/>\n"
    "\t<extension name=\"Organizational\" prefix=\"org\" uri=\"http://www.xes-standard.org/org.xesext\"/>\n"
    "\t<global scope=\"trace\">\n"
    "\t\t<string key=\"concept:name\" value=\"__INVALID__\"/>\n"
    "\t</global>\n"
    "\t<global scope=\"event\">\n"
    "\t\t<string key=\"concept:name\" value=\"__INVALID__\"/>\n"
    "\t\t<string key=\"step\" value=\"__INVALID__\"/>\n"
    "\t\t<string key=\"lifecycle:transition\" value=\"complete\"/>\n"
    "\t\t<date key=\"time:timestamp\" value=\"1970-01-01T00:00:00.000+00:00\"/>\n"
    "\t</global>\n"
    "\t<classifier name=\"Activity\" scope=\"event\" keys=\"concept:name\"/>\n"
    "\t<classifier name=\"Step\" scope=\"event\" keys=\"step\"/>\n"
    "\t<classifier name=\"Activity_transition\" scope=\"event\" keys=\"concept:name lifecycle:transition\"/>\n");
  g_autofree char *name = g_strdup_printf ("%s [%s]", psim_procedure_get_title (proc, lang),
                                           psim_variant_get_id (variant));
  attr (head, "\t", "string", "concept:name", name);
  attr (head, "\t", "string", "procedure", psim_procedure_get_id (proc));
  attr (head, "\t", "string", "variant", psim_variant_get_id (variant));
  g_autofree char *s = g_strdup_printf ("%" G_GUINT64_FORMAT, psim_sim_get_options (x->sim)->seed);
  attr (head, "\t", "string", "seed", s);
  x->write (head->str, head->len, x->user_data);
}

PsimSimLog *
psim_sim_log_new (PsimSim *sim, PsimWriteFunc write, gpointer user_data)
{
  g_return_val_if_fail (sim != NULL && write != NULL, NULL);
  PsimSimLog *x = g_new0 (PsimSimLog, 1);
  x->write = write;
  x->user_data = user_data;
  x->lang = psim_sim_get_language (sim);
  x->sim = sim;
  x->open = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, case_events_free);
  psim_sim_set_log (sim, on_event, on_case_done, x);
  return x;
}

void
psim_sim_log_finish (PsimSimLog *x)
{
  g_return_if_fail (x != NULL);
  /* Cases still open (a failed run) are left out. */
  psim_sim_set_log (x->sim, NULL, NULL, NULL);
  write_head (x);
  x->write ("</log>\n", 7, x->user_data);
  g_hash_table_unref (x->open);
  g_free (x);
}
