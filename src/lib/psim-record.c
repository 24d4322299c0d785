/* psim-record.c — what a training session leaves behind: a JSON record
 * (answers, timings, events, score breakdown), xAPI statements for a
 * learning record store, and an IEEE 1849 XES event log for process-mining
 * tools. Field names are documented in docs/scenarios.md.
 *
 * Times come from the session (its start and the time each answer took),
 * never from a clock read here, so a record is a function of the session.
 */
#include "psim-train-private.h"

#include <json-glib/json-glib.h>
#include <libxml/xmlwriter.h>
#include <procsim/psim-json.h>
#include <math.h>
#include <string.h>

#define XAPI_VERB(name) "http://adlnet.gov/expapi/verbs/" name
#define PROCSIM_IRI "https://procsim.example/xapi/"

/* "2026-11-23T10:00:00.250Z" for @us microseconds after the epoch (times
 * before it are clamped to it: a session cannot start before 1970). */
static char *
iso_time (gint64 us)
{
  us = MAX (us, 0);
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);
  if (t == NULL)
    return g_strdup ("1970-01-01T00:00:00.000Z");
  g_autofree char *base = g_date_time_format (t, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", base, (int) ((us % G_USEC_PER_SEC) / 1000));
}

/* ISO 8601 duration to the millisecond: "PT4M12.250S", "PT1S". */
static char *
iso_duration (gint64 ms)
{
  ms = MAX (ms, 0);
  gint64 h = ms / 3600000, m = (ms / 60000) % 60, sec = (ms / 1000) % 60, milli = ms % 1000;
  g_autoptr (GString) out = g_string_new ("PT");
  if (h > 0)
    g_string_append_printf (out, "%" G_GINT64_FORMAT "H", h);
  if (m > 0)
    g_string_append_printf (out, "%" G_GINT64_FORMAT "M", m);
  if (milli > 0)
    g_string_append_printf (out, "%" G_GINT64_FORMAT ".%03" G_GINT64_FORMAT "S", sec, milli);
  else if (sec > 0 || (h == 0 && m == 0))
    g_string_append_printf (out, "%" G_GINT64_FORMAT "S", sec);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Microseconds since the epoch at which answer @i was given. */
static gint64
answer_time (const PsimSession *s, guint i)
{
  gint64 t = psim_session_get_started (s);
  for (guint k = 0; k < s->answers->len && k <= i; k++)
    t += ((const Answer *) g_ptr_array_index (s->answers, k))->ms * 1000;
  return t;
}

/* A deterministic UUID (version 5 layout) for statement @n of session. */
static char *
statement_id (const PsimSession *s, guint n)
{
  g_autofree char *seed = g_strdup_printf ("%s/%s/%" G_GINT64_FORMAT "/%u",
                                           s->sc->checksum, s->id != NULL ? s->id : "",
                                           s->started, n);
  g_autofree char *h = g_compute_checksum_for_string (G_CHECKSUM_SHA1, seed, -1);
  /* version 5, variant 10xx */
  h[12] = '5';
  h[16] = "89ab"[g_ascii_xdigit_value (h[16]) & 3];
  return g_strdup_printf ("%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
}

static void
member_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
member_int (JsonBuilder *b, const char *name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
member_double (JsonBuilder *b, const char *name, double value)
{
  json_builder_set_member_name (b, name);
  /* Two decimals are what a record needs, and they print the same on
   * every machine. */
  psim_json_add_double (b, round (value * 100.0) / 100.0);
}

static void
member_bool (JsonBuilder *b, const char *name, gboolean value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, value);
}

/* {"en": "...", "vi": "..."} from a list of texts. */
static void
lang_map (JsonBuilder *b, const GPtrArray *texts)
{
  json_builder_begin_object (b);
  for (guint i = 0; i < texts->len; i++)
    {
      const PsimText *t = g_ptr_array_index (texts, i);
      if (t->lang != NULL)
        member_string (b, t->lang, t->text);
    }
  json_builder_end_object (b);
}

static void
xapi_actor (JsonBuilder *b, const PsimSession *s)
{
  json_builder_set_member_name (b, "actor");
  json_builder_begin_object (b);
  member_string (b, "objectType", "Agent");
  member_string (b, "name", s->actor != NULL ? s->actor : "trainee");
  json_builder_set_member_name (b, "account");
  json_builder_begin_object (b);
  member_string (b, "homePage", s->home_page != NULL ? s->home_page : PROCSIM_IRI);
  member_string (b, "name", s->actor != NULL ? s->actor : "trainee");
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static void
xapi_verb (JsonBuilder *b, const char *name)
{
  json_builder_set_member_name (b, "verb");
  json_builder_begin_object (b);
  g_autofree char *id = g_strconcat (XAPI_VERB (""), name, NULL);
  member_string (b, "id", id);
  json_builder_set_member_name (b, "display");
  json_builder_begin_object (b);
  member_string (b, "en-US", name);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static void
xapi_scenario_object (JsonBuilder *b, const PsimSession *s)
{
  json_builder_set_member_name (b, "object");
  json_builder_begin_object (b);
  member_string (b, "objectType", "Activity");
  g_autofree char *id = g_strconcat (PROCSIM_IRI "scenarios/", s->sc->id, NULL);
  member_string (b, "id", id);
  json_builder_set_member_name (b, "definition");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  lang_map (b, s->sc->titles);
  member_string (b, "type", "http://adlnet.gov/expapi/activities/simulation");
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static void
xapi_context (JsonBuilder *b, const PsimSession *s, const char *lang)
{
  json_builder_set_member_name (b, "context");
  json_builder_begin_object (b);
  if (s->id != NULL)
    {
      /* The registration: this attempt (the session, its start and its
       * scenario), in UUID form. */
      g_autofree char *key = g_strdup_printf ("%s/%" G_GINT64_FORMAT "/%s", s->id, s->started,
                                              s->sc->checksum);
      g_autofree char *h = g_compute_checksum_for_string (G_CHECKSUM_SHA1, key, -1);
      h[12] = '5';
      h[16] = "89ab"[g_ascii_xdigit_value (h[16]) & 3];
      g_autofree char *reg = g_strdup_printf ("%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12,
                                              h + 16, h + 20);
      member_string (b, "registration", reg);
    }
  member_string (b, "language", lang != NULL ? lang : "en");
  json_builder_end_object (b);
}

static void
xapi_statements (JsonBuilder *b, const PsimSession *s, const char *lang)
{
  const PsimScore *score = &s->score;
  guint n = 0;
  json_builder_begin_array (b);

  /* attempted: the start */
  {
    json_builder_begin_object (b);
    g_autofree char *id = statement_id (s, n++);
    g_autofree char *ts = iso_time (s->started);
    member_string (b, "id", id);
    xapi_actor (b, s);
    xapi_verb (b, "attempted");
    xapi_scenario_object (b, s);
    xapi_context (b, s, lang);
    member_string (b, "timestamp", ts);
    json_builder_end_object (b);
  }

  /* answered: each question */
  for (guint i = 0; i < s->events->len; i++)
    {
      const PsimEvent *e = &g_array_index (s->events, PsimEvent, i);
      if (e->question == NULL)
        continue;
      json_builder_begin_object (b);
      g_autofree char *id = statement_id (s, n++);
      g_autofree char *ts = iso_time (answer_time (s, e->answer));
      g_autofree char *dur = iso_duration (e->real_ms);
      g_autofree char *qid = g_strconcat (PROCSIM_IRI "scenarios/", s->sc->id, "/questions/",
                                          e->question->id, NULL);
      member_string (b, "id", id);
      xapi_actor (b, s);
      xapi_verb (b, "answered");
      json_builder_set_member_name (b, "object");
      json_builder_begin_object (b);
      member_string (b, "objectType", "Activity");
      member_string (b, "id", qid);
      json_builder_set_member_name (b, "definition");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      lang_map (b, e->question->prompt);
      member_string (b, "type", "http://adlnet.gov/expapi/activities/cmi.interaction");
      member_string (b, "interactionType",
                     e->question->kind == PSIM_QUESTION_NUMBER  ? "numeric"
                     : e->question->kind == PSIM_QUESTION_ORDER ? "sequencing"
                                                                : "choice");
      json_builder_end_object (b);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "result");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "score");
      json_builder_begin_object (b);
      int max = MAX (1, e->question->points);
      json_builder_set_member_name (b, "scaled");
      psim_json_add_double (b, e->question->points > 0 ? (double) e->points / max : (e->kind == PSIM_EVENT_RIGHT));
      member_int (b, "raw", e->points);
      member_int (b, "min", 0);
      member_int (b, "max", e->question->points);
      json_builder_end_object (b);
      member_bool (b, "success", e->kind == PSIM_EVENT_RIGHT);
      member_bool (b, "completion", TRUE);
      const Source *src = &g_array_index (s->sources, Source, i);
      if (src->response != NULL)
        member_string (b, "response", src->response);
      member_string (b, "duration", dur);
      json_builder_end_object (b);
      xapi_context (b, s, lang);
      member_string (b, "timestamp", ts);
      json_builder_end_object (b);
    }

  /* completed, then passed or failed: the whole run, with its score */
  if (s->prompt == PSIM_PROMPT_FINISHED)
    {
      const char *verbs[] = { "completed", score->passed ? "passed" : "failed" };
      for (guint v = 0; v < G_N_ELEMENTS (verbs); v++)
        {
          json_builder_begin_object (b);
          g_autofree char *id = statement_id (s, n++);
          g_autofree char *ts = iso_time (answer_time (s, s->answers->len));
          g_autofree char *dur = iso_duration (score->real_ms);
          member_string (b, "id", id);
          xapi_actor (b, s);
          xapi_verb (b, verbs[v]);
          xapi_scenario_object (b, s);
          json_builder_set_member_name (b, "result");
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "score");
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "scaled");
          psim_json_add_double (b, score->max_score > 0
                                                ? round (10000.0 * score->score / score->max_score) / 10000.0
                                                : 1.0);
          member_int (b, "raw", score->score);
          member_int (b, "min", 0);
          member_int (b, "max", score->max_score);
          json_builder_end_object (b);
          member_bool (b, "success", score->passed);
          member_bool (b, "completion", TRUE);
          member_string (b, "duration", dur);
          json_builder_end_object (b);
          xapi_context (b, s, lang);
          member_string (b, "timestamp", ts);
          json_builder_end_object (b);
        }
    }
  json_builder_end_array (b);
}

static void
totals_object (JsonBuilder *b, const char *name, const PsimPath *path)
{
  json_builder_set_member_name (b, name);
  if (path == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  const PsimTotals *t = psim_path_get_totals (path);
  json_builder_begin_object (b);
  member_string (b, "variant", psim_variant_get_id (psim_node_get_variant (psim_path_get_node (path, 0))));
  member_int (b, "steps", t->steps);
  member_int (b, "interactions", t->interactions);
  member_int (b, "visits", t->visits);
  member_double (b, "days", psim_elapsed_days (&t->elapsed));
  member_double (b, "fees", t->fees_total);
  json_builder_end_object (b);
}

static void
count_cost (JsonBuilder *b, const char *name, guint count, int cost)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  member_int (b, "count", count);
  member_int (b, "cost", cost);
  json_builder_end_object (b);
}

char *
psim_session_record_xapi (const PsimSession *s, const char *lang)
{
  g_return_val_if_fail (s != NULL, NULL);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  xapi_statements (b, s, lang);
  return psim_json_to_text (b);
}

char *
psim_session_record_json (const PsimSession *s, const char *lang)
{
  g_return_val_if_fail (s != NULL, NULL);
  const PsimScenario *sc = s->sc;
  const PsimScore *score = &s->score;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  member_string (b, "format", "procsim-session-record");
  member_int (b, "version", 1);
  member_string (b, "session", s->id);
  member_string (b, "actor", s->actor);
  g_autofree char *started = iso_time (s->started);
  member_string (b, "started", started);
  member_bool (b, "finished", s->prompt == PSIM_PROMPT_FINISHED);
  member_bool (b, "scripted", s->scripted);
  g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, s->seed);
  member_string (b, "seed", seed);

  json_builder_set_member_name (b, "scenario");
  json_builder_begin_object (b);
  member_string (b, "id", sc->id);
  member_string (b, "file", sc->file);
  member_string (b, "checksum", sc->checksum);
  member_string (b, "title", psim_scenario_get_title (sc, lang));
  member_string (b, "procedure", psim_procedure_get_id (sc->proc));
  member_string (b, "variant", psim_variant_get_id (sc->variant));
  member_string (b, "compare", sc->compare != NULL ? psim_variant_get_id (sc->compare) : NULL);
  member_int (b, "pass_mark", sc->scoring.pass_mark);
  json_builder_end_object (b);

  psimp_checkpoint_add_answers (b, s);

  json_builder_set_member_name (b, "events");
  json_builder_begin_array (b);
  for (guint i = 0; i < s->events->len; i++)
    {
      const PsimEvent *e = &g_array_index (s->events, PsimEvent, i);
      json_builder_begin_object (b);
      member_string (b, "kind", psim_event_kind_to_string (e->kind));
      member_string (b, "ref", e->ref);
      member_string (b, "step", e->step != NULL ? psim_node_get_id (e->step) : NULL);
      member_int (b, "points", e->points);
      member_int (b, "answer", e->answer);
      member_int (b, "ms", e->real_ms);
      member_double (b, "clock_days", psim_elapsed_days (&e->clock));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "score");
  json_builder_begin_object (b);
  member_int (b, "score", score->score);
  member_int (b, "max", score->max_score);
  member_double (b, "percent", score->percent);
  member_bool (b, "passed", score->passed);
  member_bool (b, "over_time", score->over_time);
  member_int (b, "steps_right", score->steps_right);
  member_int (b, "step_points", score->step_points);
  count_cost (b, "skipped", score->steps_skipped, score->skipped_cost);
  count_cost (b, "wrong", score->n_wrong, score->wrong_cost);
  count_cost (b, "unnecessary", score->n_unnecessary, score->unnecessary_cost);
  count_cost (b, "out_of_order", score->n_out_of_order, score->out_of_order_cost);
  count_cost (b, "hints", score->n_hints, score->hint_cost);
  json_builder_set_member_name (b, "questions");
  json_builder_begin_object (b);
  member_int (b, "right", score->questions_right);
  member_int (b, "asked", score->questions_asked);
  member_int (b, "points", score->question_points);
  json_builder_end_object (b);
  member_int (b, "duration_ms", score->real_ms);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "run");
  json_builder_begin_object (b);
  member_int (b, "steps", s->tally.steps);
  member_int (b, "actions", s->tally.actions);
  member_int (b, "visits", s->tally.visits);
  member_int (b, "documents", s->tally.documents);
  member_double (b, "days", psim_elapsed_days (&s->tally.clock));
  member_double (b, "fees", s->tally.fees);
  json_builder_end_object (b);
  totals_object (b, "ideal", sc->path);
  totals_object (b, "compare", sc->compare_path);

  json_builder_set_member_name (b, "xapi");
  xapi_statements (b, s, lang);
  json_builder_end_object (b);
  return psim_json_to_text (b);
}

/* ---- XES ----------------------------------------------------------------- */

/* @text as XML 1.0 can carry it: the writer escapes markup but passes
 * control characters through, and no XML 1.0 document may contain them,
 * not even as character references. A trainee's name or a typed answer
 * can hold any byte: invalid UTF-8 and characters outside XML's Char
 * production become U+FFFD. (transfer full) */
static char *
xml_chars (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  g_autoptr (GString) out = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean ok = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
      g_string_append_unichar (out, ok ? c : 0xFFFD);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
xes_attr (xmlTextWriterPtr w, const char *type, const char *key, const char *value)
{
  g_autofree char *text = xml_chars (value);
  xmlTextWriterStartElement (w, BAD_CAST type);
  xmlTextWriterWriteAttribute (w, BAD_CAST "key", BAD_CAST key);
  xmlTextWriterWriteAttribute (w, BAD_CAST "value", BAD_CAST text);
  xmlTextWriterEndElement (w);
}

static void
xes_extension (xmlTextWriterPtr w, const char *name, const char *prefix)
{
  /* The standard extensions live at http://www.xes-standard.org/PREFIX.xesext. */
  g_autofree char *uri = g_strdup_printf ("http://www.xes-standard.org/%s.xesext", prefix);
  xmlTextWriterStartElement (w, BAD_CAST "extension");
  xmlTextWriterWriteAttribute (w, BAD_CAST "name", BAD_CAST name);
  xmlTextWriterWriteAttribute (w, BAD_CAST "prefix", BAD_CAST prefix);
  xmlTextWriterWriteAttribute (w, BAD_CAST "uri", BAD_CAST uri);
  xmlTextWriterEndElement (w);
}

char *
psim_session_record_xes (const PsimSession *s, const char *lang)
{
  g_return_val_if_fail (s != NULL, NULL);
  xmlBufferPtr buf = xmlBufferCreate ();
  xmlTextWriterPtr w = xmlNewTextWriterMemory (buf, 0);
  xmlTextWriterSetIndent (w, 1);
  xmlTextWriterSetIndentString (w, BAD_CAST "  ");
  xmlTextWriterStartDocument (w, "1.0", "UTF-8", NULL);
  xmlTextWriterStartElement (w, BAD_CAST "log");
  xmlTextWriterWriteAttribute (w, BAD_CAST "xes.version", BAD_CAST "1849.2016");
  xmlTextWriterWriteAttribute (w, BAD_CAST "xes.features", BAD_CAST "");
  xmlTextWriterWriteAttribute (w, BAD_CAST "xmlns", BAD_CAST "http://www.xes-standard.org/");
  xes_extension (w, "Concept", "concept");
  xes_extension (w, "Time", "time");
  xes_extension (w, "Lifecycle", "lifecycle");
  xes_extension (w, "Organizational", "org");

  xmlTextWriterStartElement (w, BAD_CAST "global");
  xmlTextWriterWriteAttribute (w, BAD_CAST "scope", BAD_CAST "trace");
  xes_attr (w, "string", "concept:name", "__INVALID__");
  xmlTextWriterEndElement (w);
  xmlTextWriterStartElement (w, BAD_CAST "global");
  xmlTextWriterWriteAttribute (w, BAD_CAST "scope", BAD_CAST "event");
  xes_attr (w, "string", "concept:name", "__INVALID__");
  xes_attr (w, "date", "time:timestamp", "1970-01-01T00:00:00.000Z");
  xes_attr (w, "string", "lifecycle:transition", "complete");
  xmlTextWriterEndElement (w);
  xmlTextWriterStartElement (w, BAD_CAST "classifier");
  xmlTextWriterWriteAttribute (w, BAD_CAST "name", BAD_CAST "Activity");
  xmlTextWriterWriteAttribute (w, BAD_CAST "scope", BAD_CAST "event");
  xmlTextWriterWriteAttribute (w, BAD_CAST "keys", BAD_CAST "concept:name");
  xmlTextWriterEndElement (w);

  xes_attr (w, "string", "concept:name", psim_scenario_get_title (s->sc, lang));
  xes_attr (w, "string", "procsim:scenario", s->sc->id);
  xes_attr (w, "string", "procsim:procedure", psim_procedure_get_id (s->sc->proc));
  xes_attr (w, "string", "procsim:variant", psim_variant_get_id (s->sc->variant));

  xmlTextWriterStartElement (w, BAD_CAST "trace");
  xes_attr (w, "string", "concept:name", s->id != NULL ? s->id : "session");
  if (s->actor != NULL)
    xes_attr (w, "string", "org:resource", s->actor);
  g_autofree char *score = g_strdup_printf ("%d", s->score.score);
  xes_attr (w, "int", "procsim:score", score);
  xes_attr (w, "boolean", "procsim:passed", s->score.passed ? "true" : "false");
  for (guint i = 0; i < s->events->len; i++)
    {
      const PsimEvent *e = &g_array_index (s->events, PsimEvent, i);
      const char *name = e->kind == PSIM_EVENT_HINT ? "hint" : psim_session_get_event_label (s, i, lang);
      g_autofree char *ts = iso_time (answer_time (s, e->answer));
      g_autofree char *points = g_strdup_printf ("%d", e->points);
      char days[G_ASCII_DTOSTR_BUF_SIZE];
      g_ascii_formatd (days, sizeof days, "%.2f", psim_elapsed_days (&e->clock));
      xmlTextWriterStartElement (w, BAD_CAST "event");
      xes_attr (w, "string", "concept:name", name != NULL ? name : e->ref);
      xes_attr (w, "string", "lifecycle:transition", "complete");
      xes_attr (w, "date", "time:timestamp", ts);
      if (e->step != NULL && psim_step_get_actor (e->step) != NULL)
        xes_attr (w, "string", "org:resource", psim_actor_get_id (psim_step_get_actor (e->step)));
      xes_attr (w, "string", "procsim:id", e->ref);
      xes_attr (w, "string", "procsim:outcome", psim_event_kind_to_string (e->kind));
      xes_attr (w, "int", "procsim:points", points);
      xes_attr (w, "float", "procsim:simulated_days", days);
      xmlTextWriterEndElement (w);
    }
  xmlTextWriterEndElement (w); /* trace */
  xmlTextWriterEndElement (w); /* log */
  xmlTextWriterEndDocument (w);
  xmlFreeTextWriter (w);
  char *out = g_strdup ((const char *) xmlBufferContent (buf));
  xmlBufferFree (buf);
  return out;
}

/* ---- reading a record's path back ---------------------------------------- */

/* A string member of @o, or NULL. (transfer none) */
static const char *
string_member (JsonObject *o, const char *name)
{
  JsonNode *n = o != NULL ? json_object_get_member (o, name) : NULL;
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static JsonObject *
object_member (JsonObject *o, const char *name)
{
  JsonNode *n = o != NULL ? json_object_get_member (o, name) : NULL;
  return n != NULL && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

PsimRecordPath *
psim_record_path_read (const char *data, gssize length, const char *name, const char *lang,
                       GError **error)
{
  g_return_val_if_fail (data != NULL && name != NULL, NULL);
  g_autoptr (JsonNode) root = psim_json_parse (data, length, name, lang, error);
  if (root == NULL)
    return NULL;
  JsonObject *o = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonObject *scenario = object_member (o, "scenario");
  JsonNode *events = o != NULL ? json_object_get_member (o, "events") : NULL;
  if (g_strcmp0 (string_member (o, "format"), "procsim-session-record") != 0
      || string_member (scenario, "procedure") == NULL
      || string_member (scenario, "variant") == NULL || events == NULL
      || !JSON_NODE_HOLDS_ARRAY (events))
    {
      g_set_error (error, PSIM_JSON_ERROR, PSIM_JSON_ERROR_PARSE,
                   psim_gettext (lang, "%s: not a procsim session record"), name);
      return NULL;
    }
  PsimRecordPath *path = g_new0 (PsimRecordPath, 1);
  path->procedure = g_strdup (string_member (scenario, "procedure"));
  path->variant = g_strdup (string_member (scenario, "variant"));
  path->compare = g_strdup (string_member (scenario, "compare"));
  g_autoptr (GStrvBuilder) steps = g_strv_builder_new ();
  JsonArray *list = json_node_get_array (events);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *e = json_array_get_element (list, i);
      JsonObject *event = JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
      const char *kind = string_member (event, "kind");
      const char *step = string_member (event, "step");
      if (step == NULL || kind == NULL)
        continue;
      for (PsimEventKind k = 0; psim_event_kind_to_string (k) != NULL; k++)
        if (strcmp (kind, psim_event_kind_to_string (k)) == 0 && psim_event_kind_is_on_path (k))
          g_strv_builder_add (steps, step);
    }
  path->steps = g_strv_builder_end (steps);
  return path;
}

void
psim_record_path_free (PsimRecordPath *path)
{
  if (path == NULL)
    return;
  g_free (path->procedure);
  g_free (path->variant);
  g_free (path->compare);
  g_strfreev (path->steps);
  g_free (path);
}
