/* pages-trainee.c — the trainee's pages: the start page (the catalogue,
 * the sessions to resume, the history), a session's screen at each point
 * and its debrief at the end. Plain forms posted back and answered with a
 * redirect (so a reload never answers twice); view.js adds the number
 * keys and closes the case panel on a phone. A session lives in the
 * database after every answer: any device the trainee logs in on resumes
 * it where it stands.
 */
#include "view.h"

#include <sodium.h>
#include <string.h>

#define _(msgid) psim_gettext (lang, msgid)

/* Links to the trainer's and the admin's pages, for those who may go. */
static void
role_links (GString *p, Req *req)
{
  const char *lang = req->lang;
  if (req->user->role == ROLE_TRAINEE)
    return;
  g_string_append (p, "<nav class=\"roles\" aria-label=\"");
  html_escape (p, _("Other pages"));
  g_string_append (p, "\"><ul><li><a href=\"/trainer\">");
  html_escape (p, _("Trainer's dashboard"));
  g_string_append (p, "</a></li><li><a href=\"/trainer/upload\">");
  html_escape (p, _("Upload a scenario"));
  g_string_append (p, "</a></li>");
  if (req->user->role == ROLE_ADMIN)
    {
      g_string_append (p, "<li><a href=\"/admin\">");
      html_escape (p, _("Users and groups"));
      g_string_append (p, "</a></li>");
    }
  g_string_append (p, "</ul></nav>\n");
}

static const char *
title_of (Req *req, const char *scenario)
{
  PsimScenario *sc = srv_get_scenario (req->srv, scenario);
  return sc != NULL ? psim_scenario_get_title (sc, req->lang) : scenario;
}

static void
home (Req *req)
{
  const char *lang = req->lang;
  GString *p = html_page_begin (req, _("Training scenarios"));
  role_links (p, req);
  g_autoptr (GError) failed = NULL;
  g_autoptr (GPtrArray) all = srv_list_offered (req->srv, req->user, &failed);
  if (all == NULL)
    {
      g_warning ("catalogue: %s", failed->message);
      all = g_ptr_array_new ();
      view_tag (p, "p role=\"alert\"", _("The database does not answer. Please try again "
                                           "in a moment."));
    }
  else if (all->len == 0)
    view_tag (p, "p", _("No scenario is offered to your group yet. Ask your trainer."));
  g_string_append (p, "<ul class=\"catalogue\">\n");
  for (guint i = 0; i < all->len; i++)
    {
      PsimScenario *sc = g_ptr_array_index (all, i);
      const char *id = psim_scenario_get_id (sc);
      g_string_append (p, "<li class=\"card\">");
      g_string_append_printf (p, "<h2 id=\"sc-%u\">", i);
      html_escape (p, psim_scenario_get_title (sc, lang));
      g_string_append (p, "</h2>\n");
      g_autofree char *on = g_strdup_printf (
        _("Procedure: %s — %s"),
        psim_procedure_get_title (psim_scenario_get_procedure (sc), lang),
        psim_variant_get_title (psim_scenario_get_variant (sc), lang));
      view_tag (p, "p class=\"meta\"", on);
      view_tag (p, "p", psim_scenario_get_briefing (sc, lang));
      g_string_append (p, "<form method=\"post\" action=\"/train/");
      html_escape (p, id);
      g_string_append (p, "\">");
      html_csrf_field (req, p);
      g_string_append_printf (p, "<button type=\"submit\" class=\"primary\" "
                                 "aria-describedby=\"sc-%u\">",
                              i);
      html_escape (p, _("Start"));
      g_string_append (p, "</button></form></li>\n");
    }
  g_string_append (p, "</ul>\n");

  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) mine = psim_store_list (db_get_store (srv_get_db (req->srv)),
                                                req->user->name, &error);
  if (mine == NULL)
    g_warning ("sessions of %s: %s", req->user->name, error->message);
  guint open = 0, done = 0;
  for (guint i = 0; mine != NULL && i < mine->len; i++)
    {
      const PsimStoreEntry *e = g_ptr_array_index (mine, i);
      e->finished ? done++ : open++;
    }
  if (open > 0)
    {
      view_tag (p, "h2", _("Sessions to resume"));
      g_string_append (p, "<ul class=\"sessions\">\n");
      for (guint i = 0; i < mine->len; i++)
        {
          const PsimStoreEntry *e = g_ptr_array_index (mine, i);
          if (e->finished)
            continue;
          g_autofree char *when = view_time (e->updated);
          g_autofree char *state = g_strdup_printf (
            psim_ngettext (lang, "%u answer so far, last on %s", "%u answers so far, last on %s",
                           e->n_answers),
            e->n_answers, when);
          g_string_append (p, "<li><a href=\"/session/");
          html_escape (p, e->id);
          g_string_append (p, "\">");
          g_autofree char *resume = g_strdup_printf (_("Resume: %s"), title_of (req, e->scenario));
          html_escape (p, resume);
          g_string_append (p, "</a> ");
          view_tag (p, "span class=\"meta\"", state);
          g_string_append (p, "</li>\n");
        }
      g_string_append (p, "</ul>\n");
    }
  if (done > 0)
    {
      view_tag (p, "h2", _("Your history"));
      view_wide_begin (p, _("Your history"));
      g_string_append (p, "<table>\n<thead><tr>");
      view_tag (p, "th scope=\"col\"", _("Scenario"));
      view_tag (p, "th scope=\"col\"", _("Finished"));
      view_tag (p, "th scope=\"col\"", _("Score"));
      view_tag (p, "th scope=\"col\"", _("Result"));
      g_string_append (p, "</tr></thead>\n<tbody>\n");
      for (guint i = 0; i < mine->len; i++)
        {
          const PsimStoreEntry *e = g_ptr_array_index (mine, i);
          if (!e->finished)
            continue;
          g_autofree char *when = view_time (e->updated);
          g_autofree char *score = g_strdup_printf ("%d / %d", e->score, e->max_score);
          g_string_append (p, "<tr><td><a href=\"/session/");
          html_escape (p, e->id);
          g_string_append (p, "\">");
          html_escape (p, title_of (req, e->scenario));
          g_string_append (p, "</a></td>");
          view_tag (p, "td", when);
          view_tag (p, "td", score);
          view_tag (p, e->passed ? "td class=\"good\"" : "td class=\"bad\"",
                    e->passed ? _("passed") : _("not passed"));
          g_string_append (p, "</tr>\n");
        }
      g_string_append (p, "</tbody>\n</table></div>\n");
    }
  html_page_end (req, p, SOUP_STATUS_OK);
}

static void
start (Req *req)
{
  PsimScenario *sc = req_scenario (req);
  if (sc == NULL)
    return;
  g_autoptr (GError) error = NULL;
  PsimSession *s = srv_new_session (req->srv, req->user, sc, randombytes_uniform (1000000),
                                    &error);
  if (s == NULL)
    {
      g_warning ("new session: %s", error->message);
      reply_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE,
                   psim_gettext (req->lang, "The session could not be started. Please try "
                                            "again."));
      return;
    }
  g_autofree char *to = g_strdup_printf ("/session/%s", psim_session_get_id (s));
  reply_redirect (req, to);
}

/* The session's page: the point to answer (with @problem, a refused
 * answer, said first), or the debrief. */
static void
session_page (Req *req, PsimSession *s, const char *problem, guint status)
{
  const char *lang = req->lang;
  const PsimScenario *sc = psim_session_get_scenario (s);
  gboolean finished = psim_session_get_prompt (s) == PSIM_PROMPT_FINISHED;
  gboolean own = strcmp (req->user->name, psim_session_get_actor (s)) == 0;
  /* The graph first: when the worker cannot draw it, the reply is a 503. */
  g_autoptr (GString) graph = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  if ((finished || own) && !view_graph (graph, req->srv, s, finished, lang, &error))
    {
      view_graph_unavailable (req);
      return;
    }
  GString *p = html_page_begin (req, psim_scenario_get_title (sc, lang));
  if (!own)
    {
      g_autofree char *whose = g_strdup_printf (_("The session of %s, as its debrief."),
                                                psim_session_get_actor (s));
      view_tag (p, "p class=\"meta\"", whose);
    }
  g_string_append (p, "<div class=\"play\">\n");
  view_case_panel (p, sc, lang);
  g_string_append (p, "<div class=\"main\">\n");
  view_status (p, s, lang);
  if (problem != NULL)
    {
      g_string_append (p, "<p class=\"problem\" role=\"alert\"><span class=\"mark\" "
                          "aria-hidden=\"true\">✗</span> ");
      html_escape (p, problem);
      g_string_append (p, "</p>\n");
    }
  guint n = psim_session_get_n_answers (s);
  if (n > 0 && own && problem == NULL)
    view_feedback (p, s, n - 1, lang, TRUE);
  if (!finished && own)
    {
      g_autofree char *action = g_strdup_printf ("/session/%s/answer", psim_session_get_id (s));
      view_point_form (p, req, s, action);
      g_string_append_len (p, graph->str, (gssize) graph->len);
    }
  else if (finished)
    {
      view_debrief (p, s, graph, lang);
      g_string_append (p, "<p class=\"records\">");
      html_escape (p, _("The record of this session:"));
      static const char *const formats[][2] = {
        { "json", "JSON" }, { "xapi", "xAPI" }, { "xes", "XES" },
      };
      for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
        {
          g_string_append (p, " <a href=\"/api/v1/sessions/");
          html_escape (p, psim_session_get_id (s));
          g_string_append_printf (p, "/record?format=%s\">%s</a>", formats[i][0], formats[i][1]);
        }
      g_string_append (p, "</p>\n");
    }
  else
    view_tag (p, "p", _("This session is not finished yet."));
  g_string_append (p, "<p><a href=\"/\">");
  html_escape (p, _("Back to the scenarios"));
  g_string_append (p, "</a></p>\n</div>\n</div>\n");
  html_page_end (req, p, status);
}

static void
show (Req *req)
{
  PsimSession *s = srv_get_session (req);
  if (s != NULL)
    session_page (req, s, NULL, SOUP_STATUS_OK);
}

/* The answer the form says, as the terminal trainer takes it; NULL (and
 * *@problem) when the form says none. (transfer full) */
static char *
typed_answer (Req *req, const PsimSession *s, const char **problem)
{
  const char *lang = req->lang;
  const char *action = req_form (req, "action");
  if (g_strcmp0 (action, "hint") == 0 || g_strcmp0 (action, "skip") == 0)
    return g_strdup (action);
  guint n = psim_session_get_n_options (s);
  const PsimQuestion *q = psim_session_get_question (s);
  PsimQuestionKind kind = q != NULL ? psim_question_get_kind (q) : PSIM_QUESTION_SINGLE;
  if (psim_session_get_prompt (s) == PSIM_PROMPT_QUESTION && kind == PSIM_QUESTION_MULTIPLE)
    {
      g_autoptr (GString) out = g_string_new (NULL);
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *name = g_strdup_printf ("pick-%u", i);
          const char *v = req_form (req, name);
          if (v == NULL)
            continue;
          if (out->len > 0)
            g_string_append_c (out, ',');
          g_string_append (out, v);
        }
      if (out->len == 0)
        *problem = _("Choose at least one option.");
      return out->len > 0 ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
    }
  if (psim_session_get_prompt (s) == PSIM_PROMPT_QUESTION && kind == PSIM_QUESTION_ORDER)
    {
      g_autofree const char **at = g_new0 (const char *, n);
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *name = g_strdup_printf ("place-%u", i);
          const char *v = req_form (req, name);
          guint64 place = 0;
          if (v == NULL || !g_ascii_string_to_unsigned (v, 10, 1, n, &place, NULL)
              || at[place - 1] != NULL)
            {
              *problem = _("Give each option a different place.");
              return NULL;
            }
          at[place - 1] = psim_session_get_option_id (s, i);
        }
      g_autoptr (GString) out = g_string_new (NULL);
      for (guint i = 0; i < n; i++)
        g_string_append_printf (out, "%s%s", i > 0 ? "," : "", at[i]);
      return g_string_free (g_steal_pointer (&out), FALSE);
    }
  const char *answer = req_form (req, "answer");
  if (answer == NULL || *answer == '\0')
    {
      *problem = _("Please give an answer.");
      return NULL;
    }
  return g_strdup (answer);
}

static void
answer (Req *req)
{
  PsimSession *s = srv_get_session (req);
  if (s == NULL)
    return;
  g_autofree char *here = g_strdup_printf ("/session/%s", psim_session_get_id (s));
  if (strcmp (req->user->name, psim_session_get_actor (s)) != 0)
    {
      reply_error (req, SOUP_STATUS_FORBIDDEN,
                   psim_gettext (req->lang, "Only the trainee answers in a session."));
      return;
    }
  /* A form from an older screen (sent twice, or answered meanwhile on
   * another device) is not an answer to this point: show the point. */
  guint64 n = G_MAXUINT64;
  const char *n_text = req_form (req, "n");
  if (psim_session_get_prompt (s) == PSIM_PROMPT_FINISHED || n_text == NULL
      || !g_ascii_string_to_unsigned (n_text, 10, 0, G_MAXUINT, &n, NULL)
      || n != psim_session_get_n_answers (s))
    {
      reply_redirect (req, here);
      return;
    }
  const char *problem = NULL;
  g_autofree char *input = typed_answer (req, s, &problem);
  if (input == NULL)
    {
      session_page (req, s, problem, SOUP_STATUS_BAD_REQUEST);
      return;
    }
  gint64 shown = 0;
  const char *shown_text = req_form (req, "shown");
  if (shown_text != NULL)
    shown = g_ascii_strtoll (shown_text, NULL, 10);
  /* A refused answer is explained in the trainee's language. */
  psim_session_set_language (s, req->lang);
  gint64 ms = shown > 0 ? CLAMP (g_get_real_time () / 1000 - shown, 0, 24 * 3600 * 1000) : 0;
  g_autoptr (GError) error = NULL;
  if (!srv_answer (req->srv, s, input, ms, req->lang, &error))
    {
      if (g_error_matches (error, PSIM_SESSION_ERROR, PSIM_SESSION_ERROR_INPUT))
        session_page (req, s, error->message, SOUP_STATUS_BAD_REQUEST);
      else
        {
          g_warning ("answer: %s", error->message);
          reply_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE,
                       psim_gettext (req->lang, "The answer could not be stored. Please send "
                                                "it again."));
        }
      return;
    }
  g_autofree char *to = g_strdup_printf ("%s#feedback", here);
  reply_redirect (req, to);
}

const Route pages_trainee_routes[] = {
  { "GET", "/", home, ROUTE_PAGE | ROUTE_USER },
  { "POST", "/train/*", start, ROUTE_PAGE | ROUTE_USER },
  { "GET", "/session/*", show, ROUTE_PAGE | ROUTE_USER },
  { "POST", "/session/*/answer", answer, ROUTE_PAGE | ROUTE_USER },
  { NULL, NULL, NULL, 0 },
};
