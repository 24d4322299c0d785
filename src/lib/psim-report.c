/* psim-report.c — what a trainer wants to know from session records
 * (psim-report.h). Each record (psim_session_record_json's form) or
 * checkpoint is read defensively, as a file anyone can edit, into a small
 * entry; the writers sum the entries of the period asked for, per
 * scenario: attempts, pass rate, mean score and time, each trainee's
 * attempts, best and last score, the unfinished sessions, each question's
 * share right and the most frequent mistakes, labelled from the scenario
 * when the caller's catalogue has it. Scripted replays are counted apart.
 */
#include "psim-table-private.h"
#include "psim-train-private.h"

#include <math.h>
#include <procsim/psim-file.h>
#include <procsim/psim-report.h>
#include <string.h>

#define TOP_MISTAKES 5

/* ---- entries: one per record or checkpoint ------------------------------ */

typedef struct {
  char *kind;
  char *ref;
} Event;

typedef struct {
  char *scenario;
  char *title; /* the record's, in the session's language; nullable */
  char *session;
  char *actor;
  gint64 started; /* microseconds since the epoch; 0 unknown */
  gboolean finished, passed, scripted;
  gboolean checkpoint; /* a checkpoint, not a record */
  double percent, ms;
  guint answers;
  GArray *events; /* Event: the mistakes and questions */
} Entry;

struct _PsimReport {
  GPtrArray *entries;     /* Entry* in the order added */
  GHashTable *scenarios;  /* ids seen */
  GHashTable *recorded;   /* session ids with a record */
};

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

/* ---- the sums, per scenario --------------------------------------------- */

typedef struct {
  const char *name;
  guint attempts, finished, unfinished, passed;
  double best, last;  /* percent; NAN before a finished attempt */
  gint64 last_finish; /* start of the finished attempt "last" is of */
  gint64 date;        /* start of the latest attempt */
} Trainee;

typedef struct {
  const char *id;
  const char *label; /* nullable */
  guint asked, right;
  guint order;
} Question;

typedef struct {
  const char *kind, *ref;
  char *label; /* "Unnecessary step: …" */
  guint count;
} Mistake;

typedef struct {
  const char *id;
  const char *title;
  const PsimScenario *sc; /* nullable */
  guint attempts, finished, unfinished, passed, scripted;
  double percent_sum, ms_sum;
  GArray *percents, *mss; /* double: the finished attempts', for medians */
  GPtrArray *trainees;   /* Trainee* */
  GPtrArray *open;       /* const Entry*: unfinished sessions */
  GPtrArray *questions;  /* Question* */
  GPtrArray *mistakes;   /* Mistake* */
} Summary;

static void
mistake_free (gpointer data)
{
  Mistake *m = data;
  g_free (m->label);
  g_free (m);
}

static void
summary_free (gpointer data)
{
  Summary *s = data;
  g_array_unref (s->percents);
  g_array_unref (s->mss);
  g_ptr_array_unref (s->trainees);
  g_ptr_array_unref (s->open);
  g_ptr_array_unref (s->questions);
  g_ptr_array_unref (s->mistakes);
  g_free (s);
}

static gint
by_id (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(Summary *const *) a)->id, (*(Summary *const *) b)->id);
}

static gint
by_name (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(Trainee *const *) a)->name, (*(Trainee *const *) b)->name);
}

static gint
by_start (gconstpointer a, gconstpointer b)
{
  const Entry *x = *(const Entry *const *) a, *y = *(const Entry *const *) b;
  if (x->started != y->started)
    return x->started < y->started ? -1 : 1;
  return g_strcmp0 (x->session, y->session);
}

static gint
by_order (gconstpointer a, gconstpointer b)
{
  const Question *x = *(Question *const *) a, *y = *(Question *const *) b;
  if (x->order != y->order)
    return x->order < y->order ? -1 : 1;
  return strcmp (x->id, y->id);
}

static gint
by_count (gconstpointer a, gconstpointer b)
{
  const Mistake *x = *(Mistake *const *) a, *y = *(Mistake *const *) b;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  int k = strcmp (x->kind, y->kind);
  return k != 0 ? k : strcmp (x->ref, y->ref);
}

/* What @ref names in @sc for an event of @kind, in @lang: a question's
 * prompt, a distractor's label (or its step's name), a step's name; NULL
 * when @sc is NULL or has no such thing. (transfer none) */
static const char *
ref_label (const PsimScenario *sc, const char *kind, const char *ref, const char *lang)
{
  if (sc == NULL)
    return NULL;
  if (strcmp (kind, "right") == 0 || strcmp (kind, "missed") == 0)
    {
      for (guint i = 0; i < sc->questions->len; i++)
        {
          const PsimQuestion *q = g_ptr_array_index (sc->questions, i);
          if (strcmp (q->id, ref) == 0)
            return psim_texts_get (q->prompt, lang);
        }
      return NULL;
    }
  for (guint i = 0; i < sc->distractors->len; i++)
    {
      const PsimDistractor *d = g_ptr_array_index (sc->distractors, i);
      if (strcmp (d->id, ref) == 0)
        return d->labels->len > 0 ? psim_texts_get (d->labels, lang)
                                  : psim_node_get_name (d->step, lang);
    }
  const PsimNode *n = psim_variant_find_node (sc->variant, ref);
  return n != NULL ? psim_node_get_name (n, lang) : NULL;
}

static const char *
kind_label (const char *kind, const char *lang)
{
  if (strcmp (kind, "wrong") == 0)
    return psim_gettext (lang, "Wrong action");
  if (strcmp (kind, "unnecessary") == 0)
    return psim_gettext (lang, "Unnecessary step");
  if (strcmp (kind, "out-of-order") == 0)
    return psim_gettext (lang, "Out of order");
  if (strcmp (kind, "skipped") == 0)
    return psim_gettext (lang, "Step revealed");
  return psim_gettext (lang, "Question missed");
}

static gboolean
in_period (const Entry *e, const PsimReportOptions *o)
{
  if (o->since > 0 && e->started < o->since)
    return FALSE;
  if (o->until > 0 && e->started >= o->until)
    return FALSE;
  return TRUE;
}

/* The empty summary of scenario @id, whose title is @title unless @sc (nullable)
 * gives one in @lang. */
static Summary *
summary_new (const char *id, const char *title, const PsimScenario *sc, const char *lang)
{
  Summary *s = g_new0 (Summary, 1);
  s->id = id;
  s->sc = sc;
  s->title = s->sc != NULL ? psim_scenario_get_title (s->sc, lang) : title != NULL ? title : id;
  s->percents = g_array_new (FALSE, FALSE, sizeof (double));
  s->mss = g_array_new (FALSE, FALSE, sizeof (double));
  s->trainees = g_ptr_array_new_with_free_func (g_free);
  s->open = g_ptr_array_new ();
  s->questions = g_ptr_array_new_with_free_func (g_free);
  s->mistakes = g_ptr_array_new_with_free_func (mistake_free);
  for (guint i = 0; s->sc != NULL && i < s->sc->questions->len; i++)
    {
      const PsimQuestion *q = g_ptr_array_index (s->sc->questions, i);
      Question *x = g_new0 (Question, 1);
      x->id = q->id;
      x->label = psim_texts_get (q->prompt, lang);
      x->order = i;
      g_ptr_array_add (s->questions, x);
    }
  return s;
}

static Trainee *
trainee_of (Summary *s, GHashTable *names, const Entry *e)
{
  const char *name = e->actor != NULL ? e->actor : "";
  g_autofree char *key = g_strconcat (s->id, "\n", name, NULL);
  Trainee *t = g_hash_table_lookup (names, key);
  if (t == NULL)
    {
      t = g_new0 (Trainee, 1);
      t->name = name;
      t->best = t->last = NAN;
      g_ptr_array_add (s->trainees, t);
      g_hash_table_insert (names, g_steal_pointer (&key), t);
    }
  return t;
}

static void
count_events (Summary *s, GHashTable *seen, const Entry *e, const char *lang)
{
  for (guint i = 0; i < e->events->len; i++)
    {
      const Event *ev = &g_array_index (e->events, Event, i);
      if (strcmp (ev->kind, "right") == 0 || strcmp (ev->kind, "missed") == 0)
        {
          Question *q = NULL;
          for (guint k = 0; k < s->questions->len && q == NULL; k++)
            if (strcmp (((Question *) g_ptr_array_index (s->questions, k))->id, ev->ref) == 0)
              q = g_ptr_array_index (s->questions, k);
          if (q == NULL)
            {
              q = g_new0 (Question, 1);
              q->id = ev->ref;
              q->order = G_MAXUINT;
              g_ptr_array_add (s->questions, q);
            }
          q->asked++;
          q->right += strcmp (ev->kind, "right") == 0;
          /* A question missed is in the questions' shares, not among the
           * mistakes. */
          continue;
        }
      g_autofree char *key = g_strconcat (s->id, "\n", ev->kind, "\n", ev->ref, NULL);
      Mistake *m = g_hash_table_lookup (seen, key);
      if (m == NULL)
        {
          m = g_new0 (Mistake, 1);
          m->kind = ev->kind;
          m->ref = ev->ref;
          const char *what = ref_label (s->sc, ev->kind, ev->ref, lang);
          m->label = g_strdup_printf ("%s: %s", kind_label (ev->kind, lang),
                                      what != NULL ? what : ev->ref);
          g_ptr_array_add (s->mistakes, m);
          g_hash_table_insert (seen, g_steal_pointer (&key), m);
        }
      m->count++;
    }
}

/* The summaries of the period, in scenario id order; only of @only (whose
 * summary is there even without a session) when it is not NULL. (transfer
 * full) */
static GPtrArray *
summarise (const PsimReport *report, const PsimReportOptions *o, const PsimScenario *only)
{
  GPtrArray *all = g_ptr_array_new_with_free_func (summary_free);
  g_autoptr (GHashTable) by_scenario = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (only != NULL)
    {
      Summary *s = summary_new (only->id, NULL, only, o->lang);
      g_ptr_array_add (all, s);
      g_hash_table_insert (by_scenario, (gpointer) s->id, s);
    }
  for (guint i = 0; i < report->entries->len; i++)
    {
      const Entry *e = g_ptr_array_index (report->entries, i);
      /* A checkpoint left beside its session's record counts as the
       * record. */
      gboolean recorded = e->checkpoint && e->session != NULL
                          && g_hash_table_contains (report->recorded, e->session);
      if (!in_period (e, o) || recorded || (only != NULL && strcmp (e->scenario, only->id) != 0))
        continue;
      Summary *s = g_hash_table_lookup (by_scenario, e->scenario);
      if (s == NULL)
        {
          s = summary_new (e->scenario, e->title,
                           o->scenarios != NULL
                             ? psim_catalogue_get_scenario (o->scenarios, e->scenario)
                             : NULL,
                           o->lang);
          g_ptr_array_add (all, s);
          g_hash_table_insert (by_scenario, (gpointer) s->id, s);
        }
      if (e->scripted)
        {
          s->scripted++;
          continue;
        }
      Trainee *t = trainee_of (s, names, e);
      s->attempts++;
      t->attempts++;
      t->date = MAX (t->date, e->started);
      count_events (s, seen, e, o->lang);
      if (!e->finished)
        {
          s->unfinished++;
          t->unfinished++;
          g_ptr_array_add (s->open, (gpointer) e);
          continue;
        }
      s->finished++;
      t->finished++;
      s->passed += e->passed;
      t->passed += e->passed;
      s->percent_sum += e->percent;
      s->ms_sum += e->ms;
      g_array_append_val (s->percents, e->percent);
      g_array_append_val (s->mss, e->ms);
      t->best = isnan (t->best) ? e->percent : MAX (t->best, e->percent);
      if (isnan (t->last) || e->started >= t->last_finish)
        {
          t->last = e->percent;
          t->last_finish = e->started;
        }
    }
  g_ptr_array_sort (all, by_id);
  for (guint i = 0; i < all->len; i++)
    {
      Summary *s = g_ptr_array_index (all, i);
      g_ptr_array_sort (s->trainees, by_name);
      g_ptr_array_sort (s->open, by_start);
      g_ptr_array_sort (s->questions, by_order);
      g_ptr_array_sort (s->mistakes, by_count);
    }
  return all;
}

static const PsimReportOptions *
options_or_default (const PsimReportOptions *options)
{
  static const PsimReportOptions none = { NULL, 0, 0, NULL, 0 };
  return options != NULL ? options : &none;
}

/* ---- the figures, for other front-ends ----------------------------------- */

static gint
by_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
median_of (GArray *v)
{
  if (v->len == 0)
    return NAN;
  g_array_sort (v, by_double);
  guint m = v->len / 2;
  return v->len % 2 == 1 ? g_array_index (v, double, m)
                         : (g_array_index (v, double, m - 1) + g_array_index (v, double, m)) / 2;
}

static void
public_trainee_free (gpointer data)
{
  PsimReportTrainee *t = data;
  g_free (t->name);
  g_free (t);
}

static void
public_open_free (gpointer data)
{
  PsimReportOpen *x = data;
  g_free (x->session);
  g_free (x->name);
  g_free (x);
}

static void
public_question_free (gpointer data)
{
  PsimReportQuestion *q = data;
  g_free (q->id);
  g_free (q->label);
  g_free (q);
}

static void
public_mistake_free (gpointer data)
{
  PsimReportMistake *m = data;
  g_free (m->kind);
  g_free (m->ref);
  g_free (m->label);
  g_free (m);
}

void
psim_report_figures_free (PsimReportFigures *f)
{
  if (f == NULL)
    return;
  g_free (f->id);
  g_free (f->title);
  g_ptr_array_unref (f->trainees);
  g_ptr_array_unref (f->open);
  g_ptr_array_unref (f->questions);
  g_ptr_array_unref (f->mistakes);
  g_free (f);
}

PsimReportFigures *
psim_report_get_figures (const PsimReport *report, const PsimScenario *scenario,
                         const PsimReportOptions *options)
{
  g_return_val_if_fail (report != NULL && scenario != NULL, NULL);
  g_autoptr (GPtrArray) all = summarise (report, options_or_default (options), scenario);
  Summary *s = g_ptr_array_index (all, 0);
  PsimReportFigures *f = g_new0 (PsimReportFigures, 1);
  f->id = g_strdup (s->id);
  f->title = g_strdup (s->title);
  f->attempts = s->attempts;
  f->finished = s->finished;
  f->unfinished = s->unfinished;
  f->passed = s->passed;
  f->scripted = s->scripted;
  f->mean_percent = s->finished > 0 ? s->percent_sum / s->finished : NAN;
  f->median_percent = median_of (s->percents);
  f->mean_ms = s->finished > 0 ? s->ms_sum / s->finished : NAN;
  f->median_ms = median_of (s->mss);
  f->trainees = g_ptr_array_new_with_free_func (public_trainee_free);
  for (guint i = 0; i < s->trainees->len; i++)
    {
      const Trainee *t = g_ptr_array_index (s->trainees, i);
      PsimReportTrainee *x = g_new0 (PsimReportTrainee, 1);
      *x = (PsimReportTrainee) { g_strdup (t->name), t->attempts, t->finished, t->unfinished,
                                 t->passed, t->best, t->last, t->date };
      g_ptr_array_add (f->trainees, x);
    }
  f->open = g_ptr_array_new_with_free_func (public_open_free);
  for (guint i = 0; i < s->open->len; i++)
    {
      const Entry *e = g_ptr_array_index (s->open, i);
      PsimReportOpen *x = g_new0 (PsimReportOpen, 1);
      *x = (PsimReportOpen) { g_strdup (e->session), g_strdup (e->actor), e->started, e->answers };
      g_ptr_array_add (f->open, x);
    }
  f->questions = g_ptr_array_new_with_free_func (public_question_free);
  for (guint i = 0; i < s->questions->len; i++)
    {
      const Question *q = g_ptr_array_index (s->questions, i);
      PsimReportQuestion *x = g_new0 (PsimReportQuestion, 1);
      *x = (PsimReportQuestion) { g_strdup (q->id), g_strdup (q->label), q->asked, q->right };
      g_ptr_array_add (f->questions, x);
    }
  f->mistakes = g_ptr_array_new_with_free_func (public_mistake_free);
  for (guint i = 0; i < s->mistakes->len; i++)
    {
      const Mistake *m = g_ptr_array_index (s->mistakes, i);
      PsimReportMistake *x = g_new0 (PsimReportMistake, 1);
      *x = (PsimReportMistake) { g_strdup (m->kind), g_strdup (m->ref), g_strdup (m->label),
                                 m->count };
      g_ptr_array_add (f->mistakes, x);
    }
  return f;
}

static double
mean_percent (const Summary *s)
{
  return s->finished > 0 ? s->percent_sum / s->finished : 0;
}

static double
pass_rate (const Summary *s)
{
  return s->finished > 0 ? 100.0 * s->passed / s->finished : 0;
}

/* To a tenth of a minute. */
static double
mean_minutes (const Summary *s)
{
  return s->finished > 0 ? round (s->ms_sum / s->finished / 6000.0) / 10 : 0;
}

/* "2026-11-23 10:00" (UTC), or "—" when unknown. (transfer full) */
static char *
format_time (gint64 usec, gboolean with_time)
{
  g_autoptr (GDateTime) t = usec > 0 ? g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC)
                                     : NULL;
  if (t == NULL)
    return g_strdup ("—");
  return g_date_time_format (t, with_time ? "%Y-%m-%d %H:%M" : "%Y-%m-%d");
}

/* "64 %", or "—" before a finished attempt. (transfer full) */
static char *
format_percent (double v, const char *lang)
{
  if (isnan (v))
    return g_strdup ("—");
  g_autofree char *n = psim_format_decimal (v, lang);
  return g_strdup_printf ("%s %%", n);
}

/* ---- text ---------------------------------------------------------------- */

static void
text_trainees (GString *out, const Summary *s, const char *lang)
{
  if (s->trainees->len == 0)
    return;
  g_string_append (out, "  ");
  psim_format_append_padded (out, psim_gettext (lang, "trainee"), 28);
  psim_format_append_padded (out, psim_gettext (lang, "attempts"), 10);
  psim_format_append_padded (out, psim_gettext (lang, "best"), 10);
  psim_format_append_padded (out, psim_gettext (lang, "last"), 10);
  g_string_append_printf (out, "%s\n", psim_gettext (lang, "date"));
  for (guint i = 0; i < s->trainees->len; i++)
    {
      const Trainee *t = g_ptr_array_index (s->trainees, i);
      g_autofree char *attempts = g_strdup_printf ("%u", t->attempts);
      g_autofree char *best = format_percent (t->best, lang);
      g_autofree char *last = format_percent (t->last, lang);
      g_autofree char *date = format_time (t->date, FALSE);
      g_string_append (out, "  ");
      psim_format_append_padded (out, *t->name != '\0' ? t->name : "—", 27);
      g_string_append_c (out, ' ');
      psim_format_append_padded (out, attempts, 10);
      psim_format_append_padded (out, best, 10);
      psim_format_append_padded (out, last, 10);
      g_string_append_printf (out, "%s\n", date);
    }
}

static void
text_summary (GString *out, const Summary *s, const char *lang)
{
  g_string_append_printf (out, "%s (%s)\n", s->title, s->id);
  g_autofree char *rate_s = psim_format_decimal (pass_rate (s), lang);
  g_autofree char *mean_s = psim_format_decimal (mean_percent (s), lang);
  g_autofree char *minutes = psim_format_decimal (mean_minutes (s), lang);
  g_string_append_printf (out, psim_gettext (lang, "  attempts %u, finished %u, passed %u (%s %%), mean score %s %%, "
             "mean time %s min\n"),
           s->attempts, s->finished, s->passed, rate_s, mean_s, minutes);
  if (s->scripted > 0)
    g_string_append_printf (out, psim_gettext (lang, "  scripted replays, not counted: %u\n"),
                            s->scripted);
  text_trainees (out, s, lang);
  if (s->open->len > 0)
    g_string_append_printf (out, psim_gettext (lang, "  unfinished sessions: %u\n"),
                            s->open->len);
  for (guint i = 0; i < s->open->len; i++)
    {
      const Entry *e = g_ptr_array_index (s->open, i);
      g_autofree char *when = format_time (e->started, TRUE);
      g_string_append_printf (out, "    %s · %s · %s · ", e->session != NULL ? e->session : "—",
                              e->actor != NULL ? e->actor : "—", when);
      g_string_append_printf (out, psim_ngettext (lang, "%u answer", "%u answers", e->answers),
                              e->answers);
      g_string_append_c (out, '\n');
    }
  gboolean asked = FALSE;
  for (guint i = 0; i < s->questions->len; i++)
    {
      const Question *q = g_ptr_array_index (s->questions, i);
      if (q->asked == 0)
        continue;
      if (!asked)
        g_string_append_printf (out, "%s\n", psim_gettext (lang, "  questions, share answered right:"));
      asked = TRUE;
      g_autofree char *share = format_percent (round (100.0 * q->right / q->asked), lang);
      g_string_append_printf (out, "    %5s %3u/%-3u %s\n", share, q->right, q->asked,
                              q->label != NULL ? q->label : q->id);
    }
  if (s->mistakes->len > 0)
    g_string_append_printf (out, "%s\n", psim_gettext (lang, "  most frequent mistakes:"));
  for (guint m = 0; m < s->mistakes->len && m < TOP_MISTAKES; m++)
    {
      const Mistake *x = g_ptr_array_index (s->mistakes, m);
      g_string_append_printf (out, "    %3u × %s\n", x->count, x->label);
    }
}

char *
psim_report_format_text (const PsimReport *report, const PsimReportOptions *options)
{
  g_return_val_if_fail (report != NULL, NULL);
  const PsimReportOptions *o = options_or_default (options);
  g_autoptr (GPtrArray) all = summarise (report, o, NULL);
  g_autoptr (GString) out = g_string_new (NULL);
  for (guint i = 0; i < all->len; i++)
    text_summary (out, g_ptr_array_index (all, i), o->lang);
  return psim_format_wrap (out->str, 80);
}

char *
psim_report_to_text (const PsimReport *report, const char *lang)
{
  const PsimReportOptions o = { .lang = lang };
  return psim_report_format_text (report, &o);
}

/* ---- JSON ---------------------------------------------------------------- */

static void
add_number_or_null (JsonBuilder *b, const char *name, double v)
{
  json_builder_set_member_name (b, name);
  if (isnan (v))
    json_builder_add_null_value (b);
  else
    psim_json_add_double (b, v);
}

static void
add_time (JsonBuilder *b, const char *name, gint64 usec)
{
  g_autoptr (GDateTime) t = usec > 0 ? g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC)
                                     : NULL;
  g_autofree char *text = t != NULL ? g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ") : NULL;
  json_builder_set_member_name (b, name);
  if (text != NULL)
    json_builder_add_string_value (b, text);
  else
    json_builder_add_null_value (b);
}

static void
json_summary (JsonBuilder *b, const Summary *s)
{
  json_builder_begin_object (b);
  psimp_json_add_string (b, "scenario", s->id);
  psimp_json_add_string (b, "title", s->title);
  psimp_json_add_number (b, "attempts", s->attempts);
  psimp_json_add_number (b, "finished", s->finished);
  psimp_json_add_number (b, "unfinished", s->unfinished);
  psimp_json_add_number (b, "passed", s->passed);
  psimp_json_add_number (b, "scripted", s->scripted);
  json_builder_set_member_name (b, "mean_percent");
  psim_json_add_double (b, mean_percent (s));
  json_builder_set_member_name (b, "mean_minutes");
  psim_json_add_double (b, mean_minutes (s));
  json_builder_set_member_name (b, "trainees");
  json_builder_begin_array (b);
  for (guint i = 0; i < s->trainees->len; i++)
    {
      const Trainee *t = g_ptr_array_index (s->trainees, i);
      json_builder_begin_object (b);
      psimp_json_add_string (b, "name", t->name);
      psimp_json_add_number (b, "attempts", t->attempts);
      psimp_json_add_number (b, "finished", t->finished);
      psimp_json_add_number (b, "unfinished", t->unfinished);
      add_number_or_null (b, "best_percent", t->best);
      add_number_or_null (b, "last_percent", t->last);
      add_time (b, "last_started", t->date);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "unfinished_sessions");
  json_builder_begin_array (b);
  for (guint i = 0; i < s->open->len; i++)
    {
      const Entry *e = g_ptr_array_index (s->open, i);
      json_builder_begin_object (b);
      psimp_json_add_string (b, "session", e->session);
      psimp_json_add_string (b, "name", e->actor);
      add_time (b, "started", e->started);
      psimp_json_add_number (b, "answers", e->answers);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "questions");
  json_builder_begin_array (b);
  for (guint i = 0; i < s->questions->len; i++)
    {
      const Question *q = g_ptr_array_index (s->questions, i);
      json_builder_begin_object (b);
      psimp_json_add_string (b, "id", q->id);
      psimp_json_add_string (b, "label", q->label);
      psimp_json_add_number (b, "asked", q->asked);
      psimp_json_add_number (b, "right", q->right);
      add_number_or_null (b, "share_right", q->asked > 0 ? (double) q->right / q->asked : NAN);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "mistakes");
  json_builder_begin_array (b);
  for (guint m = 0; m < s->mistakes->len && m < TOP_MISTAKES; m++)
    {
      const Mistake *x = g_ptr_array_index (s->mistakes, m);
      g_autofree char *what = g_strconcat (x->kind, " ", x->ref, NULL);
      json_builder_begin_object (b);
      psimp_json_add_string (b, "what", what);
      psimp_json_add_string (b, "kind", x->kind);
      psimp_json_add_string (b, "ref", x->ref);
      psimp_json_add_string (b, "label", x->label);
      psimp_json_add_number (b, "count", x->count);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

char *
psim_report_format_json (const PsimReport *report, const PsimReportOptions *options)
{
  g_return_val_if_fail (report != NULL, NULL);
  g_autoptr (GPtrArray) all = summarise (report, options_or_default (options), NULL);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_array (b);
  for (guint i = 0; i < all->len; i++)
    json_summary (b, g_ptr_array_index (all, i));
  json_builder_end_array (b);
  return psim_json_to_text (b);
}

char *
psim_report_to_json (const PsimReport *report)
{
  return psim_report_format_json (report, NULL);
}

/* ---- spreadsheets -------------------------------------------------------- */

static void
sheet_trainees (PsimpTable *t, GPtrArray *all, const char *l)
{
  psimp_table_add_sheet (t, psim_gettext (l, "Trainees"),
                         "scenario", psim_gettext (l, "Scenario"),
                         "title", psim_gettext (l, "Title"),
                         "trainee", psim_gettext (l, "Trainee"),
                         "attempts", psim_gettext (l, "Attempts"),
                         "finished", psim_gettext (l, "Finished"),
                         "unfinished", psim_gettext (l, "Unfinished"),
                         "best_percent", psim_gettext (l, "Best score (%)"),
                         "last_percent", psim_gettext (l, "Last score (%)"),
                         "last_started", psim_gettext (l, "Last session"), NULL);
  for (guint i = 0; i < all->len; i++)
    {
      const Summary *s = g_ptr_array_index (all, i);
      for (guint k = 0; k < s->trainees->len; k++)
        {
          const Trainee *x = g_ptr_array_index (s->trainees, k);
          psimp_table_text (t, s->id);
          psimp_table_text (t, s->title);
          psimp_table_text (t, x->name);
          psimp_table_number (t, x->attempts, PSIMP_CELL_GENERAL);
          psimp_table_number (t, x->finished, PSIMP_CELL_GENERAL);
          psimp_table_number (t, x->unfinished, PSIMP_CELL_GENERAL);
          psimp_table_number (t, x->best, PSIMP_CELL_DECIMAL1);
          psimp_table_number (t, x->last, PSIMP_CELL_DECIMAL1);
          psimp_table_time (t, x->date);
          psimp_table_end_row (t);
        }
    }
}

char *
psim_report_format_csv (const PsimReport *report, const PsimReportOptions *options)
{
  g_return_val_if_fail (report != NULL, NULL);
  const PsimReportOptions *o = options_or_default (options);
  g_autoptr (GPtrArray) all = summarise (report, o, NULL);
  g_autoptr (PsimpTable) t = psimp_table_new ();
  sheet_trainees (t, all, o->lang);
  return psimp_table_to_csv (t);
}

static void
sheet_scenarios (PsimpTable *t, GPtrArray *all, const char *l)
{
  psimp_table_add_sheet (t, psim_gettext (l, "Scenarios"),
                         "scenario", psim_gettext (l, "Scenario"),
                         "title", psim_gettext (l, "Title"),
                         "attempts", psim_gettext (l, "Attempts"),
                         "finished", psim_gettext (l, "Finished"),
                         "unfinished", psim_gettext (l, "Unfinished"),
                         "passed", psim_gettext (l, "Passed"),
                         "pass_rate", psim_gettext (l, "Pass rate (%)"),
                         "mean_percent", psim_gettext (l, "Mean score (%)"),
                         "mean_minutes", psim_gettext (l, "Mean time (min)"),
                         "scripted", psim_gettext (l, "Scripted replays"), NULL);
  for (guint i = 0; i < all->len; i++)
    {
      const Summary *s = g_ptr_array_index (all, i);
      psimp_table_text (t, s->id);
      psimp_table_text (t, s->title);
      psimp_table_number (t, s->attempts, PSIMP_CELL_GENERAL);
      psimp_table_number (t, s->finished, PSIMP_CELL_GENERAL);
      psimp_table_number (t, s->unfinished, PSIMP_CELL_GENERAL);
      psimp_table_number (t, s->passed, PSIMP_CELL_GENERAL);
      psimp_table_number (t, s->finished > 0 ? pass_rate (s) : NAN, PSIMP_CELL_DECIMAL1);
      psimp_table_number (t, s->finished > 0 ? mean_percent (s) : NAN, PSIMP_CELL_DECIMAL1);
      psimp_table_number (t, s->finished > 0 ? mean_minutes (s) : NAN, PSIMP_CELL_DECIMAL1);
      psimp_table_number (t, s->scripted, PSIMP_CELL_GENERAL);
      psimp_table_end_row (t);
    }
}

static void
sheet_unfinished (PsimpTable *t, GPtrArray *all, const char *l)
{
  psimp_table_add_sheet (t, psim_gettext (l, "Unfinished"),
                         "scenario", psim_gettext (l, "Scenario"),
                         "session", psim_gettext (l, "Session"),
                         "trainee", psim_gettext (l, "Trainee"),
                         "started", psim_gettext (l, "Started"),
                         "answers", psim_gettext (l, "Answers"), NULL);
  for (guint i = 0; i < all->len; i++)
    {
      const Summary *s = g_ptr_array_index (all, i);
      for (guint k = 0; k < s->open->len; k++)
        {
          const Entry *e = g_ptr_array_index (s->open, k);
          psimp_table_text (t, s->id);
          psimp_table_text (t, e->session);
          psimp_table_text (t, e->actor);
          psimp_table_time (t, e->started);
          psimp_table_number (t, e->answers, PSIMP_CELL_GENERAL);
          psimp_table_end_row (t);
        }
    }
}

static void
sheet_questions (PsimpTable *t, GPtrArray *all, const char *l)
{
  psimp_table_add_sheet (t, psim_gettext (l, "Questions"),
                         "scenario", psim_gettext (l, "Scenario"),
                         "question", psim_gettext (l, "Question id"),
                         "label", psim_gettext (l, "Question"),
                         "asked", psim_gettext (l, "Asked"),
                         "right", psim_gettext (l, "Right"),
                         "share_right", psim_gettext (l, "Share right (%)"), NULL);
  for (guint i = 0; i < all->len; i++)
    {
      const Summary *s = g_ptr_array_index (all, i);
      for (guint k = 0; k < s->questions->len; k++)
        {
          const Question *q = g_ptr_array_index (s->questions, k);
          psimp_table_text (t, s->id);
          psimp_table_text (t, q->id);
          psimp_table_text (t, q->label);
          psimp_table_number (t, q->asked, PSIMP_CELL_GENERAL);
          psimp_table_number (t, q->right, PSIMP_CELL_GENERAL);
          psimp_table_number (t, q->asked > 0 ? 100.0 * q->right / q->asked : NAN,
                              PSIMP_CELL_DECIMAL1);
          psimp_table_end_row (t);
        }
    }
}

static void
sheet_mistakes (PsimpTable *t, GPtrArray *all, const char *l)
{
  psimp_table_add_sheet (t, psim_gettext (l, "Mistakes"),
                         "scenario", psim_gettext (l, "Scenario"),
                         "kind", psim_gettext (l, "Kind"),
                         "ref", psim_gettext (l, "Id"),
                         "label", psim_gettext (l, "Mistake"),
                         "count", psim_gettext (l, "Count"), NULL);
  for (guint i = 0; i < all->len; i++)
    {
      const Summary *s = g_ptr_array_index (all, i);
      for (guint k = 0; k < s->mistakes->len; k++)
        {
          const Mistake *m = g_ptr_array_index (s->mistakes, k);
          psimp_table_text (t, s->id);
          psimp_table_text (t, m->kind);
          psimp_table_text (t, m->ref);
          psimp_table_text (t, m->label);
          psimp_table_number (t, m->count, PSIMP_CELL_GENERAL);
          psimp_table_end_row (t);
        }
    }
}

GBytes *
psim_report_format_xlsx (const PsimReport *report, const PsimReportOptions *options,
                         GError **error)
{
  g_return_val_if_fail (report != NULL, NULL);
  const PsimReportOptions *o = options_or_default (options);
  g_autoptr (GPtrArray) all = summarise (report, o, NULL);
  g_autoptr (PsimpTable) t = psimp_table_new ();
  sheet_scenarios (t, all, o->lang);
  sheet_trainees (t, all, o->lang);
  sheet_unfinished (t, all, o->lang);
  sheet_questions (t, all, o->lang);
  sheet_mistakes (t, all, o->lang);
  return psimp_table_to_xlsx (t, psim_gettext (o->lang, "Training report"), o->date, error);
}
