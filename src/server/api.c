/* api.c — the JSON API of docs/api.md: logging in, the catalogue,
 * sessions played answer by answer, their records, the trainer's report,
 * and /healthz. Every handler runs after the router has checked who is
 * asking and what their role allows (server.h); the handlers check which
 * sessions they may see. A session another user may not see is "not
 * found" (404), so that ids cannot be probed; one they may see but not
 * play (a trainer looking at a trainee's) is 403.
 */
#include "report.h"

#include <math.h>
#include <sodium.h>
#include <string.h>

/* ---- JSON helpers --------------------------------------------------------------------- */

static void
add_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_int (JsonBuilder *b, const char *name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_bool (JsonBuilder *b, const char *name, gboolean value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, value);
}

/* Whole numbers as JSON integers, others rounded to 2 decimals. */
static void
add_number (JsonBuilder *b, const char *name, double value)
{
  json_builder_set_member_name (b, name);
  if (value == floor (value) && fabs (value) < 1e15)
    json_builder_add_int_value (b, (gint64) value);
  else
    json_builder_add_double_value (b, round (value * 100) / 100);
}

static void
add_time (JsonBuilder *b, const char *name, gint64 us)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);
  g_autofree char *text = t != NULL ? g_date_time_format_iso8601 (t) : NULL;
  add_string (b, name, text);
}

/* ---- the catalogue ------------------------------------------------------------------------ */

static void
scenario_summary (JsonBuilder *b, PsimScenario *sc, const char *lang)
{
  json_builder_begin_object (b);
  add_string (b, "id", psim_scenario_get_id (sc));
  add_string (b, "title", psim_scenario_get_title (sc, lang));
  add_string (b, "briefing", psim_scenario_get_briefing (sc, lang));
  add_int (b, "steps", psim_scenario_get_n_path_steps (sc));
  add_int (b, "questions", psim_scenario_get_n_questions (sc));
  add_int (b, "max_score", psim_scenario_get_max_score (sc));
  add_int (b, "pass_mark", psim_scenario_get_scoring (sc)->pass_mark);
  json_builder_end_object (b);
}

static void
list_scenarios (Req *req)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = srv_list_offered (req->srv, req->user, &error);
  if (all == NULL)
    {
      g_warning ("catalogue: %s", error->message);
      reply_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE,
                   psim_gettext (req->lang, "The database does not answer. Please try again "
                                            "in a moment."));
      return;
    }
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_array (b);
  for (guint i = 0; i < all->len; i++)
    scenario_summary (b, g_ptr_array_index (all, i), req->lang);
  json_builder_end_array (b);
  reply_builder (req, SOUP_STATUS_OK, b);
}

static void
get_scenario (Req *req)
{
  PsimScenario *sc = req_scenario (req);
  if (sc == NULL)
    return;
  const char *lang = req->lang;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  add_string (b, "id", psim_scenario_get_id (sc));
  add_string (b, "title", psim_scenario_get_title (sc, lang));
  add_string (b, "briefing", psim_scenario_get_briefing (sc, lang));
  add_string (b, "persona", psim_scenario_get_persona (sc, lang));
  add_string (b, "role", psim_scenario_get_role (sc, lang));
  add_string (b, "case", psim_scenario_get_case_description (sc, lang));
  json_builder_set_member_name (b, "objectives");
  json_builder_begin_array (b);
  for (guint i = 0; i < psim_scenario_get_n_objectives (sc); i++)
    json_builder_add_string_value (b, psim_scenario_get_objective (sc, i, lang));
  json_builder_end_array (b);
  add_int (b, "steps", psim_scenario_get_n_path_steps (sc));
  add_int (b, "max_score", psim_scenario_get_max_score (sc));
  add_int (b, "pass_mark", psim_scenario_get_scoring (sc)->pass_mark);
  if (req->user->role != ROLE_TRAINEE)
    {
      /* Who it is offered to, for those who may change it (groups.c). */
      g_autoptr (GError) error = NULL;
      g_autoptr (GHashTable) offered = db_list_scenario_groups (srv_get_db (req->srv), &error);
      GPtrArray *groups = offered != NULL ? g_hash_table_lookup (offered,
                                                                 psim_scenario_get_id (sc))
                                          : NULL;
      json_builder_set_member_name (b, "groups");
      json_builder_begin_array (b);
      for (guint i = 0; groups != NULL && i < groups->len; i++)
        json_builder_add_string_value (b, g_ptr_array_index (groups, i));
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  reply_builder (req, SOUP_STATUS_OK, b);
}

/* ---- sessions ------------------------------------------------------------------------------- */

static const char *
prompt_name (PsimPromptKind k)
{
  switch (k)
    {
    case PSIM_PROMPT_STEP: return "step";
    case PSIM_PROMPT_QUESTION: return "question";
    case PSIM_PROMPT_FINISHED:
    default: return "finished";
    }
}

static void
add_score (JsonBuilder *b, const PsimScore *sc)
{
  json_builder_set_member_name (b, "score_details");
  json_builder_begin_object (b);
  add_int (b, "score", sc->score);
  add_int (b, "max", sc->max_score);
  add_number (b, "percent", sc->percent);
  add_bool (b, "passed", sc->passed);
  add_bool (b, "over_time", sc->over_time);
  add_int (b, "steps_right", sc->steps_right);
  add_int (b, "steps_skipped", sc->steps_skipped);
  add_int (b, "wrong", sc->n_wrong);
  add_int (b, "unnecessary", sc->n_unnecessary);
  add_int (b, "out_of_order", sc->n_out_of_order);
  add_int (b, "hints", sc->n_hints);
  add_int (b, "questions_right", sc->questions_right);
  add_int (b, "questions_asked", sc->questions_asked);
  add_int (b, "duration_ms", sc->real_ms);
  json_builder_end_object (b);
}

/* The session as a trainee sees it now: the point, its options, the
 * status line's figures, and at the end the score and the debrief. */
static void
session_state (JsonBuilder *b, PsimSession *s, const char *lang)
{
  PsimScenario *sc = psim_session_get_scenario (s);
  const PsimTally *t = psim_session_get_tally (s);
  const PsimScore *score = psim_session_get_score (s);
  PsimPromptKind kind = psim_session_get_prompt (s);
  json_builder_begin_object (b);
  add_string (b, "id", psim_session_get_id (s));
  add_string (b, "scenario", psim_scenario_get_id (sc));
  add_string (b, "title", psim_scenario_get_title (sc, lang));
  add_string (b, "user", psim_session_get_actor (s));
  g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, psim_session_get_seed (s));
  add_string (b, "seed", seed);
  add_time (b, "started", psim_session_get_started (s));
  add_string (b, "persona", psim_scenario_get_persona (sc, lang));
  add_string (b, "role", psim_scenario_get_role (sc, lang));
  add_string (b, "case", psim_scenario_get_case_description (sc, lang));
  add_bool (b, "finished", kind == PSIM_PROMPT_FINISHED);
  add_string (b, "prompt", prompt_name (kind));
  add_int (b, "step", psim_session_get_step_number (s));
  add_int (b, "steps", psim_scenario_get_n_path_steps (sc));
  add_int (b, "answers", psim_session_get_n_answers (s));
  const PsimQuestion *q = psim_session_get_question (s);
  const PsimNode *last = psim_session_get_last_step (s);
  add_string (b, "last_step", last != NULL ? psim_node_get_name (last, lang) : NULL);
  if (kind == PSIM_PROMPT_STEP)
    add_string (b, "text", psim_gettext (lang, "What happens next?"));
  else if (q != NULL)
    add_string (b, "text", psim_question_get_prompt (q, lang));
  else
    add_string (b, "text", NULL);
  json_builder_set_member_name (b, "question");
  if (q != NULL)
    {
      json_builder_begin_object (b);
      add_string (b, "id", psim_question_get_id (q));
      add_string (b, "kind", psim_question_kind_to_string (psim_question_get_kind (q)));
      add_int (b, "points", psim_question_get_points (q));
      add_string (b, "unit", psim_question_get_unit (q));
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "options");
  json_builder_begin_array (b);
  for (guint i = 0; i < psim_session_get_n_options (s); i++)
    {
      json_builder_begin_object (b);
      add_int (b, "number", i + 1);
      add_string (b, "id", psim_session_get_option_id (s, i));
      add_string (b, "label", psim_session_get_option_label (s, i, lang));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  int hint_cost = 0;
  const char *hint = kind != PSIM_PROMPT_FINISHED ? psim_session_get_hint (s, lang, &hint_cost)
                                                  : NULL;
  json_builder_set_member_name (b, "hint_cost");
  if (hint != NULL)
    json_builder_add_int_value (b, hint_cost);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "clock");
  json_builder_begin_object (b);
  add_number (b, "days", psim_elapsed_days (&t->clock));
  add_number (b, "working_days", t->clock.working_days);
  add_number (b, "calendar_days", t->clock.calendar_days);
  add_number (b, "hours", t->clock.hours);
  json_builder_end_object (b);
  add_int (b, "visits", t->visits);
  add_int (b, "documents", t->documents);
  add_int (b, "actions", t->actions);
  add_number (b, "fees", t->fees);
  add_int (b, "score", score->score);
  add_int (b, "max_score", score->max_score);
  if (kind == PSIM_PROMPT_FINISHED)
    {
      add_number (b, "percent", score->percent);
      add_bool (b, "passed", score->passed);
      add_score (b, score);
      add_string (b, "debrief", psim_scenario_get_debrief (sc, lang));
    }
  json_builder_end_object (b);
}

static void
reply_session (Req *req, guint status, PsimSession *s)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  session_state (b, s, req->lang);
  reply_builder (req, status, b);
}

PsimSession *
srv_get_session (Req *req)
{
  g_autoptr (GError) error = NULL;
  PsimSession *s = srv_find_session (req->srv, req->args[0], &error);
  if (s == NULL && !g_error_matches (error, PSIM_STORE_ERROR, PSIM_STORE_ERROR_NOT_FOUND))
    {
      g_warning ("session %s: %s", req->args[0], error->message);
      reply_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE,
                   psim_gettext (req->lang, "This session cannot be opened now."));
      return NULL;
    }
  if (s == NULL || !srv_can_see (req->srv, req->user, psim_session_get_actor (s)))
    {
      reply_error (req, SOUP_STATUS_NOT_FOUND,
                   psim_gettext (req->lang, "There is no such session."));
      return NULL;
    }
  return s;
}

static void
create_session (Req *req)
{
  JsonObject *o = req_json_object (req);
  if (o == NULL)
    return;
  JsonNode *id_node = json_object_get_member (o, "scenario");
  const char *id = id_node != NULL && JSON_NODE_HOLDS_VALUE (id_node)
                           && json_node_get_value_type (id_node) == G_TYPE_STRING
                       ? json_node_get_string (id_node)
                       : NULL;
  if (id == NULL)
    {
      reply_error (req, SOUP_STATUS_BAD_REQUEST,
                   psim_gettext (req->lang, "Name the scenario: {\"scenario\": ID}."));
      return;
    }
  PsimScenario *sc = req_offered_scenario (req, id);
  if (sc == NULL)
    return;
  /* The seed orders the options: given for a replay, else random. */
  guint64 seed = randombytes_uniform (1000000);
  JsonNode *seed_node = json_object_get_member (o, "seed");
  if (seed_node != NULL)
    {
      gint64 v = JSON_NODE_HOLDS_VALUE (seed_node)
                         && json_node_get_value_type (seed_node) == G_TYPE_INT64
                     ? json_node_get_int (seed_node)
                     : -1;
      if (v < 0)
        {
          reply_error (req, SOUP_STATUS_BAD_REQUEST,
                       psim_gettext (req->lang, "The seed must be a whole number, 0 or more."));
          return;
        }
      seed = (guint64) v;
    }
  g_autoptr (GError) error = NULL;
  PsimSession *s = srv_new_session (req->srv, req->user, sc, seed, &error);
  if (s == NULL)
    {
      g_warning ("new session: %s", error->message);
      reply_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE,
                   psim_gettext (req->lang, "The session cannot be stored now. Please try "
                                            "again in a moment."));
      return;
    }
  g_autofree char *location = g_strdup_printf ("/api/v1/sessions/%s", psim_session_get_id (s));
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Location",
                                location);
  reply_session (req, SOUP_STATUS_CREATED, s);
}

static void
get_session (Req *req)
{
  PsimSession *s = srv_get_session (req);
  if (s != NULL)
    reply_session (req, SOUP_STATUS_OK, s);
}

static void
list_sessions (Req *req)
{
  const char *who = req_query (req, "user");
  if (who == NULL)
    who = req->user->name;
  else if (!srv_can_see (req->srv, req->user, who))
    {
      reply_error (req, SOUP_STATUS_NOT_FOUND, psim_gettext (req->lang, "There is no such user."));
      return;
    }
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = psim_store_list (db_get_store (srv_get_db (req->srv)), who, &error);
  if (all == NULL)
    {
      g_warning ("sessions: %s", error->message);
      reply_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE,
                   psim_gettext (req->lang, "The database does not answer. Please try again "
                                            "in a moment."));
      return;
    }
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_array (b);
  for (guint i = 0; i < all->len; i++)
    {
      const PsimStoreEntry *e = g_ptr_array_index (all, i);
      PsimScenario *sc = srv_get_scenario (req->srv, e->scenario);
      json_builder_begin_object (b);
      add_string (b, "id", e->id);
      add_string (b, "scenario", e->scenario);
      add_string (b, "title", sc != NULL ? psim_scenario_get_title (sc, req->lang) : NULL);
      add_string (b, "user", e->actor);
      add_time (b, "started", e->started);
      add_time (b, "updated", e->updated);
      add_int (b, "answers", e->n_answers);
      add_bool (b, "finished", e->finished);
      add_int (b, "score", e->score);
      add_int (b, "max_score", e->max_score);
      add_bool (b, "passed", e->passed);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  reply_builder (req, SOUP_STATUS_OK, b);
}

static void
answer (Req *req)
{
  PsimSession *s = srv_get_session (req);
  if (s == NULL)
    return;
  if (g_strcmp0 (psim_session_get_actor (s), req->user->name) != 0)
    {
      reply_error (req, SOUP_STATUS_FORBIDDEN,
                   psim_gettext (req->lang, "Only the trainee who started a session may "
                                            "answer in it."));
      return;
    }
  JsonObject *o = req_json_object (req);
  if (o == NULL)
    return;
  JsonNode *n = json_object_get_member (o, "answer");
  const char *input = n != NULL && JSON_NODE_HOLDS_VALUE (n)
                              && json_node_get_value_type (n) == G_TYPE_STRING
                          ? json_node_get_string (n)
                          : NULL;
  if (input == NULL)
    {
      reply_error (req, SOUP_STATUS_BAD_REQUEST,
                   psim_gettext (req->lang, "Send the answer as text: {\"answer\": \"2\"}."));
      return;
    }
  gint64 ms = json_object_get_int_member_with_default (o, "ms", 0);
  /* The terminal trainer's keys: h for a hint, s to skip. */
  g_autofree char *typed = g_strstrip (g_strdup (input));
  if (g_ascii_strcasecmp (typed, "h") == 0 || g_ascii_strcasecmp (typed, "s") == 0)
    {
      gboolean hint = g_ascii_tolower (typed[0]) == 'h';
      g_free (typed);
      typed = g_strdup (hint ? "hint" : "skip");
    }
  if (psim_session_get_prompt (s) == PSIM_PROMPT_FINISHED)
    {
      reply_error (req, SOUP_STATUS_CONFLICT,
                   psim_gettext (req->lang, "This session is over: start a new one."));
      return;
    }
  guint first = psim_session_get_n_events (s);
  /* A refused answer is explained in the trainee's language. */
  psim_session_set_language (s, req->lang);
  g_autoptr (GError) error = NULL;
  if (!srv_answer (req->srv, s, typed, MAX (ms, 0), req->lang, &error))
    {
      if (g_error_matches (error, PSIM_SESSION_ERROR, PSIM_SESSION_ERROR_INPUT))
        reply_error (req, SOUP_STATUS_BAD_REQUEST, error->message);
      else if (g_error_matches (error, PSIM_SESSION_ERROR, PSIM_SESSION_ERROR_FINISHED))
        reply_error (req, SOUP_STATUS_CONFLICT,
                     psim_gettext (req->lang, "This session is over: start a new one."));
      else
        {
          g_warning ("answer: %s", error->message);
          reply_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE,
                       psim_gettext (req->lang, "The answer could not be stored. Please send "
                                                "it again."));
        }
      return;
    }
  /* srv_answer may have dropped and restored nothing: s is still live. */
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "events");
  json_builder_begin_array (b);
  for (guint i = first; i < psim_session_get_n_events (s); i++)
    {
      const PsimEvent *ev = psim_session_get_event (s, i);
      json_builder_begin_object (b);
      add_string (b, "kind", psim_event_kind_to_string (ev->kind));
      add_string (b, "ref", ev->ref);
      add_int (b, "points", ev->points);
      add_string (b, "label", psim_session_get_event_label (s, i, req->lang));
      add_string (b, "feedback", psim_session_get_event_feedback (s, i, req->lang));
      add_string (b, "response", psim_session_get_event_response (s, i));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  const PsimScore *score = psim_session_get_score (s);
  gboolean finished = psim_session_get_prompt (s) == PSIM_PROMPT_FINISHED;
  add_bool (b, "finished", finished);
  add_int (b, "score", score->score);
  if (finished)
    {
      add_int (b, "max_score", score->max_score);
      add_number (b, "percent", score->percent);
      add_bool (b, "passed", score->passed);
      add_string (b, "debrief",
                  psim_scenario_get_debrief (psim_session_get_scenario (s), req->lang));
    }
  json_builder_set_member_name (b, "session");
  session_state (b, s, req->lang);
  json_builder_end_object (b);
  reply_builder (req, SOUP_STATUS_OK, b);
}

static void
record (Req *req)
{
  PsimSession *s = srv_get_session (req);
  if (s == NULL)
    return;
  const char *format = req_query (req, "format");
  if (format == NULL)
    format = "json";
  char *(*make) (const PsimSession *, const char *) = NULL;
  const char *type = "application/json; charset=utf-8", *ext = "json";
  if (strcmp (format, "json") == 0)
    make = psim_session_record_json;
  else if (strcmp (format, "xapi") == 0)
    make = psim_session_record_xapi, ext = "xapi.json";
  else if (strcmp (format, "xes") == 0)
    make = psim_session_record_xes, type = "application/xml; charset=utf-8", ext = "xes";
  if (make == NULL)
    {
      reply_error (req, SOUP_STATUS_BAD_REQUEST,
                   psim_gettext (req->lang, "The format is json, xapi or xes."));
      return;
    }
  g_autofree char *text = make (s, req->lang);
  g_autofree char *disposition = g_strdup_printf ("attachment; filename=\"%s.%s\"",
                                                  psim_session_get_id (s), ext);
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                "Content-Disposition", disposition);
  reply_text (req, SOUP_STATUS_OK, type, text);
}

/* ---- the trainer's report --------------------------------------------------------------------- */

/* report.c's figures, as JSON: the library's builder, with the dashboard's
 * members and each trainee's group. */
static void
report (Req *req)
{
  PsimScenario *sc = req_scenario (req);
  if (sc == NULL)
    return;
  ReportFilter f = { .group = req_query (req, "group") };
  if ((req_query (req, "from") != NULL && !report_parse_date (req_query (req, "from"), FALSE,
                                                              &f.from))
      || (req_query (req, "to") != NULL && !report_parse_date (req_query (req, "to"), TRUE,
                                                               &f.until)))
    {
      reply_error (req, SOUP_STATUS_BAD_REQUEST,
                   psim_gettext (req->lang, "Dates are written YYYY-MM-DD."));
      return;
    }
  g_autoptr (GError) error = NULL;
  g_autoptr (Report) r = report_new (req->srv, req->user, sc, &f, req->lang, &error);
  if (r == NULL)
    {
      g_warning ("report: %s", error->message);
      reply_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE,
                   psim_gettext (req->lang, "The database does not answer. Please try again "
                                            "in a moment."));
      return;
    }
  g_autoptr (JsonBuilder) b = json_builder_new ();
  PsimReportJsonOptions o = { .dashboard = TRUE, .scenario = sc, .groups = r->groups };
  psim_report_figures_add_json (b, r->figures, &o);
  reply_builder (req, SOUP_STATUS_OK, b);
}

/* ---- logins, the user, health ------------------------------------------------------------------- */

static void
user_object (JsonBuilder *b, const User *u)
{
  json_builder_begin_object (b);
  add_string (b, "name", u->name);
  add_string (b, "role", role_to_string (u->role));
  add_string (b, "group", u->group);
  add_string (b, "lang", u->lang);
  json_builder_end_object (b);
}

static void
logged_in (Req *req, User *user, const char *token, const char *csrf, gint64 expires)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  add_string (b, "token", token);
  add_time (b, "expires", expires);
  json_builder_set_member_name (b, "user");
  user_object (b, user);
  json_builder_end_object (b);
  reply_builder (req, SOUP_STATUS_OK, b);
}

static void
login (Req *req)
{
  JsonObject *o = req_json_object (req);
  if (o == NULL)
    return;
  JsonNode *u = json_object_get_member (o, "user");
  JsonNode *p = json_object_get_member (o, "password");
  if (u == NULL || p == NULL || !JSON_NODE_HOLDS_VALUE (u) || !JSON_NODE_HOLDS_VALUE (p)
      || json_node_get_value_type (u) != G_TYPE_STRING
      || json_node_get_value_type (p) != G_TYPE_STRING)
    {
      reply_error (req, SOUP_STATUS_BAD_REQUEST,
                   psim_gettext (req->lang, "Send {\"user\": NAME, \"password\": PASSWORD}."));
      return;
    }
  auth_login (req, json_node_get_string (u), json_node_get_string (p), logged_in);
}

static void
logout (Req *req)
{
  auth_logout (req);
  reply_text (req, SOUP_STATUS_NO_CONTENT, "text/plain", "");
}

static void
me (Req *req)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  user_object (b, req->user);
  reply_builder (req, SOUP_STATUS_OK, b);
}

static void
healthz (Req *req)
{
  gboolean ok = db_ping (srv_get_db (req->srv));
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  add_string (b, "status", ok ? "ok" : "database unavailable");
  json_builder_end_object (b);
  reply_builder (req, ok ? SOUP_STATUS_OK : SOUP_STATUS_SERVICE_UNAVAILABLE, b);
}

const Route api_routes[] = {
  { "GET", "/healthz", healthz, ROUTE_PUBLIC },
  { "POST", "/api/v1/login", login, ROUTE_PUBLIC },
  { "POST", "/api/v1/logout", logout, ROUTE_USER },
  { "GET", "/api/v1/me", me, ROUTE_USER },
  { "GET", "/api/v1/scenarios", list_scenarios, ROUTE_USER },
  { "GET", "/api/v1/scenarios/*", get_scenario, ROUTE_USER },
  { "GET", "/api/v1/sessions", list_sessions, ROUTE_USER },
  { "POST", "/api/v1/sessions", create_session, ROUTE_USER },
  { "GET", "/api/v1/sessions/*", get_session, ROUTE_USER },
  { "POST", "/api/v1/sessions/*/answers", answer, ROUTE_USER },
  { "GET", "/api/v1/sessions/*/record", record, ROUTE_USER },
  { "GET", "/api/v1/reports/scenarios/*", report, ROUTE_TRAINER },
  { NULL, NULL, NULL, 0 },
};
