/* pages-trainer.c — the trainer's pages: the dashboard (every scenario's
 * attempts and results), one scenario's report (per question, the most
 * frequent mistakes, per trainee, the sessions, each replayed as its
 * debrief on /session/ID), its exports (CSV for spreadsheets, xAPI for a
 * learning record store), the preview of a scenario's ideal run, and the
 * upload of a new scenario. Trainers see the sessions of their group,
 * admins everyone's (srv_can_see); filters by group and date are plain
 * GET forms, so a filtered view is a link to keep.
 */
#include "groups.h"
#include "report.h"
#include "view.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#define _(msgid) psim_gettext (lang, msgid)

/* The filter of the query: ?group=G&from=YYYY-MM-DD&to=YYYY-MM-DD. */
static void
read_filter (Req *req, ReportFilter *f)
{
  *f = (ReportFilter) { .group = req_query (req, "group") };
  if (f->group != NULL && *f->group == '\0')
    f->group = NULL;
  if (!report_parse_date (req_query (req, "from"), FALSE, &f->from))
    f->from = 0;
  if (!report_parse_date (req_query (req, "to"), TRUE, &f->until))
    f->until = 0;
}

/* The same filter as a query string to pass on, "" when none. */
static char *
filter_query (Req *req)
{
  g_autoptr (GString) q = g_string_new (NULL);
  const char *names[] = { "group", "from", "to" };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *v = req_query (req, names[i]);
      if (v == NULL || *v == '\0')
        continue;
      g_autofree char *escaped = g_uri_escape_string (v, NULL, FALSE);
      g_string_append_printf (q, "%c%s=%s", q->len == 0 ? '?' : '&', names[i], escaped);
    }
  return g_string_free (g_steal_pointer (&q), FALSE);
}

static void
filter_form (GString *p, Req *req, const char *action)
{
  const char *lang = req->lang;
  g_string_append (p, "<form method=\"get\" class=\"filters\" action=\"");
  html_escape (p, action);
  g_string_append (p, "\">\n<p><label for=\"group\">");
  html_escape (p, _("Group"));
  g_string_append (p, "</label><select id=\"group\" name=\"group\"><option value=\"\">");
  html_escape (p, _("All groups"));
  g_string_append (p, "</option>");
  /* The groups whose sessions the viewer sees (srv_can_see): an admin
   * every one, a trainer their own. */
  g_auto (GStrv) groups = NULL;
  if (req->user->role == ROLE_ADMIN)
    groups = db_list_groups (srv_get_db (req->srv), NULL);
  else if (req->user->group != NULL && *req->user->group != '\0')
    {
      const char *own[] = { req->user->group, NULL };
      groups = g_strdupv ((char **) own);
    }
  const char *chosen = req_query (req, "group");
  for (guint i = 0; groups != NULL && groups[i] != NULL; i++)
    {
      const char *g = groups[i];
      g_string_append (p, "<option value=\"");
      html_escape (p, g);
      g_string_append_printf (p, "\"%s>", g_strcmp0 (chosen, g) == 0 ? " selected" : "");
      html_escape (p, g);
      g_string_append (p, "</option>");
    }
  g_string_append (p, "</select></p>\n");
  const char *dates[][2] = { { "from", _("From") }, { "to", _("To") } };
  for (guint i = 0; i < G_N_ELEMENTS (dates); i++)
    {
      g_string_append_printf (p, "<p><label for=\"%s\">", dates[i][0]);
      html_escape (p, dates[i][1]);
      g_string_append_printf (p, "</label><input type=\"date\" id=\"%s\" name=\"%s\" value=\"",
                              dates[i][0], dates[i][0]);
      gint64 unused;
      const char *v = req_query (req, dates[i][0]);
      if (report_parse_date (v, FALSE, &unused))
        html_escape (p, v);
      g_string_append (p, "\"></p>\n");
    }
  g_string_append (p, "<p><button type=\"submit\">");
  html_escape (p, _("Show"));
  g_string_append (p, "</button></p>\n</form>\n");
}

static char *
percent (guint part, guint whole, const char *lang)
{
  if (whole == 0)
    return g_strdup ("–");
  g_autofree char *n = psim_format_decimal (round (100.0 * part / whole), lang);
  return g_strdup_printf ("%s %%", n);
}

/* "72.5 %" (to a tenth), or "–" for NAN: no finished attempt. */
static char *
percent_or_dash (double v, const char *lang)
{
  if (isnan (v))
    return g_strdup ("–");
  g_autofree char *n = psim_format_decimal (round (10 * v) / 10, lang);
  return g_strdup_printf ("%s %%", n);
}

static char *
duration_or_dash (double ms, const char *lang)
{
  return isnan (ms) ? g_strdup ("–") : view_duration ((gint64) ms, lang);
}

static void
dashboard (Req *req)
{
  const char *lang = req->lang;
  GString *p = html_page_begin (req, _("Trainer's dashboard"));
  filter_form (p, req, "/trainer");
  ReportFilter f;
  read_filter (req, &f);
  g_autofree char *query = filter_query (req);
  view_wide_begin (p, _("Scenarios"));
  g_string_append (p, "<table class=\"dashboard\">\n<caption>");
  html_escape (p, _("Scenarios"));
  g_string_append (p, "</caption>\n<thead><tr>");
  const char *heads[] = { _("Scenario"), _("Attempts"), _("Finished"), _("Pass rate"),
                          _("Mean score"), _("Median score"), _("Median time") };
  for (guint i = 0; i < G_N_ELEMENTS (heads); i++)
    view_tag (p, "th scope=\"col\"", heads[i]);
  g_string_append (p, "</tr></thead>\n<tbody>\n");
  g_autoptr (GError) sync_error = NULL;
  if (!srv_sync_uploads (req->srv, &sync_error))
    g_warning ("uploaded scenarios: %s", sync_error->message);
  GPtrArray *all = srv_list_scenarios (req->srv);
  for (guint i = 0; i < all->len; i++)
    {
      PsimScenario *sc = g_ptr_array_index (all, i);
      g_autoptr (GError) error = NULL;
      g_autoptr (Report) r = report_new (req->srv, req->user, sc, &f, lang, &error);
      if (r == NULL)
        {
          g_warning ("report: %s", error->message);
          continue;
        }
      g_string_append (p, "<tr data-scenario=\"");
      html_escape (p, psim_scenario_get_id (sc));
      g_string_append (p, "\"><th scope=\"row\"><a href=\"/trainer/scenario/");
      html_escape (p, psim_scenario_get_id (sc));
      html_escape (p, query);
      g_string_append (p, "\">");
      html_escape (p, psim_scenario_get_title (sc, lang));
      g_string_append (p, "</a></th>");
      const PsimReportFigures *x = r->figures;
      g_string_append_printf (p, "<td class=\"attempts\">%u</td><td>%u</td>", x->attempts,
                              x->finished);
      g_autofree char *rate = percent (x->passed, x->finished, lang);
      g_autofree char *mean = percent_or_dash (x->mean_percent, lang);
      g_autofree char *med = percent_or_dash (x->median_percent, lang);
      g_autofree char *time = duration_or_dash (x->median_ms, lang);
      view_tag (p, "td", rate);
      view_tag (p, "td", mean);
      view_tag (p, "td", med);
      view_tag (p, "td", time);
      g_string_append (p, "</tr>\n");
    }
  g_string_append (p, "</tbody>\n</table></div>\n<p><a href=\"/trainer/upload\">");
  html_escape (p, _("Upload a scenario"));
  g_string_append (p, "</a></p>\n");
  html_page_end (req, p, SOUP_STATUS_OK);
}

static void
figure (GString *p, const char *label, const char *value)
{
  g_string_append (p, "<div>");
  view_tag (p, "dt", label);
  view_tag (p, "dd", value);
  g_string_append (p, "</div>\n");
}

/* The report on scenario args[0] with the query's filter, or NULL after
 * replying (404, 503). */
static Report *
page_report (Req *req)
{
  PsimScenario *sc = req_scenario (req);
  if (sc == NULL)
    return NULL;
  ReportFilter f;
  read_filter (req, &f);
  g_autoptr (GError) error = NULL;
  Report *r = report_new (req->srv, req->user, sc, &f, req->lang, &error);
  if (r == NULL)
    {
      g_warning ("report: %s", error->message);
      reply_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE,
                   psim_gettext (req->lang, "The database does not answer. Please try again "
                                            "in a moment."));
    }
  return r;
}

/* Who sees the scenario in their catalogue, changed with groups.c's route. */
static void
groups_form (GString *p, Req *req, const char *id)
{
  const char *lang = req->lang;
  GString *form = g_string_new (NULL);
  g_autofree char *action = g_uri_escape_string (id, NULL, FALSE);
  g_string_append (form, "<form method=\"post\" class=\"groups\" action=\"/trainer/scenario/");
  html_escape (form, action);
  g_string_append (form, "/groups\">\n");
  html_csrf_field (req, form);
  g_autoptr (GError) error = NULL;
  if (!groups_fieldset (form, req, id, &error))
    {
      g_warning ("scenario groups: %s", error->message);
      g_string_free (form, TRUE);
      return;
    }
  g_string_append (form, "<p><button type=\"submit\">");
  html_escape (form, _("Save the groups"));
  g_string_append (form, "</button></p>\n</form>\n");
  g_string_append_len (p, form->str, (gssize) form->len);
  g_string_free (form, TRUE);
}

static void
scenario_report (Req *req)
{
  const char *lang = req->lang;
  g_autoptr (Report) r = page_report (req);
  if (r == NULL)
    return;
  PsimScenario *sc = r->scenario;
  const char *id = psim_scenario_get_id (sc);
  GString *p = html_page_begin (req, psim_scenario_get_title (sc, lang));
  g_autofree char *action = g_strdup_printf ("/trainer/scenario/%s", id);
  filter_form (p, req, action);
  g_autofree char *query = filter_query (req);

  g_string_append (p, "<dl class=\"figures\">\n");
  const PsimReportFigures *x = r->figures;
  g_autofree char *attempts = g_strdup_printf ("%u", x->attempts);
  g_autofree char *finished = g_strdup_printf ("%u", x->finished);
  g_autofree char *unfinished = g_strdup_printf ("%u", x->unfinished);
  g_autofree char *rate = percent (x->passed, x->finished, lang);
  g_autofree char *mean = percent_or_dash (x->mean_percent, lang);
  g_autofree char *med = percent_or_dash (x->median_percent, lang);
  g_autofree char *mean_t = duration_or_dash (x->mean_ms, lang);
  g_autofree char *med_t = duration_or_dash (x->median_ms, lang);
  figure (p, _("Attempts"), attempts);
  figure (p, _("Finished"), finished);
  figure (p, _("Unfinished"), unfinished);
  figure (p, _("Pass rate"), rate);
  figure (p, _("Mean score"), mean);
  figure (p, _("Median score"), med);
  figure (p, _("Mean time"), mean_t);
  figure (p, _("Median time"), med_t);
  g_string_append (p, "</dl>\n<p>");
  static const char *const links[][2] = {
    { "export.csv", PSIM_N_ ("Export as CSV (Excel)") },
    { "export.xapi", PSIM_N_ ("Export as xAPI statements") },
  };
  for (guint i = 0; i < G_N_ELEMENTS (links); i++)
    {
      g_string_append (p, "<a href=\"/trainer/scenario/");
      html_escape (p, id);
      g_string_append_printf (p, "/%s", links[i][0]);
      html_escape (p, query);
      g_string_append (p, "\">");
      html_escape (p, _(links[i][1]));
      g_string_append (p, "</a> · ");
    }
  g_string_append (p, "<a href=\"/trainer/preview/");
  html_escape (p, id);
  g_string_append (p, "\">");
  html_escape (p, _("Preview the ideal run"));
  g_string_append (p, "</a></p>\n");
  groups_form (p, req, id);

  if (x->questions->len > 0)
    {
      view_tag (p, "h2", _("Questions"));
      view_wide_begin (p, _("Questions"));
      g_string_append (p, "<table>\n<thead><tr>");
      view_tag (p, "th scope=\"col\"", _("Question"));
      view_tag (p, "th scope=\"col\"", _("Answered"));
      view_tag (p, "th scope=\"col\"", _("Share right"));
      g_string_append (p, "</tr></thead>\n<tbody>\n");
      for (guint i = 0; i < x->questions->len; i++)
        {
          const PsimReportQuestion *q = g_ptr_array_index (x->questions, i);
          g_autofree char *asked = g_strdup_printf ("%u", q->asked);
          g_autofree char *share = percent (q->right, q->asked, lang);
          g_string_append (p, "<tr>");
          view_tag (p, "td", q->label != NULL ? q->label : q->id);
          view_tag (p, "td", asked);
          view_tag (p, "td", share);
          g_string_append (p, "</tr>\n");
        }
      g_string_append (p, "</tbody>\n</table></div>\n");
    }

  view_tag (p, "h2", _("Most frequent mistakes"));
  if (x->mistakes->len == 0)
    view_tag (p, "p", _("None so far."));
  else
    {
      view_wide_begin (p, _("Most frequent mistakes"));
      g_string_append (p, "<table>\n<thead><tr>");
      view_tag (p, "th scope=\"col\"", _("Mistake"));
      view_tag (p, "th scope=\"col\"", _("Times"));
      g_string_append (p, "</tr></thead>\n<tbody>\n");
      for (guint i = 0; i < MIN (x->mistakes->len, 10); i++)
        {
          const PsimReportMistake *m = g_ptr_array_index (x->mistakes, i);
          g_autofree char *count = g_strdup_printf ("%u", m->count);
          g_string_append (p, "<tr>");
          view_tag (p, "td", m->label);
          view_tag (p, "td", count);
          g_string_append (p, "</tr>\n");
        }
      g_string_append (p, "</tbody>\n</table></div>\n");
    }

  view_tag (p, "h2", _("Trainees"));
  if (x->trainees->len == 0)
    view_tag (p, "p", _("No attempt yet."));
  else
    {
      view_wide_begin (p, _("Trainees"));
      g_string_append (p, "<table class=\"trainees\">\n<thead><tr>");
      const char *heads[] = { _("Trainee"), _("Group"), _("Attempts"), _("Best score"),
                              _("Last attempt"), _("Unfinished") };
      for (guint i = 0; i < G_N_ELEMENTS (heads); i++)
        view_tag (p, "th scope=\"col\"", heads[i]);
      g_string_append (p, "</tr></thead>\n<tbody>\n");
      for (guint i = 0; i < x->trainees->len; i++)
        {
          const PsimReportTrainee *t = g_ptr_array_index (x->trainees, i);
          const char *group = g_hash_table_lookup (r->groups, t->name);
          g_autofree char *n = g_strdup_printf ("%u", t->attempts);
          g_autofree char *best = percent_or_dash (t->best_percent, lang);
          g_autofree char *last = view_time (t->last_started);
          g_autofree char *open = g_strdup_printf ("%u", t->unfinished);
          g_string_append (p, "<tr>");
          view_tag (p, "td", t->name);
          view_tag (p, "td", group != NULL ? group : "");
          view_tag (p, "td", n);
          view_tag (p, "td", best);
          view_tag (p, "td", last);
          view_tag (p, "td", open);
          g_string_append (p, "</tr>\n");
        }
      g_string_append (p, "</tbody>\n</table></div>\n");

      view_tag (p, "h2", _("Sessions"));
      view_wide_begin (p, _("Sessions"));
      g_string_append (p, "<table>\n<thead><tr>");
      const char *cols[] = { _("Trainee"), _("Started"), _("Answers"), _("Score"), _("Result") };
      for (guint i = 0; i < G_N_ELEMENTS (cols); i++)
        view_tag (p, "th scope=\"col\"", cols[i]);
      g_string_append (p, "</tr></thead>\n<tbody>\n");
      for (guint i = 0; i < r->sessions->len; i++)
        {
          const PsimStoreEntry *e = g_ptr_array_index (r->sessions, i);
          g_autofree char *when = view_time (e->started);
          g_autofree char *n = g_strdup_printf ("%u", e->n_answers);
          g_autofree char *score = g_strdup_printf ("%d / %d", e->score, e->max_score);
          g_string_append (p, "<tr><td><a href=\"/session/");
          html_escape (p, e->id);
          g_string_append (p, "\">");
          html_escape (p, e->actor);
          g_string_append (p, "</a></td>");
          view_tag (p, "td", when);
          view_tag (p, "td", n);
          view_tag (p, "td", score);
          view_tag (p, !e->finished ? "td" : e->passed ? "td class=\"good\"" : "td class=\"bad\"",
                    !e->finished ? _("unfinished") : e->passed ? _("passed") : _("not passed"));
          g_string_append (p, "</tr>\n");
        }
      g_string_append (p, "</tbody>\n</table></div>\n");
    }
  g_string_append (p, "<p><a href=\"/trainer\">");
  html_escape (p, _("Back to the dashboard"));
  g_string_append (p, "</a></p>\n");
  html_page_end (req, p, SOUP_STATUS_OK);
}

/* ---- exports ------------------------------------------------------------ */

/* One CSV field: quoted when it must be; a leading = + - @ neutralised, so
 * a spreadsheet never takes a trainee's text for a formula. */
static void
csv_field (GString *out, const char *text)
{
  if (text == NULL)
    text = "";
  gboolean formula = strchr ("=+-@", text[0]) != NULL && text[0] != '\0';
  if (!formula && strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  if (formula)
    g_string_append_c (out, '\'');
  for (const char *c = text; *c != '\0'; c++)
    {
      if (*c == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *c);
    }
  g_string_append_c (out, '"');
}

static void
csv_row (GString *out, const char *const *fields, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      csv_field (out, fields[i]);
    }
  g_string_append (out, "\r\n");
}

static void
attachment (Req *req, const char *name)
{
  g_autofree char *disposition = g_strdup_printf ("attachment; filename=\"%s\"", name);
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                "Content-Disposition", disposition);
}

static void
export_csv (Req *req)
{
  const char *lang = req->lang;
  g_autoptr (Report) r = page_report (req);
  if (r == NULL)
    return;
  PsimScenario *sc = r->scenario;
  /* UTF-8 with a byte-order mark: Excel then reads Vietnamese right. */
  g_autoptr (GString) out = g_string_new ("\xEF\xBB\xBF");
  const char *heads[] = { _("Session"), _("Trainee"), _("Group"), _("Scenario"), _("Started"),
                          _("Last answer"), _("Answers"), _("Finished"), _("Score"),
                          _("Full marks"), _("Passed") };
  csv_row (out, heads, G_N_ELEMENTS (heads));
  for (guint i = 0; i < r->sessions->len; i++)
    {
      const PsimStoreEntry *e = g_ptr_array_index (r->sessions, i);
      g_autofree char *started = view_time (e->started);
      g_autofree char *updated = view_time (e->updated);
      g_autofree char *n = g_strdup_printf ("%u", e->n_answers);
      g_autofree char *score = g_strdup_printf ("%d", e->score);
      g_autofree char *max = g_strdup_printf ("%d", e->max_score);
      const char *row[] = { e->id, e->actor, g_hash_table_lookup (r->groups, e->actor != NULL
                                                                                 ? e->actor
                                                                                 : ""),
                            e->scenario, started, updated, n, e->finished ? _("yes") : _("no"),
                            score, max, e->passed ? _("yes") : _("no") };
      csv_row (out, row, G_N_ELEMENTS (row));
    }
  g_autofree char *name = g_strdup_printf ("%s.csv", psim_scenario_get_id (sc));
  attachment (req, name);
  reply_text (req, SOUP_STATUS_OK, "text/csv; charset=utf-8", out->str);
}

static void
export_xapi (Req *req)
{
  g_autoptr (Report) r = page_report (req);
  if (r == NULL)
    return;
  PsimScenario *sc = r->scenario;
  /* The statements of every finished session, in one array. */
  g_autoptr (JsonArray) all = json_array_new ();
  g_autoptr (JsonParser) parser = json_parser_new ();
  PsimStore *store = db_get_store (srv_get_db (req->srv));
  for (guint i = 0; i < r->sessions->len; i++)
    {
      const PsimStoreEntry *e = g_ptr_array_index (r->sessions, i);
      if (!e->finished)
        continue;
      g_autoptr (GError) error = NULL;
      g_autofree char *text = psim_store_load_record (store, e->id, PSIM_STORE_RECORD_XAPI, &error);
      if (text == NULL || !json_parser_load_from_data (parser, text, -1, &error))
        {
          g_warning ("xAPI of %s: %s", e->id, error != NULL ? error->message : "?");
          continue;
        }
      JsonNode *root = json_parser_get_root (parser);
      if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
        continue;
      JsonArray *statements = json_node_get_array (root);
      for (guint k = 0; k < json_array_get_length (statements); k++)
        json_array_add_element (all, json_node_copy (json_array_get_element (statements, k)));
    }
  g_autofree char *name = g_strdup_printf ("%s.xapi.json", psim_scenario_get_id (sc));
  attachment (req, name);
  JsonNode *root = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (root, all);
  reply_json (req, SOUP_STATUS_OK, root);
}

/* ---- the preview: the ideal run, as `procsim train --demo` -------------- */

static void
preview (Req *req)
{
  const char *lang = req->lang;
  PsimScenario *sc = req_scenario (req);
  if (sc == NULL)
    return;
  g_autofree char *title = g_strdup_printf (_("Preview: %s"), psim_scenario_get_title (sc, lang));
  GString *p = html_page_begin (req, title);
  view_tag (p, "p class=\"meta\"", _("The ideal run, with the reason each wrong option is "
                                     "wrong. A preview is nobody's session: it is not kept "
                                     "and never counts as an attempt."));
  g_string_append (p, "<div class=\"play\">\n");
  view_case_panel (p, sc, lang);
  g_string_append (p, "<div class=\"main\">\n<ol class=\"preview\">\n");
  /* In memory only: never stored, so it never counts. */
  g_autoptr (PsimSession) s = psim_session_new (sc, 0);
  psim_session_set_language (s, lang);
  while (psim_session_get_prompt (s) != PSIM_PROMPT_FINISHED)
    {
      g_string_append (p, "<li>");
      view_status (p, s, lang);
      const PsimQuestion *q = psim_session_get_question (s);
      if (q != NULL)
        {
          g_autofree char *text = g_strdup_printf (_("Question (%d points): %s"),
                                                   psim_question_get_points (q),
                                                   psim_question_get_prompt (q, lang));
          view_tag (p, "h2", text);
        }
      else
        view_tag (p, "h2", _("What happens next?"));
      g_string_append (p, "<ol>");
      for (guint i = 0; i < psim_session_get_n_options (s); i++)
        view_tag (p, "li", psim_session_get_option_label (s, i, lang));
      g_string_append (p, "</ol>\n");
      view_explain (p, s, lang);
      g_autofree char *ideal = psim_session_dup_ideal_answer (s);
      g_autoptr (GError) error = NULL;
      if (!psim_session_answer (s, ideal, 0, &error))
        {
          g_warning ("preview of %s: %s", psim_scenario_get_id (sc), error->message);
          break;
        }
      view_feedback (p, s, psim_session_get_n_answers (s) - 1, lang, FALSE);
      g_string_append (p, "</li>\n");
    }
  g_string_append (p, "</ol>\n");
  if (psim_session_get_prompt (s) == PSIM_PROMPT_FINISHED)
    {
      g_autoptr (GString) graph = g_string_new (NULL);
      g_autoptr (GError) error = NULL;
      if (!view_graph (graph, req->srv, s, TRUE, lang, &error))
        {
          g_string_free (p, TRUE);
          view_graph_unavailable (req);
          return;
        }
      view_debrief (p, s, graph, lang);
    }
  g_string_append (p, "</div>\n</div>\n");
  html_page_end (req, p, SOUP_STATUS_OK);
}

const Route pages_trainer_routes[] = {
  { "GET", "/trainer", dashboard, ROUTE_PAGE | ROUTE_TRAINER },
  { "GET", "/trainer/scenario/*", scenario_report, ROUTE_PAGE | ROUTE_TRAINER },
  { "GET", "/trainer/scenario/*/export.csv", export_csv, ROUTE_PAGE | ROUTE_TRAINER },
  { "GET", "/trainer/scenario/*/export.xapi", export_xapi, ROUTE_PAGE | ROUTE_TRAINER },
  { "GET", "/trainer/preview/*", preview, ROUTE_PAGE | ROUTE_TRAINER },
  { NULL, NULL, NULL, 0 },
};
